//! What scrubbing promises: only pixels come out, rightly turned; what is not an accepted
//! image, lies about its type or is too large is refused with a message that says so, and a
//! bomb is refused before it costs memory.

mod support;

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};
use support::*;
use unrest_media::*;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const LOSSY_WEBP: &[u8] = include_bytes!("assets/lossy.webp");
const LOSSY_GPS_ROTATED_WEBP: &[u8] = include_bytes!("assets/lossy-gps-rotated.webp");

fn exif_of(bytes: &[u8]) -> Result<exif::Exif, exif::Error> {
    exif::Reader::new().read_from_container(&mut Cursor::new(bytes))
}

fn decode(s: &Scrubbed) -> DynamicImage {
    let format = match s.media_type {
        MediaType::Jpeg => ImageFormat::Jpeg,
        MediaType::Png => ImageFormat::Png,
        MediaType::Webp => ImageFormat::WebP,
    };
    image::load_from_memory_with_format(&s.bytes, format).unwrap()
}

fn assert_no_markers(bytes: &[u8]) {
    for marker in MARKERS {
        assert!(
            !contains(bytes, marker.as_bytes()),
            "{marker} survived scrubbing"
        );
    }
    for container in [
        &b"Exif\0\0"[..],
        b"http://ns.adobe.com",
        b"ICC_PROFILE",
        b"eXIf",
        b"tEXt",
        b"iTXt",
        b"XMP ",
    ] {
        assert!(
            !contains(bytes, container),
            "{} survived",
            String::from_utf8_lossy(container)
        );
    }
}

#[test]
fn a_phones_jpeg_loses_gps_serial_xmp_icc_comment_and_thumbnail() {
    let input = phone_jpeg(&two_halves(64, 32), 1);
    // The fixture carries what a phone writes, as an EXIF reader sees it.
    let exif = exif_of(&input).expect("the fixture's EXIF parses");
    assert!(exif
        .get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
        .is_some());
    assert!(exif
        .get_field(exif::Tag::BodySerialNumber, exif::In::PRIMARY)
        .is_some());
    assert!(exif
        .get_field(exif::Tag::JPEGInterchangeFormat, exif::In::THUMBNAIL)
        .is_some());
    for marker in MARKERS.iter().filter(|m| **m != "MARKERPNGTEXT") {
        assert!(
            contains(&input, marker.as_bytes()),
            "fixture lacks {marker}"
        );
    }

    let out = scrub(&input, &Limits::default()).unwrap();
    assert_eq!(out.media_type, MediaType::Jpeg);
    assert!(exif_of(&out.bytes).is_err(), "no EXIF at all in the output");
    assert_no_markers(&out.bytes);
    // The camera's quantisation tables are replaced too: the output is our encoder's alone.
    assert_eq!((out.width, out.height), (64, 32));
}

#[test]
fn the_exif_orientation_turns_the_pixels_before_it_is_dropped() {
    // 6 = rotate 90° clockwise to display: the left (red) half ends on top.
    let out = scrub(&phone_jpeg(&two_halves(64, 32), 6), &Limits::default()).unwrap();
    assert_eq!((out.width, out.height), (32, 64));
    let pixels = decode(&out).to_rgb8();
    assert!(
        near(*pixels.get_pixel(16, 8), RED),
        "top is {:?}",
        pixels.get_pixel(16, 8)
    );
    assert!(
        near(*pixels.get_pixel(16, 56), BLUE),
        "bottom is {:?}",
        pixels.get_pixel(16, 56)
    );

    // 3 = rotate 180°: red ends on the right.
    let out = scrub(&phone_jpeg(&two_halves(64, 32), 3), &Limits::default()).unwrap();
    assert_eq!((out.width, out.height), (64, 32));
    let pixels = decode(&out).to_rgb8();
    assert!(near(*pixels.get_pixel(56, 16), RED));
}

#[test]
fn output_dimensions_are_the_inputs() {
    for (w, h) in [(640, 480), (1, 1), (3, 1000), (1001, 7)] {
        let input = phone_jpeg(&two_halves(w, h), 1);
        let out = scrub(&input, &Limits::default()).unwrap();
        assert_eq!((out.width, out.height), (w, h));
        assert_eq!(decode(&out).to_rgb8().dimensions(), (w, h));
    }
}

#[test]
fn a_png_round_trips_pixel_for_pixel_without_its_text_and_exif() {
    let picture = RgbaImage::from_fn(40, 30, |x, y| {
        Rgba([x as u8 * 6, y as u8 * 8, 100, (x * y % 256) as u8])
    });
    let input = png_with_metadata(&picture);
    assert!(exif_of(&input).is_ok(), "the fixture's eXIf parses");
    let out = scrub(&input, &Limits::default()).unwrap();
    assert_eq!(out.media_type, MediaType::Png);
    assert_eq!((out.width, out.height), (40, 30));
    assert_eq!(decode(&out).to_rgba8(), picture);
    assert!(exif_of(&out.bytes).is_err());
    assert_no_markers(&out.bytes);
}

