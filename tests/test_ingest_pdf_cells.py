"""The PDF reader on cells printed apart: "$" and ")" in positions of their own, labels
drawn word by word in italics with no space character, spanning headers over a resource
table; the provenance (page and box) of every cell, fact and sentence; the cover page.

The filing is a fictional explorer's (Quillon Ridge Minerals Ltd., its Aldergrove copper
project), drawn here with reportlab. Its figures tie out: the expenses add up to the net
loss, and contained metal is tonnes times grade.
"""

from __future__ import annotations

import textwrap

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from test_ingest_pdf import HEIGHT, MARGIN, WIDTH, Sheet, draw

from ingest import parse_filing
from ingest.layouts.positions import Word, cells_of
from ingest.model import Document, ParsedFiling
from ingest.readers import read

pytestmark = pytest.mark.unit

NAME = "quillon-ridge-2024-annual-mda.pdf"
COMPANY = "QUILLON RIDGE MINERALS LTD."
ITALIC = "Helvetica-Oblique"
# reportlab ships Bitstream Vera; embedded as a subset, as most filings embed their fonts.
pdfmetrics.registerFont(TTFont("VeraIt", "VeraIt.ttf"))

AT = (400.0, 490.0)  # right edges of the 2024 and 2023 figures
DOLLAR_AT = (335.0, 425.0)  # "$" printed well left of its figure, as statements print it
PAREN_GAP = 10.0  # the ")" of a negative printed this far right of its figure: its own cell


def frame(s: Sheet) -> None:
    s.font(8)
    s.pdf.drawString(MARGIN, HEIGHT - 40, "Quillon Ridge Minerals Ltd. | 2024 Annual MD&A")
    s.pdf.drawCentredString(WIDTH / 2, 36, f"- {s.number} -")


def cover(s: Sheet) -> None:
    y = HEIGHT - 250
    for text, size, bold in (
        (COMPANY, 20, True),
        ("Management's Discussion and Analysis", 14, False),
        ("For the year ended December 31, 2024", 12, False),
        ("(Expressed in Canadian dollars)", 10, False),
    ):
        s.pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        s.pdf.drawCentredString(WIDTH / 2, y, text)
        y -= size * 1.8


def figure(
    s: Sheet, values: tuple[str, str], *, dollars: bool = False, paren_gap: float = PAREN_GAP
) -> None:
    """Figures right-aligned at ``AT``, a negative's ")" drawn apart, "$" at ``DOLLAR_AT``."""
    s.font(9)
    for value, x in zip(values, AT, strict=True):
        negative = value.startswith("(")
        s.pdf.drawRightString(x, s.y, value.rstrip(")"))
        if negative:
            s.pdf.drawString(x + paren_gap, s.y, ")")
    for x in DOLLAR_AT if dollars else ():
        s.pdf.drawString(x, s.y, "$")


def italic_label(s: Sheet, label: str, *, gap_em: float = 0.25, face: str = ITALIC) -> float:
    """The label drawn one word at a time, ``gap_em`` apart, with no space character
    between the words; returns where it ends."""
    x, size = MARGIN, 9.0
    s.pdf.setFont(face, size)
    for word in label.split():
        s.pdf.drawString(x, s.y, word)
        x += s.pdf.stringWidth(word, face, size) + gap_em * size
    return x - gap_em * size


# label, 2024, 2023, "$" printed, drawn in italics word by word
RESULTS = [
    ("Exploration and evaluation", "(2,418,300)", "(1,902,750)", True, True),
    ("General and administrative", "(815,420)", "(760,100)", False, True),
    ("Share-based compensation", "(232,000)", "(198,000)", False, False),
    ("Interest income", "64,210", "38,900", False, False),
    ("Net loss for the year", "(3,401,510)", "(2,821,950)", True, False),
]
FOOTNOTE = "(1) Exploration and evaluation expenditure is expensed as incurred."


