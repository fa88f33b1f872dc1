//! Grouping events of different reports that describe one incident.
//!
//! Two events may be one incident when all of these hold:
//!
//! - **different reports**: a report's own events are distinct by the codebook's rule (one
//!   event per place per day), so two of them never merge automatically;
//! - **place**: the same `location` (folded), or within [`Params::max_km`] of each other,
//!   each event of `geo_precision` 2 or 3 reaching [`Params::near_km`] further; an event
//!   known only to its province (`geo_precision` 3) also matches any event of the same
//!   `admin1`; but two different districts of one city (`Tehran - Narmak`,
//!   `Tehran - Naziabad`) are two places however close: the coder had words for each;
//! - **date**: their date windows overlap: precision 1 is the day, precision 2 the day
//!   ± [`Params::span_days`], precision 3 the whole month;
//! - **type**: compatible by the table in [`crate::compat`].
//!
//! A cluster holds only events that are pairwise compatible (complete linkage): a report that
//! says "Tehran, last week" cannot chain a week of Tehran protests into one incident. Events
//! are taken most precise first; each joins the best-fitting cluster it is compatible with, or
//! starts one. A *vague* event (a span of days or a month, or a place "near" a town or only a
//! province) joins only when exactly one cluster fits: a vague report is evidence for an
//! incident only when it can point to one, and otherwise stays apart for an analyst to merge.
//!
//! Candidates come from a hash of grid cells ([`Params::cell_deg`] square) by day, so the
//! work grows with the number of events and the crowding of each city-day, not with the
//! square of the events.
//!
//! ## Analyst decisions
//!
//! Re-coding a report gives its events new ids, so decisions are not keyed by event id but by
//! an [`EventKey`]: the report's id (stable: the store's report id, its file name or
//! JSONL id) and the event's date, location and coordinates as the analyst saw them. A key
//! resolves to the event of that report with the same location (or within reach) and a date
//! within a few days, the closest first; a key that resolves to nothing is returned in
//! [`Clustering::unresolved`] for the analyst to see, never silently dropped.
//!
//! Decisions apply in order, latest last:
//! - [`Decision::Split`] takes an event out of automatic grouping: it stands alone unless an
//!   explicit merge joins it. A split cancels earlier merges of that event.
//! - [`Decision::Merge`] joins the clusters that contain its two events, after automatic
//!   grouping: "merge cluster A with B" holds however A and B are re-formed.
//! - [`Decision::Grade`] and [`Decision::Publish`] pin the grade and the publication of the
//!   cluster that contains the event; the latest one within a cluster wins.

use crate::compat::{self, TypePattern};
use crate::grade::{suggest_grade, Grade, Reliability};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use unrest_model::Event;
use unrest_text::fold_key;

/// What clustering needs of an event. Borrowed from the store's records so that a million
/// events cost no copies of their text.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRef<'a> {
    /// The event's id now (it may change when the report is re-coded).
    pub id: &'a str,
    /// The id of the report it was coded from.
    pub report: &'a str,
    /// The report's source key from [`crate::source_groups`]: copies share it. Empty means the
    /// report is its own source.
    pub source: &'a str,
    /// An analyst's grade of the channel the report came through; `F` when ungraded.
    pub channel: Reliability,
    /// `None` when the event has no readable date: it then stands alone.
    pub date: Option<NaiveDate>,
    pub time_precision: u8,
    pub latitude: f64,
    pub longitude: f64,
    pub geo_precision: u8,
    pub location: &'a str,
    pub admin1: &'a str,
    pub event_type: &'a str,
    pub sub_event_type: &'a str,
    /// `None` when the report gives no figure.
    pub fatalities: Option<u32>,
    pub injuries: Option<u32>,
    pub arrests: Option<u32>,
}

impl<'a> EventRef<'a> {
    /// Reads an event record. `fatalities` is a figure only when it is not 0 or when the
    /// coder cited words for it: the codebook writes 0 for "unknown".
    pub fn from_event(event: &'a Event, source: &'a str, channel: Reliability) -> EventRef<'a> {
        let fatalities = (event.fatalities > 0
            || event.evidence.iter().any(|e| e.field == "fatalities"))
        .then_some(event.fatalities);
        EventRef {
            id: &event.event_id_cnty,
            report: &event.report,
            source,
            channel,
            date: NaiveDate::parse_from_str(&event.event_date, "%Y-%m-%d").ok(),
            time_precision: event.time_precision,
            latitude: event.latitude,
            longitude: event.longitude,
            geo_precision: event.geo_precision,
            location: &event.location,
            admin1: &event.admin1,
            event_type: &event.event_type,
            sub_event_type: &event.sub_event_type,
            fatalities,
            injuries: event.injuries,
            arrests: event.arrests,
        }
    }
}

