//! The archive catalogue (档案目录) and single-document view: list every
//! indexed document — or those matching a query and metadata filters — with
//! its metadata, and show one document's metadata and extracted text.
//!
//! Sits on top of [`super::search`]: documents are selected with
//! [`ArchiveSearcher::matching_addresses`] and read from the stored fields
//! (see the table in [`super::schema`]). Output formats for the catalogue
//! (CSV for Excel/WPS, JSON lines) are written here so that the CLI only
//! picks one.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::index::{ArchiveIndex, ids_in_order, stored_doc_by_id};
use super::normalize::display_text;
use super::search::{ArchiveSearcher, Filters, SearchError, iso_date};
use super::walk::{display_path, path_id};

/// Errors of listing or showing documents. Messages are one line, Chinese
/// then English.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The path is not in the index (never indexed, or removed since): the
    /// path as shown, and a hint (a folder; a file on disk not indexed; no
    /// such file), starting with ` — `.
    #[error("未收录 / not in the index: {0}{1}")]
    NotIndexed(String, &'static str),
    /// Query, filter or index error.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// tantivy failed reading stored documents.
    #[error("{}", super::index::read_failure("读取索引失败 / reading the index failed", .0))]
    Tantivy(tantivy::TantivyError),
    /// Writing the output failed.
    #[error("写出失败 / writing the catalogue failed: {0}")]
    Io(#[from] std::io::Error),
}

/// One line of the catalogue: a document's metadata as stored in the index.
/// Missing metadata is `None` (empty cell in CSV, `null` in JSON).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CatalogRow {
    /// Readable path (GB18030-decoded when the file name is not UTF-8).
    pub path: String,
    /// Title (标题): the document's own, else the file name.
    pub title: String,
    /// 发文字号, canonical `国办发〔2023〕5号` (GB/T 9704-2012 §7.2.4).
    pub doc_number: Option<String>,
    /// 发文机关.
    pub issuer: Option<String>,
    /// 成文日期, ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    /// 文种 (`通知`, `函` …).
    pub doc_type: Option<String>,
    /// 密级 (GB/T 9704-2012 §7.2.2).
    pub classification: Option<String>,
    /// Format (`md`, `docx`, `pdf` …).
    pub format: String,
    /// File size in bytes.
    pub size: u64,
    /// BLAKE3 of the file, first 32 hex digits.
    pub hash: String,
    /// Extraction status, [`super::extract::Status::name`]: `ok`, `warning`,
    /// `truncated`, `garbled`, `no_text_layer` or `failed`.
    pub status: String,
}

/// One document as `gongwen show` prints it: its catalogue row plus the
/// lossless key, modification time, quality notes and extracted text.
#[derive(Clone, Debug, Serialize)]
pub struct ShownDoc {
    /// Lossless key ([`super::walk::path_id`]).
    pub id: String,
    /// Catalogue metadata.
    #[serde(flatten)]
    pub row: CatalogRow,
    /// Modification time when indexed, seconds since the Unix epoch.
    pub mtime: i64,
    /// Extraction quality (JSON object: `status`, `encoding`, `pages`,
    /// `truncated`, `replacement_chars`, `note`, or `reason` on failure).
    pub quality: serde_json::Value,
    /// The extracted text as the file has it, through
    /// [`display_text`] (empty when extraction failed).
    pub text: String,
    /// Whether the file is still at its path ([`super::walk::on_disk`]).
    pub on_disk: bool,
}

/// A text cell of the CSV catalogue: a value that Excel or WPS would take
/// for a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return — a title or file name such as `=cmd|…`) gets a leading `'`, as
/// OWASP's advice on CSV injection has it; the JSON catalogue is not changed.
pub fn text_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Column headers of the CSV catalogue, Chinese and English, in the order of
/// the fields of [`CatalogRow`].
pub const CSV_HEADER: [&str; 11] = [
    "路径 path",
    "标题 title",
    "发文字号 doc_number",
    "发文机关 issuer",
    "成文日期 date",
    "文种 doc_type",
    "密级 classification",
    "格式 format",
    "大小 size",
    "哈希 hash",
    "状态 status",
];

fn stored_str(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|s| !s.is_empty())
}

fn quality_of(ix: &ArchiveIndex, doc: &TantivyDocument) -> serde_json::Value {
    stored_str(doc, ix.fields.quality)
        .and_then(|q| serde_json::from_str(&q).ok())
        .unwrap_or(serde_json::Value::Null)
}

