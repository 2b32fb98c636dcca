"""Footings: printed totals against the sum of their components, pass or fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES_DIR, SAMPLES_DIR
from ingest import parse_filing
from ingest.model import Footing


def _by(footings: list[Footing], line: int, column: str) -> Footing:
    found = [f for f in footings if f.line == line and f.column == column]
    assert len(found) == 1, f"{len(found)} footings at line {line}, column {column}"
    return found[0]


def _parse(text: str):
    return parse_filing(text.encode(), name="f.txt")


# -- samples: internally consistent, so every footing foots --------------------------------

SAMPLE_FILES = sorted(SAMPLES_DIR.glob("*.txt")) + sorted((FIXTURES_DIR / "variants").glob("*"))


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_footing_foots(path: Path) -> None:
    parsed = parse_filing(path)
    failing = [f for f in parsed.footings if not f.foots]
    assert failing == []
    assert not [i for i in parsed.issues if i.kind == "tie_out"]


def test_sample_footing_counts() -> None:
    counts = {
        p.name: len(parse_filing(p).footings)
        for p in sorted(SAMPLES_DIR.glob("*.txt"))
        if p.name.startswith(("kestrel-ridge", "wattle-creek"))
    }
    assert counts == {
        "kestrel-ridge-2023-annual-mda.txt": 39,
        "kestrel-ridge-2024-annual-mda.txt": 16,
        "kestrel-ridge-2024-q3-mda.txt": 20,
        "wattle-creek-2024-annual-mda.txt": 8,
    }


def test_result_line_is_previous_result_plus_block() -> None:
    parsed = parse_filing(SAMPLES_DIR / "kestrel-ridge-2024-q3-mda.txt")
    f = _by(parsed.footings, 73, "2024-09-30/9m")
    assert (f.kind, f.label, f.unit) == ("result", "Net loss", "USD")
    # Loss from operations (13,002,856) + interest income, interest expense, FX, tax.
    assert f.expected == f.observed == -12_685_935.0
    assert f.component_lines == [68, 69, 70, 71, 72]
    assert f.terms == 5
    assert f.tolerance == 3.0  # five components and the total printed to the dollar, one nil


def test_total_after_a_total_carries_it_on() -> None:
    parsed = parse_filing(SAMPLES_DIR / "kestrel-ridge-2023-annual-mda.txt")
    costs = _by(parsed.footings, 287, "2023-12-31/12m")
    assert (costs.kind, costs.expected, costs.component_lines) == (
        "total",
        12_833_545.0,
        [284, 285, 286],
    )
    cash = _by(parsed.footings, 289, "2023-12-31/12m")
    assert (cash.expected, cash.observed, cash.component_lines) == (
        12_515_339.0,
        12_515_339.0,
        [287, 288],
    )


def test_shares_and_amounts_foot_to_their_totals() -> None:
    parsed = parse_filing(SAMPLES_DIR / "kestrel-ridge-2023-annual-mda.txt")
    shares = _by(parsed.footings, 367, "2023-12-31/12m/shares")
    amount = _by(parsed.footings, 367, "2023-12-31/12m/amount")
    assert (shares.unit, shares.expected, shares.terms) == ("shares", 19_140_000.0, 4)
    assert (amount.unit, amount.expected) == ("USD", 9_054_860.0)


def test_total_column_and_total_row_of_commitments() -> None:
    parsed = parse_filing(SAMPLES_DIR / "kestrel-ridge-2023-annual-mda.txt")
    row = _by(parsed.footings, 381, "total")  # a "Total" column across the terms
    assert (row.label, row.expected, row.terms, row.tolerance) == (
        "Office leases",
        476_250.0,
        3,
        2.0,
    )
    col = _by(parsed.footings, 385, "1_3_years")
    assert (col.expected, col.observed, col.component_lines) == (
        2_835_770.0,
        2_835_770.0,
        [381, 382, 383, 384],
    )


def test_reserve_and_resource_totals_add_tonnage_and_metal_not_grades() -> None:
    parsed = parse_filing(SAMPLES_DIR / "kestrel-ridge-2023-annual-mda.txt")
    reserve = [f for f in parsed.footings if f.table_index == 0]
    assert {f.column for f in reserve} == {"ore_mt", "cu_m_lb", "au_koz", "ag_koz"}
    ore = _by(reserve, 62, "ore_mt")
    assert (ore.expected, ore.unit, ore.tolerance) == (62.8, "Mt", 0.15)
    gold = _by(reserve, 62, "au_koz")  # koz read as Moz, with its precision
    assert (gold.expected, gold.unit, gold.tolerance) == (0.503, "Moz", 0.0015)
    sub = _by(parsed.footings, 205, "tonnes_million")
    assert (sub.kind, sub.expected, sub.component_lines) == ("subtotal", 57.93, [203, 204])


def test_measured_and_indicated_line_is_a_subtotal_of_its_parts() -> None:
    parsed = parse_filing(SAMPLES_DIR / "wattle-creek-2024-annual-mda.txt")
    mi = _by(parsed.footings, 120, "tonnes_mt")
    assert (mi.kind, mi.expected, mi.component_lines) == ("subtotal", 25.21, [118, 119])
    total = _by(parsed.footings, 122, "contained_gold_koz")
    # Measured & Indicated plus Inferred, never the parts twice.
    assert (total.expected, total.component_lines) == (1.849, [120, 121])


def test_selected_balances_are_not_footed() -> None:
    # "Total assets" under cash and working capital in a table of selected items: its
    # components are not printed, so no footing (and no false failure).
    parsed = parse_filing(SAMPLES_DIR / "wattle-creek-2024-annual-mda.txt")
    assert not [f for f in parsed.footings if f.label.lower().startswith("total assets")]


# -- tables that do not foot --------------------------------------------------------------

NOT_FOOTING = """MINERAL PROPERTY EXPENDITURES

