//! The published unit: one row per incident.
//!
//! Corroboration (`clusters`) groups the per-report events into incidents; this module keeps
//! that grouping current as reports arrive and reads it back as rows shaped like events, so
//! every view (CLI `events` and `export`, the API, the CSV and GeoJSON downloads, the map and
//! its list, the digest) reads one query and they agree.
//!
//! - [`Store::corroborate_after`] keeps the incidents current after events arrive, change or
//!   leave: it re-groups only their neighbourhood ([`Store::corroborate_events`]: the events
//!   whose date windows overlap and whose places may fit, followed transitively, the other
//!   members of their incidents, and the reports a decision names beside theirs) and
//!   replaces the incidents that neighbourhood was in. Grouping an event looks at nothing
//!   outside it, so the result is the whole run's; a test receives a generated dataset in
//!   random order and compares. [`Store::receive`] (web submissions through
//!   [`Store::corroborate_report`], unseal, importers), status changes, edits and decisions
//!   call it; a bulk change (more than `BULK_SEEDS` events) and a never-clustered dataset
//!   get the whole run.
//! - [`Store::corroborate`] is the whole run (`unrest cluster` without filters, and the
//!   CLI's `ingest` and `import-acled` once after their batches): every event but the
//!   rejected ones with every decision, a period of dates at a time (`clusters`), so its
//!   memory is bounded by the largest period, not the dataset.
//! - The table `incidents` (migration 14; a view computed per row before it) holds each
//!   cluster as an event row: its lead event's record with the canonical fields written
//!   over it (date, place, type, the lowest credible counts), `status` `published` when the
//!   incident is, `source` naming the channels its reports came through (never a reporter),
//!   `report` blank (a report's name can be a local path), notes from the member that tells
//!   the incident as the canonical fields do, then the incident's own columns. Its id is the
//!   lead event's id; any member's id finds it ([`Store::incident`]). Its rows are written
//!   from the clusters and the events ([`incident_select`]) in the transaction that stores
//!   the clusters (the whole run, a neighbourhood's re-grouping), and every change an
//!   incident row shows (status, edits, merges, decisions, grades) re-groups its events, so
//!   the rows never lag. Indexed for the public list in its order (status, date, id), for
//!   analysts' lists, provinces and types; the filter layer applies to it unchanged, since
//!   its columns are the events table's, and search finds an incident by its lead event's
//!   public text (`event_search`, keyed by the same id).
//! - `incident_days`: published incidents and their fatalities per day, recounted for the
//!   days a write touched: the public timeline of a period reads it instead of counting.
//! - `incident_cells` (`map`): published incidents per grid cell, period, province and type
//!   for the public map, counted in and out with the rows here.

use crate::conn::{BResult, BackendError, Conn, Dialect, Row, Value};
use crate::filter::{self, Page, Sql};
use crate::{Error, Filter, NewReport, Result, Stop, Store, StoredEvent};
use chrono::{DateTime, Utc};
use unrest_corroborate::Params;
use unrest_model::Corroboration;

/// Migration 7: what an incident row needs beyond the run's fields, and the view.
pub(crate) fn ddl(d: Dialect) -> String {
    let mut sql = d.ddl(
        "ALTER TABLE clusters ADD COLUMN sources TEXT NOT NULL DEFAULT '';
ALTER TABLE clusters ADD COLUMN members TEXT NOT NULL DEFAULT '';
ALTER TABLE clusters ADD COLUMN notes_event_id BIGINT;
ALTER TABLE clusters ADD COLUMN notes_counts_agree BIGINT NOT NULL DEFAULT 1;
CREATE INDEX clusters_lead ON clusters (lead_event_id);
-- Derived data from before incidents were kept current: the next open rebuilds it.
DELETE FROM cluster_members;
DELETE FROM clusters;
DELETE FROM cluster_runs;
",
    );
    sql.push_str(&view());
    sql
}

/// `CREATE VIEW incidents` (migration 7; migration 14 replaces it by the table).
fn view() -> String {
    let shipped = incident_select().replace("+c.lead_event_id", "c.lead_event_id");
    format!("CREATE VIEW incidents AS {shipped};\n")
}

