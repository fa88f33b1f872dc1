//! Clustering a million stored events, through the store: what `unrest cluster` does, timed
//! by phase (load the events, fingerprints and decisions; cluster; save the run). Not a test
//! and not run by CI; the figure goes in the issue's closing note.
//!
//! ```text
//! cargo run --release -p unrest-store --example cluster_bench -- [sqlite|postgres] [EVENTS] [DB]
//! ```
//!
//! The synthetic year (as `unrest-corroborate`'s own benchmark): 400 towns, a third of the
//! incidents in the ten largest, incidents on every day of 2022, each told by one to five
//! reports whose coders placed it within a kilometre or so; one event in ten dated to the
//! week, one in fifty to the month, one in twenty "near" a town. Reports are daily round-ups
//! of four incidents each; one in ten arrives again as a forwarded copy (one source). The
//! events are stored through `Store::ingest` (audit entries and fingerprints included) with
//! a coder that hands back the generated events. With a DB path or URL, an existing
//! database is reused (loaded once, clustered many times).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use std::collections::HashMap;
use std::time::Instant;
use unrest_corroborate::Params;
use unrest_model::{Event, Report};
use unrest_store::{Coding, Filter, NewReport, Store};

const KINDS: [(&str, &str); 5] = [
    ("Protests", "Peaceful protest"),
    ("Protests", "Protest with intervention"),
    ("Protests", "Excessive force against protesters"),
    ("Riots", "Violent demonstration"),
    ("Strategic developments", "Arrests"),
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Hands back the events generated for each report.
struct Prepared(HashMap<String, Vec<Event>>);

impl Coding for Prepared {
    fn version(&self) -> &str {
        "bench"
    }
    fn code(&mut self, report: &Report, _: DateTime<Utc>) -> Vec<Event> {
        self.0.remove(&report.id).unwrap_or_default()
    }
}

/// The year's events, grouped into round-up reports of four.
fn generate(n: usize) -> Vec<(Report, Vec<Event>)> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let towns: Vec<(String, String, f64, f64)> = (0..400)
        .map(|i| {
            (
                format!("Town {i}"),
                format!("Province {}", i % 31),
                25.5 + rng.unit() * 13.0,
                45.0 + rng.unit() * 17.0,
            )
        })
        .collect();
    let start = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    let mut events: Vec<Event> = Vec::with_capacity(n + 5);
    while events.len() < n {
        let town = if rng.below(3) == 0 {
            rng.below(10) as usize
        } else {
            rng.below(400) as usize
        };
        let (name, admin1, tlat, tlon) = &towns[town];
        let (ilat, ilon) = (
            tlat + (rng.unit() - 0.5) * 0.05,
            tlon + (rng.unit() - 0.5) * 0.05,
        );
        let day = start + chrono::Days::new(rng.below(365));
        let (event_type, sub_event_type) = KINDS[rng.below(5) as usize];
        let killed = rng.below(5) as u32;
        for _ in 0..1 + rng.below(5) {
            events.push(Event {
                event_date: day.to_string(),
                year: 2022,
                time_precision: match rng.below(50) {
                    0 => 3,
                    1..=5 => 2,
                    _ => 1,
                },
                geo_precision: match rng.below(50) {
                    0 => 3,
                    1..=2 => 2,
                    _ => 1,
                },
                event_type: event_type.into(),
                sub_event_type: sub_event_type.into(),
                country: "Iran".into(),
                admin1: admin1.clone(),
                location: name.clone(),
                latitude: ilat + (rng.unit() - 0.5) * 0.02,
                longitude: ilon + (rng.unit() - 0.5) * 0.02,
                fatalities: killed + rng.below(3) as u32,
                notes: format!("On {day}, {sub_event_type} in {name}."),
                ..Default::default()
            });
        }
    }
    events.truncate(n);
    // Shuffle so a report's four incidents are unrelated, as in a round-up.
    for i in (1..events.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        events.swap(i, j);
    }
    let mut reports = Vec::new();
    let mut chunks = events.chunks(4).enumerate().peekable();
    while let Some((k, chunk)) = chunks.next() {
        let id = format!("r{k}");
        // Each correspondent words it their own way: a line of facts, then made-up words.
        let mut text = format!("Round-up {k} from our correspondents.\n");
        for e in chunk {
            text.push_str(&format!(
                "{}: {} in {} ({}), {} killed.",
                e.event_date, e.sub_event_type, e.location, e.admin1, e.fatalities
            ));
            for _ in 0..12 {
                text.push(' ');
                text.push_str(&word(&mut rng));
            }
            text.push('\n');
        }
        let mut coded: Vec<Event> = chunk.to_vec();
        for e in &mut coded {
            e.report = id.clone();
        }
        if rng.below(10) == 0 && chunks.peek().is_some() {
            // The same round-up forwarded: the same events, one source.
            let copy = format!("fwd-{k}");
            let mut again = coded.clone();
            for e in &mut again {
                e.report = copy.clone();
            }
            reports.push((
                Report {
                    id: copy,
                    text: format!("Forwarded from a channel:\n{text}"),
                    reference_date: None,
                    lang: None,
                },
                again,
            ));
        }
        reports.push((
            Report {
                id,
                text,
                reference_date: None,
                lang: None,
            },
            coded,
        ));
    }
    // Stop at `n` events, copies included.
    let mut total = 0;
    reports.retain(|(_, events)| {
        total += events.len();
        total <= n
    });
    reports
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let backend = args.get(1).map(String::as_str).unwrap_or("sqlite");
    let n: usize = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let url = match (args.get(3), backend) {
        (Some(url), _) => url.clone(),
        (None, "postgres") => {
            let admin = std::env::var("UNREST_TEST_POSTGRES")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
            let schema = format!("cluster_bench_{n}");
            let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
            c.batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .unwrap();
            format!("{admin}?options=-csearch_path%3D{schema}")
        }
        (None, _) => {
            let path = std::env::temp_dir().join(format!("unrest-cluster-bench-{n}.db"));
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
            }
            format!("sqlite:{}", path.display())
        }
    };
    let mut store = Store::open(&url).unwrap();
    if store.counts().unwrap().events == 0 {
        let started = Instant::now();
        let reports = generate(n);
        let received = received_at();
        let mut coder = Prepared(HashMap::new());
        for batch in reports.chunks(1000) {
            let new: Vec<NewReport> = batch
                .iter()
                .map(|(r, events)| {
                    coder.0.insert(r.id.clone(), events.clone());
                    NewReport {
                        report: r.clone(),
                        received_at: received,
                        channel: "bench".into(),
                    }
                })
                .collect();
            store.ingest(&new, &mut coder).unwrap();
        }
        store.analyze().unwrap();
        let c = store.counts().unwrap();
        println!(
            "loaded {} events of {} reports in {:.0} s",
            c.events,
            c.reports,
            started.elapsed().as_secs_f64()
        );
    }

    let started = Instant::now();
    let input = store.cluster_input(&Filter::default()).unwrap();
    let loaded = started.elapsed();
    let clustering = input.cluster(&Params::default());
    let clustered = started.elapsed() - loaded;
    let run = store
        .save_clusters(&input, &clustering, received_at())
        .unwrap();
    let saved = started.elapsed() - loaded - clustered;
    println!(
        "{backend}: {} events of {} reports ({} sources) -> {} incidents ({} corroborated) in {:.1} s: load {:.1} s, cluster {:.1} s, save {:.1} s",
        run.events,
        run.reports,
        run.sources,
        run.clusters,
        run.corroborated,
        started.elapsed().as_secs_f64(),
        loaded.as_secs_f64(),
        clustered.as_secs_f64(),
        saved.as_secs_f64(),
    );
}

/// A made-up word of two to four syllables.
fn word(rng: &mut Rng) -> String {
    const SYLLABLES: [&str; 24] = [
        "ka", "ro", "mi", "ta", "zan", "dar", "esh", "ba", "gol", "shi", "no", "far", "ha", "jo",
        "le", "sab", "tu", "var", "ye", "qo", "pa", "xi", "del", "mun",
    ];
    (0..2 + rng.below(3))
        .map(|_| SYLLABLES[rng.below(24) as usize])
        .collect()
}

/// The store reads no clock; neither does its benchmark.
fn received_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2023, 1, 1, 0, 0, 0).unwrap()
}
