//! The date rules of the event-coding reference, one test per rule: report text in, the
//! dates found out. Each found date is shown as `text => date pN Kind`, where `text` is the
//! slice of the folded text the mention covers.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use unrest_dates::{find_dates, DateKind};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The mentions in `text` (folded first) with `reference`, rendered one per entry.
fn dates(text: &str, reference: &str) -> Vec<String> {
    let folded = unrest_text::fold(text);
    find_dates(&folded, day(reference))
        .into_iter()
        .map(|m| {
            format!(
                "{} => {} p{} {:?}",
                &folded[m.start..m.end],
                m.date,
                m.precision,
                m.kind
            )
        })
        .collect()
}

#[track_caller]
fn check(text: &str, reference: &str, expected: &[&str]) {
    assert_eq!(dates(text, reference), expected, "in {text:?}");
}

/// Only the resolved day of the single mention in `text`.
#[track_caller]
fn resolves(text: &str, reference: &str, expected: &str) {
    let folded = unrest_text::fold(text);
    let found = find_dates(&folded, day(reference));
    assert_eq!(found.len(), 1, "{text:?}: {:?}", dates(text, reference));
    assert_eq!(found[0].date, day(expected), "{text:?}");
}

// --- English forms ----------------------------------------------------------------------

#[test]
fn english_month_then_day() {
    check(
        "Bukan, November 20 — mourners",
        "2022-11-21",
        &["november 20 => 2022-11-20 p1 Explicit"],
    );
}

#[test]
fn english_day_then_month() {
    check(
        "Ardabil, 24 September: police",
        "2022-09-25",
        &["24 september => 2022-09-24 p1 Explicit"],
    );
}

#[test]
fn english_abbreviated_month_with_and_without_full_stop() {
    check(
        "on 7 Nov",
        "2022-11-21",
        &["7 nov => 2022-11-07 p1 Explicit"],
    );
    check(
        "on Nov. 7",
        "2022-11-21",
        &["nov. 7 => 2022-11-07 p1 Explicit"],
    );
    check(
        "on Sept 24",
        "2022-11-21",
        &["sept 24 => 2022-09-24 p1 Explicit"],
    );
}

#[test]
fn english_ordinal_day_of_month() {
    check(
        "on the 7th of November",
        "2022-11-21",
        &["7th of november => 2022-11-07 p1 Explicit"],
    );
    check(
        "November 22nd",
        "2022-11-30",
        &["november 22nd => 2022-11-22 p1 Explicit"],
    );
}

#[test]
fn english_date_with_year() {
    check(
        "Field reports from the north, November 30, 2022",
        "2022-12-05",
        &["november 30, 2022 => 2022-11-30 p1 Explicit"],
    );
    check(
        "7 November 2021",
        "2022-12-05",
        &["7 november 2021 => 2021-11-07 p1 Explicit"],
    );
}

#[test]
fn iso_date() {
    check(
        "2022-11-07",
        "2022-12-05",
        &["2022-11-07 => 2022-11-07 p1 Explicit"],
    );
}

#[test]
fn weekday_alone_is_the_latest_on_or_before_the_reference() {
    // Reference 2022-10-09 is a Sunday.
    check(
        "Shiraz, Saturday: protesters",
        "2022-10-09",
        &["saturday => 2022-10-08 p1 Weekday"],
    );
    check(
        "on Tuesday",
        "2022-10-09",
        &["tuesday => 2022-10-04 p1 Weekday"],
    );
}

#[test]
fn weekday_on_the_reference_day_is_that_day() {
    check(
        "on Sunday",
        "2022-10-09",
        &["sunday => 2022-10-09 p1 Weekday"],
    );
}

#[test]
fn last_weekday_is_strictly_before_the_reference() {
    check(
        "last Sunday",
        "2022-10-09",
        &["last sunday => 2022-10-02 p1 Weekday"],
    );
}

#[test]
fn weekday_with_date_the_date_wins() {
    // September 30, 2022 was a Friday; the weekday agrees here, but the date decides.
    check(
        "Zahedan, Friday September 30",
        "2022-10-05",
        &["friday september 30 => 2022-09-30 p1 Explicit"],
    );
    check(
        "Thursday, September 30",
        "2022-10-05",
        &["thursday, september 30 => 2022-09-30 p1 Explicit"],
    );
    check(
        "Sat, Oct 8",
        "2022-10-09",
        &["sat, oct 8 => 2022-10-08 p1 Explicit"],
    );
}

#[test]
fn yesterday_and_last_night_are_the_day_before() {
    check(
        "Yesterday and last night",
        "2022-10-21",
        &[
            "yesterday => 2022-10-20 p1 Relative",
            "last night => 2022-10-20 p1 Relative",
        ],
    );
}

