//! `unrest cluster`, `merge`, `split`, `grade` and `grade-channel`: corroboration of the
//! dataset. `cluster` groups the stored events into incidents (`unrest_corroborate`, through
//! the store) and keeps the result in place of the last run's; the others record an analyst's
//! decision, which every later run applies — by report, date and place rather than by event
//! id, so it holds when the reports are re-coded.
//!
//! Exit status: 0 done; 1 an event id names no event; 2 the command could not run.

use crate::dataset::{DbArgs, FilterArgs};
use anyhow::{anyhow, bail, Result};
use chrono::Utc;
use clap::Args;
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;
use unrest_corroborate::{Decision, Params, Reliability};
use unrest_store::{Incident, Store};

/// `unrest cluster [filters]`
#[derive(Args, Debug)]
pub struct ClusterArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Which events to cluster; without --status, every event but the rejected ones. The
    /// run replaces the last one whole: events left out are then in no incident.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Also list the incidents backed by more than one report (all of them with --all).
    #[arg(long)]
    pub list: bool,
    /// With --list: every incident, single reports too.
    #[arg(long, requires = "list")]
    pub all: bool,
}

/// `unrest merge EVENT_A EVENT_B --as NAME`
#[derive(Args, Debug)]
pub struct MergeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// An event of the first incident (an id from `unrest events` or `unrest cluster --list`).
    pub a: i64,
    /// An event of the second incident.
    pub b: i64,
    /// Who decides, recorded with the decision and in the audit log.
    #[arg(long = "as", value_name = "NAME", required = true)]
    pub by: String,
}

/// `unrest split EVENT --as NAME`
#[derive(Args, Debug)]
pub struct SplitArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// The event to take out of its incident: it stands alone unless merged again.
    pub event: i64,
    #[arg(long = "as", value_name = "NAME", required = true)]
    pub by: String,
}

/// `unrest grade EVENT GRADE --as NAME`
#[derive(Args, Debug)]
pub struct GradeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// An event of the incident to grade.
    pub event: i64,
    /// Admiralty grade: source reliability A–F and information credibility 1–6, e.g. B2.
    pub grade: String,
    #[arg(long = "as", value_name = "NAME", required = true)]
    pub by: String,
}

/// `unrest grade-channel CHANNEL LETTER --as NAME`
#[derive(Args, Debug)]
pub struct GradeChannelArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// The channel as reports were ingested with it (`unrest ingest --channel`).
    pub channel: String,
    /// How reliable the channel has proved: A (completely) to E (unreliable), F cannot be judged.
    pub reliability: String,
    #[arg(long = "as", value_name = "NAME", required = true)]
    pub by: String,
}

pub fn cluster(args: ClusterArgs) -> Result<ExitCode> {
    let filter = args.filter.filter();
    let mut store = args.db.open()?;
    let start = Instant::now();
    // The whole dataset is grouped a period at a time (memory bounded by the largest
    // period); a filtered run loads its events at once.
    let (run, phases) = if filter.is_empty() {
        (
            store.cluster(&filter, &Params::default(), Utc::now())?,
            None,
        )
    } else {
        let input = store.cluster_input(&filter)?;
        let loaded = start.elapsed();
        let clustering = input.cluster(&Params::default());
        let clustered = start.elapsed() - loaded;
        let run = store.save_clusters(&input, &clustering, Utc::now())?;
        let saved = start.elapsed() - loaded - clustered;
        (run, Some((loaded, clustered, saved)))
    };

    println!(
        "{} of {} ({} independent) -> {}: {} backed by two or more sources, {} with conflicting fields, {} published",
        plural(run.events, "event"),
        plural(run.reports, "report"),
        run.sources,
        plural(run.clusters, "incident"),
        run.corroborated,
        run.with_conflicts,
        run.published,
    );
    println!(
        "analysts' decisions applied: {} of {}",
        run.decisions - run.unresolved.len(),
        run.decisions
    );
    for d in &run.unresolved {
        eprintln!(
            "unrest: decision {} ({} by {}, {}) names events no longer in the dataset; take it again",
            d.id,
            describe(&d.decision),
            d.decided_by,
            d.decided_at
        );
    }
    match phases {
        Some((loaded, clustered, saved)) => eprintln!(
            "unrest: {:.1} s (load {:.1} s, cluster {:.1} s, save {:.1} s)",
            start.elapsed().as_secs_f64(),
            loaded.as_secs_f64(),
            clustered.as_secs_f64(),
            saved.as_secs_f64()
        ),
        None => eprintln!("unrest: {:.1} s", start.elapsed().as_secs_f64()),
    }
    if args.list {
        match list(&mut store, args.all) {
            Err(e) if is_broken_pipe(&e) => {}
            other => other?,
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether an error is the reader of our output going away (`unrest cluster --list | head`).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// One line per incident: what an analyst needs to pick events to merge or split.
fn list(store: &mut Store, all: bool) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "\n{:>6}  {:<10}  {:<26}  {:<34}  {:>3}  {:>3}  {:<5}  {:<3}  members / conflicts",
        "id", "date", "location", "type", "src", "rep", "grade", "pub"
    )?;
    for c in store.incidents(None, None, false)? {
        if !all && c.report_count < 2 {
            continue;
        }
        writeln!(out, "{}", incident_line(&c))?;
    }
    out.flush()?;
    Ok(())
}

fn incident_line(c: &Incident) -> String {
    let e = &c.event.event;
    let members: Vec<String> = c.members.iter().map(i64::to_string).collect();
    let conflicts: Vec<String> = serde_json::from_str::<serde_json::Value>(&c.conflicts)
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|k| k.get("field").and_then(|f| f.as_str()).map(String::from))
        .collect();
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    format!(
        "{:>6}  {:<10}  {:<26}  {:<34}  {:>3}  {:>3}  {:<5}  {:<3}  {}{}",
        c.cluster_id,
        e.event_date,
        cut(&e.location, 26),
        cut(&e.sub_event_type, 34),
        c.source_count,
        c.report_count,
        format!("{}{}", c.grade, if c.graded_by_analyst { "*" } else { "" }),
        if c.published { "yes" } else { "" },
        members.join(","),
        if conflicts.is_empty() {
            String::new()
        } else {
            format!(" / {}", conflicts.join(","))
        }
    )
}

