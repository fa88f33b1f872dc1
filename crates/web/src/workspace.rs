//! The analysts' review workspace: the queue (first words redacted as the digest redacts
//! them, filters, search, sort, paging), bulk actions on a selection (verify, publish,
//! reject, assign, dismiss a report with no event), assignment and who is looking,
//! comments, and the admins' settings (four eyes) with who did what.
//!
//! The words of these pages are data, one file per language (`labels/en.toml`,
//! `labels/fa.toml`); in Persian, dates are Solar Hijri and digits Persian.

use crate::auth::{Admin, Analyst};
use crate::error::AppError;
use crate::html::{href, Frame};
use crate::i18n::Lang;
use crate::Shared;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;
use unrest_store::{QueueFilter, Status, DISMISS_REASONS};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/review", get(queue))
        .route("/review/bulk", post(bulk))
        .route("/review/reports/{id}/assign", post(assign_one))
        .route("/review/reports/{id}/comments", post(comment))
        .route("/admin/settings", get(settings_page).post(save_settings))
}

// ---- words ------------------------------------------------------------------------------

use crate::i18n::labels as words;

/// A word of the analysts' pages; the key itself if a file lacks it (a test forbids that).
pub fn w(lang: Lang, key: &str) -> &'static str {
    match words(lang).words.get(key) {
        Some(s) => s.as_str(),
        None => match words(Lang::En).words.get(key) {
            Some(s) => s.as_str(),
            None => "?",
        },
    }
}

/// An event type or sub-type in the page's language (the codebook's English otherwise).
pub fn type_name(lang: Lang, name: &str) -> String {
    crate::i18n::term(lang, name)
}

/// A status in words.
pub fn status_name(lang: Lang, status: &str) -> &'static str {
    match status {
        "coded" | "verified" | "published" | "rejected" | "dismissed" => w(lang, status),
        _ => "?",
    }
}

/// A history line's action in words.
pub fn action_name(lang: Lang, action: &str) -> String {
    let key = format!("h_{action}");
    if words(lang).words.contains_key(&key) {
        w(lang, &key).to_string()
    } else {
        action.to_string()
    }
}

/// A date in the page's calendar: Gregorian in English, Solar Hijri in Persian.
pub fn day(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::En => d.format("%-d %b %Y").to_string(),
        Lang::Fa => {
            let (y, m, dd) = unrest_digest::to_jalali(d);
            let month = words(lang)
                .months
                .get(m as usize - 1)
                .cloned()
                .unwrap_or_default();
            lang.num(format!("{dd} {month} {y}"))
        }
    }
}

/// A stored `YYYY-MM-DD` date shown in the page's calendar (as stored if it is not one).
pub fn day_text(lang: Lang, s: &str) -> String {
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => day(lang, d),
        Err(_) => lang.num(s),
    }
}

/// A moment (RFC 3339) in the analyst's locale: UTC in English, Tehran time (UTC+3:30) and
/// the Solar Hijri calendar in Persian.
pub fn moment(lang: Lang, s: &str) -> String {
    let Ok(t) = DateTime::parse_from_rfc3339(s) else {
        return lang.num(s);
    };
    let t = t.with_timezone(&Utc);
    match lang {
        Lang::En => t.format("%-d %b %Y %H:%M UTC").to_string(),
        Lang::Fa => {
            let local = t + Duration::minutes(210);
            let d = day(lang, local.date_naive());
            format!("{d}، {}", lang.num(local.format("%H:%M")))
        }
    }
}

/// The Gregorian date of a Solar Hijri one, if it exists (years 1300–1500).
pub fn from_jalali(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(1300..=1500).contains(&y) {
        return None;
    }
    unrest_dates::solar_hijri_date(y, m, d)
}

