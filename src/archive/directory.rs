//! The index's tantivy directory: tantivy's `MmapDirectory`, except that
//! - a finished file is synced to disk in the background, and waited for
//!   when the next commit makes it part of the index (below);
//! - `meta.json` and `.managed.json` are written with the usual permissions
//!   (0666 less the umask, not 0600), so others the folder admits can search;
//! - a reader that cannot create the meta lock file (read-only medium,
//!   another user's index) reads without it
//!   ([`ArchiveDirectory::acquire_lock`]).
//!
//! `MmapDirectory` calls `fdatasync` on every segment file as it is closed,
//! on the thread that closes it. Indexing threads close their segment's
//! files when their memory budget is full, both at about the same moment,
//! and then wait on the disk: on the laws corpus (3,502 files) ≈ 200 ms of
//! the indexing threads' time in a 1.5 s build (`strace -f -T -e fdatasync`),
//! during which nothing is indexed. [`ArchiveDirectory`] hands each finished
//! file to a short-lived thread that syncs it, and joins those threads in
//! [`Directory::sync_directory`], which tantivy calls before it writes
//! `meta.json` (every commit, every merge that ends) and which tantivy's own
//! contract names as the point where a new file becomes durable ("The file
//! will only be durably written after we terminate AND sync_directory() is
//! called", `MmapDirectory::open_write`). So the guarantee is unchanged: a
//! power cut leaves the last `meta.json`, whose segments were all on disk
//! when it was written. Measured (`python3 bench/build_ab.py --runs 10`,
//! laws corpus): full build min/median 1.60/1.71 s against 1.62/1.84 s.
//!
//! The writer reads differently from a search ([`Reads`]). A search maps
//! every segment file (`MmapDirectory`) and touches the few pages it needs.
//! A merge reads its inputs from end to end, and through maps every page it
//! read stayed resident in the indexing process until the merge ended: a
//! merge's whole input counted in the process's RSS, which is why merges
//! were bounded at 96 MB and a large archive ended in many segments (laws
//! ×100: 61), each of which a search process opens. With
//! [`Reads::Copied`] each read is a positioned read into memory of its
//! own, freed when tantivy drops it; the page cache still holds the file,
//! but not as the process's memory.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tantivy::HasLen;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, META_LOCK, MmapDirectory,
    OwnedBytes, TerminatingWrite, WatchCallback, WatchHandle, WritePtr,
};

/// Syncs of finished files under way (one short-lived thread each), shared
/// by every clone of one [`ArchiveDirectory`].
type Pending = Arc<Mutex<Vec<JoinHandle<io::Result<()>>>>>;

/// A tantivy [`Directory`] over the folder `<index dir>/index`: reads,
/// deletes and the writer lock are `MmapDirectory`'s; files written with
/// `open_write` are synced in the background and waited for in the next
/// `sync_directory` call; `atomic_write` and the meta lock differ as the
/// module doc says.
#[derive(Clone, Debug)]
pub struct ArchiveDirectory {
    inner: MmapDirectory,
    root: PathBuf,
    pending: Pending,
    reads: Reads,
}

/// How an [`ArchiveDirectory`] reads segment files (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reads {
    /// Through `MmapDirectory`'s memory maps, kept while the file is open:
    /// for searching, which touches a few pages of each file.
    Mapped,
    /// Each read copied into memory of its own (positioned reads), freed
    /// with it: for the writer, whose merges read their inputs whole.
    Copied,
}

impl ArchiveDirectory {
    /// Open the existing folder `root`. Errors: the folder is missing or not
    /// a folder (tantivy's `OpenDirectoryError`).
    pub fn open(
        root: &Path,
    ) -> Result<ArchiveDirectory, tantivy::directory::error::OpenDirectoryError> {
        ArchiveDirectory::open_with(root, Reads::Mapped)
    }

    /// [`ArchiveDirectory::open`], reading files as `reads` says.
    pub fn open_with(
        root: &Path,
        reads: Reads,
    ) -> Result<ArchiveDirectory, tantivy::directory::error::OpenDirectoryError> {
        Ok(ArchiveDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
            pending: Arc::default(),
            reads,
        })
    }

    /// Wait for the syncs of every file finished since the last call; the
    /// first error is returned after all have ended.
    fn sync_pending(&self) -> io::Result<()> {
        let syncs = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        let mut result = Ok(());
        for s in syncs {
            let r = s
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("file sync thread panicked")));
            if result.is_ok() {
                result = r;
            }
        }
        result
    }
}

/// Remove from the index folder `root` the temporary files that an
/// [`ArchiveDirectory`]'s atomic write left when its process was killed
/// between writing and renaming (`.meta.json.<pid>.<n>.tmp`,
/// `..managed.json.<pid>.<n>.tmp`), and the writability probe
/// `.gongwen-write-test.<pid>` of a run killed while it checked; nothing
/// else is touched. Call only
/// while holding the writer lock: no other process is then writing them.
/// Returns how many were removed; a file that cannot be removed stays (it
/// is only a stray copy).
pub fn remove_stale_temporaries(root: &Path) -> usize {
    remove_files_named(root, is_stale_temporary)
}

