//! The demo digest: a handful of reports of the 2022 uprising (illustrative figures, not a
//! record), coded by hand as the coder would, corroborated, graded, published and rendered
//! in English and Persian, Markdown and HTML. It walks the path the CLI takes: fingerprint
//! the reports, group sources, cluster with the analysts' decisions, write the digest.
//!
//! `cargo run -p unrest-digest --example demo_digest [OUT_DIR]` (default `/tmp/unrest-digest`)

use std::collections::HashMap;
use std::path::PathBuf;
use unrest_corroborate::{
    cluster_with, source_groups, Decision, EventKey, EventRef, Params, Reliability,
};
use unrest_digest::{render, DigestEvent, DigestFormat, DigestInput, Lang};
use unrest_model::Event;

/// A report, its channel's grade, and the events coded from it:
/// (date, time precision, province, location, lat, lon, type, sub-type, killed, injured, arrested).
type Coded = (
    &'static str,
    u8,
    &'static str,
    &'static str,
    f64,
    f64,
    &'static str,
    &'static str,
    u32,
    Option<u32>,
    Option<u32>,
);

const EF: (&str, &str) = ("Protests", "Excessive force against protesters");
const PI: (&str, &str) = ("Protests", "Protest with intervention");
const PP: (&str, &str) = ("Protests", "Peaceful protest");
const VD: (&str, &str) = ("Riots", "Violent demonstration");

fn coded(
    date: &'static str,
    precision: u8,
    province: &'static str,
    location: &'static str,
    (lat, lon): (f64, f64),
    (t, s): (&'static str, &'static str),
    counts: (u32, Option<u32>, Option<u32>),
) -> Coded {
    (
        date, precision, province, location, lat, lon, t, s, counts.0, counts.1, counts.2,
    )
}

