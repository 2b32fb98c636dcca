"""The parser's vocabulary: each idea has one source, and prose and tables share it."""

from __future__ import annotations

import re

import pytest

from conftest import SAMPLES_DIR
from ingest.extractors import economics, resource_basis
from ingest.extractors.narrative import extract_narrative_facts
from ingest.lexicon import concepts, dates, scales
from ingest.lexicon.commodities import PROSE_WORDS, commodity_of
from ingest.lexicon.concepts import PHRASES, PROSE_ONLY, concept_for
from ingest.lexicon.currencies import (
    _NAME_RE,
    _SYMBOL_RE,
    NAME_WORDS,
    NAMES,
    code_for_symbol,
    currency_of,
)
from ingest.lexicon.numbers import parse_number
from ingest.lexicon.scenarios import scenario_of
from ingest.model import Metadata
from ingest.prose.amounts import find_amounts
from ingest.prose.sentences import has_digit, keyword_text
from ingest.readers.text import load
from ingest.tables import build

pytestmark = pytest.mark.unit


def test_every_prose_concept_is_a_table_concept_or_listed_as_prose_only() -> None:
    for _, concept, _ in PHRASES:
        if concept.name in PROSE_ONLY:
            assert concept.labels is None, f"{concept.name} is listed prose-only but has labels"
        else:
            assert concept.labels, (
                f"prose concept {concept.name!r} has no table labels and is not in PROSE_ONLY"
            )
    assert set(PROSE_ONLY) <= {c.name for _, c, _ in PHRASES}


@pytest.mark.parametrize(
    ("label", "sentence", "concept"),
    [
        (
            "General and administrative",
            "General and administrative expenses were $1,250,000 for the year ended "
            "December 31, 2023.",
            "general_and_administrative_expense",
        ),
        (
            "Stock-based compensation",
            "Stock-based compensation was $412,000 for the year ended December 31, 2023.",
            "stock_based_compensation_expense",
        ),
        (
            "Net loss for the year",
            "The net loss for the year ended December 31, 2023 was $2,100,000.",
            "net_income",
        ),
        (
            "Working capital",
            "Working capital at December 31, 2023 was $3,400,000.",
            "working_capital",
        ),
    ],
)
def test_table_label_and_prose_phrase_give_one_concept(label, sentence, concept) -> None:
    assert concept_for(label) == concept
    meta = Metadata(
        company_name="Example Corp.",
        period_type="annual",
        period_end="2023-12-31",
        period_start="2023-01-01",
        currency="USD",
    )
    found, issues = extract_narrative_facts(load(sentence.encode(), "prose.txt"), meta)
    assert issues == []
    assert [f.concept for f in found] == [concept]


def test_unlisted_label_becomes_its_own_concept() -> None:
    assert concept_for("Total assets") == "total_assets"
    assert concept_for("Loss (gain) on sale of equipment") == "gain_loss_on_sale_of_equipment"
    assert concept_for("Deferred income tax recovery") == "deferred_income_tax"
    assert concepts.slug("Office & rent") == "office_and_rent"


def test_scale_words_have_one_source() -> None:
    assert scales.scale_word("Million") == 1e6
    assert scales.scale_word("bn") == 1e9
    assert scales.scale_word(None) == 1.0
    (amount,) = find_amounts("The capital cost is $1.25 billion.", "USD")
    assert amount.value == 1.25e9
    assert scales.scale_of("(in thousands of US dollars)") == 1e3


def test_currency_symbols_have_one_source() -> None:
    assert code_for_symbol("Cdn $", "USD") == "CAD"
    assert code_for_symbol("$", "AUD") == "AUD"
    assert currency_of("Amount (A$000s)") == "AUD"
    assert currency_of("expressed in Canadian dollars") == "CAD"
    assert parse_number("C$ (1,234)").value == -1234.0
    (amount,) = find_amounts("cash of A$3.2 million", "USD")
    assert (amount.unit, amount.value) == ("AUD", 3.2e6)


# Headers, titles and sentences the cheap tests in front of the scale, currency and date
# patterns must let through (or may skip), with the case and letters re.IGNORECASE folds.
_PREFILTER_TEXTS = [
    "(in thousands of US dollars)",
    "(IN THOUSANDS)",
    "Amounts in MILLIONS of dollars",
    "US$ 000s",
    "(000's)",
    "$M",
    "Capex ($ bn)",
    "(millions)",
    "1.2 Billion tonnes",
    "expressed in Canadian dollars",
    "Pounds Sterling",
    "EUROS",
    "(in thou\u017fands)",  # re.IGNORECASE takes "ſ" for "s"
    "m\u0131llions of",  # dotless i
    "ZAR 12",
    "Total (CAD)",
    "Three Months Ended September 30, 2012",
    "31 DECEMBER 2020",
    "2020-12-31",
    "Tonnage (Mt)",
    "Cu (%)",
    "1,090",
]


