//! The shapes every other crate agrees on: a [`Report`] as it arrives, an [`Event`] as the
//! coder or an analyst writes it, and the writers for the exchange formats researchers load
//! (ACLED CSV, JSON lines, GeoJSON).
//!
//! This crate knows nothing of how events are found, stored or served.

use serde::{Deserialize, Serialize};
use std::io::{self, Write};

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
                })
            }
            Format::Jsonl => Ok(EventWriter {
                format,
                out: None,
                raw: Some(out),
                first: true,
            }),
            Format::GeoJson => {
                out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
                Ok(EventWriter {
                    format,
                    out: None,
                    raw: Some(out),
                    first: true,
                })
            }
        }
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
            (Format::Csv, Some(w), _) => w.write_record(event.csv_record_with(incident))?,
            (Format::Jsonl, _, Some(w)) => {
                serde_json::to_writer(&mut *w, &Row { event, incident })?;
                w.write_all(b"\n")?;
            }
            (Format::GeoJson, _, Some(w)) => {
                if !self.first {
                    w.write_all(b",\n")?;
                }
                serde_json::to_writer(&mut *w, &event.geojson_feature_with(incident))?;
            }
            _ => unreachable!("writer built for its format"),
        }
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

    #[test]
    fn evidence_cut_refuses_ranges_off_char_boundaries() {
        let t = "در تهران";
        assert!(Evidence::cut("location", t, 1, 3).is_none());
        assert_eq!(Evidence::cut("location", t, 5, 15).unwrap().text, "تهران");
    }
}
