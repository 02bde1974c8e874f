//! `gongwen check`: lint a parsed draft against GB/T 9704-2012 《党政机关公文
//! 格式》 and 《党政机关公文处理工作条例》 (2012). [`check`] runs every rule
//! and collects all findings; it never stops at the first.
//!
//! The rules are listed in [`RULES`] with the clause each one comes from;
//! header rules live in [`header`], body rules in [`body`].

use super::Warning;
use super::model::Document;
use crate::meta::doc_type::DocType;

pub mod body;
pub mod header;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A rule of the standard is broken; `gongwen check` exits 1.
    Error,
    /// Probably wrong or a recommendation; does not fail the check.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"` (used in JSON output).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
    /// `"错误"` or `"警告"`.
    pub fn chinese(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// One problem found in a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Rule id, e.g. `GW-DOCNUM-BRACKET` (see [`RULES`]).
    pub rule: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in Chinese.
    pub message: String,
    /// 1-based source line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// How to fix it, in Chinese.
    pub hint: String,
}

impl Finding {
    /// A finding for `rule` with the severity [`RULES`] lists for the rule
    /// (error when the id is not listed).
    pub fn new(
        rule: &'static str,
        line: usize,
        column: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Finding {
        let severity = rule_info(rule).map_or(Severity::Error, |r| r.severity);
        Finding {
            rule,
            severity,
            message: message.into(),
            line,
            column,
            hint: hint.into(),
        }
    }

    /// A parse [`Warning`] as a finding, so that `check` prints it like the
    /// others: rule `GW-FRONT-MATTER` for the header (unknown key, empty
    /// value, …), `GW-BODY-MARKDOWN` for the body (a heading too deep, an
    /// image, a footnote).
    pub fn from_warning(w: &Warning) -> Finding {
        let (rule, hint) = if w.in_body {
            (
                "GW-BODY-MARKDOWN",
                "按说明修改正文 / edit the body as the message says",
            )
        } else {
            (
                "GW-FRONT-MATTER",
                "检查键名与取值 / check the key and its value",
            )
        };
        Finding::new(rule, w.line, w.column, w.message.clone(), hint)
    }

    /// The line format of `gongwen check`:
    /// `path:line:col: 错误[GW-…] message（提示：hint）`.
    pub fn display_with_path(&self, path: &str) -> String {
        format!(
            "{path}:{}:{}: {}[{}] {}（提示：{}）",
            self.line,
            self.column,
            self.severity.chinese(),
            self.rule,
            self.message,
            self.hint
        )
    }

    /// One JSON object (no trailing newline) with the keys `path`, `line`,
    /// `column`, `severity` (`error`/`warning`), `rule`, `message`, `hint`.
    pub fn to_json(&self, path: &str) -> String {
        serde_json::json!({
            "path": path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.as_str(),
            "rule": self.rule,
            "message": self.message,
            "hint": self.hint,
        })
        .to_string()
    }
}

/// A rule of `gongwen check`: its id, default severity, the clause it comes
/// from and what it checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The id printed in findings, e.g. `GW-DOCNUM-BRACKET`.
    pub id: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// The source of the rule, e.g. `GB/T 9704-2012 §7.2.5`.
    pub source: &'static str,
    /// What the rule checks, in Chinese.
    pub summary: &'static str,
}

const fn rule(
    id: &'static str,
    severity: Severity,
    source: &'static str,
    summary: &'static str,
) -> Rule {
    Rule {
        id,
        severity,
        source,
        summary,
    }
}

use Severity::{Error as E, Warning as W};

