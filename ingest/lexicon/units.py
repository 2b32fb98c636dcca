"""Units as printed: a column header's unit, and the mass and grade units of minerals.

Mass units ("Mt", "M lb", "koz", "short tons") and grade units ("g/t", "%", "ppm",
"oz/t") are read here with their multipliers; ``normalise_grade`` and
``expected_contained`` convert them to the normalised units of a commodity's class.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .commodities import (
    G_PER_OZ,
    G_PER_T_PER_OZ_PER_TON,
    LB_PER_TONNE,
    NORMAL_GRADE_UNIT,
    TONNE_PER_SHORT_TON,
    commodity_class,
)
from .currencies import code_for_symbol

_PAREN_UNIT = re.compile(r"\(([^()]{1,24})\)\s*$")


def header_unit(text: str) -> str | None:
    """Best-effort unit from a column header: "Ore (Mt)" -> "Mt", "Shares" -> "shares"."""
    t = text.strip()
    low = t.lower()
    if not t:
        return None
    if low in ("shares", "number of shares", "# of shares", "number", "no.", "no", "#"):
        return "shares"
    if low in ("amount", "$", "amount ($)", "value", "£", "€"):
        return "currency"
    m = _PAREN_UNIT.search(t)
    if m:
        return m.group(1).strip()
    if "$" in t:
        return "currency"
    if low.endswith("%"):
        return "%"
    return None


# Grade units, most specific first. Each maps to a unit key.
_GRADE_UNITS: list[tuple[tuple[str, ...], re.Pattern[str], str]] = [
    (
        ("g", "gram"),
        re.compile(r"\bg\s?/\s?t(?:onne)?\b|\bgpt\b|\bgrams?\s+per\s+(?:metric\s+)?tonne\b", re.I),
        "g/t",
    ),
    (
        ("oz", "ounce"),
        re.compile(r"\boz\s?/\s?tonne\b|\bounces?\s+per\s+tonne\b", re.I),
        "oz/tonne",
    ),
    (
        ("oz", "opt", "ounce"),
        re.compile(
            r"\boz\s?/\s?(?:short\s+)?tons?\b|\bopt\b|\boz\s?/\s?st\b"
            r"|\bounces?\s+per\s+(?:short\s+)?ton\b",
            re.I,
        ),
        "oz/t",
    ),
    (("ppm", "million"), re.compile(r"\bppm\b|\bparts\s+per\s+million\b", re.I), "ppm"),
    (("ppb", "billion"), re.compile(r"\bppb\b|\bparts\s+per\s+billion\b", re.I), "ppb"),
    (("lb",), re.compile(r"\blbs?\s?/\s?tonne\b", re.I), "lb/tonne"),
    (("lb",), re.compile(r"\blbs?\s?/\s?(?:short\s+)?tons?\b|\blbs?\s?/\s?t\b", re.I), "lb/t"),
    (("kg",), re.compile(r"\bkg\s?/\s?t(?:onne)?\b", re.I), "kg/t"),
    (("%", "percent", "pct"), re.compile(r"%|\bpercent\b|\bpct\b", re.I), "%"),
]


# Factor from each grade unit to the normalised grade unit of each class.
GRADE_FACTORS: dict[str, dict[str, float]] = {
    "base": {
        "%": 1.0,
        "ppm": 1e-4,
        "g/t": 1e-4,
        "ppb": 1e-7,
        "kg/t": 0.1,
        "lb/t": 100 / 2000,
        "lb/tonne": 100 / LB_PER_TONNE,
    },
    "bulk": {
        "%": 1.0,
        "ppm": 1e-4,
        "g/t": 1e-4,
        "ppb": 1e-7,
        "kg/t": 0.1,
        "lb/t": 100 / 2000,
        "lb/tonne": 100 / LB_PER_TONNE,
    },
    "precious": {
        "g/t": 1.0,
        "ppm": 1.0,
        "ppb": 1e-3,
        "oz/t": G_PER_T_PER_OZ_PER_TON,
        "oz/tonne": G_PER_OZ,
        "kg/t": 1000.0,
        "%": 1e4,
    },
}


_PREFIXED_MASS = re.compile(r"(?<![A-Za-z])(MM|mm|[kKmMbB])\s?(lbs?|oz)\b")


_PREFIXED_TONNES = re.compile(r"(?<![A-Za-z])([kKMB])\s?t(?:onnes)?\b|(?<![A-Za-z])(mt)\b")
_PREFIXED_SHORT_TONS = re.compile(r"(?<![A-Za-z])([kKM])\s?st\b|(?<![A-Za-z])([kKM])\s?tons\b")


_LB = re.compile(r"\blbs?\b|\bpounds?\b", re.I)


_OZ = re.compile(r"\boz\b|\bozs\b|\bounces?\b|\btroy\s+ounces?\b", re.I)


_KG = re.compile(r"\bkg\b|\bkilograms?\b", re.I)


_TONNES = re.compile(r"\btonnes?\b|\bmetric\s+tons?\b|\bt\b", re.I)


_TONS = re.compile(r"\bshort\s+tons?\b|\btons?\b|\bst\b", re.I)


_MULTIPLIERS: list[tuple[re.Pattern[str], float]] = [
    # "(t x 1,000)", "(oz x 1,000,000)": the printed figure times that.
    (re.compile(r"\bx\s*1,?000,?000\b", re.I), 1e6),
    (re.compile(r"\bx\s*1,?000\b", re.I), 1e3),
    (re.compile(r"\bbillions?\b|\bbn\b", re.I), 1e9),
    (re.compile(r"\bmillions?\b|\bmln\b|\bmm\b|\(\s*m\s*\)", re.I), 1e6),
    (re.compile(r"\bthousands?\b|(?<![\d,.])'?000'?s?(?![\d,])|\(\s*k\s*\)", re.I), 1e3),
]


_PREFIX_VALUE = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "MM": 1e6, "mm": 1e6, "b": 1e9, "B": 1e9}


_SCALED_NAMES = {
    "t": {1.0: "t", 1e3: "kt", 1e6: "Mt", 1e9: "Bt"},
    "short ton": {1.0: "short tons", 1e3: "k short tons", 1e6: "M short tons", 1e9: "B short tons"},
    "lb": {1.0: "lb", 1e3: "klb", 1e6: "Mlb", 1e9: "Blb"},
    "oz": {1.0: "oz", 1e3: "koz", 1e6: "Moz", 1e9: "Boz"},
    "kg": {1.0: "kg", 1e3: "t", 1e6: "kt", 1e9: "Mt"},
}


# One base mass unit in: tonnes, pounds, troy ounces.
MASS_IN = {
    "t": (1.0, LB_PER_TONNE, 1e6 / G_PER_OZ),
    "short ton": (TONNE_PER_SHORT_TON, 2000.0, TONNE_PER_SHORT_TON * 1e6 / G_PER_OZ),
    "lb": (1 / LB_PER_TONNE, 1.0, 1e6 / G_PER_OZ / LB_PER_TONNE),
    "oz": (G_PER_OZ / 1e6, G_PER_OZ / 1e6 * LB_PER_TONNE, 1.0),
    "kg": (1e-3, LB_PER_TONNE / 1000, 1000 / G_PER_OZ),
}


# The patterns ``without_units`` blanks out, in order, each with words one of which every
# match holds (lower-cased): a header without them needs no substitution.
_UNIT_PATTERNS: list[tuple[tuple[str, ...], re.Pattern[str]]] = [
    *((hints, p) for hints, p, _ in _GRADE_UNITS),
    (("lb", "oz"), _PREFIXED_MASS),
    (("t",), _PREFIXED_TONNES),
    (("st", "tons"), _PREFIXED_SHORT_TONS),
    (("x",), _MULTIPLIERS[0][0]),
    (("x",), _MULTIPLIERS[1][0]),
    (("billion", "bn"), _MULTIPLIERS[2][0]),
    (("m",), _MULTIPLIERS[3][0]),
    (("thousand", "000", "k"), _MULTIPLIERS[4][0]),
    (("lb", "pound"), _LB),
    (("oz", "ounce"), _OZ),
    (("kg", "kilogram"), _KG),
    (("ton", "st"), _TONS),
    (("ton", "t"), _TONNES),
]


def without_units(text: str) -> str:
    """``text`` with its grade and mass units and multipliers blanked out:
    "Grade (g/t)" -> "Grade ( )", "Contained Ounces (000s)" -> "Contained  ( )"."""
    # Lower-casing keeps every letter the patterns match only in ASCII text; blanking a
    # match out makes no word appear (the words hold no space).
    low = text.lower() if text.isascii() else None
    for hints, pattern in _UNIT_PATTERNS:
        if low is None or any(map(low.__contains__, hints)):
            text = pattern.sub(" ", text)
    return text


def multiplier(text: str) -> tuple[float, str]:
    for pattern, value in _MULTIPLIERS:
        m = pattern.search(text)
        if m:
            return value, text[: m.start()] + " " + text[m.end() :]
    return 1.0, text


def grade_unit(text: str, low: str | None = None) -> str | None:
    low = text.lower() if low is None else low
    for hints, pattern, unit in _GRADE_UNITS:
        if any(map(low.__contains__, hints)) and pattern.search(text):
            return unit
    return None


_METRIC_TONS = re.compile(r"\bmetric\s+tons?\b", re.I)
_TONNAGE = re.compile(r"\btonnage\b|\bore\b", re.I)


def mass_unit(text: str, commodity: str | None) -> tuple[str | None, float]:
    """The mass unit printed in ``text`` ("t", "short ton", "lb", "oz", "kg") and its multiplier."""
    m = _PREFIXED_MASS.search(text)
    if m:
        base = "lb" if m.group(2).lower().startswith("lb") else "oz"
        return base, _PREFIX_VALUE[m.group(1)]
    m = _PREFIXED_TONNES.search(text)
    if m:
        return "t", _PREFIX_VALUE.get(m.group(1) or "M", 1e6)
    m = _PREFIXED_SHORT_TONS.search(text)
    if m:
        return "short ton", _PREFIX_VALUE[m.group(1)]
    mult, rest = multiplier(text)
    if _LB.search(rest):
        return "lb", mult
    if _OZ.search(rest):
        return "oz", mult
    if _KG.search(rest):
        return "kg", mult
    if _TONS.search(rest) and not _METRIC_TONS.search(rest):
        return "short ton", mult
    if _TONNES.search(rest):
        return "t", mult
    if _TONNAGE.search(rest) and mult != 1.0:
        return "t", mult  # "Tonnage (million)"
    return None, mult


def scaled_name(base: str, mult: float) -> str:
    names = _SCALED_NAMES.get(base, {})
    if mult in names:
        return names[mult]
    return f"{mult:g} {base}"


def normalise_grade(value: float, unit: str, commodity: str) -> tuple[float, str] | None:
    """A grade in the commodity's normalised unit: (120, "ppm", "Mo") -> (0.012, "%")."""
    cls = commodity_class(commodity)
    key = grade_unit(unit) if unit not in GRADE_FACTORS.get(cls or "", {}) else unit
    if cls is None or key is None:
        return None
    factor = GRADE_FACTORS[cls].get(key)
    if factor is None:
        return None
    return value * factor, NORMAL_GRADE_UNIT[cls]


