//! The schema as numbered migrations, applied in order when a store is opened.
//!
//! `schema_migrations` holds one row per applied version. A migration is DDL (shared text
//! with type placeholders, or one text per dialect where they cannot agree) and, when the
//! new tables must be filled from the old ones, a Rust step in the same transaction. A
//! database whose highest version is above [`LATEST`] was written by a newer unrest and is
//! refused rather than half-understood.
//!
//! Never edit a migration that has shipped: add the next one.

use crate::conn::{BResult, BackendError, Conn, Dialect, Value};

/// The schema version this build writes.
pub const LATEST: i64 = 17;

struct Migration {
    version: i64,
    /// What it is for, recorded with it.
    why: &'static str,
    ddl: fn(Dialect) -> String,
    fill: Option<fn(&mut Conn) -> BResult<()>>,
}

const MIGRATIONS: [Migration; 17] = [
    Migration {
        version: 1,
        why: "reports and the events coded from them",
        ddl: base,
        fill: None,
    },
    Migration {
        version: 2,
        why: "folded full-text search over report text and event notes; place and type indexes",
        ddl: search,
        fill: Some(fill_search),
    },
    Migration {
        version: 3,
        why:
            "the web app: accounts, sessions, receipts, follow-ups, change history, places, merges",
        ddl: accounts,
        fill: None,
    },
    Migration {
        version: 4,
        why: "the tamper-evident audit log, begun with a summary of the reports already held",
        ddl: audit_log,
        fill: Some(crate::audit::begin),
    },
    Migration {
        version: 5,
        why: "corroboration: report fingerprints and channel grades, analysts' decisions, clusters",
        ddl: crate::clusters::ddl,
        fill: None,
    },
    Migration {
        version: 6,
        why: "sealed intake (ciphertext and its SHA-256 only) and scrubbed photos by content hash",
        ddl: crate::sealed::ddl,
        fill: None,
    },
    Migration {
        version: 7,
        why: "incidents as the published unit: sources, members and notes per cluster, the incidents view",
        ddl: crate::incidents::ddl,
        fill: None,
    },
    Migration {
        version: 8,
        why: "public search reads only public fields (events indexed by notes, place and \
              actors); the same text sent twice through the web form is two reports",
        ddl: |d| match d {
            Dialect::Sqlite => "DELETE FROM event_search".into(),
            Dialect::Postgres => "DELETE FROM event_search;
                ALTER TABLE reports DROP CONSTRAINT IF EXISTS reports_sha256_key;
                CREATE INDEX reports_sha256 ON reports (sha256);"
                .into(),
        },
        fill: Some(|conn| {
            fill_public_search(conn)?;
            if conn.dialect() == Dialect::Sqlite {
                sqlite_reports_sha256_not_unique(conn)?;
            }
            Ok(())
        }),
    },
    Migration {
        version: 9,
        why: "chat exports: each message by chat and id, and reports superseded by an edit",
        ddl: crate::chat::ddl,
        fill: None,
    },
    Migration {
        version: 10,
        why: "what every replica of the web app shares: the key of reporters' form tokens, failed logins",
        ddl: shared_secrets,
        fill: None,
    },
    Migration {
        version: 11,
        why: "incremental corroboration: events dated only to a month, found by date",
        ddl: crate::clusters::neighbourhood_ddl,
        fill: None,
    },
    Migration {
        version: 12,
        why: "the review workspace: assignments, who is looking, dismissed reports and why, \
              comments, settings (four eyes), reports by arrival",
        ddl: crate::workspace::ddl,
        fill: None,
    },
    Migration {
        version: 13,
        why: "what replicas must agree on to hold the abuse limits together: keyed hashes of \
              clients' recent submissions and logins, and the forms already used",
        ddl: shared_limits,
        fill: None,
    },
    Migration {
        version: 14,
        why: "incidents as a table the public views read through indexes (list, province, \
              type, search), and published incidents per day for the timeline",
        ddl: crate::incidents::table_ddl,
        fill: None,
    },
    Migration {
        version: 15,
        why: "search indexes words only, folded the same for both backends, so that \"a.b\" \
              and \"3.5\" are found alike on SQLite and PostgreSQL",
        ddl: |_| "DELETE FROM report_search; DELETE FROM event_search;".into(),
        fill: Some(|conn| {
            fill_report_search(conn)?;
            fill_public_search(conn)
        }),
    },
    Migration {
        version: 16,
        why: "the public map's clusters: published incidents per grid cell (five levels), \
              day, month and year, province and type, kept with the incidents",
        ddl: crate::map::ddl,
        fill: Some(crate::map::rebuild),
    },
    Migration {
        version: 17,
        why: "public search with a date range, province or type intersects them in the \
              full-text index: published incidents' public text with facet tokens of their \
              date, province and type",
        ddl: crate::facets::ddl,
        fill: Some(crate::facets::fill),
    },
];

