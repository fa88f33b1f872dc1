//! WhatsApp's `.txt` chat export. It has no spec; its shape depends on the phone:
//!
//! - Android `12/11/2022, 14:05 - Name: text`, iOS `[12/11/2022, 14:05:33] Name: text`;
//! - day-first or month-first (or year-first, as the Persian locale writes), 2- or 4-digit
//!   years, `/`, `.` or `-` between the parts, `,` or `،` before the time;
//! - 24-hour clocks, or 12-hour ones with the locale's AM/PM word (`PM`, `ب.ظ.`, `م`…);
//! - Persian (۱۲) or Arabic-Indic (١٢) digits; a Solar Hijri year (1300–1500) is read as one;
//! - direction marks (U+200E, U+200F, U+202A…U+202E) around names, dates and attachments.
//!
//! Whether `03/04/2022` is 3 April or 4 March is decided from the whole file: a first part
//! above 12 anywhere means day-first, a second part above 12 month-first; a file with
//! neither takes the order in which its dates run forward (a chat is written in order),
//! day-first on a tie. So the reader reads the file twice (it is given a `Seek`), keeping
//! one message in memory.
//!
//! A message is a header line and the lines after it up to the next header. Lines without
//! a sender (Android) or whose text begins with a mark (iOS) are system lines. The export
//! names no message ids; a message is known by its local time and its rank among the
//! messages of that second, which a later export of the same chat repeats.
//!
//! The words of the locales (AM/PM, attachment and deletion notes) are data:
//! `data/whatsapp.toml`.

use crate::MAX_TEXT_BYTES;
use crate::{is_mark, trim_marks, Attachment, Bad, Chat, Error, Flow, Item, Message, Skip};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde::Deserialize;
use std::io::{BufRead, Seek, SeekFrom};
use std::sync::LazyLock;

/// How to read an export.
#[derive(Debug, Clone)]
pub struct Options {
    /// The phone's time zone: the file gives local times and no zone.
    pub tz: chrono_tz::Tz,
    /// The chat's name (the file does not hold it; its file name usually does).
    pub chat: String,
}

/// What a read went through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub lines: u64,
    /// Header lines: messages, system lines included.
    pub messages: u64,
    pub order: Option<DateOrder>,
}

/// How the file writes its dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    DayMonthYear,
    MonthDayYear,
    YearMonthDay,
}

#[derive(Deserialize)]
struct Words {
    am: Vec<String>,
    pm: Vec<String>,
    attached_suffix: Vec<String>,
    attached_prefix: Vec<String>,
    omitted: Vec<String>,
    sticker: Vec<String>,
    deleted: Vec<String>,
    edited: Vec<String>,
}

static WORDS: LazyLock<Words> = LazyLock::new(|| {
    let mut w: Words = toml::from_str(include_str!("../data/whatsapp.toml"))
        .expect("data/whatsapp.toml is valid (checked by a test)");
    // Longest first, so `p. m.` is tried before `p`, `ق.ظ.` before `ق.ظ`.
    w.am.sort_by_key(|s| std::cmp::Reverse(s.len()));
    w.pm.sort_by_key(|s| std::cmp::Reverse(s.len()));
    w
});

/// The value of a digit in ASCII, Persian (۰–۹) or Arabic-Indic (٠–٩).
fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        _ => None,
    }
}

