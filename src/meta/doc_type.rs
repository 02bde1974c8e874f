//! 文种 (document types): the 15 statutory types of 《党政机关公文处理工作条例》
//! 第八条 (to which GB/T 9704-2012 refers), plus the everyday 讲话稿, 总结 and
//! 计划 found in archives, and how to read the type from a title.
//!
//! GB/T 9704-2012 §7.3.1: a 标题 consists of 发文机关名称, 事由 and 文种, so
//! the 文种 is the title's last word (`…关于…的通知` → 通知).

use std::fmt;
use std::str::FromStr;

use super::chars::is_space;
use super::doc_number::strip_trailing_number;

/// A 文种. The first fifteen are statutory (《党政机关公文处理工作条例》第八条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocType {
    /// 决议 (resolution).
    Resolution,
    /// 决定 (decision).
    Decision,
    /// 命令（令）(order); format per GB/T 9704-2012 §8.2.
    Order,
    /// 公报 (communiqué).
    Communique,
    /// 公告 (announcement).
    Announcement,
    /// 通告 (public notice).
    PublicNotice,
    /// 意见 (opinion).
    Opinion,
    /// 通知 (notice).
    Notice,
    /// 通报 (circular).
    Circular,
    /// 报告 (report); 上行文.
    Report,
    /// 请示 (request for instructions); 上行文.
    Request,
    /// 批复 (reply to a 请示).
    Reply,
    /// 议案 (motion to a people's congress).
    Motion,
    /// 函 (letter); 信函格式 per GB/T 9704-2012 §8.1.
    Letter,
    /// 纪要 (minutes); format per GB/T 9704-2012 §8.3.
    Minutes,
    /// 讲话稿 (speech), not statutory.
    Speech,
    /// 总结 / 工作总结 (work summary), not statutory.
    Summary,
    /// 计划 / 工作计划 / 方案 / 要点 / 规划 (plan), not statutory.
    Plan,
    /// 其他: anything else.
    Other,
}

impl DocType {
    /// Every type, statutory first.
    pub const ALL: [DocType; 19] = [
        DocType::Resolution,
        DocType::Decision,
        DocType::Order,
        DocType::Communique,
        DocType::Announcement,
        DocType::PublicNotice,
        DocType::Opinion,
        DocType::Notice,
        DocType::Circular,
        DocType::Report,
        DocType::Request,
        DocType::Reply,
        DocType::Motion,
        DocType::Letter,
        DocType::Minutes,
        DocType::Speech,
        DocType::Summary,
        DocType::Plan,
        DocType::Other,
    ];

