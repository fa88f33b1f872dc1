//! What the web app keeps beside reports and events: analysts' accounts and server-side
//! sessions, reporters' receipts and follow-ups, the history of every change (who, when,
//! what), places analysts add to the gazetteer, and merges of two events into one.
//!
//! What this module must not know: how passwords are hashed (it stores the hash it is
//! given), how tokens are made (it stores their SHA-256 as given), HTTP, and the clock
//! (every time is an argument). Reporters are never users: a receipt leads to its report
//! and nowhere else, and nothing here records an address or a browser.

use crate::conn::{BResult, Conn, Value};
use crate::{rfc3339, Error, Result, Status, Store, StoredEvent};
use chrono::{DateTime, Utc};
use std::fmt;
use std::str::FromStr;

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Reviews, edits, verifies, publishes, rejects, merges, adds places.
    Analyst,
    /// All an analyst does, and manages users.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;
    fn from_str(s: &str) -> Result<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "analyst" => Ok(Role::Analyst),
            "admin" => Ok(Role::Admin),
            other => Err(Error::Invalid(format!(
                "unknown role {other:?}: expected analyst or admin"
            ))),
        }
    }
}

/// An analyst's or admin's account.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// A PHC string (e.g. `$argon2id$…`), as the caller hashed it.
    pub password_hash: String,
    pub disabled: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// A logged-in session, found by the hash of its cookie token.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub user: User,
    /// The token forms of this session must carry.
    pub csrf: String,
    pub expires_at: String,
}

/// A reporter's addition to a report, sent with its receipt.
#[derive(Debug, Clone, PartialEq)]
pub struct Followup {
    pub id: i64,
    pub report_id: i64,
    pub text: String,
    pub received_at: String,
}

/// One entry of the history: who did what, when, to which event or report.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub id: i64,
    pub at: String,
    pub who: String,
    /// `edit`, `verified`, `published`, `rejected`, `merge`, `place`, `user`…
    pub action: String,
    pub event_id: Option<i64>,
    pub report_id: Option<i64>,
    pub detail: String,
}

/// A place analysts added, with its id and who added it when.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPlace {
    pub id: i64,
    pub place: NewPlace,
    pub added_by: String,
    pub added_at: String,
}

/// A place an analyst added, in the columns of a user places file.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlace {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// The city a district or landmark belongs to; empty for a town of its own.
    pub city: String,
    pub admin1: String,
    /// `city`, `district` or `landmark`.
    pub kind: String,
    /// Other names (e.g. the Persian one).
    pub alt_names: Vec<String>,
}

/// A report waiting for review, as the queue lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueItem {
    pub report_id: i64,
    pub received_at: String,
    /// How it came in (`web`, `cli`, `telegram:…`).
    pub channel: String,
    pub lang: Option<String>,
    /// Events still `coded` or `verified`.
    pub open_events: u64,
    pub events: u64,
    pub followups: u64,
}

/// A `changes` row read as `SELECT id, changed_at, changed_by, action, event_id,
/// report_id, detail`.
pub(crate) fn change_from_row(r: &dyn crate::conn::Row) -> std::result::Result<Change, String> {
    Ok(Change {
        id: r.req_int(0)?,
        at: r.req_text(1)?,
        who: r.req_text(2)?,
        action: r.req_text(3)?,
        event_id: r.int(4)?,
        report_id: r.int(5)?,
        detail: r.req_text(6)?,
    })
}

fn user_from_row(r: &dyn crate::conn::Row, at: usize) -> std::result::Result<User, String> {
    Ok(User {
        id: r.req_int(at)?,
        name: r.req_text(at + 1)?,
        role: r
            .req_text(at + 2)?
            .parse()
            .map_err(|e: Error| e.to_string())?,
        password_hash: r.req_text(at + 3)?,
        disabled: r.req_int(at + 4)? != 0,
        created_at: r.req_text(at + 5)?,
    })
}

const USER_COLUMNS: &str = "u.id, u.name, u.role, u.password_hash, u.disabled, u.created_at";

