"""Commodities and mineral units: what a resource-table header means and how to normalise it.

Resource and reserve tables print the same quantity in many ways: tonnage as "Ore (Mt)",
"Tonnes (million)", "Tonnes (000s)" or "Bt"; copper grade as "Cu (%)" or molybdenum as
"Molybdenum (ppm)"; contained metal as "Cu (M lb)", "lb Cu (billion)", "Ag (koz)" or
"Cu Metal(t)". ``interpret_header`` reads a column's header texts into a ``HeaderMeaning``
(quantity, commodity, unit and the factor to the normalised unit), so that every estimate
lands in one set of units:

- tonnage in Mt (million metric tonnes; "tons" are short tons);
- base-metal and uranium grades in %, precious-metal grades in g/t;
- base-metal and uranium contained metal in Mlb, precious metals in Moz;
- bulk commodities (iron, lithium, graphite...) in % and Mt contained.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

LB_PER_TONNE = 2204.62262
G_PER_OZ = 31.1034768  # troy ounce
TONNE_PER_SHORT_TON = 0.90718474
G_PER_T_PER_OZ_PER_TON = G_PER_OZ / TONNE_PER_SHORT_TON  # 34.2857: oz/short ton -> g/t

# Symbol -> (class, names). The class decides the normalised units.
COMMODITIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Cu": ("base", ("copper",)),
    "Mo": ("base", ("molybdenum", "moly")),
    "Zn": ("base", ("zinc",)),
    "Pb": ("base", ("lead",)),
    "Ni": ("base", ("nickel",)),
    "Co": ("base", ("cobalt",)),
    "Sn": ("base", ("tin",)),
    "Sb": ("base", ("antimony",)),
    "Bi": ("base", ("bismuth",)),
    "U3O8": ("base", ("uranium", "triuranium octoxide")),
    "V2O5": ("base", ("vanadium", "vanadium pentoxide")),
    "WO3": ("base", ("tungsten", "tungsten trioxide")),
    "Au": ("precious", ("gold",)),
    "Ag": ("precious", ("silver",)),
    "Pt": ("precious", ("platinum",)),
    "Pd": ("precious", ("palladium",)),
    "Rh": ("precious", ("rhodium",)),
    "PGM": ("precious", ("platinum group metals", "platinum group elements", "pgm", "pge")),
    "Fe": ("bulk", ("iron",)),
    "Li2O": ("bulk", ("lithium oxide",)),
    "LCE": ("bulk", ("lithium carbonate equivalent",)),
    "Li": ("bulk", ("lithium",)),
    "Mn": ("bulk", ("manganese",)),
    "TiO2": ("bulk", ("titanium dioxide", "titania")),
    "Cg": ("bulk", ("graphite", "graphitic carbon")),
    "TREO": ("bulk", ("rare earth oxides", "total rare earth oxides")),
    "K2O": ("bulk", ("potash",)),
    "P2O5": ("bulk", ("phosphate",)),
    "CuEq": ("base", ("copper equivalent",)),
    "ZnEq": ("base", ("zinc equivalent",)),
    "NiEq": ("base", ("nickel equivalent",)),
    "PbEq": ("base", ("lead equivalent",)),
    "AuEq": ("precious", ("gold equivalent", "geo", "geos")),
    "AgEq": ("precious", ("silver equivalent",)),
    "PdEq": ("precious", ("palladium equivalent",)),
}
NORMAL_GRADE_UNIT = {"base": "%", "precious": "g/t", "bulk": "%"}
NORMAL_CONTAINED_UNIT = {"base": "Mlb", "precious": "Moz", "bulk": "Mt"}

_NAME_TO_SYMBOL = {name: sym for sym, (_, names) in COMMODITIES.items() for name in names}
_LONGEST_NAME = max(len(n.split()) for n in _NAME_TO_SYMBOL)
_NAME_FIRST_WORDS = frozenset(n.split()[0] for n in _NAME_TO_SYMBOL)
# Symbols as printed (case matters: "Au", never "AU"), with the forms some filings use.
_SYMBOLS = {s: s for s in COMMODITIES if not s.endswith("Eq")} | {
    "U₃O₈": "U3O8",
    "eU3O8": "U3O8",
    "PGE": "PGM",
    "3E": "PGM",
    "4E": "PGM",
}
_EQ_BASES = {"Cu", "Au", "Ag", "Ni", "Zn", "Pb", "Pd"}
_TWO_LETTER = {s for s in _SYMBOLS if len(s) == 2 and s[1].islower()}
_WORD = re.compile(r"[A-Za-z0-9₃₈]+")
_EQ_WORD = re.compile(r"eq(?:uiv(?:alent)?)?\.?$", re.I)

# Resource and reserve categories, combined forms first.
CATEGORY_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"\bmeasured\s*(?:\+|&|and|/)\s*indicated\b|\bM\s?&\s?I\b|\bM\s?\+\s?I\b", re.I),
        "measured_indicated",
    ),
    (
        re.compile(r"\bprove[nd]\s*(?:\+|&|and|/)\s*probable\b|\bP\s?&\s?P\b|\b2P\b", re.I),
        "proven_probable",
    ),
    (re.compile(r"\bprove[nd]\b", re.I), "proven"),
    (re.compile(r"\bprobable\b", re.I), "probable"),
    (re.compile(r"\bmeasured\b", re.I), "measured"),
    (re.compile(r"\bindicated\b", re.I), "indicated"),
    (re.compile(r"\binferred\b", re.I), "inferred"),
]
_CATEGORY_HINTS = ("prove", "probable", "measured", "indicated", "inferred", "&", "+", "2p")
RESERVE_CATEGORIES = frozenset({"proven", "probable", "proven_probable"})
RESOURCE_CATEGORIES = frozenset({"measured", "indicated", "inferred", "measured_indicated"})

_RESOURCE_WORDS = re.compile(r"\b(?:mineral\s+)?(?:resources?|reserves?)\b", re.I)
_FOOTNOTE = re.compile(r"\(\s*\d{1,2}\s*\)|\[\s*\d{1,2}\s*\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*+")
_CUTOFF_WORD = re.compile(r"\bcut[\s-]?off\b|\bcutoff\b|\bCOG\b|\blower\s+cut\b", re.I)
_CONTAINED_HINTS = ("contain", "metal", "content", "situ")
_ORE_HINTS = ("ore", "tonnage", "quantity", "material")
# Words of a number that is neither tonnage, grade nor metal (checked in lower case).
_OTHER_HINTS = (
    "recover",
    "dilution",
    "moisture",
    "payab",
    "strip",
    "change",
    "increase",
    "decrease",
    "variance",
    "interest",
    "ownership",
    "share",
    "density",
    " sg",
    "specific gravity",
    "width",
    "thickness",
    "length",
    "depth",
    "ratio",
    "holes",
    "metres",
    "meters",
    " days",
    "cost",
)
_CONTAINED_WORD = re.compile(r"\bcontain(?:ed|s)?\b|\bmetal\b|\bcontent\b|\bin[\s-]situ\b", re.I)
_ORE_WORD = re.compile(
    r"\bore\b|\btonnage\b|\bquantity\b|\bmineralized material\b|\bmaterial\b", re.I
)
_MONEY = re.compile(r"(?:US|C|CA|A|AU|NZ)?\$|\b(?:USD|CAD|AUD)\b|€|£")
_LABEL_HEADER = re.compile(
    r"^(?:mineral\s+)?(?:resource\s+|reserve\s+)?(?P<w>deposit|zone|area|domain|pit|"
    r"classification|category|class|material|type|ore type|property|project|location|lode|vein|"
    r"source|licen[cs]e|deposit\s*[-/]\s*zone|zone\s*[-/]\s*deposit|model)s?$",
    re.I,
)

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
_GRADE_FACTORS: dict[str, dict[str, float]] = {
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
_LB = re.compile(r"\blbs?\b|\bpounds?\b", re.I)
_OZ = re.compile(r"\boz\b|\bozs\b|\bounces?\b|\btroy\s+ounces?\b", re.I)
_KG = re.compile(r"\bkg\b|\bkilograms?\b", re.I)
_TONNES = re.compile(r"\btonnes?\b|\bmetric\s+tons?\b|\bt\b", re.I)
_TONS = re.compile(r"\bshort\s+tons?\b|\btons?\b|\bst\b", re.I)
_MULTIPLIERS: list[tuple[re.Pattern[str], float]] = [
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
_MASS_IN = {
    "t": (1.0, LB_PER_TONNE, 1e6 / G_PER_OZ),
    "short ton": (TONNE_PER_SHORT_TON, 2000.0, TONNE_PER_SHORT_TON * 1e6 / G_PER_OZ),
    "lb": (1 / LB_PER_TONNE, 1.0, 1e6 / G_PER_OZ / LB_PER_TONNE),
    "oz": (G_PER_OZ / 1e6, G_PER_OZ / 1e6 * LB_PER_TONNE, 1.0),
    "kg": (1e-3, LB_PER_TONNE / 1000, 1000 / G_PER_OZ),
}


@dataclass(frozen=True)
class HeaderMeaning:
    """What a column of a resource or reserve table holds.

    ``quantity`` is "tonnage", "grade", "contained", "cutoff", "other" (a number that is
    neither, such as NSR $/t or density: ``key`` names it), "label" (a text column naming a
    deposit, zone or category: ``key`` says which) or "unknown" (it names a commodity but the
    unit cannot be read). A printed value times ``factor`` is in ``unit``: "Mt" for tonnage,
    "%" or "g/t" for grades, "Mlb", "Moz" or "Mt" for contained metal. ``reported_unit`` is
    the printed unit in a canonical spelling ("M lb" -> "Mlb", "lb (billion)" -> "Blb").
    """

    quantity: str
    commodity: str | None = None
    unit: str | None = None
    reported_unit: str | None = None
    factor: float = 1.0
    category: str | None = None
    key: str | None = None

    @property
    def cutoff_basis(self) -> str | None:
        """A cut-off's unit and commodity as one string: "% Cu", "g/t AuEq", "USD/t NSR"."""
        if self.quantity != "cutoff":
            return None
        unit = self.reported_unit or ""
        if self.commodity:
            return f"{unit} {self.commodity}".strip()
        return unit or None


