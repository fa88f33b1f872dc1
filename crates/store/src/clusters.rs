//! Corroboration over the dataset: what `unrest_corroborate` needs, kept with the reports
//! and events, and what it finds, kept for the digest and the web app.
//!
//! - Per report: the source [`Fingerprint`] of its exact text (computed on arrival; reports
//!   older than this schema get theirs on the next run) and the grade of the channel it came
//!   through (`channels`: an analyst grades a channel once; its reports take the grade).
//! - Analysts' decisions (merge, split, grade, publish) as the corroborate crate's
//!   [`Decision`] JSON, in the order taken, with who and when, each logged in the audit log.
//!   They name events by [`EventKey`] (report, date, place), not by id, so they hold when a
//!   report is re-coded and its events get new ids.
//! - The clusters ([`Store::cluster`], kept current by [`Store::corroborate_events`]): each
//!   incident's canonical fields, source count, grade, conflicts and members. A whole run
//!   replaces them all, an incremental one those of a neighbourhood; the clusters are
//!   derived data, so replacing them is not a change the audit log records.
//!
//! An incident is *published* when an analyst's publish decision says so, or, without one,
//! when any of its events is `published`: publishing one report's event publishes the
//! incident the other reports corroborate. Rejected events are left out of clustering.

use crate::audit::{self, NewEntry};
use crate::conn::{BResult, BackendError, Conn, Row, Value};
use crate::filter::Sql;
use crate::{Error, Filter, Result, Status, Store, StoredEvent};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
use unrest_corroborate::{
    cluster_with, suggest_grade, Cluster, Clustering, Decision, EventKey, EventRef, Fingerprint,
    Grade, Params, Reliability, SourceParams,
};

/// The tables of corroboration (migration 5).
pub(crate) fn ddl(d: crate::Dialect) -> String {
    d.ddl(
        r#"
ALTER TABLE reports ADD COLUMN fingerprint {bytes};
ALTER TABLE reports ADD COLUMN channel_grade TEXT;
CREATE TABLE channels (
    name TEXT PRIMARY KEY,
    reliability TEXT NOT NULL CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
    graded_by TEXT NOT NULL,
    graded_at TEXT NOT NULL
);
CREATE TABLE decisions (
    id {id},
    decided_at TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decision TEXT NOT NULL
);
-- No foreign keys to events: re-coding deletes events, and the next run rebuilds these.
CREATE TABLE clusters (
    id BIGINT PRIMARY KEY,
    lead_event_id BIGINT NOT NULL,
    event_date TEXT NOT NULL,
    time_precision BIGINT NOT NULL,
    location TEXT NOT NULL,
    admin1 TEXT NOT NULL,
    latitude {real} NOT NULL,
    longitude {real} NOT NULL,
    geo_precision BIGINT NOT NULL,
    event_type TEXT NOT NULL,
    sub_event_type TEXT NOT NULL,
    fatalities BIGINT NOT NULL,
    injuries BIGINT,
    arrests BIGINT,
    source_count BIGINT NOT NULL,
    report_count BIGINT NOT NULL,
    grade TEXT NOT NULL,
    graded_by_analyst BIGINT NOT NULL,
    published BIGINT NOT NULL,
    conflicts TEXT NOT NULL
);
CREATE INDEX clusters_published ON clusters (published, event_date);
CREATE TABLE cluster_members (
    event_id BIGINT PRIMARY KEY,
    cluster_id BIGINT NOT NULL
);
CREATE INDEX cluster_members_cluster ON cluster_members (cluster_id);
CREATE TABLE cluster_runs (
    id {id},
    ran_at TEXT NOT NULL,
    events BIGINT NOT NULL,
    clusters BIGINT NOT NULL,
    unresolved TEXT NOT NULL
);
"#,
    )
}

/// Migration 11: what the neighbourhood search of incremental corroboration needs beyond
/// `events_date` (events dated only to a month reach a month around their date).
pub(crate) fn neighbourhood_ddl(_: crate::Dialect) -> String {
    "CREATE INDEX events_month ON events (time_precision, event_date);".into()
}

const FINGERPRINT_BYTES: usize = 4 + 4 * unrest_corroborate::sources::SIGNATURE_LEN;

fn fingerprint_bytes(fp: &Fingerprint) -> Vec<u8> {
    let mut out = Vec::with_capacity(FINGERPRINT_BYTES);
    out.extend(fp.shingles.to_le_bytes());
    for v in &fp.minhash {
        out.extend(v.to_le_bytes());
    }
    out
}

fn fingerprint_of_bytes(b: &[u8]) -> Option<Fingerprint> {
    if b.len() < 4 || !(b.len() - 4).is_multiple_of(4) {
        return None;
    }
    let word = |c: &[u8]| u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
    Some(Fingerprint {
        shingles: word(&b[..4]),
        minhash: b[4..].chunks_exact(4).map(word).collect(),
    })
}

/// Keeps a new report's fingerprint and its channel's grade: called by every path that stores
/// a report, in its transaction.
/// The stored source fingerprint of a report's text.
pub(crate) fn fingerprint_of(text: &str) -> Vec<u8> {
    fingerprint_bytes(&Fingerprint::of(text))
}

pub(crate) fn on_receive(
    conn: &mut Conn,
    report_id: i64,
    text: &str,
    channel: &str,
) -> BResult<()> {
    conn.execute(
        "UPDATE reports SET fingerprint = $1,
            channel_grade = (SELECT reliability FROM channels WHERE name = $2)
         WHERE id = $3",
        &[
            Value::Bytes(fingerprint_of(text)),
            channel.into(),
            report_id.into(),
        ],
    )?;
    Ok(())
}

/// The name clustering gives an event's report: the store's report id, or for an event that
/// came without a report (an ACLED row) its own, so it is a source of its own.
fn report_key(report_id: Option<i64>, event_id: i64) -> String {
    match report_id {
        Some(r) => r.to_string(),
        None => format!("e{event_id}"),
    }
}

/// Placeholders `$1, $2, …` and their values, for an `IN (…)` list of ids.
fn in_list(ids: &[i64]) -> (String, Vec<Value>) {
    let list: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    (list.join(", "), ids.iter().map(|&id| id.into()).collect())
}

/// What [`report_key`] names: the events column and the id (`e12` is event 12, `34` the
/// events of report 34).
fn parse_report_key(key: &str) -> Option<(&'static str, i64)> {
    match key.strip_prefix('e') {
        Some(e) => Some(("id", e.parse().ok()?)),
        None => Some(("report_id", key.parse().ok()?)),
    }
}

/// An analyst's decision as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDecision {
    pub id: i64,
    pub decided_at: String,
    pub decided_by: String,
    pub decision: Decision,
}

/// What a clustering run found, for the summary line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClusterRun {
    pub events: usize,
    pub reports: usize,
    /// Independent sources among those reports (copies counted once).
    pub sources: usize,
    pub clusters: usize,
    /// Incidents backed by two or more independent sources.
    pub corroborated: usize,
    pub with_conflicts: usize,
    pub published: usize,
    pub decisions: usize,
    /// Decisions whose events are no longer found, for the analyst to redo.
    pub unresolved: Vec<StoredDecision>,
}