#[test]
fn a_lossless_webp_round_trips_pixel_for_pixel_as_png() {
    let picture = RgbaImage::from_fn(33, 17, |x, y| {
        Rgba([x as u8 * 7, y as u8 * 15, 7, 255 - x as u8])
    });
    let input = encode(
        &DynamicImage::ImageRgba8(picture.clone()),
        ImageFormat::WebP,
    );
    let out = scrub(&input, &Limits::default()).unwrap();
    assert_eq!(out.media_type, MediaType::Png);
    assert_eq!(decode(&out).to_rgba8(), picture);
}

#[test]
fn a_lossy_webp_becomes_a_jpeg_of_the_same_size() {
    let out = scrub(LOSSY_WEBP, &Limits::default()).unwrap();
    assert_eq!(out.media_type, MediaType::Jpeg);
    assert_eq!((out.width, out.height), (64, 48));
    let pixels = decode(&out).to_rgb8();
    assert!(near(*pixels.get_pixel(8, 24), RED));
    assert!(near(*pixels.get_pixel(56, 24), BLUE));
}

#[test]
fn a_webp_loses_its_gps_exif_and_xmp_and_is_turned() {
    let exif = exif_of(LOSSY_GPS_ROTATED_WEBP).expect("the fixture's EXIF parses");
    assert!(exif
        .get_field(exif::Tag::GPSLongitude, exif::In::PRIMARY)
        .is_some());
    let out = scrub(LOSSY_GPS_ROTATED_WEBP, &Limits::default()).unwrap();
    assert!(exif_of(&out.bytes).is_err());
    assert_no_markers(&out.bytes);
    assert_eq!((out.width, out.height), (48, 64));
    assert!(
        near(*decode(&out).to_rgb8().get_pixel(24, 8), RED),
        "left half turned to the top"
    );
}

