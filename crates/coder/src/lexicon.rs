//! Words and phrases: the tokens of a folded report, and the lexicon that finds rule phrases
//! among them.
//!
//! A phrase is a run of words separated in the text only by spaces or hyphens; punctuation
//! between two words ends any phrase. This is the one matcher every rule uses, so a rule is
//! a line in a data file, never a pattern in code.

use rustc_hash::FxHashMap as HashMap;
use unrest_text::Folded;

/// What separates a token from the one before it; the strongest separator wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sep {
    /// Only spaces (or nothing, at the start).
    Space,
    /// A hyphen inside or between words ("Bu-Ali", "nine-year-old").
    Hyphen,
    /// A comma, a slash, a bracket or a quote.
    Comma,
    /// A dash standing between spaces, or an em or en dash ("Sari—November 28").
    Dash,
    /// A colon: ends a heading ("Rasht, 8 October:").
    Colon,
    /// A sentence or clause end: `.`, `!`, `?`, `;`, `:`.
    Clause,
    /// A line break.
    Line,
}

/// One word (or number) of the folded text.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub sep: Sep,
    /// Index of the line the token stands on.
    pub line: u32,
    /// The first character in the original text is an uppercase letter.
    pub capitalised: bool,
}

/// Splits folded text into word tokens.
pub fn tokenize(folded: &Folded, original: &str) -> Vec<Token> {
    let text = folded.as_str();
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut sep = Sep::Space;
    let mut line = 0u32;
    let mut word_start: Option<usize> = None;
    let mut prev_space = true;
    for (i, c) in text.char_indices() {
        // "1,200": a thousands separator stays inside the number.
        if c == ',' && word_start.is_some_and(|s| text[s..i].bytes().all(|b| b.is_ascii_digit())) {
            let rest = &text.as_bytes()[i + 1..];
            if rest.len() >= 3
                && rest[..3].iter().all(u8::is_ascii_digit)
                && !rest.get(3).is_some_and(u8::is_ascii_digit)
            {
                continue;
            }
        }
        // "35.6892": a decimal point stays inside the number; it ends no clause.
        if c == '.'
            && word_start.is_some_and(|s| text[s..i].bytes().all(|b| b.is_ascii_digit()))
            && text.as_bytes().get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            continue;
        }
        if unrest_text::is_word_char(c) {
            if word_start.is_none() {
                word_start = Some(i);
            }
            continue;
        }
        if let Some(s) = word_start.take() {
            push(&mut tokens, folded, original, s, i, sep, line);
            sep = Sep::Space;
            prev_space = false;
        }
        let this = match c {
            '\n' => {
                line += 1;
                Sep::Line
            }
            c if c.is_whitespace() => {
                prev_space = true;
                continue;
            }
            ':' => Sep::Colon,
            '.' | '!' | '?' | ';' => Sep::Clause,
            '-' => {
                let o = original[folded.original_start(i)..].chars().next();
                if prev_space || o.is_some_and(|o| o != '-') || next_is_space(text, i) {
                    Sep::Dash
                } else {
                    Sep::Hyphen
                }
            }
            ',' | '/' | '(' | ')' | '[' | ']' | '|' | '*' | '•' => Sep::Comma,
            _ => Sep::Space,
        };
        prev_space = false;
        if this > sep {
            sep = this;
        }
    }
    if let Some(s) = word_start {
        push(&mut tokens, folded, original, s, text.len(), sep, line);
    }
    tokens
}

fn next_is_space(text: &str, i: usize) -> bool {
    text[i + 1..]
        .chars()
        .next()
        .is_some_and(char::is_whitespace)
}

fn push(
    tokens: &mut Vec<Token>,
    folded: &Folded,
    original: &str,
    start: usize,
    end: usize,
    sep: Sep,
    line: u32,
) {
    let capitalised = original[folded.original_start(start)..]
        .chars()
        .next()
        .is_some_and(char::is_uppercase);
    tokens.push(Token {
        start,
        end,
        sep,
        line,
        capitalised,
    });
}

