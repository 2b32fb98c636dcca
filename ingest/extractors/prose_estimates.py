"""Mineral estimates stated in prose, for filings that print no estimate table.

Annual reports of investors and MD&A summaries state resources in sentences:
"Sanankoro comprises 24.9Mt of material grading at 1.15g/t Au of which 16.1Mt are
indicated and 8.7Mt are inferred for a total 920koz Au"; "measured and indicated resources
of 16.2 million ounces of silver ... contained in 10.15 million tonnes of ore grading 50 g/t
silver"; "an inferred resource of 1.5Moz Au". Each statement becomes an ``Estimate`` (its
``label`` the sentence, ``table_index`` None): tonnage, grades and contained metal
normalised as a table's would be (through the same header vocabulary), the category from
the words around it ("indicated and inferred" together is ``total``; a reserve without a
category is ``proven_probable``), the deposit from the sentence or its context.

Where a filing prints estimate tables, its prose repeats or summarises them: only tables
are read then. Exploration targets are not estimates and are never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..lexicon import categories
from ..lexicon.commodities import find_commodity
from ..lexicon.dates import iso_date
from ..lexicon.minerals import interpret_header
from ..lexicon.numbers import half_unit
from ..model import Document, Estimate, Grade, Issue, Metadata, Property
from ..prose.rules import ProseContext, read_prose
from ..prose.sentences import Sentence
from ..prose.subjects import base_name, subject_in
from .estimates import is_historical

NAME = "prose estimates"

_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
# "24.9Mt", "10.15 million tonnes", "990,000t", "6.6 Mt", "1.2 billion tonnes".
_TONNAGE = re.compile(
    _NUM + r"\s?(?P<u>Mt|Bt|kt|million\s+(?:metric\s+)?tonnes|billion\s+tonnes|thousand\s+tonnes"
    r"|million\s+tons|tonnes|t)(?![\w/])(?!\s+(?:of\s+)?(?:contained\s+)?(?:copper|tin|zinc|lead|nickel"
    r"|lithium|graphite|U3O8|Li2O|LCE|metal)\b)",
)
# "1.15g/t Au", "50 g/t silver", "0.12% tin", "19.8% graphitic carbon", "0.8% Cu".
_GRADE = re.compile(
    _NUM
    + r"\s?(?P<u>g/t|gpt|grams\s+per\s+tonne|%|percent|ppm|oz/t)\s+(?:of\s+)?(?P<m>[A-Za-z][\w₃₈]*(?:\s+[a-z]+)?)"
)
# "920koz Au", "307,000oz Au", "1.1M oz Ag", "16.2 million ounces of silver", "1,090 Mlb
# copper", "11.9 thousand tonnes of tin".
_CONTAINED = re.compile(
    _NUM + r"\s?(?P<u>Moz|koz|M\s?oz|oz|ounces|million\s+ounces|thousand\s+ounces|Mlb|Blb|"
    r"million\s+pounds|billion\s+pounds|pounds|lbs?|thousand\s+tonnes|kt|Mt|tonnes)"
    r"\s+(?:of\s+)?(?:contained\s+)?(?P<m>[A-Za-z][\w₃₈]*(?:\s+[a-z]+)?)"
)
_UNIT_WORDS = {
    "million metric tonnes": "Mt",
    "million tonnes": "Mt",
    "billion tonnes": "Bt",
    "thousand tonnes": "kt",
    "million tons": "M short tons",
    "million ounces": "Moz",
    "thousand ounces": "koz",
    "ounces": "oz",
    "million pounds": "Mlb",
    "billion pounds": "Blb",
    "pounds": "lb",
    "m oz": "Moz",
    "moz": "Moz",
    "grams per tonne": "g/t",
    "gpt": "g/t",
    "percent": "%",
}
_ESTIMATE_WORDS = re.compile(r"\b(?:resources?|reserves?|MRE|inventory)\b", re.I)
_NOT_ESTIMATE = re.compile(
    r"exploration\s+targets?|production\s+target"
    r"|\bmined\b|\bprocessed\b|\bmilled\b|\bpurchased\b|throughput",
    re.I,
)
_RESERVE = re.compile(r"\breserves?\b", re.I)
_RESOURCE = re.compile(r"\bresources?\b", re.I)
# "of which 16.1Mt are indicated": a category right after a tonnage.
_CATEGORY_AFTER = re.compile(
    r"^\s*(?:(?:are|is|was|were)\s+(?:in\s+the\s+)?)?(?P<c>measured(?:\s+and\s+indicated)?|indicated"
    r"|inferred|proven|proved|probable)\b",
    re.I,
)
_SENTENCE_SUBJECT = re.compile(
    r"^(?:At\s+(?:the\s+)?)?(?P<name>[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,3})"
    r"(?:\s+(?:project|deposit|property|mine|prospect))?\s*(?:,|\s+(?:comprises|has|hosts|contains|includes))",
)
_NAMED = re.compile(
    r"\b(?:for|at|of|on)\s+(?:the\s+|its\s+)?(?P<name>(?:[A-Z][\w'’\-]*\s+){1,4}?)"
    r"(?:[a-z]+\s+)?(?:project|deposit|property|mine|prospect|licence|tenement)s?\b"
)
_NOT_NAMES = frozenset(
    "The This That These Our Its Company JORC Mineral Group However In During Although While"
    " Since After Before Following Further Total Updated Maiden Figures At For".split()
)
_TOTAL_BEFORE = re.compile(r"\btotal(?:\s+of)?\s*$|\bin\s+total\s*$", re.I)


@dataclass
class _Quantity:
    kind: str  # "tonnage", "grade", "contained"
    start: int
    end: int
    value: float
    raw: str
    unit: str
    commodity: str | None = None


@dataclass
class _Context(ProseContext):
    known: list[str] = field(default_factory=list)
    estimates: list[Estimate] = field(default_factory=list)
    topics: dict[int, str | None] = field(default_factory=dict)


def extract_prose_estimates(
    doc: Document, metadata: Metadata, properties: list[Property] | None = None
) -> tuple[list[Estimate], list[Issue]]:
    """Estimates stated in the filing's sentences (see the module's docstring)."""
    names = {p.name for p in properties or []}
    names |= {base_name(n) for n in names} - {""}
    ctx = _Context(doc, metadata, known=sorted(names, key=len, reverse=True))
    read_prose(ctx, [_Rule])
    return ctx.estimates, ctx.issues


class _Rule:
    NAME = NAME
    NEEDS_DIGIT = True

    @staticmethod
    def wants(s: Sentence, ctx: _Context) -> bool:
        low = s.low
        return "t " in low or "oz" in low or "tonne" in low or "mt" in low or "ounce" in low

    @staticmethod
    def read(s: Sentence, ctx: _Context) -> None:
        read_sentence(s, ctx)


def read_sentence(s: Sentence, ctx: _Context) -> None:
    text = s.text
    if _NOT_ESTIMATE.search(text):
        return
    # What the statement is of: this sentence's words, or those of the sentence before it
    # in the paragraph ("... released a maiden reserve. Figures ... providing 10.1Mt ...").
    about = text
    if not _ESTIMATE_WORDS.search(text) and "grading" not in s.low:
        prev = ctx.sentences[ctx.index - 1] if ctx.index > 0 else None
        if prev is None or prev.block != s.block or not _ESTIMATE_WORDS.search(prev.text):
            return
        if _NOT_ESTIMATE.search(prev.text):
            return
        about = prev.text
    quantities = _quantities(text)
    if not any(q.kind in ("tonnage", "contained") for q in quantities):
        return
    reserve_only = bool(_RESERVE.search(about)) and not _RESOURCE.search(about)
    first = quantities[0].start
    deposit = _deposit(s, ctx, first)
    date = iso_date(text) if "effective" in s.low else None
    groups = _groups(quantities, text)
    cats = [_category(text, g, reserve_only) for g in groups]
    groups, cats = _totals(groups, cats, text)
    for group, category in zip(groups, cats, strict=True):
        if category is None:
            continue
        est = Estimate(
            deposit=deposit,
            zone=None,
            category=category,
            is_reserve=category in categories.RESERVE_CATEGORIES,
            cutoff_value=None,
            cutoff_unit=None,
            effective_date=date,
            tonnage_mt=None,
            reported_tonnage=None,
            reported_tonnage_unit=None,
            line=s.line,
            label=text[:300],
        )
        est.source = "text"
        if is_historical(text) or is_historical(s.subsection):
            est.historical = True
        for q in group:
            _add(est, q)
        # A tonnage alone, with no grade, metal or category, is not a statement of an
        # estimate ("a study of reprocessing 10 million tonnes of tailings").
        stated = est.grades or category != "total" or _RESERVE.search(about)
        if (est.tonnage_mt is not None or est.grades) and stated:
            ctx.estimates.append(est)


def _quantities(text: str) -> list[_Quantity]:
    found: list[_Quantity] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in (("contained", _CONTAINED), ("grade", _GRADE), ("tonnage", _TONNAGE)):
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in ".,$"):
                continue
            unit = _UNIT_WORDS.get(" ".join(m.group("u").lower().split()), m.group("u"))
            commodity = None
            if kind != "tonnage":
                commodity, _ = find_commodity(m.group("m"))
                if commodity is None:
                    continue
            try:
                value = float(m.group("n").replace(",", ""))
            except ValueError:
                continue
            found.append(_Quantity(kind, m.start(), m.end(), value, m.group("n"), unit, commodity))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda q: q.start)


def _groups(quantities: list[_Quantity], text: str) -> list[list[_Quantity]]:
    """One estimate per tonnage with the grades and metal that go with it; metal stated
    before its tonnage ("16.2 Moz ... contained in 10.15 Mt") joins the tonnage after it."""
    groups: list[list[_Quantity]] = []
    pending: list[_Quantity] = []
    for q in quantities:
        if q.kind == "tonnage":
            groups.append([*pending, q])
            pending = []
        elif groups and not pending and not _belongs_ahead(q, quantities, text):
            groups[-1].append(q)
        else:
            pending.append(q)
    if pending:
        if groups and all(p.kind != "contained" or not _has(groups[-1], p) for p in pending):
            groups[-1].extend(pending)
        else:
            groups.append(pending)
    return groups


def _totals(
    groups: list[list[_Quantity]], cats: list[str | None], text: str
) -> tuple[list[list[_Quantity]], list[str | None]]:
    """Metal stated as "for a total 920koz" or "containing a total of 356.6 kt" is the
    whole statement's: it goes to the group that is the total, or to a combined one."""
    out = [list(g) for g in groups]
    out_cats = list(cats)
    for gi, group in enumerate(groups):
        for q in group:
            if q.kind == "tonnage" or not _TOTAL_BEFORE.search(
                text[max(0, q.start - 20) : q.start]
            ):
                continue
            target = next(
                (
                    i
                    for i, c in enumerate(cats)
                    if c in ("total", "measured_indicated", "proven_probable")
                ),
                None,
            )
            if target is None:
                combined = _combined([c for c in cats if c])
                if combined is None or len(groups) < 2:
                    continue
                out.append([])
                out_cats.append(combined)
                target = len(out) - 1
            if target != gi:
                out[gi] = [x for x in out[gi] if x is not q]
                out[target].append(q)
    return out, out_cats