def expected_contained(
    tonnage_mt: float, grade: float, grade_unit: str, commodity: str
) -> tuple[float, str] | None:
    """The contained metal that a tonnage and grade imply, in the normalised contained unit.

    10 Mt at 1% Cu -> (220.5, "Mlb"); 10 Mt at 1 g/t Au -> (0.3215, "Moz"). No
    metallurgical recovery is applied: resource tables report metal in situ. None when the
    grade unit does not fit the commodity.
    """
    norm = normalise_grade(grade, grade_unit, commodity)
    cls = commodity_class(commodity)
    if norm is None or cls is None:
        return None
    g, _ = norm
    tonnes = tonnage_mt * 1e6
    if cls == "precious":
        return tonnes * g / G_PER_OZ / 1e6, "Moz"
    metal_t = tonnes * g / 100
    if cls == "bulk":
        return metal_t / 1e6, "Mt"
    return metal_t * LB_PER_TONNE / 1e6, "Mlb"


# -- units of operating figures in a row label ----------------------------------------

# "(k ozs)", "('000 oz)", "(Moz)", "(k dmt)", "(tonnes)", "(Mlb)": an optional multiplier,
# then a mass unit, with the commodity or "sold"/"produced" around it.
_QUANTITY = re.compile(
    r"^(?:(?P<prefix>k|000s?|'000s?|thousands?(?:\s+of)?|m|mm|millions?(?:\s+of)?)\s*)?"
    r"(?P<unit>ozs?|ounces?|koz|moz|t|tonnes?|dmt|wmt|kt|mt|lbs?|pounds?|klb|mlb)$",
    re.I,
)
_GRADE_LABEL = re.compile(r"^(?:g/t|gpt|grams\s+per\s+tonne|%|percent|oz/t|ppm)$", re.I)
_PER_UNIT_COST = re.compile(
    r"^(?P<cur>[A-Z]{0,3}\$|[€£])\s*(?:/|per)\s*(?P<per>oz|ounces?|lbs?|pounds?|t|tonnes?|dmt|wmt)\b",
    re.I,
)
_PAREN = re.compile(r"\(([^()]{1,30})\)")
_COMMODITY_WORDS = re.compile(
    r"\b(?:[A-Z][a-z]?|U3O8|AgEq|AuEq|CuEq|GEO|sold|produced|contained|payable|recovered)\b\.?"
)
_UNIT_NAMES = {
    "oz": "oz", "ozs": "oz", "ounce": "oz", "ounces": "oz", "koz": "oz", "moz": "oz",
    "t": "t", "tonne": "t", "tonnes": "t", "dmt": "t", "wmt": "t", "kt": "t", "mt": "t",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb", "klb": "lb", "mlb": "lb",
}  # fmt: skip
_AS_PRINTED = {
    "oz": "oz", "koz": "koz", "moz": "Moz", "t": "t", "kt": "kt", "mt": "Mt",
    "lb": "lb", "mlb": "Mlb", "dmt": "dmt", "wmt": "wmt",
}  # fmt: skip
_BUILT_IN = {"koz": 1e3, "moz": 1e6, "kt": 1e3, "mt": 1e6, "klb": 1e3, "mlb": 1e6}
_PREFIX = {"k": 1e3, "000": 1e3, "000s": 1e3, "'000": 1e3, "'000s": 1e3, "m": 1e6, "mm": 1e6}


