//! The admins' pages beside users and settings: the channels reports arrive through with
//! their reliability grades, and the places analysts added to the gazetteer, listed and
//! corrected. Every change goes through the store, which writes it with its audit entry.

use crate::auth::Admin;
use crate::error::AppError;
use crate::html::{href, Frame};
use crate::i18n::Lang;
use crate::review::{check_place_form, place_fields, place_line, LangQuery, PlaceForm};
use crate::workspace::w;
use crate::Shared;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use maud::{html, Markup};
use serde::Deserialize;
use std::sync::Arc;
use unrest_corroborate::Reliability;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/admin/channels", get(channels_page).post(grade_channel))
        .route("/admin/places", get(places_page))
        .route("/admin/places/{id}", post(update_place))
}

/// The links between the admins' pages, at the top of each.
pub fn admin_nav(lang: Lang, here: &str) -> Markup {
    let t = lang.tr();
    let pages = [
        ("/admin/users", t.users_title),
        ("/admin/channels", w(lang, "channels")),
        ("/admin/places", w(lang, "places_added")),
        ("/admin/settings", w(lang, "settings")),
    ];
    html! {
        nav.admin aria-label=(w(lang, "admin_pages")) {
            @for (path, name) in pages {
                @if path == here { strong { (name) } } @else { a href=(href(path, lang)) { (name) } }
                " "
            }
        }
    }
}

fn frame<'a>(
    lang: Lang,
    title: &'a str,
    path: &'a str,
    viewer: &'a crate::html::Viewer,
) -> Frame<'a> {
    Frame {
        lang,
        title,
        path,
        viewer: Some(viewer),
        scripts: &["review.js"],
        styles: &[],
        body_class: "",
    }
}

// ---- channels ---------------------------------------------------------------------------

async fn channels_page(
    State(state): State<Shared>,
    Admin(admin): Admin,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Markup, AppError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    render_channels(&state, &admin, lang, None).await
}

