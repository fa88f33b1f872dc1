//! A synthetic published dataset of any size, for `unrest bench store`: generated inside
//! the database by `INSERT … SELECT` over a number series (no row crosses the client), the
//! same statements on SQLite and PostgreSQL but for the series and the bytes of a report.
//!
//! Every event is one incident (one cluster of one member), as after `unrest cluster` over
//! reports that never corroborate; 9 in 10 are published. Dates run over ten years from
//! 2017-01-01, places over every province's capital, types over ACLED's protest and riot
//! sub-types; notes are made of common words, a number, a place and an actor, so searches
//! have common and rare phrases to find. One event in the middle carries the word
//! [`RARE_WORD`]: a phrase with exactly one match.

use crate::conn::Dialect;
use crate::{Result, Store};

/// The word only one generated event's notes and report hold.
pub const RARE_WORD: &str = "zanjirehbafan";
/// The generated reports' channel, so a dataset can tell it was generated.
pub const CHANNEL: &str = "bench";

/// (province, capital, latitude, longitude)
const PLACES: [(&str, &str, f64, f64); 31] = [
    ("Tehran", "Tehran", 35.6944, 51.4215),
    ("Razavi Khorasan", "Mashhad", 36.2981, 59.6057),
    ("Isfahan", "Isfahan", 32.6525, 51.6746),
    ("Fars", "Shiraz", 29.6103, 52.5311),
    ("East Azarbaijan", "Tabriz", 38.0800, 46.2919),
    ("Khuzestan", "Ahvaz", 31.3190, 48.6842),
    ("Alborz", "Karaj", 35.8355, 50.9915),
    ("Qom", "Qom", 34.6401, 50.8764),
    ("Kermanshah", "Kermanshah", 34.3142, 47.0650),
    ("West Azarbaijan", "Urmia", 37.5527, 45.0761),
    ("Gilan", "Rasht", 37.2808, 49.5832),
    ("Sistan and Baluchestan", "Zahedan", 29.4963, 60.8629),
    ("Hamadan", "Hamadan", 34.7992, 48.5146),
    ("Kerman", "Kerman", 30.2832, 57.0788),
    ("Yazd", "Yazd", 31.8972, 54.3675),
    ("Ardabil", "Ardabil", 38.2498, 48.2933),
    ("Hormozgan", "Bandar Abbas", 27.1865, 56.2808),
    ("Markazi", "Arak", 34.0917, 49.6892),
    ("Kordestan", "Sanandaj", 35.3144, 46.9923),
    ("Mazandaran", "Sari", 36.5633, 53.0601),
    ("Golestan", "Gorgan", 36.8427, 54.4439),
    ("Lorestan", "Khorramabad", 33.4878, 48.3558),
    ("Qazvin", "Qazvin", 36.2797, 50.0049),
    ("Zanjan", "Zanjan", 36.6736, 48.4787),
    ("Bushehr", "Bushehr", 28.9684, 50.8385),
    ("Semnan", "Semnan", 35.5729, 53.3971),
    ("Ilam", "Ilam", 33.6374, 46.4227),
    ("Kohgiluyeh and Buyer Ahmad", "Yasuj", 30.6682, 51.5880),
    (
        "Chaharmahal and Bakhtiari",
        "Shahr-e Kord",
        32.3256,
        50.8644,
    ),
    ("North Khorasan", "Bojnurd", 37.4747, 57.3290),
    ("South Khorasan", "Birjand", 32.8663, 59.2211),
];

/// (event_type, sub_event_type, actor1, what the notes say happened, fatalities step)
const KINDS: [(&str, &str, &str, &str, i64); 5] = [
    (
        "Protests",
        "Peaceful protest",
        "Protesters (Iran)",
        "people gathered and chanted slogans",
        0,
    ),
    (
        "Protests",
        "Protest with intervention",
        "Protesters (Iran)",
        "riot police fired tear gas at a crowd",
        0,
    ),
    (
        "Protests",
        "Excessive force against protesters",
        "Police Forces of Iran (2021-)",
        "security forces opened fire on protesters",
        3,
    ),
    (
        "Riots",
        "Violent demonstration",
        "Rioters (Iran)",
        "demonstrators set fire to a bank",
        0,
    ),
    (
        "Riots",
        "Mob violence",
        "Rioters (Iran)",
        "a crowd attacked a government building",
        1,
    ),
];

/// Persian sentences for reports (already in folded letters), by kind.
const FA: [&str; 5] = [
    "مردم در میدان اصلی تجمع کردند و شعار دادند",
    "ماموران گاز اشک آور شلیک کردند",
    "نیروهای امنیتی به سوی معترضان تیراندازی کردند",
    "معترضان یک بانک را به آتش کشیدند",
    "جمعیت به ساختمان فرمانداری حمله کرد",
];

