//! .docx back end: a [`Layout`] → WordprocessingML with docx-rs.
//!
//! Page setup follows GB/T 9704-2012 §5.2: A4, 版心 156 × 225 mm (margins
//! top 37, left 28, right 26, bottom 35 mm), a 22-line × 28-character
//! document grid (`w:docGrid type="linesAndChars"`). Every run names its
//! font for all scripts (`w:rFonts` ascii/hAnsi/eastAsia/cs) so theme fonts
//! never take over. Page numbers (§7.5): "— 1 —" in 4号宋体, odd pages
//! right and even pages left, 一字 in from the edge, via separate odd/even
//! footers (`w:evenAndOddHeaders` in settings.xml).
//!
//! Tab stops (`w:tabs`) count from the left edge of the text column (the
//! page margin, or a table cell's left edge), not from the paragraph's
//! indent, in Word and in LibreOffice's .docx import alike. The 版记 (§7.4)
//! is a one-column table as wide as the 版心, its rules the cells' top and
//! bottom borders, so the rules run the full 156 mm while the text keeps
//! its 一字 indents. The 信函 发文机关标志 (§10.1) is a frame placed 30 mm
//! from the page's top edge; its bottom double rule is the first-page
//! footer's.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BorderType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrPAGE,
    InstrText, LineSpacing, LineSpacingType, PageMargin, Paragraph, ParagraphBorder,
    ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, SpecialIndentType, Tab, TabValueType,
    Table, TableBorders, TableCell, TableCellBorder, TableCellBorderPosition, TableCellBorders,
    TableCellMargins, TableLayoutType, TableRow, WidthType,
};

use super::fonts::{Face, FontMap};
use super::layout::{
    self, Align, CHAR_4, CHAR_SPACE, CHAR_SPACING_3, Item, LINE_PITCH, Layout, MARGIN_BOTTOM,
    MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, PAGE_H, PAGE_W, Para, Rule, RuleStyle, SIZE_3, SIZE_4,
    Span, TEXT_W,
};
use super::{RenderError, RenderOptions};
use crate::draft::model::Document;

/// Distance from the page's top edge to the header, twips (15 mm; no header
/// is printed, Word needs a value).
const HEADER_DIST: i32 = 850;
/// Distance from the page's bottom edge to the footer's bottom, twips
/// (19 mm): the 信函 first page's bottom double rule, the last thing in its
/// footer, lands 20 mm above the page's bottom edge (§10.1; 19.95 mm
/// measured in LibreOffice).
const FOOTER_DIST: i32 = 1077;
/// Space under the page number, twips: its paragraph ends 23 mm above the
/// page's bottom edge (19 mm + 4 mm). The page number's 一字线 sits 7 mm
/// under the 版心 (§7.5): the line's top at 35 − 7 = 28 mm from the bottom,
/// and a 4号 line is about 5 mm tall → 23 mm.
const PAGE_NUMBER_LIFT: i32 = 227;

/// Render `doc` to the bytes of a .docx file.
///
/// # Errors
/// [`RenderError::Docx`] when docx-rs fails to write the zip package.
pub fn render_docx(doc: &Document, opts: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    let layout = layout::lay_out(doc);
    let docx = build(&layout, &opts.fonts);
    let mut xml = docx.build();
    xml.styles = normal_style_sized(&xml.styles, &opts.fonts);
    let mut buf = Cursor::new(Vec::new());
    xml.pack(&mut buf)
        .map_err(|e| RenderError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}

/// docx-rs always writes an empty "Normal" style. Word sizes the document
/// grid's character pitch (`w:charSpace`) from the Normal style's font, and
/// LibreOffice does the same, so give Normal the 3号 仿宋 of 正文 (16 pt,
/// GB/T 9704-2012 §7.1 d); otherwise LibreOffice assumes 12 pt and spreads
/// each character over two grid cells.
fn normal_style_sized(styles: &[u8], map: &FontMap) -> Vec<u8> {
    let s = String::from_utf8_lossy(styles);
    let needle =
        r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr />"#;
    let name = map
        .name(Face::FangSong)
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    let with = format!(
        r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr><w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}" /><w:sz w:val="{SIZE_3}" /><w:szCs w:val="{SIZE_3}" /></w:rPr>"#
    );
    s.replacen(needle, &with, 1).into_bytes()
}

