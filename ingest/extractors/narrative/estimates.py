"""Reserves and resources stated in prose: "The probable reserve ... totals 48.6 million tonnes
grading 0.87% copper"."""

from __future__ import annotations

import re
from typing import Any

from ...lexicon.commodities import PROSE_PATTERN, PROSE_WORDS
from ...lexicon.dates import DATE
from ...lexicon.dates import iso_date as parse_date
from ...lexicon.numbers import half_unit
from ...prose.amounts import to_number
from ...prose.sentences import Sentence
from ...prose.subjects import clean_subject, subject_in
from .context import SPACES, NarrativeContext

NEEDS_DIGIT = True  # every figure it reads is a number
NAME = "narrative estimates"


def wants(s: Sentence, ctx: NarrativeContext) -> bool:
    low = s.low
    return (
        s.digit
        and ("reserve" in low or "resource" in low)
        and ("tonne" in low or " mt" in low or " bt" in low)
    )


def read(s: Sentence, ctx: NarrativeContext) -> None:
    read_estimates(ctx, s, ctx.context_subject())


_CATEGORY = (
    r"(?P<cat>proven\s+and\s+probable|proved\s+and\s+probable|measured\s+and\s+indicated"
    r"|measured,\s+indicated\s+and\s+inferred|proven|proved|probable|measured|indicated|inferred)"
)


_ESTIMATE = re.compile(
    _CATEGORY + r"\s+(?:mineral\s+|ore\s+)?(?P<kind>reserves?|resources?)"
    r"(?:\s+(?:estimate\s+)?(?:for|at|of)\s+(?:the\s+)?(?P<subject>[A-Z][^,()]{1,60}?))?"
    r"(?:\s*,?\s+(?:effective|dated)\s+(?:as\s+(?:of|at)\s+)?(?P<date>" + DATE + r"),?)?"
    r"\s+(?:of|totals?|totall?ing|is|are|was|were|contains?|comprising|comprises|at|estimated\s+at)\s+"
    r"(?:approximately\s+)?(?P<tonnage>\d[\d,]*(?:\.\d+)?)\s*"
    r"(?P<tunit>million\s+tonnes|billion\s+tonnes|thousand\s+tonnes|Mt|Bt|kt|tonnes|t)\b"
    r"(?:\s*\(\"?\w+\"?\))?",
    re.I,
)


# ``\d\d*``, not ``\d+``: starting with a class (not a repeat), the pattern is searched by
# skipping to digits.
_GRADE = re.compile(
    r"(?P<g>\d\d*(?:\.\d+)?)\s*(?P<u>%|percent|g/t|grams\s+per\s+tonne|ppm|oz/t|lb/t)"
    r"(?:\s*\(\"?[^)]{1,10}\"?\))?\s+(?P<m>" + PROSE_PATTERN + r")\b",
    re.I,
)


_CUTOFF = re.compile(
    r"cut-?off(?:\s+grade)?\s+(?:of\s+)?(?P<v>\d+(?:\.\d+)?)\s*(?P<u>%|g/t)\s*(?P<m>"
    + PROSE_PATTERN
    + r")?",
    re.I,
)


_TONNAGE_MT = {
    "million tonnes": 1.0,
    "mt": 1.0,
    "billion tonnes": 1000.0,
    "bt": 1000.0,
    "thousand tonnes": 0.001,
    "kt": 0.001,
    "tonnes": 1e-6,
    "t": 1e-6,
}


def read_estimates(ctx: NarrativeContext, s: Sentence, subject: str | None) -> None:
    text = s.text
    cut = _CUTOFF.search(text)
    for m in _ESTIMATE.finditer(text):
        tonnage = to_number(m.group("tonnage"))
        unit = SPACES.sub(" ", m.group("tunit").lower())
        if tonnage is None or unit not in _TONNAGE_MT:
            continue
        is_reserve = m.group("kind").lower().startswith("reserve")
        category = SPACES.sub("_", m.group("cat").lower().replace(",", ""))
        category = category.replace("proved", "proven").replace(
            "measured_and_indicated", "measured_indicated"
        )
        eff = parse_date(m.group("date") or "")
        subj = clean_subject(m.group("subject")) or subject
        if ctx.known:
            subj = subject_in(m.group("subject") or "", ctx.known) or subject
        prefix = "reserve" if is_reserve else "resource"
        q: dict[str, Any] = {"category": category, "effective_date": eff}
        if cut and cut.start() < m.start():
            q["cutoff_value"] = to_number(cut.group("v"))
            metal = PROSE_WORDS.get((cut.group("m") or "").lower(), cut.group("m"))
            q["cutoff_unit"] = f"{cut.group('u')} {metal}".strip() if metal else cut.group("u")
        ctx.add(
            s,
            f"{prefix}_tonnage_mt",
            tonnage * _TONNAGE_MT[unit],
            "Mt",
            None,
            None,
            subj,
            half=half_unit(m.group("tonnage"), _TONNAGE_MT[unit]),
            unit="Mt",
            **q,
        )
        # Grades follow "grading" / "at" up to the next estimate in the sentence.
        nxt = _ESTIMATE.search(text, m.end())
        stop = nxt.start() if nxt else len(text)
        for g in _GRADE.finditer(text, m.end(), stop):
            value = to_number(g.group("g"))
            if value is None:
                continue
            gunit = g.group("u").lower()
            gunit = {"percent": "%", "grams per tonne": "g/t"}.get(SPACES.sub(" ", gunit), gunit)
            metal = PROSE_WORDS.get(g.group("m").lower(), g.group("m"))
            ctx.add(
                s,
                f"{prefix}_grade",
                value,
                gunit,
                None,
                None,
                subj,
                half=half_unit(g.group("g")),
                commodity=metal,
                unit=gunit,
                **q,
            )
