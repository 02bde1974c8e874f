//! Templates: built into the binary, overridable from a directory.
//!
//! There are two kinds, both plain files under the project's `templates/`:
//!
//! - **draft skeletons**, one per 文种 (`templates/通知.md`, `请示.md`, …): a
//!   complete Markdown draft with every front-matter key for that 文种 and
//!   fictional example values. `gongwen new 通知` prints one; the same files
//!   are the examples the tests render.
//! - **HTML layouts** (`templates/page.html`): tera templates that turn the
//!   laid-out paragraphs (see [`crate::draft::render::layout`]) into an HTML
//!   print preview. A layout named after a 文种 (`通知.html`) is used for
//!   drafts of that 文种, else `page.html`; a layout may
//!   `{% extends "page.html" %}` and override its blocks (`style`, `body`).
//!
//! With `--templates DIR`, a file in DIR with the same name as a built-in
//! one wins, and further files in DIR are added (e.g. `DIR/会议通知.md`).

use std::path::{Path, PathBuf};

/// A built-in draft skeleton: 文种 name, one-line summary, Markdown source.
pub struct Builtin {
    /// The name, which is the 文种 (`通知`).
    pub name: &'static str,
    /// One line saying what it is for.
    pub summary: &'static str,
    /// The Markdown draft.
    pub source: &'static str,
}

macro_rules! draft {
    ($name:literal, $summary:literal) => {
        Builtin {
            name: $name,
            summary: $summary,
            source: include_str!(concat!("../../templates/", $name, ".md")),
        }
    };
}

/// The built-in draft skeletons (GB/T 9704-2012 layouts; 文种 of
/// 《党政机关公文处理工作条例》第八条 plus 讲话稿 and 工作总结).
pub const BUILTIN_DRAFTS: &[Builtin] = &[
    draft!("通知", "下行文，文件格式；发布、传达要求下级机关执行的事项"),
    draft!(
        "请示",
        "上行文，文件格式，须标签发人；一文一事、只主送一个机关"
    ),
    draft!("报告", "上行文，文件格式，须标签发人；汇报工作、反映情况"),
    draft!("函", "平行文，信函格式（GB/T 9704-2012 §10.1）"),
    draft!("纪要", "纪要格式（§10.3）；出席、请假、列席名单"),
    draft!("通报", "下行文；表彰先进、批评错误、传达重要情况"),
    draft!("意见", "对重要问题提出见解和处理办法"),
    draft!("决定", "对重要事项作出决策和部署"),
    draft!("批复", "下行文；答复下级机关请示事项"),
    draft!("公告", "向国内外宣布重要事项或者法定事项"),
    draft!("通告", "在一定范围内公布应当遵守或者周知的事项"),
    draft!("命令", "命令（令）格式（§10.2）；签发人职务和姓名"),
    draft!("讲话稿", "领导讲话稿：标题、讲话人、日期、正文，无版头"),
    draft!("工作总结", "工作总结：标题、署名、日期、正文，无版头"),
];

/// The built-in HTML layouts: (file name, tera source).
pub const BUILTIN_LAYOUTS: &[(&str, &str)] =
    &[("page.html", include_str!("../../templates/page.html"))];

/// What kind of template a [`TemplateInfo`] describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateKind {
    /// A Markdown draft skeleton (`*.md`).
    Draft,
    /// An HTML layout (`*.html`).
    Layout,
}

/// One entry of [`Templates::list`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateInfo {
    /// Name without extension (`通知`, `page`).
    pub name: String,
    /// Draft skeleton or HTML layout.
    pub kind: TemplateKind,
    /// One-line summary (built-ins; empty for files only found in DIR).
    pub summary: String,
    /// The file in the override directory that replaces or adds it; `None`
    /// for a built-in used as is.
    pub file: Option<PathBuf>,
}

