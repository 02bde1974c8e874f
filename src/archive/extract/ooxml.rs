//! Shared zip + XML plumbing for the zip-based formats read by `ofd`,
//! `xlsx` and `pptx`, and the `.wps`/`.et`/`.dps` sniffer.
//!
//! [`Package`] opens a zip with the caps of [`Limits`]: the member count is
//! checked against [`Limits::max_zip_members`] and each member is read
//! through [`Read::take`] with [`Limits::max_zip_member_bytes`] after its
//! declared size was checked, so zip bombs fail fast with
//! [`ExtractError::TooLarge`] (the same rules as `docx`). Member names are
//! looked up exactly first, then case-insensitively and with `\` read as `/`
//! (OFD writers differ).
//!
//! WPS Office writes `.wps`/`.et`/`.dps` either as OOXML (a zip with
//! `[Content_Types].xml`, then read as .docx/.xlsx/.pptx by its main part) or
//! in its legacy binary (OLE) format, which is refused with a clear error.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, Event};
use zip::ZipArchive;
use zip::result::ZipError;

use super::{ExtractError, Extracted, Limits};

/// Initial buffer for a member; the declared size may lie, so grow from here.
const INITIAL_MEMBER_CAPACITY: u64 = 16 << 20;

/// A zip container opened with the caps of [`Limits`].
pub(super) struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Every member name, in central-directory order.
    pub names: Vec<String>,
    format: &'static str,
    cap: u64,
}

impl<'a> Package<'a> {
    /// Open `bytes` as a zip of format `format` (used in error messages).
    ///
    /// # Errors
    /// [`ExtractError::BadZip`] when it is not a zip,
    /// [`ExtractError::TooLarge`] over [`Limits::max_zip_members`].
    pub(super) fn open(
        bytes: &'a [u8],
        format: &'static str,
        limits: &Limits,
    ) -> Result<Self, ExtractError> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad_zip(format, e))?;
        if zip.len() > limits.max_zip_members {
            return Err(ExtractError::TooLarge(format!(
                "{} 个 zip 成员 / zip members > max_zip_members {}",
                zip.len(),
                limits.max_zip_members
            )));
        }
        let names = zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect();
        Ok(Package {
            zip,
            names,
            format,
            cap: limits.max_zip_member_bytes,
        })
    }

    /// The stored name of member `name`: exact, else ignoring ASCII case and
    /// reading `\` as `/`. A leading `/` is ignored.
    pub(super) fn resolve(&self, name: &str) -> Option<String> {
        let name = name.trim_start_matches('/');
        if let Some(n) = self.names.iter().find(|n| *n == name) {
            return Some(n.clone());
        }
        let want = name.replace('\\', "/");
        self.names
            .iter()
            .find(|n| n.replace('\\', "/").eq_ignore_ascii_case(&want))
            .cloned()
    }

    /// Read member `name` (resolved by [`Package::resolve`]) whole, capped
    /// by [`Limits::max_zip_member_bytes`]. `Ok(None)` when absent.
    ///
    /// # Errors
    /// [`ExtractError::TooLarge`] over the cap, [`ExtractError::BadZip`] when
    /// the member cannot be inflated.
    pub(super) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ExtractError> {
        let Some(stored) = self.resolve(name) else {
            return Ok(None);
        };
        let (cap, format) = (self.cap, self.format);
        let member = match self.zip.by_name(&stored) {
            Ok(f) => f,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(bad_zip(format, e)),
        };
        let too_large = |size: String| {
            ExtractError::TooLarge(format!(
                "{stored} 解压后 {size} 字节 / uncompressed {size} bytes > max_zip_member_bytes {cap}"
            ))
        };
        if member.size() > cap {
            return Err(too_large(member.size().to_string()));
        }
        let mut buf =
            Vec::with_capacity(member.size().min(cap).min(INITIAL_MEMBER_CAPACITY) as usize);
        member
            .take(cap.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| ExtractError::BadZip {
                format,
                reason: format!("{stored}: {e}"),
            })?;
        if buf.len() as u64 > cap {
            return Err(too_large(format!("> {cap}")));
        }
        Ok(Some(buf))
    }

    /// Non-empty `dc:title` of `docProps/core.xml`, if any (a malformed
    /// core.xml just yields no title).
    pub(super) fn core_title(&mut self) -> Result<Option<String>, ExtractError> {
        let Some(xml) = self.read("docProps/core.xml")? else {
            return Ok(None);
        };
        let mut reader = Reader::from_reader(&xml[..]);
        let mut inside = false;
        let mut title = String::new();
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) if e.local_name().as_ref() == "title" => inside = true,
                Ok(Event::End(e)) if e.local_name().as_ref() == "title" => break,
                Ok(Event::Text(t)) if inside => title.push_str(&t.xml10_content()),
                Ok(Event::CData(t)) if inside => title.push_str(&t.xml10_content()),
                Ok(Event::GeneralRef(r)) if inside => title.extend(resolve_ref(&r)),
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        Ok(super::clean_title(&title))
    }

    /// Relationships of the part `part` (from `<dir>/_rels/<file>.rels`,
    /// ECMA-376 Part 2 §9.3): `Id` and target, with the target resolved
    /// to a member path (relative to the part's folder, or absolute with a
    /// leading `/`). External targets are skipped.
    pub(super) fn rels(&mut self, part: &str) -> Result<Vec<Rel>, ExtractError> {
        let (dir, file) = match part.rfind('/') {
            Some(i) => (&part[..i], &part[i + 1..]),
            None => ("", part),
        };
        let rels_name = if dir.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{dir}/_rels/{file}.rels")
        };
        let Some(xml) = self.read(&rels_name)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let mut reader = Reader::from_reader(&xml[..]);
        loop {
            match reader.read_event().map_err(|e| bad_xml(&rels_name, e))? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                    let (id, target, external) = (
                        attr(&e, "Id"),
                        attr(&e, "Target"),
                        attr(&e, "TargetMode").is_some_and(|m| m == "External"),
                    );
                    if let (Some(id), Some(target)) = (id, target)
                        && !external
                    {
                        out.push(Rel {
                            id,
                            target: join_path(dir, &target),
                        });
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(out)
    }
}

