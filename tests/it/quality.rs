//! Extraction quality: every document gets a status (ok / warning /
//! truncated / garbled / no_text_layer / failed) with the reason and the
//! recommended action, stored with it; `gongwen status --quality` lists the
//! worst files first and counts per status; `search --json` carries the
//! status. Runs the real binary in a temp dir per test, on files built here.

use std::fs;

use gongwen::archive::extract::{Confidence, Format, Limits, Status, assess, extract_bytes};

use crate::badinput::one_page_pdf;
use crate::common::shared_corpus;
use crate::reindex::{gw, ok, stdout};

/// UTF-8 text of 100 Han characters with 7 invalid bytes (0xFF) among them:
/// decoded as UTF-8 with 7 U+FFFD, 7 % of its 107 characters.
fn garbled_utf8() -> Vec<u8> {
    let line = "各级档案馆应当按照规定接收移交的电子文件并且做好长期保存工作";
    let mut out = Vec::new();
    let mut n = 0;
    'outer: loop {
        for c in line.chars() {
            if n == 100 {
                break 'outer;
            }
            out.extend_from_slice(c.to_string().as_bytes());
            n += 1;
            if n % 14 == 0 {
                out.push(0xFF);
            }
        }
    }
    out.push(b'\n');
    out
}

/// The GBK bytes of `s`.
fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(s).0.into_owned()
}

const GBK_TEXT: &str = "关于做好二〇二六年冬季农村饮水安全保障工作的通知\n各乡镇人民政府：为切实做好冬季农村饮水安全保障，现就有关事项通知如下。\n";

/// A folder with one file of each kind; returns the temp dir (index in `ix`).
fn indexed_batch() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("docs");
    fs::create_dir_all(&d).unwrap();
    let w = |name: &str, bytes: &[u8]| fs::write(d.join(name), bytes).unwrap();
    w(
        "good.txt",
        "关于开展档案数字化质量检查的通知\n各单位：请于月底前完成自查。\n".as_bytes(),
    );
    w("gbk.txt", &gbk(GBK_TEXT));
    w("garbled.txt", &garbled_utf8());
    // Image-only scan: a page that paints but shows no text.
    w(
        "scan.pdf",
        &one_page_pdf("q 595 0 0 842 0 0 cm 0.5 g 0 0 1 1 re f Q"),
    );
    // A scan with only a page number as text: extracted, but 3 characters
    // per page is no text layer either.
    w(
        "stamped.pdf",
        &one_page_pdf("BT /F1 12 Tf 290 30 Td (- 1 - Page 12) Tj ET"),
    );
    // A .docx cut in half: not a zip any more.
    w(
        "broken.docx",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00truncated",
    );
    let s = ok(tmp.path(), &["index", "docs"]);
    assert!(s.contains("broken.docx"), "{s}");
    tmp
}

