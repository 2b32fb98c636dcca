"""The HTML reader: filings as users download them from SEC EDGAR (10-K, 20-F, 40-F, 6-K
exhibits), as a bare ``.htm`` document or inside EDGAR's SGML submission wrapper.

The document is parsed with lexbor (an HTML5 parser that accepts any input, as browsers
do) and walked once in reading order. Text runs become paragraphs of the element that holds
them; ``h1``-``h6`` and short runs that are all bold or all capitals become headings; tables
become grids, with EDGAR's typesetting undone (spans expanded, spacer columns dropped,
"$" / ")" / "%" cells joined to their numbers) or, where they only lay text out, paragraphs.
Every line keeps the path of the element it was read from; page headers repeated on every
page of a paginated filing are marked as such. What the EDGAR header, the inline XBRL
cover facts or the form's cover page state goes to ``Document.declared``. A document that
is plain text in an HTML or SGML envelope (``<pre>``, EDGAR's text format) is handed to
the text reader, whose layouts read space- and tab-aligned tables.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..checks.concatenation import KIND as CONCATENATED
from ..lexicon import dates
from ..model import Document, Issue, UnreadableFiling
from . import edgar
from . import text as text_reader
from .builder import DocumentBuilder, clean

NAME = "html"
SUFFIXES = (".htm", ".html")

# -- sniffing and decoding -----------------------------------------------------------------

_SNIFF_BYTES = 65536
# A document opens with markup: a doctype, an XML declaration, a comment or an HTML element.
_MARKUP_START = re.compile(
    r"^(?:\s|<!--.*?-->)*<(!doctype\s+html|html|\?xml|head|body|table|div|p|font|center|title|meta)\b",
    re.I | re.S,
)
_HTML_TAGS = re.compile(r"</?(?:html|body|p|div|table|tr|td|br|font|span|b|center)\b", re.I)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I)
# Labels browsers read as windows-1252 (the WHATWG Encoding Standard): documents declared
# ISO-8859-1 or ASCII print curly quotes and dashes with windows-1252 bytes.
_WINDOWS_1252_LABELS = frozenset(
    "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1"
    " iso88591 iso_8859-1 l1 latin1 latin-1 us-ascii windows-1252 x-cp1252".split()
)
# windows-1252 leaves five bytes undefined; browsers map them to the C1 controls (latin-1).
_C1_AS_1252 = {
    i: bytes([i]).decode("cp1252")
    for i in range(0x80, 0xA0)
    if i not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def sniff(data: bytes, name: str) -> bool:
    """True for an HTML document or an EDGAR submission, judged from the content: a file
    that opens with markup (a doctype, ``<html>``, ``<table>``...) or with EDGAR's
    ``<SEC-DOCUMENT>`` / ``<DOCUMENT>`` wrapper. Prose that mentions a tag does not."""
    head = _head(data)
    if not head.strip():
        # Nothing to judge by: the suffix decides, and the reader says the file is empty.
        return name.lower().endswith(SUFFIXES)
    if edgar.is_wrapped(head):
        return True
    m = _MARKUP_START.match(head)
    if not m:
        return False
    opener = m.group(1).lower()
    if opener.startswith("!doctype") or opener in ("html", "head", "meta", "title", "body"):
        return True
    if opener == "?xml":
        return "<html" in head.lower()
    # A fragment (an exhibit saved without <html>): real markup has several tags.
    return len(_HTML_TAGS.findall(head, 0, 8192)) >= 3


def _head(data: bytes) -> str:
    sample = data[:_SNIFF_BYTES]
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return sample[len(bom) :].decode(codec, errors="replace")
    return sample.decode("latin-1")


def decode(data: bytes, name: str) -> tuple[str, str, list[Issue]]:
    """The document's text and encoding: a byte-order mark, else the charset the document
    declares (``<meta charset>``, ``http-equiv``, an XML declaration; ISO-8859-1 read as
    windows-1252, as browsers do, unless the bytes are UTF-8), else UTF-8, else
    windows-1252 with a ``decode`` issue. Raises ``UnreadableFiling`` for an empty or a
    binary file."""
    if not data.strip():
        raise UnreadableFiling(f"{name}: the file is empty")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace"), codec, []
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise UnreadableFiling(f"{name}: binary data, not an HTML filing")
    issues: list[Issue] = []
    label = _declared_charset(data[:_SNIFF_BYTES])
    if label in _WINDOWS_1252_LABELS:
        # Filer software stamps "ISO-8859-1" on documents it writes in UTF-8: text whose
        # accented letters and curly quotes all form valid UTF-8 sequences is UTF-8 (a
        # windows-1252 text almost never does).
        if not data.isascii():
            try:
                return data.decode("utf-8"), "utf-8", issues
            except UnicodeDecodeError:
                pass
        return _windows_1252(data), "windows-1252", issues
    codec = _codec(label) if label else None
    # A document that could declare its charset in ASCII is not UTF-16 or UTF-32, whatever
    # it says (browsers read such a declaration as UTF-8).
    if codec and codec != "utf-8" and not codec.startswith(("utf-16", "utf-32")):
        try:
            return data.decode(codec), codec, issues
        except UnicodeDecodeError as exc:
            issues.append(_decode_issue(name, data, exc, f"declared {label} but is not"))
    try:
        return data.decode("utf-8"), "utf-8", issues
    except UnicodeDecodeError as exc:
        if _control_ratio(data[:8192]) > 0.05:
            raise UnreadableFiling(f"{name}: binary data, not an HTML filing") from None
        if not issues:
            issues.append(_decode_issue(name, data, exc, "not valid UTF-8"))
    return _windows_1252(data), "windows-1252", issues


def _declared_charset(head: bytes) -> str | None:
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii").lower() if m else None


def _codec(label: str) -> str | None:
    import codecs

    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _windows_1252(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1").translate(_C1_AS_1252)


def _decode_issue(name: str, data: bytes, exc: UnicodeDecodeError, what: str) -> Issue:
    source_line = data.count(b"\n", 0, exc.start) + 1
    return Issue(
        line=None,
        kind="decode",
        reason=f"{name}: {what} (first bad byte at offset {exc.start}, source line "
        f"{source_line}); decoded as windows-1252",
    )


def _control_ratio(sample: bytes) -> float:
    bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(sample) if sample else 0.0


# -- reading -------------------------------------------------------------------------------


def read(data: bytes, name: str) -> Document:
    """The HTML reader's entry point (see ``ingest.readers``)."""
    source, encoding, issues = decode(data, name)
    declared: dict[str, str] = {}
    if edgar.is_wrapped(source):
        filers = edgar.filers(source)
        if len(filers) > 1:
            # The main document is the first submission's: the others' would be read as its.
            issues.append(
                Issue(
                    line=None,
                    kind=CONCATENATED,
                    reason=f"the document holds more than one filing: {len(filers)} EDGAR"
                    f" submissions, of {', '.join(dict.fromkeys(filers))}",
                )
            )
        sub = edgar.submission(source)
        if sub.main is None:
            raise UnreadableFiling(f"{name}: an EDGAR submission without a text document")
        declared = sub.declared
        source = sub.main.text
        if not sub.main.is_html:
            return _as_text(edgar.plain_text(source), name, data, encoding, issues, declared)
    tree = LexborHTMLParser(_unnest(source))
    if _PRE.search(source) and _mostly_preformatted(tree):
        # A plain-text filing in <pre> (older EDGAR documents): its tables are aligned
        # with spaces, which only the text reader's layouts can read.
        body = tree.body.text(deep=True) if tree.body else ""
        return _as_text(body, name, data, encoding, issues, declared)
    builder = DocumentBuilder(name, data, "html", encoding)
    builder.issues.extend(issues)
    _Walker(builder).walk(tree.root)
    # A paginated filing repeats its page header ("Company / Notes to the Financial
    # Statements / Expressed in ...") on every page, as a converted PDF does: the same
    # test marks it, so it titles no table and splits none.
    builder.page_header_lines |= text_reader.find_page_headers(
        builder.lines, table_line=lambda ln: ln.has_tabs
    )
    builder.headings = [s for s in builder.headings if s.line not in builder.page_header_lines]
    tagged = _inline_xbrl(tree) if "dei:" in source else {}
    cover = edgar.cover_page(ln.text for ln in builder.lines)
    for found, source in (
        (declared, "edgar_header"),
        (tagged, "inline_xbrl"),
        (cover, "cover_page"),
    ):
        for key, value in found.items():
            if key not in builder.declared:
                builder.declared[key] = value
                builder.declared_sources[key] = source
    return builder.build()


