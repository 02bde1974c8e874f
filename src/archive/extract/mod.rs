//! Text extraction from archived files: the first stage after the walk in
//! `walk → extract → normalize → tokenize → index → search`.
//!
//! One file per format (`text`, `markdown`, `html`, `docx`, `pdf`); this
//! module holds the shared types and the two entry points the indexer calls
//! from its rayon workers, [`extract_file`] and [`extract_bytes`].
//!
//! Every call is guarded: panics of third-party code are caught per file
//! (and kept off stderr), the risky formats (HTML, .docx, PDF) run on a helper
//! thread that is abandoned after [`Limits::timeout`], and reads are capped by
//! [`Limits`] so that hostile input (zip bombs, huge text files) keeps memory
//! bounded. The text returned is raw: the caller normalizes it (NFKC,
//! whitespace) later.
//!
//! Tests: `tests/it/extract.rs` (module `extract`) and the unit tests below.

pub mod archive_zip;
mod docx;
mod html;
mod markdown;
mod ofd;
mod ooxml;
mod pdf;
mod pptx;
mod text;
mod xlsx;

use std::cell::Cell;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;
use std::time::Duration;

/// File formats the archive understands, decided by extension
/// (case-insensitive).
///
/// ```
/// use std::path::Path;
/// use gongwen::archive::extract::Format;
/// assert_eq!(Format::from_path(Path::new("报告.DOCX")), Some(Format::Docx));
/// assert_eq!(Format::from_path(Path::new("a.markdown")).unwrap().name(), "md");
/// assert_eq!(Format::from_path(Path::new("a.exe")), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text, `.txt`: any encoding (BOM, UTF-8, GBK/GB18030, UTF-16, …).
    Text,
    /// Markdown, `.md` / `.markdown`, optionally with YAML front matter.
    Markdown,
    /// HTML, `.html` / `.htm`.
    Html,
    /// Office Open XML word processing document, `.docx` (ECMA-376).
    Docx,
    /// PDF with a text layer, `.pdf`.
    Pdf,
    /// OFD fixed-layout document, `.ofd` (GB/T 33190-2016).
    Ofd,
    /// Office Open XML workbook, `.xlsx` (ECMA-376).
    Xlsx,
    /// Office Open XML presentation, `.pptx` (ECMA-376).
    Pptx,
    /// WPS Office file, `.wps` / `.et` / `.dps`: read as .docx/.xlsx/.pptx
    /// when it is OOXML, the legacy binary format is refused.
    Wps,
    /// Zip archive, `.zip` (APPNOTE.TXT): its members are indexed one by one
    /// ([`archive_zip`]); extracted alone it yields the member names.
    Zip,
}

impl Format {
    /// Every format, in a stable order (for listings and help texts).
    pub const ALL: [Format; 10] = [
        Format::Text,
        Format::Markdown,
        Format::Html,
        Format::Docx,
        Format::Pdf,
        Format::Ofd,
        Format::Xlsx,
        Format::Pptx,
        Format::Wps,
        Format::Zip,
    ];

    /// The format of `path` by its extension (case-insensitive): `.txt`,
    /// `.md`, `.markdown`, `.html`, `.htm`, `.docx`, `.pdf`, `.ofd`, `.xlsx`,
    /// `.pptx`, `.wps`/`.et`/`.dps`, `.zip`. `None` for
    /// anything else, including no extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" => Format::Html,
            "docx" => Format::Docx,
            "pdf" => Format::Pdf,
            "ofd" => Format::Ofd,
            "xlsx" => Format::Xlsx,
            "pptx" => Format::Pptx,
            "wps" | "et" | "dps" => Format::Wps,
            "zip" => Format::Zip,
            _ => return None,
        })
    }

    /// Short lower-case name: `"txt"`, `"md"`, `"html"`, `"docx"`, `"pdf"`,
    /// `"ofd"`, `"xlsx"`, `"pptx"`, `"wps"`, `"zip"`.
    pub fn name(&self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Ofd => "ofd",
            Format::Xlsx => "xlsx",
            Format::Pptx => "pptx",
            Format::Wps => "wps",
            Format::Zip => "zip",
        }
    }

    /// Whether extraction runs on a helper thread under [`Limits::timeout`]
    /// (formats parsed by third-party code that may hang or recurse deeply).
    fn threaded(&self) -> bool {
        !matches!(self, Format::Text | Format::Markdown)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Caps that keep memory and time bounded on hostile input.
///
/// ```
/// use gongwen::archive::extract::Limits;
/// let l = Limits::default();
/// assert_eq!(l.max_file_bytes, 64 << 20);
/// assert_eq!(l.timeout.as_secs(), 30);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Text-like files (.txt, .md, .html): read at most this many bytes and
    /// set [`Quality::truncated`] when the file is longer. Default 64 MiB.
    pub max_file_bytes: u64,
    /// Container documents (.docx, .pdf), read whole: larger files fail with
    /// [`ExtractError::TooLarge`]. Default 512 MiB.
    pub max_document_bytes: u64,
    /// Uncompressed bytes read from any one zip member; more fails with
    /// [`ExtractError::TooLarge`] (zip bombs). Default 256 MiB.
    pub max_zip_member_bytes: u64,
    /// Entries of a zip container that are read. A .docx/.xlsx/.pptx/.ofd
    /// with more is refused ([`ExtractError::TooLarge`]); of a `.zip` in
    /// the archive the first ones are indexed and the rest counted and
    /// reported ([`archive_zip::ZipListing::not_read`]). Default 50 000.
    pub max_zip_members: usize,
    /// Uncompressed bytes read from all members of one `.zip` in the
    /// archive, nested zips included; members after that are refused.
    /// Default 1 GiB. See [`archive_zip`].
    pub max_zip_total_bytes: u64,
    /// A `.zip` member bigger than [`Limits::zip_ratio_min_bytes`] whose
    /// uncompressed/compressed ratio exceeds this is refused as a zip bomb
    /// (deflate tops out near 1032:1; documents compress 2:1 to 20:1, but
    /// repetitive tables and logs reach several hundred). Default 500. The
    /// byte caps bound memory whatever the ratio; this refuses bombs early.
    pub max_zip_ratio: u64,
    /// Uncompressed size in bytes above which [`Limits::max_zip_ratio`]
    /// applies. Default 16 MiB.
    pub zip_ratio_min_bytes: u64,
    /// Zip archives opened inside each other, the outermost counting as 1:
    /// `a.zip!/b.zip!/c.zip!/d.txt` is depth 3; a zip member at the last
    /// level is refused. Default 3.
    pub max_zip_depth: usize,
    /// Wall-clock time allowed per file for the threaded formats (HTML,
    /// .docx, PDF); after it the helper thread is abandoned and the call
    /// returns [`ExtractError::Timeout`]. Default 30 s.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 << 20,
            max_document_bytes: 512 << 20,
            max_zip_member_bytes: 256 << 20,
            max_zip_members: 50_000,
            max_zip_total_bytes: 1 << 30,
            max_zip_ratio: 500,
            zip_ratio_min_bytes: 16 << 20,
            max_zip_depth: 3,
            timeout: Duration::from_secs(30),
        }
    }
}

