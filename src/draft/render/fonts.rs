//! The five type faces GB/T 9704-2012 names and how they are substituted.
//!
//! The standard prescribes faces by name (§7.1 and the element clauses):
//! 仿宋_GB2312 for 正文, 方正小标宋简体 for 标题 and 发文机关标志, 黑体 and
//! 楷体_GB2312 for the first two 层次, 宋体 for page numbers (§7.5). Machines
//! without these fonts get substitutes from `--fonts`, e.g.
//! `仿宋_GB2312=FandolFang,方正小标宋简体=Noto Serif CJK SC`.

use std::collections::HashMap;

use serde::Serialize;

/// A logical type face of GB/T 9704-2012.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Face {
    /// 仿宋_GB2312: 正文, 发文字号, 署名, 版记 (§7.1 d, §7.3.3).
    FangSong,
    /// 方正小标宋简体: 标题 (§7.3.1), 发文机关标志 (§7.2.4, recommended).
    XiaoBiaoSong,
    /// 黑体: 第一层标题 (§7.3.3), 密级, 紧急程度 (§7.2.2, §7.2.3).
    HeiTi,
    /// 楷体_GB2312: 第二层标题 (§7.3.3), 签发人姓名 (§7.2.6).
    KaiTi,
    /// 宋体: 页码 (§7.5, "4号半角宋体阿拉伯数字").
    SongTi,
}

impl Face {
    /// All faces, in a fixed order.
    pub const ALL: [Face; 5] = [
        Face::FangSong,
        Face::XiaoBiaoSong,
        Face::HeiTi,
        Face::KaiTi,
        Face::SongTi,
    ];

    /// The font name the standard (and Chinese government templates) use.
    pub fn standard_name(self) -> &'static str {
        match self {
            Face::FangSong => "仿宋_GB2312",
            Face::XiaoBiaoSong => "方正小标宋简体",
            Face::HeiTi => "黑体",
            Face::KaiTi => "楷体_GB2312",
            Face::SongTi => "宋体",
        }
    }

    /// A short identifier usable as a CSS class (`fs`, `xbs`, `ht`, `kt`, `st`).
    pub fn css_class(self) -> &'static str {
        match self {
            Face::FangSong => "fs",
            Face::XiaoBiaoSong => "xbs",
            Face::HeiTi => "ht",
            Face::KaiTi => "kt",
            Face::SongTi => "st",
        }
    }

    /// Fallback families for HTML after the chosen font: the usual Windows,
    /// macOS and open (Noto / Fandol / AR PL) names, then a generic family.
    pub fn css_fallbacks(self) -> &'static [&'static str] {
        match self {
            Face::FangSong => &[
                "仿宋_GB2312",
                "FangSong_GB2312",
                "仿宋",
                "FangSong",
                "STFangsong",
                "FandolFang",
                "Noto Serif CJK SC",
                "Source Han Serif SC",
                "serif",
            ],
            Face::XiaoBiaoSong => &[
                "方正小标宋简体",
                "FZXiaoBiaoSong-B05S",
                "方正小标宋_GBK",
                "Noto Serif CJK SC",
                "Source Han Serif SC",
                "serif",
            ],
            Face::HeiTi => &[
                "黑体",
                "SimHei",
                "STHeiti",
                "Noto Sans CJK SC",
                "Source Han Sans SC",
                "sans-serif",
            ],
            Face::KaiTi => &[
                "楷体_GB2312",
                "KaiTi_GB2312",
                "楷体",
                "KaiTi",
                "STKaiti",
                "FandolKai",
                "AR PL UKai CN",
                "serif",
            ],
            Face::SongTi => &["宋体", "SimSun", "STSong", "Noto Serif CJK SC", "serif"],
        }
    }

    /// The face named by `name`: a standard name or a short alias
    /// (仿宋, 小标宋, 方正小标宋, 黑体, 楷体, 宋体; surrounding spaces ignored).
    pub fn from_name(name: &str) -> Option<Face> {
        let n = name.trim();
        Face::ALL
            .into_iter()
            .find(|f| f.standard_name() == n)
            .or(match n {
                "仿宋" | "fangsong" | "FangSong" => Some(Face::FangSong),
                "小标宋" | "方正小标宋" | "xiaobiaosong" => Some(Face::XiaoBiaoSong),
                "heiti" | "HeiTi" => Some(Face::HeiTi),
                "楷体" | "kaiti" | "KaiTi" => Some(Face::KaiTi),
                "songti" | "SongTi" => Some(Face::SongTi),
                _ => None,
            })
    }
}