def _as_text(
    body: str,
    name: str,
    data: bytes,
    encoding: str,
    issues: list[Issue],
    declared: dict[str, str],
) -> Document:
    doc = text_reader.load(body.encode("utf-8"), name)
    doc.content_sha256 = hashlib.sha256(data).hexdigest()
    doc.encoding = encoding
    doc.issues[:0] = issues
    cover = edgar.cover_page(ln.text for ln in doc.lines)
    doc.declared = {**cover, **declared}
    doc.declared_sources = {
        key: "edgar_header" if key in declared else "cover_page" for key in doc.declared
    }
    return doc


def _mostly_preformatted(tree: LexborHTMLParser) -> bool:
    pre = tree.css("pre") if tree.body is not None else []
    if not pre:
        return False
    pre_chars = sum(len(p.text(deep=True)) for p in pre)
    return pre_chars > 0.5 * len(tree.body.text(deep=True))


# Inline tags that sloppy filer software opens and never closes.
_INLINE_TAG = re.compile(r"<(/?)(font|span|b|i|u|em|strong|small|big|a)\b[^>]*>", re.I)
# Unclosed inline tags nest everything after them one level deeper: the HTML5 parser
# takes time in proportion to the depth for every tag (tens of seconds at 40,000 levels).
_UNCLOSED_LIMIT = 1000


