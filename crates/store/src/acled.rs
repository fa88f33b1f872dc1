//! Reading ACLED CSV files into event records, so existing ACLED data and our own events
//! live in one dataset.
//!
//! Columns are found by header name, so extra columns (`iso3`, `event_id_no_cnty`, …) and
//! missing optional ones do not matter, and a file we exported ourselves (ACLED's columns
//! then `report, injuries, arrests, confidence`) reads back too. Both generations of the
//! actor-type columns are read: the current text ("State forces", "State forces-Protesters")
//! and the older numbers (`inter1` 1–8, `interaction` 16); numbers become the text.
//!
//! Event types are read into ACLED's current codebook ([`CODEBOOK`]): the names of older
//! files ([`LEGACY_TYPES`]: `Riots/Protests`, `Strategic development`, `Battle-No change of
//! territory`, `Remote violence`…) are mapped to today's type and sub-type where the row
//! says enough (`Riots/Protests` by its first actor's type), and a blank `disorder_type` is
//! derived from the type, as ACLED derives it. A type the codebook does not know, or a
//! legacy one the row cannot place, is refused by name.
//!
//! A row that cannot be read is an `Err` naming its line and the reason; the reader goes on
//! with the next row. This module parses only: it knows nothing of the database.

use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use unrest_model::Event;

pub use unrest_model::INTER_NAMES;

/// ACLED's current codebook (2019 on): each event type with its sub-event types and the
/// disorder type each one belongs to.
pub const CODEBOOK: [(&str, &[(&str, &str)]); 6] = [
    (
        "Battles",
        &[
            ("Armed clash", "Political violence"),
            ("Government regains territory", "Political violence"),
            ("Non-state actor overtakes territory", "Political violence"),
        ],
    ),
    (
        "Explosions/Remote violence",
        &[
            ("Chemical weapon", "Political violence"),
            ("Air/drone strike", "Political violence"),
            ("Suicide bomb", "Political violence"),
            ("Shelling/artillery/missile attack", "Political violence"),
            ("Remote explosive/landmine/IED", "Political violence"),
            ("Grenade", "Political violence"),
        ],
    ),
    (
        "Violence against civilians",
        &[
            ("Sexual violence", "Political violence"),
            ("Attack", "Political violence"),
            ("Abduction/forced disappearance", "Political violence"),
        ],
    ),
    (
        "Protests",
        &[
            ("Peaceful protest", "Demonstrations"),
            ("Protest with intervention", "Demonstrations"),
            (
                "Excessive force against protesters",
                "Political violence; Demonstrations",
            ),
        ],
    ),
    (
        "Riots",
        &[
            ("Violent demonstration", "Demonstrations"),
            ("Mob violence", "Political violence"),
        ],
    ),
    (
        "Strategic developments",
        &[
            ("Agreement", "Strategic developments"),
            ("Arrests", "Strategic developments"),
            ("Change to group/activity", "Strategic developments"),
            ("Disrupted weapons use", "Strategic developments"),
            ("Headquarters or base established", "Strategic developments"),
            ("Looting/property destruction", "Strategic developments"),
            (
                "Non-violent transfer of territory",
                "Strategic developments",
            ),
            ("Other", "Strategic developments"),
        ],
    ),
];

/// Event types of ACLED's files before 2019, with the current type and sub-type each one
/// became. An empty sub-type means the old name does not say it: the row's own
/// `sub_event_type` must, or (for `Riots/Protests`) its first actor's type.
pub const LEGACY_TYPES: [(&str, &str, &str); 10] = [
    ("Riots/Protests", "", ""),
    ("Battle-No change of territory", "Battles", "Armed clash"),
    (
        "Battle-Government regains territory",
        "Battles",
        "Government regains territory",
    ),
    (
        "Battle-Non-state actor overtakes territory",
        "Battles",
        "Non-state actor overtakes territory",
    ),
    ("Remote violence", "Explosions/Remote violence", ""),
    (
        "Violence against civilians",
        "Violence against civilians",
        "",
    ),
    ("Strategic development", "Strategic developments", "Other"),
    (
        "Headquarters or base established",
        "Strategic developments",
        "Headquarters or base established",
    ),
    (
        "Non-violent transfer of territory",
        "Strategic developments",
        "Non-violent transfer of territory",
    ),
    ("Non-violent activity", "Strategic developments", "Other"),
];

