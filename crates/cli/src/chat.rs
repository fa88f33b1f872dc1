//! `unrest import telegram|whatsapp`: chat exports into the dataset. The reading is
//! `unrest-chat`'s; the storing is the store's; this module is the edge between them: it
//! opens the export and the photos beside it, reads the clock, draws the progress bar and
//! prints the summary.
//!
//! Provenance: the chat is the channel (`telegram:NAME`, `whatsapp:NAME`; grade it with
//! `grade-channel` or `--channel-grade`); a message is known by its chat and id, so an
//! import adds only messages not stored before or edited since; a text already held (a
//! forward of a post imported from another chat) is the same report and the same source.
//! Senders are dropped unless `--keep-senders`.
//!
//! Exit status: 0 all read; 1 the export is malformed somewhere (named; what was read
//! before is stored) or a message could not be read; 2 the command could not run; 130
//! interrupted.

use crate::dataset::{coder_version, interrupted, watch_interrupt, CoderStep, DbArgs};
use anyhow::{anyhow, Context, Result};
use chrono::Utc;
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::{BufReader, IsTerminal, Read, Seek, SeekFrom};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use unrest_chat::{Attachment, Chat, Flow, Item, Message, Skip};
use unrest_coder::{Coder, Lang};
use unrest_corroborate::Reliability;
use unrest_model::Report;
use unrest_store::{ChatMessage, Ingested, NewReport, Store};

/// `unrest import …`
#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// A Telegram Desktop export (result.json): one chat, or a whole account.
    Telegram(TelegramArgs),
    /// A WhatsApp chat export (.txt).
    Whatsapp(WhatsappArgs),
}

/// What both imports take.
#[derive(Args, Debug, Clone)]
pub struct Common {
    #[command(flatten)]
    pub db: DbArgs,
    /// Grade the chat's channel (A-F) before importing; its reports take the grade.
    #[arg(long, value_name = "LETTER")]
    pub channel_grade: Option<String>,
    /// Keep senders' names and ids (and forwarded-from names) with the messages. Off by
    /// default: in groups they name people.
    #[arg(long)]
    pub keep_senders: bool,
    /// The time zone messages' days are taken in (WhatsApp's file gives local times only).
    #[arg(long, default_value = "Asia/Tehran", value_name = "ZONE")]
    pub tz: chrono_tz::Tz,
    /// Messages per transaction.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub batch: u32,
}

/// `unrest import telegram FILE`
#[derive(Args, Debug, Clone)]
pub struct TelegramArgs {
    /// The export's result.json (photos are looked for beside it).
    pub file: PathBuf,
    /// Only these chats of a whole-account export, by name or id (repeatable).
    #[arg(long, value_name = "NAME|ID")]
    pub chat: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

/// `unrest import whatsapp FILE`
#[derive(Args, Debug, Clone)]
pub struct WhatsappArgs {
    /// The exported .txt (photos of an export "with media" are looked for beside it).
    pub file: PathBuf,
    /// The chat's name. Default: from the file name ("WhatsApp Chat with NAME.txt").
    #[arg(long, value_name = "NAME")]
    pub chat: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(command: ImportCommand) -> Result<ExitCode> {
    match command {
        ImportCommand::Telegram(args) => telegram(args),
        ImportCommand::Whatsapp(args) => whatsapp(args),
    }
}

/// A reader that counts what it read, for the progress bar.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        let at = self.inner.seek(pos)?;
        self.read.store(at, Ordering::Relaxed);
        Ok(at)
    }
}

fn open(path: &Path) -> Result<(Counting<std::fs::File>, u64, Arc<AtomicU64>)> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let read = Arc::new(AtomicU64::new(0));
    Ok((
        Counting {
            inner: file,
            read: read.clone(),
        },
        len,
        read,
    ))
}

fn telegram(args: TelegramArgs) -> Result<ExitCode> {
    let (reader, len, read) = open(&args.file)?;
    let mut import = Import::new(&args.common, &args.file, "telegram", len, read)?;
    let wanted = args.chat.clone();
    let options = unrest_chat::telegram::Options { tz: args.common.tz };
    let result = unrest_chat::telegram::read(
        BufReader::with_capacity(256 * 1024, reader),
        options,
        &mut |item| {
            if let Item::Chat(c) = &item {
                if !wanted.is_empty()
                    && !wanted
                        .iter()
                        .any(|w| w.trim() == c.name || w.trim() == c.id)
                {
                    return Flow::SkipChat;
                }
            }
            import.take(item)
        },
    );
    import.finish(result, &args.file)
}