fn reports() -> Vec<(&'static str, String, Reliability, Vec<Coded>)> {
    let zahedan_fa = "زاهدان، ۸ مهر. پس از نماز جمعه ماموران از پشت بام کلانتری به سمت نمازگزاران \
        مسجد مکی تیراندازی کردند. دست کم ۹۲ نفر کشته شدند."
        .to_string();
    let zahedan = (29.4963, 60.8629);
    let saqqez = (36.2499, 46.2735);
    let sanandaj = (35.3113, 46.9960);
    let sharif = (35.7036, 51.3515);
    vec![
        ("r01", "Zahedan, 30 September. After Friday prayers security forces opened fire from the \
            roof of the police station on worshippers leaving the Makki mosque. At least 66 were \
            killed and hundreds wounded. Sent by @zahedan_witness, call 0915 123 4567 for videos.".into(),
            Reliability::B,
            vec![coded("2022-09-30", 1, "Sistan and Baluchestan", "Zahedan", zahedan, EF, (66, None, None))]),
        ("r02", zahedan_fa.clone(), Reliability::F,
            vec![coded("2022-09-30", 1, "Sistan and Baluchestan", "Zahedan", zahedan, EF, (92, None, None))]),
        ("r03", format!("فوروارد شده از کانال: {zahedan_fa}"), Reliability::F,
            vec![coded("2022-09-30", 1, "Sistan and Baluchestan", "Zahedan", zahedan, EF, (92, None, None))]),
        ("r04", "Saqqez, 26 October. Thousands walked to Aichi cemetery for the fortieth day of \
            Mahsa Amini's death. Police fired tear gas on the way back; about 30 were arrested.".into(),
            Reliability::C,
            vec![coded("2022-10-26", 1, "Kurdistan", "Saqqez", saqqez, PI, (0, None, Some(30)))]),
        ("r05", "سقز، ۴ آبان. هزاران نفر به سمت آرامستان آیچی رفتند. ماموران گاز اشک آور زدند و \
            ۵۰ نفر بازداشت شدند. اسمم مریم است، شماره پیگیری ۷۷۱۲۳۴۵۶".into(),
            Reliability::F,
            vec![coded("2022-10-26", 1, "Kurdistan", "Saqqez", saqqez, PI, (0, None, Some(50)))]),
        ("r06", "Sharif University, Tehran, 2 October. Students were besieged in the car park by \
            plain-clothes agents; at least 35 were arrested. <b>Please share</b> <script>alert('x')</script>".into(),
            Reliability::F,
            vec![coded("2022-10-02", 1, "Tehran", "Tehran - Sharif University", sharif, PI, (0, None, Some(35)))]),
        ("r07", "دانشگاه شریف، ۱۰ مهر. دانشجویان در پارکینگ محاصره شدند و ۴۰ نفر بازداشت شدند.".into(),
            Reliability::F,
            vec![coded("2022-10-02", 1, "Tehran", "Tehran - Sharif University", sharif, PI, (0, None, Some(40)))]),
        ("r08", "Ekbatan, Tehran, 24 October. Residents chanted from their windows all evening.".into(),
            Reliability::F,
            vec![coded("2022-10-24", 1, "Tehran", "Tehran - Ekbatan", (35.7068, 51.3001), PP, (0, None, None))]),
        ("r09", "Sanandaj, 8 October. Barricades of burning tyres in Ferdowsi street, clashes with \
            riot police; one young man was killed and 12 wounded.".into(),
            Reliability::C,
            vec![coded("2022-10-08", 1, "Kurdistan", "Sanandaj", sanandaj, VD, (1, Some(12), None))]),
        ("r10", "Last week in Sanandaj there were protests every night and the police shot at \
            people; a relative says one man died.".into(),
            Reliability::F,
            vec![coded("2022-10-07", 2, "Kurdistan", "Sanandaj", sanandaj, EF, (1, None, None))]),
        ("r11", "Mahabad, 27 October: forces fired on mourners at the governor's office, three killed.".into(),
            Reliability::F,
            vec![coded("2022-10-27", 1, "West Azerbaijan", "Mahabad", (36.7631, 45.7222), EF, (3, None, None))]),
        ("r12", "Khash, 4 November. After Friday prayers people marched to the governor's office; \
            forces shot from the roof, at least 10 killed. Pics: https://t.me/khash_news_2022/88".into(),
            Reliability::F,
            vec![coded("2022-11-04", 1, "Sistan and Baluchestan", "Khash", (28.2211, 61.2158), EF, (10, None, None))]),
        ("r13", "کرج، ۱۲ آبان. مراسم چهلم حدیث نجفی؛ ماموران با باتوم حمله کردند و ۵ نفر زخمی شدند.".into(),
            Reliability::F,
            vec![coded("2022-11-03", 1, "Alborz", "Karaj", (35.8400, 50.9391), PI, (0, Some(5), None))]),
        ("r14", "Mashhad, 22 September: a crowd on Ahmadabad street, dispersed with tear gas.".into(),
            Reliability::F,
            vec![coded("2022-09-22", 1, "Razavi Khorasan", "Mashhad", (36.2970, 59.6062), PI, (0, None, None))]),
        ("r15", "Rasht, 21 September. Protesters set a police motorbike on fire; four injured.".into(),
            Reliability::F,
            vec![coded("2022-09-21", 1, "Gilan", "Rasht", (37.2808, 49.5832), VD, (0, Some(4), None))]),
        ("r16", "Shiraz, 8 October: a silent march of women along Zand boulevard. No intervention.".into(),
            Reliability::F,
            vec![coded("2022-10-08", 1, "Fars", "Shiraz", (29.6100, 52.5311), PP, (0, None, None))]),
        ("r17", "Tabriz, 3 October. Students of Tabriz university gathered; 30 were detained. \
            Reported by: Arash Mohammadi (receipt: 88421137).".into(),
            Reliability::D,
            vec![coded("2022-10-03", 1, "East Azerbaijan", "Tabriz", (38.0800, 46.2919), PI, (0, None, Some(30)))]),
        ("r18", "اصفهان، ۲۰ مهر. بازاریان مغازه‌ها را بستند و اعتصاب کردند.".into(),
            Reliability::F,
            vec![coded("2022-10-12", 1, "Isfahan", "Isfahan", (32.6546, 51.6680), PP, (0, None, None))]),
        ("r19", "Kermanshah, 22 September: forces fired on protesters, two killed.".into(),
            Reliability::F,
            vec![coded("2022-09-22", 1, "Kermanshah", "Kermanshah", (34.3142, 47.0650), EF, (2, None, None))]),
        ("r20", "Izeh, 16 November: gunmen on a motorbike fired at people in the bazaar.".into(),
            Reliability::F,
            vec![coded("2022-11-16", 1, "Khuzestan", "Izeh", (31.8342, 49.8671), ("Violence against civilians", "Attack"), (7, None, None))]),
    ]
}

