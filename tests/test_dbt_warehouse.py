"""dbt builds the marts from hand-made raw rows: exact values for the tricky parts.

The raw rows are made up here (two companies, restated comparatives, a nine-month and an
annual filing for Q4 derivation, a superseded version, a failed filing, properties with a
hierarchy, reserves whose grades the parser already normalised) so every expected value is
known. dbt's own unit tests run inside the same ``dbt build``.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    BuiltWarehouse,
    estimate,
    fact,
    filing,
    grade,
    load_raw,
    merge,
    query,
    run_dbt,
)
from orchestration.filings.records import RAW_FILES_TABLE, failed_filing_row

pytestmark = pytest.mark.dbt

A = "copperhill-mining"
B = "silverline-resources"


def prop(filing_id: str, index: int, name: str, kind: str, **more: Any) -> dict[str, Any]:
    """A ``raw.properties`` row printed at line 200 + ``index``."""
    return {
        "filing_id": filing_id,
        "property_index": index,
        "name": name,
        "kind": kind,
        "line": 200 + index,
        **more,
    }


A_TICKERS = '[{"exchange": "TSX", "symbol": "CPH"}]'
B_TICKERS = '[{"exchange": "TSX-V", "symbol": "SLR"}, {"exchange": "OTCQX", "symbol": "SLRXF"}]'


def company_a() -> dict[str, list]:
    """Copperhill: a nine-month filing in two versions, two annuals, a failed filing."""
    nine = dict(
        company_name="Copperhill Mining Corp.",
        period_type="nine_months",
        period_start=date(2012, 1, 1),
        period_end=date(2012, 9, 30),
        fiscal_year=2012,
        effective_date=date(2012, 11, 10),
        tickers=A_TICKERS,
    )
    a1v1 = merge(
        filing("a1v1", "copperhill-2012-q3", 1, "2012-11-12T09:00:00", **nine),
        {"facts": [fact("a1v1", 0, "revenue", "2012-09-30", 9, 950, start="2012-01-01")]},
    )
    a1v2 = merge(
        filing("a1v2", "copperhill-2012-q3", 2, "2012-11-20T09:00:00", **nine),
        {
            "facts": [
                fact("a1v2", 0, "revenue", "2012-09-30", 9, 900, start="2012-01-01"),
                fact("a1v2", 1, "exploration_expense", "2012-09-30", 9, -300, start="2012-01-01"),
                fact("a1v2", 2, "revenue", "2012-09-30", 3, 300),
                fact("a1v2", 3, "cash", "2012-09-30", 0, 5000),
                fact("a1v2", 4, "revenue", "2011-09-30", 9, 800),
                fact("a1v2", 5, "basic_eps", "2012-09-30", 9, 0.07, unit="USD/share"),
                fact("a1v2", 6, "general_and_administrative", "2012-09-30", 9, -90),
            ]
        },
    )
    a2 = merge(
        filing(
            "a2",
            "copperhill-2012-annual",
            1,
            "2013-03-22T09:00:00",
            company_name="COPPERHILL MINING CORPORATION",
            period_type="annual",
            period_start=date(2012, 1, 1),
            period_end=date(2012, 12, 31),
            fiscal_year=2012,
            effective_date=date(2013, 3, 20),
            tickers=A_TICKERS,
        ),
        {
            "facts": [
                fact("a2", 0, "revenue", "2012-12-31", 12, 1250),
                fact("a2", 1, "exploration_expense", "2012-12-31", 12, -420),
                fact("a2", 2, "cash", "2012-12-31", 0, 4_500_000, scale=1000),
                fact("a2", 3, "revenue", "2011-12-31", 12, 1000),
                fact("a2", 4, "basic_eps", "2012-12-31", 12, 0.10, unit="USD/share"),
                fact("a2", 5, "revenue", "2012-12-31", 12, 1250),
                fact("a2", 6, "general_and_administrative", "2012-12-31", 12, -130),
            ],
            "properties": [
                prop("a2", 0, "Copperhill Project", "project", country="Chile", interest_pct=80.0),
                prop("a2", 1, "Main Zone", "deposit", parent="Copperhill Project"),
            ],
            "issues": [
                {
                    "filing_id": "a2",
                    "issue_index": 0,
                    "line": 42,
                    "kind": "unparsed_number",
                    "reason": "cannot read '1,2O0'",
                    "text": "Revenue 1,2O0",
                    "table_index": 0,
                }
            ],
        },
    )
    a3 = merge(
        filing(
            "a3",
            "copperhill-2013-annual",
            1,
            "2014-03-27T09:00:00",
            company_name="Copperhill Mining Corp",
            period_type="annual",
            period_start=date(2013, 1, 1),
            period_end=date(2013, 12, 31),
            fiscal_year=2013,
            effective_date=date(2014, 3, 25),
            tickers=A_TICKERS,
        ),
        {
            "facts": [
                fact("a3", 0, "revenue", "2013-12-31", 12, 1500),
                fact("a3", 1, "revenue", "2012-12-31", 12, 1200),
                fact("a3", 2, "cash", "2012-12-31", 0, 4_500_200),
                fact("a3", 3, "exploration_expense", "2012-12-31", 3, -125),
                fact("a3", 4, "revenue", "2013-12-31", 3, 400),
                fact("a3", 5, "net_loss", "2013-12-31", 12, -50),
            ],
            "properties": [
                prop(
                    "a3",
                    0,
                    "Copperhill Project",
                    "project",
                    country="Chile",
                    region="Atacama",
                    interest_pct=85.0,
                ),
                prop("a3", 1, "Main Zone", "deposit", parent="Copperhill Project"),
                prop("a3", 2, "East Extension", "zone", parent="Copperhill District"),
            ],
            "estimates": [
                estimate("a3", 0, "Main Zone", "probable", 50.0),
                estimate("a3", 1, "Copperhill", "indicated", 120.0),
                estimate("a3", 2, "Unknown Hill", "inferred", 5.0),
            ],
            "estimate_grades": [
                grade("a3", 0, "Cu", 0.45, "%", 496.0, "Mlb"),
                grade("a3", 0, "Mo", 0.012, "%", None, None),
                # a grade a parser version left in ppm: the warehouse converts it to %
                grade("a3", 1, "copper", 4500.0, "ppm", 1190.5, "Mlbs"),
            ],
            "economics": [
                {
                    "filing_id": "a3",
                    "metric_index": 0,
                    "study_type": "pfs",
                    "property": "Copperhill",
                    "scenario": "Base",
                    "metric": "NPV",
                    "value": 450.0,
                    "unit": "USD million",
                    "discount_rate_pct": 8.0,
                    "line": 400,
                },
                {
                    "filing_id": "a3",
                    "metric_index": 1,
                    "study_type": "PFS",
                    "property": "Copperhill Project",
                    "scenario": "base",
                    "metric": "irr",
                    "value": 22.0,
                    "unit": "%",
                    "line": 401,
                },
            ],
        },
    )
    failed = {
        "filings": [
            failed_filing_row(
                "a4",
                "copperhill-2014-q1.txt",
                datetime(2014, 5, 15, 9),
                "test",
                "copperhill-2014-q1.txt: binary content, not a text filing",
                filing_key="copperhill-2014-q1",
                version=1,
            )
        ],
        RAW_FILES_TABLE: [
            {
                "content_sha256": "a4",
                "file_name": "copperhill-2014-q1.txt",
                "size_bytes": 10,
                "content": b"\x00",
                "seen_at": datetime(2014, 5, 15, 9),
                "filing_key": "copperhill-2014-q1",
                "version": 1,
            }
        ],
    }
    return merge(a1v1, a1v2, a2, a3, failed)


def company_b() -> dict[str, list]:
    """Silverline: a June year end, quarters printed directly, a property hierarchy."""
    return merge(
        filing(
            "b1",
            "silverline-2012-annual",
            1,
            "2012-09-28T09:00:00",
            company_name="Silverline Resources Ltd.",
            period_type="annual",
            period_start=date(2011, 7, 1),
            period_end=date(2012, 6, 30),
            fiscal_year=2012,
            effective_date=date(2012, 9, 25),
            tickers=B_TICKERS,
        ),
        {
            "facts": [
                fact("b1", 0, "revenue", "2012-06-30", 12, 800, start="2011-07-01"),
                fact("b1", 1, "revenue", "2012-06-30", 3, 210),
                fact("b1", 2, "revenue", "2011-09-30", 3, 190),
                fact("b1", 3, "revenue", "2012-03-31", 9, 590, start="2011-07-01"),
            ],
            "properties": [
                prop(
                    "b1",
                    0,
                    "Silver Ridge Project",
                    "project",
                    country="Canada",
                    region="British Columbia",
                    interest_pct=60.0,
                ),
                prop("b1", 1, "North Vein Deposit", "deposit", parent="Silver Ridge Project"),
            ],
            "estimates": [
                estimate(
                    "b1", 0, "North Vein", "Measured & Indicated", 10.0, effective="2012-06-30"
                ),
                estimate("b1", 1, "North Vein", "inferred", 4.0, effective="2012-06-30"),
            ],
            "estimate_grades": [
                # the parser already turned the printed ppm into g/t
                grade("b1", 0, "Ag", 150.0, "g/t", 48.2, "Moz", reported_grade_unit="ppm"),
                grade("b1", 0, "Au", 0.5, "g/t", 0.16, "Moz", reported_grade_unit="ppm"),
                grade("b1", 1, "Ag", 120.0, "g/t", 15.4, "Moz", reported_grade_unit="ppm"),
            ],
        },
    )


def invocation_id(work: Path) -> str:
    return json.loads((work / "target" / "run_results.json").read_text())["metadata"][
        "invocation_id"
    ]


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(build DB, dbt work dir, invocation id) of both companies' raw rows after ``dbt build``.

    The build runs dbt's unit tests too: a failing one fails this fixture.
    """
    work = tmp_path_factory.mktemp("dbt_warehouse")
    db = work / "build.duckdb"
    load_raw(db, merge(company_a(), company_b()))
    run_dbt(db, work, "build")
    return db, work, invocation_id(work)


