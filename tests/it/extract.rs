//! Tests: extract. `gongwen::archive::extract` on the real corpus in
//! `../shared/corpus` (skipped when absent) and on hostile inputs generated
//! here in temp dirs.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gongwen::archive::extract::{
    ExtractError, Extracted, Format, Limits, extract_bytes, extract_file,
};

use crate::common::shared_corpus;

fn extract(path: &Path) -> Result<Extracted, ExtractError> {
    let format = Format::from_path(path).expect("known extension");
    extract_file(path, format, &Limits::default())
}

/// `text` with whitespace between two CJK characters removed (what the
/// lead's normalizer does), so phrases broken across PDF lines match.
fn join_cjk(text: &str) -> String {
    let is_cjk =
        |c: char| ('\u{3000}'..='\u{9FFF}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() && c != '\u{3000}' {
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() && chars[j] != '\u{3000}' {
                j += 1;
            }
            let prev = out.chars().last();
            let next = chars.get(j).copied();
            if prev.is_some_and(is_cjk) && next.is_some_and(is_cjk) {
                i = j;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The single file in `dir` whose name starts with `prefix`.
fn corpus_file(dir: &Path, prefix: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("{prefix}* in {}", dir.display()))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A minimal .docx with `document_xml` as its body part (and a core.xml
/// with `title` when given).
fn docx(document_xml: &str, title: Option<&str>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#)
        .unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(document_xml.as_bytes()).unwrap();
    if let Some(t) = title {
        zip.start_file("docProps/core.xml", opts).unwrap();
        let core = format!(
            r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{t}</dc:title></cp:coreProperties>"#
        );
        zip.write_all(core.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn w_doc(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    )
}

fn w_p(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

// ---------------------------------------------------------------- encodings

#[test]
fn gbk_report_decodes() {
    let Some(dir) = shared_corpus("encodings/gbk") else {
        return;
    };
    let got = extract(&corpus_file(&dir, "1978")).unwrap();
    assert_eq!(got.quality.encoding.as_deref(), Some("GBK"));
    assert!(got.text.contains("我国经历了尖锐复杂的阶级斗争和路线斗争"));
    assert_eq!(got.quality.replacement_chars, 0);
    assert_eq!(got.format, Format::Text);
}

#[test]
fn gb18030_report_decodes() {
    let Some(dir) = shared_corpus("encodings/gb18030") else {
        return;
    };
    let got = extract(&corpus_file(&dir, "1999")).unwrap();
    // These files use no four-byte sequences, so they are also valid GBK
    // and are reported as such; both are decoded with the GB18030 decoder.
    let enc = got.quality.encoding.as_deref().unwrap();
    assert!(enc == "GBK" || enc == "GB18030", "{enc}");
    assert!(got.text.contains("前进中还存在不少困难和问题"));
    assert_eq!(got.quality.replacement_chars, 0);
}

#[test]
fn utf16le_report_decodes() {
    let Some(dir) = shared_corpus("encodings/utf16") else {
        return;
    };
    let got = extract(&corpus_file(&dir, "2004")).unwrap();
    assert_eq!(got.quality.encoding.as_deref(), Some("UTF-16LE"));
    assert!(got.text.contains("标志着我国综合国力又有新的提高"));
    assert!(!got.text.contains('\u{FEFF}'));
}

#[test]
fn utf8_bom_file_decodes_with_title() {
    let Some(dir) = shared_corpus("encodings/utf8-bom") else {
        return;
    };
    let got = extract(&corpus_file(&dir, "关于实施乡村振兴战略的意见")).unwrap();
    assert_eq!(got.quality.encoding.as_deref(), Some("UTF-8"));
    assert!(got.text.contains("分两个阶段实现第二个百年奋斗目标"));
    assert!(!got.text.starts_with('\u{FEFF}'));
    assert_eq!(
        got.title.as_deref(),
        Some("中共中央 国务院关于实施乡村振兴战略的意见")
    );
}

/// A short UTF-8 line appended to a GBK file (`echo … >> 通知.txt` on a
/// UTF-8 system): both parts decoded in their own encoding, so search finds
/// what grep finds. Was decoded as GBK throughout: the line became mojibake.
#[test]
fn gbk_file_with_an_appended_utf8_line() {
    let dir = tempfile::tempdir().unwrap();
    let body = "青山市应急管理局关于做好冬季安全生产工作的通报\n各区县应急管理局：\n\
        近期，我市部分地区发生多起生产安全事故，造成人员伤亡和财产损失。\
        为深刻汲取事故教训，切实做好冬季安全生产工作，现将有关情况通报如下。\n";
    let (gbk, _, bad) = encoding_rs::GBK.encode(body);
    assert!(!bad);
    for line in [
        "追加测试",
        "追加测试词甲乙丙丁戊",
        "备注：见附件",
        "中文",
        "饕餮",
        "抄送：市委",
        "（中文）",
        "中文 测试",
    ] {
        let mut bytes = gbk.to_vec();
        bytes.extend_from_slice(format!("{line}\n").as_bytes());
        let p = write(dir.path(), "通报.txt", &bytes);
        let got = extract(&p).unwrap();
        assert!(got.text.contains(line), "{line}: {}", got.text);
        assert!(
            got.text.contains("切实做好冬季安全生产工作"),
            "{}",
            got.text
        );
        assert_eq!(got.quality.replacement_chars, 0, "{line}");
        assert_eq!(got.quality.encoding.as_deref(), Some("UTF-8+GBK"), "{line}");
    }
    // A GBK line in a UTF-8 file, whose bytes happen to form a four-byte
    // character of an unassigned plane (U+7BBF9).
    let mut bytes =
        "青山市应急管理局关于推进基层治理现代化的通知\n各区县：现将有关事项通知如下。\n"
            .repeat(3)
            .into_bytes();
    bytes.extend_from_slice(&encoding_rs::GBK.encode("网格化管理\n").0);
    let p = write(dir.path(), "混合.txt", &bytes);
    let got = extract(&p).unwrap();
    assert!(got.text.contains("网格化管理"), "{}", got.text);
    assert_eq!(got.quality.encoding.as_deref(), Some("UTF-8+GBK"));
    // The real reports: each with a line appended decodes to the report as
    // before plus the line.
    let Some(dir) = shared_corpus("encodings") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for sub in ["gbk", "gb18030"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let p = entry.unwrap().path();
            let alone = extract(&p).unwrap().text;
            let mut bytes = std::fs::read(&p).unwrap();
            bytes.extend_from_slice("\n追加测试词甲乙丙丁戊\n".as_bytes());
            let q = write(tmp.path(), "r.txt", &bytes);
            let got = extract(&q).unwrap();
            assert_eq!(got.quality.replacement_chars, 0, "{}", p.display());
            let want = format!("{alone}\n追加测试词甲乙丙丁戊");
            let (got, want) = (got.text.trim_end(), want.trim_end());
            if got != want {
                let at = got
                    .char_indices()
                    .zip(want.chars())
                    .find(|((_, a), b)| a != b)
                    .map_or(got.len().min(want.len()), |((i, _), _)| i);
                let from = got.floor_char_boundary(at.saturating_sub(60));
                panic!(
                    "{}: differs at byte {at}: got …{:?}…, want …{:?}…",
                    p.display(),
                    &got[from..got.ceil_char_boundary(at + 60)],
                    &want[from..want.ceil_char_boundary(at + 60)],
                );
            }
        }
    }
}

#[test]
fn every_encoded_report_decodes_cleanly() {
    let Some(dir) = shared_corpus("encodings") else {
        return;
    };
    for sub in ["gbk", "gb18030", "utf16", "utf8-bom"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let p = entry.unwrap().path();
            let got = extract(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            assert_eq!(got.quality.replacement_chars, 0, "{}", p.display());
            assert!(
                got.text.contains("政府") || got.text.contains("农村"),
                "{}",
                p.display()
            );
        }
    }
}

// ---------------------------------------------------------------- docx / pdf

#[test]
fn real_docx_body_and_title() {
    let Some(dir) = shared_corpus("docx") else {
        return;
    };
    let got = extract(&dir.join("2025年北京市政府工作报告.docx")).unwrap();
    assert_eq!(got.format, Format::Docx);
    assert!(got.text.contains("来源：北京日报"));
    // core.xml has no dc:title, so the first paragraph is the title.
    assert_eq!(got.title.as_deref(), Some("2025年北京市政府工作报告"));
}

#[test]
fn every_real_docx_extracts() {
    let Some(dir) = shared_corpus("docx") else {
        return;
    };
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        let got = extract(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(
            got.text.contains("政府工作报告") || got.text.contains("政府"),
            "{}",
            p.display()
        );
        assert!(got.text.chars().count() > 5000, "{}", p.display());
    }
}

#[test]
fn docx_table_cells_and_core_title() {
    let body = format!(
        "{}<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>{}",
        w_p("附表"),
        w_p("地区"),
        w_p("增长率"),
        w_p("北京市"),
        w_p("5.2%"),
        w_p("表后正文")
    );
    let bytes = docx(&w_doc(&body), Some("关于印发统计表的通知"));
    let got = extract_bytes(&bytes, Format::Docx, &Limits::default()).unwrap();
    assert_eq!(got.text, "附表\n地区\t增长率\n北京市\t5.2%\n表后正文\n");
    assert_eq!(got.title.as_deref(), Some("关于印发统计表的通知"));
}

#[test]
fn real_pdf_phrase_after_joining_cjk() {
    let Some(dir) = shared_corpus("pdf") else {
        return;
    };
    let got = extract(&dir.join("2025年天津市政府工作报告.pdf")).unwrap();
    assert_eq!(got.format, Format::Pdf);
    assert!(got.quality.pages.unwrap() > 5);
    let joined = join_cjk(&got.text);
    // The .docx this PDF was made from has 深入学习 twice.
    assert_eq!(
        joined.matches("深入学习").count(),
        2,
        "{}",
        joined.chars().take(500).collect::<String>()
    );
    let got = extract(&dir.join("2025年北京市政府工作报告.pdf")).unwrap();
    assert!(join_cjk(&got.text).contains("来源：北京日报"));
    assert_eq!(
        got.title.as_deref().map(|t| t.contains("政府工作报告")),
        Some(true),
        "{:?}",
        got.title
    );
}

#[test]
fn pdf_over_timeout_gives_timeout() {
    let Some(dir) = shared_corpus("pdf") else {
        return;
    };
    let limits = Limits {
        timeout: Duration::from_millis(1),
        ..Limits::default()
    };
    let p = dir.join("2025年北京市政府工作报告.pdf");
    let err = extract_file(&p, Format::Pdf, &limits).unwrap_err();
    assert!(
        matches!(err, ExtractError::Timeout(d) if d == Duration::from_millis(1)),
        "{err}"
    );
    assert!(err.to_string().contains("超时"));
}

// ---------------------------------------------------------------- hostile input

#[test]
fn zero_byte_file_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.txt", "a.md", "a.docx", "a.pdf", "a.html"] {
        let p = write(dir.path(), name, b"");
        let err = extract(&p).unwrap_err();
        assert!(matches!(err, ExtractError::Empty), "{name}: {err}");
        assert_eq!(err.to_string(), "空文件 / empty file");
    }
}

#[test]
fn missing_file_is_io_error() {
    let err = extract_file(
        Path::new("/nonexistent/x.txt"),
        Format::Text,
        &Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ExtractError::Io(_)), "{err}");
    assert!(err.to_string().starts_with("读取失败 / cannot read:"));
}

#[test]
fn binary_named_txt_is_binary() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = fastrand::Rng::with_seed(7);
    let random: Vec<u8> = (0..20_000).map(|_| rng.u8(..)).collect();
    let p = write(dir.path(), "random.txt", &random);
    assert!(matches!(extract(&p), Err(ExtractError::Binary)));
    // An executable-like header followed by zero padding.
    let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
    elf.resize(4096, 0);
    let p = write(dir.path(), "prog.txt", &elf);
    let err = extract(&p).unwrap_err();
    assert!(matches!(err, ExtractError::Binary), "{err}");
    assert_eq!(
        err.to_string(),
        "二进制数据，不是文本 / binary data, not text"
    );
}

#[test]
fn truncated_docx_is_bad_zip() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = docx(&w_doc(&w_p(&"正文内容".repeat(2000))), None);
    let p = write(dir.path(), "cut.docx", &bytes[..bytes.len() / 2]);
    let err = extract(&p).unwrap_err();
    assert!(
        matches!(err, ExtractError::BadZip { format: "docx", .. }),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("不是有效的 docx（zip 损坏）/ not a valid .docx (broken zip): "),
        "{err}"
    );
}

#[test]
fn not_a_zip_docx_is_bad_zip() {
    let dir = tempfile::tempdir().unwrap();
    // Bytes that are not text either (text would be read as text).
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let p = write(dir.path(), "fake.docx", &noise);
    let err = extract(&p).unwrap_err();
    assert!(matches!(err, ExtractError::BadZip { .. }), "{err}");
    assert!(!err.to_string().contains('\n'));
}

#[test]
fn zip_without_document_xml_is_invalid() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"hi").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let err = extract_bytes(&bytes, Format::Docx, &Limits::default()).unwrap_err();
    assert!(
        matches!(err, ExtractError::Invalid { format: "docx", .. }),
        "{err}"
    );
    assert!(err.to_string().contains("word/document.xml"), "{err}");
}

