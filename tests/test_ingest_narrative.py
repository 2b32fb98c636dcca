"""Numbers stated in prose, with concept, period, sign, unit and subject."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import SAMPLES_DIR
from ingest.extractors.metadata import extract_metadata
from ingest.extractors.narrative import extract_narrative_facts
from ingest.extractors.properties import extract_properties
from ingest.lexicon.dates import iso_date as parse_date
from ingest.model import NarrativeFact
from ingest.prose.amounts import find_amounts
from ingest.prose.periods import period_refs
from ingest.readers.text import load


def _facts(data: bytes, with_properties: bool = True) -> list[NarrativeFact]:
    doc = load(data, "inline.txt")
    meta, _ = extract_metadata(doc)
    props = extract_properties(doc, meta)[0] if with_properties else None
    facts, issues = extract_narrative_facts(doc, meta, props)
    assert [i for i in issues if i.kind == "parser_error"] == []
    return facts


def _pick(facts: list[NarrativeFact], concept: str, **where: Any) -> list[NarrativeFact]:
    out = [f for f in facts if f.concept == concept]
    for key, value in where.items():
        out = [f for f in out if getattr(f, key) == value]
    return out


def _one(facts: list[NarrativeFact], concept: str, **where: Any) -> NarrativeFact:
    found = _pick(facts, concept, **where)
    assert len(found) == 1, (concept, where, found)
    return found[0]


def _sample(name: str) -> bytes:
    path = SAMPLES_DIR / name
    if not path.is_file():
        pytest.skip(f"sample filing {name} not present in {SAMPLES_DIR}")
    return path.read_bytes()


# --- helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "approximate"),
    [
        ("$1.11 billion", 1110000000.0, "USD", False),
        ("approximately $4.7 million", 4700000.0, "USD", True),
        ("C$10 million", 10000000.0, "CAD", False),
        ("Cdn $2,500", 2500.0, "CAD", False),
        ("A$1,095/oz", 1095.0, "AUD", False),
        ("US$123 million", 123000000.0, "USD", False),
        ("$(5,076,271)", -5076271.0, "USD", False),
        ("A$46.7M", 46700000.0, "AUD", False),
    ],
)
def test_find_amounts(text: str, value: float, unit: str, approximate: bool) -> None:
    [amount] = find_amounts(text, "USD")
    assert (amount.value, amount.unit, amount.approximate) == (value, unit, approximate)


def test_bare_dollar_takes_the_filing_currency() -> None:
    [aud] = find_amounts("costs of $2.5 million", "AUD")
    assert (aud.unit, aud.currency_assumed) == ("AUD", False)
    [unknown] = find_amounts("costs of $2.5 million", None)
    assert (unknown.unit, unknown.currency_assumed) == ("USD", True)
    assert find_amounts("$Nil and $ and 5%", "USD") == []


def test_dates_and_period_phrases() -> None:
    assert parse_date("December 31, 2012") == "2012-12-31"
    assert parse_date("30 June 2023") == "2023-06-30"
    assert parse_date("Sept. 30, 2014") == "2014-09-30"
    assert parse_date("February 30, 2020") is None
    refs = period_refs("for the nine months ended September 30, 2014 and as at June 30, 2014")
    assert [(r.period_end, r.months) for r in refs] == [("2014-09-30", 9), ("2014-06-30", None)]
    [fy] = period_refs("in FY2023", year_end=(6, 30))
    assert (fy.period_end, fy.months, fy.year) == ("2023-06-30", 12, 2023)


# --- invented prose --------------------------------------------------------------------

_MDA = """
OSPREY CREEK MINING INC.
MANAGEMENT'S DISCUSSION AND ANALYSIS
For the Year Ended December 31, 2022
(In United States dollars unless stated otherwise)

OVERVIEW

Our principal asset is the Kite property in Arizona (the "Kite Property"), which hosts the Talon deposit.

Preliminary Economic Assessment

On May 4, 2022, the Company announced the results of its PEA on the Talon deposit.

- Base case, after-tax net present value (using a 6% discount rate) ("NPV6") of $640 million, internal rate of return ("IRR") of 21.5%, and payback of 3.9 years, based on long term metal prices of $3.50 per pound ("lb") copper and $1,700 per ounce ("oz") gold.
- Initial capital costs of approximately $512 million.