@pytest.fixture(scope="module")
def warehouse(first_build: tuple[Path, Path, str]) -> Path:
    """The first build's database, for tests that only read it."""
    return first_build[0]


def facts(db: Path, company: str, line_item: str, period_id: str) -> list[tuple]:
    return query(
        db,
        f"""
        select filing_id, value, is_latest, is_restated, previous_value, previous_filing_id,
            is_derived, is_current_version
        from marts.fct_financial_facts
        where company_id = '{company}' and line_item = '{line_item}' and period_id = '{period_id}'
        order by filing_id, fact_index
        """,
    )


def test_is_latest_is_the_most_recently_filed_current_version(warehouse: Path) -> None:
    # a1v1 is the superseded first version of the nine-month filing: never latest
    assert facts(warehouse, A, "revenue", "2012-09-30/9m") == [
        ("a1v1", 950.0, False, None, None, None, False, False),
        ("a1v2", 900.0, True, False, None, None, False, True),
    ]
    # the 2013 annual repeats the 2012 balance: it is the latest, within rounding of a2's $000s
    assert facts(warehouse, A, "cash", "2012-12-31/0m") == [
        ("a2", 4_500_000.0, False, False, None, None, False, True),
        ("a3", 4_500_200.0, True, False, 4_500_000.0, "a2", False, True),
    ]


