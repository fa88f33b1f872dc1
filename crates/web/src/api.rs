//! The public JSON API under `/api/` and its description at `/openapi.json`: published
//! events with the map's filters, keyset pagination, a timeline, and downloads as ACLED
//! CSV and GeoJSON. Every error has the body `{"error": {"code", "message"}}` (see
//! `error::ERROR_TABLE`).
//!
//! What this module must never return: an unpublished event, a report (its id, text or the
//! evidence cut from it), or who reviewed an event.

use crate::error::{ApiError, AppError, ERROR_TABLE};
use crate::i18n::Lang;
use crate::query::{PublicQuery, DEFAULT_LIMIT, MAX_LIMIT};
use crate::Shared;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use unrest_model::{Corroboration, Event, EventWriter, FeatureExtras, Format, InterCodes};
use unrest_store::{Order, Page, Status, StoredEvent, StoredIncident};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/events", get(list))
        .route("/api/events.csv", get(|s, q| download(s, q, Format::Csv)))
        .route(
            "/api/events.geojson",
            get(|s, q| download(s, q, Format::GeoJson)),
        )
        .route("/api/events/{id}", get(one))
        .route("/api/timeline", get(timeline))
        .route("/api/map", get(map_view))
        .route("/openapi.json", get(openapi))
}

fn parse_query(raw: Option<String>) -> Result<PublicQuery, ApiError> {
    serde_urlencoded::from_str(raw.as_deref().unwrap_or("")).map_err(|e| {
        ApiError(AppError::BadRequest(format!(
            "unreadable query string: {e}"
        )))
    })
}

/// The event as the public may see it: the report link and the evidence (words cut from
/// the report) removed.
pub fn public_event(stored: &StoredEvent) -> Event {
    let mut e = stored.event.clone();
    e.report = String::new();
    e.evidence = Vec::new();
    e
}

/// An incident's corroboration as the public may see it: without its events' ids (they
/// lead to reports).
pub fn public_corroboration(i: &StoredIncident) -> Corroboration {
    Corroboration {
        event_ids: Vec::new(),
        ..i.corroboration.clone()
    }
}

/// The published incident event `id` belongs to (any of its events' ids finds it).
pub fn published_incident(
    s: &mut unrest_store::Store,
    id: i64,
) -> Result<Option<StoredIncident>, AppError> {
    Ok(s.incident(id)?
        .filter(|i| i.stored.status == Status::Published))
}

/// A public event as JSON: its id and page, then the record without `report` and
/// `evidence`. Borrowed and serialised directly: the API's hot path builds no JSON tree.
#[derive(serde::Serialize)]
pub struct PublicEvent<'a> {
    id: i64,
    url: String,
    event_id_cnty: &'a str,
    event_date: &'a str,
    year: i32,
    time_precision: u8,
    disorder_type: &'a str,
    event_type: &'a str,
    sub_event_type: &'a str,
    actor1: &'a str,
    assoc_actor_1: &'a str,
    inter1: &'a str,
    actor2: &'a str,
    assoc_actor_2: &'a str,
    inter2: &'a str,
    interaction: &'a str,
    civilian_targeting: &'a str,
    iso: u16,
    region: &'a str,
    country: &'a str,
    admin1: &'a str,
    admin2: &'a str,
    admin3: &'a str,
    location: &'a str,
    latitude: f64,
    longitude: f64,
    geo_precision: u8,
    source: &'a str,
    source_scale: &'a str,
    notes: &'a str,
    fatalities: u32,
    tags: &'a str,
    timestamp: i64,
    injuries: Option<u32>,
    arrests: Option<u32>,
    confidence: f32,
    /// Independent sources behind the incident.
    source_count: u64,
    grade: &'a str,
}