#[test]
fn broken_xml_in_docx_is_bad_xml() {
    let bytes = docx("<w:document><w:body><w:p></w:body>", None);
    let err = extract_bytes(&bytes, Format::Docx, &Limits::default()).unwrap_err();
    assert!(
        matches!(&err, ExtractError::BadXml { part, .. } if part == "word/document.xml"),
        "{err}"
    );
}

#[test]
fn zip_bomb_docx_fails_fast_with_too_large() {
    // ~1 GiB of zeros deflates to about 1 MiB.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bomb.docx");
    {
        let file = std::fs::File::create(&p).unwrap();
        let mut zip = zip::ZipWriter::new(file);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1));
        zip.start_file("word/document.xml", opts).unwrap();
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..1024 {
            zip.write_all(&chunk).unwrap();
        }
        zip.finish().unwrap();
    }
    assert!(std::fs::metadata(&p).unwrap().len() < 16 << 20);
    let start = Instant::now();
    let err = extract(&p).unwrap_err();
    assert!(matches!(err, ExtractError::TooLarge(_)), "{err}");
    assert!(err.to_string().contains("word/document.xml"), "{err}");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );

    // With a cap below the real size the reader stops at the cap too.
    let limits = Limits {
        max_zip_member_bytes: 1 << 20,
        ..Limits::default()
    };
    let err = extract_file(&p, Format::Docx, &limits).unwrap_err();
    assert!(matches!(err, ExtractError::TooLarge(_)), "{err}");
}

