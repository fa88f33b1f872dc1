//! The public pages: `/` (the map of published events, a timeline histogram, filters, the
//! latest events as a list that works without JavaScript, downloads), `/events/{id}`, and
//! `/digest` (the publishable digest of a period, as `unrest digest --format html` writes it).
//!
//! What these pages must never show: an event that is not published, a report's text, the
//! evidence cut from it, or anything about who sent it or who reviewed it.

use crate::api::{public_event, timeline_of};
use crate::auth::MaybeViewer;
use crate::error::{ApiError, AppError};
use crate::html::{href, Frame};
use crate::i18n::{actor_name, term, Lang};
use crate::query::PublicQuery;
use crate::review::EVENT_TYPES;
use crate::Shared;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use unrest_store::{Order, Page, StoredEvent};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(map_page))
        .route("/events/{id}", get(event_page))
        .route("/digest", get(digest_page))
        .route("/api-docs", get(api_docs))
}

/// `/digest?from=YYYY-MM-DD&to=YYYY-MM-DD&lang=fa`: the digest of the published incidents
/// of the last clustering run (`unrest cluster`), the same document `unrest digest` writes.
/// Without dates it covers the 30 days up to today. The page is the digest's own
/// self-contained HTML with its own policy: no script at all, styles inline.
async fn digest_page(
    State(state): State<Shared>,
    Query(q): Query<PublicQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    let date = |v: &Option<String>, what: &str| -> Result<Option<chrono::NaiveDate>, AppError> {
        v.as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| {
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map_err(|_| AppError::BadRequest(format!("{what} must be a date YYYY-MM-DD")))
            })
            .transpose()
    };
    let to = date(&q.to, "to")?.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let from = date(&q.from, "from")?.unwrap_or(to - chrono::Duration::days(30));
    if from > to {
        return Err(AppError::BadRequest("from is after to".into()));
    }
    let (incidents, audit_head) = state
        .db
        .run(move |s| Ok((s.incidents(Some(from), Some(to), true)?, s.audit_head()?)))
        .await?;
    let events = incidents
        .into_iter()
        .map(|c| digest_event(c, lang))
        .collect();
    let input = unrest_digest::DigestInput {
        from,
        to,
        lang: lang.into(),
        title: None,
        place_names: match lang {
            Lang::Fa => unrest_gazetteer::Gazetteer::embedded().persian_names(),
            Lang::En => Default::default(),
        },
        events,
        audit_head,
    };
    let mut html = Vec::new();
    unrest_digest::render(&input, unrest_digest::DigestFormat::Html, &mut html)
        .map_err(|e| AppError::BadRequest(format!("digest: {e}")))?;
    let mut res = (
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response();
    res.headers_mut().insert(
        axum::http::header::CONTENT_SECURITY_POLICY,
        axum::http::HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ),
    );
    Ok(res)
}

/// A published incident as the public digest shows it, its notes in the digest's language
/// (see [`notes_for`]).
pub fn digest_event(c: unrest_store::Incident, lang: Lang) -> unrest_digest::DigestEvent {
    let mut event = c.event.event;
    if !c.notes_counts_agree {
        event.notes = unrest_digest::notes_with_counts(&event.notes, &event);
    }
    event.notes = notes_for(unrest_gazetteer::Gazetteer::embedded(), lang, &event);
    // The public never sees which report an event came from, nor its evidence.
    event.report.clear();
    event.evidence.clear();
    unrest_digest::DigestEvent {
        event,
        grade: c.grade,
        source_count: c.source_count as usize,
    }
}

/// How many of the latest events the page lists.
const LIST_LEN: usize = 50;

