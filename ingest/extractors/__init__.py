"""Extractors: each reads the document (and what earlier steps produced) into records.

``STEPS`` is the registry the parser runs, in order. Each step names the field of
``ParsedFiling`` it fills and the fields it reads; a step may read only what a step before
it fills (a test holds the registry to that). Steps never change another step's output.
Adding an extractor is one module and one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import tables
from ..checks import footings
from ..model import Document, Issue, ParsedFiling
from . import (
    declared,
    economics,
    equivalence,
    estimates,
    facts,
    metadata,
    narrative,
    operating,
    properties,
    prose_estimates,
    resource_basis,
)


@dataclass(frozen=True)
class Step:
    """One extraction step: ``run(doc, filing)`` gives (value, issues) for ``output``."""

    name: str  # as a failure names it: "the <name> step could not be read"
    output: str  # the ParsedFiling field it fills; "metadata.x" for a metadata field
    run: Callable[[Document, ParsedFiling], tuple[Any, list[Issue]]]
    needs: tuple[str, ...] = ()  # ParsedFiling fields it reads


# What the parser knows of the file itself, not what its text claims.
PROVENANCE_FIELDS = (
    "content_sha256",
    "source_name",
    "encoding",
    "line_count",
    "source_format",
    "page_count",
)


def _metadata(doc: Document, filing: ParsedFiling) -> tuple[Any, list[Issue]]:
    md, issues = metadata.extract_metadata(doc)
    issues += declared.settle(md, doc)
    # Provenance fields are the parser's own; the extractor reads the text's claims.
    for name in PROVENANCE_FIELDS:
        setattr(md, name, getattr(filing.metadata, name))
    return md, issues


def _resource_basis(doc: Document, filing: ParsedFiling) -> tuple[bool | None, list[Issue]]:
    # Only a line naming reserves can state the basis: the others are not handed over.
    inclusive, statements = resource_basis.resources_inclusive(
        (ln.no, ln.text) for ln in doc.lines if "eserve" in ln.text
    )
    if inclusive is not None or not statements:
        return inclusive, []
    lines = ", ".join(f"{no} ({'inclusive' if inc else 'exclusive'})" for no, inc in statements)
    reason = f"resources are stated both inclusive and exclusive of reserves, at lines {lines}"
    return None, [Issue(line=statements[0][0], kind="resource_basis", reason=reason)]


def _estimates(doc: Document, filing: ParsedFiling) -> tuple[Any, list[Issue]]:
    # A filing's estimate tables are its statement; its prose repeats or summarises them.
    # Only a filing without such tables is read for estimates in prose.
    found, issues = estimates.extract_estimates(filing.tables, doc)
    if found or any(t.kind in ("reserve", "resource") for t in filing.tables):
        return found, issues
    prose, more = prose_estimates.extract_prose_estimates(doc, filing.metadata, filing.properties)
    return prose, issues + more


STEPS: list[Step] = [
    Step("metadata", "metadata", _metadata),
    Step(
        "tables",
        "tables",
        lambda doc, f: tables.read_tables(doc, f.metadata),
        needs=("metadata",),
    ),
    Step(
        "properties",
        "properties",
        lambda doc, f: properties.extract_properties(doc, f.metadata),
        needs=("metadata",),
    ),
    Step("estimates", "estimates", _estimates, needs=("tables", "metadata", "properties")),
    Step(
        "economics",
        "economics",
        lambda doc, f: economics.extract_economics(
            f.tables, doc, currency=f.metadata.currency or "USD"
        ),
        needs=("tables", "metadata"),
    ),
    Step("facts", "facts", lambda doc, f: facts.extract_facts(f.tables), needs=("tables",)),
    Step(
        "footings",
        "footings",
        lambda doc, f: footings.extract_footings(f.tables, f.facts),
        needs=("tables", "facts"),
    ),
    Step(
        "narrative",
        "narrative_facts",
        lambda doc, f: narrative.extract_narrative_facts(doc, f.metadata, f.properties),
        needs=("metadata", "properties"),
    ),
    Step(
        "equivalence formulas",
        "equivalences",
        lambda doc, f: equivalence.extract_equivalences(doc),
    ),
    Step(
        "operating results",
        "operating_results",
        lambda doc, f: operating.extract_operating(
            f.tables, f.facts, f.narrative_facts, f.properties
        ),
        needs=("tables", "facts", "narrative_facts", "properties"),
    ),
    Step("resource basis", "metadata.resources_inclusive_of_reserves", _resource_basis),
]
