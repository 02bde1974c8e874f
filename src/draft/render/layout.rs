//! Layout: the document model → an ordered list of positioned paragraphs.
//!
//! This is where GB/T 9704-2012's placement rules live; the .docx and HTML
//! back ends only translate [`Item`]s. Distances the standard gives in lines
//! ("空二行") become blank paragraphs on the 22-line grid (§5.2.2); horizontal
//! distances given in characters ("左空二字") become twips at the grid's
//! character pitch ([`CHAR`]); distances in millimetres (the 发文机关标志 35 mm
//! under the 版心's top, §7.2.4) become space before a paragraph
//! ([`Para::space_before`]), or a position on the page
//! ([`Para::from_page_top`]) when they fall outside the 版心 (信函, §10.1).
//! Which paragraphs must share a page is said by [`Para::keep_next`].
//! Units: twips (1/1440 inch, 1 mm = 56.7 twips) for lengths, half-points
//! for font sizes (w:sz), eighths of a point for rule thickness
//! (w:bdr/@w:sz), points for a rule's distance from the text.

use serde::Serialize;

use super::fonts::Face;
use crate::draft::model::{Block, Document, Format, Inline};

/// A4 width, 210 mm (GB/T 9704-2012 §5.2.1), in twips.
pub const PAGE_W: u32 = 11906;
/// A4 height, 297 mm, in twips.
pub const PAGE_H: u32 = 16838;
/// 天头 top margin 37 mm (§5.2.2), in twips.
pub const MARGIN_TOP: u32 = 2098;
/// 订口 left margin 28 mm (§5.2.2), in twips.
pub const MARGIN_LEFT: u32 = 1588;
/// Right margin 26 mm (210 − 28 − 156), in twips.
pub const MARGIN_RIGHT: u32 = 1474;
/// Bottom margin 35 mm (297 − 37 − 225), in twips.
pub const MARGIN_BOTTOM: u32 = 1984;
/// 版心 width 156 mm, in twips (page width less the side margins).
pub const TEXT_W: u32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;
/// Grid line pitch: 225 mm / 22 lines = 28.95 pt (§5.2.2 "每面排22行"), in twips.
pub const LINE_PITCH: u32 = 579;
/// Grid character pitch: 156 mm / 28 characters (§5.2.2 "每行排28个字"),
/// rounded to whole twips (315.9).
pub const CHAR: i32 = 316;
/// `w:charSpace` for the 28-character grid: the pitch's difference from the
/// 16 pt default size, in 1/4096 pt: (442.2 pt / 28 − 16 pt) × 4096 ≈ −849.
pub const CHAR_SPACE: i32 = -849;
/// Extra spacing after each 3号 character, twips (w:spacing, −0.25 pt): 16 pt
/// glyphs at a 15.75 pt pitch put 28 characters on a 156 mm line (§5.2.2)
/// without relying on the character grid, which LibreOffice lays out
/// differently from Word (it spreads 16 pt glyphs over two 15.8 pt cells).
pub const CHAR_SPACING_3: i32 = -5;
/// 3号 = 16 pt, in half-points (正文, §7.1 d).
pub const SIZE_3: u32 = 32;
/// 2号 = 22 pt, in half-points (标题, §7.3.1).
pub const SIZE_2: u32 = 44;
/// 4号 = 14 pt, in half-points (版记 §7.4, 页码 §7.5).
pub const SIZE_4: u32 = 28;
/// 初号 = 42 pt: the largest 发文机关标志 we print, in half-points.
pub const SIZE_0: u32 = 84;
/// The red of 发文机关标志 and 分隔线 (§7.2.4, §7.2.7), RGB hex.
pub const RED: &str = "FF0000";
/// 4 mm, the gap between 发文字号 and the red 分隔线 (§7.2.7), in points
/// (w:space is in points; 4 mm = 11.3 pt).
pub const RED_RULE_GAP_PT: u32 = 11;
/// Red 分隔线 thickness: 1.5 pt (the standard fixes only colour and width),
/// in eighths of a point.
pub const RED_RULE_SZ: u32 = 12;
/// 版记 first and last rule: 0.35 mm ≈ 1 pt (§7.4.1), eighths of a point.
pub const RULE_THICK: u32 = 8;
/// 版记 middle rule: 0.25 mm ≈ 0.71 pt (§7.4.1), eighths of a point.
pub const RULE_THIN: u32 = 6;
/// 信函 double rules are 170 mm long (§10.1): they stick out 7 mm on each
/// side of the 156 mm 版心, in twips.
pub const LETTER_RULE_OVERHANG: i32 = 397;
/// 信函 double rules: 2.25 pt for the pair, in eighths of a point.
pub const LETTER_RULE_SZ: u32 = 18;
/// 发文机关标志 (文件格式, §7.2.4) and 纪要标志 (§10.3): top edge 35 mm below
/// the 版心's top edge, in twips.
pub const MARK_TOP: u32 = 1984;
/// 命令 (令) 发文机关标志: top edge 20 mm below the 版心's top edge (§10.2),
/// in twips.
pub const ORDER_MARK_TOP: u32 = 1134;
/// 信函 发文机关标志: top edge 30 mm below the *page's* top edge (§10.1), i.e.
/// 7 mm above the 版心, in twips.
pub const LETTER_MARK_TOP: u32 = 1701;
/// 信函: 份号 and 发文字号 sit 3号汉字高度的 7/8 (16 pt × 7/8 = 4.9 mm) under
/// the first double rule (§10.1). The exact 28.95 pt line already leaves
/// about 2.6 mm above its characters (LibreOffice, measured), so the
/// paragraph gets the rest as space before, in twips.
pub const LETTER_NUMBER_GAP: u32 = 130;
/// One 4号 character (14 pt), in twips: the 版记's 左右各空一字 (§7.4.2,
/// §7.4.3) and the page number's 空一字 (§7.5).
pub const CHAR_4: i32 = 280;

