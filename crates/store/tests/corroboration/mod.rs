//! Issue 7's acceptance through the real store and the real coder: reports in, clusters
//! out. Two reports of one incident in two languages are one incident of two sources; a
//! forwarded copy is no new source; two incidents of one city-day stay two; analysts' merges
//! and splits hold when the reports are re-coded; the digest's totals are the database's.

use super::support::{all_events, at};
use crate::both;
use chrono::{DateTime, NaiveDate, Utc};
use unrest_corroborate::{Decision, Params, Reliability};
use unrest_model::{Event, Report};
use unrest_store::{Coding, Filter, Incident, NewReport, Page, Status, Store, StoredIncident};

const SANANDAJ_EN: &str = "Sanandaj, 5 November: Hundreds of people gathered in Azadi square \
    and chanted slogans. Special units attacked them with batons and tear gas; at least 12 \
    people were arrested and two were injured.";
const SANANDAJ_FA: &str = "سنندج، ۱۴ آبان: صدها نفر در میدان آزادی تجمع کردند و شعار دادند. \
    نیروهای یگان ویژه با باتوم و گاز اشک‌آور به معترضان حمله کردند و دست‌کم ۱۰ نفر بازداشت شدند.";
const SANANDAJ_FORWARDED: &str = "Forwarded from a Telegram channel:\nSanandaj, 5 November: \
    Hundreds of people gathered in Azadi square and chanted slogans. Special units attacked \
    them with batons and tear gas; at least 12 people were arrested and two were injured. \
    Please share.";
const NARMAK: &str = "Tehran, 5 November: In Narmak, young people chanted slogans from the \
    rooftops and in the streets; riot police fired tear gas.";
const EKBATAN: &str = "Tehran, 5 November: In Ekbatan, residents marched in the housing \
    complex and chanted slogans. No clashes were reported.";
const MAHABAD_27: &str = "Mahabad, 27 October: forces fired on mourners at the governor's \
    office; three people were killed.";
const MAHABAD_29: &str = "مهاباد، ۷ آبان: ماموران به سوی عزاداران در مقابل فرمانداری \
    تیراندازی کردند و سه نفر کشته شدند.";

/// The coder `unrest ingest` uses, under a version name of the test's choosing.
struct RealCoder {
    coder: unrest_coder::Coder,
    version: String,
}

impl RealCoder {
    fn new(version: &str) -> RealCoder {
        RealCoder {
            coder: unrest_coder::Coder::new(),
            version: version.into(),
        }
    }
}

impl Coding for RealCoder {
    fn version(&self) -> &str {
        &self.version
    }
    fn code(&mut self, report: &Report, received_at: DateTime<Utc>) -> Vec<Event> {
        let options = unrest_coder::Options {
            reference: report
                .reference_date
                .as_deref()
                .and_then(|d| d.parse().ok()),
            today: received_at.date_naive(),
            lang: unrest_coder::Lang::Auto,
            timestamp: 0,
        };
        self.coder.code_with(report, &options)
    }
}

fn ingest(store: &mut Store, coder: &mut RealCoder, reports: &[(&str, &str)]) {
    let batch: Vec<NewReport> = reports
        .iter()
        .map(|(name, text)| NewReport {
            report: Report {
                id: name.to_string(),
                text: text.to_string(),
                reference_date: Some("2022-11-30".into()),
                lang: None,
            },
            received_at: at(30),
            channel: format!("telegram:{name}"),
        })
        .collect();
    store.ingest(&batch, coder).unwrap();
}

fn cluster(store: &mut Store) -> Vec<Incident> {
    store
        .cluster(&Filter::default(), &Params::default(), at(30))
        .unwrap();
    store.incidents(None, None, false).unwrap()
}

/// The event coded from the report stored under `name`.
fn event_of(store: &mut Store, name: &str) -> i64 {
    all_events(store)
        .into_iter()
        .find(|e| e.event.report == name)
        .unwrap_or_else(|| panic!("no event of {name}"))
        .id
}

const ZAHEDAN_EN: &str = "Zahedan, 30 September: security forces opened fire on worshippers \
    after Friday prayers; at least 40 people were killed.";
const ZAHEDAN_FA: &str = "زاهدان، ۸ مهر: نیروهای امنیتی پس از نماز جمعه به سوی نمازگزاران \
    تیراندازی کردند و ۴۱ نفر کشته شدند.";

/// Every incident row, as `unrest events`, the API and the exports read them.
fn rows(store: &mut Store) -> Vec<StoredIncident> {
    let mut out = Vec::new();
    store
        .incident_rows::<unrest_store::Error>(&Filter::default(), &Page::default(), |i| {
            out.push(i);
            Ok(())
        })
        .unwrap();
    out
}

fn decide(store: &mut Store, d: Decision) {
    store.decide(&d, "maryam", at(30)).unwrap();
}

