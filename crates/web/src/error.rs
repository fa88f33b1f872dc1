//! Every error the app answers with, in one table: a stable snake_case code, an HTTP status
//! and a message safe to show. The API answers `{"error": {"code", "message"}}`; pages show
//! the message in the page frame.
//!
//! What this module must not do: put internals (SQL, file paths, database URLs) in what the
//! client sees. Those are logged once, here, and the client gets `internal`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// What went wrong, as the client may know it.
#[derive(Debug)]
pub enum AppError {
    /// A query or form value is malformed: a bad date, bbox, page size, field.
    BadRequest(String),
    NotFound,
    /// A page or API route that needs a logged-in analyst, without a valid session.
    Unauthorized,
    /// Logged in, but not allowed (an analyst on an admin page).
    Forbidden,
    /// A state-changing request without a valid CSRF token, or from another site.
    Csrf,
    /// The body is larger than the route accepts.
    TooLarge,
    /// The request conflicts with the current state (a user name taken, merging an event
    /// with itself).
    Conflict(String),
    /// The database could not be reached or answered with an error (logged).
    Unavailable(String),
    /// A bug or an unexpected failure (logged).
    Internal(String),
    /// This client sent too many requests of this kind; retry after so many seconds.
    TooManyRequests(u64),
    /// Too many submissions are being handled at once; retry after so many seconds.
    Busy(u64),
}

/// The one table: error → code → HTTP status.
pub const ERROR_TABLE: [(&str, u16, &str); 11] = [
    ("bad_request", 400, "A parameter or field is malformed."),
    ("not_found", 404, "Nothing is at this address."),
    ("unauthorized", 401, "Log in first."),
    ("forbidden", 403, "Your role does not allow this."),
    (
        "csrf_failed",
        403,
        "The form has expired or did not come from this site; reload it and try again.",
    ),
    ("payload_too_large", 413, "The request body is too large."),
    ("conflict", 409, "This conflicts with the current state."),
    (
        "unavailable",
        503,
        "The database is not available; try again later.",
    ),
    ("internal", 500, "Something went wrong on our side."),
    (
        "too_many_requests",
        429,
        "Too many requests from this connection in a short time. Nothing was sent: go back (your text is still in the form) and try again in a few minutes.",
    ),
    (
        "busy",
        503,
        "Too many reports are arriving right now. Nothing was sent: go back (your text is still in the form) and try again in a minute.",
    ),
];

impl AppError {
    fn index(&self) -> usize {
        match self {
            AppError::BadRequest(_) => 0,
            AppError::NotFound => 1,
            AppError::Unauthorized => 2,
            AppError::Forbidden => 3,
            AppError::Csrf => 4,
            AppError::TooLarge => 5,
            AppError::Conflict(_) => 6,
            AppError::Unavailable(_) => 7,
            AppError::Internal(_) => 8,
            AppError::TooManyRequests(_) => 9,
            AppError::Busy(_) => 10,
        }
    }

    pub fn code(&self) -> &'static str {
        ERROR_TABLE[self.index()].0
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(ERROR_TABLE[self.index()].1)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The message the client sees: the specific one for client errors, the generic one
    /// for server errors (whose details only go to the log).
    pub fn message(&self) -> String {
        match self {
            AppError::BadRequest(m) | AppError::Conflict(m) => m.clone(),
            _ => ERROR_TABLE[self.index()].2.to_string(),
        }
    }

    /// Logs server-side failures once, with their details.
    fn log(&self) {
        match self {
            AppError::Unavailable(d) => eprintln!("unrest-web: database unavailable: {d}"),
            AppError::Internal(d) => eprintln!("unrest-web: internal error: {d}"),
            _ => {}
        }
    }

    /// The JSON body of the API.
    pub fn body(&self) -> serde_json::Value {
        json!({"error": {"code": self.code(), "message": self.message()}})
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Unavailable(d) | AppError::Internal(d) => write!(f, "{}: {d}", self.code()),
            _ => write!(f, "{}: {}", self.code(), self.message()),
        }
    }
}

impl std::error::Error for AppError {}

impl From<unrest_store::Error> for AppError {
    fn from(e: unrest_store::Error) -> Self {
        use unrest_store::Error as E;
        match e {
            E::Invalid(m) => AppError::BadRequest(m),
            E::Locked { .. } | E::Connect { .. } | E::DiskFull { .. } | E::ReadOnly { .. } => {
                AppError::Unavailable(e.to_string())
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        AppError::Internal(format!("a database task failed: {e}"))
    }
}

/// An error answered as JSON (the API's routes).
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        (self.0.status(), axum::Json(self.0.body())).into_response()
    }
}

/// What an error page showed, so that a layer that knows the request's language can write
/// the page again in it.
#[derive(Debug, Clone)]
pub struct ShownError {
    pub code: &'static str,
    pub message: String,
}

impl ShownError {
    /// Whether the message is the code's general one (so a translation of it may be shown).
    pub fn is_general(&self) -> bool {
        ERROR_TABLE
            .iter()
            .any(|(c, _, m)| *c == self.code && *m == self.message)
    }
}

impl IntoResponse for AppError {
    /// Pages answer with a small HTML page; see `pages::error_page` for the framed one.
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let body = crate::html::error_page(&self, crate::i18n::Lang::En);
        let mut response = (status, body).into_response();
        // The page is written again in the request's language by `html::error_language`.
        response.extensions_mut().insert(ShownError {
            code: self.code(),
            message: self.message(),
        });
        if let AppError::TooManyRequests(s) | AppError::Busy(s) = self {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, s.into());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for (code, status, _) in ERROR_TABLE {
            assert!(seen.insert(code), "{code} twice");
            assert!(code.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            assert!(StatusCode::from_u16(status).is_ok());
        }
    }

    #[test]
    fn server_errors_never_show_their_details() {
        let e = AppError::Internal("SELECT secret FROM users".into());
        assert!(!e.message().contains("secret"));
        assert_eq!(e.body()["error"]["code"], "internal");
    }
}