Mineral property expenditures during the year were as follows:

\tYear Ended December 31, 2020\tYear Ended December 31, 2019
North\t$ 1,200\t$ 900
South\t300\t250
Other\t45\t50
Total costs\t1,555\t1,200
"""


def test_a_total_that_does_not_foot_fails_with_its_numbers() -> None:
    parsed = _parse(NOT_FOOTING)
    bad = _by(parsed.footings, 9, "2020-12-31/12m")
    assert (bad.expected, bad.observed, bad.tolerance, bad.terms) == (1545.0, 1555.0, 2.0, 3)
    assert bad.component_lines == [6, 7, 8]
    assert not bad.foots
    assert _by(parsed.footings, 9, "2019-12-31/12m").foots


TIE_OUT = """RESULTS OF OPERATIONS

\tYear Ended December 31, 2020\tYear Ended December 31, 2019
Exploration\t1,000\t800
General and administrative\t500\t400
Net loss\t1,400\t1,200
"""


def test_a_result_that_does_not_tie_is_a_failing_footing_and_the_tie_out_issue() -> None:
    parsed = _parse(TIE_OUT)
    bad = _by(parsed.footings, 6, "2020-12-31/12m")
    # Expenses printed positive, the loss printed positive: expected in that convention.
    assert (bad.kind, bad.expected, bad.observed, bad.tolerance) == ("result", 1500.0, 1400.0, 1.5)
    assert _by(parsed.footings, 6, "2019-12-31/12m").foots
    ties = [i for i in parsed.issues if i.kind == "tie_out"]
    assert [(i.line, "2020-12-31" in i.reason, "1,500.00" in i.reason) for i in ties] == [
        (6, True, True)
    ]


DECIMALS = """PRODUCTION

Ore stockpiles at year end were as follows:

\tTonnes (kt)\tHectares
Pad A\t12.25\t4
Pad B\t3.10\t6
Total\t15.4\t10
"""


def test_tolerance_comes_from_printed_precision() -> None:
    parsed = _parse(DECIMALS)
    f = [x for x in parsed.footings if x.line == 8]
    by_col = {x.column: x for x in f}
    tonnes = next(v for k, v in by_col.items() if k.startswith("tonnes"))
    # 12.25 and 3.10 print two decimals (0.005 each), the total one (0.05).
    assert tonnes.tolerance == pytest.approx(0.06)
    assert tonnes.expected == 15.35 and tonnes.observed == 15.4
    assert tonnes.foots  # 0.05 apart, within the rounding of a one-decimal total


def test_a_total_column_that_does_not_add_fails() -> None:
    text = """COMMITMENTS

\tLess than 1 Year\t1-3 Years\tTotal
Office leases\t$ 100\t$ 200\t$ 310
"""
    parsed = _parse(text)
    f = _by(parsed.footings, 4, "total")
    assert (f.expected, f.observed, f.tolerance, f.foots) == (300.0, 310.0, 1.5, False)


def test_ambiguous_total_emits_nothing_until_one_column_settles_it() -> None:
    # After "Total assets" the next total may add the rows since it or carry it on. When
    # no reading foots in any column, which rows it adds is not clear: nothing is emitted.
    text = """FINANCIAL POSITION

\tDecember 31, 2020\tDecember 31, 2019
Current assets\t100\t90
Mineral properties\t400\t380
Total assets\t500\t470
Accounts payable\t30\t20
Loans\t50\t40
Total liabilities\t99\t{last}
"""
    parsed = _parse(text.format(last="65"))
    assert sorted(f.line for f in parsed.footings) == [6, 6]
    assert all(f.foots for f in parsed.footings)
    # One column that foots settles the reading; the other column then fails.
    parsed = _parse(text.format(last="60"))
    bad = _by(parsed.footings, 9, "2020-12-31/0m")
    assert (bad.expected, bad.observed, bad.component_lines, bad.foots) == (
        80.0,
        99.0,
        [7, 8],
        False,
    )
    assert _by(parsed.footings, 9, "2019-12-31/0m").foots


# -- the real filing -----------------------------------------------------------------------


def test_real_filing_footings(real_filing: Path) -> None:
    parsed = parse_filing(real_filing)
    assert len(parsed.footings) == 34
    assert [f for f in parsed.footings if not f.foots] == []
    net = _by(parsed.footings, 388, "2012-12-31/12m")
    assert (net.kind, net.expected, net.observed, net.terms, net.tolerance) == (
        "result",
        15_196_129.0,
        15_196_129.0,
        12,
        5.5,
    )
    cash = _by(parsed.footings, 403, "2012-12-31/12m")
    assert (cash.expected, cash.component_lines) == (7_966_902.0, [401, 402])
    sub = _by(parsed.footings, 335, "cu_million_lb")
    assert (sub.kind, sub.expected, sub.observed) == ("subtotal", 277.49, 277.49)


def test_a_combined_row_printed_above_its_parts_adds_the_rows_below() -> None:
    parsed = _parse(
        "Heron Pass Gold Corp.\n\nMineral Resource Estimate, effective June 30, 2024\n\n"
        "| Deposit / Category | Tonnes (000's) | Grade (g/t Au) | Contained Au (koz) |\n"
        "|--------------------|----------------|----------------|--------------------|\n"
        "| North (M+I)        | 8,370          | 1.52           | 408                |\n"
        "| Measured           | 2,140          | 1.71           | 118                |\n"
        "| Indicated          | 6,230          | 1.45           | 290                |\n"
        "| Inferred           | 3,900          | 1.18           | 148                |\n"
        "| South (M+I)        | 3,800          | 1.94           | 237                |\n"
        "| Measured           | 1,320          | 2.05           | 87                 |\n"
        "| Indicated          | 2,480          | 1.88           | 150                |\n"
    )
    footings = [f for f in parsed.footings if f.kind == "subtotal"]
    assert {(f.label, tuple(f.component_lines)) for f in footings} == {
        ("North (M+I)", (8, 9)),
        ("South (M+I)", (12, 13)),
    }
    assert all(f.foots for f in footings)
