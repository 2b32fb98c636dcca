"""Footings: every printed total against the sum of the lines it totals, pass or fail.

One ``Footing`` per total row and numeric column whose components can be told from the
table's layout alone:

- a result line of a financial table ("Loss from operations", "Net loss") is the previous
  result plus the block of lines since it, in the sign convention ``ingest.facts`` gives
  each line (the same reasoning as its tie-out, so a failing result footing is the
  ``tie_out`` issue);
- a "Total" or "Sub-total" row sums the rows since the previous total, a subtotal standing
  in for the rows it totals; a total right after another total with only adjustments
  between ("Total costs", "Less stock-based compensation", "Total cash") carries it on;
- a column headed "Total" sums the other value columns of its row;
- in a reserve or resource table, only tonnage and contained-metal columns add up (never
  grades), and a "Measured & Indicated" line beside its parts is their subtotal.

The tolerance is the rounding the printed precision allows: half a unit of the last printed
digit of each component and of the total, scale applied. Where the layout leaves more than
one reading of which rows a total adds and none of them foots, nothing is emitted: a false
failure would cost the user more than a missing check. Per-share lines never sum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..extractors import facts as facts_mod
from ..lexicon import categories, minerals, signs
from ..lexicon.numbers import half_unit
from ..model import Cell, Fact, Footing, Issue, Row, Table

_PER_SHARE = re.compile(r"\bper\s+(?:common\s+)?share\b|\bEPS\b", re.I)
_TOTAL_HEADER = re.compile(r"^(?:grand\s+)?totals?(?:\s*\(.*\))?$", re.I)
# A line that adjusts the total above it rather than adding to a new one.
_ADJUSTMENT = re.compile(r"^(?:less|add|plus|deduct|minus|net\s+of|excluding)\b", re.I)
_RATE_UNIT = re.compile(r"/|%|per\b|ratio|years?|months?|days?", re.I)
_COMBINED_PARTS = {
    "measured_indicated": frozenset({"measured", "indicated"}),
    "proven_probable": frozenset({"proven", "probable"}),
}


@dataclass(frozen=True)
class _Col:
    key: str
    factor: float
    unit: str | None
    percent: bool = False  # sums only to a printed 100%


@dataclass
class _Item:
    """A row that a total may add: a data row, or a subtotal standing for its rows."""

    row: Row
    cells: dict[str, Cell]
    group: str | None
    category: str | None = None


def extract_footings(tables: list[Table], facts: list[Fact]) -> tuple[list[Footing], list[Issue]]:
    """Footings of every table, and a ``tie_out`` issue per result line that does not foot.

    ``facts`` are the filing's period facts: a result footing adds their values, which are
    in the one sign convention ``ingest.signs`` documents.
    """
    by_cell = {(f.table_index, f.column, f.line): f for f in facts}
    out: list[Footing] = []
    for table in tables:
        if table.kind == "financial":
            out.extend(_result_footings(table, by_cell))
            cols = _financial_columns(table)
        elif table.kind in ("resource", "reserve"):
            cols = _mineral_columns(table)
        elif table.kind == "other":
            cols = _other_columns(table)
        else:
            continue  # economics: cases and metrics, nothing adds up
        if not cols:
            continue
        vertical = _vertical_footings(table, cols)
        out.extend(vertical)
        if table.kind != "resource" and table.kind != "reserve":
            taken = {(f.line, f.column) for f in vertical}
            out.extend(_horizontal_footings(table, cols, taken))
    out.sort(key=lambda f: (f.table_index, f.line, f.column))
    return out, tie_out_issues(out)


def tie_out_issues(footings: list[Footing]) -> list[Issue]:
    """A ``tie_out`` issue for each result line that does not foot."""
    return [
        Issue(
            line=f.line,
            kind="tie_out",
            table_index=f.table_index,
            reason=f"'{f.label}' is {f.observed:,.2f} in column {f.column} but the lines above "
            f"it sum to {f.expected:,.2f} (rounding allows {f.tolerance:,.2f})",
        )
        for f in footings
        if f.kind == "result" and not f.foots
    ]


# -- columns ------------------------------------------------------------------------------


def _financial_columns(table: Table) -> dict[str, _Col]:
    out: dict[str, _Col] = {}
    currency = table.currency or "USD"
    for c in table.columns:
        if c.unit and c.unit not in ("currency", "shares"):
            continue
        scale = c.scale if c.scale != 1.0 else table.scale
        if c.unit == "shares":
            out[c.key] = _Col(c.key, table.scale if table.scale != 1.0 else 1.0, "shares")
        else:
            out[c.key] = _Col(c.key, scale, currency)
    return out


def _other_columns(table: Table) -> dict[str, _Col]:
    out: dict[str, _Col] = {}
    for c in table.columns:
        scale = c.scale if c.scale != 1.0 else table.scale
        if c.unit in (None, "currency"):
            out[c.key] = _Col(c.key, scale, table.currency)
        elif c.unit == "%":
            out[c.key] = _Col(c.key, 1.0, "%", percent=True)
        elif c.unit == "shares" or not _RATE_UNIT.search(c.unit):
            out[c.key] = _Col(c.key, scale, c.unit)
    return out


def _mineral_columns(table: Table) -> dict[str, _Col]:
    out: dict[str, _Col] = {}
    for c in table.columns:
        m = minerals.interpret_header(c.header)
        if m.quantity in ("tonnage", "contained") and m.unit:
            out[c.key] = _Col(c.key, m.factor, m.unit)
    return out


# -- result lines -----------------------------------------------------------------------


def _result_footings(table: Table, by_cell: dict[tuple[int, str, int], Fact]) -> list[Footing]:
    """Each result line against the previous result plus the block above it.

    The reasoning of ``facts._tie_outs``: per-share and neutral lines (balances) stay out,
    total rows are not added to their own block, and a block of fewer than two lines (a
    table of selected items) is not held to a sum.
    """
    keys = [c.key for c in table.columns if c.period and c.period.end]
    rows = [r for r in table.rows if r.kind != "group" and r.cells]
    prefix = facts_mod.table_prefix(table)
    natures = ["neutral" if prefix else signs.nature(r.label) for r in rows]
    per_share = [_PER_SHARE.search(r.label) is not None for r in rows]
    firsts = [_first_cells(r) for r in rows]
    key_set = set(keys)
    out: list[Footing] = []
    for key in keys:
        running: tuple[float, Cell | None, int] | None = None  # signed value, cell, line
        block: list[tuple[Row, Cell | None]] = []
        unreadable = False
        for r, cells, nature, skip in zip(rows, firsts, natures, per_share, strict=True):
            cell = cells.get(key)
            if cell is not None and _unreadable(cell):
                unreadable = True
            if skip:
                continue
            if nature == "result":
                fact = by_cell.get((table.index, key, cell.line)) if cell is not None else None
                if (
                    len(block) >= 2
                    and not unreadable
                    and fact is not None
                    and cell.value is not None
                ):
                    out.append(_result_footing(table, key, r, cell, fact, running, block, by_cell))
                conv = signs.result_convention(r.label, facts_mod._printed(r, key_set))
                printed = cell.value if cell is not None and cell.value is not None else 0.0
                scale = fact.scale if fact is not None else 1.0
                running = (signs.apply(conv, "result", printed) * scale, cell, r.line)
                block, unreadable = [], False
            elif nature != "neutral" and r.kind not in ("total", "subtotal"):
                block.append((r, cell))
    return out


def _result_footing(
    table: Table,
    key: str,
    row: Row,
    cell: Cell,
    fact: Fact,
    running: tuple[float, Cell | None, int] | None,
    block: list[tuple[Row, Cell | None]],
    by_cell: dict[tuple[int, str, int], Fact],
) -> Footing:
    scale = fact.scale
    signed = running[0] if running is not None else 0.0
    tolerance = _half(cell, scale)
    lines: list[int] = []
    if running is not None:
        lines.append(running[2])
        if running[1] is not None:
            tolerance += _half(running[1], scale)
    for r, c in block:
        lines.append(r.line)
        if c is None:
            continue
        f = by_cell.get((table.index, key, c.line))
        if f is not None:
            signed += f.value
        tolerance += _half(c, scale)
    # The result's own convention turns the signed sum back into the way it is printed.
    conv = signs.result_convention(row.label, facts_mod._printed(row, {key}))
    direction = signs.apply(conv, "result", 1.0)
    return Footing(
        table_index=table.index,
        column=key,
        line=row.line,
        label=row.label,
        kind="result",
        expected=_tidy(signed * direction),
        observed=_tidy(fact.reported_value),
        tolerance=_tidy(tolerance),
        terms=len(lines),
        component_lines=lines,
        unit=fact.unit,
    )


# -- total and subtotal rows --------------------------------------------------------------


def _vertical_footings(table: Table, cols: dict[str, _Col]) -> list[Footing]:
    mineral = table.kind in ("resource", "reserve")
    financial = table.kind == "financial"
    breakdown = financial and bool(facts_mod.table_prefix(table))
    out: list[Footing] = []
    since_break: list[_Item] = []  # data rows since the last total, subtotal or result
    level: list[_Item] = []  # what the next total adds: subtotals and loose rows
    previous_total: _Item | None = None
    group: str | None = None
    heads = _combined_heads(table) if mineral else {}
    for row in table.rows:
        if row.kind == "group":
            continue
        if _PER_SHARE.search(row.label) or (row.unit and _RATE_UNIT.search(row.unit)):
            continue
        item = _Item(row, _first_cells(row), row.group, _category(row) if mineral else None)
        if id(row) in heads:
            # "Antuco (M+I)" printed above its Measured and Indicated rows adds those; it
            # is no part of anything before it, and later totals add its parts instead.
            out.extend(_emit(table, cols, item, [heads[id(row)]], "subtotal"))
            continue
        if row.group != group:
            # A new group starts: its rows are its own, the last group's wait for a total.
            level.extend(since_break)
            since_break = []
            group = row.group
        if financial and not breakdown and signs.nature(row.label) == "result":
            since_break, level, previous_total = [], [], None
            continue
        role = row.kind if row.kind in ("total", "subtotal") else None
        if role is None and mineral and item.category in _COMBINED_PARTS:
            parts = _COMBINED_PARTS[item.category]
            if any(i.category in parts for i in since_break):
                role = "combined"
        if role is None:
            since_break.append(item)
            continue
        if role == "combined":
            parts = _COMBINED_PARTS[item.category or ""]
            covered = [i for i in since_break if i.category in parts]
            out.extend(_emit(table, cols, item, [covered], "subtotal"))
            level.extend(i for i in since_break if i not in covered)
            level.append(item)
            since_break = []
        elif role == "subtotal":
            out.extend(_emit(table, cols, item, [since_break], "subtotal"))
            level.append(item)
            since_break = []
        else:
            candidates = _total_candidates(item, level + since_break, previous_total, mineral)
            neutral = financial and not breakdown and signs.nature(row.label) == "neutral"
            found = _emit(table, cols, item, candidates, "total", need_fit=neutral)
            out.extend(found)
            local = [i for i in level + since_break if row.group and i.group == row.group]
            inside_group = row.group is not None and len(local) < len(level + since_break)
            level = (
                [i for i in level + since_break if i not in local] + [item] if inside_group else []
            )
            since_break = []
            previous_total = item
    return out


def _combined_heads(table: Table) -> dict[int, list[_Item]]:
    """id(row) -> its parts, for combined rows (M+I, P+P) printed above their parts.

    A table prints a deposit's combined row either after its Measured and Indicated rows
    or as their heading. It heads them when the rows right below it are all its parts'
    categories (an Inferred row may follow) and the rows right above it, back to the last
    combined row or total, hold none of them.
    """
    rows = [r for r in table.rows if r.kind != "group"]
    out: dict[int, list[_Item]] = {}
    for i, row in enumerate(rows):
        parts = _COMBINED_PARTS.get(_category(row) or "")
        if not parts:
            continue
        below: list[Row] = []
        for nxt in rows[i + 1 :]:
            if _category(nxt) not in parts or nxt.group != row.group:
                break
            below.append(nxt)
        if {_category(b) for b in below} != parts:
            continue
        above_has_parts = False
        for prev in reversed(rows[:i]):
            cat = _category(prev)
            if cat in _COMBINED_PARTS or prev.kind in ("total", "subtotal"):
                break
            if cat in parts and id(prev) not in {id(b.row) for v in out.values() for b in v}:
                above_has_parts = True
                break
        if not above_has_parts:
            out[id(row)] = [_Item(b, _first_cells(b), b.group, _category(b)) for b in below]
    return out


def _total_candidates(
    total: _Item, items: list[_Item], previous: _Item | None, mineral: bool
) -> list[list[_Item]]:
    """The readings of which rows a total adds, the likeliest first."""
    readings: list[list[_Item]] = []
    if total.group is not None and any(i.group != total.group for i in items):
        # A total inside a group totals the group, or (printed last) the whole table.
        readings.append([i for i in items if i.group == total.group])
    readings.append(items)
    if previous is not None and items:
        carried = [previous, *items]
        if _ADJUSTMENT.match(items[0].row.label) or len(items) == 1:
            readings.insert(0, carried)
        else:
            readings.append(carried)
    if mineral:
        named = _category(total.row)
        if named:
            parts = _COMBINED_PARTS.get(named, frozenset())
            filtered = []
            for reading in readings:
                same = [i for i in reading if i.category == named]
                filtered.append(same or [i for i in reading if i.category in parts])
            readings = filtered
    unique: list[list[_Item]] = []
    for reading in readings:
        if len(reading) >= 2 and all(reading != u for u in unique):
            unique.append(reading)
    return unique


def _emit(
    table: Table,
    cols: dict[str, _Col],
    total: _Item,
    readings: list[list[_Item]],
    kind: str,
    need_fit: bool = False,
) -> list[Footing]:
    """The footings of one total row under the reading that fits it best.

    A reading that foots in more columns wins; with several readings and none footing
    anywhere, which rows the total adds is not clear and nothing is emitted. ``need_fit``
    (a balance in a table of selected items) emits only a reading that foots.
    """
    readings = [r for r in readings if len(r) >= 2]
    if not readings:
        return []
    best: list[Footing] = []
    best_fits = -1
    for reading in readings:
        found = [f for col in cols.values() if (f := _footing(table, col, total, reading, kind))]
        fits = sum(f.foots for f in found)
        if fits > best_fits:
            best, best_fits = found, fits
    if best_fits <= 0 and (len(readings) > 1 or need_fit):
        return []
    return best


def _footing(
    table: Table, col: _Col, total: _Item, items: list[_Item], kind: str
) -> Footing | None:
    cell = total.cells.get(col.key)
    if cell is None or (cell.value is None and not cell.is_nil):
        return None
    expected = 0.0
    tolerance = _half(cell, col.factor)
    lines: list[int] = []
    nonzero = bool(cell.value)
    for item in items:
        c = item.cells.get(col.key)
        if c is None or not c.raw.strip():
            continue
        if c.value is None and not c.is_nil:
            return None  # an unreadable component: a sum without it proves nothing
        expected += (c.value or 0.0) * col.factor
        tolerance += _half(c, col.factor)
        lines.append(item.row.line)
        nonzero = nonzero or bool(c.value)
    if len(lines) < 2 or not nonzero:
        return None
    observed = (cell.value or 0.0) * col.factor
    if col.percent and abs(observed - 100.0) > 1.0:
        return None  # a column of rates: only shares of a whole add up
    return Footing(
        table_index=table.index,
        column=col.key,
        line=total.row.line,
        label=total.row.label,
        kind=kind,
        expected=_tidy(expected),
        observed=_tidy(observed),
        tolerance=_tidy(tolerance),
        terms=len(lines),
        component_lines=lines,
        unit=col.unit,
    )


# -- "Total" columns ----------------------------------------------------------------------


def _horizontal_footings(
    table: Table, cols: dict[str, _Col], taken: set[tuple[int, str]]
) -> list[Footing]:
    totals = [
        c for c in table.columns if c.key in cols and c.header and _TOTAL_HEADER.match(c.header[-1])
    ]
    if len(totals) != 1:
        return []  # none, or one per group of columns: which columns each adds is not read
    total = cols[totals[0].key]
    parts = [c for k, c in cols.items() if k != total.key and not c.percent]
    if len(parts) < 2 or any(c.unit != total.unit for c in parts):
        return []
    out: list[Footing] = []
    for row in table.rows:
        if row.kind == "group" or (row.line, total.key) in taken:
            continue
        if _PER_SHARE.search(row.label) or (row.unit and _RATE_UNIT.search(row.unit)):
            continue
        cells = _first_cells(row)
        cell = cells.get(total.key)
        if cell is None or (cell.value is None and not cell.is_nil):
            continue
        expected = 0.0
        tolerance = _half(cell, total.factor)
        terms = 0
        nonzero = bool(cell.value)
        for part in parts:
            c = cells.get(part.key)
            if c is None or not c.raw.strip():
                continue
            if c.value is None and not c.is_nil:
                break
            expected += (c.value or 0.0) * part.factor
            tolerance += _half(c, part.factor)
            terms += 1
            nonzero = nonzero or bool(c.value)
        else:
            if terms >= 2 and nonzero:
                out.append(
                    Footing(
                        table_index=table.index,
                        column=total.key,
                        line=row.line,
                        label=row.label,
                        kind="subtotal" if row.kind == "subtotal" else "total",
                        expected=_tidy(expected),
                        observed=_tidy((cell.value or 0.0) * total.factor),
                        tolerance=_tidy(tolerance),
                        terms=terms,
                        component_lines=[row.line],
                        unit=total.unit,
                    )
                )
    return out


# -- helpers ------------------------------------------------------------------------------


def _first_cells(row: Row) -> dict[str, Cell]:
    by_col: dict[str, Cell] = {}
    for c in row.cells:
        by_col.setdefault(c.column, c)
    return by_col


def _unreadable(cell: Cell) -> bool:
    return cell.value is None and bool(cell.raw.strip()) and not cell.is_nil


def _half(cell: Cell, factor: float) -> float:
    # A stated nil is exact; a cell of unknown precision adds no rounding of its own.
    if cell.value is None:
        return 0.0
    return half_unit(cell.raw, factor) or 0.0


def _category(row: Row) -> str | None:
    return (categories.category_of(row.label) if row.label else None) or (
        categories.category_of(row.group) if row.group else None
    )


def _tidy(x: float) -> float:
    # Sums of decimals carry binary noise (47.44 + 24.69); twelve digits keep every printed one.
    return float(f"{x:.12g}") + 0.0
