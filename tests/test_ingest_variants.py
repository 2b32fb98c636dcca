"""The variety of real MD&As, on our own small fixtures (tests/fixtures/variants)."""

from __future__ import annotations

import pytest

from conftest import FIXTURES_DIR
from ingest import parse_filing

VARIANTS = FIXTURES_DIR / "variants"


def _facts(name: str, concept: str):
    parsed = parse_filing(VARIANTS / name)
    return {(f.period_end, f.months): f for f in parsed.facts if f.concept == concept}, parsed


@pytest.mark.parametrize("path", sorted(VARIANTS.glob("*.txt")), ids=lambda p: p.name)
def test_every_variant_parses_without_issues(path) -> None:
    parsed = parse_filing(path)
    assert parsed.tables, "each variant holds at least one table"
    assert parsed.facts
    assert [i for i in parsed.issues if i.kind != "decode"] == []


def test_interim_three_months_expenses_printed_positive() -> None:
    loss, _ = _facts("interim_three_months_cad_ifrs.txt", "net_income")
    q = loss[("2015-03-31", 3)]
    assert (q.value, q.reported_value, q.period_start, q.line) == (
        -942568.0,
        942568.0,
        "2015-01-01",
        22,
    )
    assert loss[("2014-03-31", 3)].value == -1407075.0


def test_six_months_with_fiscal_year_ending_february() -> None:
    loss, _ = _facts("six_months_fiscal_aug.txt", "net_income")
    assert loss[("2021-08-31", 6)].value == -3446009.0
    assert loss[("2021-08-31", 6)].period_start == "2021-03-01"
    assert loss[("2021-08-31", 3)].value == -2095753.0
    cash, _ = _facts("six_months_fiscal_aug.txt", "cash")
    assert cash[("2021-02-28", 0)].value == 4210664.0
    assert cash[("2021-02-28", 0)].period_start is None


def test_nine_months_in_thousands() -> None:
    loss, _ = _facts("nine_months_canadian_gaap.txt", "net_income")
    assert loss[("2005-09-30", 9)].value == -1949000.0
    assert loss[("2005-09-30", 3)].value == -560000.0
    assert loss[("2005-09-30", 9)].scale == 1000.0


def test_eight_quarter_columns_under_fiscal_year_groups() -> None:
    loss, parsed = _facts("quarterly_eight_columns.txt", "net_income")
    quarters = sorted(k for k in loss if k[1] == 3)
    assert len(quarters) == 8
    assert loss[("2007-12-31", 3)].value == -2406118.0
    assert loss[("2006-09-30", 3)].period_start == "2006-07-01"
    fiscal_2008 = sum(
        loss[(e, 3)].value for e in ("2007-09-30", "2007-12-31", "2008-03-31", "2008-06-30")
    )
    assert fiscal_2008 == loss[("2008-06-30", 12)].value == -7441673.0


def test_year_only_headers_with_a_scale_line() -> None:
    income, parsed = _facts("year_only_headers_thousands.txt", "net_income")
    fy = income[("2013-12-31", 12)]
    assert (fy.value, fy.period_start, fy.line) == (2635000.0, "2013-01-01", 23)
    revenue, _ = _facts("year_only_headers_thousands.txt", "revenue")
    assert revenue[("2012-12-31", 12)].value == 41907000.0


def test_pipe_tables_with_unicode_minus_and_dashes() -> None:
    loss, parsed = _facts("aud_pipe_tables_unicode_minus.txt", "net_income")
    assert loss[("2023-06-30", 12)].value == -2323174.0
    assert loss[("2022-06-30", 12)].value == -3116171.0
    table = next(t for t in parsed.tables if t.format == "pipe")
    assert all(c.period and c.period.end.endswith("-06-30") for c in table.columns)
    cells = {c.line: c for t in parsed.tables for r in t.rows for c in r.cells}
    assert cells[14].value == -2016904.0 or any(
        c.value == -2016904.0
        for t in parsed.tables
        for r in t.rows
        if r.line == 14
        for c in r.cells
    )
    depreciation = next(r for t in parsed.tables for r in t.rows if r.line == 17)
    assert any(c.is_nil for c in depreciation.cells)


def test_fiscal_year_ending_september() -> None:
    loss, _ = _facts("fiscal_year_september.txt", "net_income")
    fy = loss[("2010-09-30", 12)]
    assert (fy.value, fy.reported_value, fy.period_start) == (-2147677.0, 2147677.0, "2009-10-01")
    wc, _ = _facts("fiscal_year_september.txt", "working_capital")
    assert wc[("2009-09-30", 0)].value == -94880.0
