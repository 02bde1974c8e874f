//! The YAML front matter of a draft (`---` … `---` at the top of the file):
//! splitting it from the body and reading it into a [`Header`].
//!
//! Keys may be the Chinese GB/T 9704-2012 element names (`发文字号`) or the
//! English snake_case keys (`doc_number`), plus a few aliases (`文号`,
//! `主送`, `抄送`, ...). Values are kept as the raw text the author typed —
//! `份号: 000001` stays `000001`, not the YAML integer 1 — so that
//! `gongwen check` sees the author's mistakes.

use super::model::{Format, Header, KeyPosition};
use super::{DraftError, Warning};
use crate::meta::elements::Element;

/// A draft split into front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text between the `---` lines (no delimiters).
    pub yaml: &'a str,
    /// 1-based source line of the first YAML line (2 for a normal draft).
    pub yaml_start_line: usize,
    /// Everything after the closing `---` line.
    pub body: &'a str,
    /// 1-based source line of the first body line.
    pub body_start_line: usize,
}

/// Split `source` into front matter and body. The file must start (after an
/// optional UTF-8 BOM and blank lines) with a `---` line; the front matter
/// ends at the next `---` or `...` line.
///
/// # Errors
/// [`DraftError::NoFrontMatter`] when the first non-blank line is not `---`;
/// [`DraftError::UnclosedFrontMatter`] when no closing line follows.
pub fn split(source: &str) -> Result<Split<'_>, DraftError> {
    let src = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut offset = 0usize;
    let mut line_no = 0usize;
    let mut open: Option<(usize, usize)> = None; // (byte after the --- line, its line number)
    for line in src.split_inclusive('\n') {
        line_no += 1;
        offset += line.len();
        let t = line.trim_end();
        if t.is_empty() {
            continue;
        }
        if t == "---" {
            open = Some((offset, line_no));
        }
        break;
    }
    let Some((yaml_start, open_line)) = open else {
        return Err(DraftError::NoFrontMatter);
    };
    let mut off = yaml_start;
    let mut ln = open_line;
    for line in src[yaml_start..].split_inclusive('\n') {
        ln += 1;
        let t = line.trim_end();
        if t == "---" || t == "..." {
            let yaml = &src[yaml_start..off];
            let body = &src[off + line.len()..];
            return Ok(Split {
                yaml,
                yaml_start_line: open_line + 1,
                body,
                body_start_line: ln + 1,
            });
        }
        off += line.len();
    }
    Err(DraftError::UnclosedFrontMatter { line: open_line })
}

/// How a key's value is stored in the [`Header`].
#[derive(Clone, Copy)]
enum Slot {
    One(fn(&mut Header) -> &mut Option<String>),
    Many(fn(&mut Header) -> &mut Vec<String>),
    Format,
}

