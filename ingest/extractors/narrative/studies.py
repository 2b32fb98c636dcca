"""Study results in prose: NPV (with its discount rate), IRR, payback, capital cost, metal
prices and cash costs."""

from __future__ import annotations

import re

from ...lexicon.commodities import PROSE_PATTERN, PROSE_WORDS
from ...lexicon.numbers import half_unit
from ...lexicon.scenarios import scenario_of
from ...prose.amounts import to_number
from ...prose.sentences import Sentence, keyword_text
from ...prose.subjects import known_in, subject_in
from .context import NarrativeContext, span_half

NEEDS_DIGIT = True  # every figure it reads is a number
NAME = "narrative study results"


def wants(s: Sentence, ctx: NarrativeContext) -> bool:
    low = s.low
    return (
        s.digit
        and (
            "present value" in low
            or "npv" in low
            or "internal rate" in low
            or "irr" in low
            or "payback" in low
            or "capital" in low
            or "price" in low
            or "cash cost" in low
            or "aisc" in low
            or "all-in" in low
        )
        and _has_study_words(s.text, low)
    )


def read(s: Sentence, ctx: NarrativeContext) -> None:
    read_study(ctx, s, ctx.context_subject())


# What a study sentence names ("net present value", "IRR", "payback", ...), with a word
# that every match of the pattern holds: a pattern is searched only when its word is there.
_STUDY_WORDS = tuple(
    (word, re.compile(pattern, re.I))
    for word, pattern in (
        ("present", r"net\s+present\s+value"),
        ("npv", r"\bNPV"),
        ("internal", r"internal\s+rate\s+of\s+return"),
        ("irr", r"\bIRR\b"),
        ("payback", r"payback"),
        ("capital", r"capital\s+cost"),
        ("metal", r"metal\s+prices?"),
        ("price", r"\bprice\s+of"),
        ("cash", r"cash\s+costs?"),
        ("aisc", r"\bAISC\b"),
        ("all-in", r"all-in\s+sustaining"),
    )
)


# What a sentence about operations says: metal produced or sold in a period past.
_OPERATED = re.compile(
    r"\b(?:produced|production\s+(?:of|was|totall?ed)|sold|sales\s+of|sale\s+of|poured"
    r"|(?:for|in|during)\s+the\s+(?:quarter|three\s+months|nine\s+months|six\s+months))\b",
    re.I,
)


def _has_study_words(text: str, low: str) -> bool:
    words = keyword_text(text, low)
    for word, rx in _STUDY_WORDS:  # a plain loop: cheaper than a generator here
        if word in words and rx.search(text):
            return True
    return False


_NPV = re.compile(
    r"(?:(?P<tax>pre|after|post)[- ]tax,?\s+)?(?:net\s+present\s+value|NPV)"
    r"(?:\s*\(?(?P<rate0>\d+(?:\.\d+)?)\s*%?\)?)?",
    re.I,
)


_RATE = re.compile(
    r"(?:\(\s*(?:using\s+|at\s+)?(?:an?\s+)?(?P<r1>\d+(?:\.\d+)?)\s*%(?:\s+discount(?:\s+rate)?)?\s*\)"
    r"|at\s+(?:an?\s+)?(?P<r2>\d+(?:\.\d+)?)\s*%\s+discount)",
    re.I,
)


_IRR = re.compile(
    r"(?:internal\s+rate\s+of\s+return|IRR)(?:\s*\([^)]{0,12}\))?(?:\s*\(\"?IRR\"?\))?,?\s+"
    r"(?:of\s+|is\s+|was\s+|increases\s+to\s+|decreases\s+to\s+|=\s*|:\s*)?"
    r"(?P<v>\d+(?:\.\d+)?)\s?%"
    r"|(?P<v2>\d+(?:\.\d+)?)\s?%\s+(?:(?:pre|after|post)[- ]tax\s+)?(?:internal\s+rate\s+of\s+return|IRR)",
    re.I,
)


