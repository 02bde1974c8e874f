//! Plain text (.txt) and the byte → `String` decoding shared by the text-like
//! formats (Markdown, HTML).
//!
//! Decoding order: byte-order mark (UTF-8, UTF-16LE/BE) → strict UTF-8 →
//! "UTF-8 with a few bad bytes" (lossy) → mixed (invalid UTF-8 that still
//! holds much UTF-8 Chinese — a badly damaged file, or GBK and UTF-8 files
//! concatenated — decoded stretch by stretch as UTF-8 or GB18030, reported
//! as `"UTF-8+GBK"`) → BOM-less UTF-16 by its NUL pattern
//! → chardetng's guess (UTF-8 allowed), decoded with encoding_rs. The GBK
//! family is decoded as GB18030 (its superset; WHATWG Encoding §10) and
//! reported as `"GB18030"` only when four-byte sequences occur.
//!
//! ```
//! use gongwen::archive::extract::{extract_bytes, Format, Limits};
//! // "政府工作报告" in GBK
//! let gbk = b"\xd5\xfe\xb8\xae\xb9\xa4\xd7\xf7\xb1\xa8\xb8\xe6\n";
//! let got = extract_bytes(gbk, Format::Text, &Limits::default())?;
//! assert_eq!(got.text.trim(), "政府工作报告");
//! assert_eq!(got.quality.encoding.as_deref(), Some("GBK"));
//! # Ok::<(), gongwen::archive::extract::ExtractError>(())
//! ```

use encoding_rs::{
    BIG5, EUC_JP, EUC_KR, Encoding, GB18030, GBK, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE,
};

use super::{
    Confidence, ExtractError, Extracted, Format, MIN_CHECKED_NON_ASCII, Quality, add_note,
    first_line_title,
};

/// Bytes looked at to tell text from binary.
const SNIFF_BYTES: usize = 8 << 10;
/// Bytes fed to chardetng (its guess settles long before this).
const DETECT_BYTES: usize = 1 << 20;

/// Decoded text with what was learnt on the way.
pub(super) struct Decoded {
    pub text: String,
    pub quality: Quality,
}

/// Extract a .txt file: decode, title = first non-empty line.
pub(super) fn extract(bytes: &[u8], truncated: bool) -> Result<Extracted, ExtractError> {
    let d = decode(bytes, truncated, None)?;
    if d.text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(Extracted {
        title: first_line_title(&d.text),
        text: d.text,
        front_matter: None,
        format: Format::Text,
        quality: d.quality,
    })
}

