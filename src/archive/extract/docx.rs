//! Word documents (.docx, ECMA-376 WordprocessingML) read with the zip crate
//! and quick-xml, no docx library.
//!
//! Parts read: the main document (`word/document.xml`, or the
//! `officeDocument` target of `_rels/.rels`), then headers, footers,
//! footnotes and endnotes, each appended after the body. In a part every
//! `w:p` becomes one line, `w:t` is text, `w:tab` a tab, `w:br`/`w:cr` a
//! newline; in tables cells are separated by tabs and rows by newlines
//! (paragraphs inside a cell by a space). `mc:Fallback` copies of text boxes
//! are skipped so their text is not doubled. Title: `dc:title` of
//! `docProps/core.xml` if non-empty, else the first non-empty paragraph.
//!
//! Every member is read through [`Read::take`] with
//! [`Limits::max_zip_member_bytes`], and the declared size is checked first,
//! so a zip bomb fails fast with [`ExtractError::TooLarge`].
//!
//! ```
//! use std::io::Write;
//! use gongwen::archive::extract::{extract_bytes, Format, Limits};
//! let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
//! zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
//! zip.write_all(r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>关于</w:t></w:r><w:r><w:t xml:space="preserve">通知 &amp; </w:t><w:tab/><w:t>附件</w:t></w:r></w:p></w:body></w:document>"#.as_bytes()).unwrap();
//! let bytes = zip.finish().unwrap().into_inner();
//! let got = extract_bytes(&bytes, Format::Docx, &Limits::default())?;
//! assert_eq!(got.text, "关于通知 & \t附件\n");
//! assert_eq!(got.title.as_deref(), Some("关于通知 & 附件"));
//! # Ok::<(), gongwen::archive::extract::ExtractError>(())
//! ```

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;
use zip::ZipArchive;
use zip::result::ZipError;

use super::ooxml::resolve_ref;
use super::{ExtractError, Extracted, Format, Limits, Quality, clean_title, first_line_title};

const FORMAT: &str = "docx";
const MAIN_PART: &str = "word/document.xml";
/// Initial buffer for a member; the declared size may lie, so grow from here.
const INITIAL_MEMBER_CAPACITY: u64 = 16 << 20;

type Zip<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// Extract a .docx held in memory.
pub(super) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(bad_zip)?;
    if zip.len() > limits.max_zip_members {
        return Err(ExtractError::TooLarge(format!(
            "{} 个 zip 成员 / zip members > max_zip_members {}",
            zip.len(),
            limits.max_zip_members
        )));
    }
    let names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();

    let main = if names.iter().any(|n| n == MAIN_PART) {
        MAIN_PART.to_string()
    } else {
        main_part_from_rels(&mut zip, limits)?.ok_or_else(|| ExtractError::Invalid {
            format: FORMAT,
            reason: format!("缺少 {MAIN_PART} / no {MAIN_PART} (not a Word document?)"),
        })?
    };
    let xml = read_member(&mut zip, &main, limits)?.ok_or_else(|| ExtractError::Invalid {
        format: FORMAT,
        reason: format!("缺少 {main} / missing {main}"),
    })?;
    let mut text = part_text(&xml, &main)?;
    drop(xml);
    let fallback_title = first_line_title(&text);

    let mut extra: Vec<&String> = names
        .iter()
        .filter(|n| {
            let Some(f) = n.strip_prefix("word/") else {
                return false;
            };
            !f.contains('/')
                && f.ends_with(".xml")
                && (f.starts_with("header")
                    || f.starts_with("footer")
                    || f == "footnotes.xml"
                    || f == "endnotes.xml")
        })
        .collect();
    extra.sort_by_key(|n| (part_rank(n), n.len(), n.as_str()));
    // Headers and footers: once each (odd, even and first pages often
    // repeat one), without page numbers.
    let mut margins: Vec<String> = Vec::new();
    for name in extra {
        if let Some(xml) = read_member(&mut zip, name, limits)? {
            let mut t = part_text(&xml, name)?;
            if part_rank(name) <= 1 {
                t = without_page_numbers(&t);
                if margins.contains(&t) {
                    continue;
                }
                margins.push(t.clone());
            }
            if !t.trim().is_empty() {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(&t);
            }
        }
    }
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    let title = match read_member(&mut zip, "docProps/core.xml", limits)? {
        Some(core) => core_title(&core).and_then(|t| clean_title(&t)),
        None => None,
    }
    .or(fallback_title);
    let replacement_chars = text.chars().filter(|&c| c == '\u{FFFD}').count();
    Ok(Extracted {
        text,
        title,
        front_matter: None,
        format: Format::Docx,
        quality: Quality {
            replacement_chars,
            ..Quality::default()
        },
    })
}

