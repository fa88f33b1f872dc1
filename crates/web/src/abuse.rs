//! Abuse limits: per-client rate limits on submitting and logging in, the bounds on
//! submissions read and handled at once, and how long a client may take to send one, so
//! that a flood slows the flooder and not the reporters or the analysts.
//!
//! - **Who is a client.** The connecting address, or — behind a reverse proxy named by
//!   [`TrustedProxy`] — the address the proxy's header names. Behind an onion service there
//!   is no client address at all (every reporter arrives from the local Tor daemon): name
//!   it as a trusted proxy with no header, and the address limits stand aside. A client is
//!   held only as a keyed hash (HMAC-SHA-256), for one window; no address is stored or
//!   logged. One server (SQLite, the default) keeps them in memory under a key made at
//!   start-up and never written. Replicas on PostgreSQL must count together, or a flood
//!   spread over three of them gets three budgets: they share the key through the
//!   database and count in its `rate_hits` table (UNLOGGED: in no WAL, replica or base
//!   backup), each row deleted once its window has passed ([`Limiter::shared`]).
//! - **What counts.** Only *accepted* submissions count against a client's submit limit:
//!   junk (a forged or missing form token, an empty text, a body that never arrives) costs
//!   the sender nothing and so cannot use up the budget that reporters behind the same
//!   proxy share. Logins count every attempt (that is what guessing is).
//! - **Per form.** A submission form's token is good for one accepted submission
//!   ([`UsedForms`]): replaying a form fetched once does not submit again. This is the
//!   defence that holds where there is no address (Tor); the onion service's own
//!   proof-of-work (`HiddenServicePoWDefensesEnabled 1`, see SECURITY.md) prices floods.
//! - **Slow clients.** A submission's body is read before it takes a place among those
//!   handled, under a bound of its own ([`SlowClients::bodies_in_flight`]) and a minimum
//!   rate after a grace period ([`SlowClients`]): a body that trickles is cut off and its
//!   place freed, so connections that send headers and then nothing hold nothing for long.
//!   Headers have their own read timeout and connections a cap (see `crate::listen`).
//! - **In flight.** Submissions handled at once (scrubbing photos, sealing or coding,
//!   storing) are bounded by a semaphore; one that finds every place taken waits a moment
//!   ([`SlowClients::queue_wait`]), then is answered 503 with `Retry-After`, so a flood
//!   holds at most that many database connections and the analysts' pages keep theirs.
//!
//! Login back-off per account name is `auth::Throttle`; field limits are where the bodies
//! are parsed.

