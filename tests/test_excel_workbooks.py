"""End to end: the Excel workbooks `make run` wrote for the samples hold what the marts hold.

Each workbook is opened with openpyxl and read back, sheet by sheet, against the published
file's views and marts (``conftest.sample_warehouse``, built once through the CLI).
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from conftest import BuiltWarehouse
from orchestration.publish import exports
from orchestration.publish.exports import MANIFEST, SOURCE_MARKER
from orchestration.publish.publisher import _sha256
from orchestration.publish.workbooks import (
    HEADER_ROW,
    SHEET_FINDINGS,
    SHEET_OPERATING,
    SHEET_QUARTERLY,
    SHEET_RESOURCES,
    SHEET_STUDIES,
)

pytestmark = pytest.mark.e2e

KESTREL, HARRIER, WATTLE = "kestrel-ridge-copper", "harrier-lake-gold", "wattle-creek-gold"


@pytest.fixture(scope="module")
def samples(sample_warehouse: BuiltWarehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(sample_warehouse.published), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def workbooks(sample_warehouse: BuiltWarehouse) -> dict[str, openpyxl.Workbook]:
    folder = sample_warehouse.warehouse_dir / "exports"
    return {p.stem: openpyxl.load_workbook(p) for p in sorted(folder.glob("*.xlsx"))}


def records(ws) -> list[dict[str, object]]:
    """The sheet's rows below the header, as dicts keyed by the header."""
    header = [c.value for c in ws[HEADER_ROW]]
    return [
        dict(zip(header, row, strict=True))
        for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
        if any(v is not None for v in row)
    ]


def query(con, sql: str, *params) -> list[dict[str, object]]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def same(a, b) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, datetime) and isinstance(b, date):
        return a.date() == b
    return a == b


def test_one_workbook_per_company_and_no_others(
    sample_warehouse: BuiltWarehouse, samples, workbooks
) -> None:
    companies = {
        r[0] for r in samples.execute("select company_id from marts.dim_company").fetchall()
    }
    assert companies == {KESTREL, HARRIER, WATTLE}
    assert set(workbooks) == companies
    folder = sample_warehouse.warehouse_dir / "exports"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [SOURCE_MARKER, MANIFEST, *(f"{c}.xlsx" for c in companies)]
    )
    # Made from the published file as it is now, and nothing left in the warehouse folder.
    assert (folder / SOURCE_MARKER).read_text().strip() == _sha256(sample_warehouse.published)
    assert not list(sample_warehouse.warehouse_dir.glob(".exports-*"))
    assert f"Excel workbooks: 3 in {folder}" in sample_warehouse.stdout
    for wb in workbooks.values():
        assert wb.sheetnames == [
            SHEET_QUARTERLY,
            SHEET_RESOURCES,
            SHEET_OPERATING,
            SHEET_STUDIES,
            SHEET_FINDINGS,
        ]


