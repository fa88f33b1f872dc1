//! `unrest import telegram|whatsapp` as a documenter runs it, on the fixtures in
//! `crates/chat/tests/fixtures` (written for these tests: Telegram single-chat and
//! whole-account exports, a later export of the chat, WhatsApp Android, iOS and Persian
//! files), with the real coder, each test once on SQLite and once on PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use unrest_store::Store;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../chat/tests/fixtures")
}

/// A database for one test: a temporary SQLite file, or a schema of its own in the test
/// PostgreSQL (`UNREST_TEST_POSTGRES`), dropped after.
struct Db {
    url: String,
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

impl Db {
    fn sqlite() -> Db {
        let dir = tempfile::tempdir().unwrap();
        Db {
            url: format!("sqlite:{}", dir.path().join("unrest.db").display()),
            _dir: dir,
            pg: None,
        }
    }

    fn postgres() -> Db {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let admin = std::env::var("UNREST_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
        let schema = format!(
            "chat_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).unwrap_or_else(|e| {
            panic!("PostgreSQL at {admin} is needed (scripts/pg-start.sh): {e}")
        });
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .unwrap();
        let sep = if admin.contains('?') { '&' } else { '?' };
        Db {
            url: format!("{admin}{sep}options=-csearch_path%3D{schema}"),
            _dir: tempfile::tempdir().unwrap(),
            pg: Some((admin, schema)),
        }
    }

    fn dir(&self) -> &Path {
        self._dir.path()
    }

    fn store(&self) -> Store {
        Store::open(&self.url).unwrap()
    }

    /// Runs `unrest ARGS… --db URL`.
    fn unrest(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_unrest"))
            .args(args)
            .args(["--db", &self.url])
            .current_dir(self.dir())
            .env_remove("UNREST_DATABASE_URL")
            .output()
            .expect("unrest runs")
    }

