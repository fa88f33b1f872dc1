//! Which events a query, an export or a status change is about, and how that becomes a
//! parameterised WHERE clause.
//!
//! Every value a user gives becomes a bound parameter; the SQL text is built only from
//! fixed fragments. Inputs are validated once, here, into types the rest never re-checks.

use crate::conn::{Dialect, Value};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use std::fmt;
use std::str::FromStr;

/// Where an event stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// As the coder (or an import) wrote it; re-coding may replace it.
    Coded,
    /// An analyst checked it against the report.
    Verified,
    /// Released in the public dataset.
    Published,
    /// An analyst decided it is not an event; kept, so that re-coding does not bring it back.
    Rejected,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Coded,
        Status::Verified,
        Status::Published,
        Status::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Coded => "coded",
            Status::Verified => "verified",
            Status::Published => "published",
            Status::Rejected => "rejected",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = Error;
    fn from_str(s: &str) -> Result<Status> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "unknown status {s:?}: expected coded, verified, published or rejected"
                ))
            })
    }
}

/// A bounding box in WGS84 degrees, checked: numbers in range, min below max.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl BBox {
    pub fn new(min_lon: f64, min_lat: f64, max_lon: f64, max_lat: f64) -> Result<BBox> {
        let bad = |why: String| Err(Error::Invalid(format!("bad bbox: {why}")));
        for (name, v, limit) in [
            ("min longitude", min_lon, 180.0),
            ("max longitude", max_lon, 180.0),
            ("min latitude", min_lat, 90.0),
            ("max latitude", max_lat, 90.0),
        ] {
            if !v.is_finite() || v.abs() > limit {
                return bad(format!("{name} {v} is outside -{limit}..{limit}"));
            }
        }
        if min_lon >= max_lon {
            return bad(format!(
                "min longitude {min_lon} is not below max longitude {max_lon}"
            ));
        }
        if min_lat >= max_lat {
            return bad(format!(
                "min latitude {min_lat} is not below max latitude {max_lat}"
            ));
        }
        Ok(BBox {
            min_lon,
            min_lat,
            max_lon,
            max_lat,
        })
    }
}

impl FromStr for BBox {
    type Err = Error;
    /// `minlon,minlat,maxlon,maxlat`, as in GeoJSON and most map tools.
    fn from_str(s: &str) -> Result<BBox> {
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        if parts.len() != 4 {
            return Err(Error::Invalid(format!(
                "bad bbox {s:?}: expected four numbers minlon,minlat,maxlon,maxlat"
            )));
        }
        let mut n = [0f64; 4];
        for (slot, p) in n.iter_mut().zip(&parts) {
            *slot = p
                .parse()
                .map_err(|_| Error::Invalid(format!("bad bbox {s:?}: {p:?} is not a number")))?;
        }
        BBox::new(n[0], n[1], n[2], n[3])
    }
}

/// The events a command is about. Empty fields do not restrict; set fields all must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// First event date, inclusive.
    pub from: Option<NaiveDate>,
    /// Last event date, inclusive.
    pub to: Option<NaiveDate>,
    /// Province, compared without regard to ASCII case.
    pub admin1: Option<String>,
    /// An `event_type` or a `sub_event_type`, compared without regard to ASCII case.
    pub event_type: Option<String>,
    /// Any of these statuses; empty means any status.
    pub status: Vec<Status>,
    pub bbox: Option<BBox>,
    /// Words that must appear, in this order, in the event's notes or its report's text,
    /// after both are folded (so ي matches ی, ۲ matches 2, case does not matter). In a
    /// [`Filter::public`] filter, only in what the public sees: notes, place and actors.
    pub search: Option<String>,
    /// The public's view, whatever else is set: published events only, searched only in
    /// their public fields (never a report's text), and paged only after a published event
    /// (an unpublished id is as unknown as a missing one). Every public route goes through
    /// this one flag, so no public view can reach what is private.
    pub public: bool,
}

impl Filter {
    /// Whether the filter restricts anything at all.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// The public's filter (see [`Filter::public`]): these restrictions, published only.
    pub fn public(self) -> Filter {
        Filter {
            status: vec![Status::Published],
            public: true,
            ..self
        }
    }

    /// Checks what cannot be checked field by field.
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("province", &self.admin1),
            ("event type", &self.event_type),
            ("search", &self.search),
        ] {
            if v.as_deref().is_some_and(|v| v.contains('\0')) {
                return Err(Error::Invalid(format!(
                    "the {name} contains a NUL byte (\\0), which no text here can hold"
                )));
            }
        }
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                return Err(Error::Invalid(format!(
                    "the date range is empty: --from {from} is after --to {to}"
                )));
            }
        }
        if let Some(q) = &self.search {
            if !crate::search_text(q).chars().any(char::is_alphanumeric) {
                return Err(Error::Invalid(format!(
                    "search {q:?} has no words to look for"
                )));
            }
        }
        Ok(())
    }
}