/// The key table: accepted spellings → canonical English key → slot.
/// The canonical keys are those of `gongwen::meta::elements` (GB/T 9704-2012
/// §7); 出席/请假/列席 are the 纪要 lines of §10.3.
const KEYS: &[(&[&str], &str, Slot)] = &[
    (
        &["份号", "copy_number"],
        "copy_number",
        Slot::One(|h| &mut h.copy_number),
    ),
    (
        &["密级", "classification"],
        "classification",
        Slot::One(|h| &mut h.classification),
    ),
    (
        &["保密期限", "secrecy_period"],
        "secrecy_period",
        Slot::One(|h| &mut h.secrecy_period),
    ),
    (
        &["紧急程度", "urgency"],
        "urgency",
        Slot::One(|h| &mut h.urgency),
    ),
    (
        &["发文机关", "发文单位", "issuer"],
        "issuer",
        Slot::Many(|h| &mut h.issuer),
    ),
    (
        &["发文机关标志", "issuer_mark"],
        "issuer_mark",
        Slot::One(|h| &mut h.issuer_mark),
    ),
    (
        &["发文字号", "文号", "doc_number"],
        "doc_number",
        Slot::One(|h| &mut h.doc_number),
    ),
    (
        &["签发人", "signers", "signer"],
        "signers",
        Slot::Many(|h| &mut h.signers),
    ),
    (&["标题", "title"], "title", Slot::One(|h| &mut h.title)),
    (
        &["主送机关", "主送", "recipients"],
        "recipients",
        Slot::Many(|h| &mut h.recipients),
    ),
    (
        &["附件", "附件说明", "attachments"],
        "attachments",
        Slot::Many(|h| &mut h.attachments),
    ),
    (
        &["发文机关署名", "署名", "signature"],
        "signature",
        Slot::Many(|h| &mut h.signature),
    ),
    (
        &["成文日期", "日期", "date"],
        "date",
        Slot::One(|h| &mut h.date),
    ),
    (&["附注", "note"], "note", Slot::One(|h| &mut h.note)),
    (&["抄送机关", "抄送", "cc"], "cc", Slot::Many(|h| &mut h.cc)),
    (
        &["印发机关", "printed_by"],
        "printed_by",
        Slot::One(|h| &mut h.printed_by),
    ),
    (
        &["印发日期", "printed_date"],
        "printed_date",
        Slot::One(|h| &mut h.printed_date),
    ),
    (
        &["文种", "doc_type"],
        "doc_type",
        Slot::One(|h| &mut h.doc_type),
    ),
    (&["格式", "format"], "format", Slot::Format),
    (
        &["出席", "attendees"],
        "attendees",
        Slot::Many(|h| &mut h.attendees),
    ),
    (&["请假", "absent"], "absent", Slot::Many(|h| &mut h.absent)),
    (
        &["列席", "observers"],
        "observers",
        Slot::Many(|h| &mut h.observers),
    ),
    (
        &["分送", "distribution"],
        "distribution",
        Slot::Many(|h| &mut h.distribution),
    ),
    (
        &["讲话人", "speaker"],
        "speaker",
        Slot::One(|h| &mut h.speaker),
    ),
];

/// The canonical English key for a typed key (Chinese name, English key or
/// alias; surrounding whitespace ignored, English case-insensitive), or
/// `None` when gongwen does not know it. The GB/T 9704-2012 elements come
/// from [`Element::from_key`]; the 纪要 keys (出席, 请假, 列席) and a few
/// extra spellings from this module's table.
pub fn canonical_key(typed: &str) -> Option<&'static str> {
    if let Some(e) = Element::from_key(typed) {
        return Some(e.english_key());
    }
    let t = typed.trim();
    let lower = t.to_ascii_lowercase();
    KEYS.iter()
        .find(|(names, _, _)| names.iter().any(|n| *n == t || *n == lower))
        .map(|(_, k, _)| *k)
}

/// A top-level key found by scanning the YAML text.
struct RawKey {
    typed: String,
    line: usize,
    column: usize,
    /// The value text after the colon on the key's line, comment removed.
    inline_value: String,
    /// Line of the first non-blank, non-comment line that holds the value.
    value_line: usize,
}

/// Strip a trailing ` # comment` (outside quotes) and whitespace.
fn strip_comment(s: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev_space = true;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && prev_space => return s[..i].trim(),
            None => {}
        }
        prev_space = c.is_whitespace();
    }
    s.trim()
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

/// Find the top-level keys (lines that start in column 1) and where their
/// values are. Rejects the common mistake of a full-width colon `：`.
fn scan_keys(yaml: &str, first_line: usize) -> Result<Vec<RawKey>, DraftError> {
    let lines: Vec<&str> = yaml.lines().collect();
    let mut keys = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let line_no = first_line + i;
        if line.is_empty() || line.starts_with([' ', '\t', '#', '-']) || line.trim().is_empty() {
            continue;
        }
        // a key ends at the first ": " or ":" at end of line (outside quotes)
        let colon = find_key_colon(line);
        let Some(colon) = colon else {
            if line.contains('：') {
                return Err(DraftError::FullWidthColon {
                    line: line_no,
                    text: line.to_string(),
                });
            }
            // leave other shapes to the YAML parser, which reports them
            continue;
        };
        let typed = unquote(&line[..colon]).to_string();
        let inline_value = strip_comment(&line[colon + 1..]).to_string();
        let mut value_line = line_no;
        if inline_value.is_empty() {
            for (j, next) in lines.iter().enumerate().skip(i + 1) {
                let t = next.trim();
                if t.is_empty() || t.starts_with('#') {
                    continue;
                }
                if next.starts_with([' ', '\t', '-']) {
                    value_line = first_line + j;
                }
                break;
            }
        }
        keys.push(RawKey {
            typed,
            line: line_no,
            column: 1,
            inline_value,
            value_line,
        });
    }
    Ok(keys)
}

