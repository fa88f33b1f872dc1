//! Text folding for report text.
//!
//! Reports arrive typed on phones in two scripts: Persian with Arabic-keyboard letters,
//! Persian or Arabic-Indic digits and missing or present zero-width non-joiners; English
//! with curly quotes and dashes. Every rule of the coder matches against one *folded* view
//! of the text, and every piece of evidence must still cut the text exactly as it was
//! given. [`Folded`] is that view plus a map from each folded byte back to the original
//! character it came from, so a match in the folded text becomes a span of the original
//! that always falls on character boundaries.
//!
//! This crate knows nothing of events, places or dates: only of characters.

use unicode_normalization::UnicodeNormalization;

/// A folded view of a text with a map back to the original bytes.
#[derive(Debug, Clone)]
pub struct Folded {
    text: String,
    /// For each byte of `text`, the byte offset where its source character starts.
    starts: Vec<u32>,
    /// For each byte of `text`, the byte offset where its source character ends.
    ends: Vec<u32>,
    original_len: usize,
}

impl Folded {
    /// Folds `original`. Linear in its length.
    pub fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut starts = Vec::with_capacity(original.len());
        let mut ends = Vec::with_capacity(original.len());
        let mut buf = [0u8; 4];
        for (at, c) in original.char_indices() {
            // ASCII (most English text) maps one byte to one byte.
            if c.is_ascii() {
                text.push(c.to_ascii_lowercase());
                starts.push(at as u32);
                ends.push(at as u32 + 1);
                continue;
            }
            let end = (at + c.len_utf8()) as u32;
            let mut push = |f: char| {
                let s = f.encode_utf8(&mut buf);
                text.push_str(s);
                for _ in 0..s.len() {
                    starts.push(at as u32);
                    ends.push(end);
                }
            };
            fold_char(c, &mut push);
        }
        Folded {
            text,
            starts,
            ends,
            original_len: original.len(),
        }
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The byte offset in the original text of the character that folded byte `i` came from.
    pub fn original_start(&self, i: usize) -> usize {
        self.starts
            .get(i)
            .map_or(self.original_len, |&s| s as usize)
    }

    /// Maps a byte range of the folded text to the byte range of the original text it came
    /// from. The result always lies on character boundaries of the original. An empty or
    /// out-of-range input gives an empty range at the nearest valid position.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let n = self.text.len();
        let start = start.min(n);
        let end = end.min(n).max(start);
        if start == end {
            let at = if start < n {
                self.starts[start] as usize
            } else {
                self.original_len
            };
            return (at, at);
        }
        (self.starts[start] as usize, self.ends[end - 1] as usize)
    }
}

/// Folds a string without keeping the map: for keys of lookup tables (place names,
/// keywords), which must be folded exactly as report text is.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut |f| out.push(f));
    }
    out
}

