"""Royalties on a property: kind, rate, holder and buy-back ("a 3% NSR royalty, which may be
bought down to 1%")."""

from __future__ import annotations

import re

from ...model import Royalty
from ...prose.amounts import to_number
from ...prose.sentences import Sentence, has_any, keyword_text
from .context import PropertyContext
from .names import BUYBACK, SOLD, clean_holder, merge_royalty
from .registry import Entry

NAME = "royalties"


def wants(s: Sentence, ctx: PropertyContext) -> bool:
    low = s.low
    return "royalt" in low or "nsr" in low or "npi" in low


def read(s: Sentence, ctx: PropertyContext) -> None:
    mentions, _ = ctx.mentions_and_subject(s)
    if "%" in s.text:
        read_royalty(ctx, s.text, s.line, mentions)
    else:
        read_buyback_only(ctx, s.text)


# ``\d\d?``, not ``\d{1,2}``: starting with a class (not a repeat), the pattern is searched
# by skipping to digits.
_ROYALTY = re.compile(
    r"(?P<pct>\d\d?(?:\.\d+)?)\s?%\s+(?P<kind>net\s+smelter\s+returns?(?:\s+royalty)?|NSR"
    r"|net\s+profits?\s+interest|NPI|net\s+profits?\s+royalty|gross\s+overriding\s+royalty|GOR"
    r"|gross\s+revenue\s+royalty|GRR|gross\s+royalty|production\s+royalty|royalty)"
    r"(?:\s*\(\s*\"?[A-Z]{2,4}\"?\s*\))?(?:\s+royalty)?",
    re.I,
)


_BUYBACK_BEFORE = re.compile(
    r"(?:bought|purchased|repurchased|reduced|bought\s+back)\s+(?:down\s+|back\s+)?to\s+(?:an?\s+)?$",
    re.I,
)


_HOLDER_AFTER = re.compile(
    r"^[^.;]{0,30}?\b(?:granted\s+to|in\s+favou?r\s+of|held\s+by|payable\s+to|owned\s+by"
    r"|retained\s+by|reserved\s+to|in\s+favou?r\s+to)\s+(?P<holder>(?:the\s+)?[A-Z][\w&.'\-]*"
    r"(?:\s+(?:\([A-Z][\w]*\)|[A-Z][\w&.'\-]*|of|and|&))*)"
)


_HOLDER_BEFORE = re.compile(
    r"(?P<holder>\b(?:the\s+)?(?:vendors?|optionors?|owners?|[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3}))"
    r"\s+(?:would|will|shall|may)?\s*(?:retains?|retained|holds?|keeps?)\s+an?\s+$"
)


_HOLDER_FROM = re.compile(
    r"\bfrom\s+(?P<holder>[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3})\s+in\s+return\s+for\s+an?\s+$"
)


_ROYALTY_KINDS = [
    (re.compile(r"net\s+smelter|NSR", re.I), "NSR"),
    (re.compile(r"net\s+profit|NPI", re.I), "NPI"),
    (re.compile(r"gross\s+overriding|GOR", re.I), "GOR"),
    (re.compile(r"gross\s+revenue|GRR", re.I), "GRR"),
    (re.compile(r"gross\s+royalty", re.I), "GR"),
]


_IF = re.compile(r"^\W{0,3}(?:If|Should|In\s+the\s+event|Unless)\b")


_ADDITIONAL_END = re.compile(r"\badditional\s+$")


_EACH_PROPERTY = re.compile(
    r"\b(?:each|both)\s+(?:property|properties|of\s+the\s+properties)\b", re.I
)


_NOT_NOW_BEFORE = re.compile(
    r"(?:formerly|part\s+of\s+the|sold\s+(?:its\s+)?(?:\d+%\s+)?(?:interest\s+in\s+)?the)\s+$"
)


# Every match of ``BUYBACK`` holds one of these.
_BUYBACK_WORDS = ("bought", "purchased", "reduced", "half", "50%")


def read_royalty(
    ctx: PropertyContext, s: str, line: int, mentions: list[tuple[int, int, Entry]]
) -> None:
    found: list[Royalty] = []
    for m in _ROYALTY.finditer(s):
        if _BUYBACK_BEFORE.search(s[max(0, m.start() - 40) : m.start()]):
            continue
        if _ADDITIONAL_END.search(s[max(0, m.start() - 14) : m.start()]) or _IF.match(s):
            continue  # a royalty that would arise later, not one in force
        pct = to_number(m.group("pct"))
        if pct is None or pct <= 0 or pct > 50:
            continue
        kind = next((k for rx, k in _ROYALTY_KINDS if rx.search(m.group("kind"))), "royalty")
        tail = s[m.end() : m.end() + 140]
        buy = BUYBACK.search(tail)
        buyback = None
        if buy:
            buyback = pct / 2 if buy.group("half") else to_number(buy.group("to"))
        holder = None
        hm = _HOLDER_AFTER.match(tail)
        if hm:
            holder = clean_holder(hm.group("holder"))
        else:
            before = s[max(0, m.start() - 80) : m.start()]
            hb = _HOLDER_BEFORE.search(before) or _HOLDER_FROM.search(before)
            if hb:
                holder = clean_holder(hb.group("holder"))
        found.append(Royalty(kind=kind, pct=pct, holder=holder, line=line, buyback_to_pct=buyback))
    if not found:
        read_buyback_only(ctx, s)
        return
    targets = _royalty_targets(ctx, s, mentions)
    if not targets:
        ctx.last_royalties = []
        sold = SOLD.search(s) is not None
        for r in found:
            what = f"a {r.pct:g}% {r.kind} royalty"
            what += " on a property the company sold" if sold else ""
            ctx.unattached(line, s, what)
        return
    ctx.last_royalties = [merge_royalty(entry.prop, r) for entry in targets for r in found]


def _royalty_targets(
    ctx: PropertyContext, s: str, mentions: list[tuple[int, int, Entry]]
) -> list[Entry]:
    words = keyword_text(s, s.lower())
    if ("each" in words or "both" in words) and _EACH_PROPERTY.search(s):
        if ctx.context:
            return list(ctx.context)
    named: list[Entry] = []
    for a, _, e in mentions:
        if _NOT_NOW_BEFORE.search(s[max(0, a - 40) : a]):
            continue
        if e not in named:
            named.append(e)
    if named:
        return named
    if SOLD.search(s):
        return []
    return [ctx.context[0]] if len(ctx.context) == 1 else list(ctx.context)


def read_buyback_only(ctx: PropertyContext, s: str) -> None:
    """ "Each NSR royalty may be bought down to 1% ..." after the royalty's sentence."""
    if not ctx.last_royalties:
        return
    words = keyword_text(s, s.lower())
    if not has_any(words, _BUYBACK_WORDS):
        return
    bm = BUYBACK.search(s)
    if not bm:
        return
    for r in ctx.last_royalties:
        if r.buyback_to_pct is None:
            r.buyback_to_pct = r.pct / 2 if bm.group("half") else to_number(bm.group("to"))