def _unnest(source: str) -> str:
    """The source with the inline tags it leaves open by the thousand removed: they carry
    no structure, and the text they wrap is kept."""
    opened: dict[str, int] = {}
    for close, tag in _INLINE_TAG.findall(source):
        tag = tag.lower()
        opened[tag] = opened.get(tag, 0) + (-1 if close else 1)
    deep = {tag for tag, n in opened.items() if n > _UNCLOSED_LIMIT}
    if not deep:
        return source
    return _INLINE_TAG.sub(lambda m: "" if m.group(2).lower() in deep else m.group(0), source)


_PRE = re.compile(r"<pre\b", re.I)
_DEI = {
    "dei:entityregistrantname": "company_name",
    "dei:documentperiodenddate": "period_end",
    "dei:documenttype": "report_type",
    "dei:currentfiscalyearenddate": "fiscal_year_end",
}


def _inline_xbrl(tree: LexborHTMLParser) -> dict[str, str]:
    """The cover facts an inline XBRL filing tags (``dei:EntityRegistrantName``...)."""
    out: dict[str, str] = {}
    if tree.body is None:
        return out
    for node in tree.css('[name^="dei:"]'):
        key = _DEI.get((node.attributes.get("name") or "").lower())
        value = clean(node.text(deep=True))
        if not key or key in out or not value:
            continue
        if key == "period_end":
            d = dates.parse_date(value)
            if not d:
                continue
            value = d.isoformat()
        elif key == "fiscal_year_end":
            m = re.fullmatch(r"-*(\d\d)-?(\d\d)", value)
            if not m:
                continue
            value = m.group(1) + m.group(2)
        out[key] = value
    return out


# -- walking the document ------------------------------------------------------------------

# Never read: code, metadata, and EDGAR's inline XBRL header (hidden in the browser).
_SKIP = frozenset(
    "head script style title noscript template meta link object embed svg math iframe"
    " ix:header ix:hidden xml select option".split()
)
# Elements that end the text run before them and start a new one.
_BLOCK = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt"
    " fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend"
    " li main menu nav ol p pre section summary table tbody td tfoot th thead tr ul page".split()
)
_HEADING_TAGS = {"h1": 1, "h2": 1, "h3": 2, "h4": 2, "h5": 2, "h6": 2}
# Row groups the parser adds around rows; a row's path reads as the source wrote it.
_ROW_GROUPS = frozenset(("tbody", "thead", "tfoot"))
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BOLD = re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00|normal|lighter|[1-5]00)", re.I)
_CENTRED = re.compile(r"text-align\s*:\s*center", re.I)
# Page numbers and "Page F-8 of F-26" footers at page breaks.
_PAGE_NUMBER = re.compile(
    r"^-?\s*(?:page\s+)?(?:[A-Z]{0,2}-?\d{1,3}|[ivxl]{1,6})\s*-?"
    r"(?:\s*(?:of|/)\s*[A-Z]{0,2}-?\d{1,3})?$",
    re.I,
)
_HEADING_MAX = 120
_LIST_MARK = re.compile(r"^(?:[•·●○◦▪■□➢►➤→»✓❖*-]|\(?[a-z0-9]{1,3}[.)])\s", re.I)


