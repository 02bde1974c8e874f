//! Read-only views of an archive index and root management: which folders
//! the index covers ([`list_roots`]), what changed on disk since the last
//! run ([`status`]), how well each document's text was extracted
//! ([`quality_report`]), and dropping a folder with its documents
//! ([`remove_root`]).
//!
//! Sits beside [`super::indexer`] in `walk → extract → … → index`: it reads
//! the same per-file `size`/`mtime` fast fields, walks with the same
//! [`super::walk::walk_each`] and compares with the same
//! [`super::index::IndexedFiles::compare`], so "stale" here means exactly
//! "the next `gongwen index` run would touch it". [`list_roots`] and [`status`] never
//! write and never take the writer lock; [`remove_root`] takes it.
//!
//! Tests: `tests/it/reindex.rs` (module `reindex`), `tests/it/quality.rs`
//! (module `quality`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::Term;

use super::extract::Status;
use super::index::{ArchiveIndex, Compared, IndexError, IndexState, WriterLock, commit, id_key};
use super::walk::{self, display_path, path_id};

/// One folder the index covers, as listed by [`list_roots`].
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RootInfo {
    /// Readable path of the root (GBK names decoded, see [`walk::display_path`]).
    pub path: String,
    /// Lossless key of the root ([`walk::path_id`]).
    pub id: String,
    /// Live documents in the index found under this root (failed files count:
    /// they are recorded with status "failed").
    pub docs: u64,
    /// Unix seconds of the last completed index run over the root; 0 = a run
    /// was started but never completed (interrupted, or still running).
    pub last_indexed: i64,
    /// The last run over the root did not complete (never completed, a
    /// later run stopped or killed, a rebuild under way): not
    /// [`crate::archive::index::RootState::is_complete`].
    pub unfinished: bool,
    /// Whether the folder exists on disk now.
    pub exists: bool,
    /// The root is one file, deleted since: the next `gongwen index` drops
    /// it ([`crate::archive::index::RootState::is_deleted_file`]).
    pub deleted_file: bool,
}

/// The roots the index at `dir` knows (the `.gongwen` directory, not its
/// `index/` subfolder), in the order they were first indexed, with document
/// counts and last indexed times. Read-only; works while `gongwen index` runs
/// (it sees the last commit).
///
/// Errors: [`IndexError::Missing`] when there is no index,
/// [`IndexError::OldSchema`] for an index of another schema version, I/O and
/// tantivy errors naming `dir`.
pub fn list_roots(dir: &Path) -> Result<Vec<RootInfo>, IndexError> {
    let ix = ArchiveIndex::open(dir)?;
    let counts = ix.docs_per_root()?;
    Ok(ix
        .state
        .roots
        .iter()
        .map(|r| RootInfo {
            path: r.path.clone(),
            id: r.id.clone(),
            docs: r.doc_keys().filter_map(|k| counts.get(k)).sum(),
            last_indexed: r.last_indexed,
            unfinished: !r.is_complete(),
            exists: walk::path_from_id(&r.id).exists(),
            deleted_file: r.is_deleted_file(),
        })
        .collect())
}

/// What [`remove_root`] did.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RemovedRoot {
    /// Readable path of the removed root.
    pub path: String,
    /// Documents deleted with it.
    pub docs_removed: u64,
    /// Live documents left in the index.
    pub docs_left: u64,
    /// Roots the index still knows.
    pub roots_left: usize,
}

/// Errors of [`remove_root`]. Messages are one line, Chinese then English.
#[derive(Debug, thiserror::Error)]
pub enum RootError {
    /// The index could not be opened, locked or written.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The path is not one of the index's roots.
    #[error(
        "{path} 不是索引中的目录（已有：{known}）/ {path} is not a folder of the index (known: {known}); see `gongwen roots`"
    )]
    UnknownRoot {
        /// The path as given.
        path: String,
        /// The known roots, comma-separated, or "none".
        known: String,
    },
}

