//! The harness: the real server on a random port over a fresh database (a SQLite file in a
//! temporary folder, or a PostgreSQL schema of its own that is dropped afterwards), an HTTP
//! client that follows no redirects and keeps no cookies by itself, and the few steps every
//! flow needs: submit a report, log in, act as an analyst.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use unrest_web::{AccessLog, ServeConfig, Server};

/// A user agent no code of ours should ever store or log.
pub const AGENT: &str = "unrest-test-agent/9.9 (canary-ua)";

pub fn postgres_admin_url() -> String {
    std::env::var("UNREST_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// Runs blocking PostgreSQL work on a thread of its own: the blocking client may not run
/// inside the tests' async runtime.
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().expect("database helper thread"))
}

/// Sets the deployment's four-eyes rule directly in the store.
pub fn set_four_eyes(url: &str, on: bool) {
    let url = url.to_string();
    off_runtime(move || {
        let mut s = unrest_store::Store::open(&url).expect("open the test store");
        s.set_setting(
            "four_eyes",
            if on { "on" } else { "off" },
            "test",
            chrono::Utc::now(),
        )
        .expect("set four eyes");
    });
}

/// A database that exists for one test.
pub struct TestDb {
    pub url: String,
    pub sqlite_file: Option<std::path::PathBuf>,
    _dir: Option<tempfile::TempDir>,
    pg_schema: Option<(String, String)>,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let file = dir.path().join("unrest.db");
        TestDb {
            url: format!("sqlite:{}", file.display()),
            sqlite_file: Some(file),
            _dir: Some(dir),
            pg_schema: None,
        }
    }

    pub fn postgres() -> TestDb {
        static N: AtomicU32 = AtomicU32::new(0);
        let admin = postgres_admin_url();
        let schema = format!(
            "web_{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        off_runtime(|| {
            let mut client = postgres::Client::connect(&admin, postgres::NoTls).unwrap_or_else(|e| {
                panic!("PostgreSQL at {admin} is needed for this test (run scripts/pg-start.sh, or set UNREST_TEST_POSTGRES): {e}")
            });
            client
                .batch_execute(&format!("CREATE SCHEMA {schema}"))
                .expect("create test schema");
        });
        let sep = if admin.contains('?') { '&' } else { '?' };
        TestDb {
            url: format!("{admin}{sep}options=-csearch_path%3D{schema}"),
            sqlite_file: None,
            _dir: None,
            pg_schema: Some((admin, schema)),
        }
    }

    /// Every byte the database holds that a test can read: the SQLite files, or a dump of
    /// every text column of the schema.
    pub fn all_bytes(&self) -> Vec<u8> {
        if let Some(f) = &self.sqlite_file {
            let mut out = Vec::new();
            for suffix in ["", "-wal", "-shm"] {
                let p = format!("{}{suffix}", f.display());
                out.extend(std::fs::read(p).unwrap_or_default());
            }
            return out;
        }
        let (admin, schema) = self.pg_schema.clone().unwrap();
        off_runtime(move || Self::dump(&admin, &schema))
    }

    fn dump(admin: &str, schema: &str) -> Vec<u8> {
        let mut c = postgres::Client::connect(admin, postgres::NoTls).unwrap();
        // Report text is bytea: shown as escaped text, ASCII as itself.
        c.batch_execute("SET bytea_output = 'escape'").unwrap();
        let tables: Vec<String> = c
            .query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
                &[&schema],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut out = Vec::new();
        for t in tables {
            for row in c
                .query(&format!("SELECT CAST(t AS TEXT) FROM {schema}.{t} t"), &[])
                .unwrap()
            {
                let s: String = row.get(0);
                out.extend(s.into_bytes());
            }
        }
        out
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, schema)) = self.pg_schema.clone() {
            off_runtime(move || {
                if let Ok(mut c) = postgres::Client::connect(&admin, postgres::NoTls) {
                    let _ = c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
                }
            });
        }
    }
}

/// The running app.
pub struct App {
    pub base: String,
    pub db: TestDb,
    pub log: Arc<Mutex<Vec<String>>>,
    pub http: reqwest::Client,
}

pub enum Backend {
    Sqlite,
    Postgres,
}

impl App {
    pub async fn start(backend: Backend) -> App {
        App::start_with(backend, false).await
    }

    pub async fn start_with(backend: Backend, demo: bool) -> App {
        App::start_configured(backend, |c| c.demo = demo).await
    }

