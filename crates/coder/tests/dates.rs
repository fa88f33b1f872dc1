//! Dates claim no more than the report says (issue 12).

use chrono::NaiveDate;
use unrest_coder::{Coder, Lang, Options};
use unrest_model::Report;

fn code(text: &str) -> Vec<unrest_model::Event> {
    let report = Report {
        id: "r".into(),
        text: text.into(),
        reference_date: None,
        lang: None,
    };
    let options = Options {
        reference: NaiveDate::from_ymd_opt(2022, 11, 30),
        today: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        lang: Lang::Auto,
        timestamp: 0,
    };
    Coder::new().code_with(&report, &options)
}

#[test]
fn a_report_that_names_no_day_gets_the_reporting_date_without_day_precision() {
    for text in [
        "Protesters gathered in Sanandaj and chanted slogans.",
        "معترضان در سنندج تجمع کردند و شعار دادند.",
    ] {
        let events = code(text);
        assert_eq!(events.len(), 1, "{text}");
        let e = &events[0];
        assert_eq!(
            (e.event_date.as_str(), e.time_precision),
            ("2022-11-30", 2),
            "{text}"
        );
        assert!(
            !e.notes.starts_with("On "),
            "the notes claim no day: {}",
            e.notes
        );
    }
}

#[test]
fn a_named_day_keeps_day_precision_with_its_evidence() {
    let e = &code("Sanandaj, 5 November: protesters gathered and chanted slogans.")[0];
    assert_eq!((e.event_date.as_str(), e.time_precision), ("2022-11-05", 1));
    assert!(e.notes.starts_with("On 5 November 2022"));
}

#[test]
fn every_precision_one_date_has_evidence() {
    let coder = Coder::new();
    let options = Options {
        reference: NaiveDate::from_ymd_opt(2022, 11, 30),
        today: NaiveDate::from_ymd_opt(2022, 11, 30).unwrap(),
        lang: Lang::Auto,
        timestamp: 0,
    };
    let mut checked = 0;
    for report in unrest_coder::sample::corpus(400) {
        for e in coder.code_with(&report, &options) {
            if e.time_precision == 1 {
                checked += 1;
                assert!(
                    e.evidence.iter().any(|x| x.field == "event_date"),
                    "{}: {} at precision 1 without evidence",
                    report.id,
                    e.event_date
                );
            }
        }
    }
    assert!(checked > 0);
}
