//! Notes in ACLED's style: a short neutral summary written from the coded fields alone, so
//! it carries no words of the reporter (and no name), and reads the same for an English
//! and a Persian report.
//!
//! The wording is data (`rules/notes/en.toml`, `rules/notes/fa.toml`): stored events and the
//! ACLED export carry the English notes; [`write_in`] words the same fields in another
//! language for reading (the Persian public pages and digest), with the caller's names for
//! the place and the province.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use unrest_model::Event;

/// One language's wording of generated notes.
#[derive(Debug, Deserialize)]
struct Wording {
    calendar: String,
    digits: String,
    months: Vec<String>,
    sentence: String,
    hedge: String,
    date: BTreeMap<String, String>,
    place: BTreeMap<String, String>,
    what: BTreeMap<String, String>,
    figures: BTreeMap<String, String>,
    groups: BTreeMap<String, String>,
    forces: BTreeMap<String, String>,
}

impl Wording {
    fn parse(code: &str, src: &str) -> Wording {
        let w: Wording = toml::from_str(src)
            .unwrap_or_else(|e| panic!("rules/notes/{code}.toml (built in): {e}"));
        assert_eq!(w.months.len(), 12, "rules/notes/{code}.toml: twelve months");
        w
    }

    fn get<'a>(table: &'a BTreeMap<String, String>, key: &str) -> &'a str {
        table.get(key).map(String::as_str).unwrap_or("")
    }

    fn digits(&self, n: impl std::fmt::Display) -> String {
        let s = n.to_string();
        if self.digits == "persian" {
            s.chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) => char::from_u32('۰' as u32 + d).unwrap_or(c),
                    None => c,
                })
                .collect()
        } else {
            s
        }
    }
}

static EN: LazyLock<Wording> =
    LazyLock::new(|| Wording::parse("en", include_str!("../rules/notes/en.toml")));
static FA: LazyLock<Wording> =
    LazyLock::new(|| Wording::parse("fa", include_str!("../rules/notes/fa.toml")));

/// The languages notes can be worded in.
pub const LANGUAGES: [&str; 2] = ["en", "fa"];

fn wording(lang: &str) -> &'static Wording {
    match lang {
        "fa" => &FA,
        _ => &EN,
    }
}

/// Fills `{name}` placeholders of a template.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The notes of an event an analyst edited: written again from the new fields when the
/// notes were the coder's and the analyst left them as they were; otherwise the analyst's
/// own words, kept as written.
pub fn after_edit(before: &Event, after: &Event) -> String {
    if after.notes == before.notes && before.notes == write(before) {
        write(after)
    } else {
        after.notes.clone()
    }
}

/// The English notes the coder stores with an event.
pub fn write(e: &Event) -> String {
    write_with(e, &EN, &e.location, &e.admin1)
}

/// The event's notes for a reader of `lang` ("en" or "fa"; another code gets English):
/// the generated notes worded in that language, with `place` and `province` as that
/// language names them, when the stored notes are the generated ones (whatever figures
/// they close with, see [`is_generated`]); an analyst's own notes are kept as written.
pub fn write_in(e: &Event, lang: &str, place: &str, province: &str) -> String {
    if lang == "en" || !is_generated(&e.notes, e) {
        return e.notes.clone();
    }
    write_with(e, wording(lang), place, province)
}

/// Whether `notes` are what the coder writes for `e`, leaving aside the closing figures (an
/// incident's notes come from one report, its figures from all of them).
pub fn is_generated(notes: &str, e: &Event) -> bool {
    without_figures(notes) == without_figures(&write(e))
}

