//! What every response and every state-changing request goes through: the security headers,
//! the access log (which never sees an address or a user agent), random tokens, and the two
//! kinds of CSRF check.
//!
//! - Reporters have no session and get no cookie, so their forms carry a *stateless* token:
//!   a time and an HMAC of it under a key that lives only in the server's memory. Another
//!   site cannot read our page to copy it.
//! - Analysts' forms carry their session's own token (see `auth`), compared in constant time.
//! - Both also refuse a request whose `Origin` (or `Sec-Fetch-Site`) says it came from
//!   another site.
//!
//! This module knows nothing of reports or events.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::error::AppError;

/// Where the access log goes. The access log holds method, path, status and duration: never
/// the query string (it may hold search words), an address or a user agent.
#[derive(Clone, Default)]
pub enum AccessLog {
    #[default]
    Stderr,
    /// Kept in memory, for tests that read what was logged.
    Memory(Arc<Mutex<Vec<String>>>),
    Off,
}

impl AccessLog {
    pub fn write(&self, line: String) {
        match self {
            AccessLog::Stderr => eprintln!("{line}"),
            AccessLog::Memory(lines) => lines.lock().unwrap_or_else(|p| p.into_inner()).push(line),
            AccessLog::Off => {}
        }
    }
}

/// Reporters' routes, whose request durations are not logged: how long a submission took
/// (its size, its photos) could match it to a connection seen elsewhere.
fn reporters_route(path: &str) -> bool {
    path == "/submit" || path.starts_with("/receipt")
}

pub async fn access_log(State(log): State<AccessLog>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    let took = if reporters_route(&path) {
        "-".to_string()
    } else {
        format!("{}ms", started.elapsed().as_millis())
    };
    log.write(format!(
        "{} {} {} {took}",
        method,
        path,
        res.status().as_u16()
    ));
    res
}

/// The headers every response carries. `img_src` adds a configured tile server.
#[derive(Clone)]
pub struct Headers {
    csp: HeaderValue,
}

impl Headers {
    pub fn new(tile_origin: Option<&str>) -> Headers {
        let extra = tile_origin.map(|o| format!(" {o}")).unwrap_or_default();
        let csp = format!(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:{extra}; \
             connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; \
             frame-ancestors 'none'"
        );
        Headers {
            csp: HeaderValue::from_str(&csp).expect("CSP is ASCII"),
        }
    }
}

pub async fn security_headers(State(h): State<Headers>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let hs = res.headers_mut();
    // A page may bring a stricter policy of its own (the digest: no script at all).
    if !hs.contains_key(header::CONTENT_SECURITY_POLICY) {
        hs.insert(header::CONTENT_SECURITY_POLICY, h.csp.clone());
    }
    hs.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    hs.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    hs.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    hs.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    hs.insert(
        "permissions-policy",
        HeaderValue::from_static("geolocation=(), camera=(), microphone=()"),
    );
    if !hs.contains_key(header::CACHE_CONTROL) {
        hs.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// `n` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the operating system's random source");
    b
}

/// A random token for cookies and forms: 32 bytes, URL-safe base32-ish hex.
pub fn random_token() -> String {
    hex(&random_bytes::<32>())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 in hex: how tokens and receipt codes are stored (never as given).
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Compares two strings in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Refuses a request another site sent: by `Sec-Fetch-Site` where the browser sends it,
/// else by `Origin` against `Host`. Requests with neither (curl, old browsers) pass to the
/// token check alone.
pub fn same_site(headers: &HeaderMap) -> Result<(), AppError> {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return match site {
            "same-origin" | "none" => Ok(()),
            _ => Err(AppError::Csrf),
        };
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some("null"), _) => Err(AppError::Csrf),
        (Some(o), Some(h)) => {
            let o_host = o.split_once("://").map(|(_, rest)| rest).unwrap_or(o);
            if o_host.eq_ignore_ascii_case(h) {
                Ok(())
            } else {
                Err(AppError::Csrf)
            }
        }
        _ => Ok(()),
    }
}

/// Stateless tokens for the reporters' forms: `time.nonce.hmac(purpose, time, nonce)`. The
/// nonce makes every form's token its own, so that one can be used once (`abuse::UsedForms`).
#[derive(Clone)]
pub struct FormTokens {
    key: [u8; 32],
}

/// How long a reporter's form stays valid: long enough to write a careful report.
pub(crate) const FORM_TTL_SECS: i64 = 24 * 3600;

impl FormTokens {
    pub fn new(key: [u8; 32]) -> FormTokens {
        FormTokens { key }
    }

    fn mac(&self, purpose: &str, t: i64, nonce: &str) -> String {
        let mut m = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        m.update(purpose.as_bytes());
        m.update(&t.to_be_bytes());
        m.update(nonce.as_bytes());
        hex(&m.finalize().into_bytes())
    }

    pub fn issue(&self, purpose: &str, now: i64) -> String {
        let nonce = hex(&random_bytes::<8>());
        format!("{now}.{nonce}.{}", self.mac(purpose, now, &nonce))
    }

    pub fn check(&self, purpose: &str, token: &str, now: i64) -> bool {
        let mut parts = token.splitn(3, '.');
        let (Some(t), Some(nonce), Some(mac)) = (parts.next(), parts.next(), parts.next()) else {
            return false;
        };
        let Ok(t) = t.parse::<i64>() else {
            return false;
        };
        (now - FORM_TTL_SECS..=now + 60).contains(&t) && same(mac, &self.mac(purpose, t, nonce))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_tokens_expire_and_are_bound_to_their_purpose() {
        let f = FormTokens::new([7; 32]);
        let t = f.issue("submit", 1000);
        assert!(f.check("submit", &t, 1000 + 3600));
        assert!(!f.check("followup", &t, 1000));
        assert!(!f.check("submit", &t, 1000 + FORM_TTL_SECS + 1));
        assert!(!f.check("submit", "1000.00", 1000));
        assert_ne!(f.issue("submit", 1000), t, "every form its own token");
        let other = FormTokens::new([8; 32]);
        assert!(!other.check("submit", &t, 1000));
    }

    #[test]
    fn cross_site_requests_are_refused() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        h.insert(header::ORIGIN, "http://127.0.0.1:8080".parse().unwrap());
        assert!(same_site(&h).is_ok());
        h.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert!(same_site(&h).is_err());
        h.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(same_site(&h).is_err());
    }
}
