//! The one place that knows there are two databases.
//!
//! Everything above this module writes one SQL text with `$1, $2, …` placeholders and runs
//! it through [`Conn`]; SQLite reads `$N` as a named parameter and we bind it by that name,
//! PostgreSQL reads it natively. What cannot be said in one text — column types in DDL,
//! full-text search, the write-lock statement — is a method of [`Dialect`] here, so a third
//! backend would be a change to this file and the migrations only.
//!
//! This module knows nothing of reports or events: only of values, rows and statements.

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use std::collections::HashMap;
use std::time::Duration;

/// How long SQLite waits for another writer before giving up with [`Error::Locked`].
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A parameter or column value, the common ground of both backends.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Value {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(v) => ValueRef::Integer(*v),
            Value::Real(v) => ValueRef::Real(*v),
            Value::Text(v) => ValueRef::Text(v.as_bytes()),
            Value::Bytes(v) => ValueRef::Blob(v),
        }))
    }
}

/// PostgreSQL types parameters strictly (an `i64` only fits a `BIGINT`); SQLite does not.
/// Converting here to whatever type the server inferred keeps the SQL text free of casts.
impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => match *ty {
                Type::INT8 => v.to_sql(ty, out),
                Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
                Type::FLOAT8 => (*v as f64).to_sql(ty, out),
                Type::FLOAT4 => (*v as f32).to_sql(ty, out),
                Type::BOOL => (*v != 0).to_sql(ty, out),
                _ => v.to_string().to_sql(&Type::TEXT, out),
            },
            Value::Real(v) => match *ty {
                Type::FLOAT4 => (*v as f32).to_sql(ty, out),
                _ => v.to_sql(&Type::FLOAT8, out),
            },
            Value::Text(v) => v.as_str().to_sql(&Type::TEXT, out),
            Value::Bytes(v) => v.as_slice().to_sql(&Type::BYTEA, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// One result row, read by column position.
pub(crate) trait Row {
    fn value(&self, i: usize) -> Result<Value, String>;

    fn int(&self, i: usize) -> Result<Option<i64>, String> {
        match self.value(i)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(v)),
            Value::Real(v) => Ok(Some(v as i64)),
            Value::Text(s) => s
                .parse()
                .map(Some)
                .map_err(|_| format!("column {i}: {s:?} is not an integer")),
            Value::Bytes(_) => Err(format!("column {i}: bytes where an integer was expected")),
        }
    }

    fn real(&self, i: usize) -> Result<Option<f64>, String> {
        match self.value(i)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(v as f64)),
            Value::Real(v) => Ok(Some(v)),
            Value::Text(s) => s
                .parse()
                .map(Some)
                .map_err(|_| format!("column {i}: {s:?} is not a number")),
            Value::Bytes(_) => Err(format!("column {i}: bytes where a number was expected")),
        }
    }

    fn text(&self, i: usize) -> Result<Option<String>, String> {
        match self.value(i)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(v.to_string())),
            Value::Real(v) => Ok(Some(v.to_string())),
            Value::Text(s) => Ok(Some(s)),
            Value::Bytes(b) => String::from_utf8(b)
                .map(Some)
                .map_err(|_| format!("column {i}: bytes that are not UTF-8")),
        }
    }

    fn bytes(&self, i: usize) -> Result<Option<Vec<u8>>, String> {
        match self.value(i)? {
            Value::Null => Ok(None),
            Value::Bytes(b) => Ok(Some(b)),
            Value::Text(s) => Ok(Some(s.into_bytes())),
            other => Err(format!("column {i}: {other:?} where bytes were expected")),
        }
    }

    /// A non-NULL text column written over `out` (its buffer reused): what a streaming reader
    /// calls so that a million rows do not allocate a million times per column.
    fn text_into(&self, i: usize, out: &mut String) -> Result<(), String> {
        out.clear();
        out.push_str(&self.req_text(i)?);
        Ok(())
    }

    fn req_int(&self, i: usize) -> Result<i64, String> {
        self.int(i)?.ok_or_else(|| format!("column {i} is NULL"))
    }
    fn req_text(&self, i: usize) -> Result<String, String> {
        self.text(i)?.ok_or_else(|| format!("column {i} is NULL"))
    }
}