class ElementPath:
    """An element's path ("/html/body/div[3]/table[2]/tr[5]"), built only when a line
    needs it. Unclosed tags can nest elements thousands deep; such a path keeps its first
    and last steps around an ellipsis, so a line's path never costs more than a few
    hundred characters."""

    __slots__ = ("parent", "step", "depth", "head", "_text")
    HEAD = 4  # steps kept at the start of a deep path
    TAIL = 40  # and at its end

    def __init__(self, step: str, parent: ElementPath | None = None) -> None:
        self.parent = parent
        self.step = step
        self.depth: int = parent.depth + 1 if parent else 1
        # The ancestor at depth HEAD: the start of every deeper path.
        self.head: ElementPath | None = (
            self if self.depth == self.HEAD else parent.head if parent else None
        )
        self._text: str | None = None

    def child(self, step: str) -> ElementPath:
        return ElementPath(step, self)

    def __str__(self) -> str:
        if self._text is None:
            steps: list[str] = []
            node: ElementPath | None = self
            while node is not None and len(steps) < self.TAIL:
                steps.append(node.step)
                node = node.parent
            tail = "/" + "/".join(reversed(steps))
            if node is None:
                self._text = tail
            else:
                self._text = f"{self.head}/…{tail}"
        return self._text


@dataclass
class _Block:
    """The element a text run belongs to: the nearest enclosing block element."""

    path: ElementPath
    tag: str
    centred: bool


