"""Mineral resource and reserve categories: measured, indicated, inferred, proven, probable."""

from __future__ import annotations

import re
from functools import lru_cache

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


def _has_category_word(text: str) -> bool:
    low = text.lower()
    return any(map(low.__contains__, _CATEGORY_HINTS))


# Pure, and asked about the same labels by several steps: computed once per label.
@lru_cache(maxsize=8192)
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