impl Row for rusqlite::Row<'_> {
    fn value(&self, i: usize) -> Result<Value, String> {
        use rusqlite::types::ValueRef;
        Ok(match self.get_ref(i).map_err(|e| e.to_string())? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(v) => Value::Int(v),
            ValueRef::Real(v) => Value::Real(v),
            ValueRef::Text(b) => Value::Text(
                std::str::from_utf8(b)
                    .map_err(|_| format!("column {i}: text that is not UTF-8"))?
                    .to_owned(),
            ),
            ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
        })
    }

    fn text_into(&self, i: usize, out: &mut String) -> Result<(), String> {
        use rusqlite::types::ValueRef;
        match self.get_ref(i).map_err(|e| e.to_string())? {
            ValueRef::Text(b) | ValueRef::Blob(b) => {
                let s = std::str::from_utf8(b)
                    .map_err(|_| format!("column {i}: text that is not UTF-8"))?;
                out.clear();
                out.push_str(s);
                Ok(())
            }
            ValueRef::Null => Err(format!("column {i} is NULL")),
            _ => {
                *out = self.req_text(i)?;
                Ok(())
            }
        }
    }
}

impl Row for postgres::Row {
    fn value(&self, i: usize) -> Result<Value, String> {
        let ty = self
            .columns()
            .get(i)
            .ok_or_else(|| format!("no column {i}"))?
            .type_()
            .clone();
        let err = |e: postgres::Error| format!("column {i}: {e}");
        Ok(match ty {
            Type::INT8 => self.try_get::<_, Option<i64>>(i).map_err(err)?.into(),
            Type::INT4 => self
                .try_get::<_, Option<i32>>(i)
                .map_err(err)?
                .map(i64::from)
                .into(),
            Type::INT2 => self
                .try_get::<_, Option<i16>>(i)
                .map_err(err)?
                .map(i64::from)
                .into(),
            Type::BOOL => self
                .try_get::<_, Option<bool>>(i)
                .map_err(err)?
                .map(i64::from)
                .into(),
            Type::FLOAT8 => self.try_get::<_, Option<f64>>(i).map_err(err)?.into(),
            Type::FLOAT4 => self
                .try_get::<_, Option<f32>>(i)
                .map_err(err)?
                .map(f64::from)
                .into(),
            Type::BYTEA => match self.try_get::<_, Option<Vec<u8>>>(i).map_err(err)? {
                Some(b) => Value::Bytes(b),
                None => Value::Null,
            },
            _ => self.try_get::<_, Option<String>>(i).map_err(err)?.into(),
        })
    }

    fn text_into(&self, i: usize, out: &mut String) -> Result<(), String> {
        let ty = self
            .columns()
            .get(i)
            .ok_or_else(|| format!("no column {i}"))?
            .type_();
        if *ty != Type::TEXT && *ty != Type::VARCHAR {
            *out = self.req_text(i)?;
            return Ok(());
        }
        let s = self
            .try_get::<_, Option<&str>>(i)
            .map_err(|e| format!("column {i}: {e}"))?
            .ok_or_else(|| format!("column {i} is NULL"))?;
        out.clear();
        out.push_str(s);
        Ok(())
    }
}