_PAYBACK = re.compile(
    r"payback(?:\s+period)?\s+(?:of\s+|is\s+|was\s+)?(?:approximately\s+)?(?P<v>\d+(?:\.\d+)?)\s+years?",
    re.I,
)


_CAPEX = re.compile(
    r"(?:(?P<kind>initial|development|pre-production|preproduction|growth|upfront|sustaining"
    r"|total)\s+capital(?:\s+(?:costs?|expenditures?|requirements?))?"
    r"|capital\s+(?:costs?|expenditures?|requirements?))"
    r"(?:\s+(?:are|is|were|was)\s+estimated\s+at|\s+of|\s+(?:are|is|were|was|totals?))\s+",
    re.I,
)


_PER_UNIT = re.compile(
    r"^\s*(?:/|per\s+)(?P<u>pound|lb|ounce|oz|tonne|t|dmt|wmt)\b(?:\s*\(\"?\w+\"?\))?"
    r"(?:\s+(?:of\s+)?(?P<m>" + PROSE_PATTERN + r"))?",
    re.I,
)


_CASH_COST = re.compile(
    r"(?:all-in\s+sustaining\s+(?:cash\s+)?costs?|\bAISC\b|cash\s+(?:operating\s+)?costs?)",
    re.I,
)


_SCENARIO = re.compile(r"\b(base|spot|low|high|upside|downside|consensus)[- ]case\b", re.I)


_TAX = re.compile(r"\b(pre|after|post)[- ]tax\b", re.I)


_ATTRIBUTABLE = re.compile(r"\b(?:of|for)\s+[\w'’\-]+'s\s+(?P<p>\d+(?:\.\d+)?)%\s+interest\b", re.I)


_FROM = re.compile(r"\s+from\s+(?:the\s+)?")


_FOR_METAL = re.compile(r"\s+for\s+(" + PROSE_PATTERN + r")\b", re.I)


_METAL_BEFORE = re.compile(r"\b(" + PROSE_PATTERN + r")(?:\s+price\s+of)?[\s:,]*$", re.I)


_UNIT_WORDS = {"pound": "lb", "ounce": "oz", "tonne": "t"}


_LINK_WORDS = re.compile(
    r"\b(?:of|is|was|were|are|increases\s+to|decreases\s+to|increased\s+to|decreased\s+to"
    r"|totals?|totall?ing|at|=|estimated\s+at)\b|[=:]",
    re.I,
)


def _link_between(text: str, start: int, end: int) -> bool:
    return bool(_LINK_WORDS.search(text[start:end]))


