//! The 公文 document model that a Markdown draft parses into
//! ([`crate::draft::parse_draft`]) and that the checker
//! ([`crate::draft::check`]) and the renderers read.
//!
//! Every header value is kept as the **raw string the author typed** (e.g.
//! `国办发[2026]3号` stays as is) so the checker can report the mistake; the
//! renderers normalise where the standard asks them to. Element names and
//! their sections follow GB/T 9704-2012 §7 (版头 §7.2, 主体 §7.3, 版记 §7.4).

use std::fmt;

/// A parsed draft: the header (front matter), the body blocks and where each
/// part came from in the source (1-based lines and columns, columns counted
/// in characters).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// The GB/T 9704-2012 elements given in the front matter.
    pub header: Header,
    /// The 正文 (body), in order.
    pub body: Vec<Block>,
    /// Source line (1-based) of each block in [`Document::body`]; same length
    /// as `body`.
    pub block_lines: Vec<usize>,
    /// Where each front-matter key was written, in source order.
    pub key_positions: Vec<KeyPosition>,
    /// 1-based line of the first body line (the line after the closing `---`).
    pub body_start_line: usize,
}

impl Document {
    /// The position of the front-matter key for an element, by its English
    /// key (`"doc_number"`, `"date"`, ...; see [`KeyPosition::key`]).
    /// `None` when the element was not given.
    pub fn key_position(&self, english_key: &str) -> Option<&KeyPosition> {
        self.key_positions.iter().find(|k| k.key == english_key)
    }

    /// Source line of the key for an element, or line 1 (the opening `---`)
    /// when the element is missing — the place a "missing element" finding
    /// points to.
    pub fn key_line(&self, english_key: &str) -> usize {
        self.key_position(english_key).map_or(1, |k| k.line)
    }
}

/// Where one front-matter key was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPosition {
    /// Canonical English key of the element (`doc_number`, `title`, ...;
    /// the snake_case names of GB/T 9704-2012 elements used by
    /// `gongwen::meta::elements`).
    pub key: &'static str,
    /// The key exactly as typed (`发文字号`, `doc_number`, `文号`, ...).
    pub typed: String,
    /// 1-based line of the key in the whole source file.
    pub line: usize,
    /// 1-based column (in characters) of the key.
    pub column: usize,
    /// 1-based line of the value (the key's line for `key: value`, the first
    /// list item's line for block lists).
    pub value_line: usize,
}

/// The elements of a 公文 given in the front matter (GB/T 9704-2012 §7).
///
/// All values are raw strings as typed; lists hold one entry per item (a
/// single string becomes a one-item list). `None` / empty means "not given".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    /// 份号 copy number, e.g. `000001` (§7.2.1: 6-digit Arabic numerals).
    pub copy_number: Option<String>,
    /// 密级 classification: 绝密 / 机密 / 秘密 (§7.2.2).
    pub classification: Option<String>,
    /// 保密期限 secrecy period, e.g. `1年` (§7.2.2; printed as `秘密★1年`).
    pub secrecy_period: Option<String>,
    /// 紧急程度 urgency: 特急 / 加急 (§7.2.3).
    pub urgency: Option<String>,
    /// 发文机关 issuing organ(s); several for 联合行文 (§7.2.4, §7.3.5.2).
    pub issuer: Vec<String>,
    /// 发文机关标志 as typed; see [`Header::effective_issuer_mark`] for the
    /// default (§7.2.4).
    pub issuer_mark: Option<String>,
    /// 发文字号 doc number, raw, e.g. `国办发〔2026〕3号` (§7.2.5).
    pub doc_number: Option<String>,
    /// 签发人 signers' names (§7.2.6; required for 上行文).
    pub signers: Vec<String>,
    /// 标题 title (§7.3.1).
    pub title: Option<String>,
    /// 主送机关 recipients, one per item, as typed — the trailing `：` may be
    /// omitted (§7.3.2).
    pub recipients: Vec<String>,
    /// 附件 names for the 附件说明, one per attachment, as typed (§7.3.4).
    pub attachments: Vec<String>,
    /// 发文机关署名 signature(s) (§7.3.5); empty → renderers use `issuer`.
    pub signature: Vec<String>,
    /// 成文日期 date, raw, e.g. `2026年11月30日` (§7.3.5; digits per §7.3.5.4).
    pub date: Option<String>,
    /// 附注 note, without the surrounding （） (§7.3.6).
    pub note: Option<String>,
    /// 抄送机关 carbon-copy organs (§7.4.2).
    pub cc: Vec<String>,
    /// 印发机关 printing office (§7.4.3).
    pub printed_by: Option<String>,
    /// 印发日期 printing date (§7.4.3).
    pub printed_date: Option<String>,
    /// 文种 document type as typed, e.g. `通知` (《党政机关公文处理工作条例》第八条).
    pub doc_type: Option<String>,
    /// 格式 layout: 文件 (default) / 信函 / 命令 / 纪要 (§7, §10).
    pub format: Format,
    /// 出席 attendees of a 纪要 (§10.3), from key `出席` / `attendees`.
    pub attendees: Vec<String>,
    /// 请假 absentees of a 纪要 (§10.3), from key `请假` / `absent`.
    pub absent: Vec<String>,
    /// 列席 non-voting attendees of a 纪要 (§10.3), from key `列席` / `observers`.
    pub observers: Vec<String>,
    /// 分送 distribution list printed in the 版记 of a 纪要 in place of 抄送
    /// (§10.3 practice), from key `分送` / `distribution`.
    pub distribution: Vec<String>,
    /// 讲话人 of a 讲话稿 (not a GB/T 9704-2012 element), from key `讲话人` /
    /// `speaker`, e.g. `青山市人民政府副市长 张三`.
    pub speaker: Option<String>,
}