/// The first words of a report, with what could identify a reporter removed.
pub fn first_words(text: &str, max: usize) -> String {
    // Redact a bounded opening: the whole text could be long.
    let mut cut = text.len().min(2000);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let redacted = unrest_digest::redact(&text[..cut]);
    let words: Vec<&str> = redacted.split_whitespace().collect();
    let mut out = words
        .iter()
        .take(max)
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    if words.len() > max || cut < text.len() {
        out.push_str(" …");
    }
    out
}

fn frame<'a>(
    lang: Lang,
    title: &'a str,
    path: &'a str,
    viewer: Option<&'a crate::html::Viewer>,
) -> Frame<'a> {
    Frame {
        lang,
        title,
        path,
        viewer,
        scripts: &["review.js"],
        styles: &[],
        body_class: "review",
    }
}

// ---- the queue --------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize, Clone)]
pub struct QueueQuery {
    pub lang: Option<String>,
    pub status: Option<String>,
    pub province: Option<String>,
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub channel: Option<String>,
    pub language: Option<String>,
    pub assigned: Option<String>,
    pub no_event: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
    /// What the last bulk action did, to say so.
    pub done: Option<String>,
    pub refused: Option<String>,
}

impl QueueQuery {
    fn filter(&self, me: &str) -> QueueFilter {
        QueueFilter {
            status: self.status.clone(),
            province: self.province.clone(),
            event_type: self.event_type.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            channel: self.channel.clone(),
            lang: self.language.clone(),
            assigned: match self.assigned.as_deref() {
                Some("me") => Some(me.to_string()),
                a => a.map(str::to_string),
            },
            no_event: self.no_event.as_deref().is_some_and(|v| !v.is_empty()),
            search: self.q.clone(),
            sort: self.sort.clone(),
            page: self
                .page
                .as_deref()
                .and_then(|p| p.parse().ok())
                .unwrap_or(0),
            per_page: 50,
        }
    }

    /// The query string of these filters (without paging or messages).
    fn filters_query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("status", &self.status),
            ("province", &self.province),
            ("type", &self.event_type),
            ("from", &self.from),
            ("to", &self.to),
            ("channel", &self.channel),
            ("language", &self.language),
            ("assigned", &self.assigned),
            ("no_event", &self.no_event),
            ("q", &self.q),
            ("sort", &self.sort),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| (k, v)))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

fn queue_href(q: &QueueQuery, page: u64, lang: Lang) -> String {
    let mut s = format!("/review?{}", q.filters_query());
    if page > 0 {
        s.push_str(&format!("&page={page}"));
    }
    href(&s, lang)
}

const PROVINCES: [&str; 31] = [
    "Alborz",
    "Ardabil",
    "Bushehr",
    "Chaharmahal and Bakhtiari",
    "East Azarbaijan",
    "Esfahan",
    "Fars",
    "Gilan",
    "Golestan",
    "Hamadan",
    "Hormozgan",
    "Ilam",
    "Kerman",
    "Kermanshah",
    "Khuzestan",
    "Kohgiluyeh and Buyer Ahmad",
    "Kordestan",
    "Lorestan",
    "Markazi",
    "Mazandaran",
    "North Khorasan",
    "Qazvin",
    "Qom",
    "Razavi Khorasan",
    "Semnan",
    "Sistan and Baluchestan",
    "South Khorasan",
    "Tehran",
    "West Azarbaijan",
    "Yazd",
    "Zanjan",
];

