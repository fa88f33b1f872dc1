//! Sealing: encrypting reports to the organisation's age (X25519) key so that a seized
//! server holds no report.
//!
//! The server is given only a [`Recipient`] (the public key, `age1…`); the analysts keep the
//! [`Identity`] (the secret key, `AGE-SECRET-KEY-1…`) offline. On arrival a report and its
//! photos become one [`Submission`], which is serialised *inside* the encryption (so the
//! place, the date and the file names are sealed too) and stored as a [`SealedSubmission`]:
//! the ciphertext and its SHA-256, nothing else.
//!
//! Files are in the binary age v1 format (<https://age-encryption.org/v1>), not armored:
//! they live in database blobs where armor would only add a third to their size, and the
//! standard `age` tool reads both (`age -d -i key.txt report.age`).
//!
//! What this crate must not know: no database, no HTTP, no files (callers hand it bytes,
//! readers and writers), no clock (the time of arrival and of key creation are arguments),
//! and no logging. Its errors never quote a secret key or a byte of plaintext.
//!
//! Secrets are zeroized where the crate holds them: the X25519 secret keys (inside age), a
//! new key's text ([`KeyPair::secret`]), the identity file text it writes, and the buffer a
//! submission is decrypted into. Plaintext handed to us by the caller, and the
//! [`Submission`] we hand back, are the caller's to clear ([`Submission`] implements
//! [`Zeroize`]).

use std::fmt;
use std::io::{self, BufReader, Read, Write};

use age::armor::ArmoredReader;
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

mod submission;

pub use submission::{
    open_submission, padded_len, seal_submission, seal_submission_to_writer, Attachment,
    SealedSubmission, Submission, MIN_PADDED, SUBMISSION_FORMAT,
};

/// Why sealing or opening failed. Messages name what is wrong and what to do; none quotes a
/// secret key or any plaintext.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    #[error("not an age public key: {reason}")]
    BadRecipient { reason: String },
    /// `line` is 1-based. The line itself is never quoted: it may be a secret key.
    #[error("identity file, line {line}: {reason}")]
    BadIdentityFile { line: usize, reason: String },
    #[error("the identity file holds no key (expected a line starting with AGE-SECRET-KEY-1, as written by `unrest keygen` or `age-keygen`)")]
    NoIdentity,
    #[error(
        "this file was not sealed to this identity: wrong key (or a key of another organisation)"
    )]
    WrongIdentity,
    #[error("not a sealed (age) file: {0}")]
    NotSealed(&'static str),
    #[error("the sealed file is damaged, truncated or was altered: {0}")]
    Damaged(String),
    #[error("the ciphertext's SHA-256 is {found}, but {expected} was recorded when it arrived: the stored file was altered or swapped")]
    DigestMismatch { expected: String, found: String },
    #[error("the sealed file opened, but it is not an unrest submission: {0}")]
    NotASubmission(String),
    #[error("i/o error while sealing or opening: {0}")]
    Io(#[from] io::Error),
}

/// The organisation's public key (`age1…`): what the server is given in sealed mode. Knowing
/// it lets one seal, never open.
#[derive(Clone, PartialEq, Eq)]
pub struct Recipient(age::x25519::Recipient);

impl Recipient {
    /// Parses `age1…`, with surrounding whitespace allowed (it is often pasted).
    pub fn parse(s: &str) -> Result<Recipient, SealError> {
        let s = s.trim();
        if s.starts_with("AGE-SECRET-KEY-") {
            // Never echo it: someone pasted the secret where the public key belongs.
            return Err(SealError::BadRecipient {
                reason: "this is a SECRET key; give the server only the public key (age1…), and treat this secret as exposed if it was pasted anywhere".into(),
            });
        }
        if !s.starts_with("age1") {
            return Err(SealError::BadRecipient {
                reason: format!(
                    "{:?} does not start with age1{EXPECTED_RECIPIENT}",
                    shorten(s)
                ),
            });
        }
        age::x25519::Recipient::from_str(s)
            .map(Recipient)
            .map_err(|why| SealError::BadRecipient {
                reason: format!("{:?}: {why}{EXPECTED_RECIPIENT}", shorten(s)),
            })
    }
}

const EXPECTED_RECIPIENT: &str =
    " (expected one line like age1…, as printed by `unrest keygen` or `age-keygen -y`)";

/// Shortens a public string for an error message.
fn shorten(s: &str) -> String {
    const MAX: usize = 70;
    match s.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_string(),
    }
}

impl FromStr for Recipient {
    type Err = SealError;
    fn from_str(s: &str) -> Result<Recipient, SealError> {
        Recipient::parse(s)
    }
}

impl fmt::Display for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Recipient({})", self.0)
    }
}

/// Parses the organisation's public key (`age1…`).
pub fn parse_recipient(s: &str) -> Result<Recipient, SealError> {
    Recipient::parse(s)
}

/// The organisation's secret key or keys: what opens sealed files. Several keys after a key
/// rotation (one per line in the identity file); a file opens if any of them fits.
///
/// The keys are zeroized when this is dropped. It has no `Display`, and its `Debug` shows
/// only the public keys.
#[derive(Clone)]
pub struct Identity {
    keys: Vec<age::x25519::Identity>,
}

