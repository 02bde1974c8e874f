//! `gongwen search`: print ranked hits with snippets, as text or JSON lines.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use gongwen::archive::extract::Status;
use gongwen::archive::index::ArchiveIndex;
use gongwen::archive::search::{ArchiveSearcher, Filters, Fragment, Hit, SearchOptions, SortBy};

/// Arguments of `gongwen search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words (AND), "exact phrase", -excluded, OR, title:…, 文号:…, 机关:…
    /// (Excluded words like `-废止`, `-pdf`, `-2023` are accepted anywhere.)
    #[arg(required = true)]
    pub query: Vec<String>,
    /// Maximum number of hits; 0 = all.
    #[arg(short = 'n', long, default_value_t = 10)]
    pub limit: usize,
    /// One JSON object per hit per line.
    #[arg(long)]
    pub json: bool,
    /// Print only the number of matching documents.
    #[arg(long, conflicts_with = "json")]
    pub count: bool,
    /// Order: `relevance` (default) or `date` (成文日期, newest first).
    #[arg(long, default_value = "relevance", value_parser = ["relevance", "date"])]
    pub sort: String,
    /// Metadata filters.
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Parse `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (also with `/` or `.`, compact
/// `20260501`, full-width digits, and the 公文 form `2026年5月1日`, `2026年5月`,
/// `2026年`); missing parts are the
/// first (or with `end`, the last) month and day. Errors name the value and
/// why: not a date, or an impossible one (`2026年2月只有28天`).
fn parse_day(s: &str, end: bool) -> anyhow::Result<(i32, u32, u32)> {
    let bad = |why: &str, en: &str| {
        anyhow::anyhow!(
            "日期“{s}”{why}；应为 YYYY-MM-DD（或 YYYY、YYYY-MM、2026年5月1日）/ date {s:?} {en}: expected YYYY-MM-DD (or YYYY, YYYY-MM, 2026年5月1日)"
        )
    };
    let unreadable = || bad("无法识别", "not understood");
    // Full-width digits and separators as typed by a Chinese input method.
    let folded: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' | '－' | '／' | '．' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect();
    let mut ascii: String = folded
        .trim_end_matches('日')
        .chars()
        .map(|c| match c {
            '年' | '月' | '/' | '.' => '-',
            c => c,
        })
        .collect();
    // Compact 20260501 / 202605.
    if matches!(ascii.len(), 6 | 8) && ascii.bytes().all(|b| b.is_ascii_digit()) {
        ascii = if ascii.len() == 8 {
            format!("{}-{}-{}", &ascii[..4], &ascii[4..6], &ascii[6..])
        } else {
            format!("{}-{}", &ascii[..4], &ascii[4..])
        };
    }
    let parts: Vec<&str> = ascii.trim_end_matches('-').split('-').collect();
    if parts.len() > 3 {
        return Err(unreadable());
    }
    let num = |i: usize| -> anyhow::Result<Option<u32>> {
        parts
            .get(i)
            .map(|p| p.parse().map_err(|_| unreadable()))
            .transpose()
    };
    let y: i32 = parts[0].parse().map_err(|_| unreadable())?;
    let m = num(1)?.unwrap_or(if end { 12 } else { 1 });
    let valid = |d: u32| gongwen::meta::date::invalid_reason(&format!("{y}年{m}月{d}日"));
    let d = match num(2)? {
        Some(d) => d,
        // The month's last day: 31 down to 28.
        None if end => (28..=31).rev().find(|&d| valid(d).is_none()).unwrap_or(31),
        None => 1,
    };
    if let Some(why) = valid(d) {
        return Err(bad(&format!("不是有效日期：{why}"), "is no such day"));
    }
    Ok((y, m, d))
}

/// Metadata filter flags, shared by `search` and `catalog`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only documents with this 发文字号 (any bracket style, or part of it).
    #[arg(long)]
    pub number: Option<String>,
    /// Only documents from this 发文机关 (part of the name).
    #[arg(long)]
    pub issuer: Option<String>,
    /// Only documents of this 文种 (通知, 请示 …).
    #[arg(long = "type")]
    pub doc_type: Option<String>,
    /// Only documents of this 密级.
    #[arg(long)]
    pub classification: Option<String>,
    /// Only documents dated in this year (four digits, e.g. 2026).
    #[arg(long, value_parser = clap::value_parser!(i32).range(1000..=9999))]
    pub year: Option<i32>,
    /// Only documents dated on or after YYYY-MM-DD (or YYYY, YYYY-MM, 2026年5月1日).
    #[arg(long)]
    pub from: Option<String>,
    /// Only documents dated on or before YYYY-MM-DD (or YYYY, YYYY-MM, 2026年5月1日).
    #[arg(long)]
    pub to: Option<String>,
    /// Only documents in this folder or its subfolders (repeat for several). 只看该文件夹（含子文件夹）。
    #[arg(long = "in", value_name = "FOLDER")]
    pub under: Vec<std::path::PathBuf>,
}

impl FilterArgs {
    /// The filters given, as command-line options (`--year 2025 --in 收文`,
    /// in this fixed order), for messages; empty when none.
    pub fn described(&self) -> String {
        let mut out: Vec<String> = Vec::new();
        let mut opt = |name: &str, v: Option<String>| {
            if let Some(v) = v {
                out.push(format!("{name} {v}"));
            }
        };
        opt("--number", self.number.clone());
        opt("--issuer", self.issuer.clone());
        opt("--type", self.doc_type.clone());
        opt("--classification", self.classification.clone());
        opt("--year", self.year.map(|y| y.to_string()));
        opt("--from", self.from.clone());
        opt("--to", self.to.clone());
        for d in &self.under {
            out.push(format!("--in {}", d.display()));
        }
        out.join(" ")
    }

    /// Build the library's filters. Errors: a date that is not YYYY[-MM[-DD]]
    /// or is impossible, `--from` after `--to`, a `--type` that is no 文种.
    pub fn to_filters(&self) -> anyhow::Result<Filters> {
        // A value that starts with `-` was marked by `protect_negations`.
        let value = |v: &Option<String>| v.as_deref().map(restore_negation);
        let mut f = Filters {
            doc_number: value(&self.number),
            issuer: value(&self.issuer),
            doc_type: value(&self.doc_type),
            classification: value(&self.classification),
            from: value(&self.from)
                .map(|s| parse_day(&s, false))
                .transpose()?,
            to: value(&self.to).map(|s| parse_day(&s, true)).transpose()?,
            under: self
                .under
                .iter()
                .flat_map(|p| gongwen::archive::catalog::path_keys(p))
                .collect(),
        };
        // A folder gone from disk may still have documents in the index
        // (kept when a drive is unplugged): searched, with a note.
        for p in self.under.iter().filter(|p| !p.exists()) {
            eprintln!(
                "注意 note: {0} 不存在，仍按索引中的路径查找 / {0} does not exist: the index is still searched for documents under it",
                p.display()
            );
        }
        // The index holds 文种 by their standard names only: any other
        // value would match nothing, silently.
        if let Some(t) = &f.doc_type {
            t.strip_prefix('-')
                .unwrap_or(t)
                .parse::<gongwen::meta::doc_type::DocType>()?;
        }
        // --year with --from/--to: the days in both.
        if let Some(y) = self.year {
            f.from = Some(f.from.map_or((y, 1, 1), |d| d.max((y, 1, 1))));
            f.to = Some(f.to.map_or((y, 12, 31), |d| d.min((y, 12, 31))));
        }
        if let (Some(from), Some(to)) = (f.from, f.to)
            && from > to
        {
            anyhow::bail!(
                "--from {}-{:02}-{:02} 晚于 --to {}-{:02}-{:02}，不会有结果 / --from is after --to: nothing can match",
                from.0,
                from.1,
                from.2,
                to.0,
                to.1,
                to.2
            );
        }
        Ok(f)
    }
}

/// Marker that [`protect_negations`] puts in front of `-词` arguments so that clap
/// does not read them as flags.
const NEG_MARK: &str = "\u{1}-";

/// The one-letter options of `search`, `catalog` and the global ones
/// (`-n 5`, `-h`, `-V`): a `-x` argument with another letter is an
/// excluded word. Kept equal to clap's by a test.
const SHORT_OPTIONS: [char; 3] = ['n', 'h', 'V'];

/// Rewrite command-line arguments so that a search query's excluded words
/// reach the query parser instead of being taken for unknown flags: a
/// hyphen followed by a non-ASCII character (`-废止`), a digit (`-2023`),
/// a quote (`-"值班 表"`) or a letter that is no short option (`-pdf`;
/// `-n`, `-h`, `-V` stay options). Long options (`--count`) are never
/// touched.
pub fn protect_negations(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let is_search = args.iter().skip(1).any(|a| a == "search" || a == "catalog");
    if !is_search {
        return args;
    }
    args.into_iter()
        .map(|a| match a.to_str() {
            Some(s)
                if s.starts_with('-')
                    && s.chars().nth(1).is_some_and(|c| {
                        !c.is_ascii()
                            || c.is_ascii_digit()
                            || c == '"'
                            || (c.is_ascii_alphabetic() && !SHORT_OPTIONS.contains(&c))
                    }) =>
            {
                format!("{NEG_MARK}{}", &s[1..]).into()
            }
            _ => a,
        })
        .collect()
}

/// `text` with every [`NEG_MARK`] turned back into `-` (for messages that
/// quote arguments, such as clap's errors).
pub(super) fn restore_negations_in(text: &str) -> String {
    text.replace(NEG_MARK, "-")
}

fn restore_negation(w: &str) -> String {
    match w.strip_prefix(NEG_MARK) {
        Some(rest) => format!("-{rest}"),
        None => w.to_string(),
    }
}

fn plain(snippet: &[Fragment]) -> String {
    snippet.iter().map(|f| f.text.as_str()).collect()
}

/// Run `gongwen search`. Exit 0 when something was found, 1 when nothing.
pub fn run(index_dir: &Path, a: SearchArgs) -> anyhow::Result<ExitCode> {
    let query = a
        .query
        .iter()
        .map(|w| restore_negation(w))
        .collect::<Vec<_>>()
        .join(" ");
    let ix = ArchiveIndex::open(index_dir)?;
    let searcher = ArchiveSearcher::new(&ix)?;
    // Left to the process's exit: unmapping every segment file one by one
    // (~7 per segment) while the search threads live costs a TLB shootdown
    // each, a sixth of a `--count` search on a 12-segment index.
    let searcher = &*Box::leak(Box::new(searcher));
    let ix = &*Box::leak(Box::new(ix));
    let filters = a.filter.to_filters()?;
    let out = std::io::stdout();
    let mut out = out.lock();
    if a.count {
        let n = searcher.count(&query, &filters)?;
        super::roots::note_unfinished(&ix.state.roots);
        writeln!(out, "{n}")?;
        if n == 0 {
            note_nothing(searcher, &filters, &ix.state.roots)?;
        }
        return Ok(if n > 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    let opts = SearchOptions {
        limit: a.limit,
        sort: if a.sort == "date" {
            SortBy::DateDesc
        } else {
            SortBy::Relevance
        },
        filters,
    };
    let (hits, more) = searcher.search_page(&query, &opts)?;
    // Once the query is known to be good: a bad one gets its error alone.
    super::roots::note_unfinished(&ix.state.roots);
    let colour = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    for (i, h) in hits.iter().enumerate() {
        let r = if a.json {
            print_json(&mut out, h)
        } else {
            print_hit(&mut out, i + 1, h, colour)
        };
        if let Err(e) = r {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(ExitCode::SUCCESS);
            }
            return Err(e.into());
        }
    }
    if more && !a.json {
        let n = hits.len();
        eprintln!(
            "（只列出前 {n} 篇，还有更多：`-n 0` 列出全部，`--count` 计数 / the first {n} shown, more match: `-n 0` lists all, `--count` counts them）"
        );
    }
    if hits.is_empty() {
        if !a.json {
            let given = a.filter.described();
            let (zh, en) = if given.is_empty() {
                (String::new(), String::new())
            } else {
                (
                    format!("（筛选条件 {given}）"),
                    format!(" (filters {given})"),
                )
            };
            eprintln!(
                "没有找到{zh} / no documents match{en}: {}",
                abridged(&query)
            );
            if !given.is_empty() {
                let without = searcher.count(&query, &Filters::default())?;
                let f = &a.filter;
                let dated = f.year.is_some() || f.from.is_some() || f.to.is_some();
                if without == 0 {
                    eprintln!("注意 note: 不加筛选条件也没有 / none without the filters either");
                } else if dated {
                    eprintln!(
                        "注意 note: 不加筛选条件有 {without} 篇；按日期筛选只留下有成文日期的文档 / {without} match without the filters; a date filter keeps only documents with a 成文日期"
                    );
                } else {
                    eprintln!(
                        "注意 note: 不加筛选条件有 {without} 篇 / {without} match without the filters"
                    );
                }
            }
        }
        note_nothing(searcher, &opts.filters, &ix.state.roots)?;
    }
    Ok(if hits.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `query` as echoed in a message: its first 60 characters and `…` when
/// longer.
fn abridged(query: &str) -> String {
    match query.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &query[..i]),
        None => query.to_string(),
    }
}

/// After a search found nothing, say so where the index could not have
/// answered: it holds no documents, or none under the `--in` folders. An
/// empty index with a root not fully indexed (a first run under way or
/// stopped) was already noted by [`super::roots::note_unfinished`].
pub(crate) fn note_nothing(
    searcher: &ArchiveSearcher,
    filters: &Filters,
    roots: &[gongwen::archive::index::RootState],
) -> anyhow::Result<()> {
    if searcher.num_docs() == 0 {
        if roots.iter().any(|r| !r.is_complete()) {
            return Ok(());
        }
        eprintln!(
            "注意 note: 索引中还没有文档，先运行 `gongwen index 目录` / the index holds no documents yet: run `gongwen index PATH`"
        );
    } else if !filters.under.is_empty() {
        let only_under = Filters {
            under: filters.under.clone(),
            ..Filters::default()
        };
        if searcher.matching_addresses(None, &only_under)?.is_empty() {
            eprintln!(
                "注意 note: --in 的目录下没有已收录的文档（还没有索引过？运行 `gongwen index 目录`）/ no indexed document is under the --in folder(s): never indexed? run `gongwen index PATH`"
            );
        }
    }
    Ok(())
}

fn print_json(out: &mut impl Write, h: &Hit) -> std::io::Result<()> {
    let mut highlights = Vec::new();
    let mut pos = 0usize;
    for f in &h.snippet {
        let n = f.text.chars().count();
        if f.highlight {
            highlights.push([pos, pos + n]);
        }
        pos += n;
    }
    let v = serde_json::json!({
        "path": h.path,
        "title": h.title,
        "score": h.score,
        "snippet": plain(&h.snippet),
        "highlights": highlights,
        "doc_number": h.doc_number,
        "issuer": h.issuer,
        "date": h.date,
        "doc_type": h.doc_type,
        "classification": h.classification,
        "format": h.format,
        "status": h.quality.get("status").cloned().unwrap_or(serde_json::Value::Null),
        "quality": h.quality,
        "on_disk": h.on_disk,
    });
    writeln!(out, "{v}")
}

fn print_hit(out: &mut impl Write, n: usize, h: &Hit, colour: bool) -> std::io::Result<()> {
    let (b, hl, dim, reset) = if colour {
        ("\x1b[1m", "\x1b[1;31m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    // Sorted by date there is no relevance score (it is 0): show none.
    // Words in nearly every document score near 0: two significant digits.
    if h.score > 0.0 {
        let score = if h.score >= 0.1 {
            format!("{:.2}", h.score)
        } else {
            format!("{:.1e}", h.score)
        };
        writeln!(out, "{n}. {b}{}{reset}  {dim}[{score}]{reset}", h.title)?;
    } else {
        writeln!(out, "{n}. {b}{}{reset}", h.title)?;
    }
    writeln!(out, "   {}", h.path)?;
    if !h.on_disk {
        writeln!(out, "   {hl}! {}{reset}", super::NOT_ON_DISK)?;
    }
    // Worse than a warning (truncated, garbled, no text layer, failed — a
    // file broken since its text was indexed): said on the hit itself.
    if let Some(st) = h.quality["status"].as_str().and_then(Status::from_name)
        && st > Status::Warning
    {
        let reason = h.quality["reason"].as_str().unwrap_or_default();
        writeln!(out, "   {hl}! {} {st}{reset}: {reason}", st.label_zh())?;
    }
    let meta: Vec<String> = [
        h.doc_number.clone(),
        h.issuer.clone(),
        h.date.clone(),
        h.doc_type.clone(),
        h.classification.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !meta.is_empty() {
        writeln!(out, "   {dim}{}{reset}", meta.join(" · "))?;
    }
    let mut line = String::new();
    for f in &h.snippet {
        if f.highlight {
            if colour {
                line.push_str(&format!("{hl}{}{reset}", f.text));
            } else {
                line.push_str(&format!("**{}**", f.text));
            }
        } else {
            line.push_str(&f.text);
        }
    }
    writeln!(out, "   {line}")?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::{FilterArgs, NEG_MARK, parse_day};
    use clap::CommandFactory;

    #[test]
    fn date_filters() {
        assert_eq!(parse_day("2026-05-01", false).unwrap(), (2026, 5, 1));
        assert_eq!(parse_day("2026年5月1日", false).unwrap(), (2026, 5, 1));
        assert_eq!(parse_day("2026年5月", true).unwrap(), (2026, 5, 31));
        assert_eq!(parse_day("2026/02", true).unwrap(), (2026, 2, 28));
        assert_eq!(parse_day("2024-02", true).unwrap(), (2024, 2, 29));
        assert_eq!(parse_day("2026", false).unwrap(), (2026, 1, 1));
        assert_eq!(parse_day("2026", true).unwrap(), (2026, 12, 31));
        let e = parse_day("2026-02-30", false).unwrap_err().to_string();
        assert!(e.contains("2026年2月只有28天"), "{e}");
        let e = parse_day("2026-13-01", false).unwrap_err().to_string();
        assert!(e.contains("没有13月") && e.contains("2026-13-01"), "{e}");
        assert!(parse_day("明年", false).is_err());
        assert_eq!(parse_day("20260501", false).unwrap(), (2026, 5, 1));
        assert_eq!(parse_day("202602", true).unwrap(), (2026, 2, 28));
        assert_eq!(
            parse_day("２０２６－０５－０１", false).unwrap(),
            (2026, 5, 1)
        );
        // `--from -2026` reaches parse_day without the negation marker.
        let marked = FilterArgs {
            number: None,
            issuer: None,
            doc_type: None,
            classification: None,
            year: None,
            from: Some(format!("{NEG_MARK}2026")),
            to: None,
            under: vec![],
        };
        let e = marked.to_filters().unwrap_err().to_string();
        assert!(e.contains("\"-2026\"") && !e.contains('\u{1}'), "{e}");
        let f = FilterArgs {
            number: None,
            issuer: None,
            doc_type: None,
            classification: None,
            year: None,
            from: Some("2027".into()),
            to: Some("2025".into()),
            under: vec![],
        };
        let e = f.to_filters().unwrap_err().to_string();
        assert!(e.contains("--from is after --to"), "{e}");
        // --year narrows --from/--to instead of replacing them.
        let f = FilterArgs {
            year: Some(2026),
            from: Some("2026-05-01".into()),
            to: None,
            ..f
        };
        let got = f.to_filters().unwrap();
        assert_eq!(
            (got.from, got.to),
            (Some((2026, 5, 1)), Some((2026, 12, 31)))
        );
        let f = FilterArgs {
            year: Some(2025),
            ..f
        };
        assert!(f.to_filters().is_err());
    }

    /// `protect_negations` must leave every real short option alone.
    #[test]
    fn short_options_are_clap_s() {
        let mut cmd = super::super::Cli::command();
        cmd.build();
        let mut shorts: Vec<char> = cmd
            .get_subcommands()
            .filter(|s| matches!(s.get_name(), "search" | "catalog"))
            .flat_map(|s| s.get_arguments())
            .chain(cmd.get_arguments())
            .filter_map(|a| a.get_short())
            .collect();
        shorts.sort_unstable();
        shorts.dedup();
        let mut ours = super::SHORT_OPTIONS.to_vec();
        ours.sort_unstable();
        assert_eq!(shorts, ours);
    }
}
