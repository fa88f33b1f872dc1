//! Writes a Telegram Desktop one-chat export of N messages, for measuring imports:
//!
//! ```sh
//! cargo run --release -p unrest-chat --example telegram_export -- 100000 target/tg100k/result.json
//! /usr/bin/time -v target/release/unrest import telegram target/tg100k/result.json --db target/tg100k/unrest.db
//! ```
//!
//! Messages are distinct eyewitness-style reports (places, days, counts and wording vary),
//! some with entity arrays and links, some forwarded, some edited, with a service message
//! and a sticker every few hundred, as a busy channel's export looks.

use std::io::{BufWriter, Write};

const PLACES: [&str; 24] = [
    "Sanandaj",
    "Mahabad",
    "Saqqez",
    "Bukan",
    "Marivan",
    "Zahedan",
    "Khash",
    "Iranshahr",
    "Tehran",
    "Karaj",
    "Rasht",
    "Tabriz",
    "Isfahan",
    "Shiraz",
    "Mashhad",
    "Ahvaz",
    "Kermanshah",
    "Urmia",
    "Qazvin",
    "Arak",
    "Hamadan",
    "Yazd",
    "Kerman",
    "Piranshahr",
];
const TEMPLATES: [&str; 8] = [
    "{p}, {d} November: Hundreds of people gathered in the main square and chanted slogans. Special units attacked them with batons and tear gas; at least {n} people were arrested.",
    "{p}, {d} November: Shopkeepers went on strike and closed the bazaar; {n} shops were sealed by the police.",
    "{p}, {d} November: Security forces opened fire on protesters; {k} people were killed and {n} were injured.",
    "{p}, {d} November: Students protested at the university and chanted slogans; {n} students were detained.",
    "{p}, {d} November: Riot police beat protesters near the governor's office; {n} people were injured.",
    "{p}, {d} November: Protesters blocked the main road and set tires on fire; security forces fired tear gas.",
    "{p}, {d} November: Dozens of women marched without headscarves and chanted slogans; police arrested {n} of them.",
    "{p}, {d} November: Mourners gathered at the cemetery for the fortieth day; security forces arrested {n} people.",
];

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let out = args
        .next()
        .unwrap_or_else(|| "target/tg100k/result.json".to_string());
    if let Some(dir) = std::path::Path::new(&out).parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut w = BufWriter::new(std::fs::File::create(&out)?);
    writeln!(
        w,
        "{{\n \"name\": \"Generated channel\",\n \"type\": \"public_channel\",\n \"id\": 4242,\n \"messages\": ["
    )?;
    let start = 1_667_260_800i64; // 2022-11-01T00:00:00Z
    for i in 0..n {
        let at = start + (i as i64) * 25;
        let id = i + 1;
        let sep = if i + 1 == n { "" } else { "," };
        if i % 500 == 7 {
            writeln!(w, "  {{\"id\": {id}, \"type\": \"service\", \"date\": \"\", \"date_unixtime\": \"{at}\", \"actor\": \"Generated channel\", \"actor_id\": \"channel4242\", \"action\": \"pin_message\", \"message_id\": {i}, \"text\": \"\", \"text_entities\": []}}{sep}")?;
            continue;
        }
        if i % 500 == 9 {
            writeln!(w, "  {{\"id\": {id}, \"type\": \"message\", \"date\": \"\", \"date_unixtime\": \"{at}\", \"from\": \"Generated channel\", \"from_id\": \"channel4242\", \"file\": \"(File not included. Change data exporting settings to download.)\", \"media_type\": \"sticker\", \"sticker_emoji\": \"✊\", \"text\": \"\", \"text_entities\": []}}{sep}")?;
            continue;
        }
        let place = PLACES[(i % 24) as usize];
        let day = 1 + (i / 24) % 30;
        let text = TEMPLATES[((i / 7) % 8) as usize]
            .replace("{p}", place)
            .replace("{d}", &day.to_string())
            .replace("{n}", &(2 + i % 97).to_string())
            .replace("{k}", &(1 + i % 5).to_string());
        // Each report names its own witness line, so no two texts are the same.
        let text = format!("{text} Witness #{id} reports this.");
        let t = serde_json::to_string(&text)?;
        let extra = match i % 10 {
            3 => ", \"forwarded_from\": \"Another channel\"".to_string(),
            5 => format!(", \"edited\": \"\", \"edited_unixtime\": \"{}\"", at + 600),
            _ => String::new(),
        };
        if i % 4 == 0 {
            let link = format!("https://t.me/generated/{id}");
            writeln!(w, "  {{\"id\": {id}, \"type\": \"message\", \"date\": \"\", \"date_unixtime\": \"{at}\", \"from\": \"Generated channel\", \"from_id\": \"channel4242\"{extra}, \"text\": [{t}, \" \", {{\"type\": \"link\", \"text\": \"{link}\"}}], \"text_entities\": [{{\"type\": \"plain\", \"text\": {t}}}, {{\"type\": \"plain\", \"text\": \" \"}}, {{\"type\": \"link\", \"text\": \"{link}\"}}]}}{sep}")?;
        } else {
            writeln!(w, "  {{\"id\": {id}, \"type\": \"message\", \"date\": \"\", \"date_unixtime\": \"{at}\", \"from\": \"Generated channel\", \"from_id\": \"channel4242\"{extra}, \"text\": {t}, \"text_entities\": [{{\"type\": \"plain\", \"text\": {t}}}]}}{sep}")?;
        }
    }
    writeln!(w, " ]\n}}")?;
    w.flush()?;
    eprintln!("wrote {n} messages to {out}");
    Ok(())
}
