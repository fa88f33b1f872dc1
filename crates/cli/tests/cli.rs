//! The `unrest` binary as a user runs it: real files in a temporary folder, the real
//! process, its exit status, stdout and stderr.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

mod support;

fn unrest(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_unrest"))
        .args(args)
        .current_dir(dir)
        .env_remove("UNREST_DATABASE_URL")
        .output()
        .expect("unrest runs")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

const REPORT: &str = "Sanandaj, 5 November: Hundreds of people gathered and chanted slogans. Special units attacked them with batons; at least 12 people were arrested.";

#[test]
fn csv_output_starts_with_acleds_header_exactly() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "r.txt", REPORT.as_bytes());
    let out = unrest(
        &["code", "--reference-date", "2022-11-30", "r.txt"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.starts_with(&unrest_model::ACLED_COLUMNS.join(",")));
    let row = text.lines().nth(1).unwrap();
    assert!(row.contains("2022-11-05") && row.contains("Sanandaj"));
}

#[test]
fn reports_that_give_no_event_are_counted_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "r.txt", REPORT.as_bytes());
    write(
        dir.path(),
        "quiet.txt",
        b"The weather in Rasht was mild and the markets were busy all week.",
    );
    // Places as the coder reads them: another spelling is a place, a name abroad is not.
    write(
        dir.path(),
        "spelled.txt",
        b"The new school year began quietly in Sarepol Zahab.",
    );
    write(
        dir.path(),
        "abroad.txt",
        b"A film festival in Iraqi Kurdistan drew a large audience.",
    );
    let out = unrest(
        &[
            "code",
            "--reference-date",
            "2022-11-30",
            "r.txt",
            "quiet.txt",
            "spelled.txt",
            "abroad.txt",
        ],
        dir.path(),
    );
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("3 of 4 reports gave no event (2 of them name a place the gazetteer knows)"),
        "{err}"
    );
    // Named, so that an analyst can look at them.
    assert!(
        err.contains("reports that name a place and gave no event: quiet.txt, spelled.txt\n"),
        "{err}"
    );
}

#[test]
fn bad_inputs_are_named_and_the_rest_is_still_coded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "good.txt", REPORT.as_bytes());
    write(d, "empty.txt", b"");
    write(d, "binary.txt", b"\x00\x01\x02PNG");
    write(d, "latin1.txt", b"Sanandaj caf\xe9");
    write(
        d,
        "inbox.jsonl",
        format!("{{\"id\":\"a\",\"text\":{:?}}}\n{{oops\n", REPORT).as_bytes(),
    );
    let out = unrest(
        &[
            "code",
            "--format",
            "jsonl",
            "--reference-date",
            "2022-11-30",
            ".",
        ],
        d,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "empty.txt: empty report",
        "binary.txt: binary file",
        "latin1.txt: not valid UTF-8",
        "inbox.jsonl:2: ",
    ] {
        assert!(err.contains(needle), "stderr lacks {needle:?}: {err}");
    }
    let events = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        events.lines().count(),
        2,
        "good.txt and the good JSONL line: {events}"
    );
}

#[test]
fn a_ten_megabyte_line_is_refused_by_name_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let big = "protest ".repeat(10 * 1024 * 1024 / 8);
    write(dir.path(), "big.txt", big.as_bytes());
    write(dir.path(), "good.txt", REPORT.as_bytes());
    let out = unrest(
        &[
            "code",
            "--reference-date",
            "2022-11-30",
            "big.txt",
            "good.txt",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("big.txt: report larger than"));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
}

#[test]
fn an_unknown_format_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "r.txt", REPORT.as_bytes());
    let out = unrest(&["code", "--format", "xml", "r.txt"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown format \"xml\""));
}

