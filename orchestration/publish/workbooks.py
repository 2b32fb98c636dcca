"""One Excel workbook per company, read from the published warehouse.

Each sheet is a query on the published file and a layout: a title row, a note on where the
rows come from, a styled and frozen header, number formats that follow each value's unit,
and on every row the filing (file name) and the line or page its figure was printed on.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..names import CHECK_RESULTS_TABLE, MARTS
from .check_results import PASSING_STATUSES

SHEET_QUARTERLY = "Quarterly financials"
SHEET_RESOURCES = "Resources and reserves"
SHEET_STUDIES = "Study economics"
SHEET_OPERATING = "Operating results"
SHEET_FINDINGS = "Findings"

HEADER_ROW = 3  # row 1: title; row 2: where the rows come from; row 3: the header
DATE_FORMAT = "yyyy-mm-dd"
_TITLE = Font(bold=True, size=14)
_NOTE = Font(italic=True, color="595959")
_HEADER = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_DERIVED = Font(italic=True, color="7F6000")
_DERIVED_FILL = PatternFill("solid", fgColor="FFF2CC")
_MIN_WIDTH, _MAX_WIDTH = 8, 60


@dataclass
class Column:
    """A sheet column: its header, the row field it shows, and how to format that field.

    ``unit`` names the row field holding the value's unit, when the number format follows it;
    ``kind`` is "number", "integer", "date", "text" or "flag" (Yes/No).
    """

    header: str
    field: str
    kind: str = "text"
    unit: str | None = None
    fixed_unit: str | None = None
    width: float | None = None


@dataclass
class Sheet:
    """A sheet's rows (dicts) and columns, with the title and note above them."""

    name: str
    title: str
    note: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    freeze_columns: int = 0  # columns kept in view when scrolling right
    empty: str = "Nothing of this kind in the company's filings."
    styles: list[Callable[[Worksheet, int, dict[str, Any]], None]] = field(default_factory=list)


def _decimals(value: float) -> int:
    for places in range(5):
        if math.isclose(value, round(value, places), rel_tol=0, abs_tol=10 ** -(places + 6)):
            return places
    return 4


def is_percent(unit: str | None) -> bool:
    """Whether a unit is a percentage: the workbook holds it as an Excel percentage (÷100)."""
    return unit == "%"


def number_format(unit: str | None, values: Iterable[float]) -> str:
    """The format for numbers of ``unit``: thousands separators, and as many decimals as the
    values of that unit need (at most four); a percentage as Excel's percent."""
    places = max((_decimals(v) for v in values if v is not None), default=0)
    if is_percent(unit):
        # Stored as a fraction (value / 100); the format shows the percent's own places.
        return "0" + ("." + "0" * places if places else "") + "%"
    return "#,##0" + ("." + "0" * places if places else "")


def _cell_value(column: Column, row: dict[str, Any]) -> Any:
    value = row.get(column.field)
    if value is None:
        return None
    if column.kind == "flag":
        return "Yes" if value else "No"
    if column.kind == "number" and is_percent(_unit_of(column, row)):
        return value / 100
    if column.kind == "date" and isinstance(value, datetime):
        return value.date()
    return value


def _unit_of(column: Column, row: dict[str, Any]) -> str | None:
    if column.fixed_unit is not None:
        return column.fixed_unit
    return row.get(column.unit) if column.unit else None


def write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    """Title, note, header, rows, number formats, widths and frozen panes of one sheet."""
    ws.title = sheet.name
    ws.cell(row=1, column=1, value=sheet.title).font = _TITLE
    ws.cell(row=2, column=1, value=sheet.note).font = _NOTE
    for i, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=i, value=column.header)
        cell.font, cell.fill = _HEADER, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    # One format per unit on the sheet, so that figures of one unit line up across columns.
    by_unit: dict[str | None, list[float]] = {}
    for column in sheet.columns:
        if column.kind == "number":
            for row in sheet.rows:
                if row.get(column.field) is not None:
                    by_unit.setdefault(_unit_of(column, row), []).append(row[column.field])
    formats = {unit: number_format(unit, values) for unit, values in by_unit.items()}
    widths = [len(c.header) for c in sheet.columns]
    for r, row in enumerate(sheet.rows, start=HEADER_ROW + 1):
        for i, column in enumerate(sheet.columns, start=1):
            value = _cell_value(column, row)
            cell = ws.cell(row=r, column=i, value=value)
            if value is None:
                continue
            if column.kind == "number":
                cell.number_format = formats[_unit_of(column, row)]
                shown = len(f"{row[column.field]:,.2f}")
            elif column.kind == "integer":
                cell.number_format = "0"
                shown = len(str(value))
            elif column.kind == "date":
                cell.number_format = DATE_FORMAT
                shown = len(DATE_FORMAT)
            else:
                shown = len(str(value))
            widths[i - 1] = max(widths[i - 1], shown)
        for style in sheet.styles:
            style(ws, r, row)
    if not sheet.rows:
        ws.cell(row=HEADER_ROW + 1, column=1, value=sheet.empty).font = _NOTE
    for i, column in enumerate(sheet.columns, start=1):
        width = column.width or max(_MIN_WIDTH, min(_MAX_WIDTH, widths[i - 1] + 2))
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=sheet.freeze_columns + 1)
    if sheet.rows:
        last = get_column_letter(len(sheet.columns))
        ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(sheet.rows)}"


