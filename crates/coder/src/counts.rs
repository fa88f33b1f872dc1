//! Counts of the killed, injured and arrested in a stretch of report.
//!
//! A count belongs to a casualty word ("killed", "زخمی") and is read from the words next to
//! it: before it in a passive sentence ("two were killed", "چهار نفر زخمی شدند"), after it
//! in an active one ("killing two"). Several figures joined by "and" add up ("a boy and at
//! least six others were killed" is 7); a figure after "including" is part of the one
//! before it ("seven people including a child" is 7). Ages ("a nine-year-old boy") are not
//! counts, and a casualty of an earlier event (a funeral, an execution) is not this event's.

use crate::analysis::Doc;
use crate::lexicon::{Cat, Sep};

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Killed,
    Injured,
    Arrested,
}

/// A figure found in the text: tokens `first..last` are its evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    pub n: u32,
    /// From a vague word ("several", "dozens"): the codebook's figure.
    pub vague: bool,
    pub first: usize,
    pub last: usize,
}

/// The counts of one scene.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub killed: Option<Figure>,
    pub injured: Option<Figure>,
    pub arrested: Option<Figure>,
    /// A casualty word for the kind stands in the scene, with or without a figure.
    pub mentioned: [bool; 3],
}

impl Counts {
    pub fn get(&self, k: Kind) -> Option<Figure> {
        match k {
            Kind::Killed => self.killed,
            Kind::Injured => self.injured,
            Kind::Arrested => self.arrested,
        }
    }

    fn slot(&mut self, k: Kind) -> &mut Option<Figure> {
        match k {
            Kind::Killed => &mut self.killed,
            Kind::Injured => &mut self.injured,
            Kind::Arrested => &mut self.arrested,
        }
    }

    /// Keeps the larger definite figure: a report that repeats a count does not add it up.
    fn offer(&mut self, k: Kind, f: Figure) {
        let slot = self.slot(k);
        let better = match slot {
            None => true,
            Some(old) if old.vague && !f.vague => true,
            Some(old) if old.vague == f.vague => f.n > old.n,
            _ => false,
        };
        if better {
            *slot = Some(f);
        }
    }

    /// A figure only where none was found: "nobody was hurt" is 0, unless a figure stands.
    fn offer_zero(&mut self, k: Kind, first: usize, last: usize) {
        let slot = self.slot(k);
        if slot.is_none() {
            *slot = Some(Figure {
                n: 0,
                vague: false,
                first,
                last,
            });
        }
    }
}

fn kind_of(cat: Cat) -> Option<(Kind, bool)> {
    Some(match cat {
        Cat::Kill => (Kind::Killed, false),
        Cat::KillActive => (Kind::Killed, true),
        Cat::Injure => (Kind::Injured, false),
        Cat::InjureActive => (Kind::Injured, true),
        Cat::Arrest => (Kind::Arrested, false),
        Cat::ArrestActive => (Kind::Arrested, true),
        _ => return None,
    })
}

const KIND_INDEX: [Kind; 3] = [Kind::Killed, Kind::Injured, Kind::Arrested];

