//! The gazetteer's rules, one test each, against the embedded data.

use unrest_gazetteer::{Gazetteer, Place, PlaceKind};

fn gaz() -> &'static Gazetteer {
    Gazetteer::embedded()
}

/// The best place for a name; panics with the name when there is none.
fn best(name: &str) -> &'static Place {
    let ids = gaz().lookup(name);
    let id = ids
        .first()
        .unwrap_or_else(|| panic!("'{name}' finds no place"));
    gaz().place(*id)
}

/// The matched text and the best place's English name of every mention in `text`.
fn mentions(g: &Gazetteer, text: &str) -> Vec<(String, String)> {
    let folded = unrest_text::fold(text);
    g.find_mentions(&folded)
        .into_iter()
        .map(|m| {
            (
                folded[m.start..m.end].to_string(),
                g.place(m.candidates[0]).name.clone(),
            )
        })
        .collect()
}

/// Prints what the data holds; the load time is printed by the crate's unit test, which can
/// time a fresh parse.
#[test]
fn every_kind_of_place_is_in_the_data() {
    let g = gaz();
    let count = |k: PlaceKind| g.places().iter().filter(|p| p.kind == k).count();
    let counts = [
        PlaceKind::Province,
        PlaceKind::County,
        PlaceKind::City,
        PlaceKind::District,
    ]
    .map(count);
    println!("provinces, counties, cities, districts: {counts:?}");
    assert_eq!(counts[0], 31);
    assert!(
        counts[1] > 300 && counts[2] > 2000 && counts[3] > 0,
        "{counts:?}"
    );
}

#[test]
fn persian_names_find_their_place() {
    for (fa, en) in [
        ("تهران", "Tehran"),
        ("کرمانشاه", "Kermanshah"),
        ("سنندج", "Sanandaj"),
        ("ایذه", "Izeh"),
        ("بوکان", "Bukan"),
        ("پیرانشهر", "Piranshahr"),
        ("قزوین", "Qazvin"),
        ("زنجان", "Zanjan"),
        ("ارومیه", "Urmia"),
        ("سقز", "Saqqez"),
        ("مهاباد", "Mahabad"),
        ("زاهدان", "Zahedan"),
    ] {
        let p = best(fa);
        assert_eq!((p.name.as_str(), p.kind), (en, PlaceKind::City), "{fa}");
    }
}

#[test]
fn arabic_keyboard_spellings_find_the_persian_name() {
    assert_eq!(best("كرمانشاه").name, "Kermanshah");
    assert_eq!(best("ايذه").name, "Izeh");
}

#[test]
fn isfahan_and_esfahan_hamedan_and_hamadan_are_one_city() {
    assert_eq!(best("Isfahan").id, best("Esfahan").id);
    assert_eq!(best("Isfahan").kind, PlaceKind::City);
    assert_eq!(best("Hamedan").id, best("Hamadan").id);
    assert_eq!(best("Urmia").id, best("Orumiyeh").id);
    assert_eq!(best("Ahwaz").id, best("Ahvaz").id);
    assert_eq!(best("Bandar-e Abbas").id, best("Bandar Abbas").id);
}

