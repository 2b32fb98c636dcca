"""Operating metrics: what a producer's operating table or sentence reports.

One registry for table labels and prose: each metric has its name (a closed set, the
values of ``fct_operating_results.metric``), the labels that print it (matched against the
whole label, its unit in parentheses taken off first), what kind of unit it must carry,
and whether it is a flow over a period (ore mined, ounces produced: quarters add up to the
year, mines add up to the company) or a rate, ratio or average (grade, recovery, AISC: they
do not add).

A label names a metric only when its unit agrees: "Silver sales (k ozs)" is metal sold,
"Silver sales" in the table's dollars is revenue, a financial line item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .commodities import commodity_of

# Unit kinds a metric accepts: mass of ore or metal, a grade, a percentage, an amount of
# money (the table's currency and scale), money per unit of metal or ore, a ratio, a rate.
MASS = "mass"  # t, oz, lb
GRADE = "grade"  # g/t, %, ppm, oz/t
PERCENT = "percent"
MONEY = "money"  # "USD", in the table's scale
UNIT_COST = "unit_cost"  # "USD/oz", "USD/lb", "USD/t"
RATIO = "ratio"  # dimensionless ("waste:ore")
RATE = "rate"  # tonnes per day


@dataclass(frozen=True)
class Metric:
    name: str
    labels: str  # regex for the whole label, unit taken off, case-insensitive
    units: tuple[str, ...]  # unit kinds it may carry
    flow: bool = False  # adds up over periods and across mines
    # Metal figures name their commodity ("Gold produced"); ore figures do not.
    metal: bool = False


_METAL_WORDS = (
    r"(?:gold|silver|copper|zinc|lead|nickel|cobalt|uranium|U3O8|molybdenum|platinum|palladium"
    r"|PGMs?|lithium|tin|tungsten|iron\s+ore|graphite|payable|payable\s+metal|metal"
    r"|(?:gold|silver|copper)\s+equivalent|AuEq|AgEq|CuEq|GEOs?|equivalent)"
)
_COST_BASIS = r"(?:\s*\(?(?:by|co)[- ]product(?:\s+basis)?\)?)?"
_PER_UNIT = (
    r"(?:\s*(?:per|/)\s*(?:(?:payable|gold|silver|copper|equivalent|AuEq|AgEq|GEO)\s+)*"
    r"(?:ounces?|oz|pounds?|lbs?|tonnes?|t)(?:\s+(?:sold|produced))?)?"
)

# In order: a label takes the first metric whose ``labels`` match it.
METRICS: list[Metric] = [
    Metric(
        "strip_ratio",
        r"^(?:(?:waste[\s:/-]+(?:to[\s:-]+)?ore\s+)?strip(?:ping)?\s+ratio|waste\s*:\s*ore(?:\s+ratio)?)$",
        (RATIO,),
    ),
    Metric(
        "throughput",
        r"^(?:(?:daily\s+)?(?:average\s+)?(?:daily\s+)?(?:mill\s+|plant\s+|processing\s+)?"
        r"throughput(?:\s+rate)?|(?:average\s+)?(?:tonnes|ore)\s+(?:milled|processed|treated)"
        r"\s+per\s+day)$",
        (RATE, MASS),
    ),
    Metric(
        "ore_mined",
        r"^(?:total\s+)?(?:ore\s+(?:tonnes\s+)?mined|mined\s+ore|tonnes\s+(?:of\s+)?ore\s+mined"
        r"|ore\s+(?:tonnes\s+)?(?:mined\s+)?(?:-\s+)?(?:open\s+pit|underground)"
        r"|(?:open\s+pit|underground)\s+ore\s+mined)$",
        (MASS,),
        flow=True,
    ),
    Metric(
        "waste_mined",
        r"^(?:total\s+)?(?:waste\s+(?:tonnes\s+)?(?:mined|moved|removed)?|tonnes\s+of\s+waste(?:\s+mined)?)$",
        (MASS,),
        flow=True,
    ),
    Metric(
        "material_mined",
        r"^(?:total\s+)?(?:material|tonnes)\s+(?:mined|moved)$",
        (MASS,),
        flow=True,
    ),
    Metric(
        "ore_processed",
        r"^(?:total\s+)?(?:ore\s+(?:processed|milled|treated|crushed|stacked|placed)"
        r"|(?:tonnes|dry\s+tonnes)\s+(?:of\s+ore\s+)?(?:processed|milled|treated|crushed|stacked)"
        r"|(?:mill|plant)\s+feed|ore\s+(?:tonnes\s+)?(?:to|through)\s+(?:the\s+)?(?:mill|plant))$",
        (MASS,),
        flow=True,
    ),
    Metric(
        "mined_grade",
        r"^(?:average\s+)?(?:ore\s+)?(?:mined\s+grade|grade\s+(?:of\s+ore\s+)?mined"
        r"|(?:ore\s+)?mined\s+(?:ore\s+)?grade|ore\s+mined\s+grade)"
        rf"(?:\s+{_METAL_WORDS})?$",
        (GRADE,),
    ),
    Metric(
        "head_grade",
        rf"^(?:average\s+)?(?:(?:{_METAL_WORDS})\s+)?(?:(?:mill|plant|feed|processed)\s+)?"
        r"(?:head\s+grade|feed\s+grade|grade(?:\s+(?:processed|milled))?)"
        rf"(?:\s+{_METAL_WORDS})?$",
        (GRADE,),
    ),
    Metric(
        "recovery",
        rf"^(?:average\s+)?(?:(?:{_METAL_WORDS})\s+)?(?:(?:metallurgical|mill|plant|process)\s+)?"
        rf"recover(?:y|ies)(?:\s+(?:rate|{_METAL_WORDS}))?$",
        (PERCENT,),
    ),
    Metric(
        "metal_produced",
        rf"^(?:total\s+)?(?:(?:{_METAL_WORDS})\s+)+(?:produced|production|poured|recovered)"
        r"(?:\s+(?:in\s+)?(?:concentrate|dor[eé]))?"
        rf"|^(?:ounces|pounds)\s+(?:of\s+{_METAL_WORDS}\s+)?produced$|^production$",
        (MASS,),
        flow=True,
        metal=True,
    ),
    Metric(
        "metal_sold",
        rf"^(?:total\s+)?(?:(?:{_METAL_WORDS})\s+)+(?:sold|sales)"
        rf"|^(?:ounces|pounds)\s+(?:of\s+{_METAL_WORDS}\s+)?sold$|^sales$",
        (MASS,),
        flow=True,
        metal=True,
    ),
    Metric(
        "realised_price",
        rf"^(?:average\s+)?(?:(?:{_METAL_WORDS})\s+)?(?:price\s+)?reali[sz]ed\s+(?:(?:{_METAL_WORDS})\s+)?"
        rf"(?:selling\s+)?price{_PER_UNIT}|^(?:average\s+)?(?:{_METAL_WORDS}\s+)?(?:selling\s+|sales\s+)?price"
        rf"\s+reali[sz]ed{_PER_UNIT}$",
        (UNIT_COST,),
        metal=True,
    ),
    Metric(
        "aisc",
        rf"^(?:(?:{_METAL_WORDS})\s+)?(?:all[\s-]+in\s+sustaining\s+(?:cash\s+)?costs?|AISC){_COST_BASIS}"
        rf"{_PER_UNIT}{_COST_BASIS}$",
        (UNIT_COST,),
        metal=True,
    ),
    Metric(
        "all_in_cost",
        rf"^(?:(?:{_METAL_WORDS})\s+)?(?:all[\s-]+in\s+costs?|AIC){_COST_BASIS}{_PER_UNIT}{_COST_BASIS}$",
        (UNIT_COST,),
        metal=True,
    ),
    Metric(
        "cash_cost",
        rf"^(?:(?:{_METAL_WORDS})\s+)?(?:total\s+|C1\s+|site\s+)?cash\s+(?:operating\s+)?costs?"
        rf"{_COST_BASIS}{_PER_UNIT}{_COST_BASIS}$|^C1(?:\s+cash)?\s+costs?{_PER_UNIT}$",
        (UNIT_COST,),
        metal=True,
    ),
    Metric(
        "mining_cost",
        rf"^(?:(?:open\s+pit|underground)\s+)?mining\s+costs?{_PER_UNIT}$",
        (UNIT_COST,),
    ),
    Metric(
        "processing_cost",
        rf"^(?:processing|milling)\s+costs?{_PER_UNIT}$",
        (UNIT_COST,),
    ),
    Metric(
        "sustaining_capital",
        r"^(?:total\s+)?sustaining\s+(?:capital|capex)(?:\s+expenditures?)?$",
        (MONEY,),
        flow=True,
    ),
    Metric(
        "growth_capital",
        r"^(?:total\s+)?(?:growth|expansionary|non[\s-]sustaining|development)\s+(?:capital|capex)"
        r"(?:\s+expenditures?)?$",
        (MONEY,),
        flow=True,
    ),
]

BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}
FLOWS: frozenset[str] = frozenset(m.name for m in METRICS if m.flow)

_COMPILED = [(m, re.compile(m.labels, re.I | re.X if "\n" in m.labels else re.I)) for m in METRICS]
# A unit or footnote in parentheses, a trailing footnote number, a unit printed after a
# comma: taken off before the label is matched ("Gold produced (oz)(1)", "AISC, US$/oz").
_PARENS = re.compile(r"\s*\([^()]*\)")
_TAIL_UNIT = re.compile(
    r"(?:,\s*|\s+-\s+|\s+)(?:(?:[A-Z]{0,3}\$|[€£])\s*(?:/|per)\s*\w+|k?t|k?oz|ozs|tonnes|ounces|"
    r"g/t|%|dmt|wmt|tpd|lbs?|koz|kt|mt|000s?|'000s?)\s*$",
    re.I,
)
_FOOTNOTE_TAIL = re.compile(r"(?:\s*\*+|\s*\d\s*)+$")
_SPACES = re.compile(r"\s+")
_BASIS = re.compile(r"\b(by|co)[- ]product\b", re.I)


def _bare(label: str) -> str:
    text = _PARENS.sub(" ", label)
    text = _SPACES.sub(" ", text).strip(" :-–—,")
    for _ in range(2):
        text = _TAIL_UNIT.sub("", text).strip(" :-–—,")
        text = _FOOTNOTE_TAIL.sub("", text).strip(" :-–—,")
    return text


@lru_cache(maxsize=8192)
def metric_for(label: str) -> Metric | None:
    """The operating metric a table label or prose phrase names, or None:
    "Gold produced (oz)" -> metal_produced; "Ore milled (k dmt)" -> ore_processed;
    "Cash operating costs (by-product)" -> cash_cost; "Revenue" -> None."""
    text = _bare(label)
    if not text:
        return None
    for metric, pattern in _COMPILED:
        if pattern.match(text):
            return metric
    return None


def unit_kind(unit: str | None, currency: str | None = None) -> str | None:
    """The kind of a fact's unit: "oz" -> mass, "g/t" -> grade, "USD/oz" -> unit_cost,
    "USD" -> money; None for shares, per-share amounts and unknown units."""
    if not unit:
        return None
    if unit in ("t", "oz", "lb", "kt", "Mt", "koz", "Moz", "klb", "Mlb", "dmt", "wmt", "kg"):
        return MASS
    if unit in ("g/t", "ppm", "oz/t"):
        return GRADE
    if unit == "%":
        return PERCENT
    if unit in ("tpd", "t/d", "dmt/d", "tonnes per day"):
        return RATE
    if unit in ("ratio", "x", "waste:ore"):
        return RATIO
    head, _, per = unit.partition("/")
    if len(head) == 3 and head.isupper():
        if per in ("oz", "lb", "t", "dmt", "wmt", "GEO", "AuEq", "AgEq"):
            return UNIT_COST
        if not per:
            return MONEY
    return None


# A mass unit, printed or stored, in the base unit an operating figure keeps: tonnes of ore,
# ounces or pounds of metal, whatever multiple it was printed in. Lower-cased names.
_BASE_MASS: dict[str, tuple[str, float]] = {
    "t": ("t", 1.0), "tonnes": ("t", 1.0), "dmt": ("t", 1.0), "wmt": ("t", 1.0),
    "kt": ("t", 1e3), "mt": ("t", 1e6), "kg": ("t", 1e-3),
    "oz": ("oz", 1.0), "ounces": ("oz", 1.0), "koz": ("oz", 1e3), "moz": ("oz", 1e6),
    "lb": ("lb", 1.0), "lbs": ("lb", 1.0), "pounds": ("lb", 1.0), "klb": ("lb", 1e3),
    "mlb": ("lb", 1e6),
}  # fmt: skip


def base_mass(unit: str) -> tuple[str, float] | None:
    """The base unit of a mass and the factor to it: "kt" -> ("t", 1000), "Moz" -> ("oz",
    1e6), "ounces" -> ("oz", 1); None for a unit that is no mass."""
    return _BASE_MASS.get(unit.lower())


def accepts(metric: Metric, kind: str | None) -> bool:
    """Whether a figure in a unit of ``kind`` can be this metric. A percentage head grade
    is a base metal's grade; a ratio and a rate may also be printed without a unit."""
    if kind in metric.units:
        return True
    if metric.name == "head_grade" or metric.name == "mined_grade":
        return kind == PERCENT
    if metric.name in ("strip_ratio", "throughput"):
        # Printed without a unit the parser knows ("Strip ratio (waste:ore)", "(tpd)"), a
        # row of a money table reads as money: a ratio or a rate all the same.
        return kind in (None, MONEY)
    return False


def commodity_in(label: str) -> str | None:
    """The commodity a label names: "Gold produced (oz)" -> "Au", "Head grade (g/t Au)" ->
    "Au", "Silver equivalent production" -> "AgEq"; None for "Ore processed (t)"."""
    return commodity_of(label)


def cost_basis(label: str) -> str | None:
    """ "by-product" or "co-product" where a cost label says which, else None."""
    m = _BASIS.search(label)
    return f"{m.group(1).lower()}-product" if m else None
