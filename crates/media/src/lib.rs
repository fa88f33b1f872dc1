//! Scrubbing reporters' photos: the copy analysts see carries pixels and nothing else.
//!
//! A phone's photo tells more than its picture: GPS coordinates, the time to the second,
//! the phone's make, model and serial number (in maker notes), the owner's name in XMP, a
//! thumbnail of the picture *before* it was cropped or blurred. [`scrub`] identifies a file
//! by its content (magic bytes, never its name or declared type), reads its size from the
//! header and refuses what is too large *before* decoding, then decodes the pixels, applies
//! the EXIF orientation to them, and encodes a new file from the pixels alone. Nothing of
//! the original file but its pixels survives: no EXIF, XMP, IPTC, GPS, maker notes, ICC
//! profile, comments, text chunks or thumbnails; not even the camera's JPEG quantisation
//! tables, which hint at its model.
//!
//! What re-encoding cannot remove is what is *in* the picture: faces, street signs, and the
//! sensor's noise pattern (PRNU), which can link photos to one camera even after
//! re-encoding. Blurring and downscaling are an analyst's decision, not this crate's.
//!
//! Output: lossy input without transparency (JPEG, lossy WebP) becomes JPEG at quality 90;
//! everything else (PNG, lossless WebP, anything with transparency) becomes PNG. Two
//! output types every browser shows; lossy WebP is not re-encoded as WebP because the
//! only pure-Rust WebP encoder is lossless and would make photos several times larger.
//!
//! Accepted: JPEG, PNG, WebP (the first frame of an animation). Refused with a message that
//! says what to send instead: HEIC/HEIF and AVIF (pure-Rust decoders exist but are young
//! codecs that would parse hostile input on the server; a browser upload from an iPhone is
//! converted to JPEG anyway when the form accepts only JPEG, PNG and WebP), GIF, TIFF and
//! camera RAW, BMP, video, PDF and anything else.
//!
//! What this crate must not know: no database, no HTTP, no files, no logging; it never
//! writes a byte of an image anywhere but its return value. A decoder panic on a hostile
//! file becomes [`MediaError::Corrupt`] (when built with `panic = "unwind"`, the default).

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use image::codecs::jpeg::{JpegDecoder, JpegEncoder};
use image::codecs::png::{CompressionType, FilterType, PngDecoder, PngEncoder};
use image::codecs::webp::WebPDecoder;
use image::{DynamicImage, ImageDecoder, ImageError};

mod header;

pub use header::identify;

/// An image type unrest accepts (input) or writes (output).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MediaType {
    Jpeg,
    Png,
    Webp,
}

impl MediaType {
    /// The MIME type, as stored and served.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Webp => "image/webp",
        }
    }

    /// The usual file extension, for naming files on an analyst's disk.
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
            MediaType::Webp => "webp",
        }
    }

    fn name(self) -> &'static str {
        match self {
            MediaType::Jpeg => "JPEG",
            MediaType::Png => "PNG",
            MediaType::Webp => "WebP",
        }
    }
}

impl std::fmt::Display for MediaType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Bounds on what one upload may cost the server. Sizes are checked from the file and its
/// header before any pixel is decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted file. Default 20 MiB: a 48-megapixel phone JPEG is 8–15 MB.
    pub max_file_bytes: u64,
    /// Largest width or height. Default 16 384 (WebP's own maximum is 16 383).
    pub max_side: u32,
    /// Largest width × height. Default 50 million: a 48-megapixel phone photo passes, a
    /// 200-megapixel one does not.
    pub max_pixels: u64,
    /// Largest decoded image in memory, in bytes. Default 256 MiB. Peak use is up to about
    /// twice this (rotating for the EXIF orientation makes a second buffer) plus the file.
    pub max_decoded_bytes: u64,
    /// Most photos in one submission ([`check_count`]). Default 10.
    pub max_files: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 20 * 1024 * 1024,
            max_side: 16_384,
            max_pixels: 50_000_000,
            max_decoded_bytes: 256 * 1024 * 1024,
            max_files: 10,
        }
    }
}