impl Identity {
    /// The public keys that files must be sealed to for this identity to open them.
    pub fn recipients(&self) -> Vec<Recipient> {
        self.keys.iter().map(|k| Recipient(k.to_public())).collect()
    }

    fn as_age(&self) -> impl Iterator<Item = &dyn age::Identity> {
        self.keys.iter().map(|k| k as &dyn age::Identity)
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("recipients", &self.recipients())
            .finish_non_exhaustive()
    }
}

/// Parses an identity file in the standard age format: one `AGE-SECRET-KEY-1…` per line,
/// blank lines and `#` comments allowed (what `unrest keygen` and `age-keygen` write).
///
/// Refuses, with the line number but never the line: public keys given where the secret is
/// expected, SSH keys and plugin identities (unrest uses only X25519 keys), a
/// passphrase-encrypted identity file (decrypt it with `age -d` first), and mangled keys.
pub fn parse_identity_file(text: &str) -> Result<Identity, SealError> {
    if text.starts_with("age-encryption.org/") || text.starts_with("-----BEGIN AGE ENCRYPTED FILE")
    {
        return Err(SealError::BadIdentityFile {
            line: 1,
            reason: "this identity file is itself encrypted (with a passphrase); decrypt it with `age -d` to a safe place first".into(),
        });
    }
    let mut keys = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |reason: &str| SealError::BadIdentityFile {
            line: i + 1,
            reason: reason.to_string(),
        };
        if line.starts_with("age1") {
            return Err(bad(
                "this is a public key (age1…); opening needs the secret key (AGE-SECRET-KEY-1…)",
            ));
        }
        if line.starts_with("AGE-PLUGIN-") {
            return Err(bad("plugin identities (hardware keys) are not supported; use an X25519 key from `unrest keygen`"));
        }
        if line.starts_with("ssh-") || line.starts_with("-----BEGIN") {
            return Err(bad(
                "SSH keys are not supported; use an X25519 key from `unrest keygen`",
            ));
        }
        // Compared in place: an uppercased copy of the line would be an unzeroized secret.
        let prefix = "AGE-SECRET-KEY-1";
        if !line
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        {
            return Err(bad(
                "not a key: expected AGE-SECRET-KEY-1…, a # comment or a blank line",
            ));
        }
        let key = age::x25519::Identity::from_str(line).map_err(|why| {
            bad(&format!(
                "the secret key is damaged ({why}); was it copied whole?"
            ))
        })?;
        keys.push(key);
    }
    if keys.is_empty() {
        return Err(SealError::NoIdentity);
    }
    Ok(Identity { keys })
}

/// A newly made key: the secret for the analysts, the public key for the server.
pub struct KeyPair {
    /// `AGE-SECRET-KEY-1…`. Zeroized on drop.
    pub secret: Zeroizing<String>,
    /// `age1…`: the `--seal-to` of the server.
    pub recipient: Recipient,
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyPair")
            .field("secret", &"<redacted>")
            .field("recipient", &self.recipient)
            .finish()
    }
}

impl KeyPair {
    /// The identity file to save (mode 0600, on the analysts' machine only), in the format
    /// `age-keygen` writes and `age -d -i` reads. `created` is the time of creation (this
    /// crate reads no clock).
    pub fn identity_file(&self, created: DateTime<Utc>) -> Zeroizing<String> {
        let mut file = Zeroizing::new(String::with_capacity(256)); // never reallocated: no stray copy
        file.push_str("# created: ");
        file.push_str(&created.to_rfc3339_opts(SecondsFormat::Secs, true));
        file.push_str("\n# public key: ");
        file.push_str(&self.recipient.to_string());
        file.push('\n');
        file.push_str(&self.secret);
        file.push('\n');
        file
    }

    /// The identity that opens what is sealed to [`KeyPair::recipient`].
    pub fn identity(&self) -> Identity {
        parse_identity_file(&self.secret).expect("a key we just made parses")
    }
}

/// Makes a new X25519 key from the operating system's random source.
pub fn generate_identity() -> KeyPair {
    let key = age::x25519::Identity::generate();
    let secret = Zeroizing::new(key.to_string().expose_secret().to_string());
    KeyPair {
        secret,
        recipient: Recipient(key.to_public()),
    }
}

/// Lowercase hex SHA-256, the form the store keeps.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    let mut s = String::with_capacity(digest.len() * 2);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Seals `plaintext` to `recipient`: binary age v1. The same plaintext gives different bytes
/// each time (a fresh file key and nonce), so ciphertexts cannot be compared to guess
/// contents.
pub fn seal(recipient: &Recipient, plaintext: &[u8]) -> Vec<u8> {
    let mut writer = seal_to_writer(recipient, Vec::with_capacity(plaintext.len() + 256))
        .expect("writing to a Vec cannot fail");
    writer
        .write_all(plaintext)
        .expect("writing to a Vec cannot fail");
    writer
        .finish()
        .expect("writing to a Vec cannot fail")
        .output
}

