//! The coding rules, each pinned by a report of our own writing: a report in, the expected
//! events out. Named after the rule they pin.

use chrono::NaiveDate;
use std::sync::OnceLock;
use unrest_coder::{Coder, Lang};
use unrest_model::{Event, Report};

fn coder() -> &'static Coder {
    static CODER: OnceLock<Coder> = OnceLock::new();
    CODER.get_or_init(Coder::new)
}

fn code(text: &str, reference: &str) -> Vec<Event> {
    let report = Report {
        id: "t".into(),
        text: text.into(),
        reference_date: None,
        lang: None,
    };
    let reference = NaiveDate::parse_from_str(reference, "%Y-%m-%d").unwrap();
    let events = coder().code(&report, reference, Lang::Auto);
    for e in &events {
        assert_evidence_cuts_the_text(text, e);
    }
    events
}

fn one(text: &str, reference: &str) -> Event {
    let events = code(text, reference);
    assert_eq!(
        events.len(),
        1,
        "expected one event from {text:?}, got {events:#?}"
    );
    events.into_iter().next().unwrap()
}

fn assert_evidence_cuts_the_text(text: &str, e: &Event) {
    for ev in &e.evidence {
        assert_eq!(
            text.get(ev.start..ev.end),
            Some(ev.text.as_str()),
            "evidence {ev:?}"
        );
        assert!(!ev.text.is_empty());
    }
}

fn evidence<'a>(e: &'a Event, field: &str) -> Option<&'a str> {
    e.evidence
        .iter()
        .find(|ev| ev.field == field)
        .map(|ev| ev.text.as_str())
}

fn kind(e: &Event) -> (&str, &str) {
    (e.event_type.as_str(), e.sub_event_type.as_str())
}

// --- Documents with several reports -------------------------------------------------------

#[test]
fn a_preamble_yields_no_event_and_each_heading_opens_a_section() {
    let text = "Field reports from the north, November 30, 2022\n\nProtests continued across the country, our sources say.\n\nReport from Sari—November 28\n\nHundreds of people gathered and chanted slogans.\n\nReport from Gorgan—November 27\n\nYoung people blocked a road with burning tires.";
    let events = code(text, "2022-11-30");
    let places: Vec<&str> = events.iter().map(|e| e.location.as_str()).collect();
    assert_eq!(places, ["Sari", "Gorgan"]);
    assert_eq!(events[0].event_date, "2022-11-28");
    assert_eq!(events[1].event_date, "2022-11-27");
}

#[test]
fn bullet_lines_are_sections() {
    let text = "Today's roundup:\n- Saqqez: shops closed in a general strike.\n- Mahabad: protesters clashed with security forces.";
    let events = code(text, "2022-10-20");
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].location, "Saqqez");
    assert_eq!(kind(&events[1]), ("Riots", "Violent demonstration"));
}

#[test]
fn a_heading_with_city_and_weekday_date_sets_place_and_day() {
    let e = one(
        "Zahedan, Friday September 30\nWorshippers gathered after prayers and security forces opened fire. At least 40 people were killed.",
        "2022-10-05",
    );
    assert_eq!(e.location, "Zahedan");
    assert_eq!(e.event_date, "2022-09-30");
    assert_eq!(e.fatalities, 40);
}

#[test]
fn a_heading_ending_in_a_colon_opens_a_section() {
    let events = code(
        "Rasht, 8 October: students chanted slogans.\nAhvaz, 9 October: workers went on strike.",
        "2022-10-10",
    );
    assert_eq!(events.len(), 2);
    assert_eq!(
        (events[0].location.as_str(), events[0].event_date.as_str()),
        ("Rasht", "2022-10-08")
    );
    assert_eq!(
        (events[1].location.as_str(), events[1].event_date.as_str()),
        ("Ahvaz", "2022-10-09")
    );
}

#[test]
fn a_section_that_moves_on_yields_two_events() {
    let events = code(
        "Report from Qolhak, Tehran—October\n\nPeople chanted slogans and riot police dispersed them with tear gas. From there, I went to Kianshahr, where young people set fire to a police motorcycle.",
        "2022-11-11",
    );
    assert_eq!(events.len(), 2, "{events:#?}");
    assert_eq!(events[0].location, "Tehran - Qolhak");
    assert_eq!(events[1].location, "Tehran - Kianshahr");
    assert_eq!(kind(&events[1]), ("Riots", "Violent demonstration"));
}

#[test]
fn two_days_in_one_place_are_two_events() {
    let events = code(
        "Sanandaj: On November 5 people gathered and chanted slogans. On November 6 police fired tear gas at them.",
        "2022-11-09",
    );
    assert_eq!(events.len(), 2, "{events:#?}");
    assert_eq!(events[0].event_date, "2022-11-05");
    assert_eq!(events[1].event_date, "2022-11-06");
}

#[test]
fn one_place_one_day_told_twice_is_one_event() {
    let events = code(
        "Protesters gathered in Arak on November 5.\nIn Arak, police fired tear gas at them.",
        "2022-11-09",
    );
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(kind(&events[0]), ("Protests", "Protest with intervention"));
}

// --- Places ------------------------------------------------------------------------------

