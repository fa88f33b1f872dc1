//! How long scrubbing a phone photo takes and how much memory it needs.
//!
//! `cargo run --release -p unrest-media --example measure [megapixels]` (default 12: 4000×3000).
//! Prints the input and output sizes, the time of each of three runs, and the most heap the
//! scrub held at once (counted by this program's allocator), with the process's peak RSS.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, Rgb, RgbImage};
use unrest_media::{scrub, Limits};

struct Counting;
static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A picture with a photo's texture: smooth light, edges, and sensor-like noise, so the JPEG
/// is as large and as slow to decode as a real one.
fn photo_like(width: u32, height: u32) -> RgbImage {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let noise = (state % 24) as i32 - 12;
        let sky = (y * 160 / height) as i32;
        let building = if (x / 300 + y / 200) % 3 == 0 { 60 } else { 0 };
        let c = |base: i32| (base + noise).clamp(0, 255) as u8;
        Rgb([
            c(90 + sky - building),
            c(110 + sky / 2),
            c(180 - sky / 2 + building),
        ])
    })
}

fn rss_peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let megapixels: f64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(12.0);
    let width = ((megapixels * 1e6 * 4.0 / 3.0).sqrt()) as u32;
    let height = width * 3 / 4;
    let mut jpeg = Vec::new();
    // Phones write quality 90–95.
    JpegEncoder::new_with_quality(&mut jpeg, 92)
        .encode_image(&DynamicImage::ImageRgb8(photo_like(width, height)))
        .unwrap();
    println!(
        "input: {width}×{height} ({:.1} MP) JPEG at quality 92, {:.1} MB",
        f64::from(width) * f64::from(height) / 1e6,
        jpeg.len() as f64 / 1e6
    );
    let limits = Limits::default();
    measure(
        "upright (EXIF orientation 1)",
        &with_orientation(&jpeg, 1),
        &limits,
    );
    measure(
        "portrait (EXIF orientation 6, turned)",
        &with_orientation(&jpeg, 6),
        &limits,
    );
    if let Some(kib) = rss_peak_kib() {
        println!(
            "process peak RSS: {:.0} MB (includes making the input)",
            kib as f64 / 1024.0
        );
    }
}

/// Adds an EXIF block holding only the orientation, as a phone held upright writes 6.
fn with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut exif = b"Exif\0\0MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    exif.extend(orientation.to_be_bytes());
    exif.extend([0, 0, 0, 0, 0, 0]);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((exif.len() + 2) as u16).to_be_bytes());
    out.extend(exif);
    out.extend(&jpeg[2..]);
    out
}

fn measure(what: &str, jpeg: &[u8], limits: &Limits) {
    println!("{what}:");
    for run in 1..=3 {
        let base = HELD.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let start = Instant::now();
        let out = scrub(jpeg, limits).unwrap();
        let elapsed = start.elapsed();
        let peak = PEAK.load(Ordering::Relaxed) - base;
        println!(
            "  run {run}: {:.2} s, peak heap {:.0} MB beyond the input, output {}×{} {:?} {:.1} MB",
            elapsed.as_secs_f64(),
            peak as f64 / 1e6,
            out.width,
            out.height,
            out.media_type,
            out.bytes.len() as f64 / 1e6
        );
    }
}
