//! The coder as the web app uses it: the built-in rules with the built-in gazetteer plus the
//! places analysts added, rebuilt when one is added, and handed to the store per request.
//!
//! The version string is the CLI's (`unrest X.Y.Z`), so `unrest ingest --recode` and the web
//! app agree on which reports a coder version has coded.

use crate::db::Db;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use unrest_coder::{Coder, Lang, Options};
use unrest_gazetteer::Gazetteer;
use unrest_model::{Event, Report};
use unrest_store::Coding;

pub struct WebCoder {
    pub coder: Coder,
    pub version: String,
}

impl WebCoder {
    /// The coder with the places stored in the dataset.
    pub async fn load(db: &Arc<Db>) -> Result<WebCoder, AppError> {
        let tsv = db.run(|s| Ok(s.places_tsv()?)).await?;
        WebCoder::with_places(&tsv)
    }

    pub fn with_places(tsv: &str) -> Result<WebCoder, AppError> {
        WebCoder::try_places(tsv).map_err(|e| AppError::Internal(format!("stored places: {e}")))
    }

    /// A coder with these places, or what is wrong with them (an unknown city, a bad
    /// coordinate) as the gazetteer says it: for an analyst adding a place.
    pub fn try_places(tsv: &str) -> Result<WebCoder, unrest_gazetteer::PlaceError> {
        let coder = if tsv.trim().is_empty() {
            Coder::new()
        } else {
            Coder::with_gazetteer(Gazetteer::embedded().with_user_places(tsv)?)
        };
        Ok(WebCoder {
            coder,
            version: format!("unrest {}", env!("CARGO_PKG_VERSION")),
        })
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        self.coder.gazetteer()
    }

    /// The store's view of this coder for one request, stamping events with `now`.
    pub fn step(&self, now: DateTime<Utc>) -> Step<'_> {
        Step { coder: self, now }
    }
}

pub struct Step<'a> {
    coder: &'a WebCoder,
    now: DateTime<Utc>,
}

impl Coding for Step<'_> {
    fn version(&self) -> &str {
        &self.coder.version
    }

    fn code(&mut self, report: &Report, received_at: DateTime<Utc>) -> Vec<Event> {
        let options = Options {
            reference: report
                .reference_date
                .as_deref()
                .and_then(|d| d.parse().ok()),
            today: received_at.date_naive(),
            lang: report
                .lang
                .as_deref()
                .and_then(|l| l.parse().ok())
                .unwrap_or(Lang::Auto),
            timestamp: self.now.timestamp(),
        };
        self.coder.coder.code_with(report, &options)
    }
}