async fn queue(
    State(state): State<Shared>,
    analyst: Analyst,
    Query(mut q): Query<QueueQuery>,
    Query(jalali): Query<JalaliPeriod>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    jalali.apply(&mut q.from, &mut q.to)?;
    let filter = q.filter(&analyst.name);
    let me = analyst.name.clone();
    let (page, channels, users, lookers) = state
        .db
        .run(move |s| {
            let page = s
                .queue(&filter)
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            let channels = s.channels()?;
            let users: Vec<String> = s
                .users()?
                .into_iter()
                .filter(|u| !u.disabled)
                .map(|u| u.name)
                .collect();
            let since = Utc::now() - Duration::minutes(10);
            let mut lookers = HashMap::new();
            for r in &page.rows {
                let l = s.lookers(r.report_id, since, &me)?;
                if !l.is_empty() {
                    lookers.insert(r.report_id, l);
                }
            }
            Ok((page, channels, users, lookers))
        })
        .await?;
    let viewer = analyst.viewer();
    let page_no = q.filter(&analyst.name).page;
    let title = w(lang, "queue");
    let sel = |v: &Option<String>, x: &str| v.as_deref().unwrap_or("") == x;
    let back = format!("/review?{}", q.filters_query());
    let markup = frame(lang, title, "/review", Some(&viewer)).render(html! {
        h1 { (title) }
        @if let Some(n) = q.done.as_deref().and_then(|n| n.parse::<u64>().ok()) {
            p.notice role="status" { (w(lang, "done")) ": " (lang.num(n))
                @if let Some(r) = q.refused.as_deref().and_then(|n| n.parse::<u64>().ok()).filter(|&r| r > 0) {
                    " · " (lang.num(r)) " " (w(lang, "refused_four_eyes")) } }
        }
        p { a href=(href("/review/places", lang)) { (lang.tr().add_place) } }
        form.filters method="get" action="/review" {
            input type="hidden" name="lang" value=(lang.code());
            fieldset { legend { (w(lang, "filters")) }
            label { (w(lang, "status")) select name="status" {
                @for s in ["open", "coded", "verified", "published", "rejected", "dismissed", "all"] {
                    option value=(s) selected[sel(&q.status, s) || (q.status.is_none() && s == "open")] { (w(lang, s)) } } } }
            label { (w(lang, "province")) select name="province" {
                option value="" { (w(lang, "any")) }
                @for p in PROVINCES { option value=(p) selected[sel(&q.province, p)] { (p) } } } }
            label { (w(lang, "type")) select name="type" {
                option value="" { (w(lang, "any")) }
                @for t in crate::review::EVENT_TYPES { option value=(t) selected[sel(&q.event_type, t)] { (type_name(lang, t)) } }
                @for (s, _, _) in crate::review::CODEBOOK { option value=(s) selected[sel(&q.event_type, s)] { "— " (type_name(lang, s)) } } } }
            (date_filter(lang, w(lang, "from"), "from", q.from.as_deref()))
            (date_filter(lang, w(lang, "to"), "to", q.to.as_deref()))
            label { (w(lang, "channel")) select name="channel" {
                option value="" { (w(lang, "any")) }
                @for c in &channels { option value=(c) selected[sel(&q.channel, c)] { (c) } } } }
            label { (w(lang, "language")) select name="language" {
                option value="" { (w(lang, "any")) }
                option value="en" selected[sel(&q.language, "en")] { (w(lang, "lang_en")) }
                option value="fa" selected[sel(&q.language, "fa")] { (w(lang, "lang_fa")) } } }
            label { (w(lang, "assigned_to")) select name="assigned" {
                option value="" { (w(lang, "any")) }
                option value="none" selected[sel(&q.assigned, "none")] { (w(lang, "nobody")) }
                @for u in &users { option value=(u) selected[sel(&q.assigned, u)] { (u) } } } }
            label.check { input type="checkbox" name="no_event" value="1" checked[q.no_event.as_deref().is_some_and(|v| !v.is_empty())]; (w(lang, "no_event_only")) }
            label { (w(lang, "search")) input type="search" name="q" value=(q.q.clone().unwrap_or_default()) dir="auto"; }
            label { (w(lang, "sort")) select name="sort" {
                option value="newest" selected[sel(&q.sort, "newest")] { (w(lang, "newest")) }
                option value="oldest" selected[sel(&q.sort, "oldest")] { (w(lang, "oldest")) } } }
            button type="submit" { (w(lang, "apply")) }
            }
        }
        form.bulk method="post" action="/review/bulk" {
            input type="hidden" name="csrf" value=(viewer.csrf);
            input type="hidden" name="lang" value=(lang.code());
            input type="hidden" name="back" value=(back);
            @if page.rows.is_empty() { p.empty { (w(lang, "no_reports")) } }
            @else {
            table.queue {
                thead { tr {
                    th { input type="checkbox" .select-all title=(w(lang, "select_all")) aria-label=(w(lang, "select_all")); }
                    th { (w(lang, "report")) } th { (w(lang, "first_words")) } th { (w(lang, "language")) }
                    th { (w(lang, "channel")) } th { (w(lang, "arrival")) } th { (w(lang, "events")) }
                    th { (w(lang, "sources")) } th { (w(lang, "assigned_to")) } } }
                tbody { @for r in &page.rows {
                    tr data-report=(r.report_id) {
                        td { input type="checkbox" name="report" value=(r.report_id) aria-label=(w(lang, "select")); }
                        td { a.open href=(href(&format!("/review/reports/{}", r.report_id), lang)) { bdi { "#" (lang.num(r.report_id)) } } }
                        td.preview dir="auto" { (first_words(&r.text, 18)) }
                        td { (match r.lang.as_deref().unwrap_or_else(|| crate::submit::script_lang(&r.text)) { "en" => w(lang, "lang_en"), "fa" => w(lang, "lang_fa"), _ => w(lang, "lang_unknown") }) }
                        td { bdi { (r.channel) } }
                        td { bdi { (moment(lang, &r.received_at)) } }
                        td.events {
                            @if let Some(reason) = &r.dismissed { span.status { (w(lang, "dismissed_as")) " " (reason_name(lang, reason)) } }
                            @else if r.events.is_empty() { span.none { (w(lang, "no_events_yet")) } }
                            @for e in &r.events {
                                div.ev data-status=(e.status) { bdi { (type_name(lang, &e.sub_event_type)) " · " (e.location) " · " (day_text(lang, &e.event_date)) }
                                    " " span.status { (status_name(lang, &e.status)) } }
                            }
                        }
                        td { (lang.num(r.events.iter().map(|e| e.source_count).max().unwrap_or(0))) }
                        td { @if let Some(a) = &r.assigned_to { bdi { (a) } } @else { "—" }
                            @if let Some(l) = lookers.get(&r.report_id) { div.looking { (w(lang, "looking")) " " bdi { (l.join(", ")) } } } }
                    }
                } }
            }
            fieldset.bulk-actions { legend { (w(lang, "with_selected")) }
                label { select name="action" {
                    option value="verify" { (w(lang, "verify")) }
                    option value="publish" { (w(lang, "publish")) }
                    option value="reject" { (w(lang, "reject")) }
                    option value="assign" { (w(lang, "assign")) }
                    option value="dismiss" { (w(lang, "dismiss")) } } }
                label { (w(lang, "assigned_to")) select name="assignee" {
                    option value=(viewer.name) { (w(lang, "assign_to_me")) }
                    option value="" { (w(lang, "nobody")) }
                    @for u in &users { @if *u != viewer.name { option value=(u) { (u) } } } } }
                label { (w(lang, "reason")) select name="reason" {
                    @for r in DISMISS_REASONS { option value=(r) { (reason_name(lang, r)) } } } }
                label { (w(lang, "note")) input type="text" name="note" maxlength="1000" dir="auto"; }
                button type="submit" { (w(lang, "do")) }
            }
            }
        }
        nav.pages {
            @if page_no > 0 { a rel="prev" href=(queue_href(&q, page_no - 1, lang)) { (w(lang, "previous")) } " " }
            span { (w(lang, "page")) " " (lang.num(page_no + 1)) }
            @if page.more { " " a rel="next" href=(queue_href(&q, page_no + 1, lang)) { (w(lang, "next")) } }
        }
        p.keys { (w(lang, "keyboard")) }
    });
    Ok(markup.into_response())
}

