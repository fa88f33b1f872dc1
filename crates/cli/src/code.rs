//! `unrest code` and `unrest bench`: reports in, events out.

use crate::input::{read_reports, InputError};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use unrest_coder::{Coder, Lang, Options};
use unrest_gazetteer::Gazetteer;
use unrest_model::{EventWriter, Format, Report};

#[derive(clap::Args)]
pub struct CodeArgs {
    /// Report files (.txt, .md: one report or document each; .jsonl: one report a line),
    /// directories (walked), or - for standard input.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output format: csv (ACLED's header, then ours), jsonl or geojson.
    #[arg(long, short, default_value = "csv")]
    pub format: String,
    /// The date relative dates resolve against (YYYY-MM-DD) for reports that carry none of
    /// their own (a JSONL line's reference_date wins over it); it wins over a dateline at
    /// the top of the document, which wins over today.
    #[arg(long)]
    pub reference_date: Option<String>,
    /// Report language: auto (per report), en or fa.
    #[arg(long, default_value = "auto")]
    pub lang: String,
    /// Extra places (neighbourhoods, landmarks): a TSV file of name, lat, lon, [city],
    /// [admin1], [kind], [alternate names separated by |].
    #[arg(long)]
    pub places: Option<PathBuf>,
}

/// The coder, with the user's places when given.
pub fn load_coder(places: Option<&PathBuf>) -> Result<Coder> {
    match places {
        None => Ok(Coder::new()),
        Some(path) => {
            let tsv = std::fs::read_to_string(path)
                .with_context(|| format!("reading places file {}", path.display()))?;
            let g = Gazetteer::embedded()
                .with_user_places(&tsv)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            Ok(Coder::with_gazetteer(g))
        }
    }
}

pub fn parse_date(s: &str, what: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| anyhow::anyhow!("{what} {s:?} is not a date in the form YYYY-MM-DD"))
}

/// Options for one report: the report's own reference date wins over the command line's,
/// which wins over a dateline (the coder looks for one only when neither is given), as in
/// `ingest`, the web form and imports.
pub fn options_for(
    report: &Report,
    reference: Option<NaiveDate>,
    lang: Lang,
    today: NaiveDate,
    timestamp: i64,
) -> Options {
    let own = report
        .reference_date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let lang = match (lang, report.lang.as_deref()) {
        (Lang::Auto, Some(l)) => l.parse().unwrap_or(Lang::Auto),
        (l, _) => l,
    };
    Options {
        reference: own.or(reference),
        today,
        lang,
        timestamp,
    }
}

pub fn run(args: CodeArgs) -> Result<ExitCode> {
    let format: Format = args.format.parse().map_err(anyhow::Error::msg)?;
    let lang: Lang = args.lang.parse().map_err(anyhow::Error::msg)?;
    let reference = args
        .reference_date
        .as_deref()
        .map(|d| parse_date(d, "--reference-date"))
        .transpose()?;
    let coder = load_coder(args.places.as_ref())?;
    let now = chrono::Utc::now();
    let today = now.date_naive();
    let timestamp = now.timestamp();
    let stdout = std::io::stdout().lock();
    let mut writer = EventWriter::new(format, BufWriter::new(stdout))?;
    let mut rejected = 0usize;
    let mut silence = Silence::default();
    for report in read_reports(&args.inputs) {
        match report {
            Ok(report) => {
                let options = options_for(&report, reference, lang, today, timestamp);
                let events = coder.code_with(&report, &options);
                silence.count(&coder, &report, &options, events.is_empty());
                for event in events {
                    writer.write(&event)?;
                }
            }
            Err(e) => {
                rejected += 1;
                report_error(&e);
            }
        }
    }
    writer.finish()?.flush()?;
    if silence.silent > 0 {
        eprintln!(
            "unrest: {} of {} reports gave no event ({} of them name a place the gazetteer knows)",
            silence.silent, silence.coded, silence.placed
        );
        if !silence.placed_ids.is_empty() {
            let more = silence.placed - silence.placed_ids.len();
            eprintln!(
                "unrest: reports that name a place and gave no event: {}{}",
                silence.placed_ids.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
    }
    if rejected > 0 {
        eprintln!("unrest: {rejected} input(s) rejected; the others were coded");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Reports that gave no event, so that none passes silently: a report that names a known
/// place and yields nothing is the coder's miss more often than a report of no event.
/// The first of them are named by id, for an analyst to look at.
#[derive(Default)]
struct Silence {
    coded: usize,
    silent: usize,
    placed: usize,
    placed_ids: Vec<String>,
}

/// How many reports that name a place and gave no event are named on stderr.
const SILENT_NAMED: usize = 20;

impl Silence {
    fn count(&mut self, coder: &Coder, report: &Report, options: &Options, no_event: bool) {
        self.coded += 1;
        if no_event {
            self.silent += 1;
            // As the coder reads places: other spellings count, a street or a place abroad
            // does not.
            if coder.names_a_place(report, options) {
                self.placed += 1;
                if self.placed_ids.len() < SILENT_NAMED {
                    self.placed_ids.push(
                        report
                            .id
                            .chars()
                            .filter(|c| !c.is_control())
                            .take(80)
                            .collect(),
                    );
                }
            }
        }
    }
}

fn report_error(e: &InputError) {
    eprintln!("unrest: {e}");
}

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BenchArgs {
    /// `store`: the public site, search, downloads and ingest on a large dataset instead.
    #[command(subcommand)]
    pub what: Option<BenchWhat>,
    /// How many reports to generate and code.
    #[arg(long, default_value_t = 20_000)]
    pub reports: usize,
    /// Print the generated corpus as JSON lines instead (for timing `unrest code` on it).
    #[arg(long)]
    pub emit: bool,
}

#[derive(clap::Subcommand)]
pub enum BenchWhat {
    /// Time the public site, search, downloads and ingest on SQLite and PostgreSQL over a
    /// generated dataset of `--events` events (built once, kept under target/bench).
    Store(crate::bench::StoreBenchArgs),
}

/// Codes a generated corpus on one thread and prints throughput.
pub fn bench(args: BenchArgs) -> Result<ExitCode> {
    if let Some(BenchWhat::Store(a)) = args.what {
        return crate::bench::store(a);
    }
    let coder = Coder::new();
    let reference = NaiveDate::from_ymd_opt(2022, 11, 30).expect("valid date");
    let corpus = unrest_coder::sample::corpus(args.reports);
    if args.emit {
        let mut out = BufWriter::new(std::io::stdout().lock());
        for r in &corpus {
            serde_json::to_writer(&mut out, r)?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    for lang in ["en", "fa"] {
        let reports: Vec<&Report> = corpus
            .iter()
            .filter(|r| r.lang.as_deref() == Some(lang))
            .collect();
        let bytes: usize = reports.iter().map(|r| r.text.len()).sum();
        let start = Instant::now();
        let mut events = 0;
        for r in &reports {
            events += coder.code(r, reference, Lang::Auto).len();
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{lang}: {} reports, {:.1} MB, {events} events in {secs:.2} s: {:.1} MB/s, {:.0} reports/s",
            reports.len(),
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / secs,
            reports.len() as f64 / secs
        );
    }
    Ok(ExitCode::SUCCESS)
}
