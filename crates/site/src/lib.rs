//! `unrest site build DIR`: the public site as static files, a mirror that any host, CDN or
//! peer-to-peer network can serve and that works from `file://` with no server and no
//! request outside `DIR`.
//!
//! What a mirror holds (paths relative to `DIR`; Persian pages end in `.fa.html`):
//! - `index.html`: the map (province outlines, events as markers), the timeline, the latest
//!   events, downloads and the digests by month; the map reads `data/map.js` (the events
//!   as GeoJSON set into a global, because a `file://` page may not fetch) and
//!   `assets/provinces.js`;
//! - `events/{id}.html`: one page per published event, as the server shows it;
//! - `digest/{YYYY-MM}.html`: the digest of each month with published incidents;
//! - `data/events.csv`, `data/events.geojson`: the downloads, as `/api/events.csv|geojson`;
//! - `api/events/{id}.json` and `api/pages/{n}.json` (the list, by id, `next` naming the
//!   following page): the JSON API's answers as files;
//! - `assets/`: stylesheet, scripts, the map library and the province outlines;
//! - `audit-head.txt`: the audit log's newest entry when the site was built;
//! - `SHA256SUMS` (every other file's SHA-256, the format `sha256sum -c` reads) and, with a
//!   signing key, `SHA256SUMS.minisig`: a minisign signature whose trusted comment repeats
//!   the audit head (see [`sign`]).
//!
//! Incremental: the previous `SHA256SUMS` says what is on disk; a file whose new bytes hash
//! the same is not written again (unless it was touched since that manifest was written:
//! other size, or newer), and a file no longer part of the site (an event unpublished) is
//! removed.
//!
//! What the site shows comes from [`public_events`] and [`public_incidents`], the one place
//! the published dataset is read. It must never hold anything that is not published, a
//! report's text, evidence, or who reported or reviewed.

mod pages;
pub mod sign;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use unrest_store::{Filter, Order, Page, Status, Store, StoredIncident};

pub use sign::{verify, Difference, SigningKey};

/// The manifest: every file of the site but itself and its signature.
pub const MANIFEST: &str = "SHA256SUMS";
/// The manifest's minisign signature.
pub const SIGNATURE: &str = "SHA256SUMS.minisig";
/// Events per file of `api/pages/`.
pub const API_PAGE: usize = 1000;

