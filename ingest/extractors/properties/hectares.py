"""A property's area: "covers 2,500 hectares", "a 500 square kilometre tenement"."""

from __future__ import annotations

import re

from ...prose.amounts import to_number
from ...prose.sentences import Sentence
from .context import PropertyContext
from .names import PROPER_NAME
from .registry import Entry

NEEDS_DIGIT = True  # every figure it reads is a number
NAME = "property areas"


def wants(s: Sentence, ctx: PropertyContext) -> bool:
    # An area is a number: a sentence without a digit states none.
    low = s.low
    return s.digit and (
        "hectare" in low
        or "square kilomet" in low
        or "km2" in low
        or "km²" in low
        or "sq km" in low
        or (" ha" in low and _HA_AFTER_NUMBER.search(s.text) is not None)
    )


def read(s: Sentence, ctx: PropertyContext) -> None:
    mentions, subject = ctx.mentions_and_subject(s)
    read_hectares(ctx, s.text, subject, mentions)


_HECTARES = re.compile(
    r"(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)[\s-]*(?P<u>hectares?|ha\b|square\s+kilomet(?:re|er)s?"
    r"|sq\.?\s*km|km2|km²)",
    re.I,
)


_HECTARE_BEFORE_NAME = re.compile(
    rf"^[\s-]*(?:hectares?|ha)\s+(?P<name>{PROPER_NAME})\s+(?:property|project|claims|licen[cs]e|tenement)"
)


# "\d\s?ha\b", written to start with the literal "ha", which is searched for far faster.
_HA_AFTER_NUMBER = re.compile(r"ha(?:(?<=\dha)|(?<=\d\sha))\b")


def read_hectares(ctx: PropertyContext, s: str, subject: Entry | None, mentions: list) -> None:
    for m in _HECTARES.finditer(s):
        value = to_number(m.group("n"))
        if value is None or value <= 0:
            continue
        if not m.group("u").lower().startswith("h"):
            value *= 100.0  # square kilometres
        named = _HECTARE_BEFORE_NAME.match(s[m.end() - len(m.group("u")) :])
        entry = ctx.reg.get(named.group("name")) if named else None
        if entry is None:
            entry = ctx.subject(s, mentions, m.start())
        if entry is not None and entry.prop.hectares is None:
            entry.prop.hectares = value
