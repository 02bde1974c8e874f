//! The body of a draft: Markdown (CommonMark + GFM tables, via
//! pulldown-cmark) → [`Block`]s.
//!
//! Headings `#`..`####` become 层次 levels 1–4 (GB/T 9704-2012 §7.3.3) and
//! are numbered automatically (`一、` / `（一）` / `1.` / `（1）`). A number the
//! author already typed at the start of a heading (`一、`, `（一）`, `1.`,
//! `（1）` or a wrong form such as `1、`, `(一)、`) is stripped from the text
//! and kept in [`Block::Heading::typed_number`] for the checker, so the
//! output never shows two numbers. A short paragraph typed the way clerks
//! type headings, with its own `一、` or `（一）` and no `#`, is
//! a heading too. List items become paragraphs that keep
//! their typed marker (`1.`), since 公文 have no bullet lists. 公文 have no
//! images or footnotes: an image keeps its alt text, a footnote's text
//! becomes a paragraph where it stands, each with a [`Warning`]. HTML is
//! printed as typed, except comments (`<!-- … -->`), which are dropped.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::Warning;
use super::model::{Block, Inline, heading_number};

/// The digit system of a typed heading number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    /// Chinese numerals: 一 二 … 十一.
    Chinese,
    /// Arabic digits (ASCII or full-width).
    Arabic,
}

/// A heading number as the author typed it, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedNumber {
    /// Chinese numerals or Arabic digits.
    pub kind: NumberKind,
    /// The numeric value (`十一` → 11).
    pub value: u32,
    /// The opening parenthesis, `（` or `(`, if any.
    pub open: Option<char>,
    /// The closing parenthesis, `）` or `)`, if any.
    pub close: Option<char>,
    /// Punctuation right after the number or the closing parenthesis
    /// (`、` `.` `．` `，` `,` `:` `：`), if any.
    pub after: Option<char>,
    /// The exact typed text, e.g. `"（一）、"`.
    pub text: String,
}

impl TypedNumber {
    /// Whether this is the correct form for a heading of `level`
    /// (GB/T 9704-2012 §7.3.3): 1 `一、`, 2 `（一）` (full-width parentheses,
    /// nothing after), 3 `1.` (or full-width `１．`), 4 `（1）`.
    pub fn is_form_of_level(&self, level: u8) -> bool {
        let paren_ok = self.open == Some('（') && self.close == Some('）') && self.after.is_none();
        match level {
            0 | 1 => {
                self.kind == NumberKind::Chinese && self.open.is_none() && self.after == Some('、')
            }
            2 => self.kind == NumberKind::Chinese && paren_ok,
            3 => {
                self.kind == NumberKind::Arabic
                    && self.open.is_none()
                    && matches!(self.after, Some('.') | Some('．'))
            }
            _ => self.kind == NumberKind::Arabic && paren_ok,
        }
    }
}

/// Value of a Chinese numeral up to 9999: `十一` → 11, `二十` → 20,
/// `一百零五` → 105, `〇`/`零` → 0, digit by digit `一〇八` → 108. `None` for
/// anything else.
pub fn chinese_value(s: &str) -> Option<u32> {
    crate::meta::chars::chinese_number(s)
}

fn is_cn_numeral(c: char) -> bool {
    "〇零○一二两三四五六七八九十百".contains(c)
}

/// Parse a heading number at the start of `text` (leading whitespace
/// ignored). Returns the number and the byte offset in `text` where the
/// heading text proper starts (after the number and any spaces).
///
/// Recognised: `一、` `一，` `一.`; `（一）` `(一)` with optional `、` `.` `，`
/// after; `1.` `1．` `1、` `1，` (not `1.5`); `（1）` `(1)` with optional
/// punctuation after. A bare numeral with nothing after (`十分重要`) is not
/// a number.
pub fn parse_typed_number(text: &str) -> Option<(TypedNumber, usize)> {
    let lead = text.len() - text.trim_start().len();
    let s = &text[lead..];
    let mut chars = s.char_indices().peekable();
    let open = match chars.peek() {
        Some(&(_, c @ ('（' | '('))) => {
            chars.next();
            Some(c)
        }
        _ => None,
    };
    let start = chars.peek()?.0;
    let first = chars.peek()?.1;
    let kind = if is_cn_numeral(first) {
        NumberKind::Chinese
    } else if first.is_ascii_digit() || ('０'..='９').contains(&first) {
        NumberKind::Arabic
    } else {
        return None;
    };
    let mut end = start;
    while let Some(&(i, c)) = chars.peek() {
        let ok = match kind {
            NumberKind::Chinese => is_cn_numeral(c),
            NumberKind::Arabic => c.is_ascii_digit() || ('０'..='９').contains(&c),
        };
        if !ok {
            break;
        }
        end = i + c.len_utf8();
        chars.next();
    }
    let digits = &s[start..end];
    let value = match kind {
        NumberKind::Chinese => chinese_value(digits)?,
        NumberKind::Arabic => digits
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    c
                } else {
                    char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or('0')
                }
            })
            .collect::<String>()
            .parse()
            .ok()?,
    };
    let mut pos = end;
    let close = if open.is_some() {
        match chars.peek() {
            Some(&(i, c @ ('）' | ')'))) => {
                chars.next();
                pos = i + c.len_utf8();
                Some(c)
            }
            _ => return None,
        }
    } else {
        None
    };
    let after = match chars.peek() {
        Some(&(i, c @ ('、' | '.' | '．' | '，' | ',' | ':' | '：'))) => {
            // `1.5倍` is not a number
            let next = s[i + c.len_utf8()..].chars().next();
            if kind == NumberKind::Arabic
                && open.is_none()
                && (c == '.' || c == '．')
                && next.is_some_and(|n| n.is_ascii_digit())
            {
                return None;
            }
            pos = i + c.len_utf8();
            Some(c)
        }
        _ => None,
    };
    if open.is_none() && after.is_none() {
        return None;
    }
    let typed = s[..pos].to_string();
    let rest = &s[pos..];
    let skip = rest.len() - rest.trim_start().len();
    Some((
        TypedNumber {
            kind,
            value,
            open,
            close,
            after,
            text: typed,
        },
        lead + pos + skip,
    ))
}

