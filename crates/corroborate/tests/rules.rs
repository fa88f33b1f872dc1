//! The corroboration rules, one test each, on events built by hand as the coder would write
//! them.

use unrest_corroborate::*;
use unrest_model::{Event, Evidence};

const ZAHEDAN_EN: &str = "Zahedan, 30 September. After Friday prayers security forces opened \
    fire from the roof of the police station on worshippers leaving the Makki mosque. At least \
    40 people were killed and dozens wounded; the wounded are being treated in homes.";
const ZAHEDAN_FA: &str = "زاهدان، ۸ مهر. بعد از نماز جمعه ماموران از پشت بام کلانتری به سمت \
    نمازگزاران مسجد مکی تیراندازی کردند. ۶۶ نفر کشته شدند و صدها نفر زخمی هستند.";

/// An event as the coder writes it: the fields clustering reads, the rest default.
fn event(id: &str, report: &str, date: &str, location: &str, (lat, lon): (f64, f64)) -> Event {
    Event {
        event_id_cnty: id.into(),
        report: report.into(),
        event_date: date.into(),
        year: 2022,
        time_precision: 1,
        event_type: "Protests".into(),
        sub_event_type: "Peaceful protest".into(),
        disorder_type: "Demonstrations".into(),
        country: "Iran".into(),
        admin1: "Tehran".into(),
        location: location.into(),
        latitude: lat,
        longitude: lon,
        geo_precision: 1,
        ..Default::default()
    }
}

fn typed(mut e: Event, event_type: &str, sub: &str) -> Event {
    e.event_type = event_type.into();
    e.sub_event_type = sub.into();
    e
}

fn shooting(id: &str, report: &str, killed: u32) -> Event {
    let mut e = typed(
        event(id, report, "2022-09-30", "Zahedan", (29.4963, 60.8629)),
        "Protests",
        "Excessive force against protesters",
    );
    e.admin1 = "Sistan and Baluchestan".into();
    e.fatalities = killed;
    e
}

const TEHRAN: (f64, f64) = (35.6892, 51.3890);
const NAZIABAD: (f64, f64) = (35.6333, 51.4000);
const TAJRISH: (f64, f64) = (35.8050, 51.4250);

/// Clusters events whose reports are their own sources, on the default parameters.
fn run(events: &[Event], decisions: &[Decision]) -> Clustering {
    let refs: Vec<EventRef> = events
        .iter()
        .map(|e| EventRef::from_event(e, "", Reliability::F))
        .collect();
    cluster_with(&refs, decisions, &Params::default())
}

/// Clusters events with source keys computed from the reports' texts.
fn run_with_texts(events: &[Event], texts: &[(&str, &str)]) -> Vec<Cluster> {
    let keys = source_groups(texts);
    let source_of = |report: &str| {
        let at = texts.iter().position(|(id, _)| *id == report).unwrap();
        keys[at].as_str()
    };
    let refs: Vec<EventRef> = events
        .iter()
        .map(|e| EventRef::from_event(e, source_of(&e.report), Reliability::F))
        .collect();
    cluster(&refs, &Params::default())
}

fn grouping(c: &Clustering) -> Vec<Vec<String>> {
    let mut g: Vec<Vec<String>> = c.clusters.iter().map(|c| c.reports.clone()).collect();
    g.sort();
    g
}

fn key(e: &Event) -> EventKey {
    EventKey::of(&EventRef::from_event(e, "", Reliability::F))
}

#[test]
fn two_reports_of_one_incident_in_two_languages_are_one_event_with_two_sources() {
    let events = [shooting("en-1", "en", 40), shooting("fa-1", "fa", 66)];
    let clusters = run_with_texts(&events, &[("en", ZAHEDAN_EN), ("fa", ZAHEDAN_FA)]);
    assert_eq!(clusters.len(), 1);
    let c = &clusters[0];
    assert_eq!(c.source_count, 2);
    assert_eq!(c.reports, ["en", "fa"]);
    assert_eq!(c.events, ["en-1", "fa-1"]);
    assert_eq!(c.canonical.location, "Zahedan");
}

#[test]
fn a_forwarded_copy_does_not_raise_source_count() {
    let forwarded = format!(
        "Forwarded: {}",
        ZAHEDAN_EN.replace("At least 40", "at least forty")
    );
    let events = [
        shooting("en-1", "en", 40),
        shooting("fa-1", "fa", 66),
        shooting("fw-1", "fw", 40),
    ];
    let clusters = run_with_texts(
        &events,
        &[("en", ZAHEDAN_EN), ("fa", ZAHEDAN_FA), ("fw", &forwarded)],
    );
    assert_eq!(clusters.len(), 1);
    assert_eq!(clusters[0].reports, ["en", "fa", "fw"]);
    assert_eq!(clusters[0].sources, ["en", "fa"]);
    assert_eq!(clusters[0].source_count, 2);
}

