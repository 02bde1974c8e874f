//! 发文字号 (document numbers) such as `国办发〔2023〕5号`: the parsed value,
//! a lenient parser for extracted text, a finder for running text, the
//! normalised index term, and a strict checker for drafts.
//!
//! The rule (GB/T 9704-2012 §7.2.5 发文字号): 发文字号 consists of 发文机关代字,
//! 年份 and 发文顺序号; year and serial are Arabic numerals; the year is
//! written in full (four digits) inside 六角括号 `〔〕`; the serial has no `第`
//! and no leading zeros (`1`, never `01`) and is followed by `号`.
//!
//! Lenient parsing accepts what extraction and careless typing produce:
//! `[]`, `()`, `（）`, `【】`, `［］`, `〖〗` for `〔〕`, spaces or line breaks
//! anywhere inside, full-width digits, `第5号`, leading zeros, a two-digit year.

use std::fmt;
use std::ops::Range;

use super::chars::{
    arabic_digit, is_close_bracket, is_fullwidth_digit, is_han, is_open_bracket, is_space,
};

/// One 发文字号, e.g. `国办发〔2023〕5号` = `DocNumber { agency: "国办发", year: 2023, serial: 5 }`.
///
/// `Display` writes the canonical form of GB/T 9704-2012 §7.2.5:
/// agency, `〔`, four-digit year, `〕`, serial without zero padding, `号`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocNumber {
    /// 发文机关代字, e.g. `国办发`, `路卫发`, `法释`. Han characters only,
    /// no spaces.
    pub agency: String,
    /// 年份, four digits (e.g. 2023).
    pub year: u16,
    /// 发文顺序号, ≥ 1.
    pub serial: u32,
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}〔{}〕{}号", self.agency, self.year, self.serial)
    }
}

impl DocNumber {
    /// Parses one 发文字号 leniently (see the module doc for what is
    /// accepted). The whole of `s` must be the number, apart from white
    /// space, a leading label such as `发文字号：`/`文号:` and surrounding
    /// brackets or quotes; `号` may be missing at the very end.
    ///
    /// Returns `None` when `s` is not a 发文字号 (no agency, no bracketed
    /// year, a year outside 1900–2100, serial 0, trailing text).
    ///
    /// ```
    /// use gongwen::meta::doc_number::DocNumber;
    /// let a = DocNumber::parse_lenient("国办发〔2023〕5号").unwrap();
    /// assert_eq!(DocNumber::parse_lenient("国办发 [２０２３] 第05号"), Some(a.clone()));
    /// assert_eq!(a.to_string(), "国办发〔2023〕5号");
    /// ```
    pub fn parse_lenient(s: &str) -> Option<DocNumber> {
        let s = s.trim_matches(|c: char| is_space(c) || matches!(c, '"' | '“' | '”' | '《' | '》'));
        // Drop a label such as `发文字号：`.
        let s = match s.rfind(['：', ':']) {
            Some(i) => &s[i + s[i..].chars().next().map_or(1, char::len_utf8)..],
            None => s,
        };
        let s = s.trim_start_matches(['（', '(', '【', '[', '《']);
        let cs: Vec<(usize, char)> = s.char_indices().collect();
        let open = cs.iter().position(|&(_, c)| is_open_bracket(c))?;
        // Agency: everything before the bracket, spaces removed, Han only.
        let agency: String = cs[..open]
            .iter()
            .map(|&(_, c)| c)
            .filter(|c| !is_space(*c))
            .collect();
        let agency = agency.trim_start_matches(['（', '(', '【', '[']);
        if agency.is_empty() || !agency.chars().all(is_han) {
            return None;
        }
        let raw = scan_after_bracket(&cs, open)?;
        // Nothing but closing punctuation may follow.
        let rest_ok = cs[raw.end..].iter().all(|&(_, c)| {
            is_space(c) || is_close_bracket(c) || matches!(c, '。' | '，' | ',' | '.')
        });
        if !rest_ok {
            return None;
        }
        raw.to_doc_number(agency)
    }
}

/// What the scanner read from an opening bracket onwards; kept raw so the
/// strict checker can name each deviation.
#[derive(Debug, Clone)]
struct Raw {
    open: char,
    close: char,
    /// The year digits as written (may be full-width), spaces removed.
    year_digits: String,
    has_di: bool,
    /// The serial digits as written (may be full-width or zero-padded).
    serial_digits: String,
    has_hao: bool,
    has_spaces: bool,
    has_fullwidth: bool,
    /// Index (into the char slice) one past the last consumed char.
    end: usize,
}

