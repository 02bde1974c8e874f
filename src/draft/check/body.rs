//! Rules on the 正文: heading numbers (GB/T 9704-2012 §7.3.3), a 附件说明
//! typed in the body as well as in the header (§7.3.4) and the one-matter
//! rule of 请示 / no requests in 报告 (条例 第十五条（四）).
//! Each rule cites its clause in [`super::RULES`].

use super::{Finding, doc_type_of, locate};
use crate::draft::body::{NumberKind, parse_typed_number};
use crate::draft::model::{Block, Document, heading_number, plain_text};
use crate::meta::doc_type::DocType;

/// Run all body rules, appending to `out`.
pub fn check_body(doc: &Document, source: &str, out: &mut Vec<Finding>) {
    check_headings(doc, source, out);
    check_paragraph_numbers(doc, source, out);
    check_one_matter(doc, source, out);
    check_attachment_note_twice(doc, source, out);
}

/// A 附件说明 typed as a body paragraph (`附件：1.……`) when the header's
/// `附件` key has one too: the layout prints the key's under the 正文
/// (GB/T 9704-2012 §7.3.4), so the document would carry it twice.
fn check_attachment_note_twice(doc: &Document, source: &str, out: &mut Vec<Finding>) {
    if doc.header.attachments.is_empty() {
        return;
    }
    for (block, &line) in doc.body.iter().zip(&doc.block_lines) {
        let Block::Paragraph(runs) = block else {
            continue;
        };
        let text = plain_text(runs);
        let t = text.trim_start();
        let Some(rest) = t.strip_prefix("附件") else {
            continue;
        };
        let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace());
        if !rest.starts_with(['：', ':']) {
            continue;
        }
        let shown: String = t.chars().take(24).collect();
        let more = if t.chars().count() > 24 { "……" } else { "" };
        let col = locate(source, line, "附件").map_or(1, |(_, c)| c);
        out.push(Finding::new(
            "GW-ATTACH-TWICE",
            line,
            col,
            format!("正文中又写了附件说明“{shown}{more}”，与“附件”键重复，生成的文档中会印两次"),
            "删去正文中的附件说明，附件名称只写在“附件”键中",
        ));
    }
}

/// Heading numbers (GB/T 9704-2012 §7.3.3): a typed number has the form of
/// its level (`一、` `（一）` `1.` `（1）`, full-width parentheses, nothing
/// after them) and the value of its position (GW-HEADING-FORM,
/// GW-HEADING-ORDER); levels are not skipped (GW-HEADING-SKIP, a warning).
fn check_headings(doc: &Document, source: &str, out: &mut Vec<Finding>) {
    let mut prev_level = 0u8;
    for (block, &line) in doc.body.iter().zip(&doc.block_lines) {
        let Block::Heading {
            level,
            number,
            typed_number,
            text,
        } = block
        else {
            continue;
        };
        let level = *level;
        let title = plain_text(text);
        if level > prev_level + 1 {
            out.push(Finding::new(
                "GW-HEADING-SKIP",
                line,
                1,
                format!("标题“{title}”是第{level}层，但前面没有第{}层", level - 1),
                "层次依次为“一、”“（一）”“1.”“（1）”，不跳层",
            ));
        }
        prev_level = level;
        let Some(typed) = typed_number else {
            continue;
        };
        let Some((tn, _)) = parse_typed_number(typed) else {
            continue;
        };
        let col = locate(source, line, typed).map_or(1, |(_, c)| c);
        let expected_value = parse_typed_number(number).map_or(0, |(n, _)| n.value);
        if !tn.is_form_of_level(level) {
            let right = heading_number(level, tn.value);
            let why = if tn.after.is_some() && tn.open.is_some() {
                format!("括号后不加标点，应为“{right}”")
            } else {
                format!("第{level}层序数应为“{right}”的形式")
            };
            out.push(Finding::new(
                "GW-HEADING-FORM",
                line,
                col,
                format!("标题序数“{typed}”形式不对：{why}"),
                format!("改为“{right}”，或删去序数由生成时自动编号"),
            ));
        }
        if tn.value != expected_value {
            out.push(Finding::new(
                "GW-HEADING-ORDER",
                line,
                col,
                format!("标题序数“{typed}”不连续：此处应为“{number}”"),
                format!("改为“{number}”，或删去序数由生成时自动编号"),
            ));
        }
    }
}