def results(s: Sheet) -> None:
    s.heading("SELECTED FINANCIAL INFORMATION")
    s.font(9, bold=True)
    s.pdf.drawCentredString((AT[0] + AT[1]) / 2 - 10, s.y, "Year ended December 31,")
    s.y -= 13
    s.row("", ("2024", "2023"), AT, bold=True)
    for k, (label, now, before, dollars, italic) in enumerate(RESULTS):
        if italic:
            end = italic_label(s, label)
            if k == 0:  # a raised footnote marker after the label
                s.pdf.setFont("Helvetica", 5.4)
                s.pdf.drawString(end + 0.5, s.y + 4, "(1)")
        else:
            s.font(9)
            s.pdf.drawString(MARGIN, s.y, label)
        figure(s, (now, before), dollars=dollars)
        s.y -= 13
    s.y -= 6
    s.line(FOOTNOTE, size=7)


PROSE = [
    "The Company ended the year with cash of $5.1 million. As at December 31, 2024, the "
    "Company had working capital of $4.2 million, compared with $6.9 million a year earlier.",
    "Drilling at the Aldergrove project in 2025 will test the eastern extension of the "
    "deposit with 9,000 metres of core.",
]


def liquidity(s: Sheet) -> None:
    s.heading("LIQUIDITY AND CAPITAL RESOURCES")
    for paragraph in PROSE:
        s.paragraph(textwrap.wrap(paragraph, 88))


RESOURCE_AT = (300.0, 360.0, 420.0, 480.0, 540.0)
# category, tonnes (Mt), Cu (%), Au (g/t), Cu (Mlb), Au (koz): Mlb = Mt x % x 22.0462,
# koz = Mt x g/t x 32.1507.
RESOURCES = [
    ("Indicated", "42.0", "0.48", "0.21", "444", "284"),
    ("Inferred", "18.5", "0.41", "0.17", "167", "101"),
]


def resources(s: Sheet) -> None:
    s.heading("MINERAL RESOURCES")
    s.paragraph(
        ["The Company's first mineral resource estimate for the Aldergrove project follows."]
    )
    s.line(
        "Table 1: Aldergrove Mineral Resource Statement, effective September 30, 2024", bold=True
    )
    s.y -= 4
    s.font(9, bold=True)
    # "Grade" spans the two grade columns, "Contained metal" the two metal columns; the
    # commodities stand on the header row under them.
    s.pdf.drawCentredString(379, s.y, "Grade")
    s.pdf.drawCentredString(510, s.y, "Contained metal")
    s.y -= 13
    s.row(
        "Category",
        ("Tonnes (Mt)", "Cu (%)", "Au (g/t)", "Cu (Mlb)", "Au (koz)"),
        RESOURCE_AT,
        bold=True,
    )
    for category, *values in RESOURCES:
        s.row(category, values, RESOURCE_AT)


PAGES = [cover, results, liquidity, resources]


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return draw(PAGES, frame)


@pytest.fixture(scope="module")
def doc(pdf: bytes) -> Document:
    return read(pdf, NAME)


@pytest.fixture(scope="module")
def parsed(pdf: bytes) -> ParsedFiling:
    return parse_filing(pdf, name=NAME)


def _number(text: str) -> float:
    value = float(text.strip("()").replace(",", ""))
    return -value if text.startswith("(") else value


def _results(parsed: ParsedFiling):
    return next(t for t in parsed.tables if t.title == "SELECTED FINANCIAL INFORMATION")


# -- cells printed apart -----------------------------------------------------------------


def test_dollar_and_closing_parenthesis_in_their_own_cells_join_their_figures(
    parsed: ParsedFiling,
) -> None:
    table = _results(parsed)
    assert [c.key for c in table.columns] == ["2024-12-31/12m", "2023-12-31/12m"]
    assert [(r.label, [c.raw for c in r.cells]) for r in table.rows] == [
        ("Exploration and evaluation", ["$ (2,418,300)", "$ (1,902,750)"]),
        ("General and administrative", ["(815,420)", "(760,100)"]),
        ("Share-based compensation", ["(232,000)", "(198,000)"]),
        ("Interest income", ["64,210", "38,900"]),
        ("Net loss for the year", ["$ (3,401,510)", "$ (2,821,950)"]),
    ]
    # Negatives in parentheses are negative; the expenses and income add up to the loss.
    got = {(f.label, f.period_end): f.value for f in parsed.facts if f.table_index == table.index}
    for label, now, before, *_ in RESULTS:
        assert got[(label, "2024-12-31")] == _number(now)
        assert got[(label, "2023-12-31")] == _number(before)
    for year, column in (("2024-12-31", 1), ("2023-12-31", 2)):
        parts = sum(_number(row[column]) for row in RESULTS[:-1])
        assert parts == got[("Net loss for the year", year)]
    assert {f.unit for f in parsed.facts if f.table_index == table.index} == {"CAD"}
    assert parsed.issues == []


