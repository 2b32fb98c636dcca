"""Generic units in headers and titles: currencies, scale words, shares.

Mineral units (Mt, g/t, Mlb, koz...) are read in ``ingest.minerals``; this module only
knows what every financial table needs.
"""

from __future__ import annotations

import re

CURRENCY_SYMBOLS = {
    "us$": "USD",
    "usd": "USD",
    "c$": "CAD",
    "cdn$": "CAD",
    "cdn $": "CAD",
    "ca$": "CAD",
    "cad": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "aud": "AUD",
    "nz$": "NZD",
    "zar": "ZAR",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
}
CURRENCY_NAMES = {
    "united states dollar": "USD",
    "u.s. dollar": "USD",
    "us dollar": "USD",
    "canadian dollar": "CAD",
    "australian dollar": "AUD",
    "new zealand dollar": "NZD",
    "south african rand": "ZAR",
    "euro": "EUR",
    "pounds sterling": "GBP",
}
_CURRENCY_NAME_RE = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in CURRENCY_NAMES) + r")s?\b", re.I
)
_CURRENCY_SYMBOL_RE = re.compile(
    r"(?<![A-Za-z])(US\$|C\$|Cdn\s?\$|CA\$|A\$|AU\$|NZ\$|€|£|\b(?:USD|CAD|AUD|ZAR|EUR|GBP)\b)"
)

# Scale words in a header or title: "$000s", "(in thousands)", "$ Million", "(millions)".
_SCALE_RES: list[tuple[re.Pattern[str], float]] = [
    (
        re.compile(
            r"\bin\s+thousands\b|\(\s*000'?s?\s*\)|\$\s?000'?s?\b|'000s?\b|\bthousands\s+of\b|\$\s?k\b",
            re.I,
        ),
        1e3,
    ),
    (
        re.compile(
            r"\bin\s+millions\b|\$\s?millions?\b|\$\s?m\b|\(\s*millions?\s*\)|\bmillions\s+of\b|\bmillion\s+\$|\$\s?mm\b",
            re.I,
        ),
        1e6,
    ),
    (re.compile(r"\bin\s+billions\b|\$\s?billions?\b|\$\s?bn?\b|\(\s*billions?\s*\)", re.I), 1e9),
]


def scale_of(text: str) -> float:
    """The multiplier a scale phrase in ``text`` implies (1.0 when there is none)."""
    for pattern, factor in _SCALE_RES:
        if pattern.search(text):
            return factor
    return 1.0


def currency_of(text: str, default: str | None = None) -> str | None:
    """ISO code of the first currency symbol or name in ``text``."""
    m = _CURRENCY_SYMBOL_RE.search(text)
    if m:
        return CURRENCY_SYMBOLS.get(m.group(1).lower().replace(" ", ""), default)
    m = _CURRENCY_NAME_RE.search(text)
    if m:
        return CURRENCY_NAMES[m.group(1).lower()]
    return default


_PAREN_UNIT = re.compile(r"\(([^()]{1,24})\)\s*$")


def header_unit(text: str) -> str | None:
    """Best-effort unit from a column header: "Ore (Mt)" -> "Mt", "Shares" -> "shares"."""
    t = text.strip()
    low = t.lower()
    if not t:
        return None
    if low in ("shares", "number of shares", "# of shares", "number"):
        return "shares"
    if low in ("amount", "$", "amount ($)", "value"):
        return "currency"
    m = _PAREN_UNIT.search(t)
    if m:
        return m.group(1).strip()
    if "$" in t:
        return "currency"
    if low.endswith("%"):
        return "%"
    return None