/// What the web app's replicas must agree on: keys (a form served by one is accepted by
/// another; written once by whichever starts first) and failed logins per account name (the
/// back-off holds across replicas).
fn shared_secrets(d: Dialect) -> String {
    d.ddl(
        "CREATE TABLE shared_secrets (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE login_failures (
    name TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_at TEXT NOT NULL
);",
    )
}

/// The abuse limits shared by replicas (see `Store::rate_hits`): for one window only,
/// a keyed hash of each client per counted request, and a hash of each form token used.
/// Nothing here names an address; on PostgreSQL the tables are UNLOGGED, so what they held
/// is in no write-ahead log, no streaming replica and no base backup.
fn shared_limits(d: Dialect) -> String {
    let unlogged = match d {
        Dialect::Sqlite => "",
        Dialect::Postgres => "UNLOGGED ",
    };
    format!(
        "CREATE {unlogged}TABLE rate_hits (
    kind TEXT NOT NULL,
    client TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX rate_hits_client ON rate_hits (kind, client, at);
CREATE {unlogged}TABLE used_forms (
    token_hash TEXT PRIMARY KEY,
    at TEXT NOT NULL
);"
    )
}

/// The audit log (see `audit`): one row per entry, numbered without gaps, each hash
/// chained from the one before.
fn audit_log(d: Dialect) -> String {
    d.ddl(
        r#"
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    logged_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    change TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_kind, object_id);
"#,
    )
}

