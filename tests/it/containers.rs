//! Zip archives inside the archive (issue 7): members indexed as their own
//! documents under `批次.zip!/成员`, GBK member names, nested zips, zip
//! bombs, a broken `.zip`, and incremental reindexing of a zip as one unit.
//! Zips are built in the test; GBK names are written as ASCII placeholders
//! (so the writer sets no UTF-8 flag) and patched to the raw GBK bytes.

use std::fs;
use std::io::{Cursor, Seek, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

use zip::write::SimpleFileOptions;

use crate::reindex::{count, gw, ok, search_count, stderr, stdout, total};

/// GBK bytes of `s`.
fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(s).0.into_owned()
}

/// Write a zip of `(raw name, bytes)` members (deflated) to `w`. Non-ASCII
/// names are written without the UTF-8 flag, as the raw bytes given.
fn zip_into<W: Write + Seek>(w: W, members: &[(Vec<u8>, Vec<u8>)]) -> W {
    let mut z = zip::ZipWriter::new(w);
    for (name, data) in members {
        let opts =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file(placeholder(name), opts).unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap()
}

/// An ASCII stand-in of the same length for a non-ASCII name.
fn placeholder(name: &[u8]) -> String {
    if name.is_ascii() {
        return String::from_utf8(name.to_vec()).unwrap();
    }
    let h = name
        .iter()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(*b as u32));
    let tag = format!("~{h:08x}");
    let mut s: String = tag.chars().cycle().take(name.len()).collect();
    s.replace_range(0..1, "~");
    s
}

/// Replace every placeholder by its raw name (local and central headers).
fn patch_names(bytes: &mut [u8], members: &[(Vec<u8>, Vec<u8>)]) {
    for (name, _) in members {
        let from = placeholder(name).into_bytes();
        if from == *name {
            continue;
        }
        let mut hits = 0;
        let mut i = 0;
        while i + from.len() <= bytes.len() {
            if bytes[i..i + from.len()] == from[..] {
                bytes[i..i + from.len()].copy_from_slice(name);
                hits += 1;
                i += from.len();
            } else {
                i += 1;
            }
        }
        assert_eq!(hits, 2, "placeholder of {name:x?} found {hits} times");
    }
}

/// A zip in memory with raw member names.
fn zip_bytes(members: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let mut bytes = zip_into(Cursor::new(Vec::new()), members).into_inner();
    patch_names(&mut bytes, members);
    bytes
}

fn member(name: &[u8], text: &str) -> (Vec<u8>, Vec<u8>) {
    (name.to_vec(), text.as_bytes().to_vec())
}

/// Move a file's mtime `secs` seconds into the future (a rewrite must be
/// seen whatever the clock granularity).
fn touch_later(p: &Path, secs: u64) {
    fs::File::options()
        .write(true)
        .open(p)
        .unwrap()
        .set_modified(SystemTime::now() + Duration::from_secs(secs))
        .unwrap();
}

/// `批次.zip`: GBK names without the UTF-8 flag, a nested zip, a picture.
fn batch_zip(notice: &str) -> Vec<u8> {
    let nested = zip_bytes(&[member(
        &gbk("报告.txt"),
        "关于第三季度安全生产情况的报告\n\n本季度未发生较大事故，隐患整改率百分之九十八。\n",
    )]);
    zip_bytes(&[
        member(&gbk("通知.txt"), notice),
        member(
            &gbk("会议纪要.md"),
            "# 专题会议纪要\n\n会议研究了冬春季节森林防灭火工作。\n",
        ),
        (gbk("附件.zip"), nested),
        (
            b"logo.png".to_vec(),
            vec![0x89, b'P', b'N', b'G', 0, 0, 0, 0],
        ),
    ])
}

const NOTICE: &str =
    "关于做好冬季供暖保障工作的通知\n\n各区县：请确保供热管网在十一月十五日前完成检修。\n";