/// Folds a name for a lookup key: folded, with every run of non-alphanumeric characters
/// turned into one space and trimmed ("Bandar-e Abbas" and "bandar e abbas" agree).
pub fn fold_key(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::with_capacity(folded.len());
    let mut gap = false;
    for c in folded.chars() {
        if is_word_char(c) {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

/// The words of a text as search indexes it and as a search query is matched: [`fold_key`]
/// (folded; every run of anything but letters and digits one space), so that the search
/// engines' own tokenisers, which split "a.b" or "3.5" or a ZWNJ each their own way, are
/// given nothing but words and single spaces and agree. A word over [`SEARCH_WORD_BYTES`] is
/// left out (PostgreSQL does not index it; no real word is that long). Used for the index
/// and the query alike, on every backend.
pub fn fold_search(s: &str) -> String {
    let key = fold_key(s);
    if key.len() <= SEARCH_WORD_BYTES || key.split(' ').all(|w| w.len() <= SEARCH_WORD_BYTES) {
        return key;
    }
    key.split(' ')
        .filter(|w| w.len() <= SEARCH_WORD_BYTES)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The longest word search indexes, in bytes: PostgreSQL's limit for a lexeme.
pub const SEARCH_WORD_BYTES: usize = 2047;

/// Whether `c` belongs to a word (letters and digits of any script).
#[inline]
pub fn is_word_char(c: char) -> bool {
    // The two scripts of our reports first: Unicode's general tables are slow and these
    // are asked of every character.
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if ('\u{0600}'..='\u{06FF}').contains(&c) {
        return is_arabic_block_letter_or_digit(c);
    }
    c.is_alphanumeric()
}

/// Letters and digits of the Arabic block (U+0600–U+06FF), as Unicode classes them:
/// Unicode's answer, asked once per character of the block and kept in a bit set.
#[inline]
fn is_arabic_block_letter_or_digit(c: char) -> bool {
    static TABLE: std::sync::OnceLock<[u64; 4]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [0u64; 4];
        for (i, c) in ('\u{0600}'..='\u{06FF}').enumerate() {
            if c.is_alphanumeric() {
                t[i / 64] |= 1 << (i % 64);
            }
        }
        t
    });
    let i = c as usize - 0x0600;
    i < 256 && table[i / 64] & (1 << (i % 64)) != 0
}

/// Whether a match of `len` bytes at `start` in `text` stands as whole words.
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// The script a report is mostly written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    Arabic,
}

/// Decides by counting letters: Arabic-script letters against Latin ones, over the first
/// thousand characters (enough to tell, and a long text costs no more). Ties and texts with
/// no letters count as Latin.
pub fn dominant_script(s: &str) -> Script {
    let (mut arabic, mut latin) = (0usize, 0usize);
    for c in s.chars().take(1000) {
        if is_arabic_script(c) {
            arabic += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    if arabic > latin {
        Script::Arabic
    } else {
        Script::Latin
    }
}

fn is_arabic_script(c: char) -> bool {
    match c {
        '\u{0600}'..='\u{06FF}' => {
            is_arabic_block_letter_or_digit(c)
                && !matches!(c, '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}')
        }
        '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' => {
            c.is_alphabetic()
        }
        _ => false,
    }
}

/// The folding of one character; `push` receives zero or more folded characters.
fn fold_char(c: char, push: &mut impl FnMut(char)) {
    match c {
        // Arabic-keyboard letters to their Persian forms.
        'ي' | 'ى' | 'ئ' => push('ی'),
        'ك' => push('ک'),
        'أ' | 'إ' | 'آ' | 'ٱ' => push('ا'),
        'ة' | 'ۀ' | 'ھ' => push('ه'),
        'ؤ' => push('و'),
        // Tatweel, harakat, superscript alef, hamza marks: dropped.
        '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' => {}
        // ZWNJ separates the parts of a word; folded to a space so that present, missing-as-space
        // and present-as-ZWNJ agree.
        '\u{200C}' => push(' '),
        // Other invisible characters (ZWJ, bidi marks, BOM, soft hyphen): dropped.
        '\u{200B}'
        | '\u{200D}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{00AD}' => {}
        // Persian and Arabic-Indic digits.
        '\u{06F0}'..='\u{06F9}' => push(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
        '\u{0660}'..='\u{0669}' => push(char::from(b'0' + (c as u32 - 0x0660) as u8)),
        // Persian punctuation.
        '،' | '٬' => push(','),
        '؛' => push(';'),
        '؟' => push('?'),
        '٫' => push('.'),
        '«' | '»' | '“' | '”' | '„' => push('"'),
        '‘' | '’' | '‚' | '`' => push('\''),
        '–' | '—' | '―' | '−' => push('-'),
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => push(' '),
        c if c.is_ascii() => push(c.to_ascii_lowercase()),
        c if ('\u{0600}'..='\u{06FF}').contains(&c) => push(c),
        c if is_arabic_script(c) => push(c),
        c => {
            // Latin letters with diacritics (Ḩ, ā, é) lose them; other scripts are lowercased.
            if is_combining(c) {
                return;
            }
            if !c.is_alphabetic() {
                push(c);
                return;
            }
            for d in c.nfd() {
                if !is_combining(d) {
                    for l in d.to_lowercase() {
                        push(l);
                    }
                }
            }
        }
    }
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_keyboard_letters_fold_to_persian() {
        assert_eq!(fold("كرمانشاه"), fold("کرمانشاه"));
        assert_eq!(fold("ايذه"), fold("ایذه"));
    }

    #[test]
    fn zwnj_present_or_missing_as_space_agree() {
        assert_eq!(fold("گاز اشک‌آور"), fold("گاز اشک آور"));
    }

    #[test]
    fn tatweel_and_harakat_are_dropped() {
        assert_eq!(fold("تهـــران"), fold("تهران"));
        assert_eq!(fold("کُشته"), fold("کشته"));
    }

    #[test]
    fn persian_and_arabic_indic_digits_become_ascii() {
        assert_eq!(fold("۱۴۰۱"), "1401");
        assert_eq!(fold("٢٠٢٢"), "2022");
    }

    #[test]
    fn persian_punctuation_becomes_ascii() {
        assert_eq!(fold("قزوین، دیروز؛ «شعار»"), "قزوین, دیروز; \"شعار\"");
    }

    #[test]
    fn latin_diacritics_are_dropped_and_case_folded() {
        assert_eq!(fold("Āz̄ārbāyjān"), "azarbayjan");
        assert_eq!(fold("Esfahan—October"), "esfahan-october");
    }

    #[test]
    fn spans_map_back_to_original_characters() {
        let original = "در كرمانشاه ۲۲ اکتبر";
        let f = Folded::new(original);
        let at = f.as_str().find("کرمانشاه").unwrap();
        let (s, e) = f.original_span(at, at + "کرمانشاه".len());
        assert_eq!(&original[s..e], "كرمانشاه");
        let at = f.as_str().find("22").unwrap();
        let (s, e) = f.original_span(at, at + 2);
        assert_eq!(&original[s..e], "۲۲");
    }

    #[test]
    fn fold_key_joins_words_with_single_spaces() {
        assert_eq!(fold_key("Bandar-e  Abbas"), "bandar e abbas");
    }

    #[test]
    fn search_text_is_words_and_single_spaces_whatever_the_punctuation() {
        assert_eq!(
            fold_search("Gas at 3.5 pm, near a.b—Square!"),
            "gas at 3 5 pm near a b square"
        );
        assert_eq!(fold_search("اشک‌آور ۳٫۵ كشته"), "اشک اور 3 5 کشته");
        assert_eq!(fold_search(" ,. "), "");
        let long = "x".repeat(SEARCH_WORD_BYTES + 1);
        assert_eq!(fold_search(&format!("tear {long} gas")), "tear gas");
    }

    #[test]
    fn dominant_script_counts_letters() {
        assert_eq!(dominant_script("در زنجان امروز Zanjan"), Script::Arabic);
        assert_eq!(dominant_script("Protest in Tehran, تهران"), Script::Latin);
    }

    #[test]
    fn word_chars_agree_with_unicode_in_the_arabic_block() {
        for c in '\u{0600}'..='\u{06FF}' {
            assert_eq!(
                is_word_char(c),
                c.is_alphanumeric(),
                "{c:?} U+{:04X}",
                c as u32
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn every_folded_span_cuts_the_original_on_char_boundaries(s in "\\PC*", a in 0usize..200, b in 0usize..200) {
            let f = Folded::new(&s);
            let (x, y) = f.original_span(a.min(b), a.max(b));
            proptest::prop_assert!(x <= y && y <= s.len());
            proptest::prop_assert!(s.is_char_boundary(x) && s.is_char_boundary(y));
        }
    }
}