both! {
    fn two_reports_of_one_incident_in_two_languages_are_one_event_of_two_sources(db) {
        let mut store = db.open();
        ingest(&mut store, &mut RealCoder::new("a"), &[("en.txt", SANANDAJ_EN), ("fa.txt", SANANDAJ_FA)]);
        let incidents = cluster(&mut store);
        assert_eq!(incidents.len(), 1, "{incidents:#?}");
        let c = &incidents[0];
        assert_eq!((c.source_count, c.report_count, c.members.len()), (2, 2, 2));
        assert_eq!(c.event.event.location, "Sanandaj");
        assert_eq!(c.event.event.event_date, "2022-11-05");
        assert_eq!(c.event.event.arrests, Some(10), "the lowest credible figure, not the sum");
        assert!(c.conflicts.contains("arrests"), "the disagreement is shown: {}", c.conflicts);
        assert_eq!(c.grade, "F2", "two independent sources of ungraded channels: probably true");
    }

    fn a_forwarded_copy_does_not_raise_the_source_count(db) {
        let mut store = db.open();
        ingest(&mut store, &mut RealCoder::new("a"), &[
            ("en.txt", SANANDAJ_EN), ("fa.txt", SANANDAJ_FA), ("fwd.txt", SANANDAJ_FORWARDED),
        ]);
        let incidents = cluster(&mut store);
        assert_eq!(incidents.len(), 1, "{incidents:#?}");
        assert_eq!((incidents[0].source_count, incidents[0].report_count), (2, 3));
    }

    fn two_incidents_in_one_city_on_one_day_stay_two(db) {
        let mut store = db.open();
        ingest(&mut store, &mut RealCoder::new("a"), &[("narmak.txt", NARMAK), ("ekbatan.txt", EKBATAN)]);
        let incidents = cluster(&mut store);
        let mut places: Vec<&str> = incidents.iter().map(|c| c.event.event.location.as_str()).collect();
        places.sort_unstable();
        assert_eq!(places, vec!["Tehran - Ekbatan", "Tehran - Narmak"]);
        assert!(incidents.iter().all(|c| c.source_count == 1));
    }

    fn a_merge_survives_recoding(db) {
        let mut store = db.open();
        ingest(&mut store, &mut RealCoder::new("a"), &[("m27.txt", MAHABAD_27), ("m29.txt", MAHABAD_29)]);
        assert_eq!(cluster(&mut store).len(), 2, "two days apart: two incidents for the coder");
        let (a, b) = (event_of(&mut store, "m27.txt"), event_of(&mut store, "m29.txt"));
        let (a, b) = (store.event_key(a).unwrap().unwrap(), store.event_key(b).unwrap().unwrap());
        decide(&mut store, Decision::Merge { a, b });
        assert_eq!(cluster(&mut store).len(), 1);

        let old = event_of(&mut store, "m27.txt");
        assert_eq!(store.code_pending(&mut RealCoder::new("b"), true, 100).unwrap().0, 2);
        assert_ne!(event_of(&mut store, "m27.txt"), old, "re-coding gave the events new ids");
        let incidents = cluster(&mut store);
        assert_eq!(incidents.len(), 1, "the merge holds: {incidents:#?}");
        assert_eq!(incidents[0].source_count, 2);
    }

    fn a_split_survives_recoding(db) {
        let mut store = db.open();
        ingest(&mut store, &mut RealCoder::new("a"), &[("en.txt", SANANDAJ_EN), ("fa.txt", SANANDAJ_FA)]);
        assert_eq!(cluster(&mut store).len(), 1);
        let fa = event_of(&mut store, "fa.txt");
        let event = store.event_key(fa).unwrap().unwrap();
        decide(&mut store, Decision::Split { event });
        assert_eq!(cluster(&mut store).len(), 2);

        store.code_pending(&mut RealCoder::new("b"), true, 100).unwrap();
        assert_ne!(event_of(&mut store, "fa.txt"), fa);
        let incidents = cluster(&mut store);
        assert_eq!(incidents.len(), 2, "the split holds: {incidents:#?}");
        let run = store.cluster(&Filter::default(), &Params::default(), at(30)).unwrap();
        assert!(run.unresolved.is_empty());
    }

    fn grades_come_from_channels_and_analysts(db) {
        let mut store = db.open();
        ingest(&mut store, &mut RealCoder::new("a"), &[("en.txt", SANANDAJ_EN), ("fa.txt", SANANDAJ_FA)]);
        assert_eq!(store.grade_channel("telegram:en.txt", Reliability::B, "maryam", at(30)).unwrap(), 1);
        assert_eq!(cluster(&mut store)[0].grade, "B1", "two sources, one of a usually reliable channel");
        // A channel's grade reaches its later reports on arrival.
        ingest(&mut store, &mut RealCoder::new("a"), &[("en.txt", NARMAK)]);
        let narmak = cluster(&mut store).into_iter().find(|c| c.event.event.location == "Tehran - Narmak").unwrap();
        assert_eq!(narmak.grade, "B2");

        let en = event_of(&mut store, "en.txt");
        let key = store.event_key(en).unwrap().unwrap();
        decide(&mut store, Decision::Grade { event: key, grade: "C3".parse().unwrap() });
        let sanandaj = cluster(&mut store).into_iter().find(|c| c.event.event.location == "Sanandaj").unwrap();
        assert_eq!((sanandaj.grade.as_str(), sanandaj.graded_by_analyst), ("C3", true));
        assert!(store.audit_verify(None).unwrap().is_intact());
        let decided = store.audit_history("decision", "1").unwrap();
        assert_eq!(decided[0].actor, "maryam");
        assert!(decided[0].change.contains("\"grade\":\"C3\""), "{}", decided[0].change);
    }

    fn a_run_replaces_the_last_and_leaves_rejected_events_out(db) {
        let mut store = db.open();
        ingest(&mut store, &mut RealCoder::new("a"), &[
            ("en.txt", SANANDAJ_EN), ("fa.txt", SANANDAJ_FA), ("narmak.txt", NARMAK),
        ]);
        assert_eq!(cluster(&mut store).len(), 2);
        let fa = event_of(&mut store, "fa.txt");
        store.set_status(&[fa], &Filter::default(), Status::Rejected, "maryam", at(30)).unwrap();
        let incidents = cluster(&mut store);
        assert_eq!(incidents.len(), 2);
        let sanandaj = incidents.iter().find(|c| c.event.event.location == "Sanandaj").unwrap();
        assert_eq!((sanandaj.source_count, sanandaj.event.event.arrests), (1, Some(12)));
        assert!(!incidents.iter().any(|c| c.members.contains(&fa)));
    }

    fn an_incident_is_published_when_one_of_its_events_is(db) {
        let mut store = db.open();
        ingest(&mut store, &mut RealCoder::new("a"), &[
            ("en.txt", SANANDAJ_EN), ("fa.txt", SANANDAJ_FA), ("narmak.txt", NARMAK),
        ]);
        let fa = event_of(&mut store, "fa.txt");
        store.set_status(&[fa], &Filter::default(), Status::Published, "maryam", at(30)).unwrap();
        cluster(&mut store);
        let published = store.incidents(None, None, true).unwrap();
        assert_eq!(published.len(), 1);
        assert_eq!((published[0].event.event.location.as_str(), published[0].source_count), ("Sanandaj", 2));
        // An analyst can withdraw the incident without touching the events.
        let key = store.event_key(fa).unwrap().unwrap();
        decide(&mut store, Decision::Publish { event: key, published: false });
        cluster(&mut store);
        assert!(store.incidents(None, None, true).unwrap().is_empty());
    }

    fn the_digest_totals_equal_a_query_over_the_period(db) {
        let mut store = db.open();
        ingest(&mut store, &mut RealCoder::new("a"), &[
            ("en.txt", SANANDAJ_EN), ("fa.txt", SANANDAJ_FA), ("fwd.txt", SANANDAJ_FORWARDED),
            ("narmak.txt", NARMAK), ("ekbatan.txt", EKBATAN),
            ("m27.txt", MAHABAD_27), ("m29.txt", MAHABAD_29),
        ]);
        let coded = Filter { status: vec![Status::Coded], ..Default::default() };
        store.set_status(&[], &coded, Status::Published, "maryam", at(30)).unwrap();
        let ekbatan = event_of(&mut store, "ekbatan.txt");
        store.set_status(&[ekbatan], &Filter::default(), Status::Verified, "maryam", at(30)).unwrap();
        cluster(&mut store);
        let (from, to) = (NaiveDate::from_ymd_opt(2022, 10, 28).unwrap(), NaiveDate::from_ymd_opt(2022, 11, 11).unwrap());
        let events: Vec<unrest_digest::DigestEvent> = store
            .incidents(Some(from), Some(to), true)
            .unwrap()
            .into_iter()
            .map(|c| unrest_digest::DigestEvent { event: c.event.event, grade: c.grade, source_count: c.source_count as usize })
            .collect();
        assert_eq!(events.len(), 3, "Sanandaj, Narmak, Mahabad on the 29th; not Ekbatan (unpublished) nor the 27th");
        let digest = unrest_digest::DigestInput { from, to, events, ..Default::default() };
        let summary = unrest_digest::summary(&digest);
        let query = store.incident_totals(from, to).unwrap();
        assert_eq!(
            (summary.total.events as u64, summary.total.fatalities as u64, summary.total.injuries as u64, summary.total.arrests as u64),
            (query.events, query.fatalities, query.injuries, query.arrests)
        );
        assert_eq!((query.events, query.fatalities, query.arrests), (3, 3, 10));
        let mut html = Vec::new();
        unrest_digest::render(&digest, unrest_digest::DigestFormat::Html, &mut html).unwrap();
        assert!(String::from_utf8(html).unwrap().contains("Sanandaj"));
    }

    fn the_zahedan_pair_is_one_row_of_forty_dead_and_two_sources_without_a_clustering_run(db) {
        let mut store = db.open();
        let batch: Vec<NewReport> = [("en.txt", ZAHEDAN_EN), ("fa.txt", ZAHEDAN_FA)]
            .iter()
            .map(|(name, text)| NewReport {
                report: Report { id: name.to_string(), text: text.to_string(), reference_date: Some("2022-10-01".into()), lang: None },
                received_at: at(30),
                channel: format!("telegram:{name}"),
            })
            .collect();
        store.receive(&batch, &mut RealCoder::new("a"), at(30)).unwrap();
        assert_eq!(all_events(&mut store).len(), 2, "two reports, two per-report events");
        let rows = rows(&mut store);
        assert_eq!(rows.len(), 1, "{rows:#?}");
        let z = &rows[0];
        assert_eq!((z.stored.event.fatalities, z.corroboration.source_count), (40, 2));
        assert_eq!(z.stored.event.location, "Zahedan");
        assert_eq!(z.stored.event.source, "telegram:en.txt; telegram:fa.txt", "channels, no reporter");
        assert_eq!(z.stored.event.report, "", "an incident row names no report");
        assert_eq!(z.corroboration.event_ids.len(), 2);
        // Either event's id finds the incident.
        for id in &z.corroboration.event_ids {
            assert_eq!(store.incident(*id).unwrap().unwrap().id(), z.id());
        }
    }

    fn a_rejected_source_lowers_source_count_at_once(db) {
        let mut store = db.open();
        ingest(&mut store, &mut RealCoder::new("a"), &[("en.txt", SANANDAJ_EN), ("fa.txt", SANANDAJ_FA)]);
        store.corroborate(at(30)).unwrap();
        assert_eq!(rows(&mut store)[0].corroboration.source_count, 2);
        let fa = event_of(&mut store, "fa.txt");
        store.set_status(&[fa], &Filter::default(), Status::Rejected, "maryam", at(30)).unwrap();
        let after = rows(&mut store);
        assert_eq!(after.len(), 1);
        assert_eq!(after[0].corroboration.source_count, 1);
        assert!(store.incident(fa).unwrap().is_none(), "a rejected event is in no incident");
    }

    fn incremental_corroboration_equals_a_full_run(db) {
        let mut store = db.open();
        let mut coder = RealCoder::new("a");
        // One report at a time, as the web form brings them.
        for (name, text) in [("en.txt", SANANDAJ_EN), ("narmak.txt", NARMAK), ("fa.txt", SANANDAJ_FA),
                             ("fwd.txt", SANANDAJ_FORWARDED), ("ekbatan.txt", EKBATAN),
                             ("m27.txt", MAHABAD_27), ("m29.txt", MAHABAD_29)] {
            let new = NewReport {
                report: Report { id: name.into(), text: text.into(), reference_date: Some("2022-11-30".into()), lang: None },
                received_at: at(30),
                channel: "web".into(),
            };
            store.receive(&[new], &mut coder, at(30)).unwrap();
        }
        let narmak = event_of(&mut store, "narmak.txt");
        store.split_event(narmak, "maryam", at(30)).unwrap();
        let incremental = rows(&mut store);
        let full = cluster(&mut store);
        assert_eq!(rows(&mut store), incremental, "unrest cluster recomputes the same incidents");
        assert_eq!(full.len(), incremental.len());
        let sanandaj = incremental.iter().find(|i| i.stored.event.location == "Sanandaj").unwrap();
        assert_eq!(sanandaj.corroboration.source_count, 2, "the forwarded copy is no new source");
    }

    fn a_split_on_the_report_page_takes_the_event_out_at_once(db) {
        let mut store = db.open();
        ingest(&mut store, &mut RealCoder::new("a"), &[("en.txt", SANANDAJ_EN), ("fa.txt", SANANDAJ_FA)]);
        store.corroborate(at(30)).unwrap();
        let fa = event_of(&mut store, "fa.txt");
        store.split_event(fa, "maryam", at(30)).unwrap();
        let rows = rows(&mut store);
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.corroboration.source_count == 1));
    }
}

