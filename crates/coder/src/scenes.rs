//! Cutting a report into scenes: one place on one day.
//!
//! A document may hold several reports under headings ("Report from Sari—November 28",
//! "Zahedan, Friday September 30", "Rasht, 8 October:", "- Saqqez: …"); text before the
//! first heading is a preamble and yields nothing. A section that moves on ("From there, I
//! went to Kianshahr") or turns to another day becomes several scenes, and scenes of one
//! place and day merge again (the codebook's one event per place per day).

use crate::analysis::{Doc, PlaceMention, Role};
use crate::lexicon::{Cat, Sep};
use chrono::NaiveDate;
use unrest_gazetteer::{PlaceId, PlaceKind};

/// Where a scene happened.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceChoice {
    pub id: PlaceId,
    /// A district the gazetteer does not know, written next to its city ("Naziabad,
    /// Tehran"): its name as written.
    pub district: Option<String>,
    /// Evidence tokens.
    pub first: usize,
    pub last: usize,
    pub near: bool,
}

/// When a scene happened.
#[derive(Debug, Clone, PartialEq)]
pub struct DateChoice {
    pub date: NaiveDate,
    pub precision: u8,
    /// Evidence tokens; `None` when the date is the reference date.
    pub tokens: Option<(usize, usize)>,
}

/// One place on one day: the token ranges that tell of it.
#[derive(Debug, Clone)]
pub struct Scene {
    pub ranges: Vec<(usize, usize)>,
    pub place: PlaceChoice,
    pub date: DateChoice,
    /// The scene goes on from the one before it in its section (another day, another
    /// street): the gathering told of there is still the subject.
    pub continued: bool,
    /// Further places named in a list with the scene's ("in Tehran, Karaj and Isfahan"):
    /// the same happened in each, one event a place. Counts stay with the first place,
    /// since the report does not say how they divide.
    pub also: Vec<PlaceChoice>,
}

struct Section {
    first: usize,
    last: usize,
    /// The heading's tokens: `first..lead_end`.
    lead_end: usize,
    heading: bool,
}

/// The scenes of a report, in text order.
pub fn scenes(doc: &Doc, reference: NaiveDate) -> Vec<Scene> {
    let sections = sections(doc);
    let many = sections.len() > 1;
    let doc_context = provinces_in(doc, 0, doc.tokens.len());
    let mut out: Vec<Scene> = Vec::new();
    for s in &sections {
        let mut context = provinces_in(doc, s.first, s.lead_end);
        context.extend(doc_context.iter().cloned());
        let lead_place = if s.heading {
            place_in(doc, s.first, s.lead_end, &context, true)
        } else {
            None
        };
        let lead_date = if s.heading {
            date_in(doc, s.first, s.lead_end.max(line_end(doc, s.first)))
        } else {
            None
        };
        let fallback_date = DateChoice {
            date: reference,
            precision: if many { 2 } else { 1 },
            tokens: None,
        };
        let body = s.lead_end;
        let mut current: Option<Scene> = None;
        let mut sentence = body;
        while sentence < s.last {
            let end = sentence_end(doc, sentence, s.last);
            let place_here = if current.is_none() {
                let body = place_in(doc, sentence, end, &context, false);
                match (&lead_place, body) {
                    (Some(lead), Some(body)) if refines(doc, lead, &body) => Some(body),
                    (Some(lead), _) => Some(lead.clone()),
                    (None, body) => body,
                }
            } else {
                moved_place(doc, sentence, end, &context, current.as_ref())
            };
            let date_here = sentence_date(doc, sentence, end, current.is_none());
            match &mut current {
                None => {
                    if let Some(mut place) = place_here {
                        // A dateline ("Tehran, November 30, 2022") dates the report, not
                        // the event: the body's own date wins over it.
                        let dateline = lead_date
                            .as_ref()
                            .is_some_and(|d| d.date == reference && doc.tokens[s.first].line == 0);
                        let date = if dateline {
                            date_here.or(lead_date.clone())
                        } else {
                            lead_date.clone().or(date_here)
                        };
                        // "Hundreds rallied on Wednesday. The rallies were held in Ilam …":
                        // a date in the sentences before the first place is the scene's.
                        let date = date
                            .or_else(|| date_before(doc, body, sentence))
                            .or_else(|| date_in(doc, sentence, s.last))
                            .or_else(|| background_month(doc, sentence, end))
                            .unwrap_or_else(|| fallback_date.clone());
                        name_district(doc, &mut place, s.first, end);
                        current = Some(Scene {
                            ranges: vec![(s.first, end)],
                            place,
                            date,
                            continued: false,
                            also: Vec::new(),
                        });
                    }
                }
                Some(scene) => {
                    let new_date = date_here.filter(|d| d.date != scene.date.date);
                    if place_here.is_some() || new_date.is_some() {
                        let moved = place_here.is_some();
                        let place = match place_here {
                            Some(mut p) => {
                                name_district(doc, &mut p, sentence, end);
                                p
                            }
                            None => scene.place.clone(),
                        };
                        let date = new_date
                            .or_else(|| {
                                moved
                                    .then(|| background_month(doc, sentence, end))
                                    .flatten()
                            })
                            .unwrap_or_else(|| scene.date.clone());
                        let done = std::mem::replace(
                            scene,
                            Scene {
                                ranges: vec![(sentence, end)],
                                place,
                                date,
                                continued: true,
                                also: Vec::new(),
                            },
                        );
                        out.push(done);
                    } else {
                        scene.ranges.last_mut().expect("a scene has a range").1 = end;
                    }
                }
            }
            sentence = end;
        }
        if let Some(scene) = current {
            out.push(scene);
        }
    }
    // Each place mention by its last token (the first such), found once for every scene.
    let mut by_last: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for (k, p) in doc.places.iter().enumerate() {
        by_last.entry(p.last).or_insert(k);
    }
    for scene in &mut out {
        province_opens_onto_its_towns(doc, scene, &doc_context);
        scene.also = listed_with(doc, &scene.place, &by_last, &doc_context);
    }
    fold_provinces_into_their_towns(doc, merge_same_place_and_day(out))
}

