//! The public map's aggregates: published incidents counted per grid cell, at a few grid
//! levels, per day, month and year, province and type (`incident_cells`, migration 16), so
//! a map view of any size and any period reads a few thousand summary rows instead of its
//! points.
//!
//! - A cell of level `k` is `CELL_DEGREES[k]` degrees square, numbered from (-180, -90), so
//!   every number is non-negative and each level's cells nest in the one above it.
//! - Each row counts the published incidents of one cell, one period (`span` `d` a day,
//!   `m` a month, `y` a year), one province and one type and sub-type (lower-cased by the
//!   database, as the filter compares them), with their fatalities and the sums of their
//!   coordinates (the cluster's centre is their mean).
//! - Written where the `incidents` rows are, in their transaction: a neighbourhood's
//!   re-grouping subtracts the rows it removes and adds the ones it writes, netted
//!   ([`Delta`]); a whole run, the bench generator and the migration rebuild it a
//!   month at a time ([`rebuild`]).
//! - Read by [`Store::incident_map`]: a date range becomes whole years, whole months and
//!   the days at its edges ([`periods`]); a filter the summary cannot answer (text search,
//!   a status other than published) counts the matching incidents instead, at most
//!   [`FALLBACK_MAX`] of them.

use crate::conn::{BResult, Conn, Dialect, Row, Value};
use crate::filter::{self, Sql};
use crate::{BBox, Filter, Result, Status, Store, StoredIncident};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// The side of a cell of each level, in degrees: each a quarter of the one before.
pub const CELL_DEGREES: [f64; 5] = [2.0, 0.5, 0.125, 0.031_25, 0.007_812_5];

/// When the incidents in a view are at most this many, the view gets them one by one.
pub const POINTS_MAX: u64 = 200;

/// A filter the summary cannot answer reads at most this many matching incidents.
pub const FALLBACK_MAX: u64 = 50_000;

/// A cluster's cells on screen should be at least this many pixels wide.
const CELL_PIXELS: f64 = 40.0;

/// Migration 16.
pub(crate) fn ddl(d: Dialect) -> String {
    d.ddl(
        "CREATE TABLE incident_cells (
    level BIGINT NOT NULL,
    span TEXT NOT NULL,
    period TEXT NOT NULL,
    cx BIGINT NOT NULL,
    cy BIGINT NOT NULL,
    admin1 TEXT NOT NULL,
    event_type TEXT NOT NULL,
    sub_event_type TEXT NOT NULL,
    incidents BIGINT NOT NULL,
    fatalities BIGINT NOT NULL,
    lon_sum {real} NOT NULL,
    lat_sum {real} NOT NULL,
    PRIMARY KEY (level, span, period, cx, cy, admin1, event_type, sub_event_type)
);
-- A small view over every period: the cells first.
CREATE INDEX incident_cells_place ON incident_cells (level, span, cx, cy, period);
",
    )
}

/// The cell of `(lon, lat)` at `level`.
fn cell(level: usize, lon: f64, lat: f64) -> (i64, i64) {
    let s = CELL_DEGREES[level];
    (
        ((lon.clamp(-180.0, 180.0) + 180.0) / s).floor() as i64,
        ((lat.clamp(-90.0, 90.0) + 90.0) / s).floor() as i64,
    )
}

/// The cell's bounds: min lon, min lat, max lon, max lat.
fn cell_bounds(level: usize, cx: i64, cy: i64) -> [f64; 4] {
    let s = CELL_DEGREES[level];
    [
        cx as f64 * s - 180.0,
        cy as f64 * s - 90.0,
        (cx + 1) as f64 * s - 180.0,
        (cy + 1) as f64 * s - 90.0,
    ]
}

/// The grid level whose cells are at least [`CELL_PIXELS`] wide at web-map zoom `zoom`.
pub fn level_for_zoom(zoom: u8) -> usize {
    let px_per_degree = 256.0 * 2f64.powi(i32::from(zoom.min(24))) / 360.0;
    (0..CELL_DEGREES.len())
        .rev()
        .find(|&k| CELL_DEGREES[k] * px_per_degree >= CELL_PIXELS)
        .unwrap_or(0)
}

/// Key of one summary row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    level: i64,
    span: &'static str,
    period: String,
    cx: i64,
    cy: i64,
    admin1: String,
    event_type: String,
    sub_event_type: String,
}