/// The meanings a phrase can carry. Each list of a language file is one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cat {
    Protest,
    Strike,
    Crowd,
    Riot,
    Intervention,
    Lethal,
    Unidentified,
    Calm,
    Kill,
    KillActive,
    Injure,
    InjureActive,
    Arrest,
    ArrestActive,
    Negation,
    NegationAfter,
    Casualties,
    Past,
    Origin,
    Location,
    Near,
    Movement,
    Heading,
    District,
    Province,
    /// A national institution that sits in the capital.
    Capital,
    Since,
    /// A word of telling ("said", "confirmed"): a date right after it is the day of the
    /// telling, not of the event ("his family said this week").
    Speech,
    DayCount,
    Street,
    Person,
    ArticleOne,
    Others,
    Including,
    AtLeast,
    Passive,
    Age,
    ObjectBefore,
    ObjectAfter,
    ClauseBreak,
    LessLethal,
    Conjunction,
    Singular,
    CrowdControl,
    OriginFrom,
    /// A word for a kind of place ("شهر", "روستای"): the name after it is a place.
    PlaceType,
    /// A word that makes the name after it an institution's or a street's ("بیمارستان",
    /// "دیوان"), not a place where something happened.
    NotPlace,
    /// A place name that is also a common word or a first name ("بهار", "شهریار"): a place
    /// only with the context of one.
    CommonName,
    /// A burial verb after a place: the place is where someone was buried, not a scene.
    Burial,
    /// A phrase that names earlier protests as background ("در جریان اعتراضات"), not a
    /// report of one.
    Background,
    /// Court, prison and sentence words: the report's arrests are its background.
    Judicial,
    /// A stretch of time ("روز", "ساعت"): after "after" it is a delay.
    Duration,
    /// A word after which a number is a name or a label ("خیابان ۲۰۲", "بند ۲۰۹").
    Label,
    /// Where a person lives ("ساکن"): see `Role::Residence`.
    Residence,
    /// A running tally ("تا کنون", "so far"): its figures are not one event's.
    Tally,
    /// "This town" ("در این شهرستان"): the place named before it, even in a title.
    Anaphor,
    /// This one event named ("در این حمله", "in the attack"): a tally word in its sentence
    /// counts that event.
    ThisEvent,
    /// What a number after which counts things, not people ("سه تیر", "دو گلوله").
    Unit,
    /// Rumour and hedging ("گفته می شود", "unverified"): lowers confidence.
    Hedge,
    /// A crime's words ("قاتل", "انگیزه شخصی"): a killing for private motives is no event.
    Crime,
    /// Something done again and again ("هر شب"): a habit, not one dated event.
    Habitual,
    /// A condition ("if", "اگر"): what the rest of its sentence tells has not happened.
    Conditional,
    /// A denial ("تکذیب شد", "denied"): what its sentence tells did not happen.
    Denial,
    /// The disposal of unexploded munitions ("انفجار کنترل شده"): a report's blasts are the
    /// army's, no attack.
    Disposal,
    /// Provinces named as the area of a report ("در استان های …"), not a scene.
    ProvinceArea,
    /// "Earlier" opening a sentence ("پیشتر هم …"): the sentence reports an earlier event
    /// on the date it names.
    Earlier,
    /// An armed group that is not the state's ("militants", "جیش العدل"): its fights are
    /// battles, not riots.
    ArmedGroup,
    /// An exchange of fire between armed sides ("gun battle", "تبادل آتش").
    ArmedClash,
    /// A member of the state's forces as a person ("a policeman", "two border guards"):
    /// harmed by armed men, a battle.
    ForcePerson,
    /// A bomb, a mine, an explosion: remote violence.
    Explosive,
    /// Shelling, rockets, air or drone strikes: remote violence from afar.
    Shelling,
    /// Seizing ("seized", "confiscated", "کشف و ضبط"): with a weapon, a strategic development.
    Seizure,
    /// Weapons, ammunition, explosives as goods.
    Weapon,
    /// Bodily violence against people ("beat", "attacked", "ضرب و شتم"): by the state's
    /// forces on people who are not demonstrating, an attack on civilians.
    Assault,
    /// A word that makes the place name before it part of an organisation's name
    /// ("company", "sugar", "petrochemical"): see `Role::Name`.
    Organisation,
    /// A word before a name that puts it outside the country ("Iraqi Kurdistan"): the
    /// name is not the province or town of that name.
    Abroad,
    /// A place abroad or a foreign institution ("کویت", "کاخ سفید"): a sentence naming one
    /// tells of no event in Iran unless it names the event's place too.
    Foreign,
    /// An ending written after a ZWNJ ("ها", "ای"): the word before it is still a word of
    /// its own ("تهران‌ها").
    Ending,
    /// The capital standing for the state ("پاسخ تهران", "به وقت تهران"): a place name
    /// inside such a phrase is no place.
    State,
    /// Words that describe the next place of a list ("as well as southwestern cities of
    /// Ahwaz", "northeastern Gorgan city"): the list goes on through them.
    ListFiller,
    /// A word between a part and the town it lies in ("Kooye Alavi in Ahvaz"): names
    /// listed before it are parts of that town, not namesakes elsewhere.
    Within,
    /// The doer of a passive verb ("توسط", "به دست"): who acted stands after it.
    Agent,
    /// An accident or a disaster ("car crash", "earthquake"): a death there is no violence.
    Mishap,
    /// Dying, said with no one's doing in it ("died", "جان باخت"): a death told only so is
    /// no attack.
    Death,
    /// The title of someone killed in the protests, before their name ("جاویدنام X"): a
    /// memorial line with a place and a day is that killing's report.
    Memorial,
    /// Things that can be damaged ("a building", "a parked car"): attacked by unknown men
    /// with no one hurt, the attack is property destruction.
    Property,
    /// A slogan written, not chanted ("شعار نوشته شده", graffiti): no gathering.
    Written,
    /// A state ceremony or a crowd of fans ("اقامه نماز بر پیکر", "مصلی", "هواداران"): the
    /// crowd and the chants near it are no demonstration.
    Ceremony,
    /// The attacker's forces named as the doer ("نیروهای آمریکایی"): a strike when their
    /// sentence holds an attack word.
    Attacker,
    /// Air defence firing or heard ("فعال شدن پدافند"): no event by itself, but a line
    /// that tells of it is a message, not a heading.
    AirDefence,
    /// An attack word ("حملات"): with the attacker's forces in its sentence, a strike.
    Attack,
    /// A gathering named as a rally ("اجتماع عزاداران … در میدان"): a ceremony word in its
    /// sentence ("رهبر شهید") does not make it a ceremony.
    Rally,
    /// A missile launched, after the place it left from ("از ملارد موشک زدن"): the launch
    /// site is no scene.
    Launch,
    /// A command's or an office's name before its seat ("سپاه پاسداران زنجان", "سپاه
    /// نبی اکرم کرمانشاه"): the command speaks; its seat is no scene.
    Command,
    /// A number word; the value is the number.
    Number,
    /// A vague quantity; the value is the codebook's figure.
    Vague,
    /// An actor word; the value indexes the actor table.
    Actor,
}

