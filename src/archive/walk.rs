//! Walking archive folders: which files exist, what format each is, and the
//! lossless key each is indexed under.
//!
//! Symlinks are followed; walkdir detects loops and they are reported, not
//! followed forever. Unreadable folders are reported and their files are
//! treated as *unknown* (never as deleted).

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

use super::extract::Format;

/// One supported file found by the walk.
#[derive(Clone, Debug)]
pub struct FileEntry {
    /// Path as found (root joined with the relative path).
    pub path: PathBuf,
    /// Lossless key of the path ([`path_id`]).
    pub id: String,
    /// Key of the root it was found under.
    pub root_id: String,
    /// File size in bytes.
    pub size: u64,
    /// Modification time, seconds since the Unix epoch (0 if unknown).
    pub mtime: i64,
    /// Format decided by the extension.
    pub format: Format,
}

/// What walking one root produced.
#[derive(Debug, Default)]
pub struct WalkResult {
    /// Supported files.
    pub files: Vec<FileEntry>,
    /// Number of regular files seen, supported or not.
    pub seen: usize,
    /// Files of unsupported types.
    pub skipped: usize,
    /// Paths that could not be walked, with the reason (one line each).
    pub errors: Vec<(String, String)>,
    /// Keys of folders that could not be read: documents under them are kept.
    pub unreadable_dirs: Vec<String>,
}

/// Lossless string key for a path: the path itself when it is valid UTF-8,
/// else `hex:` followed by the hex of its raw bytes (Unix). The key can be
/// turned back into the path with [`path_from_id`].
pub fn path_id(path: &Path) -> String {
    match path.to_str() {
        Some(s) if !s.starts_with("hex:") => s.to_string(),
        _ => {
            let bytes = raw_bytes(path);
            let mut s = String::with_capacity(4 + bytes.len() * 2);
            s.push_str("hex:");
            for b in bytes {
                s.push_str(&format!("{b:02x}"));
            }
            s
        }
    }
}

/// The [`path_id`] keys of the paths that [`display_path`] shows as
/// `shown` because their last 1, 2, … components are GBK/GB18030 bytes on
/// disk (a name typed as printed, `/档案/关于通知.txt`, for a file whose
/// name is GBK). Empty when `shown` is not UTF-8 or is all ASCII.
pub fn gbk_spelling_ids(shown: &Path) -> Vec<String> {
    let Some(s) = shown.to_str() else {
        return Vec::new();
    };
    let parts: Vec<&str> = s.split('/').collect();
    let mut out = Vec::new();
    for k in 1..parts.len() {
        let (head, tail) = parts.split_at(parts.len() - k);
        let tail = tail.join("/");
        if tail.is_ascii() {
            continue;
        }
        let (gbk, _, unmappable) = encoding_rs::GB18030.encode(&tail);
        if unmappable {
            continue;
        }
        let mut bytes = head.join("/").into_bytes();
        bytes.push(b'/');
        bytes.extend_from_slice(&gbk);
        let id = path_id(&from_raw_bytes(bytes));
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// The path a [`path_id`] key stands for.
pub fn path_from_id(id: &str) -> PathBuf {
    if let Some(hex) = id.strip_prefix("hex:") {
        let bytes: Vec<u8> = (0..hex.len() / 2)
            .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
            .collect();
        from_raw_bytes(bytes)
    } else {
        PathBuf::from(id)
    }
}

/// Whether the indexed file `id`, not met by a walk, is gone from the
/// archive: not on disk, no longer a regular file (a folder or a pipe of
/// the same name took its place), or on disk only through a link into one
/// of the `known` roots (canonical), which the walk does not follow — its
/// copy is indexed under its real path. Such a document was indexed through
/// the link before the link's target became a root.
pub fn gone(id: &str, known: &[PathBuf]) -> bool {
    let p = path_from_id(id);
    match std::fs::canonicalize(&p) {
        Ok(real) => !real.is_file() || (real != p && known.iter().any(|o| real.starts_with(o))),
        Err(_) => !p.exists(),
    }
}

/// Whether the file of the document `id` (for a zip member, its zip) is
/// still on disk at its path, as a regular file: `false` when it was
/// deleted or moved since it was indexed, replaced by a folder of the same
/// name, or its drive is not connected. One `stat`.
pub fn on_disk(id: &str) -> bool {
    path_from_id(container_id(id).unwrap_or(id)).is_file()
}

/// The id of the outermost zip archive that `id` is a member of, or `None`
/// when `id` is a file of its own. Members of a `.zip` are indexed under
/// `<zip id>!/<member name>` (see [`super::extract::archive_zip`]): the zip
/// is the prefix before the first `!/` whose path has a `.zip` extension
/// (case-insensitive; `hex:` ids never contain `!`).
///
/// ```
/// use gongwen::archive::walk::container_id;
/// assert_eq!(container_id("/a/批次.ZIP!/b.zip!/通知.txt"), Some("/a/批次.ZIP"));
/// assert_eq!(container_id("/a/惊叹!/通知.txt"), None);
/// assert_eq!(container_id("/a/批次.zip"), None);
/// ```
pub fn container_id(id: &str) -> Option<&str> {
    id.match_indices(super::extract::archive_zip::MEMBER_SEP)
        .map(|(i, _)| &id[..i])
        .find(|head| Format::from_path(&path_from_id(head)) == Some(Format::Zip))
}

/// A readable form of a path: the path when it is UTF-8, else its bytes
/// decoded as GB18030 (Windows archives name files in GBK), else lossy UTF-8.
pub fn display_path(path: &Path) -> String {
    if let Some(s) = path.to_str() {
        return s.to_string();
    }
    let bytes = raw_bytes(path);
    let (cow, _, had_errors) = encoding_rs::GB18030.decode(&bytes);
    if had_errors {
        path.to_string_lossy().into_owned()
    } else {
        cow.into_owned()
    }
}

#[cfg(unix)]
fn raw_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}
#[cfg(not(unix))]
fn raw_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().as_bytes().to_vec()
}
#[cfg(unix)]
fn from_raw_bytes(b: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(b))
}
#[cfg(not(unix))]
fn from_raw_bytes(b: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&b).into_owned())
}