#[test]
fn an_unknown_district_next_to_its_city_is_city_dash_district_at_the_city() {
    let e = one(
        "Report from Naziabad, Tehran — October: plain-clothes forces attacked people; pellet guns were fired; a girl was wounded.",
        "2022-11-11",
    );
    assert_eq!(e.location, "Tehran - Naziabad");
    assert_eq!(e.admin1, "Tehran");
    assert_eq!(e.geo_precision, 1);
    assert!((e.latitude - 35.69).abs() < 0.1 && (e.longitude - 51.42).abs() < 0.1);
    assert_eq!(evidence(&e, "location"), Some("Naziabad"));
    let e = one(
        "Report from Mahallati, Tehran — October: riot police dispersed a crowd with tear gas.",
        "2022-11-11",
    );
    assert_eq!(e.location, "Tehran - Mahallati");
    assert_eq!(evidence(&e, "location"), Some("Mahallati, Tehran"));
}

#[test]
fn a_province_alone_is_precision_3_at_its_capital() {
    let e = one(
        "Gilan province, 1 Aban 1401: Protests were held in several cities.",
        "2022-10-24",
    );
    assert_eq!(e.geo_precision, 3);
    assert_eq!(e.admin1, "Gilan");
    assert_eq!(e.location, "Rasht");
}

#[test]
fn a_persons_origin_is_not_the_event_place() {
    let e = one(
        "Protesters gathered in Marivan on 5 November. One of them was from Sarpol Zahab. Police beat them.",
        "2022-11-09",
    );
    assert_eq!(e.location, "Marivan");
}

#[test]
fn a_witness_origin_before_the_scene_is_not_the_event_place() {
    let e = one(
        "A student from Isfahan told us that in Karaj hundreds marched on Monday.",
        "2022-11-09",
    );
    assert_eq!(e.location, "Karaj");
}

#[test]
fn the_province_in_context_picks_between_towns_of_one_name() {
    // Ardakan: a town of ~15,000 in Fars and one of ~59,000 in Yazd.
    let e = one(
        "Fars province\nIn Ardakan, workers went on strike on Monday.",
        "2022-11-21",
    );
    assert_eq!(
        (e.location.as_str(), e.admin1.as_str()),
        ("Ardakan", "Fars")
    );
    let e = one(
        "Yazd\nIn Ardakan, workers went on strike on Monday.",
        "2022-11-21",
    );
    assert_eq!(e.admin1, "Yazd");
    let e = one(
        "Nurabad, Fars, Monday: shopkeepers closed their shops.",
        "2022-11-21",
    );
    assert_eq!(e.admin1, "Fars");
    let e = one(
        "Nurabad, Lorestan, Monday: shopkeepers closed their shops.",
        "2022-11-21",
    );
    assert_eq!(e.admin1, "Lorestan");
}

#[test]
fn a_place_named_like_another_province_is_the_place_in_context() {
    // Golestan is a province, and also a city of Tehran province.
    let e = one(
        "Golestan, Tehran province, Monday: residents chanted slogans.",
        "2022-11-21",
    );
    assert_eq!(
        (e.location.as_str(), e.admin1.as_str(), e.geo_precision),
        ("Golestan", "Tehran", 1)
    );
    let e = one(
        "Golestan province, Monday: residents chanted slogans.",
        "2022-11-21",
    );
    assert_eq!((e.admin1.as_str(), e.geo_precision), ("Golestan", 3));
}

#[test]
fn english_spelling_variants_find_one_place() {
    let a = one(
        "Esfahan, October 12: merchants went on strike.",
        "2022-10-13",
    );
    let b = one(
        "Isfahan, October 12: merchants went on strike.",
        "2022-10-13",
    );
    assert_eq!(a.location, b.location);
    assert_eq!(a.admin1, "Isfahan");
}

#[test]
fn user_places_add_neighbourhoods() {
    let g = unrest_gazetteer::Gazetteer::embedded()
        .with_user_places("Gohardasht\t35.80\t50.95\tKaraj\tAlborz\tdistrict\tگوهردشت\n")
        .unwrap();
    let coder = Coder::with_gazetteer(g);
    let report = Report {
        id: "u".into(),
        text: "در گوهردشت دیشب مردم شعار دادند.".into(),
        reference_date: None,
        lang: None,
    };
    let events = coder.code(
        &report,
        NaiveDate::from_ymd_opt(2022, 11, 2).unwrap(),
        Lang::Auto,
    );
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].location, "Karaj - Gohardasht");
}

// --- Dates -------------------------------------------------------------------------------

#[test]
fn dates_resolve_to_the_latest_day_on_or_before_the_reference() {
    assert_eq!(
        one("Tabriz, December 30: students protested.", "2023-01-05").event_date,
        "2022-12-30"
    );
    assert_eq!(
        one("Tabriz, yesterday: students protested.", "2023-01-05").event_date,
        "2023-01-04"
    );
}

#[test]
fn last_week_is_precision_2_and_a_month_is_precision_3() {
    let w = one(
        "Mashhad: last week students protested at the university.",
        "2022-11-20",
    );
    assert_eq!(w.time_precision, 2);
    let m = one(
        "Mashhad, October: students protested at the university.",
        "2022-11-20",
    );
    assert_eq!((m.time_precision, m.event_date.as_str()), (3, "2022-10-15"));
}

