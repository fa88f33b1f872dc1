//! The dataset's rules, each pinned by a test named after it, run on SQLite and PostgreSQL.

mod support;

use support::{all_events, at, event, ids, new_report, LineCoder};
use unrest_model::{EventWriter, Format, InterCodes, ACLED_COLUMNS, EXTRA_COLUMNS};
use unrest_store::{
    BBox, Dialect, Error, Filter, Ingested, Order, Page, Status, Store, SCHEMA_VERSION,
};

const SANANDAJ: &str = "Crowds gathered in Sanandaj; security forces fired tear gas.\n\
    @2022-10-26;Kurdistan;46.9988;35.3145;Protests;Protest with intervention;Tear gas fired at crowds in Sanandaj";
const TEHRAN: &str = "Students chanted at Sharif University.\n\
    @2022-10-02;Tehran;51.3510;35.7036;Protests;Peaceful protest;Students chanted slogans";
const ZAHEDAN: &str = "گزارش از زاهدان: نيروهاي امنيتي به سوي نمازگزاران شليک کردند\n\
    @2022-09-30;Sistan and Baluchestan;60.8629;29.4963;Protests;Excessive force against protesters;نیروهای امنیتی شلیک کردند";

fn ingest(store: &mut Store, coder: &mut LineCoder, texts: &[(&str, &str)]) -> Vec<Ingested> {
    let batch: Vec<_> = texts.iter().map(|(id, t)| new_report(id, t)).collect();
    store.ingest(&batch, coder).unwrap()
}