fn fonts(map: &FontMap, face: Face) -> RunFonts {
    let name = map.name(face);
    RunFonts::new()
        .ascii(name)
        .hi_ansi(name)
        .east_asia(name)
        .cs(name)
}

fn run(span: &Span, map: &FontMap) -> Run {
    let mut r = Run::new()
        .add_text(span.text.clone())
        .fonts(fonts(map, span.face))
        .size(span.half_points as usize);
    if span.half_points == SIZE_3 {
        r = r.character_spacing(CHAR_SPACING_3);
    }
    if span.bold {
        r = r.bold();
    }
    if let Some(c) = span.color {
        r = r.color(c);
    }
    r
}

fn border(pos: ParagraphBorderPosition, rule: &Rule) -> ParagraphBorder {
    let val = match rule.style {
        RuleStyle::Single => BorderType::Single,
        RuleStyle::ThickThin => BorderType::ThickThinSmallGap,
        RuleStyle::ThinThick => BorderType::ThinThickSmallGap,
    };
    ParagraphBorder::new(pos)
        .val(val)
        .size(rule.eighths as usize)
        .space(rule.space_pt as usize)
        .color(rule.color)
}

fn paragraph(p: &Para, map: &FontMap) -> Paragraph {
    let align = match p.align {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
        Align::Justify => AlignmentType::Both,
    };
    let mut para = Paragraph::new().align(align);
    // The paragraph mark takes the size and font of the text, so that blank
    // lines and rules sit where the text would.
    let mark = p.spans.first().or(p.right.first());
    let (mark_face, mark_size) = mark.map_or((Face::FangSong, SIZE_3), |s| (s.face, s.half_points));
    para = para.fonts(fonts(map, mark_face)).size(mark_size as usize);
    // A frame's indents are its width and position instead (below).
    let framed = p.from_page_top.is_some();
    if !framed && (p.left != 0 || p.right_indent != 0 || p.first_line != 0) {
        let special = match p.first_line {
            0 => None,
            n if n > 0 => Some(SpecialIndentType::FirstLine(n)),
            n => Some(SpecialIndentType::Hanging(-n)),
        };
        para = para.indent(Some(p.left), special, Some(p.right_indent), None);
    }
    // Paragraphs are laid out off the grid with the grid's numbers made
    // explicit: exact 28.95 pt lines (22 a page) and 3号 characters at a
    // 28-a-line pitch (CHAR_SPACING_3). Word and LibreOffice then agree; the
    // section keeps its docGrid for text the user adds in Word.
    para = para.snap_to_grid(false);
    let mut spacing = LineSpacing::new().before(p.space_before).after(0);
    match p.line_exact {
        Some(exact) => spacing = spacing.line_rule(LineSpacingType::Exact).line(exact as i32),
        None if p.snap => {
            spacing = spacing
                .line_rule(LineSpacingType::Exact)
                .line(LINE_PITCH as i32)
        }
        None => {}
    }
    para = para.line_spacing(spacing);
    if p.border_top.is_some() || p.border_bottom.is_some() {
        let mut b = ParagraphBorders::with_empty();
        if let Some(r) = &p.border_top {
            b = b.set(border(ParagraphBorderPosition::Top, r));
        }
        if let Some(r) = &p.border_bottom {
            b = b.set(border(ParagraphBorderPosition::Bottom, r));
        }
        para.property = para.property.set_borders(b);
    }
    if p.keep_next {
        para = para.keep_next(true);
    }
    if p.at_page_foot {
        para = para.keep_lines(true);
    }
    if let Some(top) = p.from_page_top {
        // A frame, top edge `top` from the page's top edge, as wide as the
        // paragraph's indents make it (the 信函 mark: 170 mm, centred on
        // the 版心); text flows under it, not beside it.
        para = para
            .frame_width((TEXT_W as i32 - p.left - p.right_indent).max(0) as u32)
            .h_anchor("margin")
            .frame_x(p.left)
            .v_anchor("page")
            .frame_y(top as i32)
            .wrap("notBeside");
    }
    for s in &p.spans {
        para = para.add_run(run(s, map));
    }
    if !p.right.is_empty() {
        // Right tab at the right indent. Tab stops count from the text
        // column's left edge, not from the left indent (Word, and
        // LibreOffice for .docx), so the left indent does not enter: the
        // 印发日期 ends 一字 from the 版心's right edge (§7.4.3), 签发人
        // likewise (§7.2.6).
        let pos = TEXT_W as i32 - p.right_indent - p.right_inset;
        para = para.add_tab(Tab::new().val(TabValueType::Right).pos(pos.max(0) as usize));
        para = para.add_run(Run::new().add_tab().fonts(fonts(map, Face::FangSong)));
        for s in &p.right {
            para = para.add_run(run(s, map));
        }
    }
    para
}

