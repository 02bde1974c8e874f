//! 成文日期 and other calendar dates in 公文: the value [`CnDate`], a lenient
//! parser for extracted text, a finder for running text and a strict checker
//! for drafts.
//!
//! The rule (GB/T 9704-2012 §7.3.5, 成文日期): year, month and day are all
//! given in Arabic numerals, the year in full, month and day without zero
//! padding (`1`, never `01`): `2023年5月8日`. Dates in Chinese numerals
//! (`二〇二三年五月八日`) were the rule before 2012 (GB/T 9704-1999) and still
//! fill archives, so the lenient parser accepts them, as it accepts
//! `2023年05月08日`, `1 9 9 8 年3 月5 日` (spaced digits from PDF extraction),
//! full-width digits, `2023-05-08`, `2023.5.8` and `2023/5/8`.

use std::fmt;
use std::ops::Range;

use super::chars::{
    arabic_digit, chinese_digit, chinese_small_number, is_fullwidth_digit, is_space,
};

/// A calendar date as written in 公文, e.g. `2023年5月8日`.
///
/// Always valid when built by this module: year 1900–2100, month 1–12, day
/// within the month (Gregorian leap years). Ordered chronologically.
/// `Display` writes the GB/T 9704-2012 §7.3.5 form `2023年5月8日`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CnDate {
    /// Year, e.g. 2023.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of month, 1–31.
    pub day: u32,
}

impl fmt::Display for CnDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}年{}月{}日", self.year, self.month, self.day)
    }
}

/// Years accepted as 公文 dates.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Why a date written in Arabic numerals (`2023年2月30日`, `２０２３-13-1`)
/// does not exist — [`CnDate::new`]'s rules said in Chinese for a
/// reviewer's message: `2023年2月只有28天`, `没有13月（月份为1–12）`,
/// `年份1850不在1900–2100之间`. `None` when `found` does not hold exactly
/// three numbers, or they make a date.
///
/// ```
/// use gongwen::meta::date::invalid_reason;
/// assert_eq!(invalid_reason("2024年2月30日").as_deref(), Some("2024年2月只有29天"));
/// assert_eq!(invalid_reason("2026-13-1").as_deref(), Some("没有13月（月份为1–12）"));
/// assert_eq!(invalid_reason("2024年2月29日"), None);
/// ```
pub fn invalid_reason(found: &str) -> Option<String> {
    let mut nums: Vec<u32> = Vec::new();
    let mut in_number = false;
    for c in found.chars() {
        match arabic_digit(c) {
            Some(d) => {
                if !in_number {
                    nums.push(0);
                }
                let n = nums.last_mut()?;
                *n = n.checked_mul(10)?.checked_add(d)?;
                in_number = true;
            }
            None => in_number = false,
        }
    }
    let [year, month, day] = nums[..] else {
        return None;
    };
    let year = i32::try_from(year).ok()?;
    if !(1..=12).contains(&month) {
        return Some(format!("没有{month}月（月份为1–12）"));
    }
    let days = days_in_month(year, month);
    if !(1..=days).contains(&day) {
        return Some(format!("{year}年{month}月只有{days}天"));
    }
    if !YEARS.contains(&year) {
        return Some(format!(
            "年份{year}不在{}–{}之间",
            YEARS.start(),
            YEARS.end()
        ));
    }
    None
}

impl CnDate {
    /// A validated date: `None` unless year is 1900–2100, month 1–12 and day
    /// exists in that month.
    pub fn new(year: i32, month: u32, day: u32) -> Option<CnDate> {
        (YEARS.contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day))
        .then_some(CnDate { year, month, day })
    }

    /// ISO 8601 calendar date, zero-padded: `2023-05-08`.
    pub fn to_iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Parses one date leniently (forms listed in the module doc). The whole
    /// of `s` must be the date, apart from outer white space; `None` when it is
    /// not a date or not a valid one (`2023年2月30日`).
    ///
    /// ```
    /// use gongwen::meta::date::CnDate;
    /// let d = CnDate::parse_lenient("二〇二三年五月八日").unwrap();
    /// assert_eq!(d.to_string(), "2023年5月8日");
    /// assert_eq!(d.to_iso(), "2023-05-08");
    /// assert_eq!(CnDate::parse_lenient("2023.5.8"), Some(d));
    /// ```
    pub fn parse_lenient(s: &str) -> Option<CnDate> {
        let s = s.trim_matches(is_space);
        // Most lines tried are not dates: reject on the first character
        // before collecting the line.
        let c0 = s.chars().next()?;
        if arabic_digit(c0).is_none() && chinese_digit(c0).is_none() {
            return None;
        }
        let cs: Vec<(usize, char)> = s.char_indices().collect();
        let raw = scan_date(&cs, 0)?;
        if raw.end != cs.len() {
            return None;
        }
        raw.date
    }
}

