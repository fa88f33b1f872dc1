//! The gazetteer of Iran: which places there are, what they are called in English and
//! Persian, where they lie, and where their names occur in report text.
//!
//! The coder asks it two questions: "which places does this folded text name, and where?"
//! ([`Gazetteer::find_mentions`]) and "what is this place?" ([`Gazetteer::place`]). The data is
//! GeoNames (CC BY 4.0), cut down to Iran by `scripts/build_gazetteer.py` into
//! `data/gazetteer/iran.tsv` and built into the binary; users add their own places
//! (neighbourhoods, squares, prisons) with [`Gazetteer::with_user_places`].
//!
//! This crate knows nothing of events, dates or actors, and does no IO: it parses strings it is
//! given. Whether a mention is where something happened is the coder's business.
//!
//! Names are matched as folded by `unrest_text::fold_key`, so case, Arabic-keyboard letters,
//! ZWNJ and punctuation inside a name do not matter. Report text is folded to lowercase before
//! matching, so capitalisation cannot tell the village of "Police" from the police: common
//! words are kept out of the names by the stoplists of the build script instead.

mod data;
mod index;
mod spelling;

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use index::NameIndex;

/// Index of a place in its gazetteer. Stable for one gazetteer; a gazetteer made by
/// [`Gazetteer::with_user_places`] keeps the ids of the one it was made from.
pub type PlaceId = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    Province,
    County,
    City,
    /// A part of a city (a neighbourhood); its city is [`Place::parent_city`].
    District,
    /// A single site: a square, a prison, a university. Only users add these.
    Landmark,
}

impl PlaceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Province => "province",
            PlaceKind::County => "county",
            PlaceKind::City => "city",
            PlaceKind::District => "district",
            PlaceKind::Landmark => "landmark",
        }
    }

    fn parse(s: &str) -> Option<PlaceKind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "province" => PlaceKind::Province,
            "county" => PlaceKind::County,
            "city" => PlaceKind::City,
            "district" => PlaceKind::District,
            "landmark" => PlaceKind::Landmark,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Place {
    pub id: PlaceId,
    /// GeoNames id; 0 for places users added.
    pub geonameid: u32,
    pub kind: PlaceKind,
    /// English name, as ACLED writes it (ASCII, no diacritics).
    pub name: String,
    /// Persian name; empty when none is known.
    pub name_fa: String,
    /// WGS84. A province has its capital's coordinates, a county its seat's.
    pub lat: f64,
    pub lon: f64,
    /// The province, by its ACLED name.
    pub admin1: String,
    /// The county's English name; empty when not known.
    pub admin2: String,
    /// For districts and landmarks: the city they belong to.
    pub parent_city: Option<PlaceId>,
    /// 0 when not known.
    pub population: u32,
}

/// A stretch of folded text that names a place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte range in the folded text.
    pub start: usize,
    pub end: usize,
    /// The places this name may mean, best first (see [`Gazetteer::lookup`]).
    pub candidates: Vec<PlaceId>,
}

/// A line of a places file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceError {
    /// 1-based line number.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for PlaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for PlaceError {}

/// Places and the index of their names.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    places: Vec<Place>,
    /// Every name each place is found by, by place id.
    names: Vec<Vec<String>>,
    index: NameIndex,
    /// Province names and aliases (fold_key) to the province.
    provinces: HashMap<String, PlaceId>,
    /// Province id to its capital city.
    capitals: HashMap<PlaceId, PlaceId>,
    /// Spelling skeleton (see `spelling`) to its places, best first; built on first use.
    by_skeleton: OnceLock<HashMap<String, Vec<PlaceId>>>,
    /// The same skeletons without their vowels (see `spelling::consonants`), built on first use.
    by_consonants: OnceLock<HashMap<String, Vec<PlaceId>>>,
}

/// Skeletons shorter than this find nothing: too many names and words share them.
const MIN_SKELETON: usize = 4;

/// Cities and districts smaller than this are found by their listed spellings only: a village
/// is rarely written in a new spelling, and its skeleton is more often some other word's.
const MIN_SPELLING_POPULATION: u32 = 1000;

const EMBEDDED_TSV: &str = include_str!("../../../data/gazetteer/iran.tsv");

