//! The review queue at 100,000 reports on SQLite: the first page with no filter, with each
//! filter, a deep page, and a search. Not a test and not run by CI; the figures go in the
//! issue's closing note.
//!
//! ```text
//! cargo run --release -p unrest-store --example queue_bench -- [REPORTS] [DB]
//! ```
//!
//! Two reports in three give one event (ten provinces, five types, a year of days), the
//! third none; one in five is assigned. An existing DB file is reused (loaded once).

use chrono::{DateTime, TimeZone, Utc};
use std::time::Instant;
use unrest_model::{Event, Report};
use unrest_store::{Coding, NewReport, QueueFilter, Store};

const PROVINCES: [&str; 10] = [
    "Tehran",
    "Kurdistan",
    "Sistan and Baluchestan",
    "Khuzestan",
    "Isfahan",
    "Fars",
    "Razavi Khorasan",
    "Alborz",
    "Gilan",
    "West Azerbaijan",
];
const TYPES: [(&str, &str); 5] = [
    ("Protests", "Peaceful protest"),
    ("Protests", "Protest with intervention"),
    ("Protests", "Excessive force against protesters"),
    ("Riots", "Violent demonstration"),
    ("Strategic developments", "Arrests"),
];

/// Codes the event the report's first line names: `n`.
struct Synthetic;

impl Coding for Synthetic {
    fn version(&self) -> &str {
        "queue-bench"
    }
    fn code(&mut self, r: &Report, _: DateTime<Utc>) -> Vec<Event> {
        let n: usize = r.id.trim_start_matches('r').parse().unwrap_or(0);
        if n % 3 == 2 {
            return Vec::new();
        }
        let admin1 = PROVINCES[n % 10];
        let (event_type, sub) = TYPES[(n / 10) % 5];
        let day = Utc.with_ymd_and_hms(2022, 9, 16, 0, 0, 0).unwrap()
            + chrono::Duration::days((n % 365) as i64);
        vec![Event {
            event_date: day.format("%Y-%m-%d").to_string(),
            year: 2022,
            time_precision: 1,
            disorder_type: "Demonstrations".into(),
            event_type: event_type.into(),
            sub_event_type: sub.into(),
            actor1: "Protesters (Iran)".into(),
            iso: 364,
            country: "Iran".into(),
            admin1: admin1.into(),
            location: admin1.into(),
            latitude: 35.0,
            longitude: 51.0,
            geo_precision: 1,
            source: "Eyewitness".into(),
            notes: format!("Protesters gathered in {admin1}. Event {n}."),
            report: r.id.clone(),
            confidence: 0.7,
            ..Default::default()
        }]
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let reports: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let path = args.next().unwrap_or_else(|| {
        std::env::temp_dir()
            .join(format!("unrest-queue-bench-{reports}.db"))
            .display()
            .to_string()
    });
    let url = format!("sqlite:{path}");
    let fresh = !std::path::Path::new(&path).exists();
    let mut s = Store::open(&url).expect("open");
    if fresh {
        let t = Instant::now();
        let words = [
            "bazaar",
            "square",
            "university",
            "factory",
            "street",
            "hospital",
        ];
        for chunk in (0..reports).collect::<Vec<_>>().chunks(2000) {
            let batch: Vec<NewReport> = chunk
                .iter()
                .map(|&n| NewReport {
                    report: Report {
                        id: format!("r{n}"),
                        text: format!(
                            "Report {n}: people gathered near the {} and chanted; the witness wrote at length about it.",
                            words[n % words.len()]
                        ),
                        reference_date: None,
                        lang: Some(if n % 4 == 0 { "fa" } else { "en" }.into()),
                    },
                    received_at: Utc.with_ymd_and_hms(2022, 9, 16, 0, 0, 0).unwrap()
                        + chrono::Duration::minutes(n as i64 * 5),
                    channel: if n % 7 == 0 { "telegram:news".into() } else { "web".into() },
                })
                .collect();
            s.ingest(&batch, &mut Synthetic).expect("ingest");
        }
        let ids: Vec<i64> = (1..=reports as i64).filter(|i| i % 5 == 0).collect();
        for chunk in ids.chunks(2000) {
            s.assign(
                chunk,
                Some("maryam"),
                "bench",
                Utc.with_ymd_and_hms(2023, 9, 16, 0, 0, 0).unwrap(),
            )
            .expect("assign");
        }
        println!(
            "loaded {reports} reports in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let cases: Vec<(&str, QueueFilter)> = vec![
        ("to review, newest first", QueueFilter::default()),
        (
            "oldest first",
            QueueFilter {
                sort: Some("oldest".into()),
                ..Default::default()
            },
        ),
        (
            "page 100",
            QueueFilter {
                page: 100,
                ..Default::default()
            },
        ),
        (
            "province Kurdistan",
            QueueFilter {
                province: Some("Kurdistan".into()),
                ..Default::default()
            },
        ),
        (
            "type Arrests",
            QueueFilter {
                event_type: Some("Arrests".into()),
                ..Default::default()
            },
        ),
        (
            "dates 2023-01-01..2023-01-31",
            QueueFilter {
                from: Some("2023-01-01".into()),
                to: Some("2023-01-31".into()),
                ..Default::default()
            },
        ),
        (
            "channel telegram:news",
            QueueFilter {
                channel: Some("telegram:news".into()),
                ..Default::default()
            },
        ),
        (
            "language fa",
            QueueFilter {
                lang: Some("fa".into()),
                ..Default::default()
            },
        ),
        (
            "assigned to maryam",
            QueueFilter {
                assigned: Some("maryam".into()),
                ..Default::default()
            },
        ),
        (
            "no event",
            QueueFilter {
                no_event: true,
                ..Default::default()
            },
        ),
        (
            "search \"university\"",
            QueueFilter {
                search: Some("university".into()),
                ..Default::default()
            },
        ),
        (
            "published (none)",
            QueueFilter {
                status: Some("published".into()),
                ..Default::default()
            },
        ),
        (
            "Kurdistan + fa + search",
            QueueFilter {
                province: Some("Kurdistan".into()),
                lang: Some("fa".into()),
                search: Some("factory".into()),
                ..Default::default()
            },
        ),
    ];
    for (name, f) in cases {
        let f = QueueFilter { per_page: 50, ..f };
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..5 {
            let t = Instant::now();
            rows = s.queue(&f).expect("queue").rows.len();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "{name:32} {rows:3} rows  median {:7.1} ms  worst {:7.1} ms",
            times[2], times[4]
        );
    }
}
