//! Rules for English reports written as real ones are (short notes of labour protests, names
//! spelled many ways, institutions instead of places), each pinned by a report of our own.

use chrono::NaiveDate;
use std::sync::OnceLock;
use unrest_coder::{Coder, Lang};
use unrest_model::{Event, Report};

fn code(text: &str) -> Vec<Event> {
    static CODER: OnceLock<Coder> = OnceLock::new();
    let report = Report {
        id: "t".into(),
        text: text.into(),
        reference_date: None,
        lang: None,
    };
    let reference = NaiveDate::from_ymd_opt(2021, 5, 20).unwrap();
    CODER
        .get_or_init(Coder::new)
        .code(&report, reference, Lang::Auto)
}

fn places(text: &str) -> Vec<String> {
    let mut out: Vec<String> = code(text).into_iter().map(|e| e.location).collect();
    out.sort();
    out
}

#[test]
fn a_name_in_another_common_romanisation_finds_its_place() {
    assert_eq!(
        places("Retired staff of the Boroujerd cement factory rallied over their pensions."),
        ["Borujerd"]
    );
    assert_eq!(
        places("Nurses of Kazeroon hospital staged a sit-in over unpaid overtime."),
        ["Kazerun"]
    );
}

#[test]
fn a_national_institution_and_no_place_is_set_in_the_capital() {
    let events =
        code("Teachers on short contracts gathered in front of the Ministry of Education.");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].location, "Tehran");
    assert!(events[0]
        .evidence
        .iter()
        .any(|ev| ev.field == "location" && ev.text.starts_with("Ministry of")));
    // A place named in the report wins over the institution.
    assert_eq!(
        places("Farmers protested outside the parliament's liaison office in Shiraz."),
        ["Shiraz"]
    );
}

#[test]
fn a_town_named_with_its_province_is_the_town() {
    assert_eq!(
        places("Bakers of Izeh town in Khuzestan Province held a rally on Monday."),
        ["Izeh"]
    );
    assert_eq!(
        places("Nurses rallied in Bukan city, West Azarbaijan Province, over their contracts."),
        ["Bukan"]
    );
}

#[test]
fn where_protesters_come_from_is_not_where_they_protest() {
    assert_eq!(
        places("Pensioners from Khomein gathered in Arak to demand their arrears."),
        ["Arak"]
    );
}

#[test]
fn a_count_of_days_since_a_start_dates_the_event_on_that_day() {
    let events = code(
        "Dock workers of Bushehr port have been on strike since March 3rd. Day 12 of the strike.",
    );
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].event_date, "2021-03-14");
    // Without a count, the action goes on: the event is on the report's day.
    let events = code("Dock workers of Bushehr port have been on strike since March 3rd.");
    assert_eq!(events[0].event_date, "2021-05-20");
}

#[test]
fn a_street_named_after_a_town_is_not_the_town() {
    assert_eq!(
        places("Shareholders of a failed credit union protested on Shiraz Street in Tehran."),
        ["Tehran"]
    );
}

#[test]
fn a_hedged_report_is_trusted_less_and_says_why() {
    let plain = code("Bus drivers protested outside the depot in Tabriz on Monday.");
    let hedged = code("Bus drivers reportedly protested outside the depot in Tabriz on Monday.");
    assert_eq!((plain.len(), hedged.len()), (1, 1), "{hedged:#?}");
    assert!(hedged[0].confidence < plain[0].confidence);
    assert!(hedged[0]
        .evidence
        .iter()
        .any(|ev| ev.field == "hedge" && ev.text == "reportedly"));
}

#[test]
fn with_no_venue_named_protesters_from_a_town_protest_there() {
    assert_eq!(
        places("Villagers from Saqqez rallied on Sunday against the new dam."),
        ["Saqqez"]
    );
}

#[test]
fn a_name_the_gazetteer_does_not_know_does_not_end_a_list_of_places() {
    assert_eq!(
        places("Truck drivers went on strike in Qazvin, Zzyzxabad, Zanjan and Tabriz on Monday."),
        ["Qazvin", "Tabriz", "Zanjan"]
    );
}