/// What an incident row shows, computed from its cluster and the events: the events table's
/// columns, in its order, then the incident's, selected `FROM clusters c JOIN events e`.
/// Migration 7's view was this query; since migration 14 it fills the `incidents` table.
/// The `+` keeps SQLite from reading every event to find its cluster through
/// `clusters_lead`: the clusters lead, each event found by its key.
fn incident_select() -> String {
    let column = |c: &str| -> String {
        let over = match c {
            "status" => "CASE WHEN c.published = 1 THEN 'published' ELSE e.status END",
            "event_date" => "CASE WHEN c.event_date = '' THEN e.event_date ELSE c.event_date END",
            "year" => {
                "CASE WHEN c.event_date = '' THEN e.year
                    ELSE CAST(substr(c.event_date, 1, 4) AS BIGINT) END"
            }
            "time_precision" | "location" | "admin1" | "latitude" | "longitude"
            | "geo_precision" | "event_type" | "sub_event_type" | "fatalities" | "injuries"
            | "arrests" => return format!("c.{c} AS {c}"),
            "source" => "CASE WHEN c.sources = '' THEN e.source ELSE c.sources END",
            "notes" => {
                "COALESCE((SELECT n.notes FROM events n WHERE n.id = c.notes_event_id), e.notes)"
            }
            "report" => "''",
            _ => return format!("e.{c}"),
        };
        format!("{over} AS {c}")
    };
    let cols: Vec<String> = crate::EVENT_META
        .iter()
        .chain(crate::EVENT_COLUMNS.iter())
        .map(|c| column(c))
        .collect();
    format!(
        "SELECT {},
            c.source_count AS source_count, c.grade AS grade, c.members AS members,
            c.id AS cluster_id, c.report_count AS report_count,
            c.graded_by_analyst AS graded_by_analyst, c.conflicts AS conflicts,
            COALESCE(c.notes_event_id, c.lead_event_id) AS notes_event_id,
            c.notes_counts_agree AS notes_counts_agree
         FROM clusters c JOIN events e ON e.id = +c.lead_event_id",
        cols.join(",\n    ")
    )
}

/// The `incidents` table's columns beyond the events table's, in [`incident_select`]'s order.
const INCIDENT_EXTRA: [&str; 9] = [
    "source_count",
    "grade",
    "members",
    "cluster_id",
    "report_count",
    "graded_by_analyst",
    "conflicts",
    "notes_event_id",
    "notes_counts_agree",
];

/// Migration 14: the incidents materialised as a table every public view reads through
/// indexes (the view computed status, date and notes per row, so no filter or order could
/// use one: 1–5 s a first page at a million events), and per-day counts of the published
/// ones for the timeline. Written with the clusters, in their transaction; the next open
/// rebuilds both (a whole run, as after migration 7).
pub(crate) fn table_ddl(d: Dialect) -> String {
    // SQLite: the id is the rowid, so an export by id reads the table in storage order and
    // a lookup by id is one search.
    let id = match d {
        Dialect::Sqlite => "INTEGER PRIMARY KEY",
        Dialect::Postgres => "BIGINT PRIMARY KEY",
    };
    d.ddl(
        &r#"DROP VIEW incidents;
CREATE TABLE incidents (
    id {incident_id},
    report_id BIGINT,
    status TEXT NOT NULL,
    edited BIGINT NOT NULL,
    updated_by TEXT,
    updated_at TEXT,
    event_id_cnty TEXT NOT NULL,
    event_date TEXT NOT NULL,
    year BIGINT NOT NULL,
    time_precision BIGINT NOT NULL,
    disorder_type TEXT NOT NULL,
    event_type TEXT NOT NULL,
    sub_event_type TEXT NOT NULL,
    actor1 TEXT NOT NULL,
    assoc_actor_1 TEXT NOT NULL,
    inter1 TEXT NOT NULL,
    actor2 TEXT NOT NULL,
    assoc_actor_2 TEXT NOT NULL,
    inter2 TEXT NOT NULL,
    interaction TEXT NOT NULL,
    civilian_targeting TEXT NOT NULL,
    iso BIGINT NOT NULL,
    region TEXT NOT NULL,
    country TEXT NOT NULL,
    admin1 TEXT NOT NULL,
    admin2 TEXT NOT NULL,
    admin3 TEXT NOT NULL,
    location TEXT NOT NULL,
    latitude {real} NOT NULL,
    longitude {real} NOT NULL,
    geo_precision BIGINT NOT NULL,
    source TEXT NOT NULL,
    source_scale TEXT NOT NULL,
    notes TEXT NOT NULL,
    fatalities BIGINT NOT NULL,
    tags TEXT NOT NULL,
    "timestamp" BIGINT NOT NULL,
    report TEXT NOT NULL,
    injuries BIGINT,
    arrests BIGINT,
    evidence TEXT NOT NULL,
    confidence {real} NOT NULL,
    source_count BIGINT NOT NULL,
    grade TEXT NOT NULL,
    members TEXT NOT NULL,
    cluster_id BIGINT NOT NULL,
    report_count BIGINT NOT NULL,
    graded_by_analyst BIGINT NOT NULL,
    conflicts TEXT NOT NULL,
    notes_event_id BIGINT NOT NULL,
    notes_counts_agree BIGINT NOT NULL
);
CREATE UNIQUE INDEX incidents_cluster ON incidents (cluster_id);
-- Analysts' search finds an incident by its lead event's report too.
CREATE INDEX incidents_report ON incidents (report_id);
-- The public list, its keyset pages and date ranges, in listing order; the coordinates in
-- the index so a bbox is checked there.
CREATE INDEX incidents_list ON incidents (status, event_date, id, longitude, latitude);
-- Analysts' lists of every status.
CREATE INDEX incidents_date ON incidents (event_date, id);
CREATE INDEX incidents_admin1 ON incidents (lower(admin1), event_date, id);
CREATE INDEX incidents_type ON incidents (lower(event_type));
CREATE INDEX incidents_sub_type ON incidents (lower(sub_event_type));
-- Published incidents and their fatalities per day: the timeline without a scan.
CREATE TABLE incident_days (
    day TEXT PRIMARY KEY,
    incidents BIGINT NOT NULL,
    fatalities BIGINT NOT NULL
);
-- Derived data: the next open rebuilds the clusters and, with them, this table.
DELETE FROM cluster_members;
DELETE FROM clusters;
DELETE FROM cluster_runs;
"#
        .replace("{incident_id}", id),
    )
}