/// Runs `unrest code … -` with `input` on standard input.
fn code_stdin(format: &str, input: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_unrest"))
        .args([
            "code",
            "--format",
            format,
            "--reference-date",
            "2022-11-30",
            "-",
        ])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn standard_input_is_one_report() {
    let out = code_stdin("geojson", REPORT);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    assert_eq!(v["features"][0]["properties"]["location"], "Sanandaj");
}

#[test]
fn standard_input_starting_with_an_object_is_json_lines() {
    let lines = format!(
        "{{\"id\":\"a\",\"text\":{REPORT:?}}}\n{{\"id\":\"b\",\"text\":{:?}}}\n",
        REPORT.replace("Sanandaj", "Saqqez")
    );
    let out = code_stdin("jsonl", &lines);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 2);
    assert!(text.contains("\"report\":\"b\""));
}

#[test]
fn a_reports_own_date_wins_over_the_flag_which_wins_over_a_dateline() {
    // One precedence in `code` and `ingest`: the JSONL line's reference_date, then
    // --reference-date, then a dateline at the top of the report, then the day it is coded.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "in.jsonl", b"{\"id\":\"x\",\"text\":\"Tabriz, yesterday: students chanted slogans.\",\"reference_date\":\"2022-10-10\"}\n");
    write(
        d,
        "dated.md",
        "Tabriz, November 30, 2022\n\nYesterday students chanted slogans.".as_bytes(),
    );
    let date_of = |args: &[&str]| -> String {
        let out = unrest(args, d);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let at = text.find("\"event_date\":\"").expect(&text) + 14;
        text[at..at + 10].to_string()
    };
    let flag = ["--reference-date", "2022-12-01"];
    for command in ["code", "ingest"] {
        let run = |input: &str, with_flag: bool| {
            let db = d
                .join(format!("{command}-{input}-{with_flag}.db"))
                .display()
                .to_string();
            let mut args: Vec<&str> = vec![command];
            if with_flag {
                args.extend(flag);
            }
            if command == "code" {
                args.extend(["--format", "jsonl", input]);
                date_of(&args)
            } else {
                args.extend(["--db", &db, input]);
                let out = unrest(&args, d);
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                date_of(&["events", "--db", &db, "--reports", "--format", "jsonl"])
            }
        };
        assert_eq!(
            run("in.jsonl", false),
            "2022-10-09",
            "{command}: the report's own date"
        );
        assert_eq!(
            run("in.jsonl", true),
            "2022-10-09",
            "{command}: own date over the flag"
        );
        assert_eq!(
            run("dated.md", false),
            "2022-11-29",
            "{command}: the dateline"
        );
        assert_eq!(
            run("dated.md", true),
            "2022-11-30",
            "{command}: the flag over the dateline"
        );
    }
}

#[test]
fn directories_are_walked_and_only_report_files_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    write(d, "sub/a.txt", REPORT.as_bytes());
    write(
        d,
        "sub/b.md",
        REPORT.replace("Sanandaj", "Saqqez").as_bytes(),
    );
    write(d, "sub/photo.jpg", b"\xff\xd8\xff");
    let out = unrest(
        &[
            "code",
            "--format",
            "jsonl",
            "--reference-date",
            "2022-11-30",
            "sub",
        ],
        d,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
}

