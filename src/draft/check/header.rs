//! Rules on the front-matter elements: 发文字号, 成文日期, 标题, 主送机关,
//! 附件说明, 抄送机关, 签发人, the required elements of each format, and the
//! 上行文 / 请示 rules that read the header. Each rule cites its clause in
//! [`super::RULES`].

use super::{Finding, Severity, doc_type_of, locate};
use crate::draft::body::{NumberKind, parse_typed_number};
use crate::draft::model::{Document, Format};
use crate::meta::date::{DateProblem, check_date, invalid_reason};
use crate::meta::doc_number::{DocNumber, DocNumberProblem, check_doc_number};
use crate::meta::doc_type::DocType;

/// Line and column of `needle` at or after the key's line, else the key's
/// own position, else line 1.
fn pos(doc: &Document, source: &str, key: &str, needle: &str) -> (usize, usize) {
    let Some(k) = doc.key_position(key) else {
        return (1, 1);
    };
    locate(source, k.line, needle).unwrap_or((k.line, k.column))
}

/// Run all header rules, appending to `out`.
pub fn check_header(doc: &Document, source: &str, out: &mut Vec<Finding>) {
    let ty = doc_type_of(doc);
    check_doc_number_rules(doc, source, out);
    if let Some(d) = &doc.header.date {
        check_date_rules(doc, source, "date", "成文日期", d, out);
    }
    if let Some(d) = &doc.header.printed_date {
        check_date_rules(doc, source, "printed_date", "印发日期", d, out);
    }
    check_doc_type_key(doc, source, out);
    check_title(doc, source, ty, out);
    check_recipients(doc, source, ty, out);
    check_attachments(doc, source, out);
    check_cc(doc, source, out);
    check_upward(doc, source, ty, out);
    check_required(doc, ty, out);
    check_small_elements(doc, source, out);
}

/// 发文字号 (GB/T 9704-2012 §7.2.5): 〔〕, four-digit year, no 第, no zero
/// padding, ends in 号. A 命令 令号 (`第708号`, §10.2) and a 纪要 期号
/// (`第12期`) are not 发文字号 and are not checked here.
fn check_doc_number_rules(doc: &Document, source: &str, out: &mut Vec<Finding>) {
    let Some(raw) = doc.header.doc_number.as_deref() else {
        return;
    };
    let t = raw.trim();
    let bare_serial = t.starts_with('第') && !t.contains(['〔', '[', '【', '(', '（', '［', '〖']);
    if bare_serial && matches!(doc.header.format, Format::Order | Format::Minutes) {
        return;
    }
    let canonical = DocNumber::parse_lenient(t).map(|n| n.to_string());
    let fix = canonical.as_deref().map_or_else(
        || "如“国办发〔2026〕3号”".to_string(),
        |c| format!("改为“{c}”"),
    );
    let at = |needle: &str| pos(doc, source, "doc_number", needle);
    for p in check_doc_number(t) {
        let f = match p {
            DocNumberProblem::WrongBrackets { found } => {
                let open: String = found.chars().take(1).collect();
                let (l, c) = at(&open);
                Finding::new(
                    "GW-DOCNUM-BRACKET",
                    l,
                    c,
                    format!("发文字号“{t}”的年份用了“{found}”，应使用六角括号“〔〕”"),
                    fix.clone(),
                )
            }
            DocNumberProblem::YearNotFourDigits { found } => {
                let (l, c) = at(&found);
                Finding::new(
                    "GW-DOCNUM-YEAR",
                    l,
                    c,
                    format!("发文字号“{t}”的年份“{found}”未标全称，应为四位年份"),
                    fix.clone(),
                )
            }
            DocNumberProblem::HasDi => {
                let (l, c) = at("第");
                Finding::new(
                    "GW-DOCNUM-DI",
                    l,
                    c,
                    format!("发文字号“{t}”的顺序号前不加“第”字"),
                    fix.clone(),
                )
            }
            DocNumberProblem::ZeroPadded { found } => {
                let (l, c) = at(&found);
                Finding::new(
                    "GW-DOCNUM-ZERO",
                    l,
                    c,
                    format!("发文字号“{t}”的顺序号“{found}”编了虚位（1不编为01）"),
                    fix.clone(),
                )
            }
            DocNumberProblem::MissingHao => {
                let (l, c) = at(t);
                Finding::new(
                    "GW-DOCNUM-HAO",
                    l,
                    c + t.chars().count().saturating_sub(1),
                    format!("发文字号“{t}”的顺序号后缺“号”字"),
                    fix.clone(),
                )
            }
            other => {
                let (l, c) = at(t);
                let what = match other {
                    DocNumberProblem::NotADocNumber => {
                        "不是“机关代字〔年份〕序号号”的形式".to_string()
                    }
                    DocNumberProblem::FullWidthDigits => {
                        "使用了全角数字，应使用阿拉伯数字（半角）".to_string()
                    }
                    DocNumberProblem::HasSpaces => "中间含有空格".to_string(),
                    DocNumberProblem::TrailingText { found } => {
                        format!("“号”后有多余文字“{found}”")
                    }
                    p => p.to_string(),
                };
                Finding::new(
                    "GW-DOCNUM-FORM",
                    l,
                    c,
                    format!("发文字号“{t}”{what}"),
                    fix.clone(),
                )
            }
        };
        out.push(f);
    }
}