/// One incident of the last run, as the digest and reviewers see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub cluster_id: i64,
    /// The canonical event: the lead event with the merged fields written over it.
    pub event: StoredEvent,
    /// Admiralty grade, e.g. `B2`.
    pub grade: String,
    pub graded_by_analyst: bool,
    pub source_count: u64,
    pub report_count: u64,
    pub published: bool,
    /// The fields members disagree on, as JSON (`unrest_corroborate::Conflict`s).
    pub conflicts: String,
    /// Event ids, ascending.
    pub members: Vec<i64>,
    /// The member whose notes the canonical event carries: one that tells the incident as
    /// the canonical fields do (date, place and type, and the counts when one does), else
    /// the lead. Notes are written from an event's own fields, so another member's could
    /// name another day or type than the incident's.
    pub notes_from: i64,
    /// Whether that member's counts are the canonical ones too; when not, the figures in
    /// its notes are that report's, not the incident's.
    pub notes_counts_agree: bool,
}

/// A condition on `clusters c`: none of its events was rejected since the run. The public
/// follows a retraction at once: an incident with a rejected event leaves every public view
/// (digest, totals) until the next run regroups what remains.
const NOT_RETRACTED: &str = "NOT EXISTS (SELECT 1 FROM cluster_members m JOIN events x \
    ON x.id = m.event_id WHERE m.cluster_id = c.id AND x.status = 'rejected')";

/// Sums over published incidents of a period, as the digest's summary table shows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IncidentTotals {
    pub events: u64,
    pub fatalities: u64,
    pub injuries: u64,
    pub arrests: u64,
}

/// One event as clustering reads it: numbers and indexes into the input's string pool.
#[derive(Debug, Clone)]
struct Lean {
    id: i64,
    report: usize,
    date: Option<NaiveDate>,
    time_precision: u8,
    latitude: f64,
    longitude: f64,
    geo_precision: u8,
    location: u32,
    admin1: u32,
    event_type: u32,
    sub_event_type: u32,
    fatalities: Option<u32>,
    injuries: Option<u32>,
    arrests: Option<u32>,
    published: bool,
    /// For an event without a report (an ACLED row), its own `source`; else empty.
    own_source: u32,
}

/// A report as clustering sees it.
struct Source {
    /// The report's key (see `report_key`).
    key: String,
    fingerprint: Fingerprint,
    channel: Reliability,
    /// The channel it came through (`cli`, `web`, a Telegram channel…): what an incident's
    /// `source` names. Never the reporter.
    channel_name: String,
}

/// The events, sources and decisions a run clusters, loaded from the store. Strings that
/// repeat (places, types) are kept once, so a million events fit in a few hundred MB.
pub struct ClusterInput {
    events: Vec<Lean>,
    ids: Vec<String>,
    pool: Vec<String>,
    reports: Vec<Source>,
    decisions: Vec<StoredDecision>,
}

impl ClusterInput {
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    fn refs(&self) -> Vec<EventRef<'_>> {
        self.events
            .iter()
            .zip(&self.ids)
            .map(|(e, id)| {
                let report = &self.reports[e.report];
                EventRef {
                    id,
                    report: &report.key,
                    source: "",
                    channel: report.channel,
                    date: e.date,
                    time_precision: e.time_precision,
                    latitude: e.latitude,
                    longitude: e.longitude,
                    geo_precision: e.geo_precision,
                    location: &self.pool[e.location as usize],
                    admin1: &self.pool[e.admin1 as usize],
                    event_type: &self.pool[e.event_type as usize],
                    sub_event_type: &self.pool[e.sub_event_type as usize],
                    fatalities: e.fatalities,
                    injuries: e.injuries,
                    arrests: e.arrests,
                }
            })
            .collect()
    }

    /// Clusters the input with the analysts' decisions: pure, no database.
    ///
    /// Copies are looked for only among the reports of one incident, after grouping: who
    /// copied whom matters only to count an incident's sources, and comparing every pair of
    /// reports that share boilerplate (a channel's header, a template) is quadratic —
    /// `source_groups_of` over 250,000 templated reports ran for minutes and 8 GB. Each
    /// incident's pairs are compared with [`Fingerprint::is_copy_of`], and its copies are one
    /// source, named by the smallest report key among them. An incident's sources depend on
    /// its own reports only, so re-clustering a neighbourhood (the incremental path) gives
    /// the counts a whole run gives. Then each incident's grade is suggested from them
    /// (grouping itself does not depend on sources).
    pub fn cluster(&self, params: &Params) -> Clustering {
        let decisions: Vec<Decision> = self.decisions.iter().map(|d| d.decision.clone()).collect();
        let mut clustering = cluster_with(&self.refs(), &decisions, params);
        for c in &mut clustering.clusters {
            c.sources = self.sources_of(c);
            c.source_count = c.sources.len();
            if !c.graded_by_analyst {
                let channels: Vec<Reliability> = c
                    .members
                    .iter()
                    .map(|&m| self.reports[self.events[m].report].channel)
                    .collect();
                c.grade = suggest_grade(c.source_count, &channels);
            }
        }
        clustering
    }

    /// An incident's independent sources, sorted: its reports, copies among them counted
    /// once under the smallest key of their group.
    fn sources_of(&self, c: &Cluster) -> Vec<String> {
        let params = SourceParams::default();
        let mut reports: Vec<usize> = c.members.iter().map(|&m| self.events[m].report).collect();
        reports.sort_unstable();
        reports.dedup();
        let mut parent: Vec<usize> = (0..reports.len()).collect();
        fn find(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for x in 0..reports.len() {
            for y in x + 1..reports.len() {
                let (rx, ry) = (find(&mut parent, x), find(&mut parent, y));
                if rx != ry
                    && self.reports[reports[x]]
                        .fingerprint
                        .is_copy_of(&self.reports[reports[y]].fingerprint, &params)
                {
                    parent[rx.max(ry)] = rx.min(ry);
                }
            }
        }
        let mut name: HashMap<usize, &str> = HashMap::new();
        for (x, &report) in reports.iter().enumerate() {
            let root = find(&mut parent, x);
            let key = self.reports[report].key.as_str();
            let best = name.entry(root).or_insert(key);
            if key < *best {
                *best = key;
            }
        }
        let mut out: Vec<String> = name.into_values().map(String::from).collect();
        out.sort_unstable();
        out
    }

    /// The channels an incident's reports came through (an imported row's own `source`), in
    /// order, each once: the incident's `source`, which names no reporter.
    fn channels_of(&self, c: &Cluster) -> String {
        let mut names: Vec<&str> = c
            .members
            .iter()
            .map(|&m| {
                let e = &self.events[m];
                let channel = self.reports[e.report].channel_name.as_str();
                if channel.is_empty() {
                    self.pool[e.own_source as usize].as_str()
                } else {
                    channel
                }
            })
            .filter(|s| !s.is_empty())
            .collect();
        names.sort_unstable();
        names.dedup();
        names.join("; ")
    }

    /// The member whose notes the incident carries (see [`Incident::notes_from`]): one that
    /// tells it as the canonical fields do, those whose counts agree too first, then the
    /// lead, then the oldest; else the lead. And whether its counts are the incident's.
    fn notes_member(&self, c: &Cluster) -> (i64, bool) {
        let k = &c.canonical;
        let lead = self.events[k.lead].id;
        let pool = |i: u32| self.pool[i as usize].as_str();
        let counts = |e: &Lean| {
            (e.fatalities.unwrap_or(0), e.injuries, e.arrests)
                == (k.fatalities, k.injuries, k.arrests)
        };
        c.members
            .iter()
            .map(|&m| &self.events[m])
            .filter(|e| {
                e.date == k.event_date
                    && e.time_precision == k.time_precision
                    && pool(e.location) == k.location
                    && e.geo_precision == k.geo_precision
                    && pool(e.event_type) == k.event_type
                    && pool(e.sub_event_type) == k.sub_event_type
            })
            .min_by_key(|e| (!counts(e), e.id != lead, e.id))
            .map_or_else(
                || (lead, counts(&self.events[k.lead])),
                |e| (e.id, counts(e)),
            )
    }

    /// Whether the cluster is published: by the latest publish decision that shaped it, else
    /// by any of its events being published.
    fn published(&self, c: &Cluster) -> bool {
        let decided = c
            .decisions
            .iter()
            .any(|&d| matches!(self.decisions[d].decision, Decision::Publish { .. }));
        if decided {
            c.published
        } else {
            c.members.iter().any(|&m| self.events[m].published)
        }
    }
}