#[test]
fn keygen_writes_a_private_identity_once_and_prints_the_public_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = unrest(&["keygen", "--output", "key.txt"], dir.path());
    assert!(out.status.success());
    let public = String::from_utf8(out.stdout).unwrap();
    assert!(public.trim().starts_with("age1"));
    let file = std::fs::read_to_string(dir.path().join("key.txt")).unwrap();
    assert!(file.contains("AGE-SECRET-KEY-1") && file.contains(public.trim()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("key.txt"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = unrest(&["keygen", "--output", "key.txt"], dir.path());
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn a_signed_mirror_verifies_until_one_byte_of_one_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "r.txt", REPORT.as_bytes());
    let ok = |out: &Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        )
    };
    ok(&unrest(
        &[
            "ingest",
            "--db",
            "m.db",
            "--reference-date",
            "2022-11-30",
            "r.txt",
        ],
        d,
    ));
    ok(&unrest(
        &[
            "publish", "--db", "m.db", "--as", "maryam", "--status", "coded",
        ],
        d,
    ));
    let key = unrest(&["keygen", "--sign", "--output", "sign.key"], d);
    ok(&key);
    let stdout = String::from_utf8(key.stdout).unwrap();
    let public = stdout.lines().last().unwrap().to_string();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("sign.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    ok(&unrest(
        &[
            "site",
            "build",
            "--db",
            "m.db",
            "--sign-key",
            "sign.key",
            "site",
        ],
        d,
    ));
    let verified = unrest(&["site", "verify", "site", "--key", &public], d);
    ok(&verified);
    assert!(String::from_utf8_lossy(&verified.stdout).starts_with("ok: "));

    let page = d.join("site/events/1.html");
    let mut bytes = std::fs::read(&page).unwrap();
    bytes[100] ^= 0x20;
    std::fs::write(&page, bytes).unwrap();
    let broken = unrest(&["site", "verify", "site", "--key", &public], d);
    assert_eq!(broken.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(broken.stdout).unwrap(),
        "events/1.html: changed (its SHA-256 is not the manifest's)\n"
    );
}

/// A server's dataset holding `texts` sealed to `recipient` (the second, if any, a
/// follow-up of the first), as `unrest serve --seal-to` stores them.
fn sealed_server(dir: &Path, recipient: &unrest_seal::Recipient, texts: &[&str]) -> String {
    let url = format!("sqlite:{}", dir.join("server.db").display());
    let mut store = unrest_store::Store::open(&url).unwrap();
    let mut first = None;
    for (i, text) in texts.iter().enumerate() {
        let submission = unrest_seal::Submission {
            text: text.to_string(),
            place: (i == 0).then(|| "Sanandaj".to_string()),
            date: (i == 0).then(|| "2022-11-05".to_string()),
            lang: None,
            received_at: chrono::Utc::now(),
            attachments: Vec::new(),
        };
        let sealed = unrest_seal::seal_submission(recipient, &submission);
        let id = store
            .add_sealed(
                &sealed.sha256_of_ciphertext,
                &sealed.ciphertext,
                (i == 0).then_some("receipt"),
                first,
                chrono::Utc::now(),
            )
            .unwrap();
        first = first.or(Some(id));
    }
    url
}

/// A new organisation key, its identity file written to `dir/key.txt`.
fn identity_in(dir: &Path) -> unrest_seal::KeyPair {
    let key = unrest_seal::generate_identity();
    std::fs::write(
        dir.join("key.txt"),
        key.identity_file(chrono::Utc::now()).as_bytes(),
    )
    .unwrap();
    key
}

#[test]
fn unseal_gives_back_each_sealed_report_byte_for_byte_and_marks_it_pulled() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = identity_in(d);
    let marker = "MARKER-unseal-4kq Hundreds gathered and chanted slogans; 12 were arrested.";
    let server = sealed_server(d, &key.recipient, &[marker, "FOLLOW-9zz two more detained"]);

    let out = unrest(
        &[
            "unseal",
            "--db",
            &server,
            "--identity",
            "key.txt",
            "--into",
            "local.db",
        ],
        d,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("2 sealed submissions opened"), "{err}");

    let mut local = unrest_store::Store::open(d.join("local.db").to_str().unwrap()).unwrap();
    let report = local.report(1).unwrap().unwrap();
    assert_eq!(
        report.report.text,
        format!("Sanandaj, 5 November 2022:\n{marker}")
    );
    assert!(report.report.text.as_bytes().ends_with(marker.as_bytes()));
    assert!(report.report.id.starts_with("sealed-"));
    assert!(report.coded_with.is_some(), "coded on ingest");
    assert_eq!(
        local.incidents(None, None, false).unwrap().len(),
        1,
        "its event joined the incidents as it was opened, without `unrest cluster`"
    );
    assert_eq!(
        local.followups(1).unwrap()[0].text,
        "FOLLOW-9zz two more detained"
    );

    // Pulled: a second run finds nothing new; the server holds no plaintext.
    let out = unrest(
        &[
            "unseal",
            "--db",
            &server,
            "--identity",
            "key.txt",
            "--into",
            "local.db",
        ],
        d,
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no sealed submissions to pull"));
    let server_bytes = std::fs::read(d.join("server.db")).unwrap();
    assert!(!server_bytes.windows(14).any(|w| w == b"MARKER-unseal-"));
}