async fn map_page(
    State(state): State<Shared>,
    Query(mut q): Query<PublicQuery>,
    Query(jalali): Query<crate::workspace::JalaliPeriod>,
    headers: HeaderMap,
    viewer: MaybeViewer,
) -> Result<Markup, AppError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    // A Persian visitor picks the period in the Solar Hijri calendar.
    jalali.apply(&mut q.from, &mut q.to)?;
    let t = lang.tr();
    let filter = q.filter();
    // The list pages back through the whole period, newest first, by keyset.
    let after =
        match q.after.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            None => None,
            Some(a) => Some(a.parse::<i64>().map_err(|_| {
                AppError::BadRequest(format!("after must be an event id, not {a:?}"))
            })?),
        };
    let (error, days, latest, (total, fatalities)) = match filter {
        Err(e) => (Some(e.message()), Vec::new(), Vec::new(), (0, 0)),
        Ok(filter) => {
            let (days, latest, totals) = state
                .db
                .run(move |s| {
                    // Counted by the database over the rows the list and downloads read;
                    // only the latest few are handed over.
                    let counted = s.incident_days(&filter)?;
                    let total = counted.iter().map(|d| d.incidents).sum::<u64>();
                    let fatalities = counted.iter().map(|d| d.fatalities).sum::<u64>();
                    let days: Vec<(String, u64)> =
                        counted.into_iter().map(|d| (d.day, d.incidents)).collect();
                    let mut latest: Vec<StoredEvent> = Vec::with_capacity(LIST_LEN + 1);
                    let page = Page {
                        order: Order::Latest,
                        limit: Some(LIST_LEN as u64 + 1),
                        after,
                        ..Page::default()
                    };
                    s.incident_rows::<AppError>(&filter, &page, |i| {
                        latest.push(i.stored);
                        Ok(())
                    })?;
                    Ok((days, latest, (total, fatalities)))
                })
                .await?;
            (None, days, latest, totals)
        }
    };
    let fq = q.filter_query();
    let gaz = state
        .coder
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let mut provinces: Vec<(String, String)> = gaz
        .gazetteer()
        .places()
        .iter()
        .filter(|p| p.kind == unrest_gazetteer::PlaceKind::Province)
        .map(|p| {
            (
                p.name.clone(),
                p.name_fa.trim_start_matches("استان ").to_string(),
            )
        })
        .collect();
    provinces.sort();
    let selected = |a: &Option<String>, v: &str| a.as_deref().map(str::trim) == Some(v);
    let geojson_url = format!("/api/events.geojson?{fq}");
    // The map's data: on a Persian page with the places' Persian names.
    let map_url = match lang {
        Lang::En => geojson_url.clone(),
        _ => href(&geojson_url, lang),
    };
    // The map asks for each view's clusters; the whole download stays for people.
    let view_url = match lang {
        Lang::En => format!("/api/map?{fq}"),
        _ => href(&format!("/api/map?{fq}"), lang),
    };
    let more = latest.len() > LIST_LEN;
    let latest = &latest[..latest.len().min(LIST_LEN)];
    let list_href = |after: Option<i64>| {
        let mut query = fq.clone();
        if let Some(a) = after {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&format!("after={a}"));
        }
        let path = if query.is_empty() {
            "/".to_string()
        } else {
            format!("/?{query}")
        };
        format!("{}#latest", href(&path, lang))
    };
    let body = html! {
        div.mapwrap {
            aside.filters {
                h1 { (t.map_title) }
                form method="get" action="/" {
                    input type="hidden" name="lang" value=(lang.code());
                    (crate::workspace::date_filter(lang, t.from, "from", q.from.as_deref()))
                    (crate::workspace::date_filter(lang, t.to, "to", q.to.as_deref()))
                    label { (t.province)
                        select name="province" {
                            option value="" { (t.any) }
                            @for (en, fa) in &provinces {
                                option value=(en) selected[selected(&q.province, en)] {
                                    @if lang == Lang::Fa && !fa.is_empty() { (fa) } @else { (en) }
                                }
                            }
                        }
                    }
                    label { (t.event_type)
                        select name="type" {
                            option value="" { (t.any) }
                            @for en in EVENT_TYPES {
                                option value=(en) selected[selected(&q.event_type, en)] { (term(lang, en)) }
                            }
                        }
                    }
                    label { (t.search) input type="search" name="q" value=[q.q.as_deref()]; }
                    button type="submit" { (t.apply) }
                }
                @if let Some(e) = &error { p.error role="alert" { (e) } }
                p.count { strong #event-count data-count=(total) data-fatalities=(fatalities) { (lang.num(total)) } " " (t.events_shown) }
                p.downloads {
                    a href={"/api/events.csv?" (fq)} download="unrest-events.csv" { (t.download_csv) }
                    br;
                    a href=(geojson_url) download="unrest-events.geojson" { (t.download_geojson) }
                }
                (timeline_svg(lang, &days))
                p.brush-hint { (t.brush_hint) " " button.link #all-dates type="button" hidden { (t.all_dates) } }
                ul.type-legend {
                    @for (i, en) in EVENT_TYPES.iter().enumerate() {
                        li data-type=(en) { span class={"swatch type-" (i)} {} " " (term(lang, en)) }
                    }
                }
                p.size-legend { span.size-dots { span.dot.d1 {} span.dot.d2 {} span.dot.d3 {} } " " (t.size_legend) }
            }
            div #map data-geojson=(map_url) data-map=(view_url) data-provinces="/assets/provinces.geojson"
                data-tiles=[state.tile_url.as_deref()] data-lang=(lang.code())
                data-fallback=(t.map_fallback) data-w-fatalities=(t.fatalities) data-w-injuries=(t.injuries)
                data-w-arrests=(t.arrests) data-w-sources=(t.sources) data-w-grade=(t.grade) data-sep=(t.sep)
                data-types=[terms_json(lang)] {}
            (in_view_panel(lang))
        }
        section.latest #latest {
            h2 { (t.list_title) }
            @if latest.is_empty() { p { (t.no_events) } }
            ol.events {
                @for e in latest {
                    li data-date=(e.event.event_date) data-id=(e.id) {
                        a href=(href(&format!("/events/{}", e.id), lang)) {
                            bdi { time datetime=(e.event.event_date) { (public_day(lang, &e.event.event_date)) } (t.sep)
                            strong { (place_name(gaz.gazetteer(), lang, &e.event.location)) } (t.sep) (term(lang, &e.event.sub_event_type)) }
                        }
                        @if e.event.fatalities > 0 { (t.sep) (t.fatalities) ": " (lang.num(e.event.fatalities)) }
                    }
                }
            }
            nav.list-pages {
                @if after.is_some() { a rel="first" href=(list_href(None)) { (t.latest_events) } " " }
                @if more { @if let Some(last) = latest.last() { a rel="next" href=(list_href(Some(last.id))) { (t.older_events) } } }
            }
        }
    };
    let path = if fq.is_empty() {
        "/".to_string()
    } else {
        format!("/?{fq}")
    };
    Ok(Frame {
        lang,
        title: t.map_title,
        path: &path,
        viewer: viewer.0.as_ref(),
        scripts: &["leaflet.js", "markercluster.js", "map.js"],
        styles: &[
            "leaflet.css",
            "MarkerCluster.css",
            "MarkerCluster.Default.css",
        ],
        body_class: "map-page",
    }
    .render(body))
}

