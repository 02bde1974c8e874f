//! Text normalization, applied identically to documents at index time and to
//! queries at search time, so that what a user types matches what is stored.
//!
//! Steps, in order:
//! 1. Unicode NFKC: full-width ASCII → half-width (`ＡＢＣ１２３` → `ABC123`),
//!    compatibility forms folded (U+3000 ideographic space → space).
//! 2. Lower-case letters (`Word` → `word`).
//! 3. Drop control characters, NUL, U+FEFF (BOM) and U+200B–U+200D.
//! 4. Whitespace: a run of whitespace that touches a CJK character on either
//!    side is removed — extraction splits Chinese words with spaces and line
//!    breaks (`业务能 力`, `办\n\n\n公室`, PDF lines breaking `深\n入`), and
//!    Chinese prose never separates words by spaces. Any other run becomes one
//!    `\n` (if it held a line break) or one space. Leading and trailing
//!    whitespace is dropped.
//!
//! The result is the *indexed text* of a document (the stored text is the
//! text as extracted, for display). Its *match form* ([`match_form`])
//! replaces `\n` by a space: a query matches a document exactly when the
//! query's match form is a substring of the document's match form. This is
//! the search guarantee that `tests/it/search.rs` checks against a plain
//! substring scan. [`match_view`] builds the same match form from the stored
//! text with, for each character, where it came from: snippets are cut from
//! the text as written.

use std::sync::OnceLock;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// True for characters of CJK scripts and CJK punctuation: Han ideographs
/// (URO, extensions A–G, compatibility), radicals, CJK symbols and
/// punctuation (U+3000–U+303F), kana, bopomofo, hangul, enclosed CJK,
/// vertical and small forms, full-width forms, and the general punctuation
/// Chinese text uses (`—`, `‘’“”`, `…`, `·`).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF       // radicals
        | 0x3000..=0x303F     // CJK symbols and punctuation
        | 0x3040..=0x30FF     // kana
        | 0x3100..=0x31FF     // bopomofo, kanbun, katakana ext
        | 0x3200..=0x33FF     // enclosed CJK, compatibility
        | 0x3400..=0x4DBF     // ext A
        | 0x4E00..=0x9FFF     // unified ideographs
        | 0xA960..=0xA97F | 0xAC00..=0xD7AF // hangul
        | 0xF900..=0xFAFF     // compatibility ideographs
        | 0xFE10..=0xFE1F | 0xFE30..=0xFE4F // vertical, compatibility forms
        | 0xFF00..=0xFFEF     // half/full-width forms
        | 0x20000..=0x3134F   // ext B–H
        | 0x2014 | 0x2015 | 0x2018..=0x201F | 0x2026 | 0x00B7 | 0x2027
    )
}

fn is_dropped(c: char) -> bool {
    (c.is_control() && !c.is_whitespace())
        || matches!(c, '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}')
}

/// Normalize `raw` text (see the module doc). Output length is at most the
/// NFKC length of the input; the function never fails.
///
/// ```
/// use gongwen::archive::normalize::normalize;
/// assert_eq!(normalize("业务能 力\n和办\n\n\n公室"), "业务能力和办公室");
/// assert_eq!(normalize("ＡＢＣ　Word 文档"), "abc word文档");
/// assert_eq!(normalize("line one\n\n line two"), "line one\nline two");
/// ```
pub fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    // Most long text is NFKC already (every character in the stable table):
    // one pass that checks as it goes; the first unstable character sends
    // the text through the NFKC fold and a second pass.
    if raw.len() >= NFKC_TABLE_MIN && push_normalized(raw, &mut out, Some(stable_table())) {
        return out;
    }
    out.clear();
    push_normalized(&nfkc_fold(raw), &mut out, None);
    out
}

/// Text shorter than this (a query, a title) takes the plain NFKC algorithm:
/// it takes microseconds, building the stable table ~1.5 ms — a fifth of a
/// `gongwen search` process.
const NFKC_TABLE_MIN: usize = 1024;

