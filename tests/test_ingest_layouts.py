"""Text table layouts beyond tabs and pipes: spaces only, and one cell per line."""

from __future__ import annotations

import pytest

from ingest import parse_filing
from ingest.readers.text import load

pytestmark = pytest.mark.unit


def _one_table(text: str):
    parsed = parse_filing(text.encode(), name="layout.txt")
    assert len(parsed.tables) == 1, [t.title for t in parsed.tables]
    return parsed, parsed.tables[0]


def test_single_spaced_resource_table_is_read() -> None:
    text = (
        "Mineral Resource Estimate, Red Creek Project\n"
        "\n"
        "Model tonnes Cu(%) Au(g/t) Ag (g/t) Cu Metal(t)\n"
        "Upper Zone (0.3% Cu\n"
        "cutoff)\n"
        "Measured 80,000 1.0 0.1 5 800\n"
        "Indicated 910,000 0.8 0.1 7 7,280\n"
        "Inferred 320,000 0.7 0.1 5 2,240\n"
        "\n"
        "In 2012 the company drilled 12 holes for 3,400 metres at a cost of $1.2 million.\n"
    )
    parsed, table = _one_table(text)
    assert table.format == "space_aligned"
    assert table.label_header == "Model"
    assert [c.header for c in table.columns] == [
        ["tonnes"],
        ["Cu(%)"],
        ["Au(g/t)"],
        ["Ag (g/t)"],
        ["Cu Metal(t)"],
    ]
    assert [r.label for r in table.rows] == [
        "Upper Zone (0.3% Cu cutoff)",
        "Measured",
        "Indicated",
        "Inferred",
    ]
    by_cat = {e.category: e for e in parsed.estimates}
    assert by_cat["indicated"].tonnage_mt == pytest.approx(0.91)
    assert by_cat["indicated"].deposit == "Upper Zone"
    (cu,) = [g for g in by_cat["indicated"].grades if g.commodity == "Cu" and g.contained]
    assert cu.contained == pytest.approx(7280 * 2204.62262 / 1e6)
    assert not [i for i in parsed.issues if i.kind == "unsupported_table_layout"]


def test_padded_columns_are_read_by_position() -> None:
    text = (
        "Selected annual information\n"
        "\n"
        "                               Year ended       Year ended\n"
        "                            December 31,     December 31,\n"
        "                                    2023             2022\n"
        "Exploration expense           1,200,500          980,000\n"
        "General and administrative      450,250          430,000\n"
        "Net loss                    (1,650,750)      (1,410,000)\n"
    )
    parsed, table = _one_table(text)
    assert table.format == "space_aligned"
    assert [c.key for c in table.columns] == ["2023-12-31/12m", "2022-12-31/12m"]
    net = {(f.period_end, f.value) for f in parsed.facts if f.concept == "net_income"}
    assert net == {("2023-12-31", -1650750.0), ("2022-12-31", -1410000.0)}


def test_prose_with_numbers_is_not_a_table() -> None:
    text = (
        "The company drilled 12 holes for 3,400 metres in 2012 at 4 sites.\n"
        "It spent 1.2 million on 3 programs in 2011 and 2.4 million in 2012.\n"
        "Assays returned 5 intervals above 2 g/t over 14 metres in 3 holes.\n"
    )
    assert parse_filing(text.encode(), name="prose.txt").tables == []