/// What one file yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// Raw extracted text, lines separated by `\n`; the caller normalizes it
    /// (NFKC, whitespace). Never contains NUL.
    pub text: String,
    /// The document's own title, trimmed, one line: front matter
    /// `标题`/`title`, HTML `<title>`, .docx `dc:title`, else the first
    /// heading or first non-empty line (if at most [`MAX_TITLE_CHARS`]
    /// characters). `None` when there is none; the caller then falls back to
    /// the file name.
    pub title: Option<String>,
    /// Raw YAML between the leading `---` lines of a Markdown file, if any.
    pub front_matter: Option<String>,
    /// The format the text was extracted as.
    pub format: Format,
    /// How trustworthy the text is.
    pub quality: Quality,
}

/// How the text was obtained and how trustworthy it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Quality {
    /// Character encoding the bytes were decoded from: `"UTF-8"`, `"GBK"`,
    /// `"GB18030"`, `"UTF-16LE"`, `"UTF-16BE"`, or another WHATWG encoding
    /// name (`"Big5"`, `"windows-1252"`, …). `None` for .docx/PDF, whose
    /// encoding is fixed by the format.
    pub encoding: Option<String>,
    /// Page count, where the format has pages and it is cheap (PDF).
    pub pages: Option<u32>,
    /// The file was longer than [`Limits::max_file_bytes`] and only its head
    /// was read.
    pub truncated: bool,
    /// U+FFFD replacement characters: invalid bytes in the source, or
    /// unmapped glyphs in a PDF. Counts those left in [`Extracted::text`]
    /// plus those the extractor removed (PDF drops them from the text).
    pub replacement_chars: usize,
    /// Anything else worth telling the user, one line (e.g. "3 NUL bytes
    /// dropped").
    pub note: Option<String>,
    /// How sure the decoder is of [`Quality::encoding`]; `None` when the
    /// format fixes the encoding (.docx, PDF, OFD, …). See [`Confidence`].
    pub encoding_confidence: Option<Confidence>,
    /// `(cid:NNN)` markers (glyphs of fonts without a Unicode mapping, as
    /// pdf-extract writes them), each counted once; like
    /// [`Quality::replacement_chars`], removed ones included.
    pub cid_markers: usize,
    /// Private-use characters in the text (U+E000–U+F8FF and planes 15–16,
    /// Unicode §23.5): glyphs mapped to no standard character.
    pub private_use_chars: usize,
    /// Non-whitespace characters extracted, noise removed by the extractor
    /// included (each `(cid:NNN)` counts as one). The denominator of
    /// [`Quality::noise_percent`].
    pub chars: usize,
}