/// What [`scan_date`] read; raw enough for the strict checker.
#[derive(Debug, Clone)]
struct Raw {
    /// The date, `None` when the numbers are out of range.
    date: Option<CnDate>,
    chinese: bool,
    /// The separators as written, e.g. `['年', '月', '日']` or `['-', '-']`.
    seps: Vec<char>,
    month_digits: String,
    day_digits: String,
    has_spaces: bool,
    has_fullwidth: bool,
    /// One past the last consumed char.
    end: usize,
}

/// Reads a date starting at `cs[i]`: Arabic (`2023年5月8日`, `2023-05-08`,
/// `2023.5.8`, `2023/5/8`, spaced or full-width digits) or Chinese
/// (`二〇二三年五月八日`).
/// The separators of a numeric date (`2023-5-8`, `2023.5.8`, `2023/5/8`,
/// their full-width forms, hyphen and en dash).
const DATE_SEPARATORS: [char; 8] = ['-', '.', '/', '－', '．', '／', '‐', '–'];

/// Whether a date [`find_dates`] reads can start with `c`: an Arabic (also
/// full-width) or a Chinese digit (`scan_date`).
pub(crate) fn can_open_date(c: char) -> bool {
    arabic_digit(c).is_some() || chinese_digit(c).is_some()
}

/// Whether `l` can end with a date [`find_dates`] reads (white space after
/// it aside): a date ends with `日`, `号` or a digit of the day
/// (`scan_arabic`, `scan_chinese`).
pub(crate) fn can_end_with_date(l: &str) -> bool {
    l.trim_end_matches(is_space)
        .chars()
        .next_back()
        .is_some_and(|c| matches!(c, '日' | '号') || arabic_digit(c).is_some())
}

/// Whether `c` can be part of a written date as [`find_dates`] reads one:
/// a digit (Arabic, full-width or Chinese, `十`), `年月日号`, a separator
/// of [`DATE_SEPARATORS`], or a space.
pub(crate) fn is_date_char(c: char) -> bool {
    arabic_digit(c).is_some()
        || chinese_digit(c).is_some()
        || is_space(c)
        || matches!(c, '十' | '年' | '月' | '日' | '号')
        || DATE_SEPARATORS.contains(&c)
}

/// `true` when `text` holds `年` or one of [`DATE_SEPARATORS`]: what every
/// date has after its year. Reads bytes, not chars: the UTF-8 of `年` is
/// E5 B9 B4, of `－．／` EF BC 8D–8F, of `‐` and `–` E2 80 90 and E2 80 93.
fn has_year_mark(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &x)| match x {
        b'-' | b'.' | b'/' => true,
        0xB4 => i >= 2 && b[i - 2] == 0xE5 && b[i - 1] == 0xB9,
        0x8D..=0x8F => i >= 2 && b[i - 2] == 0xEF && b[i - 1] == 0xBC,
        0x90 | 0x93 => i >= 2 && b[i - 2] == 0xE2 && b[i - 1] == 0x80,
        _ => false,
    })
}

fn scan_date(cs: &[(usize, char)], i: usize) -> Option<Raw> {
    let c0 = cs.get(i)?.1;
    if arabic_digit(c0).is_some() {
        scan_arabic(cs, i)
    } else if chinese_digit(c0).is_some() {
        scan_chinese(cs, i)
    } else {
        None
    }
}

fn skip_spaces(cs: &[(usize, char)], i: &mut usize) -> bool {
    let start = *i;
    while *i < cs.len() && is_space(cs[*i].1) && cs[*i].1 != '\n' {
        *i += 1;
    }
    *i > start
}