fn whatsapp(args: WhatsappArgs) -> Result<ExitCode> {
    let chat = match &args.chat {
        Some(c) if !c.trim().is_empty() => c.trim().to_string(),
        _ => chat_name_of(&args.file),
    };
    let (reader, len, read) = open(&args.file)?;
    let mut import = Import::new(&args.common, &args.file, "whatsapp", len, read)?;
    let options = unrest_chat::whatsapp::Options {
        tz: args.common.tz,
        chat,
    };
    let result = unrest_chat::whatsapp::read(BufReader::new(reader), &options, &mut |item| {
        import.take(item)
    });
    import.finish(result, &args.file)
}

/// "WhatsApp Chat with Kurdistan reports.txt" → "Kurdistan reports"; else the file's stem.
fn chat_name_of(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    for prefix in [
        "WhatsApp Chat with ",
        "WhatsApp Chat - ",
        "Chat de WhatsApp con ",
        "WhatsApp-Chat mit ",
    ] {
        if let Some(name) = stem.strip_prefix(prefix) {
            return name.trim().to_string();
        }
    }
    stem.trim().to_string()
}

/// Counts for the summary.
#[derive(Default)]
struct Tally {
    read: u64,
    stored: u64,
    edited: u64,
    already: u64,
    /// Texts already held as another message's report (forwards, copies).
    copies: u64,
    events: u64,
    skipped: BTreeMap<Skip, u64>,
    unreadable: u64,
    photos: u64,
    photos_not_included: u64,
    photos_refused: u64,
}

impl Tally {
    fn line(&self) -> String {
        format!(
            "{} messages read: {} reports stored ({} of them edits), {} already imported, {} already held (forwards, copies); {} events coded",
            self.read, self.stored, self.edited, self.already, self.copies, self.events
        )
    }
}

/// The chat being imported.
struct Current {
    /// How messages are known: `telegram:ID`.
    key: String,
    /// The channel reports arrive from: `telegram:NAME`.
    channel: String,
}

struct Import {
    store: Store,
    coder: CoderStep,
    /// The export's folder: attachments are looked for under it, never outside.
    dir: PathBuf,
    file: String,
    source: &'static str,
    keep_senders: bool,
    grade: Option<Reliability>,
    batch: usize,
    current: Option<Current>,
    pending: Vec<Message>,
    tally: Tally,
    /// A storage error met inside the reader's callback; it stops the read.
    failed: Option<anyhow::Error>,
    stopped_by_interrupt: bool,
    pb: ProgressBar,
    read: Arc<AtomicU64>,
    limits: unrest_media::Limits,
}

