//! Removing what could identify a reporter from text that will be published.
//!
//! A digest quotes notes written from eyewitness reports, and a phone number or a Telegram
//! handle left in one can cost someone their freedom. [`redact`] replaces, in this order:
//!
//! | what | replaced by |
//! |---|---|
//! | email addresses | `[email]` |
//! | links to messaging and social sites (Telegram, Instagram, X/Twitter, Facebook, WhatsApp, YouTube, TikTok…) and any link with an `@` in it | `[link]` |
//! | `@handles` | `[handle]` |
//! | the code after a cue such as "receipt", "tracking code", "ref", «کد رهگیری», «شماره پیگیری» | `[code]` |
//! | phone numbers: 8+ digits starting with `0` or `+`, or 10+ digits, in any script, with spaces, dashes, dots or brackets between groups (dates such as `05.10.2022` are kept) | `[phone]`, or `[number]` past 13 digits (card and account numbers) |
//! | tokens of Latin letters and digits that look like receipt or tracking codes: 6+ characters with 3+ digits | `[code]` |
//! | a name after a cue such as "my name is", "reported by", «اسمم», «خبرنگار» | `[name]` |
//!
//! Links to other sites (a news article) are kept: they name no one.
//!
//! Rationale: these are patterns, not understanding. They remove what is shaped like a
//! contact or a code, and names only where the text announces one; a name mentioned in
//! passing is left for the analyst, who reads every published note. Erring towards removing
//! too much is the right side: a lost digit costs less than a found reporter.

use regex::{Captures, Regex};
use std::sync::LazyLock;

const DIGIT: &str = "[0-9۰-۹٠-٩]";

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+").unwrap()
});

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)\b(?:https?://|www\.)[^\s<>"«»]+|\b(?:t\.me|telegram\.me|telegram\.dog|instagram\.com|twitter\.com|x\.com|facebook\.com|fb\.com|youtube\.com|youtu\.be|wa\.me|tiktok\.com|linkedin\.com|vk\.com|threads\.net|bsky\.app)/[^\s<>"«»]*"#,
    )
    .unwrap()
});

const SOCIAL_HOSTS: [&str; 16] = [
    "t.me",
    "telegram.me",
    "telegram.dog",
    "instagram.com",
    "twitter.com",
    "x.com",
    "facebook.com",
    "fb.com",
    "m.facebook.com",
    "youtube.com",
    "youtu.be",
    "wa.me",
    "tiktok.com",
    "linkedin.com",
    "vk.com",
    "threads.net",
];

static HANDLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(^|[^\p{L}\p{N}_@/.])@[A-Za-z0-9_]{3,}").unwrap());

static CUED_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)((?:\breceipt(?:\s+(?:no|number|code))?|\btracking\s+(?:code|number|no|id)|\bref(?:erence)?(?:\s+(?:no|number|code))?|\btransaction\s+(?:id|code|no|number)|\border\s+(?:no|number)|\bcode|کد\s*(?:رهگیری|پیگیری|ملی)|شماره\s*(?:پیگیری|رهگیری|کارت|حساب|ملی|تراکنش)|رسید|کد)\.?\s*[:#：]?\s*)([A-Za-z0-9۰-۹٠-٩][A-Za-z0-9۰-۹٠-٩-]{3,})",
    )
    .unwrap()
});

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\+?\(?{DIGIT}(?:[ \u00A0\-.()]{{0,2}}{DIGIT})+")).unwrap()
});

static MIXED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Za-z0-9][A-Za-z0-9-]{4,}[A-Za-z0-9]\b").unwrap());

static NAME_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i:(\b(?:my name is|my name's|reported by|sent by|written by|reporter|correspondent)\s*[:\-–]?\s*))(\p{Lu}[\p{Ll}'’]+(?:\s+\p{Lu}[\p{Ll}'’]+){0,2})",
    )
    .unwrap()
});