/// "تجمع مسلحانه مردم در هرمزگان / مردم شهرستان رودان هرمزگان امشب …": a province and,
/// on the same day, a town in it tell of one event, at the town (the codebook codes the
/// most precise place). A province stands alone only when the report names no town in it.
fn fold_provinces_into_their_towns(doc: &Doc, mut scenes: Vec<Scene>) -> Vec<Scene> {
    let g = doc.gazetteer;
    let is_province =
        |s: &Scene| s.place.district.is_none() && g.place(s.place.id).kind == PlaceKind::Province;
    let mut k = 0;
    while k < scenes.len() {
        if !is_province(&scenes[k]) || !scenes[k].also.is_empty() {
            k += 1;
            continue;
        }
        let province = &g.place(scenes[k].place.id).admin1;
        let town = (0..scenes.len()).find(|&j| {
            j != k
                && !is_province(&scenes[j])
                && scenes[j].date.date == scenes[k].date.date
                && g.place(scenes[j].place.id).admin1 == *province
        });
        match town {
            Some(j) => {
                let ranges = std::mem::take(&mut scenes[k].ranges);
                scenes[j].ranges.extend(ranges);
                scenes[j].ranges.sort_unstable();
                scenes.remove(k);
            }
            None => {
                // The town named inside the province's own scene with a word for its kind
                // ("… در هرمزگان / مردم شهرستان رودان …" as one scene) is its place.
                let kind_word = |m: &PlaceMention| {
                    doc.has_cue(m.first, m.last, &[Cat::PlaceType])
                        || m.first > 0 && doc.has_cue(m.first - 1, m.first, &[Cat::PlaceType])
                };
                let inside = scenes[k].ranges.iter().find_map(|&(a, b)| {
                    doc.places_within(a, b).find(|m| {
                        m.role == Role::Scene
                            && kind_word(m)
                            && m.candidates.first().is_some_and(|&id| {
                                let p = g.place(id);
                                p.kind != PlaceKind::Province && p.admin1 == *province
                            })
                    })
                });
                if let Some(m) = inside {
                    scenes[k].place = PlaceChoice {
                        id: m.candidates[0],
                        district: None,
                        first: m.first,
                        last: m.last,
                        near: m.near,
                    };
                }
                k += 1;
            }
        }
    }
    scenes
}