async fn render_channels(
    state: &Shared,
    admin: &crate::auth::Analyst,
    lang: Lang,
    message: Option<String>,
) -> Result<Markup, AppError> {
    let channels = state
        .db
        .run(|s| {
            let mut out = Vec::new();
            for c in s.channels()? {
                let grade = s.channel_reliability(&c)?;
                out.push((c, grade));
            }
            Ok(out)
        })
        .await?;
    let viewer = admin.viewer();
    let title = w(lang, "channels");
    Ok(
        frame(lang, title, "/admin/channels", &viewer).render(html! {
            (admin_nav(lang, "/admin/channels"))
            h1 { (title) }
            @if let Some(m) = &message { p.error role="alert" { (m) } }
            p.meta { (w(lang, "grade_help")) }
            @if channels.is_empty() { p { (w(lang, "no_channels")) } }
            @else {
                table.channels {
                    thead { tr { th { (w(lang, "channel")) } th { (w(lang, "grade")) } th {} } }
                    tbody { @for (c, grade) in &channels {
                        tr data-channel=(c) {
                            td { bdi { (c) } }
                            td.grade { @match grade { Some(g) => bdi { (g) }, None => (w(lang, "grade_none")) } }
                            td {
                                form.inline.grade method="post" action="/admin/channels" {
                                    input type="hidden" name="csrf" value=(viewer.csrf);
                                    input type="hidden" name="lang" value=(lang.code());
                                    input type="hidden" name="channel" value=(c);
                                    select name="grade" aria-label=(w(lang, "grade")) {
                                        @for r in Reliability::ALL {
                                            @let l = r.letter().to_string();
                                            option value=(l) selected[grade.as_deref() == Some(l.as_str())] { (l) }
                                        }
                                    }
                                    " "
                                    button type="submit" { (w(lang, "graded_now")) }
                                }
                            }
                        }
                    } }
                }
            }
        }),
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct GradeForm {
    pub csrf: Option<String>,
    pub lang: Option<String>,
    pub channel: Option<String>,
    pub grade: Option<String>,
}

async fn grade_channel(
    State(state): State<Shared>,
    Admin(admin): Admin,
    headers: HeaderMap,
    Form(f): Form<GradeForm>,
) -> Result<Response, AppError> {
    admin.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let letter = f.grade.as_deref().unwrap_or("").trim();
    let reliability = (letter.chars().count() == 1)
        .then(|| letter.chars().next().and_then(Reliability::from_letter))
        .flatten()
        .ok_or_else(|| AppError::BadRequest(format!("{letter:?} is not a grade A to F")))?;
    let channel = f.channel.unwrap_or_default();
    if channel.trim().is_empty() || channel.chars().count() > 200 {
        return Err(AppError::BadRequest("name a channel".into()));
    }
    let by = admin.name.clone();
    let known = state
        .db
        .run(move |s| {
            if !s.channels()?.iter().any(|c| *c == channel.trim()) {
                return Ok(false);
            }
            s.grade_channel(&channel, reliability, &by, Utc::now())?;
            Ok(true)
        })
        .await?;
    if !known {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&href("/admin/channels", lang)).into_response())
}

// ---- places -----------------------------------------------------------------------------

async fn places_page(
    State(state): State<Shared>,
    Admin(admin): Admin,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Markup, AppError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    render_places(&state, &admin, lang, None).await
}

async fn render_places(
    state: &Shared,
    admin: &crate::auth::Analyst,
    lang: Lang,
    message: Option<String>,
) -> Result<Markup, AppError> {
    let places = state.db.run(|s| Ok(s.places()?)).await?;
    let viewer = admin.viewer();
    let title = w(lang, "places_added");
    Ok(frame(lang, title, "/admin/places", &viewer).render(html! {
        (admin_nav(lang, "/admin/places"))
        h1 { (title) }
        @if let Some(m) = &message { p.error role="alert" { (m) } }
        p { a href=(href("/review/places", lang)) { (lang.tr().add_place) } }
        @if places.is_empty() { p { (w(lang, "no_places")) } }
        @for p in &places {
            form.place.edit-place method="post" action={"/admin/places/" (p.id)} id={"place-" (p.id)} {
                input type="hidden" name="csrf" value=(viewer.csrf);
                input type="hidden" name="lang" value=(lang.code());
                p.meta { bdi { "#" (lang.num(p.id)) } " · " (w(lang, "added_by")) " " bdi { (p.added_by) }
                    " · " bdi { (crate::workspace::moment(lang, &p.added_at)) } }
                (place_fields(lang, Some(&p.place)))
                button type="submit" { (w(lang, "save")) }
            }
        }
    }))
}

async fn update_place(
    State(state): State<Shared>,
    Admin(admin): Admin,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<PlaceForm>,
) -> Result<Response, AppError> {
    admin.check_csrf(&headers, f.csrf.as_deref())?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let place = match check_place_form(&f) {
        Ok(p) => p,
        Err(m) => return refuse(&state, &admin, lang, m).await,
    };
    // The places file with this place corrected must still build a gazetteer.
    let by = admin.name.clone();
    let result = state
        .db
        .run(move |s| {
            let places = s.places()?;
            if !places.iter().any(|p| p.id == id) {
                return Err(AppError::NotFound);
            }
            let tsv: String = places
                .iter()
                .map(|p| place_line(if p.id == id { &place } else { &p.place }))
                .collect();
            let coder = match crate::coding::WebCoder::try_places(&tsv) {
                Ok(c) => c,
                Err(e) => return Ok(Err(format!("the place was not saved: {}", e.message))),
            };
            s.update_place(id, &place, &by, Utc::now())?;
            Ok(Ok(coder))
        })
        .await?;
    match result {
        Ok(coder) => {
            *state.coder.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(coder);
            Ok(Redirect::to(&href(&format!("/admin/places#place-{id}"), lang)).into_response())
        }
        Err(m) => refuse(&state, &admin, lang, m).await,
    }
}

/// The places page again, saying why a correction was refused.
async fn refuse(
    state: &Shared,
    admin: &crate::auth::Analyst,
    lang: Lang,
    message: String,
) -> Result<Response, AppError> {
    let page = render_places(state, admin, lang, Some(message)).await?;
    Ok((StatusCode::BAD_REQUEST, page).into_response())
}