/// Thresholds and tables of clustering. `Params::default()` is the documented behaviour.
#[derive(Debug, Clone)]
pub struct Params {
    /// Two precisely placed events this close may be one incident. Default 5 km.
    pub max_km: f64,
    /// How much further an event placed "near" a town or only in a province reaches.
    /// Default 10 km.
    pub near_km: f64,
    /// Half-width of a precision-2 date window. Default 3 days.
    pub span_days: i32,
    /// Side of a grid cell, degrees. Default 0.05° (about 5 km).
    pub cell_deg: f64,
    /// Cross-type pairs that may be one incident (see [`crate::compat`]).
    pub compatible: Vec<(TypePattern, TypePattern)>,
    /// Sub-event types, most severe first: when members split evenly on the type and are
    /// equally precise, the canonical event takes the more severe (the witness who saw the
    /// shooting saw more than the one who left before it). The disagreement is listed as a
    /// conflict either way.
    pub severity: Vec<String>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            max_km: 5.0,
            near_km: 10.0,
            span_days: 3,
            cell_deg: 0.05,
            compatible: compat::default_pairs(),
            severity: [
                "Excessive force against protesters",
                "Attack",
                "Violent demonstration",
                "Mob violence",
                "Protest with intervention",
                "Peaceful protest",
            ]
            .iter()
            .map(|s| fold_key(s))
            .collect(),
        }
    }
}

/// Names an event across re-coding: the report it came from and where and when it
/// happened, as the analyst saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventKey {
    pub report: String,
    /// `YYYY-MM-DD`, or empty for an undated event.
    pub event_date: String,
    pub location: String,
    pub latitude: f64,
    pub longitude: f64,
}

impl EventKey {
    pub fn of(event: &EventRef) -> EventKey {
        EventKey {
            report: event.report.to_string(),
            event_date: event
                .date
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            location: event.location.to_string(),
            latitude: event.latitude,
            longitude: event.longitude,
        }
    }
}

/// An analyst's decision, kept by the store in the order it was taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// The clusters of `a` and `b` are one incident.
    Merge { a: EventKey, b: EventKey },
    /// The event is an incident of its own.
    Split { event: EventKey },
    /// The grade of the cluster that contains the event.
    Grade { event: EventKey, grade: Grade },
    /// Whether the cluster that contains the event is published.
    Publish { event: EventKey, published: bool },
}

/// The incident as the cluster tells it: each field merged from its members by the rule
/// documented on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Canonical {
    /// Index (into the input) of the member whose other fields (actors, notes, evidence)
    /// stand for the incident: the most precise in date, type and place.
    pub lead: usize,
    /// The date most often given at the best precision among members; the earliest on a tie.
    pub event_date: Option<NaiveDate>,
    pub time_precision: u8,
    /// The place most often given at the best `geo_precision`, with that member's fields.
    pub location: String,
    pub admin1: String,
    pub latitude: f64,
    pub longitude: f64,
    pub geo_precision: u8,
    /// The type most often given; on a tie, the one given with the more precise date and
    /// place, then the more severe ([`Params::severity`]).
    pub event_type: String,
    pub sub_event_type: String,
    /// The lowest figure among members that give one (the codebook's rule); 0 when none do.
    pub fatalities: u32,
    /// The lowest figure among members that give one.
    pub injuries: Option<u32>,
    pub arrests: Option<u32>,
}

impl Canonical {
    /// The canonical event record: the lead event with the merged fields written over it.
    pub fn apply_to(&self, lead: &Event) -> Event {
        let mut e = lead.clone();
        if let Some(d) = self.event_date {
            e.event_date = d.format("%Y-%m-%d").to_string();
            e.year = d.year();
        }
        e.time_precision = self.time_precision;
        e.location = self.location.clone();
        e.admin1 = self.admin1.clone();
        e.latitude = self.latitude;
        e.longitude = self.longitude;
        e.geo_precision = self.geo_precision;
        e.event_type = self.event_type.clone();
        e.sub_event_type = self.sub_event_type.clone();
        e.fatalities = self.fatalities;
        e.injuries = self.injuries;
        e.arrests = self.arrests;
        e
    }
}

/// A field on which members disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Type,
    Date,
    Place,
    Fatalities,
    Injuries,
    Arrests,
}

/// One value of a disputed field and who gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictValue {
    pub value: String,
    pub events: Vec<String>,
    pub reports: Vec<String>,
}

/// A disagreement shown to the analyst; the canonical value is chosen by the field's rule,
/// never averaged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    pub field: Field,
    pub values: Vec<ConflictValue>,
}