/// A gongwen index folder (`gongwen.lock` beside `index/`): never walked,
/// so an index kept inside the archive it covers (`gongwen index .` with
/// the default `.gongwen/`) does not count its own files.
fn is_index_dir(e: &walkdir::DirEntry) -> bool {
    e.file_type().is_dir()
        && e.path().join("gongwen.lock").is_file()
        && e.path().join("index").is_dir()
}

/// The walkdir iterator the walks use: symlinks followed, gongwen index
/// folders skipped, and so are links to files or folders inside `root`
/// (canonical) itself or inside one of `others` (the index's other roots):
/// those are walked under their own paths already, and would be indexed
/// twice (a link to a folder above it is a loop, which walkdir reports).
fn entries<'a>(
    root: &'a Path,
    others: &'a [PathBuf],
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> + 'a {
    WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(move |e| !is_index_dir(e) && !links_inside(e, root, others))
}

/// Whether `e` is a link, below `root`, to a file or folder inside `root`
/// that is not above the link (that would be a loop), or inside one of
/// `others` that is not an ancestor of `root`.
fn links_inside(e: &walkdir::DirEntry, root: &Path, others: &[PathBuf]) -> bool {
    e.depth() > 0
        && e.path_is_symlink()
        && std::fs::canonicalize(e.path()).is_ok_and(|t| {
            (t.starts_with(root) && !e.path().starts_with(&t))
                || others
                    .iter()
                    .any(|o| t.starts_with(o) && !root.starts_with(o))
        })
}

/// Number of supported files under `root`, by name only (no `stat` of
/// regular files): the total a progress bar can show before the real walk.
/// About 1 µs per file once the folders are in the page cache.
/// Links into `others` are left out, as [`walk_each_beside`] leaves them.
pub fn count_supported(root: &Path, others: &[PathBuf]) -> u64 {
    entries(root, others)
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && Format::from_path(e.path()).is_some())
        .count() as u64
}

/// Walk `root` (a canonical path) and list its supported files, skipping
/// gongwen index folders. Never fails: problems are collected in
/// [`WalkResult::errors`]. Holds every entry (~250 bytes per file); the
/// indexer streams with [`walk_each`] instead.
pub fn walk(root: &Path) -> WalkResult {
    let mut files = Vec::new();
    let mut out = walk_each(root, |e| files.push(e));
    out.files = files;
    out
}

/// Walk `root` like [`walk`], handing each supported file to `found` as it
/// is met instead of listing them: memory is bounded by the folder depth,
/// not by the number of files. The returned [`WalkResult`] has the counts
/// and errors and an empty `files`.
pub fn walk_each(root: &Path, found: impl FnMut(FileEntry)) -> WalkResult {
    walk_each_beside(root, &[], found)
}

