//! Issue 11 through the real server: what the public must not reach, and what a flooder or
//! a slow client must not be able to do to reporters. Storage-touching rules run on SQLite
//! and PostgreSQL (`both!`).

use crate::both;
use crate::support::*;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use unrest_web::{RateLimit, TrustedProxy};

const KARAJ: &str = "Karaj, 12 November 2022: crowds gathered at the bazaar and chanted.";

/// A POST of the form with a forged token: junk as a flooder sends it.
async fn junk(app: &App, http: &reqwest::Client) -> u16 {
    http.post(app.url("/submit"))
        .form(&[("token", "forged"), ("lang", "en"), ("text", "junk")])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn submit_from(
    app: &App,
    http: &reqwest::Client,
    forwarded: Option<&str>,
    text: &str,
) -> u16 {
    let form = http
        .get(app.url("/submit"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = value_of(&form, "token");
    let mut req = http.post(app.url("/submit")).form(&[
        ("token", token.as_str()),
        ("lang", "en"),
        ("text", text),
    ]);
    if let Some(f) = forwarded {
        req = req.header("x-forwarded-for", f);
    }
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn junk_posts_do_not_use_up_the_submit_limit_that_reporters_share() {
    let app = App::start_configured(Backend::Sqlite, |c| {
        c.submit_limit = RateLimit {
            max: 3,
            window: Duration::from_secs(600),
        };
    })
    .await;
    for _ in 0..20 {
        assert_eq!(junk(&app, &app.http).await, 403);
    }
    for i in 0..3 {
        assert_eq!(
            submit_from(&app, &app.http, None, &format!("{KARAJ} ({i})")).await,
            200,
            "{i}"
        );
    }
    assert_eq!(
        submit_from(&app, &app.http, None, &format!("{KARAJ} (4)")).await,
        429
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_its_header_names_the_client_and_behind_tor_no_one_is_limited() {
    let app = App::start_configured(Backend::Sqlite, |c| {
        c.submit_limit = RateLimit {
            max: 1,
            window: Duration::from_secs(600),
        };
        c.trusted_proxy = TrustedProxy {
            header: Some("x-forwarded-for".parse().unwrap()),
            proxies: vec!["127.0.0.1".parse().unwrap()],
        };
    })
    .await;
    let h = &app.http;
    assert_eq!(
        submit_from(&app, h, Some("198.51.100.1"), &format!("{KARAJ} a")).await,
        200
    );
    assert_eq!(
        submit_from(&app, h, Some("198.51.100.1"), &format!("{KARAJ} b")).await,
        429
    );
    assert_eq!(
        submit_from(&app, h, Some("198.51.100.2"), &format!("{KARAJ} c")).await,
        200
    );
    // A spoofed header from an untrusted peer is ignored: that peer is the client.
    let other = reqwest::Client::builder()
        .local_address("127.0.0.5".parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap();
    assert_eq!(
        submit_from(&app, &other, Some("198.51.100.3"), &format!("{KARAJ} d")).await,
        200
    );
    assert_eq!(
        submit_from(&app, &other, Some("198.51.100.4"), &format!("{KARAJ} e")).await,
        429
    );

    // An onion service: the local Tor daemon is a proxy with no header.
    let onion = App::start_configured(Backend::Sqlite, |c| {
        c.submit_limit = RateLimit {
            max: 1,
            window: Duration::from_secs(600),
        };
        c.trusted_proxy = TrustedProxy {
            header: None,
            proxies: vec!["127.0.0.1".parse().unwrap()],
        };
    })
    .await;
    for i in 0..3 {
        assert_eq!(
            submit_from(&onion, &onion.http, None, &format!("{KARAJ} tor {i}")).await,
            200
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submission_form_is_good_for_one_submission() {
    let app = App::start(Backend::Sqlite).await;
    let (_, form) = app.get_text("/submit").await;
    let token = value_of(&form, "token");
    let post = |text: &'static str| {
        let token = token.clone();
        let app = &app;
        async move {
            app.post(
                "/submit",
                &[("token", token.as_str()), ("lang", "en"), ("text", text)],
            )
            .await
            .status()
            .as_u16()
        }
    };
    assert_eq!(post("Crowds in Karaj chanted at night.").await, 200);
    assert_eq!(
        post("Crowds in Karaj chanted again.").await,
        403,
        "the form was used"
    );
}

/// Opens a connection that sends a submission's headers and then a byte now and then.
async fn trickler(addr: &str) -> tokio::net::TcpStream {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(
        format!(
            "POST /submit HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nt"
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reporter_gets_through_eight_trickling_connections_and_a_burst_of_junk() {
    let app = App::start(Backend::Sqlite).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut slow = Vec::new();
    for _ in 0..8 {
        slow.push(trickler(&addr).await);
    }
    // And eight that never finish their headers.
    for _ in 0..8 {
        let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
        s.write_all(b"POST /submit HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        slow.push(s);
    }
    let burst: Vec<_> = (0..40)
        .map(|_| {
            let (http, url) = (app.http.clone(), app.url("/submit"));
            tokio::spawn(async move {
                http.post(url)
                    .form(&[("token", "forged"), ("text", "junk")])
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
            })
        })
        .collect();
    let started = Instant::now();
    let status = submit_from(&app, &app.http, None, KARAJ).await;
    let took = started.elapsed();
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(2), "accepted after {took:?}");
    eprintln!(
        "slow-client test: the real submission was accepted in {} ms",
        took.as_millis()
    );
    for b in burst {
        let _ = b.await;
    }
    // The tricklers still trickle: they held nothing the reporter needed.
    for s in slow.iter_mut().take(8) {
        let _ = s.write_all(b"x").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_trickles_is_cut_off_and_a_header_that_never_ends_is_closed() {
    let app = App::start_configured(Backend::Sqlite, |c| {
        c.slow_clients.bodies_in_flight = 1;
        c.slow_clients.body_grace = Duration::from_millis(500);
        c.slow_clients.body_min_rate = 1000;
        c.slow_clients.header_timeout = Duration::from_millis(800);
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut body = trickler(&addr).await;
    let mut head = tokio::net::TcpStream::connect(&addr).await.unwrap();
    head.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(5), body.read_to_string(&mut answer))
        .await
        .expect("the trickling body is cut off")
        .ok();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), head.read_to_end(&mut rest))
        .await
        .expect("the connection that never finished its headers is closed")
        .ok();
    // Its place freed, a reporter gets through.
    assert_eq!(submit_from(&app, &app.http, None, KARAJ).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_access_log_keeps_no_duration_of_reporters_requests() {
    let app = App::start(Backend::Sqlite).await;
    app.submit_ok(KARAJ).await;
    app.get("/").await;
    let log = app.log_text();
    let submit: Vec<&str> = log.lines().filter(|l| l.contains("/submit")).collect();
    assert!(!submit.is_empty());
    assert!(submit.iter().all(|l| l.ends_with(" -")), "{log}");
    assert!(
        log.lines()
            .any(|l| l.starts_with("GET / ") && l.ends_with("ms")),
        "{log}"
    );
}

both!(
    public_queries_and_paging_see_only_what_the_public_sees,
    |app: App| async move {
        let text = "My name is Kaveh Zandi, phone 09121234567. Karaj, 12 November 2022: crowds gathered at the bazaar and chanted.";
        app.submit_ok(text).await;
        app.submit_ok("Tehran, 13 November 2022: students chanted at Sharif University.")
            .await;
        let a = app.login_as("maryam", "analyst").await;
        let queue = a.queue().await;
        let karaj = a.event_ids(*queue.iter().max().unwrap() - 1).await[0];
        let tehran = a.event_ids(*queue.iter().max().unwrap()).await[0];
        assert_eq!(a.set_status(karaj, "published").await, 303);
        for path in ["/api/events?q=Zandi", "/api/events?q=09121234567"] {
            let (status, v) = app.get_json(path).await;
            assert_eq!(status, 200);
            assert_eq!(v["count"], 0, "{path}: {v}");
        }
        let (_, csv) = app.get_text("/api/events.csv?q=Zandi").await;
        assert_eq!(csv.lines().count(), 1, "header only: {csv}");
        let (_, v) = app.get_json("/api/events?q=Karaj").await;
        assert_eq!(v["count"], 1, "{v}");
        // Paging after an unpublished event answers as after a missing one.
        let (s1, v1) = app.get_json(&format!("/api/events?after={tehran}")).await;
        let (s2, v2) = app.get_json("/api/events?after=99999999").await;
        assert_eq!(s1, s2);
        assert_eq!(s1, 400);
        assert_eq!(
            v1.to_string().replace(&tehran.to_string(), "N"),
            v2.to_string().replace("99999999", "N")
        );
        // NUL in a filter is a clear 400, not a database error.
        let (status, v) = app.get_json("/api/events?province=%00").await;
        assert_eq!(status, 400, "{v}");
        assert!(v.to_string().contains("NUL"), "{v}");
    }
);

both!(
    a_nul_byte_in_a_follow_up_is_refused_with_a_clear_400,
    |app: App| async move {
        let code = app.submit_ok(KARAJ).await;
        let (_, form) = app.get_text("/receipt").await;
        let token = value_of(&form, "token");
        let r = app
            .post(
                "/receipt",
                &[
                    ("token", token.as_str()),
                    ("lang", "en"),
                    ("code", code.as_str()),
                ],
            )
            .await;
        let page = r.text().await.unwrap();
        let token = value_of(&page, "token");
        let r = app
            .post(
                "/receipt/followup",
                &[
                    ("token", token.as_str()),
                    ("lang", "en"),
                    ("code", code.as_str()),
                    ("text", "more\0text"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 400);
        assert!(r.text().await.unwrap().contains("NUL"));
    }
);

both!(
    moving_an_event_moves_its_province_with_it,
    |app: App| async move {
        app.submit_ok(crate::flows::KARAJ).await;
        let a = app.login_as("maryam", "analyst").await;
        let report = a.queue().await[0];
        let id = a.event_ids(report).await[0];
        let (_, page) = a.get_text(&format!("/review/reports/{report}")).await;
        // Only the coordinates change: to Tabriz, East Azarbaijan.
        let form = crate::flows::edit_form(
            &page,
            id,
            &[("latitude", "38.0800"), ("longitude", "46.2919")],
        );
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = a.post(&format!("/review/events/{id}/edit"), &form).await;
        assert_eq!(r.status().as_u16(), 303);
        a.set_status(id, "published").await;
        let (_, v) = app.get_json(&format!("/api/events/{id}")).await;
        assert_eq!(v["admin1"], "East Azarbaijan", "{v}");
    }
);

both!(
    adding_a_place_with_an_unknown_city_says_what_is_wrong,
    |app: App| async move {
        let a = app.login_as("maryam", "analyst").await;
        let r = a
            .post(
                "/review/places",
                &[
                    ("name", "Azadi Gate"),
                    ("lat", "35.70"),
                    ("lon", "51.34"),
                    ("city", "Nowhereabad"),
                    ("kind", "landmark"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 400);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("city &#39;Nowhereabad&#39; is not in the gazetteer")
                || page.contains("city 'Nowhereabad' is not in the gazetteer"),
            "{page}"
        );
        assert!(!page.contains("Something went wrong"));
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealed_server_stores_arrival_times_only_to_the_hour() {
    let key = unrest_seal::generate_identity();
    let recipient = key.recipient.clone();
    let app = App::start_configured(Backend::Sqlite, |c| c.seal_to = Some(recipient)).await;
    app.submit_ok(KARAJ).await;
    let url = app.db.url.clone();
    let times = tokio::task::spawn_blocking(move || {
        let mut s = unrest_store::Store::open(&url).unwrap();
        let mut at = Vec::new();
        s.audit_entries::<unrest_store::Error>(|e| {
            if e.kind == "sealed" {
                at.push(e.at);
            }
            Ok(())
        })
        .unwrap();
        at
    })
    .await
    .unwrap();
    assert!(!times.is_empty());
    assert!(times.iter().all(|t| t.ends_with(":00:00Z")), "{times:?}");
}

both!(
    the_same_text_sent_again_is_a_new_report_with_its_own_receipt,
    |app: App| async move {
        let first = app.submit_ok(KARAJ).await;
        let second = app.submit_ok(KARAJ).await;
        assert_ne!(first, second);
        let a = app.login_as("maryam", "analyst").await;
        let queue = a.queue().await;
        assert_eq!(queue.len(), 2, "two reports: {queue:?}");
        let url = app.db.url.clone();
        let (one, two) = tokio::task::spawn_blocking(move || {
            let mut s = unrest_store::Store::open(&url).unwrap();
            let hash = |code: &str| {
                let code: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
                unrest_store::sha256_hex(format!("receipt:{}", code.to_uppercase()).as_bytes())
            };
            (
                s.report_by_receipt(&hash(&first)).unwrap(),
                s.report_by_receipt(&hash(&second)).unwrap(),
            )
        })
        .await
        .unwrap();
        let (one, two) = (one.expect("first receipt"), two.expect("second receipt"));
        assert_ne!(one, two, "each receipt leads to its own report");
        assert!(queue.contains(&one) && queue.contains(&two));
    }
);
