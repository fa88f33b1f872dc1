//! The analysts' side: login and logout, the review queue, a report with its coded events
//! and the evidence words highlighted, editing an event (validated against the codebook and
//! the gazetteer), verify / publish / reject, merging two events, adding a place; and the
//! admins' user management. Every change goes through the store with who and when.
//!
//! Every route here needs a session ([`Analyst`] or [`Admin`]); every POST checks the
//! session's CSRF token. This module never shows a reporter's identity: there is none.

use crate::auth::{self, Admin, Analyst};
use crate::error::AppError;
use crate::html::{highlighted, href, Frame};
use crate::i18n::Lang;
use crate::security::same_site;
use crate::workspace::w;
use crate::Shared;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{NaiveDate, Utc};
use maud::{html, Markup};
use serde::Deserialize;
use std::sync::Arc;
use unrest_gazetteer::PlaceKind;
use unrest_store::{NewPlace, Role};
use unrest_store::{Status, StoredEvent};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/review/reports/{id}", get(report_page))
        .route("/review/media/{sha256}", get(media))
        .route("/review/events/{id}/edit", post(edit))
        .route("/review/events/{id}/status", post(set_status))
        .route("/review/events/{id}/merge", post(merge))
        .route("/review/events/{id}/split", post(split))
        .route("/review/events/{id}/apart", post(keep_apart))
        .route("/review/places", get(places_page).post(add_place))
        .route("/review/places/near", get(nearest_place))
        .route("/review/places/around", get(places_around))
        .route("/admin/users", get(users_page).post(add_user))
        .route("/admin/users/{id}", post(update_user))
        .route("/admin/users/{id}/password", post(reset_password))
}

/// The codebook's event types, in its order.
pub const EVENT_TYPES: [&str; 6] = [
    "Protests",
    "Riots",
    "Violence against civilians",
    "Strategic developments",
    "Battles",
    "Explosions/Remote violence",
];

/// The codebook: sub-event type → (event type, disorder type).
pub const CODEBOOK: [(&str, &str, &str); 25] = [
    ("Peaceful protest", "Protests", "Demonstrations"),
    ("Protest with intervention", "Protests", "Demonstrations"),
    (
        "Excessive force against protesters",
        "Protests",
        "Political violence; Demonstrations",
    ),
    ("Violent demonstration", "Riots", "Demonstrations"),
    ("Mob violence", "Riots", "Political violence"),
    ("Attack", "Violence against civilians", "Political violence"),
    (
        "Sexual violence",
        "Violence against civilians",
        "Political violence",
    ),
    (
        "Abduction/forced disappearance",
        "Violence against civilians",
        "Political violence",
    ),
    (
        "Arrests",
        "Strategic developments",
        "Strategic developments",
    ),
    (
        "Looting/property destruction",
        "Strategic developments",
        "Strategic developments",
    ),
    (
        "Change to group/activity",
        "Strategic developments",
        "Strategic developments",
    ),
    (
        "Headquarters or base established",
        "Strategic developments",
        "Strategic developments",
    ),
    (
        "Agreement",
        "Strategic developments",
        "Strategic developments",
    ),
    (
        "Disrupted weapons use",
        "Strategic developments",
        "Strategic developments",
    ),
    (
        "Non-violent transfer of territory",
        "Strategic developments",
        "Strategic developments",
    ),
    ("Other", "Strategic developments", "Strategic developments"),
    ("Armed clash", "Battles", "Political violence"),
    (
        "Government regains territory",
        "Battles",
        "Political violence",
    ),
    (
        "Non-state actor overtakes territory",
        "Battles",
        "Political violence",
    ),
    (
        "Air/drone strike",
        "Explosions/Remote violence",
        "Political violence",
    ),
    (
        "Shelling/artillery/missile attack",
        "Explosions/Remote violence",
        "Political violence",
    ),
    (
        "Remote explosive/landmine/IED",
        "Explosions/Remote violence",
        "Political violence",
    ),
    (
        "Grenade",
        "Explosions/Remote violence",
        "Political violence",
    ),
    (
        "Suicide bomb",
        "Explosions/Remote violence",
        "Political violence",
    ),
    (
        "Chemical weapon",
        "Explosions/Remote violence",
        "Political violence",
    ),
];

#[derive(Debug, Default, Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
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
        scripts: &["leaflet.js", "review.js"],
        styles: &["leaflet.css"],
        body_class: "review",
    }
}

// ---- login ------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    pub name: Option<String>,
    pub password: Option<String>,
    pub lang: Option<String>,
}

fn login_markup(lang: Lang, failed: bool) -> Markup {
    let t = lang.tr();
    frame(lang, t.login_title, "/login", None).render(html! {
        h1 { (t.login_title) }
        @if failed { p.error role="alert" { (t.login_failed) } }
        form.login method="post" action="/login" {
            input type="hidden" name="lang" value=(lang.code());
            label { (t.user_name) input type="text" name="name" required autocomplete="username" dir="ltr"; }
            label { (t.password) input type="password" name="password" required autocomplete="current-password" dir="ltr"; }
            button type="submit" { (t.nav_login) }
        }
    })
}

async fn login_page(Query(q): Query<LangQuery>, headers: HeaderMap) -> Markup {
    login_markup(Lang::pick(q.lang.as_deref(), &headers), false)
}

/// Login is protected against cross-site posting by the same-site check (there is no
/// session yet to hold a token) and by the strict cookie it sets.
async fn login(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    same_site(&headers)?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let name = f.name.unwrap_or_default();
    let password = f.password.unwrap_or_default();
    if password.len() > 1024 || name.len() > 256 {
        return Ok((StatusCode::UNAUTHORIZED, login_markup(lang, true)).into_response());
    }
    let token = state
        .db
        .run(move |s| {
            if auth::Throttle::locked(s, &name)? {
                return Ok(Err(()));
            }
            let token = auth::login(s, &name, &password)?;
            match token {
                None => auth::Throttle::failed(s, &name)?,
                Some(_) => auth::Throttle::succeeded(s, &name)?,
            }
            Ok(Ok(token))
        })
        .await?;
    match token {
        Err(()) => Ok((StatusCode::TOO_MANY_REQUESTS, login_markup(lang, true)).into_response()),
        Ok(None) => Ok((StatusCode::UNAUTHORIZED, login_markup(lang, true)).into_response()),
        Ok(Some(token)) => Ok((
            [(
                header::SET_COOKIE,
                auth::cookie(&token, state.secure_cookies),
            )],
            Redirect::to(&href("/review", lang)),
        )
            .into_response()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct CsrfForm {
    pub csrf: Option<String>,
}

async fn logout(
    State(state): State<Shared>,
    analyst: Analyst,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    analyst.check_csrf(&headers, f.csrf.as_deref())?;
    let h = analyst.token_hash.clone();
    state.db.run(move |s| Ok(s.delete_session(&h)?)).await?;
    Ok((
        [(header::SET_COOKIE, auth::cookie("", state.secure_cookies))],
        Redirect::to("/"),
    )
        .into_response())
}

// ---- one report -------------------------------------------------------------------------

/// A report's photo, for analysts only: the scrubbed copy, the only one the server has.
async fn media(
    State(state): State<Shared>,
    _analyst: Analyst,
    Path(sha256): Path<String>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let found = state.db.run(move |s| Ok(s.media(&sha256)?)).await?;
    let m = found.ok_or(AppError::NotFound)?;
    // Only the types the scrubber writes are served as images; anything else downloads.
    let media_type = match m.media_type.as_str() {
        "image/jpeg" | "image/png" => m.media_type,
        _ => "application/octet-stream".to_string(),
    };
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, media_type),
            (
                axum::http::header::CACHE_CONTROL,
                "private, max-age=3600".to_string(),
            ),
        ],
        m.bytes,
    )
        .into_response())
}