class _Walker:
    """One pass over the DOM in reading order, writing blocks to the builder."""

    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.blocks: list[_Block] = []
        self.run: list[str] = []
        self.run_bold = True  # every piece of text in the run so far is bold
        self.breaks = 0  # <br>s since the last text
        # A short centred line waits here: above a table it is the table's title.
        self.pending: tuple[str, ElementPath] | None = None

    # The stack holds (node, path, bold, centred) to enter, or (None, ...) to leave a block.
    def walk(self, root: LexborNode | None) -> None:
        if root is None:
            return
        stack: list[tuple[LexborNode | None, ElementPath, bool, bool]] = [
            (root, ElementPath("html"), False, False)
        ]
        while stack:
            node, path, bold, centred = stack.pop()
            if node is None:
                self.flush()
                self.blocks.pop()
                continue
            tag = node.tag
            if tag == "-text":
                self.text(node.text_content or "", bold)
                continue
            if tag is None or tag.startswith("-") or tag in _SKIP:
                continue
            if tag == "br":
                self.line_break()
                continue
            if tag == "sup" and _is_marker_sup(node):
                self.run.append(" ")
            attrs = node.attributes
            if _hidden(attrs):
                continue
            style = attrs.get("style") or ""
            bold = _bold(tag, style, bold)
            if tag in _BLOCK:
                centred = centred or _centred(tag, attrs, style)
                if tag == "table" and self.table(node, path, bold, centred):
                    continue
                self.flush()
                self.blocks.append(_Block(path, tag, centred))
                stack.append((None, path, bold, centred))
            stack.extend(reversed(list(_children(node, path, bold, centred))))
        self.flush()
        self.emit_pending()

    # -- text runs ----------------------------------------------------------------------

    def text(self, text: str, bold: bool) -> None:
        if not text:
            return
        if not text.isspace():
            self.breaks = 0
            if not bold:
                self.run_bold = False
        self.run.append(text)

    def line_break(self) -> None:
        # One <br> wraps a line of the paragraph; two in a row end it (filer software
        # separates paragraphs with a blank line that way).
        self.breaks += 1
        if self.breaks >= 2:
            self.flush()
        else:
            self.run.append(" ")

    def flush(self) -> None:
        text = clean("".join(self.run)) if self.run else ""
        bold = self.run_bold
        self.run, self.run_bold, self.breaks = [], True, 0
        if not text:
            return
        block = self.blocks[-1] if self.blocks else _Block(ElementPath("html"), "html", False)
        if block.tag == "li":
            # A list item reads as the bullet it is printed as, never as a heading.
            self.emit_pending()
            if not _LIST_MARK.match(text):
                text = f"• {text}"
            self.builder.paragraph(text, path=str(block.path))
            return
        level = _HEADING_TAGS.get(block.tag)
        if level is None:
            level = _heading_level(text, bold)
        if level is not None:
            self.emit_pending()
            self.builder.heading(text, level, path=str(block.path))
            return
        if _PAGE_NUMBER.match(text):
            self.builder.running(text)
            return
        self.emit_pending()
        if block.centred and _title_like(text):
            self.pending = (text, block.path)
        else:
            self.builder.paragraph(text, path=str(block.path))

    def emit_pending(self, as_title: bool = False) -> None:
        if self.pending is None:
            return
        text, path = self.pending
        self.pending = None
        if as_title:
            self.builder.heading(text, 2, path=str(path))
        else:
            self.builder.paragraph(text, path=str(path))

    # -- tables -------------------------------------------------------------------------

    def table(
        self,
        node: LexborNode,
        path: ElementPath,
        bold: bool,
        centred: bool,
    ) -> bool:
        """Read a table as a grid or as list paragraphs; False when it only lays out
        blocks (it holds tables, or never two filled cells in a row) and is to be walked
        as a container."""
        parsed = _parse_table(node, path, bold)
        if parsed is None:
            return False
        caption, rows, row_paths = parsed
        spans_ignored = span_area(rows) > MAX_SPAN_AREA
        grid = tidy_grid(rows)
        if grid is None:
            return False
        kind = layout_kind(grid)
        if kind == "container":
            return False
        self.flush()
        if kind == "line":
            # One row of words ("Item 5. | Operating and Financial Review"): a heading
            # or a line of text set in a table, never a table of data.
            r = next(i for i, row in enumerate(grid) if any(row))
            self.run = [" ".join(c for c in grid[r] if c)]
            self.run_bold = all(c.bold for c in rows[r] if c.text)
            self.blocks.append(_Block(path.child(f"tr[{r + 1}]"), "tr", centred))
            self.flush()
            self.blocks.pop()
            return True
        if kind == "list":
            self.emit_pending()
            for row, row_path in zip(grid, row_paths, strict=True):
                filled = [c for c in row if c]
                if filled:
                    self.builder.paragraph(" ".join(_bullet(filled)), path=row_path)
            return True
        self.emit_pending(as_title=caption is None)
        if caption:
            self.builder.heading(caption, 2, path=str(path.child("caption[1]")))
        table = self.builder.table(grid, paths=row_paths, layout="html", caption=caption)
        if table is not None and spans_ignored:
            self.builder.issue(
                Issue(
                    line=table.start_line,
                    kind="table_spans",
                    reason=f"the table at {row_paths[0]} spans more than {MAX_SPAN_AREA:,} "
                    "cells; it was read without its row and column spans",
                )
            )
        return True


def _children(
    node: LexborNode, path: ElementPath, bold: bool, centred: bool
) -> list[tuple[LexborNode, ElementPath, bool, bool]]:
    out = []
    counts: dict[str, int] = {}
    child = node.child
    while child is not None:
        tag = child.tag
        if tag and tag[0] != "-":
            if tag in _ROW_GROUPS:
                child_path = path
            else:
                n = counts[tag] = counts.get(tag, 0) + 1
                child_path = path.child(f"{tag}[{n}]" if tag not in ("head", "body") else tag)
            out.append((child, child_path, bold, centred))
        elif tag == "-text":
            out.append((child, path, bold, centred))
        child = child.next
    return out


def _is_marker_sup(node: LexborNode) -> bool:
    # A footnote marker set as a superscript ("2016<sup>(1)</sup>") is printed apart from
    # the figure or label it marks, as the number and label readers expect it; an
    # exponent ("km<sup>2</sup>") stays joined.
    return node.text(deep=True).lstrip()[:1] in ("(", "*")


def _hidden(attrs: dict[str, str | None]) -> bool:
    # Not rendered: EDGAR hides the inline XBRL header this way.
    style = attrs.get("style")
    return bool(style and _HIDDEN.search(style)) or "hidden" in attrs


