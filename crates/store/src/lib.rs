//! The dataset: every report received and every event coded from it, in SQLite (one file,
//! the default) or PostgreSQL (a shared server), through one [`Store`].
//!
//! - **Reports** are kept with their exact text bytes, SHA-256, when they were received,
//!   their channel, reference date and language. Ingest is idempotent on the SHA-256.
//! - **Events** keep the full record (ACLED's columns, ours, the evidence as JSON), the link
//!   to their report, a review [`Status`], who changed them last and when, and whether an
//!   analyst edited them. Re-coding a report replaces only events still `coded` and unedited.
//! - **Crash safety**: a report and its events are written in one transaction, many reports
//!   a transaction; a caller acknowledges a report only after [`Store::ingest`] returns, i.e.
//!   after the commit. A report stored but not coded (`coded_with` NULL) is coded by the next
//!   [`Store::code_pending`].
//! - **Audit**: every change to reports and events (arrival, coding, status, edits,
//!   imports), channel grades and analysts' decisions appends an entry to a hash-chained log
//!   in the same transaction ([`audit`]).
//! - **Corroboration**: per report a source fingerprint and a channel grade, analysts'
//!   decisions, and the clusters of the last run (`clusters`, see [`Store::cluster`]).
//! - **Queries** are parameterised SQL built from fixed fragments ([`Filter`]), streamed row
//!   by row to the caller, so an export of a million events runs in constant memory.
//!
//! What this crate must not know: how events are coded (a [`Coding`] is handed in and only
//! called), where reports come from, and the clock (times are arguments). The two SQL
//! dialects meet in one module, `conn`; everything else writes one SQL text for both.

mod accounts;
pub mod acled;
pub mod audit;
#[doc(hidden)]
pub mod bench;
mod chat;
mod clusters;
mod conn;
mod error;
mod facets;
mod filter;
mod incidents;
mod map;
mod schema;
mod sealed;
mod workspace;

pub use accounts::{Change, Followup, NewPlace, QueueItem, Role, Session, StoredPlace, User};
pub use audit::{Anchor, Entry as AuditEntry, Finding, Verification};
pub use chat::{ChatMessage, ChatRecorded, KnownMessage};
pub use clusters::{
    parse_grade, ClusterInput, ClusterRun, Incident, IncidentTotals, StoredDecision,
};
pub use conn::Dialect;
pub use error::{Error, Result};
pub use filter::{BBox, Filter, Order, Page, Status};
pub use incidents::{DayCount, StoredIncident};
pub use map::{level_for_zoom, MapCluster, MapView, CELL_DEGREES, FALLBACK_MAX, POINTS_MAX};
pub use schema::LATEST as SCHEMA_VERSION;
pub use sealed::{Media, SealedReceipt, SealedRow};
pub use workspace::{Comment, QueueEvent, QueueFilter, QueuePage, QueueRow, DISMISS_REASONS};

use chrono::{DateTime, SecondsFormat, Utc};
use conn::{BResult, BackendError, Conn, Row, Value};
use filter::{SearchPlan, Sql};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::LazyLock;
use unrest_model::{Event, Report};

/// The database used when neither `--db` nor `UNREST_DATABASE_URL` names one.
pub const DEFAULT_DATABASE: &str = "unrest.db";

/// Turns reports into events for the store. The store calls it inside the transaction that
/// stores the report, so a report and its events are committed together.
pub trait Coding {
    /// Which coder this is, e.g. `unrest-coder 0.1.0`; stored with each report it coded, so
    /// that a newer coder can find the reports to re-code.
    fn version(&self) -> &str;
    /// The events of one report. The report's `reference_date` and `lang` are as stored;
    /// `received_at` is when it arrived (its "today" when it gives no date of its own),
    /// the same on every re-coding.
    fn code(&mut self, report: &Report, received_at: DateTime<Utc>) -> Vec<Event>;
}

/// A report to store: as it arrived, and how.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub report: Report,
    /// When it was received; the caller reads the clock, the store does not.
    pub received_at: DateTime<Utc>,
    /// How it came in: `cli`, `web`, `import`…
    pub channel: String,
}

/// The stored report a new one repeats: the same bytes (SHA-256), through the same channel,
/// on the same day (the report's own date, else the day it was received). The same wording
/// on another day ("workers gathered again today") or in another channel is another report.
const SAME_REPORT: &str = "WHERE sha256 = $1 AND channel = $2
    AND (CASE WHEN reference_date IS NULL OR reference_date = ''
        THEN substr(received_at, 1, 10) ELSE substr(reference_date, 1, 10) END) = $3
    ORDER BY id LIMIT 1";

/// The values [`SAME_REPORT`] binds for a new report.
fn same_report_params(new: &NewReport, sha: &str) -> [Value; 3] {
    let day = match new.report.reference_date.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => d.chars().take(10).collect(),
        _ => new.received_at.date_naive().to_string(),
    };
    [sha.into(), new.channel.as_str().into(), day.into()]
}

/// What makes two reports the same ([`SAME_REPORT`]): SHA-256, channel, day.
type SameKey = (String, String, String);

/// The [`SameKey`] of a new report: [`same_report_params`]' values.
fn same_report_key(new: &NewReport, sha: &str) -> SameKey {
    let day = match new.report.reference_date.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => d.chars().take(10).collect(),
        _ => new.received_at.date_naive().to_string(),
    };
    (sha.to_string(), new.channel.clone(), day)
}

/// The stored reports that `keys` repeat, read in one statement per few hundred: for each
/// key the first such report (lowest id) and whether it is coded. The day of a stored report
/// is [`SAME_REPORT`]'s: the first ten characters of its reference date, or when that is
/// empty of when it was received.
fn stored_same(conn: &mut Conn, keys: &[SameKey]) -> BResult<HashMap<SameKey, (i64, bool)>> {
    let mut found: HashMap<SameKey, (i64, bool)> = HashMap::new();
    let mut shas: Vec<&str> = keys.iter().map(|k| k.0.as_str()).collect();
    shas.sort_unstable();
    shas.dedup();
    let wanted: std::collections::HashSet<&SameKey> = keys.iter().collect();
    for chunk in shas.chunks(500) {
        let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let params: Vec<Value> = chunk.iter().map(|&s| s.into()).collect();
        let rows = conn.query_all(
            &format!(
                "SELECT id, coded_with IS NOT NULL, sha256, channel, reference_date, received_at
                 FROM reports WHERE sha256 IN ({}) ORDER BY id",
                list.join(", ")
            ),
            &params,
            |r| {
                let day_of = |s: Option<String>| s.map(|s| s.chars().take(10).collect::<String>());
                let day = match day_of(r.text(4)?) {
                    Some(d) if !d.is_empty() => d,
                    _ => day_of(r.text(5)?).unwrap_or_default(),
                };
                Ok((
                    r.req_int(0)?,
                    r.req_int(1)? != 0,
                    (r.req_text(2)?, r.req_text(3)?, day),
                ))
            },
        )?;
        for (id, coded, key) in rows {
            if wanted.contains(&key) {
                found.entry(key).or_insert((id, coded));
            }
        }
    }
    Ok(found)
}

/// What [`Store::ingest`] did with one report, in the order given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingested {
    /// Stored now, with this many events.
    New { report_id: i64, events: usize },
    /// Already stored but not yet coded (an interrupted run): coded now.
    Coded { report_id: i64, events: usize },
    /// Already stored and coded: nothing written.
    Duplicate { report_id: i64 },
}

