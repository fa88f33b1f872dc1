//! Storage benchmarks: ingest, a filtered query's first page, and a CSV export, on SQLite
//! and PostgreSQL. Not a test and not run by CI; figures go in the issue's closing note.
//!
//! ```text
//! cargo run --release -p unrest-store --example bench -- [sqlite|postgres|both] [REPORTS] [EVENTS]
//! ```
//!
//! Defaults: both backends, 100,000 reports, 1,000,000 events. PostgreSQL is reached at
//! `UNREST_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`), in a schema
//! of its own that is dropped afterwards. Ingest uses a coder that finds no events, so it
//! measures storage (hashing, the report row, its search index, the commit), not coding.

use chrono::{TimeZone, Utc};
use std::io::Write;
use std::time::{Duration, Instant};
use unrest_model::{Event, EventWriter, Format, Report};
use unrest_store::{Coding, Filter, NewReport, Page, Status, Store};

struct NoEvents;

impl Coding for NoEvents {
    fn version(&self) -> &str {
        "bench"
    }
    fn code(&mut self, _: &Report, _: chrono::DateTime<Utc>) -> Vec<Event> {
        Vec::new()
    }
}

/// A small deterministic generator (xorshift), so runs compare.
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

const PROVINCES: [(&str, f64, f64); 10] = [
    ("Tehran", 51.389, 35.689),
    ("Kordestan", 46.999, 35.315),
    ("West Azarbaijan", 45.076, 37.552),
    ("Kermanshah", 47.065, 34.314),
    ("Sistan and Baluchestan", 60.863, 29.496),
    ("Isfahan", 51.668, 32.654),
    ("Razavi Khorasan", 59.606, 36.297),
    ("Fars", 52.531, 29.592),
    ("Khuzestan", 48.669, 31.318),
    ("Gilan", 49.583, 37.281),
];

const TYPES: [(&str, &str); 5] = [
    ("Protests", "Peaceful protest"),
    ("Protests", "Protest with intervention"),
    ("Protests", "Excessive force against protesters"),
    ("Riots", "Violent demonstration"),
    ("Strategic developments", "Arrests"),
];

fn report_text(rng: &mut Rng, n: usize) -> String {
    let (p, _, _) = PROVINCES[rng.below(10) as usize];
    if matches!(n % 3, 0) {
        format!(
            "گزارش {n}: امروز در {p} صدها نفر در خیابان‌ها تجمع کردند و شعار دادند. نیروهای امنیتی \
             با گاز اشک‌آور به جمعیت حمله کردند و دست‌کم {} نفر بازداشت شدند. شاهدان می‌گویند \
             مغازه‌ها بسته بود و صدای شلیک شنیده شد.",
            rng.below(40)
        )
    } else {
        format!(
            "Report {n}. This evening hundreds gathered in {p} chanting slogans near the main \
             square. Security forces fired tear gas and at least {} people were detained, \
             witnesses said. Shops were closed and the crowd moved towards the university \
             before being dispersed around 11 pm.",
            rng.below(40)
        )
    }
}

fn synthetic_event(rng: &mut Rng, n: usize) -> Event {
    let (admin1, lon, lat) = PROVINCES[rng.below(10) as usize];
    let (event_type, sub) = TYPES[rng.below(5) as usize];
    let day = Utc.with_ymd_and_hms(2022, 9, 16, 0, 0, 0).unwrap()
        + chrono::Duration::days(rng.below(365) as i64);
    Event {
        event_date: day.format("%Y-%m-%d").to_string(),
        year: day.format("%Y").to_string().parse().unwrap(),
        time_precision: 1,
        disorder_type: "Demonstrations".into(),
        event_type: event_type.into(),
        sub_event_type: sub.into(),
        actor1: "Protesters (Iran)".into(),
        inter1: "Protesters".into(),
        actor2: "Police Forces of Iran (1989-)".into(),
        inter2: "State forces".into(),
        interaction: "State forces-Protesters".into(),
        iso: 364,
        region: "Middle East".into(),
        country: "Iran".into(),
        admin1: admin1.into(),
        admin2: admin1.into(),
        location: admin1.into(),
        latitude: lat + rng.unit() - 0.5,
        longitude: lon + rng.unit() - 0.5,
        geo_precision: 1,
        source: "Eyewitness".into(),
        source_scale: "Local partner-Other".into(),
        notes: format!(
            "On {}, protesters gathered in {admin1}; security forces fired tear gas. Event {n}.",
            day.format("%d %B %Y")
        ),
        fatalities: (rng.below(10) == 0) as u32,
        timestamp: 1_666_000_000,
        report: format!("r{n}"),
        injuries: Some(rng.below(5) as u32),
        arrests: None,
        confidence: 0.7,
        ..Default::default()
    }
}