/// A plain paragraph that is a 层次 heading as clerks type it, without `#`:
/// a number of the first or second level in its standard form (`一、`,
/// `（一）`; GB/T 9704-2012 §7.3.3) followed by a heading text of at most
/// 50 characters with no sentence punctuation (`。！？；`, a colon only at
/// the end), so that a run-in heading followed by its text stays a
/// paragraph. `一、二等奖各一名` (first and second prizes) is not a
/// heading. Its number need not be in sequence: like a `#` heading's,
/// it is kept for the checker, which flags it (GW-HEADING-ORDER). Returns
/// the level, the typed number and the heading text. Third- and
/// fourth-level numbers (`1.`, `（1）`) stay paragraphs: they are set in
/// 仿宋 like the body.
fn plain_heading(runs: &[Inline]) -> Option<(u8, TypedNumber, String)> {
    let text = plain(runs);
    let text = text.trim();
    let (tn, off) = parse_typed_number(text)?;
    let level = upper_level(&tn)?;
    let rest = text[off..].trim();
    let n = rest.chars().count();
    if rest.ends_with(['，', ',', '、']) {
        return None; // `二、三季度开展专项整治，` runs on
    }
    let words = rest.trim_end_matches(['：', ':']);
    let plain_words = !words.contains(['。', '！', '？', '；', '：', ':', '!', '?', ';', '\n']);
    ((1..=50).contains(&n) && plain_words && !numeral_list(rest))
        .then(|| (level, tn, rest.to_string()))
}

/// Whether the text after a typed `一、` goes on listing numerals:
/// `一、二等奖各一名` lists prizes (一、二等奖 = first and second prizes),
/// `二、三、四季度…` quarters, while `二、三农工作` is a heading.
fn numeral_list(rest: &str) -> bool {
    let numerals = rest.len() - rest.trim_start_matches(is_cn_numeral).len();
    numerals > 0 && rest[numerals..].starts_with(['等', '、'])
}

/// A paragraph opening with a first- or second-level number in its
/// standard form (`（一）加强组织领导。各单位要…`, a run-in heading) takes
/// its place in the count, so that the typed heading after it
/// (`（二）经费保障`) is numbered on from it.
fn count_run_in(counters: &mut [u32; 5], text: &str) {
    let Some((tn, off)) = parse_typed_number(text) else {
        return;
    };
    if numeral_list(&text[off..]) {
        return;
    }
    if let Some(level) = upper_level(&tn) {
        count_at(counters, level);
    }
}

/// The level of a typed number in the standard form of the first or second
/// level (`一、` 1, `（一）` 2; GB/T 9704-2012 §7.3.3), the levels set apart
/// in 黑体 and 楷体.
fn upper_level(tn: &TypedNumber) -> Option<u8> {
    [1u8, 2].into_iter().find(|&l| tn.is_form_of_level(l))
}

/// Count one more heading of `level`: deeper levels start again. Returns
/// its place among its siblings (1-based).
fn count_at(counters: &mut [u32; 5], level: u8) -> u32 {
    let li = level as usize;
    counters[li] += 1;
    for c in counters.iter_mut().skip(li + 1) {
        *c = 0;
    }
    counters[li]
}

/// Whether a line ends a sentence: `。！？；：` (or ASCII), an ellipsis
/// `……`, also inside closing brackets and quotes (`（见附件。）`,
/// `“检查情况。”`).
fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(['）', ')', '”', '’', '」', '』', '》', '】', '"', '\'']);
    t.ends_with(['。', '！', '？', '；', '：', '!', '?', ';', ':', '…'])
}

/// `runs` cut at the byte offsets `breaks` (ascending) of their text: one
/// run list per line.
fn split_lines(runs: &[Inline], breaks: &[usize]) -> Vec<Vec<Inline>> {
    let mut out = Vec::with_capacity(breaks.len() + 1);
    let mut rest = runs.to_vec();
    let mut done = 0;
    for &b in breaks {
        let (head, tail) = split_runs(&rest, b.saturating_sub(done));
        out.push(head);
        rest = tail;
        done = b.max(done);
    }
    out.push(rest);
    out
}

/// Whether a line opens with a typed heading number (`一、` `（一）` `1.`
/// `（1）`, or a wrong form such as `1、` `（一）、` `(1)`), and whether it is
/// a short numbered line standing alone (`1.加强领导`: at most 50
/// characters after the number, no sentence punctuation).
fn numbered_line(text: &str) -> (bool, bool) {
    let Some((_, off)) = parse_typed_number(text) else {
        return (false, false);
    };
    let rest = text[off..].trim();
    let short = (1..=50).contains(&rest.chars().count())
        && !rest.contains(['。', '！', '？', '；', '!', '?', ';']);
    (true, short)
}

