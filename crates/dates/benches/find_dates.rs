//! Throughput of `find_dates` over report-like text in both scripts.
//!
//! The coder must read 20 MB/s per core in all; dates must be a small part of that.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use unrest_dates::find_dates;

const ENGLISH: &str = "Bukan, West Azerbaijan, November 20 - Mourners at the funeral of a \
protester chanted slogans. Security forces fired on the crowd, killing two and wounding at \
least 15. Report from Isfahan-October 12: bazaar merchants closed their shops in a general \
strike. Shiraz, Saturday: protesters set fire to a Basij motorcycle on Zand Boulevard and \
clashed with police at station 16. Three protesters were arrested yesterday and the 40th-day \
memorial was held last week; a march of 7 people was reported on 1 Aban 1401 at 8 pm.\n";

const PERSIAN: &str = "بوکان - ۱۰ آبان ۱۴۰۱: صدها نفر در مراسم چهلم یکی از جانباختگان شعار \
دادند. نیروهای امنیتی به سوی جمعیت تیراندازی کردند و چهار نفر زخمی شدند. قزوین، دیروز: معترضان \
خیابان را با لاستیک‌های آتش‌زده بستند و با بسیجی‌ها درگیر شدند. در زنجان امروز کامیون‌داران \
اعتصاب کردند. سه‌شنبه هفته گذشته در مهاباد تجمع شد.\n";

fn corpus(paragraph: &str, bytes: usize) -> String {
    let folded = unrest_text::fold(paragraph);
    folded.repeat(bytes / folded.len() + 1)
}

fn bench(c: &mut Criterion) {
    let reference = NaiveDate::from_ymd_opt(2022, 11, 21).unwrap();
    let mut group = c.benchmark_group("find_dates");
    for (name, paragraph) in [("english", ENGLISH), ("persian", PERSIAN)] {
        let text = corpus(paragraph, 1 << 20);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| find_dates(black_box(&text), black_box(reference)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
