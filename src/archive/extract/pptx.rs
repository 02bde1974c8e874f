//! PowerPoint presentations (.pptx, ECMA-376 PresentationML) read with the
//! zip crate and quick-xml.
//!
//! Slides in presentation order (`ppt/presentation.xml` `sldIdLst/sldId`,
//! resolved through `ppt/_rels/presentation.xml.rels`; if that fails, every
//! `ppt/slides/slideN.xml` by N). In a slide every paragraph `a:p` is one
//! line, `a:t` runs are its text, `a:br` a newline; slides are separated by
//! a blank line. Speaker notes are not read. Title: `dc:title` of
//! `docProps/core.xml`, else the first line of the first slide.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::ooxml::{Package, bad_xml, rel_id, resolve_ref};
use super::{ExtractError, Extracted, Format, Limits, Quality, first_line_title};

const FORMAT: &str = "pptx";

/// Extract a .pptx held in memory.
pub(super) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut pkg = Package::open(bytes, FORMAT, limits)?;
    let slides = slide_list(&mut pkg)?;
    if slides.is_empty() {
        return Err(ExtractError::Invalid {
            format: FORMAT,
            reason: "没有幻灯片 / no slides (ppt/slides/)".into(),
        });
    }
    let mut text = String::new();
    for part in &slides {
        let Some(xml) = pkg.read(part)? else {
            continue;
        };
        let t = slide_text(&xml, part)?;
        if t.trim().is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&t);
    }
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    let title = pkg.core_title()?.or_else(|| first_line_title(&text));
    let replacement_chars = text.chars().filter(|&c| c == '\u{FFFD}').count();
    Ok(Extracted {
        text,
        title,
        front_matter: None,
        format: Format::Pptx,
        quality: Quality {
            pages: Some(slides.len() as u32),
            replacement_chars,
            ..Quality::default()
        },
    })
}

/// Slide parts in presentation order.
fn slide_list(pkg: &mut Package<'_>) -> Result<Vec<String>, ExtractError> {
    let pres = "ppt/presentation.xml";
    let mut out = Vec::new();
    if let Some(xml) = pkg.read(pres)? {
        let rels = pkg.rels(pres)?;
        let mut reader = Reader::from_reader(&xml[..]);
        loop {
            match reader.read_event().map_err(|e| bad_xml(pres, e))? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sldId" => {
                    if let Some(id) = rel_id(&e)
                        && let Some(r) = rels.iter().find(|r| r.id == id)
                    {
                        out.push(r.target.clone());
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
                let f = n.strip_prefix("ppt/slides/slide")?.strip_suffix(".xml")?;
                Some((f.parse().ok()?, n.clone()))
            })
            .collect();
        parts.sort();
        out = parts.into_iter().map(|(_, n)| n).collect();
    }
    Ok(out)
}

/// Text of one slide: one line per `a:p`.
fn slide_text(xml: &[u8], part: &str) -> Result<String, ExtractError> {
    let mut reader = Reader::from_reader(xml);
    let mut out = String::new();
    let mut line = String::new();
    let mut in_t = false;
    let end_line = |line: &mut String, out: &mut String| {
        let l = line.trim_end();
        if !l.is_empty() {
            out.push_str(l);
            out.push('\n');
        }
        line.clear();
    };
    loop {
        match reader.read_event().map_err(|e| bad_xml(part, e))? {
            Event::Start(e) if e.local_name().as_ref() == "t" => in_t = true,
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_t = false,
                "p" => end_line(&mut line, &mut out),
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "br" => line.push('\n'),
            Event::Text(t) if in_t => line.push_str(&t.xml10_content()),
            Event::CData(t) if in_t => line.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_t => line.extend(resolve_ref(&r)),
            Event::Eof => break,
            _ => {}
        }
    }
    end_line(&mut line, &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_lines() {
        let xml = r#"<p:sld xmlns:p="p" xmlns:a="a"><p:cSld><p:spTree><p:sp><p:txBody>
            <a:p><a:r><a:t>工作</a:t></a:r><a:r><a:t>汇报</a:t></a:r></a:p><a:p/>
            <a:p><a:r><a:t>一、进展</a:t></a:r><a:br/><a:r><a:t>二&amp;三</a:t></a:r></a:p>
            </p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#;
        assert_eq!(
            slide_text(xml.as_bytes(), "s").unwrap(),
            "工作汇报\n一、进展\n二&三\n"
        );
    }
}