def _combined(cats: list[str]) -> str | None:
    base = set(cats)
    if base <= {"proven", "probable"} and len(base) == 2:
        return "proven_probable"
    if base <= {"measured", "indicated"} and len(base) == 2:
        return "measured_indicated"
    return "total" if len(base) > 1 else None


def _has(group: list[_Quantity], q: _Quantity) -> bool:
    return any(g.kind == q.kind and g.commodity == q.commodity for g in group)


def _belongs_ahead(q: _Quantity, quantities: list[_Quantity], text: str) -> bool:
    nxt = next((t for t in quantities if t.kind == "tonnage" and t.start > q.start), None)
    return nxt is not None and "contained in" in text[q.end : nxt.start]


def _category(text: str, group: list[_Quantity], reserve_only: bool) -> str | None:
    first = group[0]
    tonnage = next((q for q in group if q.kind == "tonnage"), None)
    if tonnage is not None:
        after = _CATEGORY_AFTER.match(text[tonnage.end :])
        if after:
            return _category_word(after.group("c"))
    # The category words nearest before the statement, in its own clause.
    before = text[max(0, first.start - 140) : first.start]
    before = re.split(r"[;:]|\.\s", before)[-1]
    # The last category named before the figures is theirs ("proven reserves of 30.7 Mt
    # ... and probable reserves of 12.4 Mt").
    words = categories.category_of(_last_category_phrase(before))
    if words and re.search(
        r"\bindicated\s+and\s+inferred\b|\bmeasured,\s+indicated\s+and\s+inferred\b", before, re.I
    ):
        return "total"
    if words:
        return words
    if reserve_only:
        return "proven_probable"
    return "total"


