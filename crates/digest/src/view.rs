//! What every format shows, computed once: the words of the language, the events of the
//! period in the order they are listed, their redacted notes, and the summary.

use crate::jalali::to_jalali;
use crate::redact::redact;
use crate::{DigestInput, Lang};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use unrest_model::Event;
use unrest_text::fold_key;

/// The words of one language, from `labels/{lang}.toml`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Labels {
    pub dir: String,
    pub title: String,
    pub period: String,
    pub summary: String,
    pub province: String,
    pub events: String,
    pub fatalities: String,
    pub injuries: String,
    pub arrests: String,
    pub total: String,
    pub map: String,
    pub map_legend: String,
    pub timeline: String,
    pub by_place: String,
    pub grade: String,
    pub sources: String,
    pub one_source: String,
    pub no_events: String,
    pub unknown_province: String,
    pub unknown_place: String,
    pub unknown_date: String,
    pub figures_note: String,
    pub about_grades: String,
    pub grades_note: String,
    pub redaction_note: String,
    pub audit_head: String,
    pub around: String,
    /// Between the parts of a line of details.
    pub sep: String,
    #[serde(default)]
    pub months: Vec<String>,
    #[serde(default)]
    pub gregorian_months: Vec<String>,
    #[serde(default)]
    pub types: HashMap<String, String>,
    #[serde(default)]
    pub places: HashMap<String, String>,
}

impl Labels {
    pub fn of(lang: Lang) -> Labels {
        let text = match lang {
            Lang::En => include_str!("../labels/en.toml"),
            Lang::Fa => include_str!("../labels/fa.toml"),
        };
        let mut labels: Labels =
            toml::from_str(text).expect("the labels shipped with the crate parse");
        labels.types = fold_keys(labels.types);
        labels.places = fold_keys(labels.places);
        labels
    }
}

fn fold_keys(map: HashMap<String, String>) -> HashMap<String, String> {
    map.into_iter().map(|(k, v)| (fold_key(&k), v)).collect()
}

/// Formatting in the digest's language: digits, dates, names.
pub(crate) struct Lingo<'a> {
    pub lang: Lang,
    pub labels: Labels,
    names: &'a HashMap<String, String>,
}

impl<'a> Lingo<'a> {
    pub fn new(digest: &'a DigestInput) -> Lingo<'a> {
        Lingo {
            lang: digest.lang,
            labels: Labels::of(digest.lang),
            names: &digest.place_names,
        }
    }

    /// Writes the digits of `s` in the language's script.
    pub fn digits(&self, s: &str) -> String {
        match self.lang {
            Lang::En => s.to_string(),
            Lang::Fa => s
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(0x06F0 + (c as u32 - '0' as u32)).unwrap_or(c),
                    c => c,
                })
                .collect(),
        }
    }

    pub fn num(&self, n: impl std::fmt::Display) -> String {
        self.digits(&n.to_string())
    }

    /// "26 October 2022"; in Persian the Solar Hijri date, "۴ آبان ۱۴۰۱".
    pub fn date(&self, d: NaiveDate) -> String {
        match self.lang {
            Lang::En => d.format("%-d %B %Y").to_string(),
            Lang::Fa => {
                let (y, m, day) = to_jalali(d);
                let month = self
                    .labels
                    .months
                    .get(m as usize - 1)
                    .cloned()
                    .unwrap_or_default();
                self.digits(&format!("{day} {month} {y}"))
            }
        }
    }

    /// A short date for chart axes: "26 Oct", "۴ آبان".
    pub fn short_date(&self, d: NaiveDate) -> String {
        match self.lang {
            Lang::En => d.format("%-d %b").to_string(),
            Lang::Fa => {
                let (_, m, day) = to_jalali(d);
                let month = self
                    .labels
                    .months
                    .get(m as usize - 1)
                    .cloned()
                    .unwrap_or_default();
                self.digits(&format!("{day} {month}"))
            }
        }
    }

    /// An event's date as precise as it is known.
    pub fn event_date(&self, d: Option<NaiveDate>, precision: u8) -> String {
        let Some(d) = d else {
            return self.labels.unknown_date.clone();
        };
        match precision {
            2 => self.labels.around.replace("{date}", &self.date(d)),
            3 => match self.lang {
                Lang::En => d.format("%B %Y").to_string(),
                Lang::Fa => {
                    let month = self
                        .labels
                        .gregorian_months
                        .get(d.month0() as usize)
                        .cloned()
                        .unwrap_or_default();
                    self.digits(&format!("{month} {}", d.year()))
                }
            },
            _ => self.date(d),
        }
    }

    /// A place name in the digest's language: the caller's names first (the gazetteer's),
    /// then the labels' table, else as the event writes it.
    pub fn place(&self, name: &str) -> String {
        if let Some(n) = self.names.get(name) {
            return n.clone();
        }
        if let Some(n) = self.labels.places.get(&fold_key(name)) {
            return n.clone();
        }
        name.to_string()
    }

    pub fn event_type(&self, name: &str) -> String {
        self.labels
            .types
            .get(&fold_key(name))
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }

    pub fn sources(&self, n: usize) -> String {
        if n == 1 {
            self.labels.one_source.clone()
        } else {
            format!("{} {}", self.num(n), self.labels.sources)
        }
    }
}

/// One listed event, ready to print.
pub(crate) struct Item<'a> {
    pub event: &'a Event,
    pub date: Option<NaiveDate>,
    pub grade: &'a str,
    pub source_count: usize,
    /// Redacted.
    pub notes: String,
    /// The city, without a district.
    pub city: String,
}

/// Counts of one province, or of all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub events: usize,
    pub fatalities: u64,
    /// Summed over the events that give a figure.
    pub injuries: u64,
    pub arrests: u64,
}