fn find_key_colon(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let bytes = line.as_bytes();
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && i == 0 => quote = Some(c),
            None if c == ':' => {
                let next = bytes.get(i + 1);
                if next.is_none() || next == Some(&b' ') || next == Some(&b'\t') {
                    return Some(i);
                }
            }
            None => {}
        }
    }
    None
}

/// Whether `value` opens a bracket (`[` or `{`) and has text after the
/// bracket that closes it — `[2026]3号` is a 发文字号 typed with the wrong
/// brackets, not a YAML list, which `[各单位, 各部门]` is.
fn bracket_then_text(value: &str) -> bool {
    if !value.starts_with(['[', '{']) {
        return false;
    }
    let mut depth = 0i32;
    for (i, c) in value.char_indices() {
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return !value[i + 1..].trim().is_empty();
                }
            }
            _ => {}
        }
    }
    false
}

/// Quote plain top-level values that contain `: ` or end with `:` —
/// `主送机关: 各区县财政局:` is a common slip that YAML would reject as a
/// nested mapping — and values that open a bracket and go on after it
/// closes (`发文字号: [2026]3号`, which YAML reads as a list followed by
/// stray text); quoting keeps the typed text so the checker can flag the
/// colon or the brackets. Line numbers are unchanged.
fn quote_colon_values(yaml: &str) -> String {
    let mut out = String::with_capacity(yaml.len() + 16);
    for line in yaml.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let eol = &line[body.len()..];
        let rewritten = (!body.starts_with([' ', '\t', '#', '-']))
            .then(|| find_key_colon(body))
            .flatten()
            .and_then(|colon| {
                let value = strip_comment(&body[colon + 1..]);
                let plain = !value.is_empty()
                    && !value.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!']);
                (plain && (value.contains(": ") || value.ends_with(':'))
                    || bracket_then_text(value))
                .then(|| {
                    let esc = value.replace('\\', "\\\\").replace('"', "\\\"");
                    format!("{}: \"{esc}\"", &body[..colon])
                })
            });
        out.push_str(rewritten.as_deref().unwrap_or(body));
        out.push_str(eol);
    }
    out
}

/// A YAML scalar as the author typed it. Strings come through as parsed
/// (quotes removed, folding applied); numbers and booleans come from the raw
/// source text when it is available (`raw`), so `000001` keeps its zeros.
fn scalar_text(v: &serde_norway::Value, raw: Option<&str>) -> Option<String> {
    use serde_norway::Value;
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(raw.map_or_else(|| n.to_string(), |r| unquote(r).to_string())),
        Value::Bool(b) => Some(raw.map_or_else(|| b.to_string(), |r| unquote(r).to_string())),
        Value::Tagged(t) => scalar_text(&t.value, raw),
        Value::Sequence(_) | Value::Mapping(_) => None,
    }
}

/// Raw text of a block-list item at `line` (`  - 000001`), for numbers.
fn list_item_raw<'a>(yaml_lines: &[&'a str], idx: usize) -> Option<&'a str> {
    let l = yaml_lines.get(idx)?.trim_start();
    Some(strip_comment(l.strip_prefix('-')?))
}

/// The YAML parser's `… at line N column M …` with each `line N` counted in
/// the file (`offset`: file lines above the YAML's first line), so that the
/// message and the `第N行` in front of it agree.
fn file_lines(msg: &str, offset: usize) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find("line ") {
        let (head, tail) = rest.split_at(i + "line ".len());
        out.push_str(head);
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        match tail[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + offset).to_string()),
            Err(_) => out.push_str(&tail[..digits]),
        }
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