#[test]
fn unseal_with_another_key_opens_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = unrest_seal::generate_identity();
    let other = unrest_seal::generate_identity();
    std::fs::write(
        d.join("other.txt"),
        other.identity_file(chrono::Utc::now()).as_bytes(),
    )
    .unwrap();
    let server = sealed_server(d, &key.recipient, &["MARKER-x"]);
    let out = unrest(
        &[
            "unseal",
            "--db",
            &server,
            "--identity",
            "other.txt",
            "--into",
            "local.db",
        ],
        d,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("wrong key") && err.contains("none of the 1 sealed submissions opens"),
        "{err}"
    );
    // Still waiting for the right key.
    let mut store = unrest_store::Store::open(&server).unwrap();
    assert_eq!(store.sealed_submissions(false).unwrap().len(), 1);

    // No identity file at all: said plainly.
    let out = unrest(&["unseal", "--db", &server, "--identity", "missing.txt"], d);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reading the identity file missing.txt"));
}

#[test]
fn serve_refuses_to_start_with_a_bad_seal_to_key() {
    let dir = tempfile::tempdir().unwrap();
    for (key, says) in [
        ("age1notakey", "not an age public key"),
        ("AGE-SECRET-KEY-1QQQQ", "this is a SECRET key"),
    ] {
        let out = unrest(
            &[
                "serve",
                "--db",
                "x.db",
                "--bind",
                "127.0.0.1:0",
                "--seal-to",
                key,
            ],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--seal-to") && err.contains(says), "{err}");
        assert!(!err.contains("QQQQ"), "the secret is never echoed: {err}");
    }
}

#[test]
fn push_copies_published_events_without_the_reporters_words_and_the_receipt_says_used() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = identity_in(d);
    let words = "Hundreds of people gathered in Azadi square and chanted slogans. Special units attacked them with batons; at least 12 people were arrested.";
    let server = sealed_server(d, &key.recipient, &[words]);
    let out = unrest(
        &[
            "unseal",
            "--db",
            &server,
            "--identity",
            "key.txt",
            "--into",
            "local.db",
        ],
        d,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = unrest(&["publish", "--db", "local.db", "--as", "maryam", "1"], d);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = unrest(
        &[
            "push", "--from", "local.db", "--to", &server, "--as", "maryam",
        ],
        d,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("1 sealed submissions marked used"), "{err}");

    let mut store = unrest_store::Store::open(&server).unwrap();
    assert!(store.sealed_by_receipt("receipt").unwrap().unwrap().used);
    let mut events = Vec::new();
    store
        .events::<unrest_store::Error>(&Default::default(), &Default::default(), |e| {
            events.push(e);
            Ok(())
        })
        .unwrap();
    assert!(!events.is_empty());
    for e in &events {
        assert_eq!(e.status, unrest_store::Status::Published);
        assert!(e.event.evidence.is_empty() && e.event.report.is_empty());
        assert_eq!(e.event.location, "Sanandaj");
    }
    // The server still holds none of the reporter's words.
    let mut bytes = std::fs::read(d.join("server.db")).unwrap();
    bytes.extend(std::fs::read(d.join("server.db-wal")).unwrap_or_default());
    for needle in ["Azadi square", "chanted slogans", "Special units"] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle}"
        );
    }
    // Pushing again adds nothing.
    let out = unrest(
        &[
            "push", "--from", "local.db", "--to", &server, "--as", "maryam",
        ],
        d,
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 events pushed"));
}

