//! Public search with filters, intersected inside the full-text index (migration 17).
//!
//! A common phrase combined with a date range, a province or a type used to cost as much as
//! the phrase's matches: SQLite collected every match before walking the range ("tear gas"
//! in one month: 23 ms at a million events, 0.6 s at ten million), PostgreSQL probed every
//! row of the range (the map's "tear gas" in a year: 275–425 ms at a million).
//!
//! `incident_search` holds, per published incident (keyed by its id), the public text the
//! public searches (its lead event's notes, place and actors, as `event_search` holds them:
//! nothing else) and, in a column of its own, facet tokens for the incident's own date
//! (`y2022`, `m202210`, `d20221015`), province and type. A public search with such filters
//! asks the index for the phrase AND one of the range's period tokens AND one of the
//! province's spellings AND the type: FTS5 and GIN skip through the posting lists, so the
//! cost follows the rows that match all of them, not the phrase alone. The exact SQL
//! conditions stay in the query as the recheck, so the tokens only need to find a superset:
//! an incident whose date is not a plain `YYYY-MM-DD` gets a token every date range asks for.
//!
//! Only published incidents are held: the table answers the public, who see nothing else.
//! Written with the `incidents` rows (`incidents::insert_rows`, `remove_rows`,
//! `rewrite_all`), in their transaction.

use crate::conn::{BResult, Conn, Dialect, Value};
use crate::Filter;
use chrono::{Datelike, NaiveDate};

/// Migration 17.
pub(crate) fn ddl(d: Dialect) -> String {
    match d {
        Dialect::Sqlite => "CREATE VIRTUAL TABLE incident_search USING fts5 (
    folded, facets, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);"
        .into(),
        Dialect::Postgres => "CREATE TABLE incident_search (
    rowid BIGINT PRIMARY KEY,
    folded TEXT NOT NULL,
    facets TEXT NOT NULL,
    words tsvector GENERATED ALWAYS AS (to_tsvector('simple', folded)) STORED,
    facet_words tsvector GENERATED ALWAYS AS (to_tsvector('simple', facets)) STORED
);
-- One index over both, so a bitmap scan intersects the phrase's words and the facets.
CREATE INDEX incident_search_words ON incident_search USING gin (words, facet_words);"
            .into(),
    }
}

/// The token every date range asks for, carried by an incident whose date is not a plain
/// `YYYY-MM-DD` (so the exact comparison, which may still hold, decides).
const ODD_DATE: &str = "dx";

/// A short token for a lower-cased name (a province spelling, a type): FNV-1a of its bytes,
/// written in the letters a–p so that neither tokenizer reads a number in it.
fn name_token(prefix: char, lowered: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in lowered.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut out = String::with_capacity(17);
    out.push(prefix);
    for i in (0..16).rev() {
        out.push(char::from(b'a' + ((h >> (i * 4)) & 0xf) as u8));
    }
    out
}

/// The facet tokens of an incident with these fields.
pub(crate) fn incident_facets(
    event_date: &str,
    admin1: &str,
    event_type: &str,
    sub_event_type: &str,
) -> String {
    let mut out = Vec::with_capacity(6);
    match NaiveDate::parse_from_str(event_date, "%Y-%m-%d") {
        Ok(d) if event_date.len() == 10 => {
            out.push(format!("y{:04}", d.year()));
            out.push(format!("m{:04}{:02}", d.year(), d.month()));
            out.push(format!("d{:04}{:02}{:02}", d.year(), d.month(), d.day()));
        }
        _ => out.push(ODD_DATE.to_string()),
    }
    out.push(name_token('p', &admin1.to_lowercase()));
    out.push(name_token('t', &event_type.to_lowercase()));
    out.push(name_token('t', &sub_event_type.to_lowercase()));
    out.join(" ")
}

/// More period tokens than this in one date range: the range is left to the exact
/// condition alone (a range of centuries).
const MAX_PERIODS: usize = 120;

