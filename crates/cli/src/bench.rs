//! `unrest bench store --events N`: the public site, search, downloads and ingest timed on a
//! generated dataset of N published events, on SQLite and PostgreSQL, printed as one table.
//!
//! Datasets are built once (generated inside the database, see `unrest_store::bench`) and
//! kept: SQLite under `target/bench/`, PostgreSQL as database `unrest_bench_N`. The web app
//! runs in this process on a loopback port and every figure is an HTTP request's, timed
//! from the request sent to the first byte and to the last; p50 and p95 over warm runs.

use crate::dataset::{coder_version, CoderStep};
use anyhow::{Context, Result};
use chrono::{NaiveDate, TimeZone, Utc};
use clap::Args;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use unrest_coder::{Coder, Lang};
use unrest_model::Report;
use unrest_store::{Filter, NewReport, Page, Store};

#[derive(Args)]
pub struct StoreBenchArgs {
    /// How many published-or-verified events the dataset holds (built once, then reused).
    #[arg(long, default_value_t = 1_000_000)]
    pub events: u64,
    /// Where SQLite datasets are kept.
    #[arg(long, default_value = "target/bench")]
    pub dir: String,
    /// The PostgreSQL server (its `postgres` database is used to create the bench's own);
    /// `none` to measure SQLite only.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    pub postgres: String,
    /// Prefix of the PostgreSQL databases the bench creates (`PREFIX_N`, `PREFIX_ingest`), so
    /// that several checkouts can measure on one server without sharing a schema.
    #[arg(long, default_value = "unrest_bench")]
    pub pg_prefix: String,
    /// Warm runs per figure.
    #[arg(long, default_value_t = 20)]
    pub runs: usize,
    /// Reports ingested for the ingest figure, into a fresh database.
    #[arg(long, default_value_t = 20_000)]
    pub ingest: usize,
    /// Skip the whole downloads (they take seconds on a big dataset before this issue).
    #[arg(long)]
    pub no_downloads: bool,
}

/// One row of the table: what, then a figure per backend.
struct Row {
    what: String,
    figures: Vec<String>,
}