/// Reads the counts of the hits `hits` (indexes into `doc.hits`) of one scene.
pub fn count(doc: &Doc, hits: &[usize]) -> Counts {
    let mut counts = Counts::default();
    let mut used = Vec::new();
    for &h in hits {
        let hit = &doc.hits[h];
        // Zero phrases: "no casualties", "هیچ درگیری ای گزارش نشد".
        if hit.has(Cat::Casualties) && doc.negated(h) {
            counts.offer_zero(Kind::Killed, hit.first, hit.last);
            counts.offer_zero(Kind::Injured, hit.first, hit.last);
            continue;
        }
        let Some((kind, _)) = hit.meanings().iter().find_map(|m| kind_of(m.cat)) else {
            continue;
        };
        // A word in both lists ("injuring") reads as active: its count follows it.
        let active = hit
            .meanings()
            .iter()
            .any(|m| kind_of(m.cat) == Some((kind, true)));
        counts.mentioned[KIND_INDEX.iter().position(|&k| k == kind).unwrap_or(0)] = true;
        if doc.negated(h) {
            let (first, last) = doc.negation_span(h);
            counts.offer_zero(kind, first, last);
            continue;
        }
        if doc.of_earlier_event(h) || doc.in_tally(h) {
            continue;
        }
        let passive_before = hit.first > 0
            && doc
                .hit_at(hit.first - 1)
                .is_some_and(|p| doc.hits[p].has(Cat::Passive));
        let found = if active {
            forward(doc, hit.last, &used).or_else(|| backward(doc, hit.first, &used))
        } else if passive_before || doc.lang.code == "fa" {
            backward(doc, hit.first, &used).or_else(|| forward(doc, hit.last, &used))
        } else {
            backward(doc, hit.first, &used).or_else(|| forward(doc, hit.last, &used))
        };
        if let Some(mut f) = found {
            used.push((f.first, f.last));
            f.first = f.first.min(hit.first);
            f.last = f.last.max(hit.last);
            counts.offer(kind, f);
        } else if let Some((first, last)) = singular_verb(doc, h) {
            // "Nika, 16, was killed", "پسری کشته شد": a singular verb with no figure is one.
            counts.offer(
                kind,
                Figure {
                    n: 1,
                    vague: false,
                    first,
                    last,
                },
            );
        }
    }
    counts
}

/// The casualty word of hit `h` with a singular verb next to it ("was killed", "کشته
/// شد"): the tokens of both.
fn singular_verb(doc: &Doc, h: usize) -> Option<(usize, usize)> {
    let hit = &doc.hits[h];
    let lex = doc.lexicon();
    let before = (hit.first > 0 && doc.tokens[hit.first].sep <= Sep::Hyphen)
        .then(|| lex.find_ending_at(doc.text(), &doc.tokens, hit.first, Cat::Singular, 1))
        .flatten();
    if let Some(b) = before {
        return Some((b, hit.last));
    }
    // A phrase that ends in the singular verb ("کشته شد"), or the verb right after it.
    if lex
        .find_ending_at(doc.text(), &doc.tokens, hit.last, Cat::Singular, 1)
        .is_some()
    {
        return Some((hit.first, hit.last));
    }
    // "جان خود را در ۲۷ سالگی از دست داد": an age may stand inside the phrase.
    let next = age_aside_end(doc, hit.last).unwrap_or(hit.last);
    let after = next < doc.tokens.len() && doc.tokens[next].sep <= Sep::Hyphen;
    after
        .then(|| lex.find_at(doc.text(), &doc.tokens, next, Cat::Singular))
        .flatten()
        .map(|(len, _)| (hit.first, next + len))
}

/// "در ۲۷ سالگی", "at 27": a location word, a number and an age word starting at token `i`;
/// returns the token after them.
fn age_aside_end(doc: &Doc, i: usize) -> Option<usize> {
    if i + 3 > doc.tokens.len() || doc.tokens[i].sep > Sep::Hyphen {
        return None;
    }
    let is = |j: usize, cat: Cat| doc.hit_at(j).is_some_and(|h| doc.hits[h].has(cat));
    let number = |j: usize| doc.word(j).bytes().all(|b| b.is_ascii_digit()) || is(j, Cat::Number);
    (is(i, Cat::Location)
        && number(i + 1)
        && is(i + 2, Cat::Age)
        && doc.tokens[i + 1].sep <= Sep::Hyphen
        && doc.tokens[i + 2].sep <= Sep::Hyphen)
        .then_some(i + 3)
}

/// One number phrase: its value and tokens.
#[derive(Debug, Clone, Copy)]
struct Num {
    n: u32,
    vague: bool,
    first: usize,
    last: usize,
}

