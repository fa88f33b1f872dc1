//! The two calendars reports write dates in, and the one question the scanner asks of
//! them: which day is "month M, day D" in a given year.
//!
//! Solar Hijri arithmetic comes from ICU4X (`icu_calendar`), whose Persian calendar follows
//! the official astronomical leap years through its table of corrections; nothing here
//! knows a leap rule of its own. Days cross between the calendars as Rata Die numbers,
//! which is also what chrono counts from the common era (day 1 = 0001-01-01).

use chrono::{Datelike, NaiveDate};
use icu_calendar::{cal::Persian, types::RataDie, Date};

/// A calendar that month names and numeric dates belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Calendar {
    Gregorian,
    /// Solar Hijri, Iran's civil calendar.
    Persian,
}

impl Calendar {
    pub(crate) fn parse(name: &str) -> Option<Calendar> {
        match name {
            "gregorian" => Some(Calendar::Gregorian),
            "persian" | "solar_hijri" => Some(Calendar::Persian),
            _ => None,
        }
    }

    /// The Gregorian day of `year`-`month`-`day` in this calendar, if that day exists.
    pub(crate) fn date(self, year: i32, month: u32, day: u32) -> Option<NaiveDate> {
        match self {
            Calendar::Gregorian => NaiveDate::from_ymd_opt(year, month, day),
            Calendar::Persian => {
                let month = u8::try_from(month).ok()?;
                let day = u8::try_from(day).ok()?;
                let date = Date::try_new_persian(year, month, day).ok()?;
                from_rata_die(date.to_rata_die())
            }
        }
    }

    /// The year and month of this calendar that `date` falls in.
    pub(crate) fn year_month(self, date: NaiveDate) -> (i32, u32) {
        let (year, month, _) = self.year_month_day(date);
        (year, month)
    }

    /// The year, month and day of this calendar that `date` is.
    pub(crate) fn year_month_day(self, date: NaiveDate) -> (i32, u32, u32) {
        match self {
            Calendar::Gregorian => (date.year(), date.month(), date.day()),
            Calendar::Persian => {
                let rd = RataDie::new(i64::from(date.num_days_from_ce()));
                let persian = Date::from_rata_die(rd, Persian);
                (
                    persian.year().extended_year(),
                    u32::from(persian.month().ordinal),
                    u32::from(persian.day_of_month().0),
                )
            }
        }
    }

    /// The month `delta` months after `year`-`month` (before, when negative).
    pub(crate) fn add_months(self, year: i32, month: u32, delta: i64) -> (i32, u32) {
        // Both calendars have twelve months a year.
        let index = i64::from(year) * 12 + i64::from(month) - 1 + delta;
        (index.div_euclid(12) as i32, index.rem_euclid(12) as u32 + 1)
    }

    /// The first and last day of a month, if the month exists.
    pub(crate) fn month_bounds(self, year: i32, month: u32) -> Option<(NaiveDate, NaiveDate)> {
        let first = self.date(year, month, 1)?;
        let (next_year, next_month) = self.add_months(year, month, 1);
        let last = self.date(next_year, next_month, 1)?.pred_opt()?;
        Some((first, last))
    }

    /// Years a four-digit number must fall in to be read as a year of this calendar. Wide
    /// enough for any report's own time, narrow enough that "1500 people" or "2500 metres"
    /// next to a month is not a year.
    pub(crate) fn plausible_year(self, year: i32) -> bool {
        match self {
            Calendar::Gregorian => (1900..=2100).contains(&year),
            Calendar::Persian => (1300..=1480).contains(&year),
        }
    }

    /// The calendar a lone four-digit year belongs to, by its range.
    pub(crate) fn of_year(year: i32) -> Option<Calendar> {
        [Calendar::Gregorian, Calendar::Persian]
            .into_iter()
            .find(|c| c.plausible_year(year))
    }
}

fn from_rata_die(rd: RataDie) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(rd.to_i64_date()).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn solar_hijri_days_convert_to_gregorian() {
        let p = Calendar::Persian;
        assert_eq!(p.date(1401, 8, 1), Some(ymd(2022, 10, 23)));
        assert_eq!(p.date(1401, 8, 10), Some(ymd(2022, 11, 1)));
        assert_eq!(p.date(1401, 8, 18), Some(ymd(2022, 11, 9)));
        assert_eq!(p.date(1403, 1, 1), Some(ymd(2024, 3, 20)));
    }

    #[test]
    fn esfand_30_exists_only_in_leap_years() {
        let p = Calendar::Persian;
        assert_eq!(p.date(1403, 12, 30), Some(ymd(2025, 3, 20)));
        assert_eq!(p.date(1402, 12, 30), None);
        assert_eq!(p.date(1401, 7, 31), None);
    }

    #[test]
    fn gregorian_days_know_their_solar_hijri_month() {
        assert_eq!(Calendar::Persian.year_month(ymd(2022, 11, 10)), (1401, 8));
        assert_eq!(Calendar::Persian.year_month(ymd(2024, 3, 19)), (1402, 12));
        assert_eq!(Calendar::Persian.year_month(ymd(2024, 3, 20)), (1403, 1));
    }

    #[test]
    fn month_bounds_follow_month_lengths() {
        assert_eq!(
            Calendar::Gregorian.month_bounds(2024, 2),
            Some((ymd(2024, 2, 1), ymd(2024, 2, 29)))
        );
        assert_eq!(
            Calendar::Persian.month_bounds(1401, 8),
            Some((ymd(2022, 10, 23), ymd(2022, 11, 21)))
        );
        assert_eq!(
            Calendar::Persian.month_bounds(1402, 12),
            Some((ymd(2024, 2, 20), ymd(2024, 3, 19)))
        );
    }

    #[test]
    fn add_months_crosses_years() {
        assert_eq!(Calendar::Gregorian.add_months(2022, 1, -1), (2021, 12));
        assert_eq!(Calendar::Gregorian.add_months(2022, 12, 1), (2023, 1));
        assert_eq!(Calendar::Gregorian.add_months(2022, 3, -14), (2021, 1));
    }
}
