//! What the public must never reach and what an attacker must not break, on SQLite and
//! PostgreSQL (issue 11): public filters see only public fields, public paging does not
//! tell unpublished from missing, NUL bytes are refused by name.

mod support;

use support::{all_events, at, event, ids, new_report, LineCoder, TestDb};
use unrest_store::{Filter, Finding, NewPlace, Order, Page, Role, Status, Store};

/// A report whose text names its reporter; its event's notes do not.
const NAMED: &str = "My name is Kaveh Zandi and my phone is 09121234567. Crowds in Sanandaj.\n\
    @2022-10-26;Kurdistan;46.9988;35.3145;Protests;Peaceful protest;Crowds gathered in the bazaar";

fn published_named(store: &mut Store) -> i64 {
    store
        .ingest(&[new_report("named.txt", NAMED)], &mut LineCoder::new("v1"))
        .unwrap();
    let all = ids(store, &Filter::default(), &Page::default());
    store
        .set_status(&all, &Filter::default(), Status::Published, "maryam", at(2))
        .unwrap();
    all[0]
}

fn public_search(store: &mut Store, q: &str) -> Vec<i64> {
    let f = Filter {
        search: Some(q.into()),
        ..Default::default()
    }
    .public();
    ids(store, &f, &Page::default())
}

/// A dataset with every kind of logged change: reports coded, a status change, an analyst's
/// edit, a merge, an ACLED import, users created and changed, a place added.
fn busy(db: &TestDb) -> Store {
    let mut store = db.open();
    let more = "@2022-10-27;Tehran;51.3;35.7;Protests;Peaceful protest;Chants at the university";
    let third =
        "@2022-10-27;Tehran;51.31;35.71;Protests;Peaceful protest;Chants near the university";
    store
        .ingest(
            &[
                new_report("a.txt", NAMED),
                new_report("b.txt", more),
                new_report("c.txt", third),
            ],
            &mut LineCoder::new("v1"),
        )
        .unwrap();
    let events = all_events(&mut store);
    store
        .set_status(
            &[events[0].id],
            &Filter::default(),
            Status::Published,
            "maryam",
            at(2),
        )
        .unwrap();
    let mut edited = events[1].event.clone();
    edited.fatalities = 2;
    edited.notes = "Chants and arrests".into();
    assert!(store
        .edit_event(events[1].id, &edited, "maryam", at(3))
        .unwrap());
    store
        .merge_events(events[1].id, events[2].id, "maryam", at(3))
        .unwrap();
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
            "import",
            at(4),
        )
        .unwrap();
    let (maryam, _) = store
        .put_user("maryam", Role::Analyst, "$argon2id$one", "admin", at(1))
        .unwrap();
    store
        .put_user("reza", Role::Analyst, "$argon2id$two", "admin", at(1))
        .unwrap();
    store
        .update_user(maryam, Some(Role::Admin), None, "admin", at(2))
        .unwrap();
    store
        .put_user("reza", Role::Analyst, "$argon2id$three", "admin", at(2))
        .unwrap();
    store
        .add_place(
            &NewPlace {
                name: "Azadi Square".into(),
                lat: 35.6997,
                lon: 51.3380,
                city: "Tehran".into(),
                admin1: "Tehran".into(),
                kind: "landmark".into(),
                alt_names: vec!["میدان آزادی".into()],
            },
            "maryam",
            at(3),
        )
        .unwrap();
    store
}

fn findings(store: &mut Store) -> Vec<String> {
    store
        .audit_verify(None)
        .unwrap()
        .findings
        .iter()
        .map(|f| f.to_string())
        .collect()
}

#[cfg(unix)]
#[test]
fn a_new_sqlite_database_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("unrest.db");
    let mut store = Store::open(&format!("sqlite:{}", file.display())).unwrap();
    store
        .ingest(&[new_report("a.txt", NAMED)], &mut LineCoder::new("v1"))
        .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&file), 0o600);
    let wal = dir.path().join("unrest.db-wal");
    assert_eq!(mode(&wal), 0o600);
}

