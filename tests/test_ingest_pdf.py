"""The PDF reader, on PDFs drawn here with reportlab.

The documents are a fictional gold producer's (Larkspur Mining Corp., its Fenwick Hill
mine, the Tamarack and Bluejay deposits), and their tables tie out: the results foot, the
statement of financial position balances, the resources add up by category, and gold
produced is ore milled times grade times recovery. Each page is drawn the way filings
print them: numbers right-aligned with "$" in a position of its own, negatives in
parentheses, labels wrapped onto a second line, footnote markers raised, running headers
and "Page n of N" footers, prose in two columns.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from ingest import UnreadableFiling, parse_filing
from ingest.model import Document, ParsedFiling
from ingest.readers import read

pytestmark = pytest.mark.unit

WIDTH, HEIGHT = letter
MARGIN = 72.0
TROY_OUNCE_G = 31.1034768


# -- drawing -------------------------------------------------------------------------


class Sheet:
    """One page being drawn, with a cursor moving down it (reportlab measures from the
    bottom of the page)."""

    def __init__(self, pdf: canvas.Canvas, number: int, total: int) -> None:
        self.pdf = pdf
        self.number = number
        self.total = total
        self.y = HEIGHT - MARGIN
        self.face = "Helvetica"

    def font(self, size: float = 9.0, bold: bool = False) -> None:
        self.face = "Helvetica-Bold" if bold else "Helvetica"
        self.pdf.setFont(self.face, size)

    def line(self, text: str, *, x: float = MARGIN, size: float = 9.5, bold: bool = False):
        self.font(size, bold)
        self.pdf.drawString(x, self.y, text)
        self.y -= size * 1.4

    def heading(self, text: str) -> None:
        self.line(text, size=11, bold=True)
        self.y -= 8

    def paragraph(self, lines: Sequence[str], *, x: float = MARGIN) -> None:
        """Prose, wrapped where ``lines`` break it."""
        for text in lines:
            self.line(text, x=x)
        self.y -= 8

    def row(
        self,
        label: str,
        values: Sequence[str],
        at: Sequence[float],
        *,
        indent: float = 0,
        bold: bool = False,
        dollars: Sequence[float] = (),
        marker: str | None = None,
        values_up: float = 0,
        size: float = 9.0,
    ) -> None:
        """A table row: the label at the left, each value right-aligned at its x (a closing
        parenthesis hangs past it so the digits align), "$" signs at ``dollars``, a raised
        footnote ``marker`` after the label; ``values_up`` raises the values."""
        self.font(size, bold)
        self.pdf.drawString(MARGIN + indent, self.y, label)
        if marker:
            end = MARGIN + indent + self.pdf.stringWidth(label, self.face, size)
            self.pdf.setFont("Helvetica", size * 0.6)
            self.pdf.drawString(end + 0.5, self.y + size * 0.45, marker)
            self.font(size, bold)
        paren = self.pdf.stringWidth(")", self.face, size)
        for value, x in zip(values, at, strict=False):
            hang = paren if value.endswith(")") else 0.0
            self.pdf.drawRightString(x + hang, self.y + values_up, value)
        for x in dollars:
            self.pdf.drawString(x, self.y + values_up, "$")
        self.y -= size * 1.45

    def scan(self) -> None:
        """Only pictures: a grey photograph and a chart's bars, no text at all."""
        self.pdf.setFillGray(0.6)
        self.pdf.rect(MARGIN, 380, WIDTH - 2 * MARGIN, 300, fill=1, stroke=0)
        self.pdf.setFillGray(0.2)
        for k, h in enumerate((80, 120, 95, 150)):
            self.pdf.rect(MARGIN + 40 + 90 * k, 120, 50, h, fill=1, stroke=0)


Page = Callable[[Sheet], None]


