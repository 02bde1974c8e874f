//! The on-disk archive index: a tantivy index in `<dir>/index/`, a writer
//! lock in `<dir>/gongwen.lock`, and the index state (schema version, known
//! roots) stored as the payload of every tantivy commit — so the state and
//! the documents it describes become durable in the same atomic step.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::directory::{ArchiveDirectory, Reads};
use serde::{Deserialize, Serialize};
use tantivy::Index;

use super::schema::{self, Fields, SCHEMA_VERSION};
use super::tokenize::{CHAR_TOKENIZER, CharTokenizer};

/// Errors of opening, locking and writing the index. Messages are one line,
/// Chinese then English, and name the index directory.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// No index exists at the directory.
    #[error(
        "{0} 处没有索引，请先运行 `gongwen index 目录` / no index at {0}: run `gongwen index PATH` first"
    )]
    Missing(String),
    /// The index path names a file, not a folder (`--index` mistyped).
    #[error(
        "{0} 是文件，不是索引目录；--index 应指向一个目录（不存在时会新建）/ {0} is a file, not an index folder: --index takes a folder (created when missing)"
    )]
    NotAFolder(String),
    /// The index path is a folder holding other things and no index: a new
    /// index there would be written in among someone else's files.
    #[error(
        "{0} 不是空目录，也不是 gongwen 的索引；请用 --index 指定一个新目录或空目录 / {0} is not empty and holds no gongwen index: give --index a new or empty folder"
    )]
    NotAnIndexFolder(String),
    /// Another process holds the writer lock.
    #[error(
        "索引正在被另一进程更新（{holder}）/ the index at {dir} is being updated by another process ({holder}); try again when it finishes"
    )]
    Locked {
        /// Index directory.
        dir: String,
        /// What the lock file says about its holder (pid, start time).
        holder: String,
    },
    /// The index was written by another schema version.
    #[error(
        "{0} 的索引由旧版本 gongwen 建立，请运行 `gongwen index --rebuild` 重建 / the index at {0} was written by an older gongwen: run `gongwen index --rebuild`"
    )]
    OldSchema(String),
    /// I/O error on the index directory.
    #[error("索引目录读写失败 / index directory {0}: {1}")]
    Io(String, std::io::Error),
    /// The index files are damaged (truncated, overwritten, a segment file
    /// missing): see [`is_damage`]. `gongwen index --rebuild` moves them
    /// aside and indexes the archive again.
    #[error(
        "{0} 的索引已损坏，运行 `gongwen index --rebuild` 从存档文件重建（残留的索引文件移到一旁保留，不删除）/ the index at {0} is damaged: run `gongwen index --rebuild` to index the archive again (whatever is left of it is moved aside, not deleted) — {1}"
    )]
    Damaged(String, String),
    /// Error from tantivy.
    #[error("索引错误 / index error at {0}: {1}")]
    Tantivy(String, tantivy::TantivyError),
}

impl IndexError {
    /// A tantivy error on the index at `dir`: [`IndexError::Damaged`] when
    /// [`is_damage`] says so, else [`IndexError::Tantivy`].
    pub fn from_tantivy(dir: &Path, e: tantivy::TantivyError) -> IndexError {
        use std::io::ErrorKind as K;
        use tantivy::TantivyError as T;
        use tantivy::directory::error::{LockError, OpenReadError, OpenWriteError};
        // The index's files or folder cannot be read or written (a
        // read-only `index` folder, a file of another user): said as such,
        // naming the folder and the file — tantivy's own texts quote its
        // error structures, and for its lock file blame "an IndexWriter
        // already working".
        let (io, file) = match &e {
            T::IoError(io) | T::LockFailure(LockError::IoError(io), _) => (Some(io), None),
            T::OpenReadError(OpenReadError::IoError { io_error, filepath })
            | T::OpenWriteError(OpenWriteError::IoError { io_error, filepath }) => {
                (Some(io_error), Some(filepath))
            }
            _ => (None, None),
        };
        if let Some(io) =
            io.filter(|io| matches!(io.kind(), K::PermissionDenied | K::ReadOnlyFilesystem))
        {
            let reason = match file {
                Some(f) => format!("{}: {io}", f.display()),
                None => io.to_string(),
            };
            return IndexError::Io(
                dir.join("index").display().to_string(),
                std::io::Error::new(io.kind(), reason),
            );
        }
        if is_damage(&e) {
            IndexError::Damaged(dir.display().to_string(), damage_reason(&e))
        } else {
            IndexError::Tantivy(dir.display().to_string(), e)
        }
    }
}

/// The file a damage error names and what is wrong with it, short: tantivy's
/// own messages quote a bad `meta.json` whole and run to hundreds of
/// characters.
fn damage_reason(e: &tantivy::TantivyError) -> String {
    use tantivy::TantivyError as T;
    use tantivy::directory::error::OpenReadError as R;
    let damaged = "数据损坏 / data corrupted";
    match e {
        T::OpenReadError(R::IoError { filepath, .. }) => {
            format!("{}: {damaged}", filepath.display())
        }
        T::OpenReadError(R::FileDoesNotExist(p)) => {
            format!("{}: 文件缺失 / file missing", p.display())
        }
        T::DataCorruption(_) => {
            // Debug form: Data corruption (in file `"meta.json"`): comment.
            let text = e.to_string();
            match text
                .split_once("(in file `\"")
                .and_then(|(_, r)| r.split_once('"'))
            {
                Some((file, _)) => format!("{file}: {damaged}"),
                None => damaged.to_string(),
            }
        }
        _ => damaged.to_string(),
    }
}

/// The message of a tantivy error met while reading the index: `failed`
/// (`检索失败 / search failed`) and tantivy's text; for a damaged index
/// ([`is_damage`]) instead the short reason and the way out.
pub fn read_failure(failed: &str, e: &tantivy::TantivyError) -> String {
    if is_damage(e) {
        format!(
            "索引已损坏，运行 `gongwen index --rebuild` 重建 / the index is damaged: run `gongwen index --rebuild` — {}",
            damage_reason(e)
        )
    } else {
        format!("{failed}: {e}")
    }
}