#[test]
fn coordinates_over_a_report_place_it_at_the_nearest_settlement() {
    // A shared point, written over the text as a chat import writes it, with no place named.
    let events = code("📍 38.08010, 46.29200\nRight now people are chanting in the street and police fired tear gas.");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert!(
        events[0].location.starts_with("Tabriz"),
        "{}",
        events[0].location
    );
    assert!(events[0]
        .evidence
        .iter()
        .any(|ev| ev.field == "location" && ev.text == "38.08010, 46.29200"));
    // A place named in the words wins over the point.
    assert_eq!(
        places("📍 38.08010, 46.29200\nWorkers in Urmia protested over unpaid wages today."),
        ["Urmia"]
    );
    // A point far from every place (here, the Atlantic) names none.
    assert!(code("📍 30.00000, -40.00000\nPeople are chanting in the street.").is_empty());
}

#[test]
fn numbers_with_a_decimal_point_are_not_coordinates_or_clause_ends() {
    // One decimal, or no comma between: prices and sizes, not a point.
    assert_eq!(
        places("Bazaar merchants in Tabriz went on strike as the dollar passed 35.5, the third rise this week."),
        ["Tabriz"]
    );
}

fn types(text: &str) -> Vec<(String, String)> {
    code(text)
        .into_iter()
        .map(|e| (e.event_type, e.sub_event_type))
        .collect()
}

fn one_type(text: &str) -> (String, String) {
    let t = types(text);
    assert_eq!(t.len(), 1, "{text}: {t:?}");
    t.into_iter().next().unwrap()
}

#[test]
fn demonstrators_who_rioted_make_a_riot() {
    assert_eq!(
        one_type("Villagers rioted in Dezful on Sunday and smashed the windows of a water office.")
            .0,
        "Riots"
    );
}

#[test]
fn force_against_people_who_are_not_demonstrating_is_violence_against_civilians() {
    assert_eq!(
        one_type("Municipal officers and police beat peddlers in Qazvin."),
        ("Violence against civilians".into(), "Attack".into())
    );
    assert_eq!(
        one_type("Two brothers were killed in the village of Ghaleh near Dezful.").0,
        "Violence against civilians"
    );
    // A death by illness or an accident is no violence at all.
    assert!(types("A retired teacher died of a long illness in Yazd.").is_empty());
}

#[test]
fn a_fight_with_an_armed_group_is_a_battle() {
    assert_eq!(
        one_type("Near Sarbaz, border guards clashed with militants; two militants were killed."),
        ("Battles".into(), "Armed clash".into())
    );
    assert_eq!(
        one_type("A policeman was shot dead by gunmen in Iranshahr on Tuesday.").0,
        "Battles"
    );
}

#[test]
fn a_mine_or_a_bomb_is_remote_violence() {
    assert_eq!(
        one_type("A shepherd stepped on a landmine near Mehran and lost a leg."),
        (
            "Explosions/Remote violence".into(),
            "Remote explosive/landmine/IED".into()
        )
    );
    // A gas explosion is an accident.
    assert!(types("A gas explosion destroyed a house in Kerman.").is_empty());
}

#[test]
fn a_weapons_seizure_is_a_strategic_development() {
    assert_eq!(
        one_type("Police in Khash seized a haul of rifles and ammunition from a truck."),
        (
            "Strategic developments".into(),
            "Disrupted weapons use".into()
        )
    );
}

#[test]
fn a_killing_told_as_the_sentences_verb_is_dated_by_its_sentence() {
    let events = code("A policeman was shot dead in Iran on Monday in the town of Shahreza.");
    assert_eq!(events.len(), 1, "{events:#?}");
    // The reference date is Thursday 20 May 2021; Monday is the 17th.
    assert_eq!(events[0].event_date, "2021-05-17");
}

