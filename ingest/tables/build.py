"""Every table in a filing, read generically.

A table is a run of tab-separated (or markdown pipe) lines. Its title is a caption
("Table 4. ...") or the lead-in sentence or heading above it; its header rows are resolved
into value columns (periods, units, two-level headers); each cell keeps its raw text and
line. A header block that starts again mid-table (a second "Deposit / Contained Metal"
block) begins a continuation table with ``parent_index`` set.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..lexicon import dates as periods
from ..lexicon import numbers, units
from ..lexicon.currencies import currency_of
from ..lexicon.scales import scale_of
from ..model import Cell, Column, Document, Grid, GridRow, Issue, Line, Metadata, Period, Row, Table

_CAPTION_RE = re.compile(r"^(?:table|figure|exhibit|schedule)\s+[\dA-Z]{1,4}\b[.:\-–]?\s*", re.I)
_LEAD_IN_TAIL = re.compile(
    r"\s*(?:(?:are|is|were|was|have\s+been|has\s+been)\s+(?:summari[sz]ed|set\s+out|presented|shown|as)\b.*"
    r"|(?:as\s+follows|below)\s*)[:.]?\s*$",
    re.I,
)
_TOTAL_RE = re.compile(r"^(?:grand\s+)?total\b|\btotals?\s*$|\bsub-?\s*total\b|\bsub-\s*$", re.I)
_SUBTOTAL_RE = re.compile(r"\bsub-?\s*total\b|\bsub-\s*$", re.I)
_SPANNING_WORDS = re.compile(
    r"\b(?:ended|ending|months?|quarters?|years?|as\s+at|proven|probable|measured|indicated|"
    r"inferred|contained|grade|grades|metal|resources?|reserves?|case|scenario|total|"
    r"(?:19|20)\d\d)\b",
    re.I,
)
_YEARISH = re.compile(
    r"^(?:(?:FY\s?|F|fiscal\s+|YTD\s?|[369]M\s?)?(?:19|20)\d\d"
    r"|Q[1-4][\s/-]*(?:F|FY)?'?(?:19|20)?\d\d)$",
    re.I,
)
_NOTE_START = re.compile(r"^(?:notes?\s*:?|source\s*:|\(\d{1,2}\)|\d{1,2}[.)]\s|[-*•]\s|\*)", re.I)
_QUARTERLY_TITLE = re.compile(r"quarter", re.I)
_NOTE_SCAN_LIMIT = 40
_NOTES_HEADING = re.compile(r"^notes?\s*:?\s*$", re.I)
_SCALE_WORD = re.compile(r"thousand|million|000", re.I)
_SCALE_LEAD = re.compile(r"\b(?:in|expressed|amounts)\b", re.I)
_NOT_SLUG = re.compile(r"[^a-z0-9%$/.]+")


def extract_tables(
    doc: Document, metadata: Metadata | None = None
) -> tuple[list[Table], list[Issue]]:
    """Read every table in ``doc``. ``metadata`` supplies the fiscal year end and currency."""
    metadata = metadata or Metadata()
    year_end = periods.year_end_of(metadata)
    doc_scale = _document_scale(doc)
    issues: list[Issue] = []
    tables: list[Table] = []
    for block in doc.grids:
        for table in _read_block(block, doc, len(tables), year_end, doc_scale, metadata, issues):
            _link_continuation(table, tables, doc)
            tables.append(table)
    last = doc.lines[-1] if doc.lines else None
    if tables and last is not None and not last.is_blank and tables[-1].end_line == last.no:
        issues.append(
            Issue(
                line=last.no,
                kind="table_truncated",
                table_index=tables[-1].index,
                text=last.text.strip()[:200],
                reason=f"the file ends inside table '{tables[-1].title}': its last row may be cut off",
            )
        )
    return tables, issues


def _interim(metadata: Metadata) -> tuple[int, int, int] | None:
    """(month, day, months) of an interim filing's period: what "YTD 2022" means in it."""
    months = periods.PERIOD_MONTHS.get(metadata.period_type or "")
    end = metadata.period_end
    if not months or months == 12 or not end or len(end) != 10:
        return None
    return int(end[5:7]), int(end[8:10]), months


