"""The PDF reader: text with positions (pypdfium2), tables from where the numbers stand.

Each page is read into lines of positioned words (``ingest.layouts.positions``); running headers and
footers (the same text in a page margin on several pages) are marked; the lines of a page
are read as tables (rows whose numbers stand in columns, with the headings above them),
headings and paragraphs (consecutive lines joined, a wide gap ending one). Every line of
the text view carries its page and box; every table cell its box.

A page without a text layer (a scan) gets an issue: OCR is not attempted. An encrypted,
corrupt or truncated PDF raises ``UnreadableFiling`` naming the file.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter

from ..layouts.positions import (
    PageLine,
    TableRegion,
    find_tables,
    lines_from_words,
    words_from_chars,
)
from ..model import Document, Issue, UnreadableFiling
from .builder import DocumentBuilder

NAME = "pdf"
SUFFIXES = (".pdf",)

# Lines in these bands of a page (fractions of its height) may be running headers/footers.
_TOP_BAND = 0.12
_BOTTOM_BAND = 0.10
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_DIGITS = re.compile(r"\d+")
# A paragraph continues on the next line when it starts within this many line heights.
_PARAGRAPH_GAP = 1.55
_BULLET = re.compile(r"^(?:[•·▪◦●■□➢\-–*]|\(?[a-z0-9]{1,3}[.)])\s")


def sniff(data: bytes, name: str) -> bool:
    return b"%PDF-" in data[:1024]


def read(data: bytes, name: str) -> Document:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableFiling(f"{name}: {_open_error(exc)}") from None
    try:
        return _read(pdf, data, name)
    finally:
        pdf.close()


def _open_error(exc: Exception) -> str:
    text = str(exc).lower()
    if "password" in text:
        return "the PDF is encrypted (password-protected); it cannot be read without the password"
    if "format" in text or "file" in text:
        return f"not a readable PDF: the file is corrupt or truncated ({exc})"
    return f"the PDF cannot be read ({exc})"


def _read(pdf, data: bytes, name: str):
    builder = DocumentBuilder(name, data, "pdf")
    pages: list[tuple[int, float, float, list[PageLine]]] = []
    empty: list[int] = []
    for index in range(len(pdf)):
        page = pdf[index]
        try:
            width, height = page.get_size()
            lines = _page_lines(page, height)
        except Exception as exc:  # noqa: BLE001 - one broken page must not lose the rest
            builder.issue(
                Issue(
                    line=None,
                    kind="unreadable_page",
                    reason=f"{name}: page {index + 1} could not be read ({type(exc).__name__})",
                )
            )
            lines = []
            width, height = 612.0, 792.0
        finally:
            page.close()
        if not lines:
            empty.append(index + 1)
        pages.append((index + 1, width, height, lines))
    if empty:
        builder.issue(
            Issue(
                line=None,
                kind="no_text_layer",
                reason=f"{name}: {_page_list(empty)} of {len(pages)} have no text layer "
                "(scanned images?); they were not read (OCR is not attempted)",
            )
        )
    if len(empty) == len(pages):
        raise UnreadableFiling(f"{name}: the PDF has no text layer (a scan?); OCR is not attempted")
    running = _running_lines(pages)
    for number, width, _height, lines in pages:
        _write_page(builder, number, width, lines, running)
    return builder.build()


def _page_list(pages: list[int]) -> str:
    if len(pages) == 1:
        return f"page {pages[0]}"
    shown = ", ".join(str(p) for p in pages[:10])
    return f"pages {shown}{', ...' if len(pages) > 10 else ''}"


def _page_lines(page, height: float) -> list[PageLine]:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        if n <= 0:
            return []
        text = textpage.get_text_range(0, n)
        ox, oy = ctypes.c_double(), ctypes.c_double()
        chars = []
        for i, ch in enumerate(text[:n]):
            if ch.isspace():
                chars.append((ch, 0.0, 0.0, 0.0, 0.0, 0.0, False))
                continue
            left, bottom, right, top = textpage.get_charbox(i, loose=True)
            raw.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(ox), ctypes.byref(oy))
            bold = raw.FPDFText_GetFontWeight(textpage.raw, i) >= 600
            chars.append((ch, left, right, height - top, height - bottom, height - oy.value, bold))
    finally:
        textpage.close()
    return lines_from_words(words_from_chars(chars))


def _running_lines(pages: list[tuple[int, float, float, list[PageLine]]]) -> set[int]:
    """ids of lines that are running headers or footers: text in the top or bottom band of
    a page that recurs (digits aside) on several pages, and bare page numbers there."""
    keyed: dict[int, str] = {}
    counts: Counter[str] = Counter()
    for _, _, height, lines in pages:
        seen: set[str] = set()
        for ln in lines:
            if ln.top > height * _TOP_BAND and ln.bottom < height * (1 - _BOTTOM_BAND):
                continue
            key = _DIGITS.sub("#", ln.text.lower()).strip()
            keyed[id(ln)] = key
            if key not in seen:
                seen.add(key)
                counts[key] += 1
    need = 3 if len(pages) >= 6 else max(2, len(pages) // 2 + 1)
    out: set[int] = set()
    for _, _, _, lines in pages:
        for ln in lines:
            key = keyed.get(id(ln))
            if key is None:
                continue
            if counts[key] >= need or _PAGE_NUMBER.match(ln.text.strip()):
                out.add(id(ln))
    return out


def _write_page(
    builder: DocumentBuilder,
    number: int,
    width: float,
    lines: list[PageLine],
    running: set[int],
) -> None:
    body = [ln for ln in lines if id(ln) not in running]
    for ln in lines:
        if id(ln) in running and ln.base < (lines[len(lines) // 2].base if lines else 0):
            builder.running(ln.text, page=number, box=ln.box)
    tables = find_tables(body)
    starts = {id(t.lines[0]): t for t in tables}
    in_table = {id(ln) for t in tables for ln in t.lines}
    paragraph: list[PageLine] = []
    for ln in body:
        table = starts.get(id(ln))
        if table is not None:
            _flush(builder, number, paragraph)
            paragraph = []
            _write_table(builder, number, table)
            continue
        if id(ln) in in_table:
            continue
        if paragraph and not _continues(paragraph[-1], ln):
            _flush(builder, number, paragraph)
            paragraph = []
        paragraph.append(ln)
    _flush(builder, number, paragraph)
    for ln in lines:
        if id(ln) in running and ln.base >= (lines[len(lines) // 2].base if lines else 0):
            builder.running(ln.text, page=number, box=ln.box)


def _continues(prev: PageLine, ln: PageLine) -> bool:
    """Whether ``ln`` continues the paragraph whose last line is ``prev``."""
    gap = ln.base - prev.base
    if gap <= 0 or gap > _PARAGRAPH_GAP * max(prev.size, ln.size):
        return False
    if _BULLET.match(ln.text):
        return False
    # A change of type size or weight starts a new block (a heading above its paragraph).
    if abs(ln.size - prev.size) > 0.15 * prev.size or prev.bold != ln.bold:
        return False
    return True


def _flush(builder: DocumentBuilder, page: int, lines: list[PageLine]) -> None:
    if not lines:
        return
    text = _join_lines([ln.text for ln in lines])
    box = (
        min(ln.x0 for ln in lines),
        min(ln.top for ln in lines),
        max(ln.x1 for ln in lines),
        max(ln.bottom for ln in lines),
    )
    builder.paragraph(text, page=page, box=box)


def _join_lines(texts: list[str]) -> str:
    out = texts[0]
    for t in texts[1:]:
        # A word hyphenated at the end of a line is one word ("explo-" + "ration").
        if out.endswith("-") and t[:1].islower() and not out.endswith(" -"):
            out = out[:-1] + t
        else:
            out = f"{out} {t}"
    return out


def _write_table(builder: DocumentBuilder, page: int, table: TableRegion) -> None:
    rows, boxes = table.rows()
    builder.table(rows, boxes=boxes, pages=[page] * len(rows), layout="pdf")