/// A template that could not be found, read or rendered.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// No template of that name.
    #[error("没有模板 no template `{name}`; 可用 available: {available}")]
    NotFound {
        /// The name asked for.
        name: String,
        /// Comma-separated names that exist.
        available: String,
    },
    /// The override directory is missing or unreadable.
    #[error("无法读取模板目录 cannot read template directory `{path}`: {source}")]
    Dir {
        /// The directory.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A template file could not be read.
    #[error("无法读取模板 cannot read template `{path}`: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// tera could not parse or render a layout.
    #[error("模板错误 template error in `{name}`: {message}")]
    Tera {
        /// The layout's file name.
        name: String,
        /// tera's message, with its causes.
        message: String,
    },
}

/// The template set: built-ins plus an optional override directory.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    dir: Option<PathBuf>,
}

impl Templates {
    /// Only the built-in templates.
    pub fn builtin() -> Templates {
        Templates { dir: None }
    }

    /// Built-ins overridden and extended by the files in `dir`.
    ///
    /// # Errors
    /// [`TemplateError::Dir`] when `dir` is not a readable directory.
    pub fn with_dir(dir: &Path) -> Result<Templates, TemplateError> {
        std::fs::read_dir(dir).map_err(|source| TemplateError::Dir {
            path: dir.display().to_string(),
            source,
        })?;
        Ok(Templates {
            dir: Some(dir.to_path_buf()),
        })
    }

    fn dir_file(&self, file_name: &str) -> Option<PathBuf> {
        let p = self.dir.as_ref()?.join(file_name);
        p.is_file().then_some(p)
    }

    fn read(path: &Path) -> Result<String, TemplateError> {
        std::fs::read_to_string(path).map_err(|source| TemplateError::Read {
            path: path.display().to_string(),
            source,
        })
    }

