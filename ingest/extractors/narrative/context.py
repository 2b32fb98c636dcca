"""The narrative reader's context: what it knows of the filing and what it has read."""

from __future__ import annotations

import re
from typing import Any

from ...lexicon.dates import PERIOD_MONTHS
from ...lexicon.numbers import half_unit_of_span
from ...model import Document, Metadata, NarrativeFact, Property
from ...prose.amounts import Amount, find_amounts
from ...prose.periods import PeriodRef
from ...prose.rules import ProseContext
from ...prose.sentences import Sentence
from ...prose.subjects import base_name, known_in, subject_in

SPACES = re.compile(r"\s+")


def span_half(text: str, amount: Amount) -> float | None:
    return half_unit_of_span(text[amount.start : amount.end], amount.value)


class NarrativeContext(ProseContext):
    """The prose context plus the subjects the narrative reads against and its facts."""

    def __init__(self, doc: Document, meta: Metadata, properties: list[Property] | None) -> None:
        super().__init__(doc, meta)
        names = {p.name for p in properties or []}
        names |= {base_name(n) for n in names} - {""}
        self.known = sorted(names, key=len, reverse=True)
        self.known_low = [(name.lower(), name) for name in self.known]
        self.topics: dict[int, str | None] = {}
        self.facts: list[NarrativeFact] = []
        self.seen: set[tuple[Any, ...]] = set()
        self.amount_cache: dict[str, list[Amount]] = {}
        self._context_subject: tuple[int, str | None] = (-1, None)

    @property
    def meta(self) -> Metadata:
        return self.metadata

    def context_subject(self) -> str | None:
        """What the current sentence is about: a name in it, else in an earlier sentence of
        its paragraph, else the first name under its heading (computed once per sentence)."""
        if self._context_subject[0] != self.index:
            s = self.sentences[self.index]
            found = self.subject(s) or self.previous(self.sentences, self.index)
            found = found or self.topic(self.sentences, self.index)
            self._context_subject = (self.index, found)
        return self._context_subject[1]

    def subject(self, s: Sentence) -> str | None:
        """``subject_in(s.text, self.known)``, with the names lower-cased once."""
        if self.known:
            return known_in(s.low, self.known_low)
        return subject_in(s.text, [])

    def previous(self, sents: tuple[Sentence, ...], index: int) -> str | None:
        """The subject of an earlier sentence of the same paragraph ("The probable reserve for
        the X deposit ... Together with a proven reserve of 14.2 Mt ...")."""
        j = index - 1
        while j >= 0 and sents[j].block == sents[index].block:
            found = self.subject(sents[j])
            if found:
                return found
            j -= 1
        return None

    def topic(self, sents: tuple[Sentence, ...], index: int) -> str | None:
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
            found = self.subject(sents[k])
            if found:
                break
        if found or index == len(sents) - 1 or sents[index + 1].heading_line != heading:
            self.topics[heading] = found
        return found

    def add(
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
            tuple(sorted([(k, str(v)) for k, v in qualifiers.items()])),
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

    def amounts(self, s: Sentence) -> list[Amount]:
        # Read once per sentence: the financial and the study readers both need them.
        found = self.amount_cache.get(s.text)
        if found is None:
            found = self.amount_cache[s.text] = find_amounts(s.text, self.currency, s.low)
        return found

    def money_qualifiers(self, a: Amount) -> dict[str, Any]:
        q: dict[str, Any] = {}
        if a.approximate:
            q["approximate"] = True
        if a.currency_assumed:
            q["currency_assumed"] = True
        return q

    def resolve_period(self, refs: list[PeriodRef], balance: bool) -> tuple[str | None, int | None]:
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

    def default_period(self, balance: bool) -> tuple[str | None, int | None]:
        if balance:
            return self.meta.period_end, 0 if self.meta.period_end else None
        return self.meta.period_end, PERIOD_MONTHS.get(self.meta.period_type or "")