#[test]
fn too_many_zip_members_is_too_large() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..20 {
        zip.start_file(format!("m{i}"), opts).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    let limits = Limits {
        max_zip_members: 10,
        ..Limits::default()
    };
    let err = extract_bytes(&bytes, Format::Docx, &limits).unwrap_err();
    assert!(matches!(err, ExtractError::TooLarge(_)), "{err}");
}

#[test]
fn md_with_nuls_and_invalid_bytes_keeps_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = "# 关于加强公文管理的通知\n\n各单位要认真做好公文处理工作，"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b"\0\0\xff\xc3");
    bytes.extend_from_slice("确保公文安全、准确、及时。\n".as_bytes());
    let p = write(dir.path(), "dirty.md", &bytes);
    let got = extract(&p).unwrap();
    assert_eq!(got.quality.encoding.as_deref(), Some("UTF-8"));
    assert!(!got.text.contains('\0'));
    assert!(got.text.contains("各单位要认真做好公文处理工作"));
    assert!(got.text.contains("确保公文安全、准确、及时。"));
    assert_eq!(got.quality.replacement_chars, 2);
    assert_eq!(got.title.as_deref(), Some("关于加强公文管理的通知"));
    assert!(got.quality.note.as_deref().unwrap().contains("NUL"));
}