/// Which known root `given` names: its canonical path, else (when the folder
/// is gone) its absolute path, else the readable path exactly as listed.
fn find_root(state: &IndexState, given: &Path) -> Option<usize> {
    let mut keys: Vec<String> = Vec::new();
    if let Ok(c) = std::fs::canonicalize(given) {
        keys.push(path_id(&c));
    }
    if let Ok(a) = std::path::absolute(given) {
        keys.push(path_id(&a));
        // Trailing slashes and `.` components do not make another root.
        let cleaned: PathBuf = a.components().collect();
        keys.push(path_id(&cleaned));
    }
    let shown = display_path(given);
    state
        .roots
        .iter()
        .position(|r| keys.contains(&r.id) || r.path == shown)
}

/// Drop the root `root` (a path as the user typed it; the folder may no
/// longer exist) and every document indexed under it from the index at
/// `dir`, in one commit whose payload no longer lists the root. Takes the
/// writer lock for the duration.
///
/// Errors: [`RootError::UnknownRoot`] when `root` is not a known root;
/// [`IndexError::Locked`] (naming the holder's pid) when `gongwen index`
/// runs; [`IndexError::Missing`], [`IndexError::OldSchema`], I/O and tantivy
/// errors naming `dir`.
pub fn remove_root(dir: &Path, root: &Path) -> Result<RemovedRoot, RootError> {
    // No index: said before the lock would create the folder and its lock file.
    if !ArchiveIndex::present(dir) {
        super::index::check_access(dir)?;
        super::index::check_index_folder(dir)?;
        return Err(IndexError::Missing(dir.display().to_string()).into());
    }
    let _lock = WriterLock::acquire(dir)?;
    let ix = ArchiveIndex::open_to_write(dir)?;
    let tv = |e| IndexError::from_tantivy(dir, e);
    let Some(i) = find_root(&ix.state, root) else {
        let known: Vec<&str> = ix.state.roots.iter().map(|r| r.path.as_str()).collect();
        return Err(RootError::UnknownRoot {
            path: display_path(root),
            known: if known.is_empty() {
                "none".into()
            } else {
                known.join(", ")
            },
        });
    };
    let counts = ix.docs_per_root()?;
    let mut state = ix.state.clone();
    let gone = state.roots.remove(i);
    let docs_removed = gone.doc_keys().filter_map(|k| counts.get(k)).sum();
    let mut writer = ix.writer::<tantivy::TantivyDocument>(1, 15_000_000)?;
    for key in gone.doc_keys() {
        super::delete::delete_term(&writer, Term::from_field_text(ix.fields.root, key));
    }
    commit(&mut writer, &state, dir).map_err(tv)?;
    writer.wait_merging_threads().map_err(tv)?;
    let docs_left = ArchiveIndex::open(dir)?.num_docs()?;
    Ok(RemovedRoot {
        path: gone.path,
        docs_removed,
        docs_left,
        roots_left: state.roots.len(),
    })
}