impl Header {
    /// The 发文机关标志 to print: the typed `issuer_mark`, else derived from
    /// the issuer(s) by format (GB/T 9704-2012 §7.2.4: 全称或规范化简称 +
    /// "文件"; §10.1 信函: the organ's name; §10.2 命令: + "令"; §10.3 纪要:
    /// the typed mark only, since it names the meeting). For 联合行文 the
    /// issuers are joined with no separator before the suffix — renderers
    /// that stack them use [`Header::issuer`] directly. `None` when neither
    /// is given.
    pub fn effective_issuer_mark(&self) -> Option<String> {
        if let Some(m) = &self.issuer_mark {
            return Some(m.clone());
        }
        if self.issuer.is_empty() {
            return None;
        }
        let joined: String = self.issuer.concat();
        match self.format {
            Format::File => Some(format!("{joined}文件")),
            Format::Letter => Some(joined),
            Format::Order => Some(format!("{joined}令")),
            Format::Minutes => None,
        }
    }

    /// The 附件 names to print in the 附件说明, with any number the author
    /// typed (`1.`, `1、`, `（1）`) and a leading `附件：` or `附件1` removed, so
    /// that renderers can number them `1.` `2.` … themselves (GB/T
    /// 9704-2012 §7.3.4: numbers only when there are several attachments).
    /// A number before a digit is kept (`1.5米以上护栏标准`, `10.5吨…` are
    /// names), unless it is the item's place and a year follows it
    /// (`1.2026年度决算报表`).
    pub fn attachment_names(&self) -> Vec<String> {
        use crate::draft::body::{NumberKind, parse_typed_number};
        self.attachments
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let a = a.trim();
                let a = a
                    .strip_prefix("附件：")
                    .or_else(|| a.strip_prefix("附件:"))
                    .or_else(|| {
                        // `附件1.决算报表`, `附件2：预算表`
                        a.strip_prefix("附件")
                            .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
                    })
                    .unwrap_or(a)
                    .trim();
                if let Some((n, off)) = parse_typed_number(a)
                    && n.kind == NumberKind::Arabic
                {
                    return a[off..].to_string();
                }
                // `1.2026年度决算报表`: the typed-number parser reads `1.2`
                // as a decimal; it is the item's number when it counts the
                // item and a year (four digits and 年) follows.
                let place = (i + 1).to_string();
                let year_after = |r: &str| {
                    r.len() > 4
                        && r.as_bytes()[..4].iter().all(u8::is_ascii_digit)
                        && r[4..].starts_with('年')
                };
                match a.strip_prefix(place.as_str()).and_then(|r| {
                    r.strip_prefix('.')
                        .or_else(|| r.strip_prefix('．'))
                        .filter(|r| year_after(r))
                }) {
                    Some(rest) => rest.to_string(),
                    None => a.to_string(),
                }
            })
            .collect()
    }

    /// This header as the layout writes it: 成文日期 and 印发日期 by
    /// [`standard_date`], the 发文字号 by [`standard_doc_number`]; every
    /// other element as typed.
    pub fn standard_form(&self) -> Header {
        let mut h = self.clone();
        h.date = h.date.as_deref().map(standard_date);
        h.printed_date = h.printed_date.as_deref().map(standard_date);
        h.doc_number = h.doc_number.as_deref().map(standard_doc_number);
        h
    }

    /// The 发文机关署名 lines: `signature` when given, else the issuers
    /// (GB/T 9704-2012 §7.3.5).
    pub fn effective_signature(&self) -> &[String] {
        if self.signature.is_empty() {
            &self.issuer
        } else {
            &self.signature
        }
    }
}