/// Every rule `check` applies, with its source. "条例" is
/// 《党政机关公文处理工作条例》 (中办发〔2012〕14号).
pub const RULES: &[Rule] = &[
    rule(
        "GW-DOCNUM-BRACKET",
        E,
        "GB/T 9704-2012 §7.2.5",
        "发文字号年份用六角括号〔〕括入",
    ),
    rule(
        "GW-DOCNUM-YEAR",
        E,
        "GB/T 9704-2012 §7.2.5",
        "发文字号年份标全称（四位）",
    ),
    rule(
        "GW-DOCNUM-DI",
        E,
        "GB/T 9704-2012 §7.2.5",
        "发文顺序号不加“第”字",
    ),
    rule(
        "GW-DOCNUM-ZERO",
        E,
        "GB/T 9704-2012 §7.2.5",
        "发文顺序号不编虚位（1不编为01）",
    ),
    rule(
        "GW-DOCNUM-HAO",
        E,
        "GB/T 9704-2012 §7.2.5",
        "发文顺序号后加“号”字",
    ),
    rule(
        "GW-DOCNUM-FORM",
        E,
        "GB/T 9704-2012 §7.2.5",
        "发文字号由机关代字、年份、发文顺序号组成，阿拉伯数字，无空格",
    ),
    rule(
        "GW-DOCNUM-YEAR-DATE",
        W,
        "GB/T 9704-2012 §7.2.5（年份）, §7.3.5（成文日期）：两者通常同年",
        "发文字号的年份与成文日期的年份一致（跨年之际编号与签发可能合法地不同）",
    ),
    rule(
        "GW-ORDERNUM-FORM",
        E,
        "GB/T 9704-2012 §10.2（令号：发文机关标志下空二行居中编排）; §7.2.5（阿拉伯数字、不编虚位）",
        "命令的令号写作“第5号”：“第”、阿拉伯数字序号、“号”，不写机关代字和年份",
    ),
    rule(
        "GW-ORDERNUM-ZERO",
        E,
        "GB/T 9704-2012 §10.2 令号; §7.2.5 不编虚位",
        "命令的令号不编虚位（“第5号”不编为“第05号”）",
    ),
    rule(
        "GW-DATE-CHINESE",
        E,
        "GB/T 9704-2012 §7.3.5.4",
        "成文日期用阿拉伯数字",
    ),
    rule(
        "GW-DATE-ZERO",
        E,
        "GB/T 9704-2012 §7.3.5.4",
        "月、日不编虚位（1不编为01）",
    ),
    rule(
        "GW-DATE-FORM",
        E,
        "GB/T 9704-2012 §7.3.5.4",
        "成文日期年、月、日标全，写作“2026年1月5日”",
    ),
    rule(
        "GW-PRINTED-BEFORE-DATE",
        E,
        "GB/T 9704-2012 §7.4.3（印发日期以公文付印的日期为准）, §7.3.5.4（成文日期）",
        "印发日期不早于成文日期（公文不能在成文之前付印）",
    ),
    rule(
        "GW-TITLE-PUNCT",
        E,
        "GB/T 9704-2012 §7.3.1; GB/T 15834-2011 标题末尾不用句末点号",
        "标题末尾不加标点",
    ),
    rule(
        "GW-DOCTYPE-UNKNOWN",
        W,
        "条例 第八条",
        "“文种”键应为条例第八条所列的文种（决议、决定、命令（令）、公报、公告、通告、意见、通知、通报、报告、请示、批复、议案、函、纪要）",
    ),
    rule(
        "GW-TITLE-DOCTYPE",
        E,
        "GB/T 9704-2012 §7.3.1; 条例 第九条（七）",
        "标题由发文机关名称、事由和文种组成，须标明文种",
    ),
    rule(
        "GW-TITLE-DOCTYPE-KEY",
        W,
        "GB/T 9704-2012 §7.3.1; 条例 第八条",
        "标题末尾的文种与“文种”键一致",
    ),
    rule(
        "GW-RECIPIENT-COLON",
        E,
        "GB/T 9704-2012 §7.3.2",
        "最后一个主送机关名称后标全角冒号“：”",
    ),
    rule(
        "GW-HEADING-FORM",
        E,
        "GB/T 9704-2012 §7.3.3",
        "结构层次序数依次用“一、”“（一）”“1.”“（1）”",
    ),
    rule(
        "GW-HEADING-ORDER",
        E,
        "GB/T 9704-2012 §7.3.3",
        "同一层的序数依次连续（一、二、三……）",
    ),
    rule(
        "GW-HEADING-SKIP",
        W,
        "GB/T 9704-2012 §7.3.3",
        "层次不跳层（“一、”下是“（一）”，不直接用“1.”）",
    ),
    rule(
        "GW-PARA-NUMBER",
        W,
        "GB/T 9704-2012 §7.3.3",
        "段首序数的形式为“一、”“（一）”“1.”“（1）”（不用“1、”“（一）、”、半角括号）",
    ),
    rule(
        "GW-ATTACH-NUMBER",
        E,
        "GB/T 9704-2012 §7.3.4",
        "多个附件用阿拉伯数字标注顺序号（如“附件：1.×××”）",
    ),
    rule(
        "GW-ATTACH-SINGLE",
        W,
        "GB/T 9704-2012 §7.3.4（有多个附件时才标注顺序号）",
        "只有一个附件时不编顺序号",
    ),
    rule(
        "GW-ATTACH-MIXED",
        W,
        "GB/T 9704-2012 §7.3.4",
        "多个附件的顺序号全写或全不写（不写的由生成时编号）",
    ),
    rule(
        "GW-ATTACH-PUNCT",
        E,
        "GB/T 9704-2012 §7.3.4",
        "附件名称后不加标点符号",
    ),
    rule(
        "GW-ATTACH-QUOTES",
        E,
        "GB/T 9704-2012 §7.3.4 附件说明的通行写法（附件名称不加书名号）",
        "附件名称不加书名号《》",
    ),
    rule(
        "GW-ATTACH-TWICE",
        W,
        "GB/T 9704-2012 §7.3.4（附件说明只编排一处：正文下空一行）",
        "附件说明写在“附件”键中，正文里不再写一遍（否则印两次）",
    ),
    rule(
        "GW-CC-PERIOD",
        E,
        "GB/T 9704-2012 §7.4.2",
        "最后一个抄送机关名称后标句号“。”",
    ),
    rule(
        "GW-CC-RECIPIENT",
        W,
        "条例 第九条（十六）（抄送机关是除主送机关外需要执行或者知晓公文内容的其他机关）; GB/T 9704-2012 §7.4.2",
        "同一机关不既主送又抄送",
    ),
    rule(
        "GW-SIGNATURE-ISSUER",
        W,
        "GB/T 9704-2012 §7.3.5.1（署发文机关全称或者规范化简称）; 条例 第九条（十一）",
        "每个发文机关署名都是一个发文机关的全称或规范化简称（联合行文逐一对应）",
    ),
    rule(
        "GW-SIGNER-UPWARD",
        E,
        "GB/T 9704-2012 §7.2.6",
        "上行文（请示、报告）标注签发人",
    ),
    rule(
        "GW-QINGSHI-RECIPIENT",
        E,
        "条例 第十五条（一）",
        "请示原则上主送一个上级机关",
    ),
    rule(
        "GW-QINGSHI-ONE-MATTER",
        W,
        "条例 第十五条（四）",
        "请示应当一文一事",
    ),
    rule(
        "GW-QINGSHI-CONTACT",
        W,
        "《国家行政机关公文处理办法》（国发〔2000〕23号，已废止）第十条（五）“‘请示’应当在附注处注明联系人的姓名和电话”；条例与 GB/T 9704-2012 未重申，公文处理通行做法沿用",
        "请示在附注中注明联系人和电话",
    ),
    rule(
        "GW-REPORT-NO-REQUEST",
        W,
        "条例 第十五条（四）",
        "报告等非请示性公文不得夹带请示事项",
    ),
    rule(
        "GW-UPWARD-FA",
        W,
        "各地公文处理实施办法的通行做法（非 GB/T 9704-2012 条文）",
        "上行文机关代字不用“发”字",
    ),
    rule(
        "GW-REQUIRED",
        E,
        "GB/T 9704-2012 §7 (文件格式), §10.1 信函, §10.2 命令, §10.3 纪要",
        "该格式必备的要素齐全",
    ),
    rule(
        "GW-RECIPIENT-MISSING",
        W,
        "GB/T 9704-2012 §7.3.2",
        "需要主送的文种应有主送机关",
    ),
    rule(
        "GW-IMPRINT-MISSING",
        W,
        "GB/T 9704-2012 §7.4.3",
        "文件格式版记应有印发机关和印发日期",
    ),
    rule(
        "GW-LETTER-IMPRINT",
        W,
        "GB/T 9704-2012 §10.1",
        "信函格式版记不加印发机关和印发日期",
    ),
    rule(
        "GW-COPYNUM",
        W,
        "GB/T 9704-2012 §7.2.1",
        "份号一般用6位阿拉伯数字",
    ),
    rule(
        "GW-SECRET-COPYNUM",
        E,
        "条例 第九条（一）“涉密公文应当标注份号”; GB/T 9704-2012 §7.2.1",
        "标注密级的（涉密）公文标注份号",
    ),
    rule(
        "GW-CLASSIFICATION",
        E,
        "GB/T 9704-2012 §7.2.2",
        "密级为“绝密”“机密”或“秘密”",
    ),
    rule(
        "GW-NOTE-PUBLIC",
        E,
        "GB/T 9704-2012 §7.2.2, §7.3.6; 条例第九条",
        "标注密级的公文，附注不能写“此件公开发布”（涉密公文不公开）",
    ),
    rule(
        "GW-URGENCY",
        E,
        "GB/T 9704-2012 §7.2.3",
        "紧急程度为“特急”或“加急”（电报另有特提、平急）",
    ),
    rule(
        "GW-FRONT-MATTER",
        W,
        "gongwen 草稿格式",
        "front matter 键名与取值可识别",
    ),
    rule(
        "GW-BODY-MARKDOWN",
        W,
        "GB/T 9704-2012 §7.3.3（层次最多四层）；公文正文无图片、脚注要素（gongwen 草稿格式）",
        "正文只用公文排得出的 Markdown：四层以内的标题、段落、表格",
    ),
];

