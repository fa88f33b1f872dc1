//! The shapes every other crate agrees on: a [`Report`] as it arrives, an [`Event`] as the
//! coder or an analyst writes it, and the writers for the exchange formats researchers load
//! (ACLED CSV, JSON lines, GeoJSON).
//!
//! This crate knows nothing of how events are found, stored or served.

use serde::{Deserialize, Serialize};
use std::io::{self, Write};

/// ACLED's actor types, by their old numeric code (index 1–8; 0 is no actor).
pub const INTER_NAMES: [&str; 9] = [
    "",
    "State forces",
    "Rebel groups",
    "Political militias",
    "Identity militias",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
];

/// How a CSV writes ACLED's actor types (`inter1`, `inter2`, `interaction`): as text
/// ("Protesters", "State forces-Protesters"), as ACLED's files have since 2023 and as the
/// coder writes them, or as the numbers of ACLED's older files (`6`, `16`), so that rows
/// imported from such a file go back as they came.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum InterCodes {
    #[default]
    Text,
    Numbers,
}

/// The old numeric code of an actor type ("Protesters" → 6, "" → 0); `None` for a text that
/// is not one of [`INTER_NAMES`].
pub fn inter_code(name: &str) -> Option<u8> {
    INTER_NAMES
        .iter()
        .position(|n| n.eq_ignore_ascii_case(name.trim()))
        .map(|i| i as u8)
}

/// The old numeric code of an interaction ("State forces-Protesters" → 16, "Protesters
/// only" → 60); `None` for an empty or unknown text.
pub fn interaction_code(text: &str) -> Option<u8> {
    let text = text.trim();
    let (a, b) = match text.strip_suffix(" only") {
        Some(a) => (a, ""),
        None => text.split_once('-')?,
    };
    match (inter_code(a)?, inter_code(b)?) {
        (0, _) => None,
        (a, b) => Some(a * 10 + b),
    }
}

/// ACLED's current CSV header, in order (31 columns).
pub const ACLED_COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// Our columns, written after ACLED's in CSV (evidence is JSON-only). The last three are an
/// incident's ([`Corroboration`]); a per-report event leaves them blank.
pub const EXTRA_COLUMNS: [&str; 7] = [
    "report",
    "injuries",
    "arrests",
    "confidence",
    "source_count",
    "grade",
    "event_ids",
];

/// What an incident row says beyond its event record: how many independent sources back it,
/// its Admiralty grade and the ids of the per-report events it joins (analysts only: public
/// outputs leave `event_ids` empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Corroboration {
    pub source_count: u64,
    pub grade: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_ids: Vec<i64>,
}

impl Corroboration {
    fn csv(c: Option<&Corroboration>) -> [String; 3] {
        match c {
            None => Default::default(),
            Some(c) => [
                c.source_count.to_string(),
                c.grade.clone(),
                c.event_ids
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
            ],
        }
    }
}

/// An event record with its incident's figures, as JSON lines and GeoJSON carry them.
#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    event: &'a Event,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    incident: Option<&'a Corroboration>,
}

/// A field report as it arrives: its exact text and what is known about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub id: String,
    pub text: String,
    /// `YYYY-MM-DD`: when the report was written, received or published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_date: Option<String>,
    /// `en`, `fa`, or absent for automatic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// The words of a report a coded field rests on: byte offsets into the report text exactly
/// as it was given, and that slice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub field: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Evidence {
    /// Cuts `text[start..end]` as evidence for `field`; `None` when the range is empty or
    /// does not fall on character boundaries.
    pub fn cut(field: &str, text: &str, start: usize, end: usize) -> Option<Evidence> {
        let slice = text.get(start..end).filter(|s| !s.is_empty())?;
        Some(Evidence {
            field: field.to_string(),
            start,
            end,
            text: slice.to_string(),
        })
    }
}