/// Horizontal alignment of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Justified (both edges; 正文).
    Justify,
}

/// Line style of a paragraph rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RuleStyle {
    /// One line.
    Single,
    /// Double line, thick above thin (信函 top rule, §10.1).
    ThickThin,
    /// Double line, thin above thick (信函 bottom rule, §10.1).
    ThinThick,
}

/// A rule above or below a paragraph: a paragraph border as wide as the
/// paragraph's indents leave it (the red 分隔线 of §7.2.7 and the 信函
/// double rules), or, for the 版记's lines ([`Para::at_page_foot`]), a rule
/// across the whole 版心 (§7.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Thickness in eighths of a point (w:sz).
    pub eighths: u32,
    /// RGB hex colour, e.g. `FF0000`.
    pub color: &'static str,
    /// Distance from the text, in points (w:space).
    pub space_pt: u32,
    /// Single or double.
    pub style: RuleStyle,
}

/// A run of uniformly formatted text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    /// The text.
    pub text: String,
    /// The logical face.
    pub face: Face,
    /// Font size in half-points (w:sz).
    pub half_points: u32,
    /// Bold.
    pub bold: bool,
    /// RGB hex colour; `None` = automatic (black).
    pub color: Option<&'static str>,
}

impl Span {
    /// A 3号 span in `face`.
    pub fn new(text: impl Into<String>, face: Face) -> Span {
        Span {
            text: text.into(),
            face,
            half_points: SIZE_3,
            bold: false,
            color: None,
        }
    }

    /// The same span at another size (half-points).
    pub fn size(mut self, half_points: u32) -> Span {
        self.half_points = half_points;
        self
    }

    /// The same span in red ([`RED`]).
    pub fn red(mut self) -> Span {
        self.color = Some(RED);
        self
    }
}

/// Which 公文 element a paragraph prints (also its CSS class in HTML).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// An empty line on the grid.
    Blank,
    /// 份号 (§7.2.1).
    CopyNumber,
    /// 密级和保密期限 (§7.2.2).
    Classification,
    /// 紧急程度 (§7.2.3).
    Urgency,
    /// 发文机关标志, 信函/命令 标志, 纪要标志 (§7.2.4, §10).
    IssuerMark,
    /// 发文字号 (with 签发人 for 上行文) and the red 分隔线 (§7.2.5–7.2.7).
    DocNumber,
    /// 标题 (§7.3.1).
    Title,
    /// 主送机关 (§7.3.2).
    Recipients,
    /// 正文 paragraph (§7.3.3).
    Body,
    /// 第一层 heading (黑体).
    Heading1,
    /// 第二层 heading (楷体).
    Heading2,
    /// 第三层 heading (仿宋).
    Heading3,
    /// 第四层 heading (仿宋).
    Heading4,
    /// A table cell paragraph.
    Cell,
    /// 附件说明 (§7.3.4).
    Attachment,
    /// 出席 / 请假 / 列席 lines of a 纪要 (§10.3).
    Attendance,
    /// 发文机关署名 or 签发人职务 (§7.3.5).
    Signature,
    /// 成文日期 (§7.3.5).
    Date,
    /// 附注 (§7.3.6).
    Note,
    /// 抄送机关 (§7.4.2).
    Cc,
    /// 印发机关和印发日期 (§7.4.3).
    Printed,
}

