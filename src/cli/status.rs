//! `gongwen status`: say what the next `gongwen index` run would add, update
//! or remove, per root, without changing anything; with `--quality`, list
//! the documents whose text extraction needs attention (failed, scanned
//! without text layer, garbled, truncated, encoding guessed), worst first.
//! Thin: calls [`gongwen::archive::status::status`] or
//! [`gongwen::archive::status::quality_report`] and prints.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use gongwen::archive::extract::Status;
use gongwen::archive::index::ArchiveIndex;
use gongwen::archive::status::{self, QualityReport};

use super::index::thousands;
use super::roots::format_last_run;

/// Arguments of `gongwen status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// List every added, changed and deleted file (default: the first 20 of each).
    #[arg(short, long)]
    pub verbose: bool,
    /// The whole report as one JSON object; with --quality, one JSON object
    /// per document, then one with the counts.
    #[arg(long)]
    pub json: bool,
    /// Extraction-quality report: documents that failed, have no text layer
    /// (need OCR), are garbled, truncated or of a guessed encoding, worst
    /// first, with the reason and what to do; then a count per status.
    #[arg(long)]
    pub quality: bool,
    /// With --quality: list at most N documents (default 50; all with
    /// --verbose or --json).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

/// Run `gongwen status`. Exit code 0 whether or not the index is stale
/// (2 on errors, e.g. no index).
pub fn run(index_dir: &Path, a: StatusArgs) -> anyhow::Result<ExitCode> {
    if a.quality {
        return quality(index_dir, &a);
    }
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
            format_last_run(r.last_indexed, r.unfinished)
        );
        if r.deleted_file {
            println!(
                "  文件已删除，下一次 `gongwen index` 会移除其文档 / the file was deleted: the next `gongwen index` removes its document"
            );
            continue;
        }
        if !r.exists && r.docs == 0 {
            println!("  {}", gongwen::archive::indexer::MISSING_WITHOUT_DOCS);
            continue;
        }
        if !r.exists {
            println!(
                "  目录不存在，其 {} 篇文档保留在索引中 / folder is missing; its {} documents stay in the index",
                r.docs, r.docs
            );
            continue;
        }
        if r.refold_pending > 0 {
            let n = super::index::thousands(r.refold_pending as usize);
            println!(
                "  并入的目录中还有 {n} 个文件待重新读取：运行 `gongwen index` / {n} files of folded folders are still to be read again: run `gongwen index`"
            );
        }
        if r.rebuild_pending {
            println!(
                "  重建未完成：下一次 `gongwen index` 会重新读取其中全部文件 / a rebuild is pending: the next `gongwen index` re-reads every file in it"
            );
        }
        let unreachable = if r.errors.is_empty() {
            String::new()
        } else {
            format!(" · 无法访问 unreachable {}", r.errors.len())
        };
        println!(
            "  新增 added {} · 更改 changed {} · 删除 deleted {} · 未变 unchanged {} · 跳过 skipped {} (unsupported type){unreachable}",
            thousands(r.added.len()),
            thousands(r.changed.len()),
            thousands(r.deleted.len()),
            thousands(r.unchanged),
            thousands(r.skipped)
        );
        if !r.retry.is_empty() {
            let n = thousands(r.retry.len());
            let files = if r.retry.len() == 1 { "file" } else { "files" };
            println!(
                "  上次无法读取的 {n} 个文件，下一次 `gongwen index` 会重新读取 / {n} {files} could not be read last time: the next `gongwen index` reads them again"
            );
        }
        for (mark, list) in [
            ("+", &r.added),
            ("~", &r.changed),
            ("?", &r.retry),
            ("-", &r.deleted),
        ] {
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
        if r.errors.len() > limit {
            let more = r.errors.len() - limit;
            println!("  ! … 另有 {more} 个 / {more} more, see --verbose");
        }
    }
    let unreachable: usize = report.roots.iter().map(|r| r.errors.len()).sum();
    if report.roots.is_empty() {
        println!("索引中没有目录 / the index knows no folders");
    } else if report.roots.iter().any(|r| !r.exists && !r.deleted_file) {
        println!(
            "有目录不存在，其文档已保留；不再需要时请 `gongwen roots remove 目录` / a folder is missing and its documents are kept: `gongwen roots remove PATH` if it is gone for good"
        );
    } else if report.is_stale() {
        println!("索引需要更新，请运行 `gongwen index` / the index is stale: run `gongwen index`");
    } else if unreachable > 0 {
        // Up to date with what can be read; the `!` paths stay as they are
        // until the links or permissions are mended.
        println!(
            "索引是最新的，但有 {unreachable} 个路径无法访问（见上方 ! 行），重新索引也不会收录 / the index is up to date ({} documents), but {unreachable} path(s) cannot be read (the ! lines above): indexing again will not pick them up until they are mended",
            thousands(report.docs as usize)
        );
    } else {
        println!(
            "索引是最新的 / the index is up to date ({} documents)",
            thousands(report.docs as usize)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `gongwen status --quality`: the worst documents, then the counts line.
/// Exit 0 (2 on errors, e.g. no index); a closed pipe is not an error.
fn quality(index_dir: &Path, a: &StatusArgs) -> anyhow::Result<ExitCode> {
    let report = status::quality_report(index_dir)?;
    super::roots::note_unfinished(&ArchiveIndex::open(index_dir)?.state.roots);
    let limit = match a.limit {
        Some(n) => n,
        None if a.verbose || a.json => usize::MAX,
        None => 50,
    };
    let mut out = std::io::stdout().lock();
    let r = if a.json {
        print_quality_json(&mut out, &report, limit)
    } else {
        print_quality(&mut out, &report, limit)
    };
    super::closed_pipe_is_ok(r)?;
    Ok(ExitCode::SUCCESS)
}

fn print_quality_json(
    out: &mut impl Write,
    report: &QualityReport,
    limit: usize,
) -> std::io::Result<()> {
    for row in report.rows.iter().take(limit) {
        writeln!(out, "{}", serde_json::to_string(row)?)?;
    }
    let counts: serde_json::Map<String, serde_json::Value> = report
        .counts
        .iter()
        .map(|c| (c.status.name().to_string(), c.docs.into()))
        .collect();
    writeln!(
        out,
        "{}",
        serde_json::json!({"docs": report.docs, "counts": counts, "legacy": report.legacy})
    )
}

fn print_quality(
    out: &mut impl Write,
    report: &QualityReport,
    limit: usize,
) -> std::io::Result<()> {
    if report.docs == 0 {
        return writeln!(out, "索引中还没有文档 / the index holds no documents yet");
    }
    if report.rows.is_empty() {
        writeln!(
            out,
            "所有文档提取正常 / every document was extracted cleanly"
        )?;
    } else {
        writeln!(
            out,
            "需要处理的文档（最严重的在前）/ documents that need attention, worst first:"
        )?;
    }
    for row in report.rows.iter().take(limit) {
        writeln!(
            out,
            "{} {}  {}",
            row.status.label_zh(),
            english(row.status),
            row.path
        )?;
        if let Some(reason) = &row.reason {
            writeln!(out, "    {reason}")?;
        }
        if let Some(action) = &row.action {
            writeln!(out, "    → {action}")?;
        }
    }
    if report.rows.len() > limit {
        let more = report.rows.len() - limit;
        writeln!(
            out,
            "… 另有 {} 个 / {} more, see --limit N or --verbose",
            group(more as u64),
            group(more as u64)
        )?;
    }
    if report.legacy > 0 {
        writeln!(
            out,
            "{} 个文档由旧版本索引，只知道成功或失败；运行 `gongwen index --rebuild` 获取完整报告 / {} documents were indexed by an older gongwen (ok/failed only): run `gongwen index --rebuild` for the full report",
            group(report.legacy),
            group(report.legacy)
        )?;
    }
    let zh: Vec<String> = report
        .counts
        .iter()
        .map(|c| format!("{} {}", group(c.docs), c.status.label_zh()))
        .collect();
    let en: Vec<String> = report
        .counts
        .iter()
        .map(|c| format!("{} {}", group(c.docs), english(c.status)))
        .collect();
    writeln!(
        out,
        "{} 个文档：{} / {} documents: {}",
        group(report.docs),
        zh.join("，"),
        group(report.docs),
        en.join(", ")
    )
}

/// The status in English words: `no text layer` for `no_text_layer`.
fn english(s: Status) -> String {
    s.name().replace('_', " ")
}

/// `n` with thousands separators: 35,012.
fn group(n: u64) -> String {
    thousands(n as usize)
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_separators() {
        assert_eq!(super::group(0), "0");
        assert_eq!(super::group(999), "999");
        assert_eq!(super::group(3502), "3,502");
        assert_eq!(super::group(1_234_567), "1,234,567");
    }
}
