//! Tests: metadata filters of `gongwen search`, `gongwen show` and
//! `gongwen catalog`, end to end through the binary, on the sample archive
//! `corpus/` whose metadata is labelled in `tests/data/corpus_labels.json`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{gongwen_bin, project_root};

/// One labelled document of `corpus/`.
#[derive(Debug, serde::Deserialize)]
struct Label {
    path: String,
    doc_number: Option<String>,
    issuer: Option<String>,
    date: Option<String>,
    doc_type: Option<String>,
}

fn labels() -> Vec<Label> {
    let p = project_root().join("tests/data/corpus_labels.json");
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

/// A temp dir holding an index of `corpus/` (built with `gongwen index`).
struct Indexed {
    _tmp: tempfile::TempDir,
    index: PathBuf,
}

impl Indexed {
    fn new() -> Indexed {
        let tmp = tempfile::tempdir().unwrap();
        let ix = Indexed {
            index: tmp.path().join("ix"),
            _tmp: tmp,
        };
        let o = ix.run(&["index", "corpus"]);
        assert!(o.status.success(), "index failed: {}", stderr(&o));
        ix
    }

    /// Run `gongwen --index <ix> ARGS` in the project root.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(gongwen_bin())
            .current_dir(project_root())
            .env_remove("GONGWEN_INDEX")
            .env("NO_COLOR", "1")
            .arg("--index")
            .arg(&self.index)
            .args(args)
            .output()
            .expect("run gongwen")
    }

    /// JSON lines of a successful command.
    fn json_lines(&self, args: &[&str]) -> Vec<serde_json::Value> {
        let o = self.run(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        stdout(&o)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `corpus/…` form of an absolute indexed path.
fn rel(path: &str) -> String {
    let root = std::fs::canonicalize(project_root()).unwrap();
    Path::new(path)
        .strip_prefix(&root)
        .unwrap_or(Path::new(path))
        .to_string_lossy()
        .into_owned()
}

fn paths(rows: &[serde_json::Value]) -> BTreeSet<String> {
    rows.iter()
        .map(|r| rel(r["path"].as_str().unwrap()))
        .collect()
}

/// Number of files `gongwen index` picks up under `corpus/` (the labelled 26
/// plus the example drafts), counted on disk by extension.
fn corpus_files() -> usize {
    walkdir::WalkDir::new(project_root().join("corpus"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let ext = e.path().extension().and_then(|x| x.to_str()).unwrap_or("");
            matches!(ext, "txt" | "md" | "html" | "htm" | "docx" | "pdf")
        })
        .count()
}

const Q12: &str = "corpus/2026/通知-青政办发2026-12.md";

#[test]
fn number_filter_and_query_accept_any_brackets() {
    let ix = Indexed::new();
    for args in [
        &["search", "--json", "--number", "青政办发[2026]12号", "通知"][..],
        &["search", "--json", "文号:青政办发【2026】12号"][..],
        &["search", "--json", "文号:青政办发(2026)12号"][..],
    ] {
        let hits = ix.json_lines(args);
        // The example draft 通知 (and its .docx) carries the same 发文字号
        // in its front matter; no other document does.
        let expected = BTreeSet::from([
            Q12.to_string(),
            "corpus/drafts/通知.md".to_string(),
            "corpus/drafts/通知.docx".to_string(),
        ]);
        assert_eq!(paths(&hits), expected, "{args:?}");
        assert!(
            hits.iter()
                .all(|h| h["doc_number"] == "青政办发〔2026〕12号"),
            "{hits:?}"
        );
    }
}

#[test]
fn type_and_year_filters_match_the_labels() {
    let ix = Indexed::new();
    let hits = ix.json_lines(&[
        "search", "--json", "-n", "0", "--type", "通知", "--year", "2026", "通知",
    ]);
    let expected: BTreeSet<String> = labels()
        .into_iter()
        .filter(|l| {
            l.doc_type.as_deref() == Some("通知")
                && l.date.as_deref().is_some_and(|d| d.starts_with("2026"))
        })
        .map(|l| l.path)
        .collect();
    assert_eq!(expected.len(), 5, "labels changed? {expected:?}");
    let found = paths(&hits);
    // Drafts in corpus/drafts are unlabelled; every labelled 2026 通知 is found
    // and nothing that is not a 2026 通知.
    assert!(
        expected.is_subset(&found),
        "missing: {:?}",
        expected.difference(&found).collect::<Vec<_>>()
    );
    for h in &hits {
        assert_eq!(h["doc_type"], "通知", "{h}");
        assert!(h["date"].as_str().unwrap().starts_with("2026-"), "{h}");
    }
    for p in found.difference(&expected) {
        assert!(p.starts_with("corpus/drafts/"), "unexpected hit {p}");
    }
}

#[test]
fn issuer_filter_takes_part_of_a_name() {
    let ix = Indexed::new();
    let rows = ix.json_lines(&["catalog", "--format", "json", "--issuer", "财政局"]);
    let expected: BTreeSet<String> = labels()
        .into_iter()
        .filter(|l| l.issuer.as_deref().is_some_and(|i| i.contains("财政局")))
        .map(|l| l.path)
        .collect();
    assert_eq!(expected.len(), 3, "{expected:?}");
    let found: BTreeSet<String> = paths(&rows)
        .into_iter()
        .filter(|p| !p.starts_with("corpus/drafts/"))
        .collect();
    assert_eq!(found, expected);
    // And through search, with a query word every one of them holds.
    let hits = ix.json_lines(&[
        "search",
        "--json",
        "-n",
        "0",
        "--issuer",
        "青禾市财政",
        "财政",
    ]);
    assert!(expected.is_subset(&paths(&hits)), "{:?}", paths(&hits));
    assert!(
        hits.iter()
            .all(|h| h["issuer"].as_str().unwrap().contains("青禾市财政"))
    );
}

#[test]
fn sort_by_date_is_newest_first() {
    let ix = Indexed::new();
    let hits = ix.json_lines(&["search", "--json", "-n", "0", "--sort", "date", "青禾"]);
    assert!(hits.len() >= 10, "{}", hits.len());
    let dates: Vec<&str> = hits.iter().filter_map(|h| h["date"].as_str()).collect();
    assert!(dates.len() >= 10);
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    // Undated hits come after all dated ones.
    let first_undated = hits
        .iter()
        .position(|h| h["date"].is_null())
        .unwrap_or(hits.len());
    assert!(hits[first_undated..].iter().all(|h| h["date"].is_null()));
}

#[test]
fn show_prints_metadata_and_text() {
    let ix = Indexed::new();
    let o = ix.run(&["show", Q12]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("青政办发〔2026〕12号"), "{out}");
    assert!(out.contains("青禾市人民政府办公室"), "{out}");
    assert!(out.contains("2026-03-05"), "{out}");
    assert!(out.contains("隐患排查治理台账"), "text missing: {out}");
    assert!(out.contains("提取 extraction:        ok"), "{out}");
    // Values start in one terminal column (a Chinese character is two wide).
    let columns: Vec<usize> = out
        .lines()
        .take_while(|l| !l.starts_with('─'))
        .map(|l| {
            let label = &l[..l.find(": ").unwrap() + 1];
            let pad = l[label.len()..].chars().take_while(|c| *c == ' ').count();
            label
                .chars()
                .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
                .sum::<usize>()
                + pad
        })
        .collect();
    assert!(
        columns.iter().all(|&c| c == columns[0]),
        "{columns:?}\n{out}"
    );

    // An absolute and a `./`-style path name the same document.
    let abs = std::fs::canonicalize(project_root().join(Q12)).unwrap();
    let o = ix.run(&["show", "--json", abs.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["doc_number"], "青政办发〔2026〕12号");
    assert_eq!(v["doc_type"], "通知");
    assert_eq!(v["status"], "ok");
    assert!(v["text"].as_str().unwrap().contains("三管三必须"));
    let o = ix.run(&[
        "show",
        "--no-text",
        &format!("./corpus/2026/../2026/{}", "通知-青政办发2026-12.md"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains("隐患排查治理台账"));
}

#[test]
fn show_of_a_file_not_indexed_exits_2_with_one_line() {
    let ix = Indexed::new();
    let o = ix.run(&["show", "README.md"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("未收录 / not in the index: README.md"),
        "{err}"
    );
    // A file on disk gets told how to index it; a folder, that show takes a
    // file; a path that does not exist, that it does not.
    assert!(err.contains("gongwen index FOLDER"), "{err}");
    let o = ix.run(&["show", "corpus/2026"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a folder"), "{}", stderr(&o));
    let o = ix.run(&["show", "corpus/2026/没有这个文件.md"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("未收录 / not in the index"), "{err}");
    assert!(err.contains("no such file on disk"), "{err}");
}

#[test]
fn catalog_csv_has_bom_one_row_per_document_and_parses() {
    let ix = Indexed::new();
    let o = ix.run(&["catalog", "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        o.stdout.starts_with(&[0xEF, 0xBB, 0xBF]),
        "{:x?}",
        &o.stdout[..8]
    );
    let mut r = csv::Reader::from_reader(&o.stdout[3..]);
    let header = r.headers().unwrap().clone();
    assert_eq!(&header[0], "路径 path");
    assert_eq!(&header[2], "发文字号 doc_number");
    let recs: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let n = corpus_files();
    assert!(n >= 26 + 8, "{n}");
    assert_eq!(recs.len(), n);
    let idx = |name: &str| header.iter().position(|h| h.ends_with(name)).unwrap();
    let (p, num, date, status) = (idx(" path"), idx("doc_number"), idx(" date"), idx("status"));
    // Every labelled document appears once, with its 发文字号.
    for l in labels() {
        let row = recs
            .iter()
            .find(|r| rel(&r[p]) == l.path)
            .unwrap_or_else(|| panic!("no row for {}", l.path));
        assert_eq!(
            &row[num],
            l.doc_number.as_deref().unwrap_or(""),
            "{}",
            l.path
        );
        assert_eq!(&row[status], "ok", "{}", l.path);
    }
    // Sorted by date (undated last), then by path.
    let keys: Vec<(bool, &str, &str)> = recs
        .iter()
        .map(|r| (r[date].is_empty(), &r[date], &r[p]))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
    // Rows are written as they are read, but a bad query still prints no
    // header (nothing on stdout), only the error.
    let o = ix.run(&["catalog", "防汛", "文种:通告书"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    assert!(stderr(&o).contains("unknown 文种"), "{}", stderr(&o));
}

#[test]
fn catalog_json_type_filter_lists_exactly_the_labelled_letters() {
    let ix = Indexed::new();
    let rows = ix.json_lines(&["catalog", "--format", "json", "--type", "函"]);
    let mut expected: BTreeSet<String> = labels()
        .into_iter()
        .filter(|l| l.doc_type.as_deref() == Some("函"))
        .map(|l| l.path)
        .collect();
    assert_eq!(expected.len(), 2, "{expected:?}");
    // The example draft 函 (front matter `文种: 函`) and its rendered .docx.
    expected.insert("corpus/drafts/函.md".into());
    expected.insert("corpus/drafts/函.docx".into());
    assert_eq!(paths(&rows), expected);
    assert!(rows.iter().all(|r| r["doc_type"] == "函"));
    // A query narrows the catalogue further.
    let rows = ix.json_lines(&["catalog", "--format", "json", "--type", "函", "5G基站"]);
    assert_eq!(
        paths(&rows),
        BTreeSet::from(["corpus/2026/函-青工信函2026-7.md".to_string()])
    );
    // No match: exit 1, nothing on stdout.
    let o = ix.run(&[
        "catalog", "--format", "json", "--type", "函", "--year", "1999",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
}

/// `show` accepts a path exactly as `search` printed it: a file whose name
/// is GBK bytes on disk (printed decoded), and zip members whose names hold
/// `..` or `.` (kept verbatim, not normalized away).
#[cfg(unix)]
#[test]
fn show_takes_paths_as_printed_gbk_names_and_odd_zip_members() {
    use std::io::Write;
    use std::os::unix::ffi::OsStrExt;
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("docs");
    std::fs::create_dir_all(&d).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode("国标名称.txt");
    let p = d.join(std::ffi::OsStr::from_bytes(&gbk));
    std::fs::write(&p, "国标文件名内容").unwrap();
    let mut z = zip::ZipWriter::new(std::fs::File::create(d.join("包.zip")).unwrap());
    let o = zip::write::SimpleFileOptions::default();
    z.start_file("../越界.txt", o).unwrap();
    z.write_all("越界路径成员内容".as_bytes()).unwrap();
    z.finish().unwrap();
    let ix = t.path().join("ix");
    let run = |args: &[&str]| {
        Command::new(gongwen_bin())
            .current_dir(t.path())
            .env("NO_COLOR", "1")
            .arg("--index")
            .arg(&ix)
            .args(args)
            .output()
            .unwrap()
    };
    assert!(run(&["index", "docs"]).status.success());
    let printed = stdout(&run(&["search", "--limit", "0", "内容"]));
    for shown in ["docs/国标名称.txt", "docs/包.zip!/../越界.txt"] {
        assert!(printed.contains(shown), "{printed}");
        let o = run(&["show", "--no-text", &format!("docs/{}", &shown[5..])]);
        assert!(o.status.success(), "{shown}: {}", stderr(&o));
        assert!(stdout(&o).contains(shown), "{}", stdout(&o));
    }
}

/// `show` and the snippets of `search` print the text as the file has it:
/// full-width punctuation, `……`, capitals and paragraph indentation stay
/// (only the index folds them); a line break inside a sentence is left out
/// of a snippet.
#[test]
fn show_and_snippets_print_the_text_as_written() {
    use crate::reindex::{gw, ok, stdout};
    let t = tempfile::tempdir().unwrap();
    let docs = t.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(
        docs.join("通知.txt"),
        "关于做好防汛工作的通知\r\n\r\n各区县：\r\n\u{3000}\u{3000}为做好防汛\r\n工作（含“抗旱”），现将Word 文档……①等事项通知如下。\r\n",
    )
    .unwrap();
    ok(t.path(), &["index", "docs"]);
    let out = ok(t.path(), &["search", "防汛工作"]);
    assert!(
        out.contains("各区县： 为做好**防汛工作**（含“抗旱”），现将Word 文档……①等事项通知如下。"),
        "{out}"
    );
    let o = gw(t.path(), &["search", "--json", "word文档"]);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    // `highlights` are character ranges of `snippet`.
    let snippet: Vec<char> = v["snippet"].as_str().unwrap().chars().collect();
    let lit: Vec<String> = v["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (a, b) = (r[0].as_u64().unwrap(), r[1].as_u64().unwrap());
            snippet[a as usize..b as usize].iter().collect()
        })
        .collect();
    assert_eq!(lit, vec!["Word 文档"], "{v}");
    let out = ok(t.path(), &["show", "docs/通知.txt"]);
    assert!(
        out.ends_with(
            "关于做好防汛工作的通知\n\n各区县：\n\u{3000}\u{3000}为做好防汛\n工作（含“抗旱”），现将Word 文档……①等事项通知如下。\n"
        ),
        "{out}"
    );
}