/// Interns strings of the input.
#[derive(Default)]
struct Pool {
    index: HashMap<String, u32>,
    strings: Vec<String>,
}

impl Pool {
    fn put(&mut self, s: String) -> u32 {
        if let Some(&i) = self.index.get(&s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.index.insert(s.clone(), i);
        self.strings.push(s);
        i
    }
}

/// The statuses clustering takes: every one but `rejected`.
const CLUSTERED: [Status; 3] = [Status::Coded, Status::Verified, Status::Published];

/// What clustering reads of an event, in [`InputBuilder::row`]'s order.
const SELECT_LEAN: &str = "SELECT e.id, e.report_id, e.event_date, e.time_precision, e.latitude,
        e.longitude, e.geo_precision, e.location, e.admin1, e.event_type, e.sub_event_type,
        CASE WHEN e.fatalities > 0 OR e.evidence LIKE '%\"field\":\"fatalities\"%'
            THEN e.fatalities END,
        e.injuries, e.arrests, e.status,
        CASE WHEN e.report_id IS NULL THEN e.source ELSE '' END
     FROM events e";

/// Collects the rows of [`SELECT_LEAN`] into a [`ClusterInput`]'s events.
#[derive(Default)]
struct InputBuilder {
    pool: Pool,
    events: Vec<Lean>,
    ids: Vec<String>,
    report_index: HashMap<String, usize>,
    report_ids: Vec<(String, Option<i64>)>,
}

impl InputBuilder {
    /// Puts the events in id order (the order a whole run reads them in), when they were
    /// read in several queries.
    fn sort_by_id(&mut self) {
        let mut order: Vec<usize> = (0..self.events.len()).collect();
        order.sort_by_key(|&i| self.events[i].id);
        self.events = order.iter().map(|&i| self.events[i].clone()).collect();
        self.ids = order.iter().map(|&i| self.ids[i].clone()).collect();
    }

    fn row(&mut self, r: &dyn Row) -> BResult<()> {
        self.read(r).map_err(BackendError::Row)
    }

    fn read(&mut self, r: &dyn Row) -> std::result::Result<(), String> {
        if self.pool.strings.is_empty() {
            self.pool.put(String::new());
        }
        let count = |i: usize| -> std::result::Result<Option<u32>, String> {
            r.int(i)?
                .map(|v| u32::try_from(v).map_err(|_| format!("column {i} out of range")))
                .transpose()
        };
        let small = |i: usize| -> std::result::Result<u8, String> {
            u8::try_from(r.req_int(i)?).map_err(|_| format!("column {i} out of range"))
        };
        let id = r.req_int(0)?;
        let report_id = r.int(1)?;
        let key = report_key(report_id, id);
        let report = match self.report_index.get(&key) {
            Some(&i) => i,
            None => {
                self.report_ids.push((key.clone(), report_id));
                self.report_index.insert(key, self.report_ids.len() - 1);
                self.report_ids.len() - 1
            }
        };
        let pool = &mut self.pool;
        self.events.push(Lean {
            id,
            report,
            date: NaiveDate::parse_from_str(&r.req_text(2)?, "%Y-%m-%d").ok(),
            time_precision: small(3)?,
            latitude: r.real(4)?.unwrap_or_default(),
            longitude: r.real(5)?.unwrap_or_default(),
            geo_precision: small(6)?,
            location: pool.put(r.req_text(7)?),
            admin1: pool.put(r.req_text(8)?),
            event_type: pool.put(r.req_text(9)?),
            sub_event_type: pool.put(r.req_text(10)?),
            fatalities: count(11)?,
            injuries: count(12)?,
            arrests: count(13)?,
            published: r.req_text(14)? == Status::Published.as_str(),
            own_source: pool.put(r.req_text(15)?),
        });
        self.ids.push(id.to_string());
        Ok(())
    }
}

/// What the neighbourhood search reads of an event, in [`Near::from_row`]'s order.
const SELECT_NEAR: &str = "SELECT e.id, e.report_id, e.event_date, e.time_precision,
        e.latitude, e.longitude, e.geo_precision, e.location, e.admin1, e.status
     FROM events e";

/// An event as the neighbourhood search sees it.
struct Near {
    id: i64,
    report_id: Option<i64>,
    date: Option<NaiveDate>,
    time_precision: u8,
    latitude: f64,
    longitude: f64,
    geo_precision: u8,
    location: String,
    admin1: String,
    status_clustered: bool,
}

impl Near {
    fn from_row(r: &dyn Row) -> std::result::Result<Near, String> {
        let small = |i: usize| -> std::result::Result<u8, String> {
            Ok(u8::try_from(r.req_int(i)?.clamp(0, 255)).unwrap_or_default())
        };
        Ok(Near {
            id: r.req_int(0)?,
            report_id: r.int(1)?,
            date: NaiveDate::parse_from_str(&r.req_text(2)?, "%Y-%m-%d").ok(),
            time_precision: small(3)?,
            latitude: r.real(4)?.unwrap_or_default(),
            longitude: r.real(5)?.unwrap_or_default(),
            geo_precision: small(6)?,
            location: r.req_text(7)?,
            admin1: r.req_text(8)?,
            status_clustered: r.req_text(9)? != Status::Rejected.as_str(),
        })
    }

    fn as_ref(&self) -> EventRef<'_> {
        EventRef {
            id: "",
            report: "",
            source: "",
            channel: Reliability::F,
            date: self.date,
            time_precision: self.time_precision,
            latitude: self.latitude,
            longitude: self.longitude,
            geo_precision: self.geo_precision,
            location: &self.location,
            admin1: &self.admin1,
            event_type: "",
            sub_event_type: "",
            fatalities: None,
            injuries: None,
            arrests: None,
        }
    }
}

/// What one neighbourhood search asked: which of [`Store::near`]'s two searches, its days,
/// and the place it was asked about (every parameter of the search).
#[derive(PartialEq, Eq, Hash)]
struct NearbyKey {
    which: usize,
    from: i32,
    to: i32,
    latitude: u64,
    longitude: u64,
    location: String,
    admin1: String,
    wide: bool,
}

/// The rows of the neighbourhood searches made during one corroboration, by what each asked.
#[derive(Default)]
struct NearbyCache {
    rows: HashMap<NearbyKey, Vec<Near>>,
}

fn decision_from_row(r: &dyn Row) -> std::result::Result<StoredDecision, String> {
    let json = r.req_text(3)?;
    Ok(StoredDecision {
        id: r.req_int(0)?,
        decided_at: r.req_text(1)?,
        decided_by: r.req_text(2)?,
        decision: serde_json::from_str(&json).map_err(|e| format!("decision: {e}"))?,
    })
}

/// Rows per multi-row INSERT when saving a run: one round trip each on PostgreSQL, within
/// both backends' limits on bound parameters.
const ROWS_PER_INSERT: usize = 400;

