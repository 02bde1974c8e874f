//! OFD documents (GB/T 33190-2016, the Chinese fixed-layout format used for
//! official documents and e-invoices) read with the zip crate and quick-xml.
//!
//! The package is walked as the standard lays it out: `OFD.xml` →
//! `DocBody/DocRoot` (e.g. `Doc_0/Document.xml`, §7.4) → `Pages/Page/@BaseLoc`
//! (§7.6) → the page's `Content/Layer` objects (§7.7), and for each page its
//! `Template/@TemplateID` → `CommonData/TemplatePage/@BaseLoc` of the
//! document (§7.5). Elements are matched on their local names, so the
//! namespace prefix may be `ofd:`, anything else, or absent; nested
//! `PageBlock`s are walked; CDATA and entities in text are read. `BaseLoc`
//! is relative to the folder of the referring file, or absolute with a
//! leading `/`; member names are matched exactly, then case-insensitively.
//!
//! Text: every `TextObject/TextCode` (§11.2–11.3) is a run placed at
//! `Boundary.x + X`, `Boundary.y + Y` (mm, y downward; `CTM` applied when
//! present), its width the sum of `DeltaX` (with the `g N v` shorthand,
//! §11.3 table 63) plus one glyph. Runs of a page and its templates are
//! grouped into lines by baseline (within a third of the font size), lines
//! ordered top to bottom and runs left to right (a space where runs are more
//! than 1.5 em apart; text drawn twice a hair apart, as writers fake bold,
//! is kept once). A line that reaches the right edge of the page's text
//! block is joined with the next one when that starts at the left edge
//! within two line heights: the lines of one justified paragraph become one
//! line, so phrases broken by the layout are still found. Pages are
//! separated by a newline.
//!
//! Title: `DocInfo/Title` of `OFD.xml` when non-empty (§7.5 table 5), else
//! the first line.
//!
//! ```
//! use std::io::Write;
//! use gongwen::archive::extract::{extract_bytes, Format, Limits};
//! let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
//! let opt = zip::write::SimpleFileOptions::default();
//! zip.start_file("Doc_0/Document.xml", opt).unwrap();
//! zip.write_all(br#"<Document><Pages><Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></Pages></Document>"#).unwrap();
//! zip.start_file("Doc_0/Pages/Page_0/Content.xml", opt).unwrap();
//! zip.write_all(r#"<Page><Content><Layer>
//!   <TextObject Boundary="30 50 150 10" Size="5.6"><TextCode X="0" Y="5" DeltaX="g 3 5.6">关于通知</TextCode></TextObject>
//!   <TextObject Boundary="30 40 150 10" Size="7.7"><TextCode X="20" Y="5">标题</TextCode></TextObject>
//! </Layer></Content></Page>"#.as_bytes()).unwrap();
//! zip.start_file("OFD.xml", opt).unwrap();
//! zip.write_all(br#"<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>"#).unwrap();
//! let bytes = zip.finish().unwrap().into_inner();
//! let got = extract_bytes(&bytes, Format::Ofd, &Limits::default())?;
//! assert_eq!(got.text, "标题\n关于通知\n");
//! assert_eq!(got.title.as_deref(), Some("标题"));
//! # Ok::<(), gongwen::archive::extract::ExtractError>(())
//! ```

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::ooxml::{Package, attr, bad_xml, dir_of, join_path, resolve_ref};
use super::{ExtractError, Extracted, Format, Limits, Quality, clean_title, first_line_title};

const FORMAT: &str = "ofd";
/// Font size (mm) assumed when a `TextObject` has none.
const DEFAULT_SIZE_MM: f64 = 3.5;

/// One positioned piece of text: a `TextCode`.
#[derive(Debug, Clone, PartialEq)]
struct Run {
    /// Left edge, mm from the page's left.
    x: f64,
    /// Baseline, mm from the page's top.
    y: f64,
    /// Right edge, mm.
    end: f64,
    /// Font size, mm.
    size: f64,
    text: String,
}

/// One document of the package: where its pages and templates are.
struct DocRefs {
    pages: Vec<String>,
    templates: HashMap<String, String>,
}

