//! The element vocabulary of a 公文 (GB/T 9704-2012 §7: 版头 §7.2, 主体
//! §7.3, 版记 §7.4) plus 文种 and 格式, with their Chinese names and the
//! snake_case keys used in front matter and in the archive's metadata fields.

use std::fmt;

/// One element of a 公文. Each variant names the clause of GB/T 9704-2012
/// (or of 《党政机关公文处理工作条例》) it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Element {
    /// 份号, copy number (GB/T 9704-2012 §7.2.1).
    CopyNumber,
    /// 密级, classification: 绝密/机密/秘密 (GB/T 9704-2012 §7.2.2).
    Classification,
    /// 保密期限, secrecy period, after 密级 separated by ★ (GB/T 9704-2012 §7.2.2).
    SecrecyPeriod,
    /// 紧急程度, urgency: 特急/加急 (GB/T 9704-2012 §7.2.3).
    Urgency,
    /// 发文机关, the issuing organ (名称, used in 标志 and 署名; 条例 第九条).
    Issuer,
    /// 发文机关标志, the red header "XX文件" (GB/T 9704-2012 §7.2.4).
    IssuerMark,
    /// 发文字号, e.g. 国办发〔2023〕5号 (GB/T 9704-2012 §7.2.5).
    DocNumber,
    /// 签发人, signers of upward documents (GB/T 9704-2012 §7.2.6).
    Signers,
    /// 标题 (GB/T 9704-2012 §7.3.1).
    Title,
    /// 主送机关, principal recipients (GB/T 9704-2012 §7.3.2).
    Recipients,
    /// 附件说明 / 附件, attachments (GB/T 9704-2012 §7.3.4, §7.3.7).
    Attachments,
    /// 发文机关署名, signature (GB/T 9704-2012 §7.3.5).
    Signature,
    /// 成文日期, date of the document (GB/T 9704-2012 §7.3.5).
    Date,
    /// 附注, note (GB/T 9704-2012 §7.3.6).
    Note,
    /// 抄送机关, copied-to organs (GB/T 9704-2012 §7.4.2).
    Cc,
    /// 印发机关, the printing office (GB/T 9704-2012 §7.4.3).
    PrintedBy,
    /// 印发日期, printing date (GB/T 9704-2012 §7.4.3).
    PrintedDate,
    /// 文种, document type (《党政机关公文处理工作条例》第八条; part of the
    /// 标题, GB/T 9704-2012 §7.3.1).
    DocType,
    /// 格式, layout variant: 文件/信函/命令/纪要 (GB/T 9704-2012 §8).
    Format,
}

impl Element {
    /// Every element, in the order they appear on the page.
    pub const ALL: [Element; 19] = [
        Element::CopyNumber,
        Element::Classification,
        Element::SecrecyPeriod,
        Element::Urgency,
        Element::Issuer,
        Element::IssuerMark,
        Element::DocNumber,
        Element::Signers,
        Element::Title,
        Element::Recipients,
        Element::Attachments,
        Element::Signature,
        Element::Date,
        Element::Note,
        Element::Cc,
        Element::PrintedBy,
        Element::PrintedDate,
        Element::DocType,
        Element::Format,
    ];