impl<'a> PublicEvent<'a> {
    pub fn of(incident: &'a StoredIncident) -> PublicEvent<'a> {
        let stored = &incident.stored;
        let e = &stored.event;
        let r4 = |x: f64| (x * 10_000.0).round() / 10_000.0;
        PublicEvent {
            id: stored.id,
            url: format!("/events/{}", stored.id),
            event_id_cnty: &e.event_id_cnty,
            event_date: &e.event_date,
            year: e.year,
            time_precision: e.time_precision,
            disorder_type: &e.disorder_type,
            event_type: &e.event_type,
            sub_event_type: &e.sub_event_type,
            actor1: &e.actor1,
            assoc_actor_1: &e.assoc_actor_1,
            inter1: &e.inter1,
            actor2: &e.actor2,
            assoc_actor_2: &e.assoc_actor_2,
            inter2: &e.inter2,
            interaction: &e.interaction,
            civilian_targeting: &e.civilian_targeting,
            iso: e.iso,
            region: &e.region,
            country: &e.country,
            admin1: &e.admin1,
            admin2: &e.admin2,
            admin3: &e.admin3,
            location: &e.location,
            latitude: r4(e.latitude),
            longitude: r4(e.longitude),
            geo_precision: e.geo_precision,
            source: &e.source,
            source_scale: &e.source_scale,
            notes: &e.notes,
            fatalities: e.fatalities,
            tags: &e.tags,
            timestamp: e.timestamp,
            injuries: e.injuries,
            arrests: e.arrests,
            confidence: e.confidence,
            source_count: incident.corroboration.source_count,
            grade: &incident.corroboration.grade,
        }
    }
}

pub fn public_json(incident: &StoredIncident) -> Value {
    serde_json::to_value(PublicEvent::of(incident)).unwrap_or_default()
}

/// A JSON response from bytes already serialised.
fn json_bytes(body: Vec<u8>) -> Response {
    let mut res = body.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

#[derive(serde::Serialize)]
struct EventPage<'a> {
    events: Vec<PublicEvent<'a>>,
    count: usize,
    next_after: Option<i64>,
    next: Option<String>,
}

async fn list(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let q = parse_query(raw)?;
    let filter = q.filter()?;
    let page = q.page()?;
    let limit = page.limit.unwrap_or(DEFAULT_LIMIT) as usize;
    let events = state
        .db
        .run(move |s| {
            let mut out = Vec::with_capacity(limit);
            s.incident_rows::<AppError>(&filter, &page, |e| {
                out.push(e);
                Ok(())
            })?;
            Ok(out)
        })
        .await?;
    let next = (events.len() == limit)
        .then(|| events.last().map(|e| e.id()))
        .flatten();
    let fq = q.filter_query();
    let next_url = next.map(|id| {
        let sep = if fq.is_empty() { "" } else { "&" };
        format!("/api/events?{fq}{sep}limit={limit}&after={id}")
    });
    let page = EventPage {
        events: events.iter().map(PublicEvent::of).collect(),
        count: events.len(),
        next_after: next,
        next: next_url,
    };
    let body = serde_json::to_vec(&page).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(json_bytes(body))
}

async fn one(State(state): State<Shared>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let incident = state.db.run(move |s| published_incident(s, id)).await?;
    match incident {
        Some(i) => Ok(Json(public_json(&i)).into_response()),
        None => Err(AppError::NotFound.into()),
    }
}

/// Every published event of the filter, as ACLED CSV or GeoJSON, streamed: the rows are
/// written on a blocking thread into chunks handed to the connection as they fill, so the
/// first byte leaves at once and the server holds one chunk per download, whatever the
/// dataset's size. The filter is checked first, so a bad one is still a 400.
async fn download(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
    format: Format,
) -> Result<Response, ApiError> {
    let inter_codes = inter_codes(raw.as_deref())?;
    let q = parse_query(raw)?;
    let filter = q.filter()?;
    filter.validate().map_err(AppError::from)?;
    // A Persian page's map asks (`lang=fa`) for its places' Persian names and Solar Hijri
    // dates beside them.
    let persian = (format == Format::GeoJson && q.lang.as_deref() == Some("fa")).then(|| {
        state
            .coder
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    });
    let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<axum::body::Bytes>>(4);
    let db = state.db.clone();
    tokio::spawn(async move {
        let failed = tx.clone();
        let done = db
            .run(move |s| {
                let page = Page {
                    order: Order::Id,
                    ..Page::default()
                };
                let io = |e: std::io::Error| AppError::Internal(e.to_string());
                let mut w = EventWriter::new(format, ChunkSender::new(tx))
                    .map_err(io)?
                    .with_inter_codes(inter_codes);
                // Each row is decoded over the last one's buffers; what the public may not
                // see is blanked in place (as `public_event` and `public_corroboration` do),
                // the evidence not even read.
                s.stream_incidents::<AppError>(&filter, &page, false, |i| {
                    let e = &mut i.stored.event;
                    e.report.clear();
                    e.evidence.clear();
                    i.corroboration.event_ids.clear();
                    if format == Format::Csv {
                        return w.write_with(e, Some(&i.corroboration)).map_err(io);
                    }
                    // Each Feature carries the incident's id (for links to its page), and on a
                    // Persian page its place's Persian name and Solar Hijri date.
                    let fa = persian.as_ref().map(|c| {
                        (
                            crate::public::place_name(c.gazetteer(), Lang::Fa, &e.location),
                            crate::public::public_day(Lang::Fa, &e.event_date),
                        )
                    });
                    let extras = FeatureExtras {
                        id: Some(i.stored.id),
                        without_report: true,
                        location_fa: fa.as_ref().map(|f| f.0.as_str()),
                        date_fa: fa.as_ref().map(|f| f.1.as_str()),
                    };
                    w.write_feature(e, Some(&i.corroboration), &extras)
                        .map_err(io)
                })?;
                let mut out = w.finish().map_err(io)?;
                out.flush_chunk().map_err(io)
            })
            .await;
        if let Err(e) = done {
            // The status line is gone: cut the body short, so the client sees it incomplete.
            let _ = failed.send(Err(std::io::Error::other(e.to_string()))).await;
        }
    });
    let (ctype, name) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "unrest-events.csv"),
        _ => ("application/geo+json", "unrest-events.geojson"),
    };
    let mut res = axum::body::Body::new(ChannelBody(rx)).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// `inter_codes=text|numbers` of the CSV download, as `unrest export --inter-codes`: ACLED's