/// The places listed after a scene's place: "Tehran, Karaj and Isfahan", "سنندج، سقز و
/// مریوان". Provinces in the list are context ("Bukan, West Azerbaijan"), not places.
fn listed_with(
    doc: &Doc,
    place: &PlaceChoice,
    by_last: &std::collections::HashMap<usize, usize>,
    doc_context: &[String],
) -> Vec<PlaceChoice> {
    let mut out = Vec::new();
    if place.district.is_some() {
        return out;
    }
    let Some(mut at) = by_last.get(&place.last).copied() else {
        return out;
    };
    // The first place's province, then the provinces the report names elsewhere: a
    // namesake in a list is the one near the others ("Sanandaj, Marivan, Maku and Bukan").
    let mut context: Vec<String> = vec![doc.gazetteer.place(place.id).admin1.clone()];
    context.extend(doc_context.iter().cloned());
    let mut before_admin1 = doc.gazetteer.place(place.id).admin1.clone();
    while let Some(next) = doc.places.get(at + 1) {
        let prev = &doc.places[at];
        // "in Asaluyeh port city and Kangan": words for a kind of place after a name
        // belong to it.
        let mut prev_last = prev.last;
        while prev_last < next.first
            && doc.tokens[prev_last].sep <= Sep::Hyphen
            && doc.hit_at(prev_last).is_some_and(|h| {
                (doc.hits[h].has(Cat::PlaceType) || doc.hits[h].has(Cat::Province))
                    && !doc.hits[h].has(Cat::Conjunction)
            })
        {
            prev_last = doc.hits[doc.hit_at(prev_last).expect("a hit")].last;
        }
        let joined = next.first == prev_last && doc.tokens[next.first].sep == Sep::Comma
            || next.first == prev_last + 1
                && doc.tokens[prev_last].sep <= Sep::Comma
                && doc.tokens[next.first].sep <= Sep::Hyphen
                && doc
                    .hit_at(prev_last)
                    .is_some_and(|h| doc.hits[h].has(Cat::Conjunction));
        // "Isfahan, Fooabad, Semnan and Damghan": a name the gazetteer does not know keeps
        // the list going.
        let conjunction = |j: usize| {
            doc.hit_at(j)
                .is_some_and(|h| doc.hits[h].has(Cat::Conjunction))
        };
        let through_unknown = next.first > prev.last
            && next.first - prev.last <= 3
            && doc.tokens[prev.last].sep == Sep::Comma
            && (prev.last..next.first).all(|j| doc.tokens[j].capitalised || conjunction(j))
            && (doc.tokens[next.first].sep == Sep::Comma || conjunction(next.first - 1));
        // "Ilam and Bushehr provinces as well as southwestern cities of Ahwaz and Abadan,
        // northeastern Gorgan city": words that describe the next place keep the list going
        // when a comma or a conjunction stands among them.
        let described = next.first > prev_last
            && next.first - prev_last <= 8
            && (prev_last..next.first).all(|j| {
                doc.tokens[j].sep <= Sep::Comma
                    && doc.hit_at(j).is_some_and(|h| {
                        let hit = &doc.hits[h];
                        hit.has(Cat::ListFiller) || hit.has(Cat::Conjunction)
                    })
            })
            && (doc.tokens[prev_last].sep == Sep::Comma
                || (prev_last..next.first).any(conjunction))
            && doc.tokens[next.first].sep <= Sep::Comma;
        // "قشم\n🔹\nاهواز\n🔹\nآبادان": bare names on lines of their own, one after another.
        let line_start = |i: usize| i == 0 || doc.tokens[i].sep == Sep::Line;
        let lined = next.first == prev_last
            && line_start(prev.first)
            && line_start(next.first)
            && (next.last == doc.tokens.len() || doc.tokens[next.last].sep == Sep::Line);
        if !(joined || through_unknown || described || lined) || next.role != Role::Scene {
            break;
        }
        // "Javanrud (Kermanshah)": a name in brackets after a place qualifies it.
        let gap = &doc.text()[doc.tokens[prev.last - 1].end..doc.tokens[next.first].start];
        if gap.contains('(') {
            at += 1;
            continue;
        }
        let id = doc.choose(next, &context);
        let p = doc.gazetteer.place(id);
        // "Naziabad, Tehran": the city of a district is context too.
        let parent = doc.gazetteer.place(place.id).parent_city == Some(id);
        // "Bukan, West Azerbaijan" names the province of the place before it; "Kerman,
        // Bushehr and Gilan" or "Ilam and Bushehr provinces" lists provinces, each an event
        // at its capital.
        let province = p.kind == PlaceKind::Province || next.province_word;
        let qualifies = province && p.admin1 == before_admin1;
        // A bare name on a line of its own qualifies nothing: it is the list's next place.
        if !lined && (qualifies || p.kind == PlaceKind::County && !province || parent) {
            // "Soltanabad, Ramhormoz County, Khuzestan Province": a county names the
            // province that follows it too.
            if p.kind == PlaceKind::County {
                before_admin1 = p.admin1.clone();
            }
            at += 1;
            continue;
        }
        before_admin1 = p.admin1.clone();
        // "Fereydan and Daran": a county and its seat are one point, one event.
        let first = doc.gazetteer.place(place.id);
        let seat_of_county = (first.kind == PlaceKind::County) != (p.kind == PlaceKind::County)
            && first.lat == p.lat
            && first.lon == p.lon;
        if id != place.id && !seat_of_county && !out.iter().any(|o: &PlaceChoice| o.id == id) {
            out.push(PlaceChoice {
                id,
                district: None,
                first: next.first,
                last: next.last,
                near: next.near,
            });
        }
        at += 1;
    }
    out
}

/// "ارتش آمریکا … به ۹ شهر در استان خوزستان حمله کرد : اهواز، آبادان …": a province
/// whose sentence opens with a colon onto towns of it is no scene of its own; the towns are,
/// the first of them leading the list.
fn province_opens_onto_its_towns(doc: &Doc, scene: &mut Scene, context: &[String]) {
    let province = doc.gazetteer.place(scene.place.id);
    if province.kind != PlaceKind::Province || scene.place.district.is_some() {
        return;
    }
    // A colon ends the province's sentence; the towns open the next.
    let (_, at) = doc.sentence_span(scene.place.first);
    if at >= doc.tokens.len() || doc.tokens[at].sep != Sep::Colon {
        return;
    }
    let Some(m) = doc
        .places_within(at, (at + 3).min(doc.tokens.len()))
        .find(|m| m.first == at && m.role == Role::Scene)
    else {
        return;
    };
    let id = doc.choose(m, context);
    let p = doc.gazetteer.place(id);
    if p.admin1 == province.admin1 && matches!(p.kind, PlaceKind::City | PlaceKind::District) {
        scene.place = PlaceChoice {
            id,
            district: None,
            first: m.first,
            last: m.last,
            near: m.near,
        };
    }
}

/// The codebook's one event per place per day: scenes of one place and date become one.
fn merge_same_place_and_day(scenes: Vec<Scene>) -> Vec<Scene> {
    let mut out: Vec<Scene> = Vec::new();
    // Where each place and day already is in `out`: one look-up per scene, however many.
    let mut at: std::collections::HashMap<(PlaceId, Option<String>, NaiveDate), usize> =
        std::collections::HashMap::new();
    for s in scenes {
        let key = (s.place.id, s.place.district.clone(), s.date.date);
        match at.get(&key) {
            Some(&i) => out[i].ranges.extend(s.ranges),
            None => {
                at.insert(key, out.len());
                out.push(s);
            }
        }
    }
    out
}

fn line_end(doc: &Doc, i: usize) -> usize {
    let line = doc.tokens[i].line;
    i + doc.tokens[i..]
        .iter()
        .take_while(|t| t.line == line)
        .count()
}

/// The end of the sentence starting at `i` (a sentence end or a line break).
fn sentence_end(doc: &Doc, i: usize, limit: usize) -> usize {
    let mut j = i + 1;
    while j < limit && doc.tokens[j].sep < Sep::Colon {
        j += 1;
    }
    j
}