static NAME_FA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\b(?:اسمم|اسم من|نام من|نامم|گزارشگر|خبرنگار|فرستنده|ارسالی از|ارسال از|شاهد عینی)\b\s*[:：]?\s*)(\p{Arabic}+)(\s+\p{Arabic}+)?",
    )
    .unwrap()
});

/// Words that follow a name in Persian without being part of it ("my name is Ali, I am...").
const FA_NOT_NAME: [&str; 8] = ["است", "هست", "هستم", "و", "از", "که", "را", "هستش"];

/// Removes phone numbers, emails, personal links, handles, codes and announced names.
pub fn redact(text: &str) -> String {
    let text = EMAIL.replace_all(text, "[email]");
    // Links are cut out first so the later patterns never see the digits of a kept link.
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for m in URL.find_iter(&text) {
        out.push_str(&redact_words(&text[at..m.start()]));
        let url = m.as_str();
        let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', '’']);
        if is_personal_link(trimmed) {
            out.push_str("[link]");
            out.push_str(&url[trimmed.len()..]);
        } else {
            out.push_str(url);
        }
        at = m.end();
    }
    out.push_str(&redact_words(&text[at..]));
    out
}

/// Everything but emails and links.
fn redact_words(text: &str) -> String {
    let text = HANDLE.replace_all(text, "${1}[handle]");
    let text = CUED_CODE.replace_all(&text, |c: &Captures| {
        if c[2].chars().any(|ch| ch.is_numeric()) && c[2].chars().count() >= 5 {
            format!("{}[code]", &c[1])
        } else {
            c[0].to_string()
        }
    });
    let text = NUMBER.replace_all(&text, |c: &Captures| number(&c[0]));
    let text = MIXED.replace_all(&text, |c: &Captures| {
        let t = &c[0];
        let digits = t.chars().filter(|ch| ch.is_ascii_digit()).count();
        let letters = t.chars().filter(|ch| ch.is_ascii_alphabetic()).count();
        if digits >= 3 && letters >= 1 {
            "[code]".to_string()
        } else {
            t.to_string()
        }
    });
    let text = NAME_EN.replace_all(&text, "${1}[name]");
    let text = NAME_FA.replace_all(&text, |c: &Captures| {
        let second = c.get(3).map(|m| m.as_str()).unwrap_or("");
        if second.is_empty() || FA_NOT_NAME.contains(&second.trim()) {
            format!("{}[name]{}", &c[1], second)
        } else {
            format!("{}[name]", &c[1])
        }
    });
    text.into_owned()
}

fn is_personal_link(url: &str) -> bool {
    let lower = url.to_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    url.contains('@')
        || SOCIAL_HOSTS
            .iter()
            .any(|h| host == *h || host.ends_with(&format!(".{h}")))
}

/// A run of digits: a phone or card number is replaced, a date or a figure kept.
fn number(run: &str) -> String {
    let digits: Vec<u32> = run.chars().filter_map(digit_value).collect();
    let groups: Vec<usize> = run
        .split(|c: char| digit_value(c).is_none())
        .filter(|g| !g.is_empty())
        .map(|g| g.chars().count())
        .collect();
    let date_shaped = matches!(groups.as_slice(), [1..=2, 1..=2, 4] | [4, 1..=2, 1..=2]);
    let international = run.starts_with('+') || run.starts_with("00");
    let trunk = digits.first() == Some(&0);
    let n = digits.len();
    if date_shaped || n < 8 || (n < 10 && !international && !trunk) {
        run.to_string()
    } else if n <= 13 || (international && n <= 15) {
        "[phone]".to_string()
    } else {
        "[number]".to_string()
    }
}

fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn iranian_mobile_numbers_in_any_writing_are_removed() {
        assert_eq!(redact("call 09123456789 now"), "call [phone] now");
        assert_eq!(redact("call 0912 345 6789."), "call [phone].");
        assert_eq!(redact("call 0912-345-6789"), "call [phone]");
        assert_eq!(redact("شماره ۰۹۱۲۳۴۵۶۷۸۹ را"), "شماره [phone] را");
        assert_eq!(redact("تماس: ۰۹۱۲ ۳۴۵ ۶۷۸۹"), "تماس: [phone]");
    }

    #[test]
    fn international_and_landline_numbers_are_removed() {
        assert_eq!(redact("+98 912 345 6789"), "[phone]");
        assert_eq!(redact("+989123456789"), "[phone]");
        assert_eq!(redact("00989123456789"), "[phone]");
        assert_eq!(redact("(021) 8888 1234"), "[phone]");
    }

    #[test]
    fn card_numbers_are_removed() {
        assert_eq!(redact("card 6037 9911 2233 4455"), "card [number]");
    }

    #[test]
    fn dates_years_and_figures_are_kept() {
        for kept in [
            "on 2022-10-26 at 18:00",
            "on 05.10.2022",
            "4 Aban 1401 (2022)",
            "1401/08/04",
            "at least 1,500 people",
            "2022 1401",
            "۱۵۰۰ نفر",
            "COVID-19",
        ] {
            assert_eq!(redact(kept), kept);
        }
    }

    #[test]
    fn emails_are_removed() {
        assert_eq!(
            redact("write to ali.r+news@gmail.com."),
            "write to [email]."
        );
        assert_eq!(redact("ایمیل: someone@proton.me"), "ایمیل: [email]");
    }

    #[test]
    fn links_with_personal_handles_are_removed_and_news_links_kept() {
        assert_eq!(redact("see https://t.me/ali_zahedan/123."), "see [link].");
        assert_eq!(redact("instagram.com/some.body"), "[link]");
        assert_eq!(redact("https://www.instagram.com/p/xyz"), "[link]");
        assert_eq!(redact("https://youtube.com/@reporter1"), "[link]");
        assert_eq!(redact("wa.me/989121234567"), "[link]");
        let news = "source: https://www.bbc.com/persian/iran-63200001";
        assert_eq!(redact(news), news);
        assert_eq!(
            redact("(see https://www.iranintl.com/en/202210265001)"),
            "(see https://www.iranintl.com/en/202210265001)"
        );
    }

    #[test]
    fn handles_are_removed() {
        assert_eq!(
            redact("via @zahedan_news, ask @ali99"),
            "via [handle], ask [handle]"
        );
        assert_eq!(redact("کانال @Baloch_Campaign"), "کانال [handle]");
    }

    #[test]
    fn receipt_and_tracking_codes_are_removed() {
        assert_eq!(redact("receipt: 88421137"), "receipt: [code]");
        assert_eq!(redact("tracking code TRX-55120"), "tracking code [code]");
        assert_eq!(redact("کد رهگیری ۷۷۱۲۳۴۵۶"), "کد رهگیری [code]");
        assert_eq!(redact("شماره پیگیری: 1234567"), "شماره پیگیری: [code]");
        assert_eq!(redact("paid, ref A7K29Q"), "paid, ref [code]");
        assert_eq!(redact("token XQ7731B2 attached"), "token [code] attached");
    }

    #[test]
    fn announced_names_are_removed() {
        assert_eq!(
            redact("My name is Reza Ahmadi and I saw it"),
            "My name is [name] and I saw it"
        );
        assert_eq!(redact("Reported by: Sara Karimi."), "Reported by: [name].");
        assert_eq!(redact("اسمم مریم است و دیدم"), "اسمم [name] است و دیدم");
        assert_eq!(redact("خبرنگار: علی رضایی"), "خبرنگار: [name]");
        // The cue is a whole word: «خبرنگاران» (journalists) announces no name.
        let plural = "خبرنگاران بازداشت شدند";
        assert_eq!(redact(plural), plural);
    }

    #[test]
    fn plain_reporting_is_untouched() {
        let t = "Security forces fired on protesters in Zahedan; 40 killed, 12 injured. \
                 نیروهای امنیتی در زاهدان به معترضان شلیک کردند.";
        assert_eq!(redact(t), t);
    }
}
