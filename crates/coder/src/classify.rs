//! The codebook's decisions for one scene: is it an event, of which type, between which
//! actors, with how many killed, injured and arrested — each with the words it rests on.
//!
//! The type follows the codebook's order of precedence: violent demonstrators make a riot;
//! lethal force or serious injury against a gathering that is not violent is excessive
//! force; dispersal or arrests without it are an intervention; a gathering alone is a
//! peaceful protest. Unidentified gunmen firing on people who are not demonstrating is an
//! attack on civilians, and arrests with no gathering are a strategic development.

use crate::analysis::{Doc, Role};
use crate::counts::{self, Counts, Kind};
use crate::lexicon::{Cat, Sep};
use crate::rules::Actor;
use crate::scenes::Scene;
use chrono::Datelike;
use unrest_gazetteer::PlaceKind;
use unrest_model::{Event, Evidence};

const PROTESTERS: &str = "Protesters (Iran)";
const RIOTERS: &str = "Rioters (Iran)";
const CIVILIANS: &str = "Civilians (Iran)";
const ARMED_GROUP: &str = "Unidentified Armed Group (Iran)";
const DEFAULT_FORCE: &str = "Police Forces of Iran (1989-)";

/// What the words of a scene say, before the decision.
#[derive(Default)]
struct Signals {
    protest: Option<(usize, usize)>,
    strike: Option<(usize, usize)>,
    crowd: Option<(usize, usize)>,
    riot: Option<(usize, usize)>,
    intervention: Option<(usize, usize)>,
    lethal: Option<(usize, usize)>,
    unidentified: Option<(usize, usize)>,
    /// Force actors (index into the actor table, tokens).
    forces: Vec<(usize, usize, usize)>,
    /// Groups of demonstrators.
    groups: Vec<(usize, usize, usize)>,
    /// Words of violence that is not a demonstration: the codebook's other event types.
    armed_group: Option<(usize, usize)>,
    armed_clash: Option<(usize, usize)>,
    force_person: Option<(usize, usize)>,
    explosive: Option<(usize, usize)>,
    shelling: Option<(usize, usize)>,
    seizure: Option<(usize, usize)>,
    weapon: Option<(usize, usize)>,
    mishap: Option<(usize, usize)>,
    assault: Option<(usize, usize)>,
    /// "جاویدنام": the person named was killed in the protests.
    memorial: Option<(usize, usize)>,
    /// A thing that can be damaged: a building, a car.
    property: Option<(usize, usize)>,
}

fn first(slot: &mut Option<(usize, usize)>, first: usize, last: usize) {
    if slot.is_none() {
        *slot = Some((first, last));
    }
}

