"""Tables an HTML page was flattened into one cell per line.

Two shapes, told apart by where the bars stand:

- a bar opens each cell ("|265.5", "|$", and a lone "|" for an empty one), the row's label
  on a line of its own before its cells;
- a bar closes each cell ("Ore mined |", "215 |"), a cell's text sometimes wrapped over
  several lines ("000" / "tonnes |").

The cells are read in order; a row is a label and the values after it (a "$" joins the
number after it; empty cells are the page's spacers). The heading cells before the first
row give the columns: the last as many of them as a row has values are the bottom heading
(years, dates), any before them a heading spanning them evenly ("3 months ended June 30,").
A cell that names a unit right after a label ("000 tonnes", "g/t") is the row's unit.
"""

from __future__ import annotations

import re

from ..lexicon.numbers import parse_number
from ..lexicon.units import is_unit_text
from ..model import Document, Grid, GridRow, Issue, Line

NAME = "cell_per_line"

_CELL_LINE = re.compile(r"^\|[^|]{0,80}$|^[^|]{1,80}\|$")
_MIN_CELLS = 6
_MIN_ROWS = 2
_CURRENCY = re.compile(r"^(?:[A-Z]{0,3}\$|[€£])$")
_OUTLINE = re.compile(r"^-?\s?\d{1,3}(?:\.\d{1,2}){0,3}\s?-?$")  # "1.2.5", "7", "- 1 -"
_SPANNING = re.compile(
    r"\b(?:ended|ending|months?|quarters?|years?|as\s+at|fiscal|(?:19|20)\d\d)\b", re.I
)


def find(doc: Document, taken: set[int]) -> tuple[list[Grid], list[Issue]]:
    grids: list[Grid] = []
    issues: list[Issue] = []
    if "|" not in doc.text:
        return grids, issues
    for run in _runs(doc, taken):
        if _contents(run):
            continue  # a table of contents: section titles and page numbers
        grid = _read_run(run)
        if grid is not None:
            grids.append(grid)
            continue
        bars = [ln for ln in run if "|" in ln.text]
        if len(bars) >= _MIN_CELLS:
            issues.append(
                Issue(
                    line=run[0].no,
                    kind="unsupported_table_layout",
                    text=" ".join(x.stripped for x in run[:6])[:200],
                    reason=f"lines {run[0].no}-{run[-1].no} hold a table written one cell per "
                    "line whose rows could not be rebuilt; it was not read",
                )
            )
    return grids, issues


def _runs(doc: Document, taken: set[int]) -> list[list[Line]]:
    out: list[list[Line]] = []
    run: list[Line] = []
    for ln in [*doc.lines, None]:
        t = ln.stripped if ln is not None else ""
        if ln is not None and ln.no not in taken and _CELL_LINE.match(t) and t.count("|") == 1:
            run.append(ln)
            continue
        if ln is not None and run and ln.no not in taken and (ln.is_blank or len(t) <= 60):
            # Labels and wrapped cell text sit between the barred lines.
            run.append(ln)
            continue
        if sum(1 for x in run if "|" in x.text) >= _MIN_CELLS:
            while run and run[-1].is_blank:
                run.pop()
            out.append(_with_title(doc, run))
        run = []
    return out


def _with_title(doc: Document, run: list[Line]) -> list[Line]:
    """The run with the short lines right above it (the table's title and scale line)."""
    k = run[0].no - 2
    above: list[Line] = []
    while k >= 0 and len(above) < 2:
        ln = doc.lines[k]
        if ln.is_blank or "|" in ln.text or len(ln.stripped) > 60 or ln.no in doc.page_header_lines:
            break
        above.insert(0, ln)
        k -= 1
    return above + run


def _cells(run: list[Line]) -> list[tuple[str, Line]]:
    """The run's cells in order, as (text, line of its first text)."""
    opening = sum(1 for ln in run if ln.stripped.startswith("|") and len(ln.stripped) > 1)
    closing = sum(1 for ln in run if ln.stripped.endswith("|") and len(ln.stripped) > 1)
    cells: list[tuple[str, Line]] = []
    if opening >= closing:
        for ln in run:
            t = ln.stripped
            if not t:
                continue
            cells.append((t[1:].strip() if t.startswith("|") else t, ln))
        return cells
    parts: list[str] = []
    first: Line | None = None
    for ln in run:
        t = ln.stripped
        if not t:
            continue
        first = first or ln
        parts.append(t.rstrip("|").strip())
        if t.endswith("|"):
            cells.append((" ".join(p for p in parts if p), first))
            parts, first = [], None
    if parts and first is not None:
        cells.append((" ".join(p for p in parts if p), first))
    return cells


