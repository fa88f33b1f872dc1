//! The digest's rules, one test each.

use chrono::NaiveDate;
use unrest_digest::*;
use unrest_model::Event;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[allow(clippy::too_many_arguments)]
fn published(
    date: &str,
    admin1: &str,
    location: &str,
    (lat, lon): (f64, f64),
    killed: u32,
    injured: Option<u32>,
    arrested: Option<u32>,
    notes: &str,
) -> DigestEvent {
    DigestEvent {
        event: Event {
            event_id_cnty: format!("IRN-{location}-{date}"),
            event_date: date.into(),
            year: 2022,
            time_precision: 1,
            event_type: "Protests".into(),
            sub_event_type: "Protest with intervention".into(),
            admin1: admin1.into(),
            location: location.into(),
            latitude: lat,
            longitude: lon,
            geo_precision: 1,
            fatalities: killed,
            injuries: injured,
            arrests: arrested,
            notes: notes.into(),
            ..Default::default()
        },
        grade: "B2".into(),
        source_count: 2,
    }
}

fn digest(lang: Lang) -> DigestInput {
    DigestInput {
        from: day("2022-10-01"),
        to: day("2022-10-31"),
        lang,
        title: None,
        events: vec![
            published(
                "2022-10-26",
                "Kurdistan",
                "Saqqez",
                (36.2499, 46.2735),
                0,
                Some(12),
                Some(30),
                "Thousands walked to Aichi cemetery for the fortieth day.",
            ),
            published(
                "2022-10-08",
                "Kurdistan",
                "Sanandaj",
                (35.3113, 46.9960),
                2,
                None,
                Some(9),
                "Shots in Ferdowsi Street. Sent by @sanandaj_witness, call 0918 123 4567.",
            ),
            published(
                "2022-10-02",
                "Tehran",
                "Tehran - Sharif University",
                (35.7036, 51.3515),
                0,
                Some(3),
                Some(35),
                "Students besieged in the car park <script>alert(1)</script>",
            ),
            published(
                "2022-10-03",
                "Kurdistan",
                "Saqqez",
                (36.2499, 46.2735),
                1,
                Some(4),
                None,
                "",
            ),
            // Outside the period: left out of every figure.
            published(
                "2022-11-04",
                "Sistan and Baluchestan",
                "Khash",
                (28.2211, 61.2158),
                18,
                None,
                None,
                "",
            ),
        ],
        place_names: Default::default(),
        audit_head: None,
    }
}

