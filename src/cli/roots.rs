//! `gongwen roots`: list the folders the index covers, and
//! `gongwen roots remove PATH`: drop one with its documents. Thin: parses,
//! calls [`gongwen::archive::status`], prints.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use gongwen::archive::index::RootState;
use gongwen::archive::status::{self, RootInfo};
use gongwen::archive::walk;

/// Arguments of `gongwen roots`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RootsArgs {
    /// What to do; without one, list the roots.
    #[command(subcommand)]
    pub action: Option<RootsAction>,
    /// One JSON object per root per line (path, id, docs, last_indexed in Unix seconds, unfinished, exists).
    #[arg(long)]
    pub json: bool,
}

/// Subcommands of `gongwen roots`.
#[derive(Debug, Subcommand)]
pub enum RootsAction {
    /// Drop a folder and all its documents from the index (the files stay on disk). 移除目录。
    Remove {
        /// The folder, as listed by `gongwen roots` (it may no longer exist on disk).
        path: PathBuf,
    },
}

/// Print to stderr a note on the first root whose last run did not complete
/// (still running, stopped or killed, a rebuild under way), or a list or
/// "no documents match" reads as complete; when its folder is gone too, say
/// how to end the note (reconnect, or `roots remove`).
pub fn note_unfinished(roots: &[RootState]) {
    let Some(r) = roots.iter().find(|r| !r.is_complete()) else {
        return;
    };
    let p = &r.path;
    if walk::path_from_id(&r.id).exists() {
        eprintln!(
            "注意：{p} 的索引尚未建完（正在建立或被中断），结果可能不全；运行 `gongwen index` 补全 / note: {p} is not fully indexed yet (being built, or interrupted): results may be incomplete; run `gongwen index` to finish"
        );
    } else {
        eprintln!(
            "注意：{p} 的索引未建完，且该目录现在不存在（离线或已移走），结果可能不全；重新连接后运行 `gongwen index`，或用 `gongwen roots remove {p}` 移除 / note: {p} is not fully indexed and the folder is missing (offline or moved): results may be incomplete; reconnect it and run `gongwen index`, or `gongwen roots remove {p}`"
        );
    }
}

/// `format_time(last_indexed)`, followed by a note when a later run over
/// the root was left unfinished (stopped, killed, a rebuild under way).
pub fn format_last_run(last_indexed: i64, unfinished: bool) -> String {
    let t = format_time(last_indexed);
    if unfinished && last_indexed > 0 {
        format!(
            "{t}；之后的一次运行未完成，运行 `gongwen index` 补全 / a later run did not finish: run `gongwen index`"
        )
    } else {
        t
    }
}

/// `YYYY-MM-DD HH:MM UTC` for Unix seconds (proleptic Gregorian calendar,
/// H. Hinnant's civil-from-days algorithm); "从未完成 never completed" for 0.
pub fn format_time(secs: i64) -> String {
    if secs <= 0 {
        return "从未完成 never completed".into();
    }
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

fn print_root(r: &RootInfo) {
    let missing = if r.exists {
        ""
    } else if r.deleted_file {
        " · 文件已删除，下次索引时移除 file deleted: the next index drops it"
    } else {
        " · 目录不存在 folder missing"
    };
    println!(
        "{}\t{} 篇 documents · 上次索引 last indexed {}{missing}",
        r.path,
        super::index::thousands(r.docs as usize),
        format_last_run(r.last_indexed, r.unfinished)
    );
}

/// Run `gongwen roots [remove PATH]`.
pub fn run(index_dir: &Path, a: RootsArgs) -> anyhow::Result<ExitCode> {
    match a.action {
        None => {
            let roots = status::list_roots(index_dir)?;
            if a.json {
                for r in &roots {
                    println!("{}", serde_json::to_string(r)?);
                }
            } else if roots.is_empty() {
                println!("索引中没有目录 / the index knows no folders");
            } else {
                roots.iter().for_each(print_root);
            }
        }
        Some(RootsAction::Remove { path }) => {
            let r = status::remove_root(index_dir, &path)?;
            if a.json {
                println!("{}", serde_json::to_string(&r)?);
            } else {
                println!(
                    "已移除 removed {} · 删除文档 {} documents removed · 余 {} 篇 documents left in {} folder(s)",
                    r.path,
                    super::index::thousands(r.docs_removed as usize),
                    super::index::thousands(r.docs_left as usize),
                    r.roots_left
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::format_time;

    #[test]
    fn formats_utc() {
        assert_eq!(format_time(0), "从未完成 never completed");
        assert_eq!(format_time(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(format_time(1_796_001_580), "2026-11-30 01:19 UTC");
    }
}