def commodity_class(symbol: str | None) -> str | None:
    """ "base", "precious" or "bulk" for a commodity symbol (None when unknown)."""
    entry = COMMODITIES.get(symbol or "")
    return entry[0] if entry else None


def find_commodity(text: str) -> tuple[str | None, int]:
    """The first commodity named in ``text`` and where it starts, or (None, -1).

    Equivalents ("CuEq", "Cu Eq", "copper equivalent") are recognised before their metal;
    symbols are case-sensitive ("Au", "Mo"), names are not ("Gold", "copper").
    """
    if not text:
        return None, -1
    words = [(m.start(), m.group()) for m in _WORD.finditer(text)]
    for i, (pos, word) in enumerate(words):
        found = _commodity_at(words, i, word, text)
        if found:
            return found, pos
    return None, -1


def _commodity_at(words: list[tuple[int, str]], i: int, word: str, text: str) -> str | None:
    nxt = words[i + 1][1] if i + 1 < len(words) else ""
    if word[:2] in _EQ_BASES and (
        _EQ_WORD.match(word[2:])
        or (len(word) == 2 and _EQ_WORD.match(nxt) and _adjacent(words, i, text))
    ):
        return word[:2] + "Eq"
    if word in _SYMBOLS:
        return _SYMBOLS[word]
    if len(word) > 2 and word[:2] in _TWO_LETTER and word[2].isupper() and len(word) <= 5:
        return word[:2]  # "CuT", "CuSol", "MoS2"
    low = word.lower()
    if low not in _NAME_FIRST_WORDS:
        return None
    for n in range(min(_LONGEST_NAME, len(words) - i), 0, -1):
        name = " ".join([low, *(w.lower() for _, w in words[i + 1 : i + n])])
        sym = _NAME_TO_SYMBOL.get(name)
        if sym:
            return sym
    return None


