//! The review workspace in headless Chromium: filtering and bulk-publishing 20 reports with
//! four eyes (one analyst verifies, the rule refuses her own publishing, another publishes),
//! assigning, commenting, dismissing a report with no event, merging a suggested duplicate,
//! the Persian review page with no English label left, and the Solar Hijri date picker.
//!
//! Screenshots go to `target/tmp/web-screenshots/`, or to `$UNREST_SCREENSHOTS` when set
//! (`scripts/screenshots.sh` sets it to `docs/screenshots/`).

use crate::browser::{attr, browser, driver};
use crate::support::*;
use fantoccini::{Client, Locator};
use std::time::Duration;

pub(crate) async fn save(c: &Client, name: &str) {
    match std::env::var_os("UNREST_SCREENSHOTS") {
        Some(dir) => {
            std::fs::create_dir_all(&dir).unwrap();
            let png = c.screenshot().await.unwrap();
            std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
        }
        None => crate::browser::shot(c, name).await,
    }
}

async fn login(c: &Client, app: &App, name: &str) {
    c.goto(&app.url("/login")).await.unwrap();
    c.find(Locator::Css("input[name=name]"))
        .await
        .unwrap()
        .send_keys(name)
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
        .for_element(Locator::Css("form.filters"))
        .await
        .unwrap();
}

async fn add_user(app: &App, name: &str, role: &str) {
    let url = app.db.url.clone();
    let (n, r) = (name.to_string(), role.to_string());
    tokio::task::spawn_blocking(move || {
        unrest_web::add_user(&url, &n, &r, "correct horse battery staple")
    })
    .await
    .unwrap()
    .unwrap();
}

