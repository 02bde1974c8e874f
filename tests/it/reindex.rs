//! Incremental reindexing, roots, status, schema upgrades and crash safety,
//! through the real `gongwen` binary. Each test works in its own temp dir
//! with `--index <tmp>/ix`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::common::{gongwen_bin, shared_corpus};

/// Run `gongwen --index <dir>/ix ARGS` in `dir`.
pub fn gw(dir: &Path, args: &[&str]) -> Output {
    cmd(dir, args).output().expect("run gongwen")
}

fn cmd(dir: &Path, args: &[&str]) -> Command {
    with_index(Command::new(gongwen_bin()), dir, args)
}

/// `c` (gongwen, or a command that runs it) given `--index <dir>/ix ARGS`,
/// to run in `dir` without colours or a `GONGWEN_INDEX` from outside.
fn with_index(mut c: Command, dir: &Path, args: &[&str]) -> Command {
    c.current_dir(dir)
        .env_remove("GONGWEN_INDEX")
        .env("NO_COLOR", "1")
        .arg("--index")
        .arg(dir.join("ix"))
        .args(args);
    c
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Run and require exit code 0; returns stdout.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let o = gw(dir, args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "gongwen {args:?}\nstdout: {}\nstderr: {}",
        stdout(&o),
        stderr(&o)
    );
    stdout(&o)
}

/// The number after `key ` in an index summary (`新增 added 3` → `count(s, "added")`).
pub fn count(summary: &str, key: &str) -> usize {
    let pat = format!("{key} ");
    let i = summary
        .find(&pat)
        .unwrap_or_else(|| panic!("no `{key}` in summary:\n{summary}"))
        + pat.len();
    summary[i..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(|c| *c != ',')
        .collect::<String>()
        .parse()
        .unwrap()
}

/// Total documents from the summary's `索引共 N 篇`.
pub fn total(summary: &str) -> usize {
    count(summary, "索引共")
}

/// Exit code of `search --count QUERY` and the count printed.
pub fn search_count(dir: &Path, q: &str) -> (i32, usize) {
    let o = gw(dir, &["search", "--count", q]);
    let code = o.status.code().unwrap_or(-1);
    let n = stdout(&o).trim().parse().unwrap_or(usize::MAX);
    (code, n)
}

fn write(p: &Path, s: &str) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, s).unwrap();
}

/// Move a file's mtime `secs` seconds from now so that a rewrite is never
/// hidden by the one-second resolution of the stored mtime.
fn touch_later(p: &Path, secs: u64) {
    let f = fs::File::options().write(true).open(p).unwrap();
    f.set_modified(SystemTime::now() + Duration::from_secs(secs))
        .unwrap();
}

/// Three small documents in `<dir>/docs`.
fn small_corpus(dir: &Path) -> PathBuf {
    let d = dir.join("docs");
    write(
        &d.join("通知.txt"),
        "关于开展安全生产大检查的通知\n\n各单位：请认真做好汛期安全生产检查工作。\n",
    );
    write(
        &d.join("纪要.md"),
        "# 专题会议纪要\n\n会议研究了防汛抗旱物资储备工作。\n",
    );
    write(
        &d.join("sub/报告.txt"),
        "关于秋粮收购情况的报告\n\n今年秋粮收购进展顺利。\n",
    );
    d
}

/// (updated, unchanged) of a `gongwen index` run over the known folders.
fn updated_unchanged(dir: &Path) -> (usize, usize) {
    let s = ok(dir, &["index"]);
    (count(&s, "updated"), count(&s, "unchanged"))
}

/// One segment file of the index `dir/ix` with this extension (`store`, `pos` …).
fn segment_file(dir: &Path, ext: &str) -> PathBuf {
    fs::read_dir(dir.join("ix/index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == ext))
        .unwrap()
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn second_run_with_nothing_changed_is_all_unchanged() {
    let t = tmp();
    let dir = t.path();
    small_corpus(dir);
    let first = ok(dir, &["index", "docs"]);
    assert_eq!((count(&first, "added"), total(&first)), (3, 3), "{first}");
    let second = ok(dir, &["index", "docs"]);
    assert_eq!(count(&second, "unchanged"), 3, "{second}");
    assert_eq!(count(&second, "added"), 0, "{second}");
    assert_eq!(count(&second, "updated"), 0, "{second}");
    assert_eq!(count(&second, "removed"), 0, "{second}");
    assert_eq!(total(&second), 3, "{second}");
}

#[test]
fn modified_file_is_updated_new_phrase_found_old_not() {
    let t = tmp();
    let dir = t.path();
    let d = small_corpus(dir);
    ok(dir, &["index", "docs"]);
    assert_eq!(search_count(dir, "汛期安全生产"), (0, 1));
    let p = d.join("通知.txt");
    write(
        &p,
        "关于开展消防安全隐患排查的通知\n\n各单位：请于本月底前完成消防通道清理。\n",
    );
    touch_later(&p, 5);
    let s = ok(dir, &["index", "docs"]);
    assert_eq!(count(&s, "updated"), 1, "{s}");
    assert_eq!(count(&s, "added"), 0, "{s}");
    assert_eq!(count(&s, "unchanged"), 2, "{s}");
    assert_eq!(total(&s), 3, "{s}");
    assert_eq!(search_count(dir, "消防通道清理"), (0, 1));
    assert_eq!(search_count(dir, "汛期安全生产"), (1, 0));
}

/// Twelve incremental runs, each adding, changing and removing a file: the
/// runs' small segments are merged (eight of a size at a time, see
/// `archive::merge`), and after every run each word is found in exactly the
/// files that hold it now — a changed file's old text and a removed file
/// are gone, nothing counts twice.
#[test]
fn many_small_runs_merge_their_segments_and_lose_or_double_nothing() {
    let t = tmp();
    let dir = t.path();
    let d = small_corpus(dir);
    ok(dir, &["index", "docs"]);
    let changing = d.join("通知.txt");
    for run in 1..=12 {
        write(
            &d.join(format!("新增{run}.txt")),
            &format!("第{run}批新增文件\n\n本批编号甲乙{run}丙丁。\n"),
        );
        write(
            &changing,
            &format!("关于第{run}轮修改的通知\n\n修改标记戊己{run}庚辛。\n"),
        );
        touch_later(&changing, 5 * run);
        if run > 2 {
            fs::remove_file(d.join(format!("新增{}.txt", run - 2))).unwrap();
        }
        let s = ok(dir, &["index", "docs"]);
        // 3 original files + the two newest additions.
        assert_eq!(total(&s), 3 + run.min(2) as usize, "run {run}: {s}");
        assert_eq!(
            search_count(dir, &format!("甲乙{run}丙丁")),
            (0, 1),
            "run {run}"
        );
        assert_eq!(
            search_count(dir, &format!("戊己{run}庚辛")),
            (0, 1),
            "run {run}"
        );
        assert_eq!(search_count(dir, "修改标记"), (0, 1), "run {run}");
        if run > 1 {
            assert_eq!(
                search_count(dir, &format!("戊己{}庚辛", run - 1)),
                (1, 0),
                "run {run}"
            );
        }
        if run > 2 {
            assert_eq!(
                search_count(dir, &format!("甲乙{}丙丁", run - 2)),
                (1, 0),
                "run {run}"
            );
        }
        assert_eq!(
            search_count(dir, "本批编号"),
            (0, run.min(2) as usize),
            "run {run}"
        );
    }
    let meta: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("ix/index/meta.json")).unwrap()).unwrap();
    let segments = meta["segments"].as_array().unwrap().len();
    // Thirteen commits of documents, one segment each at least: without
    // merges there would be thirteen or more.
    assert!(segments < 8, "{segments} segments: {meta}");
}

/// A run killed inside an atomic write of `meta.json` leaves its temporary
/// copy; the next run (holding the writer lock) removes it, and a search,
/// which takes no lock, leaves it alone.
#[test]
fn a_killed_run_s_temporary_meta_copy_is_removed_by_the_next_run() {
    let t = tmp();
    let dir = t.path();
    small_corpus(dir);
    ok(dir, &["index", "docs"]);
    let stray = dir.join("ix/index/.meta.json.999999.0.tmp");
    let managed = dir.join("ix/index/..managed.json.999999.1.tmp");
    write(&stray, "{");
    write(&managed, "[");
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));
    assert!(stray.exists() && managed.exists());
    let s = ok(dir, &["index"]);
    assert_eq!(total(&s), 3, "{s}");
    assert!(!stray.exists() && !managed.exists());
    assert!(dir.join("ix/index/meta.json").exists());
}

/// With tantivy's `.managed.json` (its list of files it may delete) lost,
/// the segments that later runs replace stay on disk unless gongwen removes
/// them (trial 36); a file that is not a segment file is left alone.
#[test]
fn segment_files_no_commit_uses_are_removed_when_the_managed_list_is_lost() {
    let t = tmp();
    let dir = t.path();
    let d = small_corpus(dir);
    ok(dir, &["index", "docs"]);
    let idx = dir.join("ix/index");
    fs::remove_file(idx.join(".managed.json")).unwrap();
    fs::write(idx.join("README.txt"), "not ours to delete").unwrap();
    let p = d.join("通知.txt");
    write(&p, "关于开展消防安全隐患排查的通知\n");
    touch_later(&p, 5);
    ok(dir, &["index", "docs"]);
    let s = ok(dir, &["index", "--rebuild"]);
    assert_eq!(total(&s), 3, "{s}");
    // The next run (writer lock held) removes what no segment uses.
    ok(dir, &["index"]);
    let meta: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(idx.join("meta.json")).unwrap()).unwrap();
    let ids: Vec<String> = meta["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["segment_id"].as_str().unwrap().replace('-', ""))
        .collect();
    for e in fs::read_dir(&idx).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if let Some((id, _)) = name.split_once('.')
            && id.len() == 32
        {
            assert!(
                ids.contains(&id.to_string()),
                "{name} is no segment's: {ids:?}"
            );
        }
    }
    assert!(idx.join("README.txt").exists());
    assert_eq!(search_count(dir, "消防安全隐患"), (0, 1));
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));
}