def _adjacent(words: list[tuple[int, str]], i: int, text: str) -> bool:
    """ "Cu Eq" or "Cu-Eq": the two words are separated by at most a space or a dash."""
    gap = text[words[i][0] + len(words[i][1]) : words[i + 1][0]]
    return gap in ("", " ", "-", "_", " - ")


def commodity_of(text: str) -> str | None:
    """The first commodity named in ``text``: "Copper (%)" -> "Cu", "CuEq (Mlb)" -> "CuEq"."""
    return find_commodity(text)[0]


def _has_category_word(text: str) -> bool:
    low = text.lower()
    return any(map(low.__contains__, _CATEGORY_HINTS))


def category_of(text: str) -> str | None:
    """The resource or reserve category a text names: "Indicated" -> "indicated"."""
    if not text or not _has_category_word(text):
        return None
    for pattern, category in CATEGORY_PATTERNS:
        if pattern.search(text):
            return category
    return None


def strip_category(text: str) -> str:
    """``text`` without its category words: "Inferred Upper Lens (Tarn)" -> "Upper Lens (Tarn)"."""
    if _has_category_word(text):
        for pattern, _ in CATEGORY_PATTERNS:
            text = pattern.sub(" ", text)
    low = text.lower()
    if "resource" in low or "reserve" in low:
        text = _RESOURCE_WORDS.sub(" ", text)
    return " ".join(text.split()).strip(" -–:,")


