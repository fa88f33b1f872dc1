//! `unrest digest`: what an organisation publishes about a period, from the dataset. The
//! events are clustered first (with every analyst's decision), so the digest counts
//! incidents, not reports; only published incidents dated within the period appear, each
//! as its canonical event with its grade and number of independent sources, written by
//! `unrest_digest` as Markdown or HTML. PDF is that HTML printed by headless Chromium.
//!
//! Exit status: 0 written; 2 the command could not run (nothing is left at `--output`).

use crate::dataset::DbArgs;
use anyhow::{anyhow, bail, Context, Result};
use chrono::{NaiveDate, Utc};
use clap::Args;
use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};
use unrest_corroborate::Params;
use unrest_digest::{DigestEvent, DigestFormat, DigestInput, Lang};
use unrest_gazetteer::Gazetteer;
use unrest_store::Filter;

/// `unrest digest --from D --to D --format html|md|pdf`
#[derive(Args, Debug)]
pub struct DigestArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// First day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: NaiveDate,
    /// Last day of the period, included.
    #[arg(long, value_name = "DATE")]
    pub to: NaiveDate,
    /// md, html (one self-contained page) or pdf (the html printed by Chromium).
    #[arg(long, default_value = "html")]
    pub format: String,
    /// en, or fa (Persian, right to left, Solar Hijri dates).
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Write here; the file appears only when complete. Standard output when absent
    /// (not for pdf).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The heading; the language's default title when absent.
    #[arg(long)]
    pub title: Option<String>,
    /// Use the clusters of the last `unrest cluster` as they are, without clustering again.
    #[arg(long)]
    pub no_cluster: bool,
}

/// Where Chromium is looked for, in order, when `UNREST_CHROMIUM` does not say.
const CHROMIUMS: [&str; 4] = ["chromium", "chromium-browser", "google-chrome", "chrome"];

/// How long a PDF may take to print before Chromium is given up on.
const PRINT_TIMEOUT: Duration = Duration::from_secs(120);

