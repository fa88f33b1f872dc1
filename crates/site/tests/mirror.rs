//! The static mirror over a real dataset, on SQLite and on PostgreSQL: what it holds (every
//! published event, nothing else), its signature (verified; one changed byte named), and
//! rebuilds that write only what changed. `browser` opens it from `file://` in Chromium.

mod browser;

use chrono::{TimeZone, Utc};
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use unrest_model::Event;
use unrest_site::sign::{generate, public_key, Difference};
use unrest_site::SigningKey;
use unrest_store::{Filter, Status, Store};

/// A dataset that exists for one test: a SQLite file, or a PostgreSQL schema dropped after.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

fn postgres_admin_url() -> String {
    std::env::var("UNREST_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        TestDb {
            url: format!("sqlite:{}", dir.path().join("unrest.db").display()),
            _dir: Some(dir),
            pg: None,
        }
    }

    pub fn postgres() -> TestDb {
        static N: AtomicU32 = AtomicU32::new(0);
        let admin = postgres_admin_url();
        let schema = format!(
            "site_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut c = ::postgres::Client::connect(&admin, ::postgres::NoTls).unwrap_or_else(|e| {
            panic!("PostgreSQL at {admin} is needed (scripts/pg-start.sh): {e}")
        });
        c.batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .unwrap();
        let sep = if admin.contains('?') { '&' } else { '?' };
        TestDb {
            url: format!("{admin}{sep}options=-csearch_path%3D{schema}"),
            _dir: None,
            pg: Some((admin, schema)),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, schema)) = &self.pg {
            if let Ok(mut c) = ::postgres::Client::connect(admin, ::postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
            }
        }
    }
}

pub const HOSTILE: &str = "<script>alert('x')</script> & \"quoted\"";
pub const UNPUBLISHED: &str = "canary-of-an-unpublished-event";

pub fn event(
    id: &str,
    date: &str,
    place: (&str, &str, f64, f64),
    killed: u32,
    notes: &str,
) -> Event {
    Event {
        event_id_cnty: id.into(),
        event_date: date.into(),
        year: date[..4].parse().unwrap(),
        time_precision: 1,
        disorder_type: "Demonstrations".into(),
        event_type: "Protests".into(),
        sub_event_type: "Peaceful protest".into(),
        actor1: "Protesters (Iran)".into(),
        inter1: "6".into(),
        interaction: "60".into(),
        iso: 364,
        region: "Middle East".into(),
        country: "Iran".into(),
        admin1: place.1.into(),
        location: place.0.into(),
        latitude: place.2,
        longitude: place.3,
        geo_precision: 1,
        source: "Eyewitness".into(),
        source_scale: "Local partner-Other".into(),
        notes: notes.into(),
        fatalities: killed,
        ..Event::default()
    }
}

pub const TEHRAN: (&str, &str, f64, f64) = ("Tehran", "Tehran", 35.6944, 51.4215);
pub const ZAHEDAN: (&str, &str, f64, f64) = ("Zahedan", "Sistan and Baluchestan", 29.4963, 60.8629);
pub const SANANDAJ: (&str, &str, f64, f64) = ("Sanandaj", "Kurdistan", 35.3144, 46.9923);

/// Three events published (one with hostile notes), one left coded; clustered so the
/// digests have incidents. Returns the ids: published, then the unpublished one.
pub fn dataset(db: &TestDb) -> (Store, Vec<i64>, i64) {
    let mut s = Store::open(&db.url).unwrap();
    let at = Utc.with_ymd_and_hms(2022, 10, 5, 12, 0, 0).unwrap();
    s.import_events(
        &[
            event(
                "IRN1",
                "2022-09-30",
                ZAHEDAN,
                40,
                "On 30 September 2022, protesters were shot in Zahedan.",
            ),
            event("IRN2", "2022-10-01", TEHRAN, 0, HOSTILE),
            event(
                "IRN3",
                "2022-10-02",
                SANANDAJ,
                1,
                "On 2 October 2022, a protest in Sanandaj.",
            ),
            event("IRN4", "2022-10-03", TEHRAN, 0, UNPUBLISHED),
        ],
        Status::Coded,
        "test",
        at,
    )
    .unwrap();
    let mut ids = Vec::new();
    s.events::<unrest_store::Error>(&Filter::default(), &Default::default(), |e| {
        ids.push(e.id);
        Ok(())
    })
    .unwrap();
    let hidden = ids.pop().unwrap();
    s.set_status(&ids, &Filter::default(), Status::Published, "lead", at)
        .unwrap();
    s.cluster(
        &Filter::default(),
        &unrest_corroborate::Params::default(),
        at,
    )
    .unwrap();
    (s, ids, hidden)
}