#[derive(Debug)]
pub enum Error {
    Store(unrest_store::Error),
    Io { path: PathBuf, error: io::Error },
    Sign(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Store(e) => write!(f, "{e}"),
            Error::Io { path, error } => write!(f, "{}: {error}", path.display()),
            Error::Sign(e) => write!(f, "signing: {e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<unrest_store::Error> for Error {
    fn from(e: unrest_store::Error) -> Error {
        Error::Store(e)
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// What a build did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Built {
    /// Files of the site (the manifest's lines).
    pub files: usize,
    /// Files written because they are new or their bytes changed.
    pub written: usize,
    /// Files removed because they are no longer part of the site.
    pub removed: usize,
    pub events: usize,
    pub months: usize,
    /// The audit log's head, `SEQ:HASH`.
    pub audit_head: Option<String>,
    pub signed: bool,
}

/// Every published incident, by id, to `each`: the one query the mirror's map, list, pages,
/// downloads and API files read, the same the web app's public views read.
pub fn public_events(
    store: &mut Store,
    each: impl FnMut(StoredIncident) -> Result<()>,
) -> Result<u64> {
    let filter = Filter {
        status: vec![Status::Published],
        public: true,
        ..Filter::default()
    };
    let page = Page {
        order: Order::Id,
        ..Page::default()
    };
    store.incident_rows::<Error>(&filter, &page, each)
}

/// The published incidents, as the digests show them.
pub fn public_incidents(store: &mut Store) -> Result<Vec<unrest_store::Incident>> {
    Ok(store.incidents(None, None, true)?)
}

/// Builds (or brings up to date) the site in `dir`, signing its manifest with `key` when
/// given.
pub fn build(store: &mut Store, dir: &Path, key: Option<&SigningKey>) -> Result<Built> {
    let gaz = unrest_gazetteer::Gazetteer::embedded();
    let mut out = Out::open(dir)?;
    let mut site = pages::Site::new(gaz);
    let mut built = Built::default();
    public_events(store, |e| {
        built.events += 1;
        site.event(&mut out, &e)
    })?;
    let incidents = public_incidents(store)?;
    built.audit_head = store.audit_head()?;
    // The mirror's digests leave the audit head to `audit-head.txt` and the signed manifest:
    // printed in every month's pages, it would rewrite them all on each rebuild.
    built.months = site.digests(&mut out, incidents, None)?;
    site.finish(&mut out)?;
    // The analysts' script has no place on a public mirror.
    for (name, bytes) in unrest_web::mirror::assets().filter(|(n, _)| *n != "review.js") {
        out.put(&format!("assets/{name}"), bytes)?;
    }
    let provinces = unrest_web::mirror::assets()
        .find(|(n, _)| *n == "provinces.geojson")
        .map(|(_, b)| b)
        .unwrap_or(b"{\"type\":\"FeatureCollection\",\"features\":[]}");
    out.put(
        "assets/provinces.js",
        &pages::script_global("UNREST_PROVINCES", provinces),
    )?;
    let head = match &built.audit_head {
        Some(head) => format!("{head}\n"),
        None => "none\n".to_string(),
    };
    out.put("audit-head.txt", head.as_bytes())?;
    let (files, written, removed) = out.finish(key, head.trim())?;
    built.files = files;
    built.written = written;
    built.removed = removed;
    built.signed = key.is_some();
    Ok(built)
}

/// The files of a site being written: what the last build left (its manifest) and what
/// this one wrote.
pub(crate) struct Out {
    dir: PathBuf,
    old: HashMap<String, String>,
    new: BTreeMap<String, String>,
    written: usize,
    /// When the last manifest was written: a file changed after it is written again.
    since: Option<std::time::SystemTime>,
}

impl Out {
    fn open(dir: &Path) -> Result<Out> {
        std::fs::create_dir_all(dir).map_err(|error| Error::Io {
            path: dir.to_path_buf(),
            error,
        })?;
        let since = std::fs::metadata(dir.join(MANIFEST))
            .and_then(|m| m.modified())
            .ok();
        let old = match std::fs::read_to_string(dir.join(MANIFEST)) {
            Ok(text) => sign::parse_manifest(&text)
                .into_iter()
                .map(|(h, p)| (p, h))
                .collect(),
            Err(_) => HashMap::new(),
        };
        Ok(Out {
            dir: dir.to_path_buf(),
            old,
            new: BTreeMap::new(),
            written: 0,
            since,
        })
    }

    /// One file of the site: written unless the last build wrote the same bytes there.
    pub(crate) fn put(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        let hash = unrest_store::sha256_hex(bytes);
        let full = self.dir.join(path);
        let intact = || {
            let Ok(meta) = std::fs::metadata(&full) else {
                return false;
            };
            let untouched = match (meta.modified(), self.since) {
                (Ok(at), Some(since)) => at <= since,
                _ => false,
            };
            meta.is_file() && meta.len() == bytes.len() as u64 && untouched
        };
        if self.old.get(path) != Some(&hash) || !intact() {
            write_atomic(&full, bytes)?;
            self.written += 1;
        }
        self.new.insert(path.to_string(), hash);
        Ok(())
    }

    /// Removes what the last build wrote and this one did not, then writes the manifest
    /// and its signature. Returns (files, written, removed).
    fn finish(mut self, key: Option<&SigningKey>, head: &str) -> Result<(usize, usize, usize)> {
        let stale: BTreeSet<&String> = self
            .old
            .keys()
            .filter(|p| !self.new.contains_key(*p))
            .collect();
        let mut removed = 0;
        for p in stale {
            let full = self.dir.join(p);
            match std::fs::remove_file(&full) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(error) => return Err(Error::Io { path: full, error }),
            }
        }
        let manifest = sign::manifest(&self.new);
        let mpath = self.dir.join(MANIFEST);
        if std::fs::read(&mpath).ok().as_deref() != Some(manifest.as_bytes()) {
            write_atomic(&mpath, manifest.as_bytes())?;
            self.written += 1;
        }
        let spath = self.dir.join(SIGNATURE);
        match key {
            Some(key) => {
                let sig = key.sign(manifest.as_bytes(), head, self.new.len())?;
                write_atomic(&spath, sig.as_bytes())?;
                self.written += 1;
            }
            // A signature of another manifest would only mislead.
            None => match std::fs::remove_file(&spath) {
                Ok(()) | Err(_) => {}
            },
        }
        Ok((self.new.len(), self.written, removed))
    }
}

/// Writes through a temporary file and a rename, so a host serving the directory never
/// sends half a file.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io_err = |error| Error::Io {
        path: path.to_path_buf(),
        error,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io_err)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).map_err(io_err)?;
    std::fs::rename(&tmp, path).map_err(io_err)
}