/// How sure the text decoder is of the encoding it chose
/// ([`Quality::encoding`]). Three honest levels, not a probability: the
/// detector (chardetng) gives a guess without a score.
///
/// ```
/// use gongwen::archive::extract::{extract_bytes, Confidence, Format, Limits};
/// let utf8 = extract_bytes("公文".as_bytes(), Format::Text, &Limits::default())?;
/// assert_eq!(utf8.quality.encoding_confidence, Some(Confidence::Certain));
/// // Two GBK characters: too few to be sure.
/// let gbk = extract_bytes(b"\xb9\xab\xce\xc4", Format::Text, &Limits::default())?;
/// assert_eq!(gbk.quality.encoding_confidence, Some(Confidence::Low));
/// # Ok::<(), gongwen::archive::extract::ExtractError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// A guess that could not be checked: chardetng's guess of a single-byte
    /// encoding (every byte sequence decodes, so decoding proves nothing), of
    /// a multi-byte one with fewer than [`MIN_CHECKED_NON_ASCII`] non-ASCII
    /// characters or with invalid sequences, or an encoding declared in the
    /// document that does not decode cleanly.
    Low,
    /// Checked but not proven: UTF-8 with a few invalid bytes, UTF-16 without
    /// BOM recognised by its NUL bytes, an encoding declared in the document
    /// (HTML `<meta charset>`) that decodes cleanly, or chardetng's guess of a
    /// multi-byte encoding (GBK, GB18030, Big5, Shift_JIS, EUC-JP, EUC-KR)
    /// that decodes at least [`MIN_CHECKED_NON_ASCII`] non-ASCII characters
    /// without one invalid sequence.
    High,
    /// Settled by the bytes: a byte-order mark, valid UTF-8 throughout, or
    /// pure ASCII (every candidate encoding reads it the same).
    Certain,
}

impl Confidence {
    /// `"low"`, `"high"` or `"certain"` (as stored in the index).
    pub fn name(&self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::High => "high",
            Confidence::Certain => "certain",
        }
    }
}

/// A detected multi-byte encoding that decodes at least this many non-ASCII
/// characters without an invalid sequence has [`Confidence::High`]; fewer
/// is [`Confidence::Low`] (a handful of byte pairs fits GBK and Big5 alike).
pub const MIN_CHECKED_NON_ASCII: usize = 20;

impl Quality {
    /// Noise characters: U+FFFD, `(cid:NNN)` markers and private-use
    /// characters.
    pub fn noise(&self) -> usize {
        self.replacement_chars + self.cid_markers + self.private_use_chars
    }

    /// Share of noise ([`Quality::noise`]) in [`Quality::chars`], in percent
    /// (0–100, rounded down); 0 when there are no characters.
    pub fn noise_percent(&self) -> usize {
        (self.noise() * 100).checked_div(self.chars).unwrap_or(0)
    }

    /// Non-whitespace characters per page, rounded down, when the page count
    /// is known and not zero.
    pub fn chars_per_page(&self) -> Option<usize> {
        let pages = self.pages.filter(|&p| p > 0)? as usize;
        Some(self.chars / pages)
    }

    /// Count the noise and characters of `text`, the final extracted text,
    /// adding to what the extractor reported as removed.
    fn measure(&mut self, text: &str) {
        let removed = self.replacement_chars + self.cid_markers;
        let (mut chars, mut fffd, mut pua) = (0, 0, 0);
        for c in text.chars() {
            if c.is_whitespace() {
                continue;
            }
            chars += 1;
            if c == '\u{FFFD}' {
                fffd += 1;
            } else if is_private_use(c) {
                pua += 1;
            }
        }
        let (mut cids, mut marker_chars) = (0, 0);
        for r in cid_markers(text) {
            cids += 1;
            marker_chars += r.len();
        }
        self.replacement_chars += fffd;
        self.cid_markers += cids;
        self.private_use_chars = pua;
        // A `(cid:NNN)` marker is several characters of text but one glyph.
        self.chars = chars - marker_chars + cids + removed;
    }
}

/// Whether `c` is a private-use character: U+E000–U+F8FF, or planes 15 and
/// 16 (U+F0000–U+10FFFF) (Unicode §23.5).
pub fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}')
}

/// Byte ranges of the `(cid:NNN)` markers in `text` (NNN: one or more ASCII
/// digits).
pub(crate) fn cid_markers(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(i) = memchr::memmem::find(&text.as_bytes()[from..], b"(cid:") {
            let start = from + i;
            let after = &text[start + 5..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && after.as_bytes().get(digits) == Some(&b')') {
                from = start + 5 + digits + 1;
                return Some(start..from);
            }
            from = start + 5;
        }
        None
    })
}

/// Extraction status of one document, from best to worst (the derived
/// order). Decided by [`assess`]; stored in the index as [`Status::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Text extracted cleanly.
    Ok,
    /// Text indexed, with a caveat: a few undecodable characters, an
    /// encoding guessed with low confidence, or a note of the extractor.
    Warning,
    /// Only the head of the file was indexed ([`Limits::max_file_bytes`]).
    Truncated,
    /// The text is noise to a large extent: more than [`GARBLED_PERCENT`] %
    /// U+FFFD / `(cid:…)` / private-use characters, or too much to index at
    /// all ([`ExtractError::Unmapped`]).
    Garbled,
    /// A fixed-layout document (PDF, OFD) with (almost) no text: a scan that
    /// needs OCR.
    NoTextLayer,
    /// Nothing could be extracted (broken, encrypted, unreadable, binary …).
    Failed,
}

impl Status {
    /// Every status, best first.
    pub const ALL: [Status; 6] = [
        Status::Ok,
        Status::Warning,
        Status::Truncated,
        Status::Garbled,
        Status::NoTextLayer,
        Status::Failed,
    ];