/// Every byte of the files of `dir` (and below) whose name ends with `ext`.
fn every_byte(dir: &Path, ext: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            out.extend(every_byte(&e.path(), ext));
        } else if e.file_name().to_string_lossy().ends_with(ext) {
            out.extend(std::fs::read(e.path()).unwrap());
        }
    }
    out
}

fn holds(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn a_mirror_holds_every_published_event_and_nothing_else(db: TestDb) {
    let (mut s, ids, hidden) = dataset(&db);
    let dir = tempfile::tempdir().unwrap();
    let built = unrest_site::build(&mut s, dir.path(), None).unwrap();
    assert_eq!(built.events, 3);
    for id in &ids {
        for page in [
            format!("events/{id}.html"),
            format!("events/{id}.fa.html"),
            format!("api/events/{id}.json"),
        ] {
            assert!(dir.path().join(&page).is_file(), "{page}");
        }
    }
    assert!(!dir.path().join(format!("events/{hidden}.html")).exists());
    assert!(
        !holds(&every_byte(dir.path(), ""), UNPUBLISHED),
        "an unpublished event reached the mirror"
    );
    assert!(
        !holds(&every_byte(dir.path(), ".html"), "<script>alert"),
        "notes reached a page unescaped"
    );
    let fa = std::fs::read_to_string(dir.path().join("index.fa.html")).unwrap();
    assert!(fa.contains("dir=\"rtl\"") && fa.contains("زاهدان"));
    // The codebook's words in Persian on Persian pages, in English on English ones; the list
    // carries each event's date, for the timeline's brush.
    let list = |page: &str| {
        let i = page.find("<ol class=\"events\">").expect("the list");
        page[i..i + page[i..].find("</ol>").unwrap()].to_string()
    };
    let fa_list = list(&fa);
    assert!(fa_list.contains("اعتراض مسالمت‌آمیز") && !fa_list.contains("Peaceful protest"));
    let en = list(&std::fs::read_to_string(dir.path().join("index.html")).unwrap());
    assert!(en.contains("Peaceful protest") && en.contains("<li data-date=\"2022-09-30\""));
    let fa_event =
        std::fs::read_to_string(dir.path().join(format!("events/{}.fa.html", ids[0]))).unwrap();
    assert!(fa_event.contains("<h1>اعتراض مسالمت‌آمیز: "), "{fa_event}");
    assert!(
        fa.contains("<bdi>۲۰۲۲-۰۹</bdi>"),
        "the digests' months in Persian digits"
    );
    let geo: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("data/events.geojson")).unwrap())
            .unwrap();
    assert_eq!(geo["features"].as_array().unwrap().len(), 3);
    let csv = std::fs::read_to_string(dir.path().join("data/events.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 3);
    let page: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("api/pages/1.json")).unwrap())
            .unwrap();
    assert_eq!(page["count"], 3);
    assert!(page["next"].is_null());
    // One truth: the map's data, the downloads and the API agree on the dead.
    let sum = |v: &serde_json::Value, list: &str, props: bool| -> u64 {
        v[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                if props {
                    &f["properties"]["fatalities"]
                } else {
                    &f["fatalities"]
                }
            })
            .map(|n| n.as_u64().unwrap())
            .sum()
    };
    assert_eq!(sum(&geo, "features", true), 41);
    assert_eq!(sum(&page, "events", false), 41);
    assert!(built.months >= 1, "a digest per month with incidents");
    assert!(dir.path().join("digest/2022-10.html").is_file());
    assert!(dir.path().join("digest/2022-09.fa.html").is_file());
    let head = std::fs::read_to_string(dir.path().join("audit-head.txt")).unwrap();
    assert_eq!(head, format!("{}\n", s.audit_head().unwrap().unwrap()));
}

