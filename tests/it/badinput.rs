//! Bad input never stops a batch: each broken file gets a one-line reason in
//! the `gongwen index` summary, the run exits 0, and good files beside the
//! bad ones are found. Runs the real binary in a temp dir per test.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::gongwen_bin;
use crate::reindex::{count, gw, ok, search_count, stderr, stdout, total};

fn write(p: &Path, bytes: &[u8]) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, bytes).unwrap();
}

/// A small valid .docx whose only paragraph is `text`.
fn docx(text: &str) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("[Content_Types].xml", o).unwrap();
    z.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#).unwrap();
    z.start_file("word/document.xml", o).unwrap();
    write!(
        z,
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#
    )
    .unwrap();
    z.finish().unwrap();
    buf.into_inner()
}

/// A .docx zip bomb: `word/document.xml` inflates to 300 MiB of paragraphs
/// (over the 256 MiB `max_zip_member_bytes` cap) from about 1 MB on disk.
fn docx_bomb(path: &Path) {
    let f = fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    z.start_file("[Content_Types].xml", o).unwrap();
    z.write_all(b"<Types/>").unwrap();
    z.start_file("word/document.xml", o).unwrap();
    let chunk = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>".repeat(30_000);
    let mut n = 0;
    while n < 300 << 20 {
        z.write_all(&chunk).unwrap();
        n += chunk.len();
    }
    z.finish().unwrap();
}

/// A one-page PDF (Helvetica) drawing `content`, with a correct xref table.
pub fn one_page_pdf(content: &str) -> Vec<u8> {
    let stream = format!(
        "<< /Length {} >>\nstream\n{content}\nendstream",
        content.len()
    );
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        stream,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
    ];
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
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// `pdf` encrypted (RC4, 128-bit) with a user password.
fn encrypted_pdf(pdf: &[u8]) -> Vec<u8> {
    use pdf_extract::{Document, EncryptionState, EncryptionVersion, Permissions};
    let mut doc = Document::load_mem(pdf).unwrap();
    let version = EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password: "secret",
        key_length: 128,
        permissions: Permissions::all(),
    };
    doc.encrypt(&EncryptionState::try_from(version).unwrap())
        .unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A path under `dir` whose file name is `name` encoded in GBK (not UTF-8).
#[cfg(unix)]
fn gbk_name(dir: &Path, name: &str) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    let (bytes, _, _) = encoding_rs::GBK.encode(name);
    assert!(std::str::from_utf8(&bytes).is_err());
    dir.join(std::ffi::OsString::from_vec(bytes.into_owned()))
}

/// The summary line for `file` (`  <path>: <reason>`, `file` as the indexer
/// shows it: under the canonical root), which must be one line and contain
/// `reason`.
fn assert_failed(summary: &str, file: &Path, reason: &str) {
    let shown = format!("  {}: ", file.display());
    let line = summary
        .lines()
        .find(|l| l.starts_with(&shown))
        .unwrap_or_else(|| panic!("no failure line for {}:\n{summary}", file.display()));
    assert!(
        line.contains(reason),
        "reason for {} should contain {reason:?}: {line}",
        file.display()
    );
}

/// Whether the current user can read a file after `chmod 000` (root can).
#[cfg(unix)]
fn chmod_000_blocks_reading(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(p, fs::Permissions::from_mode(0o000)).unwrap();
    fs::read(p).is_err()
}