/// One positioned paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Para {
    /// The element.
    pub role: Role,
    /// Alignment.
    pub align: Align,
    /// The text, left part.
    pub spans: Vec<Span>,
    /// Text pushed to the right edge by a right tab (签发人 beside 发文字号,
    /// 印发日期 beside 印发机关). Empty for most paragraphs.
    pub right: Vec<Span>,
    /// How far the `right` text ends before the paragraph's right edge (its
    /// right indent), twips: lets a rule under the paragraph stay as wide as
    /// the 版心 while the 签发人 ends 一字 in (§7.2.6, §7.2.7).
    pub right_inset: i32,
    /// Left indent, twips (negative sticks out of the 版心).
    pub left: i32,
    /// Right indent, twips.
    pub right_indent: i32,
    /// First-line indent, twips; negative = hanging.
    pub first_line: i32,
    /// Rule above.
    pub border_top: Option<Rule>,
    /// Rule below.
    pub border_bottom: Option<Rule>,
    /// Snap to the 22 × 28 grid (3号 text); off for other sizes, which would
    /// otherwise be spread over several grid cells.
    pub snap: bool,
    /// Exact line height in twips, for paragraphs off the grid; `None` = auto.
    pub line_exact: Option<u32>,
    /// Space above the paragraph, twips (`w:spacing/@w:before`, CSS
    /// `margin-top`): places the 发文机关标志 35 mm (命令 20 mm) below the
    /// 版心's top edge (§7.2.4, §10.2, §10.3).
    pub space_before: u32,
    /// Keep on the same page as the next paragraph (`w:keepNext`, CSS
    /// `break-after: avoid`): the last 正文 lines, 附件说明, 署名 and 成文日期
    /// stay together, so the 署名 never stands alone on a page (§7.3.5).
    pub keep_next: bool,
    /// Placed on the page instead of in the flow: the paragraph's top edge
    /// this many twips below the page's top edge (a frame in .docx). Only the
    /// 信函 发文机关标志, 30 mm from the top edge of the page (§10.1), which
    /// is above the 版心.
    pub from_page_top: Option<u32>,
    /// Part of the 版记 (§7.4). Consecutive `at_page_foot` paragraphs form one
    /// block, kept together at the end of the document; their rules span
    /// the whole 版心 (156 mm, §7.4.1) whatever the text's indents (the
    /// 抄送 and 印发 lines are indented 一字 on both sides, §7.4.2, §7.4.3).
    pub at_page_foot: bool,
}

impl Para {
    /// A paragraph of `spans` with no indents or rules.
    pub fn new(role: Role, align: Align, spans: Vec<Span>) -> Para {
        let snap = spans.iter().all(|s| s.half_points == SIZE_3);
        Para {
            role,
            align,
            spans,
            right: Vec::new(),
            right_inset: 0,
            left: 0,
            right_indent: 0,
            first_line: 0,
            border_top: None,
            border_bottom: None,
            snap,
            line_exact: None,
            space_before: 0,
            keep_next: false,
            from_page_top: None,
            at_page_foot: false,
        }
    }

    /// An empty grid line.
    pub fn blank() -> Para {
        Para::new(Role::Blank, Align::Left, Vec::new())
    }

    /// The paragraph's text (left part, then right part after a tab).
    pub fn text(&self) -> String {
        let mut s: String = self.spans.iter().map(|s| s.text.as_str()).collect();
        if !self.right.is_empty() {
            s.push('\t');
            s.extend(self.right.iter().map(|s| s.text.as_str()));
        }
        s
    }
}

/// One laid-out block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Item {
    /// A paragraph.
    Para(Para),
    /// A table: rows × cells, one paragraph per cell.
    Table(Vec<Vec<Para>>),
}

/// Whether the 版面 is the general 文件 layout's first page footer or a
/// 信函's (no page number on the first page, a red double rule instead, §10.1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layout {
    /// The blocks, top to bottom.
    pub items: Vec<Item>,
    /// 信函: the first page gets a red thin-thick double rule instead of a
    /// page number (§10.1).
    pub letter_first_page: bool,
    /// The 标题 as plain text (for the HTML `<title>` and document metadata).
    pub title: String,
}

/// Width of `s` in grid characters: CJK and other wide characters count 1,
/// ASCII (half-width) characters ½ (Arabic numerals are printed half-width,
/// §7.3.5).
pub fn width_chars(s: &str) -> f32 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

fn chars(n: f32) -> i32 {
    (n * CHAR as f32).round() as i32
}

fn inline_spans(runs: &[Inline], face: Face) -> Vec<Span> {
    runs.iter()
        .map(|r| Span {
            bold: r.bold,
            ..Span::new(r.text.clone(), face)
        })
        .collect()
}