impl Totals {
    fn add(&mut self, e: &Event) {
        self.events += 1;
        self.fatalities += e.fatalities as u64;
        self.injuries += e.injuries.unwrap_or(0) as u64;
        self.arrests += e.arrests.unwrap_or(0) as u64;
    }
}

/// The summary table: one row per province, most events first, and the total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// `admin1` as the events write it (empty for unknown), and its counts.
    pub provinces: Vec<(String, Totals)>,
    pub total: Totals,
}

/// The events of one province, by city.
pub(crate) struct Province<'a> {
    pub name: String,
    pub cities: Vec<(String, Vec<Item<'a>>)>,
}

pub(crate) struct View<'a> {
    pub lingo: Lingo<'a>,
    pub summary: Summary,
    pub provinces: Vec<Province<'a>>,
    /// Every listed event, for the charts.
    pub dated: Vec<(NaiveDate, &'a Event)>,
}

pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Whether an event belongs to the period: dated within it.
pub(crate) fn in_period(digest: &DigestInput, e: &Event) -> bool {
    parse_date(&e.event_date).is_some_and(|d| d >= digest.from && d <= digest.to)
}

pub(crate) fn summary(digest: &DigestInput) -> Summary {
    let mut by: BTreeMap<&str, Totals> = BTreeMap::new();
    let mut total = Totals::default();
    for d in digest.events.iter().filter(|d| in_period(digest, &d.event)) {
        by.entry(d.event.admin1.as_str()).or_default().add(&d.event);
        total.add(&d.event);
    }
    let mut provinces: Vec<(String, Totals)> =
        by.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    provinces.sort_by(|(a, x), (b, y)| y.events.cmp(&x.events).then(a.cmp(b)));
    Summary { provinces, total }
}

impl<'a> View<'a> {
    pub fn new(digest: &'a DigestInput) -> View<'a> {
        let lingo = Lingo::new(digest);
        let summary = summary(digest);
        let mut by: HashMap<&str, BTreeMap<String, Vec<Item<'a>>>> = HashMap::new();
        let mut dated = Vec::new();
        for d in digest.events.iter().filter(|d| in_period(digest, &d.event)) {
            let e = &d.event;
            let date = parse_date(&e.event_date);
            if let Some(day) = date {
                dated.push((day, e));
            }
            let city = e
                .location
                .split(" - ")
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            by.entry(e.admin1.as_str())
                .or_default()
                .entry(city.clone())
                .or_default()
                .push(Item {
                    event: e,
                    date,
                    grade: &d.grade,
                    source_count: d.source_count,
                    notes: redact(&e.notes),
                    city,
                });
        }
        let provinces = summary
            .provinces
            .iter()
            .map(|(name, _)| {
                let cities = by.remove(name.as_str()).unwrap_or_default();
                let mut cities: Vec<(String, Vec<Item>)> = cities.into_iter().collect();
                for (_, items) in &mut cities {
                    items.sort_by(|a, b| {
                        (a.date, &a.event.location, &a.event.event_id_cnty).cmp(&(
                            b.date,
                            &b.event.location,
                            &b.event.event_id_cnty,
                        ))
                    });
                }
                Province {
                    name: name.clone(),
                    cities,
                }
            })
            .collect();
        dated.sort_by_key(|(d, _)| *d);
        View {
            lingo,
            summary,
            provinces,
            dated,
        }
    }

    pub fn province_name(&self, admin1: &str) -> String {
        if admin1.trim().is_empty() {
            self.lingo.labels.unknown_province.clone()
        } else {
            self.lingo.place(admin1)
        }
    }

    pub fn city_name(&self, city: &str) -> String {
        if city.is_empty() {
            self.lingo.labels.unknown_place.clone()
        } else {
            self.lingo.place(city)
        }
    }

    /// The event's place within its city: the district, when the location names one.
    pub fn district(&self, item: &Item) -> Option<String> {
        let loc = &item.event.location;
        let rest = loc
            .strip_prefix(item.city.as_str())?
            .trim_start_matches([' ', '-'])
            .trim();
        (!rest.is_empty()).then(|| self.lingo.place(rest))
    }

    /// "Protests: Peaceful protest" in the language.
    pub fn kind(&self, e: &Event) -> String {
        match (e.event_type.is_empty(), e.sub_event_type.is_empty()) {
            (false, false) => format!(
                "{}: {}",
                self.lingo.event_type(&e.event_type),
                self.lingo.event_type(&e.sub_event_type)
            ),
            (false, true) => self.lingo.event_type(&e.event_type),
            (true, _) => self.lingo.event_type(&e.sub_event_type),
        }
    }

    pub fn period(&self, digest: &DigestInput) -> String {
        self.lingo
            .labels
            .period
            .replace("{from}", &self.lingo.date(digest.from))
            .replace("{to}", &self.lingo.date(digest.to))
    }

    /// Events per day over the period, from its first day.
    pub fn per_day(&self, digest: &DigestInput) -> Vec<(NaiveDate, usize, u64)> {
        let days = (digest.to - digest.from).num_days().max(0) as usize + 1;
        let mut out: Vec<(NaiveDate, usize, u64)> = (0..days)
            .map(|i| (digest.from + chrono::Days::new(i as u64), 0, 0))
            .collect();
        for (d, e) in &self.dated {
            let i = (*d - digest.from).num_days() as usize;
            if let Some(slot) = out.get_mut(i) {
                slot.1 += 1;
                slot.2 += e.fatalities as u64;
            }
        }
        out
    }
}

/// A count that may be absent: "—" when no event gives one.
pub(crate) fn opt(lingo: &Lingo, n: Option<u32>) -> String {
    n.map(|n| lingo.num(n)).unwrap_or_else(|| "—".to_string())
}
