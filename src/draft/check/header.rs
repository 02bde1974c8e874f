//! Rules on the front-matter elements: 发文字号, 成文日期, 标题, 主送机关,
//! 附件说明, 抄送机关, 签发人, the required elements of each format, and the
//! 上行文 / 请示 rules that read the header. Each rule cites its clause in
//! [`super::RULES`].

use super::{Finding, doc_type_of, locate};
use crate::draft::body::{NumberKind, parse_typed_number};
use crate::draft::model::{
    Block, Document, Format, outer_quoted, plain_text, printed_attachment_name,
};
use crate::meta::chars::{
    arabic_digit, chinese_digit, is_fullwidth_digit, is_open_bracket, is_space,
};
use crate::meta::date::{CnDate, DateProblem, check_date, invalid_reason};
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
    check_number_year(doc, source, out);
    check_printed_after_date(doc, source, out);
    check_doc_type_key(doc, source, out);
    check_title(doc, source, ty, out);
    check_recipients(doc, source, ty, out);
    check_attachments(doc, source, out);
    check_cc(doc, source, out);
    check_cc_not_recipient(doc, source, out);
    check_signature(doc, source, ty, out);
    check_upward(doc, source, ty, out);
    check_request_contact(doc, source, ty, out);
    check_required(doc, ty, out);
    check_small_elements(doc, source, out);
}

/// Whether the `发文字号` key of `doc` holds a 命令's 令号 (GB/T 9704-2012
/// §10.2) rather than a 发文字号: always in the 命令 format; for a 命令 by its
/// 文种 (key or title) laid out in another format, when the number has no
/// bracketed year (one that has is a 发文字号: a 嘉奖令 may be issued as a
/// 文件, `国发〔2026〕3号`).
fn is_order_number(doc: &Document, t: &str) -> bool {
    match doc.header.format {
        Format::Order => true,
        Format::Minutes => false,
        Format::File | Format::Letter => {
            doc_type_of(doc) == Some(DocType::Order) && !t.chars().any(is_open_bracket)
        }
    }
}