/// The order events are listed in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// By `event_date`, then `id`: for reading and paging.
    #[default]
    Date,
    /// By `id`, the order events were added: for exports. Successive exports then differ
    /// only at the end (and where events changed), and the database reads its table in
    /// storage order instead of jumping through the date index, which halves an export.
    Id,
    /// By `event_date`, then `id`, latest first: the map page's list of the latest.
    Latest,
}

/// Which page of the ordered result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    pub order: Order,
    /// At most this many events; `None` for all.
    pub limit: Option<u64>,
    /// Skip this many first.
    pub offset: u64,
    /// Keyset pagination: start right after the event with this id (in `order`).
    /// Stable while events are added, and as fast for the thousandth page as for the first.
    pub after: Option<i64>,
}

/// SQL under construction: the text and the values bound to its `$N`.
#[derive(Debug, Default)]
pub(crate) struct Sql {
    pub text: String,
    pub params: Vec<Value>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            params: Vec::new(),
        }
    }

    /// Binds `v` and returns its placeholder.
    pub fn bind(&mut self, v: impl Into<Value>) -> String {
        self.params.push(v.into());
        format!("${}", self.params.len())
    }
}

/// How a search phrase is looked for (see `Store::search_plan`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SearchPlan {
    /// The phrase is rare: its matches lead, each then checked by the other conditions.
    Rare,
    /// The phrase is common: the other conditions and the listing order lead, each row
    /// checked against the phrase (`Dialect::search_condition`).
    Common,
    /// A public search of incidents with a date range, province or type: the full-text
    /// index intersects the phrase with their facet tokens (`facets`), and the
    /// intersection leads.
    Faceted,
    /// Like [`SearchPlan::Faceted`], but the other conditions and the listing order lead,
    /// each row checked against the intersection (SQLite: a first page of many matches).
    FacetedWalk,
}

/// Appends ` WHERE …` (or nothing) selecting the events of `f` from `events e`.
pub(crate) fn where_clause(
    sql: &mut Sql,
    d: Dialect,
    f: &Filter,
    after: Option<(i64, Order)>,
    ids: &[i64],
    plan: SearchPlan,
) {
    where_clause_on(sql, d, "events", f, after, ids, plan)
}

/// Appends ` WHERE …` (or nothing) selecting the rows of `f` from `table e`: `events`, or
/// the `incidents` table, whose columns are the events table's.
pub(crate) fn where_clause_on(
    sql: &mut Sql,
    d: Dialect,
    table: &str,
    f: &Filter,
    after: Option<(i64, Order)>,
    ids: &[i64],
    plan: SearchPlan,
) {
    let mut conds: Vec<String> = Vec::new();
    if !ids.is_empty() {
        let ps: Vec<String> = ids.iter().map(|&id| sql.bind(id)).collect();
        conds.push(format!("e.id IN ({})", ps.join(", ")));
    }
    if let Some(from) = f.from {
        conds.push(format!("e.event_date >= {}", sql.bind(from.to_string())));
    }
    if let Some(to) = f.to {
        conds.push(format!("e.event_date <= {}", sql.bind(to.to_string())));
    }
    if let Some(a) = &f.admin1 {
        let ps: Vec<String> = admin1_spellings(a)
            .into_iter()
            .map(|s| sql.bind(s))
            .collect();
        conds.push(format!("lower(e.admin1) IN ({})", ps.join(", ")));
    }
    if let Some(t) = &f.event_type {
        let p = sql.bind(t.to_lowercase());
        conds.push(format!(
            "(lower(e.event_type) = {p} OR lower(e.sub_event_type) = {p})"
        ));
    }
    if f.public {
        conds.push(format!(
            "e.status = {}",
            sql.bind(Status::Published.as_str())
        ));
    } else if !f.status.is_empty() {
        let ps: Vec<String> = f.status.iter().map(|s| sql.bind(s.as_str())).collect();
        conds.push(format!("e.status IN ({})", ps.join(", ")));
    }
    if let Some(b) = f.bbox {
        let (a, bb, c, dd) = (
            sql.bind(b.min_lon),
            sql.bind(b.max_lon),
            sql.bind(b.min_lat),
            sql.bind(b.max_lat),
        );
        conds.push(format!(
            "e.longitude >= {a} AND e.longitude <= {bb} AND e.latitude >= {c} AND e.latitude <= {dd}"
        ));
    }
    if let Some(q) = &f.search {
        let folded = crate::search_text(q);
        let groups = crate::facets::facet_groups(f).filter(|_| {
            matches!(plan, SearchPlan::Faceted | SearchPlan::FacetedWalk)
                && f.public
                && table == "incidents"
        });
        if let Some(groups) = groups {
            let ps: Vec<String> = crate::facets::facet_params(d, &folded, &groups)
                .into_iter()
                .map(|v| sql.bind(v))
                .collect();
            let cond = d.faceted_search_condition(&ps);
            // `+`: SQLite then keeps the set out of the index choice (see
            // `Dialect::search_condition`).
            conds.push(if plan == SearchPlan::FacetedWalk && d == Dialect::Sqlite {
                format!("+{cond}")
            } else {
                cond
            });
        } else {
            let p = sql.bind(d.search_param(&folded));
            let common = plan != SearchPlan::Rare;
            conds.push(if f.public {
                d.public_search_condition(&p, common)
            } else {
                d.search_condition(&p, common)
            });
        }
    }
    match after {
        None => {}
        Some((id, order @ (Order::Date | Order::Latest))) => {
            let p = sql.bind(id);
            // Public: an unpublished event gives no position to page from.
            let visible = if f.public {
                format!(" AND a.status = {}", sql.bind(Status::Published.as_str()))
            } else {
                String::new()
            };
            let beyond = if order == Order::Latest { "<" } else { ">" };
            conds.push(format!(
                "(e.event_date, e.id) {beyond} (SELECT a.event_date, a.id FROM {table} a WHERE a.id = {p}{visible})"
            ));
        }
        Some((id, Order::Id)) => {
            let p = sql.bind(id);
            conds.push(format!("e.id > {p}"));
        }
    }
    if !conds.is_empty() {
        sql.text.push_str(" WHERE ");
        sql.text.push_str(&conds.join(" AND "));
    }
}

