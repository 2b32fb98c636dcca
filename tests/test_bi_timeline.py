"""bi.company_timeline, bi.resource_history and bi.estimate_restatements, exact values.

From the sample filings (samples/filings/README.md is the answer key): rows asserted by
key, never counts over all companies, since more sample filings will come. From hand-made
raw rows: an estimate reprinted with another value (the samples have none), one reprinted
within rounding, a deposit printed under three names, and quarters with an operating cash
flow, one of them a derived Q4, and a company that is cash-flow positive.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from conftest import BuiltWarehouse, estimate, fact, filing, grade, load_raw, merge, query, run_dbt

pytestmark = pytest.mark.dbt

KESTREL = "kestrel-ridge-copper"
HARRIER_Q3 = "harrier-lake-2025-q3-mda.txt"
HARRIER_ANNUAL = "harrier-lake-2025-annual-mda.txt"
WATTLE = "wattle-creek-gold"
HARRIER = "harrier-lake-gold"

TIMELINE_COLUMNS = """
    period_end, cash, working_capital, net_income, net_income_is_derived, operating_cash_flow,
    exploration_spend, exploration_spend_is_derived, quarterly_burn, burn_basis,
    burn_is_derived, burn_last_four_quarters, runway_months
"""


def timeline(db: Path, company: str, fiscal_year: int, fiscal_quarter: int) -> tuple:
    (row,) = query(
        db,
        f"select {TIMELINE_COLUMNS} from bi.company_timeline"
        " where company_id = ? and fiscal_year = ? and fiscal_quarter = ?",
        [company, fiscal_year, fiscal_quarter],
    )
    return row


def source_file(db: Path, filing_id: str) -> str:
    return query(db, "select source_file from marts.dim_filing where filing_id = ?", [filing_id])[
        0
    ][0]


# -- the samples ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def samples(sample_warehouse: BuiltWarehouse) -> Path:
    return sample_warehouse.build_db


def test_samples_kestrel_q4_2024_is_derived_and_its_balances_printed(samples: Path) -> None:
    # answer key 64, 65, 68: Q4 2024 = FY2024 - 9M 2024; working capital 3,690,155 printed.
    # Runway: the four 2024 quarters' net losses add up to FY2024, 17,664,276:
    # 3,690,155 / (17,664,276 / 12) = 3,690,155 / 1,472,023 = 2.50686... months
    row = timeline(samples, KESTREL, 2024, 4)
    assert row[:12] == (
        date(2024, 12, 31),
        None,  # cash at 2024-12-31 is printed in prose only, not in a table
        3_690_155.0,
        -4_978_341.0,
        True,
        None,
        2_904_117.0,
        True,
        4_978_341.0,
        "net_income",
        True,
        17_664_276.0,
    )
    assert row[12] == pytest.approx(3_690_155 / (17_664_276 / 12))
    assert row[12] == pytest.approx(2.50686, abs=1e-5)
    (filings,) = query(
        samples,
        """
        select net_income_filing_id, working_capital_filing_id from bi.company_timeline
        where company_id = ? and period_end = '2024-12-31'
        """,
        [KESTREL],
    )
    assert [source_file(samples, f) for f in filings] == ["kestrel-ridge-2024-annual-mda.txt"] * 2


def test_samples_kestrel_q3_2024_cash_and_runway(samples: Path) -> None:
    # answer key 58, 59: cash 3,267,541 and working capital 3,512,806 at 2024-09-30.
    # Burn = net loss (no operating cash flow is printed): Q4 2023 4,700,531 + Q1 2024
    # 3,216,260 + Q2 4,389,008 + Q3 5,080,667 = 17,386,466; / 12 = 1,448,872.17 a month;
    # 3,512,806 / 1,448,872.17 = 2.42451... months
    row = timeline(samples, KESTREL, 2024, 3)
    assert row[:12] == (
        date(2024, 9, 30),
        3_267_541.0,
        3_512_806.0,
        -5_080_667.0,
        False,
        None,
        3_968_025.0,
        False,
        5_080_667.0,
        "net_income",
        False,
        4_700_531.0 + 3_216_260.0 + 4_389_008.0 + 5_080_667.0,
    )
    assert row[12] == pytest.approx(3_512_806 / (17_386_466 / 12))
    assert row[12] == pytest.approx(2.42451, abs=1e-5)
    (cash_filing,) = query(
        samples,
        "select cash_filing_id from bi.company_timeline where company_id = ? and period_end = ?",
        [KESTREL, date(2024, 9, 30)],
    )[0]
    assert source_file(samples, cash_filing) == "kestrel-ridge-2024-q3-mda.txt"


def test_samples_kestrel_2023_uses_the_restated_q3_and_the_printed_q4(samples: Path) -> None:
    # Q3 2023 net loss restated to 4,639,107 (answer key 55); Q4 2023 printed (4,700,531).
    # Runway at 2023-12-31: 6,418,902 / ((3,946,432 + 5,021,267 + 4,639,107 + 4,700,531) / 12)
    # = 6,418,902 / (18,307,337 / 12) = 4.20742... months
    assert timeline(samples, KESTREL, 2023, 3)[3:5] == (-4_639_107.0, False)
    row = timeline(samples, KESTREL, 2023, 4)
    assert row[:5] == (date(2023, 12, 31), 5_873_114.0, 6_418_902.0, -4_700_531.0, False)
    assert row[11] == 18_307_337.0
    assert row[12] == pytest.approx(6_418_902 / (18_307_337 / 12))
    # 2023 Q1: the window reaches back to 2022 Q2 (all printed), but no working capital
    assert timeline(samples, KESTREL, 2023, 1)[11:] == (20_784_147.0, None)


def test_samples_wattle_has_balances_but_no_quarterly_flows(samples: Path) -> None:
    # June year end: 2024-06-30 is fiscal 2024 Q4 (answer key 76, 77, in A$000s). Only
    # annual flows are printed, with no nine months: no quarter's flow, burn or runway.
    assert timeline(samples, WATTLE, 2024, 4) == (
        date(2024, 6, 30),
        58_214_000.0,
        49_870_000.0,
        None,
        False,
        None,
        None,
        False,
        None,
        None,
        False,
        None,
        None,
    )


SOUTH_ZONE = """
    select commodity, tonnage_mt, grade, contained, previous_effective_date,
        previous_tonnage_mt, tonnage_change_mt, tonnage_change_pct, previous_grade,
        grade_change, contained_change, is_restated, deposit, deposit_key, is_subtotal,
        first_source_file
    from bi.resource_history
    where company_id = ? and deposit_key = 'south' and category = 'indicated'
        and effective_date = ? and commodity in ('Cu', 'Au')
    order by commodity
