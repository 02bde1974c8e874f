//! [`DocMeta`]: the metadata record of one 公文 (标题, 发文字号, 发文机关,
//! 成文日期, 文种, 密级, 主送机关), read from YAML front matter when the
//! document has it, else recognised in the raw text by the page layout of
//! GB/T 9704-2012 (版头 §7.2, 主体 §7.3, 版记 §7.4).
//!
//! Used by the archive indexer (metadata fields and filters) and by drafting
//! (front matter → model). Heuristics tolerate extraction noise: spaces and
//! line breaks inside numbers and dates, full-width characters, Markdown
//! heading marks, U+3000 indentation.

use std::borrow::Cow;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::chars::{arabic_digit, chinese_digit, is_han, is_space};
use super::date::{CnDate, can_end_with_date, can_open_date, find_dates, is_date_char};
use super::doc_number::{DocNumber, find_doc_numbers};
use super::doc_type::DocType;
use super::elements::Element;

/// Metadata of one 公文. Every field is optional: archives hold documents
/// with any subset of the elements.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DocMeta {
    /// 标题 (GB/T 9704-2012 §7.3.1), one line, inner line breaks removed.
    pub title: Option<String>,
    /// 发文字号 (GB/T 9704-2012 §7.2.5).
    pub doc_number: Option<DocNumber>,
    /// 发文机关 (from the 发文机关标志 §7.2.4 without `文件`, or the 署名 §7.3.5).
    pub issuer: Option<String>,
    /// 成文日期 (GB/T 9704-2012 §7.3.5).
    pub date: Option<CnDate>,
    /// 文种, from front matter or the title's ending.
    pub doc_type: Option<DocType>,
    /// 密级: `绝密`, `机密` or `秘密` (GB/T 9704-2012 §7.2.2), without the
    /// 保密期限.
    pub classification: Option<String>,
    /// 主送机关 (GB/T 9704-2012 §7.3.2), split at `，`/`、`/`；` outside brackets.
    pub recipients: Vec<String>,
}

/// Lines looked at for the 版头 (份号, 密级, 发文机关标志, 发文字号).
const HEADER_LINES: usize = 15;
/// Lines from the end looked at for 署名, 成文日期 and 版记.
const TAIL_LINES: usize = 20;

/// Lines under the title searched for a 题注 of dates (laws, regulations).
const HEAD_NOTE_LINES: usize = 16;
/// First lines a [`Layout`] stores cleaned: every rule about the top looks
/// at most at the first `HEADER_LINES + 5` lines and the one after them.
const HEAD_CLEAN: usize = HEADER_LINES + 6;
/// Last lines a [`Layout`] stores cleaned: the 版记 is among the last
/// `TAIL_LINES`, the 成文日期 within `TAIL_LINES` above it.
const TAIL_CLEAN: usize = 2 * TAIL_LINES;

impl DocMeta {
    /// Extracts the metadata of one document.
    ///
    /// - `text`: the document text (for Markdown, the body without front
    ///   matter); line structure matters.
    /// - `title`: a title known from elsewhere (HTML `<title>`, .docx core
    ///   properties, the extractor's guess); ignored when it is really a
    ///   header line (`XX文件`, a 发文字号, a date).
    /// - `front_matter`: the YAML between `---` lines, without them. When it
    ///   parses to a mapping with at least one known key
    ///   ([`Element::from_key`]: Chinese names, English keys, aliases), it is
    ///   authoritative: its values are used and the text is only consulted
    ///   for the title; unknown keys are ignored.
    ///
    /// Without front matter, the heuristics follow the GB/T 9704-2012
    /// layout: 密级 in the first lines (`秘密★1年` → `秘密`); 发文字号 the first
    /// number alone on its line in the first 15 lines (else the first one not
    /// cited in brackets); 发文机关 from a line ending in `文件` near the top,
    /// else the 署名 line just above the 成文日期, else the part of the title
    /// before `关于`; 成文日期 the last date standing alone on its line before
    /// the 版记 (抄送/印发 lines), else a bracketed date under the title (讲话),
    /// else the last date ending a line among the last 20 lines; 文种 from the
    /// title; 主送机关 the line ending in `：` right after the title.
    ///
    /// Never fails: what cannot be recognised stays `None`/empty.
    ///
    /// ```
    /// use gongwen::meta::{DocMeta, DocType};
    /// let text = "秘密★1年\n路桥区卫生局文件\n路卫发〔2011〕76号\n关于同意张三同志辞职的批复\n区中医院：\n同意。\n路桥区卫生局\n2011年3月10日\n路桥区卫生局办公室　2011年3月10日印发";
    /// let m = DocMeta::extract(text, None, None);
    /// assert_eq!(m.title.as_deref(), Some("关于同意张三同志辞职的批复"));
    /// assert_eq!(m.doc_number.unwrap().to_string(), "路卫发〔2011〕76号");
    /// assert_eq!(m.issuer.as_deref(), Some("路桥区卫生局"));
    /// assert_eq!(m.date.unwrap().to_iso(), "2011-03-10");
    /// assert_eq!(m.doc_type, Some(DocType::Reply));
    /// assert_eq!(m.classification.as_deref(), Some("秘密"));
    /// assert_eq!(m.recipients, ["区中医院"]);
    /// ```
    pub fn extract(text: &str, title: Option<&str>, front_matter: Option<&str>) -> DocMeta {
        if let Some(fm) = front_matter.and_then(from_front_matter) {
            let mut m = fm;
            if m.title.is_none() {
                m.title = title
                    .map(clean_line)
                    .filter(|t| !t.is_empty() && !is_header_line(t))
                    .or_else(|| Layout::new(text).title());
            }
            if m.doc_type.is_none() {
                m.doc_type = m.title.as_deref().and_then(DocType::from_title);
            }
            return m;
        }
        let lay = Layout::new(text);
        let given = title
            .map(clean_line)
            .filter(|t| !t.is_empty() && !is_header_line(t) && !lay.is_mark_line(t));
        // A title from elsewhere that names no 文种 (often just the first
        // line, e.g. the organ of a two-line 标志) yields to one that does.
        let own = lay.title();
        let title = match (given, own) {
            (Some(g), Some(o))
                if DocType::from_title(&g).is_none() && DocType::from_title(&o).is_some() =>
            {
                Some(o)
            }
            (g, o) => g.or(o),
        };
        let doc_type = title
            .as_deref()
            .and_then(DocType::from_title)
            .or_else(|| lay.mark_doc_type());
        let mut m = DocMeta {
            doc_number: lay.doc_number(),
            classification: lay.classification(),
            date: lay.date(),
            issuer: lay
                .issuer_mark()
                .or_else(|| lay.signature())
                .or_else(|| title.as_deref().and_then(issuer_from_title)),
            recipients: if doc_type == Some(DocType::Speech) {
                Vec::new()
            } else {
                lay.recipients(title.as_deref())
            },
            doc_type,
            title,
        };
        if m.doc_type == Some(DocType::Speech) {
            // A 讲话稿 has a speaker, not an issuing organ.
            m.issuer = lay.issuer_mark();
        }
        m
    }
}