/// 成文日期 / 印发日期 (GB/T 9704-2012 §7.3.5.4, §7.4.3): Arabic numerals,
/// year in full, month and day without zero padding, 年月日.
fn check_date_rules(
    doc: &Document,
    source: &str,
    key: &str,
    name: &str,
    raw: &str,
    out: &mut Vec<Finding>,
) {
    let t = raw.trim();
    let fix = crate::meta::date::CnDate::parse_lenient(t).map_or_else(
        || "写作“2026年1月5日”的形式".to_string(),
        |d| format!("改为“{d}”"),
    );
    let at = |needle: &str| pos(doc, source, key, needle);
    for p in check_date(t) {
        let f = match p {
            DateProblem::ChineseNumerals => {
                let (l, c) = at(t);
                Finding::new(
                    "GW-DATE-CHINESE",
                    l,
                    c,
                    format!("{name}“{t}”用了汉字数字，应使用阿拉伯数字"),
                    fix.clone(),
                )
            }
            DateProblem::ZeroPadded { found } => {
                let (l, c) = at(t);
                Finding::new(
                    "GW-DATE-ZERO",
                    l,
                    c,
                    format!("{name}“{t}”的月、日“{found}”编了虚位（1不编为01）"),
                    fix.clone(),
                )
            }
            other => {
                let (l, c) = at(t);
                // An impossible date is in the right form already: say what
                // is impossible, and ask for the date, not for another form.
                let (why, fix) = match &other {
                    DateProblem::InvalidDate { found } => match invalid_reason(found) {
                        Some(r) => (format!("：{r}"), "核对原件上的日期后改正".to_string()),
                        None => (String::new(), fix.clone()),
                    },
                    _ => (String::new(), fix.clone()),
                };
                let what = match other {
                    DateProblem::NotADate => "无法识别为日期".to_string(),
                    // `found` is the whole date when it is invalid as a whole: say it once.
                    DateProblem::InvalidDate { found } if found == t => {
                        format!("不是有效日期{why}")
                    }
                    DateProblem::InvalidDate { found } => format!("中“{found}”不是有效日期{why}"),
                    DateProblem::BadSeparator { found } => {
                        format!("用了“{found}”分隔，应写“年”“月”“日”")
                    }
                    DateProblem::FullWidthDigits => "使用了全角数字".to_string(),
                    DateProblem::HasSpaces => "中间含有空格".to_string(),
                    DateProblem::TrailingText { found } => format!("后有多余文字“{found}”"),
                    p => p.to_string(),
                };
                Finding::new("GW-DATE-FORM", l, c, format!("{name}“{t}”{what}"), fix)
            }
        };
        out.push(f);
    }
}

