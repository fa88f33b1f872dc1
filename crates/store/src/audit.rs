//! The tamper-evident audit log. Every change to reports, events, users, places, channel
//! grades and analysts' decisions appends an entry in the same transaction as the change, so
//! a change and its entry are committed together or not at all. Each entry's hash covers the
//! previous entry's hash: editing, deleting, inserting or reordering entries breaks the
//! chain at the first entry touched, and [`Store::audit_verify`] names it.
//!
//! ## An entry
//!
//! | field | meaning |
//! |---|---|
//! | `seq` | 1, 2, 3 … with no gaps |
//! | `at` | when the change was made, RFC 3339 UTC (the caller's clock, or the database's where the caller gives none) |
//! | `actor` | who made it: the analyst (`--as NAME`), the channel a report came through, the coder's version |
//! | `action` | `receive`, `code`, `status`, `edit`, `import`, `decide`, `grade-channel`, `begin`, and the web app's (`user`, `place`, `merge` …) |
//! | `kind`, `object` | what was changed: `report` 12, `event` 812, `channel` web, `decision` 3, `dataset` |
//! | `change` | JSON text: for each changed field `{"before": …, "after": …}`, or what was created |
//! | `prev_hash` | the previous entry's `hash`; entry 1's is [`GENESIS`] (64 zeros) |
//! | `hash` | `SHA-256(prev_hash as 32 bytes ‖ canonical bytes)`, lowercase hex |
//!
//! The canonical bytes are the UTF-8 of the compact JSON array
//! `[seq, at, actor, action, kind, object, change]`, `change` as a string holding its exact
//! text. An outside reviewer can recompute every hash of an export (`unrest audit export`,
//! one JSON object per line after a header line) with nothing but a JSON library:
//!
//! ```text
//! for line in lines[1:]:
//!     e = json.loads(line)
//!     canonical = json.dumps([e["seq"], e["at"], e["actor"], e["action"], e["kind"],
//!                             e["object"], e["change"]], ensure_ascii=False, separators=(",", ":"))
//!     assert e["prev_hash"] == prev and e["seq"] == seq + 1
//!     assert sha256(bytes.fromhex(prev) + canonical.encode()).hexdigest() == e["hash"]
//!     prev, seq = e["hash"], e["seq"]
//! ```
//!
//! ## What verification finds, and what it cannot
//!
//! Walking the entries by `seq`, the first of these is reported: a number missing (deleted;
//! also when later entries were renumbered to close the gap), an entry whose contents no
//! longer give its hash (edited), an entry the next one does not chain from (inserted), an
//! entry chaining from one that comes after it (reordered), an entry whose hash was
//! recomputed after an edit (the next one still chains from the old hash). A chain rewritten
//! from some entry to the end, or cut short at the end, is consistent in itself: to catch
//! that, keep the head `verify` prints (`SEQ:HASH`) somewhere else — a published digest, a
//! reviewer's notes — and later verify with `--anchor SEQ:HASH`.
//!
//! ## Chain of custody
//!
//! A report's `receive` entry logs the SHA-256 of its exact bytes. Verification re-hashes
//! every stored report and compares it with the stored SHA-256 and with the logged one, so a
//! text altered in place, or altered with its stored hash, is found; so is a report that
//! appears without a `receive` entry. Reports stored before the log began (an older
//! database) are summed up in entry 1 (`begin`) and checked against that summary. Sealed
//! submissions (sealed intake) are checked the same way by the SHA-256 of their ciphertext.

use crate::conn::{BResult, BackendError, Conn, Value};
use crate::{Error, Result, Store};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::BufRead;

/// The `prev_hash` of entry 1.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The `format` of an export's header line.
pub const EXPORT_FORMAT: &str = "unrest-audit/1";

/// One entry of the log, as stored and as exported (one JSON object per line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub kind: String,
    pub object: String,
    /// JSON text, exactly as hashed.
    pub change: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    /// The bytes hashed after the previous hash: see the module documentation.
    pub fn canonical(&self) -> Vec<u8> {
        self.canonical_as(self.seq)
    }

    fn canonical_as(&self, seq: i64) -> Vec<u8> {
        serde_json::to_vec(&(
            seq,
            &self.at,
            &self.actor,
            &self.action,
            &self.kind,
            &self.object,
            &self.change,
        ))
        .expect("a tuple of strings and a number serializes")
    }

    /// The hash this entry should carry, given its `prev_hash` and contents.
    pub fn expected_hash(&self) -> String {
        hex(&self.hash_as(self.seq))
    }

    fn hash_as(&self, seq: i64) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(unhex(&self.prev_hash));
        h.update(self.canonical_as(seq));
        h.finalize().into()
    }
}

/// The header line of an export: what the file is and how to check it.
pub fn export_header() -> String {
    serde_json::json!({
        "format": EXPORT_FORMAT,
        "genesis": GENESIS,
        "hash": "sha256(bytes.fromhex(prev_hash) + canonical)",
        "canonical": "compact JSON array [seq, at, actor, action, kind, object, change], UTF-8, non-ASCII unescaped",
    })
    .to_string()
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// 32 bytes from 64 hex digits; anything else becomes the SHA-256 of its text, which no
/// real hash equals, so a mangled hash shows as a broken link rather than an error.
fn unhex(s: &str) -> [u8; 32] {
    let digits = s.as_bytes();
    if digits.len() == 64 {
        let mut out = [0u8; 32];
        let val = |c: u8| (c as char).to_digit(16);
        if digits.chunks(2).zip(out.iter_mut()).all(|(pair, slot)| {
            match (val(pair[0]), val(pair[1])) {
                (Some(a), Some(b))
                    if !pair[0].is_ascii_uppercase() && !pair[1].is_ascii_uppercase() =>
                {
                    *slot = (a * 16 + b) as u8;
                    true
                }
                _ => false,
            }
        }) {
            return out;
        }
    }
    Sha256::digest(format!("not a hash: {s}")).into()
}

// ---- appending ----------------------------------------------------------------------------

/// A change to log: who, when, what, and the change itself.
#[derive(Debug, Clone)]
pub(crate) struct NewEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub kind: &'static str,
    pub object: String,
    pub change: serde_json::Value,
}

