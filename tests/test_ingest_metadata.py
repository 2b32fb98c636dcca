"""Metadata read from the opening of a filing: company, period, currency, basis, date, tickers."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLES_DIR
from ingest.extractors.metadata import extract_metadata, period_start
from ingest.model import Metadata
from ingest.readers.text import load


def _meta(text: str) -> Metadata:
    meta, issues = extract_metadata(load(text.encode("utf-8"), "inline.txt"))
    assert issues == []
    return meta


def _file_meta(path: Path) -> Metadata:
    meta, issues = extract_metadata(load(path.read_bytes(), path.name))
    assert issues == []
    return meta


def _sample(name: str) -> Path:
    path = SAMPLES_DIR / name
    if not path.is_file():
        pytest.skip(f"sample filing {name} not present in {SAMPLES_DIR}")
    return path


# --- the real filing -------------------------------------------------------------------


def test_real_filing_metadata(real_filing: Path) -> None:
    meta = _file_meta(real_filing)
    assert meta.company_name == "Entrée Gold Inc."
    assert meta.report_type == "MD&A"
    assert meta.period_type == "annual"
    assert meta.period_start == "2012-01-01"
    assert meta.period_end == "2012-12-31"
    assert meta.fiscal_year == 2012
    assert meta.currency == "USD"
    # The filing closes with a paragraph on the transition to IFRS; it is US GAAP.
    assert meta.accounting_basis == "US GAAP"
    assert meta.effective_date == "2013-03-28"


def test_real_filing_tickers_are_the_companys_own(real_filing: Path) -> None:
    meta = _file_meta(real_filing)
    # NYSE MKT is NYSE American's former name; TSX because the Venture listing was
    # discontinued; the partners' "(ASX:AGO)" and "(ASX:BFE ...)" are not the company's.
    assert meta.tickers == [
        {"exchange": "NYSE American", "symbol": "EGI"},
        {"exchange": "TSX", "symbol": "ETG"},
        {"exchange": "FSE", "symbol": "EKA"},
    ]


# --- inline fixtures (invented text) ---------------------------------------------------

_INTERIM_FEB = """
Harrow Lake Lithium Corp.
Management's Discussion and Analysis
For the six months ended August 31, 2023
Dated: October 27, 2023

This management's discussion and analysis ("MD&A") of Harrow Lake Lithium Corp. (the
"Company" or "Harrow Lake") covers the six months ended August 31, 2023 and should be read
with the audited financial statements for the fiscal year ended February 28, 2023, prepared
in accordance with International Financial Reporting Standards ("IFRS"). All dollar amounts
are expressed in Canadian dollars unless otherwise stated.

