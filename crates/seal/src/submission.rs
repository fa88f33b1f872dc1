//! The sealed submission: a report with its photos, serialised inside the encryption.
//!
//! The inside is JSON (`"format": "unrest-submission/1"`), attachments in standard base64,
//! so that an outside reviewer holding the key can read a submission with `age -d` and any
//! JSON tool, without unrest. Base64 costs a third more bytes than CBOR would, inside the
//! seal; readability without our software is worth more for evidence.

use std::io::{Read, Write};

use base64::display::Base64Display;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::{Zeroize, Zeroizing};

use crate::{
    open_reader, payload_error, seal_to_writer, sha256_hex, Identity, Recipient, SealError,
};

/// The `format` field of every submission; a reader refuses any other.
pub const SUBMISSION_FORMAT: &str = "unrest-submission/1";

/// What a reporter sent, as it arrived: sealed whole, never stored in the clear.
#[derive(Clone, PartialEq, Eq, Zeroize)]
pub struct Submission {
    /// The report's text, exactly as submitted.
    pub text: String,
    pub place: Option<String>,
    pub date: Option<String>,
    pub lang: Option<String>,
    /// When the server received it (the server's clock; sealed, so the store need not keep
    /// a precise time in the clear).
    #[zeroize(skip)]
    pub received_at: DateTime<Utc>,
    pub attachments: Vec<Attachment>,
}

/// A photo or file sent with a report.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Zeroize)]
pub struct Attachment {
    /// The file name the reporter's device gave it. It may itself identify (a name, a date,
    /// a phone model), which is one reason it is sealed.
    pub name: String,
    /// The type of `bytes`, found from their content (for photos: the scrubbed copy's type).
    pub media_type: String,
    /// The copy analysts see: for photos, the scrubbed one (see `unrest-media`).
    #[serde(with = "base64_bytes")]
    pub bytes: Vec<u8>,
    /// The file exactly as it arrived, when the organisation keeps originals as evidence.
    /// It holds what scrubbing removes (GPS, camera serial): it exists only in here.
    #[serde(default, with = "base64_opt", skip_serializing_if = "Option::is_none")]
    pub original: Option<Vec<u8>>,
}

impl std::fmt::Debug for Submission {
    /// Shows sizes, never content: a submission must not reach a log by accident.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Submission")
            .field("text_bytes", &self.text.len())
            .field("attachments", &self.attachments)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("media_type", &self.media_type)
            .field("bytes", &self.bytes.len())
            .field("original_bytes", &self.original.as_ref().map(Vec::len))
            .finish_non_exhaustive()
    }
}

/// What the store keeps of a submission in sealed mode.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedSubmission {
    /// Lowercase hex SHA-256 of `ciphertext`: the report's fingerprint for chain of custody.
    /// A hash of the *plaintext* is deliberately not kept: whoever seizes the server could
    /// test a guessed report against it.
    pub sha256_of_ciphertext: String,
    /// Binary age v1, sealed to the organisation's key.
    pub ciphertext: Vec<u8>,
}

impl std::fmt::Debug for SealedSubmission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedSubmission")
            .field("sha256_of_ciphertext", &self.sha256_of_ciphertext)
            .field("ciphertext_bytes", &self.ciphertext.len())
            .finish()
    }
}

impl SealedSubmission {
    /// Checks the ciphertext against its recorded SHA-256 (before opening, on the analysts'
    /// side, or in an audit).
    pub fn verify(&self) -> Result<(), SealError> {
        let found = sha256_hex(&self.ciphertext);
        if found == self.sha256_of_ciphertext.to_ascii_lowercase() {
            Ok(())
        } else {
            Err(SealError::DigestMismatch {
                expected: self.sha256_of_ciphertext.clone(),
                found,
            })
        }
    }

    /// Verifies the digest, then opens.
    pub fn open(&self, identity: &Identity) -> Result<Submission, SealError> {
        self.verify()?;
        open_submission(identity, &self.ciphertext)
    }
}

/// The JSON written: the format first, then the fields, borrowed (no copy of the plaintext).
#[derive(Serialize)]
struct WireOut<'a> {
    format: &'static str,
    text: &'a str,
    place: &'a Option<String>,
    date: &'a Option<String>,
    lang: &'a Option<String>,
    received_at: &'a DateTime<Utc>,
    attachments: &'a [Attachment],
}

/// The JSON read. Not `#[serde(flatten)]`, which would buffer a second copy of every field.
#[derive(Deserialize)]
struct WireIn {
    format: String,
    text: String,
    place: Option<String>,
    date: Option<String>,
    lang: Option<String>,
    received_at: DateTime<Utc>,
    #[serde(default)]
    attachments: Vec<Attachment>,
}