async fn report_page(
    State(state): State<Shared>,
    analyst: Analyst,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Markup, AppError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    render_report(&state, &analyst, id, lang, None).await
}

async fn render_report(
    state: &Shared,
    analyst: &Analyst,
    id: i64,
    lang: Lang,
    error: Option<String>,
) -> Result<Markup, AppError> {
    let t = lang.tr();
    let me = analyst.name.clone();
    let page = state
        .db
        .run(move |s| {
            let report = s.report(id)?.ok_or(AppError::NotFound)?;
            let now = Utc::now();
            s.looking(id, &me, now)?;
            let events = s.events_of_report(id)?;
            let mut incidents = Vec::with_capacity(events.len());
            let mut candidates = Vec::with_capacity(events.len());
            for e in &events {
                incidents.push(match s.incident(e.id)? {
                    Some(i) => {
                        let members = s.incident_members(&i)?;
                        Some((i, members))
                    }
                    None => None,
                });
                candidates.push(if e.status == Status::Rejected {
                    Vec::new()
                } else {
                    s.duplicate_candidates(e.id, 3)?
                });
            }
            let mut verifiers = std::collections::HashMap::new();
            for e in &events {
                if let Some(v) = s.verified_by(e.id)? {
                    verifiers.insert(e.id, v);
                }
            }
            Ok(ReportPage {
                followups: s.followups(id)?,
                changes: s.changes(None, Some(id))?,
                photos: s.media_of_report(id)?,
                comments: s.comments(id)?,
                dismissal: s.dismissal(id)?,
                assignee: s.assignee(id)?,
                lookers: s.lookers(id, now - chrono::Duration::minutes(10), &me)?,
                users: s
                    .users()?
                    .into_iter()
                    .filter(|u| !u.disabled)
                    .map(|u| u.name)
                    .collect(),
                neighbours: s.queue_neighbours(id)?,
                report,
                events: events
                    .into_iter()
                    .zip(incidents)
                    .zip(candidates)
                    .map(|((e, i), c)| (e, i, c))
                    .collect(),
                verifiers,
            })
        })
        .await?;
    let spans: Vec<(usize, usize, String)> = page
        .events
        .iter()
        .map(|(e, _, _)| e)
        .flat_map(|e| {
            e.event
                .evidence
                .iter()
                .map(move |ev| (ev.start, ev.end, format!("{} (#{})", ev.field, e.id)))
        })
        .collect();
    let mut fields: Vec<String> = page
        .events
        .iter()
        .flat_map(|(e, _, _)| e.event.evidence.iter().map(|ev| ev.field.clone()))
        .collect();
    fields.sort();
    fields.dedup();
    let viewer = analyst.viewer();
    let path = format!("/review/reports/{id}");
    let title = format!("{} #{}", t.report, lang.num(id));
    let gaz = state
        .coder
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let mut places: Vec<&str> = gaz
        .gazetteer()
        .places()
        .iter()
        .filter(|p| {
            matches!(
                p.kind,
                PlaceKind::City | PlaceKind::District | PlaceKind::Landmark | PlaceKind::Province
            )
        })
        .map(|p| p.name.as_str())
        .collect();
    places.sort_unstable();
    places.dedup();
    let mut provinces: Vec<&str> = gaz
        .gazetteer()
        .places()
        .iter()
        .filter(|p| p.kind == PlaceKind::Province)
        .map(|p| p.name.as_str())
        .collect();
    provinces.sort_unstable();
    provinces.dedup();
    let report = &page.report;
    Ok(frame(lang, &title, &path, Some(&viewer)).render(html! {
        nav.neighbours {
            a href=(href("/review", lang)) { (w(lang, "back_to_queue")) }
            @if let Some(p) = page.neighbours.0 { " · " a rel="prev" href=(href(&format!("/review/reports/{p}"), lang)) { (w(lang, "previous_report")) } }
            @if let Some(n) = page.neighbours.1 { " · " a rel="next" href=(href(&format!("/review/reports/{n}"), lang)) { (w(lang, "next_report")) } }
        }
        h1 { bdi { (title) } }
        @if let Some(e) = &error { p.error role="alert" { (e) } }
        p.meta { (w(lang, "received")) ": " bdi { (crate::workspace::moment(lang, &report.received_at)) } " · " bdi { (report.channel) } }
        @if !page.lookers.is_empty() { p.looking role="status" { (w(lang, "looking")) " " bdi { (page.lookers.join(", ")) } } }
        @if let Some((reason, note)) = &page.dismissal {
            p.dismissed { (w(lang, "dismissed_as")) " " (reason_word(lang, reason)) @if !note.is_empty() { " · " bdi { (note) } } }
        }
        form.assign.inline method="post" action={"/review/reports/" (id) "/assign"} {
            input type="hidden" name="csrf" value=(viewer.csrf);
            input type="hidden" name="lang" value=(lang.code());
            label { (w(lang, "assigned_to")) " "
                select name="assignee" {
                    option value="" selected[page.assignee.is_none()] { (w(lang, "nobody")) }
                    @for u in &page.users { option value=(u) selected[page.assignee.as_deref() == Some(u.as_str())] { (u) } } } }
            button type="submit" { (w(lang, "assign")) }
        }
        @if page.assignee.as_deref() != Some(viewer.name.as_str()) {
            form.assign-me.inline method="post" action={"/review/reports/" (id) "/assign"} {
                input type="hidden" name="csrf" value=(viewer.csrf);
                input type="hidden" name="lang" value=(lang.code());
                input type="hidden" name="assignee" value=(viewer.name);
                button.secondary type="submit" { (w(lang, "assign_to_me")) }
            }
        }
        section.report {
            h2 { (t.report) }
            @if !fields.is_empty() {
                ul.legend aria-label=(w(lang, "evidence_legend")) {
                    @for f in &fields { li { span class={"swatch f-" (crate::html::field_class(f))} {} (field_word(lang, f)) } }
                }
            }
            pre.report-text dir="auto" { (highlighted(&report.report.text, &spans)) }
        }
        @if !page.photos.is_empty() {
            section.photos {
                @for (sha, _) in &page.photos {
                    a href=(format!("/review/media/{sha}")) {
                        img src=(format!("/review/media/{sha}")) alt="" loading="lazy" width="320";
                    }
                }
            }
        }
        @if !page.followups.is_empty() {
            section.followups {
                h2 { (w(lang, "followups")) }
                @for f in &page.followups { blockquote dir="auto" { (f.text) } p.meta { bdi { (crate::workspace::moment(lang, &f.received_at)) } } }
            }
        }
        datalist #places { @for p in &places { option value=(p) {} } }
        datalist #provinces { @for p in &provinces { option value=(p) {} } }
        section.events {
            h2 { (w(lang, "events")) }
            @if page.events.is_empty() { p { (w(lang, "no_events_yet")) } }
            @for (e, incident, candidates) in &page.events {
                (event_form(lang, &viewer.csrf, e, page.verifiers.get(&e.id)))
                (incident_box(lang, &viewer.csrf, e, incident.as_ref()))
                (duplicates_box(lang, &viewer.csrf, e, candidates))
            }
        }
        section.comments #comments {
            h2 { (w(lang, "comments")) }
            @for c in &page.comments {
                article.comment {
                    p.meta { bdi { (c.author) } " · " bdi { (crate::workspace::moment(lang, &c.written_at)) }
                        @if let Some(e) = c.event_id { " · " (w(lang, "event")) " " bdi { "#" (lang.num(e)) } } }
                    p dir="auto" { (c.body) }
                }
            }
            form.comment method="post" action={"/review/reports/" (id) "/comments"} {
                input type="hidden" name="csrf" value=(viewer.csrf);
                input type="hidden" name="lang" value=(lang.code());
                label { (w(lang, "on_event")) select name="event" {
                    option value="" { (w(lang, "whole_report")) }
                    @for (e, _, _) in &page.events { option value=(e.id) { "#" (lang.num(e.id)) } } } }
                label.wide { (w(lang, "add_comment")) textarea name="body" rows="2" required maxlength="5000" dir="auto" {} }
                button type="submit" { (w(lang, "add_comment")) }
            }
        }
        @if !page.changes.is_empty() {
            section.history {
                h2 { (w(lang, "history")) }
                ul { @for c in &page.changes {
                    li { bdi { (crate::workspace::moment(lang, &c.at)) } " · " strong { bdi { (c.who) } } " · "
                        (crate::workspace::action_name(lang, &c.action))
                        @if let Some(e) = c.event_id { " " bdi { "#" (lang.num(e)) } }
                        @if let Some(d) = history_detail(lang, c) { " · " bdi { (d) } } }
                } }
            }
        }
        p.keys { (w(lang, "keyboard")) }
    }))
}