impl Cat {
    /// The category a `[cue]` list of a language file fills.
    pub fn from_list_name(name: &str) -> Option<Cat> {
        Some(match name {
            "protest" => Cat::Protest,
            "strike" => Cat::Strike,
            "crowd" => Cat::Crowd,
            "riot" => Cat::Riot,
            "intervention" => Cat::Intervention,
            "lethal" => Cat::Lethal,
            "unidentified" => Cat::Unidentified,
            "calm" => Cat::Calm,
            "kill" => Cat::Kill,
            "kill_active" => Cat::KillActive,
            "injure" => Cat::Injure,
            "injure_active" => Cat::InjureActive,
            "arrest" => Cat::Arrest,
            "arrest_active" => Cat::ArrestActive,
            "negation" => Cat::Negation,
            "negation_after" => Cat::NegationAfter,
            "casualties" => Cat::Casualties,
            "past" => Cat::Past,
            "origin" => Cat::Origin,
            // Where something is sent, not where people gather: read as an origin is.
            "destination" => Cat::Origin,
            // A call or a plan to protest: what it asks for has not happened; read as a
            // negation is.
            "call" => Cat::Negation,
            "call_after" => Cat::NegationAfter,
            "location" => Cat::Location,
            "near" => Cat::Near,
            "movement" => Cat::Movement,
            "heading" => Cat::Heading,
            "district" => Cat::District,
            "province" => Cat::Province,
            "capital" => Cat::Capital,
            "since" => Cat::Since,
            "speech" => Cat::Speech,
            "day_count" => Cat::DayCount,
            "street" => Cat::Street,
            "person" => Cat::Person,
            "article_one" => Cat::ArticleOne,
            "others" => Cat::Others,
            "including" => Cat::Including,
            "at_least" => Cat::AtLeast,
            "passive" => Cat::Passive,
            "age" => Cat::Age,
            "object_before" => Cat::ObjectBefore,
            "object_after" => Cat::ObjectAfter,
            "clause_break" => Cat::ClauseBreak,
            "less_lethal" => Cat::LessLethal,
            "conjunction" => Cat::Conjunction,
            "singular" => Cat::Singular,
            "crowd_control" => Cat::CrowdControl,
            "origin_from" => Cat::OriginFrom,
            "place_type" => Cat::PlaceType,
            "not_place" => Cat::NotPlace,
            "common_name" => Cat::CommonName,
            "burial" => Cat::Burial,
            "background" => Cat::Background,
            "judicial" => Cat::Judicial,
            "hedge" => Cat::Hedge,
            "crime" => Cat::Crime,
            "habitual" => Cat::Habitual,
            "conditional" => Cat::Conditional,
            "denial" => Cat::Denial,
            "disposal" => Cat::Disposal,
            "province_area" => Cat::ProvinceArea,
            "earlier" => Cat::Earlier,
            "unit" => Cat::Unit,
            "residence" => Cat::Residence,
            "tally" => Cat::Tally,
            "anaphor" => Cat::Anaphor,
            "this_event" => Cat::ThisEvent,
            "duration" => Cat::Duration,
            "label" => Cat::Label,
            "armed_group" => Cat::ArmedGroup,
            "armed_clash" => Cat::ArmedClash,
            "force_person" => Cat::ForcePerson,
            "explosive" => Cat::Explosive,
            "shelling" => Cat::Shelling,
            "seizure" => Cat::Seizure,
            "weapon" => Cat::Weapon,
            "memorial" => Cat::Memorial,
            "property" => Cat::Property,
            "written" => Cat::Written,
            "ceremony" => Cat::Ceremony,
            "rally" => Cat::Rally,
            "attacker" => Cat::Attacker,
            "air_defence" => Cat::AirDefence,
            "attack" => Cat::Attack,
            "launch" => Cat::Launch,
            "command" => Cat::Command,
            // "شلیک موشک از تبریز": where a missile left from is read as an origin is.
            "launched_from" => Cat::Origin,
            "mishap" => Cat::Mishap,
            "death" => Cat::Death,
            "assault" => Cat::Assault,
            "organisation" => Cat::Organisation,
            "abroad" => Cat::Abroad,
            "foreign" => Cat::Foreign,
            "ending" => Cat::Ending,
            "state" => Cat::State,
            "list_filler" => Cat::ListFiller,
            "within" => Cat::Within,
            "agent" => Cat::Agent,
            _ => return None,
        })
    }
}