/// A coder whose events are written in the report, one per line:
/// `@DATE;ADMIN1;LOCATION;LON;LAT;TIME_PRECISION;GEO_PRECISION;TYPE;SUB_TYPE;FATALITIES`.
struct Spelled;

impl Coding for Spelled {
    fn version(&self) -> &str {
        "spelled"
    }
    fn code(&mut self, report: &Report, _: DateTime<Utc>) -> Vec<Event> {
        report
            .text
            .lines()
            .filter_map(|l| l.strip_prefix('@'))
            .map(|l| {
                let f: Vec<&str> = l.split(';').collect();
                let mut e = super::support::event(
                    f[0],
                    f[1],
                    f[3].parse().unwrap(),
                    f[4].parse().unwrap(),
                    f[7],
                    f[8],
                );
                e.location = f[2].into();
                e.time_precision = f[5].parse().unwrap();
                e.geo_precision = f[6].parse().unwrap();
                e.fatalities = f[9].parse().unwrap();
                e.report = report.id.clone();
                e
            })
            .collect()
    }
}

/// A small deterministic generator (xorshift), so a failure replays.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Reports of invented incidents crowded into few places and days, so that neighbourhoods
/// overlap, chain and compete: two towns 4 km apart, a third 20 km off, one far away, in
/// one province; precise and vague dates and places; copies of earlier reports with a line
/// added; reports of two places at once. Shuffled into an arrival order.
fn generated_reports(seed: u64, n: usize) -> Vec<NewReport> {
    let mut rng = Rng(seed);
    let places = [
        ("Kordestan", "Alpha", 47.000, 35.300),
        ("Kordestan", "Beta", 47.040, 35.310),
        ("Kordestan", "Gamma", 47.200, 35.350),
        ("Kordestan", "Delta", 46.300, 36.000),
        ("Kermanshah", "Epsilon", 47.060, 34.300),
    ];
    let kinds = [
        ("Protests", "Peaceful protest"),
        ("Protests", "Excessive force against protesters"),
        ("Riots", "Violent demonstration"),
        ("Strategic developments", "Arrests"),
    ];
    let mut texts: Vec<String> = Vec::new();
    for r in 0..n {
        let mut text = format!("Invented report {r} for the equality test.\n");
        if r > 5 && rng.below(6) == 0 {
            // A forwarded copy of an earlier report: the same lines, one more.
            let earlier = texts[rng.below(texts.len() as u64) as usize].clone();
            texts.push(format!("Forwarded:\n{earlier}\nPlease share."));
            continue;
        }
        for _ in 0..1 + rng.below(2) {
            let (admin1, town, lon, lat) = places[rng.below(places.len() as u64) as usize];
            let (t, s) = kinds[rng.below(kinds.len() as u64) as usize];
            let tp = [1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 3][rng.below(12) as usize];
            let gp = [1, 1, 2, 3][rng.below(4) as usize];
            let month = 10 + rng.below(3);
            let day = if month == 10 {
                1 + rng.below(9)
            } else {
                1 + rng.below(28)
            };
            let location = if gp == 3 { admin1 } else { town };
            text.push_str(&format!(
                "@2022-{month}-{day:02};{admin1};{location};{lon};{lat};{tp};{gp};{t};{s};{}\n",
                rng.below(4)
            ));
        }
        texts.push(text);
    }
    // Arrival order: shuffled.
    for i in (1..texts.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        texts.swap(i, j);
    }
    texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| NewReport {
            report: Report {
                id: format!("r{i}.txt"),
                text,
                reference_date: Some("2022-10-30".into()),
                lang: None,
            },
            received_at: at(1),
            channel: format!("telegram:c{}", i % 3),
        })
        .collect()
}