/// Decode `bytes` to text. `truncated`: the bytes are a prefix of the file,
/// so an incomplete trailing character is dropped rather than replaced.
/// `declared`: an encoding named inside the document (HTML meta charset),
/// used after the BOM and before detection.
///
/// Errors: [`ExtractError::Empty`] for no bytes, [`ExtractError::Binary`]
/// when the bytes are not text.
pub(super) fn decode(
    bytes: &[u8],
    truncated: bool,
    declared: Option<&'static Encoding>,
) -> Result<Decoded, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let mut quality = Quality::default();
    let mut valid: Option<&str> = None;
    let (encoding, body, how) = if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        (enc, &bytes[bom_len..], How::Bom)
    } else if let Some(enc) = utf16_sniff(bytes) {
        (enc, bytes, How::Utf16Nuls)
    } else {
        // Text padded with NULs at the end (a fixed-size record, a file
        // preallocated by a copy tool) is judged without the padding; the
        // NULs are dropped below.
        let unpadded = &bytes[..bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1)];
        if unpadded.is_empty() || looks_binary(&unpadded[..unpadded.len().min(SNIFF_BYTES)]) {
            return Err(ExtractError::Binary);
        }
        let (enc, how) = match declared {
            Some(enc) if enc != UTF_16LE && enc != UTF_16BE => (enc, How::Declared),
            // Valid UTF-8, most files: validated once, here.
            _ => match simdutf8::basic::from_utf8(bytes) {
                Ok(s) => {
                    valid = Some(s);
                    (UTF_8, How::Utf8)
                }
                Err(_) => detect(bytes, truncated),
            },
        };
        (enc, bytes, how)
    };
    let encoding = if encoding == GBK { GB18030 } else { encoding };
    let mixed = how == How::Mixed;
    let mut text = if mixed {
        decode_mixed(body)
    } else if let Some(s) = valid {
        // Checked above: no second validation, no decoder.
        s.to_owned()
    } else {
        decode_with(encoding, body, truncated)
    };
    quality.encoding = Some(if mixed {
        "UTF-8+GBK".to_string()
    } else {
        encoding_label(encoding, body)
    });

    // NUL is the byte 0 and the byte 0 is only NUL: count bytes.
    let nuls = memchr::memchr_iter(0, text.as_bytes()).count();
    if nuls > 0 {
        text.retain(|c| c != '\0');
        add_note(
            &mut quality,
            format!("删除了 {nuls} 个 NUL / dropped {nuls} NUL characters"),
        );
    }
    // U+FFFD are counted into `quality` by the caller (`extract::dispatch`)
    // over the final text; here they decide binary-or-text and confidence.
    // Byte searches, not a character loop: this runs over every text file.
    // Valid UTF-8 has no invalid sequence (a literal U+FFFD in it is noise
    // that `Quality::measure` counts); others are searched for U+FFFD.
    let bad = if how == How::Utf8 {
        0
    } else {
        memchr::memmem::find_iter(text.as_bytes(), "\u{FFFD}".as_bytes()).count()
    };
    let non_ascii = if how == How::Detected {
        // Characters that are neither ASCII nor U+FFFD: their lead bytes.
        let leads = text.bytes().filter(|&b| b >= 0xC0).count();
        leads - bad
    } else {
        0 // not used by `confidence` for the other ways
    };
    quality.encoding_confidence = Some(how.confidence(encoding, bad, non_ascii));
    if bad > 0 {
        let total = text.chars().filter(|c| !c.is_whitespace()).count().max(1);
        // Mixed text holds real UTF-8 Chinese, and lossy UTF-8 has four
        // valid characters per bad sequence (a short note with one damaged
        // character has more than 10 % U+FFFD): index them with their
        // U+FFFD (status "garbled") rather than refuse them — grep finds
        // their words.
        if bad * 10 > total && !mixed && how != How::Utf8Lossy {
            return Err(ExtractError::Binary);
        }
        add_note(
            &mut quality,
            format!("{bad} 处无效字节 / {bad} invalid byte sequences replaced"),
        );
    }
    Ok(Decoded { text, quality })
}

/// How the encoding was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum How {
    /// Byte-order mark.
    Bom,
    /// BOM-less UTF-16 by its NUL pattern.
    Utf16Nuls,
    /// Named in the document (HTML meta charset).
    Declared,
    /// Valid UTF-8 throughout (or pure ASCII).
    Utf8,
    /// UTF-8 with a few invalid sequences.
    Utf8Lossy,
    /// chardetng's guess.
    Detected,
    /// Invalid UTF-8 that nevertheless holds much UTF-8 Chinese: decoded
    /// line by line ([`decode_mixed`]).
    Mixed,
}

impl How {
    /// The [`Confidence`] of an encoding chosen this way, given the U+FFFD
    /// (`bad`) and other non-ASCII characters the decoding produced. The
    /// rules are those documented on [`Confidence`].
    fn confidence(self, encoding: &'static Encoding, bad: usize, non_ascii: usize) -> Confidence {
        match self {
            How::Bom | How::Utf8 => Confidence::Certain,
            How::Utf16Nuls | How::Utf8Lossy => Confidence::High,
            How::Declared if bad == 0 => Confidence::High,
            How::Declared => Confidence::Low,
            How::Detected
                if bad == 0 && non_ascii >= MIN_CHECKED_NON_ASCII && is_multi_byte(encoding) =>
            {
                Confidence::High
            }
            How::Detected | How::Mixed => Confidence::Low,
        }
    }
}

/// Encodings whose byte sequences are constrained enough that a clean
/// decoding of many characters is evidence (single-byte encodings decode
/// any bytes).
fn is_multi_byte(encoding: &'static Encoding) -> bool {
    [GBK, GB18030, BIG5, SHIFT_JIS, EUC_JP, EUC_KR, UTF_8].contains(&encoding)
}

