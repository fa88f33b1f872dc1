//! Credibility grades in the Admiralty (NATO) system analysts already use: the reliability
//! of the source, a letter A–F, and the credibility of the information, a digit 1–6;
//! written together as `B2`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How reliable the reporting channel has proved, as an analyst grades it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Reliability {
    /// Completely reliable: no doubt of authenticity, a history of complete reliability.
    A,
    /// Usually reliable: minor doubts, a history of mostly valid information.
    B,
    /// Fairly reliable: doubts, has provided valid information before.
    C,
    /// Not usually reliable: significant doubts, has provided valid information before.
    D,
    /// Unreliable: a history of invalid information.
    E,
    /// Cannot be judged: no basis for evaluating the channel. Every ungraded channel is F.
    #[default]
    F,
}

/// How credible the information itself is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Credibility {
    /// Confirmed by other independent sources.
    Confirmed = 1,
    /// Probably true: not confirmed, but logical and consistent.
    ProbablyTrue = 2,
    /// Possibly true: not confirmed, reasonably logical.
    PossiblyTrue = 3,
    /// Doubtful: not confirmed, possible but not logical.
    Doubtful = 4,
    /// Improbable: illogical, contradicted by other information.
    Improbable = 5,
    /// Cannot be judged: no basis for evaluating the information.
    #[default]
    CannotBeJudged = 6,
}

impl Reliability {
    pub const ALL: [Reliability; 6] = [
        Reliability::A,
        Reliability::B,
        Reliability::C,
        Reliability::D,
        Reliability::E,
        Reliability::F,
    ];

    pub fn letter(self) -> char {
        match self {
            Reliability::A => 'A',
            Reliability::B => 'B',
            Reliability::C => 'C',
            Reliability::D => 'D',
            Reliability::E => 'E',
            Reliability::F => 'F',
        }
    }

    pub fn from_letter(c: char) -> Option<Reliability> {
        Reliability::ALL
            .into_iter()
            .find(|r| r.letter() == c.to_ascii_uppercase())
    }
}

impl Credibility {
    pub const ALL: [Credibility; 6] = [
        Credibility::Confirmed,
        Credibility::ProbablyTrue,
        Credibility::PossiblyTrue,
        Credibility::Doubtful,
        Credibility::Improbable,
        Credibility::CannotBeJudged,
    ];

    pub fn digit(self) -> u8 {
        self as u8
    }

    pub fn from_digit(d: u8) -> Option<Credibility> {
        Credibility::ALL.into_iter().find(|c| c.digit() == d)
    }
}

/// A grade such as `B2`. Serialized as that string, so the store can keep it in one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Grade {
    pub reliability: Reliability,
    pub credibility: Credibility,
}

impl Grade {
    pub fn new(reliability: Reliability, credibility: Credibility) -> Grade {
        Grade {
            reliability,
            credibility,
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            self.reliability.letter(),
            self.credibility.digit()
        )
    }
}

impl FromStr for Grade {
    type Err = String;
    fn from_str(s: &str) -> Result<Grade, String> {
        let mut chars = s.trim().chars();
        let parsed = match (chars.next(), chars.next(), chars.next()) {
            (Some(l), Some(d), None) => Reliability::from_letter(l).zip(
                d.to_digit(10)
                    .and_then(|d| Credibility::from_digit(d as u8)),
            ),
            _ => None,
        };
        parsed.map(|(r, c)| Grade::new(r, c)).ok_or_else(|| {
            format!("not a grade: {s:?} (expected a letter A-F and a digit 1-6, e.g. B2)")
        })
    }
}

impl From<Grade> for String {
    fn from(g: Grade) -> String {
        g.to_string()
    }
}

impl TryFrom<String> for Grade {
    type Error = String;
    fn try_from(s: String) -> Result<Grade, String> {
        s.parse()
    }
}

/// Suggests a grade from the number of independent sources behind an event and the
/// analysts' grades of the channels its reports came through (one per report; `F` for an
/// ungraded channel). An analyst's own grade, when there is one, replaces the suggestion.
///
/// Reliability is the best graded channel among them: the event was carried by that
/// channel, whatever else also carried it. Ungraded channels (`F`) count only when no
/// channel is graded.
///
/// Credibility follows the definitions of the scale, "confirmed" meaning confirmed by
/// independent sources:
///
/// | independent sources | best channel | credibility |
/// |---|---|---|
/// | 3 or more | any | 1 confirmed |
/// | 2 | A or B | 1 confirmed |
/// | 2 | C, D, E or ungraded | 2 probably true |
/// | 1 | A or B | 2 probably true |
/// | 1 | C | 3 possibly true |
/// | 1 | D or E | 4 doubtful |
/// | 1 | ungraded | 6 cannot be judged |
/// | 0 | — | 6 cannot be judged |
///
/// Rationale: a single report from a channel nobody has graded gives no basis for judging
/// it, which is what 6 says; the suggestion should push analysts to grade channels rather
/// than pretend to a confidence nobody has. 5 (improbable) is never suggested: it is a
/// judgement of content that only an analyst can make.
pub fn suggest_grade(source_count: usize, channel_grades: &[Reliability]) -> Grade {
    use Credibility::*;
    use Reliability::*;
    let best = channel_grades
        .iter()
        .copied()
        .filter(|r| *r != F)
        .min()
        .unwrap_or(F);
    let credibility = match (source_count, best) {
        (0, _) => CannotBeJudged,
        (3.., _) => Confirmed,
        (2, A | B) => Confirmed,
        (2, _) => ProbablyTrue,
        (1, A | B) => ProbablyTrue,
        (1, C) => PossiblyTrue,
        (1, D | E) => Doubtful,
        (1, F) => CannotBeJudged,
    };
    Grade::new(best, credibility)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Reliability::*;

    fn g(s: &str) -> Grade {
        s.parse().unwrap()
    }

    #[test]
    fn grade_reads_and_writes_letter_then_digit() {
        assert_eq!(g("b2").to_string(), "B2");
        assert!("G1".parse::<Grade>().is_err());
        assert!("A7".parse::<Grade>().is_err());
        assert!("A12".parse::<Grade>().is_err());
        assert_eq!(serde_json::to_string(&g("C3")).unwrap(), "\"C3\"");
        assert_eq!(serde_json::from_str::<Grade>("\"E4\"").unwrap(), g("E4"));
    }

    #[test]
    fn three_independent_sources_confirm_whatever_the_channels() {
        assert_eq!(suggest_grade(3, &[F, F, F]), g("F1"));
        assert_eq!(suggest_grade(5, &[C, F, D]), g("C1"));
    }

    #[test]
    fn two_sources_confirm_only_with_a_reliable_channel() {
        assert_eq!(suggest_grade(2, &[B, F]), g("B1"));
        assert_eq!(suggest_grade(2, &[C, D]), g("C2"));
        assert_eq!(suggest_grade(2, &[F, F]), g("F2"));
    }

    #[test]
    fn a_single_source_is_as_credible_as_its_channel() {
        assert_eq!(suggest_grade(1, &[A]), g("A2"));
        assert_eq!(suggest_grade(1, &[C]), g("C3"));
        assert_eq!(suggest_grade(1, &[E]), g("E4"));
        assert_eq!(suggest_grade(1, &[F]), g("F6"));
        assert_eq!(suggest_grade(1, &[]), g("F6"));
    }

    #[test]
    fn the_best_graded_channel_sets_reliability() {
        assert_eq!(suggest_grade(1, &[F, D, B, E]).reliability, B);
    }
}
