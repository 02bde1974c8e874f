//! `gongwen check INPUT.md [--json]`: read a draft, run
//! [`gongwen::draft::check::check`], print the findings.
//!
//! Exit codes: 0 no errors (warnings allowed), 1 at least one error,
//! 2 the draft cannot be read or parsed.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use gongwen::draft::check::{self, Finding};
use gongwen::draft::parse_draft;

/// Arguments of `gongwen check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The Markdown draft. 草稿文件。
    pub input: PathBuf,
    /// One JSON object per finding (keys: path, line, column, severity,
    /// rule, message, hint). 每条一行 JSON。
    #[arg(long)]
    pub json: bool,
}

/// Run `gongwen check`.
pub fn run_check(a: CheckArgs) -> anyhow::Result<ExitCode> {
    let path = a.input.display().to_string();
    // Errors carry the whole message themselves: the caller prints only the
    // outermost one.
    let source = super::read_draft(&a.input)?;
    let (doc, warnings) = parse_draft(&source).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
    let mut findings: Vec<Finding> = warnings.iter().map(Finding::from_warning).collect();
    findings.extend(check::check(&doc, &source));
    findings.sort_by_key(|f| (f.line, f.column));
    let mut out = std::io::stdout().lock();
    for f in &findings {
        let line = if a.json {
            f.to_json(&path)
        } else {
            f.display_with_path(&path)
        };
        match writeln!(out, "{line}") {
            Ok(()) => {}
            // A closed pipe is not an error.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => break,
            // A full disk is: the findings are lost.
            Err(e) => return Err(e.into()),
        }
    }
    if findings.is_empty() && !a.json {
        eprintln!("{path}: 没有发现问题 / no problems found");
    }
    Ok(if check::has_errors(&findings) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