/// A PostgreSQL schema of its own for one test; dropped at the end.
struct PgSchema {
    admin: String,
    name: String,
}

impl PgSchema {
    fn new() -> PgSchema {
        let admin = std::env::var("UNREST_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
        let name = format!(
            "cli_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        let mut c = postgres::Client::connect(&admin, postgres::NoTls)
            .expect("PostgreSQL for this test (scripts/pg-start.sh)");
        c.batch_execute(&format!("CREATE SCHEMA {name}")).unwrap();
        PgSchema { admin, name }
    }

    fn url(&self) -> String {
        format!("{}?options=-csearch_path%3D{}", self.admin, self.name)
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name));
        }
    }
}

#[test]
fn ingest_names_and_skips_a_jsonl_line_with_a_nul_and_stores_the_others_on_both_backends() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let line = |id: &str, text: &str| format!("{{\"id\":\"{id}\",\"text\":\"{text}\"}}\n");
    let file = [
        line("a", REPORT),
        line("b\\u0000", REPORT),
        line(
            "c",
            "Tehran, 6 November: students chanted at the university.",
        ),
    ]
    .concat();
    write(d, "in.jsonl", file.as_bytes());
    let pg = PgSchema::new();
    for db in [d.join("u.db").display().to_string(), pg.url()] {
        let out = unrest(&["ingest", "--db", &db, "in.jsonl"], d);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("in.jsonl:2") && err.contains("NUL"),
            "{db}: {err}"
        );
        let mut store = unrest_store::Store::open(&db).unwrap();
        assert_eq!(store.counts().unwrap().reports, 2, "{db}: {err}");
    }
}

const ZAHEDAN_EN: &str = "Zahedan, 30 September 2022: security forces opened fire on worshippers after Friday prayers; at least 40 people were killed.";
const ZAHEDAN_FA: &str = "زاهدان، ۸ مهر ۱۴۰۱: نیروهای امنیتی پس از نماز جمعه به سوی نمازگزاران تیراندازی کردند و ۴۱ نفر کشته شدند.";