#[test]
fn gbk_markdown_with_front_matter() {
    let dir = tempfile::tempdir().unwrap();
    let md = "---\n标题: 关于召开年度工作会议的通知\n发文机关: 市人民政府办公室\n---\n\n## 一、会议时间\n\n请各部门**按时**参加。\n";
    let (bytes, _, bad) = encoding_rs::GBK.encode(md);
    assert!(!bad);
    let p = write(dir.path(), "gbk.md", &bytes);
    let got = extract(&p).unwrap();
    assert_eq!(got.quality.encoding.as_deref(), Some("GBK"));
    assert_eq!(got.title.as_deref(), Some("关于召开年度工作会议的通知"));
    assert_eq!(
        got.front_matter.as_deref(),
        Some("标题: 关于召开年度工作会议的通知\n发文机关: 市人民政府办公室\n")
    );
    assert!(
        got.text.contains("一、会议时间\n请各部门按时参加。\n"),
        "{:?}",
        got.text
    );
    assert!(got.text.contains("市人民政府办公室\n"));
    assert!(!got.text.contains("**") && !got.text.contains("##"));
}

#[test]
fn markdown_title_falls_back_to_heading_then_line() {
    let l = Limits::default();
    let got = extract_bytes(
        "正文第一行\n\n# 真正的标题\n".as_bytes(),
        Format::Markdown,
        &l,
    )
    .unwrap();
    assert_eq!(got.title.as_deref(), Some("真正的标题"));
    let got = extract_bytes(
        "第一行就是标题\n\n第二段\n".as_bytes(),
        Format::Markdown,
        &l,
    )
    .unwrap();
    assert_eq!(got.title.as_deref(), Some("第一行就是标题"));
}