/// Excluded words typed as separate arguments reach the query, ASCII ones
/// and numbers too (`-pdf`, `-2026`), while `-n 1` and `--count` after the
/// query stay options; a dash inside quotes is text.
#[test]
fn excluded_words_on_the_command_line() {
    let t = tmp();
    let dir = t.path();
    let d = small_corpus(dir);
    write(
        &d.join("pdf说明.txt"),
        "关于报送pdf材料的通知\n请于2026年报送。\n",
    );
    write(&d.join("化学.txt"), "试剂-2-溴-1-丙酮的管理通知\n");
    ok(dir, &["index", "docs"]);
    assert_eq!(search_count(dir, "通知"), (0, 3));
    let n = |args: &[&str]| stdout(&gw(dir, args)).trim().to_string();
    assert_eq!(n(&["search", "通知", "-pdf", "--count"]), "2");
    assert_eq!(n(&["search", "通知", "-2026", "--count"]), "2");
    assert_eq!(n(&["search", "通知", "-安全生产", "--count"]), "2");
    assert_eq!(n(&["search", "通知", "-\"安全生产\"", "--count"]), "2");
    assert_eq!(n(&["search", "--count", "\"-2-溴-1-丙酮\""]), "1");
    let one = ok(dir, &["search", "通知", "-pdf", "-n", "1"]);
    assert_eq!(one.matches(".txt").count(), 1, "{one}");
}

/// A good file overwritten by a broken copy: its last good text stays
/// searchable (nothing archived is lost), but `show` and `status --quality`
/// report the file as it is now — failed, with the reason and that the old
/// text is kept — and `status` does not ask for a rerun that cannot help.
/// A good copy put back is indexed again.
#[test]
fn broken_copy_keeps_the_last_good_text_marked_failed() {
    let t = tmp();
    let dir = t.path();
    let d = small_corpus(dir);
    ok(dir, &["index", "docs"]);
    let p = d.join("通知.txt");
    let good = fs::read(&p).unwrap();
    fs::write(&p, [0u8, 1, 2, 3, 0, 0, 0xFF, 0, 5, 0, 0, 0].repeat(50)).unwrap();
    touch_later(&p, 5);
    let o = gw(dir, &["index", "docs"]);
    let s = stdout(&o) + &stderr(&o);
    assert_eq!(count(&s, "failed"), 1, "{s}");
    assert!(s.contains("通知.txt"), "{s}");
    assert_eq!(search_count(dir, "汛期安全生产"), (0, 1));
    // The hit itself says the file is broken now.
    let hit = ok(dir, &["search", "汛期安全生产"]);
    assert!(hit.contains("! 失败 failed: "), "{hit}");
    let shown = ok(dir, &["show", "docs/通知.txt"]);
    assert!(shown.contains("failed 失败"), "{shown}");
    assert!(
        shown.contains("the text of the last good version is still searchable"),
        "{shown}"
    );
    assert!(shown.contains("600 B"), "size of the file on disk: {shown}");
    let st = stdout(&gw(dir, &["status"]));
    assert!(st.contains("the index is up to date"), "{st}");
    let q = stdout(&gw(dir, &["status", "--quality"]));
    assert!(q.contains("失败 failed") && q.contains("通知.txt"), "{q}");
    // Broken another way: the last good text is still kept.
    fs::write(&p, [0u8, 1, 2, 3, 0, 0, 0xFF, 0, 5, 0, 0, 0].repeat(30)).unwrap();
    touch_later(&p, 7);
    ok(dir, &["index", "docs"]);
    assert_eq!(search_count(dir, "汛期安全生产"), (0, 1));
    let shown = ok(dir, &["show", "docs/通知.txt"]);
    assert!(
        shown.contains("last good version is still searchable") && shown.contains("360 B"),
        "{shown}"
    );
    // A file that never had text, broken again: no last good text to speak of.
    let bad = d.join("坏.txt");
    fs::write(&bad, [0u8, 1, 2, 3, 0, 0, 0xFF, 0, 5, 0, 0, 0].repeat(20)).unwrap();
    ok(dir, &["index", "docs"]);
    fs::write(&bad, [0u8, 1, 2, 3, 0, 0, 0xFF, 0, 5, 0, 0, 0].repeat(30)).unwrap();
    touch_later(&bad, 5);
    ok(dir, &["index", "docs"]);
    let shown = ok(dir, &["show", "docs/坏.txt"]);
    assert!(
        shown.contains("failed 失败") && shown.contains("360 B"),
        "{shown}"
    );
    assert!(!shown.contains("last good version"), "{shown}");
    fs::remove_file(&bad).unwrap();
    // The good file back: indexed again, status ok.
    fs::write(&p, &good).unwrap();
    touch_later(&p, 10);
    let s = ok(dir, &["index", "docs"]);
    assert_eq!(count(&s, "updated"), 1, "{s}");
    assert!(ok(dir, &["show", "docs/通知.txt"]).contains("ok 成功"));
    assert_eq!(search_count(dir, "汛期安全生产"), (0, 1));
}

/// A file rewritten (same size, mtime set back to the same instant) right
/// after the run that indexed it: size and whole-second mtime match, but the
/// file is racy (mtime within the run's start window), so its hash is
/// compared and the change is seen.
#[test]
fn same_size_rewrite_in_the_same_second_is_seen() {
    let t = tmp();
    let dir = t.path();
    let d = dir.join("docs");
    write(&d.join("a.txt"), "甲乙丙丁戊己庚辛");
    let p = d.join("a.txt");
    let f = fs::File::options().write(true).open(&p).unwrap();
    let now = SystemTime::now();
    f.set_modified(now).unwrap();
    ok(dir, &["index", "docs"]);
    write(&p, "子丑寅卯辰巳午未");
    fs::File::options()
        .write(true)
        .open(&p)
        .unwrap()
        .set_modified(now)
        .unwrap();
    let s = ok(dir, &["index", "docs"]);
    assert_eq!(count(&s, "updated"), 1, "{s}");
    assert_eq!(search_count(dir, "辰巳午未"), (0, 1));
}

#[test]
fn deleted_file_is_removed_and_no_longer_found() {
    let t = tmp();
    let dir = t.path();
    let d = small_corpus(dir);
    ok(dir, &["index", "docs"]);
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));
    fs::remove_file(d.join("sub/报告.txt")).unwrap();
    let s = ok(dir, &["index", "docs"]);
    assert_eq!(count(&s, "removed"), 1, "{s}");
    assert_eq!(count(&s, "unchanged"), 2, "{s}");
    assert_eq!(total(&s), 2, "{s}");
    assert_eq!(search_count(dir, "秋粮收购"), (1, 0));
}

/// A file replaced by a folder of the same name (`f.txt/` holding a new
/// file) is gone: removed by the next run, not found, and `status` lists it
/// as deleted (trial 16: it stayed, `on_disk` true, even after --rebuild).
#[test]
fn file_replaced_by_a_folder_of_its_name_is_removed() {
    let t = tmp();
    let dir = t.path();
    let d = small_corpus(dir);
    ok(dir, &["index", "docs"]);
    fs::remove_file(d.join("通知.txt")).unwrap();
    write(&d.join("通知.txt/新.txt"), "新文件的内容：防汛值班表\n");
    let st = ok(dir, &["status"]);
    assert!(st.contains("- ") && st.contains("通知.txt\n"), "{st}");
    let s = ok(dir, &["index", "docs"]);
    assert_eq!(count(&s, "removed"), 1, "{s}");
    assert_eq!(count(&s, "added"), 1, "{s}");
    assert_eq!(search_count(dir, "安全生产大检查"), (1, 0));
    assert_eq!(search_count(dir, "防汛值班表"), (0, 1));
}

/// A pipe named like a document is said by name and never opened (the run
/// would block), and `show` does not claim the path is missing.
#[cfg(unix)]
#[test]
fn a_pipe_named_like_a_document_is_reported_not_read() {
    let t = tmp();
    let dir = t.path();
    let d = small_corpus(dir);
    let fifo = d.join("管道.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo not available");
        return;
    }
    let s = ok(dir, &["index", "docs"]);
    assert_eq!(count(&s, "added"), 3, "{s}");
    assert_eq!(count(&s, "unreachable"), 1, "{s}");
    assert!(
        s.contains("管道.txt: 不是普通文件（管道、设备或套接字），已跳过 / not a regular file"),
        "{s}"
    );
    let o = gw(dir, &["show", "docs/管道.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
}

/// A runner of `gongwen --index <dir>/ix ARGS` (in `dir`) as a user whom
/// permissions bind: `nobody` via `setpriv` when the tests run as root (root
/// reads and writes every file), else the current user. Everything under
/// `dir` is made readable and writable for it first. `None` when root cannot
/// become `nobody` here (the caller skips).
#[cfg(unix)]
fn unprivileged(dir: &Path) -> Option<impl Fn(&[&str]) -> Output + '_> {
    use std::os::unix::fs::PermissionsExt;
    for p in walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
    {
        let mode = if p.is_dir() { 0o777 } else { 0o666 };
        fs::set_permissions(&p, fs::Permissions::from_mode(mode)).unwrap();
    }
    let root = unsafe { libc::geteuid() } == 0;
    let nobody = ["--reuid=nobody", "--regid=nogroup", "--clear-groups"];
    if root {
        let probe = Command::new("setpriv")
            .args(nobody)
            .args(["test", "-w"])
            .arg(dir)
            .status();
        if !probe.is_ok_and(|s| s.success()) {
            eprintln!("skipped: running as root, and `nobody` cannot be used here");
            return None;
        }
    }
    Some(move |args: &[&str]| -> Output {
        let c = if root {
            let mut c = Command::new("setpriv");
            c.args(nobody).arg(gongwen_bin());
            c
        } else {
            Command::new(gongwen_bin())
        };
        with_index(c, dir, args).output().expect("run gongwen")
    })
}

