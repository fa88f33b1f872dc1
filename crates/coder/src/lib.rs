//! The report coder: report text in, ACLED-style events with evidence out.
//!
//! Pure: it reads no file, no clock and no network; the reference date is an argument and
//! the rules are data compiled in. A report is read once ([`analysis::Doc`]), cut into
//! sections at headings ("Report from Sari—November 28", "- Saqqez: …") and sections into
//! scenes (one place on one day), and each scene that tells of an event is coded by the
//! codebook's rules ([`classify`]) with the words that justify every field.

mod analysis;
mod classify;
mod counts;
mod lexicon;
mod notes;
mod rules;
pub mod sample;
mod scenes;

pub use rules::RulesError;

/// Notes after an analyst's edit (see [`notes::after_edit`]): generated notes follow the
/// changed fields, hand-written ones are kept.
pub use notes::after_edit as notes_after_edit;
/// Generated notes worded for a reader of another language (see [`notes::write_in`]).
pub use notes::{
    is_generated as notes_are_generated, write_in as notes_in, LANGUAGES as NOTES_LANGUAGES,
};

use chrono::NaiveDate;
use std::borrow::Cow;
use unrest_gazetteer::Gazetteer;
use unrest_model::{Event, Report};

/// Which language rules to apply to a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Decide per report from its script.
    #[default]
    Auto,
    En,
    Fa,
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Lang, String> {
        match s {
            "auto" => Ok(Lang::Auto),
            "en" => Ok(Lang::En),
            "fa" => Ok(Lang::Fa),
            other => Err(format!(
                "unknown language {other:?}: expected auto, en or fa"
            )),
        }
    }
}

/// How to code one report.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The date relative dates resolve against; `None` to look for a dateline at the top
    /// of the document and fall back on `today`.
    pub reference: Option<NaiveDate>,
    /// The caller's today, used only when neither a reference date nor a dateline is known.
    pub today: NaiveDate,
    pub lang: Lang,
    /// Written into ACLED's `timestamp` column (seconds since the epoch).
    pub timestamp: i64,
}

/// The coder with its rules and gazetteer loaded. Build once, code many reports.
pub struct Coder {
    rules: rules::Rules,
    /// The built-in gazetteer is borrowed, not copied: building a coder must be cheap,
    /// since `unrest code` has to answer within 100 ms.
    gazetteer: Cow<'static, Gazetteer>,
}

impl Coder {
    /// The coder with the built-in rules and gazetteer.
    pub fn new() -> Coder {
        Coder::build(Cow::Borrowed(Gazetteer::embedded()))
    }

    /// The coder with the built-in rules and the given gazetteer (e.g. with user places).
    pub fn with_gazetteer(gazetteer: Gazetteer) -> Coder {
        Coder::build(Cow::Owned(gazetteer))
    }

    fn build(gazetteer: Cow<'static, Gazetteer>) -> Coder {
        let rules = rules::Rules::builtin().expect("built-in rules are checked by the tests");
        Coder { rules, gazetteer }
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Codes one report. `reference` is the date relative dates resolve against.
    pub fn code(&self, report: &Report, reference: NaiveDate, lang: Lang) -> Vec<Event> {
        self.code_with(
            report,
            &Options {
                reference: Some(reference),
                today: reference,
                lang,
                timestamp: 0,
            },
        )
    }

    fn language(&self, text: &str, lang: Lang) -> &rules::Language {
        match lang {
            Lang::En => &self.rules.en,
            Lang::Fa => &self.rules.fa,
            Lang::Auto => match unrest_text::dominant_script(text) {
                unrest_text::Script::Arabic => &self.rules.fa,
                unrest_text::Script::Latin => &self.rules.en,
            },
        }
    }

    fn read<'a>(&'a self, report: &'a Report, options: &Options) -> (analysis::Doc<'a>, NaiveDate) {
        let text = report.text.as_str();
        let reference = options
            .reference
            .or_else(|| dateline(text, options.today))
            .unwrap_or(options.today);
        let lang = self.language(text, options.lang);
        (
            analysis::Doc::read(text, lang, &self.gazetteer, reference),
            reference,
        )
    }

    /// Whether the report names a place in Iran as the coder reads it: any spelling the
    /// gazetteer's rules find, but no street named after a town, no place abroad and no word
    /// that only looks like a name. A report that does and yields no event is more often the
    /// coder's miss than a report of nothing.
    pub fn names_a_place(&self, report: &Report, options: &Options) -> bool {
        !self.read(report, options).0.places.is_empty()
    }

