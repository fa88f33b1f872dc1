//! Hostile input and what must never leak: script injection in every field, forged and
//! cross-site posts, oversized bodies, logged-out requests to analyst routes, unpublished
//! events on public routes, and addresses or user agents in the logs or the database.

use crate::both;
use crate::flows::{edit_form, KARAJ};
use crate::support::*;

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(2)>";

fn assert_escaped(page: &str, what: &str) {
    assert!(
        !page.contains("<script>alert"),
        "{what}: raw script in {page}"
    );
    assert!(!page.contains("<img src=x"), "{what}: raw img in {page}");
}

both!(
    script_injection_in_every_field_is_shown_as_text,
    |app: App| async move {
        let text = format!("{KARAJ} {SCRIPT} {IMG}");
        let (status, page) = app.submit(&text, &format!("Karaj {IMG}"), "").await;
        assert_eq!(status, 200, "{page}");
        let a = app.login_as("maryam", "analyst").await;
        let report = a.queue().await[0];
        let (_, page) = a.get_text(&format!("/review/reports/{report}")).await;
        assert_escaped(&page, "review page");
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "shown as text"
        );
        let id = a.event_ids(report).await[0];
        let form = edit_form(
            &page,
            id,
            &[
                ("notes", &format!("{SCRIPT}{IMG}")),
                ("actor2", IMG),
                ("assoc_actor_1", SCRIPT),
            ],
        );
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = a.post(&format!("/review/events/{id}/edit"), &form).await;
        assert_eq!(r.status().as_u16(), 303);
        a.set_status(id, "published").await;
        for path in [
            format!("/events/{id}"),
            "/".to_string(),
            format!("/review/reports/{report}"),
            "/review".into(),
        ] {
            let (_, page) = a.get_text(&path).await;
            assert_escaped(&page, &path);
        }
        let (_, v) = app.get_json(&format!("/api/events/{id}")).await;
        assert_eq!(
            v["notes"],
            format!("{SCRIPT}{IMG}"),
            "the API gives the data as it is, as JSON"
        );
        // Query strings are echoed into the map page's form: escaped too.
        let (_, page) = app
            .get_text("/?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E&lang=en")
            .await;
        assert_escaped(&page, "map page query");
        // A bad field is refused with the reason, the event unchanged.
        let form = edit_form(
            &page_of(&a, report).await,
            id,
            &[("sub_event_type", SCRIPT)],
        );
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = a.post(&format!("/review/events/{id}/edit"), &form).await;
        assert_eq!(r.status().as_u16(), 400);
        assert_escaped(&r.text().await.unwrap(), "edit error");
    }
);

async fn page_of(a: &Session, report: i64) -> String {
    a.get_text(&format!("/review/reports/{report}")).await.1
}

