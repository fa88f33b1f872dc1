//! The coder's rules, read from the per-language data files under `rules/`.
//!
//! A language is one TOML file of word lists (see `rules/en.toml` for what each list
//! means) plus a line in [`Language::builtin`]; actor names are shared by all languages in
//! `rules/actors.toml`, so a dataset mixing languages names actors one way.

use crate::lexicon::{Cat, Lexicon, Meaning};
use serde::Deserialize;
use std::collections::BTreeMap;

/// One actor or group of the shared actor table.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Actor {
    #[serde(skip)]
    pub key: String,
    /// ACLED actor name; empty for a group of demonstrators (students, workers).
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub assoc: String,
    #[serde(default)]
    pub inter: String,
}

impl Actor {
    pub fn is_force(&self) -> bool {
        !self.actor.is_empty()
    }
}

#[derive(Deserialize)]
struct LanguageFile {
    cue: BTreeMap<String, Vec<String>>,
    numbers: BTreeMap<String, u32>,
    vague: BTreeMap<String, u32>,
    actors: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    places: PlaceRules,
}

/// How a language names places (the `[places]` table; every field may be left out).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct PlaceRules {
    /// A town or village smaller than this (GeoNames population) counts only after a
    /// location word, a word for a kind of place or next to another place; 0: any counts.
    #[serde(default)]
    pub needs_context_below: u32,
    /// Words that may stand between a location word and its place ("در سبزه میدان
    /// زنجان": the square's name before its city).
    #[serde(default)]
    pub words_before_place: usize,
}

/// The rules of one language, compiled.
#[derive(Debug, Clone)]
pub struct Language {
    pub code: &'static str,
    pub lexicon: Lexicon,
    pub places: PlaceRules,
}

/// Errors in a rules file; the built-in files are checked by the tests.
#[derive(Debug)]
pub struct RulesError(pub String);

impl std::fmt::Display for RulesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RulesError {}

const ACTORS: &str = include_str!("../rules/actors.toml");
const EN: &str = include_str!("../rules/en.toml");
const FA: &str = include_str!("../rules/fa.toml");

/// The shared actor table, in file order of keys (sorted).
pub fn load_actors(src: &str) -> Result<Vec<Actor>, RulesError> {
    let table: BTreeMap<String, Actor> =
        toml::from_str(src).map_err(|e| RulesError(format!("actors.toml: {e}")))?;
    Ok(table
        .into_iter()
        .map(|(key, mut a)| {
            a.key = key;
            a
        })
        .collect())
}

impl Language {
    /// Compiles a language file against the actor table.
    pub fn parse(
        code: &'static str,
        src: &str,
        actors: &[Actor],
        joined_variants: bool,
    ) -> Result<Language, RulesError> {
        let file: LanguageFile =
            toml::from_str(src).map_err(|e| RulesError(format!("{code}.toml: {e}")))?;
        let mut lexicon = Lexicon::default();
        for (list, phrases) in &file.cue {
            let cat = Cat::from_list_name(list)
                .ok_or_else(|| RulesError(format!("{code}.toml: unknown list cue.{list}")))?;
            for p in phrases {
                lexicon.add(p, Meaning { cat, value: 0 }, joined_variants);
            }
        }
        for (p, &n) in &file.numbers {
            lexicon.add(
                p,
                Meaning {
                    cat: Cat::Number,
                    value: n,
                },
                joined_variants,
            );
        }
        for (p, &n) in &file.vague {
            lexicon.add(
                p,
                Meaning {
                    cat: Cat::Vague,
                    value: n,
                },
                joined_variants,
            );
        }
        for (key, phrases) in &file.actors {
            let index = actors.iter().position(|a| &a.key == key).ok_or_else(|| {
                RulesError(format!("{code}.toml: actor {key:?} is not in actors.toml"))
            })?;
            for p in phrases {
                let m = Meaning {
                    cat: Cat::Actor,
                    value: index as u32,
                };
                lexicon.add(p, m, joined_variants);
            }
        }
        Ok(Language {
            code,
            lexicon,
            places: file.places,
        })
    }
}

/// The built-in rules: the actor table and the languages.
#[derive(Debug, Clone)]
pub struct Rules {
    pub actors: Vec<Actor>,
    pub en: Language,
    pub fa: Language,
}

impl Rules {
    pub fn builtin() -> Result<Rules, RulesError> {
        let actors = load_actors(ACTORS)?;
        let en = Language::parse("en", EN, &actors, false)?;
        let fa = Language::parse("fa", FA, &actors, true)?;
        Ok(Rules { actors, en, fa })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rule_files_parse() {
        let r = Rules::builtin().unwrap();
        assert!(r.actors.iter().any(|a| a.key == "police"));
    }
}
