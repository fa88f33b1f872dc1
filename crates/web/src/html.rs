//! The page frame every HTML page shares: language and direction, navigation, the one
//! stylesheet, and scripts only by URL (the CSP forbids inline script and inline style,
//! so no page may carry either). maud escapes every interpolated value, so report text
//! and user input reach the page only as text.
//!
//! This module knows the navigation and the current user's name and role, nothing else.

use crate::error::AppError;
use crate::i18n::Lang;
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// Who is logged in, as the frame shows it.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub name: String,
    pub admin: bool,
    pub csrf: String,
}

pub struct Frame<'a> {
    pub lang: Lang,
    pub title: &'a str,
    /// The current path, for the language switch.
    pub path: &'a str,
    pub viewer: Option<&'a Viewer>,
    /// Scripts under /assets/ to load, in order, deferred.
    pub scripts: &'a [&'a str],
    pub styles: &'a [&'a str],
    /// A class on <body>, for pages with their own layout (the map).
    pub body_class: &'a str,
}

/// A link to `path` in language `lang`.
pub fn href(path: &str, lang: Lang) -> String {
    // The language goes in the query, before any `#fragment`.
    let (path, fragment) = match path.find('#') {
        Some(i) => path.split_at(i),
        None => (path, ""),
    };
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}lang={}{fragment}", lang.code())
}

impl Frame<'_> {
    pub fn render(&self, main: Markup) -> Markup {
        let t = self.lang.tr();
        let l = self.lang;
        html! {
            (DOCTYPE)
            html lang=(l.code()) dir=(l.dir()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    meta name="referrer" content="no-referrer";
                    title { (self.title) " — " (t.site) }
                    @for s in self.styles { link rel="stylesheet" href={"/assets/" (s)}; }
                    link rel="stylesheet" href="/assets/app.css";
                    link rel="icon" href="/assets/favicon.svg" type="image/svg+xml";
                    @for s in self.scripts { script src={"/assets/" (s)} defer {} }
                }
                body class=(self.body_class) {
                    header.top {
                        a.brand href=(href("/", l)) { (t.site) }
                        nav {
                            a href=(href("/", l)) { (t.nav_map) }
                            a href=(href("/submit", l)) { (t.nav_submit) }
                            a href=(href("/receipt", l)) { (t.nav_receipt) }
                            a href=(href("/api-docs", l)) { (t.nav_api) }
                            @if let Some(v) = self.viewer {
                                a href=(href("/review", l)) { (t.nav_review) }
                                @if v.admin { a href=(href("/admin/users", l)) { (t.nav_users) } }
                                form.inline method="post" action="/logout" {
                                    input type="hidden" name="csrf" value=(v.csrf);
                                    button.link type="submit" { (t.nav_logout) " (" (v.name) ")" }
                                }
                            }
                            a.lang href=(href(self.path, l.other())) lang=(l.other().code()) { (t.switch_lang) }
                        }
                    }
                    main { (main) }
                    footer {
                        span { (t.tagline) }
                        @if self.viewer.is_none() { " · " a href=(href("/login", l)) { (t.nav_login) } }
                    }
                }
            }
        }
    }
}

/// The page of an error, in `lang`: its code's words from the labels files, and the
/// specific message (a form's mistake) when there is one.
pub fn error_page(e: &AppError, lang: Lang) -> Markup {
    error_markup(
        &crate::error::ShownError {
            code: e.code(),
            message: e.message(),
        },
        lang,
    )
}

fn error_markup(e: &crate::error::ShownError, lang: Lang) -> Markup {
    use crate::workspace::w;
    let title = w(lang, "error");
    let frame = Frame {
        lang,
        title,
        path: "/",
        viewer: None,
        scripts: &[],
        styles: &[],
        body_class: "",
    };
    let status = crate::error::ERROR_TABLE
        .iter()
        .find(|(c, _, _)| *c == e.code)
        .map_or(500, |(_, s, _)| *s);
    // A specific message in Persian script is Persian (the analysts' words), else English.
    let detail_lang = if e
        .message
        .chars()
        .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
    {
        "fa"
    } else {
        "en"
    };
    frame.render(html! {
        h1 { (title) " " (lang.num(status)) }
        p.error { (w(lang, &format!("err_{}", e.code))) }
        @if !e.is_general() {
            p.error.detail lang=(detail_lang) dir="auto" { (e.message) }
        }
        p { a href=(href("/", lang)) { (w(lang, "back_to_map")) } }
    })
}