/// An incident and its events.
type Incident = (unrest_store::StoredIncident, Vec<StoredEvent>);

struct ReportPage {
    report: unrest_store::StoredReport,
    /// Each event, its incident with the incident's events, and its suggested duplicates.
    events: Vec<(StoredEvent, Option<Incident>, Vec<StoredEvent>)>,
    followups: Vec<unrest_store::Followup>,
    changes: Vec<unrest_store::Change>,
    photos: Vec<(String, String)>,
    comments: Vec<unrest_store::Comment>,
    dismissal: Option<(String, String)>,
    assignee: Option<String>,
    lookers: Vec<String>,
    users: Vec<String>,
    neighbours: (Option<i64>, Option<i64>),
    verifiers: std::collections::HashMap<i64, String>,
}

fn reason_word(lang: Lang, reason: &str) -> &'static str {
    match reason {
        "not an event" => w(lang, "not_an_event"),
        "duplicate" => w(lang, "duplicate"),
        _ => w(lang, "out_of_scope"),
    }
}

/// An evidence field in words ("Place", "Killed").
fn field_word(lang: Lang, field: &str) -> String {
    let key = match field {
        "event_date" => "date",
        f => f,
    };
    let word = w(lang, key);
    if word == "?" {
        field.to_string()
    } else {
        word.to_string()
    }
}

