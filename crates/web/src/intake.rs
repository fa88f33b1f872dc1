//! Reading a reporter's submission off the wire: the `/submit` form as URL-encoded fields
//! (no photos) or as `multipart/form-data` (with photos), into memory only.
//!
//! Nothing here touches a disk: multipart parts are read chunk by chunk into memory, a photo
//! stops being kept the moment it passes the per-file limit (the rest of it is read and
//! dropped, so the text of the form is still reached), and the whole body is bounded by the
//! route's body limit. There are no temporary files for plaintext to linger in.
//!
//! This module knows nothing of sealing, coding or the store.

use crate::error::AppError;
use crate::submit::SubmitForm;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use zeroize::Zeroize;

/// A photo as it arrived, not yet looked at.
pub struct Upload {
    /// The file name the reporter's device gave (sealed with the photo, never stored in
    /// the clear).
    pub name: String,
    /// The part's `Content-Type`: what the sender claims, checked against the content.
    pub declared: String,
    pub bytes: Vec<u8>,
    /// Set when the file passed the size limit while it was read (`bytes` is then empty).
    pub too_large: Option<u64>,
}

impl Drop for Upload {
    fn drop(&mut self) {
        self.bytes.zeroize();
        self.name.zeroize();
    }
}

/// The submission form's fields and photos.
pub struct SubmitBody {
    pub form: SubmitForm,
    pub photos: Vec<Upload>,
}

/// The name of the file input.
pub const PHOTO_FIELD: &str = "photo";

impl FromRequest<crate::Shared> for SubmitBody {
    type Rejection = Response;

    async fn from_request(req: Request, state: &crate::Shared) -> Result<Self, Response> {
        let multipart = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with("multipart/form-data"));
        if !multipart {
            // Without photos the usual small limit holds, not the route's larger one.
            let bytes = axum::body::to_bytes(req.into_body(), crate::BODY_LIMIT)
                .await
                .map_err(|_| AppError::TooLarge.into_response())?;
            let form: SubmitForm = serde_urlencoded::from_bytes(&bytes).map_err(|e| {
                AppError::BadRequest(format!("the form could not be read: {e}")).into_response()
            })?;
            return Ok(SubmitBody {
                form,
                photos: Vec::new(),
            });
        }
        let max_file = state.media_limits.max_file_bytes;
        let mut parts = Multipart::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let mut form = SubmitForm::default();
        let mut photos = Vec::new();
        let bad = |e: axum::extract::multipart::MultipartError| {
            let status = e.status();
            if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge.into_response()
            } else {
                AppError::BadRequest(format!("the form could not be read: {}", e.body_text()))
                    .into_response()
            }
        };
        while let Some(mut field) = parts.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or("").to_string();
            if name == PHOTO_FIELD {
                let file_name = field.file_name().unwrap_or("").to_string();
                let declared = field.content_type().unwrap_or("").to_string();
                let mut bytes = Vec::new();
                let mut seen: u64 = 0;
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    seen += chunk.len() as u64;
                    if seen <= max_file {
                        bytes.extend_from_slice(&chunk);
                    } else {
                        bytes.zeroize();
                        bytes = Vec::new();
                    }
                }
                // A file input left empty still sends a part, with no name and no bytes.
                if seen == 0 && file_name.is_empty() {
                    continue;
                }
                photos.push(Upload {
                    name: file_name,
                    declared,
                    bytes,
                    too_large: (seen > max_file).then_some(seen),
                });
                continue;
            }
            let slot = match name.as_str() {
                "text" => &mut form.text,
                "place" => &mut form.place,
                "date" => &mut form.date,
                "date_jy" => &mut form.date_jy,
                "date_jm" => &mut form.date_jm,
                "date_jd" => &mut form.date_jd,
                "lang" => &mut form.lang,
                "token" => &mut form.token,
                _ => continue,
            };
            *slot = Some(field.text().await.map_err(bad)?);
        }
        Ok(SubmitBody { form, photos })
    }
}
