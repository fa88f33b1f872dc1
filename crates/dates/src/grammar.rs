//! The shapes a date takes in a report, over tokens and the roles the lexicon gives them.
//!
//! Each form is a function from a starting token to the longest date it can read there.
//! No form knows a word of any language; they know "a month name", "a day", "a relative
//! phrase". The pieces of one date must stand on one line: a heading that ends in a
//! month must not take the number that starts the next paragraph.
//!
//! A bare number is never a date: only a number next to a month name (or in a full numeric
//! date, or before "days ago") is. So "40th-day memorial", "police station 16", "at least
//! 15", "7 people" and a lone "1401" are all left alone.

use chrono::NaiveDate;

use crate::calendar::Calendar;
use crate::resolve::{self, Resolved};
use crate::rules::{Meaning, MonthName, Rules, Standing, Starts, WeekdayAfter};
use crate::scan::{Class, Token};
use crate::DateKind;

/// A token with its lexicon entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Word {
    pub(crate) token: Token,
    pub(crate) entry: Option<u32>,
    /// What dates can start at this word, from its lexicon entry.
    pub(crate) starts: Starts,
}

/// A date read from the tokens `start..next`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found {
    pub(crate) next: usize,
    pub(crate) resolved: Resolved,
    /// The date is part of a place's name ("خیابان ۱۷ شهریور"): no date, but its words
    /// are used up, so that "شهریور" is not then read as a month alone.
    pub(crate) names_place: bool,
}

/// Marks that glue the parts of a number together ("7.5", "8:30", "7,000", "1/2"): a
/// number written against one of them is not a day or a year.
const NUMBER_GLUE: &[&str] = &[".", ":", ",", "/", "%"];

/// Marks between the parts of a numeric date: "2022-11-07", "1401/08/10", "07.11.2022".
const DATE_SEPARATORS: &[&str] = &["-", "/", "."];

pub(crate) struct Parser<'a> {
    text: &'a str,
    words: &'a [Word],
    rules: &'a Rules,
    reference: NaiveDate,
}

type Form<'a> = fn(&Parser<'a>, usize) -> Option<Found>;

impl<'a> Parser<'a> {
    pub(crate) fn new(
        text: &'a str,
        words: &'a [Word],
        rules: &'a Rules,
        reference: NaiveDate,
    ) -> Self {
        Parser {
            text,
            words,
            rules,
            reference,
        }
    }

    /// Whether any date could start at token `i`: it is a number or a word of the lexicon.
    pub(crate) fn may_start(&self, i: usize) -> bool {
        let w = &self.words[i];
        w.starts.any() || w.token.class == Class::Digits
    }

