"""Commodities: symbols, names, classes and their normalised units.

A commodity's class decides its units: grades of base metals and U3O8 in %, contained in
Mlb; precious metals in g/t and Moz; bulk commodities (iron ore, lithium, graphite, rare
earths) in % and Mt. Symbols are case-sensitive ("Au", never "AU"); names are not.
"""

from __future__ import annotations

import re
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
    "Cg": ("bulk", ("graphite", "graphitic carbon", "total graphitic carbon")),
    "TREO": ("bulk", ("rare earth oxides", "total rare earth oxides", "rare earths")),
    "HREO": ("bulk", ("heavy rare earth oxides",)),
    "MREO": ("bulk", ("magnet rare earth oxides",)),
    "NdPr": ("bulk", ("neodymium praseodymium", "ndpr oxide")),
    "Nd2O3": ("bulk", ("neodymium oxide", "neodymium")),
    "Pr6O11": ("bulk", ("praseodymium oxide", "praseodymium")),
    "Dy2O3": ("bulk", ("dysprosium oxide", "dysprosium")),
    "Tb4O7": ("bulk", ("terbium oxide", "terbium")),
    "Nb2O5": ("bulk", ("niobium pentoxide", "niobium")),
    "Ta2O5": ("bulk", ("tantalum pentoxide", "tantalum")),
    "Sc2O3": ("bulk", ("scandium oxide", "scandium")),
    "CaF2": ("bulk", ("fluorspar", "fluorite")),
    "BaSO4": ("bulk", ("barite", "barytes")),
    "K2O": ("bulk", ("potash",)),
    "P2O5": ("bulk", ("phosphate",)),
    # Borates are reported as boron trioxide; "boron" alone is left out, as elemental boron
    # is printed in ppm B, not as the oxide.
    "B2O3": ("bulk", ("boron trioxide", "boric oxide", "boron oxide")),
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
    "5E": "PGM",
    "2PGE": "PGM",
    "3PGE": "PGM",
    "4PGE": "PGM",
    "5PGE": "PGM",
    "6E": "PGM",
    "TGC": "Cg",
    "C(g)": "Cg",
    "NdPrO": "NdPr",
    "MnO": "Mn",
    "Li₂O": "Li2O",
    "Nb₂O₅": "Nb2O5",
}


_EQ_BASES = {"Cu", "Au", "Ag", "Ni", "Zn", "Pb", "Pd"}


# A sum of platinum-group metals, with or without gold ("Pt+Pd", "3PGE+Au", "Pt + Pd + Au")
# is one grade of the group: read as its first metal, it would record palladium as
# platinum, or the group's ounces as gold's. The parts are the group's symbols above ("PGE",
# "4E"...), its metals (Ru, Ir and Os are no commodities of their own, but are summed) and
# gold; gold alone ("Au+Ag") is not a PGM sum.
_PGM_METALS = frozenset({"Pt", "Pd", "Rh", "Ru", "Ir", "Os"})
_PGM_PART = (
    "(?:"
    + "|".join(
        sorted(
            {s for s, sym in _SYMBOLS.items() if sym == "PGM"} | _PGM_METALS | {"Au"},
            key=lambda part: (-len(part), part),
        )
    )
    + ")"
)
_PGM_SUM = re.compile(rf"(?<![A-Za-z0-9]){_PGM_PART}(?:\s*\+\s*{_PGM_PART})+(?![A-Za-z0-9])")


_TWO_LETTER = {s for s in _SYMBOLS if len(s) == 2 and s[1].islower()}


_WORD = re.compile(r"[A-Za-z0-9₃₈]+")


_EQ_WORD = re.compile(r"eq(?:uiv(?:alent)?)?\.?$", re.I)


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
    pgm_sums = (
        {
            m.start()
            for m in _PGM_SUM.finditer(text)
            if any(part != "Au" for part in re.split(r"\s*\+\s*", m.group()))
        }
        if "+" in text
        else set()
    )
    for i, (pos, word) in enumerate(words):
        if pos in pgm_sums:
            return "PGM", pos
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


