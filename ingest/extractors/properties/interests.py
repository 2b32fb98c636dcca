"""The company's interest in a property: held, being acquired, or an earn-in target."""

from __future__ import annotations

import re

from ...prose.amounts import to_number
from ...prose.sentences import Sentence, keyword_text
from .context import PropertyContext
from .names import JV_TARGET, LOWER_THE, PROPER_NAME, SPACES, kind_of_name
from .registry import Entry

NAME = "property interests"


def wants(s: Sentence, ctx: PropertyContext) -> bool:
    return "%" in s.text and ("interest" in s.low or "owned" in s.low)


def read(s: Sentence, ctx: PropertyContext) -> None:
    mentions, _ = ctx.mentions_and_subject(s)
    read_interest(ctx, s.text, s.low, s.line, mentions)


# An interest statement is found from its "N% interest in" (cheap to scan for), then the
# verb just before it says whose interest it is and how firm it is.
# ``\d\d{0,2}`` rather than ``\d{1,3}``: a pattern that starts with a character class (not a
# repeat) is searched by skipping to the characters of the class, several times faster.
_INTEREST = re.compile(
    r"(?P<pct>\d\d{0,2}(?:\.\d+)?)\s?%\s+(?:undivided\s+|beneficial\s+|ownership\s+|working\s+"
    r"|participating\s+|carried\s+)?interest\s+in\s+(?=(?P<target>[^;]{1,200}))",
    re.I,
)


_INTEREST_VERB = re.compile(
    r"\b(?P<verb>has\s+earned|had\s+earned|has|have|holds?|held|owns?|retains?|retained|holding"
    r"|owning|acquired|earned|purchased|to\s+purchase|to\s+acquire|may\s+(?:acquire|earn)"
    r"|can\s+(?:acquire|earn)|could\s+(?:acquire|earn)|will\s+(?:acquire|earn|hold|own)"
    r"|right\s+to\s+(?:acquire|earn)|option\s+to\s+(?:acquire|earn)|sold|transferred|retaining"
    r"|acquiring|earning)\s+(?:an?\s+|its\s+|the\s+|all\s+of\s+its\s+)?"
    r"(?P<mods>(?:(?:undivided|initial|additional|further|effective|indirect|direct|beneficial"
    r"|remaining|aggregate|total)\s+)*)$",
    re.I,
)


_OWNED_BY = re.compile(
    rf"(?P<target>{PROPER_NAME})\s+(?:which\s+)?is\s+(?P<pct>\d{{1,3}}(?:\.\d+)?)\s?%\s+owned\s+by\s+"
    r"(?P<holder>[^,.;]{1,60})"
)


_POSSESSIVE = re.compile(
    r"(?P<holder>\b(?:its|our|the\s+Company's|[A-Z][\w\-]*'s))\s+(?P<pct>\d{1,3}(?:\.\d+)?)\s?%"
    r"(?:[- ]owned\s+(?P<target1>(?:the\s+)?"
    + PROPER_NAME
    + r")|\s+interest\s+in\s+(?P<target2>[^,;.]{1,80}))"
)


_TARGET_CUT = re.compile(
    r"\s+(?:by|for|pursuant|subject\s+to|with|from|whereby|which|if|in\s+exchange|to\s+"
    r"(?:the\s+)?[A-Z]|at\s+such|upon|until|provided)\b|[;]|\.\s"
)


_CONDITIONAL = re.compile(r"\b(?:once|if|when|upon|after|until)\b[^,;]{0,60}$", re.I)


_RANKS = {
    "has": 3,
    "have": 3,
    "holds": 3,
    "hold": 3,
    "held": 3,
    "owns": 3,
    "own": 3,
    "retains": 3,
    "retain": 3,
    "retained": 3,
    "holding": 3,
    "owning": 3,
    "retaining": 3,
    "acquired": 2,
    "earned": 2,
    "has earned": 2,
    "had earned": 2,
    "purchased": 2,
    "to purchase": 2,
    "to acquire": 2,
    "acquiring": 1,
    "earning": 1,
    "sold": 0,
    "transferred": 0,
}


def read_interest(
    ctx: PropertyContext, s: str, low: str, line: int, mentions: list[tuple[int, int, Entry]]
) -> None:
    # Each pattern holds a word (``_INTEREST`` "interest", ``_OWNED_BY`` "owned",
    # ``_POSSESSIVE`` "its", "our" or "'s"): without it, the pattern cannot match.
    stated = _INTEREST.finditer(s) if "interest" in keyword_text(s, low) else ()
    for pm in stated:
        window = max(0, pm.start() - 70)
        m = _INTEREST_VERB.search(s, window, pm.start())
        if m is None:
            continue
        verb = SPACES.sub(" ", m.group("verb").lower())
        mods = m.group("mods").lower()
        if "additional" in mods or "further" in mods:
            continue
        holder = ctx.holder_text(s, m.start(), verb)
        if verb.startswith("to "):
            company = ctx.first_actor_is_company(s)
        else:
            company = ctx.is_company(holder, s)
        if not company:
            continue
        rank = _RANKS.get(verb, 1)
        if rank == 0:
            for _, _, e in mentions:
                if e.interest_rank < 2:
                    ctx.sold.add(id(e))
            continue
        if _CONDITIONAL.search(s, max(0, m.start() - 70), m.start()):
            rank = min(rank, 1)
        pct = to_number(pm.group("pct"))
        if pct is None or pct > 100:
            continue
        target = pm.group("target")
        cut = _TARGET_CUT.search(target)
        if cut and not JV_TARGET.match(target):
            target = target[: cut.start()]
        entries = ctx.resolve_target(target.strip(), line, rank, pm.start("target"), mentions)
        if entries is None:
            continue
        if not entries:
            ctx.unattached(line, s, f"a {pct:g}% interest the company holds or may earn")
            continue
        for entry in entries:
            ctx.set_interest(entry, pct, rank)
    for m in _OWNED_BY.finditer(s) if "owned" in s else ():
        if not ctx.is_company(m.group("holder"), s):
            continue
        entry = ctx.reg.get(m.group("target"))
        pct = to_number(m.group("pct"))
        if entry and pct is not None and pct <= 100:
            ctx.set_interest(entry, pct, 3)
    possessive = "its" in s or "our" in s or "'s" in s
    for m in _POSSESSIVE.finditer(s) if possessive else ():
        if not ctx.is_company(m.group("holder"), s):
            continue
        pct = to_number(m.group("pct"))
        target = (m.group("target1") or m.group("target2") or "").strip()
        if pct is None or pct > 100 or not target:
            continue
        if m.group("target1"):
            entry = ctx.reg.get(target) or ctx.register(
                LOWER_THE.sub("", target),
                kind_of_name(target),
                line,
                ctx.context[0] if len(ctx.context) == 1 else None,
            )
            ctx.set_interest(entry, pct, 3)
            continue
        entries = ctx.resolve_target(target, line, 3, m.start("target2"), mentions)
        for entry in entries or []:
            ctx.set_interest(entry, pct, 3)
