//! `gongwen index`: build or update the archive index and print a summary.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Args;
use gongwen::archive::indexer::{self, IndexOptions, Progress};
use indicatif::{ProgressBar, ProgressStyle};

/// Arguments of `gongwen index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Folders (or files) to index. Without PATH: reindex every folder the index knows.
    pub paths: Vec<PathBuf>,
    /// Re-read every file, changed or not (rebuild in place: search keeps
    /// the old entries until each file is read again; a file that now fails
    /// keeps its last good text; a missing folder keeps its documents).
    /// 重建索引：重新读取全部文件。
    #[arg(long)]
    pub rebuild: bool,
    /// List every failed file with its reason (default: the first 20).
    #[arg(short, long)]
    pub verbose: bool,
    /// Extraction threads (default: number of cores).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

/// The progress bar of `gongwen index` (stderr, terminals only): files
/// checked out of the supported files under the roots, with an ETA.
struct Bar {
    bar: Option<ProgressBar>,
    /// A commit was announced; the next file processed shows "extracting" again.
    committing: AtomicBool,
}

impl Progress for Bar {
    fn wants_total(&self) -> bool {
        self.bar.is_some()
    }
    fn start(&self, total: u64) {
        if let Some(b) = &self.bar {
            b.set_length(total);
        }
    }
    fn skip(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
        }
    }
    fn advance(&self, _path: &str) {
        if let Some(b) = &self.bar {
            b.inc(1);
            if self.committing.swap(false, Ordering::Relaxed) {
                b.set_message("提取 extracting");
            }
        }
    }
    fn committing(&self) {
        if let Some(b) = &self.bar {
            self.committing.store(true, Ordering::Relaxed);
            b.set_message("写入 committing");
        }
    }
}

