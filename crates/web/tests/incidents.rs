//! Incidents as the published unit (issue 12): two reports of one incident are one row in
//! the API, the CSV and the GeoJSON, without a clustering run; and the map, the API, the CSV
//! and the digest give one total for any period, on the demo data.

use crate::support::*;
use serde_json::Value;

const ZAHEDAN_EN: &str = "Zahedan, 30 September 2022: security forces opened fire on worshippers after Friday prayers; at least 40 people were killed.";
const ZAHEDAN_FA: &str = "زاهدان، ۸ مهر ۱۴۰۱: نیروهای امنیتی پس از نماز جمعه به سوی نمازگزاران تیراندازی کردند و ۴۱ نفر کشته شدند.";

/// Fatalities summed over `/api/events` (every page), the number of rows, and the rows.
async fn api_total(app: &App, q: &str) -> (u64, usize, Vec<Value>) {
    let mut rows = Vec::new();
    let mut path = format!("/api/events?{q}&limit=100");
    loop {
        let (status, v) = app.get_json(&path).await;
        assert_eq!(status, 200, "{v}");
        rows.extend(v["events"].as_array().unwrap().iter().cloned());
        match v["next"].as_str() {
            Some(next) => path = next.to_string(),
            None => break,
        }
    }
    let sum = rows.iter().map(|e| e["fatalities"].as_u64().unwrap()).sum();
    (sum, rows.len(), rows)
}

/// Fatalities summed over the CSV download, and its rows' `source_count`s.
async fn csv_total(app: &App, q: &str) -> (u64, Vec<String>) {
    let (status, body) = app.get_text(&format!("/api/events.csv?{q}")).await;
    assert_eq!(status, 200);
    let mut r = csv::Reader::from_reader(body.as_bytes());
    let header = r.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (f, s) = (at("fatalities"), at("source_count"));
    let mut sum = 0;
    let mut sources = Vec::new();
    for row in r.records() {
        let row = row.unwrap();
        sum += row[f].parse::<u64>().unwrap();
        sources.push(row[s].to_string());
    }
    (sum, sources)
}

/// Fatalities summed over the GeoJSON download, and its features.
async fn geojson_total(app: &App, q: &str) -> (u64, Vec<Value>) {
    let (status, v) = app.get_json(&format!("/api/events.geojson?{q}")).await;
    assert_eq!(status, 200);
    let features = v["features"].as_array().unwrap().clone();
    let sum = features
        .iter()
        .map(|f| f["properties"]["fatalities"].as_u64().unwrap())
        .sum();
    (sum, features)
}

/// The map page's count and fatalities (its list and its dots read the same rows).
async fn map_total(app: &App, q: &str) -> (u64, u64) {
    let (status, page) = app.get_text(&format!("/?{q}")).await;
    assert_eq!(status, 200);
    let count = between(&page, "data-count=\"", "\"").parse().unwrap();
    let fatalities = between(&page, "data-fatalities=\"", "\"").parse().unwrap();
    (count, fatalities)
}

/// The digest page's total row: incidents and fatalities.
async fn digest_total(app: &App, q: &str) -> (u64, u64) {
    let (status, page) = app.get_text(&format!("/digest?{q}")).await;
    assert_eq!(status, 200, "{page}");
    if !page.contains("<tfoot>") {
        return (0, 0);
    }
    let row = between(&page, "<tfoot><tr>", "</tr></tfoot>");
    let cells: Vec<u64> = row
        .split("<td class=\"n\">")
        .skip(1)
        .map(|c| c[..c.find('<').unwrap()].replace(',', "").parse().unwrap())
        .collect();
    (cells[0], cells[1])
}

async fn the_zahedan_pair_is_one_row_everywhere(app: App) {
    app.submit_ok(ZAHEDAN_EN).await;
    app.submit_ok(ZAHEDAN_FA).await;
    let analyst = app.login_as("maryam", "analyst").await;
    let reports = analyst.queue().await;
    assert_eq!(reports.len(), 2);
    for &report in &reports {
        for id in analyst.event_ids(report).await {
            assert_eq!(analyst.set_status(id, "published").await, 303);
        }
    }
    let (sum, n, rows) = api_total(&app, "").await;
    assert_eq!((n, sum), (1, 40), "{rows:#?}");
    assert_eq!(rows[0]["source_count"], 2);
    assert_eq!(rows[0]["location"], "Zahedan");
    assert!(
        rows[0].get("event_ids").is_none(),
        "event ids are for analysts"
    );
    let (sum, sources) = csv_total(&app, "").await;
    assert_eq!((sum, sources), (40, vec!["2".to_string()]));
    let (sum, features) = geojson_total(&app, "").await;
    assert_eq!((sum, features.len()), (40, 1));
    assert_eq!(features[0]["properties"]["source_count"], 2);
    assert_eq!(map_total(&app, "").await, (1, 40));

    // The report page shows the incident each event joined, and splits it off.
    let report = reports[0];
    let (_, page) = analyst.get_text(&format!("/review/reports/{report}")).await;
    assert!(page.contains("data-sources=\"2\""), "{page}");
    let id = analyst.event_ids(report).await[0];
    let r = analyst
        .post(&format!("/review/events/{id}/split"), &[])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (sum, n, _) = api_total(&app, "").await;
    assert_eq!(
        (n, sum),
        (2, 81),
        "split: two incidents, each its own count"
    );
}