/// The end of the chain within one write transaction: read once, then extended by each
/// append, so a batch of a thousand changes reads the last entry once.
pub(crate) struct Chain {
    seq: i64,
    hash: String,
}

impl Chain {
    /// Takes the log's turn (PostgreSQL) and reads its last entry. Call inside the write
    /// transaction that makes the changes.
    pub(crate) fn open(conn: &mut Conn) -> BResult<Chain> {
        if let Some(lock) = conn.dialect().audit_lock() {
            conn.query_one(lock, &[], |_| Ok(()))?;
        }
        let last = conn.query_one(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            &[],
            |r| Ok((r.req_int(0)?, r.req_text(1)?)),
        )?;
        let (seq, hash) = last.unwrap_or((0, GENESIS.to_string()));
        Ok(Chain { seq, hash })
    }

    /// Appends one entry; returns its `seq`.
    pub(crate) fn append(&mut self, conn: &mut Conn, e: NewEntry) -> BResult<i64> {
        let entry = self.next(e);
        let seq = entry.seq;
        Pending(vec![entry]).write(conn)?;
        Ok(seq)
    }

    /// The next entry, hashed onto the chain but not yet written: the caller writes it
    /// (with others, [`Pending::write`]) in this transaction, before it commits.
    pub(crate) fn next(&mut self, e: NewEntry) -> Entry {
        let mut entry = Entry {
            seq: self.seq + 1,
            at: e.at,
            actor: e.actor,
            action: e.action,
            kind: e.kind.to_string(),
            object: e.object,
            change: e.change.to_string(),
            prev_hash: std::mem::take(&mut self.hash),
            hash: String::new(),
        };
        entry.hash = entry.expected_hash();
        self.seq = entry.seq;
        self.hash = entry.hash.clone();
        entry
    }
}

/// Entries taken from a [`Chain`] in order and written together, a few statements for a
/// batch's thousand entries.
#[derive(Default)]
pub(crate) struct Pending(pub(crate) Vec<Entry>);

impl Pending {
    pub(crate) fn write(self, conn: &mut Conn) -> BResult<()> {
        let mut values: Vec<Value> = Vec::with_capacity(self.0.len() * 9);
        for entry in self.0 {
            values.extend([
                entry.seq.into(),
                entry.at.into(),
                entry.actor.into(),
                entry.action.into(),
                entry.kind.into(),
                entry.object.into(),
                entry.change.into(),
                entry.prev_hash.into(),
                entry.hash.into(),
            ]);
        }
        conn.insert_rows(
            "audit_log (seq, logged_at, actor, action, object_kind, object_id, change, \
             prev_hash, hash)",
            9,
            &values,
        )
    }
}

/// Appends one entry in the current write transaction: the hook for write paths that log
/// one change (`accounts`' history calls it for users, places and merges).
pub(crate) fn append(conn: &mut Conn, e: NewEntry) -> BResult<i64> {
    Chain::open(conn)?.append(conn, e)
}

/// The audit entry of a change the web app's history records (`accounts`: users, places,
/// merges, and the edits and status changes it notes beside the store's own entries). The
/// object is the event or report named, else what the action is about; the change is the
/// history's own description of it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn append_history(
    conn: &mut Conn,
    who: &str,
    at: &str,
    action: &str,
    event_id: Option<i64>,
    report_id: Option<i64>,
    detail: &str,
    state: Option<RowState>,
) -> BResult<i64> {
    let (kind, object) = match (event_id, report_id) {
        (Some(e), _) => ("event", e.to_string()),
        (None, Some(r)) => ("report", r.to_string()),
        (None, None) => match action {
            "user" => ("user", String::new()),
            "place" => ("place", String::new()),
            _ => ("dataset", String::new()),
        },
    };
    let mut change = serde_json::json!({ "detail": detail, "report": report_id });
    let object = match state {
        None => object,
        Some(RowState::Row { id, state }) => {
            change["state"] = state.into();
            id.to_string()
        }
        Some(RowState::Event {
            record_sha256,
            status,
        }) => {
            change["record_sha256"] = record_sha256.into();
            change["status"] = status.into();
            object
        }
    };
    append(
        conn,
        NewEntry {
            at: at.to_string(),
            actor: who.to_string(),
            action: action.to_string(),
            kind,
            object,
            change,
        },
    )
}

/// What a history entry binds of the row it changed, so that verification can compare the
/// row with the log (see [`Store::audit_verify`]).
pub(crate) enum RowState {
    /// A user or a place: its id and [`user_state`] / [`place_state`] after the change.
    Row { id: i64, state: String },
    /// An event: its record's SHA-256 and its status after the change.
    Event {
        record_sha256: String,
        status: String,
    },
}

/// The database's clock, for writes whose caller gives no time.
pub(crate) fn db_now(conn: &mut Conn) -> BResult<String> {
    let sql = format!("SELECT {}", conn.dialect().now_utc());
    conn.query_one(&sql, &[], |r| r.req_text(0))?
        .ok_or_else(|| BackendError::Row("no time from the database".into()))
}

/// `{"field": {"before": …, "after": …}}` for each field that differs between two records.
pub(crate) fn diff<T: Serialize>(before: &T, after: &T) -> serde_json::Value {
    let (Ok(serde_json::Value::Object(b)), Ok(serde_json::Value::Object(a))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return serde_json::Value::Null;
    };
    let mut out = serde_json::Map::new();
    for (k, av) in &a {
        let bv = b.get(k).cloned().unwrap_or(serde_json::Value::Null);
        if &bv != av {
            out.insert(k.clone(), serde_json::json!({"before": bv, "after": av}));
        }
    }
    serde_json::Value::Object(out)
}

/// The SHA-256 of a record's JSON: what an entry keeps of a created event, so the log binds
/// its exact content without copying it.
pub(crate) fn record_sha256<T: Serialize>(record: &T) -> String {
    crate::sha256_hex(&serde_json::to_vec(record).unwrap_or_default())
}