/// Splits Markdown source into `(front matter, body)`: the front matter is
/// the YAML between a first line `---` and the next line `---` (or `...`),
/// both excluded. `(None, src)` when `src` has none. A leading BOM is skipped.
///
/// ```
/// use gongwen::meta::split_front_matter;
/// let (fm, body) = split_front_matter("---\n标题: 关于X的通知\n---\n正文");
/// assert_eq!(fm, Some("标题: 关于X的通知\n"));
/// assert_eq!(body, "正文");
/// ```
pub fn split_front_matter(src: &str) -> (Option<&str>, &str) {
    let s = src.strip_prefix('\u{feff}').unwrap_or(src);
    let Some(rest) = s
        .strip_prefix("---\n")
        .or_else(|| s.strip_prefix("---\r\n"))
    else {
        return (None, src);
    };
    let mut pos = 0;
    for line in rest.split_inclusive('\n') {
        let l = line.trim_end_matches(['\n', '\r']);
        if l == "---" || l == "..." {
            return (Some(&rest[..pos]), &rest[pos + line.len()..]);
        }
        pos += line.len();
    }
    (None, src)
}

/// A YAML scalar or list as text: strings as-is, numbers and booleans
/// printed, lists joined with `，`.
fn yaml_text(v: &serde_norway::Value) -> Option<String> {
    use serde_norway::Value;
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Sequence(items) => {
            let parts: Vec<String> = items.iter().filter_map(yaml_text).collect();
            Some(parts.join("，"))
        }
        Value::Tagged(t) => yaml_text(&t.value),
        Value::Null | Value::Mapping(_) => None,
    }
    .filter(|s| !s.is_empty())
}

/// `DocMeta` from YAML front matter, `None` when it does not parse to a
/// mapping with at least one known key.
fn from_front_matter(yaml: &str) -> Option<DocMeta> {
    let value: serde_norway::Value = serde_norway::from_str(yaml).ok()?;
    let map = value.as_mapping()?;
    let mut m = DocMeta::default();
    let mut known = 0;
    let mut signature = None;
    let mut mark = None;
    let mut secrecy = None;
    for (k, v) in map {
        let Some(key) = k.as_str().and_then(Element::from_key) else {
            continue;
        };
        known += 1;
        let text = yaml_text(v);
        match key {
            Element::Title => m.title = text.map(|t| clean_line(&t)),
            Element::DocNumber => m.doc_number = text.as_deref().and_then(DocNumber::parse_lenient),
            Element::Issuer => m.issuer = text,
            Element::Signature => signature = text,
            Element::IssuerMark => mark = text.map(|t| strip_mark(&t).unwrap_or(t)),
            Element::Date => m.date = text.as_deref().and_then(CnDate::parse_lenient),
            Element::DocType => {
                m.doc_type = text
                    .as_deref()
                    .and_then(|t| DocType::from_str(t).ok().or_else(|| DocType::from_title(t)))
            }
            Element::Classification => {
                m.classification = text.as_deref().and_then(classification_of)
            }
            Element::SecrecyPeriod => secrecy = text,
            Element::Recipients => {
                m.recipients = match v {
                    serde_norway::Value::Sequence(items) => items
                        .iter()
                        .filter_map(yaml_text)
                        .flat_map(|s| split_organs(&s))
                        .collect(),
                    _ => text.map(|t| split_organs(&t)).unwrap_or_default(),
                }
            }
            _ => {}
        }
    }
    let _ = secrecy;
    if known == 0 {
        return None;
    }
    if m.issuer.is_none() {
        m.issuer = mark.or(signature);
    }
    Some(m)
}

/// `XX文件` → `XX` (发文机关标志, GB/T 9704-2012 §7.2.4); `None` otherwise.
fn strip_mark(line: &str) -> Option<String> {
    if !line.trim_end_matches(is_space).ends_with("文件") {
        return None;
    }
    let l = collapse_spaces(line);
    let name = l.strip_suffix("文件")?.trim_matches(is_space);
    (name.chars().count() >= 2 && looks_like_organ_text(name)).then(|| collapse_spaces(name))
}

/// Collapses runs of white space (joint issuers `XX局　YY局`) to one space;
/// removes it entirely when every character stands alone (`云 岭 县`, letter
/// spacing from PDF extraction or justified headers).
fn collapse_spaces(s: &str) -> String {
    collapse_spaces_cow(s).into_owned()
}

/// [`collapse_spaces`] borrowing `s` when it holds no white space (most
/// lines: no allocation).
fn collapse_spaces_cow(s: &str) -> Cow<'_, str> {
    if !s.contains(is_space) {
        return Cow::Borrowed(s);
    }
    let parts = s.split(is_space).filter(|p| !p.is_empty());
    // Letter-spaced: more than one part, each of one character. Settled by
    // the first part of two characters in most lines.
    let mut n = 0;
    let spaced = parts.clone().all(|p| {
        n += 1;
        p.chars().nth(1).is_none()
    }) && n > 1;
    let mut out = String::with_capacity(s.len());
    for p in parts {
        if !spaced && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(p);
    }
    Cow::Owned(out)
}

/// `true` when `s` has at most `n` characters; looks at no more than
/// `n + 1` of them (lines can be paragraphs of thousands).
fn at_most_chars(s: &str, n: usize) -> bool {
    // A char is 1 to 4 bytes: the byte length settles most lines.
    s.len() <= n || (s.len() <= 4 * n && s.chars().nth(n).is_none())
}

/// Han, brackets and spaces only, no sentence punctuation: the shape of an
/// organ name (`云岭县人民政府`, `中共XX县委员会`, `XX局（XX办公室）`).
fn looks_like_organ_text(s: &str) -> bool {
    !s.is_empty()
        && at_most_chars(s, 40)
        && s.chars()
            .all(|c| is_han(c) || is_space(c) || matches!(c, '（' | '）' | '(' | ')' | '·' | '、'))
        && !s.contains("关于")
}

/// `秘密★1年` / `机密` / `★绝密` → the 密级 word.
fn classification_of(s: &str) -> Option<String> {
    ["绝密", "机密", "秘密"]
        .into_iter()
        .find(|w| s.contains(w))
        .map(str::to_string)
}