def test_restated_comparative_is_visible(warehouse: Path) -> None:
    # a2 prints revenue twice (two tables): both kept, neither latest
    assert facts(warehouse, A, "revenue", "2012-12-31/12m") == [
        ("a2", 1250.0, False, False, None, None, False, True),
        ("a2", 1250.0, False, False, None, None, False, True),
        ("a3", 1200.0, True, True, 1250.0, "a2", False, True),
    ]
    rows = query(
        warehouse,
        """
        select company_id, line_item, period_id, old_value, old_filing_id, new_value,
            new_filing_id, difference, old_source_file, new_source_file
        from bi.restatements
        """,
    )
    assert rows == [
        (
            A,
            "revenue",
            "2012-12-31/12m",
            1250.0,
            "a2",
            1200.0,
            "a3",
            -50.0,
            "copperhill-2012-annual.txt",
            "copperhill-2013-annual.txt",
        )
    ]


def test_q4_is_derived_only_where_no_filing_prints_it(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select company_id, line_item, period_id, period_start, filing_id, value, reported_value,
            source_line, is_latest
        from marts.fct_financial_facts
        where is_derived
        order by all
        """,
    )
    assert rows == [
        # Q4 2012 from a3's restated annual (1200) - a1v2's nine months (900)
        (
            A,
            "general_and_administrative",
            "2012-12-31/3m",
            date(2012, 10, 1),
            "a2",
            -40.0,
            40.0,
            None,
            True,
        ),
        (A, "revenue", "2011-12-31/3m", date(2011, 10, 1), "a2", 200.0, 200.0, None, True),
        (A, "revenue", "2012-12-31/3m", date(2012, 10, 1), "a3", 300.0, 300.0, None, True),
    ]
    # a3 prints the exploration Q4 itself; eps per share is not additive; Silverline prints its Q4
    printed_q4 = facts(warehouse, A, "exploration_expense", "2012-12-31/3m")
    assert printed_q4 == [("a3", -125.0, True, False, None, None, False, True)]
    assert facts(warehouse, A, "basic_eps", "2012-12-31/3m") == []
    assert facts(warehouse, B, "revenue", "2012-06-30/3m") == [
        ("b1", 210.0, True, False, None, None, False, True)
    ]


def test_periods(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select period_id, start_date, end_date, months, is_instant
        from marts.dim_period
        where period_id in ('2012-09-30/0m', '2012-12-31/3m', '2012-06-30/12m', '2012-09-30/9m')
        order by period_id
        """,
    )
    assert rows == [
        ("2012-06-30/12m", date(2011, 7, 1), date(2012, 6, 30), 12, False),
        ("2012-09-30/0m", None, date(2012, 9, 30), 0, True),
        ("2012-09-30/9m", date(2012, 1, 1), date(2012, 9, 30), 9, False),
        ("2012-12-31/3m", date(2012, 10, 1), date(2012, 12, 31), 3, False),
    ]
    months = {r[0] for r in query(warehouse, "select distinct months from marts.dim_period")}
    assert months == {0, 3, 9, 12}