/// One event record: ACLED's columns, then ours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Event {
    pub event_id_cnty: String,
    pub event_date: String,
    pub year: i32,
    pub time_precision: u8,
    pub disorder_type: String,
    pub event_type: String,
    pub sub_event_type: String,
    pub actor1: String,
    pub assoc_actor_1: String,
    pub inter1: String,
    pub actor2: String,
    pub assoc_actor_2: String,
    pub inter2: String,
    pub interaction: String,
    pub civilian_targeting: String,
    pub iso: u16,
    pub region: String,
    pub country: String,
    pub admin1: String,
    pub admin2: String,
    pub admin3: String,
    pub location: String,
    pub latitude: f64,
    pub longitude: f64,
    pub geo_precision: u8,
    pub source: String,
    pub source_scale: String,
    pub notes: String,
    pub fatalities: u32,
    pub tags: String,
    pub timestamp: i64,
    /// Id of the report the event was coded from.
    pub report: String,
    pub injuries: Option<u32>,
    pub arrests: Option<u32>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    pub confidence: f32,
}

/// A text cell as spreadsheet software may open it safely (OWASP's rule against CSV
/// formula injection): a value starting with `=`, `+`, `-`, `@`, a tab or a carriage return
/// is prefixed with `'`, so that it is shown as text instead of run as a formula.
/// [`spreadsheet_text`] undoes it.
pub fn spreadsheet_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The value of a cell [`spreadsheet_safe`] wrote.
pub fn spreadsheet_text(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

impl Event {
    /// The CSV row: ACLED's 31 columns in order, then [`EXTRA_COLUMNS`] (the incident's
    /// blank). Text cells are [`spreadsheet_safe`]; numbers are written as they are.
    pub fn csv_record(&self) -> Vec<String> {
        self.csv_record_with(None)
    }

    /// The CSV row of an incident (or, with `None`, of a per-report event).
    pub fn csv_record_with(&self, incident: Option<&Corroboration>) -> Vec<String> {
        let opt = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
        let mut row = vec![
            self.event_id_cnty.clone(),
            self.event_date.clone(),
            self.year.to_string(),
            self.time_precision.to_string(),
            self.disorder_type.clone(),
            self.event_type.clone(),
            self.sub_event_type.clone(),
            self.actor1.clone(),
            self.assoc_actor_1.clone(),
            self.inter1.clone(),
            self.actor2.clone(),
            self.assoc_actor_2.clone(),
            self.inter2.clone(),
            self.interaction.clone(),
            self.civilian_targeting.clone(),
            self.iso.to_string(),
            self.region.clone(),
            self.country.clone(),
            self.admin1.clone(),
            self.admin2.clone(),
            self.admin3.clone(),
            self.location.clone(),
            format!("{:.4}", self.latitude),
            format!("{:.4}", self.longitude),
            self.geo_precision.to_string(),
            self.source.clone(),
            self.source_scale.clone(),
            self.notes.clone(),
            self.fatalities.to_string(),
            self.tags.clone(),
            self.timestamp.to_string(),
            self.report.clone(),
            opt(self.injuries),
            opt(self.arrests),
            format!("{:.2}", self.confidence),
        ];
        row.extend(Corroboration::csv(incident));
        for i in TEXT_CELLS {
            if let Some(c) = row.get_mut(i) {
                *c = spreadsheet_safe(c);
            }
        }
        row
    }
}

/// Writes the cells of [`Event::csv_record_with`] (with ACLED's old actor-type numbers when
/// `inter_codes` asks) as one record of `w`, without a `String` per cell: the download's
/// hot path. `scratch` is reused between rows.
fn write_csv_record<W: Write>(
    w: &mut csv::Writer<W>,
    e: &Event,
    incident: Option<&Corroboration>,
    inter_codes: InterCodes,
    scratch: &mut String,
) -> csv::Result<()> {
    let mut int = itoa::Buffer::new();
    let mut text = |w: &mut csv::Writer<W>, s: &str| -> csv::Result<()> {
        if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            scratch.clear();
            scratch.push('\'');
            scratch.push_str(s);
            w.write_field(scratch.as_bytes())
        } else {
            w.write_field(s)
        }
    };
    let actor_type = |w: &mut csv::Writer<W>,
                      text: &mut dyn FnMut(&mut csv::Writer<W>, &str) -> csv::Result<()>,
                      s: &str,
                      code: fn(&str) -> Option<u8>|
     -> csv::Result<()> {
        match (inter_codes == InterCodes::Numbers)
            .then(|| code(s))
            .flatten()
        {
            Some(n) => w.write_field(itoa::Buffer::new().format(n)),
            None => text(w, s),
        }
    };
    text(w, &e.event_id_cnty)?;
    text(w, &e.event_date)?;
    w.write_field(int.format(e.year))?;
    w.write_field(int.format(e.time_precision))?;
    text(w, &e.disorder_type)?;
    text(w, &e.event_type)?;
    text(w, &e.sub_event_type)?;
    text(w, &e.actor1)?;
    text(w, &e.assoc_actor_1)?;
    actor_type(w, &mut text, &e.inter1, inter_code)?;
    text(w, &e.actor2)?;
    text(w, &e.assoc_actor_2)?;
    actor_type(w, &mut text, &e.inter2, inter_code)?;
    actor_type(w, &mut text, &e.interaction, interaction_code)?;
    text(w, &e.civilian_targeting)?;
    w.write_field(int.format(e.iso))?;
    text(w, &e.region)?;
    text(w, &e.country)?;
    text(w, &e.admin1)?;
    text(w, &e.admin2)?;
    text(w, &e.admin3)?;
    text(w, &e.location)?;
    let mut fixed = String::with_capacity(24);
    fixed_point(&mut fixed, e.latitude, 4);
    w.write_field(&fixed)?;
    fixed_point(&mut fixed, e.longitude, 4);
    w.write_field(&fixed)?;
    w.write_field(int.format(e.geo_precision))?;
    text(w, &e.source)?;
    text(w, &e.source_scale)?;
    text(w, &e.notes)?;
    w.write_field(int.format(e.fatalities))?;
    text(w, &e.tags)?;
    w.write_field(int.format(e.timestamp))?;
    text(w, &e.report)?;
    match e.injuries {
        Some(n) => w.write_field(int.format(n))?,
        None => w.write_field("")?,
    }
    match e.arrests {
        Some(n) => w.write_field(int.format(n))?,
        None => w.write_field("")?,
    }
    fixed_point(&mut fixed, f64::from(e.confidence), 2);
    w.write_field(&fixed)?;
    match incident {
        None => {
            for _ in 0..3 {
                w.write_field("")?;
            }
        }
        Some(c) => {
            w.write_field(int.format(c.source_count))?;
            text(w, &c.grade)?;
            fixed.clear();
            for (k, id) in c.event_ids.iter().enumerate() {
                if k > 0 {
                    fixed.push(' ');
                }
                fixed.push_str(int.format(*id));
            }
            w.write_field(&fixed)?;
        }
    }
    w.write_record(None::<&[u8]>)
}