/// Seals a submission to the organisation's key. The JSON is written straight into the
/// encryption: no plaintext copy is made.
pub fn seal_submission(recipient: &Recipient, submission: &Submission) -> SealedSubmission {
    let finished = seal_submission_to_writer(recipient, submission, Vec::new())
        .expect("writing to a Vec cannot fail");
    SealedSubmission {
        sha256_of_ciphertext: finished.sha256_of_ciphertext,
        ciphertext: finished.output,
    }
}

/// The smallest padded size: more than any text-only submission (20,000 characters of
/// Persian and their JSON), so that the ciphertext of a report tells nothing of its length.
pub const MIN_PADDED: u64 = 64 * 1024;

/// The size a plaintext of `n` bytes is padded to: [`MIN_PADDED`], or the next power of two.
/// Ciphertexts then come in a few sizes: a text-only submission is as large as any other,
/// and a submission with photos shows only the power of two its photos reach.
pub fn padded_len(n: u64) -> u64 {
    n.max(MIN_PADDED).next_power_of_two()
}

/// Counts what passes through to the seal.
struct Counting<'a, W: Write> {
    inner: &'a mut W,
    written: u64,
}

impl<W: Write> Write for Counting<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Seals a submission into `output` (a file, a database blob writer), returning the
/// ciphertext's SHA-256 with it. The JSON is followed by spaces up to [`padded_len`] (JSON
/// readers skip trailing whitespace, `age -d | jq` included).
pub fn seal_submission_to_writer<W: Write>(
    recipient: &Recipient,
    submission: &Submission,
    output: W,
) -> Result<crate::Finished<W>, SealError> {
    let mut writer = seal_to_writer(recipient, output)?;
    let wire = WireOut {
        format: SUBMISSION_FORMAT,
        text: &submission.text,
        place: &submission.place,
        date: &submission.date,
        lang: &submission.lang,
        received_at: &submission.received_at,
        attachments: &submission.attachments,
    };
    let mut counting = Counting {
        inner: &mut writer,
        written: 0,
    };
    serde_json::to_writer(&mut counting, &wire).map_err(|e| match e.io_error_kind() {
        Some(kind) => SealError::Io(std::io::Error::new(kind, e.to_string())),
        None => SealError::NotASubmission(e.to_string()),
    })?;
    let mut pad = padded_len(counting.written) - counting.written;
    let spaces = [b' '; 4096];
    while pad > 0 {
        let n = pad.min(spaces.len() as u64) as usize;
        writer.write_all(&spaces[..n]).map_err(SealError::Io)?;
        pad -= n as u64;
    }
    writer.finish()
}

/// Opens a sealed submission (the `ciphertext` of a [`SealedSubmission`], or a `.age` file
/// of one). The decrypted JSON is zeroized once parsed.
pub fn open_submission(identity: &Identity, ciphertext: &[u8]) -> Result<Submission, SealError> {
    let mut reader = open_reader(identity, ciphertext)?;
    let mut json = Zeroizing::new(Vec::with_capacity(ciphertext.len()));
    reader.read_to_end(&mut json).map_err(payload_error)?;
    let wire: WireIn = serde_json::from_slice(&json).map_err(|e| {
        // serde_json's messages quote no input beyond a type name and a position.
        SealError::NotASubmission(format!("its JSON does not parse as a submission: {e}"))
    })?;
    if wire.format != SUBMISSION_FORMAT {
        let mut wire = wire;
        let found = crate::shorten(&wire.format);
        wire.text.zeroize();
        return Err(SealError::NotASubmission(format!(
            "format {found:?}, but this unrest reads {SUBMISSION_FORMAT:?}"
        )));
    }
    Ok(Submission {
        text: wire.text,
        place: wire.place,
        date: wire.date,
        lang: wire.lang,
        received_at: wire.received_at,
        attachments: wire.attachments,
    })
}

mod base64_bytes {
    use super::*;

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        // Streams the base64 into the serializer: no encoded copy in memory.
        s.collect_str(&Base64Display::new(bytes, &STANDARD))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = Zeroizing::new(String::deserialize(d)?);
        STANDARD
            .decode(text.as_bytes())
            .map_err(|e| serde::de::Error::custom(format!("attachment is not base64: {e}")))
    }
}

mod base64_opt {
    use super::*;

    pub fn serialize<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(b) => s.collect_str(&Base64Display::new(b, &STANDARD)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(Zeroizing::new)
            .map(|t| {
                STANDARD
                    .decode(t.as_bytes())
                    .map_err(|e| serde::de::Error::custom(format!("original is not base64: {e}")))
            })
            .transpose()
    }
}