impl Store {
    /// Adds `n` generated events (with their reports, search rows and incidents) after the
    /// ones already generated, in transactions of `step` events; `progress` hears how many
    /// are in. Returns how many generated events the dataset then holds.
    #[doc(hidden)]
    pub fn generate_bench(
        &mut self,
        n: u64,
        step: u64,
        mut progress: impl FnMut(u64),
    ) -> Result<u64> {
        let d = self.dialect();
        let start = self.bench_events()?;
        let places = values_table(
            "p(k, admin1, location, lat, lon)",
            PLACES
                .iter()
                .enumerate()
                .map(|(k, (a, l, lat, lon))| format!("({k}, '{a}', '{l}', {lat}, {lon})")),
        );
        let kinds =
            values_table(
                "t(k, event_type, sub_event_type, actor1, what, deadly, fa)",
                KINDS.iter().zip(FA).enumerate().map(
                    |(k, ((ty, sub, actor, what, deadly), fa))| {
                        format!("({k}, '{ty}', '{sub}', '{actor}', '{what}', {deadly}, '{fa}')")
                    },
                ),
            );
        let (date, bytes, series) = match d {
            Dialect::Sqlite => (
                "date('2017-01-01', '+' || ((s.i * 7) % 3650) || ' days')",
                "CAST(x.body AS BLOB)",
                "WITH RECURSIVE s(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM s WHERE i < $2)",
            ),
            Dialect::Postgres => (
                "to_char(date '2017-01-01' + ((s.i * 7) % 3650)::int, 'YYYY-MM-DD')",
                "convert_to(x.body, 'UTF8')",
                "WITH s(i) AS (SELECT generate_series($1::bigint, $2::bigint))",
            ),
        };
        let mut done = start;
        let end = start + n;
        while done < end {
            let (lo, hi) = (done + 1, (done + step).min(end));
            let range = [
                i64::try_from(lo).unwrap_or(i64::MAX).into(),
                i64::try_from(hi).unwrap_or(i64::MAX).into(),
            ];
            // Ids are the series' numbers plus an offset, so events, reports, clusters and
            // search rows of one generated event share them and need no lookup.
            let base = self.bench_base()?;
            let id = format!("({base} + s.i)");
            let notes = format!(
                "'On ' || {date} || ', in ' || p.location || ' (' || p.admin1 || '), ' || t.what \
                 || '; about ' || ((s.i * 13) % 997) || ' people took part' \
                 || CASE WHEN s.i = {rare} THEN ' near the {RARE_WORD} bazaar' ELSE '' END || '.'",
                rare = end / 2,
            );
            let body = format!(
                "CASE WHEN s.i % 3 = 0 THEN t.fa || ' ' || p.location || ' ' || ((s.i * 13) % 997) \
                 ELSE {notes} END"
            );
            let with = format!("{series}, {places}, {kinds}");
            let from = format!(
                "FROM s CROSS JOIN p CROSS JOIN t WHERE p.k = (s.i * 31 + s.i / 7) % {np} AND t.k = (s.i * 17 + s.i / 5) % {nt}",
                np = PLACES.len(),
                nt = KINDS.len()
            );
            let status = "CASE WHEN s.i % 10 = 9 THEN 'verified' ELSE 'published' END";
            let sqls = [
                format!(
                    "INSERT INTO reports (id, sha256, name, text, received_at, channel, reference_date, lang, coded_with)
                     {with}, x AS (SELECT s.i, {body} AS body, {date} AS day, {id} AS id FROM s CROSS JOIN p CROSS JOIN t WHERE p.k = (s.i * 31 + s.i / 7) % {np} AND t.k = (s.i * 17 + s.i / 5) % {nt})
                     SELECT x.id, 'bench-' || x.id, 'bench ' || x.id, {bytes}, x.day || 'T12:00:00Z', '{CHANNEL}', x.day,
                        CASE WHEN x.i % 3 = 0 THEN 'fa' ELSE 'en' END, 'bench'
                     FROM x",
                    np = PLACES.len(),
                    nt = KINDS.len()
                ),
                format!(
                    "INSERT INTO events (id, report_id, status, edited, event_id_cnty, event_date, year,
                        time_precision, disorder_type, event_type, sub_event_type, actor1, assoc_actor_1,
                        inter1, actor2, assoc_actor_2, inter2, interaction, civilian_targeting, iso,
                        region, country, admin1, admin2, admin3, location, latitude, longitude,
                        geo_precision, source, source_scale, notes, fatalities, tags, \"timestamp\",
                        report, injuries, arrests, evidence, confidence)
                     {with}
                     SELECT {id}, {id}, {status}, 0, '', {date}, CAST(substr({date}, 1, 4) AS BIGINT),
                        1, 'Demonstrations', t.event_type, t.sub_event_type, t.actor1, '',
                        'Protesters', CASE WHEN t.deadly > 0 THEN 'State forces' ELSE '' END, '', '', '',
                        '', 364, 'Middle East', 'Iran', p.admin1, '', '', p.location, p.lat, p.lon,
                        1, 'bench', 'Local partner', {notes}, t.deadly * ((s.i / 3) % 4), '', 0,
                        '', CASE WHEN s.i % 4 = 0 THEN (s.i / 4) % 9 END, (s.i / 2) % 30, '[]', 0.8
                     {from}"
                ),
                format!(
                    "INSERT INTO event_search (rowid, folded)
                     {with} SELECT {id}, lower({notes} || ' ' || p.location || ' ' || p.admin1 || ' ' || t.actor1) {from}"
                ),
                format!(
                    "INSERT INTO report_search (rowid, folded)
                     {with} SELECT {id}, lower({body}) {from}"
                ),
                format!(
                    "INSERT INTO clusters (id, lead_event_id, event_date, time_precision, location,
                        admin1, latitude, longitude, geo_precision, event_type, sub_event_type,
                        fatalities, injuries, arrests, source_count, report_count, grade,
                        graded_by_analyst, published, conflicts, sources, members, notes_event_id,
                        notes_counts_agree)
                     SELECT e.id, e.id, e.event_date, e.time_precision, e.location, e.admin1,
                        e.latitude, e.longitude, e.geo_precision, e.event_type, e.sub_event_type,
                        e.fatalities, e.injuries, e.arrests, 1, 1, 'C3', 0,
                        CASE WHEN e.status = 'published' THEN 1 ELSE 0 END, '', 'bench',
                        CAST(e.id AS TEXT), e.id, 1
                     FROM events e WHERE e.id BETWEEN {base} + $1 AND {base} + $2"
                ),
                format!(
                    "INSERT INTO cluster_members (event_id, cluster_id)
                     SELECT e.id, e.id FROM events e WHERE e.id BETWEEN {base} + $1 AND {base} + $2"
                ),
            ];
            self.write(|conn| {
                for sql in &sqls {
                    conn.execute(sql, &range)?;
                }
                crate::incidents::insert_rows(
                    conn,
                    base + i64::try_from(lo).unwrap_or(i64::MAX),
                    base + i64::try_from(hi).unwrap_or(i64::MAX),
                )
            })?;
            done = hi;
            progress(done);
        }
        self.write(|conn| {
            conn.execute(
                "INSERT INTO cluster_runs (ran_at, events, clusters, unresolved)
                 VALUES ('2027-01-01T00:00:00Z', $1, $1, '[]')",
                &[i64::try_from(done).unwrap_or(i64::MAX).into()],
            )?;
            crate::incidents::recount_days(conn, None)?;
            crate::map::rebuild(conn)
        })?;
        if d == Dialect::Postgres {
            // Generated ids bypassed the sequences: move them past.
            for table in ["reports", "events"] {
                self.execute_raw(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                ))?;
            }
        }
        self.analyze()?;
        Ok(done)
    }

    /// How many generated events the dataset holds.
    #[doc(hidden)]
    pub fn bench_events(&mut self) -> Result<u64> {
        let n = self
            .conn
            .query_one(
                "SELECT COUNT(*) FROM reports WHERE channel = $1",
                &[CHANNEL.into()],
                |r| r.req_int(0),
            )
            .map_err(|e| self.err(e))?
            .unwrap_or(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The id generated event number 1 gets, minus one: past every id not generated.
    fn bench_base(&mut self) -> Result<i64> {
        self.conn
            .query_one(
                "SELECT COALESCE((SELECT MIN(id) - 1 FROM reports WHERE channel = $1),
                    (SELECT MAX(m) FROM (SELECT COALESCE(MAX(id), 0) AS m FROM events
                        UNION ALL SELECT COALESCE(MAX(id), 0) FROM reports) z))",
                &[CHANNEL.into()],
                |r| r.req_int(0),
            )
            .map_err(|e| self.err(e))
            .map(Option::unwrap_or_default)
    }
}

/// `name(cols) AS (VALUES …)` for a WITH clause.
fn values_table(head: &str, rows: impl Iterator<Item = String>) -> String {
    let rows: Vec<String> = rows.collect();
    let (name, cols) = head.split_once('(').expect("name(cols)");
    format!("{name}({cols} AS (VALUES {})", rows.join(", "))
}
