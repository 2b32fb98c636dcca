"""Printed precision: half a unit of the last printed digit, in each record's own unit."""

from __future__ import annotations

import pytest

from conftest import SAMPLES_DIR
from ingest import parse_filing
from ingest.extractors.resource_basis import resources_inclusive
from ingest.lexicon.numbers import half_unit, half_unit_of_span


@pytest.mark.parametrize(
    ("raw", "factor", "expected"),
    [
        ("15,196,129", 1.0, 0.5),
        ("1.73", 1.0, 0.005),
        ("(0.07)", 1.0, 0.005),
        ("1,090", 1000.0, 500.0),  # a table "in thousands"
        ("8.15", 1000.0, 5.0),  # "lb Cu (billion)" stored in Mlb
        ("35.7", 1e-4, 5e-6),  # ppm Mo stored as %
        ("$ (1,234)", 1.0, 0.5),
        ("14.8%", 1.0, 0.05),
        ("4,699,256 (1)", 1.0, 0.5),  # the footnote marker is not the number
        ("1 234.5", 1.0, 0.05),
        (".75", 1.0, 0.005),
    ],
)
def test_half_unit_of_a_printed_cell(raw: str, factor: float, expected: float) -> None:
    assert half_unit(raw, factor) == expected


@pytest.mark.parametrize("raw", ["", "-", "$ -", "Nil", "n/a", "1,09O", "see note"])
def test_half_unit_is_unknown_without_a_number(raw: str) -> None:
    assert half_unit(raw) is None


def test_half_unit_of_a_prose_amount_applies_its_scale_words() -> None:
    assert half_unit_of_span("$1.36 billion", 1.36e9) == 5e6
    assert half_unit_of_span("A$58.2 million", 58.2e6) == 5e4
    assert half_unit_of_span("$3,200,000", 3.2e6) == 0.5
    assert half_unit_of_span("$(6.25) million", -6.25e6) == 5e3
    # Not a power of ten between the digits and the value: the scale is not known.
    assert half_unit_of_span("$1.36", 2.0) is None


def test_table_facts_carry_the_half_unit_with_the_table_scale() -> None:
    parsed = parse_filing(SAMPLES_DIR / "wattle-creek-2024-annual-mda.txt")
    revenue = next(
        f for f in parsed.facts if f.concept == "revenue" and f.period_end == "2024-06-30"
    )
    assert (revenue.reported_value, revenue.scale, revenue.half_unit) == (
        247311000.0,
        1000.0,
        500.0,
    )
    grade = next(f for f in parsed.facts if f.concept == "head_grade_g_t_au")
    assert (grade.value, grade.half_unit) == (1.82, 0.005)


def test_nil_cells_have_no_half_unit(real_filing) -> None:
    parsed = parse_filing(real_filing)
    cells = {(t.index, c.line, c.column): c for t in parsed.tables for r in t.rows for c in r.cells}
    unknown = [f for f in parsed.facts if f.half_unit is None]
    assert len(unknown) == 27 and len(parsed.facts) == 172
    assert all(cells[(f.table_index, f.line, f.column)].is_nil for f in unknown)
    assert {f.half_unit for f in parsed.facts} == {0.5, 0.005, None}


def test_estimates_carry_half_units_in_normalised_units() -> None:
    parsed = parse_filing(SAMPLES_DIR / "kestrel-ridge-2023-annual-mda.txt")
    measured = next(e for e in parsed.estimates if e.line == 87)
    assert (measured.tonnage_mt, measured.tonnage_half_unit) == (21.5, 0.05)
    grades = {g.commodity: g for g in measured.grades}
    # Molybdenum printed "71" ppm, stored as 0.0071 %: its half unit converts too.
    mo = grades["Mo"]
    assert (mo.grade, mo.grade_unit, mo.grade_half_unit) == (0.0071, "%", 5e-05)
    assert (mo.contained, mo.contained_half_unit) == (3.4, 0.05)
    assert (grades["Cu"].grade_half_unit, grades["Cu"].contained_half_unit) == (0.005, 0.5)
    # "lb Cu (billion)" 6.92 is stored as 6920 Mlb: half a unit of 0.01 billion lb = 5 Mlb.
    low_cut = next(
        e for e in parsed.estimates if e.cutoff_value == 0.15 and e.category == "indicated"
    )
    cu = next(g for g in low_cut.grades if g.commodity == "Cu")
    assert (cu.contained, cu.contained_unit, cu.contained_half_unit) == (6920.0, "Mlb", 5.0)
    assert low_cut.tonnage_half_unit == 0.5