/// One relationship of an OOXML part.
pub(super) struct Rel {
    /// `Id`, e.g. `rId1`.
    pub id: String,
    /// Target as a member path.
    pub target: String,
}

/// `target` resolved against folder `dir` (no trailing `/`): a leading `/`
/// makes it absolute; `.` and `..` segments are folded, `\` read as `/`.
///
/// ```text
/// join_path("Doc_0", "Pages/P/Content.xml") == "Doc_0/Pages/P/Content.xml"
/// join_path("Doc_0", "/Doc_0/x.xml")        == "Doc_0/x.xml"
/// join_path("xl", "../docProps/app.xml")    == "docProps/app.xml"
/// ```
pub(super) fn join_path(dir: &str, target: &str) -> String {
    let target = target.trim().replace('\\', "/");
    let mut parts: Vec<&str> = Vec::new();
    let rest = match target.strip_prefix('/') {
        Some(abs) => abs,
        None => {
            parts.extend(dir.split('/').filter(|s| !s.is_empty()));
            &target
        }
    };
    for seg in rest.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The folder of member `path` (`""` at the root).
pub(super) fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Unescaped value of attribute `name` (matched on its local name, so any
/// namespace prefix, or none, is accepted).
pub(super) fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| match quick_xml::escape::unescape(&a.value) {
            Ok(v) => v.into_owned(),
            Err(_) => a.value.clone().into_owned(),
        })
}

/// The relationship id of `e`: its prefixed `r:id` attribute (any
/// prefix), never a plain `id` such as `sldId/@id`.
pub(super) fn rel_id(e: &quick_xml::events::BytesStart<'_>) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.prefix().is_some() && a.key.local_name().as_ref() == "id")
        .map(|a| a.value.into_owned())
}

/// Character of an entity or character reference (`amp`, `#x4E2D`, …).
pub(super) fn resolve_ref(r: &BytesRef<'_>) -> Option<char> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c);
    }
    match r.xml10_content().as_ref() {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// [`ExtractError::BadZip`] for format `format`.
pub(super) fn bad_zip(format: &'static str, e: ZipError) -> ExtractError {
    ExtractError::BadZip {
        format,
        reason: e.to_string(),
    }
}

/// [`ExtractError::BadXml`] naming the zip member.
pub(super) fn bad_xml(part: &str, e: impl std::fmt::Display) -> ExtractError {
    ExtractError::BadXml {
        part: part.to_string(),
        reason: e.to_string(),
    }
}

/// Magic of OLE2 compound files (legacy .doc/.xls/.ppt and binary WPS).
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The message for legacy binary WPS files.
pub(super) const LEGACY_WPS: &str =
    "旧版 WPS 二进制格式暂不支持 / legacy binary WPS format not supported";

/// Extract a `.wps`/`.et`/`.dps` file: when it is OOXML (a zip with
/// `[Content_Types].xml`) it is read as .docx, .xlsx or .pptx by the folder
/// of its main part (`word/`, `xl/`, `ppt/`); [`Extracted::format`] then
/// says which.
///
/// # Errors
/// [`ExtractError::Invalid`] with [`LEGACY_WPS`] for the legacy binary
/// (OLE2) format or any other non-OOXML content; else as the OOXML format.
pub(super) fn extract_wps(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let legacy = || ExtractError::Invalid {
        format: "wps",
        reason: LEGACY_WPS.to_string(),
    };
    if bytes.starts_with(&OLE_MAGIC) || !bytes.starts_with(b"PK") {
        return Err(legacy());
    }
    let pkg = Package::open(bytes, "wps", limits)?;
    if pkg.resolve("[Content_Types].xml").is_none() {
        return Err(legacy());
    }
    let has = |prefix: &str| pkg.names.iter().any(|n| n.starts_with(prefix));
    if has("word/") {
        super::docx::extract(bytes, limits)
    } else if has("xl/") {
        super::xlsx::extract(bytes, limits)
    } else if has("ppt/") {
        super::pptx::extract(bytes, limits)
    } else {
        Err(ExtractError::Invalid {
            format: "wps",
            reason: "OOXML 包中没有 word/、xl/ 或 ppt/ / OOXML package without word/, xl/ or ppt/"
                .into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_paths() {
        assert_eq!(
            join_path("Doc_0", "Pages/P/Content.xml"),
            "Doc_0/Pages/P/Content.xml"
        );
        assert_eq!(join_path("Doc_0", "/Doc_0/x.xml"), "Doc_0/x.xml");
        assert_eq!(join_path("xl", "../docProps/app.xml"), "docProps/app.xml");
        assert_eq!(join_path("", "./a b/c.xml"), "a b/c.xml");
        assert_eq!(
            join_path("D", "Tpls\\T 0\\Content.xml"),
            "D/Tpls/T 0/Content.xml"
        );
    }

    #[test]
    fn legacy_wps_refused() {
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend_from_slice(&[0; 100]);
        let e = extract_wps(&ole, &Limits::default()).unwrap_err();
        assert!(e.to_string().contains(LEGACY_WPS), "{e}");
    }
}
