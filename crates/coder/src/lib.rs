//! The report coder: report text in, ACLED-style events with evidence out.
//!
//! Pure: it reads no file, no clock and no network. The reference date is an argument.

use chrono::NaiveDate;
use unrest_model::{Event, Report};

/// Which language rules to apply to a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Decide per report from its script.
    #[default]
    Auto,
    En,
    Fa,
}

/// The coder with its rules and gazetteer loaded. Build once, code many reports.
pub struct Coder {}

impl Coder {
    /// The coder with the built-in rules and gazetteer.
    pub fn new() -> Coder {
        Coder {}
    }

    /// Codes one report. `reference` is the date relative dates resolve against.
    pub fn code(&self, report: &Report, reference: NaiveDate, lang: Lang) -> Vec<Event> {
        let _ = (report, reference, lang);
        Vec::new()
    }
}

impl Default for Coder {
    fn default() -> Self {
        Coder::new()
    }
}
