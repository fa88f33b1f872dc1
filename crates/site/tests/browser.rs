//! The mirror opened from `file://` in headless Chromium (scripts/chromium-install.sh) with
//! every name resolving to nowhere: the map draws its markers from the files beside it, the
//! timeline's brush filters the map and both lists, a marker's popup leads to the event's page, and every resource the pages loaded is a file
//! of the mirror. Screenshots go to `target/tmp/site-screenshots/`.
//!
//! Without ChromeDriver the test fails under CI (`CI` set) and is skipped elsewhere.

use crate::{dataset, TestDb};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn driver() -> Option<Driver> {
    if !std::path::Path::new(CHROMEDRIVER).exists() {
        if std::env::var_os("CI").is_some() {
            panic!("{CHROMEDRIVER} is missing: run scripts/chromium-install.sh");
        }
        eprintln!("browser test skipped: {CHROMEDRIVER} is missing");
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

/// A browser that cannot reach any host: every name resolves to nothing, and any proxy
/// is a closed port.
async fn offline_browser(driver: &Driver, profile: &std::path::Path) -> Client {
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
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                format!("--user-data-dir={}", profile.display()),
            ],
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

async fn shot(c: &Client, name: &str) {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("site-screenshots");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join(format!("{name}.png")), c.screenshot().await.unwrap()).unwrap();
}

/// Every URL the page loaded (the document and its resources).
async fn loaded(c: &Client) -> Vec<String> {
    let v = c
        .execute(
            "return [location.href].concat(performance.getEntriesByType('resource').map(function (e) { return e.name; }));",
            vec![],
        )
        .await
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mirror_works_from_file_with_the_network_blocked() {
    let Some(driver) = driver() else { return };
    let db = TestDb::sqlite();
    let site = tempfile::tempdir().unwrap();
    let dir = site.path().to_path_buf();
    let ids = tokio::task::spawn_blocking(move || {
        let (mut s, ids, _) = dataset(&db);
        unrest_site::build(&mut s, &dir, None).unwrap();
        ids
    })
    .await
    .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let c = offline_browser(&driver, profile.path()).await;
    let root = format!("file://{}", site.path().display());

    for (page, tag) in [("index.html", "en"), ("index.fa.html", "fa")] {
        c.goto(&format!("{root}/{page}")).await.unwrap();
        let map = c
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css("#map[data-ready]"))
            .await
            .unwrap();
        assert_eq!(
            map.attr("data-ready").await.unwrap().as_deref(),
            Some("3"),
            "{page}: events drawn"
        );
        let markers = c
            .find_all(Locator::Css(
                "#map path.leaflet-interactive[fill='#b3261e'], #map .marker-cluster",
            ))
            .await
            .unwrap();
        assert!(
            markers.len() >= 2,
            "{page}: markers on the map, got {}",
            markers.len()
        );
        shot(&c, &format!("map-{tag}")).await;
        for url in loaded(&c).await {
            assert!(
                url.starts_with(&root),
                "{page} loaded {url} from outside the mirror"
            );
        }
    }

    // The timeline's brush on 30 September filters the map, the latest events and the list
    // beside the map alike, as on the live site; "All dates" brings them back.
    c.goto(&format!("{root}/index.html")).await.unwrap();
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css("#map[data-ready]"))
        .await
        .unwrap();
    let shown = |c: Client| async move {
        c.execute(
            "return [document.getElementById('map').dataset.shown,
                     document.querySelectorAll('ol.events li:not([hidden])').length,
                     document.getElementById('in-view-count').textContent];",
            vec![],
        )
        .await
        .unwrap()
    };
    assert_eq!(shown(c.clone()).await, json!(["3", 3, "3"]));
    {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
        let bar = c
            .find(Locator::Css(
                "svg#timeline rect.bar[data-date='2022-09-30']",
            ))
            .await
            .unwrap();
        let clicks = MouseActions::new("mouse".into())
            .then(PointerAction::MoveToElement {
                element: bar,
                duration: None,
                x: 0.0,
                y: 0.0,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        c.perform_actions(clicks).await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(shown(c.clone()).await, json!(["1", 1, "1"]));
    let listed = c
        .find(Locator::Css("ol.events li:not([hidden])"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(listed.contains("Zahedan"), "{listed}");
    shot(&c, "map-brushed-en").await;
    c.find(Locator::Css("#all-dates"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(shown(c.clone()).await, json!(["3", 3, "3"]));

    // A marker's popup leads to the event's page.
    c.goto(&format!("{root}/index.html")).await.unwrap();
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css("#map[data-ready]"))
        .await
        .unwrap();
    // The event markers are the paths filled with the map's event colour.
    let marker = c
        .find(Locator::Css(
            "#map path.leaflet-interactive[fill='#b3261e']",
        ))
        .await
        .expect("an event marker");
    marker.click().await.unwrap();
    let link = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(".leaflet-popup-content a"))
        .await
        .unwrap();
    link.click().await.unwrap();
    let h1 = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("article.event h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let url = c.current_url().await.unwrap().to_string();
    assert!(
        ids.iter()
            .any(|id| url.ends_with(&format!("/events/{id}.html"))),
        "{url}"
    );
    assert!(h1.contains("Peaceful protest"), "{h1}");
    shot(&c, "event-en").await;
    for url in loaded(&c).await {
        assert!(url.starts_with(&root), "the event page loaded {url}");
    }
    // The stylesheet applied: the page is styled from the mirror's own file.
    let styled = c
        .execute(
            "return getComputedStyle(document.querySelector('header.top')).display;",
            vec![],
        )
        .await
        .unwrap();
    assert_ne!(styled, json!("block"), "app.css did not apply");
    c.close().await.unwrap();
}