/// Whether the group just extended by a line ends as a paragraph of its
/// own: a short numbered line alone in its group, without a comma.
fn open_title(title: bool, no_comma: bool, group: &[Inline]) -> bool {
    title && no_comma && parse_typed_number(plain(group).trim()).is_some()
}

/// `runs` cut at byte `at` of their text: the runs before and after.
fn split_runs(runs: &[Inline], at: usize) -> (Vec<Inline>, Vec<Inline>) {
    let (mut head, mut tail) = (Vec::new(), Vec::new());
    let mut pos = 0;
    for r in runs {
        let end = pos + r.text.len();
        if end <= at {
            head.push(r.clone());
        } else if pos >= at {
            tail.push(r.clone());
        } else if r.text.is_char_boundary(at - pos) {
            let (a, b) = r.text.split_at(at - pos);
            head.push(Inline {
                text: a.to_string(),
                bold: r.bold,
            });
            tail.push(Inline {
                text: b.to_string(),
                bold: r.bold,
            });
        } else {
            tail.push(r.clone());
        }
        pos = end;
    }
    (head, tail)
}

/// `html` without its HTML comments, which may span several pieces of
/// HTML (`in_comment`: whether the previous piece ended inside one).
fn drop_comments(html: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = html;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(i) => {
                    rest = &rest[i + 3..];
                    *in_comment = false;
                }
                None => return out,
            }
        } else {
            match rest.find("<!--") {
                Some(i) => {
                    out.push_str(&rest[..i]);
                    rest = &rest[i + 4..];
                    *in_comment = true;
                }
                None => {
                    out.push_str(rest);
                    return out;
                }
            }
        }
    }
}

/// The next heading of `level`: its counter counts up, deeper levels start
/// again, and it gets the number of its place (`heading_number`).
fn next_heading(
    counters: &mut [u32; 5],
    level: u8,
    typed_number: Option<String>,
    text: Vec<Inline>,
) -> Block {
    Block::Heading {
        level,
        number: heading_number(level, count_at(counters, level)),
        typed_number,
        text,
    }
}

/// Byte offset → 1-based line within `text`.
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut v = vec![0];
        v.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex(v)
    }
    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset)
    }
}

/// Append text to a run list, merging with the previous run of the same
/// weight.
fn push_text(runs: &mut Vec<Inline>, text: &str, bold: bool) {
    if text.is_empty() {
        return;
    }
    if let Some(last) = runs.last_mut()
        && last.bold == bold
    {
        last.text.push_str(text);
        return;
    }
    runs.push(Inline {
        text: text.to_string(),
        bold,
    });
}

/// A soft line break: nothing between CJK characters, a space between
/// Latin words.
fn soft_break(runs: &mut [Inline], next_is_latin: bool) {
    if let Some(last) = runs.last_mut()
        && next_is_latin
        && last
            .text
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        last.text.push(' ');
    }
}

/// Trim whitespace at both ends of a run list and drop empty runs.
fn trim_runs(mut runs: Vec<Inline>) -> Vec<Inline> {
    if let Some(f) = runs.first_mut() {
        f.text = f.text.trim_start().to_string();
    }
    if let Some(l) = runs.last_mut() {
        l.text = l.text.trim_end().to_string();
    }
    runs.retain(|r| !r.text.is_empty());
    runs
}

/// Push the paragraph of `runs` (trimmed; the list item's marker, if any,
/// in front) as a block starting on source line `line`; nothing when empty.
fn flush_paragraph(
    runs: &mut Vec<Inline>,
    item_prefix: &mut Option<String>,
    blocks: &mut Vec<Block>,
    lines: &mut Vec<usize>,
    line: usize,
) {
    let mut r = trim_runs(std::mem::take(runs));
    if let Some(p) = item_prefix.take()
        && !p.is_empty()
        && !r.is_empty()
    {
        if r[0].bold {
            r.insert(0, Inline::plain(p));
        } else {
            r[0].text.insert_str(0, &p);
        }
    }
    if !r.is_empty() {
        blocks.push(Block::Paragraph(r));
        lines.push(line);
    }
}

/// The blocks and source lines of a paragraph's text, built up in order.
struct Out<'a> {
    blocks: &'a mut Vec<Block>,
    lines: &'a mut Vec<usize>,
    counters: &'a mut [u32; 5],
}