/// Splits a 主送机关 list at `，` `,` `、` `；` `;` outside brackets;
/// strips a final `：`.
fn split_organs(s: &str) -> Vec<String> {
    let s = s.trim_matches(is_space).trim_end_matches(['：', ':']);
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '（' | '(' | '【' | '〔' => depth += 1,
            '）' | ')' | '】' | '〕' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && matches!(c, '，' | ',' | '、' | '；' | ';') {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|p| p.trim_matches(is_space).to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// One text line cleaned for matching: Markdown heading/emphasis marks and
/// outer white space removed, inner runs of white space kept as one space.
fn clean_line(l: &str) -> String {
    clean_line_cow(l).into_owned()
}

/// [`clean_line`] borrowing from `l` when nothing inside changes.
fn clean_line_cow(l: &str) -> Cow<'_, str> {
    collapse_spaces_cow(trim_line(l))
}

/// The outer part of [`clean_line`]: `l` without outer white space and
/// Markdown heading/quote/emphasis marks (inner white space as it is).
fn trim_line(l: &str) -> &str {
    let t = l.trim_matches(is_space);
    let t = t.trim_start_matches('#').trim_start_matches('>');
    t.trim_matches(|c: char| is_space(c) || c == '*')
}

/// `true` when `s` has at most `n` characters other than white space.
fn non_space_at_most(s: &str, n: usize) -> bool {
    s.chars().filter(|c| !is_space(*c)).nth(n).is_none()
}

/// `true` for lines of the 版头 that are never a title: `XX文件`, a 发文字号
/// (also after a 份号 on the same line, as the 信函格式 sets them, GB/T
/// 9704-2012 §10.1), a date, a 密级, a 份号, a 纪要's 期号 `第23期` (§10.3).
fn is_header_line(l: &str) -> bool {
    // Every rule below looks at a short line or at a line's head, so a
    // paragraph is copied only up to HEADER_LINE_MAX_BYTES (`long`).
    let mut compact = String::new();
    let mut long = false;
    for c in l.chars().filter(|c| !is_space(*c)) {
        if compact.len() >= HEADER_LINE_MAX_BYTES {
            long = true;
            break;
        }
        compact.push(c);
    }
    if compact.is_empty() {
        return true;
    }
    // A 发文字号 opens the line and a date fills it: both are short, so a
    // paragraph is searched only in its first bytes, and not for a date.
    let head = &compact[..floor_char_boundary(&compact, HEADER_SCAN_BYTES)];
    // A 份号 (six digits, §7.2.1) may open the 发文字号's line.
    let after_copy_number = head.trim_start_matches(|c: char| c.is_ascii_digit());
    (!long && strip_mark(&compact).is_some())
        || (head.len() - after_copy_number.len() <= 6
            && find_doc_numbers(after_copy_number)
                .first()
                .is_some_and(|(r, _)| r.start == 0))
        || is_issue_number(&compact)
        || (compact.len() <= HEADER_SCAN_BYTES
            // A date that opens the line: a digit in its first four bytes.
            && compact
                .char_indices()
                .take_while(|&(i, _)| i <= 3)
                .any(|(_, c)| can_open_date(c))
            && find_dates(&compact)
                .first()
                .is_some_and(|(r, _)| r.start <= 3 && compact.len() - r.end <= 3))
        || (at_most_chars(&compact, 12) && classification_of(&compact).is_some())
        || (compact.chars().all(|c| c.is_ascii_digit())
            && (!long || l.chars().all(|c| c.is_ascii_digit() || is_space(c))))
        || compact.starts_with("签发人")
        || matches!(compact.as_str(), "特急" | "加急" | "特提")
}

/// `true` for a 纪要's 期号 (`第23期`, `第二十三期`, GB/T 9704-2012 §10.3)
/// or a 令's 令号 (`第5号`, `第五十一号`, §10.2), white space removed.
fn is_issue_number(compact: &str) -> bool {
    compact
        .strip_prefix('第')
        .and_then(|s| s.strip_suffix(['期', '号']))
        .is_some_and(|n| {
            !n.is_empty()
                && n.chars().count() <= 6
                && n.chars()
                    .all(|c| c.is_ascii_digit() || "〇零一二三四五六七八九十百千".contains(c))
        })
}

/// Bytes of a line searched for a leading 发文字号 or a date filling it
/// (either is under 40 characters).
const HEADER_SCAN_BYTES: usize = 120;
/// Bytes of a line (white space removed) that [`is_header_line`] copies:
/// more than any `XX文件` line holds (an organ of at most 40 characters).
const HEADER_LINE_MAX_BYTES: usize = 256;

/// The largest char boundary of `s` at or below `i`.
/// Bytes of a line searched for a date that opens or ends it: a written
/// date (`二〇二三年十二月三十一日`, with spaces) is far shorter.
const DATE_WINDOW_BYTES: usize = 96;

/// Where the last [`DATE_WINDOW_BYTES`] of `l` start, moved back past any
/// character a date can hold (digits, 年月日号, separators, spaces), so
/// that no date is cut in two.
fn date_window_end(l: &str) -> usize {
    let mut i = floor_char_boundary(l, l.len().saturating_sub(DATE_WINDOW_BYTES));
    while let Some(c) = l[..i].chars().next_back().filter(|&c| is_date_char(c)) {
        i -= c.len_utf8();
    }
    i
}

fn floor_char_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    (0..=i).rev().find(|&k| s.is_char_boundary(k)).unwrap_or(0)
}

/// The issuing organ named before `关于` in a title
/// (`青禾市财政局关于…的请示` → `青禾市财政局`).
fn issuer_from_title(title: &str) -> Option<String> {
    let (head, _) = title.split_once("关于")?;
    let head = head.trim_matches(is_space);
    (head.chars().count() >= 2 && looks_like_organ_text(head) && issuer_suffix(head))
        .then(|| collapse_spaces(head))
}

/// `true` when `s` ends like the name of an organ (`…政府`, `…局`, `…委员会`).
fn issuer_suffix(s: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "政府",
        "办公室",
        "办公厅",
        "委员会",
        "局",
        "厅",
        "部",
        "院",
        "委",
        "会",
        "署",
        "办",
        "处",
        "中心",
        "指挥部",
        "党组",
        "公司",
        "学校",
        "大学",
        "法院",
        "检察院",
        "组",
        "队",
        "所",
        "站",
        "社",
        "校",
        "联",
    ];
    SUFFIXES.iter().any(|x| s.ends_with(x))
}

/// The text split into cleaned, non-empty lines, with the positions the
/// heuristics share.
///
/// Only the first [`HEAD_CLEAN`] and last [`TAIL_CLEAN`] lines, where the
/// 版头, title, 主送机关, 署名 and 版记 are looked for, are stored cleaned;
/// the others (the body, thousands of lines in a law) are stored trimmed
/// only and cleaned by [`Layout::clean`] when a rule looks at them.
struct Layout<'a> {
    lines: Vec<Cow<'a, str>>,
    /// A level-1 Markdown heading (`# …`) among the first three lines.
    heading: Option<String>,
    /// Index of the first 版记 line (抄送/印发), or `lines.len()`.
    colophon: usize,
    /// The 发文机关标志: index of its last line and the organ it names.
    mark: Option<(usize, String)>,
    /// Index of the 成文日期 line ([`Layout::find_date_line`]), found once:
    /// its fallback scans every line.
    date_line: Option<usize>,
}

