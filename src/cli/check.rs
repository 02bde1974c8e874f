//! `gongwen check`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// Arguments of `gongwen check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The Markdown draft.
    pub input: PathBuf,
    /// One JSON object per finding.
    #[arg(long)]
    pub json: bool,
}

pub fn run_check(_a: CheckArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