use crate::error::AppError;
use crate::Shared;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use http_body_util::BodyExt;
use sha2::Sha256;
use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `max` requests per client in any `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u32,
    pub window: Duration,
}

impl RateLimit {
    pub const fn per_minutes(max: u32, minutes: u64) -> RateLimit {
        RateLimit {
            max,
            window: Duration::from_secs(minutes * 60),
        }
    }
}

/// A sliding-window limiter over keyed hashes of client addresses.
pub struct Limiter {
    limit: RateLimit,
    key: [u8; 32],
    hits: Mutex<HashMap<[u8; 16], VecDeque<Instant>>>,
    /// Counted in the database every replica shares, under this name, instead of `hits`.
    shared: Option<&'static str>,
}

impl Limiter {
    /// Counts in this process's memory, under a key of its own.
    pub fn new(limit: RateLimit) -> Limiter {
        Limiter {
            limit,
            key: crate::security::random_bytes(),
            hits: Mutex::new(HashMap::new()),
            shared: None,
        }
    }

    /// Counts in the database as `kind`, under `key` (the same in every replica), so that
    /// requests spread over several servers meet one limit.
    pub fn shared(limit: RateLimit, kind: &'static str, key: [u8; 32]) -> Limiter {
        Limiter {
            shared: Some(kind),
            key,
            ..Limiter::new(limit)
        }
    }

    /// [`Limiter::peek`] (`count` false) or [`Limiter::check`] (`count` true), wherever
    /// this limiter counts. A database that does not answer lets the request through: the
    /// request itself will meet the same database and fail there with a clear error.
    pub(crate) async fn admit_in(
        &self,
        db: &std::sync::Arc<crate::db::Db>,
        addr: IpAddr,
        count: bool,
    ) -> Result<(), Duration> {
        let Some(kind) = self.shared else {
            return match count {
                true => self.check(addr, Instant::now()),
                false => self.peek(addr, Instant::now()),
            };
        };
        let (client, limit) = (self.client_hex(addr), self.limit);
        let found = db
            .run(move |s| {
                let now = chrono::Utc::now();
                let window = chrono::Duration::from_std(limit.window)
                    .unwrap_or_else(|_| chrono::Duration::minutes(10));
                let (n, oldest) = s.rate_hits(kind, &client, now - window)?;
                if n >= limit.max {
                    let age = oldest.map_or(chrono::Duration::zero(), |t| now - t);
                    return Ok(Err((window - age).to_std().unwrap_or_default()));
                }
                if count {
                    s.rate_hit(kind, &client, now, now - window)?;
                }
                Ok(Ok(()))
            })
            .await;
        found.unwrap_or(Ok(()))
    }

    /// [`Limiter::count`], wherever this limiter counts.
    pub(crate) async fn count_in(&self, db: &std::sync::Arc<crate::db::Db>, addr: IpAddr) {
        let Some(kind) = self.shared else {
            return self.count(addr, Instant::now());
        };
        let (client, window) = (self.client_hex(addr), self.limit.window);
        let _ = db
            .run(move |s| {
                let now = chrono::Utc::now();
                let window = chrono::Duration::from_std(window)
                    .unwrap_or_else(|_| chrono::Duration::minutes(10));
                Ok(s.rate_hit(kind, &client, now, now - window)?)
            })
            .await;
    }

    fn client_hex(&self, addr: IpAddr) -> String {
        self.client(addr)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn client(&self, addr: IpAddr) -> [u8; 16] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(addr.to_string().as_bytes());
        let full = mac.finalize().into_bytes();
        let mut out = [0; 16];
        out.copy_from_slice(&full[..16]);
        out
    }

    /// Counts a request of `addr` at `now`, or says how long to wait.
    pub fn check(&self, addr: IpAddr, now: Instant) -> Result<(), Duration> {
        self.admit(addr, now, true)
    }

    /// Whether `addr` may go on at `now`, without counting anything.
    pub fn peek(&self, addr: IpAddr, now: Instant) -> Result<(), Duration> {
        self.admit(addr, now, false)
    }

    /// Counts one request of `addr` at `now` (an accepted submission), limit or not.
    pub fn count(&self, addr: IpAddr, now: Instant) {
        let client = self.client(addr);
        let mut hits = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        hits.entry(client).or_default().push_back(now);
    }

    fn admit(&self, addr: IpAddr, now: Instant, count: bool) -> Result<(), Duration> {
        let client = self.client(addr);
        let window = self.limit.window;
        let mut hits = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        // Forget whole clients whose window has passed, so memory stays bounded by the
        // clients of one window.
        if hits.len() > 1024 {
            hits.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        let times = hits.entry(client).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            times.pop_front();
        }
        if times.len() >= self.limit.max as usize {
            let oldest = *times.front().expect("max ≥ 1 here");
            return Err(window.saturating_sub(now.duration_since(oldest)));
        }
        if count {
            times.push_back(now);
        }
        Ok(())
    }
}

/// A reverse proxy whose word on the client's address is taken: requests from one of
/// `proxies` are the client named by `header` (`X-Forwarded-For`: its last address that is
/// not itself a proxy; `X-Real-IP`, `CF-Connecting-IP`…: the address). With no header (an
/// onion service: Tor connects from a local address and knows no client), a request from a
/// proxy has no client address and address limits do not apply to it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxy {
    pub header: Option<HeaderName>,
    pub proxies: Vec<IpAddr>,
}

impl TrustedProxy {
    /// The client of a request that came from `peer` with `headers`; `None`: unknown.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> Option<IpAddr> {
        if !self.proxies.contains(&peer) {
            return Some(peer);
        }
        let header = self.header.as_ref()?;
        let value = headers
            .get_all(header)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        value
            .split(',')
            .rev()
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .find(|a| !self.proxies.contains(a))
    }
}

/// How long a client may take, and how many may be at it at once (see the module
/// documentation). The defaults suit a phone on Tor sending a few photos.
#[derive(Clone, Debug, PartialEq)]
pub struct SlowClients {
    /// The request line and headers must arrive within this.
    pub header_timeout: Duration,
    /// Open connections at most; more wait in the listener's backlog.
    pub max_connections: usize,
    /// Submission bodies being read at once; one more is answered 503 at once.
    pub bodies_in_flight: usize,
    /// A body may send nothing for this long at first…
    pub body_grace: Duration,
    /// …and must then keep up this many bytes a second on average.
    pub body_min_rate: u64,
    /// And must be complete within this, however fast.
    pub body_deadline: Duration,
    /// A read submission waits this long for a place among those handled, then gets 503.
    pub queue_wait: Duration,
}

impl Default for SlowClients {
    fn default() -> SlowClients {
        SlowClients {
            header_timeout: Duration::from_secs(10),
            max_connections: 512,
            bodies_in_flight: 32,
            body_grace: Duration::from_secs(10),
            body_min_rate: 4096,
            body_deadline: Duration::from_secs(600),
            queue_wait: Duration::from_secs(5),
        }
    }
}

/// Submission forms already used for an accepted submission, until their token expires.
#[derive(Default)]
pub struct UsedForms {
    used: Mutex<HashMap<[u8; 16], Instant>>,
    /// Kept in the database every replica shares (a form replayed to another replica is
    /// refused there too), instead of `used`.
    shared: bool,
}

impl UsedForms {
    /// Kept in memory, or (`shared`) in the database every replica shares.
    pub fn new(shared: bool) -> UsedForms {
        UsedForms {
            shared,
            ..UsedForms::default()
        }
    }

    fn key(token: &str) -> [u8; 16] {
        let full = <Sha256 as sha2::Digest>::digest(token.as_bytes());
        let mut out = [0; 16];
        out.copy_from_slice(&full[..16]);
        out
    }

    /// Takes the form with this token for one submission: `false` when it was already
    /// taken. Forgets forms whose tokens have expired (`ttl`), so memory stays bounded by
    /// the submissions of one token lifetime.
    pub fn claim(&self, token: &str, now: Instant, ttl: Duration) -> bool {
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        if used.len() > 1024 {
            used.retain(|_, at| now.duration_since(*at) < ttl);
        }
        used.insert(Self::key(token), now).is_none()
    }

    /// [`UsedForms::claim`], wherever forms are kept. A database that does not answer
    /// refuses the form (the submission could not be stored either).
    pub(crate) async fn claim_in(
        &self,
        db: &std::sync::Arc<crate::db::Db>,
        token: &str,
        ttl: Duration,
    ) -> bool {
        if !self.shared {
            return self.claim(token, Instant::now(), ttl);
        }
        let hash: String = Self::key(token)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        db.run(move |s| {
            let now = chrono::Utc::now();
            let ttl =
                chrono::Duration::from_std(ttl).unwrap_or_else(|_| chrono::Duration::hours(1));
            Ok(s.use_form(&hash, now, now - ttl)?)
        })
        .await
        .unwrap_or(false)
    }
}

/// The client of a request, as far as it is known (see [`TrustedProxy`]).
fn client_addr(state: &Shared, req: &Request) -> Option<IpAddr> {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>()?.0.ip();
    state.trusted_proxy.client(peer, req.headers())
}

fn seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The limits, on the two routes that have them; every other request passes untouched.
pub async fn limits(state: State<Shared>, req: Request, next: Next) -> Response {
    if req.method() != axum::http::Method::POST {
        return next.run(req).await;
    }
    match req.uri().path() {
        "/submit" => submissions(state, req, next).await,
        "/login" => logins(state, req, next).await,
        _ => next.run(req).await,
    }
}

/// Set on a response to `/submit` that accepted a submission: only these count against the
/// client's limit (the marker is removed before the response leaves).
#[derive(Clone, Copy)]
pub struct Accepted;

/// `POST /submit`: the client's rate (looked at, not counted), a place among the bodies
/// being read, the body read at a minimum rate, then a place among the submissions handled.
async fn submissions(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let client = client_addr(&state, &req);
    if let Some(addr) = client {
        if let Err(wait) = state.submit_limiter.admit_in(&state.db, addr, false).await {
            return AppError::TooManyRequests(seconds(wait)).into_response();
        }
    }
    let Ok(reading) = state.bodies_in_flight.clone().try_acquire_owned() else {
        return AppError::Busy(BUSY_RETRY_SECONDS).into_response();
    };
    let (parts, body) = req.into_parts();
    let bytes = match read_body(body, &state.slow_clients, crate::submit::SUBMIT_BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(response) => return response,
    };
    let handling = tokio::time::timeout(
        state.slow_clients.queue_wait,
        state.submissions_in_flight.clone().acquire_owned(),
    )
    .await;
    let Ok(Ok(_handling)) = handling else {
        return AppError::Busy(BUSY_RETRY_SECONDS).into_response();
    };
    drop(reading);
    let mut res = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if res.extensions_mut().remove::<Accepted>().is_some() {
        if let Some(addr) = client {
            state.submit_limiter.count_in(&state.db, addr).await;
        }
    }
    res
}

/// Reads a whole body into memory: at most `limit` bytes, nothing required in the first
/// `body_grace`, then `body_min_rate` bytes a second on average, all within
/// `body_deadline`. A body too slow is answered 408 and its place freed.
async fn read_body(body: Body, slow: &SlowClients, limit: usize) -> Result<Vec<u8>, Response> {
    let started = tokio::time::Instant::now();
    let mut body = body;
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        let rate_due = slow.body_grace
            + Duration::from_secs_f64(bytes.len() as f64 / slow.body_min_rate.max(1) as f64);
        let due = started + rate_due.min(slow.body_deadline);
        let frame = match tokio::time::timeout_at(due, body.frame()).await {
            Err(_) => return Err(too_slow()),
            Ok(None) => return Ok(bytes),
            Ok(Some(Err(_))) => {
                return Err(
                    AppError::BadRequest("the request body could not be read".into())
                        .into_response(),
                )
            }
            Ok(Some(Ok(frame))) => frame,
        };
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > limit {
                return Err(AppError::TooLarge.into_response());
            }
            bytes.extend_from_slice(&data);
        }
    }
}

fn too_slow() -> Response {
    let mut res = (
        StatusCode::REQUEST_TIMEOUT,
        "The request body arrived too slowly; nothing was sent. Try again.",
    )
        .into_response();
    res.headers_mut().insert(
        axum::http::header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    res
}

/// How long a turned-away submitter is asked to wait.
const BUSY_RETRY_SECONDS: u64 = 30;

/// `POST /login`: the client's rate (the per-name back-off is in the handler).
async fn logins(State(state): State<Shared>, req: Request, next: Next) -> Response {
    if let Some(addr) = client_addr(&state, &req) {
        if let Err(wait) = state.login_limiter.admit_in(&state.db, addr, true).await {
            return AppError::TooManyRequests(seconds(wait)).into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_n_plus_first_request_in_the_window_waits_until_the_first_expires() {
        let l = Limiter::new(RateLimit {
            max: 2,
            window: Duration::from_secs(60),
        });
        let a: IpAddr = "198.51.100.7".parse().unwrap();
        let b: IpAddr = "2001:db8::1".parse().unwrap();
        let t = Instant::now();
        assert!(l.check(a, t).is_ok());
        assert!(l.check(a, t + Duration::from_secs(10)).is_ok());
        assert_eq!(
            l.check(a, t + Duration::from_secs(20)),
            Err(Duration::from_secs(40))
        );
        assert!(
            l.check(b, t + Duration::from_secs(20)).is_ok(),
            "another client"
        );
        assert!(
            l.check(a, t + Duration::from_secs(61)).is_ok(),
            "window passed"
        );
    }

    #[test]
    fn peeking_counts_nothing_and_only_counted_requests_close_the_window() {
        let l = Limiter::new(RateLimit::per_minutes(2, 10));
        let a: IpAddr = "198.51.100.7".parse().unwrap();
        let t = Instant::now();
        for _ in 0..100 {
            assert!(l.peek(a, t).is_ok());
        }
        l.count(a, t);
        l.count(a, t);
        assert!(l.peek(a, t).is_err());
    }

    #[test]
    fn a_trusted_proxy_names_the_client_and_an_onion_service_names_none() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        let behind = TrustedProxy {
            header: Some(HeaderName::from_static("x-forwarded-for")),
            proxies: vec![proxy],
        };
        assert_eq!(
            behind.client(proxy, &h),
            "198.51.100.7".parse().ok(),
            "the last hop's word"
        );
        let direct: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(
            behind.client(direct, &h),
            Some(direct),
            "an untrusted peer's header is ignored"
        );
        let onion = TrustedProxy {
            header: None,
            proxies: vec!["127.0.0.1".parse().unwrap()],
        };
        assert_eq!(onion.client("127.0.0.1".parse().unwrap(), &h), None);
        assert_eq!(TrustedProxy::default().client(direct, &h), Some(direct));
    }

    #[test]
    fn a_form_is_good_for_one_submission() {
        let forms = UsedForms::default();
        let (t, ttl) = (Instant::now(), Duration::from_secs(60));
        assert!(forms.claim("token-a", t, ttl));
        assert!(!forms.claim("token-a", t, ttl));
        assert!(forms.claim("token-b", t, ttl));
    }

    #[test]
    fn addresses_are_held_only_as_keyed_hashes() {
        let l = Limiter::new(RateLimit::per_minutes(1, 1));
        let a: IpAddr = "198.51.100.7".parse().unwrap();
        l.check(a, Instant::now()).unwrap();
        assert!(l.hits.lock().unwrap().contains_key(&l.client(a)));
        assert_ne!(
            Limiter::new(RateLimit::per_minutes(1, 1)).client(a),
            l.client(a),
            "a new key each start"
        );
    }
}
