//! The dataset commands: `ingest`, `events`, `export`, `import-acled` and `publish`,
//! `verify`, `reject`. Each is one function taking its parsed arguments and returning the
//! exit status (0 all went well, 1 some input was skipped or some id not found, 2 via `Err`:
//! the command could not run; 130 when interrupted).
//!
//! This module is the edge: it reads the clock, the environment, the terminal and Ctrl-C,
//! and hands plain values to unrest-store. It knows how to call the coder but not how it
//! codes, and what to ask the store but not how it stores.
//!
//! Acknowledgement rule: a report or event is counted (on the progress bar or in the
//! summary) only after the store has returned from the transaction that wrote it.

use anyhow::{anyhow, Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use unrest_coder::{Coder, Lang, Options};
use unrest_model::{Corroboration, Event, EventWriter, Format, InterCodes, Report};
use unrest_store::{BBox, Coding, Filter, NewReport, Page, Status, Store, StoredEvent};

/// The environment variable naming the dataset when `--db` does not.
pub const DATABASE_ENV: &str = "UNREST_DATABASE_URL";

/// Where the dataset lives.
#[derive(Args, Debug, Clone, Default)]
pub struct DbArgs {
    /// The dataset: a file path, sqlite:PATH, or postgres://USER[:PASSWORD]@HOST[:PORT]/DB.
    /// Default: $UNREST_DATABASE_URL, else unrest.db in the working directory.
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
}

impl DbArgs {
    /// `--db`, else the environment, else the default file.
    pub fn url(&self) -> String {
        self.db
            .clone()
            .or_else(|| {
                std::env::var(DATABASE_ENV)
                    .ok()
                    .filter(|s| !s.trim().is_empty())
            })
            .unwrap_or_else(|| unrest_store::DEFAULT_DATABASE.to_string())
    }

    pub fn open(&self) -> Result<Store> {
        Ok(Store::open(&self.url())?)
    }
}

/// The events a command is about; the same flags for `events`, `export` and the status
/// commands.
#[derive(Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// Events on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<NaiveDate>,
    /// Events on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<NaiveDate>,
    /// Province (ACLED's admin1), any case.
    #[arg(long, value_name = "PROVINCE")]
    pub admin1: Option<String>,
    /// Event type or sub-event type, any case: "Protests", "Excessive force against protesters".
    #[arg(long = "type", value_name = "TYPE")]
    pub event_type: Option<String>,
    /// Only these statuses: coded, verified, published, rejected (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "STATUS")]
    pub status: Vec<Status>,
    /// Only events inside this box, in degrees.
    #[arg(
        long,
        value_name = "MINLON,MINLAT,MAXLON,MAXLAT",
        allow_hyphen_values = true
    )]
    pub bbox: Option<BBox>,
    /// Words, as a phrase, in the event's notes or its report's text (English or Persian).
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

impl FilterArgs {
    pub fn filter(&self) -> Filter {
        Filter {
            from: self.from,
            to: self.to,
            admin1: self.admin1.clone(),
            event_type: self.event_type.clone(),
            status: self.status.clone(),
            bbox: self.bbox,
            search: self.search.clone(),
            public: false,
        }
    }
}

/// `unrest ingest PATHS…`
#[derive(Args, Debug, Clone)]
pub struct IngestArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Report files (.txt, .md, .jsonl), directories, or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// How these reports came in, stored with each.
    #[arg(long, default_value = "cli")]
    pub channel: String,
    /// Language rules for reports that do not say: auto, en or fa.
    #[arg(long, default_value = "auto")]
    pub lang: Lang,
    /// Reference date for reports that carry none (YYYY-MM-DD). Default: a dateline at the
    /// top of the report, else the day it is received.
    #[arg(long, value_name = "DATE")]
    pub reference_date: Option<NaiveDate>,
    /// Also re-code reports coded by another coder version (analysts' edits, and events
    /// no longer `coded`, are kept).
    #[arg(long)]
    pub recode: bool,
    /// Reports per transaction.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub batch: u32,
}

/// `unrest events [filters]`
#[derive(Args, Debug, Clone)]
pub struct EventsArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// table (for reading, with event ids), csv, jsonl or geojson.
    #[arg(long, default_value = "table")]
    pub format: String,
    /// At most this many events.
    #[arg(long)]
    pub limit: Option<u64>,
    /// Skip this many first.
    #[arg(long, default_value_t = 0)]
    pub offset: u64,
    /// Start after the event with this id (the next page after a previous listing).
    #[arg(long, value_name = "ID")]
    pub after: Option<i64>,
    /// The events of each report as coded, instead of one row per incident.
    #[arg(long)]
    pub reports: bool,
    #[command(flatten)]
    pub inter_codes: InterCodesArg,
}

