//! Zip archives inside the archive: enumerate the members of a `.zip`,
//! decode their names, read each one within the caps of [`Limits`] and
//! extract its text with [`super::extract_bytes`].
//!
//! Sits in `walk → extract → …` beside the per-format extractors; the
//! indexer ([`crate::archive::indexer`]) turns every [`Member`] into its own
//! document with the id `<zip id>!/<member name>` (nested zips:
//! `a.zip!/b.zip!/c.docx`). Pure library: no index, no printing.
//!
//! Hostile input (zip bombs) is refused member by member: the declared and
//! the actually decompressed sizes are checked against
//! [`Limits::max_zip_member_bytes`], [`Limits::max_zip_total_bytes`] and the
//! ratio cap [`Limits::max_zip_ratio`]; nesting stops at
//! [`Limits::max_zip_depth`]. Members are read one at a time through a
//! 64 KiB buffer, so memory stays bounded by the caps.
//!
//! Member names: the zip format has no encoding field except the UTF-8 flag
//! (APPNOTE.TXT 6.3.10 §4.4.4 bit 11, appendix D); Windows archivers in China
//! write GBK without the flag. The `zip` crate decodes such names as CP437,
//! so [`decode_name`] works on the raw bytes instead.
//!
//! Tests: the unit tests below and `tests/it/containers.rs` (module
//! `containers`).

use std::io::{Cursor, Read, Seek};
use std::path::Path;

use zip::ZipArchive;

use super::{ExtractError, Extracted, Format, Limits, Quality};

/// Separator between a zip's id (or display path) and a member name:
/// `批次.zip!/通知.txt` (the `jar:` URL convention).
pub const MEMBER_SEP: &str = "!/";

/// Size of the read buffer for members.
const CHUNK: usize = 64 << 10;

/// One member of a zip (nested members included), read and extracted.
#[derive(Debug)]
pub struct Member {
    /// The member's path inside the outermost zip, decoded
    /// ([`decode_name`]); members of nested zips are prefixed with the
    /// nested zip's name and [`MEMBER_SEP`]: `附件.zip!/表.xlsx`.
    pub name: String,
    /// Format by the member name's extension ([`Format::from_path`]);
    /// [`Format::Zip`] for a nested zip that could not be opened.
    pub format: Format,
    /// Uncompressed bytes read (0 when refused before reading).
    pub size: u64,
    /// BLAKE3 of the member's bytes, first 32 hex digits; `""` when the
    /// member was not read.
    pub hash: String,
    /// The extracted text, or why the member was refused or failed
    /// (zip bomb, over a cap, encrypted, corrupt, extractor error).
    pub result: Result<Extracted, ExtractError>,
}

/// What walking one zip found, besides the members handed to the callback.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ZipListing {
    /// Names of all file members in archive order (supported or not, nested
    /// ones with their prefix); directories are left out.
    pub names: Vec<String>,
    /// Members handed to the callback (supported formats, including
    /// refused and failed ones).
    pub members: usize,
    /// Directories and members of unsupported formats.
    pub skipped: usize,
    /// Uncompressed bytes read, all members and nesting levels together.
    pub bytes_read: u64,
    /// Reading stopped early at [`Limits::max_zip_total_bytes`]: members
    /// after that were not read.
    pub stopped: bool,
    /// Entries beyond [`Limits::max_zip_members`] (per archive, nested ones
    /// included), not looked at: the first ones are indexed, these are not.
    pub not_read: usize,
}

/// Bit 11 of the general purpose flags: the name is UTF-8 (APPNOTE.TXT
/// §4.4.4, "Language encoding flag (EFS)").
const UTF8_FLAG: u16 = 0x0800;