both! {
    fn incremental_corroboration_of_a_generated_dataset_in_random_order_equals_a_full_run(db) {
        let mut store = db.open();
        let reports = generated_reports(0x5eed_1234, 160);
        for (i, report) in reports.iter().enumerate() {
            store.receive(std::slice::from_ref(report), &mut Spelled, at(2)).unwrap();
            if i == 60 {
                // Analysts' decisions taken midway keep holding as reports keep arriving.
                let events = all_events(&mut store);
                store.split_event(events[3].id, "maryam", at(2)).unwrap();
                let key = |id: i64, store: &mut Store| store.event_key(id).unwrap().unwrap();
                let (a, b) = (key(events[5].id, &mut store), key(events[9].id, &mut store));
                store.decide(&Decision::Merge { a, b }, "maryam", at(2)).unwrap();
                store
                    .set_status(&[events[7].id], &Filter::default(), Status::Rejected, "maryam", at(2))
                    .unwrap();
            }
        }
        let incremental = rows(&mut store);
        assert!(incremental.len() > 20, "the dataset has many incidents");
        assert!(
            incremental.iter().any(|i| i.corroboration.event_ids.len() > 2),
            "and some of several reports"
        );
        let details = store.incidents(None, None, false).unwrap();
        let strip = |v: Vec<Incident>| -> Vec<Incident> {
            v.into_iter().map(|mut i| { i.cluster_id = 0; i }).collect()
        };
        // The whole run, period by period (what `unrest cluster` runs).
        let run = store.corroborate(at(3)).unwrap();
        assert_eq!(run.clusters, incremental.len());
        assert!(run.unresolved.is_empty());
        assert_eq!(rows(&mut store), incremental, "the full run gives the incremental incidents");
        assert_eq!(strip(store.incidents(None, None, false).unwrap()), strip(details.clone()));
        // And every event grouped at once, in one load.
        let input = store.cluster_input(&Filter::default()).unwrap();
        let clustering = input.cluster(&Params::default());
        store.save_clusters(&input, &clustering, at(3)).unwrap();
        assert_eq!(rows(&mut store), incremental, "one load gives the same incidents");
        assert_eq!(strip(store.incidents(None, None, false).unwrap()), strip(details));
    }
}

