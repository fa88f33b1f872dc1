//! Fixtures built in code: photos carrying the metadata a phone writes, hand-made headers
//! for bombs, and an allocator that measures what a call allocates.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage, RgbaImage};

/// Marker strings hidden in every kind of metadata; none may survive scrubbing.
pub const MARKERS: &[&str] = &[
    "MARKERMAKE",
    "MARKERMODEL",
    "MARKERSERIAL123",
    "MARKERCREATOR",
    "MARKERCOMMENT",
    "MARKERICC",
    "MARKERTHUMB",
    "MARKERPNGTEXT",
];

pub const RED: Rgb<u8> = Rgb([220, 20, 20]);
pub const BLUE: Rgb<u8> = Rgb([20, 20, 220]);

/// Left half red, right half blue: after a rotation one can tell which way it went.
pub fn two_halves(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, _| if x < width / 2 { RED } else { BLUE })
}

pub fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Is the colour near `expected` (JPEG is lossy)?
pub fn near(actual: Rgb<u8>, expected: Rgb<u8>) -> bool {
    actual
        .0
        .iter()
        .zip(expected.0)
        .all(|(&a, e)| a.abs_diff(e) < 40)
}

// ---- EXIF, written by hand as a phone would --------------------------------------------

struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    data: Vec<u8>,
}

const BYTE: u16 = 1;
const ASCII: u16 = 2;
const SHORT: u16 = 3;
const LONG: u16 = 4;
const RATIONAL: u16 = 5;
const UNDEFINED: u16 = 7;

fn ascii(tag: u16, s: &str) -> Entry {
    let mut data = s.as_bytes().to_vec();
    data.push(0);
    Entry {
        tag,
        kind: ASCII,
        count: data.len() as u32,
        data,
    }
}

fn short(tag: u16, v: u16) -> Entry {
    Entry {
        tag,
        kind: SHORT,
        count: 1,
        data: v.to_be_bytes().to_vec(),
    }
}

fn long(tag: u16, v: u32) -> Entry {
    Entry {
        tag,
        kind: LONG,
        count: 1,
        data: v.to_be_bytes().to_vec(),
    }
}

fn rationals(tag: u16, values: &[(u32, u32)]) -> Entry {
    let data = values
        .iter()
        .flat_map(|(n, d)| n.to_be_bytes().into_iter().chain(d.to_be_bytes()))
        .collect();
    Entry {
        tag,
        kind: RATIONAL,
        count: values.len() as u32,
        data,
    }
}

fn ifd_len(entries: &[Entry]) -> usize {
    2 + 12 * entries.len()
        + 4
        + entries
            .iter()
            .filter(|e| e.data.len() > 4)
            .map(|e| e.data.len().next_multiple_of(2))
            .sum::<usize>()
}

/// Writes an IFD that starts at `offset` in the TIFF, its out-of-line values after it.
fn write_ifd(out: &mut Vec<u8>, mut entries: Vec<Entry>, offset: usize, next: u32) {
    entries.sort_by_key(|e| e.tag);
    let mut data_at = offset + 2 + 12 * entries.len() + 4;
    let mut data_area = Vec::new();
    out.extend((entries.len() as u16).to_be_bytes());
    for e in &entries {
        out.extend(e.tag.to_be_bytes());
        out.extend(e.kind.to_be_bytes());
        out.extend(e.count.to_be_bytes());
        if e.data.len() <= 4 {
            let mut inline = e.data.clone();
            inline.resize(4, 0);
            out.extend(inline);
        } else {
            out.extend((data_at as u32).to_be_bytes());
            data_area.extend(&e.data);
            if e.data.len() % 2 == 1 {
                data_area.push(0);
            }
            data_at += e.data.len().next_multiple_of(2);
        }
    }
    out.extend(next.to_be_bytes());
    out.extend(data_area);
}

/// A big-endian TIFF as a phone's EXIF block: camera make, model and serial, a maker note,
/// GPS coordinates of Tehran, the orientation, and a thumbnail JPEG.
pub fn exif_tiff(orientation: u16) -> Vec<u8> {
    let thumbnail = {
        let thumb = DynamicImage::ImageRgb8(RgbImage::from_pixel(8, 8, Rgb([0, 255, 0])));
        let jpeg = encode(&thumb, ImageFormat::Jpeg);
        insert_after_soi(&jpeg, &[segment(0xFE, b"MARKERTHUMB")])
    };
    let ifd0 = |exif_at: u32, gps_at: u32| {
        vec![
            ascii(0x010F, "MARKERMAKE"),
            ascii(0x0110, "MARKERMODEL"),
            short(0x0112, orientation),
            long(0x8769, exif_at),
            long(0x8825, gps_at),
        ]
    };
    let exif = || {
        vec![
            ascii(0x9003, "2024:09:22 18:30:00"),
            Entry {
                tag: 0x927C,
                kind: UNDEFINED,
                count: 24,
                data: b"MARKERSERIAL123 makernot".to_vec(),
            },
            ascii(0xA431, "MARKERSERIAL123"),
        ]
    };
    let gps = || {
        vec![
            Entry {
                tag: 0x0000,
                kind: BYTE,
                count: 4,
                data: vec![2, 3, 0, 0],
            },
            ascii(0x0001, "N"),
            rationals(0x0002, &[(35, 1), (41, 1), (2112, 100)]),
            ascii(0x0003, "E"),
            rationals(0x0004, &[(51, 1), (23, 1), (2040, 100)]),
        ]
    };
    let ifd1 = |thumb_at: u32| {
        vec![
            short(0x0103, 6),
            long(0x0201, thumb_at),
            long(0x0202, thumbnail.len() as u32),
        ]
    };
    let ifd0_at = 8;
    let exif_at = ifd0_at + ifd_len(&ifd0(0, 0));
    let gps_at = exif_at + ifd_len(&exif());
    let ifd1_at = gps_at + ifd_len(&gps());
    let thumb_at = ifd1_at + ifd_len(&ifd1(0));

    let mut tiff = b"MM\0*".to_vec();
    tiff.extend(8u32.to_be_bytes());
    write_ifd(
        &mut tiff,
        ifd0(exif_at as u32, gps_at as u32),
        ifd0_at,
        ifd1_at as u32,
    );
    write_ifd(&mut tiff, exif(), exif_at, 0);
    write_ifd(&mut tiff, gps(), gps_at, 0);
    write_ifd(&mut tiff, ifd1(thumb_at as u32), ifd1_at, 0);
    assert_eq!(tiff.len(), thumb_at);
    tiff.extend(thumbnail);
    tiff
}