/// Writes the incident rows of the clusters numbered `from..=to` (just stored, in the
/// caller's transaction) and returns the days they put published incidents on.
/// Counts them into `delta` for the map's summary.
pub(crate) fn write_rows(
    conn: &mut Conn,
    from: i64,
    to: i64,
    delta: &mut crate::map::Delta,
) -> BResult<Vec<String>> {
    insert_rows(conn, from, to)?;
    delta.count(
        conn,
        "cluster_id >= $1 AND cluster_id <= $2",
        &[from.into(), to.into()],
        1,
    )?;
    published_days(
        conn,
        "SELECT DISTINCT event_date FROM incidents
         WHERE cluster_id >= $1 AND cluster_id <= $2 AND status = 'published'",
        &[from.into(), to.into()],
    )
}

/// Writes the incident rows of the clusters numbered `from..=to`.
pub(crate) fn insert_rows(conn: &mut Conn, from: i64, to: i64) -> BResult<()> {
    let cols: Vec<&str> = crate::EVENT_META
        .iter()
        .chain(crate::EVENT_COLUMNS.iter())
        .chain(INCIDENT_EXTRA.iter())
        .copied()
        .collect();
    let sql = format!(
        "INSERT INTO incidents ({}) {} WHERE c.id >= $1 AND c.id <= $2",
        cols.join(", "),
        incident_select()
    );
    conn.execute(&sql, &[from.into(), to.into()])?;
    crate::facets::index(conn, from, to)
}

/// Removes the incident rows of clusters `ids` (about to be replaced) and returns the days
/// they had published incidents on.
/// Counts them out of `delta` for the map's summary.
pub(crate) fn remove_rows(
    conn: &mut Conn,
    ids: &[i64],
    delta: &mut crate::map::Delta,
) -> BResult<Vec<String>> {
    let mut days = Vec::new();
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new("");
        let list: Vec<String> = chunk.iter().map(|&id| sql.bind(id)).collect();
        let list = list.join(", ");
        days.extend(published_days(
            conn,
            &format!(
                "SELECT DISTINCT event_date FROM incidents
                 WHERE cluster_id IN ({list}) AND status = 'published'"
            ),
            &sql.params,
        )?);
        delta.count(conn, &format!("cluster_id IN ({list})"), &sql.params, -1)?;
        let published = conn.query_all(
            &format!(
                "SELECT id FROM incidents WHERE cluster_id IN ({list}) AND status = 'published'"
            ),
            &sql.params,
            |r| r.req_int(0),
        )?;
        crate::facets::unindex(conn, &published)?;
        conn.execute(
            &format!("DELETE FROM incidents WHERE cluster_id IN ({list})"),
            &sql.params,
        )?;
    }
    Ok(days)
}