def test_quarterly_financials_follow_each_company_fiscal_year(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select company_id, line_item, fiscal_year, q1, q2, q3, q4, fy, q4_is_derived
        from bi.quarterly_financials
        where line_item = 'revenue'
        order by company_id, fiscal_year
        """,
    )
    assert rows == [
        (A, "revenue", 2011, None, None, None, 200.0, 1000.0, True),
        (A, "revenue", 2012, None, None, 300.0, 300.0, 1200.0, True),
        (A, "revenue", 2013, None, None, None, 400.0, 1500.0, False),
        # June year end: the quarter to 2011-09-30 is fiscal 2012 Q1
        (B, "revenue", 2012, 190.0, None, None, 210.0, 800.0, False),
    ]


def test_companies(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select company_id, company_name, tickers, fiscal_year_end_month, filing_count
        from marts.dim_company order by company_id
        """,
    )
    assert rows == [
        (A, "Copperhill Mining Corp", "TSX:CPH", 12, 3),
        (B, "Silverline Resources Ltd.", "OTCQX:SLRXF, TSX-V:SLR", 6, 1),
    ]


def test_filing_versions_and_failed_filing(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select filing_id, company_id, status, parse_status, version, is_newest_version,
            is_current_version, filed_order, period_end, error
        from marts.dim_filing order by filing_id
        """,
    )
    assert rows == [
        ("a1v1", A, "parsed", "parsed", 1, False, False, 1, date(2012, 9, 30), None),
        ("a1v2", A, "parsed", "parsed", 2, True, True, 2, date(2012, 9, 30), None),
        ("a2", A, "parsed", "parsed", 1, True, True, 3, date(2012, 12, 31), None),
        ("a3", A, "parsed", "parsed", 1, True, True, 4, date(2013, 12, 31), None),
        (
            "a4",
            None,
            "quarantined",
            "failed",
            1,
            True,
            False,
            None,
            None,
            "copperhill-2014-q1.txt: binary content, not a text filing",
        ),
        ("b1", B, "parsed", "parsed", 1, True, True, 1, date(2012, 6, 30), None),
    ]
    assert query(
        warehouse,
        "select filing_id, filing_key, error, quarantine_reasons from audit.quarantined_filings",
    ) == [
        (
            "a4",
            "copperhill-2014-q1",
            "copperhill-2014-q1.txt: binary content, not a text filing",
            "filing_parsed: File copperhill-2014-q1.txt parsed (status failed: "
            "copperhill-2014-q1.txt: binary content, not a text filing)",
        )
    ]


def test_property_hierarchy_deduplicated_across_filings(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select property_id, property_name, parent_property_id, property_kind, country, region,
            interest_pct, filing_count
        from marts.dim_property order by property_id
        """,
    )
    assert rows == [
        # a3 (85%, Atacama) wins over a2 (80%, no region)
        (f"{A}/copperhill-district", "Copperhill District", None, None, None, None, None, 1),
        (
            f"{A}/copperhill-project",
            "Copperhill Project",
            None,
            "project",
            "Chile",
            "Atacama",
            85.0,
            2,
        ),
        (
            f"{A}/east-extension",
            "East Extension",
            f"{A}/copperhill-district",
            "zone",
            None,
            None,
            None,
            1,
        ),
        (f"{A}/main-zone", "Main Zone", f"{A}/copperhill-project", "deposit", None, None, None, 2),
        (
            f"{B}/north-vein-deposit",
            "North Vein Deposit",
            f"{B}/silver-ridge-project",
            "deposit",
            None,
            None,
            None,
            1,
        ),
        (
            f"{B}/silver-ridge-project",
            "Silver Ridge Project",
            None,
            "project",
            "Canada",
            "British Columbia",
            60.0,
            1,
        ),
    ]