/// A stored date as the public pages write it: as stored (YYYY-MM-DD, or YYYY-MM for a
/// month of the timeline) in English; in the Solar Hijri calendar, Persian digits, in Persian.
pub fn public_day(lang: Lang, date: &str) -> String {
    match lang {
        Lang::En => date.to_string(),
        _ => crate::workspace::day_text(lang, date),
    }
}

/// The list of the events in the map's view, beside the map: empty here, filled by the
/// map's script as the view moves (hidden without it; the latest events below need none).
pub fn in_view_panel(lang: Lang) -> Markup {
    let t = lang.tr();
    html! {
        aside.in-view #in-view hidden aria-live="polite" {
            h2 { (t.events_in_view) " " span #in-view-count {} }
            ol {}
            p.meta #in-view-more hidden { (t.in_view_more) }
        }
    }
}

/// The codebook's terms in the page's language as JSON, for the map's script (its popups
/// and list); none on English pages, which show the codebook's own words.
pub fn terms_json(lang: Lang) -> Option<String> {
    (lang != Lang::En)
        .then(|| serde_json::to_string(&crate::i18n::labels(lang).types).unwrap_or_default())
}

/// The histogram of events per day, drawn on the server: it needs no script and counts
/// exactly what the list and the downloads hold.
pub fn timeline_svg(lang: Lang, days: &[(String, u64)]) -> Markup {
    let t = lang.tr();
    let (w, h) = (300.0_f64, 80.0_f64);
    let max = days.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let series = timeline_of(days);
    // At least a month wide, so that one day is a bar, not a block.
    let n = series.len().max(30) as f64;
    let bw = w / n;
    html! {
        figure.timeline {
            figcaption { (t.timeline) }
            svg #timeline viewBox={"0 0 " (w) " " (h + 14.0)} role="img" aria-label=(t.timeline)
                data-days=(series.len()) data-total=(days.iter().map(|(_, n)| n).sum::<u64>()) {
                @for (i, (day, count)) in series.iter().enumerate() {
                    @let bh = (*count as f64 / max) * h;
                    rect.bar x=(format!("{:.2}", i as f64 * bw)) y=(format!("{:.2}", h - bh))
                        width=(format!("{:.2}", (bw - 0.5).max(0.5))) height=(format!("{:.2}", bh))
                        data-date=(day) data-count=(count) {
                        title { (public_day(lang, day)) ": " (lang.num(count)) }
                    }
                }
                @if let (Some(first), Some(last)) = (series.first(), series.last()) {
                    text.axis x="0" y=(h + 12.0) { (public_day(lang, &first.0)) }
                    text.axis x=(w) y=(h + 12.0) text-anchor="end" { (public_day(lang, &last.0)) }
                }
            }
        }
    }
}