    /// The Chinese name, e.g. `通知`; `命令` for [`DocType::Order`].
    pub fn name(self) -> &'static str {
        match self {
            DocType::Resolution => "决议",
            DocType::Decision => "决定",
            DocType::Order => "命令",
            DocType::Communique => "公报",
            DocType::Announcement => "公告",
            DocType::PublicNotice => "通告",
            DocType::Opinion => "意见",
            DocType::Notice => "通知",
            DocType::Circular => "通报",
            DocType::Report => "报告",
            DocType::Request => "请示",
            DocType::Reply => "批复",
            DocType::Motion => "议案",
            DocType::Letter => "函",
            DocType::Minutes => "纪要",
            DocType::Speech => "讲话稿",
            DocType::Summary => "总结",
            DocType::Plan => "计划",
            DocType::Other => "其他",
        }
    }

    /// The English key, snake_case: `resolution`, `decision`, `order`,
    /// `communique`, `announcement`, `public_notice`, `opinion`, `notice`,
    /// `circular`, `report`, `request`, `reply`, `motion`, `letter`,
    /// `minutes`, `speech`, `summary`, `plan`, `other`.
    pub fn english_key(self) -> &'static str {
        match self {
            DocType::Resolution => "resolution",
            DocType::Decision => "decision",
            DocType::Order => "order",
            DocType::Communique => "communique",
            DocType::Announcement => "announcement",
            DocType::PublicNotice => "public_notice",
            DocType::Opinion => "opinion",
            DocType::Notice => "notice",
            DocType::Circular => "circular",
            DocType::Report => "report",
            DocType::Request => "request",
            DocType::Reply => "reply",
            DocType::Motion => "motion",
            DocType::Letter => "letter",
            DocType::Minutes => "minutes",
            DocType::Speech => "speech",
            DocType::Summary => "summary",
            DocType::Plan => "plan",
            DocType::Other => "other",
        }
    }

    /// `true` for the 15 types of 《党政机关公文处理工作条例》第八条.
    pub fn is_statutory(self) -> bool {
        !matches!(
            self,
            DocType::Speech | DocType::Summary | DocType::Plan | DocType::Other
        )
    }

    /// `true` for 上行文 (documents sent up to a superior): 请示 and 报告.
    /// Used by checks: 签发人 is required on 上行文 (GB/T 9704-2012 §7.2.6),
    /// and a 请示 carries one matter only (条例 第十五条).
    pub fn is_upward(self) -> bool {
        matches!(self, DocType::Request | DocType::Report)
    }

    /// The 文种 named by the end of a 标题 (GB/T 9704-2012 §7.3.1), or
    /// `None` when the ending names no known type (`…条例`, `…办法`, a court
    /// case `…协议案`).
    ///
    /// Tolerated noise at the end: white space and punctuation, bracketed
    /// remarks such as `（试行）`, `（草案）`, `（二）`, and a trailing 发文字号
    /// or `第N号`. Recognised endings (longest first): 会议纪要/纪要,
    /// 讲话稿/讲话/发言/致辞 and `在…上的讲话`, 工作总结/总结, 计划/方案/要点/规划,
    /// 命令/令, and each statutory name.
    ///
    /// ```
    /// use gongwen::meta::doc_type::DocType;
    /// assert_eq!(DocType::from_title("国务院办公厅关于印发X的通知"), Some(DocType::Notice));
    /// assert_eq!(DocType::from_title("在全市工作会议上的讲话"), Some(DocType::Speech));
    /// assert_eq!(DocType::from_title("中华人民共和国国务院令 第708号"), Some(DocType::Order));
    /// assert_eq!(DocType::from_title("某某条例"), None);
    /// ```
    pub fn from_title(title: &str) -> Option<DocType> {
        let t = strip_title_noise(title);
        const ENDINGS: &[(&str, DocType)] = &[
            ("会议纪要", DocType::Minutes),
            ("纪要", DocType::Minutes),
            ("讲话稿", DocType::Speech),
            ("讲话提纲", DocType::Speech),
            ("讲话", DocType::Speech),
            ("发言稿", DocType::Speech),
            ("发言", DocType::Speech),
            ("致辞", DocType::Speech),
            ("工作总结", DocType::Summary),
            ("总结", DocType::Summary),
            ("工作计划", DocType::Plan),
            ("计划", DocType::Plan),
            ("实施方案", DocType::Plan),
            ("方案", DocType::Plan),
            ("工作要点", DocType::Plan),
            ("要点", DocType::Plan),
            ("规划", DocType::Plan),
            ("命令", DocType::Order),
            ("决议", DocType::Resolution),
            ("决定", DocType::Decision),
            ("公报", DocType::Communique),
            ("公告", DocType::Announcement),
            ("通告", DocType::PublicNotice),
            ("意见", DocType::Opinion),
            ("通知", DocType::Notice),
            ("通报", DocType::Circular),
            ("报告", DocType::Report),
            ("请示", DocType::Request),
            ("批复", DocType::Reply),
            ("议案", DocType::Motion),
            ("函", DocType::Letter),
            ("令", DocType::Order),
        ];
        let (ending, ty) = ENDINGS.iter().find(|(e, _)| t.ends_with(e))?;
        let before = &t[..t.len() - ending.len()];
        // A court case `…诉…协议案` is no 议案.
        if *ty == DocType::Motion && before.ends_with('协') {
            return None;
        }
        // `…的安排`/`…的意见稿` are handled by the table; a bare `令` must
        // follow a name, not be part of a word such as `司令`/`口令`.
        if *ty == DocType::Order
            && *ending == "令"
            && (before.ends_with('司') || before.ends_with('口'))
        {
            return None;
        }
        Some(*ty)
    }
}