/// An event's type, sub-type and disorder type in the current codebook, from a row's
/// `event_type`, `sub_event_type`, first and second actor types (as text) and fatalities.
/// Names are matched without regard to case or spacing and written as the codebook spells
/// them. Refuses, naming it, a type it cannot place.
pub fn codebook_type(
    event_type: &str,
    sub_event_type: &str,
    inter1: &str,
    inter2: &str,
    fatalities: u32,
) -> Result<(&'static str, &'static str, &'static str), String> {
    let key = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let (t, s) = (key(event_type), key(sub_event_type));
    let in_codebook = |t: &str, s: &str| -> Option<(&'static str, &'static str, &'static str)> {
        let (name, subs) = CODEBOOK.iter().find(|(name, _)| key(name) == t)?;
        let (sub, disorder) = subs.iter().find(|(sub, _)| key(sub) == s)?;
        Some((name, sub, disorder))
    };
    if let Some(found) = in_codebook(&t, &s) {
        return Ok(found);
    }
    let current = CODEBOOK.iter().find(|(name, _)| key(name) == t);
    let legacy = LEGACY_TYPES.iter().find(|(old, _, _)| key(old) == t);
    match (current, legacy) {
        (_, Some((old, "", ""))) => {
            // Riots/Protests: the first actor says which.
            let (new, sub) = match key(inter1).as_str() {
                "protesters" if inter2.trim().is_empty() => ("protests", "peaceful protest"),
                "protesters" if fatalities > 0 && key(inter2) == "state forces" => {
                    ("protests", "excessive force against protesters")
                }
                "protesters" => ("protests", "protest with intervention"),
                "rioters" => ("riots", "violent demonstration"),
                _ => {
                    return Err(format!(
                        "event_type {old:?} is ACLED's old name for protests and riots; its                          first actor type {inter1:?} does not say which (Protesters or Rioters)"
                    ))
                }
            };
            in_codebook(new, sub).ok_or_else(|| format!("event_type {old:?} is not mapped"))
        }
        (_, Some((old, new, sub))) => {
            let sub = if sub.is_empty() { s.clone() } else { key(sub) };
            in_codebook(&key(new), &sub).ok_or_else(|| {
                format!(
                    "event_type {old:?} is ACLED's old name for {new:?}, whose sub-event types                      do not include {sub_event_type:?}"
                )
            })
        }
        (Some((name, subs)), None) => Err(format!(
            "sub_event_type {sub_event_type:?} is not one of {name:?}'s in ACLED's codebook ({})",
            subs.iter().map(|(s, _)| *s).collect::<Vec<_>>().join(", ")
        )),
        (None, None) => Err(format!(
            "event_type {event_type:?} is not in ACLED's codebook ({})",
            CODEBOOK
                .iter()
                .map(|(t, _)| *t)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// A row that could not be read: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based line in the file where the row starts.
    pub line: u64,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// The file cannot be read as ACLED at all (its header lacks a column every row needs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderError(pub String);

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HeaderError {}

/// The columns without which a row is not an event we can place.
const REQUIRED: [&str; 4] = ["event_date", "event_type", "latitude", "longitude"];

/// Streams the rows of an ACLED CSV as events.
pub struct Reader<R: Read> {
    csv: csv::Reader<R>,
    columns: HashMap<String, usize>,
    record: csv::StringRecord,
}

/// Reads the header of `input` and returns the row reader.
pub fn read<R: Read>(input: R) -> Result<Reader<R>, HeaderError> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(input);
    let header = csv
        .headers()
        .map_err(|e| HeaderError(format!("cannot read the CSV header: {e}")))?;
    let columns: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim_start_matches('\u{feff}').trim().to_lowercase(), i))
        .collect();
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !columns.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(HeaderError(format!(
            "not an ACLED file: the header has no {} column{}",
            missing.join(", "),
            if missing.len() > 1 { "s" } else { "" }
        )));
    }
    Ok(Reader {
        csv,
        columns,
        record: csv::StringRecord::new(),
    })
}

