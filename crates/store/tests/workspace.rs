//! The review workspace's records — the queue's filters and paging, assignments, who is
//! looking, dismissed reports, comments, the four-eyes setting — each rule pinned on SQLite
//! and PostgreSQL.

mod support;

use support::{at, new_report, LineCoder};
use unrest_store::{QueueFilter, Status, Store};

const KARAJ: &str = "Crowds in Karaj by the bazaar.\n\
    @2022-11-12;Alborz;50.9915;35.8327;Protests;Peaceful protest;Crowds in Karaj";
const SANANDAJ: &str = "Tear gas in Sanandaj.\n\
    @2022-11-14;Kurdistan;46.9988;35.3145;Protests;Protest with intervention;Tear gas in Sanandaj";

fn report(store: &mut Store, id: &str, text: &str, channel: &str, lang: &str) -> i64 {
    let mut new = new_report(id, text);
    new.channel = channel.into();
    new.report.lang = Some(lang.into());
    let done = store.ingest(&[new], &mut LineCoder::new("t 1")).unwrap();
    match done[0] {
        unrest_store::Ingested::New { report_id, .. } => report_id,
        other => panic!("{other:?}"),
    }
}

fn ids(s: &mut Store, f: QueueFilter) -> Vec<i64> {
    let f = QueueFilter { per_page: 50, ..f };
    s.queue(&f)
        .unwrap()
        .rows
        .iter()
        .map(|r| r.report_id)
        .collect()
}

