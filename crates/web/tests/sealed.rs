//! Issue 6's sealed intake through the real server: a marker submitted through the form
//! (text, place, a follow-up) is nowhere in the database, the log or the data directory;
//! the organisation's identity gives it back byte for byte, also through the standard `age`
//! tool; another key opens nothing.

use crate::support::{between, value_of, App, Backend};
use unrest_seal::{SealError, SealedSubmission};
use unrest_store::Store;

const MARKER: &str = "MARKER-q7Zk3 crowds gathered at Azadi square";
const PLACE_MARKER: &str = "PLACEMARK-w9Xv";
const FOLLOWUP_MARKER: &str = "FOLLOWMARK-p2Lr two more detained";

fn every_file_under(dir: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(every_file_under(&path));
        } else {
            out.extend(std::fs::read(&path).unwrap_or_default());
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

async fn sealed_rows(app: &App) -> Vec<unrest_store::SealedRow> {
    let url = app.db.url.clone();
    tokio::task::spawn_blocking(move || {
        Store::open(&url).unwrap().sealed_submissions(true).unwrap()
    })
    .await
    .unwrap()
}

async fn a_sealed_server_keeps_no_plaintext_and_the_identity_opens_it(backend: Backend) {
    let key = unrest_seal::generate_identity();
    let recipient = key.recipient.clone();
    let app = App::start_configured(backend, |c| c.seal_to = Some(recipient)).await;

    let (status, page) = app.submit(MARKER, PLACE_MARKER, "2022-11-05").await;
    assert_eq!(status, 200, "{page}");
    let receipt = between(&page, "<output id=\"receipt\">", "</output>").to_string();

    // The receipt still answers, and takes a follow-up (sealed too).
    let (_, form) = app.get_text("/receipt").await;
    let token = value_of(&form, "token");
    let r = app
        .post("/receipt", &[("token", &token), ("code", &receipt)])
        .await;
    let page = r.text().await.unwrap();
    assert!(page.contains("Received; not reviewed yet."), "{page}");
    let token = value_of(&page, "token");
    let r = app
        .post(
            "/receipt/followup",
            &[
                ("token", &token),
                ("code", &receipt),
                ("text", FOLLOWUP_MARKER),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);

    // Nowhere in the clear: the database (SQLite file and its WAL, or every PostgreSQL
    // table), the log, every file of the data directory.
    let db = app.db.all_bytes();
    let log = app.log_text();
    let dir = app
        .db
        .sqlite_file
        .as_ref()
        .map(|f| every_file_under(f.parent().unwrap()))
        .unwrap_or_default();
    for marker in [MARKER, PLACE_MARKER, FOLLOWUP_MARKER, "MARKER-q7Zk3"] {
        assert!(!contains(&db, marker), "{marker} in the database");
        assert!(!log.contains(marker), "{marker} in the log");
        assert!(!contains(&dir, marker), "{marker} in the data directory");
    }
    if app.db.sqlite_file.is_some() {
        assert!(!dir.is_empty(), "the data directory was read");
    }

    // The identity opens both, byte for byte; another key opens nothing.
    let rows = sealed_rows(&app).await;
    assert_eq!(rows.len(), 2);
    let open = |row: &unrest_store::SealedRow, id: &unrest_seal::Identity| {
        SealedSubmission {
            sha256_of_ciphertext: row.sha256.clone(),
            ciphertext: row.ciphertext.clone(),
        }
        .open(id)
    };
    let first = open(&rows[0], &key.identity()).unwrap();
    assert_eq!(first.text.as_bytes(), MARKER.as_bytes());
    assert_eq!(first.place.as_deref(), Some(PLACE_MARKER));
    assert_eq!(first.date.as_deref(), Some("2022-11-05"));
    let second = open(&rows[1], &key.identity()).unwrap();
    assert_eq!(second.text, FOLLOWUP_MARKER);
    assert_eq!(rows[1].followup_of, Some(rows[0].id));
    let other = unrest_seal::generate_identity().identity();
    assert!(matches!(
        open(&rows[0], &other),
        Err(SealError::WrongIdentity)
    ));

    // The standard age tool opens what the server stored.
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key.txt");
    std::fs::write(&key_file, key.identity_file(chrono::Utc::now()).as_bytes()).unwrap();
    let blob = dir.path().join("report.age");
    std::fs::write(&blob, &rows[0].ciphertext).unwrap();
    match std::process::Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&key_file)
        .arg(&blob)
        .output()
    {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(json["text"], MARKER);
            assert_eq!(json["format"], "unrest-submission/1");
        }
        Err(e) => panic!("the `age` tool is needed for this test (apt-get install age): {e}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealed_server_keeps_no_plaintext_and_the_identity_opens_it_sqlite() {
    a_sealed_server_keeps_no_plaintext_and_the_identity_opens_it(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealed_server_keeps_no_plaintext_and_the_identity_opens_it_postgres() {
    a_sealed_server_keeps_no_plaintext_and_the_identity_opens_it(Backend::Postgres).await;
}