def test_italic_labels_drawn_word_by_word_read_as_separate_words(doc: Document) -> None:
    rows = [ln.text.split("\t")[0] for ln in doc.lines if ln.text.count("\t") == 2]
    assert "Exploration and evaluation (1)" in rows
    assert "General and administrative" in rows
    assert not [r for r in rows if "Explorationand" in r or "Generaland" in r]


@pytest.mark.parametrize("face", [ITALIC, "Times-Italic", "VeraIt"])
def test_italic_label_of_an_embedded_or_standard_font_at_a_normal_word_gap(face: str) -> None:
    def page(s: Sheet) -> None:
        s.heading("OPERATING RESULTS")
        s.row("", ("2024", "2023"), AT, bold=True)
        italic_label(s, "Sustaining capital expenditure", gap_em=0.25, face=face)
        figure(s, ("3,100", "2,900"))

    doc = read(draw([page]), "quillon-ops.pdf")
    assert "Sustaining capital expenditure\t3,100\t2,900" in [ln.text for ln in doc.lines]


def test_italic_label_with_tight_word_spacing_reads_as_separate_words() -> None:
    def page(s: Sheet) -> None:
        s.heading("OPERATING RESULTS")
        s.row("", ("2024", "2023"), AT, bold=True)
        italic_label(s, "Sustaining capital expenditure", gap_em=0.12)
        figure(s, ("3,100", "2,900"))

    doc = read(draw([page]), "quillon-tight.pdf")
    # Within a word the glyph boxes touch or overlap; between words there is a clear gap
    # (0.3 to 0.6 pt at 9 pt type), and pdfium writes no space there.
    assert "Sustaining capital expenditure\t3,100\t2,900" in [ln.text for ln in doc.lines]


@pytest.mark.parametrize("gap_em", [0.12, 0.15])
@pytest.mark.parametrize("face", ["Helvetica", "Times-Italic", "VeraIt"])
def test_words_drawn_one_by_one_a_tight_gap_apart_in_any_face(face: str, gap_em: float) -> None:
    def page(s: Sheet) -> None:
        s.heading("OPERATING RESULTS")
        s.row("", ("2024", "2023"), AT, bold=True)
        italic_label(s, "Sustaining capital expenditure", gap_em=gap_em, face=face)
        figure(s, ("3,100", "2,900"))

    doc = read(draw([page]), "quillon-tight.pdf")
    assert "Sustaining capital expenditure\t3,100\t2,900" in [ln.text for ln in doc.lines]


def test_a_word_set_in_pieces_stays_one_word() -> None:
    """Glyphs a hair apart are one word: a word drawn letter by letter with rounded
    positions; a word of a spaced line split between two show-strings a little apart."""

    def page(s: Sheet) -> None:
        s.heading("OPERATING RESULTS")
        s.font(9)
        x = MARGIN
        for letter in "Sustaining":  # each letter its own string, 0.15 pt further on
            s.pdf.drawString(x, s.y, letter)
            x += s.pdf.stringWidth(letter, "Helvetica", 9) + 0.15
        s.y -= 30  # a paragraph of its own
        start = "Drilling results were"
        s.pdf.drawString(MARGIN, s.y, f"{start} enco")  # the line printing its own spaces
        x = MARGIN + s.pdf.stringWidth(f"{start} enco", "Helvetica", 9) + 0.6
        s.pdf.drawString(x, s.y, "uraging at depth.")

    lines = [ln.text for ln in read(draw([page]), "quillon-pieces.pdf").lines]
    assert "Sustaining" in lines
    assert "Drilling results were encouraging at depth." in lines