/// Writes an error page again in the language of the request that met it: `?lang=`, the
/// `lang` field of a posted form (every form carries one), else `Accept-Language`.
pub async fn error_language(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{header, Method};
    use axum::response::IntoResponse;
    let query_lang = request.uri().query().and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Lang::parse(v))
    });
    // A reporter's submission is read by `intake` alone (and its pages speak the form's
    // language themselves): it is never buffered here.
    let reporter = ["/submit", "/receipt"]
        .iter()
        .any(|p| request.uri().path().starts_with(p));
    let form = request.method() == Method::POST
        && !reporter
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let headers = request.headers().clone();
    let (request, form_lang) = if form && query_lang.is_none() {
        let (parts, body) = request.into_parts();
        let bytes = match axum::body::to_bytes(body, crate::BODY_LIMIT).await {
            Ok(b) => b,
            Err(_) => return AppError::TooLarge.into_response(),
        };
        let lang = form_lang_of(&bytes);
        (
            axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes)),
            lang,
        )
    } else {
        (request, None)
    };
    let response = next.run(request).await;
    let Some(shown) = response
        .extensions()
        .get::<crate::error::ShownError>()
        .cloned()
    else {
        return response;
    };
    let lang = query_lang
        .or(form_lang)
        .unwrap_or_else(|| Lang::pick(None, &headers));
    if lang == Lang::En {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let page = error_markup(&shown, lang).into_string();
    axum::response::Response::from_parts(parts, axum::body::Body::from(page))
}

/// The `lang` field of a URL-encoded form, if it names a language.
fn form_lang_of(body: &[u8]) -> Option<Lang> {
    body.split(|b| *b == b'&').find_map(|kv| {
        let v = kv.strip_prefix(b"lang=")?;
        Lang::parse(std::str::from_utf8(v).ok()?)
    })
}

/// Report text with the given byte ranges marked, each range labelled with its field.
/// Ranges are clipped to the text and to character boundaries; overlaps keep the first.
pub fn highlighted(text: &str, spans: &[(usize, usize, String)]) -> Markup {
    let mut spans: Vec<&(usize, usize, String)> = spans
        .iter()
        .filter(|(s, e, _)| {
            s < e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e)
        })
        .collect();
    spans.sort_by_key(|(s, e, _)| (*s, *e));
    let mut out = String::new();
    let mut at = 0;
    for (s, e, field) in spans {
        if *s < at {
            continue;
        }
        out.push_str(&maud::html! { (&text[at..*s]) }.into_string());
        let key = field.split(" (").next().unwrap_or(field);
        out.push_str(
            &html! { mark title=(field) data-field=(field) class={"f-" (field_class(key))} { (&text[*s..*e]) } }
                .into_string(),
        );
        at = *e;
    }
    out.push_str(&maud::html! { (&text[at..]) }.into_string());
    PreEscaped(out)
}

/// The CSS class part of an evidence field: its letters, digits and underscores.
pub fn field_class(field: &str) -> String {
    field
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(40)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_text_is_escaped_inside_and_outside_marks() {
        let t = "<script>x</script> in Tehran \"><img src=x onerror=alert(1)>";
        let i = t.find("Tehran").unwrap();
        let m = highlighted(t, &[(i, i + 6, "location".into())]).into_string();
        assert!(!m.contains("<script>"));
        assert!(!m.contains("<img"));
        assert!(m.contains(
            "<mark title=\"location\" data-field=\"location\" class=\"f-location\">Tehran</mark>"
        ));
    }

    #[test]
    fn a_link_keeps_its_language_before_its_fragment() {
        assert_eq!(
            href("/review/reports/3#event-9", Lang::Fa),
            "/review/reports/3?lang=fa#event-9"
        );
        assert_eq!(
            href("/review?status=all", Lang::En),
            "/review?status=all&lang=en"
        );
    }

    #[test]
    fn spans_off_char_boundaries_are_dropped() {
        let t = "در تهران";
        let m = highlighted(t, &[(1, 3, "x".into())]).into_string();
        assert_eq!(m, "در تهران");
    }
}