/// Codes a scene, or `None` when it tells of no event.
pub fn code_scene(doc: &Doc, scene: &Scene, actors: &[Actor]) -> Option<Event> {
    // The hits of the scene's ranges, found by binary search in each, in text order.
    let mut hits: Vec<usize> = scene
        .ranges
        .iter()
        .flat_map(|&(a, b)| doc.hits_in(a, b))
        .collect();
    hits.sort_unstable();
    hits.dedup();
    let mut s = Signals::default();
    for &h in &hits {
        let hit = &doc.hits[h];
        // "On March 11th": a month's name inside a date is no march.
        if doc.negated(h) || (hit.first..hit.last).all(|j| doc.in_date(j)) {
            continue;
        }
        let (a, b) = (hit.first, hit.last);
        if let Some(ix) = hit.value(Cat::Actor) {
            let actor = &actors[ix as usize];
            if actor.key == "unidentified" {
                first(&mut s.unidentified, a, b);
                s.forces.push((ix as usize, a, b));
            } else if actor.is_force() {
                s.forces.push((ix as usize, a, b));
            } else {
                s.groups.push((ix as usize, a, b));
            }
        }
        if hit.has(Cat::Unidentified) {
            first(&mut s.unidentified, a, b);
        }
        if hit.has(Cat::Protest) {
            first(&mut s.protest, a, b);
        }
        if hit.has(Cat::Strike) {
            first(&mut s.strike, a, b);
        }
        // "shot dead four people in a car": a handful counted is persons, not a crowd. The
        // crowd of a state funeral or a prayer ("مراسم تشییع … با حضور میلیونی مردم") gathers
        // for no demonstration, and a shooting told after it was on no protest.
        let ceremony = || {
            let (sa, sb) = doc.sentence_span(a);
            doc.ceremony_in(sa, sb)
        };
        if hit.has(Cat::Crowd)
            && counts::exact_figure_before(doc, a).is_none_or(|n| n >= 10)
            && !ceremony()
        {
            first(&mut s.crowd, a, b);
        }
        if hit.has(Cat::Riot) {
            first(&mut s.riot, a, b);
        }
        // "این دختر تروریست بود؟": a rhetorical question calls no one an armed group.
        if hit.has(Cat::ArmedGroup) && !doc.in_question(a) {
            first(&mut s.armed_group, a, b);
        }
        for (cat, slot) in [
            (Cat::ArmedClash, &mut s.armed_clash),
            (Cat::ForcePerson, &mut s.force_person),
            (Cat::Explosive, &mut s.explosive),
            (Cat::Shelling, &mut s.shelling),
            (Cat::Seizure, &mut s.seizure),
            (Cat::Weapon, &mut s.weapon),
            (Cat::Mishap, &mut s.mishap),
            (Cat::Assault, &mut s.assault),
            (Cat::Memorial, &mut s.memorial),
            (Cat::Property, &mut s.property),
        ] {
            if hit.has(cat) {
                first(slot, a, b);
            }
        }
        let violent = hit.has(Cat::Intervention) || hit.has(Cat::Lethal);
        let by_crowd = violent && subject_is_crowd(doc, h, actors);
        if hit.has(Cat::Intervention) && !hit.has(Cat::Riot) {
            if by_crowd {
                first(&mut s.riot, a, b);
            } else {
                first(&mut s.intervention, a, b);
            }
        }
        if hit.has(Cat::Lethal) {
            if weapon_is_less_lethal(doc, h) {
                first(&mut s.intervention, a, b);
            } else if by_crowd {
                first(&mut s.riot, a, b);
            } else {
                first(&mut s.lethal, a, b);
            }
        }
    }
    let counts = counts::count(doc, &hits);
    let killed = counts.killed.filter(|f| f.n > 0);
    let injured = counts.injured.filter(|f| f.n > 0);
    // Court, prison and sentence news tells of arrests as its background, not as events.
    let judicial = hits.iter().any(|&h| doc.hits[h].has(Cat::Judicial))
        || doc
            .hits
            .iter()
            .any(|h| h.has(Cat::Judicial) && doc.tokens[h.first].line == 0);
    let arrested_word = !judicial && counts.mentioned[2] && counts.arrested.is_none_or(|f| f.n > 0);
    let force_used = s.intervention.or(s.lethal);
    let crowd_control = hits.iter().copied().find(|&h| {
        let hit = &doc.hits[h];
        hit.has(Cat::CrowdControl) && !doc.negated(h)
    });
    let crowd_control = crowd_control.map(|h| (doc.hits[h].first, doc.hits[h].last));
    let gathering = s
        .protest
        .or(s.crowd)
        .or(s.strike)
        .or(crowd_control)
        .or(force_used.filter(|_| scene.continued));
    let background = hits.iter().any(|&h| doc.hits[h].has(Cat::Background));
    let harmed =
        killed.is_some() || injured.is_some() || counts.mentioned[0] && counts.killed.is_none();

    let attackers_unknown = s.unidentified.is_some()
        && s.protest.is_none()
        && s.strike.is_none()
        && s.forces
            .iter()
            .all(|&(ix, _, _)| actors[ix].key == "unidentified");
    // Violence with no demonstration in it is coded by the codebook's other types: a
    // seizure of weapons, a bomb or a mine, shelling, a fight of the state's forces with an
    // armed group (or armed men harming its members).
    let no_demonstration = s.protest.is_none() && s.strike.is_none();
    let harmed_any = killed.is_some() || injured.is_some() || s.lethal.is_some();
    let fight = s.armed_clash.or(s.riot).or(s.lethal).or(s.intervention);
    // A battle needs the state's side (or a word of fighting): armed men firing on people
    // with no one firing back attack civilians.
    let state_side = s.force_person.is_some()
        || s.armed_clash.is_some()
        || s.forces
            .iter()
            .any(|&(ix, _, _)| actors[ix].key != "unidentified");
    // "border guards shot at a car, killing four": the state's men fired; they are not the
    // ones harmed.
    let force_fired = s
        .force_person
        .zip(s.lethal)
        .is_some_and(|(f, l)| force_is_doer(doc, f, l));
    let harmed_people = killed.is_some() || injured.is_some();
    // Unknown men, no crowd and no force named as the doer.
    let unknown_doers = (s.unidentified.is_some() || s.armed_group.is_some())
        && s.crowd.is_none()
        && s.groups.is_empty()
        && s.forces
            .iter()
            .all(|&(ix, _, _)| actors[ix].key == "unidentified");
    let damage = s.riot.or(s.lethal).or(s.assault).or(s.intervention);
    // The whole report is read for it only when the scene tells of a blast.
    let disposal = s.explosive.is_some() && doc.has_cue(0, doc.tokens.len(), &[Cat::Disposal]);
    let other_violence = if !no_demonstration {
        None
    } else if let (Some(w), Some(_)) = (s.seizure, s.weapon) {
        Some(("Strategic developments", "Disrupted weapons use", w))
    } else if let (Some(x), None, false) = (s.explosive, s.mishap, disposal) {
        Some((
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
            x,
        ))
    } else if let Some(x) = s.shelling {
        Some((
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
            x,
        ))
    } else if let (Some(_), Some(d), false, true) =
        (s.property, damage, harmed_people, unknown_doers)
    {
        // "unknown men threw a Molotov cocktail at the municipality building; no one was
        // hurt": damage to property, no one's violence against people.
        Some(("Strategic developments", "Looting/property destruction", d))
    } else if let (Some(g), true, true) = (s.armed_group, fight.is_some() || harmed_any, state_side)
    {
        Some(("Battles", "Armed clash", fight.unwrap_or(g)))
    } else if let (Some(f), true, true, false) = (
        s.force_person,
        harmed_any,
        s.unidentified.is_some() || s.lethal.is_some(),
        force_fired,
    ) {
        Some(("Battles", "Armed clash", s.lethal.unwrap_or(f)))
    } else if let (Some(g), true) = (s.armed_group, harmed_people || s.lethal.is_some()) {
        Some((
            "Violence against civilians",
            "Attack",
            s.lethal.unwrap_or(g),
        ))
    } else {
        None
    };
    let (event_type, sub_type, decisive) = if let Some(t) = other_violence {
        t
    } else if let Some(r) = s.riot {
        ("Riots", "Violent demonstration", r)
    } else if let (Some(u), true) = (
        s.unidentified.filter(|_| attackers_unknown),
        s.lethal.is_some() || harmed,
    ) {
        ("Violence against civilians", "Attack", u)
    } else if let (Some(c), Some(_), None, true) = (
        s.armed_clash,
        gathering,
        s.lethal,
        killed.is_some() && (s.force_person.is_some() || !s.forces.is_empty()),
    ) {
        // "بین معترضان و نیروها درگیری شد … چهار نفر از نیروها کشته شدند": a clash of a
        // crowd with the state's men, deaths and no shooting named is a violent demonstration.
        ("Riots", "Violent demonstration", c)
    } else if let (Some(g), true) = (gathering, s.lethal.is_some() || killed.is_some()) {
        let why = s.lethal.or(killed.map(|f| (f.first, f.last))).unwrap_or(g);
        ("Protests", "Excessive force against protesters", why)
    } else if let (Some(u), true) = (s.unidentified, s.lethal.is_some() || harmed) {
        ("Violence against civilians", "Attack", u)
    } else if let (Some(m), true) = (s.memorial, s.lethal.is_some() || killed.is_some()) {
        // "جاویدنام X … shot dead": the title says the killing was the protests'.
        (
            "Protests",
            "Excessive force against protesters",
            s.lethal.unwrap_or(m),
        )
    } else if let (Some(g), true) = (gathering, s.intervention.is_some() || arrested_word) {
        let why = s
            .intervention
            .or(counts.arrested.map(|f| (f.first, f.last)))
            .unwrap_or(g);
        ("Protests", "Protest with intervention", why)
    } else if let Some(g) = gathering.filter(|_| s.protest.is_some() || s.strike.is_some()) {
        ("Protests", "Peaceful protest", g)
    } else if arrested_word {
        let why = counts.arrested.map(|f| (f.first, f.last)).unwrap_or((0, 0));
        ("Strategic developments", "Arrests", why)
    } else if let (Some(l), false) = (s.lethal, s.forces.is_empty()) {
        ("Violence against civilians", "Attack", l)
    } else if let (Some(&(_, a, b)), Some(_), true) = (s.forces.first(), killed, background) {
        // "killed by security forces in the Zanjan protests": a killing by a named force in
        // protests the report names as its background.
        ("Protests", "Excessive force against protesters", (a, b))
    } else if let (Some(l), true) = (s.lethal, killed.is_some() || injured.is_some()) {
        // "shot in the street and died": a shooting that harmed someone, by no one named.
        ("Violence against civilians", "Attack", l)
    } else if let (Some(i), Some(_), false) = (s.intervention, s.assault, s.forces.is_empty()) {
        // "security forces attacked street vendors": force on people who are not
        // demonstrating is an attack on civilians.
        ("Violence against civilians", "Attack", i)
    } else if let (Some(k), None, false) = (
        killed,
        s.mishap,
        killed.is_some_and(|k| doc.has_cue(k.first, k.last, &[Cat::Death])),
    ) {
        // "two men were killed in the town of X": a killing, by no one named, that was no
        // accident. "She died in hospital" tells of no one's violence: no attack.
        ("Violence against civilians", "Attack", (k.first, k.last))
    } else if let (Some(m), Some(_), false) = (
        s.memorial,
        scene.date.tokens,
        hits.iter().any(|&h| doc.hits[h].has(Cat::Past)),
    ) {
        // "جاویدنام X - قرچک / ۱۸ دی": a memorial line, with no verb, names one person
        // killed in the protests at a place on a day.
        ("Protests", "Excessive force against protesters", m)
    } else {
        return None;
    };

    // "اگر تهران … ، … از سوی ارتش آمریکا باشد": the deed is a condition's, not a report;
    // "ادعای تجمع … تکذیب شد": a denied one did not happen.
    if doc.in_condition(decisive.0) || doc.in_denial(decisive.0) {
        return None;
    }
    // "رسانه‌ها پیشتر از حمله آمریکا به جزیره قشم … خبر داده بودند": an earlier event the
    // report names no day of is not the report's day's; it is left uncoded, not misdated.
    let (sa, _) = doc.sentence_span(decisive.0);
    if scene.date.tokens.is_none()
        && doc
            .hits_in(sa, decisive.0)
            .any(|h| doc.hits[h].has(Cat::Earlier))
    {
        return None;
    }

    // "پیام ما رو از قلب ایران تهران دارید … این شعار نیست": a digest, an opinion or a
    // speech names a place in one sentence and a protest word in another; no demonstration
    // at that place.
    // "راهپیمایی جاماندگان اربعین", "شعار … در مصلی": a state ceremony, a pilgrimage or
    // fans in the sentence that tells of the crowd make it no demonstration.
    if matches!(event_type, "Protests" | "Riots") && decisive.0 < decisive.1 {
        let (a, b) = doc.sentence_span(decisive.0);
        if doc.ceremony_in(a, b) {
            return None;
        }
    }
    let within = doc.lang.places.demonstration_within_words;
    if within > 0
        && matches!(
            event_type,
            "Protests" | "Riots" | "Explosions/Remote violence"
        )
        && !scene_mentions(doc, scene).any(|(a, b)| demonstration_near(doc, a, b, within, sub_type))
    {
        return None;
    }

    // A sentence that names a place abroad tells of no event in Iran, unless it names the
    // scene's place too: "ارتش کویت: حملات موشکی به کویت. … از منطقه ای نزدیک شیراز"
    // tells of Kuwait; "کارگران مهاجر در دبی تجمع کردند" of Dubai.
    if doc.clause_names_abroad(scene.place.first)
        || decisive.0 < decisive.1
            && doc.names_abroad(decisive.0)
            && doc.sentence_span(decisive.0) != doc.sentence_span(scene.place.first)
    {
        return None;
    }

    let mut e = Event {
        iso: 364,
        region: "Middle East".into(),
        country: "Iran".into(),
        source: "Field report".into(),
        source_scale: "Local partner-Other".into(),
        event_type: event_type.into(),
        sub_event_type: sub_type.into(),
        disorder_type: disorder_type(event_type, sub_type).into(),
        ..Event::default()
    };
    let mut evidence: Vec<Evidence> = Vec::new();
    let mut cite = |field: &str, (a, b): (usize, usize)| {
        if a < b {
            let (s0, e0) = doc.span(a, b);
            if let Some(ev) = Evidence::cut(field, doc.original, s0, e0) {
                evidence.push(ev);
            }
        }
    };

    // Place.
    let place = doc.gazetteer.place(scene.place.id);
    let (location, lat, lon, precision, admin2) = match place.kind {
        PlaceKind::Province => {
            let capital = doc.gazetteer.provincial_capital(&place.admin1);
            match capital {
                Some(c) => (c.name.clone(), c.lat, c.lon, 3, c.admin2.clone()),
                None => (place.name.clone(), place.lat, place.lon, 3, String::new()),
            }
        }
        PlaceKind::District | PlaceKind::Landmark => {
            let city = place.parent_city.map(|c| doc.gazetteer.place(c));
            let name = match city {
                Some(c) => format!("{} - {}", c.name, place.name),
                None => place.name.clone(),
            };
            (name, place.lat, place.lon, 1, place.admin2.clone())
        }
        _ => {
            let name = match &scene.place.district {
                Some(d) => format!("{} - {}", place.name, d),
                None => place.name.clone(),
            };
            let precision = if scene.place.near { 2 } else { 1 };
            (name, place.lat, place.lon, precision, place.admin2.clone())
        }
    };
    e.location = location;
    e.latitude = round4(lat);
    e.longitude = round4(lon);
    e.geo_precision = precision;
    e.admin1 = place.admin1.clone();
    e.admin2 = admin2;
    cite("location", (scene.place.first, scene.place.last));

    // Date.
    let d = scene.date.date;
    e.event_date = format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
    e.year = d.year();
    e.time_precision = scene.date.precision;
    if let Some(t) = scene.date.tokens {
        cite("event_date", t);
    }

    // Actors.
    let force = s.forces.first().map(|&(ix, a, b)| (&actors[ix], a, b));
    let units: Vec<&str> = dedup(
        s.forces
            .iter()
            .map(|&(ix, _, _)| actors[ix].assoc.as_str())
            .filter(|a| !a.is_empty()),
    );
    let groups: Vec<&str> = dedup(
        s.groups
            .iter()
            .map(|&(ix, _, _)| actors[ix].assoc.as_str())
            .filter(|a| !a.is_empty()),
    );
    let demonstrators = if event_type == "Riots" {
        RIOTERS
    } else {
        PROTESTERS
    };
    let demo_inter = if event_type == "Riots" {
        "Rioters"
    } else {
        "Protesters"
    };
    let demo_words = s
        .groups
        .first()
        .map(|&(_, a, b)| (a, b))
        .or(s.protest.filter(|&(a, b)| is_people_word(doc, a, b)))
        .or(s.crowd)
        .or(gathering);
    let force_name = force.map_or(DEFAULT_FORCE, |f| f.0.actor.as_str());
    let force_inter = force.map_or("State forces", |f| f.0.inter.as_str());
    match (event_type, sub_type) {
        ("Protests", "Peaceful protest") => {
            e.actor1 = PROTESTERS.into();
            e.assoc_actor_1 = groups.join("; ");
            e.inter1 = "Protesters".into();
            e.interaction = "Protesters only".into();
            if let Some(w) = demo_words {
                cite("actor1", w);
            }
        }
        ("Protests", "Excessive force against protesters") | ("Violence against civilians", _) => {
            e.actor1 = force_name.into();
            e.assoc_actor_1 = units.join("; ");
            e.inter1 = force_inter.into();
            if let Some((_, a, b)) = force {
                cite("actor1", (a, b));
            }
            if event_type == "Protests" {
                e.actor2 = PROTESTERS.into();
                e.assoc_actor_2 = groups.join("; ");
                e.inter2 = "Protesters".into();
            } else {
                e.actor2 = CIVILIANS.into();
                e.inter2 = "Civilians".into();
            }
            if let Some(w) = demo_words {
                cite("actor2", w);
            }
            e.interaction = interaction(&e.inter1, &e.inter2);
            e.civilian_targeting = "Civilian targeting".into();
        }
        ("Battles", _) => {
            e.actor1 = force_name.into();
            e.assoc_actor_1 = units.join("; ");
            e.inter1 = force_inter.into();
            if let Some((_, a, b)) = force {
                cite("actor1", (a, b));
            }
            e.actor2 = ARMED_GROUP.into();
            e.inter2 = "Political militia".into();
            if let Some(w) = s.armed_group {
                cite("actor2", w);
            }
            e.interaction = interaction(&e.inter1, &e.inter2);
        }
        ("Explosions/Remote violence", _) => {
            match force {
                Some((f, a, b)) if f.key != "unidentified" => {
                    e.actor1 = f.actor.clone();
                    e.inter1 = f.inter.clone();
                    cite("actor1", (a, b));
                }
                _ => {
                    e.actor1 = ARMED_GROUP.into();
                    e.inter1 = "Political militia".into();
                }
            }
            e.actor2 = CIVILIANS.into();
            e.inter2 = "Civilians".into();
            e.interaction = interaction(&e.inter1, &e.inter2);
        }
        ("Strategic developments", _) => {
            e.actor1 = force_name.into();
            e.assoc_actor_1 = units.join("; ");
            e.inter1 = force_inter.into();
            if let Some((_, a, b)) = force {
                cite("actor1", (a, b));
            }
            e.actor2 = CIVILIANS.into();
            e.inter2 = "Civilians".into();
            e.interaction = interaction(&e.inter1, &e.inter2);
        }
        _ => {
            // Protest with intervention, riots: the demonstrators first, the force second.
            e.actor1 = demonstrators.into();
            e.assoc_actor_1 = groups.join("; ");
            e.inter1 = demo_inter.into();
            if let Some(w) = demo_words {
                cite("actor1", w);
            }
            let force_present = force.is_some() || sub_type == "Protest with intervention";
            if force_present {
                e.actor2 = force_name.into();
                e.assoc_actor_2 = units.join("; ");
                e.inter2 = force_inter.into();
                if let Some((_, a, b)) = force {
                    cite("actor2", (a, b));
                }
                e.interaction = interaction(&e.inter1, &e.inter2);
            } else {
                e.interaction = format!("{demo_inter} only");
            }
        }
    }
    cite("event_type", decisive);

    // Counts.
    e.fatalities = counts.killed.map_or(0, |f| f.n);
    if let (Some(m), None, "Excessive force against protesters") =
        (s.memorial, counts.killed, sub_type)
    {
        // The title is the count: one person, killed.
        e.fatalities = 1;
        cite("fatalities", m);
    }
    e.injuries = figure(&counts, Kind::Injured);
    e.arrests = figure(&counts, Kind::Arrested);
    for (kind, field) in [
        (Kind::Killed, "fatalities"),
        (Kind::Injured, "injuries"),
        (Kind::Arrested, "arrests"),
    ] {
        if let Some(f) = counts.get(kind) {
            cite(field, (f.first, f.last));
        }
    }
    // "گفته می شود", "unverified": the report itself hedges; the event says so (its
    // evidence) and is trusted less.
    let hedge = hits.iter().copied().find(|&h| doc.hits[h].has(Cat::Hedge));
    if let Some(h) = hedge {
        cite("hedge", (doc.hits[h].first, doc.hits[h].last));
    }
    e.evidence = evidence;
    e.confidence = confidence(&e, scene, &s);
    if hedge.is_some() {
        e.confidence = (e.confidence - 0.25).max(0.1);
    }
    Some(e)
}