    /// Stored name: `ok`, `warning`, `truncated`, `garbled`,
    /// `no_text_layer`, `failed`.
    pub fn name(&self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Truncated => "truncated",
            Status::Garbled => "garbled",
            Status::NoTextLayer => "no_text_layer",
            Status::Failed => "failed",
        }
    }

    /// The status named `name` ([`Status::name`]); `None` for anything else.
    pub fn from_name(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Short Chinese label: 正常, 警告, 截断, 乱码, 无文字层, 失败.
    pub fn label_zh(&self) -> &'static str {
        match self {
            Status::Ok => "正常",
            Status::Warning => "警告",
            Status::Truncated => "截断",
            Status::Garbled => "乱码",
            Status::NoTextLayer => "无文字层",
            Status::Failed => "失败",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A PDF or OFD with fewer non-whitespace characters than this per page
/// (on average) is [`Status::NoTextLayer`]: a scan, perhaps with a stamp
/// or page numbers as text. (Below 5 characters per page the PDF
/// extractor already refuses the text as [`ExtractError::NoTextLayer`].)
pub const SCANNED_CHARS_PER_PAGE: usize = 20;

/// More than this share (percent) of noise characters
/// ([`Quality::noise_percent`]) is [`Status::Garbled`].
pub const GARBLED_PERCENT: usize = 5;

/// The status of one document with the reason and the recommended action.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Assessment {
    /// The status.
    pub status: Status,
    /// Why, one line, Chinese then English; `None` for [`Status::Ok`].
    pub reason: Option<String>,
    /// What the archivist should do, Chinese then English (e.g.
    /// "需要 OCR / needs OCR"); `None` for [`Status::Ok`].
    pub action: Option<&'static str>,
}

const ACTION_OCR: &str = "需要 OCR / needs OCR";
const ACTION_RESCAN: &str =
    "重新扫描或另存为带文字的 PDF / re-scan, or save again as a PDF with a text layer";
const ACTION_ENCODING: &str =
    "检查编码，必要时另存为 UTF-8 / check the encoding; save again as UTF-8 if needed";
const ACTION_SPLIT: &str = "文件过大，拆分后重新索引 / too large: split the file and re-index";
const ACTION_CHECK: &str = "检查提取结果（gongwen show）/ check the extracted text (gongwen show)";
const ACTION_PASSWORD: &str = "提供无密码的副本 / supply a copy without a password";
const ACTION_EMPTY: &str = "文件没有内容；如应有内容，重新获取原件 / the file holds nothing; if it should, obtain a good copy";
const ACTION_PERMISSION: &str = "文件不允许读取：请管理员给运行 gongwen 的用户读权限 / the file may not be read: give the user running gongwen read permission";
const ACTION_REPLACE: &str = "检查文件是否损坏，重新获取原件 / check the file (damaged or of another type); obtain a good copy";

/// The non-zero noise counts of `q`: "U+FFFD 3, private use 2".
fn noise_kinds(q: &Quality) -> String {
    [
        ("U+FFFD", q.replacement_chars),
        ("(cid:…)", q.cid_markers),
        ("private use", q.private_use_chars),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(k, n)| format!("{k} {n}"))
    .collect::<Vec<_>>()
    .join(", ")
}

/// Decide the status of one document from the result of its extraction:
/// the one place where the thresholds live.
///
/// Rules, worst first:
/// - an error → [`Status::Failed`], except [`ExtractError::NoTextLayer`] →
///   [`Status::NoTextLayer`] and [`ExtractError::Unmapped`] →
///   [`Status::Garbled`];
/// - PDF or OFD with fewer than [`SCANNED_CHARS_PER_PAGE`] characters per
///   page → [`Status::NoTextLayer`] ("needs OCR");
/// - more than [`GARBLED_PERCENT`] % noise (U+FFFD, `(cid:NNN)`, private use)
///   → [`Status::Garbled`]: for PDF/OFD fonts without a Unicode mapping
///   (re-scan or save again with text), otherwise bad bytes or a wrong
///   encoding;
/// - [`Quality::truncated`] → [`Status::Truncated`];
/// - any noise, an encoding of [`Confidence::Low`], or a note →
///   [`Status::Warning`];
/// - else [`Status::Ok`].
///
/// ```
/// use gongwen::archive::extract::{assess, Format, Quality, Status};
/// let scan = Quality { pages: Some(3), chars: 30, ..Quality::default() };
/// let a = assess(Format::Pdf, Ok(&scan));
/// assert_eq!(a.status, Status::NoTextLayer);
/// assert_eq!(a.action, Some("需要 OCR / needs OCR"));
/// let clean = Quality { chars: 1000, ..Quality::default() };
/// assert_eq!(assess(Format::Text, Ok(&clean)).status, Status::Ok);
/// ```
pub fn assess(format: Format, outcome: Result<&Quality, &ExtractError>) -> Assessment {
    let fixed_layout = matches!(format, Format::Pdf | Format::Ofd);
    let q = match outcome {
        Err(e) => {
            let (status, action) = match e {
                ExtractError::NoTextLayer { .. } => (Status::NoTextLayer, ACTION_OCR),
                ExtractError::Unmapped { .. } => (Status::Garbled, ACTION_RESCAN),
                ExtractError::Encrypted => (Status::Failed, ACTION_PASSWORD),
                ExtractError::Binary => (Status::Failed, ACTION_ENCODING),
                ExtractError::TooLarge(_) => (Status::Failed, ACTION_SPLIT),
                ExtractError::Empty => (Status::Failed, ACTION_EMPTY),
                ExtractError::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
                    (Status::Failed, ACTION_PERMISSION)
                }
                _ => (Status::Failed, ACTION_REPLACE),
            };
            return Assessment {
                status,
                reason: Some(e.to_string()),
                action: Some(action),
            };
        }
        Ok(q) => q,
    };
    let verdict = |status, reason: String, action| Assessment {
        status,
        reason: Some(reason),
        action: Some(action),
    };
    if fixed_layout
        && let (Some(pages), Some(per_page)) = (q.pages, q.chars_per_page())
        && per_page < SCANNED_CHARS_PER_PAGE
    {
        return verdict(
            Status::NoTextLayer,
            format!(
                "几乎没有文字层（扫描件？）：{pages} 页，每页 {per_page} 字 / almost no text layer (scanned?): {pages} pages, {per_page} characters per page"
            ),
            ACTION_OCR,
        );
    }
    let pct = q.noise_percent();
    if pct > GARBLED_PERCENT {
        let counts = noise_kinds(q);
        return if fixed_layout {
            verdict(
                Status::Garbled,
                format!(
                    "乱码 {pct}%：字体缺少 Unicode 映射（{counts}）/ garbled, {pct}% noise: fonts without Unicode mapping ({counts})"
                ),
                ACTION_RESCAN,
            )
        } else {
            verdict(
                Status::Garbled,
                format!(
                    "乱码 {pct}%：无效字节或编码错误（{counts}）/ garbled, {pct}% noise: invalid bytes or wrong encoding ({counts})"
                ),
                ACTION_ENCODING,
            )
        };
    }
    if q.truncated {
        return verdict(
            Status::Truncated,
            "只索引了前一部分 / truncated: only the head was indexed".into(),
            ACTION_SPLIT,
        );
    }
    let mut reasons = Vec::new();
    let mut action = ACTION_CHECK;
    if q.encoding_confidence == Some(Confidence::Low) {
        let enc = q.encoding.as_deref().unwrap_or("?");
        reasons.push(format!(
            "编码 {enc} 为推测 / encoding {enc} is a low-confidence guess"
        ));
        action = ACTION_ENCODING;
    }
    if q.noise() > 0 {
        let n = q.noise();
        // Per mille, shown as a percentage with one decimal ("<0.1%").
        let pm = (n * 1000).checked_div(q.chars).unwrap_or(0);
        let share = if pm == 0 {
            "<0.1%".to_string()
        } else {
            format!("{}.{}%", pm / 10, pm % 10)
        };
        let kinds = noise_kinds(q);
        reasons.push(format!(
            "{n} 个无法识别的字符（{share}，{kinds}）/ {n} unreadable characters ({share}, {kinds})"
        ));
    }
    if let Some(note) = &q.note {
        reasons.push(note.clone());
    }
    if reasons.is_empty() {
        return Assessment {
            status: Status::Ok,
            reason: None,
            action: None,
        };
    }
    verdict(Status::Warning, reasons.join("; "), action)
}

