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
    /// A finding for `rule` with the rule's default severity from [`RULES`]
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

    /// The same finding with another severity.
    pub fn with_severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    /// A parse [`Warning`] (unknown key, empty value, …) as a finding of rule
    /// `GW-FRONT-MATTER`, so that `check` prints it like the others.
    pub fn from_warning(w: &Warning) -> Finding {
        Finding::new(
            "GW-FRONT-MATTER",
            w.line,
            w.column,
            w.message.clone(),
            "检查键名与取值 / check the key and its value",
        )
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
        "GB/T 9704-2012 §7.3.1; 条例 第九条（六）",
        "标题由发文机关名称、事由和文种组成，须标明文种",
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
        "层次序数连续、不跳层",
    ),
    rule(
        "GW-ATTACH-NUMBER",
        E,
        "GB/T 9704-2012 §7.3.4",
        "多个附件用阿拉伯数字标注顺序号（如“附件：1.×××”）",
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
        "GW-CC-PERIOD",
        E,
        "GB/T 9704-2012 §7.4.2",
        "最后一个抄送机关名称后标句号“。”",
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
/// (`false`). The layout writes dates and the 发文字号 in their standard form
/// ([`Header::standard_form`](crate::draft::model::Header::standard_form)):
/// `青政办发[2026]12号` and `2024年01月05日` come out right, an impossible
/// date or a missing 标题 does not. A finding stays when the standard form
/// has one of the same rule on the same line.
pub fn check_for_render(doc: &Document, source: &str) -> Vec<(Finding, bool)> {
    let mut standard = doc.clone();
    standard.header = doc.header.standard_form();
    let after = check(&standard, source);
    check(doc, source)
        .into_iter()
        .map(|f| {
            let stays = after.iter().any(|g| g.rule == f.rule && g.line == f.line);
            (f, stays)
        })
        .collect()
}

/// Whether any finding is an error (what makes `gongwen check` exit 1).
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}