#[test]
fn incompatible_types_in_one_city_on_one_day_stay_two_events() {
    let protest = event("a-1", "a", "2022-10-26", "Tehran", TEHRAN);
    let raid = typed(
        event("b-1", "b", "2022-10-26", "Tehran", TEHRAN),
        "Strategic developments",
        "Arrests",
    );
    assert_eq!(run(&[protest, raid], &[]).clusters.len(), 2);
}

#[test]
fn incidents_far_apart_in_one_city_on_one_day_stay_two_events() {
    let south = event("a-1", "a", "2022-10-26", "Tehran - Naziabad", NAZIABAD);
    let north = event("b-1", "b", "2022-10-26", "Tehran - Tajrish", TAJRISH);
    assert_eq!(run(&[south, north], &[]).clusters.len(), 2);
}

#[test]
fn a_protest_and_the_riot_it_became_are_one_incident() {
    let march = event("a-1", "a", "2022-10-26", "Tehran - Naziabad", NAZIABAD);
    let riot = typed(
        event(
            "b-1",
            "b",
            "2022-10-26",
            "Tehran - Naziabad",
            (35.64, 51.41),
        ),
        "Riots",
        "Violent demonstration",
    );
    let c = run(&[march, riot], &[]);
    assert_eq!(c.clusters.len(), 1);
    let conflict = &c.clusters[0].conflicts[0];
    assert_eq!(conflict.field, Field::Type);
    assert_eq!(conflict.values.len(), 2);
}

#[test]
fn events_of_one_report_are_never_merged_automatically() {
    let a = event("a-1", "a", "2022-10-26", "Tehran", TEHRAN);
    let b = event("a-2", "a", "2022-10-26", "Tehran", TEHRAN);
    assert_eq!(run(&[a, b], &[]).clusters.len(), 2);
}

#[test]
fn precise_dates_on_different_days_stay_apart() {
    let a = event("a-1", "a", "2022-10-26", "Tehran", TEHRAN);
    let b = event("b-1", "b", "2022-10-27", "Tehran", TEHRAN);
    assert_eq!(run(&[a, b], &[]).clusters.len(), 2);
}

#[test]
fn a_date_known_to_the_week_joins_a_day_within_three_days() {
    let day = event("a-1", "a", "2022-10-26", "Tehran", TEHRAN);
    let mut week = event("b-1", "b", "2022-10-23", "Tehran", TEHRAN);
    week.time_precision = 2;
    let mut far = event("c-1", "c", "2022-10-15", "Tehran", TEHRAN);
    far.time_precision = 2;
    let c = run(&[day, week, far], &[]);
    assert_eq!(grouping(&c), [vec!["a", "b"], vec!["c"]]);
    let joined = c.clusters.iter().find(|c| c.reports.len() == 2).unwrap();
    assert_eq!(
        joined.canonical.event_date.unwrap().to_string(),
        "2022-10-26"
    );
    assert_eq!(joined.canonical.time_precision, 1);
}

#[test]
fn a_vague_report_that_fits_two_incidents_joins_neither() {
    let monday = event("a-1", "a", "2022-10-24", "Tehran", TEHRAN);
    let wednesday = event("b-1", "b", "2022-10-26", "Tehran", TEHRAN);
    let mut month = event("c-1", "c", "2022-10-15", "Tehran", TEHRAN);
    month.time_precision = 3;
    let c = run(&[monday, wednesday, month], &[]);
    assert_eq!(c.clusters.len(), 3);
}

#[test]
fn a_report_known_only_to_the_province_joins_the_one_incident_there() {
    let city = shooting("a-1", "a", 40);
    let mut province = shooting("b-1", "b", 0);
    province.location = "Sistan and Baluchestan".into();
    province.geo_precision = 3;
    (province.latitude, province.longitude) = (29.0, 61.0);
    let c = run(&[city, province], &[]);
    assert_eq!(c.clusters.len(), 1);
    assert_eq!(c.clusters[0].canonical.location, "Zahedan");
    assert_eq!(c.clusters[0].canonical.geo_precision, 1);
}

#[test]
fn counts_take_the_lowest_figure_given_not_the_sum() {
    let mut a = shooting("a-1", "a", 66);
    a.injuries = Some(100);
    let mut b = shooting("b-1", "b", 40);
    b.injuries = Some(15);
    b.arrests = Some(0);
    // 0 fatalities with no words behind them is "unknown", not a figure.
    let c = shooting("c-1", "c", 0);
    let out = run(&[a, b, c], &[]);
    let k = &out.clusters[0].canonical;
    assert_eq!(
        (k.fatalities, k.injuries, k.arrests),
        (40, Some(15), Some(0))
    );
}

