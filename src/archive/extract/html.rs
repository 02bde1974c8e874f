//! HTML (.html, .htm): decoded by BOM, then `<meta charset>` /
//! `http-equiv` content type in the first 4 KiB (the HTML Standard's
//! prescan, simplified), then detection; rendered to plain text with
//! html2text's `TrivialDecorator` (no `#` before headings, no `[link]`
//! brackets or footnotes, no table borders; scripts and styles dropped). Title: `<title>`, else the first `<h1>`.
//!
//! ```
//! use gongwen::archive::extract::{extract_bytes, Format, Limits};
//! let html = "<html><head><meta charset=\"utf-8\"><title> 通知 </title><script>var x=1;</script></head>\
//!             <body><h1>关于放假的通知</h1><p>详见<a href=\"http://example.org\">附件</a>。</p></body></html>";
//! let got = extract_bytes(html.as_bytes(), Format::Html, &Limits::default())?;
//! assert_eq!(got.title.as_deref(), Some("通知"));
//! assert!(got.text.contains("详见附件。"));
//! assert!(!got.text.contains("example.org") && !got.text.contains("var x"));
//! # Ok::<(), gongwen::archive::extract::ExtractError>(())
//! ```

use encoding_rs::Encoding;

use super::{ExtractError, Extracted, Format, add_note, clean_title, text};

/// Bytes searched for a `<meta charset>` declaration (HTML Standard
/// §13.2.3.2 looks at the first 1024; real pages put it later).
const PRESCAN_BYTES: usize = 4096;
/// Render width given to html2text: wide, so that paragraphs are not
/// wrapped into many lines.
const RENDER_WIDTH: usize = 2000;

/// Extract an HTML file.
pub(super) fn extract(bytes: &[u8], truncated: bool) -> Result<Extracted, ExtractError> {
    let declared = meta_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)]);
    let decoded = text::decode(bytes, truncated, declared)?;
    let mut quality = decoded.quality;
    let html = decoded.text;

    let rendered = html2text::config::with_decorator(html2text::render::TrivialDecorator::new())
        .no_table_borders()
        .allow_width_overflow()
        .string_from_read(html.as_bytes(), RENDER_WIDTH);
    let mut out = match rendered {
        Ok(s) => s,
        Err(e) => {
            // Fall back to plain tag stripping rather than losing the file.
            add_note(
                &mut quality,
                format!("html2text 失败，改为去标签 / html2text failed, tags stripped: {e}"),
            );
            strip_tags(&html)
        }
    };
    // Horizontal rules render as a line of box-drawing characters.
    out = out
        .lines()
        .filter(|l| !(l.chars().count() > 3 && l.chars().all(|c| c == '─' || c == '-' || c == '━')))
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    if out.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    let title = element_text(&html, "title")
        .and_then(|t| clean_title(&t))
        .or_else(|| element_text(&html, "h1").and_then(|t| clean_title(&t)));
    Ok(Extracted {
        text: out,
        title,
        front_matter: None,
        format: Format::Html,
        quality,
    })
}

/// Encoding named by `<meta charset=…>` or `<meta http-equiv content="…;
/// charset=…">` in `head` (ASCII case-insensitive), if encoding_rs knows it.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let mut rest = &tag[c + b"charset".len()..];
            rest = trim_start(rest);
            if let Some(r) = rest.strip_prefix(b"=") {
                let r = trim_start(r);
                let r = r
                    .strip_prefix(b"\"")
                    .or_else(|| r.strip_prefix(b"'"))
                    .unwrap_or(r);
                let label_end = r
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                    .unwrap_or(r.len());
                if let Some(enc) = Encoding::for_label(&r[..label_end]) {
                    return Some(enc);
                }
            }
        }
        from = end;
    }
    None
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Text inside the first `<name …>…</name>` of `html` (ASCII
/// case-insensitive), tags removed and the basic entities decoded.
fn element_text(html: &str, name: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{name}");
    let mut from = 0;
    loop {
        let i = from + lower[from..].find(&open)?;
        let after = i + open.len();
        // `<title>` or `<title attr…>`, not `<titlebar>`.
        let next = lower[after..].chars().next()?;
        if next == '>' || next.is_ascii_whitespace() {
            let body_start = after + lower[after..].find('>')? + 1;
            let close = format!("</{name}");
            let body_end = body_start + lower[body_start..].find(&close)?;
            let t = decode_entities(&strip_tags(&html[body_start..body_end]));
            return Some(t);
        }
        from = after;
    }
}

/// Remove tags and comments.
fn strip_tags(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut rest = h;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
        } else if rest.starts_with('<') {
            rest = rest.find('>').map_or("", |i| &rest[i + 1..]);
        } else {
            let next = rest.find('<').unwrap_or(rest.len());
            out.push_str(&rest[..next]);
            rest = &rest[next..];
        }
    }
    out
}

/// Decode `&amp; &lt; &gt; &quot; &#39; &nbsp;` and numeric references.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(semi) = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';')
        else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let ch = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => name.strip_prefix('#').and_then(|n| {
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                };
                code.and_then(char::from_u32)
            }),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_forms() {
        assert_eq!(
            meta_charset(b"<META CHARSET=gb2312>").unwrap().name(),
            "GBK"
        );
        assert_eq!(
            meta_charset(b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=GBK\">")
                .unwrap()
                .name(),
            "GBK"
        );
        assert!(meta_charset(b"<meta name=x>").is_none());
    }

    #[test]
    fn gbk_page_with_meta_charset() {
        let (body, _, _) = encoding_rs::GBK.encode(
            "<html><head><meta charset=gb2312><title>国务院公报</title></head><body><p>第一段</p><table><tr><td>甲</td><td>乙</td></tr></table></body></html>",
        );
        let got = extract(&body, false).unwrap();
        assert_eq!(got.title.as_deref(), Some("国务院公报"));
        assert!(got.text.contains("第一段"), "{:?}", got.text);
        assert!(
            got.text.contains('甲') && got.text.contains('乙'),
            "{:?}",
            got.text
        );
        assert_eq!(got.quality.encoding.as_deref(), Some("GBK"));
    }

    #[test]
    fn title_falls_back_to_h1_and_entities() {
        let got = extract(
            "<body><h1>A&amp;B <b>通知</b></h1><p>x</p></body>".as_bytes(),
            false,
        )
        .unwrap();
        assert_eq!(got.title.as_deref(), Some("A&B 通知"));
    }
}