pub(crate) fn record(
    conn: &mut Conn,
    who: &str,
    at: &str,
    action: &str,
    event_id: Option<i64>,
    report_id: Option<i64>,
    detail: &str,
) -> BResult<()> {
    record_with(conn, who, at, action, event_id, report_id, detail, None)
}

/// [`record`], binding the changed row's state in the audit entry.
#[allow(clippy::too_many_arguments)]
fn record_with(
    conn: &mut Conn,
    who: &str,
    at: &str,
    action: &str,
    event_id: Option<i64>,
    report_id: Option<i64>,
    detail: &str,
    state: Option<crate::audit::RowState>,
) -> BResult<()> {
    conn.execute(
        "INSERT INTO changes (changed_at, changed_by, action, event_id, report_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            at.into(),
            who.into(),
            action.into(),
            event_id.into(),
            report_id.into(),
            detail.into(),
        ],
    )?;
    crate::audit::append_history(conn, who, at, action, event_id, report_id, detail, state)?;
    Ok(())
}

/// A place's fields must read back as one line of a places file.
fn check_place(p: &NewPlace) -> Result<()> {
    for (what, v) in [
        ("name", &p.name),
        ("city", &p.city),
        ("admin1", &p.admin1),
        ("kind", &p.kind),
    ] {
        if v.contains(['\t', '\n', '\r', '|']) {
            return Err(Error::Invalid(format!(
                "the place's {what} may not contain tabs, line breaks or |"
            )));
        }
    }
    if p.alt_names
        .iter()
        .any(|n| n.contains(['\t', '\n', '\r', '|']))
    {
        return Err(Error::Invalid(
            "other names may not contain tabs, line breaks or |".into(),
        ));
    }
    Ok(())
}

/// A user name: 1 to 64 letters, digits, `.`, `_` or `-`.
fn check_name(name: &str) -> Result<&str> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(name)
    } else {
        Err(Error::Invalid(format!(
            "bad user name {name:?}: use 1 to 64 letters, digits, '.', '_' or '-'"
        )))
    }
}

/// The state of user `id` for its audit entry.
fn user_row(conn: &mut Conn, id: i64) -> BResult<crate::audit::RowState> {
    Ok(crate::audit::RowState::Row {
        id,
        state: crate::audit::user_state(conn, id)?,
    })
}

impl Store {
    /// The secret named `name` that every process on this database shares: the stored one,
    /// or `fresh` (random, from the caller) stored now if there is none. Two processes
    /// starting at once agree on whichever was stored first.
    pub fn shared_secret(&mut self, name: &str, fresh: &str) -> Result<String> {
        let select = "SELECT secret FROM shared_secrets WHERE name = $1";
        let read = |s: &mut Store| {
            s.conn
                .query_one(select, &[Value::from(name)], |r| r.req_text(0))
                .map_err(|e| s.err(e))
        };
        if let Some(found) = read(self)? {
            return Ok(found);
        }
        let now = self.conn.dialect().now_utc();
        self.conn
            .execute(
                &format!(
                    "INSERT INTO shared_secrets (name, secret, created_at) VALUES ($1, $2, {now})
                     ON CONFLICT (name) DO NOTHING"
                ),
                &[Value::from(name), Value::from(fresh)],
            )
            .map_err(|e| self.err(e))?;
        Ok(read(self)?.unwrap_or_else(|| fresh.to_string()))
    }

    /// Whether `name` (as the caller keys it) failed to log in `limit` times in a row, the
    /// last time less than `pause` before `now`.
    pub fn login_locked(
        &mut self,
        name: &str,
        now: DateTime<Utc>,
        limit: u32,
        pause: chrono::Duration,
    ) -> Result<bool> {
        let since = rfc3339(now - pause);
        let found = self
            .conn
            .query_one(
                "SELECT failures FROM login_failures WHERE name = $1 AND last_at > $2",
                &[Value::from(name), Value::from(since)],
                |r| r.req_int(0),
            )
            .map_err(|e| self.err(e))?;
        Ok(found.is_some_and(|n| n >= i64::from(limit)))
    }