/// Strip one trailing colon or comma the author may have typed.
fn strip_trailing(s: &str, chars: &[char]) -> String {
    s.trim().trim_end_matches(chars).to_string()
}

/// The size for a 发文机关标志 of `text`: 初号 when it fits the 版心 on one
/// line, else the largest half-point size that does (not below 2号).
fn mark_size(text: &str) -> u32 {
    let w = width_chars(text).max(1.0);
    // 版心 width in half-points: TEXT_W twips / 10 (1 pt = 20 twips, 1
    // half-point = 10 twips); keep 10 % spare for side bearings.
    let fit = ((TEXT_W as f32 / 10.0) * 0.9 / w).floor() as u32;
    fit.clamp(SIZE_2, SIZE_0)
}

/// Exact line height for a 发文机关标志 of `half_points`: 1.2 em, in twips.
/// With an exact height the characters' top edge sits at the line's top
/// (within 0.3 mm in LibreOffice with the CJK fonts it substitutes), so the
/// mark's space before is the distance GB/T 9704-2012 gives for its top
/// edge (§7.2.4, §10.1–10.3).
fn mark_line(half_points: u32) -> u32 {
    half_points * 12
}

fn blanks(items: &mut Vec<Item>, n: usize) {
    for _ in 0..n {
        items.push(Item::Para(Para::blank()));
    }
}

