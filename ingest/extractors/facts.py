"""Period facts: one record per financial line item and period, in one sign convention.

Concepts come from ``ingest.lexicon.concepts`` (synonyms folded: "Net Loss", "Net loss
for the year" and "Net income (loss)" are all ``net_income``) and, for tables
that are not a primary statement (expenditures by region, financing), prefixed with the
table's subject. Values follow ``ingest.signs``.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..lexicon import signs
from ..lexicon.concepts import concept_for, slug
from ..lexicon.numbers import half_unit, parse_number, scaled_value
from ..lexicon.operating import metric_for
from ..lexicon.scales import scale_of, scale_word
from ..lexicon.units import quantity_unit
from ..model import Fact, Issue, Row, Table

# A table that breaks one subject down (expenditures by property, shares issued for
# cash) gets its subject as a concept prefix: its "Total" or "Other" is not the filing's.
_BREAKDOWN = re.compile(
    r"expenditures?|financing|investing|\bby\s+(?:property|region|project|segment|country)|"
    r"deferred|capitali[sz]ed|commitments|segment|share\s+capital|shares\s+issued|issued\s+for|"
    r"\bcosts\b",
    re.I,
)
_INSTANT = re.compile(
    r"\b(?:assets?|liabilit(?:y|ies)|working\s+capital|(?:shareholders|stockholders|total)'?\s+equity|"
    r"deficit|shares?\s+outstanding|debt|capital\s+stock|cash\s+balance|"
    r"accounts\s+(?:payable|receivable)|inventor(?:y|ies)|loans?\s+payable|"
    r"(?:issued|share)\s+capital|accumulated\s+(?:losses|deficit)|retained\s+(?:earnings|deficit)|"
    r"net\s+assets|(?:trade\s+and\s+other\s+)?(?:payables|receivables)|provisions)\b"
    r"|^(?:total\s+|ending\s+|closing\s+)?cash(?:\s+and\s+(?:cash\s+)?equivalents)?"
    r"(?:\s+balance)?(?:,?\s+(?:at\s+)?end\s+of\s+(?:the\s+)?(?:year|period|quarter))?$"
    r"|^cash\s+and\s+cash\s+equivalents\b|^equity$|^reserves$",
    re.I,
)
# Unit costs: AISC and cash costs. Printed with cents they are per ounce (or pound), not
# amounts in the table's thousands.
_UNIT_COST = re.compile(
    r"\b(?:all[\s-]in\s+sustaining|AISC|all[\s-]in\s+costs?|AIC|cash\s+(?:operating\s+)?costs?"
    r"|C1|total\s+cash\s+costs?)\b",
    re.I,
)
_PER_POUND = re.compile(r"\b(?:lbs?|pounds?|copper|nickel|zinc|uranium|U3O8)\b", re.I)
_CENTS_PRINTED = re.compile(r"\d\.\d\d\)?$")
# A generic label under a group row means the group's item: "Total" under "Assets" is
# total assets, "Basic" under "Net income per share" basic net income per share.
_GROUP_SUFFIXED = re.compile(r"^[-–\s]*(?:total|current|non-current|long-term)\s*$", re.I)
_GROUP_PREFIXED = re.compile(r"^[-–\s]*(?:basic|diluted|basic\s+and\s+diluted)\s*$", re.I)
_PER_SHARE = re.compile(r"\bper\s+(?:common\s+)?share\b", re.I)
# What happened to a balance over a period is a flow ("Impairment of ... assets",
# "Change in working capital", "Purchase of equipment").
_FLOW = re.compile(
    r"^(?:impairment|write[-\s]?(?:down|off)s?|amorti[sz]ation|depreciation|(?:gain|loss)\s+on"
    r"|(?:net\s+)?(?:change|increase|decrease|movement)s?\s+in|proceeds|purchases?\s+of"
    r"|acquisitions?\s+of|disposals?\s+of|additions?\s+to|interest\s+(?:on|earned))\b",
    re.I,
)
# A statement of financial position: every line of it is a balance at the column's date.
_BALANCE_SHEET = re.compile(
    r"\bstatements?\s+of\s+(?:consolidated\s+)?financial\s+position\b|\bbalance\s+sheets?\b", re.I
)
_NOT_BALANCES = re.compile(r"cash\s+flows?|income|operations|profit|loss|comprehensive", re.I)
_CENTS = re.compile(r"\bcents?\b|\bpence\b|¢", re.I)
_WEIGHTED = re.compile(r"\bweighted[\s-]+average\b", re.I)
# A change in a balance printed with its direction in brackets ("(Increase)/decrease in
# receivables") is a flow too.
_CHANGE_IN = re.compile(
    r"^(?:net\s+)?(?:movements?|changes?|\(?increase\)?|\(?decrease\)?)(?:\s*/\s*\(?\w+\)?)?\s+in\b",
    re.I,
)
_SHARES = re.compile(r"\bshares\b|\bnumber\s+of\b|\bweighted\s+average\b", re.I)
_STOP = {
    "the",
    "of",
    "and",
    "for",
    "in",
    "a",
    "an",
    "to",
    "by",
    "on",
    "are",
    "is",
    "were",
    "was",
    "as",
    "follows",
    "summarized",
    "summarised",
    "during",
    "our",
    "company",
    "company's",
}


_PERIOD_TAIL = re.compile(r"\b(?:during|for|as\s+at|as\s+of)\b.*$", re.I)
_NOT_LETTER = re.compile(r"[^a-z]")
_AMOUNT = re.compile(r"\$|amount", re.I)


def table_prefix(table: Table) -> str:
    """Subject prefix for a table that is not a primary statement ("" for those)."""
    title = table.title or table.section
    if not title or not _BREAKDOWN.search(title):
        return ""
    words = _PERIOD_TAIL.sub("", title)
    tokens = [w for w in slug(words).split("_") if w and w not in _STOP and not w.isdigit()]
    return "_".join(tokens[:4])


def extract_facts(tables: list[Table]) -> tuple[list[Fact], list[Issue]]:
    """Period facts from every financial table; conflicting values become issues.

    Whether totals foot is ``ingest.footings``' business.
    """
    facts: list[Fact] = []
    issues: list[Issue] = []
    for table in tables:
        if table.kind != "financial":
            continue
        table_facts, table_issues = _table_facts(table)
        facts.extend(table_facts)
        issues.extend(table_issues)
    issues.extend(_conflicts(facts))
    return facts, issues


def _printed(row: Row, col_keys: set[str]) -> list[float]:
    return [c.value for c in row.cells if c.column in col_keys and c.value is not None]


def _table_facts(table: Table) -> tuple[list[Fact], list[Issue]]:
    period_cols = {c.key: c for c in table.columns if c.period and c.period.end}
    keys = set(period_cols)
    rows = [r for r in table.rows if r.kind != "group" and r.cells]
    prefix = table_prefix(table)
    title = table.title or ""
    balance_sheet = bool(
        _BALANCE_SHEET.search(title) and not _NOT_BALANCES.search(title)
    ) and not any(c.period.months == 0 for c in period_cols.values() if c.period)
    # A table about one subject (expenditures by region, financing) is not an income
    # statement, nor is a statement of financial position: their lines keep the sign printed.
    # Nor is a table of balances at dates (every column an instant): sign conventions are
    # about what adds to or takes from income over a period.
    balances = bool(period_cols) and all(c.period.months == 0 for c in period_cols.values())
    natures = {
        id(r): "neutral" if prefix or balance_sheet or balances else signs.nature(r.label)
        for r in rows
    }
    conventions: dict[int, str] = {}
    # Blocks end at result lines; each block's rows vote on how the block is printed.
    block: list[Row] = []
    table_votes = [(natures[id(r)], _printed(r, keys)) for r in rows if natures[id(r)] != "result"]
    fallback = signs.block_convention(table_votes)
    for r in rows + [None]:
        if r is None or natures[id(r)] == "result":
            conv = signs.block_convention(
                [(natures[id(b)], _printed(b, keys)) for b in block], fallback=fallback
            )
            for b in block:
                conventions[id(b)] = conv
            block = []
            if r is not None:
                conventions[id(r)] = signs.result_convention(r.label, _printed(r, keys))
        else:
            block.append(r)
    facts: list[Fact] = []
    fact_rows: list[Row] = []
    repeated = _repeated_across_groups(rows)
    for r in rows:
        kind = natures[id(r)]
        conv = conventions[id(r)]
        label, label_scale = _label_scale(_with_group(r, repeated))
        base = concept_for(label) if label else (f"total_{prefix}" if prefix else "total")
        concept = f"{prefix}__{base}" if prefix and base != f"total_{prefix}" else base
        per_share = bool(_PER_SHARE.search(label))
        unit_cost = bool(_UNIT_COST.search(label)) and all(
            _CENTS_PRINTED.search(c.raw) for c in r.cells if c.value is not None
        )
        # A balance printed under "Year Ended ..." is the balance at the year end.
        # ... but a weighted average of shares is a figure over the period, like a flow.
        instant = balance_sheet or (
            kind == "neutral"
            and _INSTANT.search(label) is not None
            and _WEIGHTED.search(label) is None
            and _FLOW.search(label) is None
            and _CHANGE_IN.search(label) is None
            # A balance is one figure at a date: a row printing two for one date (its
            # three- and twelve-month columns) is a flow ("Accretion for ... liability").
            and _one_value_per_date(r, period_cols)
        )
        # The unit depends on the row and on the column's unit and scale alone: read once
        # per unit and scale (a row's period columns usually share them).
        units: dict[tuple[str | None, float], tuple[str, float]] = {}
        for cell in r.cells:
            col = period_cols.get(cell.column)
            if col is None or (cell.value is None and not cell.is_nil):
                continue
            printed = cell.value if cell.value is not None else 0.0
            found = units.get((col.unit, col.scale))
            if found is None:
                # A unit printed in its own column ("000 tonnes", "g/t") reads as if in
                # the label's parentheses.
                unit_label = f"{label} ({r.unit})" if r.unit else label
                found = units[col.unit, col.scale] = _unit(
                    table, col.unit, col.scale, unit_label, per_share, unit_cost
                )
            unit, scale = found
            if unit.endswith("/share") and parse_number(cell.raw).subunit and scale == 1.0:
                scale = 0.01  # "(10.09 pence)" in a column of per-share amounts
            if label_scale is not None and unit == (table.currency or "USD"):
                scale = label_scale
            reported = printed * scale
            # A quantity (ounces, tonnes, a grade) keeps its printed sign: sign conventions
            # are about money.
            money = unit.split("/")[0].isupper() and unit[3:] in ("", "/share")
            value = (signs.apply(conv, kind, printed) if money else printed) * scale
            period = col.period
            months = period.months
            start = period.start
            if instant:
                months, start = 0, None
            name = concept
            if col.sub and unit == "shares" and not name.endswith("_shares"):
                name += "_shares"
            facts.append(
                Fact(
                    concept=name,
                    label=r.label,
                    section=table.section,
                    table_index=table.index,
                    period_start=start,
                    period_end=period.end,
                    months=months,
                    value=scaled_value(value),
                    reported_value=scaled_value(reported),
                    unit=unit,
                    line=cell.line,
                    column=cell.column,
                    is_total=r.kind in ("total", "subtotal") or kind == "result",
                    scale=scale,
                    half_unit=None if cell.is_nil else half_unit(cell.raw, scale),
                )
            )
            fact_rows.append(r)
    return _unambiguous(table, facts, fact_rows)


def _one_value_per_date(row: Row, period_cols: dict) -> bool:
    values: dict[str, set[float]] = defaultdict(set)
    for c in row.cells:
        col = period_cols.get(c.column)
        if col is not None and c.value is not None:
            values[col.period.end].add(c.value)
    return all(len(v) == 1 for v in values.values())


def _repeated_across_groups(rows: list[Row]) -> set[str]:
    """Labels printed under more than one group of a table ("Balance at end of year" under
    "Financial assets" and again under "Financial liabilities"): each is another item."""
    groups: dict[str, set[str | None]] = defaultdict(set)
    for r in rows:
        groups[r.label.strip(" -–").lower()].add(r.group)
    return {label for label, g in groups.items() if len(g) > 1 and label}


def _blocks(table: Table) -> dict[int, int]:
    """id(row) -> its block: blocks of a table are separated by total rows and group rows."""
    out: dict[int, int] = {}
    block = 0
    for r in table.rows:
        if r.kind == "group":
            block += 1
        out[id(r)] = block
        if r.kind in ("total", "subtotal"):
            block += 1
    return out


def _unambiguous(
    table: Table, facts: list[Fact], rows: list[Row]
) -> tuple[list[Fact], list[Issue]]:
    """The facts of a table that name one concept for one period once.

    Two values for one concept and period in one table mean one of three things. From one
    row, its columns were read as the same period (two entities, tranches or sites side by
    side under one date): none of them is a fact. From rows of different blocks, the label
    names two items (a "Mineral properties" line among the assets and again among the
    liabilities, with nothing printed to tell them apart): the first is kept. From rows of
    one block, the filing itself prints two values: both are kept, for the warehouse's
    conflict check to report.
    """
    block_of = _blocks(table)
    same: dict[tuple, list[int]] = defaultdict(list)
    for i, f in enumerate(facts):
        same[(f.concept, f.period_end, f.months, f.unit)].append(i)
    drop: set[int] = set()
    issues: list[Issue] = []
    for (concept, end, months, _unit), idx in same.items():
        values = [facts[i].value for i in idx]
        # Any difference at all: two tranches priced 0.0202 and 0.0201 are two values.
        if len(idx) < 2 or max(values) - min(values) <= 1e-9 * max(1.0, abs(max(values))):
            continue
        by_row: dict[int, list[int]] = defaultdict(list)
        for i in idx:
            by_row[id(rows[i])].append(i)
        first = facts[idx[0]]
        for row_idx in by_row.values():
            if len(row_idx) > 1:
                drop.update(row_idx)
                cols = ", ".join(facts[i].column or "?" for i in row_idx)
                issues.append(
                    Issue(
                        line=facts[row_idx[0]].line,
                        kind="ambiguous_columns",
                        table_index=table.index,
                        reason=f"Table {table.index} '{facts[row_idx[0]].label}': columns "
                        f"{cols} all read as {end} ({months} months) with different values; "
                        "none is taken as a fact",
                    )
                )
        first_block = block_of.get(id(rows[idx[0]]))
        for i in idx[1:]:
            if i in drop or block_of.get(id(rows[i])) == first_block:
                continue
            drop.add(i)
            issues.append(
                Issue(
                    line=facts[i].line,
                    kind="ambiguous_row",
                    table_index=table.index,
                    reason=f"Table {table.index}: '{facts[i].label}' at line {facts[i].line} "
                    f"is printed again in another part of the table (first at line "
                    f"{first.line}), nothing telling the two apart; the first is taken as "
                    f"{concept}",
                )
            )
    # One issue per row and kind is enough: a row repeats it for every column.
    seen: set[tuple] = set()
    unique = [i for i in issues if not ((i.kind, i.line) in seen or seen.add((i.kind, i.line)))]
    return [f for i, f in enumerate(facts) if i not in drop], unique


_LABEL_SCALE = re.compile(
    r"\s*\((?:in\s+)?(?:[A-Z]{0,3}\$\s?)?(?:millions?|thousands?|000'?s|\$\s?000'?s|m|bn|billions?)"
    r"(?:\s+of\s+[^()]*)?\)\s*$",
    re.I,
)


def _label_scale(label: str) -> tuple[str, float | None]:
    """A scale printed in a row's label ("Revenues (millions)", "Capex (US$ 000s)"):
    the label without it, and the scale; None when the label prints none."""
    m = _LABEL_SCALE.search(label)
    if not m:
        return label, None
    scale = (
        scale_of(m.group(0))
        if scale_of(m.group(0)) != 1.0
        else scale_word(_NOT_LETTER.sub("", m.group(0).lower().replace("in", "", 1)))
    )
    return label[: m.start()].strip(), scale if scale != 1.0 else None


def _with_group(row: Row, repeated: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    """The label a fact is named by: the row's own, or with its group's when generic, when
    the row is the group's unlabelled total, or when the label repeats under other groups."""
    if row.group and not row.label.strip(" -–") and row.kind in ("total", "subtotal"):
        return f"Total {row.group}"
    if row.group and row.label.strip(" -–").lower() in repeated:
        return f"{row.group} {row.label.strip(' -–')}"
    if row.group and _GROUP_SUFFIXED.match(row.label):
        return f"{row.label.strip(' -–')} {row.group}"
    if row.group and _GROUP_PREFIXED.match(row.label) and _PER_SHARE.search(row.group):
        return f"{row.group} {row.label.strip(' -–')}"
    return row.label


