//! Issue 6's abuse limits through the real server: the N+1th submission (or login) of one
//! client within the window gets 429 with `Retry-After` while another client still gets
//! through; a flood of submissions beyond those in flight gets 503 at once while the
//! analysts' pages answer.

use crate::support::{value_of, App, Backend, AGENT};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use unrest_web::RateLimit;

const TEXT: &str = "Karaj, 12 November 2022: crowds gathered at the bazaar.";

/// An HTTP client whose connections come from another loopback address: another client.
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(AGENT)
        .local_address(ip.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

async fn submit_with(app: &App, http: &reqwest::Client, text: &str) -> reqwest::Response {
    let form = http
        .get(app.url("/submit"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = value_of(&form, "token");
    http.post(app.url("/submit"))
        .form(&[("token", token.as_str()), ("lang", "en"), ("text", text)])
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_n_plus_first_submission_in_the_window_gets_429_and_another_client_still_submits() {
    let app = App::start_configured(Backend::Sqlite, |c| {
        c.submit_limit = RateLimit {
            max: 3,
            window: Duration::from_secs(600),
        }
    })
    .await;
    for i in 0..3 {
        let r = submit_with(&app, &app.http, &format!("{TEXT} ({i})")).await;
        assert_eq!(r.status().as_u16(), 200, "submission {i}");
    }
    let r = submit_with(&app, &app.http, &format!("{TEXT} (flood)")).await;
    assert_eq!(r.status().as_u16(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=600).contains(&wait), "{wait}");
    let page = r.text().await.unwrap();
    assert!(page.contains("your text is still in the form"), "{page}");
    // Reading the form is not limited; another client is not throttled by this one.
    assert_eq!(app.get("/submit").await.status().as_u16(), 200);
    let other = client_from("127.0.0.2");
    let r = submit_with(&app, &other, &format!("{TEXT} (neighbour)")).await;
    assert_eq!(r.status().as_u16(), 200);
    // The limiter's memory is the only place the address was: not the log.
    assert!(!app.log_text().contains("127.0.0."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_attempts_per_client_are_limited_beside_the_per_name_back_off() {
    let app = App::start_configured(Backend::Sqlite, |c| {
        c.login_limit = RateLimit {
            max: 3,
            window: Duration::from_secs(600),
        }
    })
    .await;
    for name in ["a", "b", "c"] {
        let r = app
            .post(
                "/login",
                &[("name", name), ("password", "wrong password here")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 401, "{name}");
    }
    // A fourth name: the per-name back-off would let it through, the per-client limit not.
    let r = app
        .post(
            "/login",
            &[("name", "d"), ("password", "wrong password here")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let r = client_from("127.0.0.3")
        .post(app.url("/login"))
        .form(&[("name", "d"), ("password", "wrong password here")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401, "another client");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_submissions_is_turned_away_while_analysts_pages_answer() {
    let app = App::start_configured(Backend::Sqlite, |c| {
        c.submissions_in_flight = 1;
        // The slow sender below holds the one place among bodies being read.
        c.slow_clients.bodies_in_flight = 1;
        c.submit_limit = RateLimit {
            max: 1000,
            window: Duration::from_secs(60),
        };
    })
    .await;
    let analyst = app.login_as("maryam", "analyst").await;

    // A slow sender holds the one place: its body never finishes arriving.
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(
        format!(
            "POST /submit HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\ntext=slow"
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Twenty more at once: each is answered at once with 503 and Retry-After.
    let flood: Vec<_> = (0..20)
        .map(|i| {
            let http = app.http.clone();
            let url = app.url("/submit");
            tokio::spawn(async move {
                http.post(url)
                    .form(&[("text", format!("{TEXT} {i}"))])
                    .send()
                    .await
                    .unwrap()
            })
        })
        .collect();
    let started = Instant::now();
    // Meanwhile the analysts' pages answer.
    for path in ["/review", "/review/places", "/"] {
        let (status, _) = analyst.get_text(path).await;
        assert_eq!(status, 200, "{path}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    for r in flood {
        let r = r.await.unwrap();
        assert_eq!(r.status().as_u16(), 503);
        assert_eq!(r.headers()["retry-after"], "30");
    }

    // The slow sender gone, submissions go through again.
    drop(slow);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = submit_with(&app, &app.http, TEXT).await;
    assert_eq!(r.status().as_u16(), 200);
}
