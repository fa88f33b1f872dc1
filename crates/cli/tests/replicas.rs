//! Three `unrest serve` processes on one PostgreSQL, as behind a load balancer: submissions
//! spread over all three for 30 s while one is killed with SIGKILL; every submission that
//! got a receipt is in the database afterwards. Needs PostgreSQL (scripts/pg-start.sh;
//! `UNREST_TEST_POSTGRES`).

mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{http, http_as, spawn_serve, Replica};

fn admin_url() -> String {
    std::env::var("UNREST_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// `unrest serve` on a random port; returns once it listens.
fn serve(db: &str) -> Replica {
    serve_with(db, "100000/1")
}

/// `unrest serve` with `submit_limit` (N/minutes) on a random port.
fn serve_with(db: &str, submit_limit: &str) -> Replica {
    spawn_serve(&[
        "--db",
        db,
        "--submit-limit",
        submit_limit,
        "--in-flight",
        "32",
    ])
}

fn between<'a>(s: &'a str, a: &str, b: &str) -> Option<&'a str> {
    let i = s.find(a)? + a.len();
    let j = s[i..].find(b)? + i;
    Some(&s[i..j])
}

/// Gets a form from one replica and submits it; the receipt code if one came back.
fn submit(addr: &str, n: usize) -> Option<String> {
    let (_, form) = http(addr, "GET", "/submit", None).ok()?;
    let token = between(&form, "name=\"token\" value=\"", "\"")?.to_string();
    let text =
        format!("Protesters gathered in Karaj today, report number {n}, and chanted slogans.");
    let body = serde_urlencoded_like(&[("token", &token), ("lang", "en"), ("text", &text)]);
    let (status, page) = http(addr, "POST", "/submit", Some(&body)).ok()?;
    if status != 200 {
        return None;
    }
    between(&page, "<output id=\"receipt\">", "<").map(str::to_string)
}

fn serde_urlencoded_like(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            let enc: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (b as char).to_string()
                    }
                    b' ' => "+".into(),
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{k}={enc}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A schema of its own on the test PostgreSQL: the admin connection, the schema's name
/// and the URL that works in it; `None` (skipped) when PostgreSQL is not there outside CI.
fn fresh_schema(name: &str) -> Option<(postgres::Client, String, String)> {
    let admin = admin_url();
    let schema = format!("{name}_{}", std::process::id());
    let mut pg = match postgres::Client::connect(&admin, postgres::NoTls) {
        Ok(c) => c,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("skipped: PostgreSQL at {admin} is needed: {e}");
            return None;
        }
        Err(e) => panic!("PostgreSQL at {admin} is needed: {e}"),
    };
    pg.batch_execute(&format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
    ))
    .unwrap();
    let sep = if admin.contains('?') { '&' } else { '?' };
    let db = format!("{admin}{sep}options=-csearch_path%3D{schema}");
    Some((pg, schema, db))
}

/// The session cookie a login on `addr` sets, or the status it got instead.
fn login(addr: &str, name: &str, password: &str) -> Result<String, u16> {
    let body = serde_urlencoded_like(&[("name", name), ("password", password)]);
    let (status, response) = http(addr, "POST", "/login", Some(&body)).map_err(|_| 0u16)?;
    let head = response.split("\r\n\r\n").next().unwrap_or("");
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.trim().split(';').next())
        .find(|c| c.starts_with("unrest_session=") && c.len() > "unrest_session=".len())
        .map(str::to_string)
        .ok_or(status)
}