/// Decode without BOM handling (the BOM, if any, was already cut off).
/// With `truncated`, an incomplete sequence at the very end is dropped.
fn decode_with(encoding: &'static Encoding, body: &[u8], truncated: bool) -> String {
    if !truncated {
        return encoding.decode_without_bom_handling(body).0.into_owned();
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length(body.len())
        .unwrap_or(body.len().saturating_mul(3));
    let mut out = String::with_capacity(cap);
    let _ = decoder.decode_to_string(body, &mut out, false);
    out
}

/// Name to report for `encoding`: WHATWG names, except that the GBK family
/// is `"GBK"` unless GB18030 four-byte sequences occur in `body`.
fn encoding_label(encoding: &'static Encoding, body: &[u8]) -> String {
    if encoding == GB18030 || encoding == GBK {
        return if has_gb18030_four_byte(body) {
            "GB18030"
        } else {
            "GBK"
        }
        .to_string();
    }
    encoding.name().to_string()
}

/// Whether a GB18030 four-byte sequence (lead 0x81–0xFE, then 0x30–0x39;
/// GB 18030-2005 §6.3) occurs.
fn has_gb18030_four_byte(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        if b[i] < 0x80 {
            i += 1;
        } else if i + 1 < b.len() && (0x30..=0x39).contains(&b[i + 1]) && b[i] >= 0x81 {
            return true;
        } else {
            i += 2;
        }
    }
    false
}

/// Byte classes for the sniffing passes, one table lookup per byte.
const B_NUL: u8 = 1;
/// Control bytes that do not occur in text (tab, LF, VT, FF, CR and ESC do).
const B_CTRL: u8 = 2;
/// A high byte of a UTF-16 code unit of Chinese text: a CJK ideograph
/// (0x4E–0x9F), CJK punctuation (0x30), a full-width form (0xFF) or ASCII
/// (0x00).
const B_CJK_HIGH: u8 = 4;
/// The high byte of a CJK ideograph (0x4E–0x9F).
const B_HAN_HIGH: u8 = 8;

static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let mut c = 0;
        if b == 0 {
            c |= B_NUL | B_CJK_HIGH;
        }
        if matches!(b, 0x01..=0x08 | 0x0E..=0x1A | 0x1C..=0x1F | 0x7F) {
            c |= B_CTRL;
        }
        if matches!(b, 0x4E..=0x9F) {
            c |= B_CJK_HIGH | B_HAN_HIGH;
        }
        if matches!(b, 0x30 | 0xFF) {
            c |= B_CJK_HIGH;
        }
        t[b] = c;
        b += 1;
    }
    t
};

/// BOM-less UTF-16, judged on the first [`SNIFF_BYTES`] in one pass:
///
/// - mostly-ASCII text: at least a quarter NULs, nearly all at odd (LE) or
///   even (BE) offsets;
/// - Chinese text, which has too few NUL bytes for that: at least 8 code
///   units, and in nine of ten of them the high byte is that of a CJK
///   ideograph, CJK punctuation, a full-width form or ASCII
///   ([`B_CJK_HIGH`]), in at least a quarter that of an ideograph. UTF-8
///   and GBK text almost never look like this (their bytes at every second
///   offset are lead and continuation bytes 0x80–0xFE).
fn utf16_sniff(bytes: &[u8]) -> Option<&'static Encoding> {
    let s = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if s.len() < 4 {
        return None;
    }
    // Per offset parity: NULs, CJK high bytes, ideograph high bytes.
    let (mut nul, mut cjk, mut han) = ([0usize; 2], [0usize; 2], [0usize; 2]);
    let pairs = s.chunks_exact(2);
    if let [last] = pairs.remainder() {
        nul[0] += usize::from(*last == 0);
    }
    for u in pairs {
        for k in 0..2 {
            let c = BYTE_CLASS[usize::from(u[k])];
            nul[k] += usize::from(c & B_NUL != 0);
            cjk[k] += usize::from(c & B_CJK_HIGH != 0);
            han[k] += usize::from(c & B_HAN_HIGH != 0);
        }
    }
    let nuls = nul[0] + nul[1];
    if nuls * 4 >= s.len() {
        if nul[1] * 10 >= nuls * 9 {
            return Some(UTF_16LE);
        } else if nul[0] * 10 >= nuls * 9 {
            return Some(UTF_16BE);
        }
    }
    let units = s.len() / 2;
    if units < 8 {
        return None;
    }
    // LE: the high byte is the second of each unit; BE: the first.
    [(UTF_16LE, 1), (UTF_16BE, 0)]
        .into_iter()
        .find(|&(_, k)| cjk[k] * 10 >= units * 9 && han[k] * 4 >= units)
        .map(|(enc, _)| enc)
}