/// The `index` folder inside the index made read-only (the index folder
/// itself writable): `index` names that folder and the permission, not
/// tantivy's "another IndexWriter" lock message (trial 36); search still
/// works. A segment file, the `index` folder or the index folder this user
/// may not read: named, never "damaged" or "no index" (trials 37, 38).
/// Runs as `nobody` via `setpriv` when the tests run as root.
#[cfg(unix)]
#[test]
fn an_index_folder_this_user_cannot_read_or_write_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let t = tmp();
    let dir = t.path();
    small_corpus(dir);
    let Some(run) = unprivileged(dir) else {
        return;
    };
    let o = run(&["index", "docs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let sub = dir.join("ix/index");
    fs::set_permissions(&sub, fs::Permissions::from_mode(0o555)).unwrap();
    // Nothing changed, a file added (a segment to write), a rebuild: the
    // same one line, before any work (trial 37: the last two quoted
    // tantivy's "Failed to open file for write" and "index writer was killed").
    let mut outcomes = Vec::new();
    for (i, args) in [
        &["index", "docs"][..],
        &["index", "docs"],
        &["index", "--rebuild"],
    ]
    .into_iter()
    .enumerate()
    {
        if i == 1 {
            let added = dir.join("docs/新增.txt");
            write(&added, "新增的防汛值班安排\n");
            fs::set_permissions(&added, fs::Permissions::from_mode(0o666)).unwrap();
        }
        let o = run(args);
        outcomes.push((args.to_vec(), o.status.code(), stderr(&o)));
    }
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));
    fs::set_permissions(&sub, fs::Permissions::from_mode(0o777)).unwrap();
    for (args, code, e) in outcomes {
        assert_eq!(code, Some(2), "{args:?}: {e}");
        assert!(
            e.contains(&format!(
                "索引目录读写失败 / index directory {}",
                sub.display()
            )) && e.contains("Permission denied"),
            "{args:?}: {e}"
        );
        assert!(
            !e.contains("IndexWriter") && !e.contains("IoError"),
            "{args:?}: {e}"
        );
        assert_eq!(e.lines().count(), 1, "{args:?}: {e}");
    }
    // One segment file unreadable: named, with the reason, not tantivy's
    // structures; not called damage (nothing to rebuild).
    let pos = segment_file(dir, "pos");
    fs::set_permissions(&pos, fs::Permissions::from_mode(0o000)).unwrap();
    let o = run(&["search", "--count", "秋粮"]);
    let e = stderr(&o);
    fs::set_permissions(&pos, fs::Permissions::from_mode(0o666)).unwrap();
    assert_eq!(o.status.code(), Some(2), "{e}");
    let name = pos.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        e.contains(&format!("{name}: Permission denied")) && !e.contains("IoError"),
        "{e}"
    );
    assert!(!e.contains("is damaged"), "{e}");
    // `roots remove` on the read-only `index` folder: the same line as `index`.
    fs::set_permissions(&sub, fs::Permissions::from_mode(0o555)).unwrap();
    let o = run(&["roots", "remove", "docs"]);
    fs::set_permissions(&sub, fs::Permissions::from_mode(0o777)).unwrap();
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains(&format!(
            "index directory {}: Permission denied",
            sub.display()
        )),
        "{e}"
    );
    // A folder this user may not enter (the `index` folder, or the index
    // folder itself) is neither "no index" nor "damaged" (trial 38).
    for (locked, args) in [
        (sub.clone(), &["search", "--count", "秋粮"][..]),
        (sub.clone(), &["status"]),
        (sub.clone(), &["roots"]),
        (sub.clone(), &["index"]),
        (dir.join("ix"), &["search", "秋粮"]),
        (dir.join("ix"), &["index"]),
        (dir.join("ix"), &["index", "--rebuild"]),
    ] {
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        let o = run(args);
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o777)).unwrap();
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
        assert!(
            e.contains(&format!(
                "索引目录读写失败 / index directory {}: Permission denied",
                locked.display()
            )),
            "{args:?}: {e}"
        );
        assert!(
            !e.contains("damaged") && !e.contains("no index"),
            "{args:?}: {e}"
        );
    }
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));
    // The index folder itself read-only (`index/` writable): `state.json`,
    // the copy a damaged index is rebuilt from, could not be rewritten, so
    // `roots remove` and `index` refuse before any change (trial 39: the
    // removal went through and the copy silently kept the folder).
    let ix = dir.join("ix");
    fs::set_permissions(&ix, fs::Permissions::from_mode(0o555)).unwrap();
    let outcomes: Vec<_> = [&["roots", "remove", "docs"][..], &["index"]]
        .into_iter()
        .map(|args| (args, run(args)))
        .collect();
    fs::set_permissions(&ix, fs::Permissions::from_mode(0o777)).unwrap();
    for (args, o) in outcomes {
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
        assert!(
            e.contains(&format!(
                "index directory {}: Permission denied",
                ix.display()
            )),
            "{args:?}: {e}"
        );
    }
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));
    assert!(
        fs::read_to_string(ix.join("state.json"))
            .unwrap()
            .contains("docs")
    );
}

/// A file that could not be read (permission denied) is read again by the
/// next run once it is readable, although neither its size nor its mtime
/// changed (trial 16: `chmod` mended it, but only `--rebuild` found it).
/// Runs gongwen as `nobody` via `setpriv` when the tests run as root (root
/// reads every file); skipped when that is not possible.
#[cfg(unix)]
#[test]
fn a_file_unreadable_last_time_is_read_again_once_readable() {
    use std::os::unix::fs::PermissionsExt;
    let t = tmp();
    let dir = t.path();
    let d = small_corpus(dir);
    let Some(run) = unprivileged(dir) else {
        return;
    };
    let report = d.join("sub/报告.txt");
    // A zip too (trial 17: an unreadable zip stayed failed).
    let zp = d.join("包.zip");
    {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(fs::File::create(&zp).unwrap());
        w.start_file("成员.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all("毕方鸟的传说".as_bytes()).unwrap();
        w.finish().unwrap();
    }
    for p in [&report, &zp] {
        fs::set_permissions(p, fs::Permissions::from_mode(0o000)).unwrap();
    }
    let o = run(&["index", "docs"]);
    let s = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{s}{}", stderr(&o));
    assert_eq!(count(&s, "failed"), 2, "{s}");
    assert!(s.contains("2 files could not be read"), "{s}");
    let st = stdout(&run(&["status"]));
    assert!(
        st.contains("? ") && st.contains("报告.txt") && st.contains("包.zip"),
        "{st}"
    );
    assert!(st.contains("the index is stale"), "{st}");
    // Mended: same size, same mtime.
    for p in [&report, &zp] {
        fs::set_permissions(p, fs::Permissions::from_mode(0o644)).unwrap();
    }
    let s = stdout(&run(&["index", "docs"]));
    assert_eq!(count(&s, "failed"), 0, "{s}");
    assert!(!s.contains("could not be read"), "{s}");
    for q in ["秋粮收购", "毕方鸟"] {
        let o = run(&["search", "--count", q]);
        assert_eq!(stdout(&o).trim(), "1", "{q}");
    }
    let st = stdout(&run(&["status"]));
    assert!(st.contains("the index is up to date"), "{st}");
    // And not read again after that.
    let s = stdout(&run(&["index", "docs"]));
    assert_eq!(count(&s, "unchanged"), 4, "{s}");
}

/// A file indexed under the folder `docs` is deleted, then only the
/// subfolder `docs/sub` is reindexed (a root of its own): the file is gone
/// from the index all the same (second trial: it stayed searchable).
#[test]
fn deleted_file_under_a_subfolder_root_is_removed_when_the_subfolder_is_reindexed() {
    let t = tmp();
    let dir = t.path();
    let d = small_corpus(dir);
    ok(dir, &["index", "docs"]);
    ok(dir, &["index", "docs/sub"]);
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));
    fs::remove_file(d.join("sub/报告.txt")).unwrap();
    let s = ok(dir, &["index", "docs/sub"]);
    assert_eq!(count(&s, "removed"), 1, "{s}");
    assert_eq!(search_count(dir, "秋粮收购"), (1, 0));
    // Both roots at once: the nested one is walked once, inside the outer.
    let s = ok(dir, &["index"]);
    assert_eq!(count(&s, "seen"), 2, "{s}");
    assert_eq!(count(&s, "unchanged"), 2, "{s}");
}