/// Whether a tantivy error means the index files themselves are damaged —
/// data that does not decode (a bad footer, a truncated or overwritten
/// file, a `meta.json` that is not JSON) or a segment file gone — rather
/// than unreachable (permissions, a full disk) or a usage error.
pub fn is_damage(e: &tantivy::TantivyError) -> bool {
    use std::io::ErrorKind;
    use tantivy::TantivyError as T;
    use tantivy::directory::error::OpenReadError as R;
    let broken = |k: ErrorKind| matches!(k, ErrorKind::InvalidData | ErrorKind::UnexpectedEof);
    match e {
        T::DataCorruption(_) => true,
        T::OpenReadError(R::FileDoesNotExist(_)) => true,
        T::OpenReadError(R::IoError { io_error, .. }) => broken(io_error.kind()),
        T::IoError(io) => broken(io.kind()),
        // A stored document that does not decode.
        T::DeserializeError(_) => true,
        _ => false,
    }
}

/// One folder the index covers.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RootState {
    /// Lossless key of the canonical root path.
    pub id: String,
    /// Readable path.
    pub path: String,
    /// Unix seconds of the last completed index run over this root; 0 = never completed.
    pub last_indexed: i64,
    /// Unix seconds at which that run *started*; 0 = unknown (an index
    /// written before this field existed). Files whose mtime is this late
    /// or later are "racy" (see [`is_racy`]).
    #[serde(default)]
    pub last_started: i64,
    /// A run over this root committed documents and did not complete
    /// (stopped with Ctrl-C, killed, or an index recreated for a new schema
    /// not refilled yet):
    /// files under the root may be missing from the index, or their old
    /// versions still in it, until a run completes. Cleared by that run.
    #[serde(default)]
    pub unfinished: bool,
    /// A `gongwen index --rebuild` over this root has not completed: every
    /// file under it is re-read by the next run, changed or not, until one
    /// completes. Meanwhile the old documents stay searchable and are
    /// replaced one by one.
    #[serde(default)]
    pub rebuilding: bool,
    /// The root is one file (`gongwen index 通知.docx`), not a folder: when
    /// it is gone while its folder is still there, it was deleted, and its
    /// document and the root go too (a missing *folder* keeps its documents:
    /// it may be an unplugged drive).
    #[serde(default)]
    pub is_file: bool,
    /// Keys of roots that lay inside this folder and were folded into it
    /// when it was indexed (`gongwen index 档案/2023`, then `gongwen index
    /// 档案`): files whose documents still carry one of these keys are
    /// re-read by the runs over this root, so that they carry its key; the
    /// list is cleared when one of those runs completes. Empty (and not
    /// written) otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absorbed: Vec<String>,
}

impl RootState {
    /// Whether the last run over this root completed and none has been
    /// left unfinished since: the index holds the root as it was then.
    pub fn is_complete(&self) -> bool {
        self.last_indexed != 0 && !self.unfinished
    }

    /// The root keys its documents carry: its own and, until their files
    /// are re-read, those of the roots folded into it ([`Self::absorbed`]).
    pub fn doc_keys(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.absorbed.iter().map(String::as_str))
    }

    /// Whether the root is one file ([`Self::is_file`]) that was deleted:
    /// gone while its folder is still there. The next `gongwen index`
    /// removes its document and the root.
    pub fn is_deleted_file(&self) -> bool {
        let p = super::walk::path_from_id(&self.id);
        self.is_file && !p.exists() && p.parent().is_some_and(|d| d.is_dir())
    }
}

/// Seconds of slack before a run's start within which a file's mtime makes
/// it racy: covers whole-second mtimes and FAT's 2-second granularity.
pub const RACY_WINDOW_SECS: i64 = 2;

/// Whether a file whose size and mtime (Unix seconds) match the index may
/// still have changed: it was modified so close to (or after) the start of
/// the last run over its root that a rewrite keeping size and mtime could
/// have followed the read. Such files are re-hashed instead of trusted (the
/// "racy clean" rule of git's index). `root_started` is
/// [`RootState::last_started`]; 0 (unknown) makes every file racy once.
pub fn is_racy(mtime: i64, root_started: i64) -> bool {
    root_started == 0 || mtime >= root_started - RACY_WINDOW_SECS
}

/// BLAKE3 of the file's bytes, first 32 hex digits; `""` when it cannot be
/// read. Stored per document as `hash`.
pub fn content_hash(path: &Path) -> String {
    hash_rest(blake3::Hasher::new(), path, 0)
}

/// [`content_hash`] of a file from the bytes [`super::extract::read_file`]
/// read: the file is read again only for the part past a cap
/// ([`FileBytes::truncated`](super::extract::FileBytes::truncated)).
pub fn content_hash_of(path: &Path, file: &super::extract::FileBytes) -> String {
    let mut h = blake3::Hasher::new();
    h.update(&file.bytes);
    if file.truncated {
        return hash_rest(h, path, file.bytes.len() as u64);
    }
    h.finalize().to_hex()[..32].to_string()
}

/// `h` continued with the bytes of `path` from byte `from` on, as
/// [`content_hash`] gives it.
fn hash_rest(mut h: blake3::Hasher, path: &Path, from: u64) -> String {
    use std::io::{Seek, SeekFrom};
    let rest = File::open(path).and_then(|mut f| {
        f.seek(SeekFrom::Start(from))?;
        h.update_reader(&mut f).map(|_| ())
    });
    match rest {
        Ok(()) => h.finalize().to_hex()[..32].to_string(),
        Err(_) => String::new(),
    }
}