def test_estimates_matched_to_properties_and_grades_in_one_unit(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select e.deposit, e.category, e.property_id, g.commodity, g.grade, g.grade_unit,
            g.contained, g.contained_unit, g.reported_grade, g.reported_grade_unit
        from marts.fct_mineral_estimates e
        left join marts.fct_mineral_grades g using (estimate_id)
        order by e.filing_id, e.estimate_index, g.commodity
        """,
    )
    assert rows == [
        ("Main Zone", "probable", f"{A}/main-zone", "Cu", 0.45, "%", 496.0, "Mlb", 0.45, "%"),
        ("Main Zone", "probable", f"{A}/main-zone", "Mo", 0.012, "%", None, None, 0.012, "%"),
        # "Copperhill" finds "Copperhill Project"; the ppm grade a parser left becomes %
        (
            "Copperhill",
            "indicated",
            f"{A}/copperhill-project",
            "Cu",
            0.45,
            "%",
            1190.5,
            "Mlb",
            4500.0,
            "ppm",
        ),
        ("Unknown Hill", "inferred", None, None, None, None, None, None, None, None),
        (
            "North Vein",
            "measured_indicated",
            f"{B}/north-vein-deposit",
            "Ag",
            150.0,
            "g/t",
            48.2,
            "Moz",
            150.0,
            "ppm",
        ),
        (
            "North Vein",
            "measured_indicated",
            f"{B}/north-vein-deposit",
            "Au",
            0.5,
            "g/t",
            0.16,
            "Moz",
            0.5,
            "ppm",
        ),
        (
            "North Vein",
            "inferred",
            f"{B}/north-vein-deposit",
            "Ag",
            120.0,
            "g/t",
            15.4,
            "Moz",
            120.0,
            "ppm",
        ),
    ]


def test_attributable_resources_use_the_nearest_stated_interest(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select deposit, category, interest_pct, interest_property_id, attributable_tonnage_mt,
            round(attributable_cu_mlb, 6), round(attributable_au_moz, 6),
            round(attributable_ag_moz, 6)
        from bi.attributable_resources
        order by company_id, deposit, category
        """,
    )
    assert rows == [
        ("Copperhill", "indicated", 85.0, f"{A}/copperhill-project", 102.0, 1011.925, None, None),
        ("Main Zone", "probable", 85.0, f"{A}/copperhill-project", 42.5, 421.6, None, None),
        ("Unknown Hill", "inferred", None, None, None, None, None, None),
        ("North Vein", "inferred", 60.0, f"{B}/silver-ridge-project", 2.4, None, None, 9.24),
        (
            "North Vein",
            "measured_indicated",
            60.0,
            f"{B}/silver-ridge-project",
            6.0,
            None,
            0.096,
            28.92,
        ),
    ]
    wide = query(
        warehouse,
        "select cu_pct, cu_mlb, mo_pct from bi.mineral_inventory where deposit = 'Main Zone'",
    )
    assert wide == [(0.45, 496.0, 0.012)]