/// actor-type columns as text (the default) or as the numbers of its older files.
fn inter_codes(raw: Option<&str>) -> Result<InterCodes, ApiError> {
    #[derive(serde::Deserialize)]
    struct Q {
        inter_codes: Option<String>,
    }
    let q: Q = serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|e| {
        ApiError(AppError::BadRequest(format!(
            "unreadable query string: {e}"
        )))
    })?;
    match q.inter_codes.as_deref().map(str::trim) {
        None | Some("") | Some("text") => Ok(InterCodes::Text),
        Some("numbers") => Ok(InterCodes::Numbers),
        Some(other) => Err(ApiError(AppError::BadRequest(format!(
            "inter_codes must be text or numbers, not {other:?}"
        )))),
    }
}

/// How much of a download is gathered before it is handed to the connection.
const CHUNK: usize = 64 * 1024;

/// A `Write` on a blocking thread that sends full chunks to the response body; a closed
/// connection makes the next write fail, which stops the query.
struct ChunkSender {
    tx: tokio::sync::mpsc::Sender<std::io::Result<axum::body::Bytes>>,
    buf: Vec<u8>,
}

impl ChunkSender {
    fn new(tx: tokio::sync::mpsc::Sender<std::io::Result<axum::body::Bytes>>) -> ChunkSender {
        ChunkSender {
            tx,
            buf: Vec::with_capacity(CHUNK),
        }
    }

    fn flush_chunk(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx
            .blocking_send(Ok(chunk.into()))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))
    }
}

impl std::io::Write for ChunkSender {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(b);
        if self.buf.len() >= CHUNK {
            self.flush_chunk()?;
        }
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A response body fed by a channel.
struct ChannelBody(tokio::sync::mpsc::Receiver<std::io::Result<axum::body::Bytes>>);

impl http_body::Body for ChannelBody {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        self.0
            .poll_recv(cx)
            .map(|o| o.map(|r| r.map(http_body::Frame::data)))
    }
}

