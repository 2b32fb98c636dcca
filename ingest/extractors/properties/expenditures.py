"""Expenditures on a property with their period ("... were $3,400,000 compared to $2,100,000
during the year ended December 31, 2011")."""

from __future__ import annotations

import re

from ...lexicon.dates import annual_year_end
from ...model import Expenditure
from ...prose.amounts import find_amounts
from ...prose.periods import period_refs
from ...prose.sentences import Sentence
from .context import PropertyContext
from .names import SPACES
from .registry import Entry

NAME = "property expenditures"


def wants(s: Sentence, ctx: PropertyContext) -> bool:
    low = s.low
    return "$" in s.text and (
        "expend" in low or "expense" in low or "spent" in low or "cost" in low
    )


def read(s: Sentence, ctx: PropertyContext) -> None:
    mentions, _ = ctx.mentions_and_subject(s)
    read_expenditures(ctx, s.text, s.low, s.line, mentions)


_SPEND = r"(?:exploration\s+)?(?:expenditures?|expenses?|costs)"


_SPEND_AFTER_NAME = re.compile(
    r"(?:\s+(?:project|property|targets?|claims|licen[cs]e)){0,2}\s+" + _SPEND + r"\b"
)


_SPEND_BEFORE_NAME = re.compile(
    _SPEND
    + r"\s+(?:incurred\s+)?(?:on|at|for)\s+(?:the\s+)?$|\bexpended\b[^.;]{0,60}\bon\s+(?:the\s+)?$"
)


_AND_BETWEEN = re.compile(r"\s*(?:,\s*)?(?:and|&)\s+(?:the\s+)?|\s*,\s*(?:the\s+)?")


_NAME_GROUP_TAIL = re.compile(r"\s+(?:and|&)\s+(?:the\s+)?[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3}")


_COMPARED_TO = re.compile(r"\bcompared\s+(?:to|with)\b")


def read_expenditures(
    ctx: PropertyContext, s: str, low: str, line: int, mentions: list[tuple[int, int, Entry]]
) -> None:
    cmp_at = _COMPARED_TO.search(s) if "compared" in s else None
    limit = cmp_at.start() if cmp_at else len(s)
    named: list[Entry] = []
    label = ""
    in_group = False  # the previous name was named and "and" joins this one to it
    for k, (a, b, e) in enumerate(mentions):
        if a >= limit:
            break
        # "A Project expenditures", "expenses incurred on the A and B targets", "expended ... on A"
        near_after = _SPEND_AFTER_NAME.match(s, b)
        near_before = _SPEND_BEFORE_NAME.search(s[max(0, a - 60) : a])
        group = _NAME_GROUP_TAIL.match(s, b)
        if (
            in_group
            or near_after
            or near_before
            or (group and _SPEND_AFTER_NAME.match(s, group.end()))
        ):
            if e not in named:
                named.append(e)
            if not label:
                end = near_after.end() if near_after else b
                label = SPACES.sub(" ", s[a:end]).strip()
            nxt = mentions[k + 1][0] if k + 1 < len(mentions) else -1
            in_group = nxt > b and _AND_BETWEEN.fullmatch(s, b, nxt) is not None
        else:
            in_group = False
    if not named:
        return
    amounts = find_amounts(s, ctx.meta.currency, low)
    refs = period_refs(s, annual_year_end(ctx.meta))
    if len(named) > 1:
        label = "combined: " + ", ".join(e.prop.name for e in named)
    for i, a in enumerate(amounts):
        after = [r for r in refs if a.end <= r.start <= a.end + 4 and r.months]
        ref = after[0] if after else None
        if ref is None and i == 0:
            lead = [r for r in refs if r.end <= a.start and r.months]
            ref = lead[-1] if lead else None
        if ref is None or ref.period_end is None:
            continue
        for e in named:
            if any(
                x.period_end == ref.period_end and x.months == ref.months and x.value == a.value
                for x in e.prop.expenditures
            ):
                continue
            e.prop.expenditures.append(
                Expenditure(
                    value=a.value,
                    currency=a.unit,
                    period_end=ref.period_end,
                    months=ref.months or 0,
                    line=line,
                    label=label[:80],
                )
            )