/// What differs between the two SQL dialects, and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// Starts a transaction that will write. SQLite takes the write lock now, so two writers
    /// queue on the busy timeout instead of one failing at its first write.
    pub(crate) fn begin_write(self) -> &'static str {
        match self {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        }
    }

    /// A statement that makes concurrent appenders to the audit log take turns until the
    /// transaction ends: PostgreSQL runs writers side by side, so two could read the same
    /// last entry and chain from it. SQLite needs none: `BEGIN IMMEDIATE` already admits one
    /// writer at a time.
    pub(crate) fn audit_lock(self) -> Option<&'static str> {
        match self {
            Dialect::Sqlite => None,
            Dialect::Postgres => Some("SELECT pg_advisory_xact_lock(7245011)"),
        }
    }

    /// An expression for the database's clock as RFC 3339 UTC to the second, for the few
    /// writes whose callers give no time (re-coding, the audit log's first entry).
    pub(crate) fn now_utc(self) -> &'static str {
        match self {
            Dialect::Sqlite => "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            Dialect::Postgres => {
                "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
            }
        }
    }

    /// Fills the type placeholders of shared DDL: `{id}` an auto-numbered 64-bit key,
    /// `{real}` a double, `{bytes}` a byte string.
    pub(crate) fn ddl(self, sql: &str) -> String {
        let (id, real, bytes) = match self {
            // Only the exact words INTEGER PRIMARY KEY make the rowid alias in SQLite;
            // AUTOINCREMENT because ids are shown to people (`unrest publish 812`) and a
            // deleted event's id must never come back naming another event.
            Dialect::Sqlite => ("INTEGER PRIMARY KEY AUTOINCREMENT", "REAL", "BLOB"),
            Dialect::Postgres => (
                "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                "DOUBLE PRECISION",
                "BYTEA",
            ),
        };
        sql.replace("{id}", id)
            .replace("{real}", real)
            .replace("{bytes}", bytes)
    }

    /// A condition true for the `rowid`s of `table` (a search table) whose folded text
    /// contains the phrase bound at `param`; see [`Dialect::search_param`].
    pub(crate) fn search_rowids(self, table: &str, param: &str) -> String {
        match self {
            Dialect::Sqlite => format!("SELECT rowid FROM {table} WHERE {table} MATCH {param}"),
            Dialect::Postgres => format!(
                "SELECT rowid FROM {table} WHERE words @@ phraseto_tsquery('simple', {param})"
            ),
        }
    }

    /// A condition on `events e` true when the phrase bound at `param` is in the event's
    /// notes or its report's text. `common`: the phrase matches many rows (see
    /// `Store::search_is_common`).
    ///
    /// SQLite: the matching rowids are collected once (FTS5 reads a term's whole list on
    /// every lookup, so probing it row by row would be slower however common the phrase).
    /// A rare phrase's rowids then lead: each is looked up by key. A common one's must not
    /// (the planner would fetch every match, then sort them: "tear gas" in one month of a
    /// million events took 10–24 s), so `+` keeps them out of the index choice and the
    /// date or listing-order index leads, each event checked against the collected sets
    /// (280 ms), and the walk stops at the first page.
    /// PostgreSQL: a rare phrase likewise; a common one is probed per candidate event by
    /// primary key, so the date index walk stops at the first page instead of first
    /// collecting and sorting a million ids (830 ms against 10 ms on a million events).
    pub(crate) fn search_condition(self, param: &str, common: bool) -> String {
        match (self, common) {
            (Dialect::Sqlite, true) => format!(
                "(+e.id IN ({}) OR +e.report_id IN ({}))",
                self.search_rowids("event_search", param),
                self.search_rowids("report_search", param)
            ),
            (Dialect::Postgres, true) => format!(
                "(EXISTS (SELECT 1 FROM event_search s WHERE s.rowid = e.id \
                    AND s.words @@ phraseto_tsquery('simple', {param})) \
                 OR EXISTS (SELECT 1 FROM report_search s WHERE s.rowid = e.report_id \
                    AND s.words @@ phraseto_tsquery('simple', {param})))"
            ),
            // SQLite builds one in-memory set per IN; a UNION costs it a sort of every
            // match (540 ms against 140 ms for a phrase in a million events).
            (Dialect::Sqlite, false) => format!(
                "(e.id IN ({}) OR e.report_id IN ({}))",
                self.search_rowids("event_search", param),
                self.search_rowids("report_search", param)
            ),
            // One IN over a UNION rather than two INs joined by OR: PostgreSQL turns a lone
            // IN into a semi-join it can plan either way round, but an OR of INs into hashed
            // subplans that collect every match.
            (Dialect::Postgres, false) => format!(
                "e.id IN ({} UNION SELECT r.id FROM events r WHERE r.report_id IN ({}))",
                self.search_rowids("event_search", param),
                self.search_rowids("report_search", param)
            ),
        }
    }

    /// Like [`Dialect::search_condition`], in the public's view: the phrase must be in what
    /// the public sees of the event (its `event_search` row: notes, place, actors), never in
    /// its report's text.
    pub(crate) fn public_search_condition(self, param: &str, common: bool) -> String {
        match (self, common) {
            (Dialect::Postgres, true) => format!(
                "EXISTS (SELECT 1 FROM event_search s WHERE s.rowid = e.id \
                    AND s.words @@ phraseto_tsquery('simple', {param}))"
            ),
            (Dialect::Sqlite, true) => {
                format!("+e.id IN ({})", self.search_rowids("event_search", param))
            }
            _ => format!("e.id IN ({})", self.search_rowids("event_search", param)),
        }
    }

    /// The bound value for [`Dialect::search_rowids`], from already-folded words: FTS5 wants
    /// its phrase in double quotes, PostgreSQL takes the words as they are.
    pub(crate) fn search_param(self, folded: &str) -> String {
        match self {
            Dialect::Sqlite => format!("\"{}\"", folded.replace('"', "\"\"")),
            Dialect::Postgres => folded.to_string(),
        }
    }
}

/// A comment that keeps a statement out of a PostgreSQL connection's cache: prepared anew
/// each time, it is planned for its parameters. A cached statement is planned generically
/// after five runs, and for a phrase in the full-text index the generic plan cannot know how
/// rare the phrase is: the public map's search walked a year of incidents (840 ms) instead of
/// the phrase's few matches (160 ms).
pub(crate) const PLAN_EACH_TIME: &str = "/* planned each time */";