/// State stored as the commit payload.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
pub struct IndexState {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
    /// Known roots.
    pub roots: Vec<RootState>,
    /// Ids of the files that could not be read in the run that last met
    /// them — an I/O error such as permission denied or a drive error, which
    /// mending (`chmod`, reconnecting) does not show in the size or mtime:
    /// the next run reads them again whatever they compare as, and
    /// `gongwen status` lists them. Files broken in their content are not
    /// here (they are read again once they change).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retry: Vec<String>,
}

impl IndexState {
    /// The paths of the known roots (canonical, as indexed), in order.
    pub fn root_paths(&self) -> Vec<PathBuf> {
        self.roots
            .iter()
            .map(|r| super::walk::path_from_id(&r.id))
            .collect()
    }
}

/// How [`ArchiveIndex::open_for_write`] found the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// A sound index of this schema, opened as it is.
    Existing,
    /// None was there: created empty.
    New,
    /// One of another schema version was there, or only the state copy of
    /// one whose `index` folder is gone: replaced by an empty one (its roots
    /// kept).
    Recreated,
    /// A damaged one was there: its files were moved to this folder and an
    /// empty index made (with its roots when they could still be read).
    DamagedMoved(PathBuf),
}

/// An opened archive index.
pub struct ArchiveIndex {
    /// The `.gongwen` directory.
    pub dir: PathBuf,
    /// The tantivy index.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// State from the last commit.
    pub state: IndexState,
}

fn register_tokenizers(index: &Index) {
    index
        .tokenizers()
        .register(CHAR_TOKENIZER, CharTokenizer::default());
}

fn io(dir: &Path) -> impl Fn(std::io::Error) -> IndexError + '_ {
    move |e| IndexError::Io(dir.display().to_string(), e)
}
fn tv(dir: &Path) -> impl Fn(tantivy::TantivyError) -> IndexError + '_ {
    move |e| IndexError::from_tantivy(dir, e)
}

/// The tantivy directory `<dir>/index`, reading as `reads` says; an I/O
/// error naming `dir` when it cannot be opened.
fn open_directory(dir: &Path, reads: Reads) -> Result<ArchiveDirectory, IndexError> {
    ArchiveDirectory::open_with(&dir.join("index"), reads)
        .map_err(|e| IndexError::Io(dir.display().to_string(), std::io::Error::other(e)))
}

