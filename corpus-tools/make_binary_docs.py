#!/usr/bin/env python3
"""Re-create the non-UTF-8 and binary files of the sample archive `corpus/`.

The sources are UTF-8 text files in `corpus-tools/src/`; this script writes
their encoded / converted forms into `corpus/`:

  * GBK, GB18030 and UTF-16LE (with BOM) plain-text files (`encode(...)`);
  * a Word .docx built with python-docx (paragraphs + a real table);
  * a text-layer PDF: a .docx built the same way, converted by LibreOffice
    (`soffice --headless --convert-to pdf`), checked with `pdftotext`.

Everything in the corpus is fictional (see corpus-tools/CORPUS.md).

Usage (from the project root):
    pip install python-docx
    apt-get install -y libreoffice-writer-nogui fonts-noto-cjk poppler-utils
    python3 corpus-tools/make_binary_docs.py            # all outputs
    python3 corpus-tools/make_binary_docs.py --no-pdf   # skip LibreOffice

Source markup for .docx/.pdf sources (one directive per line):
    @mark TEXT    发文机关标志 (red, centred)      @docno TEXT  发文字号 (centred)
    @title TEXT   标题 (centred, bold)             @to TEXT     主送机关 (no indent)
    @sign TEXT    发文机关署名 (right)             @date TEXT   成文日期 (right)
    @note TEXT    附注                             @cc TEXT     抄送 line of the 版记
    @printed TEXT 印发机关 + 印发日期 line         @break       page break
    | a | b | c | table row (consecutive rows form one table; first row = header)
    any other line: a body paragraph (keep the leading full-width indent or not)
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "corpus-tools" / "src"
CORPUS = ROOT / "corpus"

# (source file in corpus-tools/src, target in corpus/, encoding)
ENCODED_TEXT = [
    ("通报-青应急发2026-9.txt", "2026/通报-青应急发2026-9.txt", "gbk"),
    ("决定-青政发2026-2.txt", "2026/决定-青政发2026-2.txt", "gb18030"),
    ("计划-云教发2026-3.txt", "2026/计划-云教发2026-3.txt", "utf-16"),
]

# (source, target .docx, dc:title, dc:creator)
DOCX = [
    (
        "通知-青财发2026-25.txt",
        "2026/通知-青财发2026-25.docx",
        "青禾市财政局关于下达2026年防汛抗旱补助资金的通知",
        "青禾市财政局",
    ),
]

# (source, target .pdf, dc:title, dc:creator)
PDF = [
    (
        "通知-青政办发2026-20.txt",
        "2026/通知-青政办发2026-20.pdf",
        "青禾市人民政府办公室关于印发青禾市2026年政务公开工作要点的通知",
        "青禾市人民政府办公室",
    ),
]

# Fonts named the way a Chinese government office names them; LibreOffice
# substitutes an installed CJK font (Noto) when converting to PDF.
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
FIXED_TIME = datetime(2026, 5, 20, 9, 0, 0)


def show(path: Path) -> str:
    """`path` relative to the project root when it is inside it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def encode_text(src: Path, dst: Path, encoding: str) -> None:
    """Write `src` (UTF-8) to `dst` in `encoding`; "utf-16" means UTF-16LE with BOM."""
    text = src.read_text(encoding="utf-8")
    if encoding == "utf-16":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    else:
        data = text.encode(encoding)  # raises on a character the encoding lacks
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(data)
    print(f"wrote {show(dst)} ({encoding}, {len(data)} bytes)")


def build_docx(src: Path, dst: Path, title: str, author: str) -> None:
    """Build a GB/T 9704-like .docx from the @-markup in `src`."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    sec = doc.sections[0]
    # GB/T 9704-2012 §5.2.1: A4, top 37 mm, left 28 mm, text area 156 × 225 mm.
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)

    def set_font(run, name: str, size: float, bold: bool = False, red: bool = False):
        run.font.name = name
        run.font.size = Pt(size)
        run.font.bold = bold
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
        if red:
            run.font.color.rgb = RGBColor(0xE6, 0x00, 0x12)

    def para(text: str, align=None, font=BODY_FONT, size=16.0, bold=False, red=False, indent=True):
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent and text.startswith("\u3000\u3000"):
            text = text[2:]
            p.paragraph_format.first_line_indent = Pt(size * 2)
        set_font(p.add_run(text), font, size, bold, red)
        return p

    rows: list[list[str]] = []

    def flush_table():
        if not rows:
            return
        table = doc.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                cell = table.cell(r, c)
                cell.text = ""
                run = cell.paragraphs[0].add_run(value)
                set_font(run, BODY_FONT, 12.0, bold=(r == 0))
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        rows.clear()

    for line in src.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        flush_table()
        if not line.strip():
            continue
        key, _, rest = line.partition(" ")
        if key == "@mark":
            para(rest, WD_ALIGN_PARAGRAPH.CENTER, TITLE_FONT, 36.0, red=True)
        elif key == "@docno":
            para(rest, WD_ALIGN_PARAGRAPH.CENTER)
        elif key == "@title":
            para(rest, WD_ALIGN_PARAGRAPH.CENTER, TITLE_FONT, 22.0, bold=True)
        elif key == "@to":
            para(rest, indent=False)
        elif key in ("@sign", "@date"):
            para(rest, WD_ALIGN_PARAGRAPH.RIGHT)
        elif key == "@note":
            para(rest)
        elif key in ("@cc", "@printed"):
            para(rest, font=BODY_FONT, size=14.0, indent=False)
        elif key == "@break":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            para(line)
    flush_table()

    cp = doc.core_properties
    cp.title = title
    cp.author = author
    cp.last_modified_by = author
    cp.created = cp.modified = FIXED_TIME
    cp.revision = 1
    cp.comments = "虚构样例文档 / fictional sample document (gongwen corpus)"
    dst.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(dst))
    print(f"wrote {show(dst)} ({dst.stat().st_size} bytes)")


def build_pdf(src: Path, dst: Path, title: str, author: str) -> None:
    """Build a .docx from `src`, convert it to PDF with LibreOffice, check the text layer."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("soffice not found: apt-get install -y libreoffice-writer-nogui fonts-noto-cjk")
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        docx_path = tmpdir / (dst.stem + ".docx")
        build_docx(src, docx_path, title, author)
        profile = (tmpdir / "lo-profile").as_uri()
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(tmpdir), str(docx_path)],
            check=True, stdout=subprocess.DEVNULL, timeout=300,
        )
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmpdir / (dst.stem + ".pdf"), dst)
    print(f"wrote {show(dst)} ({dst.stat().st_size} bytes)")
    check_pdf_text(dst, title)


def check_pdf_text(pdf: Path, must_contain: str) -> None:
    """Fail unless `pdftotext` gets real Chinese text (not (cid:..) noise) out of `pdf`."""
    if shutil.which("pdftotext") is None:
        print("  (pdftotext not installed: text layer not checked)")
        return
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    flat = "".join(out.split())
    if "(cid:" in out or "\ufffd" in out or must_contain not in flat:
        sys.exit(f"{pdf}: text layer check failed; pdftotext gave:\n{out[:500]}")
    print(f"  text layer ok: {len(flat)} non-space characters, title found")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice PDF step")
    args = ap.parse_args()
    for src, dst, enc in ENCODED_TEXT:
        encode_text(SRC / src, CORPUS / dst, enc)
    for src, dst, title, author in DOCX:
        build_docx(SRC / src, CORPUS / dst, title, author)
    if not args.no_pdf:
        for src, dst, title, author in PDF:
            build_pdf(SRC / src, CORPUS / dst, title, author)


if __name__ == "__main__":
    main()
