//! The analysts' review workspace: the queue of reports with its filters, sort and paging;
//! who a report is assigned to and who is looking at it; reports dismissed as giving no
//! event (with the reason); analysts' comments; and the deployment's settings (four eyes).
//!
//! Every change here is written with its line in the history (`changes`) and its audit
//! entry in one transaction. Nothing here reads or stores anything about a reporter.

use crate::conn::Dialect;
use crate::filter::Sql;
use crate::{rfc3339, Error, Result, Store};
use chrono::{DateTime, Utc};

/// Migration 12: assignments, viewers, dismissals, comments, settings, and the index the
/// queue's arrival order reads. Four eyes is on for a new deployment (no reports yet) and
/// off for one that already holds reports, so an upgrade changes nobody's day unasked.
pub(crate) fn ddl(d: Dialect) -> String {
    d.ddl(
        "CREATE TABLE report_assignments (
    report_id BIGINT PRIMARY KEY REFERENCES reports (id),
    user_name TEXT NOT NULL,
    assigned_by TEXT NOT NULL,
    assigned_at TEXT NOT NULL
);
CREATE INDEX report_assignments_user ON report_assignments (user_name);
CREATE TABLE report_viewers (
    report_id BIGINT NOT NULL REFERENCES reports (id),
    user_name TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (report_id, user_name)
);
CREATE TABLE report_dismissals (
    report_id BIGINT PRIMARY KEY REFERENCES reports (id),
    reason TEXT NOT NULL,
    note TEXT NOT NULL,
    dismissed_by TEXT NOT NULL,
    dismissed_at TEXT NOT NULL
);
CREATE TABLE comments (
    id {id},
    report_id BIGINT NOT NULL REFERENCES reports (id),
    event_id BIGINT,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    written_at TEXT NOT NULL
);
CREATE INDEX comments_report ON comments (report_id);
CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE INDEX reports_received ON reports (received_at, id);
INSERT INTO settings (name, value)
    SELECT 'four_eyes', CASE WHEN EXISTS (SELECT 1 FROM reports) THEN 'off' ELSE 'on' END;
",
    )
}

/// Why a report gave no event.
pub const DISMISS_REASONS: [&str; 3] = ["not an event", "duplicate", "out of scope"];

/// Which reports the queue shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueFilter {
    /// `open` (default: events to review, no event yet, or news since the last change;
    /// never a dismissed report), `coded`, `verified`, `published`, `rejected` (has an
    /// event of that status), `dismissed`, `all`.
    pub status: Option<String>,
    /// Any spelling of a province.
    pub province: Option<String>,
    /// An event type or sub-event type.
    pub event_type: Option<String>,
    /// Event dates, inclusive, `YYYY-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub channel: Option<String>,
    pub lang: Option<String>,
    /// A user name, or `none` for reports assigned to nobody.
    pub assigned: Option<String>,
    /// Only reports that gave no event.
    pub no_event: bool,
    /// Words in the report's text.
    pub search: Option<String>,
    /// `newest` (default) or `oldest` arrival first.
    pub sort: Option<String>,
    /// From 0.
    pub page: u64,
    pub per_page: u64,
}

/// An event as a queue row shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueEvent {
    pub id: i64,
    pub status: String,
    pub event_type: String,
    pub sub_event_type: String,
    pub location: String,
    pub admin1: String,
    pub event_date: String,
    /// Independent sources of the incident the event joined (1 when alone).
    pub source_count: i64,
}

/// One row of the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueRow {
    pub report_id: i64,
    pub received_at: String,
    pub channel: String,
    pub lang: Option<String>,
    /// The report's text as stored: callers show only its redacted opening.
    pub text: String,
    pub events: Vec<QueueEvent>,
    pub assigned_to: Option<String>,
    pub dismissed: Option<String>,
    pub followups: i64,
}

/// A page of the queue; `more` when a next page exists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub more: bool,
}

/// An analyst's comment on a report or one of its events.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub id: i64,
    pub report_id: i64,
    pub event_id: Option<i64>,
    pub author: String,
    pub body: String,
    pub written_at: String,
}