/// A stored report.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReport {
    pub id: i64,
    pub sha256: String,
    /// `id` is the name it arrived under (file name, or the `id` of a JSONL line).
    pub report: Report,
    /// RFC 3339, UTC.
    pub received_at: String,
    pub channel: String,
    /// The [`Coding::version`] that coded it; `None` until it is coded.
    pub coded_with: Option<String>,
}

/// A stored event.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub id: i64,
    /// The report it was coded from; `None` for imported ACLED rows.
    pub report_id: Option<i64>,
    pub status: Status,
    /// An analyst changed its fields; re-coding leaves it alone.
    pub edited: bool,
    pub updated_by: Option<String>,
    /// RFC 3339, UTC.
    pub updated_at: Option<String>,
    /// The record; a blank `event_id_cnty` is shown as `IRN-U` and the id.
    pub event: Event,
}

/// The outcome of [`Store::set_status`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatusChange {
    pub changed: u64,
    /// Ids given that name no event.
    pub missing: Vec<i64>,
}

/// The outcome of [`Store::import_events`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Imported {
    pub inserted: usize,
    /// Rows whose ACLED `event_id_cnty` is already in the dataset.
    pub duplicates: usize,
}

/// How much the dataset holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub reports: u64,
    pub uncoded_reports: u64,
    pub events: u64,
}

/// An open dataset.
pub struct Store {
    conn: Conn,
    /// The database as it may be shown in messages (no password).
    db: String,
}

enum Location {
    Sqlite(String),
    Postgres(String),
}

fn parse_url(url: &str) -> Result<Location> {
    let bad = |reason: &str| Error::BadUrl {
        url: error::redact(url),
        reason: reason.to_string(),
    };
    let url_t = url.trim();
    if url_t.is_empty() {
        return Err(bad("it is empty"));
    }
    if url_t.starts_with("postgres://") || url_t.starts_with("postgresql://") {
        return Ok(Location::Postgres(url_t.to_string()));
    }
    if let Some(rest) = url_t.strip_prefix("sqlite:") {
        let path = rest.strip_prefix("//").unwrap_or(rest);
        if path.is_empty() {
            return Err(bad("no file path after sqlite:"));
        }
        return Ok(Location::Sqlite(path.to_string()));
    }
    if let Some((scheme, _)) = url_t.split_once("://") {
        return Err(bad(&format!(
            "unsupported scheme {scheme:?}: use sqlite:PATH, a file path, or postgres://USER@HOST/DB"
        )));
    }
    Ok(Location::Sqlite(url_t.to_string()))
}

/// The SHA-256 of the exact bytes, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// The text that search indexes and queries both go through: folded as the coder folds it,
/// so ي matches ی and ۲ matches 2, and words only ([`unrest_text::fold_search`]), so that
/// FTS5 and PostgreSQL, whose tokenisers split "a.b" and "3.5" differently, index the same
/// words and a search finds the same rows on both.
pub fn search_text(s: &str) -> String {
    unrest_text::fold_search(s)
}

/// What the public may search of an event, folded: its notes, place and actors (the fields
/// public pages show). Never its report's text: that is indexed apart, for analysts.
pub(crate) fn public_search_text(e: &Event) -> String {
    let fields = [
        &e.notes,
        &e.location,
        &e.admin1,
        &e.admin2,
        &e.admin3,
        &e.actor1,
        &e.assoc_actor_1,
        &e.actor2,
        &e.assoc_actor_2,
    ];
    let mut out = String::new();
    for f in fields.into_iter().filter(|f| !f.trim().is_empty()) {
        out.push_str(&search_text(f));
        out.push('\n');
    }
    out
}

/// An event holding only the public fields [`public_search_text`] reads, selected in its
/// order (notes, location, admin1, admin2, admin3, actor1, assoc_actor_1, actor2,
/// assoc_actor_2) from column `from` of a row on.
pub(crate) fn public_fields_from_row(
    r: &dyn conn::Row,
    from: usize,
) -> std::result::Result<Event, String> {
    let mut e = Event::default();
    for (i, f) in [
        &mut e.notes,
        &mut e.location,
        &mut e.admin1,
        &mut e.admin2,
        &mut e.admin3,
        &mut e.actor1,
        &mut e.assoc_actor_1,
        &mut e.actor2,
        &mut e.assoc_actor_2,
    ]
    .into_iter()
    .enumerate()
    {
        *f = r.req_text(from + i)?;
    }
    Ok(e)
}

/// How much of a text the search index holds, in bytes. PostgreSQL refuses a tsvector
/// over 1 MB (and a batch with it); field reports are a few kilobytes, and a long document's
/// first 256 KiB are indexed on both backends alike, so a search answers the same on both.
/// The report itself is always stored whole.
pub const SEARCH_INDEX_BYTES: usize = 256 * 1024;

/// Adds the folded text of row `id` to a search table (a fixed name, never user input).
pub(crate) fn index_text(conn: &mut Conn, table: &str, id: i64, folded: &str) -> BResult<()> {
    if folded.trim().is_empty() {
        return Ok(());
    }
    conn.execute(
        &format!("INSERT INTO {table} (rowid, folded) VALUES ($1, $2)"),
        &[id.into(), indexed_part(folded).into()],
    )?;
    Ok(())
}