/// The layout family of a 公文 (GB/T 9704-2012 §7 for 文件; §10 特定格式).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// 文件格式, the general layout (§7). The default.
    #[default]
    File,
    /// 信函格式 (§10.1).
    Letter,
    /// 命令（令）格式 (§10.2).
    Order,
    /// 纪要格式 (§10.3).
    Minutes,
}

impl Format {
    /// Parse the `格式` value: `文件`, `信函`, `命令` / `令`, `纪要` or the
    /// English `file`, `letter`, `order`, `minutes` (case-insensitive).
    /// Surrounding whitespace and a trailing `格式` are ignored.
    pub fn parse(s: &str) -> Option<Format> {
        let t = s.trim();
        let t = t.strip_suffix("格式").unwrap_or(t);
        match t.to_ascii_lowercase().as_str() {
            "文件" | "file" => Some(Format::File),
            "信函" | "函" | "letter" => Some(Format::Letter),
            "命令" | "令" | "order" => Some(Format::Order),
            "纪要" | "minutes" => Some(Format::Minutes),
            _ => None,
        }
    }

    /// The Chinese name: 文件 / 信函 / 命令 / 纪要.
    pub fn chinese_name(self) -> &'static str {
        match self {
            Format::File => "文件",
            Format::Letter => "信函",
            Format::Order => "命令",
            Format::Minutes => "纪要",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.chinese_name())
    }
}

/// One block of the 正文.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A 层次 heading (GB/T 9704-2012 §7.3.3): level 1–4 printed with the
    /// number forms `一、` / `（一）` / `1.` / `（1）`.
    Heading {
        /// 1 to 4 (Markdown `#` to `####`; deeper headings are clamped to 4).
        level: u8,
        /// The number to print, computed from the heading's position, e.g.
        /// `"一、"`, `"（二）"`, `"3."`, `"（4）"` (see [`heading_number`]).
        number: String,
        /// The number the author typed at the start of the heading (stripped
        /// from `text`), e.g. `"1、"`; `None` when none was typed.
        typed_number: Option<String>,
        /// The heading text without any number.
        text: Vec<Inline>,
    },
    /// A paragraph of 正文.
    Paragraph(Vec<Inline>),
    /// A table: rows × cells × inline runs (the first row is the header row).
    Table(Vec<Vec<Vec<Inline>>>),
}

/// A run of text with uniform formatting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inline {
    /// The text (no Markdown syntax).
    pub text: String,
    /// Bold (Markdown `**…**`).
    pub bold: bool,
}

impl Inline {
    /// A plain (non-bold) run.
    pub fn plain(text: impl Into<String>) -> Inline {
        Inline {
            text: text.into(),
            bold: false,
        }
    }
}

/// Put a 发文字号's year in 六角括号 〔〕 (GB/T 9704-2012 §7.2.5): `国办发[2026]3号`,
/// `国办发（2026）3号`, `国办发【2026】3号` → `国办发〔2026〕3号`. Anything
/// that is not a bracketed four-digit year is left as typed.
pub fn standard_doc_number(raw: &str) -> String {
    let cs: Vec<char> = raw.trim().chars().collect();
    let opens = ['[', '［', '【', '(', '（', '〖', '〔', '{'];
    let closes = [']', '］', '】', ')', '）', '〗', '〕', '}'];
    let mut out = String::new();
    let mut i = 0;
    while i < cs.len() {
        if opens.contains(&cs[i]) && i + 5 < cs.len() {
            let year: String = cs[i + 1..i + 5].iter().collect();
            if year.chars().all(|c| c.is_ascii_digit()) && closes.contains(&cs[i + 5]) {
                out.push('〔');
                out.push_str(&year);
                out.push('〕');
                i += 6;
                continue;
            }
        }
        out.push(cs[i]);
        i += 1;
    }
    out
}