/// Read the front matter `yaml` (whose first line is source line
/// `first_line`) into a [`Header`] and the positions of its keys.
///
/// Unknown keys, empty values and lists given for single-valued elements
/// produce [`Warning`]s (the value is still used where it can be).
///
/// # Errors
/// [`DraftError::Yaml`] for invalid YAML (with the source line),
/// [`DraftError::FullWidthColon`] for `标题：…`, [`DraftError::NotAMapping`]
/// when the front matter is not `key: value` lines, and
/// [`DraftError::BadValue`] for a nested mapping or an unknown `格式`.
pub fn parse_header(
    yaml: &str,
    first_line: usize,
) -> Result<(Header, Vec<KeyPosition>, Vec<Warning>), DraftError> {
    let raw_keys = scan_keys(yaml, first_line)?;
    // The same element twice (`标题:` and `标题:`, or `标题:` and `title:`):
    // YAML's own message names neither line in Chinese.
    for (i, k) in raw_keys.iter().enumerate() {
        let same = |a: &RawKey| {
            a.typed == k.typed
                || Element::from_key(&a.typed)
                    .is_some_and(|e| Element::from_key(&k.typed) == Some(e))
        };
        if let Some(first) = raw_keys[..i].iter().find(|a| same(a)) {
            return Err(DraftError::DuplicateKey {
                key: k.typed.clone(),
                line: k.line,
                first_key: first.typed.clone(),
                first_line: first.line,
            });
        }
    }
    let mut header = Header::default();
    let mut positions = Vec::new();
    let mut warnings = Vec::new();
    if yaml.trim().is_empty() {
        return Ok((header, positions, warnings));
    }
    let quoted = quote_colon_values(yaml);
    let value: serde_norway::Value = serde_norway::from_str(&quoted).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((first_line, 1), |l| (first_line + l.line() - 1, l.column()));
        let mut message = file_lines(&e.to_string(), first_line - 1);
        if message.contains("flow sequence") || message.contains("flow mapping") {
            message.push_str(
                "（以 [ 或 { 开头的值请加引号，如 发文字号: \"[2026]12号\" / quote a value that starts with [ or {）",
            );
        }
        DraftError::Yaml {
            line,
            column,
            message,
        }
    })?;
    let map = match value {
        serde_norway::Value::Mapping(m) => m,
        serde_norway::Value::Null => return Ok((header, positions, warnings)),
        _ => return Err(DraftError::NotAMapping { line: first_line }),
    };
    let yaml_lines: Vec<&str> = yaml.lines().collect();
    for (k, v) in &map {
        let typed = match k {
            serde_norway::Value::String(s) => s.clone(),
            other => scalar_text(other, None).unwrap_or_default(),
        };
        let raw = raw_keys.iter().find(|r| r.typed == typed);
        let (line, column, value_line) = raw.map_or((first_line, 1, first_line), |r| {
            (r.line, r.column, r.value_line)
        });
        let Some((_, key, slot)) = KEYS
            .iter()
            .find(|(_, key, _)| canonical_key(&typed) == Some(*key))
        else {
            warnings.push(Warning {
                line,
                column,
                message: format!(
                    "未知的键“{typed}”，已忽略（可用键如 发文字号、标题、主送机关、成文日期）/ unknown key `{typed}` ignored"
                ),
                in_body: false,
            });
            continue;
        };
        if positions.iter().any(|p: &KeyPosition| p.key == *key) {
            warnings.push(Warning {
                line,
                column,
                message: format!("键“{typed}”与前面的同义键重复，后者生效 / `{typed}` repeats an earlier key; the later value wins"),
                in_body: false,
            });
            positions.retain(|p: &KeyPosition| p.key != *key);
        }
        positions.push(KeyPosition {
            key,
            typed: typed.clone(),
            line,
            column,
            value_line,
        });
        let inline_raw = raw
            .map(|r| r.inline_value.as_str())
            .filter(|s| !s.is_empty());
        // the value as a list of strings
        let items: Vec<String> = match v {
            serde_norway::Value::Sequence(seq) => {
                let first_idx = value_line.saturating_sub(first_line);
                let mut out = Vec::new();
                for (i, item) in seq.iter().enumerate() {
                    // `- 某某机关:` (a trailing colon) reads as a one-key
                    // mapping; keep what the author typed.
                    if let serde_norway::Value::Mapping(m) = item
                        && m.len() == 1
                        && let Some((serde_norway::Value::String(k), serde_norway::Value::Null)) =
                            m.iter().next()
                    {
                        out.push(format!("{}:", k.trim()));
                        continue;
                    }
                    if matches!(
                        item,
                        serde_norway::Value::Mapping(_) | serde_norway::Value::Sequence(_)
                    ) {
                        return Err(DraftError::BadValue {
                            key: typed.clone(),
                            line,
                            expected: "字符串或字符串列表 / a string or a list of strings".into(),
                        });
                    }
                    // block lists: one item per line from value_line on
                    let raw_item = if inline_raw.is_none() {
                        list_item_raw(&yaml_lines, first_idx + i)
                    } else {
                        None
                    };
                    if let Some(s) = scalar_text(item, raw_item)
                        && !s.is_empty()
                    {
                        out.push(s);
                    }
                }
                out
            }
            serde_norway::Value::Mapping(_) => {
                return Err(DraftError::BadValue {
                    key: typed.clone(),
                    line,
                    expected: "字符串或字符串列表 / a string or a list of strings".into(),
                });
            }
            other => scalar_text(other, inline_raw)
                .filter(|s| !s.is_empty())
                .into_iter()
                .collect(),
        };
        if items.is_empty() {
            warnings.push(Warning {
                line,
                column,
                message: format!("键“{typed}”没有值 / `{typed}` has no value"),
                in_body: false,
            });
            continue;
        }
        match slot {
            Slot::Many(f) => *f(&mut header) = items,
            Slot::One(f) => {
                if items.len() > 1 {
                    warnings.push(Warning {
                        line,
                        column,
                        message: format!(
                            "键“{typed}”应为一个值，列表各项已连接 / `{typed}` takes one value; the list items were joined"
                        ),
                        in_body: false,
                    });
                }
                *f(&mut header) = Some(items.concat());
            }
            Slot::Format => {
                let s = items.concat();
                header.format = Format::parse(&s).ok_or_else(|| DraftError::BadValue {
                    key: typed.clone(),
                    line,
                    expected: format!("文件、信函、命令或纪要之一（现为“{s}”）/ one of 文件, 信函, 命令, 纪要 (got `{s}`)"),
                })?;
            }
        }
    }
    Ok((header, positions, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_basic() {
        let s = split("---\n标题: x\n---\n正文\n").unwrap();
        assert_eq!(s.yaml, "标题: x\n");
        assert_eq!(s.yaml_start_line, 2);
        assert_eq!(s.body, "正文\n");
        assert_eq!(s.body_start_line, 4);
        let s = split("\u{feff}\n---\r\na: 1\r\n...\r\n").unwrap();
        assert_eq!(s.yaml, "a: 1\r\n");
        assert_eq!(s.yaml_start_line, 3);
        assert_eq!(s.body, "");
    }

    #[test]
    fn split_errors() {
        assert!(matches!(split("# 标题\n"), Err(DraftError::NoFrontMatter)));
        assert!(matches!(
            split("---\n标题: x\n"),
            Err(DraftError::UnclosedFrontMatter { line: 1 })
        ));
    }

    #[test]
    fn raw_values_kept() {
        let yaml = "份号: 000001\n发文字号: 国办发[2026]3号\nsigners:\n  - 张三\n  - 李四\n主送机关: 各区县人民政府\n格式: 信函\ncc: [市委办公室, 市人大办公室]\n";
        let (h, pos, w) = parse_header(yaml, 2).unwrap();
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(h.copy_number.as_deref(), Some("000001"));
        assert_eq!(h.doc_number.as_deref(), Some("国办发[2026]3号"));
        assert_eq!(h.signers, vec!["张三", "李四"]);
        assert_eq!(h.recipients, vec!["各区县人民政府"]);
        assert_eq!(h.format, Format::Letter);
        assert_eq!(h.cc, vec!["市委办公室", "市人大办公室"]);
        let dn = pos.iter().find(|p| p.key == "doc_number").unwrap();
        assert_eq!((dn.line, dn.typed.as_str()), (3, "发文字号"));
        let s = pos.iter().find(|p| p.key == "signers").unwrap();
        assert_eq!((s.line, s.value_line), (4, 5));
    }

    #[test]
    fn scalar_with_trailing_colon_kept() {
        let (h, _, _) =
            parse_header("主送机关: 各区县财政局，市直各部门:\n标题: a: b\n", 2).unwrap();
        assert_eq!(h.recipients, vec!["各区县财政局，市直各部门:"]);
        assert_eq!(h.title.as_deref(), Some("a: b"));
    }

    #[test]
    fn bracketed_year_then_text_is_a_string_not_a_list() {
        let (h, _, _) = parse_header(
            "发文字号: [2026]3号\n主送机关: [各单位, 各部门]\n标题: {x}y\n",
            2,
        )
        .unwrap();
        assert_eq!(h.doc_number.as_deref(), Some("[2026]3号"));
        assert_eq!(h.recipients, vec!["各单位", "各部门"]);
        assert_eq!(h.title.as_deref(), Some("{x}y"));
    }

    #[test]
    fn a_key_given_twice_names_both_lines() {
        let e = parse_header("标题: a\n主送机关: b\n标题: c\n", 2).unwrap_err();
        assert!(matches!(
            e,
            DraftError::DuplicateKey {
                line: 4,
                first_line: 2,
                ..
            }
        ));
        assert!(
            e.to_string()
                .starts_with("第4行：“标题”重复，第2行已有“标题”")
        );
        // the Chinese and the English name of one element
        let e = parse_header("title: a\n标题: c\n", 2).unwrap_err();
        assert!(
            e.to_string()
                .contains("第3行：“标题”重复，第2行已有“title”")
        );
    }

    #[test]
    fn list_item_with_trailing_colon_kept() {
        let (h, _, _) = parse_header("主送机关:\n  - 市政府:\n", 2).unwrap();
        assert_eq!(h.recipients, vec!["市政府:"]);
    }

    #[test]
    fn numeric_list_items_keep_zeros() {
        let (h, _, _) = parse_header("附件:\n  - 007\n  - 附件二\n", 2).unwrap();
        assert_eq!(h.attachments, vec!["007", "附件二"]);
    }

    #[test]
    fn unknown_key_warns_with_line() {
        let (_, _, w) = parse_header("标题: 关于x的通知\n作者: 张三\n", 2).unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, 3);
        assert!(w[0].message.contains("作者"));
    }

    #[test]
    fn full_width_colon_is_an_error() {
        let e = parse_header("标题: x\n主送机关：各部门\n", 2).unwrap_err();
        assert!(
            matches!(e, DraftError::FullWidthColon { line: 3, .. }),
            "{e:?}"
        );
    }

    #[test]
    fn yaml_error_has_source_line() {
        let e = parse_header("标题: x\n附件: [a, b\n", 2).unwrap_err();
        match &e {
            DraftError::Yaml { line, message, .. } => {
                assert!(*line >= 3, "{line}");
                // The parser's own line numbers are the file's too: the
                // flow sequence opens on file line 3, not YAML line 2.
                assert!(
                    message.contains("flow sequence at line 3 column"),
                    "{message}"
                );
                assert!(message.contains("以 [ 或 { 开头的值请加引号"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            file_lines("at line 2 column 7, line x", 1),
            "at line 3 column 7, line x"
        );
    }

    #[test]
    fn bad_format() {
        let e = parse_header("格式: 公告\n", 2).unwrap_err();
        assert!(matches!(e, DraftError::BadValue { line: 2, .. }), "{e:?}");
    }
}
