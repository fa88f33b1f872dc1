//! The review workspace over HTTP, on SQLite and PostgreSQL: the queue's rows (first words
//! redacted), bulk actions, dismissing a report with no event, comments, and four eyes.

use crate::both;
use crate::flows::KARAJ;
use crate::support::*;

const NO_EVENT: &str = "Hello, I only want to say thank you for this form.";

async fn report_ids(s: &Session, query: &str) -> Vec<i64> {
    let (status, page) = s.get_text(&format!("/review?{query}")).await;
    assert_eq!(status, 200, "{page}");
    page.match_indices("data-report=\"")
        .map(|(i, m)| {
            let rest = &page[i + m.len()..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

both!(
    four_eyes_refuses_a_self_publish_and_another_analyst_publishes,
    |app: App| async move {
        app.four_eyes(true);
        app.submit_ok(KARAJ).await;
        let maryam = app.login_as("maryam", "analyst").await;
        let sara = app.login_as("sara", "analyst").await;
        let r = report_ids(&maryam, "").await[0];
        let e = maryam.event_ids(r).await[0];
        assert_eq!(
            maryam.set_status(e, "published").await,
            409,
            "nobody verified it"
        );
        assert_eq!(maryam.set_status(e, "verified").await, 303);
        assert_eq!(
            maryam.set_status(e, "published").await,
            409,
            "she verified it"
        );
        assert_eq!(sara.set_status(e, "published").await, 303);
        let (_, page) = sara.get_text(&format!("/review/reports/{r}")).await;
        assert!(page.contains("data-status=\"published\""));
        // Admins see who did what.
        let admin = app.login_as("nasrin", "admin").await;
        let (status, page) = admin.get_text("/admin/settings").await;
        assert_eq!(status, 200);
        assert!(page.contains("maryam") && page.contains("sara"), "{page}");
        let (status, _) = maryam.get_text("/admin/settings").await;
        assert_ne!(status, 200, "analysts do not change settings");
    }
);

both!(
    the_queue_shows_first_words_redacted_and_dismisses_a_report_with_no_event,
    |app: App| async move {
        app.submit_ok(
            "Karaj, 12 November 2022: call me at +989121234567. Hundreds gathered in the main square and chanted slogans.",
        )
        .await;
        app.submit_ok(NO_EVENT).await;
        let m = app.login_as("maryam", "analyst").await;
        let (_, page) = m.get_text("/review").await;
        assert!(page.contains("Hundreds gathered"), "{page}");
        assert!(!page.contains("1234567"), "the phone number is redacted");
        let none = report_ids(&m, "no_event=1").await;
        assert_eq!(none.len(), 1);
        let r = m
            .post(
                "/review/bulk",
                &[
                    ("report", &none[0].to_string()),
                    ("action", "dismiss"),
                    ("reason", "out of scope"),
                    ("note", "a thank-you note"),
                    ("back", "/review?"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        assert!(!report_ids(&m, "").await.contains(&none[0]));
        assert_eq!(report_ids(&m, "status=dismissed").await, none);
        let (_, page) = m.get_text(&format!("/review/reports/{}", none[0])).await;
        assert!(page.contains("Out of scope"), "{page}");
        assert!(page.contains("a thank-you note"));
        // A report with events is not dismissed: its events are rejected instead.
        let with = report_ids(&m, "").await[0];
        let r = m
            .post(
                "/review/bulk",
                &[
                    ("report", &with.to_string()),
                    ("action", "dismiss"),
                    ("reason", "duplicate"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 409);
    }
);

both!(
    comments_are_for_analysts_and_in_the_history,
    |app: App| async move {
        app.submit_ok(KARAJ).await;
        let m = app.login_as("maryam", "analyst").await;
        let r = report_ids(&m, "").await[0];
        let post = m
            .post(
                &format!("/review/reports/{r}/comments"),
                &[("body", "Ask the second channel <b>first</b>")],
            )
            .await;
        assert_eq!(post.status().as_u16(), 303);
        let (_, page) = m.get_text(&format!("/review/reports/{r}")).await;
        assert!(page.contains("Ask the second channel &lt;b&gt;first&lt;/b&gt;"));
        assert!(page.contains("commented"));
        let (status, _) = app.get_text(&format!("/review/reports/{r}")).await;
        assert_ne!(status, 200, "not without a session");
        let (_, api) = app.get_text("/api/events").await;
        assert!(!api.contains("second channel"));
    }
);

both!(
    an_admin_resets_a_password_and_the_new_one_logs_in,
    |app: App| async move {
        let admin = app.login_as("nasrin", "admin").await;
        app.login_as("maryam", "analyst").await;
        let (_, page) = admin.get_text("/admin/users").await;
        let i = page.find("/password\"").unwrap();
        let start = page[..i].rfind("/admin/users/").unwrap() + "/admin/users/".len();
        let id = &page[start..i];
        let short = admin
            .post(
                &format!("/admin/users/{id}/password"),
                &[("password", "short")],
            )
            .await;
        assert_eq!(short.status().as_u16(), 400);
        let r = admin
            .post(
                &format!("/admin/users/{id}/password"),
                &[("password", "a brand new long passphrase")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        for (pw, status) in [
            ("a brand new long passphrase", 303),
            ("correct horse battery staple", 401),
        ] {
            let r = app
                .post("/login", &[("name", "maryam"), ("password", pw)])
                .await;
            assert_eq!(r.status().as_u16(), status, "{pw}");
        }
    }
);

both!(
    a_persian_analyst_filters_the_queue_by_solar_hijri_dates,
    |app: App| async move {
        app.submit_ok(KARAJ).await;
        app.submit_ok("Shiraz, 14 November 2022: hundreds of students gathered at the university gate and chanted slogans.").await;
        let maryam = app.login_as("maryam", "analyst").await;
        assert_eq!(report_ids(&maryam, "status=all").await.len(), 2);
        // 23 Aban 1401 is 14 November 2022: the Shiraz report alone.
        let day = "from_jd=23&from_jm=8&from_jy=1401&to_jd=23&to_jm=8&to_jy=1401";
        let picked = report_ids(&maryam, &format!("status=all&lang=fa&{day}")).await;
        let gregorian = report_ids(&maryam, "status=all&from=2022-11-14&to=2022-11-14").await;
        assert_eq!(picked.len(), 1);
        assert_eq!(picked, gregorian);
        let (_, page) = maryam
            .get_text(&format!("/review?status=all&lang=fa&{day}"))
            .await;
        assert!(
            !page.contains("type=\"date\""),
            "no Gregorian picker on a Persian page"
        );
        assert!(page.contains("<option value=\"23\" selected>۲۳</option>"));
        let (status, _) = maryam
            .get_text("/review?lang=fa&from_jd=30&from_jm=12&from_jy=1401")
            .await;
        assert_eq!(status, 400, "1401 has no 30 Esfand");
    }
);