/// An open connection to one backend.
pub(crate) enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres {
        client: Box<postgres::Client>,
        /// Prepared once per connection: each prepare is a round trip to the server.
        statements: HashMap<String, postgres::Statement>,
    },
}

/// A backend error before it is given the database's name; see `Error::from_backend`.
#[derive(Debug)]
pub(crate) enum BackendError {
    Sqlite(rusqlite::Error),
    Postgres(postgres::Error),
    Row(String),
}

impl From<rusqlite::Error> for BackendError {
    fn from(e: rusqlite::Error) -> Self {
        BackendError::Sqlite(e)
    }
}
impl From<postgres::Error> for BackendError {
    fn from(e: postgres::Error) -> Self {
        BackendError::Postgres(e)
    }
}
impl From<String> for BackendError {
    fn from(e: String) -> Self {
        BackendError::Row(e)
    }
}

pub(crate) type BResult<T> = Result<T, BackendError>;

impl Conn {
    pub(crate) fn dialect(&self) -> Dialect {
        match self {
            Conn::Sqlite(_) => Dialect::Sqlite,
            Conn::Postgres { .. } => Dialect::Postgres,
        }
    }

    /// Runs statements without parameters (DDL, transaction control).
    pub(crate) fn batch(&mut self, sql: &str) -> BResult<()> {
        match self {
            Conn::Sqlite(c) => c.execute_batch(sql)?,
            Conn::Postgres { client, .. } => client.batch_execute(sql)?,
        }
        Ok(())
    }

    /// Prepared statements a PostgreSQL connection keeps at most.
    const STATEMENTS_KEPT: usize = 512;

    fn pg_statement(
        client: &mut postgres::Client,
        statements: &mut HashMap<String, postgres::Statement>,
        sql: &str,
    ) -> BResult<postgres::Statement> {
        if let Some(s) = statements.get(sql) {
            return Ok(s.clone());
        }
        let s = client.prepare(sql)?;
        if sql.contains(PLAN_EACH_TIME) {
            return Ok(s);
        }
        // Multi-row inserts have a text per row count: bound the cache a long-lived
        // connection keeps rather than let it grow with every batch size it meets.
        if statements.len() >= Self::STATEMENTS_KEPT {
            statements.clear();
        }
        statements.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    /// SQLite's text of a statement: `$N` becomes `?N`. SQLite reads `$N` as a name and
    /// finds each by a scan of every name (a multi-row insert of thousands of parameters
    /// spent most of its time there); `?N` is the N-th parameter, bound by position. No SQL
    /// of ours has a `$` in a literal.
    fn sqlite_sql(sql: &str) -> std::borrow::Cow<'_, str> {
        let bytes = sql.as_bytes();
        let numbered =
            |i: usize| bytes[i] == b'$' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if !(0..bytes.len()).any(numbered) {
            return sql.into();
        }
        sql.char_indices()
            .map(|(i, c)| if c == '$' && numbered(i) { '?' } else { c })
            .collect::<String>()
            .into()
    }

    /// Binds `params[i]` as `?{i + 1}` ([`Conn::sqlite_sql`]); values past the statement's
    /// highest parameter are not used by it.
    fn sqlite_bind(stmt: &mut rusqlite::CachedStatement<'_>, params: &[Value]) -> BResult<()> {
        for (i, v) in params.iter().enumerate().take(stmt.parameter_count()) {
            stmt.raw_bind_parameter(i + 1, v)?;
        }
        Ok(())
    }

    /// Inserts rows of `width` values each (`values` holds them one row after the other)
    /// with `INSERT INTO {into} VALUES (…), (…), …`, as many rows a statement as keep it
    /// under [`Conn::PARAMS_A_STATEMENT`] parameters: one statement, and on PostgreSQL one
    /// round trip, for hundreds of rows. `into` is a fixed `table (column, …)`, never input.
    pub(crate) fn insert_rows(
        &mut self,
        into: &str,
        width: usize,
        values: &[Value],
    ) -> BResult<()> {
        if width == 0 || !values.len().is_multiple_of(width) {
            return Err(BackendError::Row(format!(
                "{} values are not rows of {width} for {into}",
                values.len()
            )));
        }
        let rows_a_statement = (Self::PARAMS_A_STATEMENT / width).max(1);
        for chunk in values.chunks(rows_a_statement * width) {
            let mut sql = format!("INSERT INTO {into} VALUES ");
            for row in 0..chunk.len() / width {
                sql.push_str(if row == 0 { "(" } else { ", (" });
                for col in 0..width {
                    if col > 0 {
                        sql.push_str(", ");
                    }
                    sql.push('$');
                    sql.push_str(&(row * width + col + 1).to_string());
                }
                sql.push(')');
            }
            self.execute(&sql, chunk)?;
        }
        Ok(())
    }

