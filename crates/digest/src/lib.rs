//! The digest: what an organisation publishes about a period. A summary table (events,
//! fatalities, injuries and arrests by province, with totals), a map of the period, a
//! daily timeline, then event by event grouped by province and city and ordered by date,
//! each with its notes, credibility grade and number of independent sources. In English,
//! or in Persian written right to left with Solar Hijri dates.
//!
//! - [`render`] writes it as Markdown or as one self-contained HTML page.
//! - PDF is the HTML printed by a browser: [`print_to_pdf_args`] gives the arguments for
//!   headless Chromium, which shapes Persian text correctly where pure-Rust PDF writers do
//!   not join Arabic-script letters.
//! - [`redact`] removes what could identify a reporter; every note is redacted before it
//!   is printed, and every text from events is escaped for the format.
//!
//! This crate knows nothing of the database, the clock or the network: the caller chooses
//! the period and passes the published events (already selected, merged and graded); the
//! digest only writes to the `Write` it is given. The HTML loads nothing and runs nothing.

mod html;
mod jalali;
mod md;
pub mod redact;
mod svg;
mod view;

use chrono::NaiveDate;
use std::collections::HashMap;
use std::io::{self, Write};
use unrest_model::Event;

pub use jalali::to_jalali;
pub use redact::redact;
pub use view::{Summary, Totals};

/// The language of a digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    /// Persian: right to left, Persian digits, Solar Hijri dates.
    Fa,
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Lang, String> {
        match s {
            "en" => Ok(Lang::En),
            "fa" => Ok(Lang::Fa),
            other => Err(format!(
                "unknown digest language {other:?}: expected en or fa"
            )),
        }
    }
}

/// What [`render`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestFormat {
    Markdown,
    /// One page, self-contained, styled for the screen and for print.
    Html,
}

impl std::str::FromStr for DigestFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<DigestFormat, String> {
        match s {
            "md" | "markdown" => Ok(DigestFormat::Markdown),
            "html" => Ok(DigestFormat::Html),
            "pdf" => Err(
                "pdf is the html digest printed by a browser: render html, then run chromium \
                 with print_to_pdf_args"
                    .to_string(),
            ),
            other => Err(format!(
                "unknown digest format {other:?}: expected md or html"
            )),
        }
    }
}

/// One published incident: its canonical event, with the grade and the number of
/// independent sources that corroboration gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestEvent {
    pub event: Event,
    /// As written in the Admiralty system, e.g. `B2`.
    pub grade: String,
    pub source_count: usize,
}

/// Everything a digest shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DigestInput {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period, included.
    pub to: NaiveDate,
    pub lang: Lang,
    /// The heading; the language's default title when `None`.
    pub title: Option<String>,
    /// The published events. Those not dated within the period are left out, so every
    /// figure of the digest is the period's.
    pub events: Vec<DigestEvent>,
    /// Place names in the digest's language (from the gazetteer), keyed by the name as the
    /// events write it (`admin1`, the city, the district). Provinces have Persian names
    /// built in; other names print as the events write them.
    pub place_names: HashMap<String, String>,
    /// The head of the dataset's audit log (`SEQ:HASH`) when the digest was made: printed
    /// in it, so that anyone holding the digest can later check the log against it.
    pub audit_head: Option<String>,
}

/// Writes the digest.
pub fn render(digest: &DigestInput, format: DigestFormat, out: &mut impl Write) -> io::Result<()> {
    match format {
        DigestFormat::Markdown => md::render(digest, out),
        DigestFormat::Html => html::render(digest, out),
    }
}

/// The summary table's figures: per province and in total, over the events the digest
/// lists. The caller can compare them with a query over the same period.
pub fn summary(digest: &DigestInput) -> Summary {
    view::summary(digest)
}

/// The arguments for `chromium` to print an HTML digest to PDF, offline: no network, no
/// first-run or update checks, no header or footer. As root (CI, containers) Chromium also
/// needs `--no-sandbox`, which the caller adds when it runs as root. `html` and `pdf` are
/// absolute paths.
pub fn print_to_pdf_args(html: &str, pdf: &str) -> Vec<String> {
    vec![
        "--headless".into(),
        "--disable-gpu".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--no-first-run".into(),
        "--no-default-browser-check".into(),
        "--no-pdf-header-footer".into(),
        format!("--print-to-pdf={pdf}"),
        format!("file://{html}"),
    ]
}

/// Notes whose closing figures (`[2 killed, 12 arrested]`, as the coder writes them) are
/// the incident's: the notes come from one report, the figures from the codebook's rule
/// over all of them, and the digest must not print two different counts for one incident.
pub fn notes_with_counts(notes: &str, e: &unrest_model::Event) -> String {
    let is_figure = |part: &str| {
        part.split_once(' ').is_some_and(|(n, what)| {
            n.parse::<u32>().is_ok() && matches!(what, "killed" | "injured" | "arrested")
        })
    };
    let body = match notes.strip_suffix(']').and_then(|n| n.rsplit_once(" [")) {
        Some((body, figures)) if figures.split(", ").all(is_figure) => body,
        _ => notes,
    };
    let mut figures = Vec::new();
    if e.fatalities > 0 {
        figures.push(format!("{} killed", e.fatalities));
    }
    if let Some(n) = e.injuries.filter(|&n| n > 0) {
        figures.push(format!("{n} injured"));
    }
    if let Some(n) = e.arrests.filter(|&n| n > 0) {
        figures.push(format!("{n} arrested"));
    }
    if figures.is_empty() {
        body.to_string()
    } else {
        format!("{body} [{}]", figures.join(", "))
    }
}

#[cfg(test)]
mod notes_tests {
    use super::notes_with_counts as with_counts;

    #[test]
    fn the_notes_carry_the_incidents_figures_not_one_reports() {
        let mut e = unrest_model::Event {
            fatalities: 1,
            arrests: Some(10),
            ..Default::default()
        };
        let notes = "On 5 November 2022, protesters held a protest in Sanandaj (Kurdistan). [2 killed, 12 arrested]";
        assert_eq!(
            with_counts(notes, &e),
            "On 5 November 2022, protesters held a protest in Sanandaj (Kurdistan). [1 killed, 10 arrested]"
        );
        e.fatalities = 0;
        e.arrests = None;
        assert_eq!(
            with_counts(notes, &e),
            "On 5 November 2022, protesters held a protest in Sanandaj (Kurdistan)."
        );
        e.injuries = Some(3);
        assert_eq!(
            with_counts("Students chanted [at night].", &e),
            "Students chanted [at night]. [3 injured]"
        );
    }
}
