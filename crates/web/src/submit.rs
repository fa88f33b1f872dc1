//! The reporters' side: `/submit` (the form, coded on arrival, answered with a receipt code)
//! and `/receipt` (what became of a report, and a form to add to it).
//!
//! Works without JavaScript and sets no cookie. Nothing about the sender is kept: no
//! address, no user agent, no time finer than the second the report arrived. The receipt
//! code is shown once and stored only as its SHA-256.

use crate::error::AppError;
use crate::html::{href, Frame};
use crate::i18n::Lang;
use crate::intake::{SubmitBody, Upload, PHOTO_FIELD};
use crate::security::{random_bytes, same_site, token_hash};
use crate::Shared;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::handler::Handler;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::{NaiveDate, Utc};
use maud::{html, Markup};
use serde::Deserialize;
use unrest_media::MediaError;
use unrest_model::Report;
use unrest_seal::{Attachment, Recipient, Submission};
use unrest_store::{NewReport, Status};
use zeroize::Zeroize;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/submit",
            get(form_page).post(submit.layer(DefaultBodyLimit::max(SUBMIT_BODY_LIMIT))),
        )
        .route("/receipt", get(receipt_form).post(receipt_status))
        .route("/receipt/followup", axum::routing::post(followup))
}

/// The largest submission body: the text and a few phone photos. Held in memory while it
/// is read (never in a temporary file), so the in-flight bound in `abuse` also bounds memory.
pub const SUBMIT_BODY_LIMIT: usize = 40 * 1024 * 1024;

/// Why a text with a NUL byte is refused (no text column of PostgreSQL can hold one).
const NUL_REFUSED: &str =
    "The text contains a NUL character (\\0), which cannot be stored; remove it and send again.";

/// The longest report accepted, in characters.
pub const MAX_REPORT_CHARS: usize = 20_000;
const MAX_PLACE_CHARS: usize = 200;

#[derive(Debug, Default, Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SubmitForm {
    pub text: Option<String>,
    pub place: Option<String>,
    pub date: Option<String>,
    /// The Solar Hijri picker of Persian pages (year, month, day), read instead of `date`.
    pub date_jy: Option<String>,
    pub date_jm: Option<String>,
    pub date_jd: Option<String>,
    pub lang: Option<String>,
    pub token: Option<String>,
}

fn page(lang: Lang, title: &str, path: &str, body: Markup) -> Markup {
    Frame {
        lang,
        title,
        path,
        viewer: None,
        scripts: &[],
        styles: &[],
        body_class: "narrow",
    }
    .render(body)
}

fn submit_form(state: &Shared, lang: Lang, f: &SubmitForm, errors: &[&str]) -> Markup {
    let t = lang.tr();
    let token = state.forms.issue("submit", Utc::now().timestamp());
    page(
        lang,
        t.submit_title,
        "/submit",
        html! {
            h1 { (t.submit_title) }
            p { (t.submit_intro) }
            p.privacy { (t.submit_privacy) }
            @for e in errors { p.error role="alert" { (e) } }
            form.report method="post" action="/submit" accept-charset="utf-8" enctype="multipart/form-data" {
                input type="hidden" name="token" value=(token);
                input type="hidden" name="lang" value=(lang.code());
                label for="text" { (t.report_text) }
                small { (t.report_text_hint) }
                textarea #text name="text" rows="12" required maxlength=(MAX_REPORT_CHARS) dir="auto" {
                    (f.text.as_deref().unwrap_or(""))
                }
                div.row {
                    label { (t.place_optional)
                        input type="text" name="place" maxlength=(MAX_PLACE_CHARS) dir="auto" value=[f.place.as_deref()];
                    }
                    (crate::workspace::date_filter(lang, t.date_optional, "date", f.date.as_deref()))
                }
                label for="photo" { (t.photos_optional) }
                small { (t.photos_hint) }
                input #photo type="file" name=(PHOTO_FIELD) multiple accept="image/jpeg,image/png,image/webp";
                button type="submit" { (t.send) }
            }
        },
    )
}