both! {
    fn counts_per_day_are_the_incident_rows_counted(db) {
        let mut store = db.open();
        ingest(
            &mut store,
            &mut RealCoder::new("a"),
            &[
                ("en.txt", ZAHEDAN_EN),
                ("fa.txt", ZAHEDAN_FA),
                ("narmak.txt", NARMAK),
                ("ekbatan.txt", EKBATAN),
                ("mahabad27.txt", MAHABAD_27),
            ],
        );
        cluster(&mut store);
        for filter in [
            Filter::default(),
            Filter { admin1: Some("Tehran".into()), ..Filter::default() },
            Filter { search: Some("tear gas".into()), ..Filter::default() },
            Filter { from: NaiveDate::from_ymd_opt(2022, 10, 1), ..Filter::default() },
        ] {
            let mut by_day: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
            store
                .incident_rows::<unrest_store::Error>(&filter, &Page::default(), |i| {
                    let d = by_day.entry(i.stored.event.event_date.clone()).or_default();
                    d.0 += 1;
                    d.1 += u64::from(i.stored.event.fatalities);
                    Ok(())
                })
                .unwrap();
            let counted: Vec<(String, (u64, u64))> = store
                .incident_days(&filter)
                .unwrap()
                .into_iter()
                .map(|d| (d.day, (d.incidents, d.fatalities)))
                .collect();
            assert_eq!(counted, by_day.into_iter().collect::<Vec<_>>(), "{filter:?}");
        }
    }
}

