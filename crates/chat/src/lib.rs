//! Chat exports in, messages out: Telegram Desktop's JSON export ([`telegram`]) and
//! WhatsApp's `.txt` export ([`whatsapp`]).
//!
//! Both readers are pushed through a callback, one [`Item`] at a time, as they read: a
//! Telegram export of millions of messages is streamed (one message in memory at a time),
//! and a WhatsApp export is read twice (once to decide its date order, once to emit), never
//! held whole. The callback answers with a [`Flow`], so a caller can store a batch, skip a
//! chat or stop.
//!
//! What this crate must not know: files (it reads only the reader it is given; attachments
//! are named, not opened), the clock (dates come from the export, the time zone is an
//! argument), storage and coding. Senders' names are read because the export has them; the
//! caller decides whether to keep them.

pub mod telegram;
pub mod whatsapp;

use chrono::{DateTime, NaiveDate, Utc};
use std::fmt;

/// The largest message text accepted, in bytes. Telegram allows 4,096 characters a message
/// (1,024 a caption); a longer one is not from a real export.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;

/// One chat of an export, announced before its messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chat {
    /// Telegram's chat id; for WhatsApp, the chat's name (the file carries no id).
    pub id: String,
    pub name: String,
    /// Telegram's chat type (`public_channel`, `private_group`, `personal_chat`…);
    /// `whatsapp` for WhatsApp.
    pub kind: String,
}

/// A file that came with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attachment {
    /// A photo or image file, by its path relative to the export's folder, as written in the
    /// export. Not opened here.
    Photo(String),
    /// The export names a file it did not include ("File not included…", "<Media omitted>").
    NotIncluded,
}

/// A message that carries a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Unique within its chat and stable across exports of it: Telegram's message id; for
    /// WhatsApp, its local time and its rank among the messages of that minute.
    pub id: String,
    /// When it was sent (first sent, for an edited message).
    pub sent_at: DateTime<Utc>,
    /// Its day in the export's time zone: the report's reference date.
    pub date: NaiveDate,
    /// The plain text, marks and entities resolved; evidence offsets point into this.
    pub text: String,
    /// Links in the text or behind it (Telegram `text_link`), in order, once each.
    pub urls: Vec<String>,
    /// The message was edited after it was sent; `text` is the edited text.
    pub edited: bool,
    /// The sender's display name, as the export gives it.
    pub sender: Option<String>,
    /// The sender's id (Telegram `from_id`, e.g. `user123`, `channel456`).
    pub sender_id: Option<String>,
    /// The channel or person the message was forwarded from (Telegram `forwarded_from`).
    pub forwarded_from: Option<String>,
    pub attachments: Vec<Attachment>,
    /// A point shared with the message (Telegram `location_information`): latitude, longitude.
    pub location: Option<(f64, f64)>,
}

/// Why a message of the export carries no report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Skip {
    /// Telegram service messages, WhatsApp system lines (joins, subject changes, encryption).
    Service,
    Sticker,
    /// A message with no text: a photo without a caption, a voice message, a poll…
    NoText,
    /// "This message was deleted".
    Deleted,
}

impl Skip {
    pub fn as_str(self) -> &'static str {
        match self {
            Skip::Service => "service messages",
            Skip::Sticker => "stickers",
            Skip::NoText => "without text",
            Skip::Deleted => "deleted",
        }
    }
}

/// What a reader hands over, in the export's order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A chat begins; its messages follow. Answer [`Flow::SkipChat`] to pass over them.
    Chat(Chat),
    Message(Message),
    /// A message that carries no report, by id (Telegram) or line (WhatsApp).
    Skipped {
        id: String,
        why: Skip,
    },
    /// A message that could not be read; the reader goes on with the next.
    Bad(Bad),
}

/// A message that could not be read, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    /// `message 123` or `line 45`.
    pub at: String,
    pub why: String,
}

impl fmt::Display for Bad {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.why)
    }
}

/// The callback's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// After [`Item::Chat`]: skip this chat's messages.
    SkipChat,
    /// Stop reading; the reader returns [`Error::Stopped`].
    Stop,
}

/// Why a read ended early. What was handed over before it stays handed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The export cannot be read on from here: truncated or broken JSON, an unknown header.
    Malformed {
        /// `line 12 column 5`, with the last message read when there was one.
        at: String,
        why: String,
    },
    /// The reader failed.
    Io(String),
    /// The callback said [`Flow::Stop`].
    Stopped,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Malformed { at, why } => write!(f, "{at}: {why}"),
            Error::Io(e) => write!(f, "read error: {e}"),
            Error::Stopped => write!(f, "stopped"),
        }
    }
}

impl std::error::Error for Error {}

/// Direction and embedding marks chat apps insert around names, dates and attachments
/// (LRM, RLM, ALM, LRE…RLO, the isolates) and the byte order mark.
pub fn is_mark(c: char) -> bool {
    matches!(
        c,
        '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// `s` without marks at either end, nor blanks.
pub fn trim_marks(s: &str) -> &str {
    s.trim_matches(|c: char| is_mark(c) || c.is_whitespace())
}

/// The local day of an instant in a time zone.
pub(crate) fn local_date(at: DateTime<Utc>, tz: chrono_tz::Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// A name or id from an export, without NUL (no database text column can hold it) and
/// without marks or blanks at either end.
pub(crate) fn clean(s: &str) -> String {
    trim_marks(s).replace('\0', "")
}

/// Keeps each link once, in order of appearance.
pub(crate) fn push_url(urls: &mut Vec<String>, url: &str) {
    let url = clean(url);
    let url = url.as_str();
    if !url.is_empty() && !urls.iter().any(|u| u == url) {
        urls.push(url.to_string());
    }
}
