//! `unrest audit verify` and `unrest audit export`: the tamper-evident log of every change
//! to the dataset, checked in the database or in an exported file, and written out for an
//! outside reviewer. The format and what verification can and cannot find are documented in
//! `unrest_store::audit`.
//!
//! Exit status: 0 the log (and every report) is intact; 1 verification found tampering,
//! named on standard output; 2 the command could not run.

use crate::dataset::DbArgs;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use unrest_store::audit::{export_header, verify_export};
use unrest_store::{Anchor, Verification};

/// `unrest audit …`
#[derive(Args, Debug)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: AuditCommand,
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Walk the hash chain and re-hash every report; name the first entry edited, deleted,
    /// inserted or reordered, and every report whose bytes changed. Exit 1 on any finding.
    Verify(VerifyArgs),
    /// Write the log as JSON lines (a header line, then one entry a line) for a reviewer to
    /// verify without the database (`unrest audit verify --file`, or a few lines of Python).
    Export(ExportArgs),
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Verify an exported log instead of the database.
    #[arg(long, value_name = "FILE", conflicts_with = "db")]
    pub file: Option<PathBuf>,
    /// An entry that must still be in the log, as an earlier verify printed it (SEQ:HASH):
    /// catches a log rewritten from some entry on, or cut short.
    #[arg(long, value_name = "SEQ:HASH")]
    pub anchor: Option<Anchor>,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Write here instead of standard output; the file appears only when complete.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: AuditArgs) -> Result<ExitCode> {
    match args.command {
        AuditCommand::Verify(a) => verify(a),
        AuditCommand::Export(a) => export(a),
    }
}

/// How many report findings are listed before the rest are counted.
const LISTED: usize = 50;

fn verify(args: VerifyArgs) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let (what, v) = match &args.file {
        Some(path) => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            let v = verify_export(BufReader::new(file), args.anchor.as_ref())
                .with_context(|| format!("cannot read {}", path.display()))?;
            (path.display().to_string(), v)
        }
        None => {
            let mut store = args.db.open()?;
            let v = store.audit_verify(args.anchor.as_ref())?;
            (store.label().to_string(), v)
        }
    };
    print_verification(&what, &v, args.file.is_none());
    println!("verified in {:.1} s", started.elapsed().as_secs_f64());
    Ok(if v.is_intact() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_verification(what: &str, v: &Verification, with_reports: bool) {
    let reports = if with_reports {
        format!(
            ", {} reports re-hashed, {} events, users and places compared with the log",
            v.reports, v.rows
        )
    } else {
        String::new()
    };
    println!("audit log of {what}: {} entries{reports}", v.entries);
    if let Some((seq, hash)) = &v.head {
        println!("head {seq}:{hash}");
    }
    if v.is_intact() {
        println!(
            "intact: every entry chains from the one before it{}",
            if with_reports {
                ", every report's bytes give the SHA-256 logged on arrival, and every event, \
                 status, user and place is what the log last wrote"
            } else {
                ""
            }
        );
        if let Some((seq, hash)) = &v.head {
            println!(
                "keep the head to check this log later: unrest audit verify --anchor {seq}:{hash}"
            );
        }
        return;
    }
    println!("TAMPERED:");
    for f in v.findings.iter().take(LISTED) {
        println!("  {f}");
    }
    if v.findings.len() > LISTED {
        println!("  … and {} more", v.findings.len() - LISTED);
    }
}

fn export(args: ExportArgs) -> Result<ExitCode> {
    let mut store = args.db.open()?;
    let mut head = None;
    let mut write = |out: &mut dyn Write| -> Result<u64> {
        writeln!(out, "{}", export_header())?;
        let n = store.audit_entries::<anyhow::Error>(|e| {
            serde_json::to_writer(&mut *out, &e)?;
            out.write_all(b"\n")?;
            head = Some((e.seq, e.hash));
            Ok(())
        })?;
        out.flush()?;
        Ok(n)
    };
    let n = match &args.output {
        None => {
            let mut out = BufWriter::new(std::io::stdout().lock());
            write(&mut out)?
        }
        Some(path) => {
            let partial = partial_path(path);
            let written = (|| -> Result<u64> {
                let file = std::fs::File::create(&partial)
                    .with_context(|| format!("cannot create {}", partial.display()))?;
                let mut out = BufWriter::new(&file);
                let n = write(&mut out)?;
                drop(out);
                file.sync_all()?;
                std::fs::rename(&partial, path)
                    .with_context(|| format!("cannot move the export to {}", path.display()))?;
                Ok(n)
            })();
            if written.is_err() {
                let _ = std::fs::remove_file(&partial);
            }
            written?
        }
    };
    if let Some(path) = &args.output {
        eprintln!("unrest: {n} audit entries written to {}", path.display());
    }
    if let Some((seq, hash)) = head {
        eprintln!("unrest: head {seq}:{hash}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `log.jsonl` is written as `log.jsonl.partial` and renamed when complete.
fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}
