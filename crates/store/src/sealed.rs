//! Sealed intake and attachments: what the server keeps of a report in sealed mode, and the
//! scrubbed photos kept beside reports in open mode.
//!
//! In sealed mode a submission is encrypted before it reaches the store, which keeps only
//! the ciphertext and its SHA-256 (`sealed_submissions`): no text, no place, no date, no
//! file name, and no time finer than the row's order. A reporter's receipt is kept by its
//! hash next to the row it names, since `receipts` points at reports and a sealed
//! submission is no report on this server. The analysts' `unrest unseal` reads the rows,
//! opens them offline, and marks them pulled; `unrest push` marks a row used when an event
//! from it is published, which is all the receipt page can say.
//!
//! Attachments (open mode) are stored once per content (`media`, keyed by SHA-256) and
//! linked to reports (`report_media`): only the scrubbed copy ever gets here.
//!
//! This module knows no cryptography: it stores bytes and hashes it is given.

use crate::conn::{Dialect, Value};
use crate::{rfc3339, Result, Store};
use chrono::{DateTime, Utc};

/// The tables of migration 6.
pub(crate) fn ddl(d: Dialect) -> String {
    d.ddl(
        r#"
CREATE TABLE sealed_submissions (
    id {id},
    sha256 TEXT NOT NULL UNIQUE,
    ciphertext {bytes} NOT NULL,
    receipt_hash TEXT,
    followup_of BIGINT REFERENCES sealed_submissions (id),
    pulled_at TEXT,
    used BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sealed_submissions_receipt ON sealed_submissions (receipt_hash);
CREATE TABLE media (
    sha256 TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    bytes {bytes} NOT NULL
);
CREATE TABLE report_media (
    report_id BIGINT NOT NULL REFERENCES reports (id),
    sha256 TEXT NOT NULL REFERENCES media (sha256),
    PRIMARY KEY (report_id, sha256)
);
"#,
    )
}

/// A sealed submission as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedRow {
    pub id: i64,
    /// Lowercase hex SHA-256 of `ciphertext`, recorded on arrival.
    pub sha256: String,
    /// Binary age v1.
    pub ciphertext: Vec<u8>,
    /// The submission this one adds to (a reporter's follow-up), if any.
    pub followup_of: Option<i64>,
    pub pulled: bool,
}

impl std::fmt::Debug for SealedRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedRow")
            .field("id", &self.id)
            .field("sha256", &self.sha256)
            .field("ciphertext_bytes", &self.ciphertext.len())
            .field("followup_of", &self.followup_of)
            .field("pulled", &self.pulled)
            .finish()
    }
}

/// What a receipt names in sealed mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealedReceipt {
    pub id: i64,
    /// An event coded from it was published (set by `unrest push`).
    pub used: bool,
}