impl<R: Read> Iterator for Reader<R> {
    type Item = Result<Event, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.csv.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                Some(self.event().map_err(|reason| RowError { line, reason }))
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let reason = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8".to_string(),
                    _ => e.to_string(),
                };
                Some(Err(RowError { line, reason }))
            }
        }
    }
}

impl<R: Read> Reader<R> {
    fn get(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|&i| self.record.get(i))
            .map_or("", str::trim)
    }

    fn parse<T: std::str::FromStr>(&self, column: &str) -> Result<Option<T>, String> {
        let v = self.get(column);
        if v.is_empty() {
            return Ok(None);
        }
        v.parse()
            .map(Some)
            .map_err(|_| format!("{column} {v:?} is not a valid number"))
    }

    fn event(&self) -> Result<Event, String> {
        for c in REQUIRED {
            if self.get(c).is_empty() {
                return Err(format!("{c} is empty"));
            }
        }
        let date = parse_date(self.get("event_date"))?;
        let latitude: f64 = self.parse("latitude")?.unwrap_or_default();
        let longitude: f64 = self.parse("longitude")?.unwrap_or_default();
        if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude) {
            return Err(format!(
                "coordinates {latitude},{longitude} are outside the globe"
            ));
        }
        let precision = |column: &str| -> Result<u8, String> {
            match self.parse::<u8>(column)? {
                None => Ok(1),
                Some(p @ 1..=3) => Ok(p),
                Some(p) => Err(format!("{column} {p} is not 1, 2 or 3")),
            }
        };
        // Our own CSV escapes formula-like cells (see `spreadsheet_safe`): read them back.
        let text = |column: &str| unrest_model::spreadsheet_text(self.get(column)).to_string();
        let (inter1, inter2) = (inter(self.get("inter1"))?, inter(self.get("inter2"))?);
        let fatalities = self.parse("fatalities")?.unwrap_or(0);
        let (event_type, sub_event_type, disorder) = codebook_type(
            &text("event_type"),
            &text("sub_event_type"),
            &inter1,
            &inter2,
            fatalities,
        )?;
        let disorder_type = match text("disorder_type") {
            d if d.trim().is_empty() => disorder.to_string(),
            d => d,
        };
        Ok(Event {
            event_id_cnty: text("event_id_cnty"),
            event_date: date.format("%Y-%m-%d").to_string(),
            year: match self.parse::<i32>("year")? {
                Some(y) if y != date.year() => {
                    return Err(format!(
                        "year {y} disagrees with event_date {:?} ({})",
                        self.get("event_date"),
                        date.year()
                    ))
                }
                _ => date.year(),
            },
            time_precision: precision("time_precision")?,
            disorder_type,
            event_type: event_type.to_string(),
            sub_event_type: sub_event_type.to_string(),
            actor1: text("actor1"),
            assoc_actor_1: text("assoc_actor_1"),
            inter1,
            actor2: text("actor2"),
            assoc_actor_2: text("assoc_actor_2"),
            inter2,
            interaction: interaction(self.get("interaction"))?,
            civilian_targeting: text("civilian_targeting"),
            iso: self.parse("iso")?.unwrap_or(0),
            region: text("region"),
            country: text("country"),
            admin1: text("admin1"),
            admin2: text("admin2"),
            admin3: text("admin3"),
            location: text("location"),
            latitude,
            longitude,
            geo_precision: precision("geo_precision")?,
            source: text("source"),
            source_scale: text("source_scale"),
            notes: text("notes"),
            fatalities,
            tags: text("tags"),
            timestamp: self.parse("timestamp")?.unwrap_or(0),
            report: text("report"),
            injuries: self.parse("injuries")?,
            arrests: self.parse("arrests")?,
            evidence: Vec::new(),
            // A curated dataset: its events are as sure as ours get.
            confidence: self.parse("confidence")?.unwrap_or(1.0),
        })
    }
}

