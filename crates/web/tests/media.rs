//! Issue 6's photos through the real server: a phone JPEG with GPS EXIF comes out of
//! `/submit` without it (the stored and served copy is parsed with kamadak-exif, as the media
//! crate's own tests do); a decompression bomb and a file lying about its type are refused
//! with a clear message and the report's text comes back in the form; in sealed mode the
//! scrubbed photo travels inside the seal.

use crate::support::{between, App, Backend};
use std::io::Cursor;

#[allow(dead_code)]
#[path = "../../media/tests/support/mod.rs"]
mod photos;

const TEXT: &str = "Karaj, 12 November 2022: crowds gathered at the bazaar and were dispersed.";

fn exif_of(bytes: &[u8]) -> Result<exif::Exif, exif::Error> {
    exif::Reader::new().read_from_container(&mut Cursor::new(bytes))
}

fn has_gps(bytes: &[u8]) -> bool {
    exif_of(bytes).is_ok_and(|e| {
        e.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
            .is_some()
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn phone_photo() -> Vec<u8> {
    let jpeg = photos::phone_jpeg(&photos::two_halves(64, 48), 1);
    assert!(has_gps(&jpeg), "the fixture carries GPS");
    jpeg
}

crate::both!(
    a_photos_gps_exif_is_gone_from_what_is_stored_and_served,
    |app: App| async move {
        let jpeg = phone_photo();
        let (status, page) = app
            .submit_multipart(
                TEXT,
                &[("IMG_20221112_MARKERNAME.jpg", "image/jpeg", &jpeg)],
            )
            .await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("<output id=\"receipt\">"));

        let analyst = app.login_as("maryam", "analyst").await;
        let (_, page) = analyst.get_text("/review/reports/1").await;
        let sha = between(&page, "src=\"/review/media/", "\"").to_string();
        assert_eq!(sha.len(), 64, "{page}");
        let r = analyst.get(&format!("/review/media/{sha}")).await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["content-type"], "image/jpeg");
        let served = r.bytes().await.unwrap().to_vec();
        assert!(
            exif_of(&served).is_err() || !has_gps(&served),
            "GPS survived"
        );
        for m in photos::MARKERS {
            assert!(!contains(&served, m.as_bytes()), "{m} in the served photo");
        }
        image::load_from_memory(&served).expect("still a picture");

        // Only the scrubbed copy is stored: no marker, no file name in the database.
        let db = app.db.all_bytes();
        for m in photos::MARKERS.iter().chain(&["MARKERNAME"]) {
            assert!(!contains(&db, m.as_bytes()), "{m} in the database");
        }
        // The public and logged-out visitors cannot fetch it.
        assert_ne!(
            app.get(&format!("/review/media/{sha}"))
                .await
                .status()
                .as_u16(),
            200
        );
    }
);

crate::both!(
    a_bomb_and_a_liar_are_refused_and_the_text_comes_back,
    |app: App| async move {
        let bomb = photos::png_bomb(60_000, 60_000);
        let (status, page) = app
            .submit_multipart(TEXT, &[("bomb.png", "image/png", &bomb)])
            .await;
        assert_eq!(status, 400);
        assert!(page.contains("A photo was refused"), "{page}");
        assert!(page.contains("60000×60000 pixels"), "{page}");
        assert!(page.contains(TEXT), "the text is kept: {page}");

        let png = photos::encode(
            &image::DynamicImage::ImageRgb8(photos::two_halves(8, 8)),
            image::ImageFormat::Png,
        );
        let (status, page) = app
            .submit_multipart(TEXT, &[("photo.jpg", "image/jpeg", &png)])
            .await;
        assert_eq!(status, 400);
        assert!(
            page.contains("says it is") && page.contains("but its content is PNG"),
            "{page}"
        );
        assert!(page.contains(TEXT), "{page}");

        let (status, page) = app
            .submit_multipart(
                TEXT,
                &[("notes.txt", "text/plain", b"not a picture at all")],
            )
            .await;
        assert_eq!(status, 400);
        assert!(page.contains("not an image"), "{page}");

        // Nothing was stored by the refused submissions.
        let (_, v) = app.get_json("/api/events").await;
        assert_eq!(v["count"], 0);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_sealed_mode_the_scrubbed_photo_travels_inside_the_seal() {
    let key = unrest_seal::generate_identity();
    let recipient = key.recipient.clone();
    let app = App::start_configured(Backend::Sqlite, |c| c.seal_to = Some(recipient)).await;
    let jpeg = phone_photo();
    let (status, page) = app
        .submit_multipart(TEXT, &[("IMG_MARKERNAME.jpg", "image/jpeg", &jpeg)])
        .await;
    assert_eq!(status, 200, "{page}");
    let db = app.db.all_bytes();
    assert!(!contains(&db, b"MARKERNAME") && !contains(&db, TEXT.as_bytes()));
    let url = app.db.url.clone();
    let rows = tokio::task::spawn_blocking(move || {
        unrest_store::Store::open(&url)
            .unwrap()
            .sealed_submissions(true)
            .unwrap()
    })
    .await
    .unwrap();
    let opened = unrest_seal::SealedSubmission {
        sha256_of_ciphertext: rows[0].sha256.clone(),
        ciphertext: rows[0].ciphertext.clone(),
    }
    .open(&key.identity())
    .unwrap();
    assert_eq!(opened.text, TEXT);
    let photo = &opened.attachments[0];
    assert_eq!(photo.name, "IMG_MARKERNAME.jpg");
    assert_eq!(photo.media_type, "image/jpeg");
    assert!(!has_gps(&photo.bytes));
    assert!(photo.original.is_none(), "originals are not kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealed_server_keeps_the_original_only_inside_the_seal_when_asked() {
    let key = unrest_seal::generate_identity();
    let recipient = key.recipient.clone();
    let app = App::start_configured(Backend::Sqlite, |c| {
        c.seal_to = Some(recipient);
        c.keep_originals = true;
    })
    .await;
    let jpeg = phone_photo();
    let (status, page) = app
        .submit_multipart(TEXT, &[("IMG.jpg", "image/jpeg", &jpeg)])
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(!contains(&app.db.all_bytes(), b"MARKERSERIAL123"));
    let url = app.db.url.clone();
    let rows = tokio::task::spawn_blocking(move || {
        unrest_store::Store::open(&url)
            .unwrap()
            .sealed_submissions(true)
            .unwrap()
    })
    .await
    .unwrap();
    let opened = unrest_seal::SealedSubmission {
        sha256_of_ciphertext: rows[0].sha256.clone(),
        ciphertext: rows[0].ciphertext.clone(),
    }
    .open(&key.identity())
    .unwrap();
    let photo = &opened.attachments[0];
    assert_eq!(photo.original.as_deref(), Some(&jpeg[..]), "byte for byte");
    assert!(!has_gps(&photo.bytes));
}