/// Sections: a heading line (or a heading before `:`/`—` at a line's start) opens one.
fn sections(doc: &Doc) -> Vec<Section> {
    let n = doc.tokens.len();
    let mut heads: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < n {
        let end = line_end(doc, i);
        if let Some(lead_end) = heading_at(doc, i, end) {
            heads.push((i, lead_end));
        }
        i = end;
    }
    // A heading heads something: a short last line with a place ("چهارمحال بختیاری و
    // لرستانم همینه", a reply's "same here") makes no preamble of the text before it.
    if heads.last().is_some_and(|&(_, lead_end)| lead_end >= n) {
        heads.pop();
    }
    // "شهرهای مورد حمله قرار گرفته:\n🔹\nقشم\n🔹\nاهواز": lines that are each a bare place
    // name, one after another, are a list of what the text before them tells of, not
    // headings of their own.
    let bare = |&(first, lead_end): &(usize, usize)| {
        lead_end == line_end(doc, first) && lead_end - first <= 3
    };
    let listed: Vec<bool> = (0..heads.len())
        .map(|k| {
            let next = heads
                .get(k + 1)
                .is_some_and(|h| line_end(doc, heads[k].0) == h.0);
            let prev = k > 0 && line_end(doc, heads[k - 1].0) == heads[k].0;
            bare(&heads[k]) && (next && bare(&heads[k + 1]) || prev && bare(&heads[k - 1]))
        })
        .collect();
    let mut listed = listed.into_iter();
    heads.retain(|_| !listed.next().unwrap_or(false));
    if heads.is_empty() {
        return vec![Section {
            first: 0,
            last: n,
            lead_end: 0,
            heading: false,
        }];
    }
    // Text before the first heading is a preamble: it yields no event. But in a digest of
    // messages, each behind the same mark ("🔹از کرمان: …"), a marked message before the
    // first heading is one of them, only with no heading of its own.
    let mut out = Vec::new();
    if let Some(mark) = bullet(doc, heads[0].0) {
        let mut i = 0;
        let mut open: Option<usize> = None;
        while i < heads[0].0 {
            if bullet(doc, i) == Some(mark) {
                if let Some(first) = open.replace(i) {
                    out.push(unheaded(first, i));
                }
            }
            i = line_end(doc, i);
        }
        if let Some(first) = open {
            out.push(unheaded(first, heads[0].0));
        }
    }
    out.extend(
        heads
            .iter()
            .enumerate()
            .map(|(k, &(first, lead_end))| Section {
                first,
                last: heads.get(k + 1).map_or(n, |h| h.0),
                lead_end,
                heading: true,
            }),
    );
    out
}

fn unheaded(first: usize, last: usize) -> Section {
    Section {
        first,
        last,
        lead_end: first,
        heading: false,
    }
}

/// The mark ("🔹", "•", "-") before the first word of the line that token `i` opens.
fn bullet(doc: &Doc, i: usize) -> Option<char> {
    let from = if i == 0 { 0 } else { doc.tokens[i - 1].end };
    let gap = &doc.text()[from..doc.tokens[i].start];
    if i > 0 && !gap.contains('\n') {
        return None;
    }
    let on_line = gap.rsplit('\n').next().unwrap_or("");
    let mut marks = on_line.chars().filter(|c| !c.is_whitespace());
    let mark = marks.next()?;
    (!mark.is_alphanumeric()).then_some(mark)
}

/// Whether the line `start..end` opens with a heading; returns where the heading ends.
fn heading_at(doc: &Doc, start: usize, end: usize) -> Option<usize> {
    // "… حملات آمریکا به نقاطی در / #اهواز", "… غرب استان البرز و / #کرج": a line that
    // finishes the sentence the line before broke off after "in" or "and" is no heading.
    if start > 0 && doc.has_cue(start - 1, start, &[Cat::Location, Cat::Conjunction]) {
        return None;
    }
    // "ارتش آمریکا شب گذشته به ۹ شهر / در استان خوزستان حمله کرد : …": a line that opens
    // with "in" right under a line that ended mid-sentence (no mark between) goes on with it.
    if start > 0
        && doc
            .hit_starting_at(start)
            .is_some_and(|h| doc.hits[h].has(Cat::Location))
    {
        let gap = &doc.text()[doc.tokens[start - 1].end..doc.tokens[start].start];
        let bare_break = gap.chars().all(char::is_whitespace) && gap.matches('\n').count() == 1;
        if bare_break && !ends_sentence(doc, start) && line_end(doc, start - 1) == start {
            return None;
        }
    }
    let mut a = start;
    // A numbered list: "1. Saqqez: …".
    if a + 1 < end
        && doc.word(a).bytes().all(|b| b.is_ascii_digit())
        && doc.tokens[a + 1].sep >= Sep::Comma
    {
        a += 1;
    }
    let terminator = (a + 1..end).find(|&j| matches!(doc.tokens[j].sep, Sep::Colon | Sep::Dash));
    let lead_end = match terminator {
        Some(k) if k - a <= 10 => k,
        Some(_) => return None,
        None if end - a <= 8 && !ends_sentence(doc, end) => {
            let cues = [
                Cat::Protest,
                Cat::Riot,
                Cat::Intervention,
                Cat::Lethal,
                Cat::Kill,
                Cat::Injure,
                Cat::Arrest,
                // "گزارش‌هایی از فعال شدن پدافند در شیراز / حمله آمریکا به میناب": a line
                // that tells of a strike or of air defence firing is a message, not a
                // heading over the next.
                Cat::Shelling,
                Cat::AirDefence,
            ];
            if doc.has_cue(a, end, &cues) {
                return None;
            }
            end
        }
        None => return None,
    };
    let has_place = doc
        .places_within(a, lead_end)
        .any(|p| p.role == Role::Scene);
    has_place.then_some(lead_end)
}