/// Binary data: more than 10 % NUL bytes, or more than 5 % NUL and other
/// control bytes (tab, LF, VT, FF, CR and ESC count as text).
fn looks_binary(sample: &[u8]) -> bool {
    let (mut nul, mut ctrl) = (0usize, 0usize);
    for &b in sample {
        let c = BYTE_CLASS[usize::from(b)];
        nul += usize::from(c & B_NUL != 0);
        ctrl += usize::from(c & B_CTRL != 0);
    }
    nul * 10 > sample.len() || (nul + ctrl) * 20 > sample.len()
}

/// Pick the encoding of BOM-less bytes: strict UTF-8, else UTF-8 when there
/// are at least 4 valid non-ASCII characters per invalid sequence (a few bad
/// bytes in a good file; GBK text read as UTF-8 has several invalid
/// sequences per accidental valid one), else chardetng with UTF-8 allowed.
fn detect(bytes: &[u8], truncated: bool) -> (&'static Encoding, How) {
    let (errors, good) = utf8_errors(bytes, truncated);
    if errors == 0 {
        return (UTF_8, How::Utf8);
    }
    if good >= 4 && errors * 4 <= good {
        // A few bad bytes in a good file — unless they are a GBK line in a
        // short UTF-8 file (a GBK heading above a UTF-8 note): then each
        // stretch is decoded in its own encoding, or grep finds the heading
        // and the index does not.
        if is_mixed(bytes) && longest_gbk_like_run(bytes) >= GBK_RUN {
            return (UTF_8, How::Mixed);
        }
        return (UTF_8, How::Utf8Lossy);
    }
    if is_mixed(bytes) {
        return (UTF_8, How::Mixed);
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let n = bytes.len().min(DETECT_BYTES);
    det.feed(&bytes[..n], n == bytes.len() && !truncated);
    let guess = det.guess(None, chardetng::Utf8Detection::Allow);
    let gbk =
        guess == GBK || guess == GB18030 || (!is_multi_byte(guess) && reads_as_gbk(&bytes[..n]));
    if !gbk {
        return (guess, How::Detected);
    }
    // A GBK file with a short UTF-8 line in it (`echo 备注 >> 通知.txt` on a
    // UTF-8 system) is too little UTF-8 for `is_mixed`; decoded as GBK the line
    // becomes mojibake that grep finds and the index does not. Two UTF-8 CJK
    // or full-width characters in a row do not occur in GBK text by chance:
    // not once in the 1.1 MB of GBK/GB18030 reports of ../shared (single
    // ones: about one in 200 characters). A single added character stays
    // unseen.
    if longest_utf8_cjk_run(bytes) >= UTF8_CJK_RUN {
        return (UTF_8, How::Mixed);
    }
    (GB18030, How::Detected)
}

/// UTF-8 CJK characters in a row that tell a UTF-8 stretch inside GBK text.
const UTF8_CJK_RUN: usize = 2;

/// The longest run of consecutive [`is_utf8_wide`] characters in the valid
/// UTF-8 stretches of `bytes`.
fn longest_utf8_cjk_run(bytes: &[u8]) -> usize {
    let (mut run, mut best) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if is_utf8_wide(c) {
                run += 1;
                best = best.max(run);
            } else {
                run = 0;
            }
        }
        run = 0;
    }
    best
}

/// Whether `bytes` read as GB18030 give Chinese: at least one ideograph,
/// ideographs at least half of the non-ASCII characters, and at most one
/// U+FFFD per 20 ideographs. chardetng drops GBK at the first invalid
/// sequence (one damaged byte, a file cut mid-character) and at a few
/// characters (`函`), and then picks a single-byte encoding — windows-1252,
/// KOI8 — that turns every Chinese word into Latin noise. In an archive of
/// Chinese documents GBK with a few bad bytes is the better reading.
fn reads_as_gbk(bytes: &[u8]) -> bool {
    let text = GB18030.decode_without_bom_handling(bytes).0;
    let (mut han, mut bad, mut other) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        match c {
            '\u{4E00}'..='\u{9FFF}' => han += 1,
            '\u{FFFD}' => bad += 1,
            c if !c.is_ascii() => other += 1,
            _ => {}
        }
    }
    han >= 1 && han >= other && bad * 20 <= han
}

