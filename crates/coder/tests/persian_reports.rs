//! Rules for real Persian channel posts (issue 10), each pinned by a report of our own
//! writing of the shape the real posts have. Named after the rule they pin.

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
        for ev in &e.evidence {
            assert_eq!(text.get(ev.start..ev.end), Some(ev.text.as_str()));
        }
    }
    events
}

fn places(events: &[Event]) -> Vec<(&str, &str)> {
    events
        .iter()
        .map(|e| (e.location.as_str(), e.event_date.as_str()))
        .collect()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn provinces_named_as_an_area_are_no_scene() {
    let events = code(
        "اعتراض زنان دو روستا در استان‌های یزد و کرمان به معدن‌کاوی با برخورد ماموران همراه شد.\n\
         زنان روستای کلوت از توابع بافق استان یزد روز ۱۲ مهر مقابل دفتر معدن تجمع کردند.",
        "2025-10-06",
    );
    assert!(
        events
            .iter()
            .all(|e| e.location != "Kerman" && e.location != "Yazd"),
        "{:?}",
        places(&events)
    );
    assert!(
        events.iter().any(|e| e.location.contains("Bafq")),
        "{:?}",
        places(&events)
    );
}

#[test]
fn where_a_body_was_handed_over_is_not_the_scene() {
    let events = code(
        "سامان، ۲۵ ساله، روز ۱۹ دی‌ماه در شهر قزوین هدف شلیک ماموران قرار گرفت و جان باخت.\n\
         خانواده پیکر او را روز ۲۲ دی از پزشکی قانونی رشت تحویل گرفتند.",
        "2026-03-01",
    );
    assert_eq!(places(&events), vec![("Qazvin", "2026-01-09")]);
}

#[test]
fn a_killing_for_private_motives_is_no_event() {
    let events = code(
        "مردی ۴۰ ساله بامداد ۱۲ مرداد در شهر اراک به ضرب گلوله کشته شد.\n\
         به گفته منابع محلی، قاتل از بستگان مقتول بوده و با انگیزه شخصی به او شلیک کرده است.",
        "2026-08-05",
    );
    assert!(events.is_empty(), "{:?}", places(&events));
}

#[test]
fn a_habit_with_no_day_named_is_no_event() {
    let events = code(
        "یک شهروند می‌گوید: «در ساری هر شب حامیان حکومت راهپیمایی می‌کنند و نیمی از خیابان‌ها را می‌بندند.»",
        "2026-04-26",
    );
    assert!(events.is_empty(), "{:?}", places(&events));
}

#[test]
fn earlier_opening_a_sentence_dates_an_earlier_gathering() {
    let events = code(
        "صدها کارگر روز شنبه ۱۶ خرداد در اهواز مقابل استانداری تجمع کردند.\n\
         پیشتر هم کارگران روز سه‌شنبه در شهرهای آبادان و دزفول تجمع کرده بودند.",
        "2026-06-06",
    );
    let got = places(&events);
    for want in [
        ("Ahvaz", "2026-06-06"),
        ("Abadan", "2026-06-02"),
        ("Dezful", "2026-06-02"),
    ] {
        assert!(got.contains(&want), "{want:?} not in {got:?}");
    }
}

#[test]
fn an_age_inside_the_death_phrase_is_one_death() {
    let events = code(
        "نیما ۱۸ دی‌ماه در خیابان اصلی بابل هدف گلوله ماموران قرار گرفت و پس از دو روز جان خود را در ۲۳ سالگی از دست داد.",
        "2026-04-25",
    );
    assert_eq!(events.len(), 1, "{:?}", places(&events));
    assert_eq!(events[0].fatalities, 1);
}

#[test]
fn a_number_joined_to_a_word_by_zwnj_is_a_name() {
    let events = code(
        "یک جوان روز ۱۸ دی در محله هشت‌بنگله شهرستان مسجدسلیمان با شلیک ماموران کشته شد.",
        "2026-02-01",
    );
    assert_eq!(events.len(), 1, "{:?}", places(&events));
    assert_eq!(events[0].fatalities, 1);
}

#[test]
fn a_month_after_a_protest_word_names_a_wave_of_protests() {
    let events = code(
        "بابک روز ۲۶ آبان ۱۳۹۸ در شیراز با شلیک گلوله ماموران کشته شد.\n\
         اعتراضات آبان ۱۳۹۸ که در اعتراض به گرانی بنزین شکل گرفت، جان‌باختگان زیادی برجای گذاشت.",
        "2026-06-19",
    );
    assert_eq!(places(&events), vec![("Shiraz", "2019-11-17")]);
}

#[test]
fn a_killing_in_protests_of_a_named_month_is_dated_to_the_month() {
    let events = code(
        "آرش، ورزشکار ۳۰ ساله، در جریان اعتراضات دی‌ماه با شلیک مستقیم ماموران در خیابان‌های ساری جان خود را از دست داد.",
        "2026-06-14",
    );
    assert_eq!(events.len(), 1, "{:?}", places(&events));
    let e = &events[0];
    let d = date(&e.event_date);
    assert!(d >= date("2025-12-22") && d <= date("2026-01-20"), "{d}");
    assert_eq!(e.time_precision, 3);
}

#[test]
fn colloquial_to_means_in() {
    let events = code(
        "پسرخاله‌اش هم ۱۹ دی تو گوهردشت کرج با گلوله کشته شد.",
        "2026-06-17",
    );
    assert_eq!(events.len(), 1, "{:?}", places(&events));
    assert!(events[0].location.starts_with("Karaj"));
    assert_eq!(events[0].event_date, "2026-01-09");
}

#[test]
fn ordinal_days_written_together_are_days() {
    let events = code(
        "مردم روز بیست‌وپنجم آبان در شهر سنندج تجمع کردند.",
        "2025-12-01",
    );
    assert_eq!(places(&events), vec![("Sanandaj", "2025-11-16")]);
}

#[test]
fn a_death_told_with_no_ones_violence_in_it_is_no_attack() {
    // A boy bitten by a snake died for want of antivenom: a death, not an attack.
    let events = code(
        "پسر ۹ ساله‌ای در روستایی از توابع شهرستان سراوان پس از مارگزیدگی و نبود داروی لازم در بیمارستان سراوان جان باخت.",
        "2025-07-01",
    );
    assert!(events.is_empty(), "{events:#?}");
    // Killed, by no one named: still an attack on a civilian.
    let events = code("یک جوان ۲۴ ساله در سراوان کشته شد.", "2025-07-01");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].event_type, "Violence against civilians");
}

