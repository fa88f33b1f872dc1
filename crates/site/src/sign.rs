//! The mirror's manifest and its signature, in formats others check without unrest:
//!
//! ```text
//! minisign -Vm SHA256SUMS -P <public key>   # the manifest is the organisation's
//! sha256sum -c SHA256SUMS                     # every file is the manifest's
//! ```
//!
//! `SHA256SUMS` lists every file of the site (`audit-head.txt` among them) as `sha256sum`
//! writes it; the signature's trusted comment repeats the audit log's head, so the head
//! cannot be swapped without breaking the signature.

use crate::{Error, Result, MANIFEST, SIGNATURE};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::path::Path;

/// The manifest's text: `<sha256>  <path>` per file, by path.
pub fn manifest(files: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(files.len() * 100);
    for (path, hash) in files {
        out.push_str(hash);
        out.push_str("  ");
        out.push_str(path);
        out.push('\n');
    }
    out
}

/// The (hash, path) lines of a manifest; lines that are not such are skipped.
pub fn parse_manifest(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| {
            let (hash, path) = l.split_once("  ")?;
            let ok = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
            ok.then(|| (hash.to_ascii_lowercase(), path.to_string()))
        })
        .collect()
}

/// The organisation's secret signing key (a minisign secret key, unencrypted).
pub struct SigningKey {
    sk: minisign::SecretKey,
    pk: minisign::PublicKey,
}

/// A new signing key: the secret key file's text and the public key (base64, as
/// `minisign -P` takes it).
pub fn generate() -> Result<(String, String)> {
    let pair = minisign::KeyPair::generate_unencrypted_keypair().map_err(sign_err)?;
    let secret = pair
        .sk
        .to_box(Some("unrest site signing key"))
        .map_err(sign_err)?
        .into_string();
    Ok((secret, pair.pk.to_base64()))
}

fn sign_err(e: minisign::PError) -> Error {
    Error::Sign(e.to_string())
}

impl SigningKey {
    /// Reads a secret key file as `generate` (or `minisign -G -W`) writes it.
    pub fn from_file(path: &Path) -> Result<SigningKey> {
        let text = std::fs::read_to_string(path).map_err(|error| Error::Io {
            path: path.to_path_buf(),
            error,
        })?;
        let bad = |e: minisign::PError| {
            Error::Sign(format!(
                "{} is not an unencrypted minisign secret key: {e}",
                path.display()
            ))
        };
        let sk = minisign::SecretKeyBox::from_string(&text)
            .and_then(|b| b.into_unencrypted_secret_key())
            .map_err(bad)?;
        let pk = minisign::PublicKey::from_secret_key(&sk).map_err(bad)?;
        Ok(SigningKey { sk, pk })
    }

    /// The public key, base64.
    pub fn public(&self) -> String {
        self.pk.to_base64()
    }

    /// The `.minisig` text of `manifest`.
    pub(crate) fn sign(&self, manifest: &[u8], head: &str, files: usize) -> Result<String> {
        let trusted = format!("unrest site; files {files}; audit head {head}");
        let sig = minisign::sign(
            Some(&self.pk),
            &self.sk,
            Cursor::new(manifest),
            Some(&trusted),
            Some("signature of an unrest mirror's SHA256SUMS"),
        )
        .map_err(sign_err)?;
        let mut text = sig.into_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        Ok(text)
    }
}

/// A public key given as its base64 text or as a file holding it (a `minisign.pub`).
pub fn public_key(arg: &str) -> Result<minisign::PublicKey> {
    let arg = arg.trim();
    if let Ok(pk) = minisign::PublicKey::from_base64(arg) {
        return Ok(pk);
    }
    let text = std::fs::read_to_string(arg).map_err(|_| {
        Error::Sign(format!(
            "{arg:?} is neither a minisign public key nor a readable file"
        ))
    })?;
    let line = text
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
        .unwrap_or("");
    minisign::PublicKey::from_base64(line)
        .map_err(|e| Error::Sign(format!("{arg}: not a minisign public key: {e}")))
}

/// What differs between a mirror and its signed manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The signature is missing or does not verify with the key.
    Signature(String),
    /// The file's bytes are not those the manifest names.
    Changed(String),
    /// The manifest names it; it is not there.
    Missing(String),
    /// It is there; the manifest does not name it.
    Extra(String),
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Signature(why) => write!(f, "{MANIFEST}: {why}"),
            Difference::Changed(p) => write!(f, "{p}: changed (its SHA-256 is not the manifest's)"),
            Difference::Missing(p) => write!(f, "{p}: missing"),
            Difference::Extra(p) => write!(f, "{p}: not in the manifest"),
        }
    }
}

/// The outcome of [`verify`]: the trusted comment (with the audit head) when the signature
/// holds, and every difference.
#[derive(Debug, Clone, Default)]
pub struct Verified {
    pub trusted_comment: Option<String>,
    pub files: usize,
    pub differences: Vec<Difference>,
}

/// Checks a mirror against `key`: the manifest's signature, then every file.
pub fn verify(dir: &Path, key: &minisign::PublicKey) -> Result<Verified> {
    let mut v = Verified::default();
    let manifest = std::fs::read(dir.join(MANIFEST)).map_err(|error| Error::Io {
        path: dir.join(MANIFEST),
        error,
    })?;
    match std::fs::read_to_string(dir.join(SIGNATURE)) {
        Err(e) => v
            .differences
            .push(Difference::Signature(format!("no {SIGNATURE}: {e}"))),
        Ok(sig) => match minisign::SignatureBox::from_string(&sig) {
            Err(e) => v.differences.push(Difference::Signature(format!(
                "{SIGNATURE} unreadable: {e}"
            ))),
            Ok(sig) => {
                match minisign::verify(key, &sig, Cursor::new(&manifest), true, false, false) {
                    Ok(()) => v.trusted_comment = sig.trusted_comment().ok(),
                    Err(e) => v.differences.push(Difference::Signature(format!(
                        "the signature does not verify with this key: {e}"
                    ))),
                }
            }
        },
    }
    let listed = parse_manifest(&String::from_utf8_lossy(&manifest));
    v.files = listed.len();
    let mut named = BTreeSet::new();
    for (hash, path) in &listed {
        named.insert(path.clone());
        let full = dir.join(path);
        // A manifest could name `../x`; nothing outside the mirror is read.
        if Path::new(path)
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            v.differences.push(Difference::Changed(path.clone()));
            continue;
        }
        match std::fs::read(&full) {
            Ok(bytes) if unrest_store::sha256_hex(&bytes) == *hash => {}
            Ok(_) => v.differences.push(Difference::Changed(path.clone())),
            Err(_) => v.differences.push(Difference::Missing(path.clone())),
        }
    }
    let mut present = Vec::new();
    walk(dir, "", &mut present).map_err(|error| Error::Io {
        path: dir.to_path_buf(),
        error,
    })?;
    for p in present {
        if p != MANIFEST && p != SIGNATURE && !named.contains(&p) {
            v.differences.push(Difference::Extra(p));
        }
    }
    Ok(v)
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if entry.file_type()?.is_dir() {
            walk(&entry.path(), &rel, out)?;
        } else {
            out.push(rel);
        }
    }
    Ok(())
}