fn published_days(conn: &mut Conn, sql: &str, params: &[Value]) -> BResult<Vec<String>> {
    conn.query_all(sql, params, |r| r.req_text(0))
}

/// Recounts the per-day summary on `days` (every day when `None`) from the table.
pub(crate) fn recount_days(conn: &mut Conn, days: Option<&[String]>) -> BResult<()> {
    let count = "SELECT event_date, COUNT(*), CAST(COALESCE(SUM(fatalities), 0) AS BIGINT)
         FROM incidents WHERE status = 'published'";
    let Some(days) = days else {
        conn.execute("DELETE FROM incident_days", &[])?;
        conn.execute(
            &format!(
                "INSERT INTO incident_days (day, incidents, fatalities) {count} GROUP BY event_date"
            ),
            &[],
        )?;
        return Ok(());
    };
    let mut days = days.to_vec();
    days.sort_unstable();
    days.dedup();
    for chunk in days.chunks(500) {
        let mut sql = Sql::new("");
        let list: Vec<String> = chunk.iter().map(|d| sql.bind(d.as_str())).collect();
        let list = list.join(", ");
        conn.execute(
            &format!("DELETE FROM incident_days WHERE day IN ({list})"),
            &sql.params,
        )?;
        conn.execute(
            &format!(
                "INSERT INTO incident_days (day, incidents, fatalities)
                 {count} AND event_date IN ({list}) GROUP BY event_date"
            ),
            &sql.params,
        )?;
    }
    Ok(())
}

/// Replaces every incident row and the per-day summary after a whole run stored its
/// clusters, in its transaction.
pub(crate) fn rewrite_all(conn: &mut Conn) -> BResult<()> {
    conn.execute("DELETE FROM incidents", &[])?;
    crate::facets::clear(conn)?;
    let top = conn
        .query_one("SELECT COALESCE(MAX(id), 0) FROM clusters", &[], |r| {
            r.req_int(0)
        })?
        .unwrap_or(0);
    insert_rows(conn, i64::MIN, top)?;
    recount_days(conn, None)?;
    crate::map::rebuild(conn)
}

/// One day of [`Store::incident_days`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub incidents: u64,
    pub fatalities: u64,
}

/// One incident as every view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredIncident {
    /// The incident as an event row (see the module's documentation); `id` is the lead
    /// event's.
    pub stored: StoredEvent,
    pub corroboration: Corroboration,
}

impl StoredIncident {
    /// The id an incident is shown and linked by: its lead event's.
    pub fn id(&self) -> i64 {
        self.stored.id
    }
}

pub(crate) static SELECT_INCIDENTS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let events = crate::SELECT_EVENTS
        .strip_suffix(" FROM events e")
        .expect("SELECT_EVENTS ends with its table");
    format!("{events}, e.source_count, e.grade, e.members FROM incidents e")
});

/// [`SELECT_INCIDENTS`] without the evidence (a constant in its place), for outputs that
/// never show it: on a big dataset the database neither reads nor sends it.
static SELECT_INCIDENTS_NO_EVIDENCE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let with = SELECT_INCIDENTS.as_str();
    assert_eq!(
        with.matches(", e.evidence,").count(),
        1,
        "one evidence column"
    );
    with.replacen(", e.evidence,", ", '[]',", 1)
});

pub(crate) fn incident_from_row(r: &dyn Row) -> std::result::Result<StoredIncident, String> {
    let stored = crate::event_from_row(r)?;
    let mut incident = StoredIncident {
        stored,
        corroboration: Corroboration::default(),
    };
    corroboration_from_row(r, &mut incident.corroboration, &mut String::new())?;
    Ok(incident)
}

