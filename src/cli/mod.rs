//! Command-line definitions (clap derive) and dispatch. Each subcommand lives
//! in its own file and only parses, calls the library and prints.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod catalog;
mod check;
mod draft;
mod index;
mod roots;
mod search;
mod show;
mod status;

/// Said of a document whose file is not at its path any more
/// ([`gongwen::archive::walk::on_disk`]), by `search` and `show`.
pub(crate) const NOT_ON_DISK: &str = "文件已不在此路径（已删除、移走，或所在磁盘未连接），以下是上次索引时的内容 / the file is no longer at this path (deleted, moved, or its drive is not connected): shown as last indexed";

/// gongwen — 公文起草与档案检索 / draft official documents and search archives.
#[derive(Debug, Parser)]
#[command(name = "gongwen", version, about, long_about = None)]
pub struct Cli {
    /// Index directory (default: `.gongwen/` in the current directory).
    /// 索引目录，默认为当前目录下的 `.gongwen/`。
    #[arg(long, global = true, env = "GONGWEN_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// All subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index archive folders (incremental). 建立或更新档案索引。
    Index(index::IndexArgs),
    /// Search the archive index. 检索档案。
    Search(search::SearchArgs),
    /// Show one indexed document: metadata and extracted text. 查看文档。
    Show(show::ShowArgs),
    /// List the archive (档案目录) as CSV or JSON lines, optionally filtered. 档案目录。
    Catalog(catalog::CatalogArgs),
    /// List the indexed folders, or `roots remove PATH` to drop one. 已索引目录。
    Roots(roots::RootsArgs),
    /// Show what changed on disk since the last index run (changes nothing). 索引状态。
    Status(status::StatusArgs),
    /// Render a Markdown draft to a GB/T 9704-2012 .docx or HTML. 生成公文。
    Draft(draft::DraftArgs),
    /// Check a Markdown draft against GB/T 9704-2012. 公文格式检查。
    Check(check::CheckArgs),
    /// List the built-in templates (one per 文种). 列出模板。
    Templates(draft::TemplatesArgs),
    /// Print a skeleton draft for a 文种, e.g. `gongwen new 通知`. 新建草稿。
    New(draft::NewArgs),
}