/// Why a file was refused. Each message names what is wrong, for the reporter's screen and
/// the server's counters; none includes the file's bytes.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaError {
    #[error("not an image: the file's content is not JPEG, PNG or WebP (its name or declared type does not count)")]
    NotAnImage,
    #[error("{found} is not supported; {advice}")]
    Unsupported {
        /// What the content is, e.g. "HEIC".
        found: &'static str,
        advice: &'static str,
    },
    #[error("the file says it is {declared:?} but its content is {found}: refused")]
    DeclaredTypeDiffers { declared: String, found: MediaType },
    #[error("the file is {bytes} bytes; at most {max} are accepted")]
    TooLarge { bytes: u64, max: u64 },
    #[error("the image is {width}×{height} pixels; at most {max_side} on a side and {max_pixels} pixels in all are accepted")]
    TooManyPixels {
        width: u32,
        height: u32,
        max_side: u32,
        max_pixels: u64,
    },
    #[error("decoding the image would take more than the {max} bytes of memory allowed")]
    TooMuchMemory { max: u64 },
    #[error("{count} files in one submission; at most {max} are accepted")]
    TooMany { count: usize, max: usize },
    #[error("the {media_type} file is damaged and cannot be read: {reason}")]
    Corrupt {
        media_type: MediaType,
        reason: String,
    },
}

/// A scrubbed image: new bytes from the pixels alone.
#[derive(Clone, PartialEq, Eq)]
pub struct Scrubbed {
    /// The type of `bytes` (JPEG or PNG; see the crate docs for which).
    pub media_type: MediaType,
    pub bytes: Vec<u8>,
    /// Of the picture as it should be shown, after the EXIF orientation.
    pub width: u32,
    pub height: u32,
}

impl std::fmt::Debug for Scrubbed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scrubbed")
            .field("media_type", &self.media_type)
            .field("bytes", &self.bytes.len())
            .field("width", &self.width)
            .field("height", &self.height)
            .finish()
    }
}

/// JPEG quality of scrubbed photos: visually lossless for photos, about the size of a
/// phone's own JPEG.
const JPEG_QUALITY: u8 = 90;

/// Checks the number of files in one submission, before any is read.
pub fn check_count(count: usize, limits: &Limits) -> Result<(), MediaError> {
    if count > limits.max_files {
        return Err(MediaError::TooMany {
            count,
            max: limits.max_files,
        });
    }
    Ok(())
}

/// Scrubs a file whose type was declared by the sender (a form's `Content-Type`): as
/// [`scrub`], and refused if the declared type is a different one. An empty declared type
/// or `application/octet-stream` declares nothing.
pub fn scrub_declared(
    bytes: &[u8],
    declared: &str,
    limits: &Limits,
) -> Result<Scrubbed, MediaError> {
    check_size(bytes, limits)?;
    let found = identify(bytes)?;
    check_declared(declared, found)?;
    scrub_identified(bytes, found, limits)
}

/// Checks a declared type against what the content is.
pub fn check_declared(declared: &str, found: MediaType) -> Result<(), MediaError> {
    let essence = declared
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let declared_type = match essence.as_str() {
        "" | "application/octet-stream" => return Ok(()),
        "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(MediaType::Jpeg),
        "image/png" | "image/x-png" => Some(MediaType::Png),
        "image/webp" => Some(MediaType::Webp),
        _ => None,
    };
    if declared_type == Some(found) {
        Ok(())
    } else {
        Err(MediaError::DeclaredTypeDiffers {
            declared: declared.chars().take(60).collect(),
            found,
        })
    }
}

/// Scrubs an uploaded image. See the crate docs for what is accepted, what comes out, and
/// what is removed.
pub fn scrub(bytes: &[u8], limits: &Limits) -> Result<Scrubbed, MediaError> {
    check_size(bytes, limits)?;
    let found = identify(bytes)?;
    scrub_identified(bytes, found, limits)
}

fn check_size(bytes: &[u8], limits: &Limits) -> Result<(), MediaError> {
    let len = bytes.len() as u64;
    if len > limits.max_file_bytes {
        return Err(MediaError::TooLarge {
            bytes: len,
            max: limits.max_file_bytes,
        });
    }
    Ok(())
}

