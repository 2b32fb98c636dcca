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
from dataclasses import dataclass
from functools import lru_cache

from .categories import category_of, strip_category
from .commodities import (
    NORMAL_CONTAINED_UNIT,
    NORMAL_GRADE_UNIT,
    analyte_of,
    commodity_class,
    commodity_of,
    find_commodity,
)
from .units import GRADE_FACTORS, MASS_IN, grade_unit, mass_unit, scaled_name, without_units

_FOOTNOTE = re.compile(r"\(\s*\d{1,2}\s*\)|\[\s*\d{1,2}\s*\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*+")
_ABOVE_CUTOFF = re.compile(
    r"(?<=\w)\s*(?:>|≥|>=|above|over)\s*(?:the\s+)?cut[\s-]?off(?:\s+grade)?\b", re.I
)
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


_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_UNDERSCORES = re.compile(r"_+")


def _slug(text: str) -> str:
    text = text.replace("$", " usd ").replace("%", " pct ").replace("/", " per ")
    text = _NOT_SLUG.sub("_", text.lower()).strip("_")
    return _UNDERSCORES.sub("_", text) or "value"


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
    # A list, not a generator: asked for every column by several steps.
    return _interpret(tuple([t for t in texts if isinstance(t, str)]))


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
    if "cut" in low and _ABOVE_CUTOFF.search(text):
        # "Tonnes > Cut-off", "Grade above cut-off (g/t)": a grade-tonnage table's
        # tonnage and grade above each cut-off, not the cut-off itself.
        text = _ABOVE_CUTOFF.sub(" ", text)
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
    if commodity is None and analyte_of(without_units(text)):
        # "SiO2 (%)", "P (%)", "LOI (%)": an assay of what we do not track, kept by name;
        # its unit must not make it a grade of the table's metal, or a tonnage ("(kt)").
        # Units go first: the "K" of "Tonnes (K)" or "K lbs" is a thousand, not potassium.
        return HeaderMeaning("other", category=category, key=_slug(text))
    printed_grade = grade_unit(text, low)
    if printed_grade:
        if commodity is None:
            return HeaderMeaning(
                "unknown",
                unit=None,
                reported_unit=printed_grade,
                category=category,
                key=_slug(text),
            )
        cls = commodity_class(commodity) or "base"
        factor = GRADE_FACTORS[cls].get(printed_grade)
        if factor is None:
            return HeaderMeaning(
                "unknown",
                commodity=commodity,
                reported_unit=printed_grade,
                category=category,
                key=_slug(text),
            )
        return HeaderMeaning(
            "grade", commodity, NORMAL_GRADE_UNIT[cls], printed_grade, factor, category
        )
    base, mult = mass_unit(text, commodity)
    ore = any(map(low.__contains__, _ORE_HINTS)) and _ORE_WORD.search(text) is not None
    if base is not None and (commodity is None or (ore and not contained_word)):
        if base in ("lb", "oz") and commodity is None:
            # "Ounces" or "Contained (Mlb)" without a metal: contained, metal to be found.
            return HeaderMeaning(
                "unknown", None, None, scaled_name(base, mult), 1.0, category, key="contained"
            )
        if base not in ("t", "short ton"):
            return HeaderMeaning(
                "unknown", commodity, None, scaled_name(base, mult), 1.0, category, key=_slug(text)
            )
        if contained_word and commodity is None:
            return HeaderMeaning(
                "unknown", None, None, scaled_name(base, mult), 1.0, category, key="contained"
            )
        tonnes = mult * MASS_IN[base][0]
        return HeaderMeaning("tonnage", None, "Mt", scaled_name(base, mult), tonnes / 1e6, category)
    if base is None and commodity is None and ore:
        return HeaderMeaning("tonnage", None, "Mt", "t", 1e-6, category)
    if commodity is None:
        return HeaderMeaning("other", category=category, key=_slug(text))
    if base is None:
        return HeaderMeaning("unknown", commodity, category=category, key=_slug(text))
    cls = commodity_class(commodity) or "base"
    target = NORMAL_CONTAINED_UNIT[cls]
    t_per, lb_per, oz_per = MASS_IN[base]
    per_unit = {"Mlb": lb_per / 1e6, "Moz": oz_per / 1e6, "Mt": t_per / 1e6}[target]
    return HeaderMeaning(
        "contained", commodity, target, scaled_name(base, mult), per_unit * mult, category
    )


# Words a grade or contained-metal header prints without naming what it measures ("Grade
# (g/t)", "Contained Metal (koz)", "Average Diluted Grade (%)").
_UNNAMED_QUANTITY = re.compile(
    r"\b(?:average|avg|mean|head|diluted|undiluted|in[\s-]?situ|insitu|capped|uncut|cut|"
    r"grades?|contain(?:ed|s)?|metal|content|total)\b\.?",
    re.I,
)


def names_only_quantity(text: str) -> bool:
    """Whether a header says only what quantity it holds and in what unit, naming nothing
    else: "Grade (g/t)", "Contained Ounces", "(%)" -> True; "SiO2 (%)", "Xy (%)" -> False.

    Only such a column can be given the metal of a table that names one: a column printing
    a word we cannot read may be another substance's assay, and is left unread.
    """
    rest = _UNNAMED_QUANTITY.sub(" ", without_units(strip_category(clean_header(text))))
    return not re.search(r"[^\W\d_]", rest)


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
    unit = grade_unit(text)
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
        unit = grade_unit(m.group("unit")) or m.group("unit")
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