/// (UTF-8 encoded CJK characters U+3000–U+9FFF, bytes ≥ 0x80) in the valid
/// UTF-8 stretches of `bytes`. Each such character is a three-byte sequence
/// with lead byte 0xE3–0xE9; GBK text forms one only by chance (a lead byte
/// 0xE3–0xE9 followed by two bytes 0x80–0xBF: well under 1 % of GBK
/// characters).
fn utf8_cjk(bytes: &[u8]) -> (usize, usize) {
    let high = bytes.iter().filter(|&&b| b >= 0x80).count();
    let mut cjk = 0;
    for chunk in bytes.utf8_chunks() {
        cjk += chunk.valid().chars().filter(|&c| is_utf8_cjk(c)).count();
    }
    (cjk, high)
}

/// CJK symbols, kana and ideographs U+3000–U+9FFF: three-byte UTF-8
/// sequences with lead byte 0xE3–0xE9, the evidence of UTF-8 Chinese used by
/// [`is_mixed`] and [`decode_mixed`].
fn is_utf8_cjk(c: char) -> bool {
    ('\u{3000}'..='\u{9FFF}').contains(&c)
}

/// [`is_utf8_cjk`] or a full-width form (U+FF00–U+FFEF: `：（）ＡＢ`): the
/// characters of a UTF-8 stretch of Chinese text, three bytes each.
fn is_utf8_wide(c: char) -> bool {
    is_utf8_cjk(c) || ('\u{FF00}'..='\u{FFEF}').contains(&c)
}

/// Invalid UTF-8 in which valid UTF-8 CJK characters still make up at least
/// a tenth of the non-ASCII bytes (and at least 8 of them): a UTF-8 file
/// with corrupted bytes, or UTF-8 and GBK lines mixed in one file (two
/// files concatenated). chardetng would pick one single-byte or GBK
/// decoding for all of it and turn the UTF-8 part into mojibake.
fn is_mixed(bytes: &[u8]) -> bool {
    let (cjk, high) = utf8_cjk(bytes);
    cjk >= 8 && cjk * 3 * 10 >= high
}

/// Bytes ≥ 0x80 in a row, outside valid UTF-8 CJK, from which a damaged
/// UTF-8 file is told from one holding a GBK stretch: 3 GBK characters.
const GBK_RUN: usize = 6;

/// The longest run of consecutive bytes that are invalid UTF-8, two-byte
/// UTF-8 characters (U+0080–U+07FF) or characters of the unassigned planes
/// 4–13, which GBK bytes read as UTF-8 form by chance. GBK text gives one byte of run per byte; damage in UTF-8 text
/// gives 1–3 bytes between valid characters. ASCII and valid characters of
/// three or more bytes (CJK, punctuation such as `——`) end a run.
fn longest_gbk_like_run(bytes: &[u8]) -> usize {
    let (mut run, mut best) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.len_utf8() == 2 {
                run += 2;
            } else if ('\u{40000}'..='\u{DFFFF}').contains(&c) {
                // Planes 4–13 are unassigned: GBK bytes that happen to
                // form a four-byte sequence (`网格化管理` gives U+7BBF9).
                run += 4;
            } else {
                best = best.max(run);
                run = 0;
            }
        }
        run += chunk.invalid().len();
    }
    best.max(run)
}

