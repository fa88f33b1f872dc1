//! Analysts and admins: Argon2id password hashes, server-side sessions behind an opaque
//! cookie, and the extractors that admit a request to the review pages.
//!
//! - The cookie holds 32 random bytes; the database holds only their SHA-256, so a copy of
//!   the database opens no session. `HttpOnly; SameSite=Strict; Path=/` (and `Secure` when
//!   configured). Sessions last 12 hours.
//! - Each session has its own CSRF token, which every analyst form carries and every
//!   state-changing analyst route checks ([`Analyst::check_csrf`]).
//! - Only `/login` sets the cookie. Reporters' routes never read or set one.

use crate::error::AppError;
use crate::html::Viewer;
use crate::security::{random_token, same, same_site, token_hash};
use crate::Shared;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use chrono::Utc;
use unrest_store::Role;
use unrest_store::Store;

pub const COOKIE: &str = "unrest_session";

/// Failed logins in a row, per user name (never per address: none is kept). After
/// [`Throttle::LIMIT`] failures that name is refused for [`Throttle::PAUSE`], so that a
/// password cannot be guessed at the server's speed. Kept in the database, so the back-off
/// holds across every replica and a restart.
pub struct Throttle;

impl Throttle {
    pub const LIMIT: u32 = 5;
    pub const PAUSE: std::time::Duration = std::time::Duration::from_secs(60);

    pub fn key(name: &str) -> String {
        name.trim().to_lowercase()
    }

    fn pause() -> chrono::Duration {
        chrono::Duration::from_std(Self::PAUSE).unwrap_or_else(|_| chrono::Duration::minutes(1))
    }

    pub fn locked(s: &mut Store, name: &str) -> unrest_store::Result<bool> {
        s.login_locked(
            &Self::key(name),
            chrono::Utc::now(),
            Self::LIMIT,
            Self::pause(),
        )
    }

    pub fn failed(s: &mut Store, name: &str) -> unrest_store::Result<()> {
        s.login_failed(&Self::key(name), chrono::Utc::now(), Self::pause())
    }

    pub fn succeeded(s: &mut Store, name: &str) -> unrest_store::Result<()> {
        s.login_succeeded(&Self::key(name))
    }
}
const SESSION_HOURS: i64 = 12;

/// Hashes a password with Argon2id and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::encode_b64(&crate::security::random_bytes::<16>())
        .map_err(|e| AppError::Internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing: {e}")))
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of nothing anyone knows, checked when the user name is unknown, so that a
/// wrong name takes as long as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

/// The least a password must be.
pub fn check_password(password: &str) -> Result<(), AppError> {
    if password.chars().count() < 10 {
        return Err(AppError::BadRequest(
            "a password needs at least 10 characters".into(),
        ));
    }
    if password.len() > 1024 {
        return Err(AppError::BadRequest("that password is too long".into()));
    }
    Ok(())
}

pub fn add_user(store_url: &str, name: &str, role: &str, password: &str) -> anyhow::Result<()> {
    let role: Role = role.parse()?;
    check_password(password).map_err(|e| anyhow::anyhow!(e.message()))?;
    let hash = hash_password(password).map_err(|e| anyhow::anyhow!(e.message()))?;
    let mut store = Store::open(store_url)?;
    let (_, new) = store.put_user(name, role, &hash, "unrest user add", Utc::now())?;
    eprintln!(
        "unrest: {} user {} ({role})",
        if new { "added" } else { "updated" },
        name.trim()
    );
    Ok(())
}

/// Checks a name and password; on success stores a new session and returns the cookie
/// token. Unknown names and wrong passwords are one answer, in about one time.
pub fn login(store: &mut Store, name: &str, password: &str) -> Result<Option<String>, AppError> {
    let user = store.user_by_name(name)?;
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| decoy_hash().to_string());
    let ok = verify_password(password, &hash);
    let Some(user) = user.filter(|u| ok && !u.disabled) else {
        return Ok(None);
    };
    let token = random_token();
    let now = Utc::now();
    store.create_session(
        &token_hash(&token),
        user.id,
        &random_token(),
        now,
        now + chrono::Duration::hours(SESSION_HOURS),
    )?;
    store.record_change(&user.name, now, "login", None, None, "")?;
    Ok(Some(token))
}