/// A paragraph's (or list item's) text `all`, its line breaks (`breaks`:
/// byte offsets in the text, and whether the break was a hard one) and
/// its first source line, taken apart into headings and paragraphs as
/// clerks type them (see `End(Paragraph)` in [`parse_body`]).
fn take_apart(
    all: Vec<Inline>,
    breaks: &[(usize, bool)],
    block_line: usize,
    item_prefix: &mut Option<String>,
    out: &mut Out<'_>,
) {
    // Clerks type one heading or numbered item a line, often
    // without blank lines between. Lines are taken apart only
    // where the previous one ends a sentence (or stood alone):
    // there a typed heading line is a heading, a short numbered
    // line (`1.加强领导`) a paragraph of its own, and a line
    // opening with a number or `附件` starts a new paragraph.
    // A line cut mid-sentence (`…，实行` / `闭环管理…`) runs on,
    // as Markdown joins it. A hard break ends a paragraph.
    let offsets: Vec<usize> = breaks.iter().map(|b| b.0).collect();
    // The first line of an ordered list item carries its marker (`1.`): it
    // stays a paragraph.
    let marked = item_prefix.as_ref().is_some_and(|p| !p.is_empty());
    if breaks.is_empty() {
        if let Some((level, tn, text)) = plain_heading(&all).filter(|_| !marked) {
            let text = vec![Inline::plain(text)];
            out.blocks
                .push(next_heading(out.counters, level, Some(tn.text), text));
            out.lines.push(block_line);
        } else {
            count_run_in(out.counters, plain(&all).trim());
            let mut all = all;
            flush_paragraph(&mut all, item_prefix, out.blocks, out.lines, block_line);
        }
        return;
    }
    let mut group: Vec<Inline> = Vec::new();
    let mut group_line = block_line;
    let mut open = true; // may the next line start a block?
    for (i, line) in split_lines(&all, &offsets).into_iter().enumerate() {
        let line_no = block_line + i;
        if i > 0 && breaks[i - 1].1 {
            // after a hard break: a new paragraph
            flush_paragraph(&mut group, item_prefix, out.blocks, out.lines, group_line);
            group_line = line_no;
            open = true;
        }
        let text = plain(&line);
        let text = text.trim();
        // A heading may hold a comma (`（一）加强组织领导，压实工作
        // 责任`) when it is short; a longer line with one is a
        // sentence wrapped in the middle.
        let words = parse_typed_number(text).map_or(text, |(_, off)| &text[off..]);
        let no_comma = !text.contains(['，', ',']);
        let heading_like = no_comma || words.chars().count() <= 25;
        let ends_sentence = ends_sentence(text);
        // A typed heading line stands alone after any line: it
        // has no sentence punctuation, so it is no sentence's end.
        if heading_like
            && !(i == 0 && marked)
            && let Some((level, tn, head)) = plain_heading(&line)
        {
            flush_paragraph(&mut group, item_prefix, out.blocks, out.lines, group_line);
            let head = vec![Inline::plain(head)];
            out.blocks
                .push(next_heading(out.counters, level, Some(tn.text), head));
            out.lines.push(line_no);
            group_line = line_no + 1;
            open = true;
            continue;
        }
        let (numbered, title) = numbered_line(text);
        // In a 附件说明 typed in the body each numbered name is a
        // line of its own.
        let in_annex = plain(&group).trim_start().starts_with("附件");
        if (open || in_annex && numbered) && (numbered || text.starts_with("附件")) {
            flush_paragraph(&mut group, item_prefix, out.blocks, out.lines, group_line);
            group_line = line_no;
            count_run_in(out.counters, text);
        }
        for r in &line {
            push_text(&mut group, &r.text, r.bold);
        }
        open = ends_sentence;
        if open_title(title, no_comma, &group) {
            flush_paragraph(&mut group, item_prefix, out.blocks, out.lines, group_line);
            group_line = line_no + 1;
            open = true;
        }
    }
    flush_paragraph(&mut group, item_prefix, out.blocks, out.lines, group_line);
}