/// The rows of a CSV listing, by column name.
fn csv_rows(out: &Output) -> Vec<std::collections::HashMap<String, String>> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut r = csv::Reader::from_reader(&out.stdout[..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|row| {
            header
                .iter()
                .cloned()
                .zip(row.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn events_and_export_list_incidents_and_reports_on_request_without_paths() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("inbox")).unwrap();
    write(dir.path(), "inbox/zahedan-en.txt", ZAHEDAN_EN.as_bytes());
    write(dir.path(), "inbox/zahedan-fa.txt", ZAHEDAN_FA.as_bytes());
    let out = unrest(
        &["ingest", "--reference-date", "2022-10-01", "inbox"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // No `unrest cluster`: the two reports are one incident already.
    let rows = csv_rows(&unrest(&["events", "--format", "csv"], dir.path()));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (
            rows[0]["fatalities"].as_str(),
            rows[0]["source_count"].as_str()
        ),
        ("40", "2")
    );
    assert_eq!(rows[0]["report"], "");
    assert_eq!(
        rows[0]["event_ids"].split(' ').count(),
        2,
        "analysts see the events' ids"
    );
    let export = csv_rows(&unrest(&["export", "--format", "csv"], dir.path()));
    assert_eq!(export, rows, "export and events agree");
    let reports = csv_rows(&unrest(
        &["export", "--format", "csv", "--reports"],
        dir.path(),
    ));
    assert_eq!(reports.len(), 2);
    for r in &reports {
        assert!(
            !r["report"].contains('/') && r["report"].starts_with("zahedan-"),
            "{r:?}"
        );
    }
}

/// The README's dataset walkthrough run as a reader runs it: every command of its first
/// block, read from the README itself, given to `sh` as written (quotes, redirections), with
/// this build's `unrest` first on the PATH, in a folder where `examples/` is the
/// repository's. The `events` query must list the Kurdistan events of autumn 2022 (not code
/// them in the year of the clock), the GeoJSON the events in its box, and the export the
/// rows of 2022 under ACLED's header.
#[test]
fn the_readmes_dataset_walkthrough_lists_the_kurdistan_events() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let block = readme.split("### The dataset").nth(1).unwrap();
    let block = block
        .split("```sh")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let commands: Vec<&str> = block.lines().filter(|l| l.starts_with("unrest ")).collect();
    assert_eq!(commands.len(), 5, "{block}");
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(root.join("examples"), dir.path().join("examples")).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_unrest")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut printed = Vec::new();
    for command in &commands {
        let out = Command::new("sh")
            .args(["-c", command])
            .current_dir(dir.path())
            .env("PATH", &path)
            .env_remove("UNREST_DATABASE_URL")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        printed.push(String::from_utf8(out.stdout).unwrap());
    }
    let listed = &printed[1];
    let rows: Vec<&str> = listed.lines().skip(1).collect();
    assert!(
        rows.iter()
            .any(|r| r.contains("Sanandaj") && r.contains("2022-11-05")),
        "{listed}"
    );
    assert!(!listed.contains("2026-"), "{listed}");
    let geojson: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("kurdistan.geojson")).unwrap(),
    )
    .unwrap();
    let features = geojson["features"].as_array().unwrap();
    assert!(!features.is_empty(), "{geojson}");
    for f in features {
        let at = &f["geometry"]["coordinates"];
        let (lon, lat) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
        assert!(
            (44.0..=48.0).contains(&lon) && (34.0..=37.0).contains(&lat),
            "{f}"
        );
    }
    let csv = std::fs::read_to_string(dir.path().join("iran-2022.csv")).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[..unrest_model::ACLED_COLUMNS.len()],
        unrest_model::ACLED_COLUMNS
    );
    let admin1 = header.iter().position(|h| h == "admin1").unwrap();
    let year = header.iter().position(|h| h == "year").unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert!(rows.iter().any(|r| &r[admin1] == "Kordestan"), "{csv}");
    assert!(rows.iter().all(|r| &r[year] == "2022"), "{csv}");
}

#[test]
fn audit_verify_names_rows_changed_behind_the_logs_back_and_a_missing_log() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "r.txt", REPORT.as_bytes());
    let db = d.join("u.db").display().to_string();
    assert!(unrest(&["ingest", "--db", &db, "r.txt"], d)
        .status
        .success());
    assert!(unrest(
        &[
            "publish",
            "--db",
            &db,
            "--from",
            "2000-01-01",
            "--as",
            "maryam"
        ],
        d
    )
    .status
    .success());
    let out = unrest(&["audit", "verify", "--db", &db], d);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("verified in"), "{text}");
    let export = unrest(&["audit", "export", "--db", &db], d);
    assert!(String::from_utf8_lossy(&export.stderr).contains("unrest: head "));

    let mut store = unrest_store::Store::open(&db).unwrap();
    store
        .execute_raw("UPDATE events SET fatalities = 0, notes = 'nothing happened' WHERE id = 1; UPDATE events SET status = 'coded' WHERE id = 1")
        .unwrap();
    let out = unrest(&["audit", "verify", "--db", &db], d);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("event 1: its record is not the one entry"),
        "{text}"
    );
    assert!(
        text.contains("event 1: its status is coded, but entry"),
        "{text}"
    );

    store.execute_raw("DROP TABLE audit_log").unwrap();
    let out = unrest(&["audit", "verify", "--db", &db], d);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("the audit log is missing"), "{text}");
}

