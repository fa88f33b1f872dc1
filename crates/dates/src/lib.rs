//! Date expressions in report text, found and resolved to days.
//!
//! Field reports rarely carry a full date. They say "November 7", "Tuesday", "yesterday",
//! "last week", "4 Aban 1401", "۱۸ آبان", "دیشب", "۲۲ اکتبر ۲۰۲۲". [`find_dates`] finds
//! every such expression in a report's folded text (see [`unrest_text::fold`]) and resolves
//! it against the report's **reference date**: the latest matching day on or before it,
//! unless the expression gives its year. Each mention carries ACLED's `time_precision`:
//! 1 for a day, 2 for a week or a span of days (dated at its middle), 3 for a month (dated
//! at its 15th).
//!
//! Solar Hijri dates are converted with ICU4X's Persian calendar, so leap years follow the
//! official astronomical calendar rather than a rule of our own.
//!
//! The words are data: month names, weekdays, relative words and the like live in
//! `data/en.toml` and `data/fa.toml`, embedded and read once. A new language is a new
//! file and one line in `rules.rs`.
//!
//! This crate knows no clock, does no IO and knows nothing of events: which date belongs
//! to which event, and what "today" is, are the caller's business. It only reads folded
//! text, so it works the same on any text folded by `unrest-text`, and its byte ranges
//! are ranges of that folded text (map them back with `unrest_text::Folded`).
//!
//! What it deliberately does not read as a date: bare numbers ("40th-day memorial",
//! "police station 16", "7 people", "1401" alone), times ("at 8 pm"), and words that are
//! months only sometimes ("a protest march", "may", "تیر" as a shot, "مهر", "دی") unless a
//! day or a year stands next to them.

mod calendar;
mod grammar;
mod resolve;
mod rules;
mod scan;

use chrono::NaiveDate;

/// A date expression found in folded report text, resolved to a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Start of the expression: a byte offset into the folded text given to [`find_dates`].
    pub start: usize,
    /// End (exclusive) of the expression, a byte offset into the same text.
    pub end: usize,
    /// The day it resolves to: the day itself at precision 1, the middle of the span at 2
    /// (the part after the reference date cut off), the 15th of the month at 3.
    pub date: NaiveDate,
    /// ACLED `time_precision`: 1 day, 2 week or span of days, 3 month.
    pub precision: u8,
    pub kind: DateKind,
}

/// What kind of expression a [`DateMention`] was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateKind {
    /// A day of a month, with or without a year: "November 7", "4 Aban 1401",
    /// "۱۸ آبان", "2022-11-07", "Friday September 30". A span of days ("7-9 November") is
    /// Explicit at precision 2.
    Explicit,
    /// A weekday alone: "Tuesday", "last Friday", "سه شنبه گذشته".
    Weekday,
    /// A day counted from the reference: "yesterday", "last night", "two days ago", "امروز".
    Relative,
    /// A week counted from the reference: "last week", "this week", "هفته گذشته".
    Week,
    /// A month: "October", "November 2022", "late October" (precision 2), "last month",
    /// "تیرماه".
    Month,
}

/// Every date expression in `folded`, resolved against `reference`, in text order and
/// non-overlapping; at any position the longest expression wins ("Friday September 30" is
/// one mention, dated by its date).
///
/// `folded` must be folded with `unrest-text`; any string is safe to pass (nothing panics
/// and every range lies on character boundaries), but unfolded text finds fewer dates.
pub fn find_dates(folded: &str, reference: NaiveDate) -> Vec<DateMention> {
    let rules = rules::rules();
    let mut words = Vec::with_capacity(folded.len() / 6);
    scan::tokenize(folded, |token| {
        let entry = rules.entry(&folded[token.start..token.end]);
        let starts = entry.map(|e| rules.starts(e)).unwrap_or_default();
        words.push(grammar::Word {
            token,
            entry,
            starts,
        });
    });
    let parser = grammar::Parser::new(folded, &words, rules, reference);
    let mut mentions = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let found = if parser.may_start(i) {
            parser.longest_at(i)
        } else {
            None
        };
        match found {
            Some(found) if found.names_place => i = found.next,
            Some(found) => {
                mentions.push(DateMention {
                    start: words[i].token.start,
                    end: words[found.next - 1].token.end,
                    date: found.resolved.date,
                    precision: found.resolved.precision,
                    kind: found.resolved.kind,
                });
                i = found.next;
            }
            None => i += 1,
        }
    }
    mentions
}

/// The Gregorian day of a Solar Hijri (Iran's civil calendar) date, if that day exists:
/// for readers of numeric dates that are known to be Solar Hijri (a Persian phone's export).
pub fn solar_hijri_date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    calendar::Calendar::Persian.date(year, month, day)
}

/// The Solar Hijri (year, month 1–12, day) of a Gregorian day: the inverse of
/// [`solar_hijri_date`], for writing dates the way Iranian readers date them.
pub fn to_solar_hijri(date: NaiveDate) -> (i32, u32, u32) {
    calendar::Calendar::Persian.year_month_day(date)
}