async fn event_page(
    State(state): State<Shared>,
    Path(id): Path<String>,
    Query(q): Query<PublicQuery>,
    headers: HeaderMap,
    viewer: MaybeViewer,
) -> Result<Markup, AppError> {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let incident = state
        .db
        .run(move |s| crate::api::published_incident(s, id))
        .await?;
    let Some(incident) = incident else {
        return Err(AppError::NotFound);
    };
    let stored = &incident.stored;
    let gaz = state
        .coder
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let title = format!(
        "{} — {}",
        place_name(gaz.gazetteer(), lang, &stored.event.location),
        public_day(lang, &stored.event.event_date)
    );
    let body = event_article(
        gaz.gazetteer(),
        lang,
        stored,
        Some(&incident.corroboration),
        &format!("/api/events/{}", stored.id),
    );
    Ok(Frame {
        lang,
        title: &title,
        path: &format!("/events/{}", stored.id),
        viewer: viewer.0.as_ref(),
        scripts: &[],
        styles: &[],
        body_class: "",
    }
    .render(body))
}

/// The body of a published incident's page: on the server and in a static mirror alike.
/// `sources` is the incident's corroboration (source count and grade) when known.
pub fn event_article(
    gaz: &unrest_gazetteer::Gazetteer,
    lang: Lang,
    stored: &StoredEvent,
    sources: Option<&unrest_model::Corroboration>,
    json_href: &str,
) -> Markup {
    let t = lang.tr();
    let e = public_event(stored);
    let count = |v: Option<u32>| match v {
        Some(n) => lang.num(n),
        None => t.not_given.to_string(),
    };
    html! {
        article.event {
            h1 { (term(lang, &e.sub_event_type)) ": " (place_name(gaz, lang, &e.location)) }
            p.sub { (term(lang, &e.event_type)) (t.sep) (term(lang, &e.disorder_type)) }
            dl {
                dt { (t.date) } dd { time datetime=(e.event_date) { (public_day(lang, &e.event_date)) } " (" (match e.time_precision { 1 => t.date_exact, 2 => t.date_week, _ => t.date_month }) ")" }
                dt { (t.location) } dd { (place_name(gaz, lang, &e.location))
                    @if !e.admin2.is_empty() && e.admin2 != e.location { ", " (e.admin2) }
                    ", " (province_name(gaz, lang, &e.admin1)) " — "
                    bdi { (format!("{:.4}, {:.4}", e.latitude, e.longitude)) } " (" (match e.geo_precision { 1 => t.geo_exact, 2 => t.geo_near, _ => t.geo_region }) ")" }
                dt { (t.actors) } dd dir="auto" {
                    // "X with Y", never "X (Iran) (Y (Iran))".
                    (actor_name(lang, &e.actor1)) @if !e.assoc_actor_1.is_empty() { " " (t.with_actors) " " (actor_name(lang, &e.assoc_actor_1)) }
                    @if !e.actor2.is_empty() { " — " (actor_name(lang, &e.actor2)) @if !e.assoc_actor_2.is_empty() { " " (t.with_actors) " " (actor_name(lang, &e.assoc_actor_2)) } }
                }
                dt { (t.fatalities) } dd { (lang.num(e.fatalities)) }
                @if let Some(c) = sources {
                    dt { (t.sources) } dd { (lang.num(c.source_count as u32)) (t.sep) (c.grade) }
                }
                dt { (t.injuries) } dd { (count(e.injuries)) }
                dt { (t.arrests) } dd { (count(e.arrests)) }
                dt { "ACLED" } dd { bdi { code { (e.event_id_cnty) } } (t.sep) (crate::review::interaction_name(lang, &e.interaction)) (t.sep) (term(lang, &e.source_scale)) }
            }
            (small_map(lang, e.latitude, e.longitude, &e.admin1))
            h2 { (t.notes) }
            p.notes dir="auto" { (notes_for(gaz, lang, &stored.event)) }
            p { a href=(json_href) { "JSON" } }
        }
    }
}