fn reason_name(lang: Lang, reason: &str) -> &'static str {
    match reason {
        "not an event" => w(lang, "not_an_event"),
        "duplicate" => w(lang, "duplicate"),
        "out of scope" => w(lang, "out_of_scope"),
        _ => "?",
    }
}

// ---- bulk actions -----------------------------------------------------------------------

/// Applies a status to events as an analyst asked; under four eyes, publishing is refused
/// for an event the same analyst verified or that nobody verified. Returns (done, refused).
pub(crate) fn change_status(
    s: &mut unrest_store::Store,
    ids: &[i64],
    status: Status,
    by: &str,
) -> Result<(u64, u64), AppError> {
    let four_eyes = s.four_eyes()?;
    let (mut done, mut refused) = (0, 0);
    for &id in ids {
        let Some(ev) = s.event(id)? else { continue };
        if ev.status == status {
            continue;
        }
        if status == Status::Published && four_eyes {
            let verifier = s.verified_by(id)?;
            if ev.status != Status::Verified || verifier.as_deref() == Some(by) {
                refused += 1;
                continue;
            }
        }
        let now = Utc::now();
        s.set_status(&[id], &unrest_store::Filter::default(), status, by, now)?;
        s.record_change(
            by,
            now,
            status.as_str(),
            Some(id),
            ev.report_id,
            &format!("{} → {}", ev.status, status),
        )?;
        done += 1;
    }
    Ok((done, refused))
}