/// Search-index rows held back until the end of a batch and written there in a few
/// statements. SQLite's FTS5 writes its pending terms to disk as a new segment at the start
/// of every statement that may need rolling back (an insert with a constraint, a `RETURNING`),
/// so indexing each report as it came made a segment per report, and most of an ingest's
/// time went to writing and merging them; at the end of a batch there is one per statement.
#[derive(Default)]
pub(crate) struct SearchRows(Vec<(&'static str, i64, String)>);

impl SearchRows {
    pub(crate) fn push(&mut self, table: &'static str, id: i64, folded: String) {
        self.0.push((table, id, folded));
    }

    /// Writes the rows held ([`index_text`]'s bound included), many a statement
    /// ([`Conn::insert_rows`]).
    pub(crate) fn write(self, conn: &mut Conn) -> BResult<()> {
        for table in ["report_search", "event_search"] {
            let rows: Vec<(i64, &str)> = self
                .0
                .iter()
                .filter(|(t, _, folded)| *t == table && !folded.trim().is_empty())
                .map(|(_, id, folded)| (*id, indexed_part(folded)))
                .collect();
            let values: Vec<Value> = rows
                .into_iter()
                .flat_map(|(id, folded)| [id.into(), folded.into()])
                .collect();
            conn.insert_rows(&format!("{table} (rowid, folded)"), 2, &values)?;
        }
        Ok(())
    }
}

/// How many words of a text the search index holds: PostgreSQL keeps word positions up to
/// 16,383 (later words all share the last one, so a phrase among them is not found there),
/// and both backends index the same first words so that a search answers the same on both.
pub const SEARCH_INDEX_WORDS: usize = 16_383;

/// The first [`SEARCH_INDEX_BYTES`] of a folded text, cut on a character boundary, and of
/// those its first [`SEARCH_INDEX_WORDS`] words.
pub(crate) fn indexed_part(folded: &str) -> &str {
    let mut end = folded.len().min(SEARCH_INDEX_BYTES);
    while !folded.is_char_boundary(end) {
        end -= 1;
    }
    let part = &folded[..end];
    let (mut words, mut in_word) = (0, false);
    // Words are separated by ASCII spaces and newlines ([`search_text`]), which never occur
    // inside a multi-byte character, so a byte scan cuts on a boundary.
    for (i, b) in part.bytes().enumerate() {
        let sep = b == b' ' || b == b'\n';
        if !sep && !in_word {
            words += 1;
            if words > SEARCH_INDEX_WORDS {
                return &part[..i];
            }
        }
        in_word = !sep;
    }
    part
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The event record's columns in `events`, in the order of [`event_values`].
const EVENT_COLUMNS: [&str; 36] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "\"timestamp\"",
    "report",
    "injuries",
    "arrests",
    "evidence",
    "confidence",
];

/// Our bookkeeping columns before the record when reading an event.
const EVENT_META: [&str; 6] = [
    "id",
    "report_id",
    "status",
    "edited",
    "updated_by",
    "updated_at",
];

static SELECT_EVENTS: LazyLock<String> = LazyLock::new(|| {
    let cols: Vec<String> = EVENT_META
        .iter()
        .chain(EVENT_COLUMNS.iter())
        .map(|c| format!("e.{c}"))
        .collect();
    format!("SELECT {} FROM events e", cols.join(", "))
});

fn insert_event_sql(skip_conflicts: bool) -> String {
    let n = 5 + EVENT_COLUMNS.len();
    let params: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO events (report_id, status, edited, updated_by, updated_at, {}) VALUES ({}){} RETURNING id",
        EVENT_COLUMNS.join(", "),
        params.join(", "),
        if skip_conflicts { " ON CONFLICT DO NOTHING" } else { "" }
    )
}

/// `events (…)` for [`Conn::insert_rows`]: the id, our bookkeeping, then the record.
static INSERT_EVENTS_INTO: LazyLock<String> = LazyLock::new(|| {
    format!(
        "events (id, report_id, status, edited, updated_by, updated_at, {})",
        EVENT_COLUMNS.join(", ")
    )
});

static INSERT_EVENT: LazyLock<String> = LazyLock::new(|| insert_event_sql(false));
static INSERT_EVENT_SKIP: LazyLock<String> = LazyLock::new(|| insert_event_sql(true));

static UPDATE_EVENT: LazyLock<String> = LazyLock::new(|| {
    let sets: Vec<String> = EVENT_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    let n = EVENT_COLUMNS.len();
    format!(
        "UPDATE events SET {}, edited = 1, updated_by = ${}, updated_at = ${} WHERE id = ${}",
        sets.join(", "),
        n + 1,
        n + 2,
        n + 3
    )
});

fn event_values(e: &Event) -> BResult<Vec<Value>> {
    let evidence = serde_json::to_string(&e.evidence)
        .map_err(|err| BackendError::Row(format!("evidence: {err}")))?;
    Ok(vec![
        e.event_id_cnty.as_str().into(),
        e.event_date.as_str().into(),
        i64::from(e.year).into(),
        i64::from(e.time_precision).into(),
        e.disorder_type.as_str().into(),
        e.event_type.as_str().into(),
        e.sub_event_type.as_str().into(),
        e.actor1.as_str().into(),
        e.assoc_actor_1.as_str().into(),
        e.inter1.as_str().into(),
        e.actor2.as_str().into(),
        e.assoc_actor_2.as_str().into(),
        e.inter2.as_str().into(),
        e.interaction.as_str().into(),
        e.civilian_targeting.as_str().into(),
        i64::from(e.iso).into(),
        e.region.as_str().into(),
        e.country.as_str().into(),
        e.admin1.as_str().into(),
        e.admin2.as_str().into(),
        e.admin3.as_str().into(),
        e.location.as_str().into(),
        e.latitude.into(),
        e.longitude.into(),
        i64::from(e.geo_precision).into(),
        e.source.as_str().into(),
        e.source_scale.as_str().into(),
        e.notes.as_str().into(),
        i64::from(e.fatalities).into(),
        e.tags.as_str().into(),
        e.timestamp.into(),
        e.report.as_str().into(),
        e.injuries.map(i64::from).into(),
        e.arrests.map(i64::from).into(),
        evidence.into(),
        f64::from(e.confidence).into(),
    ])
}

fn event_from_row(r: &dyn Row) -> std::result::Result<StoredEvent, String> {
    let mut stored = StoredEvent {
        id: 0,
        report_id: None,
        status: Status::Coded,
        edited: false,
        updated_by: None,
        updated_at: None,
        event: Event::default(),
    };
    event_from_row_into(r, &mut stored, true)?;
    Ok(stored)
}

/// Reads a row of [`SELECT_EVENTS`] over `out`, reusing its strings' buffers: a stream of
/// rows decoded into one event allocates only when a field outgrows its buffer. Without
/// `evidence` the evidence column is not parsed and the event's is left empty (for outputs
/// that never show it).
fn event_from_row_into(
    r: &dyn Row,
    out: &mut StoredEvent,
    evidence: bool,
) -> std::result::Result<(), String> {
    let id = r.req_int(0)?;
    let status: Status = r.req_text(2)?.parse().map_err(|e: Error| e.to_string())?;
    let at = |i: usize| i + EVENT_META.len();
    let small = |i: usize| -> std::result::Result<u8, String> {
        u8::try_from(r.req_int(at(i))?).map_err(|_| format!("column {} out of range", at(i)))
    };
    let count = |i: usize| -> std::result::Result<Option<u32>, String> {
        r.int(at(i))?
            .map(|v| u32::try_from(v).map_err(|_| format!("column {} out of range", at(i))))
            .transpose()
    };
    let text = |i: usize, s: &mut String| r.text_into(at(i), s);
    let e = &mut out.event;
    text(0, &mut e.event_id_cnty)?;
    text(1, &mut e.event_date)?;
    e.year = i32::try_from(r.req_int(at(2))?).map_err(|_| "year out of range".to_string())?;
    e.time_precision = small(3)?;
    text(4, &mut e.disorder_type)?;
    text(5, &mut e.event_type)?;
    text(6, &mut e.sub_event_type)?;
    text(7, &mut e.actor1)?;
    text(8, &mut e.assoc_actor_1)?;
    text(9, &mut e.inter1)?;
    text(10, &mut e.actor2)?;
    text(11, &mut e.assoc_actor_2)?;
    text(12, &mut e.inter2)?;
    text(13, &mut e.interaction)?;
    text(14, &mut e.civilian_targeting)?;
    e.iso = u16::try_from(r.req_int(at(15))?).map_err(|_| "iso out of range".to_string())?;
    text(16, &mut e.region)?;
    text(17, &mut e.country)?;
    text(18, &mut e.admin1)?;
    text(19, &mut e.admin2)?;
    text(20, &mut e.admin3)?;
    text(21, &mut e.location)?;
    e.latitude = r.real(at(22))?.unwrap_or_default();
    e.longitude = r.real(at(23))?.unwrap_or_default();
    e.geo_precision = small(24)?;
    text(25, &mut e.source)?;
    text(26, &mut e.source_scale)?;
    text(27, &mut e.notes)?;
    e.fatalities = count(28)?.unwrap_or_default();
    text(29, &mut e.tags)?;
    e.timestamp = r.req_int(at(30))?;
    text(31, &mut e.report)?;
    e.injuries = count(32)?;
    e.arrests = count(33)?;
    e.evidence = if evidence {
        match r.req_text(at(34))?.as_str() {
            "[]" => Vec::new(),
            json => serde_json::from_str(json).map_err(|e| format!("evidence: {e}"))?,
        }
    } else {
        Vec::new()
    };
    e.confidence = r.real(at(35))?.unwrap_or_default() as f32;
    if e.event_id_cnty.is_empty() {
        // Our own ids carry a `U` so they can never equal an imported ACLED id (IRN + digits).
        e.event_id_cnty = format!("IRN-U{id}");
    }
    out.id = id;
    out.report_id = r.int(1)?;
    out.status = status;
    out.edited = r.req_int(3)? != 0;
    out.updated_by = r.text(4)?;
    out.updated_at = r.text(5)?;
    Ok(())
}

/// Stores one event and indexes its notes; `None` when a conflict skipped it.
#[allow(clippy::too_many_arguments)]
fn insert_event(
    conn: &mut Conn,
    search: &mut SearchRows,
    sql: &str,
    report_id: Option<i64>,
    e: &Event,
    status: Status,
    by: Option<&str>,
    at: Option<&str>,
) -> BResult<Option<i64>> {
    let mut params: Vec<Value> = vec![
        report_id.into(),
        status.as_str().into(),
        0i64.into(),
        by.into(),
        at.into(),
    ];
    params.extend(event_values(e)?);
    let id = conn.query_one(sql, &params, |r| r.req_int(0))?;
    if let Some(id) = id {
        search.push("event_search", id, public_search_text(e));
    }
    Ok(id)
}

/// Codes stored report `id` with `coder`: its replaceable events (still `coded`, never
/// edited) go, the new ones come, and the report is marked as coded by this version. The
/// change is logged in `chain` at `at`.
fn code_stored(
    conn: &mut Conn,
    search: &mut SearchRows,
    id: i64,
    coder: &mut dyn Coding,
    chain: &mut audit::Chain,
    at: &str,
) -> BResult<usize> {
    let before = conn
        .query_one(
            "SELECT coded_with FROM reports WHERE id = $1",
            &[id.into()],
            |r| r.text(0),
        )?
        .flatten();
    let report = conn
        .query_one(
            "SELECT name, text, reference_date, lang, received_at FROM reports WHERE id = $1",
            &[id.into()],
            |r| {
                let received = r.req_text(4)?;
                let received = DateTime::parse_from_rfc3339(&received)
                    .map_err(|e| format!("report {id}: received_at {received:?}: {e}"))?;
                Ok((
                    Report {
                        id: r.req_text(0)?,
                        text: String::from_utf8(r.bytes(1)?.unwrap_or_default())
                            .map_err(|_| format!("report {id}: text is not UTF-8"))?,
                        reference_date: r.text(2)?,
                        lang: r.text(3)?,
                    },
                    received.with_timezone(&Utc),
                ))
            },
        )?
        .ok_or_else(|| BackendError::Row(format!("report {id} vanished")))?;
    let (report, received_at) = report;
    let events = coder.code(&report, received_at);
    let removed = conn.query_all(
        "SELECT id FROM events WHERE report_id = $1 AND status = 'coded' AND edited = 0 ORDER BY id",
        &[id.into()],
        |r| r.req_int(0),
    )?;
    conn.execute(
        "DELETE FROM event_search WHERE rowid IN
            (SELECT id FROM events WHERE report_id = $1 AND status = 'coded' AND edited = 0)",
        &[id.into()],
    )?;
    conn.execute(
        "DELETE FROM events WHERE report_id = $1 AND status = 'coded' AND edited = 0",
        &[id.into()],
    )?;
    let mut added = Vec::with_capacity(events.len());
    for e in &events {
        if let Some(eid) = insert_event(
            conn,
            search,
            &INSERT_EVENT,
            Some(id),
            e,
            Status::Coded,
            None,
            None,
        )? {
            added.push((eid, e));
        }
    }
    conn.execute(
        "UPDATE reports SET coded_with = $1 WHERE id = $2",
        &[coder.version().into(), id.into()],
    )?;
    log_coding(
        conn,
        chain,
        at,
        coder.version(),
        id,
        before,
        &removed,
        &added,
    )?;
    Ok(events.len())
}

/// The audit entry of a report's coding: the coder version before and after, the events
/// that went, and the events that came with the SHA-256 of each record.
#[allow(clippy::too_many_arguments)]
fn log_coding(
    conn: &mut Conn,
    chain: &mut audit::Chain,
    at: &str,
    version: &str,
    report_id: i64,
    before: Option<String>,
    removed: &[i64],
    added: &[(i64, &Event)],
) -> BResult<()> {
    chain.append(
        conn,
        coding_entry(at, version, report_id, before, removed, added),
    )?;
    Ok(())
}

/// What [`log_coding`] appends.
fn coding_entry(
    at: &str,
    version: &str,
    report_id: i64,
    before: Option<String>,
    removed: &[i64],
    added: &[(i64, &Event)],
) -> audit::NewEntry {
    let added: serde_json::Map<String, serde_json::Value> = added
        .iter()
        .map(|(id, e)| (id.to_string(), audit::record_sha256(e).into()))
        .collect();
    audit::NewEntry {
        at: at.to_string(),
        actor: version.to_string(),
        action: "code".into(),
        kind: "report",
        object: report_id.to_string(),
        change: serde_json::json!({
            "coded_with": {"before": before, "after": version},
            "events_removed": removed,
            "events_added": added,
        }),
    }
}

/// What a report's `receive` entry keeps: the SHA-256 of its exact bytes (chain of custody)
/// and how it arrived. Also keeps its source fingerprint and channel grade.
fn log_receive(
    conn: &mut Conn,
    chain: &mut audit::Chain,
    report_id: i64,
    sha256: &str,
    new: &NewReport,
) -> BResult<()> {
    clusters::on_receive(conn, report_id, &new.report.text, &new.channel)?;
    chain.append(conn, receive_entry(report_id, sha256, new))?;
    Ok(())
}

/// What [`log_receive`] appends.
fn receive_entry(report_id: i64, sha256: &str, new: &NewReport) -> audit::NewEntry {
    let r = &new.report;
    let at = rfc3339(new.received_at);
    audit::NewEntry {
        at: at.clone(),
        actor: new.channel.clone(),
        action: "receive".into(),
        kind: "report",
        object: report_id.to_string(),
        change: serde_json::json!({
            "sha256": sha256,
            "bytes": r.text.len(),
            "name": r.id,
            "channel": new.channel,
            "received_at": at,
            "reference_date": r.reference_date,
            "lang": r.lang,
        }),
    }
}

/// New reports of a batch waiting to be written together.
#[derive(Default)]
struct Waiting<'a> {
    /// Each text once, in order.
    fresh: Vec<Fresh<'a>>,
    /// `(index in the batch, index in fresh)`: a later copy names the first.
    reports: Vec<(usize, usize)>,
    /// The index in `fresh` of each key.
    first: HashMap<&'a SameKey, usize>,
}

