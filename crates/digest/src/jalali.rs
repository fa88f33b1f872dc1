//! Gregorian to Solar Hijri dates, for the Persian digest: Iranian readers date events
//! by the calendar they live in ("4 Aban 1401").

use chrono::NaiveDate;

/// The Solar Hijri (year, month 1–12, day) of a Gregorian date (ICU4X's Persian calendar,
/// through `unrest-dates`, the converter the coder's Persian notes use too).
pub fn to_jalali(date: NaiveDate) -> (i32, u32, u32) {
    unrest_dates::to_solar_hijri(date)
}

#[cfg(test)]
mod tests {
    use super::to_jalali;
    use chrono::NaiveDate;

    fn j(y: i32, m: u32, d: u32) -> (i32, u32, u32) {
        to_jalali(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn dates_of_the_2022_uprising_in_the_solar_hijri_calendar() {
        assert_eq!(j(2022, 9, 16), (1401, 6, 25)); // Mahsa Amini's death
        assert_eq!(j(2022, 9, 30), (1401, 7, 8)); // Zahedan's Bloody Friday
        assert_eq!(j(2022, 10, 26), (1401, 8, 4)); // the fortieth day, Saqqez
        assert_eq!(j(2023, 3, 21), (1402, 1, 1)); // Nowruz
        assert_eq!(j(2023, 3, 20), (1401, 12, 29));
        assert_eq!(j(2025, 3, 20), (1403, 12, 30)); // a leap year's last day
    }
}