async fn bulk(
    State(state): State<Shared>,
    analyst: Analyst,
    headers: HeaderMap,
    body: String,
) -> Result<Response, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&body)
        .map_err(|_| AppError::BadRequest("the form could not be read".into()))?;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    analyst.check_csrf(&headers, Some(&get("csrf")))?;
    let lang = Lang::parse(&get("lang")).unwrap_or_default();
    let reports: Vec<i64> = pairs
        .iter()
        .filter(|(n, _)| n == "report")
        .filter_map(|(_, v)| v.parse().ok())
        .take(500)
        .collect();
    let mut back = get("back");
    if !back.starts_with("/review?") && back != "/review" {
        back = "/review?".into();
    }
    if reports.is_empty() {
        return Err(AppError::BadRequest(w(lang, "nothing_selected").into()));
    }
    let action = get("action");
    let by = analyst.name.clone();
    let (assignee, reason, note) = (get("assignee"), get("reason"), get("note"));
    let (done, refused) = state
        .db
        .run(move |s| {
            let status = match action.as_str() {
                "verify" => Some(Status::Verified),
                "publish" => Some(Status::Published),
                "reject" => Some(Status::Rejected),
                _ => None,
            };
            if let Some(status) = status {
                let mut ids = Vec::new();
                for &r in &reports {
                    for e in s.events_of_report(r)? {
                        let open = matches!(e.status, Status::Coded | Status::Verified);
                        if open || (status == Status::Rejected && e.status == Status::Published) {
                            ids.push(e.id);
                        }
                    }
                }
                return change_status(s, &ids, status, &by);
            }
            match action.as_str() {
                "assign" => {
                    let to = (!assignee.is_empty()).then_some(assignee.as_str());
                    s.assign(&reports, to, &by, Utc::now())
                        .map_err(|e| AppError::BadRequest(e.to_string()))?;
                }
                "dismiss" => s
                    .dismiss(&reports, &reason, &note, &by, Utc::now())
                    .map_err(|e| AppError::Conflict(e.to_string()))?,
                a => return Err(AppError::BadRequest(format!("unknown action {a:?}"))),
            }
            Ok((reports.len() as u64, 0))
        })
        .await?;
    let to = format!("{back}&done={done}&refused={refused}");
    Ok(Redirect::to(&href(&to, lang)).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct AssignForm {
    pub csrf: Option<String>,
    pub lang: Option<String>,
    pub assignee: Option<String>,
}

async fn assign_one(
    State(state): State<Shared>,
    analyst: Analyst,
    Path(id): Path<i64>,
    headers: HeaderMap,
    axum::Form(f): axum::Form<AssignForm>,
) -> Result<Response, AppError> {
    analyst.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let by = analyst.name.clone();
    let to = f.assignee.unwrap_or_default().trim().to_string();
    state
        .db
        .run(move |s| {
            s.report(id)?.ok_or(AppError::NotFound)?;
            s.assign(
                &[id],
                (!to.is_empty()).then_some(to.as_str()),
                &by,
                Utc::now(),
            )
            .map_err(|e| AppError::BadRequest(e.to_string()))
        })
        .await?;
    Ok(Redirect::to(&href(&format!("/review/reports/{id}"), lang)).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct CommentForm {
    pub csrf: Option<String>,
    pub lang: Option<String>,
    pub body: Option<String>,
    pub event: Option<String>,
}

async fn comment(
    State(state): State<Shared>,
    analyst: Analyst,
    Path(id): Path<i64>,
    headers: HeaderMap,
    axum::Form(f): axum::Form<CommentForm>,
) -> Result<Response, AppError> {
    analyst.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let by = analyst.name.clone();
    let body = f.body.unwrap_or_default();
    let event: Option<i64> = f.event.as_deref().and_then(|e| e.trim().parse().ok());
    state
        .db
        .run(move |s| {
            s.report(id)?.ok_or(AppError::NotFound)?;
            if let Some(e) = event {
                let ev = s.event(e)?.ok_or(AppError::NotFound)?;
                if ev.report_id != Some(id) {
                    return Err(AppError::BadRequest(
                        "that event is not of this report".into(),
                    ));
                }
            }
            s.comment(id, event, &body, &by, Utc::now())
                .map_err(|e| AppError::BadRequest(e.to_string()))
        })
        .await?;
    Ok(Redirect::to(&href(&format!("/review/reports/{id}#comments"), lang)).into_response())
}

// ---- settings (admins) ------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct SettingsForm {
    pub csrf: Option<String>,
    pub lang: Option<String>,
    pub four_eyes: Option<String>,
}

async fn settings_page(
    State(state): State<Shared>,
    Admin(admin): Admin,
    Query(q): Query<crate::review::LangQuery>,
    headers: HeaderMap,
) -> Result<Markup, AppError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    let (four_eyes, changes) = state
        .db
        .run(|s| Ok((s.four_eyes()?, s.recent_changes(200)?)))
        .await?;
    let viewer = admin.viewer();
    let title = w(lang, "settings");
    Ok(frame(lang, title, "/admin/settings", Some(&viewer)).render(html! {
        (crate::admin::admin_nav(lang, "/admin/settings"))
        h1 { (title) }
        form.settings method="post" action="/admin/settings" {
            input type="hidden" name="csrf" value=(viewer.csrf);
            input type="hidden" name="lang" value=(lang.code());
            label { (w(lang, "four_eyes")) select name="four_eyes" {
                option value="on" selected[four_eyes] { (w(lang, "on")) }
                option value="off" selected[!four_eyes] { (w(lang, "off")) } } }
            p.meta { (w(lang, "four_eyes_help")) }
            button type="submit" { (w(lang, "save")) }
        }
        h2 { (w(lang, "who_did_what")) }
        table.changes {
            thead { tr { th { (w(lang, "when")) } th { (w(lang, "who")) } th { (w(lang, "what")) } th { (w(lang, "report")) } } }
            tbody { @for c in &changes {
                tr { td { bdi { (moment(lang, &c.at)) } } td { bdi { (c.who) } } td { (action_name(lang, &c.action))
                        @if let Some(e) = c.event_id { " " bdi { "#" (lang.num(e)) } } }
                    td { @if let Some(r) = c.report_id { a href=(href(&format!("/review/reports/{r}"), lang)) { bdi { "#" (lang.num(r)) } } } } }
            } }
        }
    }))
}

async fn save_settings(
    State(state): State<Shared>,
    Admin(admin): Admin,
    headers: HeaderMap,
    axum::Form(f): axum::Form<SettingsForm>,
) -> Result<Response, AppError> {
    admin.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let value = match f.four_eyes.as_deref().map(str::trim) {
        Some(v @ ("on" | "off")) => v.to_string(),
        _ => return Err(AppError::BadRequest("four_eyes is on or off".into())),
    };
    let by = admin.name.clone();
    state
        .db
        .run(move |s| Ok(s.set_setting("four_eyes", &value, &by, Utc::now())?))
        .await?;
    Ok(Redirect::to(&href("/admin/settings", lang)).into_response())
}

/// The Solar Hijri year, month and day of a stored date, for the Persian picker.
pub fn jalali_parts(s: &str) -> Option<(i32, u32, u32)> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .map(unrest_digest::to_jalali)
}

