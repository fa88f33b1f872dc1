//! One report read once: its folded text, tokens, rule phrases, places and dates, with the
//! questions the coding rules ask of them (is this word negated, is this place a scene or
//! someone's home town, which clause is this).

use crate::lexicon::{Cat, Hit, Lexicon, Sep, Token};
use crate::rules::Language;
use chrono::NaiveDate;
use unrest_dates::DateMention;
use unrest_gazetteer::{Gazetteer, PlaceId, PlaceKind};
use unrest_text::Folded;

/// What a place mention is to the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Where something happened (or may have).
    Scene,
    /// A person's origin, a reporter's seat, a city others show solidarity with.
    Origin,
    /// Where a person lives ("ساکن مشهد"): the scene of a killing or wounding that names
    /// no other place.
    Residence,
    /// A province named as the area a report covers ("در استان های کرمان و …"): its
    /// towns are the scenes.
    Area,
    /// Part of a company's or an institution's name ("Karun Sugar Company", "Baft
    /// petrochemicals"): the scene only when the report names no other place.
    Name,
}

/// A place named in the report.
#[derive(Debug, Clone)]
pub struct PlaceMention {
    pub first: usize,
    pub last: usize,
    pub candidates: Vec<PlaceId>,
    pub role: Role,
    /// Followed or preceded by "province"/"استان": the province is meant.
    pub province_word: bool,
    /// Preceded by "near": precision 2.
    pub near: bool,
}

/// A date named in the report, on token boundaries.
#[derive(Debug, Clone)]
pub struct DateAt {
    pub first: usize,
    pub last: usize,
    pub mention: DateMention,
}

pub struct Doc<'a> {
    pub original: &'a str,
    pub folded: Folded,
    pub tokens: Vec<Token>,
    pub hits: Vec<Hit>,
    /// For each token, the hit covering it.
    hit_of: Vec<u32>,
    pub places: Vec<PlaceMention>,
    pub dates: Vec<DateAt>,
    date_of: Vec<bool>,
    /// For each token, whether a place mention covers it.
    place_of: Vec<bool>,
    /// For each token, the first token of its clause (see [`Doc::clause_start`]) and the
    /// first token at or after it that ends a sentence: computed once, so that look-backs
    /// cost the same in a long run-on text as in a short one.
    clause_of: Vec<u32>,
    sentence_of: Vec<u32>,
    sentence_stop: Vec<u32>,
    /// The hits that keep a running tally, in text order.
    tallies: Vec<usize>,
    /// For each token `i`, the last token before it where a clause-break (and a
    /// conjunction) hit starts, or `u32::MAX`.
    break_before: Vec<u32>,
    conjunction_before: Vec<u32>,
    /// Whether `places` and `dates` are in text order (by `first`): then a token range's
    /// mentions are found by binary search instead of a scan of all of them.
    places_sorted: bool,
    dates_sorted: bool,
    pub lang: &'a Language,
    pub gazetteer: &'a Gazetteer,
}

const NO_HIT: u32 = u32::MAX;