/// A JPEG marker segment.
pub fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend(((payload.len() + 2) as u16).to_be_bytes());
    s.extend(payload);
    s
}

pub fn insert_after_soi(jpeg: &[u8], segments: &[Vec<u8>]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], [0xFF, 0xD8]);
    let mut out = jpeg[..2].to_vec();
    for s in segments {
        out.extend(s);
    }
    out.extend(&jpeg[2..]);
    out
}

pub const XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" dc:creator=\"MARKERCREATOR\" exif:GPSLatitude=\"35,41.352N\"/></rdf:RDF></x:xmpmeta>";

/// A phone's JPEG: the picture, then EXIF (with GPS, serial, thumbnail), XMP, an ICC
/// profile and a comment, each carrying a marker.
pub fn phone_jpeg(picture: &RgbImage, orientation: u16) -> Vec<u8> {
    let jpeg = encode(&DynamicImage::ImageRgb8(picture.clone()), ImageFormat::Jpeg);
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend(exif_tiff(orientation));
    let mut icc = b"ICC_PROFILE\0\x01\x01".to_vec();
    icc.extend(b"fake profile desc MARKERICC");
    insert_after_soi(
        &jpeg,
        &[
            segment(0xE1, &exif),
            segment(0xE1, XMP),
            segment(0xE2, &icc),
            segment(0xFE, b"MARKERCOMMENT"),
        ],
    )
}

// ---- PNG chunks -----------------------------------------------------------------------

pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

pub fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend(kind);
    c.extend(data);
    let mut crc_input = kind.to_vec();
    crc_input.extend(data);
    c.extend(crc32(&crc_input).to_be_bytes());
    c
}

/// Inserts chunks right after IHDR (where eXIf must be, before the image data).
pub fn insert_after_ihdr(png: &[u8], chunks: &[Vec<u8>]) -> Vec<u8> {
    let after_ihdr = 8 + 4 + 4 + 13 + 4;
    let mut out = png[..after_ihdr].to_vec();
    for c in chunks {
        out.extend(c);
    }
    out.extend(&png[after_ihdr..]);
    out
}

/// A screenshot-like RGBA PNG with text, EXIF (GPS) and a marker in each.
pub fn png_with_metadata(picture: &RgbaImage) -> Vec<u8> {
    let png = encode(&DynamicImage::ImageRgba8(picture.clone()), ImageFormat::Png);
    insert_after_ihdr(
        &png,
        &[
            chunk(b"tEXt", b"Comment\0MARKERPNGTEXT"),
            chunk(b"iTXt", b"Author\0\0\0\0\0MARKERCREATOR"),
            chunk(b"eXIf", &exif_tiff(1)),
        ],
    )
}

/// A PNG of a few dozen bytes that declares `width`×`height` RGBA pixels.
pub fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    png.extend(chunk(b"IHDR", &ihdr));
    // zlib, one stored block of ten zero bytes.
    let mut idat = vec![0x78, 0x01, 0x01, 10, 0, !10, 0xFF];
    idat.extend([0; 10]);
    idat.extend(0x000A_0001u32.to_be_bytes());
    png.extend(chunk(b"IDAT", &idat));
    png.extend(chunk(b"IEND", b""));
    png
}

/// A real small JPEG whose frame header is rewritten to declare `width`×`height`.
pub fn jpeg_bomb(width: u16, height: u16) -> Vec<u8> {
    let mut jpeg = encode(
        &DynamicImage::ImageRgb8(two_halves(16, 16)),
        ImageFormat::Jpeg,
    );
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    jpeg
}

// ---- Measuring allocations ------------------------------------------------------------

/// Counts the bytes the current thread holds, so a test can tell what one call allocated
/// while other tests run on other threads.
pub struct CountingAllocator;

thread_local! {
    static HELD: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn track(delta: isize) {
    let _ = HELD.try_with(|held| {
        let now = held.get() + delta;
        held.set(now);
        let _ = PEAK.try_with(|peak| {
            if now > peak.get() {
                peak.set(now)
            }
        });
    });
}

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            track(layout.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            track(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        track(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            track(new_size as isize - layout.size() as isize);
        }
        p
    }
}

/// Runs `f` and returns its result with the most bytes it held at once on this thread.
pub fn peak_bytes<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = HELD.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let result = f();
    let peak = PEAK.with(Cell::get);
    (result, (peak - base).max(0) as usize)
}