def _contents(run: list[Line]) -> bool:
    """A table of contents: "contents" above it, or upper-case titles and only section and
    page numbers."""
    if any("contents" in ln.stripped.lower().replace(" ", "") for ln in run[:3]):
        return True
    cells = [t for t, _ in _cells(run) if t]
    words = [t for t in cells if any(c.isalpha() for c in t)]
    numbers = [t for t in cells if not any(c.isalpha() for c in t)]
    return (
        bool(words)
        and bool(numbers)
        and sum(1 for w in words if w.isupper()) >= 0.6 * len(words)
        and all(_OUTLINE.match(n) for n in numbers)
    )


def _is_value(text: str) -> bool:
    n = parse_number(text)
    return n.value is not None or n.is_nil or text.lower() in ("n/a", "nil")


def _read_run(run: list[Line]) -> Grid | None:
    cells = _cells(run)
    rows: list[tuple[str, Line, str, list[str]]] = []  # label, its line, unit, values
    heading: list[str] = []
    pending_currency = ""
    for text, ln in cells:
        if not text:
            continue
        if _CURRENCY.match(text):
            pending_currency = text
            continue
        if _is_value(text) and rows:
            rows[-1][3].append(f"{pending_currency}{text}" if pending_currency else text)
            pending_currency = ""
            continue
        pending_currency = ""
        if rows and not rows[-1][3] and not rows[-1][2] and is_unit_text(text):
            label, line, _, values = rows[-1]
            rows[-1] = (label, line, text, values)
            continue
        if not rows and not _is_value(text):
            heading.append(text)
            rows.append((text, ln, "", []))
            continue
        rows.append((text, ln, "", []))
    # The heading cells are what comes before the first row of values: labels, and years
    # ("2014", "2013") read as if they were values.
    first = next((i for i, r in enumerate(rows) if r[3] and not _all_years(r[3])), None)
    if first is None:
        return None
    heading = []
    for label, _, _, values in rows[:first]:
        heading.append(label)
        heading.extend(values)
    body = [r for r in rows[first:]]
    counts: dict[int, int] = {}
    for r in body:
        if r[3]:
            counts[len(r[3])] = counts.get(len(r[3]), 0) + 1
    width = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
    # One value column is a list (a table of contents and its page numbers), not a table.
    if sum(1 for r in body if len(r[3]) == width) < _MIN_ROWS or width < 2:
        return None
    has_units = any(r[2] for r in body)
    grid = Grid(layout=NAME)
    title_cells, header_rows = _heading_rows(heading, width)
    header_line = rows[first][1] if first < len(rows) else run[0]
    for cells_of_row in header_rows:
        row = ["", *(["Unit"] if has_units else []), *cells_of_row]
        grid.rows.append(GridRow(header_line, row))
    for label, ln, unit, values in body:
        values = values[:width] + [""] * (width - min(width, len(values)))
        grid.rows.append(GridRow(ln, [label, *([unit] if has_units else []), *values]))
    grid.caption = " ".join(title_cells) or None
    return grid


def _all_years(values: list[str]) -> bool:
    return all(re.fullmatch(r"(?:FY\s?)?(?:19|20)\d\d", v.strip()) for v in values)


def _heading_rows(heading: list[str], width: int) -> tuple[list[str], list[list[str]]]:
    """(title cells, header rows) from the heading cells before the first row."""
    if len(heading) < width:
        return heading, []
    bottom = heading[-width:]
    rest = heading[:-width]
    rows: list[list[str]] = []
    # Upper headings that divide the columns evenly span them ("3 months ended", "6 months
    # ended" over four columns); anything before them is the table's title.
    for n in range(min(len(rest), width), 0, -1):
        if width % n == 0 and all(_SPANNING.search(u) for u in rest[-n:]):
            upper = rest[-n:]
            span = width // n
            rows.append([u if k % span == 0 else "" for u in upper for k in range(span)])
            rest = rest[:-n]
            break
    rows.append(bottom)
    return rest, rows
