//! What a file is and how big it says it is, read from its first bytes without decoding: so a
//! decompression bomb (a few bytes declaring billions of pixels) is refused before anything
//! is allocated for it, whatever the decoders would have done.

use crate::{corrupt, MediaError, MediaType};

const SEND_JPEG_PNG_WEBP: &str = "send a photo as JPEG, PNG or WebP";

/// What `bytes` are, from their content alone. Refuses, naming what it found, the formats
/// we recognise but do not accept.
pub fn identify(bytes: &[u8]) -> Result<MediaType, MediaError> {
    let unsupported = |found, advice| Err(MediaError::Unsupported { found, advice });
    let at = |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
    if at(0, &[0xFF, 0xD8, 0xFF]) {
        return Ok(MediaType::Jpeg);
    }
    if at(0, b"\x89PNG\r\n\x1a\n") {
        return Ok(MediaType::Png);
    }
    if at(0, b"RIFF") && at(8, b"WEBP") {
        return Ok(MediaType::Webp);
    }
    if at(4, b"ftyp") {
        return match iso_media_kind(bytes) {
            IsoMedia::Heic => unsupported(
                "HEIC",
                "send JPEG (on an iPhone: Settings › Camera › Formats › Most Compatible, or share the photo as JPEG)",
            ),
            IsoMedia::Avif => unsupported("AVIF", SEND_JPEG_PNG_WEBP),
            IsoMedia::Video => unsupported(
                "Video",
                "videos are not accepted; send photos as JPEG, PNG or WebP",
            ),
        };
    }
    if at(0, b"GIF87a") || at(0, b"GIF89a") {
        return unsupported("GIF", SEND_JPEG_PNG_WEBP);
    }
    if at(0, b"II*\0") || at(0, b"MM\0*") {
        return unsupported("TIFF (or a camera RAW file)", "send JPEG");
    }
    if at(0, &[0xFF, 0x0A]) || at(0, b"\0\0\0\x0cJXL \r\n\x87\n") {
        return unsupported("JPEG XL", SEND_JPEG_PNG_WEBP);
    }
    if at(0, b"\0\0\0\x0cjP  \r\n\x87\n") || at(0, &[0xFF, 0x4F, 0xFF, 0x51]) {
        return unsupported("JPEG 2000", SEND_JPEG_PNG_WEBP);
    }
    if at(0, b"BM") && bytes.len() >= 26 && at(6, &[0, 0, 0, 0]) {
        return unsupported("BMP", SEND_JPEG_PNG_WEBP);
    }
    if at(0, b"%PDF-") {
        return unsupported("PDF", SEND_JPEG_PNG_WEBP);
    }
    if looks_like_svg(bytes) {
        return unsupported("SVG", SEND_JPEG_PNG_WEBP);
    }
    Err(MediaError::NotAnImage)
}

enum IsoMedia {
    Heic,
    Avif,
    Video,
}

/// Reads the brands of an ISO base media file (`ftyp` box): HEIF images, AVIF, or else video
/// (MP4, MOV, 3GP).
fn iso_media_kind(bytes: &[u8]) -> IsoMedia {
    let box_size = bytes
        .get(0..4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .unwrap_or(0)
        .clamp(16, 512)
        .min(bytes.len());
    // The major brand at 8..12, the minor version at 12..16, compatible brands after.
    let brands = bytes[8..box_size]
        .chunks_exact(4)
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, b)| b);
    let mut heif = false;
    for brand in brands {
        match brand {
            b"avif" | b"avis" => return IsoMedia::Avif,
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"hevm" | b"hevs"
            | b"mif1" | b"mif2" | b"msf1" => heif = true,
            _ => {}
        }
    }
    if heif {
        IsoMedia::Heic
    } else {
        IsoMedia::Video
    }
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    (head.starts_with(b"<?xml") || head.starts_with(b"<svg") || head.starts_with(b"<!DOCTYPE svg"))
        && head.windows(4).any(|w| w == b"<svg")
}