impl Waiting<'_> {
    /// Writes the waiting reports ([`insert_and_code`]); each one's outcome goes into
    /// `done` (a copy is a duplicate of the first) and its key into `known` as coded.
    fn write(
        &mut self,
        conn: &mut Conn,
        search: &mut SearchRows,
        chain: &mut audit::Chain,
        coder: &mut dyn Coding,
        known: &mut HashMap<SameKey, (i64, bool)>,
        done: &mut [Option<Ingested>],
    ) -> BResult<()> {
        if self.fresh.is_empty() {
            return Ok(());
        }
        let written = insert_and_code(conn, search, chain, &self.fresh, coder)?;
        let mut seen = vec![false; self.fresh.len()];
        for &(i, at) in &self.reports {
            let (report_id, events) = written[at];
            done[i] = Some(if std::mem::replace(&mut seen[at], true) {
                Ingested::Duplicate { report_id }
            } else {
                Ingested::New { report_id, events }
            });
        }
        for (key, at) in self.first.drain() {
            known.insert(key.clone(), (written[at].0, true));
        }
        self.fresh.clear();
        self.reports.clear();
        Ok(())
    }
}

/// A new report of a batch: its SHA-256 and, once coded, its events.
struct Fresh<'a> {
    new: &'a NewReport,
    sha: String,
}

