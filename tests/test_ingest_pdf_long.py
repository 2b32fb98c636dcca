"""A 300-page report, drawn here with reportlab: it is read whole, every page numbered,
and the tables and sentences on its last pages are found where they are.

A fictional technical report and MD&A bundle (Quillon Ridge Minerals Ltd., Aldergrove
copper project): a cover, 295 pages of drill-hole logs under a running header and a "Page
n of 300" footer, then the financial results (page 297), the liquidity paragraph (page
298), a page without text (a scanned map, page 299) and the resource statement (page 300).
"""

from __future__ import annotations

import time

import pytest
from test_ingest_pdf import HEIGHT, MARGIN, WIDTH, Sheet, draw

from ingest import parse_filing
from ingest.model import Document, ParsedFiling
from ingest.readers import read

pytestmark = pytest.mark.unit

PAGES = 300
NAME = "quillon-ridge-2024-technical-report.pdf"
HEADER = "Quillon Ridge Minerals Ltd. | Aldergrove Project Technical Report | December 2024"
AT = (400.0, 490.0)
SCAN = 299  # a scanned map: no text layer, no running header


def frame(s: Sheet) -> None:
    if s.number == SCAN:
        return
    s.font(8)
    s.pdf.drawString(MARGIN, HEIGHT - 40, HEADER)
    s.pdf.drawRightString(WIDTH - MARGIN, 36, f"Page {s.number} of {s.total}")


def cover(s: Sheet) -> None:
    s.y -= 150
    for text, size in (
        ("QUILLON RIDGE MINERALS LTD.", 20),
        ("Aldergrove Project Technical Report and Annual MD&A", 14),
        ("For the year ended December 31, 2024", 12),
        ("(Expressed in Canadian dollars)", 10),
    ):
        s.pdf.setFont("Helvetica-Bold", size)
        s.pdf.drawCentredString(WIDTH / 2, s.y, text)
        s.y -= size * 1.8


def drill_log(s: Sheet) -> None:
    hole = f"QR-{s.number:03d}"
    s.y -= 40  # below the band of the page where running headers stand
    s.heading(f"DRILL HOLE {hole}")
    s.paragraph(
        [
            f"Hole {hole} was collared on the Aldergrove grid at an azimuth of {s.number % 360}",
            "degrees and logged for recovery, lithology and alteration before it was sampled",
            "at one metre intervals. Core was split on site and shipped to the laboratory.",
        ]
    )
    s.row("From (m)", ("To (m)", "Cu (%)"), AT, bold=True)
    for k in range(3):
        s.row(f"{k * 10:.1f}", (f"{k * 10 + 10:.1f}", f"{0.2 + k * 0.1:.2f}"), AT)


RESULTS = [
    ("Exploration and evaluation", "(2,418,300)", "(1,902,750)"),
    ("General and administrative", "(815,420)", "(760,100)"),
    ("Net loss for the year", "(3,233,720)", "(2,662,850)"),
]


def results(s: Sheet) -> None:
    s.heading("SELECTED FINANCIAL INFORMATION")
    s.font(9, bold=True)
    s.pdf.drawCentredString(440, s.y, "Year ended December 31,")
    s.y -= 13
    s.row("", ("2024", "2023"), AT, bold=True)
    for label, now, before in RESULTS:
        s.row(label, (now, before), AT)


def liquidity(s: Sheet) -> None:
    s.heading("LIQUIDITY")
    s.paragraph(
        [
            "As at December 31, 2024, the Company had working capital of $4.2 million, and it",
            "expects to fund the 2025 drilling program from its treasury.",
        ]
    )


RESOURCE_AT = (330.0, 410.0, 490.0)


def resources(s: Sheet) -> None:
    s.heading("Table 25-1: Aldergrove Mineral Resource Statement, effective September 30, 2024")
    s.row("Category", ("Tonnes (Mt)", "Cu (%)", "Cu (Mlb)"), RESOURCE_AT, bold=True)
    s.row("Indicated", ("42.0", "0.48", "444"), RESOURCE_AT)
    s.row("Inferred", ("18.5", "0.41", "167"), RESOURCE_AT)


LAYOUT = [cover] + [drill_log] * 295 + [results, liquidity, Sheet.scan, resources]


@pytest.fixture(scope="module")
def report() -> tuple[bytes, Document, ParsedFiling, float]:
    assert len(LAYOUT) == PAGES
    data = draw(LAYOUT, frame)
    start = time.perf_counter()
    parsed = parse_filing(data, name=NAME)
    elapsed = time.perf_counter() - start
    return data, read(data, NAME), parsed, elapsed


def test_the_whole_report_is_read_quickly(report) -> None:
    _, _, parsed, elapsed = report
    assert elapsed < 8.0, f"300 pages took {elapsed:.1f} s"
    md = parsed.metadata
    assert (md.page_count, md.source_format) == (PAGES, "pdf")
    assert (md.company_name, md.period_end, md.currency) == (
        "QUILLON RIDGE MINERALS LTD.",
        "2024-12-31",
        "CAD",
    )
    # The one page without text is named, and nothing else went wrong.
    assert [i.kind for i in parsed.issues] == ["no_text_layer"]
    assert parsed.issues[0].reason.startswith(f"{NAME}: page 299 of 300 has no text layer")