#[test]
fn a_png_bomb_is_refused_from_its_header_without_allocating() {
    let bomb = png_bomb(100_000, 100_000);
    assert!(bomb.len() < 100);
    let (result, peak) = peak_bytes(|| scrub(&bomb, &Limits::default()));
    let err = result.unwrap_err();
    assert!(
        matches!(
            err,
            MediaError::TooManyPixels {
                width: 100_000,
                height: 100_000,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("100000×100000"), "{err}");
    assert!(peak < 64 * 1024, "refusing a bomb allocated {peak} bytes");
}

#[test]
fn a_bomb_within_the_side_limit_but_over_the_pixel_count_is_refused() {
    let err = scrub(&png_bomb(16_000, 16_000), &Limits::default()).unwrap_err();
    assert!(matches!(err, MediaError::TooManyPixels { .. }), "{err:?}");
}

#[test]
fn a_jpeg_declaring_a_huge_frame_is_refused_from_its_header() {
    let (result, peak) = peak_bytes(|| scrub(&jpeg_bomb(65_000, 65_000), &Limits::default()));
    assert!(
        matches!(result, Err(MediaError::TooManyPixels { .. })),
        "{result:?}"
    );
    assert!(peak < 64 * 1024, "refusing a bomb allocated {peak} bytes");
}

#[test]
fn an_image_over_the_memory_limit_is_refused_before_decoding() {
    let limits = Limits {
        max_decoded_bytes: 1_000_000,
        ..Limits::default()
    };
    // 1000×1000 RGBA = 4 MB decoded, in a file of a hundred bytes.
    let (result, peak) = peak_bytes(|| scrub(&png_bomb(1000, 1000), &limits));
    assert_eq!(
        result.unwrap_err(),
        MediaError::TooMuchMemory { max: 1_000_000 }
    );
    assert!(peak < 1_000_000, "allocated {peak} bytes");
}

#[test]
fn a_file_lying_about_its_type_is_refused() {
    let png = encode(&DynamicImage::ImageRgb8(two_halves(8, 8)), ImageFormat::Png);
    let err = scrub_declared(&png, "image/jpeg", &Limits::default()).unwrap_err();
    assert_eq!(
        err,
        MediaError::DeclaredTypeDiffers {
            declared: "image/jpeg".into(),
            found: MediaType::Png
        }
    );
    assert_eq!(
        err.to_string(),
        "the file says it is \"image/jpeg\" but its content is PNG: refused"
    );
    let err = scrub_declared(&png, "text/plain", &Limits::default()).unwrap_err();
    assert!(
        matches!(err, MediaError::DeclaredTypeDiffers { .. }),
        "{err:?}"
    );
}

#[test]
fn a_declared_type_that_matches_or_declares_nothing_is_accepted() {
    let jpeg = phone_jpeg(&two_halves(8, 8), 1);
    for declared in [
        "image/jpeg",
        "IMAGE/JPEG",
        "image/jpg",
        "image/jpeg; charset=binary",
        "",
        "application/octet-stream",
    ] {
        scrub_declared(&jpeg, declared, &Limits::default())
            .unwrap_or_else(|e| panic!("{declared}: {e}"));
    }
}

#[test]
fn a_text_file_named_jpg_is_not_an_image() {
    for text in [
        &b"hello, this is not a photo"[..],
        b"<script>alert(1)</script>",
        b"",
        b"\xFF\xD8",
    ] {
        let err = scrub_declared(text, "image/jpeg", &Limits::default()).unwrap_err();
        assert_eq!(err, MediaError::NotAnImage, "{text:?}");
        assert!(err.to_string().starts_with("not an image"));
    }
}

#[test]
fn heic_is_refused_with_advice_to_send_jpeg() {
    let mut heic = vec![0, 0, 0, 24];
    heic.extend(b"ftypheic\0\0\0\0mif1heic");
    heic.extend([0; 64]);
    let err = scrub(&heic, &Limits::default()).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("HEIC is not supported; send JPEG"),
        "{err}"
    );
}

#[test]
fn other_formats_are_named_when_refused() {
    let mut avif = vec![0, 0, 0, 28];
    avif.extend(b"ftypavif\0\0\0\0avifmif1miaf");
    let mut mp4 = vec![0, 0, 0, 24];
    mp4.extend(b"ftypisom\0\0\x02\0isomiso2");
    let gif = b"GIF89a\x04\0\x04\0\x80\0\0";
    let tiff = b"II*\0\x08\0\0\0";
    let bmp = b"BM\x46\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0\x04\0\0\0\x04\0\0\0";
    let cases: [(&[u8], &str); 7] = [
        (&avif, "AVIF"),
        (&mp4, "Video"),
        (gif, "GIF"),
        (tiff, "TIFF"),
        (bmp, "BMP"),
        (b"%PDF-1.7\n", "PDF"),
        (
            b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "SVG",
        ),
    ];
    for (bytes, name) in cases {
        let err = scrub(bytes, &Limits::default()).unwrap_err();
        assert!(
            matches!(err, MediaError::Unsupported { .. }),
            "{name}: {err:?}"
        );
        assert!(err.to_string().starts_with(&format!("{name} ")), "{err}");
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_anything_else() {
    let limits = Limits {
        max_file_bytes: 100,
        ..Limits::default()
    };
    let err = scrub(&[b'x'; 101], &limits).unwrap_err();
    assert_eq!(
        err,
        MediaError::TooLarge {
            bytes: 101,
            max: 100
        }
    );
}

#[test]
fn too_many_files_in_one_submission_are_refused() {
    let limits = Limits::default();
    assert!(check_count(10, &limits).is_ok());
    assert_eq!(
        check_count(11, &limits),
        Err(MediaError::TooMany { count: 11, max: 10 })
    );
}

#[test]
fn a_damaged_image_is_named_corrupt() {
    let png = encode(
        &DynamicImage::ImageRgb8(two_halves(64, 64)),
        ImageFormat::Png,
    );
    let err = scrub(&png[..png.len() / 2], &Limits::default()).unwrap_err();
    assert!(
        matches!(
            err,
            MediaError::Corrupt {
                media_type: MediaType::Png,
                ..
            }
        ),
        "{err:?}"
    );
    // A JPEG whose image data starts before any frame header.
    let err = scrub(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 0, 0], &Limits::default()).unwrap_err();
    assert!(
        matches!(
            err,
            MediaError::Corrupt {
                media_type: MediaType::Jpeg,
                ..
            }
        ),
        "{err:?}"
    );
    let err = scrub(b"RIFF\0\0\0\0WEBPVP8 ", &Limits::default()).unwrap_err();
    assert!(
        matches!(
            err,
            MediaError::Corrupt {
                media_type: MediaType::Webp,
                ..
            }
        ),
        "{err:?}"
    );
}

/// Damaged files never panic and never get past the limits: a few hundred mutations of each
/// accepted type, from a fixed seed (the fuzz target explores further).
#[test]
fn mutated_files_are_refused_or_scrubbed_never_a_panic() {
    let bases = [
        phone_jpeg(&two_halves(48, 32), 6),
        png_with_metadata(&RgbaImage::from_pixel(20, 20, Rgba([1, 2, 3, 4]))),
        LOSSY_GPS_ROTATED_WEBP.to_vec(),
        encode(
            &DynamicImage::ImageRgb8(two_halves(24, 24)),
            ImageFormat::WebP,
        ),
    ];
    let limits = Limits {
        max_pixels: 1_000_000,
        max_decoded_bytes: 8_000_000,
        ..Limits::default()
    };
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..300 {
        let mut bytes = bases[round % bases.len()].clone();
        for _ in 0..1 + next() % 8 {
            let at = (next() as usize) % bytes.len();
            bytes[at] = next() as u8;
        }
        if next() % 4 == 0 {
            bytes.truncate((next() as usize) % bytes.len());
        }
        match scrub(&bytes, &limits) {
            Ok(out) => assert!(u64::from(out.width) * u64::from(out.height) <= limits.max_pixels),
            Err(MediaError::Corrupt { reason, .. }) => {
                assert_ne!(
                    reason, "the decoder gave up on it",
                    "a decoder panicked on round {round}"
                )
            }
            Err(_) => {}
        }
    }
}
