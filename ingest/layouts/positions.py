"""Positioned words: characters to words, words to lines, lines to cells and tables.

Plain data in, plain data out (no PDF library here), so the rules are testable with
made-up positions. The PDF reader hands it points from the top left of a page; the
space-aligned text layout hands it character offsets and line numbers.

- A word is a run of characters on one baseline with no space and no wide gap between.
- A line is the words on one baseline, left to right; a small raised word (a footnote
  marker) joins the line it sits on.
- A line's cells are its words grouped where the gap between them is narrower than about
  an em: prose is one long cell, a table row several ("Revenue", "$ 31,131", "$ 55,568").
"""

from __future__ import annotations

import re
from bisect import insort
from dataclasses import dataclass, field

# A gap between words wider than this many character heights separates two cells. Word
# spaces are about a quarter of the height, justified prose stretches them to about half;
# table columns stand a character height or more apart.
CELL_GAP = 0.85
# Characters on baselines closer than this many heights are on one line.
SAME_LINE = 0.35

_NUMBER_CELL = re.compile(
    r"^(?:[A-Z]{0,3}\$|[€£])?\s?\(?[-+]?(?:[A-Z]{0,3}\$|[€£])?\s?"
    r"(?:\d{1,3}(?:[,\s]\d{3})+|\d+)?(?:\.\d+)?\)?%?\)?$"
)
_NIL_CELL = re.compile(r"^(?:-|–|—|nil|n/?a)$", re.I)
_CURRENCY_CELL = re.compile(r"^(?:[A-Z]{0,3}\$|[€£]|US\$|C\$|A\$)$")
# What closes a printed number when a table prints it apart: a negative's ")", a "%".
_CLOSERS = (")", "%", ")%")


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float  # baseline, from the top of the page
    size: float  # character height (of the loose glyph box)
    bold: bool = False


@dataclass
class Cell:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)

    @property
    def numeric(self) -> bool:
        return is_number(self.text)