    /// Files with extension `ext` in the override directory, by stem.
    fn dir_files(&self, ext: &str) -> Vec<(String, PathBuf)> {
        let Some(dir) = &self.dir else {
            return Vec::new();
        };
        let Ok(rd) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut v: Vec<(String, PathBuf)> = rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().and_then(|e| e.to_str()) == Some(ext))
            .filter_map(|p| Some((p.file_stem()?.to_str()?.to_string(), p)))
            .collect();
        v.sort();
        v
    }

    /// All templates: built-in drafts (in [`BUILTIN_DRAFTS`] order), then
    /// drafts only in DIR, then layouts.
    pub fn list(&self) -> Vec<TemplateInfo> {
        let mut out: Vec<TemplateInfo> = BUILTIN_DRAFTS
            .iter()
            .map(|b| TemplateInfo {
                name: b.name.to_string(),
                kind: TemplateKind::Draft,
                summary: b.summary.to_string(),
                file: self.dir_file(&format!("{}.md", b.name)),
            })
            .collect();
        for (stem, path) in self.dir_files("md") {
            if !BUILTIN_DRAFTS.iter().any(|b| b.name == stem) {
                out.push(TemplateInfo {
                    name: stem,
                    kind: TemplateKind::Draft,
                    summary: String::new(),
                    file: Some(path),
                });
            }
        }
        for (file, _) in BUILTIN_LAYOUTS {
            out.push(TemplateInfo {
                name: file.trim_end_matches(".html").to_string(),
                kind: TemplateKind::Layout,
                summary: "HTML 打印预览版式 / HTML print-preview layout".to_string(),
                file: self.dir_file(file),
            });
        }
        for (stem, path) in self.dir_files("html") {
            if !BUILTIN_LAYOUTS
                .iter()
                .any(|(f, _)| f.trim_end_matches(".html") == stem)
            {
                out.push(TemplateInfo {
                    name: stem,
                    kind: TemplateKind::Layout,
                    summary: String::new(),
                    file: Some(path),
                });
            }
        }
        out
    }

    /// The skeleton draft for a 文种 (`通知`; a trailing `.md` is accepted;
    /// `令` is the 命令 template, the 条例 第八条 name being 命令（令）).
    ///
    /// # Errors
    /// [`TemplateError::NotFound`] listing the available names;
    /// [`TemplateError::Read`] when the override file cannot be read.
    pub fn skeleton(&self, name: &str) -> Result<String, TemplateError> {
        let name = name.trim().trim_end_matches(".md");
        if matches!(name, "令" | "命令（令）" | "命令(令)") && self.dir_file("令.md").is_none()
        {
            return self.skeleton("命令");
        }
        if let Some(p) = self.dir_file(&format!("{name}.md")) {
            return Self::read(&p);
        }
        if let Some(b) = BUILTIN_DRAFTS.iter().find(|b| b.name == name) {
            return Ok(b.source.to_string());
        }
        Err(TemplateError::NotFound {
            name: name.to_string(),
            available: self
                .list()
                .iter()
                .filter(|t| t.kind == TemplateKind::Draft)
                .map(|t| t.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    /// All layouts as (file name, source), DIR's files replacing built-ins.
    ///
    /// # Errors
    /// [`TemplateError::Read`] for an unreadable override file.
    pub fn layouts(&self) -> Result<Vec<(String, String)>, TemplateError> {
        let mut v: Vec<(String, String)> = Vec::new();
        for (file, src) in BUILTIN_LAYOUTS {
            let src = match self.dir_file(file) {
                Some(p) => Self::read(&p)?,
                None => (*src).to_string(),
            };
            v.push(((*file).to_string(), src));
        }
        for (stem, path) in self.dir_files("html") {
            let file = format!("{stem}.html");
            if !v.iter().any(|(f, _)| *f == file) {
                v.push((file, Self::read(&path)?));
            }
        }
        Ok(v)
    }

    /// The layout file name to use: `explicit` (`--template NAME`, which must
    /// exist), else `<文种>.html` when there is one, else `page.html`.
    ///
    /// # Errors
    /// [`TemplateError::NotFound`] when `explicit` names no layout.
    pub fn layout_name(
        &self,
        doc_type: Option<&str>,
        explicit: Option<&str>,
    ) -> Result<String, TemplateError> {
        let layouts = self.layouts()?;
        let has = |n: &str| layouts.iter().any(|(f, _)| f == n);
        if let Some(e) = explicit {
            let e = e.trim().trim_end_matches(".html");
            let file = format!("{e}.html");
            if has(&file) {
                return Ok(file);
            }
            return Err(TemplateError::NotFound {
                name: file,
                available: layouts
                    .iter()
                    .map(|(f, _)| f.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        if let Some(t) = doc_type {
            let file = format!("{}.html", t.trim());
            if has(&file) {
                return Ok(file);
            }
        }
        Ok("page.html".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ling_is_the_order_template() {
        let t = Templates::builtin();
        let order = t.skeleton("命令").unwrap();
        assert_eq!(t.skeleton("令").unwrap(), order);
        assert_eq!(t.skeleton("命令（令）").unwrap(), order);
    }

    #[test]
    fn every_builtin_has_a_skeleton() {
        let t = Templates::builtin();
        for b in BUILTIN_DRAFTS {
            let s = t.skeleton(b.name).unwrap();
            assert!(
                s.starts_with("---"),
                "{} must start with front matter",
                b.name
            );
        }
        assert!(matches!(
            t.skeleton("不存在"),
            Err(TemplateError::NotFound { .. })
        ));
    }

    #[test]
    fn dir_overrides_builtin() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("通知.md"), "---\n标题: 覆盖\n---\n").unwrap();
        std::fs::write(dir.path().join("会议通知.md"), "---\n---\n").unwrap();
        let t = Templates::with_dir(dir.path()).unwrap();
        assert_eq!(t.skeleton("通知").unwrap(), "---\n标题: 覆盖\n---\n");
        assert!(t.list().iter().any(|i| i.name == "会议通知"));
        assert_eq!(t.layout_name(Some("通知"), None).unwrap(), "page.html");
        assert!(t.layout_name(None, Some("nope")).is_err());
    }
}