/// Font substitutions: which real font to name for each [`Face`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FontMap {
    subs: HashMap<Face, String>,
}

/// A `--fonts` specification that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FontSpecError {
    /// An item had no `=`.
    #[error(
        "字体替换 `{0}` 缺少 = / font substitution `{0}` needs the form 仿宋_GB2312=FandolFang"
    )]
    MissingEquals(String),
    /// The face before `=` is not one of the five.
    #[error(
        "未知字体 unknown face `{0}`: 可用 仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体 (or 仿宋, 小标宋, 楷体)"
    )]
    UnknownFace(String),
    /// Nothing after `=`.
    #[error("字体替换 `{0}` 没有给出替代字体 / no substitute font after =")]
    EmptySubstitute(String),
}

impl FontMap {
    /// Parse `FACE=FONT[,FACE=FONT…]` (commas or `，` separate items;
    /// empty items are skipped). FACE is a standard name or alias
    /// ([`Face::from_name`]).
    ///
    /// # Errors
    /// [`FontSpecError`] naming the bad item.
    pub fn parse(spec: &str) -> Result<FontMap, FontSpecError> {
        let mut map = FontMap::default();
        for item in spec.split([',', '，', ';']) {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            let (face, font) = item
                .split_once('=')
                .ok_or_else(|| FontSpecError::MissingEquals(item.to_string()))?;
            let f = Face::from_name(face)
                .ok_or_else(|| FontSpecError::UnknownFace(face.trim().to_string()))?;
            let font = font.trim();
            if font.is_empty() {
                return Err(FontSpecError::EmptySubstitute(item.to_string()));
            }
            map.subs.insert(f, font.to_string());
        }
        Ok(map)
    }

    /// The font name to write for `face`: the substitute, else the standard name.
    pub fn name(&self, face: Face) -> &str {
        self.subs
            .get(&face)
            .map(String::as_str)
            .unwrap_or(face.standard_name())
    }

    /// A CSS `font-family` value for `face`: the substitute (if any), then
    /// [`Face::css_fallbacks`]; names quoted, generic families bare.
    pub fn css_family(&self, face: Face) -> String {
        let mut names: Vec<&str> = Vec::new();
        if let Some(s) = self.subs.get(&face) {
            names.push(s);
        }
        names.extend(face.css_fallbacks());
        names
            .iter()
            .map(|n| {
                if matches!(*n, "serif" | "sans-serif") {
                    (*n).to_string()
                } else {
                    format!(
                        "\"{}\"",
                        n.replace(['"', '\\', '<', '>', ';', '{', '}'], "")
                    )
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_spec() {
        let m = FontMap::parse("仿宋_GB2312=FandolFang，方正小标宋简体=Noto Serif CJK SC").unwrap();
        assert_eq!(m.name(Face::FangSong), "FandolFang");
        assert_eq!(m.name(Face::XiaoBiaoSong), "Noto Serif CJK SC");
        assert_eq!(m.name(Face::HeiTi), "黑体");
        assert!(
            m.css_family(Face::FangSong)
                .starts_with("\"FandolFang\", \"仿宋_GB2312\"")
        );
        assert_eq!(
            FontMap::parse("楷体=AR PL UKai CN")
                .unwrap()
                .name(Face::KaiTi),
            "AR PL UKai CN"
        );
    }

    #[test]
    fn bad_specs() {
        assert_eq!(
            FontMap::parse("仿宋_GB2312"),
            Err(FontSpecError::MissingEquals("仿宋_GB2312".into()))
        );
        assert_eq!(
            FontMap::parse("Arial=Foo"),
            Err(FontSpecError::UnknownFace("Arial".into()))
        );
        assert!(matches!(
            FontMap::parse("黑体= "),
            Err(FontSpecError::EmptySubstitute(_))
        ));
    }
}