async fn form_page(
    State(state): State<Shared>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Markup {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    submit_form(&state, lang, &SubmitForm::default(), &[])
}

/// A receipt code: 160 random bits in Crockford's base32, in groups of four.
pub fn new_receipt() -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bytes = random_bytes::<20>();
    let mut bits: u64 = 0;
    let mut n = 0;
    let mut out = String::new();
    for b in bytes {
        bits = (bits << 8) | u64::from(b);
        n += 8;
        while n >= 5 {
            n -= 5;
            out.push(ALPHABET[((bits >> n) & 31) as usize] as char);
        }
    }
    out.as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("-")
}

/// A receipt as typed back: case, spaces, dashes and the letters base32 avoids (O, I, L)
/// do not matter.
pub fn normalize_receipt(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// What the store keeps of a receipt: the hash of its normalised code, never the code.
pub fn receipt_hash(code: &str) -> String {
    token_hash(&format!("receipt:{}", normalize_receipt(code)))
}

/// The text stored for a submission: the reporter's place and date, when given, as the
/// first line (the coder reads a dateline there), then the report as written.
pub fn report_text(text: &str, place: Option<&str>, date: Option<NaiveDate>) -> String {
    let date = date.map(|d| d.format("%-d %B %Y").to_string());
    match (place, date) {
        (None, None) => text.to_string(),
        (Some(p), None) => format!("{p}:\n{text}"),
        (None, Some(d)) => format!("{d}:\n{text}"),
        (Some(p), Some(d)) => format!("{p}, {d}:\n{text}"),
    }
}

async fn submit(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: SubmitBody,
) -> Result<Response, AppError> {
    let SubmitBody {
        form: mut f,
        photos,
    } = body;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let t = lang.tr();
    let now = Utc::now();
    // A form is good for one submission (see `abuse::UsedForms`): a replayed one is
    // answered as an expired one.
    let token_ok = match f.token.as_deref() {
        Some(tok) if state.forms.check("submit", tok, now.timestamp()) => {
            let ttl = std::time::Duration::from_secs(crate::security::FORM_TTL_SECS as u64);
            state.used_forms.claim_in(&state.db, tok, ttl).await
        }
        _ => false,
    };
    if same_site(&headers).is_err() {
        return Err(AppError::Csrf);
    }
    if !token_ok {
        let body = submit_form(&state, lang, &f, &[t.form_expired]);
        return Ok((StatusCode::FORBIDDEN, body).into_response());
    }
    let text = f.text.as_deref().unwrap_or("").trim();
    let mut errors = Vec::new();
    if text.is_empty() {
        errors.push(t.text_required.to_string());
    }
    if text.chars().count() > MAX_REPORT_CHARS {
        errors.push(t.text_too_long.to_string());
    }
    if text.contains('\0') || f.place.as_deref().is_some_and(|p| p.contains('\0')) {
        errors.push(NUL_REFUSED.to_string());
    }
    let place = f
        .place
        .as_deref()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(|p| p.chars().take(MAX_PLACE_CHARS).collect::<String>())
        .map(|p| p.replace(['\r', '\n'], " "));
    // A day picked in the Solar Hijri calendar is stored as its Gregorian day.
    match crate::workspace::jalali_day(&f.date_jy, &f.date_jm, &f.date_jd) {
        Ok(Some(day)) => f.date = Some(day.format("%Y-%m-%d").to_string()),
        Ok(None) => {}
        Err(_) => {
            errors.push(t.bad_date.to_string());
            f.date = None;
        }
    }
    let date = match f.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) if d <= now.date_naive() && chrono::Datelike::year(&d) >= 1979 => Some(d),
            _ => {
                errors.push(t.bad_date.to_string());
                None
            }
        },
    };
    // Photos are checked even when the text is wrong, so one answer names every problem.
    let photos = match scrub_photos(&state, photos).await? {
        Ok(photos) => photos,
        Err(why) => {
            errors.push(format!("{}: {why}", t.photo_refused));
            Vec::new()
        }
    };
    if !errors.is_empty() {
        let errors: Vec<&str> = errors.iter().map(String::as_str).collect();
        let body = submit_form(&state, lang, &f, &errors);
        return Ok((StatusCode::BAD_REQUEST, body).into_response());
    }
    // Received at the second: no finer time that could be matched to a connection.
    let received_at = now.with_nanosecond(0).unwrap_or(now);
    let receipt = new_receipt();
    let hash = receipt_hash(&receipt);
    if let Some(recipient) = state.seal_to.clone() {
        let submission = Submission {
            text: text.to_string(),
            place,
            date: date.map(|d| d.to_string()),
            lang: None,
            received_at,
            attachments: photos
                .into_iter()
                .map(|p| Attachment {
                    name: p.name,
                    media_type: p.scrubbed.media_type.mime().to_string(),
                    bytes: p.scrubbed.bytes,
                    original: p.original,
                })
                .collect(),
        };
        let stored_at = coarse(received_at, state.sealed_time_step);
        store_sealed(&state, recipient, submission, Some(hash), None, stored_at).await?;
    } else {
        let report = Report {
            id: format!("web-{}", crate::security::hex(&random_bytes::<6>())),
            text: report_text(text, place.as_deref(), date),
            reference_date: None,
            // The language the coder would detect, kept so analysts can filter by it.
            lang: Some(script_lang(text).into()),
        };
        let coder = state
            .coder
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        state
            .db
            .run(move |s| {
                let new = NewReport {
                    report,
                    received_at,
                    channel: "web".into(),
                };
                // One transaction: a kill leaves the report with its receipt and photos,
                // or nothing (the reporter then sees no receipt and sends again).
                let photos: Vec<(&str, &[u8])> = photos
                    .iter()
                    .map(|p| (p.scrubbed.media_type.mime(), p.scrubbed.bytes.as_slice()))
                    .collect();
                let report_id = s.submit(&new, &mut coder.step(now), &hash, &photos)?;
                // Joined to its incident before the reporter is answered.
                s.corroborate_report(report_id, now)?;
                Ok(())
            })
            .await?;
    }
    let mut res = page(
        lang,
        t.thanks_title,
        "/submit",
        html! {
            h1 { (t.thanks_title) }
            p { (t.receipt_intro) }
            p.receipt { output #receipt { (receipt) } }
            p { (t.receipt_keep) }
            p { a href=(href("/receipt", lang)) { (t.nav_receipt) } }
        },
    )
    .into_response();
    // Only an accepted submission counts against the client's limit (see `abuse`).
    res.extensions_mut().insert(crate::abuse::Accepted);
    Ok(res)
}