/// One incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    /// Indices into the input, ascending.
    pub members: Vec<usize>,
    /// The members' event ids, in the order of `members`.
    pub events: Vec<String>,
    /// Distinct report ids, sorted.
    pub reports: Vec<String>,
    /// Distinct source keys, sorted: one per independent source.
    pub sources: Vec<String>,
    pub source_count: usize,
    pub canonical: Canonical,
    pub conflicts: Vec<Conflict>,
    pub grade: Grade,
    /// Whether `grade` is an analyst's rather than [`suggest_grade`]'s.
    pub graded_by_analyst: bool,
    /// Set by a [`Decision::Publish`]; `false` until then.
    pub published: bool,
    /// Indices of the decisions that shaped this cluster.
    pub decisions: Vec<usize>,
}

/// The result of clustering: every input event is in exactly one cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clustering {
    /// Ordered by canonical date (undated last), then location, then lead event id.
    pub clusters: Vec<Cluster>,
    /// Indices of decisions whose events are no longer found, for the analyst to redo.
    pub unresolved: Vec<usize>,
}

/// Groups events with no analyst decisions; see [`cluster_with`].
pub fn cluster(events: &[EventRef], params: &Params) -> Vec<Cluster> {
    cluster_with(events, &[], params).clusters
}

/// Groups events into incidents, applying the analysts' decisions in order.
pub fn cluster_with(events: &[EventRef], decisions: &[Decision], params: &Params) -> Clustering {
    let prep = Prepared::new(events, params);
    let resolved = resolve(events, &prep, decisions, params);

    let mut alone = vec![false; events.len()];
    let mut merges: Vec<(usize, usize, usize)> = Vec::new();
    for &(d, ref targets) in &resolved.applied {
        match (&decisions[d], targets.as_slice()) {
            (Decision::Split { .. }, &[x]) => {
                alone[x] = true;
                merges.retain(|&(_, a, b)| a != x && b != x);
            }
            (Decision::Merge { .. }, &[a, b]) => merges.push((d, a, b)),
            _ => {}
        }
    }

    let groups = auto_cluster(&prep, &alone, params);
    let mut of_event = vec![0usize; events.len()];
    for (g, members) in groups.iter().enumerate() {
        for &m in members {
            of_event[m as usize] = g;
        }
    }
    let mut parent: Vec<usize> = (0..groups.len()).collect();
    for &(_, a, b) in &merges {
        let (ra, rb) = (
            find(&mut parent, of_event[a]),
            find(&mut parent, of_event[b]),
        );
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut finals: Vec<Vec<usize>> = Vec::new();
    let mut slot: HashMap<usize, usize> = HashMap::new();
    for (g, members) in groups.iter().enumerate() {
        let root = find(&mut parent, g);
        let at = *slot.entry(root).or_insert_with(|| {
            finals.push(Vec::new());
            finals.len() - 1
        });
        finals[at].extend(members.iter().map(|&m| m as usize));
    }

    let mut final_of = vec![0usize; events.len()];
    for (c, members) in finals.iter_mut().enumerate() {
        members.sort_unstable();
        for &m in members.iter() {
            final_of[m] = c;
        }
    }
    let mut touched: Vec<Vec<usize>> = vec![Vec::new(); finals.len()];
    let mut grade: Vec<Option<Grade>> = vec![None; finals.len()];
    let mut published = vec![false; finals.len()];
    for &(d, ref targets) in &resolved.applied {
        let Some(&first) = targets.first() else {
            continue;
        };
        let c = final_of[first];
        match &decisions[d] {
            Decision::Grade { grade: g, .. } => grade[c] = Some(*g),
            Decision::Publish { published: p, .. } => published[c] = *p,
            Decision::Merge { .. } | Decision::Split { .. } => {}
        }
        for &t in targets {
            touched[final_of[t]].push(d);
        }
    }

    let mut clusters: Vec<Cluster> = finals
        .into_iter()
        .enumerate()
        .map(|(c, members)| {
            let mut shaped = std::mem::take(&mut touched[c]);
            shaped.sort_unstable();
            shaped.dedup();
            build(
                events,
                &prep,
                members,
                params,
                grade[c],
                published[c],
                shaped,
            )
        })
        .collect();
    clusters.sort_by(|a, b| {
        let (x, y) = (&a.canonical, &b.canonical);
        (
            x.event_date.is_none(),
            x.event_date,
            &x.location,
            events[x.lead].id,
        )
            .cmp(&(
                y.event_date.is_none(),
                y.event_date,
                &y.location,
                events[y.lead].id,
            ))
    });
    Clustering {
        clusters,
        unresolved: resolved.unresolved,
    }
}

/// A hasher for small integer keys: std's SipHash is several times slower on the grid.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(b as u64);
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    fn write_i32(&mut self, i: i32) {
        self.add(i as u32 as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

impl Fx {
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// Strings interned to small numbers; 0 is the empty string.
struct Interner<'a> {
    ids: HashMap<&'a str, u32>,
    folded: HashMap<String, u32>,
    names: Vec<String>,
}

impl<'a> Interner<'a> {
    fn new() -> Self {
        Interner {
            ids: HashMap::new(),
            folded: HashMap::new(),
            names: vec![String::new()],
        }
    }

    /// The id of `s` folded: raw strings are looked up first so a million events with a few
    /// hundred distinct places fold each place once.
    fn id(&mut self, s: &'a str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let key = fold_key(s);
        let id = if key.is_empty() {
            0
        } else if let Some(&id) = self.folded.get(&key) {
            id
        } else {
            let id = self.names.len() as u32;
            self.folded.insert(key.clone(), id);
            self.names.push(key);
            id
        };
        self.ids.insert(s, id);
        id
    }
}

/// Per event, what the comparisons need, computed once.
struct Prep {
    lo: i32,
    hi: i32,
    dated: bool,
    loc: u32,
    /// The city and the district of a `City - District` location; 0 when it names none.
    city: u32,
    district: u32,
    admin: u32,
    kind: u32,
    report: u32,
    tp: u8,
    gp: u8,
    lat: f64,
    lon: f64,
    reach: f64,
}

struct Prepared {
    events: Vec<Prep>,
    /// `compatible[k1 * kinds + k2]`.
    compatible: Vec<bool>,
    kinds: usize,
    /// Folded (event_type, sub_event_type) of each kind.
    kind_names: Vec<(String, String)>,
}

impl Prepared {
    fn new(events: &[EventRef], params: &Params) -> Prepared {
        let mut places = Interner::new();
        let mut reports: HashMap<&str, u32> = HashMap::new();
        let mut types = Interner::new();
        let mut kinds: HashMap<(u32, u32), u32> = HashMap::new();
        let mut kind_ids: Vec<(u32, u32)> = Vec::new();
        let prep: Vec<Prep> = events
            .iter()
            .map(|e| {
                let (t, s) = (types.id(e.event_type), types.id(e.sub_event_type));
                let next = kinds.len() as u32;
                let kind = *kinds.entry((t, s)).or_insert_with(|| {
                    kind_ids.push((t, s));
                    next
                });
                let next = reports.len() as u32;
                let report = *reports.entry(e.report).or_insert(next);
                let (lo, hi) = e
                    .date
                    .map(|d| window(d, e.time_precision, params))
                    .unwrap_or((0, -1));
                let gp = e.geo_precision.clamp(1, 3);
                Prep {
                    lo,
                    hi,
                    dated: e.date.is_some(),
                    loc: places.id(e.location),
                    city: e
                        .location
                        .split_once(" - ")
                        .map_or(0, |(c, _)| places.id(c)),
                    district: e
                        .location
                        .split_once(" - ")
                        .map_or(0, |(_, d)| places.id(d)),
                    admin: places.id(e.admin1),
                    kind,
                    report,
                    tp: e.time_precision.clamp(1, 3),
                    gp,
                    lat: e.latitude,
                    lon: e.longitude,
                    reach: if gp >= 2 { params.near_km } else { 0.0 },
                }
            })
            .collect();
        let kind_names: Vec<(String, String)> = kind_ids
            .iter()
            .map(|&(t, s)| {
                (
                    types.names[t as usize].clone(),
                    types.names[s as usize].clone(),
                )
            })
            .collect();
        let n = kind_names.len();
        let mut compatible = vec![false; n * n];
        for (i, a) in kind_names.iter().enumerate() {
            for (j, b) in kind_names.iter().enumerate() {
                compatible[i * n + j] =
                    compat::compatible(&params.compatible, (&a.0, &a.1), (&b.0, &b.1));
            }
        }
        Prepared {
            events: prep,
            compatible,
            kinds: n,
            kind_names,
        }
    }

    fn kinds_fit(&self, a: &Prep, b: &Prep) -> bool {
        self.compatible[a.kind as usize * self.kinds + b.kind as usize]
    }
}

/// The days an event may have happened on, as day numbers.
fn window(d: NaiveDate, precision: u8, params: &Params) -> (i32, i32) {
    let day = d.num_days_from_ce();
    match precision {
        2 => (day - params.span_days, day + params.span_days),
        3 => {
            let first = d.with_day(1).unwrap_or(d);
            let next = if d.month() == 12 {
                NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
            };
            let last = next.map(|n| n.num_days_from_ce() - 1).unwrap_or(day);
            (first.num_days_from_ce(), last)
        }
        _ => (day, day),
    }
}

/// Great-circle distance in km.
/// The days an event of `date` at `time_precision` may have happened on (days from the
/// common era, inclusive): the day, the day ± [`Params::span_days`], or the month.
pub fn date_window(date: NaiveDate, time_precision: u8, params: &Params) -> (i32, i32) {
    window(date, time_precision.clamp(1, 3), params)
}

/// The furthest apart, in days, two event dates can be when their windows overlap: a
/// month's window reaches 30 days past its date.
pub const NEIGHBOUR_DAYS: i64 = 31;

/// The furthest apart two events can be placed and still be one incident, when neither is
/// named by the same place or province: [`Params::max_km`] and both reaches.
pub fn neighbour_km(params: &Params) -> f64 {
    params.max_km + 2.0 * params.near_km
}

/// Whether grouping could ever put `a` and `b` in one cluster, or let one weigh on where the
/// other goes: both dated, their date windows overlap, and their places may fit (the same
/// place, the same province when one is placed only by it, or within [`neighbour_km`]). A superset of what grouping
/// compares, checked without types or reports: an event's cluster depends only on the
/// events it reaches through this relation (and on decisions), so re-grouping such a
/// neighbourhood gives what grouping everything gives it.
pub fn may_interact(a: &EventRef, b: &EventRef, params: &Params) -> bool {
    let (Some(da), Some(db)) = (a.date, b.date) else {
        return false;
    };
    let (alo, ahi) = date_window(da, a.time_precision, params);
    let (blo, bhi) = date_window(db, b.time_precision, params);
    if alo.max(blo) > ahi.min(bhi) {
        return false;
    }
    let same = |x: &str, y: &str| !x.is_empty() && fold_key(x) == fold_key(y);
    same(a.location, b.location)
        || ((a.geo_precision >= 3 || b.geo_precision >= 3) && same(a.admin1, b.admin1))
        || distance_km(a.latitude, a.longitude, b.latitude, b.longitude) <= neighbour_km(params)
}

pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

fn places_fit(a: &Prep, b: &Prep, params: &Params) -> bool {
    if a.district != 0 && b.district != 0 && a.city == b.city && a.district != b.district {
        return false;
    }
    (a.loc != 0 && a.loc == b.loc)
        || ((a.gp == 3 || b.gp == 3) && a.admin != 0 && a.admin == b.admin)
        || distance_km(a.lat, a.lon, b.lat, b.lon) <= params.max_km + a.reach + b.reach
}

fn vague(p: &Prep) -> bool {
    p.tp >= 2 || p.gp >= 2
}

struct Grid<'p> {
    params: &'p Params,
    cells: FxMap<(i32, i32, i32), Vec<u32>>,
    places: FxMap<(u32, i32), Vec<u32>>,
    provinces: FxMap<(u32, i32), Vec<u32>>,
    /// Clusters with a member known only to its province, by province and day.
    province_wide: FxMap<(u32, i32), Vec<u32>>,
}

impl Grid<'_> {
    fn cell(&self, lat: f64, lon: f64) -> (i32, i32) {
        (
            (lon / self.params.cell_deg).floor() as i32,
            (lat / self.params.cell_deg).floor() as i32,
        )
    }

    /// Cells within `km` of the point, as (x, y) ranges.
    fn around(&self, lat: f64, lon: f64, km: f64) -> (i32, i32, i32, i32) {
        let (cx, cy) = self.cell(lat, lon);
        if km <= 0.0 {
            return (cx, cx, cy, cy);
        }
        let cell_km_lat = self.params.cell_deg * 111.2;
        let widest = (lat.abs() + km / 111.2).min(89.0).to_radians().cos();
        let cell_km_lon = (self.params.cell_deg * 111.32 * widest).max(1e-3);
        let dx = (km / cell_km_lon).ceil() as i32;
        let dy = (km / cell_km_lat).ceil() as i32;
        (cx - dx, cx + dx, cy - dy, cy + dy)
    }

    fn insert(&mut self, p: &Prep, c: u32, lo: i32, hi: i32) {
        let (x0, x1, y0, y1) = self.around(p.lat, p.lon, p.reach);
        for day in lo..=hi {
            for x in x0..=x1 {
                for y in y0..=y1 {
                    self.cells.entry((x, y, day)).or_default().push(c);
                }
            }
            if p.loc != 0 {
                self.places.entry((p.loc, day)).or_default().push(c);
            }
            if p.admin != 0 {
                self.provinces.entry((p.admin, day)).or_default().push(c);
                if p.gp == 3 {
                    self.province_wide
                        .entry((p.admin, day))
                        .or_default()
                        .push(c);
                }
            }
        }
    }

    fn candidates(&self, p: &Prep, out: &mut Vec<u32>) {
        out.clear();
        let (x0, x1, y0, y1) = self.around(p.lat, p.lon, self.params.max_km + p.reach);
        for day in p.lo..=p.hi {
            for x in x0..=x1 {
                for y in y0..=y1 {
                    if let Some(cs) = self.cells.get(&(x, y, day)) {
                        out.extend_from_slice(cs);
                    }
                }
            }
            if p.loc != 0 {
                if let Some(cs) = self.places.get(&(p.loc, day)) {
                    out.extend_from_slice(cs);
                }
            }
            if p.admin != 0 {
                if let Some(cs) = self.province_wide.get(&(p.admin, day)) {
                    out.extend_from_slice(cs);
                }
                if p.gp == 3 {
                    if let Some(cs) = self.provinces.get(&(p.admin, day)) {
                        out.extend_from_slice(cs);
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
    }
}

struct Group {
    members: Vec<u32>,
    lo: i32,
    hi: i32,
}

fn auto_cluster(prep: &Prepared, alone: &[bool], params: &Params) -> Vec<Vec<u32>> {
    let ev = &prep.events;
    let mut order: Vec<u32> = (0..ev.len() as u32).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&ev[a as usize], &ev[b as usize]);
        (vague(x), x.tp, x.gp, x.lo, x.hi)
            .cmp(&(vague(y), y.tp, y.gp, y.lo, y.hi))
            .then(x.lat.total_cmp(&y.lat))
            .then(x.lon.total_cmp(&y.lon))
            .then(a.cmp(&b))
    });

    let mut groups: Vec<Group> = Vec::new();
    let mut grid = Grid {
        params,
        cells: FxMap::default(),
        places: FxMap::default(),
        provinces: FxMap::default(),
        province_wide: FxMap::default(),
    };
    let mut cands = Vec::new();
    for &i in &order {
        let p = &ev[i as usize];
        if !p.dated || alone[i as usize] {
            groups.push(Group {
                members: vec![i],
                lo: p.lo,
                hi: p.hi,
            });
            continue;
        }
        grid.candidates(p, &mut cands);
        let mut best: Option<(f64, u32)> = None;
        let mut fitting = 0usize;
        for &c in &cands {
            let g = &groups[c as usize];
            let (lo, hi) = (g.lo.max(p.lo), g.hi.min(p.hi));
            if lo > hi {
                continue;
            }
            let fits = g.members.iter().all(|&m| {
                let q = &ev[m as usize];
                q.report != p.report && prep.kinds_fit(p, q) && places_fit(p, q, params)
            });
            if !fits {
                continue;
            }
            fitting += 1;
            let anchor = &ev[g.members[0] as usize];
            let days = ((g.lo + g.hi) - (p.lo + p.hi)).abs() as f64 / 2.0;
            let score = distance_km(p.lat, p.lon, anchor.lat, anchor.lon) + days;
            if best.is_none_or(|(s, _)| score < s) {
                best = Some((score, c));
            }
        }
        match best {
            Some((_, c)) if fitting == 1 || !vague(p) => {
                let g = &mut groups[c as usize];
                g.members.push(i);
                g.lo = g.lo.max(p.lo);
                g.hi = g.hi.min(p.hi);
                let (lo, hi) = (g.lo, g.hi);
                grid.insert(p, c, lo, hi);
            }
            _ => {
                let c = groups.len() as u32;
                groups.push(Group {
                    members: vec![i],
                    lo: p.lo,
                    hi: p.hi,
                });
                grid.insert(p, c, p.lo, p.hi);
            }
        }
    }
    groups.into_iter().map(|g| g.members).collect()
}

struct Resolved {
    /// Each resolved decision with the events its keys name, in decision order.
    applied: Vec<(usize, Vec<usize>)>,
    unresolved: Vec<usize>,
}

fn keys(d: &Decision) -> Vec<&EventKey> {
    match d {
        Decision::Merge { a, b } => vec![a, b],
        Decision::Split { event }
        | Decision::Grade { event, .. }
        | Decision::Publish { event, .. } => {
            vec![event]
        }
    }
}

fn resolve(
    events: &[EventRef],
    prep: &Prepared,
    decisions: &[Decision],
    params: &Params,
) -> Resolved {
    let wanted: HashSet<&str> = decisions
        .iter()
        .flat_map(|d| keys(d).into_iter().map(|k| k.report.as_str()))
        .collect();
    let mut by_report: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        if wanted.contains(e.report) {
            by_report.entry(e.report).or_default().push(i);
        }
    }
    let mut out = Resolved {
        applied: Vec::new(),
        unresolved: Vec::new(),
    };
    for (d, decision) in decisions.iter().enumerate() {
        let found: Option<Vec<usize>> = keys(decision)
            .into_iter()
            .map(|k| resolve_key(k, by_report.get(k.report.as_str())?, events, prep, params))
            .collect();
        match found {
            Some(targets) => out.applied.push((d, targets)),
            None => out.unresolved.push(d),
        }
    }
    out
}

fn resolve_key(
    key: &EventKey,
    candidates: &[usize],
    events: &[EventRef],
    prep: &Prepared,
    params: &Params,
) -> Option<usize> {
    let loc = fold_key(&key.location);
    let day = NaiveDate::parse_from_str(&key.event_date, "%Y-%m-%d")
        .ok()
        .map(|d| d.num_days_from_ce());
    candidates
        .iter()
        .filter_map(|&i| {
            let (e, p) = (&events[i], &prep.events[i]);
            let same_place = !loc.is_empty() && fold_key(e.location) == loc;
            let km = distance_km(key.latitude, key.longitude, e.latitude, e.longitude);
            if !same_place && km > params.max_km + p.reach {
                return None;
            }
            let days = match (day, p.dated) {
                (None, false) => 0,
                (Some(d), true) if (p.lo..=p.hi).contains(&d) => 0,
                (Some(d), true) => (d - p.lo).abs().min((d - p.hi).abs()),
                _ => return None,
            };
            (days <= params.span_days).then_some(((!same_place, days, km), i))
        })
        .min_by(|(a, i), (b, j)| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then(a.2.total_cmp(&b.2))
                .then(i.cmp(j))
        })
        .map(|(_, i)| i)
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Picks the value given by most members; `better` breaks ties (`Less` wins).
fn majority<T: Clone + PartialEq>(
    values: &[T],
    better: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Option<T> {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(w, _)| w == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v.clone(), 1)),
        }
    }
    counts
        .into_iter()
        .min_by(|(a, n), (b, m)| m.cmp(n).then_with(|| better(a, b)))
        .map(|(v, _)| v)
}