impl<'a> Layout<'a> {
    fn new(text: &'a str) -> Layout<'a> {
        let rule = |c: char| matches!(c, '-' | '—' | '_' | '=' | '*');
        // Not empty, not a rule (`———`, `- - -`) once cleaned.
        let is_rule = |t: &str| {
            t.chars().all(|c| rule(c) || is_space(c)) && collapse_spaces_cow(t).chars().all(rule)
        };
        let trimmed: Vec<&'a str> = text
            .lines()
            .map(trim_line)
            .filter(|t| !t.is_empty() && !is_rule(t))
            .collect();
        let n = trimmed.len();
        let lines: Vec<Cow<'a, str>> = trimmed
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                if i < HEAD_CLEAN || i + TAIL_CLEAN >= n {
                    collapse_spaces_cow(t)
                } else {
                    Cow::Borrowed(t)
                }
            })
            .collect();
        let tail_start = lines.len().saturating_sub(TAIL_LINES);
        let colophon = (tail_start..lines.len())
            .find(|&i| {
                let l = &lines[i];
                l.starts_with("抄送")
                    || l.starts_with("抄报")
                    || l.starts_with("主题词")
                    || l.starts_with("分送")
                    || (l.ends_with("印发") && find_dates(l).len() == 1)
            })
            .unwrap_or(lines.len());
        let heading = text
            .lines()
            .map(|l| l.trim_start_matches(is_space))
            .filter(|l| !l.is_empty())
            .take(3)
            .find_map(|l| l.strip_prefix("# "))
            .map(|l| l.trim_matches(is_space).to_string())
            .filter(|l| !l.is_empty());
        let mark = find_mark(&lines);
        let mut lay = Layout {
            lines,
            heading,
            colophon,
            mark,
            date_line: None,
        };
        lay.date_line = lay.find_date_line();
        lay
    }

    fn header(&self) -> &[Cow<'a, str>] {
        &self.lines[..self.lines.len().min(HEADER_LINES)]
    }

    fn classification(&self) -> Option<String> {
        self.lines.iter().take(5).find_map(|l| {
            let compact: String = l.chars().filter(|c| !is_space(*c)).collect();
            let compact = compact.trim_start_matches(|c: char| c.is_ascii_digit());
            let word = classification_of(compact)?;
            let rest = &compact[compact.find(word.as_str())? + word.len()..];
            (compact.starts_with(word.as_str())
                && (rest.is_empty() || rest.starts_with('★'))
                && rest.chars().count() <= 8)
                .then_some(word)
        })
    }

    fn doc_number(&self) -> Option<DocNumber> {
        let mut cited = None;
        for l in self.header() {
            let found = find_doc_numbers(l);
            let Some((r, n)) = found.first() else {
                continue;
            };
            let before = l[..r.start].trim_matches(is_space);
            let after = l[r.end..].trim_matches(is_space);
            let alone = (before.is_empty() || Element::from_key(before).is_some())
                && (after.is_empty() || after.starts_with("签发人"));
            if alone {
                return Some(n.clone());
            }
            let in_brackets = before.ends_with(['（', '(', '《']);
            if cited.is_none() && !in_brackets {
                cited = Some(n.clone());
            }
        }
        cited
    }

    /// `true` when `l` is a line of the 发文机关标志 (`XX会议纪要` above the
    /// 发文字号 is a 标志, not the title).
    fn is_mark_line(&self, l: &str) -> bool {
        self.mark
            .as_ref()
            .is_some_and(|(end, _)| self.lines[..=*end].iter().any(|m| m == l))
    }

    /// The organ named by the 发文机关标志.
    fn issuer_mark(&self) -> Option<String> {
        self.mark.as_ref().map(|(_, n)| n.clone())
    }

    /// The 文种 the 发文机关标志 names, where it names one: `XX令` a 命令
    /// (§10.2), `XX纪要` a 纪要 (§10.3).
    fn mark_doc_type(&self) -> Option<DocType> {
        let (end, _) = self.mark.as_ref()?;
        let l = self.lines[*end].trim_end_matches(is_space);
        if l.ends_with('令') {
            Some(DocType::Order)
        } else if l.ends_with("纪要") {
            Some(DocType::Minutes)
        } else {
            None
        }
    }

    /// Line `i` cleaned (see [`clean_line`]); borrowed when it already is.
    fn clean(&self, i: usize) -> Cow<'_, str> {
        collapse_spaces_cow(&self.lines[i])
    }

    /// Index of the 成文日期 line: the last line before the 版记 (within the
    /// last lines) that is only a date; else the first date-only line
    /// anywhere whose line above is a 署名 (documents followed by a long
    /// attachment, e.g. `关于印发…的通知`).
    fn find_date_line(&self) -> Option<usize> {
        let is_date = |i: usize| CnDate::parse_lenient(&self.clean(i)).is_some();
        // A date opens with a digit (as `CnDate::parse_lenient` checks
        // first); cleaning keeps a line's first character.
        let opens_date = |i: usize| {
            self.lines[i]
                .chars()
                .next()
                .is_some_and(|c| arabic_digit(c).is_some() || chinese_digit(c).is_some())
        };
        let start = self.colophon.saturating_sub(TAIL_LINES);
        (start..self.colophon)
            .rev()
            .find(|&i| is_date(i))
            .or_else(|| {
                (1..self.colophon)
                    .find(|&i| opens_date(i) && self.is_signature_line(i - 1) && is_date(i))
            })
    }

    fn is_signature_line(&self, i: usize) -> bool {
        // At most 40 characters (`looks_like_organ_text`), settled before
        // cleaning a body line.
        if !non_space_at_most(&self.lines[i], 40) {
            return false;
        }
        let l = self.clean(i);
        looks_like_organ_text(&l) && l.chars().count() >= 3 && !l.starts_with("附件")
    }

    fn date(&self) -> Option<CnDate> {
        if let Some(i) = self.date_line {
            return CnDate::parse_lenient(&self.clean(i));
        }
        // `（2026年1月9日）` under a speech title.
        if let Some(d) = self.lines.iter().take(6).find_map(|l| {
            let inner = l.strip_prefix(['（', '('])?.strip_suffix(['）', ')'])?;
            CnDate::parse_lenient(inner)
        }) {
            return Some(d);
        }
        // `——2014年3月5日在第十二届全国人民代表大会第二次会议上` (报告, 讲话),
        // also with full-width `－－`, or without dashes when `在` follows the
        // date (`2025年1月19日在江苏省第十四届人民代表大会第三次会议上`).
        let dash = |c: char| matches!(c, '—' | '-' | '－');
        if let Some(d) = self.lines.iter().take(8).find_map(|l| {
            let dashed = l.starts_with(dash);
            // The line opens with the dashes or the date.
            if !dashed && !l.chars().next().is_some_and(can_open_date) {
                return None;
            }
            let (r, d) = find_dates(l).into_iter().next()?;
            let lead = l[..r.start].chars().all(|c| dash(c) || is_space(c));
            let spoken = l[r.end..].trim_start_matches(is_space).starts_with('在');
            (lead && (dashed || spoken)).then_some(d)
        }) {
            return Some(d);
        }
        let start = self.colophon.saturating_sub(TAIL_LINES);
        let tail = self.lines[start..self.colophon].iter().rev().find_map(|l| {
            // A date that ends the line lies in its last characters, and
            // its last character is 日, 号 or a digit (most lines: no).
            if !can_end_with_date(l) {
                return None;
            }
            let end = date_window_end(l);
            let found = find_dates(&l[end..]);
            let (r, d) = found.last()?;
            l[end + r.end..]
                .trim_matches(is_space)
                .is_empty()
                .then_some(*d)
        });
        // The 印发日期 of the 版记 (a 纪要 has no 成文日期 of its own, GB/T
        // 9704-2012 §8.3).
        tail.or_else(|| {
            self.lines[self.colophon..]
                .iter()
                .find(|l| l.ends_with("印发"))
                .and_then(|l| find_dates(l).last().map(|p| p.1))
        })
        .or_else(|| self.promulgation_date())
    }

    /// Last resort, for laws, regulations and rules (法律、法规、规章): the
    /// 题注 under the title, lines that open with a date (or `(` and a date)
    /// and say what happened on it — `2006年7月5日 国务院第142次常务会议通过`,
    /// `2006年7月24日 中华人民共和国国务院令第472号公布`, `2006年8月1日 施行`;
    /// a long entry may wrap onto one more line, and one line may hold several
    /// entries (`2014年1月1日 施行根据2018年9月7日…决定修正`). Each date owns the
    /// text up to the next date; the latest date whose text says `公布`,
    /// `发布`, `通过`, `修订`, `修正`, `批准` or names a `…令第N号` is the
    /// version in force (`施行` dates say when it took effect, not when it
    /// was made). Else a line near the title that is only a date. Looks at
    /// the first lines only.
    fn promulgation_date(&self) -> Option<CnDate> {
        let mut made: Option<CnDate> = None;
        let mut bare = None;
        let end = HEAD_NOTE_LINES.min(self.colophon).min(self.lines.len());
        let entry_start = |l: &str| -> Option<usize> {
            let t = l.trim_start_matches(|c| is_space(c) || c == '(' || c == '（');
            // A date that opens the line lies in its first characters, the
            // first of them a digit (most lines: no).
            if !t.chars().next().is_some_and(can_open_date) {
                return None;
            }
            let head = &t[..floor_char_boundary(t, DATE_WINDOW_BYTES)];
            let (r, _) = find_dates(head).into_iter().next()?;
            (r.start == 0).then_some(l.len() - t.len())
        };
        let says_made = |t: &str| {
            ["公布", "发布", "通过", "修订", "修正", "批准"]
                .iter()
                .any(|w| t.contains(w))
                || t.find("令第").is_some_and(|k| t[k..].contains('号'))
        };
        for i in 1..end {
            let l = &self.lines[i];
            let Some(at) = entry_start(l) else {
                continue;
            };
            let mut entry = l[at..].to_string();
            // A wrapped entry: `1987年1月20日 浙江省…常务委员会第二十三次会议`
            // / `《关于修改…的决定》第一次修正` — but not a complete one
            // (`2018年9月1日 施行`) followed by the first sentence of the body
            // (`为…，规范人民法院通过互联网…，制定本规定。`).
            let complete = entry
                .trim_end_matches(|c| is_space(c) || c == '）' || c == ')')
                .ends_with("施行");
            if !complete
                && !says_made(&entry)
                && let Some(n) = self.lines[i + 1..end]
                    .iter()
                    .find(|n| !n.trim_matches(is_space).is_empty())
                    .filter(|n| {
                        entry_start(n).is_none()
                            && !n.trim_end_matches(is_space).ends_with('。')
                            && !n.starts_with('第')
                    })
            {
                entry.push_str(n);
            }
            let dates = find_dates(&entry);
            for (k, (r, d)) in dates.iter().enumerate() {
                let to = dates.get(k + 1).map_or(entry.len(), |(n, _)| n.start);
                if says_made(&entry[r.end..to]) {
                    made = Some(made.map_or(*d, |m| m.max(*d)));
                }
            }
            if entry[dates[0].0.end..].trim_matches(is_space).is_empty() && i <= 3 {
                bare = bare.or(Some(dates[0].1));
            }
        }
        made.or(bare)
    }

    /// The 署名 line just above the 成文日期.
    /// The 署名 line above the date line; `最高人民法院发布` (a 发布 note
    /// in the 署名's place, as published cases and notices carry) names
    /// the organ without the verb.
    fn signature(&self) -> Option<String> {
        let i = self.date_line?.checked_sub(1)?;
        if !self.is_signature_line(i) {
            return None;
        }
        let line = self.clean(i);
        let organ = ["发布", "公布", "印发"]
            .iter()
            .find_map(|v| line.strip_suffix(v))
            .map(|o| o.trim_matches(is_space))
            .filter(|o| o.chars().count() >= 2 && issuer_suffix(o));
        Some(organ.map_or_else(|| line.to_string(), str::to_string))
    }

    /// Index of the 主送机关 line: the first line in the top part ending in
    /// `：` that is short and not a label such as `签发人：`.
    fn recipients_line(&self) -> Option<usize> {
        self.lines.iter().take(HEADER_LINES + 5).position(|l| {
            (l.ends_with('：') || l.ends_with(':'))
                && at_most_chars(l, 120)
                && !l.starts_with("签发人")
                && !l.starts_with("附件")
                && !l.contains('。')
                && !l.contains('《')
                && !l.trim_end_matches(['：', ':']).ends_with("如下")
        })
    }

    fn recipients(&self, title: Option<&str>) -> Vec<String> {
        let Some(i) = self.recipients_line() else {
            return Vec::new();
        };
        // Right after the title: the title (possibly wrapped) must be within
        // the three lines above, or the line is near the top.
        let near_title = title.is_some_and(|t| {
            (i.saturating_sub(3)..i).any(|k| {
                let l = &self.lines[k];
                t.ends_with(l.as_ref()) || l.contains(t)
            })
        });
        if !near_title && i > 8 {
            return Vec::new();
        }
        let l = &self.lines[i];
        if matches!(
            l.trim_end_matches(['：', ':']),
            "同志们" | "各位代表" | "各位领导" | "各位委员"
        ) {
            return Vec::new();
        }
        split_organs(l)
    }

    /// The title: the first Markdown heading near the top; else, after the
    /// 版头, the first line (with its wrapped continuation, up to the 主送机关)
    /// whose ending names a 文种; else the first line that is not a 版头 line.
    fn title(&self) -> Option<String> {
        if let Some(h) = &self.heading {
            return Some(h.clone());
        }
        let from = self.mark.as_ref().map_or(0, |(i, _)| i + 1);
        let end = self.lines.len().min(HEADER_LINES);
        let body: Vec<usize> = (from..end)
            .filter(|&i| !is_header_line(&self.lines[i]))
            .collect();
        let recipients = self.recipients_line();
        let titleish = |l: &str| {
            at_most_chars(l, 60)
                && !l.ends_with(['。', '：', ':'])
                && !l.starts_with(['（', '('])
                && find_dates(l).is_empty()
        };
        for &i in body.iter().take(4) {
            if !titleish(&self.lines[i]) {
                continue;
            }
            // Wrapped over up to three lines.
            let mut t = String::new();
            for k in i..(i + 3).min(end) {
                if recipients == Some(k)
                    || !titleish(&self.lines[k])
                    || (k > i && is_header_line(&self.lines[k]))
                {
                    break;
                }
                t.push_str(&self.lines[k]);
                if DocType::from_title(&t).is_some() {
                    return Some(t);
                }
            }
        }
        // A first line longer than any title (a text without line breaks)
        // is no title: the caller falls back to the file name.
        body.first()
            .filter(|&&i| at_most_chars(&self.lines[i], 80))
            .map(|&i| self.lines[i].to_string())
    }
}