/// The size a file declares, and for WebP whether its pixels are lossy.
pub(crate) struct Header {
    pub width: u32,
    pub height: u32,
    pub lossy: bool,
}

pub(crate) fn read(bytes: &[u8], found: MediaType) -> Result<Header, MediaError> {
    let header = match found {
        MediaType::Jpeg => jpeg(bytes),
        MediaType::Png => png(bytes),
        MediaType::Webp => webp(bytes),
    };
    header.ok_or_else(|| corrupt(found, "its header is missing or damaged"))
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 2)?;
    Some(u32::from(u16::from_be_bytes([s[0], s[1]])))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 4)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 2)?;
    Some(u32::from(u16::from_le_bytes([s[0], s[1]])))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], 0]))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 4)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// PNG: the first chunk must be IHDR.
fn png(b: &[u8]) -> Option<Header> {
    if b.get(12..16)? != b"IHDR" {
        return None;
    }
    Some(Header {
        width: be32(b, 16)?,
        height: be32(b, 20)?,
        lossy: false,
    })
}

/// JPEG: walks the marker segments to the first frame header (SOFn).
fn jpeg(b: &[u8]) -> Option<Header> {
    let mut i = 2;
    loop {
        if *b.get(i)? != 0xFF {
            return None;
        }
        while *b.get(i)? == 0xFF {
            i += 1;
        }
        let marker = b[i];
        i += 1;
        match marker {
            // Markers without a length.
            0x01 | 0xD0..=0xD8 => continue,
            // Image data or the end before any frame header.
            0xD9 | 0xDA => return None,
            _ => {
                let len = be16(b, i)? as usize;
                if len < 2 {
                    return None;
                }
                let is_frame =
                    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
                if is_frame {
                    // length(2) precision(1) height(2) width(2)
                    return Some(Header {
                        height: be16(b, i + 3)?,
                        width: be16(b, i + 5)?,
                        lossy: true,
                    });
                }
                i += len;
            }
        }
    }
}

/// WebP: the first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended, with the canvas
/// size; its image chunk follows).
fn webp(b: &[u8]) -> Option<Header> {
    let fourcc = b.get(12..16)?;
    let data = 20;
    match fourcc {
        b"VP8 " => {
            if b.get(data + 3..data + 6)? != [0x9D, 0x01, 0x2A] {
                return None;
            }
            Some(Header {
                width: le16(b, data + 6)? & 0x3FFF,
                height: le16(b, data + 8)? & 0x3FFF,
                lossy: true,
            })
        }
        b"VP8L" => {
            if *b.get(data)? != 0x2F {
                return None;
            }
            let bits = le32(b, data + 1)?;
            Some(Header {
                width: (bits & 0x3FFF) + 1,
                height: ((bits >> 14) & 0x3FFF) + 1,
                lossy: false,
            })
        }
        b"VP8X" => Some(Header {
            width: le24(b, data + 4)? + 1,
            height: le24(b, data + 7)? + 1,
            lossy: webp_extended_is_lossy(b),
        }),
        _ => None,
    }
}

/// Whether the first image chunk of an extended WebP (or of its first animation frame) is
/// lossy VP8. Only chooses the output type, so a damaged chunk list just answers no.
fn webp_extended_is_lossy(b: &[u8]) -> bool {
    let mut at = 12;
    // A few dozen chunks at most in a real file; the bound keeps a hostile one cheap.
    for _ in 0..64 {
        let (Some(fourcc), Some(size)) = (b.get(at..at + 4), le32(b, at + 4)) else {
            return false;
        };
        match fourcc {
            b"VP8 " => return true,
            b"VP8L" => return false,
            // An animation frame: 16 bytes of frame header, then its image chunk.
            b"ANMF" => {
                return b.get(at + 24..at + 28) == Some(b"VP8 ")
                    || b.get(at + 24..at + 28) == Some(b"ALPH")
            }
            _ => {}
        }
        let padded = (size as usize).saturating_add(size as usize & 1);
        at = match at.checked_add(8).and_then(|a| a.checked_add(padded)) {
            Some(next) => next,
            None => return false,
        };
    }
    false
}
