"""Currencies: ISO codes for the symbols, prefixes and names filings print.

One table of symbols (``SYMBOLS``), one of names (``NAMES``) and one pattern of the letters
printed before a "$" (``PREFIX``): the cell reader, the prose amounts, the table headers
and the metadata all read currencies from here.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Printed symbols, spaces removed and upper-cased, to ISO codes. "$" alone is the filing's
# own currency and is resolved by the caller.
SYMBOLS: dict[str, str] = {
    "US$": "USD",
    "U.S.$": "USD",
    "USD": "USD",
    "USD$": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "CDN$": "CAD",
    "CDN.$": "CAD",
    "CAD$": "CAD",
    "CAD": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "AUD$": "AUD",
    "AUD": "AUD",
    "$A": "AUD",
    "NZ$": "NZD",
    "NZD": "NZD",
    "HK$": "HKD",
    "ZAR": "ZAR",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
}
# Letters printed just before a "$" that name its currency ("US$", "Cdn $", "A$"). Case
# is left to the pattern that uses it.
PREFIX = r"(?:US|U\.S\.|USD|C|CA|CAN|Cdn\.?|CDN|CAD|A|AU|AUD|NZ|HK|R|ZAR)"
# Names of currencies in prose and headers ("United States dollars").
NAMES: dict[str, str] = {
    "united states dollar": "USD",
    "u.s. dollar": "USD",
    "us dollar": "USD",
    "canadian dollar": "CAD",
    "australian dollar": "AUD",
    "new zealand dollar": "NZD",
    "south african rand": "ZAR",
    "euro": "EUR",
    "pounds sterling": "GBP",
    "pound sterling": "GBP",
    "sterling": "GBP",
    "rand": "ZAR",
}
# The country word of "<country> dollars" in a statement of the reporting currency.
DOLLAR_COUNTRIES: list[tuple[str, str]] = [
    (r"United\s+States|U\.\s?S\.|US|American", "USD"),
    (r"Canadian|Cdn\.?|CDN", "CAD"),
    (r"Australian", "AUD"),
    (r"New\s+Zealand", "NZD"),
    (r"Hong\s+Kong", "HKD"),
    (r"Singapore", "SGD"),
]

_NAME_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in NAMES) + r")s?\b", re.I)
# ISO codes printed as words ("USD 1.2 million", "amounts in CAD").
CODE_LIST = ("USD", "CAD", "AUD", "NZD", "ZAR", "EUR", "GBP")
CODES = "(?:" + "|".join(CODE_LIST) + ")"
# Dollar symbols that name their dollar ("US$", "Cdn $", "$A12"); a bare "$" does not.
DOLLAR_SYMBOL_RE = re.compile(
    r"(?<![A-Za-z])(US\$|C\$|Cdn\s?\$|CA\$|A\$|\$A(?=\d)|AU\$|NZ\$|HK\$)", re.I
)
_SYMBOL_RE = re.compile(
    r"(?<![A-Za-z])(US\$|C\$|Cdn\s?\$|CA\$|A\$|AU\$|NZ\$|HK\$|€|£|\b" + CODES + r"\b)"
)


def code_for_symbol(symbol: str, default: str | None) -> str | None:
    """ISO code for a printed currency symbol ("C$", "Cdn $", "A$"); "$" gives ``default``."""
    key = "".join((symbol or "").split()).upper()
    if key in ("$", ""):
        return default
    return SYMBOLS.get(key, default)


# Every match of ``_SYMBOL_RE`` holds one of these (it is case-sensitive), and every match
# of ``_NAME_RE`` one of ``NAME_WORDS`` in lower case: text without them, as most titles and
# headers are, needs neither pattern, each tried at every position of the text.
_SYMBOL_MARKS = ("$", "€", "£", *CODE_LIST)
NAME_WORDS = ("dollar", "euro", "sterling", "rand")


# Pure, and asked about the same labels by several steps: computed once per label.
@lru_cache(maxsize=8192)
def currency_of(text: str, default: str | None = None) -> str | None:
    """ISO code of the first currency symbol or name in ``text``."""
    m = _SYMBOL_RE.search(text) if any(map(text.__contains__, _SYMBOL_MARKS)) else None
    if m:
        return code_for_symbol(m.group(1), default)
    # ``_NAME_RE`` ignores case; only ASCII text lower-cases the way the pattern matches.
    if text.isascii() and not any(map(text.lower().__contains__, NAME_WORDS)):
        return default
    m = _NAME_RE.search(text)
    if m:
        return NAMES[m.group(1).lower()]
    return default