both! {
    fn the_same_wording_on_another_day_or_in_another_channel_is_another_report(db) {
        let mut store = db.open();
        let mut coder = LineCoder::new("v1");
        let daily = |day: &str, channel: &str| {
            let mut r = new_report("strike.txt", "Workers gathered again at the plant gate.");
            r.report.reference_date = Some(day.into());
            r.channel = channel.into();
            r
        };
        let done = store
            .ingest(
                &[
                    daily("2022-10-01", "telegram:a"),
                    daily("2022-10-02", "telegram:a"),
                    daily("2022-10-02", "telegram:b"),
                    daily("2022-10-02", "telegram:a"),
                ],
                &mut coder,
            )
            .unwrap();
        let new = |d: &Ingested| matches!(d, Ingested::New { .. });
        assert!(new(&done[0]) && new(&done[1]) && new(&done[2]), "{done:?}");
        assert!(
            matches!(done[3], Ingested::Duplicate { .. }),
            "the same bytes on the same day in the same channel stay one: {done:?}"
        );
        // Without a date of its own, a report's day is the day it was received.
        let mut undated = new_report("u.txt", "Shops closed in the bazaar.");
        undated.report.reference_date = None;
        let first = store.ingest(&[undated.clone()], &mut coder).unwrap();
        let again = store.ingest(&[undated.clone()], &mut coder).unwrap();
        undated.received_at = at(2);
        let next_day = store.ingest(&[undated], &mut coder).unwrap();
        assert!(matches!(first[0], Ingested::New { .. }));
        assert!(matches!(again[0], Ingested::Duplicate { .. }));
        assert!(matches!(next_day[0], Ingested::New { .. }));
    }

    fn migrations_from_empty_reach_the_latest_schema(db) {
        let mut store = db.open();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(store.counts().unwrap(), Default::default());
        drop(store);
        // Opening again finds nothing to do.
        assert_eq!(db.open().schema_version().unwrap(), SCHEMA_VERSION);
    }

    fn migration_from_the_previous_schema_keeps_and_indexes_the_data(db) {
        let mut old = Store::open_at_version(&db.url, 1).unwrap();
        assert_eq!(old.schema_version().unwrap(), 1);
        let bytes = match db.dialect {
            Dialect::Sqlite => "CAST('Tear gas in Sanandaj' AS BLOB)",
            Dialect::Postgres => "convert_to('Tear gas in Sanandaj', 'UTF8')",
        };
        old.execute_raw(&format!(
            "INSERT INTO reports (sha256, name, text, received_at, channel, coded_with)
             VALUES ('abc', 'old.txt', {bytes}, '2022-10-27T00:00:00Z', 'cli', 'v0');
             INSERT INTO events (report_id, event_id_cnty, event_date, year, time_precision,
                disorder_type, event_type, sub_event_type, actor1, assoc_actor_1, inter1, actor2,
                assoc_actor_2, inter2, interaction, civilian_targeting, iso, region, country,
                admin1, admin2, admin3, location, latitude, longitude, geo_precision, source,
                source_scale, notes, fatalities, tags, \"timestamp\", report, evidence, confidence)
             VALUES (1, '', '2022-10-26', 2022, 1, 'Demonstrations', 'Protests', 'Peaceful protest',
                'Protesters (Iran)', '', 'Protesters', '', '', '', 'Protesters only', '', 364,
                'Middle East', 'Iran', 'Kurdistan', '', '', 'Sanandaj', 35.3145, 46.9988, 1, '',
                '', 'Women chanted in the bazaar', 0, '', 0, 'old.txt', '[]', 0.5);"
        ))
        .unwrap();
        drop(old);

        let mut store = db.open();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let found = |store: &mut Store, q: &str| {
            ids(store, &Filter { search: Some(q.into()), ..Default::default() }, &Page::default())
        };
        assert_eq!(found(&mut store, "tear gas"), vec![1], "report text indexed by the migration");
        assert_eq!(found(&mut store, "bazaar"), vec![1], "event notes indexed by the migration");
        assert_eq!(store.event(1).unwrap().unwrap().event.event_id_cnty, "IRN-U1");
    }

    fn a_newer_schema_is_refused_with_a_clear_message(db) {
        db.open()
            .execute_raw("INSERT INTO schema_migrations (version, why, applied_at) VALUES (99, 'future', 'x')")
            .unwrap();
        let err = Store::open(&db.url).err().expect("refused");
        assert_eq!(
            err.to_string(),
            format!("database schema version 99 is newer than this unrest ({SCHEMA_VERSION}); upgrade unrest")
        );
    }

    fn a_batch_written_many_rows_a_statement_stores_what_one_report_a_batch_stores(db) {
        // One store takes 1,200 reports in one call (its reports, events, audit entries and
        // search rows go many rows a statement, across statement boundaries); the other one
        // report a call. Among them: copies within the batch, a report stored earlier but
        // not coded, and a graded channel. Both must hold the same rows, ids and audit log
        // (hash for hash), and corroborate alike.
        let other = match db.dialect {
            Dialect::Sqlite => support::TestDb::sqlite(),
            Dialect::Postgres => support::TestDb::postgres(),
        };
        let reports: Vec<_> = (0..1200)
            .map(|i| {
                let text = if i % 7 == 3 {
                    "Shops closed in the bazaar; no clashes.".to_string()
                } else {
                    format!(
                        "Report {i}: crowds gathered near square {}.\n\
                         @2022-10-{:02};Kurdistan;46.99;35.31;Protests;Peaceful protest;Crowd {i} in Sanandaj\n\
                         @2022-10-{:02};Tehran;51.35;35.70;Riots;Violent demonstration;Fires {i} in Tehran",
                        i % 13,
                        1 + i % 28,
                        1 + i % 27
                    )
                };
                let mut r = new_report(&format!("r{i}.txt"), &text);
                r.channel = if i % 2 == 0 { "telegram:graded" } else { "cli" }.into();
                r
            })
            .collect();
        let mut stores = [db.open(), other.open()];
        let mut outcomes = Vec::new();
        for (k, store) in stores.iter_mut().enumerate() {
            store
                .grade_channel("telegram:graded", unrest_corroborate::Reliability::B, "maryam", at(1))
                .unwrap();
            assert_eq!(store.store_reports(&reports[5..6]).unwrap(), vec![(1, true)]);
            let mut coder = LineCoder::new("v1");
            let done = if k == 0 {
                store.ingest(&reports, &mut coder).unwrap()
            } else {
                let mut done = Vec::new();
                for r in &reports {
                    done.extend(store.ingest(std::slice::from_ref(r), &mut coder).unwrap());
                }
                done
            };
            outcomes.push(done);
        }
        // The report stored before is coded, not stored again; the copies of the quiet day
        // are one report.
        assert!(matches!(outcomes[1][5], Ingested::Coded { report_id: 1, events: 2 }), "{:?}", outcomes[1][5]);
        assert!(matches!(outcomes[1][3], Ingested::New { events: 0, .. }));
        assert!(matches!(outcomes[1][17], Ingested::Duplicate { .. }), "the copy of report 3");
        assert_eq!(outcomes[0], outcomes[1], "the same outcome for each report");
        let [a, b] = &mut stores;
        let events = |s: &mut Store| format!("{:?}", all_events(s));
        assert_eq!(events(a), events(b));
        assert_eq!(a.counts().unwrap(), b.counts().unwrap());
        assert_eq!(a.counts().unwrap().events, 2 * (1200 - 171), "two a report but the quiet ones");
        let log = |s: &mut Store| {
            let mut all = Vec::new();
            s.audit_entries::<Error>(|e| {
                all.push(e);
                Ok(())
            })
            .unwrap();
            all
        };
        // The first entry (`begin`) carries the database's clock, so the hashes differ;
        // every entry's content after it is the same.
        let content = |log: Vec<unrest_store::AuditEntry>| -> Vec<_> {
            log.into_iter()
                .skip(1)
                .map(|e| (e.seq, e.at, e.actor, e.action, e.kind, e.object, e.change))
                .collect()
        };
        let (log_a, log_b) = (content(log(a)), content(log(b)));
        assert_eq!(log_a.len(), 1 + 2 * 1031, "grade, then receive and code per report");
        assert_eq!(log_a, log_b, "the same audit entries in the same order");
        assert!(a.audit_verify(None).unwrap().is_intact());
        let search = |s: &mut Store, q: &str| {
            ids(s, &Filter { search: Some(q.into()), ..Default::default() }, &Page::default())
        };
        for q in ["crowd 1199", "square 12", "fires 7 in tehran"] {
            assert_eq!(search(a, q), search(b, q), "{q}");
            assert!(!search(a, q).is_empty(), "{q}");
        }
        let run_a = a.corroborate(at(3)).unwrap();
        let run_b = b.corroborate(at(3)).unwrap();
        assert_eq!(run_a, run_b);
    }

    fn ingest_is_idempotent(db) {
        let mut store = db.open();
        let mut coder = LineCoder::new("v1");
        let first = ingest(&mut store, &mut coder, &[("a.txt", SANANDAJ), ("again.txt", SANANDAJ)]);
        assert!(matches!(first[0], Ingested::New { events: 1, .. }));
        assert!(matches!(first[1], Ingested::Duplicate { .. }), "a duplicate within one batch");
        let second = ingest(&mut store, &mut coder, &[("a.txt", SANANDAJ), ("t.txt", TEHRAN)]);
        assert!(matches!(second[0], Ingested::Duplicate { .. }));
        assert!(matches!(second[1], Ingested::New { .. }));
        let c = store.counts().unwrap();
        assert_eq!((c.reports, c.events, c.uncoded_reports), (2, 2, 0));
    }

    fn reports_keep_their_exact_bytes_and_provenance(db) {
        let mut store = db.open();
        let text = "\u{feff}گزارش از كرمانشاه ۲۲ اکتبر\r\n  tear\u{200c}gas \0 end  \n";
        let mut r = new_report("inbox.jsonl:7", text);
        r.report.lang = Some("fa".into());
        r.channel = "web".into();
        r.received_at = at(3);
        let done = store.ingest(&[r], &mut LineCoder::new("v1")).unwrap();
        let Ingested::New { report_id, .. } = done[0] else { panic!("{done:?}") };
        let stored = store.report(report_id).unwrap().unwrap();
        assert_eq!(stored.report.text.as_bytes(), text.as_bytes());
        assert_eq!(stored.sha256, unrest_store::sha256_hex(text.as_bytes()));
        assert_eq!(stored.sha256.len(), 64);
        assert_eq!(stored.report.id, "inbox.jsonl:7");
        assert_eq!(stored.report.reference_date.as_deref(), Some("2022-10-30"));
        assert_eq!(stored.report.lang.as_deref(), Some("fa"));
        assert_eq!(stored.channel, "web");
        assert_eq!(stored.received_at, "2022-11-03T12:00:00Z");
        assert_eq!(stored.coded_with.as_deref(), Some("v1"));
        assert_eq!(store.find_report(&stored.sha256).unwrap(), Some(report_id));
    }

    fn events_keep_every_field_and_their_evidence(db) {
        let mut store = db.open();
        let mut e = event("2022-10-26", "Kurdistan", 46.9988, 35.3145, "Protests", "Peaceful protest");
        e.injuries = Some(0);
        e.arrests = None;
        e.fatalities = 2;
        e.timestamp = 1_666_800_000;
        e.evidence = vec![unrest_model::Evidence::cut("location", SANANDAJ, 19, 27).unwrap()];
        e.tags = "crowd size=hundreds".into();
        e.event_id_cnty = "IRN12345".into();
        store.import_events(std::slice::from_ref(&e), Status::Verified, "maryam", at(2)).unwrap();
        let stored = all_events(&mut store).remove(0);
        assert_eq!(stored.event, e);
        assert_eq!(stored.status, Status::Verified);
        assert_eq!(stored.report_id, None);
        assert_eq!(stored.updated_by.as_deref(), Some("maryam"));
    }

    fn a_very_long_report_is_stored_whole_and_searchable_at_its_start(db) {
        let mut store = db.open();
        let mut text = String::from("Tear gas in Sanandaj. ");
        while text.len() < 2 * 1024 * 1024 {
            text.push_str("word");
            text.push_str(&text.len().to_string());
            text.push_str(" گزارش ");
        }
        let done = store.ingest(&[new_report("long.txt", &text)], &mut LineCoder::new("v1")).unwrap();
        let Ingested::New { report_id, .. } = done[0] else { panic!("{done:?}") };
        assert_eq!(store.report(report_id).unwrap().unwrap().report.text, text);
        store.import_events(&[event("2022-10-26", "Kurdistan", 46.9, 35.3, "Protests", "")], Status::Coded, "t", at(1)).unwrap();
        let mut e = all_events(&mut store).remove(0);
        e.event.notes = text.clone();
        store.edit_event(e.id, &e.event, "t", at(2)).unwrap();
        let f = Filter { search: Some("tear gas".into()), ..Default::default() };
        assert_eq!(ids(&mut store, &f, &Page::default()), vec![e.id]);
    }

    fn stored_but_uncoded_reports_are_coded_on_the_next_run(db) {
        let mut store = db.open();
        let stored = store.store_reports(&[new_report("a", SANANDAJ), new_report("t", TEHRAN)]).unwrap();
        assert!(stored.iter().all(|(_, new)| *new));
        assert_eq!(store.counts().unwrap().uncoded_reports, 2);
        let mut coder = LineCoder::new("v1");
        assert_eq!(store.code_pending(&mut coder, false, 1).unwrap(), (1, 1));
        // An ingest of a stored, uncoded report codes it rather than skipping it.
        let again = ingest(&mut store, &mut coder, &[("t", TEHRAN)]);
        assert!(matches!(again[0], Ingested::Coded { events: 1, .. }), "{again:?}");
        assert_eq!(store.code_pending(&mut coder, false, 10).unwrap(), (0, 0));
        assert_eq!(store.counts().unwrap().events, 2);
    }

    fn analyst_edited_events_survive_recoding(db) {
        let mut store = db.open();
        let text = format!("{SANANDAJ}\n@2022-10-27;Kurdistan;46.99;35.31;Protests;Peaceful protest;second\n\
            @2022-10-28;Kurdistan;46.99;35.31;Protests;Peaceful protest;third");
        ingest(&mut store, &mut LineCoder::new("v1"), &[("a", &text)]);
        let before = all_events(&mut store);
        assert_eq!(before.len(), 3);
        let mut edited = before[0].event.clone();
        edited.fatalities = 1;
        edited.notes = "checked with a second witness".into();
        assert!(store.edit_event(before[0].id, &edited, "maryam", at(4)).unwrap());
        store.set_status(&[before[1].id], &Filter::default(), Status::Verified, "reza", at(4)).unwrap();

        let mut v2 = LineCoder::new("v2");
        v2.mark = " (v2)".into();
        assert_eq!(store.code_pending(&mut v2, false, 10).unwrap(), (0, 0), "all coded already");
        assert_eq!(store.code_pending(&mut v2, true, 10).unwrap(), (1, 3));

        let after = all_events(&mut store);
        let kept_edit = after.iter().find(|e| e.id == before[0].id).expect("edited event kept");
        assert!(kept_edit.edited);
        assert_eq!(kept_edit.event.notes, "checked with a second witness");
        assert_eq!(kept_edit.updated_by.as_deref(), Some("maryam"));
        assert!(after.iter().any(|e| e.id == before[1].id && e.status == Status::Verified));
        assert!(!after.iter().any(|e| e.id == before[2].id), "a plain coded event is replaced");
        assert_eq!(after.iter().filter(|e| e.event.notes.ends_with("(v2)")).count(), 3);
        assert_eq!(store.report(before[0].report_id.unwrap()).unwrap().unwrap().coded_with.as_deref(), Some("v2"));
    }

    fn a_province_filter_finds_it_by_acleds_spelling_and_ours(db) {
        let mut store = db.open();
        ingest(&mut store, &mut LineCoder::new("v1"), &[("a", SANANDAJ), ("t", TEHRAN), ("z", ZAHEDAN)]);
        let all = all_events(&mut store);
        let kurd = all.iter().find(|e| e.event.admin1 == "Kurdistan").unwrap().id;
        for spelling in ["Kurdistan", "Kordestan", "KORDESTAN", " kurdistan ", "کردستان", "Kordestān"] {
            let f = Filter { admin1: Some(spelling.into()), ..Default::default() };
            assert_eq!(ids(&mut store, &f, &Page::default()), vec![kurd], "{spelling}");
        }
        let f = Filter { admin1: Some("Sistan and Baluchistan".into()), ..Default::default() };
        assert_eq!(ids(&mut store, &f, &Page::default()).len(), 1);
        let f = Filter { admin1: Some("Kord".into()), ..Default::default() };
        assert!(ids(&mut store, &f, &Page::default()).is_empty(), "a spelling, not a prefix");
    }

    fn a_province_filter_finds_rows_written_under_any_of_its_spellings(db) {
        // ACLED's own Iran rows carry both "West Azarbaijan" and, once, "West Azerbaijan"; a
        // dataset coded before unrest wrote ACLED's names has "West Azerbaijan" throughout.
        let mut store = db.open();
        let rows = [
            ("acled", "@2018-01-02;West Azarbaijan;45.07;37.55;Protests;Peaceful protest;a"),
            ("acled-odd", "@2018-01-03;West Azerbaijan;45.07;37.55;Protests;Peaceful protest;b"),
            ("ours", "@2018-01-04;West Azerbaijan;45.07;37.55;Protests;Peaceful protest;c"),
            ("t", "@2018-01-05;Tehran;51.35;35.70;Protests;Peaceful protest;d"),
        ];
        let rows: Vec<(&str, String)> = rows.iter().map(|(id, line)| (*id, format!("Protest.\n{line}"))).collect();
        let rows: Vec<(&str, &str)> = rows.iter().map(|(id, text)| (*id, text.as_str())).collect();
        ingest(&mut store, &mut LineCoder::new("v1"), &rows);
        for spelling in ["West Azarbaijan", "West Azerbaijan", "آذربایجان غربی", "Āz̄ārbāyjān-e Gharbī", "west azerbaijan province"] {
            let f = Filter { admin1: Some(spelling.into()), ..Default::default() };
            assert_eq!(ids(&mut store, &f, &Page::default()).len(), 3, "{spelling}");
        }
    }

    fn filters_select_by_date_province_type_status_and_bbox(db) {
        let mut store = db.open();
        ingest(&mut store, &mut LineCoder::new("v1"), &[("a", SANANDAJ), ("t", TEHRAN), ("z", ZAHEDAN)]);
        let all = all_events(&mut store);
        let id_of = |admin1: &str| all.iter().find(|e| e.event.admin1 == admin1).unwrap().id;
        let (kurd, teh, sis) = (id_of("Kurdistan"), id_of("Tehran"), id_of("Sistan and Baluchestan"));
        assert_eq!(all.iter().map(|e| e.id).collect::<Vec<_>>(), vec![sis, teh, kurd], "ordered by date");

        let q = |store: &mut Store, f: Filter| ids(store, &f, &Page::default());
        let date = |s: &str| Some(s.parse().unwrap());
        assert_eq!(q(&mut store, Filter { from: date("2022-10-01"), to: date("2022-10-31"), ..Default::default() }), vec![teh, kurd]);
        assert_eq!(q(&mut store, Filter { to: date("2022-10-02"), ..Default::default() }), vec![sis, teh], "--to is inclusive");
        assert_eq!(q(&mut store, Filter { admin1: Some("kurdistan".into()), ..Default::default() }), vec![kurd]);
        assert_eq!(q(&mut store, Filter { event_type: Some("Protests".into()), ..Default::default() }), vec![sis, teh, kurd]);
        assert_eq!(q(&mut store, Filter { event_type: Some("peaceful protest".into()), ..Default::default() }), vec![teh]);
        let bbox: BBox = "44,34,48,37".parse().unwrap();
        assert_eq!(q(&mut store, Filter { bbox: Some(bbox), ..Default::default() }), vec![kurd]);
        store.set_status(&[teh], &Filter::default(), Status::Published, "maryam", at(5)).unwrap();
        assert_eq!(q(&mut store, Filter { status: vec![Status::Published, Status::Verified], ..Default::default() }), vec![teh]);
        assert_eq!(q(&mut store, Filter { status: vec![Status::Coded], ..Default::default() }), vec![sis, kurd]);
    }

    fn pages_by_limit_offset_and_keyset(db) {
        let mut store = db.open();
        ingest(&mut store, &mut LineCoder::new("v1"), &[("a", SANANDAJ), ("t", TEHRAN), ("z", ZAHEDAN)]);
        let all = ids(&mut store, &Filter::default(), &Page::default());
        let page = |store: &mut Store, p: Page| ids(store, &Filter::default(), &p);
        assert_eq!(page(&mut store, Page { limit: Some(2), ..Default::default() }), all[..2]);
        assert_eq!(page(&mut store, Page { limit: Some(2), offset: 2, ..Default::default() }), all[2..]);
        assert_eq!(page(&mut store, Page { offset: 1, ..Default::default() }), all[1..]);
        assert_eq!(page(&mut store, Page { after: Some(all[0]), limit: Some(1), ..Default::default() }), all[1..2]);
        // Export order: as added, and keyset pages in that order too.
        let mut by_id = all.clone();
        by_id.sort();
        let export = |after| Page { order: Order::Id, after, ..Default::default() };
        assert_eq!(page(&mut store, export(None)), by_id);
        assert_eq!(page(&mut store, export(Some(by_id[0]))), by_id[1..]);
        let err = store
            .events::<Error>(&Filter::default(), &Page { after: Some(999), ..Default::default() }, |_| Ok(()))
            .unwrap_err();
        assert_eq!(err.to_string(), "no event with id 999 to page after");
    }

    fn search_finds_english_and_persian_whatever_the_keyboard(db) {
        let mut store = db.open();
        ingest(&mut store, &mut LineCoder::new("v1"), &[("a", SANANDAJ), ("t", TEHRAN), ("z", ZAHEDAN)]);
        let all = all_events(&mut store);
        let id_of = |admin1: &str| all.iter().find(|e| e.event.admin1 == admin1).unwrap().id;
        let find = |store: &mut Store, q: &str| {
            ids(store, &Filter { search: Some(q.into()), ..Default::default() }, &Page::default())
        };
        assert_eq!(find(&mut store, "tear gas"), vec![id_of("Kurdistan")]);
        assert_eq!(find(&mut store, "TEAR GAS"), vec![id_of("Kurdistan")], "case folded");
        assert_eq!(find(&mut store, "gas tear"), Vec::<i64>::new(), "words as a phrase");
        assert_eq!(find(&mut store, "slogans"), vec![id_of("Tehran")], "event notes searched");
        // The report was typed with Arabic yeh (ي); the query with Persian yeh (ی), and back.
        assert_eq!(find(&mut store, "نیروهای امنیتی"), vec![id_of("Sistan and Baluchestan")]);
        assert_eq!(find(&mut store, "نيروهاي"), vec![id_of("Sistan and Baluchestan")]);
        assert_eq!(find(&mut store, "زاهدان"), vec![id_of("Sistan and Baluchestan")]);
        let err = store
            .events::<Error>(&Filter { search: Some(" ,. ".into()), ..Default::default() }, &Page::default(), |_| Ok(()))
            .unwrap_err();
        assert!(err.to_string().contains("no words to look for"), "{err}");
    }

    fn search_indexes_words_only_so_both_backends_find_the_same_rows(db) {
        // PostgreSQL's parser kept "news.example" and "3.5" as one token each where FTS5 cut
        // them in two; both are now given words and spaces only. Same expected rows on both.
        const EN: &str = "A video posted on news.example shows the crowd; gas was fired 3.5 km away.\n\
            @2022-10-26;Tehran;51.35;35.70;Protests;Protest with intervention;Gas fired 3.5 km from Azadi sq.";
        // Arabic kaf and yeh (ك ي), Persian digits with the Persian decimal mark, a ZWNJ.
        const FA: &str = "در سنندج گاز اشک‌آور شليك شد، ۳٫۵ كيلومتر دورتر\n\
            @2022-10-27;Kurdistan;46.99;35.31;Protests;Protest with intervention;گاز اشک‌آور در ۳٫۵ کیلومتری";
        let mut store = db.open();
        ingest(&mut store, &mut LineCoder::new("v1"), &[("en", EN), ("fa", FA)]);
        let all = all_events(&mut store);
        let (en, fa) = (all.iter().find(|e| e.event.admin1 == "Tehran").unwrap().id, all.iter().find(|e| e.event.admin1 == "Kurdistan").unwrap().id);
        store.set_status(&[en, fa], &Filter::default(), Status::Published, "maryam", at(5)).unwrap();
        let find = |store: &mut Store, q: &str, public: bool| {
            let mut found = ids(store, &Filter { search: Some(q.into()), public, ..Default::default() }, &Page::default());
            found.sort();
            found
        };
        let none = Vec::<i64>::new();
        for (q, analysts, public) in [
            ("news", vec![en], none.clone()),
            ("news.example", vec![en], none.clone()),
            ("example", vec![en], none.clone()),
            ("3", vec![en, fa], vec![en, fa]),
            ("3.5", vec![en, fa], vec![en, fa]),
            ("3 5", vec![en, fa], vec![en, fa]),
            ("۳٫۵", vec![en, fa], vec![en, fa]),
            ("3.5 km", vec![en], vec![en]),
            ("sq", vec![en], vec![en]),
            ("Azadi sq.", vec![en], vec![en]),
            ("اشک‌آور", vec![fa], vec![fa]),
            ("اشک آور", vec![fa], vec![fa]),
            ("اشك", vec![fa], vec![fa]),
            ("شلیک شد", vec![fa], none.clone()),
            ("كیلومتر", vec![fa], none.clone()),
            ("کیلومتری", vec![fa], vec![fa]),
        ] {
            assert_eq!(find(&mut store, q, false), analysts, "{q:?} for analysts");
            assert_eq!(find(&mut store, q, true), public, "{q:?} in public");
        }
    }

    fn search_indexes_the_same_first_words_of_a_very_long_text_on_both_backends(db) {
        // PostgreSQL gives every word after the 16,383rd the same position, so a phrase there
        // is not found; FTS5 would find it. Both index the first 16,383 words only.
        let mut store = db.open();
        let mut text = String::from("Tear gas in Sanandaj. ");
        for i in 1..=17_000 {
            text.push_str(if i == 16_370 { "early phrase " } else if i == 16_500 { "late phrase " } else { "w " });
        }
        text.push_str("\n@2022-10-26;Kurdistan;46.99;35.31;Protests;Peaceful protest;A long account");
        ingest(&mut store, &mut LineCoder::new("v1"), &[("long", &text)]);
        let f = |q: &str| Filter { search: Some(q.into()), ..Default::default() };
        assert_eq!(ids(&mut store, &f("early phrase"), &Page::default()).len(), 1);
        assert_eq!(ids(&mut store, &f("late phrase"), &Page::default()).len(), 0);
        assert_eq!(ids(&mut store, &f("late"), &Page::default()).len(), 0);
    }

    fn migration_15_reindexes_search_as_words_only(db) {
        let mut store = db.open();
        ingest(&mut store, &mut LineCoder::new("v1"), &[("en", "Posted on news.example today.\n@2022-10-26;Tehran;51.35;35.70;Protests;Peaceful protest;Crowds at 3.5 km")]);
        // As a database indexed before migration 15 held it: the old folding kept punctuation.
        store
            .execute_raw(
                "DELETE FROM report_search; DELETE FROM event_search;
                 INSERT INTO report_search (rowid, folded) VALUES (1, 'posted on news.example today.');
                 INSERT INTO event_search (rowid, folded) VALUES (1, 'crowds at 3.5 km');
                 DELETE FROM schema_migrations WHERE version = 15;",
            )
            .unwrap();
        let all = all_events(&mut store);
        store.set_status(&[all[0].id], &Filter::default(), Status::Published, "maryam", at(5)).unwrap();
        // And before migrations 16 and 17, so that 15 is the next to run.
        store
            .execute_raw(
                "DROP TABLE incident_cells; DROP TABLE incident_search;
                 DELETE FROM schema_migrations WHERE version >= 16;",
            )
            .unwrap();
        drop(store);
        let mut store = db.open();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let f = |q: &str, public: bool| Filter { search: Some(q.into()), public, ..Default::default() };
        assert_eq!(ids(&mut store, &f("news", false), &Page::default()).len(), 1);
        assert_eq!(ids(&mut store, &f("3", true), &Page::default()).len(), 1);
    }

    fn a_common_phrase_is_found_the_same_way_as_a_rare_one(db) {
        // Over 2,000 matches: the other filters lead and each candidate is checked (both backends).
        let mut store = db.open();
        let events: Vec<_> = (0..2100)
            .map(|i| {
                let mut e = event("2022-10-26", if i % 2 == 0 { "Tehran" } else { "Fars" }, 51.4, 35.7, "Protests", "");
                e.notes = format!("Police fired tear gas, event {i}");
                e
            })
            .collect();
        store.import_events(&events, Status::Coded, "t", at(1)).unwrap();
        ingest(&mut store, &mut LineCoder::new("v1"), &[("a", SANANDAJ)]);
        let f = Filter { search: Some("tear gas".into()), admin1: Some("fars".into()), ..Default::default() };
        let p = Page { limit: Some(10), ..Default::default() };
        assert_eq!(ids(&mut store, &f, &p).len(), 10);
        assert_eq!(ids(&mut store, &f, &Page::default()).len(), 1050);
        let f = Filter { search: Some("tear gas".into()), admin1: Some("kurdistan".into()), ..Default::default() };
        assert_eq!(ids(&mut store, &f, &Page::default()).len(), 1, "found through its report");
        let f = Filter { search: Some("event 17".into()), ..Default::default() };
        assert_eq!(ids(&mut store, &f, &Page::default()).len(), 1);
        let rejected = store
            .set_status(&[], &Filter { search: Some("tear gas".into()), ..Default::default() }, Status::Rejected, "t", at(2))
            .unwrap();
        assert_eq!(rejected.changed, 2101);
    }

    fn status_changes_record_who_and_when_by_ids_or_filters(db) {
        let mut store = db.open();
        ingest(&mut store, &mut LineCoder::new("v1"), &[("a", SANANDAJ), ("t", TEHRAN), ("z", ZAHEDAN)]);
        let all = all_events(&mut store);
        let change = store
            .set_status(&[all[0].id, 999], &Filter::default(), Status::Verified, "reza", at(6))
            .unwrap();
        assert_eq!(change.changed, 1);
        assert_eq!(change.missing, vec![999]);
        let by_filter = Filter { admin1: Some("Tehran".into()), ..Default::default() };
        assert_eq!(store.set_status(&[], &by_filter, Status::Published, "maryam", at(7)).unwrap().changed, 1);
        let teh = all.iter().find(|e| e.event.admin1 == "Tehran").unwrap().id;
        let e = store.event(teh).unwrap().unwrap();
        assert_eq!((e.status, e.updated_by.as_deref(), e.updated_at.as_deref()),
            (Status::Published, Some("maryam"), Some("2022-11-07T12:00:00Z")));
        // Ids and filters together: only the ids that match.
        let kurd = Filter { admin1: Some("Kurdistan".into()), ..Default::default() };
        assert_eq!(store.set_status(&[teh], &kurd, Status::Rejected, "maryam", at(7)).unwrap().changed, 0);

        let err = store.set_status(&[], &Filter::default(), Status::Published, "maryam", at(7)).unwrap_err();
        assert_eq!(err.to_string(), "name the events: give event ids or at least one filter");
        let err = store.set_status(&[teh], &Filter::default(), Status::Published, " ", at(7)).unwrap_err();
        assert!(err.to_string().contains("--as NAME"));
    }

    fn export_csv_header_equals_acleds_then_ours(db) {
        let mut store = db.open();
        ingest(&mut store, &mut LineCoder::new("v1"), &[("a", SANANDAJ), ("z", ZAHEDAN)]);
        let mut w = EventWriter::new(Format::Csv, Vec::new()).unwrap();
        store.events::<Error>(&Filter::default(), &Page::default(), |e| {
            w.write(&e.event).map_err(|e| Error::Invalid(e.to_string()))
        }).unwrap();
        let out = w.finish().unwrap();
        let mut csv = csv::Reader::from_reader(out.as_slice());
        let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header[..31], ACLED_COLUMNS.map(String::from));
        assert_eq!(header[31..], EXTRA_COLUMNS.map(String::from));
        // What we export reads back as ACLED.
        let back: Vec<_> = unrest_store::acled::read(out.as_slice()).unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(back.len(), 2);
        assert!(back[0].event_id_cnty.starts_with("IRN-U"));
        assert_eq!(back[0].notes, "نیروهای امنیتی شلیک کردند");
    }

    fn export_geojson_parses_as_a_feature_collection(db) {
        let mut store = db.open();
        ingest(&mut store, &mut LineCoder::new("v1"), &[("a", SANANDAJ), ("t", TEHRAN)]);
        let mut w = EventWriter::new(Format::GeoJson, Vec::new()).unwrap();
        store.events::<Error>(&Filter::default(), &Page::default(), |e| {
            w.write(&e.event).map_err(|e| Error::Invalid(e.to_string()))
        }).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&w.finish().unwrap()).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        let features = v["features"].as_array().unwrap();
        assert_eq!(features.len(), 2);
        for f in features {
            assert_eq!(f["type"], "Feature");
            assert_eq!(f["geometry"]["type"], "Point");
            assert_eq!(f["geometry"]["coordinates"].as_array().unwrap().len(), 2);
        }
        assert_eq!(features[1]["geometry"]["coordinates"][0], 46.9988);
    }

    fn import_reads_the_current_acled_header_and_reports_bad_lines(db) {
        let file = "\u{feff}event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp,extra_col\n\
IRN1001,2022-10-26,2022,1,Demonstrations,Protests,Protest with intervention,Protesters (Iran),,Protesters,Police Forces of Iran (1989-),,State forces,State forces-Protesters,,364,Middle East,Iran,Kurdistan,Sanandaj,,Sanandaj,35.3145,46.9988,1,Kurdpa,National,\"On 26 October 2022, protesters gathered; police fired tear gas.\",0,,1667250000,x\n\
IRN1002,not a date,2022,1,Demonstrations,Protests,Peaceful protest,Protesters (Iran),,Protesters,,,,Protesters only,,364,Middle East,Iran,Tehran,,,Tehran,35.6892,51.3890,1,,,,0,,0,x\n\
IRN1003,2022-10-02,2022,1,Demonstrations,Protests,Peaceful protest,Protesters (Iran),,Protesters,,,,Protesters only,,364,Middle East,Iran,Tehran,,,Tehran,35.6892,51.3890,1,,,Students chanted.,0,,0\n";
        let rows: Vec<_> = unrest_store::acled::read(file.as_bytes()).unwrap().collect();
        assert_eq!(rows.len(), 3);
        let bad = rows[1].as_ref().unwrap_err();
        assert_eq!(bad.to_string(), "line 3: event_date \"not a date\" is not a date (expected 2020-05-09, 09 May 2020 or 9-May-20)");
        let good: Vec<_> = rows.into_iter().filter_map(Result::ok).collect();
        let first = &good[0];
        assert_eq!((first.inter1.as_str(), first.inter2.as_str()), ("Protesters", "State forces"));
        assert_eq!(first.admin2, "Sanandaj");

        let mut store = db.open();
        let done = store.import_events(&good, Status::Published, "import-acled", at(8)).unwrap();
        assert_eq!((done.inserted, done.duplicates), (2, 0));
        let again = store.import_events(&good, Status::Published, "import-acled", at(8)).unwrap();
        assert_eq!((again.inserted, again.duplicates), (0, 2), "importing twice adds nothing");
        let found = ids(&mut store, &Filter { search: Some("tear gas".into()), ..Default::default() }, &Page::default());
        assert_eq!(found.len(), 1);
        assert_eq!(store.event(found[0]).unwrap().unwrap().event.event_id_cnty, "IRN1001");
    }

    fn acled_rows_round_trip_through_import_and_export_in_every_acled_column(db) {
        let file = include_str!("fixtures/acled-iran-2020.csv");
        let original: Vec<_> = unrest_store::acled::read(file.as_bytes()).unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(original.len(), 4);
        assert_eq!((original[0].event_date.as_str(), original[0].year), ("2020-05-09", 2020));
        let mut store = db.open();
        store.import_events(&original, Status::Coded, "import-acled", at(8)).unwrap();
        let mut w = EventWriter::new(Format::Csv, Vec::new()).unwrap();
        store.events::<Error>(&Filter::default(), &Page { order: Order::Id, ..Page::default() }, |e| {
            w.write(&e.event).map_err(|e| Error::Invalid(e.to_string()))
        }).unwrap();
        let out = w.finish().unwrap();
        let back: Vec<_> = unrest_store::acled::read(out.as_slice()).unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(back.len(), original.len(), "nothing dropped");
        for (a, b) in original.iter().zip(&back) {
            let (a, b) = (a.csv_record(), b.csv_record());
            for (i, column) in ACLED_COLUMNS.iter().enumerate() {
                assert_eq!(a[i], b[i], "{column}");
            }
        }
    }

    fn numeric_acled_rows_round_trip_with_their_inter_codes_as_acled_wrote_them(db) {
        let file = include_str!("fixtures/acled-iran-2019-numeric.csv");
        let original: Vec<_> = unrest_store::acled::read(file.as_bytes()).unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(original.len(), 4);
        assert_eq!(original[0].interaction, "State forces-Protesters", "read as text");
        let mut store = db.open();
        store.import_events(&original, Status::Coded, "import-acled", at(8)).unwrap();
        let export = |store: &mut Store, inter_codes| {
            let mut w = EventWriter::new(Format::Csv, Vec::new()).unwrap().with_inter_codes(inter_codes);
            store.events::<Error>(&Filter::default(), &Page { order: Order::Id, ..Page::default() }, |e| {
                w.write(&e.event).map_err(|e| Error::Invalid(e.to_string()))
            }).unwrap();
            w.finish().unwrap()
        };
        let column = |csv: &[u8], name: &str| -> Vec<String> {
            let mut r = csv::Reader::from_reader(csv);
            let i = r.headers().unwrap().iter().position(|h| h == name).unwrap();
            r.records().map(|r| r.unwrap()[i].to_string()).collect()
        };
        let numbers = export(&mut store, InterCodes::Numbers);
        for name in ["inter1", "inter2", "interaction"] {
            assert_eq!(column(&numbers, name), column(file.as_bytes(), name), "{name} as ACLED wrote it");
        }
        let text = export(&mut store, InterCodes::Text);
        assert_eq!(column(&text, "interaction")[1], "Rioters only", "text on request");
        for out in [numbers, text] {
            let back: Vec<_> = unrest_store::acled::read(out.as_slice()).unwrap().collect::<Result<_, _>>().unwrap();
            assert_eq!(back.len(), original.len(), "nothing dropped");
            for (a, b) in original.iter().zip(&back) {
                let (a, b) = (a.csv_record(), b.csv_record());
                for (i, column) in ACLED_COLUMNS.iter().enumerate() {
                    assert_eq!(a[i], b[i], "{column}");
                }
            }
        }
        for name in ["event_id_cnty", "admin1", "notes", "timestamp", "latitude"] {
            assert_eq!(column(&export(&mut store, InterCodes::Numbers), name), column(file.as_bytes(), name), "{name} as imported");
        }
    }

    fn import_reads_the_older_numeric_acled_header(db) {
        let file = "data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,timestamp,iso3\n\
9001,364,IRN2001,2001,16 September 2022,2022,1,Protests,Excessive force against protesters,Protesters (Iran),,6,Police Forces of Iran (1989-),,1,16,Middle East,Iran,Kurdistan,Saqqez,,Saqqez,36.2499,46.2735,1,Hengaw,Local partner,Mourners were shot at.,1,1663500000,IRN\n\
9002,364,IRN2002,2002,17-September-2022,2022,1,Riots,Violent demonstration,Rioters (Iran),,5,,,0,50,Middle East,Iran,Tehran,,,Tehran,35.6892,51.3890,1,,,Fires set.,0,1663500000,IRN\n\
9003,364,IRN2003,2003,2022-09-18,2022,1,Protests,Peaceful protest,Protesters (Iran),,9,,,0,90,Middle East,Iran,Tehran,,,Tehran,35.6892,51.3890,1,,,Bad code.,0,1663500000,IRN\n\
9004,364,IRN2004,2004,2022-09-18,2022,1,Protests,Peaceful protest,Protesters (Iran),,6,,,0,60,Middle East,Iran,Tehran,,,Tehran,95.0,51.3890,1,,,Off the globe.,0,1663500000,IRN\n";
        let rows: Vec<_> = unrest_store::acled::read(file.as_bytes()).unwrap().collect();
        let errors: Vec<String> = rows.iter().filter_map(|r| r.as_ref().err()).map(|e| e.to_string()).collect();
        assert_eq!(errors, vec![
            "line 4: actor type code 9 is not an ACLED code (0-8)".to_string(),
            "line 5: coordinates 95,51.389 are outside the globe".to_string(),
        ]);
        let good: Vec<_> = rows.into_iter().filter_map(Result::ok).collect();
        assert_eq!(good[0].interaction, "State forces-Protesters");
        assert_eq!((good[0].inter1.as_str(), good[0].inter2.as_str()), ("Protesters", "State forces"));
        assert_eq!(good[0].event_date, "2022-09-16");
        assert_eq!(good[0].iso, 364);
        assert_eq!(good[1].interaction, "Rioters only");
        assert_eq!(good[1].inter2, "");
        assert_eq!(good[1].event_date, "2022-09-17");

        let mut store = db.open();
        store.import_events(&good, Status::Published, "import-acled", at(8)).unwrap();
        let f = Filter { admin1: Some("KURDISTAN".into()), status: vec![Status::Published], ..Default::default() };
        assert_eq!(ids(&mut store, &f, &Page::default()).len(), 1);
    }
}