/// The 发文机关标志 (GB/T 9704-2012 §7.2.4, §8.1–8.3) among the first lines,
/// as (index of its last line, organ): `XX文件`; `XX会议纪要`/`XX纪要` above a
/// 发文字号; an organ line above a 文种 line (`云岭县人民政府` / `通　　告`).
fn find_mark(lines: &[Cow<'_, str>]) -> Option<(usize, String)> {
    for i in 0..lines.len().min(6) {
        let l = &lines[i];
        if let Some(n) = strip_mark(l) {
            return Some((i, n));
        }
        let next = lines.get(i + 1).map_or("", |l| l.as_ref());
        // A 文种 line is a word or two (`通　　告`); a paragraph is not copied.
        let next_compact: String = if non_space_at_most(next, 32) {
            next.chars().filter(|c| !is_space(*c)).collect()
        } else {
            String::new()
        };
        let next_is_number = find_doc_numbers(next)
            .first()
            .is_some_and(|(r, _)| r.start == 0)
            || is_issue_number(&next_compact);
        // A 命令（令）: `XX令` or `XX命令` above its 令号 (§10.2); a 纪要:
        // `XX会议纪要`/`XX纪要` above its 发文字号 or 期号 (§10.3).
        let order_number = is_issue_number(&next_compact) && next_compact.ends_with('号');
        let orders = ["命令", "令"].iter().filter(|_| order_number);
        let minutes = ["常务会议纪要", "会议纪要", "纪要"]
            .iter()
            .filter(|_| next_is_number);
        for suffix in orders.chain(minutes) {
            if let Some(org) = l.strip_suffix(suffix)
                && looks_like_organ_text(org)
                && org.chars().count() >= 2
            {
                return Some((i, collapse_spaces(org)));
            }
        }
        if looks_like_organ_text(l)
            && issuer_suffix(l)
            && matches!(
                DocType::from_str(&next_compact),
                Ok(DocType::PublicNotice
                    | DocType::Announcement
                    | DocType::Order
                    | DocType::Communique)
            )
        {
            return Some((i + 1, collapse_spaces(l)));
        }
    }
    None
}

// ---- serde for the value types: as their canonical strings ----

impl Serialize for DocNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DocNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DocNumber::parse_lenient(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not a 发文字号: {s:?}")))
    }
}