# Pure, and asked about the same labels by several steps: computed once per label.
@lru_cache(maxsize=8192)
def quantity_unit(label: str, currency: str = "USD") -> tuple[str, float] | None:
    """The unit a row label prints for an operating figure, and the factor to it:
    "Silver production (k ozs)" -> ("oz", 1000); "Ore milled (k dmt)" -> ("t", 1000);
    "Head grade (Ag g/t)" -> ("g/t", 1); "AISC (US$/oz)" -> ("USD/oz", 1). None when the
    label prints no such unit (a money line, in the table's currency and scale)."""
    # A unit in parentheses ("Gold produced (oz)"), or printed inline at the end of the
    # label ("Ore mined 000 tonnes", "AISC A$/oz").
    words = label.split()
    inline = [" ".join(words[-n:]) for n in (2, 1) if len(words) > n]
    for m in [*reversed(_PAREN.findall(label)), *inline]:
        text = _COMMODITY_WORDS.sub(" ", m).strip()
        text = " ".join(text.split())
        cost = _PER_UNIT_COST.match(m.strip())
        if cost:
            cur = code_for_symbol(cost.group("cur"), currency) or currency
            per = _UNIT_NAMES.get(cost.group("per").lower(), cost.group("per").lower())
            return f"{cur}/{per}", 1.0
        if _GRADE_LABEL.match(text):
            low = text.lower()
            unit = "%" if low in ("%", "percent") else low if low in ("oz/t", "ppm") else "g/t"
            return unit, 1.0
        if text.lower() in _AS_PRINTED:
            # A unit with its own name ("kt", "Moz", "dmt") is kept as printed.
            return _AS_PRINTED[text.lower()], 1.0
        q = _QUANTITY.match(text)
        if q:
            raw = q.group("unit").lower()
            prefix = (q.group("prefix") or "").lower().replace(" of", "")
            factor = _BUILT_IN.get(raw, 1.0)
            if prefix:
                factor *= _PREFIX.get(prefix, 1e3 if prefix.startswith("thousand") else 1e6)
            return _UNIT_NAMES[raw], factor
    return None