/// Parse the Markdown `body` (whose first line is source line `first_line`)
/// into blocks, their source lines, and warnings (e.g. headings deeper
/// than `####`).
pub fn parse_body(body: &str, first_line: usize) -> (Vec<Block>, Vec<usize>, Vec<Warning>) {
    let idx = LineIndex::new(body);
    let line_of = |off: usize| first_line + idx.line(off) - 1;
    let mut blocks = Vec::new();
    let mut lines = Vec::new();
    let mut warnings = Vec::new();

    let mut runs: Vec<Inline> = Vec::new();
    let mut bold = 0u32;
    let mut block_line = first_line;
    let mut heading: Option<u8> = None;
    let mut counters = [0u32; 5];
    let mut table: Option<Vec<Vec<Vec<Inline>>>> = None;
    let mut row: Vec<Vec<Inline>> = Vec::new();
    let mut in_cell = false;
    let mut list_stack: Vec<Option<u64>> = Vec::new();
    let mut item_prefix: Option<String> = None;
    let mut pending_break = false;
    let mut in_comment = false;
    // Line where the last comment opened (for a comment never closed).
    let mut comment_open: Option<usize> = None;
    // Length of the paragraph's text at each of its line breaks, to split
    // it into the lines as typed (see `End(Paragraph)`).
    let mut line_breaks: Vec<(usize, bool)> = Vec::new();

    // Footnotes are parsed so that their text is not dropped as a link
    // reference definition (`[^1]: …`); they come out as paragraphs.
    let parser = Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES)
        .into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush_paragraph(
                    &mut runs,
                    &mut item_prefix,
                    &mut blocks,
                    &mut lines,
                    block_line,
                );
                let mut l = level as u8;
                if l > 4 {
                    warnings.push(Warning {
                        line: line_of(range.start),
                        column: 1,
                        message: format!(
                            "公文层次最多四层（GB/T 9704-2012 §7.3.3），{l} 级标题按第四层处理 / headings deeper than #### are treated as level 4"
                        ),
                        in_body: true,
                    });
                    l = 4;
                }
                heading = Some(l);
                block_line = line_of(range.start);
            }
            Event::End(TagEnd::Heading(_)) => {
                let level = heading.take().unwrap_or(1);
                let mut text = trim_runs(std::mem::take(&mut runs));
                let mut typed_number = None;
                if let Some(first) = text.first_mut()
                    && let Some((tn, off)) = parse_typed_number(&first.text)
                {
                    first.text = first.text[off..].to_string();
                    typed_number = Some(tn.text);
                }
                text.retain(|r| !r.text.is_empty());
                blocks.push(next_heading(&mut counters, level, typed_number, text));
                lines.push(block_line);
            }
            Event::Start(Tag::Paragraph) if !in_cell && heading.is_none() => {
                line_breaks.clear();
                // a paragraph inside a list item continues the item
                if item_prefix.is_none() {
                    flush_paragraph(
                        &mut runs,
                        &mut item_prefix,
                        &mut blocks,
                        &mut lines,
                        block_line,
                    );
                }
                block_line = line_of(range.start);
            }
            Event::End(TagEnd::Paragraph) => {
                let breaks = std::mem::take(&mut line_breaks);
                if in_cell {
                    flush_paragraph(
                        &mut runs,
                        &mut item_prefix,
                        &mut blocks,
                        &mut lines,
                        block_line,
                    );
                    continue;
                }
                let all = std::mem::take(&mut runs);
                take_apart(
                    all,
                    &breaks,
                    block_line,
                    &mut item_prefix,
                    &mut Out {
                        blocks: &mut blocks,
                        lines: &mut lines,
                        counters: &mut counters,
                    },
                );
            }
            Event::Start(Tag::List(start)) => {
                flush_paragraph(
                    &mut runs,
                    &mut item_prefix,
                    &mut blocks,
                    &mut lines,
                    block_line,
                );
                list_stack.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                list_stack.pop();
            }
            Event::Start(Tag::Item) => {
                flush_paragraph(
                    &mut runs,
                    &mut item_prefix,
                    &mut blocks,
                    &mut lines,
                    block_line,
                );
                block_line = line_of(range.start);
                line_breaks.clear();
                let src = &body[range.start..range.end];
                let marker: String = src
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                item_prefix = Some(match list_stack.last() {
                    Some(Some(_)) => {
                        let delim = src.trim_start()[marker.len()..]
                            .chars()
                            .next()
                            .unwrap_or('.');
                        format!("{marker}{delim}")
                    }
                    _ => String::new(),
                });
            }
            Event::End(TagEnd::Item) => {
                // A tight item's text, with the lines Markdown continued
                // into it (`1. 加强领导。` then `四、附则`): taken apart too.
                let breaks = std::mem::take(&mut line_breaks);
                let all = std::mem::take(&mut runs);
                take_apart(
                    all,
                    &breaks,
                    block_line,
                    &mut item_prefix,
                    &mut Out {
                        blocks: &mut blocks,
                        lines: &mut lines,
                        counters: &mut counters,
                    },
                );
            }
            Event::Start(Tag::Table(_)) => {
                flush_paragraph(
                    &mut runs,
                    &mut item_prefix,
                    &mut blocks,
                    &mut lines,
                    block_line,
                );
                table = Some(Vec::new());
                block_line = line_of(range.start);
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    blocks.push(Block::Table(t));
                    lines.push(block_line);
                }
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => row = Vec::new(),
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                if let Some(t) = table.as_mut() {
                    t.push(std::mem::take(&mut row));
                }
            }
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                runs.clear();
            }
            Event::End(TagEnd::TableCell) => {
                in_cell = false;
                row.push(trim_runs(std::mem::take(&mut runs)));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                warnings.push(Warning {
                    line: line_of(range.start),
                    column: 1,
                    message: format!(
                        "公文正文不排图片：图片“{dest_url}”未放入文档，只保留了说明文字 / images are not rendered: only the image's alt text is kept"
                    ),
                    in_body: true,
                });
            }
            Event::FootnoteReference(label) => {
                warnings.push(Warning {
                    line: line_of(range.start),
                    column: 1,
                    message: format!(
                        "公文不用脚注：脚注标记“[^{label}]”已略去，脚注内容作为正文段落排在原处 / footnotes are not used in 公文: the mark is dropped, the note is printed as a body paragraph where it stands"
                    ),
                    in_body: true,
                });
            }
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            // A footnote's text is a paragraph where it stands.
            Event::Start(Tag::CodeBlock(_))
            | Event::Start(Tag::HtmlBlock)
            | Event::Start(Tag::FootnoteDefinition(_)) => {
                flush_paragraph(
                    &mut runs,
                    &mut item_prefix,
                    &mut blocks,
                    &mut lines,
                    block_line,
                );
                block_line = line_of(range.start);
            }
            Event::End(TagEnd::CodeBlock) | Event::End(TagEnd::HtmlBlock) => {
                // one paragraph per non-empty line
                let text = plain(&std::mem::take(&mut runs));
                for (i, l) in text.lines().enumerate() {
                    if !l.trim().is_empty() {
                        blocks.push(Block::Paragraph(vec![Inline::plain(l.trim())]));
                        lines.push(block_line + i);
                    }
                }
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                // HTML is printed as typed, except comments (`<!-- 内部意见 -->`):
                // a note to colleagues never goes into the document.
                let was_in = in_comment;
                let t = drop_comments(&t, &mut in_comment);
                if in_comment && !was_in {
                    comment_open = Some(line_of(range.start));
                }
                if pending_break {
                    pending_break = false;
                    soft_break(
                        &mut runs,
                        t.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()),
                    );
                }
                push_text(&mut runs, &t, bold > 0);
            }
            Event::Text(t) | Event::Code(t) => {
                if pending_break {
                    pending_break = false;
                    soft_break(
                        &mut runs,
                        t.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()),
                    );
                }
                push_text(&mut runs, &t, bold > 0);
            }
            Event::SoftBreak => {
                pending_break = true;
                line_breaks.push((plain(&runs).len(), false));
            }
            // A hard break (two trailing spaces, `\\`) in a paragraph is a
            // line that ends a paragraph; the paragraph's lines are taken
            // apart at its end (`End(Paragraph)`).
            Event::HardBreak if heading.is_none() && !in_cell && item_prefix.is_none() => {
                line_breaks.push((plain(&runs).len(), true));
            }
            Event::HardBreak if heading.is_none() && !in_cell => {
                flush_paragraph(
                    &mut runs,
                    &mut item_prefix,
                    &mut blocks,
                    &mut lines,
                    block_line,
                );
                block_line = line_of(range.end);
            }
            _ => {}
        }
    }
    flush_paragraph(
        &mut runs,
        &mut item_prefix,
        &mut blocks,
        &mut lines,
        block_line,
    );
    if let Some(line) = comment_open.filter(|_| in_comment) {
        warnings.push(Warning {
            line,
            column: 1,
            message: "注释“<!--”没有结束（缺少“-->”），其后的正文都未排入文档 / an HTML comment is not closed with -->: the rest of the body is not printed".into(),
            in_body: true,
        });
    }
    (blocks, lines, warnings)
}