def test_study_economics(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select property_id, study_type, scenario, metric, discount_rate_pct, value, unit, source_line
        from marts.fct_study_economics order by metric_index
        """,
    )
    assert rows == [
        (f"{A}/copperhill-project", "PFS", "base", "npv", 8.0, 450.0, "USD million", 400),
        (f"{A}/copperhill-project", "PFS", "base", "irr", None, 22.0, "%", 401),
    ]


def test_parse_issues_name_the_filing(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select filing_id, company_id, source_file, source_line, kind from audit.parse_issues",
    )
    assert rows == [("a2", A, "copperhill-2012-annual.txt", 42, "unparsed_number")]


def test_published_view_sql_does_not_depend_on_the_process(warehouse: Path) -> None:
    # DuckDB stores "* EXCLUDE (a, b)" (and REPLACE) with its columns in an order that varies
    # between processes; the publish signature compares view SQL, so such a view made every
    # `make run` republish an unchanged warehouse.
    views = query(
        warehouse,
        "select schema_name, view_name, sql from duckdb_views()"
        " where not internal and schema_name in ('marts', 'bi', 'audit')",
    )
    assert views
    multi = re.compile(r"\b(?:EXCLUDE|REPLACE)\s*\([^()]*,", re.I)
    assert [(s, v) for s, v, sql in views if multi.search(sql)] == []


def test_every_published_column_has_a_comment(
    first_build: tuple[Path, Path, str], tmp_path: Path
) -> None:
    """The descriptions of the dbt docs, on every column of the published file: the publish
    writes them from dbt's manifest (dbt's persist_docs is off; it cost every build 1.3 s)."""
    from orchestration.publish.publisher import publish

    build_db, work, _ = first_build
    manifest = json.loads((work / "target" / "manifest.json").read_text())
    published = publish(build_db, tmp_path / "warehouse", manifest).path
    rows = query(
        published,
        """
        select schema_name, table_name, count(*), count(comment)
        from duckdb_columns()
        where schema_name in ('marts', 'bi', 'audit')
        group by all order by all
        """,
    )
    relations = {(r[0], r[1]) for r in rows}
    assert {
        ("marts", "dim_filing"),
        ("marts", "dim_company"),
        ("marts", "dim_period"),
        ("marts", "dim_property"),
        ("marts", "fct_financial_facts"),
        ("marts", "fct_mineral_estimates"),
        ("marts", "fct_mineral_grades"),
        ("marts", "fct_study_economics"),
        ("marts", "fct_operating_results"),
        ("bi", "mineral_inventory"),
        ("bi", "quarterly_financials"),
        ("bi", "attributable_resources"),
        ("bi", "restatements"),
        ("bi", "company_timeline"),
        ("bi", "resource_history"),
        ("bi", "estimate_restatements"),
        ("audit", "parse_issues"),
        ("audit", "quarantined_filings"),
        ("audit", "audit_allowed_values"),
        ("audit", "check_results"),
        ("audit", "publication"),
        *(
            ("audit", f"audit_{family}")
            for family in (
                "structural",
                "footings",
                "cross_table",
                "contained_metal",
                "grade_tonnage",
                "grades",
                "reserves",
                "economics",
                "narrative",
                "restatements",
                "operating",
            )
        ),
    } == relations
    assert [r for r in rows if r[2] != r[3]] == []
    schemas = {r[0] for r in query(build_db, "select schema_name from duckdb_schemas()")}
    assert not any(s.startswith("main_") for s in schemas)


def test_bi_views_resolve_in_a_copy_under_another_name(warehouse: Path, tmp_path: Path) -> None:
    copy = tmp_path / "warehouse.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    assert query(copy, "select count(*) from bi.restatements") == [(1,)]


def silverline_2013() -> dict[str, list]:
    """A later Silverline annual that restates the 2012 revenue."""
    return merge(
        filing(
            "b2",
            "silverline-2013-annual",
            1,
            "2013-09-24T09:00:00",
            company_name="SILVERLINE RESOURCES LIMITED",
            period_type="annual",
            period_start=date(2012, 7, 1),
            period_end=date(2013, 6, 30),
            fiscal_year=2013,
            effective_date=date(2013, 9, 20),
            tickers=B_TICKERS,
        ),
        {
            "facts": [
                fact("b2", 0, "revenue", "2013-06-30", 12, 900, start="2012-07-01"),
                fact("b2", 1, "revenue", "2012-06-30", 12, 820, start="2011-07-01"),
            ],
            "properties": [
                prop(
                    "b2", 0, "Silver Ridge Project", "project", country="Canada", interest_pct=65.0
                )
            ],
        },
    )


def failed_new_version_of_a1() -> dict[str, list]:
    return {
        "filings": [
            failed_filing_row(
                "a1v3",
                "copperhill-2012-q3.txt",
                datetime(2014, 6, 1, 9),
                "test",
                "copperhill-2012-q3.txt: the file is empty",
                filing_key="copperhill-2012-q3",
                version=3,
            )
        ]
    }


INCREMENTAL_TABLES = (
    "intermediate.int_facts_ranked",
    "marts.fct_financial_facts",
    "marts.fct_mineral_estimates",
    "marts.fct_mineral_grades",
)


def builders(db: Path, table: str) -> dict[str, set[str]]:
    rows = query(db, f"select company_id, built_by_invocation_id from {table}")
    out: dict[str, set[str]] = {}
    for company, inv in rows:
        out.setdefault(company, set()).add(inv)
    return out


@pytest.fixture(scope="module")
def incremental(
    first_build: tuple[Path, Path, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """The first build copied, a Silverline filing and a failed Copperhill version added, built again."""
    source_db, source_work, first = first_build
    work = tmp_path_factory.mktemp("dbt_incremental")
    db = work / "build.duckdb"
    shutil.copy2(source_db, db)
    shutil.copytree(source_work / "target", work / "target")  # dbt's partial parse
    load_raw(db, merge(silverline_2013(), failed_new_version_of_a1()))
    run_dbt(db, work, "build")
    second = invocation_id(work)
    return {"db": db, "work": work, "first": first, "second": second}


def test_incremental_run_rebuilds_only_the_changed_company(incremental: dict[str, Any]) -> None:
    db, first, second = incremental["db"], incremental["first"], incremental["second"]
    for table in ("intermediate.int_facts_ranked", "marts.fct_financial_facts"):
        # a failed new version changes nothing Copperhill's rows were built from
        assert builders(db, table) == {A: {first}, B: {second}}, table
    assert facts(db, B, "revenue", "2012-06-30/12m") == [
        ("b1", 800.0, False, False, None, None, False, True),
        ("b2", 820.0, True, True, 800.0, "b1", False, True),
    ]
    # the failed version 3 does not hide version 2
    assert query(
        db, "select filing_id, is_current_version from marts.dim_filing where filing_id like 'a1%'"
    ) == [("a1v1", False), ("a1v2", True), ("a1v3", False)]
    assert query(
        db,
        f"select interest_pct from marts.dim_property where property_id = '{B}/silver-ridge-project'",
    ) == [(65.0,)]


def test_incremental_run_with_nothing_new_writes_nothing(incremental: dict[str, Any]) -> None:
    db, work = incremental["db"], incremental["work"]
    before = {t: builders(db, t) for t in INCREMENTAL_TABLES}
    run_dbt(db, work, "build", "--exclude-resource-type", "unit_test")
    assert {t: builders(db, t) for t in INCREMENTAL_TABLES} == before


def test_incremental_result_equals_a_full_refresh(
    incremental: dict[str, Any], tmp_path: Path
) -> None:
    db = incremental["db"]
    copy = tmp_path / "build.duckdb"
    copy.write_bytes(db.read_bytes())
    run_dbt(copy, tmp_path, "build", "--full-refresh", "--exclude-resource-type", "unit_test")
    for table in (*INCREMENTAL_TABLES, "marts.dim_period", "bi.quarterly_financials"):
        sql = f"select * exclude (built_by_invocation_id) from {table} order by all"
        if not table.startswith(("intermediate.", "marts.fct")):
            sql = f"select * from {table} order by all"
        assert query(db, sql) == query(copy, sql), table


@pytest.fixture(scope="module")
def samples_warehouse(sample_warehouse: BuiltWarehouse) -> Path:
    """The sample filings' build database, built once per session by the real pipeline."""
    return sample_warehouse.build_db