/// Notes without their bracketed figures (" [2 killed, 3 arrested]").
fn without_figures(notes: &str) -> String {
    let (Some(open), Some(close)) = (notes.rfind(" ["), notes.rfind(']')) else {
        return notes.to_string();
    };
    if close < open {
        return notes.to_string();
    }
    let inside = &notes[open + 2..close];
    let figure = |part: &str| {
        part.split_once(' ')
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    if inside.split(", ").all(figure) {
        format!("{}{}", &notes[..open], &notes[close + 1..])
    } else {
        notes.to_string()
    }
}

fn write_with(e: &Event, w: &Wording, place_name: &str, province: &str) -> String {
    let date = NaiveDate::parse_from_str(&e.event_date, "%Y-%m-%d")
        .map(|d| {
            let (year, month, day) = if w.calendar == "solar_hijri" {
                unrest_dates::to_solar_hijri(d)
            } else {
                (d.year(), d.month(), d.day())
            };
            let key = match e.time_precision {
                3 => "month",
                2 => "around",
                _ => "exact",
            };
            fill(
                Wording::get(&w.date, key),
                &[
                    ("day", &w.digits(day)),
                    (
                        "month",
                        &w.months[(month as usize).saturating_sub(1).min(11)],
                    ),
                    ("year", &w.digits(year)),
                ],
            )
        })
        .unwrap_or_else(|_| Wording::get(&w.date, "unknown").to_string());
    let place = if e.geo_precision == 3 {
        fill(
            Wording::get(&w.place, "province_only"),
            &[("province", province)],
        )
    } else if e.admin1.is_empty() {
        place_name.to_string()
    } else {
        fill(
            Wording::get(&w.place, "with_province"),
            &[("place", place_name), ("province", province)],
        )
    };
    let group = group_key(
        if e.actor1.starts_with("Protesters") || e.actor1.starts_with("Rioters") {
            &e.assoc_actor_1
        } else {
            &e.assoc_actor_2
        },
    );
    let who = match &group {
        None => Wording::get(&w.groups, "default").to_string(),
        Some(g) => w
            .groups
            .get(g.as_str())
            .cloned()
            .unwrap_or_else(|| g.to_lowercase()),
    };
    let rioters = if who == Wording::get(&w.groups, "default") {
        Wording::get(&w.groups, "rioters").to_string()
    } else {
        who.clone()
    };
    let force = Wording::get(
        &w.forces,
        force_key(
            if e.actor1.contains("Forces") {
                &e.assoc_actor_1
            } else {
                &e.assoc_actor_2
            },
            e,
        ),
    )
    .to_string();
    let clash = if e.actor2.is_empty() {
        String::new()
    } else {
        fill(Wording::get(&w.what, "clash"), &[("force", &force)])
    };
    let key = match (e.event_type.as_str(), e.sub_event_type.as_str()) {
        ("Protests", "Peaceful protest") => "peaceful",
        ("Protests", "Protest with intervention") => "intervention",
        ("Protests", _) => "excessive_force",
        ("Riots", _) => "riot",
        ("Violence against civilians", _) => "violence_against_civilians",
        ("Strategic developments", "Arrests") => "arrests",
        ("Battles", _) if w.what.contains_key("battles") => "battles",
        ("Explosions/Remote violence", _) if w.what.contains_key("explosions") => "explosions",
        ("Strategic developments", _) if w.what.contains_key("strategic") => "strategic",
        _ => "other",
    };
    let what = fill(
        Wording::get(&w.what, key),
        &[
            ("who", &who),
            ("rioters", &rioters),
            ("force", &force),
            ("clash", &clash),
            ("place", &place),
            ("type", &e.event_type),
            ("sub", &e.sub_event_type),
        ],
    );
    let mut counts = Vec::new();
    let mut figure = |key: &str, n: u32| {
        counts.push(fill(Wording::get(&w.figures, key), &[("n", &w.digits(n))]));
    };
    if e.fatalities > 0 {
        figure("killed", e.fatalities);
    }
    if let Some(n) = e.injuries.filter(|&n| n > 0) {
        figure("injured", n);
    }
    if let Some(n) = e.arrests.filter(|&n| n > 0) {
        figure("arrested", n);
    }
    let figures = if counts.is_empty() {
        String::new()
    } else {
        format!(
            "{}{}{}",
            Wording::get(&w.figures, "open"),
            counts.join(Wording::get(&w.figures, "separator")),
            Wording::get(&w.figures, "close")
        )
    };
    // A report that hedges ("reportedly", "گفته می شود") is unconfirmed: the note says so.
    let hedge = if e.evidence.iter().any(|ev| ev.field == "hedge") {
        w.hedge.as_str()
    } else {
        ""
    };
    fill(
        &w.sentence,
        &[
            ("date", &date),
            ("what", &what),
            ("figures", &figures),
            ("hedge", hedge),
        ],
    )
}

/// Who demonstrated, from the associated actor ("Students (Iran)" → "Students"): `None`
/// for no group or several, `ethnic` for an ethnic group (worded as protesters).
fn group_key(assoc: &str) -> Option<String> {
    let groups: Vec<&str> = assoc
        .split("; ")
        .filter(|g| !g.is_empty())
        .map(|g| g.trim_end_matches(" (Iran)"))
        .collect();
    match groups.as_slice() {
        [one] if one.ends_with("Ethnic Group") => Some("ethnic".into()),
        [one] => Some(one.to_string()),
        _ => None,
    }
}

/// Which force acted: a key of the wording's `[forces]` table.
fn force_key(assoc: &str, e: &Event) -> &'static str {
    if assoc.contains("Special Units") {
        "special_units"
    } else if assoc.contains("Plain-clothes") {
        "plainclothes"
    } else if assoc.contains("Basij") {
        "basij"
    } else if assoc.contains("Revolutionary Guard") {
        "irgc"
    } else if e.actor1.starts_with("Unidentified") {
        "unidentified"
    } else if e.actor1.starts_with("Military") || e.actor2.starts_with("Military") {
        "military"
    } else {
        "security"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrest() -> Event {
        let mut e = Event {
            event_date: "2022-11-14".into(),
            time_precision: 1,
            event_type: "Strategic developments".into(),
            sub_event_type: "Arrests".into(),
            actor1: "Police Forces of Iran (1989-)".into(),
            assoc_actor_1: "Police Forces of Iran (1989-) Special Units".into(),
            actor2: "Protesters (Iran)".into(),
            assoc_actor_2: "Students (Iran)".into(),
            location: "Shiraz".into(),
            admin1: "Fars".into(),
            geo_precision: 1,
            arrests: Some(12),
            ..Event::default()
        };
        e.notes = write(&e);
        e
    }

    #[test]
    fn persian_notes_word_the_same_fields_in_the_solar_hijri_calendar_and_persian_digits() {
        let e = arrest();
        assert_eq!(
            e.notes,
            "On 14 November 2022, special units arrested people in Shiraz (Fars). [12 arrested]"
        );
        assert_eq!(
            write_in(&e, "fa", "شیراز", "فارس"),
            "در ۲۳ آبان ۱۴۰۱، یگان ویژه در شیراز (فارس) افرادی را بازداشت کردند. [۱۲ بازداشتی]"
        );
        assert_eq!(
            write_in(&e, "en", "x", "y"),
            e.notes,
            "English is as stored"
        );
    }

    #[test]
    fn an_analysts_own_notes_are_shown_as_written_in_every_language() {
        let mut e = arrest();
        e.notes = "Twelve students were taken from the campus; two were released.".into();
        assert_eq!(write_in(&e, "fa", "شیراز", "فارس"), e.notes);
    }

    #[test]
    fn notes_whose_figures_are_an_incidents_are_still_the_generated_ones() {
        let mut e = arrest();
        e.notes = e.notes.replace("[12 arrested]", "[3 killed, 9 arrested]");
        assert!(is_generated(&e.notes, &e));
        assert!(write_in(&e, "fa", "شیراز", "فارس").ends_with("[۱۲ بازداشتی]"));
        e.notes = e.notes.replace("Shiraz", "Marvdasht");
        assert!(!is_generated(&e.notes, &e));
    }

    #[test]
    fn every_wording_has_every_template_english_uses() {
        for lang in LANGUAGES {
            let w = wording(lang);
            for key in ["exact", "around", "month", "unknown"] {
                assert!(w.date.contains_key(key), "{lang}: date.{key}");
            }
            for key in ["province_only", "with_province"] {
                assert!(w.place.contains_key(key), "{lang}: place.{key}");
            }
            for key in EN.what.keys() {
                assert!(w.what.contains_key(key), "{lang}: what.{key}");
            }
            for key in EN.figures.keys() {
                assert!(w.figures.contains_key(key), "{lang}: figures.{key}");
            }
            for key in EN.forces.keys() {
                assert!(w.forces.contains_key(key), "{lang}: forces.{key}");
            }
            for key in ["default", "rioters", "ethnic"] {
                assert!(w.groups.contains_key(key), "{lang}: groups.{key}");
            }
        }
    }
}