#[cfg(unix)]
#[test]
fn a_batch_of_bad_inputs_is_reported_line_by_line_and_good_files_are_found() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let d = dir.join("archive");
    // Good files.
    write(
        &d.join("good.txt"),
        "关于做好冬季供暖保障工作的通知\n\n各单位要确保群众温暖过冬。\n".as_bytes(),
    );
    write(&d.join("ok.docx"), &docx("关于加强档案数字化管理的意见"));
    write(
        &d.join("ok.pdf"),
        &one_page_pdf("BT /F1 12 Tf 72 720 Td (Archive digitisation guideline) Tj ET"),
    );
    // Damaged-but-usable text: indexed, with a quality note.
    let mut nul = "# 关于停电检修的通知\n\n正文包含\0空字节和"
        .as_bytes()
        .to_vec();
    nul.extend_from_slice(b"\xff\xfe\x80");
    nul.extend_from_slice("无效字节的段落里有防汛物资。\n".as_bytes());
    write(&d.join("nul.md"), &nul);
    let (gbk, _, _) = encoding_rs::GBK.encode("# 关于粮食储备的通知\n\n做好秋粮收购储备工作。\n");
    write(&d.join("gbk.md"), &gbk);
    let gbk_named = gbk_name(&d, "节能宣传周.txt");
    write(&gbk_named, "关于开展节能宣传活动的通知\n".as_bytes());
    let mut deep = d.clone();
    for i in 0..120 {
        deep.push(format!("层{i}"));
    }
    write(
        &deep.join("deep.txt"),
        "最深处的文件记载了水利工程验收。\n".as_bytes(),
    );
    // Bad files.
    write(&d.join("empty.txt"), b"");
    write(&d.join("empty.md"), b"");
    write(&d.join("empty.docx"), b"");
    write(&d.join("empty.zip"), b"");
    write(&d.join("empty.pdf"), b"");
    write(
        &d.join("binary.txt"),
        &(0..8192u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect::<Vec<_>>(),
    );
    let full = docx("完整的文件");
    write(&d.join("truncated.docx"), &full[..full.len() / 2]);
    write(&d.join("notzip.docx"), "这不是一个 zip 文件".as_bytes());
    docx_bomb(&d.join("bomb.docx"));
    let mut garbage = b"%PDF-1.7\n".to_vec();
    garbage.extend((0..3000u32).map(|i| (i.wrapping_mul(40_503) >> 3) as u8));
    write(&d.join("garbage.pdf"), &garbage);
    write(
        &d.join("encrypted.pdf"),
        &encrypted_pdf(&one_page_pdf("BT /F1 12 Tf 72 720 Td (Top secret) Tj ET")),
    );
    std::os::unix::fs::symlink("..", d.join("loop")).unwrap();
    std::os::unix::fs::symlink("gone.txt", d.join("dangling.txt")).unwrap();
    // Links to a file and a folder inside the archive: indexed once, under
    // their own paths.
    write(
        &d.join("sub/链接目标.txt"),
        "只应收录一次的文件\n".as_bytes(),
    );
    std::os::unix::fs::symlink("sub", d.join("sublink")).unwrap();
    std::os::unix::fs::symlink("sub/链接目标.txt", d.join("filelink.txt")).unwrap();
    let secret = d.join("secret.txt");
    write(&secret, "不可读的文件中有机要内容\n".as_bytes());
    let unreadable = chmod_000_blocks_reading(&secret);
    if !unreadable {
        eprintln!(
            "skipped: chmod 000 does not stop this user (root?) from reading; the unreadable-file case is not checked"
        );
    }

    let o = gw(dir, &["index", "--verbose", "archive"]);
    let s = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{s}\n{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    let d = fs::canonicalize(&d).unwrap();
    assert_failed(&s, &d.join("empty.txt"), "empty file");
    assert_failed(&s, &d.join("empty.md"), "empty file");
    assert_failed(&s, &d.join("empty.docx"), "empty file");
    assert_failed(&s, &d.join("empty.zip"), "empty file");
    assert_failed(&s, &d.join("empty.pdf"), "empty file");
    assert_failed(&s, &d.join("binary.txt"), "binary data, not text");
    assert_failed(
        &s,
        &d.join("truncated.docx"),
        "not a valid .docx (broken zip)",
    );
    // Text saved under a .docx name is read as text, with a warning.
    let shown = format!("  {}: ", d.join("notzip.docx").display());
    assert!(
        s.lines()
            .any(|l| l.starts_with(&shown) && l.contains("named .docx but holds plain text")),
        "{s}"
    );
    assert_failed(&s, &d.join("bomb.docx"), "max_zip_member_bytes");
    assert_failed(&s, &d.join("garbage.pdf"), "cannot parse PDF");
    assert_failed(
        &s,
        &d.join("encrypted.pdf"),
        "encrypted (password required)",
    );
    assert_failed(&s, &d.join("loop"), "symlink loop");
    assert_failed(&s, &d.join("dangling.txt"), "broken symbolic link");
    let mut failures = 10; // the 11 bad files but notzip.docx, read as text
    if unreadable {
        assert_failed(&s, &d.join("secret.txt"), "cannot read");
        failures += 1;
    }
    assert_eq!(count(&s, "failed"), failures, "{s}");
    // The link loop and the broken link are not files: counted apart.
    assert_eq!(count(&s, "unreachable"), 2, "{s}");
    // Failed files are recorded too (status "failed"), so every supported file is a document.
    let files = 7 + 11 + 1 + 1; // good + bad + secret.txt + the linked file
    assert_eq!(count(&s, "seen"), files, "{s}");
    // Failed new files are counted as failed, not as added: the counts add up.
    assert_eq!(count(&s, "added") + count(&s, "failed"), files, "{s}");
    assert_eq!(total(&s), files, "{s}");

    for phrase in [
        "冬季供暖保障",
        "档案数字化管理",
        "Archive digitisation",
        "秋粮收购储备",
        "节能宣传活动",
        "水利工程验收",
        "防汛物资",
        "空字节和",
    ] {
        assert_eq!(search_count(dir, phrase), (0, 1), "{phrase}");
    }
    assert_eq!(search_count(dir, "只应收录一次的文件"), (0, 1));
    assert_eq!(search_count(dir, "这不是一个"), (0, 1));
    // Nothing of the broken files leaks into the text.
    assert_eq!(search_count(dir, "Top secret"), (1, 0));
    if unreadable {
        assert_eq!(search_count(dir, "机要内容"), (1, 0));
    }

    // The GBK-named file is shown readably, and its quality notes are kept.
    let o = gw(dir, &["search", "--json", "节能宣传活动"]);
    let hit: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(
        hit["path"].as_str().unwrap(),
        d.join("节能宣传周.txt").display().to_string()
    );
    let o = gw(dir, &["search", "--json", "防汛物资"]);
    let hit: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(hit["quality"]["replacement_chars"], 3, "{hit}");
    assert!(
        hit["quality"]["note"].as_str().unwrap().contains("NUL"),
        "{hit}"
    );
    let o = gw(dir, &["search", "--json", "秋粮收购储备"]);
    let hit: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(hit["quality"]["encoding"], "GBK", "{hit}");

    // A second run re-extracts nothing (failed files are remembered by size
    // and mtime); only the symlink loop and the broken link are reported
    // again.
    let s = ok(dir, &["index", "--verbose"]);
    assert_eq!(
        (
            count(&s, "added"),
            count(&s, "unchanged"),
            count(&s, "failed") + count(&s, "unreachable")
        ),
        (0, files, 2 + usize::from(unreadable)),
        "{s}"
    );
    assert_failed(&s, &d.join("loop"), "symlink loop");
    assert_failed(&s, &d.join("dangling.txt"), "broken symbolic link");
    // `status` does not call the index simply up to date while it lists
    // paths it cannot read.
    let st = ok(dir, &["status"]);
    assert!(
        st.contains(&format!("! {}: ", d.join("dangling.txt").display())),
        "{st}"
    );
    assert!(st.contains("2 path(s) cannot be read"), "{st}");
    assert_eq!(count(&st, "unreachable"), 2, "{st}");

    // The GBK-named file round-trips through its lossless key: status shows
    // it readably, and deleting it removes it.
    fs::remove_file(&gbk_named).unwrap();
    let st = ok(dir, &["status"]);
    assert!(
        st.contains(&format!("- {}", d.join("节能宣传周.txt").display())),
        "{st}"
    );
    let s = ok(dir, &["index"]);
    assert_eq!(count(&s, "removed"), 1, "{s}");
    assert_eq!(search_count(dir, "节能宣传活动"), (1, 0));
}

/// Peak resident set size of `gongwen ARGS` in KiB via `/usr/bin/time -f %M`,
/// with its stdout; `None` when /usr/bin/time is missing.
fn peak_rss_kib(dir: &Path, args: &[&str]) -> Option<(u64, String)> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        eprintln!("skipped: /usr/bin/time is missing; memory is not measured");
        return None;
    }
    let report = dir.join("rss.txt");
    let o = Command::new(time)
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&report)
        .arg(gongwen_bin())
        .arg("--index")
        .arg(dir.join("ix"))
        .args(args)
        .current_dir(dir)
        .env_remove("GONGWEN_INDEX")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stdout(&o), stderr(&o));
    let kib = fs::read_to_string(&report)
        .unwrap()
        .trim()
        .lines()
        .last()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    Some((kib, stdout(&o)))
}