/// The `begin` entry, written by the migration that creates the log: how many reports the
/// database held then and a hash over their ids and SHA-256s, so that reports older than the
/// log are under its protection too.
pub(crate) fn begin(conn: &mut Conn) -> BResult<()> {
    let mut summary = Sha256::new();
    let (mut reports, mut last) = (0i64, 0i64);
    conn.query_each::<BackendError>(
        "SELECT id, sha256 FROM reports ORDER BY id",
        &[],
        &mut |r| {
            let (id, sha) = (r.req_int(0)?, r.req_text(1)?);
            summary.update(format!("{id}:{sha}\n"));
            reports += 1;
            last = id;
            Ok(())
        },
    )?;
    let events = conn
        .query_one("SELECT COUNT(*) FROM events", &[], |r| r.req_int(0))?
        .unwrap_or(0);
    let at = db_now(conn)?;
    append(
        conn,
        NewEntry {
            at,
            actor: "unrest".into(),
            action: "begin".into(),
            kind: "dataset",
            object: String::new(),
            change: serde_json::json!({
                "reports": reports,
                "events": events,
                "last_report_id": last,
                "reports_sha256": hex(&summary.finalize()),
            }),
        },
    )?;
    Ok(())
}

// ---- verifying ----------------------------------------------------------------------------

/// What verification needs of an entry: its place in the chain and whether its contents
/// still give its hash. A million entries cost about 90 MB.
#[derive(Debug, Clone)]
pub struct Link {
    pub seq: i64,
    prev: [u8; 32],
    hash: [u8; 32],
    intact: bool,
    /// When the contents give the hash only under another number: that number (an entry
    /// renumbered to hide a deletion or an insertion).
    hashes_as: Option<i64>,
}

/// How far from its own number a renumbered entry is looked for.
const RENUMBER_REACH: i64 = 16;

impl Link {
    pub fn of(e: &Entry) -> Link {
        let hash = unhex(&e.hash);
        let intact = e.hash_as(e.seq) == hash;
        let hashes_as = if intact {
            None
        } else {
            (1..=RENUMBER_REACH)
                .flat_map(|d| [e.seq + d, e.seq - d])
                .filter(|&s| s > 0)
                .find(|&s| e.hash_as(s) == hash)
        };
        Link {
            seq: e.seq,
            prev: unhex(&e.prev_hash),
            hash,
            intact,
            hashes_as,
        }
    }
}

/// A problem verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The entry's contents no longer give its hash.
    Edited { seq: i64 },
    /// The entry is missing (later ones may have been renumbered to close the gap).
    Deleted { seq: i64 },
    /// The entry was put between two others: the next does not chain from it.
    Inserted { seq: i64 },
    /// The entry chains from one that comes after it: entries were reordered.
    Reordered { seq: i64 },
    /// The entry was changed and its hash recomputed: the next still chains from the old.
    Rehashed { seq: i64 },
    /// A line of an export that is not an entry.
    Unreadable { line: usize, reason: String },
    /// The anchor given to verify against is not in the log.
    AnchorMissing { seq: i64, hash: String },
    /// The report's text no longer gives its stored SHA-256.
    ReportAltered { report: i64 },
    /// The report's stored SHA-256 is not the one logged when it arrived.
    ReportHashChanged { report: i64, entry: i64 },
    /// A report with no `receive` entry, stored after the log began.
    ReportUnlogged { report: i64 },
    /// A report the log says arrived is gone.
    ReportMissing { report: i64, entry: i64 },
    /// The reports older than the log no longer match the `begin` entry's summary.
    EarlyReportsChanged { entry: i64 },
    /// A sealed submission's ciphertext no longer gives its stored SHA-256.
    SealedAltered { sealed: i64 },
    /// A sealed submission's stored SHA-256 is not the one logged when it arrived.
    SealedHashChanged { sealed: i64, entry: i64 },
    /// A sealed submission with no arrival entry.
    SealedUnlogged { sealed: i64 },
    /// A sealed submission the log says arrived is gone.
    SealedMissing { sealed: i64, entry: i64 },
    /// There is no audit log at all: its table was dropped.
    LogMissing,
    /// The event's record is not the one the log last wrote for it (edited in the database).
    EventAltered { event: i64, entry: i64 },
    /// The event's status is not the one the log last gave it.
    EventStatusChanged {
        event: i64,
        entry: i64,
        logged: String,
        found: String,
    },
    /// An event no entry created (or one the log removed, back again).
    EventUnlogged { event: i64 },
    /// An event the log says exists is gone.
    EventMissing { event: i64, entry: i64 },
    /// A user's name, role, password hash or state is not what the log last wrote.
    UserAltered { user: String, entry: i64 },
    /// A user no entry created.
    UserUnlogged { user: String },
    /// A place's fields are not what the log wrote when it was added.
    PlaceAltered { place: i64, entry: i64 },
    /// A place no entry added.
    PlaceUnlogged { place: i64 },
}

