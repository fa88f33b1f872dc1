//! The words of the interface in English and Persian. The words are data, one file per
//! language (`labels/en.toml`, `labels/fa.toml`): the public pages' words are the `[site]`
//! table, each a field of [`Tr`] (so a page cannot use a word that has no key), the
//! analysts' pages' the `[words]` table, the codebook's terms the `[types]` table. A test
//! checks that every key is in every language's file; a new language is a new file.
//!
//! The language is chosen per request by `?lang=fa|en` (links and forms carry it), else by
//! the browser's `Accept-Language`. No cookie: reporters must get none.

use axum::http::HeaderMap;
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Fa,
}

/// The digest's language for a page's.
impl From<Lang> for unrest_digest::Lang {
    fn from(lang: Lang) -> unrest_digest::Lang {
        match lang {
            Lang::Fa => unrest_digest::Lang::Fa,
            Lang::En => unrest_digest::Lang::En,
        }
    }
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fa => "fa",
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Lang::En => "ltr",
            Lang::Fa => "rtl",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Fa,
            Lang::Fa => Lang::En,
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim() {
            "en" => Some(Lang::En),
            "fa" => Some(Lang::Fa),
            _ => None,
        }
    }

    /// `?lang=` wins; then the first of en/fa in `Accept-Language`; then English.
    pub fn pick(query: Option<&str>, headers: &HeaderMap) -> Lang {
        if let Some(l) = query.and_then(Lang::parse) {
            return l;
        }
        let accept = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        for part in accept.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("fa") {
                return Lang::Fa;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::En
    }

    pub fn tr(self) -> &'static Tr {
        match self {
            Lang::En => &EN,
            Lang::Fa => &FA,
        }
    }

    /// Digits in the language's script.
    pub fn num(self, n: impl std::fmt::Display) -> String {
        let s = n.to_string();
        match self {
            Lang::En => s,
            Lang::Fa => s
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) => char::from_u32(0x06F0 + d).unwrap_or(c),
                    None => c,
                })
                .collect(),
        }
    }
}

/// Declares [`Tr`], one `&'static str` per word of the public pages, and the list of its
/// keys. The words themselves are data: the `[site]` table of `labels/{lang}.toml`.
macro_rules! site_words {
    ($($(#[$doc:meta])* $key:ident,)*) => {
        pub struct Tr {
            $($(#[$doc])* pub $key: &'static str,)*
        }

        impl Tr {
            /// Every key the pages use; each must be in every language's `[site]` table.
            pub const KEYS: &'static [&'static str] = &[$(stringify!($key)),*];

            fn of(lang: Lang) -> Tr {
                Tr { $($key: site_word(lang, stringify!($key)),)* }
            }
        }
    };
}

site_words! {
    site,
    tagline,
    nav_map,
    nav_submit,
    nav_receipt,
    nav_api,
    nav_review,
    nav_users,
    nav_login,
    nav_logout,
    switch_lang,
    // submit
    submit_title,
    submit_intro,
    submit_privacy,
    report_text,
    report_text_hint,
    place_optional,
    date_optional,
    send,
    thanks_title,
    receipt_intro,
    receipt_keep,
    form_expired,
    text_required,
    text_too_long,
    bad_date,
    photos_optional,
    photos_hint,
    /// Before the media crate's own (English) reason.
    photo_refused,
    // receipt
    receipt_title,
    receipt_code,
    check,
    receipt_unknown,
    status_received,
    status_in_review,
    status_used,
    status_not_used,
    followup,
    followup_hint,
    followup_sent,
    // map
    map_title,
    from,
    to,
    province,
    any,
    event_type,
    search,
    apply,
    download_csv,
    download_geojson,
    events_shown,
    timeline,
    no_events,
    map_fallback,
    list_title,
    /// Before the number of events in the map's view, above their list.
    events_in_view,
    in_view_more,
    /// Between the parts of a line (date, place, type): «·» reads as a Persian zero.
    sep,
    // event
    date,
    location,
    actors,
    fatalities,
    /// Independent sources behind an incident, and its grade.
    sources,
    incident,
    no_incident,
    split_off,
    injuries,
    arrests,
    notes,
    precision,
    not_given,
    date_exact,
    date_week,
    date_month,
    geo_exact,
    geo_near,
    geo_region,
    size_legend,
    older_events,
    latest_events,
    brush_hint,
    all_dates,
    api_title,
    /// A static mirror's own words: its monthly digests, what it is, its API.
    mirror_months,
    mirror_note,
    mirror_api,
    api_intro,
    parameters,
    answers,
    small_map,
    with_actors,
    grade,
    // analyst
    login_title,
    user_name,
    password,
    login_failed,
    queue_title,
    queue_empty,
    report,
    events,
    received,
    verify,
    publish,
    reject,
    save,
    merge,
    merge_into,
    add_place,
    pick_on_map,
    followups,
    history,
    status,
    role,
    users_title,
    add_user,
    disable,
    enable,
}

/// The words of one language, from `labels/{lang}.toml`: the public site's (`site`), the
/// analysts' pages' (`words`), Solar Hijri month names and the codebook's terms (`types`).
#[derive(serde::Deserialize)]
pub struct Labels {
    pub months: Vec<String>,
    pub words: HashMap<String, String>,
    #[serde(default)]
    pub site: HashMap<String, String>,
    #[serde(default)]
    pub types: HashMap<String, String>,
    /// ACLED actor names shown in the language (the dataset keeps the English ones).
    #[serde(default)]
    pub actors: HashMap<String, String>,
}

static EN_LABELS: LazyLock<Labels> = LazyLock::new(|| {
    toml::from_str(include_str!("../labels/en.toml")).expect("labels/en.toml parses")
});
static FA_LABELS: LazyLock<Labels> = LazyLock::new(|| {
    toml::from_str(include_str!("../labels/fa.toml")).expect("labels/fa.toml parses")
});

/// The labels data of a language.
pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::En => &EN_LABELS,
        Lang::Fa => &FA_LABELS,
    }
}

/// A word of the public site: English if a language lacks it, the key if English does
/// too (a test forbids both).
fn site_word(lang: Lang, key: &str) -> &'static str {
    labels(lang)
        .site
        .get(key)
        .or_else(|| EN_LABELS.site.get(key))
        .map_or(key_str(key), String::as_str)
}

