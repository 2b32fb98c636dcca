"""Exact values from our own sample filings (answer key: samples/filings/README.md)."""

from __future__ import annotations

import pytest

from conftest import SAMPLES_DIR
from ingest import parse_filing


@pytest.fixture(scope="module")
def k2023():
    return parse_filing(SAMPLES_DIR / "kestrel-ridge-2023-annual-mda.txt")


@pytest.fixture(scope="module")
def kq3():
    return parse_filing(SAMPLES_DIR / "kestrel-ridge-2024-q3-mda.txt")


@pytest.fixture(scope="module")
def wattle():
    return parse_filing(SAMPLES_DIR / "wattle-creek-2024-annual-mda.txt")


def _fact(parsed, concept, end, months, line=None):
    found = [
        f
        for f in parsed.facts
        if f.concept == concept
        and f.period_end == end
        and f.months == months
        and (line is None or f.line == line)
    ]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("path", sorted(SAMPLES_DIR.glob("*.txt")), ids=lambda p: p.name)
def test_samples_parse_cleanly(path) -> None:
    parsed = parse_filing(path)
    kinds = {i.kind for i in parsed.issues}
    # The only issue our samples carry on purpose: a royalty kept on a property sold.
    assert kinds <= {"unattached_property_fact"}, parsed.issues
    assert parsed.tables and parsed.facts


def test_net_loss_2023_is_one_value_in_three_tables(k2023) -> None:
    selected = _fact(k2023, "net_income", "2023-12-31", 12, line=247)
    review = _fact(k2023, "net_income", "2023-12-31", 12, line=279)
    assert selected.value == review.value == -18121337.0
    assert (selected.reported_value, review.reported_value) == (-18121337.0, 18121337.0)
    q4 = _fact(k2023, "net_income", "2023-12-31", 3)
    assert (q4.value, q4.line, q4.period_start) == (-4700531.0, 324, "2023-10-01")
    quarters = [
        f.value
        for f in k2023.facts
        if f.concept == "net_income" and f.months == 3 and f.period_end.startswith("2023")
    ]
    assert sum(quarters) == -18121337.0


def test_review_of_operations_lines(k2023) -> None:
    assert _fact(k2023, "exploration_expense", "2023-12-31", 12, line=269).value == -12515339.0
    tax = _fact(k2023, "deferred_income_tax", "2023-12-31", 12, line=278)
    assert (tax.value, tax.reported_value) == (312400.0, -312400.0)
    assert _fact(k2023, "working_capital", "2023-12-31", 0).value == 6418902.0
    assert _fact(k2023, "net_income_per_share", "2022-12-31", 12).value == -0.16


def test_unlabelled_total_and_shares_columns(k2023) -> None:
    totals = [f for f in k2023.facts if f.line == 367]
    by = {(f.period_end, f.unit): f.value for f in totals}
    assert by[("2023-12-31", "shares")] == 19140000.0
    assert by[("2023-12-31", "USD")] == 9054860.0
    assert by[("2022-12-31", "USD")] == 24440325.0
    assert all(f.is_total for f in totals)


def test_commitments_table_is_read_as_a_table(k2023) -> None:
    table = next(t for t in k2023.tables if "Commitments" in t.title)
    total = table.rows[-1]
    assert total.line == 385
    assert [c.value for c in total.cells] == [234500.0, 2835770.0, 96400.0, 3166670.0]


def test_reserves_and_resources(k2023) -> None:
    by_line = {e.line: e for e in k2023.estimates}
    proven = by_line[60]
    assert (proven.category, proven.is_reserve, proven.tonnage_mt) == ("proven", True, 14.2)
    grades = {g.commodity: g for g in proven.grades}
    assert (grades["Cu"].grade, grades["Cu"].contained, grades["Cu"].contained_unit) == (
        0.96,
        301.0,
        "Mlb",
    )
    assert (
        grades["Au"].contained,
        grades["Au"].reported_contained,
        grades["Au"].reported_contained_unit,
    ) == (0.128, 128.0, "koz")
    assert by_line[62].is_subtotal and by_line[62].tonnage_mt == 62.8
    indicated = by_line[88]
    assert (
        indicated.deposit,
        indicated.category,
        indicated.cutoff_value,
        indicated.cutoff_unit,
        indicated.effective_date,
    ) == ("North Zone", "indicated", 0.3, "% CuEq", "2023-03-31")
    contained = {g.commodity: g.contained for g in indicated.grades}
    assert contained["Cu"] == 2548.0 and contained["CuEq"] == 3123.0