/// A header line's parts, as written.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Header {
    parts: [u32; 3],
    /// Digits written in each date part.
    widths: [u8; 3],
    hour: u32,
    minute: u32,
    second: u32,
    pm: Option<bool>,
    ios: bool,
    /// Byte offset of what follows the header (`Name: text`).
    body: usize,
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.i..].chars().next()
    }
    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.i += c.len_utf8();
        }
    }
    fn blanks(&mut self) {
        while self.peek().is_some_and(|c| is_mark(c) || c.is_whitespace()) {
            self.bump();
        }
    }
    fn number(&mut self, max_digits: u8) -> Option<(u32, u8)> {
        let mut n = 0u32;
        let mut w = 0u8;
        while let Some(d) = self.peek().and_then(digit) {
            if w == max_digits {
                return None;
            }
            n = n * 10 + d;
            w += 1;
            self.bump();
        }
        (w > 0).then_some((n, w))
    }
    fn eat(&mut self, set: &[char]) -> bool {
        match self.peek() {
            Some(c) if set.contains(&c) => {
                self.bump();
                true
            }
            _ => false,
        }
    }
    /// Consumes one of the words (case-insensitive for ASCII), if the text starts with it.
    fn word(&mut self, words: &[String]) -> bool {
        let rest = &self.s[self.i..];
        for w in words {
            if rest.len() >= w.len()
                && rest.is_char_boundary(w.len())
                && rest[..w.len()].eq_ignore_ascii_case(w)
            {
                // A word must end here: `م` is not the first letter of a name.
                let after = rest[w.len()..].chars().next();
                if after.is_none_or(|c| !c.is_alphabetic()) {
                    self.i += w.len();
                    return true;
                }
            }
        }
        false
    }
    fn half(&mut self) -> Option<bool> {
        if self.word(&WORDS.am) {
            Some(false)
        } else if self.word(&WORDS.pm) {
            Some(true)
        } else {
            None
        }
    }
}

/// The header at the start of a line, if it has one.
fn header(line: &str) -> Option<Header> {
    let mut c = Cursor { s: line, i: 0 };
    c.blanks();
    let ios = c.eat(&['[']);
    c.blanks();
    let (a, wa) = c.number(4)?;
    c.blanks();
    let sep = c.peek()?;
    if !['/', '.', '-'].contains(&sep) {
        return None;
    }
    c.bump();
    c.blanks();
    let (b, wb) = c.number(2)?;
    c.blanks();
    if !c.eat(&[sep]) {
        return None;
    }
    c.blanks();
    let (y, wy) = c.number(4)?;
    c.eat(&['.']);
    c.blanks();
    c.eat(&[',', '،']);
    c.blanks();
    let mut pm = c.half();
    c.blanks();
    let (hour, _) = c.number(2)?;
    if !c.eat(&[':', '.']) {
        return None;
    }
    let (minute, wm) = c.number(2)?;
    if wm != 2 {
        return None;
    }
    let mut second = 0;
    if c.eat(&[':']) {
        second = c.number(2)?.0;
    }
    c.blanks();
    if pm.is_none() {
        pm = c.half();
        c.blanks();
    }
    if ios {
        if !c.eat(&[']']) {
            return None;
        }
    } else if !c.eat(&['-', '–']) {
        return None;
    }
    // One space follows; marks may stand around it.
    while c.peek().is_some_and(is_mark) {
        c.bump();
    }
    c.eat(&[' ']);
    let hour_ok = match pm {
        Some(_) => (1..=12).contains(&hour),
        None => hour <= 23,
    };
    if !hour_ok || minute > 59 || second > 59 || a == 0 || b == 0 || y == 0 {
        return None;
    }
    Some(Header {
        parts: [a, b, y],
        widths: [wa, wb, wy],
        hour,
        minute,
        second,
        pm,
        ios,
        body: c.i,
    })
}

/// Gathers, over the whole file, what says which order its dates are in.
#[derive(Default)]
struct OrderEvidence {
    year_first: u64,
    year_last: u64,
    day_first: u64,
    month_first: u64,
    /// For each reading (day-first, month-first): the last date and how often dates ran back.
    last: [Option<NaiveDate>; 2],
    backwards: [u64; 2],
}

impl OrderEvidence {
    fn add(&mut self, h: &Header) {
        if h.widths[0] == 4 || h.parts[0] > 31 {
            self.year_first += 1;
            return;
        }
        self.year_last += 1;
        if h.parts[0] > 12 {
            self.day_first += 1;
        }
        if h.parts[1] > 12 {
            self.month_first += 1;
        }
        for (k, order) in [DateOrder::DayMonthYear, DateOrder::MonthDayYear]
            .into_iter()
            .enumerate()
        {
            if let Some(d) = date_of(h, order) {
                if self.last[k].is_some_and(|l| d < l) {
                    self.backwards[k] += 1;
                }
                self.last[k] = Some(d);
            }
        }
    }