#[test]
fn a_place_in_a_companys_name_is_the_venue_only_when_no_other_place_is_named() {
    assert_eq!(
        places("Staff of the Zanjan Cement Company rallied outside Qazvin's governorate."),
        ["Qazvin"]
    );
    assert_eq!(
        places("Staff of the Zanjan Cement Company rallied over unpaid wages."),
        ["Zanjan"]
    );
}

#[test]
fn a_date_in_the_sentence_before_the_first_place_dates_the_scene() {
    let events = code(
        "Retired teachers held rallies on Tuesday over their pensions. The rallies took place in Birjand.",
    );
    assert_eq!(events.len(), 1, "{events:#?}");
    // The reference date is Thursday 20 May 2021; Tuesday is the 18th.
    assert_eq!(events[0].event_date, "2021-05-18");
}

#[test]
fn a_kind_of_place_after_a_name_does_not_end_a_list() {
    assert_eq!(
        places("Jobless youths protested in Bushehr port city and Borazjan on Sunday."),
        ["Borazjan", "Bushehr"]
    );
}

#[test]
fn a_gathering_after_an_earlier_event_is_dated_by_its_own_date() {
    let events = code(
        "Families of the victims of a bus crash a month earlier gathered on May 17 in front of the governorate in Kerman.",
    );
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].event_date, "2021-05-17");
}

#[test]
fn a_death_told_with_no_ones_violence_in_it_is_no_attack() {
    assert!(code(
        "A farmer in Saravan died in hospital after a snake bite, for want of antivenom."
    )
    .is_empty());
    assert_eq!(
        types("Two young men were killed in Saravan on Monday."),
        [(
            "Violence against civilians".to_string(),
            "Attack".to_string()
        )]
    );
}

#[test]
fn a_list_goes_on_through_words_that_describe_its_places() {
    assert_eq!(
        places(
            "Loyalist rallies took place in northern Zanjan and Qazvin provinces as well as \
             the eastern cities of Sabzevar and Neyshabur, southern Jahrom city and central \
             Kashan town."
        ),
        [
            "Jahrom",
            "Kashan",
            "Neyshabur",
            "Qazvin",
            "Sabzevar",
            "Zanjan"
        ]
    );
}

#[test]
fn a_province_in_a_list_of_towns_is_an_event_at_its_capital_unless_it_names_the_towns_province() {
    let events = code("Bakers protested in the provinces of Yazd, Semnan and Golestan.");
    let golestan = events
        .iter()
        .find(|e| e.admin1 == "Golestan")
        .expect("Golestan is listed");
    assert_eq!(golestan.location, "Gorgan");
    assert_eq!(golestan.geo_precision, 3);
    // "Bukan, West Azerbaijan" says where Bukan is.
    assert_eq!(
        places("Pensioners rallied in Bukan, West Azerbaijan and Saqqez."),
        ["Bukan", "Saqqez"]
    );
}

#[test]
fn a_name_abroad_is_not_the_province_of_that_name() {
    assert_eq!(
        places(
            "Two border guards were killed in a clash with militants who crossed from Iraqi \
             Kurdistan near Sardasht."
        ),
        ["Sardasht"]
    );
}

#[test]
fn a_venue_after_in_front_of_wins_over_where_the_protesters_come_from() {
    assert_eq!(
        places(
            "Former workers of a Tabriz textile mill gathered in front of Zanjan's governorate."
        ),
        ["Zanjan"]
    );
}

#[test]
fn the_capitals_institution_as_venue_wins_over_a_place_in_a_company_name() {
    assert_eq!(
        places(
            "Savers of the Kerman Credit and Mehr institutes gathered in front of the parliament."
        ),
        ["Tehran"]
    );
    // A dateline's place is the report's, whatever the sentence after it names.
    assert_eq!(
        places("Yazd: Savers of the Mehr institute gathered in front of the parliament's office."),
        ["Yazd"]
    );
}

#[test]
fn names_listed_before_in_and_a_city_are_parts_of_that_city() {
    // "Haya" is also a village of Zanjan: here it is a quarter of Ahvaz.
    assert_eq!(
        places("Night protests were held in Haya Soghra, Kuye Alavi and Zergan in Ahvaz."),
        ["Ahvaz"]
    );
}