def test_samples_every_parsed_fact_reaches_the_mart(samples_warehouse: Path) -> None:
    # A table's operating figure ("Gold produced (oz)") is a raw fact that reaches
    # fct_operating_results instead; every other fact reaches fct_financial_facts.
    raw = query(samples_warehouse, "select count(*) from raw.facts")[0][0]
    operating = query(
        samples_warehouse,
        "select count(*) from marts.fct_operating_results where extracted_from = 'table'",
    )[0][0]
    mart = query(
        samples_warehouse, "select count(*) from marts.fct_financial_facts where not is_derived"
    )[0][0]
    assert raw > 0 and operating > 0 and mart == raw - operating


def test_samples_q4_2024_derived_as_the_answer_key_says(samples_warehouse: Path) -> None:
    derived = {
        r[0]
        for r in query(
            samples_warehouse,
            """
            select value from marts.fct_financial_facts
            where company_id = 'kestrel-ridge-copper' and period_id = '2024-12-31/3m'
                and is_derived and is_latest
            """,
        )
    }
    # exploration, general and administrative, net loss (samples/filings/README.md)
    assert {-2_904_117.0, -1_176_095.0, -4_978_341.0} <= derived
    # Q4 2023 net loss is printed in the 2023 annual's quarterly table: not derived
    q4_2023 = query(
        samples_warehouse,
        """
        select printed.is_derived, count(derived.fact_id)
        from marts.fct_financial_facts as printed
        left join marts.fct_financial_facts as derived
            on derived.company_id = printed.company_id
            and derived.line_item = printed.line_item
            and derived.period_id = printed.period_id
            and derived.is_derived
        where printed.company_id = 'kestrel-ridge-copper'
            and printed.period_id = '2023-12-31/3m'
            and printed.is_latest
            and printed.value = -4700531
        group by all
        """,
    )
    assert q4_2023 == [(False, 0)]