fn describe(d: &Decision) -> String {
    match d {
        Decision::Merge { a, b } => format!(
            "merge {} {} with {} {}",
            a.location, a.event_date, b.location, b.event_date
        ),
        Decision::Split { event } => format!("split {} {}", event.location, event.event_date),
        Decision::Grade { event, grade } => {
            format!("grade {} {} {grade}", event.location, event.event_date)
        }
        Decision::Publish { event, published } => format!(
            "{} {} {}",
            if *published { "publish" } else { "withdraw" },
            event.location,
            event.event_date
        ),
    }
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Records a decision naming events by id; exit 1 when an id names no event.
fn record(
    store: &mut Store,
    ids: &[i64],
    by: &str,
    make: impl FnOnce(Vec<unrest_corroborate::EventKey>) -> Decision,
) -> Result<ExitCode> {
    let mut keys = Vec::with_capacity(ids.len());
    for &id in ids {
        match store.event_key(id)? {
            Some(k) => keys.push(k),
            None => {
                eprintln!("unrest: no event with id {id}");
                return Ok(ExitCode::from(1));
            }
        }
    }
    let decision = make(keys);
    let id = store.decide(&decision, by, Utc::now())?;
    println!(
        "decision {id}: {} (by {}); `unrest cluster` or `unrest digest` applies it",
        describe(&decision),
        by.trim()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn merge(args: MergeArgs) -> Result<ExitCode> {
    if args.a == args.b {
        bail!("name two different events to merge");
    }
    let mut store = args.db.open()?;
    record(&mut store, &[args.a, args.b], &args.by, |mut k| {
        let b = k.pop().expect("two keys");
        let a = k.pop().expect("two keys");
        Decision::Merge { a, b }
    })
}

pub fn split(args: SplitArgs) -> Result<ExitCode> {
    let mut store = args.db.open()?;
    record(&mut store, &[args.event], &args.by, |mut k| {
        Decision::Split {
            event: k.pop().expect("one key"),
        }
    })
}

pub fn grade(args: GradeArgs) -> Result<ExitCode> {
    let grade = unrest_store::parse_grade(&args.grade)?;
    let mut store = args.db.open()?;
    record(&mut store, &[args.event], &args.by, |mut k| {
        Decision::Grade {
            event: k.pop().expect("one key"),
            grade,
        }
    })
}

pub fn grade_channel(args: GradeChannelArgs) -> Result<ExitCode> {
    let letter = args.reliability.trim();
    let reliability = (letter.chars().count() == 1)
        .then(|| letter.chars().next().and_then(Reliability::from_letter))
        .flatten()
        .ok_or_else(|| anyhow!("not a reliability: {letter:?} (expected a letter A-F)"))?;
    let mut store = args.db.open()?;
    let n = store.grade_channel(&args.channel, reliability, &args.by, Utc::now())?;
    println!(
        "channel {} graded {} by {}: {}",
        args.channel.trim(),
        reliability.letter(),
        args.by.trim(),
        plural(n as usize, "report")
    );
    Ok(ExitCode::SUCCESS)
}
