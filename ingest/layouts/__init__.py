"""Text table layouts: each turns the lines of a text view into table grids.

Two kinds of layout, each a registry:

- ``LINE_LAYOUTS`` read one line as one row (``cells``) and may pass over a line inside a
  table without ending it (``filler``: the rule line under a markdown header). One pass
  over the document tries them in order; consecutive rows of one layout make one grid.
  A layout may also say whether a line is a row without splitting it (``is_row``).
- ``RUN_LAYOUTS`` look at runs of lines no line layout took (a table written one cell per
  line, columns separated by spaces only) and return grids or issues.

Adding a layout is one module and one line in a registry below.
"""

from __future__ import annotations

from typing import Protocol

from ..model import Document, Grid, GridRow, Issue, Line
from . import cell_per_line, pipe, space_aligned, tsv


class LineLayout(Protocol):
    NAME: str
    MARK: str  # a character every row and filler line of the layout holds (a cheap test)

    def cells(self, line: Line) -> list[str] | None:
        """The row's cells when ``line`` is a row of this layout, else None."""

    def filler(self, line: Line) -> bool:
        """True for a line that sits inside a table of this layout without being a row."""


class RunLayout(Protocol):
    NAME: str

    def find(self, doc: Document, taken: set[int]) -> tuple[list[Grid], list[Issue]]:
        """Grids (and issues) in the runs of lines not in ``taken``."""


LINE_LAYOUTS: list[LineLayout] = [tsv, pipe]
RUN_LAYOUTS: list[RunLayout] = [cell_per_line, space_aligned]


def is_table_line(line: Line) -> bool:
    """Whether a line layout takes ``line`` as a table row or a line inside a table."""
    text = line.text
    for layout in LINE_LAYOUTS:
        if layout.MARK in text and (layout.filler(line) or _is_row(layout, line)):
            return True
    return False


def _is_row(layout: LineLayout, line: Line) -> bool:
    # The page-header finder asks this of every short line; the grids split the rows later.
    is_row = getattr(layout, "is_row", None)
    return is_row(line) if is_row is not None else layout.cells(line) is not None


def find_grids(doc: Document) -> tuple[list[Grid], list[Issue]]:
    """Every table grid in ``doc``'s lines, in document order, and what could not be read."""
    grids = _rejoin(doc, _line_grids(doc))
    taken = {row.line.no for g in grids for row in g.rows}
    issues: list[Issue] = []
    for layout in RUN_LAYOUTS:
        found, problems = layout.find(doc, taken)
        grids.extend(found)
        issues.extend(problems)
        taken.update(row.line.no for g in found for row in g.rows)
    grids.sort(key=lambda g: g.start_line)
    return grids, issues


def _rejoin(doc: Document, grids: list[Grid]) -> list[Grid]:
    """A markdown table broken by blank lines is one table: the grid after the break has
    the same width and no heading of its own (no rule line under its first row)."""
    out: list[Grid] = []
    for grid in grids:
        prev = out[-1] if out else None
        if (
            prev is not None
            and grid.layout == prev.layout == pipe.NAME
            and len(grid.rows[0].cells) == len(prev.rows[0].cells)
            and all(ln.is_blank for ln in doc.lines[prev.end_line : grid.start_line - 1])
            and grid.start_line - prev.end_line <= 3
            and not _ruled(doc, grid.start_line)
        ):
            prev.rows.extend(grid.rows)
            continue
        out.append(grid)
    return out


def _ruled(doc: Document, line_no: int) -> bool:
    nxt = doc.lines[line_no] if line_no < len(doc.lines) else None
    return nxt is not None and pipe.filler(nxt)


def _line_grids(doc: Document) -> list[Grid]:
    """Runs of rows of one line layout; a page header inside a run does not end it."""
    grids: list[Grid] = []
    current: Grid | None = None
    headers = doc.page_header_lines
    line_layouts = LINE_LAYOUTS
    for ln in doc.lines:
        if ln.no in headers:
            continue
        text = ln.text
        cells = None
        marked = False  # most lines are prose that holds no layout's mark
        for layout in line_layouts:
            if layout.MARK in text:
                marked = True
                cells = layout.cells(ln)
                if cells is not None:
                    break
        else:
            if marked and any(lay.MARK in text and lay.filler(ln) for lay in line_layouts):
                continue
            current = None
            continue
        if not any(cells):
            # A line of bare separators is a blank line that ends the table.
            current = None
            continue
        if current is None or current.layout != layout.NAME:
            current = Grid(layout=layout.NAME)
            grids.append(current)
        current.rows.append(GridRow(ln, cells))
    return grids