#[test]
fn shar_spells_shahr() {
    assert_eq!(
        places("Drivers of the Eslamshar bus line went on strike."),
        ["Eslamshahr"]
    );
}

#[test]
fn a_finglish_report_finds_its_place_day_and_gathering() {
    let events =
        code("dishab dar rasht mardom tajamo kardand va shoar dadand, 3 nafar bazdasht shodand");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].location, "Rasht");
    assert_eq!(events[0].event_date, "2021-05-19");
    assert_eq!(events[0].arrests, Some(3));
}

#[test]
fn a_citys_adjective_before_people_names_the_city() {
    assert_eq!(
        places("Shirazi pensioners gathered after the sermon and chanted against the governor."),
        ["Shiraz"]
    );
    // A family name is no place.
    assert!(places("Mr Shirazi, a lawyer, said the case was closed.").is_empty());
}

#[test]
fn a_name_after_a_persian_street_or_quarter_word_is_not_the_town() {
    assert_eq!(
        places("Residents of Kuye Zanjan in Qazvin protested against the new landfill."),
        ["Qazvin"]
    );
}

#[test]
fn setting_an_office_on_fire_is_a_riot() {
    let events = code("In Behbahan an unpaid contractor set the municipality building on fire.");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].event_type, "Riots");
}

#[test]
fn shot_to_death_and_shot_and_wounded_are_lethal_force_with_their_counts() {
    let events = code("Border guards shot to death 3 porters near Baneh.");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].fatalities, 3);
    let events = code("Police shot and wounded 2 men at a checkpoint in Zahedan.");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].injuries, Some(2));
}

#[test]
fn a_listed_spelling_of_one_town_still_chooses_among_its_namesakes_by_context() {
    // "Roudbar" is listed for a town in Gilan; next to Jiroft it is Rudbar in Kerman.
    let events =
        code("Farmers of Jiroft and Roudbar rallied on Monday over the drying of the Halil river.");
    let got: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e.location.as_str(), e.admin1.as_str()))
        .collect();
    assert_eq!(got, [("Jiroft", "Kerman"), ("Rudbar", "Kerman")]);
}

#[test]
fn a_place_water_is_sent_to_is_no_venue() {
    assert_eq!(
        places("Hundreds of residents of Shahr-e Kord rallied against the transfer of their river's water to Isfahan Province."),
        ["Shahr-e Kord"]
    );
}

#[test]
fn killing_one_of_them_counts_one_not_the_group() {
    let events = code("In Mehran, men armed with rifles ambushed three border guards, killing one of them and wounding the others.");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].fatalities, 1);
}

#[test]
fn a_month_named_in_a_date_is_no_march_and_an_armed_groups_clash_stays_a_battle() {
    assert_eq!(
        one_type("On March 2nd, when an armed group attacked a military checkpoint near the city of Sarbaz, clashes took place, in which three militants were killed and two Basiji forces of the army were wounded."),
        ("Battles".into(), "Armed clash".into())
    );
}

#[test]
fn a_vowel_written_another_way_finds_the_place_where_context_or_length_makes_it_safe() {
    // The province named in the report makes "Lanjan" Lenjan.
    let events = code(
        "Farmers of Lanjan County in Isfahan Province gathered on Monday over their water share.",
    );
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].admin1, "Isfahan");
    assert!(
        events[0].location.contains("Lenjan") || events[0].location == "Zarrin Shahr",
        "{}",
        events[0].location
    );
    // A long name needs no context.
    assert_eq!(
        places("Families of Sarepol Zahab still living in tents gathered at the governorate."),
        ["Sarpol-e Zahab"]
    );
}

#[test]
fn walking_off_the_job_is_a_strike() {
    let events = code(
        "Nurses at the main hospital in Rasht walked off the job on Sunday over unpaid bonuses.",
    );
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].location, "Rasht");
    assert_eq!(
        (
            events[0].event_type.as_str(),
            events[0].sub_event_type.as_str()
        ),
        ("Protests", "Peaceful protest")
    );
}

