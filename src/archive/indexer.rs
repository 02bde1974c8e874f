//! Building and updating the index: walk the roots, compare with what the
//! index holds, extract new and changed files in parallel, and commit.
//!
//! Pipeline: `walk` (one thread) → classify against the index's per-file
//! `size`/`mtime` fast fields ([`IndexedFiles`], 24 bytes per document) →
//! a bounded channel of files to do → rayon workers run `extract` + `normalize` and
//! send finished documents through a bounded channel (memory stays bounded)
//! → the calling thread feeds tantivy's writer, deleting the old version of a
//! changed file by its `id` term first ("there is no such thing as an
//! update") → commits every [`IndexOptions::commit_every_docs`] documents or
//! [`IndexOptions::commit_every`], each commit carrying the index state as
//! payload. A run killed at any moment leaves the last commit intact; the
//! next run sees those files as unchanged and does the rest.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde_json::json;
use tantivy::{DateTime, TantivyDocument, Term};

use super::budget::{BudgetedDoc, DocBudget};
use super::delete::delete_term;
use super::extract::{self, ExtractError, Extracted, Format, Limits, Quality, archive_zip};
use super::index::{
    ArchiveIndex, Compared, IndexError, IndexState, IndexedFiles, Opened, RootState, WriterLock,
    commit, content_hash, content_hash_of, id_key, now_secs,
};
use super::normalize::normalize;
use super::walk::{self, FileEntry, display_path, path_id};
use crate::meta::DocMeta;

/// Options of an index run.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Re-read every file under the roots walked, changed or not (after an
    /// extractor upgrade, or to refresh what an older gongwen recorded). The
    /// index is rebuilt in place: each document is replaced when its file
    /// has been read again, a file that now fails keeps its last good text,
    /// a missing folder keeps its documents, and search sees the old
    /// documents until then. A rebuild stopped halfway is taken up by the
    /// next run (see [`super::index::RootState::rebuilding`]).
    pub rebuild: bool,
    /// Extraction caps.
    pub limits: Limits,
    /// Commit after this many added documents.
    pub commit_every_docs: usize,
    /// ... or after this much time.
    pub commit_every: Duration,
    /// Extraction threads (rayon); 0 = number of cores.
    pub threads: usize,
    /// tantivy writer memory budget in bytes, shared by its indexing threads.
    pub memory_budget: usize,
    /// Set it (the CLI does on Ctrl-C) to stop the run early: no further
    /// file is started, the files already extracted are indexed and
    /// committed, no document is removed (the walk did not finish), and the
    /// roots stay marked unfinished; the next run sees the saved files as
    /// unchanged and does the rest. See [`Summary::interrupted`].
    pub stop: Option<Arc<AtomicBool>>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            rebuild: false,
            // Text files are cut at 16 MiB (noted as truncated): one huge log or
            // data dump must not take the writer's memory.
            limits: Limits {
                max_file_bytes: 16 * 1024 * 1024,
                ..Limits::default()
            },
            commit_every_docs: 5_000,
            commit_every: Duration::from_secs(30),
            threads: 0,
            // 64 MB: bigger budgets made no faster runs on the laws corpus but
            // 200 MB cost ~140 MB more peak RSS on its ×10 copy.
            memory_budget: 64_000_000,
            stop: None,
        }
    }
}

/// Receives progress of an index run (the CLI draws a progress bar).
pub trait Progress: Sync {
    /// Whether to count the files before the walk for [`Progress::start`]
    /// (one extra pass over the folders, names only; default no).
    fn wants_total(&self) -> bool {
        false
    }
    /// Number of supported files under the roots, counted by name before
    /// the walk ([`walk::count_supported`]); each is then reported once,
    /// by [`Progress::skip`] or [`Progress::advance`].
    fn start(&self, _total: u64) {}
    /// `n` files were checked and need no extraction (unchanged, or already
    /// seen under an overlapping root).
    fn skip(&self, _n: u64) {}
    /// One file was extracted and indexed (or failed).
    fn advance(&self, _path: &str) {}
    /// A commit is being written.
    fn committing(&self) {}
}

/// A [`Progress`] that shows nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// What an index run did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    /// Regular files seen under the roots.
    pub seen: usize,
    /// Files newly added.
    pub added: usize,
    /// Files whose new version replaced the old.
    pub updated: usize,
    /// Documents removed because their file is gone.
    pub removed: usize,
    /// Files unchanged since the last run (not re-extracted).
    pub unchanged: usize,
    /// Files that could not be read (an I/O error, e.g. permission denied):
    /// the next run reads them again ([`IndexState::retry`]).
    pub retry: usize,
    /// Files of unsupported types.
    pub skipped: usize,
    /// Every problem of the run, in order: (readable path, one-line reason).
    /// Three kinds, counted apart so that the counts add up:
    /// [`Summary::failed_files`], [`Summary::failed_members`] and
    /// [`Summary::unreachable`].
    pub failed: Vec<(String, String)>,
    /// Files among [`Summary::seen`] whose text could not be extracted
    /// (a whole zip that cannot be opened is one). With `added`, `updated`,
    /// `unchanged`, `skipped` and `vanished` they make up `seen`.
    pub failed_files: usize,
    /// Files seen by the walk and gone (deleted or moved) before they were
    /// read: not indexed; an indexed older version is removed (and counted
    /// in [`Summary::removed`]).
    pub vanished: usize,
    /// Members of zips that failed (the zip itself is added or updated).
    pub failed_members: usize,
    /// Paths the walk could not follow or read: broken links, link loops,
    /// unreadable folders, missing roots. Not among `seen`.
    pub unreachable: usize,
    /// Files indexed with a caveat — truncated, garbled, almost no text
    /// layer, bytes replaced, encoding guessed, a note of the extractor:
    /// (readable path, the one-line reason of [`extract::assess`]).
    pub warnings: Vec<(String, String)>,
    /// Bytes of normalized text added.
    pub text_bytes: u64,
    /// Documents written to the index in this run: added or updated files,
    /// each zip member, failed files kept with their last good text.
    pub written: usize,
    /// Live documents in the index after the run.
    pub total_docs: u64,
    /// Number of commits written.
    pub commits: usize,
    /// Whether an existing index was replaced by an empty one first (it was
    /// written by a gongwen with another schema, or damaged).
    pub rebuilt: bool,
    /// Where the files of a damaged index were moved (a `--rebuild` over
    /// [`super::index::IndexError::Damaged`]).
    pub damaged_moved_to: Option<PathBuf>,
    /// Whether this run re-read every file under its roots (a `--rebuild`,
    /// or one not finished before): unchanged files count as updated.
    pub rebuilding: bool,
    /// How many of the roots walked were rebuilt (every file re-read).
    pub rebuilt_roots: usize,
    /// Roots that were one file, deleted since: dropped with their
    /// document (see [`super::index::RootState::is_file`]).
    pub dropped_roots: Vec<String>,
    /// PATHs given that lie inside a known folder, indexed as part of it:
    /// (PATH, that folder), readable paths.
    pub within_roots: Vec<(String, String)>,
    /// Known roots inside a folder given as PATH, folded into it: (the
    /// old root, the folder), readable paths. Their files are re-read
    /// once (see [`super::index::RootState::absorbed`]).
    pub absorbed_roots: Vec<(String, String)>,
    /// Roots whose rebuild is still to do after this run: folders that
    /// could not be reached (re-read by the first run that reaches them),
    /// or every rebuilt root when the run was stopped.
    pub rebuild_pending: usize,
    /// Whether the run was stopped early through [`IndexOptions::stop`]:
    /// what it indexed is committed, the rest is left for the next run.
    pub interrupted: bool,
}