def test_cells_opened_by_bars_are_read() -> None:
    # A results table flattened from HTML: "|" opens each cell; "$" sits in its own cell.
    cells = ["Summarized results", "(Millions, except where noted)", "|", "3 months ended June 30,",
             "|", "6 months ended June 30,", "|", "2024", "|", "2023", "|", "2024", "|", "2023", "|",
             "Revenues", "|$", "|120.5", "|$", "|110.0", "|$", "|240.0", "|$", "|205.5", "|",
             "Gold sold (ounces)", "|52,000", "|47,500", "|101,000", "|90,250", "|",
             "Net earnings", "|$", "|12.5", "|$", "|(3.0)", "|$", "|20.0", "|$", "|(5.5)", "|"]  # fmt: skip
    parsed, table = _one_table("\n".join(cells) + "\n")
    assert table.format == "cell_per_line"
    assert table.title == "Summarized results (Millions, except where noted)"
    assert [c.key for c in table.columns] == [
        "2024-06-30/3m",
        "2023-06-30/3m",
        "2024-06-30/6m",
        "2023-06-30/6m",
    ]
    revenue = {(f.period_end, f.months): f.value for f in parsed.facts if f.concept == "revenue"}
    assert revenue[("2024-06-30", 6)] == 240.0e6
    sold = {
        (f.period_end, f.months): (f.value, f.unit) for f in parsed.facts if "sold" in f.concept
    }
    assert sold[("2023-06-30", 3)] == (47500.0, "oz")
    earnings = [f for f in parsed.facts if f.concept == "net_income" and f.months == 3]
    assert sorted(f.reported_value for f in earnings) == [-3.0e6, 12.5e6]


def test_cells_closed_by_bars_with_units_are_read() -> None:
    # Bars close each cell; a unit wraps over two lines ("000" / "tonnes |").
    lines = ["Ore mined |", "000", "tonnes |", "215 |", "|", "275 |", "|",
             "Head grade |", "g/t |", "6.74 |", "|", "5.89 |", "|",
             "Gold produced |", "oz |", "46,700 |", "|", "52,100 |", "|"]  # fmt: skip
    doc = load(("Operating results\n\n" + "\n".join(lines) + "\n").encode(), "ops.txt")
    (grid,) = doc.grids
    assert [r.cells for r in grid.rows] == [
        ["Ore mined", "000 tonnes", "215", "275"],
        ["Head grade", "g/t", "6.74", "5.89"],
        ["Gold produced", "oz", "46,700", "52,100"],
    ]


def test_a_table_of_contents_is_not_a_table() -> None:
    lines = ["TABLE OF CONTENTS", "|1.1", "|DATE", "|2", "|1.2", "|OVERVIEW", "|2", "|1.3",
             "|RESULTS", "|4", "|1.4", "|LIQUIDITY", "|6"]  # fmt: skip
    doc = load("\n".join(lines).encode(), "toc.txt")
    assert doc.grids == []


def test_pipe_table_broken_by_blank_lines_stays_one_table() -> None:
    text = (
        "Results of operations\n\n"
        "| Item | Year ended December 31, 2023 | Year ended December 31, 2022 |\n"
        "|---|---:|---:|\n"
        "| Exploration expense | 1,200,000 | 900,000 |\n"
        "\n"
        "| General and administrative | 300,000 | 200,000 |\n"
        "| Net loss | (1,500,000) | (1,100,000) |\n"
        "\n"
        "| Balances | December 31, 2023 | December 31, 2022 |\n"
        "|---|---:|---:|\n"
        "| Cash | 2,000,000 | 3,500,000 |\n"
    )
    parsed = parse_filing(text.encode(), name="broken.md")
    assert len(parsed.tables) == 2  # the second has a heading of its own
    first = parsed.tables[0]
    assert [r.label for r in first.rows] == [
        "Exploration expense",
        "General and administrative",
        "Net loss",
    ]
    net = {(f.period_end, f.value) for f in parsed.facts if f.concept == "net_income"}
    assert net == {("2023-12-31", -1500000.0), ("2022-12-31", -1100000.0)}


def test_units_printed_inline_in_row_labels() -> None:
    text = (
        "Operating results\n\n"
        "Item\tYear ended June 30, 2024\tYear ended June 30, 2023\n"
        "Ore mined 000 tonnes\t1,052\t1,023\n"
        "Head grade g/t\t1.82\t1.74\n"
        "AISC A$/oz\t2,691\t2,540\n"
    )
    parsed = parse_filing(text.encode(), name="ops.txt")
    got = {(f.concept, f.period_end): (f.value, f.unit) for f in parsed.facts}
    assert got[("ore_mined_000_tonnes", "2024-06-30")] == (1052000.0, "t")
    assert got[("head_grade_g_t", "2023-06-30")] == (1.74, "g/t")
    assert got[("aisc_a_oz", "2024-06-30")] == (2691.0, "AUD/oz")
