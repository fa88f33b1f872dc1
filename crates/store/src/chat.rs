//! Reports that came from a chat export (Telegram, WhatsApp): which message of which chat
//! each report is, so that importing the same export again, or a later export of the chat,
//! adds only new or edited messages.
//!
//! A message is known by its chat and its id in that chat (`chat_messages`). Its report is
//! stored through the ordinary ingest path first (so a text already held, e.g. the same
//! post forwarded by two channels, is one report and one source); recording the message
//! comes after, in its own transaction. A crash between the two leaves a report without its
//! message row, and the next import finds the text stored and records the row then.
//!
//! An edited message (its text differs from the stored report's) becomes a new report; the
//! old one is marked `superseded_by` the new, its events still `coded` and never edited by
//! an analyst are removed (analysts' work stays), and re-coding passes it over. The change
//! is logged. A report that another chat's message still names (a forward of the post
//! before the edit) is not superseded.
//!
//! Senders are stored only when the caller gives them (`--keep-senders`).

use crate::audit;
use crate::conn::{BResult, Conn, Dialect, Value};
use crate::{rfc3339, Result, Store};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// The tables of migration 9.
pub(crate) fn ddl(d: Dialect) -> String {
    d.ddl(
        r#"
ALTER TABLE reports ADD COLUMN superseded_by BIGINT;
CREATE TABLE chat_messages (
    chat TEXT NOT NULL,
    message_id TEXT NOT NULL,
    report_id BIGINT NOT NULL REFERENCES reports (id),
    sent_at TEXT NOT NULL,
    edited BIGINT NOT NULL DEFAULT 0,
    forwarded_from TEXT,
    sender TEXT,
    urls TEXT NOT NULL,
    latitude {real},
    longitude {real},
    imported_at TEXT NOT NULL,
    PRIMARY KEY (chat, message_id)
);
CREATE INDEX chat_messages_report ON chat_messages (report_id);
"#,
    )
}

/// A message of a chat and the report it was stored as.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatMessage {
    /// The chat as the importer names it, e.g. `telegram:1234567`, `whatsapp:Family`.
    pub chat: String,
    pub message_id: String,
    pub report_id: i64,
    pub sent_at: DateTime<Utc>,
    pub edited: bool,
    /// Where the message was forwarded from, as the export names it.
    pub forwarded_from: Option<String>,
    /// The sender, only when the importer was told to keep senders.
    pub sender: Option<String>,
    pub urls: Vec<String>,
    /// A point shared with the message: latitude, longitude.
    pub location: Option<(f64, f64)>,
}

/// A stored message as [`Store::known_chat_messages`] finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownMessage {
    pub report_id: i64,
    /// The SHA-256 of the report's text.
    pub sha256: String,
}

/// What [`Store::record_chat_messages`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChatRecorded {
    pub new: usize,
    /// Messages that moved to a new report because their text changed.
    pub edited: usize,
    /// Messages already recorded with this very report.
    pub unchanged: usize,
}