#[test]
fn today_tonight_and_this_morning_are_the_reference_day() {
    check(
        "today, tonight, this morning",
        "2022-10-21",
        &[
            "today => 2022-10-21 p1 Relative",
            "tonight => 2022-10-21 p1 Relative",
            "this morning => 2022-10-21 p1 Relative",
        ],
    );
}

#[test]
fn a_time_before_last_night_is_still_last_night() {
    check(
        "they gathered at 9 last night",
        "2022-10-21",
        &["last night => 2022-10-20 p1 Relative"],
    );
}

#[test]
fn next_weekday_is_no_date_of_an_event() {
    check("protests are called for next Tuesday", "2022-10-21", &[]);
    check("فراخوان برای سه شنبه آینده", "2022-10-21", &[]);
}

#[test]
fn days_ago_in_words_or_digits() {
    check(
        "two days ago and 3 days ago",
        "2022-10-21",
        &[
            "two days ago => 2022-10-19 p1 Relative",
            "3 days ago => 2022-10-18 p1 Relative",
        ],
    );
    check(
        "a week ago",
        "2022-10-21",
        &["a week ago => 2022-10-14 p2 Week"],
    );
}

#[test]
fn last_week_is_the_middle_of_the_seven_days_before_precision_2() {
    check(
        "last week",
        "2022-10-21",
        &["last week => 2022-10-17 p2 Week"],
    );
}

#[test]
fn this_week_is_the_middle_of_the_seven_days_to_the_reference_precision_2() {
    check(
        "this week",
        "2022-11-30",
        &["this week => 2022-11-27 p2 Week"],
    );
}

#[test]
fn month_alone_is_its_15th_precision_3() {
    check(
        "in October",
        "2022-12-05",
        &["october => 2022-10-15 p3 Month"],
    );
}

#[test]
fn month_alone_in_the_reference_month_is_the_current_one() {
    check("October", "2022-10-03", &["october => 2022-10-15 p3 Month"]);
    check(
        "December",
        "2022-10-03",
        &["december => 2021-12-15 p3 Month"],
    );
}

#[test]
fn month_with_year_is_precision_3() {
    check(
        "November 2022",
        "2023-05-01",
        &["november 2022 => 2022-11-15 p3 Month"],
    );
}

#[test]
fn early_mid_late_month_are_spans_precision_2() {
    // early = days 1-10, mid = 11-20, late = 21 to the end; dated at the middle.
    check(
        "early October, mid-October and late October",
        "2022-12-05",
        &[
            "early october => 2022-10-05 p2 Month",
            "mid-october => 2022-10-15 p2 Month",
            "late october => 2022-10-26 p2 Month",
        ],
    );
}

#[test]
fn weeks_and_halves_of_a_month_are_spans_precision_2() {
    check(
        "in the first week of November",
        "2022-12-05",
        &["first week of november => 2022-11-04 p2 Month"],
    );
    check(
        "the last week of October",
        "2022-12-05",
        &["last week of october => 2022-10-26 p2 Month"],
    );
}

#[test]
fn a_span_running_past_the_reference_is_cut_at_it() {
    check(
        "late November",
        "2022-11-24",
        &["late november => 2022-11-22 p2 Month"],
    );
}

#[test]
fn a_span_of_days_is_its_middle_precision_2() {
    check(
        "from 7-9 November",
        "2022-11-21",
        &["7-9 november => 2022-11-08 p2 Explicit"],
    );
    check(
        "November 20 to 22",
        "2022-11-30",
        &["november 20 to 22 => 2022-11-21 p2 Explicit"],
    );
}

#[test]
fn last_month_is_the_15th_of_the_previous_month() {
    check(
        "last month",
        "2022-01-05",
        &["last month => 2021-12-15 p3 Month"],
    );
}

// --- Latest on or before -------------------------------------------------------------------

#[test]
fn a_date_without_year_is_the_latest_on_or_before_the_reference() {
    resolves("December 30", "2022-01-05", "2021-12-30");
    resolves("January 5", "2022-01-05", "2022-01-05");
    resolves("January 6", "2022-01-05", "2021-01-06");
}

#[test]
fn february_29_without_year_is_the_latest_leap_day() {
    resolves("February 29", "2023-06-01", "2020-02-29");
}

#[test]
fn a_date_with_its_year_is_taken_as_written() {
    resolves("December 30, 2022", "2022-01-05", "2022-12-30");
}

// --- Solar Hijri ---------------------------------------------------------------------------