/// What changed on disk under one root since the last index run.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct RootStatus {
    /// Readable path of the root.
    pub path: String,
    /// Unix seconds of the last completed index run over the root (0 = never completed).
    pub last_indexed: i64,
    /// The last run over the root did not complete — never completed
    /// (`last_indexed` 0), or a later run was stopped or killed, or a
    /// rebuild has not reached it yet: not
    /// [`crate::archive::index::RootState::is_complete`].
    pub unfinished: bool,
    /// Whether the folder exists; a missing root is not walked and its
    /// documents are kept by `gongwen index`.
    pub exists: bool,
    /// Documents the index holds under this root (last commit).
    pub docs: u64,
    /// The root is one file, deleted since: the next `gongwen index` drops
    /// it ([`crate::archive::index::RootState::is_deleted_file`]).
    pub deleted_file: bool,
    /// A `--rebuild` of the root has not completed
    /// ([`crate::archive::index::RootState::rebuilding`]): the next run
    /// re-reads every file under it.
    pub rebuild_pending: bool,
    /// Documents still carrying the key of a root folded into this one
    /// ([`crate::archive::index::RootState::absorbed`]): a fold was stopped;
    /// the next run re-reads their files.
    pub refold_pending: u64,
    /// Supported files on disk that the index does not hold (readable paths, sorted).
    pub added: Vec<String>,
    /// Files whose size or modification time differs from the indexed version (sorted).
    pub changed: Vec<String>,
    /// Files that could not be read last time (an I/O error such as
    /// permission denied; [`crate::archive::index::IndexState::retry`]):
    /// the next run reads them again (sorted).
    pub retry: Vec<String>,
    /// Indexed files that are gone from disk (sorted). Files under folders
    /// that cannot be read are never counted as deleted.
    pub deleted: Vec<String>,
    /// Files the index holds in their current version.
    pub unchanged: usize,
    /// Files of unsupported types (not indexed).
    pub skipped: usize,
    /// Paths that could not be walked, with a one-line reason.
    pub errors: Vec<(String, String)>,
}

impl RootStatus {
    /// Whether the next `gongwen index` run would add, update or remove
    /// anything under this root (or the last run over it never completed).
    pub fn is_stale(&self) -> bool {
        !self.added.is_empty()
            || !self.changed.is_empty()
            || !self.retry.is_empty()
            || !self.deleted.is_empty()
            || self.unfinished
            || self.rebuild_pending
            || self.refold_pending > 0
            || self.deleted_file
    }
}

/// What [`status`] found, per root.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct StatusReport {
    /// One entry per known root, in the index's order.
    pub roots: Vec<RootStatus>,
    /// Live documents in the index (last commit).
    pub docs: u64,
}

impl StatusReport {
    /// Whether any root is stale ([`RootStatus::is_stale`]).
    pub fn is_stale(&self) -> bool {
        self.roots.iter().any(RootStatus::is_stale)
    }
}