def _document_scale(doc: Document) -> float:
    """A scale stated for the whole document, e.g. in the page header."""
    # The opening lines, and the running page header (which repeats it on every page).
    running = [doc.line(no) for no in sorted(doc.page_header_lines)[:12]]
    for ln in [*doc.lines[:40], *running]:
        if ln.no in doc.page_header_lines or not ln.has_tabs:
            s = scale_of(ln.text) if _SCALE_WORD.search(ln.text) else 1.0
            if s != 1.0 and len(ln.text) < 160 and _SCALE_LEAD.search(ln.text):
                return s
    return 1.0


# -- reading one block --------------------------------------------------------------


def _is_caption_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return len(filled) == 1 and bool(cells[0]) and len(cells[0]) > 3 and not _numeric(cells[0])


def _numeric(text: str) -> bool:
    n = numbers.parse_number(text)
    return n.value is not None


@lru_cache(maxsize=8192)
def _value_kind(text: str) -> str:
    """ "blank", "nil", "number", "year", "period" (a date) or "text" for one value cell."""
    if not text:
        return "blank"
    if _YEARISH.match(text):
        return "year"
    if len(text) <= 60 and periods.has_date(text):
        return "period"
    if not text[0].isdigit() and units.is_unit_text(text):
        return "text"  # a unit heading a column: "(000's)", "(g/t)", "%"
    n = numbers.parse_number(text)
    if n.is_nil:
        return "nil"
    if n.value is not None or n.garbled:
        # A garbled number ("1,09O") is a value that failed, not header text.
        return "number"
    return "text"


def _is_header_row(cells: list[str], first: bool) -> bool:
    kinds = [_value_kind(c) for c in cells[1:]]
    if "number" in kinds:
        return False
    if "text" in kinds or "period" in kinds:
        return True
    # A row of years ("2013  2012") heads a table; elsewhere years are values.
    return "year" in kinds and (first or not cells[0])


def _read_block(
    block: Grid,
    doc: Document,
    start_index: int,
    year_end: tuple[int, int] | None,
    doc_scale: float,
    metadata: Metadata,
    issues: list[Issue],
) -> list[Table]:
    rows = block.rows
    title_parts: list[str] = [block.caption] if block.caption else []
    title_lines: list[int] = [rows[0].line.no] if block.caption and rows else []
    i = 0
    while i < len(rows) and _is_caption_row(rows[i].cells) and i < 3:
        # Caption rows with trailing tabs: "Table 1. ...\t\t\t" and "(0.37% CuEq cut-off)".
        title_parts.append(rows[i].cells[0])
        title_lines.append(rows[i].line.no)
        i += 1
    tables: list[Table] = []
    while i < len(rows):
        header: list[GridRow] = []
        while i < len(rows) and _is_header_row(rows[i].cells, first=not header):
            header.append(rows[i])
            i += 1
        body: list[GridRow] = []
        while i < len(rows) and not (body and _is_header_row(rows[i].cells, first=False)):
            body.append(rows[i])
            i += 1
        if not header and not body:
            break
        table = _build_table(
            block,
            header,
            body,
            title_parts,
            [] if tables else title_lines,
            doc,
            start_index + len(tables),
            year_end,
            doc_scale,
            metadata,
            issues,
        )
        if tables:
            table.parent_index = (
                tables[0].parent_index if tables[0].parent_index is not None else tables[0].index
            )
            table.title = tables[0].title
        tables.append(table)
    if not tables and title_parts:
        issues.append(
            Issue(
                line=title_lines[0],
                kind="table_truncated",
                reason=f"table '{title_parts[0]}' has a title but no rows",
            )
        )
    return tables


def _span(texts: list[str], spanning: bool) -> list[str]:
    """Carry each upper-header text rightwards over the empty cells it spans."""
    out: list[str] = []
    carry = ""
    for t in texts:
        if t:
            carry = t
            out.append(t)
        else:
            out.append(carry if spanning else "")
    return out


def _resolve_columns(
    header: list[GridRow], body: list[GridRow], width: int
) -> tuple[list[list[str]], str]:
    """Header texts per value column (outermost first) and the label column's header."""
    per_col: list[list[str]] = [[] for _ in range(width)]
    label_header_parts: list[str] = []
    for depth, row in enumerate(header):
        cells = (row.cells + [""] * width)[1 : width + 1]
        if row.cells and row.cells[0]:
            label_header_parts.append(row.cells[0])
        is_last = depth == len(header) - 1
        filled = [c for c in cells if c]
        # An upper header spans the columns to its right when it names a group (a period,
        # a category, "Contained Metal"); "Less than" over "1 Year" only stacks.
        spanning = not is_last and any(_SPANNING_WORDS.search(c) for c in filled)
        if not is_last and len(filled) < width and filled and not spanning:
            spanning = False
        spanned = _span(cells, spanning)
        # A spanning text that starts before the first column it covers (a merged cell
        # printed one tab early) is rare; we take the text as printed.
        for j, t in enumerate(spanned):
            if t:
                per_col[j].append(t)
    return per_col, " ".join(label_header_parts)