    /// The Chinese name used in the standard, e.g. `发文字号`.
    pub fn chinese_name(self) -> &'static str {
        match self {
            Element::CopyNumber => "份号",
            Element::Classification => "密级",
            Element::SecrecyPeriod => "保密期限",
            Element::Urgency => "紧急程度",
            Element::Issuer => "发文机关",
            Element::IssuerMark => "发文机关标志",
            Element::DocNumber => "发文字号",
            Element::Signers => "签发人",
            Element::Title => "标题",
            Element::Recipients => "主送机关",
            Element::Attachments => "附件",
            Element::Signature => "发文机关署名",
            Element::Date => "成文日期",
            Element::Note => "附注",
            Element::Cc => "抄送机关",
            Element::PrintedBy => "印发机关",
            Element::PrintedDate => "印发日期",
            Element::DocType => "文种",
            Element::Format => "格式",
        }
    }

    /// The snake_case key for front matter and index fields, e.g. `doc_number`.
    pub fn english_key(self) -> &'static str {
        match self {
            Element::CopyNumber => "copy_number",
            Element::Classification => "classification",
            Element::SecrecyPeriod => "secrecy_period",
            Element::Urgency => "urgency",
            Element::Issuer => "issuer",
            Element::IssuerMark => "issuer_mark",
            Element::DocNumber => "doc_number",
            Element::Signers => "signers",
            Element::Title => "title",
            Element::Recipients => "recipients",
            Element::Attachments => "attachments",
            Element::Signature => "signature",
            Element::Date => "date",
            Element::Note => "note",
            Element::Cc => "cc",
            Element::PrintedBy => "printed_by",
            Element::PrintedDate => "printed_date",
            Element::DocType => "doc_type",
            Element::Format => "format",
        }
    }

    /// The element named by `key`: its English key (case-insensitive, `-`
    /// or space accepted for `_`), its Chinese name, or a common alias
    /// (发文单位, 文号, 日期, 抄送, 主送, 密级★保密期限 parts, …). Outer white
    /// space and a trailing colon are ignored. `None` for unknown keys.
    ///
    /// ```
    /// use gongwen::meta::elements::Element;
    /// assert_eq!(Element::from_key("文号"), Some(Element::DocNumber));
    /// assert_eq!(Element::from_key("doc_number"), Some(Element::DocNumber));
    /// assert_eq!(Element::from_key("Doc-Number"), Some(Element::DocNumber));
    /// ```
    pub fn from_key(key: &str) -> Option<Element> {
        let k = key
            .trim()
            .trim_end_matches([':', '：'])
            .trim()
            .to_lowercase()
            .replace(['-', ' '], "_");
        if let Some(e) = Element::ALL
            .iter()
            .find(|e| e.english_key() == k || e.chinese_name() == k)
        {
            return Some(*e);
        }
        Some(match k.as_str() {
            "发文单位" | "发文机构" | "发文部门" | "机关" | "author" | "from" | "agency" => {
                Element::Issuer
            }
            "文号" | "字号" | "发文号" | "文件编号" | "number" | "docno" | "doc_no" => {
                Element::DocNumber
            }
            "日期" | "发文日期" | "落款日期" | "成文时间" | "时间" => Element::Date,
            "抄送" | "抄报" | "copy_to" => Element::Cc,
            "主送" | "收文机关" | "主送单位" | "to" => Element::Recipients,
            "签发" => Element::Signers,
            "文件标题" | "题目" => Element::Title,
            "密级" | "保密等级" | "secret" => Element::Classification,
            "紧急" | "缓急" | "urgent" => Element::Urgency,
            "份数序号" => Element::CopyNumber,
            "署名" | "落款" => Element::Signature,
            "印发" | "印发单位" => Element::PrintedBy,
            "附件说明" => Element::Attachments,
            "文件类型" | "公文种类" | "类型" | "type" => Element::DocType,
            "版式" | "layout" => Element::Format,
            _ => return None,
        })
    }
}

impl fmt::Display for Element {
    /// Writes the Chinese name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.chinese_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for e in Element::ALL {
            assert_eq!(Element::from_key(e.english_key()), Some(e), "{e:?}");
            assert_eq!(Element::from_key(e.chinese_name()), Some(e), "{e:?}");
            assert_eq!(
                Element::from_key(&format!(" {}： ", e.chinese_name())),
                Some(e)
            );
            assert_eq!(
                Element::from_key(&e.english_key().to_uppercase().replace('_', "-")),
                Some(e)
            );
        }
    }

    #[test]
    fn keys_are_unique() {
        let mut en: Vec<&str> = Element::ALL.iter().map(|e| e.english_key()).collect();
        let mut cn: Vec<&str> = Element::ALL.iter().map(|e| e.chinese_name()).collect();
        en.sort();
        en.dedup();
        cn.sort();
        cn.dedup();
        assert_eq!(en.len(), 19);
        assert_eq!(cn.len(), 19);
    }

    #[test]
    fn aliases() {
        assert_eq!(Element::from_key("发文单位"), Some(Element::Issuer));
        assert_eq!(Element::from_key("文号"), Some(Element::DocNumber));
        assert_eq!(Element::from_key("日期"), Some(Element::Date));
        assert_eq!(Element::from_key("抄送"), Some(Element::Cc));
        assert_eq!(Element::from_key("主送"), Some(Element::Recipients));
        assert_eq!(Element::from_key("bogus"), None);
        assert_eq!(Element::from_key(""), None);
    }

    #[test]
    fn specific_names() {
        assert_eq!(Element::DocNumber.chinese_name(), "发文字号");
        assert_eq!(Element::PrintedDate.english_key(), "printed_date");
        assert_eq!(Element::Cc.to_string(), "抄送机关");
    }
}