async fn the_four_totals_agree_for_three_periods_on_the_demo_data(app: App) {
    let (_, v) = app.get_json("/api/timeline").await;
    let days: Vec<String> = v["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["date"].as_str().unwrap().to_string())
        .collect();
    assert!(days.len() > 2, "the demo has published incidents: {v}");
    let (first, last) = (&days[0], &days[days.len() - 1]);
    let mid = &days[days.len() / 2];
    let periods = [
        format!("from={first}&to={last}"),
        format!("from={first}&to={mid}"),
        format!("from={mid}&to={last}"),
    ];
    let mut any = false;
    for q in &periods {
        let (api, n, _) = api_total(&app, q).await;
        let (csv, rows) = csv_total(&app, q).await;
        let (geo, features) = geojson_total(&app, q).await;
        let (map_n, map) = map_total(&app, q).await;
        let (digest_n, digest) = digest_total(&app, q).await;
        assert_eq!(
            (csv, geo, map, digest),
            (api, api, api, api),
            "fatalities for {q}"
        );
        assert_eq!(
            (
                rows.len(),
                features.len(),
                map_n as usize,
                digest_n as usize
            ),
            (n, n, n, n),
            "incidents for {q}"
        );
        any |= api > 0;
    }
    assert!(any, "some period has deaths, so the sums say something");
}

/// The whole downloads against the API for filters beyond a period (a province, a type, a
/// search, a bounding box, a Persian page's GeoJSON): the same rows, ids and fatalities.
async fn the_downloads_are_the_api_rows_for_every_filter(app: App) {
    let mut any = false;
    for q in [
        "",
        "province=Tehran",
        "type=Protests",
        "q=tear+gas",
        "province=Kurdistan&type=Protests",
        "bbox=44,25,64,40",
        "lang=fa",
    ] {
        let (api, n, rows) = api_total(&app, q).await;
        let (csv, csv_rows) = csv_total(&app, q).await;
        let (geo, features) = geojson_total(&app, q).await;
        assert_eq!((csv, geo), (api, api), "fatalities for {q:?}");
        assert_eq!(
            (csv_rows.len(), features.len()),
            (n, n),
            "incidents for {q:?}"
        );
        let ids = |v: &[Value], at: fn(&Value) -> &Value| -> Vec<i64> {
            v.iter().map(|r| at(r).as_i64().unwrap()).collect()
        };
        let mut api_ids = ids(&rows, |r| &r["id"]);
        let mut geo_ids = ids(&features, |f| &f["id"]);
        api_ids.sort_unstable();
        geo_ids.sort_unstable();
        assert_eq!(geo_ids, api_ids, "ids for {q:?}");
        for f in &features {
            let p = &f["properties"];
            assert!(
                p.get("report").is_none() && p.get("event_ids").is_none(),
                "{f}"
            );
            assert_eq!(p.get("location_fa").is_some(), q == "lang=fa", "{f}");
        }
        any |= n > 0 && !q.is_empty();
    }
    assert!(
        any,
        "some filter finds incidents, so the agreement says something"
    );
}

macro_rules! on_both {
    ($name:ident, $demo:expr) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app =
                    crate::support::App::start_with(crate::support::Backend::Sqlite, $demo).await;
                super::$name(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app =
                    crate::support::App::start_with(crate::support::Backend::Postgres, $demo).await;
                super::$name(app).await;
            }
        }
    };
}

on_both!(the_zahedan_pair_is_one_row_everywhere, false);
on_both!(
    the_four_totals_agree_for_three_periods_on_the_demo_data,
    true
);
on_both!(the_downloads_are_the_api_rows_for_every_filter, true);

async fn generated_notes_follow_an_edit_and_hand_written_ones_stay(app: App) {
    app.submit_ok(crate::flows::KARAJ).await;
    app.submit_ok(ZAHEDAN_EN).await;
    let analyst = app.login_as("maryam", "analyst").await;
    let reports = analyst.queue().await;
    let notes_of = |page: &str, id: i64| -> String {
        let card = between(page, &format!("id=\"event-{id}\""), "</article>").to_string();
        between(&card, "name=\"notes\"", "</textarea>")
            .split('>')
            .nth(1)
            .unwrap_or("")
            .to_string()
    };
    // Karaj: the type changes, the notes are left alone: they follow.
    let karaj = reports[1];
    let id = analyst.event_ids(karaj).await[0];
    let (_, page) = analyst.get_text(&format!("/review/reports/{karaj}")).await;
    let before = notes_of(&page, id);
    assert!(
        !before.contains("held a protest"),
        "coded as more than a peaceful protest: {before}"
    );
    let form = crate::flows::edit_form(&page, id, &[("sub_event_type", "Peaceful protest")]);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = analyst
        .post(&format!("/review/events/{id}/edit"), &form)
        .await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    let (_, page) = analyst.get_text(&format!("/review/reports/{karaj}")).await;
    let notes = notes_of(&page, id);
    assert!(notes.contains("held a protest in Karaj"), "{notes}");

    // Zahedan: the analyst writes the notes and changes the count: the words stay.
    let zahedan = reports[0];
    let id = analyst.event_ids(zahedan).await[0];
    let (_, page) = analyst
        .get_text(&format!("/review/reports/{zahedan}"))
        .await;
    let form = crate::flows::edit_form(
        &page,
        id,
        &[
            ("fatalities", "41"),
            ("notes", "Worshippers were shot at after prayers."),
        ],
    );
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = analyst
        .post(&format!("/review/events/{id}/edit"), &form)
        .await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    let (_, page) = analyst
        .get_text(&format!("/review/reports/{zahedan}"))
        .await;
    assert_eq!(
        notes_of(&page, id),
        "Worshippers were shot at after prayers."
    );
}

on_both!(
    generated_notes_follow_an_edit_and_hand_written_ones_stay,
    false
);