    /// The longest date starting at token `i`; of equally long ones, the first form's.
    pub(crate) fn longest_at(&self, i: usize) -> Option<Found> {
        let w = &self.words[i];
        let digits = w.token.class == Class::Digits;
        let starts = |kind| w.starts.has(kind);
        let forms: [(bool, Form<'a>); 8] = [
            (starts(Starts::WEEKDAY_BEFORE), Parser::weekday_with_prefix),
            (starts(Starts::WEEKDAY), Parser::weekday),
            (starts(Starts::RELATIVE), Parser::relative),
            (digits || starts(Starts::NUMBER), Parser::ago),
            (starts(Starts::QUALIFIER), Parser::part_of_month),
            (digits, Parser::numeric),
            (digits || starts(Starts::ORDINAL_DAY), Parser::day_first),
            (starts(Starts::MONTH), Parser::month_first),
        ];
        self.longest(i, &forms)
    }

    /// The longest date that one of `forms` (those marked as worth trying) reads at `i`.
    fn longest(&self, i: usize, forms: &[(bool, Form<'a>)]) -> Option<Found> {
        let mut best: Option<Found> = None;
        for (_, form) in forms.iter().filter(|(may, _)| *may) {
            if let Some(found) = form(self, i) {
                if best.is_none_or(|b| found.next > b.next) {
                    best = Some(found);
                }
            }
        }
        best
    }

    // --- Forms -------------------------------------------------------------------------

    /// "last Tuesday", "this past Friday": strictly before the reference day.
    fn weekday_with_prefix(&self, i: usize) -> Option<Found> {
        let ((), j) = self.find(i, |m| matches!(m, Meaning::WeekdayBefore).then_some(()))?;
        let j = self.on_line(j)?;
        let found = self.weekday(j)?;
        if found.resolved.kind == DateKind::Explicit {
            // "last Friday, September 30": the date wins.
            return Some(found);
        }
        let (day, _) = self.find(j, |m| match m {
            Meaning::Weekday { day, short: false } => Some(day),
            _ => None,
        })?;
        Some(Found {
            next: found.next,
            names_place: false,
            resolved: resolve::weekday(day, Some(WeekdayAfter::Before), self.reference)?,
        })
    }

    /// "Tuesday", "Friday, September 30", "سه شنبه گذشته", "شنبه ۱۶ مهر".
    fn weekday(&self, i: usize) -> Option<Found> {
        let ((day, short), j) = self.find(i, |m| match m {
            Meaning::Weekday { day, short } => Some((day, short)),
            _ => None,
        })?;
        // A weekday written with its date: the date wins, and the mention covers both.
        let paren = self.is_mark(j, "(");
        let k = if paren || self.is_mark(j, ",") {
            j + 1
        } else {
            j
        };
        if let Some(found) = self.on_line(k).and_then(|k| self.explicit_day(k)) {
            let next = if paren && self.is_mark(found.next, ")") {
                found.next + 1
            } else {
                found.next
            };
            return Some(Found { next, ..found });
        }
        if short {
            return None;
        }
        let after = self.find_on_line(j, |m| match m {
            Meaning::WeekdayAfter(a) => Some(a),
            _ => None,
        });
        Some(Found {
            next: after.map_or(j, |(_, k)| k),
            names_place: false,
            resolved: resolve::weekday(day, after.map(|(a, _)| a), self.reference)?,
        })
    }

    /// "yesterday", "last week", "دیشب", "ماه گذشته". A phrase that starts with a unit is
    /// not read after a number: "سه روز گذشته" is "the past three days", not "three
    /// yesterday" (while "at 9 last night" is last night).
    fn relative(&self, i: usize) -> Option<Found> {
        let ((unit, back, calendar), j) = self.find(i, |m| match m {
            Meaning::Relative {
                unit,
                back,
                calendar,
            } => Some((unit, back, calendar)),
            _ => None,
        })?;
        let starts_with_unit = self
            .find(i, |m| matches!(m, Meaning::Unit(_)).then_some(()))
            .is_some();
        if starts_with_unit && self.follows_number(i) {
            return None;
        }
        Some(Found {
            next: j,
            names_place: false,
            resolved: resolve::relative(unit, back, calendar, self.reference)?,
        })
    }

    /// "two days ago", "2 weeks ago", "سه روز پیش".
    fn ago(&self, i: usize) -> Option<Found> {
        let (count, j) = match self.words[i].token.class {
            Class::Digits => {
                let n = self.small_number(i, 3)?;
                (n, i + 1)
            }
            _ => self.find(i, |m| match m {
                Meaning::Number(n) => Some(n),
                _ => None,
            })?,
        };
        let (unit, j) = self.find_on_line(j, |m| match m {
            Meaning::Unit(u) => Some(u),
            _ => None,
        })?;
        let (calendar, j) = self.find_on_line(j, |m| match m {
            Meaning::Ago(c) => Some(c),
            _ => None,
        })?;
        Some(Found {
            next: j,
            names_place: false,
            resolved: resolve::ago(unit, count, calendar, self.reference)?,
        })
    }

    /// "late October", "mid-November 2022", "اوایل آبان".
    fn part_of_month(&self, i: usize) -> Option<Found> {
        let (part, mut j) = self.find(i, |m| match m {
            Meaning::Qualifier(p) => Some(p),
            _ => None,
        })?;
        if self.is_mark(j, "-") {
            j += 1;
        }
        let (month, j) = self.month_on_line(j)?;
        let j = self.after_abbreviation(month, j);
        if month.day_may_follow && self.day_on_line(j).is_some() {
            // "early May 5" is May 5, read from "May".
            return None;
        }
        let (year, next) = match self.year_on_line(j, month.calendar) {
            Some((y, k)) => (Some(y), k),
            None => (None, j),
        };
        Some(Found {
            next,
            names_place: false,
            resolved: resolve::part_of_month(
                month.calendar,
                month.number,
                part,
                year,
                self.reference,
            )?,
        })
    }

    /// "2022-11-07", "1401/08/10", "10/8/1401", "07.11.2022". The calendar follows from the
    /// year. With the year last, Solar Hijri and dotted dates are day-first; a slashed
    /// Gregorian date is read only when one of its numbers cannot be a month, since
    /// "11/7/2022" is November 7 to one reader and July 11 to another.
    fn numeric(&self, i: usize) -> Option<Found> {
        let w = self.words;
        if i + 4 >= w.len()
            || !(0..5).all(|k| {
                let t = w[i + k].token;
                let class = if k % 2 == 0 {
                    Class::Digits
                } else {
                    Class::Mark
                };
                t.class == class && (k == 0 || t.tight)
            })
        {
            return None;
        }
        let sep = self.text(i + 1);
        if !DATE_SEPARATORS.contains(&sep) || self.text(i + 3) != sep {
            return None;
        }
        // Part of a longer run of numbers ("1.2.3.4", a phone number)?
        let glued_before = i >= 2
            && w[i].token.tight
            && w[i - 1].token.class == Class::Mark
            && DATE_SEPARATORS.contains(&self.text(i - 1))
            && w[i - 1].token.tight
            && w[i - 2].token.class == Class::Digits;
        let glued_after = i + 6 < w.len()
            && w[i + 5].token.tight
            && DATE_SEPARATORS.contains(&self.text(i + 5))
            && w[i + 6].token.tight
            && w[i + 6].token.class == Class::Digits;
        if glued_before || glued_after {
            return None;
        }
        let (a, b, c) = (self.text(i), self.text(i + 2), self.text(i + 4));
        let num = |s: &str| s.parse::<u32>().ok();
        let date = if a.len() == 4 && b.len() <= 2 && c.len() <= 2 {
            let year = num(a)? as i32;
            Calendar::of_year(year)?.date(year, num(b)?, num(c)?)?
        } else if a.len() <= 2 && b.len() <= 2 && c.len() == 4 {
            let year = num(c)? as i32;
            let calendar = Calendar::of_year(year)?;
            let (a, b) = (num(a)?, num(b)?);
            let (month, day) = if calendar == Calendar::Persian || sep == "." || a > 12 {
                (b, a)
            } else if b > 12 {
                (a, b)
            } else {
                return None;
            };
            calendar.date(year, month, day)?
        } else {
            return None;
        };
        Some(Found {
            next: i + 5,
            names_place: false,
            resolved: Resolved {
                date,
                precision: 1,
                kind: DateKind::Explicit,
            },
        })
    }

    /// "7 November", "7th of November 2022", "7-9 Nov", "۱۸ آبان ۱۴۰۱", "هجدهم آبان".
    fn day_first(&self, i: usize) -> Option<Found> {
        let (first, mut j) = self.day(i)?;
        let mut last = None;
        if let Some((second, k)) = self.range_end(j, first) {
            last = Some(second);
            j = k;
        }
        if let Some((_, k)) =
            self.find_on_line(j, |m| matches!(m, Meaning::DayMonthJoiner).then_some(()))
        {
            j = k;
        }
        let (month, j) = self.month_on_line(j)?;
        let (year, next) = match self.year_on_line(j, month.calendar) {
            Some((y, k)) => (Some(y), k),
            None => (None, j),
        };
        Some(Found {
            next,
            names_place: self.names_a_place(i, next),
            resolved: resolve::days(
                month.calendar,
                month.number,
                first,
                last,
                year,
                self.reference,
            )?,
        })
    }

    /// "November 7", "Nov. 7, 2022", "Aban 4", "October", "November 2022", "آبان ۱۴۰۱",
    /// "تیرماه".
    fn month_first(&self, i: usize) -> Option<Found> {
        let (month, j) = self.find(i, |m| match m {
            Meaning::Month(m) => Some(m),
            _ => None,
        })?;
        let j = self.after_abbreviation(month, j);
        if month.day_may_follow {
            if let Some(found) = self.month_then_day(i, month, j) {
                return Some(found);
            }
        }
        if let Some((year, next)) = self.year_on_line(j, month.calendar) {
            return Some(Found {
                next,
                names_place: false,
                resolved: resolve::month(month.calendar, month.number, Some(year), self.reference)?,
            });
        }
        if month.standing != Standing::Alone {
            return None;
        }
        Some(Found {
            next: j,
            names_place: false,
            resolved: resolve::month(month.calendar, month.number, None, self.reference)?,
        })
    }

    /// `i` is the month's token, `j` the token after it.
    fn month_then_day(&self, i: usize, month: MonthName, j: usize) -> Option<Found> {
        let (first, mut k) = self.day_on_line(j)?;
        let mut last = None;
        if let Some((second, n)) = self.range_end(k, first) {
            last = Some(second);
            k = n;
        }
        // "November 7, 2022" or "November 7 2022".
        let after_comma = if self.is_mark(k, ",") { k + 1 } else { k };
        let (year, next) = match self.year_on_line(after_comma, month.calendar) {
            Some((y, n)) => (Some(y), n),
            None => (None, k),
        };
        Some(Found {
            next,
            names_place: self.names_a_place(i, next),
            resolved: resolve::days(
                month.calendar,
                month.number,
                first,
                last,
                year,
                self.reference,
            )?,
        })
    }

    /// A date with its day (for a weekday written with its date).
    fn explicit_day(&self, i: usize) -> Option<Found> {
        let forms: [(bool, Form<'a>); 3] = [
            (true, Parser::numeric),
            (true, Parser::day_first),
            (true, Parser::month_first),
        ];
        self.longest(i, &forms)
            .filter(|f| f.resolved.kind == DateKind::Explicit && !f.names_place)
    }

    // --- Pieces ------------------------------------------------------------------------

    /// A day of the month at token `i`: "7", "7th", "۱۸ام", "هجدهم".
    fn day(&self, i: usize) -> Option<(u32, usize)> {
        if self.words.get(i)?.token.class != Class::Digits {
            return self.find(i, |m| match m {
                Meaning::OrdinalDay(d) => Some(d),
                _ => None,
            });
        }
        let day = self.small_number(i, 2)?;
        if !(1..=31).contains(&day) {
            return None;
        }
        let next = self
            .find_on_line(i + 1, |m| matches!(m, Meaning::DaySuffix).then_some(()))
            .map_or(i + 1, |(_, k)| k);
        Some((day, next))
    }

    fn day_on_line(&self, i: usize) -> Option<(u32, usize)> {
        self.day(self.on_line(i)?)
    }

    /// "-9", "to 9", "تا ۹" after a first day: the last day of a span, later than `first`.
    fn range_end(&self, j: usize, first: u32) -> Option<(u32, usize)> {
        let ((), k) = self.find_on_line(j, |m| matches!(m, Meaning::RangeJoiner).then_some(()))?;
        let (last, k) = self.day_on_line(k)?;
        (last > first).then_some((last, k))
    }

    /// A four-digit year of `calendar` at token `i`, on the same line.
    fn year_on_line(&self, i: usize, calendar: Calendar) -> Option<(i32, usize)> {
        let i = self.on_line(i)?;
        if self.words[i].token.class != Class::Digits || self.text(i).len() != 4 {
            return None;
        }
        let year = self.small_number(i, 4)? as i32;
        calendar.plausible_year(year).then_some((year, i + 1))
    }

    fn month_on_line(&self, i: usize) -> Option<(MonthName, usize)> {
        self.find_on_line(i, |m| match m {
            Meaning::Month(m) => Some(m),
            _ => None,
        })
    }

    /// Past the full stop of an abbreviated month ("Nov. 7").
    fn after_abbreviation(&self, month: MonthName, j: usize) -> usize {
        if month.standing == Standing::Short
            && self.words.get(j).is_some_and(|w| w.token.tight)
            && self.is_mark(j, ".")
        {
            j + 1
        } else {
            j
        }
    }

    /// The value of a number of at most `digits` digits at token `i`, if it stands alone
    /// rather than being part of "7.5", "8:30", "7,000", "15%" or "station16".
    fn small_number(&self, i: usize, digits: usize) -> Option<u32> {
        let w = self.words;
        let text = self.text(i);
        if w[i].token.class != Class::Digits || text.len() > digits {
            return None;
        }
        if i >= 1 && w[i].token.tight {
            let prev = w[i - 1].token;
            let glued = match prev.class {
                Class::Letters => true,
                Class::Mark => {
                    NUMBER_GLUE.contains(&self.text(i - 1))
                        && i >= 2
                        && prev.tight
                        && w[i - 2].token.class == Class::Digits
                }
                Class::Digits => false,
            };
            if glued {
                return None;
            }
        }
        if let Some(next) = w.get(i + 1) {
            if next.token.tight && next.token.class == Class::Mark {
                let mark = self.text(i + 1);
                let glued = mark == "%"
                    || (NUMBER_GLUE.contains(&mark)
                        && w.get(i + 2)
                            .is_some_and(|n| n.token.tight && n.token.class == Class::Digits));
                if glued {
                    return None;
                }
            }
        }
        text.parse().ok()
    }

    /// Whether the date in tokens `start..next` is part of a place's name ("خیابان ۱۶
    /// آذر", "16 Azar Street").
    fn names_a_place(&self, start: usize, next: usize) -> bool {
        let before = start > 0
            && !self.words[start].token.line_break_before
            && self
                .find(start - 1, |m| {
                    matches!(m, Meaning::PlaceBefore).then_some(())
                })
                .is_some_and(|(_, k)| k == start);
        before
            || self
                .find_on_line(next, |m| matches!(m, Meaning::PlaceAfter).then_some(()))
                .is_some()
    }

    /// Whether token `i` comes right after a number ("سه روز گذشته", "3 روز گذشته").
    fn follows_number(&self, i: usize) -> bool {
        if i == 0 || self.words[i].token.line_break_before {
            return false;
        }
        self.words[i - 1].token.class == Class::Digits
            || self
                .find(i - 1, |m| matches!(m, Meaning::Number(_)).then_some(()))
                .is_some_and(|(_, next)| next == i)
    }

    // --- Tokens and the lexicon --------------------------------------------------------

    fn text(&self, i: usize) -> &'a str {
        let t = self.words[i].token;
        &self.text[t.start..t.end]
    }

    /// `Some(i)` if token `i` exists and no line break comes before it.
    fn on_line(&self, i: usize) -> Option<usize> {
        let w = self.words.get(i)?;
        (!w.token.line_break_before).then_some(i)
    }

    /// Whether token `i` is the mark `mark`, on the same line.
    fn is_mark(&self, i: usize, mark: &str) -> bool {
        self.on_line(i)
            .is_some_and(|i| self.words[i].token.class == Class::Mark && self.text(i) == mark)
    }

    /// The first (so longest) phrase at token `i` that `pick` accepts, with the token after
    /// it. Every word of a phrase after its first stands on the same line.
    fn find<T>(&self, i: usize, pick: impl Fn(Meaning) -> Option<T>) -> Option<(T, usize)> {
        let entry = self.words.get(i)?.entry?;
        self.rules.phrases(entry).iter().find_map(|phrase| {
            let value = pick(phrase.meaning)?;
            let mut next = i + 1;
            for word in phrase.rest.iter() {
                if self.on_line(next).is_none() || self.text(next) != &**word {
                    return None;
                }
                next += 1;
            }
            let after_word = |k: usize| self.on_line(k).map(|k| self.text(k));
            if !phrase.not_before.is_empty()
                && after_word(next).is_some_and(|t| phrase.not_before.iter().any(|g| **g == *t))
            {
                return None;
            }
            if !phrase.not_after.is_empty()
                && i > 0
                && !self.words[i].token.line_break_before
                && phrase.not_after.iter().any(|g| **g == *self.text(i - 1))
            {
                return None;
            }
            Some((value, next))
        })
    }

    fn find_on_line<T>(&self, i: usize, pick: impl Fn(Meaning) -> Option<T>) -> Option<(T, usize)> {
        self.find(self.on_line(i)?, pick)
    }
}