#[test]
fn real_law_markdown() {
    let Some(dir) = shared_corpus("laws") else {
        return;
    };
    let p = walk_first_md(&dir).expect("a law");
    let got = extract(&p).unwrap();
    assert!(got.title.is_some(), "{}", p.display());
    assert!(!got.text.contains("<!--"), "{}", p.display());
}

fn walk_first_md(dir: &Path) -> Option<PathBuf> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)
            .ok()?
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md") {
                return Some(p);
            }
        }
    }
    None
}

#[test]
fn huge_text_file_is_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = String::from("开头的标题\n");
    while s.len() < 3 << 20 {
        s.push_str("这是一个很长的文件的一行内容。\n");
    }
    s.push_str("结尾的暗号\n");
    let p = write(dir.path(), "huge.txt", s.as_bytes());
    let limits = Limits {
        max_file_bytes: 1 << 20,
        ..Limits::default()
    };
    let got = extract_file(&p, Format::Text, &limits).unwrap();
    assert!(got.quality.truncated);
    assert!(got.text.len() <= 1 << 20);
    assert!(!got.text.contains("结尾的暗号"));
    assert_eq!(got.quality.replacement_chars, 0);
    assert_eq!(got.title.as_deref(), Some("开头的标题"));
    assert!(got.quality.note.as_deref().unwrap().contains("truncated"));
}

#[test]
fn hash_of_the_bytes_read_for_extraction_is_the_file_hash() {
    use gongwen::archive::extract::read_file;
    use gongwen::archive::index::{content_hash, content_hash_of};
    let dir = tempfile::tempdir().unwrap();
    let text = "开头的标题\n".to_string() + &"一行内容。\n".repeat(2000);
    let p = write(dir.path(), "a.txt", text.as_bytes());
    // Read whole, and cut at a cap (the rest is read again for the hash).
    for cap in [u64::MAX >> 1, 1000] {
        let limits = Limits {
            max_file_bytes: cap,
            ..Limits::default()
        };
        let file = read_file(&p, Format::Text, &limits).unwrap();
        assert_eq!(file.truncated, cap == 1000);
        assert_eq!(content_hash_of(&p, &file), content_hash(&p));
        assert_eq!(content_hash(&p).len(), 32);
    }
    // Another file's hash differs.
    let q = write(dir.path(), "b.txt", b"x");
    assert_ne!(content_hash(&q), content_hash(&p));
}

#[test]
fn garbage_pdf_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = fastrand::Rng::with_seed(42);
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..50_000).map(|_| rng.u8(..)));
    let p = write(dir.path(), "garbage.pdf", &bytes);
    let err = extract(&p).unwrap_err();
    assert!(
        matches!(err, ExtractError::Pdf(_) | ExtractError::Panic(_)),
        "{err}"
    );
    assert!(!err.to_string().contains('\n'));
    // Without the `%PDF-` signature, text is read as text (with a note).
    let p = write(dir.path(), "text.pdf", "只是文本".as_bytes());
    let x = extract(&p).unwrap();
    assert_eq!(x.text.trim(), "只是文本");
    assert!(x.quality.note.unwrap().contains("named .pdf"));
}