impl Import {
    fn new(
        common: &Common,
        path: &Path,
        source: &'static str,
        len: u64,
        read: Arc<AtomicU64>,
    ) -> Result<Import> {
        let grade = match &common.channel_grade {
            None => None,
            Some(g) => {
                let letter = g.trim();
                Some(
                    (letter.chars().count() == 1)
                        .then(|| letter.chars().next().and_then(Reliability::from_letter))
                        .flatten()
                        .ok_or_else(|| {
                            anyhow!("not a reliability: {letter:?} (expected a letter A-F)")
                        })?,
                )
            }
        };
        let store = common.db.open()?;
        watch_interrupt();
        Ok(Import {
            store,
            coder: CoderStep {
                coder: Coder::new(),
                version: coder_version(),
                lang: Lang::Auto,
                now: Utc::now(),
            },
            dir: path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from(".")),
            file: path.display().to_string(),
            source,
            keep_senders: common.keep_senders,
            grade,
            batch: common.batch as usize,
            current: None,
            pending: Vec::new(),
            tally: Tally::default(),
            failed: None,
            stopped_by_interrupt: false,
            pb: progress(len),
            read,
            limits: unrest_media::Limits::default(),
        })
    }

    /// The reader's callback.
    fn take(&mut self, item: Item) -> Flow {
        self.pb.set_position(self.read.load(Ordering::Relaxed));
        if interrupted() {
            self.stopped_by_interrupt = true;
            return self.flush_or_stop(Flow::Stop);
        }
        match item {
            Item::Chat(chat) => {
                if let Err(e) = self.flush().and_then(|()| self.begin(&chat)) {
                    self.failed = Some(e);
                    return Flow::Stop;
                }
            }
            Item::Message(m) => {
                self.tally.read += 1;
                self.pending.push(m);
                if self.pending.len() >= self.batch {
                    return self.flush_or_stop(Flow::Continue);
                }
            }
            Item::Skipped { why, .. } => {
                self.tally.read += 1;
                *self.tally.skipped.entry(why).or_default() += 1;
            }
            Item::Bad(bad) => {
                self.tally.read += 1;
                self.tally.unreadable += 1;
                let file = &self.file;
                self.pb.suspend(|| eprintln!("unrest: {file}: {bad}"));
            }
        }
        Flow::Continue
    }

    fn flush_or_stop(&mut self, then: Flow) -> Flow {
        match self.flush() {
            Ok(()) => then,
            Err(e) => {
                self.failed = Some(e);
                Flow::Stop
            }
        }
    }

    fn begin(&mut self, chat: &Chat) -> Result<()> {
        let name = chat.name.trim();
        let id = chat.id.trim();
        let current = Current {
            key: format!("{}:{}", self.source, if id.is_empty() { name } else { id }),
            channel: format!(
                "{}:{}",
                self.source,
                if name.is_empty() { id } else { name }
            ),
        };
        if let Some(grade) = self.grade {
            let now = self.store.channel_reliability(&current.channel)?;
            if now.as_deref() != Some(grade.letter().to_string().as_str()) {
                self.store
                    .grade_channel(&current.channel, grade, "import", Utc::now())?;
            }
        }
        self.current = Some(current);
        Ok(())
    }

    /// Stores the pending messages that are new or edited, then records them.
    fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let Some(current) = &self.current else {
            self.pending.clear();
            return Ok(());
        };
        let (key, channel) = (current.key.clone(), current.channel.clone());
        let messages = std::mem::take(&mut self.pending);
        let ids: Vec<String> = messages.iter().map(|m| m.id.clone()).collect();
        let known = self.store.known_chat_messages(&key, &ids)?;
        let now = Utc::now();
        let mut fresh = Vec::new();
        let mut batch = Vec::new();
        for m in messages {
            let sha = unrest_store::sha256_hex(m.text.as_bytes());
            let edited = match known.get(&m.id) {
                Some(k) if k.sha256 == sha => {
                    self.tally.already += 1;
                    continue;
                }
                Some(_) => true,
                None => false,
            };
            // A forward is the post it forwards: when that post's text is already held (from
            // another chat, on its own day), the forward is that report, not a new one. The
            // store keeps the same wording on another day or channel apart otherwise.
            if m.forwarded_from.is_some() && !edited {
                if let Some(report_id) = self.store.find_report(&sha)? {
                    fresh.push((m, edited, Some(report_id)));
                    continue;
                }
            }
            batch.push(NewReport {
                report: Report {
                    id: format!("{key}/{}", m.id),
                    text: m.text.clone(),
                    reference_date: Some(m.date.to_string()),
                    lang: None,
                },
                received_at: now,
                channel: channel.clone(),
            });
            fresh.push((m, edited, None));
        }
        if fresh.is_empty() {
            return Ok(());
        }
        let done = if batch.is_empty() {
            Vec::new()
        } else {
            store_reports(&mut self.store, &batch, &mut self.coder)?
        };
        let mut done = done.into_iter();
        let mut rows = Vec::with_capacity(fresh.len());
        for (m, edited, held) in fresh {
            let outcome = match held {
                Some(report_id) => Ingested::Duplicate { report_id },
                None => done.next().ok_or_else(|| {
                    anyhow::anyhow!("the store answered for fewer reports than given")
                })?,
            };
            let report_id = match outcome {
                Ingested::New { report_id, events } | Ingested::Coded { report_id, events } => {
                    self.tally.stored += 1;
                    self.tally.edited += u64::from(edited);
                    self.tally.events += events as u64;
                    report_id
                }
                Ingested::Duplicate { report_id } => {
                    self.tally.copies += 1;
                    report_id
                }
            };
            self.attach(report_id, &m)?;
            let keep = self.keep_senders;
            rows.push(ChatMessage {
                chat: key.clone(),
                message_id: m.id,
                report_id,
                sent_at: m.sent_at,
                edited: m.edited || edited,
                forwarded_from: if keep { m.forwarded_from } else { None },
                sender: if keep { m.sender.or(m.sender_id) } else { None },
                urls: m.urls,
                location: m.location,
            });
        }
        self.store.record_chat_messages(&rows, &channel, now)?;
        self.pb.set_message(self.tally.line());
        Ok(())
    }

    /// Scrubs the message's photos (as the web form's are) and keeps them with the report.
    /// A photo missing, outside the export's folder or refused is noted, not an error.
    fn attach(&mut self, report_id: i64, m: &Message) -> Result<()> {
        for a in &m.attachments {
            let rel = match a {
                Attachment::NotIncluded => {
                    self.tally.photos_not_included += 1;
                    continue;
                }
                Attachment::Photo(rel) => rel,
            };
            let Some(path) = inside(&self.dir, rel) else {
                self.tally.photos_refused += 1;
                self.warn(format!(
                    "message {}: photo path {rel:?} leaves the export's folder; not read",
                    m.id
                ));
                continue;
            };
            let bytes = match read_bounded(&path, self.limits.max_file_bytes) {
                Ok(b) => b,
                Err(e) => {
                    self.tally.photos_not_included += 1;
                    self.warn(format!("message {}: photo {rel}: {e}", m.id));
                    continue;
                }
            };
            match unrest_media::scrub(&bytes, &self.limits) {
                Ok(s) => {
                    self.store
                        .add_media(report_id, s.media_type.mime(), &s.bytes)?;
                    self.tally.photos += 1;
                }
                Err(e) => {
                    self.tally.photos_refused += 1;
                    self.warn(format!("message {}: photo {rel} refused: {e}", m.id));
                }
            }
        }
        Ok(())
    }

    fn warn(&self, msg: String) {
        let file = &self.file;
        self.pb.suspend(|| eprintln!("unrest: {file}: {msg}"));
    }

    fn finish(
        mut self,
        result: std::result::Result<impl std::fmt::Debug, unrest_chat::Error>,
        path: &Path,
    ) -> Result<ExitCode> {
        // What was read before a malformed part is stored too.
        let tail = self.flush();
        self.pb.finish_and_clear();
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        tail?;
        // The new reports' events join their incidents (or start them): once, after every
        // batch, as `unrest ingest` does.
        if self.tally.stored > 0 {
            self.store.corroborate(Utc::now())?;
        }
        let t = &self.tally;
        println!("{}", t.line());
        let mut skipped: Vec<String> = t
            .skipped
            .iter()
            .map(|(why, n)| format!("{n} {}", why.as_str()))
            .collect();
        if t.unreadable > 0 {
            skipped.push(format!("{} unreadable", t.unreadable));
        }
        if !skipped.is_empty() {
            println!("skipped: {}", skipped.join(", "));
        }
        if t.photos + t.photos_not_included + t.photos_refused > 0 {
            println!(
                "photos: {} attached (scrubbed), {} not in the export, {} refused",
                t.photos, t.photos_not_included, t.photos_refused
            );
        }
        if self.stopped_by_interrupt {
            eprintln!("unrest: interrupted; everything counted above is stored. Run the same command again to continue.");
            return Ok(ExitCode::from(130));
        }
        match result {
            Ok(_) => {}
            Err(unrest_chat::Error::Malformed { at, why }) => {
                eprintln!(
                    "unrest: {}: {at}: {why}; the messages before it are stored",
                    path.display()
                );
                return Ok(ExitCode::from(1));
            }
            Err(unrest_chat::Error::Io(e)) => {
                return Err(anyhow!("{}: {e}", path.display()));
            }
            Err(unrest_chat::Error::Stopped) => {}
        }
        if t.unreadable > 0 {
            eprintln!(
                "unrest: {}: {} messages could not be read (named above)",
                path.display(),
                t.unreadable
            );
            return Ok(ExitCode::from(1));
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// Stores and codes a batch of reports: the one place imports write reports. Corroboration
/// runs once when the import ends (see `finish`), not per batch.
fn store_reports(
    store: &mut Store,
    batch: &[NewReport],
    coder: &mut CoderStep,
) -> Result<Vec<Ingested>> {
    Ok(store.ingest(batch, coder)?)
}

/// `rel` under `dir`, if it stays there: no absolute path, no `..`.
fn inside(dir: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    rel.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        .then(|| dir.join(rel))
}

fn read_bounded(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::other(format!("larger than {max} bytes")));
    }
    Ok(bytes)
}

/// A bar over the export's bytes, with counts and the time left, on a terminal; nothing
/// when stderr is not one.
fn progress(len: u64) -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let pb = ProgressBar::with_draw_target(Some(len), target);
    pb.set_style(
        ProgressStyle::with_template(
            "{elapsed_precise} [{bar:30}] {bytes}/{total_bytes} ETA {eta} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.enable_steady_tick(std::time::Duration::from_millis(200));
    pb
}