def _sample_lines() -> list[str]:
    return [
        line
        for path in sorted(SAMPLES_DIR.glob("*.txt"))
        for line in load(path.read_bytes(), path.name).lines
        for line in [line.text]
        if line.strip()
    ]


def test_cheap_tests_before_the_patterns_never_skip_a_match() -> None:
    """Scales, currencies and dates test for a word every match holds before they run their
    patterns; those tests must decide as the patterns would."""
    assert all(any(w in name for w in NAME_WORDS) for name in NAMES)
    for text in [*_PREFILTER_TEXTS, *_sample_lines()]:
        scale = next((f for rx, f in scales._SCALE_RES if rx.search(text)), 1.0)
        assert scales.scale_of.__wrapped__(text) == scale, text
        m = _SYMBOL_RE.search(text)
        n = _NAME_RE.search(text)
        code = code_for_symbol(m.group(1), "X") if m else NAMES[n.group(1).lower()] if n else "X"
        assert currency_of.__wrapped__(text, "X") == code, text
        assert dates.has_date(text) == (dates.DATE_RE.search(text) is not None), text


def test_cheap_tests_before_the_extractors_patterns_never_skip_a_match() -> None:
    """The same for the total-row, resources-basis and price-deck patterns."""
    texts = [
        *_PREFILTER_TEXTS,
        *_sample_lines(),
        "Sub-total",
        "SUBTOTAL",
        "Grand Total",
        "Totals",
        "Mineral resources are INCLUSIVE of mineral reserves",
        "resources are reported exclusive of Ore Reserves",
        "in addition to mineral reserves",
        "the reserves are not additive to the resources",
        "Feasibility Study at a copper price of $3.00/lb",
        "the PEA uses US$1,200/oz",
        "at a cut-off of $15/t",
        "results of the Red Fox Pre-Feasibility Study",
        "the Company's Hugo North Prefeasibility",
        "on the Ann Mason Project",
    ]
    for text in texts:
        if build._SUBTOTAL_RE.search(text):
            assert build._may_total(text, "sub"), text
        if build._TOTAL_RE.search(text):
            assert build._may_total(text, "total", "sub-"), text
        if resource_basis._EXCLUSIVE.search(text):
            assert resource_basis._may_state(text, resource_basis._EXCLUSIVE_WORDS), text
        if resource_basis._INCLUSIVE.search(text):
            assert resource_basis._may_state(text, resource_basis._INCLUSIVE_WORDS), text
        if economics._DECK_CONTEXT.search(text):
            words = keyword_text(text, text.lower())
            assert any(w in words for w in economics._DECK_WORDS), text
        for pattern, _, words in economics._PROPERTY_PATTERNS:
            if words and pattern.search(text):
                assert any(w in text for w in words), text


def test_one_date_grammar_for_headers_and_prose() -> None:
    for text in (
        "December 31, 2020",
        "31 December 2020",
        "Dec. 31 2020",
        "2020-12-31",
        "31st December, 2020",
    ):
        assert dates.iso_date(text) == "2020-12-31", text
        assert re.fullmatch(dates.DATE, text, re.I), text
    assert dates.iso_date("the Mayor 15, 2020 meeting") is None
    period = dates.parse_period("Three Months Ended Sept. 30, 2012")
    assert (period.end, period.months, period.start) == ("2012-09-30", 3, "2012-07-01")


def test_fiscal_year_end_from_annual_and_interim_filings() -> None:
    annual = Metadata(period_type="annual", period_end="2023-06-30")
    interim = Metadata(period_type="six_months", period_end="2021-08-31", period_start="2021-03-01")
    assert dates.year_end_of(annual) == (6, 30)
    assert dates.year_end_of(interim) == (2, 28)
    # In an interim filing's prose, a bare year is the same period a year earlier.
    assert dates.annual_year_end(interim) is None


def test_commodities_and_scenarios_have_one_source() -> None:
    assert PROSE_WORDS["gold"] == "Au" and PROSE_WORDS["u3o8"] == "U3O8"
    assert commodity_of("Graphite (Cg %)") == "Cg"
    assert scenario_of("Upside Case")[0] == "high"
    assert scenario_of("Spot Case (Oct 15/2012)") == ("spot", "2012-10-15")


def test_has_digit_agrees_with_the_digit_pattern() -> None:
    # No character below U+0660 but "0"-"9" is a digit to ``\d``: text whose characters are
    # all below it needs no pattern search.
    digit = re.compile(r"\d")
    assert [c for c in range(0x660) if digit.match(chr(c))] == list(range(0x30, 0x3A))
    for text in ["Entrée", "Entrée 2012", "٣ tonnes", "Entrée ٣", "fullwidth ３", "–", ""]:
        assert has_digit(text) == (digit.search(text) is not None), text