/// Whether token `last - 1` is joined to the next by a ZWNJ alone (one Persian word), the
/// next not a number's part ("بیست‌وپنج").
fn joined_to_next(doc: &Doc, last: usize) -> bool {
    if !doc.joined_to_previous(last) {
        return false;
    }
    let number_part = doc.word(last).starts_with('و')
        || doc
            .hit_starting_at(last)
            .is_some_and(|h| doc.hits[h].has(Cat::Number));
    !number_part
}

/// The number phrase starting at token `i`, if any.
/// The exact figure that ends right before token `i` ("four people"), if any.
pub(crate) fn exact_figure_before(doc: &Doc, i: usize) -> Option<u32> {
    let j = i.checked_sub(1)?;
    if doc.tokens[i].sep > Sep::Hyphen {
        return None;
    }
    number_at(doc, j)
        .filter(|n| !n.vague && n.last == i)
        .map(|n| n.n)
}

fn number_at(doc: &Doc, i: usize) -> Option<Num> {
    let word = doc.word(i);
    if doc.in_date(i) {
        return None;
    }
    let (n, vague, len, article) = if word.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        let digits: String = word.chars().filter(char::is_ascii_digit).collect();
        let n: u32 = digits.parse().ok().filter(|&n| n <= 1_000_000)?;
        (n, false, 1, false)
    } else if let Some(h) = doc.hit_starting_at(i) {
        let hit = &doc.hits[h];
        if let Some(n) = hit.value(Cat::Number) {
            // "در یک مناظره": "one" that is also the article counts only a person.
            if n == 1 && hit.has(Cat::ArticleOne) && !person_follows(doc, hit.last) {
                return None;
            }
            // "هشت‌بنگله", "هفت‌تیر": a number word joined to the next word by a ZWNJ is
            // part of a name, not a count.
            if joined_to_next(doc, hit.last) {
                return None;
            }
            // "twenty five", "بیست و پنج": tens and units.
            let mut n = n;
            let mut last = hit.last;
            if (20..100).contains(&n) && n % 10 == 0 {
                let mut j = last;
                if j < doc.tokens.len() && doc.word(j) == "و" && doc.tokens[j].sep <= Sep::Hyphen {
                    j += 1;
                }
                if j < doc.tokens.len() && doc.tokens[j].sep <= Sep::Hyphen {
                    if let Some(u) = doc
                        .hit_starting_at(j)
                        .and_then(|u| doc.hits[u].value(Cat::Number))
                    {
                        if u < 10 {
                            n += u;
                            last = doc.hits[doc.hit_starting_at(j).unwrap_or(h)].last;
                        }
                    }
                }
            }
            (n, false, last - i, false)
        } else if let Some(n) = hit.value(Cat::Vague) {
            (n, true, hit.last - i, false)
        } else if hit.has(Cat::ArticleOne) {
            (1, false, hit.last - i, true)
        } else {
            return None;
        }
    } else {
        return None;
    };
    let last = i + len;
    // "خیابان ۲۰۲", "بند ۲۰۹", "ساعت ۲۳": a number after a label word names, not counts.
    if i > 0
        && doc.tokens[i].sep <= Sep::Hyphen
        && doc
            .lexicon()
            .find_ending_at(doc.text(), &doc.tokens, i, Cat::Label, 2)
            .is_some()
    {
        return None;
    }
    // An age ("nine-year-old", "۱۶ ساله") is a description of one person, not a count.
    if doc
        .lexicon()
        .find_at(
            doc.text(),
            &doc.tokens,
            last.min(doc.tokens.len().saturating_sub(1)),
            Cat::Age,
        )
        .is_some()
        && last < doc.tokens.len()
        && doc.tokens[last].sep <= Sep::Hyphen
    {
        return None;
    }
    // "پس از ۱۲ روز", "با دو گلوله": a stretch of time or rounds fired count nobody.
    if last < doc.tokens.len()
        && doc.tokens[last].sep <= Sep::Hyphen
        && doc
            .lexicon()
            .find_at(doc.text(), &doc.tokens, last, Cat::Duration)
            .or_else(|| {
                doc.lexicon()
                    .find_at(doc.text(), &doc.tokens, last, Cat::Unit)
            })
            .is_some()
    {
        return None;
    }
    // "دو جوان ۲۳ و ۳۱ ساله", "aged 23 and 31": the first of two ages joined by "and".
    if last + 2 < doc.tokens.len()
        && doc
            .hit_at(last)
            .is_some_and(|h| doc.hits[h].has(Cat::Conjunction))
        && doc.tokens[last + 1].sep <= Sep::Hyphen
        && doc.word(last + 1).chars().all(|c| c.is_ascii_digit())
        && doc.tokens[last + 2].sep <= Sep::Hyphen
        && doc
            .lexicon()
            .find_at(doc.text(), &doc.tokens, last + 2, Cat::Age)
            .is_some()
    {
        return None;
    }
    if article && !person_follows(doc, last) {
        return None;
    }
    // "at least", "about": part of the figure's evidence.
    let first = doc
        .lexicon()
        .find_ending_at(doc.text(), &doc.tokens, i, Cat::AtLeast, 4)
        .filter(|&s| doc.tokens[s + 1..=i].iter().all(|t| t.sep <= Sep::Hyphen))
        .unwrap_or(i);
    Some(Num {
        n,
        vague,
        first,
        last,
    })
}