    /// Counts a failed login of `name` at `now`: one more in the row, or the first of a new
    /// row when the last failure is older than `pause`. Forgets rows older than that.
    pub fn login_failed(
        &mut self,
        name: &str,
        now: DateTime<Utc>,
        pause: chrono::Duration,
    ) -> Result<()> {
        let (at, since) = (rfc3339(now), rfc3339(now - pause));
        self.conn
            .execute(
                "INSERT INTO login_failures (name, failures, last_at) VALUES ($1, 1, $2)
                 ON CONFLICT (name) DO UPDATE SET
                   failures = CASE WHEN login_failures.last_at > $3
                                   THEN login_failures.failures + 1 ELSE 1 END,
                   last_at = $2",
                &[
                    Value::from(name),
                    Value::from(at),
                    Value::from(since.clone()),
                ],
            )
            .map_err(|e| self.err(e))?;
        self.conn
            .execute(
                "DELETE FROM login_failures WHERE last_at <= $1",
                &[Value::from(since)],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Requests of `client` (a keyed hash, never an address) of `kind` counted after
    /// `since`, as every replica on this database counted them: how many, and when the
    /// oldest of them was.
    pub fn rate_hits(
        &mut self,
        kind: &str,
        client: &str,
        since: DateTime<Utc>,
    ) -> Result<(u32, Option<DateTime<Utc>>)> {
        let found = self
            .conn
            .query_one(
                "SELECT COUNT(*), MIN(at) FROM rate_hits WHERE kind = $1 AND client = $2 AND at > $3",
                &[
                    Value::from(kind),
                    Value::from(client),
                    Value::from(millis(since)),
                ],
                |r| Ok((r.req_int(0)?, r.text(1)?)),
            )
            .map_err(|e| self.err(e))?;
        let (n, oldest) = found.unwrap_or((0, None));
        let oldest = oldest
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc));
        Ok((u32::try_from(n).unwrap_or(u32::MAX), oldest))
    }

