"""Operating results: the metric vocabulary, table figures per mine, and prose figures.

Filings are written here (fictional), so each test shows the layout or sentence it reads.
"""

from __future__ import annotations

import pytest

from conftest import SAMPLES_DIR
from ingest import parse_filing
from ingest.lexicon import operating as lex
from ingest.lexicon.dates import parse_period

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("label", "metric"),
    [
        ("Gold produced (oz)", "metal_produced"),
        ("Silver production (k ozs)", "metal_produced"),
        ("Silver equivalent production(3) (k ozs)", "metal_produced"),
        ("Payable copper produced (Mlb)", "metal_produced"),
        ("Gold sold (ounces)", "metal_sold"),
        ("Silver sales (k ozs)", "metal_sold"),
        ("Ore mined (kt)", "ore_mined"),
        ("Mined ore(1) (k dmt)", "ore_mined"),
        ("Waste mined (t)", "waste_mined"),
        ("Tonnes mined(1) (k dmt)", "material_mined"),
        ("Ore milled (k dmt)", "ore_processed"),
        ("Ore processed (t)", "ore_processed"),
        ("Tonnes milled", "ore_processed"),
        ("Mill feed (t)", "ore_processed"),
        ("Daily average throughput (dmt)", "throughput"),
        ("Throughput (tpd)", "throughput"),
        ("Strip ratio (waste:ore)", "strip_ratio"),
        ("Head grade (g/t Au)", "head_grade"),
        ("Average head grade (Ag g/t)", "head_grade"),
        ("Average ore mined grade (Ag g/t)", "mined_grade"),
        ("Recovery (%)", "recovery"),
        ("Silver recovery (%)", "recovery"),
        ("Average realised gold price (A$/oz)", "realised_price"),
        ("Average realized gold price (US$ per ounce)", "realised_price"),
        ("Cash operating costs (by-product)", "cash_cost"),
        ("Total cash cost (US$ per ounce sold)", "cash_cost"),
        ("C1 cash cost (US$/lb)", "cash_cost"),
        ("AISC (A$/oz) (1)", "aisc"),
        ("All-in sustaining costs ($/oz sold) (1)", "aisc"),
        ("All-in sustaining cash cost (US$ per ounce sold)", "aisc"),
        ("All-in costs (by-product)", "all_in_cost"),
        ("Sustaining capital ($000s)", "sustaining_capital"),
        ("Sustaining capital expenditures", "sustaining_capital"),
        ("Growth capital", "growth_capital"),
    ],
)
def test_operating_labels_name_their_metric(label: str, metric: str) -> None:
    found = lex.metric_for(label)
    assert found is not None and found.name == metric


@pytest.mark.parametrize(
    "label",
    ["Revenue", "Net loss", "Cost of sales", "Exploration", "Gold revenues (millions)",
     "Cash and cash equivalents", "Working capital", "Capital expenditures"],
)  # fmt: skip
def test_financial_labels_are_no_operating_metric(label: str) -> None:
    assert lex.metric_for(label) is None


@pytest.mark.parametrize(
    ("header", "end"),
    [
        ("Sep 2023 Qtr", "2023-09-30"),
        ("Dec Qtr 2023", "2023-12-31"),
        ("March 2024 Quarter", "2024-03-31"),
        ("Quarter ended Jun-24", "2024-06-30"),
    ],
)
def test_quarters_named_by_their_month_are_three_month_periods(header: str, end: str) -> None:
    period = parse_period(header)
    assert period is not None and (period.end, period.months) == (end, 3)


def test_a_month_and_year_alone_is_no_quarter() -> None:
    assert parse_period("Sep 2023") is None


TWO_MINES = """\
GANNET BAY GOLD CORP.
MANAGEMENT'S DISCUSSION AND ANALYSIS
For the three and nine months ended September 30, 2025
(expressed in US dollars)

HIGHLIGHTS

- Gannet Bay produced 30,100 ounces of gold at an AISC of US\\$1,420 per ounce sold in the third quarter of 2025 (Q3 2024: 27,000 ounces at US\\$1,650 per ounce).
- The Company expects to produce between 120,000 and 130,000 ounces of gold in 2025.

OPERATIONS

Operating results - Curlew Mine

\tThree months ended September 30\t\tNine months ended September 30\t
\t2025\t2024\t2025\t2024
Ore processed (t)\t400,000\t380,000\t1,180,000\t1,100,000
Head grade (g/t Au)\t1.40\t1.35\t1.38\t1.33
Recovery (%)\t92.0\t91.5\t91.8\t91.2
Gold produced (oz)\t16,555\t15,079\t48,052\t42,895
Strip ratio (waste:ore)\t4.10\t4.25\t4.15\t4.30
All-in sustaining costs ($/oz sold)\t1,380\t–\t1,395\t–

Curlew Mine produced 16,555 ounces of gold in the quarter at cash costs of US\\$980 per ounce sold.

Operating results - Plover Mine

\tThree months ended September 30\t\tNine months ended September 30\t
\t2025\t2024\t2025\t2024
Ore processed (t)\t250,000\t240,000\t730,000\t700,000
Head grade (g/t Au)\t1.80\t1.72\t1.78\t1.70
Recovery (%)\t90.0\t89.5\t89.8\t89.0
Gold produced (oz)\t13,022\t11,878\t37,519\t34,054
Strip ratio (waste:ore)\t6.20\t6.35\t6.25\t6.40
All-in sustaining costs ($/oz sold)\t1,470\t1,690\t1,480\t1,700
"""