"""


def test_samples_harrier_burn_is_operating_cash_flow_and_positive_flow_has_no_runway(
    samples: Path,
) -> None:
    # Harrier Lake prints its operating cash flow by quarter (answer key 139) and yearly
    # (133, 200): burn is minus it. Q4 2025 = 263,850 - 171,450 = 92,400 (US$000s), derived.
    row = timeline(samples, HARRIER, 2025, 4)
    assert row[:6] == (
        date(2025, 12, 31),
        154_703_000.0,
        139_508_000.0,
        44_269_000.0,
        True,
        92_400_000.0,
    )
    assert row[8:10] == (-92_400_000.0, "operating_cash_flow")
    # Q3 2024 used cash (2,164): a burn; but over the four quarters to 2024-12-31 the
    # company took in 3,450 less than 8,930 - 2,164 + 27,840: cash-flow positive, no runway.
    q3 = timeline(samples, HARRIER, 2024, 3)
    assert (q3[8], q3[9]) == (2_164_000.0, "operating_cash_flow")
    q4 = timeline(samples, HARRIER, 2024, 4)
    assert q4[11] == -(-3_450_000 + 8_930_000 - 2_164_000 + 27_840_000)
    assert q4[12] is None


def test_samples_resource_history_south_zone_indicated(samples: Path) -> None:
    # answer key 27 and 67: South Zone indicated 63.2 Mt at 0.51% Cu, 0.31 g/t Au (effective
    # 2023-03-31) -> 88.6 Mt at 0.52% Cu, 0.30 g/t Au (effective 2024-10-15): +25.4 Mt,
    # 25.4 / 63.2 = +40.19%; Cu 711 -> 1,016 Mlb, Au 0.63 -> 0.85 Moz
    first = query(samples, SOUTH_ZONE, [KESTREL, date(2023, 3, 31)])
    assert [r[:5] for r in first] == [
        ("Au", 63.2, 0.31, 0.63, None),
        ("Cu", 63.2, 0.51, 711.0, None),
    ]
    assert all(r[6] is None and r[11] is False for r in first)
    assert {r[15] for r in first} == {"kestrel-ridge-2023-annual-mda.txt"}
    later = query(samples, SOUTH_ZONE, [KESTREL, date(2024, 10, 15)])
    assert [(r[0], *r[1:7], r[8], r[9], r[10]) for r in later] == [
        ("Au", 88.6, 0.30, 0.85, date(2023, 3, 31), 63.2, 25.4, 0.31, -0.01, 0.22),
        ("Cu", 88.6, 0.52, 1016.0, date(2023, 3, 31), 63.2, 25.4, 0.51, 0.01, 305.0),
    ]
    assert [r[7] for r in later] == pytest.approx([100 * 25.4 / 63.2] * 2)
    assert {(r[11], r[12], r[13], r[14], r[15]) for r in later} == {
        (False, "South Zone", "south", False, "kestrel-ridge-2024-annual-mda.txt")
    }


def test_samples_resource_history_flags_subtotals(samples: Path) -> None:
    # answer key 79, 81: Bellbird's M&I subtotal and total are kept and flagged
    rows = query(
        samples,
        """
        select category, is_subtotal, tonnage_mt, contained from bi.resource_history
        where company_id = ? and deposit_key = 'bellbird' and commodity = 'Au'
        order by tonnage_mt
        """,
        [WATTLE],
    )
    assert rows == [
        ("measured", False, 6.84, 0.422),
        ("inferred", False, 9.62, 0.458),
        ("indicated", False, 18.37, 0.969),
        ("measured_indicated", True, 25.21, 1.391),
        ("total", True, 34.83, 1.849),
    ]


def test_samples_no_estimate_is_printed_twice(samples: Path) -> None:
    # the 2024 annual replaces the 2023-03-31 resource by a new effective date: no estimate
    # of the samples is printed by two filings, so none is restated
    assert query(
        samples,
        "select count(*) from bi.estimate_restatements where company_id in (?, ?)",
        [KESTREL, WATTLE],
    ) == [(0,)]
    assert query(
        samples,
        "select count(*) from bi.resource_history where company_id = ? and is_restated",
        [KESTREL],
    ) == [(0,)]


def test_samples_new_views_resolve_in_the_published_file(sample_warehouse: BuiltWarehouse) -> None:
    with duckdb.connect(str(sample_warehouse.published), read_only=True) as con:
        assert con.execute(
            "select net_income, net_income_is_derived from bi.company_timeline"
            " where company_id = ? and period_end = '2024-12-31'",
            [KESTREL],
        ).fetchall() == [(-4_978_341.0, True)]
        assert con.execute(
            "select tonnage_mt from bi.resource_history where company_id = ?"
            " and deposit_key = 'south' and category = 'indicated' and commodity = 'Cu'"
            " order by effective_date",
            [KESTREL],
        ).fetchall() == [(63.2,), (88.6,)]
        # Harrier Lake's 2025 annual reprints the Loon Narrows resource (effective 2024-12-31)
        # with the Inferred line corrected (answer key rows 147, 208 and 213): 12.38 Mt and
        # 390 koz as first reported, 11.83 Mt and 373 koz now; the other lines repeat.
        assert con.execute(
            "select deposit, category, quantity, first_value, latest_value, first_source_file,"
            " latest_source_file from bi.estimate_restatements where is_restated order by all"
        ).fetchall() == [
            ("Loon Narrows", "inferred", "contained", 0.39, 0.373, HARRIER_Q3, HARRIER_ANNUAL),
            ("Loon Narrows", "inferred", "tonnage", 12.38, 11.83, HARRIER_Q3, HARRIER_ANNUAL),
        ]
        assert con.execute(
            "select count(*) from bi.estimate_restatements where not is_restated"
        ).fetchall() == [(10,)]
        comments = con.execute(
            "select count(*), count(comment) from duckdb_columns()"
            " where schema_name = 'bi' and table_name = 'resource_history'"
        ).fetchone()
        assert comments[0] > 30 and comments[0] == comments[1]


# -- hand-made rows ------------------------------------------------------------------------

EMU = "emu-resources"
WOMBAT = "wombat-gold"


def emu() -> dict[str, list]:
    """Emu: operating cash flow by quarter with Q4 only in the annual; a resource updated."""
    annual_2013 = dict(
        company_name="Emu Resources Ltd.",
        period_type="annual",
        period_start=date(2013, 1, 1),
        period_end=date(2013, 12, 31),
        fiscal_year=2013,
        effective_date=date(2014, 3, 20),
    )
    annual_2014 = dict(
        annual_2013,
        period_start=date(2014, 1, 1),
        period_end=date(2014, 12, 31),
        fiscal_year=2014,
        effective_date=date(2015, 3, 20),
    )
    ocf = "operating_cash_flow"
    first = merge(
        filing("e1", "emu-2013-annual", 1, "2014-03-21T09:00:00", **annual_2013),
        {
            "facts": [
                fact("e1", 0, ocf, "2013-03-31", 3, -100, reported=-100),
                fact("e1", 1, ocf, "2013-06-30", 3, -200, reported=-200),
                fact("e1", 2, ocf, "2013-09-30", 3, 50, reported=50),
                fact("e1", 3, ocf, "2013-09-30", 9, -250, reported=-250, start="2013-01-01"),
                fact("e1", 4, ocf, "2013-12-31", 12, -400, reported=-400, start="2013-01-01"),
                fact("e1", 5, "net_income", "2013-12-31", 12, -999),
                fact("e1", 6, "net_income", "2013-09-30", 3, -333),
                fact("e1", 7, "working_capital", "2013-12-31", 0, 1200),
                fact("e1", 8, "cash", "2013-12-31", 0, 900),
            ],
            "estimates": [
                estimate("e1", 0, "Big Hill Deposit", "indicated", 10.2, effective="2013-06-30"),
                estimate("e1", 1, "Big Hill Deposit", "inferred", 4.1, effective="2013-06-30"),
            ],
            "estimate_grades": [
                grade("e1", 0, "Cu", 0.50, "%", 112.4, "Mlb"),
                grade("e1", 1, "Cu", 0.40, "%", 36.2, "Mlb"),
            ],
        },
    )
    second = merge(
        filing("e2", "emu-2014-annual", 1, "2015-03-21T09:00:00", **annual_2014),
        {
            "estimates": [
                # the 2013-06-30 indicated estimate reprinted with another tonnage
                estimate("e2", 0, "BIG HILL", "indicated", 10.6, effective="2013-06-30"),
                # the inferred one reprinted within rounding: 4.1 printed then 4.14
                estimate("e2", 1, "Big Hill", "inferred", 4.14, effective="2013-06-30"),
                estimate("e2", 2, "Big Hill Project", "indicated", 12.0, effective="2014-06-30"),
            ],
            "estimate_grades": [
                grade("e2", 0, "Cu", 0.50, "%", 116.8, "Mlb"),
                grade("e2", 1, "Cu", 0.40, "%", 36.2, "Mlb"),
                grade("e2", 2, "Cu", 0.48, "%", 127.0, "Mlb"),
            ],
        },
    )
    return merge(first, second)


def wombat() -> dict[str, list]:
    """Wombat: four printed quarters of operating cash flow that add up to an inflow."""
    ocf = "operating_cash_flow"
    return merge(
        filing(
            "w1",
            "wombat-2013-annual",
            1,
            "2014-03-01T09:00:00",
            company_name="Wombat Gold Ltd",
            period_type="annual",
            period_start=date(2013, 1, 1),
            period_end=date(2013, 12, 31),
            fiscal_year=2013,
            effective_date=date(2014, 2, 27),
        ),
        {
            "facts": [
                fact("w1", 0, ocf, "2013-03-31", 3, 100, reported=100),
                fact("w1", 1, ocf, "2013-06-30", 3, 100, reported=100),
                fact("w1", 2, ocf, "2013-09-30", 3, -50, reported=-50),
                fact("w1", 3, ocf, "2013-12-31", 3, 100, reported=100),
                fact("w1", 4, "working_capital", "2013-12-31", 0, 500),
            ]
        },
    )


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Emu's and Wombat's raw rows after ``dbt build`` (the models' tests included)."""
    work = tmp_path_factory.mktemp("bi_timeline")
    db = work / "build.duckdb"
    load_raw(db, merge(emu(), wombat()))
    run_dbt(db, work, "build")
    return db