/// The dates `from..=to` as few period tokens: whole years, whole months, days.
fn period_tokens(from: NaiveDate, to: NaiveDate) -> Option<Vec<String>> {
    let mut out = vec![ODD_DATE.to_string()];
    let mut d = from;
    while d <= to {
        let year_end = NaiveDate::from_ymd_opt(d.year(), 12, 31)?;
        let next_month = if d.month() == 12 {
            NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)?
        };
        if d.ordinal() == 1 && year_end <= to {
            out.push(format!("y{:04}", d.year()));
            d = year_end.succ_opt()?;
        } else if d.day() == 1 && next_month.pred_opt()? <= to {
            out.push(format!("m{:04}{:02}", d.year(), d.month()));
            d = next_month;
        } else {
            out.push(format!("d{:04}{:02}{:02}", d.year(), d.month(), d.day()));
            d = d.succ_opt()?;
        }
        if out.len() > MAX_PERIODS {
            return None;
        }
    }
    Some(out)
}

/// What a filter asks of the facets: every group must hold, any token of a group will do.
/// `None` when the filter has nothing the facets can narrow (no closed date range, no
/// province, no type).
pub(crate) fn facet_groups(f: &Filter) -> Option<Vec<Vec<String>>> {
    let mut groups = Vec::new();
    if let (Some(from), Some(to)) = (f.from, f.to) {
        if let Some(p) = period_tokens(from, to) {
            groups.push(p);
        }
    }
    if let Some(a) = &f.admin1 {
        groups.push(
            crate::filter::admin1_spellings(a)
                .iter()
                .map(|s| name_token('p', s))
                .collect(),
        );
    }
    if let Some(t) = &f.event_type {
        groups.push(vec![name_token('t', &t.to_lowercase())]);
    }
    (!groups.is_empty()).then_some(groups)
}

/// The bound values of [`Dialect::faceted_search_condition`] for the folded phrase and the
/// facet groups: SQLite one MATCH expression (the phrase quoted, so nothing in it is
/// syntax), PostgreSQL the phrase and a tsquery of the tokens (which are ours, never input).
pub(crate) fn facet_params(d: Dialect, folded: &str, groups: &[Vec<String>]) -> Vec<Value> {
    match d {
        Dialect::Sqlite => {
            let mut q = format!("folded : {}", d.search_param(folded));
            for g in groups {
                let any: Vec<String> = g.iter().map(|t| format!("\"{t}\"")).collect();
                q.push_str(&format!(" AND facets : ({})", any.join(" OR ")));
            }
            vec![q.into()]
        }
        Dialect::Postgres => {
            let all: Vec<String> = groups
                .iter()
                .map(|g| format!("({})", g.join(" | ")))
                .collect();
            vec![folded.into(), all.join(" & ").into()]
        }
    }
}

impl Dialect {
    /// The ids of the incidents whose `incident_search` row holds the phrase and the facets
    /// bound at `params` ([`facet_params`]).
    pub(crate) fn faceted_rowids(self, params: &[String]) -> String {
        match (self, params) {
            (Dialect::Sqlite, [q]) => {
                format!("SELECT rowid FROM incident_search WHERE incident_search MATCH {q}")
            }
            (Dialect::Postgres, [phrase, facets]) => format!(
                "SELECT rowid FROM incident_search \
                    WHERE words @@ phraseto_tsquery('simple', {phrase}) \
                    AND facet_words @@ to_tsquery('simple', {facets}) {}",
                crate::conn::PLAN_EACH_TIME
            ),
            _ => "SELECT NULL WHERE FALSE".into(),
        }
    }

    /// A condition on `incidents e` true when the incident is in [`Dialect::faceted_rowids`]:
    /// the intersection leads, each matching incident then checked by the exact conditions.
    pub(crate) fn faceted_search_condition(self, params: &[String]) -> String {
        format!("e.id IN ({})", self.faceted_rowids(params))
    }
}