#[test]
fn status_quality_lists_the_worst_first_and_counts() {
    let tmp = indexed_batch();
    let dir = tmp.path();
    let out = ok(dir, &["status", "--quality"]);
    let pos = |name: &str| {
        out.find(name)
            .unwrap_or_else(|| panic!("{name} not listed:\n{out}"))
    };
    // Worst first: the broken docx, then the scans, then the garbled text.
    assert!(pos("broken.docx") < pos("scan.pdf"), "{out}");
    assert!(pos("scan.pdf") < pos("garbled.txt"), "{out}");
    assert!(pos("stamped.pdf") < pos("garbled.txt"), "{out}");
    // Good files are counted, not listed.
    assert!(!out.contains("good.txt"), "{out}");
    assert!(!out.contains("gbk.txt"), "{out}");
    // Each listed file with its status, reason and action.
    let block = |name: &str| {
        let i = pos(name);
        let start = out[..i].rfind('\n').map_or(0, |j| j + 1);
        let end = out[i..]
            .find("\n失败")
            .or_else(|| out[i..].find("\n无文字层"))
            .or_else(|| out[i..].find("\n乱码"))
            .or_else(|| out[i..].find("\n6 个文档"))
            .map_or(out.len(), |j| i + j);
        out[start..end].to_string()
    };
    let b = block("broken.docx");
    assert!(b.starts_with("失败 failed"), "{b}");
    assert!(b.contains("not a valid .docx (broken zip)"), "{b}");
    let b = block("scan.pdf");
    assert!(b.starts_with("无文字层 no text layer"), "{b}");
    assert!(b.contains("需要 OCR / needs OCR"), "{b}");
    let b = block("stamped.pdf");
    assert!(b.starts_with("无文字层 no text layer"), "{b}");
    assert!(b.contains("每页 9 字"), "{b}");
    assert!(b.contains("需要 OCR / needs OCR"), "{b}");
    let b = block("garbled.txt");
    assert!(b.starts_with("乱码 garbled"), "{b}");
    assert!(b.contains("U+FFFD 7"), "{b}");
    assert!(b.contains("检查编码"), "{b}");
    // The counts line.
    let last = out.lines().last().unwrap();
    assert_eq!(
        last,
        "6 个文档：2 正常，1 乱码，2 无文字层，1 失败 / 6 documents: 2 ok, 1 garbled, 2 no text layer, 1 failed",
        "{out}"
    );

    // --json: one object per document, worst first, then the counts.
    let out = ok(dir, &["status", "--quality", "--json"]);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "{out}");
    let name = |v: &serde_json::Value| {
        let p = v["path"].as_str().unwrap();
        p[p.rfind('/').unwrap() + 1..].to_string()
    };
    assert_eq!(name(&lines[0]), "broken.docx");
    assert_eq!(lines[0]["status"], "failed");
    assert_eq!(lines[3]["status"], "garbled");
    assert_eq!(lines[3]["noise_percent"], 6);
    assert_eq!(lines[3]["encoding"], "UTF-8");
    let scans: Vec<String> = lines[1..3].iter().map(name).collect();
    assert!(scans.contains(&"scan.pdf".to_string()), "{out}");
    assert!(scans.contains(&"stamped.pdf".to_string()), "{out}");
    assert_eq!(
        lines[4],
        serde_json::json!({"docs": 6, "counts": {"ok": 2, "garbled": 1, "no_text_layer": 2, "failed": 1}, "legacy": 0})
    );

    // --limit cuts the list, not the counts.
    let out = ok(dir, &["status", "--quality", "--limit", "1"]);
    assert!(out.contains("broken.docx"), "{out}");
    assert!(!out.contains("garbled.txt"), "{out}");
    assert!(out.contains("另有 3 个 / 3 more"), "{out}");
    assert!(out.ends_with("1 failed\n"), "{out}");
}

#[test]
fn search_json_carries_encoding_and_status() {
    let tmp = indexed_batch();
    let dir = tmp.path();
    let o = gw(dir, &["search", "--json", "饮水安全保障"]);
    let hits: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(hits.len(), 1, "{}", stdout(&o));
    let h = &hits[0];
    assert!(h["path"].as_str().unwrap().ends_with("gbk.txt"), "{h}");
    assert_eq!(h["status"], "ok", "{h}");
    assert_eq!(h["quality"]["status"], "ok", "{h}");
    assert_eq!(h["quality"]["encoding"], "GBK", "{h}");
    assert_eq!(h["quality"]["encoding_confidence"], "high", "{h}");
    assert_eq!(h["quality"]["replacement_chars"], 0, "{h}");
    assert_eq!(h["quality"]["reason"], serde_json::Value::Null, "{h}");

    // The garbled text is still searchable, and says it is garbled.
    let o = gw(dir, &["search", "--json", "长期保存"]);
    let h: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(h["status"], "garbled", "{h}");
    assert_eq!(h["quality"]["replacement_chars"], 7, "{h}");
    assert_eq!(h["quality"]["chars"], 107, "{h}");
}

#[test]
fn low_confidence_encoding_is_a_warning_to_check() {
    // Four GBK characters: chardetng's guess cannot be checked.
    let got = extract_bytes(&gbk("公文处理\n"), Format::Text, &Limits::default()).unwrap();
    assert_eq!(got.quality.encoding.as_deref(), Some("GBK"));
    assert_eq!(got.quality.encoding_confidence, Some(Confidence::Low));
    let a = assess(Format::Text, Ok(&got.quality));
    assert_eq!(a.status, Status::Warning);
    assert!(a.reason.unwrap().contains("low-confidence"));
    assert!(a.action.unwrap().starts_with("检查编码"));
    // The same with enough text is checked by decoding: high.
    let got = extract_bytes(&gbk(GBK_TEXT), Format::Text, &Limits::default()).unwrap();
    assert_eq!(got.quality.encoding_confidence, Some(Confidence::High));
    assert_eq!(assess(Format::Text, Ok(&got.quality)).status, Status::Ok);
    // BOM and valid UTF-8 are certain.
    let got = extract_bytes("\u{FEFF}公文".as_bytes(), Format::Text, &Limits::default()).unwrap();
    assert_eq!(got.quality.encoding_confidence, Some(Confidence::Certain));
}