/// Decode a raw member name. With the UTF-8 flag set (APPNOTE §4.4.4 bit
/// 11): UTF-8. Without it, the bytes are in the writer's "OEM" code page,
/// which on Chinese Windows (Explorer, WinRAR, 360压缩) is GBK:
/// 1. ASCII, or valid UTF-8 without any character in U+0080–U+07FF (Linux
///    and macOS tools write UTF-8 without the flag; Chinese in UTF-8 is
///    three bytes a character) → UTF-8;
/// 2. else GB18030 (a superset of GBK) when it decodes without error — GBK
///    pairs such as `通知` (`CD A8 D6 AA`) are also valid two-byte UTF-8
///    (`֪ͨ`), which is why rule 1 excludes that range;
/// 3. else UTF-8 when valid (Latin, Cyrillic, …), else lossy UTF-8.
///
/// Backslashes written by some Windows tools become `/`.
///
/// ```
/// use gongwen::archive::extract::archive_zip::decode_name;
/// let (gbk, _, _) = encoding_rs::GBK.encode("批次/通知.txt");
/// assert_eq!(decode_name(&gbk, false), "批次/通知.txt");
/// assert_eq!(decode_name("报告.docx".as_bytes(), false), "报告.docx");
/// assert_eq!(decode_name("Ωmega.txt".as_bytes(), true), "Ωmega.txt");
/// assert_eq!(decode_name(b"a\\b.txt", false), "a/b.txt");
/// ```
pub fn decode_name(raw: &[u8], utf8_flag: bool) -> String {
    let utf8 = std::str::from_utf8(raw).ok();
    let s = match utf8 {
        _ if utf8_flag => String::from_utf8_lossy(raw).into_owned(),
        Some(s) if !s.chars().any(|c| ('\u{80}'..='\u{7ff}').contains(&c)) => s.to_string(),
        _ => match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(raw) {
            Some(cow) => cow.into_owned(),
            None => String::from_utf8_lossy(raw).into_owned(),
        },
    };
    s.replace('\\', "/")
}

/// [`decode_name`] of an entry, with its flag.
fn entry_name(e: &zip::read::ZipFileEntry<'_>) -> String {
    decode_name(e.name_raw(), e.flags().as_u16() & UTF8_FLAG != 0)
}

/// Why a member of `uncompressed` bytes stored in `compressed` bytes is
/// refused as a zip bomb: `Some(message)` when it is bigger than
/// [`Limits::zip_ratio_min_bytes`] and its ratio exceeds
/// [`Limits::max_zip_ratio`]. Used both on the sizes the header declares
/// and, while reading, on the bytes actually decompressed (the compressed
/// size bounds what the reader consumes, so that ratio is a lower bound).
///
/// ```
/// use gongwen::archive::extract::{archive_zip::bomb_refusal, Limits};
/// let l = Limits::default();
/// let m = bomb_refusal(200 << 20, 200 << 10, &l).unwrap();
/// assert!(m.contains("zip bomb suspected: ratio 1024:1"), "{m}");
/// assert_eq!(bomb_refusal(10 << 20, 1 << 20, &l), None); // 10:1 is normal
/// assert_eq!(bomb_refusal(500 << 10, 1, &l), None); // small: never refused
/// ```
pub fn bomb_refusal(uncompressed: u64, compressed: u64, limits: &Limits) -> Option<String> {
    if uncompressed <= limits.zip_ratio_min_bytes {
        return None;
    }
    let ratio = uncompressed / compressed.max(1);
    (ratio > limits.max_zip_ratio).then(|| {
        format!(
            "疑似 zip 炸弹 / zip bomb suspected: ratio {ratio}:1 (> max_zip_ratio {}:1, {uncompressed} 字节 / bytes uncompressed)",
            limits.max_zip_ratio
        )
    })
}

/// Open the zip file at `path` and hand every member of a supported format
/// to `on_member`, one at a time, in archive order; nested `.zip` members
/// are opened in memory and walked the same way, up to
/// [`Limits::max_zip_depth`] levels. Directories and unsupported members
/// are counted in [`ZipListing::skipped`]. A refused or failed member is
/// still handed over, with `result: Err(..)`; the walk goes on.
///
/// # Errors
/// The whole zip is refused (no member handed over) with
/// [`ExtractError::Io`] when it cannot be opened, [`ExtractError::Empty`]
/// when it has no bytes, [`ExtractError::BadZip`] (format `"zip"`) when it
/// is not a zip. Entries
/// over [`Limits::max_zip_members`] are not an error: they are counted in
/// [`ZipListing::not_read`].
pub fn for_each_member_in_file(
    path: &Path,
    limits: &Limits,
    on_member: &mut dyn FnMut(Member),
) -> Result<ZipListing, ExtractError> {
    let file = std::fs::File::open(path)?;
    // An empty file is said to be empty, as for every other format.
    if file.metadata()?.len() == 0 {
        return Err(ExtractError::Empty);
    }
    for_each_member(std::io::BufReader::new(file), limits, on_member)
}

