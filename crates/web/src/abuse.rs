//! Abuse limits: per-client rate limits on submitting and logging in, and a bound on the
//! submissions handled at once, so that a flood slows the flooder and not the analysts.
//!
//! - A client is known only by a keyed hash of its address (HMAC-SHA-256 under a key made
//!   at start-up and never written anywhere), kept in memory for one window and then
//!   forgotten. No address, and no hash of one, is stored or logged: a restart forgets all.
//!   Behind a reverse proxy or an onion service every client has the proxy's address, so
//!   they share one budget; size the limits for that, or put the limit in the proxy.
//! - Submissions in flight (reading the body, scrubbing photos, sealing or coding, storing)
//!   are bounded by a semaphore taken *before* the body is read: one more is answered at
//!   once with 503 and `Retry-After`, so a flood holds at most that many database
//!   connections and that much memory, and the analysts' pages keep theirs.
//!
//! Login back-off per account name is `auth::Throttle`; body and field limits are where
//! the bodies are read.

use crate::error::AppError;
use crate::Shared;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
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
}

impl Limiter {
    pub fn new(limit: RateLimit) -> Limiter {
        Limiter {
            limit,
            key: crate::security::random_bytes(),
            hits: Mutex::new(HashMap::new()),
        }
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
        times.push_back(now);
        Ok(())
    }
}

fn client_addr(req: &Request) -> Option<IpAddr> {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
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

/// `POST /submit`: the client's rate, then a place among the submissions in flight.
async fn submissions(State(state): State<Shared>, req: Request, next: Next) -> Response {
    if let Some(addr) = client_addr(&req) {
        if let Err(wait) = state.submit_limiter.check(addr, Instant::now()) {
            return AppError::TooManyRequests(seconds(wait)).into_response();
        }
    }
    let Ok(_permit) = state.submissions_in_flight.clone().try_acquire_owned() else {
        return AppError::Busy(BUSY_RETRY_SECONDS).into_response();
    };
    next.run(req).await
}

/// How long a turned-away submitter is asked to wait.
const BUSY_RETRY_SECONDS: u64 = 30;

/// `POST /login`: the client's rate (the per-name back-off is in the handler).
async fn logins(State(state): State<Shared>, req: Request, next: Next) -> Response {
    if let Some(addr) = client_addr(&req) {
        if let Err(wait) = state.login_limiter.check(addr, Instant::now()) {
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