#[test]
fn the_cities_reports_name_most_resolve_with_persian_names() {
    for (name, admin1) in [
        ("Tehran", "Tehran"),
        ("Isfahan", "Isfahan"),
        ("Esfahan", "Isfahan"),
        ("Hamedan", "Hamadan"),
        ("Bandar Abbas", "Hormozgan"),
        ("Sanandaj", "Kordestan"),
        ("Mahabad", "West Azarbaijan"),
        ("Zahedan", "Sistan and Baluchestan"),
        ("Ahvaz", "Khuzestan"),
        ("Mashhad", "Razavi Khorasan"),
        ("Tabriz", "East Azarbaijan"),
        ("Urmia", "West Azarbaijan"),
        ("Rasht", "Gilan"),
        ("Sari", "Mazandaran"),
        ("Gorgan", "Golestan"),
        ("Babol", "Mazandaran"),
        ("Kermanshah", "Kermanshah"),
        ("Izeh", "Khuzestan"),
        ("Piranshahr", "West Azarbaijan"),
        ("Bukan", "West Azarbaijan"),
        ("Saqqez", "Kordestan"),
        ("Divandarreh", "Kordestan"),
        ("Javanrud", "Kermanshah"),
        ("Oshnavieh", "West Azarbaijan"),
        ("Marivan", "Kordestan"),
        ("Baneh", "Kordestan"),
        ("Qazvin", "Qazvin"),
        ("Zanjan", "Zanjan"),
        ("Shiraz", "Fars"),
        ("Yazd", "Yazd"),
        ("Karaj", "Alborz"),
        ("Arak", "Markazi"),
        ("Qom", "Qom"),
        ("Ilam", "Ilam"),
        ("Khorramabad", "Lorestan"),
        ("Sarpol-e Zahab", "Kermanshah"),
        ("Shahr-e Rey", "Tehran"),
    ] {
        let p = best(name);
        assert_eq!(
            (p.kind, p.admin1.as_str()),
            (PlaceKind::City, admin1),
            "{name}"
        );
        assert!(!p.name_fa.is_empty(), "{name} has no Persian name");
        assert_eq!(
            best(&p.name_fa).id,
            p.id,
            "{name}: its Persian name {} finds another place",
            p.name_fa
        );
    }
}

#[test]
fn namesakes_are_ordered_by_population() {
    let ids = gaz().lookup("Khorramabad");
    let cities: Vec<&Place> = ids
        .iter()
        .map(|&id| gaz().place(id))
        .filter(|p| p.kind == PlaceKind::City)
        .collect();
    assert!(cities.len() >= 2, "{cities:?}");
    assert_eq!(cities[0].admin1, "Lorestan");
    assert!(cities
        .windows(2)
        .all(|w| w[0].population >= w[1].population));
}

#[test]
fn a_city_comes_before_its_county_and_a_province_named_after_it() {
    let kinds: Vec<PlaceKind> = gaz()
        .lookup("Tehran")
        .iter()
        .map(|&id| gaz().place(id).kind)
        .collect();
    let city = kinds.iter().position(|&k| k == PlaceKind::City).unwrap();
    let county = kinds.iter().position(|&k| k == PlaceKind::County).unwrap();
    let province = kinds
        .iter()
        .position(|&k| k == PlaceKind::Province)
        .unwrap();
    assert!(city < county && county < province, "{kinds:?}");
    assert_eq!(best("Tehran").name, "Tehran");
    assert_eq!(best("تهران").kind, PlaceKind::City);
    assert_eq!(best("شهرستان تهران").kind, PlaceKind::County);
    assert_eq!(best("Tehran County").kind, PlaceKind::County);
}

#[test]
fn province_only_names_are_provinces() {
    for name in [
        "Kurdistan",
        "Gilan",
        "Fars",
        "Khuzestan",
        "Lorestan",
        "Mazandaran",
        "Golestan",
        "کردستان",
        "گیلان",
    ] {
        assert_eq!(best(name).kind, PlaceKind::Province, "{name}");
    }
}

#[test]
fn ostan_x_and_x_both_find_province_x() {
    let kurdistan = gaz().province("Kurdistan").unwrap();
    assert_eq!(gaz().lookup("استان کردستان"), vec![kurdistan.id]);
    assert_eq!(best("کردستان").id, kurdistan.id);
    assert_eq!(best("Kurdistan Province").id, kurdistan.id);
    let tehran = gaz().province("Tehran").unwrap();
    assert!(gaz().lookup("تهران").contains(&tehran.id));
    assert_eq!(best("استان تهران").id, tehran.id);
}

