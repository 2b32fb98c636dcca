"""Tables read generically: titles, header resolution, cells with provenance."""

from __future__ import annotations

from ingest.model import Document, Metadata, Section
from ingest.readers.text import load
from ingest.tables import read_tables

ANNUAL_2012 = Metadata(period_end="2012-12-31", period_type="annual", currency="USD")


def _tables(path):
    doc = load(path.read_bytes(), path.name)
    return read_tables(doc, ANNUAL_2012)


def _cell(table, label, key):
    row = next(r for r in table.rows if r.label == label)
    return next(c for c in row.cells if c.column == key)


def test_real_filing_has_every_table(real_filing) -> None:
    tables, issues = _tables(real_filing)
    assert issues == []
    assert len(tables) == 14
    titles = [t.title for t in tables]
    assert titles[0] == "Table 1. Entrée-OTLLC Joint Venture Mineral Reserve, March 25, 2013"
    assert titles[1] == (
        "Table 2. Entrée-OTLLC Joint Venture Mineral Resources (0.37% CuEq cut-off)"
    )
    assert "SELECTED QUARTERLY DATA" in titles
    assert titles[8] == "Results of operations"


def test_reserve_table_cells_keep_raw_text_and_line(real_filing) -> None:
    t = _tables(real_filing)[0][0]
    assert t.label_header == "Classification"
    assert [c.header for c in t.columns][:2] == [["Ore (Mt)"], ["NSR ($/t)"]]
    cell = _cell(t, "Probable", "cu_m_lb")
    assert (cell.raw, cell.value, cell.line) == ("1,090", 1090.0, 164)
    proven = next(r for r in t.rows if r.label == "Proven")
    assert all(c.is_nil and c.value is None for c in proven.cells)
    assert t.rows[-1].kind == "total"
    assert t.effective_date == "2013-03-25"
    assert len(t.notes) == 8


def test_group_rows_and_second_header_block(real_filing) -> None:
    tables = _tables(real_filing)[0]
    top, contained = tables[1], tables[2]
    assert contained.parent_index == top.index
    heruga = next(r for r in top.rows if r.label == "Inferred Javhlant (Heruga)")
    assert heruga.group == "Heruga Deposit"
    assert [r.kind for r in top.rows].count("group") == 2
    assert contained.columns[0].header == ["Contained Metal", "Copper (Mlb)"]
    assert _cell(contained, "Inferred Javhlant (Heruga)", contained.columns[0].key).value == 15190.0


def test_two_level_headers_and_blocks_by_category(real_filing) -> None:
    tables = _tables(real_filing)[0]
    indicated, inferred = tables[4], tables[5]
    assert indicated.label_header == "Cut-off (% Cu)"
    assert indicated.columns[0].header == ["Indicated", "Tonnes (million)"]
    assert inferred.columns[0].group == "Inferred"
    assert inferred.parent_index == indicated.index
    assert _cell(inferred, "0.20", inferred.columns[0].key).value == 873.0


def test_period_columns_and_shares_amount_headers(real_filing) -> None:
    tables = _tables(real_filing)[0]
    quarterly = tables[10]
    col = quarterly.columns[1]
    assert (col.period.start, col.period.end, col.period.months) == ("2012-07-01", "2012-09-30", 3)
    financing = tables[12]
    assert [c.sub for c in financing.columns] == ["Shares", "Amount", "Shares", "Amount"]
    assert financing.columns[2].period.end == "2011-12-31"
    assert financing.columns[0].unit == "shares"
    total = financing.rows[-1]
    assert total.label == "" and total.kind == "total"


def test_unit_column_and_stacked_header(real_filing) -> None:
    tables = _tables(real_filing)[0]
    pea = tables[3]
    assert [c.header for c in pea.columns] == [
        ["Low Case"],
        ["Base Case"],
        ["High Case"],
        ["Spot Case (Oct 15/2012)"],
    ]
    npv = next(r for r in pea.rows if r.label == "NPV (7.5%)")
    assert npv.unit == "$ Million"
    commitments = tables[13]
    assert commitments.columns[0].header == ["Less than", "1 Year"]
    assert commitments.columns[1].header == ["1-3 Years"]