#[test]
fn a_memorial_line_with_a_place_and_a_day_is_a_killing() {
    // The title "جاویدنام" says who was killed in the protests; the line has no verb.
    let events = code(
        "جاویدنام سارا محمدی - ورامین\n۱۹ دیماه ۱۴۰۴\nیادش همیشه با ماست",
        "2026-07-01",
    );
    assert_eq!(places(&events), vec![("Varamin", "2026-01-09")]);
    assert_eq!(events[0].event_type, "Protests");
    assert_eq!(events[0].fatalities, 1);
}

#[test]
fn a_memorial_birthday_is_not_the_day_of_a_killing() {
    let events = code(
        "امروز تولد جاویدنام علی رضایی از ساوه بود.\nروحش شاد",
        "2026-07-01",
    );
    assert!(events.is_empty(), "{:?}", places(&events));
}

#[test]
fn a_death_said_as_people_say_it_counts_one() {
    let events = code(
        "بهزاد ۲۰ دی تو اعتراضات کرمانشاه با گلوله جنگی زخمی میشه و چند روز بعد تو بیمارستان جونشو از دست میده.",
        "2026-07-01",
    );
    assert_eq!(places(&events), vec![("Kermanshah", "2026-01-10")]);
    assert_eq!(events[0].fatalities, 1);
}

#[test]
fn shooting_said_as_people_say_it_is_lethal_force() {
    let events = code(
        "شب ۱۹ دی تو خیابونای زنجان ماموران مردم بی سلاح رو به رگبار بستن.",
        "2026-07-01",
    );
    assert_eq!(places(&events), vec![("Zanjan", "2026-01-09")]);
    assert_eq!(
        events[0].sub_event_type,
        "Excessive force against protesters"
    );
}

#[test]
fn an_mps_constituency_is_not_a_scene() {
    let events = code(
        "عباس کریمی، نماینده بروجرد در مجلس، در یک گفت‌وگوی رادیویی درباره کشته شدن معترضان سخن گفت.",
        "2026-07-01",
    );
    assert!(
        events.iter().all(|e| e.location != "Borujerd"),
        "{:?}",
        places(&events)
    );
}

#[test]
fn the_province_of_an_unknown_village_is_no_scene() {
    let events = code(
        "پدر یکی از جانباختگان روز سه‌شنبه ۱۰ تیر در روستای کلاته‌نوچه از توابع استان سمنان بازداشت شد.",
        "2026-07-05",
    );
    assert!(events.is_empty(), "{:?}", places(&events));
}

#[test]
fn a_links_caption_dates_no_event() {
    // "…:@" with the channel's handle on the next line: the caption of a linked post.
    let events = code(
        "مریم ۲۰ ساله شامگاه ۱۸ دی در کرج با شلیک ماموران کشته شد.\n\
         تجمع‌های پنجشنبه ۱۱ دی:@\nSomeChannel",
        "2026-05-01",
    );
    assert_eq!(places(&events), vec![("Karaj", "2026-01-08")]);
}

#[test]
fn the_charges_of_an_execution_are_no_riot() {
    let events = code(
        "قوه قضاییه اعلام کرد یک معترض را به اتهام «آتش زدن بانک در شهرک اکباتان» و «تخریب اموال عمومی» اعدام کرد.\n\
         این معترض صبح امروز اعدام شد.",
        "2026-06-01",
    );
    assert!(events.is_empty(), "{:?}", places(&events));
}

#[test]
fn a_slogan_written_on_a_wall_is_no_gathering() {
    let events = code(
        "تصاویر رسیده نشان می‌دهد روی دیوار یک مدرسه در ورامین این شعار نوشته شده: «نان، کار، آزادی»",
        "2026-05-01",
    );
    assert!(events.is_empty(), "{:?}", places(&events));
}

#[test]
fn a_count_far_before_its_verb_and_others_after_it() {
    // Persian puts the verb last: the subject's count stands far before "کشته"; "چهار نفر
    // دیگر" after it are the wounded, not more dead.
    let events = code(
        "سه تن از ماموران انتظامی در شهرستان سراوان بامداد جمعه در پی تیراندازی افراد مسلح ناشناس در نزدیکی یک پاسگاه مرزی کشته و چهار نفر دیگر زخمی شدند.",
        "2026-07-05",
    );
    assert_eq!(events.len(), 1, "{:?}", places(&events));
    assert_eq!(events[0].fatalities, 3);
    assert_eq!(events[0].injuries, Some(4));
}

#[test]
fn a_marked_message_before_the_first_heading_of_a_digest_is_one_of_them() {
    // A digest of readers' messages, each behind "🔹"; the first names its place in its
    // body, not in a heading.
    let events = code(
        "📣پیام‌های شما - سه‌شنبه ۱۲ خرداد:\n\
         🔹رانندگان اتوبوس‌های شرکت واحد شیراز امروز در اعتراض به حقوق‌های معوقه اعتصاب کردند.\n\
         🔹از اراک: قیمت‌ها هر روز بالاتر می‌رود و کسی جواب نمی‌دهد.\n\
         🔹از یزد: برق روزی شش ساعت قطع است.",
        "2026-06-02",
    );
    assert_eq!(places(&events), vec![("Shiraz", "2026-06-02")]);
    assert_eq!(events[0].event_type, "Protests");
}

#[test]
fn two_days_joined_before_one_month_are_two_events() {
    let events = code(
        "ویدیوهای رسیده نشان می‌دهد ماموران در ۲۰ و ۲۱ دی‌ماه در همدان با گلوله جنگی به معترضان شلیک کردند.",
        "2026-06-01",
    );
    let mut got = places(&events);
    got.sort();
    assert_eq!(
        got,
        vec![("Hamadan", "2026-01-10"), ("Hamadan", "2026-01-11")]
    );
}