/// A header's or footer's text without the lines that only number the page
/// (`— 1 —`, `- 2 -`, `第 1 页 共 3 页`, `1/3`, `Page 2 of 5`): what a PAGE
/// field showed when the file was saved, not text of the document.
fn without_page_numbers(text: &str) -> String {
    let is_page_number = |line: &str| {
        let l = line.to_lowercase().replace("page", "").replace("of", "");
        l.chars().any(|c| c.is_ascii_digit())
            && l.chars()
                .all(|c| c.is_ascii_digit() || c.is_whitespace() || "—–-－‒―·/第页共".contains(c))
    };
    let mut out = String::with_capacity(text.len());
    for line in text.lines().filter(|l| !is_page_number(l)) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Order of the extra parts: headers, footers, footnotes, endnotes.
fn part_rank(name: &str) -> u8 {
    match name {
        n if n.starts_with("word/header") => 0,
        n if n.starts_with("word/footer") => 1,
        "word/footnotes.xml" => 2,
        _ => 3,
    }
}

fn bad_zip(e: ZipError) -> ExtractError {
    ExtractError::BadZip {
        format: FORMAT,
        reason: e.to_string(),
    }
}

/// Read member `name` whole, capped by [`Limits::max_zip_member_bytes`].
/// `Ok(None)` if there is no such member.
fn read_member(
    zip: &mut Zip<'_>,
    name: &str,
    limits: &Limits,
) -> Result<Option<Vec<u8>>, ExtractError> {
    let cap = limits.max_zip_member_bytes;
    let member = match zip.by_name(name) {
        Ok(f) => f,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(bad_zip(e)),
    };
    let too_large = |size: String| {
        ExtractError::TooLarge(format!(
            "{name} 解压后 {size} 字节 / uncompressed {size} bytes > max_zip_member_bytes {cap}"
        ))
    };
    if member.size() > cap {
        return Err(too_large(member.size().to_string()));
    }
    let mut buf = Vec::with_capacity(member.size().min(cap).min(INITIAL_MEMBER_CAPACITY) as usize);
    member
        .take(cap.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| ExtractError::BadZip {
            format: FORMAT,
            reason: format!("{name}: {e}"),
        })?;
    if buf.len() as u64 > cap {
        return Err(too_large(format!("> {cap}")));
    }
    Ok(Some(buf))
}

/// The main part named by `_rels/.rels` (relationship type ending in
/// `/officeDocument`, ECMA-376 Part 2 §9.3), without a leading `/`.
fn main_part_from_rels(zip: &mut Zip<'_>, limits: &Limits) -> Result<Option<String>, ExtractError> {
    let Some(rels) = read_member(zip, "_rels/.rels", limits)? else {
        return Ok(None);
    };
    let mut reader = Reader::from_reader(&rels[..]);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let (mut ty, mut target) = (None, None);
                for a in e.attributes().flatten() {
                    match a.key.as_ref() {
                        "Type" => ty = Some(a.value.into_owned()),
                        "Target" => target = Some(a.value.into_owned()),
                        _ => {}
                    }
                }
                if let (Some(ty), Some(target)) = (ty, target)
                    && ty.ends_with("/officeDocument")
                {
                    return Ok(Some(target.trim_start_matches('/').to_string()));
                }
            }
            Ok(Event::Eof) => return Ok(None),
            Ok(_) => {}
            Err(e) => return Err(bad_xml("_rels/.rels", e)),
        }
    }
}

fn bad_xml(part: &str, e: impl std::fmt::Display) -> ExtractError {
    ExtractError::BadXml {
        part: part.to_string(),
        reason: e.to_string(),
    }
}