const OPEN: &str = "(EXISTS (SELECT 1 FROM events e WHERE e.report_id = r.id
        AND e.status IN ('coded', 'verified'))
    OR NOT EXISTS (SELECT 1 FROM events e WHERE e.report_id = r.id)
    OR EXISTS (SELECT 1 FROM followups f WHERE f.report_id = r.id
        AND f.received_at > COALESCE((SELECT MAX(c.changed_at) FROM changes c
            WHERE c.report_id = r.id), '')))
    AND NOT EXISTS (SELECT 1 FROM report_dismissals x WHERE x.report_id = r.id)";

fn some(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl QueueFilter {
    fn where_clause(&self, sql: &mut Sql, d: Dialect) -> Result<()> {
        let mut conds = vec!["r.superseded_by IS NULL".to_string()];
        match some(&self.status).unwrap_or("open") {
            "open" => conds.push(OPEN.to_string()),
            "all" => {}
            "dismissed" => conds
                .push("EXISTS (SELECT 1 FROM report_dismissals x WHERE x.report_id = r.id)".into()),
            // `+r.id`: the set is built once and each report of the arrival order is looked
            // up in it, so the first page stops early whatever the set's size (a status
            // nobody has took 390 ms at 100,000 reports as a correlated EXISTS).
            s @ ("coded" | "verified" | "published" | "rejected") => conds.push(format!(
                "+r.id IN (SELECT e.report_id FROM events e WHERE e.status = {})",
                sql.bind(s)
            )),
            s => return Err(Error::Invalid(format!("unknown queue status {s:?}"))),
        }
        let mut on_event = Vec::new();
        if let Some(p) = some(&self.province) {
            let ps: Vec<String> = crate::filter::admin1_spellings(p)
                .into_iter()
                .map(|s| sql.bind(s))
                .collect();
            on_event.push(format!("lower(e.admin1) IN ({})", ps.join(", ")));
        }
        if let Some(t) = some(&self.event_type) {
            let p = sql.bind(t.to_lowercase());
            on_event.push(format!(
                "(lower(e.event_type) = {p} OR lower(e.sub_event_type) = {p})"
            ));
        }
        for (v, op) in [(&self.from, ">="), (&self.to, "<=")] {
            if let Some(day) = some(v) {
                let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                    .map_err(|_| Error::Invalid(format!("{day:?} is not a YYYY-MM-DD date")))?;
                on_event.push(format!("e.event_date {op} {}", sql.bind(day.to_string())));
            }
        }
        if !on_event.is_empty() {
            conds.push(format!(
                "+r.id IN (SELECT e.report_id FROM events e WHERE {})",
                on_event.join(" AND ")
            ));
        }
        if let Some(c) = some(&self.channel) {
            conds.push(format!("r.channel = {}", sql.bind(c)));
        }
        if let Some(l) = some(&self.lang) {
            conds.push(format!("r.lang = {}", sql.bind(l)));
        }
        match some(&self.assigned) {
            None => {}
            Some("none") => conds.push(
                "NOT EXISTS (SELECT 1 FROM report_assignments a WHERE a.report_id = r.id)".into(),
            ),
            Some(u) => conds.push(format!(
                "EXISTS (SELECT 1 FROM report_assignments a WHERE a.report_id = r.id AND a.user_name = {})",
                sql.bind(u)
            )),
        }
        if self.no_event {
            conds.push("NOT EXISTS (SELECT 1 FROM events e WHERE e.report_id = r.id)".into());
        }
        if let Some(q) = some(&self.search) {
            let folded = crate::search_text(q);
            if !folded.chars().any(char::is_alphanumeric) {
                return Err(Error::Invalid(format!(
                    "search {q:?} has no words to look for"
                )));
            }
            let p = sql.bind(d.search_param(&folded));
            // As the status: walk the arrival order, look each report up in the matches
            // (driving from the matches sorted them all: 360 ms at 100,000 reports).
            conds.push(format!(
                "+r.id IN ({})",
                d.search_rowids("report_search", &p)
            ));
        }
        sql.text.push_str(" WHERE ");
        sql.text.push_str(&conds.join(" AND "));
        Ok(())
    }
}

fn user_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(Error::Invalid("say who (a user name)".into()));
    }
    Ok(name)
}