#[test]
fn a_solar_hijri_date_in_latin_letters_is_converted() {
    assert_eq!(
        one(
            "Kermanshah, 4 Aban 1401: people chanted slogans.",
            "2022-11-20"
        )
        .event_date,
        "2022-10-26"
    );
}

#[test]
fn a_dateline_is_the_reference_when_none_is_given() {
    let report = Report {
        id: "d".into(),
        text:
            "Tehran, November 30, 2022\n\nYesterday students chanted slogans at Sharif University."
                .into(),
        reference_date: None,
        lang: None,
    };
    let options = unrest_coder::Options {
        reference: None,
        today: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        lang: Lang::Auto,
        timestamp: 0,
    };
    let events = coder().code_with(&report, &options);
    assert_eq!(events[0].event_date, "2022-11-29");
}

// --- Event types -------------------------------------------------------------------------

#[test]
fn violent_demonstrators_make_a_riot() {
    let e = one(
        "Shiraz, Saturday: Protesters threw stones at police and set fire to a bank.",
        "2022-10-09",
    );
    assert_eq!(kind(&e), ("Riots", "Violent demonstration"));
    assert_eq!(e.actor1, "Rioters (Iran)");
    assert_eq!(e.inter1, "Rioters");
}

#[test]
fn lethal_force_against_a_peaceful_crowd_is_excessive_force() {
    let e = one(
        "Ardabil, 24 September: Police fired shotguns at a crowd. A teenage girl was killed.",
        "2022-09-25",
    );
    assert_eq!(kind(&e), ("Protests", "Excessive force against protesters"));
    assert_eq!(e.actor1, "Police Forces of Iran (1989-)");
    assert_eq!(e.actor2, "Protesters (Iran)");
    assert_eq!(e.civilian_targeting, "Civilian targeting");
    assert_eq!(e.fatalities, 1);
}

#[test]
fn dispersal_without_serious_injury_is_protest_with_intervention() {
    let e = one(
        "Tabriz, Monday: students chanted slogans until police dispersed them with tear gas.",
        "2022-11-09",
    );
    assert_eq!(kind(&e), ("Protests", "Protest with intervention"));
    assert_eq!(e.interaction, "State forces-Protesters");
}

#[test]
fn a_gathering_nobody_interrupted_is_a_peaceful_protest() {
    let e = one("From Bandar Abbas: on November 2 people gathered and chanted slogans; police did not intervene.", "2022-11-04");
    assert_eq!(kind(&e), ("Protests", "Peaceful protest"));
    assert_eq!(e.actor2, "");
}

#[test]
fn unidentified_gunmen_firing_on_people_is_an_attack_on_civilians() {
    let e = one("Unidentified gunmen fired at people leaving a shrine in Izeh on 16 November, killing seven.", "2022-11-20");
    assert_eq!(kind(&e), ("Violence against civilians", "Attack"));
    assert_eq!(e.actor1, "Unidentified Armed Group (Iran)");
}

#[test]
fn arrests_outside_a_demonstration_are_a_strategic_development() {
    let e = one(
        "Security forces arrested three activists at their homes in Sanandaj on Tuesday.",
        "2022-11-20",
    );
    assert_eq!(kind(&e), ("Strategic developments", "Arrests"));
    assert_eq!(e.arrests, Some(3));
}

#[test]
fn no_clashes_reported_is_not_a_riot() {
    let e = one(
        "Karaj, Sunday: residents gathered and chanted slogans. No clashes were reported.",
        "2022-11-09",
    );
    assert_eq!(kind(&e), ("Protests", "Peaceful protest"));
    assert_eq!(e.injuries, Some(0));
}

#[test]
fn a_report_that_describes_no_event_yields_none() {
    assert!(code("Tabriz: the streets were quiet today.", "2022-12-09").is_empty());
    assert!(code(
        "Our correspondent in Urmia says the city has been calm for three days.",
        "2022-12-02"
    )
    .is_empty());
}

// --- Counts ------------------------------------------------------------------------------

#[test]
fn figures_joined_by_and_add_up() {
    let e = one("Zahedan, yesterday: security forces shot at a crowd; a nine-year-old boy and at least six others were killed.", "2022-11-17");
    assert_eq!(e.fatalities, 7);
}

#[test]
fn a_figure_after_including_is_part_of_the_one_before() {
    let e = one(
        "Izeh, yesterday: gunmen fired on the crowd; seven people including a child were killed.",
        "2022-11-17",
    );
    assert_eq!(e.fatalities, 7);
}

#[test]
fn at_least_and_about_give_the_figure_stated() {
    let e = one("Sanandaj, Monday: police attacked protesters; at least 15 were injured and about 20 were arrested.", "2022-11-09");
    assert_eq!((e.injuries, e.arrests), (Some(15), Some(20)));
    assert_eq!(evidence(&e, "injuries"), Some("at least 15 were injured"));
}

#[test]
fn vague_words_give_the_codebook_figure_for_deaths_and_none_for_injuries() {
    let e = one("Javanrud, Monday: security forces fired on protesters; several were killed and dozens were injured.", "2022-11-22");
    assert_eq!(e.fatalities, 3);
    assert_eq!(e.injuries, None);
}

#[test]
fn numbers_that_are_not_counts_are_not_counted() {
    let e = one(
        "Zahedan, Friday: at the 40th-day memorial people gathered outside police station 16 and chanted slogans.",
        "2022-11-05",
    );
    assert_eq!((e.fatalities, e.injuries, e.arrests), (0, None, None));
}

