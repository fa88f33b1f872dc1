//! `unrest unseal`: the analysts' side of sealed mode. Reads the sealed submissions a
//! server holds, opens them with the organisation's identity on this (offline) machine,
//! and ingests them into the analysts' own dataset, where they are coded as `unrest ingest`
//! codes. On the server it marks them pulled and writes nothing else: the plaintext never
//! goes back.
//!
//! Each opened submission becomes a report named `sealed-<SHA-256 of its ciphertext>` (so
//! `unrest push` can tell the server which receipts became published events); a follow-up
//! becomes a follow-up of that report; the scrubbed photos are kept beside it.
//!
//! `unrest push`: the way back. Copies the verified and published events of the local
//! dataset to the server for publication, without what could lead to a reporter: the
//! evidence spans (the reporter's words) and the report names are dropped; the notes are
//! the coder's, generated from the fields. A published event from a sealed report marks
//! that submission used on the server, so its receipt says so.

use crate::dataset::{coder_version, CoderStep};
use anyhow::{bail, Context, Result};
use chrono::{NaiveDate, Utc};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use unrest_coder::{Coder, Lang};
use unrest_model::Report;
use unrest_seal::{SealError, SealedSubmission, Submission};
use unrest_store::{Ingested, NewReport, SealedRow, Store};
use zeroize::{Zeroize, Zeroizing};

/// The report name a sealed submission is ingested under.
pub const SEALED_PREFIX: &str = "sealed-";

#[derive(clap::Args)]
pub struct UnsealArgs {
    /// The server's dataset, holding the sealed submissions (`postgres://…` or a SQLite file).
    #[arg(long, value_name = "URL")]
    pub db: String,
    /// The organisation's identity file (`AGE-SECRET-KEY-1…`, from `unrest keygen`).
    #[arg(long, value_name = "FILE")]
    pub identity: PathBuf,
    /// The analysts' local dataset to ingest into.
    #[arg(long, value_name = "URL", default_value = unrest_store::DEFAULT_DATABASE)]
    pub into: String,
    /// Also open the submissions pulled before (they are ingested only once: duplicates are
    /// recognised by their text).
    #[arg(long)]
    pub again: bool,
    /// Who pulls, as recorded in the server's audit log.
    #[arg(long = "as", value_name = "NAME", default_value = "analyst")]
    pub by: String,
}

#[derive(Default)]
struct Tally {
    reports: u64,
    followups: u64,
    photos: u64,
    events: u64,
    failed: u64,
}