#[test]
fn a_later_place_that_takes_joined_days_from_before_is_one_event() {
    // The first sentence names both days for Khomam; Rasht, later, takes its date from it
    // and is told of once.
    let events = code(
        "شهر خمام در شب‌های ۱۸ و ۱۹ دی شاهد حضور گسترده معترضان بود و ماموران به آنها شلیک کردند.\n\
         در رشت نیز ماموران به سوی معترضان شلیک کردند.",
        "2026-05-01",
    );
    let mut got = places(&events);
    got.sort();
    assert_eq!(
        got,
        vec![
            ("Khomam", "2026-01-08"),
            ("Khomam", "2026-01-09"),
            ("Rasht", "2026-01-09")
        ]
    );
}

#[test]
fn a_town_named_by_an_everyday_word_needs_a_place_beside_it() {
    // "پیشین" (former) is a town too; as a word it places nothing.
    for text in [
        "مربی پیشین تیم ملی والیبال روز شنبه بازداشت شد و خانواده‌اش از او خبری ندارند.",
        "به گفته سخنگوی وزیر پیشین، ده‌ها نفر از معترضان در جریان درگیری‌ها زخمی شدند.",
    ] {
        let events = code(text, "2025-11-02");
        assert!(
            events.iter().all(|e| e.location != "Pishin"),
            "{text}: {:?}",
            places(&events)
        );
    }
    // With a place word before it, the same name is the town.
    let events = code(
        "مردم شهر پیشین امروز در برابر فرمانداری تجمع کردند.",
        "2025-11-02",
    );
    assert!(
        events.iter().any(|e| e.location == "Pishin"),
        "{:?}",
        places(&events)
    );
}

#[test]
fn a_capital_institution_is_a_scene_only_where_people_gather() {
    // The judiciary, a ministry or the presidency as the speaker or in a title places
    // nothing in Tehran.
    for text in [
        "سخنگوی وزارت کشور اعلام کرد سه نفر به اتهام همکاری با گروه‌های مسلح بازداشت شدند.",
        "رئیس‌جمهوری پیشین یک کشور همسایه به اتهام کشتن معترضان به اعدام محکوم شد.",
    ] {
        let events = code(text, "2026-06-02");
        assert!(
            events.iter().all(|e| e.location != "Tehran"),
            "{text}: {:?}",
            places(&events)
        );
    }
    // People gathered in front of it: the event is in Tehran.
    let events = code(
        "جمعی از مال‌باختگان روز دوشنبه مقابل مجلس تجمع کردند و شعار دادند.",
        "2026-06-02",
    );
    assert_eq!(
        places(&events).first().map(|p| p.0),
        Some("Tehran"),
        "{:?}",
        places(&events)
    );
}

#[test]
fn a_sentence_about_a_place_abroad_tells_of_no_event_in_iran() {
    for text in [
        // A strike abroad, with the launch site in Iran named in the next sentence.
        "ارتش بحرین: حملات موشکی و پهپادی به بحرین انجام شد.\n\
         برخی رسانه‌ها از شلیک دو موشک از منطقه‌ای نزدیک اصفهان خبر دادند.",
        // A rally of migrants abroad.
        "کارگران مهاجر در دبی در اعتراض به لغو اقامت‌ها تجمع کردند.",
        // A foreign ministry's protest note.
        "وزارت خارجه قطر در اعتراض به حمله به یک نفتکش، سفیر را احضار کرد.",
    ] {
        let events = code(text, "2026-07-07");
        assert!(events.is_empty(), "{text}: {:?}", places(&events));
    }
    // The attacker's country named beside the place in Iran: the strike is in Iran.
    let events = code(
        "در پی حملات آمریکا به بندرعباس دو نفر کشته شدند.",
        "2026-07-07",
    );
    assert_eq!(places(&events).first().map(|p| p.0), Some("Bandar Abbas"));
}

#[test]
fn a_strike_from_the_air_is_explosions_remote_violence() {
    let events = code(
        "ارتش اعلام کرد در پی حملات آمریکا به پادگانی در بمپور ایرانشهر پنج سرباز وظیفه کشته شدند.",
        "2026-07-15",
    );
    assert_eq!(events.len(), 1, "{:?}", places(&events));
    assert_eq!(events[0].event_type, "Explosions/Remote violence");
    assert_eq!(events[0].fatalities, 5);
}

#[test]
fn a_gathering_said_as_in_chat_is_a_protest_even_with_a_reply_line_after_it() {
    let events = code(
        "سلام تو خرم اباد مردم جمع شدن دارن شعار میدن\nلرستانم همینه",
        "2026-05-23",
    );
    assert!(
        events
            .iter()
            .any(|e| e.location == "Khorramabad" && e.event_type == "Protests"),
        "{:?}",
        places(&events)
    );
}

#[test]
fn casualties_said_as_nouns_after_their_figure_are_counted() {
    let events = code(
        "منابع محلی در ایرانشهر: حمله به پادگان، دست‌کم ۴۰ مجروح و دست‌کم سه فوتی در بیمارستان.",
        "2026-07-15",
    );
    assert_eq!(events.len(), 1, "{:?}", places(&events));
    assert_eq!(events[0].fatalities, 3);
    assert_eq!(events[0].injuries, Some(40));
}

#[test]
fn places_named_in_passing_are_no_scene() {
    // Where the body was taken, the governor's province, a party's name, a word part.
    for (text, not) in [
        (
            "ماموران مرزبانی در روستای درکی سروآباد به خودروی یک خانواده شلیک کردند و یک نوجوان کشته شد.\n\
             پیکر او به سردخانه بیمارستان بوعلی مریوان منتقل شد.",
            "Marivan",
        ),
        (
            "ماموران مرزبانی در روستای درکی سروآباد به خودروی یک خانواده شلیک کردند و یک نوجوان کشته شد.\n\
             استاندار کردستان با تایید این حادثه گفت پرونده در دست بررسی است.",
            "Sanandaj",
        ),
        (
            "یک عضو حزب کومله گفت سه موشک به مقر آنها اصابت کرد و چهار نفر کشته شدند.",
            "Kumeleh",
        ),
        (
            "در مینه‌سوتا یک حمله سایبری رخ داد و دو نفر زخمی شدند.",
            "Mianeh",
        ),
        (
            "فرماندهی مرکزی ارتش آمریکا اعلام کرد به انبارهای پهپاد حمله کرده است.",
            "Arak",
        ),
    ] {
        let events = code(text, "2026-07-10");
        assert!(
            events.iter().all(|e| !e.location.contains(not)),
            "{text}: {:?}",
            places(&events)
        );
    }
}