/// Paragraphs that start with a clearly wrong number form (`1、`, `（一）、`,
/// half-width `(1)`) get a warning of their own rule, GW-PARA-NUMBER (GB/T
/// 9704-2012 §7.3.3): a paragraph is not a heading, so the form may be
/// meant as it is.
fn check_paragraph_numbers(doc: &Document, source: &str, out: &mut Vec<Finding>) {
    for (block, &line) in doc.body.iter().zip(&doc.block_lines) {
        let Block::Paragraph(runs) = block else {
            continue;
        };
        let text = plain_text(runs);
        let Some((tn, _)) = parse_typed_number(&text) else {
            continue;
        };
        let wrong = match (tn.kind, tn.open) {
            (NumberKind::Arabic, None) => !matches!(tn.after, Some('.') | Some('．')),
            (_, Some(o)) => o != '（' || tn.close != Some('）') || tn.after.is_some(),
            (NumberKind::Chinese, None) => tn.after != Some('、'),
        };
        if wrong {
            let right = match (tn.kind, tn.open) {
                (NumberKind::Chinese, None) => heading_number(1, tn.value),
                (NumberKind::Chinese, Some(_)) => heading_number(2, tn.value),
                (NumberKind::Arabic, None) => heading_number(3, tn.value),
                (NumberKind::Arabic, Some(_)) => heading_number(4, tn.value),
            };
            let col = locate(source, line, &tn.text).map_or(1, |(_, c)| c);
            out.push(Finding::new(
                "GW-PARA-NUMBER",
                line,
                col,
                format!("段首序数“{}”形式不对，应为“{right}”", tn.text),
                format!("改为“{right}”"),
            ));
        }
    }
}

/// Phrases that ask the superior for a decision.
const REQUEST_PHRASES: &[&str] = &[
    "请批示",
    "请审批",
    "请批复",
    "请予批准",
    "请予审批",
    "请予批复",
    "请审定",
    "请核准",
    "请予核准",
    "请予支持",
];

/// 请示 carries one matter (heuristic: `并请`, or more than one request
/// phrase); a 报告 carries no request (条例 第十五条（四）).
fn check_one_matter(doc: &Document, source: &str, out: &mut Vec<Finding>) {
    let ty = doc_type_of(doc);
    if !matches!(ty, Some(DocType::Request) | Some(DocType::Report)) {
        return;
    }
    let mut requests = 0usize;
    for (block, &line) in doc.body.iter().zip(&doc.block_lines) {
        let text = match block {
            Block::Paragraph(r) | Block::Heading { text: r, .. } => plain_text(r),
            Block::Table(_) => continue,
        };
        if ty == Some(DocType::Request)
            && let Some(b) = text.find("并请")
        {
            let (l, col) =
                locate(source, line, "并请").unwrap_or((line, text[..b].chars().count() + 1));
            out.push(Finding::new(
                "GW-QINGSHI-ONE-MATTER",
                l,
                col,
                "请示中出现“并请”，可能一文多事",
                "一份请示只请示一件事，其他事项另行请示",
            ));
        }
        for p in REQUEST_PHRASES {
            for (b, _) in text.match_indices(p) {
                requests += 1;
                let (l, col) =
                    locate(source, line, p).unwrap_or((line, text[..b].chars().count() + 1));
                if ty == Some(DocType::Report) {
                    out.push(Finding::new(
                        "GW-REPORT-NO-REQUEST",
                        l,
                        col,
                        format!("报告中出现请示性用语“{p}”"),
                        "报告不夹带请示事项；需要批准的事项另行请示",
                    ));
                } else if requests == 2 {
                    out.push(Finding::new(
                        "GW-QINGSHI-ONE-MATTER",
                        l,
                        col,
                        format!("请示中第二次出现请示性用语“{p}”，可能一文多事"),
                        "一份请示只请示一件事，其他事项另行请示",
                    ));
                }
            }
        }
    }
}