impl Finding {
    /// The entry the finding is about, for chain findings.
    pub fn entry(&self) -> Option<i64> {
        match self {
            Finding::Edited { seq }
            | Finding::Deleted { seq }
            | Finding::Inserted { seq }
            | Finding::Reordered { seq }
            | Finding::Rehashed { seq } => Some(*seq),
            _ => None,
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::Edited { seq } => write!(
                f,
                "entry {seq} was edited: its contents no longer give its hash"
            ),
            Finding::Deleted { seq } => write!(f, "entry {seq} was deleted"),
            Finding::Inserted { seq } => write!(
                f,
                "entry {seq} was inserted: the entry after it chains from the one before it"
            ),
            Finding::Reordered { seq } => write!(
                f,
                "entry {seq} is out of order: it chains from an entry that comes after it"
            ),
            Finding::Rehashed { seq } => write!(
                f,
                "entry {seq} was edited and its hash recomputed: the next entry chains from its old hash"
            ),
            Finding::Unreadable { line, reason } => {
                write!(f, "line {line} is not an audit entry: {reason}")
            }
            Finding::AnchorMissing { seq, hash } => write!(
                f,
                "the anchor {seq}:{hash} is not in the log: it was rewritten or cut short after that entry"
            ),
            Finding::ReportAltered { report } => write!(
                f,
                "report {report}: its text no longer gives its SHA-256 (the text was altered)"
            ),
            Finding::ReportHashChanged { report, entry } => write!(
                f,
                "report {report}: its SHA-256 is not the one logged when it arrived (entry {entry})"
            ),
            Finding::ReportUnlogged { report } => write!(
                f,
                "report {report} has no receive entry: it was stored behind the log's back"
            ),
            Finding::ReportMissing { report, entry } => write!(
                f,
                "report {report} is gone: entry {entry} logged its arrival"
            ),
            Finding::SealedAltered { sealed } => write!(
                f,
                "sealed submission {sealed}: its ciphertext no longer gives its SHA-256"
            ),
            Finding::SealedHashChanged { sealed, entry } => write!(
                f,
                "sealed submission {sealed}: its SHA-256 is not the one logged when it arrived (entry {entry})"
            ),
            Finding::SealedUnlogged { sealed } => write!(
                f,
                "sealed submission {sealed} has no arrival entry: it was stored behind the log's back"
            ),
            Finding::SealedMissing { sealed, entry } => write!(
                f,
                "sealed submission {sealed} is gone: entry {entry} logged its arrival"
            ),
            Finding::LogMissing => write!(
                f,
                "the audit log is missing: its table audit_log is not in the database (dropped?)"
            ),
            Finding::EventAltered { event, entry } => write!(
                f,
                "event {event}: its record is not the one entry {entry} logged (changed behind the log's back)"
            ),
            Finding::EventStatusChanged {
                event,
                entry,
                logged,
                found,
            } => write!(
                f,
                "event {event}: its status is {found}, but entry {entry} logged {logged}"
            ),
            Finding::EventUnlogged { event } => write!(
                f,
                "event {event} has no entry that created it: it was stored behind the log's back"
            ),
            Finding::EventMissing { event, entry } => write!(
                f,
                "event {event} is gone: entry {entry} logged it"
            ),
            Finding::UserAltered { user, entry } => write!(
                f,
                "user {user}: name, role, password hash or state is not what entry {entry} logged"
            ),
            Finding::UserUnlogged { user } => write!(
                f,
                "user {user} has no entry that created it: it was stored behind the log's back"
            ),
            Finding::PlaceAltered { place, entry } => write!(
                f,
                "place {place}: its fields are not what entry {entry} logged"
            ),
            Finding::PlaceUnlogged { place } => write!(
                f,
                "place {place} has no entry that added it: it was stored behind the log's back"
            ),
            Finding::EarlyReportsChanged { entry } => write!(
                f,
                "the reports stored before the log began no longer match entry {entry}'s summary"
            ),
        }
    }
}

/// `SEQ:HASH`: an entry known from elsewhere (an earlier verification, a published digest)
/// that the log must still contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
}

impl std::str::FromStr for Anchor {
    type Err = Error;
    fn from_str(s: &str) -> Result<Anchor> {
        let bad = || {
            Error::Invalid(format!(
                "bad anchor {s:?}: expected SEQ:HASH, e.g. 42:9f86d0…"
            ))
        };
        let (seq, hash) = s.trim().split_once(':').ok_or_else(bad)?;
        let seq = seq.parse().map_err(|_| bad())?;
        let hash = hash.to_ascii_lowercase();
        if hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(Anchor { seq, hash })
    }
}

/// The outcome of verifying a log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Verification {
    pub entries: u64,
    /// The last entry's number and hash: keep it as an anchor.
    pub head: Option<(i64, String)>,
    /// Reports re-hashed (0 for an export, which holds no reports).
    pub reports: u64,
    /// Events, users and places compared with what the log last wrote of them (0 for an
    /// export).
    pub rows: u64,
    /// The first chain problem (later ones follow from it), then every report problem.
    pub findings: Vec<Finding>,
}

impl Verification {
    pub fn is_intact(&self) -> bool {
        self.findings.is_empty()
    }
}

/// The first place the chain is broken, walking `links` in the order given (by `seq`).
pub fn check_chain(links: &[Link]) -> Option<Finding> {
    let genesis = unhex(GENESIS);
    let mut position: HashMap<[u8; 32], usize> = HashMap::with_capacity(links.len());
    let mut numbered: HashMap<i64, usize> = HashMap::with_capacity(links.len());
    for (i, l) in links.iter().enumerate() {
        position.entry(l.hash).or_insert(i);
        numbered.entry(l.seq).or_insert(i);
    }
    let (mut prev_hash, mut prev_seq) = (genesis, 0i64);
    for (i, r) in links.iter().enumerate() {
        if r.seq != prev_seq + 1 {
            // A number further on, or one that comes again later, is out of order; a number
            // that appears nowhere was deleted.
            let missing_later = numbered.get(&(prev_seq + 1)).is_some_and(|&j| j > i);
            return Some(if r.seq > prev_seq + 1 && !missing_later {
                Finding::Deleted { seq: prev_seq + 1 }
            } else {
                Finding::Reordered { seq: r.seq }
            });
        }
        if r.prev == prev_hash {
            if !r.intact {
                return Some(match r.hashes_as {
                    Some(s) if s > r.seq => Finding::Deleted { seq: r.seq },
                    Some(_) => Finding::Inserted { seq: r.seq - 1 },
                    None => Finding::Edited { seq: r.seq },
                });
            }
            (prev_hash, prev_seq) = (r.hash, r.seq);
            continue;
        }
        // The link to the previous entry is broken: find out which entry is out of place.
        let from = position.get(&r.prev).copied();
        if from.is_some_and(|j| j > i) {
            return Some(Finding::Reordered { seq: r.seq });
        }
        if links.get(i + 1).is_some_and(|n| n.prev == prev_hash) {
            return Some(Finding::Inserted { seq: r.seq });
        }
        let before_prev = match i {
            0 => None,
            1 => Some(genesis),
            _ => Some(links[i - 2].hash),
        };
        if i > 0 && before_prev == Some(r.prev) {
            return Some(Finding::Inserted { seq: prev_seq });
        }
        match r.hashes_as {
            Some(s) if s > r.seq => return Some(Finding::Deleted { seq: r.seq }),
            Some(_) => return Some(Finding::Inserted { seq: r.seq - 1 }),
            None => {}
        }
        if from.is_some() {
            return Some(Finding::Reordered { seq: r.seq });
        }
        return Some(if r.intact && i > 0 {
            Finding::Rehashed { seq: prev_seq }
        } else {
            Finding::Edited { seq: r.seq }
        });
    }
    None
}