/// Lay out a document to GB/T 9704-2012 (§7 文件格式; §10 for 信函, 命令, 纪要).
/// Dates and 发文字号 are written in their standard form
/// ([`Header::standard_form`](crate::draft::model::Header::standard_form))
/// whatever the draft says.
pub fn lay_out(doc: &Document) -> Layout {
    let header = doc.header.standard_form();
    let h = &header;
    let mut items: Vec<Item> = Vec::new();
    let upward = is_upward(doc);

    // --- 版头 (§7.2) --------------------------------------------------
    let mut top_left: Vec<Para> = Vec::new();
    if let Some(n) = &h.copy_number {
        top_left.push(Para::new(
            Role::CopyNumber,
            Align::Left,
            vec![Span::new(n.trim(), Face::FangSong)],
        ));
    }
    if let Some(c) = &h.classification {
        let text = match &h.secrecy_period {
            Some(p) if !p.trim().is_empty() => format!("{}★{}", c.trim(), p.trim()),
            _ => c.trim().to_string(),
        };
        top_left.push(Para::new(
            Role::Classification,
            Align::Left,
            vec![Span::new(text, Face::HeiTi)],
        ));
    }
    if let Some(u) = &h.urgency {
        top_left.push(Para::new(
            Role::Urgency,
            Align::Left,
            vec![Span::new(u.trim(), Face::HeiTi)],
        ));
    }
    let doc_number = h.doc_number.clone();

    match h.format {
        Format::Letter => {
            // §10.1: mark 30 mm from the page's top edge (above the 版心, so
            // placed on the page, not in the flow), red double rule (thick
            // over thin) 4 mm under it, 170 mm long; then 份号… on the left
            // and 发文字号 on the right, 3号字高的 7/8 under the rule.
            let has_mark = if let Some(mark) = h.effective_issuer_mark() {
                let size = mark_size(&mark);
                let mut p = Para::new(
                    Role::IssuerMark,
                    Align::Center,
                    vec![
                        Span::new(mark, Face::XiaoBiaoSong)
                            .size(size.min(SIZE_0))
                            .red(),
                    ],
                );
                p.left = -LETTER_RULE_OVERHANG;
                p.right_indent = -LETTER_RULE_OVERHANG;
                p.from_page_top = Some(LETTER_MARK_TOP);
                p.line_exact = Some(mark_line(size.min(SIZE_0)));
                // The line box leaves about 2.7 mm under the characters
                // (LibreOffice, measured); 1 pt more puts the rule 4 mm
                // under the mark.
                p.border_bottom = Some(Rule {
                    eighths: LETTER_RULE_SZ,
                    color: RED,
                    space_pt: 1,
                    style: RuleStyle::ThickThin,
                });
                items.push(Item::Para(p));
                true
            } else {
                false
            };
            let mut first = top_left.into_iter();
            let mut line = first
                .next()
                .unwrap_or_else(|| Para::new(Role::DocNumber, Align::Left, vec![]));
            if let Some(n) = &doc_number {
                line.right = vec![Span::new(n.clone(), Face::FangSong)];
            }
            if !line.spans.is_empty() || !line.right.is_empty() {
                if has_mark {
                    line.space_before = LETTER_NUMBER_GAP;
                }
                items.push(Item::Para(line));
            }
            items.extend(first.map(Item::Para));
            blanks(&mut items, 1);
        }
        Format::File | Format::Order | Format::Minutes => {
            let n_top = top_left.len();
            items.extend(top_left.into_iter().map(Item::Para));
            let mark = match h.format {
                Format::Minutes => h.effective_issuer_mark().or_else(|| {
                    (!h.issuer.is_empty()).then(|| format!("{}纪要", h.issuer.concat()))
                }),
                _ => h.effective_issuer_mark(),
            };
            if let Some(mark) = mark {
                // §7.2.4: the mark's top edge 35 mm under the 版心's top
                // edge (命令 20 mm, §10.2), unless 份号/密级/紧急程度 push it
                // further down.
                let top = if h.format == Format::Order {
                    ORDER_MARK_TOP
                } else {
                    MARK_TOP
                };
                let above = n_top as u32 * LINE_PITCH;
                // §7.2.4 联合行文: one issuer per line, "文件" after the last.
                let lines: Vec<String> =
                    if h.issuer_mark.is_none() && h.issuer.len() > 1 && h.format == Format::File {
                        let mut v = h.issuer.clone();
                        if let Some(last) = v.last_mut() {
                            last.push_str("文件");
                        }
                        v
                    } else {
                        vec![mark]
                    };
                let widest = lines.iter().map(|l| width_chars(l)).fold(0.0, f32::max);
                let size = mark_size(&"字".repeat(widest.ceil() as usize));
                for (i, l) in lines.into_iter().enumerate() {
                    let mut p = Para::new(
                        Role::IssuerMark,
                        Align::Center,
                        vec![Span::new(l, Face::XiaoBiaoSong).size(size).red()],
                    );
                    p.line_exact = Some(mark_line(size));
                    if i == 0 {
                        p.space_before = top.saturating_sub(above);
                    }
                    items.push(Item::Para(p));
                }
                blanks(&mut items, 2);
            }
            let red_rule = Rule {
                eighths: RED_RULE_SZ,
                color: RED,
                space_pt: RED_RULE_GAP_PT,
                style: RuleStyle::Single,
            };
            match h.format {
                Format::Order => {
                    // §10.2: 令号 centred two lines under the mark; no red rule.
                    if let Some(n) = &doc_number {
                        items.push(Item::Para(Para::new(
                            Role::DocNumber,
                            Align::Center,
                            vec![Span::new(n.clone(), Face::FangSong)],
                        )));
                        blanks(&mut items, 2);
                    }
                }
                Format::Minutes => {
                    // §10.3 leaves the rest to practice: 期号 centred, then a
                    // red rule with the issuer left and the date right.
                    if let Some(n) = &doc_number {
                        items.push(Item::Para(Para::new(
                            Role::DocNumber,
                            Align::Center,
                            vec![Span::new(n.clone(), Face::FangSong)],
                        )));
                    }
                    let mut p = Para::new(
                        Role::DocNumber,
                        Align::Left,
                        vec![Span::new(h.issuer.join("　"), Face::FangSong)],
                    );
                    if let Some(d) = &h.date {
                        p.right = vec![Span::new(d.trim(), Face::FangSong)];
                    }
                    p.border_bottom = Some(red_rule);
                    items.push(Item::Para(p));
                    blanks(&mut items, 2);
                }
                _ => {
                    // §7.2.5 发文字号 centred (下行文) or left with 签发人 on the
                    // right (上行文, §7.2.6: 发文字号居左空一字, 签发人居右空一字);
                    // the red rule, as wide as the 版心, 4 mm below (§7.2.7).
                    // The 一字 on either side are a first-line indent and a
                    // tab inset, not paragraph indents, which would narrow
                    // the rule.
                    let number = doc_number.clone().unwrap_or_default();
                    let mut p = if upward && !h.signers.is_empty() {
                        let mut p = Para::new(
                            Role::DocNumber,
                            Align::Left,
                            vec![Span::new(number, Face::FangSong)],
                        );
                        p.first_line = CHAR;
                        p.right_inset = CHAR;
                        let mut right = vec![Span::new("签发人：", Face::FangSong)];
                        right.push(Span::new(h.signers.join("　"), Face::KaiTi));
                        p.right = right;
                        p
                    } else {
                        Para::new(
                            Role::DocNumber,
                            Align::Center,
                            vec![Span::new(number, Face::FangSong)],
                        )
                    };
                    p.border_bottom = Some(red_rule);
                    items.push(Item::Para(p));
                    blanks(&mut items, 2);
                }
            }
        }
    }

    // --- 主体 (§7.3) --------------------------------------------------
    let title = h.title.clone().unwrap_or_default();
    if !title.trim().is_empty() {
        for line in title.lines().filter(|l| !l.trim().is_empty()) {
            let mut p = Para::new(
                Role::Title,
                Align::Center,
                vec![Span::new(line.trim(), Face::XiaoBiaoSong).size(SIZE_2)],
            );
            p.line_exact = Some(LINE_PITCH);
            items.push(Item::Para(p));
        }
        blanks(&mut items, 1);
    }
    // 讲话稿: the speaker and the date go under the title, centred, in 楷体
    // (common practice; GB/T 9704-2012 does not cover speeches).
    let speech = is_speech(doc);
    if speech {
        let mut any = false;
        for line in h.effective_signature().iter().chain(h.date.iter()) {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            items.push(Item::Para(Para::new(
                Role::Signature,
                Align::Center,
                vec![Span::new(line, Face::KaiTi)],
            )));
            any = true;
        }
        if any {
            blanks(&mut items, 1);
        }
    }
    if !h.recipients.is_empty() {
        let names: Vec<String> = h
            .recipients
            .iter()
            .map(|r| strip_trailing(r, &['：', ':', '，', ',', '、', '。']))
            .collect();
        items.push(Item::Para(Para::new(
            Role::Recipients,
            Align::Justify,
            vec![Span::new(format!("{}：", names.join("，")), Face::FangSong)],
        )));
    }

    for block in &doc.body {
        match block {
            Block::Heading {
                level,
                number,
                text,
                ..
            } => {
                let (role, face) = match level {
                    0 | 1 => (Role::Heading1, Face::HeiTi),
                    2 => (Role::Heading2, Face::KaiTi),
                    3 => (Role::Heading3, Face::FangSong),
                    _ => (Role::Heading4, Face::FangSong),
                };
                let mut spans = vec![Span::new(number.clone(), face)];
                spans.extend(inline_spans(text, face));
                let mut p = Para::new(role, Align::Justify, spans);
                p.first_line = chars(2.0);
                // A heading never ends a page.
                p.keep_next = true;
                items.push(Item::Para(p));
            }
            Block::Paragraph(runs) => {
                let mut p = Para::new(
                    Role::Body,
                    Align::Justify,
                    inline_spans(runs, Face::FangSong),
                );
                p.first_line = chars(2.0);
                items.push(Item::Para(p));
            }
            Block::Table(rows) => {
                let rows = rows
                    .iter()
                    .enumerate()
                    .map(|(i, row)| {
                        row.iter()
                            .map(|cell| {
                                let mut spans = inline_spans(cell, Face::FangSong);
                                if i == 0 {
                                    for s in &mut spans {
                                        s.face = Face::HeiTi;
                                    }
                                }
                                Para::new(Role::Cell, Align::Center, spans)
                            })
                            .collect()
                    })
                    .collect();
                items.push(Item::Table(rows));
            }
        }
    }

    // The 正文's last paragraph, for keeping it with the 署名 (§7.3.5).
    let body_end = items.len();

    // 附件说明 (§7.3.4): 正文下空一行左空二字 "附件："; several → "1." …,
    // later items aligned with the first name.
    if !h.attachments.is_empty() {
        blanks(&mut items, 1);
        let many = h.attachments.len() > 1;
        // Typed numbers and `附件：` off (`attachment_names`: `1.决算报表`
        // printed as `1.1.决算报表`), then marks and 书名号 as printed.
        for (i, a) in h.attachment_names().iter().enumerate() {
            let name = crate::draft::model::printed_attachment_name(a);
            let body = if many {
                format!("{}.{}", i + 1, name)
            } else {
                name.to_string()
            };
            let mut p = if i == 0 {
                Para::new(
                    Role::Attachment,
                    Align::Justify,
                    vec![Span::new(format!("附件：{body}"), Face::FangSong)],
                )
            } else {
                Para::new(
                    Role::Attachment,
                    Align::Justify,
                    vec![Span::new(body, Face::FangSong)],
                )
            };
            // Wrapped lines align with the attachment name (after "附件：").
            p.left = chars(5.0);
            if i == 0 {
                p.first_line = -chars(3.0);
            }
            items.push(Item::Para(p));
        }
    }

    // 纪要 出席/请假/列席 (§10.3): 正文下空一行左空二字, label 黑体, names
    // 仿宋, wrapped lines aligned after the colon.
    if h.format == Format::Minutes {
        let groups = [
            ("出席", &h.attendees),
            ("请假", &h.absent),
            ("列席", &h.observers),
        ];
        let mut first = true;
        for (label, names) in groups {
            if names.is_empty() {
                continue;
            }
            if first {
                blanks(&mut items, 1);
                first = false;
            }
            let mut p = Para::new(
                Role::Attendance,
                Align::Justify,
                vec![
                    Span::new(format!("{label}："), Face::HeiTi),
                    Span::new(names.join("、"), Face::FangSong),
                ],
            );
            p.left = chars(5.0);
            p.first_line = -chars(3.0);
            items.push(Item::Para(p));
        }
    }

    // 署名 and 成文日期 (§7.3.5.1, 加盖印章): date right-aligned, 右空四字;
    // each signature line centred over the date. 命令 (§7.3.5.3): 签发人职务
    // + 姓名 in place of the signature. 纪要 prints its date in the 版头.
    let sig_lines: Vec<String> = match h.format {
        _ if speech => Vec::new(),
        Format::Order => {
            let titles = h.signature.iter();
            let names = h.signers.iter();
            if h.signers.is_empty() {
                h.signature.clone()
            } else {
                let mut v = Vec::new();
                let mut t = titles.cloned();
                for n in names {
                    match t.next() {
                        Some(title) => v.push(format!("{}　{}", title.trim(), n.trim())),
                        None => v.push(n.trim().to_string()),
                    }
                }
                v
            }
        }
        Format::Minutes => Vec::new(),
        _ => h.effective_signature().to_vec(),
    };
    let date = if h.format == Format::Minutes || speech {
        None
    } else {
        h.date.as_deref().map(str::trim).filter(|d| !d.is_empty())
    };
    let signed = !sig_lines.is_empty() || date.is_some();
    if signed {
        blanks(&mut items, 2);
        let date_w = date.map(width_chars).unwrap_or(0.0);
        for s in &sig_lines {
            let w = width_chars(s);
            let offset = if date.is_some() {
                (4.0 + (date_w - w) / 2.0).max(0.0)
            } else {
                2.0
            };
            let mut p = Para::new(
                Role::Signature,
                Align::Right,
                vec![Span::new(s.trim(), Face::FangSong)],
            );
            p.right_indent = chars(offset);
            items.push(Item::Para(p));
        }
        if let Some(d) = date {
            let mut p = Para::new(Role::Date, Align::Right, vec![Span::new(d, Face::FangSong)]);
            p.right_indent = chars(4.0);
            items.push(Item::Para(p));
        }
    }

    // 附注 (§7.3.6): 成文日期下一行, 居左空二字, in （）.
    if let Some(n) = h.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        let n = n
            .trim_start_matches(['（', '('])
            .trim_end_matches(['）', ')']);
        let mut p = Para::new(
            Role::Note,
            Align::Justify,
            vec![Span::new(format!("（{n}）"), Face::FangSong)],
        );
        p.first_line = chars(2.0);
        items.push(Item::Para(p));
    }
    if signed {
        keep_with_signature(&mut items, body_end);
    }

    // --- 版记 (§7.4) ---------------------------------------------------
    let mut imprint: Vec<Para> = Vec::new();
    if !h.cc.is_empty() {
        let names: Vec<String> =
            h.cc.iter()
                .map(|c| strip_trailing(c, &['。', '，', ',', '、', '.']))
                .collect();
        let mut p = Para::new(
            Role::Cc,
            Align::Justify,
            vec![Span::new(format!("抄送：{}。", names.join("，")), Face::FangSong).size(SIZE_4)],
        );
        // 左右各空一字, wrapped lines aligned after "抄送：".
        p.left = CHAR_4 * 4;
        p.first_line = -CHAR_4 * 3;
        p.right_indent = CHAR_4;
        imprint.push(p);
    }
    let printed_date = h
        .printed_date
        .as_deref()
        .or(h.date.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if h.format != Format::Letter && (h.printed_by.is_some() || !imprint.is_empty()) {
        let mut p = Para::new(
            Role::Printed,
            Align::Left,
            vec![
                Span::new(
                    h.printed_by.clone().unwrap_or_default().trim().to_string(),
                    Face::FangSong,
                )
                .size(SIZE_4),
            ],
        );
        if let Some(d) = printed_date {
            let d = d.trim_end_matches("印发");
            p.right = vec![Span::new(format!("{d}印发"), Face::FangSong).size(SIZE_4)];
        }
        p.left = CHAR_4;
        p.right_indent = CHAR_4;
        imprint.push(p);
    }
    if !imprint.is_empty() {
        let n = imprint.len();
        // 信函: "版记不加印发机关和印发日期、分隔线" (§10.1).
        let ruled = h.format != Format::Letter;
        for (i, p) in imprint.iter_mut().enumerate() {
            p.at_page_foot = true;
            p.keep_next = i + 1 < n;
            p.line_exact = Some(LINE_PITCH);
            if !ruled {
                continue;
            }
            p.border_top = Some(Rule {
                eighths: if i == 0 { RULE_THICK } else { RULE_THIN },
                color: "000000",
                space_pt: 1,
                style: RuleStyle::Single,
            });
            if i + 1 == n {
                p.border_bottom = Some(Rule {
                    eighths: RULE_THICK,
                    color: "000000",
                    space_pt: 1,
                    style: RuleStyle::Single,
                });
            }
        }
        blanks(&mut items, 1);
        items.extend(imprint.into_iter().map(Item::Para));
    }

    Layout {
        items,
        letter_first_page: h.format == Format::Letter,
        title: title.lines().map(str::trim).collect::<Vec<_>>().join(""),
    }
}

