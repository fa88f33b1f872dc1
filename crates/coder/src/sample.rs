//! A generated corpus of realistic field reports, English and Persian, for benchmarks and
//! demonstrations. Deterministic: the same count gives the same reports.

use unrest_model::Report;

const CITIES: &[(&str, &str)] = &[
    ("Tehran", "تهران"),
    ("Sanandaj", "سنندج"),
    ("Zahedan", "زاهدان"),
    ("Mashhad", "مشهد"),
    ("Isfahan", "اصفهان"),
    ("Shiraz", "شیراز"),
    ("Tabriz", "تبریز"),
    ("Rasht", "رشت"),
    ("Kermanshah", "کرمانشاه"),
    ("Ahvaz", "اهواز"),
    ("Saqqez", "سقز"),
    ("Mahabad", "مهاباد"),
    ("Karaj", "کرج"),
    ("Qazvin", "قزوین"),
    ("Zanjan", "زنجان"),
    ("Yazd", "یزد"),
];

const EN_DATES: &[&str] = &[
    "November 12",
    "12 November",
    "Saturday",
    "yesterday",
    "last night",
    "4 Aban 1401",
    "October 28",
];
const FA_DATES: &[&str] = &[
    "۱۰ آبان",
    "دیروز",
    "دیشب",
    "۲۲ اکتبر",
    "شنبه",
    "امروز",
    "۴ آبان ۱۴۰۱",
];

const EN_BODIES: &[&str] = &[
    "Hundreds of people gathered in the main square and chanted slogans against the government. Riot police fired tear gas and beat protesters with batons; at least 12 people were arrested.",
    "Students of the university held a sit-in and chanted slogans. The protest ended without incident.",
    "Young people blocked the road with burning tires and threw stones at security forces, who fired pellet guns. Two protesters were killed and several were injured.",
    "Bazaar merchants closed their shops in a general strike. No clashes were reported.",
    "Security forces opened fire on mourners at the cemetery, killing a 16-year-old boy and wounding at least 9 others. Plain-clothes agents detained dozens.",
    "The streets were quiet today; shops were open as usual.",
];

const FA_BODIES: &[&str] = &[
    "صدها نفر در میدان اصلی شهر تجمع کردند و شعار دادند. ماموران یگان ویژه با گاز اشک‌آور و باتوم به معترضان حمله کردند و دست‌کم ۱۲ نفر بازداشت شدند.",
    "دانشجویان دانشگاه تحصن کردند و شعار دادند. هیچ درگیری‌ای گزارش نشد.",
    "جوانان خیابان را با لاستیک‌های آتش‌زده بستند و به سوی نیروهای امنیتی سنگ پرتاب کردند. دو معترض کشته و چند نفر زخمی شدند.",
    "بازاریان در اعتصاب عمومی مغازه‌ها را بستند. هیچ کس زخمی نشد.",
    "نیروهای سپاه با گلوله جنگی به سوی سوگواران تیراندازی کردند؛ یک نوجوان ۱۶ ساله کشته و دست‌کم ۹ نفر زخمی شدند.",
    "امروز خیابان‌ها آرام بود.",
];

/// `n` reports, alternating English and Persian, each `{id, text, lang}`.
pub fn corpus(n: usize) -> Vec<Report> {
    let mut seed: u64 = 0x2545F4914F6CDD1D;
    let mut next = move |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m as u64) as usize
    };
    (0..n)
        .map(|i| {
            let (en, fa) = CITIES[next(CITIES.len())];
            let (text, lang) = if i % 2 == 0 {
                let date = EN_DATES[next(EN_DATES.len())];
                let body = EN_BODIES[next(EN_BODIES.len())];
                (format!("{en}, {date}: {body}"), "en")
            } else {
                let date = FA_DATES[next(FA_DATES.len())];
                let body = FA_BODIES[next(FA_BODIES.len())];
                (format!("{fa}، {date}: {body}"), "fa")
            };
            Report {
                id: format!("sample-{i}"),
                text,
                reference_date: Some("2022-11-30".into()),
                lang: Some(lang.into()),
            }
        })
        .collect()
}