def _rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any]
) -> list[dict[str, Any]]:
    cursor = con.execute(sql, dict(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _where(file: str | None, line: int | None, page: int | None) -> str | None:
    if file is None:
        return None
    at = [f"page {page}"] if page is not None else []
    at += [f"line {line}"] if line is not None else []
    return ", ".join([file, *at])


# -- quarterly financials ------------------------------------------------------------------

_PERIODS = ("q1", "q2", "q3", "q4", "fy")

# The view's values, and for each of its cells the fact it shows: the latest fact of that
# line item, unit and period whose value the view took (it takes the max of the latest).
_QUARTERLY_SQL = f"""
with
qf as (
    select * from bi.quarterly_financials where company_id = $company
),
facts as (
    select
        f.line_item, f.fiscal_year, f.unit, f.value, f.is_derived, f.source_line,
        f.source_page, d.source_file,
        case when f.months = 12 then 'fy' else 'q' || f.fiscal_quarter end as period,
        annual.source_line as annual_line, annual_filing.source_file as annual_file,
        nine.source_line as nine_line, nine_filing.source_file as nine_file,
    from {MARTS}.fct_financial_facts f
    left join {MARTS}.dim_filing d on d.filing_id = f.filing_id
    left join {MARTS}.fct_financial_facts annual on annual.fact_id = f.derived_from_annual_fact_id
    left join {MARTS}.dim_filing annual_filing on annual_filing.filing_id = annual.filing_id
    left join {MARTS}.fct_financial_facts nine
        on nine.fact_id = f.derived_from_nine_months_fact_id
    left join {MARTS}.dim_filing nine_filing on nine_filing.filing_id = nine.filing_id
    where f.company_id = $company and f.is_latest and f.months in (3, 12)
),
sources as (
    select
        line_item, fiscal_year, unit, period, value,
        first(
            struct_pack(source_file, source_line, source_page, is_derived, annual_file,
                        annual_line, nine_file, nine_line)
            order by source_file, source_line nulls last, source_page
        ) as src,
    from facts
    group by all
)
select qf.*,
    {", ".join(f"s_{p}.src as src_{p}" for p in _PERIODS)}
from qf
{
    " ".join(
        f"left join sources s_{p} on s_{p}.line_item = qf.line_item"
        f" and s_{p}.fiscal_year = qf.fiscal_year and s_{p}.unit is not distinct from qf.unit"
        f" and s_{p}.period = '{p}' and s_{p}.value = qf.{p}"
        for p in _PERIODS
    )
}
order by qf.line_item, qf.unit, qf.fiscal_year
"""


def _source_text(src: dict[str, Any] | None) -> str | None:
    if not src:
        return None
    if src["is_derived"]:
        return (
            f"derived: {_where(src['annual_file'], src['annual_line'], None)} (12 months)"
            f" minus {_where(src['nine_file'], src['nine_line'], None)} (9 months)"
        )
    return _where(src["source_file"], src["source_line"], src["source_page"])


def _mark_derived_q4(ws: Worksheet, r: int, row: dict[str, Any]) -> None:
    if row["q4_is_derived"] and row.get("q4") is not None:
        cell = ws.cell(row=r, column=_QUARTERLY_Q4_COLUMN)
        cell.font, cell.fill = _DERIVED, _DERIVED_FILL
        cell.comment = Comment(
            "Q4 derived: the fiscal year minus the nine months (not printed in any filing). "
            + (row["q4_source"] or ""),
            "warehouse",
        )


_QUARTERLY_COLUMNS = [
    Column("Line item", "line_item", width=40),
    Column("Label as printed", "label", width=36),
    Column("Fiscal year", "fiscal_year", "integer"),
    Column("Unit", "unit"),
    *[Column(p.upper(), p, "number", unit="unit") for p in _PERIODS],
    Column("Q4 derived", "q4_is_derived", "flag"),
    *[Column(f"{p.upper()} source (filing, line)", f"{p}_source", width=44) for p in _PERIODS],
]
_QUARTERLY_Q4_COLUMN = 1 + [c.field for c in _QUARTERLY_COLUMNS].index("q4")


def quarterly_sheet(con: duckdb.DuckDBPyConnection, company_id: str, name: str) -> Sheet:
    """``bi.quarterly_financials`` of the company, with the filing and line of each value."""
    rows = _rows(con, _QUARTERLY_SQL, {"company": company_id})
    for row in rows:
        for p in _PERIODS:
            row[f"{p}_source"] = _source_text(row.pop(f"src_{p}"))
    return Sheet(
        SHEET_QUARTERLY,
        f"{name}: quarterly financials",
        "bi.quarterly_financials: the latest value of each line item per fiscal quarter and"
        " year, as printed (expenses negative). A Q4 the company never printed is derived as"
        " the fiscal year minus the nine months: shaded, 'Q4 derived' = Yes, with a comment.",
        _QUARTERLY_COLUMNS,
        rows,
        freeze_columns=2,
        styles=[_mark_derived_q4],
    )


# -- resources and reserves ----------------------------------------------------------------


def _measure_field(key: tuple[str, str, str | None]) -> str:
    return "|".join(k or "" for k in key)


def resources_sheet(con: duckdb.DuckDBPyConnection, company_id: str, name: str) -> Sheet:
    """Every current estimate (as ``bi.mineral_inventory`` selects them), one row each, with
    a grade and a contained column per commodity the company reports."""
    rows = _rows(
        con,
        f"""
        select e.estimate_id, e.deposit, e.zone, e.category, e.is_reserve, e.is_subtotal,
            e.effective_date, e.cutoff_value, e.cutoff_unit, e.tonnage_mt,
            p.property_name, d.source_file, e.source_line, e.source_page, e.estimate_index
        from {MARTS}.fct_mineral_estimates e
        left join {MARTS}.dim_filing d on d.filing_id = e.filing_id
        left join {MARTS}.dim_property p on p.property_id = e.property_id
        where e.company_id = $company and e.is_current_version and not e.is_historical
        order by e.effective_date desc nulls last, d.source_file, e.estimate_index
        """,
        {"company": company_id},
    )
    grades = _rows(
        con,
        f"""
        select estimate_id, commodity, grade, grade_unit, contained, contained_unit
        from {MARTS}.fct_mineral_grades
        where company_id = $company and is_current_version
        """,
        {"company": company_id},
    )
    by_id = {row["estimate_id"]: row for row in rows}
    measures: dict[tuple[str, str, str | None], int] = {}  # (commodity, what, unit) -> count
    for g in grades:
        row = by_id.get(g["estimate_id"])
        if row is None:
            continue
        for what, value, unit in (
            ("grade", g["grade"], g["grade_unit"]),
            ("contained", g["contained"], g["contained_unit"]),
        ):
            if value is not None:
                key = (g["commodity"], what, unit)
                row[_measure_field(key)] = value
                measures[key] = measures.get(key, 0) + 1
    # The company's main commodity first (the most estimates), then by name.
    counts: dict[str, int] = {}
    for (commodity, _, _), n in measures.items():
        counts[commodity] = counts.get(commodity, 0) + n
    measure_columns = [
        Column(
            f"{c} {what} ({unit})" if unit else f"{c} {what}",
            _measure_field(key),
            "number",
            fixed_unit=unit or "",
        )
        for c in sorted(counts, key=lambda c: (-counts[c], c))
        for what in ("grade", "contained")
        for key in sorted((k for k in measures if k[0] == c and k[1] == what), key=str)
        for unit in [key[2]]
    ]
    for row in rows:
        row["kind"] = "Reserve" if row["is_reserve"] else "Resource"
        row["category"] = (row["category"] or "").replace("_", " & ").title() or None
    return Sheet(
        SHEET_RESOURCES,
        f"{name}: mineral resources and reserves",
        "fct_mineral_estimates with fct_mineral_grades: the current version of each filing's"
        " estimates (historical estimates left out, as in bi.mineral_inventory), 100% basis;"
        " tonnage in million tonnes, grades and contained metal per commodity.",
        [
            Column("Property", "property_name"),
            Column("Deposit", "deposit"),
            Column("Zone", "zone"),
            Column("Resource or reserve", "kind"),
            Column("Category", "category"),
            Column("Subtotal", "is_subtotal", "flag"),
            Column("Effective date", "effective_date", "date"),
            Column("Cut-off", "cutoff_value", "number", unit="cutoff_unit"),
            Column("Cut-off unit", "cutoff_unit"),
            Column("Tonnage (Mt)", "tonnage_mt", "number", fixed_unit="Mt"),
            *measure_columns,
            Column("Filing", "source_file"),
            Column("Line", "source_line", "integer"),
            Column("Page", "source_page", "integer"),
        ],
        rows,
        freeze_columns=2,
    )


# -- study economics -------------------------------------------------------------------------


def studies_sheet(con: duckdb.DuckDBPyConnection, company_id: str, name: str) -> Sheet:
    """``fct_study_economics`` of the current filing versions, one row per figure."""
    rows = _rows(
        con,
        f"""
        select s.property_name, s.study_type, s.scenario, s.metric, s.commodity,
            s.discount_rate_pct, s.pre_tax, s.value, s.unit, s.extracted_from,
            d.source_file, s.source_line, s.source_page
        from {MARTS}.fct_study_economics s
        left join {MARTS}.dim_filing d on d.filing_id = s.filing_id
        where s.company_id = $company and s.is_current_version
        order by s.property_name, s.study_type, d.source_file, s.metric_index
        """,
        {"company": company_id},
    )
    for row in rows:
        row["tax_basis"] = {True: "pre-tax", False: "after-tax"}.get(row.pop("pre_tax"))
    return Sheet(
        SHEET_STUDIES,
        f"{name}: study economics",
        "fct_study_economics: each figure of a technical study (PEA, PFS, FS) as printed, by"
        " property, study and scenario.",
        [
            Column("Property", "property_name"),
            Column("Study", "study_type"),
            Column("Scenario", "scenario"),
            Column("Metric", "metric"),
            Column("Commodity", "commodity"),
            Column("Discount rate", "discount_rate_pct", "number", fixed_unit="%"),
            Column("Tax basis", "tax_basis"),
            Column("Value", "value", "number", unit="unit"),
            Column("Unit", "unit"),
            Column("Read from", "extracted_from"),
            Column("Filing", "source_file"),
            Column("Line", "source_line", "integer"),
            Column("Page", "source_page", "integer"),
        ],
        rows,
        freeze_columns=1,
    )


# -- operating results -------------------------------------------------------------------------


def operating_sheet(con: duckdb.DuckDBPyConnection, company_id: str, name: str) -> Sheet:
    """The latest figure (``is_latest``) of each mine's and the company's operating metrics."""
    rows = _rows(
        con,
        f"""
        select o.scope, coalesce(o.property_name, 'Consolidated') as mine, o.metric,
            o.commodity, o.period_start, o.period_end, o.months, o.fiscal_year,
            o.fiscal_quarter, o.value, o.unit, o.value_as_printed, o.label, o.basis,
            o.extracted_from, d.source_file, o.source_line, o.source_page
        from {MARTS}.fct_operating_results o
        left join {MARTS}.dim_filing d on d.filing_id = o.filing_id
        where o.company_id = $company and o.is_latest and o.is_current_version
        order by o.scope = 'consolidated' desc, o.property_name, o.metric, o.commodity,
            o.unit, o.period_end, o.months
        """,
        {"company": company_id},
    )
    return Sheet(
        SHEET_OPERATING,
        f"{name}: operating results",
        "fct_operating_results, latest figures (is_latest): the most recently filed value of"
        " each metric per mine (or consolidated), commodity, unit and period.",
        [
            Column("Mine", "mine"),
            Column("Scope", "scope"),
            Column("Metric", "metric"),
            Column("Commodity", "commodity"),
            Column("Period start", "period_start", "date"),
            Column("Period end", "period_end", "date"),
            Column("Months", "months", "integer"),
            Column("Fiscal year", "fiscal_year", "integer"),
            Column("Fiscal quarter", "fiscal_quarter", "integer"),
            Column("Value", "value", "number", unit="unit"),
            Column("Unit", "unit"),
            Column("As printed", "value_as_printed"),
            Column("Label as printed", "label", width=36),
            Column("Basis", "basis"),
            Column("Read from", "extracted_from"),
            Column("Filing", "source_file"),
            Column("Line", "source_line", "integer"),
            Column("Page", "source_page", "integer"),
        ],
        rows,
        freeze_columns=3,
    )


# -- findings ------------------------------------------------------------------------------


def findings_sheet(con: duckdb.DuckDBPyConnection, company_id: str, name: str) -> Sheet:
    """The company's check results that did not pass (warnings and errors), with messages."""
    passing = ", ".join(f"'{s}'" for s in PASSING_STATUSES)
    rows = _rows(
        con,
        f"""
        select severity, status, check_family, check_name, source_file, table_index,
            source_line, subject, expected, observed, unit, message, checked_at
        from {CHECK_RESULTS_TABLE}
        where company_id = $company and status not in ({passing})
        order by severity = 'error' desc, source_file, source_line, check_name, check_id
        """,
        {"company": company_id},
    )
    for row in rows:
        row["table"] = None if row["table_index"] is None else row.pop("table_index") + 1
    return Sheet(
        SHEET_FINDINGS,
        f"{name}: findings of the checks",
        "audit.check_results: the company's checks that did not pass (errors first, then"
        " warnings), with the filing and line they are about.",
        [
            Column("Severity", "severity"),
            Column("Status", "status"),
            Column("Family", "check_family"),
            Column("Check", "check_name"),
            Column("Filing", "source_file"),
            Column("Table", "table", "integer"),
            Column("Line", "source_line", "integer"),
            Column("Expected", "expected", "number", unit="unit"),
            Column("Observed", "observed", "number", unit="unit"),
            Column("Unit", "unit"),
            Column("Message", "message", width=100),
        ],
        rows,
        freeze_columns=1,
        empty="No warnings or errors: every check on this company's filings passed.",
    )


SHEETS = (quarterly_sheet, resources_sheet, operating_sheet, studies_sheet, findings_sheet)


# Columns that change with every publish or check run, not with the company's data.
_RUN_COLUMNS = {"run_id", "checked_at", "published_at"}


def company_signatures(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """company_id -> a signature of everything its workbook is read from: every published
    table with a company_id column, row by row (run ids and times left out), and this
    module's code. Equal signatures, equal workbooks, so an unchanged company's workbook
    is kept rather than written again (a few aggregate queries instead of its sheets)."""
    columns: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in con.execute(
        "SELECT c.schema_name, c.table_name, c.column_name FROM duckdb_columns() c"
        " JOIN duckdb_tables() t USING (database_name, schema_name, table_name)"
        " WHERE c.database_name = current_database() ORDER BY 1, 2, c.column_index"
    ).fetchall():
        columns.setdefault((schema, table), []).append(column)
    parts: dict[str, list[str]] = {}
    for (schema, table), names in sorted(columns.items()):
        if "company_id" not in names:
            continue
        hashed = ", ".join(f'"{c}"' for c in names if c not in _RUN_COLUMNS)
        for company_id, rows, total in con.execute(
            f'SELECT company_id, count(*), sum(hash(row({hashed})))::HUGEINT FROM "{schema}"."{table}"'
            " GROUP BY company_id"
        ).fetchall():
            parts.setdefault(company_id, []).append(f"{schema}.{table} {rows} {total}")
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    return {
        company_id: hashlib.sha256("\n".join([code, *sorted(lines)]).encode()).hexdigest()
        for company_id, lines in parts.items()
        if company_id is not None
    }


def companies(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(company_id, company_name) of every company in the published warehouse."""
    return con.execute(
        f"select company_id, coalesce(company_name, company_id) from {MARTS}.dim_company"
        " order by company_id"
    ).fetchall()


def write_workbook(
    con: duckdb.DuckDBPyConnection, company_id: str, name: str, path: Path, published: date
) -> None:
    """The company's workbook at ``path``: one sheet per ``SHEETS`` entry."""
    wb = Workbook()
    wb.remove(wb.active)
    for build in SHEETS:
        sheet = build(con, company_id, name)
        sheet.note += f" Published {published:%Y-%m-%d %H:%M} UTC."
        write_sheet(wb.create_sheet(), sheet)
    wb.properties.title = f"{name}: filings warehouse export"
    wb.properties.creator = "mining-filings-warehouse"
    wb.save(path)
