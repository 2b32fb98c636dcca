"""Share data in prose: shares, options and warrants outstanding, weighted-average shares."""

from __future__ import annotations

import re
from typing import Any

from ...lexicon.dates import DATE
from ...lexicon.dates import iso_date as parse_date
from ...lexicon.numbers import half_unit
from ...prose.amounts import find_amounts, to_number
from ...prose.periods import period_refs
from ...prose.sentences import Sentence, keyword_text
from .context import SPACES, NarrativeContext

NAME = "narrative share data"


def wants(s: Sentence, ctx: NarrativeContext) -> bool:
    # Every share fact has a number, or is "no warrants outstanding".
    if not s.digit and "no warrants" not in s.text:
        return False
    low = s.low
    return (
        "outstanding" in low or "granted" in low or "on issue" in low or "weighted average" in low
    )


def read(s: Sentence, ctx: NarrativeContext) -> None:
    read_share_data(ctx, s)


# A whole count, not part of a decimal, an amount or a larger number. Written to start
# with the digit (the check on the character before it comes after): a pattern that starts
# with a look-behind is tried at every position, one that starts with a digit only at digits.
_COUNT = r"\d(?<![\d.,$]\d)(?:\d{0,2}(?:,\d{3})+|\d*)(?![\d.])"


_SHARE_WORDS = r"(?:issued\s+and\s+outstanding\s+)?(?:common\s+|ordinary\s+|fully\s+paid\s+(?:ordinary\s+)?)?shares"


_SHARES = re.compile(
    r"(?P<n>"
    + _COUNT
    + r")(?:\s+"
    + _SHARE_WORDS
    + r")?\s+and\s+(?P<n2>"
    + _COUNT
    + r")\s+"
    + _SHARE_WORDS
    + r"|(?P<n1>"
    + _COUNT
    + r")\s+"
    + _SHARE_WORDS,
    re.I,
)


_BRACKETED = re.compile(r"\([^()]*\)")


_WEIGHTED_SHARES = re.compile(
    r"weighted[\s-]+average\s+(?:number\s+)?of\s+(?P<n>" + _COUNT + r")\s+" + _SHARE_WORDS,
    re.I,
)


_OPTIONS = re.compile(
    r"(?P<n>"
    + _COUNT
    + r"|no)\s+(?:(?:stock|share|incentive|unlisted|listed|share\s+purchase)\s+)*"
    r"(?P<what>options|warrants)(?:\s+were)?\s+(?P<state>outstanding|on\s+issue|granted|issued"
    r"|exercised)",
    re.I,
)


_AS_AT = re.compile(
    r"\b(?:as\s+(?:at|of)|at)\s+(?P<d1>" + DATE + r")(?:\s*(?:,|and|or)\s*(?:at\s+)?"
    r"(?P<d2>" + DATE + r"|the\s+date\s+of\s+this\s+(?:MD&A|report)))?",
    re.I,
)


_NO_WARRANTS = re.compile(
    r"\bno\s+(?:share\s+purchase\s+)?(?P<what>warrants|options)\s+outstanding", re.I
)


_PRICE_RANGE = re.compile(
    r"exercise\s+prices?\s+(?:ranging\s+)?from\s+(?P<lo>[A-Z]{0,3}\$\s?[\d.,]+)\s+to\s+"
    r"(?P<hi>[A-Z]{0,3}\$\s?[\d.,]+)",
    re.I,
)


_STATE_AFTER = re.compile(r"^[^.;$]{0,40}?\b(?:outstanding|on\s+issue)\b", re.I)


_PART_OF_BEFORE = re.compile(r"\bof\s+the\s*$|%\s*of\s*$|weighted\s+average\s+of\s*$")


_OF_COMPANY = re.compile(r"\s+of\s+the\s+Company's")


_THIS_DATE = re.compile(r"the\s+date\s+of\s+this", re.I)


_LEADING = re.compile(
    r"^\W{0,3}(?:In\s+addition,\s+)?(?:as\s+(?:at|of)|at|on)\s+(?P<d1>" + DATE + r")"
    r"(?:\s*(?:,|and|or)\s*(?:at\s+)?(?P<d2>" + DATE + r"))?",
    re.I,
)


_DATES_AFTER = re.compile(
    r"^[^.;]{0,20}?\b(?:as\s+(?:at|of)|at|on)\s+(?P<d1>" + DATE + r")"
    r"(?:\s*(?:,|and|or)\s*(?:at\s+|as\s+(?:at|of)\s+)?(?P<d2>" + DATE + r"))?",
    re.I,
)


_AS_AT_DATES = re.compile(
    r"(?:as\s+(?:at|of))\s+(?P<d1>" + DATE + r")(?:\s+and\s+(?P<d2>" + DATE + r"))?,", re.I
)