#[test]
fn zero_dead_said_in_words_is_a_figure() {
    let a = shooting("a-1", "a", 12);
    let mut b = shooting("b-1", "b", 0);
    b.evidence = vec![Evidence {
        field: "fatalities".into(),
        start: 0,
        end: 12,
        text: "nobody died".into(),
    }];
    let out = run(&[a, b], &[]);
    assert_eq!(out.clusters[0].canonical.fatalities, 0);
    assert_eq!(out.clusters[0].conflicts[0].field, Field::Fatalities);
}

#[test]
fn conflicts_list_every_value_and_who_gave_it() {
    let mut a = shooting("a-1", "a", 66);
    a.injuries = Some(100);
    let b = typed(
        shooting("b-1", "b", 40),
        "Violence against civilians",
        "Attack",
    );
    let out = run(&[a, b], &[]);
    let c = &out.clusters[0];
    let fields: Vec<Field> = c.conflicts.iter().map(|c| c.field).collect();
    assert_eq!(fields, [Field::Type, Field::Fatalities]);
    let killed = &c.conflicts[1].values;
    assert_eq!(killed[0].value, "66");
    assert_eq!(killed[0].reports, ["a"]);
    assert_eq!(killed[1].value, "40");
    assert_eq!(killed[1].events, ["b-1"]);
    // Injuries given by one member only are not a disagreement.
    assert!(!fields.contains(&Field::Injuries));
    // An even split on the type takes the more severe.
    assert_eq!(
        c.canonical.sub_event_type,
        "Excessive force against protesters"
    );
}

/// Re-coding gives new ids and may move an event a little.
fn recode(events: &[Event]) -> Vec<Event> {
    events
        .iter()
        .map(|e| {
            let mut e = e.clone();
            e.event_id_cnty = format!("{}-v2", e.event_id_cnty);
            e.latitude += 0.002;
            e.fatalities += 1;
            e
        })
        .collect()
}

#[test]
fn a_split_survives_recoding() {
    let events = [
        shooting("a-1", "a", 40),
        shooting("b-1", "b", 40),
        shooting("c-1", "c", 40),
    ];
    assert_eq!(run(&events, &[]).clusters.len(), 1);
    let split = [Decision::Split {
        event: key(&events[2]),
    }];
    let before = run(&events, &split);
    assert_eq!(grouping(&before), [vec!["a", "b"], vec!["c"]]);
    let after = run(&recode(&events), &split);
    assert_eq!(grouping(&after), grouping(&before));
    assert!(after.unresolved.is_empty());
    let alone = after.clusters.iter().find(|c| c.reports == ["c"]).unwrap();
    assert_eq!(alone.decisions, [0]);
}

#[test]
fn a_merge_survives_recoding() {
    let events = [
        event("a-1", "a", "2022-10-26", "Tehran - Naziabad", NAZIABAD),
        event("b-1", "b", "2022-10-26", "Tehran - Naziabad", NAZIABAD),
        event("c-1", "c", "2022-10-26", "Tehran - Tajrish", TAJRISH),
    ];
    assert_eq!(run(&events, &[]).clusters.len(), 2);
    let merge = [Decision::Merge {
        a: key(&events[0]),
        b: key(&events[2]),
    }];
    let before = run(&events, &merge);
    assert_eq!(grouping(&before), [vec!["a", "b", "c"]]);
    assert_eq!(grouping(&run(&recode(&events), &merge)), grouping(&before));
    // The analyst merged two places: that is shown, not hidden.
    assert_eq!(before.clusters[0].conflicts[0].field, Field::Place);
}

#[test]
fn a_later_split_undoes_an_earlier_merge_of_that_event() {
    let events = [
        event("a-1", "a", "2022-10-26", "Tehran - Naziabad", NAZIABAD),
        event("c-1", "c", "2022-10-26", "Tehran - Tajrish", TAJRISH),
    ];
    let decisions = [
        Decision::Merge {
            a: key(&events[0]),
            b: key(&events[1]),
        },
        Decision::Split {
            event: key(&events[1]),
        },
    ];
    assert_eq!(run(&events, &decisions).clusters.len(), 2);
}

#[test]
fn a_merge_across_days_lists_the_dates() {
    let events = [
        event("a-1", "a", "2022-10-26", "Tehran", TEHRAN),
        event("b-1", "b", "2022-10-27", "Tehran", TEHRAN),
    ];
    let merge = [Decision::Merge {
        a: key(&events[0]),
        b: key(&events[1]),
    }];
    let out = run(&events, &merge);
    assert_eq!(out.clusters.len(), 1);
    let c = &out.clusters[0].conflicts[0];
    assert_eq!(c.field, Field::Date);
    assert_eq!(c.values[0].value, "2022-10-26 (precision 1)");
}

