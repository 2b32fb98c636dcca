"""One filing in every format the inbox takes: ``python -m ingest FILE`` prints the same
JSON shape and the same records for a PDF, an HTML page, an EDGAR submission, a text file
and a markdown file; metadata an EDGAR header states, marked as its; units in row labels.

The filing is a fictional explorer's (Quillon Ridge Minerals Ltd., its Aldergrove copper
project), written here by hand in each format; its expenses add up to its net loss.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_ingest_pdf import Sheet, draw

from ingest import parse_filing, readers
from orchestration.filings.inbox import scan

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parent.parent
TOP_LEVEL = [
    "metadata",
    "tables",
    "facts",
    "properties",
    "estimates",
    "economics",
    "narrative_facts",
    "issues",
    "equivalences",
    "footings",
    "operating_results",
]
INTRO = (
    'Quillon Ridge Minerals Ltd. (the "Company") explores the Aldergrove copper project. '
    "This management's discussion and analysis covers the year ended December 31, 2024. "
    "All amounts are in Canadian dollars unless otherwise stated."
)
TITLE = "SELECTED FINANCIAL INFORMATION"
ROWS = [
    ("Exploration and evaluation", "(2,418,300)", "(1,902,750)"),
    ("General and administrative", "(815,420)", "(760,100)"),
    ("Net loss", "(3,233,720)", "(2,662,850)"),
]
FACTS = sorted(
    (concept, end, 12, -float(value.strip("()").replace(",", "")), "CAD")
    for concept, (_, now, before) in zip(
        ("exploration_and_evaluation", "general_and_administrative_expense", "net_income"),
        ROWS,
        strict=True,
    )
    for end, value in (("2024-12-31", now), ("2023-12-31", before))
)


def _pdf() -> bytes:
    at = (400.0, 490.0)

    def page(s: Sheet) -> None:
        s.line("QUILLON RIDGE MINERALS LTD.", size=14, bold=True)
        s.y -= 6
        s.paragraph(textwrap.wrap(INTRO, 88))
        s.heading(TITLE)
        s.font(9, bold=True)
        s.pdf.drawCentredString(440, s.y, "Year ended December 31,")
        s.y -= 13
        s.row("", ("2024", "2023"), at, bold=True)
        for label, now, before in ROWS:
            s.row(label, (now, before), at)

    return draw([page])


def _html() -> bytes:
    # "$" and ")" in cells of their own, a spacer column, the year spanning its cells.
    body = "".join(
        f"<tr><td>{label}</td><td></td><td>{now[:-1]}</td><td>)</td><td>&#160;</td>"
        f"<td></td><td>{before[:-1]}</td><td>)</td></tr>"
        for label, now, before in ROWS
    )
    return (
        "<!DOCTYPE html><html><head><title>Quillon Ridge Minerals Ltd. MD&amp;A</title></head>"
        f"<body><p><b>QUILLON RIDGE MINERALS LTD.</b></p><p>{INTRO}</p><p><b>{TITLE}</b></p>"
        '<table><tr><td></td><td colspan="7" style="text-align:center">Year ended December 31,'
        '</td></tr><tr><td></td><td colspan="3">2024</td><td></td><td colspan="3">2023</td>'
        f"</tr>{body}</table></body></html>"
    ).encode()


def _text() -> bytes:
    header = "Item\tYear ended December 31, 2024\tYear ended December 31, 2023\n"
    rows = "".join(f"{label}\t{now}\t{before}\n" for label, now, before in ROWS)
    return f"QUILLON RIDGE MINERALS LTD.\n\n{INTRO}\n\n{TITLE}\n\n{header}{rows}".encode()


def _markdown() -> bytes:
    rows = "".join(f"| {label} | {now} | {before} |\n" for label, now, before in ROWS)
    return (
        f"# Quillon Ridge Minerals Ltd.\n\n{INTRO}\n\n## {TITLE}\n\n"
        "| Item | Year ended December 31, 2024 | Year ended December 31, 2023 |\n"
        f"|---|---:|---:|\n{rows}"
    ).encode()


def _submission() -> bytes:
    """A full EDGAR submission (.txt): the SGML header, the form's HTML document, and an
    exhibit. The form prints no company name: the header states it."""
    form = _html().decode().replace("<p><b>QUILLON RIDGE MINERALS LTD.</b></p>", "")
    form = form.replace(
        INTRO,
        "The Company explores the Aldergrove copper project. All amounts are in Canadian "
        "dollars unless otherwise stated.",
    )
    return (
        "<SEC-DOCUMENT>0000000000-25-000012.txt : 20250320\n"
        "<SEC-HEADER>0000000000-25-000012.hdr.sgml : 20250320\n"
        "ACCESSION NUMBER:\t\t0000000000-25-000012\n"
        "CONFORMED SUBMISSION TYPE:\t40-F\n"
        "PUBLIC DOCUMENT COUNT:\t\t2\n"
        "CONFORMED PERIOD OF REPORT:\t20241231\n"
        "FILED AS OF DATE:\t\t20250320\n\nFILER:\n\n\tCOMPANY DATA:\t\n"
        "\t\tCOMPANY CONFORMED NAME:\t\t\tQUILLON RIDGE MINERALS LTD\n"
        "\t\tCENTRAL INDEX KEY:\t\t\t0000000012\n"
        "\t\tFISCAL YEAR END:\t\t\t1231\n</SEC-HEADER>\n"
        "<DOCUMENT>\n<TYPE>40-F\n<SEQUENCE>1\n<FILENAME>form40f.htm\n<TEXT>\n"
        f"{form}\n</TEXT>\n</DOCUMENT>\n"
        "<DOCUMENT>\n<TYPE>EX-99.1\n<SEQUENCE>2\n<FILENAME>ex99.htm\n<TEXT>\n"
        "<html><body><p>Consent of the qualified person.</p></body></html>\n"
        "</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"
    ).encode()


FILES = {
    "quillon-ridge-2024-annual-mda.pdf": (_pdf, "pdf"),
    "quillon-ridge-2024-annual-mda.htm": (_html, "html"),
    "quillon-ridge-2024-annual-mda.html": (_html, "html"),
    "quillon-ridge-2024-annual-mda.txt": (_text, "text"),
    "quillon-ridge-2024-annual-mda.md": (_markdown, "text"),
    "0000000000-25-000012.txt": (_submission, "html"),
}


def _cli(path: Path, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "ingest", str(path), "--compact", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        timeout=60,
    )
    assert out.stderr == ""
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    for name, (make, _) in FILES.items():
        (folder / name).write_bytes(make())
    (folder / "quillon-ridge-2024-annual-mda.docx").write_bytes(b"PK\x03\x04 not read")
    return folder


def test_the_inbox_takes_every_suffix_a_reader_declares(inbox: Path) -> None:
    assert {".pdf", ".htm", ".html", ".txt", ".md"} <= set(readers.suffixes())
    assert sorted(f.name for f in scan(inbox, settle_seconds=0).files) == sorted(FILES)


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_cli_prints_one_shape_for_every_format(inbox: Path, name: str) -> None:
    data = _cli(inbox / name)
    assert list(data) == TOP_LEVEL
    md = data["metadata"]
    assert md["source_format"] == FILES[name][1]
    assert md["source_name"] == str(inbox / name)
    assert (md["period_end"], md["currency"]) == ("2024-12-31", "CAD")
    # A submission's header states the period's end only; its form (a 40-F) says it's a year.
    assert (md["period_type"], md["period_start"]) == ("annual", "2024-01-01")
    assert md["page_count"] == (1 if name.endswith(".pdf") else None)
    facts = sorted(
        (f["concept"], f["period_end"], f["months"], f["value"], f["unit"]) for f in data["facts"]
    )
    assert facts == FACTS
    (table,) = data["tables"]
    assert table["title"] == TITLE and table["kind"] == "financial"
    assert [c["key"] for c in table["columns"]] == ["2024-12-31/12m", "2023-12-31/12m"]
    # The net loss foots to the two expenses above it, in both years.
    assert sorted((f["label"], f["column"], f["terms"]) for f in data["footings"]) == [
        ("Net loss", "2023-12-31/12m", 2),
        ("Net loss", "2024-12-31/12m", 2),
    ]
    assert all(abs(f["expected"] - f["observed"]) <= f["tolerance"] for f in data["footings"])
    assert data["issues"] == []
    # The company as the text states it; a submission's form states none: its header does.
    company = (md["company_name"], md["sources"]["company_name"])
    if name.startswith("0000"):
        assert company == ("QUILLON RIDGE MINERALS LTD", "edgar_header")
    else:
        assert company == ("Quillon Ridge Minerals Ltd.", "text")


def test_the_cli_records_match_the_library_and_differ_only_in_provenance(inbox: Path) -> None:
    pdf = _cli(inbox / "quillon-ridge-2024-annual-mda.pdf")
    lib = parse_filing(inbox / "quillon-ridge-2024-annual-mda.pdf").to_dict()
    assert pdf == json.loads(json.dumps(lib))
    # Only a PDF's records carry pages; the row's line is the same record in both.
    assert {f["page"] for f in pdf["facts"]} == {1}
    html = _cli(inbox / "quillon-ridge-2024-annual-mda.htm")
    assert {f["page"] for f in html["facts"]} == {None}
    # --only prints that part alone, in the same shape.
    only = subprocess.run(
        [sys.executable, "-m", "ingest", str(inbox / "quillon-ridge-2024-annual-mda.txt")]
        + ["--compact", "--only", "metadata"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    assert set(json.loads(only.stdout)) == set(pdf["metadata"])


# -- metadata from the EDGAR header ------------------------------------------------------------


def test_edgar_header_states_company_and_period_and_is_named_as_the_source() -> None:
    parsed = parse_filing(_submission(), name="0000000000-25-000012.txt")
    md = parsed.metadata
    assert md.source_format == "html"
    assert (md.company_name, md.period_end, md.report_type, md.currency) == (
        "QUILLON RIDGE MINERALS LTD",
        "2024-12-31",
        "40-F",
        "CAD",
    )
    # The text says no "year ended": a 40-F reports a year, so the period is the form's.
    assert (md.period_type, md.period_start, md.fiscal_year) == ("annual", "2024-01-01", 2024)
    assert md.sources == {
        "company_name": "edgar_header",
        "period_end": "edgar_header",
        "period_type": "form",
        "fiscal_year": "edgar_header",
        "report_type": "edgar_header",
        "currency": "text",
    }
    # The form was read, not the exhibit.
    assert sorted((f.concept, f.period_end, f.value) for f in parsed.facts) == sorted(
        (c, e, v) for c, e, _, v, _ in FACTS
    )


def test_the_text_wins_over_the_edgar_header_and_the_header_over_the_file_name() -> None:
    stated = _submission().replace(
        b"The Company explores the Aldergrove copper project.",
        b'Quillon Ridge Minerals Ltd. (the "Company") explores the Aldergrove copper project.',
    )
    md = parse_filing(stated, name="birchfield-gold-2019-q1.txt").metadata
    assert (md.company_name, md.sources["company_name"]) == ("Quillon Ridge Minerals Ltd.", "text")
    header_only = parse_filing(_submission(), name="birchfield-gold-2019-q1.txt").metadata
    assert header_only.company_name == "QUILLON RIDGE MINERALS LTD"
    assert header_only.sources["company_name"] == "edgar_header"
    assert header_only.period_end == "2024-12-31"
    # The form's year wins over the quarter the file name suggests ("q1").
    assert (header_only.period_type, header_only.sources["period_type"]) == ("annual", "form")


@pytest.mark.parametrize(
    ("form", "period_type"),
    [
        ("40-F", "annual"),
        ("20-F", "annual"),
        ("10-K", "annual"),
        ("10-K/A", "annual"),
        ("10-Q", "quarter"),
        ("6-K", None),
        ("8-K", None),
    ],
)
def test_the_form_of_a_submission_gives_its_period_type(form: str, period_type) -> None:
    submission = (
        _submission()
        .replace(
            b"CONFORMED SUBMISSION TYPE:\t40-F", f"CONFORMED SUBMISSION TYPE:\t{form}".encode()
        )
        .replace(b"<TYPE>40-F", f"<TYPE>{form}".encode())
    )
    md = parse_filing(submission, name="0000000000-25-000012.txt").metadata
    assert (md.report_type, md.period_end) == (form, "2024-12-31")
    assert md.period_type == period_type
    assert md.sources.get("period_type") == ("form" if period_type else None)


# -- units printed in row labels -----------------------------------------------------------------


def test_units_in_parentheses_and_inline_in_row_labels() -> None:
    text = (
        "Operating results\n\n"
        "Item\tYear ended June 30, 2024\tYear ended June 30, 2023\n"
        "Ore mined ('000 t)\t1,052\t1,023\n"
        "Ore milled (k dmt)\t1,040\t1,011\n"
        "Copper produced (Mlb)\t41.2\t39.8\n"
        "Gold produced 000 oz\t21.5\t20.9\n"
        "Head grade (% Cu)\t0.62\t0.60\n"
        "C1 cash cost US$/lb\t1.84\t1.97\n"
    )
    got = {
        (f.label, f.period_end): (f.value, f.unit)
        for f in parse_filing(text.encode(), name="ops.txt").facts
    }
    assert got[("Ore mined ('000 t)", "2024-06-30")] == (1_052_000.0, "t")
    assert got[("Ore milled (k dmt)", "2023-06-30")] == (1_011_000.0, "t")
    assert got[("Copper produced (Mlb)", "2024-06-30")] == (41.2, "Mlb")
    assert got[("Gold produced 000 oz", "2024-06-30")] == (21_500.0, "oz")
    assert got[("Head grade (% Cu)", "2023-06-30")] == (0.60, "%")
    assert got[("C1 cash cost US$/lb", "2024-06-30")] == (1.84, "USD/lb")


def test_tonnes_written_t_in_parentheses_is_a_unit_not_a_footnote() -> None:
    text = (
        "Operating results\n\n"
        "Item\tYear ended June 30, 2024\tYear ended June 30, 2023\n"
        "Ore milled (t)\t412,000\t398,000\n"
    )
    parsed = parse_filing(text.encode(), name="ops.txt")
    got = {(f.period_end, f.value, f.unit) for f in parsed.facts}
    assert got == {("2024-06-30", 412_000.0, "t"), ("2023-06-30", 398_000.0, "t")}
