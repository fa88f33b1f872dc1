//! The date words of each language, read from `data/*.toml` into one lexicon.
//!
//! Each language file says, in words: month names (per calendar, and how freely a name may
//! stand alone), weekday names, relative words ("yesterday", "هفته گذشته") with how far
//! back they point, number words and units for "two days ago", ordinal day words, parts of
//! a month ("late October"), the little words that join these ("of", "to", "تا"), and
//! the words that make a date a street's name ("خیابان"). The grammar (`grammar.rs`) knows
//! only these roles, never a word, so adding a language is a data file plus its line in
//! [`LANGUAGES`].
//!
//! All languages share one lexicon, keyed by the first folded word of each phrase: reports
//! mix scripts, and the caller need not say which language a text is in.
//!
//! A table file that does not parse is a programming error caught by the tests; at run time
//! the tables are embedded and checked once.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use chrono::Weekday;
use serde::Deserialize;

use crate::calendar::Calendar;
use crate::scan::tokenize;

/// The embedded language files. One line per language.
const LANGUAGES: &[(&str, &str)] = &[
    ("en", include_str!("../data/en.toml")),
    ("fa", include_str!("../data/fa.toml")),
];

/// The lexicon of every embedded language, loaded on first use.
pub(crate) fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        Rules::load(LANGUAGES).unwrap_or_else(|e| panic!("embedded date rules are invalid: {e}"))
    })
}

/// What a phrase of the lexicon means to the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meaning {
    Month(MonthName),
    Weekday {
        day: Weekday,
        short: bool,
    },
    /// "last" in "last Tuesday": the weekday strictly before the reference day.
    WeekdayBefore,
    /// A word that, right before a day and month, makes them a place's name: "خیابان" in
    /// "خیابان ۱۶ آذر" (Iran names streets and squares after dates).
    PlaceBefore,
    /// The same after the date: "Street" in "16 Azar Street".
    PlaceAfter,
    /// "گذشته" in "سه شنبه گذشته".
    WeekdayAfter(WeekdayAfter),
    Relative {
        unit: Unit,
        back: u32,
        /// The calendar whose months "last month" counts in.
        calendar: Calendar,
    },
    Number(u32),
    Unit(Unit),
    /// "ago"; carries the calendar of its language for "two months ago".
    Ago(Calendar),
    OrdinalDay(u32),
    DaySuffix,
    DayMonthJoiner,
    RangeJoiner,
    Qualifier(Part),
}

impl Meaning {
    /// The bit of [`Starts`] for a phrase with this meaning: what a date starting with it
    /// can be. Words that only continue a date ("of", "ago", "th") have none.
    fn starts(self) -> Starts {
        match self {
            Meaning::Month(_) => Starts::MONTH,
            Meaning::Weekday { .. } => Starts::WEEKDAY,
            Meaning::WeekdayBefore => Starts::WEEKDAY_BEFORE,
            Meaning::Relative { .. } => Starts::RELATIVE,
            Meaning::Number(_) => Starts::NUMBER,
            Meaning::OrdinalDay(_) => Starts::ORDINAL_DAY,
            Meaning::Qualifier(_) => Starts::QUALIFIER,
            Meaning::WeekdayAfter(_)
            | Meaning::Unit(_)
            | Meaning::Ago(_)
            | Meaning::DaySuffix
            | Meaning::DayMonthJoiner
            | Meaning::RangeJoiner
            | Meaning::PlaceBefore
            | Meaning::PlaceAfter => Starts(0),
        }
    }
}

/// The kinds of date the phrases of one lexicon entry can start, so that the scanner tries
/// only the forms that could match at a word ("of" and "to" start none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Starts(u8);

impl Starts {
    pub(crate) const MONTH: Starts = Starts(1);
    pub(crate) const WEEKDAY: Starts = Starts(1 << 1);
    pub(crate) const WEEKDAY_BEFORE: Starts = Starts(1 << 2);
    pub(crate) const RELATIVE: Starts = Starts(1 << 3);
    pub(crate) const NUMBER: Starts = Starts(1 << 4);
    pub(crate) const ORDINAL_DAY: Starts = Starts(1 << 5);
    pub(crate) const QUALIFIER: Starts = Starts(1 << 6);