/// Whether a person word stands within the next few tokens of the clause ("a teenage
/// girl", "a nine-year-old boy").
fn person_follows(doc: &Doc, from: usize) -> bool {
    (from..(from + 5).min(doc.tokens.len()))
        .take_while(|&j| j == from || doc.tokens[j].sep <= Sep::Hyphen)
        .any(|j| {
            doc.lexicon()
                .find_at(doc.text(), &doc.tokens, j, Cat::Person)
                .is_some()
                || doc
                    .lexicon()
                    .find_at(doc.text(), &doc.tokens, j, Cat::Age)
                    .is_some()
        })
}

fn overlaps(used: &[(usize, usize)], first: usize, last: usize) -> bool {
    used.iter().any(|&(a, b)| first < b && a < last)
}

/// Figures before a casualty word, within its clause.
fn backward(doc: &Doc, before: usize, used: &[(usize, usize)]) -> Option<Figure> {
    let mut nums: Vec<Num> = Vec::new();
    let mut including_at: Option<usize> = None;
    // Words since the last figure that join noun phrases ("and", "including"): an earlier
    // figure counts only when joined so ("a boy and six others"), not when it is the
    // object of another verb ("attacked 300 mourners and two were injured").
    let mut joined = false;
    let mut j = before;
    // Persian puts the verb last: the count that is a clause's subject ("دو تن از نیروهای
    // … در پی تیراندازی … کشته") may stand far before it.
    let reach = if doc.lang.code == "fa" { 24 } else { 16 };
    let floor = before.saturating_sub(reach);
    while j > floor {
        if j < before && doc.tokens[j].sep >= Sep::Comma {
            // "Five people, including two children, were killed": step over a
            // parenthetical that starts with "including" to the figure it qualifies.
            let opening = doc.clause_start(j - 1);
            let parenthetical = nums.is_empty()
                && doc.tokens[j].sep == Sep::Comma
                && opening > 0
                && doc.tokens[opening].sep == Sep::Comma
                && doc
                    .hit_starting_at(opening)
                    .is_some_and(|h| doc.hits[h].has(Cat::Including));
            if !parenthetical {
                break;
            }
            j = opening;
        }
        j -= 1;
        if let Some(h) = doc.hit_at(j) {
            let hit = &doc.hits[h];
            if hit.last <= before && hit.meanings().iter().any(|m| kind_of(m.cat).is_some()) {
                break;
            }
            if hit.has(Cat::Including) {
                including_at = Some(j);
                joined = true;
            }
            if hit.has(Cat::Conjunction) {
                joined = true;
            }
        }
        let Some(num) = number_at(doc, j) else {
            continue;
        };
        if num.last > before || overlaps(used, num.first, num.last) {
            continue;
        }
        if let Some(later) = nums.last() {
            // The same figure read again from a later token ("twenty five") is fine;
            // another figure must be joined to the one after it and open its phrase.
            let inside = num.first <= later.first && later.last <= num.last;
            if !(inside || joined && opens_phrase(doc, num.first)) {
                break;
            }
        }
        joined = false;
        nums.push(num);
    }
    combine(nums, including_at)
}