/// A photo accepted: its file name, the scrubbed copy, and the original when it is to be
/// kept inside the seal.
struct Photo {
    name: String,
    scrubbed: unrest_media::Scrubbed,
    original: Option<Vec<u8>>,
}

/// Scrubs every photo (on a blocking thread: decoding is CPU work), or says why one was
/// refused. The originals are dropped (and zeroed) here unless the server is sealed and
/// keeps them (`ServeConfig::keep_originals`): only scrubbed copies go anywhere else.
async fn scrub_photos(
    state: &Shared,
    photos: Vec<Upload>,
) -> Result<Result<Vec<Photo>, MediaError>, AppError> {
    if photos.is_empty() {
        return Ok(Ok(Vec::new()));
    }
    let limits = state.media_limits.clone();
    let keep = state.keep_originals && state.seal_to.is_some();
    Ok(tokio::task::spawn_blocking(move || {
        unrest_media::check_count(photos.len(), &limits)?;
        photos
            .into_iter()
            .map(|mut p| {
                if let Some(bytes) = p.too_large {
                    return Err(MediaError::TooLarge {
                        bytes,
                        max: limits.max_file_bytes,
                    });
                }
                let scrubbed = unrest_media::scrub_declared(&p.bytes, &p.declared, &limits)?;
                Ok(Photo {
                    name: std::mem::take(&mut p.name),
                    scrubbed,
                    original: keep.then(|| std::mem::take(&mut p.bytes)),
                })
            })
            .collect()
    })
    .await?)
}

/// Seals a submission (on a blocking thread), clears the plaintext, and stores the
/// ciphertext with the receipt's hash, or as a follow-up of `followup_of`.
async fn store_sealed(
    state: &Shared,
    recipient: Recipient,
    mut submission: Submission,
    receipt_hash: Option<String>,
    followup_of: Option<i64>,
    at: chrono::DateTime<Utc>,
) -> Result<(), AppError> {
    let sealed = tokio::task::spawn_blocking(move || {
        let sealed = unrest_seal::seal_submission(&recipient, &submission);
        submission.zeroize();
        sealed
    })
    .await?;
    state
        .db
        .run(move |s| {
            s.add_sealed(
                &sealed.sha256_of_ciphertext,
                &sealed.ciphertext,
                receipt_hash.as_deref(),
                followup_of,
                at,
            )?;
            Ok(())
        })
        .await
}

