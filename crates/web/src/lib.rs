//! The web app: `unrest serve`. Reporters submit anonymously, the report is coded at once,
//! analysts review and publish, and the public sees published events on a map, a timeline,
//! event pages, downloads and a JSON API.
//!
//! Layers, outside in:
//! - [`serve`] / [`ServeConfig`]: start-up (the CLI calls these and nothing else).
//! - `security`: headers on every response, the access log (no addresses, no user agents),
//!   CSRF checks; `auth`: Argon2id passwords, server-side sessions, the analyst extractor.
//! - Routes: `public` (map, event pages, downloads), `submit` (reporters: form and receipts),
//!   `review` (analysts and admins), `api` (JSON and `/openapi.json`), `assets` (every
//!   script, style and map layer, embedded in the binary).
//! - `db`: the synchronous store behind a pool, used from blocking threads.
//! - `intake`: the submission body read in memory (URL-encoded, or multipart with photos);
//!   `abuse`: per-client rate limits and the bound on submissions in flight.
//!
//! Sealed mode ([`ServeConfig::seal_to`]): a submission, its photos (scrubbed by
//! `unrest-media`) and its follow-ups are sealed to the organisation's key by `unrest-seal`
//! on arrival; only the ciphertext and its SHA-256 reach the store, and the analysts open
//! them offline (`unrest unseal`). Without it, reports are coded on arrival (open mode).
//!
//! What this crate must not know: how reports are coded (it hands them to `unrest-coder`)
//! and how SQL is written (that is `unrest-store`). What it must never do: show a public
//! visitor anything but published events, or show anyone the reporter behind a report.

#![recursion_limit = "256"]

mod abuse;
mod admin;
mod api;
mod assets;
mod auth;
mod cache;
mod coding;
mod db;
mod demo;
mod error;
mod html;
mod i18n;
mod intake;
mod listen;
mod public;
mod query;
mod replica;
mod review;
mod security;
mod submit;
mod workspace;

pub use abuse::{RateLimit, SlowClients, TrustedProxy};
pub use error::{AppError, ERROR_TABLE};
pub use security::AccessLog;
pub use submit::{receipt_hash, report_text};
pub use unrest_media::Limits as MediaLimits;
pub use unrest_seal::Recipient;

/// What the static mirror (`unrest-site`) shares with the server, so that both show the
/// same words, the same assets and the same JSON for an event.
pub mod mirror {
    pub use crate::api::{public_corroboration, PublicEvent};
    pub use crate::assets::all as assets;
    pub use crate::i18n::{actor_name, term, Lang, Tr};
    pub use crate::public::{
        digest_event, event_article, in_view_panel, notes_for, place_name, province_name,
        public_day, terms_json, timeline_svg,
    };
}

use axum::extract::DefaultBodyLimit;
use axum::Router;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

/// How `unrest serve` runs.
#[derive(Clone)]
pub struct ServeConfig {
    /// The dataset: `sqlite:PATH`, a file path, or `postgres://…`.
    pub db: String,
    pub bind: SocketAddr,
    /// Fill an empty dataset with sample reports, coded and published.
    pub demo: bool,
    /// A tile server for the public map, e.g. `https://tiles.example.org/{z}/{x}/{y}.png`.
    /// Off by default: tiles from a third party would tell it who looks at the map.
    pub tile_url: Option<String>,
    /// Mark the session cookie `Secure` (set when served over HTTPS, directly or behind a
    /// proxy). Off by default so that plain-HTTP onion services and localhost work.
    pub secure_cookies: bool,
    /// Open database connections at most.
    pub pool_size: usize,
    pub access_log: AccessLog,
    /// Sealed mode: every submission is encrypted to this key on arrival and only the
    /// ciphertext is stored (see `unrest-seal`). `None`: open mode, coded on arrival.
    pub seal_to: Option<Recipient>,
    /// Photo limits (size, pixels, count) for `/submit`.
    pub media_limits: MediaLimits,
    /// Sealed mode only: keep each photo's original (with its metadata, as evidence)
    /// inside the seal beside the scrubbed copy. Off by default; never kept in open mode.
    pub keep_originals: bool,
    /// Submissions per client (see `abuse`). Default 10 in 10 minutes.
    pub submit_limit: RateLimit,
    /// Login attempts per client, beside the per-name back-off. Default 20 in 10 minutes.
    pub login_limit: RateLimit,
    /// Submissions handled at once; one more waits `slow_clients.queue_wait`, then is
    /// answered 503. Default 4.
    pub submissions_in_flight: usize,
    /// Whose word on the client's address is taken (reverse proxy, onion service).
    pub trusted_proxy: TrustedProxy,
    /// Timeouts and bounds against slow clients (see `abuse`).
    pub slow_clients: SlowClients,
    /// Sealed mode: arrival times are stored rounded down to this (default an hour).
    pub sealed_time_step: std::time::Duration,
    /// Serve only what reads (the public site and API), e.g. from a streaming replica;
    /// everything that would write gets a page saying so (see `replica`).
    pub read_only: bool,
}

impl ServeConfig {
    /// `unrest serve` with no options: SQLite `unrest.db`, http://127.0.0.1:8080.
    pub fn new(db: impl Into<String>) -> ServeConfig {
        ServeConfig {
            db: db.into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            demo: false,
            tile_url: None,
            secure_cookies: false,
            pool_size: 4,
            access_log: AccessLog::Stderr,
            seal_to: None,
            media_limits: MediaLimits::default(),
            keep_originals: false,
            submit_limit: RateLimit::per_minutes(10, 10),
            login_limit: RateLimit::per_minutes(20, 10),
            submissions_in_flight: 4,
            trusted_proxy: TrustedProxy::default(),
            slow_clients: SlowClients::default(),
            sealed_time_step: std::time::Duration::from_secs(3600),
            read_only: false,
        }
    }
}

