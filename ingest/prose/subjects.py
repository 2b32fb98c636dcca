"""What a sentence is about: the property, deposit or project it names."""

from __future__ import annotations

import re

from .sentences import has_any

_SUBJECT = re.compile(
    r"(?:the\s+)?(?P<name>(?:[A-Z][\w'’\-]*\s+){0,4}[A-Z][\w'’\-]*)"
    r"(?:\s+(?:[a-z]+-)*[a-z]+){0,3}?\s+(?:deposit|Deposit|project|Project|property|Property"
    r"|mine|Mine|licen[cs]e|zone|Zone)\b"
    r"|(?:reserves?|resources?|PEA|study|assessment)\s+(?:estimate\s+)?(?:for|on|of)\s+(?:the\s+)?"
    r"(?P<name2>[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,4})"
)


_NOT_SUBJECT = frozenset(
    {"The", "This", "That", "Our", "Its", "Company", "Joint Venture", "Mineral", "Such", "Each"}
)


_DASHED = re.compile(r"\s+-\s+")


_LEADING_ARTICLE = re.compile(r"^(?:The|This|Our|Its|A|An)\s+")


def clean_subject(name: str | None) -> str | None:
    if not name:
        return None
    name = _DASHED.split(name)[0].strip()
    name = _LEADING_ARTICLE.sub("", name)
    if not name or name in _NOT_SUBJECT or not name[0].isupper():
        return None
    return name


_KIND_TAIL = re.compile(
    r"\s+(?:(?:Gold|Copper|Silver|Uranium|Lithium|Nickel|Zinc)\s+)?(?:Project|Property|Mine|Joint\s+Venture"
    r"|JV|Deposit)$"
)


def base_name(name: str) -> str:
    """ "X Gold Mine" -> "X": the short form a filing also uses."""
    base = _KIND_TAIL.sub("", name)
    return base if base != name and len(base) > 2 else ""


def subject_in(text: str, known: list[str]) -> str | None:
    if known:
        return known_in(text.lower(), [(name.lower(), name) for name in known])
    # Every match of ``_SUBJECT`` holds one of these words.
    low = text.lower()
    if not has_any(low, _SUBJECT_WORDS):
        return None
    for m in _SUBJECT.finditer(text):
        name = clean_subject(m.group("name") or m.group("name2"))
        if name:
            return name
    return None


_SUBJECT_WORDS = (
    "deposit",
    "project",
    "property",
    "mine",
    "licen",
    "zone",
    "reserve",
    "resource",
    "pea",
    "study",
    "assessment",
)


def known_in(low: str, known_low: list[tuple[str, str]]) -> str | None:
    """The known name ``low`` names first (the longest at a place), from (lower, name) pairs."""
    best: tuple[int, int, str] | None = None
    for lname, name in known_low:
        i = low.find(lname)
        if i >= 0 and (best is None or (i, -len(name)) < (best[0], best[1])):
            best = (i, -len(name), name)
    return best[2] if best else None
