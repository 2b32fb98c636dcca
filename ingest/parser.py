"""``parse_filing``: bytes or a path in, a ``ParsedFiling`` out.

The pipeline: a reader (``ingest.readers``, chosen by the content) makes one ``Document``;
the extraction steps (``ingest.extractors.STEPS``: metadata, tables and their
classification, estimates, economics, facts, footings, properties, narrative...) read it
into records. One error policy for every step: a step that fails records an issue naming
it, and the others go on.
"""

from __future__ import annotations

import os
from operator import attrgetter
from pathlib import Path

from . import readers
from .checks import concatenation
from .extractors import STEPS, Step
from .failures import step_failed
from .model import Document, Issue, Metadata, ParsedFiling, UnreadableFiling
from .sidecar import find_sidecar, load_sidecar

# A line's page, read in C over a document's lines: most formats have no pages at all.
_PAGE = attrgetter("page")

# Raised when the records change shape; the warehouse adds a hash of the code to it.
PARSER_VERSION = "0.2.0"


def parse_filing(
    source: str | os.PathLike[str] | bytes,
    name: str | None = None,
    *,
    sidecar: tuple[bytes, str] | None = None,
) -> ParsedFiling:
    """Parse one filing of any supported format (text, PDF, HTML).

    ``source`` is a path or the file's bytes; ``name`` labels bytes in messages. A path's
    sidecar metadata file (``ingest.sidecar``) is read when there is one; with bytes, pass
    it as ``sidecar=(its bytes, its name)``. A file that cannot be read at all raises
    ``UnreadableFiling`` naming it; anything else the parser cannot interpret becomes an
    ``Issue`` in the result, never an exception.
    """
    data, name = _read(source, name)
    if sidecar is None and not isinstance(source, bytes | bytearray):
        found = find_sidecar(Path(source))
        if found is not None:
            sidecar = (found.read_bytes(), found.name)
    doc = readers.read(data, name)
    if sidecar is not None:
        doc.sidecar, issues = load_sidecar(*sidecar)
        doc.issues.extend(issues)
    return parse_document(doc)


def parse_document(doc: Document) -> ParsedFiling:
    """Run every extraction step on a document a reader made."""
    filing = ParsedFiling(
        metadata=Metadata(
            content_sha256=doc.content_sha256,
            source_name=doc.name,
            encoding=doc.encoding,
            line_count=len(doc.lines),
            source_format=doc.format,
            page_count=max(filter(None, map(_PAGE, doc.lines)), default=0) or None,
        ),
        issues=list(doc.issues),
    )
    if not doc.text.strip():
        filing.issues.append(
            Issue(line=None, kind="empty", reason=f"{doc.name}: the file is empty")
        )
        return filing
    for step in STEPS:
        _run(step, doc, filing)
    # A file holding a filing twice, or two filings, reads as one filing with everything
    # doubled or misattributed: the records stay, flagged, and the warehouse quarantines.
    try:
        filing.issues += concatenation.find(doc)
    except Exception as exc:  # noqa: BLE001 - reported as an issue, never swallowed
        filing.issues.append(step_failed(doc.name, "the concatenation check", exc))
    _pages(doc, filing)
    filing.issues.sort(key=lambda i: (i.line is None, i.line or 0, i.kind))
    return filing


def _pages(doc: Document, filing: ParsedFiling) -> None:
    """Give every record the page of the line it was read from, where the format has pages."""
    if not any(map(_PAGE, doc.lines)):
        return
    lines = doc.lines

    def page_of(no: int | None) -> int | None:
        return lines[no - 1].page if no and 0 < no <= len(lines) else None

    for table in filing.tables:
        table.page = page_of(table.start_line)
        for row in table.rows:
            row.page = page_of(row.line)
            for cell in row.cells:
                cell.page = page_of(cell.line)
    for prop in filing.properties:
        prop.page = page_of(prop.line)
        for item in [*prop.royalties, *prop.expenditures]:
            item.page = page_of(item.line)
    for records in (
        filing.facts,
        filing.estimates,
        filing.economics,
        filing.narrative_facts,
        filing.equivalences,
        filing.footings,
        filing.operating_results,
        filing.issues,
    ):
        for record in records:
            record.page = page_of(record.line)


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


def _run(step: Step, doc: Document, filing: ParsedFiling) -> None:
    # A bug in one step must not cost the user the rest of the filing: the failure becomes
    # an issue naming the step, and parsing goes on with the field left as it was.
    try:
        value, issues = step.run(doc, filing)
    except Exception as exc:  # noqa: BLE001 - reported as an issue, never swallowed
        filing.issues.append(step_failed(doc.name, f"the {step.name} step", exc))
        return
    target, _, field = step.output.partition(".")
    if field:
        setattr(getattr(filing, target), field, value)
    elif value is not None:
        setattr(filing, target, value)
    filing.issues += issues