/// Compare every root of the index at `dir` with the disk, without changing
/// anything: walk each root as `gongwen index` would and classify each file
/// as added, changed (size or mtime differs) or unchanged, and each indexed
/// file that is gone as deleted. A file under two overlapping roots is
/// counted once, under the first root that lists it. Cost: one walk plus
/// one `stat` per file; no file is opened.
///
/// Errors: [`IndexError::Missing`], [`IndexError::OldSchema`], I/O and
/// tantivy errors naming `dir`. Unreadable files and folders are not
/// errors: they are listed in [`RootStatus::errors`].
pub fn status(dir: &Path) -> Result<StatusReport, IndexError> {
    let ix = ArchiveIndex::open(dir)?;
    // Streamed like the indexer's walk: memory grows with the stale files
    // listed, not with the archive (24 + 8 bytes per indexed/seen file).
    let indexed = ix.indexed_table()?;
    let mut seen: HashSet<u64> = HashSet::new();
    let mut out = StatusReport {
        roots: Vec::new(),
        docs: indexed.len() as u64,
    };
    let mut unreadable: Vec<Vec<String>> = Vec::new();
    // Links into any root are not followed, as `gongwen index` does not.
    let known = ix.state.root_paths();
    let retry: HashSet<u64> = ix.state.retry.iter().map(|id| id_key(id)).collect();
    for r in &ix.state.roots {
        let root = walk::path_from_id(&r.id);
        let mut st = RootStatus {
            path: r.path.clone(),
            last_indexed: r.last_indexed,
            unfinished: !r.is_complete(),
            rebuild_pending: r.rebuilding,
            deleted_file: r.is_deleted_file(),
            exists: root.exists(),
            ..RootStatus::default()
        };
        if !st.exists {
            unreadable.push(Vec::new());
            out.roots.push(st);
            continue;
        }
        let mut racy = Vec::new();
        let (mut unchanged, mut changed, mut added) = (0, Vec::new(), Vec::new());
        let mut again = Vec::new();
        let w = walk::walk_each_beside(&root, &known, |e| {
            let key = id_key(&e.id);
            if !seen.insert(key) {
                return;
            }
            let compared = indexed.compare(&e, r.last_started);
            if retry.contains(&key) && matches!(compared, Compared::Unchanged | Compared::Racy) {
                again.push(display_path(&e.path));
                return;
            }
            match compared {
                Compared::Unchanged => unchanged += 1,
                Compared::Racy => racy.push(e),
                Compared::Changed => changed.push(display_path(&e.path)),
                Compared::New => added.push(display_path(&e.path)),
            }
        });
        st.skipped = w.skipped;
        st.errors = w.errors;
        let (racy_changed, same) = ix.changed_racy(racy)?;
        st.unchanged = unchanged + same;
        st.changed = changed;
        st.changed
            .extend(racy_changed.iter().map(|e| display_path(&e.path)));
        st.added = added;
        st.retry = again;
        unreadable.push(w.unreadable_dirs);
        out.roots.push(st);
    }
    ix.for_each_indexed(|id, root, _, _| {
        let Some(i) = ix
            .state
            .roots
            .iter()
            .position(|r| r.doc_keys().any(|k| k == root))
        else {
            return;
        };
        out.roots[i].docs += 1;
        if root != ix.state.roots[i].id {
            out.roots[i].refold_pending += 1;
        }
        if out.roots[i].exists
            && !seen.contains(&id_key(id))
            // A zip member is gone with its zip, which is listed itself.
            && walk::container_id(id).is_none()
            && !unreadable[i].iter().any(|d| id.starts_with(d.as_str()))
            && walk::gone(id, &known)
        {
            out.roots[i]
                .deleted
                .push(display_path(&walk::path_from_id(id)));
        }
    })?;
    for st in &mut out.roots {
        st.added.sort();
        st.changed.sort();
        st.retry.sort();
        st.deleted.sort();
    }
    Ok(out)
}

/// One document of the extraction-quality report ([`quality_report`]).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct QualityRow {
    /// Readable path.
    pub path: String,
    /// Format name (`txt`, `pdf`, …).
    pub format: String,
    /// Extraction status as stored ([`Status`]; an index written before the
    /// quality fields existed has only `ok` and `failed`).
    pub status: Status,
    /// Why, one line, Chinese / English (the error message for failures).
    pub reason: Option<String>,
    /// What to do, Chinese / English, e.g. "需要 OCR / needs OCR".
    pub action: Option<String>,
    /// Encoding the text was decoded from (text formats only).
    pub encoding: Option<String>,
    /// `certain`, `high` or `low` (see [`super::extract::Confidence`]).
    pub encoding_confidence: Option<String>,
    /// Page count, where known.
    pub pages: Option<u64>,
    /// Non-whitespace characters per page, where the page count is known.
    pub chars_per_page: Option<u64>,
    /// Share of U+FFFD / `(cid:…)` / private-use characters, percent.
    pub noise_percent: Option<u64>,
    /// Number of those characters.
    pub noise_chars: Option<u64>,
}

/// Documents of one status, as counted by [`quality_report`].
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct StatusCount {
    /// The status.
    pub status: Status,
    /// Documents with it.
    pub docs: u64,
}

/// What [`quality_report`] found.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct QualityReport {
    /// Live documents in the index (last commit).
    pub docs: u64,
    /// Documents per status, best status first; statuses without documents
    /// are left out.
    pub counts: Vec<StatusCount>,
    /// Every document whose status is not `ok`, worst first: by status
    /// (failed, no text layer, garbled, truncated, warning), then by a
    /// higher noise share and count, then by fewer characters per page, then a
    /// low-confidence encoding first, then by path.
    pub rows: Vec<QualityRow>,
    /// Documents indexed by a gongwen without quality notes (their stored
    /// quality has no `action` key): only `ok`/`failed` is known for them,
    /// until `gongwen index --rebuild` re-extracts them.
    pub legacy: u64,
}

