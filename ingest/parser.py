"""``parse_filing``: bytes or a path in, a ``ParsedFiling`` out."""

from __future__ import annotations

import os
from pathlib import Path

from . import (
    economics,
    equivalence,
    estimates,
    facts,
    footings,
    metadata,
    minerals,
    narrative,
    properties,
    tables,
    text,
)
from .failures import step_failed
from .model import Issue, Metadata, ParsedFiling, UnreadableFiling

PARSER_VERSION = "0.1.0"


def parse_filing(source: str | os.PathLike[str] | bytes, name: str | None = None) -> ParsedFiling:
    """Parse one filing.

    ``source`` is a path or the file's bytes; ``name`` labels bytes in messages. A file
    that cannot be read as text raises ``UnreadableFiling`` naming it; anything else the
    parser cannot interpret becomes an ``Issue`` in the result, never an exception.
    """
    data, name = _read(source, name)
    doc = text.load(data, name)
    filing = ParsedFiling(
        metadata=Metadata(
            content_sha256=doc.content_sha256,
            source_name=name,
            encoding=doc.encoding,
            line_count=len(doc.lines),
        ),
        issues=list(doc.issues),
    )
    if not doc.text.strip():
        filing.issues.append(Issue(line=None, kind="empty", reason=f"{name}: the file is empty"))
        return filing
    _extract(doc, filing)
    filing.issues.sort(key=lambda i: (i.line is None, i.line or 0, i.kind))
    return filing


def _read(source: str | os.PathLike[str] | bytes, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        return bytes(source), name or "<bytes>"
    path = Path(source)
    label = name or str(path)
    try:
        return path.read_bytes(), label
    except FileNotFoundError:
        raise UnreadableFiling(f"{label}: no such file") from None
    except IsADirectoryError:
        raise UnreadableFiling(f"{label}: is a directory, not a filing") from None
    except OSError as exc:
        raise UnreadableFiling(f"{label}: cannot be read ({exc.strerror or exc})") from None


def _extract(doc: text.Document, filing: ParsedFiling) -> None:
    """Run each extractor; one that fails records an issue instead of losing the rest."""
    md, issues = _guard(doc, "metadata", lambda: metadata.extract_metadata(doc), (None, []))
    if md is not None:
        # Provenance fields are the parser's own; the extractor reads the text's claims.
        for name in ("content_sha256", "source_name", "encoding", "line_count"):
            setattr(md, name, getattr(filing.metadata, name))
        filing.metadata = md
    filing.issues += issues
    md = filing.metadata
    filing.tables, issues = _guard(doc, "tables", lambda: tables.extract_tables(doc, md), ([], []))
    filing.issues += issues
    # Mineral and economics readers classify their tables before facts read the rest.
    filing.estimates, issues = _guard(
        doc, "estimates", lambda: estimates.extract_estimates(filing.tables, doc), ([], [])
    )
    filing.issues += issues
    filing.economics, issues = _guard(
        doc,
        "economics",
        lambda: economics.extract_economics(filing.tables, doc, currency=md.currency or "USD"),
        ([], []),
    )
    filing.issues += issues
    filing.facts, issues = _guard(
        doc, "facts", lambda: facts.extract_facts(filing.tables), ([], [])
    )
    filing.issues += issues
    found, issues = _guard(
        doc, "footings", lambda: footings.extract_footings(filing.tables, filing.facts), (None, [])
    )
    if found is not None:
        # The tie_out issues come from the failing result footings, with their tolerance.
        filing.footings = found
    filing.issues += issues
    filing.properties, issues = _guard(
        doc, "properties", lambda: properties.extract_properties(doc, md), ([], [])
    )
    filing.issues += issues
    found, issues = _guard(
        doc,
        "narrative",
        lambda: (narrative.extract_narrative_facts(doc, md, filing.properties), []),
        ([], []),
    )
    filing.narrative_facts = found
    filing.issues += issues
    filing.equivalences, issues = _guard(
        doc, "equivalence formulas", lambda: equivalence.extract_equivalences(doc), ([], [])
    )
    filing.issues += issues
    md.resources_inclusive_of_reserves, issues = _guard(
        doc, "resource basis", lambda: _resources_basis(doc), (None, [])
    )
    filing.issues += issues


def _resources_basis(doc: text.Document) -> tuple[bool | None, list[Issue]]:
    inclusive, statements = minerals.resources_inclusive((ln.no, ln.text) for ln in doc.lines)
    if inclusive is not None or not statements:
        return inclusive, []
    lines = ", ".join(f"{no} ({'inclusive' if inc else 'exclusive'})" for no, inc in statements)
    reason = f"resources are stated both inclusive and exclusive of reserves, at lines {lines}"
    return None, [Issue(line=statements[0][0], kind="resource_basis", reason=reason)]


def _guard(doc: text.Document, step: str, run, empty):
    # A bug in one extractor must not cost the user the rest of the filing: the failure
    # becomes an issue naming the step, and parsing goes on.
    try:
        return run()
    except Exception as exc:  # noqa: BLE001 - reported as an issue, never swallowed
        return empty[0], [*empty[1], step_failed(doc.name, f"the {step} step", exc)]