/// Whether a demonstration word stands within `within` words of the place at
/// `first..last`: a protest, strike, riot or crowd-control word or a
/// memorial title; for a riot, the riot word and a crowd; for a killing ("Excessive force"),
/// a shot, or a death with a crowd, will do. A state ceremony or fans near the place make it
/// none. Before the place the words count back to a sentence end (`.`, `!`, `?`; channels
/// break lines mid-sentence); after it, past its sentence's end up to the next place named.
fn demonstration_near(doc: &Doc, first: usize, last: usize, within: usize, sub: &str) -> bool {
    let text = doc.text();
    let ends_sentence = |j: usize| {
        j > 0
            && j < doc.tokens.len()
            && text
                .get(doc.tokens[j - 1].end..doc.tokens[j].start)
                .is_some_and(|gap| gap.contains(['.', '!', '?', '؟']))
    };
    let mut a = first;
    while a > 0 && first - a < within && !ends_sentence(a) {
        a -= 1;
    }
    // Forward, the words after the place are its past the sentence's end until another
    // place is named: "دو جوان را در اصفهان اعدام کردند! … مردمی که تجمع کرده بودند اعتراض
    // کردند"; inside the sentence a list of places goes on ("در خرم آباد، یاسوج و دورود").
    let mut b = last;
    let mut crossed = false;
    while b < doc.tokens.len() && b - last < within {
        crossed |= ends_sentence(b);
        if crossed && doc.in_place(b) {
            break;
        }
        b += 1;
    }
    // "حملات دیشب ترامپ به ایران … میانجی‌ها به تهران سفر کردند": a strike is coded where
    // a word of it stands near the place, not at every place a war report names.
    if sub == "Shelling/artillery/missile attack" || sub == "Remote explosive/landmine/IED" {
        return doc.has_cue(a, b, &[Cat::Shelling, Cat::Explosive]);
    }
    if doc.ceremony_in(a, b) {
        return false;
    }
    let gathering = [Cat::Protest, Cat::Strike, Cat::CrowdControl, Cat::Memorial];
    match sub {
        // "درگیری نظامی ایران و آمریکا", "عملیات تخریب": a clash or a wrecking with no
        // crowd near it is no riot.
        "Violent demonstration" | "Mob violence" => {
            doc.has_cue(a, b, &[Cat::Riot])
                && (doc.has_cue(a, b, &gathering) || doc.has_cue(a, b, &[Cat::Crowd]))
        }
        // "در تهران با شلیک گلوله جان باخت" is a killing in the protests the report tells
        // of; "۶۰ نفر از هموطنان شهید شدند" in a digest of war news, a death and no crowd,
        // is none.
        "Excessive force against protesters" => {
            doc.has_cue(a, b, &gathering)
                || doc.has_cue(a, b, &[Cat::Lethal])
                || doc.has_cue(a, b, &[Cat::Kill])
                    && doc.has_cue(a, b, &[Cat::Riot, Cat::Crowd, Cat::Background])
        }
        _ => doc.has_cue(a, b, &gathering) || doc.has_cue(a, b, &[Cat::Riot]),
    }
}

