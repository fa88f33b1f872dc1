//! What the public must never reach and what an attacker must not break, on SQLite and
//! PostgreSQL (issue 11): public filters see only public fields, public paging does not
//! tell unpublished from missing, NUL bytes are refused by name.

mod support;

use support::{at, ids, new_report, LineCoder};
use unrest_store::{Filter, Order, Page, Status, Store};

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

both! {
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
