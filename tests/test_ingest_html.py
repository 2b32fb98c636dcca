"""The HTML reader: EDGAR filings (bare documents and SGML submissions) into grids, headings
and paragraphs with element paths, read through ``parse_filing`` as a user would.

Every fixture is written here by hand for a fictional company, Tamarack Hollow Gold Corp.,
in the shapes EDGAR filer software prints: spacer columns, "$" and ")" in cells of their
own, spanned headers, layout tables, bold headings, hidden inline XBRL.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import UnreadableFiling, parse_filing, readers
from ingest.readers import html, text

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parent.parent
WILD_20F = REPO.parent / "shared" / "filings" / "wild" / "06_loncor_resources_20f_2015.htm"


def _doc(source: str | bytes, name: str = "filing.htm"):
    data = source.encode("utf-8") if isinstance(source, str) else source
    return readers.read(data, name)


def _grid_rows(grid) -> list[list[str]]:
    return [row.cells for row in grid.rows]


def _page(body: str, head: str = "<title>Tamarack Hollow Gold Corp. 10-K</title>") -> str:
    return f"<!DOCTYPE html>\n<html><head>{head}</head><body>\n{body}\n</body></html>\n"


# A 10-K cover, hidden inline XBRL cover facts, and the two primary statements as Workiva
# and similar tools print them: a spacer column between figures, "$" in its own cell,
# the closing parenthesis of a negative in the spacer after it, periods spanning the
# "$", figure and spacer columns of their year.
COVER = """
<div style="display:none"><ix:header><ix:hidden>
<ix:nonNumeric name="dei:EntityRegistrantName" contextRef="FY2023">Tamarack Hollow Gold Corp.</ix:nonNumeric>
<ix:nonNumeric name="dei:DocumentType" contextRef="FY2023">10-K</ix:nonNumeric>
<ix:nonNumeric name="dei:DocumentPeriodEndDate" contextRef="FY2023">December 31, 2023</ix:nonNumeric>
<ix:nonNumeric name="dei:CurrentFiscalYearEndDate" contextRef="FY2023">--12-31</ix:nonNumeric>
</ix:hidden></ix:header></div>
<p style="text-align:center"><b>UNITED STATES<br>SECURITIES AND EXCHANGE COMMISSION</b></p>
<p style="text-align:center">Washington, D.C. 20549</p>
<p style="text-align:center"><b>FORM 10-K</b></p>
<p>ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934</p>
<p>For the fiscal year ended December 31, 2023</p>
<p style="text-align:center"><b>TAMARACK HOLLOW GOLD CORP.</b><br>
(Exact name of registrant as specified in its charter)</p>
<p>Tamarack Hollow Gold Corp. (the &#8220;Company&#8221;) explores the Tamarack Hollow gold
project in Nevada. All amounts are expressed in United States dollars.</p>
"""

BALANCE_SHEET = """
<p style="text-align:center;font-weight:bold">CONSOLIDATED BALANCE SHEETS</p>
<div>
<table style="width:100%">
<tr><td style="width:60%">&#160;</td>
<td colspan="3" style="text-align:center"><b>December 31, 2023</b></td><td>&#160;</td>
<td colspan="3" style="text-align:center"><b>December 31, 2022</b></td></tr>
<tr><td>Cash and cash equivalents</td><td>$</td><td style="text-align:right">4,812,300</td>
<td>&#160;</td><td>&#160;</td><td>$</td><td style="text-align:right">6,205,140</td><td>&#160;</td></tr>
<tr><td>Receivables and prepaid expenses</td><td></td><td>215,700</td><td></td><td></td>
<td></td><td>180,860</td><td></td></tr>
<tr><td>Total current assets</td><td></td><td>5,028,000</td><td></td><td></td><td></td>
<td>6,386,000</td><td></td></tr>
<tr><td>Mineral properties</td><td></td><td>18,640,500</td><td></td><td></td><td></td>
<td>16,902,000</td><td></td></tr>
<tr><td>Equipment</td><td></td><td>1,331,500</td><td></td><td></td><td></td><td>1,412,000</td><td></td></tr>
<tr><td><b>Total assets</b></td><td>$</td><td><b>25,000,000</b></td><td></td><td></td><td>$</td>
<td><b>24,700,000</b></td><td></td></tr>
<tr><td>Accounts payable and accrued liabilities</td><td>$</td><td>1,120,400</td><td></td><td></td>
<td>$</td><td>842,300</td><td></td></tr>
<tr><td>Share capital</td><td></td><td>62,130,200</td><td></td><td></td><td></td><td>60,000,000</td><td></td></tr>
<tr><td>Reserves</td><td></td><td>3,000,000</td><td></td><td></td><td></td><td>2,850,000</td><td></td></tr>
<tr><td>Deficit</td><td></td><td>(41,250,600</td><td>)</td><td></td><td></td><td>(38,992,300</td><td>)</td></tr>
<tr><td>Total shareholders&#8217; equity</td><td></td><td>23,879,600</td><td></td><td></td><td></td>
<td>23,857,700</td><td></td></tr>
</table>
</div>
"""

# Periods over two header rows: "Year ended December 31" spans both years, each year
# spans its "$", figure and ")" columns; the label column's header spans both rows.
OPERATIONS = """
<p style="text-align:center"><b>CONSOLIDATED STATEMENTS OF OPERATIONS</b></p>
<table>
<tr><th rowspan="2" style="text-align:left">(Expressed in US dollars)</th>
<th colspan="6">Year ended December 31</th></tr>
<tr><th colspan="3">2023</th><th colspan="3">2022</th></tr>
<tr><td>Exploration expense</td><td>$</td><td>1,904,100</td><td></td><td>$</td><td>2,110,500</td><td></td></tr>
<tr><td>General and administrative</td><td></td><td>402,600</td><td></td><td></td><td>455,800</td><td></td></tr>
<tr><td>Interest and other income (expense)</td><td></td><td>48,400</td><td></td><td></td>
<td>(74,600</td><td>)</td></tr>
<tr><td>Net loss</td><td>$</td><td>(2,258,300</td><td>)</td><td>$</td><td>(2,640,900</td><td>)</td></tr>
<tr><td>Loss per share, basic and diluted</td><td>$</td><td>(0.02</td><td>)</td><td>$</td>
<td>(0.03</td><td>)</td></tr>
</table>
"""

OPERATING = """
<p><b>Operating results</b></p>
<table>
<tr><td></td><td colspan="3">2023</td><td colspan="3">2022</td></tr>
<tr><td>Gold recovery</td><td></td><td>91.4</td><td>%</td><td></td><td>89.7</td><td>%</td></tr>
<tr><td>Cash cost per ounce</td><td>US$</td><td>1,012</td><td></td><td>US$</td><td>1,064</td>
<td></td></tr>
</table>
"""

# A resource table with the category spanning its deposits and "Gold" spanning the
# grade and contained-ounce columns.
RESOURCES = """
<p>The mineral resources of the project are summarised below:</p>
<table>
<caption>Table 1: Tamarack Hollow Mineral Resources, effective March 1, 2024</caption>
<tr><th rowspan="2">Category</th><th rowspan="2">Deposit</th><th rowspan="2">Tonnes</th>
<th colspan="2">Gold</th></tr>
<tr><th>Grade (g/t)</th><th>Contained oz</th></tr>
<tr><td rowspan="2">Indicated</td><td>North Zone</td><td>1,250,000</td><td>2.40</td><td>96,450</td></tr>
<tr><td>South Zone</td><td>830,000</td><td>1.90</td><td>50,700</td></tr>
<tr><td rowspan="2">Inferred</td><td>North Zone</td><td>640,000</td><td>2.10</td><td>43,210</td></tr>
<tr><td>South Zone</td><td>410,000</td><td>1.75</td><td>23,070</td></tr>
</table>
<p>Mineral resources are not mineral reserves and do not have demonstrated economic viability.</p>
"""

TEN_K = _page(COVER + BALANCE_SHEET + OPERATIONS + OPERATING + RESOURCES)


@pytest.fixture(scope="module")
def ten_k():
    return parse_filing(TEN_K.encode("utf-8"), name="tamarack-10k-2023.htm")


@pytest.fixture(scope="module")
def ten_k_doc():
    return _doc(TEN_K, "tamarack-10k-2023.htm")


# -- sniffing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "reader"),
    [
        (TEN_K.encode(), "tamarack.htm", "html"),
        (b"<HTML><BODY><P>Report</P></BODY></HTML>", "report.txt", "html"),
        (
            b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
            "x",
            "html",
        ),
        (b"<SEC-DOCUMENT>0000000000-24-000001.txt : 20240328\n<SEC-HEADER>", "sub.txt", "html"),
        (
            b"-----BEGIN PRIVACY-ENHANCED MESSAGE-----\nProc-Type: 2001,MIC-CLEAR\n\n<SEC-DOCUMENT>x",
            "s.txt",
            "html",
        ),
        (
            b"<DOCUMENT>\n<TYPE>EX-99.1\n<TEXT>\n<html><body><p>News</p></body></html>",
            "ex99.txt",
            "html",
        ),
        (
            b"<div><p>Exhibit 99.1</p><table><tr><td>Cash</td><td>1</td></tr></table></div>",
            "x.htm",
            "html",
        ),
        # Prose about markup is text, and so is a markdown file with an HTML table in it.
        (b"Use a <table> element for tabular data; see <b> too.\n", "notes.txt", "text"),
        (b"# Results\n\n<table><tr><td>Cash</td><td>1</td></tr></table>\n", "results.md", "text"),
        (b"Cash\t1,200\nDebt\t300\n", "plain.htm", "text"),
    ],
)
def test_the_reader_is_chosen_from_the_content(data: bytes, name: str, reader: str) -> None:
    assert readers.reader_for(data, name).NAME == reader


def test_html_is_registered_before_the_text_fallback() -> None:
    names = [r.NAME for r in readers.READERS]
    assert names.index("html") < names.index("text") == len(names) - 1
    assert {".htm", ".html", ".txt"} <= set(readers.suffixes())


# -- tables ---------------------------------------------------------------------------------


def test_spacer_columns_go_and_signs_join_their_figures(ten_k_doc) -> None:
    balance = ten_k_doc.grids[0]
    rows = _grid_rows(balance)
    assert rows[0] == ["", "December 31, 2023", "December 31, 2022"]
    assert rows[1] == ["Cash and cash equivalents", "$4,812,300", "$6,205,140"]
    assert rows[10] == ["Deficit", "(41,250,600)", "(38,992,300)"]
    assert all(len(r) == 3 for r in rows)
    assert balance.layout == "html"


def test_rowspan_and_colspan_headers_expand_over_their_columns(ten_k_doc) -> None:
    rows = _grid_rows(ten_k_doc.grids[1])
    assert rows[:2] == [
        ["(Expressed in US dollars)", "Year ended December 31", "Year ended December 31"],
        ["", "2023", "2022"],
    ]
    assert rows[5] == ["Net loss", "$(2,258,300)", "$(2,640,900)"]


def test_percent_and_currency_prefix_cells(ten_k_doc) -> None:
    rows = _grid_rows(ten_k_doc.grids[2])
    assert rows[1:] == [
        ["Gold recovery", "91.4%", "89.7%"],
        ["Cash cost per ounce", "US$1,012", "US$1,064"],
    ]


def test_signs_join_across_the_cells_they_are_printed_in() -> None:
    cell = html.HtmlCell
    rows = [
        [cell(""), cell("Year ended December 31", colspan=4)],
        [cell("Net loss"), cell("$"), cell("("), cell("1,234"), cell(")")],
        [cell("Grade"), cell("g/t"), cell(""), cell("1.2"), cell("")],
        [cell("Royalty"), cell(""), cell(""), cell("2"), cell("%")],
        [cell("Cash"), cell("C$"), cell(""), cell("-"), cell("")],
    ]
    assert html.tidy_grid(rows) == [
        ["", "Year ended December 31", "Year ended December 31"],
        ["Net loss", "", "$(1,234)"],
        ["Grade", "g/t", "1.2"],
        ["Royalty", "", "2%"],
        ["Cash", "", "C$-"],
    ]


def test_metadata_says_the_file_was_html_without_pages(ten_k) -> None:
    assert (ten_k.metadata.source_format, ten_k.metadata.page_count) == ("html", None)


def test_balance_sheet_facts(ten_k) -> None:
    facts = {(f.concept, f.period_end, f.months): f.value for f in ten_k.facts}
    assert facts[("cash", "2023-12-31", 0)] == 4812300.0
    assert facts[("total_assets", "2022-12-31", 0)] == 24700000.0
    assert facts[("deficit", "2023-12-31", 0)] == -41250600.0


def test_statement_of_operations_facts(ten_k) -> None:
    facts = {(f.concept, f.period_end, f.months): f for f in ten_k.facts}
    assert facts[("net_income", "2023-12-31", 12)].value == -2258300.0
    assert facts[("net_income", "2022-12-31", 12)].value == -2640900.0
    assert facts[("exploration_expense", "2022-12-31", 12)].reported_value == 2110500.0


def test_resource_table_with_spanned_categories(ten_k, ten_k_doc) -> None:
    rows = _grid_rows(ten_k_doc.grids[3])
    assert rows[:3] == [
        ["Category", "Deposit", "Tonnes", "Gold", "Gold"],
        ["", "", "", "Grade (g/t)", "Contained oz"],
        ["Indicated", "North Zone", "1,250,000", "2.40", "96,450"],
    ]
    assert rows[3][:2] == ["Indicated", "South Zone"]
    assert (
        ten_k_doc.grids[3].caption
        == "Table 1: Tamarack Hollow Mineral Resources, effective March 1, 2024"
    )
    got = [
        (e.category, e.zone or e.deposit, e.tonnage_mt, e.grades[0].grade)
        for e in ten_k.estimates
        if not e.is_subtotal
    ]
    assert got == [
        ("indicated", "North Zone", 1.25, 2.4),
        ("indicated", "South Zone", 0.83, 1.9),
        ("inferred", "North Zone", 0.64, 2.1),
        ("inferred", "South Zone", 0.41, 1.75),
    ]
    assert {e.effective_date for e in ten_k.estimates} == {"2024-03-01"}


def test_table_titles_come_from_the_bold_or_centred_line_above(ten_k) -> None:
    titles = [t.title for t in ten_k.tables]
    assert titles[:3] == [
        "CONSOLIDATED BALANCE SHEETS",
        "CONSOLIDATED STATEMENTS OF OPERATIONS",
        "Operating results",
    ]
    assert titles[3].startswith("Table 1: Tamarack Hollow Mineral Resources")


def test_grid_rows_carry_their_row_paths(ten_k_doc) -> None:
    balance = ten_k_doc.grids[0]
    assert [r.line.path for r in balance.rows[:2]] == [
        "/html/body/div[2]/table[1]/tr[1]",
        "/html/body/div[2]/table[1]/tr[2]",
    ]
    resources = ten_k_doc.grids[3]
    assert resources.rows[2].line.path == "/html/body/table[3]/tr[3]"


def test_every_line_has_the_path_of_its_element(ten_k_doc) -> None:
    lines = {ln.text: ln.path for ln in ten_k_doc.lines if ln.text}
    assert lines["For the fiscal year ended December 31, 2023"] == "/html/body/p[5]"
    assert lines["CONSOLIDATED BALANCE SHEETS"] == "/html/body/p[8]"
    assert all(ln.path for ln in ten_k_doc.lines if ln.text)


def _notes_page(number: int, body: str) -> str:
    return (
        '<p style="text-align:center">Tamarack Hollow Gold Corp.</p>'
        '<p style="text-align:center">Notes to the Consolidated Financial Statements</p>'
        f'{body}<p style="text-align:center">F-{number}</p>'
        '<hr style="page-break-after:always">'
    )


PAGINATED = _page(
    _notes_page(
        7,
        "<p><b>7. Mineral properties</b></p><p>Costs capitalised by project:</p>"
        "<table><tr><td></td><td>2023</td><td>2022</td></tr>"
        "<tr><td>North Zone</td><td>11,240,500</td><td>10,002,000</td></tr></table>",
    )
    + _notes_page(
        8,
        "<table><tr><td>South Zone</td><td>7,400,000</td><td>6,900,000</td></tr>"
        "<tr><td>Total</td><td>18,640,500</td><td>16,902,000</td></tr></table>",
    )
    + _notes_page(9, "<p><b>8. Share capital</b></p><p>The Company has 88,000,000 shares.</p>")
)


def test_running_page_headers_title_no_table_and_split_none() -> None:
    doc = _doc(PAGINATED)
    headers = {doc.line(n).text for n in doc.page_header_lines}
    assert headers == {
        "Tamarack Hollow Gold Corp.",
        "Notes to the Consolidated Financial Statements",
        "F-7",
        "F-8",
        "F-9",
    }
    assert "Notes to the Consolidated Financial Statements" not in {s.title for s in doc.sections}
    parsed = parse_filing(PAGINATED.encode(), name="notes.htm")
    first, second = parsed.tables
    assert first.title == "Costs capitalised by project"
    assert second.parent_index == first.index


# -- declared facts, headings, paragraphs --------------------------------------------------


def test_inline_xbrl_cover_facts_are_declared(ten_k_doc) -> None:
    assert ten_k_doc.declared == {
        "company_name": "Tamarack Hollow Gold Corp.",
        "report_type": "10-K",
        "period_end": "2023-12-31",
        "fiscal_year_end": "1231",
    }


def test_cover_page_statements_are_declared_without_xbrl() -> None:
    doc = _doc(_page(COVER.split("</ix:header></div>")[1]))
    assert doc.declared == {
        "report_type": "10-K",
        "period_end": "2023-12-31",
        "fiscal_year_end": "1231",
        "company_name": "TAMARACK HOLLOW GOLD CORP.",
    }


def test_hidden_text_scripts_and_styles_are_not_read(ten_k_doc) -> None:
    assert "--12-31" not in ten_k_doc.text
    doc = _doc(
        _page(
            '<script>var cash = "1,000";</script><style>p {color: red}</style>'
            '<p style="display: none">Draft figures</p><p>Published text.</p>',
            head="<title>Hidden</title><style>td {}</style>",
        )
    )
    assert [ln.text for ln in doc.lines if ln.text] == ["Published text."]
    doc = _doc(
        _page(
            '<table><tr><td>Cash</td><td style="display:none">draft</td><td>4,812,300</td></tr>'
            '<tr style="display:none"><td>Restricted cash</td><td>1</td></tr>'
            "<tr><td>Equipment</td><td>1,331,500</td></tr></table><p hidden>Draft</p>"
        )
    )
    grid = doc.grids[0]
    assert _grid_rows(grid) == [["Cash", "4,812,300"], ["Equipment", "1,331,500"]]
    assert grid.rows[1].line.path == "/html/body/table[1]/tr[3]"
    assert "Draft" not in doc.text


HEADINGS = _page("""
<h2>Item 7. Management&#8217;s Discussion and Analysis</h2>
<p><b>Liquidity and Capital Resources</b></p>
<p><span style="font-weight:700">Outlook for the Tamarack Hollow project</span></p>
<p>RESULTS OF OPERATIONS</p>
<p><b>The Company had working capital of $3,907,600 at December 31, 2023, compared with
working capital of $5,543,700 at December 31, 2022, and expects it to fund the 2024
exploration program at Tamarack Hollow without further financing.</b></p>
<p>Exploration expense was <b>$1,904,100</b> in 2023.<br>The program drilled 42 holes.</p>
<div><p>First paragraph of a container.</p><p>Second paragraph of a container.</p></div>
<ul><li>Drilling at North Zone</li><li>Metallurgical testwork</li></ul>
""")


def test_bold_and_capital_short_blocks_are_headings() -> None:
    doc = _doc(HEADINGS)
    sections = {s.title: s.level for s in doc.sections}
    assert sections["Item 7. Management's Discussion and Analysis"] == 1
    assert sections["Liquidity and Capital Resources"] == 2
    assert sections["Outlook for the Tamarack Hollow project"] == 2
    assert sections["RESULTS OF OPERATIONS"] == 1
    # A long bold paragraph is prose, and a paragraph with one bold figure is prose.
    assert not any(t.startswith(("The Company had", "Exploration expense")) for t in sections)


def test_paragraphs_in_reading_order_with_line_breaks_as_spaces() -> None:
    doc = _doc(HEADINGS)
    prose = [b.text for b in doc.prose if not b.heading]
    assert prose[1] == "Exploration expense was $1,904,100 in 2023. The program drilled 42 holes."
    assert prose[2:] == [
        "First paragraph of a container.",
        "Second paragraph of a container.",
        "• Drilling at North Zone",
        "• Metallurgical testwork",
    ]
    lines = {ln.text: ln.path for ln in doc.lines}
    assert lines["Second paragraph of a container."] == "/html/body/div[1]/p[2]"
    assert lines["• Metallurgical testwork"] == "/html/body/ul[1]/li[2]"


def test_two_line_breaks_end_a_paragraph() -> None:
    doc = _doc(_page("<p>Tamarack Hollow Gold Corp.<br>Reno, Nevada<br><br>Annual report</p>"))
    assert [ln.text for ln in doc.lines if ln.text] == [
        "Tamarack Hollow Gold Corp. Reno, Nevada",
        "Annual report",
    ]


LAYOUT = _page("""
<table><tr><td><p>The Company holds a 100% interest in the Tamarack Hollow project, subject
to a 2% net smelter return royalty.</p></td></tr></table>
<table>
<tr><td style="width:5%">&#8226;</td><td>Complete 12,000 metres of core drilling at North Zone.</td></tr>
<tr><td>&#8226;</td><td>Update the mineral resource estimate by the third quarter.</td></tr>
</table>
<table><tr><td>Item 5.</td><td><b>Market for Registrant&#8217;s Common Equity</b></td></tr></table>
<table>
<tr><td></td><td>Reno, Nevada</td></tr>
<tr><td>March 20, 2024</td><td></td></tr>
</table>
<table><tr><td>(1)</td><td>Contained ounces are rounded to the nearest ten ounces.</td></tr></table>
""")


def test_layout_tables_become_paragraphs() -> None:
    doc = _doc(LAYOUT)
    assert doc.grids == []
    assert [ln.text for ln in doc.lines if ln.text] == [
        "The Company holds a 100% interest in the Tamarack Hollow project, subject to a 2% "
        "net smelter return royalty.",
        "• Complete 12,000 metres of core drilling at North Zone.",
        "• Update the mineral resource estimate by the third quarter.",
        "Item 5. Market for Registrant's Common Equity",
        "Reno, Nevada",
        "March 20, 2024",
        "(1) Contained ounces are rounded to the nearest ten ounces.",
    ]
    assert "Item 5. Market for Registrant's Common Equity" in {s.title for s in doc.sections}
    paths = {ln.text[:8]: ln.path for ln in doc.lines if ln.text}
    assert paths["• Comple"] == "/html/body/table[2]/tr[1]"


def test_a_table_inside_a_layout_table_is_read_as_a_grid() -> None:
    doc = _doc(
        _page(
            "<table><tr><td><p><b>Drilling summary</b></p>"
            "<table><tr><td>Zone</td><td>Holes</td><td>Metres</td></tr>"
            "<tr><td>North Zone</td><td>28</td><td>8,140</td></tr></table>"
            "</td></tr></table>"
        )
    )
    (grid,) = doc.grids
    assert _grid_rows(grid) == [["Zone", "Holes", "Metres"], ["North Zone", "28", "8,140"]]
    assert grid.rows[1].line.path == "/html/body/table[1]/tr[1]/td[1]/table[1]/tr[2]"


NO_TABLES = _page("""
<p style="text-align:center"><b>TAMARACK HOLLOW GOLD CORP.</b></p>
<p style="text-align:center"><b>MANAGEMENT&#8217;S DISCUSSION AND ANALYSIS</b></p>
<p style="text-align:center">For the year ended December 31, 2023</p>
<p>This management&#8217;s discussion and analysis of Tamarack Hollow Gold Corp. (the
&#8220;Company&#8221;) covers the year ended December 31, 2023. All amounts are in United
States dollars unless otherwise stated.</p>
<p>The Company had working capital of $3,907,600 at December 31, 2023.</p>
""")


def test_a_document_without_tables_gives_paragraphs_and_metadata() -> None:
    parsed = parse_filing(NO_TABLES.encode(), name="tamarack-mda-2023.html")
    assert parsed.tables == []
    assert parsed.metadata.company_name == "Tamarack Hollow Gold Corp."
    assert (parsed.metadata.period_type, parsed.metadata.period_end) == ("annual", "2023-12-31")
    assert parsed.metadata.currency == "USD"
    working = [f for f in parsed.narrative_facts if f.concept == "working_capital"]
    assert [(f.period_end, f.value) for f in working] == [("2023-12-31", 3907600.0)]


# -- EDGAR submissions ----------------------------------------------------------------------

_UUENCODED_GIF = (
    'begin 644 logo.gif\nM1TE&.#EA`0`!`(```/___P```"\'Y!`$`````+`````!``$```("1`$`.P``\n`\nend\n'
)

SUBMISSION = f"""<SEC-DOCUMENT>0000000000-24-000007.txt : 20240328
<SEC-HEADER>0000000000-24-000007.hdr.sgml : 20240328
<ACCEPTANCE-DATETIME>20240328161502
ACCESSION NUMBER:\t\t0000000000-24-000007
CONFORMED SUBMISSION TYPE:\t40-F
PUBLIC DOCUMENT COUNT:\t\t4
CONFORMED PERIOD OF REPORT:\t20231231
FILED AS OF DATE:\t\t20240328

FILER:

\tCOMPANY DATA:\t
\t\tCOMPANY CONFORMED NAME:\t\t\tTAMARACK HOLLOW GOLD CORP
\t\tCENTRAL INDEX KEY:\t\t\t0000000007
\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\tGOLD & SILVER ORES [1040]
\t\tFISCAL YEAR END:\t\t\t1231

\tBUSINESS ADDRESS:\t
\t\tSTREET 1:\t\t100 EXAMPLE STREET
\t\tCITY:\t\t\tRENO
</SEC-HEADER>
<DOCUMENT>
<TYPE>EX-99.1
<SEQUENCE>2
<FILENAME>ex99-1.htm
<DESCRIPTION>ANNUAL INFORMATION FORM
<TEXT>
{_page("<p>Annual information form text. " + "Longer than the form itself. " * 200 + "</p>")}
</TEXT>
</DOCUMENT>
<DOCUMENT>
<TYPE>40-F
<SEQUENCE>1
<FILENAME>form40f.htm
<DESCRIPTION>FORM 40-F
<TEXT>
{_page(BALANCE_SHEET)}
</TEXT>
</DOCUMENT>
<DOCUMENT>
<TYPE>GRAPHIC
<SEQUENCE>3
<FILENAME>logo.gif
<TEXT>
{_UUENCODED_GIF}
</TEXT>
</DOCUMENT>
</SEC-DOCUMENT>
"""


def test_a_submission_reads_its_form_and_declares_its_header() -> None:
    doc = _doc(SUBMISSION, "0000000000-24-000007.txt")
    assert doc.format == "html"
    assert doc.declared == {
        "company_name": "TAMARACK HOLLOW GOLD CORP",
        "period_end": "2023-12-31",
        "report_type": "40-F",
        "fiscal_year_end": "1231",
    }
    (grid,) = doc.grids
    assert grid.rows[1].cells == ["Cash and cash equivalents", "$4,812,300", "$6,205,140"]
    assert "Annual information form" not in doc.text and "begin 644" not in doc.text


def test_a_submission_without_its_form_type_reads_its_largest_html_document() -> None:
    wrapped = SUBMISSION.replace("<TYPE>40-F", "<TYPE>EX-99.2")
    doc = _doc(wrapped, "0000000000-24-000007.txt")
    assert doc.grids == []
    assert doc.text.startswith("Annual information form text.")


def test_a_single_wrapped_exhibit_and_its_plain_text_cousin() -> None:
    exhibit = (
        f"<DOCUMENT>\n<TYPE>6-K\n<SEQUENCE>1\n<TEXT>\n{_page(OPERATING)}</TEXT>\n</DOCUMENT>\n"
    )
    doc = _doc(exhibit, "exhibit.txt")
    assert doc.declared == {"report_type": "6-K"}
    assert _grid_rows(doc.grids[0])[1] == ["Gold recovery", "91.4%", "89.7%"]
    # An EDGAR plain-text document: its space-aligned tables are the text layouts' to read.
    plain = (
        "<DOCUMENT>\n<TYPE>10-Q\n<TEXT>\n<PAGE>\nTAMARACK HOLLOW GOLD CORP.\n\n"
        "<TABLE>\n<CAPTION>\n<S>                              <C>            <C>\n"
        "                                 2023           2022\n"
        "Cash and cash equivalents        4,812,300      6,205,140\n"
        "Total assets                     25,000,000     24,700,000\n</TABLE>\n</TEXT>\n</DOCUMENT>\n"
    )
    doc = _doc(plain, "0000000000-23-000009.txt")
    assert doc.format == "text"
    assert doc.declared == {"report_type": "10-Q"}
    assert "<S>" not in doc.text and "<TABLE>" not in doc.text
    assert ["Cash and cash equivalents", "4,812,300", "6,205,140"] in _grid_rows(doc.grids[0])


# -- encodings and bad input ------------------------------------------------------------------


def test_a_declared_windows_1252_charset() -> None:
    body = (
        "<p>Tamarack Hollow\x92s drilling \x96 12,000 metres \x96 intersected \x93high-grade\x94"
        " gold.</p>"
    )
    data = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        f"</head><body>{body}</body></html>"
    ).encode("latin-1")
    doc = _doc(data, "tamarack.htm")
    assert doc.encoding == "windows-1252"
    assert doc.issues == []
    assert doc.lines[0].text == (
        'Tamarack Hollow\'s drilling - 12,000 metres - intersected "high-grade" gold.'
    )


def test_iso_8859_1_is_read_as_windows_1252_as_browsers_do() -> None:
    data = b'<meta charset="ISO-8859-1"><p>Tamarack Hollow\x92s 2023 program</p>'
    doc = _doc(data)
    assert (doc.encoding, doc.lines[0].text) == ("windows-1252", "Tamarack Hollow's 2023 program")


def test_utf8_bytes_under_a_latin_1_label_are_utf8() -> None:
    data = '<meta charset="iso-8859-1"><p>Tamarack Hollow’s café – 2023</p>'.encode()
    doc = _doc(data)
    assert (doc.encoding, doc.lines[0].text) == ("utf-8", "Tamarack Hollow's café - 2023")


def test_undeclared_bytes_that_are_not_utf8_fall_back_with_an_issue() -> None:
    data = b"<html><body><p>Caf\xe9 Minerals \x96 2023</p></body></html>"
    doc = _doc(data, "tamarack-legacy.htm")
    assert doc.lines[0].text == "Café Minerals - 2023"
    (issue,) = doc.issues
    assert issue.kind == "decode" and "tamarack-legacy.htm" in issue.reason


def test_byte_order_marks_win() -> None:
    page = "<html><body><p>Tamarack Hollow – gold</p></body></html>"
    utf16 = b"\xff\xfe" + page.encode("utf-16-le")
    assert readers.reader_for(utf16, "x.htm") is html
    assert _doc(utf16).lines[0].text == "Tamarack Hollow - gold"
    assert _doc(b"\xef\xbb\xbf" + page.encode()).encoding == "utf-8"


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t ", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" * 40]
)
def test_empty_and_binary_files_are_unreadable_and_named(data: bytes) -> None:
    with pytest.raises(UnreadableFiling, match="tamarack.htm"):
        parse_filing(data, name="tamarack.htm")


def test_html_without_text_is_an_empty_filing() -> None:
    parsed = parse_filing(b"<html><body><table><tr><td></td></tr></table></body></html>", "e.htm")
    assert [i.kind for i in parsed.issues] == ["empty"]


def test_superscript_footnote_markers_stand_apart() -> None:
    doc = _doc(
        _page(
            "<table><tr><td></td><td>2023<sup>(1)</sup></td><td>2022</td></tr>"
            "<tr><td>Area (km<sup>2</sup>)</td><td>1,250</td><td>1,250</td></tr>"
            "<tr><td>Total assets<sup>*</sup></td><td>25,000,000</td><td>24,700,000</td></tr>"
            "</table>"
        )
    )
    assert _grid_rows(doc.grids[0]) == [
        ["", "2023 (1)", "2022"],
        ["Area (km2)", "1,250", "1,250"],
        ["Total assets *", "25,000,000", "24,700,000"],
    ]


def test_malformed_html_is_read_as_a_browser_would() -> None:
    doc = _doc(b"<table><tr><td>Cash<td>1,200<tr><td>Debt<td>300</table><p>After <b>bold")
    assert _grid_rows(doc.grids[0]) == [["Cash", "1,200"], ["Debt", "300"]]
    assert doc.lines[-1].text == "After bold"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "<table>",
                "</table>",
                "<tr>",
                "<td>",
                "<td colspan=3>",
                "<td rowspan=0>",
                "<th rowspan=99999>",
                "</td>",
                "<p>",
                "</p>",
                "<b>",
                "<br>",
                "<div>",
                "</div>",
                "$",
                ")",
                "%",
                "(1,234",
                "12.5",
                "Indicated",
                "&nbsp;",
                "<li>",
                "<caption>",
                "<!--",
                "-->",
                "<script>",
                "<font style='display:none'>",
                "<h3>",
                "\x96",
                "•",
            ]
        ),
        max_size=60,
    )
)
def test_any_tag_soup_reads_without_raising(parts: list[str]) -> None:
    data = ("<html><body>" + "".join(parts)).encode("utf-8", errors="replace")
    doc = _doc(data)
    for grid in doc.grids:
        assert all(row.line.path for row in grid.rows)


def test_thousands_of_unclosed_tags_read_in_linear_time() -> None:
    # Sloppy filer software opens <font> without closing it; every later element then
    # nests one level deeper, which costs an HTML5 parser time in proportion to the depth.
    data = b"<html><body>" + b"".join(b"<FONT size=%d>Line %d " % (i % 7, i) for i in range(50000))
    start = time.perf_counter()
    doc = _doc(data)
    assert time.perf_counter() - start < 5.0
    assert doc.lines[0].text.endswith("Line 49999")


def test_deeply_nested_paths_stay_short() -> None:
    doc = _doc(b"<html><body>" + b"<div>" * 3000 + b"<p>Deep text</p>")
    (line,) = [ln for ln in doc.lines if ln.text]
    assert line.path.startswith("/html/body/div[1]/div[1]/\u2026/div[1]/")
    assert line.path.endswith("/div[1]/p[1]") and len(line.path) < 400


def test_the_text_reader_still_reads_plain_text() -> None:
    data = b"Tamarack Hollow Gold Corp.\n\nCash\t4,812,300\t6,205,140\n"
    assert readers.reader_for(data, "t.txt") is text
    assert parse_filing(data, name="t.txt").metadata.encoding == "utf-8"


# -- the real EDGAR 20-F ----------------------------------------------------------------------


@pytest.mark.skipif(not WILD_20F.exists(), reason="the shared wild filings are not on this machine")
def test_real_edgar_20f() -> None:
    parsed = parse_filing(WILD_20F)
    doc = readers.read(WILD_20F.read_bytes(), WILD_20F.name)
    assert [i for i in parsed.issues if i.kind == "parser_error"] == []
    assert doc.format == "html"
    assert doc.declared["company_name"].lower().startswith("loncor resources")
    assert doc.declared["period_end"] == "2015-12-31"
    assert doc.declared["report_type"] == "20-F"
    assert len(doc.grids) >= 40
    assert all(ln.path for ln in doc.lines if ln.text and ln.no not in doc.page_header_lines)
    # The resource tables read as estimates, category from the title.
    categories = {e.category for e in parsed.estimates}
    assert {"indicated", "inferred"} <= categories