#[test]
fn gbk_member_names_are_found_under_their_chinese_names() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let docs = dir.join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(docs.join("批次.zip"), batch_zip(NOTICE)).unwrap();
    let s = ok(dir, &["index", "docs"]);
    // The zip is one file: added once; its documents are the zip itself
    // (member list) and three members; logo.png is skipped.
    assert_eq!(count(&s, "added"), 1, "{s}");
    assert_eq!(count(&s, "failed"), 0, "{s}");
    assert_eq!(total(&s), 4, "{s}");

    let out = ok(dir, &["search", "供热管网"]);
    assert!(out.contains("批次.zip!/通知.txt"), "{out}");
    let out = ok(dir, &["search", "森林防灭火"]);
    assert!(out.contains("批次.zip!/会议纪要.md"), "{out}");
    let out = ok(dir, &["search", "隐患整改率"]);
    assert!(out.contains("批次.zip!/附件.zip!/报告.txt"), "{out}");
    // The zip's own document lists the member names.
    let out = ok(dir, &["search", "--json", "logo.png"]);
    assert!(out.contains("批次.zip\""), "{out}");

    // `show` takes a member path.
    let out = ok(dir, &["show", "docs/批次.zip!/通知.txt"]);
    assert!(out.contains("关于做好冬季供暖保障工作的通知"), "{out}");
    assert!(out.contains("十一月十五日前完成检修"), "{out}");

    // Nothing stale: members are not "deleted" files.
    let st = ok(dir, &["status"]);
    assert!(!st.contains("!/"), "{st}");
    assert!(st.contains("deleted 0"), "{st}");
}

#[test]
fn zip_bomb_member_is_refused_and_the_others_indexed() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let docs = dir.join("docs");
    fs::create_dir_all(&docs).unwrap();
    // 200 MB of zeros deflate to about 200 KB (ratio ~1000:1), written
    // streaming so the test itself stays small.
    let f = fs::File::create(docs.join("炸弹.zip")).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    z.start_file("正常.txt", opts).unwrap();
    z.write_all("关于规范公文格式的通知\n\n请各单位按照国家标准排版。\n".as_bytes())
        .unwrap();
    z.start_file("零.txt", opts).unwrap();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..200 {
        z.write_all(&chunk).unwrap();
    }
    z.finish().unwrap();
    assert!(fs::metadata(docs.join("炸弹.zip")).unwrap().len() < 1 << 20);

    let o = gw(dir, &["index", "docs"]);
    let s = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{s}{}", stderr(&o));
    let line = s
        .lines()
        .find(|l| l.contains("炸弹.zip!/零.txt"))
        .unwrap_or_else(|| panic!("bomb member not reported:\n{s}"));
    assert!(line.contains("zip bomb suspected"), "{line}");
    // The zip itself is added; its member is counted apart from the files.
    assert_eq!(
        (count(&s, "added"), count(&s, "failed"), count(&s, "zips")),
        (1, 0, 1),
        "{s}"
    );
    assert_eq!(search_count(dir, "按照国家标准排版"), (0, 1));
}

