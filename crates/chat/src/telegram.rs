//! Telegram Desktop's JSON export (`result.json`), as tdesktop's
//! `export_output_json.cpp` writes it: either one chat at the root (`name`, `type`, `id`,
//! `messages`) or a whole account (`chats.list[]`, `left_chats.list[]`, each one such chat,
//! beside contacts and settings that are skipped unread).
//!
//! The export is streamed: serde walks the document and each element of a `messages`
//! array is read alone (as a JSON value, so that one odd message is named and skipped
//! rather than ending the read), converted and handed to the callback before the next is
//! read. Memory is one message, whatever the file's size.
//!
//! A message: `text` is a string or an array of strings and `{type, text, href?}` objects;
//! `text_entities` (always an array in current exports) holds the same runs typed. The
//! plain text is the runs joined. Links are the `link` runs' text and `text_link` runs'
//! `href`. `date_unixtime` (epoch seconds, as a string) dates it; `date` has no zone and is
//! read as UTC only when an old export lacks `date_unixtime`.

use crate::{
    clean, local_date, push_url, trim_marks, Attachment, Bad, Chat, Error, Flow, Item, Message,
    Skip, MAX_TEXT_BYTES,
};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::io::Read;

/// A venue's name or address longer than this is not put over the text.
const MAX_VENUE_BYTES: usize = 512;

/// How to read an export.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The zone a message's day is taken in (its reference date).
    pub tz: chrono_tz::Tz,
}

/// What a read went through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub chats: u64,
    /// Elements of `messages` arrays read, in chats not skipped.
    pub messages: u64,
}

/// Reads the export from `reader`, handing each chat and message to `each` in order.
/// On `Err`, everything handed over before the error is good.
pub fn read<R: Read>(
    reader: R,
    options: Options,
    each: &mut dyn FnMut(Item) -> Flow,
) -> Result<Summary, Error> {
    let mut state = State {
        each,
        options,
        summary: Summary::default(),
        stopped: false,
        last_message: None,
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = ChatSeed { state: &mut state }
        .deserialize(&mut de)
        .and_then(|()| de.end());
    match result {
        Ok(()) => Ok(state.summary),
        Err(_) if state.stopped => Err(Error::Stopped),
        Err(e) if e.is_io() => Err(Error::Io(e.to_string())),
        Err(e) => {
            let after = match &state.last_message {
                Some(id) => format!(", after message {id}"),
                None => String::new(),
            };
            let why = e.to_string();
            // serde_json appends " at line L column C"; the position goes in `at`.
            let why = why
                .rsplit_once(" at line ")
                .map_or(why.as_str(), |(w, _)| w)
                .to_string();
            Err(Error::Malformed {
                at: format!("line {} column {}{after}", e.line(), e.column()),
                why: if e.is_eof() {
                    format!("{why} (the export is truncated)")
                } else {
                    why
                },
            })
        }
    }
}

struct State<'a> {
    each: &'a mut dyn FnMut(Item) -> Flow,
    options: Options,
    summary: Summary,
    stopped: bool,
    last_message: Option<String>,
}

const STOP: &str = "stopped by the caller";

/// A chat object, or the root (which is a chat in a one-chat export, and holds `chats` in a
/// whole-account one).
struct ChatSeed<'s, 'a> {
    state: &'s mut State<'a>,
}

