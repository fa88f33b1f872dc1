//! Reading the two place formats: the gazetteer data file the build script writes, and the
//! places files users write.

use crate::{Gazetteer, Place, PlaceError, PlaceKind};

fn error(line: usize, message: impl Into<String>) -> PlaceError {
    PlaceError {
        line,
        message: message.into(),
    }
}

/// Lines that carry data, with their 1-based numbers: blank lines and `#` comments are skipped.
fn data_lines(tsv: &str) -> impl Iterator<Item = (usize, &str)> {
    tsv.lines().enumerate().filter_map(|(i, line)| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let trimmed = line.trim();
        (!trimmed.is_empty() && !trimmed.starts_with('#')).then_some((i + 1, line))
    })
}

fn split_names(field: &str) -> impl Iterator<Item = &str> {
    field.split('|').map(str::trim).filter(|n| !n.is_empty())
}

fn is_arabic_script(s: &str) -> bool {
    s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// `geonameid kind name lat lon admin1 admin2 population names_fa names_latin`, as written by
/// `scripts/build_gazetteer.py`. A place is found by its `names_fa` and `names_latin` only: the
/// script leaves a display name out of them when it is a common word.
pub(crate) fn parse_gazetteer(tsv: &str) -> Result<(Vec<Place>, Vec<Vec<String>>), PlaceError> {
    let mut places = Vec::new();
    let mut names = Vec::new();
    for (n, line) in data_lines(tsv) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 10 {
            return Err(error(n, format!("expected 10 columns, found {}", f.len())));
        }
        let kind = match PlaceKind::parse(f[1]) {
            Some(
                k @ (PlaceKind::Province
                | PlaceKind::County
                | PlaceKind::City
                | PlaceKind::District),
            ) => k,
            _ => return Err(error(n, format!("unknown kind '{}'", f[1]))),
        };
        let number = |i: usize, what: &str| -> Result<f64, PlaceError> {
            f[i].parse()
                .map_err(|_| error(n, format!("{what} '{}' is not a number", f[i])))
        };
        let place_names: Vec<String> = split_names(f[8])
            .chain(split_names(f[9]))
            .map(String::from)
            .collect();
        places.push(Place {
            id: 0,
            geonameid: f[0]
                .parse()
                .map_err(|_| error(n, format!("geonameid '{}' is not a number", f[0])))?,
            kind,
            name: f[2].to_string(),
            name_fa: split_names(f[8]).next().unwrap_or_default().to_string(),
            lat: number(3, "latitude")?,
            lon: number(4, "longitude")?,
            admin1: f[5].to_string(),
            admin2: f[6].to_string(),
            parent_city: None,
            population: f[7]
                .parse()
                .map_err(|_| error(n, format!("population '{}' is not a number", f[7])))?,
        });
        names.push(place_names);
    }
    Ok((places, names))
}

/// `name lat lon [city] [admin1] [kind] [alt names]`: see [`Gazetteer::with_user_places`].
pub(crate) fn parse_user_places(
    base: &Gazetteer,
    tsv: &str,
    places: &mut Vec<Place>,
    names: &mut Vec<Vec<String>>,
) -> Result<(), PlaceError> {
    let mut user_cities: Vec<(String, u32)> = Vec::new();
    for (i, (n, line)) in data_lines(tsv).enumerate() {
        let f: Vec<&str> = line.split('\t').map(str::trim).collect();
        if i == 0 && f[0].eq_ignore_ascii_case("name") {
            continue;
        }
        let field = |i: usize| f.get(i).copied().unwrap_or("");
        let name = field(0);
        if name.is_empty() {
            return Err(error(n, "the name (column 1) is empty"));
        }
        if f.len() < 3 {
            return Err(error(
                n,
                "expected at least name, lat and lon separated by tabs",
            ));
        }
        let coordinate = |i: usize, what: &str, limit: f64| -> Result<f64, PlaceError> {
            let v: f64 = field(i)
                .parse()
                .map_err(|_| error(n, format!("{what} '{}' is not a number", field(i))))?;
            if !v.is_finite() || v.abs() > limit {
                return Err(error(n, format!("{what} {v} is out of range")));
            }
            Ok(v)
        };
        let lat = coordinate(1, "latitude", 90.0)?;
        let lon = coordinate(2, "longitude", 180.0)?;

        let admin1 = match field(4) {
            "" => None,
            a => Some(
                base.province(a)
                    .ok_or_else(|| {
                        error(
                            n,
                            format!("province '{a}' is not one of Iran's 31 provinces"),
                        )
                    })?
                    .admin1
                    .clone(),
            ),
        };
        let city = match field(3) {
            "" => None,
            c => {
                // A city added earlier in this file, else one of the gazetteer's.
                let key = unrest_text::fold_key(c);
                let added = user_cities.iter().rev().find(|(k, _)| *k == key);
                let in_province = |p: &Place| admin1.as_ref().is_none_or(|a| &p.admin1 == a);
                let found = added
                    .map(|&(_, id)| places[id as usize].clone())
                    .or_else(|| {
                        base.lookup(c)
                            .into_iter()
                            .map(|id| base.place(id))
                            .find(|p| p.kind == PlaceKind::City && in_province(p))
                            .cloned()
                    });
                Some(found.ok_or_else(|| error(n, format!("city '{c}' is not in the gazetteer")))?)
            }
        };
        let kind = match field(5) {
            "" if city.is_some() => PlaceKind::District,
            "" => PlaceKind::City,
            k => PlaceKind::parse(k).ok_or_else(|| {
                error(
                    n,
                    format!("kind '{k}' is not one of province, county, city, district, landmark"),
                )
            })?,
        };
        // Parent, province and county from the place's city, else from the nearest city.
        let near = city.or_else(|| base.nearest_city(lat, lon).cloned());
        let parent = match kind {
            PlaceKind::District | PlaceKind::Landmark => near.as_ref().map(|p| p.id),
            _ => None,
        };
        let admin1 = admin1
            .or_else(|| near.as_ref().map(|c| c.admin1.clone()))
            .unwrap_or_default();
        let admin2 = near
            .filter(|c| c.admin1 == admin1)
            .map(|c| c.admin2)
            .unwrap_or_default();

        let mut place_names = vec![name.to_string()];
        place_names.extend(split_names(field(6)).map(String::from));
        let name_fa = place_names
            .iter()
            .find(|n| is_arabic_script(n))
            .cloned()
            .unwrap_or_default();
        places.push(Place {
            id: places.len() as u32,
            geonameid: 0,
            kind,
            name: name.to_string(),
            name_fa,
            lat,
            lon,
            admin1,
            admin2,
            parent_city: parent,
            population: 0,
        });
        if kind == PlaceKind::City {
            let id = places.len() as u32 - 1;
            user_cities.extend(place_names.iter().map(|n| (unrest_text::fold_key(n), id)));
        }
        names.push(place_names);
    }
    Ok(())
}