/// Counts per day from the first to the last day with events, the days between filled
/// with zeros; over a span of more than two years, per month (`YYYY-MM`) instead.
pub fn timeline_of(days: &[(String, u64)]) -> Vec<(String, u64)> {
    let parsed: Vec<(NaiveDate, u64)> = days
        .iter()
        .filter_map(|(d, n)| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .ok()
                .map(|d| (d, *n))
        })
        .collect();
    let (Some(first), Some(last)) = (parsed.first(), parsed.last()) else {
        return Vec::new();
    };
    if (last.0 - first.0).num_days() > 730 {
        let mut months: BTreeMap<String, u64> = BTreeMap::new();
        for (d, n) in &parsed {
            *months.entry(d.format("%Y-%m").to_string()).or_default() += n;
        }
        return months.into_iter().collect();
    }
    let counts: BTreeMap<NaiveDate, u64> = parsed.iter().copied().collect();
    first
        .0
        .iter_days()
        .take_while(|d| *d <= last.0)
        .map(|d| (d.to_string(), counts.get(&d).copied().unwrap_or(0)))
        .collect()
}

async fn timeline(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = parse_query(raw)?;
    let filter = q.filter()?;
    let days = state.db.run(move |s| Ok(s.incident_days(&filter)?)).await?;
    let days: Vec<(String, u64)> = days.into_iter().map(|d| (d.day, d.incidents)).collect();
    let series = timeline_of(&days);
    Ok(Json(json!({
        "total": days.iter().map(|(_, n)| n).sum::<u64>(),
        "buckets": series.iter().map(|(d, n)| json!({"date": d, "count": n})).collect::<Vec<_>>(),
    }))
    .into_response())
}

/// The zoom `/api/map` assumes when none is given: Iran on a page-wide map.
const DEFAULT_ZOOM: u8 = 5;

/// The map's view of the filter: `bbox` is the visible area (the whole world when absent),
/// `zoom` the web map's zoom level (0–20). Clusters from the maintained summary (their
/// counts sum to the list's for the filter when the view holds them all); the incidents one
/// by one, newest first, when the view holds few. Never every point.
async fn map_view(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = parse_query(raw)?;
    let mut filter = q.filter()?;
    let zoom = match q.zoom.as_deref().map(str::trim).filter(|z| !z.is_empty()) {
        None => DEFAULT_ZOOM,
        Some(z) => match z.parse::<f64>() {
            Ok(v) if (0.0..=20.0).contains(&v) => v.floor() as u8,
            _ => {
                return Err(AppError::BadRequest(format!(
                    "zoom must be a number from 0 to 20, not {z:?}"
                ))
                .into())
            }
        },
    };
    let world = unrest_store::BBox::new(-180.0, -90.0, 180.0, 90.0).map_err(AppError::from)?;
    let view = filter.bbox.take().unwrap_or(world);
    let persian = (q.lang.as_deref() == Some("fa")).then(|| {
        state
            .coder
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    });
    let m = state
        .db
        .run(move |s| Ok(s.incident_map(&filter, view, zoom)?))
        .await?;
    let r5 = |x: f64| (x * 100_000.0).round() / 100_000.0;
    let clusters: Vec<Value> = m
        .clusters
        .iter()
        .map(|c| {
            json!({
                "lon": r5(c.lon), "lat": r5(c.lat), "count": c.incidents,
                "fatalities": c.fatalities, "bbox": c.bounds.map(r5),
            })
        })
        .collect();
    let points: Vec<Value> = m
        .points
        .iter()
        .map(|i| {
            let e = &i.stored.event;
            let mut p = json!({
                "id": i.id(), "lon": r5(e.longitude), "lat": r5(e.latitude),
                "event_date": e.event_date, "event_type": e.event_type,
                "sub_event_type": e.sub_event_type, "location": e.location,
                "fatalities": e.fatalities, "injuries": e.injuries, "arrests": e.arrests,
                "source_count": i.corroboration.source_count, "grade": i.corroboration.grade,
            });
            if let (Some(c), Some(o)) = (&persian, p.as_object_mut()) {
                o.insert(
                    "location_fa".into(),
                    json!(crate::public::place_name(
                        c.gazetteer(),
                        Lang::Fa,
                        &e.location
                    )),
                );
                o.insert(
                    "date_fa".into(),
                    json!(crate::public::public_day(Lang::Fa, &e.event_date)),
                );
            }
            p
        })
        .collect();
    Ok(Json(json!({
        "zoom": zoom,
        "level": m.level,
        "count": m.incidents,
        "fatalities": m.fatalities,
        "complete": m.complete,
        "clusters": clusters,
        "points": points,
    }))
    .into_response())
}