/// Titles taken from a first line or paragraph longer than this many
/// characters are dropped (`None`): such a line is body text, not a title.
pub const MAX_TITLE_CHARS: usize = 80;

/// Why a file could not be extracted. `Display` is one line, Chinese then
/// English, and never includes a backtrace.
///
/// ```
/// use gongwen::archive::extract::ExtractError;
/// let e = ExtractError::BadZip { format: "docx", reason: "invalid Zip archive".into() };
/// assert_eq!(e.to_string(),
///     "不是有效的 docx（zip 损坏）/ not a valid .docx (broken zip): invalid Zip archive");
/// ```
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The file could not be opened or read.
    #[error("读取失败 / cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// The file has zero bytes (or only a byte-order mark / front matter and
    /// no content at all).
    #[error("空文件 / empty file")]
    Empty,
    /// The bytes are not text (many NUL/control bytes, or decoding yields
    /// mostly garbage) although the extension says text.
    #[error("二进制数据，不是文本 / binary data, not text")]
    Binary,
    /// A zip-based format (.docx) whose container is truncated or not a zip.
    #[error("不是有效的 {format}（zip 损坏）/ not a valid .{format} (broken zip): {reason}")]
    BadZip {
        /// Format name, e.g. `"docx"`.
        format: &'static str,
        /// What the zip reader said.
        reason: String,
    },
    /// The container is fine but a required part is missing or wrong (e.g. a
    /// zip without `word/document.xml`).
    #[error("不是有效的 {format} / not a valid .{format}: {reason}")]
    Invalid {
        /// Format name, e.g. `"docx"`.
        format: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// An XML part could not be parsed.
    #[error("XML 损坏 / malformed XML in {part}: {reason}")]
    BadXml {
        /// The zip member, e.g. `"word/document.xml"`.
        part: String,
        /// What the XML reader said.
        reason: String,
    },
    /// The PDF could not be parsed.
    #[error("PDF 无法解析 / cannot parse PDF: {0}")]
    Pdf(String),
    /// The PDF (or zip member) is encrypted with a password we do not have.
    #[error("已加密，需要密码 / encrypted (password required)")]
    Encrypted,
    /// The PDF has (almost) no text relative to its pages.
    #[error("无文字层（扫描件？）/ no text layer (scanned?): {pages} pages, {chars} characters")]
    NoTextLayer {
        /// Pages in the PDF.
        pages: u32,
        /// Non-whitespace characters extracted.
        chars: usize,
    },
    /// The text is dominated by unmapped glyphs (U+FFFD, `(cid:NNN)`): fonts
    /// without a usable ToUnicode map. The noise is not returned.
    #[error(
        "文字无法映射（字体缺少 ToUnicode）/ unmapped glyphs: {bad} of {total} characters are noise"
    )]
    Unmapped {
        /// Noise characters (U+FFFD, and each `(cid:NNN)` counted as one).
        bad: usize,
        /// All non-whitespace characters.
        total: usize,
    },
    /// Over a cap in [`Limits`].
    #[error("超出限制 / too large: {0}")]
    TooLarge(String),
    /// Extraction ran longer than [`Limits::timeout`].
    #[error("超时 / timed out after {0:?}")]
    Timeout(Duration),
    /// Third-party code panicked on this file; the message, no backtrace.
    #[error("解析器崩溃 / extractor panicked: {0}")]
    Panic(String),
}

