"""Scale words: "thousand", "$000s", "(in millions)", "M", "bn"."""

from __future__ import annotations

import re
from functools import lru_cache

# A scale word after a number: "1.2 million", "$3.4bn", "850k", "A$12M".
SCALE_WORDS: dict[str, float] = {
    "thousand": 1e3,
    "thousands": 1e3,
    "k": 1e3,
    "000": 1e3,
    "000s": 1e3,
    "'000": 1e3,
    "'000s": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mm": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "b": 1e9,
}


def scale_word(word: str | None) -> float:
    """The multiplier a scale word names ("million" -> 1e6); 1.0 for none or an unknown one."""
    return SCALE_WORDS.get((word or "").lower().strip(), 1.0)


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
            r"\bin\s+millions\b|\$\s?millions?\b|\$\s?m\b|\(\s*(?:in\s+)?millions?\s*[),]|\bmillions\s+of\b|\bmillion\s+\$|\$\s?mm\b",
            re.I,
        ),
        1e6,
    ),
    (re.compile(r"\bin\s+billions\b|\$\s?billions?\b|\$\s?bn?\b|\(\s*billions?\s*\)", re.I), 1e9),
]


# Every match of ``_SCALE_RES`` holds "$" or "000", or one of these in lower case: text
# without them, as most titles and headers are, needs none of the patterns.
SCALE_MARKS = ("$", "000")
SCALE_NAMES = ("thousand", "million", "billion")


# Pure, and asked about the same labels by several steps: computed once per label.
@lru_cache(maxsize=8192)
def scale_of(text: str) -> float:
    """The multiplier a scale phrase in ``text`` implies (1.0 when there is none)."""
    if (
        text.isascii()  # the patterns ignore case as ASCII text lower-cases
        and not any(map(text.__contains__, SCALE_MARKS))
        and not any(map(text.lower().__contains__, SCALE_NAMES))
    ):
        return 1.0
    for pattern, factor in _SCALE_RES:
        if pattern.search(text):
            return factor
    return 1.0