fn plain(runs: &[Inline]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::model::plain_text;

    #[test]
    fn typed_numbers() {
        let (n, off) = parse_typed_number("一、总体要求").unwrap();
        assert_eq!(
            (n.kind, n.value, n.after, off),
            (NumberKind::Chinese, 1, Some('、'), "一、".len())
        );
        assert!(n.is_form_of_level(1));
        let (n, _) = parse_typed_number("（十二）工作安排").unwrap();
        assert_eq!(n.value, 12);
        assert!(n.is_form_of_level(2));
        let (n, _) = parse_typed_number("(一)、工作安排").unwrap();
        assert!(!n.is_form_of_level(2));
        assert_eq!(n.text, "(一)、");
        let (n, _) = parse_typed_number("1、 加强领导").unwrap();
        assert_eq!((n.value, n.after), (1, Some('、')));
        assert!(!n.is_form_of_level(3));
        let (n, _) = parse_typed_number("3. 加强领导").unwrap();
        assert!(n.is_form_of_level(3));
        let (n, _) = parse_typed_number("（4）细则").unwrap();
        assert!(n.is_form_of_level(4));
        assert!(parse_typed_number("十分重要").is_none());
        assert!(parse_typed_number("1.5倍的增长").is_none());
        assert!(parse_typed_number("总体要求").is_none());
    }

    #[test]
    fn chinese_values() {
        assert_eq!(chinese_value("十"), Some(10));
        assert_eq!(chinese_value("十一"), Some(11));
        assert_eq!(chinese_value("二十三"), Some(23));
        assert_eq!(chinese_value("一百零五"), Some(105));
        assert_eq!(chinese_value("甲"), None);
        assert_eq!(chinese_value(""), None);
        assert_eq!(chinese_value("一〇八"), Some(108));
    }

    /// Each block as `H <number><text>` or `P <text>`.
    fn kinds(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Heading { number, text, .. } => format!("H {number}{}", plain_text(text)),
                Block::Paragraph(r) => format!("P {}", plain_text(r)),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    /// Each heading as (level, number, typed number, text).
    fn heads(blocks: &[Block]) -> Vec<(u8, String, Option<String>, String)> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading {
                    level,
                    number,
                    typed_number,
                    text,
                } => Some((
                    *level,
                    number.clone(),
                    typed_number.clone(),
                    plain_text(text),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn headings_numbered_and_stripped() {
        let md = "# 一、总体要求\n\n正文第一段。\n\n## 主要任务\n\n## （二）保障\n\n### 1、细则\n\n# 二、其他\n\n## 子项\n";
        let (blocks, lines, w) = parse_body(md, 10);
        assert!(w.is_empty());
        let heads = heads(&blocks);
        assert_eq!(
            heads,
            vec![
                (1, "一、".into(), Some("一、".into()), "总体要求".into()),
                (2, "（一）".into(), None, "主要任务".into()),
                (2, "（二）".into(), Some("（二）".into()), "保障".into()),
                (3, "1.".into(), Some("1、".into()), "细则".into()),
                (1, "二、".into(), Some("二、".into()), "其他".into()),
                (2, "（一）".into(), None, "子项".into()),
            ]
        );
        assert_eq!(lines[0], 10);
        assert_eq!(lines[1], 12);
    }

    #[test]
    fn plain_paragraph_headings_as_clerks_type_them() {
        let md = "一、总体要求\n\n（一）工作目标\n\n1.第一项\n\n二、保障措施\n\n\
                  （一）加强领导。各单位要高度重视。\n\n一、二等奖各一名\n\n\
                  五、跳号的标题\n\n（一）组织领导：\n\n# 三、组织领导\n";
        let (blocks, lines, _) = parse_body(md, 9);
        let heads = heads(&blocks);
        // An out-of-sequence number is a heading all the same, its typed
        // number kept for the checker (GW-HEADING-ORDER), as with `#`.
        assert_eq!(
            heads,
            vec![
                (1, "一、".into(), Some("一、".into()), "总体要求".into()),
                (2, "（一）".into(), Some("（一）".into()), "工作目标".into()),
                (1, "二、".into(), Some("二、".into()), "保障措施".into()),
                (1, "三、".into(), Some("五、".into()), "跳号的标题".into()),
                (
                    2,
                    "（一）".into(),
                    Some("（一）".into()),
                    "组织领导：".into()
                ),
                (1, "四、".into(), Some("三、".into()), "组织领导".into()),
            ]
        );
        assert_eq!(lines[0], 9);
        // third-level numbers, run-in headings and a text starting with a
        // numeral stay paragraphs
        let paras: Vec<String> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(r) => Some(plain_text(r)),
                _ => None,
            })
            .collect();
        assert_eq!(
            paras,
            vec![
                "1.第一项",
                "（一）加强领导。各单位要高度重视。",
                "一、二等奖各一名"
            ]
        );
    }

    #[test]
    fn typed_headings_starting_with_numerals_and_on_a_first_line() {
        let md = "一、总体要求\n正文第一段，\n接着写。\n\n二、三农工作\n\n（一）三项重点任务\n\n三、十大工程\n";
        let (blocks, lines, _) = parse_body(md, 1);
        let kinds = kinds(&blocks);
        assert_eq!(
            kinds,
            [
                "H 一、总体要求",
                "P 正文第一段，接着写。",
                "H 二、三农工作",
                "H （一）三项重点任务",
                "H 三、十大工程"
            ]
        );
        assert_eq!(&lines[..2], &[1, 2]);
    }

    #[test]
    fn headings_and_numbered_lines_typed_without_blank_lines() {
        let md = "一、总体要求\n（一）工作目标\n到2027年底，\n基本建成体系。\n（二）基本原则\n\
                  坚持统筹兼顾。\n1.加强领导\n各单位要加强领导。\n（三）加强督查。各单位要\n按期报送。\n\
                  二、三、四季度工作安排\n";
        let (blocks, lines, _) = parse_body(md, 1);
        let kinds = kinds(&blocks);
        assert_eq!(
            kinds,
            [
                "H 一、总体要求",
                "H （一）工作目标",
                "P 到2027年底，基本建成体系。",
                "H （二）基本原则",
                "P 坚持统筹兼顾。",
                "P 1.加强领导",
                "P 各单位要加强领导。",
                "P （三）加强督查。各单位要按期报送。",
                "P 二、三、四季度工作安排",
            ]
        );
        assert_eq!(lines, [1, 2, 3, 5, 6, 7, 8, 9, 11]);
    }

    #[test]
    fn wrapped_sentences_run_on_and_only_sentence_ends_split() {
        let md = "1.各单位要建立问题清单，明确责任人、整改措施和整改时限，实行\n闭环管理，逐项销号。\n\n\
                  一、各区县政府要成立检查工作组，主要负责同志亲自部署，分管负责同志\n具体抓。\n\n\
                  重点工作如下。\n二、三季度开展专项整治，\n三、四季度开展回头看。\n\n\
                  根据市委\n（一）号文件精神执行。\n\n\
                  各单位要高度重视，\n切实加强领导。\n1、加强领导\n（一）、工作目标\n(1)细则\n";
        let (blocks, lines, _) = parse_body(md, 1);
        let kinds = kinds(&blocks);
        assert_eq!(
            kinds,
            [
                "P 1.各单位要建立问题清单，明确责任人、整改措施和整改时限，实行闭环管理，逐项销号。",
                "P 一、各区县政府要成立检查工作组，主要负责同志亲自部署，分管负责同志具体抓。",
                "P 重点工作如下。",
                "P 二、三季度开展专项整治，三、四季度开展回头看。",
                "P 根据市委（一）号文件精神执行。",
                "P 各单位要高度重视，切实加强领导。",
                "P 1、加强领导",
                "P （一）、工作目标",
                "P (1)细则",
            ]
        );
        assert_eq!(lines, [1, 4, 7, 8, 11, 14, 16, 17, 18]);
    }

    #[test]
    fn comma_headings_bracketed_sentence_ends_hard_breaks_and_annex_lists() {
        let md = "现将有关事项通知如下。\n一、总体要求\n（一）加强组织领导，压实工作责任\n\
                  （二）强化督促检查，严格追责问责\n二、工作安排\n请各单位按要求报送（见附件。）\n\
                  1.报送材料\n有关事项另行通知……\n三、其他\n请按时报送。  \n1.联系方式\n\
                  请认真贯彻执行。\n附件：1.冬季安全生产大检查工作方案\n2.检查情况统计表\n";
        let (blocks, _, _) = parse_body(md, 1);
        let kinds = kinds(&blocks);
        assert_eq!(
            kinds,
            [
                "P 现将有关事项通知如下。",
                "H 一、总体要求",
                "H （一）加强组织领导，压实工作责任",
                "H （二）强化督促检查，严格追责问责",
                "H 二、工作安排",
                "P 请各单位按要求报送（见附件。）",
                "P 1.报送材料",
                "P 有关事项另行通知……",
                "H 三、其他",
                "P 请按时报送。",
                "P 1.联系方式",
                "P 请认真贯彻执行。",
                "P 附件：1.冬季安全生产大检查工作方案",
                "P 2.检查情况统计表",
            ]
        );
    }

    #[test]
    fn run_in_headings_count_and_headings_follow_unended_lines() {
        let md = "现将有关事项通知如下\n一、总体要求\n（一）加强组织领导。各单位要成立专班。\n\
                  （二）强化督查检查。市局将适时组织督查。\n（三）经费保障\n所需经费由各单位自行解决。\n";
        let (blocks, _, _) = parse_body(md, 1);
        let kinds: Vec<String> = blocks
            .iter()
            .map(|b| match b {
                Block::Heading {
                    number,
                    typed_number,
                    text,
                    ..
                } => format!(
                    "H {number}{} ({})",
                    plain_text(text),
                    typed_number.clone().unwrap_or_default()
                ),
                Block::Paragraph(r) => format!("P {}", plain_text(r)),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "P 现将有关事项通知如下",
                "H 一、总体要求 (一、)",
                "P （一）加强组织领导。各单位要成立专班。",
                "P （二）强化督查检查。市局将适时组织督查。",
                "H （三）经费保障 (（三）)",
                "P 所需经费由各单位自行解决。",
            ]
        );
    }

    #[test]
    fn lines_markdown_continues_into_a_list_item_are_taken_apart() {
        let md = "三、保障措施\n1. 加强领导。\n2. 强化督查。\n四、附则\n本通知自印发之日起施行。\n";
        let (blocks, lines, _) = parse_body(md, 1);
        let kinds = kinds(&blocks);
        assert_eq!(
            kinds,
            [
                "H 一、保障措施",
                "P 1.加强领导。",
                "P 2.强化督查。",
                "H 二、附则",
                "P 本通知自印发之日起施行。",
            ]
        );
        assert_eq!(lines, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn an_unclosed_comment_warns() {
        let md = "第一段。\n\n<!-- 未闭合的注释\n\n最后一段。\n";
        let (blocks, _, warnings) = parse_body(md, 5);
        assert_eq!(blocks.len(), 1);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, 7);
        assert!(warnings[0].message.contains("没有结束"));
    }

    #[test]
    fn html_comments_are_not_printed() {
        let md =
            "正文<!-- 内部意见：领导不同意 -->继续。\n\n<!--\n整段\n备注\n-->\n\n<b>保留</b>\n";
        let (blocks, _, _) = parse_body(md, 1);
        let text: Vec<String> = blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(r) => plain_text(r),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(text, vec!["正文继续。", "<b>保留</b>"]);
    }

    #[test]
    fn footnotes_and_images_are_kept_as_text_with_a_warning() {
        let md = "正文有脚注[^1]。\n\n![示意图](a.png)\n\n[^1]: 脚注内容。\n";
        let (blocks, _, warnings) = parse_body(md, 1);
        let text: Vec<String> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(r) => Some(plain_text(r)),
                _ => None,
            })
            .collect();
        assert_eq!(text, vec!["正文有脚注。", "示意图", "脚注内容。"]);
        assert_eq!(warnings.len(), 2);
        assert_eq!(warnings[0].line, 1);
        assert!(warnings[0].message.contains("[^1]"));
        assert_eq!(warnings[1].line, 3);
        assert!(warnings[1].message.contains("a.png"));
    }

    #[test]
    fn paragraphs_bold_and_breaks() {
        let md = "第一行\n第二行，**重点**内容。\n\nHello\nworld\n";
        let (blocks, _, _) = parse_body(md, 1);
        assert_eq!(
            blocks[0],
            Block::Paragraph(vec![
                Inline::plain("第一行第二行，"),
                Inline {
                    text: "重点".into(),
                    bold: true
                },
                Inline::plain("内容。"),
            ])
        );
        assert_eq!(
            blocks[1],
            Block::Paragraph(vec![Inline::plain("Hello world")])
        );
    }

    #[test]
    fn tables() {
        let md = "| 项目 | 金额 |\n|---|---|\n| **合计** | 100 |\n";
        let (blocks, lines, _) = parse_body(md, 5);
        let Block::Table(rows) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(rows.len(), 2);
        assert_eq!(plain_text(&rows[0][1]), "金额");
        assert!(rows[1][0][0].bold);
        assert_eq!(lines[0], 5);
    }

    #[test]
    fn list_items_keep_markers() {
        let md = "要求如下：\n\n1. 提高认识。\n2. 加强领导。\n";
        let (blocks, lines, _) = parse_body(md, 1);
        assert_eq!(blocks.len(), 3);
        assert_eq!(
            blocks[1],
            Block::Paragraph(vec![Inline::plain("1.提高认识。")])
        );
        assert_eq!(lines[2], 4);
    }

    #[test]
    fn html_is_kept_as_text() {
        let (blocks, _, _) = parse_body("a <b>x</b>\n", 1);
        assert_eq!(
            blocks[0],
            Block::Paragraph(vec![Inline::plain("a <b>x</b>")])
        );
    }
}