#[test]
fn zip_is_reindexed_as_one_unit() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let docs = dir.join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(docs.join("独立.txt"), "关于开展档案整理工作的通知\n").unwrap();
    let zp = docs.join("批次.zip");
    fs::write(&zp, batch_zip(NOTICE)).unwrap();
    let s = ok(dir, &["index", "docs"]);
    assert_eq!((count(&s, "added"), total(&s)), (2, 5), "{s}");

    // Nothing changed: the zip counts once as unchanged, members untouched.
    let s = ok(dir, &["index", "docs"]);
    assert_eq!(count(&s, "unchanged"), 2, "{s}");
    assert_eq!(count(&s, "removed"), 0, "{s}");
    assert_eq!((count(&s, "added"), count(&s, "updated")), (0, 0), "{s}");
    assert_eq!(total(&s), 5, "{s}");

    // Rewrite: 通知 changed, 会议纪要 removed, 附件.zip untouched.
    let nested = zip_bytes(&[member(
        &gbk("报告.txt"),
        "关于第三季度安全生产情况的报告\n\n本季度未发生较大事故，隐患整改率百分之九十八。\n",
    )]);
    fs::write(
        &zp,
        zip_bytes(&[
            member(
                &gbk("通知.txt"),
                "关于做好冬季供暖保障工作的通知\n\n供热价格听证会定于十二月召开。\n",
            ),
            (gbk("附件.zip"), nested),
        ]),
    )
    .unwrap();
    touch_later(&zp, 5);
    let s = ok(dir, &["index", "docs"]);
    assert_eq!(count(&s, "updated"), 1, "{s}");
    assert_eq!(count(&s, "unchanged"), 1, "{s}");
    assert_eq!(total(&s), 4, "{s}");
    assert_eq!(search_count(dir, "供热价格听证会"), (0, 1));
    assert_eq!(search_count(dir, "供热管网"), (1, 0));
    assert_eq!(search_count(dir, "森林防灭火"), (1, 0));
    assert_eq!(search_count(dir, "隐患整改率"), (0, 1));

    // The zip is gone: so are all its members; status was "deleted 1" first.
    fs::remove_file(&zp).unwrap();
    let st = ok(dir, &["status"]);
    assert!(st.contains("deleted 1"), "{st}");
    assert!(!st.contains("!/"), "{st}");
    let s = ok(dir, &["index", "docs"]);
    assert_eq!(count(&s, "removed"), 1, "{s}");
    assert_eq!(total(&s), 1, "{s}");
    assert_eq!(search_count(dir, "供热价格听证会"), (1, 0));
    assert_eq!(search_count(dir, "隐患整改率"), (1, 0));
    assert_eq!(search_count(dir, "档案整理"), (0, 1));
}

#[test]
fn a_broken_zip_is_one_failed_line_and_the_batch_goes_on() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let docs = dir.join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(docs.join("坏.zip"), b"PK\x03\x04 this is not really a zip").unwrap();
    fs::write(docs.join("好.txt"), "关于表彰先进集体的决定\n").unwrap();
    let s = ok(dir, &["index", "docs"]);
    assert_eq!(count(&s, "failed"), 1, "{s}");
    let line = s
        .lines()
        .find(|l| l.contains("坏.zip"))
        .unwrap_or_else(|| panic!("no line for the broken zip:\n{s}"));
    assert!(line.contains("not a valid .zip"), "{line}");
    assert_eq!(search_count(dir, "表彰先进集体"), (0, 1));
}

/// A zip indexed once and then overwritten by broken bytes keeps its
/// members searchable and is marked failed with the file's new size (it
/// was left as it was, re-read and reported on every run); an empty zip
/// overwritten by junk gets the new failure.
#[test]
fn a_zip_broken_since_keeps_its_members_and_says_so() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let docs = dir.join("docs");
    fs::create_dir_all(&docs).unwrap();
    let zp = docs.join("批次.zip");
    fs::write(&zp, batch_zip(NOTICE)).unwrap();
    let empty = docs.join("空.zip");
    fs::write(&empty, b"").unwrap();
    ok(dir, &["index", "docs"]);
    fs::write(&zp, b"junk bytes, not a zip any more").unwrap();
    fs::write(&empty, b"junk22").unwrap();
    touch_later(&zp, 5);
    touch_later(&empty, 5);
    let s = ok(dir, &["index", "docs"]);
    assert_eq!(count(&s, "failed"), 2, "{s}");
    assert_eq!(search_count(dir, "供热管网"), (0, 1));
    let shown = ok(dir, &["show", "docs/批次.zip"]);
    assert!(
        shown.contains("failed 失败")
            && shown.contains("last good version is still searchable")
            && shown.contains("30 B"),
        "{shown}"
    );
    let shown = ok(dir, &["show", "docs/空.zip"]);
    assert!(
        shown.contains("not a valid .zip") && shown.contains("6 B"),
        "{shown}"
    );
    assert!(!shown.contains("last good version"), "{shown}");
    assert!(ok(dir, &["status"]).contains("the index is up to date"));
    let s = ok(dir, &["index", "docs"]);
    assert_eq!((count(&s, "unchanged"), count(&s, "failed")), (2, 0), "{s}");
    // A hit on a member says its zip is broken now (trial 16: "ok").
    let hit = ok(dir, &["search", "供热管网"]);
    assert!(
        hit.contains("! 失败 failed: 所在的压缩包读取失败 / its zip could not be read: "),
        "{hit}"
    );
    // The same in the catalogue and in `status --quality` (trial 17: "ok").
    let csv = ok(dir, &["catalog"]);
    let member_rows: Vec<&str> = csv.lines().filter(|l| l.contains(".zip!/")).collect();
    assert!(!member_rows.is_empty(), "{csv}");
    assert!(member_rows.iter().all(|l| l.ends_with(",failed")), "{csv}");
    let quality = ok(dir, &["status", "--quality"]);
    assert!(quality.contains("its zip could not be read"), "{quality}");
    // The good zip back: the member is ok again.
    fs::write(&zp, batch_zip(NOTICE)).unwrap();
    touch_later(&zp, 9);
    ok(dir, &["index", "docs"]);
    let hit = ok(dir, &["search", "供热管网"]);
    assert!(
        !hit.contains("its zip could not be read") && !hit.contains("! "),
        "{hit}"
    );
}

