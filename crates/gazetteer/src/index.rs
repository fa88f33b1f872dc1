//! The index of place names, and the scan of folded text for them.
//!
//! Names are keyed by `fold_key` (words joined by single spaces). The scan visits word starts
//! only: a word that begins no name costs one hash lookup, which is what makes the scan fast
//! enough for the coder (tens of megabytes a second on one core). A word that does begin a
//! name is extended word by word, across spaces, hyphens and apostrophes only, and the longest
//! name found wins.

use std::cmp::Reverse;
use std::collections::HashMap;

use crate::{Mention, Place, PlaceId, PlaceKind};

/// Names longer than this many words are not matched in text (lookup still finds them).
const MAX_WORDS: usize = 8;

#[derive(Debug, Clone, Default)]
pub(crate) struct NameIndex {
    /// Name key to its places, best first.
    by_key: HashMap<Box<str>, Vec<PlaceId>>,
    /// First word of any key to the most words a key starting with it has.
    first_words: HashMap<Box<str>, u8>,
}

impl NameIndex {
    pub(crate) fn build(
        places: &[Place],
        names: &[Vec<String>],
        capitals: &HashMap<PlaceId, PlaceId>,
    ) -> NameIndex {
        let mut by_key: HashMap<Box<str>, Vec<PlaceId>> = HashMap::new();
        for (id, place_names) in names.iter().enumerate() {
            for name in place_names {
                for key in spellings(&unrest_text::fold_key(name)) {
                    match by_key.get_mut(key.as_str()) {
                        Some(ids) => ids.push(id as PlaceId),
                        None => {
                            by_key.insert(key.into(), vec![id as PlaceId]);
                        }
                    }
                }
            }
        }
        for candidates in by_key.values_mut() {
            candidates.sort_unstable();
            candidates.dedup();
            rank(candidates, places, capitals);
        }
        let mut first_words: HashMap<Box<str>, u8> = HashMap::new();
        for key in by_key.keys() {
            let words = key.split(' ').count().min(MAX_WORDS) as u8;
            let first = key.split(' ').next().unwrap_or_default();
            match first_words.get_mut(first) {
                Some(max) => *max = (*max).max(words),
                None => {
                    first_words.insert(first.into(), words);
                }
            }
        }
        NameIndex {
            by_key,
            first_words,
        }
    }

    pub(crate) fn get(&self, key: &str) -> &[PlaceId] {
        self.by_key.get(key).map(Vec::as_slice).unwrap_or_default()
    }

    pub(crate) fn find_mentions(&self, text: &str) -> Vec<Mention> {
        let mut mentions = Vec::new();
        let mut key = String::new();
        let mut at = 0;
        while let Some((start, end)) = next_word(text, at) {
            at = end;
            let Some(&max_words) = self.first_words.get(&text[start..end]) else {
                continue;
            };
            key.clear();
            key.push_str(&text[start..end]);
            let mut best = self.by_key.get(key.as_str()).map(|c| (end, c));
            let mut word_end = end;
            for _ in 1..max_words {
                let Some((s, e)) = next_joined_word(text, word_end) else {
                    break;
                };
                key.push(' ');
                key.push_str(&text[s..e]);
                if let Some(c) = self.by_key.get(key.as_str()) {
                    best = Some((e, c));
                }
                word_end = e;
            }
            if let Some((end, candidates)) = best {
                mentions.push(Mention {
                    start,
                    end,
                    candidates: candidates.clone(),
                });
                at = end;
            }
        }
        mentions
    }
}