fn ends_sentence(doc: &Doc, end: usize) -> bool {
    // The character before the next line's first token, or the end of text.
    let at = if end < doc.tokens.len() {
        doc.tokens[end].start
    } else {
        doc.text().len()
    };
    let last_word_end = doc.tokens[end - 1].end;
    doc.text()[last_word_end..at].contains(['.', '!', '?'])
}

/// Provinces named in tokens `first..last` (and the provinces of named cities): the
/// context that decides between namesakes.
fn provinces_in(doc: &Doc, first: usize, last: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in doc.places_within(first, last) {
        if let Some(&id) = m.candidates.first() {
            let p = doc.gazetteer.place(id);
            let is_province = p.kind == PlaceKind::Province || m.province_word;
            // A name whose readings all lie in one province (a city and its county) names
            // that province as surely as a name with one reading.
            let one_province = m
                .candidates
                .iter()
                .all(|&c| doc.gazetteer.place(c).admin1 == p.admin1);
            if (is_province || one_province) && !out.contains(&p.admin1) {
                out.push(p.admin1.clone());
            }
        }
    }
    out
}

fn specificity(kind: PlaceKind) -> u8 {
    match kind {
        PlaceKind::Landmark | PlaceKind::District => 4,
        PlaceKind::City => 3,
        PlaceKind::County => 2,
        PlaceKind::Province => 1,
    }
}

/// The place of tokens `first..last`: in a heading, the most specific place named; in
/// text, the first scene place (one after "in"/"at" preferred).
fn place_in(
    doc: &Doc,
    first: usize,
    last: usize,
    context: &[String],
    heading: bool,
) -> Option<PlaceChoice> {
    let mut mentions: Vec<&PlaceMention> = doc
        .places_within(first, last)
        .filter(|p| p.role == Role::Scene)
        .collect();
    // "X, ساکن مشهد, … کشته شد": a killing or wounding with no place but the victim's
    // home is coded there.
    if mentions.is_empty() && !heading && doc.has_cue(first, last, &[Cat::Kill, Cat::Injure]) {
        mentions.extend(
            doc.places_within(first, last)
                .filter(|p| p.role == Role::Residence)
                .take(1),
        );
    }
    // "… فرماندار ویژه میناب، گزارش داد یک پایگاه دریابانی در این شهرستان هدف حمله قرار
    // گرفته است": "this county" is the one the speaker's title named.
    if mentions.is_empty() && !heading {
        if let Some(h) = doc
            .hits_in(first, last)
            .find(|&h| doc.hits[h].has(Cat::Anaphor))
        {
            let at = doc.hits[h].first;
            mentions.extend(
                doc.places_within(first, at)
                    .filter(|p| matches!(p.role, Role::Origin | Role::Scene))
                    .last(),
            );
        }
    }
    if mentions.is_empty() {
        return None;
    }
    let mut local_context: Vec<String> = context.to_vec();
    for m in &mentions {
        let id = doc.choose(m, &[]);
        let p = doc.gazetteer.place(id);
        if p.kind == PlaceKind::Province || m.province_word {
            local_context.insert(0, p.admin1.clone());
        }
    }
    let chosen = if heading {
        mentions
            .iter()
            .max_by_key(|m| {
                let id = doc.choose(m, &local_context);
                let kind = if m.province_word {
                    PlaceKind::Province
                } else {
                    doc.gazetteer.place(id).kind
                };
                (specificity(kind), std::cmp::Reverse(m.first))
            })
            .copied()?
    } else {
        // One after "in"/"at" is the venue; a province there qualifies a town named in it
        // ("Dezful town in Khuzestan Province", "in Tehran City ... from Gilan Province").
        let is_province = |m: &PlaceMention| {
            m.province_word
                || doc.gazetteer.place(doc.choose(m, &local_context)).kind == PlaceKind::Province
        };
        let after: Vec<&PlaceMention> = mentions
            .iter()
            .filter(|m| after_location_word(doc, m.first))
            .copied()
            .collect();
        after
            .iter()
            .find(|m| !is_province(m))
            .or_else(|| {
                let province = doc
                    .gazetteer
                    .place(doc.choose(after.first()?, &local_context));
                mentions.iter().find(|m| {
                    !is_province(m)
                        && doc.gazetteer.place(doc.choose(m, &local_context)).admin1
                            == province.admin1
                })
            })
            .or_else(|| after.first())
            .or_else(|| mentions.first())
            .copied()?
    };
    let id = doc.choose(chosen, &local_context);
    let district = if heading {
        unknown_district(doc, first, chosen)
    } else {
        None
    };
    let start = district.as_ref().map_or(chosen.first, |d| d.1);
    Some(PlaceChoice {
        id,
        district: district.map(|d| d.0),
        first: start,
        last: chosen.last,
        near: chosen.near,
    })
}