/// The scene's mentions of its place, within its ranges: its chosen one first.
fn scene_mentions<'a>(doc: &'a Doc, scene: &'a Scene) -> impl Iterator<Item = (usize, usize)> + 'a {
    let again = doc.places.iter().filter(move |m| {
        m.role == Role::Scene
            && m.candidates.contains(&scene.place.id)
            && scene
                .ranges
                .iter()
                .any(|&(a, b)| a <= m.first && m.first < b)
    });
    std::iter::once((scene.place.first, scene.place.last)).chain(again.map(|m| (m.first, m.last)))
}

/// Clears the counts (and their evidence) of an event that shares a report's figures with
/// another place listed before it.
pub fn drop_counts(e: &mut Event) {
    e.fatalities = 0;
    e.injuries = None;
    e.arrests = None;
    e.evidence
        .retain(|ev| !matches!(ev.field.as_str(), "fatalities" | "injuries" | "arrests"));
}

/// Injuries and arrests: the figure, or none for a vague word (the codebook's rule).
fn figure(counts: &Counts, kind: Kind) -> Option<u32> {
    counts.get(kind).filter(|f| !f.vague).map(|f| f.n)
}

fn is_people_word(doc: &Doc, a: usize, b: usize) -> bool {
    (a..b).any(|j| {
        doc.lexicon()
            .find_at(doc.text(), &doc.tokens, j, Cat::Person)
            .is_some()
    })
}

