//! From what a report wrote to a day: every date resolves to the latest matching day on or
//! before the reference date, unless it carries its year.
//!
//! Spans (a week, a part of a month, "7-9 November") resolve to their middle day, after
//! cutting off whatever part lies after the reference: a report cannot tell of days after
//! it was written, so "early November" in a report of November 3 means November 1-3.
//! Months alone resolve to their 15th, as ACLED codes them, even when that is after the
//! reference.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::calendar::Calendar;
use crate::rules::{Part, Unit, WeekdayAfter};
use crate::DateKind;

/// A resolved date before it is given its place in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub(crate) date: NaiveDate,
    pub(crate) precision: u8,
    pub(crate) kind: DateKind,
}

/// How many years back a day without a year is looked for: enough for February 29 and
/// Esfand 30, which come every four or five years.
const YEARS_BACK: i32 = 8;

/// Day `first`, or the days `first..=last`, of a month, in `year` or else the latest such
/// day on or before `reference`.
pub(crate) fn days(
    calendar: Calendar,
    month: u32,
    first: u32,
    last: Option<u32>,
    year: Option<i32>,
    reference: NaiveDate,
) -> Option<Resolved> {
    let (year, start) = match year {
        Some(year) => (year, calendar.date(year, month, first)?),
        None => {
            let (now, _) = calendar.year_month(reference);
            (now - YEARS_BACK..=now)
                .rev()
                .filter_map(|y| Some((y, calendar.date(y, month, first)?)))
                .find(|(_, d)| *d <= reference)?
        }
    };
    match last {
        None => Some(Resolved {
            date: start,
            precision: 1,
            kind: DateKind::Explicit,
        }),
        Some(last) => {
            let end = calendar.date(year, month, last)?;
            Some(Resolved {
                date: middle(start, end, reference),
                precision: 2,
                kind: DateKind::Explicit,
            })
        }
    }
}

/// A month, in `year` or else the latest one that has begun by `reference`; its 15th.
pub(crate) fn month(
    calendar: Calendar,
    month: u32,
    year: Option<i32>,
    reference: NaiveDate,
) -> Option<Resolved> {
    let year = year.unwrap_or_else(|| latest_year_of_month(calendar, month, reference));
    Some(Resolved {
        date: calendar.date(year, month, 15)?,
        precision: 3,
        kind: DateKind::Month,
    })
}

/// A part of a month ("late October", "first week of November", "دهه اول آبان"), in `year`
/// or else the latest one that has begun by `reference`.
pub(crate) fn part_of_month(
    calendar: Calendar,
    month: u32,
    part: Part,
    year: Option<i32>,
    reference: NaiveDate,
) -> Option<Resolved> {
    let bounds = |year| {
        let (first, last) = calendar.month_bounds(year, month)?;
        let start = first.checked_add_days(Days::new((part.first - 1).into()))?;
        let end = first
            .checked_add_days(Days::new((part.last - 1).into()))?
            .min(last);
        if start > last {
            return None;
        }
        Some((start, end))
    };
    let (start, end) = match year {
        Some(year) => bounds(year)?,
        None => {
            let year = latest_year_of_month(calendar, month, reference);
            match bounds(year)? {
                (start, _) if start > reference => bounds(year - 1)?,
                span => span,
            }
        }
    };
    Some(Resolved {
        date: middle(start, end, reference),
        precision: 2,
        kind: DateKind::Month,
    })
}

/// A weekday: the latest one on or before the reference, or strictly before it, or in the
/// week before the reference's.
pub(crate) fn weekday(
    day: Weekday,
    after: Option<WeekdayAfter>,
    reference: NaiveDate,
) -> Option<Resolved> {
    let on_or_before = match after {
        None => reference,
        Some(WeekdayAfter::Before) => reference.pred_opt()?,
        Some(WeekdayAfter::PreviousWeek(week_start)) => {
            latest_weekday(week_start, reference)?.pred_opt()?
        }
    };
    Some(Resolved {
        date: latest_weekday(day, on_or_before)?,
        precision: 1,
        kind: DateKind::Weekday,
    })
}

/// "yesterday", "last week", "ماه گذشته": `back` units before the reference.
///
/// Weeks are seven-day spans counted back from the reference, not calendar weeks: "this
/// week" is the seven days ending on the reference, "last week" the seven days before
/// those. A report's "last week" rarely means a calendar boundary, and this needs no
/// week-start convention.
pub(crate) fn relative(
    unit: Unit,
    back: u32,
    calendar: Calendar,
    reference: NaiveDate,
) -> Option<Resolved> {
    match unit {
        Unit::Day => Some(Resolved {
            date: reference.checked_sub_days(Days::new(back.into()))?,
            precision: 1,
            kind: DateKind::Relative,
        }),
        Unit::Week => {
            let end = match back {
                0 => reference,
                _ => reference.checked_sub_days(Days::new(7 * u64::from(back) - 6))?,
            };
            let end = end.min(reference);
            let date = end.checked_sub_days(Days::new(3))?;
            Some(Resolved {
                date,
                precision: 2,
                kind: DateKind::Week,
            })
        }
        Unit::Month => months_back(calendar, back, reference),
    }
}

/// "two days ago", "سه هفته پیش": the day, week or month `count` units before the
/// reference.
pub(crate) fn ago(
    unit: Unit,
    count: u32,
    calendar: Calendar,
    reference: NaiveDate,
) -> Option<Resolved> {
    match unit {
        Unit::Day => relative(Unit::Day, count, calendar, reference),
        Unit::Week => Some(Resolved {
            date: reference.checked_sub_days(Days::new(7 * u64::from(count)))?,
            precision: 2,
            kind: DateKind::Week,
        }),
        Unit::Month => months_back(calendar, count, reference),
    }
}

/// The 15th of the month `back` months before the reference's month.
fn months_back(calendar: Calendar, back: u32, reference: NaiveDate) -> Option<Resolved> {
    let (year, month) = calendar.year_month(reference);
    let (year, month) = calendar.add_months(year, month, -i64::from(back));
    Some(Resolved {
        date: calendar.date(year, month, 15)?,
        precision: 3,
        kind: DateKind::Month,
    })
}

/// The year of the latest `month` that has begun on or before `reference`.
fn latest_year_of_month(calendar: Calendar, month: u32, reference: NaiveDate) -> i32 {
    let (year, now) = calendar.year_month(reference);
    if month <= now {
        year
    } else {
        year - 1
    }
}

fn latest_weekday(day: Weekday, on_or_before: NaiveDate) -> Option<NaiveDate> {
    let back = (7 + on_or_before.weekday().num_days_from_monday() - day.num_days_from_monday()) % 7;
    on_or_before.checked_sub_days(Days::new(back.into()))
}

/// The middle day of `start..=end`, cut at `reference` when the span runs past it (and
/// began by then). An even span takes the earlier of its two middle days.
fn middle(start: NaiveDate, end: NaiveDate, reference: NaiveDate) -> NaiveDate {
    let end = if start <= reference {
        end.min(reference)
    } else {
        end
    };
    let half = (end - start).num_days().max(0) / 2;
    start
        .checked_add_days(Days::new(half as u64))
        .unwrap_or(start)
}
