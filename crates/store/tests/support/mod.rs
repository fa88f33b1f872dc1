//! The harness: a fresh database per test on either backend, a fake coder whose events are
//! written in the report itself, and small builders. Every storage test runs its one body
//! on SQLite and on PostgreSQL through [`both!`].

#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use std::sync::atomic::{AtomicU32, Ordering};
use unrest_model::{Event, Report};
use unrest_store::{Coding, Dialect, NewReport, Store};

/// A database that exists for one test and is removed after it.
pub struct TestDb {
    pub url: String,
    pub dialect: Dialect,
    _dir: Option<tempfile::TempDir>,
    pg_schema: Option<(String, String)>,
}

pub fn postgres_admin_url() -> String {
    std::env::var("UNREST_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite:{}", dir.path().join("unrest.db").display());
        TestDb {
            url,
            dialect: Dialect::Sqlite,
            _dir: Some(dir),
            pg_schema: None,
        }
    }

    /// A schema of its own in the test database, chosen by `search_path` in the URL.
    pub fn postgres() -> TestDb {
        static N: AtomicU32 = AtomicU32::new(0);
        let admin = postgres_admin_url();
        let schema = format!(
            "t_{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).unwrap_or_else(|e| {
            panic!("PostgreSQL at {admin} is needed for this test (run scripts/pg-start.sh, or set UNREST_TEST_POSTGRES): {e}")
        });
        client
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .expect("create test schema");
        let sep = if admin.contains('?') { '&' } else { '?' };
        TestDb {
            url: format!("{admin}{sep}options=-csearch_path%3D{schema}"),
            dialect: Dialect::Postgres,
            _dir: None,
            pg_schema: Some((admin, schema)),
        }
    }

    pub fn open(&self) -> Store {
        Store::open(&self.url).unwrap_or_else(|e| panic!("open {}: {e}", self.url))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, schema)) = &self.pg_schema {
            if let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
            }
        }
    }
}

/// Runs each body once per backend: `mod name { fn sqlite(); fn postgres(); }`.
#[macro_export]
macro_rules! both {
    ($(fn $name:ident($db:ident) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            fn body($db: &$crate::support::TestDb) $body
            #[test]
            fn sqlite() {
                body(&$crate::support::TestDb::sqlite())
            }
            #[test]
            fn postgres() {
                body(&$crate::support::TestDb::postgres())
            }
        }
    )*};
}

/// A coder whose events are spelled out in the report, one per line starting with `@`:
/// `@DATE;ADMIN1;LON;LAT;EVENT_TYPE;SUB_EVENT_TYPE;NOTES`. Other lines are prose.
pub struct LineCoder {
    pub version: String,
    /// Appended to every event's notes, to tell coders apart.
    pub mark: String,
}

impl LineCoder {
    pub fn new(version: &str) -> LineCoder {
        LineCoder {
            version: version.to_string(),
            mark: String::new(),
        }
    }
}

impl Coding for LineCoder {
    fn version(&self) -> &str {
        &self.version
    }

    fn code(&mut self, report: &Report, _received_at: DateTime<Utc>) -> Vec<Event> {
        report
            .text
            .lines()
            .filter_map(|l| l.strip_prefix('@'))
            .map(|l| {
                let f: Vec<&str> = l.split(';').collect();
                let mut e = event(
                    f[0],
                    f[1],
                    f[2].parse().unwrap(),
                    f[3].parse().unwrap(),
                    f[4],
                    f[5],
                );
                e.notes = format!("{}{}", f.get(6).copied().unwrap_or(""), self.mark);
                e.report = report.id.clone();
                e
            })
            .collect()
    }
}

/// An event with the fields queries look at; the rest as a coder would leave them.
pub fn event(date: &str, admin1: &str, lon: f64, lat: f64, event_type: &str, sub: &str) -> Event {
    Event {
        event_date: date.to_string(),
        year: date[..4].parse().unwrap(),
        time_precision: 1,
        disorder_type: "Demonstrations".into(),
        event_type: event_type.into(),
        sub_event_type: sub.into(),
        actor1: "Protesters (Iran)".into(),
        inter1: "Protesters".into(),
        interaction: "Protesters only".into(),
        iso: 364,
        region: "Middle East".into(),
        country: "Iran".into(),
        admin1: admin1.into(),
        location: admin1.into(),
        latitude: lat,
        longitude: lon,
        geo_precision: 1,
        source: "Eyewitness".into(),
        source_scale: "Local partner-Other".into(),
        confidence: 0.8,
        ..Default::default()
    }
}

pub fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2022, 11, day, 12, 0, 0).unwrap()
}

pub fn new_report(id: &str, text: &str) -> NewReport {
    NewReport {
        report: Report {
            id: id.to_string(),
            text: text.to_string(),
            reference_date: Some("2022-10-30".into()),
            lang: None,
        },
        received_at: at(1),
        channel: "cli".into(),
    }
}

/// Every stored event, in query order.
pub fn all_events(store: &mut Store) -> Vec<unrest_store::StoredEvent> {
    let mut all = Vec::new();
    store
        .events::<unrest_store::Error>(&Default::default(), &Default::default(), |e| {
            all.push(e);
            Ok(())
        })
        .unwrap();
    all
}

/// The ids of the events of a filter, in query order.
pub fn ids(store: &mut Store, f: &unrest_store::Filter, p: &unrest_store::Page) -> Vec<i64> {
    let mut all = Vec::new();
    store
        .events::<unrest_store::Error>(f, p, |e| {
            all.push(e.id);
            Ok(())
        })
        .unwrap();
    all
}