/// Indexes the published incidents of the clusters numbered `from..=to`, a thousand at a
/// time in cluster order (through `incidents_cluster`, whatever the range's size) so that a
/// whole dataset passes in bounded memory. The status is compared as an expression so that
/// no planner reads `incidents_list` for it: on a database without statistics SQLite took
/// that index (every published incident, sorted, for each thousand), and the generated
/// 10M dataset slowed fifteenfold.
pub(crate) fn index(conn: &mut Conn, from: i64, to: i64) -> BResult<()> {
    let mut after = from;
    let mut first = true;
    loop {
        let sql = format!(
            "SELECT i.cluster_id, i.id, i.event_date, i.admin1, i.event_type, i.sub_event_type,
                ev.notes, ev.location, ev.admin1, ev.admin2, ev.admin3, ev.actor1,
                ev.assoc_actor_1, ev.actor2, ev.assoc_actor_2
             FROM incidents i JOIN events ev ON ev.id = i.id
             WHERE i.cluster_id {} $1 AND i.cluster_id <= $2 AND i.status || '' = 'published'
             ORDER BY i.cluster_id LIMIT 1000",
            if first { ">=" } else { ">" }
        );
        first = false;
        let rows = conn.query_all(&sql, &[after.into(), to.into()], |r| {
            let e = crate::public_fields_from_row(r, 6)?;
            let facets = incident_facets(
                &r.req_text(2)?,
                &r.req_text(3)?,
                &r.req_text(4)?,
                &r.req_text(5)?,
            );
            Ok((
                r.req_int(0)?,
                r.req_int(1)?,
                crate::public_search_text(&e),
                facets,
            ))
        })?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        let mut values = Vec::with_capacity(rows.len() * 3);
        for (_, id, folded, facets) in &rows {
            values.extend([
                Value::from(*id),
                crate::indexed_part(folded).into(),
                facets.as_str().into(),
            ]);
        }
        conn.insert_rows("incident_search (rowid, folded, facets)", 3, &values)?;
        if rows.len() < 1000 {
            break;
        }
    }
    Ok(())
}

/// Removes the rows of incidents `ids`.
pub(crate) fn unindex(conn: &mut Conn, ids: &[i64]) -> BResult<()> {
    for &id in ids {
        conn.execute("DELETE FROM incident_search WHERE rowid = $1", &[id.into()])?;
    }
    Ok(())
}

/// Removes every row.
pub(crate) fn clear(conn: &mut Conn) -> BResult<()> {
    match conn.dialect() {
        Dialect::Sqlite => {
            conn.batch("INSERT INTO incident_search (incident_search) VALUES ('delete-all')")
        }
        Dialect::Postgres => conn.batch("DELETE FROM incident_search"),
    }
}

/// Migration 17's fill: every published incident already held.
pub(crate) fn fill(conn: &mut Conn) -> BResult<()> {
    index(conn, i64::MIN, i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_date_range_asks_for_its_whole_years_months_and_edge_days() {
        let t = period_tokens(d("2021-12-30"), d("2023-02-02")).unwrap();
        assert_eq!(
            t,
            [
                "dx",
                "d20211230",
                "d20211231",
                "y2022",
                "m202301",
                "d20230201",
                "d20230202"
            ]
        );
        let oct = period_tokens(d("2022-10-01"), d("2022-10-31")).unwrap();
        assert_eq!(oct, ["dx", "m202210"]);
    }

    #[test]
    fn an_incident_carries_the_tokens_of_every_range_that_holds_its_date() {
        let facets = incident_facets("2022-10-15", "Tehran", "Protests", "Peaceful protest");
        let has = |t: &str| facets.split(' ').any(|f| f == t);
        assert!(has("y2022") && has("m202210") && has("d20221015"));
        assert!(has(&name_token('p', "tehran")));
        assert!(has(&name_token('t', "protests")) && has(&name_token('t', "peaceful protest")));
        // A date that is no plain day still meets every range, for the exact check to decide.
        assert!(incident_facets("2022-10", "", "", "").starts_with("dx "));
    }

    #[test]
    fn the_searched_words_stay_one_quoted_phrase_in_the_folded_column() {
        let groups = vec![vec!["m202210".to_string()]];
        let q = facet_params(Dialect::Sqlite, "tear \" or facets", &groups);
        assert_eq!(
            q,
            [Value::from(
                "folded : \"tear \"\" or facets\" AND facets : (\"m202210\")"
            )]
        );
        let pg = facet_params(Dialect::Postgres, "tear gas", &groups);
        assert_eq!(pg, [Value::from("tear gas"), Value::from("(m202210)")]);
    }

    #[test]
    fn a_centuries_long_range_is_left_to_the_exact_condition() {
        assert!(period_tokens(d("1000-01-02"), d("1500-12-30")).is_none());
    }
}