/// The incident's columns after its event's, over `out` (its buffers reused; `members`
/// holds the list of ids as text between rows).
fn corroboration_from_row(
    r: &dyn Row,
    out: &mut Corroboration,
    members: &mut String,
) -> std::result::Result<(), String> {
    let at = crate::EVENT_META.len() + crate::EVENT_COLUMNS.len();
    out.source_count = u64::try_from(r.req_int(at)?).unwrap_or_default();
    r.text_into(at + 1, &mut out.grade)?;
    r.text_into(at + 2, members)?;
    out.event_ids.clear();
    out.event_ids.extend(
        members
            .split(',')
            .filter_map(|s| s.trim().parse::<i64>().ok()),
    );
    Ok(())
}

/// Beyond this many changed events, re-clustering everything costs less than searching
/// each one's neighbourhood.
const BULK_SEEDS: usize = 20_000;

impl Store {
    /// Re-clusters every event but the rejected ones with every analyst's decision and keeps
    /// the result in place of the last run's: what each arrival or change calls, and what
    /// `unrest cluster` without filters does.
    pub fn corroborate(&mut self, at: DateTime<Utc>) -> Result<crate::ClusterRun> {
        self.cluster(&Filter::default(), &Params::default(), at)
    }

    /// Stores a batch of reports, codes them ([`Store::ingest`]) and corroborates them with
    /// the dataset: the one call for a path where reports arrive a few at a time (the web
    /// form, unseal, message importers). A bulk load calls `ingest` per batch and
    /// [`Store::corroborate`] once at the end instead.
    pub fn receive(
        &mut self,
        batch: &[NewReport],
        coder: &mut dyn crate::Coding,
        at: DateTime<Utc>,
    ) -> Result<Vec<crate::Ingested>> {
        let done = self.ingest(batch, coder)?;
        let reports: Vec<i64> = done
            .iter()
            .filter_map(|d| match d {
                crate::Ingested::Duplicate { .. } => None,
                crate::Ingested::New { report_id, .. }
                | crate::Ingested::Coded { report_id, .. } => Some(*report_id),
            })
            .collect();
        if !reports.is_empty() {
            let mut seeds = Vec::new();
            for r in reports {
                seeds.extend(self.report_event_ids(r)?);
            }
            self.corroborate_after(&seeds, at)?;
        }
        Ok(done)
    }

    /// Brings the incidents up to date after the events `seeds` arrived, changed or left:
    /// their neighbourhood only ([`Store::corroborate_events`]), or everything when the
    /// dataset was never clustered or the change is a bulk one.
    pub fn corroborate_after(&mut self, seeds: &[i64], at: DateTime<Utc>) -> Result<()> {
        let never = self
            .conn
            .query_one(
                "SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM cluster_runs)",
                &[],
                |r| r.req_int(0),
            )
            .map_err(|e| self.err(e))?
            .is_some();
        if never || seeds.len() > BULK_SEEDS {
            self.corroborate(at)?;
        } else {
            self.corroborate_events(seeds, at)?;
        }
        Ok(())
    }

    /// Joins a stored report's events to their incidents (or starts them): what a path that
    /// stores one report itself (the web form's [`Store::submit`]) calls after it.
    pub fn corroborate_report(&mut self, report_id: i64, at: DateTime<Utc>) -> Result<()> {
        let seeds = self.report_event_ids(report_id)?;
        self.corroborate_after(&seeds, at)
    }