use chrono::Timelike;

/// `t` rounded down to a multiple of `step` (the hour by default): the only arrival time a
/// sealed server stores in the clear (the exact one is inside the seal), so that the
/// database cannot be matched to a connection seen on the network.
pub fn coarse(t: chrono::DateTime<Utc>, step: std::time::Duration) -> chrono::DateTime<Utc> {
    let step = step.as_secs().max(1) as i64;
    let secs = t.timestamp().div_euclid(step) * step;
    chrono::DateTime::from_timestamp(secs, 0).unwrap_or(t)
}

#[derive(Debug, Default, Deserialize)]
pub struct ReceiptForm {
    pub code: Option<String>,
    pub lang: Option<String>,
    pub token: Option<String>,
    pub text: Option<String>,
}

fn receipt_form_markup(state: &Shared, lang: Lang, code: &str, message: Option<&str>) -> Markup {
    let t = lang.tr();
    let token = state.forms.issue("receipt", Utc::now().timestamp());
    page(
        lang,
        t.receipt_title,
        "/receipt",
        html! {
            h1 { (t.receipt_title) }
            @if let Some(m) = message { p.error role="alert" { (m) } }
            form method="post" action="/receipt" {
                input type="hidden" name="token" value=(token);
                input type="hidden" name="lang" value=(lang.code());
                label { (t.receipt_code)
                    input type="text" name="code" required autocomplete="off" spellcheck="false" dir="ltr" value=(code);
                }
                button type="submit" { (t.check) }
            }
        },
    )
}