/// Fatal errors of an index run (per-file problems are in [`Summary::failed`]).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Index could not be opened, locked or written.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// No PATH given and the index knows no roots.
    #[error(
        "索引中还没有目录，请指定要索引的目录 / the index knows no folders yet: give a PATH to index"
    )]
    NoRoots,
    /// `--rebuild` moved a damaged index aside (to this folder) whose
    /// `meta.json` no longer names its folders, and no PATH was given.
    #[error(
        "原索引已损坏并已移到 {0}，其中的目录清单无法读取；请指定要索引的目录：gongwen index --rebuild 目录… / the damaged index was moved to {0} and its list of folders could not be read: give the folders, gongwen index --rebuild PATH…"
    )]
    DamagedNoRoots(String),
    /// A file given as PATH is of a type gongwen does not read.
    #[error(
        "不支持的文件类型 / unsupported file type: {0}（可索引 txt、md、html、docx、pdf、ofd、xlsx、pptx、wps/et/dps、zip，或它们所在的目录 / gongwen reads txt, md, html, docx, pdf, ofd, xlsx, pptx, wps/et/dps and zip files, or folders of them）"
    )]
    UnsupportedFile(String),
    /// A given PATH is neither a file nor a folder (a device, a pipe, a socket).
    #[error("不是文件或目录 / not a file or folder: {0}")]
    NotFileOrFolder(String),
    /// A given PATH does not exist.
    #[error("文件或目录不存在 / no such file or folder: {0}")]
    NoSuchRoot(String),
    /// A given PATH is the index folder itself or inside it: its files
    /// would all be skipped as the index's own.
    #[error(
        "{0} 是索引目录本身或其中的一部分，不能被索引；请用 --index 指定另一个目录 / {0} is the index folder itself or inside it and cannot be indexed: give --index another folder"
    )]
    RootInIndex(String),
}

struct Prepared {
    entry: FileEntry,
    /// Whether the index already holds a document under `entry.id` (a zip
    /// member: always false; its zip is replaced as a whole).
    existed: bool,
    result: Result<(Extracted, String), ExtractError>,
    hash: String,
    /// The tantivy document, when the worker already built it (metadata
    /// extraction runs in the workers, not on the single writer thread).
    doc: Option<TantivyDocument>,
}

/// Canonical root path and key, or an error naming the path.
pub fn canonical_root(p: &Path) -> Result<PathBuf, RunError> {
    std::fs::canonicalize(p).map_err(|_| RunError::NoSuchRoot(display_path(p)))
}

/// The canonical path of `p`, a file that no longer exists, when `roots`
/// hold it as a file root deleted since (its folder still exists).
fn deleted_file_root(p: &Path, roots: &[RootState]) -> Option<PathBuf> {
    let folder = p.parent().filter(|d| !d.as_os_str().is_empty());
    let c = std::fs::canonicalize(folder.unwrap_or(Path::new(".")))
        .ok()?
        .join(p.file_name()?);
    let id = path_id(&c);
    roots
        .iter()
        .any(|r| r.id == id && r.is_deleted_file())
        .then_some(c)
}