def test_closing_parenthesis_drawn_close_to_its_figure_keeps_the_last_row() -> None:
    def page(s: Sheet) -> None:
        s.heading("SELECTED FINANCIAL INFORMATION")
        s.row("", ("2024", "2023"), AT, bold=True)
        for label, now, before, dollars, _ in RESULTS:
            s.font(9)
            s.pdf.drawString(MARGIN, s.y, label)
            figure(s, (now, before), dollars=dollars, paren_gap=3.0)
            s.y -= 13

    parsed = parse_filing(draw([page]), name="quillon-close-paren.pdf")
    net = {(f.period_end, f.value) for f in parsed.facts if f.concept == "net_income"}
    # A ")" 3 pt after its figure closes it: the row is not the paragraph
    # "Net loss for the year $ (3,401,510 ) $ (2,821,950 )".
    assert net == {("2024-12-31", -3_401_510.0), ("2023-12-31", -2_821_950.0)}


@pytest.mark.parametrize(
    ("parts", "cell"),
    [
        ((("$", 300.0), ("(3,401,510", 335.0), (")", 395.0)), "$ (3,401,510)"),
        ((("(3,401,510", 335.0), (")", 388.0)), "(3,401,510)"),
        ((("14.2", 380.0), ("%", 402.0)), "14.2%"),
    ],
)
def test_a_figure_keeps_its_closing_parenthesis_or_percent_at_any_gap(parts, cell) -> None:
    # Made-up positions: a 9 pt figure, its ")" or "%" drawn as a string of its own 1 to
    # 10 pt to its right; the label stands well to the left.
    words = [Word("Net loss", 72.0, 106.0, 100.0, 110.0, 108.0, 10.0)]
    for text, x0 in parts:
        right = x0 + 5.0 * len(text)
        words.append(Word(text, x0, right, 100.0, 110.0, 108.0, 10.0))
    cells = cells_of(words)
    assert [c.text for c in cells] == ["Net loss", cell]
    assert cells[1].numeric


# -- footnotes ---------------------------------------------------------------------------


def test_raised_footnote_marker_and_the_note_under_the_table(parsed: ParsedFiling) -> None:
    table = _results(parsed)
    assert table.rows[0].footnotes == ["1"]
    assert table.rows[0].label == "Exploration and evaluation"
    assert FOOTNOTE in table.notes


# -- spanning headers over a resource table ---------------------------------------------------


def test_spanning_headers_over_commodity_columns(parsed: ParsedFiling) -> None:
    table = next(t for t in parsed.tables if t.kind == "resource")
    assert [c.header for c in table.columns] == [
        ["Tonnes (Mt)"],
        ["Grade", "Cu (%)"],
        ["Grade", "Au (g/t)"],
        ["Contained metal", "Cu (Mlb)"],
        ["Contained metal", "Au (koz)"],
    ]
    got = {
        e.category: (
            e.tonnage_mt,
            {g.commodity: (g.grade, g.grade_unit, g.contained, g.contained_unit) for g in e.grades},
        )
        for e in parsed.estimates
    }
    assert got == {
        "indicated": (42.0, {"Cu": (0.48, "%", 444.0, "Mlb"), "Au": (0.21, "g/t", 0.284, "Moz")}),
        "inferred": (18.5, {"Cu": (0.41, "%", 167.0, "Mlb"), "Au": (0.17, "g/t", 0.101, "Moz")}),
    }
    for e in parsed.estimates:
        cu, au = (next(g for g in e.grades if g.commodity == c) for c in ("Cu", "Au"))
        assert e.tonnage_mt * cu.grade * 22.0462 == pytest.approx(cu.contained, abs=1.0)
        assert e.tonnage_mt * au.grade * 32.1507 / 1000 == pytest.approx(au.contained, abs=0.001)
    assert {e.deposit for e in parsed.estimates} == {"Aldergrove"}
    assert {e.effective_date for e in parsed.estimates} == {"2024-09-30"}


# -- provenance: the page and box of every cell, fact and sentence ---------------------------