/// Removes end-of-title noise: spaces, punctuation, bracketed remarks,
/// a trailing 发文字号 or `第N号`.
fn strip_title_noise(title: &str) -> &str {
    let mut t = title.trim_matches(is_space);
    loop {
        let before = t;
        t = t.trim_end_matches(|c: char| {
            is_space(c)
                || matches!(
                    c,
                    '。' | '.'
                        | '．'
                        | '，'
                        | ','
                        | '；'
                        | ';'
                        | '：'
                        | ':'
                        | '！'
                        | '!'
                        | '？'
                        | '?'
                        | '"'
                        | '”'
                        | '’'
                        | '\''
                        | '》'
                        | '#'
                        | '*'
                        | '、'
                )
        });
        // A trailing doc number: `…的通知〔2023〕5号` / `…（国办发〔2023〕5号）`.
        t = strip_trailing_number(t);
        // `第708号`
        if let Some(stripped) = t.strip_suffix('号')
            && let Some(di) = stripped.rfind('第')
            && stripped[di + '第'.len_utf8()..].chars().all(|c| {
                c.is_ascii_digit()
                    || ('０'..='９').contains(&c)
                    || "〇零一二三四五六七八九十百千".contains(c)
                    || is_space(c)
            })
        {
            t = &stripped[..di];
        }
        // A short bracketed remark at the end: （试行） (二) 【草案】 〔2023〕
        for (open, close) in [
            ('（', '）'),
            ('(', ')'),
            ('【', '】'),
            ('〔', '〕'),
            ('[', ']'),
        ] {
            if let Some(inner) = t.strip_suffix(close)
                && let Some(o) = inner.rfind(open)
                && inner[o..].chars().count() <= 12
                && o > 0
            {
                t = &inner[..o];
            }
        }
        if t == before {
            return t;
        }
    }
}

impl fmt::Display for DocType {
    /// Writes the Chinese name ([`DocType::name`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error of [`DocType::from_str`]: the text names no 文种.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "不是已知的文种 / unknown 文种 (document type) {0:?}: 应为 expected one of 决议 决定 命令 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 函 纪要 讲话稿 总结 计划 其他 (or the English key)"
)]
pub struct UnknownDocType(pub String);

impl FromStr for DocType {
    type Err = UnknownDocType;

