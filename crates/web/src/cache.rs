//! Validators and cache headers on public responses, so that a proxy or CDN in front of the
//! replicas answers the crowd: an `ETag` (the body's SHA-256) on every public page and API
//! answer, `Cache-Control: public` with a short max-age for lists and a longer one for an
//! event's page, and `304 Not Modified` to a request whose `If-None-Match` names the
//! current body.
//!
//! Never cached: anything asked with an analyst's session cookie (the page then carries
//! their name and CSRF token), any answer that sets a cookie, errors, and every route not
//! listed here (`security` marks them `no-store`).

use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Lists change with every publication: a minute.
pub const LIST_MAX_AGE: u32 = 60;
/// An event's page changes only when an analyst edits it: ten minutes.
pub const EVENT_MAX_AGE: u32 = 600;
/// The largest body hashed for a validator; bigger ones go out without one.
const MAX_HASHED: usize = 64 * 1024 * 1024;

/// How long a public path may be kept, `None` for a path that is not public.
fn max_age(path: &str) -> Option<u32> {
    match path {
        "/"
        | "/digest"
        | "/api/events"
        | "/api/events.csv"
        | "/api/events.geojson"
        | "/api/timeline"
        | "/openapi.json" => Some(LIST_MAX_AGE),
        p if p.starts_with("/events/") || p.starts_with("/api/events/") => Some(EVENT_MAX_AGE),
        _ => None,
    }
}

fn has_session(req: &Request) -> bool {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains(crate::auth::COOKIE))
}

/// Whether `If-None-Match` names `etag` (or is `*`).
fn matches(if_none_match: Option<&HeaderValue>, etag: &str) -> bool {
    let Some(v) = if_none_match.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    v.split(',')
        .map(str::trim)
        .any(|t| t == "*" || t == etag || t.strip_prefix("W/") == Some(etag))
}

pub async fn public_cache(req: Request, next: Next) -> Response {
    let cacheable = matches!(*req.method(), Method::GET | Method::HEAD) && !has_session(&req);
    let age = if cacheable {
        max_age(req.uri().path())
    } else {
        None
    };
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let res = next.run(req).await;
    let Some(age) = age else { return res };
    if res.status() != StatusCode::OK || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    // A body too big to hash in memory goes out as it is, without a validator.
    if res
        .body()
        .size_hint()
        .upper()
        .is_none_or(|n| n > MAX_HASHED as u64)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_HASHED).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = format!("\"{}\"", &unrest_store::sha256_hex(&bytes)[..32]);
    let h = &mut parts.headers;
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("public, max-age={age}")) {
        h.insert(header::CACHE_CONTROL, v);
    }
    // The language follows Accept-Language; an analyst's cookie must miss the cache.
    h.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    if matches(if_none_match.as_ref(), &etag) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_kept_briefly_event_pages_longer_and_the_rest_not_at_all() {
        assert_eq!(max_age("/"), Some(LIST_MAX_AGE));
        assert_eq!(max_age("/api/events"), Some(LIST_MAX_AGE));
        assert_eq!(max_age("/events/7"), Some(EVENT_MAX_AGE));
        assert_eq!(max_age("/review"), None);
        assert_eq!(max_age("/submit"), None);
        assert_eq!(max_age("/receipt"), None);
    }

    #[test]
    fn if_none_match_names_one_tag_of_a_list() {
        let v = HeaderValue::from_static("\"a\", W/\"b\"");
        assert!(matches(Some(&v), "\"b\""));
        assert!(!matches(Some(&v), "\"c\""));
        assert!(!matches(None, "\"a\""));
    }
}