def _build_table(
    block: Grid,
    header: list[GridRow],
    body: list[GridRow],
    title_parts: list[str],
    title_lines: list[int],
    doc: Document,
    index: int,
    year_end: tuple[int, int] | None,
    doc_scale: float,
    metadata: Metadata,
    issues: list[Issue],
) -> Table:
    first_line = (title_lines or [(header or body)[0].line.no])[0]
    last_line = (body or header)[-1].line.no
    title, lead_in = _title(doc, first_line, title_parts)
    width = max([len(r.cells) for r in header + body], default=1) - 1
    # Trailing empty columns (trailing tabs on every row) are not columns.
    while width > 0 and all(len(r.cells) <= width or not r.cells[width] for r in header + body):
        width -= 1
    header_texts, label_header = _resolve_columns(header, body, width)
    bare_months = 3 if _QUARTERLY_TITLE.search(title) or _QUARTERLY_TITLE.search(lead_in) else 0
    interim = _interim(metadata)
    context = " ".join([title, lead_in, *(" ".join(r.cells) for r in header)])
    # The label column's header often carries the scale ("A$000s | 2024 | 2023").
    table_scale = scale_of(" ".join([title, lead_in, label_header]))
    currency = currency_of(context, metadata.currency)
    unit_cols = _unit_columns(header_texts, body, width)
    columns: list[Column] = []
    col_of: dict[int, Column] = {}
    used_keys: set[str] = set()
    for j in range(width):
        if j in unit_cols:
            continue
        texts = header_texts[j]
        col = _make_column(len(columns), texts, year_end, bare_months, used_keys, interim)
        columns.append(col)
        col_of[j] = col
    if table_scale == 1.0 and any(c.period for c in columns):
        table_scale = doc_scale
    table = Table(
        index=index,
        title=title,
        section=doc.section_at(first_line),
        start_line=first_line,
        end_line=last_line,
        format=block.layout,
        columns=columns,
        header_lines=[r.line.no for r in header],
        scale=table_scale,
        currency=currency,
        label_header=label_header,
    )
    named = max((j for j in range(width) if header_texts[j]), default=width - 1) + 1
    group: str | None = None
    for raw in body:
        row = _read_row(raw, col_of, unit_cols, named, group, table, issues)
        if row.kind == "group":
            group = row.label
            row.group = None
        table.rows.append(row)
    if not body:
        issues.append(
            Issue(
                line=last_line,
                kind="table_truncated",
                table_index=index,
                reason=f"table '{title}' has a header but no data rows",
            )
        )
    table.notes = _notes(doc, last_line)
    if not any(c.period for c in columns):
        # Dates in a financial title are the periods, not an effective date.
        table.effective_date = _effective_date(title)
    return table


def _unit_columns(header_texts: list[list[str]], body: list[GridRow], width: int) -> set[int]:
    """Columns that hold units as text ("$/lb", "$ Million", "Years") rather than values."""
    out: set[int] = set()
    for j in range(width):
        head = " ".join(header_texts[j]).lower()
        if head and head not in ("unit", "units", "uom"):
            continue
        vals = [r.cells[j + 1] for r in body if len(r.cells) > j + 1 and r.cells[j + 1]]
        if vals and all(_value_kind(v) == "text" and len(v) <= 20 for v in vals):
            out.add(j)
    return out