def test_grade_tonnage_gives_one_estimate_per_cutoff(k2023) -> None:
    coyote = [e for e in k2023.estimates if e.deposit == "Coyote Wells"]
    assert sorted({(e.category, e.cutoff_value) for e in coyote}) == sorted(
        (c, v) for c in ("indicated", "inferred") for v in (0.15, 0.2, 0.25, 0.3, 0.35)
    )
    at_020 = next(e for e in coyote if e.category == "indicated" and e.cutoff_value == 0.2)
    cu = next(g for g in at_020.grades if g.commodity == "Cu")
    assert (at_020.tonnage_mt, cu.grade, cu.contained, cu.reported_contained) == (
        942.0,
        0.32,
        6650.0,
        6.65,
    )
    tonnages = [
        e.tonnage_mt
        for e in sorted(coyote, key=lambda e: e.cutoff_value)
        if e.category == "inferred"
    ]
    assert tonnages == sorted(tonnages, reverse=True)


def test_zone_subtotal_is_marked(k2023) -> None:
    sub = next(e for e in k2023.estimates if e.line == 205)
    assert sub.is_subtotal and sub.tonnage_mt == 57.93
    parts = [e for e in k2023.estimates if e.line in (203, 204)]
    assert round(sum(e.tonnage_mt for e in parts), 2) == sub.tonnage_mt


def test_pea_economics(k2023) -> None:
    table_metrics = [m for m in k2023.economics if m.source == "table"]
    npv = {(m.scenario, m.discount_rate_pct): m.value for m in table_metrics if m.metric == "npv"}
    assert npv[("base", 8.0)] == 1364.0
    assert npv[("spot", 10.0)] == 1871.0
    irr = {m.scenario: m.value for m in table_metrics if m.metric == "irr"}
    assert irr == {"low": 12.3, "base": 16.4, "high": 20.1, "spot": 22.6}
    copper = {
        m.scenario: (m.value, m.unit)
        for m in table_metrics
        if m.metric == "metal_price" and m.commodity == "Cu"
    }
    assert copper["base"] == (3.6, "USD/lb")
    text_npv = [
        (m.study_type, m.value, m.unit, m.line)
        for m in k2023.economics
        if m.source == "text" and m.metric == "npv" and m.scenario == "base"
    ]
    # The PFS of one deposit and the PEA of another project, each read from its sentence.
    assert text_npv == [("PFS", 412.0, "USD million", 72), ("PEA", 1360.0, "USD million", 139)]


def test_interim_columns_and_eight_quarters(kq3) -> None:
    nine = _fact(kq3, "net_income", "2024-09-30", 9)
    assert (nine.value, nine.period_start, nine.line) == (-12685935.0, "2024-01-01", 73)
    restated = [
        f
        for f in kq3.facts
        if f.concept == "net_income" and f.period_end == "2023-09-30" and f.months == 3
    ]
    assert {f.value for f in restated} == {-4639107.0}
    quarter_ends = {f.period_end for f in kq3.facts if f.line == 99}
    assert len(quarter_ends) == 8
    assert _fact(kq3, "cash", "2023-12-31", 0).value == 5873114.0


def test_pipe_tables_in_thousands_of_aud(wattle) -> None:
    revenue = _fact(wattle, "revenue", "2024-06-30", 12)
    assert (revenue.value, revenue.unit, revenue.period_start) == (247311000.0, "AUD", "2023-07-01")
    cost = _fact(wattle, "cost_of_sales", "2024-06-30", 12)
    assert cost.value == -183406000.0
    profit = _fact(wattle, "net_income", "2024-06-30", 12)
    assert (profit.value, profit.line) == (31151000.0, 75)
    gold = {e.line: e for e in wattle.estimates}
    assert gold[120].category == "measured_indicated" and gold[120].is_subtotal
    au = gold[118].grades[0]
    assert (au.grade, au.contained, au.reported_contained, au.reported_contained_unit) == (
        1.92,
        0.422,
        422.0,
        "koz",
    )