/// The `Set-Cookie` value for a session token (empty token: the cookie is removed).
pub fn cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    if token.is_empty() {
        format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}")
    } else {
        format!(
            "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
            SESSION_HOURS * 3600
        )
    }
}

pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| v.len() == 64 && v.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A logged-in analyst or admin.
#[derive(Debug, Clone)]
pub struct Analyst {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub csrf: String,
    pub token_hash: String,
}

impl Analyst {
    pub fn viewer(&self) -> Viewer {
        Viewer {
            name: self.name.clone(),
            admin: self.role == Role::Admin,
            csrf: self.csrf.clone(),
        }
    }

    /// The check every state-changing analyst route makes on its form.
    pub fn check_csrf(&self, headers: &HeaderMap, token: Option<&str>) -> Result<(), AppError> {
        same_site(headers)?;
        match token {
            Some(t) if same(t, &self.csrf) => Ok(()),
            _ => Err(AppError::Csrf),
        }
    }
}

async fn analyst_of(parts: &Parts, state: &Shared) -> Result<Option<Analyst>, AppError> {
    let Some(token) = session_token(&parts.headers) else {
        return Ok(None);
    };
    let hash = token_hash(&token);
    let h = hash.clone();
    let session = state
        .db
        .run(move |s| Ok(s.session(&h, Utc::now())?))
        .await?;
    Ok(session.map(|s| Analyst {
        id: s.user.id,
        name: s.user.name,
        role: s.user.role,
        csrf: s.csrf,
        token_hash: hash,
    }))
}

/// Refusal of a logged-out request: a page request is sent to the login form, anything
/// else is answered 401.
pub struct LoginFirst(Method);

impl axum::response::IntoResponse for LoginFirst {
    fn into_response(self) -> axum::response::Response {
        if self.0 == Method::GET {
            axum::response::Redirect::to("/login").into_response()
        } else {
            AppError::Unauthorized.into_response()
        }
    }
}

impl<S> FromRequestParts<S> for Analyst
where
    Shared: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let state = Shared::from_ref(state);
        match analyst_of(parts, &state).await {
            Ok(Some(a)) => Ok(a),
            Ok(None) => Err(LoginFirst(parts.method.clone()).into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// A logged-in admin.
pub struct Admin(pub Analyst);

impl<S> FromRequestParts<S> for Admin
where
    Shared: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let a = <Analyst as FromRequestParts<S>>::from_request_parts(parts, state).await?;
        if a.role == Role::Admin {
            Ok(Admin(a))
        } else {
            Err(AppError::Forbidden.into_response())
        }
    }
}

/// Whoever is logged in, if anyone, for the navigation of public pages.
pub struct MaybeViewer(pub Option<Viewer>);

impl<S> FromRequestParts<S> for MaybeViewer
where
    Shared: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = Shared::from_ref(state);
        let a = analyst_of(parts, &state).await.ok().flatten();
        Ok(MaybeViewer(a.map(|a| a.viewer())))
    }
}

impl<S> OptionalFromRequestParts<S> for Analyst
where
    Shared: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        let state = Shared::from_ref(state);
        Ok(analyst_of(parts, &state).await.ok().flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hashes_verify_and_differ_by_salt() {
        let a = hash_password("correct horse battery").unwrap();
        let b = hash_password("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("wrong horse battery", &a));
    }

    #[test]
    fn the_session_cookie_is_strict_and_http_only() {
        let c = cookie(&"a".repeat(64), false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Path=/"));
        assert!(cookie("x", true).contains("Secure"));
    }
}
