//! The audit log in a real database: every change leaves an entry, an untouched log
//! verifies, and each kind of tampering with raw SQL — edit, delete, insert, reorder — makes
//! verification name the entry touched; a report altered in place is found by re-hashing.

use super::support::{all_events, at, event, new_report, LineCoder, TestDb};
use crate::both;
use unrest_store::audit::{verify_export, GENESIS};
use unrest_store::{AuditEntry, Dialect, Filter, Finding, Status, Store};

const TEHRAN: &str = "Students chanted at Sharif University.\n\
    @2022-10-02;Tehran;51.3510;35.7036;Protests;Peaceful protest;Students chanted slogans";
const SANANDAJ: &str = "Crowds gathered in Sanandaj; security forces fired tear gas.\n\
    @2022-10-26;Kurdistan;46.9988;35.3145;Protests;Protest with intervention;Tear gas in Sanandaj";

/// A dataset with a few changes of each kind: entries 1 (begin), 2–3 (receive and code
/// Tehran), 4–5 (Sanandaj), 6 (a status change), 7 (an edit), 8 (an import).
fn logged(db: &TestDb) -> Store {
    let mut store = db.open();
    let batch = [new_report("t.txt", TEHRAN), new_report("s.txt", SANANDAJ)];
    store.ingest(&batch, &mut LineCoder::new("v1")).unwrap();
    let events = all_events(&mut store);
    store
        .set_status(
            &[events[0].id],
            &Filter::default(),
            Status::Verified,
            "maryam",
            at(2),
        )
        .unwrap();
    let mut edited = events[1].event.clone();
    edited.fatalities = 1;
    assert!(store
        .edit_event(events[1].id, &edited, "reza", at(3))
        .unwrap());
    store
        .import_events(
            &[event(
                "2022-10-05",
                "Fars",
                52.53,
                29.61,
                "Protests",
                "Peaceful protest",
            )],
            Status::Published,
            "import-acled",
            at(4),
        )
        .unwrap();
    store
}

fn entries(store: &mut Store) -> Vec<AuditEntry> {
    let mut all = Vec::new();
    store
        .audit_entries::<unrest_store::Error>(|e| {
            all.push(e);
            Ok(())
        })
        .unwrap();
    all
}

fn first_finding(store: &mut Store) -> Finding {
    let v = store.audit_verify(None).unwrap();
    assert!(!v.is_intact(), "tampering went unnoticed");
    v.findings[0].clone()
}

/// `'text'` as the backend's byte string.
fn bytes_sql(db: &TestDb, text: &str) -> String {
    match db.dialect {
        Dialect::Sqlite => format!("CAST('{text}' AS BLOB)"),
        Dialect::Postgres => format!("convert_to('{text}', 'UTF8')"),
    }
}

