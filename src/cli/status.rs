//! `gongwen status`: say what the next `gongwen index` run would add, update
//! or remove, per root, without changing anything. Thin: calls
//! [`gongwen::archive::status::status`] and prints.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use gongwen::archive::status;

use super::roots::format_time;

/// Arguments of `gongwen status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// List every added, changed and deleted file (default: the first 20 of each).
    #[arg(short, long)]
    pub verbose: bool,
    /// The whole report as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Run `gongwen status`. Exit code 0 whether or not the index is stale
/// (2 on errors, e.g. no index).
pub fn run(index_dir: &Path, a: StatusArgs) -> anyhow::Result<ExitCode> {
    let report = status::status(index_dir)?;
    if a.json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let limit = if a.verbose { usize::MAX } else { 20 };
    for r in &report.roots {
        println!(
            "{} (上次索引 last indexed {})",
            r.path,
            format_time(r.last_indexed)
        );
        if !r.exists {
            println!(
                "  目录不存在，其文档保留在索引中 / folder is missing; its documents stay in the index"
            );
            continue;
        }
        println!(
            "  新增 added {} · 更改 changed {} · 删除 deleted {} · 未变 unchanged {} · 跳过 skipped {} (unsupported type)",
            r.added.len(),
            r.changed.len(),
            r.deleted.len(),
            r.unchanged,
            r.skipped
        );
        for (mark, list) in [("+", &r.added), ("~", &r.changed), ("-", &r.deleted)] {
            for p in list.iter().take(limit) {
                println!("  {mark} {p}");
            }
            if list.len() > limit {
                println!(
                    "  {mark} … 另有 {} 个 / {} more, see --verbose",
                    list.len() - limit,
                    list.len() - limit
                );
            }
        }
        for (p, reason) in r.errors.iter().take(limit) {
            println!("  ! {p}: {reason}");
        }
    }
    if report.roots.is_empty() {
        println!("索引中没有目录 / the index knows no folders");
    } else if report.roots.iter().any(|r| !r.exists) {
        println!(
            "有目录不存在，其文档已保留；不再需要时请 `gongwen roots remove 目录` / a folder is missing and its documents are kept: `gongwen roots remove PATH` if it is gone for good"
        );
    } else if report.is_stale() {
        println!("索引需要更新，请运行 `gongwen index` / the index is stale: run `gongwen index`");
    } else {
        println!(
            "索引是最新的 / the index is up to date ({} documents)",
            report.docs
        );
    }
    Ok(ExitCode::SUCCESS)
}