def test_kestrels_quarterly_sheet_is_bi_quarterly_financials(samples, workbooks) -> None:
    ws = workbooks[KESTREL][SHEET_QUARTERLY]
    assert ws["A1"].value == "Kestrel Ridge Copper Corp.: quarterly financials"
    sheet = records(ws)
    view = query(
        samples,
        "select * from bi.quarterly_financials where company_id = ?"
        " order by line_item, unit, fiscal_year",
        KESTREL,
    )
    assert len(sheet) == len(view) > 50
    for got, want in zip(sheet, view, strict=True):
        # An empty text is an empty cell.
        assert (got["Line item"], got["Label as printed"], got["Fiscal year"], got["Unit"]) == (
            want["line_item"],
            want["label"] or None,
            want["fiscal_year"],
            want["unit"],
        )
        for p in ("q1", "q2", "q3", "q4", "fy"):
            assert same(got[p.upper()], want[p]), (want["line_item"], want["fiscal_year"], p)
            # Every value names the filing it comes from.
            assert (got[f"{p.upper()} source (filing, line)"] is None) == (want[p] is None)
        assert got["Q4 derived"] == ("Yes" if want["q4_is_derived"] else "No")

    (net_loss,) = [r for r in sheet if r["Line item"] == "net_income" and r["Fiscal year"] == 2024]
    assert net_loss["Q4"] == -4_978_341 and net_loss["Q4 derived"] == "Yes"
    assert net_loss["Q4 source (filing, line)"].startswith(
        "derived: kestrel-ridge-2024-annual-mda.txt, line "
    )
    assert "minus kestrel-ridge-2024-q3-mda.txt, line " in net_loss["Q4 source (filing, line)"]
    assert net_loss["Q3 source (filing, line)"].startswith("kestrel-ridge-2024-q3-mda.txt, line ")
    # The derived cell is marked: shaded, italic, with a comment saying how it was made.
    row = HEADER_ROW + 1 + sheet.index(net_loss)
    q4 = ws.cell(row=row, column=[c.value for c in ws[HEADER_ROW]].index("Q4") + 1)
    assert q4.font.italic and q4.fill.fgColor.rgb.endswith("FFF2CC")
    assert "derived" in q4.comment.text
    printed = ws.cell(row=row, column=q4.column - 1)  # Q3, printed
    assert printed.comment is None and not printed.font.italic


def test_harriers_operating_sheet_is_the_latest_operating_results(samples, workbooks) -> None:
    sheet = records(workbooks[HARRIER][SHEET_OPERATING])
    marts = query(
        samples,
        """
        select coalesce(o.property_name, 'Consolidated') as mine, o.metric, o.commodity,
            o.period_end, o.months, o.value, o.unit, d.source_file, o.source_line
        from marts.fct_operating_results o join marts.dim_filing d using (filing_id)
        where o.company_id = ? and o.is_latest and o.is_current_version
        """,
        HARRIER,
    )

    def key(r: dict) -> tuple:
        return (
            r["mine"],
            r["metric"],
            r["commodity"] or "",
            str(r["period_end"])[:10],
            r["months"],
        )

    got = {
        key(
            {
                "mine": r["Mine"],
                "metric": r["Metric"],
                "commodity": r["Commodity"],
                "period_end": r["Period end"],
                "months": r["Months"],
            }
        ): r
        for r in sheet
    }
    assert len(got) == len(sheet) == len(marts) > 50
    for want in marts:
        row = got[key(want)]
        value = row["Value"] * 100 if want["unit"] == "%" else row["Value"]  # Excel percent
        assert same(value, want["value"]) and row["Unit"] == want["unit"], key(want)
        assert (row["Filing"], row["Line"]) == (want["source_file"], want["source_line"])
    assert sheet[0]["Mine"] == "Consolidated"  # the company's figures first, then each mine
    assert {r["Mine"] for r in sheet} >= {"Consolidated", "Loon Narrows Mine"}
    loon = got[("Loon Narrows Mine", "metal_produced", "Au", "2025-09-30", 3)]
    assert (loon["Value"], loon["Unit"], loon["Filing"], loon["Line"]) == (
        20_530,
        "oz",
        "harrier-lake-2025-q3-mda.txt",
        60,
    )
    assert isinstance(loon["Period end"], datetime)