both! {
    fn every_change_leaves_an_entry_and_an_untouched_log_verifies(db) {
        let mut store = logged(db);
        let log = entries(&mut store);
        let what: Vec<(&str, &str, &str)> = log
            .iter()
            .map(|e| (e.action.as_str(), e.kind.as_str(), e.actor.as_str()))
            .collect();
        assert_eq!(what, vec![
            ("begin", "dataset", "unrest"),
            ("receive", "report", "cli"),
            ("code", "report", "v1"),
            ("receive", "report", "cli"),
            ("code", "report", "v1"),
            ("status", "event", "maryam"),
            ("edit", "event", "reza"),
            ("import", "event", "import-acled"),
        ]);
        assert_eq!(log[0].prev_hash, GENESIS);
        assert!(log.windows(2).all(|w| w[1].prev_hash == w[0].hash));
        let status: serde_json::Value = serde_json::from_str(&log[5].change).unwrap();
        assert_eq!(status["status"], serde_json::json!({"before": "coded", "after": "verified"}));
        let edit: serde_json::Value = serde_json::from_str(&log[6].change).unwrap();
        let mut fields: Vec<&String> = edit.as_object().unwrap().keys().collect();
        fields.sort();
        assert_eq!(fields, vec!["edited", "fatalities", "record_sha256"], "only what changed, and the record's hash");
        assert_eq!(edit["fatalities"], serde_json::json!({"before": 0, "after": 1}));
        let receive: serde_json::Value = serde_json::from_str(&log[1].change).unwrap();
        assert_eq!(receive["sha256"], unrest_store::sha256_hex(TEHRAN.as_bytes()));

        let v = store.audit_verify(None).unwrap();
        assert!(v.is_intact(), "{:?}", v.findings);
        assert_eq!((v.entries, v.reports), (8, 2));
        assert_eq!(v.head, Some((8, log[7].hash.clone())));
        let anchor = format!("8:{}", log[7].hash).parse().unwrap();
        assert!(store.audit_verify(Some(&anchor)).unwrap().is_intact());
    }

    fn a_failed_change_leaves_no_entry(db) {
        let mut store = logged(db);
        let before = entries(&mut store).len();
        // A batch whose second report cannot be coded (the coder panics on a bad line) is
        // rolled back whole; so are its entries.
        let bad = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let batch = [new_report("ok.txt", "fine\n@2022-10-09;Gilan;49.58;37.28;Protests;Peaceful protest;ok"),
                         new_report("bad.txt", "@not;a;line")];
            store.ingest(&batch, &mut LineCoder::new("v1"))
        }));
        assert!(bad.is_err());
        drop(store); // closing the connection rolls back the open transaction
        let mut store = db.open();
        assert_eq!(entries(&mut store).len(), before);
        assert!(store.audit_verify(None).unwrap().is_intact());
    }

    fn users_places_and_merges_are_logged_too(db) {
        let mut store = logged(db);
        store.put_user("maryam", unrest_store::Role::Analyst, "$argon2id$x", "admin", at(5)).unwrap();
        let place = unrest_store::NewPlace {
            name: "Gohardasht".into(),
            lat: 35.80,
            lon: 50.95,
            city: "Karaj".into(),
            admin1: "Alborz".into(),
            kind: "district".into(),
            alt_names: vec!["گوهردشت".into()],
        };
        store.add_place(&place, "maryam", at(5)).unwrap();
        let events = all_events(&mut store);
        store.merge_events(events[0].id, events[1].id, "maryam", at(6)).unwrap();
        let log = entries(&mut store);
        let tail: Vec<(&str, &str)> = log[8..].iter().map(|e| (e.action.as_str(), e.kind.as_str())).collect();
        assert_eq!(tail, vec![("user", "user"), ("place", "place"), ("merge", "event"), ("merge", "event")]);
        assert!(log[8].change.contains("created maryam as analyst"), "{}", log[8].change);
        assert!(store.audit_verify(None).unwrap().is_intact());
    }

    fn an_edited_entry_is_named(db) {
        let mut store = logged(db);
        store.execute_raw("UPDATE audit_log SET actor = 'mallory' WHERE seq = 6").unwrap();
        assert_eq!(first_finding(&mut store), Finding::Edited { seq: 6 });
    }

    fn an_edited_change_is_named_even_with_its_hash_recomputed(db) {
        let mut store = logged(db);
        let log = entries(&mut store);
        let mut forged = log[5].clone();
        forged.change = r#"{"status":{"before":"coded","after":"rejected"}}"#.into();
        forged.hash = forged.expected_hash();
        store.execute_raw(&format!(
            "UPDATE audit_log SET change = '{}', hash = '{}' WHERE seq = 6",
            forged.change, forged.hash
        )).unwrap();
        assert_eq!(first_finding(&mut store), Finding::Rehashed { seq: 6 });
    }

    fn a_deleted_entry_is_named(db) {
        let mut store = logged(db);
        store.execute_raw("DELETE FROM audit_log WHERE seq = 4").unwrap();
        assert_eq!(first_finding(&mut store), Finding::Deleted { seq: 4 });
    }

    fn a_deletion_hidden_by_renumbering_is_named(db) {
        let mut store = logged(db);
        store.execute_raw(
            "DELETE FROM audit_log WHERE seq = 4;
             UPDATE audit_log SET seq = -seq WHERE seq > 4;
             UPDATE audit_log SET seq = -seq - 1 WHERE seq < 0;",
        ).unwrap();
        assert_eq!(first_finding(&mut store), Finding::Deleted { seq: 4 });
    }

    fn an_inserted_entry_is_named_however_well_forged(db) {
        let mut store = logged(db);
        let log = entries(&mut store);
        // A status change that never happened, chained properly from entry 5, slipped in
        // as entry 6 with the later entries renumbered to make room.
        let mut forged = log[5].clone();
        forged.seq = 6;
        forged.actor = "mallory".into();
        forged.prev_hash = log[4].hash.clone();
        forged.hash = forged.expected_hash();
        store.execute_raw(&format!(
            "UPDATE audit_log SET seq = -seq WHERE seq >= 6;
             UPDATE audit_log SET seq = 1 - seq WHERE seq < 0;
             INSERT INTO audit_log (seq, logged_at, actor, action, object_kind, object_id,
                change, prev_hash, hash)
             VALUES (6, '{}', 'mallory', '{}', '{}', '{}', '{}', '{}', '{}');",
            forged.at, forged.action, forged.kind, forged.object, forged.change,
            forged.prev_hash, forged.hash
        )).unwrap();
        assert_eq!(first_finding(&mut store), Finding::Inserted { seq: 6 });
    }

    fn reordered_entries_are_named(db) {
        let mut store = logged(db);
        store.execute_raw(
            "UPDATE audit_log SET seq = -1 WHERE seq = 6;
             UPDATE audit_log SET seq = 6 WHERE seq = 7;
             UPDATE audit_log SET seq = 7 WHERE seq = -1;",
        ).unwrap();
        assert_eq!(first_finding(&mut store), Finding::Reordered { seq: 6 });
    }

    fn a_report_altered_in_place_is_found_by_its_hash(db) {
        let mut store = logged(db);
        store.execute_raw(&format!(
            "UPDATE reports SET text = {} WHERE id = 1",
            bytes_sql(db, "Students chanted at Tehran University.")
        )).unwrap();
        let v = store.audit_verify(None).unwrap();
        assert_eq!(v.findings, vec![Finding::ReportAltered { report: 1 }]);
        assert_eq!(v.findings[0].to_string(), "report 1: its text no longer gives its SHA-256 (the text was altered)");
    }

    fn a_report_altered_with_its_stored_hash_is_found_by_the_logged_hash(db) {
        let mut store = logged(db);
        let text = "Nothing happened at Sharif University.";
        store.execute_raw(&format!(
            "UPDATE reports SET text = {}, sha256 = '{}' WHERE id = 1",
            bytes_sql(db, text),
            unrest_store::sha256_hex(text.as_bytes())
        )).unwrap();
        let v = store.audit_verify(None).unwrap();
        assert_eq!(v.findings, vec![Finding::ReportHashChanged { report: 1, entry: 2 }]);
    }

    fn a_report_stored_behind_the_logs_back_is_found(db) {
        let mut store = logged(db);
        let text = "A report nobody received.";
        store.execute_raw(&format!(
            "INSERT INTO reports (sha256, name, text, received_at, channel)
             VALUES ('{}', 'x.txt', {}, '2022-11-01T00:00:00Z', 'cli')",
            unrest_store::sha256_hex(text.as_bytes()),
            bytes_sql(db, text)
        )).unwrap();
        let v = store.audit_verify(None).unwrap();
        assert_eq!(v.findings, vec![Finding::ReportUnlogged { report: 3 }]);
    }

    fn a_sealed_submission_altered_in_place_is_found(db) {
        let mut store = logged(db);
        let ciphertext = b"age-encryption.org/v1 (not really)";
        let sha = unrest_store::sha256_hex(ciphertext);
        let id = store.add_sealed(&sha, ciphertext, None, None, at(7)).unwrap();
        assert!(store.audit_verify(None).unwrap().is_intact());
        store.execute_raw(&format!(
            "UPDATE sealed_submissions SET ciphertext = {} WHERE id = {id}",
            bytes_sql(db, "something else")
        )).unwrap();
        let v = store.audit_verify(None).unwrap();
        assert_eq!(v.findings, vec![Finding::SealedAltered { sealed: id }]);
    }

    fn reports_older_than_the_log_are_covered_by_its_first_entry(db) {
        let mut old = Store::open_at_version(&db.url, 3).unwrap();
        old.execute_raw(&format!(
            "INSERT INTO reports (sha256, name, text, received_at, channel, coded_with)
             VALUES ('{}', 't.txt', {}, '2022-11-01T00:00:00Z', 'cli', 'v0');
             INSERT INTO events (report_id, event_id_cnty, event_date, year, time_precision,
                disorder_type, event_type, sub_event_type, actor1, assoc_actor_1, inter1, actor2,
                assoc_actor_2, inter2, interaction, civilian_targeting, iso, region, country,
                admin1, admin2, admin3, location, latitude, longitude, geo_precision, source,
                source_scale, notes, fatalities, tags, \"timestamp\", report, evidence, confidence)
             VALUES (1, '', '2022-10-02', 2022, 1, 'Demonstrations', 'Protests', 'Peaceful protest',
                'Protesters (Iran)', '', 'Protesters', '', '', '', 'Protesters only', '', 364,
                'Middle East', 'Iran', 'Tehran', '', '', 'Tehran', 35.70, 51.35, 1, '',
                '', 'Students chanted', 0, '', 0, 't.txt', '[]', 0.5);",
            unrest_store::sha256_hex(b"Students chanted at Sharif University."),
            bytes_sql(db, "Students chanted at Sharif University.")
        ))
        .unwrap();
        drop(old);
        let mut store = db.open();
        let log = entries(&mut store);
        assert_eq!(log.len(), 1);
        let begin: serde_json::Value = serde_json::from_str(&log[0].change).unwrap();
        assert_eq!((begin["reports"].as_i64(), begin["events"].as_i64()), (Some(1), Some(1)));
        assert!(store.audit_verify(None).unwrap().is_intact());
        let text = "Nothing happened.";
        store.execute_raw(&format!(
            "UPDATE reports SET text = {}, sha256 = '{}' WHERE id = 1",
            bytes_sql(db, text),
            unrest_store::sha256_hex(text.as_bytes())
        )).unwrap();
        let v = store.audit_verify(None).unwrap();
        assert_eq!(v.findings, vec![Finding::EarlyReportsChanged { entry: 1 }]);
    }

    fn an_export_verifies_without_the_database_and_betrays_an_edit(db) {
        let mut store = logged(db);
        let mut text = unrest_store::audit::export_header();
        for e in entries(&mut store) {
            text.push('\n');
            text.push_str(&serde_json::to_string(&e).unwrap());
        }
        drop(store);
        let v = verify_export(text.as_bytes(), None).unwrap();
        assert!(v.is_intact(), "{:?}", v.findings);
        assert_eq!(v.entries, 8);
        let tampered = text.replacen("\"maryam\"", "\"mallory\"", 1);
        let v = verify_export(tampered.as_bytes(), None).unwrap();
        assert_eq!(v.findings, vec![Finding::Edited { seq: 6 }]);
    }

    fn concurrent_writers_keep_one_chain(db) {
        let mut store = db.open();
        let batch = [new_report("t.txt", TEHRAN), new_report("s.txt", SANANDAJ)];
        store.ingest(&batch, &mut LineCoder::new("v1")).unwrap();
        let events = all_events(&mut store);
        // Each writer its own event, so no row lock puts them in turn: only the log's does.
        let writers: Vec<_> = (0..2)
            .map(|w| {
                let url = db.url.clone();
                let id = events[w].id;
                std::thread::spawn(move || {
                    let mut store = Store::open(&url).unwrap();
                    for n in 0..20 {
                        let status = if (n + w) % 2 == 0 { Status::Verified } else { Status::Coded };
                        store.set_status(&[id], &Filter::default(), status, &format!("w{w}"), at(5)).unwrap();
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        let v = store.audit_verify(None).unwrap();
        assert!(v.is_intact(), "{:?}", v.findings);
    }
}