def test_every_page_is_numbered_in_order(report) -> None:
    _, doc, _, _ = report
    pages = [ln.page for ln in doc.lines if ln.text]
    assert pages == sorted(pages)
    assert set(pages) == set(range(1, PAGES + 1)) - {299}
    # The running header and the page footer of every page with text are furniture.
    furniture = [doc.line(n) for n in sorted(doc.page_header_lines)]
    assert [ln.text for ln in furniture if ln.page == 300] == [HEADER, "Page 300 of 300"]
    assert len(furniture) == 2 * (PAGES - 1)
    # Every drill log's heading is there, on its own page.
    headings = {s.title: doc.line(s.line).page for s in doc.sections if s.title.startswith("DRILL")}
    assert len(headings) == 295
    assert (headings["DRILL HOLE QR-002"], headings["DRILL HOLE QR-296"]) == (2, 296)


def test_facts_on_the_late_pages_carry_their_page(report) -> None:
    _, _, parsed, _ = report
    table = next(t for t in parsed.tables if t.title == "SELECTED FINANCIAL INFORMATION")
    assert table.page == 297
    got = {(f.concept, f.period_end): (f.value, f.unit, f.page) for f in parsed.facts}
    assert got[("net_income", "2024-12-31")] == (-3_233_720.0, "CAD", 297)
    assert got[("net_income", "2023-12-31")] == (-2_662_850.0, "CAD", 297)
    assert got[("exploration_and_evaluation", "2024-12-31")] == (-2_418_300.0, "CAD", 297)
    assert {f.page for f in parsed.facts} == {297}
    (wc,) = [f for f in parsed.narrative_facts if f.concept == "working_capital"]
    assert (wc.value, wc.period_end, wc.page) == (4_200_000.0, "2024-12-31", 298)


def test_resource_statement_on_the_last_page(report) -> None:
    _, _, parsed, _ = report
    got = [
        (e.deposit, e.category, e.tonnage_mt, e.grades[0].grade, e.grades[0].contained, e.page)
        for e in parsed.estimates
    ]
    assert got == [
        ("Aldergrove", "indicated", 42.0, 0.48, 444.0, 300),
        ("Aldergrove", "inferred", 18.5, 0.41, 167.0, 300),
    ]
    assert {e.effective_date for e in parsed.estimates} == {"2024-09-30"}


# -- a table continued over several pages, its header row repeated at the top of each -----

ASSAY_AT = (330.0, 410.0, 490.0)
ASSAY_HEADER = ("From (m)", "To (m)", "Cu (%)")


def assay_page(s: Sheet) -> None:
    """Page n of an appendix table: the title on the first page only, the header row
    repeated at the top of every page, as a table continued over pages is printed."""
    if s.number == 1:
        s.heading("Table B-1: Assay results for drill hole QR-017")
    s.row("Sample", ASSAY_HEADER, ASSAY_AT, bold=True)
    for k in range(4):
        start = (s.number - 1) * 8 + k * 2
        grade = f"{0.31 + 0.02 * k + 0.01 * s.number:.2f}"
        s.row(f"QR017-{start // 2 + 1:03d}", (f"{start:.1f}", f"{start + 2:.1f}", grade), ASSAY_AT)


def test_a_header_row_repeated_at_the_top_of_each_page_heads_its_table() -> None:
    parsed = parse_filing(draw([assay_page] * 4, frame), name="quillon-assays.pdf")
    first = parsed.tables[0]
    assert first.title == "Table B-1: Assay results for drill hole QR-017"
    # The header row at the top of each page, right over the rows, is the table's (it
    # was page furniture: [[], [], []]).
    assert [c.header for c in first.columns] == [[h] for h in ASSAY_HEADER]


@pytest.mark.parametrize("framed", [True, False], ids=["running-header", "no-running-header"])
def test_every_page_of_a_continued_table_keeps_its_header_row_and_rows(framed: bool) -> None:
    # The rows right under the repeated header row recur too once their figures are
    # masked ("QR017-### ##.# ##.# #.##"): they are the table's, not page furniture.
    data = draw([assay_page] * 4, frame if framed else None)
    parsed = parse_filing(data, name="quillon-assays.pdf")
    assert [(t.page, [c.header for c in t.columns]) for t in parsed.tables] == [
        (page, [[h] for h in ASSAY_HEADER]) for page in range(1, 5)
    ]
    labels = [r.label for t in parsed.tables for r in t.rows]
    assert labels == [f"QR017-{n:03d}" for n in range(1, 17)]
    doc = read(data, "quillon-assays.pdf")
    furniture = [doc.line(n).text for n in doc.page_header_lines]
    assert not [t for t in furniture if "QR017" in t or "Sample" in t]


def test_a_running_header_over_a_table_continued_without_its_header_is_furniture() -> None:
    """A short running header of two cells, a table's rows right under it on every page
    (the table continued, its header row printed on the first page only)."""

    def frame(s: Sheet) -> None:
        s.font(8)
        s.pdf.drawString(MARGIN, HEIGHT - 40, "Quillon Ridge Minerals Ltd.")
        s.pdf.drawRightString(ASSAY_AT[-1], HEIGHT - 40, "Appendix B")

    def page(s: Sheet) -> None:
        if s.number == 1:
            s.row("Sample", ASSAY_HEADER, ASSAY_AT, bold=True)
        for k in range(4):
            start = (s.number - 1) * 8 + k * 2
            values = (f"{start:.1f}", f"{start + 2:.1f}", "0.35")
            s.row(f"QR017-{start // 2 + 1:03d}", values, ASSAY_AT)

    data = draw([page] * 4, frame)
    doc = read(data, "quillon-assays.pdf")
    furniture = [doc.line(n).text for n in sorted(doc.page_header_lines)]
    assert furniture == ["Quillon Ridge Minerals Ltd. Appendix B"] * 4
    labels = [r.label for t in parse_filing(data, name="quillon-assays.pdf").tables for r in t.rows]
    assert labels == [f"QR017-{n:03d}" for n in range(1, 17)]