#[test]
fn a_200_mb_text_file_is_indexed_with_bounded_memory() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let d = dir.join("archive");
    write(
        &d.join("good.txt"),
        "关于做好冬季供暖保障工作的通知\n".as_bytes(),
    );
    {
        let mut f = std::io::BufWriter::new(fs::File::create(d.join("huge.txt")).unwrap());
        let line = "各地区各部门要认真贯彻落实党中央国务院决策部署，统筹发展和安全。\n".repeat(4);
        let mut n = 0;
        while n < 200 << 20 {
            f.write_all(line.as_bytes()).unwrap();
            n += line.len();
        }
        f.write_all("文件末尾的一句话不会被索引。\n".as_bytes())
            .unwrap();
    }
    let Some((kib, s)) = peak_rss_kib(dir, &["index", "archive"]) else {
        return;
    };
    eprintln!("peak RSS {} MB", kib / 1024);
    assert_eq!((count(&s, "added"), count(&s, "failed")), (2, 0), "{s}");
    assert_eq!(search_count(dir, "冬季供暖保障"), (0, 1));
    assert_eq!(search_count(dir, "统筹发展和安全"), (0, 1));
    // Only the head is indexed, and the hit says so.
    assert_eq!(search_count(dir, "文件末尾的一句话"), (1, 0));
    let o = gw(dir, &["search", "--json", "统筹发展和安全"]);
    let hit: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(hit["quality"]["truncated"], true, "{hit}");
    assert!(kib < 500 * 1024, "peak RSS {} MB ≥ 500 MB", kib / 1024);
}