impl Serialize for CnDate {
    /// As ISO 8601, `2023-05-08`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso())
    }
}

impl<'de> Deserialize<'de> for CnDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CnDate::parse_lenient(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not a date: {s:?}")))
    }
}

impl Serialize for DocType {
    /// As the Chinese name, `通知`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for DocType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_date_window_never_cuts_a_date() {
        use super::date_window_end;
        let body = "甲".repeat(40);
        let spaced = ["2", "0", "2", "3", "年", "5", "月", "8", "日"].join(&" ".repeat(16));
        let l = format!("{body}{spaced}");
        assert!(spaced.len() > super::DATE_WINDOW_BYTES);
        assert_eq!(date_window_end(&l), body.len());
        let l = format!("{body}，二〇二三年十二月三十一日");
        let date = "二〇二三年十二月三十一日";
        assert!(date_window_end(&l) <= l.len() - date.len());
        assert!(l.len() - date_window_end(&l) <= super::DATE_WINDOW_BYTES);
        assert_eq!(date_window_end("2023年5月8日"), 0);
    }

    /// Laws and regulations carry their dates in a 题注 under the title:
    /// the last made/revised date is the document's, an effective (施行)
    /// date is not; a wrapped entry counts by its next line.
    #[test]
    fn promulgation_dates_under_a_law_title() {
        let law = "黄河水量调度条例\n2006年7月5日 国务院第142次常务会议通过\n2006年7月24日 中华人民共和国国务院令第472号公布\n2006年8月1日 施行\n第一章 总则\n第一条 为加强黄河水量的统一调度，制定本条例。\n";
        let m = DocMeta::extract(law, None, None);
        assert_eq!(m.date.map(|d| d.to_iso()).as_deref(), Some("2006-07-24"));
        let revised = "全国年节及纪念日放假办法\n1949年12月23日 政务院发布\n2013年12月11日 《国务院关于修改〈全国年节及纪念日放假办法〉的决定》第三次修订\n2024年11月10日 《国务院关于修改〈全国年节及纪念日放假办法〉的决定》第四次修订）\n第一条 全体公民放假的节日。\n";
        let m = DocMeta::extract(revised, None, None);
        assert_eq!(m.date.map(|d| d.to_iso()).as_deref(), Some("2024-11-10"));
        let wrapped = "某省选举实施细则\n1984年2月19日 某省第六届人民代表大会常务委员会第七次会议\n通过\n1987年1月20日 某省第六届人民代表大会常务委员会第二十三次会议\n《关于修改〈某省选举实施细则〉的决定》第一次修正\n第一条 根据选举法制定本细则。\n";
        let m = DocMeta::extract(wrapped, None, None);
        assert_eq!(m.date.map(|d| d.to_iso()).as_deref(), Some("1987-01-20"));
        // Several entries on one line: the 施行 date does not count, the
        // revision after it does; `令第N号` without a verb is a 公布.
        let one_line = "青岛市价格条例\n2013年11月29日 青岛市第十五届人民代表大会常务委员会第十五次会议通过\n2014年1月1日 施行根据2018年9月7日青岛市第十六届人民代表大会常务委员会第五次会议通过的《关于修改〈青岛市价格条例〉的决定》修正\n第一条 为了规范价格行为，制定本条例。\n";
        let m = DocMeta::extract(one_line, None, None);
        assert_eq!(m.date.map(|d| d.to_iso()).as_deref(), Some("2018-09-07"));
        let order = "某条例\n(2017年11月22日 中华人民共和国国务院令第692号)\n第一条 为了规范，制定本条例。\n";
        let m = DocMeta::extract(order, None, None);
        assert_eq!(m.date.map(|d| d.to_iso()).as_deref(), Some("2017-11-22"));
        // A 施行 line followed by the body's first sentence, which says 通过
        // (trial 8): the 通过 date above, not the 施行 date.
        let body = "某规定\n2018年2月12日 最高人民法院审判委员会第1733次会议通过\n2018年9月1日 施行\n为贯彻落实审判公开原则，规范人民法院通过互联网公开审判流程信息工作，制定本规定。\n";
        let m = DocMeta::extract(body, None, None);
        assert_eq!(m.date.map(|d| d.to_iso()).as_deref(), Some("2018-02-12"));
        // Only an effective date, or a date inside the text: no 成文日期.
        let effective = "某办法\n2006年8月1日 施行\n第一条 本办法自2006年8月1日起施行。\n";
        assert_eq!(DocMeta::extract(effective, None, None).date, None);
    }
    use super::*;

    /// The red-header 批复 of /work/shared/corpus/ofd/n.ofd, as its text layer reads.
    const OFD_PIFU: &str = "测试符路桥区卫生局文件\n路卫发〔2011〕76号\n关于同意张阿三同志辞职的批复\n区中医院：\n你院《关于给张阿三同志辞职的请示》（路中医发\n〔2011〕10号）收悉。\n张阿三，男，1978年2月出生，籍贯江西新建，2001年9月参\n加工作，本科学历，主治医师，系区中医院职工。\n该同志由于家庭、籍贯等原因，从2006年1月至今未到单位\n上班，期间院方曾多次与其联系，均被拒绝回院。2011年3月1日\n该同志向医院递交辞职报告，鉴于本人实际情况，根据《浙江省\n专业技术人员和管理人员辞职暂行办法》（浙人才〔1993〕73\n号）文件精神，经研究，同意张阿三同志辞职。\n— 1 —\n测试符路桥区卫生局办公室\n2011年3月10日\n测试符路桥区卫生局办公室\n2011年3月10日印发\n— 2 —";

    #[test]
    fn ofd_red_header_reply() {
        let m = DocMeta::extract(OFD_PIFU, None, None);
        assert_eq!(m.title.as_deref(), Some("关于同意张阿三同志辞职的批复"));
        assert_eq!(
            m.doc_number.as_ref().map(|n| n.to_string()).as_deref(),
            Some("路卫发〔2011〕76号")
        );
        assert_eq!(m.issuer.as_deref(), Some("测试符路桥区卫生局"));
        assert_eq!(m.date, CnDate::new(2011, 3, 10));
        assert_eq!(m.doc_type, Some(DocType::Reply));
        assert_eq!(m.recipients, ["区中医院"]);
        assert_eq!(m.classification, None);
    }

    #[test]
    fn header_lines_long_and_short() {
        // A paragraph is copied only to HEADER_LINE_MAX_BYTES: what decides
        // on a long line is its head, or (all digits) the whole line.
        let long_number = format!("国办发〔2023〕5号{}", "字".repeat(200));
        assert!(is_header_line(&long_number));
        let long_mark = format!("{}文件", "某".repeat(100));
        assert!(!is_header_line(&long_mark));
        assert!(is_header_line(&"1 2".repeat(150)));
        assert!(!is_header_line(&format!("{}字", "1".repeat(300))));
        assert!(is_header_line("青禾市人民政府文件"));
        assert!(is_header_line("2023年5月8日"));
        assert!(!is_header_line("关于做好X工作的通知"));
        assert_eq!(collapse_spaces_cow("云 岭 县"), "云岭县");
        assert_eq!(
            collapse_spaces_cow("第一条\u{3000}为了  规范"),
            "第一条 为了 规范"
        );
        assert_eq!(collapse_spaces_cow(" 甲 "), "甲");
        assert!(matches!(collapse_spaces_cow("无空格"), Cow::Borrowed(_)));
    }

    #[test]
    fn front_matter_is_authoritative() {
        let fm = "发文机关: 青禾市人民政府办公室\n发文字号: 青政办发[2026]12号\n标题: 关于做好X工作的通知\n主送机关: 各县（市、区）人民政府，市政府各部门\n成文日期: 2026年3月5日\n密级: 秘密★1年\n";
        let body = "正文提到2020年1月1日和国发〔2019〕1号。\n\n某某局\n2020年2月2日";
        let m = DocMeta::extract(body, Some("别的标题"), Some(fm));
        assert_eq!(m.title.as_deref(), Some("关于做好X工作的通知"));
        assert_eq!(m.doc_number.unwrap().to_string(), "青政办发〔2026〕12号");
        assert_eq!(m.issuer.as_deref(), Some("青禾市人民政府办公室"));
        assert_eq!(m.date, CnDate::new(2026, 3, 5));
        assert_eq!(m.doc_type, Some(DocType::Notice));
        assert_eq!(m.classification.as_deref(), Some("秘密"));
        assert_eq!(m.recipients, ["各县（市、区）人民政府", "市政府各部门"]);
    }

    #[test]
    fn english_keys_and_lists() {
        let fm = "issuer: 青禾市审计局\ndoc_number: 青审〔2026〕6号\nsigners: [孟知秋]\ntitle: 关于X情况的报告\nrecipients: [青禾市人民政府]\ndate: 2026-06-18\ndoc_type: report\n";
        let m = DocMeta::extract("", None, Some(fm));
        assert_eq!(m.doc_type, Some(DocType::Report));
        assert_eq!(m.date, CnDate::new(2026, 6, 18));
        assert_eq!(m.recipients, ["青禾市人民政府"]);
        assert_eq!(m.issuer.as_deref(), Some("青禾市审计局"));
    }

    #[test]
    fn unknown_front_matter_falls_back_to_text() {
        let m = DocMeta::extract(
            "# 关于X的通知\n\n正文",
            None,
            Some("bookCollapseSection: true\n"),
        );
        assert_eq!(m.title.as_deref(), Some("关于X的通知"));
        assert_eq!(m.doc_type, Some(DocType::Notice));
        let m = DocMeta::extract("# 关于X的通知", None, Some("::: not yaml ["));
        assert_eq!(m.doc_type, Some(DocType::Notice));
    }

    #[test]
    fn signature_above_date_when_no_mark() {
        let t = "关于申请X经费的请示\n\n市政府：\n\n为……，特此请示。\n\n青禾市财政局\n2026年4月8日\n\n抄送：市审计局。\n青禾市财政局办公室　　2026年4月8日印发";
        let m = DocMeta::extract(t, None, None);
        assert_eq!(m.issuer.as_deref(), Some("青禾市财政局"));
        assert_eq!(m.date, CnDate::new(2026, 4, 8));
        assert_eq!(m.doc_type, Some(DocType::Request));
        assert_eq!(m.recipients, ["市政府"]);
        assert_eq!(m.doc_number, None);
    }

    #[test]
    fn a_published_by_line_names_the_organ() {
        let t = "预付卡未使用金额经营者应向消费者返还\n\n消费者权益保护典型案例\n\n最高人民法院发布\n\n2022-03-15\n\n基本案情……";
        let m = DocMeta::extract(t, None, None);
        assert_eq!(m.issuer.as_deref(), Some("最高人民法院"));
        assert_eq!(m.date, CnDate::new(2022, 3, 15));
    }

    #[test]
    fn speech_has_no_issuer_or_recipients() {
        let t = "在全市政府办公室系统工作会议上的讲话\n（2026年1月9日）\n青禾市人民政府秘书长　江慕白\n\n同志们：\n今天召开会议。2025年12月31日前完成。\n谢谢大家。";
        let m = DocMeta::extract(t, None, None);
        assert_eq!(
            m.title.as_deref(),
            Some("在全市政府办公室系统工作会议上的讲话")
        );
        assert_eq!(m.doc_type, Some(DocType::Speech));
        assert_eq!(m.date, CnDate::new(2026, 1, 9));
        assert_eq!(m.issuer, None);
        assert!(m.recipients.is_empty());
    }

    #[test]
    fn classification_and_wrapped_title() {
        let t = "000123\n机密★5年\n特急\n青禾市人民政府文件\n青政发〔2026〕4号\n青禾市人民政府关于加快推进\n数字政府建设的实施意见\n各县（市、区）人民政府，市政府各部门：\n正文。\n青禾市人民政府\n2026年3月3日";
        let m = DocMeta::extract(t, None, None);
        assert_eq!(m.classification.as_deref(), Some("机密"));
        assert_eq!(
            m.title.as_deref(),
            Some("青禾市人民政府关于加快推进数字政府建设的实施意见")
        );
        assert_eq!(m.doc_type, Some(DocType::Opinion));
        assert_eq!(m.issuer.as_deref(), Some("青禾市人民政府"));
        assert_eq!(m.recipients, ["各县（市、区）人民政府", "市政府各部门"]);
    }

    #[test]
    fn spaced_noise_from_pdf() {
        let t = "云 岭 县 人 民 政 府 文 件\n云政〔 2026 〕 9 号\n关于申请X的请示\n青禾市人民政府：\n正文。\n云岭县人民政府\n2 0 2 6 年 3 月 2 日";
        let m = DocMeta::extract(t, None, None);
        assert_eq!(m.doc_number.unwrap().to_string(), "云政〔2026〕9号");
        assert_eq!(m.issuer.as_deref(), Some("云岭县人民政府"));
        assert_eq!(m.date, CnDate::new(2026, 3, 2));
    }

    #[test]
    fn minutes_and_notice_marks() {
        let t = "云岭县防汛抗旱指挥部会议纪要\n云汛指纪〔2026〕1号\n云岭县防汛抗旱指挥部2026年第一次全体成员会议纪要\n会议认为……\n分送：各成员单位。\n云岭县防汛抗旱指挥部办公室　　2026年4月22日印发";
        let m = DocMeta::extract(t, Some("云岭县防汛抗旱指挥部会议纪要"), None);
        assert_eq!(
            m.title.as_deref(),
            Some("云岭县防汛抗旱指挥部2026年第一次全体成员会议纪要")
        );
        assert_eq!(m.issuer.as_deref(), Some("云岭县防汛抗旱指挥部"));
        assert_eq!(m.date, CnDate::new(2026, 4, 22));
        assert_eq!(m.doc_type, Some(DocType::Minutes));
        let t = "云岭县人民政府\n通　　告\n云政告〔2025〕3号\n云岭县人民政府关于禁止非法捕捞的通告\n为保护……通告如下：\n一、……";
        let m = DocMeta::extract(t, Some("云岭县人民政府"), None);
        assert_eq!(
            m.title.as_deref(),
            Some("云岭县人民政府关于禁止非法捕捞的通告")
        );
        assert_eq!(m.issuer.as_deref(), Some("云岭县人民政府"));
        assert_eq!(m.doc_type, Some(DocType::PublicNotice));
        assert!(m.recipients.is_empty());
    }

    /// As gongwen's own .docx lays them out: the 信函格式 puts the 份号 and
    /// the 发文字号 on one line under the 发文机关标志 (§10.1); the 纪要格式 a
    /// 期号 under the 纪要标志, then the issuer and date on one line (§10.3).
    #[test]
    fn letter_and_minutes_headers_as_rendered() {
        let t = "青山市教育局\n000078\t青教函〔2026〕15号\n\n青山市教育局关于商请支持中小学生研学实践活动的函\n\n青山市文化和旅游局：\n为丰富中小学生课外实践……\n盼复。\n\n青山市教育局\n2026年11月30日\n";
        let m = DocMeta::extract(t, None, None);
        assert_eq!(
            m.title.as_deref(),
            Some("青山市教育局关于商请支持中小学生研学实践活动的函")
        );
        assert_eq!(
            m.doc_number.map(|n| n.to_string()).as_deref(),
            Some("青教函〔2026〕15号")
        );
        assert_eq!(m.doc_type, Some(DocType::Letter));
        let t = "青山市人民政府常务会议纪要\n\n第23期\n青山市人民政府办公室\t2026年11月30日\n\n市政府第23次常务会议纪要\n\n2026年11月28日，市长王建国主持召开市政府第23次常务会议。纪要如下。\n一、研究冬季安全生产工作\n";
        let m = DocMeta::extract(t, None, None);
        assert_eq!(m.title.as_deref(), Some("市政府第23次常务会议纪要"));
        assert_eq!(m.issuer.as_deref(), Some("青山市人民政府"));
        assert_eq!(m.doc_type, Some(DocType::Minutes));
        assert!(is_issue_number("第二十三期") && !is_issue_number("第一条"));
        // A 命令（令）: 标志 `XX令`, 令号, then the title of what it promulgates.
        let t = "青山市人民政府令\n\n第5号\n\n青山市城市绿化管理办法\n\n《青山市城市绿化管理办法》已经2026年11月28日市人民政府第23次常务会议通过，现予公布，自2027年1月1日起施行。\n\n市长　王建国\n2026年11月30日\n";
        let m = DocMeta::extract(t, None, None);
        assert_eq!(m.title.as_deref(), Some("青山市城市绿化管理办法"));
        assert_eq!(m.issuer.as_deref(), Some("青山市人民政府"));
        assert_eq!(m.doc_type, Some(DocType::Order));
        assert_eq!(m.date, CnDate::new(2026, 11, 30));
    }

    #[test]
    fn date_before_a_long_attachment() {
        let mut t = String::from(
            "青禾市人民政府办公室文件\n青政办发〔2026〕20号\n青禾市人民政府办公室关于印发青禾市2026\n年政务公开工作要点的通知\n各县（市、区）人民政府：\n现将《要点》印发给你们。\n青禾市人民政府办公室\n2026 年 4 月 2 日\n（此件公开发布）\n青禾市2026年政务公开工作要点\n",
        );
        for k in 0..30 {
            t.push_str(&format!("第{k}项工作，2026年{}月底前完成。\n", k % 12 + 1));
        }
        t.push_str("抄送：市委办公室。\n青禾市人民政府办公室\n2026 年 4 月 3 日印发\n");
        let m = DocMeta::extract(&t, None, None);
        assert_eq!(m.date, CnDate::new(2026, 4, 2));
        assert_eq!(
            m.title.as_deref(),
            Some("青禾市人民政府办公室关于印发青禾市2026年政务公开工作要点的通知")
        );
        assert_eq!(m.doc_type, Some(DocType::Notice));
        assert_eq!(m.issuer.as_deref(), Some("青禾市人民政府办公室"));
    }

    /// A text without line breaks has no title line (the indexer then uses
    /// the file name, not thousands of characters).
    #[test]
    fn one_long_line_is_no_title() {
        let t = "超长行".repeat(100);
        assert_eq!(DocMeta::extract(&t, None, None).title, None);
        assert_eq!(
            DocMeta::extract("会议纪要\n正文", None, None)
                .title
                .as_deref(),
            Some("会议纪要")
        );
    }

    #[test]
    fn report_subtitle_date() {
        let t = "2010政府工作报告\n——２０１０年３月５日在第十一届全国人民代表大会第三次会议上\n国务院总理 温家宝\n各位代表：\n……2009年12月31日……";
        let m = DocMeta::extract(t, None, None);
        assert_eq!(m.date, CnDate::new(2010, 3, 5));
        assert_eq!(m.doc_type, Some(DocType::Report));
    }

    #[test]
    fn header_titles_are_not_titles() {
        let m = DocMeta::extract(
            "云岭县人民政府文件\n云政〔2026〕5号\n关于X的报告\n正文",
            Some("云岭县人民政府文件"),
            None,
        );
        assert_eq!(m.title.as_deref(), Some("关于X的报告"));
    }

    #[test]
    fn front_matter_split() {
        assert_eq!(split_front_matter("正文"), (None, "正文"));
        assert_eq!(
            split_front_matter("---\na: 1\n...\nb"),
            (Some("a: 1\n"), "b")
        );
        assert_eq!(split_front_matter("---\na: 1\n"), (None, "---\na: 1\n"));
    }

    #[test]
    fn serde_as_strings() {
        let m = DocMeta::extract(OFD_PIFU, None, None);
        let j = serde_json::to_string(&m).unwrap();
        assert!(j.contains("\"doc_number\":\"路卫发〔2011〕76号\""), "{j}");
        assert!(j.contains("\"date\":\"2011-03-10\""), "{j}");
        assert!(j.contains("\"doc_type\":\"批复\""), "{j}");
        let back: DocMeta = serde_json::from_str(&j).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn organ_lists() {
        assert_eq!(
            split_organs("各县（市、区）人民政府，市政府各部门、各有关单位："),
            ["各县（市、区）人民政府", "市政府各部门", "各有关单位"]
        );
        assert_eq!(classification_of("秘密★1年").as_deref(), Some("秘密"));
        assert_eq!(
            issuer_from_title("青禾市财政局关于X的请示").as_deref(),
            Some("青禾市财政局")
        );
        assert_eq!(issuer_from_title("关于X的请示"), None);
    }
}