def test_resources_sheet_holds_the_estimates_and_grades(samples, workbooks) -> None:
    for company, wb in workbooks.items():
        sheet = records(wb[SHEET_RESOURCES])
        (count,) = samples.execute(
            "select count(*) from marts.fct_mineral_estimates"
            " where company_id = ? and is_current_version and not is_historical",
            [company],
        ).fetchone()
        assert len(sheet) == count, company
        marts = {
            (r["source_file"], r["source_line"]): r
            for r in query(
                samples,
                """
                select d.source_file, e.source_line, e.tonnage_mt, e.effective_date,
                    e.category
                from marts.fct_mineral_estimates e join marts.dim_filing d using (filing_id)
                where e.company_id = ? and e.is_current_version and not e.is_historical
                """,
                company,
            )
        }
        for row in sheet:
            want = marts[(row["Filing"], row["Line"])]
            assert same(row["Tonnage (Mt)"], want["tonnage_mt"])
            assert same(row["Effective date"], want["effective_date"])
            assert row["Category"].lower().replace(" & ", "_") == want["category"]
    (measured,) = [
        r
        for r in records(workbooks[WATTLE][SHEET_RESOURCES])
        if r["Deposit"] == "Bellbird" and r["Category"] == "Measured"
    ]
    assert (
        measured["Tonnage (Mt)"],
        measured["Au grade (g/t)"],
        measured["Au contained (Moz)"],
        measured["Effective date"],
        measured["Filing"],
        measured["Line"],
    ) == (6.84, 1.92, 0.422, datetime(2024, 3, 31), "wattle-creek-2024-annual-mda.txt", 118)
    # Kestrel's copper grades are Excel percentages: the mart's percent over 100.
    kestrel = records(workbooks[KESTREL][SHEET_RESOURCES])
    north = next(r for r in kestrel if r["Deposit"] == "North Zone" and r["Category"] == "Measured")
    (cu,) = samples.execute(
        """
        select g.grade from marts.fct_mineral_grades g join marts.fct_mineral_estimates e
            using (estimate_id)
        join marts.dim_filing d on d.filing_id = e.filing_id
        where g.commodity = 'Cu' and d.source_file = ? and e.source_line = ?
        """,
        [north["Filing"], north["Line"]],
    ).fetchone()
    assert same(north["Cu grade (%)"] * 100, cu)


def test_study_economics_sheet_holds_each_figure(samples, workbooks) -> None:
    for company, wb in workbooks.items():
        sheet = records(wb[SHEET_STUDIES])
        marts = query(
            samples,
            """
            select s.metric, s.scenario, s.value, s.unit, d.source_file, s.source_line
            from marts.fct_study_economics s join marts.dim_filing d using (filing_id)
            where s.company_id = ? and s.is_current_version
            """,
            company,
        )
        if not marts:
            assert sheet[0]["Property"].startswith("Nothing of this kind"), company
            continue
        assert len(sheet) == len(marts)
        got = sorted(
            (r["Metric"], r["Scenario"] or "", r["Filing"], r["Line"], r["Unit"] or "")
            for r in sheet
        )
        want = sorted(
            (m["metric"], m["scenario"] or "", m["source_file"], m["source_line"], m["unit"] or "")
            for m in marts
        )
        assert got == want


def test_findings_sheet_holds_the_companys_warnings(samples, workbooks) -> None:
    kestrel = records(workbooks[KESTREL][SHEET_FINDINGS])
    assert len(kestrel) == 4
    assert {(r["Severity"], r["Check"]) for r in kestrel} == {("warn", "restatement")}
    assert {(r["Filing"], r["Line"]) for r in kestrel} == {
        ("kestrel-ridge-2024-annual-mda.txt", 86),
        ("kestrel-ridge-2024-annual-mda.txt", 110),
        ("kestrel-ridge-2024-q3-mda.txt", 72),
        ("kestrel-ridge-2024-q3-mda.txt", 73),
    }
    messages = {
        r[0]
        for r in samples.execute(
            "select message from audit.check_results where company_id = ?"
            " and status not in ('pass', 'skipped')",
            [KESTREL],
        ).fetchall()
    }
    assert {r["Message"] for r in kestrel} == messages
    for company in (HARRIER, WATTLE):
        (only,) = records(workbooks[company][SHEET_FINDINGS])
        assert only["Severity"].startswith("No warnings or errors")