def _make_column(
    index: int,
    texts: list[str],
    year_end: tuple[int, int] | None,
    bare_months: int,
    used: set[str],
    interim: tuple[int, int, int] | None = None,
) -> Column:
    joined = " ".join(texts)
    period: Period | None = None
    if joined:
        period = periods.parse_period(
            joined, year_end=year_end, bare_date_months=bare_months, interim=interim
        )
        # An upper heading that is not a period ("(in $000 except share data)" over every
        # column) leaves the period to the heading below it, and the other way round.
        for part in (texts[0], texts[-1]) if period is None and len(texts) > 1 else ():
            period = periods.parse_period(
                part, year_end=year_end, bare_date_months=bare_months, interim=interim
            )
            if period is not None:
                break
    group = texts[0] if len(texts) > 1 else None
    sub = texts[-1] if len(texts) > 1 else None
    unit_text = texts[-1] if texts else ""
    unit = units.header_unit(unit_text)
    scale = scale_of(unit_text) if unit in (None, "currency") or "$" in unit_text else 1.0
    if scale == 1.0 and period is not None and len(texts) > 1:
        # A scale stated in an upper heading ("(in $000 except share data)").
        scale = next((s for s in map(scale_of, texts[:-1]) if s != 1.0), 1.0)
    if period:
        key = f"{period.end}/{period.months}m"
        if sub and not periods.has_date(sub) and not _YEARISH.match(sub):
            key += "/" + _slug(sub)
    else:
        key = _slug(joined) or f"col{index + 1}"
    base, n = key, 2
    while key in used:
        key = f"{base}#{n}"
        n += 1
    used.add(key)
    return Column(
        index=index,
        key=key,
        header=list(texts),
        period=period,
        unit=unit,
        scale=scale,
        group=group,
        sub=sub,
    )


def _slug(text: str) -> str:
    return _NOT_SLUG.sub("_", text.lower()).strip("_")[:60]


def _read_row(
    raw: GridRow,
    col_of: dict[int, Column],
    unit_cols: set[int],
    named: int,
    group: str | None,
    table: Table,
    issues: list[Issue],
) -> Row:
    cells = raw.cells
    raw_label = cells[0] if cells else ""
    label, markers = numbers.split_footnotes(raw_label)
    row = Row(
        line=raw.line.no, label=label, raw_label=raw_label, group=group, footnotes=list(markers)
    )
    values = cells[1:]
    for j in unit_cols:
        if j < len(values) and values[j]:
            row.unit = values[j]
    filled = 0
    for j, col in col_of.items():
        text = values[j] if j < len(values) else ""
        num = numbers.parse_number(text)
        if text:
            filled += 1
        if num.garbled:
            issues.append(
                Issue(
                    line=raw.line.no,
                    kind="unparsed_number",
                    table_index=table.index,
                    text=text,
                    reason=f"cell '{text}' in column '{' / '.join(col.header) or col.key}' "
                    f"of row '{label or '(unlabelled)'}' is not a number",
                )
            )
        if text or j < len(values):
            box = raw.boxes[j + 1] if raw.boxes and j + 1 < len(raw.boxes) else None
            row.cells.append(
                Cell(
                    column=col.key,
                    raw=text,
                    value=num.value,
                    line=raw.line.no,
                    is_nil=num.is_nil,
                    box=box,
                )
            )
    if label and filled == 0:
        row.kind = "group"
    elif _may_total(label, "sub") and _SUBTOTAL_RE.search(label):
        row.kind = "subtotal"
    elif not label or (_may_total(label, "total", "sub-") and _TOTAL_RE.search(label)):
        # An unlabelled row of numbers under a column of items is the total line.
        row.kind = "total"
    if row.kind != "group" and len(values) < min(named, len(col_of) + len(unit_cols)):
        issues.append(
            Issue(
                line=raw.line.no,
                kind="short_row",
                table_index=table.index,
                text=raw.line.text.strip()[:200],
                reason=f"row '{label or '(unlabelled)'}' has {len(values)} of "
                f"{named} cells; the missing cells were not read",
            )
        )
    return row


def _may_total(label: str, *words: str) -> bool:
    """Whether ``label`` may match a total pattern holding one of ``words`` in every match.

    The patterns ignore case: an ASCII label holds a word, lower-cased, when they match
    it; other labels are left to the pattern.
    """
    return not label.isascii() or any(map(label.lower().__contains__, words))


# -- titles, notes and dates --------------------------------------------------------