/// `x` with `decimals` (at most 4) digits after the point, over `out`: the text of
/// `format!("{x:.decimals$}")` (the exact binary value rounded), without the formatter's
/// exact-decimal machinery when the product `x · 10^decimals` is far enough from a half
/// that its rounding error cannot change the result; otherwise through the formatter.
fn fixed_point(out: &mut String, x: f64, decimals: u32) {
    use std::fmt::Write as _;
    out.clear();
    let scale = 10u64.pow(decimals.min(4));
    let scaled = x.abs() * scale as f64;
    // Below 2^40 the product's error is under 2^-12, far below the margin of 1/1000.
    let whole = scaled.round();
    let margin = (scaled - scaled.trunc() - 0.5).abs();
    if x.is_finite() && x != 0.0 && scaled < (1u64 << 40) as f64 && margin > 1e-3 {
        let n = whole as u64;
        if x < 0.0 {
            out.push('-');
        }
        let mut int = itoa::Buffer::new();
        out.push_str(int.format(n / scale));
        if decimals > 0 {
            out.push('.');
            let frac = int.format(n % scale);
            for _ in frac.len()..decimals as usize {
                out.push('0');
            }
            out.push_str(frac);
        }
    } else {
        let _ = write!(out, "{x:.prec$}", prec = decimals as usize);
    }
}