/// The process's peak resident memory, from the kernel.
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

struct Target {
    name: &'static str,
    url: String,
    cleanup: Box<dyn Fn()>,
}

fn target(backend: &'static str, what: &str) -> Target {
    match backend {
        "sqlite" => {
            let path =
                std::env::temp_dir().join(format!("unrest-bench-{what}-{}.db", std::process::id()));
            let p = path.clone();
            let rm = move || {
                for ext in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{ext}", p.display()));
                }
            };
            rm();
            Target {
                name: "SQLite",
                url: format!("sqlite:{}", path.display()),
                cleanup: Box::new(rm),
            }
        }
        _ => {
            let admin = std::env::var("UNREST_TEST_POSTGRES")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
            let schema = format!("bench_{what}_{}", std::process::id());
            let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("PostgreSQL");
            c.batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .unwrap();
            let sep = if admin.contains('?') { '&' } else { '?' };
            let url = format!("{admin}{sep}options=-csearch_path%3D{schema}");
            Target {
                name: "PostgreSQL",
                url,
                cleanup: Box::new(move || {
                    if let Ok(mut c) = postgres::Client::connect(&admin, postgres::NoTls) {
                        let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
                    }
                }),
            }
        }
    }
}

/// A coder that finds one synthetic event per report, so that corroboration has work.
struct OneEvent(Rng, usize);

impl Coding for OneEvent {
    fn version(&self) -> &str {
        "bench-one"
    }
    fn code(&mut self, _: &Report, _: chrono::DateTime<Utc>) -> Vec<Event> {
        self.1 += 1;
        vec![synthetic_event(&mut self.0, self.1)]
    }
}

fn bench_ingest(backend: &'static str, reports: usize) {
    bench_ingest_with(backend, reports, false);
    bench_ingest_with(backend, reports, true);
}

/// Ingest as `unrest ingest` does it: 500 reports a transaction, then (with `events`) one
/// event per report and one corroboration run at the end, which the figure includes.
fn bench_ingest_with(backend: &'static str, reports: usize, events: bool) {
    let t = target(backend, "ingest");
    let mut store = Store::open(&t.url).unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let received = Utc.with_ymd_and_hms(2022, 11, 1, 0, 0, 0).unwrap();
    let mut one = OneEvent(Rng(0x2545_f491_4f6c_dd1d), 0);
    let start = Instant::now();
    for chunk in (0..reports).collect::<Vec<_>>().chunks(500) {
        let batch: Vec<NewReport> = chunk
            .iter()
            .map(|&n| NewReport {
                report: Report {
                    id: format!("r{n}"),
                    text: report_text(&mut rng, n),
                    reference_date: Some("2022-10-30".into()),
                    lang: None,
                },
                received_at: received,
                channel: "bench".into(),
            })
            .collect();
        if events {
            store.ingest(&batch, &mut one).unwrap();
        } else {
            store.ingest(&batch, &mut NoEvents).unwrap();
        }
    }
    let stored = start.elapsed();
    if !events {
        println!(
            "{}: ingest {reports} reports (500 a transaction, no-event coder): {:.2} s, {:.0} reports/s",
            t.name,
            stored.as_secs_f64(),
            reports as f64 / stored.as_secs_f64()
        );
    } else {
        let run = store.corroborate(received).unwrap();
        let took = start.elapsed();
        println!(
            "{}: ingest {reports} reports (one event each) and corroborate into {} incidents: {:.2} s (corroboration {:.2} s), {:.0} reports/s",
            t.name,
            run.clusters,
            took.as_secs_f64(),
            (took - stored).as_secs_f64(),
            reports as f64 / took.as_secs_f64()
        );
    }
    drop(store);
    (t.cleanup)();
}