fn insert_rows(conn: &mut Conn, head: &str, width: usize, rows: &[Vec<Value>]) -> BResult<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut n = 0;
        let tuples: Vec<String> = chunk
            .iter()
            .map(|_| {
                let ps: Vec<String> = (0..width)
                    .map(|_| {
                        n += 1;
                        format!("${n}")
                    })
                    .collect();
                format!("({})", ps.join(", "))
            })
            .collect();
        let params: Vec<Value> = chunk.iter().flatten().cloned().collect();
        conn.execute(&format!("{head} VALUES {}", tuples.join(", ")), &params)?;
    }
    Ok(())
}

/// A run's rows, ready to store.
struct SavedRun {
    rows: Vec<Vec<Value>>,
    members: Vec<Vec<Value>>,
    unresolved: String,
    at: String,
}

/// Replaces the stored clusters with a run's, inside the caller's transaction.
fn store_run(conn: &mut Conn, run: &ClusterRun, saved: &SavedRun) -> BResult<()> {
    conn.execute("DELETE FROM cluster_members", &[])?;
    conn.execute("DELETE FROM clusters", &[])?;
    insert_clusters(conn, saved)?;
    crate::incidents::rewrite_all(conn)?;
    conn.execute(
        "INSERT INTO cluster_runs (ran_at, events, clusters, unresolved) VALUES ($1, $2, $3, $4)",
        &[
            saved.at.as_str().into(),
            (run.events as i64).into(),
            (run.clusters as i64).into(),
            saved.unresolved.as_str().into(),
        ],
    )?;
    Ok(())
}

/// Inserts a run's incidents and their members.
fn insert_clusters(conn: &mut Conn, saved: &SavedRun) -> BResult<()> {
    insert_rows(
        conn,
        "INSERT INTO clusters (id, lead_event_id, event_date, time_precision, location,
            admin1, latitude, longitude, geo_precision, event_type, sub_event_type,
            fatalities, injuries, arrests, source_count, report_count, grade,
            graded_by_analyst, published, conflicts, sources, members, notes_event_id,
            notes_counts_agree)",
        24,
        &saved.rows,
    )?;
    insert_rows(
        conn,
        "INSERT INTO cluster_members (event_id, cluster_id)",
        2,
        &saved.members,
    )
}