/// Parse arguments, run, and map the result to an exit code
/// (0 ok, 1 "found problems"/"nothing found", 2 error).
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(search::protect_negations(std::env::args_os().collect())) {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let index_dir = cli
        .index
        .clone()
        .unwrap_or_else(|| PathBuf::from(".gongwen"));
    let result = match cli.command {
        Command::Index(a) => index::run(&index_dir, a),
        Command::Search(a) => search::run(&index_dir, a),
        Command::Show(a) => show::run(&index_dir, a),
        Command::Catalog(a) => catalog::run(&index_dir, a),
        Command::Roots(a) => roots::run(&index_dir, a),
        Command::Status(a) => status::run(&index_dir, a),
        Command::Draft(a) => draft::run_draft(a),
        Command::Check(a) => check::run_check(a),
        Command::Templates(a) => draft::run_templates(a),
        Command::New(a) => draft::run_new(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // A bare I/O error, with no file named by a context, comes from
            // writing the results (the commands wrap every read with its
            // path): said as the panic hook of `main.rs` says it.
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                eprintln!("{}", output_error(io));
                return ExitCode::from(2);
            }
            // The whole cause chain, each part once (some errors repeat
            // their source in their own message).
            let mut msg = String::new();
            for part in e.chain().map(|c| c.to_string()) {
                if !msg.contains(&part) {
                    if !msg.is_empty() {
                        msg.push_str(": ");
                    }
                    msg.push_str(&part);
                }
            }
            eprintln!("错误 error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// The line said when the results cannot be written (a full disk, a
/// closed output), by every command.
pub(crate) fn output_error(reason: impl std::fmt::Display) -> String {
    format!("错误 error: 无法写出结果（磁盘已满或输出已关闭？）/ cannot write the output: {reason}")
}

/// The result of writing results to stdout: a reader that went away
/// (`gongwen status | head`) is not an error, anything else (a full disk:
/// the results are lost) is.
pub(crate) fn closed_pipe_is_ok(r: std::io::Result<()>) -> anyhow::Result<()> {
    match r {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// The draft at `path` as text, for `draft` and `check`: UTF-8 (a BOM is
/// dropped), UTF-16 with a BOM (Notepad's "Unicode"), or — with a note on
/// stderr — GBK/GB18030 (Notepad's "ANSI" on a Chinese Windows) when the
/// bytes decode as it without error. Errors, one line naming the file:
/// `<path>: 无法读取（文件不存在）/ cannot read: <OS reason>`, with the reason
/// in Chinese for the common kinds (missing, no permission, a folder, text
/// in neither encoding).
pub(crate) fn read_draft(path: &std::path::Path) -> anyhow::Result<String> {
    use std::io::{ErrorKind as K, Read};
    // A draft is a few pages of text; a device (`/dev/zero`) or a pipe would
    // be read for ever, a huge file into memory whole.
    const MAX_DRAFT_BYTES: u64 = 16 * 1024 * 1024;
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        anyhow::bail!(
            "{}: 无法读取（不是普通文件：设备、管道或套接字）/ cannot read: not a regular file (a device, pipe or socket)",
            path.display()
        );
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_DRAFT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| {
            let zh = match e.kind() {
                K::NotFound => "（文件不存在）",
                K::PermissionDenied => "（没有读取权限）",
                K::IsADirectory => "（这是文件夹，不是文件）",
                _ => "",
            };
            anyhow::anyhow!("{}: 无法读取{zh} / cannot read: {e}", path.display())
        })?;
    if bytes.len() as u64 > MAX_DRAFT_BYTES {
        anyhow::bail!(
            "{}: 文件过大（超过 16 MiB），不像公文草稿 / too large for a draft (over 16 MiB)",
            path.display()
        );
    }
    // A received document given where a draft is expected: say what it is.
    let kind = if bytes.starts_with(b"PK\x03\x04") {
        Some((
            "Word（.docx）、OFD 文件或压缩包",
            "a .docx, OFD or zip file",
        ))
    } else if bytes.starts_with(b"%PDF") {
        Some(("PDF 文件", "a PDF file"))
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some((
            "旧版 Word/WPS 文件（.doc/.wps）",
            "an old Word or WPS file (.doc/.wps)",
        ))
    } else {
        None
    };
    if let Some((zh, en)) = kind {
        anyhow::bail!(
            "{}: 这是{zh}，不是 Markdown 草稿；check 和 draft 读取 .md 文本草稿（`gongwen new 通知` 可生成一份）/ this is {en}, not a Markdown draft: check and draft read .md text drafts (`gongwen new 通知` writes one)",
            path.display()
        );
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        anyhow::bail!(
            "{}: 文件是空的，不是公文草稿（`gongwen new 通知` 可生成一份）/ the file is empty, not a draft (`gongwen new 通知` writes one)",
            path.display()
        );
    }
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(&bytes) {
        let (text, had_errors) = enc.decode_with_bom_removal(&bytes);
        if !had_errors {
            return Ok(text.into_owned());
        }
    } else {
        // The bytes back from a failed UTF-8 check, not a copy made before it.
        let bytes = match String::from_utf8(bytes) {
            Ok(text) => return Ok(text),
            Err(e) => e.into_bytes(),
        };
        if let Some(text) =
            encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(&bytes)
        {
            eprintln!(
                "注意 note: {} 不是 UTF-8，已按 GBK（GB18030）读取 / not UTF-8: read as GBK (GB18030)",
                path.display()
            );
            return Ok(text.into_owned());
        }
    }
    anyhow::bail!(
        "{}: 无法读取（需为 UTF-8 或 GBK 文本）/ cannot read: not UTF-8 or GBK text",
        path.display()
    )
}

/// Help and version go out as clap prints them; a usage error gets a
/// Chinese line naming its kind above clap's English one, exit code 2.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind as K;
    let zh = match e.kind() {
        K::DisplayHelp | K::DisplayVersion | K::DisplayHelpOnMissingArgumentOrSubcommand => {
            e.exit()
        }
        K::InvalidValue | K::ValueValidation => "参数值无效",
        K::UnknownArgument => "未知的选项或参数",
        K::InvalidSubcommand => "未知的命令",
        K::MissingRequiredArgument => "缺少必需的参数",
        K::MissingSubcommand => "缺少命令",
        K::ArgumentConflict => "这些选项不能同时使用",
        K::TooManyValues | K::TooFewValues | K::WrongNumberOfValues => "参数个数不对",
        K::NoEquals => "这个选项要用 = 给值",
        K::InvalidUtf8 => "参数不是有效的 UTF-8 文本",
        _ => "命令行参数有误",
    };
    // Which option or word is wrong, from clap's context, in the Chinese line too.
    let ctx = |k: clap::error::ContextKind| match e.get(k) {
        Some(clap::error::ContextValue::String(s)) => Some(s.clone()),
        Some(clap::error::ContextValue::Strings(v)) if !v.is_empty() => Some(v.join("、")),
        _ => None,
    };
    use clap::error::ContextKind as C;
    let detail = match (
        ctx(C::InvalidArg),
        ctx(C::InvalidValue),
        ctx(C::InvalidSubcommand),
    ) {
        (Some(arg), Some(v), _) => {
            format!("：{arg} 不接受“{}”", search::restore_negations_in(&v))
        }
        (Some(arg), None, _) => format!("：{arg}"),
        (None, _, Some(sub)) => format!("：“{sub}”"),
        _ => String::new(),
    };
    eprintln!("错误 error: {zh}{detail}（用法见 gongwen --help，或 gongwen <命令> --help）");
    // clap's message, with the marker `protect_negations` puts on `-1`-style
    // words taken back out.
    eprint!("{}", search::restore_negations_in(&e.render().to_string()));
    // clap suggests `--from` for `--format` on `search`: the option is the
    // catalogue's.
    if e.kind() == K::UnknownArgument
        && ctx(C::InvalidArg).is_some_and(|a| a.starts_with("--format"))
    {
        eprintln!(
            "提示 tip: 导出表格用 `gongwen catalog [查询] --format csv|json`；检索结果逐行 JSON 用 `gongwen search 查询 --json` / a table: `gongwen catalog [QUERY] --format csv|json`; search hits as JSON lines: `gongwen search QUERY --json`"
        );
    }
    ExitCode::from(2)
}