def draw(pages: Sequence[Page], frame: Page | None = None, **options) -> bytes:
    """A PDF of the given pages, each framed by ``frame`` (running header and footer)."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter, **options)
    for k, page in enumerate(pages):
        sheet = Sheet(pdf, k + 1, len(pages))
        if frame:
            frame(sheet)
        page(sheet)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


# -- the quarterly MD&A: four pages ---------------------------------------------------

QUARTER_TITLE = "Larkspur Mining Corp. | Management's Discussion and Analysis | Q3 2024"


def quarter_frame(s: Sheet) -> None:
    s.font(8)
    s.pdf.drawString(MARGIN, HEIGHT - 40, QUARTER_TITLE)
    s.pdf.drawRightString(WIDTH - MARGIN, 36, f"Page {s.number} of {s.total}")


def quarter_cover(s: Sheet) -> None:
    s.line("LARKSPUR MINING CORP.", size=14, bold=True)
    s.y -= 6
    s.line("Management's Discussion and Analysis", size=12, bold=True)
    s.line("For the three and nine months ended September 30, 2024", size=10)
    s.y -= 14
    s.paragraph(
        [
            'This management\'s discussion and analysis of Larkspur Mining Corp. ("Larkspur" or the',
            '"Company") is dated November 6, 2024 and should be read with the condensed interim fi-',
            "nancial statements for the three and nine months ended September 30, 2024. All amounts",
            "are in thousands of Canadian dollars, and unit costs in US dollars per ounce, unless",
            "otherwise stated. The Fenwick Hill mine produced 18,134 ounces of gold in the quarter at",
            "an all-in sustaining cost of US$1,284 per ounce, and the Company expects its all-",
            "in sustaining costs for the year to be US$1,250 to US$1,350 per ounce. Mill availa-",
            "bility was 94% in the quarter.",
        ]
    )


RESULTS_AT = (400.0, 480.0)
RESULTS_DOLLARS = (345.0, 425.0)


def quarter_results(s: Sheet) -> None:
    s.heading("RESULTS OF OPERATIONS")
    s.paragraph(["The Company's results for the three months ended September 30 were as follows."])
    s.font(9, bold=True)
    s.pdf.drawCentredString(440, s.y, "Three months ended September 30,")
    s.row("(C$000s)", (), RESULTS_AT, bold=True)
    s.row("", ("2024", "2023"), RESULTS_AT, bold=True)
    s.row("Revenue", ("60,421", "41,853"), RESULTS_AT, dollars=RESULTS_DOLLARS, marker="(1)")
    s.row("Operating expenses", (), RESULTS_AT)
    s.row("Production costs", ("(27,020)", "(23,250)"), RESULTS_AT, indent=10)
    s.row("Depreciation and depletion", ("(8,315)", "(7,660)"), RESULTS_AT, indent=10)
    s.row("General and administrative", ("(3,180)", "(2,820)"), RESULTS_AT, indent=10)
    # A label too long for its column wraps, and the values stand on its last line.
    s.row("Exploration and evaluation", (), RESULTS_AT, indent=10)
    s.y += 2
    s.row("expenditure", ("(1,705)", "(1,315)"), RESULTS_AT, indent=18)
    s.row("Total operating expenses", ("(40,220)", "(35,045)"), RESULTS_AT)
    s.row("Income before income taxes", ("20,201", "6,808"), RESULTS_AT)
    s.row("Income tax expense", ("(5,450)", "(1,840)"), RESULTS_AT)
    s.row("Net income", ("14,751", "4,968"), RESULTS_AT, dollars=RESULTS_DOLLARS, bold=True)
    s.y -= 6
    s.line("(1) Revenue is from sales of gold doré at the London afternoon price.", size=7)
    s.y -= 18
    s.heading("CASH FLOWS")
    s.row("(C$000s)", ("Q3 2024", "Q3 2023"), RESULTS_AT, bold=True)
    # The values stand level with the middle of a label printed over two lines.
    s.row("Cash from operations before changes in", (), RESULTS_AT)
    s.y += 2
    s.row("non-cash working capital", ("29,066", "14,468"), RESULTS_AT, values_up=6.5)
    # The values stand on the label's first line; its last word wraps under them.
    s.row("Changes in non-cash working capital", ("(3,412)", "1,205"), RESULTS_AT)
    s.y += 2
    s.row("items", (), RESULTS_AT, indent=8)
    s.row("Cash from operating activities", ("25,654", "15,673"), RESULTS_AT)
    s.row("Expenditures on mineral properties, plant and", (), RESULTS_AT)
    s.y += 2
    s.row("equipment", ("(11,870)", "(9,445)"), RESULTS_AT, indent=8)
    s.row("Free cash flow", ("13,784", "6,228"), RESULTS_AT, bold=True)


OPERATING_AT = (330.0, 395.0, 465.0, 535.0)


def quarter_operations(s: Sheet) -> None:
    s.heading("OPERATING HIGHLIGHTS")
    s.paragraph(["Fenwick Hill mine, for the three and nine months ended September 30."])
    s.row("", ("Q3 2024", "Q3 2023", "YTD 2024", "YTD 2023"), OPERATING_AT, bold=True)
    s.row("Ore milled (k dmt)", ("412", "398", "1,201", "1,163"), OPERATING_AT)
    s.row("Head grade (g/t Au)", ("1.48", "1.41", "1.46", "1.39"), OPERATING_AT)
    s.row("Recovery (%)", ("92.5", "91.8", "92.1", "91.5"), OPERATING_AT)
    s.row("Gold produced (oz)", ("18,134", "16,563", "51,921", "47,556"), OPERATING_AT)
    s.row("Gold sold (oz)", ("17,950", "16,200", "51,400", "46,900"), OPERATING_AT)
    s.row("AISC (US$/oz)", ("1,284", "1,342", "1,301", "1,357"), OPERATING_AT)


RESOURCE_AT = (330.0, 410.0, 500.0)


def quarter_resources(s: Sheet) -> None:
    s.heading("MINERAL RESOURCES")
    s.paragraph(
        ["Mineral Resource Estimate for the Fenwick Hill property, effective June 30, 2024."]
    )
    s.row("", ("Tonnes", "Grade", "Contained Au"), RESOURCE_AT, bold=True)
    s.row("Deposit / Category", ("(000's)", "(g/t Au)", "(koz)"), RESOURCE_AT, bold=True)
    for deposit, rows in RESOURCES.items():
        (mi_tonnes, mi_grade, mi_koz), *categories = rows
        s.row(f"{deposit} (M+I)", (mi_tonnes, mi_grade, mi_koz), RESOURCE_AT, bold=True)
        for category, values in zip(("Measured", "Indicated", "Inferred"), categories, strict=True):
            s.row(category, values, RESOURCE_AT, indent=12)


# (M+I), then Measured, Indicated and Inferred: tonnes (000's), g/t Au, koz Au.
RESOURCES = {
    "Tamarack": [
        ("8,370", "1.52", "408"),
        ("2,140", "1.71", "118"),
        ("6,230", "1.45", "290"),
        ("3,900", "1.18", "148"),
    ],
    "Bluejay": [
        ("3,800", "1.94", "237"),
        ("1,320", "2.05", "87"),
        ("2,480", "1.88", "150"),
        ("1,750", "1.62", "91"),
    ],
}
QUARTER_PAGES = [quarter_cover, quarter_results, quarter_operations, quarter_resources]


@pytest.fixture(scope="module")
def quarter_pdf() -> bytes:
    return draw(QUARTER_PAGES, quarter_frame)


@pytest.fixture(scope="module")
def quarter_doc(quarter_pdf: bytes) -> Document:
    return read(quarter_pdf, "larkspur-2024-q3-mda.pdf")


@pytest.fixture(scope="module")
def quarter(quarter_pdf: bytes) -> ParsedFiling:
    return parse_filing(quarter_pdf, name="larkspur-2024-q3-mda.pdf")


# -- the annual report: five pages under a running header that states the scale -------

SCALE_LINE = "(in thousands of Canadian dollars)"


def annual_frame(s: Sheet) -> None:
    s.font(8)
    s.pdf.drawString(MARGIN, HEIGHT - 36, "Larkspur Mining Corp.")
    s.pdf.drawRightString(WIDTH - MARGIN, HEIGHT - 36, "Annual Report 2024")
    s.pdf.drawString(MARGIN, HEIGHT - 47, SCALE_LINE)
    s.pdf.drawCentredString(WIDTH / 2, 36, f"Page {s.number} of {s.total}")


def annual_cover(s: Sheet) -> None:
    s.line("LARKSPUR MINING CORP.", size=14, bold=True)
    s.y -= 6
    s.line("Management's Discussion and Analysis for the year ended December 31, 2024", size=10)
    s.y -= 14
    s.paragraph(
        [
            "Larkspur Mining Corp. is a Canadian gold producer. Its Fenwick Hill mine in northern",
            "Ontario milled 1.6 million tonnes of ore in 2024. This report is dated March 12, 2025.",
        ]
    )


POSITION_AT = (430.0, 520.0)
POSITION_DOLLARS = (380.0, 470.0)
# label, 2024, 2023, indent (group rows have no values)
POSITION = [
    ("ASSETS", None, None, 0),
    ("Current assets", None, None, 0),
    ("Cash and cash equivalents", "48,312", "31,906", 10),
    ("Receivables", "6,204", "4,871", 10),
    ("Inventories", "14,586", "12,733", 10),
    ("Prepaid expenses", "1,092", "955", 10),
    ("Total current assets", "70,194", "50,465", 0),
    ("Mineral properties, plant and equipment", "212,840", "198,310", 0),
    ("Exploration and evaluation assets", "18,455", "15,220", 0),
    ("Total assets", "301,489", "263,995", 0),
    ("LIABILITIES AND EQUITY", None, None, 0),
    ("Current liabilities", None, None, 0),
    ("Accounts payable and accrued liabilities", "17,385", "15,902", 10),
    ("Current portion of lease liabilities", "1,240", "1,115", 10),
    ("Total current liabilities", "18,625", "17,017", 0),
    ("Lease liabilities", "3,870", "4,610", 0),
    ("Reclamation provision", "12,406", "11,585", 0),
    ("Total liabilities", "34,901", "33,212", 0),
    ("Equity", None, None, 0),
    ("Share capital", "241,320", "240,105", 10),
    ("Reserves", "9,855", "8,930", 10),
    ("Retained earnings (deficit)", "15,413", "(18,252)", 10),
    ("Total equity", "266,588", "230,783", 0),
    ("Total liabilities and equity", "301,489", "263,995", 0),
]


def annual_position(s: Sheet) -> None:
    s.heading("CONSOLIDATED STATEMENT OF FINANCIAL POSITION")
    s.row("As at December 31,", ("2024", "2023"), POSITION_AT, bold=True)
    for label, now, before, indent in POSITION:
        values = (now, before) if now else ()
        first_or_total = label.startswith(("Cash", "Total assets", "Total liabilities and"))
        dollars = POSITION_DOLLARS if first_or_total else ()
        s.row(label, values, POSITION_AT, indent=indent, bold=label.isupper(), dollars=dollars)


# Two columns of prose; each list is one column's lines, "" between paragraphs. The left
# column's last sentence runs on to the top of the right one.
OUTLOOK_LEFT = [
    "The Company ended the year in a strong",
    "financial position. As at December 31, 2024,",
    "the Company had working capital of $51.6",
    "million, compared with $33.4 million a year",
    "earlier, and no debt other than leases.",
    "",
    "Sustaining capital of $14.2 million is planned",
    "for 2025, most of it for the tailings",
]
OUTLOOK_RIGHT = [
    "facility raise and the mobile fleet.",
    "",
    "Exploration in 2025 will test the down-dip",
    "extension of the Tamarack deposit with a",
    "program of 18,000 metres of core drilling.",
    "",
    "Production guidance for 2025 is 68,000 to",
    "74,000 ounces of gold.",
]
OUTLOOK_PARAGRAPHS = [
    "The Company ended the year in a strong financial position. As at December 31, 2024, the "
    "Company had working capital of $51.6 million, compared with $33.4 million a year earlier, "
    "and no debt other than leases.",
    "Sustaining capital of $14.2 million is planned for 2025, most of it for the tailings "
    "facility raise and the mobile fleet.",
    "Exploration in 2025 will test the down-dip extension of the Tamarack deposit with a "
    "program of 18,000 metres of core drilling.",
    "Production guidance for 2025 is 68,000 to 74,000 ounces of gold.",
]


def annual_outlook(s: Sheet) -> None:
    s.heading("OUTLOOK")
    top = s.y
    for column, x in ((OUTLOOK_LEFT, MARGIN), (OUTLOOK_RIGHT, 318.0)):
        s.y = top
        for text in column:
            if text:
                s.font(9.5)
                s.pdf.drawString(x, s.y, text)
            s.y -= 13


def annual_liquidity(s: Sheet) -> None:
    s.heading("LIQUIDITY AND CAPITAL RESOURCES")
    s.paragraph(
        [
            "Cash and cash equivalents rose to $48.3 million at December 31, 2024 from $31.9 million",
            "a year earlier, as cash from operating activities exceeded capital expenditures.",
        ]
    )


def annual_risks(s: Sheet) -> None:
    s.heading("RISKS AND UNCERTAINTIES")
    s.paragraph(
        [
            "The Company's results depend on the price of gold, which it does not control, and on",
            "the exchange rate between the Canadian and US dollars.",
        ]
    )


ANNUAL_PAGES = [annual_cover, annual_position, annual_outlook, annual_liquidity, annual_risks]


@pytest.fixture(scope="module")
def annual_pdf() -> bytes:
    return draw(ANNUAL_PAGES, annual_frame)


@pytest.fixture(scope="module")
def annual_doc(annual_pdf: bytes) -> Document:
    return read(annual_pdf, "larkspur-2024-annual-report.pdf")


@pytest.fixture(scope="module")
def annual(annual_pdf: bytes) -> ParsedFiling:
    return parse_filing(annual_pdf, name="larkspur-2024-annual-report.pdf")


def _number(text: str) -> float:
    negative = text.startswith("(")
    value = float(text.strip("()").replace(",", ""))
    return -value if negative else value


# -- the MD&A's financial table ---------------------------------------------------------


def test_results_table_facts_have_periods_scale_sign_and_unit(quarter: ParsedFiling) -> None:
    table = next(t for t in quarter.tables if t.title == "RESULTS OF OPERATIONS")
    assert [c.key for c in table.columns] == ["2024-09-30/3m", "2023-09-30/3m"]
    facts = {
        (f.concept, f.period_end, f.months, f.value, f.unit)
        for f in quarter.facts
        if f.table_index == table.index
    }
    # Thousands from "(C$000s)"; expenses printed in parentheses are negative.
    assert {
        ("revenue", "2024-09-30", 3, 60_421_000.0, "CAD"),
        ("revenue", "2023-09-30", 3, 41_853_000.0, "CAD"),
        ("exploration_expense", "2024-09-30", 3, -1_705_000.0, "CAD"),
        ("exploration_expense", "2023-09-30", 3, -1_315_000.0, "CAD"),
        ("general_and_administrative_expense", "2024-09-30", 3, -3_180_000.0, "CAD"),
        ("total_operating_expenses", "2024-09-30", 3, -40_220_000.0, "CAD"),
        ("income_tax", "2023-09-30", 3, -1_840_000.0, "CAD"),
        ("net_income", "2024-09-30", 3, 14_751_000.0, "CAD"),
        ("net_income", "2023-09-30", 3, 4_968_000.0, "CAD"),
    } <= facts
    assert len(facts) == 18  # nine rows with values, two periods


def test_results_table_rows_wrap_group_and_total(quarter: ParsedFiling) -> None:
    table = next(t for t in quarter.tables if t.title == "RESULTS OF OPERATIONS")
    rows = [(r.label, r.kind, r.group) for r in table.rows]
    assert rows[:6] == [
        ("Revenue", "data", None),
        ("Operating expenses", "group", None),
        ("Production costs", "data", "Operating expenses"),
        ("Depreciation and depletion", "data", "Operating expenses"),
        ("General and administrative", "data", "Operating expenses"),
        # Two printed lines, one row.
        ("Exploration and evaluation expenditure", "data", "Operating expenses"),
    ]
    assert ("Total operating expenses", "total") == rows[6][:2]
    # The raised marker joined its label's line, and is read as a footnote.
    assert table.rows[0].footnotes == ["1"]
    totals = [f for f in quarter.footings if f.table_index == table.index]
    assert {f.label for f in totals} >= {"Total operating expenses"}
    assert all(f.foots for f in totals), [(f.label, f.expected, f.observed) for f in totals]


def test_fact_line_is_the_row_on_its_page(quarter: ParsedFiling, quarter_doc: Document) -> None:
    # parse_filing and readers.read number the text view alike: the facts' lines are its lines.
    (fact,) = [
        f
        for f in quarter.facts
        if f.concept == "exploration_expense" and f.period_end == "2024-09-30"
    ]
    line = quarter_doc.line(fact.line)
    assert line.page == 2
    assert line.text.split("\t") == ["Exploration and evaluation expenditure", "(1,705)", "(1,315)"]
    # The row's box spans both printed lines of the label.
    x0, top, x1, bottom = line.box
    assert bottom - top > 15 and x0 == pytest.approx(MARGIN + 10, abs=0.5)
    assert {quarter_doc.line(f.line).page for f in quarter.facts if f.concept == "revenue"} == {2}


def test_cash_flow_labels_wrapped_above_below_and_around_their_values(
    quarter: ParsedFiling,
) -> None:
    table = next(t for t in quarter.tables if t.title == "CASH FLOWS")
    assert [(r.label, [c.raw for c in r.cells]) for r in table.rows] == [
        ("Cash from operations before changes in non-cash working capital", ["29,066", "14,468"]),
        ("Changes in non-cash working capital items", ["(3,412)", "1,205"]),
        ("Cash from operating activities", ["25,654", "15,673"]),
        ("Expenditures on mineral properties, plant and equipment", ["(11,870)", "(9,445)"]),
        ("Free cash flow", ["13,784", "6,228"]),
    ]
    assert [c.key for c in table.columns] == ["2024-09-30/3m", "2023-09-30/3m"]


# -- the operating table: units in the labels, quarter and year-to-date columns ----------


def test_operating_table_units_in_labels(quarter: ParsedFiling, quarter_doc: Document) -> None:
    table = next(t for t in quarter.tables if t.title == "OPERATING HIGHLIGHTS")
    assert [c.key for c in table.columns] == [
        "2024-09-30/3m",
        "2023-09-30/3m",
        "2024-09-30/9m",
        "2023-09-30/9m",
    ]
    got = {
        (f.label, f.period_end, f.months): (f.value, f.unit)
        for f in quarter.facts
        if f.table_index == table.index
    }
    assert got[("Gold produced (oz)", "2024-09-30", 3)] == (18_134.0, "oz")
    assert got[("Gold produced (oz)", "2023-09-30", 9)] == (47_556.0, "oz")
    assert got[("Ore milled (k dmt)", "2024-09-30", 9)] == (1_201_000.0, "t")
    assert got[("Head grade (g/t Au)", "2023-09-30", 3)] == (1.41, "g/t")
    assert got[("AISC (US$/oz)", "2024-09-30", 3)] == (1_284.0, "USD/oz")
    assert got[("AISC (US$/oz)", "2023-09-30", 9)] == (1_357.0, "USD/oz")
    # What was read ties out: ounces = tonnes x grade x recovery, in every column.
    for end, months in {(e, m) for (_, e, m) in got}:
        tonnes = got[("Ore milled (k dmt)", end, months)][0]
        grade = got[("Head grade (g/t Au)", end, months)][0]
        recovery = got[("Recovery (%)", end, months)][0] / 100
        ounces = got[("Gold produced (oz)", end, months)][0]
        assert tonnes * grade * recovery / TROY_OUNCE_G == pytest.approx(ounces, abs=1.0)
    rows = {f.line for f in quarter.facts if f.table_index == table.index}
    assert {quarter_doc.line(no).page for no in rows} == {3}


# -- the mineral resource table --------------------------------------------------------


def test_resource_table_two_header_lines_and_stacked_categories(quarter: ParsedFiling) -> None:
    table = next(t for t in quarter.tables if t.kind == "resource")
    assert [c.header for c in table.columns] == [
        ["Tonnes", "(000's)"],
        ["Grade", "(g/t Au)"],
        ["Contained Au", "(koz)"],
    ]
    got = {
        (e.deposit, e.category): (e.tonnage_mt, e.grades[0].grade, e.grades[0].contained)
        for e in quarter.estimates
    }
    categories = ("measured_indicated", "measured", "indicated", "inferred")
    expected = {
        (deposit, category): (
            _number(tonnes) / 1000,  # thousands of tonnes -> Mt
            _number(grade),
            _number(koz) / 1000,  # koz -> Moz
        )
        for deposit, rows in RESOURCES.items()
        for category, (tonnes, grade, koz) in zip(categories, rows, strict=True)
    }
    assert got.keys() == expected.keys()
    for key, values in expected.items():
        assert got[key] == pytest.approx(values), key
    assert all(e.grades[0].commodity == "Au" for e in quarter.estimates)
    # What was read ties out: M+I is measured plus indicated, and contained metal is
    # tonnes x grade, within the rounding of the printed grade (0.005 g/t) and ounces.
    for deposit in RESOURCES:
        m, i = got[(deposit, "measured")], got[(deposit, "indicated")]
        mi = got[(deposit, "measured_indicated")]
        assert m[0] + i[0] == pytest.approx(mi[0])
        assert m[2] + i[2] == pytest.approx(mi[2], abs=0.0011)
        for tonnes, grade, moz in (m, i, mi):
            rounding = tonnes * 0.005 / TROY_OUNCE_G + 0.0005
            assert tonnes * grade / TROY_OUNCE_G == pytest.approx(moz, abs=rounding)


def test_resource_table_m_plus_i_rows_head_their_categories(quarter: ParsedFiling) -> None:
    table = next(t for t in quarter.tables if t.kind == "resource")
    footings = [f for f in quarter.footings if f.table_index == table.index]
    # Each deposit's (M+I) row heads its Measured and Indicated rows, and adds them.
    assert footings and all(f.foots for f in footings)
    assert {f.terms for f in footings} == {2}


# -- prose: hyphens at line ends --------------------------------------------------------


def test_hyphenated_words_at_line_ends(quarter_doc: Document) -> None:
    (intro,) = [b.text for b in quarter_doc.prose if b.text.startswith("This management")]
    # A word split by the line break is one word; a compound keeps its hyphen.
    assert "the condensed interim financial statements for the three" in intro
    assert "Mill availability was 94% in the quarter." in intro
    assert "the Company expects its all-in sustaining costs for the year" in intro
    assert "fi-" not in intro and "availa" not in intro.replace("availability", "")


# -- the statement of financial position under a running scale line ---------------------


def test_statement_of_financial_position_balances_in_thousands(annual: ParsedFiling) -> None:
    table = next(t for t in annual.tables if "FINANCIAL POSITION" in t.title)
    facts = [f for f in annual.facts if f.table_index == table.index]
    # Every line is a balance at the year end, whatever the column headings say.
    assert {(f.period_end, f.months) for f in facts} == {("2024-12-31", 0), ("2023-12-31", 0)}
    # The scale is stated only in the running header, and applied; balances keep their sign.
    got = {(f.label, f.period_end): f.value for f in facts}
    for label, now, before, _ in POSITION:
        if now:
            assert got[(label, "2024-12-31")] == _number(now) * 1000
            assert got[(label, "2023-12-31")] == _number(before) * 1000
    assert len(facts) == 2 * sum(1 for row in POSITION if row[1])
    totals = [f for f in annual.footings if f.table_index == table.index]
    assert len(totals) >= 8 and all(f.foots for f in totals)


def test_running_headers_and_footers_are_page_furniture(annual_doc: Document) -> None:
    furniture = [annual_doc.line(no) for no in sorted(annual_doc.page_header_lines)]
    by_page: dict[int, list[str]] = {}
    for line in furniture:
        by_page.setdefault(line.page, []).append(line.text)
    assert by_page == {
        n: ["Larkspur Mining Corp. Annual Report 2024", SCALE_LINE, f"Page {n} of 5"]
        for n in range(1, 6)
    }
    # None of it is read as prose: no paragraph holds a page number or the scale line.
    assert not [b.text for b in annual_doc.prose if "Page " in b.text or "thousands" in b.text]
    assert all(line.page for line in annual_doc.lines if line.text)


def test_quarterly_header_and_page_numbers_are_furniture(quarter_doc: Document) -> None:
    furniture = {quarter_doc.line(no).text for no in quarter_doc.page_header_lines}
    assert furniture == {QUARTER_TITLE, *(f"Page {n} of 4" for n in range(1, 5))}


# -- two columns of prose ---------------------------------------------------------------


def test_two_columns_are_read_left_column_first(annual_doc: Document) -> None:
    page3 = [b for b in annual_doc.prose if annual_doc.line(b.line).page == 3]
    assert [b.text for b in page3] == ["OUTLOOK", *OUTLOOK_PARAGRAPHS]


def test_sentence_wrapped_in_a_column_is_a_narrative_fact(annual: ParsedFiling) -> None:
    (fact,) = [f for f in annual.narrative_facts if f.concept == "working_capital"]
    assert (fact.value, fact.unit, fact.period_end, fact.months) == (
        51_600_000.0,
        "CAD",  # "$" in a filing whose running header says Canadian dollars
        "2024-12-31",
        0,
    )
    assert fact.text.startswith("As at December 31, 2024, the Company had working capital")


def test_currency_stated_in_the_running_header(annual: ParsedFiling) -> None:
    assert annual.metadata.currency == "CAD"


# -- pages without text, and files that cannot be read -----------------------------------


def _prose_page(text: str) -> Page:
    return lambda s: s.paragraph([text])


def test_page_without_text_layer_is_named_and_the_others_read() -> None:
    data = draw(
        [
            _prose_page("Larkspur Mining Corp. milled 412,000 tonnes of ore in the quarter."),
            Sheet.scan,
            _prose_page("The Fenwick Hill mill ran at 94% availability in the quarter."),
        ]
    )
    doc = read(data, "larkspur-scan.pdf")
    (issue,) = [i for i in doc.issues if i.kind == "no_text_layer"]
    assert issue.reason.startswith("larkspur-scan.pdf: page 2 of 3 has no text layer")
    assert [(ln.page, ln.text[:22]) for ln in doc.lines if ln.text] == [
        (1, "Larkspur Mining Corp. "),
        (3, "The Fenwick Hill mill "),
    ]
    parsed = parse_filing(data, name="larkspur-scan.pdf")
    assert [i.kind for i in parsed.issues].count("no_text_layer") == 1


def test_page_that_fails_to_load_is_an_issue_and_the_others_are_read(
    quarter_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ingest.readers import pdf as reader

    load = reader._load

    def broken_second_page(pdf, index: int, weights: bool):
        if index == 1:
            raise ValueError("damaged content stream")
        return load(pdf, index, weights)

    monkeypatch.setattr(reader, "_load", broken_second_page)
    doc = read(quarter_pdf, "larkspur-damaged.pdf")
    assert [i.reason for i in doc.issues] == [
        "larkspur-damaged.pdf: page 2 could not be read (ValueError)"
    ]
    assert {ln.page for ln in doc.lines if ln.text} == {1, 3, 4}


def test_pdf_without_any_text_is_unreadable() -> None:
    data = draw([Sheet.scan, Sheet.scan])
    with pytest.raises(UnreadableFiling, match=r"^larkspur-photos\.pdf: .*no text layer"):
        parse_filing(data, name="larkspur-photos.pdf")


def test_encrypted_pdf_is_unreadable_and_says_so() -> None:
    data = draw([_prose_page("Confidential: board pack.")], encrypt="board-only")
    with pytest.raises(UnreadableFiling, match=r"^larkspur-board\.pdf: .*encrypted"):
        parse_filing(data, name="larkspur-board.pdf")


def test_truncated_pdf_is_unreadable_and_says_so(quarter_pdf: bytes) -> None:
    # pdfium cannot open a PDF cut before its cross-reference table: nothing is read.
    half = quarter_pdf[: len(quarter_pdf) // 2]
    with pytest.raises(UnreadableFiling, match=r"^larkspur-cut\.pdf: .*truncated"):
        parse_filing(half, name="larkspur-cut.pdf")


def test_corrupt_pdf_is_unreadable_and_says_so() -> None:
    data = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    with pytest.raises(
        UnreadableFiling, match=r"^larkspur-bad\.pdf: not a readable PDF: .*corrupt"
    ):
        parse_filing(data, name="larkspur-bad.pdf")


def test_wrong_cross_reference_offset_is_repaired(quarter_pdf: bytes) -> None:
    # pdfium rebuilds a cross-reference table that points to the wrong place.
    cut = quarter_pdf.rindex(b"startxref")
    data = quarter_pdf[:cut] + b"startxref\n999999\n%%EOF\n"
    doc = read(data, "larkspur-xref.pdf")
    assert max(ln.page or 0 for ln in doc.lines) == 4
    assert not doc.issues


# -- the format is the content's, not the name's ----------------------------------------


def test_pdf_named_txt_is_read_as_pdf(quarter_pdf: bytes, quarter: ParsedFiling) -> None:
    parsed = parse_filing(quarter_pdf, name="larkspur-2024-q3-mda.txt")
    assert read(quarter_pdf, "larkspur-2024-q3-mda.txt").format == "pdf"
    key = [(f.concept, f.period_end, f.months, f.value, f.unit) for f in quarter.facts]
    assert [(f.concept, f.period_end, f.months, f.value, f.unit) for f in parsed.facts] == key
    assert len(parsed.estimates) == 8


def test_metadata_says_the_file_was_a_pdf_of_so_many_pages(quarter: ParsedFiling) -> None:
    assert (quarter.metadata.source_format, quarter.metadata.page_count) == ("pdf", 4)


# -- a table the page break cuts: the rest on the next page, without its header ----------

SPLIT_AT = (330.0, 410.0, 490.0, 560.0)


def split_first(s: Sheet) -> None:
    s.line("LARKSPUR MINING CORP.", size=14, bold=True)
    s.line("Management's Discussion and Analysis", size=12, bold=True)
    s.line("For the three and nine months ended September 30, 2024", size=10)
    s.y = 260.0
    s.heading("SELECTED RESULTS")
    s.row("", ("Q3", "Q3", "YTD", "YTD"), SPLIT_AT, bold=True)
    s.row("", ("2024", "2023", "2024", "2023"), SPLIT_AT, bold=True)
    s.row("Revenue", ("48,120", "41,306", "139,744", "118,512"), SPLIT_AT)
    s.row("Net income per share", (), SPLIT_AT)
    s.row("- Basic", ("0.12", "0.09", "0.33", "0.24"), SPLIT_AT, indent=8)


def split_second(s: Sheet) -> None:
    s.row("- Diluted", ("0.11", "0.09", "0.32", "0.23"), SPLIT_AT, indent=8)
    s.row("Net cash from operating activities", ("14,260", "9,874", "40,115", "31,092"), SPLIT_AT)
    s.row("Ending cash and cash equivalents", ("61,402", "44,310", "61,402", "44,310"), SPLIT_AT)
    s.y -= 20
    s.paragraph(["Cash rose in the quarter on higher gold sales and lower capital spending."])


def test_a_table_cut_by_the_page_break_continues_under_its_header() -> None:
    pdf = draw([split_first, split_second], quarter_frame)
    parsed = parse_filing(pdf, name="larkspur-2024-q3-mda.pdf")
    got = {
        (f.concept, f.period_end, f.months): (f.value, f.page) for f in parsed.facts if f.page == 2
    }
    assert got[("operating_cash_flow", "2024-09-30", 9)] == (40_115.0, 2)
    assert got[("ending_cash_and_cash_equivalents", "2023-09-30", 0)][0] == 44_310.0
    # The row the break parted from its group keeps it: a per-share figure, not dollars.
    [diluted] = [f for f in parsed.facts if f.line == 18 and f.column == "2024-09-30/3m"]
    assert (diluted.concept, diluted.unit, diluted.value) == (
        "net_income_per_share",
        "USD/share",
        0.11,
    )
    second = next(t for t in parsed.tables if t.rows and t.rows[0].page == 2)
    assert second.parent_index is not None and second.title == "SELECTED RESULTS"