/// Run `gongwen --index <dir>/ix ARGS` in `dir` as user `uid` (when given).
#[cfg(unix)]
fn gw_as(dir: &Path, uid: Option<u32>, args: &[&str]) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut c = Command::new(gongwen_bin());
    c.current_dir(dir)
        .env_remove("GONGWEN_INDEX")
        .arg("--index")
        .arg(dir.join("ix"))
        .args(args);
    if let Some(u) = uid {
        c.uid(u).gid(u);
    }
    c.output().unwrap()
}

/// Unreadable files fail with a reason; an unreadable folder is reported and
/// its documents are kept, never taken as deleted. As root, where
/// `chmod 000` does not stop reading, the binary runs as user `nobody`
/// (65534) instead.
#[cfg(unix)]
#[test]
fn unreadable_file_fails_and_unreadable_folder_keeps_its_documents() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let root_user = fs::metadata(dir).unwrap().uid() == 0;
    let uid = root_user.then_some(65_534);
    let mode = |p: &Path, m: u32| fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
    let d = dir.join("archive");
    write(
        &d.join("good.txt"),
        "关于做好冬季供暖保障工作的通知\n".as_bytes(),
    );
    write(
        &d.join("locked/inner.txt"),
        "锁定目录里的会议安排通知\n".as_bytes(),
    );
    write(
        &d.join("secret.txt"),
        "不可读的文件中有机要内容\n".as_bytes(),
    );
    for p in [dir, &d, &d.join("locked")] {
        mode(p, 0o777);
    }
    let o = gw_as(dir, uid, &["index", "archive"]);
    let s = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{s}\n{}", stderr(&o));
    assert_eq!((count(&s, "added"), count(&s, "failed")), (3, 0), "{s}");

    // Make the file look changed so that it is read again, then lock it and the folder.
    let f = fs::File::options()
        .write(true)
        .open(d.join("secret.txt"))
        .unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    drop(f);
    mode(&d.join("secret.txt"), 0o000);
    mode(&d.join("locked"), 0o000);
    if !root_user && fs::read(d.join("secret.txt")).is_ok() {
        eprintln!("skipped: chmod 000 does not stop this user from reading");
        return;
    }
    let o = gw_as(dir, uid, &["index", "--verbose", "archive"]);
    let s = stdout(&o);
    mode(&d.join("locked"), 0o755);
    assert_eq!(o.status.code(), Some(0), "{s}\n{}", stderr(&o));
    let d = fs::canonicalize(&d).unwrap();
    assert_failed(&s, &d.join("secret.txt"), "cannot read");
    assert_failed(&s, &d.join("locked"), "cannot read");
    assert_eq!(count(&s, "removed"), 0, "{s}");
    assert_eq!(total(&s), 3, "{s}");
    // The old version of the unreadable file is kept, and so is the document in the locked folder.
    assert_eq!(search_count(dir, "机要内容"), (0, 1));
    assert_eq!(search_count(dir, "锁定目录里的会议安排"), (0, 1));
}

