//! Gregorian to Solar Hijri dates, for the Persian digest: Iranian readers date events
//! by the calendar they live in ("4 Aban 1401").

use chrono::{Datelike, NaiveDate};

/// The Solar Hijri (year, month 1–12, day) of a Gregorian date.
///
/// The arithmetic of the 33-year cycle, exact for the years this project documents
/// (1300–1500 SH, 1921–2121 CE).
pub fn to_jalali(date: NaiveDate) -> (i32, u32, u32) {
    const DAYS_BEFORE_MONTH: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let (gy, gm, gd) = (date.year() as i64, date.month() as usize, date.day() as i64);
    let gy2 = if gm > 2 { gy + 1 } else { gy };
    let mut days = 355_666 + 365 * gy + (gy2 + 3) / 4 - (gy2 + 99) / 100
        + (gy2 + 399) / 400
        + gd
        + DAYS_BEFORE_MONTH[gm - 1];
    let mut jy = -1595 + 33 * (days / 12_053);
    days %= 12_053;
    jy += 4 * (days / 1461);
    days %= 1461;
    if days > 365 {
        jy += (days - 1) / 365;
        days = (days - 1) % 365;
    }
    let (jm, jd) = if days < 186 {
        (1 + days / 31, 1 + days % 31)
    } else {
        (7 + (days - 186) / 30, 1 + (days - 186) % 30)
    };
    (jy as i32, jm as u32, jd as u32)
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