/// The catalogue row of a stored document and its quality (JSON object) as
/// they stand now: a member of a zip broken since says so, as in `search`
/// ([`super::index::CurrentQuality`]).
fn row_of(
    ix: &ArchiveIndex,
    doc: &TantivyDocument,
    now: &mut super::index::CurrentQuality,
) -> (CatalogRow, serde_json::Value) {
    let f = &ix.fields;
    let id = stored_str(doc, f.id).unwrap_or_default();
    let quality = now.of(&id, quality_of(ix, doc));
    let row = CatalogRow {
        path: stored_str(doc, f.path).unwrap_or_default(),
        title: stored_str(doc, f.title_text).unwrap_or_default(),
        doc_number: stored_str(doc, f.doc_number),
        issuer: stored_str(doc, f.issuer),
        date: doc
            .get_first(f.date)
            .and_then(|v| v.as_datetime())
            .map(|d| iso_date(d.into_timestamp_secs())),
        doc_type: stored_str(doc, f.doc_type),
        classification: stored_str(doc, f.classification),
        format: stored_str(doc, f.format).unwrap_or_default(),
        size: doc.get_first(f.size).and_then(|v| v.as_u64()).unwrap_or(0),
        hash: stored_str(doc, f.hash).unwrap_or_default(),
        status: quality
            .get("status")
            .and_then(|s| s.as_str())
            .unwrap_or("unknown")
            .to_string(),
    };
    (row, quality)
}

/// The order of the catalogue, read from fast fields (no stored document):
/// `(undated, 成文日期 in Unix seconds, key, address)` per address, sorted —
/// oldest first, undated last, then by key ([`super::walk::path_id`]: the
/// path itself for UTF-8 names). Memory: one key per listed document.
fn sorted_keys(
    searcher: &Searcher,
    addrs: Vec<DocAddress>,
) -> Result<Vec<(bool, i64, String, DocAddress)>, CatalogError> {
    let mut by_segment: Vec<Vec<DocAddress>> = vec![Vec::new(); searcher.segment_readers().len()];
    for a in addrs {
        by_segment[a.segment_ord as usize].push(a);
    }
    let mut keys = Vec::new();
    for (seg, addrs) in searcher.segment_readers().iter().zip(by_segment) {
        let Some(first) = addrs.first() else { continue };
        let ord = first.segment_ord;
        let ff = seg.fast_fields();
        let dates = ff.date("date")?;
        let mut key = |doc, id: Option<&[u8]>| {
            let date = dates.first(doc).map(|d| d.into_timestamp_secs());
            let id = id.map(|b| String::from_utf8_lossy(b).into_owned());
            keys.push((
                date.is_none(),
                date.unwrap_or(0),
                id.unwrap_or_default(),
                DocAddress::new(ord, doc),
            ));
        };
        match ff.str("id")? {
            Some(ids) => ids_in_order(&ids, addrs.iter().map(|a| a.doc_id), key)
                .map_err(|e| CatalogError::Tantivy(e.into()))?,
            None => addrs.iter().for_each(|a| key(a.doc_id, None)),
        }
    }
    keys.sort_unstable();
    Ok(keys)
}

/// The catalogue: every live document of the last commit, or those matching
/// `query` (the `gongwen search` syntax) and `filters`, sorted by 成文日期
/// (oldest first, undated documents last) and then by path, handed to
/// `each` one row at a time as it is read — memory does not grow with the
/// archive beyond one sort key per document. Returns the number of rows.
///
/// Errors: [`CatalogError::Search`] for a bad query or filter; tantivy errors
/// reading stored documents; whatever `each` returns (writing stops there).
pub fn catalog(
    ix: &ArchiveIndex,
    query: Option<&str>,
    filters: &Filters,
    mut each: impl FnMut(&CatalogRow) -> Result<(), CatalogError>,
) -> Result<usize, CatalogError> {
    let s = ArchiveSearcher::new(ix)?;
    let keys = sorted_keys(s.searcher(), s.matching_addresses(query, filters)?)?;
    let mut now = super::index::CurrentQuality::new(s.searcher(), &ix.fields);
    for (_, _, _, addr) in &keys {
        each(&row_of(ix, &s.searcher().doc(*addr)?, &mut now).0)?;
    }
    Ok(keys.len())
}

// By hand, not `#[from]`: the message already holds tantivy's text (see
// `SearchError`'s).
impl From<tantivy::TantivyError> for CatalogError {
    fn from(e: tantivy::TantivyError) -> Self {
        CatalogError::Tantivy(e)
    }
}