fn build(
    events: &[EventRef],
    prep: &Prepared,
    members: Vec<usize>,
    params: &Params,
    pinned: Option<Grade>,
    published: bool,
    decisions: Vec<usize>,
) -> Cluster {
    let ev = &prep.events;
    let best_tp = members
        .iter()
        .filter(|&&m| ev[m].dated)
        .map(|&m| ev[m].tp)
        .min();
    let dates: Vec<NaiveDate> = members
        .iter()
        .filter(|&&m| Some(ev[m].tp) == best_tp)
        .filter_map(|&m| events[m].date)
        .collect();
    let event_date = majority(&dates, |a, b| a.cmp(b));

    let best_gp = members.iter().map(|&m| ev[m].gp).min().unwrap_or(1);
    let places: Vec<u32> = members
        .iter()
        .filter(|&&m| ev[m].gp == best_gp)
        .map(|&m| ev[m].loc)
        .collect();
    let loc = majority(&places, |_, _| std::cmp::Ordering::Equal).unwrap_or(0);
    let place_of = *members
        .iter()
        .find(|&&m| ev[m].gp == best_gp && ev[m].loc == loc)
        .unwrap_or(&members[0]);

    let rank = |k: &u32| {
        let sub = &prep.kind_names[*k as usize].1;
        params
            .severity
            .iter()
            .position(|s| s == sub)
            .unwrap_or(params.severity.len())
    };
    let kinds: Vec<u32> = members.iter().map(|&m| ev[m].kind).collect();
    // The precision a kind is given with: the best among the members that give it.
    let precision = |k: &u32| {
        members
            .iter()
            .filter(|&&m| ev[m].kind == *k)
            .map(|&m| (ev[m].tp, ev[m].gp))
            .min()
    };
    let kind = majority(&kinds, |a, b| {
        precision(a)
            .cmp(&precision(b))
            .then_with(|| rank(a).cmp(&rank(b)))
            .then_with(|| prep.kind_names[*a as usize].cmp(&prep.kind_names[*b as usize]))
    })
    .unwrap_or(0);
    let kind_of = *members
        .iter()
        .find(|&&m| ev[m].kind == kind)
        .unwrap_or(&members[0]);

    let lead = *members
        .iter()
        .min_by_key(|&&m| {
            let p = &ev[m];
            (
                Some(p.tp) != best_tp || events[m].date != event_date,
                p.kind != kind,
                p.gp != best_gp,
            )
        })
        .unwrap_or(&members[0]);

    let lowest =
        |f: fn(&EventRef) -> Option<u32>| members.iter().filter_map(|&m| f(&events[m])).min();
    let (e_place, e_kind) = (&events[place_of], &events[kind_of]);
    let canonical = Canonical {
        lead,
        event_date,
        time_precision: best_tp.unwrap_or(events[lead].time_precision),
        location: e_place.location.to_string(),
        admin1: e_place.admin1.to_string(),
        latitude: e_place.latitude,
        longitude: e_place.longitude,
        geo_precision: e_place.geo_precision,
        event_type: e_kind.event_type.to_string(),
        sub_event_type: e_kind.sub_event_type.to_string(),
        fatalities: lowest(|e| e.fatalities).unwrap_or(0),
        injuries: lowest(|e| e.injuries),
        arrests: lowest(|e| e.arrests),
    };

    let conflicts = conflicts(events, prep, &members, &canonical, place_of, params);

    let mut reports: Vec<String> = members
        .iter()
        .map(|&m| events[m].report.to_string())
        .collect();
    reports.sort_unstable();
    reports.dedup();
    let mut sources: Vec<String> = members
        .iter()
        .map(|&m| {
            let e = &events[m];
            if e.source.is_empty() {
                e.report
            } else {
                e.source
            }
            .to_string()
        })
        .collect();
    sources.sort_unstable();
    sources.dedup();
    let channels: Vec<Reliability> = members.iter().map(|&m| events[m].channel).collect();
    let suggested = suggest_grade(sources.len(), &channels);
    Cluster {
        events: members.iter().map(|&m| events[m].id.to_string()).collect(),
        members,
        reports,
        source_count: sources.len(),
        sources,
        canonical,
        conflicts,
        grade: pinned.unwrap_or(suggested),
        graded_by_analyst: pinned.is_some(),
        published,
        decisions,
    }
}