/// A scrubbed photo as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Media {
    pub sha256: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Media {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Media")
            .field("sha256", &self.sha256)
            .field("media_type", &self.media_type)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

const SEALED_COLUMNS: &str = "id, sha256, ciphertext, followup_of, pulled_at";

fn sealed_row(r: &dyn crate::conn::Row) -> std::result::Result<SealedRow, String> {
    Ok(SealedRow {
        id: r.req_int(0)?,
        sha256: r.req_text(1)?,
        ciphertext: r.bytes(2)?.unwrap_or_default(),
        followup_of: r.int(3)?,
        pulled: r.text(4)?.is_some(),
    })
}

/// Stores a photo by its content hash and links it to a report; returns the hash.
pub(crate) fn insert_media(
    conn: &mut crate::conn::Conn,
    report_id: i64,
    media_type: &str,
    bytes: &[u8],
) -> crate::conn::BResult<String> {
    let sha = crate::sha256_hex(bytes);
    let conflict = "ON CONFLICT DO NOTHING";
    conn.execute(
        &format!("INSERT INTO media (sha256, media_type, bytes) VALUES ($1, $2, $3) {conflict}"),
        &[
            sha.as_str().into(),
            media_type.into(),
            Value::Bytes(bytes.to_vec()),
        ],
    )?;
    conn.execute(
        &format!("INSERT INTO report_media (report_id, sha256) VALUES ($1, $2) {conflict}"),
        &[report_id.into(), sha.as_str().into()],
    )?;
    Ok(sha)
}

impl Store {
    /// Keeps a sealed submission: its ciphertext, the SHA-256 of it, and the hash of the
    /// receipt given for it (`None` for a follow-up, which is reached through its first).
    /// The audit log records its arrival by the ciphertext's SHA-256 (chain of custody).
    pub fn add_sealed(
        &mut self,
        sha256: &str,
        ciphertext: &[u8],
        receipt_hash: Option<&str>,
        followup_of: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let at = rfc3339(at);
        self.write(|conn| {
            let id = conn
                .query_one(
                    "INSERT INTO sealed_submissions (sha256, ciphertext, receipt_hash, followup_of)
                     VALUES ($1, $2, $3, $4) RETURNING id",
                    &[
                        sha256.into(),
                        Value::Bytes(ciphertext.to_vec()),
                        receipt_hash.map_or(Value::Null, Value::from),
                        followup_of.map_or(Value::Null, Value::from),
                    ],
                    |r| r.req_int(0),
                )?
                .ok_or_else(|| crate::BackendError::Row("no id for sealed submission".into()))?;
            crate::audit::append(
                conn,
                crate::audit::NewEntry {
                    at,
                    actor: "reporter".into(),
                    action: if followup_of.is_some() {
                        "receive sealed follow-up".into()
                    } else {
                        "receive sealed".into()
                    },
                    kind: "sealed",
                    object: id.to_string(),
                    change: serde_json::json!({
                        "sha256_of_ciphertext": sha256,
                        "bytes": ciphertext.len(),
                        "followup_of": followup_of,
                    }),
                },
            )?;
            Ok(id)
        })
    }

    /// The sealed submission a receipt names.
    pub fn sealed_by_receipt(&mut self, receipt_hash: &str) -> Result<Option<SealedReceipt>> {
        self.conn
            .query_one(
                "SELECT id, used FROM sealed_submissions WHERE receipt_hash = $1",
                &[receipt_hash.into()],
                |r| {
                    Ok(SealedReceipt {
                        id: r.req_int(0)?,
                        used: r.req_int(1)? != 0,
                    })
                },
            )
            .map_err(|e| self.err(e))
    }

    /// Sealed submissions in order of arrival: those not yet pulled, or all.
    pub fn sealed_submissions(&mut self, include_pulled: bool) -> Result<Vec<SealedRow>> {
        let sql = if include_pulled {
            format!("SELECT {SEALED_COLUMNS} FROM sealed_submissions ORDER BY id")
        } else {
            format!(
                "SELECT {SEALED_COLUMNS} FROM sealed_submissions WHERE pulled_at IS NULL ORDER BY id"
            )
        };
        self.conn
            .query_all(&sql, &[], sealed_row)
            .map_err(|e| self.err(e))
    }

    pub fn sealed_submission(&mut self, id: i64) -> Result<Option<SealedRow>> {
        self.conn
            .query_one(
                &format!("SELECT {SEALED_COLUMNS} FROM sealed_submissions WHERE id = $1"),
                &[id.into()],
                sealed_row,
            )
            .map_err(|e| self.err(e))
    }

    /// Marks sealed submissions as pulled by the analysts (`unrest unseal`). Nothing else is
    /// written back: the plaintext never returns to the server.
    pub fn mark_sealed_pulled(&mut self, ids: &[i64], by: &str, at: DateTime<Utc>) -> Result<()> {
        let at = rfc3339(at);
        self.write(|conn| {
            for id in ids {
                let n = conn.execute(
                    "UPDATE sealed_submissions SET pulled_at = $1 WHERE id = $2 AND pulled_at IS NULL",
                    &[at.as_str().into(), (*id).into()],
                )?;
                if n > 0 {
                    crate::audit::append(
                        conn,
                        crate::audit::NewEntry {
                            at: at.clone(),
                            actor: by.to_string(),
                            action: "pull sealed".into(),
                            kind: "sealed",
                            object: id.to_string(),
                            change: serde_json::json!({ "pulled_at": at }),
                        },
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Marks the sealed submission with this ciphertext SHA-256 as used (an event from it is
    /// published), so its receipt says so. Returns whether one was found.
    pub fn mark_sealed_used(&mut self, sha256: &str) -> Result<bool> {
        self.write(|conn| {
            let n = conn.execute(
                "UPDATE sealed_submissions SET used = 1 WHERE sha256 = $1",
                &[sha256.into()],
            )?;
            Ok(n > 0)
        })
    }

    /// Keeps a scrubbed photo for a report (once per content).
    pub fn add_media(&mut self, report_id: i64, media_type: &str, bytes: &[u8]) -> Result<String> {
        self.write(|conn| insert_media(conn, report_id, media_type, bytes))
    }

    /// The SHA-256s and types of a report's photos.
    pub fn media_of_report(&mut self, report_id: i64) -> Result<Vec<(String, String)>> {
        self.conn
            .query_all(
                "SELECT m.sha256, m.media_type FROM report_media rm
                 JOIN media m ON m.sha256 = rm.sha256 WHERE rm.report_id = $1 ORDER BY m.sha256",
                &[report_id.into()],
                |r| Ok((r.req_text(0)?, r.req_text(1)?)),
            )
            .map_err(|e| self.err(e))
    }

    pub fn media(&mut self, sha256: &str) -> Result<Option<Media>> {
        self.conn
            .query_one(
                "SELECT sha256, media_type, bytes FROM media WHERE sha256 = $1",
                &[sha256.into()],
                |r| {
                    Ok(Media {
                        sha256: r.req_text(0)?,
                        media_type: r.req_text(1)?,
                        bytes: r.bytes(2)?.unwrap_or_default(),
                    })
                },
            )
            .map_err(|e| self.err(e))
    }
}