both! {
    fn the_same_text_sent_twice_through_the_form_is_two_reports_with_their_own_receipts(db) {
        let mut store = db.open();
        let web = |name: &str| unrest_store::NewReport { channel: "web".into(), ..new_report(name, NAMED) };
        let mut coder = LineCoder::new("v1");
        let first = store.submit(&web("web-1"), &mut coder, "receipt-one", &[]).unwrap();
        let second = store.submit(&web("web-2"), &mut coder, "receipt-two", &[("image/png", b"png")]).unwrap();
        assert_ne!(first, second);
        assert_eq!(store.report_by_receipt("receipt-one").unwrap(), Some(first));
        assert_eq!(store.report_by_receipt("receipt-two").unwrap(), Some(second));
        assert_eq!(store.media_of_report(second).unwrap().len(), 1);
        assert!(store.media_of_report(first).unwrap().is_empty());
        // The CLI's ingest stays idempotent on the text of its own channel and day; the
        // form's reports came through another channel, so the file is a report of its own.
        let cli = store.ingest(&[new_report("cli.txt", NAMED)], &mut coder).unwrap();
        let unrest_store::Ingested::New { report_id: from_cli, .. } = cli[0] else {
            panic!("another channel, another report: {cli:?}");
        };
        let again = store.ingest(&[new_report("again.txt", NAMED)], &mut coder).unwrap();
        assert!(matches!(again[0], unrest_store::Ingested::Duplicate { report_id } if report_id == from_cli));
        assert!(store.audit_verify(None).unwrap().is_intact());
    }

    fn a_submission_its_receipt_and_photos_are_stored_together_or_not_at_all(db) {
        let mut store = db.open();
        let web = |name: &str| unrest_store::NewReport { channel: "web".into(), ..new_report(name, NAMED) };
        let mut coder = LineCoder::new("v1");
        store.submit(&web("web-1"), &mut coder, "same-receipt", &[]).unwrap();
        let before = store.counts().unwrap();
        let log = store.audit_verify(None).unwrap().entries;
        // The receipt cannot be stored (taken): nothing of the submission is.
        assert!(store.submit(&web("web-2"), &mut coder, "same-receipt", &[("image/png", b"png")]).is_err());
        assert_eq!(store.counts().unwrap(), before);
        assert_eq!(store.audit_verify(None).unwrap().entries, log);
    }

    fn a_rejected_event_leaves_the_public_digest_at_once(db) {
        let mut store = db.open();
        let id = published_named(&mut store);
        store
            .cluster(&Filter::default(), &unrest_corroborate::Params::default(), at(3))
            .unwrap();
        let public = |store: &mut Store| store.incidents(None, None, true).unwrap().len();
        let day = chrono::NaiveDate::from_ymd_opt(2022, 10, 26).unwrap();
        assert_eq!(public(&mut store), 1);
        assert_eq!(store.incident_totals(day, day).unwrap().events, 1);
        store
            .set_status(&[id], &Filter::default(), Status::Rejected, "maryam", at(4))
            .unwrap();
        assert_eq!(public(&mut store), 0, "no re-clustering needed");
        assert_eq!(store.incident_totals(day, day).unwrap().events, 0);
    }

    fn audit_verify_is_green_after_every_kind_of_logged_change(db) {
        let mut store = busy(db);
        assert_eq!(findings(&mut store), Vec::<String>::new());
    }

    fn audit_verify_names_an_event_edited_in_the_database(db) {
        let mut store = busy(db);
        let id = all_events(&mut store)[0].id;
        store
            .execute_raw(&format!("UPDATE events SET fatalities = 0, notes = 'nothing happened' WHERE id = {id}"))
            .unwrap();
        let f = store.audit_verify(None).unwrap().findings;
        assert!(
            matches!(f.as_slice(), [Finding::EventAltered { event, .. }] if *event == id),
            "{f:?}"
        );
    }

    fn audit_verify_names_a_status_flipped_in_the_database(db) {
        let mut store = busy(db);
        let id = all_events(&mut store)[0].id;
        store
            .execute_raw(&format!("UPDATE events SET status = 'coded' WHERE id = {id}"))
            .unwrap();
        let f = findings(&mut store);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].starts_with(&format!("event {id}: its status is coded, but entry")), "{f:?}");
        assert!(f[0].ends_with("logged published"), "{f:?}");
    }

    fn audit_verify_names_a_role_changed_in_the_database(db) {
        let mut store = busy(db);
        store.execute_raw("UPDATE users SET role = 'admin' WHERE name = 'reza'").unwrap();
        let f = findings(&mut store);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].starts_with("user reza: name, role, password hash"), "{f:?}");
    }

    fn audit_verify_names_a_password_hash_swapped_in_the_database(db) {
        let mut store = busy(db);
        store
            .execute_raw("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE name = 'reza') WHERE name = 'maryam'")
            .unwrap();
        let f = findings(&mut store);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].starts_with("user maryam:"), "{f:?}");
    }

    fn audit_verify_names_places_and_rows_added_behind_its_back(db) {
        let mut store = busy(db);
        store.execute_raw("UPDATE places SET lat = 30.0").unwrap();
        store
            .execute_raw("INSERT INTO users (name, role, password_hash, disabled, created_at) VALUES ('mallory', 'admin', 'x', 0, 'now')")
            .unwrap();
        let f = findings(&mut store);
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f.iter().any(|f| f.starts_with("user mallory has no entry")), "{f:?}");
        assert!(f.iter().any(|f| f.starts_with("place 1: its fields")), "{f:?}");
    }

    fn audit_verify_says_the_log_is_missing_when_its_table_is_dropped(db) {
        let mut store = busy(db);
        store.execute_raw("DROP TABLE audit_log").unwrap();
        let v = store.audit_verify(None).unwrap();
        assert_eq!(v.findings, vec![Finding::LogMissing]);
        assert!(v.findings[0].to_string().starts_with("the audit log is missing"));
    }

    fn public_search_sees_only_notes_place_and_actors_never_report_text(db) {
        let mut store = db.open();
        let id = published_named(&mut store);
        assert_eq!(public_search(&mut store, "Zandi"), Vec::<i64>::new(), "surname in the report");
        assert_eq!(public_search(&mut store, "09121234567"), Vec::<i64>::new(), "phone in the report");
        assert_eq!(public_search(&mut store, "bazaar"), vec![id], "notes");
        assert_eq!(public_search(&mut store, "Kurdistan"), vec![id], "place");
        assert_eq!(public_search(&mut store, "protesters"), vec![id], "actor");
        // Analysts still search the report text.
        let private = Filter { search: Some("Zandi".into()), ..Default::default() };
        assert_eq!(ids(&mut store, &private, &Page::default()), vec![id]);
    }

    fn a_public_filter_is_published_only_whatever_status_is_asked(db) {
        let mut store = db.open();
        store
            .ingest(&[new_report("named.txt", NAMED)], &mut LineCoder::new("v1"))
            .unwrap();
        let f = Filter { status: vec![Status::Coded], ..Default::default() }.public();
        let f = Filter { status: vec![Status::Coded], ..f };
        assert_eq!(ids(&mut store, &f, &Page::default()), Vec::<i64>::new());
    }

    fn public_paging_after_an_unpublished_event_answers_as_for_a_missing_one(db) {
        let mut store = db.open();
        let published = published_named(&mut store);
        store
            .ingest(
                &[new_report("later.txt", "@2022-10-28;Tehran;51.3;35.7;Protests;Peaceful protest;Chants")],
                &mut LineCoder::new("v1"),
            )
            .unwrap();
        let unpublished = published + 1;
        let page = |after| Page { order: Order::Date, limit: Some(10), offset: 0, after: Some(after) };
        let public = Filter::default().public();
        let answer = |store: &mut Store, after| {
            store
                .events::<unrest_store::Error>(&public, &page(after), |_| Ok(()))
                .map_err(|e| e.to_string().replace(&after.to_string(), "N"))
        };
        let missing = answer(&mut store, 999_999);
        assert!(missing.is_err());
        assert_eq!(answer(&mut store, unpublished), missing);
        assert_eq!(answer(&mut store, published), Ok(0));
        // Analysts page after any event.
        assert!(store
            .events::<unrest_store::Error>(&Filter::default(), &page(unpublished), |_| Ok(()))
            .is_ok());
    }

    fn a_nul_byte_in_a_filter_is_refused_by_name(db) {
        let mut store = db.open();
        published_named(&mut store);
        for f in [
            Filter { admin1: Some("\0".into()), ..Default::default() },
            Filter { event_type: Some("Protests\0".into()), ..Default::default() },
            Filter { search: Some("bazaar\0".into()), ..Default::default() },
        ] {
            let err = store
                .events::<unrest_store::Error>(&f.public(), &Page::default(), |_| Ok(()))
                .unwrap_err()
                .to_string();
            assert!(err.contains("NUL byte"), "{err}");
        }
    }
}

