"""Technical reports converted to markdown: shared table headers, headings as titles."""

from __future__ import annotations

import pytest

from ingest import parse_filing
from ingest.readers.text import load

pytestmark = pytest.mark.unit

_TABLE = """| Category | Tonnes (Mt) | Cu (%) | Contained Cu (Mlb) |
|---|---:|---:|---:|
| Indicated | {i_t} | {i_g} | {i_c} |
| Inferred | {f_t} | {f_g} | {f_c} |
"""


def _report() -> str:
    # A fictional report: three zones, each with a resource table under the same header,
    # as section 14 of a technical report prints them; the author's name stands alone.
    zones = [
        ("Main", ("10.0", "0.50", "110"), ("5.0", "0.40", "44")),
        ("North", ("4.0", "0.75", "66"), ("2.0", "0.60", "26")),
        ("South", ("8.0", "0.25", "44"), ("6.0", "0.30", "40")),
    ]
    parts = [
        "# Technical Report on the Copperhead Ridge Project, Arizona",
        "",
        "Jane Doe",
        "",
        "## 14 Mineral Resource Estimates",
        "",
        "The mineral resources are reported at a 0.2% Cu cut-off, effective June 30, 2024.",
        "",
    ]
    for n, (zone, ind, inf) in enumerate(zones, start=1):
        parts += [
            f"### Table 14-{n} Mineral Resource Statement, {zone} Zone",
            "",
            _TABLE.format(i_t=ind[0], i_g=ind[1], i_c=ind[2], f_t=inf[0], f_g=inf[1], f_c=inf[2]),
        ]
    return "\n".join(parts)


def test_header_shared_by_several_tables_is_not_a_page_header() -> None:
    doc = load(_report().encode(), "report.md")
    header_lines = {ln.no for ln in doc.lines if ln.text.startswith(("| Category", "|---"))}
    assert len(header_lines) == 6
    assert not header_lines & doc.page_header_lines
    parsed = parse_filing(_report().encode(), name="report.md")
    assert len(parsed.tables) == 3
    for table in parsed.tables:
        assert [c.header for c in table.columns] == [
            ["Tonnes (Mt)"],
            ["Cu (%)"],
            ["Contained Cu (Mlb)"],
        ]
        assert table.kind == "resource"
    tonnage = {(e.table_index, e.category): e.tonnage_mt for e in parsed.estimates}
    assert tonnage == {
        (0, "indicated"): 10.0,
        (0, "inferred"): 5.0,
        (1, "indicated"): 4.0,
        (1, "inferred"): 2.0,
        (2, "indicated"): 8.0,
        (2, "inferred"): 6.0,
    }


def test_markdown_headings_title_the_tables_under_them() -> None:
    parsed = parse_filing(_report().encode(), name="report.md")
    assert [t.title for t in parsed.tables] == [
        "Table 14-1 Mineral Resource Statement, Main Zone",
        "Table 14-2 Mineral Resource Statement, North Zone",
        "Table 14-3 Mineral Resource Statement, South Zone",
    ]
    doc = load(_report().encode(), "report.md")
    # Where a document marks its headings, a lone short line is not one: the author's
    # name never titles a table or a section.
    assert [s.title for s in doc.sections] == [
        "Technical Report on the Copperhead Ridge Project, Arizona",
        "14 Mineral Resource Estimates",
        "Table 14-1 Mineral Resource Statement, Main Zone",
        "Table 14-2 Mineral Resource Statement, North Zone",
        "Table 14-3 Mineral Resource Statement, South Zone",
    ]
    assert [s.level for s in doc.sections] == [1, 2, 2, 2, 2]