/// Reads Arabic digits, allowing spaces between them (not line breaks);
/// stops after `max` digits. Returns the digits as written.
fn arabic_run(cs: &[(usize, char)], i: &mut usize, max: usize, spaces: &mut bool) -> String {
    let mut out = String::new();
    loop {
        if out.chars().count() == max {
            break;
        }
        let mut j = *i;
        let sp = if out.is_empty() {
            false
        } else {
            skip_spaces(cs, &mut j)
        };
        match cs
            .get(j)
            .map(|p| p.1)
            .filter(|c| arabic_digit(*c).is_some())
        {
            Some(c) => {
                *spaces |= sp;
                out.push(c);
                *i = j + 1;
            }
            None => break,
        }
    }
    out
}

fn value(digits: &str) -> u32 {
    digits
        .chars()
        .filter_map(arabic_digit)
        .fold(0, |a, d| a * 10 + d)
}

fn scan_arabic(cs: &[(usize, char)], start: usize) -> Option<Raw> {
    let mut i = start;
    let mut spaces = false;
    let year = arabic_run(cs, &mut i, 4, &mut spaces);
    if year.chars().count() != 4 {
        return None;
    }
    // A fifth digit means this is not a year.
    let mut j = i;
    skip_spaces(cs, &mut j);
    if cs.get(j).is_some_and(|p| arabic_digit(p.1).is_some()) && j == i {
        return None;
    }
    spaces |= skip_spaces(cs, &mut i);
    let sep1 = cs.get(i)?.1;
    let style_cn = sep1 == '年';
    if !style_cn && !DATE_SEPARATORS.contains(&sep1) {
        return None;
    }
    i += 1;
    spaces |= skip_spaces(cs, &mut i);
    let month = arabic_run(cs, &mut i, 2, &mut spaces);
    if month.is_empty() {
        return None;
    }
    spaces |= skip_spaces(cs, &mut i);
    let sep2 = cs.get(i)?.1;
    if (style_cn && sep2 != '月') || (!style_cn && sep2 != sep1) {
        return None;
    }
    i += 1;
    spaces |= skip_spaces(cs, &mut i);
    let day = arabic_run(cs, &mut i, 2, &mut spaces);
    if day.is_empty() {
        return None;
    }
    let mut seps = vec![sep1, sep2];
    if style_cn {
        let mut j = i;
        let sp = skip_spaces(cs, &mut j);
        match cs.get(j).map(|p| p.1) {
            Some(c @ ('日' | '号')) => {
                spaces |= sp;
                seps.push(c);
                i = j + 1;
            }
            _ => return None,
        }
    } else if cs.get(i).is_some_and(|p| arabic_digit(p.1).is_some()) {
        return None;
    }
    let has_fullwidth = [&year, &month, &day]
        .iter()
        .any(|s| s.chars().any(is_fullwidth_digit));
    Some(Raw {
        date: CnDate::new(value(&year) as i32, value(&month), value(&day)),
        chinese: false,
        seps,
        month_digits: month,
        day_digits: day,
        has_spaces: spaces,
        has_fullwidth,
        end: i,
    })
}

fn scan_chinese(cs: &[(usize, char)], start: usize) -> Option<Raw> {
    let mut i = start;
    let mut spaces = false;
    let mut year = 0i32;
    for n in 0..4 {
        if n > 0 {
            spaces |= skip_spaces(cs, &mut i);
        }
        let d = chinese_digit(cs.get(i)?.1)?;
        year = year * 10 + d as i32;
        i += 1;
    }
    spaces |= skip_spaces(cs, &mut i);
    if cs.get(i)?.1 != '年' {
        return None;
    }
    i += 1;
    let small = |i: &mut usize, unit: char, spaces: &mut bool| -> Option<(u32, String)> {
        *spaces |= skip_spaces(cs, i);
        let mut s = String::new();
        while let Some(&(_, c)) = cs.get(*i) {
            if c == '十' || chinese_digit(c).is_some() {
                s.push(c);
                *i += 1;
            } else {
                break;
            }
        }
        *spaces |= skip_spaces(cs, i);
        if cs.get(*i)?.1 != unit {
            return None;
        }
        *i += 1;
        Some((chinese_small_number(&s)?, s))
    };
    let (month, month_s) = small(&mut i, '月', &mut spaces)?;
    let (day, day_s) = small(&mut i, '日', &mut spaces)?;
    Some(Raw {
        date: CnDate::new(year, month, day),
        chinese: true,
        seps: vec!['年', '月', '日'],
        month_digits: month_s,
        day_digits: day_s,
        has_spaces: spaces,
        has_fullwidth: false,
        end: i,
    })
}