both! {
    fn the_latest_order_is_the_date_order_reversed(db) {
        let mut store = db.open();
        ingest(
            &mut store,
            &mut RealCoder::new("a"),
            &[("narmak.txt", NARMAK), ("mahabad27.txt", MAHABAD_27), ("en.txt", ZAHEDAN_EN)],
        );
        cluster(&mut store);
        let ids = |store: &mut Store, order: unrest_store::Order| {
            let mut out = Vec::new();
            store
                .incident_rows::<unrest_store::Error>(
                    &Filter::default(),
                    &Page { order, ..Page::default() },
                    |i| {
                        out.push(i.id());
                        Ok(())
                    },
                )
                .unwrap();
            out
        };
        let mut by_date = ids(&mut store, unrest_store::Order::Date);
        by_date.reverse();
        assert_eq!(ids(&mut store, unrest_store::Order::Latest), by_date);
    }
}

/// A day: its date, incidents and fatalities.
type Day = (String, u64, u64);

/// The public timeline's days (the maintained summary) and the same days counted over the
/// public incident rows, for one period.
fn timeline_and_rows(store: &mut Store) -> (Vec<Day>, Vec<Day>) {
    let filter = Filter {
        from: NaiveDate::from_ymd_opt(2022, 9, 1),
        to: NaiveDate::from_ymd_opt(2022, 11, 30),
        ..Filter::default()
    }
    .public();
    let summary = store
        .incident_days(&filter)
        .unwrap()
        .into_iter()
        .map(|d| (d.day, d.incidents, d.fatalities))
        .collect();
    let mut by_day: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    store
        .incident_rows::<unrest_store::Error>(&filter, &Page::default(), |i| {
            let d = by_day.entry(i.stored.event.event_date.clone()).or_default();
            d.0 += 1;
            d.1 += u64::from(i.stored.event.fatalities);
            Ok(())
        })
        .unwrap();
    (
        summary,
        by_day.into_iter().map(|(d, (n, f))| (d, n, f)).collect(),
    )
}

both! {
    fn the_public_timeline_follows_every_change_to_the_incidents(db) {
        let mut store = db.open();
        let mut coder = RealCoder::new("a");
        for (name, text) in [("en.txt", ZAHEDAN_EN), ("narmak.txt", NARMAK), ("fa.txt", ZAHEDAN_FA),
                             ("m27.txt", MAHABAD_27), ("ekbatan.txt", EKBATAN)] {
            let new = NewReport {
                report: Report { id: name.into(), text: text.into(), reference_date: Some("2022-11-30".into()), lang: None },
                received_at: at(30),
                channel: "web".into(),
            };
            store.receive(&[new], &mut coder, at(30)).unwrap();
        }
        let (summary, counted) = timeline_and_rows(&mut store);
        assert!(summary.is_empty() && counted.is_empty(), "nothing published yet");

        let all: Vec<i64> = all_events(&mut store).iter().map(|e| e.id).collect();
        store.set_status(&all, &Filter::default(), Status::Published, "maryam", at(30)).unwrap();
        let (summary, counted) = timeline_and_rows(&mut store);
        assert_eq!(summary, counted, "after publishing");
        assert_eq!(summary.iter().map(|d| d.1).sum::<u64>(), 4, "the Zahedan pair is one incident");

        // An analyst's edit of the count shows in the row and the day at once.
        let m27 = event_of(&mut store, "m27.txt");
        let mut edited = store.event(m27).unwrap().unwrap().event;
        edited.fatalities = 5;
        edited.actor2 = "Edited actor".into();
        store.edit_event(m27, &edited, "maryam", at(30)).unwrap();
        let row = store.incident(m27).unwrap().unwrap();
        assert_eq!((row.stored.event.fatalities, row.stored.event.actor2.as_str()), (5, "Edited actor"));
        let (summary, counted) = timeline_and_rows(&mut store);
        assert_eq!(summary, counted, "after an edit");

        // A rejection, and a merge (which rejects the merged event), leave the day at once.
        let ekbatan = event_of(&mut store, "ekbatan.txt");
        store.set_status(&[ekbatan], &Filter::default(), Status::Rejected, "maryam", at(30)).unwrap();
        let (summary, counted) = timeline_and_rows(&mut store);
        assert_eq!(summary, counted, "after a rejection");
        assert_eq!(summary.iter().map(|d| d.1).sum::<u64>(), 3);
        let narmak = event_of(&mut store, "narmak.txt");
        store.merge_events(m27, narmak, "maryam", at(30)).unwrap();
        assert!(store.incident(narmak).unwrap().is_none(), "the merged event is in no incident");
        let (summary, counted) = timeline_and_rows(&mut store);
        assert_eq!(summary, counted, "after a merge");
        assert_eq!(summary.iter().map(|d| d.1).sum::<u64>(), 2);

        // The whole run writes the same rows and days.
        let before = rows(&mut store);
        store.corroborate(at(30)).unwrap();
        assert_eq!(rows(&mut store), before);
        assert_eq!(timeline_and_rows(&mut store).0, summary);
    }

    fn a_database_from_before_the_incident_table_gets_it_on_opening(db) {
        let mut old = Store::open_at_version(&db.url, 13).unwrap();
        ingest(&mut old, &mut RealCoder::new("a"), &[("en.txt", ZAHEDAN_EN), ("fa.txt", ZAHEDAN_FA)]);
        drop(old);
        let mut store = db.open();
        let found = rows(&mut store);
        assert_eq!(found.len(), 1, "the pair is one incident row");
        assert_eq!(found[0].corroboration.source_count, 2);
        assert_eq!(found[0].stored.event.fatalities, 40);
    }
}

