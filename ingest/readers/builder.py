"""Building a ``Document`` from a format that knows its own structure (PDF, HTML).

A reader of such a format calls ``heading``, ``paragraph`` and ``table`` in reading order;
the builder writes the text view the extractors read (one line per heading, paragraph and
table row, blank lines between blocks, table rows as tab-separated cells) and keeps, for
each line, where it came from: the PDF page and box, or the HTML element path. Tables are
kept as grids with a box per cell where the format has positions.
"""

from __future__ import annotations

import hashlib
import re

from ..model import Box, Document, Grid, GridRow, Issue, Line, PlacedLine, Section
from .paragraphs import prose_blocks
from .text import find_sections, normalise

_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """One line of text as the text reader would have it: dashes, quotes and spaces
    normalised, runs of white space (tabs and newlines included) made one space."""
    return _SPACE.sub(" ", normalise(text.replace("\u00ad", ""))).strip()


class DocumentBuilder:
    """Collects a structured document's blocks in reading order and builds the Document."""

    def __init__(self, name: str, data: bytes, fmt: str, encoding: str = "utf-8") -> None:
        self.name = name
        self.data = data
        self.format = fmt
        self.encoding = encoding
        self.lines: list[Line] = []
        self.grids: list[Grid] = []
        self.page_header_lines: set[int] = set()
        self.headings: list[Section] = []
        self.issues: list[Issue] = []
        self.declared: dict[str, object] = {}
        self.declared_sources: dict[str, str] = {}

    # -- blocks ------------------------------------------------------------------------

    def _add(
        self,
        text: str,
        page: int | None = None,
        box: Box | None = None,
        path: str | None = None,
    ) -> Line:
        line = PlacedLine(len(self.lines) + 1, text, text, page=page, box=box, path=path)
        self.lines.append(line)
        return line

    def blank(self) -> None:
        """A paragraph break (one blank line, never two in a row)."""
        if self.lines and not self.lines[-1].is_blank:
            self._add("")

    def heading(
        self,
        text: str,
        level: int = 1,
        *,
        page: int | None = None,
        box: Box | None = None,
        path: str | None = None,
    ) -> Line | None:
        """A heading, standing alone between blank lines."""
        text = clean(text)
        if not text:
            return None
        self.blank()
        line = self._add(text, page, box, path)
        self.headings.append(Section(title=text, line=line.no, level=1 if level <= 1 else 2))
        self.blank()
        return line

    def paragraph(
        self,
        text: str,
        *,
        page: int | None = None,
        box: Box | None = None,
        path: str | None = None,
        separate: bool = True,
    ) -> Line | None:
        """A paragraph (or a bullet item) as one line; ``separate`` puts a blank line
        before it, so it never joins the paragraph above."""
        text = clean(text)
        if not text:
            return None
        if separate:
            self.blank()
        return self._add(text, page, box, path)

    def running(self, text: str, *, page: int | None = None, box: Box | None = None) -> None:
        """A running page header or footer: kept in the text view, marked as such."""
        text = clean(text)
        if text:
            self.page_header_lines.add(self._add(text, page, box).no)

    def table(
        self,
        rows: list[list[str]],
        *,
        boxes: list[list[Box | None]] | None = None,
        pages: list[int | None] | None = None,
        paths: list[str | None] | None = None,
        layout: str,
        caption: str | None = None,
    ) -> Grid | None:
        """A table as rows of cell texts; one text-view line per row, cells tab-separated."""
        rows = [[clean(c) for c in row] for row in rows]
        keep = [i for i, row in enumerate(rows) if any(row)]
        if not keep:
            return None
        self.blank()
        grid = Grid(layout=layout, caption=caption)
        for i in keep:
            row = rows[i]
            row_boxes = boxes[i] if boxes else None
            page = pages[i] if pages else None
            box = _union([b for b in row_boxes or [] if b]) if row_boxes else None
            line = self._add("\t".join(row), page, box, paths[i] if paths else None)
            grid.rows.append(GridRow(line, row, row_boxes))
        self.grids.append(grid)
        self.blank()
        return grid

    def issue(self, issue: Issue) -> None:
        self.issues.append(issue)

    # -- the document --------------------------------------------------------------------

    def build(self) -> Document:
        text = "\n".join(ln.text for ln in self.lines)
        doc = Document(
            name=self.name,
            text=text,
            lines=self.lines,
            content_sha256=hashlib.sha256(self.data).hexdigest(),
            encoding=self.encoding,
            format=self.format,
            page_header_lines=frozenset(self.page_header_lines),
            grids=self.grids,
            issues=self.issues,
            declared=dict(self.declared),
            declared_sources=dict(self.declared_sources),
        )
        # The format's own headings, and the headings a text reader would see (short lines
        # standing alone, ALL CAPS titles) where the format did not mark them.
        marked = {s.line for s in self.headings}
        found = [s for s in find_sections(doc) if s.line not in marked]
        doc.sections = sorted([*self.headings, *found], key=lambda s: s.line)
        doc.prose = prose_blocks(doc)
        return doc


def _union(boxes: list[Box]) -> Box | None:
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