#[test]
fn a_login_the_login_back_off_and_the_submit_limit_hold_across_three_replicas() {
    let Some((mut pg, schema, db)) = fresh_schema("limits") else {
        return;
    };
    // Four submissions per client in ten minutes, counted by all three together.
    let first = serve_with(&db, "4/10"); // migrates the schema
    let replicas: Vec<Replica> = std::iter::once(first)
        .chain((0..2).map(|_| serve_with(&db, "4/10")))
        .collect();
    let addrs: Vec<&str> = replicas.iter().map(|r| r.addr.as_str()).collect();
    let password = "a long enough passphrase for the test";
    let mut add = Command::new(env!("CARGO_BIN_EXE_unrest"))
        .args(["user", "add", "shirin", "--role", "analyst", "--db", &db])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    assert!(add.wait().unwrap().success());

    // A login on one replica is a session on the others.
    let cookie = login(addrs[0], "shirin", password).expect("logs in");
    for addr in &addrs {
        let (status, page) = http_as(addr, "GET", "/review", None, Some(&cookie)).unwrap();
        assert_eq!(status, 200, "{addr}: {page}");
        let (status, _) = http(addr, "GET", "/review", None).unwrap();
        assert_ne!(status, 200, "{addr} without the cookie");
    }

    // Five wrong passwords spread over the three: the right one is then refused on each.
    for n in 0..5 {
        assert_eq!(
            login(addrs[n % 3], "shirin", "not the passphrase at all"),
            Err(401),
            "attempt {n}"
        );
    }
    for addr in &addrs {
        assert_eq!(login(addr, "shirin", password), Err(429), "{addr}");
    }

    // A form is good for one submission, whichever replica it is replayed to.
    let (_, form) = http(addrs[0], "GET", "/submit", None).unwrap();
    let token = between(&form, "name=\"token\" value=\"", "\"").unwrap();
    let body = serde_urlencoded_like(&[
        ("token", token),
        ("lang", "en"),
        ("text", "Teachers gathered in Sanandaj and chanted slogans."),
    ]);
    let (status, _) = http(addrs[0], "POST", "/submit", Some(&body)).unwrap();
    assert_eq!(status, 200);
    let (status, page) = http(addrs[1], "POST", "/submit", Some(&body)).unwrap();
    assert_eq!(status, 403, "a replayed form: {page}");

    // With three more accepted, spread over the three, the client's budget is used up on all.
    for n in 1..4 {
        assert!(submit(addrs[n % 3], n).is_some(), "submission {n}");
    }
    for (n, addr) in addrs.iter().enumerate() {
        let (_, form) = http(addr, "GET", "/submit", None).unwrap();
        let token = between(&form, "name=\"token\" value=\"", "\"").unwrap();
        let body = serde_urlencoded_like(&[
            ("token", token),
            ("lang", "en"),
            (
                "text",
                &format!("Workers gathered in Arak, report {n} over the limit."),
            ),
        ]);
        let (status, page) = http(addr, "POST", "/submit", Some(&body)).unwrap();
        assert_eq!(status, 429, "{addr}: {page}");
    }
    drop(replicas);
    pg.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .unwrap();
}