fn html(d: &DigestInput) -> String {
    let mut out = Vec::new();
    render(d, DigestFormat::Html, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn md(d: &DigestInput) -> String {
    let mut out = Vec::new();
    render(d, DigestFormat::Markdown, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn totals_equal_the_sum_over_the_listed_events() {
    let d = digest(Lang::En);
    let s = summary(&d);
    let listed: Vec<&Event> = d
        .events
        .iter()
        .map(|e| &e.event)
        .filter(|e| e.event_date.as_str() < "2022-11")
        .collect();
    assert_eq!(s.total.events, listed.len());
    assert_eq!(
        s.total.fatalities,
        listed.iter().map(|e| e.fatalities as u64).sum::<u64>()
    );
    assert_eq!(
        s.total.injuries,
        listed
            .iter()
            .filter_map(|e| e.injuries)
            .map(u64::from)
            .sum::<u64>()
    );
    assert_eq!(
        s.total.arrests,
        listed
            .iter()
            .filter_map(|e| e.arrests)
            .map(u64::from)
            .sum::<u64>()
    );
    assert_eq!(
        s.provinces.iter().map(|(_, t)| t.events).sum::<usize>(),
        s.total.events
    );
    assert_eq!(s.provinces[0].0, "Kurdistan");
    assert_eq!(
        (
            s.total.events,
            s.total.fatalities,
            s.total.injuries,
            s.total.arrests
        ),
        (4, 3, 19, 74)
    );
    let page = html(&d);
    assert!(page.contains(r#"<tfoot><tr><td>Total</td><td class="n">4</td><td class="n">3</td><td class="n">19</td><td class="n">74</td></tr></tfoot>"#));
}

#[test]
fn events_outside_the_period_are_left_out() {
    let page = html(&digest(Lang::En));
    assert!(!page.contains("Khash"));
    assert!(!page.contains("Sistan"));
}

#[test]
fn notes_are_escaped_so_a_script_prints_as_text() {
    let page = html(&digest(Lang::En));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script"));
    let text = md(&digest(Lang::En));
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn notes_are_redacted() {
    for out in [html(&digest(Lang::En)), md(&digest(Lang::En))] {
        assert!(!out.contains("0918"), "{out}");
        assert!(!out.contains("sanandaj_witness"));
        assert!(out.contains("phone"));
    }
}

#[test]
fn the_html_page_loads_nothing_from_outside() {
    let page = html(&digest(Lang::En));
    for forbidden in [
        "src=", "href=", "url(", "@import", "<link", "<img", "<iframe",
    ] {
        assert!(!page.contains(forbidden), "{forbidden}");
    }
    let rest = page
        .replace(r#"xmlns="http://www.w3.org/2000/svg""#, "")
        .replace("http-equiv", "");
    assert!(!rest.contains("http"));
    assert!(page.contains("default-src 'none'"));
    assert_eq!(page.matches("<svg").count(), 2);
}

#[test]
fn events_are_grouped_by_province_and_city_and_ordered_by_date() {
    let page = html(&digest(Lang::En));
    let listing = &page[page.find("Events by province and city").unwrap()..];
    let at = |s: &str| listing.find(s).unwrap_or_else(|| panic!("{s} missing"));
    // Kurdistan has most events, so it comes first; its cities in order, dates in order.
    assert!(at("<h3>Kurdistan</h3>") < at("<h3>Tehran</h3>"));
    assert!(at("<h4>Sanandaj</h4>") < at("<h4>Saqqez</h4>"));
    assert!(at("3 October 2022") < at("26 October 2022"));
    assert!(at("<h4>Saqqez</h4>") < at("3 October 2022"));
    // A district prints beside its date, under its city.
    assert!(at("<h4>Tehran</h4>") < at("2 October 2022 · Sharif University"));
    assert!(page.contains(r#"<span class="grade">B2</span> · 2 independent sources"#));
}

#[test]
fn a_persian_digest_is_right_to_left_with_persian_words_digits_and_dates() {
    let page = html(&digest(Lang::Fa));
    assert!(page.contains(r#"<html lang="fa" dir="rtl">"#));
    assert!(page.contains("خلاصه به تفکیک استان"));
    assert!(page.contains("<h3>کردستان</h3>"));
    // 26 October 2022 is 4 Aban 1401.
    assert!(page.contains("۴ آبان ۱۴۰۱"));
    assert!(page.contains("اعتراض: اعتراض با مداخلهٔ نیروها"));
    let text = md(&digest(Lang::Fa));
    assert!(text.starts_with("<div dir=\"rtl\">"));
    assert!(text.contains("| **جمع** | **۴** | **۳** | **۱۹** | **۷۴** |"));
}

#[test]
fn every_digest_prints_the_audit_head_it_was_made_at() {
    let head = format!("812:{}", "ab".repeat(32));
    for lang in [Lang::En, Lang::Fa] {
        let mut d = digest(lang);
        d.audit_head = Some(head.clone());
        assert!(html(&d).contains(&format!("<code dir=\"ltr\">{head}</code>")));
        let mut md = Vec::new();
        unrest_digest::render(&d, unrest_digest::DigestFormat::Markdown, &mut md).unwrap();
        assert!(String::from_utf8(md)
            .unwrap()
            .contains(&format!("`{head}`")));
    }
}

#[test]
fn the_gazetteers_names_replace_the_events_names() {
    let mut d = digest(Lang::Fa);
    d.place_names.insert("Saqqez".into(), "سقز".into());
    assert!(html(&d).contains("<h4>سقز</h4>"));
}

#[test]
fn a_period_without_events_says_so() {
    let mut d = digest(Lang::En);
    d.events.clear();
    let page = html(&d);
    assert!(page.contains("No published events in this period."));
    assert!(!page.contains("<svg"));
}

#[test]
fn markdown_shows_event_text_literally() {
    let mut d = digest(Lang::En);
    d.events[0].event.notes = "1. not a list *nor bold* [nor](a link) | nor a cell".into();
    let text = md(&d);
    assert!(text.contains(r"1\. not a list \*nor bold\* \[nor\](a link) \| nor a cell"));
}

#[test]
fn pdf_is_the_html_printed_by_a_browser() {
    assert!("pdf"
        .parse::<DigestFormat>()
        .unwrap_err()
        .contains("print_to_pdf_args"));
    let args = print_to_pdf_args("/tmp/d.html", "/tmp/d.pdf");
    assert!(args.contains(&"--print-to-pdf=/tmp/d.pdf".to_string()));
    assert_eq!(args.last().unwrap(), "file:///tmp/d.html");
}