#[test]
fn a_vigil_abroad_for_the_victims_of_an_iranian_town_is_no_event_in_that_town() {
    assert!(places("Hundreds of expatriates held a candlelight vigil in Melbourne for the victims of Javanrud.").is_empty());
    // The town where a vigil is held stays its place.
    assert_eq!(
        places("Students held a vigil in Sanandaj for the victims of Javanrud."),
        ["Sanandaj"]
    );
}

#[test]
fn staging_a_riot_is_a_riot() {
    let events = code(
        "Villagers of Sardasht staged a riot on Tuesday against a new quarry near their homes.",
    );
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].event_type, "Riots");
}

#[test]
fn a_call_or_a_plan_to_protest_is_no_event() {
    assert!(
        places("Activists say the people of Arak should take to the streets on Friday.").is_empty()
    );
    assert!(places("Bus drivers in Tabriz plan to strike next week over unpaid wages.").is_empty());
    assert!(places("The union has called for a general strike in Ilam on Saturday.").is_empty());
    // A protest that happened keeps its event when it also calls for more.
    assert_eq!(
        places("Bus drivers in Tabriz went on strike on Monday and called for higher pay."),
        ["Tabriz"]
    );
}

#[test]
fn a_sentence_passed_by_a_court_is_no_protest() {
    assert!(places(
        "A court in Qazvin has sentenced three protesters to ten years in prison, a rights group said."
    )
    .is_empty());
}

#[test]
fn a_rally_abroad_is_no_event_in_iran() {
    assert!(places(
        "Thousands of Iranians marched in Berlin on Saturday. Speakers named the young men killed in Mahabad."
    )
    .is_empty());
}

#[test]
fn arrests_told_as_dragging_into_vans_are_counted() {
    let events = code(
        "Students gathered outside the university in Rasht on Sunday. Plain-clothes agents dragged at least 6 of them into vans.",
    );
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].arrests, Some(6), "{events:#?}");
    assert_eq!(events[0].sub_event_type, "Protest with intervention");
}

#[test]
fn a_running_tally_is_not_the_events_count() {
    let events = code(
        "Security forces fired on protesters in Izeh on Friday, killing two. So far 60 people have been killed in the province.",
    );
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].fatalities, 2, "{events:#?}");
}

#[test]
fn a_killing_told_of_later_is_dated_the_day_it_happened() {
    let events = code(
        "Relatives confirmed today that a young man was shot dead by police in Saqqez on May 2.",
    );
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(
        events[0].event_date.to_string(),
        "2021-05-02",
        "{events:#?}"
    );
    // With no other date, the day of the telling still dates the event.
    let events = code("Relatives said on Monday that police shot dead a young man in Saqqez.");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(
        events[0].event_date.to_string(),
        "2021-05-17",
        "{events:#?}"
    );
}

#[test]
fn a_national_death_toll_with_a_call_to_rise_is_no_event() {
    assert!(places(
        "The regime has killed hundreds since the uprising began. The people of Arak and Rasht must rise up now."
    )
    .is_empty());
}

#[test]
fn a_wire_dateline_is_the_reporters_seat_not_the_venue() {
    let events = code("TABRIZ, May 18 (Wire) - Hundreds of nurses at a hospital in Urmia staged a sit-in on Monday over unpaid overtime, a union said.");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].location, "Urmia");
    // The dateline's day is the report's; the body's day is the event's.
    assert_eq!(events[0].event_date, "2021-05-17");
    // With no other place named, the dateline's town is the venue.
    assert_eq!(
        places("TABRIZ, May 18 (Wire) - Hundreds of nurses staged a sit-in outside the governor's office on Tuesday."),
        ["Tabriz"]
    );
    // A heading in a field report keeps its town.
    assert_eq!(
        places("Rasht, 18 May: Hundreds of nurses staged a sit-in outside the hospital."),
        ["Rasht"]
    );
}