/// Index `roots` (or, when empty, every root the index knows) into the index
/// at `dir`, incrementally. Per-file failures never abort the run; they are
/// listed in the summary. Errors: the index cannot be locked/opened/written,
/// no roots, a given root does not exist.
pub fn run(
    dir: &Path,
    roots: &[PathBuf],
    opts: &IndexOptions,
    progress: &dyn Progress,
) -> Result<Summary, RunError> {
    // A folder this user may not enter is said as such (to the tests
    // below it looks like no index at all).
    super::index::check_access(dir)?;
    // A mistyped PATH, or none for a new index, is reported before anything
    // is created or locked.
    if roots.is_empty() && !ArchiveIndex::present(dir) {
        super::index::check_index_folder(dir)?;
        return Err(RunError::NoRoots);
    }
    let index_dir = std::fs::canonicalize(dir).ok();
    // A PATH that no longer exists is accepted only when the index holds it
    // as a file root of its own (deleted since): the run drops it.
    let known_before = if roots.iter().any(|r| !r.exists()) {
        super::index::last_roots(dir)
    } else {
        Vec::new()
    };
    let mut given: Vec<PathBuf> = Vec::with_capacity(roots.len());
    for r in roots {
        match canonical_root(r) {
            Ok(c) => given.push(c),
            Err(e) => given.push(deleted_file_root(r, &known_before).ok_or(e)?),
        }
    }
    if let Some(c) = given
        .iter()
        .find(|c| index_dir.as_ref().is_some_and(|d| c.starts_with(d)))
    {
        return Err(RunError::RootInIndex(display_path(c)));
    }
    // A file given as PATH must be one gongwen reads, or it would only
    // become a root without documents.
    if let Some(c) = given
        .iter()
        .find(|c| c.is_file() && Format::from_path(c).is_none())
    {
        return Err(RunError::UnsupportedFile(display_path(c)));
    }
    // A device, pipe or socket holds no documents.
    if let Some(c) = given
        .iter()
        .find(|c| c.exists() && !c.is_file() && !c.is_dir())
    {
        return Err(RunError::NotFileOrFolder(display_path(c)));
    }
    let _lock = WriterLock::acquire(dir)?;
    let started = now_secs();
    let (ix, opened) = ArchiveIndex::open_for_write(dir, opts.rebuild)?;
    let mut summary = Summary {
        rebuilt: matches!(opened, Opened::Recreated | Opened::DamagedMoved(_)),
        damaged_moved_to: match opened {
            Opened::DamagedMoved(p) => Some(p),
            _ => None,
        },
        ..Summary::default()
    };
    let mut state: IndexState = ix.state.clone();

    // Which roots to walk.
    let Plan {
        walk: mut walk_roots,
        deleted_files: deleted_file_roots,
        within: within_root,
    } = if roots.is_empty() {
        if let (true, Some(aside)) = (state.roots.is_empty(), &summary.damaged_moved_to) {
            return Err(RunError::DamagedNoRoots(display_path(aside)));
        }
        if state.roots.is_empty() {
            return Err(RunError::NoRoots);
        }
        plan_known(&ix, &state, &mut summary)?
    } else {
        plan_given(given, &mut state, &mut summary)
    };

    let tv = |e| IndexError::from_tantivy(dir, e);
    let mut writer = ix.writer::<BudgetedDoc>(2, opts.memory_budget)?;
    // At most 32 MB of document text waits in tantivy's queue (see `budget`).
    let docs = DocBudget::new(32 << 20);
    for id in &deleted_file_roots {
        delete_term(&writer, Term::from_field_text(ix.fields.id, id));
        summary.removed += 1;
    }
    state.roots.retain(|r| !deleted_file_roots.contains(&r.id));
    // Remember new, folded and dropped roots at once, before the walk
    // (last_indexed 0 = never completed), so that a run killed before its
    // first periodic commit is resumed by `gongwen index` without PATH.
    if state.roots != ix.state.roots {
        commit(&mut writer, &state, dir).map_err(tv)?;
        summary.commits += 1;
    }
    let indexed = ix.indexed_table()?;
    // The documents as last committed: a changed file that fails to extract
    // keeps its stored text from here.
    let last_commit_searcher = ix.index.reader().map_err(tv)?.searcher();
    let f = ix.fields.clone();
    let walked_root_ids: HashSet<String> = walk_roots.iter().map(|r| path_id(r)).collect();
    // Until this run completes, every commit it writes marks its roots
    // unfinished (a run killed or stopped halfway leaves them so).
    // A rebuild covers the roots asked for (all known ones without PATH):
    // one that cannot be reached now keeps the flag, so the first run after
    // its folder is back re-reads it.
    let asked_all = roots.is_empty();
    for r in state.roots.iter_mut() {
        if walked_root_ids.contains(&r.id) {
            r.unfinished = true;
        }
        if opts.rebuild && (asked_all || walked_root_ids.contains(&r.id)) {
            r.rebuilding = true;
        }
    }
    // Roots whose files are all re-read: a `--rebuild` now, or one that a
    // stopped or killed run left unfinished (the flag is in its commits).
    let mut rebuilding: HashSet<String> = state
        .roots
        .iter()
        .filter(|r| r.rebuilding && walked_root_ids.contains(&r.id))
        .map(|r| r.id.clone())
        .collect();
    summary.rebuilding = !rebuilding.is_empty();
    summary.rebuilt_roots = rebuilding.len();
    // `--rebuild PATH` for a file or folder inside a known folder: only it
    // is walked (under its folder's id) and re-read; the folder is not
    // rebuilt as a whole.
    if opts.rebuild {
        rebuilding.extend(within_root.values().cloned());
    }
    // Files whose documents still carry the key of a root folded into one
    // walked now are re-read, to carry its key (see `RootState::absorbed`);
    // a run stopped halfway leaves only the rest to the next.
    let mut reread_ids: HashSet<u64> = HashSet::new();
    {
        let folded: HashSet<&str> = state
            .roots
            .iter()
            .filter(|r| walked_root_ids.contains(&r.id))
            .flat_map(|r| r.absorbed.iter().map(String::as_str))
            .collect();
        if !folded.is_empty() {
            ix.for_each_indexed(|id, root, _, _| {
                if folded.contains(root) {
                    reread_ids.insert(id_key(id));
                }
            })?;
        }
    }
    // Files that could not be read last time (see `IndexState::retry`),
    // kept up to date as files are written and stored with every commit.
    reread_ids.extend(state.retry.iter().map(|id| id_key(id)));
    let mut retry: BTreeSet<String> = state.retry.iter().cloned().collect();
    // Every root the index knows: links into them are not followed (their
    // files are indexed under their own root).
    let known_roots = state.root_paths();
    // A root inside another root walked in this run is covered by that walk:
    // walking it again would only count its files twice (its own documents
    // are still checked for deletion through `walked_root_ids`).
    let outer = walk_roots.clone();
    walk_roots.retain(|r| !outer.iter().any(|o| o != r && r.starts_with(o)));

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(if opts.threads == 0 {
            num_cpus()
        } else {
            opts.threads
        })
        .build()
        .expect("thread pool");
    // The pipeline: walker → (todo, bounded) → extraction workers →
    // (prepared, bounded) → this thread, the single writer. Nothing holds
    // a list of all files, so memory does not grow with the archive
    // (issue 4); the progress bar's total comes from a name-only count first.
    if progress.wants_total() {
        progress.start(
            walk_roots
                .iter()
                .map(|r| walk::count_supported(r, &known_roots))
                .sum(),
        );
    }
    let (todo_tx, todo_rx) = crossbeam_channel::bounded::<(FileEntry, bool)>(256);
    let (tx, rx) = crossbeam_channel::bounded::<Prepared>(8);
    let limits = opts.limits.clone();
    let mut pending = 0usize;
    let mut last_commit = Instant::now();
    let mut result: Result<(), RunError> = Ok(());
    let mut zips = ZipUnits::default();
    let never = AtomicBool::new(false);
    let stop: &AtomicBool = opts.stop.as_deref().unwrap_or(&never);
    let walked = std::thread::scope(|s| {
        let limits = &limits;
        let pool = &pool;
        let fields = &f;
        let (ix, indexed, walk_roots, rebuilding) = (&ix, &indexed, &walk_roots, &rebuilding);
        let (within_root, reread_ids) = (&within_root, &reread_ids);
        let known = &known_roots;
        let walker = s.spawn(move || {
            walk_and_classify(
                ix,
                indexed,
                walk_roots,
                known,
                within_root,
                Reread {
                    roots: rebuilding,
                    ids: reread_ids,
                },
                &todo_tx,
                progress,
                stop,
            )
        });
        s.spawn(move || {
            pool.install(|| {
                todo_rx
                    .into_iter()
                    .par_bridge()
                    .for_each_with(tx, |tx, (e, existed)| {
                        // Stopped: files not yet started are left for the
                        // next run (a zip under way is finished whole).
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        if e.format == Format::Zip {
                            return send_zip(&e, existed, limits, tx);
                        }
                        // One read serves the hash and the extraction.
                        let (hash, result) = match extract::read_file(&e.path, e.format, limits) {
                            Ok(file) => (
                                content_hash_of(&e.path, &file),
                                extract::extract_read(file, e.format, limits),
                            ),
                            Err(err) => (content_hash(&e.path), Err(err)),
                        };
                        let result = result.map(|x| {
                            let norm = normalize(&x.text);
                            (x, norm)
                        });
                        let mut p = Prepared {
                            entry: e,
                            existed,
                            result,
                            hash,
                            doc: None,
                        };
                        p.doc = Some(build_doc(fields, &p));
                        let _ = tx.send(p);
                    });
            });
        });
        for mut p in rx.iter() {
            if result.is_err() {
                continue; // drain so workers can finish
            }
            // A file (or a whole zip, not a member) is read again next time
            // only when it could not be read at all.
            if walk::container_id(&p.entry.id).is_none() {
                if matches!(&p.result, Err(ExtractError::Io(_))) && !vanished(&p.entry.path) {
                    retry.insert(p.entry.id.clone());
                } else {
                    retry.remove(&p.entry.id);
                }
            }
            if p.entry.format == Format::Zip || walk::container_id(&p.entry.id).is_some() {
                let last = &last_commit_searcher;
                if let Err(e) = zips.add(&writer, &docs, &f, &mut summary, progress, last, &p) {
                    result = Err(tv(e).into());
                }
                continue;
            }
            progress.advance(&display_path(&p.entry.path));
            match &p.result {
                Ok((x, norm)) => {
                    summary.text_bytes += norm.len() as u64;
                    if p.existed {
                        summary.updated += 1;
                    } else {
                        summary.added += 1;
                    }
                    // Indexed with a caveat (truncated, garbled, scanned, …):
                    // the same verdict as the stored `quality.status`.
                    if let Some(reason) = extract::assess(p.entry.format, Ok(&x.quality)).reason {
                        summary.warnings.push((display_path(&p.entry.path), reason));
                    }
                }
                Err(_) if vanished(&p.entry.path) => {
                    // Deleted or moved away since the walk: gone, not broken.
                    summary.vanished += 1;
                    if p.existed {
                        delete_term(&writer, Term::from_field_text(f.id, &p.entry.id));
                        summary.removed += 1;
                    }
                    continue;
                }
                Err(err) => {
                    summary.failed_files += 1;
                    summary
                        .failed
                        .push((display_path(&p.entry.path), err.to_string()));
                    if p.existed {
                        // Keep the text already indexed, marked as what
                        // the file on disk now is (see `keep_last_good`).
                        match keep_last_good(&last_commit_searcher, &f, &p, err) {
                            Ok(Some(doc)) => {
                                delete_term(&writer, Term::from_field_text(f.id, &p.entry.id));
                                match writer.add_document(docs.wrap(doc)) {
                                    Ok(_) => summary.written += 1,
                                    Err(e) => result = Err(tv(e).into()),
                                }
                                continue;
                            }
                            // It never had text: this failure replaces the
                            // last one, below.
                            Ok(None) => {}
                            // Its stored copy does not decode (a damaged
                            // index): nothing to keep; the old entry stays.
                            Err(e) if super::index::is_damage(&e) => continue,
                            Err(e) => {
                                result = Err(tv(e).into());
                                continue;
                            }
                        }
                    }
                }
            }
            let doc = match p.doc.take() {
                Some(d) => d,
                None => build_doc(&f, &p),
            };
            if p.existed {
                delete_term(&writer, Term::from_field_text(f.id, &p.entry.id));
            }
            if let Err(e) = writer.add_document(docs.wrap(doc)) {
                result = Err(tv(e).into());
                continue;
            }
            summary.written += 1;
            pending += 1;
            if pending >= opts.commit_every_docs || last_commit.elapsed() >= opts.commit_every {
                progress.committing();
                state.retry = retry.iter().cloned().collect();
                if let Err(e) = commit(&mut writer, &state, dir) {
                    result = Err(tv(e).into());
                }
                summary.commits += 1;
                pending = 0;
                last_commit = Instant::now();
            }
        }
        walker.join().expect("walker thread")
    });
    let walked = walked?;
    summary.interrupted = stop.load(Ordering::Relaxed);
    summary.seen += walked.seen;
    summary.skipped += walked.skipped;
    summary.unchanged += walked.unchanged;
    summary.unreachable += walked.failed.len();
    summary.failed.extend(walked.failed);

    // Files gone from disk (only under roots walked now, never under a
    // folder that could not be read), streamed from the index's fast fields.
    let is_seen = |id: &str| walked.seen_ids.contains(&id_key(id));
    let under_unreadable = |id: &str| walked.unreadable.iter().any(|d| id.starts_with(d.as_str()));
    // A document is checked when its root was walked, or when its path lies
    // under a walked root although an overlapping root indexed it
    // (`gongwen index 档案/2023` after `gongwen index 档案`).
    let walked_prefixes: Vec<String> = walked_root_ids.iter().map(|r| format!("{r}/")).collect();
    let under_walked_root = |id: &str| walked_prefixes.iter().any(|p| id.starts_with(p.as_str()));
    let in_walked_root =
        |id: &str, root: &str| walked_root_ids.contains(root) || under_walked_root(id);
    let mut gone_zips: HashSet<String> = HashSet::new();
    // An interrupted walk did not see every file: nothing is gone, and the
    // fast fields are not streamed at all.
    if !summary.interrupted {
        ix.for_each_indexed(|id, root, _, _| {
            if !in_walked_root(id, root) || is_seen(id) || under_unreadable(id) {
                return;
            }
            if let Some(zip) = walk::container_id(id) {
                // A zip member is gone only with its zip (deleted below, at once).
                if !is_seen(zip) && walk::gone(zip, &known_roots) {
                    gone_zips.insert(zip.to_string());
                }
            } else if walk::gone(id, &known_roots) {
                delete_term(&writer, Term::from_field_text(f.id, id));
                summary.removed += 1;
            }
        })?;
    }
    for zip in &gone_zips {
        // Counted as removed by the loop above when its own document exists.
        delete_zip(&writer, &f, zip).map_err(tv)?;
    }
    result?;
    // Final commit: mark the walked roots as completed (unless stopped).
    let now = now_secs();
    for r in state.roots.iter_mut() {
        if walked_root_ids.contains(&r.id) && !summary.interrupted {
            r.last_indexed = now;
            r.last_started = started;
            r.unfinished = false;
            r.rebuilding = false;
            r.absorbed.clear();
        }
    }
    summary.rebuild_pending = state.roots.iter().filter(|r| r.rebuilding).count();
    // A file to read again that a complete walk of its root did not meet
    // is gone (or no longer a document).
    if !summary.interrupted {
        retry.retain(|id| {
            is_seen(id) || !(walked_root_ids.contains(id.as_str()) || under_walked_root(id))
        });
    }
    state.retry = retry.into_iter().collect();
    summary.retry = state.retry.len();
    progress.committing();
    commit(&mut writer, &state, dir).map_err(tv)?;
    summary.commits += 1;
    writer.wait_merging_threads().map_err(tv)?;
    summary.total_docs = ArchiveIndex::open(dir)?.num_docs()?;
    Ok(summary)
}