/// Marks a 附件 name never ends with (GB/T 9704-2012 §7.3.4: 附件名称后不加
///标点符号): what the layout strips and the checker flags.
pub const ATTACHMENT_END_MARKS: &[char] = &[
    '。', '.', '．', '，', ',', '；', ';', '：', ':', '！', '!', '？', '?', '、',
];

/// The inside of a 书名号 pair around the whole of `s` (`《名称》`,
/// `《关于〈安全生产法〉的解读》`): `None` unless the `《` at the start closes
/// at the very end (`《条例》和《办法》对照表` is not quoted as a whole).
pub fn outer_quoted(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('《')?.strip_suffix('》')?;
    let mut depth = 0i32;
    for c in inner.chars() {
        match c {
            '《' => depth += 1,
            '》' => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
            }
            _ => {}
        }
    }
    Some(inner)
}

/// A 附件 name as the 附件说明 prints it (GB/T 9704-2012 §7.3.4): end marks
/// off (inside the `》` too), a 书名号 pair around the whole name off, and
/// 〈〉 raised to 《》 (GB/T 15834-2011 §4.15: 〈〉 only inside 《》):
/// `《关于〈安全生产法〉的解读》。` → `关于《安全生产法》的解读`.
pub fn printed_attachment_name(name: &str) -> String {
    let n = name.trim().trim_end_matches(ATTACHMENT_END_MARKS);
    outer_quoted(n)
        .unwrap_or(n)
        .trim_end_matches(ATTACHMENT_END_MARKS)
        .replace('〈', "《")
        .replace('〉', "》")
}

/// Write a 成文日期/印发日期 the GB/T 9704-2012 way (§7.3.5.4: 阿拉伯数字,
/// 年月日 spelled out, no leading zeros): `2024-1-5`, `2024.01.05`,
/// `2024年01月05日` → `2024年1月5日`. Anything that is not a valid date is
/// left as typed (`check` reports it).
pub fn standard_date(raw: &str) -> String {
    match crate::meta::CnDate::parse_lenient(raw) {
        Some(d) => d.to_string(),
        None => raw.trim().to_string(),
    }
}

/// The plain text of a sequence of runs (formatting dropped).
pub fn plain_text(runs: &[Inline]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect()
}

const CN_DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// Chinese numeral for `n` in the style used for heading numbers:
/// 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九, 100 → 一百, 105 → 一百零五.
/// Values ≥ 1000 fall back to Arabic digits. `0` → 零.
pub fn chinese_numeral(n: u32) -> String {
    if n < 10 {
        return CN_DIGITS[n as usize].to_string();
    }
    if n < 20 {
        return format!(
            "十{}",
            if n == 10 {
                ""
            } else {
                CN_DIGITS[(n - 10) as usize]
            }
        );
    }
    if n < 100 {
        let ones = n % 10;
        return format!(
            "{}十{}",
            CN_DIGITS[(n / 10) as usize],
            if ones == 0 {
                ""
            } else {
                CN_DIGITS[ones as usize]
            }
        );
    }
    if n < 1000 {
        let rest = n % 100;
        let tail = if rest == 0 {
            String::new()
        } else if rest < 10 {
            format!("零{}", CN_DIGITS[rest as usize])
        } else if rest < 20 {
            // 一百一十五, not 一百十五
            format!("一{}", chinese_numeral(rest))
        } else {
            chinese_numeral(rest)
        };
        return format!("{}百{}", CN_DIGITS[(n / 100) as usize], tail);
    }
    n.to_string()
}