/// As [`for_each_member_in_file`], for a zip in any seekable reader.
///
/// ```
/// use std::io::{Cursor, Write};
/// use gongwen::archive::extract::{archive_zip::for_each_member, Limits};
/// let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
/// w.start_file("通知.txt", zip::write::SimpleFileOptions::default())?;
/// w.write_all("关于放假的通知\n全体职工放假三天。".as_bytes())?;
/// w.start_file("logo.png", zip::write::SimpleFileOptions::default())?;
/// let bytes = w.finish()?.into_inner();
/// let mut got = Vec::new();
/// let listing = for_each_member(Cursor::new(bytes), &Limits::default(), &mut |m| got.push(m))?;
/// assert_eq!(listing.names, ["通知.txt", "logo.png"]);
/// assert_eq!((listing.members, listing.skipped), (1, 1));
/// assert_eq!(got[0].name, "通知.txt");
/// assert!(got[0].result.as_ref().unwrap().text.contains("放假三天"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`for_each_member_in_file`].
pub fn for_each_member<R: Read + Seek>(
    reader: R,
    limits: &Limits,
    on_member: &mut dyn FnMut(Member),
) -> Result<ZipListing, ExtractError> {
    let mut listing = ZipListing::default();
    walk_zip(reader, "", 1, limits, &mut listing, on_member)?;
    Ok(listing)
}

/// The names of the members of the zip in `bytes` (top level only, without
/// reading any member), one per line, as an [`Extracted`] with no title:
/// what `extract_bytes(.., Format::Zip, ..)` returns.
///
/// # Errors
/// [`ExtractError::BadZip`] when `bytes` is not a zip,
/// [`ExtractError::Empty`] for a zip without file members. At most
/// [`Limits::max_zip_members`] names are listed.
pub fn list_names(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let zip = open(Cursor::new(bytes))?;
    let mut names = Vec::new();
    for i in 0..zip.len().min(limits.max_zip_members) {
        if let Ok(e) = zip.by_index_data(i)
            && !e.is_dir()
        {
            names.push(entry_name(&e));
        }
    }
    if names.is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(Extracted {
        text: names.join("\n"),
        title: None,
        front_matter: None,
        format: Format::Zip,
        quality: Quality::default(),
    })
}

/// Open a zip.
fn open<R: Read + Seek>(reader: R) -> Result<ZipArchive<R>, ExtractError> {
    let zip = ZipArchive::new(reader).map_err(|e| ExtractError::BadZip {
        format: "zip",
        reason: e.to_string(),
    })?;
    Ok(zip)
}

/// Metadata of one central directory entry.
struct EntryInfo {
    name: String,
    is_dir: bool,
    encrypted: bool,
    compressed: u64,
    declared: u64,
}