    pub(crate) fn any(self) -> bool {
        self.0 != 0
    }

    pub(crate) fn has(self, kind: Starts) -> bool {
        self.0 & kind.0 != 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MonthName {
    pub(crate) calendar: Calendar,
    pub(crate) number: u32,
    pub(crate) standing: Standing,
    /// Whether a day number may follow the name ("November 7").
    pub(crate) day_may_follow: bool,
}

/// How freely a month name is taken as a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    /// Alone too: "in October".
    Alone,
    /// Only next to a day or a year, or with a month suffix: "March 8", "تیر ۱۴۰۱", "تیرماه".
    WithNumber,
    /// An abbreviation: only next to a day or year, and it may carry a full stop.
    Short,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WeekdayAfter {
    /// Strictly before the reference day.
    Before,
    /// In the week before the reference's week, weeks starting on this day.
    PreviousWeek(Weekday),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Day,
    Week,
    Month,
}

/// A part of a month: its days `first..=last`, `last` cut to the month's end ("late" is
/// 21-31 in every month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) first: u32,
    pub(crate) last: u32,
}

/// One entry of the lexicon: its words after the first, and what it means.
#[derive(Debug)]
pub(crate) struct Phrase {
    pub(crate) rest: Box<[Box<str>]>,
    pub(crate) meaning: Meaning,
    /// The phrase means nothing when the next word is one of these.
    pub(crate) not_before: Box<[Box<str>]>,
    /// The phrase means nothing when the previous word is one of these.
    pub(crate) not_after: Box<[Box<str>]>,
}

/// Every phrase of every language, found by its first folded word.
#[derive(Debug, Default)]
pub(crate) struct Rules {
    index: HashMap<Box<str>, u32, BuildHasherDefault<WordHasher>>,
    /// Phrases by first word, longest first.
    entries: Vec<Vec<Phrase>>,
    /// What the phrases of each entry can start.
    starts: Vec<Starts>,
    /// The longest first word, in bytes: longer words need no lookup.
    longest_word: usize,
    /// A bit per [`sketch`] of every first word: most words of a report are no first word
    /// of any phrase, and this turns them away before hashing them.
    sketches: Vec<u64>,
}

const SKETCH_BITS: usize = 1 << 14;

/// A cheap fingerprint of a word: its length and its first and last bytes.
#[inline]
fn sketch(word: &str) -> usize {
    let bytes = word.as_bytes();
    let (first, last) = match (bytes.first(), bytes.last()) {
        (Some(&f), Some(&l)) => (f as usize, l as usize),
        _ => (0, 0),
    };
    (bytes.len().wrapping_mul(131) ^ first.wrapping_mul(31) ^ (last << 6)) % SKETCH_BITS
}

impl Rules {
    /// The entry of the phrases starting with `word`, if any.
    #[inline]
    pub(crate) fn entry(&self, word: &str) -> Option<u32> {
        if word.len() > self.longest_word {
            return None;
        }
        let sketch = sketch(word);
        if self.sketches[sketch / 64] & (1 << (sketch % 64)) == 0 {
            return None;
        }
        self.index.get(word).copied()
    }

    pub(crate) fn starts(&self, entry: u32) -> Starts {
        self.starts[entry as usize]
    }

    pub(crate) fn phrases(&self, entry: u32) -> &[Phrase] {
        &self.entries[entry as usize]
    }

    pub(crate) fn load(languages: &[(&str, &str)]) -> Result<Rules, String> {
        let mut rules = Rules::default();
        for (code, source) in languages {
            let file: LanguageFile =
                toml::from_str(source).map_err(|e| format!("data/{code}.toml: {e}"))?;
            file.add_to(&mut rules)
                .map_err(|e| format!("data/{code}.toml: {e}"))?;
        }
        for phrases in &mut rules.entries {
            phrases.sort_by_key(|p| std::cmp::Reverse(p.rest.len()));
        }
        Ok(rules)
    }

