#!/usr/bin/env python3
"""Check the sample archive `corpus/` against its labels.

Reads tests/data/corpus_labels.json (the labelled set: path, title, doc_number,
issuer, date, doc_type, phrases) and, for every document, extracts its text the
simple way (BOM / UTF-8 / GB18030 for .txt and .md, tag stripping for .html,
python-docx for .docx, `pdftotext` for .pdf) and checks that

  * every file under corpus/ (except README.md) is labelled, and every label's file exists;
  * each phrase, the title, the 发文字号 and the 成文日期 (as 2026年3月5日) occur in the text
    (for the PDF: phrases must occur in pdftotext's raw output, i.e. on one line;
    title / number / date are compared with all whitespace removed);
  * the text has 300–1500 non-space characters;
  * the corpus stays under 2 MB.

It also prints, for README, how many documents contain the shared phrases.
Exit status 1 when a check fails.

Usage (from the project root):  python3 corpus-tools/check_corpus.py
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
LABELS = ROOT / "tests" / "data" / "corpus_labels.json"
SHARED_PHRASES = ["安全生产", "防汛", "办公室", "5G基站", "2023年", "2024年", "云岭水库", "一瓶一码"]


def decode(data: bytes) -> tuple[str, str]:
    """Decode text bytes: BOM, then strict UTF-8, then GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8-BOM"
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le"), "UTF-16LE"
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be"), "UTF-16BE"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gbk")
        return data.decode("gb18030"), "GBK"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "GB18030"


def extract(path: Path) -> tuple[str, str]:
    """Return (text, format/encoding description) for one corpus file."""
    ext = path.suffix.lower()
    if ext in (".txt", ".md"):
        return decode(path.read_bytes())
    if ext in (".html", ".htm"):
        raw, enc = decode(path.read_bytes())
        raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", "", raw)
        return html.unescape(re.sub(r"<[^>]+>", "\n", raw)), f"HTML {enc}"
    if ext == ".docx":
        from docx import Document

        doc = Document(str(path))
        lines = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                lines.append("\t".join(c.text for c in row.cells))
        return "\n".join(lines), "DOCX"
    if ext == ".pdf":
        if shutil.which("pdftotext") is None:
            sys.exit("pdftotext not installed (apt-get install -y poppler-utils)")
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                             check=True, capture_output=True, text=True).stdout
        return out, "PDF"
    raise ValueError(f"{path}: unknown format")


def cn_date(iso: str) -> str:
    """'2026-03-05' -> '2026年3月5日' (GB/T 9704-2012 §7.3.5: Arabic numerals, no padding)."""
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def squash(s: str) -> str:
    return "".join(s.split())


def main() -> int:
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    problems: list[str] = []
    labelled = {lab["path"] for lab in labels}
    on_disk = {
        str(p.relative_to(ROOT))
        for p in CORPUS.rglob("*")
        if p.is_file() and p.name != "README.md"
    }
    for missing in sorted(on_disk - labelled):
        problems.append(f"{missing}: not labelled in {LABELS.name}")
    for extra in sorted(labelled - on_disk):
        problems.append(f"{extra}: labelled but missing")

    counts = {ph: [] for ph in SHARED_PHRASES}
    for lab in labels:
        path = ROOT / lab["path"]
        if not path.exists():
            continue
        text, kind = extract(path)
        flat = squash(text)
        is_pdf = path.suffix == ".pdf"
        for ph in lab["phrases"]:
            if ph not in (text if is_pdf else flat):
                problems.append(f"{lab['path']}: phrase {ph!r} not found")
        wanted = [("title", lab["title"])]
        if lab["doc_number"]:
            wanted.append(("doc_number", lab["doc_number"]))
        wanted.append(("date", cn_date(lab["date"])))
        for what, value in wanted:
            if squash(value) not in flat:
                problems.append(f"{lab['path']}: {what} {value!r} not in text")
        n = len(flat)
        if not 300 <= n <= 1500:
            problems.append(f"{lab['path']}: {n} non-space characters (want 300–1500)")
        for ph in SHARED_PHRASES:
            c = flat.count(ph)
            if c:
                counts[ph].append((lab["path"], c))
        print(f"{kind:14} {n:5}  {lab['path']}")

    size = sum((ROOT / p).stat().st_size for p in on_disk)
    print(f"\n{len(labels)} documents, {size} bytes")
    if size >= 2 * 1024 * 1024:
        problems.append(f"corpus is {size} bytes (want < 2 MB)")
    print("\nshared phrases (document: occurrences):")
    for ph, hits in counts.items():
        desc = ", ".join(f"{Path(p).name}×{c}" for p, c in hits)
        print(f"  {ph}: {len(hits)} documents — {desc}")
    for p in problems:
        print("PROBLEM:", p)
    print(f"\n{'FAILED' if problems else 'ok'}: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
