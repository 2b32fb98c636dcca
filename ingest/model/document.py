"""One document model for every input format: lines, table grids and cached views.

A reader (``ingest.readers``) turns a file's bytes into a ``Document``:

- ``lines``: the document's text view, numbered from 1. For a text file these are its own
  lines; a PDF or HTML reader writes one line per paragraph, heading or table row, and each
  line carries where it came from (``page`` and ``box`` on a PDF page, ``path`` of an HTML
  element), so every record the extractors make from a line can say where it was read.
- ``grids``: the tables, each a list of rows of cell texts, found by a text layout
  (``ingest.layouts``) or given by the format itself (an HTML ``<table>``, a PDF table).
- ``sections``: the headings.

Views that several extractors read (prose blocks, sentences) are computed once per
document and held on it (``Document.view``), never in a module-level cache.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from .records import Issue

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, from the top left


class Line:
    """One line of the text view. The derived flags are set once: every reader asks for them.

    A text file's line comes from nowhere but its number; a line of a format with places
    (a PDF page, an HTML element) is a ``PlacedLine``. Both answer ``page``, ``box`` and
    ``path``: here they are None, and a text line does not store them (a filing has
    hundreds of lines).
    """

    __slots__ = ("no", "text", "raw", "stripped", "is_blank", "has_tabs")

    page: int | None = None  # 1-based PDF page, where the format has pages
    box: Box | None = None  # the line's box on that page
    path: str | None = None  # element path in an HTML document

    def __init__(self, no: int, text: str, raw: str) -> None:
        self.no = no  # 1-based line number in the text view
        self.text = text  # normalised text (tabs kept)
        self.raw = raw  # as decoded, without the newline
        self.stripped = text.strip()
        self.is_blank = not self.stripped
        self.has_tabs = "\t" in text

    def __repr__(self) -> str:
        return f"Line({self.no}, {self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Line) and (self.no, self.text, self.raw) == (
            other.no,
            other.text,
            other.raw,
        )

    def __hash__(self) -> int:
        return hash((self.no, self.text, self.raw))


class PlacedLine(Line):
    """A line of a format with places: the PDF page and box, or the HTML element, it was
    read from."""

    __slots__ = ("page", "box", "path")

    def __init__(
        self,
        no: int,
        text: str,
        raw: str,
        page: int | None = None,
        box: Box | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(no, text, raw)
        self.page = page
        self.box = box
        self.path = path


@dataclass(frozen=True)
class Section:
    title: str
    line: int
    level: int  # 1 for an ALL-CAPS heading, 2 for a short title-case heading


@dataclass
class GridRow:
    """One row of a table grid: its cell texts, and the line of the text view it stands on."""

    line: Line
    cells: list[str]
    boxes: list[Box | None] | None = None  # per cell, where the format has positions


@dataclass
class Grid:
    """A table as a layout or a reader found it: rows of cell texts, nothing interpreted."""

    layout: str  # the layout or reader that found it: "tsv", "pipe", "html", "pdf", ...
    rows: list[GridRow] = field(default_factory=list)
    caption: str | None = None  # a caption the format marks as one (HTML <caption>)

    @property
    def start_line(self) -> int:
        return self.rows[0].line.no

    @property
    def end_line(self) -> int:
        return self.rows[-1].line.no


# Prose blocks are named tuples, not frozen dataclasses: a filing has hundreds of them and
# a frozen dataclass takes several times as long to build.
class ProseBlock(NamedTuple):
    """A paragraph, a bullet item or a heading, rejoined across page breaks and wraps."""

    line: int
    text: str
    starts: tuple[tuple[int, int], ...]  # (offset in text, line number) per source line
    heading: bool = False

    def line_at(self, offset: int) -> int:
        line = self.line
        for off, no in self.starts:
            if off > offset:
                break
            line = no
        return line


@dataclass
class Block:
    """A heading, a paragraph or a table, in document order (``Document.blocks``)."""

    kind: str  # "heading", "paragraph" or "table"
    line: int
    text: str = ""
    grid: Grid | None = None


_T = TypeVar("_T")


@dataclass
class Document:
    name: str
    text: str
    lines: list[Line]
    content_sha256: str
    encoding: str
    format: str = "text"  # the reader that made it: "text", "pdf", "html"
    page_header_lines: frozenset[int] = frozenset()
    sections: list[Section] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    prose: tuple[ProseBlock, ...] = ()  # paragraphs, bullets and headings, without tables
    issues: list[Issue] = field(default_factory=list)
    # Facts the format states outright (an EDGAR header's company name and period): the
    # metadata extractor takes them before reading the prose.
    declared: dict[str, Any] = field(default_factory=dict)
    # Which record of the format stated each declared field ("edgar_header", "cover_page").
    declared_sources: dict[str, str] = field(default_factory=dict)
    # Metadata the user wrote in a sidecar file beside the filing (NAME.meta.json/.yaml).
    sidecar: dict[str, Any] = field(default_factory=dict)
    _views: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def view(self, name: str, build: Callable[[], _T]) -> _T:
        """A per-document view (sentences, prose blocks), built on first use and kept."""
        try:
            return self._views[name]
        except KeyError:
            value = self._views[name] = build()
            return value

    def line(self, no: int) -> Line:
        return self.lines[no - 1]

    def section_at(self, line_no: int, level: int = 1) -> str:
        """The nearest heading at or above ``level`` before ``line_no`` ("" if none)."""
        index = self._section_index(level)
        if index is None:  # headings out of line order: walk them as they are listed
            title = ""
            for sec in self.sections:
                if sec.line > line_no:
                    break
                if sec.level <= level:
                    title = sec.title
            return title
        lines, titles = index
        k = bisect_right(lines, line_no)
        return titles[k - 1] if k else ""

    def _section_index(self, level: int) -> tuple[list[int], list[str]] | None:
        """The headings' lines and, after each, the title in force at ``level``: a binary
        search answers ``section_at``, which the table reader asks for every table. Made
        again if ``sections`` is replaced or grows; None when they are not in line order."""
        sections = self.sections
        found = self._views.get(f"section_index:{level}")
        if found is not None and found[0] is sections and found[1] == len(sections):
            return found[2]
        lines = [sec.line for sec in sections]
        index: tuple[list[int], list[str]] | None = None
        if lines == sorted(lines):
            titles: list[str] = []
            title = ""
            for sec in sections:
                if sec.level <= level:
                    title = sec.title
                titles.append(title)
            index = (lines, titles)
        self._views[f"section_index:{level}"] = (sections, len(sections), index)
        return index

    def subsection_at(self, line_no: int) -> str:
        """The nearest heading of any level before ``line_no``."""
        return self.section_at(line_no, level=2)

    @property
    def blocks(self) -> list[Block]:
        """Headings, paragraphs and tables in document order."""

        def build() -> list[Block]:
            out = [
                Block("heading" if b.heading else "paragraph", b.line, b.text) for b in self.prose
            ]
            out += [Block("table", g.start_line, grid=g) for g in self.grids if g.rows]
            return sorted(out, key=lambda b: b.line)

        return self.view("blocks", build)