/// [`walk_each`], not following links into `others` either: the other
/// roots of the index (canonical paths), whose files are indexed under
/// their own root.
pub fn walk_each_beside(
    root: &Path,
    others: &[PathBuf],
    mut found: impl FnMut(FileEntry),
) -> WalkResult {
    let root_id = path_id(root);
    let mut out = WalkResult::default();
    for entry in entries(root, others) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(display_path)
                    .unwrap_or_else(|| display_path(root));
                let dangling = e.path().is_some_and(|p| {
                    p.symlink_metadata()
                        .is_ok_and(|m| m.file_type().is_symlink())
                        && !p.exists()
                });
                // a → b → a: no ancestor loop, but the kernel gives up (ELOOP).
                let cycle = e.path().is_some_and(is_link_cycle);
                // Deleted or moved away while the walk was under way (a folder
                // listed, then gone before it was opened): not a problem.
                let gone = !dangling
                    && is_not_found(&e)
                    && e.path().is_some_and(|p| p.symlink_metadata().is_err());
                if gone {
                    continue;
                }
                let reason = if e.loop_ancestor().is_some() || cycle {
                    "符号链接循环，已跳过 / symlink loop, skipped".to_string()
                } else if dangling {
                    "符号链接指向的文件不存在，已跳过 / broken symbolic link (its target does not exist), skipped"
                        .to_string()
                } else {
                    if let Some(p) = e.path() {
                        out.unreadable_dirs.push(path_id(p));
                    }
                    format!(
                        "无法读取 / cannot read: {}",
                        e.io_error()
                            .map(|x| x.to_string())
                            .unwrap_or_else(|| e.to_string())
                    )
                };
                out.errors.push((p, reason));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            // A pipe, device or socket (or a link to one) named like a
            // document: said, not silently passed over; never opened (a
            // pipe would block the run).
            if !entry.file_type().is_dir() && Format::from_path(entry.path()).is_some() {
                out.errors
                    .push((display_path(entry.path()), NOT_REGULAR.to_string()));
            }
            continue;
        }
        out.seen += 1;
        let path = entry.path();
        let Some(format) = Format::from_path(path) else {
            out.skipped += 1;
            continue;
        };
        let meta = match entry.metadata() {
            Ok(m) => m,
            Err(e) if is_not_found(&e) => {
                out.seen -= 1; // listed, then deleted before it was looked at
                continue;
            }
            Err(e) => {
                out.errors
                    .push((display_path(path), format!("无法读取 / cannot stat: {e}")));
                continue;
            }
        };
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        found(FileEntry {
            path: path.to_path_buf(),
            id: path_id(path),
            root_id: root_id.clone(),
            size: meta.len(),
            mtime,
            format,
        });
    }
    out
}

/// Reason the walk gives for a pipe, device or socket with a document's
/// extension (`gongwen show` words its own hint for such a path).
pub const NOT_REGULAR: &str = "不是普通文件（管道、设备或套接字），已跳过 / not a regular file (a pipe, device or socket), skipped";

/// Whether a walk error is "no such file or directory": the path went away
/// between listing and looking at it.
fn is_not_found(e: &walkdir::Error) -> bool {
    e.io_error()
        .is_some_and(|x| x.kind() == std::io::ErrorKind::NotFound)
}

/// Whether following the symbolic link `p` runs in a circle (`a → b → a`):
/// the kernel's ELOOP.
fn is_link_cycle(p: &Path) -> bool {
    #[cfg(unix)]
    {
        matches!(std::fs::metadata(p), Err(e) if e.raw_os_error() == Some(libc::ELOOP))
    }
    #[cfg(not(unix))]
    {
        let _ = p;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_ids_are_paths() {
        let p = Path::new("/a/青禾/通知.md");
        assert_eq!(path_id(p), "/a/青禾/通知.md");
        assert_eq!(path_from_id(&path_id(p)), p);
    }

    #[cfg(unix)]
    #[test]
    fn gbk_names_round_trip_and_read() {
        use std::os::unix::ffi::OsStringExt;
        let (gbk, _, _) = encoding_rs::GBK.encode("公文.txt");
        let bytes = gbk.into_owned();
        assert!(std::str::from_utf8(&bytes).is_err(), "{bytes:x?}");
        let p = PathBuf::from(std::ffi::OsString::from_vec(bytes));
        let id = path_id(&p);
        assert!(id.starts_with("hex:"), "{id}");
        assert_eq!(path_from_id(&id), p);
        assert_eq!(display_path(&p), "公文.txt");
    }
}
