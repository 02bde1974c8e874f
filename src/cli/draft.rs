//! `gongwen draft`, `templates`, `new`: parse arguments, call
//! [`gongwen::draft`], print.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use gongwen::draft::check::Severity;
use gongwen::draft::render::{self, FontMap, RenderOptions};
use gongwen::draft::templates::{TemplateKind, Templates};

/// Arguments of `gongwen draft`.
#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The Markdown draft (YAML front matter + body). 草稿文件。
    pub input: PathBuf,
    /// Output file; `.docx` or `.html` decides the format (default: the
    /// draft's name with `.docx`; an existing folder: that name in it).
    /// 输出文件，默认与草稿同名的 .docx；给文件夹则写在其中。
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// HTML layout template name (default: the draft's 文种 if such a layout
    /// exists, else `page`). HTML 版式模板。
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
    /// Directory whose templates override the built-in ones. 模板目录。
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Font substitutes, e.g. `仿宋_GB2312=FandolFang,方正小标宋简体=Noto Serif CJK SC`.
    /// 字体替换。
    #[arg(long, value_name = "SPEC")]
    pub fonts: Option<String>,
}

/// Arguments of `gongwen templates`.
#[derive(Debug, Args)]
pub struct TemplatesArgs {
    /// Directory whose templates override the built-in ones. 模板目录。
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// Arguments of `gongwen new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// 文种, e.g. 通知 (see `gongwen templates`).
    pub doc_type: String,
    /// Directory whose templates override the built-in ones. 模板目录。
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

fn templates(dir: Option<&PathBuf>) -> anyhow::Result<Templates> {
    Ok(match dir {
        Some(d) => Templates::with_dir(d)?,
        None => Templates::builtin(),
    })
}

/// `gongwen draft`: render; print reading warnings and checker findings on
/// stderr, as `check` does, except that findings the layout settles (a
/// `[2026]` in the 发文字号, `2024年01月05日`) are marked 已改正. The document
/// is written in any case (a preview); exit 1 when errors are left in it.
pub fn run_draft(a: DraftArgs) -> anyhow::Result<ExitCode> {
    let output = match &a.output {
        // `-o 发文/`: the .docx of the draft's name in that folder.
        Some(o) if o.is_dir() => o.join(
            a.input
                .with_extension("docx")
                .file_name()
                .unwrap_or_else(|| std::ffi::OsStr::new("draft.docx")),
        ),
        // `-o 发文/` for a folder that is not there.
        Some(o) if o.as_os_str().to_string_lossy().ends_with(['/', '\\']) => anyhow::bail!(
            "{}: 文件夹不存在，请先建好它 / no such folder: create it first",
            o.display()
        ),
        Some(o) => o.clone(),
        None => a.input.with_extension("docx"),
    };
    // An input that is no draft (a received .docx) is said first: its
    // default output would otherwise be refused as the input itself.
    let source = super::read_draft(&a.input)?;
    // A wrong output name is an argument error: said before any finding.
    render::OutputFormat::from_path(&output)?;
    check_output(&a.input, &output)?;
    let (doc, warnings) =
        gongwen::draft::parse_draft(&source).with_context(|| format!("`{}`", a.input.display()))?;
    let name = a.input.display();
    for w in &warnings {
        let f = gongwen::draft::check::Finding::from_warning(w);
        eprintln!("{}", f.display_with_path(&name.to_string()));
    }
    let mut errors_left = 0;
    for (f, stays) in gongwen::draft::check::check_for_render(&doc, &source) {
        if stays {
            errors_left += usize::from(f.severity == Severity::Error);
            eprintln!("{}", f.display_with_path(&name.to_string()));
        } else {
            eprintln!(
                "{name}:{}:{}: 已改正[{}] {}（生成的文档中已按标准写出，草稿未改 / written in standard form in the output, the draft is unchanged）",
                f.line, f.column, f.rule, f.message
            );
        }
    }
    let opts = RenderOptions {
        fonts: match &a.fonts {
            Some(s) => FontMap::parse(s)?,
            None => FontMap::default(),
        },
        template: a.template.clone(),
    };
    let t = templates(a.templates.as_ref())?;
    render::render_to_path(&doc, &output, &t, &opts)?;
    if errors_left > 0 {
        eprintln!(
            "已生成 wrote {}，但仍有 {errors_left} 个错误，印发前须改正 / {errors_left} error(s) left in it: fix the draft before issuing",
            output.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    eprintln!("已生成 wrote {}", output.display());
    Ok(ExitCode::SUCCESS)
}

/// Refuses an output that would destroy the draft or never finish: the
/// draft itself (the same path, a link to it, a hard link), or an existing
/// path that is not a regular file (a pipe would block, a device is no
/// document). A new path, or another regular file (replaced), is fine.
fn check_output(input: &std::path::Path, output: &std::path::Path) -> anyhow::Result<()> {
    let Ok(out) = std::fs::metadata(output) else {
        return Ok(()); // not there yet (or a dangling link: created anew)
    };
    if !out.is_file() {
        anyhow::bail!(
            "{}: 输出路径已存在且不是普通文件（文件夹、管道或设备）/ the output exists and is not a regular file (a folder, pipe or device)",
            output.display()
        );
    }
    let same = match std::fs::metadata(input) {
        #[cfg(unix)]
        Ok(inp) => {
            use std::os::unix::fs::MetadataExt;
            inp.dev() == out.dev() && inp.ino() == out.ino()
        }
        #[cfg(not(unix))]
        Ok(_) => std::fs::canonicalize(input).ok() == std::fs::canonicalize(output).ok(),
        Err(_) => false,
    };
    if same {
        anyhow::bail!(
            "{}: 输出文件就是草稿本身（或指向它的链接），生成会覆盖草稿；请用 -o 另取文件名 / the output is the draft itself (or a link to it): writing would destroy the draft; choose another name with -o",
            output.display()
        );
    }
    Ok(())
}

/// `gongwen templates`: one line per template: kind, name, summary, and the
/// overriding file if any.
pub fn run_templates(a: TemplatesArgs) -> anyhow::Result<ExitCode> {
    let t = templates(a.templates.as_ref())?;
    for info in t.list() {
        let kind = match info.kind {
            TemplateKind::Draft => "草稿 draft ",
            TemplateKind::Layout => "版式 layout",
        };
        let file = info
            .file
            .map(|f| format!("  [{}]", f.display()))
            .unwrap_or_default();
        println!("{kind}  {}\t{}{file}", info.name, info.summary);
    }
    Ok(ExitCode::SUCCESS)
}

/// `gongwen new 通知`: print the skeleton draft on stdout.
pub fn run_new(a: NewArgs) -> anyhow::Result<ExitCode> {
    let t = templates(a.templates.as_ref())?;
    print!("{}", t.skeleton(&a.doc_type)?);
    Ok(ExitCode::SUCCESS)
}