fn a_signed_mirror_verifies_and_names_the_one_byte_changed(db: TestDb) {
    let (mut s, ids, _) = dataset(&db);
    let keys = tempfile::tempdir().unwrap();
    let (secret, public) = generate().unwrap();
    std::fs::write(keys.path().join("sign.key"), secret).unwrap();
    let key = SigningKey::from_file(&keys.path().join("sign.key")).unwrap();
    assert_eq!(key.public(), public);
    let dir = tempfile::tempdir().unwrap();
    unrest_site::build(&mut s, dir.path(), Some(&key)).unwrap();
    let pk = public_key(&public).unwrap();
    let v = unrest_site::verify(dir.path(), &pk).unwrap();
    assert_eq!(v.differences, vec![], "a fresh mirror verifies");
    let head = s.audit_head().unwrap().unwrap();
    assert!(v
        .trusted_comment
        .unwrap()
        .contains(&format!("audit head {head}")));

    let page = dir.path().join(format!("events/{}.html", ids[0]));
    let mut bytes = std::fs::read(&page).unwrap();
    bytes[200] ^= 1;
    std::fs::write(&page, bytes).unwrap();
    let v = unrest_site::verify(dir.path(), &pk).unwrap();
    assert_eq!(
        v.differences,
        vec![Difference::Changed(format!("events/{}.html", ids[0]))]
    );

    // Another key does not verify it; a rebuild repairs the page.
    let (_, other) = generate().unwrap();
    let v = unrest_site::verify(dir.path(), &public_key(&other).unwrap()).unwrap();
    assert!(matches!(v.differences[0], Difference::Signature(_)));
    unrest_site::build(&mut s, dir.path(), Some(&key)).unwrap();
    assert_eq!(
        unrest_site::verify(dir.path(), &pk).unwrap().differences,
        vec![]
    );

    std::fs::remove_file(dir.path().join("data/map.js")).unwrap();
    std::fs::write(dir.path().join("events/999.html"), "planted").unwrap();
    let v = unrest_site::verify(dir.path(), &pk).unwrap();
    assert_eq!(
        v.differences,
        vec![
            Difference::Missing("data/map.js".into()),
            Difference::Extra("events/999.html".into())
        ]
    );
}

fn a_rebuild_writes_only_what_changed(db: TestDb) {
    let (mut s, ids, hidden) = dataset(&db);
    let dir = tempfile::tempdir().unwrap();
    let first = unrest_site::build(&mut s, dir.path(), None).unwrap();
    let again = unrest_site::build(&mut s, dir.path(), None).unwrap();
    assert_eq!(
        (again.written, again.removed, again.files),
        (0, 0, first.files)
    );

    let at = Utc.with_ymd_and_hms(2022, 10, 6, 12, 0, 0).unwrap();
    s.set_status(&[hidden], &Filter::default(), Status::Published, "lead", at)
        .unwrap();
    let one_more = unrest_site::build(&mut s, dir.path(), None).unwrap();
    assert_eq!(one_more.files, first.files + 3);
    // Its two pages and JSON, the API page and index, the three data files, the two map
    // pages, its month's digest in both languages (publishing corroborates at once), the
    // audit head, the manifest; not the other events' pages, nor the assets.
    assert!(one_more.written <= 16, "{one_more:?}");
    assert!(dir
        .path()
        .join(format!("events/{hidden}.fa.html"))
        .is_file());

    s.set_status(&[ids[1]], &Filter::default(), Status::Rejected, "lead", at)
        .unwrap();
    let fewer = unrest_site::build(&mut s, dir.path(), None).unwrap();
    assert_eq!(
        fewer.removed, 3,
        "an event no longer published leaves the mirror"
    );
    assert!(!dir.path().join(format!("events/{}.html", ids[1])).exists());
}

macro_rules! both {
    ($($name:ident),*) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(super::TestDb::sqlite()) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name(super::TestDb::postgres()) } )*
        }
    };
}

both!(
    a_mirror_holds_every_published_event_and_nothing_else,
    a_signed_mirror_verifies_and_names_the_one_byte_changed,
    a_rebuild_writes_only_what_changed
);
