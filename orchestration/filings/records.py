"""Flatten a ``ParsedFiling`` into the rows of the raw tables that dbt reads.

This is the contract between the parser and the warehouse: one raw table per record
type, every row keyed by ``filing_id`` (the content sha256 of the filing version), nested
lists moved to child tables and free-form dicts stored as JSON text.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ingest.model import ParsedFiling

# name -> ordered (column, DuckDB type). Types are explicit so that a filing with no rows
# of a kind still produces a table (or Parquet file) dbt can read.
RAW_TABLES: dict[str, list[tuple[str, str]]] = {
    "filings": [
        ("filing_id", "VARCHAR"),
        ("source_file", "VARCHAR"),
        ("parsed_at", "TIMESTAMP"),
        ("status", "VARCHAR"),  # parsed | failed
        ("error", "VARCHAR"),
        ("parser_version", "VARCHAR"),
        ("company_name", "VARCHAR"),
        ("report_type", "VARCHAR"),
        ("period_type", "VARCHAR"),
        ("period_start", "DATE"),
        ("period_end", "DATE"),
        ("fiscal_year", "INTEGER"),
        ("currency", "VARCHAR"),
        ("accounting_basis", "VARCHAR"),
        ("effective_date", "DATE"),
        ("content_sha256", "VARCHAR"),
        ("tickers", "VARCHAR"),  # JSON list of {"exchange", "symbol"}
        ("encoding", "VARCHAR"),
        ("line_count", "INTEGER"),
        ("issue_count", "INTEGER"),
        # Appended by the warehouse: the logical filing (stable across versions, from the
        # file name) and this version's number within it, 1 for the first content seen.
        ("filing_key", "VARCHAR"),
        ("version", "INTEGER"),
        # Prose "inclusive of mineral reserves" -> true, "exclusive of" -> false.
        ("resources_inclusive", "BOOLEAN"),
        ("metadata_sources", "VARCHAR"),  # JSON: field -> where found (Metadata.sources)
        ("source_format", "VARCHAR"),  # the reader that read it: text | pdf | html
        ("page_count", "INTEGER"),  # pages of a PDF; null where the format has no pages
        # Appended by the warehouse: the sidecar this version was read with (null: none).
        ("sidecar_sha256", "VARCHAR"),
    ],
    "tables": [
        ("filing_id", "VARCHAR"),
        ("table_index", "INTEGER"),
        ("title", "VARCHAR"),
        ("section", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("format", "VARCHAR"),
        ("start_line", "INTEGER"),
        ("end_line", "INTEGER"),
        ("effective_date", "DATE"),
        ("scale", "DOUBLE"),
        ("currency", "VARCHAR"),
        ("columns", "VARCHAR"),  # JSON list of Column
        ("notes", "VARCHAR"),  # JSON list of strings
        ("label_header", "VARCHAR"),
        ("parent_index", "INTEGER"),  # continuation of that table under a new header
        ("page", "INTEGER"),  # PDF page of its line; null where the format has no pages
    ],
    "table_cells": [
        ("filing_id", "VARCHAR"),
        ("table_index", "INTEGER"),
        ("row_line", "INTEGER"),
        ("row_label", "VARCHAR"),
        ("row_kind", "VARCHAR"),
        ("row_group", "VARCHAR"),
        ("column_key", "VARCHAR"),
        ("raw", "VARCHAR"),
        ("value", "DOUBLE"),
        ("line", "INTEGER"),
        ("is_nil", "BOOLEAN"),
        ("page", "INTEGER"),  # PDF page of its line; null where the format has no pages
        ("box", "VARCHAR"),  # JSON [x0, top, x1, bottom] on that page, in points
    ],
    "facts": [
        ("filing_id", "VARCHAR"),
        ("fact_index", "INTEGER"),
        ("concept", "VARCHAR"),
        ("label", "VARCHAR"),
        ("section", "VARCHAR"),
        ("table_index", "INTEGER"),
        ("period_start", "DATE"),
        ("period_end", "DATE"),
        ("months", "INTEGER"),
        ("value", "DOUBLE"),
        ("reported_value", "DOUBLE"),
        ("unit", "VARCHAR"),
        ("line", "INTEGER"),
        ("column_key", "VARCHAR"),
        ("is_total", "BOOLEAN"),
        ("scale", "DOUBLE"),
        ("half_unit", "DOUBLE"),  # half a unit of the last printed digit, in unit
        ("page", "INTEGER"),  # PDF page of its line; null where the format has no pages
    ],
    "properties": [
        ("filing_id", "VARCHAR"),
        ("property_index", "INTEGER"),
        ("name", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("parent", "VARCHAR"),
        ("country", "VARCHAR"),
        ("region", "VARCHAR"),
        ("interest_pct", "DOUBLE"),
        ("hectares", "DOUBLE"),
        ("claims", "INTEGER"),
        ("line", "INTEGER"),
        ("page", "INTEGER"),  # PDF page of its line; null where the format has no pages
    ],
    "property_royalties": [
        ("filing_id", "VARCHAR"),
        ("property_index", "INTEGER"),
        ("property_name", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("pct", "DOUBLE"),
        ("holder", "VARCHAR"),
        ("buyback_to_pct", "DOUBLE"),
        ("line", "INTEGER"),
        ("page", "INTEGER"),  # PDF page of its line; null where the format has no pages
    ],
    "property_expenditures": [
        ("filing_id", "VARCHAR"),
        ("property_index", "INTEGER"),
        ("property_name", "VARCHAR"),
        ("value", "DOUBLE"),
        ("currency", "VARCHAR"),
        ("period_end", "DATE"),
        ("months", "INTEGER"),
        ("label", "VARCHAR"),
        ("line", "INTEGER"),
        ("page", "INTEGER"),  # PDF page of its line; null where the format has no pages
    ],
    "estimates": [
        ("filing_id", "VARCHAR"),
        ("estimate_index", "INTEGER"),
        ("deposit", "VARCHAR"),
        ("zone", "VARCHAR"),
        ("category", "VARCHAR"),
        ("is_reserve", "BOOLEAN"),
        ("is_subtotal", "BOOLEAN"),
        ("cutoff_value", "DOUBLE"),
        ("cutoff_unit", "VARCHAR"),
        ("effective_date", "DATE"),
        ("tonnage_mt", "DOUBLE"),
        ("reported_tonnage", "DOUBLE"),
        ("reported_tonnage_unit", "VARCHAR"),
        ("table_index", "INTEGER"),
        ("line", "INTEGER"),
        ("label", "VARCHAR"),
        ("other", "VARCHAR"),  # JSON object
        ("tonnage_half_unit", "DOUBLE"),  # Mt
        ("source", "VARCHAR"),  # "text" for a statement read from prose; null: a table row
        ("historical", "BOOLEAN"),  # a historical or superseded statement; null: current
        ("page", "INTEGER"),  # PDF page of its line; null where the format has no pages
    ],
    "estimate_grades": [
        ("filing_id", "VARCHAR"),
        ("estimate_index", "INTEGER"),
        ("commodity", "VARCHAR"),
        ("grade", "DOUBLE"),
        ("grade_unit", "VARCHAR"),
        ("contained", "DOUBLE"),
        ("contained_unit", "VARCHAR"),
        ("reported_grade", "DOUBLE"),
        ("reported_grade_unit", "VARCHAR"),
        ("reported_contained", "DOUBLE"),
        ("reported_contained_unit", "VARCHAR"),
        ("grade_half_unit", "DOUBLE"),  # in grade_unit
        ("contained_half_unit", "DOUBLE"),  # in contained_unit
    ],
    "economics": [
        ("filing_id", "VARCHAR"),
        ("metric_index", "INTEGER"),
        ("study_type", "VARCHAR"),
        ("property", "VARCHAR"),
        ("scenario", "VARCHAR"),
        ("metric", "VARCHAR"),
        ("value", "DOUBLE"),
        ("unit", "VARCHAR"),
        ("discount_rate_pct", "DOUBLE"),
        ("commodity", "VARCHAR"),
        ("pre_tax", "BOOLEAN"),
        ("source", "VARCHAR"),
        ("table_index", "INTEGER"),
        ("line", "INTEGER"),
        ("scenario_date", "DATE"),
        ("page", "INTEGER"),  # PDF page of its line; null where the format has no pages
    ],
    "narrative_facts": [
        ("filing_id", "VARCHAR"),
        ("fact_index", "INTEGER"),
        ("concept", "VARCHAR"),
        ("value", "DOUBLE"),
        ("unit", "VARCHAR"),
        ("period_end", "DATE"),
        ("months", "INTEGER"),
        ("subject", "VARCHAR"),
        ("text", "VARCHAR"),
        ("line", "INTEGER"),
        ("qualifiers", "VARCHAR"),  # JSON object
        ("half_unit", "DOUBLE"),  # in unit
        ("page", "INTEGER"),  # PDF page of its line; null where the format has no pages
    ],
    # A producer's operating figure (ingest.model.OperatingResult), from a table or prose.
    "operating_results": [
        ("filing_id", "VARCHAR"),
        ("result_index", "INTEGER"),
        ("metric", "VARCHAR"),  # ingest.lexicon.operating.METRICS
        ("commodity", "VARCHAR"),
        ("property", "VARCHAR"),  # the mine; null: the company's (consolidated) figure
        ("scope", "VARCHAR"),  # mine | consolidated
        ("period_start", "DATE"),
        ("period_end", "DATE"),
        ("months", "INTEGER"),
        ("value", "DOUBLE"),
        ("unit", "VARCHAR"),
        ("value_as_printed", "VARCHAR"),
        ("label", "VARCHAR"),
        ("basis", "VARCHAR"),  # by-product | co-product, for costs that say so
        ("source", "VARCHAR"),  # table | text
        ("table_index", "INTEGER"),
        ("column_key", "VARCHAR"),
        ("fact_index", "INTEGER"),  # raw.facts row it was read from (a table's figure)
        ("half_unit", "DOUBLE"),  # in unit
        ("line", "INTEGER"),
        ("page", "INTEGER"),  # PDF page of its line; null where the format has no pages
    ],
    # A stated equivalent-grade formula, linearised: one row per metal term.
    "equivalence_terms": [
        ("filing_id", "VARCHAR"),
        ("formula_index", "INTEGER"),
        ("commodity", "VARCHAR"),  # the equivalent: "CuEq"
        ("unit", "VARCHAR"),
        ("intercept", "DOUBLE"),
        ("term_commodity", "VARCHAR"),
        ("term_unit", "VARCHAR"),  # the unit the formula reads that grade in
        ("coefficient", "DOUBLE"),
        ("line", "INTEGER"),
        ("text", "VARCHAR"),
    ],
    # A printed total against the sum of its components, one row per (total row, column),
    # pass or fail: it fails when abs(expected - observed) > tolerance.
    "footings": [
        ("filing_id", "VARCHAR"),
        ("footing_index", "INTEGER"),
        ("table_index", "INTEGER"),
        ("column_key", "VARCHAR"),
        ("line", "INTEGER"),  # the total row's line
        ("label", "VARCHAR"),
        ("kind", "VARCHAR"),  # result | total | subtotal
        ("expected", "DOUBLE"),  # sum of the components, in the total's sign convention
        ("observed", "DOUBLE"),  # the printed total, scale applied
        ("tolerance", "DOUBLE"),  # sum of the half units of the components and the total
        ("terms", "INTEGER"),
        ("component_lines", "VARCHAR"),  # JSON list of line numbers
        ("unit", "VARCHAR"),
        ("page", "INTEGER"),  # PDF page of its line; null where the format has no pages
    ],
    "issues": [
        ("filing_id", "VARCHAR"),
        ("issue_index", "INTEGER"),
        ("line", "INTEGER"),
        ("kind", "VARCHAR"),
        ("reason", "VARCHAR"),
        ("text", "VARCHAR"),
        ("table_index", "INTEGER"),
        ("page", "INTEGER"),  # PDF page of its line; null where the format has no pages
    ],
}


# The raw store: the bytes of every file ever dropped in. Append-only; one row per
# (content_sha256, file_name) pair, so a copy under another name is recorded but is the
# same filing version.
RAW_FILES_TABLE = "raw_files"
RAW_FILES_COLUMNS: list[tuple[str, str]] = [
    ("content_sha256", "VARCHAR"),
    ("file_name", "VARCHAR"),
    ("size_bytes", "BIGINT"),
    ("content", "BLOB"),
    ("seen_at", "TIMESTAMP"),
    ("filing_key", "VARCHAR"),
    ("version", "INTEGER"),
]

# The sidecars written beside filings, append-only like the raw store: a row each time the
# sidecar beside a file name is written, changed or removed (then sha256 and content null).
RAW_SIDECARS_TABLE = "raw_sidecars"
RAW_SIDECARS_COLUMNS: list[tuple[str, str]] = [
    ("file_name", "VARCHAR"),  # the filing's file name it sits beside
    ("sidecar_name", "VARCHAR"),
    ("sidecar_sha256", "VARCHAR"),
    ("size_bytes", "BIGINT"),
    ("content", "BLOB"),
    ("seen_at", "TIMESTAMP"),
]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def filing_rows(
    parsed: ParsedFiling,
    filing_id: str,
    source_file: str,
    parsed_at: Any,
    parser_version: str,
    filing_key: str | None = None,
    version: int | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Rows for every raw table, for one successfully parsed filing version."""
    md = parsed.metadata
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in RAW_TABLES}
    rows["filings"].append(
        {
            "filing_id": filing_id,
            "source_file": source_file,
            "parsed_at": parsed_at,
            "status": "parsed",
            "error": None,
            "parser_version": parser_version,
            "company_name": md.company_name,
            "report_type": md.report_type,
            "period_type": md.period_type,
            "period_start": md.period_start,
            "period_end": md.period_end,
            "fiscal_year": md.fiscal_year,
            "currency": md.currency,
            "accounting_basis": md.accounting_basis,
            "effective_date": md.effective_date,
            "content_sha256": md.content_sha256,
            "tickers": _json(md.tickers),
            "encoding": md.encoding,
            "line_count": md.line_count,
            "issue_count": len(parsed.issues),
            "filing_key": filing_key,
            "version": version,
            "resources_inclusive": md.resources_inclusive_of_reserves,
            "metadata_sources": _json(md.sources),
            "source_format": md.source_format,
            "page_count": md.page_count,
        }
    )
    for t in parsed.tables:
        rows["tables"].append(
            {
                "filing_id": filing_id,
                "table_index": t.index,
                "title": t.title,
                "section": t.section,
                "kind": t.kind,
                "format": t.format,
                "start_line": t.start_line,
                "end_line": t.end_line,
                "effective_date": t.effective_date,
                "scale": t.scale,
                "currency": t.currency,
                "columns": _json([asdict(c) for c in t.columns]),
                "notes": _json(t.notes),
                "label_header": t.label_header,
                "parent_index": t.parent_index,
                "page": t.page,
            }
        )
        for r in t.rows:
            for c in r.cells:
                rows["table_cells"].append(
                    {
                        "filing_id": filing_id,
                        "table_index": t.index,
                        "row_line": r.line,
                        "row_label": r.label,
                        "row_kind": r.kind,
                        "row_group": r.group,
                        "column_key": c.column,
                        "raw": c.raw,
                        "value": c.value,
                        "line": c.line,
                        "is_nil": c.is_nil,
                        "page": c.page,
                        "box": _json(list(c.box)) if c.box else None,
                    }
                )
    for i, f in enumerate(parsed.facts):
        d = asdict(f)
        d["column_key"] = d.pop("column")
        rows["facts"].append({"filing_id": filing_id, "fact_index": i, **d})
    for i, p in enumerate(parsed.properties):
        d = asdict(p)
        royalties = d.pop("royalties")
        expenditures = d.pop("expenditures")
        rows["properties"].append({"filing_id": filing_id, "property_index": i, **d})
        for r in royalties:
            rows["property_royalties"].append(
                {"filing_id": filing_id, "property_index": i, "property_name": p.name, **r}
            )
        for e in expenditures:
            rows["property_expenditures"].append(
                {"filing_id": filing_id, "property_index": i, "property_name": p.name, **e}
            )
    for i, e in enumerate(parsed.estimates):
        d = asdict(e)
        grades = d.pop("grades")
        d["other"] = _json(d["other"])
        rows["estimates"].append({"filing_id": filing_id, "estimate_index": i, **d})
        for g in grades:
            rows["estimate_grades"].append({"filing_id": filing_id, "estimate_index": i, **g})
    for i, m in enumerate(parsed.economics):
        rows["economics"].append({"filing_id": filing_id, "metric_index": i, **asdict(m)})
    for i, n in enumerate(parsed.narrative_facts):
        d = asdict(n)
        d["qualifiers"] = _json(d["qualifiers"])
        rows["narrative_facts"].append({"filing_id": filing_id, "fact_index": i, **d})
    for i, o in enumerate(parsed.operating_results):
        d = asdict(o)
        d["column_key"] = d.pop("column")
        rows["operating_results"].append({"filing_id": filing_id, "result_index": i, **d})
    for i, eq in enumerate(parsed.equivalences):
        for term in eq.terms:
            rows["equivalence_terms"].append(
                {
                    "filing_id": filing_id,
                    "formula_index": i,
                    "commodity": eq.commodity,
                    "unit": eq.unit,
                    "intercept": eq.intercept,
                    "term_commodity": term.commodity,
                    "term_unit": term.unit,
                    "coefficient": term.coefficient,
                    "line": eq.line,
                    "text": eq.text,
                }
            )
    for i, f in enumerate(parsed.footings):
        d = asdict(f)
        d["column_key"] = d.pop("column")
        d["component_lines"] = _json(d["component_lines"])
        rows["footings"].append({"filing_id": filing_id, "footing_index": i, **d})
    for i, issue in enumerate(parsed.issues):
        rows["issues"].append({"filing_id": filing_id, "issue_index": i, **asdict(issue)})
    for name, table_rows in rows.items():
        columns = [c for c, _ in RAW_TABLES[name]]
        for r in table_rows:
            extra = set(r) - set(columns)
            if extra:
                raise ValueError(f"raw table {name}: unexpected columns {sorted(extra)}")
    return rows


def failed_filing_row(
    filing_id: str,
    source_file: str,
    parsed_at: Any,
    parser_version: str,
    error: str,
    filing_key: str | None = None,
    version: int | None = None,
) -> dict[str, Any]:
    """The ``filings`` row recorded for a version whose parse failed."""
    row = {c: None for c, _ in RAW_TABLES["filings"]}
    row.update(
        filing_id=filing_id,
        source_file=source_file,
        parsed_at=parsed_at,
        status="failed",
        error=error,
        parser_version=parser_version,
        content_sha256=filing_id,
        issue_count=0,
        filing_key=filing_key,
        version=version,
    )
    return row