/// A one-page PDF whose content stream is `content`, with Helvetica as
/// font `/F1`. An empty `content` draws nothing: what a scan without OCR
/// looks like to a text extractor.
fn one_page_pdf(content: &str) -> Vec<u8> {
    pdf_with_font(
        content,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        &[],
    )
}

/// A one-page PDF drawing `content` with `font` as `/F1` (object 5);
/// `extra` objects are numbered from 6.
fn pdf_with_font(content: &str, font: &str, extra: &[&str]) -> Vec<u8> {
    let stream = format!(
        "<< /Length {} >>\nstream\n{content}\nendstream",
        content.len()
    );
    let objects: Vec<String> = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        stream,
        font.to_string(),
    ]
    .into_iter()
    .chain(extra.iter().map(|o| o.to_string()))
    .collect::<Vec<_>>();
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

const HELLO: &str = "BT /F1 12 Tf 72 720 Td (Archive of official documents) Tj ET";

/// `pdf` encrypted (RC4, 128-bit) with `user_password`.
fn encrypt_pdf(pdf: &[u8], user_password: &str) -> Vec<u8> {
    use pdf_extract::{Document, EncryptionState, EncryptionVersion, Permissions};
    let mut doc = Document::load_mem(pdf).unwrap();
    let version = EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password,
        key_length: 128,
        permissions: Permissions::all(),
    };
    let state = EncryptionState::try_from(version).unwrap();
    doc.encrypt(&state).unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn generated_pdf_text_pages_and_title() {
    let got = extract_bytes(&one_page_pdf(HELLO), Format::Pdf, &Limits::default()).unwrap();
    assert!(
        got.text.contains("Archive of official documents"),
        "{:?}",
        got.text
    );
    assert_eq!(got.quality.pages, Some(1));
    assert_eq!(got.title.as_deref(), Some("Archive of official documents"));
}

#[test]
fn encrypted_pdf() {
    let locked = encrypt_pdf(&one_page_pdf(HELLO), "secret");
    let err = extract_bytes(&locked, Format::Pdf, &Limits::default()).unwrap_err();
    assert!(matches!(err, ExtractError::Encrypted), "{err}");
    assert_eq!(
        err.to_string(),
        "已加密，需要密码 / encrypted (password required)"
    );
    // An empty user password (only an owner password) opens without asking.
    let open = encrypt_pdf(&one_page_pdf(HELLO), "");
    let got = extract_bytes(&open, Format::Pdf, &Limits::default()).unwrap();
    assert!(
        got.text.contains("Archive of official documents"),
        "{:?}",
        got.text
    );
}

#[test]
fn pdf_without_text_is_no_text_layer() {
    let err = extract_bytes(&one_page_pdf(""), Format::Pdf, &Limits::default()).unwrap_err();
    assert!(
        matches!(err, ExtractError::NoTextLayer { pages: 1, chars: 0 }),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("无文字层（扫描件？）/ no text layer (scanned?)"),
        "{err}"
    );
}

#[test]
fn gbk_html_file() {
    let dir = tempfile::tempdir().unwrap();
    let html = "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
                <title>国务院办公厅关于印发通知的通知</title><style>p{color:red}</style></head>\
                <body><h1>通知</h1><p>各省、自治区、直辖市人民政府：</p><p>现将<a href=\"/x.html\">有关文件</a>印发给你们。</p></body></html>";
    let (bytes, _, _) = encoding_rs::GBK.encode(html);
    let p = write(dir.path(), "page.htm", &bytes);
    let got = extract(&p).unwrap();
    assert_eq!(got.format, Format::Html);
    assert_eq!(got.quality.encoding.as_deref(), Some("GBK"));
    assert_eq!(got.title.as_deref(), Some("国务院办公厅关于印发通知的通知"));
    assert!(
        got.text.contains("各省、自治区、直辖市人民政府："),
        "{:?}",
        got.text
    );
    assert!(
        got.text.contains("现将有关文件印发给你们。"),
        "{:?}",
        got.text
    );
    assert!(
        !got.text.contains("color") && !got.text.contains("x.html"),
        "{:?}",
        got.text
    );
}

