//! The admins' pages over HTTP, on SQLite and PostgreSQL: channels graded, places analysts
//! added listed and corrected (each change in the audit log), the interaction edited on an
//! event, and the Persian error and users pages.

use crate::both;
use crate::flows::KARAJ;
use crate::support::*;

fn audit_is_clean(url: &str) {
    let mut st = unrest_store::Store::open(url).unwrap();
    let v = st.audit_verify(None).unwrap();
    assert!(v.findings.is_empty(), "{:?}", v.findings);
}

both!(
    an_admin_grades_a_channel_and_its_reports_take_the_grade,
    |app: App| async move {
        app.submit_ok(KARAJ).await;
        let admin = app.login_as("nasrin", "admin").await;
        let (status, page) = admin.get_text("/admin/channels").await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("data-channel=\"web\""), "{page}");
        assert!(page.contains("Not graded"), "{page}");
        let r = admin
            .post("/admin/channels", &[("channel", "web"), ("grade", "B")])
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let (_, page) = admin.get_text("/admin/channels").await;
        assert!(page.contains("<bdi>B</bdi>"), "{page}");
        let r = admin
            .post("/admin/channels", &[("channel", "web"), ("grade", "Q")])
            .await;
        assert_eq!(r.status().as_u16(), 400, "not a grade");
        let r = admin
            .post("/admin/channels", &[("channel", "nowhere"), ("grade", "A")])
            .await;
        assert_eq!(r.status().as_u16(), 404, "no report came through it");
        let analyst = app.login_as("maryam", "analyst").await;
        let (status, _) = analyst.get_text("/admin/channels").await;
        assert_ne!(status, 200, "analysts do not grade channels");
        let r = analyst
            .post("/admin/channels", &[("channel", "web"), ("grade", "E")])
            .await;
        assert_ne!(r.status().as_u16(), 303);
        let url = app.db.url.clone();
        tokio::task::spawn_blocking(move || {
            let mut st = unrest_store::Store::open(&url).unwrap();
            assert_eq!(st.channel_reliability("web").unwrap().as_deref(), Some("B"));
            audit_is_clean(&url);
        })
        .await
        .unwrap();
    }
);