/// A `文种` key that names no 文种 of 条例 第八条 (`文种: 随便`, `通知书`):
/// said, because the checks that depend on the 文种 then go by the title.
fn check_doc_type_key(doc: &Document, source: &str, out: &mut Vec<Finding>) {
    let Some(raw) = doc.header.doc_type.as_deref().map(str::trim) else {
        return;
    };
    if raw.is_empty() || raw.parse::<DocType>().is_ok() {
        return;
    }
    let (l, c) = pos(doc, source, "doc_type", raw);
    let by_title = doc
        .header
        .title
        .as_deref()
        .and_then(DocType::from_title)
        .map_or(String::new(), |t| format!("，按标题作“{t}”检查"));
    out.push(Finding::new(
        "GW-DOCTYPE-UNKNOWN",
        l,
        c,
        format!("“文种: {raw}”不是条例第八条所列的文种{by_title}"),
        "写作决议、决定、命令、公报、公告、通告、意见、通知、通报、报告、请示、批复、议案、函、纪要之一",
    ));
}

const END_PUNCT: &[char] = &[
    '。', '.', '．', '，', ',', '；', ';', '：', ':', '！', '!', '？', '?', '、',
];

/// 标题 (GB/T 9704-2012 §7.3.1; 条例 第九条（六）): no end punctuation, and a
/// 文种 named at the end (文件 and 信函 formats); a `文种` key that
/// contradicts the title is a warning.
fn check_title(doc: &Document, source: &str, ty: Option<DocType>, out: &mut Vec<Finding>) {
    let Some(title) = doc.header.title.as_deref() else {
        return;
    };
    let t = title.trim();
    if let Some(last) = t.chars().last().filter(|c| END_PUNCT.contains(c)) {
        let (l, c) = pos(doc, source, "title", t);
        out.push(Finding::new(
            "GW-TITLE-PUNCT",
            l,
            c + t.chars().count() - 1,
            format!("标题末尾有标点“{last}”"),
            format!("删去“{last}”"),
        ));
    }
    if !matches!(doc.header.format, Format::File | Format::Letter) {
        return;
    }
    let from_title = DocType::from_title(t);
    match from_title {
        None => {
            let (l, c) = pos(doc, source, "title", t);
            let hint = ty.map_or_else(
                || "在标题末尾写明文种，如“关于……的通知”".to_string(),
                |d| format!("在标题末尾写明文种，如“关于……的{d}”"),
            );
            out.push(Finding::new(
                "GW-TITLE-DOCTYPE",
                l,
                c,
                format!("标题“{t}”未标明文种"),
                hint,
            ));
        }
        Some(from_title) => {
            let key_ty = doc
                .header
                .doc_type
                .as_deref()
                .and_then(|s| s.parse::<DocType>().ok());
            if let Some(k) = key_ty.filter(|k| *k != from_title) {
                let (l, c) = pos(doc, source, "title", t);
                out.push(
                    Finding::new(
                        "GW-TITLE-DOCTYPE",
                        l,
                        c,
                        format!("标题的文种“{from_title}”与“文种: {k}”不一致"),
                        "统一标题末尾的文种与“文种”键",
                    )
                    .with_severity(Severity::Warning),
                );
            }
        }
    }
}