/// Whether the one who does a violent deed is the crowd ("protesters attacked police",
/// "جوانان … سنگ پرتاب کردند"), so it is the demonstrators' own violence. The doer is the
/// first actor or crowd word of the deed's clause that is not an object ("fired tear gas at
/// protesters", "به سوی جمعیت", "معترضان را"); a clause starts at punctuation or a word
/// like "until". A passive verb ("protesters were attacked") keeps the crowd the target.
fn subject_is_crowd(doc: &Doc, h: usize, actors: &[Actor]) -> bool {
    let hit = &doc.hits[h];
    if hit.first > 0
        && doc
            .hit_at(hit.first - 1)
            .is_some_and(|p| doc.hits[p].has(Cat::Passive))
    {
        return false;
    }
    let clause = doc.clause_start(hit.first);
    let start = doc
        .hit_start_before(Cat::ClauseBreak, clause, hit.first)
        .unwrap_or(clause);
    // "people chanted and riot police dispersed them", "مردم شعار دادند و ماموران …":
    // after "and" a new doer may stand; look there first, then from the clause's start.
    let after_and = doc.hit_start_before(Cat::Conjunction, start, hit.first);
    // "این جوانان توسط ماموران با تیر مستقیم کشته شدند": the doer stands after "by".
    let agent = doc.hit_start_before(Cat::Agent, start, hit.first);
    for from in agent.into_iter().chain(after_and).chain(Some(start)) {
        if let Some(crowd) = first_doer(doc, from, hit.first, actors) {
            return crowd;
        }
    }
    false
}