/// Waits until `css` matches, then returns how many elements it matches.
async fn count(c: &Client, css: &str) -> usize {
    for _ in 0..100 {
        let n = c.find_all(Locator::Css(css)).await.unwrap().len();
        if n > 0 {
            return n;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    0
}

async fn choose(c: &Client, css: &str, value: &str) {
    c.execute(
        "var s = document.querySelector(arguments[0]); s.value = arguments[1];
         s.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![css.into(), value.into()],
    )
    .await
    .unwrap();
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Clicks what submits a form or follows a link, and waits for the next page to load.
async fn click_load(c: &Client, css: &str) {
    c.execute("document.body.dataset.old = '1';", vec![])
        .await
        .unwrap();
    click(c, css).await;
    wait_load(c).await;
}

async fn wait_load(c: &Client) {
    for _ in 0..150 {
        let fresh = c
            .execute(
                "return document.readyState === 'complete' && !!document.body && document.body.dataset.old !== '1';",
                vec![],
            )
            .await
            .unwrap_or(serde_json::Value::Bool(false));
        if fresh == serde_json::Value::Bool(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the next page did not load");
}

async fn text(c: &Client) -> String {
    c.find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The ids of the events of the report page shown.
async fn event_ids(c: &Client) -> Vec<i64> {
    let mut out = Vec::new();
    for e in c
        .find_all(Locator::Css("article.event-card"))
        .await
        .unwrap()
    {
        let id = e.attr("id").await.unwrap().unwrap();
        out.push(id.trim_start_matches("event-").parse().unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_reviews_a_day_of_reports_in_the_browser() {
    // A day of reports from one address: above the submit limit a reporter meets.
    let app = App::start_configured(Backend::Sqlite, |c| {
        c.submit_limit = unrest_web::RateLimit {
            max: 100,
            window: Duration::from_secs(600),
        }
    })
    .await;
    let Some(driver) = driver() else { return };
    app.four_eyes(true);
    for i in 0..20 {
        app.submit_ok(&format!(
            "Karaj, 12 November 2022: workers of workshop {i} gathered outside the factory and chanted slogans about unpaid wages."
        ))
        .await;
    }
    app.submit_ok("Sanandaj, 14 November 2022: hundreds of shopkeepers closed the bazaar and marched; police fired tear gas.").await;
    app.submit_ok("Good evening, I only want to thank the people who run this form.")
        .await;
    app.submit_ok(
        "سنندج، ۲۵ آبان ۱۴۰۱: صدها نفر از بازاریان در خیابان‌ها راهپیمایی کردند و شعار دادند.",
    )
    .await;
    add_user(&app, "maryam", "analyst").await;
    add_user(&app, "sara", "analyst").await;

    // Maryam filters Alborz's reports from the web form, selects them all and verifies.
    let c = browser(&driver, true).await;
    login(&c, &app, "maryam").await;
    save(&c, "queue").await;
    choose(&c, "form.filters select[name=province]", "Alborz").await;
    choose(&c, "form.filters select[name=channel]", "web").await;
    click_load(&c, "form.filters button[type=submit]").await;
    assert_eq!(
        count(&c, "table.queue tbody tr").await,
        20,
        "{}",
        text(&c).await
    );
    click(&c, "input.select-all").await;
    choose(&c, "fieldset.bulk-actions select[name=action]", "verify").await;
    click_load(&c, "fieldset.bulk-actions button[type=submit]").await;
    count(&c, "p.notice").await;
    let notice = c
        .find(Locator::Css("p.notice"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(notice.contains("20"), "{notice}");
    // The rule refuses her own publishing.
    click(&c, "input.select-all").await;
    choose(&c, "fieldset.bulk-actions select[name=action]", "publish").await;
    click_load(&c, "fieldset.bulk-actions button[type=submit]").await;
    count(&c, "p.notice").await;
    let notice = c
        .find(Locator::Css("p.notice"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        notice.contains("Done: 0") && notice.contains("four eyes"),
        "{notice}"
    );
    click_load(&c, "table.queue a.open").await;
    count(&c, "article.event-card").await;
    click_load(&c, "button.status-published").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        c.source().await.unwrap().contains("four eyes"),
        "a self-publish is refused"
    );

    // Sara publishes the 20 Maryam verified.
    let s = browser(&driver, true).await;
    login(&s, &app, "sara").await;
    choose(&s, "form.filters select[name=status]", "verified").await;
    choose(&s, "form.filters select[name=province]", "Alborz").await;
    click_load(&s, "form.filters button[type=submit]").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(count(&s, "table.queue tbody tr").await, 20);
    click(&s, "input.select-all").await;
    choose(&s, "fieldset.bulk-actions select[name=action]", "publish").await;
    click_load(&s, "fieldset.bulk-actions button[type=submit]").await;
    count(&s, "p.notice").await;
    let notice = s
        .find(Locator::Css("p.notice"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(notice.contains("Done: 20"), "{notice}");
    s.goto(&app.url("/review?status=published&province=Alborz"))
        .await
        .unwrap();
    assert_eq!(count(&s, "table.queue tbody tr").await, 20);

    // Sara dismisses the report with no event, with a reason.
    s.goto(&app.url("/review?no_event=1")).await.unwrap();
    assert_eq!(count(&s, "table.queue tbody tr").await, 1);
    click(&s, "table.queue tbody input[name=report]").await;
    choose(&s, "fieldset.bulk-actions select[name=action]", "dismiss").await;
    choose(
        &s,
        "fieldset.bulk-actions select[name=reason]",
        "not an event",
    )
    .await;
    s.find(Locator::Css("fieldset.bulk-actions input[name=note]"))
        .await
        .unwrap()
        .send_keys("a thank-you")
        .await
        .unwrap();
    click_load(&s, "fieldset.bulk-actions button[type=submit]").await;
    count(&s, "p.notice").await;
    s.goto(&app.url("/review?status=dismissed")).await.unwrap();
    assert_eq!(count(&s, "table.queue tbody tr").await, 1);
    assert!(text(&s).await.contains("Not an event"));

    // Sara assigns the Sanandaj report to Maryam, who sees it as hers.
    s.goto(&app.url("/review?province=Kurdistan&language=en"))
        .await
        .unwrap();
    assert_eq!(
        count(&s, "table.queue tbody tr").await,
        1,
        "{}",
        text(&s).await
    );
    click(&s, "table.queue tbody input[name=report]").await;
    choose(&s, "fieldset.bulk-actions select[name=action]", "assign").await;
    choose(&s, "fieldset.bulk-actions select[name=assignee]", "maryam").await;
    click_load(&s, "fieldset.bulk-actions button[type=submit]").await;
    count(&s, "p.notice").await;
    c.goto(&app.url("/review?assigned=me")).await.unwrap();
    assert_eq!(count(&c, "table.queue tbody tr").await, 1);

    // Maryam comments on it, and merges its suggested duplicate (the Persian report).
    click_load(&c, "table.queue a.open").await;
    count(&c, "form.comment").await;
    c.find(Locator::Css("form.comment textarea"))
        .await
        .unwrap()
        .send_keys("Same march as the Persian report.")
        .await
        .unwrap();
    click_load(&c, "form.comment button[type=submit]").await;
    count(&c, "article.comment").await;
    assert!(text(&c).await.contains("Same march as the Persian report."));
    let this = event_ids(&c).await[0];
    save(&c, "report").await;
    let candidate: i64 = attr(&c, "section.duplicates div.side-by-side", "data-candidate")
        .await
        .expect("the Persian report is suggested as a duplicate")
        .parse()
        .unwrap();
    c.execute("document.body.dataset.old = '1';", vec![])
        .await
        .unwrap();
    click(&c, "section.duplicates button.merge").await;
    c.accept_alert().await.unwrap();
    wait_load(&c).await;
    assert!(event_ids(&c).await.contains(&this));
    let url = app.db.url.clone();
    let merged = tokio::task::spawn_blocking(move || {
        let mut st = unrest_store::Store::open(&url).unwrap();
        st.event(candidate).unwrap().unwrap().status
    })
    .await
    .unwrap();
    assert_eq!(
        merged,
        unrest_store::Status::Rejected,
        "merged into #{this}"
    );

    // The Persian review page: every label Persian; only names and codes in Latin letters.
    let persian = {
        c.goto(&app.url("/review?status=all&language=fa&lang=fa"))
            .await
            .unwrap();
        count(&c, "table.queue tbody tr").await;
        save(&c, "queue-fa").await;
        attr(&c, "table.queue tbody tr", "data-report")
            .await
            .unwrap()
    };
    c.goto(&app.url(&format!("/review/reports/{persian}?lang=fa")))
        .await
        .unwrap();
    count(&c, "article.event-card").await;
    save(&c, "report-fa").await;
    let latin = c
        .execute(
            "var out = [];
             var walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
             while (walk.nextNode()) {
               var n = walk.currentNode, el = n.parentElement;
               if (!/[A-Za-z]/.test(n.textContent)) continue;
               if (el.closest('script, style, textarea, [lang=en]')) continue;
               if (!el.closest('select') && el.getClientRects().length === 0) continue;
               out.push(n.textContent.trim());
             }
             return out;",
            vec![],
        )
        .await
        .unwrap();
    // Names (people, places, channels) and codes (keys, grades such as F6, "API").
    let names = [
        "maryam",
        "sara",
        "web",
        "API",
        "Sanandaj",
        "Kurdistan",
        "Kordestan",
        "Karaj",
        "Alborz",
    ];
    let left: Vec<String> = latin
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .filter(|t| {
            !t.split(|ch: char| !ch.is_ascii_alphabetic())
                .filter(|w| !w.is_empty())
                .all(|w| names.contains(&w) || w.len() == 1)
        })
        .collect();
    assert!(
        left.is_empty(),
        "English left on the Persian review page: {left:?}"
    );

    // The Solar Hijri picker: 25 Shahrivar 1401 is stored as 16 September 2022.
    choose(&c, "form.edit select[name=jd]", "25").await;
    choose(&c, "form.edit select[name=jm]", "6").await;
    choose(&c, "form.edit select[name=jy]", "1401").await;
    click_load(&c, "form.edit button[type=submit]").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let id = event_ids(&c).await[0];
    let url = app.db.url.clone();
    let date = tokio::task::spawn_blocking(move || {
        let mut st = unrest_store::Store::open(&url).unwrap();
        st.event(id).unwrap().unwrap().event.event_date
    })
    .await
    .unwrap();
    assert_eq!(date, "2022-09-16");
    let shown = c
        .execute(
            "var f = document.querySelector('form.edit');
             return f.jd ? [f.jd.value, f.jm.value, f.jy.value].join('/') : location.href + document.title;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        shown.as_str(),
        Some("25/6/1401"),
        "shown again in the Solar Hijri calendar"
    );
    c.close().await.unwrap();
    s.close().await.unwrap();
}

/// Presses one key in the page, as a person at the keyboard would.
async fn press(c: &Client, key: char) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    c.perform_actions(keys).await.unwrap();
}

async fn data_status(c: &Client) -> String {
    attr(c, "article.event-card", "data-status")
        .await
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_queue_and_a_report_are_worked_by_keyboard_alone() {
    let app = App::start(Backend::Sqlite).await;
    let Some(driver) = driver() else { return };
    app.four_eyes(false);
    for town in ["Karaj", "Qazvin", "Arak"] {
        app.submit_ok(&format!(
            "{town}, 12 November 2022: hundreds of teachers gathered outside the education office and chanted slogans."
        ))
        .await;
    }
    add_user(&app, "maryam", "analyst").await;
    let c = browser(&driver, true).await;
    login(&c, &app, "maryam").await;
    assert_eq!(count(&c, "table.queue tbody tr").await, 3);

    // j, j, k: the second row, then the first again; o opens it.
    press(&c, 'j').await;
    press(&c, 'j').await;
    press(&c, 'k').await;
    let current = c
        .execute(
            "var rows = document.querySelectorAll('table.queue tbody tr');
             return Array.prototype.indexOf.call(rows, document.querySelector('tr.current'));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(current.as_i64(), Some(0), "j j k ends on the first row");
    let first = attr(&c, "table.queue tbody tr", "data-report")
        .await
        .unwrap();
    c.execute("document.body.dataset.old = '1';", vec![])
        .await
        .unwrap();
    press(&c, 'o').await;
    wait_load(&c).await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .ends_with(&format!("/review/reports/{first}")),
        "o opens the row chosen"
    );
    count(&c, "article.event-card").await;

    // j and k go to the next report and back.
    c.execute("document.body.dataset.old = '1';", vec![])
        .await
        .unwrap();
    press(&c, 'j').await;
    wait_load(&c).await;
    let next = c.current_url().await.unwrap().path().to_string();
    assert!(!next.ends_with(&format!("/{first}")), "j goes on to {next}");
    c.execute("document.body.dataset.old = '1';", vec![])
        .await
        .unwrap();
    press(&c, 'k').await;
    wait_load(&c).await;
    assert!(c
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with(&format!("/review/reports/{first}")));

    // v verifies, p publishes (four eyes off), x rejects after a confirmation.
    count(&c, "article.event-card").await;
    assert_eq!(data_status(&c).await, "coded");
    c.execute("document.body.dataset.old = '1';", vec![])
        .await
        .unwrap();
    press(&c, 'v').await;
    wait_load(&c).await;
    count(&c, "article.event-card").await;
    assert_eq!(data_status(&c).await, "verified");
    c.execute("document.body.dataset.old = '1';", vec![])
        .await
        .unwrap();
    press(&c, 'p').await;
    wait_load(&c).await;
    count(&c, "article.event-card").await;
    assert_eq!(data_status(&c).await, "published");
    c.execute("document.body.dataset.old = '1';", vec![])
        .await
        .unwrap();
    press(&c, 'x').await;
    c.accept_alert().await.unwrap();
    wait_load(&c).await;
    count(&c, "article.event-card").await;
    assert_eq!(data_status(&c).await, "rejected");
    // Keys typed into a field are the field's.
    c.find(Locator::Css("form.comment textarea"))
        .await
        .unwrap()
        .send_keys("jkvpx")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(c
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with(&format!("/review/reports/{first}")));
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coded_field_shows_its_words_and_a_picked_point_names_its_place() {
    let app = App::start(Backend::Sqlite).await;
    let Some(driver) = driver() else { return };
    app.submit_ok(crate::flows::KARAJ).await;
    add_user(&app, "maryam", "analyst").await;
    let c = browser(&driver, true).await;
    login(&c, &app, "maryam").await;
    click_load(&c, "table.queue a.open").await;
    count(&c, "article.event-card").await;
    let id = event_ids(&c).await[0];

    // The place field marks "Karaj" in the report, and only that.
    click(&c, "article.event-card input[name=location]").await;
    let shown = c
        .execute(
            "return Array.prototype.map.call(document.querySelectorAll('mark.shown'),
               function (m) { return m.dataset.field + '=' + m.textContent; });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        shown,
        serde_json::json!([format!("location (#{id})=Karaj")]),
        "the place's words"
    );
    // The reverse: the arrest words lead to the arrests field.
    click(&c, &format!("mark[data-field='arrests (#{id})']")).await;
    let focused = c
        .execute("return document.activeElement.name;", vec![])
        .await
        .unwrap();
    assert_eq!(focused.as_str(), Some("arrests"));
    save(&c, "report-evidence").await;

    // A point picked east of Karaj fills the place and province from the gazetteer.
    click(&c, "div.pick button").await;
    count(&c, "div.pickmap.open .leaflet-pane").await;
    // Towns to aim at are labelled, Karaj among them.
    assert!(count(&c, "div.pickmap .place-label").await > 3);
    let labels = c
        .execute(
            "return Array.prototype.map.call(document.querySelectorAll('div.pickmap .place-label'),
               function (l) { return l.textContent; });",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        labels.as_array().unwrap().iter().any(|l| l == "Karaj"),
        "{labels}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
        let map = c.find(Locator::Css("div.pickmap")).await.unwrap();
        let clicks = MouseActions::new("mouse".into())
            .then(PointerAction::MoveToElement {
                element: map,
                duration: None,
                x: 90.0,
                y: 20.0,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        c.perform_actions(clicks).await.unwrap();
    }
    let mut form = serde_json::Value::Null;
    for _ in 0..50 {
        form = c
            .execute(
                "var f = document.querySelector('article.event-card form.edit');
                 return [f.location.value, f.admin1.value, f.latitude.value, f.longitude.value,
                         document.querySelector('div.pick').dataset.place || ''];",
                vec![],
            )
            .await
            .unwrap();
        if form[4].as_str() != Some("") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let field = |i: usize| form[i].as_str().unwrap().to_string();
    let (lat, lon): (f64, f64) = (field(2).parse().unwrap(), field(3).parse().unwrap());
    let gaz = unrest_gazetteer::Gazetteer::embedded();
    let near = gaz.nearest_city(lat, lon).unwrap();
    assert_ne!(field(0), "Karaj", "the point moved off Karaj: {form}");
    assert_eq!(field(0), near.name, "{form}");
    assert_eq!(field(1), near.admin1, "{form}");
    save(&c, "report-picked").await;
    click_load(&c, "article.event-card form.edit button[type=submit]").await;
    count(&c, "article.event-card").await;
    let url = app.db.url.clone();
    let stored = tokio::task::spawn_blocking(move || {
        let mut st = unrest_store::Store::open(&url).unwrap();
        st.event(id).unwrap().unwrap().event
    })
    .await
    .unwrap();
    assert_eq!(stored.location, near.name);
    assert_eq!(stored.admin1, near.admin1);
    assert!((stored.latitude - lat).abs() < 1e-3 && (stored.longitude - lon).abs() < 1e-3);
    c.close().await.unwrap();
}