    /// At most this many parameters in one statement of [`Conn::insert_rows`]: far under
    /// SQLite's 32,766 and PostgreSQL's 65,535.
    const PARAMS_A_STATEMENT: usize = 10_000;

    /// `n` new ids for `table`'s auto-numbered `id`, taken now so that rows can be written
    /// many a statement and their ids known before (a multi-row insert's `RETURNING` gives
    /// no order to match them by). SQLite: the numbers after the table's highest ever
    /// (`sqlite_sequence`, kept by AUTOINCREMENT, or its highest id), safe because a write transaction
    /// (`BEGIN IMMEDIATE`) holds the database's one write lock until it ends; the inserts
    /// then move the sequence past them. PostgreSQL: `n` values of the identity's sequence,
    /// which no other session can be given. Call inside the write transaction, before any
    /// other insert into `table` in it.
    pub(crate) fn reserve_ids(&mut self, table: &str, n: usize) -> BResult<Vec<i64>> {
        if n == 0 {
            return Ok(Vec::new());
        }
        let count = i64::try_from(n).map_err(|_| BackendError::Row("too many ids".into()))?;
        match self.dialect() {
            Dialect::Sqlite => {
                let last = self
                    .query_one(
                        &format!(
                            "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = $1), 0),
                                COALESCE((SELECT MAX(id) FROM {table}), 0))"
                        ),
                        &[table.into()],
                        |r| r.req_int(0),
                    )?
                    .unwrap_or(0);
                Ok((last + 1..=last + count).collect())
            }
            Dialect::Postgres => self.query_all(
                "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)",
                &[table.into(), count.into()],
                |r| r.req_int(0),
            ),
        }
    }

    /// Runs one statement; returns the number of rows it changed.
    pub(crate) fn execute(&mut self, sql: &str, params: &[Value]) -> BResult<u64> {
        match self {
            Conn::Sqlite(c) => {
                let mut stmt = c.prepare_cached(&Self::sqlite_sql(sql))?;
                Self::sqlite_bind(&mut stmt, params)?;
                Ok(stmt.raw_execute()? as u64)
            }
            Conn::Postgres { client, statements } => {
                let stmt = Self::pg_statement(client, statements, sql)?;
                let params: Vec<&(dyn ToSql + Sync)> =
                    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
                Ok(client.execute(&stmt, &params)?)
            }
        }
    }

    /// Runs a query and hands each row to `each` as it arrives: nothing is collected, so a
    /// million-row export stays in constant memory. `each` may stop early with an error.
    pub(crate) fn query_each<E: From<BackendError>>(
        &mut self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(&dyn Row) -> Result<(), E>,
    ) -> Result<(), E> {
        match self {
            Conn::Sqlite(c) => {
                let mut stmt = c
                    .prepare_cached(&Self::sqlite_sql(sql))
                    .map_err(BackendError::from)?;
                Self::sqlite_bind(&mut stmt, params)?;
                let mut rows = stmt.raw_query();
                while let Some(row) = rows.next().map_err(BackendError::from)? {
                    each(row)?;
                }
            }
            Conn::Postgres { client, statements } => {
                let stmt = Self::pg_statement(client, statements, sql)?;
                let mut rows = client
                    .query_raw(&stmt, params.iter())
                    .map_err(BackendError::from)?;
                while let Some(row) = rows.next().map_err(BackendError::from)? {
                    each(&row)?;
                }
            }
        }
        Ok(())
    }

    /// The first row of a query mapped by `map`, if any.
    pub(crate) fn query_one<T>(
        &mut self,
        sql: &str,
        params: &[Value],
        map: impl Fn(&dyn Row) -> Result<T, String>,
    ) -> BResult<Option<T>> {
        let mut found = None;
        self.query_each::<BackendError>(sql, params, &mut |row| {
            if found.is_none() {
                found = Some(map(row)?);
            }
            Ok(())
        })?;
        Ok(found)
    }

    /// Every row of a query mapped by `map`.
    pub(crate) fn query_all<T>(
        &mut self,
        sql: &str,
        params: &[Value],
        map: impl Fn(&dyn Row) -> Result<T, String>,
    ) -> BResult<Vec<T>> {
        let mut all = Vec::new();
        self.query_each::<BackendError>(sql, params, &mut |row| {
            all.push(map(row)?);
            Ok(())
        })?;
        Ok(all)
    }
}
