//! A killed ingest loses no acknowledged report and leaves no half-written event.
//!
//! The test binary re-runs itself as the child (`crash_child`, a no-op unless the parent set
//! `UNREST_CRASH_CHILD_DB`): the child ingests batches forever, acknowledging each report by
//! a line in a file only after its batch's transaction returned. The parent SIGKILLs it
//! mid-run and checks the database against the acknowledgements.

use super::support::{LineCoder, TestDb};
use std::io::{BufRead, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use unrest_store::{Ingested, NewReport, Store};

const BATCH: usize = 40;
const EVENTS_PER_REPORT: usize = 3;

/// Report `n` of the endless deterministic stream, with its three events.
fn report(n: usize) -> NewReport {
    let mut text = format!("Report number {n}: crowds gathered.\n");
    for k in 0..EVENTS_PER_REPORT {
        text.push_str(&format!(
            "@2022-10-{:02};Tehran;51.{n:04};35.{k};Protests;Peaceful protest;event {k} of report {n}\n",
            1 + (n + k) % 28
        ));
    }
    super::support::new_report(&format!("r{n}"), &text)
}

#[test]
fn crash_child() {
    let (Ok(url), Ok(acks)) = (
        std::env::var("UNREST_CRASH_CHILD_DB"),
        std::env::var("UNREST_CRASH_CHILD_ACKS"),
    ) else {
        return; // not the child: nothing to do
    };
    let mut store = Store::open(&url).unwrap();
    let mut coder = LineCoder::new("v1");
    let mut acks = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(acks)
        .unwrap();
    for b in 0..100_000 {
        let batch: Vec<NewReport> = (b * BATCH..(b + 1) * BATCH).map(report).collect();
        store.ingest(&batch, &mut coder).unwrap();
        // Acknowledged only now, after the commit.
        for r in &batch {
            writeln!(
                acks,
                "{}",
                unrest_store::sha256_hex(r.report.text.as_bytes())
            )
            .unwrap();
        }
        acks.flush().unwrap();
    }
}

fn kill_mid_ingest_then_resume(db: &TestDb) {
    // Schema first, so the child spends its life ingesting.
    drop(db.open());
    let dir = tempfile::tempdir().unwrap();
    let acks_path = dir.path().join("acks");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash::crash_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("UNREST_CRASH_CHILD_DB", &db.url)
        .env("UNREST_CRASH_CHILD_ACKS", &acks_path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let acked = |path: &std::path::Path| -> Vec<String> {
        std::fs::File::open(path)
            .map(|f| {
                std::io::BufReader::new(f)
                    .lines()
                    .map_while(Result::ok)
                    .collect()
            })
            .unwrap_or_default()
    };
    let started = Instant::now();
    while acked(&acks_path).len() < 5 * BATCH {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the child never got going"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the child died by itself"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // Somewhere inside a later batch.
    std::thread::sleep(Duration::from_millis(u64::from(
        started.elapsed().subsec_nanos() % 50,
    )));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let acks = acked(&acks_path);
    let mut store = db.open();
    for sha in &acks {
        assert!(
            store.find_report(sha).unwrap().is_some(),
            "acknowledged report {sha} lost"
        );
    }
    let counts = store.counts().unwrap();
    assert!(counts.reports as usize >= acks.len());
    assert_eq!(
        counts.reports as usize % BATCH,
        0,
        "a half batch was committed"
    );
    assert_eq!(
        counts.events,
        counts.reports * EVENTS_PER_REPORT as u64,
        "a report without all its events"
    );
    assert_eq!(counts.uncoded_reports, 0);
    for e in super::support::all_events(&mut store) {
        let report = e.report_id.expect("every event has its report");
        assert!(
            store.report(report).unwrap().is_some(),
            "event {} without its report",
            e.id
        );
    }

    // Resume: the same stream again, a little further. Nothing is stored twice.
    let stored = counts.reports as usize;
    let more = stored + 2 * BATCH;
    let batch: Vec<NewReport> = (0..more).map(report).collect();
    let done = store.ingest(&batch, &mut LineCoder::new("v1")).unwrap();
    assert_eq!(
        done.iter()
            .filter(|d| matches!(d, Ingested::Duplicate { .. }))
            .count(),
        stored
    );
    assert_eq!(
        done.iter()
            .filter(|d| matches!(d, Ingested::New { .. }))
            .count(),
        2 * BATCH
    );
    let counts = store.counts().unwrap();
    assert_eq!(counts.reports as usize, more);
    assert_eq!(counts.events, (more * EVENTS_PER_REPORT) as u64);
}

#[test]
fn a_killed_ingest_loses_no_acknowledged_report_sqlite() {
    kill_mid_ingest_then_resume(&TestDb::sqlite());
}

#[test]
fn a_killed_ingest_loses_no_acknowledged_report_postgres() {
    kill_mid_ingest_then_resume(&TestDb::postgres());
}