impl<'a> Doc<'a> {
    pub fn read(
        original: &'a str,
        lang: &'a Language,
        gazetteer: &'a Gazetteer,
        reference: NaiveDate,
    ) -> Doc<'a> {
        let folded = Folded::new(original);
        let tokens = crate::lexicon::tokenize(&folded, original);
        let hits = lang.lexicon.scan(folded.as_str(), &tokens);
        let mut hit_of = vec![NO_HIT; tokens.len()];
        for (h, hit) in hits.iter().enumerate() {
            for slot in &mut hit_of[hit.first..hit.last] {
                *slot = h as u32;
            }
        }
        let mut clause_of = vec![0u32; tokens.len()];
        for i in 1..tokens.len() {
            clause_of[i] = if tokens[i].sep >= Sep::Comma {
                i as u32
            } else {
                clause_of[i - 1]
            };
        }
        let mut sentence_of = vec![0u32; tokens.len()];
        for i in 1..tokens.len() {
            sentence_of[i] = if tokens[i].sep >= Sep::Colon {
                i as u32
            } else {
                sentence_of[i - 1]
            };
        }
        let mut sentence_stop = vec![tokens.len() as u32; tokens.len()];
        for i in (0..tokens.len()).rev() {
            sentence_stop[i] = if tokens[i].sep >= Sep::Colon {
                i as u32
            } else {
                sentence_stop
                    .get(i + 1)
                    .copied()
                    .unwrap_or(tokens.len() as u32)
            };
        }
        // "نیروهای آمریکایی … حمله کردند": the attacker's forces with an attack word in
        // their sentence tell of a strike.
        let mut hits = hits;
        for h in 0..hits.len() {
            if !hits[h].has(Cat::Attacker) {
                continue;
            }
            let i = hits[h].first;
            let a = sentence_of[i] as usize;
            let mut b = sentence_stop
                .get(i + 1)
                .map_or(tokens.len(), |&b| b as usize);
            // "ارتش آمریکا شب گذشته به ۹ شهر / در استان خوزستان حمله کرد": channels break
            // lines mid-sentence; a line that ends with no mark goes on in the next.
            if b < tokens.len()
                && tokens[b].sep == Sep::Line
                && !folded
                    .as_str()
                    .get(tokens[b - 1].end..tokens[b].start)
                    .is_none_or(|gap| gap.contains(['.', '!', '?', '؟']))
            {
                b = sentence_stop
                    .get(b + 1)
                    .map_or(tokens.len(), |&b| b as usize);
            }
            let from = hits.partition_point(|o| o.first < a);
            let attack = (from..hits.len())
                .take_while(|&k| hits[k].first < b)
                .any(|k| {
                    k != h
                        && hits[k].last <= b
                        && [Cat::Shelling, Cat::Explosive, Cat::Attack, Cat::Assault]
                            .iter()
                            .any(|&c| hits[k].has(c))
                });
            if attack {
                hits[h].add(crate::lexicon::Meaning {
                    cat: Cat::Shelling,
                    value: 0,
                });
            }
        }
        let tallies: Vec<usize> = (0..hits.len())
            .filter(|&h| hits[h].has(Cat::Tally))
            .collect();
        let before = |cat: Cat| -> Vec<u32> {
            let mut out = vec![u32::MAX; tokens.len()];
            let mut last = u32::MAX;
            let mut h = 0;
            for (i, slot) in out.iter_mut().enumerate() {
                *slot = last;
                while h < hits.len() && hits[h].first <= i {
                    if hits[h].first == i && hits[h].has(cat) {
                        last = i as u32;
                    }
                    h += 1;
                }
            }
            out
        };
        let break_before = before(Cat::ClauseBreak);
        let conjunction_before = before(Cat::Conjunction);
        let mut doc = Doc {
            original,
            folded,
            tokens,
            hits,
            hit_of,
            places: Vec::new(),
            dates: Vec::new(),
            date_of: Vec::new(),
            place_of: Vec::new(),
            clause_of,
            sentence_of,
            sentence_stop,
            tallies,
            break_before,
            conjunction_before,
            places_sorted: false,
            dates_sorted: false,
            lang,
            gazetteer,
        };
        // A link's caption ("اعتراض های چهارشنبه ۱۷ دی:@", the channel's handle on the next
        // line): its date is the linked post's, not this report's.
        let captions: Vec<bool> = doc
            .folded
            .as_str()
            .split('\n')
            .map(|l| l.trim_end().ends_with('@'))
            .collect();
        doc.dates = unrest_dates::find_dates(doc.folded.as_str(), reference)
            .into_iter()
            .filter_map(|m| {
                let (first, last) = doc.token_range(m.start, m.end)?;
                let line = doc.tokens[first].line as usize;
                if captions.get(line).copied().unwrap_or(false) {
                    return None;
                }
                Some(DateAt {
                    first,
                    last,
                    mention: m,
                })
            })
            .collect();
        doc.date_of = vec![false; doc.tokens.len()];
        for d in &doc.dates {
            for slot in &mut doc.date_of[d.first..d.last] {
                *slot = true;
            }
        }
        doc.places = doc.find_places();
        doc.place_of = vec![false; doc.tokens.len()];
        for p in &doc.places {
            for slot in &mut doc.place_of[p.first..p.last] {
                *slot = true;
            }
        }
        doc.places_sorted = doc.places.windows(2).all(|w| w[0].first <= w[1].first);
        doc.dates_sorted = doc.dates.windows(2).all(|w| w[0].first <= w[1].first);
        doc
    }

    /// The place mentions within tokens `first..last`, in `places` order.
    pub fn places_within(
        &self,
        first: usize,
        last: usize,
    ) -> impl Iterator<Item = &PlaceMention> + '_ {
        let from = if self.places_sorted {
            self.places.partition_point(|p| p.first < first)
        } else {
            0
        };
        let sorted = self.places_sorted;
        self.places[from..]
            .iter()
            .take_while(move |p| !sorted || p.first < last)
            .filter(move |p| p.first >= first && p.last <= last)
    }

    /// The dates within tokens `first..last`, in `dates` order.
    pub fn dates_within(&self, first: usize, last: usize) -> impl Iterator<Item = &DateAt> + '_ {
        let from = if self.dates_sorted {
            self.dates.partition_point(|d| d.first < first)
        } else {
            0
        };
        let sorted = self.dates_sorted;
        self.dates[from..]
            .iter()
            .take_while(move |d| !sorted || d.first < last)
            .filter(move |d| d.first >= first && d.last <= last)
    }

    /// The hits (by index) within tokens `first..last`: hits are in text order and do not
    /// overlap, so a binary search finds the first.
    fn hits_within(&self, first: usize, last: usize) -> impl Iterator<Item = usize> + '_ {
        let from = self.hits.partition_point(|h| h.first < first);
        (from..self.hits.len())
            .take_while(move |&h| self.hits[h].first < last)
            .filter(move |&h| self.hits[h].last <= last)
    }

    pub fn text(&self) -> &str {
        self.folded.as_str()
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lang.lexicon
    }

    pub fn word(&self, i: usize) -> &str {
        let t = &self.tokens[i];
        &self.folded.as_str()[t.start..t.end]
    }

    pub fn hit_at(&self, i: usize) -> Option<usize> {
        self.hit_of
            .get(i)
            .copied()
            .filter(|&h| h != NO_HIT)
            .map(|h| h as usize)
    }

    pub fn hit_starting_at(&self, i: usize) -> Option<usize> {
        self.hit_at(i).filter(|&h| self.hits[h].first == i)
    }

    pub fn in_place(&self, i: usize) -> bool {
        self.place_of.get(i).copied().unwrap_or(false)
    }

    pub fn in_date(&self, i: usize) -> bool {
        self.date_of.get(i).copied().unwrap_or(false)
    }

    /// The tokens covering folded bytes `start..end`.
    pub fn token_range(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let first = self.tokens.partition_point(|t| t.end <= start);
        let last = self.tokens.partition_point(|t| t.start < end);
        (first < last).then_some((first, last))
    }

    /// The byte span of the original text that tokens `first..last` came from.
    pub fn span(&self, first: usize, last: usize) -> (usize, usize) {
        if first >= last || last > self.tokens.len() {
            return (0, 0);
        }
        self.folded
            .original_span(self.tokens[first].start, self.tokens[last - 1].end)
    }

    /// The original words of tokens `first..last`.
    pub fn original_words(&self, first: usize, last: usize) -> &str {
        let (s, e) = self.span(first, last);
        &self.original[s..e]
    }

    /// A place in capitals opening the report, then a comma and a date: a wire dateline
    /// ("TEHRAN, Nov 3 (Wire) -"), not a heading written as "Rasht, 8 October:".
    fn is_wire_dateline(&self, m: &PlaceMention) -> bool {
        m.role == Role::Scene && self.dateline_shape(m)
    }

    /// Whether the date at token `first` is a wire dateline's: the day of the report.
    pub fn in_wire_dateline(&self, first: usize) -> bool {
        self.places
            .first()
            .is_some_and(|m| m.last == first && self.dateline_shape(m))
    }

    fn dateline_shape(&self, m: &PlaceMention) -> bool {
        let name = self.original_words(m.first, m.last);
        m.first == 0
            && self.tokens.get(m.last).is_some_and(|t| t.sep == Sep::Comma)
            && self.date_of.get(m.last).copied().unwrap_or(false)
            && name.chars().filter(|c| c.is_alphabetic()).count() >= 3
            && !name.chars().any(char::is_lowercase)
    }

    /// The first token of the clause token `i` stands in.
    pub fn clause_start(&self, i: usize) -> usize {
        self.clause_of.get(i).map_or(i, |&j| j as usize)
    }

    /// The last token in `floor..i` where a hit of `cat` (a clause break or a conjunction)
    /// starts.
    pub fn hit_start_before(&self, cat: Cat, floor: usize, i: usize) -> Option<usize> {
        let table = match cat {
            Cat::ClauseBreak => &self.break_before,
            Cat::Conjunction => &self.conjunction_before,
            _ => {
                return (floor..i).rev().find(|&j| {
                    self.hit_starting_at(j)
                        .is_some_and(|p| self.hits[p].has(cat))
                })
            }
        };
        table
            .get(i)
            .map(|&j| j as usize)
            .filter(|&j| j != u32::MAX as usize && j >= floor)
    }

    /// The hits (by index) that lie wholly within tokens `first..last`.
    pub fn hits_in(&self, first: usize, last: usize) -> impl Iterator<Item = usize> + '_ {
        self.hits_within(first, last)
    }

    /// Whether hit `h` is negated: a negation word before it in its clause ("nobody was
    /// hurt", "no clashes", "did not intervene"), or a negated verb right after it
    /// ("زخمی نشد").
    pub fn negated(&self, h: usize) -> bool {
        self.negation_before(h).is_some() || self.negation_after(h).is_some()
    }

    fn negation_before(&self, h: usize) -> Option<usize> {
        let first = self.hits[h].first;
        let floor = first.saturating_sub(4).max(self.clause_start(first));
        (floor..first).rev().find(|&j| {
            self.hit_at(j)
                .is_some_and(|n| self.hits[n].has(Cat::Negation))
        })
    }

    fn negation_after(&self, h: usize) -> Option<usize> {
        let last = self.hits[h].last;
        (last..(last + 3).min(self.tokens.len()))
            .take_while(|&j| self.tokens[j].sep < Sep::Comma)
            .find(|&j| {
                self.hit_at(j)
                    .is_some_and(|n| self.hits[n].has(Cat::NegationAfter))
            })
            .map(|j| self.hits[self.hit_at(j).unwrap_or(h)].last)
    }

    /// The tokens of a negated phrase with its negation, for evidence.
    pub fn negation_span(&self, h: usize) -> (usize, usize) {
        let hit = &self.hits[h];
        let first = self.negation_before(h).unwrap_or(hit.first);
        let last = self.negation_after(h).unwrap_or(hit.last);
        (first, last)
    }

    /// Whether a casualty word tells of an earlier event: "the funeral of a man killed two
    /// days earlier", "after the execution of two protesters".
    pub fn of_earlier_event(&self, h: usize) -> bool {
        let hit = &self.hits[h];
        let floor = hit
            .first
            .saturating_sub(8)
            .max(self.clause_start(hit.first));
        // "پس از ۱۰ روز … جان باخت": "after" with a stretch of time is a delay, not an
        // earlier event.
        let delay = |p: usize| {
            let end = self.hits[p].last;
            (end..(end + 4).min(self.tokens.len()))
                .take_while(|&j| self.tokens[j].sep < Sep::Comma)
                .any(|j| {
                    self.hit_at(j)
                        .is_some_and(|d| self.hits[d].has(Cat::Duration))
                })
        };
        // "در پی تیراندازی افراد مسلح … کشته": "after" with the shooting is the death's
        // cause, not an earlier event.
        let cause = |p: usize| {
            let end = self.hits[p].last;
            self.hit_at(end).is_some_and(|d| {
                let next = &self.hits[d];
                next.first == end
                    && (next.has(Cat::Lethal)
                        || next.has(Cat::Shelling)
                        || next.has(Cat::Explosive))
            })
        };
        let before = (floor..hit.first).any(|j| {
            self.hit_at(j)
                .is_some_and(|p| self.hits[p].has(Cat::Past) && !delay(p) && !cause(p))
        });
        let after = (hit.last..(hit.last + 5).min(self.tokens.len()))
            .take_while(|&j| self.tokens[j].sep < Sep::Comma)
            .any(|j| self.hit_at(j).is_some_and(|p| self.hits[p].has(Cat::Past)));
        before || after
    }

    /// Court and prison news: the report's first line tells of a sentence, an execution,
    /// a court or a prison, and of no gathering. Its arrests and protests are background
    /// (the codebook codes neither a sentence nor an execution as a protest).
    pub fn is_court_news(&self) -> bool {
        let Some(mut line) = self.tokens.first().map(|t| t.line) else {
            return false;
        };
        let mut end = self.tokens.partition_point(|t| t.line == line);
        // "سپیده قلیان:" on a line of its own: a byline, and the line after it is the first
        // that tells anything.
        let byline = end <= 4 && {
            let from = self.tokens[end - 1].end;
            let to = self.tokens.get(end).map_or(self.text().len(), |t| t.start);
            self.text()[from..to].contains(':')
        };
        if byline && end < self.tokens.len() {
            line = self.tokens[end].line;
            end = self.tokens.partition_point(|t| t.line <= line);
        }
        let judicial_at = self.hits[..]
            .iter()
            .find(|h| h.last <= end && h.has(Cat::Judicial))
            .map(|h| h.first);
        let judicial = judicial_at.is_some();
        // "معترض ۱۸ ساله": a protester named is no gathering. Violence after the court's
        // words is the charge ("به اتهام «آتش زدن مسجد»"), not a riot reported.
        let gathering = self.hits.iter().enumerate().any(|(h, hit)| {
            let charge = judicial_at.is_some_and(|j| j < hit.first);
            // "اعدام X؛ از بازداشت شدگان اعتراضات": protests named as the background.
            hit.last <= end
                && (hit.has(Cat::Protest) && !hit.has(Cat::Person) && !hit.has(Cat::Background)
                    || hit.has(Cat::Strike)
                    || hit.has(Cat::Riot) && !charge)
                && !self.negated(h)
        });
        judicial && !gathering
    }

    /// Whether a casualty word stands in a sentence that keeps a running tally ("تا کنون
    /// ۱۳۸ نفر … کشته"): a national figure, not this event's count, unless the sentence
    /// names the one event it counts ("در این حمله").
    pub fn in_tally(&self, h: usize) -> bool {
        let hit = &self.hits[h];
        let a = self.sentence_of[hit.first] as usize;
        let b = self
            .sentence_stop
            .get(hit.last)
            .map_or(self.tokens.len(), |&b| b as usize);
        let from = self.tallies.partition_point(|&t| self.hits[t].first < a);
        self.tallies[from..]
            .iter()
            .take_while(|&&t| self.hits[t].first < b)
            .any(|&t| self.hits[t].last <= b)
            // "تاکنون دو نفر در این حمله مجروح شده‌اند": so far, in this one event.
            && !self.has_cue(a, b, &[Cat::ThisEvent])
    }

    /// The tokens `first..last` of the sentence token `i` stands in.
    pub fn sentence_span(&self, i: usize) -> (usize, usize) {
        let a = self.sentence_of[i] as usize;
        let b = self
            .sentence_stop
            .get(i + 1)
            .map_or(self.tokens.len(), |&b| b as usize);
        (a, b)
    }

    /// Whether token `i` stands in a question ("were these girls terrorists?"): its
    /// sentence ends with `?` (the folded `؟`). A question asserts nothing, so a rhetorical
    /// one names no one's deeds.
    pub fn in_question(&self, i: usize) -> bool {
        let (_, b) = self.sentence_span(i);
        let from = self.tokens[b - 1].end;
        let to = self.tokens.get(b).map_or(self.text().len(), |t| t.start);
        self.text()[from..to].contains('?')
    }

    /// Whether token `i` stands after a condition in its sentence ("اگر تهران … ارتش آمریکا",
    /// "if the protests go on, …"): a condition asserts nothing, so what follows it in the
    /// sentence has not happened.
    pub fn in_condition(&self, i: usize) -> bool {
        let (a, _) = self.sentence_span(i);
        self.hits_in(a, i)
            .any(|h| self.hits[h].has(Cat::Conditional))
    }

    /// Whether the sentence of token `i` denies what it tells ("ادعای تجمع … تکذیب شد",
    /// "پیگیری‌ها برگزاری تجمع در تهران را تأیید نمی‌کند").
    pub fn in_denial(&self, i: usize) -> bool {
        let (a, b) = self.sentence_span(i);
        self.has_cue(a, b, &[Cat::Denial])
    }

    /// Whether the sentence of token `i` names a place abroad or a foreign institution.
    pub fn names_abroad(&self, i: usize) -> bool {
        let (a, b) = self.sentence_span(i);
        self.has_cue(a, b, &[Cat::Foreign])
    }

    /// Whether the clause of token `i` (between commas and sentence ends) names a place
    /// abroad: "همزمان با تجمع ایرانیان مقیم لندن، … در شیراز کشته شد" is Shiraz's.
    pub fn clause_names_abroad(&self, i: usize) -> bool {
        let a = self.clause_start(i);
        let b = (i + 1..self.tokens.len())
            .find(|&j| self.tokens[j].sep >= Sep::Comma)
            .unwrap_or(self.tokens.len());
        self.has_cue(a, b, &[Cat::Foreign])
    }

    /// Whether token `i` is joined to the token before it by a ZWNJ alone: a part of one
    /// Persian word ("مینه‌سوتا", "منطقه‌ای"), not a word of its own.
    pub fn joined_to_previous(&self, i: usize) -> bool {
        if i == 0 || i >= self.tokens.len() {
            return false;
        }
        let (_, end) = self.span(i - 1, i);
        let (start, _) = self.span(i, i + 1);
        let gap = self.original.get(end..start).unwrap_or("");
        !gap.is_empty() && gap.chars().all(|c| c == '\u{200c}')
    }

    /// Whether the capital's institution at token `i` is where something happens: in a
    /// language whose rules ask for it, only with a gathering in its sentence; never in a
    /// sentence about a place abroad ("وزارت دفاع قطر").
    fn capital_is_scene(&self, i: usize) -> bool {
        if self.names_abroad(i) {
            return false;
        }
        if !self.lang.places.capital_needs_gathering {
            return true;
        }
        let (a, b) = self.sentence_span(i);
        self.has_cue(a, b, &[Cat::Protest, Cat::Strike])
    }

    /// A state ceremony, a pilgrimage or fans in `first..last`, and no gathering named as a
    /// rally there: the crowd there is no demonstration.
    pub fn ceremony_in(&self, first: usize, last: usize) -> bool {
        self.has_cue(first, last, &[Cat::Ceremony]) && !self.has_cue(first, last, &[Cat::Rally])
    }

    /// Whether a cue of any of `cats` stands in tokens `first..last` and is not negated.
    pub fn has_cue(&self, first: usize, last: usize, cats: &[Cat]) -> bool {
        self.hits_within(first, last).any(|h| {
            let hit = &self.hits[h];
            cats.iter().any(|&c| hit.has(c)) && !self.negated(h)
        })
    }

    fn find_places(&self) -> Vec<PlaceMention> {
        let mut out = Vec::new();
        // Asked once: a text with no capitals at all (typed in lowercase) keeps its places.
        let has_capitals = self.tokens.iter().any(|t| t.capitalised);
        let mut found: Vec<(usize, usize, Vec<PlaceId>)> = self
            .gazetteer
            .find_mentions(self.folded.as_str())
            .into_iter()
            .filter_map(|m| {
                let (first, last) = self.token_range(m.start, m.end)?;
                let mut candidates = m.candidates;
                // "Roudbar" is listed for one town but spelled like others: its namesakes by
                // spelling stand after it, for context to choose among (see `choose`).
                let written = &self.folded.as_str()[m.start..m.end];
                if written.is_ascii() {
                    for &id in self.gazetteer.spelling_namesakes(written) {
                        if !candidates.contains(&id) {
                            candidates.push(id);
                        }
                    }
                }
                Some((first, last, candidates))
            })
            .collect();
        if has_capitals {
            found.extend(self.find_other_spellings(&found));
            found.extend(self.find_demonyms(&found));
            found.sort_by_key(|f| f.0);
        }
        let starts: Vec<usize> = found.iter().map(|f| f.0).collect();
        let spans: Vec<(usize, usize)> = found.iter().map(|f| (f.0, f.1)).collect();
        for (first, last, candidates) in found {
            // "مینه‌سوتا", "بنی‌صدر": a part of a word joined by a ZWNJ is no place name
            // (after "بندر‌" it is: "بندر‌کنگ"), nor is a name with more word after it
            // than an ending ("تهران‌ها").
            let part_of_word = self.joined_to_previous(first)
                && !self
                    .hit_at(first - 1)
                    .is_some_and(|h| self.hits[h].has(Cat::PlaceType))
                || self.joined_to_previous(last)
                    && !self
                        .hit_starting_at(last)
                        .is_some_and(|h| self.hits[h].has(Cat::Ending));
            if part_of_word {
                continue;
            }
            // "@Farsna" (read as Farsan), "#Tehran_news": a channel's handle or a tag that
            // goes on past the name is no place ("#اهواز" alone is); nor is a name after an
            // underscore, inside a tag or a handle ("#اخبار_هرمزگان", "@akhbar_khozestan").
            let start = self.tokens[first].start;
            let handle = self.text()[..start].ends_with(['@', '_']);
            let tag_goes_on = self.text()[..start].ends_with('#')
                && self.text()[self.tokens[last - 1].end..].starts_with('_');
            if handle || tag_goes_on {
                continue;
            }
            // A place name inside a rule phrase ("Basij", a weekday) or a date is not a place.
            if (first..last).any(|j| self.in_date(j)) {
                continue;
            }
            if (first..last).all(|j| {
                self.hit_at(j).is_some_and(|h| {
                    let hit = &self.hits[h];
                    !hit.has(Cat::Location)
                        && !hit.has(Cat::Heading)
                        && !hit.has(Cat::CommonName)
                        && hit.first <= first
                        && hit.last >= last
                })
            }) {
                continue;
            }
            // In Latin script, place names are capitalised; a lowercase "sari" is not Sari.
            let latin = self
                .word(first)
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic());
            if latin && !self.tokens[first].capitalised && has_capitals {
                continue;
            }
            if !self.may_be_place(first, last, &candidates, &starts) {
                continue;
            }
            // "Shahid Doran station", "Imam Reza hospital": a district's name that goes on
            // in capitalised words is the first word of a longer name, not the district.
            let district_only = candidates.iter().all(|&id| {
                matches!(
                    self.gazetteer.place(id).kind,
                    PlaceKind::District | PlaceKind::Landmark
                )
            });
            if latin
                && district_only
                && last < self.tokens.len()
                && self.tokens[last].sep <= Sep::Hyphen
                && self.tokens[last].capitalised
                && self.hit_at(last).is_none()
                && !starts.contains(&last)
            {
                continue;
            }
            // "Iraqi Kurdistan", "Turkish Azerbaijan": a name abroad, not Iran's place; "Kooye
            // Ilam": a quarter's name, not the town (in Latin script every name is asked).
            let not_place = latin
                && first > 0
                && self.tokens[first].sep <= Sep::Hyphen
                && self
                    .lexicon()
                    .find_ending_at(self.text(), &self.tokens, first, Cat::NotPlace, 2)
                    .is_some();
            if not_place {
                continue;
            }
            if first > 0
                && self.tokens[first].sep <= Sep::Hyphen
                && self
                    .lexicon()
                    .find_ending_at(self.text(), &self.tokens, first, Cat::Abroad, 2)
                    .is_some()
            {
                continue;
            }
            // "Valiasr street", "Tabriz Street in Tehran": a street named after a place.
            if last < self.tokens.len()
                && self.tokens[last].sep <= Sep::Hyphen
                && self
                    .hit_at(last)
                    .is_some_and(|h| self.hits[h].first == last && self.hits[h].has(Cat::Street))
            {
                continue;
            }
            let province_word = self.province_word_near(first, last);
            let near = first > 0
                && self
                    .lexicon()
                    .find_ending_at(self.text(), &self.tokens, first, Cat::Near, 3)
                    .is_some();
            let role = if self.buried_at(last) || self.launched_from(first, last) {
                Role::Origin
            } else if self.in_province_area(first, &spans) {
                Role::Area
            } else if self.names_an_organisation(last) {
                Role::Name
            } else if self.locates_the_place_before(first, &spans) {
                Role::Area
            } else {
                self.role_of(first)
            };
            out.push(PlaceMention {
                first,
                last,
                candidates,
                role,
                province_word,
                near,
            });
        }
        // A point written as coordinates, as a chat export's shared location is.
        out.extend(self.coordinate_places());
        out.sort_by_key(|m| m.first);
        let mut out = self.keep_placed(out);
        self.drop_parts_named_before_their_city(&mut out);
        // "TEHRAN, Nov 3 (Wire) - … workers at the Abadan refinery walked off the job": a
        // wire dateline is the reporter's seat; the event is there only when the report
        // names no other place.
        if out.first().is_some_and(|m| self.is_wire_dateline(m))
            && out[1..].iter().any(|m| m.role != Role::Origin)
        {
            out[0].role = Role::Origin;
        }
        // "Investors of Arman Alborz institute gathered in front of the parliament": the
        // capital's institution after a location word is the venue; a name with no
        // location word before it is then an organisation's.
        if let Some(venue) = self.capital_venue() {
            // A place in another sentence (a dateline, "Shiraz: …") is not a company's.
            let sentence = self.sentence_of[venue.first];
            if !out.iter().any(|m| {
                m.role == Role::Scene
                    && (self.after_location(m.first) || self.sentence_of[m.first] != sentence)
            }) {
                for m in &mut out {
                    if m.role == Role::Scene {
                        m.role = Role::Name;
                    }
                }
                out.push(venue);
                out.sort_by_key(|m| m.first);
            }
        }
        // A company named after a place is where it is when no other place is named.
        if !out.iter().any(|m| m.role == Role::Scene) {
            for m in &mut out {
                if m.role == Role::Name {
                    m.role = Role::Scene;
                }
            }
        }
        if out.is_empty() {
            out.extend(self.capital_institution());
        }
        // "اصالتا از شهرستان سنقر، استان کرمانشاه": a place set after an origin with a comma
        // (and a word for its kind) is the same origin told more fully.
        for k in 1..out.len() {
            let (prev, m) = (&out[k - 1], &out[k]);
            if prev.role != Role::Origin || m.role != Role::Scene {
                continue;
            }
            // The word for its kind is needed: "farmers from Faryab (Kerman) gathered in
            // front of the governorate" gathered in Kerman.
            let kind = self
                .hit_at(prev.last)
                .filter(|&h| prev.last < m.first && self.hits[h].has(Cat::PlaceType));
            let at = match kind {
                Some(h) => self.hits[h].last,
                None if m.province_word
                    || self
                        .hit_at(m.first)
                        .is_some_and(|h| self.hits[h].has(Cat::PlaceType)) =>
                {
                    prev.last
                }
                None => continue,
            };
            let gap_is_comma = prev.last < self.tokens.len()
                && self.tokens[prev.last].sep == Sep::Comma
                && (prev.last + 1..=m.first.min(self.tokens.len() - 1))
                    .all(|j| self.tokens[j].sep < Sep::Comma);
            if at == m.first && gap_is_comma {
                out[k].role = Role::Origin;
            }
        }
        // "Farmers from Varzaneh protested over water": with no venue named, the place the
        // protesters come from is where they protested. Latin script only: Persian "از" is
        // too many other things.
        let latin = |m: &PlaceMention| self.word(m.first).bytes().all(|b| b.is_ascii_alphabetic());
        if !out.iter().any(|m| m.role == Role::Scene) {
            for m in &mut out {
                let from = m.first > 0
                    && self.tokens[m.first].sep <= Sep::Hyphen
                    && self
                        .hit_at(m.first - 1)
                        .is_some_and(|h| self.hits[h].has(Cat::OriginFrom));
                if m.role == Role::Origin && from && latin(m) {
                    m.role = Role::Scene;
                }
            }
        }
        out
    }

    /// Whether a name the gazetteer knows may be a place here. A name that is also a common
    /// word or a first name ("بهار", "شهریار") needs a word for a kind of place before it
    /// ("شهر بهار") or a place right after it ("نور مازندران"); a small town needs at least
    /// a location word ("در املش"); after an institution's word ("بیمارستان نور", "دیوان
    /// عالی") neither is a place. Names that pass only with a neighbour are settled in
    /// [`Doc::keep_placed`].
    fn may_be_place(
        &self,
        first: usize,
        last: usize,
        candidates: &[PlaceId],
        starts: &[usize],
    ) -> bool {
        let lex = self.lexicon();
        let before = |cat| {
            first > 0
                && self.tokens[first].sep <= Sep::Hyphen
                && lex
                    .find_ending_at(self.text(), &self.tokens, first, cat, 2)
                    .is_some()
        };
        let common = self.is_common_name(first, last);
        let small = self.is_small(candidates);
        if !common && !small {
            return true;
        }
        if before(Cat::NotPlace) {
            return false;
        }
        before(Cat::PlaceType)
            || self.province_word_near(first, last)
            || !common && before(Cat::Location)
            || self.place_follows(last, starts)
    }

    fn is_common_name(&self, first: usize, last: usize) -> bool {
        self.hit_at(first).is_some_and(|h| {
            let hit = &self.hits[h];
            hit.has(Cat::CommonName) && hit.first == first && hit.last == last
        })
    }

    /// Every reading of the name is a town or village below the language's threshold.
    fn is_small(&self, candidates: &[PlaceId]) -> bool {
        let below = self.lang.places.needs_context_below;
        below > 0
            && candidates.iter().all(|&id| {
                let p = self.gazetteer.place(id);
                p.kind == PlaceKind::City && p.population < below
            })
    }

    /// Whether another place name starts right after token `last` ("نور مازندران"), or after
    /// a word that joins a list ("شهرهای بوشهر، جم و خورموج").
    fn place_follows(&self, last: usize, starts: &[usize]) -> bool {
        let joined = || {
            last + 1 < self.tokens.len()
                && self.tokens[last + 1].sep <= Sep::Comma
                && self.hit_at(last).is_some_and(|h| {
                    let hit = &self.hits[h];
                    hit.has(Cat::Conjunction) && hit.first == last && hit.last == last + 1
                })
                && starts.contains(&(last + 1))
        };
        last < self.tokens.len()
            && self.tokens[last].sep <= Sep::Comma
            && (starts.contains(&last) || joined())
    }

    /// Coordinates in decimal degrees ("📍 35.68920, 51.38900", the line a chat import
    /// writes for a shared location): the settlement nearest the point, when one lies within
    /// [`POINT_RADIUS_KM`]; beyond [`POINT_AT_KM`] it is "near" that place (precision 2).
    fn coordinate_places(&self) -> Vec<PlaceMention> {
        let mut out = Vec::new();
        for (start, end, lat, lon) in coordinate_pairs(self.folded.as_str()) {
            let Some((first, last)) = self.token_range(start, end) else {
                continue;
            };
            let Some((place, km)) = self.gazetteer.nearest_settlement(lat, lon) else {
                continue;
            };
            if km > POINT_RADIUS_KM {
                continue;
            }
            out.push(PlaceMention {
                first,
                last,
                candidates: vec![place.id],
                role: Role::Scene,
                province_word: false,
                near: km > POINT_AT_KM,
            });
        }
        out
    }

    /// "گلشهر کرج", "صدف شهریار": a neighbourhood named right before its city is a part
    /// of that city, not a namesake elsewhere; the city alone stays a place.
    fn keep_placed(&self, mut out: Vec<PlaceMention>) -> Vec<PlaceMention> {
        let mut i = 0;
        while i + 1 < out.len() {
            let (a, b) = (&out[i], &out[i + 1]);
            let adjacent = b.first == a.last && self.tokens[b.first].sep <= Sep::Hyphen;
            let city = b
                .candidates
                .iter()
                .any(|&id| matches!(self.gazetteer.place(id).kind, PlaceKind::City));
            let part_of_b = a.candidates.iter().any(|&id| {
                let p = self.gazetteer.place(id);
                // "شهرستان شهریار تهران": a county before its province's capital too.
                matches!(
                    p.kind,
                    PlaceKind::District | PlaceKind::Landmark | PlaceKind::City | PlaceKind::County
                ) && b.candidates.iter().any(|&c| {
                    p.parent_city == Some(c)
                        || p.admin1 == self.gazetteer.place(c).admin1
                            && p.population < self.gazetteer.place(c).population
                })
            });
            if adjacent && city && !part_of_b && self.lang.places.words_before_place > 0 {
                out.remove(i);
                continue;
            }
            i += 1;
        }
        out
    }

    /// "Hayya Surrah, Kooye Alavi and Lashgar Abad in Ahvaz": names listed right before "in"
    /// and a town are parts of that town; a smaller namesake in another province is not
    /// meant. Latin script only (the Persian joint is [`Doc::keep_placed`]).
    fn drop_parts_named_before_their_city(&self, out: &mut Vec<PlaceMention>) {
        let g = self.gazetteer;
        let mut k = 0;
        while k < out.len() {
            let a = &out[k];
            let latin = self.word(a.first).bytes().all(|b| b.is_ascii_alphabetic());
            let city = latin.then(|| self.city_after_list(a.last, out)).flatten();
            let part = city.is_some_and(|b: &PlaceMention| {
                let big = |id: &PlaceId| g.place(*id).population;
                let b_pop = b.candidates.iter().map(big).max().unwrap_or(0);
                a.candidates.iter().all(|&id| {
                    let p = g.place(id);
                    p.population < b_pop
                        && b.candidates.iter().all(|&c| g.place(c).admin1 != p.admin1)
                })
            });
            if part {
                out.remove(k);
            } else {
                k += 1;
            }
        }
    }

    /// The town after a list that goes on from token `at`: commas, "and", capitalised names
    /// and places, then `within` ("in") and a town's name right after the last name.
    fn city_after_list<'m>(
        &self,
        mut at: usize,
        out: &'m [PlaceMention],
    ) -> Option<&'m PlaceMention> {
        let limit = (at + 12).min(self.tokens.len());
        while at < limit {
            let t = &self.tokens[at];
            if t.sep >= Sep::Colon {
                return None;
            }
            let h = self.hit_at(at).map(|h| &self.hits[h]);
            if h.is_some_and(|h| h.has(Cat::Within) && h.first == at) && t.sep <= Sep::Hyphen {
                let next = h.map_or(at + 1, |h| h.last);
                return out.iter().find(|m| {
                    m.first == next
                        && !m.province_word
                        && m.candidates
                            .iter()
                            .any(|&id| self.gazetteer.place(id).kind == PlaceKind::City)
                });
            }
            let listed = t.capitalised && h.is_none_or(|h| h.has(Cat::NotPlace))
                || out.iter().any(|m| m.first <= at && at < m.last);
            let joint = h.is_some_and(|h| h.has(Cat::Conjunction));
            if !listed && !joint {
                return None;
            }
            at = h.filter(|_| joint).map_or(at + 1, |h| h.last);
        }
        None
    }

    /// "Isfahani farmers", "Shirazi workers": a city's adjective before a person word names
    /// the city. Only a town of at least [`DEMONYM_TOWN`] people: smaller ones are more
    /// often family names.
    fn find_demonyms(
        &self,
        found: &[(usize, usize, Vec<PlaceId>)],
    ) -> Vec<(usize, usize, Vec<PlaceId>)> {
        let mut out = Vec::new();
        for i in 0..self.tokens.len().saturating_sub(1) {
            let word = self.word(i);
            let next_is_person = self.tokens[i + 1].sep <= Sep::Hyphen
                && self
                    .hit_starting_at(i + 1)
                    .is_some_and(|h| self.hits[h].has(Cat::Person) || self.hits[h].has(Cat::Crowd));
            if !self.tokens[i].capitalised
                || !next_is_person
                || word.len() < 5
                || !word.ends_with('i')
                || !word.bytes().all(|b| b.is_ascii_alphabetic())
                || self.hit_at(i).is_some()
                || found.iter().any(|f| f.0 <= i && i < f.1)
            {
                continue;
            }
            let ids: Vec<PlaceId> = self
                .gazetteer
                .lookup(&word[..word.len() - 1])
                .into_iter()
                .filter(|&id| {
                    let p = self.gazetteer.place(id);
                    p.kind == PlaceKind::City && p.population >= DEMONYM_TOWN
                })
                .collect();
            if !ids.is_empty() {
                out.push((i, i + 1, ids));
            }
        }
        out
    }

    /// A place mention right after a location word ("in Karaj", "in front of Qazvin's").
    fn after_location(&self, first: usize) -> bool {
        first > 0
            && self.tokens[first].sep <= Sep::Hyphen
            && self
                .lexicon()
                .find_ending_at(self.text(), &self.tokens, first, Cat::Location, 2)
                .is_some()
    }

    /// One of the capital's institutions right after a location word, "the" or one other
    /// word allowed between ("in front of the parliament", "at Iranian parliament").
    fn capital_venue(&self) -> Option<PlaceMention> {
        let (_, hit) = self.hits.iter().enumerate().find(|(h, hit)| {
            hit.has(Cat::Capital)
                && !self.negated(*h)
                && self.capital_is_scene(hit.first)
                && (hit.first.saturating_sub(1)..=hit.first).any(|at| {
                    (at..=hit.first).all(|j| j == 0 || self.tokens[j].sep <= Sep::Hyphen)
                        && self.after_location(at)
                })
        })?;
        self.capital_at(hit.first, hit.last)
    }

    /// Tehran as the scene of the words `first..=last` (the capital or one of its institutions).
    fn capital_at(&self, first: usize, last: usize) -> Option<PlaceMention> {
        let capital = self.gazetteer.lookup("Tehran").first().copied()?;
        Some(PlaceMention {
            first,
            last,
            candidates: vec![capital],
            role: Role::Scene,
            province_word: false,
            near: false,
        })
    }

    /// A report that names no place but one of the country's institutions in the capital
    /// ("in front of the parliament", "the ministry of labour") is set in Tehran.
    fn capital_institution(&self) -> Option<PlaceMention> {
        let (_, hit) = self.hits.iter().enumerate().find(|(h, hit)| {
            hit.has(Cat::Capital) && !self.negated(*h) && self.capital_is_scene(hit.first)
        })?;
        self.capital_at(hit.first, hit.last)
    }

    /// Capitalised Latin words that no listed name matched but that spell a place's name
    /// another way ("Doroud" for Dorud): the longest run of up to three words joined by spaces
    /// or hyphens, the joints "e"/"ye" allowed in lowercase.
    fn find_other_spellings(
        &self,
        found: &[(usize, usize, Vec<PlaceId>)],
    ) -> Vec<(usize, usize, Vec<PlaceId>)> {
        let mut covered = vec![false; self.tokens.len()];
        for (first, last, _) in found {
            for slot in &mut covered[*first..*last] {
                *slot = true;
            }
        }
        let free = |j: usize| {
            !covered[j]
                && !self.in_date(j)
                && self.word(j).bytes().all(|b| b.is_ascii_alphabetic())
                && self
                    .hit_at(j)
                    .is_none_or(|h| self.hits[h].has(Cat::Location))
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.tokens.len() {
            if !self.tokens[i].capitalised || !free(i) {
                i += 1;
                continue;
            }
            let mut last = i + 1;
            while last < self.tokens.len()
                && last < i + 3
                && self.tokens[last].sep <= Sep::Hyphen
                && free(last)
                && (self.tokens[last].capitalised || matches!(self.word(last), "e" | "ye"))
            {
                last += 1;
            }
            let hit = (i + 1..=last).rev().find_map(|end| {
                let words = (i..end).map(|j| self.word(j)).collect::<Vec<_>>().join(" ");
                let ids = self.gazetteer.lookup_spelling(&words);
                if !ids.is_empty() {
                    return Some((end, ids));
                }
                let ids = self.by_consonants(&words, found);
                (!ids.is_empty()).then_some((end, ids))
            });
            match hit {
                Some((end, ids)) => {
                    out.push((i, end, ids));
                    i = end;
                }
                None => i += 1,
            }
        }
        out
    }

    /// Places whose name has the consonants of `words` ("Lanjan" for Lenjan), where context
    /// makes the reading safe: those in the province of a place the report names (`found`),
    /// or, for a name long enough that no English word shares its consonants, any.
    fn by_consonants(&self, words: &str, found: &[(usize, usize, Vec<PlaceId>)]) -> Vec<PlaceId> {
        let ids = self.gazetteer.lookup_consonants(words);
        if ids.is_empty() {
            return ids;
        }
        let g = self.gazetteer;
        let named: Vec<&str> = found
            .iter()
            .filter_map(|(_, _, c)| c.first())
            .map(|&id| g.place(id).admin1.as_str())
            .collect();
        let in_context: Vec<PlaceId> = ids
            .iter()
            .copied()
            .filter(|&id| named.contains(&g.place(id).admin1.as_str()))
            .collect();
        if !in_context.is_empty() {
            return in_context;
        }
        let letters = words.bytes().filter(u8::is_ascii_alphabetic);
        let consonants = letters.filter(|b| !b"aeiou".contains(b)).count();
        if consonants >= LONG_CONSONANTS {
            ids
        } else {
            Vec::new()
        }
    }

    /// "در استان های کرمان و سیستان و بلوچستان": a place in a list right after a plural
    /// province word (only other places and "and" between them).
    fn in_province_area(&self, first: usize, spans: &[(usize, usize)]) -> bool {
        let mut j = first;
        while j > 0 && first - j < 12 && self.tokens[j].sep <= Sep::Comma {
            let k = j - 1;
            let Some(h) = self.hit_at(k) else {
                match spans.iter().find(|&&(a, b)| a <= k && k < b) {
                    Some(&(a, _)) => {
                        j = a;
                        continue;
                    }
                    None => return false,
                }
            };
            let hit = &self.hits[h];
            if hit.has(Cat::ProvinceArea) {
                return true;
            }
            if !hit.has(Cat::Conjunction) && !spans.iter().any(|&(a, b)| a <= k && k < b) {
                return false;
            }
            j = hit.first.min(k);
        }
        false
    }

    /// A crime: a killing for private motives ("قاتل", "انگیزه شخصی") in a report that tells
    /// of no gathering.
    pub fn is_crime(&self) -> bool {
        let crime = self
            .hits
            .iter()
            .enumerate()
            .any(|(h, hit)| hit.has(Cat::Crime) && !self.negated(h));
        let gathering = self.hits.iter().enumerate().any(|(h, hit)| {
            (hit.has(Cat::Protest) && !hit.has(Cat::Person) || hit.has(Cat::Strike))
                && !self.negated(h)
        });
        crime && !gathering
    }

    /// Whether the words right after a place name make it an organisation's name ("Yazd
    /// Tile Company", "Karun Sugar", "Tehran's Shahdad factory" is not: a possessive names
    /// the place the factory is in).
    fn names_an_organisation(&self, last: usize) -> bool {
        last < self.tokens.len()
            && self.tokens[last].sep <= Sep::Hyphen
            && self
                .lexicon()
                .find_at(self.text(), &self.tokens, last, Cat::Organisation)
                .is_some()
    }

    /// "شهر کوچک پره‌سر در رضوانشهر": in Arabic script, a place right after another place
    /// and `within` ("در") says where the first one lies; it is no scene of its own (Latin
    /// script has its own rule, [`Doc::drop_parts_named_before_their_city`]).
    fn locates_the_place_before(&self, first: usize, spans: &[(usize, usize)]) -> bool {
        let arabic = !self.word(first).bytes().any(|b| b.is_ascii_alphabetic());
        arabic
            && first >= 2
            && self.tokens[first].sep == Sep::Space
            && self.tokens[first - 1].sep == Sep::Space
            && self.hit_at(first - 1).is_some_and(|h| {
                let hit = &self.hits[h];
                hit.has(Cat::Within) && hit.first == first - 1 && hit.last == first
            })
            && spans.iter().any(|&(_, last)| last == first - 1)
    }

    /// "پیکر او در دامغان به خاک سپرده شد": a burial verb later in the place's clause. A
    /// casualty word between them tells what happened at the place, and the verb after it
    /// is of a second place: "در اسکله سیریک مصدوم و به بیمارستان میناب منتقل شدند".
    fn buried_at(&self, last: usize) -> bool {
        let casualty = |h: usize| {
            let hit = &self.hits[h];
            hit.first >= last && (hit.has(Cat::Kill) || hit.has(Cat::Injure))
        };
        (last..(last + 10).min(self.tokens.len()))
            .take_while(|&j| j == last || self.tokens[j].sep < Sep::Comma)
            .map(|j| self.hit_at(j))
            .take_while(|h| !h.is_some_and(|h| casualty(h) && !self.hits[h].has(Cat::Burial)))
            .any(|h| h.is_some_and(|h| self.hits[h].has(Cat::Burial)))
    }

    fn province_word_near(&self, first: usize, last: usize) -> bool {
        let after = last < self.tokens.len()
            && self.tokens[last].sep <= Sep::Hyphen
            && self
                .lexicon()
                .find_at(self.text(), &self.tokens, last, Cat::Province)
                .is_some();
        let before = first > 0
            && self.tokens[first].sep <= Sep::Hyphen
            && self
                .lexicon()
                .find_ending_at(self.text(), &self.tokens, first, Cat::Province, 2)
                .is_some();
        after || before
    }

    /// "از بیدگنه موشک زدن": a place after "from" with a launch verb later in its clause is
    /// where a missile left from, not where anything landed.
    fn launched_from(&self, first: usize, last: usize) -> bool {
        let lex = self.lexicon();
        let from = (first.saturating_sub(2)..first).any(|j| {
            lex.find_at(self.text(), &self.tokens, j, Cat::OriginFrom)
                .is_some()
        });
        from && (last..(last + 8).min(self.tokens.len()))
            .take_while(|&j| j == last || self.tokens[j].sep < Sep::Comma)
            .any(|j| {
                self.hit_at(j)
                    .is_some_and(|h| self.hits[h].has(Cat::Launch))
            })
    }

    fn role_of(&self, first: usize) -> Role {
        // "سپاه پاسداران زنجان اعلام کرد": a command's name right before its seat.
        if first > 0
            && self.tokens[first].sep == Sep::Space
            && self
                .lexicon()
                .find_ending_at(self.text(), &self.tokens, first, Cat::Command, 4)
                .is_some()
        {
            return Role::Origin;
        }
        let floor = first.saturating_sub(4).max(self.clause_start(first));
        if (floor..first).any(|j| {
            self.hit_at(j)
                .is_some_and(|h| self.hits[h].has(Cat::Residence))
        }) {
            return Role::Residence;
        }
        if (floor..first).any(|j| {
            self.hit_at(j)
                .is_some_and(|h| self.hits[h].has(Cat::Origin))
        }) {
            return Role::Origin;
        }
        // "a witness from Tabriz", "یک شاهد از تبریز": a person from a place.
        let lex = self.lexicon();
        if let Some(from) = lex.find_ending_at(self.text(), &self.tokens, first, Cat::OriginFrom, 1)
        {
            // "Mahsa Amini, from Saqqez, …": an appositive origin.
            if from > 0
                && self.tokens[from].sep == Sep::Comma
                && self.tokens[first].sep <= Sep::Hyphen
            {
                return Role::Origin;
            }
            if from > 0
                && self.tokens[from].sep <= Sep::Hyphen
                && self.tokens[first].sep <= Sep::Hyphen
                && lex
                    .find_ending_at(self.text(), &self.tokens, from, Cat::Person, 3)
                    .is_some()
            {
                return Role::Origin;
            }
        }
        Role::Scene
    }

    /// The best candidate of a mention, given the provinces in context.
    pub fn choose(&self, m: &PlaceMention, context: &[String]) -> PlaceId {
        let g = self.gazetteer;
        let wanted = |id: &PlaceId| {
            let p = g.place(*id);
            if m.province_word {
                p.kind == PlaceKind::Province
            } else {
                true
            }
        };
        let pool: Vec<PlaceId> = m.candidates.iter().copied().filter(wanted).collect();
        let pool = if pool.is_empty() {
            m.candidates.clone()
        } else {
            pool
        };
        // Context picks a namesake only where it does not trade a place's own name for
        // another's old or alternate one ("Karaj" next to Tehran is Karaj, not Qods).
        let written = std::cell::OnceCell::new();
        let owns = |id: PlaceId| {
            let written =
                written.get_or_init(|| unrest_text::fold_key(self.original_words(m.first, m.last)));
            let p = g.place(id);
            unrest_text::fold_key(&p.name) == *written
                || p.name_fa
                    .split('|')
                    .any(|n| unrest_text::fold_key(n) == *written)
        };
        let best_owns = std::cell::OnceCell::new();
        pool.iter()
            .copied()
            .find(|id| {
                let p = g.place(*id);
                p.kind != PlaceKind::Province
                    && context.iter().any(|c| c == &p.admin1)
                    && (owns(*id) || !*best_owns.get_or_init(|| owns(pool[0])))
            })
            .unwrap_or(pool[0])
    }
}

