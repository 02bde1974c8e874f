//! Excel workbooks (.xlsx, ECMA-376 SpreadsheetML) read with the zip crate
//! and quick-xml.
//!
//! Sheets in workbook order (`xl/workbook.xml` `sheets/sheet`, resolved
//! through `xl/_rels/workbook.xml.rels`; if that fails, every
//! `xl/worksheets/*.xml` by number). Each sheet yields a line with its name,
//! then one line per row with the cell values separated by tabs. A cell's
//! value is its cached value `<v>` (never the formula `<f>`): `t="s"` looks
//! it up in the shared strings (`xl/sharedStrings.xml`, the text of every
//! `t` of an `si` except phonetic runs `rPh`), `t="inlineStr"` takes the text
//! of `is`, anything else the `<v>` text as written. Title: `dc:title` of
//! `docProps/core.xml`, else the first non-empty row.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::ooxml::{Package, attr, bad_xml, rel_id, resolve_ref};
use super::{ExtractError, Extracted, Format, Limits, Quality, first_line_title};

const FORMAT: &str = "xlsx";

/// Extract an .xlsx held in memory.
pub(super) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut pkg = Package::open(bytes, FORMAT, limits)?;
    let sheets = sheet_list(&mut pkg)?;
    if sheets.is_empty() {
        return Err(ExtractError::Invalid {
            format: FORMAT,
            reason: "没有工作表 / no worksheets (xl/workbook.xml)".into(),
        });
    }
    let shared = match pkg.read("xl/sharedStrings.xml")? {
        Some(xml) => shared_strings(&xml)?,
        None => Vec::new(),
    };
    let mut text = String::new();
    let mut body = String::new();
    for (name, part) in &sheets {
        let Some(xml) = pkg.read(part)? else {
            continue;
        };
        let rows = sheet_text(&xml, part, &shared)?;
        text.push_str(name);
        text.push('\n');
        text.push_str(&rows);
        text.push('\n');
        body.push_str(&rows);
    }
    if body.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    let title = pkg.core_title()?.or_else(|| first_line_title(&body));
    let replacement_chars = text.chars().filter(|&c| c == '\u{FFFD}').count();
    Ok(Extracted {
        text,
        title,
        front_matter: None,
        format: Format::Xlsx,
        quality: Quality {
            replacement_chars,
            ..Quality::default()
        },
    })
}

/// `(sheet name, member path)` in workbook order.
fn sheet_list(pkg: &mut Package<'_>) -> Result<Vec<(String, String)>, ExtractError> {
    let wb = "xl/workbook.xml";
    let mut out = Vec::new();
    if let Some(xml) = pkg.read(wb)? {
        let rels = pkg.rels(wb)?;
        let mut reader = Reader::from_reader(&xml[..]);
        loop {
            match reader.read_event().map_err(|e| bad_xml(wb, e))? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                    let name = attr(&e, "name").unwrap_or_default();
                    if let Some(id) = rel_id(&e)
                        && let Some(r) = rels.iter().find(|r| r.id == id)
                    {
                        out.push((name, r.target.clone()));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
    }
    if out.is_empty() {
        let mut parts: Vec<(u32, String)> = pkg
            .names
            .iter()
            .filter_map(|n| {
                let f = n.strip_prefix("xl/worksheets/")?.strip_suffix(".xml")?;
                let num = f.trim_start_matches(|c: char| !c.is_ascii_digit());
                Some((num.parse().unwrap_or(u32::MAX), n.clone()))
            })
            .collect();
        parts.sort();
        out = parts
            .into_iter()
            .map(|(i, n)| (format!("Sheet{i}"), n))
            .collect();
    }
    Ok(out)
}

/// The shared string table: one entry per `si`.
fn shared_strings(xml: &[u8]) -> Result<Vec<String>, ExtractError> {
    let part = "xl/sharedStrings.xml";
    let mut reader = Reader::from_reader(xml);
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut in_t, mut in_rph) = (false, false);
    loop {
        match reader.read_event().map_err(|e| bad_xml(part, e))? {
            Event::Start(e) => match e.local_name().as_ref() {
                "si" => cur.clear(),
                "t" => in_t = true,
                "rPh" => in_rph = true,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "si" => out.push(String::new()),
            Event::End(e) => match e.local_name().as_ref() {
                "si" => out.push(std::mem::take(&mut cur)),
                "t" => in_t = false,
                "rPh" => in_rph = false,
                _ => {}
            },
            Event::Text(t) if in_t && !in_rph => cur.push_str(&t.xml10_content()),
            Event::CData(t) if in_t && !in_rph => cur.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_t && !in_rph => cur.extend(resolve_ref(&r)),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Rows of one worksheet: cells joined by tabs, rows by newlines (empty
/// rows skipped, trailing empty cells dropped).
fn sheet_text(xml: &[u8], part: &str, shared: &[String]) -> Result<String, ExtractError> {
    let mut reader = Reader::from_reader(xml);
    let mut out = String::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell_type = String::new();
    let mut value = String::new();
    // Which element's text we collect: `v` or `t` inside `is`.
    let mut collecting = false;
    let mut in_is = false;
    let flush_row = |row: &mut Vec<String>, out: &mut String| {
        while row.last().is_some_and(|c| c.trim().is_empty()) {
            row.pop();
        }
        if !row.is_empty() {
            out.push_str(&row.join("\t"));
            out.push('\n');
        }
        row.clear();
    };
    loop {
        match reader.read_event().map_err(|e| bad_xml(part, e))? {
            Event::Start(e) => match e.local_name().as_ref() {
                "c" => {
                    cell_type = attr(&e, "t").unwrap_or_default();
                    value.clear();
                }
                "v" => collecting = !in_is,
                "is" => in_is = true,
                "t" if in_is => collecting = true,
                "rPh" => collecting = false,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "v" | "t" | "rPh" => collecting = false,
                "is" => in_is = false,
                "c" => {
                    let v = match cell_type.as_str() {
                        "s" => value
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| shared.get(i))
                            .cloned()
                            .unwrap_or_default(),
                        _ => std::mem::take(&mut value),
                    };
                    // Tabs and newlines inside a cell would break the layout.
                    row.push(v.replace(['\t', '\n', '\r'], " "));
                    value.clear();
                }
                "row" => flush_row(&mut row, &mut out),
                _ => {}
            },
            Event::Text(t) if collecting => value.push_str(&t.xml10_content()),
            Event::CData(t) if collecting => value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if collecting => value.extend(resolve_ref(&r)),
            Event::Eof => break,
            _ => {}
        }
    }
    flush_row(&mut row, &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_shared_inline_and_cached() {
        let shared = shared_strings(
            r#"<sst><si><t>项目</t></si><si><r><t>金</t></r><r><t>额</t></r><rPh><t>x</t></rPh></si></sst>"#
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(shared, ["项目", "金额"]);
        let xml = r#"<worksheet><sheetData><row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>
            <row><c t="inlineStr"><is><t>合计&amp;</t></is></c><c><f>SUM(B1:B3)</f><v>42</v></c><c/></row></sheetData></worksheet>"#;
        assert_eq!(
            sheet_text(xml.as_bytes(), "s", &shared).unwrap(),
            "项目\t金额\n合计&\t42\n"
        );
    }
}