    fn add(
        &mut self,
        words: &str,
        meaning: Meaning,
        not_before: &[String],
        not_after: &[String],
    ) -> Result<(), String> {
        let mut split = split_words(words);
        if split.is_empty() {
            return Err(format!("{words:?} has no words"));
        }
        let first = split.remove(0);
        let phrase = Phrase {
            rest: split.into(),
            meaning,
            not_before: guard_words(not_before)?,
            not_after: guard_words(not_after)?,
        };
        self.longest_word = self.longest_word.max(first.len());
        if self.sketches.is_empty() {
            self.sketches = vec![0; SKETCH_BITS / 64];
        }
        let sketch = sketch(&first);
        self.sketches[sketch / 64] |= 1 << (sketch % 64);
        let next = self.entries.len() as u32;
        let entry = *self.index.entry(first).or_insert(next);
        if entry == next {
            self.entries.push(Vec::new());
            self.starts.push(Starts::default());
        }
        self.starts[entry as usize].0 |= meaning.starts().0;
        let phrases = &mut self.entries[entry as usize];
        if !phrases
            .iter()
            .any(|p| p.rest == phrase.rest && p.meaning == phrase.meaning)
        {
            phrases.push(phrase);
        }
        Ok(())
    }
}

/// The folded tokens of a phrase, as the scanner will see them in a report.
fn split_words(s: &str) -> Vec<Box<str>> {
    let folded = unrest_text::fold(s);
    let mut words = Vec::new();
    tokenize(&folded, |t| words.push(folded[t.start..t.end].into()));
    words
}

fn guard_words(words: &[String]) -> Result<Box<[Box<str>]>, String> {
    words
        .iter()
        .map(|w| {
            let mut split = split_words(w);
            match split.len() {
                1 => Ok(split.remove(0)),
                _ => Err(format!("guard {w:?} must be one word")),
            }
        })
        .collect()
}

/// One `data/*.toml` file: the date words of one language. Every word is folded when
/// loaded; a multi-word entry matches its words separated by any spaces on one line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageFile {
    /// Whether a day may follow a month name ("November 7"), not only precede it.
    #[serde(default)]
    day_may_follow_month: bool,
    /// The calendar whose months "last month" and "two months ago" count.
    month_calendar: String,
    /// The first day of the week ("sat"), for weekdays "of last week".
    week_starts_on: Option<String>,
    /// Written after a day number: "th", "ام".
    #[serde(default)]
    day_suffixes: Vec<String>,
    /// Between a day and its month: "of".
    #[serde(default)]
    day_month_joiners: Vec<String>,
    /// Between the first and last day of a span: "-", "to", "تا".
    #[serde(default)]
    range_joiners: Vec<String>,
    /// After a count and a unit: "ago", "پیش".
    #[serde(default)]
    ago: Vec<String>,
    /// Before a weekday, meaning strictly before the reference: "last".
    #[serde(default)]
    weekday_before: Vec<String>,
    /// Before a day and month, making them a place's name: "خیابان".
    #[serde(default)]
    place_before: Vec<String>,
    /// After a day and month, making them a place's name: "street".
    #[serde(default)]
    place_after: Vec<String>,
    /// After a month name, making even an ambiguous one a month: "ماه".
    #[serde(default)]
    month_suffixes: Vec<String>,
    /// Number words for "two days ago".
    #[serde(default)]
    numbers: BTreeMap<String, u32>,
    /// Unit words ("days", "هفته") and their unit: "day", "week" or "month".
    #[serde(default)]
    units: BTreeMap<String, String>,
    /// Parts of a month ("late", "دهه اول") as `[first day, last day]`.
    #[serde(default)]
    qualifiers: BTreeMap<String, [u32; 2]>,
    /// Ordinal day words ("هجدهم") and their day.
    #[serde(default)]
    ordinal_days: BTreeMap<String, u32>,
    #[serde(default)]
    relative: Vec<RelativeEntry>,
    #[serde(default)]
    weekday_after: Vec<WeekdayAfterEntry>,
    #[serde(default)]
    month: Vec<MonthEntry>,
    #[serde(default)]
    weekday: Vec<WeekdayEntry>,
}

