"""The pipeline on the formats users have: a PDF, an EDGAR-style HTML 10-K and a text file
that names its company only in its file name, with a sidecar, from inbox to published file.

The documents are our own: the PDF and the HTML are the parser tests' fixtures (fictional
companies, tables that tie out)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_ingest_html import TEN_K
from test_ingest_pdf import QUARTER_PAGES, draw, quarter_frame

from conftest import new_warehouse, query, run_in_process

pytestmark = pytest.mark.e2e

TEXT = (
    b"Results\n\n"
    b"Item\tYear ended December 31, 2024\tYear ended December 31, 2023\n"
    b"Exploration expense\t(1,200,000)\t(900,000)\n"
    b"General and administrative\t(300,000)\t(200,000)\n"
    b"Net loss\t(1,500,000)\t(1,100,000)\n"
)


@pytest.fixture(scope="module")
def formats_warehouse(tmp_path_factory: pytest.TempPathFactory, dbt_target_dir: Path):
    built = new_warehouse(tmp_path_factory.mktemp("formats"), dbt_target_dir)
    pdf = draw(QUARTER_PAGES, quarter_frame)
    (built.inbox / "larkspur-q3-2024-mda.pdf").write_bytes(pdf)
    (built.inbox / "tamarack-hollow-10k-2023.htm").write_text(TEN_K, encoding="utf-8")
    (built.inbox / "heron-bay-2024-annual-mda.txt").write_bytes(TEXT)
    # The text states no currency: its sidecar does.
    (built.inbox / "heron-bay-2024-annual-mda.meta.json").write_text(
        json.dumps({"currency": "CAD"})
    )
    (built.inbox / "README.md").write_text("Notes about this folder: not a filing.\n")
    run_in_process(built)
    built.details = {"pdf": pdf}
    return built


def _q(built, sql: str) -> list[tuple]:
    return query(built.published, sql)


def test_every_format_is_published_with_its_reader_and_pages(formats_warehouse) -> None:
    rows = _q(
        formats_warehouse,
        "SELECT source_file, status, source_format, page_count FROM marts.dim_filing ORDER BY 1",
    )
    assert rows == [
        ("heron-bay-2024-annual-mda.txt", "parsed", "text", None),
        ("larkspur-q3-2024-mda.pdf", "parsed", "pdf", 4),
        ("tamarack-hollow-10k-2023.htm", "parsed", "html", None),
    ]


def test_the_raw_store_keeps_the_pdfs_bytes_and_the_sidecar(formats_warehouse) -> None:
    [(content,)] = query(
        formats_warehouse.build_db,
        "SELECT content FROM raw.raw_files WHERE file_name = 'larkspur-q3-2024-mda.pdf'",
    )
    assert bytes(content) == formats_warehouse.details["pdf"]
    assert query(
        formats_warehouse.build_db, "SELECT file_name, sidecar_name FROM raw.raw_sidecars"
    ) == [("heron-bay-2024-annual-mda.txt", "heron-bay-2024-annual-mda.meta.json")]


def test_pdf_facts_and_estimates_carry_their_page(formats_warehouse) -> None:
    facts = _q(
        formats_warehouse,
        "SELECT line_item, x.period_end::VARCHAR, months, value, source_page"
        " FROM marts.fct_financial_facts x JOIN marts.dim_filing f USING (filing_id)"
        " WHERE source_file LIKE '%.pdf' AND line_item = 'revenue' ORDER BY 2",
    )
    assert [(end, months, page) for _, end, months, _, page in facts] == [
        ("2023-09-30", 3, 2),
        ("2024-09-30", 3, 2),
    ]
    pages = _q(
        formats_warehouse,
        "SELECT DISTINCT e.source_page, e.read_from, e.is_historical, e.statement_title IS NOT NULL"
        " FROM marts.fct_mineral_estimates e JOIN marts.dim_filing f USING (filing_id)"
        " WHERE f.source_file LIKE '%.pdf'",
    )
    assert pages == [(4, "table", False, True)]


def test_html_facts_have_lines_and_no_page(formats_warehouse) -> None:
    [(n, pages, lines)] = _q(
        formats_warehouse,
        "SELECT count(*), count(x.source_page), count(x.source_line)"
        " FROM marts.fct_financial_facts x JOIN marts.dim_filing f USING (filing_id)"
        " WHERE source_file LIKE '%.htm'",
    )
    assert n > 0 and pages == 0 and lines == n


def test_where_each_metadata_field_was_found(formats_warehouse) -> None:
    rows = _q(
        formats_warehouse,
        "SELECT source_file, company_name, company_name_source, period_end::VARCHAR,"
        " currency, currency_source, has_inferred_metadata, has_sidecar"
        " FROM marts.dim_filing ORDER BY 1",
    )
    assert rows[0] == (
        "heron-bay-2024-annual-mda.txt",
        "Heron Bay",
        "file_name",
        "2024-12-31",
        "CAD",
        "sidecar",
        True,
        True,
    )
    assert rows[1][1:3] == ("Larkspur Mining Corp.", "text")
    assert rows[2][1] == "Tamarack Hollow Gold Corp."
    assert rows[2][2] in ("edgar_header", "text")
    assert not rows[1][6] and not rows[2][6]
