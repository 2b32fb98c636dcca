"""Financial figures in prose: "Working capital at December 31, 2021 was $3,200,000
compared to $5,900,000 as at December 31, 2020", "the net loss was $6.25 million"."""

from __future__ import annotations

import re
from datetime import date

from ...lexicon.concepts import PHRASES
from ...lexicon.dates import DATE, PERIOD_MONTHS, year_end_date
from ...lexicon.dates import iso_date as parse_date
from ...prose.amounts import Amount
from ...prose.periods import PeriodRef, period_refs
from ...prose.sentences import Sentence
from .context import NarrativeContext, span_half

NEEDS_DIGIT = True  # every figure it reads is a number
NAME = "narrative financial figures"


def wants(s: Sentence, ctx: NarrativeContext) -> bool:
    return s.digit and "$" in s.text


def read(s: Sentence, ctx: NarrativeContext) -> None:
    read_financial(ctx, s)


# (pattern, concept, sign, is_balance) from the concept registry, in its order. sign is
# applied to the printed magnitude.
_CONCEPTS: list[tuple[str, str, int, bool]] = [
    (pattern, concept.name, sign, concept.balance) for pattern, concept, sign in PHRASES
]


_CONCEPT_RE = re.compile(
    "|".join(f"(?P<c{i}>{p})" for i, (p, _, _, _) in enumerate(_CONCEPTS)), re.I
)


_MODIFIER = re.compile(
    r"(?:before|excluding|including|net\s+of|less|other\s+than|plus|of\s+the|to|from|in)\s+$",
    re.I,
)


_LINK = re.compile(
    r"\b(?:was|were|is|are|of|totall?ed|totall?ing|totals|amounted\s+to|reached|stood\s+at"
    r"|decreased\s+to|increased\s+to|declined\s+to|rose\s+to|fell\s+to|came\s+in\s+at)\s+"
    r"(?:(?:approximately|about|roughly|an\s+estimated|a\s+total\s+of)\s+)?$",
    re.I,
)


_COMPARED = re.compile(
    r"^\W{0,3}(?:\(|,)?\s*(?:an?\s+[^,$]{0,60}?\s+)?(?:compared\s+(?:to|with)|versus|vs\.?|from)\s+"
    r"(?:the\s+)?(?:(?P<concept>[a-z][a-z\- ]{2,40}?)\s+(?:of\s+)?)?"
    r"(?:(?:approximately|about)\s+)?(?=[A-Z]{0,3}\$|\$)",
    re.I,
)


_DASH_COMPARATIVE = re.compile(
    r"^\s*\(\s*(?:(?P<date>" + DATE + r")|(?:FY\s?|fiscal\s+)?(?P<year>(?:19|20)\d\d))\s*[-:]\s*",
    re.I,
)


_RESTATED = re.compile(r"^\s*\((?P<note>restated|as\s+restated|unaudited|revised)\)", re.I)


_PRIOR = re.compile(
    r"^\W{0,3}(?:in|for|during)\s+the\s+(?:prior|previous|last|same\s+period)", re.I
)


# Every concept starts with one of these words: finding them first (a plain alternation of
# literals, which the regex engine scans quickly) and matching the full patterns only there
# is many times faster than scanning with the full alternation.
_CONCEPT_START = re.compile(
    r"net|working|cash|operating|total|stock|share|general|administrative|exploration"
    r"|interest|revenue|annual|gold|loss",
    re.I,
)


_CONCEPT_START_LOWER = re.compile(_CONCEPT_START.pattern)


_CONCEPT_RE_LOWER = re.compile(_CONCEPT_RE.pattern)


def _concepts_in(text: str, low: str | None = None, stop: int | None = None) -> list[re.Match[str]]:
    """Concept phrases in ``text`` (``low`` is ``text.lower()``), those starting before
    ``stop`` (default: anywhere)."""
    # Case-sensitive matching on the lower-cased text is faster than ignoring case, and
    # keeps positions when lower-casing keeps the length (it does for these filings).
    low = text.lower() if low is None else low
    start_rx, concept_rx = _CONCEPT_START_LOWER, _CONCEPT_RE_LOWER
    if len(low) != len(text):
        low, start_rx, concept_rx = text, _CONCEPT_START, _CONCEPT_RE
    end = len(low) if stop is None else stop
    out: list[re.Match[str]] = []
    pos = 0
    while True:
        hit = start_rx.search(low, pos, end)
        if hit is None:
            return out
        i = hit.start()
        m = None
        if i == 0 or not low[i - 1].isalnum():
            m = concept_rx.match(low, i)
        if m and m.end() > i:
            out.append(m)
            pos = m.end()
        else:
            pos = hit.end()


def _concept_at(text: str | re.Match[str]) -> tuple[str, int, bool] | None:
    m = _CONCEPT_RE.fullmatch(text.strip()) if isinstance(text, str) else text
    if not m:
        return None
    for i, (_, concept, sign, balance) in enumerate(_CONCEPTS):
        if m.group(f"c{i}"):
            return concept, sign, balance
    return None


_PER_SHARE = re.compile(r"\b(?:weighted\s+average|per\s+share)\b")


def _year_before(iso: str) -> str | None:
    try:
        d = date.fromisoformat(iso)
        day = 28 if (d.month, d.day) == (2, 29) else d.day
        return date(d.year - 1, d.month, day).isoformat()
    except ValueError:
        return None


