#!/usr/bin/env python3
"""SQLite FTS5 (trigram) peer for the gongwen benchmark.

Run as a program, it builds the peer index:

    python3 bench/fts5_build.py DB CORPUS

One table ``docs(path, body)`` using ``tokenize='trigram'``; every regular
file under CORPUS is read as UTF-8 (invalid bytes replaced), normalized with
:func:`normalize` (a port of gongwen's ``src/archive/normalize.rs``) and its
*match form* (newlines as spaces) stored as ``body``. All rows go in one
transaction. Prints ``files N bytes B`` on stdout.

Imported, it gives :func:`normalize` and :func:`match_form` so that
``bench/run.py`` normalizes the queries the same way as the documents.

Unlike gongwen, Markdown markup is not stripped: FTS5 sees the raw text
(normalized), like ripgrep sees the raw bytes.
"""

import os
import re
import sqlite3
import sys
import unicodedata

# Unicode White_Space property (what Rust's char::is_whitespace tests).
_WHITESPACE = set(
    "\t\n\u000b\u000c\r \u0085\u00a0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_NEWLINES = set("\n\r\u2028\u2029\u000b\u000c")


def is_cjk(c: str) -> bool:
    """True for CJK scripts and punctuation: the ranges of gongwen's
    ``archive::normalize::is_cjk`` (Han, kana, hangul, CJK symbols,
    full-width forms, and the general punctuation Chinese text uses)."""
    o = ord(c)
    return (
        0x2E80 <= o <= 0x2FDF
        or 0x3000 <= o <= 0x303F
        or 0x3040 <= o <= 0x30FF
        or 0x3100 <= o <= 0x31FF
        or 0x3200 <= o <= 0x33FF
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xA960 <= o <= 0xA97F
        or 0xAC00 <= o <= 0xD7AF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE10 <= o <= 0xFE1F
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x3134F
        or o in (0x2014, 0x2015, 0x2026, 0x00B7, 0x2027)
        or 0x2018 <= o <= 0x201F
    )


_WS_RUN = re.compile("[" + "".join(sorted(_WHITESPACE)) + "]+")
# Control characters (Cc) that are not whitespace, BOM and zero-width characters.
_DROP_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\u200b-\u200d]")


def _ws_run(m: re.Match) -> str:
    s, a, b = m.string, m.start(), m.end()
    if a == 0 or b == len(s) or is_cjk(s[a - 1]) or is_cjk(s[b]):
        return ""
    return "\n" if any(c in _NEWLINES for c in m.group()) else " "


def normalize(raw: str) -> str:
    """gongwen's normalization: NFKC, lower case, control characters and
    BOM/zero-width characters dropped, whitespace next to CJK removed, other
    whitespace runs collapsed to one ``\\n`` (if the run held a line break) or
    one space, ends trimmed."""
    s = _DROP_RE.sub("", unicodedata.normalize("NFKC", raw)).lower()
    return _WS_RUN.sub(_ws_run, s)


def match_form(text: str) -> str:
    """Normalized text with newlines as spaces (what queries are matched in)."""
    return normalize(text).replace("\n", " ")


def build(db: str, corpus: str) -> tuple[int, int]:
    """Create ``db`` (removed first if present) from every file under
    ``corpus``; return (files, bytes read)."""
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(path, body, tokenize='trigram')")
    files = nbytes = 0
    with con:
        for root, dirs, names in os.walk(corpus):
            dirs.sort()
            for name in sorted(names):
                p = os.path.join(root, name)
                with open(p, "rb") as f:
                    data = f.read()
                nbytes += len(data)
                files += 1
                body = match_form(data.decode("utf-8", errors="replace"))
                con.execute("INSERT INTO docs(path, body) VALUES (?, ?)", (p, body))
    con.close()
    return files, nbytes


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: fts5_build.py DB CORPUS", file=sys.stderr)
        return 2
    files, nbytes = build(sys.argv[1], sys.argv[2])
    print(f"files {files} bytes {nbytes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