/// The number printed before the `index`-th (1-based) heading of `level`
/// (GB/T 9704-2012 §7.3.3: 第一层 `一、`, 第二层 `（一）`, 第三层 `1.`,
/// 第四层 `（1）`; full-width parentheses, no punctuation after them).
/// Levels above 4 are treated as 4; level 0 as 1.
///
/// ```
/// use gongwen::draft::model::heading_number;
/// assert_eq!(heading_number(1, 11), "十一、");
/// assert_eq!(heading_number(2, 2), "（二）");
/// assert_eq!(heading_number(3, 3), "3.");
/// assert_eq!(heading_number(4, 4), "（4）");
/// ```
pub fn heading_number(level: u8, index: u32) -> String {
    match level {
        0 | 1 => format!("{}、", chinese_numeral(index)),
        2 => format!("（{}）", chinese_numeral(index)),
        3 => format!("{index}."),
        _ => format!("（{index}）"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_names_lose_every_typed_number() {
        let h = Header {
            attachments: vec![
                "1.2026年度决算报表".into(),
                "附件2.预算报表".into(),
                "附件：3、名单".into(),
                "（4）说明".into(),
                "2026年工作要点".into(),
                "1.5米以上护栏标准".into(),
                "10.5吨以上车辆名单".into(),
                "8.2026年度报表".into(),
            ],
            ..Header::default()
        };
        assert_eq!(
            h.attachment_names(),
            [
                "2026年度决算报表",
                "预算报表",
                "名单",
                "说明",
                "2026年工作要点",
                "1.5米以上护栏标准",
                "10.5吨以上车辆名单",
                "2026年度报表"
            ]
        );
    }

    #[test]
    fn dates_are_written_with_nian_yue_ri() {
        assert_eq!(standard_date("2024-1-5"), "2024年1月5日");
        assert_eq!(standard_date("2024年01月05日"), "2024年1月5日");
        assert_eq!(standard_date(" 2026年11月30日 "), "2026年11月30日");
        assert_eq!(standard_date("2024年13月45日"), "2024年13月45日");
    }

    #[test]
    fn doc_numbers_get_hexagonal_brackets() {
        assert_eq!(standard_doc_number("国办发[2026]3号"), "国办发〔2026〕3号");
        assert_eq!(standard_doc_number("青财（2026）12号"), "青财〔2026〕12号");
        assert_eq!(standard_doc_number("青财〔2026〕12号"), "青财〔2026〕12号");
        assert_eq!(standard_doc_number("第[12]号"), "第[12]号");
    }

    #[test]
    fn numerals() {
        assert_eq!(chinese_numeral(1), "一");
        assert_eq!(chinese_numeral(10), "十");
        assert_eq!(chinese_numeral(11), "十一");
        assert_eq!(chinese_numeral(20), "二十");
        assert_eq!(chinese_numeral(35), "三十五");
        assert_eq!(chinese_numeral(100), "一百");
        assert_eq!(chinese_numeral(105), "一百零五");
        assert_eq!(chinese_numeral(115), "一百一十五");
    }

    #[test]
    fn heading_numbers() {
        assert_eq!(heading_number(1, 1), "一、");
        assert_eq!(heading_number(1, 10), "十、");
        assert_eq!(heading_number(2, 12), "（十二）");
        assert_eq!(heading_number(3, 1), "1.");
        assert_eq!(heading_number(4, 10), "（10）");
        assert_eq!(heading_number(6, 2), "（2）");
    }

    #[test]
    fn format_parse_and_mark() {
        assert_eq!(Format::parse("信函"), Some(Format::Letter));
        assert_eq!(Format::parse(" Minutes "), Some(Format::Minutes));
        assert_eq!(Format::parse("命令格式"), Some(Format::Order));
        assert_eq!(Format::parse("公告"), None);
        let mut h = Header {
            issuer: vec!["青山市财政局".into()],
            ..Header::default()
        };
        assert_eq!(
            h.effective_issuer_mark().as_deref(),
            Some("青山市财政局文件")
        );
        h.format = Format::Order;
        assert_eq!(h.effective_issuer_mark().as_deref(), Some("青山市财政局令"));
        h.issuer_mark = Some("青山市人民政府".into());
        assert_eq!(h.effective_issuer_mark().as_deref(), Some("青山市人民政府"));
        assert_eq!(h.effective_signature(), &["青山市财政局".to_string()]);
    }
}