impl Store {
    /// One page of the review queue. Reads the page's reports (newest or oldest arrival
    /// first), then their events and incidents' source counts in one query each.
    pub fn queue(&mut self, f: &QueueFilter) -> Result<QueuePage> {
        let d = self.dialect();
        let per_page = f.per_page.clamp(1, 500);
        let mut sql = Sql::new(
            "SELECT r.id, r.received_at, r.channel, r.lang, r.text,
                (SELECT a.user_name FROM report_assignments a WHERE a.report_id = r.id),
                (SELECT x.reason FROM report_dismissals x WHERE x.report_id = r.id),
                (SELECT COUNT(*) FROM followups fu WHERE fu.report_id = r.id)
             FROM reports r",
        );
        f.where_clause(&mut sql, d)?;
        let dir = match some(&f.sort).unwrap_or("newest") {
            "newest" => "DESC",
            "oldest" => "ASC",
            s => return Err(Error::Invalid(format!("unknown sort {s:?}"))),
        };
        let limit = sql.bind(i64::try_from(per_page + 1).unwrap_or(501));
        let offset = sql.bind(i64::try_from(f.page.saturating_mul(per_page)).unwrap_or(0));
        sql.text.push_str(&format!(
            " ORDER BY r.received_at {dir}, r.id {dir} LIMIT {limit} OFFSET {offset}"
        ));
        let mut rows = self
            .conn
            .query_all(&sql.text, &sql.params, |r| {
                Ok(QueueRow {
                    report_id: r.req_int(0)?,
                    received_at: r.req_text(1)?,
                    channel: r.req_text(2)?,
                    lang: r.text(3)?,
                    text: String::from_utf8_lossy(&r.bytes(4)?.unwrap_or_default()).into_owned(),
                    events: Vec::new(),
                    assigned_to: r.text(5)?,
                    dismissed: r.text(6)?,
                    followups: r.int(7)?.unwrap_or(0),
                })
            })
            .map_err(|e| self.err(e))?;
        let more = rows.len() as u64 > per_page;
        rows.truncate(per_page as usize);
        if !rows.is_empty() {
            let mut sql = Sql::new(
                "SELECT e.id, e.report_id, e.status, e.event_type, e.sub_event_type, e.location,
                    e.admin1, e.event_date,
                    COALESCE((SELECT c.source_count FROM cluster_members m
                        JOIN clusters c ON c.id = m.cluster_id WHERE m.event_id = e.id), 1)
                 FROM events e WHERE e.report_id IN (",
            );
            let ps: Vec<String> = rows.iter().map(|r| sql.bind(r.report_id)).collect();
            sql.text.push_str(&ps.join(", "));
            sql.text.push_str(") ORDER BY e.id");
            let events = self
                .conn
                .query_all(&sql.text, &sql.params, |r| {
                    Ok((
                        r.req_int(1)?,
                        QueueEvent {
                            id: r.req_int(0)?,
                            status: r.req_text(2)?,
                            event_type: r.req_text(3)?,
                            sub_event_type: r.req_text(4)?,
                            location: r.req_text(5)?,
                            admin1: r.req_text(6)?,
                            event_date: r.req_text(7)?,
                            source_count: r.int(8)?.unwrap_or(1),
                        },
                    ))
                })
                .map_err(|e| self.err(e))?;
            for (report, e) in events {
                if let Some(row) = rows.iter_mut().find(|r| r.report_id == report) {
                    row.events.push(e);
                }
            }
        }
        Ok(QueuePage { rows, more })
    }

    /// The channels reports came through, for the queue's filter.
    pub fn channels(&mut self) -> Result<Vec<String>> {
        self.conn
            .query_all(
                "SELECT DISTINCT channel FROM reports ORDER BY channel LIMIT 500",
                &[],
                |r| r.req_text(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Assigns reports to an analyst (`None`: to nobody).
    pub fn assign(
        &mut self,
        reports: &[i64],
        to: Option<&str>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let by = user_name(by)?.to_string();
        let to = to.map(user_name).transpose()?.map(str::to_string);
        let at = rfc3339(at);
        self.write(|conn| {
            for &id in reports {
                conn.execute(
                    "DELETE FROM report_assignments WHERE report_id = $1",
                    &[id.into()],
                )?;
                let detail = match &to {
                    Some(u) => {
                        conn.execute(
                            "INSERT INTO report_assignments (report_id, user_name, assigned_by, assigned_at)
                             VALUES ($1, $2, $3, $4)",
                            &[id.into(), u.as_str().into(), by.as_str().into(), at.as_str().into()],
                        )?;
                        format!("assigned to {u}")
                    }
                    None => "assigned to nobody".to_string(),
                };
                crate::accounts::record(conn, &by, &at, "assign", None, Some(id), &detail)?;
            }
            Ok(())
        })
    }

    /// Dismisses reports that gave no event, for one of [`DISMISS_REASONS`] and a note; the
    /// reason is kept in the history and the audit log. A report with events is refused:
    /// its events are rejected instead.
    pub fn dismiss(
        &mut self,
        reports: &[i64],
        reason: &str,
        note: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let by = user_name(by)?.to_string();
        if !DISMISS_REASONS.contains(&reason) {
            return Err(Error::Invalid(format!(
                "a report is dismissed as one of {DISMISS_REASONS:?}, not {reason:?}"
            )));
        }
        let note: String = note.trim().chars().take(1000).collect();
        for &id in reports {
            let events = self
                .conn
                .query_one(
                    "SELECT COUNT(*) FROM events WHERE report_id = $1",
                    &[id.into()],
                    |r| r.req_int(0),
                )
                .map_err(|e| self.err(e))?
                .unwrap_or(0);
            if events > 0 {
                return Err(Error::Invalid(format!(
                    "report {id} has events: reject them rather than dismiss the report"
                )));
            }
        }
        let at = rfc3339(at);
        self.write(|conn| {
            for &id in reports {
                conn.execute(
                    "DELETE FROM report_dismissals WHERE report_id = $1",
                    &[id.into()],
                )?;
                conn.execute(
                    "INSERT INTO report_dismissals (report_id, reason, note, dismissed_by, dismissed_at)
                     VALUES ($1, $2, $3, $4, $5)",
                    &[id.into(), reason.into(), note.as_str().into(), by.as_str().into(), at.as_str().into()],
                )?;
                let detail = if note.is_empty() {
                    reason.to_string()
                } else {
                    format!("{reason}: {note}")
                };
                crate::accounts::record(conn, &by, &at, "dismiss", None, Some(id), &detail)?;
            }
            Ok(())
        })
    }

    /// Why a report was dismissed, if it was.
    pub fn dismissal(&mut self, report: i64) -> Result<Option<(String, String)>> {
        self.conn
            .query_one(
                "SELECT reason, note FROM report_dismissals WHERE report_id = $1",
                &[report.into()],
                |r| Ok((r.req_text(0)?, r.req_text(1)?)),
            )
            .map_err(|e| self.err(e))
    }

    /// Who a report is assigned to.
    pub fn assignee(&mut self, report: i64) -> Result<Option<String>> {
        self.conn
            .query_one(
                "SELECT user_name FROM report_assignments WHERE report_id = $1",
                &[report.into()],
                |r| r.req_text(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Notes that an analyst has a report open now (not history: no audit entry).
    pub fn looking(&mut self, report: i64, who: &str, at: DateTime<Utc>) -> Result<()> {
        let who = user_name(who)?.to_string();
        let at = rfc3339(at);
        self.write(|conn| {
            conn.execute(
                "DELETE FROM report_viewers WHERE report_id = $1 AND user_name = $2",
                &[report.into(), who.as_str().into()],
            )?;
            conn.execute(
                "INSERT INTO report_viewers (report_id, user_name, seen_at) VALUES ($1, $2, $3)",
                &[report.into(), who.as_str().into(), at.into()],
            )?;
            Ok(())
        })
    }

    /// Who opened a report since `since` (besides `except`), by name.
    pub fn lookers(
        &mut self,
        report: i64,
        since: DateTime<Utc>,
        except: &str,
    ) -> Result<Vec<String>> {
        self.conn
            .query_all(
                "SELECT user_name FROM report_viewers
                 WHERE report_id = $1 AND seen_at >= $2 AND user_name <> $3 ORDER BY user_name",
                &[report.into(), rfc3339(since).into(), except.into()],
                |r| r.req_text(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Adds an analyst's comment (analysts only ever see it); it is in the audit log.
    pub fn comment(
        &mut self,
        report: i64,
        event: Option<i64>,
        body: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let by = user_name(by)?.to_string();
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 5000 {
            return Err(Error::Invalid("a comment has 1 to 5000 characters".into()));
        }
        let at = rfc3339(at);
        self.write(|conn| {
            conn.execute(
                "INSERT INTO comments (report_id, event_id, author, body, written_at)
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    report.into(),
                    event.into(),
                    by.as_str().into(),
                    body.into(),
                    at.as_str().into(),
                ],
            )?;
            let id = conn
                .query_one("SELECT MAX(id) FROM comments", &[], |r| r.req_int(0))?
                .unwrap_or(0);
            crate::accounts::record(conn, &by, &at, "comment", event, Some(report), body)?;
            Ok(id)
        })
    }

    /// A report's comments, oldest first.
    pub fn comments(&mut self, report: i64) -> Result<Vec<Comment>> {
        self.conn
            .query_all(
                "SELECT id, report_id, event_id, author, body, written_at FROM comments
                 WHERE report_id = $1 ORDER BY id",
                &[report.into()],
                |r| {
                    Ok(Comment {
                        id: r.req_int(0)?,
                        report_id: r.req_int(1)?,
                        event_id: r.int(2)?,
                        author: r.req_text(3)?,
                        body: r.req_text(4)?,
                        written_at: r.req_text(5)?,
                    })
                },
            )
            .map_err(|e| self.err(e))
    }

    /// A deployment setting.
    pub fn setting(&mut self, name: &str) -> Result<Option<String>> {
        self.conn
            .query_one(
                "SELECT value FROM settings WHERE name = $1",
                &[name.into()],
                |r| r.req_text(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Changes a setting, with its audit entry.
    pub fn set_setting(
        &mut self,
        name: &str,
        value: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let by = user_name(by)?.to_string();
        let at = rfc3339(at);
        self.write(|conn| {
            conn.execute("DELETE FROM settings WHERE name = $1", &[name.into()])?;
            conn.execute(
                "INSERT INTO settings (name, value) VALUES ($1, $2)",
                &[name.into(), value.into()],
            )?;
            crate::accounts::record(
                conn,
                &by,
                &at,
                "setting",
                None,
                None,
                &format!("{name} = {value}"),
            )?;
            Ok(())
        })
    }

    /// Four eyes: an event one analyst verified must be published by another.
    pub fn four_eyes(&mut self) -> Result<bool> {
        Ok(self.setting("four_eyes")?.as_deref() == Some("on"))
    }

    /// Who last verified an event (from its history), if anyone did.
    pub fn verified_by(&mut self, event: i64) -> Result<Option<String>> {
        self.conn
            .query_one(
                "SELECT changed_by FROM changes WHERE event_id = $1 AND action = 'verified'
                 ORDER BY id DESC LIMIT 1",
                &[event.into()],
                |r| r.req_text(0),
            )
            .map_err(|e| self.err(e))
    }

    /// The latest changes of the whole dataset, newest first: who did what, for admins.
    pub fn recent_changes(&mut self, limit: u64) -> Result<Vec<crate::Change>> {
        let limit = i64::try_from(limit.min(1000)).unwrap_or(1000);
        self.conn
            .query_all(
                "SELECT id, changed_at, changed_by, action, event_id, report_id, detail FROM changes
                 ORDER BY id DESC LIMIT $1",
                &[limit.into()],
                crate::accounts::change_from_row,
            )
            .map_err(|e| self.err(e))
    }

    /// Events of other reports that may tell the same incident as `event`: the same place
    /// (or province) within three days, not rejected, not already in its incident, and
    /// not kept apart from it by an analyst. Nearest first.
    pub fn duplicate_candidates(
        &mut self,
        event: i64,
        limit: u64,
    ) -> Result<Vec<crate::StoredEvent>> {
        let Some(e) = self.event(event)? else {
            return Ok(Vec::new());
        };
        let Ok(day) = chrono::NaiveDate::parse_from_str(&e.event.event_date, "%Y-%m-%d") else {
            return Ok(Vec::new());
        };
        let (from, to) = (
            (day - chrono::Duration::days(3)).to_string(),
            (day + chrono::Duration::days(3)).to_string(),
        );
        let apart: Vec<i64> = self
            .conn
            .query_all(
                "SELECT detail FROM changes WHERE action = 'keep_apart' AND event_id = $1",
                &[event.into()],
                |r| r.req_text(0),
            )
            .map_err(|e| self.err(e))?
            .iter()
            .filter_map(|d| d.trim_start_matches("apart from #").parse().ok())
            .collect();
        let ids: Vec<i64> = self
            .conn
            .query_all(
                "SELECT o.id FROM events o
                 WHERE o.id <> $1 AND (o.report_id IS NULL OR o.report_id <> $2)
                   AND o.status <> 'rejected' AND o.event_date >= $3 AND o.event_date <= $4
                   AND (lower(o.location) = lower($5) OR lower(o.admin1) = lower($6))
                   AND NOT EXISTS (SELECT 1 FROM cluster_members a JOIN cluster_members b
                        ON a.cluster_id = b.cluster_id WHERE a.event_id = $1 AND b.event_id = o.id)
                 ORDER BY CASE WHEN lower(o.location) = lower($5) THEN 0 ELSE 1 END,
                    CASE WHEN o.event_date = $7 THEN 0 ELSE 1 END, o.id DESC
                 LIMIT $8",
                &[
                    event.into(),
                    e.report_id.unwrap_or(-1).into(),
                    from.into(),
                    to.into(),
                    e.event.location.as_str().into(),
                    e.event.admin1.as_str().into(),
                    e.event.event_date.as_str().into(),
                    i64::try_from(limit.min(50) + apart.len() as u64)
                        .unwrap_or(50)
                        .into(),
                ],
                |r| r.req_int(0),
            )
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for id in ids
            .into_iter()
            .filter(|i| !apart.contains(i))
            .take(limit as usize)
        {
            out.extend(self.event(id)?);
        }
        Ok(out)
    }

    /// Records that two events are not one incident: neither is suggested as the other's
    /// duplicate again. In the history and the audit log of both.
    pub fn keep_apart(&mut self, a: i64, b: i64, by: &str, at: DateTime<Utc>) -> Result<()> {
        let by = user_name(by)?.to_string();
        let reports = (
            self.event(a)?
                .ok_or_else(|| Error::Invalid(format!("no event {a}")))?
                .report_id,
            self.event(b)?
                .ok_or_else(|| Error::Invalid(format!("no event {b}")))?
                .report_id,
        );
        let at = rfc3339(at);
        self.write(|conn| {
            crate::accounts::record(
                conn,
                &by,
                &at,
                "keep_apart",
                Some(a),
                reports.0,
                &format!("apart from #{b}"),
            )?;
            crate::accounts::record(
                conn,
                &by,
                &at,
                "keep_apart",
                Some(b),
                reports.1,
                &format!("apart from #{a}"),
            )?;
            Ok(())
        })
    }

    /// The reports before and after `report` in the default queue (open reports, newest
    /// first): (previous, next), for moving through the queue from a report's page.
    pub fn queue_neighbours(&mut self, report: i64) -> Result<(Option<i64>, Option<i64>)> {
        let Some(at) = self
            .conn
            .query_one(
                "SELECT received_at FROM reports WHERE id = $1",
                &[report.into()],
                |r| r.req_text(0),
            )
            .map_err(|e| self.err(e))?
        else {
            return Ok((None, None));
        };
        let mut find = |newer: bool| -> Result<Option<i64>> {
            let (cmp, dir) = if newer { (">", "ASC") } else { ("<", "DESC") };
            let sql = format!(
                "SELECT r.id FROM reports r WHERE r.superseded_by IS NULL AND {OPEN}
                   AND (r.received_at {cmp} $1 OR (r.received_at = $1 AND r.id {cmp} $2))
                 ORDER BY r.received_at {dir}, r.id {dir} LIMIT 1"
            );
            self.conn
                .query_one(&sql, &[at.as_str().into(), report.into()], |r| r.req_int(0))
                .map_err(|e| self.err(e))
        };
        Ok((find(true)?, find(false)?))
    }
}
