"""From table grids to classified tables: headers resolved into columns, rows into cells.

``read_tables`` is the table step of the parser: every grid of the document becomes one
or more ``Table`` records (``build``), then each gets its kind (``classify``).
"""

from __future__ import annotations

from ..model import Document, Issue, Metadata, Table
from .build import extract_tables
from .classify import classify_tables, table_groups

__all__ = ["classify_tables", "extract_tables", "read_tables", "table_groups"]


def read_tables(doc: Document, metadata: Metadata | None = None) -> tuple[list[Table], list[Issue]]:
    """Every table of ``doc``, built and classified."""
    tables, issues = extract_tables(doc, metadata)
    issues += classify_tables(tables)
    return tables, issues