/// `gongwen status | head -1`: the reader goes away while gongwen still has
/// ~200 KB to print. The process must end quietly (killed by SIGPIPE, like
/// other Unix tools), never panic with "failed printing to stdout".
#[cfg(unix)]
#[test]
fn output_into_a_closed_pipe_ends_quietly_without_a_panic() {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let docs = dir.join("docs");
    write(&docs.join("a.txt"), "防汛值班".as_bytes());
    ok(dir, &["index", "docs"]);
    for i in 0..3000 {
        write(
            &docs.join(format!("新增的文件夹/第{i:05}号关于某某事项的通知.txt")),
            "通知".as_bytes(),
        );
    }
    let mut child = Command::new(gongwen_bin())
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .arg("--index")
        .arg(dir.join("ix"))
        .arg("status")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    out.read_exact(&mut first).unwrap();
    drop(out); // the reader goes away, like `head` after its lines
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(status.code(), Some(101), "{err}");
    assert!(
        status.signal() == Some(libc::SIGPIPE) || status.success(),
        "{status:?} {err}"
    );
}

/// A mistyped folder or `--index` path: a clear error, exit 2, and nothing
/// created (an empty `.gongwen/` was left behind).
#[test]
fn mistyped_paths_create_nothing() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let o = gw(dir, &["index", "nonexist_dir"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no such file or folder: nonexist_dir"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.join("ix").exists());
    // No PATH for an index that does not exist yet: nothing created either.
    let o = gw(dir, &["index"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the index knows no folders yet"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.join("ix").exists());
    // The index folder given as the folder to index (its files would all be
    // skipped as the index's own): refused.
    fs::create_dir_all(dir.join("ix")).unwrap();
    fs::write(dir.join("ix/通知.txt"), "关于开展检查的通知\n").unwrap();
    let o = gw(dir, &["index", "ix"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is the index folder"), "{}", stderr(&o));
    assert!(!dir.join("ix/gongwen.lock").exists());
    fs::remove_dir_all(dir.join("ix")).unwrap();

    fs::write(dir.join("afile"), "x").unwrap();
    for args in [
        &["--index", "afile", "search", "防汛"][..],
        &["--index", "afile", "index", "."][..],
        &["--index", "afile", "index"][..],
    ] {
        let o = Command::new(gongwen_bin())
            .current_dir(dir)
            .env_remove("GONGWEN_INDEX")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains("afile is a file, not an index folder"),
            "{}",
            stderr(&o)
        );
    }
}

/// Two links pointing at each other are a loop, not a missing target.
#[cfg(unix)]
#[test]
fn link_cycle_is_reported_as_a_loop() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let d = dir.join("archive");
    fs::create_dir_all(&d).unwrap();
    fs::write(d.join("通知.txt"), "关于开展检查的通知\n").unwrap();
    std::os::unix::fs::symlink("loopb", d.join("loopa")).unwrap();
    std::os::unix::fs::symlink("loopa", d.join("loopb")).unwrap();
    let s = ok(dir, &["index", "archive"]);
    let d = fs::canonicalize(&d).unwrap();
    assert_failed(&s, &d.join("loopa"), "symlink loop");
    assert_failed(&s, &d.join("loopb"), "symlink loop");
    assert_eq!(
        (count(&s, "added"), count(&s, "unreachable")),
        (1, 2),
        "{s}"
    );
}

/// A mistyped command line gets a Chinese line saying what kind of mistake
/// it is, above clap's English one naming the value, and exit code 2; so
/// does a `文种:` naming no 文种 in the query.
#[test]
fn usage_errors_say_what_is_wrong_in_chinese_too() {
    let t = tempfile::tempdir().unwrap();
    for (args, zh, en) in [
        (
            &["search", "-n", "-1", "通知"][..],
            "参数值无效",
            "invalid value '-1'",
        ),
        (&["serch", "通知"][..], "未知的命令", "'serch'"),
        (&["search"][..], "缺少必需的参数", "<QUERY>"),
        (&["index", "--bogus"][..], "未知的选项或参数", "'--bogus'"),
    ] {
        let o = gw(t.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.starts_with(&format!("错误 error: {zh}")),
            "{args:?}: {err}"
        );
        assert!(err.contains(en), "{args:?}: {err}");
        assert!(!err.contains('\u{1}'), "{args:?}: {err:?}");
        // The Chinese line itself names what is wrong, not only the kind.
        let first = err.lines().next().unwrap();
        assert!(
            ["“-1”", "“serch”", "<QUERY>", "--bogus"]
                .iter()
                .any(|w| first.contains(w)),
            "{args:?}: {first}"
        );
    }
    fs::create_dir_all(t.path().join("docs")).unwrap();
    fs::write(t.path().join("docs/a.txt"), "关于防汛的通知\n").unwrap();
    ok(t.path(), &["index", "docs"]);
    let o = gw(t.path(), &["search", "防汛", "文种:通告书"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown 文种"), "{}", stderr(&o));
    assert_eq!(search_count(t.path(), "防汛 文种:通知"), (0, 1));
}

/// Output that cannot be written (a full disk: `/dev/full`) is one
/// bilingual error line and exit code 2, not a panic (trial 18).
#[cfg(unix)]
#[test]
fn a_full_disk_on_stdout_is_an_error_not_a_panic() {
    let Ok(full) = fs::File::options().write(true).open("/dev/full") else {
        eprintln!("skipped: no /dev/full");
        return;
    };
    let o = Command::new(gongwen_bin())
        .args(["new", "通知"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("错误 error: 无法写出结果") && err.contains("cannot write the output"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // `check`'s findings lost to a full disk are an error too, said the same
    // way (trial 19: silent, exit 1).
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("d.md");
    fs::write(&draft, "---\n标题: 关于X的通知\n---\n正文\n").unwrap();
    let o = Command::new(gongwen_bin())
        .arg("check")
        .arg(&draft)
        .stdout(fs::File::options().write(true).open("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("错误 error: 无法写出结果"), "{err}");
}

/// Drafting mistakes of trial 20, each one bilingual line naming the file
/// and what to do: a key given twice names both lines (YAML's message named
/// line 2 and said "duplicate" in English only); an output folder that does
/// not exist says so in Chinese too; `发文字号: [2026]3号` is read as text
/// (YAML read a list and stray text) so `check` can say what is wrong.
#[test]
fn drafting_mistakes_are_named_in_chinese_too() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("dup.md");
    fs::write(
        &d,
        "---\n发文机关: 某局\n标题: 关于测试的通知\n主送机关: 各单位\n标题: 再一个\n---\n正文。\n",
    )
    .unwrap();
    let o = gw(t.path(), &["check", d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("dup.md: 第5行：“标题”重复，第3行已有“标题”"),
        "{err}"
    );
    let b = t.path().join("b.md");
    fs::write(
        &b,
        "---\n发文机关: 某局\n发文字号: 某发[2026]3号\n标题: 关于测试的通知\n主送机关: 各单位\n---\n正文。\n",
    )
    .unwrap();
    let o = gw(
        t.path(),
        &["draft", b.to_str().unwrap(), "-o", "nodir/x.docx"],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("无法写入（所在文件夹不存在） cannot write `nodir/x.docx`"),
        "{err}"
    );
    let o = gw(t.path(), &["check", b.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(":3:") && out.contains("GW-DOCNUM-BRACKET"),
        "{out}"
    );
    // `-o` naming an existing folder writes the draft's .docx into it
    // (trial 21: refused as "name it *.docx").
    fs::create_dir(t.path().join("发文")).unwrap();
    gw(t.path(), &["draft", b.to_str().unwrap(), "-o", "发文"]);
    let written = fs::read(t.path().join("发文/b.docx")).unwrap();
    assert_eq!(&written[..2], b"PK");
    let o = gw(t.path(), &["draft", b.to_str().unwrap(), "-o", "收文/"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("收文/: 文件夹不存在"), "{}", stderr(&o));
    // A received document or an empty file given to check (trial 27: told
    // to start the file with `---`).
    fs::write(t.path().join("收文.docx"), docx("关于测试的通知")).unwrap();
    fs::write(t.path().join("空.md"), "\n").unwrap();
    for (name, says) in [
        (
            "收文.docx",
            "这是Word（.docx）、OFD 文件或压缩包，不是 Markdown 草稿",
        ),
        ("空.md", "文件是空的"),
    ] {
        for cmd in ["check", "draft"] {
            let o = gw(t.path(), &[cmd, name]);
            assert_eq!(o.status.code(), Some(2), "{cmd} {name}");
            let err = stderr(&o);
            assert!(
                err.contains(&format!("{name}: ")) && err.contains(says),
                "{err}"
            );
        }
    }
}

/// `index` into a folder that holds other things and no index is refused
/// and writes nothing there (trial 27: added `index/`, `state.json` and a
/// lock beside someone's source files); an index folder with a note beside
/// it is still an index folder.
#[test]
fn an_index_is_not_created_among_other_files() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let gw = |dir: &Path, args: &[&str]| {
        Command::new(gongwen_bin())
            .current_dir(dir)
            .env_remove("GONGWEN_INDEX")
            .args(args)
            .output()
            .unwrap()
    };
    fs::create_dir_all(dir.join("docs")).unwrap();
    fs::write(dir.join("docs/通知.txt"), "关于开展检查的通知\n").unwrap();
    fs::create_dir_all(dir.join("other")).unwrap();
    fs::write(dir.join("other/main.rs"), "fn main() {}\n").unwrap();
    let o = gw(dir, &["--index", "other", "index", "docs"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("other 不是空目录，也不是 gongwen 的索引"),
        "{}",
        stderr(&o)
    );
    let names: Vec<_> = fs::read_dir(dir.join("other")).unwrap().flatten().collect();
    assert_eq!(names.len(), 1);
    // A *folder* named like a system file is someone's data (trial 32).
    fs::create_dir_all(dir.join("dsdir/.DS_Store")).unwrap();
    fs::write(dir.join("dsdir/.DS_Store/data.txt"), "precious\n").unwrap();
    let o = gw(dir, &["--index", "dsdir", "index", "docs"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(fs::read_dir(dir.join("dsdir")).unwrap().count(), 1);
    // Another program's state.json (trial 28: taken for a damaged index,
    // then written over by `--rebuild`): searching says what the folder is,
    // indexing leaves it as it was.
    fs::write(dir.join("other/state.json"), "{\"foo\":1}").unwrap();
    for args in [
        &["--index", "other", "search", "检查"][..],
        &["--index", "other", "index", "--rebuild", "docs"][..],
        // No PATH (trial 29: "the index knows no folders yet").
        &["--index", "other", "index", "--rebuild"][..],
    ] {
        let o = gw(dir, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains("other is not empty and holds no gongwen index"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(
        fs::read(dir.join("other/state.json")).unwrap(),
        b"{\"foo\":1}"
    );
    assert_eq!(fs::read_dir(dir.join("other")).unwrap().count(), 2);
    // An empty folder (but for what file managers leave), then the index
    // with a note beside it.
    fs::create_dir_all(dir.join("ix")).unwrap();
    fs::write(dir.join("ix/Thumbs.db"), b"\0").unwrap();
    let o = gw(dir, &["--index", "ix", "index", "docs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    fs::write(dir.join("ix/说明.txt"), "归档索引\n").unwrap();
    let o = gw(dir, &["--index", "ix", "index", "docs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A folder inside the index is not indexed (trial 31: `index ix/index`
    // walked the index's own files).
    let o = gw(dir, &["--index", "ix", "index", "ix/index"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is the index folder itself or inside it"),
        "{}",
        stderr(&o)
    );
    // The index is still known by its schema when its lock file and
    // state.json are lost (trial 31: refused as another program's folder).
    fs::remove_file(dir.join("ix/gongwen.lock")).unwrap();
    fs::remove_file(dir.join("ix/state.json")).unwrap();
    let o = gw(dir, &["--index", "ix", "search", "--count", "检查"]);
    assert_eq!(stdout(&o).trim(), "1", "{}", stderr(&o));
    let o = gw(dir, &["--index", "ix", "index", "--rebuild", "docs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
