//! Rendering a parsed draft ([`crate::draft::model::Document`]) to a
//! GB/T 9704-2012 .docx or to an HTML print preview.
//!
//! Pipeline: [`layout::lay_out`] turns the model into a list of positioned
//! paragraphs (which element, which face, size, alignment, indents, rules),
//! following GB/T 9704-2012 §7 (文件格式) and §10 (信函、命令、纪要). The two
//! back ends only translate that list: [`docx::render_docx`] to WordprocessingML
//! (docx-rs) and [`html::render_html`] to HTML through a tera layout template
//! (see [`crate::draft::templates`]). Keeping the layout in one place means the
//! .docx and the preview cannot disagree about what goes where.

pub mod docx;
pub mod fonts;
pub mod html;
pub mod layout;

use std::path::Path;

pub use docx::render_docx;
pub use fonts::{Face, FontMap};
pub use html::render_html;

use crate::draft::model::Document;
use crate::draft::templates::{TemplateError, Templates};

/// Options shared by both back ends.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Font substitutions (`--fonts`); the GB/T 9704-2012 names by default.
    pub fonts: FontMap,
    /// HTML layout template name (`--template`); `None` picks the layout for
    /// the document's 文种, falling back to `page` (see
    /// [`crate::draft::templates::Templates::layout_name`]).
    pub template: Option<String>,
}

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The output name ends in neither `.docx` nor `.html`/`.htm`.
    #[error(
        "不支持的输出格式 unsupported output `{0}`: 文件名应以 .docx 或 .html 结尾 / name it *.docx or *.html"
    )]
    UnknownFormat(String),
    /// docx-rs failed to pack the package.
    #[error("生成 .docx 失败 could not build the .docx: {0}")]
    Docx(String),
    /// A layout template failed to load or to render.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// Writing the output file failed: the reason in Chinese for the common
    /// kinds (missing folder, no permission, full disk), then the OS's.
    #[error("无法写入{} cannot write `{path}`: {source}", write_reason_zh(source.kind()))]
    Write {
        /// The output path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// The output formats, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Office Open XML word processing document (`.docx`).
    Docx,
    /// HTML print preview (`.html` / `.htm`).
    Html,
}

impl OutputFormat {
    /// The format for an output path, by its extension (case-insensitive).
    ///
    /// # Errors
    /// [`RenderError::UnknownFormat`] for any other extension.
    pub fn from_path(path: &Path) -> Result<OutputFormat, RenderError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("docx") => Ok(OutputFormat::Docx),
            Some("html") | Some("htm") => Ok(OutputFormat::Html),
            _ => Err(RenderError::UnknownFormat(path.display().to_string())),
        }
    }
}

/// Render `doc` in the format named by `out`'s extension and write it there.
///
/// # Errors
/// [`RenderError::UnknownFormat`] for an unknown extension, template and
/// .docx packing errors, and [`RenderError::Write`] naming the path.
pub fn render_to_path(
    doc: &Document,
    out: &Path,
    templates: &Templates,
    opts: &RenderOptions,
) -> Result<(), RenderError> {
    let bytes = match OutputFormat::from_path(out)? {
        OutputFormat::Docx => render_docx(doc, opts)?,
        OutputFormat::Html => render_html(doc, templates, opts)?.into_bytes(),
    };
    std::fs::write(out, bytes).map_err(|source| RenderError::Write {
        path: out.display().to_string(),
        source,
    })
}

/// Why a file could not be written, in Chinese, for the common kinds
/// (`（所在文件夹不存在）`), else empty: the OS's English reason follows it in
/// [`RenderError::Write`].
fn write_reason_zh(kind: std::io::ErrorKind) -> &'static str {
    use std::io::ErrorKind as K;
    match kind {
        K::NotFound => "（所在文件夹不存在）",
        K::PermissionDenied | K::ReadOnlyFilesystem => "（没有写入权限）",
        K::IsADirectory => "（这是文件夹，不是文件）",
        K::StorageFull => "（磁盘已满）",
        K::NotADirectory => "（路径中有一段不是文件夹）",
        _ => "",
    }
}