/// BMP characters that are NFKC-stable on their own and never combine with
/// a neighbour (NFKC quick check "Yes", canonical combining class 0). A run of
/// such characters is already NFKC, so it is copied as is; only the rare
/// other runs go through the full algorithm.
///
/// The table also holds the [`fullwidth_fold`] characters (`，：；（）` and
/// U+3000, in every line of Chinese text): their NFKC is one ASCII
/// character that composes with nothing, so they pass through the fold
/// unchanged and [`push_normalized`] maps them.
fn stable_table() -> &'static [u64] {
    static TABLE: OnceLock<Vec<u64>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = vec![0u64; 1024];
        for cp in 0u32..0x10000 {
            if let Some(c) = char::from_u32(cp)
                && canonical_combining_class(c) == 0
                && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
            {
                t[(cp >> 6) as usize] |= 1 << (cp & 63);
            }
        }
        for cp in (0xFF01u32..=0xFF5E).chain([0x3000]) {
            t[(cp >> 6) as usize] |= 1 << (cp & 63);
        }
        t
    })
}

#[inline]
fn is_stable(table: &[u64], c: char) -> bool {
    let cp = c as u32;
    cp < 0x80 || (cp < 0x10000 && table[(cp >> 6) as usize] & (1 << (cp & 63)) != 0)
}