def _inside(inner, outer, slack: float = 0.5) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def test_every_table_cell_carries_its_page_and_box(parsed: ParsedFiling, doc: Document) -> None:
    assert [(t.title, t.kind, t.page) for t in parsed.tables] == [
        ("SELECTED FINANCIAL INFORMATION", "financial", 2),
        (
            "Table 1: Aldergrove Mineral Resource Statement, effective September 30, 2024",
            "resource",
            4,
        ),
    ]
    cells = [(t, r, c) for t in parsed.tables for r in t.rows for c in r.cells if c.raw]
    assert len(cells) == 2 * len(RESULTS) + 5 * len(RESOURCES)
    for table, row, cell in cells:
        assert cell.page == row.page == table.page, (row.label, cell.raw)
        assert cell.box is not None, (row.label, cell.raw)
        x0, top, x1, bottom = cell.box
        assert 0 <= x0 < x1 <= WIDTH and 0 <= top < bottom <= HEIGHT
        # The cell stands inside its row's line, whose box the text view keeps.
        assert _inside(cell.box, doc.line(cell.line).box)
    # The figures' right edges are where they were drawn: the 2024 column at AT[0], a
    # ")" printed apart widening the cell to its right; "$" widening it to its left.
    table = _results(parsed)
    interest = next(r for r in table.rows if r.label == "Interest income")
    assert [c.box[2] for c in interest.cells] == [pytest.approx(x, abs=0.5) for x in AT]
    first = table.rows[0].cells[0]
    assert first.box[0] == pytest.approx(DOLLAR_AT[0], abs=0.5)
    assert first.box[2] > AT[0] + PAREN_GAP
    # Rows top to bottom down the page.
    tops = [r.cells[0].box[1] for r in table.rows]
    assert tops == sorted(tops)


def test_facts_estimates_and_sentences_carry_their_page(
    parsed: ParsedFiling, doc: Document
) -> None:
    assert {f.page for f in parsed.facts} == {2}
    # The net loss foots to the lines above it, and the footing says where it stands.
    assert [(f.label, f.page, f.foots) for f in parsed.footings] == [
        ("Net loss for the year", 2, True)
    ] * 2
    assert {e.page for e in parsed.estimates} == {4}
    (wc,) = [f for f in parsed.narrative_facts if f.concept == "working_capital"]
    assert (wc.value, wc.unit, wc.period_end, wc.page) == (4_200_000.0, "CAD", "2024-12-31", 3)
    # The sentence's line is its paragraph's, with the box of the lines it was printed on.
    line = doc.line(wc.line)
    assert line.page == 3 and line.text.startswith("The Company ended the year with cash")
    x0, top, x1, bottom = line.box
    assert x0 == pytest.approx(MARGIN, abs=0.5) and bottom - top > 20  # two printed lines
    # Every line with text has a page; every one but the blanks has a box.
    assert all(ln.page and ln.box for ln in doc.lines if ln.text)
    assert {ln.page for ln in doc.lines if ln.text} == {1, 2, 3, 4}


def test_running_header_and_page_numbers_are_furniture(doc: Document) -> None:
    furniture = sorted((doc.line(n).page, doc.line(n).text) for n in doc.page_header_lines)
    assert furniture == sorted(
        [(n, "Quillon Ridge Minerals Ltd. | 2024 Annual MD&A") for n in range(1, 5)]
        + [(n, f"- {n} -") for n in range(1, 5)]
    )


# -- metadata from the cover page -------------------------------------------------------------


def test_metadata_from_the_cover_page(parsed: ParsedFiling) -> None:
    md = parsed.metadata
    assert (md.company_name, md.report_type, md.period_type, md.period_end) == (
        COMPANY,
        "MD&A",
        "annual",
        "2024-12-31",
    )
    assert (md.period_start, md.fiscal_year, md.currency) == ("2024-01-01", 2024, "CAD")
    assert (md.source_format, md.page_count) == ("pdf", 4)
    # Read from the cover's text, not guessed from the file name.
    assert {md.sources[k] for k in ("company_name", "period_end", "currency")} == {"text"}


def test_cover_page_wins_over_a_misleading_file_name(pdf: bytes) -> None:
    md = parse_filing(pdf, name="birchfield-gold-2019-q1.pdf").metadata
    assert (md.company_name, md.period_end, md.period_type) == (COMPANY, "2024-12-31", "annual")
    assert md.sources["company_name"] == "text"