/// Words for a day, a seven-day span or a month counted back from the reference: `unit`
/// "day" (back 1 = yesterday), "week" (back 0 = the seven days ending on the reference,
/// back 1 = the seven days before those) or "month" (back 1 = the previous month).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelativeEntry {
    words: Vec<String>,
    unit: String,
    back: u32,
}

/// Words after a weekday: `mode` "before" (strictly before the reference) or
/// "previous_week" (in the week before the reference's; needs `week_starts_on`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WeekdayAfterEntry {
    words: Vec<String>,
    mode: String,
    #[serde(default)]
    not_before: Vec<String>,
}

/// One month of a calendar (`calendar` "gregorian" or "persian", `number` 1-12) and its
/// names: `names` are months even alone, `with_number` only next to a day or year (or a
/// month suffix), `short` abbreviations likewise, optionally with a full stop.
/// `not_before`/`not_after`: single words that, right after or before the name, show it is
/// no month.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MonthEntry {
    calendar: String,
    number: u32,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    with_number: Vec<String>,
    #[serde(default)]
    short: Vec<String>,
    #[serde(default)]
    not_before: Vec<String>,
    #[serde(default)]
    not_after: Vec<String>,
}

/// One weekday (`day` "mon".."sun") and its names; `short` names count only with a date.
/// `not_before`/`not_after` as for months.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WeekdayEntry {
    day: String,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    short: Vec<String>,
    #[serde(default)]
    not_before: Vec<String>,
    #[serde(default)]
    not_after: Vec<String>,
}

impl LanguageFile {
    fn add_to(&self, rules: &mut Rules) -> Result<(), String> {
        let none: &[String] = &[];
        let month_calendar = calendar(&self.month_calendar)?;
        let week_starts_on = self.week_starts_on.as_deref().map(weekday).transpose()?;

        let simple = [
            (&self.day_suffixes, Meaning::DaySuffix),
            (&self.day_month_joiners, Meaning::DayMonthJoiner),
            (&self.range_joiners, Meaning::RangeJoiner),
            (&self.ago, Meaning::Ago(month_calendar)),
            (&self.weekday_before, Meaning::WeekdayBefore),
            (&self.place_before, Meaning::PlaceBefore),
            (&self.place_after, Meaning::PlaceAfter),
        ];
        for (words, meaning) in simple {
            for w in words {
                rules.add(w, meaning, none, none)?;
            }
        }
        for (w, &n) in &self.numbers {
            rules.add(w, Meaning::Number(n), none, none)?;
        }
        for (w, u) in &self.units {
            rules.add(w, Meaning::Unit(unit(u)?), none, none)?;
        }
        for (w, &[first, last]) in &self.qualifiers {
            if !(1 <= first && first <= last && last <= 31) {
                return Err(format!(
                    "{w:?} = [{first}, {last}] is no span of days of a month"
                ));
            }
            rules.add(w, Meaning::Qualifier(Part { first, last }), none, none)?;
        }
        for (w, &d) in &self.ordinal_days {
            if !(1..=31).contains(&d) {
                return Err(format!("ordinal day {w:?} = {d} is not a day of a month"));
            }
            rules.add(w, Meaning::OrdinalDay(d), none, none)?;
        }
        for r in &self.relative {
            let meaning = Meaning::Relative {
                unit: unit(&r.unit)?,
                back: r.back,
                calendar: month_calendar,
            };
            for w in &r.words {
                rules.add(w, meaning, none, none)?;
            }
        }
        for a in &self.weekday_after {
            let mode = match a.mode.as_str() {
                "before" => WeekdayAfter::Before,
                "previous_week" => WeekdayAfter::PreviousWeek(
                    week_starts_on.ok_or("mode previous_week needs week_starts_on")?,
                ),
                m => return Err(format!("unknown weekday_after mode {m:?}")),
            };
            for w in &a.words {
                rules.add(w, Meaning::WeekdayAfter(mode), &a.not_before, none)?;
            }
        }
        for m in &self.month {
            if !(1..=12).contains(&m.number) {
                return Err(format!("month number {} is not 1-12", m.number));
            }
            let calendar = calendar(&m.calendar)?;
            let name = |standing| {
                Meaning::Month(MonthName {
                    calendar,
                    number: m.number,
                    standing,
                    day_may_follow: self.day_may_follow_month,
                })
            };
            let guarded = |rules: &mut Rules, w: &str, standing| {
                rules.add(w, name(standing), &m.not_before, &m.not_after)
            };
            for w in &m.names {
                guarded(rules, w, Standing::Alone)?;
            }
            for w in &m.with_number {
                guarded(rules, w, Standing::WithNumber)?;
            }
            for w in &m.short {
                guarded(rules, w, Standing::Short)?;
            }
            // With a suffix ("تیرماه", "تیر ماه") every full name is plainly a month.
            for w in m.names.iter().chain(&m.with_number) {
                for suffix in &self.month_suffixes {
                    guarded(rules, &format!("{w}{suffix}"), Standing::Alone)?;
                    guarded(rules, &format!("{w} {suffix}"), Standing::Alone)?;
                }
            }
        }
        for d in &self.weekday {
            let day = weekday(&d.day)?;
            for (words, short) in [(&d.names, false), (&d.short, true)] {
                for w in words {
                    rules.add(
                        w,
                        Meaning::Weekday { day, short },
                        &d.not_before,
                        &d.not_after,
                    )?;
                }
            }
        }
        Ok(())
    }
}