def _multiplier(text: str) -> tuple[float, str]:
    for pattern, value in _MULTIPLIERS:
        m = pattern.search(text)
        if m:
            return value, text[: m.start()] + " " + text[m.end() :]
    return 1.0, text


def _grade_unit(text: str, low: str | None = None) -> str | None:
    low = text.lower() if low is None else low
    for hints, pattern, unit in _GRADE_UNITS:
        if any(map(low.__contains__, hints)) and pattern.search(text):
            return unit
    return None


def _mass_unit(text: str, commodity: str | None) -> tuple[str | None, float]:
    """The mass unit printed in ``text`` ("t", "short ton", "lb", "oz", "kg") and its multiplier."""
    m = _PREFIXED_MASS.search(text)
    if m:
        base = "lb" if m.group(2).lower().startswith("lb") else "oz"
        return base, _PREFIX_VALUE[m.group(1)]
    m = _PREFIXED_TONNES.search(text)
    if m:
        return "t", _PREFIX_VALUE.get(m.group(1) or "M", 1e6)
    mult, rest = _multiplier(text)
    if _LB.search(rest):
        return "lb", mult
    if _OZ.search(rest):
        return "oz", mult
    if _KG.search(rest):
        return "kg", mult
    if _TONS.search(rest) and not re.search(r"\bmetric\s+tons?\b", rest, re.I):
        return "short ton", mult
    if _TONNES.search(rest):
        return "t", mult
    if re.search(r"\btonnage\b|\bore\b", rest, re.I) and mult != 1.0:
        return "t", mult  # "Tonnage (million)"
    return None, mult


def _scaled_name(base: str, mult: float) -> str:
    names = _SCALED_NAMES.get(base, {})
    if mult in names:
        return names[mult]
    return f"{mult:g} {base}"


def _slug(text: str) -> str:
    text = text.replace("$", " usd ").replace("%", " pct ").replace("/", " per ")
    text = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return re.sub(r"_+", "_", text) or "value"


def clean_header(text: str) -> str:
    """A header text without footnote markers and surplus spaces."""
    return " ".join(_FOOTNOTE.sub(" ", text or "").split())