#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    incidents: i64,
    fatalities: i64,
    lon: f64,
    lat: f64,
}

/// One published incident as the summary sees it.
struct Point {
    day: String,
    lon: f64,
    lat: f64,
    admin1: String,
    event_type: String,
    sub_event_type: String,
    fatalities: i64,
}

const POINT_COLUMNS: &str = "event_date, longitude, latitude, lower(admin1), lower(event_type),
    lower(sub_event_type), fatalities";

fn point(r: &dyn Row) -> std::result::Result<Point, String> {
    Ok(Point {
        day: r.req_text(0)?,
        lon: r.real(1)?.unwrap_or(0.0),
        lat: r.real(2)?.unwrap_or(0.0),
        admin1: r.req_text(3)?,
        event_type: r.req_text(4)?,
        sub_event_type: r.req_text(5)?,
        fatalities: r.req_int(6)?,
    })
}

/// Adds `sign` times each point to `acc`, on the spans in `spans`, at every level.
fn add(acc: &mut HashMap<Key, Sums>, points: &[Point], sign: i64, spans: &[&'static str]) {
    for p in points {
        for level in 0..CELL_DEGREES.len() {
            let (cx, cy) = cell(level, p.lon, p.lat);
            for &span in spans {
                let period = match span {
                    "y" => p.day.get(..4).unwrap_or(&p.day),
                    "m" => p.day.get(..7).unwrap_or(&p.day),
                    _ => &p.day,
                };
                let s = acc
                    .entry(Key {
                        level: level as i64,
                        span,
                        period: period.to_string(),
                        cx,
                        cy,
                        admin1: p.admin1.clone(),
                        event_type: p.event_type.clone(),
                        sub_event_type: p.sub_event_type.clone(),
                    })
                    .or_default();
                s.incidents += sign;
                s.fatalities += sign * p.fatalities;
                s.lon += sign as f64 * p.lon;
                s.lat += sign as f64 * p.lat;
            }
        }
    }
}

const KEY_COLUMNS: &str = "level, span, period, cx, cy, admin1, event_type, sub_event_type";

impl Key {
    /// The key's values in [`KEY_COLUMNS`] order.
    fn values(&self) -> [Value; 8] {
        [
            self.level.into(),
            self.span.into(),
            self.period.as_str().into(),
            self.cx.into(),
            self.cy.into(),
            self.admin1.as_str().into(),
            self.event_type.as_str().into(),
            self.sub_event_type.as_str().into(),
        ]
    }
}

/// Writes `rows`: inserted when `upsert` is false (the table holds none of them), else
/// added to what the table holds, and rows left with no incident removed.
fn store(conn: &mut Conn, rows: Vec<(Key, Sums)>, upsert: bool) -> BResult<()> {
    let mut rows = rows;
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let conflict = if upsert {
        format!(
            " ON CONFLICT ({KEY_COLUMNS}) DO UPDATE SET
                incidents = incident_cells.incidents + excluded.incidents,
                fatalities = incident_cells.fatalities + excluded.fatalities,
                lon_sum = incident_cells.lon_sum + excluded.lon_sum,
                lat_sum = incident_cells.lat_sum + excluded.lat_sum"
        )
    } else {
        String::new()
    };
    for chunk in rows.chunks(400) {
        let mut params: Vec<Value> = Vec::with_capacity(chunk.len() * 12);
        let mut tuples = Vec::with_capacity(chunk.len());
        for (k, s) in chunk {
            let at = params.len();
            params.extend(k.values());
            params.extend([
                s.incidents.into(),
                s.fatalities.into(),
                s.lon.into(),
                s.lat.into(),
            ]);
            let ps: Vec<String> = (at + 1..=at + 12).map(|n| format!("${n}")).collect();
            tuples.push(format!("({})", ps.join(", ")));
        }
        conn.execute(
            &format!(
                "INSERT INTO incident_cells ({KEY_COLUMNS}, incidents, fatalities, lon_sum, lat_sum)
                 VALUES {}{conflict}",
                tuples.join(", ")
            ),
            &params,
        )?;
    }
    if upsert {
        for (k, _) in rows.iter().filter(|(_, s)| s.incidents < 0) {
            conn.execute(
                "DELETE FROM incident_cells WHERE level = $1 AND span = $2 AND period = $3
                    AND cx = $4 AND cy = $5 AND admin1 = $6 AND event_type = $7
                    AND sub_event_type = $8 AND incidents <= 0",
                &k.values(),
            )?;
        }
    }
    Ok(())
}

/// The published incidents `sql` (a WHERE on `incidents`, `$1`… bound to `params`) selects,
/// as the summary sees them.
fn published_points(conn: &mut Conn, cond: &str, params: &[Value]) -> BResult<Vec<Point>> {
    conn.query_all(
        &format!("SELECT {POINT_COLUMNS} FROM incidents WHERE status = 'published' AND {cond}"),
        params,
        point,
    )
}

/// What a write does to the summary: the published incidents it removes counted out, the
/// ones it writes counted in, netted (a neighbourhood re-grouped mostly writes back what it
/// removed), then stored once ([`Delta::store`]).
#[derive(Default)]
pub(crate) struct Delta(HashMap<Key, Sums>);

impl Delta {
    /// Counts the published incidents `cond` (a WHERE on `incidents`, `$1`… bound to
    /// `params`) selects in (`sign` 1, after they are written) or out (-1, before they are
    /// removed).
    pub(crate) fn count(
        &mut self,
        conn: &mut Conn,
        cond: &str,
        params: &[Value],
        sign: i64,
    ) -> BResult<()> {
        let points = published_points(conn, cond, params)?;
        add(&mut self.0, &points, sign, &["d", "m", "y"]);
        Ok(())
    }

    /// Adds what changed to the table.
    pub(crate) fn store(self, conn: &mut Conn) -> BResult<()> {
        let rows = self
            .0
            .into_iter()
            .filter(|(_, s)| {
                s.incidents != 0 || s.fatalities != 0 || s.lon.abs() > 1e-9 || s.lat.abs() > 1e-9
            })
            .collect();
        store(conn, rows, true)
    }
}

/// Rebuilds the whole summary from the `incidents` table, a month of dates at a time (so its
/// memory is a month's rows), in the caller's transaction.
pub(crate) fn rebuild(conn: &mut Conn) -> BResult<()> {
    conn.execute("DELETE FROM incident_cells", &[])?;
    let mut months = conn.query_all(
        "SELECT DISTINCT substr(event_date, 1, 7) FROM incidents WHERE status = 'published'",
        &[],
        |r| r.req_text(0),
    )?;
    months.sort();
    let mut years: HashMap<Key, Sums> = HashMap::new();
    let mut year = String::new();
    for month in months {
        let this_year = month.get(..4).unwrap_or(&month).to_string();
        if this_year != year {
            store(conn, years.drain().collect(), false)?;
            year = this_year;
        }
        let points = published_points(
            conn,
            "substr(event_date, 1, 7) = $1",
            &[month.as_str().into()],
        )?;
        let mut acc = HashMap::new();
        add(&mut acc, &points, 1, &["d", "m"]);
        add(&mut years, &points, 1, &["y"]);
        store(conn, acc.into_iter().collect(), false)?;
    }
    store(conn, years.into_iter().collect(), false)
}

/// A run of whole periods of one span, inclusive; `None` is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Periods {
    pub span: &'static str,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The province and type a public filter names, as conditions on the summary's (or the
/// incidents') `admin1`, `event_type` and `sub_event_type` columns.
fn province_and_type(sql: &mut Sql, filter: &Filter, conds: &mut Vec<String>) {
    if let Some(a) = &filter.admin1 {
        let ps: Vec<String> = filter::admin1_spellings(a)
            .into_iter()
            .map(|s| sql.bind(s))
            .collect();
        conds.push(format!("admin1 IN ({})", ps.join(", ")));
    }
    if let Some(t) = &filter.event_type {
        let p = sql.bind(t.to_lowercase());
        conds.push(format!("(event_type = {p} OR sub_event_type = {p})"));
    }
}

fn month_end(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|n| n.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

fn year_end(y: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// The whole months from `d` (a month's first day) that end by `ends_by`, stopping at a year's
/// start when `to_year` asks: pushed to `out` as one span of months, if any. Returns the first
/// day not covered.
fn whole_months(
    d: NaiveDate,
    to_year: bool,
    ends_by: &dyn Fn(NaiveDate) -> bool,
    out: &mut Vec<Periods>,
) -> NaiveDate {
    let ym = |d: NaiveDate| d.format("%Y-%m").to_string();
    let mut m = d;
    while !(to_year && m.month() == 1) && ends_by(month_end(m)) {
        m = match month_end(m).succ_opt() {
            Some(n) => n,
            None => break,
        };
    }
    if m != d {
        out.push(Periods {
            span: "m",
            from: Some(ym(d)),
            to: Some(ym(m.pred_opt().unwrap_or(m))),
        });
    }
    m
}

/// The dates `from..=to` as whole years, whole months and the days left at the edges.
pub(crate) fn periods(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Vec<Periods> {
    let ymd = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let y = |d: NaiveDate| format!("{:04}", d.year());
    let ends_by = |end: NaiveDate| to.is_none_or(|t| end <= t);
    let mut out = Vec::new();
    // The next day not yet covered; `None` before any date.
    let mut at = from;
    if let Some(d) = at {
        if d.day() != 1 {
            let end = to.map_or(month_end(d), |t| t.min(month_end(d)));
            out.push(Periods {
                span: "d",
                from: Some(ymd(d)),
                to: Some(ymd(end)),
            });
            match end.succ_opt() {
                Some(n) if ends_by(n) => at = Some(n),
                _ => return out,
            }
        }
    }
    // Months up to a year's start.
    if let Some(d) = at {
        let m = whole_months(d, true, &ends_by, &mut out);
        if m != d {
            at = Some(m);
        }
        if to.is_some_and(|t| m > t) {
            return out;
        }
    }
    // Whole years.
    let last_year = match to {
        None => None,
        Some(t) if t == year_end(t.year()) => Some(t.year()),
        Some(t) => Some(t.year() - 1),
    };
    let first_year = at.map(|d| d.year());
    let years_fit = match (first_year, last_year) {
        (Some(a), Some(b)) => a <= b && at.is_some_and(|d| d.month() == 1 && d.day() == 1),
        (Some(_), None) => at.is_some_and(|d| d.month() == 1 && d.day() == 1),
        _ => true,
    };
    if years_fit {
        out.push(Periods {
            span: "y",
            from: at.map(y),
            to: last_year.map(|n| format!("{n:04}")),
        });
        match last_year.and_then(|n| NaiveDate::from_ymd_opt(n + 1, 1, 1)) {
            Some(n) if ends_by(n) => at = Some(n),
            _ => return out,
        }
    }
    let Some(d) = at else { return out };
    let Some(t) = to else { return out };
    // Months up to the last one that ends by `to`, then the days.
    let m = whole_months(d, false, &ends_by, &mut out);
    if m <= t {
        out.push(Periods {
            span: "d",
            from: Some(ymd(m)),
            to: Some(ymd(t)),
        });
    }
    out
}

/// One cluster of a map view.
#[derive(Debug, Clone, PartialEq)]
pub struct MapCluster {
    /// The mean of its incidents' coordinates.
    pub lon: f64,
    pub lat: f64,
    pub incidents: u64,
    pub fatalities: u64,
    /// The cell it counts: min lon, min lat, max lon, max lat.
    pub bounds: [f64; 4],
}

/// What the public map shows of one view.
#[derive(Debug, Clone, PartialEq)]
pub struct MapView {
    /// The grid level of the clusters.
    pub level: usize,
    /// Incidents of the filter in the cells the view touches; when they are few, in the
    /// view's bounds exactly (as many as `points`).
    pub incidents: u64,
    pub fatalities: u64,
    pub clusters: Vec<MapCluster>,
    /// The incidents themselves, newest first, when the view holds at most
    /// [`POINTS_MAX`] (in the view's bounds exactly).
    pub points: Vec<StoredIncident>,
    /// False when a filter the summary cannot answer matched more than [`FALLBACK_MAX`]
    /// incidents: the clusters count only the first of them.
    pub complete: bool,
}

impl Store {
    /// The public map's view `view` at web-map zoom `zoom` of the incidents of `filter`
    /// (whose own `bbox` is replaced by `view`): clusters from the maintained summary, and
    /// the incidents one by one when there are few. The clusters of a view of the whole
    /// world sum to the count of `filter`'s incidents every list and download shows.
    pub fn incident_map(&mut self, filter: &Filter, view: BBox, zoom: u8) -> Result<MapView> {
        filter.validate()?;
        let level = level_for_zoom(zoom);
        let summary = filter.search.is_none() && filter.status == [Status::Published];
        let (clusters, complete) = if summary {
            (self.summary_clusters(filter, view, level)?, true)
        } else {
            self.counted_clusters(filter, view, level)?
        };
        let mut incidents = clusters.iter().map(|c| c.incidents).sum::<u64>();
        let mut fatalities = clusters.iter().map(|c| c.fatalities).sum::<u64>();
        let mut points = Vec::new();
        if incidents > 0 && incidents <= POINTS_MAX {
            // Few: the incidents themselves, and the count of those in the view's bounds
            // exactly (the cells it touches may reach beyond them).
            points = self.view_points(filter, view, summary)?;
            incidents = points.len() as u64;
            fatalities = points
                .iter()
                .map(|p| u64::from(p.stored.event.fatalities))
                .sum();
        }
        Ok(MapView {
            level,
            incidents,
            fatalities,
            clusters,
            points,
            complete,
        })
    }

    /// The summary's conditions for `filter` in `view` at `level`: `WHERE …` on
    /// `incident_cells`.
    fn cell_conditions(sql: &mut Sql, filter: &Filter, view: BBox, level: usize) {
        let (x0, y0) = cell(level, view.min_lon, view.min_lat);
        let (x1, y1) = cell(level, view.max_lon, view.max_lat);
        // `+`: the periods lead (a range's periods are few), not the cells (a wide view's
        // cells hold every period): 2 ms against 65 ms at a million events on SQLite.
        let mut conds = vec![
            format!("level = {}", sql.bind(level as i64)),
            format!("+cx >= {} AND +cx <= {}", sql.bind(x0), sql.bind(x1)),
            format!("+cy >= {} AND +cy <= {}", sql.bind(y0), sql.bind(y1)),
        ];
        let mut spans = Vec::new();
        for p in periods(filter.from, filter.to) {
            let mut c = vec![format!("span = {}", sql.bind(p.span))];
            if let Some(f) = p.from {
                c.push(format!("period >= {}", sql.bind(f)));
            }
            if let Some(t) = p.to {
                c.push(format!("period <= {}", sql.bind(t)));
            }
            spans.push(format!("({})", c.join(" AND ")));
        }
        conds.push(format!("({})", spans.join(" OR ")));
        province_and_type(sql, filter, &mut conds);
        sql.text.push_str(" WHERE ");
        sql.text.push_str(&conds.join(" AND "));
    }

    fn summary_clusters(
        &mut self,
        filter: &Filter,
        view: BBox,
        level: usize,
    ) -> Result<Vec<MapCluster>> {
        let mut sql = Sql::new(
            "SELECT cx, cy, CAST(SUM(incidents) AS BIGINT), CAST(SUM(fatalities) AS BIGINT),
                SUM(lon_sum), SUM(lat_sum) FROM incident_cells",
        );
        Self::cell_conditions(&mut sql, filter, view, level);
        sql.text.push_str(" GROUP BY cx, cy ORDER BY cx, cy");
        self.conn
            .query_all(&sql.text, &sql.params, |r| {
                let (cx, cy, n) = (r.req_int(0)?, r.req_int(1)?, r.req_int(2)?);
                let div = if n > 0 { n as f64 } else { 1.0 };
                Ok(MapCluster {
                    lon: r.real(4)?.unwrap_or(0.0) / div,
                    lat: r.real(5)?.unwrap_or(0.0) / div,
                    incidents: u64::try_from(n).unwrap_or(0),
                    fatalities: u64::try_from(r.req_int(3)?).unwrap_or(0),
                    bounds: cell_bounds(level, cx, cy),
                })
            })
            .map(|cs| cs.into_iter().filter(|c| c.incidents > 0).collect())
            .map_err(|e| self.err(e))
    }

    /// Clusters counted from the matching incidents themselves, at most [`FALLBACK_MAX`].
    fn counted_clusters(
        &mut self,
        filter: &Filter,
        view: BBox,
        level: usize,
    ) -> Result<(Vec<MapCluster>, bool)> {
        // Whole cells, as the summary counts them.
        let (x0, y0) = cell(level, view.min_lon, view.min_lat);
        let (x1, y1) = cell(level, view.max_lon, view.max_lat);
        let lo = cell_bounds(level, x0, y0);
        let hi = cell_bounds(level, x1, y1);
        let widened = BBox::new(
            lo[0].max(-180.0),
            lo[1].max(-90.0),
            hi[2].min(180.0),
            hi[3].min(90.0),
        )
        .unwrap_or(view);
        let f = Filter {
            bbox: Some(widened),
            ..filter.clone()
        };
        let mut sql = Sql::new("SELECT e.longitude, e.latitude, e.fatalities FROM incidents e");
        let common = self.incident_search_plan(&f, true)?;
        filter::where_clause_on(&mut sql, self.dialect(), "incidents", &f, None, &[], common);
        let limit = sql.bind(i64::try_from(FALLBACK_MAX + 1).unwrap_or(i64::MAX));
        sql.text.push_str(&format!(" LIMIT {limit}"));
        let rows = self
            .conn
            .query_all(&sql.text, &sql.params, |r| {
                Ok((
                    r.real(0)?.unwrap_or(0.0),
                    r.real(1)?.unwrap_or(0.0),
                    r.req_int(2)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let complete = rows.len() as u64 <= FALLBACK_MAX;
        let mut cells: BTreeMap<(i64, i64), Sums> = BTreeMap::new();
        for (lon, lat, f) in rows.into_iter().take(FALLBACK_MAX as usize) {
            let s = cells.entry(cell(level, lon, lat)).or_default();
            s.incidents += 1;
            s.fatalities += f;
            s.lon += lon;
            s.lat += lat;
        }
        let clusters = cells
            .into_iter()
            .map(|((cx, cy), s)| MapCluster {
                lon: s.lon / s.incidents as f64,
                lat: s.lat / s.incidents as f64,
                incidents: u64::try_from(s.incidents).unwrap_or(0),
                fatalities: u64::try_from(s.fatalities).unwrap_or(0),
                bounds: cell_bounds(level, cx, cy),
            })
            .collect();
        Ok((clusters, complete))
    }

    /// The incidents of `filter` in `view` (at most [`POINTS_MAX`] are expected), newest
    /// first. From the summary: the days and provinces that hold them, each an index range.
    fn view_points(
        &mut self,
        filter: &Filter,
        view: BBox,
        summary: bool,
    ) -> Result<Vec<StoredIncident>> {
        let f = Filter {
            bbox: Some(view),
            ..filter.clone()
        };
        let mut pairs: Vec<(String, String)> = Vec::new();
        if summary {
            pairs = self.day_pairs(filter, view)?;
            if pairs.is_empty() || pairs.len() as u64 > POINTS_MAX {
                return Ok(Vec::new());
            }
        }
        let mut sql = Sql::new(&crate::incidents::SELECT_INCIDENTS);
        let common = self.incident_search_plan(&f, false)?;
        // The bbox makes the WHERE clause never empty.
        filter::where_clause_on(&mut sql, self.dialect(), "incidents", &f, None, &[], common);
        if !pairs.is_empty() {
            let mut ors = Vec::with_capacity(pairs.len());
            for (day, admin1) in pairs {
                ors.push(format!(
                    "(lower(e.admin1) = {} AND e.event_date = {})",
                    sql.bind(admin1),
                    sql.bind(day)
                ));
            }
            sql.text.push_str(&format!(" AND ({})", ors.join(" OR ")));
        }
        let lim = sql.bind(i64::try_from(POINTS_MAX).unwrap_or(i64::MAX));
        sql.text.push_str(&format!(
            " ORDER BY e.event_date DESC, e.id DESC LIMIT {lim}"
        ));
        self.conn
            .query_all(&sql.text, &sql.params, crate::incidents::incident_from_row)
            .map_err(|e| self.err(e))
    }

    /// The (day, province) pairs of the finest level's day rows in `view` for `filter`.
    fn day_pairs(&mut self, filter: &Filter, view: BBox) -> Result<Vec<(String, String)>> {
        let fine = CELL_DEGREES.len() - 1;
        let (x0, y0) = cell(fine, view.min_lon, view.min_lat);
        let (x1, y1) = cell(fine, view.max_lon, view.max_lat);
        let mut sql = Sql::new("SELECT DISTINCT period, admin1 FROM incident_cells");
        let mut conds = vec![
            format!("level = {}", sql.bind(fine as i64)),
            format!("span = {}", sql.bind("d")),
            format!("cx >= {} AND cx <= {}", sql.bind(x0), sql.bind(x1)),
            format!("cy >= {} AND cy <= {}", sql.bind(y0), sql.bind(y1)),
        ];
        if let Some(from) = filter.from {
            conds.push(format!("period >= {}", sql.bind(from.to_string())));
        }
        if let Some(to) = filter.to {
            conds.push(format!("period <= {}", sql.bind(to.to_string())));
        }
        province_and_type(&mut sql, filter, &mut conds);
        sql.text.push_str(" WHERE ");
        sql.text.push_str(&conds.join(" AND "));
        let lim = sql.bind(i64::try_from(POINTS_MAX + 1).unwrap_or(i64::MAX));
        sql.text.push_str(&format!(" LIMIT {lim}"));
        self.conn
            .query_all(&sql.text, &sql.params, |r| {
                Ok((r.req_text(0)?, r.req_text(1)?))
            })
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    fn show(ps: &[Periods]) -> Vec<String> {
        ps.iter()
            .map(|p| {
                format!(
                    "{} {}..{}",
                    p.span,
                    p.from.as_deref().unwrap_or(""),
                    p.to.as_deref().unwrap_or("")
                )
            })
            .collect()
    }

    #[test]
    fn a_date_range_is_whole_years_whole_months_and_the_days_at_its_edges() {
        assert_eq!(show(&periods(None, None)), ["y .."]);
        assert_eq!(
            show(&periods(d("2019-03-15"), d("2022-10-02"))),
            [
                "d 2019-03-15..2019-03-31",
                "m 2019-04..2019-12",
                "y 2020..2021",
                "m 2022-01..2022-09",
                "d 2022-10-01..2022-10-02"
            ]
        );
        assert_eq!(
            show(&periods(d("2022-10-03"), d("2022-10-09"))),
            ["d 2022-10-03..2022-10-09"]
        );
        assert_eq!(
            show(&periods(d("2022-10-03"), d("2022-12-31"))),
            ["d 2022-10-03..2022-10-31", "m 2022-11..2022-12"]
        );
        assert_eq!(
            show(&periods(d("2022-01-01"), d("2022-12-31"))),
            ["y 2022..2022"]
        );
        assert_eq!(
            show(&periods(d("2022-02-01"), None)),
            ["m 2022-02..2022-12", "y 2023.."]
        );
        assert_eq!(
            show(&periods(None, d("2022-02-10"))),
            ["y ..2021", "m 2022-01..2022-01", "d 2022-02-01..2022-02-10"]
        );
        assert_eq!(
            show(&periods(d("2022-02-05"), d("2022-04-30"))),
            ["d 2022-02-05..2022-02-28", "m 2022-03..2022-04"]
        );
    }

    #[test]
    fn every_day_of_a_range_is_in_exactly_one_of_its_periods() {
        let days = |a: &str, b: &str| {
            let (a, b) = (d(a).unwrap(), d(b).unwrap());
            a.iter_days().take_while(move |x| *x <= b)
        };
        for (from, to) in [
            ("2019-12-31", "2021-01-01"),
            ("2020-02-29", "2020-03-01"),
            ("2020-01-01", "2020-01-31"),
            ("2020-01-02", "2020-12-31"),
        ] {
            let ps = periods(d(from), d(to));
            for day in days("2019-01-01", "2022-01-01") {
                let s = day.format("%Y-%m-%d").to_string();
                let hits = ps
                    .iter()
                    .filter(|p| {
                        let key = match p.span {
                            "y" => &s[..4],
                            "m" => &s[..7],
                            _ => &s[..],
                        };
                        p.from.as_deref().is_none_or(|f| key >= f)
                            && p.to.as_deref().is_none_or(|t| key <= t)
                    })
                    .count();
                let inside = s.as_str() >= from && s.as_str() <= to;
                assert_eq!(hits, usize::from(inside), "{s} in {from}..{to}: {ps:?}");
            }
        }
    }

    #[test]
    fn the_grid_level_fits_the_zoom() {
        assert_eq!(level_for_zoom(4), 0);
        assert_eq!(level_for_zoom(5), 0);
        assert_eq!(level_for_zoom(7), 1);
        assert_eq!(level_for_zoom(14), 4);
        assert_eq!(cell(0, -180.0, -90.0), (0, 0));
        assert_eq!(cell(4, 51.42, 35.69).0 / 256, cell(0, 51.42, 35.69).0);
    }
}