impl<'de> DeserializeSeed<'de> for ChatSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ChatSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Telegram export object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut chat = Chat {
            id: String::new(),
            name: String::new(),
            kind: String::new(),
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "name" => chat.name = scalar(map.next_value::<Value>()?),
                "type" => chat.kind = scalar(map.next_value::<Value>()?),
                "id" => chat.id = scalar(map.next_value::<Value>()?),
                "messages" => {
                    self.state.summary.chats += 1;
                    match (self.state.each)(Item::Chat(chat.clone())) {
                        Flow::Continue => map.next_value_seed(MessagesSeed {
                            state: &mut *self.state,
                        })?,
                        Flow::SkipChat => {
                            map.next_value::<IgnoredAny>()?;
                        }
                        Flow::Stop => {
                            self.state.stopped = true;
                            return Err(serde::de::Error::custom(STOP));
                        }
                    }
                }
                "chats" | "left_chats" => map.next_value_seed(ListHolder {
                    state: &mut *self.state,
                })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// `{"about": …, "list": [chat, …]}`.
struct ListHolder<'s, 'a> {
    state: &'s mut State<'a>,
}

impl<'de> DeserializeSeed<'de> for ListHolder<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ListHolder<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with a list of chats")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "list" {
                map.next_value_seed(ChatList {
                    state: &mut *self.state,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct ChatList<'s, 'a> {
    state: &'s mut State<'a>,
}

impl<'de> DeserializeSeed<'de> for ChatList<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ChatList<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of chats")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(ChatSeed {
                state: &mut *self.state,
            })?
            .is_some()
        {}
        Ok(())
    }
}

struct MessagesSeed<'s, 'a> {
    state: &'s mut State<'a>,
}

impl<'de> DeserializeSeed<'de> for MessagesSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for MessagesSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of messages")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let state = self.state;
        while let Some(value) = seq.next_element::<Value>()? {
            state.summary.messages += 1;
            let item = message(value, state.options);
            if let Item::Message(Message { id, .. })
            | Item::Skipped { id, .. }
            | Item::Bad(Bad { at: id, .. }) = &item
            {
                state.last_message = Some(id.clone());
            }
            if (state.each)(item) == Flow::Stop {
                state.stopped = true;
                return Err(serde::de::Error::custom(STOP));
            }
        }
        Ok(())
    }
}