fn walk_zip<R: Read + Seek>(
    reader: R,
    prefix: &str,
    depth: usize,
    limits: &Limits,
    listing: &mut ZipListing,
    on_member: &mut dyn FnMut(Member),
) -> Result<(), ExtractError> {
    let mut zip = open(reader)?;
    if zip.len() > limits.max_zip_members {
        listing.not_read += zip.len() - limits.max_zip_members;
    }
    for i in 0..zip.len().min(limits.max_zip_members) {
        let info = match zip.by_index_data(i) {
            Ok(e) => EntryInfo {
                name: entry_name(&e),
                is_dir: e.is_dir(),
                encrypted: e.encrypted(),
                compressed: e.compressed_size(),
                declared: e.size(),
            },
            Err(_) => {
                listing.skipped += 1;
                continue;
            }
        };
        if info.is_dir {
            listing.skipped += 1;
            continue;
        }
        let name = format!("{prefix}{}", info.name);
        listing.names.push(name.clone());
        let Some(format) = Format::from_path(Path::new(&info.name)) else {
            listing.skipped += 1;
            continue;
        };
        listing.members += 1;
        let mut member = Member {
            name,
            format,
            size: 0,
            hash: String::new(),
            result: Err(ExtractError::Empty),
        };
        if listing.stopped {
            member.result = Err(ExtractError::TooLarge(format!(
                "未读取：zip 解压总量已达上限 / not read: zip total uncompressed bytes reached max_zip_total_bytes {}",
                limits.max_zip_total_bytes
            )));
            on_member(member);
            continue;
        }
        let refused = if info.encrypted {
            Some(ExtractError::Encrypted)
        } else if format == Format::Zip && depth >= limits.max_zip_depth {
            Some(ExtractError::TooLarge(format!(
                "zip 嵌套过深 / zip nested deeper than max_zip_depth {}",
                limits.max_zip_depth
            )))
        } else if info.declared > limits.max_zip_member_bytes {
            Some(ExtractError::TooLarge(format!(
                "解压后 {} 字节 / uncompressed {} bytes > max_zip_member_bytes {}",
                info.declared, info.declared, limits.max_zip_member_bytes
            )))
        } else {
            bomb_refusal(info.declared, info.compressed, limits).map(ExtractError::TooLarge)
        };
        if let Some(e) = refused {
            member.result = Err(e);
            on_member(member);
            continue;
        }
        let remaining = limits
            .max_zip_total_bytes
            .saturating_sub(listing.bytes_read);
        let read = match zip.by_index(i) {
            Ok(f) => read_member(f, info.compressed, remaining, limits),
            Err(e) => Err(Refusal::Member(ExtractError::BadZip {
                format: "zip",
                reason: e.to_string(),
            })),
        };
        let bytes = match read {
            Ok(b) => b,
            Err(Refusal::Total(n)) => {
                listing.bytes_read += n;
                listing.stopped = true;
                member.result = Err(ExtractError::TooLarge(format!(
                    "zip 解压总量超出限制 / zip total uncompressed bytes > max_zip_total_bytes {}",
                    limits.max_zip_total_bytes
                )));
                on_member(member);
                continue;
            }
            Err(Refusal::Member(e)) => {
                member.result = Err(e);
                on_member(member);
                continue;
            }
        };
        listing.bytes_read += bytes.len() as u64;
        member.size = bytes.len() as u64;
        member.hash = blake3::hash(&bytes).to_hex()[..32].to_string();
        if format == Format::Zip {
            let nested_prefix = format!("{}{MEMBER_SEP}", member.name);
            match walk_zip(
                Cursor::new(bytes),
                &nested_prefix,
                depth + 1,
                limits,
                listing,
                on_member,
            ) {
                Ok(()) => {}
                Err(e) => {
                    member.result = Err(e);
                    on_member(member);
                }
            }
            continue;
        }
        member.result = super::extract_bytes(&bytes, format, limits);
        drop(bytes);
        on_member(member);
    }
    Ok(())
}

/// Why reading a member stopped.
enum Refusal {
    /// The zip's total budget ran out after this many bytes.
    Total(u64),
    /// This member alone is refused (over its cap, bomb, corrupt data).
    Member(ExtractError),
}

impl From<ExtractError> for Refusal {
    fn from(e: ExtractError) -> Self {
        Refusal::Member(e)
    }
}