/// What every handler shares.
pub(crate) struct AppState {
    pub db: Arc<db::Db>,
    pub forms: security::FormTokens,
    pub coder: RwLock<Arc<coding::WebCoder>>,
    pub tile_url: Option<String>,
    pub secure_cookies: bool,
    pub seal_to: Option<Recipient>,
    pub media_limits: MediaLimits,
    pub keep_originals: bool,
    pub submit_limiter: abuse::Limiter,
    pub login_limiter: abuse::Limiter,
    pub submissions_in_flight: Arc<tokio::sync::Semaphore>,
    pub bodies_in_flight: Arc<tokio::sync::Semaphore>,
    pub trusted_proxy: TrustedProxy,
    pub slow_clients: SlowClients,
    pub used_forms: abuse::UsedForms,
    pub sealed_time_step: std::time::Duration,
}

pub(crate) type Shared = Arc<AppState>;

/// A bound, not yet running server: tests read its address before running it.
pub struct Server {
    listener: tokio::net::TcpListener,
    app: Router,
    slow_clients: SlowClients,
}

impl Server {
    /// Opens the dataset (migrating it), seeds the demo if asked, and binds the address.
    pub async fn bind(config: ServeConfig) -> anyhow::Result<Server> {
        let (url, size) = (config.db.clone(), config.pool_size);
        let db = tokio::task::spawn_blocking(move || db::Db::open(&url, size)).await??;
        let coder = coding::WebCoder::load(&db).await?;
        let form_key = replica::form_key(&db, config.read_only).await?;
        let limits_key = replica::limits_key(&db, config.read_only).await?;
        let limiter = |limit, kind| match limits_key {
            Some(key) => abuse::Limiter::shared(limit, kind, key),
            None => abuse::Limiter::new(limit),
        };
        let state = Arc::new(AppState {
            db,
            forms: security::FormTokens::new(form_key),
            coder: RwLock::new(Arc::new(coder)),
            tile_url: config.tile_url.clone(),
            secure_cookies: config.secure_cookies,
            seal_to: config.seal_to.clone(),
            media_limits: config.media_limits.clone(),
            keep_originals: config.keep_originals,
            submit_limiter: limiter(config.submit_limit, "submit"),
            login_limiter: limiter(config.login_limit, "login"),
            submissions_in_flight: Arc::new(tokio::sync::Semaphore::new(
                config.submissions_in_flight.max(1),
            )),
            bodies_in_flight: Arc::new(tokio::sync::Semaphore::new(
                config.slow_clients.bodies_in_flight.max(1),
            )),
            trusted_proxy: config.trusted_proxy.clone(),
            slow_clients: config.slow_clients.clone(),
            used_forms: abuse::UsedForms::new(limits_key.is_some()),
            sealed_time_step: config.sealed_time_step,
        });
        if config.demo && config.read_only {
            anyhow::bail!("--demo writes sample reports: it cannot run with --read-only");
        }
        if config.demo {
            demo::seed(&state).await?;
        }
        let listener = tokio::net::TcpListener::bind(config.bind).await?;
        Ok(Server {
            listener,
            app: router(state, &config),
            slow_clients: config.slow_clients.clone(),
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until ctrl-c (or forever, under a test runtime that is dropped).
    pub async fn run(self) -> anyhow::Result<()> {
        tokio::select! {
            done = listen::serve(self.listener, self.app, self.slow_clients) => done,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    }
}

/// The largest request body any route accepts (a report is at most 20,000 characters,
/// i.e. at most 80 kB of UTF-8, and url-encoding can triple that).
pub const BODY_LIMIT: usize = 256 * 1024;

fn router(state: Shared, config: &ServeConfig) -> Router {
    let tile_origin = config.tile_url.as_deref().and_then(origin_of);
    Router::new()
        .merge(public::routes())
        .merge(submit::routes())
        .merge(review::routes())
        .merge(workspace::routes())
        .merge(admin::routes())
        .merge(api::routes())
        .merge(assets::routes())
        .merge(replica::routes())
        .fallback(public::not_found)
        .layer(axum::middleware::from_fn(html::error_language))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            abuse::limits,
        ))
        .layer(axum::middleware::from_fn_with_state(
            config.read_only,
            replica::read_only,
        ))
        .with_state(state)
        .layer(axum::middleware::from_fn(cache::public_cache))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            security::Headers::new(tile_origin.as_deref()),
            security::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            config.access_log.clone(),
            security::access_log,
        ))
}

/// `https://tiles.example.org/{z}/…` → `https://tiles.example.org`, for the CSP.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    (!host.is_empty() && !host.contains(['{', ' ', ';', '\'']))
        .then(|| format!("{scheme}://{host}"))
}

/// `unrest serve`: runs the app until ctrl-c.
pub fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let config_sealed = config.seal_to.is_some();
    rt.block_on(async move {
        let server = Server::bind(config).await?;
        let mode = if config_sealed {
            "sealed: reports are encrypted on arrival, none is stored in the clear"
        } else {
            "open: reports are coded on arrival"
        };
        eprintln!(
            "unrest: serving on http://{} ({mode})",
            server.local_addr()?
        );
        server.run().await
    })
}

/// `unrest user add NAME --role analyst|admin`: creates an account, or sets a new password
/// and role for an existing one. The password is hashed with Argon2id here; only the hash
/// is stored.
pub fn add_user(store_url: &str, name: &str, role: &str, password: &str) -> anyhow::Result<()> {
    auth::add_user(store_url, name, role, password)
}
