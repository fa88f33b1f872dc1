//! What a load balancer and a read-only replica need: `/healthz` (the process answers),
//! `/readyz` (the database answers and its schema is the one this binary speaks), and
//! `serve --read-only`, which serves the public site and API from a streaming replica (or
//! through a read-only role) and answers everything that would write (submissions,
//! receipts' follow-ups, logins, review) with a page that says where to go instead.

use crate::html::Frame;
use crate::i18n::Lang;
use crate::Shared;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::html;

/// The key of reporters' form tokens, shared through the database by every replica (so a
/// form served by one is accepted by another). A read-only replica takes no forms: if the
/// database holds no key yet it uses one of its own.
pub async fn form_key(
    db: &std::sync::Arc<crate::db::Db>,
    read_only: bool,
) -> anyhow::Result<[u8; 32]> {
    use sha2::{Digest, Sha256};
    let fresh = crate::security::random_token();
    let mine = fresh.clone();
    let secret = match db
        .run(move |s| Ok(s.shared_secret("form-tokens", &mine)?))
        .await
    {
        Ok(secret) => secret,
        Err(_) if read_only => fresh,
        Err(e) => anyhow::bail!("reading the shared form key: {}", e.message()),
    };
    Ok(Sha256::digest(secret.as_bytes()).into())
}

/// The key under which replicas on PostgreSQL hash clients for the abuse limits they
/// count together (see `abuse`): `None` on SQLite (one server, which counts in memory
/// under a key it never writes) and on a read-only replica (it takes no submissions).
pub async fn limits_key(
    db: &std::sync::Arc<crate::db::Db>,
    read_only: bool,
) -> anyhow::Result<Option<[u8; 32]>> {
    use sha2::{Digest, Sha256};
    if read_only {
        return Ok(None);
    }
    let fresh = crate::security::random_token();
    let found = db
        .run(move |s| {
            if s.dialect() != unrest_store::Dialect::Postgres {
                return Ok(None);
            }
            Ok(Some(s.shared_secret("client-limits", &fresh)?))
        })
        .await;
    match found {
        Ok(secret) => Ok(secret.map(|s| Sha256::digest(s.as_bytes()).into())),
        Err(e) => anyhow::bail!("reading the shared limits key: {}", e.message()),
    }
}

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
}

async fn ready(State(state): State<Shared>) -> Response {
    let found = state.db.run(|s| Ok(s.schema_version()?)).await;
    let known = unrest_store::SCHEMA_VERSION;
    let (status, body) = match found {
        Ok(v) if v == known => (StatusCode::OK, "ready\n".to_string()),
        Ok(v) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "not ready: the database is at schema version {v}, this binary needs {known}\n"
            ),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: the database does not answer\n".to_string(),
        ),
    };
    (status, body).into_response()
}

/// Paths that write, or lead only to a form that would.
fn writes(method: &Method, path: &str) -> bool {
    if !matches!(*method, Method::GET | Method::HEAD) {
        return true;
    }
    ["/submit", "/login", "/review", "/admin"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// With `--read-only`: refuses every request that would write, with a clear page.
pub async fn read_only(State(on): State<bool>, req: Request, next: Next) -> Response {
    if !on || !writes(req.method(), req.uri().path()) {
        return next.run(req).await;
    }
    let lang = Lang::pick(
        req.uri()
            .query()
            .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang="))),
        req.headers(),
    );
    let (title, text) = match lang {
        Lang::En => (
            "Read-only copy",
            "This server is a read-only copy of the site: it shows the map and the published events, and takes no reports, logins or changes. Send your report through the main site.",
        ),
        Lang::Fa => (
            "نسخهٔ فقط‌خواندنی",
            "این سرور نسخهٔ فقط‌خواندنی سایت است: نقشه و رویدادهای منتشرشده را نشان می‌دهد و گزارش، ورود یا تغییری نمی‌پذیرد. گزارش خود را از طریق سایت اصلی بفرستید.",
        ),
    };
    let page = Frame {
        lang,
        title,
        path: "/",
        viewer: None,
        scripts: &[],
        styles: &[],
        body_class: "",
    }
    .render(html! {
        h1 { (title) }
        p.error #read-only role="alert" { (text) }
    });
    let mut res = (StatusCode::SERVICE_UNAVAILABLE, page).into_response();
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("3600"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replica_refuses_every_write_and_the_forms_that_lead_to_one() {
        assert!(writes(&Method::POST, "/api/events"));
        assert!(writes(&Method::GET, "/submit"));
        assert!(writes(&Method::GET, "/review/report/3"));
        assert!(!writes(&Method::GET, "/"));
        assert!(!writes(&Method::GET, "/events/3"));
        assert!(!writes(&Method::GET, "/submitted"));
    }
}
