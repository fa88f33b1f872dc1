//! The `unrest` binary as a user runs it: real files in a temporary folder, the real
//! process, its exit status, stdout and stderr.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

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
    let out = unrest(
        &[
            "code",
            "--reference-date",
            "2022-11-30",
            "r.txt",
            "quiet.txt",
        ],
        dir.path(),
    );
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 of 2 reports gave no event (1 of them name a place the gazetteer knows)"),
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
fn the_reference_date_comes_from_the_flag_then_the_input_then_a_dateline() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "in.jsonl", b"{\"id\":\"x\",\"text\":\"Tabriz, yesterday: students chanted slogans.\",\"reference_date\":\"2022-10-10\"}\n");
    let own = unrest(&["code", "--format", "jsonl", "in.jsonl"], d);
    assert!(String::from_utf8_lossy(&own.stdout).contains("\"event_date\":\"2022-10-09\""));
    let flag = unrest(
        &[
            "code",
            "--format",
            "jsonl",
            "--reference-date",
            "2022-12-01",
            "in.jsonl",
        ],
        d,
    );
    assert!(String::from_utf8_lossy(&flag.stdout).contains("\"event_date\":\"2022-11-30\""));
    write(
        d,
        "dated.md",
        "Tabriz, November 30, 2022\n\nYesterday students chanted slogans.".as_bytes(),
    );
    let dateline = unrest(&["code", "--format", "jsonl", "dated.md"], d);
    assert!(String::from_utf8_lossy(&dateline.stdout).contains("\"event_date\":\"2022-11-29\""));
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
