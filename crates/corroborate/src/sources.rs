//! Independent sources: reports that are copies of one another (a forwarded message, a
//! repost with a line added, a lightly edited paste) are one source, however many times
//! they arrive.
//!
//! A report's [`Fingerprint`] is a MinHash signature of the 5-character shingles of its
//! folded text ([`unrest_text::fold_key`]: Arabic-keyboard letters, digits, punctuation and
//! spacing already agree). Two reports are copies when the estimated Jaccard similarity of
//! their shingle sets reaches [`SourceParams::copy_jaccard`], or when the shorter one lies
//! almost wholly inside the longer ([`SourceParams::copy_containment`], for a report quoted
//! in a longer message). Copies are grouped transitively, and each group is named by its
//! smallest report id, its *source key*: that name does not depend on the order reports
//! arrive in.
//!
//! Rationale: character shingles rather than word shingles because reports are short and a
//! one-word edit in a 20-word message breaks three word-trigrams but leaves most character
//! 5-grams alone; MinHash rather than the exact sets so the store can persist a fixed
//! 512-byte fingerprint per report and compare without the text.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Number of MinHash values in a fingerprint.
pub const SIGNATURE_LEN: usize = 128;
const SHINGLE_CHARS: usize = 5;
/// Candidate pairs are the pairs that agree on every value of at least one band.
const BANDS: usize = 32;
const ROWS: usize = SIGNATURE_LEN / BANDS;

/// What the store persists per report to find copies without the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Number of distinct shingles in the folded text.
    pub shingles: u32,
    /// The MinHash signature, [`SIGNATURE_LEN`] values.
    pub minhash: Vec<u32>,
}

/// How alike two reports are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// Estimated |A ∩ B| / |A ∪ B| of the shingle sets.
    pub jaccard: f64,
    /// Estimated |A ∩ B| / min(|A|, |B|): how much of the shorter is in the longer.
    pub containment: f64,
}

/// When two reports count as copies of one another.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SourceParams {
    pub copy_jaccard: f64,
    pub copy_containment: f64,
    /// The containment rule applies only when the shorter report has at least this many
    /// shingles: "Protest in Tehran today" is inside many independent reports.
    pub containment_min_shingles: u32,
}

impl Default for SourceParams {
    fn default() -> Self {
        SourceParams {
            copy_jaccard: 0.5,
            copy_containment: 0.8,
            containment_min_shingles: 80,
        }
    }
}

impl Fingerprint {
    /// Fingerprints a report's text exactly as it was given (it is folded here).
    pub fn of(text: &str) -> Fingerprint {
        let folded = unrest_text::fold_key(text);
        let chars: Vec<char> = folded.chars().collect();
        // The distinct shingle hashes: a sorted, deduplicated vector is the set, cheaper
        // than a hash set for the few hundred shingles of a report.
        let mut set: Vec<u64> = if chars.len() < SHINGLE_CHARS {
            chars
                .is_empty()
                .then(Vec::new)
                .unwrap_or_else(|| vec![hash_chars(&chars)])
        } else {
            chars.windows(SHINGLE_CHARS).map(hash_chars).collect()
        };
        set.sort_unstable();
        set.dedup();
        let mut minhash = [u32::MAX; SIGNATURE_LEN];
        minhash_into(&set, &mut minhash);
        Fingerprint {
            shingles: set.len() as u32,
            minhash: minhash.to_vec(),
        }
    }

    pub fn similarity(&self, other: &Fingerprint) -> Similarity {
        if self.shingles == 0 || other.shingles == 0 {
            return Similarity {
                jaccard: 0.0,
                containment: 0.0,
            };
        }
        let n = self.minhash.len().min(other.minhash.len()).max(1);
        let same = self
            .minhash
            .iter()
            .zip(&other.minhash)
            .filter(|(a, b)| a == b)
            .count();
        let jaccard = same as f64 / n as f64;
        // |A ∩ B| = J (|A| + |B|) / (1 + J)
        let (a, b) = (self.shingles as f64, other.shingles as f64);
        let common = jaccard * (a + b) / (1.0 + jaccard);
        Similarity {
            jaccard,
            containment: (common / a.min(b)).min(1.0),
        }
    }

    /// Whether the two reports count as one source.
    pub fn is_copy_of(&self, other: &Fingerprint, params: &SourceParams) -> bool {
        let s = self.similarity(other);
        s.jaccard >= params.copy_jaccard
            || (s.containment >= params.copy_containment
                && self.shingles.min(other.shingles) >= params.containment_min_shingles)
    }
}

/// The source key of each report, in input order: reports that copy one another share the
/// smallest report id among them. Fingerprints every text; for persisted fingerprints use
/// [`source_groups_of`].
pub fn source_groups(texts: &[(&str, &str)]) -> Vec<String> {
    let prints: Vec<Fingerprint> = texts.iter().map(|(_, t)| Fingerprint::of(t)).collect();
    let refs: Vec<(&str, &Fingerprint)> = texts
        .iter()
        .zip(&prints)
        .map(|((id, _), fp)| (*id, fp))
        .collect();
    source_groups_of(&refs, &SourceParams::default())
}