#[test]
fn solar_hijri_in_latin_letters() {
    check(
        "Gilan province, 1 Aban 1401: protests",
        "2022-10-24",
        &["1 aban 1401 => 2022-10-23 p1 Explicit"],
    );
    check(
        "4 Aban 1401",
        "2022-12-01",
        &["4 aban 1401 => 2022-10-26 p1 Explicit"],
    );
    check(
        "Aban 4",
        "2022-12-01",
        &["aban 4 => 2022-10-26 p1 Explicit"],
    );
}

#[test]
fn solar_hijri_conversions() {
    resolves("1 Aban 1401", "2023-01-01", "2022-10-23");
    resolves("10 Aban 1401", "2023-01-01", "2022-11-01");
    resolves("18 Aban 1401", "2023-01-01", "2022-11-09");
    resolves("1 Farvardin 1403", "2025-01-01", "2024-03-20");
}

#[test]
fn esfand_30_exists_in_leap_years_only() {
    resolves("30 Esfand 1403", "2025-06-01", "2025-03-20");
    // 1402 has no Esfand 30: only the month is read.
    check(
        "30 Esfand 1402",
        "2025-06-01",
        &["esfand 1402 => 2024-03-05 p3 Month"],
    );
    // Without a year: the latest leap year's Esfand 30 (1403), not 1402's.
    resolves("۳۰ اسفند", "2025-06-01", "2025-03-20");
}

#[test]
fn persian_solar_hijri_with_year() {
    check(
        "بوکان - ۱۰ آبان ۱۴۰۱: صدها نفر",
        "2022-11-02",
        &["10 ابان 1401 => 2022-11-01 p1 Explicit"],
    );
}

#[test]
fn persian_solar_hijri_without_year() {
    check(
        "پیرانشهر - ۱۸ آبان: نیروهای سپاه",
        "2022-11-10",
        &["18 ابان => 2022-11-09 p1 Explicit"],
    );
}

#[test]
fn persian_month_suffix_with_day_and_year() {
    resolves("۱۸ آبان‌ماه ۱۴۰۱", "2023-01-01", "2022-11-09");
    resolves("۱۸ آبانماه", "2022-11-10", "2022-11-09");
}

#[test]
fn persian_ordinal_days() {
    resolves("هجدهم آبان", "2022-11-10", "2022-11-09");
    resolves("بیست و یکم مهر", "2022-11-10", "2022-10-13");
    resolves("۱۸ام آبان", "2022-11-10", "2022-11-09");
}

#[test]
fn persian_month_with_mah_suffix_stands_alone() {
    check("تیرماه", "2022-11-10", &["تیرماه => 2022-07-06 p3 Month"]);
    check(
        "در مهر ماه",
        "2022-11-10",
        &["مهر ماه => 2022-10-07 p3 Month"],
    );
}

#[test]
fn persian_numeric_solar_hijri() {
    resolves("۱۴۰۱/۰۸/۱۰", "2022-12-01", "2022-11-01");
    resolves("۱۰/۸/۱۴۰۱", "2022-12-01", "2022-11-01");
}

#[test]
fn persian_gregorian_months() {
    check(
        "۲۲ اکتبر ۲۰۲۲",
        "2022-12-01",
        &["22 اکتبر 2022 => 2022-10-22 p1 Explicit"],
    );
    resolves("۵ ژوئن", "2022-12-01", "2022-06-05");
    resolves("۱۴ ژوئیه", "2022-12-01", "2022-07-14");
}

#[test]
fn persian_weekdays_with_and_without_zwnj() {
    // Reference 2022-11-10 is a Thursday.
    for tuesday in ["سه‌شنبه", "سه شنبه", "سهشنبه"] {
        resolves(tuesday, "2022-11-10", "2022-11-08");
    }
    for thursday in ["پنج‌شنبه", "پنجشنبه", "پنج شنبه"] {
        resolves(thursday, "2022-11-10", "2022-11-10");
    }
    resolves("یکشنبه", "2022-11-10", "2022-11-06");
    resolves("جمعه", "2022-11-10", "2022-11-04");
}

#[test]
fn shanbe_is_not_read_inside_the_other_weekdays() {
    check(
        "سه‌شنبه",
        "2022-11-10",
        &["سه شنبه => 2022-11-08 p1 Weekday"],
    );
    check("شنبه", "2022-11-10", &["شنبه => 2022-11-05 p1 Weekday"]);
}