#[test]
fn deaths_of_an_earlier_event_are_not_this_events() {
    let e = one(
        "Izeh, November 18: Thousands attended the funeral of a man killed two days earlier. Security forces fired tear gas at the mourners.",
        "2022-11-19",
    );
    assert_eq!(e.fatalities, 0);
    let e = one("Karaj, Monday: after the execution of two protesters, residents gathered and chanted slogans.", "2022-12-09");
    assert_eq!(e.fatalities, 0);
}

#[test]
fn nobody_hurt_is_zero_injuries() {
    let e = one(
        "Sanandaj, Monday: students chanted slogans; nobody was hurt.",
        "2022-11-09",
    );
    assert_eq!(e.injuries, Some(0));
}

#[test]
fn number_words_and_digits_both_count() {
    assert_eq!(
        one(
            "Saqqez, Monday: police fired on protesters; twenty-five people were wounded.",
            "2022-11-09"
        )
        .injuries,
        Some(25)
    );
    assert_eq!(
        one(
            "Saqqez, Monday: police fired on protesters; 1,200 people were detained.",
            "2022-11-09"
        )
        .arrests,
        Some(1200)
    );
}

// --- Actors and notes --------------------------------------------------------------------

#[test]
fn units_are_associated_actors_of_the_state_force() {
    let e = one(
        "Sari, Monday: people gathered; special units attacked them with batons.",
        "2022-11-29",
    );
    assert_eq!(e.actor2, "Police Forces of Iran (1989-)");
    assert_eq!(
        e.assoc_actor_2,
        "Police Forces of Iran (1989-) Special Units"
    );
    let e = one(
        "Piranshahr, Monday: IRGC forces fired live ammunition at protesters.",
        "2022-11-09",
    );
    assert_eq!(e.actor1, "Military Forces of Iran (1989-)");
    assert!(e.assoc_actor_1.contains("Revolutionary Guard"));
}

#[test]
fn groups_of_demonstrators_are_associated_actors() {
    let e = one(
        "Tehran, Monday: university students chanted slogans.",
        "2022-11-09",
    );
    assert_eq!(e.assoc_actor_1, "Students (Iran)");
}

#[test]
fn notes_are_written_from_the_fields_and_carry_no_reporters_name() {
    let e = one(
        "Maryam Ahmadi reports from Rasht, Monday: students chanted slogans; 3 were arrested.",
        "2022-11-09",
    );
    assert!(e.notes.starts_with("On 7 November 2022"), "{}", e.notes);
    assert!(!e.notes.contains("Maryam"));
    assert!(e.notes.contains("Rasht"));
}

#[test]
fn every_coded_field_cites_the_words_it_rests_on() {
    let e = one("Bukan, West Azerbaijan, November 20 — Mourners chanted slogans. Security forces fired on the crowd, killing two and wounding at least 15.", "2022-11-21");
    assert_eq!(evidence(&e, "location"), Some("Bukan"));
    assert_eq!(evidence(&e, "event_date"), Some("November 20"));
    assert_eq!(evidence(&e, "actor1"), Some("Security forces"));
    assert_eq!(evidence(&e, "event_type"), Some("fired on"));
    assert_eq!(evidence(&e, "fatalities"), Some("killing two"));
    assert_eq!(evidence(&e, "injuries"), Some("wounding at least 15"));
}

// --- Persian -----------------------------------------------------------------------------

#[derive(serde::Deserialize)]
struct Pairs {
    pair: Vec<Pair>,
}

#[derive(serde::Deserialize)]
struct Pair {
    name: String,
    reference: String,
    en: String,
    fa: String,
}

/// The fields that must agree between a report and its translation.
fn comparable(e: &Event) -> serde_json::Value {
    serde_json::json!([
        e.event_date,
        e.time_precision,
        e.event_type,
        e.sub_event_type,
        e.actor1,
        e.assoc_actor_1,
        e.actor2,
        e.assoc_actor_2,
        e.interaction,
        e.location,
        e.admin1,
        e.latitude,
        e.longitude,
        e.geo_precision,
        e.fatalities,
        e.injuries,
        e.arrests,
        e.notes,
    ])
}