#[test]
fn bad_urls_are_refused_naming_what_is_wrong() {
    let err = |url: &str| Store::open(url).err().expect("refused").to_string();
    assert_eq!(err(""), "bad database URL \"\": it is empty");
    assert_eq!(
        err("sqlite:"),
        "bad database URL \"sqlite:\": no file path after sqlite:"
    );
    assert!(err("mysql://u@h/db").contains("unsupported scheme \"mysql\""));
    assert!(err("postgres://u:secret@127.0.0.1:1/db")
        .starts_with("cannot connect to postgres://u:***@127.0.0.1:1/db"));
    assert!(!err("postgres://u:secret@127.0.0.1:1/db").contains("secret"));
    assert!(err("postgres://u@127.0.0.1:notaport/db").starts_with("bad database URL"));
    let dir = tempfile::tempdir().unwrap();
    assert!(err(&dir
        .path()
        .join("no/such/dir/unrest.db")
        .display()
        .to_string())
    .starts_with("cannot open SQLite database"));
}

#[test]
fn a_file_that_is_not_a_database_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(
        &path,
        "these are my notes, not a database, and long enough to have a header",
    )
    .unwrap();
    let err = Store::open(path.to_str().unwrap()).err().expect("refused");
    assert_eq!(
        err.to_string(),
        format!(
            "{} is not an unrest database (file is not a database)",
            path.display()
        )
    );
}