fn check_anchor(links: &[Link], anchor: Option<&Anchor>) -> Option<Finding> {
    let a = anchor?;
    let want = unhex(&a.hash);
    let found = links
        .iter()
        .any(|l| l.seq == a.seq && l.hash == want && l.intact);
    (!found).then(|| Finding::AnchorMissing {
        seq: a.seq,
        hash: a.hash.clone(),
    })
}

/// Verifies an export (`unrest audit export`) on its own, without a database: the header
/// line, then one entry per line.
pub fn verify_export(
    reader: impl BufRead,
    anchor: Option<&Anchor>,
) -> std::io::Result<Verification> {
    let mut links = Vec::new();
    let mut v = Verification::default();
    let mut head = None;
    for (n, line) in reader.lines().enumerate() {
        let line = line?;
        let number = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        if number == 1 {
            if let Ok(serde_json::Value::Object(h)) = serde_json::from_str(&line) {
                if h.contains_key("format") {
                    match h.get("format").and_then(|f| f.as_str()) {
                        Some(EXPORT_FORMAT) => continue,
                        other => {
                            v.findings.push(Finding::Unreadable {
                                line: number,
                                reason: format!("format {other:?} is not {EXPORT_FORMAT:?}"),
                            });
                            return Ok(v);
                        }
                    }
                }
            }
        }
        match serde_json::from_str::<Entry>(&line) {
            Ok(e) => {
                head = Some((e.seq, e.hash.clone()));
                links.push(Link::of(&e));
            }
            Err(e) => {
                v.findings.push(Finding::Unreadable {
                    line: number,
                    reason: e.to_string(),
                });
                return Ok(v);
            }
        }
    }
    v.entries = links.len() as u64;
    v.head = head;
    v.findings.extend(check_chain(&links));
    v.findings.extend(check_anchor(&links, anchor));
    Ok(v)
}

const SELECT_ENTRIES: &str = "SELECT seq, logged_at, actor, action, object_kind, object_id, change,
    prev_hash, hash FROM audit_log ORDER BY seq";

fn entry_from_row(r: &dyn crate::conn::Row) -> std::result::Result<Entry, String> {
    Ok(Entry {
        seq: r.req_int(0)?,
        at: r.req_text(1)?,
        actor: r.req_text(2)?,
        action: r.req_text(3)?,
        kind: r.req_text(4)?,
        object: r.req_text(5)?,
        change: r.req_text(6)?,
        prev_hash: r.req_text(7)?,
        hash: r.req_text(8)?,
    })
}

/// What the log says about reports: the SHA-256 each had on arrival, and the summary of the
/// reports older than the log.
#[derive(Default)]
struct Custody {
    logged: BTreeMap<i64, (String, i64)>,
    /// Sealed submissions (sealed intake): the SHA-256 of the ciphertext on arrival.
    sealed: BTreeMap<i64, (String, i64)>,
    begin: Option<(i64, i64, String)>,
}

impl Custody {
    fn read(&mut self, e: &Entry) {
        let field = |json: &serde_json::Value, k: &str| json.get(k).cloned();
        match (e.kind.as_str(), e.action.as_str()) {
            ("report", "receive") => {
                let Ok(id) = e.object.parse::<i64>() else {
                    return;
                };
                if let Ok(json) = serde_json::from_str::<serde_json::Value>(&e.change) {
                    if let Some(sha) =
                        field(&json, "sha256").and_then(|s| s.as_str().map(String::from))
                    {
                        self.logged.insert(id, (sha, e.seq));
                    }
                }
            }
            ("sealed", action) if action.starts_with("receive sealed") => {
                let Ok(id) = e.object.parse::<i64>() else {
                    return;
                };
                if let Ok(json) = serde_json::from_str::<serde_json::Value>(&e.change) {
                    if let Some(sha) = field(&json, "sha256_of_ciphertext")
                        .and_then(|s| s.as_str().map(String::from))
                    {
                        self.sealed.insert(id, (sha, e.seq));
                    }
                }
            }
            ("dataset", "begin") if self.begin.is_none() => {
                if let Ok(json) = serde_json::from_str::<serde_json::Value>(&e.change) {
                    let last = field(&json, "last_report_id").and_then(|v| v.as_i64());
                    let sum =
                        field(&json, "reports_sha256").and_then(|v| v.as_str().map(String::from));
                    if let (Some(last), Some(sum)) = (last, sum) {
                        self.begin = Some((e.seq, last, sum));
                    }
                }
            }
            _ => {}
        }
    }
}

/// What the log says the rows of events, users and places hold now: replayed entry by
/// entry, then compared with the tables (see [`Store::audit_verify`]).
#[derive(Default)]
struct Replay {
    events: HashMap<i64, Expected>,
    /// By id: the state hash last logged ([`user_state`], [`place_state`]) and its entry.
    users: HashMap<i64, (String, i64)>,
    places: HashMap<i64, (String, i64)>,
    /// Entries about users or places written before they carried their row's state (an
    /// older database): such rows are not called unlogged.
    legacy_users: bool,
    legacy_places: bool,
    /// Events older than the log (its `begin` counted some): such events are not called
    /// unlogged.
    early_events: bool,
}

/// What the log last said of one event.
#[derive(Default)]
struct Expected {
    /// The record's SHA-256 and its entry; `None` when an older entry changed the record
    /// without logging its hash (nothing to compare).
    record: Option<(String, i64)>,
    status: Option<(String, i64)>,
    /// Removed by re-coding, at this entry.
    gone: Option<i64>,
}