def interpret_header(texts: list[str]) -> HeaderMeaning:
    """Read a column's header texts (outermost first) into a ``HeaderMeaning``.

    ["Indicated", "Tonnes (million)"] -> tonnage in Mt, category "indicated";
    ["Contained Metal", "Copper (Mlb)"] -> contained Cu in Mlb; ["Molybdenum (ppm)"] -> Mo
    grade, factor 0.0001 to %; ["lb Mo (billion)"] -> contained Mo, factor 1000 to Mlb;
    ["NSR ($/t)"] -> other, key "nsr_usd_per_t"; ["Base Case Cut-off (Cu %)"] -> cutoff
    with basis "% Cu".
    """
    return _interpret(tuple(t for t in texts if isinstance(t, str)))


def clear_cache() -> None:
    """Forget the headers read so far (for benchmarks that time a cold parse)."""
    _interpret.cache_clear()


@lru_cache(maxsize=4096)
def _interpret(texts: tuple[str, ...]) -> HeaderMeaning:
    # Headers repeat within and across filings; the answer depends on the texts alone.
    parts = [clean_header(t) for t in texts if t and t.strip()]
    category = None
    for part in parts:
        category = category_of(part) or category
    # Category words and the words "mineral resource" tell nothing about the quantity.
    rest = [strip_category(p) for p in parts]
    text = " ".join(p for p in rest if p)
    if not text:
        return HeaderMeaning(
            "other" if category else "unknown",
            category=category,
            key="category" if category else None,
        )
    commodity, _ = find_commodity(text)
    low = text.lower()
    if ("cut" in low or "cog" in low or "lower" in low) and _CUTOFF_WORD.search(text):
        return _cutoff_meaning(text, commodity, category)
    label = _LABEL_HEADER.match(text.strip()) if len(text) <= 40 else None
    if label and not commodity:
        word = label.group("w").lower()
        key = (
            "category"
            if word in ("classification", "category", "class")
            else (
                "zone"
                if word in ("zone", "domain", "lode", "vein", "material", "type", "ore type")
                else "deposit"
            )
        )
        return HeaderMeaning("label", category=category, key=key)
    contained_word = any(map(low.__contains__, _CONTAINED_HINTS)) and bool(
        _CONTAINED_WORD.search(text)
    )
    money = (
        "$" in text
        or "€" in text
        or "£" in text
        or (("USD" in text or "CAD" in text or "AUD" in text) and bool(_MONEY.search(text)))
    )
    if money or (any(map(low.__contains__, _OTHER_HINTS)) and not contained_word):
        return HeaderMeaning("other", commodity=commodity, category=category, key=_slug(text))
    grade_unit = _grade_unit(text, low)
    if grade_unit:
        if commodity is None:
            return HeaderMeaning(
                "unknown", unit=None, reported_unit=grade_unit, category=category, key=_slug(text)
            )
        cls = commodity_class(commodity) or "base"
        factor = _GRADE_FACTORS[cls].get(grade_unit)
        if factor is None:
            return HeaderMeaning(
                "unknown",
                commodity=commodity,
                reported_unit=grade_unit,
                category=category,
                key=_slug(text),
            )
        return HeaderMeaning(
            "grade", commodity, NORMAL_GRADE_UNIT[cls], grade_unit, factor, category
        )
    base, mult = _mass_unit(text, commodity)
    ore = any(map(low.__contains__, _ORE_HINTS)) and _ORE_WORD.search(text) is not None
    if base is not None and (commodity is None or (ore and not contained_word)):
        if base in ("lb", "oz") and commodity is None:
            # "Ounces" or "Contained (Mlb)" without a metal: contained, metal to be found.
            return HeaderMeaning(
                "unknown", None, None, _scaled_name(base, mult), 1.0, category, key="contained"
            )
        if base not in ("t", "short ton"):
            return HeaderMeaning(
                "unknown", commodity, None, _scaled_name(base, mult), 1.0, category, key=_slug(text)
            )
        if contained_word and commodity is None:
            return HeaderMeaning(
                "unknown", None, None, _scaled_name(base, mult), 1.0, category, key="contained"
            )
        tonnes = mult * _MASS_IN[base][0]
        return HeaderMeaning(
            "tonnage", None, "Mt", _scaled_name(base, mult), tonnes / 1e6, category
        )
    if base is None and commodity is None and ore:
        return HeaderMeaning("tonnage", None, "Mt", "t", 1e-6, category)
    if commodity is None:
        return HeaderMeaning("other", category=category, key=_slug(text))
    if base is None:
        return HeaderMeaning("unknown", commodity, category=category, key=_slug(text))
    cls = commodity_class(commodity) or "base"
    target = NORMAL_CONTAINED_UNIT[cls]
    t_per, lb_per, oz_per = _MASS_IN[base]
    per_unit = {"Mlb": lb_per / 1e6, "Moz": oz_per / 1e6, "Mt": t_per / 1e6}[target]
    return HeaderMeaning(
        "contained", commodity, target, _scaled_name(base, mult), per_unit * mult, category
    )