def _last_category_phrase(text: str) -> str:
    """The last category phrase in ``text`` ("measured and indicated", "probable")."""
    best = None
    for pattern, _ in categories.CATEGORY_PATTERNS:
        for m in pattern.finditer(text):
            # The one ending last; of two ending together, the longer ("measured and
            # indicated" over "indicated").
            if best is None or (m.end(), -m.start()) > (best.end(), -best.start()):
                best = m
    return best.group(0) if best else ""


def _category_word(word: str) -> str:
    w = " ".join(word.lower().split()).replace("proved", "proven")
    return "measured_indicated" if w == "measured and indicated" else w


def _add(est: Estimate, q: _Quantity) -> None:
    if q.kind == "tonnage":
        if est.tonnage_mt is not None:
            return
        meaning = interpret_header([f"Tonnes ({q.unit})"])
        if meaning.quantity != "tonnage":
            return
        est.tonnage_mt = round(q.value * meaning.factor, 9)
        est.reported_tonnage = q.value
        est.reported_tonnage_unit = meaning.reported_unit
        est.tonnage_half_unit = half_unit(q.raw, meaning.factor)
        return
    grade = next((g for g in est.grades if g.commodity == q.commodity), None)
    if grade is None:
        grade = Grade(commodity=q.commodity or "")
        est.grades.append(grade)
    if q.kind == "grade" and grade.grade is None:
        meaning = interpret_header([f"{q.commodity} ({q.unit})"])
        if meaning.quantity != "grade":
            return
        grade.grade = round(q.value * meaning.factor, 9)
        grade.grade_unit = meaning.unit
        grade.reported_grade = q.value
        grade.reported_grade_unit = meaning.reported_unit
        grade.grade_half_unit = half_unit(q.raw, meaning.factor)
    elif q.kind == "contained" and grade.contained is None:
        meaning = interpret_header(["Contained Metal", f"{q.commodity} ({q.unit})"])
        if meaning.quantity != "contained":
            return
        grade.contained = round(q.value * meaning.factor, 9)
        grade.contained_unit = meaning.unit
        grade.reported_contained = q.value
        grade.reported_contained_unit = meaning.reported_unit
        grade.contained_half_unit = half_unit(q.raw, meaning.factor)