impl Gazetteer {
    /// Persian names of places as events write them (cities and districts before counties, so a
    /// county named after its seat takes the city's name), for the digest's Persian edition.
    /// Province names are left to the digest's own table: a town that shares a province's
    /// English name (Golestan) must not rename the province.
    pub fn persian_names(&self) -> HashMap<String, String> {
        let g = self;
        let provinces: std::collections::HashSet<&str> = g
            .places()
            .iter()
            .filter(|p| p.kind == PlaceKind::Province)
            .map(|p| p.name.as_str())
            .collect();
        let mut names = HashMap::new();
        for kind in [
            PlaceKind::City,
            PlaceKind::District,
            PlaceKind::Landmark,
            PlaceKind::County,
        ] {
            for p in g.places().iter().filter(|p| {
                p.kind == kind && !p.name_fa.is_empty() && !provinces.contains(p.name.as_str())
            }) {
                names
                    .entry(p.name.clone())
                    .or_insert_with(|| p.name_fa.clone());
            }
        }
        names
    }

    /// The gazetteer of Iran built into the binary, parsed on first use.
    pub fn embedded() -> &'static Gazetteer {
        static EMBEDDED: OnceLock<Gazetteer> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            let (places, names) = data::parse_gazetteer(EMBEDDED_TSV)
                .unwrap_or_else(|e| panic!("data/gazetteer/iran.tsv: {e}"));
            Gazetteer::build(places, names)
        })
    }

    /// This gazetteer plus the places of a user's places file (`--places FILE`).
    ///
    /// Tab-separated columns: `name lat lon [city] [admin1] [kind] [alt names separated by |]`.
    /// Blank lines and lines starting with `#` are skipped, and so is a first line that starts
    /// with the word `name` (a header). A place with a city is a district of it unless `kind`
    /// says otherwise; `admin1` and `admin2` come from its city, or else from the nearest city.
    /// User places come first among the candidates of their names: whoever wrote the file
    /// meant them.
    pub fn with_user_places(&self, tsv: &str) -> Result<Gazetteer, PlaceError> {
        let mut places = self.places.clone();
        let mut names = self.names.clone();
        data::parse_user_places(self, tsv, &mut places, &mut names)?;
        Ok(Gazetteer::build(places, names))
    }

    fn build(mut places: Vec<Place>, names: Vec<Vec<String>>) -> Gazetteer {
        for (i, p) in places.iter_mut().enumerate() {
            p.id = i as PlaceId;
        }
        let capitals = find_capitals(&places);
        let mut provinces = HashMap::new();
        for p in places.iter().filter(|p| p.kind == PlaceKind::Province) {
            let keys = std::iter::once(&p.name).chain(&names[p.id as usize]);
            for key in keys.map(|n| unrest_text::fold_key(n)) {
                provinces.entry(key).or_insert(p.id);
            }
        }
        set_district_parents(&mut places);
        let index = NameIndex::build(&places, &names, &capitals);
        Gazetteer {
            places,
            names,
            index,
            provinces,
            capitals,
            by_skeleton: OnceLock::new(),
            by_consonants: OnceLock::new(),
        }
    }

    /// The places whose romanised name is spelled another way in `folded_words` (folded words
    /// of a report, joined by spaces): "Doroud" finds Dorud, "Hafttapeh" Haft Tappeh, by the
    /// rules of `data/gazetteer/spelling.tsv`. Best first, as [`Gazetteer::lookup`]. Empty for
    /// words in other scripts, for short skeletons, and for villages under
    /// 1,000 people.
    pub fn lookup_spelling(&self, folded_words: &str) -> Vec<PlaceId> {
        self.skeleton_places(folded_words)
            .iter()
            .copied()
            .filter(|&id| !self.is_small_settlement(id))
            .collect()
    }

    /// Every place, villages included, whose name has the skeleton of `folded_words`: the
    /// namesakes of a name the report wrote in one listed spelling ("Roudbar", listed for a
    /// town in Gilan, is also spelled like Rudbar in Kerman). The words are known to be a
    /// place's name, so a village's spelling is no English word's here; context chooses.
    pub fn spelling_namesakes(&self, folded_words: &str) -> &[PlaceId] {
        self.skeleton_places(folded_words)
    }

    fn skeleton_places(&self, folded_words: &str) -> &[PlaceId] {
        let Some(key) = spelling::skeleton(folded_words) else {
            return &[];
        };
        if key.len() < MIN_SKELETON {
            return &[];
        }
        let map = self.by_skeleton.get_or_init(|| self.build_skeletons());
        map.get(&key).map(Vec::as_slice).unwrap_or_default()
    }

    /// The places, villages left out, whose name has the consonants of `folded_words` in the
    /// same order: "Lanjan" finds Lenjan, "Sarepol Zahab" Sarpol-e Zahab. Vowels are what
    /// romanisations differ in most and what English words differ from names in, so the
    /// caller must have context that makes the reading a place's (see
    /// `spelling::consonants`). Best first, as [`Gazetteer::lookup`].
    pub fn lookup_consonants(&self, folded_words: &str) -> Vec<PlaceId> {
        let Some(key) = spelling::skeleton(folded_words).and_then(|k| spelling::consonants(&k))
        else {
            return Vec::new();
        };
        let map = self.by_consonants.get_or_init(|| {
            let skeletons = self.by_skeleton.get_or_init(|| self.build_skeletons());
            let mut map: HashMap<String, Vec<PlaceId>> = HashMap::new();
            for (skeleton, ids) in skeletons {
                if let Some(key) = spelling::consonants(skeleton) {
                    map.entry(key).or_default().extend(ids);
                }
            }
            for ids in map.values_mut() {
                ids.sort_unstable();
                ids.dedup();
                index::rank(ids, &self.places, &self.capitals);
            }
            map
        });
        map.get(&key)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|&id| !self.is_small_settlement(id))
            .collect()
    }

    /// A city or district under [`MIN_SPELLING_POPULATION`] from GeoNames.
    fn is_small_settlement(&self, id: PlaceId) -> bool {
        let p = &self.places[id as usize];
        matches!(p.kind, PlaceKind::City | PlaceKind::District)
            && p.geonameid != 0
            && p.population < MIN_SPELLING_POPULATION
    }

    fn build_skeletons(&self) -> HashMap<String, Vec<PlaceId>> {
        let mut map: HashMap<String, Vec<PlaceId>> = HashMap::new();
        for p in &self.places {
            // Only the names a place is found by: the build script leaves out a display name
            // that is a common word ("Kian"), and so must its spellings.
            for name in &self.names[p.id as usize] {
                if let Some(key) = spelling::skeleton(&unrest_text::fold_key(name)) {
                    map.entry(key).or_default().push(p.id);
                }
            }
        }
        for ids in map.values_mut() {
            ids.sort_unstable();
            ids.dedup();
            index::rank(ids, &self.places, &self.capitals);
        }
        map
    }

    /// The place with this id. Panics on an id from another gazetteer that this one lacks.
    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id as usize]
    }

    /// All places, indexed by their id.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The places a name may mean, best first: places the user added; then, when the name is
    /// a province's and not also its capital's ("Kurdistan", "Fars", "Gilan"), that province;
    /// then cities and districts, the most populous first; then counties; then provinces
    /// ("Tehran" is the city first, the county next, the province last).
    pub fn lookup(&self, name: &str) -> Vec<PlaceId> {
        self.index.get(&unrest_text::fold_key(name)).to_vec()
    }

    /// The province with this ACLED name or any of its other names ("Kordestan",
    /// "استان کردستان", "Kurdistan Province").
    pub fn province(&self, admin1: &str) -> Option<&Place> {
        let key = unrest_text::fold_key(admin1);
        let id = self.provinces.get(&key).or_else(|| {
            let bare = key
                .strip_prefix("استان ")
                .or_else(|| key.strip_prefix("ostan e "))
                .or_else(|| key.strip_suffix(" province"))?;
            self.provinces.get(bare)
        })?;
        Some(self.place(*id))
    }

    /// Every name of the province `admin1` names, as [`Gazetteer::province`] finds it: its
    /// ACLED name first ("Kordestan"), then the others it is found by ("Kurdistan",
    /// "کردستان", …). Empty when `admin1` names no province. Filters match stored rows by
    /// these, so a row written under any spelling (ours before ACLED's, an import's) is found.
    pub fn province_names(&self, admin1: &str) -> Vec<&str> {
        let Some(p) = self.province(admin1) else {
            return Vec::new();
        };
        let mut out = vec![p.name.as_str()];
        for n in &self.names[p.id as usize] {
            if !out.contains(&n.as_str()) {
                out.push(n);
            }
        }
        out
    }

    /// The capital city of a province named as [`Gazetteer::province`] accepts.
    pub fn provincial_capital(&self, admin1: &str) -> Option<&Place> {
        let province = self.province(admin1)?;
        self.capitals.get(&province.id).map(|&id| self.place(id))
    }

    /// Every whole-word occurrence of a place name in `folded_text` (folded with
    /// `unrest_text::fold` or `Folded`), in order and not overlapping; where names of different
    /// lengths start at one word, the longest wins ("Bandar-e Abbas", not "Bandar").
    pub fn find_mentions(&self, folded_text: &str) -> Vec<Mention> {
        self.index.find_mentions(folded_text)
    }

    /// The settlement nearest to a point (a city, a neighbourhood or a user's landmark; not a
    /// province or county), with its distance in kilometres.
    pub fn nearest_settlement(&self, lat: f64, lon: f64) -> Option<(&Place, f64)> {
        self.places
            .iter()
            .filter(|p| {
                matches!(
                    p.kind,
                    PlaceKind::City | PlaceKind::District | PlaceKind::Landmark
                )
            })
            .map(|p| (p, distance_km(lat, lon, p.lat, p.lon)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The city nearest to a point (great-circle distance).
    pub fn nearest_city(&self, lat: f64, lon: f64) -> Option<&Place> {
        self.places
            .iter()
            .filter(|p| p.kind == PlaceKind::City)
            .min_by(|a, b| {
                distance_km(lat, lon, a.lat, a.lon).total_cmp(&distance_km(lat, lon, b.lat, b.lon))
            })
    }
}

/// A province's capital is the city of that province at the province's coordinates (the build
/// script writes the capital's coordinates on the province's row).
fn find_capitals(places: &[Place]) -> HashMap<PlaceId, PlaceId> {
    let mut capitals = HashMap::new();
    for province in places.iter().filter(|p| p.kind == PlaceKind::Province) {
        let capital = places
            .iter()
            .filter(|p| p.kind == PlaceKind::City && p.admin1 == province.admin1)
            .min_by(|a, b| {
                let da = distance_km(province.lat, province.lon, a.lat, a.lon);
                let db = distance_km(province.lat, province.lon, b.lat, b.lon);
                da.total_cmp(&db).then(b.population.cmp(&a.population))
            });
        if let Some(c) = capital {
            capitals.insert(province.id, c.id);
        }
    }
    capitals
}

/// Districts from the data carry no city: theirs is the most populous city of their province
/// within [`DISTRICT_CITY_RADIUS_KM`].
fn set_district_parents(places: &mut [Place]) {
    for i in 0..places.len() {
        if places[i].kind != PlaceKind::District || places[i].parent_city.is_some() {
            continue;
        }
        let d = &places[i];
        let parent = places
            .iter()
            .filter(|p| p.kind == PlaceKind::City && p.admin1 == d.admin1)
            .filter(|p| distance_km(d.lat, d.lon, p.lat, p.lon) <= DISTRICT_CITY_RADIUS_KM)
            .max_by_key(|p| p.population)
            .map(|p| p.id);
        places[i].parent_city = parent;
    }
}

const DISTRICT_CITY_RADIUS_KM: f64 = 25.0;

/// Great-circle distance in kilometres.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// Timed on a fresh parse: `Gazetteer::embedded()` may already have been loaded by another
    /// test running at the same time.
    #[test]
    fn data_loads_well_under_100_ms() {
        let started = Instant::now();
        let (places, names) = data::parse_gazetteer(EMBEDDED_TSV).unwrap();
        let parsed = started.elapsed();
        let g = Gazetteer::build(places, names);
        let elapsed = started.elapsed();
        println!(
            "gazetteer loaded in {:.1} ms ({:.1} ms parsing, {} places, {} bytes of data)",
            elapsed.as_secs_f64() * 1e3,
            parsed.as_secs_f64() * 1e3,
            g.places().len(),
            EMBEDDED_TSV.len()
        );
    }
}