/// The current Solar Hijri year, for the picker's range.
pub fn jalali_year_now() -> i32 {
    unrest_digest::to_jalali(Utc::now().date_naive()).0
}

/// The Solar Hijri pickers of a filter form's period on Persian pages (day, month and year
/// selects named `from_jd`, `from_jm`, `from_jy`, and `to_…`), read beside the form's
/// Gregorian `from` and `to`, which they replace when given.
#[derive(Debug, Default, Deserialize)]
pub struct JalaliPeriod {
    from_jy: Option<String>,
    from_jm: Option<String>,
    from_jd: Option<String>,
    to_jy: Option<String>,
    to_jm: Option<String>,
    to_jd: Option<String>,
}

impl JalaliPeriod {
    /// Writes the picked days into `from` and `to` as YYYY-MM-DD; a picker left blank leaves
    /// its date as it was, one half filled or naming no day is a bad request.
    pub fn apply(
        &self,
        from: &mut Option<String>,
        to: &mut Option<String>,
    ) -> Result<(), AppError> {
        for (name, (y, m, d), date) in [
            ("from", (&self.from_jy, &self.from_jm, &self.from_jd), from),
            ("to", (&self.to_jy, &self.to_jm, &self.to_jd), to),
        ] {
            if let Some(day) =
                jalali_day(y, m, d).map_err(|e| AppError::BadRequest(format!("{name}: {e}")))?
            {
                *date = Some(day.format("%Y-%m-%d").to_string());
            }
        }
        Ok(())
    }
}