#[test]
fn a_decision_whose_event_is_gone_is_reported_not_dropped() {
    let events = [shooting("a-1", "a", 40)];
    let mut elsewhere = shooting("x", "a", 1);
    elsewhere.location = "Khash".into();
    (elsewhere.latitude, elsewhere.longitude) = (28.22, 61.21);
    let split = [
        Decision::Split {
            event: key(&elsewhere),
        },
        Decision::Split {
            event: key(&shooting("a-1", "gone", 40)),
        },
    ];
    assert_eq!(run(&events, &split).unresolved, [0, 1]);
}

#[test]
fn the_grade_is_suggested_from_sources_and_channels_and_an_analysts_wins() {
    let events = [shooting("a-1", "a", 40), shooting("b-1", "b", 40)];
    let refs: Vec<EventRef> = events
        .iter()
        .zip([Reliability::B, Reliability::F])
        .map(|(e, r)| EventRef::from_event(e, "", r))
        .collect();
    let out = cluster_with(&refs, &[], &Params::default());
    assert_eq!(out.clusters[0].grade.to_string(), "B1");
    assert!(!out.clusters[0].graded_by_analyst);

    let recoded = recode(&events);
    let refs: Vec<EventRef> = recoded
        .iter()
        .map(|e| EventRef::from_event(e, "", Reliability::F))
        .collect();
    let pinned = [
        Decision::Grade {
            event: key(&events[1]),
            grade: "C3".parse().unwrap(),
        },
        Decision::Publish {
            event: key(&events[0]),
            published: true,
        },
    ];
    let out = cluster_with(&refs, &pinned, &Params::default());
    assert_eq!(out.clusters[0].grade.to_string(), "C3");
    assert!(out.clusters[0].graded_by_analyst);
    assert!(out.clusters[0].published);
}

#[test]
fn decisions_are_plain_data_the_store_can_keep() {
    let d = Decision::Grade {
        event: key(&shooting("a-1", "a", 40)),
        grade: "B2".parse().unwrap(),
    };
    let json = serde_json::to_string(&d).unwrap();
    assert!(json.starts_with(r#"{"decision":"grade","event":{"report":"a""#));
    assert!(json.ends_with(r#""grade":"B2"}"#));
    assert_eq!(serde_json::from_str::<Decision>(&json).unwrap(), d);
}

#[test]
fn an_undated_event_stands_alone_and_every_event_is_in_one_cluster() {
    let mut undated = shooting("u-1", "u", 3);
    undated.event_date = String::new();
    let events = [shooting("a-1", "a", 40), undated, shooting("b-1", "b", 40)];
    let out = run(&events, &[]);
    let mut all: Vec<usize> = out
        .clusters
        .iter()
        .flat_map(|c| c.members.clone())
        .collect();
    all.sort();
    assert_eq!(all, [0, 1, 2]);
    assert_eq!(out.clusters.last().unwrap().reports, ["u"]);
}

#[test]
fn the_canonical_event_writes_the_merged_fields_over_the_lead() {
    let mut a = shooting("a-1", "a", 66);
    a.notes = "Lead's notes".into();
    let b = shooting("b-1", "b", 40);
    let events = [a, b];
    let out = run(&events, &[]);
    let k = &out.clusters[0].canonical;
    let canonical = k.apply_to(&events[k.lead]);
    assert_eq!(canonical.fatalities, 40);
    assert_eq!(canonical.event_date, "2022-09-30");
}

#[test]
fn an_even_split_on_the_type_takes_the_more_precise_witness() {
    let riot = typed(
        event("a-1", "a", "2022-10-08", "Sanandaj", (35.3113, 46.9960)),
        "Riots",
        "Violent demonstration",
    );
    let mut hearsay = typed(
        event("b-1", "b", "2022-10-07", "Sanandaj", (35.3113, 46.9960)),
        "Protests",
        "Excessive force against protesters",
    );
    hearsay.time_precision = 2;
    let out = run(&[riot, hearsay], &[]);
    assert_eq!(out.clusters.len(), 1);
    assert_eq!(out.clusters[0].canonical.event_type, "Riots");
}

#[test]
fn two_districts_of_one_city_are_two_places_however_close() {
    let narmak = event(
        "a-1",
        "a",
        "2022-10-26",
        "Tehran - Narmak",
        (35.7400, 51.5000),
    );
    let tehranpars = event(
        "b-1",
        "b",
        "2022-10-26",
        "Tehran - Tehranpars",
        (35.7380, 51.5300),
    );
    let city = event("c-1", "c", "2022-10-26", "Tehran", (35.7390, 51.5100));
    let out = run(&[narmak, tehranpars, city], &[]);
    // The report naming only the city joins one of them, not both.
    assert_eq!(out.clusters.len(), 2);
}