/// Read one member in [`CHUNK`]s, never trusting the header: stop with an
/// error as soon as the bytes read exceed the per-member cap, the zip's
/// remaining total budget, or the ratio cap against `compressed`.
fn read_member(
    mut f: impl Read,
    compressed: u64,
    remaining_total: u64,
    limits: &Limits,
) -> Result<Vec<u8>, Refusal> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ExtractError::Io(e).into()),
        };
        out.extend_from_slice(&buf[..n]);
        let len = out.len() as u64;
        if len > limits.max_zip_member_bytes {
            return Err(ExtractError::TooLarge(format!(
                "解压后超过 / uncompressed > max_zip_member_bytes {}",
                limits.max_zip_member_bytes
            ))
            .into());
        }
        if let Some(msg) = bomb_refusal(len, compressed, limits) {
            return Err(ExtractError::TooLarge(msg).into());
        }
        if len > remaining_total {
            return Err(Refusal::Total(len));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    /// A zip of `(name, bytes, deflated)` members. Names may be raw GBK
    /// bytes: they are written as ASCII placeholders of the same length
    /// (no UTF-8 flag) and patched in the finished archive.
    fn build(members: &[(&[u8], &[u8], bool)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let mut patches = Vec::new();
        for (k, (name, data, deflate)) in members.iter().enumerate() {
            let opts = SimpleFileOptions::default().compression_method(if *deflate {
                zip::CompressionMethod::Deflated
            } else {
                zip::CompressionMethod::Stored
            });
            let placeholder = if name.is_ascii() {
                String::from_utf8(name.to_vec()).unwrap()
            } else {
                let tag = format!("~{k:03}");
                format!("{tag}{}", "~".repeat(name.len() - tag.len()))
            };
            if placeholder.as_bytes() != *name {
                patches.push((placeholder.clone().into_bytes(), name.to_vec()));
            }
            w.start_file(placeholder, opts).unwrap();
            w.write_all(data).unwrap();
        }
        let mut bytes = w.finish().unwrap().into_inner();
        for (from, to) in patches {
            let mut i = 0;
            while i + from.len() <= bytes.len() {
                if bytes[i..i + from.len()] == from[..] {
                    bytes[i..i + from.len()].copy_from_slice(&to);
                    i += from.len();
                } else {
                    i += 1;
                }
            }
        }
        bytes
    }

    fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(s).0.into_owned()
    }

    fn walk(bytes: Vec<u8>, limits: &Limits) -> (ZipListing, Vec<Member>) {
        let mut got = Vec::new();
        let l = for_each_member(Cursor::new(bytes), limits, &mut |m| got.push(m)).unwrap();
        (l, got)
    }

    #[test]
    fn gbk_names_without_utf8_flag_are_decoded() {
        // GBK 通知 = CD A8 D6 AA: also valid UTF-8 (֪ͨ), the hard case.
        let name = gbk("通知.txt");
        assert!(std::str::from_utf8(&name).is_ok());
        let zip = build(&[(&name, "关于召开年度工作会议的通知".as_bytes(), true)]);
        // The zip crate alone would show CP437 mojibake.
        let z = ZipArchive::new(Cursor::new(zip.clone())).unwrap();
        assert_ne!(z.name_for_index(0).unwrap().unwrap(), "通知.txt");
        let (l, got) = walk(zip, &Limits::default());
        assert_eq!(l.names, ["通知.txt"]);
        assert_eq!(got[0].name, "通知.txt");
        assert_eq!(got[0].format, Format::Text);
        assert!(
            got[0]
                .result
                .as_ref()
                .unwrap()
                .text
                .contains("年度工作会议")
        );
        assert_eq!(got[0].hash.len(), 32);
    }

    #[test]
    fn decode_name_rules() {
        assert_eq!(decode_name(&gbk("附件/表格.xlsx"), false), "附件/表格.xlsx");
        assert_eq!(
            decode_name(&gbk("关于印发通知的通知.md"), false),
            "关于印发通知的通知.md"
        );
        assert_eq!(decode_name("附件.md".as_bytes(), false), "附件.md");
        assert_eq!(decode_name("附件.md".as_bytes(), true), "附件.md");
        // With the flag, UTF-8 even when it would also be GBK.
        assert_eq!(decode_name("֪ͨ.txt".as_bytes(), true), "֪ͨ.txt");
        // GB18030 four-byte sequence (U+20000 𠀀).
        let (b, _, _) = encoding_rs::GB18030.encode("𠀀.txt");
        assert_eq!(decode_name(&b, false), "𠀀.txt");
        // Not decodable as GB18030 either: lossy, never a panic.
        assert_eq!(decode_name(b"\x81.txt", false), "\u{fffd}.txt");
    }

    #[test]
    fn ratio_cap_refuses_the_bomb_and_keeps_the_rest() {
        let zeros = vec![0u8; 4 << 20];
        let zip = build(&[
            (b"bomb.txt", &zeros, true),
            (b"ok.txt", "正常文件内容".as_bytes(), true),
        ]);
        // A 4 MiB member: under the default 16 MiB threshold, so lower it.
        let strict = Limits {
            zip_ratio_min_bytes: 1 << 20,
            ..Limits::default()
        };
        let (l, got) = walk(zip, &strict);
        assert_eq!(l.members, 2);
        let bomb = got[0].result.as_ref().unwrap_err().to_string();
        assert!(bomb.contains("zip bomb suspected: ratio"), "{bomb}");
        assert_eq!(got[0].size, 0, "refused from the header, nothing read");
        assert!(got[1].result.as_ref().unwrap().text.contains("正常文件"));
        // A looser ratio lets it through (then it is a text of NULs: binary).
        let loose = Limits {
            max_zip_ratio: 1_000_000,
            ..Limits::default()
        };
        let zip = build(&[(b"zeros.txt", &zeros, true)]);
        let (l, got) = walk(zip, &loose);
        assert_eq!(got[0].size, 4 << 20);
        assert_eq!(l.bytes_read, 4 << 20);
    }

    #[test]
    fn read_checks_actual_bytes_not_the_header() {
        // The reader's own budget stops a stream that decompresses past the
        // ratio, whatever the header declared.
        let zeros = vec![0u8; 3 << 20];
        let mut enc = Vec::new();
        {
            let mut w = zip::ZipWriter::new(Cursor::new(&mut enc));
            w.start_file("z.txt", SimpleFileOptions::default()).unwrap();
            w.write_all(&zeros).unwrap();
            w.finish().unwrap();
        }
        let mut z = ZipArchive::new(Cursor::new(enc)).unwrap();
        let f = z.by_index(0).unwrap();
        let strict = Limits {
            zip_ratio_min_bytes: 1 << 20,
            ..Limits::default()
        };
        let r = read_member(f, 1000, u64::MAX, &strict);
        match r {
            Err(Refusal::Member(e)) => assert!(e.to_string().contains("zip bomb"), "{e}"),
            _ => panic!("not refused"),
        }
    }

    #[test]
    fn member_and_total_caps() {
        let a = "甲".repeat(1000);
        let zip = build(&[
            (b"a.txt", a.as_bytes(), false),
            (b"b.txt", a.as_bytes(), false),
            (b"c.txt", a.as_bytes(), false),
        ]);
        let small = Limits {
            max_zip_member_bytes: 2000,
            ..Limits::default()
        };
        let (_, got) = walk(zip.clone(), &small);
        assert!(got.iter().all(|m| m.result.is_err()));
        assert!(
            got[0]
                .result
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("max_zip_member_bytes 2000")
        );
        let total = Limits {
            max_zip_total_bytes: 5000,
            ..Limits::default()
        };
        let (l, got) = walk(zip, &total);
        assert!(l.stopped);
        assert!(got[0].result.is_ok());
        let e1 = got[1].result.as_ref().unwrap_err().to_string();
        assert!(e1.contains("max_zip_total_bytes 5000"), "{e1}");
        let e2 = got[2].result.as_ref().unwrap_err().to_string();
        assert!(e2.contains("not read"), "{e2}");
    }

    #[test]
    fn nested_zips_to_the_depth_cap() {
        let inner3 = build(&[(b"d.txt", "第四层".as_bytes(), true)]);
        let inner2 = build(&[
            (b"c.zip", &inner3, true),
            (b"c.txt", "第三层".as_bytes(), true),
        ]);
        let inner1 = build(&[
            (&gbk("附件.zip"), &inner2, true),
            (b"b.md", "# 第二层".as_bytes(), true),
        ]);
        let outer = build(&[
            (b"a.txt", "第一层".as_bytes(), true),
            (b"in.zip", &inner1, false),
        ]);
        let (l, got) = walk(outer, &Limits::default());
        let names: Vec<&str> = got.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "a.txt",
                "in.zip!/附件.zip!/c.zip",
                "in.zip!/附件.zip!/c.txt",
                "in.zip!/b.md"
            ]
        );
        let deep = got[1].result.as_ref().unwrap_err().to_string();
        assert!(deep.contains("max_zip_depth 3"), "{deep}");
        assert!(got[2].result.as_ref().unwrap().text.contains("第三层"));
        assert!(l.names.contains(&"in.zip!/附件.zip".to_string()));
    }

    #[test]
    fn not_a_zip_is_refused_and_members_over_the_cap_are_counted() {
        let e = for_each_member(
            Cursor::new(b"not a zip at all".to_vec()),
            &Limits::default(),
            &mut |_| {},
        )
        .unwrap_err();
        assert!(
            matches!(e, ExtractError::BadZip { format: "zip", .. }),
            "{e}"
        );
        let zip = build(&[(b"a.txt", b"x", false), (b"b.txt", b"y", false)]);
        let one = Limits {
            max_zip_members: 1,
            ..Limits::default()
        };
        let mut seen = Vec::new();
        let l =
            for_each_member(Cursor::new(zip.clone()), &one, &mut |m| seen.push(m.name)).unwrap();
        assert_eq!(seen, ["a.txt"]);
        assert_eq!(l.not_read, 1);
        let x = list_names(&zip, &Limits::default()).unwrap();
        assert_eq!(x.text, "a.txt\nb.txt");
    }
}