/// `path` made absolute against the current directory, as written.
fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// `path` made absolute against the current directory, with `.` and `..`
/// removed lexically (for paths that no longer exist on disk).
fn absolute_lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in absolute(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The keys `path` may be indexed under, most likely first: those of the
/// file ([`path_keys`]), then — for a zip member, found with
/// [`super::walk::container_id`] — the zip's keys followed by the member
/// name exactly as printed (`批次.zip!/../x.txt` keeps its `..`).
fn candidate_ids(path: &Path) -> Vec<String> {
    let mut ids = path_keys(path);
    // A zip member: the zip's keys, then the member name verbatim.
    let abs = absolute(path);
    if let Some(s) = abs.to_str()
        && let Some(zip) = super::walk::container_id(s)
    {
        let rest = &s[zip.len()..];
        for z in path_keys(Path::new(zip)) {
            let id = format!("{z}{rest}");
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

/// The keys a file or folder `path` (relative to the current directory or
/// absolute; it need not exist any more) may be indexed under: canonical,
/// lexically absolute, and the GBK spellings of the latter
/// ([`super::walk::gbk_spelling_ids`]). For [`super::search::Filters::under`].
pub fn path_keys(path: &Path) -> Vec<String> {
    let mut ids = Vec::new();
    let lex = absolute_lexical(path);
    let candidates = std::fs::canonicalize(path)
        .ok()
        .map(|c| path_id(&c))
        .into_iter()
        .chain([path_id(&lex)])
        .chain(super::walk::gbk_spelling_ids(&lex));
    for id in candidates {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// One document by its path as the user typed it (relative to the current
/// directory or absolute; non-UTF-8 names work through
/// [`super::walk::path_id`]).
///
/// Errors: [`CatalogError::NotIndexed`] naming the path when no document has
/// that key; index and tantivy errors.
pub fn show(ix: &ArchiveIndex, path: &Path) -> Result<ShownDoc, CatalogError> {
    let s = ArchiveSearcher::new(ix)?;
    let searcher = s.searcher();
    for id in candidate_ids(path) {
        let Some(doc) = stored_doc_by_id(searcher, &ix.fields, &id)? else {
            continue;
        };
        let (row, quality) = row_of(
            ix,
            &doc,
            &mut super::index::CurrentQuality::new(searcher, &ix.fields),
        );
        return Ok(ShownDoc {
            on_disk: super::walk::on_disk(&id),
            id,
            row,
            mtime: doc
                .get_first(ix.fields.mtime)
                .and_then(|v| v.as_i64())
                .unwrap_or(0),
            quality,
            text: display_text(
                doc.get_first(ix.fields.text)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default(),
            ),
        });
    }
    let hint = if path.is_dir() {
        " — show 查看的是一个文件，不是文件夹 / show takes a file, not a folder"
    } else if path.is_file() {
        " — 文件在磁盘上，但还没有索引：用 gongwen index 索引它所在的文件夹 / the file is on disk but not indexed: index its folder with `gongwen index FOLDER`"
    } else if path.exists() {
        " — 不是普通文件（管道、设备或套接字），gongwen 只索引普通文件 / not a regular file (a pipe, device or socket): gongwen indexes regular files only"
    } else {
        " — 磁盘上也没有这个文件（路径相对于当前目录）/ no such file on disk either (paths are relative to the current folder)"
    };
    Err(CatalogError::NotIndexed(display_path(path), hint))
}

/// Writes catalogue rows as they come: CSV for Excel and WPS — UTF-8 with a
/// byte-order mark (so that they do not read it as GBK), the bilingual
/// [`CSV_HEADER`], RFC 4180 quoting of cells holding commas, quotes or line
/// breaks (the `csv` crate) — or JSON lines, one object per document with
/// the fields of [`CatalogRow`] (missing metadata is `null`).
pub enum RowWriter<W: Write> {
    /// CSV, and whether the BOM and header have gone out.
    Csv(Box<csv::Writer<W>>, bool),
    /// JSON lines.
    Json(W),
}

fn csv_err(e: csv::Error) -> CatalogError {
    CatalogError::Io(std::io::Error::other(e))
}

impl<W: Write> RowWriter<W> {
    /// A CSV writer. The byte-order mark and the header go out with the
    /// first row or at [`RowWriter::finish`] (so an error before any row,
    /// such as a bad query, prints no header).
    pub fn csv(out: W) -> Self {
        RowWriter::Csv(Box::new(csv::Writer::from_writer(out)), false)
    }

    /// A JSON-lines writer.
    pub fn json(out: W) -> Self {
        RowWriter::Json(out)
    }

    fn header(&mut self) -> Result<(), CatalogError> {
        if let RowWriter::Csv(w, started) = self
            && !*started
        {
            // The BOM opens the first cell (it needs no quoting), so it is
            // the first thing out, with the header.
            let bom_first = CSV_HEADER.iter().enumerate().map(|(i, h)| {
                if i == 0 {
                    format!("\u{feff}{h}")
                } else {
                    h.to_string()
                }
            });
            w.write_record(bom_first).map_err(csv_err)?;
            *started = true;
        }
        Ok(())
    }

    /// Write one row.
    pub fn write(&mut self, r: &CatalogRow) -> Result<(), CatalogError> {
        self.header()?;
        match self {
            RowWriter::Csv(w, _) => {
                let opt = |o: &Option<String>| text_cell(o.as_deref().unwrap_or_default());
                w.write_record([
                    text_cell(&r.path),
                    text_cell(&r.title),
                    opt(&r.doc_number),
                    opt(&r.issuer),
                    opt(&r.date),
                    opt(&r.doc_type),
                    opt(&r.classification),
                    r.format.clone(),
                    r.size.to_string(),
                    r.hash.clone(),
                    r.status.clone(),
                ])
                .map_err(csv_err)
            }
            RowWriter::Json(out) => {
                serde_json::to_writer(&mut *out, r).map_err(std::io::Error::other)?;
                out.write_all(b"\n")?;
                Ok(())
            }
        }
    }

    /// Flush what is buffered.
    pub fn finish(mut self) -> Result<(), CatalogError> {
        self.header()?;
        match self {
            RowWriter::Csv(mut w, _) => w.flush()?,
            RowWriter::Json(mut out) => out.flush()?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_cells_are_quoted_for_spreadsheets() {
        let mut w = RowWriter::csv(Vec::new());
        w.write(&row("/档案/=1+1.txt", None, "=cmd|' /C calc'!A0"))
            .unwrap();
        w.write(&row("/档案/通知.txt", None, "关于放假的通知"))
            .unwrap();
        let RowWriter::Csv(w, _) = w else {
            unreachable!()
        };
        let out = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert!(out.contains(",'=cmd|"), "{out}");
        assert!(out.contains(",关于放假的通知,"), "{out}");
        assert_eq!(text_cell("-2-溴"), "'-2-溴");
        assert_eq!(text_cell("@SUM(1)"), "'@SUM(1)");
        assert_eq!(text_cell("国办发〔2023〕5号"), "国办发〔2023〕5号");
    }

    fn row(path: &str, date: Option<&str>, title: &str) -> CatalogRow {
        CatalogRow {
            path: path.into(),
            title: title.into(),
            doc_number: Some("青政办发〔2026〕12号".into()),
            issuer: None,
            date: date.map(str::to_string),
            doc_type: Some("通知".into()),
            classification: None,
            format: "md".into(),
            size: 42,
            hash: "ab".into(),
            status: "ok".into(),
        }
    }

    #[test]
    fn csv_has_bom_header_and_quotes() {
        let mut buf = Vec::new();
        let mut w = RowWriter::csv(&mut buf);
        w.write(&row("/a/通知,\"一\".md", Some("2026-03-05"), "关于\n做好"))
            .unwrap();
        w.finish().unwrap();
        assert!(buf.starts_with(&[0xEF, 0xBB, 0xBF]));
        let text = String::from_utf8(buf[3..].to_vec()).unwrap();
        assert!(text.starts_with("路径 path,标题 title,"), "{text}");
        assert!(
            text.contains("\"/a/通知,\"\"一\"\".md\",\"关于\n做好\","),
            "{text}"
        );
        let mut r = csv::Reader::from_reader(&buf[3..]);
        let recs: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(recs.len(), 1);
        assert_eq!(&recs[0][0], "/a/通知,\"一\".md");
        assert_eq!(&recs[0][3], "");
        assert_eq!(&recs[0][8], "42");
    }

    #[test]
    fn json_lines_use_null_for_missing() {
        let mut buf = Vec::new();
        let mut w = RowWriter::json(&mut buf);
        w.write(&row("/a.md", None, "t")).unwrap();
        w.write(&row("/b.md", None, "u")).unwrap();
        w.finish().unwrap();
        let text = String::from_utf8(buf).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(v["issuer"], serde_json::Value::Null);
        assert_eq!(v["doc_number"], "青政办发〔2026〕12号");
        assert_eq!(v["size"], 42);
    }

    #[test]
    fn lexical_absolute_drops_dots() {
        let p = absolute_lexical(Path::new("/x/./y/../z.md"));
        assert_eq!(p, PathBuf::from("/x/z.md"));
    }
}