/// Whether files can be created in the existing folder `idx_dir` (the
/// index folder or its `index/`; a file `.gongwen-write-test.<pid>` created
/// and removed): a read-only folder is then reported before any work,
/// naming it, instead of by whichever write meets it first (a segment file,
/// the lock, `meta.json` — each with tantivy's own text — or `state.json`,
/// whose copy would silently stay old). A missing folder is left to the
/// caller, which creates it. Errors: [`IndexError::Io`].
fn check_writable(idx_dir: &Path) -> Result<(), IndexError> {
    if !idx_dir.is_dir() {
        return Ok(());
    }
    let probe = idx_dir.join(format!(".gongwen-write-test.{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(IndexError::Io(idx_dir.display().to_string(), e)),
    }
}

/// Remove from the tantivy folder `idx_dir` the segment files
/// (`<id>.<ext>` for tantivy's components `idx`, `pos`, `term`, `store`,
/// `fast`, `fieldnorm` and its temporary `store.temp`, and
/// `<id>.<opstamp>.del`; `<id>`: 32 lower-case hex digits) that no segment
/// of the last commit uses: left by a run killed before tantivy's garbage
/// collection, or kept for good when `.managed.json` (tantivy's list of the
/// files it may delete) was lost. Only while holding the writer lock (no
/// writer is making segments); readers open only committed segments.
/// Returns how many files were removed; a file that cannot be removed stays.
fn remove_unreferenced_segment_files(idx_dir: &Path, index: &Index) -> usize {
    let Ok(metas) = index.searchable_segment_metas() else {
        return 0;
    };
    let used: HashSet<PathBuf> = metas.iter().flat_map(segment_files).collect();
    let is_segment_file = |name: &str| {
        let Some((id, rest)) = name.split_once('.') else {
            return false;
        };
        id.len() == 32
            && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            && (matches!(
                rest,
                "idx" | "pos" | "term" | "store" | "fast" | "fieldnorm" | "store.temp"
            ) || rest
                .strip_suffix(".del")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
    };
    super::directory::remove_files_named(idx_dir, |name| {
        is_segment_file(name) && !used.contains(Path::new(name))
    })
}

/// Every file of every segment of the last commit is there (the six
/// components tantivy writes for each, and the deletes file when it has
/// deleted documents). tantivy opens a segment whose positions
/// file (`.pos`) is gone as one without positions, and each phrase search
/// then fails with "data corrupted" naming no file; the index is damaged,
/// and the error should say where. Errors: [`IndexError::Damaged`] naming
/// the first missing file (`<uuid>.pos: 文件缺失 / file missing`).
fn check_segment_files(dir: &Path, index: &Index) -> Result<(), IndexError> {
    let metas = index.searchable_segment_metas().map_err(tv(dir))?;
    for file in metas.iter().flat_map(segment_files) {
        if !dir.join("index").join(&file).exists() {
            return Err(IndexError::Damaged(
                dir.display().to_string(),
                format!("{}: 文件缺失 / file missing", file.display()),
            ));
        }
    }
    Ok(())
}

/// The files of a committed segment, relative to the tantivy folder: the
/// six components tantivy writes for every segment, and the deletes file
/// of its current delete opstamp when it has deleted documents.
fn segment_files(meta: &tantivy::index::SegmentMeta) -> Vec<PathBuf> {
    use tantivy::index::SegmentComponent as C;
    let mut components = vec![
        C::Postings,
        C::Positions,
        C::Terms,
        C::Store,
        C::FastFields,
        C::FieldNorms,
    ];
    if meta.has_deletes() {
        components.push(C::Delete);
    }
    components
        .into_iter()
        .map(|c| meta.relative_path(c))
        .collect()
}

impl ArchiveIndex {
    /// Whether an index has been created at `dir` (its `index/meta.json`
    /// exists beside gongwen's marks, see [`marked_as_ours`]; it may still
    /// be of an older schema).
    pub fn exists(dir: &Path) -> bool {
        dir.join("index").join("meta.json").exists() && marked_as_ours(dir)
    }

    /// Whether there is no `meta.json` but `<dir>/index` holds files, or
    /// the index's `state.json` is there, in a folder with gongwen's marks:
    /// an index whose list of segments is lost (deleted, a copy that missed
    /// it, the `index` folder removed).
    fn lost_meta(dir: &Path) -> bool {
        !dir.join("index").join("meta.json").exists()
            && marked_as_ours(dir)
            && (std::fs::read_dir(dir.join("index")).is_ok_and(|mut d| d.next().is_some())
                || dir.join("state.json").is_file())
    }

    /// Whether there is an index at `dir`, sound or not ([`Self::exists`],
    /// or files without their `meta.json`).
    pub fn present(dir: &Path) -> bool {
        ArchiveIndex::exists(dir) || ArchiveIndex::lost_meta(dir)
    }

    /// Open an existing index for reading (files memory-mapped, see
    /// [`Reads::Mapped`]). Errors: [`IndexError::Missing`],
    /// [`IndexError::OldSchema`], I/O and tantivy errors.
    pub fn open(dir: &Path) -> Result<ArchiveIndex, IndexError> {
        ArchiveIndex::open_with(dir, Reads::Mapped)
    }

    /// [`ArchiveIndex::open`], reading files as `reads` says.
    fn open_with(dir: &Path, reads: Reads) -> Result<ArchiveIndex, IndexError> {
        check_access(dir)?;
        if ArchiveIndex::lost_meta(dir) {
            return Err(IndexError::Damaged(
                dir.display().to_string(),
                "meta.json: 文件缺失 / file missing".into(),
            ));
        }
        if !ArchiveIndex::exists(dir) {
            check_index_folder(dir)?;
            return Err(IndexError::Missing(dir.display().to_string()));
        }
        let index = Index::open(open_directory(dir, reads)?).map_err(tv(dir))?;
        check_segment_files(dir, &index)?;
        let mut state = read_state(&index);
        // A run killed between creating the index and its first commit leaves
        // an empty index without payload: that is a new index, not an old one.
        if state.schema_version == 0
            && index
                .load_metas()
                .is_ok_and(|m| m.payload.is_none() && m.segments.is_empty())
        {
            state.schema_version = SCHEMA_VERSION;
        }
        let fields = schema::fields_of(&index.schema())
            .filter(|_| state.schema_version == SCHEMA_VERSION)
            .ok_or_else(|| IndexError::OldSchema(dir.display().to_string()))?;
        register_tokenizers(&index);
        Ok(ArchiveIndex {
            dir: dir.to_path_buf(),
            index,
            fields,
            state,
        })
    }

    /// Open an existing index to change it in place (`roots remove`): as
    /// [`ArchiveIndex::open`], but reading with copies as the writer does
    /// ([`Reads::Copied`]), after checking that `index/` is writable. The
    /// caller must hold the [`WriterLock`]. Errors: those of `open`, and
    /// [`IndexError::Io`] for a read-only index or `index` folder.
    pub fn open_to_write(dir: &Path) -> Result<ArchiveIndex, IndexError> {
        check_writable(dir)?;
        check_writable(&dir.join("index"))?;
        ArchiveIndex::open_with(dir, Reads::Copied)
    }

    /// Open for writing, creating the index when missing. When the existing
    /// index has another schema version (its documents cannot be read), it
    /// is replaced by an empty one that keeps the old roots (committed at
    /// once, so a crash right after still knows them). When it is damaged
    /// ([`IndexError::Damaged`], every segment opened to find out) and
    /// `rebuild` is set, its files are moved to `<dir>/index.damaged-<Unix
    /// seconds>` (`-1`, `-2` … after it when taken; kept, not deleted) and
    /// a new index is made in the same
    /// way, with the old roots when `meta.json` still names them; without
    /// `rebuild` the damage is the error. Returns the index and how it was
    /// opened. A `--rebuild` of a sound index does not empty it: files are
    /// re-read into it (see [`RootState::rebuilding`]).
    ///
    /// The caller must hold the [`WriterLock`].
    pub fn open_for_write(dir: &Path, rebuild: bool) -> Result<(ArchiveIndex, Opened), IndexError> {
        let idx_dir = dir.join("index");
        // Left by a run killed inside an atomic write; the caller's writer
        // lock keeps every other writer out (and checked `check_access`).
        super::directory::remove_stale_temporaries(dir);
        super::directory::remove_stale_temporaries(&idx_dir);
        // Both folders: `state.json`, the copy of the folders a damaged
        // index is rebuilt from, is written beside `index/`.
        check_writable(dir)?;
        check_writable(&idx_dir)?;
        let mut old_roots = Vec::new();
        let mut opened = Opened::New;
        if ArchiveIndex::present(dir) {
            // Opening a reader opens every segment's files (footers checked);
            // a rebuild also opens every part of them it could need.
            // The writer reads with copies, not maps: a merge reads its
            // inputs whole (see `archive::directory`).
            let sound = ArchiveIndex::open_with(dir, Reads::Copied).and_then(|ix| {
                ix.check_files(rebuild)?;
                Ok(ix)
            });
            match sound {
                Ok(ix) => {
                    remove_unreferenced_segment_files(&idx_dir, &ix.index);
                    return Ok((ix, Opened::Existing));
                }
                Err(IndexError::OldSchema(_)) => {
                    old_roots = last_roots(dir);
                    std::fs::remove_dir_all(&idx_dir).map_err(io(dir))?;
                    opened = Opened::Recreated;
                }
                Err(IndexError::Damaged(..)) if rebuild => {
                    old_roots = last_roots(dir);
                    let secs = now_secs();
                    // Two rebuilds in one second do not meet in one folder.
                    let aside = (0..)
                        .map(|n| match n {
                            0 => dir.join(format!("index.damaged-{secs}")),
                            n => dir.join(format!("index.damaged-{secs}-{n}")),
                        })
                        .find(|p| !p.exists())
                        .expect("a free name");
                    // (No `index` folder at all: nothing to move.)
                    opened = Opened::Recreated;
                    if idx_dir.exists() {
                        std::fs::rename(&idx_dir, &aside).map_err(io(dir))?;
                        opened = Opened::DamagedMoved(aside);
                    }
                }
                Err(e) => return Err(e),
            }
        }
        std::fs::create_dir_all(&idx_dir).map_err(io(dir))?;
        let (schema, fields) = schema::build();
        // zstd for the doc store: stored text is most of the index on disk.
        // Level 1, not the default 3: on the laws corpus the full build took
        // 2.5 s instead of 3.2 s (level 3 allocates a larger context for
        // every 16 KB block: twice the system time) for 50 MB instead of
        // 49 MB on disk. Larger blocks were as fast to build but slowed
        // snippet loading (64 KB: +1.5 ms per search).
        let settings = tantivy::IndexSettings {
            docstore_compression: tantivy::store::Compressor::Zstd(
                tantivy::store::ZstdCompressor {
                    compression_level: Some(1),
                },
            ),
            // Blocks compressed on the indexing thread that filled them, not
            // handed to one more thread per segment: on two cores the extra
            // threads only took turns (laws build, `bench/build_ab.py --runs
            // 8`: CPU median 1.73 → 1.67 s).
            docstore_compress_dedicated_thread: false,
            ..Default::default()
        };
        let index = Index::create(open_directory(dir, Reads::Copied)?, schema, settings)
            .map_err(tv(dir))?;
        register_tokenizers(&index);
        // The old documents are gone: every known root is unfinished until
        // a run over it completes (search warns, status says so).
        for r in &mut old_roots {
            r.unfinished = true;
        }
        let state = IndexState {
            schema_version: SCHEMA_VERSION,
            roots: old_roots,
            retry: Vec::new(),
        };
        let mut ix = ArchiveIndex {
            dir: dir.to_path_buf(),
            index,
            fields,
            state,
        };
        // First commit: an empty index that already knows its roots.
        let mut w = ix.writer::<tantivy::TantivyDocument>(1, 15_000_000)?;
        let st = ix.state.clone();
        commit(&mut w, &st, dir).map_err(tv(dir))?;
        w.wait_merging_threads().map_err(tv(dir))?;
        ix.state = st;
        Ok((ix, opened))
    }

    /// Open the last commit's segments, and with `thorough` every field's
    /// postings, positions and norms, the doc store and the `id`/`root`
    /// fast fields of each: a file missing, cut short or overwritten shows
    /// here as [`IndexError::Damaged`] (it does not read every block, so a
    /// few bad bytes inside a file show only when a search reads them).
    pub fn check_files(&self, thorough: bool) -> Result<(), IndexError> {
        let damaged = |e: std::io::Error| {
            IndexError::Damaged(self.dir.display().to_string(), damage_reason(&e.into()))
        };
        let reader: tantivy::IndexReader = self
            .index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(tv(&self.dir))?;
        if !thorough {
            return Ok(());
        }
        let schema = self.index.schema();
        for seg in reader.searcher().segment_readers() {
            for (field, entry) in schema.fields() {
                if entry.is_indexed() {
                    seg.inverted_index(field).map_err(tv(&self.dir))?;
                }
                if entry.has_fieldnorms() {
                    seg.get_fieldnorms_reader(field).map_err(tv(&self.dir))?;
                }
            }
            seg.get_store_reader(0).map_err(damaged)?;
            for name in ["id", "root"] {
                seg.fast_fields().str(name).map_err(tv(&self.dir))?;
            }
        }
        Ok(())
    }

    /// A tantivy writer with `threads` indexing threads sharing
    /// `memory_budget` bytes (at least 15 MB per thread), one merge thread
    /// and the tiered, input-bounded [`super::merge::BoundedMergePolicy`]: together
    /// they keep the writer's memory bounded whatever the archive size.
    pub fn writer<D: tantivy::schema::Document>(
        &self,
        threads: usize,
        memory_budget: usize,
    ) -> Result<tantivy::IndexWriter<D>, IndexError> {
        let options = tantivy::indexer::IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(memory_budget.max(threads * 15_000_000) / threads)
            .num_merge_threads(1)
            .build();
        let w = self
            .index
            .writer_with_options::<D>(options)
            .map_err(tv(&self.dir))?;
        w.set_merge_policy(Box::new(super::merge::BoundedMergePolicy::new(
            self.dir.join("index"),
        )));
        Ok(w)
    }

    /// Number of live documents per root key (a [`RootState::id`], or one
    /// of its [`RootState::absorbed`]), from the fast fields.
    pub fn docs_per_root(&self) -> Result<HashMap<String, u64>, IndexError> {
        let mut n: HashMap<String, u64> = HashMap::new();
        self.for_each_indexed(|_, root, _, _| match n.get_mut(root) {
            Some(c) => *c += 1,
            None => {
                n.insert(root.to_string(), 1);
            }
        })?;
        Ok(n)
    }

    /// Visit every live document of the last commit, reading only fast
    /// fields (no stored documents): `visit(id, root id, size in bytes,
    /// mtime in Unix seconds)`, segment by segment. Memory: one id and one
    /// root string at a time, whatever the index size.
    pub fn for_each_indexed(
        &self,
        mut visit: impl FnMut(&str, &str, u64, i64),
    ) -> Result<(), IndexError> {
        let tv = tv(&self.dir);
        let reader = self.index.reader().map_err(&tv)?;
        let searcher = reader.searcher();
        for seg in searcher.segment_readers() {
            let ff = seg.fast_fields();
            let (Some(ids), Some(roots)) =
                (ff.str("id").map_err(&tv)?, ff.str("root").map_err(&tv)?)
            else {
                continue;
            };
            let sizes = ff.u64("size").map_err(&tv)?;
            let mtimes = ff.i64("mtime").map_err(&tv)?;
            // Roots: a handful of distinct values per segment.
            let mut root_names: HashMap<u64, String> = HashMap::new();
            let mut failed = None;
            ids_in_order(&ids, seg.doc_ids_alive(), |doc, bytes| {
                // A document without an id is no file: not visited.
                let Some(bytes) = bytes else { return };
                let id = String::from_utf8_lossy(bytes);
                let root = match roots.term_ords(doc).next() {
                    Some(o) => root_names.entry(o).or_insert_with(|| {
                        let mut r = String::new();
                        if let Err(e) = roots.ord_to_str(o, &mut r) {
                            failed = Some(e);
                        }
                        r
                    }),
                    None => "",
                };
                visit(
                    &id,
                    root,
                    sizes.first(doc).unwrap_or(0),
                    mtimes.first(doc).unwrap_or(0),
                );
            })
            .map_err(|e| tv(e.into()))?;
            if let Some(e) = failed {
                return Err(tv(e.into()));
            }
        }
        Ok(())
    }

    /// The compact table of [`IndexedFiles`] (size and mtime per id key)
    /// of the last commit.
    pub fn indexed_table(&self) -> Result<IndexedFiles, IndexError> {
        let mut rows = Vec::new();
        self.for_each_indexed(|id, _, size, mtime| rows.push((id_key(id), size, mtime)))?;
        rows.sort_unstable_by_key(|r| r.0);
        Ok(IndexedFiles { rows })
    }

    /// Stored content hashes ([`content_hash`]) of the documents with the
    /// given ids, as of the last commit; ids not in the index are absent.
    pub fn stored_hashes<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<HashMap<String, String>, IndexError> {
        use tantivy::schema::Value;
        let tv = tv(&self.dir);
        let reader = self.index.reader().map_err(&tv)?;
        let searcher = reader.searcher();
        let mut out = HashMap::new();
        for id in ids {
            let q = tantivy::query::TermQuery::new(
                tantivy::Term::from_field_text(self.fields.id, id),
                tantivy::schema::IndexRecordOption::Basic,
            );
            let top = searcher
                .search(
                    &q,
                    &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
                )
                .map_err(&tv)?;
            if let Some((_, addr)) = top.first() {
                let doc: tantivy::TantivyDocument = searcher.doc(*addr).map_err(&tv)?;
                if let Some(h) = doc.get_first(self.fields.hash).and_then(|v| v.as_str()) {
                    out.insert(id.to_string(), h.to_string());
                }
            }
        }
        Ok(out)
    }

    /// Splits racy files (size and mtime match the index, but [`is_racy`])
    /// into those whose content changed — their hash differs from the
    /// stored one, returned — and the count of those that did not.
    pub fn changed_racy(
        &self,
        racy: Vec<super::walk::FileEntry>,
    ) -> Result<(Vec<super::walk::FileEntry>, usize), IndexError> {
        if racy.is_empty() {
            return Ok((racy, 0));
        }
        let stored = self.stored_hashes(racy.iter().map(|e| e.id.as_str()))?;
        let mut same = 0;
        let changed = racy
            .into_iter()
            .filter(|e| {
                let h = content_hash(&e.path);
                let unchanged = !h.is_empty() && stored.get(&e.id) == Some(&h);
                same += unchanged as usize;
                !unchanged
            })
            .collect();
        Ok((changed, same))
    }

    /// Unix seconds at which the last completed run over root `root_id`
    /// started (0 when unknown).
    pub fn root_started(&self, root_id: &str) -> i64 {
        self.state
            .roots
            .iter()
            .find(|r| r.id == root_id)
            .map_or(0, |r| r.last_started)
    }

    /// Number of live documents in the last commit.
    pub fn num_docs(&self) -> Result<u64, IndexError> {
        let reader = self.index.reader().map_err(tv(&self.dir))?;
        Ok(reader.searcher().num_docs())
    }
}

/// The `id` fast field of `docs` (documents of one segment), in id order:
/// `visit(doc, Some(id bytes))` for each, then `visit(doc, None)` for those
/// without an id. One pass over the sorted dictionary: `ord_to_str` per
/// document decodes a dictionary block each time (~15 µs, 50 ms on the laws
/// corpus). Memory: one term ordinal per document.
pub fn ids_in_order(
    ids: &tantivy::columnar::StrColumn,
    docs: impl Iterator<Item = tantivy::DocId>,
    mut visit: impl FnMut(tantivy::DocId, Option<&[u8]>),
) -> std::io::Result<()> {
    let mut without = Vec::new();
    let mut by_ord: Vec<(u64, tantivy::DocId)> = Vec::new();
    for doc in docs {
        match ids.term_ords(doc).next() {
            Some(o) => by_ord.push((o, doc)),
            None => without.push(doc),
        }
    }
    by_ord.sort_unstable();
    let ords: Vec<u64> = by_ord.iter().map(|r| r.0).collect();
    let mut i = 0;
    ids.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
        visit(by_ord[i].1, Some(bytes));
        i += 1;
    })?;
    for doc in without {
        visit(doc, None);
    }
    Ok(())
}