fn calendar(name: &str) -> Result<Calendar, String> {
    Calendar::parse(name).ok_or_else(|| format!("unknown calendar {name:?}"))
}

fn unit(name: &str) -> Result<Unit, String> {
    match name {
        "day" => Ok(Unit::Day),
        "week" => Ok(Unit::Week),
        "month" => Ok(Unit::Month),
        _ => Err(format!("unknown unit {name:?}")),
    }
}

fn weekday(name: &str) -> Result<Weekday, String> {
    name.parse()
        .map_err(|_| format!("unknown weekday {name:?}"))
}

/// A small multiplicative hash for the lexicon's keys. The keys are fixed words from the
/// data files, so the flooding resistance of the standard hasher buys nothing, and every
/// word of every report is looked up.
#[derive(Default, Clone, Copy)]
pub(crate) struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_language_files_load() {
        let rules = Rules::load(LANGUAGES).unwrap();
        assert!(rules.entry("november").is_some());
        assert!(rules.entry(&unrest_text::fold("آبان")).is_some());
    }

    #[test]
    fn joining_words_start_no_date() {
        let rules = rules();
        let of = rules.entry("of").unwrap();
        assert!(!rules.starts(of).any());
        let three = rules.entry("سه").unwrap();
        assert!(rules.starts(three).has(Starts::NUMBER));
        assert!(rules.starts(three).has(Starts::WEEKDAY));
    }

    #[test]
    fn table_words_are_folded_like_report_text() {
        let rules = rules();
        // "آبان" in the file, "ابان" after folding; Arabic-keyboard "ي" folds to "ی".
        assert!(rules.entry("ابان").is_some());
        assert!(rules.entry(&unrest_text::fold("يکشنبه")).is_some());
    }

    #[test]
    fn a_bad_table_names_its_file_and_problem() {
        let bad = "month_calendar = \"julian\"";
        let err = Rules::load(&[("xx", bad)]).unwrap_err();
        assert!(
            err.contains("data/xx.toml") && err.contains("julian"),
            "{err}"
        );
    }

    #[test]
    fn every_phrase_starts_with_a_word_of_the_scanner() {
        // Phrases are cut with the scanner itself, so "سه شنبه" is two words, "۳شنبه" a
        // number and a word.
        assert_eq!(split_words("سه‌شنبه").len(), 2);
        assert_eq!(split_words("۳شنبه").len(), 2);
        assert!(split_words("۳شنبه")[0].chars().all(|c| c.is_ascii_digit()));
    }
}
