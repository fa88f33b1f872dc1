//! Coding is linear in a report's length (issue 16): these pin that the look-backs and
//! range searches made linear give what the scans they replaced gave, on long reports of our
//! own writing. Timings are in the note, not here.

use chrono::NaiveDate;
use unrest_coder::{Coder, Lang};
use unrest_model::{Event, Report};

fn code(coder: &Coder, text: &str) -> Vec<Event> {
    let report = Report {
        id: "t".into(),
        text: text.into(),
        reference_date: None,
        lang: None,
    };
    let reference = NaiveDate::from_ymd_opt(2022, 11, 30).unwrap();
    coder.code(&report, reference, Lang::Auto)
}

fn key(e: &Event) -> (String, String, String, u32) {
    (
        e.event_date.clone(),
        e.location.clone(),
        e.sub_event_type.clone(),
        e.fatalities,
    )
}

#[test]
fn a_run_on_report_codes_as_its_first_clause_does() {
    let coder = Coder::new();
    let clause = "protesters gathered and chanted slogans and riot police fired tear gas and \
                  many people were injured ";
    let head = "Sanandaj, 12 November 2022\n\n";
    let once: Vec<_> = code(&coder, &format!("{head}{clause}"))
        .iter()
        .map(key)
        .collect();
    let long: Vec<_> = code(&coder, &format!("{head}{}", clause.repeat(400)))
        .iter()
        .map(key)
        .collect();
    assert!(!once.is_empty());
    assert_eq!(
        once.iter().map(|k| (&k.0, &k.1, &k.2)).collect::<Vec<_>>(),
        long.iter().map(|k| (&k.0, &k.1, &k.2)).collect::<Vec<_>>()
    );
}

#[test]
fn a_document_of_many_headings_gives_one_event_per_place_and_day_of_its_sections() {
    let coder = Coder::new();
    let cities = ["Sanandaj", "Saqqez", "Mahabad"];
    let mut doc = String::new();
    let mut alone: Vec<(String, String, String, u32)> = Vec::new();
    for k in 0..90 {
        let section = format!(
            "## {}, {} November 2022\n\nHundreds of people gathered and chanted slogans.\n\n",
            cities[k % 3],
            1 + (k / 3) % 20
        );
        doc.push_str(&section);
        for e in code(&coder, &section) {
            let key = key(&e);
            if !alone.iter().any(|a| a.0 == key.0 && a.1 == key.1) {
                alone.push(key);
            }
        }
    }
    let mut whole: Vec<_> = code(&coder, &doc).iter().map(key).collect();
    whole.sort();
    alone.sort();
    assert_eq!(
        whole.iter().map(|k| (&k.0, &k.1)).collect::<Vec<_>>(),
        alone.iter().map(|k| (&k.0, &k.1)).collect::<Vec<_>>()
    );
}