/// The positions of text (not number) cells in [`Event::csv_record`].
const TEXT_CELLS: [usize; 25] = [
    0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20, 21, 25, 26, 27, 29, 31, 36,
];

impl Event {
    /// The GeoJSON Feature: a point, with every field but the coordinates as properties.
    pub fn geojson_feature(&self) -> serde_json::Value {
        self.geojson_feature_with(None)
    }

    /// The GeoJSON Feature of an incident (or, with `None`, of a per-report event).
    pub fn geojson_feature_with(&self, incident: Option<&Corroboration>) -> serde_json::Value {
        let mut props = serde_json::to_value(Row {
            event: self,
            incident,
        })
        .unwrap_or_default();
        if let Some(map) = props.as_object_mut() {
            map.remove("evidence");
        }
        serde_json::json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round4(self.longitude), round4(self.latitude)]},
            "properties": props,
        })
    }
}

/// What a published GeoJSON Feature carries beside its record: the incident's id (for
/// links to its page), the record without `report` (it leads to the reporter), and a
/// Persian page's place name and Solar Hijri date.
#[derive(Debug, Clone, Copy, Default)]
pub struct FeatureExtras<'a> {
    pub id: Option<i64>,
    pub without_report: bool,
    pub location_fa: Option<&'a str>,
    pub date_fa: Option<&'a str>,
}

/// A Feature serialised straight from borrowed fields, in the order a JSON tree of
/// [`Event::geojson_feature_with`] writes them (its keys sorted): the same bytes without
/// building the tree, for the whole downloads.
#[derive(Serialize)]
struct FeatureOut<'a> {
    geometry: PointOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<i64>,
    properties: PropertiesOut<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct PointOut {
    coordinates: [f64; 2],
    #[serde(rename = "type")]
    kind: &'static str,
}

/// An event's properties in sorted key order (see [`FeatureOut`]); `confidence` is widened
/// to `f64` as a JSON tree holds it.
#[derive(Serialize)]
struct PropertiesOut<'a> {
    actor1: &'a str,
    actor2: &'a str,
    admin1: &'a str,
    admin2: &'a str,
    admin3: &'a str,
    arrests: Option<u32>,
    assoc_actor_1: &'a str,
    assoc_actor_2: &'a str,
    civilian_targeting: &'a str,
    confidence: f64,
    country: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_fa: Option<&'a str>,
    disorder_type: &'a str,
    event_date: &'a str,
    event_id_cnty: &'a str,
    #[serde(skip_serializing_if = "<[i64]>::is_empty")]
    event_ids: &'a [i64],
    event_type: &'a str,
    fatalities: u32,
    geo_precision: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    grade: Option<&'a str>,
    injuries: Option<u32>,
    inter1: &'a str,
    inter2: &'a str,
    interaction: &'a str,
    iso: u16,
    latitude: f64,
    location: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location_fa: Option<&'a str>,
    longitude: f64,
    notes: &'a str,
    region: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a str>,
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_count: Option<u64>,
    source_scale: &'a str,
    sub_event_type: &'a str,
    tags: &'a str,
    time_precision: u8,
    timestamp: i64,
    year: i32,
}