/// One meaning of a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meaning {
    pub cat: Cat,
    pub value: u32,
}

#[derive(Debug, Clone)]
struct Entry {
    words: Vec<String>,
    /// The last word matches any word it begins.
    last_prefix: bool,
    meanings: Vec<Meaning>,
}

/// The meanings one hit carries at most; a phrase in more lists keeps the first ones.
const MAX_MEANINGS: usize = 6;

/// A phrase found in the tokens: tokens `first..last` (exclusive). Its meanings are held
/// inline: a report has many hits and each would otherwise be an allocation.
#[derive(Debug, Clone)]
pub struct Hit {
    pub first: usize,
    pub last: usize,
    meanings: [Meaning; MAX_MEANINGS],
    count: u8,
}

impl Hit {
    fn new(first: usize, last: usize, ms: &[Meaning]) -> Hit {
        let mut hit = Hit {
            first,
            last,
            meanings: [Meaning {
                cat: Cat::Protest,
                value: 0,
            }; MAX_MEANINGS],
            count: 0,
        };
        for m in ms {
            hit.add(*m);
        }
        hit
    }

    pub(crate) fn add(&mut self, m: Meaning) {
        let n = self.count as usize;
        if n < MAX_MEANINGS && !self.meanings[..n].contains(&m) {
            self.meanings[n] = m;
            self.count += 1;
        }
    }