/// `n` with thousands separators: `35,012`.
pub(super) fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Run `gongwen index`.
pub fn run(index_dir: &Path, a: IndexArgs) -> anyhow::Result<ExitCode> {
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(0);
        b.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} ETA {eta}")
                .expect("template")
                .progress_chars("=> "),
        );
        b.set_message("提取 extracting");
        Some(b)
    } else {
        None
    };
    let progress = Bar {
        bar,
        committing: AtomicBool::new(false),
    };
    let mut opts = IndexOptions {
        rebuild: a.rebuild,
        threads: a.threads,
        ..IndexOptions::default()
    };
    // Commit interval override, for crash tests and very slow disks.
    if let Some(n) = std::env::var("GONGWEN_COMMIT_EVERY_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        opts.commit_every_docs = n;
    }
    opts.stop = Some(stop_on_ctrl_c());
    let had_index = gongwen::archive::index::ArchiveIndex::exists(index_dir);
    let t0 = Instant::now();
    let s = indexer::run(index_dir, &a.paths, &opts, &progress)?;
    if let Some(b) = &progress.bar {
        b.finish_and_clear();
    }
    let secs = t0.elapsed().as_secs_f64();
    let mb = s.text_bytes as f64 / 1e6;
    for p in &s.dropped_roots {
        eprintln!(
            "已移除：{p} 已被删除，其文档和目录记录一并移除 / removed {p}: the file was deleted, its document and its entry in `gongwen roots` are gone"
        );
    }
    for (p, root) in &s.within_roots {
        eprintln!(
            "{p} 在已索引的目录 {root} 之内，作为它的一部分更新 / {p} lies inside the indexed folder {root}: updated as part of it"
        );
    }
    for (old, root) in &s.absorbed_roots {
        eprintln!(
            "{old} 已并入目录 {root}（不再单独列出），重新读取一次 / {old} is now part of the folder {root} (no longer listed on its own) and is read again once"
        );
    }
    if let Some(aside) = &s.damaged_moved_to {
        eprintln!(
            "原索引已损坏，已移到 {0}（可在确认新索引完整后删除）/ the damaged index was moved to {0} (delete it once the new index is complete)",
            aside.display()
        );
    }
    if s.rebuilt {
        eprintln!(
            "已新建索引 / created a new index at {}",
            index_dir.display()
        );
    } else if !s.interrupted && s.rebuilding {
        let n = s.rebuilt_roots;
        eprintln!(
            "已重建 {n} 个目录：其中每个文件都已重新读取 / rebuilt {n} folder(s): every file in them was read again"
        );
    }
    if !s.interrupted && s.rebuild_pending > 0 {
        let n = s.rebuild_pending;
        if s.rebuilt {
            eprintln!(
                "{n} 个目录无法访问：新索引中还没有它们的文档，目录恢复后运行 `gongwen index` 即可收录 / {n} folder(s) could not be reached: the new index holds none of their documents until they are back and `gongwen index` runs"
            );
        } else {
            eprintln!(
                "{n} 个目录无法访问，其文档保留，目录恢复后下一次 `gongwen index` 会重新读取 / {n} folder(s) could not be reached: their documents are kept and the first `gongwen index` after they are back re-reads them"
            );
        }
    }
    // added + updated + unchanged + skipped + failed = seen; zip members and
    // paths the walk could not follow are counted on their own.
    // A stopped run did not look at every file it walked past.
    let seen = if s.interrupted {
        let checked = s.added + s.updated + s.unchanged + s.skipped + s.failed_files + s.vanished;
        format!("已检查 checked {}", thousands(checked))
    } else {
        format!("文件 seen {}", thousands(s.seen))
    };
    let mut counts = format!(
        "{seen} · 新增 added {} · 更新 updated {} · 删除 removed {} · 未变 unchanged {} · 跳过 skipped {} (unsupported type) · 失败 failed {}",
        thousands(s.added),
        thousands(s.updated),
        thousands(s.removed),
        thousands(s.unchanged),
        thousands(s.skipped),
        thousands(s.failed_files),
    );
    if s.vanished > 0 {
        counts += &format!(
            " · 运行中被删除 vanished {} (deleted or moved during the run)",
            thousands(s.vanished)
        );
    }
    if s.failed_members > 0 {
        counts += &format!(
            " · 压缩包内失败 failed in zips {}",
            thousands(s.failed_members)
        );
    }
    if s.unreachable > 0 {
        counts += &format!(
            " · 无法访问 unreachable {} (broken links, unreadable or missing folders, pipes and devices)",
            thousands(s.unreachable)
        );
    }
    println!("{counts}");
    println!(
        "用时 time {secs:.2} s · 文本 text {mb:.1} MB ({:.1} MB/s) · 索引共 {} 篇 documents in {}",
        if secs > 0.0 { mb / secs } else { 0.0 },
        thousands(s.total_docs as usize),
        index_dir.display()
    );
    if !s.warnings.is_empty() {
        println!("注意 indexed with warnings:");
        let shown = if a.verbose {
            s.warnings.len()
        } else {
            s.warnings.len().min(20)
        };
        for (path, note) in &s.warnings[..shown] {
            println!("  {path}: {note}");
        }
        if shown < s.warnings.len() {
            let more = s.warnings.len() - shown;
            println!("  … 另有 {more} 个，用 --verbose 查看 / {more} more, see --verbose");
        }
    }
    if !s.failed.is_empty() {
        println!("问题 problems:");
        let shown = if a.verbose {
            s.failed.len()
        } else {
            s.failed.len().min(20)
        };
        for (path, reason) in &s.failed[..shown] {
            println!("  {path}: {reason}");
        }
        if shown < s.failed.len() {
            println!(
                "  … 另有 {} 个，用 --verbose 查看 / {} more, see --verbose",
                s.failed.len() - shown,
                s.failed.len() - shown
            );
        }
    }
    if s.retry > 0 {
        let n = thousands(s.retry);
        let files = if s.retry == 1 { "file" } else { "files" };
        println!(
            "{n} 个文件无法读取（权限、磁盘或网络问题），修复后运行 `gongwen index` 即会重新读取 / {n} {files} could not be read (permissions, disk or network): once mended, `gongwen index` reads them again"
        );
    }
    if s.interrupted {
        let saved = thousands(s.written);
        if s.rebuilding {
            println!(
                "已中断 interrupted: 本次重新读取的 {saved} 篇已保存，其余文件保留原有索引、仍可检索；运行 `gongwen index` 继续重建（将再次读取全部文件） / the {saved} documents re-read in this run are saved, the other files keep their old entries and stay searchable; run `gongwen index` to finish the rebuild (it reads every file again)"
            );
        } else {
            println!(
                "已中断 interrupted: 本次写入的 {saved} 篇已保存，其余文件留待下次；运行 `gongwen index`（不加 --rebuild）即可继续 / the {saved} documents written in this run are saved; run `gongwen index` (without --rebuild) to index the rest"
            );
        }
        if s.rebuilt && had_index {
            println!(
                "新索引未完成：在 `gongwen index` 补全之前检索结果不全 / the new index is not complete: search results are incomplete until `gongwen index` completes"
            );
        }
        // 128 + SIGINT, as a shell reports a process stopped by Ctrl-C.
        return Ok(ExitCode::from(130));
    }
    Ok(ExitCode::SUCCESS)
}

/// A flag that the first Ctrl-C (SIGINT, or SIGTERM) sets, so the run stops
/// taking new files and commits what it has; a second Ctrl-C, a second or
/// more after the first, quits at once (exit 130), which also loses nothing
/// committed before it. (Within the second it is the same stop delivered
/// twice, as `timeout -s INT` does.)
fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let first = std::sync::OnceLock::new();
    let installed = ctrlc::set_handler(move || {
        let t0 = *first.get_or_init(Instant::now);
        if !flag.swap(true, Ordering::SeqCst) {
            eprintln!(
                "\n正在停止：保存已索引的文件… 再按一次 Ctrl-C 立即退出 / stopping (interrupted or terminated): saving what is indexed… press Ctrl-C again to quit at once"
            );
        } else if t0.elapsed() < Duration::from_secs(1) {
            // The same stop delivered twice: `timeout -s INT` signals the
            // process and then its process group.
        } else {
            eprintln!(
                "\n已退出 quit: 上次提交之后写入的内容未保存，下次运行会重做 / what was written since the last commit is not saved; the next run redoes it"
            );
            std::process::exit(130);
        }
    });
    if let Err(e) = installed {
        eprintln!("注意 note: Ctrl-C 处理未安装 / Ctrl-C handler not installed: {e}");
    }
    stop
}