/// Said of a known folder that is missing and has no documents in the index
/// (by `gongwen index` and `gongwen status`).
pub const MISSING_WITHOUT_DOCS: &str = "目录不存在，索引中没有它的文档：目录恢复后运行 `gongwen index` / folder is missing and the index holds none of its documents: run `gongwen index` once it is back";

/// Which roots a run walks (see [`plan_known`], [`plan_given`]).
#[derive(Default)]
struct Plan {
    /// Roots to walk.
    walk: Vec<PathBuf>,
    /// Keys of roots that were one file, deleted since: dropped with their
    /// document (see `RootState::is_file`).
    deleted_files: Vec<String>,
    /// Files and folders given as PATH inside a known folder root: PATH →
    /// that root's key.
    within: HashMap<PathBuf, String>,
}

/// A run without PATH: every known root on disk is walked, a file root
/// deleted since is dropped, a missing folder is reported in `summary`
/// with the number of documents it keeps. Errors: the index's fast fields
/// cannot be read (only when a folder is missing).
fn plan_known(
    ix: &ArchiveIndex,
    state: &IndexState,
    summary: &mut Summary,
) -> Result<Plan, RunError> {
    let mut plan = Plan::default();
    // Documents per root key, counted only when a folder is missing.
    let kept = if state
        .roots
        .iter()
        .any(|r| !walk::path_from_id(&r.id).exists())
    {
        ix.docs_per_root()?
    } else {
        HashMap::new()
    };
    for r in &state.roots {
        let p = walk::path_from_id(&r.id);
        if p.exists() {
            plan.walk.push(p);
        } else if r.is_deleted_file() {
            plan.deleted_files.push(r.id.clone());
            summary.dropped_roots.push(r.path.clone());
        } else {
            let n: u64 = r.doc_keys().filter_map(|k| kept.get(k)).sum();
            let reason = if summary.rebuilt || n == 0 {
                MISSING_WITHOUT_DOCS.to_string()
            } else {
                format!(
                    "目录不存在，已保留其 {n} 篇文档；若已删除，运行 `gongwen roots remove 路径` / folder is missing; its {n} documents are kept (if it was deleted: `gongwen roots remove PATH`)"
                )
            };
            summary.failed.push((r.path.clone(), reason));
            summary.unreachable += 1;
        }
    }
    Ok(plan)
}