/// The spellings a name key is also written in: without the ezafe ("bandar e abbas" →
/// "bandar abbas"), run together ("khorram abad" → "khorramabad", "خرم اباد" → "خرماباد"),
/// and with the common suffixes apart ("eslamshahr" → "eslam shahr", "اسلامشهر" → "اسلام شهر").
fn spellings(key: &str) -> Vec<String> {
    let mut out = vec![key.to_string()];
    if key.is_empty() {
        return Vec::new();
    }
    let without_ezafe: Vec<&str> = key
        .split(' ')
        .filter(|w| !matches!(*w, "e" | "ye"))
        .collect();
    if !without_ezafe.is_empty() {
        out.push(without_ezafe.join(" "));
    }
    for k in out.clone() {
        if k.contains(' ') {
            out.push(k.replace(' ', ""));
        }
    }
    if !key.contains(' ') {
        for suffix in ["abad", "shahr", "اباد", "شهر"] {
            if let Some(stem) = key.strip_suffix(suffix) {
                if stem.chars().count() >= 3 {
                    out.push(format!("{stem} {suffix}"));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Orders the places of one name, best first (see `Gazetteer::lookup`).
pub(crate) fn rank(
    candidates: &mut [PlaceId],
    places: &[Place],
    capitals: &HashMap<PlaceId, PlaceId>,
) {
    let named_capitals: Vec<PlaceId> = candidates
        .iter()
        .filter_map(|id| capitals.get(id).copied())
        .filter(|capital| candidates.contains(capital))
        .collect();
    let group = |p: &Place| -> u8 {
        if p.geonameid == 0 {
            return 0;
        }
        match p.kind {
            // A province whose capital goes by the same name ("Tehran") is meant less often
            // than the city; one whose name is its own ("Kurdistan") is meant before any
            // village that shares it.
            PlaceKind::Province => match capitals.get(&p.id) {
                Some(capital) if named_capitals.contains(capital) => 4,
                _ => 1,
            },
            PlaceKind::City | PlaceKind::District | PlaceKind::Landmark => 2,
            PlaceKind::County => 3,
        }
    };
    candidates.sort_by_key(|&id| {
        let p = &places[id as usize];
        (group(p), Reverse(p.population), id)
    });
}

/// Whether the character at byte `i` is a letter or digit (`char::is_alphanumeric`), and its
/// length. Decoded by hand, with Persian letters answered without a table search: this loop is
/// most of the scan's time.
#[inline]
fn is_word_byte_start(text: &str, i: usize) -> Option<(bool, usize)> {
    let bytes = text.as_bytes();
    let b = *bytes.get(i)?;
    if b < 0x80 {
        return Some((b.is_ascii_alphanumeric(), 1));
    }
    let cont = |k: usize| bytes.get(i + k).map_or(0, |&c| u32::from(c & 0x3F));
    let (c, n) = if b < 0xE0 {
        (u32::from(b & 0x1F) << 6 | cont(1), 2)
    } else if b < 0xF0 {
        (u32::from(b & 0x0F) << 12 | cont(1) << 6 | cont(2), 3)
    } else {
        (
            u32::from(b & 0x07) << 18 | cont(1) << 12 | cont(2) << 6 | cont(3),
            4,
        )
    };
    let word = matches!(c, 0x0621..=0x064A | 0x066E..=0x06D3)
        || char::from_u32(c).is_some_and(char::is_alphanumeric);
    Some((word, n))
}

/// The next word (a run of letters and digits) at or after byte `from`.
fn next_word(text: &str, from: usize) -> Option<(usize, usize)> {
    let len = text.len();
    let mut i = from;
    while i < len {
        let (word, n) = is_word_byte_start(text, i)?;
        if word {
            break;
        }
        i += n;
    }
    if i >= len {
        return None;
    }
    let start = i;
    while i < len {
        let (word, n) = is_word_byte_start(text, i)?;
        if !word {
            break;
        }
        i += n;
    }
    Some((start, i))
}

/// The word right after `from` when only a short run of spaces, hyphens and apostrophes
/// separates them, as between the words of one name.
fn next_joined_word(text: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'-' | b'\'') && i - from < 3 {
        i += 1;
    }
    if i == from || i >= bytes.len() || !is_word_byte_start(text, i)?.0 {
        return None;
    }
    next_word(text, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_drop_the_ezafe_and_join_or_split_compounds() {
        let s = spellings("bandar e abbas");
        assert!(s.contains(&"bandar abbas".to_string()));
        assert!(s.contains(&"bandarabbas".to_string()));
        assert!(spellings("eslamshahr").contains(&"eslam shahr".to_string()));
        assert!(spellings("خرم اباد").contains(&"خرماباد".to_string()));
    }

    #[test]
    fn the_hand_decoder_agrees_with_char_is_alphanumeric() {
        let chars = (0u32..0x3000)
            .chain(0x1_0000..0x1_0400)
            .filter_map(char::from_u32);
        for c in chars {
            let s = format!("{c}");
            assert_eq!(
                is_word_byte_start(&s, 0),
                Some((c.is_alphanumeric(), c.len_utf8())),
                "{c:?}"
            );
        }
    }

    #[test]
    fn words_are_joined_across_hyphens_but_not_across_sentence_punctuation() {
        assert_eq!(next_joined_word("bandar-e abbas", 6), Some((7, 8)));
        assert_eq!(next_joined_word("tehran. pars", 6), None);
    }
}