both! {
    fn streamed_incidents_are_the_incident_rows_decoded_over_one_buffer(db) {
        let mut store = db.open();
        // Long fields first, then short ones: a reused buffer must not keep a longer row's tail.
        ingest(
            &mut store,
            &mut RealCoder::new("a"),
            &[
                ("en.txt", ZAHEDAN_EN),
                ("fa.txt", ZAHEDAN_FA),
                ("narmak.txt", NARMAK),
                ("ekbatan.txt", EKBATAN),
                ("mahabad27.txt", MAHABAD_27),
                ("mahabad29.txt", MAHABAD_29),
            ],
        );
        cluster(&mut store);
        let all = rows(&mut store);
        assert!(all.iter().any(|i| !i.stored.event.evidence.is_empty()), "evidence to compare");
        assert!(all.iter().any(|i| i.corroboration.event_ids.len() > 1), "a merged incident");
        let second = all[1].id();
        for (filter, page) in [
            (Filter::default(), Page::default()),
            (Filter { admin1: Some("Tehran".into()), ..Filter::default() }, Page::default()),
            (Filter { search: Some("tear gas".into()), ..Filter::default() }, Page::default()),
            (Filter::default(), Page { limit: Some(2), offset: 1, ..Page::default() }),
            (Filter::default(), Page { after: Some(second), order: unrest_store::Order::Id, ..Page::default() }),
        ] {
            let mut owned = Vec::new();
            store
                .incident_rows::<unrest_store::Error>(&filter, &page, |i| {
                    owned.push(i);
                    Ok(())
                })
                .unwrap();
            for evidence in [true, false] {
                let mut streamed = Vec::new();
                let n = store
                    .stream_incidents::<unrest_store::Error>(&filter, &page, evidence, |i| {
                        streamed.push(i.clone());
                        Ok(())
                    })
                    .unwrap();
                let mut want = owned.clone();
                if !evidence {
                    want.iter_mut().for_each(|i| i.stored.event.evidence.clear());
                }
                assert_eq!(n as usize, want.len());
                assert_eq!(streamed, want, "{filter:?} {page:?} evidence {evidence}");
            }
        }
    }
}

/// The whole world, as a map view.
fn world() -> unrest_store::BBox {
    unrest_store::BBox::new(-180.0, -90.0, 180.0, 90.0).unwrap()
}

/// For a few public filters and every grid level: the map's clusters of the whole world
/// summed, and the public list's count for the same filter.
fn map_and_list_counts(store: &mut Store) -> Vec<(String, u64, u64)> {
    let filters = [
        Filter::default(),
        Filter {
            from: NaiveDate::from_ymd_opt(2022, 10, 28),
            to: NaiveDate::from_ymd_opt(2022, 11, 30),
            ..Filter::default()
        },
        Filter {
            from: NaiveDate::from_ymd_opt(2022, 11, 1),
            ..Filter::default()
        },
        Filter {
            to: NaiveDate::from_ymd_opt(2022, 10, 31),
            ..Filter::default()
        },
        Filter {
            admin1: Some("Tehran".into()),
            ..Filter::default()
        },
        Filter {
            event_type: Some("protests".into()),
            ..Filter::default()
        },
        Filter {
            search: Some("tear gas".into()),
            ..Filter::default()
        },
        Filter {
            search: Some("zahedan".into()),
            from: NaiveDate::from_ymd_opt(2022, 9, 15),
            to: NaiveDate::from_ymd_opt(2022, 11, 30),
            event_type: Some("protests".into()),
            ..Filter::default()
        },
    ];
    let mut out = Vec::new();
    for filter in filters {
        let filter = filter.public();
        let mut listed = 0u64;
        store
            .incident_rows::<unrest_store::Error>(&filter, &Page::default(), |_| {
                listed += 1;
                Ok(())
            })
            .unwrap();
        for zoom in [4u8, 7, 9, 11, 14] {
            let view = store.incident_map(&filter, world(), zoom).unwrap();
            assert!(view.complete);
            let summed = view.clusters.iter().map(|c| c.incidents).sum::<u64>();
            assert_eq!(summed, view.incidents);
            if summed <= unrest_store::POINTS_MAX {
                assert_eq!(
                    view.points.len() as u64,
                    summed,
                    "the whole world's few incidents one by one"
                );
            }
            out.push((format!("{filter:?} at zoom {zoom}"), summed, listed));
        }
    }
    out
}

fn assert_map_agrees(store: &mut Store, when: &str) {
    for (what, summed, listed) in map_and_list_counts(store) {
        assert_eq!(summed, listed, "{when}: {what}");
    }
}