/// Whether a noun phrase can start at token `i`: at a clause start, or after a word that
/// joins phrases.
fn opens_phrase(doc: &Doc, i: usize) -> bool {
    i == 0
        || doc.tokens[i].sep >= Sep::Comma
        || doc.hit_at(i - 1).is_some_and(|h| {
            let hit = &doc.hits[h];
            hit.has(Cat::Conjunction) || hit.has(Cat::Including) || hit.has(Cat::Passive)
        })
}

/// Figures after a casualty word ("killing two", "arrested at least 15 people").
fn forward(doc: &Doc, after: usize, used: &[(usize, usize)]) -> Option<Figure> {
    let end = (after + 5).min(doc.tokens.len());
    let mut j = after;
    while j < end {
        if doc.tokens[j].sep >= Sep::Comma {
            return None;
        }
        if let Some(num) = number_at(doc, j) {
            if overlaps(used, num.first, num.last) {
                return None;
            }
            // "کشته و دو نفر دیگر زخمی شدند": "others" open a new group, counted by the
            // verb after them.
            if (num.last..(num.last + 2).min(doc.tokens.len()))
                .take_while(|&k| doc.tokens[k].sep <= Sep::Hyphen)
                .any(|k| doc.hit_at(k).is_some_and(|h| doc.hits[h].has(Cat::Others)))
            {
                return None;
            }
            // A figure can be followed by more joined with "and": "two men and a woman".
            let mut nums = vec![num];
            let mut k = num.last;
            while k + 1 < doc.tokens.len().min(num.last + 6) && doc.tokens[k].sep <= Sep::Hyphen {
                // "killing 7 people including a boy": what follows "including" is in the 7.
                if doc
                    .hit_at(k)
                    .is_some_and(|h| doc.hits[h].has(Cat::Including))
                {
                    break;
                }
                if let Some(more) = number_at(doc, k) {
                    nums.push(more);
                    k = more.last;
                } else {
                    k += 1;
                }
            }
            nums.reverse();
            return combine(nums, None);
        }
        if let Some(h) = doc.hit_at(j) {
            if doc.hits[h]
                .meanings()
                .iter()
                .any(|m| kind_of(m.cat).is_some())
            {
                return None;
            }
        }
        j += 1;
    }
    None
}

/// Combines the figures of one noun phrase, given from last to first in the text.
fn combine(mut nums: Vec<Num>, including_at: Option<usize>) -> Option<Figure> {
    if nums.is_empty() {
        return None;
    }
    nums.reverse();
    // "twenty five" was read whole and again from "five": keep the widest reading.
    let all = nums.clone();
    nums.retain(|n| {
        !all.iter().any(|o| {
            (o.first, o.last) != (n.first, n.last) && o.first <= n.first && n.last <= o.last
        })
    });
    // After "including", figures are part of the one before: keep what stands before it.
    if let Some(at) = including_at {
        let before: Vec<Num> = nums.iter().copied().filter(|n| n.last <= at).collect();
        if !before.is_empty() {
            nums = before;
        }
    }
    let first = nums[0].first;
    let last = nums[nums.len() - 1].last;
    let definite: Vec<&Num> = nums.iter().filter(|n| !n.vague).collect();
    if definite.is_empty() {
        let n = nums.iter().map(|n| n.n).max().unwrap_or(0);
        return Some(Figure {
            n,
            vague: true,
            first,
            last,
        });
    }
    let n = definite.iter().map(|n| n.n).sum();
    Some(Figure {
        n,
        vague: false,
        first,
        last,
    })
}