#[test]
fn persian_weekday_before_and_in_the_previous_week() {
    // Reference Thursday 2022-11-10; weeks run Saturday to Friday, so the week before
    // is 2022-10-29 to 2022-11-04.
    resolves("سه شنبه گذشته", "2022-11-10", "2022-11-08");
    resolves("پنجشنبه گذشته", "2022-11-10", "2022-11-03");
    resolves("سه شنبه هفته گذشته", "2022-11-10", "2022-11-01");
    check(
        "پنجشنبه شب گذشته",
        "2022-11-10",
        &["پنجشنبه شب گذشته => 2022-11-03 p1 Weekday"],
    );
}

#[test]
fn persian_weekday_with_date_the_date_wins() {
    check(
        "شنبه ۱۶ مهر",
        "2022-11-10",
        &["شنبه 16 مهر => 2022-10-08 p1 Explicit"],
    );
}

#[test]
fn persian_relative_days() {
    check(
        "امروز، دیروز، دیشب، امشب، پریروز",
        "2022-10-21",
        &[
            "امروز => 2022-10-21 p1 Relative",
            "دیروز => 2022-10-20 p1 Relative",
            "دیشب => 2022-10-20 p1 Relative",
            "امشب => 2022-10-21 p1 Relative",
            "پریروز => 2022-10-19 p1 Relative",
        ],
    );
}

#[test]
fn persian_last_week_precision_2() {
    check(
        "هفته گذشته و هفته پیش",
        "2022-10-21",
        &[
            "هفته گذشته => 2022-10-17 p2 Week",
            "هفته پیش => 2022-10-17 p2 Week",
        ],
    );
}

#[test]
fn persian_last_month_is_the_previous_solar_month_precision_3() {
    // Reference 19 Aban 1401; the month before is Mehr, whose 15th is 2022-10-07.
    check(
        "ماه گذشته",
        "2022-11-10",
        &["ماه گذشته => 2022-10-07 p3 Month"],
    );
}

#[test]
fn persian_days_ago() {
    check(
        "سه روز پیش",
        "2022-10-21",
        &["سه روز پیش => 2022-10-18 p1 Relative"],
    );
    resolves("۲ روز قبل", "2022-10-21", "2022-10-19");
}

#[test]
fn persian_past_n_days_is_not_yesterday() {
    check("در سه روز گذشته", "2022-10-21", &[]);
}

#[test]
fn persian_part_of_month() {
    check(
        "اواخر آبان",
        "2022-12-01",
        &["اواخر ابان => 2022-11-16 p2 Month"],
    );
}

#[test]
fn arabic_keyboard_and_digits_fold_before_matching() {
    // Arabic-Indic digits and Arabic yeh: folded by unrest-text, then read.
    resolves("٢٢ اكتبر", "2022-12-01", "2022-10-22");
}

// --- Ambiguous words -----------------------------------------------------------------------

#[test]
fn march_and_may_are_months_only_with_a_day_or_year() {
    check("a protest march through the bazaar", "2022-12-01", &[]);
    check("they may gather", "2022-12-01", &[]);
    check(
        "March 8",
        "2022-12-01",
        &["march 8 => 2022-03-08 p1 Explicit"],
    );
    check(
        "May 2022",
        "2022-12-01",
        &["may 2022 => 2022-05-15 p3 Month"],
    );
}

#[test]
fn tir_is_a_month_only_with_a_day_or_year() {
    check("نیروها تیر اندازی کردند", "2022-12-01", &[]);
    check("تیراندازی", "2022-12-01", &[]);
    check("او به تیر خورد", "2022-12-01", &[]);
    resolves("۱۲ تیر", "2022-12-01", "2022-07-03");
    check(
        "تیر ۱۴۰۱",
        "2022-12-01",
        &["تیر 1401 => 2022-07-06 p3 Month"],
    );
}

#[test]
fn tir_with_a_number_before_a_shooting_word_is_shots() {
    check("۳ تیر شلیک کردند", "2022-12-01", &[]);
}

#[test]
fn mehr_and_dey_are_months_only_with_a_day_or_year() {
    check("مهر و محبت", "2022-12-01", &[]);
    check("دی", "2022-12-01", &[]);
    check("Mehr news agency", "2022-12-01", &[]);
    resolves("۸ مهر", "2022-12-01", "2022-09-30");
    resolves("۱۸ دی ۱۴۰۱", "2023-03-01", "2023-01-08");
}

#[test]
fn friday_prayer_leader_and_bloody_friday_are_not_dates() {
    check("امام جمعه زاهدان", "2022-10-09", &[]);
    check("جمعه خونین", "2022-10-09", &[]);
    check("Bloody Friday in Zahedan", "2022-10-09", &[]);
}

// --- Numbers that are not dates ---------------------------------------------------------------

