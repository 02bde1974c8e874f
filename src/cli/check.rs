//! `gongwen check INPUT.md [--json]`: read a draft, run
//! [`gongwen::draft::check::check`], print the findings. `gongwen check
//! --rules` lists the rules with the clause each comes from.
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
    #[arg(required_unless_present = "rules")]
    pub input: Option<PathBuf>,
    /// List every rule: id, error or warning, what it checks, and the clause
    /// of GB/T 9704-2012 or the 条例 it comes from. 列出全部规则及依据。
    #[arg(long, conflicts_with = "input")]
    pub rules: bool,
    /// One JSON object per finding (keys: path, line, column, severity,
    /// rule, message, hint). 每条一行 JSON。
    #[arg(long)]
    pub json: bool,
}

/// Run `gongwen check`.
pub fn run_check(a: CheckArgs) -> anyhow::Result<ExitCode> {
    let Some(input) = a.input else {
        return list_rules(a.json);
    };
    let path = input.display().to_string();
    // Errors carry the whole message themselves: the caller prints only the
    // outermost one.
    let source = super::read_draft(&input)?;
    let (doc, warnings) = parse_draft(&source).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
    let mut findings: Vec<Finding> = warnings.iter().map(Finding::from_warning).collect();
    findings.extend(check::check(&doc, &source));
    findings.sort_by_key(|f| (f.line, f.column));
    let mut out = std::io::stdout().lock();
    super::closed_pipe_is_ok(findings.iter().try_for_each(|f| {
        let line = if a.json {
            f.to_json(&path)
        } else {
            f.display_with_path(&path)
        };
        writeln!(out, "{line}")
    }))?;
    if findings.is_empty() && !a.json {
        eprintln!("{path}: 没有发现问题 / no problems found");
    }
    Ok(if check::has_errors(&findings) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `gongwen check --rules [--json]`: one line per rule of
/// [`check::RULES`], `GW-…  错误|警告  summary（依据：source）`, or one JSON
/// object per rule (keys: rule, severity, summary, source).
fn list_rules(json: bool) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    super::closed_pipe_is_ok(check::RULES.iter().try_for_each(|r| {
        let line = if json {
            serde_json::json!({
                "rule": r.id,
                "severity": r.severity.as_str(),
                "summary": r.summary,
                "source": r.source,
            })
            .to_string()
        } else {
            format!(
                "{:<24} {}  {}（依据：{}）",
                r.id,
                r.severity.chinese(),
                r.summary,
                r.source
            )
        };
        writeln!(out, "{line}")
    }))?;
    Ok(ExitCode::SUCCESS)
}