pub fn run(args: DigestArgs) -> Result<ExitCode> {
    if args.from > args.to {
        bail!(
            "the period is empty: --from {} is after --to {}",
            args.from,
            args.to
        );
    }
    let lang: Lang = args.lang.parse().map_err(|e: String| anyhow!(e))?;
    let pdf = args.format == "pdf";
    let format = if pdf {
        DigestFormat::Html
    } else {
        args.format
            .parse::<DigestFormat>()
            .map_err(|e| anyhow!(e))?
    };
    let chromium = if pdf {
        if args.output.is_none() {
            bail!("a PDF digest needs --output FILE");
        }
        Some(find_chromium()?)
    } else {
        None
    };

    let mut store = args.db.open()?;
    if !args.no_cluster {
        let run = store.cluster(&Filter::default(), &Params::default(), Utc::now())?;
        for d in &run.unresolved {
            eprintln!(
                "unrest: decision {} by {} names events no longer in the dataset; take it again",
                d.id, d.decided_by
            );
        }
    }
    let incidents = store.incidents(Some(args.from), Some(args.to), true)?;
    let events: Vec<DigestEvent> = incidents
        .into_iter()
        .map(|c| {
            unrest_web::mirror::digest_event(
                c,
                match lang {
                    Lang::Fa => unrest_web::mirror::Lang::Fa,
                    Lang::En => unrest_web::mirror::Lang::En,
                },
            )
        })
        .collect();
    let digest = DigestInput {
        from: args.from,
        to: args.to,
        lang,
        title: args.title.clone(),
        place_names: match lang {
            Lang::Fa => Gazetteer::embedded().persian_names(),
            Lang::En => HashMap::new(),
        },
        events,
        audit_head: store.audit_head()?,
    };
    let totals = unrest_digest::summary(&digest).total;

    match (&args.output, chromium) {
        (None, _) => {
            let mut out = BufWriter::new(std::io::stdout().lock());
            unrest_digest::render(&digest, format, &mut out)?;
            out.flush()?;
        }
        (Some(path), None) => write_atomically(path, |out| {
            unrest_digest::render(&digest, format, &mut &mut *out)?;
            Ok(())
        })?,
        (Some(path), Some(chromium)) => print_pdf(&chromium, &digest, path)?,
    }
    eprintln!(
        "unrest: digest {} to {}: {} incidents, {} killed, {} injured, {} arrested{}",
        args.from,
        args.to,
        totals.events,
        totals.fatalities,
        totals.injuries,
        totals.arrests,
        args.output
            .as_ref()
            .map(|p| format!("; written to {}", p.display()))
            .unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes `path` through a `.partial` file renamed when complete.
fn write_atomically(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let partial = sibling(path, ".partial");
    let done = (|| -> Result<()> {
        let file = std::fs::File::create(&partial)
            .with_context(|| format!("cannot create {}", partial.display()))?;
        let mut out = BufWriter::new(&file);
        write(&mut out)?;
        out.flush()?;
        drop(out);
        file.sync_all()?;
        std::fs::rename(&partial, path)
            .with_context(|| format!("cannot move the digest to {}", path.display()))
    })();
    if done.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    done
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// The Chromium to print with: `UNREST_CHROMIUM`, else the first of [`CHROMIUMS`] on PATH.
fn find_chromium() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("UNREST_CHROMIUM").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        if p.is_file() {
            return Ok(p);
        }
        bail!("UNREST_CHROMIUM names {}, which is not a file", p.display());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in CHROMIUMS {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    bail!(
        "a PDF digest is printed by Chromium, which is not installed: run scripts/chromium-install.sh \
         (or set UNREST_CHROMIUM to a Chromium or Chrome binary), or write --format html"
    )
}

/// Whether this process runs as root, where Chromium refuses to start without
/// `--no-sandbox`.
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

/// Renders the HTML into a private temporary directory and has Chromium print it to `path`.
fn print_pdf(chromium: &Path, digest: &DigestInput, path: &Path) -> Result<()> {
    let dir = std::env::temp_dir().join(format!(
        "unrest-digest-{}-{}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    std::fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let result = (|| -> Result<()> {
        let html = dir.join("digest.html");
        let mut out = BufWriter::new(std::fs::File::create(&html)?);
        unrest_digest::render(digest, DigestFormat::Html, &mut out)?;
        out.flush()?;
        drop(out);
        let printed = dir.join("digest.pdf");
        let mut args =
            unrest_digest::print_to_pdf_args(&html.to_string_lossy(), &printed.to_string_lossy());
        // A profile of its own, so a browser the user has open does not take the job.
        args.insert(
            0,
            format!("--user-data-dir={}", dir.join("profile").display()),
        );
        if running_as_root() {
            args.insert(0, "--no-sandbox".into());
        }
        // Chromium talks a lot on stderr; a file, not a pipe nobody reads while it runs.
        let log = dir.join("chromium.log");
        let mut child = Command::new(chromium)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log)?)
            .spawn()
            .with_context(|| format!("cannot start {}", chromium.display()))?;
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if start.elapsed() > PRINT_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                bail!(
                    "{} did not print the digest within {} s",
                    chromium.display(),
                    PRINT_TIMEOUT.as_secs()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let size = std::fs::metadata(&printed).map(|m| m.len()).unwrap_or(0);
        if !status.success() || size == 0 {
            let err = std::fs::read_to_string(&log).unwrap_or_default();
            let last: Vec<&str> = err.lines().rev().take(5).collect();
            bail!(
                "{} could not print the digest ({status}): {}",
                chromium.display(),
                last.into_iter().rev().collect::<Vec<_>>().join(" | ")
            );
        }
        let bytes = std::fs::read(&printed)?;
        write_atomically(path, |out| Ok(out.write_all(&bytes)?))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