/// ACLED has written dates as `2020-05-09`, `09 May 2020`, `9-May-20` (its exports opened
/// in a spreadsheet), `09-May-2020` and `May 9, 2020`. A two-digit year is 19xx from 70 on,
/// else 20xx (ACLED's data begins in 1997). Anything else is refused: a date read wrong
/// (year 20 for 2020) is worse than a row refused by line.
fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let bad =
        || format!("event_date {s:?} is not a date (expected 2020-05-09, 09 May 2020 or 9-May-20)");
    let parts: Vec<&str> = s.split([' ', '-', ',']).filter(|p| !p.is_empty()).collect();
    let [a, b, c] = parts[..] else {
        return Err(bad());
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let (year, month, day) = if a.len() == 4 && digits(a) && digits(b) && digits(c) {
        (a, b.parse().map_err(|_| bad())?, c)
    } else if digits(a) {
        (c, month_number(b).ok_or_else(bad)?, a)
    } else {
        (c, month_number(a).ok_or_else(bad)?, b)
    };
    if !digits(day) || !digits(year) {
        return Err(bad());
    }
    let n: i32 = year.parse().map_err(|_| bad())?;
    let year = match year.len() {
        4 => n,
        2 if n >= 70 => 1900 + n,
        2 => 2000 + n,
        _ => return Err(bad()),
    };
    NaiveDate::from_ymd_opt(year, month, day.parse().map_err(|_| bad())?).ok_or_else(bad)
}

/// `May`, `may`, `Sep`, `Sept`, `September` → the month's number.
fn month_number(m: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let m = m.to_ascii_lowercase();
    if m.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|full| full.starts_with(&m))
        .map(|i| i as u32 + 1)
}

fn inter_name(code: u32) -> Result<&'static str, String> {
    INTER_NAMES
        .get(code as usize)
        .copied()
        .ok_or_else(|| format!("actor type code {code} is not an ACLED code (0-8)"))
}

/// An `inter1`/`inter2` value as text: numbers mapped, text kept.
pub fn inter(s: &str) -> Result<String, String> {
    match s.parse::<u32>() {
        Ok(code) => inter_name(code).map(str::to_string),
        Err(_) => Ok(s.to_string()),
    }
}