    /// Starts with the test defaults, then `configure` (sealed mode, limits…).
    pub async fn start_configured(
        backend: Backend,
        configure: impl FnOnce(&mut ServeConfig),
    ) -> App {
        let db = match backend {
            Backend::Sqlite => TestDb::sqlite(),
            Backend::Postgres => TestDb::postgres(),
        };
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut config = ServeConfig::new(db.url.clone());
        config.bind = "127.0.0.1:0".parse().unwrap();
        config.access_log = AccessLog::Memory(log.clone());
        config.pool_size = 3;
        configure(&mut config);
        let server = Server::bind(config).await.expect("server starts");
        let addr = server.local_addr().unwrap();
        // A new deployment has four eyes on (the store's tests pin that); most flows here
        // are one analyst's, so they run with it off and the four-eyes tests turn it on.
        set_four_eyes(&db.url, false);
        tokio::spawn(server.run());
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(AGENT)
            .build()
            .unwrap();
        App {
            base: format!("http://{addr}"),
            db,
            log,
            http,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Sends a report through the form as a reporter would; returns the page answered.
    pub async fn submit(&self, text: &str, place: &str, date: &str) -> (u16, String) {
        let (_, form) = self.get_text("/submit").await;
        let token = value_of(&form, "token");
        let r = self
            .post(
                "/submit",
                &[
                    ("token", &token),
                    ("lang", "en"),
                    ("text", text),
                    ("place", place),
                    ("date", date),
                ],
            )
            .await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Submits through the form as a browser does with a file input: `multipart/form-data`,
    /// with `photos` as (file name, declared type, bytes).
    pub async fn submit_multipart(
        &self,
        text: &str,
        photos: &[(&str, &str, &[u8])],
    ) -> (u16, String) {
        let (_, form) = self.get_text("/submit").await;
        let token = value_of(&form, "token");
        let (content_type, body) = multipart_body(
            &[
                ("token", token.as_str()),
                ("lang", "en"),
                ("text", text),
                ("place", ""),
                ("date", ""),
            ],
            photos,
        );
        let r = self
            .http
            .post(self.url("/submit"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Submits and returns the receipt code.
    pub async fn submit_ok(&self, text: &str) -> String {
        let (status, page) = self.submit(text, "", "").await;
        assert_eq!(status, 200, "{page}");
        between(&page, "<output id=\"receipt\">", "</output>").to_string()
    }

    /// Creates a user through the library call the CLI uses, and logs in.
    pub async fn login_as(&self, name: &str, role: &str) -> Session {
        let url = self.db.url.clone();
        let (n, r) = (name.to_string(), role.to_string());
        tokio::task::spawn_blocking(move || {
            unrest_web::add_user(&url, &n, &r, "correct horse battery staple")
        })
        .await
        .unwrap()
        .expect("add user");
        let r = self
            .post(
                "/login",
                &[("name", name), ("password", "correct horse battery staple")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303, "login answers with a redirect");
        let cookie = r
            .headers()
            .get("set-cookie")
            .expect("a session cookie")
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let mut s = Session {
            cookie,
            csrf: String::new(),
            http: self.http.clone(),
            base: self.base.clone(),
        };
        let (status, page) = s.get_text("/review").await;
        assert_eq!(status, 200);
        s.csrf = value_of(&page, "csrf");
        s
    }

    /// Turns the four-eyes rule on or off, as an admin would on the settings page.
    pub fn four_eyes(&self, on: bool) {
        set_four_eyes(&self.db.url, on);
    }

    pub fn log_text(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }
}

/// A logged-in analyst's client.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    http: reqwest::Client,
    base: String,
}

impl Session {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Posts a form with this session's CSRF token added.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let mut f: Vec<(&str, &str)> = form.to_vec();
        f.push(("csrf", &self.csrf));
        self.http
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .form(&f)
            .send()
            .await
            .unwrap()
    }

    /// The ids of the events shown on a report's review page.
    pub async fn event_ids(&self, report_id: i64) -> Vec<i64> {
        let (_, page) = self.get_text(&format!("/review/reports/{report_id}")).await;
        page.match_indices("id=\"event-")
            .map(|(i, m)| {
                let rest = &page[i + m.len()..];
                rest[..rest.find('"').unwrap()].parse().unwrap()
            })
            .collect()
    }

    /// The report ids of the review queue, newest first.
    pub async fn queue(&self) -> Vec<i64> {
        let (_, page) = self.get_text("/review").await;
        page.match_indices("/review/reports/")
            .map(|(i, m)| {
                let rest = &page[i + m.len()..];
                let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap();
                rest[..end].parse().unwrap()
            })
            .collect()
    }

    pub async fn set_status(&self, event: i64, status: &str) -> u16 {
        self.post(
            &format!("/review/events/{event}/status"),
            &[("status", status)],
        )
        .await
        .status()
        .as_u16()
    }
}

/// The `value` of the first input named `name` in a page.
pub fn value_of(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let i = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no input {name} in {page}"));
    let rest = &page[i + marker.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

pub fn between<'a>(s: &'a str, a: &str, b: &str) -> &'a str {
    let i = s.find(a).unwrap_or_else(|| panic!("{a:?} not in {s}")) + a.len();
    let j = s[i..].find(b).unwrap() + i;
    &s[i..j]
}

/// The text a reader sees of a page: without tags (so without attributes), scripts and
/// styles, entities decoded.
pub fn visible_text(page: &str) -> String {
    let mut page = page.to_string();
    for tag in ["script", "style"] {
        while let Some(i) = page.find(&format!("<{tag}")) {
            let end = page[i..]
                .find(&format!("</{tag}>"))
                .map_or(page.len(), |j| i + j + tag.len() + 3);
            page.replace_range(i..end, " ");
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in page.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Whether `text` holds `word` as a whole word (no letter or digit on either side).
pub fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Runs one async test body on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::support::App::start($crate::support::Backend::Sqlite).await;
                ($body)(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::support::App::start($crate::support::Backend::Postgres).await;
                ($body)(app).await;
            }
        }
    };
}

/// A `multipart/form-data` body, as a browser writes it.
pub fn multipart_body(
    fields: &[(&str, &str)],
    photos: &[(&str, &str, &[u8])],
) -> (String, Vec<u8>) {
    let boundary = "----unrestTestBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").into_bytes());
    }
    for (file, declared, bytes) in photos {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{file}\"\r\nContent-Type: {declared}\r\n\r\n").into_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
