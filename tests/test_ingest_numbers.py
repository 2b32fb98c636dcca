"""Printed numbers and periods, read one cell or header at a time."""

from __future__ import annotations

import pytest

from ingest.lexicon.dates import parse_date, parse_period
from ingest.lexicon.numbers import parse_number, split_footnotes


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1,090", 1090.0),
        ("(15,196,129)", -15196129.0),
        ("$ (4,977,434)", -4977434.0),
        ("$ 7,966,902", 7966902.0),
        ("\u2212 1,234", -1234.0),  # normalised text keeps a plain minus; raw U+2212 too
        ("-1,234.5", -1234.5),
        ("14.8%", 14.8),
        ("$1,223", 1223.0),
        ("C$ 2.50", 2.5),
        ("A$(12)", -12.0),
        ("0.006", 0.006),
        ("4,699,256 (1)", 4699256.0),
        ("1 234 567", 1234567.0),
    ],
)
def test_numbers_read(raw: str, value: float) -> None:
    text = raw.replace("\u2212", "-")
    assert parse_number(text).value == value


@pytest.mark.parametrize("raw", ["-", "---", "Nil", "$ -", "NIL", "n/a"])
def test_nil_tokens_are_a_stated_nothing(raw: str) -> None:
    n = parse_number(raw)
    assert n.value is None and n.is_nil


@pytest.mark.parametrize("raw", ["1,09O", "12.3.4", "$ 4,5OO", "1,2,3"])
def test_garbled_numbers_are_flagged(raw: str) -> None:
    n = parse_number(raw)
    assert n.value is None and n.garbled and not n.is_nil


def test_text_is_not_garbled() -> None:
    assert not parse_number("Oxide").garbled
    assert parse_number("Oxide").value is None


@pytest.mark.parametrize(
    "raw", ["U3O8 (%)", "(% U3O8)", "V2O5 (%)", "P2O5 (%)", "B2O3 (%)", "Nb2O5 (%)", "(t x 1,000)"]
)
def test_a_formula_or_unit_shaped_like_a_number_is_text(raw: str) -> None:
    # Two digits, two letters and "(%)": the shape of a misread number, but a header.
    n = parse_number(raw)
    assert n.value is None and not n.garbled


def test_footnote_markers_leave_labels() -> None:
    assert split_footnotes("Working capital (1)") == ("Working capital", ("1",))
    assert split_footnotes("NPV (7.5%)") == ("NPV (7.5%)", ())
    assert split_footnotes("Total assets*") == ("Total assets", ("*",))


def test_a_unit_in_parentheses_is_not_a_footnote_marker() -> None:
    # "(t)" is a letter in parentheses, like "(a)", but the unit lexicon reads it as tonnes.
    assert split_footnotes("Ore milled (t)") == ("Ore milled (t)", ())
    assert split_footnotes("Ore milled (t) (1)") == ("Ore milled (t)", ("1",))
    assert split_footnotes("Ore milled (a)") == ("Ore milled", ("a",))


@pytest.mark.parametrize(
    ("header", "start", "end", "months"),
    [
        ("Three Months Ended September 30, 2012", "2012-07-01", "2012-09-30", 3),
        ("Year Ended December 31, 2012", "2012-01-01", "2012-12-31", 12),
        ("Six Months Ended August 31, 2021", "2021-03-01", "2021-08-31", 6),
        ("Nine months ended September 30, 2005", "2005-01-01", "2005-09-30", 9),
        ("Year ended September 30, 2010", "2009-10-01", "2010-09-30", 12),
        ("As at December 31, 2012", None, "2012-12-31", 0),
        ("Quarter ended 30 June 2020", "2020-04-01", "2020-06-30", 3),
    ],
)
def test_period_headers(header: str, start: str | None, end: str, months: int) -> None:
    p = parse_period(header)
    assert p is not None
    assert (p.start, p.end, p.months) == (start, end, months)


def test_year_only_and_fiscal_quarters_use_the_year_end() -> None:
    p = parse_period("2013", year_end=(6, 30))
    assert (p.start, p.end, p.months) == ("2012-07-01", "2013-06-30", 12)
    q = parse_period("Q1 2009", year_end=(6, 30))
    assert (q.start, q.end, q.months) == ("2008-07-01", "2008-09-30", 3)
    assert parse_period("Q4 2012").end == "2012-12-31"


def test_bare_dates_are_instants_unless_the_table_is_quarterly() -> None:
    assert parse_period("Jun 30, 2008").months == 0
    assert parse_period("Jun 30, 2008", bare_date_months=3).start == "2008-04-01"


def test_dates_in_prose() -> None:
    assert parse_date("effective as of March 25, 2013 totals").isoformat() == "2013-03-25"
    assert parse_date("on 30 June 2023").isoformat() == "2023-06-30"
    assert parse_date("February 30, 2013") is None


def test_non_ascii_letters_never_match_period_words() -> None:
    # A dotless i matches "i" under Unicode case folding; it must not break the lookup.
    assert parse_period("Nıne Months Ended September 30, 2012").months == 0
    assert parse_period("Nine Months Ended September 30, 2012").months == 9


def test_amounts_in_pence_and_cents() -> None:
    assert (parse_number("(10.09 pence)").value, parse_number("(10.09 pence)").subunit) == (
        -10.09,
        True,
    )
    assert (parse_number("5.21c").value, parse_number("5.21c").subunit) == (5.21, True)
    assert parse_number("(0.30)").subunit is False