async fn receipt_form(
    State(state): State<Shared>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Markup {
    let lang = Lang::pick(q.lang.as_deref(), &headers);
    receipt_form_markup(&state, lang, "", None)
}

/// What a reporter may learn of their report: received, in review, used (an event from it
/// is published), or not used. Never the events themselves beyond that word.
async fn receipt_status(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<ReceiptForm>,
) -> Result<Response, AppError> {
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let t = lang.tr();
    same_site(&headers)?;
    let code = f.code.clone().unwrap_or_default();
    if !f
        .token
        .as_deref()
        .is_some_and(|tok| state.forms.check("receipt", tok, Utc::now().timestamp()))
    {
        let body = receipt_form_markup(&state, lang, &code, Some(t.form_expired));
        return Ok((StatusCode::FORBIDDEN, body).into_response());
    }
    let hash = receipt_hash(&code);
    let found = state
        .db
        .run(move |s| {
            let Some(report_id) = s.report_by_receipt(&hash)? else {
                // Sealed mode: a submission this server cannot read says only whether an
                // event from it was published.
                return Ok(s.sealed_by_receipt(&hash)?.map(|r| {
                    if r.used {
                        vec![Status::Published]
                    } else {
                        Vec::new()
                    }
                }));
            };
            let statuses: Vec<Status> = s
                .events_of_report(report_id)?
                .into_iter()
                .map(|e| e.status)
                .collect();
            Ok(Some(statuses))
        })
        .await?;
    let Some(statuses) = found else {
        let body = receipt_form_markup(&state, lang, &code, Some(t.receipt_unknown));
        return Ok((StatusCode::NOT_FOUND, body).into_response());
    };
    let status = if statuses.contains(&Status::Published) {
        t.status_used
    } else if statuses.is_empty() || statuses.iter().all(|s| *s == Status::Coded) {
        t.status_received
    } else if statuses.iter().all(|s| *s == Status::Rejected) {
        t.status_not_used
    } else {
        t.status_in_review
    };
    let token = state.forms.issue("followup", Utc::now().timestamp());
    Ok(page(
        lang,
        t.receipt_title,
        "/receipt",
        html! {
            h1 { (t.receipt_title) }
            p.status #receipt-status { (status) }
            h2 { (t.followup) }
            form method="post" action="/receipt/followup" {
                input type="hidden" name="token" value=(token);
                input type="hidden" name="lang" value=(lang.code());
                input type="hidden" name="code" value=(code);
                label for="followup" { (t.followup_hint) }
                textarea #followup name="text" rows="6" required maxlength=(MAX_REPORT_CHARS) dir="auto" {}
                button type="submit" { (t.send) }
            }
        },
    )
    .into_response())
}

async fn followup(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<ReceiptForm>,
) -> Result<Response, AppError> {
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let t = lang.tr();
    same_site(&headers)?;
    if !f
        .token
        .as_deref()
        .is_some_and(|tok| state.forms.check("followup", tok, Utc::now().timestamp()))
    {
        return Err(AppError::Csrf);
    }
    let text = f.text.as_deref().unwrap_or("").trim().to_string();
    if text.is_empty() || text.chars().count() > MAX_REPORT_CHARS {
        return Err(AppError::BadRequest(t.text_required.to_string()));
    }
    if text.contains('\0') {
        return Err(AppError::BadRequest(NUL_REFUSED.to_string()));
    }
    let hash = receipt_hash(f.code.as_deref().unwrap_or(""));
    let now = Utc::now();
    let now = now.with_nanosecond(0).unwrap_or(now);
    let found = state
        .db
        .run(move |s| {
            Ok(match s.report_by_receipt(&hash)? {
                Some(report_id) => Some(Ok(report_id)),
                None => s.sealed_by_receipt(&hash)?.map(|r| Err(r.id)),
            })
        })
        .await?;
    match (found, state.seal_to.clone()) {
        (None, _) => return Err(AppError::NotFound),
        // A sealed server keeps no plaintext, even for a report that arrived before it
        // was sealed: the follow-up is sealed alone, its link kept inside the seal.
        (Some(target), Some(recipient)) => {
            let (followup_of, text) = match target {
                Err(sealed_id) => (Some(sealed_id), text),
                Ok(report_id) => (None, format!("[follow-up to report {report_id}]\n{text}")),
            };
            let submission = Submission {
                text,
                place: None,
                date: None,
                lang: None,
                received_at: now,
                attachments: Vec::new(),
            };
            let stored_at = coarse(now, state.sealed_time_step);
            store_sealed(&state, recipient, submission, None, followup_of, stored_at).await?;
        }
        (Some(Ok(report_id)), None) => {
            state
                .db
                .run(move |s| {
                    s.add_followup(report_id, &text, now)?;
                    Ok(())
                })
                .await?;
        }
        (Some(Err(_)), None) => {
            // Started sealed, now open: the server has no key to seal this to.
            return Err(AppError::Unavailable(
                "a follow-up to a sealed report, but the server runs without --seal-to".into(),
            ));
        }
    }
    Ok(page(
        lang,
        t.receipt_title,
        "/receipt",
        html! {
            h1 { (t.followup_sent) }
            p { a href=(href("/", lang)) { (t.nav_map) } }
        },
    )
    .into_response())
}

/// A report's language by its dominant script, as the coder decides it when none is given.
pub(crate) fn script_lang(text: &str) -> &'static str {
    match unrest_text::dominant_script(text) {
        unrest_text::Script::Arabic => "fa",
        unrest_text::Script::Latin => "en",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_are_long_random_and_forgiving_to_type() {
        let a = new_receipt();
        assert_eq!(a.len(), 32 + 7);
        assert_ne!(a, new_receipt());
        let typed = a.to_lowercase().replace('-', " ");
        assert_eq!(receipt_hash(&typed), receipt_hash(&a));
    }

    #[test]
    fn a_sealed_arrival_is_stored_to_the_hour() {
        let t = chrono::DateTime::parse_from_rfc3339("2022-11-12T18:47:31Z")
            .unwrap()
            .with_timezone(&Utc);
        let hour = std::time::Duration::from_secs(3600);
        assert_eq!(coarse(t, hour).to_rfc3339(), "2022-11-12T18:00:00+00:00");
    }

    #[test]
    fn place_and_date_become_a_dateline() {
        let d = NaiveDate::from_ymd_opt(2022, 11, 12);
        assert_eq!(
            report_text("Crowds gathered.", Some("Karaj"), d),
            "Karaj, 12 November 2022:\nCrowds gathered."
        );
        assert_eq!(report_text("x", None, None), "x");
    }
}