impl Raw {
    fn to_doc_number(&self, agency: &str) -> Option<DocNumber> {
        let year = digits_value(&self.year_digits)?;
        let year = match self.year_digits.chars().count() {
            4 => year,
            2 if year >= 50 => 1900 + year,
            2 => 2000 + year,
            _ => return None,
        };
        if !(1900..=2100).contains(&year) {
            return None;
        }
        let serial = digits_value(&self.serial_digits)?;
        if serial == 0 {
            return None;
        }
        Some(DocNumber {
            agency: agency.to_string(),
            year: year as u16,
            serial,
        })
    }
}

fn digits_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.chars().count() > 9 {
        return None;
    }
    s.chars()
        .try_fold(0u32, |acc, c| Some(acc * 10 + arabic_digit(c)?))
}

/// Reads `[year] 第 serial 号` starting at `cs[open]`, an opening bracket.
fn scan_after_bracket(cs: &[(usize, char)], open: usize) -> Option<Raw> {
    let mut raw = Raw {
        open: cs[open].1,
        close: ' ',
        year_digits: String::new(),
        has_di: false,
        serial_digits: String::new(),
        has_hao: false,
        has_spaces: false,
        has_fullwidth: false,
        end: open + 1,
    };
    let mut i = open + 1;
    let skip = |i: &mut usize, raw: &mut Raw| {
        while *i < cs.len() && is_space(cs[*i].1) {
            raw.has_spaces = true;
            *i += 1;
        }
    };
    let digits = |i: &mut usize, raw: &mut Raw, out: &mut String| {
        loop {
            let mut j = *i;
            while j < cs.len() && is_space(cs[j].1) {
                j += 1;
            }
            match cs
                .get(j)
                .map(|p| p.1)
                .filter(|c| arabic_digit(*c).is_some())
            {
                Some(c) => {
                    if j > *i {
                        raw.has_spaces = true;
                    }
                    if is_fullwidth_digit(c) {
                        raw.has_fullwidth = true;
                    }
                    out.push(c);
                    *i = j + 1;
                }
                None => break,
            }
        }
    };
    let mut year = String::new();
    digits(&mut i, &mut raw, &mut year);
    if !(2..=4).contains(&year.chars().count()) {
        return None;
    }
    raw.year_digits = year;
    skip(&mut i, &mut raw);
    let close = cs.get(i).map(|p| p.1).filter(|c| is_close_bracket(*c))?;
    raw.close = close;
    i += 1;
    skip(&mut i, &mut raw);
    if cs.get(i).map(|p| p.1) == Some('第') {
        raw.has_di = true;
        i += 1;
        skip(&mut i, &mut raw);
    }
    let mut serial = String::new();
    digits(&mut i, &mut raw, &mut serial);
    if serial.is_empty() {
        return None;
    }
    raw.serial_digits = serial;
    raw.end = i;
    let mut j = i;
    while j < cs.len() && is_space(cs[j].1) {
        j += 1;
    }
    if cs.get(j).map(|p| p.1) == Some('号') {
        raw.has_hao = true;
        if j > i {
            raw.has_spaces = true;
        }
        raw.end = j + 1;
    }
    Some(raw)
}

/// Words that end the text before a 机关代字 in running text (`根据国办发…`,
/// `…的通知国办发…`): the agency starts after the last of them.
const AGENCY_BOUNDARIES: &[&str] = &[
    "根据", "依据", "按照", "参照", "对照", "执行", "落实", "贯彻", "文件", "印发", "转发", "关于",
    "通知", "意见", "办法", "规定", "精神", "要求", "见", "的", "和", "与", "及", "或", "在", "对",
    "将", "以", "为", "是", "等", "号", "即", "按", "作出", "简称", "下称",
];

/// Longest 机关代字 accepted in running text, in characters.
const MAX_AGENCY_CHARS: usize = 10;