/// The day a Solar Hijri picker (year, month and day selects) names: none when it was left
/// blank, an error naming the problem when it is half filled or names no day.
pub fn jalali_day(
    y: &Option<String>,
    m: &Option<String>,
    d: &Option<String>,
) -> Result<Option<NaiveDate>, String> {
    fn part(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    match (part(y), part(m), part(d)) {
        (None, None, None) => Ok(None),
        (Some(y), Some(m), Some(d)) => {
            let day = match (y.parse(), m.parse(), d.parse()) {
                (Ok(y), Ok(m), Ok(d)) => from_jalali(y, m, d),
                _ => None,
            };
            day.map(Some)
                .ok_or_else(|| format!("{y}/{m}/{d} is not a day of the Solar Hijri calendar"))
        }
        _ => Err("a Solar Hijri date needs a day, a month and a year".into()),
    }
}

/// A filter form's date field: on Persian pages a Solar Hijri picker (see [`JalaliPeriod`];
/// `name` is `from` or `to`), elsewhere the browser's date input. `value` is the stored
/// Gregorian date the form shows.
pub fn date_filter(lang: Lang, label: &str, name: &str, value: Option<&str>) -> Markup {
    match lang {
        Lang::En => html! { label { (label) input type="date" name=(name) value=[value]; } },
        Lang::Fa => {
            let (jy, jm, jd) = value.and_then(jalali_parts).unwrap_or((0, 0, 0));
            let blank = "—";
            html! {
                fieldset.jalali-filter {
                    legend { (label) }
                    select name={(name) "_jd"} aria-label=(w(lang, "day")) {
                        option value="" { (blank) }
                        @for d in 1..=31u32 { option value=(d) selected[d == jd] { (lang.num(d)) } }
                    }
                    select name={(name) "_jm"} aria-label=(w(lang, "month")) {
                        option value="" { (blank) }
                        @for (m, month) in jalali_months().iter().enumerate() {
                            option value=(m + 1) selected[m as u32 + 1 == jm] { (month) }
                        }
                    }
                    select name={(name) "_jy"} aria-label=(w(lang, "year")) {
                        option value="" { (blank) }
                        @for y in (1390..=jalali_year_now().max(jy)).rev() { option value=(y) selected[y == jy] { (lang.num(y)) } }
                    }
                }
            }
        }
    }
}

/// Persian month names, for the picker.
pub fn jalali_months() -> &'static [String] {
    &words(Lang::Fa).months
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_of_the_analysts_pages_is_in_both_languages() {
        let (en_words, fa_words) = (words(Lang::En), words(Lang::Fa));
        let en: Vec<&String> = en_words.words.keys().collect();
        for k in &en {
            assert!(fa_words.words.contains_key(*k), "fa.toml lacks {k}");
        }
        for k in fa_words.words.keys() {
            assert!(en_words.words.contains_key(k), "en.toml lacks {k}");
        }
        assert_eq!(fa_words.months.len(), 12);
        for (s, t, _) in crate::review::CODEBOOK {
            assert!(fa_words.types.contains_key(s), "no Persian name for {s}");
            assert!(fa_words.types.contains_key(t), "no Persian name for {t}");
        }
    }

    #[test]
    fn a_solar_hijri_date_picked_is_stored_as_its_gregorian_date() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(from_jalali(1401, 6, 25), Some(d(2022, 9, 16)));
        assert_eq!(from_jalali(1401, 8, 4), Some(d(2022, 10, 26)));
        assert_eq!(from_jalali(1402, 1, 1), Some(d(2023, 3, 21)));
        assert_eq!(from_jalali(1403, 12, 30), Some(d(2025, 3, 20)));
        assert_eq!(from_jalali(1401, 12, 30), None, "1401 is not a leap year");
        assert_eq!(from_jalali(1401, 7, 31), None, "Mehr has 30 days");
        for day in 0..800 {
            let g = d(2021, 1, 1) + Duration::days(day);
            let (y, m, dd) = unrest_digest::to_jalali(g);
            assert_eq!(from_jalali(y, m, dd), Some(g));
        }
    }

    #[test]
    fn a_queue_row_shows_the_first_words_with_the_reporter_redacted() {
        let t = "My name is Dariush Testname, call me on +989125550199. Crowds gathered at the bazaar and chanted for an hour while police watched from the square";
        let s = first_words(t, 18);
        assert!(!s.contains("0199"), "{s}");
        assert!(s.ends_with('…'));
        assert!(
            first_words("<b>x</b>", 5).contains("<b>"),
            "escaped by the page, not here"
        );
    }

    #[test]
    fn arrival_is_shown_in_the_analysts_locale() {
        assert_eq!(
            moment(Lang::En, "2022-09-21T18:05:00Z"),
            "21 Sep 2022 18:05 UTC"
        );
        // 21:35 in Tehran, 30 Shahrivar 1401, in Persian digits.
        assert_eq!(
            moment(Lang::Fa, "2022-09-21T18:05:00Z"),
            "۳۰ شهریور ۱۴۰۱، ۲۱:۳۵"
        );
    }
}