impl QualityReport {
    /// Documents of status `s`.
    pub fn count(&self, s: Status) -> u64 {
        self.counts
            .iter()
            .find(|c| c.status == s)
            .map_or(0, |c| c.docs)
    }
}

/// The extraction quality of every document in the index at `dir`, read
/// from the stored `quality` field ([`super::indexer::quality_json`]):
/// the documents that need attention, worst first, and a count per status.
/// Read-only, without the writer lock. Cost: one sequential pass over the
/// document store (each compressed block is read once); no file on disk is
/// opened.
///
/// Errors: [`IndexError::Missing`], [`IndexError::OldSchema`], I/O and
/// tantivy errors naming `dir`.
pub fn quality_report(dir: &Path) -> Result<QualityReport, IndexError> {
    use tantivy::schema::Value;
    let ix = ArchiveIndex::open(dir)?;
    let tv = |e| IndexError::from_tantivy(dir, e);
    let reader = ix.index.reader().map_err(tv)?;
    let searcher = reader.searcher();
    let f = &ix.fields;
    let mut counts = [0u64; Status::ALL.len()];
    let mut rows = Vec::new();
    let mut docs = 0u64;
    let mut legacy = 0u64;
    let mut now = super::index::CurrentQuality::new(&searcher, f);
    for seg in searcher.segment_readers() {
        let store = seg
            .get_store_reader(1)
            .map_err(|e| IndexError::Io(dir.display().to_string(), e))?;
        for doc in store.iter::<tantivy::TantivyDocument>(seg.alive_bitset()) {
            let doc = doc.map_err(tv)?;
            docs += 1;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let q: serde_json::Value = text(f.quality)
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default();
            // A member of a zip broken since says so (as `search` and `show`).
            let q = now.of(&text(f.id).unwrap_or_default(), q);
            let status = q
                .get("status")
                .and_then(|s| s.as_str())
                .map_or(Status::Warning, |s| {
                    Status::from_name(s).unwrap_or(Status::Warning)
                });
            counts[status as usize] += 1;
            if q.get("action").is_none() {
                legacy += 1;
            }
            if status == Status::Ok {
                continue;
            }
            let s = |k: &str| q.get(k).and_then(|v| v.as_str()).map(str::to_string);
            let n = |k: &str| q.get(k).and_then(|v| v.as_u64());
            rows.push(QualityRow {
                path: text(f.path).unwrap_or_default(),
                format: text(f.format).unwrap_or_default(),
                status,
                reason: s("reason").or_else(|| s("note")),
                action: s("action"),
                encoding: s("encoding"),
                encoding_confidence: s("encoding_confidence"),
                pages: n("pages"),
                chars_per_page: n("chars_per_page"),
                noise_percent: n("noise_percent"),
                noise_chars: ["replacement_chars", "cid_markers", "private_use_chars"]
                    .iter()
                    .map(|k| n(k))
                    .sum(),
            });
        }
    }
    rows.sort_by(|a, b| {
        b.status
            .cmp(&a.status)
            .then(b.noise_percent.cmp(&a.noise_percent))
            .then(b.noise_chars.cmp(&a.noise_chars))
            .then(
                a.chars_per_page
                    .unwrap_or(u64::MAX)
                    .cmp(&b.chars_per_page.unwrap_or(u64::MAX)),
            )
            .then(
                (b.encoding_confidence.as_deref() == Some("low"))
                    .cmp(&(a.encoding_confidence.as_deref() == Some("low"))),
            )
            .then_with(|| a.path.cmp(&b.path))
    });
    Ok(QualityReport {
        docs,
        counts: Status::ALL
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| StatusCount {
                status: *s,
                docs: n,
            })
            .collect(),
        rows,
        legacy,
    })
}