#[test]
fn an_older_acled_file_goes_back_with_its_numeric_inter_codes_and_any_province_spelling_finds_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = include_str!("../../store/tests/fixtures/acled-iran-2019-numeric.csv");
    write(dir.path(), "acled.csv", file.as_bytes());
    let out = unrest(&["import-acled", "acled.csv"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let column = |rows: &[std::collections::HashMap<String, String>], name: &str| -> Vec<String> {
        rows.iter().map(|r| r[name].clone()).collect()
    };
    let original = {
        let mut r = csv::Reader::from_reader(file.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        r.records()
            .map(|row| {
                header
                    .iter()
                    .cloned()
                    .zip(row.unwrap().iter().map(String::from))
                    .collect()
            })
            .collect::<Vec<std::collections::HashMap<String, String>>>()
    };
    let numbers = csv_rows(&unrest(&["export", "--inter-codes", "numbers"], dir.path()));
    for name in ["inter1", "inter2", "interaction", "admin1", "event_id_cnty"] {
        assert_eq!(column(&numbers, name), column(&original, name), "{name}");
    }
    let text = csv_rows(&unrest(&["export"], dir.path()));
    assert_eq!(
        text[0]["interaction"], "State forces-Protesters",
        "text by default"
    );
    for spelling in ["Kurdistan", "Kordestan", "کردستان"] {
        let rows = csv_rows(&unrest(
            &["events", "--format", "csv", "--admin1", spelling],
            dir.path(),
        ));
        assert_eq!(column(&rows, "event_id_cnty"), ["IRN9901"], "{spelling}");
    }
}

/// The CSV a visitor downloads (`/api/events.csv` of `unrest serve`) and the CLI's `export`
/// and `events` carry the same columns in the same order, and all three write ACLED's
/// actor-type columns as text by default or as its older numbers on request
/// (`--inter-codes numbers`, `?inter_codes=numbers`); the CLI never names a file's folders.
#[test]
fn public_and_cli_csv_carry_the_same_columns_and_inter_codes_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = include_str!("../../store/tests/fixtures/acled-iran-2019-numeric.csv");
    write(d, "acled.csv", file.as_bytes());
    let db = d.join("u.db").display().to_string();
    let imported = unrest(
        &[
            "import-acled",
            "--db",
            &db,
            "--status",
            "published",
            "acled.csv",
        ],
        d,
    );
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let header = |csv: &str| csv.lines().next().unwrap_or_default().to_string();
    let inter = |rows: &[std::collections::HashMap<String, String>]| -> Vec<[String; 3]> {
        rows.iter()
            .map(|r| {
                [
                    r["inter1"].clone(),
                    r["inter2"].clone(),
                    r["interaction"].clone(),
                ]
            })
            .collect()
    };
    let cli = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--db", &db]);
        let out = unrest(&all, d);
        (
            header(&String::from_utf8_lossy(&out.stdout)),
            csv_rows(&out),
        )
    };
    let server = support::spawn_serve(&["--db", &db]);
    let public = |query: &str| {
        let (status, response) = support::http(
            &server.addr,
            "GET",
            &format!("/api/events.csv{query}"),
            None,
        )
        .unwrap();
        (status, support::body_of(&response))
    };
    let public_rows = |body: &str| -> Vec<std::collections::HashMap<String, String>> {
        let mut r = csv::Reader::from_reader(body.as_bytes());
        let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        r.records()
            .map(|row| {
                h.iter()
                    .cloned()
                    .zip(row.unwrap().iter().map(String::from))
                    .collect()
            })
            .collect()
    };
    for (flag, query) in [("text", ""), ("numbers", "?inter_codes=numbers")] {
        let (export_header, export) = cli(&["export", "--inter-codes", flag]);
        let (events_header, events) = cli(&["events", "--format", "csv", "--inter-codes", flag]);
        let (status, body) = public(query);
        assert_eq!(status, 200, "{body}");
        let download = public_rows(&body);
        assert_eq!(header(&body), export_header, "{flag}: download and export");
        assert_eq!(events_header, export_header, "{flag}: events and export");
        assert_eq!(download.len(), export.len());
        assert_eq!(inter(&download), inter(&export), "{flag}");
        assert_eq!(inter(&events), inter(&export), "{flag}");
        let expected = if flag == "numbers" {
            "16"
        } else {
            "State forces-Protesters"
        };
        assert!(
            export.iter().any(|r| r["interaction"] == expected),
            "{flag}: {export:?}"
        );
    }
    let (status, body) = public("?inter_codes=roman");
    assert_eq!(status, 400, "{body}");
    let refused = unrest(&["export", "--db", &db, "--inter-codes", "roman"], d);
    assert!(!refused.status.success());
}