impl Replay {
    fn read(&mut self, e: &Entry) {
        let relevant = matches!(
            (e.kind.as_str(), e.action.as_str()),
            ("event", _) | ("report", "code") | ("user", _) | ("place", _) | ("dataset", "begin")
        );
        if !relevant {
            return;
        }
        let Ok(json) = serde_json::from_str::<serde_json::Value>(&e.change) else {
            return;
        };
        let text = |k: &str| json.get(k).and_then(|v| v.as_str()).map(String::from);
        let id = e.object.parse::<i64>().ok();
        match (e.kind.as_str(), e.action.as_str()) {
            ("dataset", "begin") => {
                self.early_events |= json.get("events").and_then(|v| v.as_i64()).unwrap_or(0) > 0;
            }
            ("report", "code") => {
                if let Some(removed) = json.get("events_removed").and_then(|v| v.as_array()) {
                    for id in removed.iter().filter_map(|v| v.as_i64()) {
                        self.events.entry(id).or_default().gone = Some(e.seq);
                    }
                }
                if let Some(added) = json.get("events_added").and_then(|v| v.as_object()) {
                    for (id, hash) in added {
                        let (Ok(id), Some(hash)) = (id.parse::<i64>(), hash.as_str()) else {
                            continue;
                        };
                        self.events.insert(
                            id,
                            Expected {
                                record: Some((hash.to_string(), e.seq)),
                                status: Some(("coded".into(), e.seq)),
                                gone: None,
                            },
                        );
                    }
                }
            }
            ("event", action) => {
                let Some(id) = id else { return };
                let x = self.events.entry(id).or_default();
                if let Some(hash) = text("record_sha256") {
                    x.record = Some((hash, e.seq));
                    x.gone = None;
                } else if action == "edit" && json.get("detail").is_none() {
                    // An edit logged before edits carried their record's hash.
                    x.record = None;
                }
                let status = json.get("status").and_then(|s| {
                    s.as_str()
                        .map(String::from)
                        .or_else(|| s.get("after").and_then(|a| a.as_str()).map(String::from))
                });
                if let Some(status) = status {
                    x.status = Some((status, e.seq));
                }
            }
            ("user", _) => match (id, text("state")) {
                (Some(id), Some(state)) => {
                    self.users.insert(id, (state, e.seq));
                }
                _ => self.legacy_users = true,
            },
            ("place", _) => match (id, text("state")) {
                (Some(id), Some(state)) => {
                    self.places.insert(id, (state, e.seq));
                }
                _ => self.legacy_places = true,
            },
            _ => {}
        }
    }

    /// Compares the replayed state with the tables' rows.
    fn compare(mut self, conn: &mut Conn) -> BResult<(Vec<Finding>, u64)> {
        let mut findings = Vec::new();
        let mut rows = 0u64;
        let events = &mut self.events;
        let early = self.early_events;
        conn.query_each::<BackendError>(crate::SELECT_EVENTS.as_str(), &[], &mut |r| {
            let stored = crate::event_from_row(r).map_err(BackendError::Row)?;
            let id = stored.id;
            rows += 1;
            let Some(x) = events.remove(&id).filter(|x| x.gone.is_none()) else {
                if !early {
                    findings.push(Finding::EventUnlogged { event: id });
                }
                return Ok(());
            };
            if let Some((hash, entry)) = x.record {
                if !record_matches(&stored, &hash) {
                    findings.push(Finding::EventAltered { event: id, entry });
                }
            }
            if let Some((status, entry)) = x.status {
                if status != stored.status.as_str() {
                    findings.push(Finding::EventStatusChanged {
                        event: id,
                        entry,
                        logged: status,
                        found: stored.status.as_str().to_string(),
                    });
                }
            }
            Ok(())
        })?;
        let mut missing: Vec<(i64, i64)> = events
            .iter()
            .filter(|(_, x)| x.gone.is_none())
            .filter_map(|(&id, x)| x.record.as_ref().or(x.status.as_ref()).map(|r| (id, r.1)))
            .collect();
        missing.sort_unstable();
        findings.extend(
            missing
                .into_iter()
                .map(|(event, entry)| Finding::EventMissing { event, entry }),
        );

        let users = conn.query_all("SELECT id, name FROM users ORDER BY id", &[], |r| {
            Ok((r.req_int(0)?, r.req_text(1)?))
        })?;
        for (id, name) in users {
            rows += 1;
            let state = user_state(conn, id)?;
            match self.users.get(&id) {
                Some((logged, entry)) if *logged != state => findings.push(Finding::UserAltered {
                    user: name,
                    entry: *entry,
                }),
                Some(_) => {}
                None if self.legacy_users => {}
                None => findings.push(Finding::UserUnlogged { user: name }),
            }
        }
        let places = conn.query_all("SELECT id FROM places ORDER BY id", &[], |r| r.req_int(0))?;
        for id in places {
            rows += 1;
            let state = place_state(conn, id)?;
            match self.places.get(&id) {
                Some((logged, entry)) if *logged != state => findings.push(Finding::PlaceAltered {
                    place: id,
                    entry: *entry,
                }),
                Some(_) => {}
                None if self.legacy_places => {}
                None => findings.push(Finding::PlaceUnlogged { place: id }),
            }
        }
        Ok((findings, rows))
    }
}

/// Whether a stored event's record is the one logged: a blank ACLED id is read back as
/// `IRN-U` and the id, so the record as coded (blank) is tried too.
fn record_matches(stored: &crate::StoredEvent, logged: &str) -> bool {
    if record_sha256(&stored.event) == logged {
        return true;
    }
    if stored.event.event_id_cnty == format!("IRN-U{}", stored.id) {
        let mut blank = stored.event.clone();
        blank.event_id_cnty.clear();
        return record_sha256(&blank) == logged;
    }
    false
}

