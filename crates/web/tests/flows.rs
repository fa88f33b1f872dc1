//! The workflow over HTTP: a reporter submits, an analyst reviews and publishes, the public
//! sees the event in the API, on the map page, in the downloads and the timeline.

use crate::both;
use crate::support::*;

pub const KARAJ: &str = "Karaj, 12 November 2022: Hundreds of people gathered in the main square and chanted slogans against the government. Riot police fired tear gas and beat protesters with batons; at least 12 people were arrested.";

both!(
    a_submitted_report_is_coded_reviewed_and_published,
    |app: App| async move {
        let receipt = app.submit_ok(KARAJ).await;
        assert_eq!(receipt.len(), 39, "a long receipt code: {receipt}");

        // Coded at once, but not public.
        let (_, v) = app.get_json("/api/events").await;
        assert_eq!(v["count"], 0);

        let analyst = app.login_as("maryam", "analyst").await;
        let report = analyst.queue().await[0];
        let (status, page) = analyst.get_text(&format!("/review/reports/{report}")).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("<mark title=\"location"),
            "evidence highlighted: {page}"
        );
        let events = analyst.event_ids(report).await;
        assert_eq!(events.len(), 1, "{page}");
        let id = events[0];

        // The analyst corrects the date, then publishes.
        let (_, page) = analyst.get_text(&format!("/review/reports/{report}")).await;
        let form = edit_form(&page, id, &[("event_date", "2022-11-13")]);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = analyst
            .post(&format!("/review/events/{id}/edit"), &form)
            .await;
        assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
        assert_eq!(analyst.set_status(id, "published").await, 303);

        let (_, v) = app.get_json("/api/events").await;
        assert_eq!(v["count"], 1, "{v}");
        let e = &v["events"][0];
        assert_eq!(e["event_date"], "2022-11-13");
        assert_eq!(e["location"], "Karaj");
        assert_eq!(e["arrests"], 12);
        assert!(e.get("report").is_none() && e.get("evidence").is_none());

        let (_, page) = app.get_text("/").await;
        assert!(page.contains("data-count=\"1\""), "the map page counts it");
        assert!(
            page.contains("data-date=\"2022-11-13\" data-count=\"1\""),
            "the timeline counts it"
        );
        let (status, page) = app.get_text(&format!("/events/{id}")).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Karaj")
                && !page.contains("Hundreds of people gathered in the main square")
        );

        let csv = app.get("/api/events.csv").await.text().await.unwrap();
        assert_eq!(csv.lines().count(), 2);
        assert!(csv.starts_with("event_id_cnty,event_date,year,"));
        let (_, geo) = app.get_json("/api/events.geojson?province=Alborz").await;
        assert_eq!(geo["features"][0]["id"], id);
        let (_, geo) = app.get_json("/api/events.geojson?province=Fars").await;
        assert_eq!(geo["features"].as_array().unwrap().len(), 0);
        let (_, t) = app.get_json("/api/timeline").await;
        assert_eq!(t["total"], 1);

        // Who changed it, and when, is on record.
        let (_, page) = analyst.get_text(&format!("/review/reports/{report}")).await;
        assert!(
            page.contains("maryam")
                && page
                    .contains("Date of the event: &quot;2022-11-12&quot; → &quot;2022-11-13&quot;"),
            "{page}"
        );

        // The reporter sees the report was used, and adds to it.
        let (_, form) = app.get_text("/receipt").await;
        let token = value_of(&form, "token");
        let r = app
            .post(
                "/receipt",
                &[("token", &token), ("code", &receipt.to_lowercase())],
            )
            .await;
        let page = r.text().await.unwrap();
        assert!(page.contains("Used:"), "{page}");
        let token = value_of(&page, "token");
        let r = app
            .post(
                "/receipt/followup",
                &[
                    ("token", &token),
                    ("code", &receipt),
                    ("text", "Two more were detained later."),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 200);
        let (_, page) = analyst.get_text(&format!("/review/reports/{report}")).await;
        assert!(page.contains("Two more were detained later."));
    }
);