def read_study(ctx: NarrativeContext, s: Sentence, subject: str | None) -> None:
    text = s.text
    amounts = ctx.amounts(s)
    words = keyword_text(text, s.low)
    scen = _SCENARIO.search(text) if "case" in words else None
    scenario = scenario_of(scen.group(1))[0] if scen else None
    tax_m = _TAX.search(text) if "tax" in words else None
    pre_tax = None if not tax_m else tax_m.group(1).lower() == "pre"
    subj = known_in(s.low, ctx.known_low) if ctx.known else None
    subj = subj or subject_in(text, []) or subject
    attributable = _ATTRIBUTABLE.search(text) if "interest" in words and "'s" in words else None
    common = {"scenario": scenario}
    if attributable:
        common["attributable_interest_pct"] = to_number(attributable.group("p"))
    used: set[int] = set()
    last_npv_end = -100
    for m in _NPV.finditer(text) if "present" in words or "npv" in words else ():
        if m.start() - last_npv_end < 40:
            continue  # "net present value ... ("NPV7.5")": one statement
        last_npv_end = m.end()
        rate = to_number(m.group("rate0") or "")
        tail = text[m.end() : m.end() + 60]
        rm = _RATE.match(tail.lstrip()) or _RATE.search(tail)
        if rate is None and rm:
            rate = to_number(rm.group("r1") or rm.group("r2"))
        after = next((a for a in amounts if a.start >= m.end()), None)
        if after is not None and (
            after.start - m.end() > 140
            or after.start in used
            or _PER_UNIT.match(text[after.end :])
            or not _link_between(text, m.end(), after.start)
        ):
            after = None
        before = next((a for a in reversed(amounts) if 0 <= m.start() - a.end <= 14), None)
        if before is not None and (before.start in used or _PER_UNIT.match(text[before.end :])):
            before = None
        amount = after or before
        if amount is None:
            continue
        last_npv_end = max(last_npv_end, amount.end)
        used.add(amount.start)
        tax = m.group("tax")
        q = dict(common, **ctx.money_qualifiers(amount))
        q["discount_rate_pct"] = rate
        q["pre_tax"] = (tax.lower() == "pre") if tax else pre_tax
        prev = _FROM.match(text[amount.end : amount.end + 12])
        if prev:
            earlier = next(
                (a for a in amounts if a.start >= amount.end and a.start - amount.end < 12),
                None,
            )
            if earlier:
                q["previous_value"] = earlier.value
                used.add(earlier.start)
        half = span_half(text, amount)
        ctx.add(s, "npv", amount.value, amount.unit, None, None, subj, half=half, **q)
    for m in _IRR.finditer(text) if "internal" in words or "irr" in words else ():
        printed = m.group("v") or m.group("v2")
        value = to_number(printed)
        if value is not None:
            half = half_unit(printed)
            ctx.add(s, "irr", value, "%", None, None, subj, half=half, pre_tax=pre_tax, **common)
    for m in _PAYBACK.finditer(text) if "payback" in words else ():
        value = to_number(m.group("v"))
        if value is not None:
            half = half_unit(m.group("v"))
            ctx.add(s, "payback_years", value, "years", None, None, subj, half=half, **common)
    for m in _CAPEX.finditer(text) if "capital" in words else ():
        amount = next((a for a in amounts if 0 <= a.start - m.end() <= 16), None)
        if amount and amount.start not in used:
            used.add(amount.start)
            q = dict(common, **ctx.money_qualifiers(amount))
            q["kind"] = (m.group("kind") or "").lower() or None
            half = span_half(text, amount)
            ctx.add(s, "capex", amount.value, amount.unit, None, None, subj, half=half, **q)
    # A producer's "produced ... at cash costs of $912 per ounce" is an operating result (the
    # operating rule reads it), not a study's estimate.
    cash_cost = ("cash" in words or "aisc" in words or "all-in" in words) and _OPERATED.search(
        text
    ) is None
    for m in _CASH_COST.finditer(text) if cash_cost else ():
        amount = next(
            (a for a in amounts if 0 <= a.start - m.end() <= 60 and a.start not in used), None
        )
        if amount is None:
            continue
        per = _PER_UNIT.match(text[amount.end :])
        if not per:
            continue
        used.add(amount.start)
        unit = f"{amount.unit}/{_UNIT_WORDS.get(per.group('u').lower(), per.group('u'))}"
        metal = PROSE_WORDS.get((per.group("m") or "").lower())
        ctx.add(
            s,
            "cash_cost",
            amount.value,
            unit,
            None,
            None,
            subj,
            half=span_half(text, amount),
            commodity=metal,
            **common,
            **ctx.money_qualifiers(amount),
        )
    if "price" in s.low:
        for a in amounts:
            if a.start in used:
                continue
            per = _PER_UNIT.match(text[a.end :])
            if not per:
                continue
            # "$3.00 per pound copper", "copper $2.81/lb", "$1.35/lb for copper",
            # "uranium price of US$58/lb"
            metal = per.group("m")
            if not metal:
                fm = _FOR_METAL.match(text, a.end + per.end())
                bm = _METAL_BEFORE.search(text[max(0, a.start - 40) : a.start])
                metal = fm.group(1) if fm else bm.group(1) if bm else None
            if not metal:
                continue
            unit = f"{a.unit}/{_UNIT_WORDS.get(per.group('u').lower(), per.group('u'))}"
            ctx.add(
                s,
                "metal_price",
                a.value,
                unit,
                None,
                None,
                subj,
                half=span_half(text, a),
                commodity=PROSE_WORDS.get(metal.lower(), metal),
                **common,
            )
