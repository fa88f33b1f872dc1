//! The mirror's pages and data files, written one event at a time as the store streams them
//! (a 100,000-event site is never held in memory as pages).

use crate::{Out, Result, API_PAGE};
use maud::{html, Markup, DOCTYPE};
use std::collections::{BTreeMap, BTreeSet};
use unrest_gazetteer::Gazetteer;
use unrest_model::{Event, EventWriter, Format};
use unrest_store::{Incident, StoredIncident};
use unrest_web::mirror::{
    event_article, in_view_panel, place_name, public_day, term, terms_json, timeline_svg, Lang,
    PublicEvent,
};

/// How many of the latest events the map page lists (as the server's).
const LIST_LEN: usize = 50;

const LANGS: [Lang; 2] = [Lang::En, Lang::Fa];

/// `events/7.html`, `events/7.fa.html`.
fn named(stem: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{stem}.html"),
        Lang::Fa => format!("{stem}.fa.html"),
    }
}

/// A JSON value as a script that sets a global, for pages opened from `file://`.
pub(crate) fn script_global(name: &str, json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + 40);
    out.extend_from_slice(format!("window.{name} = ").as_bytes());
    out.extend_from_slice(json);
    out.extend_from_slice(b";\n");
    out
}

/// One of the latest events, as the list shows it.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Latest {
    date: String,
    id: i64,
    location: String,
    sub_event_type: String,
    fatalities: u32,
}

pub(crate) struct Site {
    gaz: &'static Gazetteer,
    days: BTreeMap<String, u64>,
    /// The newest `LIST_LEN` events, oldest first.
    latest: BTreeSet<Latest>,
    months: Vec<String>,
    total: u64,
    geojson: Vec<u8>,
    map: Vec<u8>,
    csv: EventWriter<Vec<u8>>,
    api_page: Vec<Vec<u8>>,
    api_pages: usize,
    has_leaflet: bool,
}

impl Site {
    pub(crate) fn new(gaz: &'static Gazetteer) -> Site {
        let csv = EventWriter::new(Format::Csv, Vec::new()).expect("writing to memory");
        Site {
            gaz,
            days: BTreeMap::new(),
            latest: BTreeSet::new(),
            months: Vec::new(),
            total: 0,
            geojson: Vec::new(),
            map: Vec::new(),
            csv,
            api_page: Vec::new(),
            api_pages: 0,
            has_leaflet: unrest_web::mirror::assets().any(|(n, _)| n == "leaflet.js"),
        }
    }

    /// One published incident: its pages and JSON, and its share of the map, list and files.
    pub(crate) fn event(&mut self, out: &mut Out, incident: &StoredIncident) -> Result<()> {
        let stored = &incident.stored;
        let sources = unrest_web::mirror::public_corroboration(incident);
        let id = stored.id;
        for lang in LANGS {
            let title = format!(
                "{} — {}",
                place_name(self.gaz, lang, &stored.event.location),
                public_day(lang, &stored.event.event_date)
            );
            let body = event_article(
                self.gaz,
                lang,
                stored,
                Some(&sources),
                &format!("../api/events/{id}.json"),
            );
            let page = frame(
                lang,
                &title,
                "../",
                &named(&id.to_string(), lang.other()),
                &[],
                "",
                body,
            );
            out.put(
                &format!("events/{}", named(&id.to_string(), lang)),
                page.into_string().as_bytes(),
            )?;
        }
        let json = serde_json::to_vec(&PublicEvent::of(incident)).unwrap_or_default();
        out.put(&format!("api/events/{id}.json"), &json)?;
        if self.api_page.len() == API_PAGE {
            self.flush_api(out, true)?;
        }
        self.api_page.push(json);

        let e = public(&stored.event);
        let io = |error| crate::Error::Io {
            path: "data/events.csv".into(),
            error,
        };
        self.csv.write_with(&e, Some(&sources)).map_err(io)?;
        let mut f = e.geojson_feature_with(Some(&sources));
        if let Some(m) = f.as_object_mut() {
            m.insert("id".into(), id.into());
        }
        if let Some(p) = f.get_mut("properties").and_then(|p| p.as_object_mut()) {
            p.remove("report");
        }
        if self.total > 0 {
            self.geojson.extend_from_slice(b",\n");
            self.map.extend_from_slice(b",\n");
        }
        self.geojson.extend_from_slice(f.to_string().as_bytes());
        let r4 = |x: f64| (x * 10_000.0).round() / 10_000.0;
        let point = serde_json::json!({
            "type": "Feature",
            "id": id,
            "geometry": {"type": "Point", "coordinates": [r4(e.longitude), r4(e.latitude)]},
            "properties": {
                "event_date": e.event_date,
                "event_type": e.event_type,
                "sub_event_type": e.sub_event_type,
                "location": e.location,
                "location_fa": place_name(self.gaz, Lang::Fa, &e.location),
                "date_fa": public_day(Lang::Fa, &e.event_date),
                "fatalities": e.fatalities,
                "source_count": sources.source_count,
                "grade": sources.grade,
            }
        });
        self.map.extend_from_slice(point.to_string().as_bytes());
        self.total += 1;
        *self.days.entry(e.event_date.clone()).or_insert(0) += 1;
        self.latest.insert(Latest {
            date: e.event_date.clone(),
            id,
            location: e.location.clone(),
            sub_event_type: e.sub_event_type.clone(),
            fatalities: e.fatalities,
        });
        if self.latest.len() > LIST_LEN {
            self.latest.pop_first();
        }
        Ok(())
    }