/// Split a recipients/cc value into organ names (、，,；; separate them).
fn organs(items: &[String]) -> Vec<String> {
    items
        .iter()
        .flat_map(|s| s.split(['、', '，', ',', '；', ';']))
        .map(|s| {
            s.trim()
                .trim_end_matches(['：', ':', '。'])
                .trim()
                .to_string()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// 主送机关 (GB/T 9704-2012 §7.3.2): the last name ends with a full-width
/// colon. The key value may omit it (the renderer adds it), but a wrong mark
/// (`:` `，` `。` `；` `、`) is an error. Also: types that need a 主送机关
/// should have one, and a 请示 has exactly one (条例 第十五条（一）).
fn check_recipients(doc: &Document, source: &str, ty: Option<DocType>, out: &mut Vec<Finding>) {
    let r = &doc.header.recipients;
    if let Some(last) = r.last() {
        let t = last.trim();
        if let Some(ch) = t
            .chars()
            .last()
            .filter(|c| END_PUNCT.contains(c) && *c != '：')
        {
            let (l, c) = pos(doc, source, "recipients", t);
            let what = if ch == ':' {
                "半角冒号“:”".to_string()
            } else {
                format!("“{ch}”")
            };
            out.push(Finding::new(
                "GW-RECIPIENT-COLON",
                l,
                c + t.chars().count() - 1,
                format!("主送机关“{t}”末尾用了{what}，最后一个机关名称后应标全角冒号“：”"),
                format!(
                    "改为“{}：”或省略标点（生成时自动加“：”）",
                    t.trim_end_matches(END_PUNCT)
                ),
            ));
        }
    }
    let needs = matches!(
        ty,
        Some(
            DocType::Request
                | DocType::Report
                | DocType::Reply
                | DocType::Letter
                | DocType::Notice
                | DocType::Circular
                | DocType::Opinion
        )
    );
    if r.is_empty() && needs && doc.header.format != Format::Minutes {
        let l = doc.key_line("title");
        out.push(Finding::new(
            "GW-RECIPIENT-MISSING",
            l,
            1,
            format!("{}缺少主送机关", ty.map_or("公文", |t| t.name())),
            "加“主送机关: ……”",
        ));
    }
    if ty == Some(DocType::Request) {
        let names = organs(r);
        if names.len() != 1 {
            let l = if r.is_empty() {
                doc.key_line("title")
            } else {
                doc.key_line("recipients")
            };
            let msg = if names.is_empty() {
                "请示没有主送机关".to_string()
            } else {
                format!("请示主送了{}个机关（{}）", names.len(), names.join("、"))
            };
            out.push(Finding::new(
                "GW-QINGSHI-RECIPIENT",
                l,
                1,
                msg,
                "请示只主送一个上级机关，其他机关改为抄送",
            ));
        }
    }
}

/// 附件说明 (GB/T 9704-2012 §7.3.4): several attachments numbered `1.` `2.`
/// … in order (or left for the renderer to number), no number for a single
/// one, no punctuation after a name, no 书名号.
fn check_attachments(doc: &Document, source: &str, out: &mut Vec<Finding>) {
    let items = &doc.header.attachments;
    let n = items.len();
    let Some(k) = doc.key_position("attachments") else {
        return;
    };
    let mut typed = 0usize;
    for (i, raw) in items.iter().enumerate() {
        let t = raw.trim();
        let (l, c) = locate(source, k.line, t).unwrap_or((k.line, k.column));
        let mut name = t;
        if let Some((num, off)) = parse_typed_number(t)
            && num.kind == NumberKind::Arabic
        {
            typed += 1;
            name = t[off..].trim();
            let good_form = num.open.is_none() && matches!(num.after, Some('.') | Some('．'));
            if n == 1 {
                out.push(
                    Finding::new(
                        "GW-ATTACH-NUMBER",
                        l,
                        c,
                        format!("只有一个附件时不编顺序号（“{}”）", num.text),
                        format!("写作“{name}”"),
                    )
                    .with_severity(Severity::Warning),
                );
            } else if !good_form || num.value as usize != i + 1 {
                out.push(Finding::new(
                    "GW-ATTACH-NUMBER",
                    l,
                    c,
                    format!("第{}个附件的序号写作“{}”", i + 1, num.text),
                    format!(
                        "写作“{}.{}”，或不写序号由生成时自动编号",
                        i + 1,
                        name.trim_start_matches('《').trim_end_matches('》')
                    ),
                ));
            }
        }
        if name.starts_with('《') && name.ends_with('》') {
            out.push(Finding::new(
                "GW-ATTACH-QUOTES",
                l,
                c,
                format!("附件名称“{name}”加了书名号"),
                format!(
                    "写作“{}”",
                    name.trim_start_matches('《').trim_end_matches('》')
                ),
            ));
        }
        if let Some(p) = name.chars().last().filter(|c| END_PUNCT.contains(c)) {
            out.push(Finding::new(
                "GW-ATTACH-PUNCT",
                l,
                c + t.chars().count() - 1,
                format!("附件名称“{name}”后加了标点“{p}”"),
                format!("删去“{p}”"),
            ));
        }
    }
    if typed > 0 && typed < n && n > 1 {
        out.push(
            Finding::new(
                "GW-ATTACH-NUMBER",
                k.line,
                k.column,
                format!("{n}个附件中只有{typed}个写了序号"),
                "全部写“1.”“2.”……，或全部不写由生成时自动编号",
            )
            .with_severity(Severity::Warning),
        );
    }
}

/// 抄送机关 (GB/T 9704-2012 §7.4.2): when the author typed punctuation at
/// the end, it is the full stop `。`; a `。` before the last name is wrong.
fn check_cc(doc: &Document, source: &str, out: &mut Vec<Finding>) {
    let items = &doc.header.cc;
    let Some(k) = doc.key_position("cc") else {
        return;
    };
    for (i, raw) in items.iter().enumerate() {
        let t = raw.trim();
        let last_item = i + 1 == items.len();
        let Some(p) = t.chars().last().filter(|c| END_PUNCT.contains(c)) else {
            continue;
        };
        let bad = if last_item { p != '。' } else { p == '。' };
        if bad {
            let (l, c) = locate(source, k.line, t).unwrap_or((k.line, k.column));
            let (msg, hint) = if last_item {
                (
                    format!("最后一个抄送机关“{t}”后用了“{p}”，应标句号“。”"),
                    format!("改为“{}。”", t.trim_end_matches(END_PUNCT)),
                )
            } else {
                (
                    format!("抄送机关“{t}”不是最后一个，后面不用句号"),
                    "句号只标在最后一个抄送机关之后".to_string(),
                )
            };
            out.push(Finding::new(
                "GW-CC-PERIOD",
                l,
                c + t.chars().count() - 1,
                msg,
                hint,
            ));
        }
    }
}

/// 上行文 (请示, 报告): 签发人 required (GB/T 9704-2012 §7.2.6); 机关代字
/// without 发 (local practice, warning).
fn check_upward(doc: &Document, source: &str, ty: Option<DocType>, out: &mut Vec<Finding>) {
    let Some(ty) = ty.filter(|t| t.is_upward()) else {
        return;
    };
    if doc.header.signers.is_empty() {
        let l = doc
            .key_position("doc_type")
            .or_else(|| doc.key_position("title"))
            .map_or(1, |k| k.line);
        out.push(Finding::new(
            "GW-SIGNER-UPWARD",
            l,
            1,
            format!("{ty}是上行文，缺少签发人"),
            "加“签发人: 姓名”",
        ));
    }
    if let Some(raw) = doc.header.doc_number.as_deref()
        && let Some(n) = DocNumber::parse_lenient(raw)
        && let Some(base) = n.agency.strip_suffix('发')
        && !base.is_empty()
    {
        let (l, c) = pos(doc, source, "doc_number", &n.agency);
        out.push(Finding::new(
            "GW-UPWARD-FA",
            l,
            c,
            format!("{ty}是上行文，机关代字“{}”一般不用“发”字", n.agency),
            format!(
                "改为“{}”",
                DocNumber {
                    agency: base.to_string(),
                    ..n
                }
            ),
        ));
    }
}

/// Required elements per format (GB/T 9704-2012 §7 for 文件格式; §10.1
/// 信函, §10.2 命令, §10.3 纪要). Missing elements point at line 1 (the
/// opening `---`).
fn check_required(doc: &Document, ty: Option<DocType>, out: &mut Vec<Finding>) {
    let h = &doc.header;
    let has_mark = h.effective_issuer_mark().is_some();
    let has_sig = !h.effective_signature().is_empty();
    let mut missing: Vec<(&str, &str)> = Vec::new();
    let fmt = h.format;
    // 讲话稿, 总结, 计划 are not 公文 of 条例 第八条: no 版头/版记 required.
    if ty.is_some_and(|t| !t.is_statutory()) {
        return;
    }
    match fmt {
        Format::File | Format::Letter => {
            if !has_mark {
                missing.push(("发文机关标志", "发文机关: 青山市财政局"));
            }
            if h.doc_number.is_none() {
                missing.push(("发文字号", "发文字号: 青财发〔2026〕3号"));
            }
            if h.title.is_none() {
                missing.push(("标题", "标题: 关于……的通知"));
            }
            if h.date.is_none() {
                missing.push(("成文日期", "成文日期: 2026年11月30日"));
            }
            if !has_sig {
                missing.push(("发文机关署名", "发文机关署名: 青山市财政局"));
            }
        }
        Format::Order => {
            if !has_mark {
                missing.push(("发文机关标志", "发文机关: 青山市人民政府"));
            }
            if h.doc_number.is_none() {
                missing.push(("令号", "发文字号: 第1号"));
            }
            if h.signers.is_empty() {
                missing.push(("签发人（签名章）", "签发人: 市长 张三"));
            }
            if h.date.is_none() {
                missing.push(("成文日期", "成文日期: 2026年11月30日"));
            }
        }
        Format::Minutes => {
            if h.issuer_mark.is_none() {
                missing.push(("纪要标志", "发文机关标志: 青山市人民政府常务会议纪要"));
            }
        }
    }
    for (what, example) in missing {
        out.push(Finding::new(
            "GW-REQUIRED",
            1,
            1,
            format!("{}格式缺少{what}", fmt.chinese_name()),
            format!("在 front matter 中加“{example}”"),
        ));
    }
    if fmt == Format::Minutes
        && let Some(m) = h.issuer_mark.as_deref()
        && !m.trim().ends_with("纪要")
    {
        out.push(Finding::new(
            "GW-REQUIRED",
            doc.key_line("issuer_mark"),
            1,
            format!("纪要标志“{m}”应由“××××纪要”组成"),
            "如“青山市人民政府常务会议纪要”",
        ));
    }
    if fmt == Format::File && ty != Some(DocType::Minutes) {
        let mut gone = Vec::new();
        if h.printed_by.is_none() {
            gone.push("印发机关");
        }
        if h.printed_date.is_none() {
            gone.push("印发日期");
        }
        if !gone.is_empty() {
            out.push(Finding::new(
                "GW-IMPRINT-MISSING",
                1,
                1,
                format!("版记缺少{}", gone.join("和")),
                "加“印发机关: ……办公室”和“印发日期: 2026年11月30日”",
            ));
        }
    }
    if fmt == Format::Letter {
        for key in ["printed_by", "printed_date"] {
            if let Some(k) = doc.key_position(key) {
                out.push(Finding::new(
                    "GW-LETTER-IMPRINT",
                    k.line,
                    k.column,
                    format!(
                        "信函格式版记不加{}",
                        if key == "printed_by" {
                            "印发机关"
                        } else {
                            "印发日期"
                        }
                    ),
                    "删去该键",
                ));
            }
        }
    }
}

/// 份号 (§7.2.1), 密级 (§7.2.2), 紧急程度 (§7.2.3).
fn check_small_elements(doc: &Document, source: &str, out: &mut Vec<Finding>) {
    let h = &doc.header;
    if let Some(n) = h.copy_number.as_deref().map(str::trim)
        && !(n.chars().count() == 6 && n.chars().all(|c| c.is_ascii_digit()))
    {
        let (l, c) = pos(doc, source, "copy_number", n);
        out.push(Finding::new(
            "GW-COPYNUM",
            l,
            c,
            format!("份号“{n}”不是6位阿拉伯数字"),
            "如“000001”（YAML 中数字照原样保留）",
        ));
    }
    if let Some(m) = h.classification.as_deref().map(str::trim) {
        let base = m.split('★').next().unwrap_or(m).trim();
        if !matches!(base, "绝密" | "机密" | "秘密") {
            let (l, c) = pos(doc, source, "classification", m);
            out.push(Finding::new(
                "GW-CLASSIFICATION",
                l,
                c,
                format!("密级“{m}”不是绝密、机密或秘密"),
                "写“绝密”“机密”或“秘密”，保密期限写在“保密期限”键",
            ));
        }
    }
    // A classified document published openly contradicts itself: one of
    // the two is wrong, and the reviewer must ask which.
    if let (Some(m), Some(n)) = (h.classification.as_deref(), h.note.as_deref())
        && !m.trim().is_empty()
        && ["公开发布", "公开发表", "主动公开"]
            .iter()
            .any(|w| n.contains(w))
        && !["不公开", "不得公开", "不予公开"]
            .iter()
            .any(|w| n.contains(w))
    {
        let (l, c) = pos(doc, source, "note", n.trim());
        out.push(Finding::new(
            "GW-NOTE-PUBLIC",
            l,
            c,
            format!("标注了密级“{}”，附注却写“{}”", m.trim(), n.trim()),
            "涉密公文不公开发布：删去密级，或改写附注",
        ));
    }
    if let Some(u) = h.urgency.as_deref().map(str::trim)
        && !matches!(u, "特急" | "加急" | "特提" | "平急")
    {
        let (l, c) = pos(doc, source, "urgency", u);
        out.push(Finding::new(
            "GW-URGENCY",
            l,
            c,
            format!("紧急程度“{u}”不是特急或加急"),
            "写“特急”或“加急”",
        ));
    }
}
