"""The PDF reader: text with positions (pypdfium2), tables from where the numbers stand.

Each page is read into lines of positioned words (``ingest.layouts.positions``; words drawn
one at a time a tight gap apart, where pdfium writes no space, are parted); running headers
and footers (the same text in a page margin on several pages; at the top, only above where
a table starts: a header row repeated at the top of each page, and the rows under it, are
the table's) are marked; two columns of prose side by side are read left column first; the
lines of a page are read as tables (rows whose numbers stand in columns, with the headings
above them and labels wrapped over two lines read as one), headings and paragraphs
(consecutive lines joined, a wide gap ending one; a word hyphenated at a line end joined
as the document spells it). Every line of the text view carries its page and box; every
table cell its box.

A page without a text layer (a scan) gets an issue: OCR is not attempted. An encrypted,
corrupt or truncated PDF raises ``UnreadableFiling`` naming the file.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter

from ..failures import reraise_memory_error
from ..layouts.positions import (
    CELL_GAP,
    SAME_LINE,
    PageLine,
    TableRegion,
    cells_of,
    find_tables,
    lines_from_words,
    starts_table,
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
# A gap between two glyphs on one baseline wider than this many character heights may be
# a word space that no space character marks (see ``_drawn_apart``): 0.12 em between
# words is some 10% of the height, narrowed to about 3% by a substituted italic font's
# wider boxes; glyphs of one word stand at most about 1.5% apart.
_WORD_GAP = 0.02
_SPACE = re.compile(r"\s")
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
        raise UnreadableFiling(f"{name}: {_open_error(exc, data)}") from None
    try:
        return _read(pdf, data, name)
    finally:
        pdf.close()


def _open_error(exc: Exception, data: bytes) -> str:
    text = str(exc).lower()
    if "password" in text:
        return "the PDF is encrypted (password-protected); it cannot be read without the password"
    if "format" in text or "file" in text:
        if b"%%EOF" not in data[-2048:]:
            # A download or copy cut short ends before the marker every PDF ends with.
            return "not a readable PDF: the file is truncated or corrupt (it has no end-of-file marker)"
        return f"not a readable PDF: the file is corrupt ({exc})"
    return f"the PDF cannot be read ({exc})"


def _read(pdf, data: bytes, name: str):
    # Two passes, so that memory does not grow with the page count: the first reads every
    # page and keeps only what the writing of any page needs from all the others (the
    # lines in the page margins, to find running headers and footers; the document's
    # words, to join hyphenated ones); the second reads each page again and writes it.
    builder = DocumentBuilder(name, data, "pdf")
    margins: list[list[tuple[int, str, str]]] = []
    hyphens = _Hyphens()
    empty: list[int] = []
    unread: set[int] = set()
    for index in range(len(pdf)):
        try:
            # Font weights only tell headings from paragraphs: the first pass skips them.
            _width, height, lines = _load(pdf, index, weights=False)
        except Exception as exc:  # noqa: BLE001 - one broken page must not lose the rest
            builder.issue(_unreadable_page(name, index, exc))
            unread.add(index)
            height, lines = 792.0, []
        if not lines and index not in unread:
            empty.append(index + 1)
            unread.add(index)
        hyphens.count(lines)
        margins.append(_margin_lines(lines, height))
    if empty:
        builder.issue(
            Issue(
                line=None,
                kind="no_text_layer",
                reason=f"{name}: {_page_list(empty)} of {len(margins)} "
                + (
                    "has no text layer (a scanned image?) and was"
                    if len(empty) == 1
                    else "have no text layer (scanned images?) and were"
                )
                + " not read: OCR is not attempted",
            )
        )
    if len(empty) == len(margins):
        raise UnreadableFiling(f"{name}: the PDF has no text layer (a scan?); OCR is not attempted")
    if len(unread) == len(margins):
        raise UnreadableFiling(f"{name}: none of the PDF's {len(margins)} pages could be read")
    running = _running_lines(margins)
    for index in range(len(pdf)):
        if index in unread:
            continue
        try:
            width, _height, lines = _load(pdf, index, weights=True)
        except Exception as exc:  # noqa: BLE001 - as in the first pass
            builder.issue(_unreadable_page(name, index, exc))
            continue
        marked = {id(lines[k]) for k in running[index] if k < len(lines)}
        _write_page(builder, index + 1, width, lines, marked, hyphens)
    return builder.build()


def _unreadable_page(name: str, index: int, exc: Exception) -> Issue:
    reraise_memory_error(exc)
    return Issue(
        line=None,
        kind="unreadable_page",
        reason=f"{name}: page {index + 1} could not be read ({type(exc).__name__})",
    )


def _load(pdf, index: int, weights: bool) -> tuple[float, float, list[PageLine]]:
    """(width, height, lines) of page ``index``."""
    page = pdf[index]
    try:
        width, height = page.get_size()
        return width, height, _page_lines(page, height, weights)
    finally:
        page.close()


def _page_list(pages: list[int]) -> str:
    if len(pages) == 1:
        return f"page {pages[0]}"
    shown = ", ".join(str(p) for p in pages[:10])
    return f"pages {shown}{', ...' if len(pages) > 10 else ''}"


def _page_lines(page, height: float, weights: bool = True) -> list[PageLine]:
    """The page's lines of positioned words; without ``weights``, no word is bold."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        if n <= 0:
            return []
        text = textpage.get_text_range(0, n)
        # This loop runs once for every character of a document: pdfium's functions are
        # called directly (not through pypdfium2's helpers), with their arguments made once.
        tp = textpage.raw
        loose_box, origin, weight = (
            raw.FPDFText_GetLooseCharBox,
            raw.FPDFText_GetCharOrigin,
            raw.FPDFText_GetFontWeight,
        )
        rect, ox, oy = raw.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
        p_rect, p_ox, p_oy = ctypes.byref(rect), ctypes.byref(ox), ctypes.byref(oy)
        space = (" ", 0.0, 0.0, 0.0, 0.0, 0.0, False)
        chars = []
        append = chars.append
        top = bottom = base = -1.0
        # The character before (its index, -1 after a space; right edge; baseline) and
        # the last space's index: to find words drawn apart with no space between.
        last, right, last_base, blank = -1, 0.0, 0.0, -1
        word_gap = _WORD_GAP
        for i, ch in enumerate(text[:n]):
            if ch.isspace():
                append(space)
                last, blank = -1, i
                continue
            if ch == "\ufffe":
                # pdfium writes a hyphen that ends a line as U+FFFE: it is a printed "-".
                ch = "-"
            loose_box(tp, i, p_rect)
            if rect.top != top or rect.bottom != bottom:
                # pdfium's loose box is the origin's height plus the font's ascent and
                # descent: a character boxed like the one before stands on its baseline.
                top, bottom = rect.top, rect.bottom
                origin(tp, i, p_ox, p_oy)
                base = height - oy.value
            left = rect.left
            if (
                last >= 0
                and word_gap * (top - bottom) < left - right <= 0.5 * (top - bottom)
                and abs(base - last_base) <= SAME_LINE * (top - bottom)
                and _drawn_apart(tp, text, last, i, blank)
            ):
                append(space)
            last, right, last_base = i, rect.right, base
            append(
                (
                    ch,
                    left,
                    right,
                    height - top,
                    height - bottom,
                    base,
                    weights and weight(tp, i) >= 600,
                )
            )
    finally:
        textpage.close()
    return lines_from_words(words_from_chars(chars))


