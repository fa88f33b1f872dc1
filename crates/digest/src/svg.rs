//! The digest's two pictures as inline SVG: the map of the period and the daily timeline.
//! Drawn from the events alone (no tiles, no fonts, no requests), so the digest opens
//! offline and prints the same everywhere.

use crate::html::esc;
use crate::view::View;
use crate::DigestInput;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Iran's outline, simplified to 0.1° from Natural Earth's admin-0 boundaries (public
/// domain): (longitude, latitude), clockwise from the Caspian shore at the Turkmen border.
const IRAN: [(f64, f64); 74] = [
    (53.9, 37.2),
    (54.8, 37.4),
    (55.5, 38.0),
    (56.2, 37.9),
    (56.6, 38.1),
    (57.3, 38.0),
    (58.4, 37.5),
    (59.2, 37.4),
    (60.4, 36.5),
    (61.1, 36.5),
    (61.2, 35.7),
    (60.8, 34.4),
    (60.5, 33.7),
    (61.0, 33.5),
    (60.5, 33.0),
    (60.9, 32.2),
    (60.9, 31.5),
    (61.7, 31.4),
    (61.8, 30.7),
    (60.9, 29.8),
    (61.4, 29.3),
    (61.8, 28.7),
    (62.7, 28.3),
    (62.8, 27.4),
    (63.2, 27.2),
    (63.3, 26.8),
    (61.9, 26.2),
    (61.5, 25.1),
    (59.6, 25.4),
    (58.5, 25.6),
    (57.4, 25.7),
    (57.0, 27.0),
    (56.5, 27.1),
    (55.7, 27.0),
    (54.7, 26.5),
    (53.5, 26.8),
    (52.5, 27.6),
    (51.5, 27.9),
    (50.9, 28.8),
    (50.1, 30.1),
    (49.6, 30.0),
    (48.9, 30.3),
    (48.6, 29.9),
    (48.0, 30.5),
    (48.0, 31.0),
    (47.7, 31.0),
    (47.8, 31.7),
    (47.3, 32.5),
    (46.1, 33.0),
    (45.4, 34.0),
    (45.6, 34.7),
    (46.2, 35.1),
    (46.1, 35.7),
    (45.4, 36.0),
    (44.8, 37.2),
    (44.2, 38.0),
    (44.4, 38.3),
    (44.1, 39.4),
    (44.8, 39.7),
    (45.0, 39.3),
    (45.5, 38.9),
    (46.1, 38.7),
    (46.5, 38.8),
    (47.7, 39.5),
    (48.1, 39.6),
    (48.4, 39.3),
    (48.0, 38.8),
    (48.6, 38.3),
    (48.9, 38.3),
    (49.2, 37.6),
    (50.1, 37.4),
    (50.8, 36.9),
    (52.3, 36.7),
    (53.8, 37.0),
];

/// The map's frame: Iran's bounding box, degrees.
const WEST: f64 = 44.0;
const EAST: f64 = 64.0;
const SOUTH: f64 = 25.0;
const NORTH: f64 = 40.0;
const MAP_WIDTH: f64 = 640.0;
/// Equirectangular, with longitudes shrunk by the cosine of the middle latitude so Iran
/// keeps its shape.
fn map_height() -> f64 {
    let mid = ((SOUTH + NORTH) / 2.0).to_radians().cos();
    MAP_WIDTH * (NORTH - SOUTH) / ((EAST - WEST) * mid)
}

fn project(lat: f64, lon: f64) -> (f64, f64) {
    (
        (lon - WEST) / (EAST - WEST) * MAP_WIDTH,
        (NORTH - lat) / (NORTH - SOUTH) * map_height(),
    )
}

/// How many places get a name on the map: the ones with most events.
const NAMED_PLACES: usize = 24;

/// The map: Iran's outline, a 5° graticule, a dot per place sized by its events.
pub(crate) fn map(view: &View) -> String {
    let h = map_height();
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h:.0}" width="{w}" height="{h:.0}" role="img" aria-label="{label}" class="map" direction="ltr">"#,
        w = MAP_WIDTH,
        label = esc(&view.lingo.labels.map),
    );
    let _ = write!(
        s,
        r##"<rect width="{MAP_WIDTH}" height="{h:.0}" fill="#eef3f7"/>"##
    );
    for lon in (45..=60).step_by(5) {
        let (x, _) = project(SOUTH, lon as f64);
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="0" x2="{x:.1}" y2="{h:.0}" stroke="#d5dee6" stroke-width="1"/>"##
        );
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.0}" class="axis">{}°E</text>"##,
            x + 3.0,
            h - 4.0,
            view.lingo.num(lon)
        );
    }
    for lat in (30..=35).step_by(5) {
        let (_, y) = project(lat as f64, WEST);
        let _ = write!(
            s,
            r##"<line x1="0" y1="{y:.1}" x2="{MAP_WIDTH}" y2="{y:.1}" stroke="#d5dee6" stroke-width="1"/>"##
        );
        let _ = write!(
            s,
            r##"<text x="3" y="{:.1}" class="axis">{}°N</text>"##,
            y - 3.0,
            view.lingo.num(lat)
        );
    }
    let mut path = String::new();
    for (i, (lon, lat)) in IRAN.iter().enumerate() {
        let (x, y) = project(*lat, *lon);
        let _ = write!(path, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { " L" });
    }
    let _ = write!(
        s,
        r##"<path d="{path} Z" fill="#fbfaf6" stroke="#8a8f94" stroke-width="1.2"/>"##
    );

    // One dot per place: the events at one location and point.
    let mut places: BTreeMap<(String, i64, i64), (usize, u64)> = BTreeMap::new();
    for (_, e) in &view.dated {
        if !(SOUTH..=NORTH).contains(&e.latitude) || !(WEST..=EAST).contains(&e.longitude) {
            continue;
        }
        let key = (
            e.location.clone(),
            (e.latitude * 100.0).round() as i64,
            (e.longitude * 100.0).round() as i64,
        );
        let slot = places.entry(key).or_default();
        slot.0 += 1;
        slot.1 += e.fatalities as u64;
    }
    let mut dots: Vec<_> = places.into_iter().collect();
    // Big dots first, so small ones stay visible on top.
    dots.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    for ((location, lat, lon), (n, killed)) in &dots {
        let (x, y) = project(*lat as f64 / 100.0, *lon as f64 / 100.0);
        let r = (3.0 + 2.5 * (*n as f64).sqrt()).min(18.0);
        let fill = if *killed > 0 { "#c0392b" } else { "#2c6fbb" };
        let title = format!(
            "{}: {} {}, {} {}",
            view.lingo.place(location),
            view.lingo.num(n),
            view.lingo.labels.events,
            view.lingo.num(killed),
            view.lingo.labels.fatalities
        );
        let _ = write!(
            s,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{fill}" fill-opacity="0.75" stroke="#fff" stroke-width="1"><title>{}</title></circle>"##,
            esc(&title)
        );
    }
    // Names for the places with most events (then most fatalities), each beside its dot
    // where it does not cover a name already placed.
    let mut ranked: Vec<_> = dots.iter().collect();
    ranked.sort_by(|a, b| (b.1 .0, b.1 .1).cmp(&(a.1 .0, a.1 .1)).then(a.0.cmp(&b.0)));
    let mut taken: Vec<(f64, f64, f64, f64)> = Vec::new();
    for ((location, lat, lon), (n, _)) in ranked.into_iter().take(NAMED_PLACES) {
        let (x, y) = project(*lat as f64 / 100.0, *lon as f64 / 100.0);
        let r = (3.0 + 2.5 * (*n as f64).sqrt()).min(18.0);
        let name = view
            .lingo
            .place(location.split(" - ").next().unwrap_or(location));
        let width = 7.0 * name.chars().count() as f64;
        let right = (x + r + 3.0, y - 9.0, width, 13.0);
        let left = (x - r - 3.0 - width, y - 9.0, width, 13.0);
        let fits = |b: &(f64, f64, f64, f64)| {
            b.0 >= 0.0
                && b.0 + b.2 <= MAP_WIDTH
                && !taken.iter().any(|t| {
                    b.0 < t.0 + t.2 && t.0 < b.0 + b.2 && b.1 < t.1 + t.3 && t.1 < b.1 + b.3
                })
        };
        let Some(spot) = [right, left].into_iter().find(|b| fits(b)) else {
            continue;
        };
        taken.push(spot);
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" class="place">{}</text>"##,
            spot.0,
            y + 4.0,
            esc(&name)
        );
    }
    s.push_str("</svg>");
    s
}