/// Non-empty `dc:title` text of `docProps/core.xml` (a malformed core.xml
/// just yields no title).
fn core_title(xml: &[u8]) -> Option<String> {
    let mut reader = Reader::from_reader(xml);
    let mut inside = false;
    let mut title = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "title" => inside = true,
            Event::End(e) if e.local_name().as_ref() == "title" => break,
            Event::Text(t) if inside => title.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if inside => {
                if let Some(c) = resolve_ref(&r) {
                    title.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let t = title.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Text of one WordprocessingML part (document, header, footer, notes).
fn part_text(xml: &[u8], part: &str) -> Result<String, ExtractError> {
    let mut reader = Reader::from_reader(xml);
    let mut out = String::with_capacity(xml.len() / 8);
    let mut in_t = false;
    let mut run_depth = 0usize;
    // Byte offset in `out` where each open table cell began.
    let mut cells: Vec<usize> = Vec::new();
    let mut skip_depth = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| bad_xml(part, e))?;
        match event {
            Event::Start(e) => {
                if skip_depth > 0 {
                    skip_depth += 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    "Fallback" => skip_depth = 1,
                    "t" => in_t = true,
                    "r" => run_depth += 1,
                    "tc" => cells.push(out.len()),
                    "p" => {}
                    other => empty_element(other, run_depth, cells.len(), &mut out),
                }
            }
            Event::Empty(e) if skip_depth == 0 => {
                empty_element(e.local_name().as_ref(), run_depth, cells.len(), &mut out);
            }
            Event::End(e) => {
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    "t" => in_t = false,
                    "r" => run_depth = run_depth.saturating_sub(1),
                    "p" => end_paragraph(cells.len(), &mut out),
                    "tc" => {
                        let start = cells.pop().unwrap_or(0);
                        while out.len() > start && out.ends_with([' ', '\n']) {
                            out.pop();
                        }
                        out.push('\t');
                    }
                    "tr" => {
                        if out.ends_with('\t') {
                            out.pop();
                        }
                        out.push(if cells.is_empty() { '\n' } else { ' ' });
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_t && skip_depth == 0 => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_t && skip_depth == 0 => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_t && skip_depth == 0 => {
                if let Some(c) = resolve_ref(&r) {
                    out.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Effect of a content-less element (or the start of one we do not track).
fn empty_element(name: &str, run_depth: usize, cell_depth: usize, out: &mut String) {
    match name {
        // `w:tab` outside a run is a tab stop definition (in `w:tabs`).
        "tab" | "ptab" if run_depth > 0 => out.push('\t'),
        "br" | "cr" if run_depth > 0 => out.push('\n'),
        "noBreakHyphen" => out.push('-'),
        "p" => end_paragraph(cell_depth, out),
        _ => {}
    }
}

/// A paragraph ends: a new line, or a space inside a table cell.
fn end_paragraph(cell_depth: usize, out: &mut String) {
    if cell_depth > 0 {
        if !out.is_empty() && !out.ends_with([' ', '\t', '\n']) {
            out.push(' ');
        }
    } else {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_leave_headers_and_footers() {
        let t = "— 1 —\n青山市人民政府办公室\n第 2 页 共 3 页\n- 3 -\nPage 4 of 9\n12/30\n2026年工作要点\n";
        assert_eq!(
            without_page_numbers(t),
            "青山市人民政府办公室\n2026年工作要点\n"
        );
        assert_eq!(without_page_numbers("— 1 —"), "");
        assert_eq!(without_page_numbers("第一页"), "第一页\n");
    }

    fn body(inner: &str) -> String {
        let xml = format!(
            r#"<w:document xmlns:w="w" xmlns:mc="mc"><w:body>{inner}</w:body></w:document>"#
        );
        part_text(xml.as_bytes(), "word/document.xml").unwrap()
    }

    #[test]
    fn table_cells_tabs_rows_newlines() {
        let t = body(
            "<w:p><w:r><w:t>表1</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc>\
             <w:tc><w:p><w:r><w:t>金额</w:t></w:r></w:p><w:p><w:r><w:t>万元</w:t></w:r></w:p></w:tc></w:tr>\
             <w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>后</w:t></w:r></w:p>",
        );
        assert_eq!(t, "表1\n项目\t金额 万元\n\t3\n后\n");
    }

    #[test]
    fn tab_stops_are_not_tabs_and_fallback_skipped() {
        let t = body(
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"100\"/></w:tabs></w:pPr><w:r><w:t>甲</w:t><w:br/><w:t>乙</w:t></w:r></w:p>\
             <w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></mc:Choice>\
             <mc:Fallback><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>",
        );
        assert_eq!(t, "甲\n乙\n框\n\n");
    }

    #[test]
    fn core_title_read() {
        let core = r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:title> 关于 &amp; 通知 </dc:title></cp:coreProperties>"#;
        assert_eq!(core_title(core.as_bytes()).as_deref(), Some("关于 & 通知"));
        assert_eq!(
            core_title(br#"<cp:coreProperties xmlns:cp="c"><dc:title/></cp:coreProperties>"#),
            None
        );
    }
}