def is_commodity_name(phrase: str) -> bool:
    """Whether ``phrase``, whole, is a commodity's symbol or name: "Gold", "Cu", "Rare Earths"
    (not "Gold Hill" nor "AU")."""
    phrase = " ".join(phrase.split())
    return phrase in _SYMBOLS or phrase.lower() in _NAME_TO_SYMBOL


# Pure, and asked about the same labels by several steps: computed once per label.
@lru_cache(maxsize=8192)
def commodity_of(text: str) -> str | None:
    """The first commodity named in ``text``: "Copper (%)" -> "Cu", "CuEq (Mlb)" -> "CuEq"."""
    return find_commodity(text)[0]


# What assays print beside a commodity's grade that is no commodity we track: gangue and
# penalty elements and their oxides (an iron ore's SiO2, Al2O3, P, S; a laterite's MgO) and
# loss on ignition. A column of one holds that analyte's assay: it is neither the table's
# metal nor a tonnage. Single symbols that are also words or units ("In", "At", "No", "Mt")
# are left out of the elements printed alone.
_ANALYTE_ELEMENTS = frozenset("Si Al P S Mg Ca Na K Cl F As Hg Cd Se Te Cr Ba Sr Zr Th C".split())
# Elements an oxide or compound formula is built of: those above, the commodities' metals
# and the few non-metals of formulas ("Fe2O3", "SO3", "FeS2").
_FORMULA_ELEMENT = "|".join(
    sorted(
        _ANALYTE_ELEMENTS
        | {s for s in COMMODITIES if len(s) <= 2}
        | {"O", "H", "N", "B", "V", "W", "U", "Ti", "Nb", "Ta", "Li", "Nd", "Pr", "Dy", "Tb"},
        key=len,
        reverse=True,
    )
)
# A compound: element symbols with a subscript or ending in oxygen ("SiO2", "Al2O3", "MgO"),
# so that capitals that spell an acronym ("PFS", "NSR") are not read as chemistry.
_COMPOUND = re.compile(rf"(?:(?:{_FORMULA_ELEMENT})\d*)*(?:(?:{_FORMULA_ELEMENT})\d|O\d*)")
_ANALYTE_NAMES = re.compile(
    r"\b(?:silica|alumina|magnesia|phosphorus|sulphur|sulfur|arsenic|mercury|cadmium|"
    r"loss\s+on\s+ignition)\b",
    re.I,
)
_ANALYTE_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9]*")


def analyte_of(text: str) -> str | None:
    """An element, oxide or assay other than a tracked commodity that ``text`` names.

    "SiO2 (%)" -> "SiO2", "P (%)" -> "P", "LOI (%)" -> "LOI", "Silica (%)" -> "silica";
    "Grade (%)", "Fe (%)" and "PFS" -> None (a commodity is ``commodity_of``'s).
    """
    if not text:
        return None
    for m in _ANALYTE_WORD.finditer(text):
        word = m.group()
        if word in _SYMBOLS or word.endswith("Eq"):
            continue
        if word in _ANALYTE_ELEMENTS or word == "LOI" or _COMPOUND.fullmatch(word):
            return word
    m = _ANALYTE_NAMES.search(text)
    return m.group().lower() if m else None


# Commodities as prose names them after a grade ("1.2 g/t gold", "0.4% Cu"): one-word
# names and symbols, lower-cased, to symbols; the pattern is for case-insensitive use.
PROSE_WORDS: dict[str, str] = {
    **{sym.lower(): sym for sym in COMMODITIES},
    **{name: sym for sym, (_, names) in COMMODITIES.items() for name in names if " " not in name},
}
PROSE_PATTERN = (
    "(?:" + "|".join(re.escape(w) for w in sorted(PROSE_WORDS, key=len, reverse=True)) + ")"
)