/// Stores new reports (whatever else has their text) and their events, coded now, with the
/// entries of their arrival and coding (each report's `receive` then its `code`, in the
/// order given), its source fingerprint and channel grade, and its search rows: ids taken
/// first ([`Conn::reserve_ids`]), then every table written many rows a statement, so a
/// batch of 500 reports is a dozen statements, not thousands (on PostgreSQL each one a
/// round trip). Call before any other insert of reports or events in the transaction.
/// Returns each report's id and how many events it has.
fn insert_and_code(
    conn: &mut Conn,
    search: &mut SearchRows,
    chain: &mut audit::Chain,
    fresh: &[Fresh<'_>],
    coder: &mut dyn Coding,
) -> BResult<Vec<(i64, usize)>> {
    let version = coder.version().to_string();
    let coded: Vec<Vec<Event>> = fresh
        .iter()
        .map(|f| coder.code(&f.new.report, f.new.received_at))
        .collect();
    let report_ids = conn.reserve_ids("reports", fresh.len())?;
    let event_ids = conn.reserve_ids("events", coded.iter().map(Vec::len).sum())?;
    let mut grades: HashMap<&str, Option<String>> = HashMap::new();
    for f in fresh {
        if !grades.contains_key(f.new.channel.as_str()) {
            let grade = conn
                .query_one(
                    "SELECT reliability FROM channels WHERE name = $1",
                    &[f.new.channel.as_str().into()],
                    |r| r.text(0),
                )?
                .flatten();
            grades.insert(f.new.channel.as_str(), grade);
        }
    }
    let mut reports: Vec<Value> = Vec::with_capacity(fresh.len() * 11);
    let mut events: Vec<Value> = Vec::with_capacity(event_ids.len() * (6 + EVENT_COLUMNS.len()));
    let mut entries = audit::Pending::default();
    let mut next_event = event_ids.iter().copied();
    let mut done = Vec::with_capacity(fresh.len());
    for ((f, &report_id), found) in fresh.iter().zip(&report_ids).zip(&coded) {
        let (new, r) = (f.new, &f.new.report);
        let at = rfc3339(new.received_at);
        reports.extend([
            report_id.into(),
            f.sha.as_str().into(),
            r.id.as_str().into(),
            Value::Bytes(r.text.as_bytes().to_vec()),
            at.as_str().into(),
            new.channel.as_str().into(),
            r.reference_date.as_deref().into(),
            r.lang.as_deref().into(),
            version.as_str().into(),
            Value::Bytes(clusters::fingerprint_of(&r.text)),
            grades.get(new.channel.as_str()).cloned().flatten().into(),
        ]);
        search.push("report_search", report_id, search_text(&r.text));
        entries
            .0
            .push(chain.next(receive_entry(report_id, &f.sha, new)));
        let mut added = Vec::with_capacity(found.len());
        for e in found {
            let id = next_event
                .next()
                .ok_or_else(|| BackendError::Row("fewer event ids than events".into()))?;
            events.extend([
                id.into(),
                report_id.into(),
                Status::Coded.as_str().into(),
                0i64.into(),
                Value::Null,
                Value::Null,
            ]);
            events.extend(event_values(e)?);
            search.push("event_search", id, public_search_text(e));
            added.push((id, e));
        }
        entries
            .0
            .push(chain.next(coding_entry(&at, &version, report_id, None, &[], &added)));
        done.push((report_id, found.len()));
    }
    conn.insert_rows(
        "reports (id, sha256, name, text, received_at, channel, reference_date, lang, \
         coded_with, fingerprint, channel_grade)",
        11,
        &reports,
    )?;
    conn.insert_rows(&INSERT_EVENTS_INTO, 6 + EVENT_COLUMNS.len(), &events)?;
    entries.write(conn)?;
    Ok(done)
}

/// Creates a new SQLite file readable by its owner only (0600): it holds reports and
/// password hashes. SQLite gives its `-wal` and `-shm` files the database file's
/// permissions. An existing file is left as is; a missing folder is an error (a typo), not
/// created. Keep the folder owner-only (0700) too: SECURITY.md.
fn create_private(path: &str) -> std::io::Result<()> {
    let path = std::path::Path::new(path);
    if path == std::path::Path::new(":memory:") || path.exists() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            // SQLite names what is wrong with the path (a missing folder) itself.
            Err(_) => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        Ok(())
    }
}

/// Errors of a streaming read: the store's, or the caller's own from its row callback.
enum Stop<E> {
    Backend(BackendError),
    Caller(E),
}

impl<E> From<BackendError> for Stop<E> {
    fn from(e: BackendError) -> Self {
        Stop::Backend(e)
    }
}

impl Store {
    /// Opens (creating if needed) the dataset at `url` — `sqlite:PATH`, a plain file path,
    /// or `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?options=-csearch_path%3DSCHEMA]` —
    /// and brings its schema up to date.
    pub fn open(url: &str) -> Result<Store> {
        Store::open_at_version(url, schema::LATEST)
    }

    /// Opens and migrates only up to `version`: for testing the upgrade path.
    #[doc(hidden)]
    pub fn open_at_version(url: &str, version: i64) -> Result<Store> {
        let mut store = match parse_url(url)? {
            Location::Sqlite(path) => Store::open_sqlite(&path)?,
            Location::Postgres(url) => Store::open_postgres(&url)?,
        };
        match schema::migrate(&mut store.conn, version).map_err(|e| store.err(e))? {
            schema::Outcome::Current if version >= 14 => {
                store.corroborate_if_never()?;
                Ok(store)
            }
            schema::Outcome::Current => Ok(store),
            schema::Outcome::TooNew(found) => Err(Error::SchemaTooNew {
                found,
                known: schema::LATEST,
            }),
        }
    }