/// The SHA-256 of what the log binds of a user: name, role, password hash, disabled.
pub(crate) fn user_state(conn: &mut Conn, id: i64) -> BResult<String> {
    let row = conn.query_one(
        "SELECT name, role, password_hash, disabled FROM users WHERE id = $1",
        &[id.into()],
        |r| {
            Ok(serde_json::json!([
                r.req_text(0)?,
                r.req_text(1)?,
                r.req_text(2)?,
                r.req_int(3)? != 0
            ]))
        },
    )?;
    Ok(record_sha256(&row))
}

/// The SHA-256 of a place's fields as added.
pub(crate) fn place_state(conn: &mut Conn, id: i64) -> BResult<String> {
    let row = conn.query_one(
        "SELECT name, lat, lon, city, admin1, kind, alt_names FROM places WHERE id = $1",
        &[id.into()],
        |r| {
            Ok(serde_json::json!([
                r.req_text(0)?,
                r.real(1)?,
                r.real(2)?,
                r.req_text(3)?,
                r.req_text(4)?,
                r.req_text(5)?,
                r.req_text(6)?
            ]))
        },
    )?;
    Ok(record_sha256(&row))
}

/// Whether the log's table exists (a dropped one is named as such, not as an SQL error).
fn log_exists(conn: &mut Conn) -> BResult<bool> {
    let sql = match conn.dialect() {
        crate::Dialect::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'"
        }
        crate::Dialect::Postgres => {
            "SELECT COUNT(*) FROM pg_catalog.pg_tables
             WHERE tablename = 'audit_log' AND schemaname = current_schema()"
        }
    };
    Ok(conn.query_one(sql, &[], |r| r.req_int(0))?.unwrap_or(0) > 0)
}

impl Store {
    /// Walks the audit log and re-hashes every report: the first broken link of the chain,
    /// then every report whose bytes or hash changed. `anchor`: an entry that must still be
    /// in the log (see the module documentation).
    pub fn audit_verify(&mut self, anchor: Option<&Anchor>) -> Result<Verification> {
        if !log_exists(&mut self.conn).map_err(|e| self.err(e))? {
            return Ok(Verification {
                findings: vec![Finding::LogMissing],
                ..Default::default()
            });
        }
        let mut links = Vec::new();
        let mut custody = Custody::default();
        let mut replay = Replay::default();
        let mut head = None;
        self.conn
            .query_each::<BackendError>(SELECT_ENTRIES, &[], &mut |r| {
                let e = entry_from_row(r)?;
                custody.read(&e);
                replay.read(&e);
                head = Some((e.seq, e.hash.clone()));
                links.push(Link::of(&e));
                Ok(())
            })
            .map_err(|e| self.err(e))?;
        let mut v = Verification {
            entries: links.len() as u64,
            head,
            ..Default::default()
        };
        v.findings.extend(check_chain(&links));
        v.findings.extend(check_anchor(&links, anchor));
        drop(links);

        let mut early = Sha256::new();
        let early_last = custody.begin.as_ref().map_or(0, |b| b.1);
        let mut reports = 0u64;
        let mut findings = Vec::new();
        let logged = &mut custody.logged;
        self.conn
            .query_each::<BackendError>(
                "SELECT id, sha256, text FROM reports ORDER BY id",
                &[],
                &mut |r| {
                    let (id, sha) = (r.req_int(0)?, r.req_text(1)?);
                    let text = r.bytes(2)?.unwrap_or_default();
                    reports += 1;
                    if crate::sha256_hex(&text) != sha {
                        findings.push(Finding::ReportAltered { report: id });
                    }
                    match logged.remove(&id) {
                        Some((at_arrival, entry)) if at_arrival != sha => {
                            findings.push(Finding::ReportHashChanged { report: id, entry })
                        }
                        Some(_) => {}
                        None if id <= early_last => early.update(format!("{id}:{sha}\n")),
                        None => findings.push(Finding::ReportUnlogged { report: id }),
                    }
                    Ok(())
                },
            )
            .map_err(|e| self.err(e))?;
        if let Some((entry, _, sum)) = &custody.begin {
            if hex(&early.finalize()) != *sum {
                findings.push(Finding::EarlyReportsChanged { entry: *entry });
            }
        }
        findings.extend(
            custody
                .logged
                .iter()
                .map(|(&report, &(_, entry))| Finding::ReportMissing { report, entry }),
        );
        // Sealed submissions came with the log (migration 6 follows it): each must have
        // its arrival entry.
        let logged = &mut custody.sealed;
        self.conn
            .query_each::<BackendError>(
                "SELECT id, sha256, ciphertext FROM sealed_submissions ORDER BY id",
                &[],
                &mut |r| {
                    let (id, sha) = (r.req_int(0)?, r.req_text(1)?);
                    let ciphertext = r.bytes(2)?.unwrap_or_default();
                    if crate::sha256_hex(&ciphertext) != sha {
                        findings.push(Finding::SealedAltered { sealed: id });
                    }
                    match logged.remove(&id) {
                        Some((at_arrival, entry)) if at_arrival != sha => {
                            findings.push(Finding::SealedHashChanged { sealed: id, entry })
                        }
                        Some(_) => {}
                        None => findings.push(Finding::SealedUnlogged { sealed: id }),
                    }
                    Ok(())
                },
            )
            .map_err(|e| self.err(e))?;
        findings.extend(
            custody
                .sealed
                .iter()
                .map(|(&sealed, &(_, entry))| Finding::SealedMissing { sealed, entry }),
        );
        v.reports = reports;
        v.findings.extend(findings);
        let (rows, compared) = replay.compare(&mut self.conn).map_err(|e| self.err(e))?;
        v.findings.extend(rows);
        v.rows = compared;
        Ok(v)
    }

    /// The log's last entry as `SEQ:HASH`: what to publish (digests print it) so that a
    /// later rewrite of the whole chain is caught by `unrest audit verify --anchor`.
    pub fn audit_head(&mut self) -> Result<Option<String>> {
        self.conn
            .query_one(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                &[],
                |r| Ok(format!("{}:{}", r.req_int(0)?, r.req_text(1)?)),
            )
            .map_err(|e| self.err(e))
    }