    fn flush_api(&mut self, out: &mut Out, more: bool) -> Result<()> {
        self.api_pages += 1;
        let n = self.api_pages;
        let mut body = b"{\"events\":[".to_vec();
        for (i, e) in self.api_page.iter().enumerate() {
            if i > 0 {
                body.push(b',');
            }
            body.extend_from_slice(e);
        }
        let next = if more {
            format!("\"{}.json\"", n + 1)
        } else {
            "null".into()
        };
        body.extend_from_slice(
            format!("],\"count\":{},\"next\":{next}}}", self.api_page.len()).as_bytes(),
        );
        out.put(&format!("api/pages/{n}.json"), &body)?;
        self.api_page.clear();
        Ok(())
    }

    /// The digest of each month with published incidents, in both languages. Returns how
    /// many months.
    pub(crate) fn digests(
        &mut self,
        out: &mut Out,
        incidents: Vec<Incident>,
        audit_head: Option<&str>,
    ) -> Result<usize> {
        let mut by_month: BTreeMap<String, Vec<Incident>> = BTreeMap::new();
        for c in incidents {
            let month = c.event.event.event_date.get(..7).unwrap_or("").to_string();
            if chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").is_ok() {
                by_month.entry(month).or_default().push(c);
            }
        }
        let fa_names = self.gaz.persian_names();
        for (month, incidents) in by_month {
            let from = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
                .expect("checked above");
            let to = from
                .checked_add_months(chrono::Months::new(1))
                .and_then(|d| d.pred_opt())
                .unwrap_or(from);
            for lang in LANGS {
                let events: Vec<_> = incidents
                    .iter()
                    .cloned()
                    .map(|c| unrest_web::mirror::digest_event(c, lang))
                    .collect();
                let input = unrest_digest::DigestInput {
                    from,
                    to,
                    lang: lang.into(),
                    title: None,
                    place_names: match lang {
                        Lang::Fa => fa_names.clone(),
                        Lang::En => Default::default(),
                    },
                    events,
                    audit_head: audit_head.map(String::from),
                };
                let mut html = Vec::new();
                let path = format!("digest/{}", named(&month, lang));
                unrest_digest::render(&input, unrest_digest::DigestFormat::Html, &mut html)
                    .map_err(|error| crate::Error::Io {
                        path: path.clone().into(),
                        error,
                    })?;
                out.put(&path, &html)?;
            }
            self.months.push(month);
        }
        Ok(self.months.len())
    }

    /// The data files, the last API page and the map pages.
    pub(crate) fn finish(mut self, out: &mut Out) -> Result<()> {
        self.flush_api(out, false)?;
        let csv = std::mem::replace(
            &mut self.csv,
            EventWriter::new(Format::Csv, Vec::new()).expect("writing to memory"),
        )
        .finish()
        .map_err(|error| crate::Error::Io {
            path: "data/events.csv".into(),
            error,
        })?;
        out.put("data/events.csv", &csv)?;
        let collection = |features: &[u8]| {
            let mut v = b"{\"type\":\"FeatureCollection\",\"features\":[\n".to_vec();
            v.extend_from_slice(features);
            v.extend_from_slice(b"\n]}\n");
            v
        };
        out.put("data/events.geojson", &collection(&self.geojson))?;
        out.put(
            "data/map.js",
            &script_global("UNREST_EVENTS", &collection(&self.map)),
        )?;
        let index = serde_json::json!({
            "events": self.total,
            "pages": self.api_pages,
            "first": "pages/1.json",
            "event": "events/{id}.json",
        });
        out.put("api/index.json", index.to_string().as_bytes())?;
        for lang in LANGS {
            let page = self.map_page(lang);
            out.put(&named("index", lang), page.into_string().as_bytes())?;
        }
        Ok(())
    }

    fn map_page(&self, lang: Lang) -> Markup {
        let t = lang.tr();
        let days: Vec<(String, u64)> = self.days.iter().map(|(d, n)| (d.clone(), *n)).collect();
        let mut scripts = vec!["assets/provinces.js", "data/map.js"];
        let mut styles = vec![];
        if self.has_leaflet {
            scripts.extend(["assets/leaflet.js", "assets/markercluster.js"]);
            styles.extend([
                "assets/leaflet.css",
                "assets/MarkerCluster.css",
                "assets/MarkerCluster.Default.css",
            ]);
        }
        scripts.push("assets/map.js");
        let body = html! {
            div.mapwrap {
                aside.filters {
                    h1 { (t.map_title) }
                    p.count { strong #event-count data-count=(self.total) { (lang.num(self.total)) } " " (t.events_shown) }
                    p.downloads {
                        a href="data/events.csv" download="unrest-events.csv" { (t.download_csv) }
                        br;
                        a href="data/events.geojson" download="unrest-events.geojson" { (t.download_geojson) }
                        br;
                        a href="api/index.json" { (t.mirror_api) }
                    }
                    (timeline_svg(lang, &days))
                    p.brush-hint { (t.brush_hint) " " button.link #all-dates type="button" hidden { (t.all_dates) } }
                    @if !self.months.is_empty() {
                        h2 { (t.mirror_months) }
                        ul.months {
                            @for m in self.months.iter().rev() {
                                li { a href={"digest/" (named(m, lang))} { bdi { (lang.num(m)) } } }
                            }
                        }
                    }
                }
                div #map data-geojson="data/events.geojson" data-provinces="assets/provinces.geojson"
                    data-event-href=(format!("events/{}", named("{id}", lang)))
                    data-lang=(lang.code()) data-fallback=(t.map_fallback)
                    data-w-fatalities=(t.fatalities) data-w-injuries=(t.injuries) data-w-arrests=(t.arrests)
                    data-w-sources=(t.sources) data-w-grade=(t.grade) data-sep=(t.sep) data-types=[terms_json(lang)] {}
                (in_view_panel(lang))
            }
            section.latest {
                h2 { (t.list_title) }
                @if self.latest.is_empty() { p { (t.no_events) } }
                ol.events {
                    @for e in self.latest.iter().rev() {
                        li data-date=(e.date) data-id=(e.id) {
                            a href={"events/" (named(&e.id.to_string(), lang))} {
                                bdi { time datetime=(e.date) { (public_day(lang, &e.date)) } (t.sep)
                                strong { (place_name(self.gaz, lang, &e.location)) } (t.sep) (term(lang, &e.sub_event_type)) }
                            }
                            @if e.fatalities > 0 { (t.sep) (t.fatalities) ": " (lang.num(e.fatalities)) }
                        }
                    }
                }
            }
        };
        let styles: Vec<&str> = styles;
        frame_with(
            lang,
            t.map_title,
            "",
            &named("index", lang.other()),
            &scripts,
            &styles,
            "map-page",
            body,
        )
    }
}

/// The public event without what the public never sees.
fn public(e: &Event) -> Event {
    let mut e = e.clone();
    e.report.clear();
    e.evidence.clear();
    e
}

fn frame(
    lang: Lang,
    title: &str,
    root: &str,
    other: &str,
    scripts: &[&str],
    class: &str,
    body: Markup,
) -> Markup {
    frame_with(lang, title, root, other, scripts, &[], class, body)
}

/// The page frame of the mirror: the server's look, links relative to the page, a policy
/// that lets the page load nothing from outside the mirror.
#[allow(clippy::too_many_arguments)]
fn frame_with(
    lang: Lang,
    title: &str,
    root: &str,
    other: &str,
    scripts: &[&str],
    styles: &[&str],
    class: &str,
    body: Markup,
) -> Markup {
    let t = lang.tr();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) dir=(lang.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";
                title { (title) " — " (t.site) }
                @for s in styles { link rel="stylesheet" href={(root) (s)}; }
                link rel="stylesheet" href={(root) "assets/app.css"};
                link rel="icon" href={(root) "assets/favicon.svg"} type="image/svg+xml";
                @for s in scripts { script src={(root) (s)} defer {} }
            }
            body class=(class) {
                header.top {
                    a.brand href={(root) (named("index", lang))} { (t.site) }
                    nav {
                        a href={(root) (named("index", lang))} { (t.nav_map) }
                        a href={(root) "api/index.json"} { (t.nav_api) }
                        a.lang href=(other) lang=(lang.other().code()) { (t.switch_lang) }
                    }
                }
                main { (body) }
                footer { span { (t.tagline) } (t.sep) span.mirror { (t.mirror_note) } }
            }
        }
    }
}