async fn openapi() -> Json<Value> {
    Json(openapi_doc())
}

/// The OpenAPI 3.1 description of the public API.
pub fn openapi_doc() -> Value {
    let filters = json!([
        {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "First event date, inclusive (YYYY-MM-DD)."},
        {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "Last event date, inclusive."},
        {"name": "province", "in": "query", "schema": {"type": "string"}, "description": "Province (ACLED admin1 name), any case. `admin1` is the same filter (the CLI's and ACLED's name)."},
        {"name": "type", "in": "query", "schema": {"type": "string"}, "description": "An event type or sub-event type from the codebook."},
        {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Words that must appear in the notes (Persian letters and digits folded)."},
        {"name": "bbox", "in": "query", "schema": {"type": "string"}, "description": "minlon,minlat,maxlon,maxlat in WGS84 degrees."}
    ]);
    let mut geojson_params = filters.as_array().cloned().unwrap_or_default();
    geojson_params.push(json!({"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["en", "fa"]}, "description": "`fa` adds each place's Persian name (`location_fa`) and the date in the Solar Hijri calendar (`date_fa`), for a Persian map."}));
    let mut map_params = geojson_params.clone();
    map_params.push(json!({"name": "zoom", "in": "query", "schema": {"type": "number", "minimum": 0, "maximum": 20, "default": DEFAULT_ZOOM}, "description": "The web map's zoom level: the clusters' cells are about 40 pixels or more across at it."}));
    let mut csv = filters.as_array().cloned().unwrap_or_default();
    csv.push(json!({"name": "inter_codes", "in": "query", "schema": {"type": "string", "enum": ["text", "numbers"], "default": "text"}, "description": "ACLED's inter1, inter2 and interaction as text (its files since 2023) or as the numbers of its older files, as `unrest export --inter-codes`."}));
    let mut paged = filters.as_array().cloned().unwrap_or_default();
    paged.push(json!({"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}}));
    paged.push(json!({"name": "after", "in": "query", "schema": {"type": "integer"}, "description": "Keyset pagination: the `next_after` of the previous page."}));
    let error_codes: Vec<&str> = ERROR_TABLE.iter().map(|(c, _, _)| *c).collect();
    let err = |desc: &str| json!({"description": desc, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "unrest public API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Published protest events in Iran, coded in ACLED's scheme from eyewitness reports and verified by analysts. Only published events are ever returned.",
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}
        },
        "paths": {
            "/api/events": {"get": {
                "summary": "Published events, ordered by date then id, one page at a time.",
                "parameters": paged,
                "responses": {
                    "200": {"description": "A page of events.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventPage"}}}},
                    "400": err("A parameter is malformed (code bad_request).")
                }
            }},
            "/api/events/{id}": {"get": {
                "summary": "One published event.",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {"description": "The event.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}},
                    "404": err("No published event has this id (code not_found).")
                }
            }},
            "/api/events.csv": {"get": {
                "summary": "All published events of the filter as ACLED CSV (ACLED's 31 columns, then report, injuries, arrests, confidence, source_count, grade, event_ids; report and event_ids are blank), the columns of `unrest export`.",
                "parameters": csv,
                "responses": {"200": {"description": "CSV.", "content": {"text/csv": {}}}, "400": err("A parameter is malformed.")}
            }},
            "/api/events.geojson": {"get": {
                "summary": "All published events of the filter as a GeoJSON FeatureCollection of points.",
                "parameters": geojson_params,
                "responses": {"200": {"description": "GeoJSON.", "content": {"application/geo+json": {}}}, "400": err("A parameter is malformed.")}
            }},
            "/api/map": {"get": {
                "summary": "The map's view of the filter: published incidents counted per grid cell fitted to the zoom (clusters: centre, count, fatalities, the cell's bbox), and the incidents themselves (newest first, at most 200) when the view holds that few. `bbox` is the visible area (the whole world when absent); the counts of a view holding every incident sum to the list's count for the filter. With `q`, at most 50,000 matching incidents are counted (`complete` false beyond).",
                "parameters": map_params,
                "responses": {"200": {"description": "Clusters and points.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MapView"}}}}, "400": err("A parameter is malformed.")}
            }},
            "/api/timeline": {"get": {
                "summary": "Published events of the filter per day (per month over more than two years).",
                "parameters": filters,
                "responses": {"200": {"description": "Counts.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Timeline"}}}}, "400": err("A parameter is malformed.")}
            }}
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
                "code": {"type": "string", "enum": error_codes},
                "message": {"type": "string"}
            }}}},
            "Event": {"type": "object", "description": "ACLED's columns plus id, url, injuries, arrests and confidence.", "properties": {
                "id": {"type": "integer"}, "url": {"type": "string"},
                "event_id_cnty": {"type": "string"}, "event_date": {"type": "string", "format": "date"}, "year": {"type": "integer"},
                "time_precision": {"type": "integer"}, "disorder_type": {"type": "string"}, "event_type": {"type": "string"},
                "sub_event_type": {"type": "string"}, "actor1": {"type": "string"}, "assoc_actor_1": {"type": "string"},
                "inter1": {"type": "string"}, "actor2": {"type": "string"}, "assoc_actor_2": {"type": "string"},
                "inter2": {"type": "string"}, "interaction": {"type": "string"}, "civilian_targeting": {"type": "string"},
                "iso": {"type": "integer"}, "region": {"type": "string"}, "country": {"type": "string"},
                "admin1": {"type": "string"}, "admin2": {"type": "string"}, "admin3": {"type": "string"},
                "location": {"type": "string"}, "latitude": {"type": "number"}, "longitude": {"type": "number"},
                "geo_precision": {"type": "integer"}, "source": {"type": "string"}, "source_scale": {"type": "string"},
                "notes": {"type": "string"}, "fatalities": {"type": "integer"}, "tags": {"type": "string"},
                "timestamp": {"type": "integer"}, "injuries": {"type": ["integer", "null"]},
                "arrests": {"type": ["integer", "null"]}, "confidence": {"type": "number"}
            }},
            "EventPage": {"type": "object", "properties": {
                "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
                "count": {"type": "integer"},
                "next_after": {"type": ["integer", "null"]},
                "next": {"type": ["string", "null"]}
            }},
            "MapView": {"type": "object", "properties": {
                "zoom": {"type": "integer"}, "level": {"type": "integer"},
                "count": {"type": "integer"}, "fatalities": {"type": "integer"}, "complete": {"type": "boolean"},
                "clusters": {"type": "array", "items": {"type": "object", "properties": {
                    "lon": {"type": "number"}, "lat": {"type": "number"}, "count": {"type": "integer"},
                    "fatalities": {"type": "integer"}, "bbox": {"type": "array", "items": {"type": "number"}}
                }}},
                "points": {"type": "array", "items": {"type": "object"}}
            }},
            "Timeline": {"type": "object", "properties": {
                "total": {"type": "integer"},
                "buckets": {"type": "array", "items": {"type": "object", "properties": {"date": {"type": "string"}, "count": {"type": "integer"}}}}
            }}
        }}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeline_fills_empty_days() {
        let days = vec![("2022-11-01".to_string(), 2), ("2022-11-04".to_string(), 1)];
        let t = timeline_of(&days);
        assert_eq!(t.len(), 4);
        assert_eq!(t[1], ("2022-11-02".to_string(), 0));
    }

    #[test]
    fn public_events_carry_no_report_and_no_evidence() {
        let stored = StoredEvent {
            id: 7,
            report_id: Some(3),
            status: Status::Published,
            edited: false,
            updated_by: Some("maryam".into()),
            updated_at: None,
            event: Event {
                report: "web-secret".into(),
                evidence: vec![unrest_model::Evidence {
                    field: "location".into(),
                    start: 0,
                    end: 3,
                    text: "abc".into(),
                }],
                ..Default::default()
            },
        };
        let incident = StoredIncident {
            stored,
            corroboration: Corroboration {
                source_count: 2,
                grade: "B2".into(),
                event_ids: vec![7, 98765],
            },
        };
        let v = public_json(&incident).to_string();
        assert!(!v.contains("web-secret") && !v.contains("evidence") && !v.contains("maryam"));
        assert!(
            !v.contains("98765"),
            "an incident's event ids are for analysts: {v}"
        );
    }
}
