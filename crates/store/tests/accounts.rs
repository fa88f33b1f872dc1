//! The web app's records beside the dataset — accounts, sessions, receipts, follow-ups, the
//! history of changes, analysts' places and merges — each rule pinned on SQLite and PostgreSQL.

mod support;

use support::{at, new_report, LineCoder};
use unrest_store::{NewPlace, Role, Status, Store};

const KARAJ: &str = "Crowds in Karaj.\n\
    @2022-11-12;Alborz;50.9915;35.8327;Protests;Peaceful protest;Crowds in Karaj";
const TWO: &str = "Crowds in Karaj, then in Sanandaj.\n\
    @2022-11-12;Alborz;50.9915;35.8327;Protests;Peaceful protest;Crowds in Karaj\n\
    @2022-11-12;Kurdistan;46.9988;35.3145;Protests;Protest with intervention;Tear gas in Sanandaj";

fn report(store: &mut Store, id: &str, text: &str) -> i64 {
    let done = store
        .ingest(&[new_report(id, text)], &mut LineCoder::new("t 1"))
        .unwrap();
    match done[0] {
        unrest_store::Ingested::New { report_id, .. } => report_id,
        other => panic!("{other:?}"),
    }
}

both! {
    fn a_user_name_is_one_account_and_a_second_put_resets_it(db) {
        let mut s = db.open();
        let (id, new) = s.put_user("maryam", Role::Analyst, "$argon2id$one", "cli", at(1)).unwrap();
        assert!(new);
        let (again, new) = s.put_user(" maryam ", Role::Admin, "$argon2id$two", "cli", at(2)).unwrap();
        assert_eq!((again, new), (id, false));
        let u = s.user_by_name("maryam").unwrap().unwrap();
        assert_eq!((u.role, u.password_hash.as_str(), u.disabled), (Role::Admin, "$argon2id$two", false));
        assert!(s.put_user("no spaces please", Role::Analyst, "h", "cli", at(1)).is_err());
        assert!("root".parse::<Role>().is_err());
        assert_eq!(s.users().unwrap().len(), 1);
    }

    fn a_session_lives_until_it_expires_or_its_user_is_disabled(db) {
        let mut s = db.open();
        let (id, _) = s.put_user("reza", Role::Analyst, "h", "cli", at(1)).unwrap();
        s.create_session("tokenhash", id, "csrf1", at(1), at(3)).unwrap();
        let live = s.session("tokenhash", at(2)).unwrap().unwrap();
        assert_eq!((live.user.name.as_str(), live.csrf.as_str()), ("reza", "csrf1"));
        assert!(s.session("tokenhash", at(4)).unwrap().is_none(), "expired");
        assert!(s.session("other", at(2)).unwrap().is_none());
        assert!(s.update_user(id, None, Some(true), "admin", at(2)).unwrap());
        assert!(s.session("tokenhash", at(2)).unwrap().is_none(), "disabled users' sessions end");
        s.update_user(id, None, Some(false), "admin", at(2)).unwrap();
        s.create_session("t2", id, "c", at(2), at(3)).unwrap();
        s.delete_session("t2").unwrap();
        assert!(s.session("t2", at(2)).unwrap().is_none());
        assert!(!s.update_user(9999, Some(Role::Admin), None, "admin", at(2)).unwrap());
    }

    fn a_receipt_leads_to_its_report_and_follow_ups_join_it(db) {
        let mut s = db.open();
        let r = report(&mut s, "web-1", KARAJ);
        s.add_receipt("hash-a", r).unwrap();
        s.add_receipt("hash-b", r).unwrap();
        assert_eq!(s.report_by_receipt("hash-a").unwrap(), Some(r));
        assert_eq!(s.report_by_receipt("hash-b").unwrap(), Some(r));
        assert_eq!(s.report_by_receipt("nope").unwrap(), None);
        assert!(s.add_receipt("hash-a", r).is_err(), "a receipt names one report");
        s.add_followup(r, "Two more were detained.", at(3)).unwrap();
        let f = s.followups(r).unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].text, "Two more were detained.");
    }

    fn the_queue_holds_reports_with_open_events_or_none_or_new_follow_ups(db) {
        let mut s = db.open();
        let a = report(&mut s, "a", KARAJ);
        let b = report(&mut s, "b", "The streets were quiet.");
        let q: Vec<i64> = s.review_queue(10).unwrap().iter().map(|i| i.report_id).collect();
        assert_eq!(q, vec![b, a], "newest first; a report with no event waits too");
        let e = s.events_of_report(a).unwrap()[0].id;
        s.set_status(&[e], &Default::default(), Status::Published, "maryam", at(2)).unwrap();
        s.record_change("maryam", at(2), "published", Some(e), Some(a), "coded → published").unwrap();
        let q: Vec<i64> = s.review_queue(10).unwrap().iter().map(|i| i.report_id).collect();
        assert_eq!(q, vec![b]);
        s.add_followup(a, "More detail.", at(3)).unwrap();
        let q = s.review_queue(10).unwrap();
        assert_eq!(q.iter().map(|i| i.report_id).collect::<Vec<_>>(), vec![b, a]);
        assert_eq!(q[1].followups, 1);
        assert_eq!(s.changes(Some(e), None).unwrap()[0].who, "maryam");
    }

    fn a_merge_keeps_one_event_and_rejects_the_other_with_its_name(db) {
        let mut s = db.open();
        let r = report(&mut s, "two", TWO);
        let ids: Vec<i64> = s.events_of_report(r).unwrap().iter().map(|e| e.id).collect();
        let mut with_arrests = s.event(ids[1]).unwrap().unwrap().event;
        with_arrests.arrests = Some(4);
        s.edit_event(ids[1], &with_arrests, "reza", at(2)).unwrap();
        s.merge_events(ids[0], ids[1], "reza", at(3)).unwrap();
        let kept = s.event(ids[0]).unwrap().unwrap();
        let gone = s.event(ids[1]).unwrap().unwrap();
        assert_eq!(kept.event.arrests, Some(4), "counts the kept event lacked come over");
        assert_eq!(gone.status, Status::Rejected);
        assert!(gone.event.tags.contains(&format!("merged into IRN-U{}", ids[0])));
        assert_eq!(s.changes(Some(ids[1]), None).unwrap().last().unwrap().action, "merge");
        assert!(s.merge_events(ids[0], ids[0], "reza", at(3)).is_err());
        assert!(s.merge_events(ids[0], 99999, "reza", at(3)).is_err());
    }

    fn added_places_come_back_as_a_places_file(db) {
        let mut s = db.open();
        assert_eq!(s.places_tsv().unwrap(), "");
        let p = NewPlace {
            name: "Zibadasht".into(),
            lat: 35.79,
            lon: 50.9,
            city: "Karaj".into(),
            admin1: String::new(),
            kind: "district".into(),
            alt_names: vec!["زیبادشت".into()],
        };
        s.add_place(&p, "sara", at(1)).unwrap();
        assert_eq!(s.places_tsv().unwrap(), "Zibadasht\t35.79\t50.9\tKaraj\t\tdistrict\tزیبادشت\n");
        let bad = NewPlace { name: "a\tb".into(), ..p };
        assert!(s.add_place(&bad, "sara", at(1)).is_err());
    }
}