def read_financial(ctx: NarrativeContext, s: Sentence) -> None:
    text = s.text
    amounts = ctx.amounts(s)
    if not amounts:
        return
    # Read on the first concept that has an amount: most sentences with money have none.
    refs: list[PeriodRef] | None = None
    used: set[int] = set()
    taken: set[int] = set()  # starts of period phrases that belong to comparatives
    main: tuple[str | None, int | None] | None = None
    # A concept is read with an amount after it: none starts after the last amount.
    for cm in _concepts_in(text, s.low, max([a.start for a in amounts])):
        found = _concept_at(cm)
        if not found:
            continue
        concept, sign, balance = found
        if _MODIFIER.search(text[max(0, cm.start() - 16) : cm.start()]):
            continue
        amount = next((a for a in amounts if a.start >= cm.end() and a.start not in used), None)
        if amount is None or amount.start - cm.end() > 140:
            continue
        gap = text[cm.end() : amount.start]
        if "$" in gap or ";" in gap or not _LINK.search(gap):
            continue
        if _PER_SHARE.search(gap) and "per_share" not in concept:
            continue
        used.add(amount.start)
        end = amount.end
        if refs is None:
            refs = period_refs(text, ctx.year_end)
        restated = _RESTATED.match(text[end:])
        if restated:
            end += restated.end()
        inside = [r for r in refs if cm.end() <= r.start and r.end <= amount.start]
        # "(FY2023: A$8.1 million)" right after the amount is the comparative's period.
        dash_next = _DASH_COMPARATIVE.match(text[end:])
        after = [] if dash_next else [r for r in refs if end <= r.start <= end + 3]
        period_end, months = ctx.resolve_period(inside + after, balance)
        if period_end is None and months is None and main is not None:
            # "..., and working capital was A$49.9 million": the sentence's own period
            period_end, months = main[0], 0 if balance else main[1]
            if not balance and months == 0:
                months = (
                    PERIOD_MONTHS.get(ctx.meta.period_type or "")
                    if (period_end == ctx.meta.period_end)
                    else None
                )
        if period_end is None and months is None:
            lead = [r for r in refs if r.end <= cm.start() and r.start not in taken]
            period_end, months = ctx.resolve_period(lead[::-1], balance)
        if period_end is None and months is None:
            period_end, months = ctx.default_period(balance)
        if main is None and period_end is not None:
            main = (period_end, months)
        q = ctx.money_qualifiers(amount)
        if restated:
            q["restated"] = True
        value = amount.value * sign
        if sign < 0:
            q["reported"] = amount.value
        unit = amount.unit + "/share" if "per_share" in concept else amount.unit
        half = span_half(text, amount)
        ctx.add(s, concept, value, unit, period_end, months, None, half=half, **q)
        pos = after[0].end if after else end
        _comparative(
            ctx, s, amounts, pos, (concept, sign, balance), refs, used, taken, period_end, months
        )


def _comparative(
    ctx: NarrativeContext,
    s: Sentence,
    amounts: list[Amount],
    pos: int,
    concept: tuple[str, int, bool],
    refs: list[PeriodRef],
    used: set[int],
    taken: set[int],
    main_end: str | None,
    main_months: int | None,
) -> None:
    """The figure a sentence compares the main one with: "compared to $X in <period>",
    "(December 31, 2011 - $X)", "(2023 - $X)", "(FY2023: A$X)"."""
    text = s.text
    rest = text[pos:]
    dash = _DASH_COMPARATIVE.match(rest)
    name, sign, balance = concept
    period_end: str | None = None
    months: int | None = None
    if dash:
        other = next((a for a in amounts if a.start >= pos + dash.end() - 1), None)
        if other is None or other.start > pos + dash.end() + 2:
            return
        if dash.group("date"):
            period_end = parse_date(dash.group("date"))
        else:
            period_end = year_end_date(int(dash.group("year")), ctx.year_end)
        months = 0 if balance else main_months
    else:
        cmp_m = _COMPARED.match(rest)
        if not cmp_m:
            return
        other = next((a for a in amounts if a.start >= pos + cmp_m.end()), None)
        if other is None or other.start > pos + cmp_m.end() + 2:
            return
        if cmp_m.group("concept"):
            found = _concept_at(cmp_m.group("concept"))
            if found:
                name, sign, balance = found
        end = other.end
        restated = _RESTATED.match(text[end:])
        if restated:
            end += restated.end()
        refs_after = [r for r in refs if end <= r.start <= end + 40]
        if refs_after:
            taken.add(refs_after[0].start)
            period_end, months = ctx.resolve_period(refs_after[:1], balance)
        elif _PRIOR.match(text[end:]) and main_end:
            period_end = _year_before(main_end)
            months = 0 if balance else main_months
        else:
            return
    if period_end is None:
        return
    used.add(other.start)
    q = ctx.money_qualifiers(other)
    if _RESTATED.match(text[other.end :]):
        q["restated"] = True
    value = other.value * sign
    if sign < 0:
        q["reported"] = other.value
    unit = other.unit + "/share" if "per_share" in name else other.unit
    half = span_half(text, other)
    ctx.add(s, name, value, unit, period_end, months, None, half=half, **q)