/// A run over the PATHs `given` (canonical): a known root is walked (a
/// file root deleted since is dropped); a file or folder inside a known
/// folder is walked under that folder's key (the outermost, which a run
/// without PATH walks), not made a root of its own; anything else becomes
/// a root, and a new folder takes in the known roots inside it (one root
/// for the whole folder; their files re-read once to carry its key, see
/// `RootState::absorbed`). Changes `state.roots` and notes each case in
/// `summary`.
fn plan_given(given: Vec<PathBuf>, state: &mut IndexState, summary: &mut Summary) -> Plan {
    let mut plan = Plan::default();
    for c in given {
        let id = path_id(&c);
        if let Some(r) = state.roots.iter().find(|r| r.id == id) {
            if r.is_deleted_file() {
                plan.deleted_files.push(id);
                summary.dropped_roots.push(r.path.clone());
            } else {
                plan.walk.push(c);
            }
            continue;
        }
        let owner = state
            .roots
            .iter()
            .filter(|r| !r.is_file)
            .map(|r| (r, walk::path_from_id(&r.id)))
            .filter(|(_, p)| c.starts_with(p))
            .min_by_key(|(_, p)| p.as_os_str().len())
            .map(|(r, _)| (r.id.clone(), r.path.clone()));
        if let Some((owner, owner_path)) = owner {
            summary.within_roots.push((display_path(&c), owner_path));
            plan.within.insert(c.clone(), owner);
        } else {
            let path = display_path(&c);
            let mut absorbed = Vec::new();
            if c.is_dir() {
                state.roots.retain(|r| {
                    let inside = walk::path_from_id(&r.id).starts_with(&c);
                    if inside {
                        absorbed.push(r.id.clone());
                        absorbed.extend(r.absorbed.iter().cloned());
                        summary.absorbed_roots.push((r.path.clone(), path.clone()));
                    }
                    !inside
                });
            }
            state.roots.push(RootState {
                id,
                path,
                last_indexed: 0,
                last_started: 0,
                unfinished: false,
                rebuilding: false,
                is_file: c.is_file(),
                absorbed,
            });
        }
        plan.walk.push(c);
    }
    plan
}

/// Whether the file at `path` no longer exists (a broken file still does).
fn vanished(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
}

/// What the walker thread of [`run`] found besides the files it sent.
#[derive(Default)]
struct Walked {
    seen: usize,
    skipped: usize,
    unchanged: usize,
    failed: Vec<(String, String)>,
    /// Keys of folders that could not be read: their documents are kept.
    unreadable: Vec<String>,
    /// [`id_key`]s of the files found on disk (8 bytes each, plus the set's slack).
    seen_ids: HashSet<u64>,
}