both!(
    forged_and_cross_site_posts_are_refused,
    |app: App| async move {
        // A reporter's form without its token, or from another site.
        let r = app.post("/submit", &[("text", KARAJ)]).await;
        assert_eq!(r.status().as_u16(), 403);
        assert!(
            r.text().await.unwrap().contains(KARAJ),
            "the text comes back to be sent again"
        );
        let (_, form) = app.get_text("/submit").await;
        let token = value_of(&form, "token");
        let r = app
            .http
            .post(app.url("/submit"))
            .header("origin", "https://evil.example")
            .form(&[("token", token.as_str()), ("text", KARAJ)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403);
        let r = app
            .post("/receipt/followup", &[("code", "X"), ("text", "y")])
            .await;
        assert_eq!(r.status().as_u16(), 403);

        // An analyst's form without the session's token, with another's, or cross-site.
        app.submit_ok(KARAJ).await;
        let a = app.login_as("maryam", "analyst").await;
        let id = a.event_ids(a.queue().await[0]).await[0];
        let path = format!("/review/events/{id}/status");
        for csrf in ["", "0000", &"a".repeat(64)] {
            let r = app
                .http
                .post(app.url(&path))
                .header("cookie", &a.cookie)
                .form(&[("status", "published"), ("csrf", csrf)])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 403, "csrf {csrf:?}");
            let v: String = r.text().await.unwrap();
            assert!(v.contains("expired") || v.contains("did not come from this site"));
        }
        let r = app
            .http
            .post(app.url(&path))
            .header("cookie", &a.cookie)
            .header("sec-fetch-site", "cross-site")
            .form(&[("status", "published"), ("csrf", a.csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403);
        let r = app
            .http
            .post(app.url("/login"))
            .header("origin", "https://evil.example")
            .form(&[
                ("name", "maryam"),
                ("password", "correct horse battery staple"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403);
        let (_, v) = app.get_json("/api/events").await;
        assert_eq!(v["count"], 0, "nothing was published by the forged posts");
    }
);

both!(oversized_bodies_are_refused, |app: App| async move {
    let (_, form) = app.get_text("/submit").await;
    let token = value_of(&form, "token");
    let huge = "x".repeat(unrest_web::BODY_LIMIT + 10);
    let r = app
        .post("/submit", &[("token", &token), ("text", &huge)])
        .await;
    assert_eq!(r.status().as_u16(), 413);
    let long = "word ".repeat(4_001);
    let r = app
        .post("/submit", &[("token", &token), ("text", &long)])
        .await;
    assert_eq!(r.status().as_u16(), 400, "over 20,000 characters");
});

both!(
    analyst_routes_refuse_logged_out_requests,
    |app: App| async move {
        for path in [
            "/review",
            "/review/reports/1",
            "/review/places",
            "/admin/users",
        ] {
            let r = app.get(path).await;
            assert_eq!(r.status().as_u16(), 303, "{path}");
            assert_eq!(r.headers()["location"], "/login");
        }
        for path in [
            "/review/events/1/edit",
            "/review/events/1/status",
            "/review/events/1/merge",
            "/review/places",
            "/admin/users",
            "/admin/users/1",
            "/logout",
        ] {
            let r = app.post(path, &[("csrf", "x")]).await;
            assert_eq!(r.status().as_u16(), 401, "{path}");
        }
        let r = app
            .http
            .get(app.url("/review"))
            .header("cookie", format!("unrest_session={}", "f".repeat(64)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303, "an unknown session is no session");
    }
);

both!(
    public_routes_show_published_events_only,
    |app: App| async move {
        for t in [KARAJ, "Sanandaj, 12 November 2022: Hundreds gathered and chanted slogans against the government.", "Zahedan, 13 November 2022: Hundreds gathered and chanted slogans against the government.", "Tabriz, 13 November 2022: Hundreds gathered and chanted slogans against the government."] {
        app.submit_ok(t).await;
    }
        let a = app.login_as("maryam", "analyst").await;
        let mut ids = Vec::new();
        for r in a.queue().await {
            ids.extend(a.event_ids(r).await);
        }
        assert_eq!(ids.len(), 4);
        // One stays coded, one verified, one rejected, one published.
        a.set_status(ids[1], "verified").await;
        a.set_status(ids[2], "rejected").await;
        a.set_status(ids[3], "published").await;
        let published = ids[3];
        let (_, v) = app.get_json("/api/events?limit=1000").await;
        assert_eq!(v["count"], 1);
        assert_eq!(v["events"][0]["id"], published);
        for id in &ids {
            let api = app
                .get(&format!("/api/events/{id}"))
                .await
                .status()
                .as_u16();
            let page = app.get(&format!("/events/{id}")).await.status().as_u16();
            let want = if *id == published { 200 } else { 404 };
            assert_eq!((api, page), (want, want), "event {id}");
        }
        for q in [
            "",
            "?status=coded",
            "?status=verified&province=Kurdistan",
            "?q=slogans",
        ] {
            let (_, v) = app.get_json(&format!("/api/events{q}")).await;
            assert!(
                v["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|e| e["id"] == published),
                "{q}: {v}"
            );
            let csv = app
                .get(&format!("/api/events.csv{q}"))
                .await
                .text()
                .await
                .unwrap();
            assert!(csv.lines().count() <= 2, "{q}: {csv}");
            let (_, g) = app.get_json(&format!("/api/events.geojson{q}")).await;
            assert!(g["features"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["id"] == published));
            let (_, t) = app.get_json(&format!("/api/timeline{q}")).await;
            assert!(t["total"].as_u64().unwrap() <= 1);
            let (_, page) = app.get_text(&format!("/{q}")).await;
            for id in ids.iter().filter(|i| **i != published) {
                assert!(
                    !page.contains(&format!("/events/{id}?")),
                    "{q}: unpublished {id} on the map page"
                );
            }
        }
    }
);

both!(
    no_address_or_user_agent_in_logs_or_database,
    |app: App| async move {
        let receipt = app.submit_ok(KARAJ).await;
        let (_, form) = app.get_text("/receipt").await;
        let token = value_of(&form, "token");
        app.post("/receipt", &[("token", &token), ("code", &receipt)])
            .await;
        let a = app.login_as("maryam", "analyst").await;
        let id = a.event_ids(a.queue().await[0]).await[0];
        a.set_status(id, "published").await;
        app.get("/").await;
        app.get("/api/events?q=Karaj").await;
        let log = app.log_text();
        assert!(
            log.contains("POST /submit 200"),
            "the access log works: {log}"
        );
        for needle in [
            "127.0.0.1",
            "canary-ua",
            "unrest-test-agent",
            "Karaj",
            &receipt,
        ] {
            assert!(
                !log.contains(needle),
                "{needle:?} in the access log:\n{log}"
            );
        }
        let bytes = app.db.all_bytes();
        let hay = String::from_utf8_lossy(&bytes);
        assert!(
            hay.contains("Hundreds of people"),
            "the dump reads the database"
        );
        for needle in [
            "127.0.0.1",
            "canary-ua",
            "unrest-test-agent",
            &receipt,
            &receipt.replace('-', ""),
        ] {
            assert!(!hay.contains(needle), "{needle:?} in the database");
        }
    }
);

both!(
    reporters_get_no_cookie_and_every_page_its_headers,
    |app: App| async move {
        let (_, form) = app.get_text("/submit").await;
        let token = value_of(&form, "token");
        for r in [
            app.get("/submit").await,
            app.get("/").await,
            app.get("/receipt").await,
            app.post("/submit", &[("token", &token), ("text", KARAJ)])
                .await,
        ] {
            assert!(r.headers().get("set-cookie").is_none());
            let csp = r.headers()["content-security-policy"].to_str().unwrap();
            assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
            assert!(!csp.contains("unsafe-inline"));
            assert_eq!(r.headers()["referrer-policy"], "no-referrer");
            assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        }
        let (_, page) = app.get_text("/").await;
        assert!(
            !page.contains("<script>") && !page.contains(" style="),
            "no inline script or style"
        );
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "no third-party address in the page"
        );
        let r = app.get("/assets/leaflet.js").await;
        assert_eq!(r.status().as_u16(), 200);
        let r = app.get("/assets/provinces.geojson").await;
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["features"].as_array().unwrap().len(), 31);
    }
);

both!(
    guessing_a_password_locks_the_name_for_a_while,
    |app: App| async move {
        app.login_as("maryam", "analyst").await;
        for _ in 0..5 {
            let r = app
                .post(
                    "/login",
                    &[("name", "maryam"), ("password", "wrong guess 123")],
                )
                .await;
            assert_eq!(r.status().as_u16(), 401);
        }
        let r = app
            .post(
                "/login",
                &[
                    ("name", "Maryam"),
                    ("password", "correct horse battery staple"),
                ],
            )
            .await;
        assert_eq!(
            r.status().as_u16(),
            429,
            "locked, even with the right password"
        );
        assert!(r.headers().get("set-cookie").is_none());
        let r = app
            .post("/login", &[("name", "nobody"), ("password", "x")])
            .await;
        assert_eq!(r.status().as_u16(), 401, "other names are not affected");
    }
);
