//! Spelling variants of romanised Persian names, by rules in `data/gazetteer/spelling.tsv`.
//!
//! Persian writes few vowels, so one name reaches English text in many Latin spellings
//! ("Doroud", "Dorud", "Durud"). Rather than list each, a name and a report's words are both
//! cut down to a skeleton by the rules of the data file, and agree when their skeletons do.

use std::sync::OnceLock;

const RULES_TSV: &str = include_str!("../../../data/gazetteer/spelling.tsv");

struct Rule {
    from: String,
    to: String,
    at_end: bool,
}

fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        RULES_TSV
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let mut f = l.split('\t');
                let from = f.next()?.trim();
                let to = f.next().unwrap_or_default().trim();
                let (from, at_end) = match from.strip_suffix('$') {
                    Some(f) => (f, true),
                    None => (from, false),
                };
                (!from.is_empty()).then(|| Rule {
                    from: from.to_string(),
                    to: to.to_string(),
                    at_end,
                })
            })
            .collect()
    })
}

/// The skeleton of a name or of words of a report, folded (`unrest_text::fold_key`): `None`
/// when it is not all ASCII letters, spaces, hyphens and apostrophes. The joints "e" and "ye"
/// written as words are dropped.
pub(crate) fn skeleton(folded: &str) -> Option<String> {
    let mut s = String::with_capacity(folded.len());
    for word in folded.split([' ', '-', '\'']) {
        if matches!(word, "e" | "ye") {
            continue;
        }
        if !word.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        s.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    }
    if s.is_empty() {
        return None;
    }
    for r in rules() {
        if r.at_end {
            if s.ends_with(&r.from) {
                s.truncate(s.len() - r.from.len());
                s.push_str(&r.to);
            }
        } else if s.contains(&r.from) {
            s = s.replace(&r.from, &r.to);
        }
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    Some(out)
}

/// Consonants a consonant key needs: shorter ones are too many words' and names'.
pub(crate) const MIN_CONSONANTS: usize = 4;

/// A skeleton without its vowels but the first letter ("lenjan" → "lnjn", "sarepolzahab" →
/// "srplzhb"), doubled letters single: `None` when fewer than [`MIN_CONSONANTS`] letters are
/// left.
pub(crate) fn consonants(skeleton: &str) -> Option<String> {
    let mut out = String::with_capacity(skeleton.len());
    for (i, c) in skeleton.chars().enumerate() {
        if i > 0 && matches!(c, 'a' | 'e' | 'i' | 'o' | 'u') || out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    (out.chars().count() >= MIN_CONSONANTS).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::{consonants, skeleton};

    fn same(a: &str, b: &str) {
        let (ka, kb) = (
            skeleton(&unrest_text::fold_key(a)),
            skeleton(&unrest_text::fold_key(b)),
        );
        assert!(ka.is_some() && ka == kb, "{a} {ka:?} / {b} {kb:?}");
    }

    #[test]
    fn common_romanisations_share_a_skeleton() {
        same("Doroud", "Dorud");
        same("Boroujerd", "Borujerd");
        same("Kazeroon", "Kazerun");
        same("Ahwaz", "Ahvaz");
        same("Orumiyeh", "Oroumieh");
        same("Khomeyni Shahr", "Khomeini-shahr");
        same("Saghez", "Saqez");
        same("Hafttappeh", "Haft Tapeh");
        same("Sarpol-e Zahab", "Sarpol Zahab");
        same("Naghadeh", "Naqadeh");
        same("Shahriyar", "Shahriar");
    }

    #[test]
    fn vowel_variants_share_their_consonants() {
        let c = |s: &str| skeleton(&unrest_text::fold_key(s)).and_then(|k| consonants(&k));
        assert_eq!(c("Lanjan"), c("Lenjan"));
        assert_eq!(c("Sarepol Zahab"), c("Sarpol-e Zahab"));
        assert!(c("Lanjan").is_some());
        assert_eq!(c("Qom"), None);
    }

    #[test]
    fn names_in_other_letters_have_no_skeleton() {
        assert_eq!(skeleton("تهران"), None);
        assert_eq!(skeleton("tehran 2"), None);
        assert_eq!(skeleton(""), None);
    }
}