def test_burn_is_the_operating_cash_flow_with_its_q4_derived(made: Path) -> None:
    # Q4 2013 cash flow = -400 - (-250) = -150; burn 100 + 200 - 50 + 150 = 400 over four
    # quarters; runway = 1,200 / (400 / 12) = 36 months
    assert timeline(made, EMU, 2013, 4) == (
        date(2013, 12, 31),
        900.0,
        1200.0,
        None,
        False,
        -150.0,
        None,
        False,
        150.0,
        "operating_cash_flow",
        True,
        400.0,
        36.0,
    )
    # the operating cash flow wins over the net loss printed for Q3
    assert timeline(made, EMU, 2013, 3)[3:12] == (
        -333.0,
        False,
        50.0,
        None,
        False,
        -50.0,
        "operating_cash_flow",
        False,
        None,
    )


def test_runway_is_null_for_a_company_cash_flow_positive(made: Path) -> None:
    row = timeline(made, WOMBAT, 2013, 4)
    assert row[2] == 500.0 and row[8:] == (-100.0, "operating_cash_flow", False, -250.0, None)


def test_estimate_reprinted_with_another_value_is_a_restatement(made: Path) -> None:
    rows = query(
        made,
        """
        select deposit, deposit_key, category, effective_date, quantity, commodity, first_value,
            first_filing_id, latest_value, latest_filing_id, difference, filing_count, is_restated
        from bi.estimate_restatements
        where company_id = ?
        order by category, quantity, commodity
        """,
        [EMU],
    )
    june = date(2013, 6, 30)
    assert rows == [
        (
            "BIG HILL",
            "big-hill",
            "indicated",
            june,
            "contained",
            "Cu",
            112.4,
            "e1",
            116.8,
            "e2",
            4.4,
            2,
            True,
        ),
        (
            "BIG HILL",
            "big-hill",
            "indicated",
            june,
            "grade",
            "Cu",
            0.5,
            "e1",
            0.5,
            "e2",
            0.0,
            2,
            False,
        ),
        (
            "BIG HILL",
            "big-hill",
            "indicated",
            june,
            "tonnage",
            None,
            10.2,
            "e1",
            10.6,
            "e2",
            0.4,
            2,
            True,
        ),
        # 4.1 then 4.14: within half a unit of the coarser printed figure (0.05 Mt)
        (
            "Big Hill",
            "big-hill",
            "inferred",
            june,
            "contained",
            "Cu",
            36.2,
            "e1",
            36.2,
            "e2",
            0.0,
            2,
            False,
        ),
        (
            "Big Hill",
            "big-hill",
            "inferred",
            june,
            "grade",
            "Cu",
            0.4,
            "e1",
            0.4,
            "e2",
            0.0,
            2,
            False,
        ),
        (
            "Big Hill",
            "big-hill",
            "inferred",
            june,
            "tonnage",
            None,
            4.1,
            "e1",
            4.14,
            "e2",
            0.04,
            2,
            False,
        ),
    ]