def _bold(tag: str, style: str, inherited: bool) -> bool:
    if tag in ("b", "strong", "th"):
        return True
    if style:
        m = _BOLD.search(style)
        if m:
            weight = m.group(1).lower()
            return weight in ("bold", "bolder") or weight[0] in "6789"
    return inherited


def _centred(tag: str, attrs: dict[str, str | None], style: str) -> bool:
    if tag == "center":
        return True
    # A table's align places the table on the page; its cells' text is not centred by it.
    align = tag != "table" and (attrs.get("align") or "").lower() == "center"
    return align or bool(style and _CENTRED.search(style))


def _heading_level(text: str, bold: bool) -> int | None:
    """1 for a short line in capitals, 2 for a short bold line, None for prose."""
    if not _title_like(text):
        return None
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return 1
    return 2 if bold else None


def _title_like(text: str) -> bool:
    # Short, with words, and not cut off mid-sentence.
    return (
        len(text) <= _HEADING_MAX
        and text[-1] not in ",;"
        and text[0] != "("
        and sum(c.isalpha() for c in text) >= 2
        and not _PAGE_NUMBER.match(text)
    )


# -- tables as grids -----------------------------------------------------------------------


@dataclass(slots=True)
class HtmlCell:
    """A ``<td>``/``<th>`` as printed: its text and the rows and columns it spans."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    bold: bool = False  # all its text is bold


_LEADING_DIGITS = re.compile(r"\s*(\d+)")
_MAX_COLSPAN = 200  # HTML allows 1000; EDGAR tables have a few dozen columns at most


def _parse_table(
    node: LexborNode, path: ElementPath, bold: bool = False
) -> tuple[str | None, list[list[HtmlCell]], list[str]] | None:
    """The caption, the rows of cells and the rows' paths; None when a cell holds a table
    (the outer table lays the inner ones out)."""
    caption: str | None = None
    rows: list[list[HtmlCell]] = []
    paths: list[str] = []
    trs: list[LexborNode] = []
    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "tr":
            trs.append(child)
        elif tag in _ROW_GROUPS:
            row = child.child
            while row is not None:
                if row.tag == "tr":
                    trs.append(row)
                row = row.next
        elif tag == "caption":
            caption = clean(_cell_text(child)[0]) or None
        child = child.next
    base = str(path)
    for k, tr in enumerate(trs, 1):
        cells: list[HtmlCell] = []
        rows.append(cells)
        paths.append(f"{base}/tr[{k}]")
        if _hidden(tr.attributes):
            continue
        cell = tr.child
        while cell is not None:
            if cell.tag in ("td", "th") and not _hidden(attrs := cell.attributes):
                style = attrs.get("style") or ""
                text, nested, all_bold = _cell_text(cell, _bold(cell.tag, style, bold))
                if nested:
                    return None
                # White space collapsed (no-break spaces too); the builder cleans the rest.
                cells.append(
                    HtmlCell(
                        " ".join(text.split()),
                        _span(attrs.get("rowspan"), 1 << 16),
                        _span(attrs.get("colspan"), _MAX_COLSPAN),
                        all_bold,
                    )
                )
            cell = cell.next
    return caption, rows, paths


def _span(value: str | None, limit: int) -> int:
    if not value or value == "1":
        return 1
    m = _LEADING_DIGITS.match(value)
    n = int(m.group(1)) if m else 1
    return min(max(n, 1), limit)


def _cell_text(cell: LexborNode, bold: bool = False) -> tuple[str, bool, bool]:
    """A cell's text (line breaks and blocks as spaces, hidden text left out), whether it
    holds a table, and whether all its text is bold."""
    parts: list[str] = []
    nested = False
    all_bold = True
    stack = [(cell.child, bold)] if cell.child is not None else []
    while stack:
        node, bold = stack.pop()
        if node.next is not None:
            stack.append((node.next, bold))
        tag = node.tag
        if tag == "-text":
            text = node.text_content or ""
            parts.append(text)
            if not bold and not text.isspace():
                all_bold = False
            continue
        if tag is None or tag.startswith("-") or tag in _SKIP:
            continue
        if tag == "table":
            nested = True
            continue
        attrs = node.attributes
        if _hidden(attrs):
            continue
        style = attrs.get("style") or ""
        if tag == "br" or tag in _BLOCK or (tag == "sup" and _is_marker_sup(node)):
            parts.append(" ")
        if node.child is not None:
            stack.append((node.child, _bold(tag, style, bold)))
    return "".join(parts), nested, all_bold


# "$", "US$", "C$", "A$", "€": a currency printed in a cell of its own before the number.
_CURRENCY_CELL = re.compile(r"^(?:[A-Za-z]{1,3}\.?\s?\$|\$\s?[A-Z]{0,3}|€|£|¥|\()$")
# A cell that closes the number before it: ")", "%", ")%" and "%)".
_CLOSING_CELL = re.compile(r"^(?:\)|%|\)\s*%|%\s*\))$")
_NUMBER_START = re.compile(r"^[(\-−–—]?\s*[\d.]|^[-−–—]+$")
_NUMBER_END = re.compile(r"[\d.]$|[\d.]\s*%$")
_NUMERIC = re.compile(r"^[(\-−–—$€£]*\s*[\d,.]+\s*[)%]*$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def tidy_grid(rows: list[list[HtmlCell]]) -> list[list[str]] | None:
    """Rows of cell texts with EDGAR's typesetting undone; None for a table without text.

    Row and column spans are expanded into the grid; a currency sign in a cell of its own
    joins the number after it, and ")" or "%" the number before it; columns that are then
    empty in every row (the spacer columns) are dropped. A spanned text that is not a number
    is repeated in each row of figures it spans, so a category spanning its deposits labels
    each, and, in a row of headers, in each column it spans, so a period over two columns
    heads both. A text spanning from the label column across the table is a row title and
    stays in the label column; a number is printed once.
    """
    if not any(c.text for row in rows for c in row):
        return None
    if span_area(rows) > MAX_SPAN_AREA:
        # Spans that would cover millions of cells are a broken table, not a layout:
        # its cells are read as printed, one column each.
        for row in rows:
            for cell in row:
                cell.rowspan = cell.colspan = 1
    slots = _expand(rows)
    width = max((len(r) for r in slots), default=0)
    for row in slots:
        _join_signs(row)
    # A column is real when a cell of its own (not a spanning one) has text in it.
    keep = {
        c
        for row in slots
        for c, slot in enumerate(row)
        if slot is not None and slot.cell.colspan == 1 and slot.cell.text
    }
    for row in slots:
        for c, slot in enumerate(row):
            cell = slot.cell if slot else None
            if cell and cell.text and slot.anchor == c and slot.row_anchor:
                span = range(c, min(c + cell.colspan, width))
                if not keep.intersection(span):
                    keep.add(c)
    columns = sorted(keep)
    label = columns[0] if columns else 0
    grid: list[list[str]] = []
    for row in slots:
        out: list[str] = []
        placed: set[int] = set()
        header = _is_header(row, label)
        for c in columns:
            slot = row[c] if c < len(row) else None
            if slot is None or not slot.cell.text:
                out.append("")
                continue
            cell = slot.cell
            first = id(cell) not in placed
            placed.add(id(cell))
            if first and slot.row_anchor:
                out.append(cell.text)
            elif _NUMERIC.match(cell.text):
                # A number is printed once, in the first row and column it covers.
                out.append("")
            elif not slot.row_anchor:
                # Down into rows of figures (a deposit over its categories); a header
                # spanning two header rows heads its column once.
                out.append("" if header else cell.text)
            elif slot.anchor <= label or not header:
                # A row title spanning from the label column stays a row title, and a
                # text spanning cells of a row of figures is one text, not one per cell.
                out.append("")
            else:
                out.append(cell.text)
        grid.append(out)
    return grid


def _is_header(row: list[_Slot | None], label: int) -> bool:
    """A row without figures beyond the label column (years and dates are headers)."""
    return not any(
        s is not None and c > label and _NUMERIC.match(s.cell.text) and not _YEAR.match(s.cell.text)
        for c, s in enumerate(row)
    )


# Cells a table's spans may cover before they are ignored: far beyond any real table
# (10,000 rows of 100 columns), well within memory.
MAX_SPAN_AREA = 1_000_000


def span_area(rows: list[list[HtmlCell]]) -> int:
    """How many grid cells the table's cells cover once their spans are expanded."""
    total = 0
    left = len(rows)
    for row in rows:
        for c in row:
            total += (c.rowspan if c.rowspan < left else left) * c.colspan
        left -= 1
    return total


