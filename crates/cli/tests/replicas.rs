//! Three `unrest serve` processes on one PostgreSQL, as behind a load balancer: submissions
//! spread over all three for 30 s while one is killed with SIGKILL; every submission that
//! got a receipt is in the database afterwards. Needs PostgreSQL (scripts/pg-start.sh;
//! `UNREST_TEST_POSTGRES`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn admin_url() -> String {
    std::env::var("UNREST_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

struct Replica {
    child: Child,
    addr: String,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `unrest serve` on a random port; returns once it listens.
fn serve(db: &str) -> Replica {
    let mut child = Command::new(env!("CARGO_BIN_EXE_unrest"))
        .args(["serve", "--db", db, "--bind", "127.0.0.1:0"])
        .args(["--submit-limit", "100000/1", "--in-flight", "32"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("unrest serve starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("serve says where it listens").unwrap();
        if let Some(rest) = line.strip_prefix("unrest: serving on http://") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    // Keep reading its log so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Replica { child, addr }
}

/// One HTTP/1.1 request; the status and the body.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    form: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    let body = form.unwrap_or("");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if form.is_some() {
        req.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.write_all(req.as_bytes())?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    let status = out
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((status, out))
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

#[test]
fn killing_a_replica_loses_no_submission_that_got_a_receipt() {
    let admin = admin_url();
    let schema = format!("replicas_{}", std::process::id());
    let mut pg = match postgres::Client::connect(&admin, postgres::NoTls) {
        Ok(c) => c,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("skipped: PostgreSQL at {admin} is needed: {e}");
            return;
        }
        Err(e) => panic!("PostgreSQL at {admin} is needed: {e}"),
    };
    pg.batch_execute(&format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
    ))
    .unwrap();
    let sep = if admin.contains('?') { '&' } else { '?' };
    let db = format!("{admin}{sep}options=-csearch_path%3D{schema}");

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