/// The [`Rule`] with this id.
pub fn rule_info(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The 文种 of a draft: the `文种` key when it names one, else the ending
/// of the title ([`DocType::from_title`]).
pub fn doc_type_of(doc: &Document) -> Option<DocType> {
    doc.header
        .doc_type
        .as_deref()
        .and_then(|t| t.parse::<DocType>().ok())
        .or_else(|| doc.header.title.as_deref().and_then(DocType::from_title))
}

/// Where text sits in the source: the first line at or after `from_line`
/// (1-based) that contains `needle`, and the 1-based character column of
/// the match. Looks at most 200 lines ahead.
pub(crate) fn locate(source: &str, from_line: usize, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    source
        .lines()
        .enumerate()
        .skip(from_line.saturating_sub(1))
        .take(200)
        .find_map(|(i, l)| l.find(needle).map(|b| (i + 1, l[..b].chars().count() + 1)))
}

/// Run every rule on `doc` (parsed from `source`) and return all findings,
/// sorted by line, then column. Parse warnings are not included; turn them
/// into findings with [`Finding::from_warning`].
///
/// ```
/// let src = "---\n发文机关: 青山市财政局\n发文字号: 青财发[2026]3号\n标题: 关于做好年终决算工作的通知\n主送机关: 各区县财政局\n成文日期: 2026年11月30日\n---\n请认真做好。\n";
/// let (doc, _) = gongwen::draft::parse_draft(src).unwrap();
/// let found = gongwen::draft::check::check(&doc, src);
/// assert!(found.iter().any(|f| f.rule == "GW-DOCNUM-BRACKET" && f.line == 3));
/// ```
pub fn check(doc: &Document, source: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    header::check_header(doc, source, &mut out);
    body::check_body(doc, source, &mut out);
    out.sort_by_key(|f| (f.line, f.column));
    out
}

/// [`check`] for a draft about to be rendered: each finding with whether the
/// rendered document still has it (`true`) or the layout settles it
/// (`false`). The draft is checked a second time as the layout prints it
/// ([`as_printed`]): `青政办发[2026]12号` and `2024年01月05日` come out in
/// standard form, an attachment typed `《名称》。` comes out `名称`, a typed
/// heading number is replaced by the computed one; an impossible date, a
/// zero-padded serial or a missing 标题 do not change. A finding stays when
/// the printed form has one of the same rule on the same line; when it has
/// fewer there than the draft (`抄送机关: [市审计局。, 市税务局；]`: the
/// layout drops the first `。`, keeps the `；`), those it has are paired with
/// the draft's by message or column first.
pub fn check_for_render(doc: &Document, source: &str) -> Vec<(Finding, bool)> {
    let after = check(&as_printed(doc), source);
    let before = check(doc, source);
    let mut used = vec![false; after.len()];
    let mut stays = vec![false; before.len()];
    // First pass: pair by message or column; second: by rule and line only.
    for strict in [true, false] {
        for (f, stay) in before.iter().zip(stays.iter_mut()) {
            if *stay {
                continue;
            }
            let pairs = |g: &Finding| {
                g.rule == f.rule
                    && g.line == f.line
                    && (!strict || g.message == f.message || g.column == f.column)
            };
            if let Some(i) = (0..after.len()).find(|&i| !used[i] && pairs(&after[i])) {
                used[i] = true;
                *stay = true;
            }
        }
    }
    before.into_iter().zip(stays).collect()
}

/// `doc` with the elements the layout rewrites replaced by what it prints,
/// read back from [`lay_out`](crate::draft::render::layout::lay_out) itself
/// so that the two cannot disagree: dates and 发文字号 in standard form
/// ([`Header::standard_form`](crate::draft::model::Header::standard_form)),
/// the 附件说明 names, 主送机关 and 抄送机关 without the marks the layout
/// strips (the `：` and `。` it adds itself are taken off again, so that a
/// wrong mark it keeps is still seen), the 印发日期 it prints (the 成文日期
/// when none is given), and headings numbered as printed.
pub fn as_printed(doc: &Document) -> Document {
    use crate::draft::model::Block;
    use crate::draft::render::layout::{Item, Role, lay_out};
    let layout = lay_out(doc);
    let texts = |role: Role| -> Vec<String> {
        layout
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Para(p) if p.role == role => Some(p.text()),
                _ => None,
            })
            .collect()
    };
    let mut out = doc.clone();
    let h = &mut out.header;
    *h = doc.header.standard_form();

    let printed = texts(Role::Attachment);
    if !h.attachments.is_empty() && printed.len() == h.attachments.len() {
        let many = printed.len() > 1;
        h.attachments = printed
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let t = t.strip_prefix("附件：").unwrap_or(t);
                let n = format!("{}.", i + 1);
                let t = if many {
                    t.strip_prefix(n.as_str()).unwrap_or(t)
                } else {
                    t
                };
                t.to_string()
            })
            .collect();
    }
    // One line each, names joined with `，`: split back into names, so that
    // each is found on its own source line.
    let split = |line: &str, prefix: &str, added: char| -> Vec<String> {
        let body = line.strip_prefix(prefix).unwrap_or(line);
        let body = body.strip_suffix(added).unwrap_or(body);
        body.split('，')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    if !h.recipients.is_empty()
        && let Some(line) = texts(Role::Recipients).first()
    {
        h.recipients = split(line, "", '：');
    }
    if !h.cc.is_empty()
        && let Some(line) = texts(Role::Cc).first()
    {
        h.cc = split(line, "抄送：", '。');
    }
    if let Some(line) = texts(Role::Printed).first()
        && let Some((_, date)) = line.split_once('\t')
    {
        h.printed_date = Some(date.strip_suffix("印发").unwrap_or(date).to_string());
    }
    for block in &mut out.body {
        if let Block::Heading { typed_number, .. } = block {
            *typed_number = None; // the layout prints the computed number
        }
    }
    out
}

/// Whether any finding is an error (what makes `gongwen check` exit 1).
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}