@dataclass
class PageLine:
    words: list[Word]
    base: float
    cells: list[Cell] = field(default_factory=list)
    _size: float = field(default=0.0, repr=False, compare=False)
    _size_of: int = field(default=-1, repr=False, compare=False)  # words when _size was set

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        """The median character height of the line's words."""
        # Kept while the words are the same: the readers ask for it many times per line.
        if self._size_of != len(self.words):
            sizes = sorted(w.size for w in self.words)
            self._size, self._size_of = sizes[len(sizes) // 2], len(self.words)
        return self._size

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


def is_number(text: str) -> bool:
    """A cell that holds one printed number (or a nil dash): "(1,234)", "$ 5.2", "14%", "-"."""
    t = text.strip()
    if not t or not any(c.isdigit() for c in t):
        return bool(_NIL_CELL.match(t))
    return bool(_NUMBER_CELL.match(t))


def words_from_chars(
    chars: list[tuple[str, float, float, float, float, float, bool]],
) -> list[Word]:
    """Words from (char, x0, x1, top, bottom, baseline, bold) in content order.

    A space, a line break, a change of baseline or a gap wider than half a character
    height ends a word: PDF producers do not always write the spaces between columns.
    """
    # The word being read is kept in locals, not a Word: this loop runs once for every
    # character of a document.
    words: list[Word] = []
    text: list[str] = []
    x0_ = x1_ = top_ = bottom_ = base_ = size_ = 0.0
    bold_ = False
    for ch, x0, x1, top, bottom, base, bold in chars:
        if ch.isspace() or ch in "\ufffe\ufeff":
            if text:
                words.append(Word("".join(text), x0_, x1_, top_, bottom_, base_, size_, bold_))
                text = []
            continue
        size = bottom - top if bottom - top > 0.1 else 0.1
        if (
            text
            and abs(base - base_) <= SAME_LINE * size_
            and -0.5 * size <= x0 - x1_ <= 0.5 * size
        ):
            text.append(ch)
            if x1 > x1_:
                x1_ = x1
            if top < top_:
                top_ = top
            if bottom > bottom_:
                bottom_ = bottom
            bold_ = bold_ and bold
            continue
        if text:
            words.append(Word("".join(text), x0_, x1_, top_, bottom_, base_, size_, bold_))
        text = [ch]
        x0_, x1_, top_, bottom_, base_, size_, bold_ = x0, x1, top, bottom, base, size, bold
    if text:
        words.append(Word("".join(text), x0_, x1_, top_, bottom_, base_, size_, bold_))
    return words


def lines_from_words(words: list[Word]) -> list[PageLine]:
    """Words grouped into lines by baseline, top to bottom, each left to right."""
    lines: list[PageLine] = []
    sizes: list[float] = []  # the last line's word sizes, in order: its size is their median
    for w in sorted(words, key=lambda w: (w.base, w.x0)):
        if lines and abs(w.base - lines[-1].base) <= SAME_LINE * max(
            w.size, sizes[len(sizes) // 2]
        ):
            lines[-1].words.append(w)
            insort(sizes, w.size)
        else:
            lines.append(PageLine([w], w.base))
            sizes = [w.size]
    # A small word on its own baseline (a raised footnote marker, a subscript) belongs to
    # the line whose band holds its middle: the line above it, or, as a marker raised over
    # its line's baseline is read first, the line below.
    out: list[PageLine] = []
    body = _body_size(lines)
    small = [all(w.size < 0.8 * body for w in ln.words) for ln in lines]
    for k, ln in enumerate(lines):
        host = None
        if small[k]:
            mid = (ln.top + ln.bottom) / 2
            below = [o for j, o in enumerate(lines[k + 1 : k + 3], k + 1) if not small[j]]
            near = [*reversed(out[-2:]), *below]
            host = next((o for o in near if o.top - 1 <= mid <= o.bottom + 1), None)
        if host is not None:
            host.words.extend(ln.words)
        else:
            out.append(ln)
    for ln in out:
        ln.words.sort(key=lambda w: w.x0)
        ln.cells = cells_of(ln.words)
    return out


def _body_size(lines: list[PageLine]) -> float:
    sizes = sorted(w.size for ln in lines for w in ln.words)
    return sizes[len(sizes) // 2] if sizes else 10.0


def cells_of(words: list[Word]) -> list[Cell]:
    """A line's words grouped into cells at wide gaps; "$" joins the number after it and
    ")" or "%" the number before it, as a table prints them in cells of their own."""
    cells: list[Cell] = []
    for k, w in enumerate(words):
        if cells and w.text in _CLOSERS and cells[-1].numeric:
            # A ")" or "%" printed as a string of its own closes the number before it,
            # however close or far it stands: joined with a space ("(3,401,510 )") it
            # would no longer read as a number, and far off it is no cell of its own.
            _join(cells[-1], w, "")
            continue
        # "$" stands at the left of its column, next to the number before it: it opens a
        # cell, and the number after it joins that cell however wide the gap.
        bound = k > 0 and _CURRENCY_CELL.match(words[k - 1].text) is not None and is_number(w.text)
        opens = _CURRENCY_CELL.match(w.text) is not None
        if cells and (bound or (not opens and w.x0 - cells[-1].x1 <= CELL_GAP * w.size)):
            c = cells[-1]
            c.text += " " + w.text
            c.x1, c.top, c.bottom = max(c.x1, w.x1), min(c.top, w.top), max(c.bottom, w.bottom)
        else:
            cells.append(Cell(w.text, w.x0, w.x1, w.top, w.bottom))
    merged: list[Cell] = []
    for c in cells:
        if merged and _CURRENCY_CELL.match(merged[-1].text) and is_number(c.text):
            prev = merged.pop()
            c = Cell(
                f"{prev.text} {c.text}",
                prev.x0,
                c.x1,
                min(prev.top, c.top),
                max(prev.bottom, c.bottom),
            )
        merged.append(c)
    return merged


def _join(target: Cell, other: Cell | Word, sep: str) -> None:
    target.text += sep + other.text
    target.x1 = max(target.x1, other.x1)
    target.top = min(target.top, other.top)
    target.bottom = max(target.bottom, other.bottom)


# -- tables --------------------------------------------------------------------------

# A label longer than this is prose that happens to hold a number, not a row label.
_MAX_LABEL = 90
# Lines of a table stand closer than this many line heights; a wider gap ends it.
_ROW_GAP = 3.3
# Header lines stacked above a table's first row, at most, and how far above it (in line
# heights) they may stand: statements leave a wider gap under their column headings.
_MAX_HEADER_LINES = 5
_HEADER_GAP = 3.4
# A label wraps onto a line at most this many line heights under it.
_WRAP_GAP = 1.6


@dataclass
class Column:
    x0: float
    x1: float


@dataclass
class TableRegion:
    """Lines of a page that form a table: header lines, then body lines, and the value
    columns found from where the numbers stand."""

    header: list[PageLine]
    body: list[PageLine]
    columns: list[Column]
    wrapped_labels: bool = False  # see ``find_tables``

    @property
    def lines(self) -> list[PageLine]:
        return [*self.header, *self.body]

    def rows(self) -> tuple[list[list[str]], list[list[tuple[float, float, float, float] | None]]]:
        """Every row as [label, value per column], with each cell's box: a row per line, or,
        with ``wrapped_labels``, a row per body line with the lines its label wraps onto."""
        rows: list[list[str]] = []
        boxes: list[list[tuple[float, float, float, float] | None]] = []
        first = self.columns[0].x0
        if self.wrapped_labels:
            groups = [[ln] for ln in self.header] + _label_wraps(self.body, self.columns)
        else:
            groups = [[ln] for ln in self.lines]
        for n, group in enumerate(groups):
            header = n < len(self.header)
            texts = [""] * (len(self.columns) + 1)
            cell_boxes: list[tuple[float, float, float, float] | None] = [None] * len(texts)
            for cell in (c for ln in group for c in ln.cells):
                # A row's label starts left of the value columns, though a long one may
                # run into them; a heading over a column may start left of its numbers, so
                # in the header only a text wholly left of the columns heads the labels.
                if header:
                    label = cell.x1 <= first + 2
                else:
                    label = cell.x0 < first - 2
                j = 0 if label else 1 + _column_of(cell, self.columns)
                if header and not label:
                    # A heading over several columns ("Year ended") goes to the first of
                    # them: the table reader carries a spanning heading rightwards.
                    over = [k for k, col in enumerate(self.columns) if _overlap(cell, col) > 0]
                    if len(over) > 1:
                        j = 1 + over[0]
                # A label wrapped after a hyphen ("by-" / "product") keeps it, unspaced.
                sep = "" if texts[j].endswith("-") and j == 0 else " "
                texts[j] = f"{texts[j]}{sep}{cell.text}".strip()
                cell_boxes[j] = (
                    cell.box if cell_boxes[j] is None else _union(cell_boxes[j], cell.box)
                )
            rows.append(texts)
            boxes.append(cell_boxes)
        return rows, boxes


# A label ending with one of these words runs on into the next line.
_RUNS_ON = re.compile(r"(?:[,&(-]|\b(?:and|or|of|for|in|on|to|the|from|before|after))$", re.I)


def _label_wraps(body: list[PageLine], columns: list[Column]) -> list[list[PageLine]]:
    """The body's lines grouped into rows: a label printed over two or three lines is one
    row with its values.

    A line just under a row's last line joins that row when its label goes on in lower
    case ("Exploration and evaluation" over "expenditure  (1,705)"; "Cash costs on a
    by-product  $ 12.80" over "basis"), when the label above stops mid-phrase ("...
    attributable to" over "Owners of the Company"), or when it holds the values alone of
    a label above (values set level with the middle of a two-line label); and never when
    both hold a value in one column: those are two rows. A label-only line that none of
    this joins is a row of its own: a group heading ("Operating expenses").
    """
    groups: list[list[PageLine]] = []
    for ln in body:
        if groups and _just_under(groups[-1][-1], ln) and _continues_label(groups[-1], ln, columns):
            groups[-1].append(ln)
        else:
            groups.append([ln])
    return groups


def _continues_label(group: list[PageLine], ln: PageLine, columns: list[Column]) -> bool:
    """Whether ``ln`` belongs to the row whose lines so far are ``group``."""
    first = columns[0].x0 if columns else float("inf")
    labels = [c.text for g in group for c in g.cells if c.x0 < first - 2]
    taken = {_column_of(c, columns) for g in group for c in g.cells if c.x0 >= first - 2}
    own = {_column_of(c, columns) for c in ln.cells if c.x0 >= first - 2}
    if taken & own or not labels:
        return False
    if ln.cells[0].x0 >= first - 2:
        return not taken  # the values of a label printed over the lines above
    return ln.text[:1].islower() or _RUNS_ON.search(labels[-1]) is not None


def _just_under(above: PageLine, ln: PageLine) -> bool:
    """Whether ``ln`` is the next line of text under ``above`` (no row gap between)."""
    return 0 < ln.base - above.base <= _WRAP_GAP * max(above.size, ln.size)


def _union(a, b):
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _overlap(cell: Cell, col: Column) -> float:
    return min(cell.x1, col.x1) - max(cell.x0, col.x0)


def _column_of(cell: Cell, columns: list[Column]) -> int:
    """The column a cell stands in: the one it overlaps most, else the nearest."""
    best, best_score = 0, float("-inf")
    for j, col in enumerate(columns):
        overlap = min(cell.x1, col.x1) - max(cell.x0, col.x0)
        if overlap <= 0:
            # Not overlapping: the distance between the two, negated.
            overlap = -min(abs(cell.x0 - col.x1), abs(col.x0 - cell.x1))
        if overlap > best_score:
            best, best_score = j, overlap
    return best


def _is_row(ln: PageLine) -> bool:
    """A table row: a short label (or none) and at least one number standing apart."""
    cells = ln.cells
    if len(cells) < 2:
        return False
    values = cells[1:] if not cells[0].numeric else cells
    # Years alone ("2022  2021") head a table; a row holds at least one other number.
    if not any(c.numeric and not _yearish(c.text) for c in values):
        return False
    if len(cells[0].text) > _MAX_LABEL:
        return False
    # Text cells among the values are short (a unit, "n/a", a year), not sentences.
    return all(c.numeric or len(c.text) <= 40 for c in cells[1:])


def _is_label_only(ln: PageLine, columns_x0: float) -> bool:
    """A group heading or a wrapped label inside a table ("Assets", "evaluation expenditure")."""
    return (
        len(ln.cells) == 1 and len(ln.cells[0].text) <= _MAX_LABEL and ln.cells[0].x1 < columns_x0
    )


def _is_header_line(ln: PageLine, columns: list[Column]) -> bool:
    """Headings of the value columns: short texts standing over the columns."""
    if not ln.cells or any(len(c.text) > 60 for c in ln.cells):
        return False
    first = columns[0].x0 if columns else 0
    right = [c for c in ln.cells if c.x1 > first - 2]
    if not right:
        # Only a label over the label column ("Location"): a header when short.
        return len(ln.cells) == 1 and len(ln.cells[0].text) <= 30
    # Sentences over the columns are prose; numbers over them are a row, not a header.
    return all(not c.numeric or _yearish(c.text) for c in right)


def starts_table(lines: list[PageLine], k: int) -> bool:
    """Whether a table starts at ``lines[k]``: its header row set right over its rows, or
    two of its rows set one right under the other.

    A header row has headings in cells of their own, standing over the value columns of
    the row under it, which stands no further below them than the rows stand from one
    another. Page furniture stands further off the body than that.
    """
    if k + 1 >= len(lines):
        return False
    ln, row = lines[k], lines[k + 1]
    if not _is_row(row):
        return False
    gap, size = row.base - ln.base, max(ln.size, row.size)
    if _is_row(ln):
        return 0 < gap <= _WRAP_GAP * size
    if len(ln.cells) < 2:
        return False
    after = lines[k + 2] if k + 2 < len(lines) else None
    # The rows' own pitch, or, with one row only, a line's (a table's header may stand a
    # little further off its first row than the rows stand from one another).
    pitch = after.base - row.base if after is not None and _is_row(after) else 0.0
    if not 0 < gap <= max(1.25 * pitch, _WRAP_GAP * size):
        return False
    columns = _columns([row])
    return _is_header_line(ln, columns) and any(
        _overlap(c, col) > 0 for c in ln.cells[1:] for col in columns
    )


def _yearish(text: str) -> bool:
    return bool(re.fullmatch(r"(?:FY\s?|Q[1-4]\s?)?(?:19|20)\d\d", text.strip()))


def find_tables(lines: list[PageLine], wrapped_labels: bool = False) -> list[TableRegion]:
    """The tables of one page's lines (in reading order).

    ``wrapped_labels``: a label printed over lines set just under one another is one row
    (``_label_wraps``). Only where line spacing is real (a PDF page) does it tell a wrapped
    label from the next row; a text file's lines are all one line apart.
    """
    regions: list[TableRegion] = []
    i = 0
    n = len(lines)
    while i < n:
        if not _is_row(lines[i]):
            i += 1
            continue
        body = [lines[i]]
        j = i + 1
        pending: list[PageLine] = []
        while j < n:
            ln = lines[j]
            pitch = max(ln.size, body[-1].size)
            last = pending[-1] if pending else body[-1]
            if ln.base - last.base > _ROW_GAP * pitch:
                break
            if _is_row(ln):
                body += pending + [ln]
                pending = []
            elif len(pending) < 3 and _is_label_only(ln, _values_x0(body)):
                pending.append(ln)
            else:
                break
            j += 1
        columns = _columns(body)
        if (
            wrapped_labels
            and pending
            and _just_under(body[-1], pending[0])
            and _continues_label([body[-1]], pending[0], columns)
        ):
            body.append(pending.pop(0))  # the last row's label ends on the line under it
        if not columns or (len(body) < 2 and len(columns) < 2):
            i += 1
            continue
        header, groups = _header_above(lines, i, columns, regions)
        regions.append(TableRegion(header, groups + body, columns, wrapped_labels))
        i = max(j - len(pending), i + 1)
    return regions


def _values_x0(body: list[PageLine]) -> float:
    xs = [c.x0 for ln in body for c in (ln.cells[1:] if not ln.cells[0].numeric else ln.cells)]
    return min(xs) if xs else 0.0


def _columns(body: list[PageLine]) -> list[Column]:
    """Value columns: the x-extents of the numbers, merged where they overlap."""
    spans = sorted(
        (c.x0, c.x1)
        for ln in body
        for k, c in enumerate(ln.cells)
        if (k > 0 or c.numeric) and (c.numeric or len(c.text) <= 12)
    )
    cols: list[Column] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1].x1 + 1.0:
            cols[-1].x1 = max(cols[-1].x1, x1)
        else:
            cols.append(Column(x0, x1))
    return cols


def _header_above(
    lines: list[PageLine], first: int, columns: list[Column], regions: list[TableRegion]
) -> tuple[list[PageLine], list[PageLine]]:
    """(header lines, group lines) above a table's first row.

    Group lines ("Pallacos Oxides", "Financial Performance") sit between the column
    headings and the first row; without column headings above them they are not part of
    the table (a title or a sentence).
    """
    taken = {id(ln) for r in regions for ln in r.lines}
    first_x = columns[0].x0
    k = first - 1
    below = lines[first]
    groups: list[PageLine] = []
    while k >= 0 and len(groups) < 3:
        ln = lines[k]
        if id(ln) in taken or below.base - ln.base > _ROW_GAP * max(ln.size, below.size):
            break
        if not _is_label_only(ln, first_x):
            break
        groups.insert(0, ln)
        below = ln
        k -= 1
    header: list[PageLine] = []
    while k >= 0 and len(header) < _MAX_HEADER_LINES:
        ln = lines[k]
        if id(ln) in taken or below.base - ln.base > _HEADER_GAP * max(ln.size, below.size):
            break
        if not _is_header_line(ln, columns) or not any(c.x1 > first_x - 2 for c in ln.cells):
            # A label-only line above the column headings ("Location" beside them is on
            # their own line) ends the header.
            break
        header.insert(0, ln)
        below = ln
        k -= 1
    if not header:
        return [], []
    return header, groups
