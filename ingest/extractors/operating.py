"""Operating results: a producer's ore, grade, recovery, metal, prices and unit costs.

Two sources, one record (``OperatingResult``):

- tables: the facts step reads every row of a financial-looking table with its unit
  ("Gold produced (oz)" in oz, "AISC (US$/oz)" in USD/oz); a fact whose label names an
  operating metric (``ingest.lexicon.operating``) in a unit that metric can carry is an
  operating figure. It keeps the fact's index, so the warehouse publishes it here and not
  among the financial line items;
- prose: the narrative step reads sentences such as "produced 73,406 ounces of gold at
  an AISC of A$2,214/oz" into narrative facts named by metric.

The mine a figure is about comes from its table's group row, title or section, or from the
sentence: a property the filing names, or "<Name> Mine". A figure about no mine is the
company's (consolidated) figure.
"""

from __future__ import annotations

import re

from ..lexicon import operating as lex
from ..lexicon.numbers import scaled_value
from ..model import Fact, Issue, NarrativeFact, OperatingResult, Property, Table
from ..prose.subjects import base_name
from .narrative.operating import CONCEPT as PROSE_CONCEPT

_CONSOLIDATED = re.compile(
    r"\b(?:consolidated|company[\s-]wide|group|total\s+(?:operations|company|production)|all\s+mines)\b",
    re.I,
)
# "<Name> Mine", "<Name> Gold Mine", "<Name> Operation(s)": a mine the text names.
_MINE = re.compile(
    r"\b((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*)\s+(?:(?:Gold|Silver|Copper|Zinc|Nickel|Uranium)\s+)?"
    r"(?:[Mm]ine|[Oo]perations?|[Cc]omplex)\b"
)
_NOT_NAMES = frozenset({"The", "Our", "Its", "This", "Each", "Both", "All", "Total", "Open", "Pit"})


def extract_operating(
    tables: list[Table],
    facts: list[Fact],
    narrative: list[NarrativeFact],
    properties: list[Property],
) -> tuple[list[OperatingResult], list[Issue]]:
    """Operating figures from the facts of operating tables and from prose."""
    names = _known_names(properties)
    by_index = {t.index: t for t in tables}
    rows_group = _row_groups(tables)
    out: list[OperatingResult] = []
    table_commodity = _table_commodities(facts)
    printed = {(t.index, c.line, c.column): c.raw for t in tables for r in t.rows for c in r.cells}
    for i, f in enumerate(facts):
        metric = lex.metric_for(f.label)
        if metric is None:
            continue
        kind = lex.unit_kind(f.unit)
        if not lex.accepts(metric, kind):
            continue
        raw = printed.get((f.table_index, f.line, f.column), "")
        if not _DIGIT.search(raw):
            continue  # a dash or "n/a": the figure was not reported, it is not zero
        table = by_index.get(f.table_index)
        unit, factor = _unit(metric, f.unit, kind)
        value, half = f.value, f.half_unit
        if kind == lex.MONEY and metric.name in ("strip_ratio", "throughput"):
            # Read as money, it took the money table's sign convention and scale: the
            # printed number is the ratio or rate.
            scale = f.scale or 1.0
            value = f.reported_value / scale
            half = None if f.half_unit is None else f.half_unit / scale
        elif kind == lex.MONEY:
            value = abs(f.value)  # capital spent, whatever sign a cash-flow table prints
        commodity = lex.commodity_in(f.label)
        if commodity is None and (metric.metal or metric.name in _GRADED):
            commodity = table_commodity.get(f.table_index)
        if metric.name in (
            "ore_mined",
            "ore_processed",
            "waste_mined",
            "material_mined",
            "throughput",
            "strip_ratio",
        ):
            commodity = None  # ore is ore: "Ore milled (Ag g/t)" names no metal of its own
        group = rows_group.get((f.table_index, f.line))
        mine = _mine(names, group, table.title if table else "", table.section if table else "")
        out.append(
            OperatingResult(
                metric=metric.name,
                value=scaled_value(value * factor),
                unit=unit,
                line=f.line,
                label=f.label,
                value_as_printed=raw,
                period_start=f.period_start,
                period_end=f.period_end,
                months=f.months,
                commodity=commodity,
                property=mine,
                scope="mine" if mine else "consolidated",
                basis=lex.cost_basis(f.label) if kind == lex.UNIT_COST else None,
                source="table",
                table_index=f.table_index,
                column=f.column,
                fact_index=i,
                half_unit=None if half is None else half * factor,
            )
        )
    # Only a producer reports operations: a filing that states no metal produced or sold
    # anywhere (an explorer's) has no operating figures in its prose either, whatever grade
    # or recovery its sentences quote.
    prose = [n for n in narrative if n.concept == PROSE_CONCEPT]
    producer = any(r.metric in _METAL_FLOWS for r in out) or any(
        n.qualifiers.get("metric") in _METAL_FLOWS for n in prose
    )
    for n in prose if producer else []:
        metric = (
            lex.BY_NAME.get(str(n.qualifiers.get("metric"))) if n.concept == PROSE_CONCEPT else None
        )
        if metric is None:
            continue
        mine = names.get(n.subject.lower()) if n.subject else None
        out.append(
            OperatingResult(
                metric=metric.name,
                value=n.value,
                unit=n.unit,
                line=n.line,
                label=str(n.qualifiers.get("printed") or ""),
                value_as_printed=str(n.qualifiers.get("printed") or ""),
                period_end=n.period_end,
                months=n.months,
                commodity=n.qualifiers.get("commodity"),
                property=mine,
                scope="mine" if mine else "consolidated",
                basis=n.qualifiers.get("basis"),
                source="text",
                half_unit=n.half_unit,
            )
        )
    # A sentence often names no metal ("the sale of 72,910 ounces"): where the filing's
    # operating figures name one commodity only, that is the one.
    named = {r.commodity for r in out if r.commodity and lex.BY_NAME[r.metric].metal}
    if len(named) == 1:
        only = next(iter(named))
        for r in out:
            if r.commodity is None and (lex.BY_NAME[r.metric].metal or r.metric in _GRADED):
                r.commodity = only
    return out, []


