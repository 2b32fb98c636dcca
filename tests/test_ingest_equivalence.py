"""Equivalent-grade formulas: found in notes and prose, parsed safely, linearised."""

from __future__ import annotations

from datetime import datetime

import pytest

from conftest import SAMPLES_DIR
from ingest import parse_filing
from ingest.extractors.equivalence import find_formulas
from ingest.model import EquivalenceFormula
from orchestration.filings.records import RAW_TABLES, filing_rows

# A formula reads molybdenum in ppm or g/t (the same number); the estimates store it in %.
_PER_STORED = {("Mo", "ppm"): 1e4, ("Mo", "g/t"): 1e4}


def _one(text: str) -> EquivalenceFormula:
    found, issues = find_formulas([(5, text)])
    assert issues == []
    (formula,) = found
    return formula


def _terms(f: EquivalenceFormula) -> list[tuple[str, str | None, float]]:
    return [(t.commodity, t.unit, t.coefficient) for t in f.terms]


def test_real_filing_formula_is_linearised(real_filing) -> None:
    parsed = parse_filing(real_filing)
    (f,) = parsed.equivalences
    assert (f.commodity, f.unit, f.intercept, f.line) == ("CuEq", "%", 0.0, 214)
    assert _terms(f) == [
        ("Cu", "%", 1.0),
        ("Au", "g/t", 0.637768817204),  # 18.98 / 29.76
        ("Mo", "g/t", 0.000532930107527),  # 0.01586 / 29.76
    ]
    assert f.text == "CuEq% = Cu% + ((Au g/t * 18.98) + (Mo g/t * 0.01586)) / 29.76"


def _recomputed(parsed, formula: EquivalenceFormula) -> list[tuple[int, float, float, float]]:
    """(line, recomputed, printed, tolerance) for each estimate with all the formula's grades."""
    out = []
    for e in parsed.estimates:
        grades = {g.commodity: g for g in e.grades}
        eq = grades.get(formula.commodity)
        if eq is None or not all(t.commodity in grades for t in formula.terms):
            continue
        calc, tol = formula.intercept, eq.grade_half_unit
        for t in formula.terms:
            g = grades[t.commodity]
            k = t.coefficient * _PER_STORED.get((t.commodity, t.unit), 1.0)
            calc += k * g.grade
            tol += abs(k) * g.grade_half_unit
        out.append((e.line, round(calc, 4), eq.grade, round(tol, 4)))
    return out


def test_real_filing_cueq_recomputed_from_its_table(real_filing) -> None:
    parsed = parse_filing(real_filing)
    rows = _recomputed(parsed, parsed.equivalences[0])
    assert rows == [
        (200, 2.0198, 2.0, 0.0132),  # off by 0.0198: printed without the molybdenum term
        (201, 1.102, 1.09, 0.0132),
        (203, 0.6682, 0.67, 0.0135),
    ]
    assert [abs(calc - printed) <= tol for _, calc, printed, tol in rows] == [False, True, True]


def test_sample_cueq_recomputes_within_printed_precision() -> None:
    parsed = parse_filing(SAMPLES_DIR / "kestrel-ridge-2023-annual-mda.txt")
    (f,) = parsed.equivalences
    assert (f.line, _terms(f)) == (
        105,
        [("Cu", "%", 1.0), ("Au", "g/t", 0.62), ("Mo", "ppm", 0.0003)],
    )
    rows = _recomputed(parsed, f)
    assert [r[:3] for r in rows] == [
        (87, 1.1225, 1.12),
        (88, 0.7552, 0.76),
        (89, 0.5791, 0.58),
        (91, 0.7088, 0.71),
        (92, 0.5518, 0.55),
    ]
    assert all(abs(calc - printed) <= tol for _, calc, printed, tol in rows)