def _title(doc: Document, first_line: int, caption: list[str]) -> tuple[str, str]:
    """(title, lead-in sentence) for a table starting at ``first_line``."""
    lead_in = ""
    prose: list[Line] = []
    idx = first_line - 2
    while idx >= 0 and len(prose) < 2:
        ln = doc.lines[idx]
        idx -= 1
        if ln.no in doc.page_header_lines or ln.is_blank:
            continue
        if ln.has_tabs:
            break
        prose.append(ln)
    if caption:
        title = " ".join(caption)
        return title, ""
    for ln in prose[:1]:
        # A heading right above the table reads as the section has it ("## Table 14-3
        # Mineral Resources" -> "Table 14-3 Mineral Resources").
        t = next((s.title for s in doc.sections if s.line == ln.no), ln.text.strip())
        if _CAPTION_RE.match(t) and len(t) < 200:
            return t, ""
        if t.endswith(":") and len(t) < 400:
            lead_in = t
            short = _LEAD_IN_TAIL.sub("", t).strip(" :")
            if 0 < len(short) <= 120:
                return short, lead_in
    heading = doc.subsection_at(first_line)
    return heading or doc.section_at(first_line), lead_in


def _notes(doc: Document, last_line: int) -> list[str]:
    """Footnotes printed under a table: "Notes:" then "- ..." or "(1) ..." items."""
    out: list[str] = []
    started = False
    for ln in doc.lines[last_line : last_line + _NOTE_SCAN_LIMIT]:
        if ln.no in doc.page_header_lines or ln.is_blank:
            continue
        t = ln.text.strip()
        if ln.has_tabs or t.startswith("|"):
            break
        if _NOTE_START.match(t):
            started = True
            if not _NOTES_HEADING.match(t):
                out.append(t)
            continue
        if not started:
            # A caption under a table ("Source: ...") is a note; prose is not.
            break
        break
    return out


_EFFECTIVE_RE = re.compile(r"effective(?:\s+(?:as\s+)?(?:of|at|date))?[\s:]*", re.I)


def _effective_date(title: str) -> str | None:
    found = periods.find_dates(title)
    if not found:
        return None
    m = _EFFECTIVE_RE.search(title)
    if m:
        after = [d for pos, d in found if pos >= m.start()]
        if after:
            return after[0].isoformat()
    return found[-1][1].isoformat()


def _link_continuation(table: Table, previous: list[Table], doc: Document) -> None:
    """A table right after another, with only blank lines between, continues it."""
    if table.parent_index is not None or not previous:
        return
    prev = previous[-1]
    if (
        table.title
        and table.title != doc.subsection_at(table.start_line)
        and table.title != doc.section_at(table.start_line)
    ):
        return
    # Only blank lines and page furniture between: a page break's running header and footer,
    # however many lines they take, do not end a table.
    between = [
        ln
        for ln in doc.lines[prev.end_line : table.start_line - 1]
        if ln.no not in doc.page_header_lines
    ]
    printed = [ln for ln in between if not ln.is_blank]
    # A header-less block under a short heading of its own ("Capital and reserves" under a
    # statement of financial position) is the statement's next group, not a new table.
    heading = (
        printed[0].stripped
        if len(printed) == 1
        and printed[0].stripped == table.title
        and len(printed[0].stripped) <= 60
        and _can_inherit(table, prev)
        else None
    )
    if len(between) > 4 or (printed and heading is None):
        return
    if heading:
        for row in table.rows:
            row.group = row.group or heading
    table.parent_index = prev.parent_index if prev.parent_index is not None else prev.index
    table.title = prev.title
    table.notes = table.notes or []
    if table.effective_date is None:
        table.effective_date = prev.effective_date
    _inherit_columns(table, prev)


def _can_inherit(table: Table, prev: Table) -> bool:
    return (
        not any(c.header for c in table.columns)
        and len(table.columns) == len(prev.columns)
        and any(c.period for c in prev.columns)
    )


def _inherit_columns(table: Table, prev: Table) -> None:
    """A continuation printed without its header (the rest of a table on the next page)
    reads its values under the columns of the table it continues, when it has as many."""
    if not _can_inherit(table, prev):
        return
    keys = {c.key: p.key for c, p in zip(table.columns, prev.columns, strict=True)}
    table.columns = [replace(p) for p in prev.columns]
    for row in table.rows:
        for cell in row.cells:
            cell.column = keys.get(cell.column, cell.column)
    # Its first rows may be the last items of the group the page broke ("- Diluted" under
    # "Net income per share"): a row marked as an item (a leading dash) stays in that group.
    group = prev.rows[-1].group if prev.rows else None
    for row in table.rows:
        if row.group is not None or not group or not re.match(r"^\s*[-–]", row.raw_label):
            break
        row.group = group
    if table.scale == 1.0:
        table.scale = prev.scale
    table.currency = table.currency or prev.currency
    table.label_header = table.label_header or prev.label_header