impl Event {
    /// Writes the GeoJSON Feature of an incident (or, with `None`, of a per-report event) with
    /// `extras`: the bytes of [`Event::geojson_feature_with`] (with `id` added and `report`
    /// removed as `extras` say), streamed without a JSON tree.
    pub fn write_geojson_feature(
        &self,
        incident: Option<&Corroboration>,
        extras: &FeatureExtras,
        out: impl Write,
    ) -> io::Result<()> {
        let f = FeatureOut {
            geometry: PointOut {
                coordinates: [round4(self.longitude), round4(self.latitude)],
                kind: "Point",
            },
            id: extras.id,
            properties: PropertiesOut {
                actor1: &self.actor1,
                actor2: &self.actor2,
                admin1: &self.admin1,
                admin2: &self.admin2,
                admin3: &self.admin3,
                arrests: self.arrests,
                assoc_actor_1: &self.assoc_actor_1,
                assoc_actor_2: &self.assoc_actor_2,
                civilian_targeting: &self.civilian_targeting,
                confidence: f64::from(self.confidence),
                country: &self.country,
                date_fa: extras.date_fa,
                disorder_type: &self.disorder_type,
                event_date: &self.event_date,
                event_id_cnty: &self.event_id_cnty,
                event_ids: incident.map(|c| c.event_ids.as_slice()).unwrap_or(&[]),
                event_type: &self.event_type,
                fatalities: self.fatalities,
                geo_precision: self.geo_precision,
                grade: incident.map(|c| c.grade.as_str()),
                injuries: self.injuries,
                inter1: &self.inter1,
                inter2: &self.inter2,
                interaction: &self.interaction,
                iso: self.iso,
                latitude: self.latitude,
                location: &self.location,
                location_fa: extras.location_fa,
                longitude: self.longitude,
                notes: &self.notes,
                region: &self.region,
                report: (!extras.without_report).then_some(self.report.as_str()),
                source: &self.source,
                source_count: incident.map(|c| c.source_count),
                source_scale: &self.source_scale,
                sub_event_type: &self.sub_event_type,
                tags: &self.tags,
                time_precision: self.time_precision,
                timestamp: self.timestamp,
                year: self.year,
            },
            kind: "Feature",
        };
        serde_json::to_writer(out, &f).map_err(io::Error::from)
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Output formats of event lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
    GeoJson,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "csv" => Ok(Format::Csv),
            "jsonl" | "json" => Ok(Format::Jsonl),
            "geojson" => Ok(Format::GeoJson),
            other => Err(format!(
                "unknown format {other:?}: expected csv, jsonl or geojson"
            )),
        }
    }
}

/// Streams events in one format: the header (or GeoJSON's opening) on creation, one record a
/// call, the closing on [`EventWriter::finish`]. Memory stays constant in the number of events.
pub struct EventWriter<W: Write> {
    format: Format,
    out: Option<csv::Writer<W>>,
    raw: Option<W>,
    first: bool,
    inter_codes: InterCodes,
    scratch: String,
}

impl<W: Write> EventWriter<W> {
    pub fn new(format: Format, mut out: W) -> io::Result<Self> {
        match format {
            Format::Csv => {
                let mut w = csv::Writer::from_writer(out);
                let header: Vec<&str> = ACLED_COLUMNS
                    .iter()
                    .chain(EXTRA_COLUMNS.iter())
                    .copied()
                    .collect();
                w.write_record(&header)?;
                Ok(EventWriter {
                    format,
                    out: Some(w),
                    raw: None,
                    first: true,
                    inter_codes: InterCodes::Text,
                    scratch: String::new(),
                })
            }
            Format::Jsonl => Ok(EventWriter {
                format,
                out: None,
                raw: Some(out),
                first: true,
                inter_codes: InterCodes::Text,
                scratch: String::new(),
            }),
            Format::GeoJson => {
                out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
                Ok(EventWriter {
                    format,
                    out: None,
                    raw: Some(out),
                    first: true,
                    inter_codes: InterCodes::Text,
                    scratch: String::new(),
                })
            }
        }
    }

    /// Writes the actor-type columns of CSV rows as text (the default) or as ACLED's old
    /// numbers; a text that has no number (not one of [`INTER_NAMES`]) is written as it is.
    /// JSON lines and GeoJSON always carry the text.
    pub fn with_inter_codes(mut self, inter_codes: InterCodes) -> Self {
        self.inter_codes = inter_codes;
        self
    }

    pub fn write(&mut self, event: &Event) -> io::Result<()> {
        self.write_with(event, None)
    }