/// Finds every 发文字号 in running text, in order, as
/// `(byte range in text, number)`. The range covers agency through `号`.
///
/// A match needs a 机关代字 of Han characters directly before the bracketed
/// year (spaces and line breaks allowed, as in `（路中医发\n〔2011〕10号）`) and
/// `号` after the serial, or the end of the line. The agency is cut after
/// words that cannot belong to it (`根据`, `的`, `文件`, …; see the source).
///
/// ```
/// use gongwen::meta::doc_number::find_doc_numbers;
/// let t = "根据《关于X的通知》（国办发〔2023〕5号）和京政发[2022]12号文件";
/// let found: Vec<String> = find_doc_numbers(t).into_iter().map(|(_, n)| n.to_string()).collect();
/// assert_eq!(found, ["国办发〔2023〕5号", "京政发〔2022〕12号"]);
/// ```
pub fn find_doc_numbers(text: &str) -> Vec<(Range<usize>, DocNumber)> {
    // Most lines hold no bracket: no character table for them.
    if !text.contains(is_open_bracket) {
        return Vec::new();
    }
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        if !is_open_bracket(cs[i].1) {
            i += 1;
            continue;
        }
        let Some(raw) = scan_after_bracket(&cs, i) else {
            i += 1;
            continue;
        };
        let line_ends = cs.get(raw.end).is_none_or(|p| p.1 == '\n' || p.1 == '\r');
        if !raw.has_hao && !line_ends {
            i += 1;
            continue;
        }
        let Some(start) = agency_start(&cs, i) else {
            i += 1;
            continue;
        };
        let agency: String = cs[start..i]
            .iter()
            .map(|p| p.1)
            .filter(|c| !is_space(*c))
            .collect();
        if let Some(n) = raw.to_doc_number(&agency) {
            let end_byte = cs.get(raw.end).map_or(text.len(), |p| p.0);
            out.push((cs[start].0..end_byte, n));
            i = raw.end;
        } else {
            i += 1;
        }
    }
    out
}

/// Index of the first char of the 机关代字 ending just before `cs[open]`.
fn agency_start(cs: &[(usize, char)], open: usize) -> Option<usize> {
    let mut k = open;
    while k > 0 && is_space(cs[k - 1].1) {
        k -= 1;
    }
    let end = k;
    while k > 0 && is_han(cs[k - 1].1) && end - (k - 1) <= MAX_AGENCY_CHARS + 8 {
        k -= 1;
    }
    if k == end {
        return None;
    }
    let run: String = cs[k..end].iter().map(|p| p.1).collect();
    // Cut after the last boundary word.
    let mut cut_chars = 0;
    for w in AGENCY_BOUNDARIES {
        if let Some(pos) = run.rfind(w) {
            let after = run[..pos + w.len()].chars().count();
            cut_chars = cut_chars.max(after);
        }
    }
    let len = end - k - cut_chars;
    if len == 0 {
        return None;
    }
    let len = len.min(MAX_AGENCY_CHARS);
    Some(end - len)
}

/// `t` without a 发文字号 at its very end (`…的通知〔2023〕5号`,
/// `…（国办发〔2023〕5号）`, with or without 机关代字); `t` unchanged when it
/// does not end in one.
pub(crate) fn strip_trailing_number(t: &str) -> &str {
    let cs: Vec<(usize, char)> = t.char_indices().collect();
    let Some(open) = cs.iter().rposition(|&(_, c)| is_open_bracket(c)) else {
        return t;
    };
    let Some(raw) = scan_after_bracket(&cs, open) else {
        return t;
    };
    let at_end = cs[raw.end..]
        .iter()
        .all(|&(_, c)| is_space(c) || is_close_bracket(c));
    if !raw.has_hao || !at_end {
        return t;
    }
    let start = agency_start(&cs, open).unwrap_or(open);
    t[..cs[start].0].trim_end_matches(|c: char| is_space(c) || is_open_bracket(c))
}

/// The index term for a 发文字号: its canonical form (`国办发〔2023〕5号`) when
/// `s` parses leniently ([`DocNumber::parse_lenient`]), else `None`.
/// All spellings of one number give the same term.
pub fn normalize_doc_number(s: &str) -> Option<String> {
    DocNumber::parse_lenient(s).map(|n| n.to_string())
}