/// Commit everything added or deleted so far, with `state` as the payload,
/// to the index at `dir`; then copy `state` to `<dir>/state.json` (best
/// effort), read only when `meta.json` itself is lost or unreadable, so a
/// rebuild of a damaged index still knows its folders.
pub fn commit<D: tantivy::schema::Document>(
    writer: &mut tantivy::IndexWriter<D>,
    state: &IndexState,
    dir: &Path,
) -> tantivy::Result<u64> {
    let payload = serde_json::to_string(state).expect("state serializes");
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    let opstamp = prepared.commit()?;
    // Written aside and renamed, so a crash leaves the old copy or the new.
    let tmp = dir.join("state.json.tmp");
    if std::fs::write(&tmp, &payload).is_ok() {
        let _ = std::fs::rename(&tmp, dir.join("state.json"));
    }
    Ok(opstamp)
}

/// The roots an index at `dir` that cannot be opened as it is (another
/// schema, damaged) last knew: from its `meta.json`'s payload when that can
/// be read, else from the copy [`commit`] leaves in `<dir>/state.json`, else
/// none.
pub(crate) fn last_roots(dir: &Path) -> Vec<RootState> {
    let from_meta = || {
        let metas = Index::open(open_directory(dir, Reads::Mapped).ok()?)
            .ok()?
            .load_metas()
            .ok()?;
        serde_json::from_str::<IndexState>(&metas.payload?).ok()
    };
    let from_copy = || serde_json::from_slice(&std::fs::read(dir.join("state.json")).ok()?).ok();
    from_meta()
        .or_else(from_copy)
        .map(|st: IndexState| st.roots)
        .unwrap_or_default()
}