/// Read `path` (with the caps of `limits`) and extract its text as `format`:
/// [`read_file`], then [`extract_read`].
///
/// Text-like formats read at most [`Limits::max_file_bytes`] (setting
/// [`Quality::truncated`]); .docx and PDF are read whole up to
/// [`Limits::max_document_bytes`]. Never panics: third-party panics become
/// [`ExtractError::Panic`], slow files [`ExtractError::Timeout`].
///
/// # Errors
/// [`ExtractError::Io`] when the file cannot be read, otherwise as
/// [`extract_bytes`].
pub fn extract_file(
    path: &Path,
    format: Format,
    limits: &Limits,
) -> Result<Extracted, ExtractError> {
    extract_read(read_file(path, format, limits)?, format, limits)
}

/// The bytes of a file as [`read_file`] read them.
#[derive(Debug)]
pub struct FileBytes {
    /// The whole file, or for a text-like format cut to
    /// [`Limits::max_file_bytes`].
    pub bytes: Vec<u8>,
    /// `true` when `bytes` is only the file's first part (text-like formats).
    pub truncated: bool,
}

/// Read `path` for extraction as `format`, with the caps of `limits`: the
/// first [`Limits::max_file_bytes`] of text-like formats, .docx, PDF and
/// the other containers whole up to [`Limits::max_document_bytes`]. The
/// indexer hashes these same bytes, so a file (perhaps on a network drive)
/// is read once.
///
/// # Errors
/// [`ExtractError::Io`] when the file cannot be opened or read;
/// [`ExtractError::TooLarge`] for a container over
/// [`Limits::max_document_bytes`] (nothing read).
pub fn read_file(path: &Path, format: Format, limits: &Limits) -> Result<FileBytes, ExtractError> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    let cap = match format {
        Format::Text | Format::Markdown | Format::Html => limits.max_file_bytes,
        _ => {
            if len > limits.max_document_bytes {
                return Err(ExtractError::TooLarge(format!(
                    "{len} 字节 / bytes > max_document_bytes {}",
                    limits.max_document_bytes
                )));
            }
            limits.max_document_bytes
        }
    };
    let mut bytes = Vec::with_capacity(len.min(cap) as usize + 1);
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    let truncated = bytes.len() as u64 > cap;
    if truncated {
        if !matches!(format, Format::Text | Format::Markdown | Format::Html) {
            return Err(ExtractError::TooLarge(format!(
                "> max_document_bytes {cap}"
            )));
        }
        bytes.truncate(cap as usize);
    }
    Ok(FileBytes { bytes, truncated })
}

/// Extract the text of a file read by [`read_file`] as `format`.
///
/// # Errors
/// As [`extract_bytes`].
pub fn extract_read(
    file: FileBytes,
    format: Format,
    limits: &Limits,
) -> Result<Extracted, ExtractError> {
    run(file.bytes, format, limits, file.truncated)
}

/// Extract the text of `bytes`, already in memory, as `format`.
///
/// Text-like input longer than [`Limits::max_file_bytes`] is cut to that
/// length (setting [`Quality::truncated`]).
///
/// ```
/// use gongwen::archive::extract::{extract_bytes, Format, Limits};
/// let got = extract_bytes("关于做好办公室工作的通知\n正文".as_bytes(), Format::Text, &Limits::default())?;
/// assert_eq!(got.title.as_deref(), Some("关于做好办公室工作的通知"));
/// assert_eq!(got.quality.encoding.as_deref(), Some("UTF-8"));
/// # Ok::<(), gongwen::archive::extract::ExtractError>(())
/// ```
///
/// # Errors
/// [`ExtractError::Empty`] for no bytes, [`ExtractError::Binary`] for binary
/// data posing as text, the zip/XML variants for broken .docx, the PDF
/// variants for PDFs, [`ExtractError::TooLarge`] over a cap,
/// [`ExtractError::Timeout`] and [`ExtractError::Panic`].
pub fn extract_bytes(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<Extracted, ExtractError> {
    let (slice, truncated) = match format {
        Format::Text | Format::Markdown | Format::Html
            if bytes.len() as u64 > limits.max_file_bytes =>
        {
            (&bytes[..limits.max_file_bytes as usize], true)
        }
        _ => (bytes, false),
    };
    run(slice.to_vec(), format, limits, truncated)
}

/// Dispatch to the format's extractor, guarded against panics and (for the
/// threaded formats) against running past the timeout.
fn run(
    bytes: Vec<u8>,
    format: Format,
    limits: &Limits,
    truncated: bool,
) -> Result<Extracted, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let lim = limits.clone();
    let job = move || dispatch(&bytes, format, &lim, truncated);
    if !format.threaded() {
        return catch(job)?;
    }
    let (tx, rx) = crossbeam_channel::bounded(1);
    let spawned = std::thread::Builder::new()
        .name(format!("gongwen-extract-{}", format.name()))
        .stack_size(HELPER_STACK_BYTES)
        .spawn(move || {
            let _ = tx.send(catch(job));
        });
    if let Err(e) = spawned {
        return Err(ExtractError::Io(e));
    }
    match rx.recv_timeout(limits.timeout) {
        Ok(result) => result?,
        Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
            Err(ExtractError::Timeout(limits.timeout))
        }
        Err(crossbeam_channel::RecvTimeoutError::Disconnected) => Err(ExtractError::Panic(
            "helper thread ended without a result".into(),
        )),
    }
}