#[test]
fn an_execution_of_a_protester_is_court_news_not_an_event() {
    let events = code(
        "اعدام آقای الف ب؛ از بازداشت‌شدگان اعتراضات دی‌ماه\n\
         قوه قضاییه اعلام کرد او در کرج بازداشت شده و در بازرسی از منزلش سلاح و مهمات کشف شده است.",
        "2026-07-22",
    );
    assert!(events.is_empty(), "{:?}", places(&events));
}

#[test]
fn an_ending_after_a_district_word_names_no_district() {
    let events = code(
        "صدای دو انفجار در منطقه‌ای بیابانی نزدیک اصفهان شنیده شد و یک نفر کشته شد.",
        "2026-07-18",
    );
    assert!(
        events.iter().all(|e| !e.location.contains("ای")),
        "{:?}",
        places(&events)
    );
}

#[test]
fn a_place_after_another_place_and_dar_locates_it() {
    // "پره‌سر در رضوانشهر": the county says where the town lies; it is no second scene.
    let events = code(
        "شب ۱۸ دی در شهر کوچک پره‌سر در رضوانشهر مردم تجمع کردند و ماموران به سوی آنها شلیک کردند.",
        "2026-04-26",
    );
    assert!(!events.is_empty());
    assert!(
        events.iter().all(|e| e.location == "Pareh Sar"),
        "{:?}",
        places(&events)
    );
}

#[test]
fn the_capital_standing_for_the_state_is_no_place() {
    for text in [
        "پست سنتکام: ساعت ۶ عصر [۱:۳۰ بامداد به وقت تهران] دور تازه‌ای از حملات هوایی علیه ایران آغاز شد.",
        "به گفته یک مقام آمریکایی، مذاکرات تهران و واشنگتن پس از حمله موشکی دیشب متوقف شد.",
    ] {
        let events = code(text, "2026-07-19");
        assert!(
            events.iter().all(|e| e.location != "Tehran"),
            "{text}: {:?}",
            places(&events)
        );
    }
}

fn types(events: &[Event]) -> Vec<(&str, &str)> {
    events
        .iter()
        .map(|e| (e.location.as_str(), e.event_type.as_str()))
        .collect()
}