/// Finds every valid date in running text, in order, as `(byte range, date)`.
/// A date must not continue a longer run of digits (`12023年` is no date),
/// and `2023年2月30日` (invalid) is skipped.
///
/// ```
/// use gongwen::meta::date::find_dates;
/// let t = "2011年3月1日该同志递交辞职报告……\n二〇一一年三月十日";
/// let iso: Vec<String> = find_dates(t).into_iter().map(|(_, d)| d.to_iso()).collect();
/// assert_eq!(iso, ["2011-03-01", "2011-03-10"]);
/// ```
pub fn find_dates(text: &str) -> Vec<(Range<usize>, CnDate)> {
    // Every date has `年` or a separator after its year (`scan_arabic`,
    // `scan_chinese`): text with neither is not decoded at all.
    if !has_year_mark(text) {
        return Vec::new();
    }
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i].1;
        let prev = i.checked_sub(1).map(|k| cs[k].1);
        let starts = if arabic_digit(c).is_some() {
            prev.is_none_or(|p| arabic_digit(p).is_none())
        } else if chinese_digit(c).is_some() {
            prev.is_none_or(|p| chinese_digit(p).is_none() && p != '十')
        } else {
            false
        };
        if starts
            && let Some(raw) = scan_date(&cs, i)
            && let Some(d) = raw.date
        {
            let end = cs.get(raw.end).map_or(text.len(), |p| p.0);
            out.push((cs[i].0..end, d));
            i = raw.end;
            continue;
        }
        i += 1;
    }
    out
}

/// One deviation of a written date from GB/T 9704-2012 §7.3.5, reported by
/// [`check_date`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateProblem {
    /// Not readable as a date.
    #[error("not a date: expected e.g. 2023年5月8日 (GB/T 9704-2012 §7.3.5)")]
    NotADate,
    /// Readable, but no such day (month 13, 2月30日, year outside 1900–2100).
    #[error("no such date: {found}")]
    InvalidDate {
        /// The text as written.
        found: String,
    },
    /// Written in Chinese numerals (`二〇二三年五月八日`).
    #[error(
        "use Arabic numerals for year, month and day, not Chinese numerals (GB/T 9704-2012 §7.3.5)"
    )]
    ChineseNumerals,
    /// Month or day zero-padded; `found` is the padded part, e.g. `05`.
    #[error(
        "month and day are not zero-padded (1, never 01), found {found} (GB/T 9704-2012 §7.3.5)"
    )]
    ZeroPadded {
        /// The padded month or day as written.
        found: String,
    },
    /// A separator other than 年/月/日; `found` is the first one, e.g. `-`.
    #[error("write 年 月 日, not {found} (GB/T 9704-2012 §7.3.5)")]
    BadSeparator {
        /// The separator as written.
        found: String,
    },
    /// Full-width digits instead of Arabic numerals.
    #[error("use Arabic numerals (half-width 0-9), not full-width digits (GB/T 9704-2012 §7.3.5)")]
    FullWidthDigits,
    /// White space inside the date.
    #[error("no spaces inside a date")]
    HasSpaces,
    /// Text after the date.
    #[error("unexpected text after the date: {found}")]
    TrailingText {
        /// The text after the date.
        found: String,
    },
}

