//! What can go wrong with the dataset, each error naming what failed: the database (by a
//! label with any password removed) and, where it helps, what to do about it.

use crate::conn::BackendError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("bad database URL {url:?}: {reason}")]
    BadUrl { url: String, reason: String },

    #[error("cannot open SQLite database {db}: {reason}")]
    Open { db: String, reason: String },

    #[error("{db} is not an unrest database (file is not a database)")]
    NotADatabase { db: String },

    #[error("database {db} is locked by another process (waited {secs} s); try again when it has finished")]
    Locked { db: String, secs: u64 },

    #[error("disk full while writing to {db}; the unfinished batch was rolled back, nothing acknowledged was lost")]
    DiskFull { db: String },

    #[error("database {db} is read-only: {reason}")]
    ReadOnly { db: String, reason: String },

    #[error("cannot connect to {db}: {reason}")]
    Connect { db: String, reason: String },

    #[error("database schema version {found} is newer than this unrest ({known}); upgrade unrest")]
    SchemaTooNew { found: i64, known: i64 },

    /// Bad input to a query or a command: a bbox out of range, an empty search, no selection.
    #[error("{0}")]
    Invalid(String),

    #[error("{db}: {reason}")]
    Database { db: String, reason: String },
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Gives a backend error the name of the database it came from, and turns the
    /// conditions a user can act on into their own variants.
    pub(crate) fn from_backend(db: &str, e: BackendError) -> Error {
        let db = db.to_string();
        match e {
            BackendError::Sqlite(e) => {
                use rusqlite::ErrorCode as C;
                match e.sqlite_error_code() {
                    Some(C::NotADatabase) => Error::NotADatabase { db },
                    Some(C::DatabaseBusy | C::DatabaseLocked) => Error::Locked {
                        db,
                        secs: crate::conn::BUSY_TIMEOUT.as_secs(),
                    },
                    Some(C::DiskFull) => Error::DiskFull { db },
                    Some(C::ReadOnly) => Error::ReadOnly {
                        db,
                        reason: e.to_string(),
                    },
                    Some(C::CannotOpen) => Error::Open {
                        db,
                        reason: e.to_string(),
                    },
                    Some(C::DatabaseCorrupt) => Error::Database {
                        db,
                        reason: format!("the database file is corrupt ({e})"),
                    },
                    _ => Error::Database {
                        db,
                        reason: e.to_string(),
                    },
                }
            }
            BackendError::Postgres(e) => {
                use postgres::error::SqlState;
                let code = e.code().cloned();
                let reason = match e.as_db_error() {
                    Some(d) => format!("{}: {}", d.severity(), d.message()),
                    None => e.to_string(),
                };
                match code {
                    Some(c) if c == SqlState::DISK_FULL => Error::DiskFull { db },
                    Some(c) if c == SqlState::READ_ONLY_SQL_TRANSACTION => {
                        Error::ReadOnly { db, reason }
                    }
                    _ if e.is_closed() => Error::Connect {
                        db,
                        reason: format!("the connection was closed ({reason})"),
                    },
                    _ => Error::Database { db, reason },
                }
            }
            BackendError::Row(reason) => Error::Database {
                db,
                reason: format!("unreadable row: {reason}"),
            },
        }
    }
}

/// The database URL as it may be shown: the password, if any, replaced by `***`.
pub(crate) fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:***{}",
            &url[..scheme_end + 3],
            &authority[..colon],
            &rest[at..]
        ),
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_appear_in_messages() {
        assert_eq!(
            redact("postgres://maryam:s3cret@db.example:5432/unrest"),
            "postgres://maryam:***@db.example:5432/unrest"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(redact("unrest.db"), "unrest.db");
    }
}
