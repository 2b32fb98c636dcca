"""Period facts: concepts, periods, units and one sign convention across tables."""

from __future__ import annotations

from ingest import parse_filing
from ingest.extractors.facts import extract_facts
from ingest.lexicon.concepts import concept_for
from ingest.lexicon.signs import nature
from ingest.model import Metadata
from ingest.readers.text import load
from ingest.tables import read_tables

ANNUAL_2012 = Metadata(period_end="2012-12-31", period_type="annual", currency="USD")


def _facts(data: bytes, md: Metadata = ANNUAL_2012):
    doc = load(data, "f.txt")
    tables, _ = read_tables(doc, md)
    return extract_facts(tables)


def _find(facts, concept, end, months=None):
    return [
        f
        for f in facts
        if f.concept == concept and f.period_end == end and (months is None or f.months == months)
    ]


def test_net_loss_has_one_value_in_three_conventions(real_filing) -> None:
    facts, issues = _facts(real_filing.read_bytes())
    annual = _find(facts, "net_income", "2012-12-31", 12)
    # Selected annual information prints (15,196,129); results of operations prints it
    # positive with the expenses: both become the same signed value.
    assert sorted(f.line for f in annual) == [352, 388]
    assert {f.value for f in annual} == {-15196129.0}
    assert {f.reported_value for f in annual} == {-15196129.0, 15196129.0}
    q4 = _find(facts, "net_income", "2012-12-31", 3)
    assert [(f.value, f.line, f.period_start) for f in q4] == [(-4977434.0, 571, "2012-10-01")]
    assert not [i for i in issues if i.kind in ("tie_out", "conflicting_value")]


def test_expenses_negative_gains_positive_everywhere(real_filing) -> None:
    facts, _ = _facts(real_filing.read_bytes())
    by = {(f.concept, f.period_end, f.months, f.line): f.value for f in facts}
    assert by[("exploration_expense", "2012-12-31", 12, 376)] == -7966902.0
    assert by[("exploration_expense", "2012-12-31", 3, 562)] == -987942.0
    assert by[("interest_income", "2012-12-31", 12, 386)] == 190449.0
    assert by[("interest_income", "2012-12-31", 3, 567)] == 22293.0
    assert by[("interest_expense", "2012-12-31", 3, 568)] == -63134.0
    assert by[("gain_loss_on_sale_of_mineral_property_interest", "2012-12-31", 12, 385)] == 104914.0
    assert by[("gain_loss_on_sale_of_mineral_property_interest", "2012-03-31", 3, 564)] == 104914.0
    assert by[("deferred_income_tax", "2012-12-31", 12, 387)] == -329770.0
    assert by[("deferred_income_tax", "2012-09-30", 3, 570)] == 204780.0
    assert by[("operating_income", "2012-12-31", 3, 566)] == -2742981.0
    # The four quarters add up to the year for lines printed both ways.
    quarters = [
        f.value
        for f in facts
        if f.concept == "interest_expense" and f.months == 3 and f.period_end.startswith("2012")
    ]
    assert sum(quarters) == -229359.0


def test_balances_are_instants_and_units(real_filing) -> None:
    facts, _ = _facts(real_filing.read_bytes())
    (wc,) = _find(facts, "working_capital", "2012-12-31")
    assert (wc.months, wc.period_start, wc.value, wc.unit) == (0, None, 4699256.0, "USD")
    (eps,) = _find(facts, "net_income_per_share", "2012-12-31", 12)
    assert (eps.value, eps.unit) == (-0.12, "USD/share")
    shares = _find(
        facts, "cash_provided_financing_activities__exercise_of_over_allotment_shares", "2012-12-31"
    )
    assert [(f.value, f.unit) for f in shares] == [(1320455.0, "shares")]
    (us,) = _find(facts, "mineral_properties_expenditures__us", "2012-12-31")
    assert us.value == 5857999.0 and us.section == "REVIEW OF OPERATIONS"


EIGHT_QUARTERS = """NORTHERN TIN CORP.
MANAGEMENT'S DISCUSSION AND ANALYSIS
(Expressed in thousands of Canadian dollars)

SUMMARY OF QUARTERLY RESULTS

\tJun 30, 2008\tMar 31, 2008\tDec 31, 2007\tSep 30, 2007\tJun 30, 2007\tMar 31, 2007\tDec 31, 2006\tSep 30, 2006
Interest income\t41\t38\t52\t60\t44\t31\t29\t25
Net loss for the period\t(1,210)\t(980)\t(1,455)\t(877)\t(640)\t(702)\t(515)\t(498)
Basic and diluted loss per share\t(0.02)\t(0.01)\t(0.02)\t(0.01)\t(0.01)\t(0.01)\t(0.01)\t(0.01)
"""


def test_eight_quarter_summary_in_thousands() -> None:
    md = Metadata(period_end="2008-06-30", period_type="annual", currency="CAD")
    facts, issues = _facts(EIGHT_QUARTERS.encode(), md)
    loss = [f for f in facts if f.concept == "net_income"]
    assert len(loss) == 8
    assert {f.months for f in loss} == {3}
    first = loss[0]
    assert (first.period_start, first.period_end, first.value, first.unit) == (
        "2008-04-01",
        "2008-06-30",
        -1210000.0,
        "CAD",
    )
    eps = [f for f in facts if f.concept == "net_income_per_share"]
    assert eps[0].value == -0.02 and eps[0].unit == "CAD/share"


def test_concepts_fold_synonyms() -> None:
    assert concept_for("Net Loss") == "net_income"
    assert concept_for("Net loss and comprehensive loss for the year") == "net_income"
    assert concept_for("Net income (loss)") == "net_income"
    assert concept_for("Loss (gain) on sale of mineral property interest") == concept_for(
        "Gain on sale of mineral property interest"
    )
    assert concept_for("Deferred income tax recovery (expense)") == "deferred_income_tax"
    assert concept_for("Deferred income tax recovery") == "deferred_income_tax"
    assert concept_for("Loss from operations") == "operating_income"
    assert concept_for("Exploration") == "exploration_expense"


def test_natures() -> None:
    assert nature("Exploration") == "expense"
    assert nature("Interest income") == "income"
    assert nature("Net loss") == "result"
    assert nature("Loss from equity investee") == "expense"
    assert nature("Working capital") == "neutral"
    assert nature("Deferred income tax recovery (expense)") == "mixed_income"
    assert nature("Loss (gain) on sale of mineral property interest") == "mixed_expense"


TIE_OUT = """RESULTS OF OPERATIONS

\tYear Ended December 31, 2020\tYear Ended December 31, 2019
Exploration\t1,000\t800
General and administrative\t500\t400
Net loss\t1,400\t1,200
"""


def test_a_result_that_does_not_tie_is_an_issue() -> None:
    facts, _ = _facts(TIE_OUT.encode())
    issues = parse_filing(TIE_OUT.encode(), name="f.txt").issues
    tie = [i for i in issues if i.kind == "tie_out"]
    assert [(i.line, "2020-12-31" in i.reason) for i in tie] == [(6, True)]
    assert _find(facts, "net_income", "2019-12-31")[0].value == -1200.0