    /// Writes an incident row: the event record and its [`Corroboration`].
    pub fn write_with(
        &mut self,
        event: &Event,
        incident: Option<&Corroboration>,
    ) -> io::Result<()> {
        match (self.format, &mut self.out, &mut self.raw) {
            (Format::Csv, Some(w), _) => {
                write_csv_record(w, event, incident, self.inter_codes, &mut self.scratch)?
            }
            (Format::Jsonl, _, Some(w)) => {
                serde_json::to_writer(&mut *w, &Row { event, incident })?;
                w.write_all(b"\n")?;
            }
            (Format::GeoJson, _, Some(w)) => {
                if !self.first {
                    w.write_all(b",\n")?;
                }
                event.write_geojson_feature(incident, &FeatureExtras::default(), &mut *w)?;
            }
            _ => unreachable!("writer built for its format"),
        }
        self.first = false;
        Ok(())
    }

    /// Writes an incident's GeoJSON Feature with `extras` (its id, without `report`, …); a
    /// writer of another format refuses it.
    pub fn write_feature(
        &mut self,
        event: &Event,
        incident: Option<&Corroboration>,
        extras: &FeatureExtras,
    ) -> io::Result<()> {
        let (Format::GeoJson, Some(w)) = (self.format, &mut self.raw) else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a Feature is written to a GeoJSON writer only",
            ));
        };
        if !self.first {
            w.write_all(b",\n")?;
        }
        event.write_geojson_feature(incident, extras, &mut *w)?;
        self.first = false;
        Ok(())
    }

    /// Writes the closing and flushes; returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(w) = self.out.take() {
            return w.into_inner().map_err(|e| e.into_error());
        }
        let mut w = self.raw.take().expect("writer built for its format");
        if self.format == Format::GeoJson {
            w.write_all(b"\n]}\n")?;
        }
        w.flush()?;
        Ok(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actor_types_are_written_as_acleds_old_numbers_on_request() {
        let e = Event {
            inter1: "Protesters".into(),
            inter2: "State forces".into(),
            interaction: "State forces-Protesters".into(),
            ..Default::default()
        };
        let alone = Event {
            inter1: "Rioters".into(),
            interaction: "Rioters only".into(),
            ..Default::default()
        };
        let odd = Event {
            inter1: "Students".into(),
            interaction: "Students-Police".into(),
            ..Default::default()
        };
        let cells = |inter_codes| {
            let mut w = EventWriter::new(Format::Csv, Vec::new())
                .unwrap()
                .with_inter_codes(inter_codes);
            for e in [&e, &alone, &odd] {
                w.write(e).unwrap();
            }
            let out = String::from_utf8(w.finish().unwrap()).unwrap();
            let mut r = csv::Reader::from_reader(out.as_bytes());
            r.records()
                .map(|r| {
                    let r = r.unwrap();
                    [9, 12, 13].map(|i| r[i].to_string()).join(",")
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            cells(InterCodes::Numbers),
            ["6,1,16", "5,0,50", "Students,0,Students-Police"]
        );
        assert_eq!(
            cells(InterCodes::Text),
            [
                "Protesters,State forces,State forces-Protesters",
                "Rioters,,Rioters only",
                "Students,,Students-Police"
            ]
        );
        assert_eq!(ACLED_COLUMNS[9], "inter1");
        assert_eq!(ACLED_COLUMNS[13], "interaction");
    }

    #[test]
    fn formula_like_text_cells_are_escaped_for_spreadsheets() {
        let e = Event {
            notes: "=HYPERLINK(\"http://x\")".into(),
            actor2: "+1".into(),
            location: "-2".into(),
            assoc_actor_1: "@SUM(A1)".into(),
            tags: "\tx".into(),
            admin1: "Tehran".into(),
            latitude: -1.5,
            ..Default::default()
        };
        let cells = e.csv_record();
        assert_eq!(cells[27], "'=HYPERLINK(\"http://x\")");
        assert_eq!(cells[10], "'+1");
        assert_eq!(cells[21], "'-2");
        assert_eq!(cells[8], "'@SUM(A1)");
        assert_eq!(cells[29], "'\tx");
        assert_eq!(cells[18], "Tehran");
        assert_eq!(cells[22], "-1.5000", "numbers are not text");
        assert_eq!(spreadsheet_text(&cells[27]), e.notes);
        assert_eq!(spreadsheet_text("'quoted"), "'quoted");
    }

    #[test]
    fn csv_header_is_acled_then_ours() {
        let w = EventWriter::new(Format::Csv, Vec::new()).unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        let first = out.lines().next().unwrap();
        assert!(first.starts_with(&ACLED_COLUMNS.join(",")));
        assert!(first.ends_with(",report,injuries,arrests,confidence,source_count,grade,event_ids"));
    }

    #[test]
    fn geojson_is_a_feature_collection_of_points() {
        let mut w = EventWriter::new(Format::GeoJson, Vec::new()).unwrap();
        let e = Event {
            latitude: 35.7,
            longitude: 51.4,
            ..Default::default()
        };
        w.write(&e).unwrap();
        w.write(&e).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&w.finish().unwrap()).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["features"].as_array().unwrap().len(), 2);
        assert_eq!(v["features"][0]["geometry"]["coordinates"][0], 51.4);
    }

    /// Events of every shape a cell can take: quotes, line breaks, control characters,
    /// Persian, formula-like text, missing and present counts, odd numbers.
    fn varied_events() -> Vec<(Event, Option<Corroboration>)> {
        let full = Event {
            event_id_cnty: "IRN-U7".into(),
            event_date: "2022-10-12".into(),
            year: 2022,
            time_precision: 1,
            disorder_type: "Demonstrations".into(),
            event_type: "Protests".into(),
            sub_event_type: "Peaceful protest".into(),
            actor1: "Protesters (Iran)".into(),
            assoc_actor_1: "@Students, \"night\" shift".into(),
            inter1: "Protesters".into(),
            actor2: "-Police".into(),
            assoc_actor_2: "line\nbreak\r\nand\ttab".into(),
            inter2: "State forces".into(),
            interaction: "State forces-Protesters".into(),
            civilian_targeting: "Civilian targeting".into(),
            iso: 364,
            region: "Middle East".into(),
            country: "Iran".into(),
            admin1: "تهران".into(),
            admin2: "=cmd|' /C calc'!A0".into(),
            admin3: "\u{1}\u{1f}\u{7f}".into(),
            location: "میدان انقلاب\u{200c}ها".into(),
            latitude: 35.700_05,
            longitude: -51.123_456_789,
            geo_precision: 2,
            source: "a;b".into(),
            source_scale: "+Local".into(),
            notes: "On 12 October, \"hundreds\" chanted; \\ backslash".into(),
            fatalities: 3,
            tags: "crowd size=hundreds".into(),
            timestamp: 1_665_532_800,
            report: "r-1".into(),
            injuries: Some(0),
            arrests: Some(12),
            evidence: vec![Evidence {
                field: "location".into(),
                start: 0,
                end: 1,
                text: "x".into(),
            }],
            confidence: 0.9,
        };
        let odd = Event {
            latitude: f64::NAN,
            longitude: 0.000_05,
            confidence: 1.0 / 3.0,
            year: -1,
            timestamp: i64::MIN,
            ..Default::default()
        };
        let sources = Corroboration {
            source_count: 2,
            grade: "-B2".into(),
            event_ids: vec![4, 19, 7],
        };
        let public = Corroboration {
            source_count: 1,
            grade: String::new(),
            event_ids: Vec::new(),
        };
        vec![
            (full.clone(), None),
            (full.clone(), Some(sources)),
            (full, Some(public.clone())),
            (odd.clone(), None),
            (odd, Some(public)),
            (Event::default(), None),
        ]
    }

    #[test]
    fn csv_rows_written_cell_by_cell_are_the_record_cells() {
        for inter_codes in [InterCodes::Text, InterCodes::Numbers] {
            for (e, c) in varied_events() {
                let mut cells = e.csv_record_with(c.as_ref());
                if inter_codes == InterCodes::Numbers {
                    let codes = [
                        (9, inter_code(&e.inter1)),
                        (12, inter_code(&e.inter2)),
                        (13, interaction_code(&e.interaction)),
                    ];
                    for (i, code) in codes {
                        if let Some(code) = code {
                            cells[i] = code.to_string();
                        }
                    }
                }
                let mut want = csv::Writer::from_writer(Vec::new());
                want.write_record(&cells).unwrap();
                let mut got = csv::Writer::from_writer(Vec::new());
                write_csv_record(&mut got, &e, c.as_ref(), inter_codes, &mut String::new())
                    .unwrap();
                assert_eq!(
                    String::from_utf8(got.into_inner().unwrap()).unwrap(),
                    String::from_utf8(want.into_inner().unwrap()).unwrap()
                );
            }
        }
    }

    #[test]
    fn geojson_features_streamed_are_the_bytes_of_their_json_tree() {
        for (e, c) in varied_events() {
            for extras in [
                FeatureExtras::default(),
                FeatureExtras {
                    id: Some(42),
                    without_report: true,
                    ..Default::default()
                },
                FeatureExtras {
                    id: Some(-3),
                    without_report: true,
                    location_fa: Some("تهران \"مرکز\""),
                    date_fa: Some("۱۴۰۱-۰۷-۲۰"),
                },
            ] {
                let mut tree = e.geojson_feature_with(c.as_ref());
                if let Some(id) = extras.id {
                    tree["id"] = id.into();
                }
                let p = tree["properties"].as_object_mut().unwrap();
                if extras.without_report {
                    p.remove("report");
                }
                if let Some(l) = extras.location_fa {
                    p.insert("location_fa".into(), l.into());
                }
                if let Some(d) = extras.date_fa {
                    p.insert("date_fa".into(), d.into());
                }
                let mut got = Vec::new();
                e.write_geojson_feature(c.as_ref(), &extras, &mut got)
                    .unwrap();
                assert_eq!(String::from_utf8(got).unwrap(), tree.to_string());
            }
        }
    }

    #[test]
    fn fixed_point_numbers_are_the_formatters_text() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut values = vec![
            0.0,
            -0.0,
            0.000_05,
            -0.000_05,
            0.000_049_999,
            0.03125,
            -0.03125,
            0.125,
            0.005,
            0.015,
            0.995,
            1.0 / 3.0,
            35.700_05,
            51.4215,
            -180.0,
            1e12,
            -1e15,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            f64::from(0.9f32),
            f64::from(0.8f32),
        ];
        for _ in 0..20_000 {
            let bits = next();
            // Coordinates, confidences, and odd values from every part of the range.
            values.push((bits % 3_600_000_000) as f64 / 1e7 - 180.0);
            values.push(f64::from((bits % 1001) as f32 / 1000.0));
            values.push((bits % 2_000_001) as f64 / 20_000.0 - 50.0);
            values.push(f64::from_bits(bits));
        }
        let mut out = String::new();
        for x in values {
            for decimals in [2, 4] {
                fixed_point(&mut out, x, decimals);
                assert_eq!(
                    out,
                    format!("{x:.prec$}", prec = decimals as usize),
                    "{x:e}"
                );
            }
        }
    }

    #[test]
    fn a_feature_is_refused_by_a_writer_of_another_format() {
        let mut w = EventWriter::new(Format::Csv, Vec::new()).unwrap();
        let e = Event::default();
        assert!(w
            .write_feature(&e, None, &FeatureExtras::default())
            .is_err());
    }

    #[test]
    fn evidence_cut_refuses_ranges_off_char_boundaries() {
        let t = "در تهران";
        assert!(Evidence::cut("location", t, 1, 3).is_none());
        assert_eq!(Evidence::cut("location", t, 5, 15).unwrap().text, "تهران");
    }
}
