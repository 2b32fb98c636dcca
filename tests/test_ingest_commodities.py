"""Resources in any commodity, header shapes real reports print, and historical statements.

Each table is our own: figures chosen so contained metal = tonnage x grade (in-situ).
"""

from __future__ import annotations

import pytest

from ingest import parse_filing

pytestmark = pytest.mark.unit


def _estimates(table: str, title: str = "Table 14-1 Mineral Resource Statement"):
    text = f"Mineral Resources\n\n{title}\n{table}"
    parsed = parse_filing(text.encode(), name="report.txt")
    assert not [i for i in parsed.issues if i.kind.startswith("unread_estimate")], parsed.issues
    return parsed.estimates


def _grade(est, commodity):
    (g,) = [g for g in est.grades if g.commodity == commodity]
    return g


def test_uranium_in_ppm_and_mlb() -> None:
    (ind,) = _estimates(
        "Category\tTonnes (Mt)\teU3O8 (ppm)\tContained U3O8 (Mlb)\nIndicated\t10.0\t500\t11.0\n"
    )
    g = _grade(ind, "U3O8")
    assert (g.grade, g.grade_unit) == (pytest.approx(0.05), "%")
    assert (g.contained, g.contained_unit) == (11.0, "Mlb")


def test_lithium_li2o_grade_and_lce_in_kt() -> None:
    (ind,) = _estimates(
        "Category\tTonnes (Mt)\tLi2O (%)\tContained LCE (kt)\nIndicated\t20.0\t1.20\t593\n"
    )
    assert _grade(ind, "Li2O").grade == 1.20
    lce = _grade(ind, "LCE")
    assert (lce.contained, lce.contained_unit) == (pytest.approx(0.593), "Mt")


def test_graphite_total_graphitic_carbon() -> None:
    (inf,) = _estimates(
        "Category\tTonnes (Mt)\tTGC (%)\tContained Graphite (Mt)\nInferred\t50.0\t10.0\t5.0\n"
    )
    g = _grade(inf, "Cg")
    assert (g.grade, g.contained, g.contained_unit) == (10.0, 5.0, "Mt")


def test_niobium_rare_earths_tungsten_nickel_cobalt_pgm_and_iron() -> None:
    (ind,) = _estimates(
        "Category\tTonnes (Mt)\tNb2O5 (%)\tTREO (ppm)\tDy2O3 (ppm)\tWO3 (%)\tNi (%)\tCo (ppm)"
        "\t3E (g/t)\tFe (%)\n"
        "Indicated\t5.0\t0.50\t8000\t120\t0.25\t0.80\t400\t1.50\t35.0\n"
    )
    got = {g.commodity: (g.grade, g.grade_unit) for g in ind.grades}
    assert got == {
        "Nb2O5": (0.50, "%"),
        "TREO": (pytest.approx(0.8), "%"),
        "Dy2O3": (pytest.approx(0.012), "%"),
        "WO3": (0.25, "%"),
        "Ni": (0.80, "%"),
        "Co": (pytest.approx(0.04), "%"),
        "PGM": (1.50, "g/t"),
        "Fe": (35.0, "%"),
    }


def test_thousands_of_tonnes_written_t_x_1000_and_short_tons() -> None:
    (ind,) = _estimates("Category\tTonnes (t x 1,000)\tAu (g/t)\nIndicated\t2,500\t1.20\n")
    assert ind.tonnage_mt == pytest.approx(2.5)
    (meas,) = _estimates("Category\tTonnage (M st)\tAu (oz/ton)\nMeasured\t10.0\t0.050\n")
    assert meas.tonnage_mt == pytest.approx(9.0718474)
    assert _grade(meas, "Au").grade == pytest.approx(0.05 * 34.2857, rel=1e-4)


def test_grade_tonnage_table_with_tonnes_above_cutoff() -> None:
    estimates = _estimates(
        "Cut-off (g/t Au)\tTonnes > Cut-off\tGrade > Cut-off (g/t Au)\tContained Au (oz)\n"
        "0.5\t12,000,000\t1.10\t424,000\n"
        "1.0\t6,000,000\t1.60\t309,000\n",
        title="Table 14-5 Indicated Resources by Cut-off Grade",
    )
    assert [(e.cutoff_value, e.tonnage_mt) for e in estimates] == [(0.5, 12.0), (1.0, 6.0)]
    assert [_grade(e, "Au").grade for e in estimates] == [1.10, 1.60]


def test_units_only_header_row_and_commodity_under_a_spanning_title() -> None:
    estimates = _estimates(
        "\tTonnage\tGrade\tGrade\tContained Metal\tContained Metal\n"
        "Category\tkt\tCu %\tZn %\tCu (kt)\tZn (kt)\n"
        "Indicated\t4,000\t1.50\t3.00\t60.0\t120.0\n"
    )
    (ind,) = estimates
    assert ind.tonnage_mt == pytest.approx(4.0)
    assert _grade(ind, "Cu").grade == 1.50 and _grade(ind, "Zn").grade == 3.00
    assert _grade(ind, "Cu").contained == pytest.approx(60.0 * 2.20462262)


def test_single_metal_grade_column_takes_the_titles_metal() -> None:
    (ind,) = _estimates(
        "Category\tTonnes (000s)\tGrade (g/t)\tOunces\nIndicated\t1,000\t2.00\t64,300\n",
        title="Table 1 Gold Mineral Resources",
    )
    g = _grade(ind, "Au")
    assert (g.grade, g.contained) == (2.00, pytest.approx(0.0643))


def test_historical_statements_are_kept_and_marked() -> None:
    text = (
        "Mineral Resources\n\n"
        "Table 1 Current Mineral Resource Statement\n"
        "Category\tTonnes (Mt)\tAu (g/t)\nIndicated\t10.0\t1.50\n\n"
        "Table 2 Historical Mineral Resource Estimate (2015)\n"
        "Category\tTonnes (Mt)\tAu (g/t)\nIndicated\t8.0\t1.40\n"
    )
    current, old = parse_filing(text.encode(), name="r.txt").estimates
    assert (current.tonnage_mt, current.historical) == (10.0, None)
    assert (old.tonnage_mt, old.historical) == (8.0, True)
