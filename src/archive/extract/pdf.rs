//! PDF: the text layer via pdf-extract (on lopdf), run by the caller on a
//! helper thread under the timeout and inside `catch_unwind` (pdf-extract
//! panics on some malformed files).
//!
//! Checks after extraction, so that noise never reaches the index:
//! - encrypted and not openable with the empty user password → [`ExtractError::Encrypted`];
//! - fewer than [`MIN_CHARS_PER_PAGE`] non-space characters per page →
//!   [`ExtractError::NoTextLayer`] (a scan), unless the pages' content
//!   streams do show that many glyph codes: pdf-extract silently drops glyphs
//!   of CID fonts without a ToUnicode CMap, so that is
//!   [`ExtractError::Unmapped`];
//! - at least a third of the characters are U+FFFD or `(cid:NNN)` →
//!   [`ExtractError::Unmapped`]; a smaller share is removed from the text.
//!
//! Lines in PDFs break inside words; that is left to the normalizer, and no
//! spaces are added between CJK glyphs here. Title: the first non-empty line.
//!
//! ```
//! use gongwen::archive::extract::{extract_bytes, ExtractError, Format, Limits};
//! let err = extract_bytes(b"%PDF-1.4\nnot really a pdf", Format::Pdf, &Limits::default()).unwrap_err();
//! assert!(matches!(err, ExtractError::Pdf(_) | ExtractError::Panic(_)));
//! ```

use pdf_extract::content::Content;
use pdf_extract::{Document, Object, PlainTextOutput, output_doc};

use super::{ExtractError, Extracted, Format, Quality, add_note, cid_markers, first_line_title};

/// Fewer non-whitespace characters than this per page means no text layer.
pub const MIN_CHARS_PER_PAGE: usize = 5;

/// Extract the text layer of a PDF held in memory.
pub(super) fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut doc = Document::load_mem(bytes).map_err(load_error)?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ExtractError::Encrypted);
    }
    let pages = doc.get_pages().len() as u32;
    let mut raw = String::new();
    {
        let mut out = PlainTextOutput::new(&mut raw);
        output_doc(&doc, &mut out).map_err(|e| ExtractError::Pdf(one_line(&e.to_string())))?;
    }

    let (clean, cids, fffd) = remove_noise(&raw);
    let bad = cids + fffd;
    let good = clean.chars().filter(|c| !c.is_whitespace()).count();
    let total = good + bad;
    let floor = MIN_CHARS_PER_PAGE * pages.max(1) as usize;
    if total < floor {
        // pdf-extract drops glyphs it cannot map (CID fonts without a
        // ToUnicode CMap): if the pages do draw text, say so, not "scan".
        let shown = shown_glyph_codes(&doc);
        if shown >= floor {
            return Err(ExtractError::Unmapped {
                bad: shown.saturating_sub(good),
                total: shown.max(good),
            });
        }
        return Err(ExtractError::NoTextLayer { pages, chars: good });
    }
    drop(doc);
    if bad * 3 >= total {
        return Err(ExtractError::Unmapped { bad, total });
    }
    let mut quality = Quality {
        pages: Some(pages),
        replacement_chars: fffd,
        cid_markers: cids,
        ..Quality::default()
    };
    if bad > 0 {
        add_note(
            &mut quality,
            format!("删除了 {bad} 个无法映射的字形 / removed {bad} unmapped glyphs"),
        );
    }
    Ok(Extracted {
        title: first_line_title(&clean),
        text: clean,
        front_matter: None,
        format: Format::Pdf,
        quality,
    })
}

/// Bytes of string operands of the text-showing operators (`Tj`, `TJ`,
/// `'`, `"`; PDF 1.7 §9.4.3) on all pages: an upper bound of the glyphs
/// drawn. Pages whose content cannot be decoded count as zero.
fn shown_glyph_codes(doc: &Document) -> usize {
    fn string_bytes(o: &Object) -> usize {
        match o {
            Object::String(b, _) => b.len(),
            Object::Array(items) => items.iter().map(string_bytes).sum(),
            _ => 0,
        }
    }
    let mut n = 0;
    for (_, id) in doc.get_pages() {
        let Ok(data) = doc.get_page_content(id) else {
            continue;
        };
        let Ok(content) = Content::decode(&data) else {
            continue;
        };
        for op in &content.operations {
            if matches!(op.operator.as_str(), "Tj" | "TJ" | "'" | "\"") {
                n += op.operands.iter().map(string_bytes).sum::<usize>();
            }
        }
    }
    n
}

fn load_error(e: pdf_extract::Error) -> ExtractError {
    match e {
        pdf_extract::Error::Decryption(_) | pdf_extract::Error::InvalidPassword => {
            ExtractError::Encrypted
        }
        other => ExtractError::Pdf(one_line(&other.to_string())),
    }
}

fn one_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_string()
}

/// `text` without U+FFFD and `(cid:NNN)` markers ([`super::cid_markers`]),
/// and how many of each were removed: (text, markers, U+FFFD).
fn remove_noise(text: &str) -> (String, usize, usize) {
    let mut out = String::with_capacity(text.len());
    let mut cids = 0;
    let mut last = 0;
    for r in cid_markers(text) {
        out.push_str(&text[last..r.start]);
        last = r.end;
        cids += 1;
    }
    out.push_str(&text[last..]);
    let fffd = out.chars().filter(|&c| c == '\u{FFFD}').count();
    if fffd > 0 {
        out.retain(|c| c != '\u{FFFD}');
    }
    (out, cids, fffd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_counted_and_removed() {
        let (t, cids, fffd) = remove_noise("甲(cid:12)乙\u{FFFD}(cid:x)(cid:7)");
        assert_eq!(t, "甲乙(cid:x)");
        assert_eq!((cids, fffd), (2, 1));
    }
}
