"""The property rules' context: the registry, the section's place and subject."""

from __future__ import annotations

import re

from ...lexicon.places import place_of
from ...model import Document, Issue, Metadata, Property, ProseBlock, Royalty
from ...prose.rules import ProseContext
from ...prose.sentences import Sentence
from ..metadata import company_aliases
from .names import (
    DEFINED_TERM,
    GENERIC_HEADING,
    GENERIC_OPENER,
    JV_TARGET,
    KIND_WORDS,
    LOCATED,
    PROPER_NAME,
)
from .registry import Entry, Registry

BOUNDARY = re.compile(
    r",|;|\bwhereby\b|\bwhich\b|\bthat\b|\bwith\b|\bonce\b|\bif\b|\bwhen\b|\band\b|\bwhile\b"
)


COMPANY_WORDS = re.compile(r"\b(?:the\s+Company|we|our|us|its|it)\b", re.I)


IT_ITS = re.compile(r"\b(?:it|its)\b", re.I)


COMPANY_NOT_IT = re.compile(r"\b(?:the\s+Company|we|our|us)\b", re.I)


FIRST_ACTOR = re.compile(
    r"^\W{0,3}(?:(?:On|In|During|As\s+at|At|Since|By|Effective)\s+[^,]{1,40}(?:,\s*\d{4})?,\s*)?"
    r"(?P<actor>[^,]{1,40}?)\s+"
    r"(?:has|have|had|entered|signed|agreed|is|was|may|will|can|acquired|completed|holds|owns)\b"
)


COMPANY_ACTOR = re.compile(r"\b(?:the company|we)\b")


WITH_PARTY_END = re.compile(r"\b(?:agreement|option)\s+with\s+[^,]{1,60}$")


NAMED_OPENER = re.compile(
    rf"^\W{{0,3}}(?:The\s+)?(?P<name>{PROPER_NAME})\s+(?P<kw>property|project|Project|Property)\b"
)


SUBSET = re.compile(
    r"^(?:the\s+)?\d[\d,]*\s+(?:of\s+the\s+)?(?:unpatented\s+|patented\s+)?(?:lode\s+)?"
    r"(?:mining\s+)?(?:claims|concessions|hectares|tenements)"
)


FORMERLY = re.compile(r"\bformerly\s+(?:known\s+as|part\s+of|called)\b", re.I)


GENERIC_TARGET = re.compile(
    r"^(?:the|this|such|two|three|four|five|six|all)\s+(?:(?:exploration|mining|granted)\s+)?"
    r"(?:property|project|claims|joint\s+venture(?:\s+property)?|tenements?|licen[cs]es?"
    r"|concessions?|leases?)\b",
    re.I,
)


PORTION_TARGET = re.compile(r"^(?:the\s+)?(?:\w+\s+)?(?:portion|part|section)\s+of\b", re.I)


NEW_TARGET = re.compile(
    rf"^(?:the\s+)?(?P<name>{PROPER_NAME})\s+(?:[a-z]+(?:-[a-z]+)*\s+){{0,3}}?"
    r"(?P<kw>property|project|Project|Property|mine|Mine|licen[cs]e|claims|concession|tenement)\b"
)