/// A footer paragraph "— PAGE —" in 4号宋体 (§7.5), `odd` → right, else left.
fn page_number_footer(odd: bool, map: &FontMap) -> Footer {
    let f = || fonts(map, Face::SongTi);
    let text = |t: &str| Run::new().add_text(t).fonts(f()).size(SIZE_4 as usize);
    let mut p = Paragraph::new()
        .snap_to_grid(false)
        .fonts(f())
        .size(SIZE_4 as usize)
        .line_spacing(LineSpacing::new().before(0).after(PAGE_NUMBER_LIFT as u32));
    p = if odd {
        p.align(AlignmentType::Right)
            .indent(Some(0), None, Some(CHAR_4), None)
    } else {
        p.align(AlignmentType::Left)
            .indent(Some(CHAR_4), None, Some(0), None)
    };
    p = p
        .add_run(text("— "))
        .add_run(
            Run::new()
                .fonts(f())
                .size(SIZE_4 as usize)
                .add_field_char(FieldCharType::Begin, false),
        )
        .add_run(
            Run::new()
                .fonts(f())
                .size(SIZE_4 as usize)
                .add_instr_text(InstrText::PAGE(InstrPAGE::new())),
        )
        .add_run(
            Run::new()
                .fonts(f())
                .size(SIZE_4 as usize)
                .add_field_char(FieldCharType::Separate, false),
        )
        .add_run(text("1"))
        .add_run(
            Run::new()
                .fonts(f())
                .size(SIZE_4 as usize)
                .add_field_char(FieldCharType::End, false),
        )
        .add_run(text(" —"));
    Footer::new().add_paragraph(p)
}

/// 信函 first page (§10.1): no page number; a red double rule, thin over
/// thick, 170 mm long, 20 mm above the page's bottom edge: the bottom
/// border of a 1 pt paragraph at the footer's foot ([`FOOTER_DIST`]). A
/// bottom border, like the mark's, so thick and thin read the same way in
/// Word and LibreOffice (thinThick on a *top* border comes out thick over
/// thin in LibreOffice).
fn letter_first_footer(map: &FontMap) -> Footer {
    let rule = Rule {
        eighths: layout::LETTER_RULE_SZ,
        color: layout::RED,
        space_pt: 0,
        style: RuleStyle::ThinThick,
    };
    let mut p = Paragraph::new()
        .snap_to_grid(false)
        .fonts(fonts(map, Face::FangSong))
        .size(4)
        .indent(
            Some(-layout::LETTER_RULE_OVERHANG),
            None,
            Some(-layout::LETTER_RULE_OVERHANG),
            None,
        );
    p.property = p.property.set_borders(
        ParagraphBorders::with_empty().set(border(ParagraphBorderPosition::Bottom, &rule)),
    );
    Footer::new().add_paragraph(p)
}

/// The paragraph after a table that ends the document: Word needs one and
/// would otherwise add a 3号 line of its own, which can spill onto a blank
/// page. This one is 1 pt high.
fn end_mark() -> Paragraph {
    Paragraph::new().snap_to_grid(false).size(2).line_spacing(
        LineSpacing::new()
            .before(0)
            .after(0)
            .line_rule(LineSpacingType::Exact)
            .line(20),
    )
}

fn cell_border(pos: TableCellBorderPosition, rule: Option<&Rule>) -> TableCellBorder {
    let b = TableCellBorder::new(pos);
    match rule {
        Some(r) => b
            .border_type(BorderType::Single)
            .size(r.eighths as usize)
            .color(r.color),
        None => b.border_type(BorderType::Nil),
    }
}

