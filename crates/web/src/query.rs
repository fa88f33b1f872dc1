//! The public filters, as the map, the downloads and the API all read them from a query
//! string, checked once into a store [`Filter`] that can only select published events.
//!
//! The status is not a parameter: a public query is published-only by construction.

use crate::error::AppError;
use chrono::NaiveDate;
use serde::Deserialize;
use unrest_store::{BBox, Filter, Order, Page};

/// The largest page the API serves; downloads stream everything.
pub const MAX_LIMIT: u64 = 1000;
pub const DEFAULT_LIMIT: u64 = 100;

/// The query string as given: every field optional text, so that a bad value is our
/// `bad_request` with a reason, not the framework's rejection.
#[derive(Debug, Default, Deserialize, Clone)]
pub struct PublicQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    /// `admin1` too: the CLI's and ACLED's name for it.
    #[serde(alias = "admin1")]
    pub province: Option<String>,
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    pub q: Option<String>,
    pub bbox: Option<String>,
    pub limit: Option<String>,
    pub after: Option<String>,
    pub lang: Option<String>,
    /// The map's zoom level (`/api/map`).
    pub zoom: Option<String>,
}

fn nonblank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn date(name: &str, s: &Option<String>) -> Result<Option<NaiveDate>, AppError> {
    nonblank(s)
        .map(|d| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                AppError::BadRequest(format!("{name} must be a date as YYYY-MM-DD, not {d:?}"))
            })
        })
        .transpose()
}

impl PublicQuery {
    /// The store filter: these restrictions, published events only.
    pub fn filter(&self) -> Result<Filter, AppError> {
        let filter: Filter = Filter {
            from: date("from", &self.from)?,
            to: date("to", &self.to)?,
            admin1: nonblank(&self.province).map(str::to_string),
            event_type: nonblank(&self.event_type).map(str::to_string),
            status: Vec::new(),
            bbox: nonblank(&self.bbox)
                .map(|b| b.parse::<BBox>())
                .transpose()
                .map_err(|e| AppError::BadRequest(e.to_string()))?,
            search: nonblank(&self.q).map(str::to_string),
            public: false,
        }
        .public();
        filter
            .validate()
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        Ok(filter)
    }

    /// One page, by date then id, after the event `after` (keyset pagination).
    pub fn page(&self) -> Result<Page, AppError> {
        let limit = match nonblank(&self.limit) {
            None => DEFAULT_LIMIT,
            Some(l) => match l.parse::<u64>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    return Err(AppError::BadRequest(format!(
                        "limit must be a whole number from 1 to {MAX_LIMIT}, not {l:?}"
                    )))
                }
            },
        };
        let after = nonblank(&self.after)
            .map(|a| {
                a.parse::<i64>().map_err(|_| {
                    AppError::BadRequest(format!("after must be an event id, not {a:?}"))
                })
            })
            .transpose()?;
        Ok(Page {
            order: Order::Date,
            limit: Some(limit),
            offset: 0,
            after,
        })
    }

    /// The filter part of the query string again (for download links and paging).
    pub fn filter_query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("from", &self.from),
            ("to", &self.to),
            ("province", &self.province),
            ("type", &self.event_type),
            ("q", &self.q),
            ("bbox", &self.bbox),
        ]
        .into_iter()
        .filter_map(|(k, v)| nonblank(v).map(|v| (k, v)))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unrest_store::Status;

    #[test]
    fn a_public_filter_is_published_only_whatever_is_asked() {
        let q: PublicQuery = serde_urlencoded::from_str("status=coded&province=Tehran").unwrap();
        assert_eq!(q.filter().unwrap().status, vec![Status::Published]);
    }

    #[test]
    fn bad_values_say_what_is_wrong() {
        let q: PublicQuery = serde_urlencoded::from_str("from=yesterday").unwrap();
        assert!(matches!(q.filter(), Err(AppError::BadRequest(m)) if m.contains("from")));
        let q: PublicQuery = serde_urlencoded::from_str("limit=100000").unwrap();
        assert!(q.page().is_err());
        let q: PublicQuery = serde_urlencoded::from_str("bbox=1,2,3").unwrap();
        assert!(q.filter().is_err());
    }
}