/// Every spelling of the province `name` names (ACLED's `Kordestan`, GeoNames' `Kurdistan`,
/// `کردستان`, … from the gazetteer, which folds diacritics and Arabic-keyboard letters away on
/// the way in), lower-cased as the `lower(e.admin1)` it is compared with, so a row written
/// under any of them is found. Just `name` when it names no province: a spelling, never a
/// prefix.
pub(crate) fn admin1_spellings(name: &str) -> Vec<String> {
    let name = name.trim();
    let gazetteer = unrest_gazetteer::Gazetteer::embedded();
    let mut out = vec![name.to_lowercase()];
    for s in gazetteer.province_names(name) {
        let s = s.to_lowercase();
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Appends the page's order and, when it has one, its LIMIT and OFFSET: the same for every
/// listing of rows shaped like events (`events e`, the `incidents` table).
pub(crate) fn order_and_page(sql: &mut Sql, page: &Page) {
    sql.text.push_str(match page.order {
        Order::Date => " ORDER BY e.event_date, e.id",
        Order::Id => " ORDER BY e.id",
        Order::Latest => " ORDER BY e.event_date DESC, e.id DESC",
    });
    if page.limit.is_some() || page.offset > 0 {
        let limit = page
            .limit
            .map_or(i64::MAX, |l| i64::try_from(l).unwrap_or(i64::MAX));
        let offset = i64::try_from(page.offset).unwrap_or(i64::MAX);
        let (l, o) = (sql.bind(limit), sql.bind(offset));
        sql.text.push_str(&format!(" LIMIT {l} OFFSET {o}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bbox_reads_minlon_minlat_maxlon_maxlat() {
        let b: BBox = "44,34,48,37".parse().unwrap();
        assert_eq!(
            (b.min_lon, b.min_lat, b.max_lon, b.max_lat),
            (44.0, 34.0, 48.0, 37.0)
        );
    }

    #[test]
    fn bbox_out_of_range_or_inverted_is_refused_with_the_reason() {
        let err = |s: &str| s.parse::<BBox>().unwrap_err().to_string();
        assert!(err("44,34,48").contains("four numbers"));
        assert!(err("44,34,x,37").contains("\"x\" is not a number"));
        assert!(err("44,95,48,97").contains("min latitude 95 is outside"));
        assert!(err("48,34,44,37").contains("min longitude 48 is not below"));
        assert!(err("44,37,48,37").contains("min latitude 37 is not below"));
        assert!(err("NaN,34,48,37").contains("outside"));
    }

    #[test]
    fn every_user_value_is_bound_never_spliced() {
        let f = Filter {
            admin1: Some("Tehran'; DROP TABLE events; --".into()),
            search: Some("گاز اشک آور".into()),
            ..Default::default()
        };
        let mut sql = Sql::new("SELECT e.id FROM events e");
        where_clause(&mut sql, Dialect::Sqlite, &f, None, &[], SearchPlan::Rare);
        assert!(!sql.text.contains("DROP"));
        assert!(!sql.text.contains("گاز"));
        assert_eq!(sql.params.len(), 2);
    }
}