#[test]
fn a_protest_scheduled_or_planned_is_no_event() {
    assert!(
        places("A rally is scheduled for Saturday in front of the governor's office in Yazd.")
            .is_empty()
    );
    assert!(
        places("Truckers in Bandar Abbas are planning a nationwide strike from next Monday.")
            .is_empty()
    );
}

#[test]
fn an_execution_for_a_role_in_the_protests_is_no_protest() {
    assert!(places(
        "A young man was executed in Qazvin prison on Thursday for his role in the protests."
    )
    .is_empty());
}

#[test]
fn students_taken_away_by_agents_are_arrests() {
    let events = code(
        "Plain-clothes agents took away three students outside the university in Tabriz on Monday.",
    );
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].arrests, Some(3), "{events:#?}");
}

#[test]
fn a_friday_imam_or_mosque_is_a_title_or_a_building_not_a_date() {
    // The reference date, 20 May 2021, is a Thursday: "Friday" read as a date would give 14 May.
    let events =
        code("Bakers rallied outside the Friday Imam's office in Yasuj over flour quotas.");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].event_date.to_string(), "2021-05-20");
    let events = code("Villagers marched to the Friday Mosque of Bukan against the dam project.");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].event_date.to_string(), "2021-05-20");
}

#[test]
fn the_states_men_firing_on_people_who_are_not_demonstrating_attack_civilians() {
    let events = code("Border guards shot and killed two fuel porters near Saravan.");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(
        (
            events[0].event_type.as_str(),
            events[0].sub_event_type.as_str()
        ),
        ("Violence against civilians", "Attack")
    );
    assert_eq!(events[0].fatalities, 2);
    assert_eq!(
        one_type("Border guards fired at a van carrying migrants near Mirjaveh; three migrants were killed."),
        ("Violence against civilians".into(), "Attack".into())
    );
}

#[test]
fn armed_men_firing_with_no_one_firing_back_attack_civilians() {
    assert_eq!(
        one_type("Gunmen on a motorbike shot dead a money changer in Khash."),
        ("Violence against civilians".into(), "Attack".into())
    );
}

#[test]
fn unknown_men_damaging_property_with_no_one_hurt_is_property_destruction() {
    assert_eq!(
        one_type(
            "Unknown men threw petrol bombs at a bank branch in Dezful overnight; no one was hurt."
        ),
        (
            "Strategic developments".into(),
            "Looting/property destruction".into()
        )
    );
}

#[test]
fn a_handful_of_people_counted_is_no_crowd() {
    let events = code("Police shot dead four people in a pickup truck near Iranshahr.");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].event_type, "Violence against civilians");
    assert_eq!(events[0].fatalities, 4);
}

#[test]
fn arrests_over_the_recent_protests_are_a_strategic_development() {
    assert_eq!(
        one_type("Police arrested 25 activists in Mahabad over the recent protests."),
        ("Strategic developments".into(), "Arrests".into())
    );
}

#[test]
fn shahid_before_a_name_is_a_title_not_the_village_of_shahid() {
    assert_eq!(
        places("Cleaners of the Tabriz metro gathered at Shahid Beheshti station over late wages."),
        ["Tabriz"]
    );
}

#[test]
fn a_county_and_its_seat_listed_together_are_one_event() {
    assert_eq!(
        places("Shopkeepers in Fereydan and Daran closed their shops over market conditions."),
        ["Fereydan"]
    );
}

#[test]
fn a_denied_strike_is_no_strike() {
    let events =
        code("Officials in Tabriz denied reports of a strike at the city's bazaar on Tuesday.");
    assert!(events.is_empty(), "{events:?}");
}

#[test]
fn controlled_detonations_of_unexploded_ordnance_are_no_attack() {
    let events = code(
        "The army began controlled detonations of unexploded ordnance in Bushehr; explosions will be heard across the city until Tuesday.",
    );
    assert!(events.is_empty(), "{events:?}");
}