/// A province's name and its rings of (longitude, latitude) points.
type Outline = (String, Vec<Vec<(f64, f64)>>);

/// Province outlines in degrees, read once from the map layer the pages serve.
static PROVINCES: std::sync::LazyLock<Vec<Outline>> = std::sync::LazyLock::new(|| {
    let bytes = crate::assets::all()
        .find(|(n, _)| *n == "provinces.geojson")
        .map(|(_, b)| b)
        .unwrap_or(b"{}");
    let geo: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_default();
    let ring = |r: &serde_json::Value| -> Vec<(f64, f64)> {
        r.as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
            .collect()
    };
    geo["features"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let name = f["properties"]["name"].as_str().unwrap_or("").to_string();
            let g = &f["geometry"];
            let polygons: Vec<&serde_json::Value> = match g["type"].as_str() {
                Some("Polygon") => vec![&g["coordinates"]],
                _ => g["coordinates"].as_array().into_iter().flatten().collect(),
            };
            let rings = polygons
                .into_iter()
                .flat_map(|p| p.as_array().into_iter().flatten().map(ring))
                .collect();
            (name, rings)
        })
        .collect()
});

/// A small map of where an event happened: the provinces around it (its own marked) and a
/// dot, drawn on the server so that it needs no script, no tiles and no other site.
pub fn small_map(lang: Lang, lat: f64, lon: f64, admin1: &str) -> Markup {
    let t = lang.tr();
    if !(lat.is_finite() && lon.is_finite()) || (lat == 0.0 && lon == 0.0) {
        return html! {};
    }
    let (half_w, half_h) = (3.0_f64, 2.0_f64);
    let k = 60.0 / half_h;
    let cos = lat.to_radians().cos().max(0.2);
    let px = |x: f64, y: f64| ((x - lon) * k * cos, (lat - y) * k);
    let near = |r: &Vec<(f64, f64)>| {
        r.iter()
            .any(|(x, y)| (x - lon).abs() < half_w * 2.0 && (y - lat).abs() < half_h * 2.0)
    };
    let mut paths = Vec::new();
    for (name, rings) in PROVINCES.iter() {
        if !rings.iter().any(near) {
            continue;
        }
        let mut d = String::new();
        for r in rings {
            let mut last = (i64::MIN, i64::MIN);
            for (i, (x, y)) in r.iter().enumerate() {
                let (a, b) = px(*x, *y);
                let q = (a.round() as i64, b.round() as i64);
                if q == last && i + 1 != r.len() {
                    continue;
                }
                last = q;
                d.push_str(&format!(
                    "{}{},{}",
                    if i == 0 { 'M' } else { 'L' },
                    q.0,
                    q.1
                ));
            }
            d.push('Z');
        }
        paths.push((name.eq_ignore_ascii_case(admin1), d));
    }
    let (w, h) = (half_w * k * cos, half_h * k);
    html! {
        figure.small-map {
            svg viewBox={(format!("{:.0} {:.0} {:.0} {:.0}", -w, -h, 2.0 * w, 2.0 * h))} role="img" aria-label=(t.small_map) {
                @for (here, d) in &paths { path class=(if *here { "province here" } else { "province" }) d=(d) {} }
                circle.event-dot cx="0" cy="0" r="5" {}
            }
            figcaption { (t.small_map) }
        }
    }
}