both! {
    fn rate_hits_count_one_window_for_every_process_and_forget_the_rest(db) {
        let mut one = db.open();
        let mut other = db.open();
        let t = |s: i64| at(3) + chrono::Duration::seconds(s);
        let window = chrono::Duration::seconds(600);
        one.rate_hit("submit", "c1", t(0), t(0) - window).unwrap();
        other.rate_hit("submit", "c1", t(10), t(10) - window).unwrap();
        other.rate_hit("login", "c1", t(10), t(10) - window).unwrap();
        other.rate_hit("submit", "c2", t(20), t(20) - window).unwrap();
        // Both processes' hits, this kind and client only, oldest first.
        assert_eq!(one.rate_hits("submit", "c1", t(30) - window).unwrap(), (2, Some(t(0))));
        // The window slides past the first hit…
        assert_eq!(one.rate_hits("submit", "c1", t(605) - window).unwrap(), (1, Some(t(10))));
        // …and a later hit deletes what no window can reach any more.
        one.rate_hit("submit", "c3", t(700), t(700) - window).unwrap();
        assert_eq!(other.rate_hits("submit", "c1", t(0) - window).unwrap(), (0, None));
        assert_eq!(other.rate_hits("login", "c1", t(0) - window).unwrap().0, 1);
    }

    fn a_form_is_used_once_across_processes_until_its_token_expires(db) {
        let (mut one, mut other) = (db.open(), db.open());
        let ttl = chrono::Duration::hours(1);
        assert!(one.use_form("f1", at(3), at(3) - ttl).unwrap());
        assert!(!other.use_form("f1", at(3), at(3) - ttl).unwrap());
        assert!(other.use_form("f2", at(3), at(3) - ttl).unwrap());
        // Forgotten once expired (its token is refused by then anyway).
        let later = at(3) + chrono::Duration::hours(2);
        assert!(one.use_form("f1", later, later - ttl).unwrap());
    }
}