    fn open_sqlite(path: &str) -> Result<Store> {
        let db = path.to_string();
        create_private(path).map_err(|e| Error::Open {
            db: db.clone(),
            reason: e.to_string(),
        })?;
        let conn = rusqlite::Connection::open(path).map_err(|e| Error::Open {
            db: db.clone(),
            reason: e.to_string(),
        })?;
        let err = |e: rusqlite::Error| Error::from_backend(&db, BackendError::Sqlite(e));
        conn.busy_timeout(conn::BUSY_TIMEOUT).map_err(err)?;
        // WAL: readers never block the writer; NORMAL: a commit survives a killed process
        // (not necessarily a power cut), at a fraction of FULL's fsyncs.
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .map_err(err)?;
        // A 32 MiB page cache (the default is 2 MiB): a date-ordered read jumps around the
        // table, and this keeps it from re-reading the same pages.
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768;",
        )
        .map_err(err)?;
        Ok(Store {
            conn: Conn::Sqlite(conn),
            db,
        })
    }

    fn open_postgres(url: &str) -> Result<Store> {
        let db = error::redact(url);
        let mut config: postgres::Config =
            url.parse().map_err(|e: postgres::Error| Error::BadUrl {
                url: db.clone(),
                reason: e.to_string(),
            })?;
        config.application_name("unrest");
        let mut client = config
            .connect(postgres::NoTls)
            .map_err(|e| Error::Connect {
                db: db.clone(),
                reason: e.to_string(),
            })?;
        client
            .batch_execute("SET client_min_messages = warning")
            .map_err(|e| Error::from_backend(&db, e.into()))?;
        Ok(Store {
            conn: Conn::Postgres {
                client: Box::new(client),
                statements: Default::default(),
            },
            db,
        })
    }

    fn err(&self, e: BackendError) -> Error {
        Error::from_backend(&self.db, e)
    }

    /// Which backend this store runs on.
    pub fn dialect(&self) -> Dialect {
        self.conn.dialect()
    }

    /// The database as it may be shown (passwords removed).
    pub fn label(&self) -> &str {
        &self.db
    }

    /// The schema version of the open database.
    pub fn schema_version(&mut self) -> Result<i64> {
        schema::version(&mut self.conn).map_err(|e| self.err(e))
    }

    /// Runs `f` in one write transaction: committed if it succeeds, rolled back otherwise.
    fn write<T>(&mut self, f: impl FnOnce(&mut Conn) -> BResult<T>) -> Result<T> {
        let begin = self.conn.dialect().begin_write();
        self.conn.batch(begin).map_err(|e| self.err(e))?;
        let done = f(&mut self.conn).and_then(|v| self.conn.batch("COMMIT").map(|()| v));
        done.map_err(|e| {
            let _ = self.conn.batch("ROLLBACK");
            self.err(e)
        })
    }

    /// Runs `f` over the store in one write transaction (the store's own methods inside it
    /// must not open another): committed if it succeeds, rolled back otherwise.
    fn write_alone<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        let begin = self.conn.dialect().begin_write();
        self.conn.batch(begin).map_err(|e| self.err(e))?;
        match f(self) {
            Ok(v) => {
                self.conn.batch("COMMIT").map_err(|e| self.err(e))?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Stores a batch of reports and codes the new ones, all in one transaction: when this
    /// returns `Ok`, every report of the batch and all its events are durable; on `Err`,
    /// none of the batch is. A report that repeats a stored and coded one (the same bytes
    /// through the same channel on the same day, see [`SAME_REPORT`]) is not stored again.
    pub fn ingest(&mut self, batch: &[NewReport], coder: &mut dyn Coding) -> Result<Vec<Ingested>> {
        self.write(|conn| {
            let mut chain = audit::Chain::open(conn)?;
            let mut search = SearchRows::default();
            let shas: Vec<String> = batch
                .iter()
                .map(|n| sha256_hex(n.report.text.as_bytes()))
                .collect();
            let keys: Vec<SameKey> = batch
                .iter()
                .zip(&shas)
                .map(|(new, sha)| same_report_key(new, sha))
                .collect();
            let mut known = stored_same(conn, &keys)?;
            let mut done: Vec<Option<Ingested>> = vec![None; batch.len()];
            // New reports wait and are written together; a report stored before but not
            // coded (an interrupted run) is coded in its turn, after those before it are
            // written, so ids and audit entries come in the order given.
            let mut wait = Waiting::default();
            for (i, new) in batch.iter().enumerate() {
                let key = &keys[i];
                if let Some(&at) = wait.first.get(key) {
                    wait.reports.push((i, at));
                    continue;
                }
                match known.get(key).copied() {
                    Some((report_id, true)) => done[i] = Some(Ingested::Duplicate { report_id }),
                    Some((report_id, false)) => {
                        wait.write(conn, &mut search, &mut chain, coder, &mut known, &mut done)?;
                        let at = rfc3339(new.received_at);
                        let events =
                            code_stored(conn, &mut search, report_id, coder, &mut chain, &at)?;
                        known.insert(key.clone(), (report_id, true));
                        done[i] = Some(Ingested::Coded { report_id, events });
                    }
                    None => {
                        wait.first.insert(key, wait.fresh.len());
                        wait.reports.push((i, wait.fresh.len()));
                        wait.fresh.push(Fresh {
                            new,
                            sha: shas[i].clone(),
                        });
                    }
                }
            }
            wait.write(conn, &mut search, &mut chain, coder, &mut known, &mut done)?;
            search.write(conn)?;
            done.into_iter()
                .map(|d| {
                    d.ok_or_else(|| BackendError::Row("a report of the batch was left out".into()))
                })
                .collect()
        })
    }

    /// Stores reports without coding them (e.g. a web form that answers at once); a later
    /// [`Store::code_pending`] codes them. Returns each report's id and whether it was new.
    pub fn store_reports(&mut self, batch: &[NewReport]) -> Result<Vec<(i64, bool)>> {
        self.write(|conn| {
            let mut chain = audit::Chain::open(conn)?;
            let mut done = Vec::with_capacity(batch.len());
            for new in batch {
                let r = &new.report;
                let sha = sha256_hex(r.text.as_bytes());
                let found = conn.query_one(
                    &format!("SELECT id FROM reports {SAME_REPORT}"),
                    &same_report_params(new, &sha),
                    |row| row.req_int(0),
                )?;
                if let Some(id) = found {
                    done.push((id, false));
                    continue;
                }
                let inserted = conn.query_one(
                    "INSERT INTO reports (sha256, name, text, received_at, channel, reference_date, lang)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    &[
                        sha.as_str().into(),
                        r.id.as_str().into(),
                        Value::Bytes(r.text.as_bytes().to_vec()),
                        rfc3339(new.received_at).into(),
                        new.channel.as_str().into(),
                        r.reference_date.as_deref().into(),
                        r.lang.as_deref().into(),
                    ],
                    |row| row.req_int(0),
                )?;
                match inserted {
                    Some(id) => {
                        index_text(conn, "report_search", id, &search_text(&r.text))?;
                        log_receive(conn, &mut chain, id, &sha, new)?;
                        done.push((id, true));
                    }
                    None => return Err(BackendError::Row("no id for new report".into())),
                }
            }
            Ok(done)
        })
    }

    /// A reporter's submission through the web form: the report (always a report of its
    /// own, even when someone sent the same words before: its receipt must lead to it
    /// alone), its events, its receipt's hash and its photos (`(media type, bytes)`), with
    /// their audit entries, in one transaction: all are stored or none is.
    pub fn submit(
        &mut self,
        new: &NewReport,
        coder: &mut dyn Coding,
        receipt_hash: &str,
        photos: &[(&str, &[u8])],
    ) -> Result<i64> {
        let sha = sha256_hex(new.report.text.as_bytes());
        self.write(|conn| {
            let mut chain = audit::Chain::open(conn)?;
            let mut search = SearchRows::default();
            let fresh = [Fresh {
                new,
                sha: sha.clone(),
            }];
            let written = insert_and_code(conn, &mut search, &mut chain, &fresh, coder)?;
            let report_id = written
                .first()
                .map(|&(id, _)| id)
                .ok_or_else(|| BackendError::Row("no id for new report".into()))?;
            search.write(conn)?;
            conn.execute(
                "INSERT INTO receipts (receipt_hash, report_id) VALUES ($1, $2)",
                &[receipt_hash.into(), report_id.into()],
            )?;
            for (media_type, bytes) in photos {
                sealed::insert_media(conn, report_id, media_type, bytes)?;
            }
            Ok(report_id)
        })
    }

    /// Codes up to `limit` stored reports that are not coded yet — or, with `recode`, that
    /// were coded by another version than `coder`'s — in one transaction. Returns how many
    /// reports and events it wrote; call until it returns 0 reports.
    pub fn code_pending(
        &mut self,
        coder: &mut dyn Coding,
        recode: bool,
        limit: usize,
    ) -> Result<(usize, usize)> {
        let version = coder.version().to_string();
        self.write(|conn| {
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let ids = if recode {
                conn.query_all(
                    "SELECT id FROM reports
                     WHERE (coded_with IS NULL OR coded_with <> $1) AND superseded_by IS NULL
                     ORDER BY id LIMIT $2",
                    &[version.into(), limit.into()],
                    |r| r.req_int(0),
                )?
            } else {
                conn.query_all(
                    "SELECT id FROM reports WHERE coded_with IS NULL ORDER BY id LIMIT $1",
                    &[limit.into()],
                    |r| r.req_int(0),
                )?
            };
            let mut events = 0;
            if ids.is_empty() {
                return Ok((0, 0));
            }
            // The caller gives no time: the database's clock dates the audit entries.
            let at = audit::db_now(conn)?;
            let mut chain = audit::Chain::open(conn)?;
            let mut search = SearchRows::default();
            for &id in &ids {
                events += code_stored(conn, &mut search, id, coder, &mut chain, &at)?;
            }
            search.write(conn)?;
            Ok((ids.len(), events))
        })
    }

    /// The id of the stored report whose text has this SHA-256 (lowercase hex), if any.
    pub fn find_report(&mut self, sha256: &str) -> Result<Option<i64>> {
        self.conn
            .query_one(
                "SELECT id FROM reports WHERE sha256 = $1 ORDER BY id LIMIT 1",
                &[sha256.into()],
                |r| r.req_int(0),
            )
            .map_err(|e| self.err(e))
    }

    /// One stored report.
    pub fn report(&mut self, id: i64) -> Result<Option<StoredReport>> {
        self.conn
            .query_one(
                "SELECT id, sha256, name, text, reference_date, lang, received_at, channel, coded_with
                 FROM reports WHERE id = $1",
                &[id.into()],
                |r| {
                    Ok(StoredReport {
                        id: r.req_int(0)?,
                        sha256: r.req_text(1)?,
                        report: Report {
                            id: r.req_text(2)?,
                            text: String::from_utf8(r.bytes(3)?.unwrap_or_default())
                                .map_err(|_| "report text is not UTF-8".to_string())?,
                            reference_date: r.text(4)?,
                            lang: r.text(5)?,
                        },
                        received_at: r.req_text(6)?,
                        channel: r.req_text(7)?,
                        coded_with: r.text(8)?,
                    })
                },
            )
            .map_err(|e| self.err(e))
    }

    /// One stored event.
    pub fn event(&mut self, id: i64) -> Result<Option<StoredEvent>> {
        let sql = format!("{} WHERE e.id = $1", *SELECT_EVENTS);
        self.conn
            .query_one(&sql, &[id.into()], event_from_row)
            .map_err(|e| self.err(e))
    }

    /// Streams the events of `filter`, in the page's order, one page of them, to
    /// `each` as they are read. Returns how many were handed over. An error from `each`
    /// stops the read and is returned as is.
    pub fn events<E: From<Error>>(
        &mut self,
        filter: &Filter,
        page: &Page,
        mut each: impl FnMut(StoredEvent) -> std::result::Result<(), E>,
    ) -> std::result::Result<u64, E> {
        filter.validate()?;
        if let Some(after) = page.after {
            // The public learns of an unpublished event exactly what of a missing one.
            let visible = self
                .event(after)?
                .filter(|e| !filter.public || e.status == Status::Published);
            if visible.is_none() {
                return Err(
                    Error::Invalid(format!("no event with id {after} to page after")).into(),
                );
            }
        }
        let mut sql = Sql::new(&SELECT_EVENTS);
        let after = page.after.map(|id| (id, page.order));
        let common = self.search_plan(filter)?;
        filter::where_clause(&mut sql, self.conn.dialect(), filter, after, &[], common);
        filter::order_and_page(&mut sql, page);
        let mut n = 0u64;
        let read = self
            .conn
            .query_each::<Stop<E>>(&sql.text, &sql.params, &mut |row| {
                let event = event_from_row(row).map_err(|e| Stop::Backend(BackendError::Row(e)))?;
                n += 1;
                each(event).map_err(Stop::Caller)
            });
        match read {
            Ok(()) => Ok(n),
            Err(Stop::Caller(e)) => Err(e),
            Err(Stop::Backend(e)) => Err(self.err(e).into()),
        }
    }

    /// How the filter's search phrase is best looked for in `events e`: [`SearchPlan::Common`]
    /// when it is in so many events or reports that the other filters and the listing order
    /// should lead, each candidate event checked against the phrase, rather than the matches
    /// (see `Dialect::search_condition`). One bounded look into the index decides (a few ms
    /// for a common phrase in a million events).
    pub(crate) fn search_plan(&mut self, filter: &Filter) -> Result<SearchPlan> {
        const MANY: i64 = 2000;
        let Some(q) = &filter.search else {
            return Ok(SearchPlan::Rare);
        };
        let d = self.dialect();
        let param = d.search_param(&search_text(q));
        let tables: &[&str] = if filter.public {
            &["event_search"]
        } else {
            &["event_search", "report_search"]
        };
        for table in tables {
            let sql = format!(
                "SELECT COUNT(*) FROM ({} LIMIT {MANY}) m",
                d.search_rowids(table, "$1")
            );
            let n = self
                .conn
                .query_one(&sql, &[param.as_str().into()], |r| r.req_int(0))
                .map_err(|e| self.err(e))?
                .unwrap_or(0);
            if n >= MANY {
                return Ok(SearchPlan::Common);
            }
        }
        Ok(SearchPlan::Rare)
    }

    /// [`Store::search_plan`] for the `incidents` table. A public search with a date range,
    /// province or type intersects them in the index ([`SearchPlan::Faceted`]): always when
    /// the query reads every match (`all`: the map's counts, a timeline); for a first page,
    /// on SQLite, when the intersection is small (its rows are looked up and sorted), else
    /// the listing order leads, each row checked against the intersection
    /// ([`SearchPlan::FacetedWalk`]: a set of the matches in the filters, not of the whole
    /// phrase's). PostgreSQL's first pages keep the phrase's own plans: its common plan
    /// probes row by row and stops at the page, while a bitmap of the intersection is built
    /// whole before the first row.
    pub(crate) fn incident_search_plan(
        &mut self,
        filter: &Filter,
        all: bool,
    ) -> Result<SearchPlan> {
        const FEW: i64 = 2000;
        if let (true, Some(q), Some(groups)) =
            (filter.public, &filter.search, facets::facet_groups(filter))
        {
            let d = self.dialect();
            if all {
                return Ok(SearchPlan::Faceted);
            }
            if d == Dialect::Sqlite {
                let mut sql = Sql::new("");
                let ps: Vec<String> = facets::facet_params(d, &search_text(q), &groups)
                    .into_iter()
                    .map(|v| sql.bind(v))
                    .collect();
                let inner = d.faceted_rowids(&ps);
                let count = format!("SELECT COUNT(*) FROM ({inner} LIMIT {FEW}) m");
                let n = self
                    .conn
                    .query_one(&count, &sql.params, |r| r.req_int(0))
                    .map_err(|e| self.err(e))?
                    .unwrap_or(0);
                return Ok(if n < FEW {
                    SearchPlan::Faceted
                } else {
                    SearchPlan::FacetedWalk
                });
            }
        }
        self.search_plan(filter)
    }

    /// Sets the status of the events named by `ids` (if any) that also match `filter`,
    /// recording `by` and `at`. Refuses to act on everything: give ids or a filter.
    pub fn set_status(
        &mut self,
        ids: &[i64],
        filter: &Filter,
        status: Status,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<StatusChange> {
        filter.validate()?;
        let by = by.trim();
        if by.is_empty() {
            return Err(Error::Invalid(
                "say who is changing the status (--as NAME)".into(),
            ));
        }
        if ids.is_empty() && filter.is_empty() {
            return Err(Error::Invalid(
                "name the events: give event ids or at least one filter".into(),
            ));
        }
        let d = self.conn.dialect();
        let at_time = at;
        let at = rfc3339(at);
        let common = self.search_plan(filter)?;
        let change = self.write(|conn| {
            let mut change = StatusChange::default();
            // The events to change and their status before, read under the write lock so
            // that the log names exactly the events the update changes.
            let select = |conn: &mut Conn, chunk: &[i64]| -> BResult<Vec<(i64, String)>> {
                let mut sql = Sql::new("SELECT e.id, e.status FROM events e");
                filter::where_clause(&mut sql, d, filter, None, chunk, common);
                conn.query_all(&sql.text, &sql.params, |r| {
                    Ok((r.req_int(0)?, r.req_text(1)?))
                })
            };
            let mut targets = Vec::new();
            if ids.is_empty() {
                targets = select(conn, &[])?;
            }
            for chunk in ids.chunks(500) {
                let mut sql = Sql::new("");
                let ps: Vec<String> = chunk.iter().map(|&id| sql.bind(id)).collect();
                sql.text = format!("SELECT id FROM events WHERE id IN ({})", ps.join(", "));
                let found = conn.query_all(&sql.text, &sql.params, |r| r.req_int(0))?;
                change
                    .missing
                    .extend(chunk.iter().filter(|id| !found.contains(id)));
                targets.extend(select(conn, chunk)?);
            }
            targets.sort_unstable();
            targets.dedup_by_key(|t| t.0);
            for chunk in targets.chunks(500) {
                let mut sql = Sql::new("");
                let (s, b, a) = (
                    sql.bind(status.as_str()),
                    sql.bind(by),
                    sql.bind(at.as_str()),
                );
                let ps: Vec<String> = chunk.iter().map(|t| sql.bind(t.0)).collect();
                sql.text = format!(
                    "UPDATE events SET status = {s}, updated_by = {b}, updated_at = {a}
                     WHERE id IN ({})",
                    ps.join(", ")
                );
                change.changed += conn.execute(&sql.text, &sql.params)?;
            }
            let mut chain = audit::Chain::open(conn)?;
            for (id, before) in targets.iter().filter(|t| t.1 != status.as_str()) {
                chain.append(
                    conn,
                    audit::NewEntry {
                        at: at.clone(),
                        actor: by.to_string(),
                        action: "status".into(),
                        kind: "event",
                        object: id.to_string(),
                        change: serde_json::json!({
                            "status": {"before": before, "after": status.as_str()}
                        }),
                    },
                )?;
            }
            let ids: Vec<i64> = targets.iter().map(|t| t.0).collect();
            Ok((change, ids))
        })?;
        let (change, ids) = change;
        // A rejected event leaves its incident (and its source the count) at once.
        if change.changed > 0 {
            self.corroborate_after(&ids, at_time)?;
        }
        Ok(change)
    }

    /// Replaces an event's record with an analyst's version. Marks it edited, so that
    /// re-coding its report keeps it. Returns whether the event exists.
    pub fn edit_event(
        &mut self,
        id: i64,
        event: &Event,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let mut params = event_values(event).map_err(|e| self.err(e))?;
        let at_time = at;
        let at = rfc3339(at);
        params.extend([by.into(), at.as_str().into(), id.into()]);
        let notes = public_search_text(event);
        let select = format!("{} WHERE e.id = $1", *SELECT_EVENTS);
        let found = self.write(|conn| {
            let Some(before) = conn.query_one(&select, &[id.into()], event_from_row)? else {
                return Ok(false);
            };
            if conn.execute(&UPDATE_EVENT, &params)? == 0 {
                return Ok(false);
            }
            conn.execute("DELETE FROM event_search WHERE rowid = $1", &[id.into()])?;
            index_text(conn, "event_search", id, &notes)?;
            // A blank ACLED id reads back as IRN-U and the id: compare like with like.
            let mut after = event.clone();
            if after.event_id_cnty.is_empty() {
                after.event_id_cnty = format!("IRN-U{id}");
            }
            let mut change = audit::diff(&before.event, &after);
            if let Some(map) = change.as_object_mut() {
                if !before.edited {
                    map.insert(
                        "edited".into(),
                        serde_json::json!({"before": false, "after": true}),
                    );
                }
                // The whole record as it now is, so verification can compare the row.
                map.insert("record_sha256".into(), audit::record_sha256(&after).into());
            }
            audit::append(
                conn,
                audit::NewEntry {
                    at: at.clone(),
                    actor: by.to_string(),
                    action: "edit".into(),
                    kind: "event",
                    object: id.to_string(),
                    change,
                },
            )?;
            Ok(true)
        })?;
        if found {
            self.corroborate_after(&[id], at_time)?;
        }
        Ok(found)
    }

    /// Stores events that come with no report (ACLED rows) in one transaction, with
    /// `status`, changed `by` at `at`. An event whose `event_id_cnty` is already among
    /// the imported ones is skipped, so importing a file twice adds nothing.
    pub fn import_events(
        &mut self,
        events: &[Event],
        status: Status,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<Imported> {
        let at = rfc3339(at);
        self.write(|conn| {
            let mut chain = audit::Chain::open(conn)?;
            let mut search = SearchRows::default();
            let mut done = Imported::default();
            for e in events {
                match insert_event(
                    conn,
                    &mut search,
                    &INSERT_EVENT_SKIP,
                    None,
                    e,
                    status,
                    Some(by),
                    Some(&at),
                )? {
                    Some(id) => {
                        done.inserted += 1;
                        chain.append(
                            conn,
                            audit::NewEntry {
                                at: at.clone(),
                                actor: by.to_string(),
                                action: "import".into(),
                                kind: "event",
                                object: id.to_string(),
                                change: serde_json::json!({
                                    "event_id_cnty": e.event_id_cnty,
                                    "status": status.as_str(),
                                    "record_sha256": audit::record_sha256(e),
                                }),
                            },
                        )?;
                    }
                    None => done.duplicates += 1,
                }
            }
            search.write(conn)?;
            Ok(done)
        })
    }

    /// How many reports (and of them not yet coded) and events are stored.
    pub fn counts(&mut self) -> Result<Counts> {
        let count = |conn: &mut Conn, sql: &str| -> BResult<u64> {
            Ok(conn.query_one(sql, &[], |r| r.req_int(0))?.unwrap_or(0) as u64)
        };
        let c = (|| {
            Ok(Counts {
                reports: count(&mut self.conn, "SELECT COUNT(*) FROM reports")?,
                uncoded_reports: count(
                    &mut self.conn,
                    "SELECT COUNT(*) FROM reports WHERE coded_with IS NULL",
                )?,
                events: count(&mut self.conn, "SELECT COUNT(*) FROM events")?,
            })
        })();
        c.map_err(|e| self.err(e))
    }

    /// Runs raw SQL statements: for tests that need a database in a state the API cannot
    /// produce (an old schema, a newer version number).
    #[doc(hidden)]
    pub fn execute_raw(&mut self, sql: &str) -> Result<()> {
        self.conn.batch(sql).map_err(|e| self.err(e))
    }

    /// Updates the planner's statistics; worth running after a large load.
    pub fn analyze(&mut self) -> Result<()> {
        let sql = match self.dialect() {
            Dialect::Sqlite => "ANALYZE; PRAGMA optimize;",
            Dialect::Postgres => "ANALYZE",
        };
        self.conn.batch(sql).map_err(|e| self.err(e))
    }
}