both! {
    fn the_map_clusters_sum_to_the_list_count_through_every_change(db) {
        let mut store = db.open();
        let mut coder = RealCoder::new("a");
        for (name, text) in [("en.txt", ZAHEDAN_EN), ("narmak.txt", NARMAK), ("fa.txt", ZAHEDAN_FA),
                             ("m27.txt", MAHABAD_27), ("ekbatan.txt", EKBATAN)] {
            let new = NewReport {
                report: Report { id: name.into(), text: text.into(), reference_date: Some("2022-11-30".into()), lang: None },
                received_at: at(30),
                channel: "web".into(),
            };
            store.receive(&[new], &mut coder, at(30)).unwrap();
        }
        let view = store.incident_map(&Filter::default().public(), world(), 5).unwrap();
        assert_eq!((view.incidents, view.clusters.len(), view.points.len()), (0, 0, 0), "nothing published");

        let all: Vec<i64> = all_events(&mut store).iter().map(|e| e.id).collect();
        store.set_status(&all, &Filter::default(), Status::Published, "maryam", at(30)).unwrap();
        assert_map_agrees(&mut store, "after publishing");
        let view = store.incident_map(&Filter::default().public(), world(), 5).unwrap();
        assert_eq!(view.incidents, 4, "the Zahedan pair is one incident");
        assert_eq!(view.points.len(), 4, "few incidents come one by one");
        assert!(view.points.windows(2).all(|w| w[0].stored.event.event_date >= w[1].stored.event.event_date));

        let m27 = event_of(&mut store, "m27.txt");
        let mut edited = store.event(m27).unwrap().unwrap().event;
        edited.fatalities = 5;
        store.edit_event(m27, &edited, "maryam", at(30)).unwrap();
        assert_map_agrees(&mut store, "after an edit");
        let view = store.incident_map(&Filter::default().public(), world(), 5).unwrap();
        assert_eq!(view.fatalities, store.incident_days(&Filter::default().public()).unwrap().iter().map(|d| d.fatalities).sum::<u64>());

        let ekbatan = event_of(&mut store, "ekbatan.txt");
        store.set_status(&[ekbatan], &Filter::default(), Status::Rejected, "maryam", at(30)).unwrap();
        assert_map_agrees(&mut store, "after a rejection");
        let narmak = event_of(&mut store, "narmak.txt");
        store.merge_events(m27, narmak, "maryam", at(30)).unwrap();
        assert_map_agrees(&mut store, "after a merge");
        store.set_status(&[m27], &Filter::default(), Status::Verified, "maryam", at(30)).unwrap();
        assert_map_agrees(&mut store, "after unpublishing");

        // The whole run rebuilds the summary: the same clusters.
        let before: Vec<_> = [4u8, 9, 14].iter().map(|&z| store.incident_map(&Filter::default().public(), world(), z).unwrap()).collect();
        store.corroborate(at(30)).unwrap();
        let after: Vec<_> = [4u8, 9, 14].iter().map(|&z| store.incident_map(&Filter::default().public(), world(), z).unwrap()).collect();
        for (b, a) in before.iter().zip(&after) {
            assert_eq!(b.incidents, a.incidents);
            assert_eq!(b.clusters.len(), a.clusters.len());
            for (cb, ca) in b.clusters.iter().zip(&a.clusters) {
                assert_eq!((cb.incidents, cb.fatalities, cb.bounds), (ca.incidents, ca.fatalities, ca.bounds));
                assert!((cb.lon - ca.lon).abs() < 1e-6 && (cb.lat - ca.lat).abs() < 1e-6);
            }
        }
    }

    fn a_map_view_counts_the_cells_it_touches_and_lists_the_incidents_in_its_bounds(db) {
        let mut store = db.open();
        ingest(
            &mut store,
            &mut RealCoder::new("a"),
            &[("narmak.txt", NARMAK), ("m27.txt", MAHABAD_27), ("en.txt", ZAHEDAN_EN)],
        );
        cluster(&mut store);
        let all: Vec<i64> = all_events(&mut store).iter().map(|e| e.id).collect();
        store.set_status(&all, &Filter::default(), Status::Published, "maryam", at(30)).unwrap();
        // Around Tehran only, zoomed in: one incident, no cluster elsewhere.
        let tehran = unrest_store::BBox::new(51.0, 35.4, 51.9, 36.0).unwrap();
        let view = store.incident_map(&Filter::default().public(), tehran, 10).unwrap();
        assert_eq!(view.incidents, 1, "{view:?}");
        assert_eq!(view.points.len(), 1);
        assert_eq!(view.points[0].stored.event.admin1, "Tehran");
        // A text search the summary cannot answer counts the matching incidents.
        let mahabad = Filter { search: Some("Mahabad".into()), ..Filter::default() }.public();
        let view = store.incident_map(&mahabad, world(), 5).unwrap();
        assert_eq!((view.incidents, view.points.len(), view.complete), (1, 1, true));
    }

    fn a_database_from_before_the_map_summary_gets_it_on_opening(db) {
        let mut old = db.open();
        ingest(&mut old, &mut RealCoder::new("a"), &[("en.txt", ZAHEDAN_EN), ("m27.txt", MAHABAD_27)]);
        old.corroborate(at(30)).unwrap();
        let all: Vec<i64> = all_events(&mut old).iter().map(|e| e.id).collect();
        old.set_status(&all, &Filter::default(), Status::Published, "maryam", at(30)).unwrap();
        // As at version 15: no summary (nor what came after it).
        old.execute_raw(
            "DROP TABLE incident_cells; DROP TABLE incident_search;
             DELETE FROM schema_migrations WHERE version >= 16",
        )
        .unwrap();
        drop(old);
        let mut store = db.open();
        let view = store.incident_map(&Filter::default().public(), world(), 6).unwrap();
        assert_eq!(view.incidents, 2);
    }
}
