//! Cutting folded text into the tokens date rules are written in.
//!
//! A token is a run of ASCII digits, a run of letters (any other alphanumeric character),
//! or one other non-space character. Digits and letters are split even when written
//! together, so "7th", "۱۸ام" and colloquial "۳شنبه" read as a number and a word, and a
//! word never matches inside a longer word ("شنبه" is not found in "یکشنبه"). Whitespace separates tokens and is remembered only as "was there a line
//! break", since a date never runs across lines but a heading often ends in one.

use std::sync::OnceLock;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Digits,
    Letters,
    /// One character that is neither a letter, a digit nor a space: punctuation, symbols.
    Mark,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) class: Class,
    /// Whether a line break lies between this token and the previous one.
    pub(crate) line_break_before: bool,
    /// Whether this token starts right where the previous one ended.
    pub(crate) tight: bool,
}

/// Calls `each` with the tokens of `text` in order. Every token's range lies on character
/// boundaries of `text`.
pub(crate) fn tokenize(text: &str, mut each: impl FnMut(Token)) {
    let alphanumeric = Alphanumeric::get();
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut line_break = false;
    let mut last_end = usize::MAX;
    while at < bytes.len() {
        let b = bytes[at];
        let (class, end) = if b < 0x80 {
            if b.is_ascii_whitespace() {
                line_break |= b == b'\n' || b == b'\r';
                at += 1;
                continue;
            }
            if b.is_ascii_digit() {
                (Class::Digits, digits_end(bytes, at))
            } else if b.is_ascii_alphabetic() {
                (Class::Letters, letters_end(text, at, alphanumeric))
            } else {
                (Class::Mark, at + 1)
            }
        } else {
            let c = char_at(text, at);
            let next = at + c.len_utf8();
            if c.is_whitespace() {
                line_break |= matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}');
                at = next;
                continue;
            }
            if alphanumeric.is(c) {
                (Class::Letters, letters_end(text, next, alphanumeric))
            } else {
                (Class::Mark, next)
            }
        };
        each(Token {
            start: at,
            end,
            class,
            line_break_before: line_break,
            tight: last_end == at,
        });
        line_break = false;
        last_end = end;
        at = end;
    }
}

fn digits_end(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && bytes[at].is_ascii_digit() {
        at += 1;
    }
    at
}

/// The end of the run of letters going on at `at`.
fn letters_end(text: &str, mut at: usize, alphanumeric: &Alphanumeric) -> usize {
    let bytes = text.as_bytes();
    while at < bytes.len() {
        let b = bytes[at];
        if b < 0x80 {
            if b.is_ascii_alphabetic() {
                at += 1;
            } else {
                break;
            }
        } else {
            let c = char_at(text, at);
            if alphanumeric.is(c) {
                at += c.len_utf8();
            } else {
                break;
            }
        }
    }
    at
}

/// `char::is_alphanumeric` with the Arabic block (U+0600-U+06FF) read from a table: the
/// general lookup searches Unicode's tables and, for Persian text, took most of the time.
struct Alphanumeric {
    arabic: [bool; 256],
}

impl Alphanumeric {
    fn get() -> &'static Alphanumeric {
        static TABLE: OnceLock<Alphanumeric> = OnceLock::new();
        TABLE.get_or_init(|| {
            let mut arabic = [false; 256];
            for (low, is) in arabic.iter_mut().enumerate() {
                *is = char::from_u32(0x0600 + low as u32).is_some_and(char::is_alphanumeric);
            }
            Alphanumeric { arabic }
        })
    }

    #[inline]
    fn is(&self, c: char) -> bool {
        match c as u32 {
            code @ 0x0600..=0x06FF => self.arabic[(code - 0x0600) as usize],
            _ => c.is_alphanumeric(),
        }
    }
}

/// The character starting at byte `at`, which is always a character boundary here: tokens
/// only ever advance by whole characters.
fn char_at(text: &str, at: usize) -> char {
    text[at..].chars().next().unwrap_or('\u{FFFD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        tokenize(s, |t| out.push(&s[t.start..t.end]));
        out
    }

    #[test]
    fn digits_and_letters_split_even_when_written_together() {
        assert_eq!(texts("7th of nov."), ["7", "th", "of", "nov", "."]);
        assert_eq!(texts("18ام 3شنبه"), ["18", "ام", "3", "شنبه"]);
    }

    #[test]
    fn tokens_remember_line_breaks_and_gaps() {
        let mut seen = Vec::new();
        tokenize("a b\n\nc-d", |t| seen.push((t.line_break_before, t.tight)));
        assert_eq!(
            seen,
            [
                (false, false),
                (false, false),
                (true, false),
                (false, true),
                (false, true)
            ]
        );
    }
}
