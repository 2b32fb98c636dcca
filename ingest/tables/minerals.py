"""A table's columns read as mineral-estimate columns: tonnage, grades, contained metal.

Shared by the classification (is this an estimate table?) and the estimates extractor
(what does each cell say?), so both read the headers the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicon import commodities, minerals
from ..lexicon.minerals import HeaderMeaning
from ..model import Column, Table

TITLE_ESTIMATE = re.compile(
    r"\bmineral\s+(?:resources?|reserves?)\b|\b(?:resource|reserve)s?\s+(?:estimate|statement)s?\b",
    re.I,
)


@dataclass
class MineralColumn:
    column: Column
    meaning: HeaderMeaning
    category: str | None  # after spanning: the category block this column belongs to


def mineral_columns(table: Table) -> list[MineralColumn]:
    """Each value column of ``table`` with what its header means as an estimate column."""
    cols = [MineralColumn(c, minerals.interpret_header(c.header), None) for c in table.columns]
    current: str | None = None
    for col in cols:
        # A category printed once over a block of columns spans the block.
        if col.meaning.category:
            current = col.meaning.category
        if col.meaning.quantity in ("tonnage", "grade", "contained", "other", "unknown"):
            col.category = col.meaning.category or current
    _resolve_metal(cols)
    _resolve_single_metal(cols, table.title or "")
    return cols


def _resolve_single_metal(cols: list[MineralColumn], title: str) -> None:
    """ "Grade (g/t)" or "Ounces" in a table of one metal (named by another column or the
    title, "Gold Mineral Resources") is that metal's.

    A column whose own header prints anything besides its quantity and unit ("Xy (%)") is
    not: it may be another substance's assay, and a silent wrong grade is worse than an
    unread column reported as such."""
    named = {c.meaning.commodity for c in cols if c.meaning.commodity}
    if not named:
        found = commodities.commodity_of(title)
        named = {found} if found else set()
    if len(named) != 1:
        return
    metal = next(iter(named))
    for col in cols:
        m = col.meaning
        if m.quantity != "unknown" or m.commodity is not None or not m.reported_unit:
            continue
        if not minerals.names_only_quantity(col.column.header[-1]):
            continue
        texts = [*col.column.header[:-1], f"{metal} {col.column.header[-1]}"]
        meaning = minerals.interpret_header(texts)
        if meaning.quantity in ("grade", "contained"):
            col.meaning = meaning


def _resolve_metal(cols: list[MineralColumn]) -> None:
    """Give "Ounces" or "Contained (Mlb)" the one metal of its class graded in the table."""
    graded = {c.meaning.commodity for c in cols if c.meaning.quantity == "grade"}
    for col in cols:
        m = col.meaning
        if m.quantity != "unknown" or m.key != "contained" or not m.reported_unit:
            continue
        unit = m.reported_unit
        cls = "precious" if unit.endswith("oz") else "base" if unit.endswith("lb") else None
        fits = [g for g in graded if g and commodities.commodity_class(g) == cls]
        if len(fits) == 1:
            texts = [*col.column.header[:-1], f"{fits[0]} {col.column.header[-1]}"]
            col.meaning = minerals.interpret_header(texts)