def _cutoff_meaning(text: str, commodity: str | None, category: str | None) -> HeaderMeaning:
    if _MONEY.search(text):
        cur = "USD"
        m = re.search(r"\b(C|CA|A|AU|NZ)\$|\b(CAD|AUD)\b", text)
        if m:
            cur = {"C": "CAD", "CA": "CAD", "A": "AUD", "AU": "AUD", "NZ": "NZD"}.get(
                m.group(1) or "", m.group(2) or "USD"
            )
        basis = "NSR" if re.search(r"\bNSR\b", text, re.I) else ""
        return HeaderMeaning("cutoff", None, f"{cur}/t", f"{cur}/t {basis}".strip(), 1.0, category)
    unit = _grade_unit(text)
    return HeaderMeaning("cutoff", commodity, unit, unit, 1.0, category)


# Cut-offs stated in a title, subtitle, group row or note.
_CO_NUM = r"(?P<num>\d+(?:\.\d+)?)"
_CO_UNIT = (
    r"(?P<unit>%|g\s?/\s?t(?:onne)?|gpt|grams?\s+per\s+tonne|ppm|ppb|oz\s?/\s?t(?:on)?|opt|"
    r"lbs?\s?/\s?t(?:on)?)"
)
_CO_COM = r"(?P<com>[A-Za-z][A-Za-z0-9₃₈]*(?:\s+equivalent\b|\s?Eq\b\.?)?)?"
_CUTOFF_RES = [
    re.compile(rf"{_CO_NUM}\s*{_CO_UNIT}\s*{_CO_COM}\s*(?:cut[\s-]?off|cutoff|COG)\b", re.I),
    re.compile(
        rf"(?:cut[\s-]?off|cutoff)(?:\s+grade)?(?:\s+(?:of|at|grade\s+of))?\s+{_CO_NUM}\s*"
        rf"{_CO_UNIT}\s*{_CO_COM}",
        re.I,
    ),
]
_CUTOFF_NSR_RES = [
    re.compile(
        r"(?P<cur>US|C|CA|A|AU)?\$\s?(?P<num>\d+(?:\.\d+)?)\s?/\s?t(?:onne)?\s*(?:NSR\s*)?"
        r"(?:cut[\s-]?off|cutoff)",
        re.I,
    ),
    re.compile(
        r"NSR\s+(?:cut[\s-]?off|cutoff)(?:\s+value)?(?:\s+(?:of|at))?\s+"
        r"(?P<cur>US|C|CA|A|AU)?\$\s?(?P<num>\d+(?:\.\d+)?)\s?/\s?t",
        re.I,
    ),
]
_DEFINED_TERM = re.compile(r"\s*\(\s*\"[^\"]{1,20}\"\s*\)")