fn scrub_identified(
    bytes: &[u8],
    found: MediaType,
    limits: &Limits,
) -> Result<Scrubbed, MediaError> {
    let header = header::read(bytes, found)?;
    let (width, height) = (header.width, header.height);
    if width == 0 || height == 0 {
        return Err(corrupt(found, "the header declares an empty image"));
    }
    if width > limits.max_side
        || height > limits.max_side
        || u64::from(width) * u64::from(height) > limits.max_pixels
    {
        return Err(MediaError::TooManyPixels {
            width,
            height,
            max_side: limits.max_side,
            max_pixels: limits.max_pixels,
        });
    }
    let decoded = catch_unwind(AssertUnwindSafe(|| decode(bytes, found, limits)))
        .unwrap_or_else(|_| Err(corrupt(found, "the decoder gave up on it")))?;
    let mut image = decoded.image;
    image.apply_orientation(decoded.orientation);

    let lossy = match found {
        MediaType::Jpeg => true,
        MediaType::Png => false,
        MediaType::Webp => header.lossy,
    };
    let (media_type, bytes) = if lossy && !image.has_alpha() {
        (MediaType::Jpeg, encode_jpeg(&image))
    } else {
        (MediaType::Png, encode_png(&image))
    };
    Ok(Scrubbed {
        media_type,
        bytes,
        width: image.width(),
        height: image.height(),
    })
}

struct Decoded {
    image: DynamicImage,
    orientation: image::metadata::Orientation,
}

fn decode(bytes: &[u8], found: MediaType, limits: &Limits) -> Result<Decoded, MediaError> {
    let image_limits = {
        let mut l = image::Limits::default();
        l.max_image_width = Some(limits.max_side);
        l.max_image_height = Some(limits.max_side);
        l.max_alloc = Some(limits.max_decoded_bytes);
        l
    };
    let err = |e: ImageError| image_error(found, e, limits);
    let input = Cursor::new(bytes);
    match found {
        MediaType::Jpeg => finish(
            JpegDecoder::new(input).map_err(err)?,
            image_limits,
            found,
            limits,
        ),
        MediaType::Png => finish(
            PngDecoder::with_limits(input, image_limits.clone()).map_err(err)?,
            image_limits,
            found,
            limits,
        ),
        MediaType::Webp => finish(
            WebPDecoder::new(input).map_err(err)?,
            image_limits,
            found,
            limits,
        ),
    }
}

fn finish(
    mut decoder: impl ImageDecoder,
    image_limits: image::Limits,
    found: MediaType,
    limits: &Limits,
) -> Result<Decoded, MediaError> {
    let err = |e: ImageError| image_error(found, e, limits);
    let needed = decoder.total_bytes();
    if needed > limits.max_decoded_bytes {
        return Err(MediaError::TooMuchMemory {
            max: limits.max_decoded_bytes,
        });
    }
    decoder.set_limits(image_limits).map_err(err)?;
    // A damaged EXIF block only costs the orientation; the picture is still worth having.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(err)?;
    Ok(Decoded { image, orientation })
}

fn image_error(found: MediaType, e: ImageError, limits: &Limits) -> MediaError {
    match e {
        ImageError::Limits(_) => MediaError::TooMuchMemory {
            max: limits.max_decoded_bytes,
        },
        ImageError::Unsupported(u) => {
            corrupt(found, &format!("a variant the decoder does not read ({u})"))
        }
        other => corrupt(found, &other.to_string()),
    }
}

fn corrupt(media_type: MediaType, reason: &str) -> MediaError {
    MediaError::Corrupt {
        media_type,
        reason: reason.chars().take(200).collect(),
    }
}

fn encode_jpeg(image: &DynamicImage) -> Vec<u8> {
    let mut out = Vec::with_capacity(image.width() as usize * image.height() as usize / 4);
    let encoder = JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    let result = match image {
        DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) => {
            image.write_with_encoder(encoder)
        }
        other => DynamicImage::ImageRgb8(other.to_rgb8()).write_with_encoder(encoder),
    };
    result.expect("8-bit grey or RGB pixels in memory always encode as JPEG");
    out
}

fn encode_png(image: &DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    // Fast compression: a screenshot must not cost the server seconds.
    let encoder =
        PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive);
    let result = match image {
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageRgb8(_)
        | DynamicImage::ImageRgba8(_)
        | DynamicImage::ImageLuma16(_)
        | DynamicImage::ImageLumaA16(_)
        | DynamicImage::ImageRgb16(_)
        | DynamicImage::ImageRgba16(_) => image.write_with_encoder(encoder),
        other => DynamicImage::ImageRgba8(other.to_rgba8()).write_with_encoder(encoder),
    };
    result.expect("8- or 16-bit pixels in memory always encode as PNG");
    out
}
