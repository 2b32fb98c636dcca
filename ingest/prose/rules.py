"""Prose as rules: one driver reads a document's prose with a list of rules.

A rule is a module (or any object) with

- ``NAME``: what a failure names ("the royalties rule");
- ``wants(s, ctx)``: a cheap test (substring checks) that says whether the sentence may
  hold what the rule reads: most sentences hold nothing worth a regular expression;
- ``read(s, ctx)``: reads the sentence, adding records or issues to the context.

A rule may also have ``block(b, ctx)``, called for each prose block (a heading or the
start of a paragraph) before its sentences, for rules that set the context a heading or a
lead-in gives ("AUSTRALIA", "Red Hill Project:").

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
    boilerplate: dict[str, bool] = {}
    k = 0
    for bi, block in enumerate(doc.prose):
        for rule in block_rules:
            _guarded(ctx, rule, block.line, rule.block, block, ctx)
        while k < len(sents) and sents[k].block < bi:
            k += 1
        while k < len(sents) and sents[k].block == bi:
            s = sents[k]
            ctx.index = k
            k += 1
            if skip_boilerplate and (
                is_boilerplate(s.subsection, boilerplate) or is_boilerplate(s.section, boilerplate)
            ):
                continue
            for rule in rules:
                if rule.wants(s, ctx):
                    _guarded(ctx, rule, s.line, rule.read, s, ctx)


def _guarded(ctx: ProseContext, rule: Any, line: int, fn: Any, *args: Any) -> None:
    try:
        fn(*args)
    except Exception as exc:  # noqa: BLE001 - one rule's bug must not lose the others' facts
        ctx.issues.append(step_failed(ctx.doc.name, f"the {rule.NAME} rule", exc, line=line))


__all__ = ["ProseBlock", "ProseContext", "Rule", "read_prose"]
