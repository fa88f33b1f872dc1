//! Clusters a million synthetic events and prints how long it took.
//!
//! `cargo run --release -p unrest-corroborate --example bench_cluster [EVENTS]`
//!
//! The synthetic year: 400 towns across Iran's bounding box, a few of them large (a third of
//! all events in the ten largest), incidents on every day of 2022, each reported by one to
//! five reports whose coders placed it within a kilometre or so; one event in ten dated only
//! to the week, one in fifty to the month, one in twenty placed "near" a town, one in fifty
//! to the province.

use std::time::Instant;
use unrest_corroborate::{cluster, EventRef, Params, Reliability};

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

struct Synthetic {
    id: String,
    report: String,
    town: usize,
    day: chrono::NaiveDate,
    time_precision: u8,
    geo_precision: u8,
    lat: f64,
    lon: f64,
    kind: usize,
    fatalities: u32,
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
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
    let start = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();

    let mut events: Vec<Synthetic> = Vec::with_capacity(n + 5);
    let mut report = 0usize;
    while events.len() < n {
        let town = if rng.below(3) == 0 {
            rng.below(10) as usize
        } else {
            rng.below(400) as usize
        };
        let (_, _, tlat, tlon) = towns[town];
        let (ilat, ilon) = (
            tlat + (rng.unit() - 0.5) * 0.05,
            tlon + (rng.unit() - 0.5) * 0.05,
        );
        let day = start + chrono::Days::new(rng.below(365));
        let kind = rng.below(KINDS.len() as u64) as usize;
        let killed = rng.below(5) as u32;
        for _ in 0..1 + rng.below(5) {
            report += 1;
            let tp = match rng.below(50) {
                0 => 3,
                1..=5 => 2,
                _ => 1,
            };
            let gp = match rng.below(50) {
                0 => 3,
                1..=2 => 2,
                _ => 1,
            };
            events.push(Synthetic {
                id: format!("IRN{report}"),
                report: format!("r{report}"),
                town,
                day,
                time_precision: tp,
                geo_precision: gp,
                lat: ilat + (rng.unit() - 0.5) * 0.02,
                lon: ilon + (rng.unit() - 0.5) * 0.02,
                kind,
                fatalities: killed + rng.below(3) as u32,
            });
        }
    }
    events.truncate(n);

    let refs: Vec<EventRef> = events
        .iter()
        .map(|e| {
            let (location, admin1, _, _) = &towns[e.town];
            let (event_type, sub_event_type) = KINDS[e.kind];
            EventRef {
                id: &e.id,
                report: &e.report,
                source: "",
                channel: Reliability::F,
                date: Some(e.day),
                time_precision: e.time_precision,
                latitude: e.lat,
                longitude: e.lon,
                geo_precision: e.geo_precision,
                location,
                admin1,
                event_type,
                sub_event_type,
                fatalities: Some(e.fatalities),
                injuries: None,
                arrests: None,
            }
        })
        .collect();

    let began = Instant::now();
    let clusters = cluster(&refs, &Params::default());
    let took = began.elapsed();
    let multi = clusters.iter().filter(|c| c.members.len() > 1).count();
    let largest = clusters.iter().map(|c| c.members.len()).max().unwrap_or(0);
    println!(
        "clustered {} events into {} clusters ({} with more than one report, largest {}) in {:.2} s",
        refs.len(),
        clusters.len(),
        multi,
        largest,
        took.as_secs_f64()
    );
}