/// A zip whose own file name on disk is GBK bytes (copied from Windows):
/// its id is `hex:…`, its members `hex:…!/name`, shown decoded.
#[cfg(unix)]
#[test]
fn zip_with_a_gbk_file_name_on_disk() {
    use std::os::unix::ffi::OsStringExt;
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let docs = dir.join("docs");
    fs::create_dir_all(&docs).unwrap();
    let name = std::ffi::OsString::from_vec(gbk("旧档.zip"));
    let zp = docs.join(name);
    fs::write(&zp, batch_zip(NOTICE)).unwrap();
    let s = ok(dir, &["index", "docs"]);
    assert_eq!((count(&s, "added"), total(&s)), (1, 4), "{s}");
    let out = ok(dir, &["search", "供热管网"]);
    assert!(out.contains("旧档.zip!/通知.txt"), "{out}");
    let s = ok(dir, &["index", "docs"]);
    assert_eq!(
        (count(&s, "unchanged"), count(&s, "removed")),
        (1, 0),
        "{s}"
    );
    assert_eq!(total(&s), 4, "{s}");
    fs::remove_file(&zp).unwrap();
    let s = ok(dir, &["index", "docs"]);
    assert_eq!((count(&s, "removed"), total(&s)), (1, 0), "{s}");
}

/// A member broken inside a zip that still opens (its bytes changed, the
/// checksum no longer matches) keeps its last good text searchable, marked
/// failed, as any broken file does (trial 18: its text was gone).
#[test]
fn a_member_broken_in_a_good_zip_keeps_its_last_good_text() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let zp = dir.join("docs/a.zip");
    fs::create_dir_all(zp.parent().unwrap()).unwrap();
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file("成员.txt", stored).unwrap();
    w.write_all("关于子丑寅卯值班安排的通知".as_bytes())
        .unwrap();
    w.start_file("好的.txt", stored).unwrap();
    w.write_all("另一份完好的文件".as_bytes()).unwrap();
    let mut bytes = w.finish().unwrap().into_inner();
    fs::write(&zp, &bytes).unwrap();
    ok(dir, &["index", "docs"]);
    // Change the member's stored text in place: 值班 → 休假 (same length).
    let from = "值班".as_bytes();
    let at = bytes.windows(from.len()).position(|w| w == from).unwrap();
    bytes[at..at + from.len()].copy_from_slice("休假".as_bytes());
    fs::write(&zp, &bytes).unwrap();
    touch_later(&zp, 5);
    let s = ok(dir, &["index", "docs"]);
    assert!(s.contains("成员.txt: "), "{s}");
    assert_eq!(search_count(dir, "子丑寅卯值班"), (0, 1));
    assert_eq!(search_count(dir, "另一份完好"), (0, 1));
    let shown = ok(dir, &["show", "docs/a.zip!/成员.txt"]);
    assert!(
        shown.contains("failed 失败") && shown.contains("last good version is still searchable"),
        "{shown}"
    );
}