/// A folder given as PATH inside a known folder is indexed as part of it
/// (no second root); a folder given around known roots takes them in: one
/// root, every document counted under it, removed with it.
#[test]
fn nested_folders_make_one_root() {
    let t = tmp();
    let dir = t.path();
    let d = small_corpus(dir);
    ok(dir, &["index", "docs"]);
    write(&d.join("sub/新.txt"), "关于新建文化站的通知\n");
    let o = gw(dir, &["index", "docs/sub"]);
    assert!(
        stderr(&o).contains("lies inside the indexed folder")
            && stderr(&o).contains("updated as part of it"),
        "{}",
        stderr(&o)
    );
    let s = stdout(&o);
    assert_eq!(
        (count(&s, "added"), count(&s, "unchanged"), total(&s)),
        (1, 1, 4),
        "{s}"
    );
    let roots = roots_json(dir);
    assert_eq!(roots.len(), 1, "{roots:?}");
    assert_eq!(roots[0].1, 4, "{roots:?}");
    assert!(roots[0].0.ends_with("docs"), "{roots:?}");

    // The other way round: the subfolder first, then the folder around it.
    let t2 = tmp();
    let dir = t2.path();
    small_corpus(dir);
    ok(dir, &["index", "docs/sub"]);
    let o = gw(dir, &["index", "docs"]);
    assert!(
        stderr(&o).contains("is now part of the folder")
            && stderr(&o).contains("is read again once"),
        "{}",
        stderr(&o)
    );
    let s = stdout(&o);
    // 报告.txt re-read to carry the new root's key; the other two are new.
    assert_eq!(
        (count(&s, "added"), count(&s, "updated"), total(&s)),
        (2, 1, 3),
        "{s}"
    );
    let roots = roots_json(dir);
    assert_eq!(roots.len(), 1, "{roots:?}");
    assert_eq!(roots[0].1, 3, "{roots:?}");
    assert_eq!(updated_unchanged(dir), (0, 3));
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));
    let root = roots[0].0.clone();
    let s = ok(dir, &["roots", "remove", &root]);
    assert!(s.contains("3 documents removed"), "{s}");
    assert_eq!(search_count(dir, "秋粮收购"), (1, 0));
    assert_eq!(search_count(dir, "汛期安全生产"), (1, 0));
}