#[test]
fn a_locked_database_waits_then_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unrest.db");
    let mut store = Store::open(path.to_str().unwrap()).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let err = store
        .ingest(&[new_report("a", SANANDAJ)], &mut LineCoder::new("v1"))
        .unwrap_err();
    assert!(matches!(err, Error::Locked { .. }), "{err}");
    assert!(
        err.to_string().contains("is locked by another process"),
        "{err}"
    );
    other.execute_batch("ROLLBACK").unwrap();
    store
        .ingest(&[new_report("a", SANANDAJ)], &mut LineCoder::new("v1"))
        .unwrap();
}

mod audit;
mod corroboration;
mod crash;
mod sealed;

/// The public's incidents of `f`, in listing order.
fn public_incidents(store: &mut Store, f: &Filter, p: &Page) -> Vec<i64> {
    let mut out = Vec::new();
    store
        .incident_rows::<Error>(&f.clone().public(), p, |i| {
            out.push(i.id());
            Ok(())
        })
        .unwrap();
    out
}

/// 2,400 published incidents three days apart from 2005 (no two corroborate), over three
/// provinces (one written in ACLED's spelling) and two types, "tear gas" in five of six.
fn faceted_dataset(store: &mut Store) {
    let start = chrono::NaiveDate::from_ymd_opt(2005, 1, 1).unwrap();
    let events: Vec<_> = (0..2400u64)
        .map(|i| {
            let day = (start + chrono::Days::new(3 * i)).to_string();
            let (admin1, lon, lat) = [
                ("Tehran", 51.4, 35.7),
                ("Fars", 52.5, 29.6),
                ("Kordestan", 47.0, 35.3),
            ][(i % 3) as usize];
            let (ty, sub) =
                [("Protests", "Peaceful protest"), ("Riots", "Mob violence")][(i % 2) as usize];
            let mut e = event(&day, admin1, lon, lat, ty, sub);
            e.notes = if i % 6 == 0 {
                format!("Crowds chanted, event {i}")
            } else {
                format!("Police fired tear gas, event {i}")
            };
            e
        })
        .collect();
    store
        .import_events(&events, Status::Published, "t", at(1))
        .unwrap();
    store.corroborate(at(1)).unwrap();
}

