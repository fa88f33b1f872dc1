//! Which event types may describe one incident.
//!
//! Two witnesses of one gathering code it differently: one saw a peaceful march, the other
//! the moment tyres were set alight; one saw police fire on a crowd, the other "gunmen" shoot
//! at mourners. Those are the pairs the table admits. Everything else of different
//! `event_type` is a different incident: a protest and an arrest campaign in one city on one
//! day are two events, as the codebook counts them.
//!
//! | one member | may join | why |
//! |---|---|---|
//! | any type | the same `event_type`, any sub-type | sub-types are the witnesses' view of one event |
//! | Protests, any | Riots / Violent demonstration | a demonstration that turned violent, seen before and after |
//! | Protests / Excessive force against protesters | Violence against civilians / Attack | the codebook allows either for shooting into a crowd |
//!
//! Rationale: `Strategic developments / Arrests` is *not* paired with protests: the codebook
//! reserves it for arrests outside a demonstration, so a witness who codes it is describing
//! something else, and an arrest raid the same night is a separate event worth keeping.

use unrest_text::fold_key;

/// One side of a compatible pair: `"Event type/Sub-event type"`, or `"Event type/*"` for any
/// sub-type. Matched on folded text, so case and spacing do not matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypePattern {
    event_type: String,
    sub_event_type: Option<String>,
}

impl TypePattern {
    pub fn parse(s: &str) -> TypePattern {
        let (t, sub) = s.split_once('/').unwrap_or((s, "*"));
        TypePattern {
            event_type: fold_key(t),
            sub_event_type: (sub.trim() != "*").then(|| fold_key(sub)),
        }
    }

    fn matches(&self, event_type: &str, sub_event_type: &str) -> bool {
        self.event_type == event_type
            && self
                .sub_event_type
                .as_deref()
                .is_none_or(|s| s == sub_event_type)
    }
}

/// The default table of cross-type pairs (same `event_type` is always compatible).
pub fn default_pairs() -> Vec<(TypePattern, TypePattern)> {
    [
        ("Protests/*", "Riots/Violent demonstration"),
        (
            "Protests/Excessive force against protesters",
            "Violence against civilians/Attack",
        ),
    ]
    .into_iter()
    .map(|(a, b)| (TypePattern::parse(a), TypePattern::parse(b)))
    .collect()
}

/// Whether two (folded) kinds may be one incident under `pairs`.
pub(crate) fn compatible(
    pairs: &[(TypePattern, TypePattern)],
    (t1, s1): (&str, &str),
    (t2, s2): (&str, &str),
) -> bool {
    t1 == t2
        || pairs.iter().any(|(a, b)| {
            (a.matches(t1, s1) && b.matches(t2, s2)) || (a.matches(t2, s2) && b.matches(t1, s1))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(a: &str, b: &str) -> bool {
        let (t1, s1) = a.split_once('/').unwrap();
        let (t2, s2) = b.split_once('/').unwrap();
        compatible(
            &default_pairs(),
            (&fold_key(t1), &fold_key(s1)),
            (&fold_key(t2), &fold_key(s2)),
        )
    }

    #[test]
    fn the_compatibility_table() {
        assert!(ok(
            "Protests/Peaceful protest",
            "Protests/Protest with intervention"
        ));
        assert!(ok(
            "Riots/Violent demonstration",
            "Protests/Peaceful protest"
        ));
        assert!(ok(
            "Violence against civilians/Attack",
            "Protests/Excessive force against protesters"
        ));
        assert!(!ok("Riots/Mob violence", "Protests/Peaceful protest"));
        assert!(!ok(
            "Violence against civilians/Attack",
            "Protests/Peaceful protest"
        ));
        assert!(!ok(
            "Strategic developments/Arrests",
            "Protests/Protest with intervention"
        ));
    }
}