pub fn unseal(args: UnsealArgs) -> Result<ExitCode> {
    let text = Zeroizing::new(
        std::fs::read_to_string(&args.identity)
            .with_context(|| format!("reading the identity file {}", args.identity.display()))?,
    );
    let identity = unrest_seal::parse_identity_file(&text)
        .with_context(|| format!("{}", args.identity.display()))?;
    drop(text);

    let mut server = Store::open(&args.db).context("opening the server's dataset")?;
    let rows = server.sealed_submissions(args.again)?;
    if rows.is_empty() {
        eprintln!("unrest: no sealed submissions to pull");
        return Ok(ExitCode::SUCCESS);
    }
    let mut local = Store::open(&args.into).context("opening the local dataset")?;
    let mut coder = CoderStep {
        coder: Coder::new(),
        version: coder_version(),
        lang: Lang::Auto,
        now: Utc::now(),
    };
    // Server id → local report id, for follow-ups.
    let mut local_ids: HashMap<i64, i64> = HashMap::new();
    let mut pulled = Vec::new();
    let mut tally = Tally::default();
    let mut wrong_key = 0;
    for row in &rows {
        let mut submission = match open_row(row, &identity) {
            Ok(s) => s,
            Err(e) => {
                if matches!(e, SealError::WrongIdentity) {
                    wrong_key += 1;
                }
                eprintln!("unrest: sealed submission {}: {e}", row.id);
                tally.failed += 1;
                continue;
            }
        };
        let done = ingest_one(
            &mut server,
            &mut local,
            &mut coder,
            &identity,
            row,
            &submission,
            &mut local_ids,
            &mut tally,
        );
        submission.zeroize();
        done.with_context(|| format!("sealed submission {}", row.id))?;
        pulled.push(row.id);
    }
    // The opened reports' events join their incidents in the local dataset.
    if tally.reports > 0 {
        local.corroborate(Utc::now())?;
    }
    server.mark_sealed_pulled(&pulled, &args.by, Utc::now())?;
    eprintln!(
        "unrest: {} sealed submissions opened into {}: {} reports ({} events), {} follow-ups, {} photos; marked pulled on the server",
        pulled.len(),
        args.into,
        tally.reports,
        tally.events,
        tally.followups,
        tally.photos
    );
    if wrong_key as usize == rows.len() {
        bail!(
            "none of the {} sealed submissions opens with {}: it is not the key they were sealed to (the server's --seal-to is another key)",
            rows.len(),
            args.identity.display()
        );
    }
    Ok(if tally.failed > 0 {
        eprintln!(
            "unrest: {} sealed submissions did not open and stay unpulled",
            tally.failed
        );
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn open_row(row: &SealedRow, identity: &unrest_seal::Identity) -> Result<Submission, SealError> {
    SealedSubmission {
        sha256_of_ciphertext: row.sha256.clone(),
        ciphertext: row.ciphertext.clone(),
    }
    .open(identity)
}

/// The report text of a submission: its place and date as a dateline, as the open server
/// writes it.
fn report_text(s: &Submission) -> String {
    let date = s
        .date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    unrest_web::report_text(&s.text, s.place.as_deref(), date)
}

#[allow(clippy::too_many_arguments)]
fn ingest_one(
    server: &mut Store,
    local: &mut Store,
    coder: &mut CoderStep,
    identity: &unrest_seal::Identity,
    row: &SealedRow,
    submission: &Submission,
    local_ids: &mut HashMap<i64, i64>,
    tally: &mut Tally,
) -> Result<()> {
    let parent = match row.followup_of {
        None => None,
        Some(of) => match local_ids.get(&of) {
            Some(id) => Some(*id),
            // Pulled in an earlier run: found by its text, which this machine can read.
            None => match server.sealed_submission(of)? {
                Some(first) => {
                    let mut first = open_row(&first, identity)?;
                    let mut text = Zeroizing::new(report_text(&first));
                    first.zeroize();
                    let found = local.find_report(&unrest_store::sha256_hex(text.as_bytes()))?;
                    text.zeroize();
                    found
                }
                None => None,
            },
        },
    };
    if let Some(report_id) = parent {
        local.add_followup(report_id, &submission.text, submission.received_at)?;
        tally.followups += 1;
        local_ids.insert(row.id, report_id);
        return Ok(());
    }
    let new = NewReport {
        report: Report {
            id: format!("{SEALED_PREFIX}{}", row.sha256),
            text: report_text(submission),
            reference_date: None,
            lang: submission.lang.clone(),
        },
        received_at: submission.received_at,
        channel: "web".into(),
    };
    let done = local.ingest(std::slice::from_ref(&new), coder)?;
    let mut new = new;
    new.report.text.zeroize();
    let report_id = match done.first() {
        Some(Ingested::New { report_id, events }) | Some(Ingested::Coded { report_id, events }) => {
            tally.reports += 1;
            tally.events += *events as u64;
            *report_id
        }
        Some(Ingested::Duplicate { report_id }) => *report_id,
        None => bail!("the store ingested nothing"),
    };
    for a in &submission.attachments {
        local.add_media(report_id, &a.media_type, &a.bytes)?;
        tally.photos += 1;
    }
    local_ids.insert(row.id, report_id);
    Ok(())
}

#[derive(clap::Args)]
pub struct PushArgs {
    /// The analysts' local dataset.
    #[arg(long, value_name = "URL", default_value = unrest_store::DEFAULT_DATABASE)]
    pub from: String,
    /// The server's dataset.
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// Who publishes, as recorded in the server's history and audit log.
    #[arg(long = "as", value_name = "NAME")]
    pub by: String,
}

/// An event as it may leave the analysts' machine: no evidence, no report name, and an
/// id that names the local event when the coder left it blank.
fn redacted(stored: &unrest_store::StoredEvent) -> unrest_model::Event {
    let mut e = stored.event.clone();
    e.evidence.clear();
    e.report.clear();
    if e.event_id_cnty.trim().is_empty() {
        e.event_id_cnty = format!("IRN-L{}", stored.id);
    }
    e
}

pub fn push(args: PushArgs) -> Result<ExitCode> {
    use unrest_store::{Filter, Page, Status};
    let mut local = Store::open(&args.from).context("opening the local dataset")?;
    let mut server = Store::open(&args.to).context("opening the server's dataset")?;
    let now = Utc::now();
    let mut used = Vec::new();
    let mut pushed = (0, 0);
    for status in [Status::Verified, Status::Published] {
        let filter = Filter {
            status: vec![status],
            ..Default::default()
        };
        let mut stored = Vec::new();
        local.events::<unrest_store::Error>(&filter, &Page::default(), |e| {
            stored.push(e);
            Ok(())
        })?;
        let events: Vec<_> = stored.iter().map(redacted).collect();
        let done = server.import_events(&events, status, &args.by, now)?;
        pushed.0 += done.inserted;
        pushed.1 += done.duplicates;
        if status == Status::Published {
            for report_id in stored.iter().filter_map(|e| e.report_id) {
                if let Some(r) = local.report(report_id)? {
                    if let Some(sha) = r.report.id.strip_prefix(SEALED_PREFIX) {
                        used.push(sha.to_string());
                    }
                }
            }
        }
    }
    if pushed.0 > 0 {
        server.corroborate(now)?;
    }
    used.sort();
    used.dedup();
    let mut receipts = 0;
    for sha in &used {
        receipts += u64::from(server.mark_sealed_used(sha)?);
    }
    eprintln!(
        "unrest: {} events pushed to the server ({} were there already); {} sealed submissions marked used",
        pushed.0, pushed.1, receipts
    );
    Ok(ExitCode::SUCCESS)
}