both!(
    an_admin_corrects_a_place_an_analyst_added_and_the_log_holds_it,
    |app: App| async move {
        let analyst = app.login_as("maryam", "analyst").await;
        let r = analyst
            .post(
                "/review/places",
                &[
                    ("name", "Shahrak-e Gharbi Squre"),
                    ("name_fa", "میدان شهرک غرب"),
                    ("lat", "35.7570"),
                    ("lon", "51.3730"),
                    ("city", "Tehran"),
                    ("kind", "landmark"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let (status, _) = analyst.get_text("/admin/places").await;
        assert_ne!(status, 200, "the list is the admins'");
        let admin = app.login_as("nasrin", "admin").await;
        let (status, page) = admin.get_text("/admin/places").await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("Shahrak-e Gharbi Squre") && page.contains("maryam"));
        let id = between(&page, "action=\"/admin/places/", "\"").to_string();
        let fields = |name: &'static str| {
            [
                ("name", name),
                ("name_fa", "میدان شهرک غرب"),
                ("lat", "35.7571"),
                ("lon", "51.3731"),
                ("city", "Tehran"),
                ("kind", "landmark"),
            ]
        };
        let r = admin
            .post(
                &format!("/admin/places/{id}"),
                &fields("Shahrak-e Gharbi Square"),
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let (_, page) = admin.get_text("/admin/places").await;
        assert!(page.contains("Shahrak-e Gharbi Square") && !page.contains("Squre"));
        let r = admin
            .post(&format!("/admin/places/{id}"), &fields("a\tb"))
            .await;
        assert_eq!(r.status().as_u16(), 400, "a control character in the name");
        let r = admin.post("/admin/places/999999", &fields("Nowhere")).await;
        assert_eq!(r.status().as_u16(), 404);
        let url = app.db.url.clone();
        tokio::task::spawn_blocking(move || {
            let mut st = unrest_store::Store::open(&url).unwrap();
            let places = st.places().unwrap();
            assert_eq!(places.len(), 1);
            assert_eq!(places[0].place.name, "Shahrak-e Gharbi Square");
            assert!(st.places_tsv().unwrap().contains("Square"));
            let history = st.recent_changes(50).unwrap();
            assert!(
                history
                    .iter()
                    .any(|c| c.action == "place" && c.who == "nasrin"),
                "{history:?}"
            );
            audit_is_clean(&url);
        })
        .await
        .unwrap();
    }
);

both!(
    the_interaction_is_edited_and_keeps_actor_one_on_its_side,
    |app: App| async move {
        app.submit_ok(KARAJ).await;
        let m = app.login_as("maryam", "analyst").await;
        let r = m.queue().await[0];
        let e = m.event_ids(r).await[0];
        let (_, page) = m.get_text(&format!("/review/reports/{r}")).await;
        assert!(page.contains("name=\"interaction\""), "{page}");
        let form = |interaction: &'static str| {
            let page = page.clone();
            move |k: &str| -> String {
                match k {
                    "interaction" => interaction.to_string(),
                    _ => value_of(&page, k),
                }
            }
        };
        let fields = [
            "event_date",
            "location",
            "latitude",
            "longitude",
            "actor1",
            "actor2",
        ];
        for (interaction, want) in [
            ("Rioters-Protesters", 303),
            ("Protesters only", 303),
            ("Protesters-Police", 400),
        ] {
            let f = form(interaction);
            let values: Vec<(String, String)> = fields
                .iter()
                .map(|k| (k.to_string(), f(k)))
                .chain([
                    ("interaction".to_string(), f("interaction")),
                    ("time_precision".into(), "1".into()),
                    ("geo_precision".into(), "1".into()),
                    ("sub_event_type".into(), "Protest with intervention".into()),
                    ("fatalities".into(), "0".into()),
                ])
                .collect();
            let pairs: Vec<(&str, &str)> = values
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let resp = m.post(&format!("/review/events/{e}/edit"), &pairs).await;
            assert_eq!(resp.status().as_u16(), want, "{interaction}");
            if interaction == "Rioters-Protesters" {
                let url = app.db.url.clone();
                let ev = tokio::task::spawn_blocking(move || {
                    let mut st = unrest_store::Store::open(&url).unwrap();
                    st.event(e).unwrap().unwrap().event
                })
                .await
                .unwrap();
                assert_eq!(ev.interaction, "Rioters-Protesters");
                // The coder read rioters as actor 1: they stay on actor 1's side.
                assert_eq!(
                    (ev.inter1.as_str(), ev.inter2.as_str()),
                    ("Rioters", "Protesters")
                );
            }
        }
        let url = app.db.url.clone();
        let ev = tokio::task::spawn_blocking(move || {
            let mut st = unrest_store::Store::open(&url).unwrap();
            st.event(e).unwrap().unwrap().event
        })
        .await
        .unwrap();
        assert_eq!(ev.interaction, "Protesters only");
        assert_eq!(ev.inter2, "");
    }
);

both!(
    error_and_users_pages_speak_persian_when_the_interface_is_persian,
    |app: App| async move {
        let (status, page) = app.get_text("/no/such/page?lang=fa").await;
        assert_eq!(status, 404);
        assert!(
            page.contains("dir=\"rtl\"") && page.contains("خطا"),
            "{page}"
        );
        assert!(!page.contains("Nothing is at this address"), "{page}");
        let r = app
            .http
            .get(app.url("/no/such/page"))
            .header("accept-language", "fa-IR,fa;q=0.9")
            .send()
            .await
            .unwrap();
        assert!(r.text().await.unwrap().contains("در این نشانی چیزی نیست"));
        let (_, page) = app.get_text("/no/such/page").await;
        assert!(page.contains("Nothing is at this address") && page.contains("Back to the map"));
        // A form's refusal, in the language the form was in.
        app.four_eyes(true);
        app.submit_ok(KARAJ).await;
        let m = app.login_as("maryam", "analyst").await;
        let r = m.queue().await[0];
        let e = m.event_ids(r).await[0];
        let resp = m
            .post(
                &format!("/review/events/{e}/status"),
                &[("status", "published"), ("lang", "fa")],
            )
            .await;
        assert_eq!(resp.status().as_u16(), 409);
        let page = resp.text().await.unwrap();
        assert!(
            page.contains("dir=\"rtl\"") && page.contains("چهار"),
            "{page}"
        );
        // The users page: roles and states in Persian, no English word left.
        let admin = app.login_as("nasrin", "admin").await;
        let (_, page) = admin.get_text("/admin/users?lang=fa").await;
        let main = between(&page, "<main>", "</main>");
        for english in ["analyst<", "admin<", "active", "disabled<", "→"] {
            assert!(
                !main.contains(english),
                "{english} on the Persian users page: {main}"
            );
        }
        assert!(main.contains("تحلیلگر") && main.contains("فعال"));
    }
);