fn bench_events(backend: &'static str, events: usize) {
    let t = target(backend, "events");
    let mut store = Store::open(&t.url).unwrap();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let at = Utc.with_ymd_and_hms(2022, 11, 1, 0, 0, 0).unwrap();
    let start = Instant::now();
    let mut n = 0;
    while n < events {
        let batch: Vec<Event> = (n..(n + 5000).min(events))
            .map(|i| synthetic_event(&mut rng, i))
            .collect();
        n += batch.len();
        store
            .import_events(&batch, Status::Coded, "bench", at)
            .unwrap();
    }
    let took = start.elapsed();
    println!(
        "{}: load {events} events (5,000 a transaction): {:.1} s, {:.0} events/s",
        t.name,
        took.as_secs_f64(),
        events as f64 / took.as_secs_f64()
    );
    store.analyze().unwrap();

    let filter = Filter {
        from: Some("2022-10-01".parse().unwrap()),
        to: Some("2022-10-31".parse().unwrap()),
        event_type: Some("Protests".into()),
        bbox: Some("44,34,48,37".parse().unwrap()),
        ..Default::default()
    };
    let narrow = Filter {
        event_type: Some("Excessive force against protesters".into()),
        ..filter.clone()
    };
    let searched = Filter {
        search: Some("tear gas".into()),
        ..filter.clone()
    };
    for (what, f) in [
        ("date range + bbox + type", &filter),
        ("date range + bbox + sub-event type", &narrow),
        ("date range + bbox + type + search", &searched),
    ] {
        let page = Page {
            limit: Some(100),
            ..Default::default()
        };
        let mut times = Vec::new();
        let mut got = 0;
        for _ in 0..21 {
            let s = Instant::now();
            got = store
                .events::<unrest_store::Error>(f, &page, |_| Ok(()))
                .unwrap();
            times.push(s.elapsed());
        }
        let first = times[0];
        times.sort();
        println!(
            "{}: query {what}, first page of {got}: first run {:.1} ms, median {:.1} ms",
            t.name,
            ms(first),
            ms(times[10])
        );
    }
    drop(store);

    // The export in a process of its own, so its peak memory is its own.
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["export", &t.url])
        .output()
        .unwrap();
    print!("{}: {}", t.name, String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    if std::env::var_os("UNREST_BENCH_KEEP").is_none() {
        (t.cleanup)();
    } else {
        eprintln!("kept {}", t.url);
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Counts bytes, keeps none: the export's own cost, not the disk's.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0 += b.len() as u64;
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn export(url: &str) {
    let before = peak_rss_mib();
    let mut store = Store::open(url).unwrap();
    let start = Instant::now();
    let all = Page {
        order: unrest_store::Order::Id,
        ..Default::default()
    };
    let n = store
        .events::<unrest_store::Error>(&Filter::default(), &all, |_| Ok(()))
        .unwrap();
    println!(
        "read {n} events without writing them: {:.2} s",
        start.elapsed().as_secs_f64()
    );
    let start = Instant::now();
    let mut w = EventWriter::new(Format::Csv, std::io::BufWriter::new(Counter(0))).unwrap();
    let n = store
        .events::<Box<dyn std::error::Error>>(&Filter::default(), &all, |e| Ok(w.write(&e.event)?))
        .unwrap();
    let bytes = w.finish().unwrap().into_inner().ok().unwrap().0;
    println!(
        "export {n} events as CSV ({:.0} MB): {:.2} s, peak memory {:.0} MiB (process at start {:.0} MiB)",
        bytes as f64 / 1e6,
        start.elapsed().as_secs_f64(),
        peak_rss_mib(),
        before
    );
}

/// `bench arrive URL N`: N reports arriving one at a time (one event each, corroborated
/// with its neighbourhood as the web form does) into an existing dataset.
fn arrive(url: &str, n: usize) {
    let mut store = Store::open(url).unwrap();
    let mut one = OneEvent(Rng(0x51f1_5eed), 0);
    let mut rng = Rng(0x1234_5678);
    let at = Utc.with_ymd_and_hms(2022, 11, 1, 0, 0, 0).unwrap();
    let start = Instant::now();
    for i in 0..n {
        let new = NewReport {
            report: Report {
                id: format!("arrival{i}"),
                text: format!("{} arrival {i}", report_text(&mut rng, i)),
                reference_date: Some("2022-10-30".into()),
                lang: None,
            },
            received_at: at,
            channel: "web".into(),
        };
        store.receive(&[new], &mut one, at).unwrap();
    }
    let took = start.elapsed();
    println!(
        "{n} reports received one at a time (one event each, corroborated with its neighbourhood): {:.2} s, {:.1} ms a report",
        took.as_secs_f64(),
        took.as_secs_f64() * 1000.0 / n as f64
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("export") {
        return export(&args[1]);
    }
    if args.first().map(String::as_str) == Some("arrive") {
        return arrive(
            &args[1],
            args.get(2).and_then(|s| s.parse().ok()).unwrap_or(200),
        );
    }
    let backends: Vec<&'static str> = match args.first().map(String::as_str) {
        Some("sqlite") => vec!["sqlite"],
        Some("postgres") => vec!["postgres"],
        _ => vec!["sqlite", "postgres"],
    };
    let reports = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let events = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    for b in backends {
        if reports > 0 {
            bench_ingest(b, reports);
        }
        if events > 0 {
            bench_events(b, events);
        }
    }
}