    pub fn meanings(&self) -> &[Meaning] {
        &self.meanings[..self.count as usize]
    }

    pub fn has(&self, cat: Cat) -> bool {
        self.meanings().iter().any(|m| m.cat == cat)
    }

    pub fn value(&self, cat: Cat) -> Option<u32> {
        self.meanings()
            .iter()
            .find(|m| m.cat == cat)
            .map(|m| m.value)
    }
}

/// Rule phrases indexed by their first word.
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    entries: Vec<Entry>,
    by_word: HashMap<String, Vec<u32>>,
    /// Single-word prefix phrases, by the prefix.
    by_prefix: HashMap<String, Vec<u32>>,
    /// The lengths (in bytes) of those prefixes.
    prefix_lens: Vec<usize>,
    index: HashMap<(Vec<String>, bool), u32>,
}

impl Lexicon {
    /// Adds a phrase with a meaning. `joined_variants` also adds every way of writing the
    /// phrase's words together (Persian compounds typed without a ZWNJ).
    pub fn add(&mut self, phrase: &str, meaning: Meaning, joined_variants: bool) {
        let folded = unrest_text::fold(phrase);
        let last_prefix = folded.trim_end().ends_with('*');
        let words: Vec<String> = folded
            .split(|c: char| !unrest_text::is_word_char(c))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        if words.is_empty() {
            return;
        }
        if joined_variants && words.len() > 1 && words.len() <= 5 {
            for mask in 1..(1u32 << (words.len() - 1)) {
                let mut variant = vec![words[0].clone()];
                for (i, w) in words.iter().enumerate().skip(1) {
                    if mask & (1 << (i - 1)) != 0 {
                        variant.last_mut().expect("not empty").push_str(w);
                    } else {
                        variant.push(w.clone());
                    }
                }
                self.insert(variant, last_prefix, meaning);
            }
        }
        self.insert(words, last_prefix, meaning);
    }

    fn insert(&mut self, words: Vec<String>, last_prefix: bool, meaning: Meaning) {
        let key = (words.clone(), last_prefix);
        if let Some(&id) = self.index.get(&key) {
            let meanings = &mut self.entries[id as usize].meanings;
            if !meanings.contains(&meaning) {
                meanings.push(meaning);
            }
            return;
        }
        let id = self.entries.len() as u32;
        if last_prefix && words.len() == 1 {
            let len = words[0].len();
            self.by_prefix.entry(words[0].clone()).or_default().push(id);
            if !self.prefix_lens.contains(&len) {
                self.prefix_lens.push(len);
                self.prefix_lens.sort_unstable();
            }
        } else {
            self.by_word.entry(words[0].clone()).or_default().push(id);
        }
        self.index.insert(key, id);
        self.entries.push(Entry {
            words,
            last_prefix,
            meanings: vec![meaning],
        });
    }