/// The first actor or crowd word in tokens `from..to` that is not an object: `Some(true)`
/// for the crowd, `Some(false)` for a force.
fn first_doer(doc: &Doc, from: usize, to: usize, actors: &[Actor]) -> Option<bool> {
    let mut j = from;
    while j < to {
        let Some(p) = doc.hit_starting_at(j) else {
            j += 1;
            continue;
        };
        let ph = &doc.hits[p];
        j = ph.last;
        let is_actor = ph.value(Cat::Actor);
        let is_crowd =
            ph.has(Cat::Crowd) || ph.has(Cat::Protest) && is_people_word(doc, ph.first, ph.last);
        if is_actor.is_none() && !is_crowd || is_object(doc, ph.first, ph.last) {
            continue;
        }
        return Some(match is_actor {
            Some(ix) => !actors[ix as usize].is_force(),
            None => true,
        });
    }
    None
}

/// Whether the state's men named at `force` fired the shot at `lethal`: they stand before it
/// in its sentence as its subject ("border guards shot at a car"), not as an object or
/// before a passive verb ("a policeman was shot by gunmen").
fn force_is_doer(doc: &Doc, force: (usize, usize), lethal: (usize, usize)) -> bool {
    let passive = lethal.0 > 0
        && doc
            .hit_at(lethal.0 - 1)
            .is_some_and(|p| doc.hits[p].has(Cat::Passive));
    force.1 <= lethal.0
        && doc.sentence_span(force.0) == doc.sentence_span(lethal.0)
        && !is_object(doc, force.0, force.1)
        && !passive
}

