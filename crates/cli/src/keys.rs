//! `unrest keygen`: the organisation's sealing key. The secret goes to a file on the
//! analysts' offline machine (mode 0600, never overwritten); only the public key
//! (`age1…`) goes to the server, as `--seal-to`.
//!
//! `unrest keygen --sign`: the key that signs static mirrors (`unrest site build
//! --sign-key`), a minisign key pair; the public key (the last line printed) is what readers
//! check a mirror with, with `unrest site verify` or `minisign -V`.

use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct KeygenArgs {
    /// Where to write the secret file (refused if it exists). Default
    /// `unrest-identity.txt`, or `unrest-sign.key` with `--sign`.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Make the key that signs static mirrors instead of the sealing key.
    #[arg(long)]
    pub sign: bool,
}

pub fn keygen(args: KeygenArgs) -> Result<ExitCode> {
    let output = args.output.unwrap_or_else(|| {
        PathBuf::from(if args.sign {
            "unrest-sign.key"
        } else {
            "unrest-identity.txt"
        })
    });
    if output.exists() {
        bail!(
            "{} exists; unrest never overwrites a key (move it away first)",
            output.display()
        );
    }
    let (file, public) = if args.sign {
        let (secret, public) = unrest_site::sign::generate()?;
        (zeroize::Zeroizing::new(secret), public)
    } else {
        let pair = unrest_seal::generate_identity();
        (
            pair.identity_file(chrono::Utc::now()),
            pair.recipient.to_string(),
        )
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut out = options
        .open(&output)
        .with_context(|| format!("creating {}", output.display()))?;
    out.write_all(file.as_bytes())
        .and_then(|()| out.sync_all())
        .with_context(|| format!("writing {}", output.display()))?;
    eprintln!(
        "unrest: secret key written to {} — keep it offline, with the analysts",
        output.display()
    );
    println!("{public}");
    Ok(ExitCode::SUCCESS)
}
