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
    ExitCode::from(2)
}