/// Files the walk sends to be read again whether changed or not.
struct Reread<'a> {
    /// Keys of roots being rebuilt: every file walked under them.
    roots: &'a HashSet<String>,
    /// [`id_key`]s of files re-read (their documents carry the key of a
    /// root folded into another).
    ids: &'a HashSet<u64>,
}

/// Walker side of [`run`]: walk `roots`, skip files already found under an
/// overlapping root, count unchanged files (same size and mtime as
/// indexed, and not racy), and send the others to `todo` with whether they
/// are already indexed. Racy files ([`Compared::Racy`]) are content-hashed after
/// the walk and only the changed ones sent. Files in `reread` are sent
/// whatever they compare as. A walked PATH in `within_root` belongs to
/// that root. Errors: the stored hashes of racy files cannot be read.
#[allow(clippy::too_many_arguments)]
fn walk_and_classify(
    ix: &ArchiveIndex,
    indexed: &IndexedFiles,
    roots: &[PathBuf],
    known: &[PathBuf],
    within_root: &HashMap<PathBuf, String>,
    reread: Reread<'_>,
    todo: &crossbeam_channel::Sender<(FileEntry, bool)>,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<Walked, IndexError> {
    let mut w = Walked::default();
    let mut racy: Vec<FileEntry> = Vec::new();
    for root in roots {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let owner = within_root.get(root);
        let r = walk::walk_each_beside(root, known, |mut e| {
            if let Some(o) = owner {
                e.root_id = o.clone();
            }
            if stop.load(Ordering::Relaxed) {
                return; // the rest of the walk only lists names
            }
            let key = id_key(&e.id);
            if !w.seen_ids.insert(key) {
                progress.skip(1);
                return; // same file under two overlapping roots
            }
            let compared = match indexed.compare(&e, ix.root_started(&e.root_id)) {
                Compared::New => Compared::New,
                _ if reread.roots.contains(&e.root_id) || reread.ids.contains(&key) => {
                    Compared::Changed
                }
                c => c,
            };
            match compared {
                Compared::Unchanged => {
                    w.unchanged += 1;
                    progress.skip(1);
                }
                Compared::Racy => racy.push(e),
                c => {
                    let _ = todo.send((e, c == Compared::Changed));
                }
            }
        });
        w.seen += r.seen;
        w.skipped += r.skipped;
        w.failed.extend(r.errors);
        w.unreadable.extend(r.unreadable_dirs);
    }
    // Files touched too close to the last run to trust size+mtime: compare content hashes.
    if stop.load(Ordering::Relaxed) {
        return Ok(w);
    }
    let (changed, same) = ix.changed_racy(racy)?;
    w.unchanged += same;
    progress.skip(same as u64);
    for e in changed {
        let _ = todo.send((e, true));
    }
    Ok(w)
}

/// Zip archives in the archive (issue 7): the zip is one unit. Its members
/// are indexed as documents `<zip id>!/<member>` (see
/// [`extract::archive_zip`]), then the zip's own document (format `zip`,
/// title the file stem, body the member names) carrying the zip's
/// size/mtime/hash, which is what the next run compares. The zip document
/// comes last, so a run killed halfway leaves no zip document with the new
/// size/mtime and the next run redoes the whole zip.
#[derive(Default)]
struct ZipUnits {
    /// Zip ids whose old documents were deleted in this run.
    opened: HashSet<String>,
}

impl ZipUnits {
    /// Index one document of a zip (a member, or the zip's own, last):
    /// the first one of a zip deletes the zip's old documents first.
    /// Counts the zip once in `added`/`updated`; each member's failure or
    /// warning gets its own line under its path `批次.zip!/通知.txt`. A zip
    /// indexed before that now fails as a whole keeps its members and its
    /// own document's text, marked failed with the file's new size, mtime
    /// and hash (`keep_last_good`, over `last`, the last commit).
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        writer: &tantivy::IndexWriter<BudgetedDoc>,
        docs: &Arc<DocBudget>,
        f: &super::schema::Fields,
        summary: &mut Summary,
        progress: &dyn Progress,
        last: &tantivy::Searcher,
        p: &Prepared,
    ) -> tantivy::Result<()> {
        let container = walk::container_id(&p.entry.id);
        let zip_id = container.unwrap_or(&p.entry.id);
        let shown = display_path(&p.entry.path);
        if container.is_none() {
            progress.advance(&shown);
        }
        match &p.result {
            Ok((x, norm)) => {
                summary.text_bytes += norm.len() as u64;
                if container.is_none() {
                    if p.existed {
                        summary.updated += 1;
                    } else {
                        summary.added += 1;
                    }
                } else if let Some(reason) = extract::assess(p.entry.format, Ok(&x.quality)).reason
                {
                    summary.warnings.push((shown, reason));
                }
            }
            Err(err) => {
                if container.is_none() {
                    summary.failed_files += 1;
                } else {
                    summary.failed_members += 1;
                }
                summary.failed.push((shown, err.to_string()));
                if container.is_none() && p.existed && !self.opened.contains(zip_id) {
                    // The whole zip failed (no member was sent): keep the
                    // version already indexed, as for any file; one that
                    // never had text gets this failure instead, below.
                    match keep_last_good(last, f, p, err) {
                        Ok(Some(doc)) => {
                            delete_term(writer, Term::from_field_text(f.id, &p.entry.id));
                            writer.add_document(docs.wrap(doc))?;
                            summary.written += 1;
                            return Ok(());
                        }
                        Ok(None) => {}
                        Err(e) if super::index::is_damage(&e) => return Ok(()),
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        if self.opened.insert(zip_id.to_string()) {
            delete_zip(writer, f, zip_id)?;
        }
        let doc = match (&p.result, container) {
            (Ok((x, norm)), None) => build_zip_doc(f, p, x, norm),
            // A member broken in a zip that opens (a bad checksum): its last
            // good text stays searchable, marked failed, as for any file.
            (Err(err), Some(_)) => match keep_last_good(last, f, p, err) {
                Ok(Some(doc)) => doc,
                Ok(None) => build_doc(f, p),
                Err(e) if super::index::is_damage(&e) => build_doc(f, p),
                Err(e) => return Err(e),
            },
            _ => build_doc(f, p),
        };
        writer.add_document(docs.wrap(doc))?;
        summary.written += 1;
        Ok(())
    }
}

/// Delete the zip `zip_id`'s own document and all its members: one term
/// delete and one range delete over the ids `[<zip id>!/, <zip id>!0)`
/// (`0` follows `/` in ASCII, so the range is exactly the ids with the
/// prefix `<zip id>!/`, nested members included).
fn delete_zip<D: tantivy::schema::Document>(
    writer: &tantivy::IndexWriter<D>,
    f: &super::schema::Fields,
    zip_id: &str,
) -> tantivy::Result<()> {
    use std::ops::Bound;
    delete_term(writer, Term::from_field_text(f.id, zip_id));
    let lo = format!("{zip_id}{}", archive_zip::MEMBER_SEP);
    let hi = format!("{zip_id}!0");
    writer.delete_query(Box::new(tantivy::query::RangeQuery::new(
        Bound::Included(Term::from_field_text(f.id, &lo)),
        Bound::Excluded(Term::from_field_text(f.id, &hi)),
    )))?;
    Ok(())
}

/// Worker side of a zip: send each member as its own [`Prepared`] (id
/// `<zip id>!/<name>`, path `<zip path>!/<name>`, the zip's root and mtime,
/// the member's size and hash), one at a time through the bounded channel,
/// then the zip's own document (body: the member names). A zip that cannot
/// be opened is one failed document.
fn send_zip(
    e: &FileEntry,
    existed: bool,
    limits: &Limits,
    tx: &crossbeam_channel::Sender<Prepared>,
) {
    let sep = archive_zip::MEMBER_SEP;
    let hash = content_hash(&e.path);
    let shown = display_path(&e.path);
    let listing = archive_zip::for_each_member_in_file(&e.path, limits, &mut |m| {
        let entry = FileEntry {
            path: PathBuf::from(format!("{shown}{sep}{}", m.name)),
            id: format!("{}{sep}{}", e.id, m.name),
            root_id: e.root_id.clone(),
            size: m.size,
            mtime: e.mtime,
            format: m.format,
        };
        let result = m.result.map(|x| {
            let norm = normalize(&x.text);
            (x, norm)
        });
        let _ = tx.send(Prepared {
            entry,
            existed: false,
            result,
            hash: m.hash,
            doc: None,
        });
    });
    let result = listing.map(|l| {
        let x = Extracted {
            text: l.names.join("\n"),
            title: Some(file_stem(&e.path)),
            front_matter: None,
            format: Format::Zip,
            // A healthy zip has no note (its status is "ok"); entries over
            // the member cap make it a warning naming how many were left out.
            quality: Quality {
                note: (l.not_read > 0).then(|| {
                    format!(
                        "只索引了前 {} 个成员，{} 个未读取（max_zip_members）/ only the first {} entries were indexed, {} not read (max_zip_members)",
                        l.members + l.skipped,
                        l.not_read,
                        l.members + l.skipped,
                        l.not_read
                    )
                }),
                ..Quality::default()
            },
        };
        let norm = normalize(&x.text);
        (x, norm)
    });
    let _ = tx.send(Prepared {
        entry: e.clone(),
        existed,
        result,
        hash,
        doc: None,
    });
}

/// The zip's own document: title the file stem (member names are not
/// 公文 titles, so no metadata is guessed from them), body and text the
/// member names.
fn build_zip_doc(
    f: &super::schema::Fields,
    p: &Prepared,
    x: &Extracted,
    norm: &str,
) -> TantivyDocument {
    let e = &p.entry;
    let stem = file_stem(&e.path);
    let mut doc = file_fields(f, p);
    doc.add_text(f.title, normalize(&stem));
    doc.add_text(f.title_text, &stem);
    doc.add_text(f.body, norm);
    doc.add_text(f.text, &x.text);
    doc.add_text(
        f.quality,
        quality_json(e.format, Ok(&x.quality)).to_string(),
    );
    doc
}

fn num_cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

fn file_stem(path: &Path) -> String {
    let name = display_path(path);
    let name = name.rsplit(['/', '\\']).next().unwrap_or(&name).to_string();
    match name.rfind('.') {
        Some(i) if i > 0 => name[..i].to_string(),
        _ => name,
    }
}

/// A document holding the per-file fields every indexed document has: id,
/// path, root, format, size, mtime, hash.
fn file_fields(f: &super::schema::Fields, p: &Prepared) -> TantivyDocument {
    let e = &p.entry;
    // The document holds every value in one byte buffer: sized up front for
    // the text twice (indexed match form and stored extracted text) and the
    // rest, it is written once instead of copied through ever larger
    // buffers, which for large files were fresh pages each time (laws
    // build: 12 % of the page faults).
    let text = p
        .result
        .as_ref()
        .map_or(0, |(x, norm)| x.text.len() + norm.len());
    let mut doc = TantivyDocument::with_capacity(text + 1024);
    doc.add_text(f.id, &e.id);
    doc.add_text(f.path, display_path(&e.path));
    doc.add_text(f.root, &e.root_id);
    doc.add_text(f.format, e.format.name());
    doc.add_u64(f.size, e.size);
    doc.add_i64(f.mtime, e.mtime);
    doc.add_text(f.hash, &p.hash);
    doc
}

/// The indexed document of a file that existed and now fails to extract,
/// rebuilt from its stored fields (nothing archived is lost: its text
/// stays searchable), with the size, mtime and hash of the file on disk
/// (so `status` and the next run see it as current until it changes again)
/// and the quality of the failure (status `failed`, the reason, and a note
/// that the last good text is kept), so `search`, `show` and
/// `status --quality` tell the truth about the file. `Ok(None)` when the
/// id is not in the last commit, or its document holds no text (the file
/// never extracted: the new failure simply replaces the old).
fn keep_last_good(
    searcher: &tantivy::Searcher,
    f: &super::schema::Fields,
    p: &Prepared,
    err: &ExtractError,
) -> tantivy::Result<Option<TantivyDocument>> {
    use tantivy::schema::Value;
    let Some(old) = super::index::stored_doc_by_id(searcher, f, &p.entry.id)? else {
        return Ok(None);
    };
    // A file that never had text (it failed each time) has nothing to keep.
    if old
        .get_first(f.text)
        .and_then(|v| v.as_str())
        .is_none_or(|t| t.trim().is_empty())
    {
        return Ok(None);
    }
    let mut doc = file_fields(f, p);
    let replaced = [
        f.id, f.path, f.root, f.format, f.size, f.mtime, f.hash, f.quality,
    ];
    for (field, value) in old.field_values() {
        if !replaced.contains(&field) {
            doc.add_field_value(field, value);
        }
    }
    // Indexed-only fields, from their stored forms (as `build_doc` made them).
    if let Some(t) = old.get_first(f.title_text).and_then(|v| v.as_str()) {
        doc.add_text(f.title, normalize(t));
    }
    if let Some(t) = old.get_first(f.text).and_then(|v| v.as_str()) {
        doc.add_text(f.body, normalize(t));
    }
    let mut q = quality_json(p.entry.format, Err(err));
    q["reason"] = json!(format!(
        "{}；仍可检索上次成功索引的文本 / the text of the last good version is still searchable",
        q["reason"].as_str().unwrap_or_default()
    ));
    doc.add_text(f.quality, q.to_string());
    Ok(Some(doc))
}

fn build_doc(f: &super::schema::Fields, p: &Prepared) -> TantivyDocument {
    let e = &p.entry;
    let mut doc = file_fields(f, p);
    match &p.result {
        Ok((x, norm)) => {
            // The document's own title: front matter, else GB/T 9704 layout
            // (skipping a 发文机关标志 line), else the extractor's; the file
            // name only when there is nothing else.
            // Markdown's front matter block is appended to its text (so
            // search finds what grep finds); the layout heuristics look at
            // the body alone, or a block of unknown keys became the title.
            let body = x
                .front_matter
                .as_deref()
                .and_then(|fm| x.text.trim_end().strip_suffix(fm.trim_end()))
                .unwrap_or(&x.text);
            let meta = DocMeta::extract(
                &meta_view(body),
                x.title.as_deref(),
                x.front_matter.as_deref(),
            );
            let title = meta
                .title
                .clone()
                .or_else(|| x.title.clone())
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| file_stem(&e.path));
            doc.add_text(f.title, normalize(&title));
            doc.add_text(f.title_text, &title);
            doc.add_text(f.body, norm);
            // Stored as extracted, for `show` and snippets (see
            // `normalize::match_view`); `body` indexes the normalized form.
            doc.add_text(f.text, &x.text);
            if let Some(n) = &meta.doc_number {
                doc.add_text(f.doc_number, n.to_string());
            }
            if let Some(i) = &meta.issuer {
                doc.add_text(f.issuer, normalize(i));
            }
            if let Some(d) = &meta.date
                && let Some(dt) = date_time(d.year, d.month, d.day)
            {
                doc.add_date(f.date, dt);
            }
            if let Some(t) = &meta.doc_type {
                doc.add_text(f.doc_type, t.name());
            }
            if let Some(c) = &meta.classification {
                doc.add_text(f.classification, c);
            }
            doc.add_text(
                f.quality,
                quality_json(e.format, Ok(&x.quality)).to_string(),
            );
        }
        Err(err) => {
            doc.add_text(f.title, normalize(&file_stem(&e.path)));
            doc.add_text(f.title_text, file_stem(&e.path));
            doc.add_text(f.quality, quality_json(e.format, Err(err)).to_string());
        }
    }
    doc
}

/// The JSON object stored in a document's `quality` field (and shown by
/// `search --json`, `show`, `catalog`, `status --quality`).
///
/// Keys: `status` ([`extract::Status::name`], decided by [`extract::assess`]),
/// `reason` (one line, Chinese / English; the error message when extraction
/// failed; `null` when ok), `action` (what to do, or `null`), and when text
/// was extracted: `encoding`, `encoding_confidence` (`certain`/`high`/`low`,
/// [`extract::Confidence`]), `pages`, `chars` (non-whitespace characters),
/// `chars_per_page`, `truncated`, `replacement_chars` (U+FFFD),
/// `cid_markers`, `private_use_chars`, `noise_percent`, `note`. A failed
/// PDF without text layer carries `pages` and `chars` too.
pub fn quality_json(format: Format, outcome: Result<&Quality, &ExtractError>) -> serde_json::Value {
    let a = extract::assess(format, outcome);
    match outcome {
        Ok(q) => json!({
            "status": a.status.name(),
            "reason": a.reason,
            "action": a.action,
            "encoding": q.encoding,
            "encoding_confidence": q.encoding_confidence.map(|c| c.name()),
            "pages": q.pages,
            "chars": q.chars,
            "chars_per_page": q.chars_per_page(),
            "truncated": q.truncated,
            "replacement_chars": q.replacement_chars,
            "cid_markers": q.cid_markers,
            "private_use_chars": q.private_use_chars,
            "noise_percent": q.noise_percent(),
            "note": q.note,
        }),
        Err(ExtractError::NoTextLayer { pages, chars }) => json!({
            "status": a.status.name(),
            "reason": a.reason,
            "action": a.action,
            "pages": pages,
            "chars": chars,
            "chars_per_page": (*pages > 0).then(|| chars / *pages as usize),
        }),
        Err(_) => json!({
            "status": a.status.name(),
            "reason": a.reason,
            "action": a.action,
        }),
    }
}

/// The part of a long text that metadata extraction looks at: the 版头 and
/// title sit in the first lines, the 署名, 成文日期 and 版记 in the last ones
/// (GB/T 9704-2012 §7), so a long law or report is cut to its first 12 KB
/// and last 16 KB (at line breaks). Keeps metadata cost independent of
/// document length.
pub fn meta_view(text: &str) -> std::borrow::Cow<'_, str> {
    const HEAD: usize = 12 * 1024;
    const TAIL: usize = 16 * 1024;
    if text.len() <= HEAD + TAIL {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut h = HEAD;
    while !text.is_char_boundary(h) {
        h -= 1;
    }
    let h = text[..h].rfind('\n').unwrap_or(h);
    let mut t = text.len() - TAIL;
    while !text.is_char_boundary(t) {
        t += 1;
    }
    let t = text[t..].find('\n').map(|i| t + i + 1).unwrap_or(t);
    std::borrow::Cow::Owned(format!("{}\n{}", &text[..h], &text[t..]))
}

/// Midnight UTC of a calendar date as a tantivy date.
pub fn date_time(year: i32, month: u32, day: u32) -> Option<DateTime> {
    // Days since 1970-01-01 (civil from days, H. Hinnant's algorithm).
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    Some(DateTime::from_timestamp_secs(days * 86_400))
}
