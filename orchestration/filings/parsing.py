"""Turning a stored filing version into raw-table rows, or into a recorded failure."""

from __future__ import annotations

import hashlib
from contextlib import ExitStack
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import ingest
from ingest import readers

from .. import paths
from .parse_process import ParseProcess
from .records import RAW_TABLES, failed_filing_row, filing_rows


@lru_cache(maxsize=1)
def parser_version() -> str:
    """``PARSER_VERSION`` plus a hash of the parser's source.

    The parser changes often without a version bump; hashing its code means a changed
    parser re-parses stored filings, while an unchanged one leaves them alone.
    """
    digest = hashlib.sha256()
    package = Path(ingest.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{ingest.PARSER_VERSION}+{digest.hexdigest()[:12]}"


def parse_version(
    content: bytes,
    filing_id: str,
    file_name: str,
    filing_key: str,
    version: int,
    parsed_at: datetime,
    sidecar: tuple[bytes, str, str] | None = None,
    parser: ParseProcess | None = None,
) -> tuple[dict[str, list[dict[str, Any]]], str | None]:
    """Rows for one filing version and the error, if its parse failed.

    ``sidecar``: (bytes, name, sha256) of the metadata file stored beside it, if any; the
    version's ``filings`` row records its sha256, so a changed sidecar reads it again.
    The parse runs in ``parser``, the run's child process (one is started for this filing
    if None), under the memory and time limits. A failure never propagates: the filing is
    recorded with status 'failed' and its error, so one bad file cannot stop the others.
    """
    pv = parser_version()
    sidecar_sha = sidecar[2] if sidecar else None
    error = too_large(content, file_name)
    if error:
        return _failed(error, filing_id, file_name, parsed_at, pv, filing_key, version, sidecar_sha)
    with ExitStack() as stack:
        if parser is None:
            parser = stack.enter_context(ParseProcess())
        parsed, error = parser.parse(
            content, file_name, (sidecar[0], sidecar[1]) if sidecar else None
        )
    if parsed is None:
        return _failed(
            error or f"{file_name}: not parsed",
            filing_id,
            file_name,
            parsed_at,
            pv,
            filing_key,
            version,
            sidecar_sha,
        )
    rows = filing_rows(parsed, filing_id, file_name, parsed_at, pv, filing_key, version)
    rows["filings"][0]["sidecar_sha256"] = sidecar_sha
    return rows, None


def too_large(content: bytes, file_name: str) -> str | None:
    """Why ``content`` is too large to parse (naming the file, its size and the limit), or
    None. The limit is its reader's (``paths.max_input_mb``): the content decides, as it
    decides the reader, so a PDF saved as ``.txt`` has the PDF limit."""
    reader = readers.reader_for(content, file_name).NAME
    limit = paths.max_input_mb(reader)
    size = len(content) / 1e6
    if size <= limit:
        return None
    return (
        f"{file_name}: {size:.2f} MB is over the {limit:g} MB limit for {reader} filings"
        f" ({paths.max_input_env(reader)}); not parsed, the file is kept in the raw store"
    )


def _failed(
    error: str,
    filing_id: str,
    file_name: str,
    parsed_at: datetime,
    pv: str,
    filing_key: str,
    version: int,
    sidecar_sha: str | None,
) -> tuple[dict[str, list[dict[str, Any]]], str]:
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in RAW_TABLES}
    rows["filings"].append(
        failed_filing_row(filing_id, file_name, parsed_at, pv, error, filing_key, version)
        | {"sidecar_sha256": sidecar_sha}
    )
    return rows, error