/// NFKC of `raw`, copying stable runs and normalizing only the rest (with the
/// character before each unstable run, which it may compose with).
fn nfkc_fold(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.len() < NFKC_TABLE_MIN {
        return std::borrow::Cow::Owned(raw.nfkc().collect());
    }
    let table = stable_table();
    let Some(first_bad) = raw
        .char_indices()
        .find(|(_, c)| !is_stable(table, *c))
        .map(|(i, _)| i)
    else {
        return std::borrow::Cow::Borrowed(raw);
    };
    let mut out = String::with_capacity(raw.len());
    // Start of the unstable chunk: include the preceding character.
    let mut i = raw[..first_bad]
        .char_indices()
        .next_back()
        .map(|(j, _)| j)
        .unwrap_or(0);
    out.push_str(&raw[..i]);
    while i < raw.len() {
        // Unstable chunk [i, j): up to the first stable char followed by a stable char.
        let rest = &raw[i..];
        let mut j = raw.len();
        let mut iter = rest.char_indices().peekable();
        let mut seen_bad = false;
        while let Some((k, c)) = iter.next() {
            if !is_stable(table, c) {
                seen_bad = true;
                continue;
            }
            if seen_bad && iter.peek().is_none_or(|(_, n)| is_stable(table, *n)) {
                j = i + k;
                break;
            }
        }
        out.extend(raw[i..j].nfkc());
        // Stable run [j, m).
        let m = raw[j..]
            .char_indices()
            .find(|(_, c)| !is_stable(table, *c))
            .map(|(k, _)| j + k);
        match m {
            None => {
                out.push_str(&raw[j..]);
                break;
            }
            Some(m) => {
                let back = raw[j..m]
                    .char_indices()
                    .next_back()
                    .map(|(k, _)| j + k)
                    .unwrap_or(j);
                out.push_str(&raw[j..back]);
                i = back;
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Steps 2–4 of the module doc over NFKC text `s`, appended to `out`
/// (which must start empty). Characters that pass unchanged (see
/// [`is_verbatim`]) are copied a run at a time.
///
/// With `stable`, `s` need not be NFKC: the pass stops and returns `false`
/// at the first character not in the [`stable_table`] (`out` then holds a
/// partial result). Returns `true` when all of `s` was appended.
fn push_normalized(s: &str, out: &mut String, stable: Option<&[u64]>) -> bool {
    // Pending whitespace run: None = no run; Some(has_newline).
    let mut pending: Option<bool> = None;
    // Start of the run of verbatim characters not yet copied.
    let mut run = 0;
    for (i, c) in s.char_indices() {
        // URO ideographs, most of the text, are verbatim and NFKC-stable.
        if pending.is_none() && ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            continue;
        }
        if let Some(t) = stable
            && !is_stable(t, c)
        {
            return false;
        }
        if pending.is_none() && is_verbatim(c) {
            continue;
        }
        out.push_str(&s[run..i]);
        run = i + c.len_utf8();
        let c = fullwidth_fold(c);
        if c.is_whitespace() {
            pending = Some(pending.unwrap_or(false) || breaks_line(c));
            continue;
        }
        if is_dropped(c) {
            continue;
        }
        let cjk = is_cjk(c);
        if let Some(nl) = pending.take() {
            // Kept only between two non-CJK characters, never leading.
            let prev_cjk = out.chars().next_back().is_some_and(is_cjk);
            if !out.is_empty() && !prev_cjk && !cjk {
                out.push(if nl { '\n' } else { ' ' });
            }
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if c.is_uppercase() {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out.push_str(&s[run..]);
    true
}

/// Whitespace that ends a line (kept as `\n` between non-CJK text).
fn breaks_line(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{0B}' | '\u{0C}'
    )
}

/// Characters that normalization leaves as they are whatever surrounds
/// them (once no whitespace is pending): URO ideographs, ASCII other than
/// capitals, white space and controls, and the CJK and general punctuation
/// of Chinese text (`、。《》「」—…“”·`).
#[inline]
fn is_verbatim(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3001}'..='\u{303F}'
        | '\u{2014}' | '\u{2018}'..='\u{201F}' | '\u{2026}' | '\u{00B7}'
    ) || (c.is_ascii_graphic() && !c.is_ascii_uppercase())
}

/// NFKC of the full-width ASCII variants U+FF01–U+FF5E (`，` → `,`,
/// `Ａ` → `A`; Unicode §18.5, their decompositions are `<wide>` + the ASCII
/// character) and of the ideographic space U+3000 (→ space); any other
/// character unchanged.
#[inline]
fn fullwidth_fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from((c as u32 - 0xFEE0) as u8),
        '\u{3000}' => ' ',
        c => c,
    }
}

/// The match form of normalized text: `\n` replaced by a space (same byte
/// length, so offsets carry over). Substring containment in the match form is
/// the definition of "the document contains the query".
pub fn match_form(normalized: &str) -> String {
    normalized.replace('\n', " ")
}

/// The match form of a document's stored text (the text as extracted, see
/// [`display_text`]), built character by character so that every character
/// of it knows where it came from: snippets are found in the match form and
/// cut out of the text as the document has it (full-width punctuation,
/// capitals, `……`, `①`).
///
/// `text` equals `match_form(&normalize(raw))` except where NFKC composes
/// characters that are not a base and its combining marks (Hangul jamo):
/// the view folds each such cluster on its own. Built per search hit, not at
/// index time.
#[derive(Clone, Debug, Default)]
pub struct MatchView {
    /// The match form (normalized; every kept whitespace run is one space).
    pub text: String,
    /// Per character of `text`, in order: its byte offset in `text` and the
    /// byte range (start, end) in the source it came from (a kept space: its
    /// whitespace run; a character NFKC expanded, `…` → `...`: the same
    /// range for each).
    spans: Vec<(u32, u32, u32)>,
}

impl MatchView {
    /// Number of characters of [`MatchView::text`].
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether the view holds no character.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Index of the character at byte `at` of [`MatchView::text`] (the
    /// character holding that byte), or [`MatchView::len`] at the end.
    pub fn char_index(&self, at: usize) -> usize {
        if at >= self.text.len() {
            return self.spans.len();
        }
        // spans[0].0 == 0, so a byte inside the text has a character at or
        // before it.
        match self.spans.binary_search_by_key(&at, |s| s.0 as usize) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset in [`MatchView::text`] of character `i` (the text's
    /// length for `i` = [`MatchView::len`]).
    pub fn byte_of(&self, i: usize) -> usize {
        self.spans.get(i).map_or(self.text.len(), |s| s.0 as usize)
    }

    /// Source byte range of character `i` of [`MatchView::text`].
    pub fn source(&self, i: usize) -> std::ops::Range<usize> {
        let s = self.spans[i];
        s.1 as usize..s.2 as usize
    }
}

/// Build the [`MatchView`] of `raw` (see there), or of its beginning: the
/// source is read until the view holds `limit` characters (a few more when
/// the last source character NFKC expands). Same steps as [`normalize`],
/// applied one source character at a time.
///
/// ```
/// use gongwen::archive::normalize::match_view;
/// let src = "各省：\n\n　　Word 文档（一）";
/// let v = match_view(src, usize::MAX);
/// assert_eq!(v.text, "各省: word文档(一)");
/// let i = v.char_index(v.text.find("word").unwrap());
/// assert_eq!(&src[v.source(i)], "W");
/// assert_eq!(&src[v.source(2)], "：");
/// ```
pub fn match_view(raw: &str, limit: usize) -> MatchView {
    let mut b = ViewBuilder {
        v: MatchView {
            text: String::with_capacity(raw.len().min(limit.saturating_mul(4))),
            spans: Vec::with_capacity((raw.len() / 3).min(limit)),
        },
        pending: None,
        prev_cjk: false,
    };
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if b.v.spans.len() >= limit {
            break;
        }
        // A character and the combining marks after it (`e` + U+0301) fold
        // together, as NFKC of the whole text composes them (`é`).
        let mut end = i + c.len_utf8();
        while let Some(&(j, m)) = chars.peek()
            && m >= '\u{300}'
            && canonical_combining_class(m) != 0
        {
            end = j + m.len_utf8();
            chars.next();
        }
        let here = (i as u32, end as u32);
        // ASCII, URO ideographs and the full-width forms fold without the
        // NFKC tables (`…` is not among them: NFKC makes it `...`).
        if end == i + c.len_utf8()
            && (c.is_ascii()
                || ('\u{4E00}'..='\u{9FFF}').contains(&c)
                || ('\u{FF01}'..='\u{FF5E}').contains(&c)
                || c == '\u{3000}')
        {
            b.step(fullwidth_fold(c), here);
        } else {
            for d in raw[i..end].nfkc() {
                b.step(d, here);
            }
        }
    }
    b.v
}

/// State of [`match_view`]: the steps of [`push_normalized`], one folded
/// character at a time.
struct ViewBuilder {
    v: MatchView,
    /// Pending whitespace run: (has a line break, its source range).
    pending: Option<(bool, (u32, u32))>,
    prev_cjk: bool,
}

impl ViewBuilder {
    #[inline]
    fn step(&mut self, d: char, here: (u32, u32)) {
        if d.is_whitespace() {
            let nl = breaks_line(d);
            self.pending = Some(match self.pending.take() {
                Some((had, r)) => (had || nl, (r.0, here.1)),
                None => (nl, here),
            });
            return;
        }
        if is_dropped(d) {
            return;
        }
        let cjk = is_cjk(d);
        let v = &mut self.v;
        if let Some((_, r)) = self.pending.take()
            && !v.text.is_empty()
            && !self.prev_cjk
            && !cjk
        {
            v.spans.push((v.text.len() as u32, r.0, r.1));
            v.text.push(' ');
        }
        if d.is_ascii() {
            v.spans.push((v.text.len() as u32, here.0, here.1));
            v.text.push(d.to_ascii_lowercase());
        } else {
            for l in d.to_lowercase() {
                v.spans.push((v.text.len() as u32, here.0, here.1));
                v.text.push(l);
            }
        }
        self.prev_cjk = cjk;
    }
}

/// A document's stored text made fit to print (`gongwen show`): line
/// breaks as `\n` (`\r\n` and `\r` converted), control characters, byte
/// order marks and zero-width spaces dropped, trailing white space of each
/// line removed, at most one empty line in a row, no empty lines at either
/// end. Leading indentation (`　　`, U+3000) is kept.
///
/// ```
/// use gongwen::archive::normalize::display_text;
/// assert_eq!(display_text("\u{feff}\r\n　　第一条　 \r\n\r\n\r\n\r\n第二条\u{0}\n\n"), "　　第一条\n\n第二条");
/// ```
pub fn display_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank = 0usize;
    for line in raw.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut kept = String::with_capacity(line.len());
        for part in line.split('\r') {
            if !kept.is_empty() {
                kept.push('\n');
            }
            kept.extend(part.chars().filter(|&c| c == '\t' || !is_dropped(c)));
        }
        let kept = kept.trim_end();
        if kept.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(kept);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_split_cjk_words() {
        assert_eq!(normalize("业务能 力"), "业务能力");
        assert_eq!(normalize("办\n\n\n公室"), "办公室");
        assert_eq!(normalize("深\r\n入学习"), "深入学习");
        assert_eq!(normalize("\u{3000}\u{3000}各区县："), "各区县:");
    }

    #[test]
    fn folds_width_and_case() {
        assert_eq!(normalize("５Ｇ基站"), "5g基站");
        assert_eq!(normalize("GB/T 9704"), "gb/t 9704");
        assert_eq!(normalize("国办发〔2023〕5号"), "国办发〔2023〕5号");
    }

    #[test]
    fn collapses_other_whitespace() {
        assert_eq!(normalize("  a  \t b \n\n c  "), "a b\nc");
        assert_eq!(normalize("1 9 9 8 年"), "1 9 9 8年");
    }

    #[test]
    fn drops_controls() {
        assert_eq!(normalize("a\u{0}b\u{FEFF}c"), "abc");
    }

    #[test]
    fn fast_path_equals_full_nfkc() {
        for s in [
            "ＡＢＣ　第１条，中华人民共和国。",
            "e\u{301}tude caf\u{e9} ㈠ ① ﬁ Å",
            "纯中文文本没有需要规范化的字符",
            "\u{301}开头是组合符",
            "末尾组合e\u{301}",
            "𠀀扩展B区字符与，全角",
            "全角后接组合符Ａ\u{301}，（一）　ｆｕｌｌ：；",
            "\u{3000}\u{301}全角空格后接组合符",
        ] {
            let plain = |s: &str| {
                let mut out = String::new();
                push_normalized(&s.nfkc().collect::<String>(), &mut out, None);
                out
            };
            assert_eq!(normalize(s), plain(s), "{s:?}");
            // Long enough for the table path (short text takes the plain one).
            let long = s.repeat(1 + 2048 / s.len());
            assert!(long.len() >= 1024);
            assert_eq!(normalize(&long), plain(&long), "{s:?}");
        }
    }

    /// The per-character algorithm `push_normalized` copies runs of:
    /// both must give the same text on any mix of characters.
    fn reference(s: &str) -> String {
        let mut out = String::new();
        let (mut pending, mut prev_cjk) = (None::<bool>, false);
        for c in s.nfkc() {
            if c.is_whitespace() {
                pending = Some(pending.unwrap_or(false) || breaks_line(c));
                continue;
            }
            if is_dropped(c) {
                continue;
            }
            let cjk = is_cjk(c);
            if let Some(nl) = pending.take()
                && !out.is_empty()
                && !prev_cjk
                && !cjk
            {
                out.push(if nl { '\n' } else { ' ' });
            }
            out.extend(c.to_lowercase());
            prev_cjk = cjk;
        }
        out
    }

    #[test]
    fn run_copy_equals_per_character() {
        // With characters NFKC changes (é + U+0301, ①, ﬁ, half-width kana)
        // long text takes the fold and a second pass; without them, the one
        // checked pass.
        for (alphabet, one_pass) in [
            (
                "中国a Z9,，。、（）　\n\t\u{0}\u{FEFF}Ａ１é\u{301}ŞİΣ—“”·…①ﬁ𠀀ｶﾞ\r",
                false,
            ),
            (
                "中国a Z9,，。、（）　\n\t\u{0}\u{FEFF}Ａ１éŞİΣ—“”·〔〕\r",
                true,
            ),
        ] {
            let alphabet: Vec<char> = alphabet.chars().collect();
            check_random_mixes(&alphabet, one_pass);
        }
    }

    /// 200 strings of each of the lengths 1 … 1500 drawn from `alphabet`
    /// (xorshift from `seed`: the same strings every run).
    fn random_mixes(alphabet: &[char], mut seed: u64) -> Vec<String> {
        let mut out = Vec::new();
        for len in [1usize, 2, 3, 5, 8, 40, 700, 1500] {
            for _ in 0..200 {
                out.push(
                    (0..len)
                        .map(|_| {
                            seed ^= seed << 13;
                            seed ^= seed >> 7;
                            seed ^= seed << 17;
                            alphabet[(seed % alphabet.len() as u64) as usize]
                        })
                        .collect(),
                );
            }
        }
        out
    }

    fn check_random_mixes(alphabet: &[char], one_pass: bool) {
        for s in random_mixes(alphabet, 0x2545_f491) {
            assert_eq!(normalize(&s), reference(&s), "{s:?}");
            if s.len() >= NFKC_TABLE_MIN {
                let mut out = String::new();
                let done = push_normalized(&s, &mut out, Some(stable_table()));
                assert_eq!(done, one_pass, "{s:?}");
            }
        }
    }

    /// The view's match form is the normalizer's on any mix of characters
    /// NFKC folds one at a time, and every character points at its source.
    #[test]
    fn match_view_equals_match_form() {
        let alphabet: Vec<char> =
            "中国a Z9,，。、（）　\n\t\u{0}\u{FEFF}Ａ１ŞİΣ—“”·…①ﬁ〔〕㈠\r\u{200B}e\u{301}\u{327}"
                .chars()
                .collect();
        for s in random_mixes(&alphabet, 0x9e37_79b9) {
            let v = match_view(&s, usize::MAX);
            let head = match_view(&s, 3);
            assert!(v.text.starts_with(&head.text), "{s:?}");
            assert!(head.len() >= v.len().min(3), "{s:?}");
            assert_eq!(v.text, match_form(&normalize(&s)), "{s:?}");
            assert_eq!(v.len(), v.text.chars().count());
            for (i, (at, c)) in v.text.char_indices().enumerate() {
                assert_eq!(v.byte_of(i), at);
                assert_eq!(v.char_index(at), i);
                let src = &s[v.source(i)];
                if c == ' ' {
                    // (A combining mark after white space is in its run.)
                    assert!(src.chars().any(char::is_whitespace), "{s:?} {src:?}");
                } else {
                    assert!(normalize(src).contains(c), "{s:?} {src:?} {c:?}");
                }
            }
            assert_eq!(v.char_index(v.text.len()), v.len());
        }
    }

    #[test]
    fn display_text_keeps_what_the_writer_typed() {
        let raw = "关于做好防汛工作的通知\r\n\r\n各区县：\r\n　　为做好（一）Word 文档……①\t \r\n\r\n\r\n此致";
        assert_eq!(
            display_text(raw),
            "关于做好防汛工作的通知\n\n各区县：\n　　为做好（一）Word 文档……①\n\n此致"
        );
        assert_eq!(display_text("\n\n"), "");
        assert_eq!(display_text("a\rb"), "a\nb");
    }

    #[test]
    fn idempotent() {
        for s in [
            "业务能 力 abc  DEF\n\nx",
            "（一）　总体要求",
            "ｆｏｏ　ｂａｒ",
        ] {
            let once = normalize(s);
            assert_eq!(normalize(&once), once);
        }
    }
}