@pytest.mark.parametrize(
    ("text", "commodity", "unit", "terms"),
    [
        (
            "AuEq (g/t) = Au (g/t) + 1.53 x Cu (%)",
            "AuEq",
            "g/t",
            [("Au", "g/t", 1.0), ("Cu", "%", 1.53)],
        ),
        ("CuEq = Cu + 0.6 × Au", "CuEq", "%", [("Cu", "%", 1.0), ("Au", "g/t", 0.6)]),
        (
            "AuEq = Au + Ag / 80 where prices are",
            "AuEq",
            "g/t",
            [("Au", "g/t", 1.0), ("Ag", "g/t", 0.0125)],
        ),
        (
            "ZnEq% = Zn% + 0.9 x Pb% + 0.02 x Ag g/t; recoveries",
            "ZnEq",
            "%",
            [("Zn", "%", 1.0), ("Pb", "%", 0.9), ("Ag", "g/t", 0.02)],
        ),
        (
            "Copper equivalent (%) = copper (%) + 0.5 × gold (g/t)",
            "CuEq",
            "%",
            [("Cu", "%", 1.0), ("Au", "g/t", 0.5)],
        ),
        ("(CuEq = Cu + 0.6 × Au)", "CuEq", "%", [("Cu", "%", 1.0), ("Au", "g/t", 0.6)]),
        (
            "AuEq = Au + Ag × 0.0125 × 80%.",
            "AuEq",
            "g/t",
            [("Au", "g/t", 1.0), ("Ag", "g/t", 0.01)],
        ),
    ],
)
def test_formula_forms(text: str, commodity: str, unit: str, terms: list) -> None:
    f = _one(text)
    assert (f.commodity, f.unit, f.intercept, f.line) == (commodity, unit, 0.0, 5)
    assert _terms(f) == terms


def test_intercept_is_kept() -> None:
    f = _one("NiEq = (Ni% x 2 + Cu% - 0.1) / 2")
    assert (f.intercept, _terms(f)) == (-0.05, [("Ni", "%", 1.0), ("Cu", "%", 0.5)])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("CuEq = Cu × Au", "not linear"),
        ("CuEq = Cu + Au / (Mo)", "divides by a grade"),
        ("CuEq = Cu + (Au * 0.6", "not closed"),
    ],
)
def test_unusable_formulas_are_reported_not_kept(text: str, reason: str) -> None:
    found, issues = find_formulas([(9, text)])
    assert found == []
    (issue,) = issues
    assert (issue.line, issue.kind) == (9, "equivalence_formula") and reason in issue.reason


@pytest.mark.parametrize(
    "text",
    [
        "cut-off of 0.37% CuEq = the base case",  # no grades on the right
        "the CuEq = 0.37% cut-off",
        "CuEq is calculated from $1.35/lb copper and $650/oz gold",  # prices, no formula
        "CuEq = __import__('os').system('echo no')",  # text is never evaluated
    ],
)
def test_no_formula_where_none_is_stated(text: str) -> None:
    assert find_formulas([(1, text)]) == ([], [])


def test_latex_fraction_in_a_note() -> None:
    text = "Notes:\n- Gold equivalent: $AuEq = Au + \\frac{Ag \\times 22.5}{1,800}$ at prices.\n"
    (f,) = parse_filing(text.encode(), name="frac.txt").equivalences
    assert (f.line, _terms(f)) == (2, [("Au", "g/t", 1.0), ("Ag", "g/t", 0.0125)])


def test_the_same_formula_twice_is_kept_once() -> None:
    found, _ = find_formulas([(3, "CuEq = Cu + 0.6 × Au"), (9, "CuEq = Cu + 0.6 x Au")])
    assert [f.line for f in found] == [3]


def test_raw_rows_one_per_term_and_new_columns(real_filing) -> None:
    parsed = parse_filing(real_filing)
    rows = filing_rows(parsed, "fid", "f.txt", datetime(2026, 1, 1), "test")
    terms = rows["equivalence_terms"]
    assert [(r["formula_index"], r["term_commodity"], r["term_unit"]) for r in terms] == [
        (0, "Cu", "%"),
        (0, "Au", "g/t"),
        (0, "Mo", "g/t"),
    ]
    assert {(r["commodity"], r["unit"], r["intercept"], r["line"]) for r in terms} == {
        ("CuEq", "%", 0.0, 214)
    }
    for name, table_rows in rows.items():
        columns = [c for c, _ in RAW_TABLES[name]]
        assert all(set(r) == set(columns) for r in table_rows if name != "filings"), name
    # "The mineral reserves are not additive to the mineral resources."
    assert rows["filings"][0]["resources_inclusive"] is True
    assert rows["facts"][0]["half_unit"] in (0.5, 0.005, None)
    assert sum(r["half_unit"] is not None for r in rows["facts"]) == 145
    assert sum(r["tonnage_half_unit"] is not None for r in rows["estimates"]) == 19
    assert sum(r["grade_half_unit"] is not None for r in rows["estimate_grades"]) == 68
