//! The flows in real headless Chromium (Debian's `chromium` and `chromium-driver`, installed
//! by scripts/chromium-install.sh), through ChromeDriver: a reporter submits with JavaScript
//! disabled and gets a receipt; an analyst logs in, sees the evidence highlighted, corrects
//! the date and publishes; the public map then shows the event and the timeline counts it;
//! the Persian pages are right-to-left. Screenshots of every page are written to
//! `target/tmp/web-screenshots/` (look at them).
//!
//! Without ChromeDriver the tests fail under CI (`CI` set) and are skipped elsewhere.

use crate::flows::KARAJ;
use crate::support::*;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// ChromeDriver on a free port, ended when dropped.
pub(crate) struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn driver() -> Option<Driver> {
    if !std::path::Path::new(CHROMEDRIVER).exists() {
        if std::env::var_os("CI").is_some() {
            panic!("{CHROMEDRIVER} is missing: run scripts/chromium-install.sh");
        }
        eprintln!("browser test skipped: {CHROMEDRIVER} is missing (scripts/chromium-install.sh)");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    Some(Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    })
}

pub(crate) async fn browser(driver: &Driver, javascript: bool) -> Client {
    let profile = tempfile::tempdir().unwrap().keep();
    let mut prefs = json!({});
    if !javascript {
        prefs = json!({"profile.managed_default_content_settings.javascript": 2});
    }
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", "--disable-quic", "--hide-scrollbars",
                "--window-size=1280,900", "--lang=en-US",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": prefs,
        }),
    );
    let mut last = None;
    for _ in 0..50 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&driver.url)
            .await
        {
            Ok(c) => return c,
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("cannot start a browser session: {last:?}");
}

pub(crate) fn shot_dir() -> std::path::PathBuf {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("web-screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub(crate) async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(shot_dir().join(format!("{name}.png")), png).unwrap();
}

pub(crate) async fn attr(c: &Client, css: &str, name: &str) -> Option<String> {
    c.find(Locator::Css(css))
        .await
        .ok()?
        .attr(name)
        .await
        .ok()?
}

async fn the_whole_flow(app: App, tag: &str) {
    let Some(driver) = driver() else { return };

    // A reporter, JavaScript disabled.
    let reporter = browser(&driver, false).await;
    reporter.goto(&app.url("/submit")).await.unwrap();
    shot(&reporter, &format!("{tag}-submit-en")).await;
    reporter
        .find(Locator::Css("#text"))
        .await
        .unwrap()
        .send_keys(KARAJ)
        .await
        .unwrap();
    reporter
        .find(Locator::Css("form.report button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let receipt = reporter
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css("#receipt"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(receipt.len(), 39, "a receipt code: {receipt}");
    shot(&reporter, &format!("{tag}-receipt-en")).await;
    // The page's own scripts really were off: the map never draws.
    reporter.goto(&app.url("/")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(
        attr(&reporter, "#map", "data-ready").await,
        None,
        "scripts ran"
    );
    reporter.goto(&app.url("/submit?lang=fa")).await.unwrap();
    assert_eq!(attr(&reporter, "html", "dir").await.as_deref(), Some("rtl"));
    shot(&reporter, &format!("{tag}-submit-fa")).await;
    reporter.close().await.unwrap();

    // An analyst.
    let url = app.db.url.clone();
    tokio::task::spawn_blocking(move || {
        unrest_web::add_user(&url, "maryam", "analyst", "correct horse battery staple")
    })
    .await
    .unwrap()
    .unwrap();
    let c = browser(&driver, true).await;
    c.goto(&app.url("/login")).await.unwrap();
    c.find(Locator::Css("input[name=name]"))
        .await
        .unwrap()
        .send_keys("maryam")
        .await
        .unwrap();
    c.find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys("correct horse battery staple")
        .await
        .unwrap();
    c.find(Locator::Css("form.login button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css("table.queue"))
        .await
        .unwrap();
    shot(&c, &format!("{tag}-queue-en")).await;
    c.find(Locator::Css("table.queue a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css("pre.report-text"))
        .await
        .unwrap();
    let marks = c
        .find_all(Locator::Css("pre.report-text mark"))
        .await
        .unwrap();
    assert!(
        marks.len() >= 3,
        "evidence highlighted: {} marks",
        marks.len()
    );
    let mut marked = Vec::new();
    for m in &marks {
        marked.push(m.text().await.unwrap());
    }
    assert!(marked.iter().any(|t| t == "Karaj"), "{marked:?}");
    shot(&c, &format!("{tag}-review-en")).await;

    // A point picked on the small map lands in the coordinates.
    let before = attr(&c, "form.edit input[name=latitude]", "value").await;
    c.find(Locator::Css("div.pick button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    c.execute(
        "var b = document.querySelector('.pickmap').getBoundingClientRect();
         document.querySelector('.pickmap').dispatchEvent(new MouseEvent('click',
           {clientX: b.left + 40, clientY: b.top + 40, bubbles: true}));",
        vec![],
    )
    .await
    .unwrap();
    let picked = c
        .execute(
            "return document.querySelector('form.edit input[name=latitude]').value",
            vec![],
        )
        .await
        .unwrap();
    assert_ne!(
        picked.as_str(),
        before.as_deref(),
        "the picked point is written"
    );
    shot(&c, &format!("{tag}-review-pick-en")).await;

    c.execute(
        "document.querySelector('form.edit input[name=event_date]').value = arguments[0];",
        vec![json!("2022-11-13")],
    )
    .await
    .unwrap();
    c.find(Locator::Css("form.edit button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The click may return before the answer to the form has loaded: wait for the saved date.
    let mut date = None;
    for _ in 0..100 {
        date = attr(&c, "form.edit input[name=event_date]", "value").await;
        if date.as_deref() == Some("2022-11-13") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        date.as_deref(),
        Some("2022-11-13"),
        "{}",
        c.source().await.unwrap()
    );
    c.find(Locator::Css("button.status-published"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css("article.event-card[data-status=published]"))
        .await
        .unwrap();
    c.goto(&app.url("/review/reports/1?lang=fa")).await.unwrap();
    shot(&c, &format!("{tag}-review-fa")).await;

    // The public map.
    c.goto(&app.url("/")).await.unwrap();
    let mut ready = None;
    for _ in 0..100 {
        ready = attr(&c, "#map", "data-ready").await;
        if ready.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(ready.as_deref(), Some("1"), "the map drew one event");
    let markers = c
        .find_all(Locator::Css("#map path.leaflet-interactive"))
        .await
        .unwrap();
    assert!(
        markers.len() > 31,
        "provinces and the event on the map: {}",
        markers.len()
    );
    assert_eq!(
        attr(&c, "rect.bar[data-date='2022-11-13']", "data-count")
            .await
            .as_deref(),
        Some("1"),
        "the timeline counts it"
    );
    shot(&c, &format!("{tag}-map-en")).await;
    c.goto(&app.url("/?lang=fa")).await.unwrap();
    assert_eq!(attr(&c, "html", "dir").await.as_deref(), Some("rtl"));
    tokio::time::sleep(Duration::from_millis(800)).await;
    shot(&c, &format!("{tag}-map-fa")).await;
    let id = app.get_json("/api/events").await.1["events"][0]["id"]
        .as_i64()
        .unwrap();
    c.goto(&app.url(&format!("/events/{id}"))).await.unwrap();
    shot(&c, &format!("{tag}-event-en")).await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_flow_sqlite() {
    the_whole_flow(App::start(Backend::Sqlite).await, "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_flow_postgres() {
    the_whole_flow(App::start(Backend::Postgres).await, "postgres").await;
}