def _leading_dates(text: str) -> list[str]:
    m = _LEADING.search(text) or _AS_AT_DATES.search(text)
    if not m:
        return []
    return [d for d in (parse_date(m.group("d1")), parse_date(m.group("d2") or "")) if d]


def _dates_after(text: str) -> list[str]:
    m = _DATES_AFTER.match(text)
    if not m:
        return []
    return [d for d in (parse_date(m.group("d1")), parse_date(m.group("d2") or "")) if d]


def _date_for(ctx: NarrativeContext, text: str, start: int, stop: int) -> list[str]:
    """Dates stated for a count: "as at X and Y" just before it, else "at X" after."""
    dates = _dates_after(text[stop:])
    if dates:
        return dates
    before = text[max(0, start - 160) : start]
    found = list(_AS_AT.finditer(before))
    if found:
        m = found[-1]
        dates = [_as_date(ctx, m.group("d1")), _as_date(ctx, m.group("d2") or "")]
        return [d for d in dates if d]
    return []


def _as_date(ctx: NarrativeContext, text: str) -> str | None:
    if _THIS_DATE.match(text or ""):
        return ctx.meta.effective_date
    return parse_date(text) if text else None


def read_share_data(ctx: NarrativeContext, s: Sentence) -> None:
    text = s.text
    low = s.low
    words = keyword_text(text, low)
    if ("outstanding" in low or "on issue" in low) and "shares" in words:
        for m in _SHARES.finditer(text):
            tail = text[m.end() : m.end() + 60]
            head = text[max(0, m.start() - 40) : m.start()]
            if not _STATE_AFTER.match(tail):
                continue
            if _PART_OF_BEFORE.search(head):
                continue
            if _OF_COMPANY.match(tail):
                continue
            counts = [m.group("n1")] if m.group("n1") else [m.group("n"), m.group("n2")]
            dates = _date_for(ctx, text, m.start(), m.end()) or [ctx.meta.period_end]
            if len(counts) == len(dates):
                pairs = list(zip(counts, dates, strict=True))
            elif len(counts) == 1:
                pairs = [(counts[0], d) for d in dates]  # one count "as at X and Y"
            else:
                pairs = [(counts[0], dates[0])]
            for count, when in pairs:
                n = to_number(count)
                if n is not None:
                    ctx.add(s, "shares_outstanding", n, "shares", when, 0, half=half_unit(count))
    for m in _WEIGHTED_SHARES.finditer(text) if "weighted average" in low else ():
        # "... per share was $0.12 (2022 - $0.16), based on a weighted average of N shares
        # (FY2023: 2.53 cents on M shares)": the period named before the count, outside
        # the comparatives in brackets; else the filing's own period.
        n = to_number(m.group("n"))
        before = _BRACKETED.sub(" ", text[: m.start()])
        period_end, months = ctx.resolve_period(period_refs(before, ctx.year_end), False)
        if period_end is None:
            period_end, months = ctx.default_period(False)
        if n is not None and period_end is not None:
            ctx.add(
                s, "weighted_average_shares", n, "shares", period_end, months,
                half=half_unit(m.group("n")),
            )  # fmt: skip
    options = "options" in words or "warrants" in words
    for m in _OPTIONS.finditer(text) if options else ():
        what, state = m.group("what").lower(), m.group("state").lower()
        n = 0.0 if m.group("n").lower() == "no" else to_number(m.group("n"))
        if n is None:
            continue
        state = SPACES.sub(" ", state)
        if state in ("outstanding", "on issue"):
            concept = "options_outstanding" if what == "options" else "warrants_outstanding"
            dates = _date_for(ctx, text, m.start(), m.end()) or [ctx.meta.period_end]
            q: dict[str, Any] = {}
            pr = _PRICE_RANGE.search(text, m.end())
            if pr and pr.start() - m.end() < 40:
                lo = find_amounts(pr.group("lo"), ctx.currency)
                hi = find_amounts(pr.group("hi"), ctx.currency)
                if lo and hi:
                    q = {
                        "exercise_price_min": lo[0].value,
                        "exercise_price_max": hi[0].value,
                        "exercise_price_currency": lo[0].unit,
                    }
            half = half_unit(m.group("n"))
            for when in dates:
                ctx.add(s, concept, n, what, when, 0, half=half, **q)
        elif state == "granted" and what == "options":
            refs = period_refs(text, ctx.year_end)
            period_end, months = ctx.resolve_period(refs, False)
            if period_end is None:
                period_end, months = ctx.default_period(False)
            half = half_unit(m.group("n"))
            ctx.add(s, "options_granted", n, "options", period_end, months, half=half)
    for m in _NO_WARRANTS.finditer(text) if options and "outstanding" in words else ():
        what = m.group("what").lower()
        concept = "warrants_outstanding" if what == "warrants" else "options_outstanding"
        dates = _dates_after(text[m.end() :]) or _leading_dates(text) or [ctx.meta.period_end]
        for when in dates:
            ctx.add(s, concept, 0.0, what, when, 0)