Mineral Resources

The Talon deposit is estimated to contain an indicated mineral resource of 212 million tonnes ("Mt") at 0.41% copper and 0.12 g/t gold and an inferred mineral resource of 0.09 billion tonnes ("Bt") at 0.35% copper. The probable reserve for the Talon deposit effective as of March 1, 2022 totals 96.5 Mt grading 0.44% copper.

RESULTS

For the year ended December 31, 2022, net loss was $6,250,400 compared to $5,118,900 in the year ended December 31, 2021. Stock-based compensation expense was $412,000 (2021 - $388,500). General and administrative expense, excluding stock-based compensation, was $1,902,300 compared to $1,755,000 in the prior year.

LIQUIDITY

As at December 31, 2022, the Company had working capital of approximately $3.2 million and cash of $3,655,120 compared to $8,001,450 as at December 31, 2021. Cash used in operating activities was $5,340,000 for the year ended December 31, 2022.

Outstanding Share Data

As at December 31, 2022 and March 15, 2023, there were 88,120,400 common shares and 90,120,400 common shares outstanding, respectively. As at March 15, 2023 there were 6,150,000 stock options outstanding with exercise prices ranging from C$0.35 to C$1.10 per share. There were no warrants outstanding at December 31, 2022 or at March 15, 2023. Net loss per share was based on a weighted average of 86,000,000 common shares outstanding.
"""


@pytest.fixture(scope="module")
def facts() -> list[NarrativeFact]:
    return _facts(_MDA.encode("utf-8"))


def test_net_loss_is_negative_net_income_with_its_comparative(facts: list[NarrativeFact]) -> None:
    now = _one(facts, "net_income", period_end="2022-12-31")
    before = _one(facts, "net_income", period_end="2021-12-31")
    assert (now.value, now.unit, now.months, now.qualifiers["reported"]) == (
        -6250400.0,
        "USD",
        12,
        6250400.0,
    )
    assert (before.value, before.months) == (-5118900.0, 12)
    assert now.text.startswith("For the year ended December 31, 2022, net loss was")
    assert (
        now.line
        == _MDA.split("\n").index(next(ln for ln in _MDA.split("\n") if "net loss was" in ln)) + 1
    )


def test_expenses_are_negative_and_comparatives_are_read(facts: list[NarrativeFact]) -> None:
    sbc = {f.period_end: f.value for f in _pick(facts, "stock_based_compensation_expense")}
    assert sbc == {"2022-12-31": -412000.0, "2021-12-31": -388500.0}
    ga = {f.period_end: f.value for f in _pick(facts, "general_and_administrative_expense")}
    # "excluding stock-based compensation" does not take the amount from G&A.
    assert ga == {"2022-12-31": -1902300.0, "2021-12-31": -1755000.0}


def test_balances_and_cash_flow(facts: list[NarrativeFact]) -> None:
    wc = _one(facts, "working_capital")
    assert (wc.value, wc.period_end, wc.months, wc.qualifiers) == (
        3200000.0,
        "2022-12-31",
        0,
        {"approximate": True},
    )
    cash = {f.period_end: f.value for f in _pick(facts, "cash")}
    assert cash == {"2022-12-31": 3655120.0, "2021-12-31": 8001450.0}
    used = _one(facts, "cash_used_in_operations")
    assert (used.value, used.period_end, used.months) == (-5340000.0, "2022-12-31", 12)


def test_share_data_at_both_dates(facts: list[NarrativeFact]) -> None:
    shares = {f.period_end: f.value for f in _pick(facts, "shares_outstanding")}
    # the weighted average is not a count outstanding at a date
    assert shares == {"2022-12-31": 88120400.0, "2023-03-15": 90120400.0}
    options = _one(facts, "options_outstanding")
    assert (options.value, options.period_end, options.unit) == (6150000.0, "2023-03-15", "options")
    assert options.qualifiers == {
        "exercise_price_min": 0.35,
        "exercise_price_max": 1.1,
        "exercise_price_currency": "CAD",
    }
    warrants = {f.period_end: f.value for f in _pick(facts, "warrants_outstanding")}
    assert warrants == {"2022-12-31": 0.0, "2023-03-15": 0.0}


def test_study_results_with_qualifiers(facts: list[NarrativeFact]) -> None:
    npv = _one(facts, "npv")
    assert (npv.value, npv.unit, npv.subject) == (640000000.0, "USD", "Talon")
    assert npv.qualifiers == {"scenario": "base", "discount_rate_pct": 6.0, "pre_tax": False}
    assert _one(facts, "irr").value == 21.5
    assert _one(facts, "payback_years").value == 3.9
    capex = _one(facts, "capex")
    assert (capex.value, capex.qualifiers["approximate"], capex.qualifiers["kind"]) == (
        512000000.0,
        True,
        "initial",
    )
    prices = {(f.qualifiers["commodity"], f.unit): f.value for f in _pick(facts, "metal_price")}
    assert prices == {("Cu", "USD/lb"): 3.5, ("Au", "USD/oz"): 1700.0}


def test_resource_and_reserve_sentences(facts: list[NarrativeFact]) -> None:
    tonnage = {
        f.qualifiers["category"]: f.value
        for f in _pick(facts, "resource_tonnage_mt", subject="Talon")
    }
    assert tonnage == {"indicated": 212.0, "inferred": 90.0}  # 0.09 Bt = 90 Mt
    grades = {
        (f.qualifiers["category"], f.qualifiers["commodity"]): (f.value, f.unit)
        for f in _pick(facts, "resource_grade")
    }
    assert grades == {
        ("indicated", "Cu"): (0.41, "%"),
        ("indicated", "Au"): (0.12, "g/t"),
        ("inferred", "Cu"): (0.35, "%"),
    }
    reserve = _one(facts, "reserve_tonnage_mt")
    assert (reserve.value, reserve.subject) == (96.5, "Talon")
    assert reserve.qualifiers == {
        "unit": "Mt",
        "category": "probable",
        "effective_date": "2022-03-01",
    }
    assert _one(facts, "reserve_grade").value == 0.44


def test_subjects_without_properties() -> None:
    facts = _facts(_MDA.encode("utf-8"), with_properties=False)
    assert _one(facts, "npv").subject == "Talon"
    assert {f.subject for f in _pick(facts, "resource_tonnage_mt")} == {"Talon"}


def test_fiscal_year_comparatives_in_an_australian_filing() -> None:
    facts = _facts(
        b"Brolga Gold Limited\nMANAGEMENT'S DISCUSSION AND ANALYSIS\nFor the Year Ended June 30, 2024\n"
        b"(In Australian dollars unless stated otherwise)\n\n"
        b"Net profit after tax of A$12.4 million (FY2023: A$8.1 million).\n\n"
        b"Exploration and evaluation expenditure expensed in FY2024 was A$2,150,000 "
        b"(FY2023: A$1,980,000).\n"
    )
    profit = {f.period_end: f.value for f in _pick(facts, "net_income")}
    assert profit == {"2024-06-30": 12400000.0, "2023-06-30": 8100000.0}
    assert {f.unit for f in _pick(facts, "net_income")} == {"AUD"}
    expl = {f.period_end: f.value for f in _pick(facts, "exploration_expense")}
    assert expl == {"2024-06-30": -2150000.0, "2023-06-30": -1980000.0}


def test_text_without_numbers_gives_no_facts() -> None:
    assert _facts(b"The Company continued to evaluate opportunities.\n") == []
    assert _facts(b"") == []


# --- the real filing -------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(real_filing: Path) -> list[NarrativeFact]:
    return _facts(real_filing.read_bytes())


def test_real_filing_results(real: list[NarrativeFact]) -> None:
    loss = {f.period_end: (f.value, f.months, f.line) for f in _pick(real, "net_income")}
    assert loss == {
        "2012-12-31": (-15196129.0, 12, 360),
        "2011-12-31": (-17140208.0, 12, 360),
    }
    sbc = _one(real, "stock_based_compensation_expense", period_end="2012-12-31")
    assert (sbc.value, sbc.line, sbc.qualifiers["reported"]) == (-1207878.0, 534, 1207878.0)
    ga = _one(real, "general_and_administrative_expense", period_end="2012-12-31")
    assert (ga.value, ga.line) == (-4108027.0, 525)
    used = {f.period_end: f.value for f in _pick(real, "cash_used_in_operations")}
    assert used == {"2012-12-31": -12801856.0, "2011-12-31": -22390021.0}
    interest = {(f.concept, f.period_end): f.value for f in real if f.line == 538}
    # "interest expense was $38,910 compared to interest income of $190,391"
    assert interest == {
        ("interest_expense", "2012-12-31"): -38910.0,
        ("interest_income", "2011-12-31"): 190391.0,
    }
    investee = {f.period_end: f.value for f in _pick(real, "equity_investee_loss")}
    assert investee == {"2012-12-31": -1012156.0, "2011-12-31": -2397085.0}


def test_real_filing_balances(real: list[NarrativeFact]) -> None:
    cash = _one(real, "cash")
    assert (cash.value, cash.period_end, cash.months, cash.line) == (
        4255508.0,
        "2012-12-31",
        0,
        598,
    )
    wc = {(f.line, f.period_end): f.value for f in _pick(real, "working_capital")}
    assert wc[(360, "2012-12-31")] == 4699256.0
    assert wc[(360, "2011-12-31")] == 19004136.0
    assert wc[(550, "2012-12-31")] == 4700000.0  # "approximately $4.7 million"
    assert _one(real, "working_capital", line=550).qualifiers == {"approximate": True}
    assets = {f.period_end: f.value for f in _pick(real, "total_assets")}
    # the sentence runs across a page break (lines 360 and 367)
    assert assets == {"2012-12-31": 64173530.0, "2011-12-31": 74589810.0}


def test_real_filing_share_data(real: list[NarrativeFact]) -> None:
    shares = {f.period_end: f.value for f in _pick(real, "shares_outstanding")}
    assert shares == {"2012-12-31": 128877243.0, "2013-03-28": 146734385.0}
    options = {f.period_end: f.value for f in _pick(real, "options_outstanding")}
    assert options == {"2012-12-31": 9223000.0, "2013-03-28": 14208000.0}
    late = _one(real, "options_outstanding", period_end="2013-03-28")
    assert (late.qualifiers["exercise_price_min"], late.qualifiers["exercise_price_currency"]) == (
        0.56,
        "CAD",
    )
    warrants = {f.period_end: f.value for f in _pick(real, "warrants_outstanding")}
    assert warrants == {"2012-12-31": 0.0, "2013-03-28": 0.0}
    assert {f.line for f in _pick(real, "shares_outstanding")} == {638}


def test_real_filing_reserve_and_resource(real: list[NarrativeFact]) -> None:
    reserve = _one(real, "reserve_tonnage_mt")
    assert (reserve.value, reserve.unit, reserve.subject, reserve.line) == (
        31.0,
        "Mt",
        "Hugo North Extension",
        154,
    )
    assert reserve.qualifiers == {
        "unit": "Mt",
        "category": "probable",
        "effective_date": "2013-03-25",
    }
    grades = {f.qualifiers["commodity"]: (f.value, f.unit) for f in _pick(real, "reserve_grade")}
    assert grades == {"Cu": (1.73, "%"), "Au": (0.62, "g/t")}
    resources = {
        f.qualifiers["category"]: (f.value, f.subject, f.qualifiers["cutoff_value"])
        for f in _pick(real, "resource_tonnage_mt")
    }
    # "1.14 billion tonnes" and "0.873 Bt", at the 0.20% copper base case cut-off
    assert resources == {
        "indicated": (1140.0, "Ann Mason", 0.2),
        "inferred": (873.0, "Ann Mason", 0.2),
    }
    cu = {
        f.qualifiers["category"]: f.value
        for f in _pick(real, "resource_grade")
        if f.qualifiers["commodity"] == "Cu"
    }
    assert cu == {"indicated": 0.33, "inferred": 0.29}


def test_real_filing_pea(real: list[NarrativeFact]) -> None:
    npv = {f.qualifiers.get("scenario"): f for f in _pick(real, "npv", subject="Ann Mason")}
    assert npv["base"].value == 1110000000.0
    assert npv["base"].qualifiers == {"scenario": "base", "discount_rate_pct": 7.5, "pre_tax": True}
    assert npv["spot"].value == 2540000000.0
    assert npv["spot"].qualifiers["discount_rate_pct"] == 7.5
    irr = {f.qualifiers["scenario"]: f.value for f in _pick(real, "irr")}
    assert irr == {"base": 14.8, "spot": 22.9}
    payback = {f.qualifiers["scenario"]: f.value for f in _pick(real, "payback_years")}
    assert payback == {"base": 5.6, "spot": 3.8}
    capex = _one(real, "capex")
    assert (capex.value, capex.qualifiers["approximate"], capex.line) == (1280000000.0, True, 258)
    base_prices = {
        f.qualifiers["commodity"]: (f.value, f.unit) for f in _pick(real, "metal_price", line=256)
    }
    assert base_prices == {
        "Cu": (3.0, "USD/lb"),
        "Mo": (13.5, "USD/lb"),
        "Au": (1200.0, "USD/oz"),
        "Ag": (22.0, "USD/oz"),
    }
    lift1 = _one(real, "npv", subject="Hugo North Extension")
    assert (lift1.value, lift1.line) == (110000000.0, 182)
    assert lift1.qualifiers == {
        "attributable_interest_pct": 20.0,
        "discount_rate_pct": 8.0,
        "previous_value": 129000000.0,
    }


def test_real_filing_every_fact_carries_its_sentence(
    real: list[NarrativeFact], real_filing: Path
) -> None:
    lines = load(real_filing.read_bytes(), real_filing.name).lines
    assert len(real) >= 60
    for fact in real:
        assert fact.text and fact.text == fact.text.strip()
        first_words = fact.text.split()[0]
        assert first_words in lines[fact.line - 1].text, fact


# --- our sample filings (samples/filings/README.md answer key) --------------------------


def test_sample_kestrel_2023_prose() -> None:
    facts = _facts(_sample("kestrel-ridge-2023-annual-mda.txt"))
    assert {f.period_end: f.value for f in _pick(facts, "cash")} == {
        "2023-12-31": 5873114.0,
        "2022-12-31": 13842341.0,
    }  # row 8
    assert _one(facts, "working_capital", line=351).value == 6418902.0
    assert {f.period_end: f.value for f in _pick(facts, "shares_outstanding")} == {
        "2023-12-31": 163482917.0,
        "2024-03-27": 185982917.0,
    }  # row 19
    assert {f.period_end: f.value for f in _pick(facts, "options_outstanding")} == {
        "2023-12-31": 11465000.0,
        "2024-03-27": 11915000.0,
    }
    reserve = _one(facts, "reserve_tonnage_mt", line=56, subject="North Zone", value=48.6)
    assert reserve.qualifiers["effective_date"] == "2023-03-31"  # row 20
    total = _one(facts, "reserve_tonnage_mt", value=62.8)
    assert total.qualifiers["category"] == "proven_and_probable"
    npv = _one(facts, "npv", line=139)  # row 41
    assert (
        npv.value,
        npv.subject,
        npv.qualifiers["discount_rate_pct"],
        npv.qualifiers["pre_tax"],
    ) == (
        1360000000.0,
        "Coyote Wells",
        8.0,
        True,
    )
    assert _one(facts, "irr", line=139).value == 16.4
    assert _one(facts, "payback_years", line=139).value == 5.2
    assert {f.period_end: f.value for f in _pick(facts, "net_income", months=12)} == {
        "2023-12-31": -18121337.0,
        "2022-12-31": -22183917.0,
    }
    q4 = _one(facts, "net_income", months=3)  # "for the three months ended December 31, 2023"
    assert (q4.value, q4.period_end) == (-4700531.0, "2023-12-31")


def test_sample_kestrel_2024_q3_prose() -> None:
    facts = _facts(_sample("kestrel-ridge-2024-q3-mda.txt"))
    three = {f.period_end: f for f in _pick(facts, "net_income", months=3)}
    nine = {f.period_end: f for f in _pick(facts, "net_income", months=9)}
    assert three["2024-09-30"].value == -5080667.0
    assert (three["2023-09-30"].value, three["2023-09-30"].qualifiers["restated"]) == (
        -4639107.0,
        True,
    )
    assert nine["2024-09-30"].value == -12685935.0
    assert nine["2023-09-30"].value == -13606806.0
    assert _one(facts, "working_capital", line=118).value == 3512806.0  # row 59
    assert {f.period_end: f.value for f in _pick(facts, "shares_outstanding")} == {
        "2024-09-30": 186192917.0,
        "2024-11-12": 186192917.0,
    }  # row 60: one count stated for both dates
    assert {f.period_end: f.value for f in _pick(facts, "options_outstanding")} == {
        "2024-09-30": 11705000.0,
        "2024-11-12": 11705000.0,
    }


def test_sample_kestrel_2024_annual_prose() -> None:
    facts = _facts(_sample("kestrel-ridge-2024-annual-mda.txt"))
    loss = {f.period_end: f for f in _pick(facts, "net_income")}
    assert loss["2024-12-31"].value == -17664276.0
    assert (loss["2023-12-31"].value, loss["2023-12-31"].qualifiers["restated"]) == (
        -18307337.0,
        True,
    )
    assert _one(facts, "working_capital").value == 3690155.0  # row 68
    assert {f.period_end: f.value for f in _pick(facts, "cash")} == {
        "2024-12-31": 3302424.0,
        "2023-12-31": 5873114.0,
    }
    # "decreased to $11,929,936 in 2024 from $12,515,339 in 2023"
    assert {f.period_end: f.value for f in _pick(facts, "exploration_expense")} == {
        "2024-12-31": -11929936.0,
        "2023-12-31": -12515339.0,
    }
    assert {f.period_end: f.value for f in _pick(facts, "shares_outstanding")} == {
        "2024-12-31": 198192917.0,
        "2025-03-25": 198542917.0,
    }  # row 69; the weighted average of line 94 is not among them
    assert {f.period_end: f.value for f in _pick(facts, "options_outstanding")} == {
        "2024-12-31": 12640000.0,
        "2025-03-25": 12290000.0,
    }


def test_sample_wattle_creek_prose() -> None:
    facts = _facts(_sample("wattle-creek-2024-annual-mda.txt"))
    assert {f.period_end: f.value for f in _pick(facts, "cash", line=103)} == {
        "2024-06-30": 58214000.0,
        "2023-06-30": 31906000.0,
    }
    assert {f.period_end: f.value for f in _pick(facts, "working_capital")} == {
        "2024-06-30": 49870000.0,
        "2023-06-30": 24115000.0,
    }
    assert {f.unit for f in facts if f.concept in ("cash", "working_capital")} == {"AUD"}
    # "As at June 30, 2024 and the date of this MD&A" (dated 26 September 2024), row 85
    assert {f.period_end: f.value for f in _pick(facts, "shares_outstanding")} == {
        "2024-06-30": 604882115.0,
        "2024-09-26": 605632115.0,
    }
    assert _one(facts, "options_outstanding").value == 14250000.0
    mi = _one(facts, "resource_tonnage_mt")
    assert (mi.value, mi.subject, mi.qualifiers["category"]) == (
        25.21,
        "Bellbird",
        "measured_indicated",
    )


@pytest.mark.parametrize(
    ("name", "count", "period_end"),
    [
        ("kestrel-ridge-2023-annual-mda.txt", 153_284_600.0, "2023-12-31"),
        # "(FY2023: 2.53 cents on 594,120,000 shares)" is the comparative, not this count's
        ("wattle-creek-2024-annual-mda.txt", 598_214_000.0, "2024-06-30"),
    ],
)
def test_weighted_average_shares_in_prose(name: str, count: float, period_end: str) -> None:
    (fact,) = _pick(_facts(_sample(name)), "weighted_average_shares")
    assert (fact.value, fact.unit, fact.period_end, fact.months) == (
        count,
        "shares",
        period_end,
        12,
    )
    assert fact.half_unit == 0.5


def test_weighted_average_shares_skip_a_bracketed_comparative_period() -> None:
    text = (
        b"ACME GOLD CORP.\nMANAGEMENT'S DISCUSSION AND ANALYSIS\n"
        b"For the year ended December 31, 2024\n\n"
        b"Net loss per share was $0.05 (2023 - $0.04), based on a weighted average of "
        b"20,000,000 common shares.\n"
    )
    (fact,) = _pick(_facts(text), "weighted_average_shares")
    assert (fact.value, fact.period_end, fact.months) == (20_000_000.0, "2024-12-31", 12)
