"""Classification: each table's kind is decided here, once, before any extractor reads it.

Kinds: "financial" (its columns are reporting periods), "resource" and "reserve" (mineral
estimates), "economics" (study results: NPV, IRR, payback) and "other". Extractors read
only the kinds they are for and never change a table, so their order does not matter.

A continuation table (``parent_index``) takes the kind of its group. The rules are tried
in ``RULES`` order on each group; the first that claims a group decides its kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..lexicon import categories, minerals
from ..lexicon.economics import KEY_METRICS, metric_of
from ..model import Issue, Table
from .minerals import TITLE_ESTIMATE, MineralColumn, mineral_columns


def table_groups(tables: list[Table]) -> list[list[Table]]:
    """Tables joined with their continuations, in filing order."""
    by_index = {t.index: t for t in tables}
    groups: dict[int, list[Table]] = {}
    for t in tables:
        root = t.index
        seen = {root}
        parent = t.parent_index
        while parent is not None and parent in by_index and parent not in seen:
            root = parent
            seen.add(parent)
            parent = by_index[parent].parent_index
        groups.setdefault(root, []).append(t)
    return [groups[k] for k in sorted(groups)]


def _all_periods(parts: list[Table]) -> bool:
    return all(c.period is not None for p in parts for c in p.columns)


def estimate_rule(parts: list[Table]) -> str | None:
    """A mineral estimate: tonnage with grades or contained metal, and a category."""
    if _all_periods(parts):
        return None  # a table of reporting periods is financial, never an estimate
    cols = [mineral_columns(p) for p in parts]
    if not _is_estimate(parts, cols, parts[0].title or ""):
        return None
    return "reserve" if _reserves_only(parts, cols) else "resource"


def _is_estimate(parts: list[Table], cols: list[list[MineralColumn]], title: str) -> bool:
    flat = [c for part in cols for c in part]
    quantities = [c.meaning.quantity for c in flat]
    n_ton = quantities.count("tonnage")
    n_grade = quantities.count("grade")
    n_cont = quantities.count("contained")
    label = minerals.interpret_header([parts[0].label_header]) if parts[0].label_header else None
    mineral = (
        (n_ton and (n_grade or n_cont))
        or (n_grade and n_cont)
        or (n_grade >= 2 and label is not None and label.quantity == "cutoff")
    )
    if not mineral:
        return False
    if TITLE_ESTIMATE.search(title) or categories.category_of(title):
        return True
    if any(c.meaning.category for c in flat):
        return True
    return next(_row_categories(parts), None) is not None


def _row_categories(parts: list[Table]) -> Iterator[str]:
    """Categories printed in rows: labels, group rows, text cells ("Indicated")."""
    for part in parts:
        for row in part.rows:
            for text in (row.label, row.group or ""):
                cat = categories.category_of(text) if text else None
                if cat:
                    yield cat
            for cell in row.cells:
                if cell.value is None and cell.raw:
                    cat = categories.category_of(cell.raw)
                    if cat:
                        yield cat


def _reserves_only(parts: list[Table], cols: list[list[MineralColumn]]) -> bool:
    """A reserve table prints reserve categories only, or says "reserve" and not "resource"."""
    title = parts[0].title or ""
    low = title.lower()
    if "reserve" in low and "resource" not in low:
        return True
    found = [c.meaning.category for part in cols for c in part if c.meaning.category]
    found += list(_row_categories(parts))
    title_cat = categories.category_of(title)
    if title_cat:
        found.append(title_cat)
    reserve = categories.RESERVE_CATEGORIES
    return bool(found) and all(c in reserve for c in found)


def economics_rule(table: Table) -> str | None:
    """Study results: rows or columns named NPV, IRR or payback."""
    if table.columns and all(c.period is not None for c in table.columns):
        return None
    rows = sum(1 for r in table.rows if metric_of(r.label) in KEY_METRICS)
    cols = sum(1 for c in table.columns if metric_of(" ".join(c.header)) in KEY_METRICS)
    return "economics" if rows or cols else None


def financial_rule(table: Table) -> str | None:
    """Reporting periods as columns: a financial statement or a table of quarters."""
    return "financial" if any(c.period for c in table.columns) else None


# A group of tables (a table and its continuations) is tried against GROUP_RULES; a group
# no group rule claims is classified part by part with TABLE_RULES. The first rule that
# claims decides; adding a kind is one rule function and one line here.
GROUP_RULES: list[Callable[[list[Table]], str | None]] = [estimate_rule]
TABLE_RULES: list[Callable[[Table], str | None]] = [economics_rule, financial_rule]


def classify_tables(tables: list[Table]) -> list[Issue]:
    """Set every table's ``kind``; issues for tables whose title promises what is not read."""
    issues: list[Issue] = []
    for group in table_groups(tables):
        kind = next((k for rule in GROUP_RULES if (k := rule(group)) is not None), None)
        if kind is not None:
            for part in group:
                part.kind = kind
            continue
        issues += _unread_estimate(group)
        for part in group:
            part.kind = next((k for rule in TABLE_RULES if (k := rule(part)) is not None), "other")
    return issues


def _unread_estimate(parts: list[Table]) -> list[Issue]:
    root = parts[0]
    title = root.title or ""
    has_numbers = any(c.value is not None for p in parts for r in p.rows for c in r.cells)
    if not TITLE_ESTIMATE.search(title) or financial_rule(root) or not has_numbers:
        return []
    return [
        Issue(
            line=root.start_line,
            kind="unread_estimate_table",
            reason="the title names a mineral resource or reserve, but no tonnage, "
            "grade or contained-metal columns could be read",
            text=title[:200],
            table_index=root.index,
        )
    ]