/// Extract an .ofd held in memory.
pub(super) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut pkg = Package::open(bytes, FORMAT, limits)?;
    let entry = "OFD.xml";
    let xml = pkg.read(entry)?.ok_or_else(|| ExtractError::Invalid {
        format: FORMAT,
        reason: "缺少 OFD.xml / no OFD.xml (not an OFD file?)".into(),
    })?;
    let (roots, doc_title) = entry_file(&xml)?;
    if roots.is_empty() {
        return Err(ExtractError::Invalid {
            format: FORMAT,
            reason: "OFD.xml 没有 DocRoot / OFD.xml has no DocBody/DocRoot".into(),
        });
    }
    let mut text = String::new();
    let mut pages = 0u32;
    for root in roots {
        let root = join_path("", &root);
        let Some(doc_xml) = pkg.read(&root)? else {
            return Err(ExtractError::Invalid {
                format: FORMAT,
                reason: format!("缺少 {root} / missing DocRoot {root}"),
            });
        };
        let refs = document(&doc_xml, &root)?;
        for page in &refs.pages {
            pages += 1;
            let Some(page_xml) = pkg.read(page)? else {
                continue;
            };
            let (mut runs, templates) = content(&page_xml, page)?;
            for id in templates {
                if let Some(tpl) = refs.templates.get(&id)
                    && let Some(tpl_xml) = pkg.read(tpl)?
                {
                    runs.extend(content(&tpl_xml, tpl)?.0);
                }
            }
            let t = layout(runs);
            if !t.is_empty() {
                text.push_str(&t);
                text.push('\n');
            }
        }
    }
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    let title = doc_title
        .and_then(|t| clean_title(&t))
        .or_else(|| first_line_title(&text));
    let replacement_chars = text.chars().filter(|&c| c == '\u{FFFD}').count();
    Ok(Extracted {
        text,
        title,
        front_matter: None,
        format: Format::Ofd,
        quality: Quality {
            pages: Some(pages),
            replacement_chars,
            ..Quality::default()
        },
    })
}

/// Text content of the element being read, for the few text-valued elements
/// we need (`DocRoot`, `Title`).
fn push_text(ev: &Event<'_>, out: &mut String) {
    match ev {
        Event::Text(t) => out.push_str(&t.xml10_content()),
        Event::CData(t) => out.push_str(&t.xml10_content()),
        Event::GeneralRef(r) => out.extend(resolve_ref(r)),
        _ => {}
    }
}

/// `OFD.xml`: every `DocBody/DocRoot` and the first non-empty
/// `DocInfo/Title`.
fn entry_file(xml: &[u8]) -> Result<(Vec<String>, Option<String>), ExtractError> {
    let mut reader = Reader::from_reader(xml);
    let mut roots = Vec::new();
    let mut title: Option<String> = None;
    let mut current: Option<&str> = None;
    let mut buf = String::new();
    loop {
        let ev = reader.read_event().map_err(|e| bad_xml("OFD.xml", e))?;
        match &ev {
            Event::Start(e) => match e.local_name().as_ref() {
                "DocRoot" => current = Some("DocRoot"),
                "Title" => current = Some("Title"),
                _ => {}
            },
            Event::End(e) => {
                let name = e.local_name();
                if current == Some(name.as_ref()) {
                    let v = buf.trim().to_string();
                    if !v.is_empty() {
                        if current == Some("DocRoot") {
                            roots.push(v);
                        } else if title.is_none() {
                            title = Some(v);
                        }
                    }
                    buf.clear();
                    current = None;
                }
            }
            Event::Eof => break,
            _ if current.is_some() => push_text(&ev, &mut buf),
            _ => {}
        }
    }
    Ok((roots, title))
}