/// One deviation of a written 发文字号 from GB/T 9704-2012 §7.2.5, reported
/// by [`check_doc_number`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DocNumberProblem {
    /// Not readable as a 发文字号 at all (no agency, no bracketed year, or no serial).
    #[error(
        "not a 发文字号: expected 机关代字〔年份〕序号号, e.g. 国办发〔2023〕5号 (GB/T 9704-2012 §7.2.5)"
    )]
    NotADocNumber,
    /// The year is not in 六角括号 `〔〕`; `found` is the pair used, e.g. `[]`.
    #[error("year must be in 六角括号 〔〕, found {found} (GB/T 9704-2012 §7.2.5)")]
    WrongBrackets {
        /// The opening and closing bracket as written, e.g. `（）`.
        found: String,
    },
    /// The year is not written in full with four digits; `found` is as written.
    #[error("year must be written in full with four digits, found {found} (GB/T 9704-2012 §7.2.5)")]
    YearNotFourDigits {
        /// The year digits as written, e.g. `23`.
        found: String,
    },
    /// The serial is preceded by `第`.
    #[error("the serial number takes no 第 (GB/T 9704-2012 §7.2.5)")]
    HasDi,
    /// The serial has leading zeros; `found` is as written, e.g. `005`.
    #[error(
        "the serial number is not zero-padded (1, never 01), found {found} (GB/T 9704-2012 §7.2.5)"
    )]
    ZeroPadded {
        /// The serial as written.
        found: String,
    },
    /// `号` is missing after the serial.
    #[error("号 must follow the serial number (GB/T 9704-2012 §7.2.5)")]
    MissingHao,
    /// Full-width digits (`２０２３`) instead of Arabic numerals.
    #[error("use Arabic numerals (half-width 0-9), not full-width digits (GB/T 9704-2012 §7.2.5)")]
    FullWidthDigits,
    /// White space inside the number.
    #[error("no spaces inside a 发文字号")]
    HasSpaces,
    /// Text after `号`; `found` is that text.
    #[error("unexpected text after the 发文字号: {found}")]
    TrailingText {
        /// The text after the number.
        found: String,
    },
}