    /// Imports and expects success; returns stdout.
    fn import(&self, args: &[&str]) -> String {
        let out = self.unrest(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some((admin, schema)) = &self.pg {
            if let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
            }
        }
    }
}

macro_rules! both {
    ($(fn $name:ident($db:ident) $body:block)*) => {$(
        mod $name {
            use super::*;
            fn body($db: &Db) $body
            #[test]
            fn sqlite() {
                body(&Db::sqlite())
            }
            #[test]
            fn postgres() {
                body(&Db::postgres())
            }
        }
    )*};
}

fn path(rel: &str) -> String {
    fixtures().join(rel).display().to_string()
}

/// The report a chat's message was stored as.
fn report_of(s: &mut Store, chat: &str, message: &str) -> i64 {
    s.known_chat_messages(chat, &[message.to_string()])
        .unwrap()
        .get(message)
        .unwrap_or_else(|| panic!("{chat} message {message} not stored"))
        .report_id
}

fn counts(db: &Db) -> (u64, u64) {
    let c = db.store().counts().unwrap();
    (c.reports, c.events)
}

const CHAT: &str = "telegram-chat/result.json";
const LATER: &str = "telegram-chat-later/result.json";
const LOCATION: &str = "telegram-location/result.json";
const ACCOUNT: &str = "telegram-account/result.json";
const ANDROID: &str = "whatsapp/WhatsApp Chat with Kurdistan reports.txt";
const ANDROID_LATER: &str = "whatsapp/later/WhatsApp Chat with Kurdistan reports.txt";
const IOS: &str = "whatsapp/WhatsApp Chat with Zahedan news.txt";
const PERSIAN: &str = "whatsapp/WhatsApp Chat with گزارش‌ها.txt";

both! {
    fn a_telegram_chat_becomes_reports_of_its_channel_coded_and_graded(db) {
        let out = db.import(&["import", "telegram", &path(CHAT), "--channel-grade", "B"]);
        assert!(out.contains("10 messages read: 6 reports stored"), "{out}");
        assert!(out.contains("skipped: 2 service messages, 1 stickers, 1 without text"), "{out}");
        assert!(out.contains("photos: 1 attached (scrubbed), 1 not in the export"), "{out}");
        assert_eq!(counts(db), (6, 6));
        let mut s = db.store();
        let chat = "telegram:1001";
        // Entities joined into the plain text; links kept, the hidden one too.
        let r = report_of(&mut s, chat, "2");
        let report = s.report(r).unwrap().unwrap();
        assert!(report.report.text.starts_with("Sanandaj, 5 November: Hundreds"));
        assert_eq!(report.channel, "telegram:Kurdistan Watch");
        assert_eq!(report.report.reference_date.as_deref(), Some("2022-11-05"));
        let m = &s.chat_messages_of_report(r).unwrap()[0];
        assert_eq!(m.urls, vec!["https://t.me/kurdistanwatch/15", "https://example.org/sanandaj-5-november"]);
        assert_eq!(m.sender, None, "senders are not kept by default");
        let events = s.events_of_report(r).unwrap();
        assert_eq!(events[0].event.location, "Sanandaj");
        assert_eq!(events[0].event.arrests, Some(12));
        // The channel's grade applies to its reports.
        assert_eq!(s.channel_reliability("telegram:Kurdistan Watch").unwrap().as_deref(), Some("B"));
        // The photo is attached, scrubbed (re-encoded); the placeholder is only noted.
        let (photo, placeholder) = (report_of(&mut s, chat, "3"), report_of(&mut s, chat, "4"));
        assert_eq!(s.media_of_report(photo).unwrap().len(), 1);
        assert!(s.media_of_report(placeholder).unwrap().is_empty());
        // A shared point is kept with the message.
        let marivan = report_of(&mut s, chat, "8");
        assert_eq!(s.chat_messages_of_report(marivan).unwrap()[0].location, Some((35.5219, 46.176)));
        // In the review queue with its channel, and in the audit log arriving from it.
        let q = s.review_queue(50).unwrap();
        assert!(q.iter().any(|i| i.report_id == r && i.channel == "telegram:Kurdistan Watch"));
        let receive = s.audit_history("report", &r.to_string()).unwrap();
        assert_eq!((receive[0].action.as_str(), receive[0].actor.as_str()), ("receive", "telegram:Kurdistan Watch"));
    }

    fn a_shared_point_places_a_message_whose_words_name_no_place(db) {
        let out = db.import(&["import", "telegram", &path(LOCATION)]);
        assert!(out.contains("3 messages read: 3 reports stored"), "{out}");
        let mut s = db.store();
        let chat = "telegram:2002";
        // No place in the words: the point (in Sanandaj) is the place, and its evidence.
        let here = report_of(&mut s, chat, "1");
        let events = s.events_of_report(here).unwrap();
        assert_eq!(events.len(), 1, "{events:?}");
        let e = &events[0].event;
        assert!(e.location.starts_with("Sanandaj"), "{}", e.location);
        let text = s.report(here).unwrap().unwrap().report.text;
        assert!(text.starts_with("📍 35.31010, 46.99890\n"), "{text}");
        assert!(e.evidence.iter().any(|ev| ev.field == "location" && ev.text == "35.31010, 46.99890"));
        // The words name Marivan: the words win over where the sender stood.
        let named = report_of(&mut s, chat, "2");
        assert_eq!(s.events_of_report(named).unwrap()[0].event.location, "Marivan");
        // A venue shared with no words is kept as a report (nothing lost); it tells of no event.
        let venue = report_of(&mut s, chat, "3");
        let text = s.report(venue).unwrap().unwrap().report.text;
        assert!(text.ends_with("\nAzadi Square\nSanandaj"), "{text}");
        assert!(s.events_of_report(venue).unwrap().is_empty());
    }

    fn reimporting_a_telegram_export_adds_nothing(db) {
        db.import(&["import", "telegram", &path(CHAT)]);
        let before = counts(db);
        let out = db.import(&["import", "telegram", &path(CHAT)]);
        assert!(out.contains("0 reports stored (0 of them edits), 6 already imported"), "{out}");
        assert_eq!(counts(db), before);
    }

    fn a_later_telegram_export_adds_only_new_and_edited_messages(db) {
        db.import(&["import", "telegram", &path(CHAT)]);
        let mut s = db.store();
        let old = report_of(&mut s, "telegram:1001", "6");
        let out = db.import(&["import", "telegram", &path(LATER)]);
        assert!(out.contains("12 messages read: 3 reports stored (1 of them edits), 5 already imported"), "{out}");
        let edited = report_of(&mut s, "telegram:1001", "6");
        assert_ne!(edited, old);
        let r = s.report(edited).unwrap().unwrap();
        assert!(r.report.text.contains("five people were injured"));
        assert_eq!(r.report.reference_date.as_deref(), Some("2022-11-08"), "an edit keeps the first date");
        assert_eq!(s.events_of_report(edited).unwrap()[0].event.injuries, Some(5));
        // The earlier text is kept (nothing accepted is lost) but no longer counts.
        assert_eq!(s.superseded_by(old).unwrap(), Some(edited));
        assert!(s.events_of_report(old).unwrap().is_empty());
        assert_eq!(s.audit_history("report", &old.to_string()).unwrap().last().unwrap().action, "supersede");
        // And once more: nothing.
        let out = db.import(&["import", "telegram", &path(LATER)]);
        assert!(out.contains("0 reports stored"), "{out}");
    }

    fn forwards_of_one_post_are_not_independent_sources(db) {
        db.import(&["import", "telegram", &path(CHAT)]);
        let out = db.import(&["import", "telegram", &path(ACCOUNT)]);
        assert!(out.contains("6 messages read: 4 reports stored"), "{out}");
        assert!(out.contains("1 already held"), "{out}");
        let mut s = db.store();
        // The group's exact forward is the channel's report itself.
        let original = report_of(&mut s, "telegram:2001", "1");
        assert_eq!(report_of(&mut s, "telegram:2003", "20"), original);
        // Senders of the group are not stored.
        let maryam = report_of(&mut s, "telegram:2003", "21");
        assert_eq!(s.chat_messages_of_report(maryam).unwrap()[0].sender, None);
        let out = db.unrest(&["cluster"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let zahedan: Vec<_> = s
            .incidents(None, None, false)
            .unwrap()
            .into_iter()
            .filter(|i| i.event.event.location == "Zahedan" && i.event.event.event_date == "2022-11-04")
            .collect();
        assert_eq!(zahedan.len(), 1, "{zahedan:?}");
        // The original, a near-copy forwarded by a second channel and a forward in a
        // third: three reports, one source.
        assert_eq!((zahedan[0].report_count, zahedan[0].source_count), (3, 1));
    }

    fn senders_are_kept_only_when_asked(db) {
        db.import(&["import", "telegram", &path(ACCOUNT), "--chat", "Zahedan residents", "--keep-senders"]);
        let mut s = db.store();
        assert_eq!(counts(db).0, 2, "only the chosen chat");
        let r = report_of(&mut s, "telegram:2003", "21");
        assert_eq!(s.chat_messages_of_report(r).unwrap()[0].sender.as_deref(), Some("Maryam"));
    }

    fn whatsapp_android_export_is_imported_and_a_later_one_adds_only_new_messages(db) {
        let out = db.import(&["import", "whatsapp", &path(ANDROID)]);
        assert!(out.contains("8 messages read: 3 reports stored"), "{out}");
        assert!(out.contains("3 service messages, 1 without text, 1 deleted"), "{out}");
        let mut s = db.store();
        let chat = "whatsapp:Kurdistan reports";
        let r = report_of(&mut s, chat, "2022-11-12T10:00:00#0");
        let report = s.report(r).unwrap().unwrap();
        assert!(report.report.text.ends_with("at least 12 people were arrested."), "multi-line: {:?}", report.report.text);
        assert_eq!(report.channel, chat);
        assert_eq!(s.events_of_report(r).unwrap()[0].event.arrests, Some(12));
        let photo = report_of(&mut s, chat, "2022-11-12T10:05:00#0");
        assert_eq!(s.media_of_report(photo).unwrap().len(), 1);
        let before = counts(db);
        let out = db.import(&["import", "whatsapp", &path(ANDROID)]);
        assert!(out.contains("0 reports stored"), "{out}");
        assert_eq!(counts(db), before);
        let out = db.import(&["import", "whatsapp", &path(ANDROID_LATER)]);
        assert!(out.contains("1 reports stored (0 of them edits), 3 already imported"), "{out}");
        assert_eq!(counts(db).0, before.0 + 1);
    }

    fn whatsapp_ios_export_is_read_month_first_with_its_clock(db) {
        let out = db.import(&["import", "whatsapp", &path(IOS)]);
        assert!(out.contains("5 messages read: 2 reports stored"), "{out}");
        let mut s = db.store();
        // 13 November at 6:05 PM, Tehran: the second part above 12 made the file month-first.
        let r = report_of(&mut s, "whatsapp:Zahedan news", "2022-11-13T18:05:00#0");
        let e = &s.events_of_report(r).unwrap()[0].event;
        assert_eq!((e.location.as_str(), e.event_date.as_str()), ("Khash", "2022-11-13"));
        let out = db.import(&["import", "whatsapp", &path(IOS)]);
        assert!(out.contains("0 reports stored"), "{out}");
    }

    fn whatsapp_persian_export_reads_solar_hijri_dates_and_persian_digits(db) {
        let out = db.import(&["import", "whatsapp", &path(PERSIAN)]);
        assert!(out.contains("4 messages read: 2 reports stored"), "{out}");
        let mut s = db.store();
        // ۱۴۰۱/۸/۲۱ ۹:۳۵ ق.ظ. is 12 November 2022, 09:35 in Tehran.
        let r = report_of(&mut s, "whatsapp:گزارش‌ها", "2022-11-12T09:35:00#0");
        let e = &s.events_of_report(r).unwrap()[0].event;
        assert_eq!((e.location.as_str(), e.event_date.as_str(), e.fatalities), ("Piranshahr", "2022-11-12", 1));
        // ۶:۱۰ ب.ظ. is 18:10.
        report_of(&mut s, "whatsapp:گزارش‌ها", "2022-11-13T18:10:00#0");
        let out = db.import(&["import", "whatsapp", &path(PERSIAN)]);
        assert!(out.contains("0 reports stored"), "{out}");
    }

    fn a_truncated_export_is_named_and_what_was_read_is_stored(db) {
        let whole = std::fs::read_to_string(fixtures().join(CHAT)).unwrap();
        // Cut inside message 8.
        let cut = whole.find("Marivan").unwrap();
        let file = db.dir().join("result.json");
        std::fs::write(&file, &whole[..cut]).unwrap();
        let out = db.unrest(&["import", "telegram", &file.display().to_string()]);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("after message 7") && err.contains("truncated"), "{err}");
        assert!(err.contains(" line "), "{err}");
        assert_eq!(counts(db).0, 5, "messages 2, 3, 4, 6 and 7 are stored");
        // A file that is no WhatsApp export is named by its first line.
        let txt = db.dir().join("notes.txt");
        std::fs::write(&txt, "meeting notes\nnothing here\n").unwrap();
        let out = db.unrest(&["import", "whatsapp", &txt.display().to_string()]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("line 1: no line is a WhatsApp message header"));
    }
}
