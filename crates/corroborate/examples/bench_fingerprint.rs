//! Fingerprints synthetic reports (English and Persian, the store bench's shapes) and prints
//! the time per report, with a checksum of the signatures so that two builds can be compared.
//!
//! `cargo run --release -p unrest-corroborate --example bench_fingerprint [REPORTS]`

use std::time::Instant;
use unrest_corroborate::Fingerprint;

fn report(n: usize) -> String {
    let place = ["Tehran", "Kordestan", "Zahedan", "Mashhad", "Rasht"][n % 5];
    if n.is_multiple_of(3) {
        format!(
            "گزارش {n}: امروز در {place} صدها نفر در خیابان‌ها تجمع کردند و شعار دادند. نیروهای \
             امنیتی با گاز اشک‌آور به جمعیت حمله کردند و دست‌کم {} نفر بازداشت شدند.",
            n % 40
        )
    } else {
        format!(
            "Report {n}. This evening hundreds gathered in {place} chanting slogans near the \
             main square. Security forces fired tear gas and at least {} people were detained, \
             witnesses said. Shops were closed before the crowd was dispersed.",
            n % 40
        )
    }
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let texts: Vec<String> = (0..n).map(report).collect();
    let start = Instant::now();
    let mut sum: u64 = 0;
    for t in &texts {
        let f = Fingerprint::of(t);
        sum = f.minhash.iter().fold(
            sum.wrapping_mul(31).wrapping_add(f.shingles as u64),
            |s, &v| s.wrapping_mul(1_000_003).wrapping_add(v as u64),
        );
    }
    let took = start.elapsed();
    println!(
        "{n} fingerprints in {:.3} s: {:.2} µs each, {:.0}/s (checksum {sum:016x})",
        took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / n as f64,
        n as f64 / took.as_secs_f64()
    );
}
