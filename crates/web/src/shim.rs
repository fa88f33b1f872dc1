//! TEMPORARY shim while unrest-store is being finished: the store methods the web app needs,
//! answering "not available". Replaced by `unrest_store::accounts` (same names).
#![allow(dead_code, unused_variables)]

use chrono::{DateTime, Utc};
use std::fmt;
use std::str::FromStr;
use unrest_store::{Store, StoredEvent};
type Result<T> = std::result::Result<T, unrest_store::Error>;

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
    type Err = unrest_store::Error;
    fn from_str(s: &str) -> std::result::Result<Role, unrest_store::Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "analyst" => Ok(Role::Analyst),
            "admin" => Ok(Role::Admin),
            other => Err(unrest_store::Error::Invalid(format!(
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
    pub lang: Option<String>,
    /// Events still `coded` or `verified`.
    pub open_events: u64,
    pub events: u64,
    pub followups: u64,
}

pub trait StoreExt {
    fn put_user(
        &mut self,
        name: &str,
        role: Role,
        password_hash: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(i64, bool)>;
    fn user_by_name(&mut self, name: &str) -> Result<Option<User>>;
    fn users(&mut self) -> Result<Vec<User>>;
    fn update_user(
        &mut self,
        id: i64,
        role: Option<Role>,
        disabled: Option<bool>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<bool>;
    fn create_session(
        &mut self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    fn session(&mut self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Session>>;
    fn delete_session(&mut self, token_hash: &str) -> Result<()>;
    fn add_receipt(&mut self, receipt_hash: &str, report_id: i64) -> Result<()>;
    fn report_by_receipt(&mut self, receipt_hash: &str) -> Result<Option<i64>>;
    fn add_followup(&mut self, report_id: i64, text: &str, at: DateTime<Utc>) -> Result<i64>;
    fn followups(&mut self, report_id: i64) -> Result<Vec<Followup>>;
    fn events_of_report(&mut self, report_id: i64) -> Result<Vec<StoredEvent>>;
    fn review_queue(&mut self, limit: u64) -> Result<Vec<QueueItem>>;
    fn record_change(
        &mut self,
        who: &str,
        at: DateTime<Utc>,
        action: &str,
        event_id: Option<i64>,
        report_id: Option<i64>,
        detail: &str,
    ) -> Result<()>;
    fn changes(&mut self, event_id: Option<i64>, report_id: Option<i64>) -> Result<Vec<Change>>;
    fn merge_events(&mut self, into: i64, from: i64, by: &str, at: DateTime<Utc>) -> Result<()>;
    fn add_place(&mut self, p: &NewPlace, by: &str, at: DateTime<Utc>) -> Result<i64>;
    fn places_tsv(&mut self) -> Result<String>;
}

impl StoreExt for Store {
    fn put_user(
        &mut self,
        name: &str,
        role: Role,
        password_hash: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(i64, bool)> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn user_by_name(&mut self, name: &str) -> Result<Option<User>> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn users(&mut self) -> Result<Vec<User>> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn update_user(
        &mut self,
        id: i64,
        role: Option<Role>,
        disabled: Option<bool>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn create_session(
        &mut self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn session(&mut self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Session>> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn delete_session(&mut self, token_hash: &str) -> Result<()> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn add_receipt(&mut self, receipt_hash: &str, report_id: i64) -> Result<()> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn report_by_receipt(&mut self, receipt_hash: &str) -> Result<Option<i64>> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn add_followup(&mut self, report_id: i64, text: &str, at: DateTime<Utc>) -> Result<i64> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn followups(&mut self, report_id: i64) -> Result<Vec<Followup>> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn events_of_report(&mut self, report_id: i64) -> Result<Vec<StoredEvent>> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn review_queue(&mut self, limit: u64) -> Result<Vec<QueueItem>> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn record_change(
        &mut self,
        who: &str,
        at: DateTime<Utc>,
        action: &str,
        event_id: Option<i64>,
        report_id: Option<i64>,
        detail: &str,
    ) -> Result<()> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn changes(&mut self, event_id: Option<i64>, report_id: Option<i64>) -> Result<Vec<Change>> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn merge_events(&mut self, into: i64, from: i64, by: &str, at: DateTime<Utc>) -> Result<()> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn add_place(&mut self, p: &NewPlace, by: &str, at: DateTime<Utc>) -> Result<i64> {
        Err(unrest_store::Error::Invalid(
            "accounts are not in the store yet".into(),
        ))
    }
    fn places_tsv(&mut self) -> Result<String> {
        Ok(String::new())
    }
}