@dataclass(slots=True)
class _Slot:
    cell: HtmlCell
    anchor: int  # the column the cell starts in
    row_anchor: bool  # the cell starts in this row (not spanned down from above)


def _expand(rows: list[list[HtmlCell]]) -> list[list[_Slot | None]]:
    slots: list[list[_Slot | None]] = [[] for _ in rows]
    for r, cells in enumerate(rows):
        line = slots[r]
        if not line and all(cell.rowspan == 1 == cell.colspan for cell in cells):
            # Most rows span nothing and are spanned by nothing: one slot per cell.
            line.extend(_Slot(cell, c, True) for c, cell in enumerate(cells))
            continue
        c = 0
        for cell in cells:
            while c < len(line) and line[c] is not None:
                c += 1
            for dr in range(min(cell.rowspan, len(rows) - r)):
                target = slots[r + dr]
                if len(target) < c + cell.colspan:
                    target.extend([None] * (c + cell.colspan - len(target)))
                for dc in range(cell.colspan):
                    if target[c + dc] is None:
                        target[c + dc] = _Slot(cell, c, dr == 0)
            c += cell.colspan
    return slots


def _join_signs(row: list[_Slot | None]) -> None:
    """Join "$" and "(" to the number after them and ")" / "%" to the number before them,
    in one row."""
    cells = [s.cell for c, s in enumerate(row) if s is not None and s.row_anchor and s.anchor == c]
    cells = [cell for cell in cells if cell.text]
    # Right to left, so "$" | "(" | "1,234" reads "$(1,234".
    nxt: HtmlCell | None = None
    for cell in reversed(cells):
        if nxt is not None and _CURRENCY_CELL.match(cell.text) and _NUMBER_START.match(nxt.text):
            sep = "" if cell.text.endswith(("$", "(")) or cell.text in "€£¥" else " "
            nxt.text = f"{cell.text}{sep}{nxt.text}"
            cell.text = ""
        else:
            nxt = cell
    cells = [cell for cell in cells if cell.text]
    for prev, cell in zip(cells, cells[1:], strict=False):
        if _CLOSING_CELL.match(cell.text) and prev.text and _NUMBER_END.search(prev.text):
            prev.text += cell.text.replace(" ", "")
            cell.text = ""