/// Reads one count of an event.
type CountOf = fn(&EventRef) -> Option<u32>;

fn conflicts(
    events: &[EventRef],
    prep: &Prepared,
    members: &[usize],
    canonical: &Canonical,
    place_of: usize,
    params: &Params,
) -> Vec<Conflict> {
    let ev = &prep.events;
    let mut out = Vec::new();
    let mut list = |field: Field, value: &dyn Fn(usize) -> Option<String>| {
        let mut values: Vec<ConflictValue> = Vec::new();
        for &m in members {
            let Some(v) = value(m) else { continue };
            let e = &events[m];
            match values.iter_mut().find(|c| c.value == v) {
                Some(c) => {
                    c.events.push(e.id.to_string());
                    if !c.reports.iter().any(|r| r == e.report) {
                        c.reports.push(e.report.to_string());
                    }
                }
                None => values.push(ConflictValue {
                    value: v,
                    events: vec![e.id.to_string()],
                    reports: vec![e.report.to_string()],
                }),
            }
        }
        if values.len() > 1 {
            out.push(Conflict { field, values });
        }
    };

    let kinds: HashSet<u32> = members.iter().map(|&m| ev[m].kind).collect();
    if kinds.len() > 1 {
        list(Field::Type, &|m| {
            Some(format!(
                "{} / {}",
                events[m].event_type, events[m].sub_event_type
            ))
        });
    }

    let day = canonical.event_date.map(|d| d.num_days_from_ce());
    let date_disputed = members.iter().any(|&m| {
        let p = &ev[m];
        match day {
            Some(d) => {
                !p.dated
                    || !(p.lo..=p.hi).contains(&d)
                    || (p.tp == canonical.time_precision && events[m].date != canonical.event_date)
            }
            None => false,
        }
    });
    if date_disputed {
        list(Field::Date, &|m| {
            Some(match events[m].date {
                Some(d) => format!(
                    "{} (precision {})",
                    d.format("%Y-%m-%d"),
                    events[m].time_precision
                ),
                None => "no date".to_string(),
            })
        });
    }

    let at = &ev[place_of];
    let place_disputed = members.iter().any(|&m| {
        let p = &ev[m];
        !places_fit(p, at, params) || (p.gp == at.gp && p.loc != at.loc)
    });
    if place_disputed {
        list(Field::Place, &|m| Some(events[m].location.to_string()));
    }

    let counts: [(Field, CountOf); 3] = [
        (Field::Fatalities, |e| e.fatalities),
        (Field::Injuries, |e| e.injuries),
        (Field::Arrests, |e| e.arrests),
    ];
    for (field, get) in counts {
        list(field, &|m| get(&events[m]).map(|n| n.to_string()));
    }
    out
}
