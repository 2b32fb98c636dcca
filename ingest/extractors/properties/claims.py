"""Claim counts: the claims a defining sentence lists, patented and unpatented together."""

from __future__ import annotations

import re

from ...prose.amounts import to_number
from ...prose.sentences import Sentence
from .context import PropertyContext
from .registry import Entry

NEEDS_DIGIT = True  # every figure it reads is a number
NAME = "property claims"


def wants(s: Sentence, ctx: PropertyContext) -> bool:
    return s.digit and "claims" in s.low


def read(s: Sentence, ctx: PropertyContext) -> None:
    _, subject = ctx.mentions_and_subject(s)
    read_claims(ctx, s.text, subject)


_CLAIMS = re.compile(
    r"(?<![\d,.])(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s+(?:(?:unpatented|patented|lode|mining|mineral|placer"
    r"|staked)\s+)*claims\b",
    re.I,
)


_CLAIMS_VERB = re.compile(
    r"(?:consists?\s+of|consisting\s+of|comprised\s+of|comprises|comprising|defined\s+by|covers?"
    r"|with\s+respect\s+to|made\s+up\s+of|totall?ing|includes|of\s+the\s+mineral\s+rights\s+to"
    r"|rights\s+to|title\s+to)\b",
    re.I,
)


_OF_THE = re.compile(r"\s*of\s+the\b")


_CLAIMS_NOT_OWN_BEFORE = re.compile(r"\b(?:interest\s+in|acquired|additional)\s+$")


def read_claims(ctx: PropertyContext, s: str, subject: Entry | None) -> None:
    """Claims a defining sentence lists ("consists of 847 unpatented ... and 12 patented
    lode claims"): every count after the defining verb, subsets ("226 of the") left out."""
    if subject is None or subject.prop.claims is not None:
        return
    verb = _CLAIMS_VERB.search(s)
    if verb is None:
        return
    total = 0
    for m in _CLAIMS.finditer(s, verb.start()):
        if _OF_THE.match(s[m.end() : m.end() + 10]):
            continue
        if _CLAIMS_NOT_OWN_BEFORE.search(s[max(0, m.start() - 30) : m.start()]):
            continue
        n = to_number(m.group("n"))
        if n is not None:
            total += int(n)
    if total:
        subject.prop.claims = total