#[test]
fn provinces_are_found_by_acled_name_and_common_variants() {
    for (alias, acled) in [
        ("Esfahan", "Isfahan"),
        ("Kurdistan", "Kordestan"),
        ("Kordestān", "Kordestan"),
        ("West Azerbaijan", "West Azarbaijan"),
        ("Āz̄ārbāyjān-e Gharbī", "West Azarbaijan"),
        ("East Azerbaijan", "East Azarbaijan"),
        ("Azarbayjan-e Gharbi", "West Azarbaijan"),
        ("Khorasan-e Razavi", "Razavi Khorasan"),
        ("Sistan-o-Baluchestan", "Sistan and Baluchestan"),
        ("استان کردستان", "Kordestan"),
        ("آذربایجان غربی", "West Azarbaijan"),
        ("Kohgiluyeh and Boyer-Ahmad", "Kohgiluyeh and Buyer Ahmad"),
        ("kurdistan province", "Kordestan"),
    ] {
        let p = gaz().province(alias).unwrap_or_else(|| panic!("{alias}"));
        assert_eq!(p.name, acled, "{alias}");
    }
    assert!(gaz().province("Bavaria").is_none());
}

#[test]
fn province_names_are_acleds_own_for_iran() {
    // As ACLED's Iran rows write admin1, so that our rows merge with theirs as they are.
    for acled in [
        "Kordestan",
        "West Azarbaijan",
        "East Azarbaijan",
        "Kohgiluyeh and Buyer Ahmad",
        "Chaharmahal and Bakhtiari",
        "Sistan and Baluchestan",
        "Razavi Khorasan",
        "Isfahan",
    ] {
        assert_eq!(gaz().province(acled).map(|p| p.name.as_str()), Some(acled));
    }
}

#[test]
fn every_name_of_a_province_gives_all_of_them_acleds_first() {
    let names = gaz().province_names("Kurdistan");
    assert_eq!(names[0], "Kordestan");
    for other in ["Kurdistan", "کردستان", "استان کردستان"] {
        assert!(names.contains(&other), "{other} in {names:?}");
    }
    assert_eq!(gaz().province_names("آذربایجان غربی")[0], "West Azarbaijan");
    assert!(gaz().province_names("Kord").is_empty());
    assert!(gaz().province_names("Bavaria").is_empty());
}

#[test]
fn every_province_has_a_capital_and_a_persian_name() {
    let capitals = [
        ("Alborz", "Karaj"),
        ("Ardabil", "Ardabil"),
        ("Bushehr", "Bushehr"),
        ("Chaharmahal and Bakhtiari", "Shahr-e Kord"),
        ("East Azarbaijan", "Tabriz"),
        ("Fars", "Shiraz"),
        ("Gilan", "Rasht"),
        ("Golestan", "Gorgan"),
        ("Hamadan", "Hamadan"),
        ("Hormozgan", "Bandar Abbas"),
        ("Ilam", "Ilam"),
        ("Isfahan", "Isfahan"),
        ("Kerman", "Kerman"),
        ("Kermanshah", "Kermanshah"),
        ("Khuzestan", "Ahvaz"),
        ("Kohgiluyeh and Buyer Ahmad", "Yasuj"),
        ("Kordestan", "Sanandaj"),
        ("Lorestan", "Khorramabad"),
        ("Markazi", "Arak"),
        ("Mazandaran", "Sari"),
        ("North Khorasan", "Bojnurd"),
        ("Qazvin", "Qazvin"),
        ("Qom", "Qom"),
        ("Razavi Khorasan", "Mashhad"),
        ("Semnan", "Semnan"),
        ("Sistan and Baluchestan", "Zahedan"),
        ("South Khorasan", "Birjand"),
        ("Tehran", "Tehran"),
        ("West Azarbaijan", "Urmia"),
        ("Yazd", "Yazd"),
        ("Zanjan", "Zanjan"),
    ];
    let provinces: Vec<&Place> = gaz()
        .places()
        .iter()
        .filter(|p| p.kind == PlaceKind::Province)
        .collect();
    assert_eq!(provinces.len(), 31);
    for (acled, capital) in capitals {
        let p = gaz().province(acled).unwrap_or_else(|| panic!("{acled}"));
        assert_eq!((p.name.as_str(), p.admin1.as_str()), (acled, acled));
        assert!(!p.name_fa.is_empty(), "{acled} has no Persian name");
        let c = gaz()
            .provincial_capital(acled)
            .unwrap_or_else(|| panic!("{acled} has no capital"));
        assert_eq!(
            (c.name.as_str(), c.kind),
            (capital, PlaceKind::City),
            "{acled}"
        );
        assert_eq!(
            (p.lat, p.lon),
            (c.lat, c.lon),
            "{acled} is not at its capital"
        );
    }
}