/// `unrest export --format csv > file`
#[derive(Args, Debug, Clone)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Which events; without --status, every event but the rejected ones.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// csv (ACLED's header, then ours), jsonl or geojson.
    #[arg(long, default_value = "csv")]
    pub format: Format,
    /// Write here instead of standard output; the file appears only when complete.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The events of each report as coded, instead of one row per incident.
    #[arg(long)]
    pub reports: bool,
    #[command(flatten)]
    pub inter_codes: InterCodesArg,
}

/// `--inter-codes`, the same for `events` and `export` (and `inter_codes=` of the web app's
/// CSV download).
#[derive(Args, Debug, Clone)]
pub struct InterCodesArg {
    /// ACLED's actor-type columns (inter1, inter2, interaction) in CSV: as text ("State
    /// forces-Protesters", ACLED's files since 2023) or as the numbers of its older files
    /// (16), so that rows imported from such a file go back as they came.
    #[arg(long, value_name = "text|numbers", default_value = "text", value_parser = ["text", "numbers"])]
    pub inter_codes: String,
}

impl InterCodesArg {
    pub fn get(&self) -> InterCodes {
        match self.inter_codes.as_str() {
            "numbers" => InterCodes::Numbers,
            _ => InterCodes::Text,
        }
    }
}

/// `unrest import-acled FILE`
#[derive(Args, Debug, Clone)]
pub struct ImportAcledArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// An ACLED CSV export (current text header or the older numeric one).
    pub file: PathBuf,
    /// Status of the imported events. Default coded: an import is not published until an
    /// analyst says so (`--status published` when it should be).
    #[arg(long, default_value = "coded")]
    pub status: Status,
    /// Only the rows of this country (ACLED's `country`, any case); the others are counted
    /// and left out.
    #[arg(long, value_name = "NAME")]
    pub country: Option<String>,
    /// Who imports them, recorded with each event.
    #[arg(long = "as", value_name = "NAME", default_value = "import-acled")]
    pub by: String,
}

/// `unrest publish|verify|reject [IDS…] [filters] --as NAME`
#[derive(Args, Debug, Clone)]
pub struct StatusArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Event ids (as in `unrest events`); with filters, only those that match.
    #[arg(value_name = "ID")]
    pub ids: Vec<i64>,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Who is making the change, recorded with each event.
    #[arg(long = "as", value_name = "NAME", required = true)]
    pub by: String,
}

// ---- interruption -----------------------------------------------------------------------

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// After the first Ctrl-C the running command stops once its current batch has committed;
/// a second one exits at once (the open transaction is rolled back by the database).
pub(crate) fn watch_interrupt() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if INTERRUPTED.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    });
}

pub(crate) fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

// ---- progress ---------------------------------------------------------------------------