/// A key as a `'static` string (the keys are `Tr::KEYS`' literals).
fn key_str(key: &str) -> &'static str {
    Tr::KEYS.iter().find(|k| **k == key).copied().unwrap_or("?")
}

/// A term of the codebook (an event type or sub-type, a disorder type, an actor category, a
/// source scale) in the page's language, from the `[types]` table; a value joining terms
/// ("Political violence; Demonstrations", "Local partner-Other") is translated term by term.
/// Anything the table lacks is shown as written.
pub fn term(lang: Lang, name: &str) -> String {
    let types = &labels(lang).types;
    if let Some(t) = types.get(name) {
        return t.clone();
    }
    let each = |sep: &str, joined: &str| -> Option<String> {
        let parts: Vec<&str> = name.split(sep).map(str::trim).collect();
        (parts.len() > 1 && parts.iter().all(|p| types.contains_key(*p))).then(|| {
            parts
                .iter()
                .map(|p| types[*p].as_str())
                .collect::<Vec<_>>()
                .join(joined)
        })
    };
    let semicolon = if lang == Lang::Fa { "؛ " } else { "; " };
    each(";", semicolon)
        .or_else(|| each("-", " – "))
        .unwrap_or_else(|| name.to_string())
}

/// An actor field (one name, or names joined by "; ") in the page's language.
pub fn actor_name(lang: Lang, names: &str) -> String {
    let actors = &labels(lang).actors;
    let semicolon = if lang == Lang::Fa { "؛ " } else { "; " };
    names
        .split(';')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| actors.get(n).map_or(n, String::as_str))
        .collect::<Vec<_>>()
        .join(semicolon)
}

static EN: LazyLock<Tr> = LazyLock::new(|| Tr::of(Lang::En));
static FA: LazyLock<Tr> = LazyLock::new(|| Tr::of(Lang::Fa));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_beats_accept_language() {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            "fa-IR,fa;q=0.9".parse().unwrap(),
        );
        assert_eq!(Lang::pick(None, &h), Lang::Fa);
        assert_eq!(Lang::pick(Some("en"), &h), Lang::En);
        assert_eq!(Lang::pick(Some("xx"), &HeaderMap::new()), Lang::En);
    }

    #[test]
    fn every_word_of_the_public_pages_is_in_every_language_file() {
        for lang in [Lang::En, Lang::Fa] {
            let site = &labels(lang).site;
            for key in Tr::KEYS {
                assert!(
                    site.get(*key).is_some_and(|w| !w.trim().is_empty()),
                    "labels/{}.toml [site] lacks {key}",
                    lang.code()
                );
            }
            for key in site.keys() {
                assert!(
                    Tr::KEYS.contains(&key.as_str()),
                    "labels/{}.toml [site] has {key}, which no page uses",
                    lang.code()
                );
            }
        }
        assert_eq!(Lang::Fa.tr().nav_map, "نقشه");
        assert_eq!(Lang::En.tr().nav_map, "Map");
    }

    #[test]
    fn codebook_terms_are_translated_term_by_term() {
        assert_eq!(term(Lang::Fa, "Peaceful protest"), "اعتراض مسالمت‌آمیز");
        assert_eq!(
            term(Lang::Fa, "Political violence; Demonstrations"),
            "خشونت سیاسی؛ تظاهرات"
        );
        assert_eq!(term(Lang::Fa, "Local partner-Other"), "شریک محلی – سایر");
        assert_eq!(term(Lang::En, "Peaceful protest"), "Peaceful protest");
        assert_eq!(term(Lang::Fa, "Something new"), "Something new");
        assert_eq!(
            actor_name(Lang::Fa, "Students (Iran); Women (Iran)"),
            "دانشجویان (ایران)؛ زنان (ایران)"
        );
        assert_eq!(actor_name(Lang::Fa, "Some Group"), "Some Group");
        assert_eq!(actor_name(Lang::En, "Students (Iran)"), "Students (Iran)");
    }

    #[test]
    fn every_actor_the_coder_can_name_has_a_persian_name() {
        // The names of the coder's rules, and those it writes itself.
        let rules: toml::Table =
            toml::from_str(include_str!("../../coder/rules/actors.toml")).unwrap();
        let mut names: Vec<String> = rules
            .values()
            .flat_map(|a| ["actor", "assoc"].map(|k| a.get(k).and_then(|v| v.as_str())))
            .flatten()
            .filter(|n| !n.is_empty())
            .map(String::from)
            .collect();
        let classify = include_str!("../../coder/src/classify.rs");
        for line in classify.lines().filter(|l| l.starts_with("const ")) {
            if let Some(name) = line.split('"').nth(1).filter(|n| n.ends_with("(Iran)")) {
                names.push(name.to_string());
            }
        }
        assert!(names.len() > 15, "{names:?}");
        for n in &names {
            assert!(
                labels(Lang::Fa).actors.contains_key(n),
                "no Persian name for the actor {n}"
            );
        }
    }

    #[test]
    fn persian_digits() {
        assert_eq!(Lang::Fa.num(2022), "۲۰۲۲");
    }
}
