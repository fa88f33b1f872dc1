//! Any bytes, any declared type: `scrub_declared` returns, never panics, never exceeds its
//! limits. Small limits keep each run fast and make the limit checks themselves the target.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unrest_media::{scrub_declared, Limits, MediaError};

fuzz_target!(|input: &[u8]| {
    let limits = Limits {
        max_file_bytes: 1 << 20,
        max_side: 2048,
        max_pixels: 1 << 20,
        max_decoded_bytes: 8 << 20,
        max_files: 10,
    };
    // The first byte picks the declared type, so the lie check is fuzzed too.
    let (declared, bytes) = match input.split_first() {
        Some((b, rest)) => (
            ["", "image/jpeg", "image/png", "image/webp", "text/plain"][usize::from(*b) % 5],
            rest,
        ),
        None => ("", input),
    };
    match scrub_declared(bytes, declared, &limits) {
        Ok(out) => {
            assert!(u64::from(out.width) * u64::from(out.height) <= limits.max_pixels);
            assert!(!out.bytes.is_empty());
        }
        Err(MediaError::Corrupt { reason, .. }) => {
            // The decoders' panics are caught and named; a fuzzer must still see them.
            assert_ne!(reason, "the decoder gave up on it", "a decoder panicked");
        }
        Err(_) => {}
    }
});