impl Store {
    /// Grades a reporting channel (the `channel` reports arrive with) and every report that
    /// came through it; later reports of the channel take the grade on arrival. Logged.
    /// Returns how many reports took the grade.
    pub fn grade_channel(
        &mut self,
        channel: &str,
        reliability: Reliability,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<u64> {
        let by = require_name(by)?;
        let channel = channel.trim().to_string();
        if channel.is_empty() {
            return Err(Error::Invalid("name the channel to grade".into()));
        }
        let letter = reliability.letter().to_string();
        let at_time = at;
        let at = crate::rfc3339(at);
        let reports = self.write(|conn| {
            let before = conn.query_one(
                "SELECT reliability FROM channels WHERE name = $1",
                &[channel.as_str().into()],
                |r| r.req_text(0),
            )?;
            conn.execute("DELETE FROM channels WHERE name = $1", &[channel.as_str().into()])?;
            conn.execute(
                "INSERT INTO channels (name, reliability, graded_by, graded_at) VALUES ($1, $2, $3, $4)",
                &[channel.as_str().into(), letter.as_str().into(), by.into(), at.as_str().into()],
            )?;
            let reports = conn.execute(
                "UPDATE reports SET channel_grade = $1 WHERE channel = $2",
                &[letter.as_str().into(), channel.as_str().into()],
            )?;
            audit::append(
                conn,
                NewEntry {
                    at: at.clone(),
                    actor: by.to_string(),
                    action: "grade-channel".into(),
                    kind: "channel",
                    object: channel.clone(),
                    change: serde_json::json!({
                        "reliability": {"before": before, "after": letter},
                        "reports": reports,
                    }),
                },
            )?;
            Ok(reports)
        })?;
        self.corroborate(at_time)?;
        Ok(reports)
    }

    /// The key an analyst's decision names event `id` by; `None` when there is no such event.
    pub fn event_key(&mut self, id: i64) -> Result<Option<EventKey>> {
        Ok(self.event(id)?.map(|e| {
            let date = NaiveDate::parse_from_str(&e.event.event_date, "%Y-%m-%d").ok();
            EventKey {
                report: report_key(e.report_id, e.id),
                event_date: date.map(|d| d.to_string()).unwrap_or_default(),
                location: e.event.location.clone(),
                latitude: e.event.latitude,
                longitude: e.event.longitude,
            }
        }))
    }

    /// Records an analyst's decision, after those already taken, and logs it. Returns its id.
    pub fn decide(&mut self, decision: &Decision, by: &str, at: DateTime<Utc>) -> Result<i64> {
        let by = require_name(by)?.to_string();
        let json = serde_json::to_string(decision)
            .map_err(|e| Error::Invalid(format!("decision: {e}")))?;
        let at_time = at;
        let at = crate::rfc3339(at);
        let id = self.write(|conn| {
            let id = conn
                .query_one(
                    "INSERT INTO decisions (decided_at, decided_by, decision) VALUES ($1, $2, $3)
                     RETURNING id",
                    &[at.as_str().into(), by.as_str().into(), json.as_str().into()],
                    |r| r.req_int(0),
                )?
                .ok_or_else(|| BackendError::Row("no id for the decision".into()))?;
            let change: serde_json::Value =
                serde_json::from_str(&json).map_err(|e| BackendError::Row(e.to_string()))?;
            audit::append(
                conn,
                NewEntry {
                    at: at.clone(),
                    actor: by.clone(),
                    action: "decide".into(),
                    kind: "decision",
                    object: id.to_string(),
                    change: serde_json::json!({"decision": {"before": null, "after": change}}),
                },
            )?;
            Ok(id)
        })?;
        // The decision holds at once, not at the next run: around the events it names.
        let keys: Vec<&EventKey> = match decision {
            Decision::Merge { a, b } => vec![a, b],
            Decision::Split { event }
            | Decision::Grade { event, .. }
            | Decision::Publish { event, .. } => vec![event],
        };
        let mut seeds = Vec::new();
        for k in keys {
            seeds.extend(self.events_of_report_key(&k.report)?);
        }
        self.corroborate_after(&seeds, at_time)?;
        Ok(id)
    }

    /// Takes event `id` out of its incident (an analyst's split decision, which holds across
    /// re-coding and re-clustering) and corroborates at once. Returns the decision's id, or
    /// `None` when there is no such event.
    pub fn split_event(&mut self, id: i64, by: &str, at: DateTime<Utc>) -> Result<Option<i64>> {
        let Some(event) = self.event_key(id)? else {
            return Ok(None);
        };
        self.decide(&Decision::Split { event }, by, at).map(Some)
    }

    /// Every decision, in the order taken.
    pub fn decisions(&mut self) -> Result<Vec<StoredDecision>> {
        self.conn
            .query_all(
                "SELECT id, decided_at, decided_by, decision FROM decisions ORDER BY id",
                &[],
                decision_from_row,
            )
            .map_err(|e| self.err(e))
    }

    /// Fingerprints reports stored before fingerprints were kept, a thousand a transaction.
    fn fill_fingerprints(&mut self) -> Result<u64> {
        let mut done = 0u64;
        loop {
            let n = self.write(|conn| {
                let rows = conn.query_all(
                    "SELECT id, text FROM reports WHERE fingerprint IS NULL ORDER BY id LIMIT 1000",
                    &[],
                    |r| Ok((r.req_int(0)?, r.bytes(1)?.unwrap_or_default())),
                )?;
                for (id, text) in &rows {
                    let fp = Fingerprint::of(&String::from_utf8_lossy(text));
                    conn.execute(
                        "UPDATE reports SET fingerprint = $1 WHERE id = $2",
                        &[Value::Bytes(fingerprint_bytes(&fp)), (*id).into()],
                    )?;
                }
                Ok(rows.len() as u64)
            })?;
            done += n;
            if n == 0 {
                return Ok(done);
            }
        }
    }

    /// Loads what a run clusters: the events of `filter` (without a status filter, every
    /// event but the rejected ones), their reports' sources and channel grades, and every
    /// decision.
    pub fn cluster_input(&mut self, filter: &Filter) -> Result<ClusterInput> {
        filter.validate()?;
        self.fill_fingerprints()?;
        self.load_cluster_input(filter)
    }

    /// [`Store::cluster_input`] without first fingerprinting old reports: reads only, so it
    /// can run inside the transaction of a run.
    fn load_cluster_input(&mut self, filter: &Filter) -> Result<ClusterInput> {
        let mut filter = filter.clone();
        if filter.status.is_empty() {
            filter.status = CLUSTERED.to_vec();
        }
        let common = self.search_plan(&filter)?;
        let mut sql = Sql::new(SELECT_LEAN);
        crate::filter::where_clause(&mut sql, self.dialect(), &filter, None, &[], common);
        sql.text.push_str(" ORDER BY e.id");
        let mut builder = InputBuilder::default();
        self.conn
            .query_each::<BackendError>(&sql.text, &sql.params, &mut |r| builder.row(r))
            .map_err(|e| self.err(e))?;
        self.finish_input(builder)
    }

    /// The input of the events `ids` that clustering takes (not rejected), by id.
    fn load_cluster_input_of(&mut self, ids: &[i64]) -> Result<ClusterInput> {
        let mut builder = InputBuilder::default();
        let statuses: Vec<String> = CLUSTERED
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        for chunk in ids.chunks(500) {
            let mut sql = Sql::new(SELECT_LEAN);
            let ps: Vec<String> = chunk.iter().map(|&id| sql.bind(id)).collect();
            sql.text.push_str(&format!(
                " WHERE e.id IN ({}) AND e.status IN ({}) ORDER BY e.id",
                ps.join(", "),
                statuses.join(", ")
            ));
            self.conn
                .query_each::<BackendError>(&sql.text, &sql.params, &mut |r| builder.row(r))
                .map_err(|e| self.err(e))?;
        }
        self.finish_input(builder)
    }

    /// The input of the clustered events dated within any of `ranges` (inclusive), by id.
    fn load_cluster_input_in(&mut self, ranges: &[(String, String)]) -> Result<ClusterInput> {
        let mut builder = InputBuilder::default();
        let statuses: Vec<String> = CLUSTERED
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        for chunk in ranges.chunks(200) {
            let mut sql = Sql::new(SELECT_LEAN);
            let conditions: Vec<String> = chunk
                .iter()
                .map(|(from, to)| {
                    let (a, b) = (sql.bind(from.as_str()), sql.bind(to.as_str()));
                    format!("(e.event_date >= {a} AND e.event_date <= {b})")
                })
                .collect();
            sql.text.push_str(&format!(
                " WHERE ({}) AND e.status IN ({}) ORDER BY e.id",
                conditions.join(" OR "),
                statuses.join(", ")
            ));
            self.conn
                .query_each::<BackendError>(&sql.text, &sql.params, &mut |r| builder.row(r))
                .map_err(|e| self.err(e))?;
        }
        if ranges.len() > 200 {
            builder.sort_by_id();
        }
        self.finish_input(builder)
    }

    /// Adds the reports' fingerprints, channels and grades, and every decision.
    fn finish_input(&mut self, builder: InputBuilder) -> Result<ClusterInput> {
        let InputBuilder {
            pool,
            events,
            ids,
            report_ids,
            ..
        } = builder;
        // The reports' fingerprints and channel grades; events without a report are each a
        // source of their own, of an ungraded channel.
        let mut prints: HashMap<i64, (Fingerprint, Reliability, String)> = HashMap::new();
        let mut wanted: Vec<i64> = report_ids.iter().filter_map(|(_, r)| *r).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut read = |r: &dyn Row| -> std::result::Result<(), String> {
            let id = r.req_int(0)?;
            let fp = r
                .bytes(1)?
                .and_then(|b| fingerprint_of_bytes(&b))
                .unwrap_or(Fingerprint {
                    shingles: 0,
                    minhash: Vec::new(),
                });
            let grade = r
                .text(2)?
                .and_then(|g| g.chars().next())
                .and_then(Reliability::from_letter)
                .unwrap_or_default();
            prints.insert(id, (fp, grade, r.req_text(3)?));
            Ok(())
        };
        for chunk in wanted.chunks(500) {
            let mut sql = Sql::new("SELECT id, fingerprint, channel_grade, channel FROM reports");
            let ps: Vec<String> = chunk.iter().map(|&id| sql.bind(id)).collect();
            sql.text
                .push_str(&format!(" WHERE id IN ({})", ps.join(", ")));
            self.conn
                .query_each::<BackendError>(&sql.text, &sql.params, &mut |r| {
                    read(r).map_err(BackendError::Row)
                })
                .map_err(|e| self.err(e))?;
        }
        let reports = report_ids
            .into_iter()
            .map(|(key, r)| {
                let (fingerprint, channel, channel_name) =
                    r.and_then(|r| prints.remove(&r)).unwrap_or((
                        Fingerprint {
                            shingles: 0,
                            minhash: Vec::new(),
                        },
                        Reliability::F,
                        String::new(),
                    ));
                Source {
                    key,
                    fingerprint,
                    channel,
                    channel_name,
                }
            })
            .collect();
        let decisions = self.decisions()?;
        Ok(ClusterInput {
            events,
            ids,
            pool: pool.strings,
            reports,
            decisions,
        })
    }

    /// The rows a run stores, and its summary.
    fn prepare_run(
        input: &ClusterInput,
        clustering: &Clustering,
        at: DateTime<Utc>,
        first_id: i64,
    ) -> Result<(ClusterRun, SavedRun)> {
        let mut run = ClusterRun {
            events: input.len(),
            reports: input.reports.len(),
            sources: {
                let mut s: Vec<&str> = clustering
                    .clusters
                    .iter()
                    .flat_map(|c| c.sources.iter().map(String::as_str))
                    .collect();
                s.sort_unstable();
                s.dedup();
                s.len()
            },
            clusters: clustering.clusters.len(),
            decisions: input.decisions.len(),
            unresolved: clustering
                .unresolved
                .iter()
                .map(|&d| input.decisions[d].clone())
                .collect(),
            ..Default::default()
        };
        let mut rows = Vec::with_capacity(clustering.clusters.len());
        let mut members = Vec::with_capacity(input.len());
        for (n, c) in clustering.clusters.iter().enumerate() {
            let id = first_id + n as i64;
            let k = &c.canonical;
            let lead = &input.events[k.lead];
            let published = input.published(c);
            run.corroborated += usize::from(c.source_count >= 2);
            run.with_conflicts += usize::from(!c.conflicts.is_empty());
            run.published += usize::from(published);
            let conflicts = serde_json::to_string(&c.conflicts)
                .map_err(|e| Error::Invalid(format!("conflicts: {e}")))?;
            let mut member_ids: Vec<i64> = c.members.iter().map(|&m| input.events[m].id).collect();
            member_ids.sort_unstable();
            let member_list: Vec<String> = member_ids.iter().map(i64::to_string).collect();
            let notes = input.notes_member(c);
            rows.push(vec![
                id.into(),
                lead.id.into(),
                k.event_date
                    .map(|d| d.to_string())
                    .unwrap_or_default()
                    .into(),
                i64::from(k.time_precision).into(),
                k.location.as_str().into(),
                k.admin1.as_str().into(),
                k.latitude.into(),
                k.longitude.into(),
                i64::from(k.geo_precision).into(),
                k.event_type.as_str().into(),
                k.sub_event_type.as_str().into(),
                i64::from(k.fatalities).into(),
                k.injuries.map(i64::from).into(),
                k.arrests.map(i64::from).into(),
                (c.source_count as i64).into(),
                (c.reports.len() as i64).into(),
                c.grade.to_string().into(),
                i64::from(c.graded_by_analyst).into(),
                i64::from(published).into(),
                conflicts.into(),
                input.channels_of(c).into(),
                member_list.join(",").into(),
                notes.0.into(),
                i64::from(notes.1).into(),
            ]);
            for &m in &c.members {
                members.push(vec![Value::from(input.events[m].id), id.into()]);
            }
        }
        let unresolved: Vec<i64> = run.unresolved.iter().map(|d| d.id).collect();
        let unresolved = serde_json::to_string(&unresolved).unwrap_or_default();
        let at = crate::rfc3339(at);
        Ok((
            run,
            SavedRun {
                rows,
                members,
                unresolved,
                at,
            },
        ))
    }

    /// Replaces the stored clusters with this run's, in one transaction.
    pub fn save_clusters(
        &mut self,
        input: &ClusterInput,
        clustering: &Clustering,
        at: DateTime<Utc>,
    ) -> Result<ClusterRun> {
        let (run, saved) = Self::prepare_run(input, clustering, at, 1)?;
        self.write(|conn| store_run(conn, &run, &saved))?;
        Ok(run)
    }

    /// Clusters the events of `filter` with every decision and keeps the result in place of
    /// the previous run's, in one transaction that runs alone: a run that started before
    /// another's change committed cannot save over the later run that saw it.
    pub fn cluster(
        &mut self,
        filter: &Filter,
        params: &Params,
        at: DateTime<Utc>,
    ) -> Result<ClusterRun> {
        filter.validate()?;
        self.fill_fingerprints()?;
        self.write_alone(|s| s.cluster_in_transaction(filter, params, at))
    }

    fn cluster_in_transaction(
        &mut self,
        filter: &Filter,
        params: &Params,
        at: DateTime<Utc>,
    ) -> Result<ClusterRun> {
        if self.dialect() == crate::Dialect::Postgres {
            // Runs take turns; each reads what committed before it began.
            self.conn
                .query_one("SELECT pg_advisory_xact_lock(7245012)", &[], |_| Ok(()))
                .map_err(|e| self.err(e))?;
        }
        if filter.is_empty() {
            return self.cluster_by_periods(params, at);
        }
        let input = self.load_cluster_input(filter)?;
        let clustering = input.cluster(params);
        let (run, saved) = Self::prepare_run(&input, &clustering, at, 1)?;
        store_run(&mut self.conn, &run, &saved).map_err(|e| self.err(e))?;
        Ok(run)
    }

    /// The whole run, one period at a time: the dataset's dates are cut where no event's
    /// date window reaches across ([`Store::periods`]), so no event of one period can weigh
    /// on the grouping of another's, and each period is loaded, grouped and saved alone.
    /// Periods holding events of the reports one decision names are grouped together. The
    /// result is a single run's; the time grows with the events, the memory with the largest
    /// period.
    fn cluster_by_periods(&mut self, params: &Params, at: DateTime<Utc>) -> Result<ClusterRun> {
        let periods = self.periods(params)?;
        self.conn
            .execute("DELETE FROM cluster_members", &[])
            .and_then(|_| self.conn.execute("DELETE FROM clusters", &[]))
            .map_err(|e| self.err(e))?;
        let decisions = self.decisions()?;
        let mut run = ClusterRun {
            decisions: decisions.len(),
            ..Default::default()
        };
        let mut applied = vec![false; decisions.len()];
        let mut next_id = 1i64;
        for group in periods {
            let input = self.load_cluster_input_in(&group)?;
            if input.is_empty() {
                continue;
            }
            let clustering = input.cluster(params);
            let unresolved: std::collections::HashSet<usize> =
                clustering.unresolved.iter().copied().collect();
            for (d, a) in applied.iter_mut().enumerate() {
                *a |= !unresolved.contains(&d);
            }
            let (part, saved) = Self::prepare_run(&input, &clustering, at, next_id)?;
            next_id += part.clusters as i64;
            insert_clusters(&mut self.conn, &saved).map_err(|e| self.err(e))?;
            run.events += part.events;
            run.sources += part.sources;
            run.clusters += part.clusters;
            run.corroborated += part.corroborated;
            run.with_conflicts += part.with_conflicts;
            run.published += part.published;
        }
        run.reports = self
            .conn
            .query_one(
                "SELECT COUNT(DISTINCT report_id) + COUNT(*) - COUNT(report_id) FROM events
                 WHERE status <> 'rejected'",
                &[],
                |r| r.req_int(0),
            )
            .map_err(|e| self.err(e))?
            .unwrap_or(0) as usize;
        crate::incidents::rewrite_all(&mut self.conn).map_err(|e| self.err(e))?;
        run.unresolved = decisions
            .into_iter()
            .zip(&applied)
            .filter(|(_, a)| !**a)
            .map(|(d, _)| d)
            .collect();
        let unresolved: Vec<i64> = run.unresolved.iter().map(|d| d.id).collect();
        let unresolved = serde_json::to_string(&unresolved).unwrap_or_default();
        self.conn
            .execute(
                "INSERT INTO cluster_runs (ran_at, events, clusters, unresolved) VALUES ($1, $2, $3, $4)",
                &[
                    crate::rfc3339(at).into(),
                    (run.events as i64).into(),
                    (run.clusters as i64).into(),
                    unresolved.into(),
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(run)
    }

    /// The periods a whole run groups one at a time, each a list of date ranges (`event_date`
    /// from, to) in date order. The days each date's events may have happened on (the widest
    /// precision given on that date) are merged where they overlap; each merged span is a
    /// period. Dates that are not dates stand alone and form one period. Periods holding
    /// events of the reports one decision names are one group.
    fn periods(&mut self, params: &Params) -> Result<Vec<Vec<(String, String)>>> {
        let dates = self
            .conn
            .query_all(
                "SELECT event_date, MAX(time_precision) FROM events WHERE status <> 'rejected'
                 GROUP BY event_date ORDER BY event_date",
                &[],
                |r| Ok((r.req_text(0)?, r.req_int(1)?)),
            )
            .map_err(|e| self.err(e))?;
        let mut spans: Vec<(i32, i32, String, String)> = Vec::new();
        let mut undated: Vec<(String, String)> = Vec::new();
        let mut windows: Vec<(i32, i32, String)> = Vec::new();
        for (date, tp) in dates {
            match NaiveDate::parse_from_str(&date, "%Y-%m-%d") {
                Ok(d) => {
                    let (lo, hi) = unrest_corroborate::date_window(
                        d,
                        u8::try_from(tp.clamp(1, 3)).unwrap_or(1),
                        params,
                    );
                    windows.push((lo, hi, date));
                }
                Err(_) => undated.push((date.clone(), date)),
            }
        }
        windows.sort_by_key(|w| (w.0, w.1));
        for (lo, hi, date) in windows {
            match spans.last_mut() {
                Some(last) if lo <= last.1 => {
                    last.1 = last.1.max(hi);
                    if date < last.2 {
                        last.2 = date.clone();
                    }
                    if date > last.3 {
                        last.3 = date;
                    }
                }
                _ => spans.push((lo, hi, date.clone(), date)),
            }
        }
        // Loaded by date text: spans whose text ranges overlap (a date written otherwise
        // than YYYY-MM-DD) are one period, so no event is read twice.
        spans.sort_by(|a, b| a.2.cmp(&b.2));
        let mut ranges: Vec<(String, String)> = Vec::new();
        for (_, _, from, to) in spans {
            match ranges.last_mut() {
                Some(last) if from <= last.1 => {
                    if to > last.1 {
                        last.1 = to;
                    }
                }
                _ => ranges.push((from, to)),
            }
        }
        undated.retain(|(d, _)| !ranges.iter().any(|(from, to)| from <= d && d <= to));
        let mut periods: Vec<Vec<(String, String)>> = ranges.into_iter().map(|r| vec![r]).collect();
        if !undated.is_empty() {
            periods.push(undated);
        }
        // Decisions tie the periods of the reports they name.
        let mut parent: Vec<usize> = (0..periods.len()).collect();
        fn find(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let period_of = |date: &str, periods: &[Vec<(String, String)>]| -> Option<usize> {
            periods.iter().position(|p| {
                p.iter()
                    .any(|(from, to)| from.as_str() <= date && date <= to.as_str())
            })
        };
        for d in self.decisions()? {
            let keys: Vec<&EventKey> = match &d.decision {
                Decision::Merge { a, b } => vec![a, b],
                Decision::Split { event }
                | Decision::Grade { event, .. }
                | Decision::Publish { event, .. } => vec![event],
            };
            let mut tied: Vec<usize> = Vec::new();
            for k in keys {
                for date in self.event_dates_of_report_key(&k.report)? {
                    tied.extend(period_of(&date, &periods));
                }
            }
            for w in tied.windows(2) {
                let (a, b) = (find(&mut parent, w[0]), find(&mut parent, w[1]));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        let mut groups: Vec<Vec<(String, String)>> = Vec::new();
        let mut slot: HashMap<usize, usize> = HashMap::new();
        for (i, ranges) in periods.into_iter().enumerate() {
            let root = find(&mut parent, i);
            let at = *slot.entry(root).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[at].extend(ranges);
        }
        Ok(groups)
    }

    /// The dates of the clustered events of a report key.
    fn event_dates_of_report_key(&mut self, key: &str) -> Result<Vec<String>> {
        let Some((column, id)) = parse_report_key(key) else {
            return Ok(Vec::new());
        };
        let sql =
            format!("SELECT event_date FROM events WHERE {column} = $1 AND status <> 'rejected'");
        self.conn
            .query_all(&sql, &[id.into()], |r| r.req_text(0))
            .map_err(|e| self.err(e))
    }

    /// Corroborates the events `seeds` (new, changed, rejected or re-decided) with their
    /// neighbourhood only, in one transaction: the events that could weigh on their
    /// grouping ([`unrest_corroborate::may_interact`], followed transitively), the other
    /// members of the incidents they were in, and the events of the reports an analyst's
    /// decision names beside theirs. That neighbourhood is re-grouped with every decision and
    /// its incidents replace the ones it was in. Grouping an event looks at no event outside
    /// its neighbourhood, so the result is the one [`Store::corroborate`] would give, at a
    /// cost that grows with the neighbourhood, not the dataset.
    pub fn corroborate_events(&mut self, seeds: &[i64], at: DateTime<Utc>) -> Result<usize> {
        if seeds.is_empty() {
            return Ok(0);
        }
        self.write_alone(|s| s.corroborate_events_in_transaction(seeds, at))
    }

    fn corroborate_events_in_transaction(
        &mut self,
        seeds: &[i64],
        at: DateTime<Utc>,
    ) -> Result<usize> {
        if self.dialect() == crate::Dialect::Postgres {
            self.conn
                .query_one("SELECT pg_advisory_xact_lock(7245012)", &[], |_| Ok(()))
                .map_err(|e| self.err(e))?;
        }
        let params = Params::default();
        let decisions = self.decisions()?;
        // Report key -> the report keys decisions name beside it (itself included).
        let mut decided: HashMap<String, Vec<String>> = HashMap::new();
        for d in &decisions {
            let keys: Vec<&EventKey> = match &d.decision {
                Decision::Merge { a, b } => vec![a, b],
                Decision::Split { event }
                | Decision::Grade { event, .. }
                | Decision::Publish { event, .. } => vec![event],
            };
            for k in &keys {
                let named = decided.entry(k.report.clone()).or_default();
                named.extend(keys.iter().map(|k| k.report.clone()));
            }
        }
        let mut set: std::collections::BTreeSet<i64> = std::collections::BTreeSet::new();
        let mut seen_reports: std::collections::HashSet<String> = Default::default();
        let mut frontier: Vec<i64> = seeds.to_vec();
        let mut nearby = NearbyCache::default();
        while !frontier.is_empty() {
            frontier.retain(|id| set.insert(*id));
            if frontier.is_empty() {
                break;
            }
            let batch = std::mem::take(&mut frontier);
            // The other members of the incidents these events were in.
            frontier.extend(self.co_members(&batch)?);
            for n in self.neighbour_rows(&batch)? {
                // Every event of a report some decision names, and of the reports it names
                // with it: a decision's key resolves among its report's events.
                let key = report_key(n.report_id, n.id);
                if let Some(named) = decided.get(&key) {
                    for r in named {
                        if seen_reports.insert(r.clone()) {
                            frontier.extend(self.events_of_report_key(r)?);
                        }
                    }
                }
                frontier.extend(self.near(&n, &params, &set, &mut nearby)?);
            }
        }
        let ids: Vec<i64> = set.into_iter().collect();
        let input = self.load_cluster_input_of(&ids)?;
        let clustering = input.cluster(&params);
        let old = self.co_cluster_ids(&ids)?;
        let first_id = self
            .conn
            .query_one("SELECT COALESCE(MAX(id), 0) FROM clusters", &[], |r| {
                r.req_int(0)
            })
            .map_err(|e| self.err(e))?
            .unwrap_or(0)
            + 1;
        let (_, saved) = Self::prepare_run(&input, &clustering, at, first_id)?;
        let conn = &mut self.conn;
        let last_id = first_id + clustering.clusters.len() as i64 - 1;
        let write = (|| -> BResult<()> {
            let mut delta = crate::map::Delta::default();
            let mut days = crate::incidents::remove_rows(conn, &old, &mut delta)?;
            for chunk in old.chunks(500) {
                let (list, params) = in_list(chunk);
                conn.execute(
                    &format!("DELETE FROM cluster_members WHERE cluster_id IN ({list})"),
                    &params,
                )?;
                conn.execute(
                    &format!("DELETE FROM clusters WHERE id IN ({list})"),
                    &params,
                )?;
            }
            // Members no longer clustered (rejected, deleted) leave their rows.
            for chunk in ids.chunks(500) {
                let (list, params) = in_list(chunk);
                conn.execute(
                    &format!("DELETE FROM cluster_members WHERE event_id IN ({list})"),
                    &params,
                )?;
            }
            insert_clusters(conn, &saved)?;
            days.extend(crate::incidents::write_rows(
                conn, first_id, last_id, &mut delta,
            )?);
            delta.store(conn)?;
            crate::incidents::recount_days(conn, Some(&days))
        })();
        write.map_err(|e| self.err(e))?;
        Ok(clustering.clusters.len())
    }

    /// The events that share a stored incident with any of `ids`.
    fn co_members(&mut self, ids: &[i64]) -> Result<Vec<i64>> {
        self.ids_for(
            "SELECT o.event_id FROM cluster_members m
             JOIN cluster_members o ON o.cluster_id = m.cluster_id
             WHERE m.event_id IN ({})",
            ids,
        )
    }

    /// The stored incidents any of `ids` is in.
    fn co_cluster_ids(&mut self, ids: &[i64]) -> Result<Vec<i64>> {
        let mut out = self.ids_for(
            "SELECT DISTINCT cluster_id FROM cluster_members WHERE event_id IN ({})",
            ids,
        )?;
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// The ids `sql` returns for all of `ids`, its one `IN ({})` filled 500 at a time.
    fn ids_for(&mut self, sql: &str, ids: &[i64]) -> Result<Vec<i64>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let (list, params) = in_list(chunk);
            let found = self
                .conn
                .query_all(&sql.replace("{}", &list), &params, |r| r.req_int(0))
                .map_err(|e| self.err(e))?;
            out.extend(found);
        }
        Ok(out)
    }

    /// The clustered events of a report key (`e12` names an event without a report).
    fn events_of_report_key(&mut self, key: &str) -> Result<Vec<i64>> {
        let Some((column, id)) = parse_report_key(key) else {
            return Ok(Vec::new());
        };
        self.conn
            .query_all(
                &format!("SELECT id FROM events WHERE {column} = $1"),
                &[id.into()],
                |r| r.req_int(0),
            )
            .map_err(|e| self.err(e))
    }

    /// What the neighbourhood search reads of the clustered events among `ids`.
    fn neighbour_rows(&mut self, ids: &[i64]) -> Result<Vec<Near>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let mut sql = Sql::new(SELECT_NEAR);
            let ps: Vec<String> = chunk.iter().map(|&id| sql.bind(id)).collect();
            sql.text.push_str(&format!(
                " WHERE e.id IN ({}) AND e.status <> 'rejected'",
                ps.join(", ")
            ));
            let rows = self
                .conn
                .query_all(&sql.text, &sql.params, Near::from_row)
                .map_err(|e| self.err(e))?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// The clustered events not yet in `seen` that may interact with `n`: found by date
    /// (through `events_date`, and `events_month` for month-wide dates) and place, then
    /// checked with [`unrest_corroborate::may_interact`]. The rows a search reads are kept in
    /// `nearby` by what the search asked, so the many events of one place and day in a
    /// crowded dataset share one search instead of each scanning the same days again.
    fn near(
        &mut self,
        n: &Near,
        params: &Params,
        seen: &std::collections::BTreeSet<i64>,
        nearby: &mut NearbyCache,
    ) -> Result<Vec<i64>> {
        let Some(date) = n.date else {
            return Ok(Vec::new());
        };
        let (lo, hi) = unrest_corroborate::date_window(date, n.time_precision, params);
        let day = |d: i32| {
            NaiveDate::from_num_days_from_ce_opt(d)
                .map(|d| d.to_string())
                .unwrap_or_default()
        };
        let km = unrest_corroborate::neighbour_km(params);
        let dlat = km / 111.2;
        let dlon = km / (111.32 * n.latitude.to_radians().cos().abs().max(0.01));
        let place = "AND ((e.latitude >= $3 AND e.latitude <= $4 AND e.longitude >= $5
                AND e.longitude <= $6) OR e.location = $7 OR (e.admin1 = $8 AND (e.geo_precision >= 3 OR $9 >= 3)))";
        let span = params.span_days;
        let month = unrest_corroborate::NEIGHBOUR_DAYS as i32;
        let queries = [
            (
                format!("{SELECT_NEAR} WHERE e.event_date >= $1 AND e.event_date <= $2 {place}"),
                (lo - span, hi + span),
            ),
            (
                format!(
                    "{SELECT_NEAR} WHERE e.time_precision >= 3 AND e.event_date >= $1
                        AND e.event_date <= $2 {place}"
                ),
                (lo - month, hi + month),
            ),
        ];
        let me = n.as_ref();
        let mut out = Vec::new();
        for (which, (sql, (from, to))) in queries.into_iter().enumerate() {
            let key = NearbyKey {
                which,
                from,
                to,
                latitude: n.latitude.to_bits(),
                longitude: n.longitude.to_bits(),
                location: n.location.clone(),
                admin1: n.admin1.clone(),
                wide: n.geo_precision >= 3,
            };
            let rows = match nearby.rows.get(&key) {
                Some(rows) => rows,
                None => {
                    let rows = self
                        .conn
                        .query_all(
                            &sql,
                            &[
                                day(from).into(),
                                day(to).into(),
                                (n.latitude - dlat).into(),
                                (n.latitude + dlat).into(),
                                (n.longitude - dlon).into(),
                                (n.longitude + dlon).into(),
                                n.location.as_str().into(),
                                n.admin1.as_str().into(),
                                i64::from(n.geo_precision).into(),
                            ],
                            Near::from_row,
                        )
                        .map_err(|e| self.err(e))?;
                    nearby.rows.entry(key).or_insert(rows)
                }
            };
            out.extend(
                rows.iter()
                    .filter(|o| {
                        o.status_clustered
                            && !seen.contains(&o.id)
                            && unrest_corroborate::may_interact(&me, &o.as_ref(), params)
                    })
                    .map(|o| o.id),
            );
        }
        Ok(out)
    }

    /// The incidents of the last run dated `from`..=`to` (all when `None`), published ones
    /// only when `published_only`, by date then id: the rows of [`Store::incident_rows`],
    /// with what the digest and reviewers need beyond them.
    pub fn incidents(
        &mut self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        published_only: bool,
    ) -> Result<Vec<Incident>> {
        let filter = Filter {
            from,
            to,
            status: if published_only {
                vec![Status::Published]
            } else {
                Vec::new()
            },
            ..Default::default()
        };
        self.incident_details(&filter)
    }

    /// The published incidents' figures over `from`..=`to`, summed by the database: what the
    /// digest's totals must equal.
    pub fn incident_totals(&mut self, from: NaiveDate, to: NaiveDate) -> Result<IncidentTotals> {
        self.conn
            .query_one(
                // PostgreSQL sums BIGINTs into NUMERIC: cast back.
                &format!(
                    "SELECT COUNT(*), CAST(COALESCE(SUM(fatalities), 0) AS BIGINT),
                    CAST(COALESCE(SUM(injuries), 0) AS BIGINT),
                    CAST(COALESCE(SUM(arrests), 0) AS BIGINT)
                 FROM clusters c WHERE c.published = 1 AND {NOT_RETRACTED}
                    AND c.event_date >= $1 AND c.event_date <= $2"
                ),
                &[from.to_string().into(), to.to_string().into()],
                |r| {
                    Ok(IncidentTotals {
                        events: r.req_int(0)? as u64,
                        fatalities: r.req_int(1)? as u64,
                        injuries: r.req_int(2)? as u64,
                        arrests: r.req_int(3)? as u64,
                    })
                },
            )
            .map(Option::unwrap_or_default)
            .map_err(|e| self.err(e))
    }
}

fn require_name(by: &str) -> Result<&str> {
    let by = by.trim();
    if by.is_empty() {
        return Err(Error::Invalid("say who decides (--as NAME)".into()));
    }
    Ok(by)
}

/// A grade from its written form (`B2`), as the store's callers take it.
pub fn parse_grade(s: &str) -> Result<Grade> {
    s.parse::<Grade>().map_err(Error::Invalid)
}
