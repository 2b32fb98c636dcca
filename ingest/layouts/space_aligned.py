"""Tables whose columns are separated by spaces only.

Two shapes, both common in text converted from PDF:

- Columns padded with runs of spaces (``pdftotext -layout``, a terminal browser): the
  character offsets are positions, and the rows and columns are found as on a PDF page
  (``ingest.layouts.positions``), a run of two or more spaces standing for a column gap.
- One space between every token ("Measured 80,000 1.0 0.1 5 0.2 800"): a row is a label
  followed by the same number of numbers as the rows around it; the heading line above is
  split into that many columns, a parenthesised unit closing each ("Cu(%)", "Ag (g/t)").

Lines between the rows that hold no number ("Lloyds (0.3% Cu" / "cutoff)") are group
headings, joined when one wraps onto the next.
"""

from __future__ import annotations

import re

from ..model import Document, Grid, GridRow, Issue, Line
from .positions import PageLine, Word, cells_of, find_tables

NAME = "space_aligned"

_NUMBER_TOKEN = re.compile(r"^\(?[-$]?\d[\d,.]*%?\)?$|^[-–—]$")
# Three numbers separated by spaces: a row has at least that; most prose lines are passed
# over on this one search.
_TWO_DIGITS = re.compile(r"\d\D+\d")
_THREE_NUMBERS = re.compile(r"\d\S*\s+\S*\d\S*\s+\S*\d")
# "Exploration expense     1,200,500     980,000": a label, then two or more numbers each
# after a run of at least three spaces.
_PADDED_ROW = re.compile(
    r"^[^\d\s][^\t]{0,80}?(?:\s{3,}\(?[-$]?\d[\d,.]*%?\)?){2,}\s*$|^(?:\s*\(?[-$]?\d[\d,.]*%?\)?\s{3,}){2,}"
)
_MIN_ROWS = 3
_MAX_LABEL_LINE = 60
# A character is this wide, and a line this tall, in the positions handed to the page
# geometry: one space joins words, two separate cells.
_CHAR = 1.0
_PITCH = 1.6


def find(doc: Document, taken: set[int]) -> tuple[list[Grid], list[Issue]]:
    grids: list[Grid] = []
    issues: list[Issue] = []
    for run in _runs(doc, taken):
        grid = _padded(run) or _single_spaced(run)
        if grid is not None and len(grid.rows) >= _MIN_ROWS:
            grids.append(grid)
            continue
        rows_in = [ln for ln in run if _numbers(ln.stripped) >= 3]
        if len(rows_in) >= _MIN_ROWS:
            issues.append(
                Issue(
                    line=rows_in[0].no,
                    kind="unsupported_table_layout",
                    text=rows_in[0].stripped[:200],
                    reason=f"lines {rows_in[0].no}-{rows_in[-1].no} look like a table whose "
                    "columns are separated by spaces only, but its columns could not be "
                    "told apart; it was not read",
                )
            )
    return grids, issues


def _numbers(text: str) -> int:
    return sum(1 for t in text.split() if _NUMBER_TOKEN.match(t))


def _is_row_line(ln: Line) -> bool:
    s = ln.stripped
    # Most lines of a filing are prose or blank: a row has at least two digits.
    if not s or len(s) >= 200 or ln.has_tabs or "|" in ln.text or not _TWO_DIGITS.search(s):
        return False
    if _PADDED_ROW.match(s):
        return True  # a label, then numbers standing apart in padded columns
    if _THREE_NUMBERS.search(s) is None:
        return False
    tokens = s.split()
    n = sum(1 for t in tokens if _NUMBER_TOKEN.match(t))
    return n >= 3 and n * 2 >= len(tokens)


def _runs(doc: Document, taken: set[int]) -> list[list[Line]]:
    """Runs of candidate rows, with the short lines between them and up to three lines of
    headings above the first."""
    out: list[list[Line]] = []
    lines = doc.lines
    headers = doc.page_header_lines
    i = 0
    while i < len(lines):
        ln = lines[i]
        # Blank lines, a third of a filing, are never rows: passed over without a call.
        if ln.is_blank or ln.no in taken or ln.no in headers or not _is_row_line(ln):
            i += 1
            continue
        start = i
        # Heading lines above: short, non-blank, not rows, not taken.
        k = i - 1
        while (
            k >= 0
            and start - k <= 3
            and not lines[k].is_blank
            and lines[k].no not in taken
            and not _is_row_line(lines[k])
            and len(lines[k].stripped) <= 120
        ):
            k -= 1
        run = list(lines[k + 1 : i])
        j = i
        while j < len(lines):
            cur = lines[j]
            if cur.no in taken or cur.no in headers:
                j += 1
                continue
            if _is_row_line(cur):
                run.append(cur)
            elif not cur.is_blank and len(cur.stripped) <= _MAX_LABEL_LINE and _next_row(lines, j):
                run.append(cur)  # a group heading between rows
            else:
                break
            j += 1
        out.append(run)
        i = j
    return out


