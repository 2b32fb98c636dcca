"""End to end: read the published warehouse the whole pipeline built.

Exact values from each table family of the contract, checked against the filings
themselves: our samples (three companies: three Kestrel filings with a restatement and a
derived Q4, a one-mine and a two-mine producer) and the real annual MD&A in ../shared, each built once per session
(``conftest.sample_warehouse`` through the CLI, ``conftest.real_warehouse``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import duckdb
import pytest

from conftest import GARBAGE_NAME, REAL_FILING, BuiltWarehouse

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def samples(sample_warehouse: BuiltWarehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(sample_warehouse.published), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def real(real_warehouse: BuiltWarehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    """The real filing's warehouse (an unreadable file beside it is quarantined)."""
    con = duckdb.connect(str(real_warehouse.published), read_only=True)
    yield con
    con.close()


def rows(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def one(con, sql, *params):
    (row,) = rows(con, sql, *params)
    return row


# -- the real filing -----------------------------------------------------------------


def test_real_dim_filing_and_company(real) -> None:
    assert one(
        real,
        """
        select company_name, report_type, period_type, period_start, period_end, fiscal_year,
               currency, accounting_basis, effective_date, content_sha256, status
        from marts.dim_filing where source_file = ?""",
        REAL_FILING.name,
    ) == (
        "Entrée Gold Inc.",
        "MD&A",
        "annual",
        date(2012, 1, 1),
        date(2012, 12, 31),
        2012,
        "USD",
        "US GAAP",
        date(2013, 3, 28),
        "a1a18bfb49523988038ba097a47426c6b0f3f3c33a9246cb196261e8aa4d091c",
        "parsed",
    )
    name, tickers = one(real, "select company_name, tickers from marts.dim_company")
    assert name == "Entrée Gold Inc." and "TSX:ETG" in tickers


def test_real_financial_facts_one_value_per_concept(real) -> None:
    values = rows(
        real,
        """
        select distinct value from marts.fct_financial_facts
        where line_item = 'net_income' and period_id = '2012-12-31/12m'""",
    )
    assert values == [(-15196129.0,)]
    assert one(
        real,
        """
        select value, reported_value, unit, source_line, period_start, months
        from marts.fct_financial_facts
        where line_item = 'exploration_expense' and period_id = '2012-12-31/3m'""",
    )[:4] == (-987942.0, 987942.0, "USD", 562)
    assert one(
        real,
        """
        select value, months, period_start from marts.fct_financial_facts
        where line_item = 'working_capital' and period_end = '2012-12-31' and is_latest""",
    ) == (4699256.0, 0, None)
    assert one(
        real,
        """
        select start_date, months, fiscal_quarter from marts.dim_period
        where period_id = '2012-09-30/3m'""",
    )[1:] == (3, 3)


def test_real_property_hierarchy(real) -> None:
    parents = dict(
        rows(
            real,
            """
        select p.property_name, parent.property_name from marts.dim_property p
        left join marts.dim_property parent on p.parent_property_id = parent.property_id""",
        )
    )
    assert parents["Hugo North Extension"] == "Shivee Tolgoi"
    assert parents["Heruga"] == "Javhlant"
    assert parents["Shivee Tolgoi"] == parents["Javhlant"] == "Lookout Hill"
    assert parents["Blue Hill"] == parents["Ann Mason"] == "Ann Mason Project"
    assert {"Lordsburg", "Oak Grove", "Shamrock", "Eagle Flats", "Mystique", "Lukkacha"} <= set(
        parents
    )
    assert one(
        real,
        """select country, region, interest_pct from marts.dim_property
                       where property_name = 'Blue Rose Joint Venture'""",
    ) == ("Australia", "South Australia", 51.6)


def test_real_mineral_estimates_and_grades(real) -> None:
    assert one(
        real,
        """
        select category, is_reserve, is_subtotal, tonnage_mt, effective_date::varchar
        from marts.fct_mineral_estimates where source_line = 164""",
    ) == ("probable", True, False, 31.0, "2013-03-25")
    assert one(
        real,
        """
        select deposit, category, cutoff_value, cutoff_unit, tonnage_mt, reported_tonnage_unit
        from marts.fct_mineral_estimates where source_line = 305""",
    ) == ("Ann Mason", "indicated", 0.2, "% Cu", 1137.0, "Mt")
    grades = {
        r[0]: r[1:]
        for r in rows(
            real,
            """
        select g.commodity, g.grade, g.grade_unit, g.contained, g.contained_unit,
               g.reported_grade, g.reported_grade_unit, g.reported_contained,
               g.reported_contained_unit
        from marts.fct_mineral_grades g join marts.fct_mineral_estimates e using (estimate_id)
        where e.source_line = 200""",
        )
    }
    assert grades["Mo"][:2] == (0.00357, "%") and grades["Mo"][4:6] == (35.7, "ppm")
    assert grades["Cu"] == (1.65, "%", 4800.0, "Mlb", 1.65, "%", 4800.0, "Mlb")
    blb = one(
        real,
        """
        select g.contained, g.reported_contained, g.reported_contained_unit
        from marts.fct_mineral_grades g join marts.fct_mineral_estimates e using (estimate_id)
        where e.source_line = 305 and g.commodity = 'Cu'""",
    )
    assert blb == (8150.0, 8.15, "Blb")
    assert one(
        real,
        """select count(*) from marts.fct_mineral_estimates
                       where is_subtotal and source_line in (165, 335)""",
    ) == (2,)


def test_real_study_economics(real) -> None:
    npv = dict(
        rows(
            real,
            """
        select discount_rate_pct, value from marts.fct_study_economics
        where metric = 'npv' and scenario = 'base' and source_line between 281 and 283""",
        )
    )
    assert npv == {5.0: 1918.0, 7.5: 1106.0, 10.0: 576.0}
    assert one(
        real,
        """
        select study_type, unit from marts.fct_study_economics
        where metric = 'irr' and scenario = 'spot' and source_line = 284""",
    ) == ("PEA", "%")


def test_real_checks_recorded_and_none_failed(real) -> None:
    statuses = dict(
        rows(
            real,
            "select status, count(*) from audit.check_results"
            " where source_file is distinct from ? group by 1",
            GARBAGE_NAME,
        )
    )
    assert statuses.get("pass", 0) > 50
    assert statuses.get("fail", 0) == 0 and statuses.get("error", 0) == 0
    # The errors there are the unreadable file's: it could not be parsed.
    assert rows(
        real,
        "select distinct source_file, check_name from audit.check_results where status = 'error'",
    ) == [(GARBAGE_NAME, "filing_parsed")]


# -- our samples -----------------------------------------------------------------------


def test_samples_three_companies_six_filings(samples) -> None:
    assert rows(samples, "select company_name from marts.dim_company order by 1") == [
        ("Harrier Lake Gold Corp.",),
        ("Kestrel Ridge Copper Corp.",),
        ("Wattle Creek Gold Limited",),
    ]
    assert one(
        samples, "select count(*), count(*) filter (status = 'parsed') from marts.dim_filing"
    ) == (6, 6)


def test_samples_restatement_is_visible_and_latest_wins(samples) -> None:
    latest = one(
        samples,
        """
        select value, previous_value, is_restated from marts.fct_financial_facts
        where company_id like 'kestrel%' and line_item = 'net_income'
          and period_id = '2023-12-31/12m' and is_latest""",
    )
    assert latest == (-18307337.0, -18121337.0, True)
    restated = rows(
        samples,
        """
        select old_value, new_value from bi.restatements
        where line_item = 'net_income' and period_id = '2023-09-30/3m'""",
    )
    assert restated == [(-4453107.0, -4639107.0)]


def test_samples_derived_q4_only_where_missing(samples) -> None:
    derived = rows(
        samples,
        """
        select line_item, value from marts.fct_financial_facts
        where is_derived and period_id = '2024-12-31/3m' and line_item in
              ('net_income', 'exploration_expense', 'general_and_administrative_expense')
          and company_id like 'kestrel%'
        order by 1""",
    )
    assert derived == [
        ("exploration_expense", -2904117.0),
        ("general_and_administrative_expense", -1176095.0),
        ("net_income", -4978341.0),
    ]
    # Q4 2023 is printed in the 2023 quarterly table: never derived beside it. Lines that
    # no table prints by quarter (expenditures by region) are derived for 2023 too.
    assert rows(
        samples,
        """select count(*) from marts.fct_financial_facts
                           where is_derived and period_id = '2023-12-31/3m'
                             and line_item in ('net_income', 'exploration_expense')""",
    ) == [(0,)]
    assert one(
        samples,
        """select value from marts.fct_financial_facts
                          where is_derived and period_id = '2023-12-31/3m'
                            and line_item = 'mineral_property_expenditures__chile'""",
    ) == (1478593.0,)
    q = one(
        samples,
        """select q1, q2, q3, q4, fy, q4_is_derived from bi.quarterly_financials
                       where company_id like 'kestrel%' and line_item = 'net_income'
                         and fiscal_year = 2024""",
    )
    assert q == (-3216260.0, -4389008.0, -5080667.0, -4978341.0, -17664276.0, True)


def test_samples_aud_thousands_and_gold_resource(samples) -> None:
    assert one(
        samples,
        """
        select value, unit, period_start::varchar from marts.fct_financial_facts
        where company_id like 'wattle%' and line_item = 'revenue'
          and period_id = '2024-06-30/12m'""",
    ) == (247311000.0, "AUD", "2023-07-01")
    assert one(
        samples,
        """
        select e.category, e.is_subtotal, e.tonnage_mt, g.grade, g.contained, g.contained_unit
        from marts.fct_mineral_estimates e join marts.fct_mineral_grades g using (estimate_id)
        where e.filing_id in (select filing_id from marts.dim_filing
                              where company_name like 'Wattle%')
          and e.source_line = 120""",
    ) == ("measured_indicated", True, 25.21, 1.72, 1.391, "Moz")


def test_samples_attributable_resources_use_the_interest(samples) -> None:
    # Halcon licence, 80% interest, hosts the South Zone deposit (answer key #43, #27).
    row = rows(
        samples,
        """
        select interest_pct, tonnage_mt, attributable_tonnage_mt from bi.attributable_resources
        where deposit = 'South Zone' and category = 'indicated'""",
    )
    assert row and all(abs(r[2] - r[0] / 100 * r[1]) < 1e-9 for r in row)


def test_samples_columns_carry_comments_for_bi_tools(samples) -> None:
    missing = rows(
        samples,
        """
        select table_name, column_name from duckdb_columns()
        where schema_name in ('marts', 'bi') and (comment is null or comment = '')
          and column_name not in ('company_signature', 'built_by_invocation_id')""",
    )
    assert missing == []