class PropertyContext(ProseContext):
    """The prose context plus the property registry and the section being read."""

    def __init__(self, doc: Document, meta: Metadata) -> None:
        super().__init__(doc, meta)
        self.aliases = company_aliases(doc, meta.company_name)
        self.alias_patterns = [
            (a, re.compile(r"(?<![\w])" + re.escape(a) + r"(?![\w])")) for a in self.aliases
        ]
        self.reg = Registry(self.aliases)
        self.sold: set[int] = set()  # ids of entries the text says were sold
        self.blocks: tuple[ProseBlock, ...] = doc.prose
        self.body = "\n".join([b.text for b in self.blocks if not b.heading])
        self.country: str | None = None
        self.region: str | None = None
        self.context: list[Entry] = []
        self.last_royalties: list[Royalty] = []
        self.levels = {s.line: s.level for s in doc.sections}
        self._sentence: tuple[int, list[tuple[int, int, Entry]], Entry | None] = (-1, [], None)

    @property
    def meta(self) -> Metadata:
        return self.metadata

    def mentions_and_subject(
        self, s: Sentence
    ) -> tuple[list[tuple[int, int, Entry]], Entry | None]:
        """The registered names the sentence mentions, and the property it is about.

        Computed once per sentence, after the discovery rule and before any rule that
        registers more, as every rule that reads them asks for them first.
        """
        if self._sentence[0] != self.index:
            mentions = self.reg.mentions(s.text)
            self._sentence = (self.index, mentions, self.subject(s.text, mentions))
        return self._sentence[1], self._sentence[2]

    def result(self) -> tuple[list[Property], list[Issue]]:
        for e in self.reg.entries:
            cur = self.reg.parent_of(e)
            depth = 0
            while (e.prop.country is None or e.prop.region is None) and cur and depth < 20:
                if e.prop.country is None:
                    e.prop.country = cur.prop.country
                if e.prop.region is None and e.prop.country == cur.prop.country:
                    e.prop.region = cur.prop.region
                cur = self.reg.parent_of(cur)
                depth += 1
        kept = [e for e in self.reg.entries if id(e) not in self.sold]
        return [e.prop for e in kept], self.issues

    def register(self, name: str, kind: str, line: int, parent: Entry | None = None) -> Entry:
        entry = self.reg.add(name, kind, line, parent)
        if entry.prop.country is None and self.country and parent is None:
            entry.prop.country = self.country
            if entry.prop.region is None:
                entry.prop.region = self.region
        return entry

    def locate(self, entry: Entry, country: str | None, region: str | None) -> None:
        if country and entry.prop.country is None:
            entry.prop.country = country
        if region and entry.prop.region is None and entry.prop.country in (None, country):
            entry.prop.region = region

    def subject(
        self, s: str, mentions: list[tuple[int, int, Entry]], pos: int | None = None
    ) -> Entry | None:
        """The property a fact at ``pos`` (default: the whole sentence) is about."""
        end = len(s) if pos is None else pos
        for dm in DEFINED_TERM.finditer(s, 0, end):
            e = self.reg.get(dm.group("alias"))
            if e:
                return e
        if GENERIC_OPENER.match(s) and len(self.context) == 1:
            return self.context[0]
        before = [e for a, _, e in mentions if a < end]
        if before:
            return before[0]
        return self.context[0] if len(self.context) == 1 else None

    def parent_before(self, s: str, pos: int, line: int, which: bool = False) -> Entry | None:
        """The property a hierarchy verb at ``pos`` is about: the name just before it."""
        head = s[:pos]
        mentions = self.reg.mentions(head)
        if which and mentions:
            return mentions[-1][2]
        m = NAMED_OPENER.match(head)
        if m and not GENERIC_HEADING.search(m.group("name")):
            kw = m.group("kw")
            name = m.group("name") + (" " + kw if kw[0].isupper() else "")
            entry = self.reg.get(name) or self.reg.get(m.group("name"))
            return entry or self.register(name, KIND_WORDS[kw.lower()], line)
        if mentions and mentions[0][0] < 12:
            return mentions[0][2]
        return None

    def is_company(self, text: str, sentence: str) -> bool:
        low = text.lower()
        for a, rx in self.alias_patterns:
            if a in low and rx.search(low):
                return True
        if COMPANY_WORDS.search(text):
            if IT_ITS.search(text) and not COMPANY_NOT_IT.search(text):
                return self.first_actor_is_company(sentence)
            return True
        return False

    def first_actor_is_company(self, sentence: str) -> bool:
        m = FIRST_ACTOR.search(sentence)
        if not m:
            return False
        actor = m.group("actor").lower()
        return any(a in actor for a in self.aliases) or bool(COMPANY_ACTOR.search(actor))

    def holder_text(self, s: str, verb_start: int, verb: str) -> str:
        head = s[:verb_start]
        if verb.startswith("to "):
            return (
                head
                if self.first_actor_is_company(s) and not WITH_PARTY_END.search(head)
                else head[:60]
            )
        pieces = [p for p in BOUNDARY.split(head) if p.strip()]
        return pieces[-1] if pieces else ""

    def set_interest(self, entry: Entry, pct: float, rank: int) -> None:
        if rank > entry.interest_rank:
            entry.prop.interest_pct = pct
            entry.interest_rank = rank

    def resolve_target(
        self,
        target: str,
        line: int,
        rank: int,
        offset: int,
        mentions: list[tuple[int, int, Entry]],
    ) -> list[Entry] | None:
        """The properties an interest's target text names; [] if none; None to ignore it."""
        if FORMERLY.search(target) or SUBSET.match(target):
            return None
        if PORTION_TARGET.match(target) and len(self.context) == 1:
            return [self.context[0]]
        if GENERIC_TARGET.match(target) and len(self.context) == 1:
            # "two exploration licences covering ..., north of Y": the section's property
            return [self.context[0]]
        inside = [e for a, b, e in mentions if offset <= a < offset + len(target)]
        if inside:
            out: list[Entry] = []
            for e in inside:
                if e not in out:
                    out.append(e)
            return out
        if GENERIC_TARGET.match(target):
            return [self.context[0]] if len(self.context) == 1 else []
        jv = JV_TARGET.match(target)
        if jv:
            partner = jv.group("partner").split()[0].lower()
            for e in self.reg.entries:
                if e.prop.kind == "joint_venture" and partner in e.prop.name.lower():
                    return [e]
            return []
        nm = NEW_TARGET.match(target)
        if nm and not GENERIC_HEADING.search(nm.group("name")):
            name = nm.group("name").strip()
            kw = nm.group("kw")
            kind = KIND_WORDS.get(kw.lower(), "property")
            full = f"{name} {kw}" if kw[0].isupper() else name
            entry = self.reg.get(full) or self.reg.get(name)
            if entry is None:
                parent = self.context[0] if len(self.context) == 1 else None
                entry = self.register(full, kind, line, parent)
                self.place_after(entry, target[nm.end() :])
                if not self.context:
                    self.context = [entry]
            return [entry]
        return []

    def unattached(self, line: int, s: str, what: str) -> None:
        self.issues.append(
            Issue(
                line=line,
                kind="unattached_property_fact",
                reason=f"{what} could not be attached to a property",
                text=s.strip()[:500],
            )
        )

    def place_after(self, entry: Entry, text: str) -> None:
        lm = LOCATED.match(text.lstrip(" ,"))
        if lm is None:
            lm = LOCATED.search(text[:80])
        if lm:
            country, region = place_of(lm.group("place"))
            sub = lm.group("sub")
            if region is None and sub and country:
                region = sub
            self.locate(entry, country, region)