/// The timeline: a bar per day of the period, its height the day's events.
pub(crate) fn timeline(view: &View, digest: &DigestInput) -> String {
    let days = view.per_day(digest);
    let (w, h) = (MAP_WIDTH, 200.0);
    let (left, right, top, bottom) = (40.0, 28.0, 12.0, 30.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    let most = days.iter().map(|d| d.1).max().unwrap_or(0).max(1);
    let step = nice_step(most);
    let top_tick = most.div_ceil(step) * step;
    let y = |v: usize| top + ph - v as f64 / top_tick as f64 * ph;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}" class="timeline" direction="ltr">"#,
        esc(&view.lingo.labels.timeline)
    );
    let mut tick = 0;
    while tick <= top_tick {
        let ty = y(tick);
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}" stroke="#e3e7eb"/>"##,
            w - right
        );
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" class="axis" text-anchor="end">{}</text>"##,
            left - 5.0,
            ty + 4.0,
            view.lingo.num(tick)
        );
        tick += step;
    }
    let bw = pw / days.len().max(1) as f64;
    let label_every = days.len().div_ceil(8).max(1);
    for (i, (day, n, killed)) in days.iter().enumerate() {
        let x = left + i as f64 * bw;
        if *n > 0 {
            let fill = if *killed > 0 { "#c0392b" } else { "#2c6fbb" };
            let title = format!(
                "{}: {} {}, {} {}",
                view.lingo.date(*day),
                view.lingo.num(n),
                view.lingo.labels.events,
                view.lingo.num(killed),
                view.lingo.labels.fatalities
            );
            let _ = write!(
                s,
                r##"<rect x="{:.2}" y="{:.1}" width="{:.2}" height="{:.1}" fill="{fill}"><title>{}</title></rect>"##,
                x + bw * 0.1,
                y(*n),
                (bw * 0.8).max(0.5),
                top + ph - y(*n),
                esc(&title)
            );
        }
        if i % label_every == 0 {
            let _ = write!(
                s,
                r##"<line x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{2:.1}" stroke="#8a8f94"/>"##,
                x + bw / 2.0,
                top + ph,
                top + ph + 4.0
            );
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" class="axis" text-anchor="middle">{}</text>"##,
                x + bw / 2.0,
                h - 10.0,
                esc(&view.lingo.short_date(*day))
            );
        }
    }
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="#8a8f94"/>"##,
        top + ph,
        w - right
    );
    s.push_str("</svg>");
    s
}

/// 1, 2 or 5 times a power of ten, so that about four gridlines cover `most`.
fn nice_step(most: usize) -> usize {
    let raw = (most as f64 / 4.0).max(1.0);
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    step as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_corners_project_to_the_picture_corners() {
        assert_eq!(project(NORTH, WEST), (0.0, 0.0));
        let (x, y) = project(SOUTH, EAST);
        assert_eq!(x, MAP_WIDTH);
        assert!((y - map_height()).abs() < 1e-9);
        // Tehran lies in the northern middle.
        let (x, y) = project(35.69, 51.39);
        assert!(x > 200.0 && x < 260.0 && y > 130.0 && y < 200.0, "{x} {y}");
    }

    #[test]
    fn gridline_steps_are_round() {
        assert_eq!(nice_step(1), 1);
        assert_eq!(nice_step(7), 2);
        assert_eq!(nice_step(37), 10);
        assert_eq!(nice_step(180), 50);
    }
}