/// Consonants (vowels aside) a name must have to be read by its consonants alone, with no
/// place of its province named: "Sarepol Zahab" has seven.
const LONG_CONSONANTS: usize = 7;

/// The smallest town whose adjective ("Isfahani") is read as the town.
const DEMONYM_TOWN: u32 = 100_000;

/// A point farther than this from every settlement the gazetteer knows names no place.
const POINT_RADIUS_KM: f64 = 30.0;
/// A point within this distance of a settlement is in it (precision 1).
const POINT_AT_KM: f64 = 5.0;

/// Every "lat, lon" pair in decimal degrees with at least two decimals each ("35.6892,
/// 51.389", "-33.45 , -70.66"), with its byte span, where both are in range. Fewer decimals
/// are too often prices, scores or versions to be read as a point.
fn coordinate_pairs(text: &str) -> Vec<(usize, usize, f64, f64)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let boundary = i == 0 || !(b[i - 1].is_ascii_digit() || b[i - 1] == b'.');
        let Some((lat, after_lat)) = boundary.then(|| decimal(b, i)).flatten() else {
            i += 1;
            continue;
        };
        let mut j = after_lat;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        let comma = if b[j..].starts_with(b",") {
            1
        } else if b[j..].starts_with("،".as_bytes()) {
            "،".len()
        } else {
            0
        };
        if comma == 0 {
            i = after_lat;
            continue;
        }
        j += comma;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        match decimal(b, j) {
            Some((lon, end))
                if (-90.0..=90.0).contains(&lat)
                    && (-180.0..=180.0).contains(&lon)
                    && !b.get(end).is_some_and(|c| c.is_ascii_digit() || *c == b'.') =>
            {
                out.push((i, end, lat, lon));
                i = end;
            }
            _ => i = after_lat,
        }
    }
    out
}

/// A decimal number at `i` with one to three integer digits and at least two decimals.
fn decimal(b: &[u8], i: usize) -> Option<(f64, usize)> {
    let mut j = i;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let int = j;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    if !(1..=3).contains(&(j - int)) || b.get(j) != Some(&b'.') {
        return None;
    }
    j += 1;
    let frac = j;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    if j - frac < 2 {
        return None;
    }
    let v: f64 = std::str::from_utf8(&b[i..j]).ok()?.parse().ok()?;
    Some((v, j))
}