/// [`source_groups`] over fingerprints the store kept. Candidate pairs come from banding the
/// signatures (32 bands of 4 values), so the work grows with the number of reports and of
/// near-duplicates, not with its square; a pair is a candidate or not whatever else is in
/// the corpus, so the grouping of two reports never depends on the others except through
/// copies they share.
pub fn source_groups_of(prints: &[(&str, &Fingerprint)], params: &SourceParams) -> Vec<String> {
    let n = prints.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut buckets: HashMap<(usize, [u32; ROWS]), Vec<usize>> = HashMap::new();
    for (i, (_, fp)) in prints.iter().enumerate() {
        if fp.shingles == 0 || fp.minhash.len() < SIGNATURE_LEN {
            continue;
        }
        for band in 0..BANDS {
            let mut key = [0u32; ROWS];
            key.copy_from_slice(&fp.minhash[band * ROWS..(band + 1) * ROWS]);
            buckets.entry((band, key)).or_default().push(i);
        }
    }
    let mut checked: HashSet<(usize, usize)> = HashSet::new();
    for members in buckets.values() {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                if find(&mut parent, i) == find(&mut parent, j) || !checked.insert((i, j)) {
                    continue;
                }
                if prints[i].1.is_copy_of(prints[j].1, params) {
                    union(&mut parent, i, j);
                }
            }
        }
    }
    // Reports with the same id are one report, whatever their fingerprints.
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, (id, _)) in prints.iter().enumerate() {
        if let Some(&j) = by_id.get(id) {
            union(&mut parent, i, j);
        } else {
            by_id.insert(id, i);
        }
    }
    let mut name: HashMap<usize, &str> = HashMap::new();
    for (i, (id, _)) in prints.iter().enumerate() {
        let root = find(&mut parent, i);
        let entry = name.entry(root).or_insert(id);
        if *id < *entry {
            *entry = id;
        }
    }
    (0..n)
        .map(|i| name[&find(&mut parent, i)].to_string())
        .collect()
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