def test_samples_restatement_listed(samples_warehouse: Path) -> None:
    rows = set(
        query(
            samples_warehouse,
            """
            select period_id, old_value, new_value from bi.restatements
            where company_id = 'kestrel-ridge-copper'
            """,
        )
    )
    assert ("2023-09-30/3m", 412_600.0, 226_600.0) in rows  # deferred income tax recovery
    assert ("2023-09-30/3m", -4_453_107.0, -4_639_107.0) in rows  # Q3 2023 net loss
    assert ("2023-12-31/12m", -18_121_337.0, -18_307_337.0) in rows  # FY2023 net loss
    # loss per share is unchanged by the restatement
    per_share = query(
        samples_warehouse, "select count(*) from bi.restatements where unit like '%/share'"
    )
    assert per_share == [(0,)]


def test_samples_companies(samples_warehouse: Path) -> None:
    rows = query(
        samples_warehouse,
        "select company_id, fiscal_year_end_month, filing_count from marts.dim_company order by 1",
    )
    assert ("kestrel-ridge-copper", 12, 3) in rows
    assert ("wattle-creek-gold", 6, 1) in rows


PUBLISHED_CONTRACT = {
    "dim_filing": "filing_id company_id company_name report_type period_type period_start "
    "period_end fiscal_year currency accounting_basis effective_date source_file content_sha256 "
    "ingested_at status",
    "dim_company": "company_id company_name tickers",
    "dim_period": "period_id start_date end_date months fiscal_year fiscal_quarter",
    "fct_financial_facts": "fact_id filing_id company_id period_id period_start period_end "
    "months section line_item label value reported_value unit is_total is_latest source_line",
    "dim_property": "property_id company_id property_name parent_property_id property_kind "
    "country region interest_pct",
    "fct_mineral_estimates": "estimate_id filing_id property_id deposit zone category is_reserve "
    "is_subtotal cutoff_value cutoff_unit effective_date tonnage_mt reported_tonnage "
    "reported_tonnage_unit source_line",
    "fct_mineral_grades": "estimate_id commodity grade grade_unit contained contained_unit "
    "reported_grade reported_grade_unit reported_contained reported_contained_unit",
    "fct_study_economics": "filing_id property_id study_type scenario metric discount_rate_pct "
    "commodity value unit source_line",
    "fct_operating_results": "operating_result_id filing_id company_id property_id property_name "
    "scope period_id period_start period_end months metric commodity value unit value_as_printed "
    "source_line is_latest",
}


def test_marts_keep_the_published_column_names(warehouse: Path) -> None:
    for table, names in PUBLISHED_CONTRACT.items():
        columns = {
            r[0]
            for r in query(
                warehouse,
                f"select column_name from duckdb_columns() "
                f"where schema_name = 'marts' and table_name = '{table}'",
            )
        }
        assert set(names.split()) <= columns, (table, set(names.split()) - columns)
