//! Tests: archive search end to end — the search guarantee (index hits equal
//! a substring scan of the normalized texts), formats and encodings found by
//! their phrases, ranking, query syntax.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gongwen::archive::extract::{self, Format, Limits};
use gongwen::archive::index::ArchiveIndex;
use gongwen::archive::indexer::{self, IndexOptions, NoProgress};
use gongwen::archive::normalize::{match_form, normalize};
use gongwen::archive::search::{ArchiveSearcher, Filters, SearchOptions};
use gongwen::archive::walk::{self, path_id};
use gongwen::meta::DocMeta;

use crate::common::{project_root, shared_corpus};

/// Index `roots` into a fresh temp dir; returns (tempdir guard, index dir).
fn build_index(roots: &[PathBuf]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("idx");
    let s = indexer::run(&dir, roots, &IndexOptions::default(), &NoProgress).unwrap();
    assert!(s.total_docs > 0, "{s:?}");
    (tmp, dir)
}

fn searcher(dir: &Path) -> ArchiveSearcher {
    ArchiveSearcher::new(&ArchiveIndex::open(dir).unwrap()).unwrap()
}

fn ids(s: &ArchiveSearcher, q: &str) -> BTreeSet<String> {
    s.matching_ids(q, &Filters::default())
        .unwrap()
        .into_iter()
        .collect()
}

/// (id, match form of title + "\u{0}" + text) of every supported file under `root`,
/// computed independently of the index, with the same extractor and normalizer.
fn truth_texts(root: &Path) -> Vec<(String, String)> {
    let root = std::fs::canonicalize(root).unwrap();
    let w = walk::walk(&root);
    let mut out = Vec::new();
    for e in w.files {
        let Ok(x) = extract::extract_file(&e.path, e.format, &Limits::default()) else {
            continue;
        };
        let meta = DocMeta::extract(&x.text, x.title.as_deref(), x.front_matter.as_deref());
        let title = meta.title.or(x.title).unwrap_or_default();
        let mf = format!(
            "{}\u{0}{}",
            match_form(&normalize(&title)),
            match_form(&normalize(&x.text))
        );
        out.push((path_id(&e.path), mf));
    }
    out
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Draw `n` CJK substrings of 1–8 characters and `n_latin` Latin/number tokens
/// from the texts, with a fixed seed.
fn draw_queries(texts: &[(String, String)], n: usize, n_latin: usize, seed: u64) -> Vec<String> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out = Vec::new();
    let mut guard = 0;
    while out.len() < n && guard < n * 50 {
        guard += 1;
        let (_, t) = &texts[rng.usize(..texts.len())];
        let chars: Vec<char> = t.chars().collect();
        if chars.len() < 10 {
            continue;
        }
        let len = rng.usize(1..=8);
        let start = rng.usize(..chars.len() - len);
        let s: String = chars[start..start + len].iter().collect();
        if s.chars().all(is_han) {
            out.push(s);
        }
    }
    let mut latin = 0;
    guard = 0;
    while latin < n_latin && guard < n_latin * 200 {
        guard += 1;
        let (_, t) = &texts[rng.usize(..texts.len())];
        let toks: Vec<&str> = t
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty() && w.len() <= 12)
            .collect();
        if toks.is_empty() {
            continue;
        }
        out.push(toks[rng.usize(..toks.len())].to_string());
        latin += 1;
    }
    out
}

/// The guarantee: for every drawn query, the index's hits equal a plain
/// substring scan of the same normalized texts (recall and precision 100 %).
fn differential(root: &Path, n: usize, n_latin: usize) {
    let texts = truth_texts(root);
    assert!(!texts.is_empty());
    let (_tmp, dir) = build_index(&[root.to_path_buf()]);
    let s = searcher(&dir);
    assert_eq!(
        s.num_docs() as usize,
        texts.len(),
        "every extractable file is indexed"
    );
    let queries = draw_queries(&texts, n, n_latin, 20261130);
    assert!(queries.len() >= n, "drew {} queries", queries.len());
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    let mut bad = Vec::new();
    for q in &queries {
        let expected: BTreeSet<String> = texts
            .iter()
            .filter(|(_, t)| t.contains(q.as_str()))
            .map(|(id, _)| id.clone())
            .collect();
        let got = ids(&s, &format!("\"{q}\""));
        tp += expected.intersection(&got).count();
        fp += got.difference(&expected).count();
        fneg += expected.difference(&got).count();
        if expected != got && bad.len() < 5 {
            bad.push(format!(
                "{q:?}: expected {} got {}",
                expected.len(),
                got.len()
            ));
        }
    }
    let recall = tp as f64 / (tp + fneg).max(1) as f64;
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    eprintln!(
        "differential on {}: {} queries, {} docs: recall {:.2}% precision {:.2}%",
        root.display(),
        queries.len(),
        texts.len(),
        recall * 100.0,
        precision * 100.0
    );
    assert!(bad.is_empty(), "mismatches: {bad:?}");
}