@pytest.fixture(scope="module")
def two_mines():
    return parse_filing(TWO_MINES.encode(), name="gannet-bay-2025-q3-mda.txt")


def _table(parsed, mine, metric, end, months):
    return [
        r.value
        for r in parsed.operating_results
        if r.source == "table"
        and r.property == mine
        and r.metric == metric
        and (r.period_end, r.months) == (end, months)
    ]


def test_each_mine_table_gives_its_mine_and_periods(two_mines) -> None:
    assert _table(two_mines, "Curlew", "metal_produced", "2025-09-30", 3) == [16555.0]
    assert _table(two_mines, "Curlew", "metal_produced", "2024-09-30", 9) == [42895.0]
    assert _table(two_mines, "Plover", "ore_processed", "2025-09-30", 9) == [730000.0]
    assert _table(two_mines, "Plover", "head_grade", "2025-09-30", 3) == [1.8]
    grade = next(r for r in two_mines.operating_results if r.metric == "head_grade")
    assert (grade.unit, grade.commodity, grade.half_unit, grade.scope) == (
        "g/t",
        "Au",
        0.005,
        "mine",
    )


def test_a_strip_ratio_is_the_printed_ratio(two_mines) -> None:
    # Read first as a money line of the table, it must not be sign-flipped or scaled.
    assert _table(two_mines, "Plover", "strip_ratio", "2025-09-30", 3) == [6.2]
    ratio = next(r for r in two_mines.operating_results if r.metric == "strip_ratio")
    assert ratio.unit == "ratio"


def test_a_dash_is_not_reported_not_zero(two_mines) -> None:
    assert _table(two_mines, "Curlew", "aisc", "2024-09-30", 3) == []
    assert _table(two_mines, "Plover", "aisc", "2024-09-30", 3) == [1690.0]


def test_per_mine_tables_are_no_conflicting_values(two_mines) -> None:
    # Both mines print "Gold produced (oz)" for the same periods: two mines, not a conflict.
    assert [i for i in two_mines.issues if i.kind == "conflicting_value"] == []


def test_table_figures_keep_their_fact(two_mines) -> None:
    for r in two_mines.operating_results:
        if r.source == "table":
            fact = two_mines.facts[r.fact_index]
            assert (fact.line, fact.column) == (r.line, r.column)


def _prose(parsed, metric):
    return [
        (r.value, r.unit, r.property, r.period_end, r.months)
        for r in parsed.operating_results
        if r.source == "text" and r.metric == metric
    ]


def test_prose_figures_take_their_own_period_and_skip_the_comparative(two_mines) -> None:
    # "(Q3 2024: 27,000 ounces at US$1,650 per ounce)": the comparative's AISC names no
    # period of its own, so it is not read as the quarter's.
    assert _prose(two_mines, "aisc") == [(1420.0, "USD/oz", None, "2025-09-30", 3)]
    assert (30100.0, "oz", None, "2025-09-30", 3) in _prose(two_mines, "metal_produced")


def test_guidance_is_not_a_result(two_mines) -> None:
    assert all(r.value not in (120000.0, 130000.0) for r in two_mines.operating_results)


def test_a_sentence_naming_a_mine_first_is_that_mine(two_mines) -> None:
    # The mine is the property the filing registers ("Curlew", from "... - Curlew Mine").
    assert _prose(two_mines, "cash_cost") == [(980.0, "USD/oz", "Curlew", "2025-09-30", 3)]


def test_an_explorer_reads_no_operating_figures_from_prose() -> None:
    text = (
        "OSPREY HILL COPPER CORP.\nMANAGEMENT'S DISCUSSION AND ANALYSIS\n"
        "For the year ended December 31, 2024\n\n"
        "Column leach tests returned an average copper recovery of 78% after 120 days.\n\n"
        "Bottle roll work on the oxide zone gave a head grade of 0.41% copper.\n"
    )
    parsed = parse_filing(text.encode(), name="osprey-hill-2024-annual-mda.txt")
    assert parsed.operating_results == []


def test_the_one_mine_sample_reads_its_operating_table() -> None:
    parsed = parse_filing((SAMPLES_DIR / "wattle-creek-2024-annual-mda.txt").read_bytes())
    got = {
        (r.metric, r.property, r.period_end, r.months): (r.value, r.unit)
        for r in parsed.operating_results
        if r.source == "table"
    }
    assert got[("metal_produced", "Bellbird Gold Mine", "2024-06-30", 12)] == (73406.0, "oz")
    assert got[("ore_processed", "Bellbird Gold Mine", "2024-06-30", 12)] == (1356000.0, "t")
    assert got[("aisc", "Bellbird Gold Mine", "2024-06-30", 12)] == (2214.0, "AUD/oz")
    # The quarterly production table: "Sep 2023 Qtr" .. "Jun 2024 Qtr", the company's figures.
    assert got[("metal_produced", None, "2023-09-30", 3)] == (16102.0, "oz")
    assert got[("metal_sold", None, "2024-06-30", 3)] == (20680.0, "oz")
