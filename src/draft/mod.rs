//! Drafting: Markdown with a front-matter header → 公文 model → checks →
//! .docx / HTML laid out to GB/T 9704-2012.
//!
//! Pipeline: [`front_matter`] splits and reads the YAML header, [`body`]
//! reads the Markdown body, both into the [`model`]; [`check`] lints the
//! model against GB/T 9704-2012; the renderers lay it out.
//! [`parse_draft`] runs the first two steps.

pub mod body;
pub mod check;
pub mod front_matter;
pub mod model;
pub mod render;
pub mod templates;

pub use model::{Block, Document, Format, Header, Inline, heading_number};

/// A non-fatal problem found while reading a draft (unknown key, empty
/// value, heading too deep). The draft is still usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// 1-based source line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong, in Chinese with an English gloss.
    pub message: String,
    /// Whether the problem is in the Markdown body (a heading too deep, an
    /// image, a footnote), not in the front matter.
    pub in_body: bool,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// A draft that cannot be read. Each message names the line (1-based, in the
/// whole file) and says how to fix it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DraftError {
    /// The file does not start with a `---` line.
    #[error(
        "第1行：找不到 front matter：文件应以 --- 开头 / line 1: no front matter: start the file with a `---` line, then `标题: …` lines, then `---`"
    )]
    NoFrontMatter,
    /// The opening `---` has no closing `---`.
    #[error(
        "第{line}行：front matter 没有结束：在头部各键之后加一行 --- / line {line}: front matter is not closed: add a `---` line after the header keys"
    )]
    UnclosedFrontMatter {
        /// Line of the opening `---`.
        line: usize,
    },
    /// A header line uses a full-width colon, e.g. `标题：…`.
    #[error(
        "第{line}行：键后应为半角冒号加空格（`标题: …`），不是“：” / line {line}: use an ASCII colon and a space after the key, not `：`: {text}"
    )]
    FullWidthColon {
        /// Source line.
        line: usize,
        /// The line as typed.
        text: String,
    },
    /// The front matter is not valid YAML.
    #[error(
        "第{line}行第{column}列：front matter 不是有效的 YAML（检查冒号、缩进和括号）/ line {line}, column {column}: invalid YAML in the front matter: {message}"
    )]
    Yaml {
        /// Source line of the error.
        line: usize,
        /// Column of the error.
        column: usize,
        /// The YAML parser's message.
        message: String,
    },
    /// An element is given twice (the same key, or its Chinese and its
    /// English name).
    #[error(
        "第{line}行：“{key}”重复，第{first_line}行已有“{first_key}”，请删去一个 / line {line}: `{key}` is given twice (`{first_key}` on line {first_line}): keep one"
    )]
    DuplicateKey {
        /// The key as typed on the later line.
        key: String,
        /// Source line of the later key.
        line: usize,
        /// The key as typed on the first line.
        first_key: String,
        /// Source line of the first key.
        first_line: usize,
    },
    /// The front matter is YAML but not `key: value` lines.
    #[error(
        "第{line}行：front matter 应为“键: 值”各行 / line {line}: the front matter must be `key: value` lines"
    )]
    NotAMapping {
        /// Source line where the front matter starts.
        line: usize,
    },
    /// A key has a value of the wrong shape or an unknown choice.
    #[error("第{line}行：“{key}”的值应为{expected} / line {line}: bad value for `{key}`")]
    BadValue {
        /// The key as typed.
        key: String,
        /// Source line of the key.
        line: usize,
        /// What is expected.
        expected: String,
    },
}

/// Parse a draft: YAML front matter between `---` lines, then a Markdown
/// body. Returns the document and the non-fatal warnings.
///
/// # Errors
/// A [`DraftError`] naming the line when the front matter is missing,
/// unclosed or invalid.
///
/// ```
/// let src = "---\n标题: 关于开展安全检查的通知\n主送机关: 各科室\n---\n# 检查范围\n\n全体科室。\n";
/// let (doc, warnings) = gongwen::draft::parse_draft(src).unwrap();
/// assert!(warnings.is_empty());
/// assert_eq!(doc.header.title.as_deref(), Some("关于开展安全检查的通知"));
/// assert_eq!(doc.body.len(), 2);
/// ```
pub fn parse_draft(source: &str) -> Result<(Document, Vec<Warning>), DraftError> {
    let split = front_matter::split(source)?;
    let (header, key_positions, mut warnings) =
        front_matter::parse_header(split.yaml, split.yaml_start_line)?;
    let (body, block_lines, w) = body::parse_body(split.body, split.body_start_line);
    warnings.extend(w);
    Ok((
        Document {
            header,
            body,
            block_lines,
            key_positions,
            body_start_line: split.body_start_line,
        },
        warnings,
    ))
}