/// A hit whose file was deleted since the last run says so (its text is
/// still the one indexed); the others do not.
#[test]
fn a_hit_on_a_file_deleted_since_says_so() {
    let t = tmp();
    let dir = t.path();
    let d = small_corpus(dir);
    ok(dir, &["index", "docs"]);
    let gone = "the file is no longer at this path";
    assert!(!ok(dir, &["search", "秋粮收购"]).contains(gone));
    fs::remove_file(d.join("sub/报告.txt")).unwrap();
    let s = ok(dir, &["search", "秋粮收购"]);
    assert!(s.contains("报告.txt") && s.contains(gone), "{s}");
    let s = ok(dir, &["show", "docs/sub/报告.txt"]);
    assert!(
        s.contains(gone) && s.contains("今年秋粮收购进展顺利"),
        "{s}"
    );
    assert!(ok(dir, &["show", "--json", "docs/sub/报告.txt"]).contains("\"on_disk\":false"));
    assert!(!ok(dir, &["show", "docs/通知.txt"]).contains(gone));
    let j: serde_json::Value = serde_json::from_str(
        ok(dir, &["search", "--json", "秋粮收购"])
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(j["on_disk"], serde_json::json!(false), "{j}");
    let j: serde_json::Value = serde_json::from_str(
        ok(dir, &["search", "--json", "汛期安全生产"])
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(j["on_disk"], serde_json::json!(true), "{j}");
}

/// `index --rebuild FILE` for a file root deleted since drops it, as a plain
/// `gongwen index` does (it said the file does not exist).
#[test]
fn rebuild_of_a_deleted_file_root_drops_it() {
    let t = tmp();
    let dir = t.path();
    small_corpus(dir);
    write(&dir.join("solo/单.txt"), "关于保护古镇风貌的通知\n");
    ok(dir, &["index", "docs", "solo/单.txt"]);
    fs::remove_file(dir.join("solo/单.txt")).unwrap();
    let o = gw(dir, &["index", "--rebuild", "solo/单.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("its document and its entry in `gongwen roots` are gone"),
        "{}",
        stderr(&o)
    );
    assert_eq!(search_count(dir, "古镇风貌"), (1, 0));
    assert_eq!(roots_json(dir).len(), 1);
    // A device is not a folder of documents.
    let o = gw(dir, &["index", "/dev/null"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a file or folder: /dev/null"),
        "{}",
        stderr(&o)
    );
    assert_eq!(roots_json(dir).len(), 1);
    // A PATH that never was indexed and does not exist is still an error.
    let o = gw(dir, &["index", "solo/无.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("solo/无.txt"), "{}", stderr(&o));
}

#[test]
fn index_without_path_reindexes_known_roots() {
    let t = tmp();
    let dir = t.path();
    // No index yet: a clear error, exit 2.
    let o = gw(dir, &["index"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("give a PATH"), "{}", stderr(&o));

    let d = small_corpus(dir);
    let e = dir.join("other");
    write(&e.join("函.txt"), "关于商请支持乡村振兴项目的函\n");
    ok(dir, &["index", "docs", "other"]);
    write(&d.join("新.txt"), "关于表彰先进集体的决定\n");
    write(&e.join("新函.md"), "# 复函\n\n同意设立乡村图书室。\n");
    fs::remove_file(d.join("纪要.md")).unwrap();
    let s = ok(dir, &["index"]);
    assert_eq!(count(&s, "added"), 2, "{s}");
    assert_eq!(count(&s, "removed"), 1, "{s}");
    assert_eq!(count(&s, "unchanged"), 3, "{s}");
    assert_eq!(total(&s), 5, "{s}");
    assert_eq!(search_count(dir, "表彰先进集体"), (0, 1));
    assert_eq!(search_count(dir, "乡村图书室"), (0, 1));
    assert_eq!(search_count(dir, "防汛抗旱物资"), (1, 0));
}

#[test]
fn index_without_path_keeps_documents_of_a_missing_root() {
    let t = tmp();
    let dir = t.path();
    small_corpus(dir);
    let e = dir.join("other");
    write(&e.join("函.txt"), "关于商请支持乡村振兴项目的函\n");
    ok(dir, &["index", "docs", "other"]);
    fs::remove_dir_all(&e).unwrap();
    let s = ok(dir, &["index"]);
    assert!(
        s.contains("folder is missing; its 1 documents are kept"),
        "{s}"
    );
    assert_eq!(count(&s, "removed"), 0, "{s}");
    assert_eq!(total(&s), 4, "{s}");
    assert_eq!(search_count(dir, "乡村振兴项目"), (0, 1));
    let st = ok(dir, &["status"]);
    assert!(
        st.contains("folder is missing; its 1 documents stay in the index"),
        "{st}"
    );
}

/// `roots --json` lines as (path, docs, last_indexed, exists).
fn roots_json(dir: &Path) -> Vec<(String, u64, i64, bool)> {
    ok(dir, &["roots", "--json"])
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["path"].as_str().unwrap().to_string(),
                v["docs"].as_u64().unwrap(),
                v["last_indexed"].as_i64().unwrap(),
                v["exists"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn roots_lists_counts_and_remove_drops_documents() {
    let t = tmp();
    let dir = t.path();
    small_corpus(dir);
    let e = dir.join("other");
    write(&e.join("函.txt"), "关于商请支持乡村振兴项目的函\n");
    write(&e.join("复函.txt"), "关于同意设立乡村图书室的复函\n");
    ok(dir, &["index", "docs"]);
    ok(dir, &["index", "other"]);
    let docs = fs::canonicalize(dir.join("docs"))
        .unwrap()
        .display()
        .to_string();
    let other = fs::canonicalize(&e).unwrap().display().to_string();
    let before = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let r = roots_json(dir);
    assert_eq!(r.len(), 2, "{r:?}");
    assert_eq!((r[0].0.as_str(), r[0].1, r[0].3), (docs.as_str(), 3, true));
    assert_eq!((r[1].0.as_str(), r[1].1, r[1].3), (other.as_str(), 2, true));
    assert!(r.iter().all(|x| x.2 > 0 && x.2 <= before), "{r:?}");
    let text = ok(dir, &["roots"]);
    assert!(
        text.contains(&docs) && text.contains("3 篇 documents") && text.contains("UTC"),
        "{text}"
    );

    // Unknown root: exit 2, names the known ones, changes nothing.
    let o = gw(dir, &["roots", "remove", "nowhere"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a folder of the index") && stderr(&o).contains(&docs),
        "{}",
        stderr(&o)
    );

    // Remove by a relative path with a trailing slash.
    let s = ok(dir, &["roots", "remove", "other/"]);
    assert!(s.contains("2 documents removed"), "{s}");
    assert_eq!(search_count(dir, "乡村振兴项目"), (1, 0));
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));
    let r = roots_json(dir);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].0, docs);
    // The removed root is no longer reindexed by `index` without PATH.
    write(&e.join("第三.txt"), "第三份乡村文件\n");
    let s = ok(dir, &["index"]);
    assert_eq!(
        (count(&s, "seen"), count(&s, "added"), total(&s)),
        (3, 0, 3),
        "{s}"
    );
    assert_eq!(search_count(dir, "第三份乡村"), (1, 0));

    // A root whose folder is gone can still be removed by its listed path.
    fs::remove_dir_all(dir.join("docs")).unwrap();
    let r = roots_json(dir);
    assert!(!r[0].3, "{r:?}");
    let s = ok(dir, &["roots", "remove", &docs]);
    assert!(
        s.contains("3 documents removed") && s.contains("余 0 篇 documents left"),
        "{s}"
    );
    assert!(ok(dir, &["roots"]).contains("knows no folders"));
}

#[test]
fn status_reports_stale_files_without_changing_anything() {
    let t = tmp();
    let dir = t.path();
    let d = small_corpus(dir);
    ok(dir, &["index", "docs"]);
    let s = ok(dir, &["status"]);
    assert!(s.contains("up to date"), "{s}");
    assert!(s.contains("unchanged 3"), "{s}");

    let p = d.join("通知.txt");
    write(&p, "关于开展消防安全隐患排查的通知\n");
    touch_later(&p, 5);
    write(&d.join("sub/新.txt"), "关于表彰先进集体的决定\n");
    fs::remove_file(d.join("纪要.md")).unwrap();
    let s = ok(dir, &["status"]);
    assert!(
        s.contains("added 1 · 更改 changed 1 · 删除 deleted 1 · 未变 unchanged 1"),
        "{s}"
    );
    assert!(
        s.contains(&format!(
            "+ {}",
            fs::canonicalize(d.join("sub/新.txt")).unwrap().display()
        )),
        "{s}"
    );
    assert!(s.contains("~ ") && s.contains("通知.txt"), "{s}");
    assert!(s.contains("- ") && s.contains("纪要.md"), "{s}");
    assert!(s.contains("stale"), "{s}");

    let j: serde_json::Value = serde_json::from_str(&ok(dir, &["status", "--json"])).unwrap();
    let root = &j["roots"][0];
    assert_eq!(root["added"].as_array().unwrap().len(), 1, "{j}");
    assert_eq!(
        root["changed"][0].as_str().unwrap(),
        fs::canonicalize(&p).unwrap().display().to_string()
    );
    assert!(
        root["deleted"][0].as_str().unwrap().ends_with("纪要.md"),
        "{j}"
    );
    assert_eq!(j["docs"], 3);

    // Nothing changed in the index: the old text is still found, the new not.
    assert_eq!(search_count(dir, "汛期安全生产"), (0, 1));
    assert_eq!(search_count(dir, "防汛抗旱物资"), (0, 1));
    assert_eq!(search_count(dir, "表彰先进集体"), (1, 0));
    // And the next index run does exactly what status said.
    let s = ok(dir, &["index"]);
    assert_eq!(
        (
            count(&s, "added"),
            count(&s, "updated"),
            count(&s, "removed")
        ),
        (1, 1, 1),
        "{s}"
    );
    assert!(ok(dir, &["status"]).contains("up to date"));
}

#[test]
fn status_without_an_index_is_a_clear_error() {
    let t = tmp();
    let o = gw(t.path(), &["status"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no index at"), "{}", stderr(&o));
    let o = gw(t.path(), &["roots"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no index at"), "{}", stderr(&o));
    // `roots remove` too, and it creates nothing (trial 39: it made the
    // index folder and its lock file first).
    let o = gw(t.path(), &["roots", "remove", "docs"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no index at"), "{}", stderr(&o));
    assert!(!t.path().join("ix").exists());
}

/// `--rebuild` re-reads every file into the open index: unchanged files are
/// read again (counted as updated), a file that is broken now keeps its last
/// good text, and a folder that is missing (an unplugged drive) keeps its
/// documents — a rebuild never drops what was archived.
#[test]
fn rebuild_rereads_every_file_and_drops_nothing() {
    let t = tmp();
    let dir = t.path();
    let d = small_corpus(dir);
    let e = dir.join("other");
    write(&e.join("函.txt"), "关于商请支持乡村振兴项目的函\n");
    ok(dir, &["index", "docs", "other"]);
    let o = gw(dir, &["index", "--rebuild"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(
        stderr(&o).contains("rebuilt 2 folder(s): every file in them was read again"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        (count(&s, "updated"), count(&s, "unchanged"), total(&s)),
        (4, 0, 4),
        "{s}"
    );
    assert_eq!(roots_json(dir).len(), 2);
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));
    // The next run trusts the files again.
    assert_eq!(updated_unchanged(dir), (0, 4));

    // A broken copy over a good file, and a missing folder: rebuilt, both kept.
    let p = d.join("通知.txt");
    fs::write(&p, [0u8, 1, 2, 3, 0, 0, 0xFF, 0, 5, 0, 0, 0].repeat(50)).unwrap();
    touch_later(&p, 5);
    let away = dir.join("away");
    fs::rename(&e, &away).unwrap();
    let o = gw(dir, &["index", "--rebuild"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("rebuilt 1 folder(s)")
            && stderr(&o).contains("1 folder(s) could not be reached: their documents are kept"),
        "{}",
        stderr(&o)
    );
    let s = stdout(&o);
    assert!(s.contains("folder is missing"), "{s}");
    assert_eq!(
        (count(&s, "failed"), count(&s, "removed"), total(&s)),
        (1, 0, 4),
        "{s}"
    );
    assert_eq!(search_count(dir, "汛期安全生产"), (0, 1));
    assert_eq!(search_count(dir, "乡村振兴项目"), (0, 1));
    let shown = ok(dir, &["show", "docs/通知.txt"]);
    assert!(
        shown.contains("the text of the last good version is still searchable"),
        "{shown}"
    );
    // The folder back as it was (same mtimes): its rebuild is done now.
    fs::rename(&away, &e).unwrap();
    let st = ok(dir, &["status"]);
    assert!(
        st.contains("a rebuild is pending") && st.contains("the index is stale"),
        "{st}"
    );
    assert_eq!(updated_unchanged(dir), (1, 3));
    assert!(ok(dir, &["status"]).contains("the index is up to date"));
    assert_eq!(updated_unchanged(dir), (0, 4));
}

/// A file given as PATH is a root of its own: deleted later (its folder
/// still there), its document and the root go; a missing folder root is kept.
#[test]
fn a_deleted_file_root_is_removed_a_missing_folder_root_kept() {
    let t = tmp();
    let dir = t.path();
    small_corpus(dir);
    write(&dir.join("solo/单.txt"), "关于保护古镇风貌的通知\n");
    ok(dir, &["index", "docs", "solo/单.txt"]);
    assert_eq!(search_count(dir, "古镇风貌"), (0, 1));
    fs::remove_file(dir.join("solo/单.txt")).unwrap();
    let st = ok(dir, &["status"]);
    assert!(
        st.contains("the file was deleted: the next `gongwen index` removes its document")
            && st.contains("the index is stale"),
        "{st}"
    );
    assert!(ok(dir, &["roots"]).contains("file deleted: the next index drops it"));
    let o = gw(dir, &["index"]);
    assert!(
        stderr(&o).contains(
            "the file was deleted, its document and its entry in `gongwen roots` are gone"
        ),
        "{}",
        stderr(&o)
    );
    let s = stdout(&o);
    assert_eq!((count(&s, "removed"), total(&s)), (1, 3), "{s}");
    assert!(!s.contains("folder is missing"), "{s}");
    assert_eq!(search_count(dir, "古镇风貌"), (1, 0));
    assert_eq!(roots_json(dir).len(), 1);
    // A file inside a known folder is indexed as part of that folder.
    write(&dir.join("docs/sub/新.txt"), "关于新建文化站的通知\n");
    let s = ok(dir, &["index", "docs/sub/新.txt"]);
    assert_eq!((count(&s, "added"), total(&s)), (1, 4), "{s}");
    let roots = roots_json(dir);
    assert_eq!(roots.len(), 1, "{roots:?}");
    assert_eq!(roots[0].1, 4, "{roots:?}");
    assert_eq!(updated_unchanged(dir), (0, 4));
    fs::remove_file(dir.join("docs/sub/新.txt")).unwrap();
    assert_eq!(count(&ok(dir, &["index"]), "removed"), 1);
    // A file gongwen does not read is refused, not made a root.
    write(&dir.join("solo/数据.xyz"), "x");
    let o = gw(dir, &["index", "solo/数据.xyz"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unsupported file type"),
        "{}",
        stderr(&o)
    );
    assert_eq!(roots_json(dir).len(), 1);
    // A folder root gone: kept, and the way to drop it is named.
    fs::rename(dir.join("docs"), dir.join("away")).unwrap();
    let s = ok(dir, &["index"]);
    assert!(
        s.contains("documents are kept (if it was deleted: `gongwen roots remove PATH`)"),
        "{s}"
    );
    assert_eq!(total(&s), 3, "{s}");
}

/// `--rebuild PATH` re-reads that folder only; the others stay as they are.
#[test]
fn rebuild_of_one_folder_leaves_the_others_alone() {
    let t = tmp();
    let dir = t.path();
    small_corpus(dir);
    write(&dir.join("other/函.txt"), "关于商请支持乡村振兴项目的函\n");
    ok(dir, &["index", "docs", "other"]);
    let s = ok(dir, &["index", "--rebuild", "other"]);
    assert_eq!(
        (count(&s, "updated"), count(&s, "unchanged"), total(&s)),
        (1, 0, 4),
        "{s}"
    );
    assert_eq!(updated_unchanged(dir), (0, 4));
}

/// A damaged index (a segment file cut short, a `meta.json` overwritten) is
/// named as damaged by every command, with the way out; `index --rebuild`
/// moves the damaged files aside (kept) and indexes the known folders again.
#[test]
fn a_damaged_index_is_reported_and_rebuild_moves_it_aside() {
    let t = tmp();
    let dir = t.path();
    small_corpus(dir);
    ok(dir, &["index", "docs"]);
    let store = segment_file(dir, "store");
    let name = store.file_name().unwrap().to_string_lossy().to_string();
    fs::OpenOptions::new()
        .write(true)
        .open(&store)
        .unwrap()
        .set_len(10)
        .unwrap();
    for args in [&["search", "秋粮"][..], &["status"], &["roots"], &["index"]] {
        let o = gw(dir, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(
            e.contains("is damaged: run `gongwen index --rebuild`") && e.contains(&name),
            "{args:?}: {e}"
        );
        assert!(!e.contains("panicked"), "{e}");
    }
    let o = gw(dir, &["index", "--rebuild"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the damaged index was moved to"),
        "{}",
        stderr(&o)
    );
    assert_eq!((count(&stdout(&o), "added"), total(&stdout(&o))), (3, 3));
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));
    let aside: Vec<_> = fs::read_dir(dir.join("ix"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("index.damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(dir.join("ix").join(&aside[0]).join(&name).exists());

    // A positions file gone (tantivy itself opens the segment as one
    // without positions): every command names the file; messages stay short.
    let pos = segment_file(dir, "pos");
    let pos_name = pos.file_name().unwrap().to_string_lossy().to_string();
    fs::remove_file(&pos).unwrap();
    for args in [
        &["search", "秋粮"][..],
        &["search", "--count", "秋粮"],
        &["status"],
        &["index"],
    ] {
        let o = gw(dir, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(
            e.contains("is damaged: run `gongwen index --rebuild`")
                && e.trim_end()
                    .ends_with(&format!("— {pos_name}: 文件缺失 / file missing")),
            "{args:?}: {e}"
        );
        assert_eq!(e.lines().count(), 1, "{e}");
    }
    let o = gw(dir, &["index", "--rebuild"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the damaged index was moved to"),
        "{}",
        stderr(&o)
    );
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));

    // meta.json overwritten, then deleted: the folders come from the copy
    // of the state that every commit leaves in `state.json`.
    fs::write(dir.join("ix/index/meta.json"), "{garbage").unwrap();
    let s = ok(dir, &["index", "--rebuild"]);
    assert_eq!(total(&s), 3, "{s}");
    fs::remove_file(dir.join("ix/index/meta.json")).unwrap();
    for args in [&["search", "秋粮"][..], &["status"], &["index"]] {
        let o = gw(dir, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains("is damaged: run `gongwen index --rebuild`")
                && stderr(&o).contains("meta.json: 文件缺失 / file missing"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    let s = ok(dir, &["index", "--rebuild"]);
    assert_eq!(total(&s), 3, "{s}");
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));

    // The whole `index` folder removed: state.json still names the folders.
    fs::remove_dir_all(dir.join("ix/index")).unwrap();
    let o = gw(dir, &["search", "秋粮"]);
    assert!(stderr(&o).contains("is damaged"), "{}", stderr(&o));
    let s = ok(dir, &["index", "--rebuild"]);
    assert_eq!(total(&s), 3, "{s}");

    // Both lost: the folders are unknown, so PATH is asked for.
    fs::write(dir.join("ix/index/meta.json"), "{garbage").unwrap();
    fs::remove_file(dir.join("ix/state.json")).unwrap();
    let o = gw(dir, &["index", "--rebuild"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("its list of folders could not be read: give the folders"),
        "{}",
        stderr(&o)
    );
    let s = ok(dir, &["index", "--rebuild", "docs"]);
    assert_eq!(total(&s), 3, "{s}");
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));
}

/// Rewrite the commit payload in `<ix>/index/meta.json` to claim `schema_version: v`.
fn set_schema_version(ix: &Path, v: u32) {
    let meta = ix.join("index/meta.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&meta).unwrap()).unwrap();
    let mut payload: serde_json::Value =
        serde_json::from_str(m["payload"].as_str().unwrap()).unwrap();
    payload["schema_version"] = v.into();
    m["payload"] = payload.to_string().into();
    fs::write(&meta, m.to_string()).unwrap();
}

#[test]
fn older_schema_version_is_detected_and_rebuilt() {
    let t = tmp();
    let dir = t.path();
    small_corpus(dir);
    ok(dir, &["index", "docs"]);
    set_schema_version(&dir.join("ix"), 0);
    // Readers refuse with advice, never panic.
    for args in [&["search", "秋粮"][..], &["status"], &["roots"]] {
        let o = gw(dir, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("older gongwen"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }
    // `index` without PATH rebuilds, keeping the roots.
    let o = gw(dir, &["index"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("created a new index"), "{}", stderr(&o));
    let s = stdout(&o);
    assert_eq!((count(&s, "added"), total(&s)), (3, 3), "{s}");
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));

    // A future schema version, and a payload that is not JSON: rebuilt too.
    set_schema_version(&dir.join("ix"), 999);
    let s = ok(dir, &["index", "docs"]);
    assert_eq!(total(&s), 3, "{s}");
    let meta = dir.join("ix/index/meta.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&meta).unwrap()).unwrap();
    m["payload"] = "not json {".into();
    fs::write(&meta, m.to_string()).unwrap();
    let s = ok(dir, &["index", "docs"]);
    assert_eq!((count(&s, "added"), total(&s)), (3, 3), "{s}");
}

/// `n` generated documents of about 1.5 KB under `root`, 100 per folder.
/// Document `i` holds the phrase `编号{i}号文件`.
fn generated_corpus(root: &Path, n: usize) {
    let body = "各地区各部门要认真贯彻落实党中央国务院决策部署，统筹发展和安全，扎实推进各项工作。"
        .repeat(12);
    for i in 0..n {
        let p = root.join(format!("d{:03}/文件{i}.txt", i / 100));
        write(&p, &format!("关于编号{i}号文件的通知\n\n{body}\n"));
    }
}

/// Wait until `child` holds the writer lock (the lock file names its pid).
/// False if it finished first.
fn wait_for_lock(child: &mut Child, ix: &Path) -> bool {
    let want = format!("pid {} ", child.id());
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(60) {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if fs::read_to_string(ix.join("gongwen.lock")).is_ok_and(|s| s.starts_with(&want)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[test]
fn concurrent_index_fails_naming_the_holder_and_search_still_works() {
    let t = tmp();
    let dir = t.path();
    small_corpus(dir);
    ok(dir, &["index", "docs"]);
    let big = dir.join("big");
    generated_corpus(&big, 3000);
    // A commit per document keeps the first run busy for many seconds, even in release builds.
    let mut first = cmd(dir, &["index", "big"])
        .env("GONGWEN_COMMIT_EVERY_DOCS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(
        wait_for_lock(&mut first, &dir.join("ix")),
        "first run finished before it could be observed"
    );
    let pid = first.id();

    let second = gw(dir, &["index", "docs"]);
    let still_running = first.try_wait().unwrap().is_none();
    assert_ne!(
        second.status.code(),
        Some(0),
        "second run succeeded: {}",
        stdout(&second)
    );
    assert_eq!(second.status.code(), Some(2));
    let err = stderr(&second);
    assert!(
        err.contains(&format!("pid {pid}")),
        "second run does not name pid {pid}: {err}"
    );
    assert!(err.contains("another process"), "{err}");
    // `roots remove` takes the same lock.
    let rm = gw(dir, &["roots", "remove", "docs"]);
    assert_eq!(rm.status.code(), Some(2), "{}", stdout(&rm));
    assert!(
        stderr(&rm).contains(&format!("pid {pid}")),
        "{}",
        stderr(&rm)
    );
    // Readers are not blocked.
    assert_eq!(search_count(dir, "秋粮收购"), (0, 1));
    let st = gw(dir, &["status"]);
    assert_eq!(st.status.code(), Some(0), "{}", stderr(&st));
    assert!(
        still_running,
        "the first run ended during the checks; the lock assertions may be meaningless"
    );

    // Kill only after the first run has committed its new root (a kill in the
    // few milliseconds between taking the lock and that first commit would
    // rightly leave the root unknown, and the rerun below would not see it).
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(60)
        && !stdout(&gw(dir, &["roots"])).contains("big")
        && first.try_wait().unwrap().is_none()
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    first.kill().unwrap();
    first.wait().unwrap();
    // The lock is free again, and a run without PATH finishes the big root.
    let s = ok(dir, &["index", "docs"]);
    assert_eq!(count(&s, "unchanged"), 3, "{s}");
    let s = ok(dir, &["index"]);
    assert_eq!(total(&s), 3003, "{s}");
}

/// Live documents according to `roots --json` (summed over roots).
fn live_docs(dir: &Path) -> u64 {
    roots_json(dir).iter().map(|r| r.1).sum()
}

#[test]
fn kill_9_at_any_point_leaves_an_openable_index_and_a_rerun_completes() {
    let t = tmp();
    let dir = t.path();
    let big = dir.join("big");
    fs::create_dir_all(&big).unwrap();
    // Four copies of the shared laws corpus (4 × 3,500 files, ~3 s to index
    // in a release build with a commit every 50 documents), else a
    // generated corpus.
    let expected = match shared_corpus("laws") {
        Some(laws) => {
            for i in 1..=4 {
                let st = Command::new("cp")
                    .arg("-r")
                    .arg(&laws)
                    .arg(big.join(format!("copy{i}")))
                    .status()
                    .unwrap();
                assert!(st.success());
            }
            walkdir::WalkDir::new(&big)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .filter(|e| gongwen::archive::extract::Format::from_path(e.path()).is_some())
                .count()
        }
        None => {
            generated_corpus(&big, 8000);
            8000
        }
    };
    let mut last_docs = 0;
    // Each run goes on from what the killed ones committed, so on a fast
    // machine a later run may finish before its kill: the kills that came
    // before are what is tested, and at least two must have hit a run.
    let mut kills = 0;
    for delay in [200u64, 600, 1200, 2500] {
        let mut child = cmd(dir, &["index", "big"])
            .env("GONGWEN_COMMIT_EVERY_DOCS", "50")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        if finished {
            eprintln!("the run finished within {delay} ms: no kill at this point");
            last_docs = live_docs(dir);
            break;
        }
        kills += 1;
        if !dir.join("ix/index/meta.json").exists() {
            continue; // killed before the index was created
        }
        let (code, _) = search_count(dir, "第一条");
        assert!(
            code == 0 || code == 1,
            "search after kill -9 at {delay} ms exited {code}"
        );
        // The first run never completed: search says its answer may be partial.
        let o = gw(dir, &["search", "--count", "第一条"]);
        assert!(
            stderr(&o).contains("not fully indexed yet"),
            "search after kill at {delay} ms: {}",
            stderr(&o)
        );
        let o = gw(dir, &["status"]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "status after kill at {delay} ms: {}",
            stderr(&o)
        );
        last_docs = live_docs(dir);
        eprintln!("kill -9 after {delay} ms: {last_docs} documents committed");
    }
    assert!(
        kills >= 2,
        "only {kills} run(s) still going when killed: corpus too small to test a kill"
    );
    let s = ok(dir, &["index"]);
    // Every committed document is recognised as unchanged, the rest are added.
    assert_eq!(count(&s, "unchanged") as u64, last_docs, "{s}");
    assert_eq!(count(&s, "added") + count(&s, "unchanged"), expected, "{s}");
    assert_eq!(total(&s), expected, "{s}");
    assert_eq!(live_docs(dir), expected as u64);
    assert!(ok(dir, &["status"]).contains("up to date"));
    let o = gw(dir, &["search", "--count", "第一条"]);
    assert!(!stderr(&o).contains("not fully indexed"), "{}", stderr(&o));
}

#[test]
fn a_run_killed_before_its_first_commit_still_knows_its_root() {
    let t = tmp();
    let dir = t.path();
    small_corpus(dir);
    ok(dir, &["index", "docs"]);
    generated_corpus(&dir.join("big"), 2000);
    let mut child = cmd(dir, &["index", "big"])
        .env("GONGWEN_COMMIT_EVERY_DOCS", "1000000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let big = fs::canonicalize(dir.join("big"))
        .unwrap()
        .display()
        .to_string();
    // The new root is committed before any document of it.
    let t0 = Instant::now();
    let mut seen = None;
    while seen.is_none()
        && t0.elapsed() < Duration::from_secs(60)
        && child.try_wait().unwrap().is_none()
    {
        seen = roots_json(dir).into_iter().find(|r| r.0 == big);
        std::thread::sleep(Duration::from_millis(20));
    }
    let running = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    child.wait().unwrap();
    let root = seen.expect("the new root was not committed while the run was going");
    assert!(running, "the run finished before it could be killed");
    assert_eq!(
        (root.1, root.2),
        (0, 0),
        "no documents and never completed: {root:?}"
    );
    assert!(ok(dir, &["roots"]).contains("never completed"));
    assert!(ok(dir, &["status"]).contains("stale"));
    // `index` without PATH resumes it.
    let s = ok(dir, &["index"]);
    assert_eq!(
        (count(&s, "added"), count(&s, "unchanged"), total(&s)),
        (2000, 3, 2003),
        "{s}"
    );
    assert!(roots_json(dir).iter().all(|r| r.2 > 0));
}

/// An index kept inside the folder it covers (`gongwen index .`) is not
/// walked: its own files are neither seen nor counted as skipped.
#[test]
fn an_index_inside_the_indexed_folder_is_not_walked() {
    let t = tmp();
    let dir = t.path();
    small_corpus(dir);
    // The index is `dir/ix`, inside the root `dir`.
    ok(dir, &["index", "."]);
    let s = ok(dir, &["index", "."]);
    assert_eq!(count(&s, "seen"), 3, "{s}");
    assert_eq!(count(&s, "skipped"), 0, "{s}");
    assert_eq!(count(&s, "unchanged"), 3, "{s}");
}

/// Sets the stop flag after `after` files were indexed, as the CLI's
/// Ctrl-C handler does at a random moment.
struct StopAfter {
    after: usize,
    seen: std::sync::atomic::AtomicUsize,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl StopAfter {
    /// Options for one extraction thread that stop after `after` files, and
    /// the progress that stops them.
    fn options(
        after: usize,
        rebuild: bool,
    ) -> (gongwen::archive::indexer::IndexOptions, StopAfter) {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let opts = gongwen::archive::indexer::IndexOptions {
            rebuild,
            threads: 1,
            stop: Some(std::sync::Arc::clone(&stop)),
            ..Default::default()
        };
        let progress = StopAfter {
            after,
            seen: Default::default(),
            stop,
        };
        (opts, progress)
    }
}

impl gongwen::archive::indexer::Progress for StopAfter {
    fn advance(&self, _path: &str) {
        use std::sync::atomic::Ordering;
        if self.seen.fetch_add(1, Ordering::SeqCst) + 1 == self.after {
            self.stop.store(true, Ordering::SeqCst);
        }
    }
}

#[test]
fn a_stopped_run_keeps_what_it_indexed_removes_nothing_and_the_next_run_finishes() {
    use gongwen::archive::indexer::{self, IndexOptions, NoProgress};
    let t = tmp();
    let root = t.path().join("档案");
    generated_corpus(&root, 20);
    let ix = t.path().join("ix");
    // `search` exits 1 when nothing is found; the count is printed either way.
    let hits = |q: &str| -> u64 {
        stdout(&gw(t.path(), &["search", "--count", q]))
            .trim()
            .parse()
            .unwrap()
    };
    let first = indexer::run(
        &ix,
        std::slice::from_ref(&root),
        &IndexOptions::default(),
        &NoProgress,
    )
    .unwrap();
    assert_eq!((first.added, first.interrupted), (20, false));
    let roots_before = roots_json(t.path());
    assert!(roots_before[0].2 > 0, "first run completed its root");

    // One file deleted, 300 added; the run is stopped after 5 files.
    fs::remove_file(root.join("d000/文件3.txt")).unwrap();
    for i in 1000..1300 {
        write(
            &root.join(format!("新/文件{i}.txt")),
            &format!("关于编号{i}号文件的通知\n"),
        );
    }
    let (opts, progress) = StopAfter::options(5, false);
    let second = indexer::run(&ix, std::slice::from_ref(&root), &opts, &progress).unwrap();
    assert!(second.interrupted);
    assert!(
        (5..100).contains(&second.added),
        "stopped soon after 5 files: added {}",
        second.added
    );
    // The walk did not finish: the deleted file's document stays.
    assert_eq!(second.removed, 0);
    assert_eq!(hits("编号3号文件"), 1);
    // What it indexed is committed, and the root is still unfinished.
    let roots = roots_json(t.path());
    assert_eq!(roots[0].1, 20 + second.added as u64);
    assert_eq!(roots[0].2, roots_before[0].2, "last_indexed kept");

    let third = indexer::run(&ix, &[root], &IndexOptions::default(), &NoProgress).unwrap();
    assert!(!third.interrupted);
    assert_eq!(third.added, 300 - second.added);
    assert_eq!(third.unchanged, 19 + second.added);
    assert_eq!(third.removed, 1);
    assert_eq!(live_docs(t.path()), 319);
    assert_eq!(hits("编号1299号文件"), 1);
    assert_eq!(hits("编号3号文件"), 0);
}

#[cfg(unix)]
#[test]
fn ctrl_c_saves_what_was_indexed_says_so_and_exits_130() {
    let t = tmp();
    let dir = t.path();
    let big = dir.join("big");
    generated_corpus(&big, 6000);
    let mut child = cmd(dir, &["index", "big"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        wait_for_lock(&mut child, &dir.join("ix")),
        "the run ended before it took the lock"
    );
    std::thread::sleep(Duration::from_millis(150));
    // SAFETY: kill(2) on the pid of our own child, which is not yet reaped.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let o = child.wait_with_output().unwrap();
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(130), "stdout: {out}\nstderr: {err}");
    assert!(
        err.contains("正在停止") && err.contains("stopping"),
        "{err}"
    );
    assert!(out.contains("已中断 interrupted"), "{out}");
    let saved = count(&out, "added");
    assert!(saved < 6000, "stopped before the end: {out}");
    assert_eq!(live_docs(dir), saved as u64, "all it reported is committed");
    let again = ok(dir, &["index"]);
    assert_eq!(count(&again, "added"), 6000 - saved, "{again}");
    assert_eq!(count(&again, "unchanged"), saved, "{again}");
    assert_eq!(live_docs(dir), 6000);
}

/// A rebuild stopped halfway loses nothing: the files not re-read yet keep
/// their old entries (search finds all 40), the root is marked unfinished,
/// and the next plain `gongwen index` takes the rebuild up (re-reading every
/// file, since which ones were done is not recorded) and completes it.
#[test]
fn a_stopped_rebuild_keeps_every_document_and_the_next_run_finishes_it() {
    use gongwen::archive::indexer::{self, IndexOptions, NoProgress};
    let t = tmp();
    let root = t.path().join("档案");
    generated_corpus(&root, 40);
    let ix = t.path().join("ix");
    indexer::run(
        &ix,
        std::slice::from_ref(&root),
        &IndexOptions::default(),
        &NoProgress,
    )
    .unwrap();
    let note = "not fully indexed";
    assert!(!stderr(&gw(t.path(), &["search", "通知"])).contains(note));

    let (opts, progress) = StopAfter::options(3, true);
    let stopped = indexer::run(&ix, &[], &opts, &progress).unwrap();
    assert!(stopped.interrupted && stopped.rebuilding && !stopped.rebuilt);
    assert!(stopped.written < 40, "{}", stopped.written);
    assert_eq!(stopped.removed, 0);
    // Every document is still there; the root says the run did not finish.
    let s = gw(t.path(), &["search", "--count", "通知"]);
    assert_eq!(stdout(&s).trim(), "40");
    assert!(stderr(&s).contains(note), "{}", stderr(&s));
    let st = gw(t.path(), &["status"]);
    assert!(
        stdout(&st).contains("a later run did not finish"),
        "{}",
        stdout(&st)
    );
    let json: serde_json::Value =
        serde_json::from_str(ok(t.path(), &["roots", "--json"]).lines().next().unwrap()).unwrap();
    assert_eq!(json["unfinished"], true);

    let done = gw(t.path(), &["index"]);
    assert!(
        stderr(&done).contains("rebuilt 1 folder(s): every file in them was read again"),
        "{}",
        stderr(&done)
    );
    let done = stdout(&done);
    assert_eq!(
        (count(&done, "updated"), count(&done, "unchanged")),
        (40, 0),
        "{done}"
    );
    let s = gw(t.path(), &["search", "--count", "通知"]);
    assert_eq!(stdout(&s).trim(), "40");
    assert!(!stderr(&s).contains(note), "{}", stderr(&s));
    assert!(!ok(t.path(), &["status"]).contains("did not finish"));
    // Done: the run after that re-reads nothing.
    assert_eq!(count(&ok(t.path(), &["index"]), "unchanged"), 40);
}

/// Runs `f` once, when the first file has been indexed.
struct OnFirstFile<F: Fn() + Sync> {
    f: F,
    done: std::sync::atomic::AtomicBool,
}

impl<F: Fn() + Sync> gongwen::archive::indexer::Progress for OnFirstFile<F> {
    fn advance(&self, _path: &str) {
        if !self.done.swap(true, std::sync::atomic::Ordering::SeqCst) {
            (self.f)();
        }
    }
}

#[test]
fn files_deleted_during_a_run_are_gone_not_failed() {
    use gongwen::archive::indexer::{self, IndexOptions, NoProgress};
    let t = tmp();
    let root = t.path().join("档案");
    generated_corpus(&root, 300);
    let ix = t.path().join("ix");
    let opts = IndexOptions {
        threads: 1,
        ..IndexOptions::default()
    };
    let delete_all = || {
        let _ = fs::remove_dir_all(root.join("d001"));
        let _ = fs::remove_dir_all(root.join("d002"));
    };
    // New files: those deleted before they were read are not indexed.
    let p = OnFirstFile {
        f: delete_all,
        done: Default::default(),
    };
    let s = indexer::run(&ix, std::slice::from_ref(&root), &opts, &p).unwrap();
    assert!(s.vanished > 0, "{s:?}");
    assert_eq!((s.failed_files, s.removed), (0, 0), "{:?}", s.failed);
    // Files deleted before the walk reached them were never seen.
    assert_eq!(s.added + s.vanished, s.seen, "{s:?}");
    assert_eq!(live_docs(t.path()), s.added as u64);
    assert!(!ok(t.path(), &["status", "--quality"]).contains("failed"));

    // Indexed files changed, then deleted during the run: their documents go.
    generated_corpus(&root, 300);
    indexer::run(&ix, std::slice::from_ref(&root), &opts, &NoProgress).unwrap();
    for i in 100..300 {
        let f = root.join(format!("d{:03}/文件{i}.txt", i / 100));
        write(&f, &format!("关于编号{i}号文件的补充通知\n"));
        touch_later(&f, 5);
    }
    let p = OnFirstFile {
        f: delete_all,
        done: Default::default(),
    };
    let s = indexer::run(&ix, std::slice::from_ref(&root), &opts, &p).unwrap();
    assert!(s.vanished > 0, "{s:?}");
    assert_eq!(s.failed_files, 0, "{:?}", s.failed);
    assert_eq!(s.unchanged + s.updated + s.vanished, s.seen);
    // Every deleted file's document is removed, read or not.
    assert_eq!(s.removed, 200 - s.updated);
    assert_eq!(live_docs(t.path()), 100 + s.updated as u64);
}

#[test]
fn an_unfinished_root_whose_folder_is_gone_says_how_to_end_the_note() {
    use gongwen::archive::indexer;
    let t = tmp();
    let root = t.path().join("档案");
    generated_corpus(&root, 30);
    let (opts, progress) = StopAfter::options(3, false);
    let s = indexer::run(
        &t.path().join("ix"),
        std::slice::from_ref(&root),
        &opts,
        &progress,
    )
    .unwrap();
    assert!(s.interrupted);
    let json: serde_json::Value =
        serde_json::from_str(ok(t.path(), &["roots", "--json"]).lines().next().unwrap()).unwrap();
    assert_eq!(
        (json["last_indexed"].as_i64(), json["unfinished"].as_bool()),
        (Some(0), Some(true))
    );
    // Present: run `gongwen index`. Gone (a share offline): reconnect or remove.
    let note = stderr(&gw(t.path(), &["catalog"]));
    assert!(note.contains("run `gongwen index` to finish"), "{note}");
    fs::rename(&root, t.path().join("移走")).unwrap();
    for args in [
        &["search", "通知"][..],
        &["catalog"],
        &["status", "--quality"],
    ] {
        let note = stderr(&gw(t.path(), args));
        assert!(
            note.contains("the folder is missing") && note.contains("gongwen roots remove"),
            "{args:?}: {note}"
        );
    }
}

#[test]
fn a_markdown_file_of_front_matter_alone_is_titled_by_its_name_and_still_found() {
    let t = tmp();
    write(
        &t.path().join("docs/其他/_index.md"),
        "---\nbookCollapseSection: true\n---\n",
    );
    ok(t.path(), &["index", "docs"]);
    let show = ok(t.path(), &["show", "docs/其他/_index.md"]);
    let title = show.lines().find(|l| l.starts_with("标题 title:")).unwrap();
    assert!(title.ends_with(" _index"), "{title}");
    // Its keys are still searchable text, as grep finds them.
    assert_eq!(
        ok(t.path(), &["search", "--count", "bookcollapsesection"]).trim(),
        "1"
    );
}

#[test]
fn a_bad_query_gets_its_error_without_the_unfinished_note() {
    use gongwen::archive::indexer;
    let t = tmp();
    let root = t.path().join("档案");
    generated_corpus(&root, 20);
    let (opts, progress) = StopAfter::options(2, false);
    indexer::run(
        &t.path().join("ix"),
        std::slice::from_ref(&root),
        &opts,
        &progress,
    )
    .unwrap();
    let bad = gw(t.path(), &["search", "\"未闭合"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("unbalanced quote"),
        "{}",
        stderr(&bad)
    );
    assert!(
        !stderr(&bad).contains("not fully indexed"),
        "{}",
        stderr(&bad)
    );
    let good = gw(t.path(), &["search", "通知"]);
    assert!(
        stderr(&good).contains("not fully indexed"),
        "{}",
        stderr(&good)
    );
}

/// A fold stopped halfway is remembered (the folder around is the root at
/// once, the inner root is gone) and the next run re-reads only the files
/// still carrying the inner root's key: each exactly once in all.
#[test]
fn a_stopped_fold_is_remembered_and_each_file_reread_once() {
    use gongwen::archive::indexer::{self, IndexOptions, NoProgress};
    let t = tmp();
    let root = t.path().join("档案");
    generated_corpus(&root, 250);
    let ix = t.path().join("ix");
    let inner = root.join("d001");
    let first = indexer::run(
        &ix,
        std::slice::from_ref(&inner),
        &IndexOptions::default(),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(first.added, 100);
    let (opts, progress) = StopAfter::options(20, false);
    let second = indexer::run(&ix, std::slice::from_ref(&root), &opts, &progress).unwrap();
    assert!(second.interrupted);
    assert_eq!(second.absorbed_roots.len(), 1);
    let roots = roots_json(t.path());
    assert_eq!(roots.len(), 1, "{roots:?}");
    assert!(roots[0].0.ends_with("档案"), "{roots:?}");
    assert_eq!(roots[0].1, 100 + second.added as u64, "{roots:?}");
    let st = ok(t.path(), &["status"]);
    let pending = format!(
        "{} files of folded folders are still to be read again",
        100 - second.updated
    );
    assert!(
        st.contains(&pending) && st.contains("the index is stale"),
        "{st}"
    );
    let third = indexer::run(&ix, &[], &IndexOptions::default(), &NoProgress).unwrap();
    assert!(!third.interrupted);
    assert_eq!(second.updated + third.updated, 100, "{second:?} {third:?}");
    assert!(!ok(t.path(), &["status"]).contains("folded folders"));
    assert_eq!(second.added + third.added, 150);
    let fourth = indexer::run(&ix, &[], &IndexOptions::default(), &NoProgress).unwrap();
    assert_eq!((fourth.updated, fourth.unchanged), (0, 250));
    assert_eq!(live_docs(t.path()), 250);
}

/// A link in one indexed folder to another indexed folder is not followed:
/// the other folder's files are indexed once, under their own root.
#[cfg(unix)]
#[test]
fn a_link_into_another_root_is_not_followed() {
    let t = tmp();
    let dir = t.path();
    write(&dir.join("甲/通知.txt"), "关于甲单位值班安排的通知\n");
    write(&dir.join("乙/通告.txt"), "关于乙单位停车场改造的通告\n");
    write(&dir.join("外/函.txt"), "关于外单位来访的函\n");
    std::os::unix::fs::symlink(dir.join("乙"), dir.join("甲/到乙")).unwrap();
    std::os::unix::fs::symlink(dir.join("外"), dir.join("甲/到外")).unwrap();
    // 乙 not indexed yet: its file is reached through the link.
    let s = ok(dir, &["index", "甲"]);
    assert_eq!(total(&s), 3, "{s}");
    // 乙 becomes a root: the copy through the link is dropped by the next run.
    let s = ok(dir, &["index", "乙"]);
    assert_eq!(total(&s), 4, "{s}");
    assert!(ok(dir, &["status"]).contains("deleted 1"));
    let s = ok(dir, &["index"]);
    assert_eq!((count(&s, "removed"), total(&s)), (1, 3), "{s}");
    let s = ok(dir, &["index", "甲", "乙"]);
    assert_eq!(total(&s), 3, "{s}");
    assert_eq!(search_count(dir, "停车场改造"), (0, 1));
    // A folder outside every root is still followed through its link.
    assert_eq!(search_count(dir, "外单位来访"), (0, 1));
    assert!(ok(dir, &["status"]).contains("the index is up to date"));
    assert_eq!(count(&ok(dir, &["index"]), "unchanged"), 3);
}