/// An `interaction` value as text: `16` → `State forces-Protesters`, `60` →
/// `Protesters only`; text kept.
pub fn interaction(s: &str) -> Result<String, String> {
    let Ok(code) = s.parse::<u32>() else {
        return Ok(s.to_string());
    };
    if !(10..=88).contains(&code) {
        return Err(format!(
            "interaction {code} is not an ACLED code (two digits 1-8, the second may be 0)"
        ));
    }
    let (a, b) = (inter_name(code / 10)?, inter_name(code % 10)?);
    Ok(if b.is_empty() {
        format!("{a} only")
    } else {
        format!("{a}-{b}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_actor_types_become_the_current_text() {
        assert_eq!(inter("1").unwrap(), "State forces");
        assert_eq!(inter("6").unwrap(), "Protesters");
        assert_eq!(inter("0").unwrap(), "");
        assert_eq!(inter("Protesters").unwrap(), "Protesters");
        assert_eq!(interaction("16").unwrap(), "State forces-Protesters");
        assert_eq!(interaction("60").unwrap(), "Protesters only");
        assert_eq!(interaction("57").unwrap(), "Rioters-Civilians");
        assert!(interaction("96").is_err());
        assert!(inter("9").is_err());
    }

    #[test]
    fn older_date_spellings_are_read() {
        let d = NaiveDate::from_ymd_opt(2022, 10, 16).unwrap();
        assert_eq!(parse_date("2022-10-16").unwrap(), d);
        assert_eq!(parse_date("16 October 2022").unwrap(), d);
        assert_eq!(parse_date("16-October-2022").unwrap(), d);
        assert!(parse_date("16/10/2022").is_err());
    }

    #[test]
    fn acleds_date_forms_are_read_with_the_right_century() {
        let d = NaiveDate::from_ymd_opt(2020, 5, 9).unwrap();
        for s in [
            "9-May-20",
            "09 May 2020",
            "2020-05-09",
            "09-May-2020",
            "May 9, 2020",
        ] {
            assert_eq!(parse_date(s).unwrap(), d, "{s}");
        }
        assert_eq!(parse_date("1-Jan-97").unwrap().year(), 1997);
        for s in ["9-Mai-20", "31-Feb-20", "9 May", "9-May-020", "20200509"] {
            assert!(parse_date(s).is_err(), "{s}");
        }
    }

    #[test]
    fn legacy_acled_types_are_mapped_to_the_current_codebook_or_named() {
        let t = |e: &str, s: &str, i1: &str, i2: &str, f: u32| codebook_type(e, s, i1, i2, f);
        assert_eq!(
            t("Riots/Protests", "", "Protesters", "", 0).unwrap(),
            ("Protests", "Peaceful protest", "Demonstrations")
        );
        assert_eq!(
            t("Riots/Protests", "", "Protesters", "State forces", 0).unwrap(),
            ("Protests", "Protest with intervention", "Demonstrations")
        );
        assert_eq!(
            t("Riots/Protests", "", "Protesters", "State forces", 2).unwrap(),
            (
                "Protests",
                "Excessive force against protesters",
                "Political violence; Demonstrations"
            )
        );
        assert_eq!(
            t("riots/protests", "", "Rioters", "", 0).unwrap(),
            ("Riots", "Violent demonstration", "Demonstrations")
        );
        assert_eq!(
            t("Strategic development", "", "State forces", "", 0).unwrap(),
            ("Strategic developments", "Other", "Strategic developments")
        );
        assert_eq!(
            t(
                "Battle-No change of territory",
                "",
                "State forces",
                "Rebel groups",
                1
            )
            .unwrap(),
            ("Battles", "Armed clash", "Political violence")
        );
        assert_eq!(
            t("Remote violence", "Grenade", "", "", 0).unwrap().0,
            "Explosions/Remote violence"
        );
        let refused = t("Riots/Protests", "", "Civilians", "", 0).unwrap_err();
        assert!(
            refused.contains("\"Riots/Protests\"") && refused.contains("Civilians"),
            "{refused}"
        );
        let refused = t("Remote violence", "", "", "", 0).unwrap_err();
        assert!(refused.contains("\"Remote violence\""), "{refused}");
        let refused = t(
            "Violence against civilians",
            "",
            "State forces",
            "Civilians",
            1,
        )
        .unwrap_err();
        assert!(refused.contains("sub-event types"), "{refused}");
        let refused = t("Skirmish", "", "", "", 0).unwrap_err();
        assert!(
            refused.contains("\"Skirmish\" is not in ACLED's codebook"),
            "{refused}"
        );
        let refused = t("Protests", "Sit-in", "Protesters", "", 0).unwrap_err();
        assert!(
            refused.contains("\"Sit-in\" is not one of \"Protests\"'s"),
            "{refused}"
        );
    }

    #[test]
    fn a_legacy_row_is_read_in_the_current_codebook_and_a_row_it_cannot_place_is_named_by_line() {
        let file = "event_date,year,event_type,sub_event_type,inter1,inter2,interaction,latitude,longitude,fatalities\n\
            2016-01-05,2016,Riots/Protests,,6,,60,35.3,47.0,0\n\
            2016-01-06,2016,Riots/Protests,,7,,70,35.3,47.0,0\n\
            2016-01-07,2016,Strategic development,,1,,10,35.3,47.0,0\n";
        let rows: Vec<_> = read(file.as_bytes()).unwrap().collect();
        let first = rows[0].as_ref().unwrap();
        assert_eq!(
            (
                first.event_type.as_str(),
                first.sub_event_type.as_str(),
                first.disorder_type.as_str()
            ),
            ("Protests", "Peaceful protest", "Demonstrations")
        );
        let err = rows[1].as_ref().unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.to_string().contains("Riots/Protests"), "{err}");
        assert_eq!(
            rows[2].as_ref().unwrap().event_type,
            "Strategic developments"
        );
    }

    #[test]
    fn a_header_without_coordinates_is_not_acled() {
        let err = read("event_date,event_type\n".as_bytes()).err().unwrap();
        assert_eq!(
            err.to_string(),
            "not an ACLED file: the header has no latitude, longitude columns"
        );
    }
}