fn after_location_word(doc: &Doc, first: usize) -> bool {
    let right_after = |at: usize| {
        at > 0
            && doc.tokens[at].sep <= Sep::Hyphen
            && (doc
                .lexicon()
                .find_ending_at(doc.text(), &doc.tokens, at, Cat::Location, 2)
                .is_some()
                || doc
                    .lexicon()
                    .find_ending_at(doc.text(), &doc.tokens, at, Cat::Movement, 3)
                    .is_some()
                // "… صورت نگرفته است؛ شهرهای اهواز، اندیمشک و امیدیه مورد هجوم … قرار
                // گرفته‌اند": a town named by its kind is a place the report moves to.
                || doc
                    .lexicon()
                    .find_ending_at(doc.text(), &doc.tokens, at, Cat::PlaceType, 2)
                    .is_some_and(|s| {
                        doc.hit_at(s).is_none_or(|h| {
                            !doc.hits[h].has(Cat::Province) && !doc.hits[h].has(Cat::ProvinceArea)
                        })
                    }))
    };
    if right_after(first) {
        return true;
    }
    // "در سبزه میدان زنجان", "در خیابان حافظ اصفهان": a square's or a street's name may
    // stand between the location word and its city.
    let gap = doc.lang.places.words_before_place;
    let mut at = first;
    while at > 0 && first - at < gap && doc.tokens[at].sep <= Sep::Hyphen {
        let j = at - 1;
        let free = doc
            .hit_at(j)
            .is_none_or(|h| !doc.hits[h].has(Cat::Location))
            && !doc.in_place(j)
            && !doc.in_date(j);
        if !free {
            break;
        }
        at = j;
        if right_after(at) {
            return true;
        }
    }
    false
}

/// "Report from Naziabad, Tehran": unknown words right before a city, after a comma, in a
/// heading, name a district of it.
fn unknown_district(
    doc: &Doc,
    heading_first: usize,
    city: &PlaceMention,
) -> Option<(String, usize)> {
    let id = *city.candidates.first()?;
    if doc.gazetteer.place(id).kind != PlaceKind::City || city.first == 0 {
        return None;
    }
    if doc.tokens[city.first].sep != Sep::Comma {
        return None;
    }
    let end = city.first;
    let mut start = end;
    while start > heading_first
        && end - start < 3
        && (start == end || doc.tokens[start].sep <= Sep::Hyphen)
    {
        let j = start - 1;
        let in_rule = doc.hit_at(j).is_some();
        let is_place = doc.in_place(j);
        let latin = doc
            .word(j)
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic());
        if in_rule || is_place || doc.in_date(j) || (latin && !doc.tokens[j].capitalised) {
            break;
        }
        start = j;
    }
    (start < end).then(|| (doc.original_words(start, end).to_string(), start))
}

/// A new scene place in a sentence of a section that already has one: a place after "in",
/// "went to", "from there" that is not the current place, its province or its city.
fn moved_place(
    doc: &Doc,
    first: usize,
    last: usize,
    context: &[String],
    current: Option<&Scene>,
) -> Option<PlaceChoice> {
    let current = current?;
    let here = doc.gazetteer.place(current.place.id);
    for m in doc
        .places_within(first, last)
        .filter(|p| p.role == Role::Scene)
    {
        if !after_location_word(doc, m.first) {
            continue;
        }
        let id = doc.choose(m, context);
        let p = doc.gazetteer.place(id);
        if id == current.place.id || p.kind == PlaceKind::Province || p.kind == PlaceKind::County {
            continue;
        }
        if here.parent_city == Some(id) {
            continue;
        }
        // A big city's report that moves on to a small namesake elsewhere in the country
        // moves within the city: "From there, I went to Kianshahr" in a Tehran report. A
        // county's seat is no namesake of a district: "… در شیراز / حمله آمریکا به میناب"
        // moves to Minab.
        let seat = !p.admin2.is_empty() && p.admin2 == p.name;
        if is_big_city(here) && p.admin1 != here.admin1 && p.population < SMALL_TOWN && !seat {
            return Some(district_of(current, doc.original_words(m.first, m.last), m));
        }
        return Some(PlaceChoice {
            id,
            district: None,
            first: m.first,
            last: m.last,
            near: m.near,
        });
    }
    // "went to Kianshahr": a name the gazetteer does not know, after a movement word, in a
    // city's report is a part of that city.
    if is_big_city(here) {
        for j in first..last {
            let Some(h) = doc.hit_starting_at(j) else {
                continue;
            };
            if !doc.hits[h].has(Cat::Movement) {
                continue;
            }
            let start = doc.hits[h].last;
            let mut end = start;
            while end < last
                && end - start < 3
                && doc.tokens[end].capitalised
                && (end == start || doc.tokens[end].sep <= Sep::Hyphen)
                && doc.hit_at(end).is_none()
                && !doc.in_date(end)
            {
                end += 1;
            }
            if end > start {
                let name = doc.original_words(start, end).to_string();
                return Some(PlaceChoice {
                    id: current.place.id,
                    district: Some(name),
                    first: start,
                    last: end,
                    near: false,
                });
            }
        }
    }
    None
}