fn is_object(doc: &Doc, first: usize, last: usize) -> bool {
    let before = first > 0
        && doc.tokens[first].sep <= Sep::Hyphen
        && doc
            .lexicon()
            .find_ending_at(doc.text(), &doc.tokens, first, Cat::ObjectBefore, 3)
            .is_some();
    let after = last < doc.tokens.len()
        && doc.tokens[last].sep <= Sep::Hyphen
        && doc
            .lexicon()
            .find_at(doc.text(), &doc.tokens, last, Cat::ObjectAfter)
            .is_some();
    before || after
}

/// Whether a shot is of a less-lethal weapon: "fired tear gas", "گاز اشک آور شلیک
/// کردند", "شلیک گاز اشک آور", "fired into the air".
fn weapon_is_less_lethal(doc: &Doc, h: usize) -> bool {
    let hit = &doc.hits[h];
    if hit.has(Cat::LessLethal) {
        return true;
    }
    let near = |j: usize| {
        doc.hit_at(j)
            .is_some_and(|p| doc.hits[p].has(Cat::LessLethal))
    };
    let start = doc.clause_start(hit.first);
    let before = (hit.first.saturating_sub(2).max(start)..hit.first).any(near);
    let after = (hit.last..(hit.last + 2).min(doc.tokens.len()))
        .take_while(|&j| doc.tokens[j].sep < Sep::Comma)
        .any(near);
    before || after
}