/// Checks one written 发文字号 strictly against GB/T 9704-2012 §7.2.5 and
/// returns every problem found (empty = correct). `s` is the value as the
/// drafter wrote it, e.g. a front-matter field; outer white space is ignored.
///
/// ```
/// use gongwen::meta::doc_number::{check_doc_number, DocNumberProblem};
/// assert!(check_doc_number("国办发〔2023〕5号").is_empty());
/// let p = check_doc_number("国办发[2023]第05号");
/// assert!(p.contains(&DocNumberProblem::HasDi));
/// assert!(p.contains(&DocNumberProblem::WrongBrackets { found: "[]".into() }));
/// ```
pub fn check_doc_number(s: &str) -> Vec<DocNumberProblem> {
    let s = s.trim_matches(is_space);
    let cs: Vec<(usize, char)> = s.char_indices().collect();
    let Some(open) = cs.iter().position(|&(_, c)| is_open_bracket(c)) else {
        return vec![DocNumberProblem::NotADocNumber];
    };
    let agency_ok = open > 0 && cs[..open].iter().all(|&(_, c)| is_han(c) || is_space(c));
    let Some(raw) = scan_after_bracket(&cs, open) else {
        return vec![DocNumberProblem::NotADocNumber];
    };
    if !agency_ok {
        return vec![DocNumberProblem::NotADocNumber];
    }
    let mut problems = Vec::new();
    if raw.open != '〔' || raw.close != '〕' {
        problems.push(DocNumberProblem::WrongBrackets {
            found: format!("{}{}", raw.open, raw.close),
        });
    }
    if raw.year_digits.chars().count() != 4 {
        problems.push(DocNumberProblem::YearNotFourDigits {
            found: raw.year_digits.clone(),
        });
    }
    if raw.has_di {
        problems.push(DocNumberProblem::HasDi);
    }
    if raw.serial_digits.chars().count() > 1
        && arabic_digit(raw.serial_digits.chars().next().unwrap_or('1')) == Some(0)
    {
        problems.push(DocNumberProblem::ZeroPadded {
            found: raw.serial_digits.clone(),
        });
    }
    if !raw.has_hao {
        problems.push(DocNumberProblem::MissingHao);
    }
    if raw.has_fullwidth {
        problems.push(DocNumberProblem::FullWidthDigits);
    }
    let agency_spaces = cs[..open].iter().any(|&(_, c)| is_space(c));
    if raw.has_spaces || agency_spaces {
        problems.push(DocNumberProblem::HasSpaces);
    }
    let rest: String = cs[raw.end..].iter().map(|p| p.1).collect();
    if !rest.trim_matches(is_space).is_empty() {
        problems.push(DocNumberProblem::TrailingText {
            found: rest.trim_matches(is_space).to_string(),
        });
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(a: &str, y: u16, s: u32) -> DocNumber {
        DocNumber {
            agency: a.into(),
            year: y,
            serial: s,
        }
    }

    #[test]
    fn display_is_canonical() {
        assert_eq!(n("国办发", 2023, 5).to_string(), "国办发〔2023〕5号");
        assert_eq!(n("路卫发", 2011, 76).to_string(), "路卫发〔2011〕76号");
    }

    #[test]
    fn lenient_variants_all_equal() {
        let want = Some(n("国办发", 2023, 5));
        for s in [
            "国办发〔2023〕5号",
            "国办发[2023]5号",
            "国办发(2023)5号",
            "国办发（2023）5号",
            "国办发【2023】5号",
            "国办发［2023］5号",
            "国办发〖2023〗5号",
            "国办发 〔 2023 〕 5 号",
            "国 办 发〔2 0 2 3〕5号",
            "国办发〔２０２３〕５号",
            "国办发〔2023〕第5号",
            "国办发〔2023〕第05号",
            "国办发〔2023〕005号",
            "国办发〔2023〕5",
            "国办发〔23〕5号",
            "  发文字号：国办发〔2023〕5号  ",
            "文号:国办发[2023]5号",
            "（国办发〔2023〕5号）",
        ] {
            assert_eq!(DocNumber::parse_lenient(s), want, "{s}");
        }
    }

    #[test]
    fn lenient_rejects() {
        for s in [
            "",
            "国办发",
            "〔2023〕5号",
            "国办发〔2023〕号",
            "国办发〔2023〕0号",
            "国办发〔1776〕5号",
            "国办发〔2023〕5号的通知",
            "abc[2023]5号",
            "国办发〔20231〕5号",
        ] {
            assert_eq!(DocNumber::parse_lenient(s), None, "{s}");
        }
    }

    #[test]
    fn two_digit_years_pivot_at_50() {
        assert_eq!(
            DocNumber::parse_lenient("国发〔98〕3号").unwrap().year,
            1998
        );
        assert_eq!(
            DocNumber::parse_lenient("国发〔05〕3号").unwrap().year,
            2005
        );
    }

    #[test]
    fn finds_in_running_text() {
        let t = "你院《关于给张阿三同志辞职的请示》（路中医发\n〔2011〕10号）收悉。根据《浙江省办法》（浙人才〔1993〕73\n号）文件精神";
        let got = find_doc_numbers(t);
        let names: Vec<String> = got.iter().map(|(_, d)| d.to_string()).collect();
        assert_eq!(names, ["路中医发〔2011〕10号", "浙人才〔1993〕73号"]);
        assert_eq!(&t[got[0].0.clone()], "路中医发\n〔2011〕10号");
    }

    #[test]
    fn agency_boundaries_in_running_text() {
        let cases = [
            ("根据国办发〔2023〕5号文件", "国办发〔2023〕5号"),
            (
                "测试符路桥区卫生局文件路卫发〔2011〕76号",
                "路卫发〔2011〕76号",
            ),
            ("按照省政府的浙政发〔2020〕1号", "浙政发〔2020〕1号"),
            ("法释〔2020〕17号", "法释〔2020〕17号"),
            // Seen in ../shared/corpus/laws (行政法规, 案例).
            ("按国办发〔1985〕49号", "国办发〔1985〕49号"),
            ("（以下简称京政办字〔2017〕20号）", "京政办字〔2017〕20号"),
            (
                "国土局作出温国土资发〔2018〕366号",
                "温国土资发〔2018〕366号",
            ),
            ("下称京经信委发〔2019〕3号", "京经信委发〔2019〕3号"),
        ];
        for (t, want) in cases {
            let got = find_doc_numbers(t);
            assert_eq!(got.len(), 1, "{t}");
            assert_eq!(got[0].1.to_string(), want, "{t}");
        }
    }

    #[test]
    fn ignores_non_numbers() {
        for t in [
            "（2023）年度报告",
            "第三条（一）项",
            "本年度（2023）共有5个",
            "2023年5月8日",
            "〔2023〕5号",
        ] {
            assert!(find_doc_numbers(t).is_empty(), "{t}");
        }
    }

    #[test]
    fn strips_trailing_numbers() {
        assert_eq!(
            strip_trailing_number("关于X的通知〔2023〕5号"),
            "关于X的通知"
        );
        assert_eq!(
            strip_trailing_number("关于X的通知（国办发〔2023〕5号）"),
            "关于X的通知"
        );
        assert_eq!(strip_trailing_number("关于X的通知"), "关于X的通知");
        assert_eq!(strip_trailing_number("（2023）年度"), "（2023）年度");
    }

    #[test]
    fn normalize_terms() {
        assert_eq!(
            normalize_doc_number("国办发[2023]第05号").as_deref(),
            Some("国办发〔2023〕5号")
        );
        assert_eq!(normalize_doc_number("hello"), None);
    }

    #[test]
    fn strict_check_names_each_problem() {
        use DocNumberProblem::*;
        assert_eq!(check_doc_number("国办发〔2023〕5号"), vec![]);
        assert_eq!(
            check_doc_number("国办发[2023]5号"),
            vec![WrongBrackets { found: "[]".into() }]
        );
        assert_eq!(
            check_doc_number("国办发〔23〕5号"),
            vec![YearNotFourDigits { found: "23".into() }]
        );
        assert_eq!(check_doc_number("国办发〔2023〕第5号"), vec![HasDi]);
        assert_eq!(
            check_doc_number("国办发〔2023〕05号"),
            vec![ZeroPadded { found: "05".into() }]
        );
        assert_eq!(check_doc_number("国办发〔2023〕5"), vec![MissingHao]);
        assert_eq!(
            check_doc_number("国办发〔２０２３〕5号"),
            vec![FullWidthDigits]
        );
        assert_eq!(check_doc_number("国办发 〔2023〕5号"), vec![HasSpaces]);
        assert_eq!(
            check_doc_number("国办发〔2023〕5号文"),
            vec![TrailingText {
                found: "文".into()
            }]
        );
        assert_eq!(check_doc_number("2023年5号"), vec![NotADocNumber]);
        assert_eq!(check_doc_number("〔2023〕5号"), vec![NotADocNumber]);
        let many = check_doc_number("国办发（23）第005");
        assert_eq!(
            many,
            vec![
                WrongBrackets {
                    found: "（）".into()
                },
                YearNotFourDigits { found: "23".into() },
                HasDi,
                ZeroPadded {
                    found: "005".into()
                },
                MissingHao,
            ]
        );
    }

    #[test]
    fn property_display_roundtrips_through_noise() {
        let brackets = [
            ("〔", "〕"),
            ("[", "]"),
            ("（", "）"),
            ("【", "】"),
            ("［", "］"),
        ];
        let agencies = ["国办发", "京政发", "法释", "中办发", "人社部发", "路卫发"];
        let mut seed = 0x2545_f491_u64;
        let mut next = move |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m) as usize
        };
        for _ in 0..500 {
            let d = n(
                agencies[next(agencies.len() as u64)],
                1950 + next(150) as u16,
                1 + next(3000) as u32,
            );
            assert_eq!(DocNumber::parse_lenient(&d.to_string()), Some(d.clone()));
            assert!(check_doc_number(&d.to_string()).is_empty(), "{d}");
            let (o, c) = brackets[next(brackets.len() as u64)];
            let serial = if next(2) == 0 {
                format!("第{}", d.serial)
            } else {
                format!("{:03}", d.serial)
            };
            let year: String = d
                .year
                .to_string()
                .chars()
                .map(|ch| {
                    if next(3) == 0 {
                        char::from_u32(ch as u32 - '0' as u32 + '０' as u32).unwrap()
                    } else {
                        ch
                    }
                })
                .collect();
            let noisy = format!("{} {o}{year}{c} {serial}号", d.agency);
            assert_eq!(DocNumber::parse_lenient(&noisy), Some(d.clone()), "{noisy}");
            let text = format!("经研究，现将《通知》（{noisy}）转发给你们。");
            let found = find_doc_numbers(&text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].1, d, "{text}");
            assert_eq!(&text[found[0].0.clone()], noisy, "{text}");
        }
    }
}