/// What a history line adds to its action, in the page's words: a status change as
/// "from → to", a dismissal's reason, a comment's words, an edit's fields by name.
fn history_detail(lang: Lang, c: &unrest_store::Change) -> Option<String> {
    let d = c.detail.trim();
    if d.is_empty() {
        return None;
    }
    match c.action.as_str() {
        "verified" | "published" | "rejected" => {
            let (a, b) = d.split_once(" → ")?;
            Some(format!(
                "{} → {}",
                crate::workspace::status_name(lang, a.trim()),
                crate::workspace::status_name(lang, b.trim())
            ))
        }
        "dismiss" => {
            let (reason, note) = d.split_once(": ").unwrap_or((d, ""));
            let r = reason_word(lang, reason);
            Some(if note.is_empty() {
                r.to_string()
            } else {
                format!("{r}: {note}")
            })
        }
        "edit" => Some(
            d.split("; ")
                .map(|part| match part.split_once(": ") {
                    Some((k, rest)) => format!("{}: {}", field_word(lang, k), rest),
                    None => part.to_string(),
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        "assign" => Some(match d.strip_prefix("assigned to ") {
            Some("nobody") => w(lang, "nobody").to_string(),
            Some(u) => u.to_string(),
            None => d.to_string(),
        }),
        "merge" => {
            let n: Vec<&str> = d
                .split(|c: char| !c.is_ascii_digit())
                .filter(|p| !p.is_empty())
                .collect();
            match n[..] {
                [from, into] => Some(
                    w(lang, "merged_into")
                        .replace("{from}", &lang.num(from))
                        .replace("{into}", &lang.num(into)),
                ),
                _ => Some(d.to_string()),
            }
        }
        "keep_apart" | "split" => None,
        _ => Some(d.to_string()),
    }
}

/// Events of other reports that may be the same incident, side by side with this one,
/// each with "merge" and "keep apart".
fn duplicates_box(lang: Lang, csrf: &str, se: &StoredEvent, candidates: &[StoredEvent]) -> Markup {
    let row = |e: &StoredEvent| {
        let ev = &e.event;
        html! {
            dl {
                dt { (w(lang, "sub_event_type")) } dd { (crate::workspace::type_name(lang, &ev.sub_event_type)) }
                dt { (w(lang, "location")) } dd { bdi { (ev.location) } }
                dt { (w(lang, "date")) } dd { (crate::workspace::day_text(lang, &ev.event_date)) }
                dt { (w(lang, "fatalities")) } dd { (lang.num(ev.fatalities)) }
                dt { (w(lang, "notes")) } dd dir="auto" { (ev.notes) }
            }
        }
    };
    html! {
        section.duplicates id={"duplicates-of-" (se.id)} {
            h4 { (w(lang, "possible_duplicates")) }
            @if candidates.is_empty() { p.meta { (w(lang, "duplicates_none")) } }
            @for c in candidates {
                div.side-by-side data-candidate=(c.id) {
                    div { h5 { (w(lang, "this_event")) " " bdi { "#" (lang.num(se.id)) } } (row(se)) }
                    div { h5 { (w(lang, "candidate")) " "
                            @match c.report_id {
                                Some(r) => a href=(href(&format!("/review/reports/{r}#event-{}", c.id), lang)) { bdi { "#" (lang.num(c.id)) } },
                                None => bdi { "#" (lang.num(c.id)) },
                            } }
                        (row(c)) }
                    div.actions {
                        form.inline method="post" action={"/review/events/" (c.id) "/merge"} {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="hidden" name="lang" value=(lang.code());
                            input type="hidden" name="into" value=(se.id);
                            button.merge type="submit" { (w(lang, "merge")) }
                        }
                        form.inline method="post" action={"/review/events/" (se.id) "/apart"} {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="hidden" name="lang" value=(lang.code());
                            input type="hidden" name="other" value=(c.id);
                            button.secondary.apart type="submit" { (w(lang, "keep_apart")) }
                        }
                    }
                }
            }
        }
    }
}

/// The incident an event joined: its published row, its other events (with their
/// reports) and, when it has any, a button to split this event off.
fn incident_box(
    lang: Lang,
    csrf: &str,
    se: &StoredEvent,
    incident: Option<&(unrest_store::StoredIncident, Vec<StoredEvent>)>,
) -> Markup {
    let t = lang.tr();
    let Some((i, members)) = incident else {
        return html! { p.incident.meta id={"incident-of-" (se.id)} { (t.no_incident) } };
    };
    let e = &i.stored.event;
    let others: Vec<&StoredEvent> = members.iter().filter(|m| m.id != se.id).collect();
    html! {
        section.incident id={"incident-of-" (se.id)} data-incident=(i.id()) data-sources=(i.corroboration.source_count) {
            h4 { (t.incident) " " bdi { "#" (lang.num(i.id())) " · " (crate::workspace::type_name(lang, &e.sub_event_type)) " · " (e.location) " · " (crate::workspace::day_text(lang, &e.event_date)) } }
            p.meta { bdi { (t.fatalities) " " (lang.num(e.fatalities)) " · " (t.sources) " " (lang.num(i.corroboration.source_count))
                " · " (i.corroboration.grade) " · " (e.source) } }
            @if !others.is_empty() {
                ul.members { @for m in &others {
                    li { @match m.report_id {
                        Some(r) => a href=(href(&format!("/review/reports/{r}#event-{}", m.id), lang)) {
                            bdi { "#" (lang.num(m.id)) " · " (m.event.location) " · " (crate::workspace::day_text(lang, &m.event.event_date)) " · " (lang.num(m.event.fatalities)) } },
                        None => bdi { "#" (lang.num(m.id)) " · " (m.event.event_id_cnty) " · " (m.event.location) " · " (crate::workspace::day_text(lang, &m.event.event_date)) },
                    } }
                } }
                form.split method="post" action={"/review/events/" (se.id) "/split"} {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="lang" value=(lang.code());
                    button type="submit" { (t.split_off) }
                }
            }
        }
    }
}

fn event_form(lang: Lang, csrf: &str, se: &StoredEvent, verifier: Option<&String>) -> Markup {
    let e = &se.event;
    let opt = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let label = |key: &str| w(lang, key);
    let help = |key: &str| w(lang, &format!("help_{key}"));
    let ty = |n: &str| crate::workspace::type_name(lang, n);
    let jalali = crate::workspace::jalali_parts(&e.event_date);
    let this_year = crate::workspace::jalali_year_now();
    html! {
        article.event-card id={"event-" (se.id)} data-status=(se.status.as_str()) {
            h3 { bdi { "#" (lang.num(se.id)) " · " (ty(&e.sub_event_type)) " · " (e.location) " · " (crate::workspace::day_text(lang, &e.event_date)) }
                " " span.status { (crate::workspace::status_name(lang, se.status.as_str())) } }
            @if let (Some(by), Some(at)) = (&se.updated_by, &se.updated_at) {
                p.meta { bdi { (by) } " · " bdi { (crate::workspace::moment(lang, at)) }
                    @if let Some(v) = verifier { " · " (label("who_verified")) " " bdi { (v) } } }
            }
            form.edit method="post" action={"/review/events/" (se.id) "/edit"} {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="lang" value=(lang.code());
                div.grid {
                    @if let (Lang::Fa, Some((jy, jm, jd))) = (lang, jalali) {
                        fieldset.jalali data-evidence="event_date" title=(help("date")) {
                            legend { (label("date")) }
                            label { (label("day")) select name="jd" {
                                @for d in 1..=31u32 { option value=(d) selected[d == jd] { (lang.num(d)) } } } }
                            label { (label("month")) select name="jm" {
                                @for (m, name) in crate::workspace::jalali_months().iter().enumerate() {
                                    option value=(m + 1) selected[m as u32 + 1 == jm] { (name) } } } }
                            label { (label("year")) select name="jy" {
                                @for y in (1390..=this_year.max(jy)).rev() { option value=(y) selected[y == jy] { (lang.num(y)) } } } }
                            input type="hidden" name="event_date" value=(e.event_date);
                        }
                    } @else {
                        label data-evidence="event_date" title=(help("date")) { (label("date")) input type="date" name="event_date" value=(e.event_date) required; }
                    }
                    label data-evidence="time_precision" title=(help("time_precision")) { (label("time_precision")) select name="time_precision" {
                        @for p in 1..=3u8 { option value=(p) selected[e.time_precision == p] { (label(&format!("tp{p}"))) } } } }
                    label data-evidence="event_type sub_event_type" title=(help("event_type")) { (label("event_type")) select name="event_type" {
                        @for t in EVENT_TYPES { option value=(t) selected[e.event_type == t] { (ty(t)) } } } }
                    label data-evidence="sub_event_type event_type" title=(help("sub_event_type")) { (label("sub_event_type")) select name="sub_event_type" {
                        @for t in EVENT_TYPES { optgroup label=(ty(t)) data-type=(t) {
                            @for (sub, _, _) in CODEBOOK.iter().filter(|(_, k, _)| *k == t) {
                                option value=(sub) selected[e.sub_event_type == *sub] { (ty(sub)) } } } } } }
                    label data-evidence="location" title=(help("location")) { (label("location")) input type="text" name="location" value=(e.location) list="places" required; }
                    label data-evidence="admin1" title=(help("admin1")) { (label("admin1")) input type="text" name="admin1" value=(e.admin1) list="provinces"; }
                    label { (label("latitude")) input type="text" name="latitude" value=(format!("{:.4}", e.latitude)) inputmode="decimal"; }
                    label { (label("longitude")) input type="text" name="longitude" value=(format!("{:.4}", e.longitude)) inputmode="decimal"; }
                    label data-evidence="geo_precision" title=(help("geo_precision")) { (label("geo_precision")) select name="geo_precision" {
                        @for p in 1..=3u8 { option value=(p) selected[e.geo_precision == p] { (label(&format!("gp{p}"))) } } } }
                    @for (key, value) in [("actor1", &e.actor1), ("assoc_actor_1", &e.assoc_actor_1), ("actor2", &e.actor2), ("assoc_actor_2", &e.assoc_actor_2)] {
                        label title=(help(key)) data-evidence=(key) { (label(key)) input type="text" name=(key) value=(value) dir="auto"; }
                    }
                    label title=(help("interaction")) data-evidence="interaction" { (label("interaction")) select name="interaction" {
                        @if !interactions().contains(&e.interaction) {
                            option value=(e.interaction) selected { (e.interaction) } }
                        @for i in interactions() { option value=(i) selected[e.interaction == i] { (interaction_name(lang, &i)) } } } }
                    label data-evidence="fatalities" title=(help("fatalities")) { (label("fatalities")) input type="number" min="0" name="fatalities" value=(e.fatalities); }
                    label data-evidence="injuries" title=(help("injuries")) { (label("injuries")) input type="number" min="0" name="injuries" value=(opt(e.injuries)); }
                    label data-evidence="arrests" title=(help("arrests")) { (label("arrests")) input type="number" min="0" name="arrests" value=(opt(e.arrests)); }
                    label data-evidence="source" title=(help("source")) { (label("source")) input type="text" name="source" value=(e.source) dir="auto"; }
                    label data-evidence="tags" title=(help("tags")) { (label("tags")) input type="text" name="tags" value=(e.tags) dir="auto"; }
                    label data-evidence="confidence" title=(help("confidence")) { (label("confidence")) input type="number" min="0" max="1" step="0.01" name="confidence" value=(format!("{:.2}", e.confidence)); }
                }
                div.pick hidden data-lat=(format!("{:.4}", e.latitude)) data-lon=(format!("{:.4}", e.longitude)) {
                    button.secondary type="button" { (label("pick_on_map")) }
                    div.pickmap {}
                }
                label.wide title=(help("notes")) { (label("notes")) textarea name="notes" rows="3" dir="auto" { (e.notes) } }
                button type="submit" { (label("save")) }
            }
            div.actions {
                @for (action, key) in [("verified", "verify"), ("published", "publish"), ("rejected", "reject")] {
                    form.inline method="post" action={"/review/events/" (se.id) "/status"} {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="lang" value=(lang.code());
                        input type="hidden" name="status" value=(action);
                        button type="submit" class={"status-" (action)} disabled[se.status.as_str() == action] { (label(key)) }
                    }
                }
            }
        }
    }
}

/// ACLED's actor categories, in the codebook's order (the order an interaction names them).
const ACTOR_CATEGORIES: [&str; 8] = [
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
];

/// Every interaction the codebook allows: one category alone ("Protesters only"), or two in
/// the codebook's order ("State forces-Protesters").
fn interactions() -> Vec<String> {
    let mut out = Vec::with_capacity(36);
    for (i, a) in ACTOR_CATEGORIES.iter().enumerate() {
        out.push(format!("{a} only"));
        for b in &ACTOR_CATEGORIES[i..] {
            out.push(format!("{a}-{b}"));
        }
    }
    out
}

/// An interaction in the page's words, its categories translated.
pub(crate) fn interaction_name(lang: Lang, interaction: &str) -> String {
    let ty = |n: &str| crate::workspace::type_name(lang, n);
    match interaction.strip_suffix(" only") {
        Some(a) => w(lang, "inter_only").replace("{a}", &ty(a)),
        None => match split_interaction(interaction) {
            Some((a, b)) => format!("{} – {}", ty(a), ty(b)),
            None => interaction.to_string(),
        },
    }
}

/// "State forces-Protesters" → its two categories ("External/Other forces" has no dash).
fn split_interaction(i: &str) -> Option<(&str, &str)> {
    ACTOR_CATEGORIES.iter().find_map(|a| {
        let rest = i.strip_prefix(a)?.strip_prefix('-')?;
        ACTOR_CATEGORIES.contains(&rest).then_some((*a, rest))
    })
}

/// Sets an event's interaction and the categories of its two sides: a side keeps its
/// category when the interaction still names it, so actor 1 stays actor 1.
fn set_interaction(event: &mut unrest_model::Event, i: &str) -> Result<(), String> {
    if !interactions().iter().any(|x| x == i) {
        return Err(format!("{i:?} is not an interaction of the codebook"));
    }
    match i.strip_suffix(" only") {
        Some(a) => {
            event.inter1 = a.to_string();
            event.inter2 = String::new();
        }
        None => {
            let (a, b) = split_interaction(i).ok_or("not an interaction")?;
            let (one, two) = if event.inter1 == b || event.inter2 == a {
                (b, a)
            } else {
                (a, b)
            };
            event.inter1 = one.to_string();
            event.inter2 = two.to_string();
        }
    }
    event.interaction = i.to_string();
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
pub struct NearQuery {
    pub lat: Option<String>,
    pub lon: Option<String>,
}

impl NearQuery {
    /// The point asked about; both coordinates are required.
    fn point(&self) -> Result<(f64, f64), AppError> {
        let lat = coord("latitude", &self.lat, 90.0)
            .map_err(AppError::BadRequest)?
            .ok_or_else(|| AppError::BadRequest("latitude is required".into()))?;
        let lon = coord("longitude", &self.lon, 180.0)
            .map_err(AppError::BadRequest)?
            .ok_or_else(|| AppError::BadRequest("longitude is required".into()))?;
        Ok((lat, lon))
    }
}

/// The gazetteer's town nearest a point picked on the map, with its province, so that the
/// picker fills the place and province as well as the coordinates.
async fn nearest_place(
    State(state): State<Shared>,
    _analyst: Analyst,
    Query(q): Query<NearQuery>,
) -> Result<axum::Json<serde_json::Value>, AppError> {
    let (lat, lon) = q.point()?;
    let coder = state
        .coder
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let place = coder
        .gazetteer()
        .nearest_city(lat, lon)
        .ok_or(AppError::NotFound)?;
    Ok(axum::Json(serde_json::json!({
        "location": place.name,
        "admin1": place.admin1,
        "latitude": place.lat,
        "longitude": place.lon,
    })))
}

/// The towns to aim at around a point, for the picker's labels: the gazetteer's most
/// populous within 150 km, at most 30 and none within 20 km of a larger one, named in the
/// page's language.
async fn places_around(
    State(state): State<Shared>,
    _analyst: Analyst,
    Query(q): Query<NearQuery>,
    headers: HeaderMap,
) -> Result<axum::Json<serde_json::Value>, AppError> {
    let (lat, lon) = q.point()?;
    let lang = Lang::pick(None, &headers);
    let coder = state
        .coder
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let mut towns: Vec<&unrest_gazetteer::Place> = coder
        .gazetteer()
        .places()
        .iter()
        .filter(|p| p.kind == PlaceKind::City)
        .filter(|p| unrest_gazetteer::distance_km(lat, lon, p.lat, p.lon) <= 150.0)
        .collect();
    towns.sort_by(|a, b| b.population.cmp(&a.population).then(a.name.cmp(&b.name)));
    // Labels that do not cover each other: a town within 20 km of a larger one is left out.
    let mut kept: Vec<&unrest_gazetteer::Place> = Vec::new();
    for t in towns {
        if kept.len() == 30 {
            break;
        }
        if kept
            .iter()
            .all(|k| unrest_gazetteer::distance_km(k.lat, k.lon, t.lat, t.lon) > 20.0)
        {
            kept.push(t);
        }
    }
    let towns = kept;
    let out: Vec<serde_json::Value> = towns
        .iter()
        .map(|p| {
            let label = match lang {
                Lang::Fa if !p.name_fa.is_empty() => p.name_fa.as_str(),
                _ => p.name.as_str(),
            };
            serde_json::json!({"name": p.name, "label": label, "latitude": p.lat, "longitude": p.lon})
        })
        .collect();
    Ok(axum::Json(serde_json::Value::Array(out)))
}

#[derive(Debug, Default, Deserialize)]
pub struct EditForm {
    pub csrf: Option<String>,
    pub lang: Option<String>,
    pub event_date: Option<String>,
    pub time_precision: Option<String>,
    pub sub_event_type: Option<String>,
    pub location: Option<String>,
    pub latitude: Option<String>,
    pub longitude: Option<String>,
    pub geo_precision: Option<String>,
    pub actor1: Option<String>,
    pub assoc_actor_1: Option<String>,
    pub actor2: Option<String>,
    pub assoc_actor_2: Option<String>,
    pub fatalities: Option<String>,
    pub injuries: Option<String>,
    pub arrests: Option<String>,
    pub notes: Option<String>,
    pub admin1: Option<String>,
    pub source: Option<String>,
    pub tags: Option<String>,
    pub confidence: Option<String>,
    pub interaction: Option<String>,
    /// The Persian picker: a Solar Hijri year, month and day, stored as the Gregorian date.
    pub jy: Option<String>,
    pub jm: Option<String>,
    pub jd: Option<String>,
}

fn field(v: &Option<String>) -> &str {
    v.as_deref().map(str::trim).unwrap_or("")
}

fn count(name: &str, v: &Option<String>) -> Result<Option<u32>, String> {
    match field(v) {
        "" => Ok(None),
        s => s
            .parse::<u32>()
            .map(Some)
            .map_err(|_| format!("{name} must be a whole number, not {s:?}")),
    }
}

fn small(name: &str, v: &Option<String>) -> Result<u8, String> {
    match field(v).parse::<u8>() {
        Ok(n @ 1..=3) => Ok(n),
        _ => Err(format!("{name} must be 1, 2 or 3")),
    }
}

fn coord(name: &str, v: &Option<String>, limit: f64) -> Result<Option<f64>, String> {
    match field(v) {
        "" => Ok(None),
        s => match s.parse::<f64>() {
            Ok(x) if x.is_finite() && x.abs() <= limit => Ok(Some(x)),
            _ => Err(format!("{name} must be a number within ±{limit}")),
        },
    }
}

fn plain(name: &str, v: &Option<String>, max: usize) -> Result<String, String> {
    let s = field(v);
    if s.chars().count() > max {
        return Err(format!("{name} is longer than {max} characters"));
    }
    if s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(format!("{name} contains control characters"));
    }
    Ok(s.to_string())
}

/// Applies an analyst's form to an event, checking every field: a real date not in the
/// future, a sub-event type from the codebook (which sets the event and disorder types),
/// a place from the gazetteer or a point with coordinates, whole-number counts.
fn apply_edit(
    event: &mut unrest_model::Event,
    f: &EditForm,
    gaz: &unrest_gazetteer::Gazetteer,
) -> Result<(), String> {
    let date = if !field(&f.jy).is_empty() {
        let part = |v: &Option<String>| field(v).parse::<u32>().ok();
        match (part(&f.jy), part(&f.jm), part(&f.jd)) {
            (Some(y), Some(m), Some(d)) => crate::workspace::from_jalali(y as i32, m, d)
                .ok_or_else(|| format!("{y}/{m}/{d} is not a date of the Solar Hijri calendar"))?,
            _ => return Err("the Solar Hijri date needs a year, a month and a day".into()),
        }
    } else {
        NaiveDate::parse_from_str(field(&f.event_date), "%Y-%m-%d").map_err(|_| {
            format!(
                "the date must be YYYY-MM-DD, not {:?}",
                field(&f.event_date)
            )
        })?
    };
    if date > Utc::now().date_naive() {
        return Err("the date lies in the future".into());
    }
    let sub = field(&f.sub_event_type);
    let (_, ty, disorder) = CODEBOOK
        .iter()
        .find(|(s, _, _)| *s == sub)
        .ok_or_else(|| format!("{sub:?} is not a sub-event type of the codebook"))?;
    let location = plain("location", &f.location, 200)?;
    if location.is_empty() {
        return Err("the location is required".into());
    }
    let lat = coord("latitude", &f.latitude, 90.0)?;
    let lon = coord("longitude", &f.longitude, 180.0)?;
    if location != event.location {
        // A new place: from the gazetteer (its coordinates and provinces), or a point.
        let base = location.split(" - ").next().unwrap_or(&location);
        let found = gaz
            .lookup(&location)
            .first()
            .or(gaz.lookup(base).first())
            .map(|&id| gaz.place(id).clone());
        match (found, lat, lon) {
            (Some(p), lat, lon) => {
                let moved = |old: f64, new: Option<f64>| new.is_some_and(|n| (n - old).abs() > 1e-4);
                event.latitude = if moved(event.latitude, lat) { lat.unwrap_or(p.lat) } else { p.lat };
                event.longitude = if moved(event.longitude, lon) { lon.unwrap_or(p.lon) } else { p.lon };
                event.admin1 = p.admin1.clone();
                event.admin2 = p.admin2.clone();
            }
            (None, Some(la), Some(lo)) if lat.is_some() && (la - event.latitude).abs() + (lo - event.longitude).abs() > 1e-4 => {
                event.latitude = la;
                event.longitude = lo;
                if let Some(c) = gaz.nearest_city(la, lo) {
                    event.admin1 = c.admin1.clone();
                    event.admin2 = c.admin2.clone();
                }
            }
            _ => {
                return Err(format!(
                    "{location:?} is not in the gazetteer: pick a known place, give its coordinates, or add it as a place first"
                ))
            }
        }
    } else if let (Some(la), Some(lo)) = (lat, lon) {
        let moved = (la - event.latitude).abs() + (lo - event.longitude).abs() > 1e-4;
        event.latitude = la;
        event.longitude = lo;
        // The province and county follow the point (those of its nearest city), so the
        // map and a province filter agree on where the event is.
        if moved {
            if let Some(c) = gaz.nearest_city(la, lo) {
                event.admin1 = c.admin1.clone();
                event.admin2 = c.admin2.clone();
            }
        }
    }
    event.location = location;
    event.event_date = date.to_string();
    event.year = date.format("%Y").to_string().parse().unwrap_or(event.year);
    event.time_precision = small("time_precision", &f.time_precision)?;
    event.geo_precision = small("geo_precision", &f.geo_precision)?;
    event.sub_event_type = sub.to_string();
    event.event_type = ty.to_string();
    event.disorder_type = disorder.to_string();
    event.actor1 = plain("actor1", &f.actor1, 200)?;
    event.assoc_actor_1 = plain("assoc_actor_1", &f.assoc_actor_1, 200)?;
    event.actor2 = plain("actor2", &f.actor2, 200)?;
    event.assoc_actor_2 = plain("assoc_actor_2", &f.assoc_actor_2, 200)?;
    if event.actor1.is_empty() {
        return Err("actor1 is required".into());
    }
    event.fatalities = count("fatalities", &f.fatalities)?.unwrap_or(0);
    event.injuries = count("injuries", &f.injuries)?;
    event.arrests = count("arrests", &f.arrests)?;
    event.notes = plain("notes", &f.notes, 5000)?;
    // The province follows the place unless the analyst names another known province.
    let admin1 = plain("province", &f.admin1, 100)?;
    if f.admin1.is_some() && !admin1.is_empty() && admin1 != event.admin1 {
        let known = gaz.lookup(&admin1).iter().any(|&id| {
            let p = gaz.place(id);
            p.kind == PlaceKind::Province
        });
        if !known {
            return Err(format!("{admin1:?} is not a province of the gazetteer"));
        }
        event.admin1 = admin1;
    }
    if f.source.is_some() {
        event.source = plain("source", &f.source, 500)?;
    }
    if f.tags.is_some() {
        event.tags = plain("tags", &f.tags, 500)?;
    }
    if let Some(i) = f.interaction.as_deref().map(str::trim) {
        if i != event.interaction {
            set_interaction(event, i)?;
        }
    }
    if let Some(c) = f
        .confidence
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        match c.parse::<f32>() {
            Ok(x) if (0.0..=1.0).contains(&x) => event.confidence = x,
            _ => return Err("the confidence is a number from 0 to 1".into()),
        }
    }
    Ok(())
}

async fn back_to_report(state: &Shared, event_id: i64, lang: Lang) -> Result<Response, AppError> {
    let report = state
        .db
        .run(move |s| Ok(s.event(event_id)?.and_then(|e| e.report_id)))
        .await?;
    let to = match report {
        Some(r) => href(&format!("/review/reports/{r}#event-{event_id}"), lang),
        None => href("/review", lang),
    };
    Ok(Redirect::to(&to).into_response())
}

async fn edit(
    State(state): State<Shared>,
    analyst: Analyst,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<EditForm>,
) -> Result<Response, AppError> {
    analyst.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let stored = state
        .db
        .run(move |s| Ok(s.event(id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let mut event = stored.event.clone();
    let gaz = state
        .coder
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    if let Err(msg) = apply_edit(&mut event, &f, gaz.gazetteer()) {
        let report = stored.report_id.ok_or(AppError::BadRequest(msg.clone()))?;
        let page = render_report(&state, &analyst, report, lang, Some(msg)).await?;
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    // Generated notes say what the fields now say; an analyst's own notes stay as written.
    event.notes = unrest_coder::notes_after_edit(&stored.event, &event);
    let changed = describe_changes(&stored.event, &event);
    let by = analyst.name.clone();
    let report_id = stored.report_id;
    state
        .db
        .run(move |s| {
            let now = Utc::now();
            s.edit_event(id, &event, &by, now)?;
            s.record_change(&by, now, "edit", Some(id), report_id, &changed)?;
            Ok(())
        })
        .await?;
    back_to_report(&state, id, lang).await
}

/// `field: old → new` for each field that changed.
fn describe_changes(old: &unrest_model::Event, new: &unrest_model::Event) -> String {
    let a = serde_json::to_value(old).unwrap_or_default();
    let b = serde_json::to_value(new).unwrap_or_default();
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return String::new();
    };
    a.iter()
        .filter(|(k, _)| k.as_str() != "evidence")
        .filter(|(k, v)| b.get(*k) != Some(v))
        .map(|(k, v)| format!("{k}: {v} → {}", b.get(k).cloned().unwrap_or_default()))
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Debug, Default, Deserialize)]
pub struct StatusForm {
    pub csrf: Option<String>,
    pub lang: Option<String>,
    pub status: Option<String>,
}

async fn set_status(
    State(state): State<Shared>,
    analyst: Analyst,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<StatusForm>,
) -> Result<Response, AppError> {
    analyst.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let status: Status = f
        .status
        .as_deref()
        .unwrap_or("")
        .parse()
        .map_err(|e: unrest_store::Error| AppError::BadRequest(e.to_string()))?;
    if status == Status::Coded {
        return Err(AppError::BadRequest(
            "an event cannot be sent back to coded".into(),
        ));
    }
    let by = analyst.name.clone();
    let (_, refused) = state
        .db
        .run(move |s| {
            s.event(id)?.ok_or(AppError::NotFound)?;
            crate::workspace::change_status(s, &[id], status, &by)
        })
        .await?;
    if refused > 0 {
        return Err(AppError::Conflict(w(lang, "refused_four_eyes").into()));
    }
    back_to_report(&state, id, lang).await
}

#[derive(Debug, Default, Deserialize)]
pub struct MergeForm {
    pub csrf: Option<String>,
    pub lang: Option<String>,
    pub into: Option<String>,
}

async fn merge(
    State(state): State<Shared>,
    analyst: Analyst,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<MergeForm>,
) -> Result<Response, AppError> {
    analyst.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let into: i64 = field(&f.into)
        .parse()
        .map_err(|_| AppError::BadRequest("give the number of the event to merge into".into()))?;
    let by = analyst.name.clone();
    state
        .db
        .run(move |s| {
            s.merge_events(into, id, &by, Utc::now())
                .map_err(|e| match e {
                    unrest_store::Error::Invalid(m) => AppError::Conflict(m),
                    e => e.into(),
                })
        })
        .await?;
    back_to_report(&state, into, lang).await
}

#[derive(Debug, Default, Deserialize)]
pub struct SplitForm {
    pub csrf: Option<String>,
    pub lang: Option<String>,
}

/// Takes an event out of the incident it joined: it stands alone from now on (also after
/// re-coding and re-clustering) unless merged again.
async fn split(
    State(state): State<Shared>,
    analyst: Analyst,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<SplitForm>,
) -> Result<Response, AppError> {
    analyst.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let by = analyst.name.clone();
    state
        .db
        .run(move |s| {
            let now = Utc::now();
            let ev = s.event(id)?.ok_or(AppError::NotFound)?;
            s.split_event(id, &by, now)?;
            s.record_change(
                &by,
                now,
                "split",
                Some(id),
                ev.report_id,
                "split off its incident",
            )?;
            Ok(())
        })
        .await?;
    back_to_report(&state, id, lang).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ApartForm {
    pub csrf: Option<String>,
    pub lang: Option<String>,
    pub other: Option<String>,
}

/// A suggested duplicate is another incident: it is not suggested again.
async fn keep_apart(
    State(state): State<Shared>,
    analyst: Analyst,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<ApartForm>,
) -> Result<Response, AppError> {
    analyst.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let other: i64 = field(&f.other)
        .parse()
        .map_err(|_| AppError::BadRequest("name the other event".into()))?;
    let by = analyst.name.clone();
    state
        .db
        .run(move |s| {
            s.keep_apart(id, other, &by, Utc::now())
                .map_err(|e| AppError::BadRequest(e.to_string()))
        })
        .await?;
    back_to_report(&state, id, lang).await
}

// ---- places -----------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct PlaceForm {
    pub csrf: Option<String>,
    pub lang: Option<String>,
    pub name: Option<String>,
    pub name_fa: Option<String>,
    pub lat: Option<String>,
    pub lon: Option<String>,
    pub city: Option<String>,
    pub kind: Option<String>,
}

/// The fields of a place, empty or holding a stored place (for the admins' corrections).
pub(crate) fn place_fields(lang: Lang, p: Option<&NewPlace>) -> Markup {
    let kind = p.map_or("district", |p| p.kind.as_str());
    html! {
        label { (w(lang, "place_name")) input type="text" name="name" required value=[p.map(|p| &p.name)] dir="auto"; }
        label { (w(lang, "place_name_fa")) input type="text" name="name_fa" dir="rtl" value=[p.and_then(|p| p.alt_names.first())]; }
        label { (w(lang, "latitude")) input type="text" name="lat" required inputmode="decimal" value=[p.map(|p| format!("{:.4}", p.lat))] dir="ltr"; }
        label { (w(lang, "longitude")) input type="text" name="lon" required inputmode="decimal" value=[p.map(|p| format!("{:.4}", p.lon))] dir="ltr"; }
        label { (w(lang, "place_city")) input type="text" name="city" value=[p.map(|p| &p.city)] dir="auto"; }
        label { (w(lang, "place_kind")) select name="kind" {
            @for k in ["district", "landmark", "city"] {
                option value=(k) selected[k == kind] { (w(lang, &format!("kind_{k}"))) } } } }
    }
}

/// A place form checked: a name, coordinates within range, a known kind, no control
/// characters. The province is the gazetteer's to find.
pub(crate) fn check_place_form(f: &PlaceForm) -> Result<NewPlace, String> {
    let name = plain("name", &f.name, 100)?;
    if name.is_empty() {
        return Err("the place needs a name".into());
    }
    let lat = coord("latitude", &f.lat, 90.0)?.ok_or("latitude is required")?;
    let lon = coord("longitude", &f.lon, 180.0)?.ok_or("longitude is required")?;
    let kind = match field(&f.kind) {
        k @ ("district" | "landmark" | "city") => k.to_string(),
        k => return Err(format!("unknown kind {k:?}")),
    };
    let fa = plain("name (fa)", &f.name_fa, 100)?;
    Ok(NewPlace {
        name,
        lat,
        lon,
        city: plain("city", &f.city, 100)?,
        admin1: String::new(),
        kind,
        alt_names: if fa.is_empty() { vec![] } else { vec![fa] },
    })
}

/// One line of a user places file.
pub(crate) fn place_line(p: &NewPlace) -> String {
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
        p.name,
        p.lat,
        p.lon,
        p.city,
        p.admin1,
        p.kind,
        p.alt_names.join("|")
    )
}

fn places_markup(lang: Lang, analyst: &Analyst, message: Option<&str>) -> Markup {
    let t = lang.tr();
    let viewer = analyst.viewer();
    frame(lang, t.add_place, "/review/places", Some(&viewer)).render(html! {
        h1 { (t.add_place) }
        @if let Some(m) = message { p.error role="alert" { (m) } }
        form.place method="post" action="/review/places" {
            input type="hidden" name="csrf" value=(viewer.csrf);
            input type="hidden" name="lang" value=(lang.code());
            (place_fields(lang, None))
            button type="submit" { (t.save) }
        }
    })
}

async fn places_page(analyst: Analyst, Query(q): Query<LangQuery>, headers: HeaderMap) -> Markup {
    places_markup(Lang::pick(q.lang.as_deref(), &headers), &analyst, None)
}

async fn add_place(
    State(state): State<Shared>,
    analyst: Analyst,
    headers: HeaderMap,
    Form(f): Form<PlaceForm>,
) -> Result<Response, AppError> {
    analyst.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let place = match check_place_form(&f) {
        Ok(p) => p,
        Err(m) => {
            return Ok((
                StatusCode::BAD_REQUEST,
                places_markup(lang, &analyst, Some(&m)),
            )
                .into_response())
        }
    };
    // Check the place reads as a places file line, with every stored place, before storing.
    let by = analyst.name.clone();
    let result = state
        .db
        .run(move |s| {
            let tsv = s.places_tsv()?;
            let line = place_line(&place);
            let coder = match crate::coding::WebCoder::try_places(&format!("{tsv}{line}")) {
                Ok(c) => c,
                // The new place is the last line: say what is wrong with it.
                Err(e) => return Ok(Err(format!("the place was not added: {}", e.message))),
            };
            s.add_place(&place, &by, Utc::now())?;
            Ok(Ok(coder))
        })
        .await?;
    match result {
        Ok(coder) => {
            *state.coder.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(coder);
            Ok(Redirect::to(&href("/review", lang)).into_response())
        }
        Err(m) => Ok((
            StatusCode::BAD_REQUEST,
            places_markup(lang, &analyst, Some(&m)),
        )
            .into_response()),
    }
}

// ---- users (admins) ---------------------------------------------------------------------

async fn users_page(
    State(state): State<Shared>,
    Admin(admin): Admin,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Markup, AppError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    render_users(&state, &admin, lang, None).await
}

async fn render_users(
    state: &Shared,
    admin: &Analyst,
    lang: Lang,
    message: Option<String>,
) -> Result<Markup, AppError> {
    let t = lang.tr();
    let users = state.db.run(|s| Ok(s.users()?)).await?;
    let viewer = admin.viewer();
    Ok(frame(lang, t.users_title, "/admin/users", Some(&viewer)).render(html! {
        (crate::admin::admin_nav(lang, "/admin/users"))
        h1 { (t.users_title) }
        @if let Some(m) = &message { p.error role="alert" { (m) } }
        table.users {
            thead { tr { th { (t.user_name) } th { (t.role) } th { (t.status) } th {} } }
            tbody { @for u in &users {
                tr {
                    td { (u.name) } td { (role_word(lang, u.role)) }
                    td { @if u.disabled { (w(lang, "disabled_user")) } @else { (w(lang, "active")) } }
                    td {
                        form.inline method="post" action={"/admin/users/" (u.id)} {
                            input type="hidden" name="csrf" value=(viewer.csrf);
                            input type="hidden" name="lang" value=(lang.code());
                            @if u.disabled { input type="hidden" name="disabled" value="0"; button type="submit" { (t.enable) } }
                            @else { input type="hidden" name="disabled" value="1"; button type="submit" disabled[u.id == admin.id] { (t.disable) } }
                        }
                        form.inline method="post" action={"/admin/users/" (u.id)} {
                            input type="hidden" name="csrf" value=(viewer.csrf);
                            input type="hidden" name="lang" value=(lang.code());
                            @let other = if u.role == Role::Admin { Role::Analyst } else { Role::Admin };
                            input type="hidden" name="role" value=(other.as_str());
                            button type="submit" disabled[u.id == admin.id] { (w(lang, "make")) " " (role_word(lang, other)) }
                        }
                        form.inline.reset method="post" action={"/admin/users/" (u.id) "/password"} {
                            input type="hidden" name="csrf" value=(viewer.csrf);
                            input type="hidden" name="lang" value=(lang.code());
                            label { (w(lang, "new_password")) " " input type="password" name="password" required minlength="10" autocomplete="new-password" dir="ltr"; }
                            button.secondary type="submit" { (w(lang, "reset_password")) }
                        }
                    }
                }
            } }
        }
        h2 { (t.add_user) }
        form.user method="post" action="/admin/users" {
            input type="hidden" name="csrf" value=(viewer.csrf);
            input type="hidden" name="lang" value=(lang.code());
            label { (t.user_name) input type="text" name="name" required dir="ltr"; }
            label { (t.password) input type="password" name="password" required minlength="10" autocomplete="new-password" dir="ltr"; }
            label { (t.role) select name="role" { option value="analyst" { (role_word(lang, Role::Analyst)) } option value="admin" { (role_word(lang, Role::Admin)) } } }
            button type="submit" { (t.add_user) }
        }
    }))
}

/// A role in the page's words.
fn role_word(lang: Lang, role: Role) -> &'static str {
    match role {
        Role::Admin => w(lang, "admin"),
        Role::Analyst => w(lang, "analyst"),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct UserForm {
    pub csrf: Option<String>,
    pub lang: Option<String>,
    pub name: Option<String>,
    pub password: Option<String>,
    pub role: Option<String>,
    pub disabled: Option<String>,
}

async fn add_user(
    State(state): State<Shared>,
    Admin(admin): Admin,
    headers: HeaderMap,
    Form(f): Form<UserForm>,
) -> Result<Response, AppError> {
    admin.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let name = field(&f.name).to_string();
    let password = f.password.clone().unwrap_or_default();
    let role: Role = match field(&f.role).parse() {
        Ok(r) => r,
        Err(e) => return Err(AppError::BadRequest(format!("{e}"))),
    };
    if let Err(e) = auth::check_password(&password) {
        let page = render_users(&state, &admin, lang, Some(e.message())).await?;
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password)).await??;
    let by = admin.name.clone();
    let exists = {
        let n = name.clone();
        state
            .db
            .run(move |s| Ok(s.user_by_name(&n)?.is_some()))
            .await?
    };
    if exists {
        let page = render_users(
            &state,
            &admin,
            lang,
            Some(format!("the user name {name:?} is taken")),
        )
        .await?;
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    state
        .db
        .run(move |s| Ok(s.put_user(&name, role, &hash, &by, Utc::now())?))
        .await?;
    Ok(Redirect::to(&href("/admin/users", lang)).into_response())
}

async fn update_user(
    State(state): State<Shared>,
    Admin(admin): Admin,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<UserForm>,
) -> Result<Response, AppError> {
    admin.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    if id == admin.id {
        return Err(AppError::Conflict(
            "admins cannot disable or demote themselves".into(),
        ));
    }
    let role = match field(&f.role) {
        "" => None,
        r => Some(
            r.parse::<Role>()
                .map_err(|e| AppError::BadRequest(e.to_string()))?,
        ),
    };
    let disabled = match field(&f.disabled) {
        "" => None,
        "1" => Some(true),
        "0" => Some(false),
        _ => return Err(AppError::BadRequest("disabled must be 0 or 1".into())),
    };
    let by = admin.name.clone();
    let found = state
        .db
        .run(move |s| Ok(s.update_user(id, role, disabled, &by, Utc::now())?))
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&href("/admin/users", lang)).into_response())
}

/// An admin sets a user's new password (the user's sessions stay as they are; disable the
/// user to end them). Recorded in the audit log as the user's change.
async fn reset_password(
    State(state): State<Shared>,
    Admin(admin): Admin,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<UserForm>,
) -> Result<Response, AppError> {
    admin.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let password = f.password.clone().unwrap_or_default();
    if let Err(e) = auth::check_password(&password) {
        let page = render_users(&state, &admin, lang, Some(e.message())).await?;
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    let user = state
        .db
        .run(move |s| Ok(s.users()?.into_iter().find(|u| u.id == id)))
        .await?
        .ok_or(AppError::NotFound)?;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password)).await??;
    let by = admin.name.clone();
    state
        .db
        .run(move |s| Ok(s.put_user(&user.name, user.role, &hash, &by, Utc::now())?))
        .await?;
    Ok(Redirect::to(&href("/admin/users", lang)).into_response())
}