/// `/api-docs`: the API described for people, written from the same OpenAPI document the
/// machines read at `/openapi.json`.
async fn api_docs(Query(q): Query<PublicQuery>, headers: HeaderMap, viewer: MaybeViewer) -> Markup {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    let t = lang.tr();
    let doc = crate::api::openapi_doc();
    let empty = serde_json::Map::new();
    let paths = doc["paths"].as_object().unwrap_or(&empty);
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let body = html! {
        article.api-docs {
            h1 { (t.api_title) }
            p { (t.api_intro) " " a href="/openapi.json" { bdi { "/openapi.json" } } }
            p lang="en" dir="ltr" { (text(&doc["info"]["description"])) }
            @for (path, ops) in paths {
                @for (method, op) in ops.as_object().unwrap_or(&empty) {
                    section.endpoint id=(path.trim_start_matches('/').replace(['/', '{', '}', '.'], "-")) {
                        h2 dir="ltr" { code { (method.to_uppercase()) " " (path) } }
                        p lang="en" dir="ltr" { (text(&op["summary"])) }
                        @if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
                            h3 { (t.parameters) }
                            dl.params dir="ltr" {
                                @for p in params {
                                    dt { code { (text(&p["name"])) } " (" (text(&p["in"])) ", " (text(&p["schema"]["type"])) ")" }
                                    dd lang="en" { (text(&p["description"])) }
                                }
                            }
                        }
                        h3 { (t.answers) }
                        ul.answers dir="ltr" {
                            @for (code, r) in op["responses"].as_object().unwrap_or(&empty) {
                                li { code { (code) } " " span lang="en" { (text(&r["description"])) } }
                            }
                        }
                    }
                }
            }
        }
    };
    Frame {
        lang,
        title: t.api_title,
        path: "/api-docs",
        viewer: viewer.0.as_ref(),
        scripts: &[],
        styles: &[],
        body_class: "",
    }
    .render(body)
}

/// A place as the page's language names it: on Persian pages the gazetteer's Persian name
/// for the place (or each part of `City - District`), else the name as coded.
pub fn place_name(gaz: &unrest_gazetteer::Gazetteer, lang: Lang, location: &str) -> String {
    if lang != Lang::Fa {
        return location.to_string();
    }
    location
        .split(" - ")
        .map(|part| {
            gaz.lookup(part)
                .first()
                .map(|&id| gaz.place(id).name_fa.clone())
                .filter(|fa| !fa.is_empty())
                .unwrap_or_else(|| part.to_string())
        })
        .collect::<Vec<_>>()
        .join(" - ")
}

/// An event's notes as the page's language reads them: the coder's generated notes worded
/// in that language from the same fields (with the places as it names them); notes an
/// analyst wrote are shown as written. The ACLED export keeps the English notes.
pub fn notes_for(gaz: &unrest_gazetteer::Gazetteer, lang: Lang, e: &unrest_model::Event) -> String {
    match lang {
        Lang::En => e.notes.clone(),
        Lang::Fa => unrest_coder::notes_in(
            e,
            "fa",
            &place_name(gaz, lang, &e.location),
            &province_name(gaz, lang, &e.admin1),
        ),
    }
}

/// A province as the page's language names it.
pub fn province_name(gaz: &unrest_gazetteer::Gazetteer, lang: Lang, admin1: &str) -> String {
    match (lang, gaz.province(admin1)) {
        (Lang::Fa, Some(p)) if !p.name_fa.is_empty() => {
            p.name_fa.trim_start_matches("استان ").to_string()
        }
        _ => admin1.to_string(),
    }
}

/// Anything else: JSON under `/api/`, a page elsewhere.
pub async fn not_found(OriginalUri(uri): OriginalUri) -> Response {
    if uri.path().starts_with("/api/") || uri.path() == "/api" {
        ApiError(AppError::NotFound).into_response()
    } else {
        AppError::NotFound.into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_pages_name_places_in_persian() {
        let g = unrest_gazetteer::Gazetteer::embedded();
        assert_eq!(place_name(g, Lang::Fa, "Karaj"), "کرج");
        assert!(place_name(g, Lang::Fa, "Tehran - Naziabad").starts_with("تهران - "));
        assert_eq!(place_name(g, Lang::En, "Karaj"), "Karaj");
        assert_eq!(place_name(g, Lang::Fa, "Nowhere-abad"), "Nowhere-abad");
        assert_eq!(province_name(g, Lang::Fa, "Fars"), "فارس");
        assert_eq!(province_name(g, Lang::Fa, "Kurdistan"), "کردستان");
    }
}