/// `import-acled` of a file of several countries: `--country` keeps one and counts the
/// others, the rows arrive `coded` (nothing published until an analyst says so: the public
/// download is empty) unless `--status` says, ACLED's `9-May-20` dates are read in the right
/// century, and the rows are incidents at once (no `unrest cluster`).
#[test]
fn import_acled_keeps_one_country_and_publishes_nothing_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let header = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";
    let file = format!(
        "{header}\n\
         IRN9801,9-May-20,2020,1,Demonstrations,Protests,Peaceful protest,Protesters (Iran),,Protesters,,,,Protesters only,,364,Middle East,Iran,Kordestan,Sanandaj,,Sanandaj,35.3150,46.9988,1,Invented Agency,National,\"On 9 May 2020, invented teachers gathered.\",0,,1589500000\n\
         IRQ9801,10-May-20,2020,1,Demonstrations,Protests,Peaceful protest,Protesters (Iraq),,Protesters,,,,Protesters only,,368,Middle East,Iraq,Baghdad,Baghdad,,Baghdad,33.3406,44.4009,1,Invented Agency,National,\"On 10 May 2020, invented students gathered.\",0,,1589500000\n\
         IRN9802,11-May-20,2020,1,Demonstrations,Protests,Peaceful protest,Protesters (Iran),,Protesters,,,,Protesters only,,364,Middle East,Iran,Tehran,Tehran,,Tehran,35.6892,51.3890,1,Invented Agency,National,\"On 11 May 2020, invented nurses gathered.\",0,,1589500000\n"
    );
    write(d, "acled.csv", file.as_bytes());
    let out = unrest(&["import-acled", "--country", "iran", "acled.csv"], d);
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("2 events imported")
            && said.contains("1 row of other countries than iran left out"),
        "{said}"
    );
    let rows = csv_rows(&unrest(&["events", "--format", "csv"], d));
    let ids: Vec<&str> = rows.iter().map(|r| r["event_id_cnty"].as_str()).collect();
    assert_eq!(ids, ["IRN9801", "IRN9802"]);
    assert!(
        rows.iter()
            .all(|r| r["year"] == "2020" && r["event_date"].starts_with("2020-05-")),
        "{rows:?}"
    );
    assert!(
        rows.iter().all(|r| r["source_count"] == "1"),
        "incidents without a clustering run: {rows:?}"
    );
    let mut store = unrest_store::Store::open(d.join("unrest.db").to_str().unwrap()).unwrap();
    assert_eq!(
        store.incidents(None, None, false).unwrap().len(),
        2,
        "corroborated on import"
    );
    drop(store);
    let published = csv_rows(&unrest(
        &["events", "--format", "csv", "--status", "published"],
        d,
    ));
    assert!(
        published.is_empty(),
        "imported rows are not published by default: {published:?}"
    );
    let status = unrest(
        &[
            "import-acled",
            "--db",
            "published.db",
            "--status",
            "published",
            "acled.csv",
        ],
        d,
    );
    assert!(status.status.success());
    let published = csv_rows(&unrest(
        &[
            "events",
            "--db",
            "published.db",
            "--format",
            "csv",
            "--status",
            "published",
        ],
        d,
    ));
    assert_eq!(
        published.len(),
        3,
        "--status published, every country without --country"
    );
}
