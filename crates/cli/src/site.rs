//! `unrest site build` and `unrest site verify`: the public site as signed static files (a
//! mirror), and the check anyone can run on a copy of it. What a mirror holds is documented
//! in `unrest_site`.
//!
//! Exit status of `verify`: 0 the signature holds and every file is the manifest's; 1 some
//! file differs (each named on standard output); 2 the command could not run.

use crate::dataset::DbArgs;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// `unrest site …`
#[derive(Args, Debug)]
pub struct SiteArgs {
    #[command(subcommand)]
    pub command: SiteCommand,
}

#[derive(Subcommand, Debug)]
pub enum SiteCommand {
    /// Write (or bring up to date) the public site as static files in DIR: map, list, a page
    /// per published event, monthly digests, downloads and the API as JSON files, English and
    /// Persian. Only files whose bytes changed are written.
    Build(BuildArgs),
    /// Check a mirror: the manifest's signature with the organisation's public key, then
    /// every file. Names each file that differs; exit 1 if any does.
    Verify(VerifyArgs),
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Sign the manifest with this secret key (`unrest keygen --sign`, or minisign's own).
    #[arg(long, value_name = "FILE")]
    pub sign_key: Option<PathBuf>,
    pub dir: PathBuf,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    pub dir: PathBuf,
    /// The public key: its base64 text (the last line `unrest keygen --sign` prints) or a
    /// minisign `.pub` file.
    #[arg(long)]
    pub key: String,
}

pub fn run(args: SiteArgs) -> Result<ExitCode> {
    match args.command {
        SiteCommand::Build(a) => build(a),
        SiteCommand::Verify(a) => verify(a),
    }
}

fn build(args: BuildArgs) -> Result<ExitCode> {
    let key = args
        .sign_key
        .as_deref()
        .map(unrest_site::SigningKey::from_file)
        .transpose()?;
    let mut store = args.db.open()?;
    let started = std::time::Instant::now();
    let built = unrest_site::build(&mut store, &args.dir, key.as_ref())
        .with_context(|| format!("building the site in {}", args.dir.display()))?;
    eprintln!(
        "unrest: {} events, {} monthly digests: {} files, {} written, {} removed, in {:.2} s{}",
        built.events,
        built.months,
        built.files,
        built.written,
        built.removed,
        started.elapsed().as_secs_f64(),
        if built.signed {
            ", signed"
        } else {
            ", not signed"
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn verify(args: VerifyArgs) -> Result<ExitCode> {
    let key = unrest_site::sign::public_key(&args.key)?;
    let v = unrest_site::verify(&args.dir, &key)
        .with_context(|| format!("verifying {}", args.dir.display()))?;
    for d in &v.differences {
        println!("{d}");
    }
    if v.differences.is_empty() {
        println!(
            "ok: {} files match the signed manifest ({})",
            v.files,
            v.trusted_comment.as_deref().unwrap_or("")
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("unrest: {} differences", v.differences.len());
        Ok(ExitCode::from(1))
    }
}
