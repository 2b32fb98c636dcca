"""Reading printed numbers: "(1,234)", "$ -", "Nil", "14.8%", "1,09O"."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import NamedTuple

from .commodities import find_commodity
from .currencies import PREFIX
from .units import is_unit_text, quantity_unit

# Currency prefixes a converter leaves in cells: "$", "C$", "US$", "Cdn $", "A$", "€".
_CURRENCY_PREFIX = re.compile(rf"^{PREFIX}?\s*[$€£]\s*", re.I)
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")
_SPACED_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?: \d{3})+(?:\.\d+)?$")
NIL_TOKENS = frozenset({"-", "--", "---", "----", "nil", "n/a", "na", "none", "—", "–", "–-"})
# Markers such as "(1)", "(a)", "*" or "¹" after a label or a number.
FOOTNOTE_TAIL = re.compile(
    r"(?:\s*(?:\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)|\*{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+))+\s*$"
)
# One marker of such a tail: "(1)" or "(t)" (group 1), "*" (2), "¹" (3).
_MARKER = re.compile(r"\((\d{1,2}|[a-z]|[ivx]{1,4})\)|(\*{1,3})|([¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
_MARKER_ENDS = frozenset(")*¹²³⁴⁵⁶⁷⁸⁹⁰")
_NUMBER_PUNCTUATION = frozenset(".,()%$")
# "4,699,256 (1)": a footnote marker after a number.
_NUMBER_FOOTNOTE = re.compile(r"^(.*\d[%)]?)\s+\((\d)\)$")
_SUBUNIT = re.compile(r"^(\(?-?[\d,.]*\d)\s?(pence|cents?|p|c|¢)(\)?)$", re.I)


# A named tuple, not a frozen dataclass: every cell of every table is read into one, and
# a frozen dataclass takes three times as long to build.
class Number(NamedTuple):
    """A cell read as a number. ``value`` is None for nil, blank and unreadable cells."""

    value: float | None
    is_nil: bool = False
    percent: bool = False
    currency: bool = False
    garbled: bool = False  # looks like a number but is not one ("1,09O", "12.3.4")
    footnotes: tuple[str, ...] = ()
    subunit: bool = False  # printed in cents or pence ("(10.09 pence)", "5.21c")


BLANK = Number(None)


def split_footnotes(text: str) -> tuple[str, tuple[str, ...]]:
    """Strip trailing footnote markers: "Working capital (1)" -> ("Working capital", ("1",)).

    A unit in parentheses is not a marker: "Ore milled (t) (1)" -> ("Ore milled (t)", ("1",)).
    """
    # Every marker ends in ")", "*" or a superscript: other text is searched no further.
    tail = text.rstrip()
    if not tail or tail[-1] not in _MARKER_ENDS:
        return text.strip(), ()
    m = FOOTNOTE_TAIL.search(text)
    if not m or m.start() == 0:
        return text.strip(), ()
    cut = m.start()
    markers = list(_MARKER.finditer(text, cut))
    # A letter in parentheses may be a unit ("Ore milled (t)"), which the label keeps for
    # units.quantity_unit to read: the markers are only what follows the last such unit.
    # The unit lexicon decides, so a label's unit is never also a footnote.
    units_at = [i for i, mk in enumerate(markers) if mk.group(1) and quantity_unit(mk.group(0))]
    if units_at:
        cut = markers[units_at[-1]].end()
        markers = markers[units_at[-1] + 1 :]
    flat = tuple(next(x for x in mk.groups() if x) for mk in markers)
    return text[:cut].strip(), flat


_PLAIN = re.compile(r"^\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^\d+(?:\.\d+)?$")
# The other cells most tables hold: "$ 1,234", "(1,234)" and "$ (1,234)".
_PLAIN_BODY = r"(?:\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?)"
_SIMPLE = re.compile(rf"^(\$\s*)?(?:\(({_PLAIN_BODY})\)|({_PLAIN_BODY}))$")
_PLAIN_PERCENT = re.compile(rf"^({_PLAIN_BODY})%$")
_ASCII_DIGIT = re.compile(r"[0-9]")


@lru_cache(maxsize=8192)
def parse_number(raw: str) -> Number:
    """Read one printed cell.

    Parentheses and a leading minus are negative; thousands separators, currency signs and
    a trailing percent sign are dropped; dashes and "Nil" are a stated nothing.
    """
    text = raw.strip()
    if not text:
        return BLANK
    if _PLAIN.match(text):
        return Number(float(text.replace(",", "")))
    simple = _SIMPLE.match(text)
    if simple:
        # What the general reading below gives these, without its dozen steps.
        negative = simple.group(2) is not None
        value = float((simple.group(2) if negative else simple.group(3)).replace(",", ""))
        return Number(-value if negative else value, currency=simple.group(1) is not None)
    low = text.lower().strip("$ ")
    if low in NIL_TOKENS or text.strip() in NIL_TOKENS:
        return Number(None, is_nil=True, currency="$" in text)
    plain_percent = _PLAIN_PERCENT.match(text)
    if plain_percent:
        # "14.8%": what the general reading below gives it.
        return Number(float(plain_percent.group(1).replace(",", "")), percent=True)
    if text.isascii() and "$" not in text and not _ASCII_DIGIT.search(text):
        # Header text ("Tonnage (Mt)", "Base Case"): every reading below needs a digit, or
        # a currency sign before a nil; nor can text without digits look numeric.
        return BLANK
    sub = _SUBUNIT.match(text)
    if sub:
        # "(10.09 pence)", "5.21c", "3.5¢": an amount in the currency's hundredth.
        inner = parse_number(sub.group(1) + sub.group(3))
        if inner.value is not None:
            return Number(inner.value, currency=inner.currency, subunit=True)
    footnotes: tuple[str, ...] = ()
    # A footnote marker after a number: "4,699,256 (1)". "(1,234)" alone is a negative.
    m = _NUMBER_FOOTNOTE.match(text) if text[-1] == ")" else None
    if m:
        text, footnotes = m.group(1), (m.group(2),)
    negative = False
    currency = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    cur = _CURRENCY_PREFIX.match(text)
    if cur:
        currency, text = True, text[cur.end() :]
        if text.lower().strip() in NIL_TOKENS:
            return Number(None, is_nil=True, currency=True)
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    if text.startswith("-") and len(text) > 1:
        negative, text = not negative, text[1:].strip()
    cur = _CURRENCY_PREFIX.match(text)
    if cur:
        currency, text = True, text[cur.end() :]
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
        if text.startswith("(") and text.endswith(")"):
            negative, text = not negative, text[1:-1].strip()  # "(22)%"
    if _SPACED_THOUSANDS.match(text):
        text = text.replace(" ", "")
    if text and _NUMBER.match(text) and any(map(str.isdigit, text)):
        value = float(text.replace(",", ""))
        return Number(
            -value if negative else value, percent=percent, currency=currency, footnotes=footnotes
        )
    return Number(None, garbled=looks_numeric(raw))


def looks_numeric(raw: str) -> bool:
    """True for text that is mostly digits and number punctuation but did not parse.

    A commodity's formula or a unit ("U3O8 (%)", "(t x 1,000)") is text, however many of
    its characters are digits and number punctuation.
    """
    chars = [c for c in raw if not c.isspace()]
    if not chars:
        return False
    # Counted in C (map over the str methods): a generator costs a step of Python per char.
    digits = sum(map(str.isdigit, chars))
    if digits < 2:
        return False  # most text cells ("Tonnage (Mt)"): the other counts cannot matter
    # ``isdecimal`` is exactly what ``\d`` matches; no punctuation character is decimal.
    numberish = sum(map(str.isdecimal, chars)) + sum(map(_NUMBER_PUNCTUATION.__contains__, chars))
    # A misread digit is one or two letters ("1,09O"); more are a name ("Nb2O5 (%)").
    letters = sum(map(str.isalpha, chars))
    if not (letters <= 2 and numberish / len(chars) >= 0.6):
        return False
    return not _names_a_commodity_or_unit(raw)


def _names_a_commodity_or_unit(raw: str) -> bool:
    """A header's words that pass for a number by their shape: a formula with a unit
    ("U3O8 (%)", "(% V2O5)", two digits and two letters) or a unit ("(t x 1,000)")."""
    if is_unit_text(raw):
        return True
    # A formula starts with its element; a misread digit may stand before a letter that
    # makes it look like one ("1.5E" is not "5E", the PGM symbol).
    _, pos = find_commodity(raw)
    return pos >= 0 and raw[pos].isalpha()


# The digits of a printed number: "1,234.56", "1 234.5", ".75". Thousands separators may be
# commas or single spaces; the decimals are what sets the printed precision.
_PRINTED_DIGITS = re.compile(r"\d(?:[\d,]|\s(?=\d{3}\b))*(?:\.(\d+))?|\.(\d+)")


@lru_cache(maxsize=4096)
def half_unit(raw: str, factor: float = 1.0) -> float | None:
    """Half a unit of the last printed digit of ``raw``, times ``factor``.

    ``factor`` takes the printed number to the stored unit (a table's "in thousands", a
    ppm-to-% conversion), so the result is in the record's own unit: "1.73" -> 0.005;
    "1,090" with factor 1000 -> 500.0; "8.15" billion lb stored in Mlb (factor 1000) -> 5.0.
    None for a blank, nil or unreadable cell: its precision is unknown.
    """
    if parse_number(raw).value is None:
        return None
    # A cell that reads as a number has at most one decimal point, in the number itself.
    point = raw.find(".")
    decimals = 0
    if point >= 0:
        end = point + 1
        while end < len(raw) and raw[end].isdigit():
            end += 1
        decimals = end - point - 1
    return _half_of_digit(decimals, factor)


@lru_cache(maxsize=1024)
def _half_of_digit(decimals: int, factor: float) -> float:
    # A filing prints a handful of precisions and scales: the formatting in ``_tidy`` is
    # done once for each, not once per cell.
    return _tidy(float(f"5e-{decimals + 1}") * abs(factor))


def half_unit_of_span(span: str, value: float) -> float | None:
    """The half unit of a number read from prose, where scale words were applied.

    ``span`` is the printed amount ("$1.25 billion", "US$(3.4) million") and ``value``
    what it was read as (1.25e9): the scale is the power of ten between the printed
    digits and ``value``, so the scale words need not be known here.
    """
    m = _PRINTED_DIGITS.search(span)
    if m is None:
        return None
    try:
        printed = float(m.group(0).replace(",", "").replace(" ", ""))
    except ValueError:
        return None
    decimals = len(m.group(1) or m.group(2) or "")
    unit = float(f"5e-{decimals + 1}")
    if printed == 0 or value == 0:
        return unit
    ratio = abs(value) / printed
    exponent = round(math.log10(ratio))
    if abs(ratio / 10.0**exponent - 1) > 1e-6:
        return None  # not a power-of-ten scale: the value was converted some other way
    return _tidy(unit * 10.0**exponent)


def scaled_value(x: float) -> float:
    """A printed number times its scale, at the precision it was printed to: scaling 0.12 by
    1000 gives 119.99999999999999, which is 120.0; -0.0 is 0.0."""
    return round(x, 6) + 0.0


def _tidy(x: float) -> float:
    # 5e-3 * 1e-4 prints as 5.000000000000001e-07; the half unit is exact by nature.
    return float(f"{x:.12g}")