/// A JSON scalar as text: strings as they are, numbers written out, null and the rest empty.
fn scalar(v: Value) -> String {
    match v {
        Value::String(s) => clean(&s),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

fn text_field(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(clean(s)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// One element of `messages`, converted.
fn message(v: Value, options: Options) -> Item {
    let id = match v.get("id") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) if !clean(s).is_empty() => clean(s),
        _ => {
            return Item::Bad(Bad {
                at: "a message".into(),
                why: "it has no id".into(),
            })
        }
    };
    let bad = |why: String| {
        Item::Bad(Bad {
            at: format!("message {id}"),
            why,
        })
    };
    if !v.is_object() {
        return bad("not a JSON object".into());
    }
    match v.get("type").and_then(Value::as_str) {
        Some("message") | None => {}
        Some(_) => {
            return Item::Skipped {
                id,
                why: Skip::Service,
            }
        }
    }
    let sent_at = match sent_at(&v) {
        Ok(t) => t,
        Err(why) => return bad(why),
    };
    let mut urls = Vec::new();
    let text = match plain_text(&v, &mut urls) {
        Ok(t) => t,
        Err(why) => return bad(why),
    };
    if text.len() > MAX_TEXT_BYTES {
        return bad(format!(
            "its text is {} bytes, more than the {MAX_TEXT_BYTES} accepted",
            text.len()
        ));
    }
    let media_type = v.get("media_type").and_then(Value::as_str).unwrap_or("");
    if media_type == "sticker" {
        return Item::Skipped {
            id,
            why: Skip::Sticker,
        };
    }
    let mut attachments = Vec::new();
    if let Some(photo) = v.get("photo").and_then(Value::as_str) {
        attachments.push(attachment(photo));
    }
    let mime = v.get("mime_type").and_then(Value::as_str).unwrap_or("");
    if let Some(file) = v.get("file").and_then(Value::as_str) {
        if mime.starts_with("image/") {
            attachments.push(attachment(file));
        }
    }
    let location = v.get("location_information").and_then(|l| {
        let lat = l.get("latitude")?.as_f64()?;
        let lon = l.get("longitude")?.as_f64()?;
        ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
    });
    // A shared point (and a venue's name and address, when it is one) heads the report's
    // text, where the coder reads it as the place when the words name none.
    let text = match location {
        Some((lat, lon)) => {
            let mut head = format!("📍 {lat:.5}, {lon:.5}");
            for key in ["place_name", "address"] {
                if let Some(s) = v.get(key).and_then(Value::as_str) {
                    let s = trim_marks(s);
                    if !s.is_empty() && s.len() <= MAX_VENUE_BYTES {
                        head.push('\n');
                        head.push_str(s);
                    }
                }
            }
            if trim_marks(&text).is_empty() {
                head
            } else {
                format!("{head}\n{text}")
            }
        }
        None => text,
    };
    if trim_marks(&text).is_empty() {
        return Item::Skipped {
            id,
            why: Skip::NoText,
        };
    }
    let edited = v.get("edited").is_some() || v.get("edited_unixtime").is_some();
    Item::Message(Message {
        id,
        sent_at,
        date: local_date(sent_at, options.tz),
        text,
        urls,
        edited,
        sender: text_field(v.get("from")).filter(|s| !s.trim().is_empty()),
        sender_id: text_field(v.get("from_id")).filter(|s| !s.trim().is_empty()),
        forwarded_from: text_field(v.get("forwarded_from"))
            .or_else(|| text_field(v.get("forwarded_from_id")))
            .filter(|s| !s.trim().is_empty()),
        attachments,
        location,
    })
}

/// A `photo`/`file` value: a path beside the export, or the exporter's note that the file
/// was not included (it starts with a parenthesis: "(File not included. Change data
/// exporting settings to download.)", "(File exceeds maximum size…)").
fn attachment(path: &str) -> Attachment {
    let path = path.trim();
    if path.is_empty() || path.starts_with('(') {
        Attachment::NotIncluded
    } else {
        Attachment::Photo(path.to_string())
    }
}

fn sent_at(v: &Value) -> Result<DateTime<Utc>, String> {
    if let Some(unix) = v.get("date_unixtime") {
        let secs = match unix {
            Value::String(s) => s.trim().parse::<i64>().ok(),
            Value::Number(n) => n.as_i64(),
            _ => None,
        };
        return secs
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .ok_or_else(|| format!("date_unixtime {unix} is not a time"));
    }
    let date = v
        .get("date")
        .and_then(Value::as_str)
        .ok_or("it has neither date_unixtime nor date")?;
    NaiveDateTime::parse_from_str(date, "%Y-%m-%dT%H:%M:%S")
        .map(|t| t.and_utc())
        .map_err(|_| format!("date {date:?} is not a time"))
}

/// The text runs joined, from `text_entities` when the export has them, else from `text`.
fn plain_text(v: &Value, urls: &mut Vec<String>) -> Result<String, String> {
    let runs = match v.get("text_entities") {
        Some(Value::Array(runs)) => Some(runs),
        _ => None,
    };
    let mut out = String::new();
    match (runs, v.get("text")) {
        (Some(runs), _) if !runs.is_empty() => {
            for run in runs {
                part(run, &mut out, urls)?;
            }
        }
        (_, Some(Value::String(s))) => {
            out.push_str(s);
            link_words(s, urls);
        }
        (_, Some(Value::Array(parts))) => {
            for p in parts {
                part(p, &mut out, urls)?;
            }
        }
        (_, None | Some(Value::Null)) => {}
        (_, Some(other)) => return Err(format!("text is neither a string nor an array: {other}")),
    }
    Ok(out)
}

/// One run of text: a plain string, or an entity object.
fn part(p: &Value, out: &mut String, urls: &mut Vec<String>) -> Result<(), String> {
    match p {
        Value::String(s) => {
            out.push_str(s);
            link_words(s, urls);
        }
        Value::Object(o) => {
            let text = o.get("text").and_then(Value::as_str).unwrap_or("");
            out.push_str(text);
            match o.get("type").and_then(Value::as_str) {
                Some("link") => push_url(urls, text),
                Some("text_link") => {
                    if let Some(href) = o.get("href").and_then(Value::as_str) {
                        push_url(urls, href);
                    }
                }
                Some("plain") => link_words(text, urls),
                _ => {}
            }
        }
        other => {
            return Err(format!(
                "a text run is neither a string nor an object: {other}"
            ))
        }
    }
    Ok(())
}

/// Links written in plain runs (an export with entities types them as `link`; this finds
/// them in exports or messages that do not).
fn link_words(s: &str, urls: &mut Vec<String>) {
    for w in s.split(char::is_whitespace) {
        if w.starts_with("https://") || w.starts_with("http://") {
            push_url(urls, w.trim_end_matches(['.', ',', ')', '؛', '،']));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(json: &str) -> (Vec<Item>, Result<Summary, Error>) {
        let mut out = Vec::new();
        let r = read(
            json.as_bytes(),
            Options {
                tz: chrono_tz::Asia::Tehran,
            },
            &mut |i| {
                out.push(i);
                Flow::Continue
            },
        );
        (out, r)
    }

    #[test]
    fn text_arrays_join_into_the_plain_text_and_links_are_kept() {
        let (items, r) = items(
            r#"{"name":"C","type":"public_channel","id":7,"messages":[{"id":1,"type":"message",
            "date":"2022-11-13T00:30:00","date_unixtime":"1668286800",
            "text":["Protest in ",{"type":"bold","text":"Sanandaj"}," ",{"type":"text_link","text":"video","href":"https://t.me/c/1"}],
            "text_entities":[{"type":"plain","text":"Protest in "},{"type":"bold","text":"Sanandaj"},{"type":"plain","text":" "},{"type":"text_link","text":"video","href":"https://t.me/c/1"}]}]}"#,
        );
        assert_eq!(r.unwrap().messages, 1);
        let Item::Message(m) = &items[1] else {
            panic!("{items:?}")
        };
        assert_eq!(m.text, "Protest in Sanandaj video");
        assert_eq!(m.urls, vec!["https://t.me/c/1"]);
        // 21:00 UTC on the 12th is past midnight in Tehran.
        assert_eq!(m.date.to_string(), "2022-11-13");
    }

    #[test]
    fn a_truncated_export_is_named_by_line_and_the_last_message_read() {
        let (items, r) = items(
            "{\"name\":\"C\",\"id\":7,\"messages\":[\n{\"id\":1,\"date_unixtime\":\"1668281400\",\"text\":\"a\"},\n{\"id\":2,\"text\":\"b",
        );
        assert_eq!(items.len(), 2);
        let Err(Error::Malformed { at, why }) = r else {
            panic!("{r:?}")
        };
        assert!(
            at.starts_with("line 3") && at.ends_with("after message 1"),
            "{at}"
        );
        assert!(why.contains("truncated"), "{why}");
    }

    #[test]
    fn an_odd_message_is_named_and_the_next_is_read() {
        let (items, r) = items(
            r#"{"id":7,"messages":[{"id":1,"date_unixtime":"x","text":"a"},{"id":2,"date_unixtime":"1668281400","text":"b"}]}"#,
        );
        r.unwrap();
        assert!(matches!(&items[1], Item::Bad(b) if b.at == "message 1"));
        assert!(matches!(&items[2], Item::Message(m) if m.id == "2"));
    }

    #[test]
    fn nul_bytes_never_reach_names_or_links() {
        let (items, r) = items(
            r#"{"id":7,"name":"a\u0000b","messages":[{"id":1,"date_unixtime":"1668281400","from":"R\u0000eza","text":["x ",{"type":"link","text":"https://x\u0000y"}]}]}"#,
        );
        r.unwrap();
        assert!(matches!(&items[0], Item::Chat(c) if c.name == "ab"));
        let Item::Message(m) = &items[1] else {
            panic!("{items:?}")
        };
        assert_eq!(
            (m.sender.as_deref(), m.urls.as_slice()),
            (Some("Reza"), &["https://xy".to_string()][..])
        );
    }
}
