//! Tests: draft_render — `gongwen draft` to .docx and HTML, `templates`,
//! `new`. The .docx is read back (zip + quick-xml) and the GB/T 9704-2012
//! numbers asserted; LibreOffice (when installed) renders every built-in
//! template to PDF and the text order is checked with pdftotext.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use gongwen::draft::parse_draft;
use gongwen::draft::render::{FontMap, RenderOptions, render_docx, render_html};
use gongwen::draft::templates::{BUILTIN_DRAFTS, Templates};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::common::{gongwen_bin, project_root};

// ---------------------------------------------------------------- helpers

fn skeleton(name: &str) -> String {
    Templates::builtin().skeleton(name).unwrap()
}

fn docx_of(src: &str, opts: &RenderOptions) -> Vec<u8> {
    let (doc, _) = parse_draft(src).unwrap();
    render_docx(&doc, opts).unwrap()
}

fn part(docx: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut f = z
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} missing from the .docx"));
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

fn part_names(docx: &[u8]) -> Vec<String> {
    let z = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    z.file_names().map(|n| n.unwrap().into_owned()).collect()
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().map(|a| {
        a.normalized_value(XmlVersion::Implicit1_0)
            .unwrap()
            .into_owned()
    })
}

/// One run as read back: text, eastAsia/ascii font, half-point size, colour, bold.
#[derive(Debug, Default, Clone)]
struct R {
    text: String,
    east_asia: Option<String>,
    ascii: Option<String>,
    sz: Option<u32>,
    color: Option<String>,
    tab: bool,
}

/// One paragraph as read back.
#[derive(Debug, Default, Clone)]
struct P {
    jc: Option<String>,
    runs: Vec<R>,
    /// (side, val, sz, color, space)
    borders: Vec<(String, String, u32, String, u32)>,
    ind: Vec<(String, String)>,
    instr: String,
    fld_chars: usize,
}

impl P {
    fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

/// All paragraphs of a WordprocessingML part, in order (table cells included).
fn paragraphs(xml: &str) -> Vec<P> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut p: Option<P> = None;
    let mut r: Option<R> = None;
    let mut in_t = false;
    let mut in_instr = false;
    let mut in_ppr = false;
    let mut border_side: Option<String> = None;
    loop {
        let ev = reader.read_event().unwrap();
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                let name = e.name().as_ref().to_string();
                match name.as_str() {
                    "w:p" => {
                        p = Some(P::default());
                        if empty {
                            out.push(p.take().unwrap());
                        }
                    }
                    "w:pPr" => in_ppr = !empty,
                    "w:r" => r = Some(R::default()),
                    "w:t" => in_t = !empty,
                    "w:instrText" => in_instr = !empty,
                    "w:tab" => {
                        if let Some(r) = r.as_mut() {
                            r.tab = true;
                            r.text.push('\t');
                        }
                    }
                    "w:fldChar" => {
                        if let Some(p) = p.as_mut() {
                            p.fld_chars += 1;
                        }
                    }
                    "w:jc" if in_ppr => {
                        if let Some(p) = p.as_mut() {
                            p.jc = attr(e, "w:val");
                        }
                    }
                    "w:ind" if in_ppr => {
                        if let Some(p) = p.as_mut() {
                            for a in e.attributes().flatten() {
                                p.ind.push((
                                    a.key.as_ref().to_string(),
                                    a.normalized_value(XmlVersion::Implicit1_0)
                                        .unwrap()
                                        .into_owned(),
                                ));
                            }
                        }
                    }
                    "w:top" | "w:bottom" if in_ppr => border_side = Some(name[2..].to_string()),
                    _ => {}
                }
                if (name == "w:top" || name == "w:bottom")
                    && let (Some(p), Some(side)) = (p.as_mut(), border_side.take())
                    && let Some(val) = attr(e, "w:val")
                {
                    p.borders.push((
                        side,
                        val,
                        attr(e, "w:sz").and_then(|s| s.parse().ok()).unwrap_or(0),
                        attr(e, "w:color").unwrap_or_default(),
                        attr(e, "w:space").and_then(|s| s.parse().ok()).unwrap_or(0),
                    ));
                }
                if let Some(r) = r.as_mut().filter(|_| !in_ppr) {
                    match name.as_str() {
                        "w:rFonts" => {
                            r.east_asia = attr(e, "w:eastAsia");
                            r.ascii = attr(e, "w:ascii");
                        }
                        "w:sz" => r.sz = attr(e, "w:val").and_then(|s| s.parse().ok()),
                        "w:color" => r.color = attr(e, "w:val"),
                        _ => {}
                    }
                }
                if empty
                    && name == "w:r"
                    && let (Some(p), Some(r)) = (p.as_mut(), r.take())
                {
                    p.runs.push(r);
                }
            }
            Event::Text(t) => {
                let s = t.xml10_content().into_owned();
                if in_t && let Some(r) = r.as_mut() {
                    r.text.push_str(&s);
                } else if in_instr && let Some(p) = p.as_mut() {
                    p.instr.push_str(&s);
                }
            }
            Event::GeneralRef(g) => {
                let s = match g.clone().into_inner().as_ref() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "?",
                };
                if in_t && let Some(r) = r.as_mut() {
                    r.text.push_str(s);
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:p" => {
                    if let Some(p) = p.take() {
                        out.push(p);
                    }
                }
                "w:pPr" => in_ppr = false,
                "w:r" => {
                    if let (Some(p), Some(r)) = (p.as_mut(), r.take()) {
                        p.runs.push(r);
                    }
                }
                "w:t" => in_t = false,
                "w:instrText" => in_instr = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn find<'a>(ps: &'a [P], needle: &str) -> &'a P {
    ps.iter()
        .find(|p| p.text().contains(needle))
        .unwrap_or_else(|| panic!("no paragraph containing {needle:?}"))
}

fn run_with<'a>(p: &'a P, needle: &str) -> &'a R {
    p.runs
        .iter()
        .find(|r| r.text.contains(needle))
        .unwrap_or_else(|| panic!("no run containing {needle:?} in {:?}", p.text()))
}

/// First element `<tag …>` of `xml` as (attribute, value) pairs.
fn element_attrs(xml: &str, tag: &str) -> Vec<(String, String)> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == tag => {
                return e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        (
                            a.key.as_ref().to_string(),
                            a.normalized_value(XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned(),
                        )
                    })
                    .collect();
            }
            Event::Eof => panic!("no <{tag}>"),
            _ => {}
        }
    }
}