/// The 版记 (GB/T 9704-2012 §7.4): one row per line in a one-column table
/// exactly as wide as the 版心 ([`TEXT_W`], no cell margins, no indent), so
/// the rules — each line's top border, and the last line's bottom border —
/// run the full 156 mm (§7.4.1: first and last 0.35 mm, between 0.25 mm)
/// while the text keeps its indents (抄送 左右各空一字, wrapped lines after
/// the colon, §7.4.2; 印发机关 左空一字, 印发日期 右空一字, §7.4.3).
///
/// The block follows the text, its lines kept together (`w:keepNext`,
/// `w:keepLines`, `w:cantSplit`); it is *not* pinned to the foot of the last
/// page as §7.4.1 wants. Tried in LibreOffice 7.4: a floating table
/// (`w:tblpPr`, bottom of the margin, by `w:tblpYSpec` or an absolute
/// `w:tblpY`) stays in the flow; a bottom-aligned frame (`w:framePr`) of
/// paragraphs is placed right only without rules, or with its first and
/// last rule as the frame's border and the middle rule lost.
fn imprint_table(lines: &[&Para], map: &FontMap) -> Table {
    let rows = lines
        .iter()
        .map(|p| {
            let bare = Para {
                border_top: None,
                border_bottom: None,
                ..(*p).clone()
            };
            let borders = TableCellBorders::with_empty()
                .set(cell_border(
                    TableCellBorderPosition::Top,
                    p.border_top.as_ref(),
                ))
                .set(cell_border(
                    TableCellBorderPosition::Bottom,
                    p.border_bottom.as_ref(),
                ))
                .set(cell_border(TableCellBorderPosition::Left, None))
                .set(cell_border(TableCellBorderPosition::Right, None));
            TableRow::new(vec![
                TableCell::new()
                    .width(TEXT_W as usize, WidthType::Dxa)
                    .set_borders(borders)
                    .add_paragraph(paragraph(&bare, map)),
            ])
            .cant_split()
        })
        .collect();
    Table::new(rows)
        .set_grid(vec![TEXT_W as usize])
        .width(TEXT_W as usize, WidthType::Dxa)
        .indent(0)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(0, 0, 0, 0))
        .set_borders(TableBorders::with_empty())
}

fn table(rows: &[Vec<Para>], map: &FontMap) -> Table {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let w = TEXT_W as usize / cols;
    let rows = rows
        .iter()
        .map(|row| {
            let mut cells: Vec<TableCell> = row
                .iter()
                .map(|c| {
                    TableCell::new()
                        .width(w, WidthType::Dxa)
                        .add_paragraph(paragraph(c, map))
                })
                .collect();
            while cells.len() < cols {
                cells.push(
                    TableCell::new()
                        .width(w, WidthType::Dxa)
                        .add_paragraph(Paragraph::new()),
                );
            }
            TableRow::new(cells)
        })
        .collect();
    Table::new(rows)
        .set_grid(vec![w; cols])
        .width(TEXT_W as usize, WidthType::Dxa)
}

/// Build the docx-rs document for a layout (exposed for tests that want to
/// inspect the tree rather than the bytes).
pub fn build(layout: &Layout, map: &FontMap) -> Docx {
    let mut docx = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP as i32)
                .left(MARGIN_LEFT as i32)
                .right(MARGIN_RIGHT as i32)
                .bottom(MARGIN_BOTTOM as i32)
                .header(HEADER_DIST)
                .footer(FOOTER_DIST)
                .gutter(0),
        )
        .default_fonts(fonts(map, Face::FangSong))
        .default_size(SIZE_3 as usize);
    docx.document = docx.document.doc_grid(
        DocGrid::new()
            .grid_type(DocGridType::LinesAndChars)
            .line_pitch(LINE_PITCH as usize)
            .char_space(CHAR_SPACE as isize),
    );
    let mut imprint: Vec<&Para> = Vec::new();
    for item in &layout.items {
        if let Item::Para(p) = item
            && p.at_page_foot
        {
            imprint.push(p);
            continue;
        }
        if !imprint.is_empty() {
            docx = docx.add_table(imprint_table(&imprint, map));
            imprint.clear();
        }
        docx = match item {
            Item::Para(p) => docx.add_paragraph(paragraph(p, map)),
            Item::Table(rows) => docx.add_table(table(rows, map)),
        };
    }
    if !imprint.is_empty() {
        docx = docx
            .add_table(imprint_table(&imprint, map))
            .add_paragraph(end_mark());
    }
    docx = docx
        .footer(page_number_footer(true, map))
        .even_footer(page_number_footer(false, map));
    if layout.letter_first_page {
        docx = docx.first_footer(letter_first_footer(map));
    }
    docx
}