def _next_row(lines: list[Line], j: int) -> bool:
    for ln in lines[j + 1 : j + 4]:
        if _is_row_line(ln):
            return True
        if ln.is_blank or len(ln.stripped) > _MAX_LABEL_LINE:
            return False
    return False


# -- padded columns: positions ---------------------------------------------------------


def _padded(run: list[Line]) -> Grid | None:
    """Columns padded with two or more spaces, read as positions."""
    if not any("  " in ln.stripped for ln in run if _is_row_line(ln)):
        return None
    page_lines = [_page_line(ln, n) for n, ln in enumerate(run)]
    tables = find_tables(page_lines)
    if len(tables) != 1:
        return None
    table = tables[0]
    rows, _ = table.rows()
    by_line = {id(pl): ln for pl, ln in zip(page_lines, run, strict=True)}
    grid = Grid(layout=NAME)
    for pl, cells in zip(table.lines, rows, strict=True):
        grid.rows.append(GridRow(by_line[id(pl)], cells))
    return grid


def _page_line(ln: Line, n: int) -> PageLine:
    words = []
    base = n * _PITCH
    for m in re.finditer(r"\S+", ln.text):
        x0 = m.start() * _CHAR
        words.append(Word(m.group(), x0, m.end() * _CHAR, base - 1.0, base, base, _PITCH))
    return PageLine(words, base, cells_of(words))


# -- one space between tokens: counts --------------------------------------------------


def _single_spaced(run: list[Line]) -> Grid | None:
    rows = [ln for ln in run if _is_row_line(ln)]
    counts: dict[int, int] = {}
    for ln in rows:
        k = _trailing_numbers(ln.stripped.split())
        counts[k] = counts.get(k, 0) + 1
    width, seen = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    if width < 2 or seen < _MIN_ROWS:
        return None
    grid = Grid(layout=NAME)
    first_row = run.index(rows[0])
    above = run[:first_row]
    # The heading line names every column; shorter lines under it are group headings.
    header = [ln for ln in above if len(ln.stripped.split()) >= width]
    if header:
        last = above.index(header[-1])
        header, above = above[: last + 1], above[last + 1 :]
        cells = _split_header(" ".join(ln.stripped for ln in header), width)
        grid.rows.append(GridRow(header[-1], cells))
    pending: list[Line] = list(above)
    for ln in run[first_row:]:
        tokens = ln.stripped.split()
        k = _trailing_numbers(tokens)
        if k < 2 or k < width // 2:
            pending.append(ln)  # a group heading, perhaps wrapped onto the next line
            continue
        if pending:
            label = " ".join(p.stripped for p in pending)
            grid.rows.append(GridRow(pending[-1], [label] + [""] * width))
            pending = []
        values = tokens[len(tokens) - k :]
        label = " ".join(tokens[: len(tokens) - k])
        values = values[-width:] if k > width else values
        grid.rows.append(GridRow(ln, [label, *values, *[""] * (width - len(values))]))
    return grid


def _trailing_numbers(tokens: list[str]) -> int:
    k = 0
    for t in reversed(tokens):
        if not _NUMBER_TOKEN.match(t):
            break
        k += 1
    return k


_UNIT_END = re.compile(r"\)$")


def _split_header(text: str, width: int) -> list[str]:
    """A heading line split into a label heading and ``width`` column headings.

    A parenthesised unit closes a column, with the word before it when it stands apart
    ("Cu(%)", "Ag (g/t)"); other words are a heading each ("Model", "tonnes"), and while
    there are too many, a bare word joins the unit after it ("Cu" + "Metal(t)").
    """
    groups: list[list[str]] = []
    for t in text.split():
        if t.startswith("(") and groups and not _UNIT_END.search(groups[-1][-1]):
            groups[-1].append(t)
        else:
            groups.append([t])
    while len(groups) > width + 1:
        k = next(
            (
                i
                for i in range(len(groups) - 2, -1, -1)
                if not _UNIT_END.search(groups[i][-1]) and _UNIT_END.search(groups[i + 1][-1])
            ),
            0,
        )
        groups[k : k + 2] = [groups[k] + groups[k + 1]]
    flat = [" ".join(g) for g in groups]
    if len(flat) == width + 1:
        return flat
    return ["", *flat, *[""] * (width - len(flat))][: width + 1]