/// Now, in Unix seconds (0 if the clock is before 1970).
pub(crate) fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn read_state(index: &Index) -> IndexState {
    index
        .load_metas()
        .ok()
        .and_then(|m| m.payload)
        .and_then(|p| serde_json::from_str(&p).ok())
        .unwrap_or_default()
}

/// Whether `dir` bears gongwen's marks: the writer lock file every `index`
/// run creates before anything else, a `state.json` that reads as
/// gongwen's [`IndexState`], or an `index/meta.json` of gongwen's schema.
/// Another program's `state.json` or tantivy index is not taken for a
/// (damaged) gongwen index and never written over.
fn marked_as_ours(dir: &Path) -> bool {
    use std::io::Read;
    if dir.join("gongwen.lock").is_file() {
        return true;
    }
    let read = |p: PathBuf| {
        let mut bytes = Vec::new();
        std::fs::File::open(p)
            .and_then(|f| f.take(64 << 20).read_to_end(&mut bytes))
            .map(|_| bytes)
    };
    if read(dir.join("state.json")).is_ok_and(|b| serde_json::from_slice::<IndexState>(&b).is_ok())
    {
        return true;
    }
    // A tantivy index of gongwen's schema (lock and state.json lost).
    read(dir.join("index").join("meta.json")).is_ok_and(|b| {
        let m = String::from_utf8_lossy(&b);
        [
            "\"title_text\"",
            "\"quality\"",
            "\"doc_number\"",
            "\"classification\"",
        ]
        .iter()
        .all(|f| m.contains(f))
    })
}