    /// Counts one request of `client` of `kind` at `now`, and forgets every hit (of any
    /// client) from before `forget_before`, so the table holds one window and no more.
    pub fn rate_hit(
        &mut self,
        kind: &str,
        client: &str,
        now: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO rate_hits (kind, client, at) VALUES ($1, $2, $3)",
                &[
                    Value::from(kind),
                    Value::from(client),
                    Value::from(millis(now)),
                ],
            )
            .map_err(|e| self.err(e))?;
        self.conn
            .execute(
                "DELETE FROM rate_hits WHERE kind = $1 AND at <= $2",
                &[Value::from(kind), Value::from(millis(forget_before))],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Takes the form whose token hashes to `token_hash` for its one submission: `false`
    /// when it was taken before, here or on another replica. Forgets forms taken before
    /// `forget_before` (their tokens have expired by then).
    pub fn use_form(
        &mut self,
        token_hash: &str,
        now: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<bool> {
        self.conn
            .execute(
                "DELETE FROM used_forms WHERE at <= $1",
                &[Value::from(millis(forget_before))],
            )
            .map_err(|e| self.err(e))?;
        let taken = self
            .conn
            .execute(
                "INSERT INTO used_forms (token_hash, at) VALUES ($1, $2)
                 ON CONFLICT (token_hash) DO NOTHING",
                &[Value::from(token_hash), Value::from(millis(now))],
            )
            .map_err(|e| self.err(e))?;
        Ok(taken == 1)
    }

    /// A successful login of `name` ends its row of failures.
    pub fn login_succeeded(&mut self, name: &str) -> Result<()> {
        self.conn
            .execute(
                "DELETE FROM login_failures WHERE name = $1",
                &[Value::from(name)],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }
}

impl Store {
    // ---- users ------------------------------------------------------------------------

    /// Creates an account, or, when `name` exists, sets its role and password and enables
    /// it. Returns the user's id and whether it is new.
    pub fn put_user(
        &mut self,
        name: &str,
        role: Role,
        password_hash: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(i64, bool)> {
        let name = check_name(name)?.to_string();
        let at = rfc3339(at);
        let hash = password_hash.to_string();
        let by = by.to_string();
        self.write(|conn| {
            let found = conn.query_one(
                "SELECT id FROM users WHERE name = $1",
                &[name.as_str().into()],
                |r| r.req_int(0),
            )?;
            let (id, new) = match found {
                Some(id) => {
                    conn.execute(
                        "UPDATE users SET role = $1, password_hash = $2, disabled = 0 WHERE id = $3",
                        &[role.as_str().into(), hash.as_str().into(), id.into()],
                    )?;
                    conn.execute("DELETE FROM sessions WHERE user_id = $1", &[id.into()])?;
                    (id, false)
                }
                None => {
                    let id = conn
                        .query_one(
                            "INSERT INTO users (name, role, password_hash, disabled, created_at)
                             VALUES ($1, $2, $3, 0, $4) RETURNING id",
                            &[
                                name.as_str().into(),
                                role.as_str().into(),
                                hash.as_str().into(),
                                at.as_str().into(),
                            ],
                            |r| r.req_int(0),
                        )?
                        .ok_or_else(|| crate::BackendError::Row("no id for new user".into()))?;
                    (id, true)
                }
            };
            let what = if new { "created" } else { "reset" };
            let state = user_row(conn, id)?;
            record_with(
                conn,
                &by,
                &at,
                "user",
                None,
                None,
                &format!("{what} {name} as {role}"),
                Some(state),
            )?;
            Ok((id, new))
        })
    }

    pub fn user_by_name(&mut self, name: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = $1");
        self.conn
            .query_one(&sql, &[name.trim().into()], |r| user_from_row(r, 0))
            .map_err(|e| self.err(e))
    }

    pub fn users(&mut self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.name");
        self.conn
            .query_all(&sql, &[], |r| user_from_row(r, 0))
            .map_err(|e| self.err(e))
    }

    /// Changes a user's role or disables/enables it (a disabled user's sessions end).
    /// Returns whether the user exists.
    pub fn update_user(
        &mut self,
        id: i64,
        role: Option<Role>,
        disabled: Option<bool>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let at = rfc3339(at);
        self.write(|conn| {
            let Some(name) =
                conn.query_one("SELECT name FROM users WHERE id = $1", &[id.into()], |r| {
                    r.req_text(0)
                })?
            else {
                return Ok(false);
            };
            if let Some(role) = role {
                conn.execute(
                    "UPDATE users SET role = $1 WHERE id = $2",
                    &[role.as_str().into(), id.into()],
                )?;
                let state = user_row(conn, id)?;
                record_with(
                    conn,
                    by,
                    &at,
                    "user",
                    None,
                    None,
                    &format!("{name} is now {role}"),
                    Some(state),
                )?;
            }
            if let Some(d) = disabled {
                conn.execute(
                    "UPDATE users SET disabled = $1 WHERE id = $2",
                    &[i64::from(d).into(), id.into()],
                )?;
                if d {
                    conn.execute("DELETE FROM sessions WHERE user_id = $1", &[id.into()])?;
                }
                let what = if d { "disabled" } else { "enabled" };
                let state = user_row(conn, id)?;
                let detail = format!("{what} {name}");
                record_with(conn, by, &at, "user", None, None, &detail, Some(state))?;
            }
            Ok(true)
        })
    }

    // ---- sessions ---------------------------------------------------------------------

    /// Stores a session under the hash of its token; sessions expired by `created_at` go.
    pub fn create_session(
        &mut self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        let (now, until) = (rfc3339(created_at), rfc3339(expires_at));
        self.write(|conn| {
            conn.execute(
                "DELETE FROM sessions WHERE expires_at < $1",
                &[now.as_str().into()],
            )?;
            conn.execute(
                "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    token_hash.into(),
                    user_id.into(),
                    csrf.into(),
                    now.as_str().into(),
                    until.as_str().into(),
                ],
            )?;
            Ok(())
        })
    }

    /// The live session with this token hash: not expired at `now`, its user enabled.
    pub fn session(&mut self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Session>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf, s.expires_at FROM sessions s
             JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0"
        );
        self.conn
            .query_one(&sql, &[token_hash.into(), rfc3339(now).into()], |r| {
                Ok(Session {
                    user: user_from_row(r, 0)?,
                    csrf: r.req_text(6)?,
                    expires_at: r.req_text(7)?,
                })
            })
            .map_err(|e| self.err(e))
    }

    pub fn delete_session(&mut self, token_hash: &str) -> Result<()> {
        self.write(|conn| {
            conn.execute(
                "DELETE FROM sessions WHERE token_hash = $1",
                &[token_hash.into()],
            )?;
            Ok(())
        })
    }

    // ---- receipts and follow-ups ------------------------------------------------------

    /// Links a receipt (by its hash) to a report. A report may have several receipts (two
    /// people sent the same words); a receipt names one report.
    pub fn add_receipt(&mut self, receipt_hash: &str, report_id: i64) -> Result<()> {
        self.write(|conn| {
            conn.execute(
                "INSERT INTO receipts (receipt_hash, report_id) VALUES ($1, $2)",
                &[receipt_hash.into(), report_id.into()],
            )?;
            Ok(())
        })
    }

    pub fn report_by_receipt(&mut self, receipt_hash: &str) -> Result<Option<i64>> {
        self.conn
            .query_one(
                "SELECT report_id FROM receipts WHERE receipt_hash = $1",
                &[receipt_hash.into()],
                |r| r.req_int(0),
            )
            .map_err(|e| self.err(e))
    }

    pub fn add_followup(&mut self, report_id: i64, text: &str, at: DateTime<Utc>) -> Result<i64> {
        let at = rfc3339(at);
        self.write(|conn| {
            conn.query_one(
                "INSERT INTO followups (report_id, text, received_at) VALUES ($1, $2, $3) RETURNING id",
                &[report_id.into(), text.into(), at.as_str().into()],
                |r| r.req_int(0),
            )?
            .ok_or_else(|| crate::BackendError::Row("no id for follow-up".into()))
        })
    }

    pub fn followups(&mut self, report_id: i64) -> Result<Vec<Followup>> {
        self.conn
            .query_all(
                "SELECT id, report_id, text, received_at FROM followups
                 WHERE report_id = $1 ORDER BY id",
                &[report_id.into()],
                |r| {
                    Ok(Followup {
                        id: r.req_int(0)?,
                        report_id: r.req_int(1)?,
                        text: r.req_text(2)?,
                        received_at: r.req_text(3)?,
                    })
                },
            )
            .map_err(|e| self.err(e))
    }

    // ---- review -----------------------------------------------------------------------

    /// The events coded from one report, by id.
    pub fn events_of_report(&mut self, report_id: i64) -> Result<Vec<StoredEvent>> {
        let sql = format!(
            "{} WHERE e.report_id = $1 ORDER BY e.id",
            *crate::SELECT_EVENTS
        );
        self.conn
            .query_all(&sql, &[report_id.into()], crate::event_from_row)
            .map_err(|e| self.err(e))
    }

    /// Reports that wait for an analyst — with an event still `coded` or `verified`, no
    /// event at all, or a follow-up after the last change — newest first.
    pub fn review_queue(&mut self, limit: u64) -> Result<Vec<QueueItem>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.conn
            .query_all(
                "SELECT r.id, r.received_at, r.lang,
                    (SELECT COUNT(*) FROM events e WHERE e.report_id = r.id
                        AND e.status IN ('coded', 'verified')) AS open,
                    (SELECT COUNT(*) FROM events e WHERE e.report_id = r.id) AS total,
                    (SELECT COUNT(*) FROM followups f WHERE f.report_id = r.id) AS fups,
                    r.channel
                 FROM reports r
                 WHERE r.superseded_by IS NULL AND (EXISTS (SELECT 1 FROM events e WHERE e.report_id = r.id
                        AND e.status IN ('coded', 'verified'))
                    OR NOT EXISTS (SELECT 1 FROM events e WHERE e.report_id = r.id)
                    OR EXISTS (SELECT 1 FROM followups f WHERE f.report_id = r.id
                        AND f.received_at > COALESCE((SELECT MAX(c.changed_at) FROM changes c
                            WHERE c.report_id = r.id), '')))
                 ORDER BY r.id DESC LIMIT $1",
                &[limit.into()],
                |r| {
                    Ok(QueueItem {
                        report_id: r.req_int(0)?,
                        received_at: r.req_text(1)?,
                        channel: r.req_text(6)?,
                        lang: r.text(2)?,
                        open_events: r.req_int(3)? as u64,
                        events: r.req_int(4)? as u64,
                        followups: r.req_int(5)? as u64,
                    })
                },
            )
            .map_err(|e| self.err(e))
    }

    /// Records a change made through another method (an edit, a status change).
    pub fn record_change(
        &mut self,
        who: &str,
        at: DateTime<Utc>,
        action: &str,
        event_id: Option<i64>,
        report_id: Option<i64>,
        detail: &str,
    ) -> Result<()> {
        let at = rfc3339(at);
        self.write(|conn| record(conn, who, &at, action, event_id, report_id, detail))
    }

    /// The history of an event, or of a report and its events, oldest first.
    pub fn changes(
        &mut self,
        event_id: Option<i64>,
        report_id: Option<i64>,
    ) -> Result<Vec<Change>> {
        self.conn
            .query_all(
                "SELECT id, changed_at, changed_by, action, event_id, report_id, detail FROM changes
                 WHERE event_id = $1 OR report_id = $2 ORDER BY id",
                &[event_id.into(), report_id.into()],
                change_from_row,
            )
            .map_err(|e| self.err(e))
    }

    /// Merges event `from` into event `into` (two codings of one incident): `into` keeps
    /// its fields and takes the counts it lacks from `from`; `from` is rejected with a tag
    /// naming `into`, so re-coding its report does not bring it back. Both events must
    /// exist and differ. Recorded as one change on each.
    pub fn merge_events(
        &mut self,
        into: i64,
        from: i64,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        if into == from {
            return Err(Error::Invalid(
                "an event cannot be merged into itself".into(),
            ));
        }
        let (Some(keep), Some(gone)) = (self.event(into)?, self.event(from)?) else {
            return Err(Error::Invalid(
                "both events must exist to merge them".into(),
            ));
        };
        let mut merged = keep.event.clone();
        merged.injuries = merged.injuries.or(gone.event.injuries);
        merged.arrests = merged.arrests.or(gone.event.arrests);
        if merged.fatalities == 0 {
            merged.fatalities = gone.event.fatalities;
        }
        let tag = format!("merged into IRN-U{into}");
        let mut gone_event = gone.event.clone();
        gone_event.tags = if gone_event.tags.is_empty() {
            tag
        } else {
            format!("{}; {tag}", gone_event.tags)
        };
        let at_s = rfc3339(at);
        let mut keep_params = crate::event_values(&merged).map_err(|e| self.err(e))?;
        keep_params.extend([Value::from(by), at_s.as_str().into(), into.into()]);
        let mut gone_params = crate::event_values(&gone_event).map_err(|e| self.err(e))?;
        gone_params.extend([Value::from(by), at_s.as_str().into(), from.into()]);
        self.write(|conn| {
            conn.execute(&crate::UPDATE_EVENT, &keep_params)?;
            conn.execute(&crate::UPDATE_EVENT, &gone_params)?;
            conn.execute(
                "UPDATE events SET status = $1 WHERE id = $2",
                &[Status::Rejected.as_str().into(), from.into()],
            )?;
            let detail = format!("event {from} merged into event {into}");
            let state = |e: &unrest_model::Event, status: Status| crate::audit::RowState::Event {
                record_sha256: crate::audit::record_sha256(e),
                status: status.as_str().to_string(),
            };
            record_with(
                conn,
                by,
                &at_s,
                "merge",
                Some(into),
                keep.report_id,
                &detail,
                Some(state(&merged, keep.status)),
            )?;
            record_with(
                conn,
                by,
                &at_s,
                "merge",
                Some(from),
                gone.report_id,
                &detail,
                Some(state(&gone_event, Status::Rejected)),
            )?;
            Ok(())
        })?;
        // The incidents show the merged event and lose the rejected one at once.
        self.corroborate_after(&[into, from], at)
    }

    // ---- places -----------------------------------------------------------------------

    /// Stores a place an analyst added. The caller checks it (by building a gazetteer with
    /// it) before storing.
    pub fn add_place(&mut self, p: &NewPlace, by: &str, at: DateTime<Utc>) -> Result<i64> {
        check_place(p)?;
        let at = rfc3339(at);
        self.write(|conn| {
            let id = conn
                .query_one(
                    "INSERT INTO places (name, lat, lon, city, admin1, kind, alt_names, added_by, added_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    &place_values(p, [by.into(), at.as_str().into()]),
                    |r| r.req_int(0),
                )?
                .ok_or_else(|| crate::BackendError::Row("no id for place".into()))?;
            let state = crate::audit::RowState::Row {
                id,
                state: crate::audit::place_state(conn, id)?,
            };
            let detail = format!("added {} ({:.4}, {:.4})", p.name, p.lat, p.lon);
            record_with(conn, by, &at, "place", None, None, &detail, Some(state))?;
            Ok(id)
        })
    }

    /// The places analysts added, oldest first, for the admins' list.
    pub fn places(&mut self) -> Result<Vec<StoredPlace>> {
        self.conn
            .query_all(
                "SELECT id, name, lat, lon, city, admin1, kind, alt_names, added_by, added_at
                 FROM places ORDER BY id LIMIT 10000",
                &[],
                |r| {
                    let alt = r.req_text(7)?;
                    Ok(StoredPlace {
                        id: r.req_int(0)?,
                        place: NewPlace {
                            name: r.req_text(1)?,
                            lat: r.real(2)?.unwrap_or_default(),
                            lon: r.real(3)?.unwrap_or_default(),
                            city: r.req_text(4)?,
                            admin1: r.req_text(5)?,
                            kind: r.req_text(6)?,
                            alt_names: alt
                                .split('|')
                                .filter(|n| !n.is_empty())
                                .map(str::to_string)
                                .collect(),
                        },
                        added_by: r.req_text(8)?,
                        added_at: r.req_text(9)?,
                    })
                },
            )
            .map_err(|e| self.err(e))
    }

    /// Corrects a place an analyst added, logged with its new state like an addition.
    /// Returns whether there was such a place. The caller checks the place as for `add_place`.
    pub fn update_place(
        &mut self,
        id: i64,
        p: &NewPlace,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        check_place(p)?;
        let at = rfc3339(at);
        self.write(|conn| {
            let n = conn.execute(
                "UPDATE places SET name = $1, lat = $2, lon = $3, city = $4, admin1 = $5, kind = $6,
                    alt_names = $7 WHERE id = $8",
                &place_values(p, [id.into()]),
            )?;
            if n == 0 {
                return Ok(false);
            }
            let state = crate::audit::RowState::Row {
                id,
                state: crate::audit::place_state(conn, id)?,
            };
            let detail = format!("edited {} ({:.4}, {:.4})", p.name, p.lat, p.lon);
            record_with(conn, by, &at, "place", None, None, &detail, Some(state))?;
            Ok(true)
        })
    }

    /// The places analysts added, as a user places file for `Gazetteer::with_user_places`.
    pub fn places_tsv(&mut self) -> Result<String> {
        let rows = self
            .conn
            .query_all(
                "SELECT name, lat, lon, city, admin1, kind, alt_names FROM places ORDER BY id",
                &[],
                |r| {
                    Ok(format!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                        r.req_text(0)?,
                        r.real(1)?.unwrap_or_default(),
                        r.real(2)?.unwrap_or_default(),
                        r.req_text(3)?,
                        r.req_text(4)?,
                        r.req_text(5)?,
                        r.req_text(6)?
                    ))
                },
            )
            .map_err(|e| self.err(e))?;
        Ok(rows.concat())
    }
}

/// A time to the millisecond, in a form that sorts as it compares (rate windows are short).
fn millis(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A place's columns in the order `places` is written (name, lat, lon, city, admin1, kind,
/// alt_names), followed by `more`.
fn place_values<const N: usize>(p: &NewPlace, more: [Value; N]) -> Vec<Value> {
    let mut values: Vec<Value> = vec![
        p.name.as_str().into(),
        p.lat.into(),
        p.lon.into(),
        p.city.as_str().into(),
        p.admin1.as_str().into(),
        p.kind.as_str().into(),
        p.alt_names.join("|").into(),
    ];
    values.extend(more);
    values
}