    /// Every phrase that starts at token `i`, as (number of tokens, meanings).
    pub fn matches_at<'a>(
        &'a self,
        text: &'a str,
        tokens: &'a [Token],
        i: usize,
    ) -> impl Iterator<Item = (usize, &'a [Meaning])> + 'a {
        let word = &text[tokens[i].start..tokens[i].end];
        let exact = self.by_word.get(word).into_iter().flatten();
        let prefixed = self
            .prefix_lens
            .iter()
            .take_while(move |&&l| l <= word.len())
            .filter_map(move |&l| word.get(..l))
            .filter_map(move |p| self.by_prefix.get(p))
            .flatten();
        exact.chain(prefixed).filter_map(move |&id| {
            let e = &self.entries[id as usize];
            self.entry_matches(e, text, tokens, i)
                .then_some((e.words.len(), e.meanings.as_slice()))
        })
    }

    fn entry_matches(&self, e: &Entry, text: &str, tokens: &[Token], i: usize) -> bool {
        if i + e.words.len() > tokens.len() {
            return false;
        }
        let n = e.words.len();
        for (k, w) in e.words.iter().enumerate() {
            let t = &tokens[i + k];
            if k > 0 && t.sep > Sep::Hyphen {
                return false;
            }
            let word = &text[t.start..t.end];
            let ok = if k == n - 1 && e.last_prefix {
                word.starts_with(w.as_str())
            } else {
                word == w
            };
            if !ok {
                return false;
            }
        }
        true
    }

    /// Whether a phrase of `cat` starts at token `i`; returns its length in tokens.
    pub fn find_at(
        &self,
        text: &str,
        tokens: &[Token],
        i: usize,
        cat: Cat,
    ) -> Option<(usize, u32)> {
        self.matches_at(text, tokens, i)
            .filter_map(|(len, ms)| ms.iter().find(|m| m.cat == cat).map(|m| (len, m.value)))
            .max_by_key(|&(len, _)| len)
    }

    /// Whether a phrase of `cat` ends exactly at token `end` (exclusive), looking back at
    /// most `max_len` tokens; returns its first token.
    pub fn find_ending_at(
        &self,
        text: &str,
        tokens: &[Token],
        end: usize,
        cat: Cat,
        max_len: usize,
    ) -> Option<usize> {
        (1..=max_len.min(end))
            .rev()
            .map(|len| end - len)
            .find(|&s| {
                self.matches_at(text, tokens, s)
                    .any(|(len, ms)| s + len == end && ms.iter().any(|m| m.cat == cat))
            })
    }

    /// All phrases of the text, leftmost-longest, not overlapping. Phrases of equal length
    /// at one place merge their meanings.
    pub fn scan(&self, text: &str, tokens: &[Token]) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let mut best: Option<Hit> = None;
            for (len, ms) in self.matches_at(text, tokens, i) {
                match &mut best {
                    Some(b) if b.last - b.first > len => {}
                    Some(b) if b.last - b.first == len => {
                        for m in ms {
                            b.add(*m);
                        }
                    }
                    _ => best = Some(Hit::new(i, i + len, ms)),
                }
            }
            match best {
                Some(h) => {
                    i = h.last;
                    hits.push(h);
                }
                None => i += 1,
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> (Folded, Vec<Token>) {
        let f = Folded::new(s);
        let t = tokenize(&f, s);
        (f, t)
    }

    #[test]
    fn an_em_dash_is_a_dash_and_a_word_hyphen_is_not() {
        let (_, t) = toks("Sari—November 28, Bu-Ali");
        assert_eq!(t[1].sep, Sep::Dash);
        assert_eq!(t[4].sep, Sep::Hyphen);
        assert_eq!(t[3].sep, Sep::Comma);
    }

    #[test]
    fn phrases_do_not_cross_punctuation() {
        let mut lex = Lexicon::default();
        lex.add(
            "tear gas",
            Meaning {
                cat: Cat::Intervention,
                value: 0,
            },
            false,
        );
        let (f, t) = toks("tear gas; tear. gas");
        let hits = lex.scan(f.as_str(), &t);
        assert_eq!(hits.len(), 1);
    }

    #[test]
    fn a_trailing_star_matches_word_endings() {
        let mut lex = Lexicon::default();
        lex.add(
            "protest*",
            Meaning {
                cat: Cat::Protest,
                value: 0,
            },
            false,
        );
        let (f, t) = toks("Protesters protested");
        assert_eq!(lex.scan(f.as_str(), &t).len(), 2);
    }

    #[test]
    fn persian_compounds_match_without_zwnj() {
        let mut lex = Lexicon::default();
        lex.add(
            "گاز اشک آور",
            Meaning {
                cat: Cat::Intervention,
                value: 0,
            },
            true,
        );
        for s in ["گاز اشک‌آور", "گاز اشکآور", "گاز اشک آور"] {
            let (f, t) = toks(s);
            assert_eq!(lex.scan(f.as_str(), &t).len(), 1, "{s}");
        }
    }
}
