//! Coding throughput on the generated corpus (`unrest_coder::sample`), English and Persian
//! separately, in bytes of report text per second on one core.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use unrest_coder::{Coder, Lang};

fn coding(c: &mut Criterion) {
    let coder = Coder::new();
    let reference = NaiveDate::from_ymd_opt(2022, 11, 30).expect("valid date");
    let corpus = unrest_coder::sample::corpus(4000);
    let mut group = c.benchmark_group("code");
    for lang in ["en", "fa"] {
        let reports: Vec<_> = corpus
            .iter()
            .filter(|r| r.lang.as_deref() == Some(lang))
            .collect();
        let bytes: usize = reports.iter().map(|r| r.text.len()).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(lang, |b| {
            b.iter(|| {
                reports
                    .iter()
                    .map(|r| coder.code(r, reference, Lang::Auto).len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, coding);
criterion_main!(benches);