/// Every public search with filters answers what the search alone and the filters alone
/// both answer, whole and as a first page.
fn assert_faceted_search_is_exact(store: &mut Store, when: &str) {
    let d = |s: &str| s.parse::<chrono::NaiveDate>().ok();
    let filters = [
        Filter {
            from: d("2010-02-15"),
            to: d("2013-11-03"),
            ..Default::default()
        },
        Filter {
            from: d("2005-01-01"),
            to: d("2024-12-31"),
            ..Default::default()
        },
        Filter {
            admin1: Some("Kurdistan".into()),
            ..Default::default()
        },
        Filter {
            event_type: Some("mob violence".into()),
            ..Default::default()
        },
        Filter {
            from: d("2008-03-01"),
            to: d("2019-06-30"),
            admin1: Some("fars".into()),
            event_type: Some("Protests".into()),
            ..Default::default()
        },
    ];
    for q in ["tear gas", "event 17", "chanted"] {
        let alone = Filter {
            search: Some(q.into()),
            ..Default::default()
        };
        let matched = public_incidents(store, &alone, &Page::default());
        for f in &filters {
            let expected: Vec<i64> = public_incidents(store, f, &Page::default())
                .into_iter()
                .filter(|id| matched.contains(id))
                .collect();
            let searched = Filter {
                search: Some(q.into()),
                ..f.clone()
            };
            assert_eq!(
                public_incidents(store, &searched, &Page::default()),
                expected,
                "{when}: {q:?} whole, {f:?}"
            );
            for order in [Order::Date, Order::Latest] {
                let page = Page {
                    limit: Some(10),
                    order,
                    ..Default::default()
                };
                let mut first = expected.clone();
                if order == Order::Latest {
                    first.reverse();
                }
                first.truncate(10);
                assert_eq!(
                    public_incidents(store, &searched, &page),
                    first,
                    "{when}: {q:?} first page {order:?}, {f:?}"
                );
            }
        }
    }
}