#[test]
fn numbers_that_are_not_dates() {
    for text in [
        "the 40th-day memorial",
        "police station 16",
        "wounding at least 15",
        "in 1401",
        "7 people were arrested",
        "at 8 pm",
        "at 8:30",
        "7.5 percent",
        "15% of shops",
        "1,500 people",
        "for three days",
        "مراسم چهلم",
        "۱۴۰۱",
        "۷ نفر",
    ] {
        check(text, "2022-12-01", &[]);
    }
}

#[test]
fn streets_and_squares_named_after_dates_are_not_dates() {
    check("در خیابان ۱۶ آذر تجمع کردند", "2022-12-01", &[]);
    check("میدان ۷ تیر", "2022-12-01", &[]);
    check("خیابان ۱۷ شهریور", "2022-12-01", &[]);
    check("near 17 Shahrivar Street", "2022-12-01", &[]);
    // The same date is a date when it names no place.
    resolves("۱۶ آذر روز دانشجو", "2022-12-10", "2022-12-07");
}

#[test]
fn a_date_does_not_run_across_a_line_break() {
    check(
        "Report from Isfahan—October\n12 people gathered",
        "2022-10-13",
        &["october => 2022-10-15 p3 Month"],
    );
}

#[test]
fn a_year_next_to_a_month_must_be_plausible() {
    // 1500 is no Gregorian year of any report: "October, 1500 people" is not a date.
    check(
        "On October 12, 1500 people marched",
        "2022-10-13",
        &["october 12 => 2022-10-12 p1 Explicit"],
    );
}

#[test]
fn ambiguous_slashed_gregorian_dates_are_left_alone() {
    check("11/7/2022", "2022-12-01", &[]);
    resolves("25/11/2022", "2022-12-01", "2022-11-25");
}

// --- The dev set ---------------------------------------------------------------------------

#[test]
fn dev_set_dates() {
    check(
        "Field reports from the north, November 30, 2022\n\nWe received many reports this \
         week.\n\nReport from Sari—November 28\n\nReport from Gorgan—November 27",
        "2022-11-30",
        &[
            "november 30, 2022 => 2022-11-30 p1 Explicit",
            "this week => 2022-11-27 p2 Week",
            "november 28 => 2022-11-28 p1 Explicit",
            "november 27 => 2022-11-27 p1 Explicit",
        ],
    );
    check(
        "قزوین، دیروز: معترضان",
        "2022-10-21",
        &["دیروز => 2022-10-20 p1 Relative"],
    );
    check(
        "Our correspondent in Urmia says the city has been calm for three days.",
        "2022-12-02",
        &[],
    );
}

// --- Robustness ----------------------------------------------------------------------------

#[test]
fn mentions_are_in_text_order_and_do_not_overlap() {
    let folded = unrest_text::fold("Friday September 30, yesterday, ۱۸ آبان and 2022-11-07");
    let found = find_dates(&folded, day("2022-11-21"));
    assert_eq!(found.len(), 4);
    assert!(found.windows(2).all(|w| w[0].end <= w[1].start));
    assert_eq!(found[0].kind, DateKind::Explicit);
}

#[test]
fn extreme_reference_dates_do_not_panic() {
    for reference in [NaiveDate::MIN, NaiveDate::MAX] {
        let _ = find_dates(
            "yesterday 18 ابان last week 30 esfand late october ماه گذشته 2 weeks ago",
            reference,
        );
    }
}

proptest! {
    #[test]
    fn any_reference_date_is_safe(
        text in "(\\PC|[0-9۰-۹ /.-]|آبان|اسفند|شنبه|ماه گذشته|late october|february 29|last week| ){0,30}",
        days in NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce(),
    ) {
        let reference = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
        let _ = find_dates(&unrest_text::fold(&text), reference);
    }

    #[test]
    fn any_text_is_safe_and_ranges_lie_on_char_boundaries(
        text in "(\\PC|[0-9۰-۹٠-٩ /.:,-]|آبان|اکتبر|تیر|شنبه|سه|november|may|aban|ago| ){0,60}",
        days in 0i64..40_000,
    ) {
        let reference = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Days::new(days as u64);
        for input in [text.clone(), unrest_text::fold(&text)] {
            let found = find_dates(&input, reference);
            let mut last_end = 0;
            for m in found {
                prop_assert!(m.start < m.end && m.end <= input.len());
                prop_assert!(input.is_char_boundary(m.start) && input.is_char_boundary(m.end));
                prop_assert!(m.start >= last_end);
                prop_assert!((1..=3).contains(&m.precision));
                last_end = m.end;
            }
        }
    }
}