/// Stack of the helper threads: deep but bounded recursion in HTML and PDF
/// parsers must not overflow (an overflow aborts the process).
const HELPER_STACK_BYTES: usize = 64 << 20;

fn dispatch(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    truncated: bool,
) -> Result<Extracted, ExtractError> {
    if let Some(out) = text_in_disguise(bytes, format, limits) {
        return Ok(out);
    }
    let mut out = match format {
        Format::Text => text::extract(bytes, truncated)?,
        Format::Markdown => markdown::extract(bytes, truncated)?,
        Format::Html => html::extract(bytes, truncated)?,
        Format::Docx => docx::extract(bytes, limits)?,
        Format::Pdf => pdf::extract(bytes)?,
        Format::Ofd => ofd::extract(bytes, limits)?,
        Format::Xlsx => xlsx::extract(bytes, limits)?,
        Format::Pptx => pptx::extract(bytes, limits)?,
        Format::Wps => ooxml::extract_wps(bytes, limits)?,
        Format::Zip => archive_zip::list_names(bytes, limits)?,
    };
    out.quality.truncated |= truncated;
    out.quality.measure(&out.text);
    if out.quality.truncated {
        add_note(
            &mut out.quality,
            format!(
                "只读取了前 {} 字节 / truncated to the first {} bytes",
                bytes.len(),
                bytes.len()
            ),
        );
    }
    Ok(out)
}

/// A file named as a container (`.pdf`, `.docx`, `.zip` …) whose bytes lack
/// that format's signature (`%PDF-` in the first KiB, the zip `PK\x03\x04`)
/// but read as text — a `.txt` renamed, a saved web page — is extracted as
/// text with a note saying so, so that search finds what grep finds in it.
/// `None` when the signature is there or the bytes are not text (the
/// format's own extractor then says what is wrong).
fn text_in_disguise(bytes: &[u8], format: Format, limits: &Limits) -> Option<Extracted> {
    let signed = match format {
        Format::Text | Format::Markdown | Format::Html => return None,
        Format::Pdf => bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-"),
        Format::Wps => {
            bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
        }
        Format::Docx | Format::Ofd | Format::Xlsx | Format::Pptx | Format::Zip => {
            bytes.starts_with(b"PK")
        }
    };
    if signed {
        return None;
    }
    let cap = (limits.max_file_bytes as usize).min(bytes.len());
    let truncated = cap < bytes.len();
    let mut out = text::extract(&bytes[..cap], truncated).ok()?;
    out.quality.truncated |= truncated;
    out.quality.measure(&out.text);
    add_note(
        &mut out.quality,
        format!(
            "扩展名是 .{ext}，内容却是纯文本，已按文本收录 / named .{ext} but holds plain text: indexed as text",
            ext = format.name()
        ),
    );
    Some(out)
}

/// Append `note` to `q.note` (joined by "; ").
fn add_note(q: &mut Quality, note: String) {
    q.note = Some(match q.note.take() {
        Some(old) => format!("{old}; {note}"),
        None => note,
    });
}

thread_local! {
    /// Set while this thread runs guarded extractor code: the panic hook
    /// stays silent for it.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

static HOOK: Once = Once::new();

/// Run `f`, turning a panic into [`ExtractError::Panic`] with the panic
/// message. The default hook's output is suppressed for panics on this
/// thread while `f` runs; other threads' panics print as usual.
fn catch<R>(f: impl FnOnce() -> R) -> Result<R, ExtractError> {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.map_err(|payload| {
        let msg = if let Some(s) = payload.downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "unknown panic".to_string()
        };
        ExtractError::Panic(msg.lines().next().unwrap_or_default().to_string())
    })
}

/// The first line of `text` with a letter in it (lines of only digits and
/// punctuation, such as page numbers, are skipped), trimmed, if it has at
/// most [`MAX_TITLE_CHARS`] characters.
fn first_line_title(text: &str) -> Option<String> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| l.chars().any(char::is_alphabetic))?;
    clean_title(line)
}