both! {
    fn a_new_deployment_has_four_eyes_on(db) {
        let mut s = db.open();
        assert!(s.four_eyes().unwrap());
        s.set_setting("four_eyes", "off", "admin", at(2)).unwrap();
        assert!(!s.four_eyes().unwrap());
    }

    fn the_queue_filters_by_status_province_type_date_channel_language_assignee_and_words(db) {
        let mut s = db.open();
        let k = report(&mut s, "k", KARAJ, "web", "en");
        let n = report(&mut s, "n", SANANDAJ, "telegram:news", "fa");
        let q = report(&mut s, "q", "The streets were quiet today.", "web", "en");
        let all = QueueFilter::default();
        let mut open = ids(&mut s, all.clone());
        open.sort();
        assert_eq!(open, vec![k, n, q]);
        let f = |g: fn(&mut QueueFilter)| { let mut f = QueueFilter::default(); g(&mut f); f };
        assert_eq!(ids(&mut s, f(|f| f.province = Some("Kordestan".into()))), vec![n], "any spelling");
        assert_eq!(ids(&mut s, f(|f| f.event_type = Some("peaceful protest".into()))), vec![k]);
        assert_eq!(ids(&mut s, f(|f| f.from = Some("2022-11-13".into()))), vec![n]);
        assert_eq!(ids(&mut s, f(|f| f.to = Some("2022-11-12".into()))), vec![k]);
        assert_eq!(ids(&mut s, f(|f| f.channel = Some("telegram:news".into()))), vec![n]);
        assert_eq!(ids(&mut s, f(|f| f.lang = Some("fa".into()))), vec![n]);
        assert_eq!(ids(&mut s, f(|f| f.no_event = true)), vec![q]);
        assert_eq!(ids(&mut s, f(|f| f.search = Some("bazaar".into()))), vec![k]);
        assert!(s.queue(&f(|f| f.from = Some("12/11/2022".into()))).is_err());
        // Status: published events leave "to review" and are found as published.
        let e = s.events_of_report(k).unwrap()[0].id;
        s.set_status(&[e], &Default::default(), Status::Published, "sara", at(3)).unwrap();
        assert!(!ids(&mut s, all.clone()).contains(&k));
        assert_eq!(ids(&mut s, f(|f| f.status = Some("published".into()))), vec![k]);
        assert_eq!(ids(&mut s, f(|f| f.status = Some("all".into()))).len(), 3);
        // Assignment.
        s.assign(&[n, q], Some("maryam"), "sara", at(3)).unwrap();
        let mut mine = ids(&mut s, f(|f| f.assigned = Some("maryam".into())));
        mine.sort();
        assert_eq!(mine, vec![n, q]);
        s.assign(&[q], None, "sara", at(3)).unwrap();
        assert_eq!(ids(&mut s, f(|f| f.assigned = Some("maryam".into()))), vec![n]);
        assert_eq!(ids(&mut s, f(|f| { f.assigned = Some("none".into()); f.status = Some("all".into()) })).len(), 2);
        let row = &s.queue(&f(|f| f.channel = Some("telegram:news".into()))).unwrap().rows[0];
        assert_eq!(row.assigned_to.as_deref(), Some("maryam"));
        assert_eq!(row.events.len(), 1);
        assert!(!row.events[0].location.is_empty());
        assert_eq!(row.events[0].source_count, 1);
    }

    fn the_queue_pages_newest_first_or_oldest_first(db) {
        let mut s = db.open();
        let mut made = Vec::new();
        for i in 0..7 {
            let mut new = new_report(&format!("r{i}"), &format!("Report number {i} with no event."));
            new.received_at = at(1 + i);
            made.push(match s.ingest(&[new], &mut LineCoder::new("t 1")).unwrap()[0] {
                unrest_store::Ingested::New { report_id, .. } => report_id,
                other => panic!("{other:?}"),
            });
        }
        let page = |s: &mut Store, page, sort: &str| s.queue(&QueueFilter { per_page: 3, page, sort: Some(sort.into()), ..Default::default() }).unwrap();
        let p0 = page(&mut s, 0, "newest");
        assert!(p0.more);
        assert_eq!(p0.rows.iter().map(|r| r.report_id).collect::<Vec<_>>(), vec![made[6], made[5], made[4]]);
        let p2 = page(&mut s, 2, "newest");
        assert!(!p2.more);
        assert_eq!(p2.rows.iter().map(|r| r.report_id).collect::<Vec<_>>(), vec![made[0]]);
        assert_eq!(page(&mut s, 0, "oldest").rows[0].report_id, made[0]);
        assert_eq!(s.queue_neighbours(made[5]).unwrap(), (Some(made[6]), Some(made[4])));
    }

    fn a_report_with_no_event_is_dismissed_with_its_reason_in_the_audit(db) {
        let mut s = db.open();
        let q = report(&mut s, "q", "Only a greeting, nothing happened.", "web", "en");
        let k = report(&mut s, "k", KARAJ, "web", "en");
        assert!(s.dismiss(&[q], "boring", "", "sara", at(2)).is_err(), "a reason of the list");
        assert!(s.dismiss(&[k], "not an event", "", "sara", at(2)).is_err(), "a report with events");
        s.dismiss(&[q], "not an event", "a greeting", "sara", at(2)).unwrap();
        assert_eq!(s.dismissal(q).unwrap(), Some(("not an event".into(), "a greeting".into())));
        assert!(!ids(&mut s, QueueFilter::default()).contains(&q), "out of the queue");
        assert_eq!(ids(&mut s, QueueFilter { status: Some("dismissed".into()), ..Default::default() }), vec![q]);
        let log = s.audit_history("report", &q.to_string()).unwrap();
        let last = log.last().unwrap();
        assert_eq!((last.actor.as_str(), last.action.as_str()), ("sara", "dismiss"));
        assert!(last.change.contains("not an event: a greeting"), "{}", last.change);
        assert!(s.audit_verify(None).unwrap().findings.is_empty(), "the log replays");
    }

    fn comments_are_kept_for_analysts_with_their_audit_entry(db) {
        let mut s = db.open();
        let k = report(&mut s, "k", KARAJ, "web", "en");
        let e = s.events_of_report(k).unwrap()[0].id;
        s.comment(k, None, "Check the date with the second channel.", "sara", at(2)).unwrap();
        s.comment(k, Some(e), "The crowd size seems high.", "maryam", at(3)).unwrap();
        assert!(s.comment(k, None, "   ", "sara", at(3)).is_err());
        let c = s.comments(k).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!((c[1].author.as_str(), c[1].event_id), ("maryam", Some(e)));
        let log = s.audit_history("event", &e.to_string()).unwrap();
        assert!(log.iter().any(|l| l.action == "comment" && l.actor == "maryam"));
        let h = s.changes(None, Some(k)).unwrap();
        assert!(h.iter().any(|c| c.action == "comment"));
    }

    fn who_is_looking_at_a_report_is_known_for_ten_minutes(db) {
        let mut s = db.open();
        let k = report(&mut s, "k", KARAJ, "web", "en");
        s.looking(k, "maryam", at(2)).unwrap();
        s.looking(k, "sara", at(2)).unwrap();
        assert_eq!(s.lookers(k, at(2), "sara").unwrap(), vec!["maryam".to_string()]);
        assert!(s.lookers(k, at(3), "sara").unwrap().is_empty());
    }

    fn a_suggested_duplicate_kept_apart_is_not_suggested_again(db) {
        let mut s = db.open();
        let a = report(&mut s, "a", KARAJ, "web", "en");
        let b = report(&mut s, "b", "Also crowds in Karaj by the bazaar.\n\
            @2022-11-13;Alborz;50.9915;35.8327;Protests;Peaceful protest;Crowds in Karaj again", "telegram:x", "en");
        let ea = s.events_of_report(a).unwrap()[0].id;
        let eb = s.events_of_report(b).unwrap()[0].id;
        let found: Vec<i64> = s.duplicate_candidates(ea, 3).unwrap().iter().map(|e| e.id).collect();
        // Either corroboration already joined them (no suggestion needed) or it is suggested.
        let joined = s.incident(ea).unwrap().map(|i| i.id()) == s.incident(eb).unwrap().map(|i| i.id());
        assert!(joined || found == vec![eb], "{found:?}");
        s.keep_apart(ea, eb, "sara", at(3)).unwrap();
        assert!(s.duplicate_candidates(ea, 3).unwrap().is_empty());
        assert!(s.duplicate_candidates(eb, 3).unwrap().is_empty());
    }
}