#[test]
fn differential_on_sample_corpus() {
    differential(&project_root().join("corpus"), 300, 40);
}

#[test]
fn differential_on_laws() {
    let Some(laws) = shared_corpus("laws") else {
        return;
    };
    differential(&laws, 300, 40);
}

fn sample_index() -> (tempfile::TempDir, PathBuf) {
    build_index(&[project_root().join("corpus")])
}

fn hit_paths(s: &ArchiveSearcher, q: &str) -> Vec<String> {
    s.search(
        q,
        &SearchOptions {
            limit: 0,
            ..Default::default()
        },
    )
    .unwrap()
    .into_iter()
    .map(|h| h.path)
    .collect()
}

#[test]
fn labelled_phrases_find_their_documents() {
    let labels: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(project_root().join("tests/data/corpus_labels.json")).unwrap(),
    )
    .unwrap();
    let (_t, dir) = sample_index();
    let s = searcher(&dir);
    let mut checked = 0;
    for doc in labels.as_array().unwrap() {
        let path = doc["path"].as_str().unwrap();
        let abs = std::fs::canonicalize(project_root().join(path)).unwrap();
        for p in doc["phrases"].as_array().unwrap() {
            let p = p.as_str().unwrap();
            let got = ids(&s, &format!("\"{p}\""));
            assert!(
                got.contains(&path_id(&abs)),
                "{p:?} should find {path}, got {got:?}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 60, "{checked}");
}

#[test]
fn every_format_of_the_sample_corpus_is_found() {
    let (_t, dir) = sample_index();
    let s = searcher(&dir);
    for (q, file) in [
        ("5G基站", "函-青工信函2026-7.md"),
        ("燃气安全专项检查", "通报-青应急发2026-9.txt"), // GBK
        ("䶮", "决定-青政发2026-2.txt"),                 // GB18030-only character
        ("办好乡村小规模学校", "计划-云教发2026-3.txt"), // UTF-16LE
        ("政务公开工作要点", "通知-青政办发2026-20.pdf"),
    ] {
        let paths = hit_paths(&s, q);
        assert!(
            paths.iter().any(|p| p.ends_with(file)),
            "{q} should find {file}: {paths:?}"
        );
    }
    let formats: BTreeSet<String> = s
        .search(
            "的",
            &SearchOptions {
                limit: 0,
                ..Default::default()
            },
        )
        .unwrap()
        .into_iter()
        .map(|h| h.format)
        .collect();
    for f in ["md", "txt", "html", "docx", "pdf"] {
        assert!(formats.contains(f), "format {f} indexed: {formats:?}");
    }
}

#[test]
fn title_match_ranks_above_single_body_mention() {
    let (_t, dir) = sample_index();
    let s = searcher(&dir);
    let hits = s
        .search(
            "安全生产",
            &SearchOptions {
                limit: 0,
                ..Default::default()
            },
        )
        .unwrap();
    let pos = |suffix: &str| hits.iter().position(|h| h.path.ends_with(suffix)).unwrap();
    assert!(
        hits[0].title.contains("安全生产"),
        "first hit has the query in its title: {}",
        hits[0].title
    );
    assert!(pos("通知-青政办发2026-12.md") < pos("报告-云政2026-5.txt"));
}

#[test]
fn query_syntax() {
    let (_t, dir) = sample_index();
    let s = searcher(&dir);
    let all = ids(&s, "防汛");
    let without = ids(&s, "防汛 -演练");
    let with = ids(&s, "防汛 演练");
    assert!(!with.is_empty() && !without.is_empty());
    assert_eq!(without.len() + with.len(), all.len());
    assert!(without.is_disjoint(&with));
    let either = ids(&s, "5G基站 OR 燃气安全");
    assert_eq!(
        either.len(),
        ids(&s, "5G基站").len() + ids(&s, "燃气安全").len()
    );
    assert!(ids(&s, "title:5G基站").len() == 1);
    // full-width and case fold: ５Ｇ finds 5G
    assert_eq!(ids(&s, "５ｇ基站"), ids(&s, "5G基站"));
    // a phrase must match only contiguous text
    assert!(ids(&s, "\"基站5G\"").is_empty());
    assert!(s.search("\"unbalanced", &SearchOptions::default()).is_err());
    assert!(s.search("-只有排除", &SearchOptions::default()).is_err());
    // A 发文字号 typed with the keyboard's brackets finds the documents that
    // write it with 〔〕 (grep finds none of them).
    let standard = ids(&s, "青政办发〔2026〕12号");
    assert!(!standard.is_empty());
    for typed in [
        "青政办发[2026]12号",
        "青政办发(2026)12号",
        "青政办发（2026）第12号",
    ] {
        assert_eq!(ids(&s, typed), standard, "{typed}");
    }
    // A bracketed year alone, or a number without its serial, finds every
    // bracket style.
    assert_eq!(ids(&s, "[2026]"), ids(&s, "〔2026〕"));
    assert!(!ids(&s, "(2026)").is_empty());
    assert_eq!(ids(&s, "青政办发[2026]"), ids(&s, "青政办发〔2026〕"));
}

/// The other way round: a document that writes its 发文字号 with keyboard
/// brackets is found by the standard form.
#[test]
fn doc_number_written_with_keyboard_brackets_is_found_by_the_standard_form() {
    let t = tempfile::tempdir().unwrap();
    let docs = t.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("a.txt"), "见青政办发[2026]12号文。\n").unwrap();
    std::fs::write(docs.join("b.txt"), "见青政办发（2026）12号文。\n").unwrap();
    std::fs::write(docs.join("c.txt"), "见青政办发【2026】12号文。\n").unwrap();
    std::fs::write(docs.join("d.txt"), "见青政办发〔2025〕12号文。\n").unwrap();
    let (_t, dir) = build_index(&[docs]);
    let s = searcher(&dir);
    let found = ids(&s, "青政办发〔2026〕12号");
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(ids(&s, "青政办发(2026)12号"), found);
    assert!(ids(&s, "青政办发〔2024〕12号").is_empty());
}

/// A 发文字号 written with `第` and a leading zero (`云政发（2026）第07号`)
/// is shown in standard form; that form, typed as a plain search, finds the
/// document (trial 27: only `文号:` did). Another number does not.
#[test]
fn doc_number_shown_in_standard_form_finds_its_document() {
    let t = tempfile::tempdir().unwrap();
    let docs = t.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(
        docs.join("a.txt"),
        "云南省人民政府关于做好防汛工作的通知\n文号：云政发（2026）第07号\n各州、市人民政府：\n现通知如下。\n",
    )
    .unwrap();
    std::fs::write(docs.join("b.txt"), "其他文件\n防汛工作。\n").unwrap();
    // Cited in a body as typed (trial 28: the standard form missed it).
    std::fs::write(
        docs.join("e.txt"),
        "会议纪要\n根据云政发（2026）第07号文件精神。\n",
    )
    .unwrap();
    std::fs::write(docs.join("f.txt"), "会议纪要\n根据云政发〔2026〕第7号。\n").unwrap();
    std::fs::write(
        docs.join("g.txt"),
        "近似文号\n云政发〔2026〕17号、云政发〔2026〕70号。\n",
    )
    .unwrap();
    let (_t, dir) = build_index(&[docs]);
    let s = searcher(&dir);
    let hits = s.search("防汛", &SearchOptions::default()).unwrap();
    let a = hits.iter().find(|h| h.path.ends_with("a.txt")).unwrap();
    assert_eq!(a.doc_number.as_deref(), Some("云政发〔2026〕7号"));
    for q in [
        "云政发〔2026〕7号",
        "云政发(2026)7号",
        "\"云政发〔2026〕7号\"",
        "云政发（2026）第07号",
        // Typed or copied with spaces (PDF text: `7 号`): one number
        // (trial 29: found 17号 and 70号 as two words).
        "云政发〔2026〕7 号",
        "云政发〔2026〕 7号",
    ] {
        let found = ids(&s, q);
        assert_eq!(found.len(), 3, "{q}: {found:?}");
        assert!(
            !found
                .iter()
                .any(|f| f.ends_with("b.txt") || f.ends_with("g.txt")),
            "{q}"
        );
    }
    assert!(ids(&s, "云政发〔2026〕8号").is_empty());
    let seventy = ids(&s, "云政发〔2026〕70号");
    assert!(seventy.len() == 1 && seventy.iter().all(|f| f.ends_with("g.txt")));
    assert_eq!(ids(&s, "防汛 -云政发〔2026〕7号").len(), 1);
    // A word before the number stays a word of its own (trial 30: joined
    // onto it, the query found nothing).
    for q in [
        "防汛 云政发〔2026〕7号",
        "防汛 云政发〔2026〕7 号",
        "会议纪要 云政发〔 2026 〕 第 7 号",
    ] {
        let found = ids(&s, q);
        assert!(!found.is_empty() && found.len() <= 2, "{q}: {found:?}");
    }
    assert_eq!(ids(&s, "防汛 云政发〔2026〕7 号").len(), 1);
    // A word before a bare `〔2026〕…号` is no 机关代字 (trial 31): either
    // order finds the same.
    let f = ids(&s, "纪要 〔2026〕第7号");
    assert!(
        f.len() == 1 && f.iter().all(|p| p.ends_with("f.txt")),
        "{f:?}"
    );
    assert_eq!(ids(&s, "〔2026〕第7号 纪要"), f);
    assert_eq!(ids(&s, "会议纪要 云政发〔 2026 〕 第 7 号").len(), 2);
}

/// `search_page` says whether more documents match than the limit, by
/// fetching one more hit.
#[test]
fn a_page_of_hits_says_whether_more_match() {
    let t = tempfile::tempdir().unwrap();
    let docs = t.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for i in 0..3 {
        std::fs::write(docs.join(format!("{i}.txt")), format!("防汛值班表{i}\n")).unwrap();
    }
    let (_t, dir) = build_index(&[docs]);
    let s = searcher(&dir);
    let page = |limit: usize, q: &str| {
        let (hits, more) = s
            .search_page(
                q,
                &SearchOptions {
                    limit,
                    ..Default::default()
                },
            )
            .unwrap();
        (hits.len(), more)
    };
    assert_eq!(page(2, "防汛"), (2, true));
    assert_eq!(page(3, "防汛"), (3, false));
    assert_eq!(page(0, "防汛"), (3, false));
    assert_eq!(page(1, "防汛 -值班表1 -值班表2"), (1, false));
    assert_eq!(page(1, "防汛 -值班表1"), (1, true));
    // The command line says so under the list, and not when all are shown.
    let run = |args: &[&str]| {
        let o = std::process::Command::new(crate::common::gongwen_bin())
            .arg("--index")
            .arg(&dir)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    assert!(
        run(&["search", "-n", "2", "防汛"]).contains("只列出前 2 篇，还有更多"),
        "{}",
        run(&["search", "-n", "2", "防汛"])
    );
    assert!(!run(&["search", "防汛"]).contains("还有更多"));
    // No hit: the message names the query, and the filters when there are.
    assert!(run(&["search", "防汛值班表9"]).contains("没有找到 / no documents match: 防汛值班表9"));
    let none = run(&["search", "防汛", "--year", "2030"]);
    assert!(
        none.contains(
            "没有找到（筛选条件 --year 2030） / no documents match (filters --year 2030): 防汛"
        ) && none.contains("3 match without the filters; a date filter keeps only"),
        "{none}"
    );
    let none = run(&["search", "防汛", "--type", "命令"]);
    assert!(none.contains("3 match without the filters\n"), "{none}");
    let none = run(&["search", "不存在的词", "--year", "2026"]);
    assert!(none.contains("none without the filters either"), "{none}");
    // A field name copied with its colon: told to quote it.
    assert!(run(&["search", "标题："]).contains("'\"标题：\"'"));
}

#[test]
fn snippets_are_about_150_chars_and_highlight() {
    let (_t, dir) = sample_index();
    let s = searcher(&dir);
    for h in s
        .search(
            "防汛",
            &SearchOptions {
                limit: 0,
                ..Default::default()
            },
        )
        .unwrap()
    {
        let text: String = h.snippet.iter().map(|f| f.text.as_str()).collect();
        let n = text.chars().filter(|c| *c != '…').count();
        assert!(n <= 150, "{n} chars: {text}");
        assert!(
            h.snippet.iter().any(|f| f.highlight && f.text == "防汛"),
            "{text}"
        );
    }
}

#[test]
fn encodings_and_formats_of_shared_corpus() {
    let Some(enc) = shared_corpus("encodings") else {
        return;
    };
    let Some(docx) = shared_corpus("docx") else {
        return;
    };
    let Some(pdf) = shared_corpus("pdf") else {
        return;
    };
    let Some(seed) = shared_corpus("seed") else {
        return;
    };
    let (_t, dir) = build_index(&[enc, docx, pdf, seed]);
    let s = searcher(&dir);
    let found = |q: &str, dir_part: &str| {
        let paths = hit_paths(&s, q);
        assert!(
            paths.iter().any(|p| p.contains(dir_part)),
            "{q} should find a file in {dir_part}: {paths:?}"
        );
    };
    found("做好办公室工作", "seed/");
    found("充分利用出差调研的机会", "seed/");
    found("深入学习", "pdf/");
    for sub in ["gbk/", "gb18030/", "utf16/", "utf8-bom/", "docx/", "pdf/"] {
        // a phrase every government work report has
        let q = if sub == "utf8-bom/" {
            "乡村振兴"
        } else {
            "人民"
        };
        found(q, sub);
    }
    let _ = Format::Text;
}

#[test]
fn an_unknown_document_type_filter_is_an_error_not_an_empty_result() {
    let t = tempfile::tempdir().unwrap();
    let docs = t.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(
        docs.join("通知.txt"),
        "某某县人民政府办公室关于做好防汛工作的通知\n\n各乡镇：请做好防汛值班。\n",
    )
    .unwrap();
    let gw = |args: &[&str]| crate::reindex::gw(t.path(), args);
    crate::reindex::ok(t.path(), &["index", "docs"]);
    let o = gw(&["search", "--type", "不存在", "防汛"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("unknown 文种") && err.contains("\"不存在\""),
        "{err}"
    );
    // Known names and English keys still filter.
    for ty in ["通知", "notice"] {
        let o = gw(&["search", "--count", "--type", ty, "防汛"]);
        assert_eq!(
            String::from_utf8_lossy(&o.stdout).trim(),
            "1",
            "--type {ty}"
        );
    }
    let o = gw(&["search", "--count", "--type", "请示", "防汛"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "0");
}

/// `--in FOLDER` keeps the documents under that folder (a sibling whose
/// name only starts the same, `2025b`, is not under `2025`), may be given
/// several times, takes a file too, and filters `catalog` the same way.
#[test]
fn in_folder_filters_search_and_catalog() {
    let t = tempfile::tempdir().unwrap();
    let docs = t.path().join("docs");
    for (p, text) in [
        (
            "2025/防汛通知.txt",
            "关于做好防汛工作的通知\n\n各乡镇：请做好防汛值班。\n",
        ),
        (
            "2025/sub/值班通知.txt",
            "关于国庆值班的通知\n\n请做好防汛值班。\n",
        ),
        (
            "2025b/抗旱通知.txt",
            "关于做好抗旱工作的通知\n\n请做好防汛值班。\n",
        ),
        (
            "其他/会议通知.txt",
            "关于召开防汛会议的通知\n\n请做好防汛值班。\n",
        ),
    ] {
        let f = docs.join(p);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, text).unwrap();
    }
    crate::reindex::ok(t.path(), &["index", "docs"]);
    let count = |args: &[&str]| {
        let mut a = vec!["search", "--count", "防汛值班"];
        a.extend_from_slice(args);
        crate::reindex::ok(t.path(), &a).trim().to_string()
    };
    assert_eq!(count(&[]), "4");
    assert_eq!(count(&["--in", "docs/2025"]), "2");
    assert_eq!(count(&["--in", "docs/2025/"]), "2");
    assert_eq!(count(&["--in", "docs/2025b"]), "1");
    assert_eq!(count(&["--in", "docs/2025", "--in", "docs/其他"]), "3");
    assert_eq!(count(&["--in", "docs/2025/sub/值班通知.txt"]), "1");
    let abs = docs.join("2025/sub").display().to_string();
    assert_eq!(count(&["--in", &abs]), "1");
    let o = crate::reindex::gw(
        t.path(),
        &["search", "--count", "防汛值班", "--in", "docs/无此目录"],
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "0");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("does not exist: the index is still searched"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A folder on disk that was never indexed: said so.
    std::fs::create_dir_all(t.path().join("新建")).unwrap();
    let o = crate::reindex::gw(t.path(), &["search", "防汛值班", "--in", "新建"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("no indexed document is under the --in folder(s)"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let cat = crate::reindex::ok(t.path(), &["catalog", "--in", "docs/2025b"]);
    let rows: Vec<&str> = cat.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{cat}");
    assert!(rows[0].contains("2025b/抗旱通知.txt"), "{cat}");
}