/// Every file of the shared corpus (3,500+ files): no panics, no timeouts,
/// every law, report, .docx and PDF yields text. Slow in debug builds, so
/// run on demand: `cargo test --test it extract::sweep -- --ignored --nocapture`.
#[test]
#[ignore]
fn sweep_whole_corpus() {
    let Some(root) = shared_corpus("") else {
        return;
    };
    let start = Instant::now();
    let mut stack = vec![root];
    let (mut ok, mut failed) = (0usize, Vec::new());
    let mut by_encoding = std::collections::BTreeMap::<String, usize>::new();
    let mut by_format = std::collections::BTreeMap::<&str, (usize, Duration)>::new();
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let Some(format) = Format::from_path(&p) else {
                continue;
            };
            let t0 = Instant::now();
            let r = extract_file(&p, format, &Limits::default());
            let slot = by_format.entry(format.name()).or_default();
            slot.0 += 1;
            slot.1 += t0.elapsed();
            match r {
                Ok(x) => {
                    ok += 1;
                    *by_encoding
                        .entry(x.quality.encoding.unwrap_or_else(|| "-".into()))
                        .or_default() += 1;
                    assert!(!x.text.contains('\0'), "{}", p.display());
                }
                Err(e) => failed.push((p, e)),
            }
        }
    }
    eprintln!(
        "{ok} extracted, {} failed in {:?}; encodings {by_encoding:?}",
        failed.len(),
        start.elapsed()
    );
    eprintln!("(files, time) by format: {by_format:?}");
    for (p, e) in &failed {
        eprintln!("  {}: {e}", p.display());
    }
    assert!(failed.is_empty());
}

#[test]
fn pdf_extract_panic_becomes_error() {
    // A CID font without the FontDescriptor that PDF 1.7 §9.7.4 requires:
    // pdf-extract panics ("required") on it.
    let font = "<< /Type /Font /Subtype /Type0 /BaseFont /Foo /Encoding /Identity-H /DescendantFonts [6 0 R] >>";
    let cid = "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Foo /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>";
    let pdf = pdf_with_font("BT /F1 12 Tf 72 720 Td <00410042> Tj ET", font, &[cid]);
    let err = extract_bytes(&pdf, Format::Pdf, &Limits::default()).unwrap_err();
    assert!(
        matches!(&err, ExtractError::Panic(m) if m == "required"),
        "{err}"
    );
    assert_eq!(err.to_string(), "解析器崩溃 / extractor panicked: required");
}

#[test]
fn pdf_with_unmapped_cid_font_is_unmapped() {
    // Identity-H CID font with no ToUnicode CMap: the glyph codes say
    // nothing about the characters (PDF 1.7 §9.10.2).
    let font = "<< /Type /Font /Subtype /Type0 /BaseFont /Foo /Encoding /Identity-H /DescendantFonts [6 0 R] >>";
    let cid = "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Foo /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R >>";
    let fd = "<< /Type /FontDescriptor /FontName /Foo /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>";
    let pdf = pdf_with_font(
        "BT /F1 12 Tf 72 720 Td <4E2D6587516C65876863684F> Tj ET",
        font,
        &[cid, fd],
    );
    let err = extract_bytes(&pdf, Format::Pdf, &Limits::default()).unwrap_err();
    assert!(
        matches!(err, ExtractError::Unmapped { bad: 12, total: 12 }),
        "{err}"
    );
    assert!(err.to_string().contains("unmapped glyphs"), "{err}");
}

/// A text file renamed `.pdf` or `.docx` is read as text, with a note
/// naming the mismatch (trial 27: failed as "invalid file header", so search
/// missed what grep found); bytes that are neither fail as before.
#[test]
fn text_named_as_a_container_is_read_as_text() {
    let text = "关于仲裁工作的通知\n仲裁委员会：\n现就仲裁事项通知如下。\n".as_bytes();
    for format in [Format::Pdf, Format::Docx, Format::Ofd] {
        let x = extract_bytes(text, format, &Limits::default()).unwrap();
        assert!(x.text.contains("现就仲裁事项通知如下"), "{format:?}");
        let note = x.quality.note.unwrap_or_default();
        assert!(
            note.contains(&format!("named .{} but holds plain text", format.name())),
            "{note}"
        );
    }
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert!(matches!(
        extract_bytes(&noise, Format::Pdf, &Limits::default()),
        Err(ExtractError::Pdf(_))
    ));
}