/// "در محله نازی‌آباد", "in the Ekbatan neighbourhood": a named part of the scene's city.
fn name_district(doc: &Doc, place: &mut PlaceChoice, first: usize, last: usize) {
    if place.district.is_some() || doc.gazetteer.place(place.id).kind != PlaceKind::City {
        return;
    }
    let name_before = doc.lang.code == "en";
    for h in doc
        .hits_in(first, last)
        .map(|h| &doc.hits[h])
        .filter(|h| h.has(Cat::District))
    {
        let free = |j: usize| doc.hit_at(j).is_none() && !doc.in_date(j);
        let (a, b) = if name_before {
            let mut a = h.first;
            while a > first
                && h.first - a < 2
                && doc.tokens[a].sep <= Sep::Hyphen
                && free(a - 1)
                && doc.tokens[a - 1].capitalised
            {
                a -= 1;
            }
            (a, h.first)
        } else {
            // "منطقه‌ای", "منطقه ۴": an ending or a number after the word names nothing.
            if doc.joined_to_previous(h.last)
                || h.last < last && doc.word(h.last).chars().all(|c| c.is_numeric())
            {
                continue;
            }
            let mut b = h.last;
            while b < last && b - h.last < 2 && doc.tokens[b].sep <= Sep::Hyphen && free(b) {
                b += 1;
            }
            (h.last, b)
        };
        if a < b {
            place.district = Some(doc.original_words(a, b).to_string());
            place.first = a;
            place.last = b;
            return;
        }
    }
}

/// Below this a namesake is a small town (GeoNames population).
const SMALL_TOWN: u32 = 100_000;

fn is_big_city(p: &unrest_gazetteer::Place) -> bool {
    p.kind == PlaceKind::City && p.population >= 300_000
}

fn district_of(current: &Scene, name: &str, m: &PlaceMention) -> PlaceChoice {
    PlaceChoice {
        id: current.place.id,
        district: Some(name.to_string()),
        first: m.first,
        last: m.last,
        near: false,
    }
}

/// Whether a place in a section's first sentence ("Yazd" / "In Imamshahr, workers…") is
/// a more precise place inside the heading's: a town of the heading's province, or a
/// district of its city. Only a place after "in"/"at" counts.
fn refines(doc: &Doc, lead: &PlaceChoice, body: &PlaceChoice) -> bool {
    if body.id == lead.id {
        return false;
    }
    // A shared point ("📍 35.68920, 51.38900" over the text) places the report only when
    // its words name no place of their own.
    if is_point(doc, lead) {
        return true;
    }
    // "… در استان خوزستان حمله کرد : اهواز، آبادان …": the towns the heading's colon
    // opens onto are in it, as a place after "in" is.
    let after_colon = doc.tokens[body.first].sep == Sep::Colon;
    if !after_location_word(doc, body.first) && !after_colon {
        return false;
    }
    let (l, b) = (doc.gazetteer.place(lead.id), doc.gazetteer.place(body.id));
    if b.parent_city == Some(lead.id) {
        return true;
    }
    let lead_is_region =
        l.kind == PlaceKind::Province || lead.district.is_none() && is_capital_namesake(doc, l);
    lead_is_region
        && b.admin1 == l.admin1
        && matches!(
            b.kind,
            PlaceKind::City | PlaceKind::District | PlaceKind::Landmark
        )
}

/// A place read from coordinates rather than a name: its evidence starts with a digit.
fn is_point(doc: &Doc, p: &PlaceChoice) -> bool {
    doc.word(p.first)
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || b == b'-')
}

/// A city that shares its name with its province (Yazd, Tehran, Kerman): a heading naming
/// it may mean the province.
fn is_capital_namesake(doc: &Doc, p: &unrest_gazetteer::Place) -> bool {
    doc.gazetteer
        .province(&p.admin1)
        .is_some_and(|prov| unrest_text::fold_key(&prov.name) == unrest_text::fold_key(&p.name))
}

/// The first usable date of tokens `first..last`. A date told of background protests
/// ("در جریان اعتراضات سراسری در دی ماه") dates no other sentence's event.
fn date_in(doc: &Doc, first: usize, last: usize) -> Option<DateChoice> {
    let usable = |d: &&crate::analysis::DateAt| {
        !date_of_earlier_event(doc, d.first)
            && !of_background(doc, d.first)
            && !names_protests(doc, d)
    };
    doc.dates_within(first, last)
        .filter(usable)
        .filter(|d| !day_of_telling(doc, d.first))
        .find_map(|d| choose_date(doc, d))
        .or_else(|| {
            doc.dates_within(first, last)
                .filter(usable)
                .find_map(|d| choose_date(doc, d))
        })
}

/// "his family said this week", "relatives confirmed today": a date right after a word of
/// telling is the day the event was told of; so is a wire dateline's ("TEHRAN, Nov 3
/// (Wire) -"). Another date in reach is the event's.
fn day_of_telling(doc: &Doc, first: usize) -> bool {
    if doc.in_wire_dateline(first) {
        return true;
    }
    let floor = first.saturating_sub(3).max(doc.clause_start(first));
    (floor..first).any(|j| doc.hit_at(j).is_some_and(|h| doc.hits[h].has(Cat::Speech)))
}

/// "اعتراضات خرداد ۱۳۸۸", "اعتراضات دی ماه": a month right after a protest word names a
/// wave of protests; it opens no scene of its own.
fn names_protests(doc: &Doc, d: &crate::analysis::DateAt) -> bool {
    d.mention.precision == 3
        && d.first > 0
        && doc.tokens[d.first].sep <= Sep::Hyphen
        && doc
            .hit_at(d.first - 1)
            .is_some_and(|h| doc.hits[h].has(Cat::Protest) || doc.hits[h].has(Cat::Background))
}

/// "در جریان اعتراضات دی ماه … کشته شد": with no day named, the month of the protests a
/// killing is told of in the same sentence dates it (ACLED's precision 3).
fn background_month(doc: &Doc, first: usize, last: usize) -> Option<DateChoice> {
    if !doc.has_cue(first, last, &[Cat::Kill, Cat::Injure]) {
        return None;
    }
    doc.dates
        .iter()
        .filter(|d| d.first >= first && d.last <= last && d.mention.precision == 3)
        .find(|d| names_protests(doc, d) || of_background(doc, d.first))
        .map(|d| DateChoice {
            date: d.mention.date,
            precision: 3,
            tokens: Some((d.first, d.last)),
        })
}

