//! Markdown (.md): decoded like plain text, then markup stripped with
//! pulldown-cmark (CommonMark + GFM tables). Headings and paragraphs become
//! lines, table cells are separated by tabs, link targets and HTML tags are
//! dropped. YAML front matter between leading `---` lines is returned raw and
//! the whole block (keys, values, comments) is appended to the text, so they are
//! searchable.
//!
//! ```
//! use gongwen::archive::extract::{extract_bytes, Format, Limits};
//! let md = "---\n标题: 关于开展检查的通知\n发文字号: 国办发〔2024〕1号\n---\n# 一、总体要求\n\n见[附件](a.pdf)。\n";
//! let got = extract_bytes(md.as_bytes(), Format::Markdown, &Limits::default())?;
//! assert_eq!(got.title.as_deref(), Some("关于开展检查的通知"));
//! assert_eq!(got.front_matter.as_deref(), Some("标题: 关于开展检查的通知\n发文字号: 国办发〔2024〕1号\n"));
//! assert!(got.text.contains("一、总体要求\n见附件。\n"));
//! assert!(got.text.contains("国办发〔2024〕1号"));
//! # Ok::<(), gongwen::archive::extract::ExtractError>(())
//! ```

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{ExtractError, Extracted, Format, add_note, clean_title, first_line_title, text};

/// Extract a Markdown file.
pub(super) fn extract(bytes: &[u8], truncated: bool) -> Result<Extracted, ExtractError> {
    let decoded = text::decode(bytes, truncated, None)?;
    let mut quality = decoded.quality;
    let (front_matter, body) = split_front_matter(&decoded.text);

    let (mut out, heading) = strip_markup(body);
    // Title fallback looks at the body only, not at the appended front matter.
    let body_first_line = first_line_title(&out);

    let mut fm_title = None;
    if let Some(fm) = front_matter {
        match serde_norway::from_str::<serde_norway::Value>(fm) {
            Ok(value) => {
                fm_title = front_matter_title(&value);
                // The whole block, keys and comments included: whatever grep
                // finds in the file, search must find too.
                push_line(&mut out, fm);
            }
            Err(e) => {
                let msg = e.to_string();
                let first = msg.lines().next().unwrap_or_default();
                add_note(
                    &mut quality,
                    format!(
                        "front matter 不是有效的 YAML / front matter is not valid YAML: {first}"
                    ),
                );
                push_line(&mut out, fm);
            }
        }
    }
    if out.trim().is_empty() && front_matter.is_none() {
        return Err(ExtractError::Empty);
    }
    let title = fm_title
        .or_else(|| heading.as_deref().and_then(clean_title))
        .or(body_first_line);
    Ok(Extracted {
        text: out,
        title,
        front_matter: front_matter.map(str::to_string),
        format: Format::Markdown,
        quality,
    })
}

/// Split leading YAML front matter off: `---` on the first line, up to a
/// line that is `---` or `...`. Returns (raw YAML including its final
/// newline, the rest). Without a closing line there is no front matter.
fn split_front_matter(s: &str) -> (Option<&str>, &str) {
    let Some(first_end) = s.find('\n') else {
        return (None, s);
    };
    if s[..first_end].trim_end() != "---" {
        return (None, s);
    }
    let yaml_start = first_end + 1;
    let mut pos = yaml_start;
    while pos <= s.len() {
        let end = s[pos..].find('\n').map_or(s.len(), |i| pos + i);
        let line = s[pos..end].trim_end();
        if line == "---" || line == "..." {
            let rest = if end < s.len() { &s[end + 1..] } else { "" };
            return (Some(&s[yaml_start..pos]), rest);
        }
        if end == s.len() {
            break;
        }
        pos = end + 1;
    }
    (None, s)
}

/// `标题` or `title` (first found, in that order) of a front matter mapping.
fn front_matter_title(v: &serde_norway::Value) -> Option<String> {
    let map = v.as_mapping()?;
    ["标题", "title", "Title"]
        .iter()
        .find_map(|k| map.get(*k).and_then(|t| t.as_str()))
        .and_then(clean_title)
}

/// Append `s` to `out` on a line of its own.
fn push_line(out: &mut String, s: &str) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(s);
    if !s.ends_with('\n') {
        out.push('\n');
    }
}

/// End the current line (no blank lines, no leading newline).
fn newline(out: &mut String) {
    while out.ends_with([' ', '\t']) {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Markdown → text lines; also returns the text of the first heading.
fn strip_markup(md: &str) -> (String, Option<String>) {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut out = String::with_capacity(md.len());
    let mut heading: Option<String> = None;
    let mut in_heading = false;
    let mut heading_done = false;
    for event in Parser::new_ext(md, opts) {
        let piece: Option<&str> = match &event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                Some(t)
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                let t = strip_tags(h);
                if !t.trim().is_empty() {
                    out.push_str(&t);
                }
                None
            }
            Event::SoftBreak | Event::HardBreak => {
                newline(&mut out);
                None
            }
            Event::Start(Tag::Heading { .. }) => {
                newline(&mut out);
                in_heading = !heading_done;
                None
            }
            Event::End(TagEnd::Heading(_)) => {
                if in_heading {
                    heading_done = true;
                    in_heading = false;
                }
                newline(&mut out);
                None
            }
            Event::End(TagEnd::TableCell) => {
                out.push('\t');
                None
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition,
            )
            | Event::Rule => {
                newline(&mut out);
                None
            }
            _ => None,
        };
        if let Some(t) = piece {
            out.push_str(t);
            if in_heading {
                heading.get_or_insert_with(String::new).push_str(t);
            }
        }
    }
    newline(&mut out);
    (out, heading)
}

/// Text of an HTML fragment with tags and comments removed.
fn strip_tags(h: &str) -> String {
    let mut out = String::new();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_without_trailing_newline() {
        let (fm, rest) = split_front_matter("---\nbookCollapseSection: true\n---");
        assert_eq!(fm, Some("bookCollapseSection: true\n"));
        assert_eq!(rest, "");
    }

    #[test]
    fn no_closing_line_means_no_front_matter() {
        let (fm, _) = split_front_matter("---\n正文\n");
        assert_eq!(fm, None);
    }

    #[test]
    fn table_cells_and_comments() {
        let (t, h) =
            strip_markup("# 标题\n\n<!-- INFO END -->\n\n| 甲 | 乙 |\n|---|---|\n| 一 | 二 |\n");
        assert_eq!(h.as_deref(), Some("标题"));
        assert!(t.starts_with("标题\n"), "{t:?}");
        assert!(t.contains("甲\t乙\n一\t二\n"), "{t:?}");
        assert!(!t.contains("INFO"), "{t:?}");
    }

    #[test]
    fn only_front_matter_is_not_an_error() {
        let got = extract(b"---\nbookCollapseSection: true\n---", false).unwrap();
        assert_eq!(
            got.front_matter.as_deref(),
            Some("bookCollapseSection: true\n")
        );
        assert_eq!(got.title, None);
    }
}