def test_narrative_facts_carry_half_units() -> None:
    parsed = parse_filing(SAMPLES_DIR / "kestrel-ridge-2023-annual-mda.txt")
    found = {(n.line, n.concept, n.value): n.half_unit for n in parsed.narrative_facts}
    assert found[(139, "npv", 1.36e9)] == 5e6
    assert found[(139, "irr", 16.4)] == 0.05
    assert found[(139, "payback_years", 5.2)] == 0.05
    assert found[(171, "resource_tonnage_mt", 942.0)] == 0.5
    assert found[(171, "resource_grade", 0.006)] == 0.0005


def test_real_filing_half_unit_counts(real_filing) -> None:
    parsed = parse_filing(real_filing)
    grades = [g for e in parsed.estimates for g in e.grades]
    assert sum(e.tonnage_half_unit is not None for e in parsed.estimates) == 19
    assert sum(g.grade_half_unit is not None for g in grades) == 68
    assert sum(g.contained_half_unit is not None for g in grades) == 45
    assert sum(n.half_unit is not None for n in parsed.narrative_facts) == 65
    working_capital = next(n for n in parsed.narrative_facts if n.concept == "working_capital")
    assert (working_capital.value, working_capital.half_unit) == (4699256.0, 0.5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- Mineral resources are inclusive of the mineral reserves in Table 1.", True),
        ("(2) Mineral Resources are reported inclusive of Ore Reserves, on a 100% basis", True),
        ("Mineral Reserves are included in the Mineral Resources.", True),
        ("Mineral Resources are reported exclusive of Mineral Reserves.", False),
        ("Mineral resources are in addition to mineral reserves.", False),
        ("Mineral Resources do not include Mineral Reserves.", False),
        ("The mineral reserves are not additive to the mineral resources.", True),
        ("Mineral resources are additive to the mineral reserves.", False),
        ("Mineral resources that are not mineral reserves do not have economic viability.", None),
    ],
)
def test_resources_inclusive_of_reserves(text: str, expected: bool | None) -> None:
    assert resources_inclusive([(7, text)])[0] is expected


def test_resource_basis_stated_both_ways_is_none_with_an_issue() -> None:
    text = (
        "MINERAL RESOURCES\n\n"
        "North resources are reported inclusive of mineral reserves.\n"
        "South resources are reported exclusive of mineral reserves.\n"
    )
    parsed = parse_filing(text.encode(), name="both.txt")
    assert parsed.metadata.resources_inclusive_of_reserves is None
    (issue,) = [i for i in parsed.issues if i.kind == "resource_basis"]
    assert issue.line == 3 and "3 (inclusive), 4 (exclusive)" in issue.reason


def test_samples_state_the_resource_basis() -> None:
    basis = {
        name: parse_filing(SAMPLES_DIR / name).metadata.resources_inclusive_of_reserves
        for name in (
            "kestrel-ridge-2023-annual-mda.txt",
            "wattle-creek-2024-annual-mda.txt",
            "kestrel-ridge-2024-q3-mda.txt",
        )
    }
    assert basis == {
        "kestrel-ridge-2023-annual-mda.txt": True,
        "wattle-creek-2024-annual-mda.txt": True,
        "kestrel-ridge-2024-q3-mda.txt": None,
    }
