"""Numbers stated in prose: balances, results, share data, reserves, resources, study results.

An MD&A repeats its key numbers in sentences ("As at December 31, 2021, working capital
was $3,200,000 compared to $5,900,000 as at December 31, 2020"), and some numbers are
only in sentences (a reserve summary, the PEA's NPV, the shares outstanding at the MD&A
date). Each becomes a ``NarrativeFact`` carrying the trimmed sentence it was read from.

Sign convention (the parser's): a value is its effect on net income, equity or cash.
Income and inflows are positive; expenses, losses and outflows are negative. So a net
loss of $6.25 million is ``concept="net_income", value=-6250000``, stock-based
compensation expense is negative, and cash used in operations is negative.
``qualifiers["reported"]`` keeps the number as printed where the sign was changed.
Balances (cash, working capital, total assets) and counts keep their printed sign.

Amounts: "$" is the filing's currency (``Metadata.currency``; "USD" with
``qualifiers["currency_assumed"]`` when the filing does not say); "C$"/"Cdn$" are CAD,
"A$" AUD, "US$" USD. Scale words are applied ("$1.25 billion" is 1250000000);
"approximately" sets ``qualifiers["approximate"]``.

Sentences, amounts, dates and period phrases are read by ``ingest.prose``, which the
other prose extractors share.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..lexicon.commodities import PROSE_PATTERN, PROSE_WORDS
from ..lexicon.concepts import PHRASES
from ..lexicon.dates import DATE, PERIOD_MONTHS, annual_year_end, year_end_date
from ..lexicon.dates import iso_date as parse_date
from ..lexicon.numbers import half_unit, half_unit_of_span
from ..lexicon.scenarios import scenario_of
from ..model import Document, Metadata, NarrativeFact, Property
from ..prose.amounts import Amount, find_amounts, to_number
from ..prose.periods import PeriodRef, period_refs
from ..prose.sentences import Sentence, has_any, is_boilerplate, keyword_text, sentences

# --- concepts -------------------------------------------------------------------------

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


# --- share data -----------------------------------------------------------------------

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

# --- reserves, resources --------------------------------------------------------------

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
_GRADE = re.compile(
    r"(?P<g>\d+(?:\.\d+)?)\s*(?P<u>%|percent|g/t|grams\s+per\s+tonne|ppm|oz/t|lb/t)"
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

# --- studies --------------------------------------------------------------------------

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


def _has_study_words(text: str, low: str) -> bool:
    words = keyword_text(text, low)
    return any(word in words and rx.search(text) for word, rx in _STUDY_WORDS)


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

# --- subjects -------------------------------------------------------------------------

_SUBJECT = re.compile(
    r"(?:the\s+)?(?P<name>(?:[A-Z][\w'’\-]*\s+){0,4}[A-Z][\w'’\-]*)"
    r"(?:\s+(?:[a-z]+-)*[a-z]+){0,3}?\s+(?:deposit|Deposit|project|Project|property|Property"
    r"|mine|Mine|licen[cs]e|zone|Zone)\b"
    r"|(?:reserves?|resources?|PEA|study|assessment)\s+(?:estimate\s+)?(?:for|on|of)\s+(?:the\s+)?"
    r"(?P<name2>[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,4})"
)
_NOT_SUBJECT = frozenset(
    {"The", "This", "That", "Our", "Its", "Company", "Joint Venture", "Mineral", "Such", "Each"}
)


_DASHED = re.compile(r"\s+-\s+")
_LEADING_ARTICLE = re.compile(r"^(?:The|This|Our|Its|A|An)\s+")


def _clean_subject(name: str | None) -> str | None:
    if not name:
        return None
    name = _DASHED.split(name)[0].strip()
    name = _LEADING_ARTICLE.sub("", name)
    if not name or name in _NOT_SUBJECT or not name[0].isupper():
        return None
    return name


_KIND_TAIL = re.compile(
    r"\s+(?:(?:Gold|Copper|Silver|Uranium|Lithium|Nickel|Zinc)\s+)?(?:Project|Property|Mine|Joint\s+Venture"
    r"|JV|Deposit)$"
)


def _base_name(name: str) -> str:
    """ "X Gold Mine" -> "X": the short form a filing also uses."""
    base = _KIND_TAIL.sub("", name)
    return base if base != name and len(base) > 2 else ""


def _subject_in(text: str, known: list[str]) -> str | None:
    if known:
        return _known_in(text.lower(), [(name.lower(), name) for name in known])
    # Every match of ``_SUBJECT`` holds one of these words.
    low = text.lower()
    if not has_any(low, _SUBJECT_WORDS):
        return None
    for m in _SUBJECT.finditer(text):
        name = _clean_subject(m.group("name") or m.group("name2"))
        if name:
            return name
    return None


_SUBJECT_WORDS = (
    "deposit",
    "project",
    "property",
    "mine",
    "licen",
    "zone",
    "reserve",
    "resource",
    "pea",
    "study",
    "assessment",
)


def _known_in(low: str, known_low: list[tuple[str, str]]) -> str | None:
    """The known name ``low`` names first (the longest at a place), from (lower, name) pairs."""
    best: tuple[int, int, str] | None = None
    for lname, name in known_low:
        i = low.find(lname)
        if i >= 0 and (best is None or (i, -len(name)) < (best[0], best[1])):
            best = (i, -len(name), name)
    return best[2] if best else None


# --- the extractor --------------------------------------------------------------------


def extract_narrative_facts(
    doc: Document, metadata: Metadata, properties: list[Property] | None = None
) -> list[NarrativeFact]:
    """Numbers stated in the filing's sentences, with concept, period and subject.

    ``properties`` (from ``extract_properties``), when given, names the subjects
    precisely; without it a subject is read from "the X deposit/project" phrases.
    """
    # No blanket guard here: the reader guards its conversions, and a bug is better
    # reported by the parser's step guard as an issue than hidden as "no facts".
    return _Reader(doc, metadata, properties).run()


class _Reader:
    def __init__(self, doc: Document, meta: Metadata, properties: list[Property] | None) -> None:
        self.doc = doc
        self.meta = meta
        self.currency = meta.currency
        names = {p.name for p in properties or []}
        names |= {_base_name(n) for n in names} - {""}
        self.known = sorted(names, key=len, reverse=True)
        self.known_low = [(name.lower(), name) for name in self.known]
        self.year_end = annual_year_end(meta)
        self.topics: dict[int, str | None] = {}
        self.facts: list[NarrativeFact] = []
        self.seen: set[tuple[Any, ...]] = set()
        self.amounts: dict[str, list[Amount]] = {}

    def run(self) -> list[NarrativeFact]:
        sents = sentences(self.doc)
        boilerplate: dict[str, bool] = {}
        for i, s in enumerate(sents):
            text = s.text
            if not s.digit and "no warrants" not in text:
                continue  # every fact has a number (or is "no warrants outstanding")
            if is_boilerplate(s.subsection, boilerplate) or is_boilerplate(s.section, boilerplate):
                continue  # risk factors and policies restate figures; they are not facts
            low = s.low
            # Cheap substring tests first: most sentences hold no number worth reading.
            money = "$" in text
            shares = (
                "outstanding" in low
                or "granted" in low
                or "on issue" in low
                or "weighted average" in low
            )
            estimate = ("reserve" in low or "resource" in low) and (
                "tonne" in low or " mt" in low or " bt" in low
            )
            study = (
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
            if not (money or shares or estimate or study):
                continue
            if money:
                self._financial(s)
            if shares:
                self._share_data(s)
            study = study and _has_study_words(text, low)
            if estimate or study:
                context = self._subject(s) or self._previous(sents, i)
                context = context or self._topic(sents, i)
                if estimate:
                    self._estimates(s, context)
                if study:
                    self._study(s, context)
        return self.facts

    def _subject(self, s: Sentence) -> str | None:
        """``_subject_in(s.text, self.known)``, with the names lower-cased once."""
        if self.known:
            return _known_in(s.low, self.known_low)
        return _subject_in(s.text, [])

    def _previous(self, sents: tuple[Sentence, ...], index: int) -> str | None:
        """The subject of an earlier sentence of the same paragraph ("The probable reserve for
        the X deposit ... Together with a proven reserve of 14.2 Mt ...")."""
        j = index - 1
        while j >= 0 and sents[j].block == sents[index].block:
            found = self._subject(sents[j])
            if found:
                return found
            j -= 1
        return None

    def _topic(self, sents: tuple[Sentence, ...], index: int) -> str | None:
        """The first property or deposit named under the sentence's heading: what the
        section is about ("the PEA on the X deposit" ... "NPV of $640 million")."""
        heading = sents[index].heading_line
        if heading in self.topics:
            return self.topics[heading]
        found = None
        j = index
        while j > 0 and sents[j - 1].heading_line == heading:
            j -= 1
        for k in range(j, index + 1):
            found = self._subject(sents[k])
            if found:
                break
        if found or index == len(sents) - 1 or sents[index + 1].heading_line != heading:
            self.topics[heading] = found
        return found

    # -- helpers --

    def _add(
        self,
        s: Sentence,
        concept: str,
        value: float,
        fact_unit: str,
        period_end: str | None = None,
        months: int | None = None,
        subject: str | None = None,
        *,
        half: float | None = None,
        **qualifiers: Any,
    ) -> None:
        key = (
            concept,
            round(value, 6),
            fact_unit,
            period_end,
            months,
            subject,
            s.line,
            tuple(sorted((k, str(v)) for k, v in qualifiers.items())),
        )
        if key in self.seen:
            return
        self.seen.add(key)
        self.facts.append(
            NarrativeFact(
                concept=concept,
                value=value,
                unit=fact_unit,
                line=s.line,
                text=s.text.strip()[:1000],
                period_end=period_end,
                months=months,
                subject=subject,
                qualifiers={k: v for k, v in qualifiers.items() if v is not None},
                half_unit=half,
            )
        )

    def _amounts(self, s: Sentence) -> list[Amount]:
        # Read once per sentence: the financial and the study readers both need them.
        found = self.amounts.get(s.text)
        if found is None:
            found = self.amounts[s.text] = find_amounts(s.text, self.currency, s.low)
        return found

    def _money_qualifiers(self, a: Amount) -> dict[str, Any]:
        q: dict[str, Any] = {}
        if a.approximate:
            q["approximate"] = True
        if a.currency_assumed:
            q["currency_assumed"] = True
        return q

    def _resolve_period(
        self, refs: list[PeriodRef], balance: bool
    ) -> tuple[str | None, int | None]:
        for ref in refs:
            if ref.period_end is None:
                continue
            if balance:
                return ref.period_end, 0
            if ref.months is None:
                # A bare date on a flow: the filing's own period when it ends there.
                if ref.period_end == self.meta.period_end:
                    return ref.period_end, PERIOD_MONTHS.get(self.meta.period_type or "")
                return ref.period_end, None
            return ref.period_end, ref.months
        return None, None

    def _default_period(self, balance: bool) -> tuple[str | None, int | None]:
        if balance:
            return self.meta.period_end, 0 if self.meta.period_end else None
        return self.meta.period_end, PERIOD_MONTHS.get(self.meta.period_type or "")

    # -- financial statements in prose --

    def _financial(self, s: Sentence) -> None:
        text = s.text
        amounts = self._amounts(s)
        if not amounts:
            return
        # Read on the first concept that has an amount: most sentences with money have none.
        refs: list[PeriodRef] | None = None
        used: set[int] = set()
        taken: set[int] = set()  # starts of period phrases that belong to comparatives
        main: tuple[str | None, int | None] | None = None
        # A concept is read with an amount after it: none starts after the last amount.
        for cm in _concepts_in(text, s.low, max(a.start for a in amounts)):
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
                refs = period_refs(text, self.year_end)
            restated = _RESTATED.match(text[end:])
            if restated:
                end += restated.end()
            inside = [r for r in refs if cm.end() <= r.start and r.end <= amount.start]
            # "(FY2023: A$8.1 million)" right after the amount is the comparative's period.
            dash_next = _DASH_COMPARATIVE.match(text[end:])
            after = [] if dash_next else [r for r in refs if end <= r.start <= end + 3]
            period_end, months = self._resolve_period(inside + after, balance)
            if period_end is None and months is None and main is not None:
                # "..., and working capital was A$49.9 million": the sentence's own period
                period_end, months = main[0], 0 if balance else main[1]
                if not balance and months == 0:
                    months = (
                        PERIOD_MONTHS.get(self.meta.period_type or "")
                        if (period_end == self.meta.period_end)
                        else None
                    )
            if period_end is None and months is None:
                lead = [r for r in refs if r.end <= cm.start() and r.start not in taken]
                period_end, months = self._resolve_period(lead[::-1], balance)
            if period_end is None and months is None:
                period_end, months = self._default_period(balance)
            if main is None and period_end is not None:
                main = (period_end, months)
            q = self._money_qualifiers(amount)
            if restated:
                q["restated"] = True
            value = amount.value * sign
            if sign < 0:
                q["reported"] = amount.value
            unit = amount.unit + "/share" if "per_share" in concept else amount.unit
            half = _span_half(text, amount)
            self._add(s, concept, value, unit, period_end, months, None, half=half, **q)
            pos = after[0].end if after else end
            self._comparative(
                s, amounts, pos, (concept, sign, balance), refs, used, taken, period_end, months
            )

    def _comparative(
        self,
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
                period_end = year_end_date(int(dash.group("year")), self.year_end)
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
                period_end, months = self._resolve_period(refs_after[:1], balance)
            elif _PRIOR.match(text[end:]) and main_end:
                period_end = _year_before(main_end)
                months = 0 if balance else main_months
            else:
                return
        if period_end is None:
            return
        used.add(other.start)
        q = self._money_qualifiers(other)
        if _RESTATED.match(text[other.end :]):
            q["restated"] = True
        value = other.value * sign
        if sign < 0:
            q["reported"] = other.value
        unit = other.unit + "/share" if "per_share" in name else other.unit
        half = _span_half(text, other)
        self._add(s, name, value, unit, period_end, months, None, half=half, **q)

    # -- share data --

    def _date_for(self, text: str, start: int, stop: int) -> list[str]:
        """Dates stated for a count: "as at X and Y" just before it, else "at X" after."""
        dates = _dates_after(text[stop:])
        if dates:
            return dates
        before = text[max(0, start - 160) : start]
        found = list(_AS_AT.finditer(before))
        if found:
            m = found[-1]
            dates = [self._as_date(m.group("d1")), self._as_date(m.group("d2") or "")]
            return [d for d in dates if d]
        return []

    def _as_date(self, text: str) -> str | None:
        if _THIS_DATE.match(text or ""):
            return self.meta.effective_date
        return parse_date(text) if text else None

    def _share_data(self, s: Sentence) -> None:
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
                dates = self._date_for(text, m.start(), m.end()) or [self.meta.period_end]
                if len(counts) == len(dates):
                    pairs = list(zip(counts, dates, strict=True))
                elif len(counts) == 1:
                    pairs = [(counts[0], d) for d in dates]  # one count "as at X and Y"
                else:
                    pairs = [(counts[0], dates[0])]
                for count, when in pairs:
                    n = to_number(count)
                    if n is not None:
                        self._add(
                            s, "shares_outstanding", n, "shares", when, 0, half=half_unit(count)
                        )
        for m in _WEIGHTED_SHARES.finditer(text) if "weighted average" in low else ():
            # "... per share was $0.12 (2022 - $0.16), based on a weighted average of N shares
            # (FY2023: 2.53 cents on M shares)": the period named before the count, outside
            # the comparatives in brackets; else the filing's own period.
            n = to_number(m.group("n"))
            before = _BRACKETED.sub(" ", text[: m.start()])
            period_end, months = self._resolve_period(period_refs(before, self.year_end), False)
            if period_end is None:
                period_end, months = self._default_period(False)
            if n is not None and period_end is not None:
                self._add(
                    s, "weighted_average_shares", n, "shares", period_end, months,
                    half=half_unit(m.group("n")),
                )  # fmt: skip
        options = "options" in words or "warrants" in words
        for m in _OPTIONS.finditer(text) if options else ():
            what, state = m.group("what").lower(), m.group("state").lower()
            n = 0.0 if m.group("n").lower() == "no" else to_number(m.group("n"))
            if n is None:
                continue
            state = _SPACES.sub(" ", state)
            if state in ("outstanding", "on issue"):
                concept = "options_outstanding" if what == "options" else "warrants_outstanding"
                dates = self._date_for(text, m.start(), m.end()) or [self.meta.period_end]
                q: dict[str, Any] = {}
                pr = _PRICE_RANGE.search(text, m.end())
                if pr and pr.start() - m.end() < 40:
                    lo = find_amounts(pr.group("lo"), self.currency)
                    hi = find_amounts(pr.group("hi"), self.currency)
                    if lo and hi:
                        q = {
                            "exercise_price_min": lo[0].value,
                            "exercise_price_max": hi[0].value,
                            "exercise_price_currency": lo[0].unit,
                        }
                half = half_unit(m.group("n"))
                for when in dates:
                    self._add(s, concept, n, what, when, 0, half=half, **q)
            elif state == "granted" and what == "options":
                refs = period_refs(text, self.year_end)
                period_end, months = self._resolve_period(refs, False)
                if period_end is None:
                    period_end, months = self._default_period(False)
                half = half_unit(m.group("n"))
                self._add(s, "options_granted", n, "options", period_end, months, half=half)
        for m in _NO_WARRANTS.finditer(text) if options and "outstanding" in words else ():
            what = m.group("what").lower()
            concept = "warrants_outstanding" if what == "warrants" else "options_outstanding"
            dates = _dates_after(text[m.end() :]) or _leading_dates(text) or [self.meta.period_end]
            for when in dates:
                self._add(s, concept, 0.0, what, when, 0)

    # -- reserves and resources --

    def _estimates(self, s: Sentence, subject: str | None) -> None:
        text = s.text
        cut = _CUTOFF.search(text)
        for m in _ESTIMATE.finditer(text):
            tonnage = to_number(m.group("tonnage"))
            unit = _SPACES.sub(" ", m.group("tunit").lower())
            if tonnage is None or unit not in _TONNAGE_MT:
                continue
            is_reserve = m.group("kind").lower().startswith("reserve")
            category = _SPACES.sub("_", m.group("cat").lower().replace(",", ""))
            category = category.replace("proved", "proven").replace(
                "measured_and_indicated", "measured_indicated"
            )
            eff = parse_date(m.group("date") or "")
            subj = _clean_subject(m.group("subject")) or subject
            if self.known:
                subj = _subject_in(m.group("subject") or "", self.known) or subject
            prefix = "reserve" if is_reserve else "resource"
            q: dict[str, Any] = {"category": category, "effective_date": eff}
            if cut and cut.start() < m.start():
                q["cutoff_value"] = to_number(cut.group("v"))
                metal = PROSE_WORDS.get((cut.group("m") or "").lower(), cut.group("m"))
                q["cutoff_unit"] = f"{cut.group('u')} {metal}".strip() if metal else cut.group("u")
            self._add(
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
                gunit = {"percent": "%", "grams per tonne": "g/t"}.get(
                    _SPACES.sub(" ", gunit), gunit
                )
                metal = PROSE_WORDS.get(g.group("m").lower(), g.group("m"))
                self._add(
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

    # -- study results (PEA, PFS, FS) --

    def _study(self, s: Sentence, subject: str | None) -> None:
        text = s.text
        amounts = self._amounts(s)
        words = keyword_text(text, s.low)
        scen = _SCENARIO.search(text) if "case" in words else None
        scenario = scenario_of(scen.group(1))[0] if scen else None
        tax_m = _TAX.search(text) if "tax" in words else None
        pre_tax = None if not tax_m else tax_m.group(1).lower() == "pre"
        subj = _known_in(s.low, self.known_low) if self.known else None
        subj = subj or _subject_in(text, []) or subject
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
            q = dict(common, **self._money_qualifiers(amount))
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
            half = _span_half(text, amount)
            self._add(s, "npv", amount.value, amount.unit, None, None, subj, half=half, **q)
        for m in _IRR.finditer(text) if "internal" in words or "irr" in words else ():
            printed = m.group("v") or m.group("v2")
            value = to_number(printed)
            if value is not None:
                half = half_unit(printed)
                self._add(
                    s, "irr", value, "%", None, None, subj, half=half, pre_tax=pre_tax, **common
                )
        for m in _PAYBACK.finditer(text) if "payback" in words else ():
            value = to_number(m.group("v"))
            if value is not None:
                half = half_unit(m.group("v"))
                self._add(s, "payback_years", value, "years", None, None, subj, half=half, **common)
        for m in _CAPEX.finditer(text) if "capital" in words else ():
            amount = next((a for a in amounts if 0 <= a.start - m.end() <= 16), None)
            if amount and amount.start not in used:
                used.add(amount.start)
                q = dict(common, **self._money_qualifiers(amount))
                q["kind"] = (m.group("kind") or "").lower() or None
                half = _span_half(text, amount)
                self._add(s, "capex", amount.value, amount.unit, None, None, subj, half=half, **q)
        cash_cost = "cash" in words or "aisc" in words or "all-in" in words
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
            self._add(
                s,
                "cash_cost",
                amount.value,
                unit,
                None,
                None,
                subj,
                half=_span_half(text, amount),
                commodity=metal,
                **common,
                **self._money_qualifiers(amount),
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
                self._add(
                    s,
                    "metal_price",
                    a.value,
                    unit,
                    None,
                    None,
                    subj,
                    half=_span_half(text, a),
                    commodity=PROSE_WORDS.get(metal.lower(), metal),
                    **common,
                )


_SPACES = re.compile(r"\s+")
_STATE_AFTER = re.compile(r"^[^.;$]{0,40}?\b(?:outstanding|on\s+issue)\b", re.I)
_PART_OF_BEFORE = re.compile(r"\bof\s+the\s*$|%\s*of\s*$|weighted\s+average\s+of\s*$")
_OF_COMPANY = re.compile(r"\s+of\s+the\s+Company's")
_THIS_DATE = re.compile(r"the\s+date\s+of\s+this", re.I)
_FROM = re.compile(r"\s+from\s+(?:the\s+)?")
_PER_SHARE = re.compile(r"\b(?:weighted\s+average|per\s+share)\b")
_FOR_METAL = re.compile(r"\s+for\s+(" + PROSE_PATTERN + r")\b", re.I)
_METAL_BEFORE = re.compile(r"\b(" + PROSE_PATTERN + r")(?:\s+price\s+of)?[\s:,]*$", re.I)
_UNIT_WORDS = {"pound": "lb", "ounce": "oz", "tonne": "t"}
_LINK_WORDS = re.compile(
    r"\b(?:of|is|was|were|are|increases\s+to|decreases\s+to|increased\s+to|decreased\s+to"
    r"|totals?|totall?ing|at|=|estimated\s+at)\b|[=:]",
    re.I,
)


def _span_half(text: str, amount: Amount) -> float | None:
    return half_unit_of_span(text[amount.start : amount.end], amount.value)


def _link_between(text: str, start: int, end: int) -> bool:
    return bool(_LINK_WORDS.search(text[start:end]))


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


def _year_before(iso: str) -> str | None:
    try:
        d = date.fromisoformat(iso)
        day = 28 if (d.month, d.day) == (2, 29) else d.day
        return date(d.year - 1, d.month, day).isoformat()
    except ValueError:
        return None