    /// Accepts the Chinese name ([`DocType::name`]), the English key
    /// ([`DocType::english_key`], case-insensitive) and aliases: 令, 命令（令）,
    /// 会议纪要, 讲话/发言, 工作总结, 工作计划/方案/要点, notification, bulletin.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k = s.trim().to_lowercase().replace(['-', ' '], "_");
        if let Some(t) = DocType::ALL
            .iter()
            .find(|t| t.name() == k || t.english_key() == k)
        {
            return Ok(*t);
        }
        Ok(match k.as_str() {
            "令" | "命令（令）" | "命令(令)" => DocType::Order,
            "会议纪要" => DocType::Minutes,
            "讲话" | "发言" | "发言稿" | "致辞" => DocType::Speech,
            "工作总结" => DocType::Summary,
            "工作计划" | "方案" | "实施方案" | "要点" | "工作要点" | "规划" => {
                DocType::Plan
            }
            "其它" => DocType::Other,
            "notification" => DocType::Notice,
            "bulletin" => DocType::Circular,
            "communiqué" => DocType::Communique,
            _ => return Err(UnknownDocType(s.to_string())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_keys_round_trip() {
        for t in DocType::ALL {
            assert_eq!(t.name().parse::<DocType>(), Ok(t));
            assert_eq!(t.english_key().parse::<DocType>(), Ok(t));
            assert_eq!(t.english_key().to_uppercase().parse::<DocType>(), Ok(t));
        }
        assert_eq!("令".parse::<DocType>(), Ok(DocType::Order));
        assert_eq!("工作总结".parse::<DocType>(), Ok(DocType::Summary));
        assert!("条例".parse::<DocType>().is_err());
        assert_eq!(DocType::ALL.iter().filter(|t| t.is_statutory()).count(), 15);
    }

    #[test]
    fn upward() {
        let up: Vec<DocType> = DocType::ALL.into_iter().filter(|t| t.is_upward()).collect();
        assert_eq!(up, [DocType::Report, DocType::Request]);
    }

    #[test]
    fn from_title_endings() {
        use DocType::*;
        let cases = [
            ("国务院关于加强X工作的决定", Some(Decision)),
            ("关于同意张阿三同志辞职的批复", Some(Reply)),
            ("关于给张阿三同志辞职的请示", Some(Request)),
            ("XX市2023年工作总结", Some(Summary)),
            ("XX局2024年工作计划", Some(Plan)),
            ("关于开展X活动的实施方案", Some(Plan)),
            ("2024年工作要点", Some(Plan)),
            ("在全市经济工作会议上的讲话", Some(Speech)),
            ("在办公室工作交流大会上的发言", Some(Speech)),
            ("国务院关于在我国统一实行法定计量单位的命令", Some(Order)),
            ("中华人民共和国主席令", Some(Order)),
            ("中华人民共和国国务院令 第708号", Some(Order)),
            ("第十四届全国人民代表大会第二次会议公报", Some(Communique)),
            ("关于X的公告", Some(Announcement)),
            ("关于X的通告", Some(PublicNotice)),
            ("关于实施乡村振兴战略的意见", Some(Opinion)),
            ("关于X的通报", Some(Circular)),
            ("2014年政府工作报告", Some(Report)),
            ("关于提请审议X的议案", Some(Motion)),
            ("关于商请X的函", Some(Letter)),
            ("关于X的复函", Some(Letter)),
            ("X专题会议纪要", Some(Minutes)),
            ("X常委会关于X的决议", Some(Resolution)),
            // noise
            ("  关于X的通知。 ", Some(Notice)),
            ("关于X的通知（试行）", Some(Notice)),
            ("关于X的通知〔2023〕5号", Some(Notice)),
            ("关于X的通知（国办发〔2023〕5号）", Some(Notice)),
            ("关于X的意见（征求意见稿）", Some(Opinion)),
            ("# 关于X的通知", Some(Notice)),
            // not 文种
            ("中华人民共和国刑法", None),
            ("X省Y条例", None),
            ("X办法（试行）", None),
            (
                "韩某某诉辽宁省锦州市松山新区国有土地上房屋征收办公室不履行预征收行政协议案",
                None,
            ),
            ("关于司令", None),
            ("", None),
        ];
        for (title, want) in cases {
            assert_eq!(DocType::from_title(title), want, "{title}");
        }
    }

    #[test]
    fn property_any_subject_plus_type() {
        let subjects = [
            "国务院关于X的",
            "某某市人民政府关于加强（二）Y管理",
            "关于“十四五”规划实施情况的",
        ];
        for t in DocType::ALL.into_iter().filter(|t| *t != DocType::Other) {
            for s in subjects {
                let title = format!("{s}{}", t.name());
                assert_eq!(DocType::from_title(&title), Some(t), "{title}");
                let noisy = format!("{title}（试行） ");
                assert_eq!(DocType::from_title(&noisy), Some(t), "{noisy}");
            }
        }
    }
}