/// The smallest `open … close` element of `xml` around the first `needle`
/// (`open` without its closing `>` when the tag has attributes).
fn enclosing<'a>(xml: &'a str, needle: &str, opens: &[&str], close: &str) -> &'a str {
    let i = xml
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the XML"));
    let start = opens
        .iter()
        .filter_map(|o| xml[..i + needle.len()].rfind(o))
        .max()
        .unwrap_or_else(|| panic!("no {opens:?} before {needle:?}"));
    let end = i + xml[i..].find(close).unwrap() + close.len();
    &xml[start..end]
}

/// The `<w:p>` holding `needle`.
fn para_xml<'a>(xml: &'a str, needle: &str) -> &'a str {
    enclosing(xml, needle, &["<w:p>", "<w:p "], "</w:p>")
}

/// The `<w:tbl>` holding `needle`.
fn table_xml<'a>(xml: &'a str, needle: &str) -> &'a str {
    enclosing(xml, needle, &["<w:tbl>"], "</w:tbl>")
}

/// `(w:val, w:sz)` of the first `<w:{side}>` border in `xml`.
fn border_of(xml: &str, side: &str) -> (String, String) {
    let a = element_attrs(xml, &format!("w:{side}"));
    (
        get(&a, "w:val").to_string(),
        a.iter()
            .find(|(k, _)| k == "w:sz")
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
    )
}

fn get<'a>(attrs: &'a [(String, String)], k: &str) -> &'a str {
    attrs
        .iter()
        .find(|(a, _)| a == k)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no attribute {k} in {attrs:?}"))
}

// ------------------------------------------------------------------ .docx