/// Checks one written date strictly against GB/T 9704-2012 §7.3.5 and
/// returns every problem (empty = correct). Outer white space is ignored.
///
/// ```
/// use gongwen::meta::date::{check_date, DateProblem};
/// assert!(check_date("2023年5月8日").is_empty());
/// assert_eq!(check_date("2023年05月8日"), [DateProblem::ZeroPadded { found: "05".into() }]);
/// ```
pub fn check_date(s: &str) -> Vec<DateProblem> {
    let s = s.trim_matches(is_space);
    let cs: Vec<(usize, char)> = s.char_indices().collect();
    let Some(raw) = scan_date(&cs, 0) else {
        return vec![DateProblem::NotADate];
    };
    let mut problems = Vec::new();
    if raw.date.is_none() {
        let found: String = cs[..raw.end].iter().map(|p| p.1).collect();
        problems.push(DateProblem::InvalidDate { found });
    }
    if raw.chinese {
        problems.push(DateProblem::ChineseNumerals);
    } else {
        for part in [&raw.month_digits, &raw.day_digits] {
            if part.chars().count() > 1 && part.chars().next().and_then(arabic_digit) == Some(0) {
                problems.push(DateProblem::ZeroPadded {
                    found: part.clone(),
                });
            }
        }
    }
    if let Some(bad) = raw
        .seps
        .iter()
        .zip(['年', '月', '日'])
        .find(|(got, want)| *got != want)
    {
        problems.push(DateProblem::BadSeparator {
            found: bad.0.to_string(),
        });
    }
    if raw.has_fullwidth {
        problems.push(DateProblem::FullWidthDigits);
    }
    if raw.has_spaces {
        problems.push(DateProblem::HasSpaces);
    }
    if raw.end < cs.len() {
        let found: String = cs[raw.end..].iter().map(|p| p.1).collect();
        problems.push(DateProblem::TrailingText { found });
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> CnDate {
        CnDate::new(y, m, day).unwrap()
    }

    #[test]
    fn year_mark_bytes_agree_with_chars() {
        let by_chars = |t: &str| t.contains(|c: char| c == '年' || DATE_SEPARATORS.contains(&c));
        let mut samples: Vec<String> = [
            "",
            "第一条",
            "二〇二三年",
            "2023.5.8",
            "a/b",
            "x－y",
            "５．６",
            "１／２",
            "1‐2",
            "1–2",
            "1—2",
            "平",
            "幸",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every character that shares a lead or continuation byte with a mark.
        for base in [0x5e00u32, 0x5e74, 0xff00, 0x2000, 0x3000, 0xb4] {
            for k in 0..0x100 {
                if let Some(c) = char::from_u32(base + k) {
                    samples.push(format!("中{c}文"));
                }
            }
        }
        for t in &samples {
            assert_eq!(has_year_mark(t), by_chars(t), "{t:?}");
        }
    }

    #[test]
    fn display_and_iso() {
        assert_eq!(d(2023, 5, 8).to_string(), "2023年5月8日");
        assert_eq!(d(2023, 5, 8).to_iso(), "2023-05-08");
        assert_eq!(d(1998, 12, 31).to_iso(), "1998-12-31");
    }

    #[test]
    fn validation() {
        assert!(CnDate::new(2024, 2, 29).is_some());
        assert!(CnDate::new(2023, 2, 29).is_none());
        assert!(CnDate::new(1900, 2, 29).is_none());
        assert!(CnDate::new(2000, 2, 29).is_some());
        assert!(CnDate::new(2023, 4, 31).is_none());
        assert!(CnDate::new(2023, 13, 1).is_none());
        assert!(CnDate::new(2023, 0, 1).is_none());
        assert!(CnDate::new(2023, 1, 0).is_none());
        assert!(CnDate::new(1776, 7, 4).is_none());
    }

    #[test]
    fn lenient_forms() {
        let cases = [
            ("2023年5月8日", d(2023, 5, 8)),
            ("2023年05月08日", d(2023, 5, 8)),
            ("二〇二三年五月八日", d(2023, 5, 8)),
            ("二○二三年五月八日", d(2023, 5, 8)),
            ("二零二三年十二月三十一日", d(2023, 12, 31)),
            ("一九九八年三月五日", d(1998, 3, 5)),
            ("二〇一一年十月二十日", d(2011, 10, 20)),
            ("1 9 9 8 年3 月5 日", d(1998, 3, 5)),
            ("２０２３年５月８日", d(2023, 5, 8)),
            ("2023-05-08", d(2023, 5, 8)),
            ("2023.5.8", d(2023, 5, 8)),
            ("2023/5/8", d(2023, 5, 8)),
            ("2023年5月8号", d(2023, 5, 8)),
            ("  2023年5月8日 ", d(2023, 5, 8)),
        ];
        for (s, want) in cases {
            assert_eq!(CnDate::parse_lenient(s), Some(want), "{s}");
        }
    }

    #[test]
    fn lenient_rejects() {
        for s in [
            "",
            "2023年",
            "2023年5月",
            "2023年2月30日",
            "2023年13月1日",
            "23年5月8日",
            "2023-5/8",
            "20235-5-8",
            "二〇二三年十三月一日",
            "2023年5月8日印发",
            "五月八日",
        ] {
            assert_eq!(CnDate::parse_lenient(s), None, "{s}");
        }
    }

    #[test]
    fn find_in_text() {
        let t = "张阿三，男，1978年2月出生，2001年9月参加工作。2011年3月1日递交辞职报告。\n测试符路桥区卫生局办公室\n2011年3月10日\n2011年3月10日印发";
        let got: Vec<CnDate> = find_dates(t).into_iter().map(|p| p.1).collect();
        assert_eq!(got, [d(2011, 3, 1), d(2011, 3, 10), d(2011, 3, 10)]);
        let t = "共12023年5月8日和 2023-05-08、v2023.5.81";
        let got: Vec<CnDate> = find_dates(t).into_iter().map(|p| p.1).collect();
        assert_eq!(got, [d(2023, 5, 8)]);
        let t = "二〇二三年十二月三十一日";
        let r = find_dates(t);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].0, 0..t.len());
    }

    #[test]
    fn strict_check() {
        use DateProblem::*;
        assert_eq!(check_date("2023年5月8日"), vec![]);
        assert_eq!(check_date("2023年12月31日"), vec![]);
        assert_eq!(check_date("二〇二三年五月八日"), vec![ChineseNumerals]);
        assert_eq!(
            check_date("2023年05月08日"),
            vec![
                ZeroPadded { found: "05".into() },
                ZeroPadded { found: "08".into() }
            ]
        );
        assert_eq!(
            check_date("2023-5-8"),
            vec![BadSeparator { found: "-".into() }]
        );
        assert_eq!(
            check_date("2023.05.8"),
            vec![
                ZeroPadded { found: "05".into() },
                BadSeparator { found: ".".into() }
            ]
        );
        assert_eq!(check_date("２０２３年5月8日"), vec![FullWidthDigits]);
        assert_eq!(check_date("2023 年5月8日"), vec![HasSpaces]);
        assert_eq!(
            check_date("2023年5月8号"),
            vec![BadSeparator {
                found: "号".into()
            }]
        );
        assert_eq!(
            check_date("2023年2月30日"),
            vec![InvalidDate {
                found: "2023年2月30日".into()
            }]
        );
        assert_eq!(check_date("5月8日"), vec![NotADate]);
        assert_eq!(
            check_date("2023年5月8日印发"),
            vec![TrailingText {
                found: "印发".into()
            }]
        );
    }

    #[test]
    fn property_roundtrip_all_forms() {
        const CN: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
        fn cn_small(n: u32) -> String {
            let u = |k: u32| CN[k as usize].to_string();
            match n {
                1..=9 => u(n),
                10 => "十".into(),
                11..=19 => format!("十{}", u(n - 10)),
                _ if n.is_multiple_of(10) => format!("{}十", u(n / 10)),
                _ => format!("{}十{}", u(n / 10), u(n % 10)),
            }
        }
        let mut day = d(1950, 1, 1);
        // Every 7th day over ~150 years, every format.
        while day.year < 2100 {
            let s = day.to_string();
            assert_eq!(CnDate::parse_lenient(&s), Some(day));
            assert!(check_date(&s).is_empty(), "{s}");
            assert_eq!(CnDate::parse_lenient(&day.to_iso()), Some(day));
            let cn = format!(
                "{}年{}月{}日",
                day.year
                    .to_string()
                    .chars()
                    .map(|c| CN[c as usize - '0' as usize])
                    .collect::<String>(),
                cn_small(day.month),
                cn_small(day.day)
            );
            assert_eq!(CnDate::parse_lenient(&cn), Some(day), "{cn}");
            let text = format!("于{cn}发布，{}起施行", day.to_iso());
            let found: Vec<CnDate> = find_dates(&text).into_iter().map(|p| p.1).collect();
            assert_eq!(found, [day, day], "{text}");
            // advance 7 days
            let mut n = day.day + 7;
            let (mut y, mut m) = (day.year, day.month);
            let dim = days_in_month(y, m);
            if n > dim {
                n -= dim;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
            day = CnDate {
                year: y,
                month: m,
                day: n,
            };
        }
    }
}