/// Remove the regular files directly in `folder` whose names satisfy
/// `wanted` (names that are not UTF-8 are read lossily). Returns how many
/// were removed; a file that cannot be removed stays, an unreadable folder
/// removes nothing.
pub(crate) fn remove_files_named(folder: &Path, wanted: impl Fn(&str) -> bool) -> usize {
    let Ok(rd) = std::fs::read_dir(folder) else {
        return 0;
    };
    rd.flatten()
        .filter(|e| {
            wanted(&e.file_name().to_string_lossy()) && e.file_type().is_ok_and(|t| t.is_file())
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// Whether `name` is one of `atomic_write`'s temporary names for
/// `meta.json` or `.managed.json` (`.<name>.<pid>.<n>.tmp`, digits only), or
/// the writability probe of `index::check_writable`
/// (`.gongwen-write-test.<pid>`).
fn is_stale_temporary(name: &str) -> bool {
    if let Some(pid) = name.strip_prefix(".gongwen-write-test.") {
        return !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
    }
    [".meta.json.", "..managed.json."].iter().any(|prefix| {
        name.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(".tmp"))
            .and_then(|r| r.split_once('.'))
            .is_some_and(|(pid, n)| {
                [pid, n]
                    .iter()
                    .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            })
    })
}

/// A file read with positioned reads ([`Reads::Copied`]): each
/// `read_bytes` is a buffer of its own.
#[derive(Debug)]
struct CopiedFile {
    file: File,
    len: usize,
}

impl CopiedFile {
    fn open(root: &Path, path: &Path) -> Result<CopiedFile, OpenReadError> {
        let wrap = |e: io::Error| {
            if e.kind() == io::ErrorKind::NotFound {
                OpenReadError::FileDoesNotExist(path.to_path_buf())
            } else {
                OpenReadError::wrap_io_error(e, path.to_path_buf())
            }
        };
        let file = File::open(root.join(path)).map_err(wrap)?;
        let len = file.metadata().map_err(wrap)?.len() as usize;
        Ok(CopiedFile { file, len })
    }
}

impl HasLen for CopiedFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for CopiedFile {
    /// The bytes of `range` (within the file's length, as tantivy asks;
    /// an empty range is an empty buffer). Errors: the read's.
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        let mut buf = vec![0u8; range.len()];
        read_exact_at(&self.file, &mut buf, range.start as u64)?;
        Ok(OwnedBytes::new(buf))
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The writer behind `open_write`'s buffer: on `terminate` the file's sync
/// starts on a thread of its own, joined later by `sync_pending`.
struct DeferredFile {
    file: Option<File>,
    pending: Pending,
}

impl Write for DeferredFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("write after terminate")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl TerminatingWrite for DeferredFile {
    fn terminate_ref(&mut self, _: AntiCallToken) -> io::Result<()> {
        if let Some(f) = self.file.take() {
            let sync = std::thread::Builder::new()
                .name("gongwen-fsync".into())
                .spawn(move || f.sync_data())?;
            self.pending
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(sync);
        }
        Ok(())
    }
}

impl Directory for ArchiveDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        match self.reads {
            Reads::Mapped => self.inner.get_file_handle(path),
            Reads::Copied => Ok(Arc::new(CopiedFile::open(&self.root, path)?)),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.root.join(path))
            .map_err(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    OpenWriteError::FileAlreadyExists(path.to_path_buf())
                } else {
                    OpenWriteError::wrap_io_error(e, path.to_path_buf())
                }
            })?;
        Ok(BufWriter::new(Box::new(DeferredFile {
            file: Some(file),
            pending: Arc::clone(&self.pending),
        })))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    /// Atomic replace, as `MmapDirectory` does it — write a temporary file
    /// beside `path`, sync it, rename it over `path` — but the temporary
    /// file is created with the usual permissions (0666 less the umask):
    /// `MmapDirectory`'s is created 0600, so `meta.json` and `.managed.json`
    /// became unreadable to every other user, and a colleague whom the
    /// folder lets in could not search the index.
    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let target = self.root.join(path);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
        let tmp = self.root.join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| {
            let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
            f.write_all(data)?;
            f.sync_data()?;
            std::fs::rename(&tmp, &target)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written
    }

    /// `MmapDirectory`'s lock, except that a reader that cannot create the
    /// meta lock file — the index is on a read-only medium, or belongs to
    /// another user — reads without it. The meta lock only keeps a writer's
    /// garbage collection from deleting segment files while a reader opens
    /// them: impossible on a read-only medium; on another user's index a
    /// search that meets a concurrent cleanup fails with a missing file and
    /// can be repeated. The writer lock is never skipped.
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(e))
                if lock.filepath == META_LOCK.filepath
                    && matches!(
                        e.kind(),
                        io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied
                    ) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.sync_pending()?;
        self.inner.sync_directory()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending_len(d: &ArchiveDirectory) -> usize {
        d.pending.lock().unwrap().len()
    }

    #[test]
    fn finished_file_is_synced_at_sync_directory_and_reads_back() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = ArchiveDirectory::open(tmp.path()).unwrap();
        let mut w = dir.open_write(Path::new("seg.pos")).unwrap();
        w.write_all("第一条".as_bytes()).unwrap();
        assert_eq!(pending_len(&dir), 0, "nothing pending before terminate");
        w.terminate().unwrap();
        // A clone (tantivy boxes and clones its directory) shares the list.
        let clone = dir.clone();
        assert_eq!(pending_len(&clone), 1);
        clone.sync_directory().unwrap();
        assert_eq!(pending_len(&dir), 0);
        let bytes = dir
            .open_read(Path::new("seg.pos"))
            .unwrap()
            .read_bytes()
            .unwrap();
        assert_eq!(bytes.as_slice(), "第一条".as_bytes());
        assert_eq!(
            std::fs::read(tmp.path().join("seg.pos")).unwrap(),
            "第一条".as_bytes()
        );
    }

    #[test]
    fn copied_reads_give_the_bytes_of_the_range_and_name_a_missing_file() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("seg.store"), "发文字号〔2026〕7号").unwrap();
        std::fs::write(tmp.path().join("seg.del"), "").unwrap();
        let dir = ArchiveDirectory::open_with(tmp.path(), Reads::Copied).unwrap();
        let f = dir.open_read(Path::new("seg.store")).unwrap();
        assert_eq!(f.len(), "发文字号〔2026〕7号".len());
        // "字号" is bytes 6..12 (three bytes a character).
        assert_eq!(
            f.read_bytes_slice(6..12).unwrap().as_slice(),
            "字号".as_bytes()
        );
        assert_eq!(
            f.slice_from(12).read_bytes().unwrap().as_slice(),
            "〔2026〕7号".as_bytes()
        );
        assert!(f.read_bytes_slice(3..3).unwrap().is_empty());
        let empty = dir.open_read(Path::new("seg.del")).unwrap();
        assert_eq!(empty.len(), 0);
        assert!(empty.read_bytes().unwrap().is_empty());
        match dir.open_read(Path::new("gone.idx")) {
            Err(OpenReadError::FileDoesNotExist(p)) => assert_eq!(p, Path::new("gone.idx")),
            other => panic!("expected FileDoesNotExist, got {other:?}"),
        }
    }

    #[test]
    fn stale_temporaries_of_atomic_writes_are_removed_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for name in [
            ".meta.json.4242.3.tmp",
            "..managed.json.4242.4.tmp",
            ".gongwen-write-test.4242",
            ".gongwen-write-test.",
            "meta.json",
            ".managed.json",
            "a1b2.store",
            ".meta.json.bak",
            "notes.tmp",
            ".meta.json.tmp",
            ".meta.json.bak.tmp",
            "..managed.json.1.x.tmp",
        ] {
            std::fs::write(root.join(name), "x").unwrap();
        }
        assert_eq!(remove_stale_temporaries(root), 3);
        let mut left: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "..managed.json.1.x.tmp",
                ".gongwen-write-test.",
                ".managed.json",
                ".meta.json.bak",
                ".meta.json.bak.tmp",
                ".meta.json.tmp",
                "a1b2.store",
                "meta.json",
                "notes.tmp"
            ]
        );
    }

    #[test]
    fn open_write_refuses_an_existing_file() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("meta.json"), b"{}").unwrap();
        let dir = ArchiveDirectory::open(tmp.path()).unwrap();
        match dir.open_write(Path::new("meta.json")) {
            Err(OpenWriteError::FileAlreadyExists(p)) => assert_eq!(p, Path::new("meta.json")),
            other => panic!("expected FileAlreadyExists, got {:?}", other.map(|_| ())),
        }
        assert_eq!(std::fs::read(tmp.path().join("meta.json")).unwrap(), b"{}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn atomic_write_replaces_the_file_with_the_usual_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let umask = std::fs::read_to_string("/proc/self/status")
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .map(|v| u32::from_str_radix(v.trim(), 8).unwrap())
            .unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let dir = ArchiveDirectory::open(tmp.path()).unwrap();
        dir.atomic_write(Path::new("meta.json"), b"{\"a\":1}")
            .unwrap();
        dir.atomic_write(Path::new("meta.json"), b"{\"a\":2}")
            .unwrap();
        let p = tmp.path().join("meta.json");
        assert_eq!(std::fs::read(&p).unwrap(), b"{\"a\":2}");
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o666 & !umask, "not tempfile's 0600");
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["meta.json"]);
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(ArchiveDirectory::open(&tmp.path().join("nope")).is_err());
    }
}
