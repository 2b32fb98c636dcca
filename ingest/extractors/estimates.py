"""Mineral reserve and resource estimates from the tables that print them.

A table is an estimate table when its value columns read (by ``minerals.interpret_header``)
as tonnage with grades or contained metal, and a category (proven, probable, measured,
indicated, inferred) appears in its rows, headers or title, or its title names a mineral
resource or reserve. Each data row gives one ``Estimate`` per category; a grade-tonnage
table gives one per cut-off row. Choices a user should know:

- A row printed as all dashes ("Proven - - - -") is a stated nil: no estimate, no issue.
- Total and subtotal rows ("Total ...", "Oxide/Mixed Sub-", a "Measured & Indicated" row
  beside its parts, rows under a "... Combined" group) are kept with ``is_subtotal=True``.
  A total row without its own category takes the combination of the rows above it:
  proven + probable -> "proven_probable", measured + indicated -> "measured_indicated",
  anything wider -> "total".
- A continuation table (``parent_index``) without its own tonnage adds its contained metal
  to the estimates of its parent by (group, label); one with its own tonnage (a second
  category block) gives estimates of its own.
- Effective date: a date in the title, else the prose before the table, sentence by
  sentence, per deposit ("The Tarn estimate is effective as of ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..failures import step_failed
from ..lexicon import categories, commodities, minerals
from ..lexicon import dates as periods
from ..lexicon.minerals import HeaderMeaning
from ..lexicon.numbers import half_unit
from ..model import Cell, Document, Estimate, Grade, Issue, Row, Table
from ..prose.sentences import split_sentences
from ..tables.classify import table_groups
from ..tables.minerals import MineralColumn, mineral_columns

_SUBTOTAL_LABEL = re.compile(
    r"\bsub[\s-]?totals?\b|\btotals?\b|\bcombined\b|\ball\s+(?:deposits|zones|areas)\b"
    r"|\bsub-?\s*$|\bgrand\b",
    re.I,
)
_SUBTOTAL_WORDS = re.compile(
    r"\bsub[\s-]?totals?\b|\btotals?\b|\bcombined\b|\bsub-?\s*$|\bgrand\b", re.I
)
# A statement of an earlier estimate, kept and marked ("Historical Mineral Resources",
# "Previous Resource Estimate (2019)").
HISTORICAL = re.compile(
    r"\bhistoric(?:al)?\b|\bprevious(?:ly)?\b|\bprior\s+(?:mineral\s+)?(?:resource|reserve|estimate)"
    r"|\bsuperseded\b|\bformer\b",
    re.I,
)
# A current statement may say which earlier one it replaces ("... Statement (replaces the
# previous 2019 estimate)", "updating the prior estimate", "compared to the previous
# estimate"): that clause is about the other statement, not this one's standing. A
# statement that was replaced ("superseded by ...") keeps its mark.
_REFERS_BACK = re.compile(
    r"\b(?:replac(?:es|ing)|supersed(?:es|ing)|updat(?:es|ing)|compared\s+(?:to|with)|"
    r"versus|vs|changes?\s+(?:from|since)|relative\s+to)\b[^(),;\n]*",
    re.I,
)
_TITLE_RESERVE = re.compile(r"\breserves?\b", re.I)
_TITLE_RESOURCE = re.compile(r"\bresources?\b", re.I)
_TITLE_PREFIX = re.compile(r"^\s*(?:table|figure)\s+[\w.-]+\s*[.:\-]?\s*", re.I)
_TITLE_CUT = re.compile(
    r"\b(?:pit[\s-]constrained|underground|open[\s-]pit|updated?|revised|amended|restated|"
    r"current|inferred|indicated|measured|prove[nd]|probable|mineral|resources?|reserves?|"
    r"estimates?|statement|summary)\b"
    r"|\(|,|\bat\b|\bas\b",
    re.I,
)
# Words that open a title and qualify the statement, not the deposit ("Updated Tarn Mineral
# Resource Estimate", "Summary of the ..."). "New" is not one: mines are named "New ...".
_TITLE_LEAD = re.compile(
    r"^(?:(?:summary\s+of|the|updated?|revised|amended|restated|current|latest|final)\b"
    r"[\s:,-]*)+",
    re.I,
)
# A title names the commodity between the name and "Mineral Resources" ("Tarn Iron Ore",
# "Tarn Copper-Gold"): these words join commodity names there, and are no name either.
_COMMODITY_JOINERS = frozenset({"ore", "ores", "and", "&", "-", "/", "+"})
_NAME_TOKEN = re.compile(r"[^\s&/+-]+|[&/+-]")
_TITLE_FOR_THE = re.compile(
    r"\b(?:for|at|of)\s+the\s+((?:[A-Z][\w'’.-]*\s?){1,5}?)\s*(?:Mine|Project|Deposits?|Property)\b"
)
# "Tarn Deposit" names the deposit "Tarn"; "East Zone" is
# a name as it stands.
_DEPOSIT_SUFFIX = re.compile(r"\s+deposits?\s*$", re.I)
_PAREN_CUTOFF = re.compile(r"\s*\([^()]*\b(?:cut[\s-]?off|cutoff)\b[^()]*\)", re.I)
_EFFECTIVE = re.compile(r"\beffective\b", re.I)
_PROSE_WINDOW = 60  # lines of prose before a table searched for its effective date
_NUMBER_IN_LABEL = re.compile(r"(?<![\d.])[<>≥≤]?\s*(\d+(?:\.\d+)?)")


@dataclass
class _Context:
    """What applies to every estimate of one table (and its continuations)."""

    root: Table
    title: str
    title_date: str | None
    title_category: str | None
    title_deposit: str | None
    reserve_title: bool
    cutoff: tuple[float, str] | None
    label_meaning: HeaderMeaning | None
    seen: dict[str | None, list[str]] = field(default_factory=dict)  # group -> categories
    # group -> the last name a row of it printed ("Santa Rita (M+I)"): a row printing only
    # a category under it ("Measured", "Indicated") is a part of that name.
    named: dict[str | None, str] = field(default_factory=dict)


def extract_estimates(tables: list[Table], doc: Document) -> tuple[list[Estimate], list[Issue]]:
    """Every reserve and resource estimate printed in ``tables``.

    Reads the tables classified "reserve" or "resource". Cells that cannot be read become
    ``unread_estimate_cell`` issues; rows without a category, ``unread_estimate_row``.
    """
    estimates: list[Estimate] = []
    issues: list[Issue] = []
    for group in table_groups(tables):
        if group[0].kind not in ("reserve", "resource"):
            continue
        try:
            found, problems = _read_group(group, tables, doc)
        except Exception as exc:  # noqa: BLE001 - one odd table must not lose the others
            root = group[0]
            found, problems = (
                [],
                [
                    step_failed(
                        doc.name,
                        f"estimates of table {root.index}",
                        exc,
                        line=root.start_line,
                        table_index=root.index,
                    )
                ],
            )
        estimates.extend(found)
        issues.extend(problems)
    return estimates, issues


def _read_group(
    parts: list[Table], tables: list[Table], doc: Document
) -> tuple[list[Estimate], list[Issue]]:
    root = parts[0]
    title = root.title or ""
    cols = [mineral_columns(p) for p in parts]
    issues: list[Issue] = []
    label_meaning = minerals.interpret_header([root.label_header]) if root.label_header else None
    ctx = _Context(
        root=root,
        title=title,
        title_date=root.effective_date or _title_date(title),
        title_category=categories.category_of(title),
        title_deposit=_title_deposit(title),
        reserve_title=bool(_TITLE_RESERVE.search(title)) and not _TITLE_RESOURCE.search(title),
        cutoff=minerals.find_cutoff(title) or _notes_cutoff(root.notes),
        label_meaning=label_meaning,
    )
    estimates: list[Estimate] = []
    by_key: dict[tuple[str | None, str, str | None], Estimate] = {}
    headings = [title, root.section or "", doc.subsection_at(root.start_line)]
    historical = True if any(is_historical(h) for h in headings) else None
    for part, part_cols in zip(parts, cols, strict=True):
        has_tonnage = any(c.meaning.quantity == "tonnage" for c in part_cols)
        merge = part is not root and not has_tonnage
        _report_unknown_columns(part, part_cols, issues)
        for est, key in _read_rows(part, part_cols, ctx, issues):
            target = by_key.get(key) if merge else None
            if target is not None:
                _merge(target, est)
                continue
            by_key.setdefault(key, est)
            est.historical = historical
            estimates.append(est)
    _mark_combined(estimates)
    _assign_dates(estimates, ctx, tables, doc)
    return estimates, issues


def is_historical(text: str) -> bool:
    """Whether a heading or sentence makes its statement an earlier one ("Historical Mineral
    Resources", "Previous Resource Estimate (2019)"), not one that names what it replaces."""
    return bool(text) and HISTORICAL.search(_REFERS_BACK.sub(" ", text)) is not None


def _report_unknown_columns(part: Table, cols: list[MineralColumn], issues: list[Issue]) -> None:
    for col in cols:
        if col.meaning.quantity != "unknown":
            continue
        cells = [
            cell
            for row in part.rows
            for cell in row.cells
            if cell.column == col.column.key and cell.value is not None
        ]
        if not cells:
            continue
        issues.append(
            Issue(
                line=cells[0].line,
                kind="unread_estimate_cell",
                reason=f"column {' / '.join(col.column.header)!r}: "
                + (
                    "no commodity in the header"
                    if col.meaning.commodity is None
                    else f"unit of {col.meaning.commodity} not readable"
                )
                + f"; {len(cells)} value(s) not read",
                text=" / ".join(col.column.header)[:200],
                table_index=part.index,
            )
        )


def _read_rows(
    part: Table, cols: list[MineralColumn], ctx: _Context, issues: list[Issue]
) -> list[tuple[Estimate, tuple[str | None, str, str | None]]]:
    out: list[tuple[Estimate, tuple[str | None, str, str | None]]] = []
    col_by_key = {c.column.key: c for c in cols}
    blocks = sorted({c.category for c in cols if c.category}) or [None]
    if len(blocks) > 1:
        # Keep the printed order of the category blocks.
        order: list[str] = []
        for c in cols:
            if c.category and c.category not in order:
                order.append(c.category)
        blocks = order
    last_category: str | None = None
    for row in part.rows:
        if row.kind == "group":
            continue
        cells = [(cell, col_by_key.get(cell.column)) for cell in row.cells]
        texts = _text_columns(cells)
        label_cat = categories.category_of(row.label) if row.label else None
        row_cat = label_cat or texts.get("category_value")
        if row_cat is None and not row.label.strip() and last_category:
            row_cat = last_category
        group_cat = categories.category_of(row.group) if row.group else None
        for block in blocks:
            chosen = [
                (cell, col)
                for cell, col in cells
                if col is not None and (col.category in (None, block))
            ]
            numeric = [
                (cell, col)
                for cell, col in chosen
                if col.meaning.quantity in ("tonnage", "grade", "contained", "other")
            ]
            if not any(cell.value is not None for cell, _ in numeric):
                if any(cell.is_nil for cell, _ in numeric):
                    # A stated nil ("Proven - - -"): remembered for the total's category.
                    cat = block or row_cat or group_cat or ctx.title_category
                    if cat:
                        ctx.seen.setdefault(row.group, []).append(cat)
                continue
            category = block or row_cat or group_cat
            is_subtotal = (
                row.kind in ("total", "subtotal")
                or bool(_SUBTOTAL_LABEL.search(row.label))
                or bool(row.group and _SUBTOTAL_WORDS.search(row.group))
            )
            if category is None and is_subtotal:
                category = _combined(ctx.seen.get(row.group, [])) or ctx.title_category
            category = category or ctx.title_category
            if category is None:
                issues.append(
                    Issue(
                        line=row.line,
                        kind="unread_estimate_row",
                        reason="no mineral resource or reserve category in the row, its "
                        "group, the column headers or the title",
                        text=row.label[:200],
                        table_index=part.index,
                    )
                )
                continue
            if not is_subtotal:
                ctx.seen.setdefault(row.group, []).append(category)
            est = _estimate(row, chosen, numeric, category, is_subtotal, texts, ctx, part, issues)
            out.append((est, (row.group, _match_label(row.label), block)))
        if row_cat:
            last_category = row_cat
    return out


def _match_label(label: str) -> str:
    return " ".join(label.split()).lower()


def _text_columns(cells: list[tuple[Cell, MineralColumn | None]]) -> dict[str, str]:
    """Deposit, zone or category printed in text columns of the row."""
    out: dict[str, str] = {}
    for cell, col in cells:
        if col is None or col.meaning.quantity != "label" or not cell.raw.strip():
            continue
        key = col.meaning.key or "deposit"
        raw = cell.raw.strip()
        if key == "category":
            cat = categories.category_of(raw)
            if cat:
                out["category_value"] = cat
            continue
        if (
            key == "deposit"
            and re.search(r"\s[-–/]\s", raw)
            and re.search(r"zone", " ".join(col.column.header), re.I)
        ):
            dep, _, zone = re.split(r"\s([-–/])\s", raw, maxsplit=1)
            out.setdefault("deposit", dep.strip())
            out.setdefault("zone", zone.strip())
            continue
        out.setdefault(key, raw)
    return out


def _combined(categories: list[str]) -> str | None:
    base = set(categories)
    if not base:
        return None
    if len(base) == 1:
        return next(iter(base))
    if base <= {"proven", "probable"}:
        return "proven_probable"
    if base <= {"measured", "indicated"}:
        return "measured_indicated"
    return "total"


def _estimate(
    row: Row,
    chosen: list[tuple[Cell, MineralColumn]],
    numeric: list[tuple[Cell, MineralColumn]],
    category: str,
    is_subtotal: bool,
    texts: dict[str, str],
    ctx: _Context,
    part: Table,
    issues: list[Issue],
) -> Estimate:
    deposit, zone = _deposit_zone(row, texts, ctx)
    cutoff = _row_cutoff(row, chosen, ctx)
    if category in categories.RESERVE_CATEGORIES:
        is_reserve = True
    elif category in categories.RESOURCE_CATEGORIES:
        is_reserve = False
    else:
        is_reserve = ctx.reserve_title or all(
            c in categories.RESERVE_CATEGORIES for c in ctx.seen.get(row.group, ["x"])
        )
    est = Estimate(
        deposit=deposit,
        zone=zone,
        category=category,
        is_reserve=is_reserve,
        cutoff_value=cutoff[0] if cutoff else None,
        cutoff_unit=cutoff[1] if cutoff else None,
        effective_date=None,
        tonnage_mt=None,
        reported_tonnage=None,
        reported_tonnage_unit=None,
        is_subtotal=is_subtotal,
        table_index=ctx.root.index,
        line=row.line,
        label=row.label,
    )
    _add_cells(est, numeric, part, issues)
    return est


def _add_cells(
    est: Estimate, numeric: list[tuple[Cell, MineralColumn]], part: Table, issues: list[Issue]
) -> None:
    for cell, col in numeric:
        m = col.meaning
        if cell.value is None:
            if cell.raw.strip() and not cell.is_nil:
                issues.append(
                    Issue(
                        line=cell.line,
                        kind="unread_estimate_cell",
                        reason=f"{' / '.join(col.column.header)!r}: {cell.raw!r} is not a number",
                        text=cell.raw[:200],
                        table_index=part.index,
                    )
                )
            continue
        if m.quantity == "tonnage":
            if est.tonnage_mt is None:
                est.tonnage_mt = cell.value if m.factor == 1.0 else _norm(cell.value * m.factor)
                est.reported_tonnage = cell.value
                est.reported_tonnage_unit = m.reported_unit
                est.tonnage_half_unit = half_unit(cell.raw, m.factor)
        elif m.quantity == "other":
            if m.key and m.key != "category":
                est.other.setdefault(m.key, cell.value)
        elif m.commodity:
            grade = _grade_for(est, m.commodity)
            if m.quantity == "grade" and grade.grade is None:
                grade.grade = cell.value if m.factor == 1.0 else _norm(cell.value * m.factor)
                grade.grade_unit = m.unit
                grade.reported_grade = cell.value
                grade.reported_grade_unit = m.reported_unit
                grade.grade_half_unit = half_unit(cell.raw, m.factor)
            elif m.quantity == "contained" and grade.contained is None:
                grade.contained = cell.value if m.factor == 1.0 else _norm(cell.value * m.factor)
                grade.contained_unit = m.unit
                grade.reported_contained = cell.value
                grade.reported_contained_unit = m.reported_unit
                grade.contained_half_unit = half_unit(cell.raw, m.factor)


def _norm(value: float) -> float:
    # A unit factor leaves binary noise (12.3 ppm -> 0.0012300000000000002 %).
    return round(value, 12)


def _grade_for(est: Estimate, commodity: str) -> Grade:
    for g in est.grades:
        if g.commodity == commodity:
            return g
    g = Grade(commodity=commodity)
    est.grades.append(g)
    return g


def _merge(target: Estimate, extra: Estimate) -> None:
    """Add a continuation block's metal to the estimate of the same row."""
    for g in extra.grades:
        into = _grade_for(target, g.commodity)
        for attr in (
            "grade",
            "grade_unit",
            "reported_grade",
            "reported_grade_unit",
            "contained",
            "contained_unit",
            "reported_contained",
            "reported_contained_unit",
            "grade_half_unit",
            "contained_half_unit",
        ):
            if getattr(into, attr) is None and getattr(g, attr) is not None:
                setattr(into, attr, getattr(g, attr))
    for k, v in extra.other.items():
        target.other.setdefault(k, v)
    if target.cutoff_value is None and extra.cutoff_value is not None:
        target.cutoff_value, target.cutoff_unit = extra.cutoff_value, extra.cutoff_unit


def _deposit_zone(row: Row, texts: dict[str, str], ctx: _Context) -> tuple[str | None, str | None]:
    label_key = ctx.label_meaning.key if ctx.label_meaning else None
    label_is_cutoff = ctx.label_meaning is not None and ctx.label_meaning.quantity == "cutoff"
    rest = (
        ""
        if label_is_cutoff
        else _clean_name(_SUBTOTAL_WORDS.sub(" ", categories.strip_category(row.label)))
    )
    if rest:
        ctx.named[row.group] = rest
    elif categories.category_of(row.label) and row.group in ctx.named:
        rest = ctx.named[row.group]
    group = _group_deposit(row.group)
    deposit = texts.get("deposit")
    zone = texts.get("zone")
    if group:
        deposit = deposit or group
        if rest and not zone:
            zone = _drop_repeat(rest, deposit)
    elif rest and label_key == "zone":
        zone = zone or rest
    elif rest and label_key != "category":
        if deposit:
            zone = zone or rest
        else:
            deposit = rest
    deposit = deposit or ctx.title_deposit
    if zone and deposit and zone.lower() == deposit.lower():
        zone = None
    return deposit or None, zone or None


_PARENTHESISED_TAIL = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


def _drop_repeat(rest: str, deposit: str) -> str | None:
    """ "Upper Lens (Tarn)" under the Tarn deposit -> "Upper Lens"."""
    m = _PARENTHESISED_TAIL.match(rest)
    if m and m.group(2).strip().lower() == deposit.lower():
        return m.group(1).strip() or None
    return rest or None


def _group_deposit(group: str | None) -> str | None:
    if not group:
        return None
    if _SUBTOTAL_WORDS.search(group) and not _clean_name(_SUBTOTAL_WORDS.sub(" ", group)):
        return None
    name = _clean_name(categories.strip_category(_PAREN_CUTOFF.sub("", group)))
    name = _clean_name(_SUBTOTAL_WORDS.sub(" ", name)) if _SUBTOTAL_WORDS.search(name) else name
    return name or None


# Footnote references and what a category leaves behind: "(3,4,5)", "(6)", "( )".
_NAME_NOISE = re.compile(r"\(\s*(?:\d{1,2}(?:\s*,\s*\d{1,2})*)?\s*\)|\[\s*\d{1,2}\s*\]")


def _clean_name(text: str) -> str:
    text = _PAREN_CUTOFF.sub("", text or "")
    text = _NAME_NOISE.sub(" ", text)
    text = _DEPOSIT_SUFFIX.sub("", text.strip())
    return " ".join(text.split()).strip(" -–:,/")


def _row_cutoff(
    row: Row, chosen: list[tuple[Cell, MineralColumn]], ctx: _Context
) -> tuple[float, str] | None:
    for cell, col in chosen:
        if col.meaning.quantity == "cutoff" and cell.value is not None:
            return cell.value, col.meaning.cutoff_basis or ""
    lm = ctx.label_meaning
    if lm is not None and lm.quantity == "cutoff":
        m = _NUMBER_IN_LABEL.search(row.label)
        if m:
            return float(m.group(1)), lm.cutoff_basis or ""
    if row.group:
        found = minerals.find_cutoff(row.group)
        if found:
            return found
    found = minerals.find_cutoff(row.label) if row.label else None
    return found or ctx.cutoff


def _title_date(title: str) -> str | None:
    found = periods.find_dates(title)
    if not found:
        return None
    m = _EFFECTIVE.search(title)
    if m:
        after = [d for pos, d in found if pos >= m.start()]
        if after:
            return after[0].isoformat()
    return found[-1][1].isoformat()


def _title_deposit(title: str) -> str | None:
    """The property a title names: "Table 3. Red Fox Pit-Constrained Mineral ..." -> "Red Fox"."""
    text = _TITLE_LEAD.sub("", _TITLE_PREFIX.sub("", title or ""))
    m = _TITLE_CUT.search(text)
    head = text[: m.start()] if m else text
    head = _without_commodity(_clean_name(head))
    if head and any(ch.isupper() for ch in head[:1]) and len(head) <= 60:
        return head
    m = _TITLE_FOR_THE.search(text)
    if m:
        return _without_commodity(_clean_name(m.group(1))) or None
    return None


def _without_commodity(name: str) -> str:
    """``name`` without the commodity words that end it: "Tarn Iron Ore" -> "Tarn",
    "Tarn Copper-Gold" -> "Tarn", "Gold" -> "" ("Gold Hill" stands)."""
    tokens = list(_NAME_TOKEN.finditer(name))
    end = len(tokens)
    cut: int | None = None
    while end > 0:
        for size in range(min(3, end), 0, -1):
            phrase = " ".join(t.group() for t in tokens[end - size : end])
            if commodities.is_commodity_name(phrase):
                end -= size
                cut = end
                break
        else:
            if tokens[end - 1].group().lower() not in _COMMODITY_JOINERS:
                break
            end -= 1
    if cut is None:
        return name
    return name[: tokens[cut].start()].strip(" -–:,/&+")


def _notes_cutoff(notes: list[str]) -> tuple[float, str] | None:
    found = {minerals.find_cutoff(n) for n in notes or []} - {None}
    return next(iter(found)) if len(found) == 1 else None


def _mark_combined(estimates: list[Estimate]) -> None:
    """A "Measured & Indicated" line printed beside its parts is a subtotal."""
    cats = {(e.deposit, e.zone, e.cutoff_value): set() for e in estimates}
    for e in estimates:
        cats[(e.deposit, e.zone, e.cutoff_value)].add(e.category)
    for e in estimates:
        parts = cats[(e.deposit, e.zone, e.cutoff_value)]
        if e.category == "measured_indicated" and parts & {"measured", "indicated"}:
            e.is_subtotal = True
        if e.category == "proven_probable" and parts & {"proven", "probable"}:
            e.is_subtotal = True


def _assign_dates(
    estimates: list[Estimate], ctx: _Context, tables: list[Table], doc: Document
) -> None:
    if not estimates:
        return
    if ctx.title_date:
        for e in estimates:
            e.effective_date = ctx.title_date
        return
    sentences = _effective_sentences(ctx.root, tables, doc)
    deposits = {e.deposit for e in estimates if e.deposit}
    unnamed = {
        d for text, d in sentences if not any(dep.lower() in text.lower() for dep in deposits)
    }
    fallback = ctx.root.effective_date or (next(iter(unnamed)) if len(unnamed) == 1 else None)
    for e in estimates:
        date = None
        if e.deposit:
            for text, d in sentences:
                if e.deposit.lower() in text.lower():
                    date = d
                    break
        e.effective_date = date or fallback


def _effective_sentences(root: Table, tables: list[Table], doc: Document) -> list[tuple[str, str]]:
    """(sentence, date) for prose before the table, and its notes, saying "effective ... <date>"."""
    start = root.start_line
    floor = max(1, start - _PROSE_WINDOW)
    for t in tables:
        if t.end_line < start and t.end_line >= floor:
            floor = t.end_line + 1
    texts = [
        ln.text
        for ln in doc.lines[floor - 1 : start - 1]
        if ln.no not in doc.page_header_lines and not ln.has_tabs
    ]
    texts.extend(root.notes or [])
    out: list[tuple[str, str]] = []
    for text in texts:
        if not _EFFECTIVE.search(text):
            continue
        for _, sentence in split_sentences(text):
            m = _EFFECTIVE.search(sentence)
            if not m:
                continue
            after = [(pos, d) for pos, d in periods.find_dates(sentence) if pos >= m.start()]
            if after and after[0][0] - m.end() <= 30:
                out.append((sentence, after[0][1].isoformat()))
    return out