#[test]
fn killing_a_replica_loses_no_submission_that_got_a_receipt() {
    let Some((mut pg, schema, db)) = fresh_schema("replicas") else {
        return;
    };

    let first = serve(&db); // migrates the schema
    let replicas: Vec<Arc<Mutex<Option<Replica>>>> = std::iter::once(first)
        .chain((0..2).map(|_| serve(&db)))
        .map(|r| Arc::new(Mutex::new(Some(r))))
        .collect();
    let addrs: Vec<String> = replicas
        .iter()
        .map(|r| r.lock().unwrap().as_ref().unwrap().addr.clone())
        .collect();

    let receipts = Arc::new(Mutex::new(Vec::<(usize, String)>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let workers: Vec<_> = (0..6)
        .map(|w| {
            let (addrs, receipts, stop) = (addrs.clone(), receipts.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut n = w;
                while !stop.load(Ordering::Relaxed) {
                    let at = n % addrs.len();
                    if let Some(code) = submit(&addrs[at], n) {
                        receipts.lock().unwrap().push((at, code));
                    }
                    n += 6;
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(10));
    let before_kill = receipts
        .lock()
        .unwrap()
        .iter()
        .filter(|(at, _)| *at == 0)
        .count();
    // SIGKILL: no shutdown, no flush, mid-request for some of the workers.
    drop(replicas[0].lock().unwrap().take());
    while started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(200));
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    drop(replicas);

    let receipts = receipts.lock().unwrap().clone();
    assert!(
        before_kill > 0,
        "the killed replica took submissions before it died"
    );
    assert!(
        receipts.iter().any(|(at, _)| *at != 0),
        "the others took some too"
    );
    let mut store = unrest_store::Store::open(&db).unwrap();
    let lost: Vec<&String> = receipts
        .iter()
        .map(|(_, code)| code)
        .filter(|code| {
            store
                .report_by_receipt(&unrest_web::receipt_hash(code))
                .unwrap()
                .is_none()
        })
        .collect();
    eprintln!(
        "{} receipts in 30 s over three replicas ({} from the killed one before it died)",
        receipts.len(),
        before_kill
    );
    assert!(lost.is_empty(), "{} receipted submissions lost", lost.len());
    drop(store);
    pg.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .unwrap();
}

/// A PostgreSQL primary and a streaming replica of it, each in a directory of its own on a
/// free port, started with the machine's PostgreSQL binaries (as the `postgres` user when
/// the tests run as root); stopped and removed on drop.
struct StreamingPair {
    dir: tempfile::TempDir,
    as_root: bool,
    bin: std::path::PathBuf,
    primary: u16,
    replica: u16,
}

impl StreamingPair {
    /// `None` when this machine has no PostgreSQL server binaries (the read-only role test
    /// in crates/web/tests/replica.rs still runs there).
    fn start() -> Option<StreamingPair> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("bin"))
            .filter(|b| b.join("initdb").exists() && b.join("pg_basebackup").exists())
            .max()?;
        let dir = tempfile::Builder::new()
            .prefix("unrest-streaming-")
            .tempdir()
            .unwrap();
        let as_root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        if as_root {
            let owned = Command::new("chown")
                .args(["postgres"])
                .arg(dir.path())
                .status()
                .is_ok_and(|s| s.success());
            assert!(owned, "chown postgres {}", dir.path().display());
        }
        let run = |tool: &str, args: &[&str]| {
            let mut c = if as_root {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
                c
            } else {
                Command::new(bin.join(tool))
            };
            let out = c.args(args).output().expect("a PostgreSQL tool runs");
            assert!(
                out.status.success(),
                "{tool} {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        let free_port = || {
            std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port()
        };
        let (primary, replica) = (free_port(), free_port());
        let root = dir.path().to_path_buf();
        let path = |p: &str| root.join(p).display().to_string();
        let pair = StreamingPair {
            as_root,
            bin: bin.clone(),
            primary,
            replica,
            dir,
        };
        run(
            "initdb",
            &["-D", &path("primary"), "-A", "trust", "-U", "postgres"],
        );
        std::fs::OpenOptions::new()
            .append(true)
            .open(pair.dir.path().join("primary/pg_hba.conf"))
            .unwrap()
            .write_all(b"host replication all 127.0.0.1/32 trust\n")
            .unwrap();
        let options = |port: u16| {
            format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
                pair.dir.path().display()
            )
        };
        let log = |name: &str| path(&format!("{name}.log"));
        run(
            "pg_ctl",
            &[
                "-D",
                &path("primary"),
                "-o",
                &options(primary),
                "-l",
                &log("primary"),
                "-w",
                "start",
            ],
        );
        run(
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &primary.to_string(),
                "-U",
                "postgres",
                "-D",
                &path("replica"),
                "-R",
                "-X",
                "stream",
            ],
        );
        run(
            "pg_ctl",
            &[
                "-D",
                &path("replica"),
                "-o",
                &options(replica),
                "-l",
                &log("replica"),
                "-w",
                "start",
            ],
        );
        Some(pair)
    }

    fn url(port: u16) -> String {
        format!("postgres://postgres@127.0.0.1:{port}/postgres")
    }
}

impl Drop for StreamingPair {
    fn drop(&mut self) {
        for name in ["replica", "primary"] {
            let mut c = Command::new("runuser");
            if self.as_root {
                c.args(["-u", "postgres", "--"])
                    .arg(self.bin.join("pg_ctl"));
            } else {
                c = Command::new(self.bin.join("pg_ctl"));
            }
            let _ = c
                .arg("-D")
                .arg(self.dir.path().join(name))
                .args(["-m", "immediate", "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

#[test]
fn a_streaming_replica_serves_the_map_and_refuses_a_submission() {
    let Some(pair) = StreamingPair::start() else {
        eprintln!("skipped: no PostgreSQL server binaries under /usr/lib/postgresql");
        return;
    };
    let (primary, replica) = (
        StreamingPair::url(pair.primary),
        StreamingPair::url(pair.replica),
    );
    // The primary: migrated and filled with the demo's published reports by a writer.
    let writer = spawn_serve(&["--demo", "--db", &primary]);
    let (_, main_map) = http(&writer.addr, "GET", "/", None).unwrap();
    let count = |page: &str| between(page, "data-count=\"", "\"").map(str::to_string);
    let published = count(&main_map).expect("the map says how many");
    assert_ne!(published, "0");

    // The replica has it once the WAL has streamed over.
    let mut pg = postgres::Client::connect(&replica, postgres::NoTls).unwrap();
    let in_recovery: bool = pg
        .query_one("SELECT pg_is_in_recovery()", &[])
        .unwrap()
        .get(0);
    assert!(in_recovery, "the second server is a streaming replica");
    let events = |c: &mut postgres::Client| -> Option<i64> {
        c.query_one("SELECT COUNT(*) FROM events", &[])
            .ok()
            .map(|r| r.get(0))
    };
    let written = events(&mut postgres::Client::connect(&primary, postgres::NoTls).unwrap());
    let started = Instant::now();
    while events(&mut pg) != written {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the replica caught up within 30 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let reader = serve_read_only(&replica);
    let (status, map) = http(&reader.addr, "GET", "/", None).unwrap();
    assert_eq!(status, 200, "{map}");
    assert_eq!(
        count(&map),
        Some(published),
        "the same map as the primary's"
    );
    let (status, list) = http(&reader.addr, "GET", "/api/events", None).unwrap();
    assert_eq!(status, 200, "{list}");
    assert_eq!(http(&reader.addr, "GET", "/readyz", None).unwrap().0, 200);

    // Anything that writes gets a clear page instead.
    let body = serde_urlencoded_like(&[("lang", "en"), ("text", "Workers gathered in Ahvaz.")]);
    let (status, page) = http(&reader.addr, "POST", "/submit", Some(&body)).unwrap();
    assert_eq!(status, 503, "{page}");
    assert!(page.contains("read-only copy"), "{page}");
    drop(reader);
    drop(writer);
    drop(pair);
}

/// `unrest serve --read-only` on `db`, on a random port.
fn serve_read_only(db: &str) -> Replica {
    spawn_serve(&["--read-only", "--db", db])
}