/// Tables of the web app (see `accounts`). Sessions and receipts are stored by the SHA-256
/// of their tokens; nothing here can hold an address or a user agent.
fn accounts(d: Dialect) -> String {
    d.ddl(
        r#"
CREATE TABLE users (
    id {id},
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('analyst', 'admin')),
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE receipts (
    receipt_hash TEXT PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES reports (id)
);
CREATE INDEX receipts_report ON receipts (report_id);
CREATE TABLE followups (
    id {id},
    report_id BIGINT NOT NULL REFERENCES reports (id),
    text TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX followups_report ON followups (report_id);
CREATE TABLE changes (
    id {id},
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    action TEXT NOT NULL,
    event_id BIGINT,
    report_id BIGINT,
    detail TEXT NOT NULL
);
CREATE INDEX changes_event ON changes (event_id);
CREATE INDEX changes_report ON changes (report_id);
CREATE TABLE places (
    id {id},
    name TEXT NOT NULL,
    lat {real} NOT NULL,
    lon {real} NOT NULL,
    city TEXT NOT NULL,
    admin1 TEXT NOT NULL,
    kind TEXT NOT NULL,
    alt_names TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
);
-- The review queue looks for events by report and status.
CREATE INDEX events_report_status ON events (report_id, status);
"#,
    )
}

fn base(d: Dialect) -> String {
    d.ddl(
        r#"
CREATE TABLE reports (
    id {id},
    sha256 TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    text {bytes} NOT NULL,
    received_at TEXT NOT NULL,
    channel TEXT NOT NULL,
    reference_date TEXT,
    lang TEXT,
    coded_with TEXT
);
CREATE INDEX reports_uncoded ON reports (id) WHERE coded_with IS NULL;

CREATE TABLE events (
    id {id},
    report_id BIGINT REFERENCES reports (id),
    status TEXT NOT NULL DEFAULT 'coded'
        CHECK (status IN ('coded', 'verified', 'published', 'rejected')),
    edited BIGINT NOT NULL DEFAULT 0,
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
    confidence {real} NOT NULL
);
CREATE INDEX events_report ON events (report_id);
CREATE INDEX events_date ON events (event_date, id);
-- ACLED's own ids are unique among imported rows, so importing a file twice adds nothing.
CREATE UNIQUE INDEX events_acled_id ON events (event_id_cnty)
    WHERE report_id IS NULL AND event_id_cnty <> '';
"#,
    )
}

fn search(d: Dialect) -> String {
    // The folded copies of report text and event notes, keyed by the row they index. SQLite:
    // contentless FTS5 (the text is already in `reports`/`events`, folded only for matching).
    // PostgreSQL: a plain table with the 'simple' (no stemming, no stop words) tsvector,
    // which handles Persian as well as English, stored — a phrase match rechecks positions
    // on every candidate row, and recomputing the vector there cost seconds — under GIN.
    let place = "
-- A date range with a bbox is the common query. In listing order (date, id), with the
-- coordinates in the index so the bbox is checked there and only matching rows are read:
-- the first page stops early instead of sorting the whole range. It replaces events_date.
CREATE INDEX events_place ON events (event_date, id, longitude, latitude);
DROP INDEX events_date;
-- --type compares lower(event_type) or lower(sub_event_type); the indexes serve a type
-- alone and give the planner the statistics to know how rare a type is.
CREATE INDEX events_type ON events (lower(event_type));
CREATE INDEX events_sub_type ON events (lower(sub_event_type));
";
    match d {
        Dialect::Sqlite => format!(
            "{place}
CREATE VIRTUAL TABLE report_search USING fts5 (
    folded, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE event_search USING fts5 (
    folded, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
"
        ),
        Dialect::Postgres => format!(
            "{place}
CREATE TABLE report_search (
    rowid BIGINT PRIMARY KEY,
    folded TEXT NOT NULL,
    words tsvector GENERATED ALWAYS AS (to_tsvector('simple', folded)) STORED
);
CREATE INDEX report_search_words ON report_search USING gin (words);
CREATE TABLE event_search (
    rowid BIGINT PRIMARY KEY,
    folded TEXT NOT NULL,
    words tsvector GENERATED ALWAYS AS (to_tsvector('simple', folded)) STORED
);
CREATE INDEX event_search_words ON event_search USING gin (words);
"
        ),
    }
}

/// Indexes every report and event already stored when migration 2 runs.
fn fill_search(conn: &mut Conn) -> BResult<()> {
    fill_report_search(conn)?;
    let mut after = 0i64;
    loop {
        let rows = conn.query_all(
            "SELECT id, notes FROM events WHERE id > $1 ORDER BY id LIMIT 1000",
            &[after.into()],
            |r| Ok((r.req_int(0)?, r.req_text(1)?)),
        )?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        for (id, notes) in rows {
            crate::index_text(conn, "event_search", id, &crate::search_text(&notes))?;
        }
    }
    Ok(())
}

/// Indexes the text of every report stored.
fn fill_report_search(conn: &mut Conn) -> BResult<()> {
    let mut after = 0i64;
    loop {
        let rows = conn.query_all(
            "SELECT id, text FROM reports WHERE id > $1 ORDER BY id LIMIT 1000",
            &[after.into()],
            |r| Ok((r.req_int(0)?, r.bytes(1)?.unwrap_or_default())),
        )?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        for (id, text) in rows {
            let folded = crate::search_text(&String::from_utf8_lossy(&text));
            crate::index_text(conn, "report_search", id, &folded)?;
        }
    }
    Ok(())
}

/// SQLite cannot drop a column's UNIQUE: the table is rebuilt (SQLite's documented way,
/// with foreign keys off around the transaction, see [`migrate`]), keeping every column,
/// index and trigger as they are.
fn sqlite_reports_sha256_not_unique(conn: &mut Conn) -> BResult<()> {
    let table: String = conn
        .query_one(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'reports'",
            &[],
            |r| r.req_text(0),
        )?
        .ok_or_else(|| BackendError::Row("no reports table".into()))?;
    let unique = "sha256 TEXT NOT NULL UNIQUE";
    if !table.contains(unique) {
        return Ok(());
    }
    let others = conn.query_all(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'reports' AND type IN ('index', 'trigger')
            AND sql IS NOT NULL",
        &[],
        |r| r.req_text(0),
    )?;
    let new_table = table.replacen(unique, "sha256 TEXT NOT NULL", 1).replacen(
        "CREATE TABLE reports",
        "CREATE TABLE reports_new",
        1,
    );
    conn.batch(&new_table)?;
    conn.batch("INSERT INTO reports_new SELECT * FROM reports; DROP TABLE reports;")?;
    conn.batch("ALTER TABLE reports_new RENAME TO reports")?;
    for sql in others {
        conn.batch(&sql)?;
    }
    conn.batch("CREATE INDEX reports_sha256 ON reports (sha256)")?;
    let broken = conn.query_all("PRAGMA foreign_key_check", &[], |r| r.text(0))?;
    if !broken.is_empty() {
        return Err(BackendError::Row(format!(
            "rebuilding reports broke {} references",
            broken.len()
        )));
    }
    Ok(())
}

/// Indexes every event's public fields (notes, place, actors) for public search.
fn fill_public_search(conn: &mut Conn) -> BResult<()> {
    let mut after = 0i64;
    loop {
        let rows = conn.query_all(
            "SELECT id, notes, location, admin1, admin2, admin3, actor1, assoc_actor_1, actor2,
                assoc_actor_2
             FROM events WHERE id > $1 ORDER BY id LIMIT 1000",
            &[after.into()],
            |r| Ok((r.req_int(0)?, crate::public_fields_from_row(r, 1)?)),
        )?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        for (id, e) in rows {
            crate::index_text(conn, "event_search", id, &crate::public_search_text(&e))?;
        }
    }
    Ok(())
}

/// The highest applied version, 0 for an empty database. Reads first and creates the
/// table only when there is none, so a current database opens through a read-only role or
/// on a streaming replica (`serve --read-only`).
pub(crate) fn version(conn: &mut Conn) -> BResult<i64> {
    let read = |conn: &mut Conn| {
        conn.query_one("SELECT MAX(version) FROM schema_migrations", &[], |r| {
            r.int(0)
        })
    };
    if let Ok(found) = read(conn) {
        return Ok(found.flatten().unwrap_or(0));
    }
    conn.batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY, why TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )?;
    Ok(conn
        .query_one("SELECT MAX(version) FROM schema_migrations", &[], |r| {
            r.int(0)
        })?
        .flatten()
        .unwrap_or(0))
}

/// What [`migrate`] found.
pub(crate) enum Outcome {
    Current,
    TooNew(i64),
}

/// Brings the schema up to `target`, one transaction per migration, under the write lock
/// so that two processes opening a fresh database at once do not both create it.
pub(crate) fn migrate(conn: &mut Conn, target: i64) -> BResult<Outcome> {
    let d = conn.dialect();
    // Quick path: nothing to do, no write lock taken.
    let found = version(conn)?;
    if found > LATEST {
        return Ok(Outcome::TooNew(found));
    }
    if found >= target {
        return Ok(Outcome::Current);
    }
    for m in MIGRATIONS.iter().filter(|m| m.version <= target) {
        // A table rebuild (8 on SQLite) needs foreign keys off, which SQLite allows only
        // outside a transaction; `PRAGMA foreign_key_check` inside stands in for them.
        let rebuild = d == Dialect::Sqlite && m.version == 8;
        if rebuild {
            conn.batch("PRAGMA foreign_keys = OFF")?;
        }
        let done = run_one(conn, m);
        if rebuild {
            conn.batch("PRAGMA foreign_keys = ON")?;
        }
        done?;
    }
    Ok(Outcome::Current)
}

/// Applies one migration in its own transaction, unless another process already did.
fn run_one(conn: &mut Conn, m: &Migration) -> BResult<()> {
    let d = conn.dialect();
    {
        conn.batch(d.begin_write())?;
        let step = (|| {
            if d == Dialect::Postgres {
                // Serialises concurrent migrators; released at COMMIT.
                conn.query_one("SELECT pg_advisory_xact_lock(7245010)", &[], |_| Ok(()))?;
            }
            if version(conn)? >= m.version {
                return Ok(());
            }
            conn.batch(&(m.ddl)(d))?;
            if let Some(fill) = m.fill {
                fill(conn)?;
            }
            conn.execute(
                "INSERT INTO schema_migrations (version, why, applied_at)
                 VALUES ($1, $2, CAST(CURRENT_TIMESTAMP AS TEXT))",
                &[m.version.into(), Value::from(m.why)],
            )?;
            Ok(())
        })();
        match step {
            Ok(()) => conn.batch("COMMIT")?,
            Err(e) => {
                let _ = conn.batch("ROLLBACK");
                return Err(e);
            }
        }
    }
    Ok(())
}