/// `Document.xml` at member path `path`: page and template page locations,
/// resolved to member paths.
fn document(xml: &[u8], path: &str) -> Result<DocRefs, ExtractError> {
    let dir = dir_of(path);
    let mut reader = Reader::from_reader(xml);
    let mut refs = DocRefs {
        pages: Vec::new(),
        templates: HashMap::new(),
    };
    loop {
        match reader.read_event().map_err(|e| bad_xml(path, e))? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "Page" => {
                    if let Some(loc) = attr(&e, "BaseLoc") {
                        refs.pages.push(join_path(dir, &loc));
                    }
                }
                "TemplatePage" => {
                    if let (Some(id), Some(loc)) = (attr(&e, "ID"), attr(&e, "BaseLoc")) {
                        refs.templates.insert(id, join_path(dir, &loc));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(refs)
}

/// Geometry of the `TextObject` being read.
struct TextObj {
    bx: f64,
    by: f64,
    size: f64,
    /// `CTM` a b c d e f, identity when absent.
    ctm: [f64; 6],
    /// Where the previous code ended (object space), for codes without X/Y.
    next_x: f64,
    next_y: f64,
}

/// The `TextCode` being read.
struct Code {
    x: Option<f64>,
    y: Option<f64>,
    /// `DeltaX` expanded: advance after each glyph but the last.
    dx: Vec<f64>,
    text: String,
}

/// A page or template content file: its runs (page coordinates) and the
/// `TemplateID`s it uses.
fn content(xml: &[u8], part: &str) -> Result<(Vec<Run>, Vec<String>), ExtractError> {
    let mut reader = Reader::from_reader(xml);
    let mut runs = Vec::new();
    let mut templates = Vec::new();
    let mut obj: Option<TextObj> = None;
    let mut code: Option<Code> = None;
    loop {
        let ev = reader.read_event().map_err(|e| bad_xml(part, e))?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.local_name().as_ref() {
                    "Template" => templates.extend(attr(e, "TemplateID")),
                    "TextObject" if !empty => obj = Some(text_object(e)),
                    "TextCode" if !empty => {
                        code = Some(Code {
                            x: attr(e, "X").and_then(|v| v.trim().parse().ok()),
                            y: attr(e, "Y").and_then(|v| v.trim().parse().ok()),
                            dx: attr(e, "DeltaX").map(|d| deltas(&d)).unwrap_or_default(),
                            text: String::new(),
                        })
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "TextObject" => obj = None,
                "TextCode" => {
                    if let (Some(c), Some(o)) = (code.take(), obj.as_mut()) {
                        runs.extend(place(o, c));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {
                if let Some(c) = code.as_mut() {
                    push_text(&ev, &mut c.text);
                }
            }
        }
    }
    Ok((runs, templates))
}

fn text_object(e: &BytesStart<'_>) -> TextObj {
    let nums = |name: &str| -> Vec<f64> {
        attr(e, name)
            .map(|v| {
                v.split_whitespace()
                    .filter_map(|n| n.parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    let b = nums("Boundary");
    let ctm = nums("CTM");
    let size = attr(e, "Size")
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .unwrap_or(DEFAULT_SIZE_MM);
    TextObj {
        bx: b.first().copied().unwrap_or(0.0),
        by: b.get(1).copied().unwrap_or(0.0),
        size,
        ctm: if ctm.len() == 6 {
            [ctm[0], ctm[1], ctm[2], ctm[3], ctm[4], ctm[5]]
        } else {
            [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        },
        next_x: 0.0,
        next_y: 0.0,
    }
}

/// Glyphs a `DeltaX` list may describe; longer lists are cut (hostile
/// `g N v` counts).
const MAX_DELTAS: usize = 100_000;

/// A `DeltaX`/`DeltaY` list, expanding `g N v` (N times v).
fn deltas(s: &str) -> Vec<f64> {
    let mut it = s.split_whitespace();
    let mut out = Vec::new();
    while let Some(tok) = it.next() {
        if out.len() >= MAX_DELTAS {
            break;
        }
        if tok == "g" {
            let n: usize = it.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            let v: f64 = it.next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
            let n = n.min(MAX_DELTAS - out.len());
            out.extend(std::iter::repeat_n(v, n));
        } else if let Ok(v) = tok.parse::<f64>() {
            out.push(v);
        }
    }
    out
}

/// Advance of a glyph without a `DeltaX` entry: half an em for ASCII, an
/// em otherwise.
fn glyph_width(c: char, size: f64) -> f64 {
    if c.is_ascii() { 0.5 * size } else { size }
}

/// The run of code `c` in object `o`, in page coordinates; `None` for
/// blank text.
fn place(o: &mut TextObj, c: Code) -> Option<Run> {
    let x = c.x.unwrap_or(o.next_x);
    let y = c.y.unwrap_or(o.next_y);
    let n = c.text.chars().count();
    let width: f64 = c
        .text
        .chars()
        .enumerate()
        .map(|(i, ch)| match c.dx.get(i) {
            Some(&d) if i + 1 < n => d,
            _ => glyph_width(ch, o.size),
        })
        .sum();
    o.next_x = x + width;
    o.next_y = y;
    if c.text.trim().is_empty() {
        return None;
    }
    let [a, b, cc, d, e, f] = o.ctm;
    let scale = (a * a + b * b).sqrt();
    let scale = if scale > 0.0 { scale } else { 1.0 };
    let px = a * x + cc * y + e + o.bx;
    let py = b * x + d * y + f + o.by;
    Some(Run {
        x: px,
        y: py,
        end: px + width * scale,
        size: o.size * scale,
        text: c.text,
    })
}

/// A line being assembled.
struct Line {
    y: f64,
    size: f64,
    runs: Vec<Run>,
}

impl Line {
    fn x0(&self) -> f64 {
        self.runs.iter().map(|r| r.x).fold(f64::INFINITY, f64::min)
    }
    fn x1(&self) -> f64 {
        self.runs
            .iter()
            .map(|r| r.end)
            .fold(f64::NEG_INFINITY, f64::max)
    }
    /// Runs left to right, a space where they are far apart. A run that
    /// repeats the text of a run just before it, shifted by less than a
    /// third of an em, is dropped: writers fake bold by drawing text twice.
    fn text(&mut self) -> String {
        self.runs.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut out = String::new();
        let mut prev_end: Option<f64> = None;
        for (i, r) in self.runs.iter().enumerate() {
            let doubled = self.runs[i.saturating_sub(8)..i].iter().any(|p| {
                p.text == r.text && r.x - p.x < r.size / 3.0 && (r.y - p.y).abs() < r.size / 3.0
            });
            if doubled {
                continue;
            }
            if let Some(end) = prev_end
                && r.x - end > 1.5 * r.size
                && !out.ends_with(' ')
            {
                out.push(' ');
            }
            out.push_str(&r.text);
            prev_end = Some(prev_end.map_or(r.end, |e: f64| e.max(r.end)));
        }
        out.trim_end().to_string()
    }
}

/// Runs of one page (with its templates) in reading order, lines joined
/// within justified paragraphs; see the module docs.
fn layout(mut runs: Vec<Run>) -> String {
    if runs.is_empty() {
        return String::new();
    }
    runs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Line> = Vec::new();
    for r in runs {
        match lines.last_mut() {
            Some(l) if (r.y - l.y).abs() <= (l.size.max(r.size) / 3.0).max(0.3) => {
                l.size = l.size.max(r.size);
                l.runs.push(r);
            }
            _ => lines.push(Line {
                y: r.y,
                size: r.size,
                runs: vec![r],
            }),
        }
    }
    let left = lines.iter().map(Line::x0).fold(f64::INFINITY, f64::min);
    let right = lines.iter().map(Line::x1).fold(f64::NEG_INFINITY, f64::max);
    let mut out = String::new();
    for i in 0..lines.len() {
        let joins_next = lines.get(i + 1).is_some_and(|next| {
            let cur = &lines[i];
            let em = cur.size;
            cur.x1() >= right - (1.2 * em).min(6.0)
                && next.x0() <= left + 0.5 * em
                && next.y - cur.y <= 2.2 * em
                && (next.size - em).abs() <= 0.2 * em
        });
        let t = lines[i].text();
        out.push_str(&t);
        if joins_next {
            if t.ends_with(|c: char| c.is_ascii_alphanumeric()) {
                out.push(' ');
            }
        } else {
            out.push('\n');
        }
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(x: f64, y: f64, n: usize, text: &str) -> Run {
        Run {
            x,
            y,
            end: x + n as f64 * 5.0,
            size: 5.0,
            text: text.into(),
        }
    }

    #[test]
    fn delta_shorthand() {
        assert_eq!(deltas("g 3 2 1.5"), [2.0, 2.0, 2.0, 1.5]);
        assert_eq!(deltas("1 2 g 2 0.5"), [1.0, 2.0, 0.5, 0.5]);
        assert!(deltas("").is_empty());
        assert_eq!(deltas("g 999999999999 1").len(), MAX_DELTAS);
    }

    #[test]
    fn lines_by_baseline_and_paragraph_join() {
        let runs = vec![
            run(30.0, 100.0, 26, "末行"),
            run(40.0, 90.0, 28, "段首缩进"),
            run(30.0, 80.0, 4, "主送："),
            run(60.0, 50.0, 4, "右"),
            run(30.0, 50.3, 4, "左"),
        ];
        assert_eq!(layout(runs), "左 右\n主送：\n段首缩进末行");
        // Fake bold: each glyph drawn twice, 0.2 mm apart.
        let runs = vec![
            run(30.0, 50.0, 1, "建"),
            run(30.2, 50.0, 1, "建"),
            run(35.0, 50.0, 1, "建"),
            run(35.2, 50.0, 1, "建"),
            run(40.0, 50.0, 1, "筑"),
            run(40.2, 50.1, 1, "筑"),
        ];
        assert_eq!(layout(runs), "建建筑");
    }

    #[test]
    fn content_with_ctm_prefix_and_cdata() {
        let xml = r#"<x:Page xmlns:x="u"><x:Template TemplateID="7"/><x:Content><x:Layer><x:PageBlock>
            <x:TextObject Boundary="10 20 50 10" Size="4" CTM="2 0 0 2 1 1"><x:TextCode X="1" Y="3"><![CDATA[甲&乙]]></x:TextCode>
            <x:TextCode>&amp;丙</x:TextCode></x:TextObject></x:PageBlock></x:Layer></x:Content></x:Page>"#;
        let (runs, tpl) = content(xml.as_bytes(), "p").unwrap();
        assert_eq!(tpl, ["7"]);
        assert_eq!(runs.len(), 2);
        assert_eq!((runs[0].x, runs[0].y, runs[0].size), (13.0, 27.0, 8.0));
        assert_eq!(runs[0].text, "甲&乙");
        assert_eq!(runs[1].text, "&丙");
        assert_eq!(layout(runs), "甲&乙&丙");
    }
}
