"""Money in prose: "C$1.2 million", "US$(3.4) million", "$850,000".

Amounts are found from their "$" (a fast string search), then read outwards: the prefix
that names the currency just before it, the number and scale word after it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..lexicon.currencies import PREFIX, code_for_symbol
from ..lexicon.scales import scale_word
from .sentences import has_any, keyword_text

# Amounts are found from their "$" (a fast string search), then read outwards: the
# prefix that names the currency just before it, the number and scale word after it.
_CURRENCY_BEFORE = re.compile(rf"(?<![A-Za-z0-9]){PREFIX}\s?$", re.I)
_NUMBER_AFTER = re.compile(
    r"(?P<a>A(?=\d))?\s?(?:(?P<paren>\()\s?(?P<pnum>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\)"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?))"
    r"(?:\s?(?P<scale>million|billion|thousand|mm|bn|[MBK](?![a-zA-Z])|m(?![a-zA-Z/])))?"
)
# The last letters of the prefixes (and what re.IGNORECASE takes for them: "ſ" for "s",
# the Kelvin sign for "k"). A prefix ends at most two characters (a space, a line end)
# before the "$", so without one of these in the three before it there is none.
_CURRENCY_LAST = frozenset("SsDdCcNnAaUuZzKkRr.\u017f\u212a")
_APPROX = re.compile(
    r"(?:approximately|approx\.|about|roughly|around|circa|some|~|an\s+estimated)\s*(?:the\s+)?$",
    re.I,
)
# Every match of ``_APPROX`` holds one of these: a sentence with none needs no search.
_APPROX_WORDS = ("approx", "about", "roughly", "around", "circa", "some", "~", "estimated")


_new = tuple.__new__


class Amount(NamedTuple):
    start: int
    end: int
    value: float
    unit: str
    approximate: bool
    currency_assumed: bool


def find_amounts(text: str, currency: str | None, low: str | None = None) -> list[Amount]:
    """Money amounts in ``text`` with scale applied and the currency resolved.

    ``low`` is ``text.lower()`` when the caller has it.
    """
    out: list[Amount] = []
    i = text.find("$")
    if i < 0:
        return out
    words = keyword_text(text, text.lower() if low is None else low)
    approx = has_any(words, _APPROX_WORDS)
    while i >= 0:
        m = _NUMBER_AFTER.match(text, i + 1)
        nxt = text.find("$", i + 1)
        if m is None:
            i = nxt
            continue
        pm = (
            None
            if _CURRENCY_LAST.isdisjoint(text[max(0, i - 3) : i])
            else _CURRENCY_BEFORE.search(text, max(0, i - 5), i)
        )
        start = pm.start() if pm else i
        a, num, pnum, scale, paren = m.group("a", "num", "pnum", "scale", "paren")
        symbol = (pm.group(0) if pm else "") + "$" + ("A" if a else "")
        try:
            value = float((num or pnum).replace(",", ""))
        except ValueError:
            i = nxt
            continue
        if scale:
            value *= scale_word(scale)
        if paren:
            value = -value
        # A bare "$" is the filing's currency (what code_for_symbol says of it).
        unit = currency if symbol == "$" else code_for_symbol(symbol, currency)
        approximate = approx and _APPROX.search(text, max(0, start - 24), start) is not None
        # ``tuple.__new__``: an Amount without the named tuple's Python-level ``__new__``.
        out.append(_new(Amount, (start, m.end(), value, unit or "USD", approximate, unit is None)))
        i = nxt if nxt < 0 or nxt >= m.end() else text.find("$", m.end())
    return out


def to_number(text: str) -> float | None:
    """A float from "1,250" or "62.5"; None when it is not a number."""
    try:
        return float(text.replace(",", ""))
    except (AttributeError, ValueError):
        return None