/// Whether `dir` is missing, empty (but for `.DS_Store`, `Thumbs.db`,
/// `desktop.ini`), or a gongwen index folder ([`marked_as_ours`]) — a
/// folder where creating an index writes among nobody else's files.
fn is_index_folder_or_empty(dir: &Path) -> bool {
    // Files the system leaves in any folder a file manager opened.
    const SYSTEM: [&str; 3] = [".DS_Store", "Thumbs.db", "desktop.ini"];
    std::fs::read_dir(dir).map_or(true, |d| {
        d.flatten().all(|e| {
            e.file_type().is_ok_and(|t| t.is_file())
                && SYSTEM.iter().any(|s| e.file_name().eq_ignore_ascii_case(s))
        })
    }) || marked_as_ours(dir)
}

/// Whether an index may be kept at `dir` (see [`is_index_folder_or_empty`]).
/// Errors: [`IndexError::NotAFolder`] for a file,
/// [`IndexError::NotAnIndexFolder`] for a folder of other things.
pub(crate) fn check_index_folder(dir: &Path) -> Result<(), IndexError> {
    if dir.is_file() {
        return Err(IndexError::NotAFolder(dir.display().to_string()));
    }
    if !is_index_folder_or_empty(dir) {
        return Err(IndexError::NotAnIndexFolder(dir.display().to_string()));
    }
    Ok(())
}

/// Whether the index folder `dir` and its `index` folder can be listed,
/// and `index/meta.json` read, by this user: a folder one may not enter
/// looks to every existence test like no index, or like one whose
/// `meta.json` is lost. Missing folders pass (the caller says what is
/// missing). Errors: [`IndexError::Io`] naming the folder or file
/// (`Permission denied`).
pub(crate) fn check_access(dir: &Path) -> Result<(), IndexError> {
    use std::io::ErrorKind;
    let denied = |e: &std::io::Error| e.kind() == ErrorKind::PermissionDenied;
    for d in [dir.to_path_buf(), dir.join("index")] {
        if let Err(e) = std::fs::read_dir(&d)
            && denied(&e)
        {
            return Err(IndexError::Io(d.display().to_string(), e));
        }
    }
    let meta = dir.join("index").join("meta.json");
    if let Err(e) = File::open(&meta)
        && denied(&e)
    {
        return Err(IndexError::Io(meta.display().to_string(), e));
    }
    Ok(())
}

/// Exclusive writer lock on `<dir>/gongwen.lock`, held until dropped. The
/// operating system releases it when the process dies (kill -9 included), so
/// a stale lock file never blocks the next run.
pub struct WriterLock {
    _file: File,
}