# A header cell that only names a unit: "(000's)", "('000t)", "(g/t)", "%", "kt", "(million)",
# "(t x 1,000)", "M st", "US$M". A row of these heads the columns; it is not a row of values.
_UNIT_TEXT = re.compile(
    r"^\(?\s*(?:"
    r"['‘’]?0{3}['‘’]?s?\s*(?:[a-z]{1,6})?"
    r"|(?:[A-Z]{0,3}\$|[€£])?\s*(?:m|mm|k|000s?|million|thousands?|bn)"
    r"|[a-z]?\s*x\s*[\d,]+"
    r"|(?:k|m|M|mm|b)?(?:t|st|oz|ozs|lbs?|tonnes?)"
    r"|g/t|gpt|%|ppm|ppb|oz/t|lb/t|\$/t|\$/oz|\$/lb|m\s?st|mt|kt|moz|koz|mlb|klb"
    r"|million|thousands?|tonnes|ounces|pounds|grade|metres|meters"
    r")\s*\)?$",
    re.I,
)


def is_unit_text(text: str) -> bool:
    """Whether a header cell names only a unit ("(000's)", "(g/t)", "%", "kt", "(t x 1,000)")."""
    t = text.strip()
    return bool(t) and len(t) <= 20 and _UNIT_TEXT.match(t) is not None