def _deposit(s: Sentence, ctx: _Context, at: int) -> str | None:
    """The deposit a statement is about: named in it (the name nearest before the figures),
    else the paragraph's or section's."""
    found = _named(s.text, ctx, at)
    if found:
        return found
    j = ctx.index - 1
    while j >= 0 and ctx.sentences[j].block == s.block:
        found = _named(ctx.sentences[j].text, ctx)
        if found:
            return found
        j -= 1
    heading = s.heading_line
    if heading not in ctx.topics:
        k = ctx.index
        while k > 0 and ctx.sentences[k - 1].heading_line == heading:
            k -= 1
        topic = None
        while k < len(ctx.sentences) and ctx.sentences[k].heading_line == heading:
            topic = _named(ctx.sentences[k].text, ctx)
            if topic:
                break
            k += 1
        ctx.topics[heading] = topic
    return ctx.topics[heading]


def _named(text: str, ctx: _Context, at: int | None = None) -> str | None:
    """A property name in ``text``: the one nearest before ``at``, else the first."""
    found: list[tuple[int, str]] = []
    low = text.lower()
    for name in ctx.known:
        i = low.find(name.lower())
        if i >= 0:
            found.append((i, name))
    for pattern in (_NAMED, _SENTENCE_SUBJECT):
        for m in pattern.finditer(text):
            words = [w for w in m.group("name").split() if w not in _NOT_NAMES]
            if words and words[0][0].isupper():
                found.append((m.start("name"), " ".join(words)))
    if not found:
        return subject_in(text, [])
    found.sort()
    if at is not None:
        before = [f for f in found if f[0] < at]
        if before:
            return before[-1][1]
    return found[0][1]
