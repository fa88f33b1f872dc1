//! The public site's pages over HTTP: the list pages back through the whole period, the
//! event page says its precision in words and shows a small map, and the API is described
//! for people at `/api-docs`; a Persian page writes no codebook term in English. In
//! Chromium: the timeline brush filters the map and the lists, the list beside the map holds
//! the events in its view as it moves, markers take their type's colour, and a phone-width
//! screen shows the map first.
//!
//! Screenshots as in `workspace_browser` (`scripts/screenshots.sh` writes them to
//! `docs/screenshots/`).

use crate::both;
use crate::browser::{browser, driver};
use crate::support::*;
use fantoccini::Locator;
use std::time::Duration;

/// Publishes every event coded so far, as an analyst's bulk action would.
async fn publish_all(app: &App) {
    let url = app.db.url.clone();
    tokio::task::spawn_blocking(move || {
        let mut st = unrest_store::Store::open(&url).unwrap();
        let all = unrest_store::Filter {
            from: chrono::NaiveDate::from_ymd_opt(2000, 1, 1),
            ..Default::default()
        };
        st.set_status(
            &[],
            &all,
            unrest_store::Status::Published,
            "test",
            chrono::Utc::now(),
        )
        .unwrap();
    })
    .await
    .unwrap();
}

fn list_ids(page: &str) -> Vec<i64> {
    page.match_indices("data-id=\"")
        .map(|(i, m)| {
            let rest = &page[i + m.len()..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

async fn many_reports(n: usize) -> App {
    let app = App::start_configured(Backend::Sqlite, |c| {
        c.submit_limit = unrest_web::RateLimit {
            max: 200,
            window: Duration::from_secs(600),
        }
    })
    .await;
    let towns = ["Karaj", "Shiraz", "Tabriz"];
    for i in 0..n {
        app.submit_ok(&format!(
            "{}, {} October 2022: hundreds of students gathered at the university gate and chanted slogans.",
            towns[i % 3],
            1 + i / 3
        ))
        .await;
    }
    publish_all(&app).await;
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_list_pages_back_through_the_whole_period() {
    let app = many_reports(57).await;
    let (status, first) = app.get_text("/").await;
    assert_eq!(status, 200);
    let one = list_ids(&first);
    assert_eq!(one.len(), 50, "a page of the list");
    let older = between(&first, "<a rel=\"next\" href=\"", "\"").replace("&amp;", "&");
    let (_, second) = app.get_text(&older).await;
    let two = list_ids(&second);
    assert_eq!(two.len(), 7, "the rest: {older}");
    assert!(two.iter().all(|id| !one.contains(id)), "no event twice");
    assert!(!second.contains("rel=\"next\""), "the last page");
    assert!(second.contains("rel=\"first\""));
    // Newest first, across the pages.
    let date_of = |page: &str, id: i64| {
        let end = page.find(&format!("\" data-id=\"{id}\"")).unwrap();
        let start = page[..end].rfind("data-date=\"").unwrap() + "data-date=\"".len();
        page[start..end].to_string()
    };
    let last_first = date_of(&first, *one.last().unwrap());
    let first_second = date_of(&second, two[0]);
    assert!(
        first_second <= last_first,
        "{first_second} after {last_first}"
    );
    let (status, _) = app.get_text("/?after=x").await;
    assert_eq!(status, 400);
}

both!(
    the_public_event_page_says_its_precision_in_words_and_shows_a_small_map,
    |app: App| async move {
        app.submit_ok("Karaj, 12 November 2022: Hundreds of students gathered at the university gate and chanted slogans; riot police beat them with batons and arrested 4.").await;
        publish_all(&app).await;
        let (_, page) = app.get_text("/").await;
        let id = list_ids(&page)[0];
        let (status, page) = app.get_text(&format!("/events/{id}")).await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("(the exact day)"), "{page}");
        assert!(page.contains("(the place itself)"), "{page}");
        assert!(!page.contains("Precision 1"));
        let map = between(&page, "<figure class=\"small-map\">", "</figure>");
        assert!(
            map.contains("class=\"province here\"") && map.contains("<circle"),
            "{map}"
        );
        assert!(
            map.len() < 40_000,
            "a small map stays small: {} bytes",
            map.len()
        );
        let (_, fa) = app.get_text(&format!("/events/{id}?lang=fa")).await;
        assert!(fa.contains("روز دقیق") && fa.contains("جای رویداد"));
        assert!(
            page.contains("Protesters (Iran) with Students (Iran)") && !page.contains("(Iran))"),
            "actors without nested brackets"
        );
    }
);

both!(
    the_api_is_described_for_people_from_its_openapi,
    |app: App| async move {
        let (status, page) = app.get_text("/api-docs").await;
        assert_eq!(status, 200);
        for want in [
            "GET /api/events",
            "GET /api/events/{id}",
            "GET /api/timeline",
            "href=\"/openapi.json\"",
            "<code>after</code>",
            "<code>province</code>",
        ] {
            assert!(page.contains(want), "{want} missing");
        }
        let (_, fa) = app.get_text("/api-docs?lang=fa").await;
        assert!(fa.contains("dir=\"rtl\"") && fa.contains("رابط برنامه‌نویسی همگانی"));
        // The CLI's name for the province filter works in the API too.
        app.submit_ok(crate::flows::KARAJ).await;
        publish_all(&app).await;
        let (_, by_province) = app.get_json("/api/events?province=Alborz").await;
        let (_, by_admin1) = app.get_json("/api/events?admin1=Alborz").await;
        let (_, elsewhere) = app.get_json("/api/events?admin1=Fars").await;
        assert_eq!(
            by_province["events"].as_array().map(Vec::len),
            Some(1),
            "{by_province}"
        );
        assert_eq!(by_admin1["events"], by_province["events"]);
        assert_eq!(elsewhere["events"].as_array().map(Vec::len), Some(0));
        let (_, home) = app.get_text("/").await;
        assert!(
            home.contains("href=\"/api-docs?lang=en\""),
            "the nav links the docs"
        );
    }
);

/// The events in the map's view: as the list's count says, as it lists them, as the map
/// counts the markers in its bounds.
async fn in_view(c: &fantoccini::Client) -> serde_json::Value {
    c.execute(
        "var map = document.getElementById('map').getBoundingClientRect();
         var markers = Array.prototype.filter.call(document.querySelectorAll('#map path.event-marker'),
           function (p) { var r = p.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
             return x >= map.left && x <= map.right && y >= map.top && y <= map.bottom; });
         return [document.getElementById('in-view-count').textContent,
                 document.querySelectorAll('#in-view ol li').length,
                 String(markers.length)];",
        vec![],
    )
    .await
    .unwrap()
}

/// The codebook's terms in English (types, sub-types, disorder types, actor categories,
/// source scales): the keys of the Persian labels' `[types]` table.
pub(crate) fn codebook_terms() -> Vec<String> {
    let labels: toml::Table = toml::from_str(include_str!("../labels/fa.toml")).unwrap();
    labels["types"]
        .as_table()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

/// A page's visible text without its notes, which are English prose in every language (the
/// dataset's); only the words of the page are checked.
fn words_of_page(page: &str) -> String {
    let text = match page.find("<p class=\"notes\"") {
        Some(i) => {
            let end = page[i..].find("</p>").map_or(page.len(), |j| i + j);
            format!("{}{}", &page[..i], &page[end..])
        }
        None => page.to_string(),
    };
    visible_text(&text)
}

both!(
    a_persian_public_page_writes_no_codebook_term_in_english,
    |app: App| async move {
        app.submit_ok("Shiraz, 14 November 2022: riot police fired tear gas at hundreds of students gathered at the university gate and arrested 12 of them.").await;
        publish_all(&app).await;
        let (_, map) = app.get_text("/?lang=fa").await;
        let id = list_ids(&map)[0];
        let (_, event) = app.get_text(&format!("/events/{id}?lang=fa")).await;
        let terms = codebook_terms();
        assert!(terms.len() > 40, "{terms:?}");
        // The English pages write the codebook's own words, which the check would see.
        let (_, english) = app.get_text(&format!("/events/{id}")).await;
        let seen: Vec<&String> = terms
            .iter()
            .filter(|t| has_word(&words_of_page(&english), t))
            .collect();
        assert!(seen.len() >= 4, "types, disorder, actors, scale: {seen:?}");
        for (name, page) in [("map", &map), ("event", &event)] {
            let text = words_of_page(page);
            for t in &terms {
                assert!(
                    !has_word(&text, t),
                    "the Persian {name} page writes {t:?}: {text}"
                );
            }
        }
        assert!(event.contains("معترضان (ایران)"), "actors named in Persian");
        // Dates in the Solar Hijri calendar: 14 November 2022 is 23 Aban 1401.
        assert!(map.contains("۲۳ آبان ۱۴۰۱") && event.contains("۲۳ آبان ۱۴۰۱"));
        // The Persian map's data names the places in Persian too, for its popups and list.
        let (_, geo) = app.get_json("/api/events.geojson?lang=fa").await;
        assert_eq!(geo["features"][0]["properties"]["location_fa"], "شیراز");
        assert_eq!(geo["features"][0]["properties"]["date_fa"], "۲۳ آبان ۱۴۰۱");
        let (_, geo) = app.get_json("/api/events.geojson").await;
        assert!(geo["features"][0]["properties"]
            .get("location_fa")
            .is_none());
    }
);

both!(
    persian_pages_and_the_persian_digest_read_the_notes_in_persian_and_the_csv_keeps_english,
    |app: App| async move {
        app.submit_ok("Shiraz, 14 November 2022: riot police fired tear gas at hundreds of students gathered at the university gate and arrested 12 of them.").await;
        publish_all(&app).await;
        let (_, map) = app.get_text("/?lang=fa").await;
        let id = list_ids(&map)[0];
        let (_, english) = app.get_text(&format!("/events/{id}")).await;
        assert!(english.contains("On 14 November 2022"), "{english}");
        let (_, event) = app.get_text(&format!("/events/{id}?lang=fa")).await;
        // The same fields, worded in Persian: the Solar Hijri day, the place as Persian
        // readers name it, the figures in Persian digits.
        assert!(event.contains("در ۲۳ آبان ۱۴۰۱، "), "{event}");
        assert!(event.contains("شیراز (فارس)"), "{event}");
        assert!(event.contains("دانشجویان"), "the group in Persian: {event}");
        assert!(!event.contains("On 14 November"), "{event}");
        let (_, digest) = app
            .get_text("/digest?from=2022-11-01&to=2022-11-30&lang=fa")
            .await;
        assert!(digest.contains("در ۲۳ آبان ۱۴۰۱، "), "{digest}");
        // The ACLED download keeps the English notes.
        let (_, csv) = app.get_text("/api/events.csv").await;
        assert!(csv.contains("On 14 November 2022"), "{csv}");
        assert!(!csv.contains("آبان"), "{csv}");
    }
);

both!(
    a_persian_reporter_picks_the_day_in_the_solar_hijri_calendar_and_the_gregorian_day_is_kept,
    |app: App| async move {
        let (_, form) = app.get_text("/submit?lang=fa").await;
        assert!(
            !form.contains("type=\"date\""),
            "no Gregorian picker: {form}"
        );
        assert!(form.contains("name=\"date_jy\""), "{form}");
        let token = value_of(&form, "token");
        let text = "صدها نفر در شیراز مقابل دانشگاه تجمع کردند و شعار دادند.";
        // 31 Aban does not exist (the second half of the year has 30-day months).
        let pairs = [
            ("token", token.as_str()),
            ("lang", "fa"),
            ("text", text),
            ("date_jy", "1401"),
            ("date_jm", "8"),
            ("date_jd", "31"),
        ];
        let r = app.post("/submit", &pairs).await;
        assert_eq!(
            r.status().as_u16(),
            400,
            "a bad date is named, nothing is stored"
        );
        assert!(!r.text().await.unwrap().contains("id=\"receipt\""));
        let (_, form) = app.get_text("/submit?lang=fa").await;
        let token = value_of(&form, "token");
        let pairs = [
            ("token", token.as_str()),
            ("lang", "fa"),
            ("text", text),
            ("date_jy", "1401"),
            ("date_jm", "8"),
            ("date_jd", "23"),
        ];
        let r = app.post("/submit", &pairs).await;
        assert!(
            r.text().await.unwrap().contains("id=\"receipt\""),
            "accepted"
        );
        publish_all(&app).await;
        let (_, api) = app.get_json("/api/events").await;
        assert_eq!(api["events"][0]["event_date"], "2022-11-14", "{api}");
    }
);

both!(
    a_persian_visitor_picks_the_period_in_the_solar_hijri_calendar,
    |app: App| async move {
        app.submit_ok("Karaj, 12 November 2022: hundreds of people gathered in the main square and chanted slogans.").await;
        app.submit_ok("Shiraz, 14 November 2022: hundreds of students gathered at the university gate and chanted slogans.").await;
        publish_all(&app).await;
        let (_, all) = app.get_text("/?lang=fa").await;
        assert_eq!(list_ids(&all).len(), 2);
        assert!(!all.contains("type=\"date\""), "no Gregorian picker");
        // From 23 Aban 1401 (14 November 2022) on: Shiraz alone, and the downloads, the map's
        // data and the other language's page carry the Gregorian day.
        let (status, page) = app
            .get_text("/?lang=fa&from_jd=23&from_jm=8&from_jy=1401")
            .await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(list_ids(&page).len(), 1);
        assert!(page.contains("from=2022-11-14"), "{page}");
        assert!(page.contains("<option value=\"1401\" selected>۱۴۰۱</option>"));
        let (status, _) = app.get_text("/?lang=fa&from_jd=23&from_jy=1401").await;
        assert_eq!(status, 400, "a day and a year, no month");
        let (_, english) = app.get_text("/").await;
        assert!(english.contains("type=\"date\" name=\"from\""));
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_timeline_brush_filters_the_map_and_the_list_and_a_phone_sees_the_map_first() {
    let app = App::start(Backend::Sqlite).await;
    let Some(driver) = driver() else { return };
    app.submit_ok("Karaj, 12 November 2022: hundreds of people gathered in the main square; security forces opened fire and killed 3 protesters.").await;
    app.submit_ok("Shiraz, 20 November 2022: hundreds of students gathered at the university gate and chanted slogans.").await;
    app.submit_ok("Tabriz, 20 November 2022: bazaar merchants closed their shops and marched through the bazaar chanting slogans.").await;
    publish_all(&app).await;
    let c = browser(&driver, true).await;
    c.set_window_size(1280, 900).await.unwrap();
    c.goto(&app.url("/")).await.unwrap();
    let ready = |c: fantoccini::Client| async move {
        for _ in 0..100 {
            let r = c
                .execute(
                    "return document.getElementById('map').dataset.shown || '';",
                    vec![],
                )
                .await
                .unwrap();
            if r.as_str() != Some("") {
                return r.as_str().unwrap().to_string();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the map did not load");
    };
    assert_eq!(ready(c.clone()).await, "3");
    assert_eq!(
        in_view(&c).await,
        serde_json::json!(["3", 3, "3"]),
        "the list beside the map holds the three events"
    );
    // Markers take their type's colour from the legend, and the deadly one is larger.
    let marks = c
        .execute(
            "var legend = Array.prototype.map.call(document.querySelectorAll('ul.type-legend .swatch'),
               function (s) { return getComputedStyle(s).backgroundColor; });
             var paths = document.querySelectorAll('#map path.event-marker');
             return Array.prototype.map.call(paths, function (p) {
               return [legend.indexOf(p.getAttribute('fill')) >= 0, p.getBBox().width];
             });",
            vec![],
        )
        .await
        .unwrap();
    let marks = marks.as_array().unwrap();
    assert_eq!(marks.len(), 3, "{marks:?}");
    assert!(marks.iter().all(|m| m[0] == true), "{marks:?}");
    let widths: Vec<f64> = marks.iter().map(|m| m[1].as_f64().unwrap()).collect();
    assert!(
        widths
            .iter()
            .any(|w| *w > widths.iter().cloned().fold(f64::MAX, f64::min) + 1.0),
        "{widths:?}"
    );
    crate::workspace_browser::save(&c, "map").await;

    // The brush on 12 November: one event on the map and in the list.
    {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
        let bar = c
            .find(Locator::Css(
                "svg#timeline rect.bar[data-date='2022-11-12']",
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
    let state = c
        .execute(
            "return [document.getElementById('map').dataset.shown,
                     document.querySelectorAll('ol.events li:not([hidden])').length,
                     document.querySelectorAll('#map path.event-marker').length,
                     document.getElementById('all-dates').hidden];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(state, serde_json::json!(["1", 1, 1, false]));
    assert_eq!(
        in_view(&c).await,
        serde_json::json!(["1", 1, "1"]),
        "the brush filters the list beside the map as it does the markers"
    );
    crate::workspace_browser::save(&c, "timeline").await;
    // Its popup: counts, source count and grade.
    c.find(Locator::Css("#map path.event-marker"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The popup opens empty and is filled a moment later: wait for its words.
    let mut popup = String::new();
    for _ in 0..50 {
        if let Ok(e) = c.find(Locator::Css(".leaflet-popup-content")).await {
            popup = e.text().await.unwrap_or_default();
            if !popup.is_empty() {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        popup.contains("Fatalities: 3") && popup.contains("Independent sources: 1 · grade"),
        "{popup}"
    );
    c.find(Locator::Css("#all-dates"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(ready(c.clone()).await, "3");
    assert_eq!(in_view(&c).await, serde_json::json!(["3", 3, "3"]));

    // Zoomed in on the northmost marker (Tabriz): only it is in view, on the map and in
    // the list beside it.
    for _ in 0..3 {
        c.execute(
            "var north = Array.prototype.slice.call(document.querySelectorAll('#map path.event-marker'))
               .sort(function (a, b) { return a.getBoundingClientRect().top - b.getBoundingClientRect().top; })[0];
             var r = north.getBoundingClientRect();
             north.dispatchEvent(new MouseEvent('dblclick', {bubbles: true, clientX: r.left + r.width / 2,
               clientY: r.top + r.height / 2}));",
            vec![],
        )
        .await
        .unwrap();
        tokio::time::sleep(Duration::from_millis(700)).await;
    }
    assert_eq!(in_view(&c).await, serde_json::json!(["1", 1, "1"]));
    let listed = c
        .find(Locator::Css("#in-view ol li"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(listed.contains("Tabriz"), "{listed}");
    crate::workspace_browser::save(&c, "in-view").await;

    // A phone: the map first, nothing wider than the screen.
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&app.url("/?lang=fa")).await.unwrap();
    ready(c.clone()).await;
    let layout = c
        .execute(
            "var map = document.getElementById('map').getBoundingClientRect();
             var filters = document.querySelector('aside.filters').getBoundingClientRect();
             return [map.top < filters.top, map.width, document.documentElement.scrollWidth,
                     document.documentElement.clientWidth];",
            vec![],
        )
        .await
        .unwrap();
    crate::workspace_browser::save(&c, "phone-fa").await;
    // The Persian list beside the map names types and places in Persian.
    let listed = c
        .execute(
            "return document.getElementById('in-view').innerText;",
            vec![],
        )
        .await
        .unwrap();
    let listed = listed.as_str().unwrap();
    assert!(listed.contains("کرج"), "{listed}");
    for t in codebook_terms() {
        assert!(!has_word(listed, &t), "{t:?} in {listed}");
    }
    assert_eq!(layout[0], true, "the map comes first: {layout}");
    assert!(
        layout[2].as_f64() <= layout[3].as_f64(),
        "no sideways scrolling: {layout}"
    );
    assert!(layout[1].as_f64().unwrap() > 300.0, "{layout}");
    c.close().await.unwrap();
}

/// The map's state: what it last drew, as its data attributes say, and the clusters'
/// numbers summed.
async fn map_state(c: &fantoccini::Client) -> serde_json::Value {
    c.execute(
        "var d = document.getElementById('map').dataset;
         var sum = 0;
         document.querySelectorAll('#map .map-cluster span').forEach(function (s) { sum += +s.textContent; });
         return {ready: d.ready || '', zoom: d.zoom || '', shown: d.shown || '',
                 clusters: +(d.clusters || 0), points: +(d.points || 0), sum: sum,
                 drawn: document.querySelectorAll('#map .map-cluster').length,
                 markers: document.querySelectorAll('#map path.event-marker').length,
                 listed: document.querySelectorAll('#in-view ol li').length,
                 count: document.getElementById('event-count').dataset.count};",
        vec![],
    )
    .await
    .unwrap()
}

/// Waits until the map has drawn a view other than `seen` (by zoom).
async fn next_view(c: &fantoccini::Client, seen: &str) -> serde_json::Value {
    for _ in 0..100 {
        let s = map_state(c).await;
        if s["ready"] != "" && s["zoom"] != seen {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the map drew no new view after zoom {seen}");
}

/// Many incidents: the map asks the server for each view and draws its clusters, whose
/// numbers sum to the page's count; zooming in (a cluster clicked, the zoom button) asks
/// again, and a view holding few incidents shows them one by one, listed beside the map.
async fn the_map_draws_clusters_per_view_as_it_pans_and_zooms(backend: Backend, tag: &str) {
    let app = App::start(backend).await;
    let Some(driver) = driver() else { return };
    let url = app.db.url.clone();
    tokio::task::spawn_blocking(move || {
        let mut s = unrest_store::Store::open(&url).unwrap();
        s.generate_bench(1000, 1000, |_| {}).unwrap();
    })
    .await
    .unwrap();
    let c = browser(&driver, true).await;
    c.set_window_size(1280, 900).await.unwrap();
    c.goto(&app.url("/")).await.unwrap();
    let whole = next_view(&c, "").await;
    assert_eq!(whole["shown"], "900", "{whole}");
    assert_eq!(whole["count"], "900", "{whole}");
    assert!(whole["clusters"].as_u64().unwrap() > 5, "{whole}");
    assert_eq!(whole["drawn"], whole["clusters"], "{whole}");
    assert_eq!(
        whole["sum"], 900,
        "the clusters sum to the page's count: {whole}"
    );
    assert_eq!(whole["points"], 0);
    crate::workspace_browser::save(&c, &format!("map-clusters-{tag}")).await;

    // The cluster holding Tehran, clicked: the map zooms to its cell and asks again.
    let before = whole["zoom"].as_str().unwrap().to_string();
    c.execute(
        "var best = null;
         document.querySelectorAll('#map .map-cluster').forEach(function (m) {
           if (!best || +m.textContent > +best.textContent) best = m; });
         best.click();",
        vec![],
    )
    .await
    .unwrap();
    let closer = next_view(&c, &before).await;
    assert!(
        closer["zoom"].as_str().unwrap().parse::<u32>().unwrap() > before.parse::<u32>().unwrap(),
        "{closer}"
    );
    let shown: u64 = closer["shown"].as_str().unwrap().parse().unwrap();
    assert!(shown > 0 && shown < 900, "{closer}");
    // Few enough: one by one, on the map and in the list beside it.
    if closer["points"].as_u64().unwrap() > 0 {
        assert_eq!(closer["markers"], closer["points"], "{closer}");
        assert_eq!(
            closer["listed"].as_u64().unwrap(),
            shown.min(100),
            "{closer}"
        );
    } else {
        assert_eq!(closer["sum"].as_u64().unwrap(), shown, "{closer}");
    }

    // Zoomed in with the button: another view, incidents one by one.
    c.find(Locator::Css(".leaflet-control-zoom-in"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let zoomed = next_view(&c, closer["zoom"].as_str().unwrap()).await;
    assert!(zoomed["points"].as_u64().unwrap() > 0, "{zoomed}");
    assert_eq!(zoomed["markers"], zoomed["points"], "{zoomed}");
    crate::workspace_browser::save(&c, &format!("map-zoomed-{tag}")).await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_draws_clusters_per_view_as_it_pans_and_zooms_sqlite() {
    the_map_draws_clusters_per_view_as_it_pans_and_zooms(Backend::Sqlite, "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_draws_clusters_per_view_as_it_pans_and_zooms_postgres() {
    the_map_draws_clusters_per_view_as_it_pans_and_zooms(Backend::Postgres, "postgres").await;
}