/// `s` trimmed and folded to one line (inner runs of whitespace become one
/// space); `None` if empty or longer than [`MAX_TITLE_CHARS`] characters.
fn clean_title(s: &str) -> Option<String> {
    let one: Vec<&str> = s.split_whitespace().collect();
    let t = one.join(" ");
    let n = t.chars().count();
    (n > 0 && n <= MAX_TITLE_CHARS).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_path_is_case_insensitive() {
        assert_eq!(Format::from_path(Path::new("x/Y.HTM")), Some(Format::Html));
        assert_eq!(Format::from_path(Path::new("a.Md")), Some(Format::Markdown));
        assert_eq!(Format::from_path(Path::new("a.txt")), Some(Format::Text));
        assert_eq!(Format::from_path(Path::new("a.pdf")), Some(Format::Pdf));
        assert_eq!(Format::from_path(Path::new("README")), None);
    }

    #[test]
    fn catch_turns_panic_into_error() {
        let r: Result<(), _> = catch(|| panic!("boom {}", 1));
        match r {
            Err(ExtractError::Panic(m)) => assert_eq!(m, "boom 1"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn title_rules() {
        assert_eq!(
            first_line_title("\n\u{3000} 标题 \n正文"),
            Some("标题".into())
        );
        assert_eq!(first_line_title(&"长".repeat(81)), None);
        assert_eq!(first_line_title("  \n "), None);
        assert_eq!(first_line_title("\n- 1 -\n\n报告\n"), Some("报告".into()));
    }

    #[test]
    fn assess_maps_errors_and_caveats() {
        let err = |e: ExtractError| assess(Format::Pdf, Err(&e));
        let a = err(ExtractError::Unmapped {
            bad: 90,
            total: 100,
        });
        assert_eq!(a.status, Status::Garbled);
        assert!(
            a.action
                .unwrap()
                .starts_with("重新扫描或另存为带文字的 PDF")
        );
        let a = err(ExtractError::NoTextLayer { pages: 2, chars: 0 });
        assert_eq!(
            (a.status, a.action),
            (Status::NoTextLayer, Some(ACTION_OCR))
        );
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let a = err(ExtractError::Io(denied));
        assert_eq!(
            (a.status, a.action),
            (Status::Failed, Some(ACTION_PERMISSION))
        );
        let a = err(ExtractError::Encrypted);
        assert_eq!(
            (a.status, a.action),
            (Status::Failed, Some(ACTION_PASSWORD))
        );
        // An empty file is not called damaged.
        let empty = err(ExtractError::Empty);
        assert_eq!(
            (empty.status, empty.action),
            (Status::Failed, Some(ACTION_EMPTY))
        );
        assert!(!empty.action.unwrap().contains("damaged"));
        assert_eq!(
            a.reason.as_deref(),
            Some("已加密，需要密码 / encrypted (password required)")
        );

        let q = |f: fn(&mut Quality)| {
            let mut q = Quality {
                chars: 1000,
                pages: Some(2),
                ..Quality::default()
            };
            f(&mut q);
            q
        };
        // 20 characters per page is enough; 19 is a scan, but only for PDF/OFD.
        let thin = q(|q| q.chars = 2 * SCANNED_CHARS_PER_PAGE);
        assert_eq!(assess(Format::Pdf, Ok(&thin)).status, Status::Ok);
        let thin = q(|q| q.chars = 2 * SCANNED_CHARS_PER_PAGE - 1);
        assert_eq!(assess(Format::Ofd, Ok(&thin)).status, Status::NoTextLayer);
        assert_eq!(assess(Format::Pptx, Ok(&thin)).status, Status::Ok);
        // 5 % noise is a warning, 6 % garbled.
        let five = q(|q| q.cid_markers = 50);
        let a = assess(Format::Pdf, Ok(&five));
        assert_eq!(a.status, Status::Warning);
        assert!(a.reason.unwrap().contains("(5.0%, (cid:…) 50)"));
        let six = q(|q| q.cid_markers = 60);
        assert_eq!(assess(Format::Pdf, Ok(&six)).status, Status::Garbled);
        let cut = q(|q| q.truncated = true);
        assert_eq!(assess(Format::Text, Ok(&cut)).status, Status::Truncated);
        let noted = q(|q| q.note = Some("x".into()));
        let a = assess(Format::Markdown, Ok(&noted));
        assert_eq!(
            (a.status, a.reason.as_deref()),
            (Status::Warning, Some("x"))
        );
        assert_eq!(
            Status::from_name("no_text_layer"),
            Some(Status::NoTextLayer)
        );
        assert!(Status::Failed > Status::NoTextLayer && Status::Warning > Status::Ok);
    }

    #[test]
    fn measure_counts_removed_noise_and_markers_once() {
        // A PDF extractor removed 3 U+FFFD and 2 markers; the text keeps one of each.
        let mut q = Quality {
            replacement_chars: 3,
            cid_markers: 2,
            ..Quality::default()
        };
        q.measure("甲 乙\u{FFFD}(cid:42)\u{F0001}");
        assert_eq!(
            (q.replacement_chars, q.cid_markers, q.private_use_chars),
            (4, 3, 1)
        );
        // 甲 乙 U+FFFD, one marker, one PUA char, plus the 5 removed.
        assert_eq!(q.chars, 5 + 5);
        assert_eq!(q.noise_percent(), 80);
    }

    #[test]
    fn empty_bytes_are_empty_error() {
        let e = extract_bytes(b"", Format::Docx, &Limits::default()).unwrap_err();
        assert!(matches!(e, ExtractError::Empty));
    }
}
