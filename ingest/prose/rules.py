"""Prose as rules: one driver reads a document's prose with a list of rules.

A rule is a module (or any object) with

- ``NAME``: what a failure names ("the royalties rule");
- ``wants(s, ctx)``: a cheap test (substring checks) that says whether the sentence may
  hold what the rule reads: most sentences hold nothing worth a regular expression;
- ``read(s, ctx)``: reads the sentence, adding records or issues to the context;
- optionally ``NEEDS_DIGIT = True``: the rule reads only sentences that hold a digit, and
  the driver does not ask it about the others.

A rule may also have ``block(b, ctx)``, called for each prose block (a heading or the
start of a paragraph) before its sentences, for rules that set the context a heading or a
lead-in gives ("AUSTRALIA", "Red Hill Project:"); a rule with only ``block`` reads no
sentences.

The context (``ProseContext`` or an extractor's subclass) is explicit: the document, its
metadata, the fiscal year end, the sentence being read and its neighbours, and what the
extractor has seen. One error policy: a rule that raises on a sentence becomes a
``parser_error`` issue at that sentence's line, and the driver goes on with the next rule
and sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..failures import step_failed
from ..lexicon.dates import annual_year_end
from ..model import Document, Issue, Metadata, ProseBlock
from .sentences import Sentence, is_boilerplate, sentences


class Rule(Protocol):
    NAME: str

    def wants(self, s: Sentence, ctx: Any) -> bool:
        """True when ``s`` may hold what this rule reads (a cheap test)."""

    def read(self, s: Sentence, ctx: Any) -> None:
        """Read ``s`` into ``ctx``."""


@dataclass
class ProseContext:
    """What every prose rule may read, and where rules put what they find."""

    doc: Document
    metadata: Metadata
    issues: list[Issue] = field(default_factory=list)
    sentences: tuple[Sentence, ...] = ()
    index: int = -1  # position of the sentence being read in ``sentences``
    # A bare year in prose ("in 2023") is this fiscal year end in that year (annual filings).
    year_end: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.year_end is None:
            self.year_end = annual_year_end(self.metadata)

    @property
    def currency(self) -> str | None:
        return self.metadata.currency


def read_prose(ctx: ProseContext, rules: Sequence[Any], *, skip_boilerplate: bool = True) -> None:
    """Run ``rules`` over the document's prose blocks and sentences, in document order.

    Sentences under a boilerplate heading (risk factors, forward-looking statements,
    accounting policies) are skipped: they restate figures, they do not report them.
    """
    doc = ctx.doc
    sents = sentences(doc)
    ctx.sentences = sents
    block_rules = [r for r in rules if hasattr(r, "block")]
    # (rule, its test, its reader) once, not three attribute lookups per sentence and rule;
    # a rule that only reads blocks (headings, lead-ins) has neither.
    tests = [(rule, rule.wants, rule.read) for rule in rules if hasattr(rule, "read")]
    # Rules that declare NEEDS_DIGIT read only sentences holding a digit: the driver passes
    # the others over without asking them.
    wordy = [t for t in tests if not getattr(t[0], "NEEDS_DIGIT", False)]
    skipped = boilerplate_blocks(doc) if skip_boilerplate else frozenset()
    n = len(sents)
    k = 0
    for bi, block in enumerate(doc.prose):
        for rule in block_rules:
            _guarded(ctx, rule, block.line, rule.block, block, ctx)
        while k < n and sents[k].block < bi:
            k += 1
        if bi in skipped:
            while k < n and sents[k].block == bi:
                ctx.index = k
                k += 1
            continue
        while k < n and sents[k].block == bi:
            s = sents[k]
            ctx.index = k
            k += 1
            for rule, wants, read in tests if s.digit else wordy:
                if wants(s, ctx):
                    try:
                        read(s, ctx)
                    except Exception as exc:  # noqa: BLE001 - see _guarded
                        _failed(ctx, rule, s.line, exc)


def boilerplate_blocks(doc: Document) -> frozenset[int]:
    """The prose blocks (indexes into ``doc.prose``) under a boilerplate heading.

    Made once per document: every prose extractor skips the same blocks. A block's
    sentences share its headings, so its first sentence decides it.
    """

    def build() -> frozenset[int]:
        seen: dict[str, bool] = {}
        found: set[int] = set()
        last = -1
        for s in sentences(doc):
            if s.block == last:
                continue
            last = s.block
            if is_boilerplate(s.subsection, seen) or is_boilerplate(s.section, seen):
                found.add(s.block)
        return frozenset(found)

    return doc.view("boilerplate_blocks", build)


def _guarded(ctx: ProseContext, rule: Any, line: int, fn: Any, *args: Any) -> None:
    try:
        fn(*args)
    except Exception as exc:  # noqa: BLE001 - one rule's bug must not lose the others' facts
        _failed(ctx, rule, line, exc)


def _failed(ctx: ProseContext, rule: Any, line: int, exc: Exception) -> None:
    ctx.issues.append(step_failed(ctx.doc.name, f"the {rule.NAME} rule", exc, line=line))


__all__ = ["ProseBlock", "ProseContext", "Rule", "boilerplate_blocks", "read_prose"]