/// A spinner with counts on a terminal; nothing when stderr is not one.
fn progress() -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let pb = ProgressBar::with_draw_target(None, target);
    pb.set_style(
        ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

/// Prints a warning without tearing the progress bar.
fn warn(pb: &ProgressBar, msg: impl std::fmt::Display) {
    pb.suspend(|| eprintln!("unrest: {msg}"));
}

// ---- ingest -----------------------------------------------------------------------------

/// The coder as the store sees it.
pub(crate) struct CoderStep {
    pub coder: Coder,
    pub version: String,
    pub lang: Lang,
    /// Written into ACLED's `timestamp`: when these events were coded.
    pub now: DateTime<Utc>,
}

impl Coding for CoderStep {
    fn version(&self) -> &str {
        &self.version
    }

    fn code(&mut self, report: &Report, received_at: DateTime<Utc>) -> Vec<Event> {
        let lang = report
            .lang
            .as_deref()
            .and_then(|l| l.parse().ok())
            .unwrap_or(self.lang);
        let options = Options {
            reference: report
                .reference_date
                .as_deref()
                .and_then(|d| d.parse().ok()),
            today: received_at.date_naive(),
            lang,
            timestamp: self.now.timestamp(),
        };
        self.coder.code_with(report, &options)
    }
}

/// The version stored with each coded report. The coder is built with the binary, so the
/// binary's version names it; a coder change ships in a new version, and `--recode` finds
/// the reports an older one coded.
pub fn coder_version() -> String {
    format!("unrest {}", env!("CARGO_PKG_VERSION"))
}

#[derive(Default)]
struct IngestTally {
    new: u64,
    duplicate: u64,
    coded: u64,
    events: u64,
    skipped: u64,
}

impl IngestTally {
    fn message(&self) -> String {
        format!(
            "{} reports stored, {} already there, {} coded from earlier runs; {} events",
            self.new, self.duplicate, self.coded, self.events
        )
    }
}

/// Stores, codes and commits one batch; counts it only once committed.
fn ingest_batch(
    store: &mut Store,
    coder: &mut CoderStep,
    batch: &mut Vec<NewReport>,
    tally: &mut IngestTally,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let done = store.ingest(batch, coder)?;
    batch.clear();
    for d in done {
        match d {
            unrest_store::Ingested::New { events, .. } => {
                tally.new += 1;
                tally.events += events as u64;
            }
            unrest_store::Ingested::Coded { events, .. } => {
                tally.coded += 1;
                tally.events += events as u64;
            }
            unrest_store::Ingested::Duplicate { .. } => tally.duplicate += 1,
        }
    }
    Ok(())
}

/// `unrest ingest`: store the reports, code them, store their events. Finishes first what
/// an interrupted run left uncoded; with `--recode`, re-codes what an older coder coded.
pub fn ingest(args: IngestArgs) -> Result<ExitCode> {
    let mut store = args.db.open()?;
    watch_interrupt();
    let pb = progress();
    let mut coder = CoderStep {
        coder: Coder::new(),
        version: coder_version(),
        lang: args.lang,
        now: Utc::now(),
    };
    let mut tally = IngestTally::default();
    let batch_size = args.batch as usize;

    while !interrupted() {
        let (reports, events) = store.code_pending(&mut coder, args.recode, batch_size)?;
        if reports == 0 {
            break;
        }
        tally.coded += reports as u64;
        tally.events += events as u64;
        pb.set_message(tally.message());
    }

    let lang_name = match args.lang {
        Lang::Auto => None,
        Lang::En => Some("en"),
        Lang::Fa => Some("fa"),
    };
    let mut batch = Vec::with_capacity(batch_size);
    for item in crate::input::read_reports(&args.paths) {
        if interrupted() {
            break;
        }
        match item {
            Ok(mut report) => {
                if report.reference_date.is_none() {
                    report.reference_date = args.reference_date.map(|d| d.to_string());
                }
                if report.lang.is_none() {
                    report.lang = lang_name.map(str::to_string);
                }
                batch.push(NewReport {
                    report,
                    received_at: Utc::now(),
                    channel: args.channel.clone(),
                });
                if batch.len() >= batch_size {
                    ingest_batch(&mut store, &mut coder, &mut batch, &mut tally)?;
                    pb.set_message(tally.message());
                }
            }
            Err(e) => {
                tally.skipped += 1;
                warn(&pb, e);
            }
        }
    }
    // What was read before an interruption is committed too: it is one short batch.
    ingest_batch(&mut store, &mut coder, &mut batch, &mut tally)?;
    // The new events join their incidents (or start them): once, after every batch.
    if tally.new + tally.coded > 0 {
        store.corroborate(Utc::now())?;
    }
    pb.finish_and_clear();

    println!("{}", tally.message());
    if interrupted() {
        eprintln!("unrest: interrupted; everything counted above is stored. Run the same command again to continue.");
        return Ok(ExitCode::from(130));
    }
    if tally.skipped > 0 {
        eprintln!(
            "unrest: {} inputs could not be read (see above)",
            tally.skipped
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

// ---- events and export ------------------------------------------------------------------

/// Whether an error is the reader of our output going away (`unrest events | head`).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// One line per event for people: the id to publish by, then what the event is.
fn table_row(
    out: &mut impl Write,
    e: &StoredEvent,
    c: Option<&Corroboration>,
) -> std::io::Result<()> {
    let notes: String = e.event.notes.chars().take(70).collect();
    let more = if e.event.notes.chars().count() > 70 {
        "…"
    } else {
        ""
    };
    let place = if e.event.location.is_empty() {
        &e.event.admin1
    } else {
        &e.event.location
    };
    let sources = c.map(|c| format!("{:>3}  ", c.source_count));
    writeln!(
        out,
        "{:>7}  {:<9}  {}  {:<34}  {:<24}  {:>3}  {}{notes}{more}",
        e.id,
        e.status.as_str(),
        e.event.event_date,
        e.event.sub_event_type,
        place,
        e.event.fatalities,
        sources.unwrap_or_default(),
    )
}

/// The rows a listing shows: the published unit (incidents) or each report's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rows {
    Incidents,
    Reports,
}

/// Streams the rows of a filter and page to `each`: per incident, its record and its
/// corroboration; per report's event, its record alone.
fn each_row(
    store: &mut Store,
    rows: Rows,
    filter: &Filter,
    page: &Page,
    mut each: impl FnMut(&StoredEvent, Option<&Corroboration>) -> Result<()>,
) -> Result<u64> {
    match rows {
        Rows::Incidents => store.stream_incidents::<anyhow::Error>(filter, page, true, |i| {
            each(&i.stored, Some(&i.corroboration))
        }),
        Rows::Reports => store.events::<anyhow::Error>(filter, page, |mut e| {
            // A report's name can be the path it was read from, which can name a source.
            e.event.report = report_name(&e.event.report);
            each(&e, None)
        }),
    }
}

/// A report's name as an export may carry it: without the directories of a file path.
fn report_name(name: &str) -> String {
    name.rsplit(['/', '\\']).next().unwrap_or(name).to_string()
}

/// Streams the rows of a filter and page to `out` in `format` (None: the table).
fn write_events(
    store: &mut Store,
    rows: Rows,
    filter: &Filter,
    page: &Page,
    format: Option<Format>,
    inter_codes: InterCodes,
    out: impl Write,
) -> Result<(u64, Option<i64>)> {
    let mut last = None;
    let n;
    match format {
        None => {
            let mut out = out;
            writeln!(
                out,
                "{:>7}  {:<9}  {:<10}  {:<34}  {:<24}  {:>3}  {}notes",
                "id",
                "status",
                "date",
                "type",
                "location",
                "fat",
                if rows == Rows::Incidents { "src  " } else { "" }
            )?;
            n = each_row(store, rows, filter, page, |e, c| {
                last = Some(e.id);
                Ok(table_row(&mut out, e, c)?)
            })?;
            out.flush()?;
        }
        Some(format) => {
            let mut w = EventWriter::new(format, out)?.with_inter_codes(inter_codes);
            n = each_row(store, rows, filter, page, |e, c| {
                last = Some(e.id);
                Ok(w.write_with(&e.event, c)?)
            })?;
            w.finish()?;
        }
    }
    Ok((n, last))
}

/// `unrest events`: the events matching the filters, on standard output.
pub fn events(args: EventsArgs) -> Result<ExitCode> {
    let format = match args.format.as_str() {
        "table" => None,
        other => Some(other.parse::<Format>().map_err(|e| anyhow!(e))?),
    };
    let filter = args.filter.filter();
    let page = Page {
        order: unrest_store::Order::Date,
        limit: args.limit,
        offset: args.offset,
        after: args.after,
    };
    let mut store = args.db.open()?;
    let stdout = std::io::stdout().lock();
    let rows = if args.reports {
        Rows::Reports
    } else {
        Rows::Incidents
    };
    match write_events(
        &mut store,
        rows,
        &filter,
        &page,
        format,
        args.inter_codes.get(),
        BufWriter::new(stdout),
    ) {
        Ok((n, last)) => {
            if args.limit == Some(n) && n > 0 && std::io::stderr().is_terminal() {
                if let Some(last) = last {
                    eprintln!(
                        "unrest: {n} shown; more may match: add --after {last} for the next page"
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e),
    }
}

/// `unrest export`: the dataset (without rejected events unless `--status` says) as
/// ACLED CSV, JSON lines or GeoJSON, streamed in constant memory.
pub fn export(args: ExportArgs) -> Result<ExitCode> {
    let mut filter = args.filter.filter();
    if filter.status.is_empty() {
        filter.status = vec![Status::Coded, Status::Verified, Status::Published];
    }
    let mut store = args.db.open()?;
    // In the order events were added: successive exports differ only at the end and where
    // events changed, and reading in storage order is twice as fast as by date.
    let page = Page {
        order: unrest_store::Order::Id,
        ..Default::default()
    };
    let rows = if args.reports {
        Rows::Reports
    } else {
        Rows::Incidents
    };
    let inter_codes = args.inter_codes.get();
    match &args.output {
        None => {
            let stdout = std::io::stdout().lock();
            match write_events(
                &mut store,
                rows,
                &filter,
                &page,
                Some(args.format),
                inter_codes,
                BufWriter::new(stdout),
            ) {
                Ok(_) => Ok(ExitCode::SUCCESS),
                Err(e) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
                Err(e) => Err(e),
            }
        }
        Some(path) => {
            let partial = partial_path(path);
            let written = (|| -> Result<u64> {
                let file = std::fs::File::create(&partial)
                    .with_context(|| format!("cannot create {}", partial.display()))?;
                let (n, _) = write_events(
                    &mut store,
                    rows,
                    &filter,
                    &page,
                    Some(args.format),
                    inter_codes,
                    BufWriter::new(&file),
                )?;
                file.sync_all()?;
                std::fs::rename(&partial, path)
                    .with_context(|| format!("cannot move the export to {}", path.display()))?;
                Ok(n)
            })();
            match written {
                Ok(n) => {
                    eprintln!("unrest: {n} events written to {}", path.display());
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&partial);
                    Err(e.context(format!(
                        "export to {} failed; nothing was written there",
                        path.display()
                    )))
                }
            }
        }
    }
}

/// `out.csv` is written as `out.csv.partial` and renamed when complete.
fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

// ---- import-acled -----------------------------------------------------------------------

/// `unrest import-acled FILE`: the rows of an ACLED CSV as events of the dataset. Rows it
/// cannot read are reported by line and skipped; a row whose ACLED id is already imported
/// is not imported again.
pub fn import_acled(args: ImportAcledArgs) -> Result<ExitCode> {
    let name = args.file.display().to_string();
    let file = std::fs::File::open(&args.file).with_context(|| format!("cannot open {name}"))?;
    let rows = unrest_store::acled::read(std::io::BufReader::new(file))
        .map_err(|e| anyhow!("{name}: {e}"))?;
    let mut store = args.db.open()?;
    watch_interrupt();
    let pb = progress();
    let (mut inserted, mut duplicates, mut skipped, mut other) = (0usize, 0usize, 0usize, 0usize);
    let mut batch: Vec<Event> = Vec::with_capacity(1000);
    let mut commit = |store: &mut Store, batch: &mut Vec<Event>| -> Result<()> {
        if !batch.is_empty() {
            let done = store.import_events(batch, args.status, &args.by, Utc::now())?;
            batch.clear();
            inserted += done.inserted;
            duplicates += done.duplicates;
            pb.set_message(format!(
                "{inserted} events imported, {duplicates} already there"
            ));
        }
        Ok(())
    };
    for row in rows {
        match row {
            Ok(event) => {
                if let Some(c) = &args.country {
                    if !event.country.trim().eq_ignore_ascii_case(c.trim()) {
                        other += 1;
                        continue;
                    }
                }
                batch.push(event);
                if batch.len() >= 1000 {
                    commit(&mut store, &mut batch)?;
                    if interrupted() {
                        break;
                    }
                }
            }
            Err(e) => {
                skipped += 1;
                warn(&pb, format!("{name}:{}: skipped: {}", e.line, e.reason));
            }
        }
    }
    if !interrupted() {
        commit(&mut store, &mut batch)?;
    }
    if inserted > 0 {
        store.corroborate(Utc::now())?;
    }
    pb.finish_and_clear();
    println!(
        "{} imported from {name} as {}; {duplicates} already in the dataset; {} skipped{}",
        plural(inserted, "event"),
        args.status,
        plural(skipped, "row"),
        match &args.country {
            Some(c) => format!(
                "; {} of other countries than {c} left out",
                plural(other, "row")
            ),
            None => String::new(),
        }
    );
    if interrupted() {
        eprintln!("unrest: interrupted; run the same command again to continue (imported rows are not imported twice)");
        return Ok(ExitCode::from(130));
    }
    Ok(if skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

// ---- status -----------------------------------------------------------------------------

/// `unrest publish|verify|reject`: sets the status of the events named by ids and/or
/// filters, recording who and when.
pub fn set_status(status: Status, args: StatusArgs) -> Result<ExitCode> {
    let filter = args.filter.filter();
    let mut store = args.db.open()?;
    let change = store.set_status(&args.ids, &filter, status, &args.by, Utc::now())?;
    println!(
        "{} {status} by {}",
        plural(change.changed as usize, "event"),
        args.by.trim()
    );
    if !change.missing.is_empty() {
        let ids: Vec<String> = change.missing.iter().map(i64::to_string).collect();
        eprintln!("unrest: no event with id {}", ids.join(", "));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn publish(args: StatusArgs) -> Result<ExitCode> {
    set_status(Status::Published, args)
}

pub fn verify(args: StatusArgs) -> Result<ExitCode> {
    set_status(Status::Verified, args)
}

pub fn reject(args: StatusArgs) -> Result<ExitCode> {
    set_status(Status::Rejected, args)
}