def test_subtotal_rows_are_marked(real_filing) -> None:
    zones = _tables(real_filing)[0][6]
    kinds = {r.label: r.kind for r in zones.rows}
    assert kinds["Oxide/Mixed Sub-"] == "subtotal"
    assert kinds["Sulphide"] == "data"


PIPE = """ACME METALS LIMITED
MANAGEMENT'S DISCUSSION AND ANALYSIS
Amounts in thousands of Australian dollars

FINANCIAL SUMMARY

| | 2024 | 2023 |
|---|---:|---:|
| Revenue (1) | 12,400 | 9,800 |
| Net loss | \u2212 3,150 | (2,075) |

(1) Revenue from gold sales.
"""


def test_pipe_tables_year_headers_thousands_and_unicode_minus() -> None:
    doc = load(PIPE.encode(), "pipe.txt")
    md = Metadata(period_end="2024-06-30", period_type="annual", currency="AUD")
    tables, issues = read_tables(doc, md)
    assert issues == []
    (t,) = tables
    assert t.format == "pipe"
    assert t.scale == 1000.0
    assert [c.period.end for c in t.columns] == ["2024-06-30", "2023-06-30"]
    assert t.columns[0].period.start == "2023-07-01"
    revenue, loss = t.rows
    assert revenue.label == "Revenue" and revenue.footnotes == ["1"]
    assert [c.value for c in loss.cells] == [-3150.0, -2075.0]
    assert t.notes == ["(1) Revenue from gold sales."]


BAD = (
    "SUMMARY\n\n"
    "\tYear Ended June 30, 2015\tYear Ended June 30, 2014\n"
    "Exploration\t1,09O\t2,000\n"
    "Net loss\t(5,000)\n"
)


def test_garbled_and_short_rows_become_issues_with_lines() -> None:
    doc = load(BAD.encode(), "bad.txt")
    tables, issues = read_tables(doc)
    kinds = {(i.kind, i.line) for i in issues}
    assert ("unparsed_number", 4) in kinds
    assert ("short_row", 5) in kinds
    cell = tables[0].rows[0].cells[0]
    assert cell.raw == "1,09O" and cell.value is None


def test_header_without_rows_is_a_truncated_table() -> None:
    doc = load(b"RESULTS\n\n\tYear Ended December 31, 2012\tYear Ended December 31, 2011\n", "t")
    tables, issues = read_tables(doc)
    assert [i.kind for i in issues] == ["table_truncated"]
    assert issues[0].line == 3


def test_pipe_rows_without_a_leading_bar() -> None:
    text = (
        "Table 1: Mineral Resource Statement, effective December 31, 2021\n"
        "Classification | Zone | Tonnes | Gold Grade (g/t) | Gold Troy Ounces |\n"
        "Indicated | Main | 6,900,000 | 7.4 | 1,650,000 |\n"
    )
    tables, issues = read_tables(load(text.encode(), "nr.txt"))
    (t,) = tables
    assert t.label_header == "Classification"
    assert [c.header for c in t.columns][-1] == ["Gold Troy Ounces"]
    assert [c.value for c in t.rows[0].cells] == [None, 6900000.0, 7.4, 1650000.0]


def test_section_at_reads_the_headings_as_a_walk_over_them_would() -> None:
    def walk(sections: list[Section], line_no: int, level: int) -> str:
        title = ""
        for sec in sections:
            if sec.line > line_no:
                break
            if sec.level <= level:
                title = sec.title
        return title

    doc = Document(name="d", text="", lines=[], content_sha256="", encoding="utf-8")
    ordered = [Section("A", 3, 1), Section("a1", 5, 2), Section("B", 9, 1), Section("b1", 9, 2)]
    shuffled = [Section("B", 9, 1), Section("A", 3, 1), Section("a1", 5, 2)]
    for sections in (ordered, shuffled, []):
        doc.sections = sections
        for line_no in range(0, 12):
            for level in (1, 2):
                assert doc.section_at(line_no, level) == walk(sections, line_no, level)
    doc.sections = list(ordered)
    assert doc.subsection_at(20) == "b1"
    doc.sections.append(Section("C", 15, 1))  # a heading added after the first question
    assert (doc.section_at(20), doc.subsection_at(20)) == ("C", "C")
