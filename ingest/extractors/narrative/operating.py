"""Operating figures in prose: "produced 73,406 ounces of gold at an AISC of US$1,105 per
ounce", "head grade rose to 1.82 g/t Au", "recovery improved to 92.6%".

Each becomes a narrative fact of concept ``operating_result`` whose ``qualifiers["metric"]``
is one of ``ingest.lexicon.operating.METRICS``; the operating step turns them into
operating results. Guidance ("expects to produce between 74,000 and 80,000 ounces") is a
plan, not a result, and is not read.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ...lexicon.commodities import commodity_of
from ...lexicon.dates import parse_period
from ...lexicon.numbers import half_unit
from ...lexicon.operating import base_mass
from ...lexicon.scales import scale_word
from ...prose.periods import PeriodRef, period_refs
from ...prose.sentences import Sentence, has_any, keyword_text
from ...prose.subjects import known_in
from .context import NarrativeContext, span_half

NEEDS_DIGIT = True
NAME = "narrative operating figures"
CONCEPT = "operating_result"

# Words one of which every sentence this rule reads holds. A substring test per word is
# cheaper than one alternation, which the regular expression engine tries at every position.
_WORDS = (
    "produc",
    "sold",
    "sale",
    "aisc",
    "all-in",
    "cash cost",
    "realised",
    "realized",
    "head grade",
    "recover",
    "processed",
    "milled",
    "poured",
)
_GUIDANCE = re.compile(
    r"\b(?:expects?|expected|guidance|forecasts?|targets?|targeted|plans?|planned|budget(?:ed)?"
    r"|outlook|anticipates?|anticipated|projected|will|would|could|life[\s-]of[\s-]mine|LOM"
    r"|run[\s-]rate|per\s+annum|peak|nameplate)\b",
    re.I,
)
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_METAL = (
    r"gold|silver|copper|zinc|lead|nickel|cobalt|uranium|U3O8|molybdenum|platinum|palladium"
    r"|(?:gold|silver|copper)\s+equivalent|GEOs?|AuEq|AgEq|CuEq"
)
# A quantity of metal: "73,406 ounces of gold", "1.2 million pounds of copper", "5,358 koz".
_METAL_QTY = re.compile(
    rf"(?P<n>{_NUM})\s*(?P<scale>million|thousand|m(?=\s)|k(?=\s))?\s*(?:(?P<metal0>{_METAL})\s+)?"
    rf"(?P<u>ounces|oz|koz|Moz|pounds|lbs?|Mlb)\b(?:\s+(?:of\s+)?(?P<metal>(?:payable\s+)?(?:{_METAL})))?",
    re.I,
)
_PRODUCED_BEFORE = re.compile(
    rf"(?:\b(?P<sold>sold|sales\s+of|sale\s+of)|\b(?P<prod>produced|production\s+(?:was|of|totall?ed|reached)"
    rf"|poured|recovered))\s+(?:(?:a\s+(?:record|total)\s+(?:of\s+)?|approximately\s+|about\s+)?)$"
    rf"|(?P<metal>{_METAL})\s+(?:(?P<prod2>production|produced)|(?P<sold2>sales|sold))"
    r"\s+(?:(?:was|were|of|totall?ed|reached|increased\s+to|decreased\s+to|rose\s+to|fell\s+to)\s+)"
    r"(?:approximately\s+|about\s+)?$",
    re.I,
)
_PRODUCED_AFTER = re.compile(r"^\s+(?:(?P<prod>produced|poured)|(?P<sold>sold))\b", re.I)
# A unit cost or price: the phrase, then within a few words the amount, then "per ounce".
_COST_PHRASE = re.compile(
    r"(?P<aisc>all[\s-]in\s+sustaining\s+(?:cash\s+)?costs?|AISC)"
    r"|(?P<aic>all[\s-]in\s+costs?|\bAIC\b)"
    r"|(?P<cash>(?:total\s+|C1\s+)?cash\s+(?:operating\s+)?costs?)"
    r"|(?P<price>reali[sz]ed\s+(?:(?:gold|silver|copper)\s+)?(?:selling\s+)?price)",
    re.I,
)
_PER_UNIT_AFTER = re.compile(r"^\s*(?:/\s*|per\s+(?:payable\s+)?(?:(?:gold|silver|copper)\s+)?)"
                             r"(?P<per>oz|ounces?|lbs?|pounds?|t\b|tonnes?)", re.I)  # fmt: skip
_PER_UNIT_BETWEEN = re.compile(
    r"\bper\s+(?:payable\s+)?(?:(?:gold|silver|copper|equivalent)\s+)*(?P<per>ounce|oz|pound|lb|tonne)s?\b",
    re.I,
)
# Test work, a study's plan or an assumption: figures of a design, not of operations.
_NOT_OPERATIONS = re.compile(
    r"\btest(?:s|ed|ing|work)?\b|\bcomposites?\b|\bassum\w*|\bstud(?:y|ies)\b|\bPEA\b|\bPFS\b"
    r"|\bfeasibility\b|\bmine\s+(?:life|plan)\b|\bcalculated\b|\bcolumn\s+leach|\bbottle\s+roll"
    r"|\bvariability\b|\bdesign(?:ed)?\b|\bscoping\b|\bpreliminary\s+economic",
    re.I,
)
# A statement about the past of a property, not the filing's period.
_HISTORY = re.compile(
    r"\bhistoric(?:al|ally)?\b|\bcumulative\b|\bsince\s+(?:19|20)\d\d|\bceased\b|\bformer(?:ly)?\b",
    re.I,
)
_RATE = re.compile(
    rf"(?P<what>head\s+grade|feed\s+grade|(?:metallurgical\s+|gold\s+|silver\s+|copper\s+)?recover(?:y|ies))"
    rf"[^.;$]{{0,40}}?\b(?P<n>{_NUM})\s*(?P<u>g/t|grams\s+per\s+tonne|%|per\s*cent|percent)"
    rf"(?:\s+(?P<metal>Au|Ag|Cu|{_METAL}))?",
    re.I,
)
_ORE = re.compile(
    rf"(?:\b(?:processed|milled|treated)\s+(?:a\s+(?:record\s+)?(?:total\s+of\s+)?)?(?P<n1>{_NUM})\s*"
    rf"(?P<s1>million|thousand)?\s*(?P<u1>tonnes|Mt|kt|t)\b"
    rf"|\bore\s+(?:processed|milled|treated)\b[^.;$]{{0,30}}?\b(?P<n2>{_NUM})\s*(?P<s2>million|thousand)?\s*"
    rf"(?P<u2>tonnes|Mt|kt|t)\b)",
    re.I,
)
_PER = {"oz": "oz", "ounce": "oz", "ounces": "oz", "lb": "lb", "lbs": "lb", "pound": "lb",
        "pounds": "lb", "t": "t", "tonne": "t", "tonnes": "t"}  # fmt: skip


def wants(s: Sentence, ctx: NarrativeContext) -> bool:
    return has_any(s.low, _WORDS)


# A sentence of guidance, history or a study is not read. Every match of each pattern holds
# one of its words (in ``keyword_text``): most sentences need none of the searches.
_NOT_READ = (
    (
        (
            "expect", "guidance", "forecast", "target", "plan", "budget", "outlook", "anticipat",
            "projected", "will", "would", "could", "life", "lom", "run", "annum", "peak",
            "nameplate",
        ),
        _GUIDANCE,
    ),
    (("historic", "cumulative", "since", "ceased", "former"), _HISTORY),
    (
        (
            "test", "composite", "assum", "stud", "pea", "pfs", "feasibility", "mine",
            "calculated", "column", "bottle", "variability", "design", "scoping", "preliminary",
        ),
        _NOT_OPERATIONS,
    ),
)  # fmt: skip


def read(s: Sentence, ctx: NarrativeContext) -> None:
    text = s.text
    words = keyword_text(text, s.low)
    for hints, pattern in _NOT_READ:
        if has_any(words, hints) and pattern.search(text):
            return
    figures = sorted(_figures(s, ctx), key=lambda f: f.start)
    if not figures:
        return
    refs = _refs(text, ctx)
    default = _default_period(ctx, text)
    subject = _mine_named_first(s, ctx, figures[0].start)
    for i, f in enumerate(figures):
        lo = figures[i - 1].end if i else 0
        hi = figures[i + 1].start if i + 1 < len(figures) else len(text)
        cmp = _COMPARED_BEFORE.search(text, lo, f.start)
        compared = cmp is not None
        # A figure's own period follows it in its clause ("75% for Q2 2022, compared with
        # ...") or comes before it ("during Q3 2021 ... of $17.94"). A period after "compared
        # with" belongs to the comparative figure, not to one outside the comparison.
        clause = _CLAUSE_END.search(text, f.end, hi)
        stop = clause.start() if clause else hi
        after = [r for r in refs if f.end <= r.start < stop and not _compared(text, r, f.end)]
        if cmp is not None:  # the comparison's own period, after its "compared with"
            before = [r for r in refs if cmp.start() <= r.start < f.start]
        else:  # the nearest period before it, with no comparison in between
            before = [
                r
                for r in refs
                if r.end <= f.start
                and not _compared(text, r, 0)
                and _COMPARISON.search(text, r.end, f.start) is None
            ]
        period = _resolved(ctx, after) or _resolved(ctx, before[::-1])
        if period is None:
            if compared:
                continue  # a comparative with no period of its own: which one is unknown
            period = default
        end, months = period
        ctx.add(
            s,
            CONCEPT,
            round(f.value, 6),
            f.unit,
            end,
            months,
            subject,
            half=f.half,
            metric=f.metric,
            commodity=f.commodity,
            printed=f.printed.strip(),
        )


def _mine_named_first(s: Sentence, ctx: NarrativeContext, first: int) -> str | None:
    """The mine a sentence's figures are about: one it names before its first figure
    ("Loon Narrows produced ..."; one named after them, "... when X was ramping up", is not
    their subject); else one an earlier sentence of its paragraph opens with ("X produced
    ... Head grade was ..."); else one its heading names ("Operating results - X Mine")."""
    if not ctx.known:
        return None
    found = known_in(s.low[:first], ctx.known_low)
    if found:
        return found
    sents, j = ctx.sentences, ctx.index - 1
    while 0 <= j < len(sents) and sents[j].block == s.block:
        found = known_in(sents[j].low[:_OPENING], ctx.known_low)
        if found:
            return found
        j -= 1
    if s.heading_line and s.subsection:
        return known_in(s.subsection.lower(), ctx.known_low)
    return None


# How far into a sentence its subject is named ("At the Loon Narrows Mine, ...").
_OPENING = 40


class _Figure(NamedTuple):
    start: int
    end: int
    metric: str
    value: float
    unit: str
    printed: str
    half: float | None
    commodity: str | None = None


def _figures(s: Sentence, ctx: NarrativeContext) -> list[_Figure]:
    text, low = s.text, s.low
    out: list[_Figure] = []
    # Each pattern holds one of a few words: a sentence without them needs no search.
    metal = "oz" in low or "ounce" in low or "pound" in low or "lb" in low
    for m in _METAL_QTY.finditer(text) if metal else ():
        before = _PRODUCED_BEFORE.search(text[max(0, m.start() - 60) : m.start()])
        after = _PRODUCED_AFTER.match(text[m.end() : m.end() + 20])
        hit = before or after
        if hit is None:
            continue
        groups = hit.groupdict()
        sold = bool(groups.get("sold") or groups.get("sold2"))
        metal = m.group("metal0") or m.group("metal") or groups.get("metal") or ""
        unit, factor = _mass(m.group("u"))
        scale = scale_word(m.group("scale").lower()) if m.group("scale") else 1.0
        value = float(m.group("n").replace(",", "")) * scale * factor
        out.append(_Figure(m.start(), m.end(), "metal_sold" if sold else "metal_produced", value,
                           unit, m.group(0), half_unit(m.group("n"), scale * factor),
                           commodity_of(metal) if metal else None))  # fmt: skip
    for a in ctx.amounts(s) if "$" in text else ():
        per = _PER_UNIT_AFTER.match(text[a.end : a.end + 30])
        phrase = None
        for c in _COST_PHRASE.finditer(text[max(0, a.start - 80) : a.start]):
            phrase = c  # the nearest phrase before the amount names it
        if phrase is None:
            continue
        between = text[max(0, a.start - 80) + phrase.end() : a.start]
        per_unit = per.group("per") if per else None
        if per_unit is None:
            inside = _PER_UNIT_BETWEEN.search(between)
            per_unit = inside.group("per") if inside else None
        if per_unit is None:
            continue
        metric = {
            "aisc": "aisc",
            "aic": "all_in_cost",
            "cash": "cash_cost",
            "price": "realised_price",
        }[phrase.lastgroup or "cash"]
        commodity = (
            commodity_of(phrase.group(0))
            or commodity_of(between)
            or commodity_of(text[a.end : a.end + 40])
            or commodity_of(text)
        )
        stop = a.end + (per.end() if per else 0)
        out.append(_Figure(a.start, stop, metric, a.value, f"{a.unit}/{_PER[per_unit.lower()]}",
                           text[a.start : stop], span_half(text, a), commodity))  # fmt: skip
    for m in _RATE.finditer(text) if "grade" in low or "recover" in low else ():
        grade = "grade" in m.group("what").lower()
        unit = "%" if m.group("u").lower() in ("%", "per cent", "percent") else "g/t"
        if not grade and unit != "%":
            continue
        commodity = commodity_of(m.group("metal") or "") or commodity_of(m.group("what"))
        out.append(_Figure(m.start("n"), m.end(), "head_grade" if grade else "recovery",
                           float(m.group("n").replace(",", "")), unit, m.group(0),
                           half_unit(m.group("n"), 1.0), commodity))  # fmt: skip
    ore = "process" in low or "milled" in low or "treated" in low
    for m in _ORE.finditer(text) if ore else ():
        n, sc, u = (
            (m.group("n1"), m.group("s1"), m.group("u1"))
            if m.group("n1")
            else (m.group("n2"), m.group("s2"), m.group("u2"))
        )
        unit, factor = _mass(u)
        scale = (scale_word(sc.lower()) if sc else 1.0) * factor
        out.append(_Figure(m.start(), m.end(), "ore_processed", float(n.replace(",", "")) * scale,
                           unit, m.group(0), half_unit(n, scale)))  # fmt: skip
    return out


# "up 10% on FY2023", "compared with 2023": a period named to compare with, not the figure's.
_COMPARED_BEFORE = re.compile(
    r"(?:\bvs\.?|\bversus|\bcompared\s+(?:to|with)|\bagainst"
    r")(?:(?!,\s|;).){0,60}$"
    # "(2024: 88.5%)": an aside that compares, up to its closing parenthesis
    r"|\(\s*(?:Q[1-4]\s*)?(?:FY\s?)?(?:19|20)\d\d\s*[:–-][^()]{0,60}$",
    re.I,
)
# Where a figure's clause ends: the next figure, a comparison, a new coordinated clause.
_CLAUSE_END = re.compile(
    r"\s+and\s+|,\s*(?:and|but|while|whereas)\b|\s+(?:compared\s+(?:to|with)|versus|vs\.?|than)\s+"
    r"|;|\s*\(",
    re.I,
)
_COMPARISON = re.compile(r"\b(?:compared\s+(?:to|with)|versus|vs\.?|than)\b", re.I)
# A period inside a comparison ("compared with US$279,447,000 for 2024"): its clause runs
# from the comparison word to the period with no ", " or ";" between.
_IN_COMPARISON = re.compile(
    r"(?:\bon|\bvs\.?|\bversus|\bthan|\bcompared\s+(?:to|with)|\bagainst)(?:(?!,\s|;).){0,60}$",
    re.I,
)
_QUARTER_REF = re.compile(
    r"\b(?:Q([1-4])|(first|second|third|fourth)\s+quarter\s+(?:of\s+)?)\s*(?:FY\s?|fiscal\s+)?((?:19|20)\d\d)\b",
    re.I,
)
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def _compared(text: str, ref: PeriodRef, floor: int) -> bool:
    return _IN_COMPARISON.search(text, max(floor, ref.start - 80), ref.start) is not None


def _refs(text: str, ctx: NarrativeContext) -> list[PeriodRef]:
    refs = list(period_refs(text, ctx.year_end))
    for m in _QUARTER_REF.finditer(text):
        q = int(m.group(1)) if m.group(1) else _ORDINAL[m.group(2).lower()]
        period = parse_period(f"Q{q} {m.group(3)}", year_end=ctx.year_end)
        if period and period.end:
            refs.append(PeriodRef(m.start(), m.end(), period.end, 3))
    return sorted(refs, key=lambda r: r.start)


def _resolved(ctx: NarrativeContext, refs: list[PeriodRef]) -> tuple[str | None, int | None] | None:
    end, months = ctx.resolve_period(refs, False)
    return (end, months) if end is not None and months is not None else None


def _mass(printed: str) -> tuple[str, float]:
    # The patterns only match mass units the lexicon knows.
    found = base_mass(printed)
    assert found is not None, printed
    return found


def _default_period(ctx: NarrativeContext, text: str) -> tuple[str | None, int | None]:
    """The period of a figure that names none: the filing's, or its last quarter."""
    if "quarter" in text.lower() and ctx.meta.period_end:
        return ctx.meta.period_end, 3
    return ctx.default_period(False)