/// Decode stretch by stretch. The bytes are cut into valid UTF-8 chunks and
/// the invalid bytes between them ([`slice::utf8_chunks`]). A chunk holding
/// at least two CJK characters (U+3000–U+9FFF) or full-width forms is UTF-8 text: its part from
/// the first such character on is kept as is, and up to 3 invalid bytes
/// between two such chunks become U+FFFD (damage inside UTF-8 text).
/// Everything else — GBK text, which forms only short accidental UTF-8
/// chunks — is collected and decoded as GB18030. Works without line breaks
/// (two files concatenated into one line).
fn decode_mixed(bytes: &[u8]) -> String {
    fn flush(gbk: &mut Vec<u8>, out: &mut String) {
        if !gbk.is_empty() {
            out.push_str(&GB18030.decode_without_bom_handling(gbk).0);
            gbk.clear();
        }
    }
    let mut out = String::with_capacity(bytes.len());
    let mut gbk: Vec<u8> = Vec::new();
    // Invalid bytes right after a UTF-8 chunk, not yet assigned, and the
    // number of invalid sequences among them.
    let mut pending: Vec<u8> = Vec::new();
    let mut pending_seqs = 0;
    for chunk in bytes.utf8_chunks() {
        let v = chunk.valid();
        if v.is_empty() && !pending.is_empty() && pending.len() + chunk.invalid().len() <= 8 {
            pending.extend_from_slice(chunk.invalid());
            pending_seqs += 1;
            continue;
        }
        let first = v
            .char_indices()
            .find(|&(_, c)| is_utf8_wide(c))
            .map(|(k, _)| k);
        let utf8 = first.is_some() && v.chars().filter(|&c| is_utf8_wide(c)).count() >= 2;
        if utf8 {
            let k = first.unwrap_or(0);
            let (head, tail) = v.split_at(k);
            if !pending.is_empty() && head.is_empty() && gbk.is_empty() {
                for _ in 0..pending_seqs {
                    out.push('\u{FFFD}');
                }
                pending.clear();
            } else {
                gbk.append(&mut pending);
                if head.bytes().any(|b| b >= 0x80) {
                    gbk.extend_from_slice(head.as_bytes());
                } else {
                    flush(&mut gbk, &mut out);
                    out.push_str(head);
                }
            }
            flush(&mut gbk, &mut out);
            out.push_str(tail);
            if chunk.invalid().len() <= 3 {
                pending.extend_from_slice(chunk.invalid());
                pending_seqs = usize::from(!chunk.invalid().is_empty());
            } else {
                gbk.extend_from_slice(chunk.invalid());
            }
        } else {
            gbk.append(&mut pending);
            gbk.extend_from_slice(v.as_bytes());
            gbk.extend_from_slice(chunk.invalid());
        }
    }
    gbk.append(&mut pending);
    flush(&mut gbk, &mut out);
    out
}

