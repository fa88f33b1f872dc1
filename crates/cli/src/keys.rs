//! `unrest keygen`: the organisation's sealing key. The secret goes to a file on the
//! analysts' offline machine (mode 0600, never overwritten); only the public key
//! (`age1…`) goes to the server, as `--seal-to`.

use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct KeygenArgs {
    /// Where to write the secret identity file (refused if it exists).
    #[arg(long, short, default_value = "unrest-identity.txt")]
    pub output: PathBuf,
}

pub fn keygen(args: KeygenArgs) -> Result<ExitCode> {
    if args.output.exists() {
        bail!(
            "{} exists; unrest never overwrites a key (move it away first)",
            args.output.display()
        );
    }
    let pair = unrest_seal::generate_identity();
    let file = pair.identity_file(chrono::Utc::now());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut out = options
        .open(&args.output)
        .with_context(|| format!("creating {}", args.output.display()))?;
    out.write_all(file.as_bytes())
        .and_then(|()| out.sync_all())
        .with_context(|| format!("writing {}", args.output.display()))?;
    eprintln!(
        "unrest: secret key written to {} — keep it offline, with the analysts",
        args.output.display()
    );
    println!("{}", pair.recipient);
    Ok(ExitCode::SUCCESS)
}