impl WriterLock {
    /// Take the lock without waiting. Errors: [`IndexError::Locked`] naming
    /// the holder's pid when another process holds it.
    pub fn acquire(dir: &Path) -> Result<WriterLock, IndexError> {
        check_access(dir)?;
        check_index_folder(dir)?;
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let path = dir.join("gongwen.lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io(&path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(IndexError::Locked {
                    dir: dir.display().to_string(),
                    holder: if holder.is_empty() {
                        "unknown".into()
                    } else {
                        holder.to_string()
                    },
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(dir)(e)),
        }
        let _ = file.set_len(0);
        let _ = file.rewind();
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let _ = write!(
            file,
            "pid {} since {} {:02}:{:02}:{:02} UTC",
            std::process::id(),
            super::search::iso_date(secs),
            secs.rem_euclid(86_400) / 3600,
            secs.rem_euclid(3600) / 60,
            secs.rem_euclid(60)
        );
        let _ = file.flush();
        Ok(WriterLock { _file: file })
    }
}

/// 64-bit SipHash of a document key ([`super::walk::path_id`]; fixed keys,
/// so stable across runs of one build). Two different paths share one with
/// probability ~n²/2⁶⁵ (3·10⁻⁹ for 350,000 files); the cost would be one
/// file taken as unchanged or gone until it changes again.
pub fn id_key(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

/// Size and mtime of every live document, by [`id_key`]: 24 bytes per
/// document (8.4 MB for 350,000 files) instead of the id strings, so the
/// indexer's memory stays bounded on large archives (issue 4). Built by
/// [`ArchiveIndex::indexed_table`].
#[derive(Debug, Default)]
pub struct IndexedFiles {
    /// (id key, size in bytes, mtime in Unix seconds), sorted by key.
    rows: Vec<(u64, u64, i64)>,
}

/// How a file found on disk compares with its indexed version
/// ([`IndexedFiles::compare`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compared {
    /// Not in the index.
    New,
    /// Size or mtime differ from the indexed version.
    Changed,
    /// Same size and mtime, but the mtime is too close to the start of the
    /// last run to be trusted ([`is_racy`]): the content hash decides.
    Racy,
    /// Same size and mtime: not re-extracted.
    Unchanged,
}

impl IndexedFiles {
    /// Compare the walked file `e` with its indexed version; `root_started`
    /// is when the last completed run over its root started (Unix seconds).
    /// The one rule both `gongwen index` and `gongwen status` apply.
    pub fn compare(&self, e: &super::walk::FileEntry, root_started: i64) -> Compared {
        match self.get(&e.id) {
            None => Compared::New,
            Some((size, mtime)) if size != e.size || mtime != e.mtime => Compared::Changed,
            Some(_) if is_racy(e.mtime, root_started) => Compared::Racy,
            Some(_) => Compared::Unchanged,
        }
    }

    /// (size in bytes, mtime in Unix seconds) of the document `id`, if indexed.
    pub fn get(&self, id: &str) -> Option<(u64, i64)> {
        let k = id_key(id);
        self.rows
            .binary_search_by_key(&k, |r| r.0)
            .ok()
            .map(|i| (self.rows[i].1, self.rows[i].2))
    }

    /// Number of live documents.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the index holds no document.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// The quality (stored JSON object) of the document `id` as it stands now:
/// for a member of a zip whose last run failed — the zip broken since its
/// members were indexed, their last good text kept — `status` `failed` and
/// the zip's reason; otherwise `quality` as stored. One lookup of the zip's
/// document, for members only. For many documents, [`CurrentQuality`].
pub fn current_quality(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    id: &str,
    quality: serde_json::Value,
) -> serde_json::Value {
    CurrentQuality::new(searcher, fields).of(id, quality)
}

/// [`current_quality`] for many documents (the catalogue, `status
/// --quality`): each zip's document is looked up once.
pub struct CurrentQuality<'a> {
    searcher: &'a tantivy::Searcher,
    fields: &'a Fields,
    /// Zip id → the quality its members inherit (`None`: the zip is fine).
    zips: HashMap<String, Option<serde_json::Value>>,
}

impl<'a> CurrentQuality<'a> {
    /// Over the commit `searcher` sees.
    pub fn new(searcher: &'a tantivy::Searcher, fields: &'a Fields) -> Self {
        CurrentQuality {
            searcher,
            fields,
            zips: HashMap::new(),
        }
    }

    /// The quality of document `id`, stored as `quality`, as it stands now
    /// (see [`current_quality`]).
    pub fn of(&mut self, id: &str, quality: serde_json::Value) -> serde_json::Value {
        use tantivy::schema::Value;
        let Some(zip) = super::walk::container_id(id) else {
            return quality;
        };
        let (searcher, fields) = (self.searcher, self.fields);
        let inherited = self.zips.entry(zip.to_string()).or_insert_with(|| {
            let z = stored_doc_by_id(searcher, fields, zip)
                .ok()
                .flatten()
                .and_then(|d| {
                    d.get_first(fields.quality)
                        .and_then(|v| v.as_str())
                        .and_then(|q| serde_json::from_str::<serde_json::Value>(q).ok())
                })?;
            (z["status"] == "failed").then(|| {
                serde_json::json!({
                    "status": "failed",
                    "reason": format!(
                        "所在的压缩包读取失败 / its zip could not be read: {}",
                        z["reason"].as_str().unwrap_or_default()
                    ),
                    "action": z["action"],
                })
            })
        });
        inherited.clone().unwrap_or(quality)
    }
}

/// The stored fields of the document whose `id` field is `id` in the
/// commit `searcher` sees, or `None` when no document has that id. Ids are
/// unique ([`super::walk::path_id`]).
pub fn stored_doc_by_id(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    id: &str,
) -> tantivy::Result<Option<tantivy::TantivyDocument>> {
    let q = tantivy::query::TermQuery::new(
        tantivy::Term::from_field_text(fields.id, id),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let top = searcher.search(
        &q,
        &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
    )?;
    match top.first() {
        Some((_, addr)) => Ok(Some(searcher.doc(*addr)?)),
        None => Ok(None),
    }
}
