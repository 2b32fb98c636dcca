"""Metadata the text does not state: a sidecar file, the format's record, the file name."""

from __future__ import annotations

import json

import pytest

from ingest import parse_filing
from ingest.extractors.declared import _from_file_name
from ingest.sidecar import is_sidecar

pytestmark = pytest.mark.unit

_TEXT = (
    b"Results\n\n"
    b"Item\tYear ended December 31, 2023\tYear ended December 31, 2022\n"
    b"Net loss\t(1,500,000)\t(1,100,000)\n"
)
_STATED = (
    b'Kestrel Example Mining Corp. (the "Company") reports for the year ended '
    b"December 31, 2023. Amounts are expressed in Canadian dollars.\n\n" + _TEXT
)


def test_sidecar_beside_the_file_states_what_the_text_does_not(tmp_path) -> None:
    filing = tmp_path / "results.txt"
    filing.write_bytes(_TEXT)
    (tmp_path / "results.meta.json").write_text(
        json.dumps(
            {
                "company": "Heron Bay Resources Ltd.",
                "period_end": "2023-12-31",
                "period_type": "annual",
                "currency": "cad",
            }
        )  # fmt: skip
    )
    md = parse_filing(filing).metadata
    assert (md.company_name, md.period_end, md.period_type, md.currency) == (
        "Heron Bay Resources Ltd.",
        "2023-12-31",
        "annual",
        "CAD",
    )
    assert md.period_start == "2023-01-01"
    assert md.sources["company_name"] == "sidecar"
    assert md.sources["currency"] == "sidecar"


def test_yaml_sidecar_and_the_users_word_wins_over_the_text(tmp_path) -> None:
    filing = tmp_path / "kestrel.txt"
    filing.write_bytes(_STATED)
    (tmp_path / "kestrel.txt.meta.yaml").write_text("currency: USD\nperiod_type: annual\n")
    md = parse_filing(filing).metadata
    assert md.company_name == "Kestrel Example Mining Corp."
    assert md.sources["company_name"] == "text"
    assert (md.currency, md.sources["currency"]) == ("USD", "sidecar")


def test_bad_sidecar_is_an_issue_and_the_filing_is_read_without_it(tmp_path) -> None:
    filing = tmp_path / "kestrel.txt"
    filing.write_bytes(_STATED)
    (tmp_path / "kestrel.meta.json").write_text('{"company": "X", "period_end": "soon"')
    parsed = parse_filing(filing)
    (issue,) = [i for i in parsed.issues if i.kind == "sidecar"]
    assert "kestrel.meta.json" in issue.reason and "cannot be read" in issue.reason
    assert parsed.metadata.company_name == "Kestrel Example Mining Corp."
    # A readable sidecar with a bad value: that value is an issue, the rest is used.
    (tmp_path / "kestrel.meta.json").write_text('{"period_end": "soon", "currency": "EUR"}')
    parsed = parse_filing(filing)
    (issue,) = [i for i in parsed.issues if i.kind == "sidecar"]
    assert "'soon' is not a date" in issue.reason
    assert parsed.metadata.currency == "EUR"
    assert parsed.metadata.period_end == "2023-12-31"


def test_sidecar_bytes_with_bytes_and_sidecars_are_not_filings() -> None:
    parsed = parse_filing(
        _TEXT, name="results.txt", sidecar=(b'{"company": "Osprey Gold Inc."}', "results.meta.json")
    )
    assert parsed.metadata.company_name == "Osprey Gold Inc."
    assert is_sidecar("Results 2023.PDF.meta.yaml") and not is_sidecar("results.txt")


def test_file_name_is_the_last_resort_and_marked_inferred() -> None:
    parsed = parse_filing(_TEXT, name="heron-bay-resources-2023-annual-mda.txt")
    md = parsed.metadata
    assert (md.company_name, md.period_type, md.period_end) == (
        "Heron Bay Resources",
        "annual",
        "2023-12-31",
    )
    assert md.sources["company_name"] == "file_name"
    assert md.sources["period_end"] == "file_name"
    stated = parse_filing(_STATED, name="something-else-2019-q1.txt").metadata
    assert stated.company_name == "Kestrel Example Mining Corp."
    assert stated.period_end == "2023-12-31"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("acme-gold-2012-annual-mda.pdf", ("Acme Gold", "annual", "2012-12-31")),
        ("Acme_Gold_Q3_2024_MDA.pdf", ("Acme Gold", "quarter", "2024-09-30")),
        ("acme-h1-2022-interim.pdf", ("Acme", "six_months", "2022-06-30")),
        ("2024-annual-mda.txt", (None, "annual", "2024-12-31")),
        ("cp1252.txt", (None, None, None)),
    ],
)
def test_file_names(name, expected) -> None:
    got = _from_file_name(name)
    assert (got.get("company_name"), got.get("period_type"), got.get("period_end")) == expected


@pytest.mark.parametrize(
    ("name", "report_type", "period_end"),
    [
        ("acme-gold-2023-q3-mda.pdf", "MD&A", "2023-09-30"),
        ("acme-20f-2015.htm", "annual report", "2015-12-31"),
        ("Acme 2024 Annual Report.pdf", "annual report", "2024-12-31"),
        ("acme-ni-43-101-technical-report-2022.pdf", "technical report", "2022-12-31"),
        ("acme-10-Q-2023.htm", "quarterly report", None),  # which quarter, the name does not say
        ("acme-2023.pdf", None, "2023-12-31"),
    ],
)
def test_report_type_from_the_file_name(name, report_type, period_end) -> None:
    got = _from_file_name(name)
    assert (got.get("report_type"), got.get("period_end")) == (report_type, period_end)


def test_a_report_type_only_the_file_name_gives_is_marked_inferred() -> None:
    md = parse_filing(_TEXT, name="heron-bay-resources-2023-annual-mda.txt").metadata
    assert (md.report_type, md.sources.get("report_type")) == ("MD&A", "file_name")