pub fn store(args: StoreBenchArgs) -> Result<ExitCode> {
    if args.pg_prefix.is_empty()
        || !args
            .pg_prefix
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        anyhow::bail!(
            "--pg-prefix {:?}: use lower-case letters, digits and _ (it names a database)",
            args.pg_prefix
        );
    }
    let mut backends: Vec<(&str, String)> = Vec::new();
    std::fs::create_dir_all(&args.dir).with_context(|| format!("creating {}", args.dir))?;
    backends.push((
        "SQLite",
        format!(
            "{}/store-{}.db",
            args.dir.trim_end_matches('/'),
            args.events
        ),
    ));
    if args.postgres != "none" {
        let db = format!("{}_{}", args.pg_prefix, args.events);
        ensure_pg_database(&args.postgres, &db)?;
        backends.push(("PostgreSQL", replace_db(&args.postgres, &db)));
    }
    let mut columns: Vec<Vec<(String, String)>> = Vec::new();
    for (name, url) in &backends {
        eprintln!("== {name}: {url}");
        columns.push(measure(url, &args)?);
        let ingest_url = if *name == "SQLite" {
            let p = format!("{}/ingest.db", args.dir.trim_end_matches('/'));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{p}{suffix}"));
            }
            p
        } else {
            let db = format!("{}_ingest", args.pg_prefix);
            drop_pg_database(&args.postgres, &db)?;
            ensure_pg_database(&args.postgres, &db)?;
            replace_db(&args.postgres, &db)
        };
        let last = columns.last_mut().expect("pushed");
        last.extend(ingest(&ingest_url, args.ingest)?);
    }
    let mut rows: Vec<Row> = Vec::new();
    for (i, col) in columns.iter().enumerate() {
        for (j, (what, fig)) in col.iter().enumerate() {
            if i == 0 {
                rows.push(Row {
                    what: what.clone(),
                    figures: Vec::new(),
                });
            }
            if let Some(r) = rows.get_mut(j) {
                r.figures.push(fig.clone());
            }
        }
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "\n{} events; p50 / p95 of {} warm runs (time to last byte), downloads once\n",
        args.events, args.runs
    )?;
    let names: Vec<&str> = backends.iter().map(|(n, _)| *n).collect();
    writeln!(out, "| what | {} |", names.join(" | "))?;
    writeln!(out, "|---|{}", "---|".repeat(names.len()))?;
    for r in rows {
        writeln!(out, "| {} | {} |", r.what, r.figures.join(" | "))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Builds (if needed) and measures one dataset.
fn measure(url: &str, args: &StoreBenchArgs) -> Result<Vec<(String, String)>> {
    let mut figures = Vec::new();
    let mut store = Store::open(url)?;
    let have = store.bench_events()?;
    if have < args.events {
        let t = Instant::now();
        let n = args.events - have;
        store.generate_bench(n, 200_000, |done| eprintln!("  generated {done} events"))?;
        eprintln!("  built in {:.1} s", t.elapsed().as_secs_f64());
    }
    // `unrest events --search`: the store call the command makes, first page.
    let search = |q: &str, from: Option<&str>| Filter {
        search: Some(q.to_string()),
        from: from.and_then(|d| d.parse().ok()),
        to: from
            .and_then(|d| d.parse::<NaiveDate>().ok())
            .map(|d| d + chrono::Days::new(30)),
        ..Filter::default()
    };
    for (what, filter) in [
        (
            format!(
                "`unrest events --search {}`",
                unrest_store::bench::RARE_WORD
            ),
            search(unrest_store::bench::RARE_WORD, None),
        ),
        (
            "`unrest events --search \"tear gas\"` in October 2022".to_string(),
            search("tear gas", Some("2022-10-01")),
        ),
    ] {
        let page = Page {
            limit: Some(50),
            ..Page::default()
        };
        let times = timed(args.runs, || {
            store.incident_rows::<unrest_store::Error>(&filter, &page, |_| Ok(()))?;
            Ok(())
        })?;
        figures.push((what, p50_p95(&times)));
    }
    figures.push((
        "one arrival on the crowded dataset (received, coded, corroborated)".to_string(),
        arrival(&mut store)?,
    ));
    drop(store);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut config = unrest_web::ServeConfig::new(url);
    config.bind = SocketAddr::from(([127, 0, 0, 1], 0));
    config.access_log = unrest_web::AccessLog::Off;
    let server = rt.block_on(unrest_web::Server::bind(config))?;
    let addr = server.local_addr()?;
    rt.spawn(server.run());
    let some_id = {
        let mut s = Store::open(url)?;
        let mut id = 0;
        let f = Filter::default().public();
        s.incident_rows::<unrest_store::Error>(
            &f,
            &Page {
                limit: Some(1),
                offset: args.events / 2,
                ..Page::default()
            },
            |i| {
                id = i.id();
                Ok(())
            },
        )?;
        id
    };
    let rare = unrest_store::bench::RARE_WORD;
    let pages = [
        ("public map page `/`", "/".to_string()),
        ("`/api/timeline`", "/api/timeline".to_string()),
        (
            "`/api/events` first page",
            "/api/events?limit=50".to_string(),
        ),
        ("event page `/events/ID`", format!("/events/{some_id}")),
        ("`/api/events/ID`", format!("/api/events/{some_id}")),
        ("public search, one match", format!("/api/events?q={rare}")),
        (
            "public search \"tear gas\" in October 2022",
            "/api/events?q=tear+gas&from=2022-10-01&to=2022-10-31".to_string(),
        ),
        (
            "date + province + type, first page",
            "/api/events?from=2022-09-01&to=2022-12-31&province=Tehran&type=Protests".to_string(),
        ),
        (
            "`/api/map` Iran, zoom 5",
            "/api/map?bbox=43.9,24.8,63.4,39.9&zoom=5".to_string(),
        ),
        (
            "`/api/map` Tehran, zoom 11",
            "/api/map?bbox=51.2,35.6,51.6,35.8&zoom=11".to_string(),
        ),
        (
            "`/api/map` zoom 7, 2019-03-15 to 2022-10-02",
            "/api/map?bbox=46,32,54,38&zoom=7&from=2019-03-15&to=2022-10-02".to_string(),
        ),
        (
            "`/api/map` zoom 6, October 2022, province + type",
            "/api/map?bbox=43.9,24.8,63.4,39.9&zoom=6&from=2022-10-01&to=2022-10-31&province=Tehran&type=Protests"
                .to_string(),
        ),
        (
            "`/api/map` Sanandaj zoom 12, one day",
            "/api/map?bbox=46.9,35.25,47.1,35.4&zoom=12&from=2022-10-12&to=2022-10-12".to_string(),
        ),
        (
            "`/api/map` searched \"tear gas\" in 2022 (counted, at most 50,000)",
            "/api/map?bbox=43.9,24.8,63.4,39.9&zoom=5&q=tear+gas&from=2022-01-01&to=2022-12-31"
                .to_string(),
        ),
        (
            "map page, searched and filtered",
            "/?q=tear+gas&province=Kordestan&from=2022-01-01&to=2022-12-31".to_string(),
        ),
    ];
    for (what, path) in pages {
        let times = timed(args.runs, || get(addr, &path).map(|_| ()))?;
        figures.push((what.to_string(), p50_p95(&times)));
    }
    if !args.no_downloads {
        for (what, path) in [
            ("`/api/events.csv` whole", "/api/events.csv"),
            ("`/api/events.geojson` whole", "/api/events.geojson"),
        ] {
            let g = get(addr, path)?;
            figures.push((
                what.to_string(),
                format!(
                    "first byte {} ms, all {:.2} s, {} MB",
                    g.first.as_millis(),
                    g.total.as_secs_f64(),
                    g.bytes / 1_000_000
                ),
            ));
        }
    }
    rt.shutdown_timeout(Duration::from_secs(1));
    Ok(figures)
}

/// The coder step the benchmarks receive reports through: English rules, a fixed clock.
fn english_coder(now: chrono::DateTime<Utc>) -> CoderStep {
    CoderStep {
        coder: Coder::new(),
        version: coder_version(),
        lang: Lang::En,
        now,
    }
}

/// One report received into the dataset as the web form brings it (stored, coded, joined
/// to its incident or starting one), in Tehran on a day the dataset is crowded on; a few
/// runs, each a new report (they stay in the dataset, under their own channel).
fn arrival(store: &mut Store) -> Result<String> {
    let now = Utc
        .with_ymd_and_hms(2022, 10, 30, 12, 0, 0)
        .single()
        .unwrap_or_default();
    let mut coder = english_coder(now);
    let mut n = 0u32;
    let times = timed(5, || {
        n += 1;
        let report = Report {
            id: format!("arrival-{n}"),
            text: format!(
                "Tehran, 12 October 2022: hundreds of people gathered in Enghelab square and \
                 chanted slogans; riot police fired tear gas. (bench arrival {n}, {})",
                Utc::now().timestamp_nanos_opt().unwrap_or_default()
            ),
            reference_date: Some("2022-10-30".into()),
            lang: None,
        };
        let new = NewReport {
            report,
            received_at: now,
            channel: "bench-arrival".into(),
        };
        store.receive(&[new], &mut coder, now)?;
        Ok(())
    })?;
    Ok(p50_p95(&times))
}

/// Ingests `n` generated reports in batches of 500 into a fresh dataset, then corroborates
/// once, as `unrest ingest` does. The sample corpus repeats its texts (a few hundred
/// combinations), and a repeated report is not stored again, so each report carries its own
/// reference, which the coder ignores: every report is new and coded. Coding the same reports
/// alone is timed first, so the figure shows what the store adds.
fn ingest(url: &str, n: usize) -> Result<Vec<(String, String)>> {
    let corpus: Vec<Report> = unrest_coder::sample::corpus(n)
        .into_iter()
        .enumerate()
        .map(|(i, mut r)| {
            r.text = format!("{}\n\n(ref {i})", r.text);
            r
        })
        .collect();
    let now = Utc
        .with_ymd_and_hms(2023, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let mut coder = english_coder(now);
    let t = Instant::now();
    let mut events = 0usize;
    for r in &corpus {
        events += unrest_store::Coding::code(&mut coder, r, now).len();
    }
    let coding = t.elapsed();
    let mut store = Store::open(url)?;
    let t = Instant::now();
    for chunk in corpus.chunks(500) {
        let batch: Vec<NewReport> = chunk
            .iter()
            .map(|r| NewReport {
                report: r.clone(),
                received_at: now,
                channel: "cli".into(),
            })
            .collect();
        store.ingest(&batch, &mut coder)?;
    }
    let stored = t.elapsed();
    store.corroborate(now)?;
    let all = t.elapsed();
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    Ok(vec![(
        format!("ingest {n} reports ({events} events; coded, audited), then corroborate"),
        format!(
            "{:.0} reports/s ({:.0}/s with corroboration; coding alone {:.0}/s)",
            rate(stored),
            rate(all),
            rate(coding)
        ),
    )])
}

struct Got {
    first: Duration,
    total: Duration,
    bytes: usize,
}

/// One HTTP/1.1 GET, read to the end (the server closes).
fn get(addr: SocketAddr, path: &str) -> Result<Got> {
    let t = Instant::now();
    let mut s = TcpStream::connect(addr)?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut buf = vec![0u8; 1 << 16];
    let mut first = None;
    let mut bytes = 0;
    let mut head = Vec::new();
    loop {
        let k = s.read(&mut buf)?;
        if k == 0 {
            break;
        }
        first.get_or_insert_with(|| t.elapsed());
        if head.len() < 64 {
            head.extend_from_slice(&buf[..k.min(64)]);
        }
        bytes += k;
    }
    let status = String::from_utf8_lossy(&head);
    if !status.starts_with("HTTP/1.1 200") {
        anyhow::bail!(
            "GET {path}: {}",
            status.lines().next().unwrap_or("no answer")
        );
    }
    Ok(Got {
        first: first.unwrap_or_default(),
        total: t.elapsed(),
        bytes,
    })
}

/// One cold run (not counted), then `runs` timed ones.
fn timed(runs: usize, mut f: impl FnMut() -> Result<()>) -> Result<Vec<Duration>> {
    f()?;
    let mut out = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        out.push(t.elapsed());
        if t.elapsed() > Duration::from_secs(3) && out.len() >= 3 {
            break;
        }
    }
    Ok(out)
}

fn p50_p95(times: &[Duration]) -> String {
    let mut ms: Vec<f64> = times.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    let fmt = |v: f64| {
        if v >= 1000.0 {
            format!("{:.2} s", v / 1000.0)
        } else if v >= 10.0 {
            format!("{v:.0} ms")
        } else {
            format!("{v:.1} ms")
        }
    };
    if ms.is_empty() {
        return "-".into();
    }
    format!("{} / {}", fmt(at(0.5)), fmt(at(0.95)))
}

fn replace_db(url: &str, db: &str) -> String {
    match url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{db}"),
        None => url.to_string(),
    }
}

/// Creates database `db` (a fixed name of ours) unless it exists, connected to `admin`
/// without touching that database's tables.
fn ensure_pg_database(admin: &str, db: &str) -> Result<()> {
    let mut c = postgres::Client::connect(admin, postgres::NoTls)?;
    let exists = c
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&db])?
        .is_some();
    if !exists {
        c.batch_execute(&format!("CREATE DATABASE {db}"))?;
    }
    Ok(())
}

fn drop_pg_database(admin: &str, db: &str) -> Result<()> {
    let mut c = postgres::Client::connect(admin, postgres::NoTls)?;
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))?;
    Ok(())
}