fn disorder_type(event_type: &str, sub: &str) -> &'static str {
    match (event_type, sub) {
        ("Protests", "Excessive force against protesters") => "Political violence; Demonstrations",
        ("Protests", _) => "Demonstrations",
        ("Riots", "Violent demonstration") => "Demonstrations",
        ("Strategic developments", _) => "Strategic developments",
        _ => "Political violence",
    }
}

/// ACLED's interaction: the two actor categories, in the codebook's order.
fn interaction(a: &str, b: &str) -> String {
    let rank = |s: &str| match s {
        "State forces" => 1,
        "Rebel group" => 2,
        "Political militia" => 3,
        "Identity militia" => 4,
        "Rioters" => 5,
        "Protesters" => 6,
        "Civilians" => 7,
        _ => 8,
    };
    if rank(a) <= rank(b) {
        format!("{a}-{b}")
    } else {
        format!("{b}-{a}")
    }
}

fn dedup<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// How sure the coder is that this is a real event at this place and date: a heading or a
/// named place and an explicit date raise it; a fallback date or a province lower it.
fn confidence(e: &Event, scene: &Scene, s: &Signals) -> f32 {
    let mut c: f32 = 0.5;
    if scene.date.tokens.is_some() {
        c += 0.15;
    }
    if e.geo_precision == 1 {
        c += 0.15;
    }
    if s.protest.is_some() || s.riot.is_some() {
        c += 0.1;
    }
    if !s.forces.is_empty() {
        c += 0.05;
    }
    c.min(0.95)
}