def _drawn_apart(tp, text: str, before: int, after: int, blank: int) -> bool:
    """Whether characters ``before`` and ``after``, glued with a small gap, are the ends of
    two words drawn one at a time with no space between them.

    pdfium writes a space of its own where such words stand a normal word space apart,
    and none where they are set tighter (0.12 em). Inside a word a small gap is common
    too: producers that round the positions of pieces of a line, or that set a line in
    pieces, leave up to about 1.5% of the character height (and some 5% where a line
    prints its own spaces) between two letters of one word. So the gap counts as a word
    space only between two show-strings (the glyphs of one are set by the font's own
    widths) in a run of text that prints no space of its own: where the spaces around it
    are all pdfium's.
    """
    import pypdfium2.raw as raw

    text_object = getattr(raw, "FPDFText_GetTextObject", None)
    if text_object is None:
        return False  # an older pdfium cannot tell show-strings apart: words stay glued
    if (
        ctypes.cast(text_object(tp, before), ctypes.c_void_p).value
        == ctypes.cast(text_object(tp, after), ctypes.c_void_p).value
    ):
        return False
    space = _SPACE.search(text, after)
    generated = raw.FPDFText_IsGenerated
    return (blank < 0 or generated(tp, blank) == 1) and (
        space is None or generated(tp, space.start()) == 1
    )


def _margin_lines(lines: list[PageLine], height: float) -> list[tuple[int, str, str]]:
    """(index, key, text) of the lines in the top or bottom band of a page, where running
    headers and footers stand; the key is the text with its digits masked.

    A table that starts in the top band (its header row right over its rows, or rows
    set one under another) starts the body there: page furniture stands above the body,
    and a table continued over pages repeats its header row at the top of each, its rows
    under it alike once their figures are masked.
    """
    top = height * _TOP_BAND
    body = next(
        (k for k, ln in enumerate(lines) if ln.top <= top and starts_table(lines, k)), len(lines)
    )
    return [
        (k, _DIGITS.sub("#", ln.text.lower()).strip(), ln.text.strip())
        for k, ln in enumerate(lines)
        if (ln.top <= top and k < body) or ln.bottom >= height * (1 - _BOTTOM_BAND)
    ]


