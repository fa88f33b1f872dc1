//! Throughput of `find_mentions` on a few megabytes of mixed English and Persian report text.
//! The coder needs 20 MB/s per core. Prints the figure; asserts nothing.
//!
//! cargo bench -p unrest-gazetteer --bench find_mentions

use std::time::Instant;

use unrest_gazetteer::Gazetteer;

const SENTENCES: &[&str] = &[
    "Protesters gathered in {} on Tuesday evening and chanted slogans against the regime.",
    "Security forces fired tear gas at demonstrators near the main square of {}, witnesses said.",
    "A student from {} told us that in {} at least 15 people were arrested by plain-clothes agents.",
    "Shops in the bazaar of {} stayed closed for the third day of the strike.",
    "Riot police and Basij members on motorbikes attacked people in {} late last night.",
    "The funeral of a young man killed two days earlier in {} turned into a protest.",
    "Traffic jams formed on the highway to {} as drivers honked their horns in support.",
    "امروز در {} مردم در خیابان‌ها تجمع کردند و شعار «زن، زندگی، آزادی» سر دادند.",
    "نیروهای امنیتی در {} به سوی معترضان گاز اشک‌آور شلیک کردند.",
    "بنا بر گزارش‌ها دیشب در {} و {} درگیری میان مردم و ماموران رخ داد.",
    "کسبه بازار {} در اعتراض به سرکوب مغازه‌های خود را بستند.",
    "دانشجویان دانشگاه {} در حیاط دانشگاه تحصن کردند.",
];

const PLACES: &[&str] = &[
    "Tehran",
    "Sanandaj",
    "Saqqez",
    "Mahabad",
    "Zahedan",
    "Izeh",
    "Bandar-e Abbas",
    "Karaj",
    "Rasht",
    "Isfahan",
    "Esfahan",
    "Mashhad",
    "Tabriz",
    "Urmia",
    "Kermanshah",
    "Javanrud",
    "Piranshahr",
    "Bukan",
    "Ahvaz",
    "Shiraz",
    "تهران",
    "سنندج",
    "سقز",
    "مهاباد",
    "زاهدان",
    "ایذه",
    "کرج",
    "رشت",
    "اصفهان",
    "مشهد",
    "تبریز",
    "ارومیه",
    "کرمانشاه",
    "جوانرود",
    "بوکان",
    "استان کردستان",
    "Kurdistan",
    "the city",
    "a small town",
];

fn mixed_text(bytes: usize) -> String {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut text = String::with_capacity(bytes + 256);
    while text.len() < bytes {
        let sentence = SENTENCES[next(SENTENCES.len())];
        for (i, part) in sentence.split("{}").enumerate() {
            if i > 0 {
                text.push_str(PLACES[next(PLACES.len())]);
            }
            text.push_str(part);
        }
        text.push(if next(4) == 0 { '\n' } else { ' ' });
    }
    unrest_text::fold(&text)
}

fn main() {
    let started = Instant::now();
    let gazetteer = Gazetteer::embedded();
    println!(
        "load: {} places in {:.1} ms",
        gazetteer.places().len(),
        started.elapsed().as_secs_f64() * 1e3
    );

    let text = mixed_text(4 << 20);
    let mb = text.len() as f64 / 1e6;
    let mut best = f64::MAX;
    let mut mentions = 0;
    for _ in 0..15 {
        let started = Instant::now();
        mentions = gazetteer.find_mentions(&text).len();
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "find_mentions: {mb:.1} MB, {mentions} mentions, best of 15 {:.1} ms, {:.1} MB/s",
        best * 1e3,
        mb / best
    );
}
