//! The on-disk archive index: a tantivy index in `<dir>/index/`, a writer
//! lock in `<dir>/gongwen.lock`, and the index state (schema version, known
//! roots) stored as the payload of every tantivy commit — so the state and
//! the documents it describes become durable in the same atomic step.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::Index;
use tantivy::directory::MmapDirectory;

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
    /// Error from tantivy.
    #[error("索引错误 / index error at {0}: {1}")]
    Tantivy(String, tantivy::TantivyError),
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
}

/// State stored as the commit payload.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
pub struct IndexState {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
    /// Known roots.
    pub roots: Vec<RootState>,
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
    move |e| IndexError::Tantivy(dir.display().to_string(), e)
}

impl ArchiveIndex {
    /// Open an existing index for reading. Errors: [`IndexError::Missing`],
    /// [`IndexError::OldSchema`], I/O and tantivy errors.
    pub fn open(dir: &Path) -> Result<ArchiveIndex, IndexError> {
        let idx_dir = dir.join("index");
        if !idx_dir.join("meta.json").exists() {
            return Err(IndexError::Missing(dir.display().to_string()));
        }
        let mmap = MmapDirectory::open(&idx_dir)
            .map_err(|e| IndexError::Io(dir.display().to_string(), std::io::Error::other(e)))?;
        let index = Index::open(mmap).map_err(tv(dir))?;
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

    /// Open for writing, creating the index when missing. With `rebuild`, or
    /// when the existing index has another schema version, the old index is
    /// replaced by an empty one that keeps the old roots (committed at once,
    /// so a crash right after still knows them). Returns the index and
    /// whether it was (re)created empty.
    ///
    /// The caller must hold the [`WriterLock`].
    pub fn open_for_write(dir: &Path, rebuild: bool) -> Result<(ArchiveIndex, bool), IndexError> {
        let idx_dir = dir.join("index");
        let mut old_roots = Vec::new();
        if idx_dir.join("meta.json").exists() {
            match ArchiveIndex::open(dir) {
                Ok(ix) if !rebuild => return Ok((ix, false)),
                Ok(ix) => old_roots = ix.state.roots,
                Err(IndexError::OldSchema(_)) => {
                    if let Ok(mmap) = MmapDirectory::open(&idx_dir)
                        && let Ok(index) = Index::open(mmap)
                    {
                        old_roots = read_state(&index).roots;
                    }
                }
                Err(e) => return Err(e),
            }
            std::fs::remove_dir_all(&idx_dir).map_err(io(dir))?;
        }
        std::fs::create_dir_all(&idx_dir).map_err(io(dir))?;
        let (schema, fields) = schema::build();
        // zstd for the doc store: stored text is most of the index on disk.
        let settings = tantivy::IndexSettings {
            docstore_compression: tantivy::store::Compressor::Zstd(Default::default()),
            ..Default::default()
        };
        let index = Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_dir(&idx_dir)
            .map_err(tv(dir))?;
        register_tokenizers(&index);
        let state = IndexState {
            schema_version: SCHEMA_VERSION,
            roots: old_roots,
        };
        let mut ix = ArchiveIndex {
            dir: dir.to_path_buf(),
            index,
            fields,
            state,
        };
        // First commit: an empty index that already knows its roots.
        let mut w = ix.writer(1, 15_000_000)?;
        let st = ix.state.clone();
        commit(&mut w, &st).map_err(tv(dir))?;
        w.wait_merging_threads().map_err(tv(dir))?;
        ix.state = st;
        Ok((ix, true))
    }

    /// A tantivy writer with `threads` indexing threads sharing
    /// `memory_budget` bytes (at least 15 MB per thread).
    pub fn writer(
        &self,
        threads: usize,
        memory_budget: usize,
    ) -> Result<tantivy::IndexWriter, IndexError> {
        self.index
            .writer_with_num_threads(threads, memory_budget.max(threads * 15_000_000))
            .map_err(tv(&self.dir))
    }

    /// Per-document state from the last commit's fast fields, without
    /// loading stored documents: id ([`super::walk::path_id`]) → (size in
    /// bytes, mtime in Unix seconds, root id). What the indexer and `status`
    /// compare the disk against.
    pub fn indexed_files(&self) -> Result<HashMap<String, (u64, i64, String)>, IndexError> {
        let tv = tv(&self.dir);
        let reader = self.index.reader().map_err(&tv)?;
        let searcher = reader.searcher();
        let mut out = HashMap::new();
        for seg in searcher.segment_readers() {
            let ff = seg.fast_fields();
            let (Some(ids), Some(roots)) =
                (ff.str("id").map_err(&tv)?, ff.str("root").map_err(&tv)?)
            else {
                continue;
            };
            let sizes = ff.u64("size").map_err(&tv)?;
            let mtimes = ff.i64("mtime").map_err(&tv)?;
            let mut id = String::new();
            let mut root = String::new();
            for doc in seg.doc_ids_alive() {
                id.clear();
                root.clear();
                if let Some(o) = ids.term_ords(doc).next() {
                    let _ = ids.ord_to_str(o, &mut id);
                }
                if let Some(o) = roots.term_ords(doc).next() {
                    let _ = roots.ord_to_str(o, &mut root);
                }
                out.insert(
                    id.clone(),
                    (
                        sizes.first(doc).unwrap_or(0),
                        mtimes.first(doc).unwrap_or(0),
                        root.clone(),
                    ),
                );
            }
        }
        Ok(out)
    }

    /// Number of live documents in the last commit.
    pub fn num_docs(&self) -> Result<u64, IndexError> {
        let reader = self.index.reader().map_err(tv(&self.dir))?;
        Ok(reader.searcher().num_docs())
    }
}

/// Commit everything added or deleted so far, with `state` as the payload.
pub fn commit(writer: &mut tantivy::IndexWriter, state: &IndexState) -> tantivy::Result<u64> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&serde_json::to_string(state).expect("state serializes"));
    prepared.commit()
}

fn read_state(index: &Index) -> IndexState {
    index
        .load_metas()
        .ok()
        .and_then(|m| m.payload)
        .and_then(|p| serde_json::from_str(&p).ok())
        .unwrap_or_default()
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
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let path = dir.join("gongwen.lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io(dir))?;
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