def test_sheets_are_formatted(workbooks) -> None:
    dates = numbers = 0
    for wb in workbooks.values():
        for ws in wb:
            assert ws.freeze_panes is not None and ws.freeze_panes.endswith(str(HEADER_ROW + 1))
            assert ws["A1"].font.bold and ws.cell(row=HEADER_ROW, column=1).font.bold
            header = [c.value for c in ws[HEADER_ROW]]
            for i, title in enumerate(header, start=1):
                width = ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width
                assert width and width >= 6, (ws.title, title)
            for row in ws.iter_rows(min_row=HEADER_ROW + 1):
                for cell in row:
                    if isinstance(cell.value, float | int) and not isinstance(cell.value, bool):
                        assert cell.number_format != "General", (ws.title, cell.coordinate)
                        numbers += 1
                    elif isinstance(cell.value, datetime):
                        assert cell.number_format == "yyyy-mm-dd"
                        dates += 1
    assert numbers > 1000 and dates > 100
    ws = workbooks[KESTREL][SHEET_QUARTERLY]
    money = [c for c in ws["I"][HEADER_ROW:] if isinstance(c.value, int | float)]
    assert {c.number_format for c in money if c.row and c.offset(0, -5).value == "USD"} == {"#,##0"}
    percent = [
        c.number_format
        for c in workbooks[KESTREL][SHEET_RESOURCES]["K"][HEADER_ROW:]
        if c.value is not None
    ]
    assert percent and all(f.endswith("%") for f in percent)


def test_workbooks_are_written_again_when_exports_is_missing(sample_copy: BuiltWarehouse) -> None:
    """The pipeline's step for an unchanged published file: only the export job runs."""
    import shutil

    from conftest import fresh_instance
    from orchestration.definitions import build_definitions
    from orchestration.pipeline import PipelineReport, _write_exports_if_stale

    folder = sample_copy.warehouse_dir / "exports"
    shutil.rmtree(folder, ignore_errors=True)
    before = sample_copy.published.read_bytes()
    warehouse = sample_copy.config()
    report = PipelineReport()
    with fresh_instance() as instance:
        _write_exports_if_stale(instance, build_definitions(warehouse), warehouse, report, {})
    assert report.exports_rewritten == f"{folder} is missing"
    assert not report.failed_runs and report.exports_failed is None
    assert report.seconds["excel"] > 0
    assert sample_copy.published.read_bytes() == before  # not published again
    assert sorted(p.name for p in folder.glob("*.xlsx")) == [
        f"{c}.xlsx" for c in sorted((HARRIER, KESTREL, WATTLE))
    ]
    # Up to date now: a second look does nothing.
    report = PipelineReport()
    with fresh_instance() as instance:
        _write_exports_if_stale(instance, build_definitions(warehouse), warehouse, report, {})
    assert report.exports_rewritten is None and "excel" not in report.seconds


def _values(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb}


def test_workbooks_written_by_worker_processes_are_those_written_in_process(
    sample_warehouse: BuiltWarehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backfill writes its many workbooks in processes on every core; the three samples'
    were written in process. Forced through the processes, the same cells come out, and
    the manifest records each company's signature and workbook hash."""
    shutil.copy2(sample_warehouse.published, tmp_path / "warehouse.duckdb")
    monkeypatch.setattr(exports, "_PARALLEL_FROM", 1)
    monkeypatch.setattr(exports, "_workers", lambda: 2)
    result = exports.write_exports(tmp_path)
    assert (result.written, result.kept) == (3, 0)
    session = sample_warehouse.warehouse_dir / "exports"
    for path in sorted((tmp_path / "exports").glob("*.xlsx")):
        assert _values(path) == _values(session / path.name), path.name
    manifest = json.loads((tmp_path / "exports" / MANIFEST).read_text())
    assert set(manifest) == {KESTREL, HARRIER, WATTLE}
    for company, (signature, sha) in manifest.items():
        assert len(signature) == 64
        assert sha == _sha256(tmp_path / "exports" / exports.workbook_name(company))
    # Published again unchanged: every workbook is kept, none written.
    again = exports.write_exports(tmp_path)
    assert (again.written, again.kept) == (0, 3)