#[test]
fn noise_is_counted_per_kind() {
    // Private-use characters (e.g. a font's own glyph slots) and cid markers
    // left in the text are noise like U+FFFD.
    let text = format!("{}\u{E001}\u{E002}(cid:17)(cid:x)\n", "公文".repeat(10));
    let got = extract_bytes(text.as_bytes(), Format::Text, &Limits::default()).unwrap();
    let q = &got.quality;
    assert_eq!(
        (q.replacement_chars, q.private_use_chars, q.cid_markers),
        (0, 2, 1)
    );
    // 20 Han + 2 PUA + 1 marker + "(cid:x)" (7) = 30 characters.
    assert_eq!(q.chars, 30);
    assert_eq!(q.noise_percent(), 10);
    assert_eq!(assess(Format::Text, Ok(q)).status, Status::Garbled);
}

#[test]
fn shared_corpus_gbk_reports_are_ok_with_high_confidence() {
    let Some(dir) = shared_corpus("encodings/gbk") else {
        return;
    };
    let mut n = 0;
    for e in fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let got =
            gongwen::archive::extract::extract_file(&p, Format::Text, &Limits::default()).unwrap();
        assert_eq!(
            got.quality.encoding_confidence,
            Some(Confidence::High),
            "{}",
            p.display()
        );
        assert_eq!(
            assess(Format::Text, Ok(&got.quality)).status,
            Status::Ok,
            "{}: {:?}",
            p.display(),
            got.quality
        );
        n += 1;
    }
    assert_eq!(n, 21);
}

#[test]
fn records_of_an_older_gongwen_are_counted_and_a_rebuild_is_suggested() {
    use gongwen::archive::index::{ArchiveIndex, WriterLock, commit};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("docs")).unwrap();
    fs::write(dir.join("docs/good.txt"), "关于档案工作的通知\n正文。\n").unwrap();
    ok(dir, &["index", "docs"]);
    // A document as gongwen wrote it before the quality notes: status only.
    {
        let _lock = WriterLock::acquire(&dir.join("ix")).unwrap();
        let (ix, _) = ArchiveIndex::open_for_write(&dir.join("ix"), false).unwrap();
        let f = &ix.fields;
        let mut doc = tantivy::TantivyDocument::default();
        doc.add_text(f.id, "old-scan.pdf");
        doc.add_text(f.path, "/old/scan.pdf");
        doc.add_text(f.format, "pdf");
        doc.add_text(
            f.quality,
            r#"{"status":"failed","reason":"无文字层（扫描件？）/ no text layer (scanned?): 3 pages, 0 characters"}"#,
        );
        let mut w = ix.writer(1, 15_000_000).unwrap();
        w.add_document(doc).unwrap();
        commit(&mut w, &ix.state, &dir.join("ix")).unwrap();
        w.wait_merging_threads().unwrap();
    }
    let out = ok(dir, &["status", "--quality"]);
    assert!(out.starts_with("需要处理的文档"), "{out}");
    assert!(
        out.contains("失败 failed  /old/scan.pdf\n    无文字层"),
        "{out}"
    );
    assert!(
        out.contains("1 documents were indexed by an older gongwen (ok/failed only): run `gongwen index --rebuild`"),
        "{out}"
    );
    assert!(
        out.ends_with("2 个文档：1 正常，1 失败 / 2 documents: 1 ok, 1 failed\n"),
        "{out}"
    );
}

#[test]
fn quality_report_of_an_empty_index_says_so_without_empty_headings() {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(t.path().join("空")).unwrap();
    ok(t.path(), &["index", "空"]);
    let o = gw(t.path(), &["status", "--quality"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "索引中还没有文档 / the index holds no documents yet\n"
    );
}
