//! `gongwen draft`, `templates`, `new`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// Arguments of `gongwen draft`.
#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The Markdown draft.
    pub input: PathBuf,
    /// Output file; `.docx` or `.html` decides the format.
    #[arg(short, long)]
    pub output: PathBuf,
}


/// Arguments of `gongwen templates`.
#[derive(Debug, Args)]
pub struct TemplatesArgs {}

/// Arguments of `gongwen new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// 文种, e.g. 通知.
    pub doc_type: String,
}

pub fn run_draft(_a: DraftArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
pub fn run_templates(_a: TemplatesArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
pub fn run_new(_a: NewArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