    /// The ids of a report's events.
    fn report_event_ids(&mut self, report_id: i64) -> Result<Vec<i64>> {
        self.conn
            .query_all(
                "SELECT id FROM events WHERE report_id = $1",
                &[report_id.into()],
                |r| r.req_int(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Rebuilds the incidents when this database has events but none were ever clustered
    /// (a new database, or one upgraded to migration 7).
    pub(crate) fn corroborate_if_never(&mut self) -> Result<()> {
        let never = self
            .conn
            .query_one(
                "SELECT 1 WHERE EXISTS (SELECT 1 FROM events)
                    AND NOT EXISTS (SELECT 1 FROM cluster_runs)",
                &[],
                |r| r.req_int(0),
            )
            .map_err(|e| self.err(e))?;
        if never.is_some() {
            // The caller gives no time: the database's clock dates the run.
            let now = crate::audit::db_now(&mut self.conn).map_err(|e| self.err(e))?;
            let at = DateTime::parse_from_rfc3339(&now)
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_default();
            self.corroborate(at)?;
        }
        Ok(())
    }

    /// Streams the incidents of `filter` (applied to the incident's own fields; `status`
    /// `published` means a published incident) in the page's order to `each`. Returns how
    /// many were handed over.
    pub fn incident_rows<E: From<Error>>(
        &mut self,
        filter: &Filter,
        page: &Page,
        mut each: impl FnMut(StoredIncident) -> std::result::Result<(), E>,
    ) -> std::result::Result<u64, E> {
        filter.validate()?;
        if let Some(after) = page.after {
            // The public learns of an unpublished incident exactly what of a missing one.
            let visible = self.incident(after)?.filter(|i| {
                i.id() == after && (!filter.public || i.stored.status == crate::Status::Published)
            });
            if visible.is_none() {
                return Err(
                    Error::Invalid(format!("no incident with id {after} to page after")).into(),
                );
            }
        }
        let mut sql = Sql::new(&SELECT_INCIDENTS);
        let after = page.after.map(|id| (id, page.order));
        self.where_incidents(&mut sql, filter, after, page.limit.is_none())?;
        filter::order_and_page(&mut sql, page);
        let mut n = 0u64;
        let read = self
            .conn
            .query_each::<Stop<E>>(&sql.text, &sql.params, &mut |row| {
                let incident =
                    incident_from_row(row).map_err(|e| Stop::Backend(BackendError::Row(e)))?;
                n += 1;
                each(incident).map_err(Stop::Caller)
            });
        match read {
            Ok(()) => Ok(n),
            Err(Stop::Caller(e)) => Err(e),
            Err(Stop::Backend(e)) => Err(self.err(e).into()),
        }
    }

    /// [`Store::incident_rows`] for whole downloads: every row is decoded over the same
    /// incident (its strings' buffers reused), which `each` may change (to blank what the
    /// public may not see) but not keep. Without `evidence` the evidence is not read and is
    /// left empty. Returns how many rows were handed over.
    pub fn stream_incidents<E: From<Error>>(
        &mut self,
        filter: &Filter,
        page: &Page,
        evidence: bool,
        mut each: impl FnMut(&mut StoredIncident) -> std::result::Result<(), E>,
    ) -> std::result::Result<u64, E> {
        filter.validate()?;
        if page.after.is_some() {
            // Paging after an id checks that id first: the owned reader does it.
            return self.incident_rows(filter, page, |mut i| {
                if !evidence {
                    i.stored.event.evidence.clear();
                }
                each(&mut i)
            });
        }
        let mut sql = Sql::new(if evidence {
            &SELECT_INCIDENTS
        } else {
            &SELECT_INCIDENTS_NO_EVIDENCE
        });
        self.where_incidents(&mut sql, filter, None, page.limit.is_none())?;
        filter::order_and_page(&mut sql, page);
        let mut n = 0u64;
        let mut row = StoredIncident {
            stored: StoredEvent {
                id: 0,
                report_id: None,
                status: crate::Status::Coded,
                edited: false,
                updated_by: None,
                updated_at: None,
                event: Default::default(),
            },
            corroboration: Corroboration::default(),
        };
        let mut members = String::new();
        let read = self
            .conn
            .query_each::<Stop<E>>(&sql.text, &sql.params, &mut |r| {
                crate::event_from_row_into(r, &mut row.stored, evidence)
                    .and_then(|()| corroboration_from_row(r, &mut row.corroboration, &mut members))
                    .map_err(|e| Stop::Backend(BackendError::Row(e)))?;
                n += 1;
                each(&mut row).map_err(Stop::Caller)
            });
        match read {
            Ok(()) => Ok(n),
            Err(Stop::Caller(e)) => Err(e),
            Err(Stop::Backend(e)) => Err(self.err(e).into()),
        }
    }

    /// Per day, how many incidents of `filter` there are and their fatalities, in date order:
    /// counted by the database over the same rows [`Store::incident_rows`] reads (the same
    /// WHERE), so the timeline and the totals agree with every list and download, without
    /// handing each row over.
    pub fn incident_days(&mut self, filter: &Filter) -> Result<Vec<DayCount>> {
        filter.validate()?;
        let read = |r: &dyn Row| {
            Ok(DayCount {
                day: r.req_text(0)?,
                incidents: u64::try_from(r.req_int(1)?).unwrap_or_default(),
                fatalities: u64::try_from(r.req_int(2)?).unwrap_or_default(),
            })
        };
        // Published incidents of a period, the public timeline: the maintained summary.
        let dates_only = Filter {
            from: filter.from,
            to: filter.to,
            public: filter.public,
            status: vec![crate::Status::Published],
            ..Filter::default()
        };
        if *filter == dates_only {
            let mut sql = Sql::new("SELECT day, incidents, fatalities FROM incident_days");
            let mut conds = Vec::new();
            if let Some(from) = filter.from {
                conds.push(format!("day >= {}", sql.bind(from.to_string())));
            }
            if let Some(to) = filter.to {
                conds.push(format!("day <= {}", sql.bind(to.to_string())));
            }
            if !conds.is_empty() {
                sql.text.push_str(" WHERE ");
                sql.text.push_str(&conds.join(" AND "));
            }
            sql.text.push_str(" ORDER BY day");
            return self
                .conn
                .query_all(&sql.text, &sql.params, read)
                .map_err(|e| self.err(e));
        }
        let mut sql = Sql::new(
            "SELECT e.event_date, COUNT(*), CAST(COALESCE(SUM(e.fatalities), 0) AS BIGINT) FROM incidents e",
        );
        self.where_incidents(&mut sql, filter, None, true)?;
        sql.text
            .push_str(" GROUP BY e.event_date ORDER BY e.event_date");
        self.conn
            .query_all(&sql.text, &sql.params, read)
            .map_err(|e| self.err(e))
    }

    /// The WHERE clause of a query of the `incidents` table for `filter` (and a page's
    /// `after`), with the look at how common the search phrase is that it needs; `all`: the
    /// query reads every match, not a first page.
    fn where_incidents(
        &mut self,
        sql: &mut Sql,
        filter: &Filter,
        after: Option<(i64, crate::Order)>,
        all: bool,
    ) -> Result<()> {
        let common = self.incident_search_plan(filter, all)?;
        filter::where_clause_on(sql, self.dialect(), "incidents", filter, after, &[], common);
        Ok(())
    }

    /// The incident event `id` belongs to (its lead or any member), if it is in one.
    pub fn incident(&mut self, id: i64) -> Result<Option<StoredIncident>> {
        let sql = format!(
            "{} WHERE e.cluster_id = (SELECT m.cluster_id FROM cluster_members m WHERE m.event_id = $1)",
            *SELECT_INCIDENTS
        );
        self.conn
            .query_one(&sql, &[id.into()], incident_from_row)
            .map_err(|e| self.err(e))
    }

    /// The incidents of `filter` by date then id, with their run's details.
    pub(crate) fn incident_details(&mut self, filter: &Filter) -> Result<Vec<crate::Incident>> {
        filter.validate()?;
        let mut sql = Sql::new(&format!(
            "{}, e.cluster_id, e.report_count, e.graded_by_analyst, e.conflicts,
                e.notes_event_id, e.notes_counts_agree",
            SELECT_INCIDENTS
                .strip_suffix(" FROM incidents e")
                .expect("ends with its view")
        ));
        sql.text.push_str(" FROM incidents e");
        self.where_incidents(&mut sql, filter, None, true)?;
        sql.text.push_str(" ORDER BY e.event_date, e.id");
        self.conn
            .query_all(&sql.text, &sql.params, |r| {
                let i = incident_from_row(r)?;
                let at = crate::EVENT_META.len() + crate::EVENT_COLUMNS.len() + 3;
                Ok(crate::Incident {
                    cluster_id: r.req_int(at)?,
                    published: i.stored.status == crate::Status::Published,
                    event: i.stored,
                    grade: i.corroboration.grade,
                    graded_by_analyst: r.req_int(at + 2)? != 0,
                    source_count: i.corroboration.source_count,
                    report_count: u64::try_from(r.req_int(at + 1)?).unwrap_or_default(),
                    conflicts: r.req_text(at + 3)?,
                    members: i.corroboration.event_ids,
                    notes_from: r.req_int(at + 4)?,
                    notes_counts_agree: r.req_int(at + 5)? != 0,
                })
            })
            .map_err(|e| self.err(e))
    }

    /// The per-report events an incident joins, by id.
    pub fn incident_members(&mut self, incident: &StoredIncident) -> Result<Vec<StoredEvent>> {
        let mut out = Vec::new();
        for &id in &incident.corroboration.event_ids {
            if let Some(e) = self.event(id)? {
                out.push(e);
            }
        }
        Ok(out)
    }
}