# Bullets and list markers a layout table prints in a cell of their own.
_MARKER = re.compile(
    r"^(?:[•·●○◦▪■□➢►➤→>»✓❖–—\-*§Øüo]|\(?[a-z]\)|\(?\d{1,2}\)|\d{1,2}\.|[a-z]\.|\(?[ivx]{1,4}\))$",
    re.I,
)
_BULLET_SIGNS = frozenset("•·●○◦▪■□➢►➤→>»✓❖§Øüo")


def layout_kind(grid: list[list[str]]) -> str:
    """How a tidied table reads: "grid" (a table of data), "list" (a bullet or a numbered
    note in one cell and its text in the next, row by row), "line" (one row of words and
    no figures: a heading set in a table), or "container" (never two filled cells in a
    row: a frame around text)."""
    filled_rows = [[c for c in row if c] for row in grid]
    filled_rows = [r for r in filled_rows if r]
    if all(len(r) <= 1 for r in filled_rows):
        return "container"
    if len(filled_rows) == 1 and not any(_NUMERIC.match(c) for c in filled_rows[0]):
        return "line"
    pairs = [r for r in filled_rows if len(r) >= 2]
    if all(
        len(r) == 2 and _MARKER.match(r[0]) and sum(ch.isalpha() for ch in r[1]) >= 8 for r in pairs
    ):
        return "list"
    return "grid"


def _bullet(cells: list[str]) -> list[str]:
    # Word processors print bullets in symbol fonts ("§", "Ø", "ü"): they read as "•".
    if len(cells) == 2 and cells[0] in _BULLET_SIGNS | {"-", "–", "—", "*"}:
        return ["•", cells[1]]
    return cells