def find_cutoff(text: str) -> tuple[float, str] | None:
    """A cut-off stated in ``text`` as (value, basis): "(0.25% CuEq cut-off)" -> (0.25, "% CuEq").

    Also "cut-off grade of 0.5 g/t Au", "0.3% Cu cutoff" and "NSR cut-off of $20/t"
    (-> (13.8, "USD/t NSR")).
    """
    if not text or not _CUTOFF_WORD.search(text):
        return None
    text = _DEFINED_TERM.sub("", text)
    for pattern in _CUTOFF_RES:
        m = pattern.search(text)
        if not m:
            continue
        unit = _grade_unit(m.group("unit")) or m.group("unit")
        com = commodity_of(m.group("com") or "") if m.group("com") else None
        try:
            value = float(m.group("num"))
        except ValueError:
            continue
        return value, f"{unit} {com}" if com else unit
    for pattern in _CUTOFF_NSR_RES:
        m = pattern.search(text)
        if m:
            cur = {"C": "CAD", "CA": "CAD", "A": "AUD", "AU": "AUD"}.get(
                (m.group("cur") or "").upper(), "USD"
            )
            return float(m.group("num")), f"{cur}/t NSR"
    return None


def normalise_grade(value: float, unit: str, commodity: str) -> tuple[float, str] | None:
    """A grade in the commodity's normalised unit: (120, "ppm", "Mo") -> (0.012, "%")."""
    cls = commodity_class(commodity)
    key = _grade_unit(unit) if unit not in _GRADE_FACTORS.get(cls or "", {}) else unit
    if cls is None or key is None:
        return None
    factor = _GRADE_FACTORS[cls].get(key)
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


# "Mineral resources are inclusive of the mineral reserves", "reported exclusive of Ore
# Reserves", "in addition to mineral reserves", "reserves are included in the resources".
_RESERVES = r"(?:the\s+|all\s+|any\s+)?(?:(?:mineral|ore)\s+)?reserves?\b"
_EXCLUSIVE = re.compile(
    r"\b(?:exclusive\s+of|exclud(?:e[sd]?|ing)|in\s+addition\s+to|do(?:es)?\s+not\s+include)\s+"
    + _RESERVES
    + r"|\breserves?\s+(?:are|is)\s+not\s+included\s+in\b"
    + r"|(?<!not )\badditive\s+to\b",
    re.I,
)
_INCLUSIVE = re.compile(
    r"\b(?:inclusive\s+of|includ(?:e[sd]?|ing))\s+"
    + _RESERVES
    + r"|\breserves?\s+(?:are|is)\s+included\s+in\b"
    # "The mineral reserves are not additive to the mineral resources": they are in them.
    + r"|\bnot\s+additive\s+to\b",
    re.I,
)


def resources_inclusive(
    lines: Iterable[tuple[int, str]],
) -> tuple[bool | None, list[tuple[int, bool]]]:
    """Whether the filing states its resources include its reserves, from (line, text) pairs.

    True for "inclusive of mineral reserves" or "reserves are not additive to resources",
    False for "exclusive of" or "in addition to mineral reserves". Also returns every statement read as (line, inclusive); the answer is
    None when the filing says neither, or says both (one deposit each way, say).
    """
    found: list[tuple[int, bool]] = []
    for no, text in lines:
        if "eserve" not in text or "esource" not in text:
            continue
        # The statement sits next to the word "reserve": read only those windows, since a
        # regex over every long paragraph about resources costs more than the rest.
        windows = []
        i = text.find("eserve")
        while i >= 0:
            windows.append(text[max(0, i - 60) : i + 60])
            i = text.find("eserve", i + 6)
        if any(_EXCLUSIVE.search(w) for w in windows):
            found.append((no, False))
        elif any(_INCLUSIVE.search(w) for w in windows):
            found.append((no, True))
    answers = {inclusive for _, inclusive in found}
    return (answers.pop() if len(answers) == 1 else None), found