    /// Codes one report with full options.
    pub fn code_with(&self, report: &Report, options: &Options) -> Vec<Event> {
        let (doc, reference) = self.read(report, options);
        // Court and prison news yields only the shootings it tells of ("killed by three
        // bullets in Izeh in 2022"), never its arrests or the protests they came from.
        let court_news = doc.is_court_news();
        // A killing for private motives is a crime, not political violence, unless state
        // forces did it; the arrests for it are no political event either.
        let crime = doc.is_crime();
        let scenes = scenes::scenes(&doc, reference);
        let mut events = Vec::new();
        for scene in &scenes {
            // "هر شب … راهپیمایی می کنند": a habit with no day named is no one event.
            let habitual = scene.date.tokens.is_none()
                && scene
                    .ranges
                    .iter()
                    .any(|&(a, b)| doc.has_cue(a, b, &[lexicon::Cat::Habitual]));
            if habitual {
                continue;
            }
            let Some(e) = classify::code_scene(&doc, scene, &self.rules.actors) else {
                continue;
            };
            // The arrest of a killer or a forger is police work, whoever made it.
            if crime && (!state_forces_named(&e) || e.sub_event_type == "Arrests") {
                continue;
            }
            let shooting = scene
                .ranges
                .iter()
                .any(|&(a, b)| doc.has_cue(a, b, &[lexicon::Cat::Lethal]));
            // "… پرونده میدان علیخانی … ۱۸ دی ۱۴۰۴ … چهار نفر از نیروها کشته شدند": the killing
            // a case is about, told with its own day in its own sentence (not the verdict's),
            // is that day's event.
            let dated_killing = scene.date.precision == 1
                && scene.date.date < reference
                && scene.date.tokens.is_some_and(|(a, _)| {
                    let (sa, sb) = doc.sentence_span(a);
                    doc.has_cue(sa, sb, &[lexicon::Cat::Kill])
                })
                && (is_killing(&e) || e.event_type == "Riots" && e.fatalities > 0);
            if court_news && !(shooting && is_killing(&e)) && !dated_killing {
                continue;
            }
            let listed: Vec<_> = scene
                .also
                .iter()
                .map(|place| {
                    let mut other = scene.clone();
                    other.place = place.clone();
                    other.also.clear();
                    classify::code_scene(&doc, &other, &self.rules.actors).map(|mut o| {
                        classify::drop_counts(&mut o);
                        o
                    })
                })
                .collect();
            // "در ۱۸ و ۱۹ دی": two days joined before one month are two days, an event each
            // (the counts stay with the day the report names with its month).
            let joined = joined_day(&doc, scene).and_then(|date| {
                let mut other = scene.clone();
                other.date = date;
                other.also.clear();
                classify::code_scene(&doc, &other, &self.rules.actors).map(|mut o| {
                    classify::drop_counts(&mut o);
                    o
                })
            });
            for mut e in std::iter::once(Some(e))
                .chain(listed)
                .chain(std::iter::once(joined))
                .flatten()
            {
                // One event per place and day: a listed place already coded on that day
                // (from an earlier sentence) is not coded twice.
                if events
                    .iter()
                    .any(|o: &Event| o.location == e.location && o.event_date == e.event_date)
                {
                    continue;
                }
                e.report = report.id.clone();
                e.timestamp = options.timestamp;
                // A day the report does not name is not known to the day: the reporting date
                // stands for it, approximately (ACLED's precision 2), and the notes say
                // "Around" rather than "On".
                if e.time_precision == 1 && !e.evidence.iter().any(|x| x.field == "event_date") {
                    e.time_precision = 2;
                }
                e.notes = notes::write(&e);
                events.push(e);
            }
        }
        for (i, e) in events.iter_mut().enumerate() {
            e.event_id_cnty = event_id(&report.id, i);
        }
        events
    }
}

/// The day before "و" in "۱۸ و ۱۹ دی" (or "18 and 19 January"): a scene dated by the
/// second day was also on the first.
fn joined_day(doc: &analysis::Doc, scene: &scenes::Scene) -> Option<scenes::DateChoice> {
    let (a, b) = scene.date.tokens?;
    // Only a scene whose own words name both days: a later place that takes its date from
    // an earlier sentence is not told of on both.
    if scene.date.precision != 1 || a < 2 {
        return None;
    }
    if !scene
        .ranges
        .iter()
        .any(|&(first, last)| first <= a - 2 && b <= last)
    {
        return None;
    }
    let number = |i: usize| -> Option<u32> {
        let w = doc.word(i);
        w.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| w.parse().ok())
            .flatten()
    };
    // The days as written (Solar Hijri or Gregorian): only their difference matters.
    let later = number(a)?;
    let and = doc
        .hit_at(a - 1)
        .is_some_and(|h| doc.hits[h].has(lexicon::Cat::Conjunction));
    let joined =
        doc.tokens[a].sep <= lexicon::Sep::Hyphen && doc.tokens[a - 1].sep <= lexicon::Sep::Hyphen;
    let earlier = number(a - 2).filter(|&d| d >= 1 && d < later && later - d <= 7)?;
    if !(and && joined) || doc.in_date(a - 2) {
        return None;
    }
    Some(scenes::DateChoice {
        date: scene.date.date - chrono::Days::new(u64::from(later - earlier)),
        precision: 1,
        tokens: Some((a - 2, b)),
    })
}

const STATE_FORCES: &str = "State forces";

/// State forces are an actor of the event and the report names them (not the default
/// actor of a shooting).
fn state_forces_named(e: &Event) -> bool {
    let named = |field: &str| e.evidence.iter().any(|x| x.field == field);
    e.inter1 == STATE_FORCES && named("actor1") || e.inter2 == STATE_FORCES && named("actor2")
}

/// A killing by force: someone killed in an attack or by excessive force.
fn is_killing(e: &Event) -> bool {
    e.fatalities > 0
        && matches!(
            e.sub_event_type.as_str(),
            "Attack" | "Excessive force against protesters"
        )
}

impl Default for Coder {
    fn default() -> Self {
        Coder::new()
    }
}

/// A dateline: an explicit date in the first line of a document ("Field reports from the
/// north, November 30, 2022").
fn dateline(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let first = text.lines().find(|l| !l.trim().is_empty())?;
    let folded = unrest_text::fold(first);
    unrest_dates::find_dates(&folded, today)
        .into_iter()
        .find(|d| d.precision == 1 && d.kind == unrest_dates::DateKind::Explicit)
        .map(|d| d.date)
}

/// A stable id for the `i`-th event of a report: ACLED's country prefix and a hash of the
/// report id, so re-coding the same report gives the same ids.
fn event_id(report: &str, i: usize) -> String {
    // FNV-1a: stable across platforms and releases, unlike std's hasher.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in report.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("IRN{:010}-{}", h % 10_000_000_000, i + 1)
}