#[test]
fn each_english_fixture_and_its_persian_rendering_code_the_same() {
    let pairs: Pairs = toml::from_str(include_str!("fixtures/pairs.toml")).unwrap();
    let mut failures = Vec::new();
    for p in &pairs.pair {
        let en: Vec<_> = code(&p.en, &p.reference).iter().map(comparable).collect();
        let fa: Vec<_> = code(&p.fa, &p.reference).iter().map(comparable).collect();
        if en != fa {
            failures.push(format!("{}:\n  en {en:?}\n  fa {fa:?}", p.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn persian_counts_with_numerals_words_and_including() {
    let e = one("ایذه، دیروز: نیروهای امنیتی به سوی مردم تیراندازی کردند و هفت نفر از جمله یک کودک کشته شدند.", "2022-11-17");
    assert_eq!(e.fatalities, 7);
    let e = one(
        "سقز، دیروز: ماموران به معترضان حمله کردند و ۱۲ نفر را بازداشت کردند.",
        "2022-11-17",
    );
    assert_eq!(e.arrests, Some(12));
    let e = one(
        "سقز، دیروز: ماموران به معترضان شلیک کردند و بیست و پنج نفر زخمی شدند.",
        "2022-11-17",
    );
    assert_eq!(e.injuries, Some(25));
}

#[test]
fn persian_negations_hold() {
    let e = one(
        "در زنجان امروز کامیون‌داران اعتصاب کردند. هیچ درگیری‌ای گزارش نشد.",
        "2022-12-01",
    );
    assert_eq!(kind(&e), ("Protests", "Peaceful protest"));
    assert_eq!(e.injuries, Some(0));
}

#[test]
fn arabic_keyboard_letters_and_missing_zwnj_code_the_same() {
    let a = one(
        "كرمانشاه، ديروز: ماموران گاز اشكآور شليك كردند و مردم شعار دادند.",
        "2022-11-17",
    );
    let b = one(
        "کرمانشاه، دیروز: ماموران گاز اشک‌آور شلیک کردند و مردم شعار دادند.",
        "2022-11-17",
    );
    assert_eq!(comparable(&a), comparable(&b));
    assert_eq!(a.location, "Kermanshah");
}

#[test]
fn persian_districts_after_mahalle_are_city_dash_district() {
    let e = one(
        "تهران، دیشب: در محله نازی‌آباد مردم شعار دادند و پلیس گاز اشک آور شلیک کرد.",
        "2022-11-17",
    );
    // The gazetteer knows Naziabad: its name, not the words as written.
    assert_eq!(e.location, "Tehran - Naziabad");
}

#[test]
fn a_persian_report_with_an_english_place_name_codes() {
    let e = one(
        "Mahabad، دیروز: معترضان با نیروهای امنیتی درگیر شدند.",
        "2022-11-17",
    );
    assert_eq!(e.location, "Mahabad");
    assert_eq!(kind(&e), ("Riots", "Violent demonstration"));
}

// --- Hostile input -----------------------------------------------------------------------

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    #[test]
    fn arbitrary_text_never_panics_and_evidence_always_cuts_it(s in "\\PC{0,400}") {
        let _ = code(&s, "2022-11-01");
    }

    #[test]
    fn arbitrary_persian_script_never_panics(s in "[\\u0600-\\u06FF\\u200c\\u200d ۰-۹0-9.,:،؛\\n-]{0,300}") {
        let _ = code(&s, "2022-11-01");
    }

    #[test]
    fn report_shaped_text_never_panics(city in "(Tehran|Sanandaj|تهران|سقز|Zahedan)", n in 0u32..100000, w in "(killed|wounded|arrested|کشته|زخمی|بازداشت)", sep in "(: |, | — |\\n|- )") {
        let text = format!("{city}{sep}{n} people were {w} {n} {w} at least several dozens");
        let _ = code(&text, "2022-11-01");
    }
}

#[test]
fn places_listed_together_are_one_event_each_and_counts_stay_with_the_first() {
    let events = code(
        "Protests were held in Tehran, Karaj and Isfahan on Monday; 10 people were arrested.",
        "2022-11-09",
    );
    let places: Vec<&str> = events.iter().map(|e| e.location.as_str()).collect();
    assert_eq!(places, ["Tehran", "Karaj", "Isfahan"]);
    assert_eq!(events[0].arrests, Some(10));
    assert_eq!(events[1].arrests, None);
    let events = code(
        "دیروز در سنندج، سقز و مریوان مردم شعار دادند.",
        "2022-11-09",
    );
    assert_eq!(events.len(), 3, "{events:#?}");
}

#[test]
fn a_province_after_its_city_is_context_not_a_second_place() {
    let events = code(
        "Bukan, West Azerbaijan, November 20 — people chanted slogans.",
        "2022-11-21",
    );
    assert_eq!(events.len(), 1);
    let events = code(
        "On 8 October 2022, schoolgirls in Sanandaj (Kurdistan) chanted slogans.",
        "2022-12-31",
    );
    assert_eq!(events.len(), 1);
}

#[test]
fn a_person_from_a_place_does_not_make_it_the_scene() {
    let e = one("A witness from Tabriz told us: \"In Urmia last night, young people set fire to tires and blocked the main road.\"", "2022-10-04");
    assert_eq!(e.location, "Urmia");
    let e = one(
        "یک شاهد از تبریز گفت دیشب در ارومیه جوانان لاستیک آتش زدند.",
        "2022-10-04",
    );
    assert_eq!(e.location, "Urmia");
}

#[test]
fn a_figure_that_is_another_verbs_object_is_not_added() {
    let e = one(
        "Izeh, Monday: security forces attacked 300 mourners and two were injured.",
        "2022-11-09",
    );
    assert_eq!(e.injuries, Some(2));
}

#[test]
fn a_parenthetical_including_clause_qualifies_the_figure_before_it() {
    let e = one("Zahedan, Friday: security forces opened fire; five people, including two children, were killed.", "2022-10-01");
    assert_eq!(e.fatalities, 5);
}

#[test]
fn persian_modifiers_give_the_figure_stated() {
    let e = one(
        "سقز، دیروز: ماموران به معترضان شلیک کردند؛ دست‌کم ۴ نفر زخمی و حدود ۲۰ نفر بازداشت شدند.",
        "2022-11-17",
    );
    assert_eq!((e.injuries, e.arrests), (Some(4), Some(20)));
    let e = one(
        "سقز، دیروز: ماموران به معترضان شلیک کردند و بیش از ۳۰ نفر زخمی شدند.",
        "2022-11-17",
    );
    assert_eq!(e.injuries, Some(30));
}

#[test]
fn persian_vague_words_give_the_codebook_figure_for_deaths_and_none_for_injuries() {
    let e = one(
        "جوانرود، دیروز: نیروهای امنیتی به سوی مردم شلیک کردند؛ چند نفر کشته و ده‌ها نفر زخمی شدند.",
        "2022-11-22",
    );
    assert_eq!((e.fatalities, e.injuries), (3, None));
    let e = one(
        "جوانرود، دیروز: نیروهای امنیتی به سوی مردم شلیک کردند و صدها نفر کشته شدند.",
        "2022-11-22",
    );
    assert_eq!(e.fatalities, 100);
}

#[test]
fn persian_dates_weekdays_and_gregorian_months_resolve() {
    assert_eq!(
        one("مشهد، سه‌شنبه: دانشجویان تجمع کردند.", "2022-10-20").event_date,
        "2022-10-18"
    );
    assert_eq!(
        one("مشهد، ۲۲ اکتبر ۲۰۲۲: دانشجویان تجمع کردند.", "2022-10-30").event_date,
        "2022-10-22"
    );
    assert_eq!(
        one("مشهد، ۱۰ آبان: دانشجویان تجمع کردند.", "2022-11-05").event_date,
        "2022-11-01"
    );
    let w = one("مشهد: هفته گذشته دانشجویان تجمع کردند.", "2022-11-20");
    assert_eq!(w.time_precision, 2);
}

#[test]
fn persian_province_with_ostan_is_precision_3() {
    let e = one(
        "استان کردستان، دیروز: در چند شهر تجمع اعتراضی برگزار شد.",
        "2022-11-20",
    );
    assert_eq!((e.admin1.as_str(), e.geo_precision), ("Kordestan", 3));
}

#[test]
fn after_and_a_new_doer_may_stand() {
    let e = one("مشهد، دیروز: مردم در خیابان شعار دادند و ماموران ضد شورش با گاز اشک آور آنها را متفرق کردند.", "2022-11-09");
    assert_eq!(kind(&e), ("Protests", "Protest with intervention"));
    let e = one(
        "Mashhad, Monday: people chanted slogans and riot police beat them.",
        "2022-11-09",
    );
    assert_eq!(kind(&e), ("Protests", "Protest with intervention"));
}

#[test]
fn crowd_control_weapons_tell_of_a_gathering() {
    let e = one(
        "Marivan, Monday: police fired tear gas; 4 were arrested.",
        "2022-11-09",
    );
    assert_eq!(kind(&e), ("Protests", "Protest with intervention"));
}

#[test]
fn a_journalist_arrested_in_a_city_is_an_event_there() {
    let e = one(
        "On 10 October 2022, IRGC intelligence arrested a journalist in Tehran.",
        "2022-12-31",
    );
    assert_eq!(kind(&e), ("Strategic developments", "Arrests"));
    assert_eq!((e.location.as_str(), e.arrests), ("Tehran", Some(1)));
}

#[test]
fn a_singular_verb_with_no_figure_is_one_person() {
    let e = one(
        "Amol, Monday: security forces fired on protesters; Hamid, 21, was killed.",
        "2022-11-09",
    );
    assert_eq!(e.fatalities, 1);
    let e = one(
        "آمل، دوشنبه: ماموران به معترضان شلیک کردند و پسری کشته شد.",
        "2022-11-09",
    );
    assert_eq!(e.fatalities, 1);
    let e = one(
        "Amol, Monday: police fired on protesters; several were killed.",
        "2022-11-09",
    );
    assert_eq!(e.fatalities, 3);
}

// Real Persian channel posts (issue 10): the kinds of text that invented events.

#[test]
fn a_place_name_that_is_a_first_name_needs_the_context_of_a_place() {
    // "شهریار" is a city and a common first name.
    let e = one(
        "شهریار ۲۲ ساله روز جمعه در تبریز مقابل استانداری تجمع کرد و بازداشت شد.",
        "2026-02-01",
    );
    assert_eq!(e.location, "Tabriz");
    let e = one("کارگران شهرداری در شهر شهریار تجمع کردند.", "2026-02-01");
    assert_eq!(e.location, "Shahriar");
}

#[test]
fn a_name_after_an_institution_word_is_not_a_place() {
    // "بیمارستان نور": a hospital's name, not the town of Nur; "دیوان عالی": the court.
    let events = code(
        "پرونده او برای بررسی به دیوان عالی کشور رفت و پدرش در بیمارستان نور بستری است.",
        "2026-02-01",
    );
    assert!(events.is_empty(), "{events:#?}");
}

#[test]
fn a_small_village_that_is_also_a_surname_needs_a_location_word() {
    let events = code("خانواده عسگری امروز تجمع کردند.", "2026-02-01");
    assert!(events.is_empty(), "{events:#?}");
    let e = one("در روستای عسگری کشاورزان امروز تجمع کردند.", "2026-02-01");
    assert_eq!(e.location, "Askari");
}

#[test]
fn a_neighbourhood_written_before_its_city_is_not_a_namesake_elsewhere() {
    // Golshahr is also a district of Mashhad; "گلشهر کرج" is in Karaj.
    let e = one(
        "دیشب جوانان در گلشهر کرج تجمع کردند و شعار دادند.",
        "2026-02-01",
    );
    assert_eq!(e.admin1, "Alborz");
}

#[test]
fn a_square_or_street_name_may_stand_between_in_and_its_city() {
    let e = one(
        "دیروز در سبزه‌میدان زنجان بازاریان تجمع کردند.",
        "2026-02-01",
    );
    assert_eq!(e.location, "Zanjan");
}

#[test]
fn a_burial_place_is_not_where_the_killing_happened() {
    let events = code(
        "رضا ۲۰ ساله روز ۱۸ دی در رشت با شلیک گلوله ماموران کشته شد.\nپیکر او روز ۲۰ دی در لاهیجان به خاک سپرده شد.",
        "2026-03-01",
    );
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].location, "Rasht");
}

#[test]
fn persian_death_verbs_count_one_person() {
    for verb in ["جان باخت", "درگذشت", "جان خود را از دست داد", "به قتل رسید"]
    {
        let text = format!("دیروز در اراک ماموران به سوی معترضان شلیک کردند و یک جوان {verb}.");
        let e = one(&text, "2026-02-01");
        assert_eq!(e.fatalities, 1, "{text}");
        let text = format!(
            "دیروز در اراک ماموران به سوی معترضان شلیک کردند و مردی بر اثر اصابت گلوله {verb}."
        );
        assert_eq!(one(&text, "2026-02-01").fatalities, 1, "{text}");
    }
}

#[test]
fn two_ages_joined_by_and_are_not_a_count() {
    let e = one(
        "دیروز در اراک پس از تجمع کارگران، دو جوان ۲۳ و ۳۱ ساله بازداشت شدند.",
        "2026-02-01",
    );
    assert_eq!(e.arrests, Some(2));
}

#[test]
fn a_killing_reported_months_later_is_coded_on_its_day_and_place() {
    let e = one(
        "«سارا» ۳۴ ساله، روز جمعه ۱۹ دی‌ماه ۱۴۰۴ در خیابان کاوه اصفهان هدف شلیک گلوله جنگی قرار گرفت و جان خود را از دست داد.",
        "2026-06-15",
    );
    assert_eq!(e.location, "Isfahan");
    assert_eq!(e.event_date, "2026-01-09");
    assert_eq!(e.fatalities, 1);
}

#[test]
fn court_news_tells_of_arrests_as_background() {
    let events = code(
        "دادگاه انقلاب مشهد این جوان را به اعدام محکوم کرد.\nاو در جریان اعتراضات دی‌ماه در مشهد بازداشت شده بود و اکنون در زندان است.",
        "2026-06-15",
    );
    assert!(events.is_empty(), "{events:#?}");
}

#[test]
fn a_hedged_report_is_trusted_less_and_says_so() {
    let plain = one(
        "دیروز ماموران در سنندج به سوی تجمع‌کنندگان گاز اشک‌آور شلیک کردند.",
        "2026-02-01",
    );
    let hedged = one(
        "گفته می‌شود دیروز ماموران در سنندج به سوی تجمع‌کنندگان گاز اشک‌آور شلیک کردند.",
        "2026-02-01",
    );
    assert!(hedged.confidence < plain.confidence);
    assert!(evidence(&hedged, "hedge").is_some());
    assert!(hedged.notes.contains("unconfirmed"), "{}", hedged.notes);
}

#[test]
fn a_report_that_opens_with_a_sentence_or_an_execution_is_court_news() {
    for text in [
        "یک معترض ۲۰ ساله از سوی دادگاه انقلاب شیراز به ده سال حبس محکوم شد.\nاو در جریان اعتراضات در شیراز بازداشت شده بود و ماموران به او شلیک کرده بودند.",
        "دو زندانی سیاسی بامداد امروز در زندان قزلحصار کرج اعدام شدند.\nآنها سال گذشته در کرج در تجمع اعتراضی بازداشت شده بودند.",
    ] {
        let events = code(text, "2026-06-15");
        assert!(events.is_empty(), "{text}: {events:#?}");
    }
    // A gathering in the first line is news of a protest, court words or not.
    let e = one(
        "خانواده‌های محکومان به اعدام امروز مقابل دادگستری اصفهان تجمع کردند.",
        "2026-06-15",
    );
    assert_eq!(e.location, "Isfahan");
}

#[test]
fn a_number_after_a_street_or_a_ward_word_is_no_count() {
    let e = one(
        "دیروز در خیابان ۲۰۲ تهرانپارس تهران ماموران به سوی معترضان شلیک کردند و یک جوان کشته شد.",
        "2026-01-09",
    );
    assert_eq!(e.fatalities, 1);
}

#[test]
fn dying_days_after_a_shooting_is_not_an_earlier_event() {
    let e = one(
        "نوجوانی روز ۱۹ دی در شهر املش هدف شلیک ماموران قرار گرفت و پس از ۱۲ روز در بیمارستان جان باخت.",
        "2026-04-01",
    );
    assert_eq!(e.fatalities, 1);
    assert_eq!(e.event_date, "2026-01-09");
}

#[test]
fn a_killing_with_only_the_victims_home_is_coded_there() {
    let e = one(
        "«کاوه» ۳۰ ساله، ساکن شهر کرمانشاه، شامگاه ۱۸ دی‌ماه ۱۴۰۴ با شلیک گلوله کشته شد.",
        "2026-06-01",
    );
    assert_eq!(e.location, "Kermanshah");
    assert_eq!(e.event_date, "2026-01-08");
    // Without a killing the home is no scene.
    let events = code(
        "«کاوه» ۳۰ ساله، ساکن شهر کرمانشاه، امروز به دادسرا احضار شد.",
        "2026-06-01",
    );
    assert!(events.is_empty(), "{events:#?}");
}

#[test]
fn a_running_tally_is_not_the_local_count() {
    let e = one(
        "دیروز در اراک ماموران به سوی معترضان شلیک کردند و یک جوان کشته شد.\nسازمان‌های حقوق بشری تا کنون ۴۰۰ نفر از کشته‌شدگان این اعتراضات را ثبت کرده‌اند.",
        "2026-01-09",
    );
    assert_eq!(e.fatalities, 1);
}

#[test]
fn a_date_of_background_protests_does_not_date_todays_gathering() {
    let e = one(
        "دانش‌آموزان در شهر یاسوج مقابل اداره آموزش و پرورش تجمع کردند.\nدر جریان اعتراضات سراسری در دی ماه ۱۴۰۴ مدارس تعطیل شد.",
        "2026-05-23",
    );
    assert_eq!(e.event_date, "2026-05-23");
}

#[test]
fn places_listed_after_including_are_each_an_event_once() {
    let events = code(
        "دانش‌آموزان اصفهان امروز تجمع کردند.\nصدها دانش‌آموز امروز در شهرهای مختلف از جمله تهران، اصفهان و شیراز تجمع کردند.",
        "2026-06-06",
    );
    let mut places: Vec<&str> = events.iter().map(|e| e.location.as_str()).collect();
    places.sort();
    assert_eq!(places, ["Isfahan", "Shiraz", "Tehran"], "{events:#?}");
}

#[test]
fn court_news_still_tells_of_a_shooting() {
    let e = one(
        "دادگاه انقلاب ایذه خانه خانواده یک نوجوان را مصادره کرد.\nاین نوجوان ۲۵ آبان ۱۴۰۱ در ایذه با شلیک ماموران کشته شد.",
        "2026-04-26",
    );
    assert_eq!(e.location, "Izeh");
    assert_eq!(e.event_date, "2022-11-16");
}

#[test]
fn rounds_metres_and_months_are_not_counts() {
    for text in [
        "دیروز در اراک ماموران به سوی معترضان شلیک کردند و جوانی با دو گلوله کشته شد.",
        "دیروز در بلوار ۴۵ متری اراک ماموران به سوی معترضان شلیک کردند و جوانی کشته شد.",
        "دیروز در اراک ماموران به سوی معترضان شلیک کردند و جوانی که همسرش سه ماهه باردار است کشته شد.",
    ] {
        assert_eq!(one(text, "2026-02-01").fatalities, 1, "{text}");
    }
}

#[test]
fn a_killing_by_a_named_force_in_the_protests_is_excessive_force() {
    let e = one(
        "دانش‌آموز ۱۷ ساله روز ۱۸ دی‌ماه به دست نیروهای امنیتی در اعتراضات اراک جان باخت.",
        "2026-04-26",
    );
    assert_eq!(kind(&e), ("Protests", "Excessive force against protesters"));
    assert_eq!(e.fatalities, 1);
    // A force member dead in an accident is no attack.
    let events = code(
        "یکی از فرماندهان سپاه در سانحه رانندگی در جاده اراک کشته شد.",
        "2026-04-26",
    );
    assert!(events.is_empty(), "{events:#?}");
}

#[test]
fn a_persian_report_naming_only_a_national_institution_is_set_in_tehran() {
    let e = one(
        "زنان کفن‌پوش امروز در برابر وزارت خارجه تجمع کردند و شعار دادند.",
        "2026-06-13",
    );
    assert_eq!(e.location, "Tehran");
}

#[test]
fn persian_violence_that_is_no_demonstration_gets_the_codebooks_own_type() {
    // A fight of border guards with armed men is a battle.
    let e = one(
        "در درگیری مسلحانه مرزبانان با اشرار مسلح در نزدیکی سراوان دو مرزبان کشته شدند.",
        "2021-05-20",
    );
    assert_eq!(kind(&e), ("Battles", "Armed clash"));
    // A seizure of weapons is a strategic development.
    let e = one(
        "ماموران انتظامی در خاش مقادیری سلاح و مهمات کشف و ضبط کردند.",
        "2021-05-20",
    );
    assert_eq!(
        kind(&e),
        ("Strategic developments", "Disrupted weapons use")
    );
    // A death in an accident is no event.
    assert!(code(
        "یک کارگر بر اثر سقوط از ارتفاع در اصفهان جان باخت.",
        "2021-05-20"
    )
    .is_empty());
}

#[test]
fn a_namesake_in_a_list_is_the_one_in_a_province_the_report_names() {
    let events = code("Rallies were held in Tehran, Bukan and Maku.", "2021-05-20");
    let maku = events
        .iter()
        .find(|e| e.location == "Maku")
        .expect("Maku is listed");
    assert_eq!(maku.admin1, "West Azarbaijan", "{events:#?}");
}
