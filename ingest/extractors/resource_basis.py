"""Whether the filing states its mineral resources inclusive or exclusive of its reserves."""

from __future__ import annotations

import re
from collections.abc import Iterable

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


# Every match of ``_EXCLUSIVE`` holds one of these in lower case, every match of
# ``_INCLUSIVE`` one of those: a window without them needs no search.
_EXCLUSIVE_WORDS = ("exclu", "addition", "includ", "additive")
_INCLUSIVE_WORDS = ("inclus", "includ", "additive")


def _may_state(window: str, words: tuple[str, ...]) -> bool:
    # The patterns ignore case: only ASCII text lower-cases the way they match.
    return not window.isascii() or any(map(window.lower().__contains__, words))


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
        if any(_may_state(w, _EXCLUSIVE_WORDS) and _EXCLUSIVE.search(w) for w in windows):
            found.append((no, False))
        elif any(_may_state(w, _INCLUSIVE_WORDS) and _INCLUSIVE.search(w) for w in windows):
            found.append((no, True))
    answers = {inclusive for _, inclusive in found}
    return (answers.pop() if len(answers) == 1 else None), found