/// (invalid UTF-8 sequences, valid non-ASCII characters) in `bytes`. With
/// `truncated`, an incomplete sequence at the end is not an error.
fn utf8_errors(bytes: &[u8], truncated: bool) -> (usize, usize) {
    let (mut errors, mut good) = (0, 0);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                good += s.bytes().filter(|&b| b >= 0xC0).count();
                return (errors, good);
            }
            Err(e) => {
                let valid = e.valid_up_to();
                good += rest[..valid].iter().filter(|&&b| b >= 0xC0).count();
                match e.error_len() {
                    Some(n) => {
                        errors += 1;
                        rest = &rest[valid + n..];
                    }
                    None => {
                        if !truncated {
                            errors += 1;
                        }
                        return (errors, good);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A UTF-8 text with every 29th byte overwritten by 0xFF (a damaged
    /// copy): the intact words must survive decoding, as grep finds them.
    #[test]
    fn corrupted_utf8_keeps_its_intact_words() {
        let line = "各单位要认真落实档案整理工作，按时报送材料。\n";
        let mut b = line.repeat(20).into_bytes();
        for i in (5..b.len()).step_by(29) {
            if b[i] != b'\n' {
                b[i] = 0xFF;
            }
        }
        let d = decode(&b, false, None).unwrap();
        assert!(d.quality.encoding.as_deref().unwrap().starts_with("UTF-8"));
        assert!(d.text.contains('\u{FFFD}'));
        // Some copy of each word is intact in the bytes, so in the text.
        for w in ["认真落实", "档案整理", "按时报送"] {
            assert!(
                String::from_utf8_lossy(&b).contains(w) == d.text.contains(w),
                "{w}"
            );
        }
        assert!(d.text.contains("认真落实"));
        // Damage at every 8th byte: too much for "a few bad bytes", still
        // read as UTF-8 stretch by stretch, not as one guessed encoding.
        let mut b = line.repeat(20).into_bytes();
        for i in (5..b.len()).step_by(8) {
            if b[i] != b'\n' {
                b[i] = 0xFF;
            }
        }
        let d = decode(&b, false, None).unwrap();
        assert_eq!(d.quality.encoding.as_deref(), Some("UTF-8+GBK"));
        let lossy = String::from_utf8_lossy(&b);
        let kept: Vec<&str> = lossy
            .split('\u{FFFD}')
            .filter(|p| p.chars().count() >= 3)
            .collect();
        assert!(!kept.is_empty());
        for piece in kept {
            assert!(d.text.contains(piece), "{piece}");
        }
    }

    /// GBK lines followed by UTF-8 lines (two files concatenated): each
    /// half decoded in its own encoding, with or without line breaks.
    #[test]
    fn mixed_gbk_and_utf8_lines_are_both_readable() {
        let (gbk, _, _) = GBK.encode("前半部分是国标编码的通知正文内容\n");
        let mut b = gbk.repeat(5);
        b.extend("后半部分是统一码编码的报告正文内容\n".repeat(5).bytes());
        let d = decode(&b, false, None).unwrap();
        assert_eq!(d.quality.encoding.as_deref(), Some("UTF-8+GBK"));
        assert!(d.text.contains("前半部分是国标编码"), "{}", d.text);
        assert!(d.text.contains("后半部分是统一码编码"), "{}", d.text);
        assert!(!d.text.contains('\u{FFFD}'));
        // The same without any line break.
        let (gbk, _, _) = GBK.encode("前半部分是国标编码的通知正文内容。");
        let mut b = gbk.repeat(5);
        b.extend("后半部分是统一码编码的报告正文内容。".repeat(5).bytes());
        let d = decode(&b, false, None).unwrap();
        assert_eq!(
            d.text.matches("前半部分是国标编码的通知正文内容。").count(),
            5,
            "{}",
            d.text
        );
        assert_eq!(
            d.text
                .matches("后半部分是统一码编码的报告正文内容。")
                .count(),
            5
        );
    }

    /// A short note with a GBK heading above a UTF-8 body (or below it):
    /// the GBK bytes are few enough to pass for "a few bad bytes", but they
    /// are a GBK line — both parts readable, not refused as binary (found
    /// by the fresh-user trial: grep found both files, the index neither).
    #[test]
    fn short_note_with_a_gbk_heading_is_mixed_not_binary() {
        let body = "本次会议由办公室主任主持，研究部署年终总结工作，要求各科室按时报送材料。\n";
        let (gbk, _, _) = GBK.encode("会议记录\n");
        let mut b = gbk.to_vec();
        b.extend(body.bytes());
        let d = decode(&b, false, None).unwrap();
        assert_eq!(d.text, format!("会议记录\n{body}"));
        assert_eq!(d.quality.encoding.as_deref(), Some("UTF-8+GBK"));
        let mut b = "本次会议由办公室主任主持，研究部署年终总结工作。\n"
            .as_bytes()
            .to_vec();
        b.extend_from_slice(&gbk);
        let d = decode(&b, false, None).unwrap();
        assert!(d.text.ends_with("工作。\n会议记录\n"), "{}", d.text);
    }

    /// Valid UTF-8 holding literal U+FFFD (a copy once saved through a lossy
    /// conversion) is read as it is: no invalid sequence, so no note and
    /// no "binary" refusal; the noise is counted by `Quality::measure`.
    #[test]
    fn literal_replacement_chars_in_valid_utf8_are_text() {
        let t = "\u{FFFD}\u{FFFD}通知\u{FFFD}\u{FFFD}".repeat(3);
        let d = decode(t.as_bytes(), false, None).unwrap();
        assert_eq!(d.text, t);
        assert_eq!(d.quality.encoding_confidence, Some(Confidence::Certain));
        assert_eq!(d.quality.note, None);
        let got = super::super::extract_bytes(t.as_bytes(), Format::Text, &Default::default());
        assert_eq!(got.unwrap().quality.replacement_chars, 12);
    }

    /// One damaged character in UTF-8 text stays "UTF-8 with a few bad
    /// bytes" (no GBK-like run of 6 bytes).
    #[test]
    fn one_damaged_char_is_still_lossy_utf8() {
        let mut b = "关于做好年终总结工作的通知，请各科室按时报送材料。"
            .as_bytes()
            .to_vec();
        b[7] = 0xFF;
        let d = decode(&b, false, None).unwrap();
        assert_eq!(d.quality.encoding.as_deref(), Some("UTF-8"));
        assert!(d.text.contains("年终总结工作的通知"), "{}", d.text);
    }

    /// GBK with one damaged byte, or cut in the middle of a character:
    /// chardetng gives up on GBK and picks windows-1252; the file is still
    /// read as GBK (the second fresh-user trial lost whole reports this way).
    #[test]
    fn gbk_with_a_bad_byte_is_still_gbk() {
        let text = "关于做好二〇二五年防汛抗旱工作的通知，各县区人民政府、市直各部门：现将有关事项通知如下。\n";
        let (gbk, _, _) = GBK.encode(text);
        let mut b = gbk.repeat(10);
        b.push(0xB6); // a lead byte with no trail byte
        let d = decode(&b, false, None).unwrap();
        assert_eq!(d.quality.encoding.as_deref(), Some("GBK"));
        assert!(d.text.contains("防汛抗旱工作的通知"), "{}", d.text);
        let mut b = gbk.repeat(10);
        b.insert(500, 0xFF);
        let d = decode(&b, false, None).unwrap();
        assert_eq!(d.quality.encoding.as_deref(), Some("GBK"));
        assert_eq!(d.text.matches("防汛抗旱工作的通知").count(), 10);
        // A few characters alone.
        let (gbk, _, _) = GBK.encode("函\n");
        assert_eq!(decode(&gbk, false, None).unwrap().text, "函\n");
        // Latin-1 text stays Latin-1.
        let d = decode(b"caf\xe9 au lait, cr\xe8me br\xfbl\xe9e\n", false, None).unwrap();
        assert!(d.text.starts_with("café"), "{}", d.text);
    }

    /// Text padded with NULs at the end, and BOM-less UTF-16 Chinese, are
    /// text (both were refused as binary in the second trial).
    #[test]
    fn nul_padding_and_bomless_utf16_chinese_are_text() {
        let mut b = "先进集体的决定正文内容甲\n".as_bytes().to_vec();
        b.extend([0u8; 64]);
        let d = decode(&b, false, None).unwrap();
        assert_eq!(d.text, "先进集体的决定正文内容甲\n");
        let s = "无签名的小端统一码丁\n";
        let le: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&le, false, None).unwrap().text, s);
        let be: Vec<u8> = s.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&be, false, None).unwrap().text, s);
        assert!(matches!(
            decode(&[0u8; 100], false, None),
            Err(ExtractError::Binary)
        ));
    }

    /// Plain GBK stays GBK: its bytes almost never form UTF-8 CJK.
    #[test]
    fn plain_gbk_is_not_taken_for_mixed() {
        let text = "关于做好二〇二五年防汛抗旱工作的通知，各县区人民政府、市直各部门：现将有关事项通知如下。\n";
        let (gbk, _, _) = GBK.encode(text);
        let d = decode(&gbk.repeat(30), false, None).unwrap();
        assert_eq!(d.quality.encoding.as_deref(), Some("GBK"));
        assert!(d.text.starts_with("关于做好二〇二五年"));
    }

    #[test]
    fn utf16le_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "公文\n".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&b, false, None).unwrap();
        assert_eq!(d.text, "公文\n");
        assert_eq!(d.quality.encoding.as_deref(), Some("UTF-16LE"));
    }

    #[test]
    fn utf16le_without_bom_ascii() {
        let b: Vec<u8> = "hello world\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let d = decode(&b, false, None).unwrap();
        assert_eq!(d.text, "hello world\n");
    }

    #[test]
    fn truncated_utf8_drops_partial_char() {
        let s = "公文公文".as_bytes();
        let d = decode(&s[..7], true, None).unwrap();
        assert_eq!(d.text, "公文");
        assert_eq!(d.quality.replacement_chars, 0);
    }

    #[test]
    fn gb18030_four_byte_is_reported() {
        // "€" is 0xA2E3 in GB18030 two-byte; U+00A5 ¥ is 81 30 84 36.
        let (b, _, _) = GB18030.encode("中文¥中文中文中文");
        assert!(has_gb18030_four_byte(&b));
        let d = decode(&b, false, None).unwrap();
        assert_eq!(d.text, "中文¥中文中文中文");
        assert_eq!(d.quality.encoding.as_deref(), Some("GB18030"));
    }

    #[test]
    fn random_bytes_are_binary() {
        let b: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(matches!(decode(&b, false, None), Err(ExtractError::Binary)));
    }
}