both! {
    fn public_search_with_filters_finds_exactly_the_search_alone_within_the_filters(db) {
        let mut store = db.open();
        faceted_dataset(&mut store);
        assert_faceted_search_is_exact(&mut store, "as imported");
        // The facets follow the incident: a date moved out of a range, a province changed,
        // an incident unpublished.
        let all = ids(&mut store, &Filter::default(), &Page::default());
        let mut moved = store.event(all[1900]).unwrap().unwrap().event;
        moved.event_date = "2011-06-06".into();
        moved.year = 2011;
        moved.admin1 = "Kordestan".into();
        store.edit_event(all[1900], &moved, "maryam", at(2)).unwrap();
        store.set_status(&all[1000..1010], &Filter::default(), Status::Verified, "maryam", at(2)).unwrap();
        assert_faceted_search_is_exact(&mut store, "after changes");
    }

    fn a_word_edited_out_of_published_notes_is_no_longer_found_with_filters(db) {
        let mut store = db.open();
        faceted_dataset(&mut store);
        let all = ids(&mut store, &Filter::default(), &Page::default());
        let target = all[1201];
        let mut e = store.event(target).unwrap().unwrap().event;
        let day = e.event_date.clone();
        let f = |q: &str| Filter { search: Some(q.into()), from: day.parse().ok(), to: day.parse().ok(), ..Default::default() };
        assert_eq!(public_incidents(&mut store, &f("tear gas"), &Page::default()), vec![target]);
        e.notes = "Crowds gathered".into();
        store.edit_event(target, &e, "maryam", at(2)).unwrap();
        assert_eq!(public_incidents(&mut store, &f("tear gas"), &Page::default()), Vec::<i64>::new());
        assert_eq!(public_incidents(&mut store, &f("crowds gathered"), &Page::default()), vec![target]);
    }

    fn migration_17_indexes_the_published_incidents_already_held(db) {
        let mut store = db.open();
        faceted_dataset(&mut store);
        let f = Filter {
            search: Some("tear gas".into()),
            from: "2010-02-15".parse().ok(),
            to: "2013-11-03".parse().ok(),
            ..Default::default()
        };
        let before = public_incidents(&mut store, &f, &Page::default());
        assert!(before.len() > 100);
        store
            .execute_raw("DROP TABLE incident_search; DELETE FROM schema_migrations WHERE version = 17")
            .unwrap();
        drop(store);
        let mut store = db.open();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(public_incidents(&mut store, &f, &Page::default()), before);
    }
}
