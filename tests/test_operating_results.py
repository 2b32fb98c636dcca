"""End to end: marts.fct_operating_results in the published sample warehouse.

Exact values from the answer key (samples/filings/README.md, rows 90-194 for Harrier Lake,
the Wattle Creek operating tables at lines 28-51), read from the file `make run` publishes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import duckdb
import pytest

from conftest import BuiltWarehouse

pytestmark = pytest.mark.e2e

Q3 = "harrier-lake-2025-q3-mda.txt"
ANNUAL = "harrier-lake-2025-annual-mda.txt"
WATTLE = "wattle-creek-2024-annual-mda.txt"


@pytest.fixture(scope="module")
def samples(sample_warehouse: BuiltWarehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(sample_warehouse.published), read_only=True)
    yield con
    con.close()


def figure(con, file, metric, mine, end, months, source="table"):
    """(value, unit, value_as_printed, source_line) of one figure of one filing."""
    rows = con.execute(
        """
        select o.value, o.unit, o.value_as_printed, o.source_line
        from marts.fct_operating_results o join marts.dim_filing f using (filing_id)
        where f.source_file = ? and o.metric = ? and o.property_name is not distinct from ?
          and o.period_end = ? and o.months = ? and o.extracted_from = ?
        """,
        [file, metric, mine, end, months, source],
    ).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.parametrize(
    ("file", "metric", "mine", "end", "months", "expected"),
    [
        # answer key 108: Loon Narrows gold produced, 3M 2025 and 9M 2024
        (Q3, "metal_produced", "Loon Narrows Mine", date(2025, 9, 30), 3, (20530.0, "oz", "20,530", 60)),
        (Q3, "metal_produced", "Loon Narrows Mine", date(2024, 9, 30), 9, (54797.0, "oz", "54,797", 60)),
        # 117: Sedge Creek ore processed, 9M 2025; 119: head grade; 120: recovery
        (Q3, "ore_processed", "Sedge Creek Mine", date(2025, 9, 30), 9, (671700.0, "t", "671,700", 86)),
        (Q3, "head_grade", "Sedge Creek Mine", date(2025, 9, 30), 3, (2.58, "g/t", "2.58", 88)),
        (Q3, "recovery", "Sedge Creek Mine", date(2024, 9, 30), 3, (89.3, "%", "89.3", 89)),
        # 116 and 118: a strip ratio and a throughput are the printed numbers
        (Q3, "strip_ratio", "Sedge Creek Mine", date(2025, 9, 30), 3, (7.49, "ratio", "7.49", 85)),
        (Q3, "throughput", "Sedge Creek Mine", date(2025, 9, 30), 3, (2514.0, "t/d", "2,514", 87)),
        # 98-101: consolidated price, cash cost, AISC and sustaining capital (US$000s)
        (Q3, "realised_price", None, date(2025, 9, 30), 3, (3452.0, "USD/oz", "3,452", 37)),
        (Q3, "cash_cost", None, date(2025, 9, 30), 9, (1147.0, "USD/oz", "1,147", 38)),
        (Q3, "aisc", None, date(2024, 9, 30), 9, (1891.0, "USD/oz", "1,891", 39)),
        (Q3, "sustaining_capital", None, date(2025, 9, 30), 9, (32235000.0, "USD", "32,235", 40)),
        # 171: the annual's quarterly table, Q4 2025 (printed nowhere else)
        (ANNUAL, "metal_produced", None, date(2025, 12, 31), 3, (37533.0, "oz", "37,533", 51)),
        # 189 and 193: Sedge Creek FY2025
        (ANNUAL, "metal_produced", "Sedge Creek Mine", date(2025, 12, 31), 12, (67904.0, "oz", "67,904", 102)),
        (ANNUAL, "aisc", "Sedge Creek Mine", date(2024, 12, 31), 12, (1824.0, "USD/oz", "1,824", 106)),
        # Wattle Creek: one mine, in Australian dollars, and its "Sep 2023 Qtr" columns
        (WATTLE, "aisc", "Bellbird Gold Mine", date(2024, 6, 30), 12, (2214.0, "AUD/oz", "2,214", 37)),
        (WATTLE, "ore_processed", "Bellbird Gold Mine", date(2024, 6, 30), 12, (1356000.0, "t", "1,356", 31)),
        (WATTLE, "metal_produced", None, date(2023, 9, 30), 3, (16102.0, "oz", "16,102", 50)),
    ],
)  # fmt: skip
def test_table_figures_are_published_exactly(samples, file, metric, mine, end, months, expected):
    assert figure(samples, file, metric, mine, end, months) == expected


def test_prose_figures_are_published_with_their_mine(samples) -> None:
    # answer key 90, 114, 127: the highlights' and the mine sections' sentences
    assert figure(samples, Q3, "aisc", None, date(2025, 9, 30), 3, "text")[:2] == (1571.0, "USD/oz")
    assert figure(samples, Q3, "cash_cost", "Loon Narrows Mine", date(2025, 9, 30), 3, "text")[
        :2
    ] == (1271.0, "USD/oz")
    assert figure(samples, Q3, "metal_produced", "Sedge Creek Mine", date(2025, 9, 30), 3, "text")[
        :2
    ] == (17709.0, "oz")


def test_the_latest_figure_is_the_latest_filing_and_a_table_before_prose(samples) -> None:
    rows = samples.execute(
        """
        select f.source_file, o.extracted_from, o.is_latest
        from marts.fct_operating_results o join marts.dim_filing f using (filing_id)
        where o.metric = 'metal_produced' and o.property_name is null
          and o.period_end = date '2025-09-30' and o.months = 3
        order by all
        """
    ).fetchall()
    # Q3 2025 consolidated gold produced: 38,239 in the Q3 filing (table and highlight) and
    # again in the annual's quarterly table, filed later.
    assert rows == [
        (ANNUAL, "table", True),
        (Q3, "table", False),
        (Q3, "text", False),
    ]


def test_mines_resolve_to_their_property(samples) -> None:
    rows = samples.execute(
        """
        select distinct o.property_name, p.property_name, o.scope
        from marts.fct_operating_results o
        left join marts.dim_property p using (property_id)
        join marts.dim_company c on c.company_id = o.company_id
        where c.company_name = 'Harrier Lake Gold Corp.'
        order by all
        """
    ).fetchall()
    assert rows == [
        ("Loon Narrows Mine", "Loon Narrows Mine", "mine"),
        ("Sedge Creek Mine", "Sedge Creek Mine", "mine"),
        (None, None, "consolidated"),
    ]


def test_operating_figures_are_no_financial_line_items(samples) -> None:
    # Before fct_operating_results, "Gold produced (oz)" was a financial fact in ounces.
    units = samples.execute(
        """
        select distinct unit from marts.fct_financial_facts
        where unit in ('oz', 't', 'g/t', '%', 'lb') or unit like '%/oz'
        """
    ).fetchall()
    assert units == []
    assert samples.execute(
        "select count(*) from marts.fct_financial_facts where line_item like 'gold_produced%'"
    ).fetchone() == (0,)


def test_fiscal_quarters_follow_the_fiscal_year(samples) -> None:
    # Wattle Creek's fiscal year ends June 30: the September 2023 quarter is Q1 of FY2024.
    row = samples.execute(
        """
        select o.fiscal_year, o.fiscal_quarter
        from marts.fct_operating_results o join marts.dim_filing f using (filing_id)
        where f.source_file = ? and o.metric = 'metal_produced' and o.period_end = date '2023-09-30'
        """,
        [WATTLE],
    ).fetchall()
    assert row == [(2024, 1)]
