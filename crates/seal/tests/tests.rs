//! What sealing promises: a sealed file opens only with the key, shows nothing of what it
//! holds, and is readable by the standard `age` tool.

use std::io::{Read, Write};
use std::process::Command;

use chrono::{TimeZone, Utc};
use unrest_seal::*;

const MARKER: &str = "MARKER-7f3a9c-تظاهرات-تبریز";

fn submission() -> Submission {
    Submission {
        text: format!("Crowds chanted at Azadi Square. {MARKER}"),
        place: Some("Tabriz".into()),
        date: Some("1403-07-01".into()),
        lang: Some("fa".into()),
        received_at: Utc.with_ymd_and_hms(2024, 9, 22, 18, 30, 0).unwrap(),
        attachments: vec![Attachment {
            name: "photo-1.jpg".into(),
            media_type: "image/jpeg".into(),
            bytes: (0..=255u8).cycle().take(70_000).collect(),
            original: Some(format!("original with GPS {MARKER}").into_bytes()),
        }],
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_sealed_message_opens_with_its_key() {
    let key = generate_identity();
    let sealed = seal(&key.recipient, b"hello");
    assert_eq!(open(&key.identity(), &sealed).unwrap(), b"hello");
    assert!(
        sealed.starts_with(b"age-encryption.org/v1\n"),
        "binary age v1"
    );
}

#[test]
fn an_empty_message_round_trips() {
    let key = generate_identity();
    assert_eq!(
        open(&key.identity(), &seal(&key.recipient, b"")).unwrap(),
        b""
    );
}

#[test]
fn the_wrong_key_is_named_as_such() {
    let key = generate_identity();
    let other = generate_identity();
    let sealed = seal(&key.recipient, b"hello");
    let err = open(&other.identity(), &sealed).unwrap_err();
    assert!(matches!(err, SealError::WrongIdentity), "{err:?}");
    assert!(err.to_string().contains("wrong key"), "{err}");
    let err = open_submission(&other.identity(), &sealed).unwrap_err();
    assert!(matches!(err, SealError::WrongIdentity), "{err:?}");
}

#[test]
fn any_key_of_a_rotated_identity_file_opens() {
    let old = generate_identity();
    let new = generate_identity();
    let file = format!("# old\n{}\n\n# new\n{}\n", *old.secret, *new.secret);
    let identity = parse_identity_file(&file).unwrap();
    assert_eq!(
        identity.recipients(),
        vec![old.recipient.clone(), new.recipient.clone()]
    );
    assert_eq!(open(&identity, &seal(&old.recipient, b"a")).unwrap(), b"a");
    assert_eq!(open(&identity, &seal(&new.recipient, b"b")).unwrap(), b"b");
}

#[test]
fn the_marker_never_appears_in_the_ciphertext() {
    let key = generate_identity();
    let sealed = seal_submission(&key.recipient, &submission());
    assert!(!contains(&sealed.ciphertext, MARKER.as_bytes()));
    assert!(!contains(&sealed.ciphertext, b"Tabriz"));
    assert!(!contains(&sealed.ciphertext, b"photo-1.jpg"));
    let raw = seal(&key.recipient, MARKER.as_bytes());
    assert!(!contains(&raw, MARKER.as_bytes()));
}

#[test]
fn ciphertexts_are_padded_to_size_buckets_so_text_length_does_not_show() {
    let key = generate_identity();
    let text_only = |text: String| Submission {
        text,
        attachments: Vec::new(),
        ..submission()
    };
    let short = seal_submission(&key.recipient, &text_only("Tear gas.".into()));
    let long = seal_submission(&key.recipient, &text_only("گاز اشک‌آور ".repeat(1500)));
    // age's header carries a random "grease" stanza: sizes agree up to it.
    let close = |a: usize, b: usize| a.abs_diff(b) < 512;
    assert!(
        close(short.ciphertext.len(), long.ciphertext.len()),
        "{} {}",
        short.ciphertext.len(),
        long.ciphertext.len()
    );
    let with_photo = seal_submission(&key.recipient, &submission());
    let bigger = seal_submission(
        &key.recipient,
        &Submission {
            text: "x".repeat(5000),
            ..submission()
        },
    );
    assert!(
        close(with_photo.ciphertext.len(), bigger.ciphertext.len()),
        "same bucket"
    );
    assert!(
        with_photo.ciphertext.len() > 2 * short.ciphertext.len() - 1024,
        "photos show by bucket"
    );
    assert_eq!(
        open_submission(&key.identity(), &long.ciphertext)
            .unwrap()
            .text,
        "گاز اشک‌آور ".repeat(1500)
    );
    assert_eq!(padded_len(1), MIN_PADDED);
    assert_eq!(padded_len(MIN_PADDED + 1), 2 * MIN_PADDED);
}

#[test]
fn the_same_plaintext_seals_differently_each_time() {
    let key = generate_identity();
    let a = seal(&key.recipient, MARKER.as_bytes());
    let b = seal(&key.recipient, MARKER.as_bytes());
    assert_ne!(a, b);
    let s = submission();
    assert_ne!(
        seal_submission(&key.recipient, &s).sha256_of_ciphertext,
        seal_submission(&key.recipient, &s).sha256_of_ciphertext
    );
}

#[test]
fn a_submission_round_trips_with_its_metadata_and_attachments() {
    let key = generate_identity();
    let s = submission();
    let sealed = seal_submission(&key.recipient, &s);
    assert_eq!(sealed.sha256_of_ciphertext, sha256_hex(&sealed.ciphertext));
    sealed.verify().unwrap();
    assert_eq!(
        open_submission(&key.identity(), &sealed.ciphertext).unwrap(),
        s
    );
    assert_eq!(sealed.open(&key.identity()).unwrap(), s);
}

#[test]
fn a_swapped_ciphertext_fails_its_digest() {
    let key = generate_identity();
    let mut sealed = seal_submission(&key.recipient, &submission());
    sealed.ciphertext = seal_submission(&key.recipient, &submission()).ciphertext;
    let err = sealed.open(&key.identity()).unwrap_err();
    assert!(matches!(err, SealError::DigestMismatch { .. }), "{err:?}");
}

#[test]
fn a_flipped_byte_or_a_cut_is_damage_not_a_panic() {
    let key = generate_identity();
    let sealed = seal(&key.recipient, &vec![7u8; 200_000]);
    // In the payload: authentication fails.
    let mut flipped = sealed.clone();
    let at = flipped.len() - 100;
    flipped[at] ^= 1;
    let err = open(&key.identity(), &flipped).unwrap_err();
    assert!(matches!(err, SealError::Damaged(_)), "{err:?}");
    // Cut at a chunk boundary and mid-chunk.
    for cut in [sealed.len() - 1, sealed.len() / 2] {
        let err = open(&key.identity(), &sealed[..cut]).unwrap_err();
        assert!(
            matches!(err, SealError::Damaged(_)),
            "cut at {cut}: {err:?}"
        );
    }
    // In the header's MAC.
    let header_end = sealed.windows(4).position(|w| w == b"--- ").unwrap();
    let mut mac = sealed.clone();
    mac[header_end + 5] = if mac[header_end + 5] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let err = open(&key.identity(), &mac).unwrap_err();
    assert!(
        matches!(err, SealError::Damaged(_) | SealError::NotSealed(_)),
        "{err:?}"
    );
}

#[test]
fn bytes_that_are_not_sealed_say_so() {
    let key = generate_identity();
    for junk in [
        &b""[..],
        b"hello world",
        b"age-encryption.org/v1\n",
        &[0xff; 300],
    ] {
        let err = open(&key.identity(), junk).unwrap_err();
        assert!(matches!(err, SealError::NotSealed(_)), "{junk:?}: {err:?}");
    }
}

#[test]
fn an_opened_file_that_is_not_a_submission_says_so() {
    let key = generate_identity();
    let err = open_submission(&key.identity(), &seal(&key.recipient, b"{\"text\":1}")).unwrap_err();
    assert!(matches!(err, SealError::NotASubmission(_)), "{err:?}");
    let other_format = br#"{"format":"unrest-submission/9","text":"t","place":null,"date":null,"lang":null,"received_at":"2024-01-01T00:00:00Z","attachments":[]}"#;
    let err = open_submission(&key.identity(), &seal(&key.recipient, other_format)).unwrap_err();
    assert!(err.to_string().contains("unrest-submission/9"), "{err}");
}

#[test]
fn bad_recipients_are_refused_clearly() {
    let cases = [
        ("", "does not start with age1"),
        ("npub1xyz", "does not start with age1"),
        ("age1qqqq", "invalid Bech32"),
        (
            "age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqsr8ngqw",
            "invalid Bech32",
        ),
    ];
    for (input, expected) in cases {
        let err = parse_recipient(input).unwrap_err();
        assert!(
            matches!(err, SealError::BadRecipient { .. }),
            "{input}: {err:?}"
        );
        assert!(err.to_string().contains(expected), "{input}: {err}");
    }
    let key = generate_identity();
    let err = parse_recipient(&key.secret).unwrap_err();
    assert!(err.to_string().contains("SECRET key"), "{err}");
    assert!(
        !err.to_string().contains(key.secret.as_str()),
        "never echo a secret"
    );
    // Pasted with whitespace is fine.
    let pasted = format!("  {}\n", key.recipient);
    assert_eq!(parse_recipient(&pasted).unwrap(), key.recipient);
}

#[test]
fn bad_identity_files_are_refused_with_the_line_but_not_its_content() {
    let key = generate_identity();
    let mut damaged = key.secret.to_string();
    damaged.replace_range(20..21, if &damaged[20..21] == "Q" { "P" } else { "Q" });
    let cases = [
        (String::new(), "holds no key"),
        ("# only a comment\n\n".to_string(), "holds no key"),
        (
            format!("# x\n{}\n", key.recipient),
            "line 2: this is a public key",
        ),
        (format!("{damaged}\n"), "line 1: the secret key is damaged"),
        ("hello\n".to_string(), "line 1: not a key"),
        (
            "ssh-ed25519 AAAA\n".to_string(),
            "SSH keys are not supported",
        ),
        ("AGE-PLUGIN-YUBIKEY-1XYZ\n".to_string(), "plugin identities"),
        (
            "age-encryption.org/v1\n-> scrypt".to_string(),
            "itself encrypted",
        ),
    ];
    for (file, expected) in cases {
        let err = parse_identity_file(&file).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(expected), "{file:?}: {msg}");
        assert!(!msg.contains(&damaged), "never echo a secret: {msg}");
    }
}

#[test]
fn secrets_stay_out_of_debug_output() {
    let key = generate_identity();
    let shown = format!("{key:?} {:?}", key.identity());
    assert!(!shown.contains(key.secret.as_str()), "{shown}");
    assert!(shown.contains(&key.recipient.to_string()));
    let shown = format!("{:?}", submission());
    assert!(!shown.contains(MARKER), "{shown}");
}

#[test]
fn the_identity_file_we_write_reads_back() {
    let key = generate_identity();
    let file = key.identity_file(Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap());
    assert!(
        file.starts_with("# created: 2024-01-02T03:04:05Z\n# public key: age1"),
        "{}",
        "header"
    );
    let identity = parse_identity_file(&file).unwrap();
    assert_eq!(identity.recipients(), vec![key.recipient.clone()]);
}

#[test]
fn streaming_seals_and_opens_large_attachments_in_chunks() {
    let key = generate_identity();
    let plaintext: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    let mut writer = seal_to_writer(&key.recipient, Vec::new()).unwrap();
    for chunk in plaintext.chunks(10_000) {
        writer.write_all(chunk).unwrap();
    }
    let finished = writer.finish().unwrap();
    assert_eq!(finished.sha256_of_ciphertext, sha256_hex(&finished.output));
    let mut reader = open_reader(&key.identity(), finished.output.as_slice()).unwrap();
    let mut back = Vec::new();
    reader.read_to_end(&mut back).unwrap();
    assert!(back == plaintext);

    let other = generate_identity();
    let err = open_reader(&other.identity(), finished.output.as_slice())
        .err()
        .unwrap();
    assert!(matches!(err, SealError::WrongIdentity), "{err:?}");

    let mut cut = open_reader(
        &key.identity(),
        &finished.output[..finished.output.len() - 10],
    )
    .unwrap();
    let err = cut.read_to_end(&mut Vec::new()).unwrap_err();
    assert!(matches!(SealError::from_read(err), SealError::Damaged(_)));
}

/// The standard `age` tool (Debian's `age` package) must read what unrest writes, and unrest
/// must read keys and files the tool writes. Skipped with a note when the tool is absent,
/// unless UNREST_REQUIRE_AGE_CLI is set (CI sets it after `apt-get install age`).
mod age_cli {
    use super::*;

    fn have_age() -> bool {
        let found = Command::new("age").arg("--version").output().is_ok();
        if !found {
            assert!(
                std::env::var_os("UNREST_REQUIRE_AGE_CLI").is_none(),
                "UNREST_REQUIRE_AGE_CLI is set but the `age` tool is not installed"
            );
            eprintln!("note: the `age` tool is not installed; interoperability not checked");
        }
        found
    }

    #[test]
    fn age_decrypts_our_sealed_submission_with_our_identity_file() {
        if !have_age() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let key = generate_identity();
        let key_path = dir.path().join("key.txt");
        std::fs::write(
            &key_path,
            key.identity_file(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap())
                .as_bytes(),
        )
        .unwrap();
        let sealed = seal_submission(&key.recipient, &submission());
        let sealed_path = dir.path().join("report.age");
        std::fs::write(&sealed_path, &sealed.ciphertext).unwrap();

        let out = Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(&key_path)
            .arg(&sealed_path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["format"], SUBMISSION_FORMAT);
        assert_eq!(json["text"], submission().text);
        assert_eq!(json["received_at"], "2024-09-22T18:30:00Z");

        // And the raw form, byte for byte.
        let payload: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
        std::fs::write(&sealed_path, seal(&key.recipient, &payload)).unwrap();
        let out = Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(&key_path)
            .arg(&sealed_path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout == payload);
    }

    #[test]
    fn we_open_what_age_sealed_with_age_keygen_keys() {
        if !have_age() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let key_path = dir.path().join("key.txt");
        let out = Command::new("age-keygen")
            .arg("-o")
            .arg(&key_path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let identity = parse_identity_file(&std::fs::read_to_string(&key_path).unwrap()).unwrap();
        let recipient = identity.recipients().remove(0);

        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, MARKER).unwrap();
        let sealed_path = dir.path().join("plain.txt.age");
        let out = Command::new("age")
            .arg("-r")
            .arg(recipient.to_string())
            .arg("-o")
            .arg(&sealed_path)
            .arg(&plain)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let sealed = std::fs::read(&sealed_path).unwrap();
        assert_eq!(open(&identity, &sealed).unwrap(), MARKER.as_bytes());

        // Armored output from the tool opens too.
        let out = Command::new("age")
            .arg("-a")
            .arg("-r")
            .arg(recipient.to_string())
            .arg(&plain)
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(out
            .stdout
            .starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));
        assert_eq!(open(&identity, &out.stdout).unwrap(), MARKER.as_bytes());
    }
}