/// Keep the 正文's last paragraph, the 附件说明 and every 署名 line with the
/// paragraph after it, so the 署名 and 成文日期 never stand alone on a page
/// (GB/T 9704-2012 §7.3.5 wants them on the page with 正文; it adjusts
/// spacing, a renderer moves the last lines over). `body_end` is the index
/// just past the 正文; everything from the 正文's last paragraph to the
/// item before the last (the 成文日期, or the 附注 after it) is kept with
/// what follows. A table ending the 正文 is left to break freely.
fn keep_with_signature(items: &mut [Item], body_end: usize) {
    let last = items.len().saturating_sub(1);
    for item in items.iter_mut().take(last).skip(body_end.saturating_sub(1)) {
        if let Item::Para(p) = item {
            p.keep_next = true;
        }
    }
}

/// A 讲话稿 (speech): 文种 `讲话稿` / `讲话`, else a title ending in `讲话`.
pub fn is_speech(doc: &Document) -> bool {
    let h = &doc.header;
    match h.doc_type.as_deref().map(str::trim) {
        Some(t) => t == "讲话稿" || t == "讲话",
        None => h
            .title
            .as_deref()
            .is_some_and(|t| t.trim().ends_with("讲话")),
    }
}

/// 上行文 (请示, 报告): from 文种, else from the title's ending.
pub fn is_upward(doc: &Document) -> bool {
    let t = doc
        .header
        .doc_type
        .clone()
        .or_else(|| doc.header.title.clone())
        .unwrap_or_default();
    let t = t.trim().trim_end_matches(['。', '.']);
    t.ends_with("请示") || t.ends_with("报告")
}