/// 发文字号 (GB/T 9704-2012 §7.2.5): 〔〕, four-digit year, no 第, no zero
/// padding, ends in 号. A 命令's 令号 (`第708号`, §10.2) is checked as such
/// ([`check_order_number`]) and by no 发文字号 rule; a 纪要 期号 (`第12期`)
/// is not checked.
fn check_doc_number_rules(doc: &Document, source: &str, out: &mut Vec<Finding>) {
    let Some(raw) = doc.header.doc_number.as_deref() else {
        return;
    };
    let t = raw.trim();
    if is_order_number(doc, t) {
        check_order_number(doc, source, t, out);
        return;
    }
    let bare_serial = t.starts_with('第') && !t.chars().any(is_open_bracket);
    if bare_serial && doc.header.format == Format::Minutes {
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

/// 令号 of a 命令 (GB/T 9704-2012 §10.2): `第5号` — `第`, the serial in
/// Arabic digits without zero padding (the 不编虚位 of §7.2.5), `号`, and
/// nothing else: no 机关代字 or year (the `××令` above it is the 发文机关标志).
/// A zero-padded `第05号` is GW-ORDERNUM-ZERO; every other departure is one
/// GW-ORDERNUM-FORM naming what is wrong, with the draft's own number in the
/// hint when it can be read (`第〇五号`, `5号`, `青政令第5号` → `第5号`).
fn check_order_number(doc: &Document, source: &str, t: &str, out: &mut Vec<Finding>) {
    let cs: Vec<char> = t.chars().collect();
    let is_cn = |c: char| "〇零○一二两三四五六七八九十百千".contains(c);
    let is_serial = |c: char| arabic_digit(c).is_some() || is_cn(c);
    let hao = cs.iter().rposition(|&c| c == '号');
    // The serial: the run of numerals before the 号 (or at the end).
    let mut end = hao.unwrap_or(cs.len());
    while end > 0 && is_space(cs[end - 1]) {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && is_serial(cs[start - 1]) {
        start -= 1;
    }
    let serial: String = cs[start..end].iter().collect();
    let prefix: String = cs[..start].iter().collect();
    let prefix = prefix.trim_matches(is_space);
    let after: String = hao.map_or_else(String::new, |h| cs[h + 1..].iter().collect());
    let after = after.trim_matches(is_space);

    let chinese = serial.chars().any(is_cn);
    let full_width = serial.chars().any(is_fullwidth_digit);
    let value = if serial.is_empty() {
        None
    } else if chinese {
        crate::meta::chars::chinese_number(&serial)
    } else {
        serial.chars().try_fold(0u32, |v, c| {
            v.checked_mul(10)?.checked_add(arabic_digit(c)?)
        })
    };
    let first_is_zero = serial
        .chars()
        .next()
        .is_some_and(|c| arabic_digit(c) == Some(0) || chinese_digit(c) == Some(0));
    let padded = serial.chars().count() > 1 && first_is_zero && !serial.contains('十');

    let mut parts: Vec<String> = Vec::new();
    if serial.is_empty() {
        parts.push("找不到阿拉伯数字或汉字数字的序号".to_string());
    } else if value == Some(0) {
        parts.push("序号从1编起".to_string());
    }
    if serial.is_empty() {
        // Nothing to take apart.
    } else if prefix.chars().any(is_open_bracket) {
        parts.push(format!(
            "“{prefix}”是发文字号的写法，命令只编令号，不写机关代字和年份"
        ));
    } else {
        let other = match prefix.strip_suffix('第') {
            Some(p) => p.trim_matches(is_space),
            None => {
                parts.push("缺“第”字".to_string());
                prefix
            }
        };
        if !other.is_empty() {
            let mark = if doc.header.format == Format::Order {
                "，“××令”是上方的发文机关标志"
            } else {
                ""
            };
            parts.push(format!("“第”前多了“{other}”（令号只写“第×号”{mark}）"));
        }
    }
    let mut wrong_serial: Vec<&str> = Vec::new();
    if chinese {
        wrong_serial.push("用了汉字数字");
    } else if full_width {
        wrong_serial.push("用了全角数字");
    }
    if padded {
        wrong_serial.push("编了虚位（1不编为01）");
    }
    if !wrong_serial.is_empty() {
        let arabic = if chinese || full_width {
            "，应使用阿拉伯数字（半角）"
        } else {
            ""
        };
        parts.push(format!("序号“{serial}”{}{arabic}", wrong_serial.join("、")));
    }
    match hao {
        _ if serial.is_empty() => {}
        None => parts.push("序号后缺“号”字".to_string()),
        Some(_) if !after.is_empty() => parts.push(format!("“号”后有多余文字“{after}”")),
        Some(_) => {}
    }
    if !serial.is_empty() && t.chars().any(is_space) {
        parts.push("中间含有空格".to_string());
    }
    if parts.is_empty() {
        return;
    }
    let hint = match value.filter(|v| *v > 0) {
        Some(v) => format!("改为“第{v}号”"),
        None => "写作“第5号”的形式：“第”、阿拉伯数字序号、“号”".to_string(),
    };
    // Only zero padding in Arabic digits: the rule of its own.
    if parts.len() == 1 && padded && !chinese && !full_width {
        let (l, c) = pos(doc, source, "doc_number", &serial);
        out.push(Finding::new(
            "GW-ORDERNUM-ZERO",
            l,
            c,
            format!("令号“{t}”的序号“{serial}”编了虚位（1不编为01）"),
            hint,
        ));
        return;
    }
    let (l, c) = pos(doc, source, "doc_number", t);
    out.push(Finding::new(
        "GW-ORDERNUM-FORM",
        l,
        c,
        format!("令号“{t}”应写作“第×号”：{}", parts.join("；")),
        hint,
    ));
}

/// The 发文字号's year against the 成文日期's (a warning: usually a typo,
/// but a document signed in the last days of December and numbered in
/// January, or the reverse, legitimately has two years).
fn check_number_year(doc: &Document, source: &str, out: &mut Vec<Finding>) {
    let h = &doc.header;
    let Some(raw) = h.doc_number.as_deref() else {
        return;
    };
    if is_order_number(doc, raw.trim()) {
        return;
    }
    let Some(n) = DocNumber::parse_lenient(raw) else {
        return;
    };
    let Some(d) = h.date.as_deref().and_then(CnDate::parse_lenient) else {
        return;
    };
    if i32::from(n.year) == d.year {
        return;
    }
    let (l, c) = pos(doc, source, "doc_number", &n.year.to_string());
    out.push(Finding::new(
        "GW-DOCNUM-YEAR-DATE",
        l,
        c,
        format!(
            "发文字号的年份“{}”与成文日期“{d}”的年份“{}”不一致",
            n.year, d.year
        ),
        format!(
            "多为笔误，核对后统一（如“{}”）；跨年之际（12月底签发、1月初编号印发）两者可能合法地不同",
            DocNumber {
                year: u16::try_from(d.year).unwrap_or(n.year),
                ..n.clone()
            }
        ),
    ));
}

/// 印发日期 (GB/T 9704-2012 §7.4.3: the day the document goes to print) is
/// not before the 成文日期 (§7.3.5): nothing is printed before it is dated.
fn check_printed_after_date(doc: &Document, source: &str, out: &mut Vec<Finding>) {
    let h = &doc.header;
    let (Some(p_raw), Some(d_raw)) = (h.printed_date.as_deref(), h.date.as_deref()) else {
        return;
    };
    let (Some(p), Some(d)) = (CnDate::parse_lenient(p_raw), CnDate::parse_lenient(d_raw)) else {
        return;
    };
    if p >= d {
        return;
    }
    let (l, c) = pos(doc, source, "printed_date", p_raw.trim());
    out.push(Finding::new(
        "GW-PRINTED-BEFORE-DATE",
        l,
        c,
        format!("印发日期“{p}”早于成文日期“{d}”"),
        "印发日期是公文付印的日期，不早于成文日期：核对两个日期",
    ));
}

/// 成文日期 / 印发日期 (GB/T 9704-2012 §7.3.5.4, §7.4.3): Arabic numerals,
/// year in full, month and day without zero padding, 年月日. One finding
/// per rule and date: `2026-01-05` has one GW-DATE-ZERO naming `01` and
/// `05`; an impossible date written with `-` has one GW-DATE-FORM saying
/// both.
fn check_date_rules(
    doc: &Document,
    source: &str,
    key: &str,
    name: &str,
    raw: &str,
    out: &mut Vec<Finding>,
) {
    let t = raw.trim();
    let fix = CnDate::parse_lenient(t).map_or_else(
        || "写作“2026年1月5日”的形式".to_string(),
        |d| format!("改为“{d}”"),
    );
    let (l, c) = pos(doc, source, key, t);
    let mut chinese = false;
    let mut padded: Vec<String> = Vec::new();
    // What is wrong with the form, and whether the date is impossible (with
    // a reason: then the hint asks for the date, not for another form).
    let mut form: Vec<String> = Vec::new();
    let mut impossible = false;
    let mut other_form = false;
    for p in check_date(t) {
        match p {
            DateProblem::ChineseNumerals => chinese = true,
            DateProblem::ZeroPadded { found } => padded.push(found),
            DateProblem::InvalidDate { found } => {
                let why = invalid_reason(&found).map(|r| format!("：{r}"));
                impossible |= why.is_some();
                other_form |= why.is_none();
                let why = why.unwrap_or_default();
                // `found` is the whole date when it is invalid as a whole: say it once.
                form.push(if found == t {
                    format!("不是有效日期{why}")
                } else {
                    format!("中“{found}”不是有效日期{why}")
                });
            }
            other => {
                other_form = true;
                form.push(match other {
                    DateProblem::NotADate => "无法识别为日期".to_string(),
                    DateProblem::BadSeparator { found } => {
                        format!("用了“{found}”分隔，应写“年”“月”“日”")
                    }
                    DateProblem::FullWidthDigits => "使用了全角数字".to_string(),
                    DateProblem::HasSpaces => "中间含有空格".to_string(),
                    DateProblem::TrailingText { found } => format!("后有多余文字“{found}”"),
                    p => p.to_string(),
                });
            }
        }
    }
    if chinese {
        out.push(Finding::new(
            "GW-DATE-CHINESE",
            l,
            c,
            format!("{name}“{t}”用了汉字数字，应使用阿拉伯数字"),
            fix.clone(),
        ));
    }
    if !padded.is_empty() {
        let parts: Vec<String> = padded.iter().map(|p| format!("“{p}”")).collect();
        // An impossible date has no right form to show: say what to drop.
        let hint = if CnDate::parse_lenient(t).is_some() {
            fix.clone()
        } else {
            let unpadded: Vec<String> = padded
                .iter()
                .map(|p| format!("“{p}”写作“{}”", p.trim_start_matches(['0', '０'])))
                .collect();
            format!("月、日不编虚位：{}", unpadded.join("，"))
        };
        out.push(Finding::new(
            "GW-DATE-ZERO",
            l,
            c,
            format!("{name}“{t}”的月、日{}编了虚位（1不编为01）", parts.join("")),
            hint,
        ));
    }
    if !form.is_empty() {
        let hint = match (impossible, other_form) {
            (true, false) => "核对原件上的日期后改正".to_string(),
            (true, true) => format!("核对原件上的日期后改正，并{fix}"),
            _ => fix,
        };
        out.push(Finding::new(
            "GW-DATE-FORM",
            l,
            c,
            format!("{name}“{t}”{}", form.join("；")),
            hint,
        ));
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

const END_PUNCT: &[char] = crate::draft::model::ATTACHMENT_END_MARKS;

/// 标题 (GB/T 9704-2012 §7.3.1; 条例 第九条（七）): no end punctuation, and a
/// 文种 named at the end (文件 and 信函 formats); a `文种` key that
/// contradicts the title is a warning (GW-TITLE-DOCTYPE-KEY).
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
                out.push(Finding::new(
                    "GW-TITLE-DOCTYPE-KEY",
                    l,
                    c,
                    format!("标题的文种“{from_title}”与“文种: {k}”不一致"),
                    "统一标题末尾的文种与“文种”键",
                ));
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
/// one, no punctuation after a name, no 书名号 around it — each said on its
/// own (`《名称》。` has both the 书名号 and the mark). Hints give the name as
/// the layout prints it ([`printed_name`]).
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
                out.push(Finding::new(
                    "GW-ATTACH-SINGLE",
                    l,
                    c,
                    format!("只有一个附件时不编顺序号（“{}”）", num.text),
                    format!("写作“{}”", printed_attachment_name(name)),
                ));
            } else if !good_form || num.value as usize != i + 1 {
                out.push(Finding::new(
                    "GW-ATTACH-NUMBER",
                    l,
                    c,
                    format!("第{}个附件的序号写作“{}”", i + 1, num.text),
                    format!(
                        "写作“{}.{}”，或不写序号由生成时自动编号",
                        i + 1,
                        printed_attachment_name(name)
                    ),
                ));
            }
        }
        // `《名称》。`: the 书名号 are there under the end mark.
        let unmarked = name.trim_end_matches(END_PUNCT);
        let quoted = outer_quoted(unmarked);
        if quoted.is_some() {
            out.push(Finding::new(
                "GW-ATTACH-QUOTES",
                l,
                c,
                format!("附件名称“{name}”加了书名号"),
                format!("写作“{}”", printed_attachment_name(name)),
            ));
        }
        // `名称。`, `《名称》。` or `《名称。》`: the mark is printed either way.
        if let Some(p) = [Some(name), quoted]
            .into_iter()
            .flatten()
            .find_map(|n| n.chars().last().filter(|c| END_PUNCT.contains(c)))
        {
            let at = t.rfind(p).map_or(0, |b| t[..b].chars().count());
            out.push(Finding::new(
                "GW-ATTACH-PUNCT",
                l,
                c + at,
                format!("附件名称“{name}”后加了标点“{p}”"),
                format!("删去“{p}”"),
            ));
        }
    }
    if typed > 0 && typed < n && n > 1 {
        out.push(Finding::new(
            "GW-ATTACH-MIXED",
            k.line,
            k.column,
            format!("{n}个附件中只有{typed}个写了序号"),
            "全部写“1.”“2.”……，或全部不写由生成时自动编号",
        ));
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

/// The same organ both 主送 and 抄送: 抄送机关 are the organs other than
/// the 主送机关 (条例 第九条（十六）; GB/T 9704-2012 §7.4.2). One warning per
/// organ, at its 抄送 entry.
fn check_cc_not_recipient(doc: &Document, source: &str, out: &mut Vec<Finding>) {
    let h = &doc.header;
    let Some(k) = doc.key_position("cc") else {
        return;
    };
    let to = organs(&h.recipients);
    let mut seen: Vec<String> = Vec::new();
    for name in organs(&h.cc) {
        if !to.contains(&name) || seen.contains(&name) {
            continue;
        }
        let (l, c) = locate(source, k.line, &name).unwrap_or((k.line, k.column));
        out.push(Finding::new(
            "GW-CC-RECIPIENT",
            l,
            c,
            format!("“{name}”既是主送机关又是抄送机关"),
            format!("抄送机关是主送机关以外需要执行或知晓公文的机关：从抄送机关中删去“{name}”"),
        ));
        seen.push(name);
    }
}

/// Whether two organ names plausibly name the same organ: equal, or the
/// shorter is a 规范化简称 of the longer — its characters in order within
/// it (`市政府办公室` in `青山市人民政府办公室`), the same kind of organ at
/// the end (`…局`, `…办公室`; `委` stands for `委员会`), and more than that
/// ending: at least 4 characters, or at least 2 before the ending the two
/// share (`办公室` alone names no organ). So `青山市教育局` ≠
/// `青山市财政局`, `青山市人民政府` ≠ `青山市人民政府办公室`, `办公室` ≠
/// `青山市人民政府办公室`.
fn same_organ(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> Vec<char> {
        let s = s.trim();
        let s = s
            .strip_suffix("委员会")
            .map_or(s.to_string(), |p| format!("{p}委"));
        s.chars().filter(|c| !c.is_whitespace()).collect()
    };
    let (a, b) = (norm(a), norm(b));
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() || short.last() != long.last() {
        return false;
    }
    let shared_ending = short
        .iter()
        .rev()
        .zip(long.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    if short.len() < 4 && short.len() - shared_ending < 2 {
        return false;
    }
    let mut rest = long.iter();
    short.iter().all(|c| rest.any(|x| x == c))
}

/// 发文机关署名 (GB/T 9704-2012 §7.3.5.1: the issuing organ's full name or
/// 规范化简称; 条例 第九条（十一）): every 署名 names one of the 发文机关 (a
/// joint draft lists several of each, in any order) — a warning for each
/// that names none. Not for 命令 (the 署名 is the signer's title) nor 纪要,
/// nor for texts that are not 公文.
fn check_signature(doc: &Document, source: &str, ty: Option<DocType>, out: &mut Vec<Finding>) {
    let h = &doc.header;
    if h.signature.is_empty()
        || h.issuer.is_empty()
        || !matches!(h.format, Format::File | Format::Letter)
        || ty.is_some_and(|t| !t.is_statutory())
    {
        return;
    }
    let named = |i: &String| h.signature.iter().any(|s| same_organ(s, i));
    // The hint offers an issuer that no 署名 names yet, if there is one.
    let example = h
        .issuer
        .iter()
        .find(|i| !named(i))
        .unwrap_or(&h.issuer[0])
        .trim();
    let issuers = h
        .issuer
        .iter()
        .map(|s| s.trim())
        .collect::<Vec<_>>()
        .join("、");
    let Some(k) = doc.key_position("signature") else {
        return;
    };
    for sig in &h.signature {
        let sig = sig.trim();
        if sig.is_empty() || h.issuer.iter().any(|i| same_organ(sig, i)) {
            continue;
        }
        let (l, c) = locate(source, k.line, sig).unwrap_or((k.line, k.column));
        let message = if h.issuer.len() == 1 {
            format!("发文机关署名“{sig}”与发文机关“{issuers}”不一致")
        } else {
            format!("发文机关署名“{sig}”不是发文机关（{issuers}）中的任何一个")
        };
        out.push(Finding::new(
            "GW-SIGNATURE-ISSUER",
            l,
            c,
            message,
            format!("署发文机关的全称或规范化简称，如“{example}”；发文机关写错的，改“发文机关”"),
        ));
    }
    // 联合行文: every issuing organ signs, in the order of the 发文机关
    // (GB/T 9704-2012 §7.3.5.1).
    if h.issuer.len() > 1 {
        for i in h
            .issuer
            .iter()
            .map(|i| i.trim())
            .filter(|i| !named(&i.to_string()))
        {
            out.push(Finding::new(
                "GW-SIGNATURE-ISSUER",
                k.line,
                k.column,
                format!("联合行文的发文机关“{i}”没有署名"),
                format!("在“发文机关署名”中按发文机关顺序加上“{i}”"),
            ));
        }
    }
}

/// A 请示 names a contact and a telephone number in the 附注 (《国家行政机关
/// 公文处理办法》(2000) 第十条（五）, carried on in practice; a warning).
fn check_request_contact(
    doc: &Document,
    source: &str,
    ty: Option<DocType>,
    out: &mut Vec<Finding>,
) {
    if ty != Some(DocType::Request) {
        return;
    }
    let note = doc.header.note.as_deref().map(str::trim).unwrap_or("");
    let contact = note.contains("联系人");
    let phone = note.contains("电话") || has_phone_number(note);
    if contact && phone {
        return;
    }
    let what = match (contact, phone) {
        (false, false) => "联系人和电话",
        (false, true) => "联系人",
        _ => "联系电话",
    };
    let (l, c) = if note.is_empty() {
        (doc.key_line("title"), 1)
    } else {
        pos(doc, source, "note", note)
    };
    let in_body = doc
        .body
        .iter()
        .any(|b| matches!(b, Block::Paragraph(r) if plain_text(r).contains("联系人")));
    let hint = if in_body {
        "把正文中的联系人和电话移到附注：“附注: 联系人：×××，电话：××××××××”".to_string()
    } else if note.is_empty() {
        "加“附注: 联系人：×××，电话：××××××××”".to_string()
    } else {
        format!("在附注中补写{what}，如“联系人：×××，电话：××××××××”")
    };
    out.push(Finding::new(
        "GW-QINGSHI-CONTACT",
        l,
        c,
        if note.is_empty() {
            "请示未在附注中注明联系人和电话".to_string()
        } else {
            format!("请示的附注“{note}”未写{what}")
        },
        hint,
    ));
}

/// A run of seven or more digits (dashes allowed inside): a telephone number.
fn has_phone_number(s: &str) -> bool {
    let mut run = 0;
    for c in s.chars() {
        if c.is_ascii_digit() || ('０'..='９').contains(&c) {
            run += 1;
            if run >= 7 {
                return true;
            }
        } else if !(run > 0 && matches!(c, '-' | '－' | '—')) {
            run = 0;
        }
    }
    false
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
    let mut missing: Vec<(&str, String)> = Vec::new();
    let fmt = h.format;
    // 讲话稿, 总结, 计划 are not 公文 of 条例 第八条: no 版头/版记 required.
    if ty.is_some_and(|t| !t.is_statutory()) {
        return;
    }
    // Examples name the draft's own organ, never a made-up one.
    let own = h
        .issuer
        .iter()
        .chain(h.signature.iter())
        .map(|s| s.trim())
        .find(|s| !s.is_empty());
    let year = h
        .date
        .as_deref()
        .and_then(CnDate::parse_lenient)
        .map_or_else(|| "2026".to_string(), |d| d.year.to_string());
    let date = h
        .date
        .as_deref()
        .and_then(CnDate::parse_lenient)
        .map_or_else(|| "2026年11月30日".to_string(), |d| d.to_string());
    match fmt {
        Format::File | Format::Letter => {
            let organ = own.unwrap_or("××市××局");
            if !has_mark {
                missing.push(("发文机关标志", format!("发文机关: {organ}")));
            }
            if h.doc_number.is_none() {
                missing.push(("发文字号", format!("发文字号: ××〔{year}〕1号")));
            }
            if h.title.is_none() {
                let t = ty.filter(|t| t.is_statutory()).map_or("通知", |t| t.name());
                missing.push(("标题", format!("标题: {organ}关于……的{t}")));
            }
            if h.date.is_none() {
                missing.push(("成文日期", "成文日期: 2026年11月30日".to_string()));
            }
            if !has_sig {
                missing.push(("发文机关署名", format!("发文机关署名: {organ}")));
            }
        }
        Format::Order => {
            if !has_mark {
                let organ = own.unwrap_or("××市人民政府");
                missing.push(("发文机关标志", format!("发文机关: {organ}")));
            }
            if h.doc_number.is_none() {
                missing.push(("令号", "发文字号: 第1号".to_string()));
            }
            if h.signers.is_empty() {
                missing.push((
                    "签发人（签名章）",
                    "签发人: ×××”，职务写在“发文机关署名: 市长".to_string(),
                ));
            }
            if h.date.is_none() {
                missing.push(("成文日期", "成文日期: 2026年11月30日".to_string()));
            }
        }
        Format::Minutes => {
            if h.issuer_mark.is_none() {
                missing.push((
                    "纪要标志",
                    "发文机关标志: ××市人民政府常务会议纪要".to_string(),
                ));
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
            "如“××市人民政府常务会议纪要”",
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
            let add: Vec<String> = gone
                .iter()
                .map(|g| match *g {
                    "印发机关" => "“印发机关: ……办公室”".to_string(),
                    _ => format!("“印发日期: {date}”"),
                })
                .collect();
            out.push(Finding::new(
                "GW-IMPRINT-MISSING",
                1,
                1,
                format!("版记缺少{}", gone.join("和")),
                format!("加{}", add.join("和")),
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

/// 份号 (§7.2.1; a 涉密 document has one, 条例 第九条（一）), 密级
/// (§7.2.2), 紧急程度 (§7.2.3).
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
        if matches!(base, "绝密" | "机密" | "秘密") && h.copy_number.is_none() {
            let (l, c) = pos(doc, source, "classification", m);
            out.push(Finding::new(
                "GW-SECRET-COPYNUM",
                l,
                c,
                format!("标注了密级“{m}”，但没有份号：涉密公文应当标注份号"),
                "加“份号: 000001”（6位阿拉伯数字，按印制份数顺序编号）",
            ));
        }
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
