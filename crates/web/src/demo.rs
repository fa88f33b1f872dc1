//! `unrest serve --demo`: an empty dataset is filled with generated sample reports (English
//! and Persian, from `unrest_coder::sample`), coded, and their events published, so that a
//! newcomer sees a populated map at once. A `demo` admin is created with a random password,
//! printed once. A dataset that already holds reports is left as it is.

use crate::error::AppError;
use crate::{auth, AppState};
use chrono::{Duration, Utc};
use unrest_store::Role;
use unrest_store::{Filter, NewReport, Status};

/// How many sample reports the demo codes.
const REPORTS: usize = 400;

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let counts = state.db.run(|s| Ok(s.counts()?)).await?;
    if counts.reports > 0 {
        eprintln!("unrest: --demo: the dataset already holds reports; nothing added");
        return Ok(());
    }
    let coder = state
        .coder
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let password = crate::security::hex(&crate::security::random_bytes::<8>());
    let hash = auth::hash_password(&password).map_err(|e| anyhow::anyhow!(e.message()))?;
    let (events, published) = state
        .db
        .run(move |s| {
            let now = Utc::now();
            // Spread the reports over the last 60 days, so that relative dates ("yesterday",
            // "Saturday") land on many days and the timeline has a shape.
            let batch: Vec<NewReport> = unrest_coder::sample::corpus(REPORTS)
                .into_iter()
                .enumerate()
                .map(|(i, mut report)| {
                    report.id = format!("demo-{i}");
                    NewReport {
                        report,
                        received_at: now - Duration::hours((i as i64 * 60 * 24) / REPORTS as i64),
                        channel: "demo".into(),
                    }
                })
                .collect();
            let done = s.ingest(&batch, &mut coder.step(now))?;
            let events: usize = done
                .iter()
                .map(|d| match d {
                    unrest_store::Ingested::New { events, .. }
                    | unrest_store::Ingested::Coded { events, .. } => *events,
                    unrest_store::Ingested::Duplicate { .. } => 0,
                })
                .sum();
            let filter = Filter {
                status: vec![Status::Coded],
                ..Filter::default()
            };
            let changed = s.set_status(&[], &filter, Status::Published, "demo", now)?;
            Ok::<_, AppError>((events, changed.changed))
        })
        .await?;
    eprintln!(
        "unrest: --demo: {REPORTS} sample reports coded into {events} events, {published} published"
    );
    let made = state
        .db
        .run(move |s| Ok(s.put_user("demo", Role::Admin, &hash, "demo", Utc::now())?))
        .await;
    match made {
        Ok(_) => eprintln!("unrest: --demo: analyst login: demo / {password}"),
        Err(e) => eprintln!("unrest: --demo: no demo login: {e}"),
    }
    Ok(())
}