/// The plain text of all paragraphs, one per line, in order (tables cell by
/// cell) — used by tests and for the HTML text check.
pub fn plain_lines(layout: &Layout) -> Vec<String> {
    let mut v = Vec::new();
    for item in &layout.items {
        match item {
            Item::Para(p) => v.push(p.text()),
            Item::Table(rows) => {
                for row in rows {
                    for c in row {
                        v.push(c.text());
                    }
                }
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::model::Header;

    #[test]
    fn grid_numbers() {
        assert_eq!(TEXT_W, 8844);
        // 28 characters fill the 版心 within a twip per character.
        assert!((CHAR * 28 - TEXT_W as i32).abs() <= 28);
        // 22 lines fill 225 mm (12758 twips) within a twip per line.
        assert!((LINE_PITCH as i32 * 22 - 12758).abs() <= 22);
    }

    #[test]
    fn signature_centred_over_date() {
        let doc = Document {
            header: Header {
                issuer: vec!["青山市财政局".into()],
                date: Some("2026年11月30日".into()),
                ..Header::default()
            },
            ..Document::default()
        };
        let l = lay_out(&doc);
        let find = |r: Role| {
            l.items
                .iter()
                .find_map(|i| match i {
                    Item::Para(p) if p.role == r => Some(p.clone()),
                    _ => None,
                })
                .unwrap()
        };
        let date = find(Role::Date);
        let sig = find(Role::Signature);
        assert_eq!(date.right_indent, 4 * CHAR);
        // date 7 chars wide, signature 6 → offset 4.5 chars.
        assert_eq!(sig.right_indent, (4.5 * CHAR as f32).round() as i32);
    }

    #[test]
    fn attachment_numbers_typed_by_the_author_are_not_doubled() {
        let doc = Document {
            header: Header {
                attachments: vec![
                    "1.决算报表".into(),
                    "2、《统计表。》".into(),
                    "附件：3.名单；".into(),
                    "《关于〈安全生产法〉的解读》。".into(),
                    "《条例》和《办法》对照表".into(),
                ],
                ..Header::default()
            },
            ..Document::default()
        };
        let printed: Vec<String> = lay_out(&doc)
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Para(p) if p.role == Role::Attachment => Some(p.text()),
                _ => None,
            })
            .collect();
        assert_eq!(
            printed,
            [
                "附件：1.决算报表",
                "2.统计表",
                "3.名单",
                "4.关于《安全生产法》的解读",
                "5.《条例》和《办法》对照表"
            ]
        );
    }
}