    fn decide(&self) -> DateOrder {
        if self.year_first > self.year_last {
            return DateOrder::YearMonthDay;
        }
        match (self.day_first, self.month_first) {
            (d, m) if d > m => DateOrder::DayMonthYear,
            (d, m) if m > d => DateOrder::MonthDayYear,
            _ if self.backwards[1] < self.backwards[0] => DateOrder::MonthDayYear,
            _ => DateOrder::DayMonthYear,
        }
    }
}

/// The Gregorian day a header names in `order`; a year of 1300–1500 is Solar Hijri.
fn date_of(h: &Header, order: DateOrder) -> Option<NaiveDate> {
    let [a, b, c] = h.parts;
    let [wa, _, wc] = h.widths;
    let (y, wy, m, d) = match order {
        DateOrder::YearMonthDay => (a, wa, b, c),
        DateOrder::DayMonthYear => (c, wc, b, a),
        DateOrder::MonthDayYear => (c, wc, a, b),
    };
    let year = if wy <= 2 { 2000 + y } else { y } as i32;
    if (1300..=1500).contains(&year) {
        unrest_dates::solar_hijri_date(year, m, d)
    } else {
        NaiveDate::from_ymd_opt(year, m, d)
    }
}

fn time_of(h: &Header) -> Option<NaiveTime> {
    let hour = match h.pm {
        Some(true) if h.hour < 12 => h.hour + 12,
        Some(false) if h.hour == 12 => 0,
        _ => h.hour,
    };
    NaiveTime::from_hms_opt(hour, h.minute, h.second)
}

/// Reads one line (without its end) into `buf`; `Ok(false)` at the end of the file.
fn next_line<R: BufRead>(r: &mut R, raw: &mut Vec<u8>) -> std::io::Result<bool> {
    raw.clear();
    if r.read_until(b'\n', raw)? == 0 {
        return Ok(false);
    }
    while raw.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
        raw.pop();
    }
    Ok(true)
}

/// Reads the export from `reader` (twice: see the module), handing the chat and then each
/// message to `each` in order.
pub fn read<R: BufRead + Seek>(
    mut reader: R,
    options: &Options,
    each: &mut dyn FnMut(Item) -> Flow,
) -> Result<Summary, Error> {
    let io = |e: std::io::Error| Error::Io(e.to_string());
    let start = reader.stream_position().map_err(io)?;
    let mut raw = Vec::new();
    let mut evidence = OrderEvidence::default();
    let mut first_text: Option<u64> = None;
    let mut n = 0u64;
    let mut headers = 0u64;
    while next_line(&mut reader, &mut raw).map_err(io)? {
        n += 1;
        let Ok(line) = std::str::from_utf8(&raw) else {
            continue;
        };
        if first_text.is_none() && !trim_marks(line).is_empty() {
            first_text = Some(n);
        }
        if let Some(h) = header(line) {
            headers += 1;
            evidence.add(&h);
        }
    }
    if headers == 0 {
        return Err(Error::Malformed {
            at: format!("line {}", first_text.unwrap_or(1)),
            why: "no line is a WhatsApp message header (`D/M/Y, H:MM - Name: text` or `[D/M/Y, H:MM:SS] Name: text`); is this a WhatsApp chat export?".into(),
        });
    }
    let order = evidence.decide();

    reader.seek(SeekFrom::Start(start)).map_err(io)?;
    let chat = Chat {
        id: options.chat.clone(),
        name: options.chat.clone(),
        kind: "whatsapp".into(),
    };
    if each(Item::Chat(chat)) != Flow::Continue {
        return Ok(Summary {
            lines: n,
            messages: headers,
            order: Some(order),
        });
    }
    let mut reading = Reading {
        order,
        tz: options.tz,
        pending: None,
        last_key: String::new(),
        rank: 0,
    };
    let mut line_no = 0u64;
    let stop = |flow: Flow| {
        if flow == Flow::Stop {
            Err(Error::Stopped)
        } else {
            Ok(())
        }
    };
    while next_line(&mut reader, &mut raw).map_err(io)? {
        line_no += 1;
        let line = match std::str::from_utf8(&raw) {
            Ok(l) => l,
            Err(_) => {
                stop(each(Item::Bad(Bad {
                    at: format!("line {line_no}"),
                    why: "not valid UTF-8".into(),
                })))?;
                continue;
            }
        };
        match header(line) {
            Some(h) => {
                if let Some(item) = reading.flush() {
                    stop(each(item))?;
                }
                reading.start(line_no, h, line);
            }
            None => match &mut reading.pending {
                Some(p) => {
                    if p.text.len() + line.len() < MAX_TEXT_BYTES {
                        p.text.push('\n');
                        p.text.push_str(line);
                    } else {
                        p.too_long = true;
                    }
                }
                None if trim_marks(line).is_empty() => {}
                None => stop(each(Item::Bad(Bad {
                    at: format!("line {line_no}"),
                    why: "not a message header, and no message before it to continue".into(),
                })))?,
            },
        }
    }
    if let Some(item) = reading.flush() {
        stop(each(item))?;
    }
    Ok(Summary {
        lines: n,
        messages: headers,
        order: Some(order),
    })
}