#[test]
fn a_demonstration_needs_its_words_near_the_place() {
    // A digest of readers' messages: a city in one message, a slogan word in another.
    let events = code(
        "صدای شما از داخل کشور - دوشنبه ۱۲ مرداد\n\
         🔹\n\
         سلام از شیراز، این روزها همه خسته‌ایم و فقط منتظریم ببینیم فردا چه می‌شود، برق هم هر روز میره\n\
         🔹\n\
         قیمت‌ها هر هفته بالاتر می‌ره و دیگه نمی‌دونیم چطور باید خرج خونه رو بدیم، خدا به داد مردم برسه\n\
         🔹\n\
         وقتی کسی می‌گوید «آزادی حق ماست»، این فقط یک شعار نیست، یک آرزوست",
        "2026-08-03",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
    // The same words in the sentence that names the place are a protest there.
    let events = code(
        "دوشنبه ۱۲ مرداد در شیراز صدها نفر تجمع کردند و شعار دادند.",
        "2026-08-03",
    );
    assert_eq!(types(&events), vec![("Shiraz", "Protests")]);
    // After an execution told in one sentence, the gathering told in the next is the
    // same town's, up to the next place named.
    let events = code(
        "همزمان با طلوع آفتاب،\nدو مرد را در اراک و در ملا عام\nاعدام کردند!\nعلی و حسن.\n\
         مردمی که تجمع کرده بودند به\nحکومت اعتراض کردند و درگیری‌هایی میان مردم\nو ماموران رخ داد.",
        "2026-08-03",
    );
    assert_eq!(types(&events), vec![("Arak", "Riots")]);
}

#[test]
fn a_clash_with_no_crowd_is_no_riot() {
    let events = code(
        "کارشناسان می‌گویند درگیری نظامی ایران و آمریکا حالا به تهران رسیده و تخریب زیرساخت‌ها ادامه دارد.",
        "2026-07-10",
    );
    assert!(
        events.iter().all(|e| e.event_type != "Riots"),
        "{:?}",
        types(&events)
    );
    let events = code(
        "شب گذشته جوانان معترض در شهر اراک لاستیک آتش زدند و با ماموران درگیر شدند.",
        "2026-07-10",
    );
    assert_eq!(types(&events), vec![("Arak", "Riots")]);
}

#[test]
fn a_state_ceremony_is_no_protest() {
    let events = code(
        "🎥\nجمعیت انبوه عزاداران امروز برای اقامه نماز بر پیکر در مصلای شهر قم حاضر شدند و شعار سر دادند.",
        "2026-07-05",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn a_missile_launch_site_is_no_scene() {
    let events = code(
        "پیام‌های دریافتی:\n\
         همین الان ساعت ۴:۱۰ از خمین موشک زدن\n\
         شلیک موشک از خمین به سمت غرب ساعت ۴:۱۲\n\
         سلام وحید جان همین الان موشک از رو اراک رد شد",
        "2026-07-24",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn a_commands_seat_is_no_scene() {
    let events = code(
        "سپاه پاسداران همدان با انتشار بیانیه‌ای از کشته شدن دو نیروی این نهاد در حملات بامداد امروز به نقاطی از کشور خبر داد.",
        "2026-07-30",
    );
    assert!(
        events.iter().all(|e| e.location != "Hamadan"),
        "{:?}",
        types(&events)
    );
    // A governor's office is where people gather: not a command's seat.
    let events = code(
        "امروز جمعی از کشاورزان در تجمعی مقابل استانداری همدان شعار دادند.",
        "2026-07-30",
    );
    assert_eq!(types(&events), vec![("Hamadan", "Protests")]);
}

#[test]
fn a_death_with_no_crowd_in_a_news_digest_is_no_protest() {
    let events = code(
        "#خبرهای_کوتاه\n🔹\nمعاون وزیر: در حملات اخیر دشمن به استان کرمان ۱۲ نفر از هموطنان شهید شدند\n🔹\nساعت کاری ادارات استان یزد فردا کاهش یافت",
        "2026-07-21",
    );
    assert!(
        events.iter().all(|e| e.event_type != "Protests"),
        "{:?}",
        types(&events)
    );
}

#[test]
fn a_gathering_in_memory_of_the_dead_kills_no_one() {
    let events = code(
        "🎥\nتجمع شبانه مردم اراک به یاد ۴۰ شهید حمله دشمن\n@Channel",
        "2026-08-15",
    );
    assert!(
        events.iter().all(|e| e.fatalities == 0),
        "{:?}",
        events
            .iter()
            .map(|e| (e.location.as_str(), e.fatalities))
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_rhetorical_question_names_no_armed_group() {
    let events = code(
        "جاویدنام سارا ۱۸ دی در خیابان اصلی شهر سنندج با شلیک گلوله ماموران کشته شد.\nآیا این دختر تروریست بود؟",
        "2026-06-01",
    );
    assert_eq!(types(&events), vec![("Sanandaj", "Protests")]);
}

#[test]
fn a_regime_called_terrorist_is_the_state_not_an_armed_group() {
    let events = code(
        "ویدئویی از کرمانشاه، ۱۹ دی. این جوانان توسط حکومت تروریست و ماموران سرکوب با تیر مستقیم کشته شدند.",
        "2026-06-01",
    );
    assert_eq!(types(&events), vec![("Kermanshah", "Protests")]);
}

#[test]
fn the_doer_stands_after_by_in_a_passive_killing() {
    let events = code(
        "۱۹ دی در شهر اراک چند جوان معترض توسط ماموران با گلوله جنگی کشته شدند.",
        "2026-06-01",
    );
    assert_eq!(types(&events), vec![("Arak", "Protests")]);
}

#[test]
fn struggling_with_an_illness_is_no_clash() {
    let events = code(
        "جاویدنام علی ۱۹ دی در اعتراضات شهر زنجان با شلیک گلوله کشته شد. او از کودکی با بیماری قلبی درگیر بود.",
        "2026-06-01",
    );
    assert_eq!(types(&events), vec![("Zanjan", "Protests")]);
}

#[test]
fn an_armed_clash_with_armed_groups_is_a_battle() {
    let events = code(
        "درگیری‌های مسلحانه میان نیروهای سپاه و گروه‌های مسلح در اطراف شهر سردشت شامگاه ۱۰ تیر ادامه یافت.",
        "2026-07-02",
    );
    assert_eq!(types(&events), vec![("Sardasht", "Battles")]);
}

#[test]
fn an_officials_office_line_is_no_heading() {
    let events = code(
        "حمله موشکی به اطراف شهر اهواز\nمعاون استانداری خوزستان:\nدقایقی پیش نقاطی در اطراف اهواز مورد حمله موشکی قرار گرفت.",
        "2026-07-18",
    );
    assert_eq!(
        types(&events),
        vec![("Ahvaz", "Explosions/Remote violence")]
    );
}

#[test]
fn a_line_that_finishes_the_sentence_is_no_heading() {
    let events = code(
        "عکس دریافتی: آتش‌سوزی پس از حملات آمریکا به نقاطی در\n#بوشهر\nپنج‌شنبه ۸ مرداد",
        "2026-07-30",
    );
    assert_eq!(
        types(&events),
        vec![("Bushehr", "Explosions/Remote violence")]
    );
}

#[test]
fn a_denied_claim_of_a_gathering_is_no_protest() {
    let events = code(
        "ادعای تجمع در بازار شهر تبریز تکذیب شد. پیگیری‌ها نشان می‌دهد امروز رخدادی در این محدوده مشاهده نشده است.",
        "2026-07-15",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn an_arbaeen_walk_is_no_protest() {
    let events = code("🎥\nراهپیمایی جاماندگان اربعین در شهر بابل", "2026-08-04");
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn ones_roots_and_their_province_are_no_scene() {
    let events = code(
        "جاویدنام رضا، ۲۰ ساله\nاصالتا از شهرستان سنقر، استان کرمانشاه\nکشته شده ۱۹ دی در گوهردشت کرج",
        "2026-05-30",
    );
    assert!(
        events.iter().all(|e| e.admin1 != "Kermanshah"),
        "{:?}",
        types(&events)
    );
}

#[test]
fn a_euphemism_of_being_killed_counts_the_dead() {
    let events = code(
        "جاویدنام مریم ۱۸ دی در اعتراضات شهر رشت با شلیک مستقیم گلوله آسمانی شد.",
        "2026-05-30",
    );
    assert_eq!(events.len(), 1, "{:?}", types(&events));
    assert_eq!(events[0].fatalities, 1);
}

#[test]
fn a_county_before_its_provinces_capital_is_the_scene() {
    let events = code(
        "حدود ۵۰ نفر در تجمعی در شهرستان شهریار تهران بازداشت شدند.",
        "2026-07-24",
    );
    assert!(
        events.iter().all(|e| e.location != "Tehran"),
        "{:?}",
        types(&events)
    );
}

#[test]
fn on_the_verge_of_exploding_is_no_explosion() {
    let events = code(
        "بمب تیم در آستانه انفجار؛ ستاره تیم به تبریز بازمی‌گردد",
        "2026-07-24",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn a_drone_brought_down_is_a_disrupted_weapon() {
    let events = code(
        "پهپاد دشمن بامداد امروز در اطراف شهر مهران ساقط شد.",
        "2026-07-19",
    );
    assert_eq!(types(&events), vec![("Mehran", "Strategic developments")]);
}

#[test]
fn a_channels_handle_is_no_place() {
    // "@Farsna" reads as the town of Farsan; as a line of its own it made a heading and the
    // report above it a preamble.
    let events = code(
        "🎥\nتجمع مردم لردگان در حمایت از کارگران\n@Farsna\n-\nLink",
        "2026-05-17",
    );
    assert_eq!(types(&events), vec![("Lordegan", "Protests")]);
}

#[test]
fn a_line_after_and_finishes_the_sentence() {
    let events = code(
        "دود انفجارهای حملات آمریکا به غرب استان البرز و\n#کرج\nبامداد پنج‌شنبه ۲۱ خرداد",
        "2026-06-11",
    );
    assert_eq!(
        types(&events),
        vec![("Karaj", "Explosions/Remote violence")]
    );
}

#[test]
fn a_province_and_a_town_in_it_on_one_day_are_one_event_at_the_town() {
    let events = code(
        "🎥\nتجمع شبانه مردم در هرمزگان\n🔹\nمردم شهرستان رودان هرمزگان امشب در تجمعات حضور یافتند.",
        "2026-05-27",
    );
    assert_eq!(types(&events), vec![("Rudan", "Protests")]);
}

#[test]
fn a_drug_seizure_is_no_political_event() {
    let events = code(
        "فرمانده انتظامی استان کرمان: ۳۰۰ کیلو تریاک در استان کشف و ۹ نفر از سوداگران مرگ دستگیر شدند.",
        "2026-06-06",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn a_killing_told_alone_takes_the_date_after_its_verb() {
    let events = code(
        "جاویدنام رضا، ۲۰ ساله\nکشته شده ۱۹ دی ماه در گوهردشت کرج",
        "2026-05-30",
    );
    assert_eq!(events.len(), 1, "{:?}", places(&events));
    assert_eq!(events[0].event_date, "2026-01-09");
}

#[test]
fn a_condition_asserts_nothing() {
    let events = code(
        "یک سناتور آمریکایی گفت: «اگر تهران گفتگوها را عقب بیندازد، ضربه بعدی ممکن است از سوی ارتش آمریکا باشد.»",
        "2026-05-02",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn a_call_to_gather_is_no_gathering() {
    let events = code(
        "فراخوان تجمع در میدان شهدای مشهد، جمعه ساعت پنج عصر. به تجمع بپیوندید.",
        "2026-05-02",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn a_place_inside_a_tag_after_an_underscore_is_no_place() {
    let events = code(
        "چند نفر بر اثر اصابت پرتابه دشمن در بندر کنگان زخمی شدند\n#خبرهای_بوشهر\n@news_bushehr",
        "2026-07-10",
    );
    assert_eq!(
        types(&events),
        vec![("Bandar-e Kangan", "Explosions/Remote violence")]
    );
}

#[test]
fn the_hospital_a_casualty_was_taken_to_does_not_undo_where_they_were_hurt() {
    let events = code(
        "سه کارگر بر اثر اصابت پرتابه دشمن در اسکله شهرستان سیریک مجروح و به بیمارستان میناب منتقل شدند",
        "2026-07-10",
    );
    assert_eq!(
        types(&events),
        vec![("Sirik", "Explosions/Remote violence")]
    );
}

#[test]
fn a_town_that_is_also_a_word_counts_inside_a_list_of_towns() {
    let events = code(
        "معاون استاندار از حمله هوایی به حوالی شهرهای کنگان، جم و خورموج در شب گذشته خبر داد.",
        "2026-07-30",
    );
    let mut names: Vec<_> = types(&events).into_iter().map(|(p, _)| p).collect();
    names.sort();
    assert_eq!(names, vec!["Bandar-e Kangan", "Jam", "Khurmuj"]);
}

#[test]
fn points_of_a_town_hit_are_a_strike_on_it() {
    let events = code(
        "فرماندار: ساعتی پیش چند نقطه در شهر بوشهر مورد اصابت قرار گرفت.",
        "2026-07-20",
    );
    assert_eq!(
        types(&events),
        vec![("Bushehr", "Explosions/Remote violence")]
    );
}

#[test]
fn the_attackers_forces_named_as_doers_strike_the_island() {
    let events = code(
        "امروز صبح نیروهای آمریکایی به سایت‌های ساحلی در جزیره بزرگ تنب حمله کردند.",
        "2026-07-16",
    );
    assert_eq!(
        types(&events),
        vec![("Tunb-e Bozorg", "Explosions/Remote violence")]
    );
}

#[test]
fn a_border_crossing_names_its_place() {
    let events = code(
        "دو نفر در حمله دشمن به گذرگاه مرزی شلمچه کشته شدند",
        "2026-07-23",
    );
    assert_eq!(
        types(&events),
        vec![("Shalamcheh", "Explosions/Remote violence")]
    );
    assert_eq!(events[0].fatalities, 2);
}

#[test]
fn a_prison_testimony_under_a_byline_is_no_protest() {
    let events = code(
        "نسرین ک.:\nوضع زندان سپیدار اهواز از دی ماه تا امروز برای معترضین بد بوده.\nبازداشتی‌ها را در نمازخانه زندان نگه می‌داشتند و خیلی‌هاشان آثار ضرب و جرح داشتند.",
        "2026-06-25",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn the_crowd_of_a_state_prayer_makes_a_later_shooting_no_protest() {
    let events = code(
        "پس از اقامه نماز بر پیکر شهدا با حضور انبوه مردم در مشهد، شایعاتی منتشر شد.\nهمزمان در یک تیراندازی در محله قاسم آباد مشهد دو نفر کشته شدند.",
        "2026-07-10",
    );
    assert_eq!(events.len(), 1, "{:?}", types(&events));
    assert_eq!(events[0].event_type, "Violence against civilians");
}

#[test]
fn the_disposal_of_unexploded_bombs_is_no_attack() {
    let events = code(
        "انفجار کنترل شده مهمات در تبریز\nعملیات خنثی سازی بمب های عمل نکرده در شهر تبریز از امروز به مدت دو روز انجام می شود.",
        "2026-05-16",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn a_killing_a_court_case_is_about_is_coded_on_its_own_day() {
    let events = code(
        "۸ نفر از متهمان پرونده میدان ولیعصر به انفرادی منتقل شدند.\nاین پرونده به اعتراضات ۱۹ دی ۱۴۰۴ در کرمانشاه برمی‌گردد؛ آن روز بین معترضان و نیروهای حکومتی درگیری شد و دو نفر از ماموران در آن درگیری کشته شدند.",
        "2026-07-19",
    );
    assert_eq!(types(&events), vec![("Kermanshah", "Riots")]);
    assert_eq!(events[0].event_date, "2026-01-09");
    assert_eq!(events[0].fatalities, 2);
}

#[test]
fn a_verdicts_day_is_not_the_day_of_a_death_the_case_recalls() {
    let events = code(
        "مادر یک وکیل به پنج سال زندان محکوم شد.\nبر اساس حکمی که در تاریخ ۲۰ خرداد از سوی دادگاه انقلاب یزد صادر شده، او به حبس محکوم شده است.\nدختر او در سال ۱۴۰۱ در میبد بازداشت شد و مدتی پس از آزادی به طرز مشکوکی جان باخت.",
        "2026-06-16",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn towns_listed_one_a_line_under_a_strike_heading_are_each_struck() {
    let events = code(
        "شهرهای مورد حمله قرار گرفته از ساعت ۴ بامداد\n🔸\nبوشهر\n🔸\nکنگان\n🔸\nگناوه",
        "2026-07-30",
    );
    let mut names: Vec<_> = types(&events).into_iter().map(|(p, _)| p).collect();
    names.sort();
    assert_eq!(names, vec!["Bandar-e Kangan", "Bushehr", "Genaveh"]);
}

#[test]
fn a_strike_is_coded_where_a_word_of_it_stands_near_the_place() {
    let events = code(
        "به گزارش رسانه‌های آمریکایی، حملات دیشب به ایران پاسخ به سرنگونی یک پهپاد بود و کسی کشته نشد. مقام‌های آمریکایی گفتند تنها تأسیسات نظامی هدف بوده است. در این میان هیئتی از میانجی‌ها روز چهارشنبه برای دیدار با وزیر خارجه به تهران سفر کرد و درباره ادامه گفتگوها و زمان پاسخ ایران به پیشنهادها با مقام‌ها صحبت کرد.",
        "2026-06-10",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn an_attack_told_by_its_hour_is_a_strike() {
    let events = code(
        "متأسفانه سه صیاد در حملات دیشبه بندر جاسک کشته شدند.",
        "2026-07-08",
    );
    assert_eq!(types(&events), vec![("Jask", "Explosions/Remote violence")]);
    assert_eq!(events[0].fatalities, 3);
}

#[test]
fn a_denied_gathering_is_no_gathering() {
    let events = code(
        "ادعای اعتصاب در بازار تبریز تکذیب شد\nپیگیری‌های خبرنگاران از کسبه نشان می‌دهد امروز رخدادی در این محدوده مشاهده نشده و نهادهای انتظامی نیز برگزاری تجمع در تبریز را تایید نمی‌کنند.",
        "2026-07-15",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn blasts_of_the_armys_munitions_disposal_are_no_attack() {
    let events = code(
        "معاون استاندار اعلام کرد عملیات خنثی سازی و انفجار کنترل شده مهمات منفجر نشده از امروز در بوشهر آغاز شد.\nاین عملیات تا سه‌شنبه، دهم تیر ادامه دارد و در این مدت صدای انفجار در سراسر شهر شنیده می‌شود.",
        "2026-06-25",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn the_route_of_a_state_march_named_as_a_date_is_no_march() {
    let events = code(
        "مسیرهای مراسم رهبر مشابه مسیر راهپیمایی ۲۲ بهمن است\nشهرداری شیراز: بیشترین حجم تردد ورودی شیراز از محورهای شمالی است.",
        "2026-06-23",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn a_readers_message_that_a_town_was_hit_is_a_strike_there() {
    let events = code(
        "پیام‌های دریافتی:\nسلام الان دوباره بندرعباس رو زدن\nصدای خیلی بدی داشت",
        "2026-07-14",
    );
    assert_eq!(
        types(&events),
        vec![("Bandar Abbas", "Explosions/Remote violence")]
    );
}

#[test]
fn a_missile_attack_told_as_a_passive_is_a_strike() {
    let events = code(
        "استانداری بوشهر: یک نقطه در اطراف شهر برازجان دقایقی پیش مورد حمله موشکی قرار گرفت.",
        "2026-07-19",
    );
    assert_eq!(
        types(&events),
        vec![("Borazjan", "Explosions/Remote violence")]
    );
}

#[test]
fn a_towns_airport_is_at_the_town() {
    let events = code("دیشب به مخزن سوخت فرودگاه زاهدان حمله شد.", "2026-07-17");
    assert_eq!(
        types(&events),
        vec![("Zahedan", "Explosions/Remote violence")]
    );
}

#[test]
fn a_gathering_of_the_people_of_a_town_is_a_rally() {
    let events = code(
        "🎥\nحضور پرشور در اجتماع مردم سبزوار\n@Farsna",
        "2026-05-27",
    );
    assert_eq!(types(&events), vec![("Sabzevar", "Protests")]);
}

#[test]
fn armed_men_targeting_a_checkpoint_is_no_air_strike() {
    let events = code(
        "ایست بازرسی نیروهای نظامی در شهر سراوان توسط افراد مسلح ناشناس هدف قرار گرفت و سه نظامی کشته شدند",
        "2026-08-12",
    );
    assert_eq!(events.len(), 1, "{:?}", types(&events));
    assert_ne!(events[0].event_type, "Explosions/Remote violence");
}

#[test]
fn an_earlier_strike_told_with_no_day_is_not_dated_to_the_post() {
    let events = code(
        "رسانه‌های محلی پیشتر از حمله آمریکا به بندر کنگان و کشته شدن چند نفر خبر داده بودند.",
        "2026-07-31",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn a_gathering_named_as_a_rally_outweighs_a_ceremony_word() {
    let events = code(
        "🎥\nاجتماع عزاداران رهبر شهید در میدان امام کاشان\n@Farsna",
        "2026-07-11",
    );
    assert_eq!(types(&events), vec![("Kashan", "Protests")]);
    // The funeral prayer itself stays no demonstration.
    let events = code(
        "جمعیت برای اقامه نماز بر پیکر رهبر شهید در مصلای تهران گرد هم آمدند",
        "2026-07-11",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn the_attackers_forces_are_a_strike_only_with_an_attack_word() {
    let events = code(
        "تهران خواهان خروج نیروهای آمریکایی از منطقه و لغو محاصره دریایی است.",
        "2026-08-09",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
    let events = code(
        "نیروهای آمریکایی امروز حملات دفاعی به یک ایستگاه راداری در جزیره کیش انجام دادند.",
        "2026-06-03",
    );
    assert_eq!(types(&events), vec![("Kish", "Explosions/Remote violence")]);
}

#[test]
fn a_line_that_tells_of_air_defence_is_no_heading_over_the_next() {
    let events = code(
        "🔺 گزارش‌هایی از فعال شدن پدافند در تبریز\n🚨 حمله آمریکا به جاسک",
        "2026-05-08",
    );
    assert_eq!(types(&events), vec![("Jask", "Explosions/Remote violence")]);
}

#[test]
fn a_county_seat_is_no_district_of_a_big_city() {
    let events = code(
        "گزارش‌هایی از فعال شدن پدافند در شیراز.\nحمله آمریکا به میناب",
        "2026-05-08",
    );
    assert_eq!(
        types(&events),
        vec![("Minab", "Explosions/Remote violence")]
    );
}

#[test]
fn the_arrest_of_criminals_is_police_work() {
    for text in [
        "اعضای باند جعل اسکناس‌های تقلبی در کاشان بازداشت شدند.",
        "قاتل‌ها در کمتر از ۲۴ ساعت در اصفهان توسط نیروی انتظامی دستگیر شدند.",
    ] {
        let events = code(text, "2026-08-09");
        assert!(events.is_empty(), "{text}: {:?}", types(&events));
    }
}

#[test]
fn a_war_target_attacked_is_a_strike_at_its_town() {
    let events = code("پایگاه هوایی بوشهر امشب مورد حمله قرار گرفت.", "2026-05-07");
    assert_eq!(
        types(&events),
        vec![("Bushehr", "Explosions/Remote violence")]
    );
    let events = code(
        "دقایقی پیش نقاطی در اطراف شهر دزفول توسط ارتش تروریستی آمریکا هدف قرار گرفت.",
        "2026-07-24",
    );
    assert_eq!(
        types(&events),
        vec![("Dezful", "Explosions/Remote violence")]
    );
}

#[test]
fn towns_named_by_their_kind_after_a_denial_are_struck() {
    let events = code(
        "استانداری خوزستان: حمله موشکی به شوشتر صورت نگرفته است؛ تاکنون شهرهای دزفول، بهبهان و ایذه مورد هجوم دشمن قرار گرفته‌اند.",
        "2026-07-24",
    );
    let got: Vec<&str> = events.iter().map(|e| e.location.as_str()).collect();
    for town in ["Dezful", "Behbahan", "Izeh"] {
        assert!(got.contains(&town), "{town}: {got:?}");
    }
}

#[test]
fn a_dead_leaders_title_and_a_common_word_tell_of_nothing() {
    for text in [
        "صداوسیما از تندیس «مشت گره‌کرده» خامنه‌ای، رهبر کشته‌شده جمهوری اسلامی، به‌عنوان نماد جدید میدان انقلاب تهران رونمایی کرد.",
        "ترامپ باید در اندیشۀ پیشگیری از خسارت‌ها و هزینه‌های بیشتر در ادامۀ جنگ باشد و حمله به ایران را کنار بگذارد.",
    ] {
        let events = code(text, "2026-05-20");
        assert!(events.is_empty(), "{text}: {:?}", types(&events));
    }
}

#[test]
fn an_attack_named_as_a_time_since_is_no_event() {
    let events = code(
        "مقام‌ها از زمان حمله آمریکا به تاسیسات هسته‌ای نطنز مانع از بازرسی آژانس شده‌اند.",
        "2026-06-24",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}

#[test]
fn a_tally_of_this_one_attack_counts_it() {
    let events = code(
        "حمله دقایقی پیش ارتش آمریکا به محله‌ای در بوشهر؛ تاکنون دو نفر در این حمله مجروح شده‌اند.",
        "2026-07-24",
    );
    assert_eq!(events.len(), 1, "{:?}", types(&events));
    assert_eq!(events[0].injuries, Some(2));
}

#[test]
fn a_policeman_who_attained_martyrdom_was_killed() {
    let events = code(
        "ساعتی قبل افرادی مسلح به سمت مأمور انتظامی در خاش با سلاح گرم تیراندازی کردند که در پی این اقدام، استوار یکم «علی رضایی» به درجه رفیع شهادت نائل شد.",
        "2026-07-31",
    );
    assert_eq!(events.len(), 1, "{:?}", types(&events));
    assert_eq!(events[0].fatalities, 1);
    assert_eq!(events[0].event_type, "Battles");
}

#[test]
fn a_province_whose_colon_opens_onto_its_towns_is_struck_in_each() {
    for text in [
        "ارتش آمریکا شب گذشته به سه شهر در استان خوزستان حمله کرد : دزفول، بهبهان و ایذه",
        "ارتش آمریکا شب گذشته به سه شهر\nدر استان خوزستان حمله کرد : دزفول، بهبهان و ایذه",
    ] {
        let events = code(text, "2026-07-13");
        let got: Vec<(&str, &str)> = places(&events);
        assert_eq!(
            got,
            vec![
                ("Dezful", "2026-07-12"),
                ("Behbahan", "2026-07-12"),
                ("Izeh", "2026-07-12")
            ],
            "{text}"
        );
    }
}

#[test]
fn tonights_attacks_on_towns_listed_line_by_line_are_strikes_in_each() {
    let events = code(
        "حملات امشب به این شهرها انجام شده است\n💥\nبهبهان\n💥\nبوشهر\n💥\nاهواز",
        "2026-07-14",
    );
    let got: Vec<&str> = events.iter().map(|e| e.location.as_str()).collect();
    assert_eq!(got, vec!["Behbahan", "Bushehr", "Ahvaz"]);
}

#[test]
fn this_county_is_the_one_the_speakers_title_named() {
    let events = code(
        "خبرگزاری مهر به نقل از فرماندار ویژه جاسک گزارش داد یک پایگاه دریابانی در این شهرستان هدف حمله قرار گرفته است.",
        "2026-05-08",
    );
    assert_eq!(types(&events), vec![("Jask", "Explosions/Remote violence")]);
}

#[test]
fn military_sites_attacked_and_blasts_one_after_another_are_events() {
    let events = code(
        "استانداری بوشهر: بامداد امروز در دو مرحله، دو مکان نظامی در برازجان مورد حمله قرار گرفت.",
        "2026-07-20",
    );
    assert_eq!(
        types(&events),
        vec![("Borazjan", "Explosions/Remote violence")]
    );
    let events = code("دیشب - انفجارهای پی در پی در بوشهر", "2026-07-24");
    assert_eq!(
        types(&events),
        vec![("Bushehr", "Explosions/Remote violence")]
    );
}

#[test]
fn blasts_of_a_controlled_disposal_are_no_event() {
    let events = code(
        "فرماندار ورامین: صدای انفجارهای دقایقی پیش در ورامین مربوط به عملیات کنترل شده امحای مواد منفجره بوده است.",
        "2026-07-11",
    );
    assert!(events.is_empty(), "{:?}", types(&events));
}