/// Opens what [`seal`] (or `age -r`, armored or not) made. The whole file is authenticated before anything
/// is returned: a damaged or altered file gives an error, never partial plaintext.
pub fn open(identity: &Identity, ciphertext: &[u8]) -> Result<Vec<u8>, SealError> {
    let mut reader = open_reader(identity, ciphertext)?;
    let mut plaintext = Vec::with_capacity(ciphertext.len());
    match reader.read_to_end(&mut plaintext) {
        Ok(_) => Ok(plaintext),
        Err(e) => {
            plaintext.zeroize();
            Err(payload_error(e))
        }
    }
}

/// A writer that seals what is written to it, for attachments too large to hold twice.
/// Nothing is sealed until [`SealWriter::finish`] is called: dropping it unfinished leaves
/// a truncated file that will not open.
pub struct SealWriter<W: Write> {
    stream: age::stream::StreamWriter<DigestWriter<W>>,
}

/// What a finished [`SealWriter`] gives back.
#[derive(Debug)]
pub struct Finished<W> {
    pub output: W,
    /// Lowercase hex SHA-256 of every ciphertext byte written, header included: the same as
    /// [`sha256_hex`] of the whole file, computed on the way out.
    pub sha256_of_ciphertext: String,
}

impl<W: Write> SealWriter<W> {
    /// Writes the last chunk and returns the output with the ciphertext's SHA-256.
    pub fn finish(self) -> Result<Finished<W>, SealError> {
        let digest_writer = self.stream.finish()?;
        Ok(Finished {
            sha256_of_ciphertext: hex(&digest_writer.hasher.finalize()),
            output: digest_writer.inner,
        })
    }
}

impl<W: Write> Write for SealWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

struct DigestWriter<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Write for DigestWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Starts sealing to `output`: write the plaintext into the returned writer, then
/// [`SealWriter::finish`]. Plaintext passes through in 64 KiB chunks; none reaches `output`
/// or a temporary file.
pub fn seal_to_writer<W: Write>(
    recipient: &Recipient,
    output: W,
) -> Result<SealWriter<W>, SealError> {
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient.0 as &dyn age::Recipient))
            .expect("one X25519 recipient is always a valid set");
    let stream = encryptor.wrap_output(DigestWriter {
        inner: output,
        hasher: Sha256::new(),
    })?;
    Ok(SealWriter { stream })
}

/// A reader of the plaintext of a sealed file. Each 64 KiB chunk is authenticated before it
/// is handed out, and truncation is detected at the end; a read error at any point means the
/// whole file is untrustworthy and what was read so far must be thrown away.
pub struct OpenReader<R: Read> {
    stream: age::stream::StreamReader<ArmoredReader<BufReader<R>>>,
}

impl<R: Read> Read for OpenReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read(buf)
    }
}

/// Starts opening a sealed file read from `input`. The header is read and the key checked
/// here (so a wrong key is [`SealError::WrongIdentity`] at once); the payload is decrypted
/// as it is read. Read errors from the returned reader can be turned into a [`SealError`]
/// with [`SealError::from_read`].
///
/// Both the binary and the armored (`-----BEGIN AGE ENCRYPTED FILE-----`) forms are read,
/// as `age -d` does.
pub fn open_reader<R: Read>(identity: &Identity, input: R) -> Result<OpenReader<R>, SealError> {
    let input = ArmoredReader::new(input);
    let decryptor = age::Decryptor::new_buffered(input).map_err(decrypt_error)?;
    let stream = decryptor
        .decrypt(identity.as_age())
        .map_err(decrypt_error)?;
    Ok(OpenReader { stream })
}

impl SealError {
    /// Names a read error of an [`OpenReader`]: the payload failing authentication or ending
    /// early is [`SealError::Damaged`].
    pub fn from_read(e: io::Error) -> SealError {
        payload_error(e)
    }
}

fn payload_error(e: io::Error) -> SealError {
    match e.kind() {
        io::ErrorKind::InvalidData => {
            SealError::Damaged(format!("the payload failed authentication ({e})"))
        }
        io::ErrorKind::UnexpectedEof => SealError::Damaged("the file ends too early".into()),
        _ => SealError::Io(e),
    }
}

fn decrypt_error(e: age::DecryptError) -> SealError {
    use age::DecryptError as D;
    match e {
        D::NoMatchingKeys => SealError::WrongIdentity,
        D::InvalidHeader => SealError::NotSealed("the age header is missing or malformed"),
        D::UnknownFormat => SealError::NotSealed("an unknown age version or not an age file"),
        D::InvalidMac => SealError::Damaged("the header's MAC does not match".into()),
        D::DecryptionFailed | D::KeyDecryptionFailed => {
            SealError::Damaged("decryption failed".into())
        }
        D::ExcessiveWork { .. } => SealError::NotSealed(
            "this file was sealed with a passphrase, not to the organisation's key",
        ),
        D::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            SealError::NotSealed("the file ends inside the age header")
        }
        D::Io(e) if e.kind() == io::ErrorKind::InvalidData => {
            SealError::NotSealed("the armor (-----BEGIN AGE ENCRYPTED FILE-----) is malformed")
        }
        D::Io(e) => SealError::Io(e),
    }
}