#[test]
fn docx_page_margins_and_grid() {
    let d = docx_of(&skeleton("通知"), &RenderOptions::default());
    let doc = part(&d, "word/document.xml");
    let sz = element_attrs(&doc, "w:pgSz");
    assert_eq!((get(&sz, "w:w"), get(&sz, "w:h")), ("11906", "16838"));
    let m = element_attrs(&doc, "w:pgMar");
    assert_eq!(get(&m, "w:top"), "2098");
    assert_eq!(get(&m, "w:left"), "1588");
    assert_eq!(get(&m, "w:right"), "1474");
    assert_eq!(get(&m, "w:bottom"), "1984");
    let g = element_attrs(&doc, "w:docGrid");
    assert_eq!(get(&g, "w:type"), "linesAndChars");
    assert_eq!(get(&g, "w:linePitch"), "579");
    assert_eq!(get(&g, "w:charSpace"), "-849");
    // The grid's character pitch is sized from the Normal style: 3号 仿宋.
    let styles = part(&d, "word/styles.xml");
    let normal = &styles[styles.find(r#"w:styleId="Normal""#).unwrap()..];
    let normal = &normal[..normal.find("</w:style>").unwrap()];
    assert!(normal.contains(r#"<w:sz w:val="32" />"#), "{normal}");
    assert!(normal.contains(r#"w:eastAsia="仿宋_GB2312""#), "{normal}");
    // 3号 runs carry −0.25 pt spacing: 28 characters a line off the grid.
    assert!(doc.contains(r#"<w:spacing w:val="-5" />"#));
}

#[test]
fn docx_fonts_sizes_and_red_mark() {
    let d = docx_of(&skeleton("通知"), &RenderOptions::default());
    let ps = paragraphs(&part(&d, "word/document.xml"));

    // Every run with text names its East Asian and Latin font explicitly.
    for p in &ps {
        for r in p.runs.iter().filter(|r| !r.text.trim().is_empty()) {
            assert!(
                r.east_asia.is_some() && r.ascii.is_some(),
                "run without fonts: {r:?}"
            );
        }
    }
    let mark = run_with(find(&ps, "青山市人民政府办公室文件"), "文件");
    assert_eq!(mark.east_asia.as_deref(), Some("方正小标宋简体"));
    assert_eq!(mark.color.as_deref(), Some("FF0000"));
    assert!(mark.sz.unwrap() >= 44, "mark size {:?}", mark.sz);
    assert_eq!(
        find(&ps, "青山市人民政府办公室文件").jc.as_deref(),
        Some("center")
    );

    let title_p = find(&ps, "冬季安全生产大检查的通知");
    let title = run_with(title_p, "通知");
    assert_eq!(title.east_asia.as_deref(), Some("方正小标宋简体"));
    assert_eq!(title.sz, Some(44));
    assert_eq!(title_p.jc.as_deref(), Some("center"));

    let body = run_with(find(&ps, "现将有关事项通知如下"), "通知如下");
    assert_eq!(body.east_asia.as_deref(), Some("仿宋_GB2312"));
    assert_eq!(body.sz, Some(32));

    let h1 = find(&ps, "检查范围");
    assert_eq!(h1.text(), "一、检查范围");
    assert_eq!(run_with(h1, "检查范围").east_asia.as_deref(), Some("黑体"));
    let h2 = find(&ps, "加强组织领导");
    assert_eq!(h2.text(), "（一）加强组织领导");
    assert_eq!(
        run_with(h2, "加强").east_asia.as_deref(),
        Some("楷体_GB2312")
    );
    assert_eq!(find(&ps, "建立问题清单").text(), "1.建立问题清单");
    assert_eq!(
        run_with(find(&ps, "建立问题清单"), "清单")
            .east_asia
            .as_deref(),
        Some("仿宋_GB2312")
    );
    assert_eq!(find(&ps, "按期报送").text(), "（1）按期报送");

    // 发文字号 with 〔〕, centred, red rule 4 mm (11 pt) under it.
    let num = find(&ps, "青政办发");
    assert_eq!(num.text(), "青政办发〔2026〕12号");
    assert_eq!(num.jc.as_deref(), Some("center"));
    let (side, val, _, color, space) = &num.borders[0];
    assert_eq!(
        (side.as_str(), val.as_str(), color.as_str(), *space),
        ("bottom", "single", "FF0000", 11)
    );

    // 主送机关 flush left ending in ：
    let rec = find(&ps, "各区县人民政府");
    assert_eq!(rec.text(), "各区县人民政府，市政府各部门：");
    assert!(
        rec.ind.is_empty(),
        "recipients must be flush left: {:?}",
        rec.ind
    );

    // 附件说明: "附件：1.…", the next item aligned after "附件：".
    assert_eq!(
        find(&ps, "附件：").text(),
        "附件：1.冬季安全生产大检查工作方案"
    );
    assert_eq!(find(&ps, "2.检查情况统计表").text(), "2.检查情况统计表");

    // 成文日期 right, 右空四字 (4 × 316 twips); 附注 in （）.
    let date = find(&ps, "2026年11月30日");
    assert_eq!(date.jc.as_deref(), Some("right"));
    assert!(
        date.ind.contains(&("w:right".into(), "1264".into())),
        "{:?}",
        date.ind
    );
    assert_eq!(find(&ps, "此件发至县级").text(), "（此件发至县级）");
    // 密级★保密期限 in 黑体.
    assert_eq!(find(&ps, "秘密").text(), "秘密★1年");
    assert_eq!(
        run_with(find(&ps, "秘密"), "秘密").east_asia.as_deref(),
        Some("黑体")
    );
}

#[test]
fn docx_imprint_rules_and_sizes() {
    let d = docx_of(&skeleton("通知"), &RenderOptions::default());
    let ps = paragraphs(&part(&d, "word/document.xml"));
    let cc = find(&ps, "抄送：");
    assert_eq!(
        cc.text(),
        "抄送：市委办公室，市人大常委会办公室，市政协办公室。"
    );
    assert_eq!(run_with(cc, "抄送").sz, Some(28));
    assert_eq!(
        run_with(cc, "抄送").east_asia.as_deref(),
        Some("仿宋_GB2312")
    );
    let printed = find(&ps, "印发");
    assert_eq!(printed.text(), "青山市人民政府办公室\t2026年11月30日印发");
    // The imprint is the last thing in the document body.
    let last_text = ps.iter().rev().find(|p| !p.text().is_empty()).unwrap();
    assert!(last_text.text().ends_with("印发"));
}

/// GB/T 9704-2012 §7.4.1: the 版记's rules are as wide as the 版心 (156 mm =
/// 8844 twips), first and last 0.35 mm, between 0.25 mm, while the text keeps
/// its indents (§7.4.2 抄送 左右各空一字, wrapped lines after the colon;
/// §7.4.3 印发机关 左空一字, 印发日期 右空一字): a one-column table of the
/// 版心's width without cell margins, the rules its cells' borders.
#[test]
fn docx_imprint_rules_span_the_text_block() {
    let d = docx_of(&skeleton("通知"), &RenderOptions::default());
    let doc = part(&d, "word/document.xml");
    let tbl = table_xml(&doc, "抄送：");
    assert!(tbl.contains("印发"), "抄送 and 印发 in one table");
    let w = element_attrs(tbl, "w:tblW");
    assert_eq!((get(&w, "w:w"), get(&w, "w:type")), ("8844", "dxa"));
    assert_eq!(get(&element_attrs(tbl, "w:gridCol"), "w:w"), "8844");
    assert_eq!(get(&element_attrs(tbl, "w:tblInd"), "w:w"), "0");
    let mar = enclosing(
        tbl,
        "<w:tblCellMar>",
        &["<w:tblCellMar>"],
        "</w:tblCellMar>",
    );
    for side in ["top", "left", "bottom", "right"] {
        assert_eq!(get(&element_attrs(mar, &format!("w:{side}")), "w:w"), "0");
    }
    let rows: Vec<&str> = tbl.split("<w:tr>").skip(1).collect();
    assert_eq!(rows.len(), 2, "{tbl}");
    let cell =
        |r: &str| enclosing(r, "<w:tcBorders>", &["<w:tcBorders>"], "</w:tcBorders>").to_string();
    let (cc, printed) = (cell(rows[0]), cell(rows[1]));
    assert_eq!(border_of(&cc, "top"), ("single".into(), "8".into()));
    assert_eq!(border_of(&cc, "bottom").0, "nil");
    assert_eq!(border_of(&printed, "top"), ("single".into(), "6".into()));
    assert_eq!(border_of(&printed, "bottom"), ("single".into(), "8".into()));
    for c in [&cc, &printed] {
        assert_eq!(border_of(c, "left").0, "nil");
        assert_eq!(border_of(c, "right").0, "nil");
    }
    // The text keeps its indents: 抄送 one 4号 character (280 twips) in on
    // both sides, wrapped lines after "抄送：" (4 characters).
    let ps = paragraphs(tbl);
    let cc = find(&ps, "抄送：");
    for (k, v) in [("w:left", "1120"), ("w:hanging", "840"), ("w:right", "280")] {
        assert!(cc.ind.contains(&(k.into(), v.into())), "{:?}", cc.ind);
    }
    assert!(
        cc.borders.is_empty(),
        "no paragraph rules: {:?}",
        cc.borders
    );
}

/// GB/T 9704-2012 §7.4.3: 印发日期 右空一字. Tab stops count from the text
/// column's left edge, not from the left indent, so the right tab sits one
/// 4号 character (280 twips) short of the 版心's width: 8844 − 280 = 8564.
#[test]
fn docx_printed_date_ends_one_character_from_the_right_edge() {
    let d = docx_of(&skeleton("通知"), &RenderOptions::default());
    let doc = part(&d, "word/document.xml");
    let p = para_xml(&doc, "印发</w:t>");
    let tab = element_attrs(p, "w:tab");
    assert_eq!((get(&tab, "w:val"), get(&tab, "w:pos")), ("right", "8564"));
    let ind = element_attrs(p, "w:ind");
    assert_eq!((get(&ind, "w:left"), get(&ind, "w:right")), ("280", "280"));
}

#[test]
fn docx_footers_page_numbers_odd_right_even_left() {
    let d = docx_of(&skeleton("通知"), &RenderOptions::default());
    let settings = part(&d, "word/settings.xml");
    assert!(settings.contains("w:evenAndOddHeaders"), "{settings}");
    let doc = part(&d, "word/document.xml");
    assert!(doc.contains(r#"w:footerReference w:type="default""#));
    assert!(doc.contains(r#"w:footerReference w:type="even""#));
    let mut footers: Vec<String> = part_names(&d)
        .into_iter()
        .filter(|n| n.starts_with("word/footer") && n.ends_with(".xml"))
        .collect();
    footers.sort();
    assert_eq!(footers.len(), 2, "{footers:?}");
    let mut jcs = Vec::new();
    for f in &footers {
        let ps = paragraphs(&part(&d, f));
        let p = &ps[0];
        assert_eq!(p.instr.trim(), "PAGE");
        assert_eq!(p.fld_chars, 3);
        assert!(
            p.text().starts_with("— ") && p.text().ends_with(" —"),
            "{:?}",
            p.text()
        );
        let dash = run_with(p, "—");
        assert_eq!(dash.east_asia.as_deref(), Some("宋体"));
        assert_eq!(dash.sz, Some(28));
        jcs.push(p.jc.clone().unwrap());
    }
    jcs.sort();
    assert_eq!(jcs, vec!["left", "right"]);
}

#[test]
fn docx_upward_doc_number_left_signer_right() {
    let d = docx_of(&skeleton("请示"), &RenderOptions::default());
    let ps = paragraphs(&part(&d, "word/document.xml"));
    let p = find(&ps, "签发人");
    assert_eq!(p.text(), "青财〔2026〕8号\t签发人：李明远");
    assert_eq!(p.jc.as_deref(), Some("left"));
    assert_eq!(
        run_with(p, "签发人：").east_asia.as_deref(),
        Some("仿宋_GB2312")
    );
    assert_eq!(
        run_with(p, "李明远").east_asia.as_deref(),
        Some("楷体_GB2312")
    );
    // 发文字号 左空一字 as a first-line indent, 签发人 右空一字 as the tab
    // position (§7.2.6): no side indents, so the red rule under the line is
    // as wide as the 版心 (§7.2.7).
    assert!(
        p.ind.contains(&("w:firstLine".into(), "316".into())),
        "{:?}",
        p.ind
    );
    assert!(
        !p.ind
            .iter()
            .any(|(k, v)| (k == "w:left" || k == "w:right") && v != "0"),
        "{:?}",
        p.ind
    );
    let doc = part(&d, "word/document.xml");
    let tab = element_attrs(para_xml(&doc, "签发人："), "w:tab");
    assert_eq!(get(&tab, "w:pos"), "8528", "8844 − 316");
    assert!(p.borders.iter().any(|b| b.0 == "bottom" && b.3 == "FF0000"));
}

/// `(w:before, w:line)` of the paragraph holding `needle`.
fn spacing_of(doc: &str, needle: &str) -> (u32, u32) {
    let s = element_attrs(para_xml(doc, needle), "w:spacing");
    let n = |k: &str| {
        s.iter()
            .find(|(a, _)| a == k)
            .map_or(0, |(_, v)| v.parse().unwrap())
    };
    (n("w:before"), n("w:line"))
}

/// GB/T 9704-2012 §7.2.4: the 发文机关标志's top edge 35 mm (1984 twips)
/// under the 版心's top edge; 份号/密级/紧急程度 lines above it (579 twips
/// each) take their share. 纪要 35 mm too (§10.3), 命令 20 mm (§10.2). The
/// mark's line is exactly 1.2 em, so its characters start at the line's top.
#[test]
fn docx_issuer_mark_starts_35mm_under_the_text_block_top() {
    let before = |name: &str, needle: &str| {
        let d = docx_of(&skeleton(name), &RenderOptions::default());
        spacing_of(&part(&d, "word/document.xml"), needle)
    };
    // 通知: 份号, 密级, 紧急程度 above → 1984 − 3 × 579.
    let (b, line) = before("通知", "青山市人民政府办公室文件");
    assert_eq!(b, 1984 - 3 * 579);
    assert_eq!(line, 66 * 12, "1.2 em of a 33 pt mark");
    // 请示: 份号, 紧急程度 → 1984 − 2 × 579.
    assert_eq!(before("请示", "青山市财政局文件").0, 1984 - 2 * 579);
    assert_eq!(before("纪要", "常务会议纪要").0, 1984);
    assert_eq!(before("命令", "青山市人民政府令").0, 1134);
    // A 文件 with nothing above the mark.
    let src = "---\n发文机关: 青山市农业农村局\n发文字号: 青农发〔2026〕3号\n标题: 关于做好秋收工作的通知\n主送机关: 各乡镇人民政府\n成文日期: 2026年9月1日\n---\n正文。\n";
    let d = docx_of(src, &RenderOptions::default());
    assert_eq!(
        spacing_of(&part(&d, "word/document.xml"), "青山市农业农村局文件").0,
        1984
    );
}

/// GB/T 9704-2012 §10.1 信函: the mark 30 mm from the page's top edge (a
/// frame, 170 mm wide, centred on the 版心), the thick-over-thin red double
/// rule under it; 发文字号 under the rule; the thin-over-thick red double rule
/// 20 mm above the first page's bottom edge (first-page footer, footer
/// distance 19 mm); 版记 without 印发 line and without rules.
#[test]
fn docx_letter_mark_frame_and_bottom_rule() {
    let d = docx_of(&skeleton("函"), &RenderOptions::default());
    let doc = part(&d, "word/document.xml");
    let mark = para_xml(&doc, "青山市教育局</w:t>");
    let f = element_attrs(mark, "w:framePr");
    for (k, v) in [
        ("w:vAnchor", "page"),
        ("w:y", "1701"),
        ("w:hAnchor", "margin"),
        ("w:x", "-397"),
        ("w:w", "9638"),
        ("w:wrap", "notBeside"),
    ] {
        assert_eq!(get(&f, k), v, "{f:?}");
    }
    assert!(
        f.iter().all(|(k, _)| !k.contains('_')),
        "only OOXML attribute names: {f:?}"
    );
    assert!(!mark.contains("<w:ind"), "a frame has no indents: {mark}");
    assert_eq!(
        border_of(mark, "bottom"),
        ("thickThinSmallGap".into(), "18".into())
    );
    assert_eq!(spacing_of(&doc, "青教函").0, 130, "7/8 of a 3号 character");
    assert_eq!(get(&element_attrs(&doc, "w:pgMar"), "w:footer"), "1077");
    let footers: Vec<String> = part_names(&d)
        .into_iter()
        .filter(|n| n.starts_with("word/footer"))
        .map(|n| part(&d, &n))
        .collect();
    let first = footers
        .iter()
        .find(|f| !f.contains("PAGE"))
        .expect("first-page footer");
    assert_eq!(
        border_of(first, "bottom"),
        ("thinThickSmallGap".into(), "18".into())
    );
    for f in footers.iter().filter(|f| f.contains("PAGE")) {
        assert_eq!(get(&element_attrs(f, "w:spacing"), "w:after"), "227");
    }
    let tbl = table_xml(&doc, "抄送：");
    assert!(
        !tbl.contains(r#"w:val="single""#),
        "信函 版记 has no rules: {tbl}"
    );
}

/// GB/T 9704-2012 §7.3.5: the 署名 and 成文日期 are not left alone on a
/// page: the 正文's last paragraph, the lines in between and the 署名 keep
/// with the next paragraph; earlier 正文 and the last line do not.
#[test]
fn docx_keeps_the_last_body_paragraph_with_the_signature() {
    let src = "---\n发文机关: 青山市农业农村局\n发文字号: 青农发〔2026〕3号\n标题: 关于做好秋收工作的通知\n主送机关: 各乡镇人民政府\n附件: 秋收进度表\n发文机关署名: 青山市农业农村局\n成文日期: 2026年9月1日\n---\n第一段正文。\n\n最后一段正文。\n";
    let d = docx_of(src, &RenderOptions::default());
    let doc = part(&d, "word/document.xml");
    let keep = |needle: &str| para_xml(&doc, needle).contains("<w:keepNext");
    assert!(!keep("第一段正文"));
    assert!(keep("最后一段正文"));
    assert!(keep("附件：秋收进度表"));
    let sig = doc.rfind("青山市农业农村局</w:t>").unwrap();
    assert!(para_xml(&doc[sig - 2000..], "青山市农业农村局</w:t>").contains("<w:keepNext"));
    assert!(!keep("2026年9月1日"), "the last line keeps with nothing");
    // The blank lines between them keep too: every paragraph from the last
    // 正文 paragraph to the 署名.
    let from = doc.find("最后一段正文").unwrap();
    let span = &doc[from..sig];
    assert_eq!(
        span.matches("<w:p ").count() + span.matches("<w:p>").count(),
        span.matches("<w:keepNext").count(),
        "{span}"
    );
}

#[test]
fn docx_letter_format() {
    let d = docx_of(&skeleton("函"), &RenderOptions::default());
    let doc = part(&d, "word/document.xml");
    let ps = paragraphs(&doc);
    let mark = find(&ps, "青山市教育局");
    assert_eq!(mark.text(), "青山市教育局");
    assert_eq!(run_with(mark, "教育局").color.as_deref(), Some("FF0000"));
    let rule = mark.borders.iter().find(|b| b.0 == "bottom").unwrap();
    assert_eq!(rule.1, "thickThinSmallGap");
    assert_eq!(rule.3, "FF0000");
    // 发文字号 at the right edge under the rule.
    assert_eq!(find(&ps, "青教函").text(), "000078\t青教函〔2026〕15号");
    // First page: no page number (title page footer with the bottom rule).
    assert!(doc.contains("w:titlePg"));
    assert!(doc.contains(r#"w:footerReference w:type="first""#));
    // No 印发 line in 信函.
    assert!(!ps.iter().any(|p| p.text().contains("印发")));
}

#[test]
fn docx_order_and_minutes_formats() {
    let d = docx_of(&skeleton("命令"), &RenderOptions::default());
    let ps = paragraphs(&part(&d, "word/document.xml"));
    assert_eq!(find(&ps, "人民政府令").text(), "青山市人民政府令");
    let num = find(&ps, "第5号");
    assert_eq!(num.jc.as_deref(), Some("center"));
    assert_eq!(find(&ps, "王建国").text(), "市长　王建国");

    let d = docx_of(&skeleton("纪要"), &RenderOptions::default());
    let ps = paragraphs(&part(&d, "word/document.xml"));
    let mark = find(&ps, "常务会议纪要");
    assert_eq!(run_with(mark, "纪要").color.as_deref(), Some("FF0000"));
    let att = find(&ps, "出席：");
    assert_eq!(att.text(), "出席：王建国、刘芳、张卫东");
    assert_eq!(run_with(att, "出席").east_asia.as_deref(), Some("黑体"));
    assert_eq!(
        run_with(att, "王建国").east_asia.as_deref(),
        Some("仿宋_GB2312")
    );
    assert_eq!(find(&ps, "请假：").text(), "请假：孙立");
    assert_eq!(find(&ps, "列席：").text(), "列席：市财政局、市应急管理局");
}

#[test]
fn docx_font_substitution() {
    let opts = RenderOptions {
        fonts: FontMap::parse("仿宋_GB2312=FandolFang,方正小标宋简体=Noto Serif CJK SC").unwrap(),
        ..RenderOptions::default()
    };
    let d = docx_of(&skeleton("通知"), &opts);
    let ps = paragraphs(&part(&d, "word/document.xml"));
    let body = run_with(find(&ps, "现将有关事项"), "现将");
    assert_eq!(body.east_asia.as_deref(), Some("FandolFang"));
    assert_eq!(body.ascii.as_deref(), Some("FandolFang"));
    let title = run_with(find(&ps, "大检查的通知"), "通知");
    assert_eq!(title.east_asia.as_deref(), Some("Noto Serif CJK SC"));
    // styles.xml default fonts follow the substitution too.
    assert!(part(&d, "word/styles.xml").contains("FandolFang"));
}

#[test]
fn docx_bracket_normalised_and_text_escaped() {
    let src = "---\n发文机关: 青山市<测试>局\n发文字号: 青测发[2026]3号\n标题: 关于<script>alert(1)</script>的通知\n成文日期: 2026年1月5日\n---\nA & B < C\n";
    let d = docx_of(src, &RenderOptions::default());
    let ps = paragraphs(&part(&d, "word/document.xml"));
    assert_eq!(find(&ps, "青测发").text(), "青测发〔2026〕3号");
    assert_eq!(find(&ps, "A & B").text(), "A & B < C");
    assert_eq!(
        find(&ps, "alert").text(),
        "关于<script>alert(1)</script>的通知"
    );
}

#[test]
fn every_builtin_template_parses_cleanly_and_renders() {
    for b in BUILTIN_DRAFTS {
        let (doc, warnings) = parse_draft(b.source).unwrap_or_else(|e| panic!("{}: {e}", b.name));
        assert!(warnings.is_empty(), "{}: {warnings:?}", b.name);
        assert!(doc.header.title.is_some(), "{} has no title", b.name);
        let d = render_docx(&doc, &RenderOptions::default()).unwrap();
        let ps = paragraphs(&part(&d, "word/document.xml"));
        let title = doc.header.title.as_deref().unwrap();
        assert!(
            ps.iter().any(|p| p.text() == title),
            "{}: title missing",
            b.name
        );
        let html = render_html(&doc, &Templates::builtin(), &RenderOptions::default()).unwrap();
        assert!(
            html.contains(&format!("<title>{title}</title>")),
            "{}",
            b.name
        );
    }
}

#[test]
fn speech_puts_speaker_and_date_under_the_title() {
    let d = docx_of(&skeleton("讲话稿"), &RenderOptions::default());
    let ps = paragraphs(&part(&d, "word/document.xml"));
    let texts: Vec<String> = ps.iter().map(P::text).filter(|t| !t.is_empty()).collect();
    assert_eq!(texts[0], "在全市冬季安全生产工作会议上的讲话");
    assert_eq!(texts[1], "青山市副市长　刘芳");
    assert_eq!(texts[2], "2026年11月30日");
    assert_eq!(
        run_with(
            &ps[1..]
                .iter()
                .find(|p| p.text() == texts[1])
                .unwrap()
                .clone(),
            "刘芳"
        )
        .east_asia
        .as_deref(),
        Some("楷体_GB2312")
    );
    assert_eq!(texts[3], "同志们：");
    // Not repeated at the end.
    assert_eq!(texts.iter().filter(|t| t.contains("刘芳")).count(), 1);
}

// ------------------------------------------------------------------- HTML

#[test]
fn html_escapes_user_text_and_sets_the_page() {
    let src = "---\n发文机关: 青山市<b>局\n发文字号: 青测发〔2026〕3号\n标题: 关于<script>alert(1)</script>的通知\n主送机关: 各部门\n成文日期: 2026年1月5日\n---\n正文 <img src=x onerror=alert(2)> & 更多\n";
    let (doc, _) = parse_draft(src).unwrap();
    let html = render_html(&doc, &Templates::builtin(), &RenderOptions::default()).unwrap();
    assert!(!html.contains("<script>alert"), "unescaped script");
    assert!(!html.contains("<img"), "unescaped img");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("青山市&lt;b&gt;局文件"));
    assert!(html.contains("@page { size: A4; margin: 37mm 26mm 35mm 28mm; }"));
    assert!(html.contains("counter(page)"));
    assert!(html.contains("\"方正小标宋简体\", \"FZXiaoBiaoSong-B05S\""));
    assert!(html.contains("Noto Serif CJK SC"));
    assert!(html.contains("青测发〔2026〕3号"));
    assert!(html.contains("color:#FF0000"));
}

/// The preview agrees with the .docx: 版记 indents as padding so the rules
/// span the 版心 (§7.4.1), the 印发日期 and 签发人 one character from the
/// right edge (§7.4.3, §7.2.6), the mark's distance from the top (§7.2.4,
/// §10.1), and the last 正文 lines kept with the 署名 (§7.3.5).
#[test]
fn html_imprint_rules_mark_and_keeps_match_the_docx() {
    let html = |name: &str| {
        let (doc, _) = parse_draft(&skeleton(name)).unwrap();
        render_html(&doc, &Templates::builtin(), &RenderOptions::default()).unwrap()
    };
    let style = |html: &str, class: &str| -> String {
        let i = html
            .find(&format!(r#"<p class="{class}""#))
            .unwrap_or_else(|| panic!("no <p class={class:?}>"));
        let s = &html[i..];
        let s = &s[s.find("style=\"").unwrap() + 7..];
        s[..s.find('"').unwrap()].to_string()
    };
    let n = html("通知");
    let cc = style(&n, "cc imprint");
    assert!(cc.contains("padding-left:56.00pt;"), "{cc}");
    assert!(cc.contains("padding-right:14.00pt;"), "{cc}");
    assert!(!cc.contains("margin-left"), "{cc}");
    assert!(cc.contains("border-top:1.00pt solid #000000;"), "{cc}");
    assert!(cc.contains("break-after:avoid;"), "{cc}");
    let printed = style(&n, "printed imprint");
    assert!(printed.contains("padding-right:14.00pt;"), "{printed}");
    assert!(printed.contains("border-top:0.75pt solid"), "{printed}");
    assert!(printed.contains("border-bottom:1.00pt solid"), "{printed}");
    assert!(style(&n, "signature").contains("break-after:avoid;"));
    // 1984 − 3 × 579 = 247 twips = 12.35 pt.
    assert!(style(&n, "issuer-mark").contains("margin-top:12.35pt;"));
    // 请示: 签发人 ends 一字 (316 twips = 15.80 pt) before the right edge.
    let q = html("请示");
    assert!(
        q.contains(r#"letter-spacing:-0.25pt;margin-right:15.80pt;">李明远"#),
        "{q}"
    );
    assert!(style(&q, "doc-number").contains("text-indent:15.80pt;"));
    // 信函: 30 mm from the page's top edge = 7 mm (19.85 pt) above the 版心.
    assert!(style(&html("函"), "issuer-mark").contains("margin-top:-19.85pt;"));
}

#[test]
fn html_layout_override_from_dir() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("通知.html"),
        "{% extends \"page.html\" %}{% block body %}<main>{{ title }}|{{ items | length }}</main>{% endblock body %}",
    )
    .unwrap();
    let t = Templates::with_dir(dir.path()).unwrap();
    let (doc, _) = parse_draft(&skeleton("通知")).unwrap();
    let html = render_html(&doc, &t, &RenderOptions::default()).unwrap();
    assert!(
        html.contains("<main>青山市人民政府办公室关于开展2026年冬季安全生产大检查的通知|"),
        "{html}"
    );
    assert!(html.contains("@page"), "base styles kept");
    // An explicit --template that does not exist is an error naming it.
    let opts = RenderOptions {
        template: Some("nope".into()),
        ..RenderOptions::default()
    };
    let e = render_html(&doc, &t, &opts).unwrap_err().to_string();
    assert!(e.contains("nope.html"), "{e}");
}

// -------------------------------------------------------------------- CLI

#[test]
fn cli_new_templates_and_draft() {
    let out = Command::new(gongwen_bin())
        .args(["templates"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let list = String::from_utf8(out.stdout).unwrap();
    for name in [
        "通知",
        "请示",
        "报告",
        "函",
        "纪要",
        "通报",
        "意见",
        "决定",
        "批复",
        "公告",
        "通告",
        "讲话稿",
        "工作总结",
    ] {
        assert!(
            list.lines().any(|l| l.contains(&format!(" {name}\t"))),
            "{name} not listed:\n{list}"
        );
    }

    let out = Command::new(gongwen_bin())
        .args(["new", "通知"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let sk = String::from_utf8(out.stdout).unwrap();
    let (doc, warnings) = parse_draft(&sk).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let h = &doc.header;
    for (k, present) in [
        ("份号", h.copy_number.is_some()),
        ("密级", h.classification.is_some()),
        ("紧急程度", h.urgency.is_some()),
        ("发文字号", h.doc_number.is_some()),
        ("主送机关", !h.recipients.is_empty()),
        ("附件", !h.attachments.is_empty()),
        ("附注", h.note.is_some()),
        ("抄送机关", !h.cc.is_empty()),
        ("印发机关", h.printed_by.is_some()),
    ] {
        assert!(present, "skeleton lacks {k}");
    }

    let out = Command::new(gongwen_bin())
        .args(["new", "不存在"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不存在"));

    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("a.md");
    std::fs::write(&md, &sk).unwrap();
    let docx = dir.path().join("a.docx");
    let draft = |extra: &[&str]| {
        let out = Command::new(gongwen_bin())
            .args(["draft", md.to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    draft(&["-o", docx.to_str().unwrap()]);
    assert_eq!(&std::fs::read(&docx).unwrap()[..2], b"PK");
    // Without -o: the draft's name with .docx, beside it.
    std::fs::remove_file(&docx).unwrap();
    draft(&[]);
    assert_eq!(&std::fs::read(&docx).unwrap()[..2], b"PK");
    let html = dir.path().join("a.html");
    draft(&["-o", html.to_str().unwrap(), "--fonts", "仿宋=FandolFang"]);
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .contains("\"FandolFang\", \"仿宋_GB2312\"")
    );

    let out = Command::new(gongwen_bin())
        .args([
            "draft",
            md.to_str().unwrap(),
            "-o",
            dir.path().join("a.pdf").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".docx"));
    let out = Command::new(gongwen_bin())
        .args([
            "draft",
            md.to_str().unwrap(),
            "-o",
            docx.to_str().unwrap(),
            "--fonts",
            "Arial=X",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Arial"));
}

/// `draft` reports findings as `check` does: what the layout writes in
/// standard form is marked 已改正, an impossible date stays an error, the
/// document is still written (a preview) and the exit code is 1.
#[test]
fn draft_reports_what_it_corrected_and_what_is_left() {
    let sk = skeleton("通知");
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, src: &str| {
        let md = dir.path().join(format!("{name}.md"));
        std::fs::write(&md, src).unwrap();
        let out = Command::new(gongwen_bin())
            .args(["draft", md.to_str().unwrap()])
            .output()
            .unwrap();
        let docx = std::fs::read(dir.path().join(format!("{name}.docx"))).unwrap();
        let xml = part(&docx, "word/document.xml");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            xml,
        )
    };
    let number = sk.lines().find(|l| l.starts_with("发文字号:")).unwrap();
    let date = sk.lines().find(|l| l.starts_with("成文日期:")).unwrap();

    let fixable = sk
        .replace(number, "发文字号: 青政办发[2026]12号")
        .replace(date, "成文日期: 2026年01月05日");
    let (code, err, xml) = run("fixable", &fixable);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("已改正[GW-DOCNUM-BRACKET]"), "{err}");
    assert!(err.contains("已改正[GW-DATE-ZERO]"), "{err}");
    assert!(!err.contains("错误["), "{err}");
    assert!(xml.contains("青政办发〔2026〕12号") && xml.contains("2026年1月5日"));

    let impossible = sk.replace(date, "成文日期: 2023年2月30日");
    let (code, err, xml) = run("impossible", &impossible);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("错误[GW-DATE-FORM]"), "{err}");
    assert!(err.contains("2023年2月只有28天"), "{err}");
    assert!(err.contains("仍有 1 个错误"), "{err}");
    assert!(xml.contains("2023年2月30日"));
}

// ---------------------------------------------------------- corpus/drafts

#[test]
fn example_drafts_in_corpus_render() {
    let dir = project_root().join("corpus/drafts");
    for name in ["通知", "请示", "函", "纪要"] {
        let md = dir.join(format!("{name}.md"));
        let src = std::fs::read_to_string(&md).unwrap_or_else(|e| panic!("{}: {e}", md.display()));
        let (doc, _) = parse_draft(&src).unwrap();
        let d = render_docx(&doc, &RenderOptions::default()).unwrap();
        assert!(part(&d, "word/document.xml").contains("w:docGrid"));
        let html = render_html(&doc, &Templates::builtin(), &RenderOptions::default()).unwrap();
        assert!(html.contains(doc.header.title.as_deref().unwrap().trim()));
        let committed = dir.join(format!("{name}.docx"));
        assert!(committed.is_file(), "{} missing", committed.display());
    }
}

// ------------------------------------------------------------ LibreOffice

fn which(cmd: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(cmd))
            .find(|c| c.is_file())
    })
}

/// Positions of `needles` in `text`, each searched after the previous one;
/// panics naming the first that is missing or out of order.
fn assert_in_order(label: &str, text: &str, needles: &[&str]) {
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut from = 0;
    for n in needles {
        let n: String = n.chars().filter(|c| !c.is_whitespace()).collect();
        match flat[from..].find(&n) {
            Some(i) => from += i + n.len(),
            None => panic!("{label}: {n:?} missing or out of order (after byte {from});\n{flat}"),
        }
    }
}

fn soffice_pdf(docx: &Path, outdir: &Path) -> Option<String> {
    let status = Command::new("soffice")
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(outdir)
        .arg(docx)
        .env("HOME", outdir)
        .output()
        .ok()?;
    assert!(
        status.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let pdf = outdir.join(docx.file_stem()?).with_extension("pdf");
    let out = Command::new("pdftotext").arg(&pdf).arg("-").output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn libreoffice_renders_elements_in_order() {
    if which("soffice").is_none() || which("pdftotext").is_none() {
        eprintln!(
            "skipped: soffice or pdftotext not installed (apt-get install libreoffice-writer-nogui poppler-utils)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for b in BUILTIN_DRAFTS {
        let (doc, _) = parse_draft(b.source).unwrap();
        let bytes = render_docx(&doc, &RenderOptions::default()).unwrap();
        let path = dir.path().join(format!("t{}.docx", fastrand::u32(..)));
        std::fs::write(&path, bytes).unwrap();
        let text = soffice_pdf(&path, dir.path()).expect("pdf text");
        let h = &doc.header;
        let mut order: Vec<String> = Vec::new();
        match h.format {
            gongwen::draft::Format::Minutes => {
                order.extend(h.issuer_mark.clone());
            }
            _ => order.extend(h.effective_issuer_mark()),
        }
        order.extend(h.doc_number.clone());
        order.extend(h.title.clone());
        order.extend(h.recipients.first().cloned());
        // 讲话稿: speaker and date under the title, not after the body.
        let speech = h.doc_type.as_deref() == Some("讲话稿");
        if speech {
            order.extend(h.effective_signature().first().cloned());
            order.extend(h.date.clone());
        }
        if let Some(gongwen::draft::Block::Paragraph(p)) = doc
            .body
            .iter()
            .find(|b| matches!(b, gongwen::draft::Block::Paragraph(_)))
        {
            let t = gongwen::draft::model::plain_text(p);
            order.push(t.chars().take(8).collect());
        }
        if h.format != gongwen::draft::Format::Minutes && !speech {
            order.extend(h.effective_signature().first().cloned());
            order.extend(h.date.clone());
        }
        order.extend(h.cc.first().cloned());
        if h.format != gongwen::draft::Format::Letter {
            order.extend(h.printed_by.as_ref().map(|_| "印发".to_string()));
        }
        let refs: Vec<&str> = order.iter().map(String::as_str).collect();
        assert_in_order(b.name, &text, &refs);
        // Page numbers are printed with em dashes.
        if h.format != gongwen::draft::Format::Letter {
            let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                flat.contains("—1—"),
                "{}: no page number in\n{text}",
                b.name
            );
        }
    }
}

/// Words of a PDF with their boxes in mm from the page's top-left corner:
/// (page index, text, x_min, y_min, x_max).
fn pdf_words_mm(pdf: &Path) -> Vec<(usize, String, f64, f64, f64)> {
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let mm = |pt: &str| pt.parse::<f64>().unwrap() * 25.4 / 72.0;
    let mut page = 0;
    let mut words = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        }
        let Some(rest) = line.strip_prefix("<word ") else {
            continue;
        };
        let attr = |k: &str| {
            let i = rest.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
            mm(&rest[i..i + rest[i..].find('"').unwrap()])
        };
        let word = rest[rest.find('>').unwrap() + 1..rest.rfind("</word>").unwrap()].to_string();
        words.push((page, word, attr("xMin"), attr("yMin"), attr("xMax")));
    }
    words
}

/// Measured in LibreOffice's rendering (when installed): the 发文机关标志's
/// top edge 35 mm under the 版心 (37 + 35 = 72 mm from the page top,
/// §7.2.4), the 签发人 and the 印发日期 ending 一字 short of the 版心's
/// right edge (28 + 156 = 184 mm; §7.2.6 3号 5.6 mm → 178.4 mm, §7.4.3 4号
/// 4.9 mm → 179.1 mm), the 信函 mark 30 mm from the page top (§10.1).
#[test]
fn libreoffice_places_mark_and_right_edges_to_the_millimetre() {
    if which("soffice").is_none() || which("pdftotext").is_none() {
        eprintln!("skipped: soffice or pdftotext not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let words = |name: &str| {
        let path = dir.path().join(format!("m{}.docx", fastrand::u32(..)));
        std::fs::write(&path, docx_of(&skeleton(name), &RenderOptions::default())).unwrap();
        soffice_pdf(&path, dir.path()).expect("pdf");
        pdf_words_mm(&path.with_extension("pdf"))
    };
    let near = |what: &str, got: f64, want: f64| {
        assert!(
            (got - want).abs() <= 1.0,
            "{what}: {got:.1} mm, want {want:.1} ± 1"
        );
    };
    let q = words("请示");
    let w = |ws: &[(usize, String, f64, f64, f64)], needle: &str| {
        ws.iter()
            .find(|w| w.1.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} not in {ws:?}"))
            .clone()
    };
    near("请示 mark top", w(&q, "青山市财政局文件").3, 72.0);
    near("签发人 right edge", w(&q, "签发人").4, 184.0 - 5.6);
    let printed = q.iter().rev().find(|w| w.1.ends_with("印发")).unwrap();
    near("印发日期 right edge", printed.4, 184.0 - 4.9);
    let n = words("通知");
    near("通知 mark top", w(&n, "办公室文件").3, 72.0);
    let h = words("函");
    near("信函 mark top", w(&h, "青山市教育局").3, 30.0);
}

/// A draft that writes its 成文日期 `2024-1-5` and its 发文字号 with `[ ]`
/// gets both in standard form in the .docx (§7.3.5.3 年月日 with Arabic
/// numerals, §7.2.5 六角括号), not one fixed and the other left as typed.
#[test]
fn docx_writes_date_and_doc_number_in_standard_form() {
    let src = skeleton("通知");
    let (doc, _) = parse_draft(&src).unwrap();
    let number = doc.header.doc_number.clone().unwrap();
    let date = doc.header.date.clone().unwrap();
    let bracketed = number.replace('〔', "[").replace('〕', "]");
    let src = src.replace(&number, &bracketed).replace(&date, "2024-1-5");
    let xml = part(
        &docx_of(&src, &RenderOptions::default()),
        "word/document.xml",
    );
    let text: String = paragraphs(&xml).iter().map(|p| p.text()).collect();
    assert!(text.contains("2024年1月5日"), "{text}");
    assert!(!text.contains("2024-1-5"));
    assert!(text.contains(&number), "{text}");
    assert!(!text.contains(&bracketed));
}

#[test]
fn draft_refuses_an_unknown_output_name_before_checking() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("稿.md");
    std::fs::write(
        &src,
        "---\n发文机关: 某某市人民政府办公室\n发文字号: 某政办发[2026]1号\n成文日期: 2026年13月5日\n标题: 关于做好防汛工作的通知\n---\n\n正文。\n",
    )
    .unwrap();
    let o = Command::new(gongwen_bin())
        .current_dir(t.path())
        .args(["draft", "稿.md", "-o", "稿.pdf"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("unsupported output `稿.pdf`"), "{err}");
    assert!(
        !err.contains("GW-"),
        "no findings before the argument error: {err}"
    );
    assert!(!t.path().join("稿.pdf").exists());
}

/// Every built-in skeleton checks clean: a clerk who starts from
/// `gongwen new 文种` gets no finding (not even a warning) before writing a
/// word. 公告 and 通告 lacked the 版记's 印发机关/印发日期; 通知 said
/// 此件公开发布 under a 密级.
#[test]
fn every_builtin_skeleton_checks_clean() {
    for b in BUILTIN_DRAFTS {
        let src = skeleton(b.name);
        let (doc, warnings) = parse_draft(&src).unwrap();
        assert!(warnings.is_empty(), "{}: {warnings:?}", b.name);
        let found = gongwen::draft::check::check(&doc, &src);
        assert!(found.is_empty(), "{}: {found:#?}", b.name);
    }
}

/// What gongwen drafts, it finds again: every built-in skeleton rendered to
/// .docx and indexed beside its Markdown is catalogued with the same title,
/// 发文字号, 文种 and 成文日期 from the layout alone (the Markdown's come from
/// its front matter), and the same issuer except where the layout names
/// another organ (纪要: the organ of the 纪要标志; 讲话稿: a speech has a
/// speaker, no issuer).
#[test]
fn every_builtin_draft_is_catalogued_like_its_docx() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("drafts");
    std::fs::create_dir_all(&dir).unwrap();
    for b in BUILTIN_DRAFTS {
        let md = dir.join(format!("{}.md", b.name));
        std::fs::write(&md, skeleton(b.name)).unwrap();
        let (doc, _) = parse_draft(&skeleton(b.name)).unwrap();
        let docx = render_docx(&doc, &RenderOptions::default()).unwrap();
        std::fs::write(md.with_extension("docx"), docx).unwrap();
    }
    crate::reindex::ok(t.path(), &["index", "drafts"]);
    let out = crate::reindex::ok(t.path(), &["catalog", "--format", "json"]);
    let mut rows: std::collections::BTreeMap<String, [Option<serde_json::Value>; 2]> =
        Default::default();
    for l in out.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let p = v["path"].as_str().unwrap().to_string();
        let (stem, ext) = p.rsplit_once('.').unwrap();
        let slot = usize::from(ext == "docx");
        rows.entry(stem.to_string()).or_default()[slot] = Some(v);
    }
    assert_eq!(rows.len(), BUILTIN_DRAFTS.len(), "{out}");
    for (stem, [md, docx]) in &rows {
        let (md, docx) = (md.as_ref().unwrap(), docx.as_ref().unwrap());
        for key in ["title", "doc_number", "doc_type", "date"] {
            assert_eq!(md[key], docx[key], "{stem}: {key}");
        }
        if !stem.ends_with("纪要") && !stem.ends_with("讲话稿") {
            assert_eq!(md["issuer"], docx["issuer"], "{stem}: issuer");
        }
    }
}