#[test]
fn stopword_villages_are_not_matched() {
    let text = "Police on the road to the square near the bazaar on Friday; Basij and a girl. \
                Monday, Tuesday, October, Mehr, Aban, Azar, Dey, Bahman, Esfand, Farvardin. \
                Traffic jams, a ban, the band, mud, the rest, yes, do. \
                شهر میدان امروز دیروز نیرو مردم بازار خیابان جمعه پنجشنبه مهر آبان آذر دی بهمن \
                اسفند فروردین اکتبر شهید سنگر قیام دو سن پس";
    assert_eq!(mentions(gaz(), text), Vec::<(String, String)>::new());
    for word in [
        "Police",
        "Road",
        "Square",
        "Bazaar",
        "Friday",
        "Basij",
        "Girl",
        "شهر",
        "میدان",
        "امروز",
        "نیرو",
        "مردم",
    ] {
        assert!(
            gaz().lookup(word).is_empty(),
            "{word} finds {:?}",
            gaz().lookup(word)
        );
    }
}

#[test]
fn mentions_are_whole_words_longest_first_in_order() {
    let found = mentions(
        gaz(),
        "From Bandar-e Abbas to Tehran's north; a Tehrani man; در استان کردستان و سرپل‌ذهاب.",
    );
    let expected = [
        ("bandar-e abbas", "Bandar Abbas"),
        ("tehran", "Tehran"),
        ("استان کردستان", "Kordestan"),
        ("سرپل ذهاب", "Sarpol-e Zahab"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn names_are_not_joined_across_sentence_punctuation() {
    let found = mentions(gaz(), "It began in Bandar. Abbas said so.");
    assert!(
        found.iter().all(|(text, _)| text != "bandar. abbas"),
        "{found:?}"
    );
}

#[test]
fn compound_names_match_written_apart_or_together() {
    assert_eq!(best("اسلام‌شهر").id, best("اسلامشهر").id);
    assert_eq!(best("Khorram Abad").id, best("Khorramabad").id);
    assert_eq!(best("Shahrekord").id, best("Shahr-e Kord").id);
}

#[test]
fn user_places_add_a_district_of_their_city() {
    let tsv = "# our neighbourhoods\n\
               name\tlat\tlon\tcity\tadmin1\tkind\talt names\n\
               Farazmand\t35.6480\t51.4050\tTehran\t\t\tفرزمند‌آباد|Farazmand Abad\n\
               Evin Prison\t35.7960\t51.3880\tTehran\t\tlandmark\tزندان اوین\n";
    let g = gaz().with_user_places(tsv).unwrap();
    let tehran = best("Tehran");
    let id = g.lookup("Farazmand")[0];
    let naziabad = g.place(id);
    assert_eq!(naziabad.kind, PlaceKind::District);
    assert_eq!(naziabad.parent_city, Some(tehran.id));
    assert_eq!(
        (naziabad.admin1.as_str(), naziabad.admin2.as_str()),
        ("Tehran", "Tehran")
    );
    assert_eq!(naziabad.name_fa, "فرزمند‌آباد");
    assert_eq!(naziabad.geonameid, 0);
    assert_eq!(g.lookup("فرزمند آباد"), vec![id]);
    assert_eq!(g.place(g.lookup("زندان اوین")[0]).kind, PlaceKind::Landmark);
    assert_eq!(
        mentions(&g, "Clashes in Farazmand and near Evin Prison, Tehran."),
        [
            ("farazmand", "Farazmand"),
            ("evin prison", "Evin Prison"),
            ("tehran", "Tehran")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // The embedded gazetteer is unchanged, and keeps its ids.
    assert!(gaz().lookup("Evin Prison").is_empty());
    assert_eq!(g.place(tehran.id).name, "Tehran");
}

#[test]
fn user_places_come_before_namesakes() {
    let g = gaz()
        .with_user_places("Shiraz\t35.70\t51.41\tTehran\n")
        .unwrap();
    assert_eq!(g.place(g.lookup("Shiraz")[0]).kind, PlaceKind::District);
    assert_eq!(g.lookup("Shiraz").len(), gaz().lookup("Shiraz").len() + 1);
}

#[test]
fn a_user_city_can_have_user_districts() {
    let g = gaz()
        .with_user_places(
            "Pardis Town\t35.74\t51.77\t\tTehran\tcity\nPhase 3\t35.75\t51.78\tPardis Town\n",
        )
        .unwrap();
    let town = g.lookup("Pardis Town")[0];
    let phase = g.place(g.lookup("Phase 3")[0]);
    assert_eq!(
        (phase.kind, phase.parent_city),
        (PlaceKind::District, Some(town))
    );
}

#[test]
fn a_user_place_without_city_takes_its_province_from_the_nearest_city() {
    let g = gaz()
        .with_user_places("Chitgar Lake\t35.7469\t51.2167\n")
        .unwrap();
    let p = g.place(g.lookup("chitgar lake")[0]);
    assert_eq!((p.kind, p.admin1.as_str()), (PlaceKind::City, "Tehran"));
}

#[test]
fn a_bad_places_line_is_named_by_its_number() {
    let cases = [
        (
            "# c\nname\tlat\tlon\nNaziabad\tabc\t51.4\n",
            "line 3: latitude 'abc' is not a number",
        ),
        (
            "Naziabad\t35.6\n",
            "line 1: expected at least name, lat and lon separated by tabs",
        ),
        (
            "\nA\t35\t51\n\nB\t35\t51\tAtlantis\n",
            "line 4: city 'Atlantis' is not in the gazetteer",
        ),
        (
            "A\t35\t51\t\tBavaria\n",
            "line 1: province 'Bavaria' is not one of Iran's 31 provinces",
        ),
        (
            "A\t35\t51\t\t\tcastle\n",
            "line 1: kind 'castle' is not one of province, county, city, district, landmark",
        ),
        ("A\t95\t51\n", "line 1: latitude 95 is out of range"),
    ];
    for (tsv, message) in cases {
        let err = gaz().with_user_places(tsv).unwrap_err();
        assert_eq!(err.to_string(), message);
    }
}

#[test]
fn nearest_city_is_the_closest_city() {
    assert_eq!(gaz().nearest_city(35.69, 51.42).unwrap().name, "Tehran");
    assert_eq!(gaz().nearest_city(35.31, 46.99).unwrap().name, "Sanandaj");
}

#[test]
fn districts_in_the_data_belong_to_their_city() {
    let tajrish = best("Tajrish");
    assert_eq!(tajrish.kind, PlaceKind::District);
    assert_eq!(tajrish.parent_city, Some(best("Tehran").id));
    assert_eq!(best("Shahrak-e Gharb").parent_city, Some(best("Tehran").id));
}

fn spelled(words: &str) -> Option<&'static Place> {
    let ids = gaz().lookup_spelling(&unrest_text::fold_key(words));
    ids.first().map(|&id| gaz().place(id))
}

#[test]
fn other_romanisations_of_a_name_find_its_place() {
    for (written, name) in [
        ("Doroud", "Dorud"),
        ("Boroujerd", "Borujerd"),
        ("Kazeroon", "Kazerun"),
        ("Hafttapeh", "Haft Tappeh"),
        ("Oskou", "Osku"),
    ] {
        let place = spelled(written).unwrap_or_else(|| panic!("{written} finds nothing"));
        assert_eq!(place.name, name, "{written}");
    }
}

#[test]
fn villages_and_short_words_are_not_found_by_other_spellings() {
    assert!(spelled("Wall").is_none());
    assert!(spelled("تهران").is_none());
}

#[test]
fn corrected_rows_are_where_the_places_are() {
    let varzaneh = best("Varzaneh");
    let isfahan = best("Isfahan");
    let d = unrest_gazetteer::distance_km(varzaneh.lat, varzaneh.lon, isfahan.lat, isfahan.lon);
    assert!(d < 120.0, "Varzaneh is {d:.0} km from Isfahan");
    assert_eq!(best("Kuhsar").admin1, "Alborz");
}
