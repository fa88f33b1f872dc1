//! Notes in ACLED's style: a short neutral summary written from the coded fields alone, so
//! it carries no words of the reporter (and no name), and reads the same for an English
//! and a Persian report.

use chrono::{Datelike, NaiveDate};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
use unrest_model::Event;

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

pub fn write(e: &Event) -> String {
    let date = NaiveDate::parse_from_str(&e.event_date, "%Y-%m-%d")
        .map(|d| {
            let month = MONTHS[d.month0() as usize];
            match e.time_precision {
                3 => format!("In {month} {}", d.year()),
                2 => format!("Around {} {month} {}", d.day(), d.year()),
                _ => format!("On {} {month} {}", d.day(), d.year()),
            }
        })
        .unwrap_or_else(|_| "On an unknown date".into());
    let place = if e.geo_precision == 3 {
        format!("{} province", e.admin1)
    } else if e.admin1.is_empty() {
        e.location.clone()
    } else {
        format!("{} ({})", e.location, e.admin1)
    };
    let who = group_words(
        if e.actor1.starts_with("Protesters") || e.actor1.starts_with("Rioters") {
            &e.assoc_actor_1
        } else {
            &e.assoc_actor_2
        },
    );
    let force = force_words(
        if e.actor1.contains("Forces") {
            &e.assoc_actor_1
        } else {
            &e.assoc_actor_2
        },
        e,
    );
    let what = match (e.event_type.as_str(), e.sub_event_type.as_str()) {
        ("Protests", "Peaceful protest") => format!("{who} held a protest in {place}."),
        ("Protests", "Protest with intervention") => {
            format!("{who} held a protest in {place}; {force} intervened to disperse them.")
        }
        ("Protests", _) => format!("{force} used excessive force against {who} in {place}."),
        ("Riots", _) => {
            let vs = if e.actor2.is_empty() {
                String::new()
            } else {
                format!(" and clashed with {force}")
            };
            format!(
                "{} rioted in {place}{vs}.",
                if who == "protesters" {
                    "demonstrators".to_string()
                } else {
                    who.clone()
                }
            )
        }
        ("Violence against civilians", _) => format!("{force} attacked civilians in {place}."),
        ("Strategic developments", "Arrests") => format!("{force} arrested people in {place}."),
        (t, s) => format!("{t} ({s}) in {place}."),
    };
    let mut counts = Vec::new();
    if e.fatalities > 0 {
        counts.push(format!("{} killed", e.fatalities));
    }
    if let Some(n) = e.injuries.filter(|&n| n > 0) {
        counts.push(format!("{n} injured"));
    }
    if let Some(n) = e.arrests.filter(|&n| n > 0) {
        counts.push(format!("{n} arrested"));
    }
    let tail = if counts.is_empty() {
        String::new()
    } else {
        format!(" [{}]", counts.join(", "))
    };
    // A report that hedges ("reportedly", "گفته می شود") is unconfirmed: the note says so.
    let hedge = if e.evidence.iter().any(|ev| ev.field == "hedge") {
        " The report is unconfirmed."
    } else {
        ""
    };
    format!("{date}, {what}{tail}{hedge}")
}

/// Who demonstrated, from the associated actor ("Students (Iran)" → "Students").
fn group_words(assoc: &str) -> String {
    let groups: Vec<&str> = assoc
        .split("; ")
        .filter(|g| !g.is_empty())
        .map(|g| g.trim_end_matches(" (Iran)"))
        .collect();
    match groups.as_slice() {
        [] => "protesters".into(),
        [one] => match *one {
            "Labor Group" => "workers".into(),
            "Traders" => "merchants".into(),
            g if g.ends_with("Ethnic Group") => "protesters".into(),
            g => g.to_lowercase(),
        },
        _ => "protesters".into(),
    }
}

fn force_words(assoc: &str, e: &Event) -> String {
    if assoc.contains("Special Units") {
        return "special units".into();
    }
    if assoc.contains("Plain-clothes") {
        return "plain-clothes agents".into();
    }
    if assoc.contains("Basij") {
        return "Basij forces".into();
    }
    if assoc.contains("Revolutionary Guard") {
        return "IRGC forces".into();
    }
    if e.actor1.starts_with("Unidentified") {
        return "unidentified gunmen".into();
    }
    if e.actor1.starts_with("Military") || e.actor2.starts_with("Military") {
        return "military forces".into();
    }
    "security forces".into()
}