def _unit(
    table: Table,
    col_unit: str | None,
    col_scale: float,
    label: str,
    per_share: bool,
    unit_cost: bool = False,
) -> tuple[str, float]:
    currency = table.currency or "USD"
    if per_share:
        # "Earnings per share (cents)": stored in the currency, like every other amount.
        return f"{currency}/share", 0.01 if _CENTS.search(label) else 1.0
    # A shares label ("Shares issued for cash") in a column of amounts is money all the same.
    if col_unit == "shares" or (
        col_unit != "currency" and _SHARES.search(label) and not _AMOUNT.search(label)
    ):
        return "shares", table.scale if table.scale != 1.0 and col_unit == "shares" else 1.0
    quantity = quantity_unit(label, currency)
    if quantity:
        # "Gold produced (oz)", "Ore milled (k dmt)": a quantity, stored in its base unit.
        return quantity
    if unit_cost:
        return f"{currency}/{'lb' if _PER_POUND.search(label) else 'oz'}", 1.0
    scale = col_scale if col_scale != 1.0 else table.scale
    return currency, scale


def _conflicts(facts: list[Fact]) -> list[Issue]:
    """One concept, one period, two values in the same filing: say so."""
    seen: dict[tuple[str, str | None, int, str], Fact] = {}
    out: list[Issue] = []
    for f in facts:
        if metric_for(f.label) is not None:
            # An operating figure is one mine's or the company's: per-mine tables repeat the
            # consolidated table's labels with other values. Its checks compare like with like.
            continue
        key = (f.concept, f.period_end, f.months, f.unit)
        first = seen.setdefault(key, f)
        if first is not f and abs(first.value - f.value) > max(1.0, abs(first.value) * 1e-6):
            out.append(
                Issue(
                    line=f.line,
                    kind="conflicting_value",
                    table_index=f.table_index,
                    reason=f"{f.concept} for {f.period_end} ({f.months} months) is {f.value:,.2f} "
                    f"here but {first.value:,.2f} at line {first.line}",
                )
            )
    return out