    /// Streams the log, oldest first, to `each`. Returns how many entries were handed over.
    pub fn audit_entries<E: From<Error>>(
        &mut self,
        mut each: impl FnMut(Entry) -> std::result::Result<(), E>,
    ) -> std::result::Result<u64, E> {
        let mut n = 0u64;
        let read = self
            .conn
            .query_each::<crate::Stop<E>>(SELECT_ENTRIES, &[], &mut |r| {
                let e =
                    entry_from_row(r).map_err(|e| crate::Stop::Backend(BackendError::Row(e)))?;
                n += 1;
                each(e).map_err(crate::Stop::Caller)
            });
        match read {
            Ok(()) => Ok(n),
            Err(crate::Stop::Caller(e)) => Err(e),
            Err(crate::Stop::Backend(e)) => Err(self.err(e).into()),
        }
    }

    /// The entries about one object (`report` 12, `event` 812 …), oldest first.
    pub fn audit_history(&mut self, kind: &str, object: &str) -> Result<Vec<Entry>> {
        self.conn
            .query_all(
                "SELECT seq, logged_at, actor, action, object_kind, object_id, change,
                    prev_hash, hash FROM audit_log WHERE object_kind = $1 AND object_id = $2
                 ORDER BY seq",
                &[kind.into(), object.into()],
                entry_from_row,
            )
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Entry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = Entry {
                    seq,
                    at: format!("2022-11-0{}T12:00:00Z", 1 + seq % 9),
                    actor: "maryam".into(),
                    action: "status".into(),
                    kind: "event".into(),
                    object: (100 + seq).to_string(),
                    change: format!(
                        r#"{{"status":{{"before":"coded","after":"published"}},"n":{seq}}}"#
                    ),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.expected_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn check(entries: &[Entry]) -> Option<Finding> {
        let links: Vec<Link> = entries.iter().map(Link::of).collect();
        check_chain(&links)
    }

    /// Renumbers entries as an attacker closing a gap or opening one would.
    fn renumber(entries: &mut [Entry]) {
        for (i, e) in entries.iter_mut().enumerate() {
            e.seq = i as i64 + 1;
        }
    }

    #[test]
    fn an_untouched_chain_verifies() {
        assert_eq!(check(&chain(6)), None);
        assert_eq!(check(&[]), None);
    }

    #[test]
    fn an_edited_entry_is_named() {
        let mut c = chain(6);
        c[2].actor = "mallory".into();
        assert_eq!(check(&c), Some(Finding::Edited { seq: 3 }));
    }

    #[test]
    fn an_edit_with_a_recomputed_hash_is_named_by_the_next_link() {
        let mut c = chain(6);
        c[2].change = "{}".into();
        c[2].hash = c[2].expected_hash();
        assert_eq!(check(&c), Some(Finding::Rehashed { seq: 3 }));
    }

    #[test]
    fn a_deleted_entry_is_named_with_or_without_renumbering() {
        let mut c = chain(6);
        c.remove(2);
        assert_eq!(check(&c), Some(Finding::Deleted { seq: 3 }));
        renumber(&mut c);
        assert_eq!(check(&c), Some(Finding::Deleted { seq: 3 }));
        let mut first = chain(4);
        first.remove(0);
        assert_eq!(check(&first), Some(Finding::Deleted { seq: 1 }));
    }

    #[test]
    fn an_inserted_entry_is_named_however_well_it_is_forged() {
        let c = chain(6);
        let mut forged = c[2].clone();
        forged.actor = "mallory".into();
        forged.prev_hash = c[1].hash.clone();
        forged.hash = forged.expected_hash();
        let mut with = c.clone();
        with.insert(2, forged.clone());
        renumber(&mut with);
        assert_eq!(check(&with), Some(Finding::Inserted { seq: 3 }));
        // A forgery with a made-up hash.
        forged.hash = "ab".repeat(32);
        forged.prev_hash = "cd".repeat(32);
        let mut with = c.clone();
        with.insert(2, forged);
        renumber(&mut with);
        assert_eq!(check(&with), Some(Finding::Inserted { seq: 3 }));
    }

    #[test]
    fn reordered_entries_are_named() {
        let mut c = chain(6);
        c.swap(2, 3);
        renumber(&mut c);
        assert_eq!(check(&c), Some(Finding::Reordered { seq: 3 }));
        let mut c = chain(6);
        c.swap(2, 3);
        assert_eq!(
            check(&c),
            Some(Finding::Reordered { seq: 4 }),
            "numbers kept"
        );
    }

    #[test]
    fn the_canonical_bytes_are_a_compact_json_array() {
        let e = &chain(1)[0];
        assert_eq!(
            String::from_utf8(e.canonical()).unwrap(),
            r#"[1,"2022-11-02T12:00:00Z","maryam","status","event","101","{\"status\":{\"before\":\"coded\",\"after\":\"published\"},\"n\":1}"]"#
        );
        assert_eq!(e.prev_hash, GENESIS);
    }

    #[test]
    fn an_export_verifies_on_its_own_and_against_an_anchor() {
        let c = chain(5);
        let mut text = export_header();
        for e in &c {
            text.push('\n');
            text.push_str(&serde_json::to_string(e).unwrap());
        }
        let v = verify_export(text.as_bytes(), None).unwrap();
        assert!(v.is_intact(), "{:?}", v.findings);
        assert_eq!(v.entries, 5);
        assert_eq!(v.head, Some((5, c[4].hash.clone())));
        let anchor = Anchor {
            seq: 5,
            hash: c[4].hash.clone(),
        };
        let cut: Vec<&str> = text.lines().take(5).collect();
        let v = verify_export(cut.join("\n").as_bytes(), Some(&anchor)).unwrap();
        assert_eq!(
            v.findings,
            vec![Finding::AnchorMissing {
                seq: 5,
                hash: c[4].hash.clone()
            }]
        );
        let v = verify_export(format!("{text}\nnot json").as_bytes(), None).unwrap();
        assert!(matches!(v.findings[0], Finding::Unreadable { line: 7, .. }));
    }
}