/// A message being read: its header and the text so far.
struct Pending {
    line: u64,
    header: Header,
    sender: Option<String>,
    system: bool,
    text: String,
    too_long: bool,
}

struct Reading {
    order: DateOrder,
    tz: chrono_tz::Tz,
    pending: Option<Pending>,
    last_key: String,
    rank: u32,
}

impl Reading {
    fn start(&mut self, line_no: u64, h: Header, line: &str) {
        let body = &line[h.body..];
        // `Name: text`; a name is short, on one line, and has no quotes (a system line such
        // as `Ali created group "News: Zahedan"` has a colon too).
        let split = body.find(": ").filter(|&i| {
            let name = &body[..i];
            i > 0 && name.chars().count() <= 80 && !name.contains('"') && !name.contains('“')
        });
        let (sender, text, system) = match split {
            Some(i) => {
                let text = &body[i + 2..];
                // iOS writes system lines as `Chat name: ‎text`, attachments alike.
                let marked = h.ios && text.starts_with('\u{200E}');
                (Some(crate::clean(&body[..i])), text, marked)
            }
            None => (None, body, true),
        };
        self.pending = Some(Pending {
            line: line_no,
            header: h,
            sender,
            system,
            text: text.to_string(),
            too_long: false,
        });
    }

    fn flush(&mut self) -> Option<Item> {
        let p = self.pending.take()?;
        let at = format!("line {}", p.line);
        let bad = |why: String| {
            Some(Item::Bad(Bad {
                at: at.clone(),
                why,
            }))
        };
        let Some(date) = date_of(&p.header, self.order) else {
            return bad(format!("no such date in {:?} order", self.order));
        };
        let Some(time) = time_of(&p.header) else {
            return bad("no such time".into());
        };
        let local = NaiveDateTime::new(date, time);
        // A time skipped by a clock change is read an hour later.
        let sent_at: DateTime<Utc> =
            match self.tz.from_local_datetime(&local).earliest().or_else(|| {
                self.tz
                    .from_local_datetime(&(local + chrono::Duration::hours(1)))
                    .earliest()
            }) {
                Some(t) => t.with_timezone(&Utc),
                None => return bad("no such local time".into()),
            };
        let key = local.format("%Y-%m-%dT%H:%M:%S").to_string();
        if key == self.last_key {
            self.rank += 1;
        } else {
            self.last_key = key.clone();
            self.rank = 0;
        }
        let id = format!("{key}#{}", self.rank);
        if p.too_long {
            return Some(Item::Bad(Bad {
                at: format!("{at} ({id})"),
                why: format!("its text is more than the {MAX_TEXT_BYTES} bytes accepted"),
            }));
        }
        let words = &*WORDS;
        let mut text = trim_marks(&p.text).to_string();
        let mut attachments = Vec::new();
        // The first line may name a file.
        let first_end = text.find('\n').unwrap_or(text.len());
        let first = trim_marks(&text[..first_end]).to_string();
        let mut file = None;
        if let Some(name) = words
            .attached_suffix
            .iter()
            .find_map(|s| first.strip_suffix(s.as_str()))
        {
            file = Some(trim_marks(name).to_string());
        } else if let Some(name) = words.attached_prefix.iter().find_map(|s| {
            first
                .strip_prefix(s.as_str())
                .and_then(|r| r.strip_suffix('>'))
        }) {
            file = Some(trim_marks(name).to_string());
        } else if words.sticker.iter().any(|s| first.eq_ignore_ascii_case(s)) {
            return Some(Item::Skipped {
                id,
                why: Skip::Sticker,
            });
        } else if words.omitted.iter().any(|s| first.eq_ignore_ascii_case(s)) {
            attachments.push(Attachment::NotIncluded);
            text = trim_marks(&text[first_end..]).to_string();
        }
        if let Some(name) = file {
            text = trim_marks(&text[first_end..]).to_string();
            let lower = name.to_ascii_lowercase();
            if lower.starts_with("stk-") || lower.contains("-sticker-") {
                if text.is_empty() {
                    return Some(Item::Skipped {
                        id,
                        why: Skip::Sticker,
                    });
                }
            } else if [".jpg", ".jpeg", ".png", ".webp"]
                .iter()
                .any(|e| lower.ends_with(e))
            {
                attachments.push(Attachment::Photo(name));
            }
        } else if p.system {
            return Some(Item::Skipped {
                id,
                why: Skip::Service,
            });
        }
        if words.deleted.contains(&text) {
            return Some(Item::Skipped {
                id,
                why: Skip::Deleted,
            });
        }
        let mut edited = false;
        if let Some(rest) = words
            .edited
            .iter()
            .find_map(|e| text.strip_suffix(e.as_str()))
        {
            text = trim_marks(rest).to_string();
            edited = true;
        }
        if text.is_empty() {
            return Some(Item::Skipped {
                id,
                why: Skip::NoText,
            });
        }
        Some(Item::Message(Message {
            id,
            sent_at,
            date,
            urls: {
                let mut urls = Vec::new();
                for w in text.split(char::is_whitespace) {
                    if w.starts_with("https://") || w.starts_with("http://") {
                        crate::push_url(&mut urls, w.trim_end_matches(['.', ',', ')', '؛', '،']));
                    }
                }
                urls
            },
            text,
            edited,
            sender: p.sender,
            sender_id: None,
            forwarded_from: None,
            attachments,
            location: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(s: &str) -> (Vec<Item>, Result<Summary, Error>) {
        let mut out = Vec::new();
        let r = read(
            std::io::Cursor::new(s.as_bytes()),
            &Options {
                tz: chrono_tz::Asia::Tehran,
                chat: "c".into(),
            },
            &mut |i| {
                out.push(i);
                Flow::Continue
            },
        );
        out.retain(|i| !matches!(i, Item::Chat(_)));
        (out, r)
    }

    fn messages(items: &[Item]) -> Vec<&Message> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Message(m) => Some(m),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_words_file_is_valid() {
        assert!(!WORDS.am.is_empty());
    }

    #[test]
    fn android_and_ios_headers_are_read() {
        let h = header("12/11/2022, 14:05 - Ali: hi").unwrap();
        assert_eq!(
            (h.parts, h.hour, h.minute, h.ios),
            ([12, 11, 2022], 14, 5, false)
        );
        let h = header("\u{200E}[11/12/22, 2:05:33\u{202F}PM] Ali: hi").unwrap();
        assert_eq!(
            (h.parts, h.hour, h.second, h.pm, h.ios),
            ([11, 12, 22], 2, 33, Some(true), true)
        );
        let h = header("۱۴۰۱/۸/۲۱،\u{200F} ۲:۰۵ ب.ظ. - علی: سلام").unwrap();
        assert_eq!((h.parts, h.hour, h.pm), ([1401, 8, 21], 2, Some(true)));
        assert_eq!(
            &"۱۴۰۱/۸/۲۱،\u{200F} ۲:۰۵ ب.ظ. - علی: سلام"[h.body..],
            "علی: سلام"
        );
        assert!(header("Protest at 12/11/2022, 14:05 in Zahedan").is_none());
        assert!(header("12/11/2022, 25:05 - Ali: hi").is_none());
    }

    #[test]
    fn day_first_or_month_first_is_decided_from_the_whole_file() {
        let (items, r) =
            read_str("3/4/22, 10:00 - A: one\n3/5/22, 10:00 - A: two\n4/13/22, 10:00 - A: three\n");
        assert_eq!(r.unwrap().order, Some(DateOrder::MonthDayYear));
        let m = messages(&items);
        assert_eq!(m[0].date.to_string(), "2022-03-04");
        // Nothing above 12: the order in which dates run forward.
        let (items, r) = read_str("1/2/22, 10:00 - A: one\n2/2/22, 10:00 - A: two\n");
        assert_eq!(r.unwrap().order, Some(DateOrder::DayMonthYear));
        assert_eq!(messages(&items)[1].date.to_string(), "2022-02-02");
    }

    #[test]
    fn a_solar_hijri_year_is_read_as_one() {
        let (items, _) = read_str("۱۴۰۱/۸/۲۱،\u{200F} ۱۴:۰۵ - علی: تجمع در سنندج\n");
        let m = messages(&items);
        assert_eq!(m[0].date.to_string(), "2022-11-12");
        assert_eq!(m[0].text, "تجمع در سنندج");
        assert_eq!(m[0].sender.as_deref(), Some("علی"));
    }

    #[test]
    fn multi_line_messages_system_lines_and_attachments() {
        let (items, r) = read_str(
            "12/11/2022, 14:00 - Messages and calls are end-to-end encrypted.\n\
             12/11/2022, 14:05 - Ali: line one\nline two\n\
             12/11/2022, 14:05 - Ali: \u{200E}IMG-20221112-WA0003.jpg (file attached)\nCrowd in Zahedan\n\
             12/11/2022, 14:06 - Ali: <Media omitted>\n\
             12/11/2022, 14:07 - Ali: This message was deleted\n",
        );
        r.unwrap();
        assert!(matches!(
            items[0],
            Item::Skipped {
                why: Skip::Service,
                ..
            }
        ));
        let m = messages(&items);
        assert_eq!(m[0].text, "line one\nline two");
        assert_eq!(m[0].id, "2022-11-12T14:05:00#0");
        assert_eq!(m[1].id, "2022-11-12T14:05:00#1");
        assert_eq!(m[1].text, "Crowd in Zahedan");
        assert_eq!(
            m[1].attachments,
            vec![Attachment::Photo("IMG-20221112-WA0003.jpg".into())]
        );
        assert!(matches!(
            items[3],
            Item::Skipped {
                why: Skip::NoText,
                ..
            }
        ));
        assert!(matches!(
            items[4],
            Item::Skipped {
                why: Skip::Deleted,
                ..
            }
        ));
    }

    #[test]
    fn a_file_with_no_header_is_named_by_its_first_line() {
        let (_, r) = read_str("\nhello\nworld\n");
        assert!(matches!(r, Err(Error::Malformed { at, .. }) if at == "line 2"));
    }

    #[test]
    fn arabic_indic_digits_and_arabic_am_pm_are_read() {
        let (items, r) = read_str("١٣/١١/٢٠٢٢، ٢:٠٥ م - أحمد: تظاهرة في زاهدان\n");
        r.unwrap();
        let m = messages(&items);
        assert_eq!(m[0].id, "2022-11-13T14:05:00#0");
        assert_eq!(m[0].text, "تظاهرة في زاهدان");
    }
}