def test_resource_history_matches_names_and_compares_with_the_latest_value(made: Path) -> None:
    # "Big Hill Deposit", "BIG HILL" and "Big Hill Project" are one deposit; the 2014
    # estimate is compared with the restated 10.6 Mt, not the 10.2 first printed:
    # 12.0 - 10.6 = 1.4 Mt, 1.4 / 10.6 = +13.21%; contained 127.0 - 116.8 = 10.2 Mlb
    rows = query(
        made,
        """
        select deposit, effective_date, tonnage_mt, contained, previous_tonnage_mt,
            tonnage_change_mt, tonnage_change_pct, contained_change, is_restated,
            first_filing_id, latest_filing_id, filing_count
        from bi.resource_history
        where company_id = ? and deposit_key = 'big-hill' and category = 'indicated'
        order by effective_date
        """,
        [EMU],
    )
    assert [r[:6] + r[7:] for r in rows] == [
        ("BIG HILL", date(2013, 6, 30), 10.6, 116.8, None, None, None, True, "e1", "e2", 2),
        ("Big Hill Project", date(2014, 6, 30), 12.0, 127.0, 10.6, 1.4, 10.2, False, "e2", "e2", 1),
    ]
    assert rows[1][6] == pytest.approx(100 * 1.4 / 10.6)
