//! Sealed intake and photos in the store, on both backends: ciphertext in and out byte for
//! byte, receipts found, pulled and used marks, each arrival in the audit log; photos kept
//! once per content.

use super::support::at;
use crate::both;

both! {
    fn a_sealed_submission_comes_back_byte_for_byte_and_its_receipt_finds_it(db) {
        let mut store = db.open();
        let blob: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
        // Real SHA-256s: audit verify re-hashes every ciphertext against them.
        let (sha, sha_more) = (unrest_store::sha256_hex(&blob), unrest_store::sha256_hex(b"\x00\x01"));
        let id = store.add_sealed(&sha, &blob, Some("receipt-hash"), None, at(5)).unwrap();
        let more = store.add_sealed(&sha_more, b"\x00\x01", None, Some(id), at(6)).unwrap();
        let rows = store.sealed_submissions(false).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].ciphertext, blob);
        assert_eq!(rows[0].sha256, sha);
        assert_eq!(rows[1].followup_of, Some(id));
        let r = store.sealed_by_receipt("receipt-hash").unwrap().unwrap();
        assert_eq!((r.id, r.used), (id, false));
        assert!(store.sealed_by_receipt("other").unwrap().is_none());

        store.mark_sealed_pulled(&[id, more], "analyst", at(7)).unwrap();
        assert!(store.sealed_submissions(false).unwrap().is_empty());
        assert!(store.sealed_submissions(true).unwrap().iter().all(|r| r.pulled));
        assert!(store.mark_sealed_used(&sha).unwrap());
        assert!(!store.mark_sealed_used("nope").unwrap());
        assert!(store.sealed_by_receipt("receipt-hash").unwrap().unwrap().used);

        let log = store.audit_verify(None).unwrap();
        assert!(log.is_intact(), "{log:?}");
    }

    fn a_photo_is_kept_once_per_content(db) {
        let mut store = db.open();
        let mut coder = crate::support::LineCoder::new("v1");
        let done = store.ingest(&[crate::support::new_report("a", "Crowds in Karaj.")], &mut coder).unwrap();
        let report_id = match done[0] {
            unrest_store::Ingested::New { report_id, .. } => report_id,
            ref other => panic!("{other:?}"),
        };
        let sha = store.add_media(report_id, "image/png", b"png bytes").unwrap();
        assert_eq!(store.add_media(report_id, "image/png", b"png bytes").unwrap(), sha);
        assert_eq!(store.media_of_report(report_id).unwrap(), vec![(sha.clone(), "image/png".to_string())]);
        assert_eq!(store.media(&sha).unwrap().unwrap().bytes, b"png bytes");
    }
}