def _running_lines(margins: list[list[tuple[int, str, str]]]) -> list[set[int]]:
    """Per page, the indices of its lines that are running headers or footers: margin text
    that recurs (digits aside) on several pages, and bare page numbers there."""
    counts: Counter[str] = Counter(key for page in margins for key in {k for _, k, _ in page})
    need = 3 if len(margins) >= 6 else max(2, len(margins) // 2 + 1)
    return [
        {k for k, key, text in page if counts[key] >= need or _PAGE_NUMBER.match(text)}
        for page in margins
    ]


def _write_page(
    builder: DocumentBuilder,
    number: int,
    width: float,
    lines: list[PageLine],
    running: set[int],
    hyphens: _Hyphens,
) -> None:
    body, column_tops = _reading_order([ln for ln in lines if id(ln) not in running], width)
    for ln in lines:
        if id(ln) in running and ln.base < (lines[len(lines) // 2].base if lines else 0):
            builder.running(ln.text, page=number, box=ln.box)
    tables = find_tables(body, wrapped_labels=True)
    starts = {id(t.lines[0]): t for t in tables}
    in_table = {id(ln) for t in tables for ln in t.lines}
    paragraph: list[PageLine] = []
    for ln in body:
        table = starts.get(id(ln))
        if table is not None:
            _flush(builder, number, paragraph, hyphens)
            paragraph = []
            _write_table(builder, number, table)
            continue
        if id(ln) in in_table:
            continue
        if paragraph and not _continues(paragraph[-1], ln, id(ln) in column_tops):
            _flush(builder, number, paragraph, hyphens)
            paragraph = []
        paragraph.append(ln)
    _flush(builder, number, paragraph, hyphens)
    for ln in lines:
        if id(ln) in running and ln.base >= (lines[len(lines) // 2].base if lines else 0):
            builder.running(ln.text, page=number, box=ln.box)


def _continues(prev: PageLine, ln: PageLine, column_top: bool = False) -> bool:
    """Whether ``ln`` continues the paragraph whose last line is ``prev``; at the top of a
    right column, when ``prev`` (the foot of the left one) stops mid-sentence."""
    if abs(ln.size - prev.size) > 0.15 * prev.size or prev.bold != ln.bold:
        # A change of type size or weight starts a new block (a heading above its paragraph).
        return False
    if column_top:
        return prev.text.rstrip("\"')]")[-1:] not in ".:;!?" and ln.text[:1].islower()
    gap = ln.base - prev.base
    if gap <= 0 or gap > _PARAGRAPH_GAP * max(prev.size, ln.size):
        return False
    return not _BULLET.match(ln.text)


# -- two columns ----------------------------------------------------------------------

# Where across the page (fractions of its width) the gutter between two columns may stand.
_GUTTER_BAND = (0.3, 0.7)
# Words that make a line of prose, and prose lines needed on each side of a gutter.
_PROSE_WORDS = 3
_COLUMN_LINES = 2


def _reading_order(lines: list[PageLine], width: float) -> tuple[list[PageLine], set[int]]:
    """A page's lines in reading order, and the ids of the lines that open a right column.

    Lines are read top to bottom, except where two columns of prose stand side by side:
    consecutive lines that leave a vertical strip near the middle of the page free (a
    gutter no word crosses, wider than a gap between table cells), with prose on both
    sides. Those lines are cut at the gutter, and the left column is read whole before the
    right one. A line with a number standing apart (a table row) ends such a run: a
    table's columns are not columns of prose.
    """
    band = [(width * _GUTTER_BAND[0], width * _GUTTER_BAND[1])]
    out: list[PageLine] = []
    tops: set[int] = set()
    run: list[PageLine] = []
    free: list[tuple[float, float]] = []
    for ln in lines:
        if not _column_line(ln):
            # A table row ends a run; short lines just above it are its headings.
            tail: list[PageLine] = []
            while run and len(run[-1].words) < _PROSE_WORDS:
                tail.insert(0, run.pop())
            out += _split_columns(run, free, tops) + tail + [ln]
            run, free = [], []
            continue
        narrowed = _free_strips(free if run else band, ln)
        if run and not narrowed:
            # The line crosses the gutter: the run ends there, and it may open another.
            out += _split_columns(run, free, tops)
            run, narrowed = [], _free_strips(band, ln)
        if narrowed:
            run.append(ln)
            free = narrowed
        else:
            out.append(ln)
    return out + _split_columns(run, free, tops), tops


def _column_line(ln: PageLine) -> bool:
    """Whether a line may stand in two columns of prose: no number standing apart, and at
    most one cell a side, bullets aside (a table's heading line has a cell per column)."""
    return _text_cells(ln) <= 2 and not any(c.numeric for c in ln.cells)


def _text_cells(ln: PageLine) -> int:
    """The line's cells, not counting bullets standing apart from their text."""
    return sum(len(c.text) > 2 or c.text.isalnum() for c in ln.cells)


def _free_strips(free: list[tuple[float, float]], ln: PageLine) -> list[tuple[float, float]]:
    """The parts of the strips ``free`` that no word of ``ln`` crosses, those wide enough
    to part two columns."""
    out = free
    for w in ln.words:
        cut: list[tuple[float, float]] = []
        for a, b in out:
            if w.x1 <= a or w.x0 >= b:
                cut.append((a, b))
                continue
            if w.x0 > a:
                cut.append((a, w.x0))
            if w.x1 < b:
                cut.append((w.x1, b))
        out = cut
    return [(a, b) for a, b in out if b - a > CELL_GAP * ln.size]


def _split_columns(
    run: list[PageLine], free: list[tuple[float, float]], tops: set[int]
) -> list[PageLine]:
    """``run``'s lines cut at the widest free strip, left column first, when both sides
    hold prose; else ``run`` as it is."""
    if not run:
        return []
    a, b = max(free, key=lambda s: s[1] - s[0])
    gutter = (a + b) / 2
    left: list[PageLine] = []
    right: list[PageLine] = []
    for ln in run:
        for side, words in (
            (left, [w for w in ln.words if w.x1 <= gutter]),
            (right, [w for w in ln.words if w.x0 >= gutter]),
        ):
            if len(words) == len(ln.words):
                side.append(ln)
            elif words:
                side.append(PageLine(words, min(w.base for w in words), cells_of(words)))
    prose = [
        sum(len(ln.words) >= _PROSE_WORDS and _text_cells(ln) == 1 for ln in side)
        for side in (left, right)
    ]
    if min(prose) < _COLUMN_LINES:
        return run
    tops.add(id(right[0]))
    return left + right


def _flush(builder: DocumentBuilder, page: int, lines: list[PageLine], hyphens: _Hyphens) -> None:
    if not lines:
        return
    text = lines[0].text
    for ln in lines[1:]:
        text = hyphens.join(text, ln.text)
    box = (
        min(ln.x0 for ln in lines),
        min(ln.top for ln in lines),
        max(ln.x1 for ln in lines),
        max(ln.bottom for ln in lines),
    )
    builder.paragraph(text, page=page, box=box)


class _Hyphens:
    """How to join a word hyphenated at the end of a line, from the document's own words.

    A hyphen at a line break is either a word split by the typesetter ("explo-" +
    "ration") or a compound's own hyphen ("cost-" + "effective"): word processors rarely
    hyphenate, so in filings both are common. The document decides: the joined word
    printed elsewhere is a split word; the compound printed elsewhere, a prefix such as
    "non-", or two halves that are both words printed elsewhere make a compound. Otherwise
    a hyphen followed by a lower-case letter splits a word.
    """

    _PREFIXES = frozenset(
        "non self by long short mid year well cross state multi semi all half full".split()
    )
    _EDGES = "\"'()[],.;:!?"

    def __init__(self) -> None:
        self.words: Counter[str] = Counter()

    def count(self, lines: list[PageLine]) -> None:
        """Count a page's words (all pages are counted before any is written)."""
        edges = self._EDGES
        self.words.update(w.text.strip(edges).lower() for ln in lines for w in ln.words)

    def join(self, out: str, nxt: str) -> str:
        """``out`` and the next line ``nxt`` of a paragraph as one text."""
        if not out.endswith("-") or out.endswith(" -") or not nxt[:1].isalnum():
            return f"{out} {nxt}"
        stem = out[out.rfind(" ") + 1 : -1].lstrip(self._EDGES).lower()
        head = nxt.split(" ", 1)[0].rstrip(self._EDGES).lower()
        if not nxt[:1].islower() or not stem.isalpha():
            return out + nxt  # "North-" + "West", "2023-" + "24": the hyphen is printed
        words = self.words
        if stem + head in words:
            return out[:-1] + nxt
        # ``head`` is counted once as the fragment itself: a word elsewhere counts twice.
        if (
            f"{stem}-{head}" in words
            or stem in self._PREFIXES
            or (len(stem) > 2 and stem in words and words[head] > 1)
        ):
            return out + nxt
        return out[:-1] + nxt


def _write_table(builder: DocumentBuilder, page: int, table: TableRegion) -> None:
    rows, boxes = table.rows()
    builder.table(rows, boxes=boxes, pages=[page] * len(rows), layout="pdf")