fn hash_chars(chars: &[char]) -> u64 {
    // FNV-1a over the code points: stable across builds and platforms, which a persisted
    // fingerprint needs (std's hasher is neither).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in chars {
        for b in (c as u32).to_le_bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    splitmix(h)
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The signature of a shingle set: for each of the `SIGNATURE_LEN` fixed permutations
/// `(a·h + b) >> 32` (multiply-shift with odd multipliers), the least value over the set.
/// This loop is most of a fingerprint's cost (a report has a few hundred shingles, each
/// hashed 128 times); where the processor has AVX2 the same loop runs four lanes at a time,
/// which is the same arithmetic and so the same signature.
fn minhash_into(set: &[u64], out: &mut [u32; SIGNATURE_LEN]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512dq") {
        // SAFETY: the function only needs AVX-512 DQ (and F, which DQ implies), which the
        // processor has (checked above).
        unsafe { minhash_avx512(set, out) };
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the function only needs AVX2, which the processor has (checked above).
        unsafe { minhash_avx2(set, out) };
        return;
    }
    minhash_portable(set, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn minhash_avx2(set: &[u64], out: &mut [u32; SIGNATURE_LEN]) {
    minhash_lanes(set, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
unsafe fn minhash_avx512(set: &[u64], out: &mut [u32; SIGNATURE_LEN]) {
    minhash_lanes(set, out)
}

/// Branch-free over fixed-size arrays, so that it vectorises (used where it pays: AVX2).
#[inline(always)]
fn minhash_lanes(set: &[u64], out: &mut [u32; SIGNATURE_LEN]) {
    let (a, b) = permutations();
    for &h in set {
        for i in 0..SIGNATURE_LEN {
            let v = (a[i].wrapping_mul(h).wrapping_add(b[i]) >> 32) as u32;
            out[i] = out[i].min(v);
        }
    }
}

/// One slot at a time: without wide vectors the compare-and-branch is cheaper, since after
/// the first few shingles a slot rarely changes.
fn minhash_portable(set: &[u64], out: &mut [u32; SIGNATURE_LEN]) {
    let (a, b) = permutations();
    for &h in set {
        for ((slot, &a), &b) in out.iter_mut().zip(a).zip(b) {
            let v = (a.wrapping_mul(h).wrapping_add(b) >> 32) as u32;
            if v < *slot {
                *slot = v;
            }
        }
    }
}

/// The coefficients `(a, b)` of the `SIGNATURE_LEN` hash permutations, derived once: they
/// are fixed (a persisted fingerprint depends on them), so computing them per shingle was
/// wasted work.
fn permutations() -> &'static ([u64; SIGNATURE_LEN], [u64; SIGNATURE_LEN]) {
    static COEFFICIENTS: std::sync::OnceLock<([u64; SIGNATURE_LEN], [u64; SIGNATURE_LEN])> =
        std::sync::OnceLock::new();
    COEFFICIENTS.get_or_init(|| {
        (
            std::array::from_fn(|i| splitmix(i as u64 * 2 + 1) | 1),
            std::array::from_fn(|i| splitmix(i as u64 * 2 + 2)),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_the_minhash_of_the_shingles_by_the_fixed_permutations() {
        // The definition, written out slowly: persisted fingerprints depend on it.
        let text = "Today after Friday prayers in Zahedan security forces opened fire.";
        let chars: Vec<char> = unrest_text::fold_key(text).chars().collect();
        let set: HashSet<u64> = chars.windows(SHINGLE_CHARS).map(hash_chars).collect();
        let expected: Vec<u32> = (0..SIGNATURE_LEN)
            .map(|i| {
                let a = splitmix(i as u64 * 2 + 1) | 1;
                let b = splitmix(i as u64 * 2 + 2);
                set.iter()
                    .map(|&h| (a.wrapping_mul(h).wrapping_add(b) >> 32) as u32)
                    .min()
                    .unwrap()
            })
            .collect();
        let f = Fingerprint::of(text);
        assert_eq!(f.minhash, expected);
        assert_eq!(f.shingles as usize, set.len());
    }

    #[test]
    fn every_processor_path_gives_the_same_signature() {
        // The vectorised loops the processor picks must agree with the slot-by-slot one,
        // bit for bit: fingerprints are persisted and compared across machines.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for len in [0usize, 1, 2, 7, 64, 300, 1000] {
            let set: Vec<u64> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x
                })
                .collect();
            let mut portable = [u32::MAX; SIGNATURE_LEN];
            minhash_portable(&set, &mut portable);
            let mut lanes = [u32::MAX; SIGNATURE_LEN];
            minhash_lanes(&set, &mut lanes);
            let mut picked = [u32::MAX; SIGNATURE_LEN];
            minhash_into(&set, &mut picked);
            assert_eq!(lanes, portable, "{len} shingles");
            assert_eq!(picked, portable, "{len} shingles");
        }
    }

    const REPORT: &str = "Today after Friday prayers in Zahedan security forces opened fire on \
        the crowd gathered in front of the police station. At least 40 people were killed and \
        many more wounded. People are taking the injured to homes because they fear arrest at \
        the hospitals.";

    #[test]
    fn a_forwarded_copy_is_the_same_source() {
        let fwd = format!("Forwarded: {REPORT}");
        let keys = source_groups(&[("r2", &fwd), ("r1", REPORT)]);
        assert_eq!(keys, ["r1", "r1"]);
    }

    #[test]
    fn a_lightly_edited_copy_is_the_same_source() {
        let edited = REPORT
            .replace("At least 40", "at least forty")
            .replace("many more", "dozens more");
        let s = Fingerprint::of(REPORT).similarity(&Fingerprint::of(&edited));
        assert!(s.jaccard > 0.6, "{s:?}");
        assert_eq!(source_groups(&[("a", REPORT), ("b", &edited)]), ["a", "a"]);
    }

    #[test]
    fn a_report_quoted_inside_a_longer_message_is_the_same_source() {
        let quoting = format!(
            "{REPORT} Our correspondent adds that the internet was cut in the whole of \
             Sistan and Baluchestan province for the rest of the evening, and that shops in \
             the bazaar stayed closed; residents say the funerals will be held tomorrow in \
             the Makki mosque and that more people are expected to come from Khash and Saravan. Students at the university \
             of Sistan and Baluchestan have called for a strike on Saturday and Sunday, and \
             lorry drivers on the road to Mirjaveh say they will stop work in solidarity."
        );
        let s = Fingerprint::of(REPORT).similarity(&Fingerprint::of(&quoting));
        assert!(s.jaccard < 0.5 && s.containment > 0.8, "{s:?}");
        assert_eq!(source_groups(&[("a", REPORT), ("b", &quoting)]), ["a", "a"]);
    }

    #[test]
    fn independent_reports_of_one_incident_are_two_sources() {
        let other = "Zahedan, Friday: they shot at people coming out of the mosque from the \
            roofs near the police station, I saw bodies on the street, dozens dead.";
        assert_eq!(source_groups(&[("a", REPORT), ("b", other)]), ["a", "b"]);
    }

    #[test]
    fn persian_copies_agree_whatever_the_keyboard_and_digits() {
        let a = "امروز در زاهدان بعد از نماز جمعه نیروهای امنیتی به مردم شلیک کردند و دست کم ۴۰ نفر کشته شدند";
        let b = "امروز در زاهدان بعد از نماز جمعه نيروهاي امنيتي به مردم شليك كردند و دست كم 40 نفر كشته شدند";
        assert_eq!(Fingerprint::of(a), Fingerprint::of(b));
    }

    #[test]
    fn copies_group_transitively_under_the_smallest_id() {
        let b = format!("Forwarded: {REPORT}");
        let c = format!("{b} Please share.");
        let keys = source_groups(&[("z", &c), ("m", REPORT), ("q", &b), ("x", "unrelated")]);
        assert_eq!(keys, ["m", "m", "m", "x"]);
    }
}
