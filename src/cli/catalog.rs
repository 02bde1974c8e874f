//! `gongwen catalog`: list the archive like a 档案目录 — every document, or
//! those matching a query and filters — as CSV (UTF-8 with BOM, for Excel
//! and WPS) or JSON lines. Thin: calls [`gongwen::archive::catalog`].

use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use gongwen::archive::catalog;
use gongwen::archive::index::ArchiveIndex;

use super::search::FilterArgs;

/// Arguments of `gongwen catalog`.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// Optional query (same syntax as `gongwen search`); without one, every document.
    /// 可选检索式；省略时列出全部文档。
    pub query: Vec<String>,
    /// Output format: `csv` (UTF-8 with BOM, header in Chinese and English) or
    /// `json` (one object per line).
    #[arg(long, default_value = "csv", value_parser = ["csv", "json"])]
    pub format: String,
    /// Metadata filters (as for `search`).
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Run `gongwen catalog`. Exit 0 when documents were listed, 1 when none
/// matched (the CSV header is still printed), 2 on errors.
pub fn run(index_dir: &Path, a: CatalogArgs) -> anyhow::Result<ExitCode> {
    let ix = ArchiveIndex::open(index_dir)?;
    super::roots::note_unfinished(&ix.state.roots);
    let query = a.query.join(" ");
    let query = Some(query.as_str()).filter(|q| !q.trim().is_empty());
    let filters = a.filter.to_filters()?;
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut w = if a.format == "json" {
        catalog::RowWriter::json(out)
    } else {
        catalog::RowWriter::csv(out)
    };
    // Rows go out as they are read (a large archive's catalogue is not held
    // in memory); a closed pipe (`| head`) ends the listing quietly.
    let r = catalog::catalog(&ix, query, &filters, |row| w.write(row))
        .and_then(|n| w.finish().map(|_| n));
    let n = match r {
        Err(catalog::CatalogError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            return Ok(ExitCode::SUCCESS);
        }
        r => r?,
    };
    if n == 0 {
        eprintln!("没有符合条件的文档 / no documents match");
        let searcher = gongwen::archive::search::ArchiveSearcher::new(&ix)?;
        super::search::note_nothing(&searcher, &filters, &ix.state.roots)?;
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