_DIGIT = re.compile(r"\d")
_GRADED = ("head_grade", "mined_grade", "recovery")
_METAL_FLOWS = ("metal_produced", "metal_sold")


def _known_names(properties: list[Property]) -> dict[str, str]:
    """lower-cased name or short name -> the property's name, longest first."""
    out: dict[str, str] = {}
    for p in sorted(properties, key=lambda p: len(p.name), reverse=True):
        out.setdefault(p.name.lower(), p.name)
        short = base_name(p.name)
        if short:
            out.setdefault(short.lower(), p.name)
    return out


def _row_groups(tables: list[Table]) -> dict[tuple[int, int], str]:
    return {(t.index, r.line): r.group for t in tables for r in t.rows if r.group}


def _mine(names: dict[str, str], *texts: str | None) -> str | None:
    """The mine the first text that names one names; None for the company as a whole."""
    for text in texts:
        if not text:
            continue
        if _CONSOLIDATED.search(text):
            return None
        low = text.lower()
        for lname, name in names.items():
            if re.search(rf"(?<![\w]){re.escape(lname)}(?![\w])", low):
                return name
        m = _MINE.search(text)
        if m:
            words = m.group(1).split()
            while words and words[0] in _NOT_NAMES:
                words = words[1:]
            if words:
                return " ".join(words) + " " + m.group(0)[len(m.group(1)) :].strip()
    return None


def _table_commodities(facts: list[Fact]) -> dict[int, str]:
    """table -> the one commodity its metal rows name, where they name exactly one."""
    seen: dict[int, set[str]] = {}
    for f in facts:
        metric = lex.metric_for(f.label)
        if metric is None or not metric.metal:
            continue
        c = lex.commodity_in(f.label)
        if c:
            seen.setdefault(f.table_index, set()).add(c)
    return {t: next(iter(cs)) for t, cs in seen.items() if len(cs) == 1}


def _unit(metric: lex.Metric, unit: str, kind: str | None) -> tuple[str, float]:
    if metric.name == "throughput":
        return "t/d", (lex.base_mass(unit) or ("t", 1.0))[1] if kind == lex.MASS else 1.0
    if metric.name == "strip_ratio":
        return "ratio", 1.0
    if kind == lex.MASS:
        return lex.base_mass(unit) or (unit, 1.0)
    return unit, 1.0