The Company's shares trade on the TSX Venture Exchange under the symbol "HLL" and on the
OTCQB under the symbol "HLLCF".
"""


def test_interim_of_a_february_fiscal_year() -> None:
    meta = _meta(_INTERIM_FEB)
    assert meta.company_name == "Harrow Lake Lithium Corp."
    assert meta.report_type == "MD&A"
    assert meta.period_type == "six_months"
    assert meta.period_start == "2023-03-01"
    assert meta.period_end == "2023-08-31"
    # The fiscal year that ends February 29, 2024 holds this half year.
    assert meta.fiscal_year == 2024
    assert meta.currency == "CAD"
    assert meta.accounting_basis == "IFRS"
    assert meta.effective_date == "2023-10-27"
    assert meta.tickers == [
        {"exchange": "TSXV", "symbol": "HLL"},
        {"exchange": "OTCQB", "symbol": "HLLCF"},
    ]


def test_quarter_of_a_june_fiscal_year_and_prepared_as_of() -> None:
    meta = _meta(
        "Management's Discussion and Analysis\n\n"
        'This MD&A of Tern Bay Mining Ltd. (the "Company") is for the quarter ended '
        "September 30, 2022 and should be read with the audited financial statements for the "
        "year ended June 30, 2022. This MD&A is prepared as of November 14, 2022. All amounts "
        "are in United States dollars.\n"
    )
    assert meta.company_name == "Tern Bay Mining Ltd."
    assert (meta.period_type, meta.period_start, meta.period_end) == (
        "quarter",
        "2022-07-01",
        "2022-09-30",
    )
    assert meta.fiscal_year == 2023
    assert meta.currency == "USD"
    assert meta.effective_date == "2022-11-14"


def test_three_and_nine_months_is_a_nine_month_filing() -> None:
    meta = _meta(
        "GREYWACKE GOLD INC.\nMANAGEMENT'S DISCUSSION AND ANALYSIS FOR THE THREE AND NINE MONTHS "
        "ENDED SEPTEMBER 30, 2019\n\nThe date of this MD&A is November 6, 2019.\n"
    )
    assert meta.period_type == "nine_months"
    assert meta.period_start == "2019-01-01"
    assert meta.period_end == "2019-09-30"
    assert meta.fiscal_year == 2019  # no fiscal year end stated: the calendar year
    assert meta.effective_date == "2019-11-06"


def test_quarter_and_year_is_annual_and_years_ended_takes_the_latest() -> None:
    assert _meta("MD&A for the quarter and year ended December 31, 2020\n").period_type == "annual"
    meta = _meta(
        "MD&A\n\nThe results for the years ended November 30, 2020 and November 30, 2021 are "
        "presented in Canadian dollars.\n"
    )
    assert (meta.period_type, meta.period_end, meta.fiscal_year) == ("annual", "2021-11-30", 2021)
    assert meta.period_start == "2020-12-01"


def test_day_first_dates_and_australian_dollars() -> None:
    meta = _meta(
        "Quarterly Activities Report to 31 March 2024\n\nAll figures are in thousands of "
        "Australian dollars unless stated otherwise.\n"
    )
    assert meta.report_type == "quarterly report"
    assert (meta.period_type, meta.period_end) == ("quarter", "2024-03-31")
    assert meta.currency == "AUD"


def test_currency_from_prefixed_amounts_when_no_statement() -> None:
    meta = _meta("Gold sales of A$46.2M at A$2,410/oz and costs of A$1,102/oz.\n")
    assert meta.currency == "AUD"
    assert _meta("Nothing here states money.\n").currency is None


def test_transition_paragraph_does_not_change_the_basis() -> None:
    meta = _meta(
        "MD&A\n\nThe consolidated financial statements have been prepared in accordance with "
        'Canadian generally accepted accounting principles ("GAAP").\n\nCanadian publicly '
        "accountable enterprises will transition to International Financial Reporting Standards "
        '("IFRS") for fiscal years beginning on or after January 1, 2011.\n'
    )
    assert meta.accounting_basis == "Canadian GAAP"


def test_effective_date_falls_back_to_the_share_data_date() -> None:
    meta = _meta(
        "MD&A\n\nFor the year ended December 31, 2018.\n\nAs at December 31, 2018 and April 2, "
        "2019, there were 51,000,000 and 52,250,000 common shares outstanding, respectively.\n"
    )
    assert meta.effective_date == "2019-04-02"


def test_partner_ticker_is_not_the_companys() -> None:
    meta = _meta(
        'Corvid Copper Inc. (TSX: CVD; NYSE American: CVDX) ("Corvid" or the "Company") is '
        "pleased to report results. Corvid holds 60% of the Emu JV with Banksia Metals Limited "
        "(ASX: BKM), which holds the remaining 40%.\n"
    )
    assert meta.company_name == "Corvid Copper Inc."
    assert meta.report_type == "news release"
    assert meta.tickers == [
        {"exchange": "TSX", "symbol": "CVD"},
        {"exchange": "NYSE American", "symbol": "CVDX"},
    ]


def test_nothing_stated_means_nothing_set() -> None:
    meta = _meta("Drilling continued at the northern target during the period.\n")
    assert meta.company_name is None
    assert meta.report_type is None
    assert meta.period_type is None and meta.period_end is None and meta.fiscal_year is None
    assert meta.accounting_basis is None and meta.effective_date is None
    assert meta.tickers == []


@pytest.mark.parametrize(
    ("end", "months", "start"),
    [
        ("2012-12-31", 12, "2012-01-01"),
        ("2021-08-31", 6, "2021-03-01"),
        ("2024-02-29", 12, "2023-03-01"),
        ("2022-09-30", 3, "2022-07-01"),
        ("2021-06-27", 12, "2020-06-28"),  # a 52-week year that does not end a month
        ("2021-06-27", 0, None),
        ("not a date", 12, None),
    ],
)
def test_period_start(end: str, months: int, start: str | None) -> None:
    assert period_start(end, months) == start


# --- excerpts of real filings (what each one states) -----------------------------------

_EXCERPTS = {
    # file: (report_type, period_type, period_end, currency, accounting_basis, effective_date)
    "01_twin_mining_2004_annual.txt": ("MD&A", None, None, "CAD", None, "2005-01-31"),
    "02_peru_copper_2005_q1.txt": (
        "MD&A",
        "quarter",
        "2005-03-31",
        "USD",
        "Canadian GAAP",
        "2005-05-05",
    ),
    "03_fronteer_development_2005_nine_months.txt": (
        "MD&A",
        "nine_months",
        "2005-09-30",
        "CAD",
        "Canadian GAAP",
        "2005-11-10",
    ),
    "04_farallon_resources_2007_q1.txt": (
        "MD&A",
        "quarter",
        "2007-09-30",
        "USD",
        None,
        "2007-11-08",
    ),
    "05_iamgold_2007_annual.txt": (
        "MD&A",
        "annual",
        "2007-12-31",
        "USD",
        "Canadian GAAP",
        "2008-03-27",
    ),
    "06_cooper_minerals_2008_annual.txt": (
        "MD&A",
        "annual",
        "2008-11-30",
        "CAD",
        "Canadian GAAP",
        "2009-03-27",
    ),
    "07_el_capitan_precious_metals_2010_annual.txt": (
        "MD&A",
        "annual",
        "2010-09-30",
        None,
        None,
        None,
    ),
    "08_energy_fuels_2011_annual.txt": (
        "MD&A",
        "annual",
        "2011-09-30",
        "CAD",
        "Canadian GAAP",
        "2011-12-17",
    ),
    "09_gold_standard_ventures_2013_annual.txt": (
        "MD&A",
        "annual",
        "2013-12-31",
        "CAD",
        "IFRS",
        "2014-03-31",
    ),
    "11_silver_standard_resources_2014_nine_months.txt": (
        "MD&A",
        "nine_months",
        "2014-09-30",
        "USD",
        "IFRS",
        "2014-11-05",
    ),
    "12_mountain_province_diamonds_2015_q1.txt": (
        "MD&A",
        "quarter",
        "2015-03-31",
        "CAD",
        "IFRS",
        "2015-05-13",
    ),
    "13_aura_minerals_2016_annual.txt": (
        "MD&A",
        "annual",
        "2016-12-31",
        "USD",
        "IFRS",
        "2017-03-24",
    ),
    "15_american_lithium_2021_six_months.txt": (
        "MD&A",
        "six_months",
        "2021-08-31",
        "CAD",
        "IFRS",
        "2021-10-29",
    ),
    "16_district_metals_2021_six_months.txt": (
        "MD&A",
        "six_months",
        "2021-12-31",
        "CAD",
        "IFRS",
        "2022-03-01",
    ),
    "17_alkane_resources_2022_september_quarter.txt": (
        "quarterly report",
        "quarter",
        "2022-09-30",
        "AUD",
        None,
        None,
    ),
    "18_avino_silver_gold_2022_annual.txt": (
        "MD&A",
        "annual",
        "2022-12-31",
        "USD",
        "IFRS",
        "2023-03-28",
    ),
    "19_magnetic_resources_2023_annual_report.txt": (
        "annual report",
        "annual",
        "2023-06-30",
        None,
        None,
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(_EXCERPTS))
def test_excerpt_metadata(excerpts_dir: Path, name: str) -> None:
    meta = _file_meta(excerpts_dir / name)
    got = (
        meta.report_type,
        meta.period_type,
        meta.period_end,
        meta.currency,
        meta.accounting_basis,
        meta.effective_date,
    )
    assert got == _EXCERPTS[name]


@pytest.mark.parametrize(
    ("name", "start", "fiscal_year"),
    [
        ("04_farallon_resources_2007_q1.txt", "2007-07-01", 2008),  # fiscal year ends June 30
        ("15_american_lithium_2021_six_months.txt", "2021-03-01", 2022),  # ends February 28
        ("16_district_metals_2021_six_months.txt", "2021-07-01", 2022),  # ends June 30
        ("06_cooper_minerals_2008_annual.txt", "2007-12-01", 2008),
        ("12_mountain_province_diamonds_2015_q1.txt", "2015-01-01", 2015),
    ],
)
def test_excerpt_fiscal_years(excerpts_dir: Path, name: str, start: str, fiscal_year: int) -> None:
    meta = _file_meta(excerpts_dir / name)
    assert (meta.period_start, meta.fiscal_year) == (start, fiscal_year)


@pytest.mark.parametrize(
    ("name", "company", "tickers"),
    [
        (
            "06_cooper_minerals_2008_annual.txt",
            "Cooper Minerals Inc.",
            [("TSXV", "CQ"), ("FSE", "JM6")],
        ),
        (
            "15_american_lithium_2021_six_months.txt",
            "American Lithium Corp.",
            [("TSXV", "LI"), ("FSE", "5LA"), ("OTCQB", "LIACF")],
        ),
        (
            "16_district_metals_2021_six_months.txt",
            "District Metals Corp.",
            [("TSXV", "DMX"), ("FSE", "DFPP")],
        ),
        ("20_midas_gold_2012_resource_estimate.txt", "Midas Gold Corp.", [("TSX", "MAX")]),
        (
            "21_elysium_resources_2015_resource_estimate.txt",
            "Elysium Resources Limited",
            [("ASX", "EYM")],
        ),
        (
            "22_goviex_uranium_2017_pea.txt",
            "GoviEx Uranium Inc.",
            [("TSXV", "GXU"), ("OTCQB", "GVXXF")],
        ),
        (
            "23_ero_copper_2021_feasibility_study.txt",
            "Ero Copper Corp.",
            [("TSX", "ERO"), ("NYSE", "ERO")],
        ),
        (
            "24_pure_gold_mining_2022_resource_estimate.txt",
            "Pure Gold Mining Inc.",
            [("TSXV", "PGM"), ("LSE", "PUR")],
        ),
        (
            "25_k92_mining_2022_integrated_development_plan.txt",
            "K92 Mining Inc.",
            [("TSX", "KNT"), ("OTCQX", "KNTNF")],
        ),
        ("03_fronteer_development_2005_nine_months.txt", "Fronteer Development Group Inc.", []),
        ("11_silver_standard_resources_2014_nine_months.txt", "Silver Standard Resources Inc.", []),
    ],
)
def test_excerpt_company_and_tickers(
    excerpts_dir: Path, name: str, company: str, tickers: list[tuple[str, str]]
) -> None:
    meta = _file_meta(excerpts_dir / name)
    assert meta.company_name == company
    assert [(t["exchange"], t["symbol"]) for t in meta.tickers] == tickers


def test_news_releases_are_not_mdas(excerpts_dir: Path) -> None:
    for name in ("20_midas_gold_2012_resource_estimate.txt", "22_goviex_uranium_2017_pea.txt"):
        assert _file_meta(excerpts_dir / name).report_type == "news release"


# --- our sample filings (values from samples/filings/README.md) -------------------------


def test_sample_kestrel_2023_annual() -> None:
    meta = _file_meta(_sample("kestrel-ridge-2023-annual-mda.txt"))
    assert meta.company_name == "Kestrel Ridge Copper Corp."
    assert (meta.period_type, meta.period_start, meta.period_end) == (
        "annual",
        "2023-01-01",
        "2023-12-31",
    )
    assert (meta.currency, meta.accounting_basis) == ("USD", "US GAAP")
    assert meta.effective_date == "2024-03-27"
    pairs = [(t["exchange"], t["symbol"]) for t in meta.tickers]
    assert pairs[:2] == [("TSX", "KRC"), ("NYSE American", "KRCX")]


def test_sample_kestrel_2024_q3() -> None:
    meta = _file_meta(_sample("kestrel-ridge-2024-q3-mda.txt"))
    assert (meta.period_type, meta.period_start, meta.period_end) == (
        "nine_months",
        "2024-01-01",
        "2024-09-30",
    )
    assert meta.fiscal_year == 2024
    assert meta.effective_date == "2024-11-12"


def test_sample_kestrel_2024_annual() -> None:
    meta = _file_meta(_sample("kestrel-ridge-2024-annual-mda.txt"))
    assert (meta.period_type, meta.period_end, meta.accounting_basis) == (
        "annual",
        "2024-12-31",
        "US GAAP",
    )
    assert meta.effective_date == "2025-03-25"


def test_sample_wattle_creek_june_year() -> None:
    meta = _file_meta(_sample("wattle-creek-2024-annual-mda.txt"))
    assert meta.company_name == "Wattle Creek Gold Limited"
    assert (meta.period_type, meta.period_start, meta.period_end, meta.fiscal_year) == (
        "annual",
        "2023-07-01",
        "2024-06-30",
        2024,
    )
    assert (meta.currency, meta.accounting_basis) == ("AUD", "IFRS")
    assert meta.effective_date == "2024-09-26"
    assert meta.tickers == [
        {"exchange": "ASX", "symbol": "WCG"},
        {"exchange": "OTCQX", "symbol": "WCGLF"},
    ]