/// The fields of an event's edit form as the page has them, with some replaced.
pub fn edit_form(page: &str, id: i64, replace: &[(&str, &str)]) -> Vec<(String, String)> {
    let start = page.find(&format!("id=\"event-{id}\"")).unwrap();
    let card = &page[start..];
    let form = &card[..card.find("</form>").unwrap()];
    let mut out = Vec::new();
    for name in [
        "event_date",
        "time_precision",
        "sub_event_type",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "actor1",
        "assoc_actor_1",
        "actor2",
        "assoc_actor_2",
        "fatalities",
        "injuries",
        "arrests",
        "notes",
    ] {
        let v = if let Some((_, v)) = replace.iter().find(|(k, _)| *k == name) {
            v.to_string()
        } else if let Some(i) = form.find(&format!("name=\"{name}\" value=\"")) {
            let rest = &form[i + name.len() + 15..];
            unescape(&rest[..rest.find('"').unwrap()])
        } else if let Some(i) = form.find(&format!("<select name=\"{name}\"")) {
            let sel = &form[i..];
            let sel = &sel[..sel.find("</select>").unwrap()];
            let j = sel.find(" selected").map(|j| &sel[..j]).unwrap_or(sel);
            let k = j.rfind("value=\"").unwrap();
            let rest = &j[k + 7..];
            unescape(&rest[..rest.find('"').unwrap()])
        } else if let Some(i) = form.find(&format!("name=\"{name}\"")) {
            let rest = &form[i..];
            let rest = &rest[rest.find('>').unwrap() + 1..];
            unescape(&rest[..rest.find("</textarea>").unwrap_or(0)])
        } else {
            String::new()
        };
        out.push((name.to_string(), v));
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

both!(
    merging_two_events_keeps_one_and_records_it,
    |app: App| async move {
        app.submit_ok(KARAJ).await;
        app.submit_ok("Sanandaj, 12 November 2022: Hundreds of people gathered in the main square and chanted slogans. Riot police fired tear gas; at least 5 people were injured.").await;
        let a = app.login_as("reza", "analyst").await;
        let q = a.queue().await;
        let (first, second) = (a.event_ids(q[1]).await[0], a.event_ids(q[0]).await[0]);
        let r = a
            .post(
                &format!("/review/events/{second}/merge"),
                &[("into", &first.to_string())],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let (_, page) = a.get_text(&format!("/review/reports/{}", q[0])).await;
        assert!(page.contains("data-status=\"rejected\""), "{page}");
        assert!(page.contains(&format!("event {second} merged into event {first}")));
        let r = a
            .post(
                &format!("/review/events/{first}/merge"),
                &[("into", &first.to_string())],
            )
            .await;
        assert_eq!(r.status().as_u16(), 409);
    }
);

both!(
    an_added_place_is_known_to_the_coder_at_once,
    |app: App| async move {
        let a = app.login_as("sara", "analyst").await;
        let r = a
            .post(
                "/review/places",
                &[
                    ("name", "Zibadasht"),
                    ("name_fa", "زیبادشت"),
                    ("lat", "35.7900"),
                    ("lon", "50.9000"),
                    ("city", "Karaj"),
                    ("kind", "district"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
        app.submit_ok("12 November 2022: In Zibadasht hundreds of people gathered and chanted slogans against the government.").await;
        let q = a.queue().await;
        let (_, page) = a.get_text(&format!("/review/reports/{}", q[0])).await;
        assert!(
            page.contains("Karaj - Zibadasht") || page.contains("Zibadasht"),
            "{page}"
        );
        let r = a
            .post(
                "/review/places",
                &[
                    ("name", "Bad\tName"),
                    ("lat", "35"),
                    ("lon", "51"),
                    ("kind", "city"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 400);
    }
);

both!(
    admins_manage_users_and_analysts_cannot,
    |app: App| async move {
        let analyst = app.login_as("nima", "analyst").await;
        assert_eq!(analyst.get("/admin/users").await.status().as_u16(), 403);
        let admin = app.login_as("root", "admin").await;
        let r = admin
            .post(
                "/admin/users",
                &[
                    ("name", "leila"),
                    ("password", "a long enough password"),
                    ("role", "analyst"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let (_, page) = admin.get_text("/admin/users").await;
        assert!(page.contains("leila"));
        let r = admin
            .post(
                "/admin/users",
                &[
                    ("name", "leila"),
                    ("password", "a long enough password"),
                    ("role", "analyst"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 409);
        // Disabling a user ends their sessions.
        let (_, page) = admin.get_text("/admin/users").await;
        let i = page.find("<td>nima</td>").unwrap();
        let id = between(&page[i..], "action=\"/admin/users/", "\"");
        let r = admin
            .post(&format!("/admin/users/{id}"), &[("disabled", "1")])
            .await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(
            analyst.get("/review").await.status().as_u16(),
            303,
            "the disabled analyst is logged out"
        );
    }
);

both!(the_api_pages_with_stable_errors, |app: App| async move {
    for t in [
        KARAJ,
        "Sanandaj, 12 November 2022: Hundreds gathered and chanted slogans against the government.",
        "Zahedan, 13 November 2022: Hundreds gathered and chanted slogans against the government.",
    ] {
        app.submit_ok(t).await;
    }
    let a = app.login_as("maryam", "analyst").await;
    for r in a.queue().await {
        for e in a.event_ids(r).await {
            assert_eq!(a.set_status(e, "published").await, 303);
        }
    }
    let (_, p1) = app.get_json("/api/events?limit=2").await;
    assert_eq!(p1["count"], 2);
    let next = p1["next"].as_str().unwrap().to_string();
    let (_, p2) = app.get_json(&next).await;
    assert_eq!(p2["count"], 1);
    assert!(p2["next"].is_null());
    assert_ne!(p1["events"][0]["id"], p2["events"][0]["id"]);

    for (path, code, status) in [
        ("/api/events?from=yesterday", "bad_request", 400),
        ("/api/events?limit=0", "bad_request", 400),
        ("/api/events?bbox=1,2,3", "bad_request", 400),
        ("/api/events?q=%20!!", "bad_request", 400),
        ("/api/events/999999", "not_found", 404),
        ("/api/events/abc", "not_found", 404),
        ("/api/nothing", "not_found", 404),
    ] {
        let (s, v) = app.get_json(path).await;
        assert_eq!(s, status, "{path}: {v}");
        assert_eq!(v["error"]["code"], code, "{path}: {v}");
        assert!(v["error"]["message"].is_string());
    }
    let (s, v) = app.get_json("/openapi.json").await;
    assert_eq!(s, 200);
    assert_eq!(v["openapi"], "3.1.0");
    assert!(v["paths"]["/api/events"]["get"].is_object());
});

both!(
    the_digest_page_shows_published_incidents_only_without_script,
    |app: App| async move {
        app.submit_ok(KARAJ).await;
        app.submit_ok("Tabriz, 12 November 2022: students chanted slogans at the university.")
            .await;
        let analyst = app.login_as("maryam", "analyst").await;
        let queue = analyst.queue().await;
        let mut published = 0;
        for report in queue {
            for id in analyst.event_ids(report).await {
                let (_, page) = analyst.get_text(&format!("/review/reports/{report}")).await;
                if !page.contains("at the university") && published == 0 {
                    assert_eq!(analyst.set_status(id, "published").await, 303);
                    published += 1;
                }
            }
        }
        assert_eq!(published, 1);
        // `unrest cluster`, as an analyst would run it.
        let url = app.db.url.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = unrest_store::Store::open(&url).unwrap();
            store
                .cluster(
                    &unrest_store::Filter::default(),
                    &unrest_corroborate::Params::default(),
                    chrono::Utc::now(),
                )
                .unwrap();
        })
        .await
        .unwrap();

        let r = app.get("/digest?from=2022-11-01&to=2022-11-30").await;
        assert_eq!(r.status().as_u16(), 200);
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.starts_with("default-src 'none'") && !csp.contains("script-src"),
            "{csp}"
        );
        let page = r.text().await.unwrap();
        assert!(page.contains("Karaj"), "{page}");
        assert!(
            !page.contains("Tabriz"),
            "an unpublished incident is not in the digest"
        );
        assert!(!page.contains("<script"));
        let (status, fa) = app
            .get_text("/digest?from=2022-11-01&to=2022-11-30&lang=fa")
            .await;
        assert_eq!(status, 200);
        assert!(fa.contains("dir=\"rtl\""));
        let (status, _) = app.get_text("/digest?from=2022-11-30&to=2022-11-01").await;
        assert_eq!(status, 400);
    }
);

both!(
    the_review_queue_names_the_channel_a_report_came_from,
    |app: App| async move {
        let url = app.db.url.clone();
        tokio::task::spawn_blocking(move || {
            unrest_store::Store::open(&url)
                .unwrap()
                .store_reports(&[unrest_store::NewReport {
                    report: unrest_model::Report {
                        id: "telegram:1001/2".into(),
                        text: KARAJ.into(),
                        reference_date: Some("2022-11-12".into()),
                        lang: None,
                    },
                    received_at: chrono::Utc::now(),
                    channel: "telegram:Kurdistan <Watch>".into(),
                }])
                .unwrap();
        })
        .await
        .unwrap();
        let analyst = app.login_as("maryam", "analyst").await;
        let (status, page) = analyst.get_text("/review").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("telegram:Kurdistan &lt;Watch&gt;"),
            "the channel, escaped: {page}"
        );
    }
);
