//! `gongwen show PATH`: print one indexed document's metadata and its
//! extracted text. Thin: calls [`gongwen::archive::catalog::show`] and prints.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use gongwen::archive::catalog::{self, ShownDoc};
use gongwen::archive::index::ArchiveIndex;

use super::roots::format_time;

/// Arguments of `gongwen show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The document's path, relative to the current directory or absolute.
    /// 文件路径（相对或绝对）。
    pub path: PathBuf,
    /// Print the metadata and text as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Print the metadata only, without the text.
    #[arg(long)]
    pub no_text: bool,
}

/// Run `gongwen show`. Exit 0; 2 when the path is not in the index.
pub fn run(index_dir: &Path, a: ShowArgs) -> anyhow::Result<ExitCode> {
    let ix = ArchiveIndex::open(index_dir)?;
    let mut d = catalog::show(&ix, &a.path)?;
    if a.no_text {
        d.text.clear();
    }
    let out = std::io::stdout();
    let mut out = out.lock();
    let r = if a.json {
        writeln!(out, "{}", serde_json::to_string(&d)?)
    } else {
        print(&mut out, &d, !a.no_text)
    };
    super::closed_pipe_is_ok(r)?;
    Ok(ExitCode::SUCCESS)
}

fn quality_line(q: &serde_json::Value) -> String {
    let status = q
        .get("status")
        .and_then(|s| s.as_str())
        .unwrap_or("unknown");
    let mut parts = vec![match status {
        "ok" => "ok 成功".to_string(),
        "failed" => "failed 失败".to_string(),
        s => s.to_string(),
    }];
    if let Some(obj) = q.as_object() {
        for (k, v) in obj {
            if k == "status"
                || v.is_null()
                || v == &serde_json::Value::Bool(false)
                || v == &serde_json::json!(0)
            {
                continue;
            }
            let v = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            parts.push(format!("{k} {v}"));
        }
    }
    parts.join(" · ")
}

fn print(out: &mut impl Write, d: &ShownDoc, text: bool) -> std::io::Result<()> {
    let r = &d.row;
    let or_dash = |o: &Option<String>| o.clone().unwrap_or_else(|| "—".to_string());
    field(out, "路径 path:", &r.path)?;
    if !d.on_disk {
        writeln!(out, "  ! {}", super::NOT_ON_DISK)?;
    }
    field(out, "标题 title:", &r.title)?;
    field(out, "发文字号 doc number:", &or_dash(&r.doc_number))?;
    field(out, "发文机关 issuer:", &or_dash(&r.issuer))?;
    field(out, "成文日期 date:", &or_dash(&r.date))?;
    field(out, "文种 type:", &or_dash(&r.doc_type))?;
    field(out, "密级 classification:", &or_dash(&r.classification))?;
    field(out, "格式 format:", &r.format)?;
    field(out, "大小 size:", &format!("{} B", r.size))?;
    let modified = if d.mtime > 0 {
        format_time(d.mtime)
    } else {
        "—".to_string()
    };
    field(out, "修改时间 modified:", &modified)?;
    // Empty when the file could not be read.
    let hash = if r.hash.is_empty() {
        "—"
    } else {
        r.hash.as_str()
    };
    field(out, "哈希 hash (BLAKE3):", hash)?;
    field(out, "提取 extraction:", &quality_line(&d.quality))?;
    if text {
        writeln!(out, "──── 正文 text ────")?;
        writeln!(out, "{}", d.text.trim_end())?;
    }
    Ok(())
}

/// One `label: value` line, the values starting in one terminal column
/// (Chinese characters are two columns wide).
fn field(out: &mut impl Write, label: &str, value: &str) -> std::io::Result<()> {
    let width: usize = label
        .chars()
        .map(|c| {
            if gongwen::archive::normalize::is_cjk(c) {
                2
            } else {
                1
            }
        })
        .sum();
    writeln!(
        out,
        "{label}{:pad$}{value}",
        "",
        pad = 24usize.saturating_sub(width)
    )
}