/// The last date of tokens `first..last` that is no earlier event's or background's.
fn date_before(doc: &Doc, first: usize, last: usize) -> Option<DateChoice> {
    doc.dates
        .iter()
        .rev()
        .filter(|d| d.first >= first && d.last <= last)
        .filter(|d| !date_of_earlier_event(doc, d.first) && !of_background(doc, d.first))
        .find_map(|d| choose_date(doc, d))
}

/// A date as the event's day. "since December 14" is when an ongoing action began: with a
/// count of its days after it ("Day 28") the event is on that day, else on the report's.
fn choose_date(doc: &Doc, d: &crate::analysis::DateAt) -> Option<DateChoice> {
    let plain = DateChoice {
        date: d.mention.date,
        precision: d.mention.precision,
        tokens: Some((d.first, d.last)),
    };
    let since = d.first > 0
        && doc
            .hit_at(d.first - 1)
            .is_some_and(|h| doc.hits[h].has(Cat::Since));
    if !since {
        return Some(plain);
    }
    let end = (d.last + 8).min(doc.tokens.len());
    (d.last..end.saturating_sub(1)).find_map(|j| {
        let counts = doc
            .hit_at(j)
            .is_some_and(|h| doc.hits[h].has(Cat::DayCount));
        let n: i64 = doc
            .word(j + 1)
            .parse()
            .ok()
            .filter(|n| (1..=366).contains(n))?;
        counts.then(|| DateChoice {
            date: d.mention.date + chrono::Duration::days(n - 1),
            precision: 1,
            tokens: Some((d.first, j + 2)),
        })
    })
}

/// A date opening a sentence ("On Tuesday, …", "The next day…") starts a new scene; for a
/// scene's first sentence any date in it counts.
fn sentence_date(doc: &Doc, first: usize, last: usize, anywhere: bool) -> Option<DateChoice> {
    // "پیشتر هم … روز سه شنبه … تجمع کردند": a sentence opening with "earlier" tells of
    // an earlier event on the day it names, wherever in the sentence.
    let limit = if anywhere || opens_with_earlier(doc, first) {
        last
    } else {
        (first + 4).min(last)
    };
    let usable = |d: &&crate::analysis::DateAt| {
        d.first < limit && !date_of_earlier_event(doc, d.first) && !names_protests(doc, d)
    };
    // The day of the telling only when the sentence names no other.
    doc.dates_within(first, last)
        .filter(usable)
        .filter(|d| !day_of_telling(doc, d.first))
        .find_map(|d| choose_date(doc, d))
        .or_else(|| {
            doc.dates_within(first, last)
                .filter(usable)
                .find_map(|d| choose_date(doc, d))
        })
}

/// "a man killed on 3 October", "the funeral … held on Friday": a date right after a
/// casualty or earlier-event word is not the event's. A killing told as the sentence's own
/// verb ("a policeman was shot dead on Monday") is the event, and so is its date.
fn date_of_earlier_event(doc: &Doc, first: usize) -> bool {
    let floor = first.saturating_sub(5).max(doc.clause_start(first));
    let own_verb = |h: usize| {
        let at = doc.hits[h].first;
        at > 0
            && doc.tokens[at].sep <= Sep::Hyphen
            && doc
                .hit_at(at - 1)
                .is_some_and(|p| doc.hits[p].has(Cat::Passive) && !doc.hits[p].has(Cat::Past))
    };
    // "relatives of the crash victims of two months earlier gathered on 15 April": a
    // gathering word between the earlier event and the date makes the date the gathering's.
    let earlier = (floor..first).rev().find(|&j| {
        doc.hit_at(j).is_some_and(|h| {
            let hit = &doc.hits[h];
            (hit.has(Cat::Past) && !opens_with_earlier(doc, hit.first))
                || hit.has(Cat::Kill) && !own_verb(h)
        })
    });
    // "جاویدنام X، کشته شده ۱۹ دی در کرج": a killing in a sentence that tells of nothing
    // else is the event, and the date after it is its day.
    let (a, b) = doc.sentence_span(first);
    let only_the_killing = !doc.has_cue(a, b, &[Cat::Protest, Cat::Strike, Cat::Crowd, Cat::Past]);
    let killing_alone =
        |e: usize| only_the_killing && doc.hit_at(e).is_some_and(|h| doc.hits[h].has(Cat::Kill));
    earlier.filter(|&e| !killing_alone(e)).is_some_and(|e| {
        !(e + 1..first).any(|j| {
            doc.hit_at(j)
                .is_some_and(|h| doc.hits[h].has(Cat::Protest) && doc.hits[h].first > e)
        })
    })
}

/// Whether an "earlier" word opens the sentence at token `i` ("پیشتر هم …").
fn opens_with_earlier(doc: &Doc, i: usize) -> bool {
    (i == 0 || doc.tokens[i].sep >= Sep::Colon)
        && doc
            .hit_starting_at(i)
            .is_some_and(|h| doc.hits[h].has(Cat::Earlier))
}

fn of_background(doc: &Doc, first: usize) -> bool {
    let floor = first.saturating_sub(5).max(doc.clause_start(first));
    (floor..first).any(|j| {
        doc.hit_at(j)
            .is_some_and(|h| doc.hits[h].has(Cat::Background))
    })
}