impl Store {
    /// Which of these messages of `chat` are stored, with their report's SHA-256.
    pub fn known_chat_messages(
        &mut self,
        chat: &str,
        ids: &[String],
    ) -> Result<HashMap<String, KnownMessage>> {
        let mut found = HashMap::new();
        for chunk in ids.chunks(500) {
            let mut params: Vec<Value> = vec![chat.into()];
            let marks: Vec<String> = chunk
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    params.push(id.as_str().into());
                    format!("${}", i + 2)
                })
                .collect();
            let sql = format!(
                "SELECT m.message_id, m.report_id, r.sha256 FROM chat_messages m
                 JOIN reports r ON r.id = m.report_id
                 WHERE m.chat = $1 AND m.message_id IN ({})",
                marks.join(", ")
            );
            let rows = self
                .conn
                .query_all(&sql, &params, |r| {
                    Ok((
                        r.req_text(0)?,
                        KnownMessage {
                            report_id: r.req_int(1)?,
                            sha256: r.req_text(2)?,
                        },
                    ))
                })
                .map_err(|e| self.err(e))?;
            found.extend(rows);
        }
        Ok(found)
    }

    /// Records that these messages are stored as these reports, in one transaction, `by`
    /// (the channel) at `at`. A message recorded before with another report was edited:
    /// see the module.
    pub fn record_chat_messages(
        &mut self,
        rows: &[ChatMessage],
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<ChatRecorded> {
        let at = rfc3339(at);
        self.write(|conn| {
            let mut done = ChatRecorded::default();
            for m in rows {
                let before = conn.query_one(
                    "SELECT report_id FROM chat_messages WHERE chat = $1 AND message_id = $2",
                    &[m.chat.as_str().into(), m.message_id.as_str().into()],
                    |r| r.req_int(0),
                )?;
                match before {
                    Some(old) if old == m.report_id => {
                        done.unchanged += 1;
                        continue;
                    }
                    Some(old) => {
                        conn.execute(
                            "DELETE FROM chat_messages WHERE chat = $1 AND message_id = $2",
                            &[m.chat.as_str().into(), m.message_id.as_str().into()],
                        )?;
                        insert(conn, m, &at)?;
                        supersede(conn, old, m, by, &at)?;
                        done.edited += 1;
                    }
                    None => {
                        insert(conn, m, &at)?;
                        done.new += 1;
                    }
                }
            }
            Ok(done)
        })
    }

    /// The chat messages stored as this report (one, or more when chats forwarded it).
    pub fn chat_messages_of_report(&mut self, report_id: i64) -> Result<Vec<ChatMessage>> {
        self.conn
            .query_all(
                "SELECT chat, message_id, report_id, sent_at, edited, forwarded_from, sender,
                    urls, latitude, longitude
                 FROM chat_messages WHERE report_id = $1 ORDER BY chat, message_id",
                &[report_id.into()],
                |r| {
                    let sent = r.req_text(3)?;
                    let location = match (r.real(8)?, r.real(9)?) {
                        (Some(lat), Some(lon)) => Some((lat, lon)),
                        _ => None,
                    };
                    Ok(ChatMessage {
                        chat: r.req_text(0)?,
                        message_id: r.req_text(1)?,
                        report_id: r.req_int(2)?,
                        sent_at: DateTime::parse_from_rfc3339(&sent)
                            .map_err(|e| format!("sent_at {sent:?}: {e}"))?
                            .with_timezone(&Utc),
                        edited: r.req_int(4)? != 0,
                        forwarded_from: r.text(5)?,
                        sender: r.text(6)?,
                        urls: serde_json::from_str(&r.req_text(7)?)
                            .map_err(|e| format!("urls: {e}"))?,
                        location,
                    })
                },
            )
            .map_err(|e| self.err(e))
    }

    /// The report that replaced this one after its message was edited, if any.
    pub fn superseded_by(&mut self, report_id: i64) -> Result<Option<i64>> {
        self.conn
            .query_one(
                "SELECT superseded_by FROM reports WHERE id = $1",
                &[report_id.into()],
                |r| r.int(0),
            )
            .map(Option::flatten)
            .map_err(|e| self.err(e))
    }

    /// The reliability letter an analyst gave this channel, if any.
    pub fn channel_reliability(&mut self, channel: &str) -> Result<Option<String>> {
        self.conn
            .query_one(
                "SELECT reliability FROM channels WHERE name = $1",
                &[channel.trim().into()],
                |r| r.req_text(0),
            )
            .map_err(|e| self.err(e))
    }
}

fn insert(conn: &mut Conn, m: &ChatMessage, at: &str) -> BResult<()> {
    let urls = serde_json::to_string(&m.urls).unwrap_or_else(|_| "[]".into());
    conn.execute(
        "INSERT INTO chat_messages (chat, message_id, report_id, sent_at, edited, forwarded_from,
            sender, urls, latitude, longitude, imported_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &[
            m.chat.as_str().into(),
            m.message_id.as_str().into(),
            m.report_id.into(),
            rfc3339(m.sent_at).into(),
            i64::from(m.edited).into(),
            m.forwarded_from.as_deref().into(),
            m.sender.as_deref().into(),
            urls.into(),
            m.location.map(|l| l.0).into(),
            m.location.map(|l| l.1).into(),
            at.into(),
        ],
    )?;
    Ok(())
}

/// Marks report `old` replaced by the message's new report, unless another message still
/// names it, and removes its replaceable events. Logged.
fn supersede(conn: &mut Conn, old: i64, m: &ChatMessage, by: &str, at: &str) -> BResult<()> {
    let still_named = conn
        .query_one(
            "SELECT COUNT(*) FROM chat_messages WHERE report_id = $1",
            &[old.into()],
            |r| r.req_int(0),
        )?
        .unwrap_or(0);
    if still_named > 0 {
        return Ok(());
    }
    let removed = conn.query_all(
        "SELECT id FROM events WHERE report_id = $1 AND status = 'coded' AND edited = 0 ORDER BY id",
        &[old.into()],
        |r| r.req_int(0),
    )?;
    conn.execute(
        "DELETE FROM event_search WHERE rowid IN
            (SELECT id FROM events WHERE report_id = $1 AND status = 'coded' AND edited = 0)",
        &[old.into()],
    )?;
    conn.execute(
        "DELETE FROM events WHERE report_id = $1 AND status = 'coded' AND edited = 0",
        &[old.into()],
    )?;
    conn.execute(
        "UPDATE reports SET superseded_by = $1 WHERE id = $2",
        &[m.report_id.into(), old.into()],
    )?;
    audit::append(
        conn,
        audit::NewEntry {
            at: at.to_string(),
            actor: by.to_string(),
            action: "supersede".into(),
            kind: "report",
            object: old.to_string(),
            change: serde_json::json!({
                "superseded_by": m.report_id,
                "chat": m.chat,
                "message_id": m.message_id,
                "events_removed": removed,
            }),
        },
    )?;
    Ok(())
}