fn main() {
    let out_dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "/tmp/unrest-digest".into()),
    );
    std::fs::create_dir_all(&out_dir).expect("output directory");

    // Code: one Event per coded line, as the coder would write it.
    let reports = reports();
    let mut events: Vec<Event> = Vec::new();
    let mut channel: HashMap<String, Reliability> = HashMap::new();
    for (id, text, grade, coded) in &reports {
        channel.insert(id.to_string(), *grade);
        for (n, c) in coded.iter().enumerate() {
            let (date, tp, admin1, location, lat, lon, t, s, killed, injured, arrested) = *c;
            events.push(Event {
                event_id_cnty: format!("IRN-{id}-{n}"),
                event_date: date.into(),
                year: 2022,
                time_precision: tp,
                event_type: t.into(),
                sub_event_type: s.into(),
                country: "Iran".into(),
                admin1: admin1.into(),
                location: location.into(),
                latitude: lat,
                longitude: lon,
                geo_precision: 1,
                fatalities: killed,
                injuries: injured,
                arrests: arrested,
                notes: text.clone(),
                report: id.to_string(),
                ..Default::default()
            });
        }
    }

    // Corroborate: sources from the texts, then clusters with the analysts' decisions.
    let texts: Vec<(&str, &str)> = reports
        .iter()
        .map(|(id, t, _, _)| (*id, t.as_str()))
        .collect();
    let sources: HashMap<&str, String> = texts
        .iter()
        .map(|(id, _)| *id)
        .zip(source_groups(&texts))
        .collect();
    let refs: Vec<EventRef> = events
        .iter()
        .map(|e| EventRef::from_event(e, &sources[e.report.as_str()], channel[&e.report]))
        .collect();
    // The analysts published everything but the Ekbatan report, which awaits a second source.
    let decisions: Vec<Decision> = refs
        .iter()
        .filter(|r| r.report != "r08")
        .map(|r| Decision::Publish {
            event: EventKey::of(r),
            published: true,
        })
        .collect();
    let clustering = cluster_with(&refs, &decisions, &Params::default());

    let published: Vec<DigestEvent> = clustering
        .clusters
        .iter()
        .filter(|c| c.published)
        .map(|c| DigestEvent {
            event: c.canonical.apply_to(&events[c.canonical.lead]),
            grade: c.grade.to_string(),
            source_count: c.source_count,
        })
        .collect();
    for c in &clustering.clusters {
        println!(
            "{} {:<28} reports {:?} sources {} grade {}{}",
            c.canonical
                .event_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
            c.canonical.location,
            c.reports,
            c.source_count,
            c.grade,
            if c.conflicts.is_empty() {
                String::new()
            } else {
                format!(
                    " conflicts {:?}",
                    c.conflicts.iter().map(|k| k.field).collect::<Vec<_>>()
                )
            }
        );
    }

    // Persian names from the gazetteer when the repository has it; districts by hand.
    let mut names: HashMap<String, String> = HashMap::new();
    let gazetteer = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/gazetteer/iran.tsv");
    if let Ok(tsv) = std::fs::read_to_string(gazetteer) {
        for line in tsv.lines().filter(|l| !l.starts_with('#')) {
            let cols: Vec<&str> = line.split('\t').collect();
            if let (Some(&"city"), Some(name), Some(fa)) = (cols.get(1), cols.get(2), cols.get(8)) {
                if let Some(first) = fa
                    .split('|')
                    .find(|s| !s.is_empty() && !s.starts_with("شهرستان"))
                {
                    names
                        .entry(name.to_string())
                        .or_insert_with(|| first.to_string());
                }
            }
        }
    }
    names.insert("Sharif University".into(), "دانشگاه شریف".into());
    names.insert("Ekbatan".into(), "اکباتان".into());

    for lang in [Lang::En, Lang::Fa] {
        let digest = DigestInput {
            from: chrono::NaiveDate::from_ymd_opt(2022, 9, 16).unwrap(),
            to: chrono::NaiveDate::from_ymd_opt(2022, 11, 11).unwrap(),
            lang,
            title: Some(match lang {
                Lang::En => "Protest events in Iran (demo, illustrative figures)".into(),
                Lang::Fa => "رویدادهای اعتراضی در ایران (نمونه، ارقام فرضی)".into(),
            }),
            events: published.clone(),
            place_names: if lang == Lang::Fa {
                names.clone()
            } else {
                HashMap::new()
            },
            audit_head: None,
        };
        let tag = if lang == Lang::En { "en" } else { "fa" };
        for (format, ext) in [(DigestFormat::Html, "html"), (DigestFormat::Markdown, "md")] {
            let path = out_dir.join(format!("digest-{tag}.{ext}"));
            let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
            render(&digest, format, &mut file).expect("write");
            println!("wrote {}", path.display());
        }
        let s = unrest_digest::summary(&digest);
        println!(
            "{tag}: {} events, {} fatalities, {} injuries, {} arrests",
            s.total.events, s.total.fatalities, s.total.injuries, s.total.arrests
        );
    }
}
