"""Resource tables in more commodities: grades and contained metal normalised to the
warehouse's units, the header shapes reports print, and several statements in one report.

Every table is our own, for fictional deposits; contained metal is tonnes x grade (in
situ), so each normalised figure can be checked against the printed one.
"""

from __future__ import annotations

import pytest

from ingest import parse_filing

pytestmark = pytest.mark.unit

LB_PER_T = 2204.62262
OZ_PER_T_AT_1GPT = 1e6 / 31.1034768  # troy ounces in one Mt at 1 g/t


def _parse(table: str, title: str = "Table 14-1 Mineral Resource Statement"):
    return parse_filing(f"Mineral Resources\n\n{title}\n{table}".encode(), name="report.txt")


def _one(table: str, title: str = "Table 14-1 Mineral Resource Statement"):
    parsed = _parse(table, title)
    assert not [i for i in parsed.issues if i.kind.startswith("unread_estimate")], parsed.issues
    (estimate,) = parsed.estimates
    return estimate


def _grades(estimate) -> dict[str, tuple]:
    return {
        g.commodity: (g.grade, g.grade_unit, g.contained, g.contained_unit) for g in estimate.grades
    }


# -- base metals: contained metal in Mlb whatever it was printed in ---------------------------


def test_zinc_lead_silver_with_contained_metal_in_kt() -> None:
    est = _one(
        "Category\tTonnes (Mt)\tZn (%)\tPb (%)\tAg (g/t)\tZn (kt)\tPb (kt)\tAg (Moz)\n"
        "Indicated\t12.0\t6.00\t2.50\t40\t720\t300\t15.4\n"
    )
    got = _grades(est)
    assert got["Zn"] == (6.0, "%", pytest.approx(720 * LB_PER_T / 1000), "Mlb")
    assert got["Pb"] == (2.5, "%", pytest.approx(300 * LB_PER_T / 1000), "Mlb")
    assert got["Ag"] == (40.0, "g/t", 15.4, "Moz")
    pb = next(g for g in est.grades if g.commodity == "Pb")
    assert (pb.reported_contained, pb.reported_contained_unit) == (300.0, "kt")
    # What was read ties out: 12 Mt at 2.5% Pb is 300 kt of lead.
    assert est.tonnage_mt * pb.grade / 100 * 1000 == pytest.approx(pb.reported_contained)
    assert est.tonnage_mt * 40 * OZ_PER_T_AT_1GPT / 1e6 == pytest.approx(15.4, abs=0.05)


def test_nickel_cobalt_grades_and_contained_kt() -> None:
    est = _one(
        "Category\tTonnes (Mt)\tNi (%)\tCo (ppm)\tNi (kt)\tCo (kt)\n"
        "Measured\t40.0\t1.00\t1,000\t400\t40\n"
    )
    got = _grades(est)
    assert got["Ni"] == (1.0, "%", pytest.approx(400 * LB_PER_T / 1000), "Mlb")
    assert got["Co"] == (pytest.approx(0.1), "%", pytest.approx(40 * LB_PER_T / 1000), "Mlb")
    assert est.category == "measured"


# -- platinum group metals ---------------------------------------------------------------------


def test_platinum_group_metals_each_and_as_4e() -> None:
    est = _one(
        "Category\tTonnes (Mt)\tPt (g/t)\tPd (g/t)\tRh (g/t)\tAu (g/t)\t4E (g/t)\t4E (koz)\n"
        "Measured\t20.0\t1.20\t0.60\t0.10\t0.10\t2.00\t1,286\n"
    )
    got = _grades(est)
    assert got["Pt"] == (1.2, "g/t", None, None)
    assert got["Pd"] == (0.6, "g/t", None, None)
    assert got["Rh"] == (0.1, "g/t", None, None)
    assert got["Au"] == (0.1, "g/t", None, None)
    assert got["PGM"] == (2.0, "g/t", pytest.approx(1.286), "Moz")
    assert 20.0 * 2.0 * OZ_PER_T_AT_1GPT / 1e6 == pytest.approx(1.286, abs=0.001)


@pytest.mark.parametrize(
    ("header", "row"),
    [
        ("Au (g/t)\t3PGE+Au (g/t)\t3PGE+Au (koz)", "0.20\t2.10\t1,350"),
        ("Au (g/t)\tPt+Pd (g/t)\tPt+Pd (koz)", "0.20\t1.80\t1,157"),
    ],
)
def test_combined_pgm_grades_are_not_one_metals(header: str, row: str) -> None:
    est = _one(f"Category\tTonnes (Mt)\t{header}\nIndicated\t20.0\t{row}\n")
    got = _grades(est)
    # Got for 3PGE+Au: {"Au": (0.2, "g/t", 1.35, "Moz")}, 1.35 Moz of gold from 0.2 g/t,
    # where 20 Mt at 0.2 g/t holds 0.129 Moz; the 2.10 g/t combined grade is lost.
    # For Pt+Pd, got {"Pt": (1.8, "g/t", 1.157, "Moz")}: palladium counted as platinum.
    assert got["Au"] == (0.2, "g/t", None, None)
    grade = float(row.split("\t")[1])
    (combined,) = [c for c, g in got.items() if g[0] == grade]
    assert combined not in {"Au", "Pt", "Pd", "Rh"}
    assert got[combined][2:] == (
        pytest.approx(float(row.split("\t")[2].replace(",", "")) / 1000),
        "Moz",
    )


# -- battery and critical minerals --------------------------------------------------------------


def test_lithium_li2o_contained_in_kt_and_lce_in_mt() -> None:
    est = _one(
        "Category\tTonnes (Mt)\tLi2O (%)\tContained Li2O (kt)\tLCE (Mt)\tTa2O5 (ppm)\n"
        "Inferred\t30.0\t1.00\t300\t0.742\t120\n"
    )
    got = _grades(est)
    assert got["Li2O"] == (1.0, "%", pytest.approx(0.3), "Mt")
    assert got["LCE"] == (None, None, 0.742, "Mt")
    assert got["Ta2O5"] == (pytest.approx(0.012), "%", None, None)
    # 1 t of Li2O is 2.473 t of lithium carbonate.
    assert got["Li2O"][2] * 2.473 == pytest.approx(0.742, abs=0.001)


def test_graphite_as_graphitic_carbon_with_contained_graphite_in_kt() -> None:
    est = _one(
        "Category\tTonnes (Mt)\tGraphitic Carbon (%)\tContained Graphite (kt)\n"
        "Indicated\t20.0\t8.00\t1,600\n"
    )
    assert _grades(est) == {"Cg": (8.0, "%", pytest.approx(1.6), "Mt")}


def test_niobium_tungsten_and_rare_earth_oxides_in_t_and_kt() -> None:
    nb = _one("Category\tTonnes (Mt)\tNb2O5 (%)\tNb2O5 (kt)\nIndicated\t50.0\t0.60\t300\n")
    assert _grades(nb) == {"Nb2O5": (0.6, "%", pytest.approx(0.3), "Mt")}
    w = _one("Category\tTonnes (Mt)\tWO3 (%)\tWO3 (t)\nIndicated\t5.0\t0.40\t20,000\n")
    assert _grades(w) == {"WO3": (0.4, "%", pytest.approx(20_000 * LB_PER_T / 1e6), "Mlb")}
    ree = _one(
        "Category\tTonnes (Mt)\tTREO (%)\tNdPr (%)\tDy2O3 (ppm)\tTb4O7 (ppm)\tTREO (t)\n"
        "Indicated\t10.0\t1.50\t0.35\t150\t30\t150,000\n"
    )
    assert _grades(ree) == {
        "TREO": (1.5, "%", pytest.approx(0.15), "Mt"),
        "NdPr": (0.35, "%", None, None),
        "Dy2O3": (pytest.approx(0.015), "%", None, None),
        "Tb4O7": (pytest.approx(0.003), "%", None, None),
    }


def test_uranium_grade_and_contained_under_a_spanning_header_in_ppm() -> None:
    est = _one(
        "\tTonnes\tGrade\tContained\n"
        "Category\t(Mt)\t(ppm U3O8)\t(Mlb U3O8)\n"
        "Indicated\t2.0\t5,000\t22.0\n"
    )
    assert _grades(est) == {"U3O8": (pytest.approx(0.5), "%", 22.0, "Mlb")}
    assert 2.0 * 0.5 / 100 * LB_PER_T == pytest.approx(22.0, abs=0.1)


@pytest.mark.parametrize(
    "table",
    [
        "Category\tTonnes (Mt)\tU3O8 (%)\tU3O8 (Mlb)\nIndicated\t2.0\t0.50\t22.0\n",
        "\tTonnes\tGrade\tContained\nCategory\t(Mt)\t(% U3O8)\t(Mlb U3O8)\nIndicated\t2.0\t0.50\t22.0\n",
    ],
)
def test_uranium_grade_in_percent_u3o8(table: str) -> None:
    parsed = _parse(table)
    (est,) = parsed.estimates
    assert _grades(est) == {"U3O8": (0.5, "%", 22.0, "Mlb")}


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            "Category\tTonnes (Mt)\tV2O5 (%)\tV2O5 (Mlb)\nIndicated\t2.0\t0.50\t22.0\n",
            {"V2O5": (0.5, "%", 22.0, "Mlb")},
        ),
        (
            "Category\tTonnes (Mt)\tP2O5 (%)\tP2O5 (Mt)\nIndicated\t20.0\t10.0\t2.0\n",
            {"P2O5": (10.0, "%", 2.0, "Mt")},
        ),
        (
            "Category\tTonnes (Mt)\tB2O3 (%)\tB2O3 (Mt)\nIndicated\t20.0\t10.0\t2.0\n",
            {"B2O3": (10.0, "%", 2.0, "Mt")},
        ),
    ],
)
def test_oxide_grade_headers_head_their_table(table: str, expected: dict) -> None:
    # Like "U3O8 (%)": two digits and two letters in the header, which is text all the same.
    assert _grades(_one(table)) == expected


# -- iron ore -----------------------------------------------------------------------------------


def test_iron_ore_in_billions_of_tonnes_at_an_fe_grade() -> None:
    est = _one(
        "Category\tTonnes (Bt)\tFe (%)\nIndicated\t1.25\t62.1\n",
        title="Table 1 Hematite Hill Mineral Resources",
    )
    assert (est.tonnage_mt, est.reported_tonnage, est.reported_tonnage_unit) == (
        1250.0,
        1.25,
        "Bt",
    )
    assert _grades(est) == {"Fe": (62.1, "%", None, None)}
    assert est.deposit == "Hematite Hill"


def test_iron_ore_impurity_columns_are_not_iron_grades() -> None:
    parsed = _parse(
        "Category\tTonnes (Mt)\tSiO2 (%)\tFe (%)\tAl2O3 (%)\tP (%)\n"
        "Indicated\t500\t3.2\t62.1\t2.1\t0.07\n",
        title="Table 1 Hematite Hill Mineral Resources",
    )
    (est,) = parsed.estimates
    # Got: [("Fe", 3.2)] - the silica grade as the iron grade, and no issue.
    assert [(g.commodity, g.grade) for g in est.grades if g.commodity == "Fe"] == [("Fe", 62.1)]
    # The impurities are kept by name, as assays of what is not a commodity.
    assert [(g.commodity, g.grade) for g in est.grades] == [("Fe", 62.1)]
    assert est.other == {"sio2_pct": 3.2, "al2o3_pct": 2.1, "p_pct": 0.07}
    assert not [i for i in parsed.issues if i.kind.startswith("unread_estimate")]


def test_a_column_of_one_metal_table_printing_a_word_we_cannot_read_is_not_its_grade() -> None:
    parsed = _parse(
        "Category\tTonnes (Mt)\tFe (%)\tGrade (%)\tXq (%)\nIndicated\t500\t62.1\t61.0\t4.4\n",
        title="Table 1 Hematite Hill Mineral Resources",
    )
    (est,) = parsed.estimates
    # "Grade (%)" says nothing but its quantity: the one metal's (the first Fe grade stands).
    # "Xq (%)" may be another substance's assay: left unread and reported, not a grade.
    assert [(g.commodity, g.grade) for g in est.grades] == [("Fe", 62.1)]
    (issue,) = [i for i in parsed.issues if i.kind == "unread_estimate_cell"]
    assert "Xq (%)" in issue.reason


# -- header shapes ------------------------------------------------------------------------------


def test_units_only_row_and_commodities_on_a_third_header_row() -> None:
    est = _one(
        "\tTonnage\tGrade\tGrade\tContained Metal\tContained Metal\n"
        "Category\tkt\t%\t%\tkt\tkt\n"
        "\t\tZn\tPb\tZn\tPb\n"
        "Indicated\t12,000\t6.00\t2.50\t720\t300\n"
    )
    assert (est.tonnage_mt, est.reported_tonnage_unit) == (12.0, "kt")
    got = _grades(est)
    assert got["Zn"] == (6.0, "%", pytest.approx(720 * LB_PER_T / 1000), "Mlb")
    assert got["Pb"] == (2.5, "%", pytest.approx(300 * LB_PER_T / 1000), "Mlb")


def test_thousands_of_tonnes_and_ounces_written_x_1000() -> None:
    est = _one(
        "Category\tTonnes (t x 1,000)\tAu (g/t)\tAu (oz x 1,000)\nIndicated\t2,500\t1.20\t96.5\n"
    )
    assert (est.tonnage_mt, est.reported_tonnage_unit) == (2.5, "kt")
    assert _grades(est) == {"Au": (1.2, "g/t", pytest.approx(0.0965), "Moz")}
    assert 2.5 * 1.2 * OZ_PER_T_AT_1GPT / 1e6 == pytest.approx(0.0965, abs=0.0005)


def test_millions_of_short_tons_and_ounces_per_short_ton() -> None:
    est = _one("Category\tTons (M st)\tAg (oz/st)\tAg (Moz)\nMeasured\t10.0\t3.00\t30.0\n")
    assert est.tonnage_mt == pytest.approx(9.0718474)
    assert est.reported_tonnage_unit == "M short tons"
    assert _grades(est) == {"Ag": (pytest.approx(102.857, rel=1e-5), "g/t", 30.0, "Moz")}


# -- several statements in one report -----------------------------------------------------------

REPORT = """ALDERGROVE COPPER CORP.

MINERAL RESOURCES AND RESERVES

Table 1 Aldergrove Mineral Resource Statement, effective June 30, 2024
Category\tTonnes (Mt)\tCu (%)\tCu (Mlb)
Indicated\t40.0\t0.50\t441
Inferred\t10.0\t0.40\t88

Table 2 Aldergrove Mineral Reserve Statement, effective June 30, 2024
Category\tTonnes (Mt)\tCu (%)\tCu (Mlb)
Probable\t20.0\t0.55\t243

Table 3 Birchfield Mineral Resource Statement, effective June 30, 2024
Category\tTonnes (Mt)\tCu (%)\tCu (Mlb)
Inferred\t12.0\t0.60\t159

HISTORICAL ESTIMATES

The following estimate was prepared in 2016 for a previous owner of Aldergrove. A qualified person has not done sufficient work to classify it as a current mineral resource.

Table 4 Aldergrove Mineral Resource Estimate, effective March 1, 2016
Category\tTonnes (Mt)\tCu (%)\tCu (Mlb)
Indicated\t35.0\t0.45\t347
"""


def test_several_statements_keep_their_titles_and_the_historical_one_is_marked() -> None:
    parsed = parse_filing(REPORT.encode(), name="aldergrove-2024-annual-mda.txt")
    assert parsed.issues == []
    titles = {t.index: t.title for t in parsed.tables}
    got = [
        (
            titles[e.table_index],
            e.deposit,
            e.category,
            e.is_reserve,
            e.tonnage_mt,
            e.effective_date,
            e.historical,
        )
        for e in parsed.estimates
    ]
    t1, t2, t3, t4 = (
        "Table 1 Aldergrove Mineral Resource Statement, effective June 30, 2024",
        "Table 2 Aldergrove Mineral Reserve Statement, effective June 30, 2024",
        "Table 3 Birchfield Mineral Resource Statement, effective June 30, 2024",
        "Table 4 Aldergrove Mineral Resource Estimate, effective March 1, 2016",
    )
    assert got == [
        (t1, "Aldergrove", "indicated", False, 40.0, "2024-06-30", None),
        (t1, "Aldergrove", "inferred", False, 10.0, "2024-06-30", None),
        (t2, "Aldergrove", "probable", True, 20.0, "2024-06-30", None),
        (t3, "Birchfield", "inferred", False, 12.0, "2024-06-30", None),
        (t4, "Aldergrove", "indicated", False, 35.0, "2016-03-01", True),
    ]
    assert [t.kind for t in parsed.tables] == ["resource", "reserve", "resource", "resource"]
    # Contained copper is tonnes x grade in each statement.
    for e in parsed.estimates:
        (cu,) = e.grades
        assert e.tonnage_mt * cu.grade / 100 * LB_PER_T == pytest.approx(cu.contained, abs=1.0)


def test_an_updated_statement_naming_the_one_it_replaces_is_current() -> None:
    text = (
        "BIRCHFIELD PROJECT\n\n"
        "Table 5 Birchfield Mineral Resource Statement (replaces the previous 2019 estimate), "
        "effective June 30, 2024\n"
        "Category\tTonnes (Mt)\tCu (%)\tCu (Mlb)\nInferred\t12.0\t0.60\t159\n"
    )
    (est,) = parse_filing(text.encode(), name="birchfield.txt").estimates
    assert est.effective_date == "2024-06-30"
    assert est.historical is None  # got: True


@pytest.mark.parametrize(
    ("title", "historical"),
    [
        ("Table 5 Birchfield Mineral Resource Statement, updating the prior 2019 estimate", None),
        ("Table 5 Birchfield Mineral Resources compared to the previous estimate", None),
        ("Table 5 Birchfield Previous Mineral Resource Estimate (2019)", True),
        ("Table 5 Birchfield Historical Mineral Resources", True),
        ("Table 5 Birchfield Mineral Resources (superseded by the 2024 estimate)", True),
    ],
)
def test_a_statement_is_historical_when_it_is_the_earlier_one(title: str, historical) -> None:
    text = f"BIRCHFIELD PROJECT\n\n{title}\nCategory\tTonnes (Mt)\tCu (%)\nInferred\t12.0\t0.60\n"
    (est,) = parse_filing(text.encode(), name="birchfield.txt").estimates
    assert est.historical is historical


@pytest.mark.parametrize(
    ("sentence", "historical"),
    [
        ("The updated estimate, which replaces the previous 2019 estimate, comprises", None),
        ("The previous estimate comprised", True),
    ],
)
def test_a_statement_in_prose_is_historical_when_it_is_the_earlier_one(
    sentence: str, historical
) -> None:
    text = f"{sentence} Indicated Mineral Resources of 12.0 million tonnes at 0.60% Cu.\n"
    parsed = parse_filing(
        f"BIRCHFIELD PROJECT\n\nMineral Resources\n\n{text}".encode(), name="b.txt"
    )
    (est,) = parsed.estimates
    assert (est.tonnage_mt, est.historical) == (12.0, historical)


@pytest.mark.parametrize(
    "title",
    [
        "Table 1 Hematite Hill Iron Ore Mineral Resources",
        "Table 1 Updated Hematite Hill Mineral Resource Estimate",
    ],
)
def test_the_deposit_a_title_names(title: str) -> None:
    est = _one("Category\tTonnes (Mt)\tFe (%)\nIndicated\t500\t62.1\n", title=title)
    assert est.deposit == "Hematite Hill"


@pytest.mark.parametrize(
    ("title", "deposit"),
    [
        # A commodity is no deposit: got "Gold".
        ("Table 1 Gold Mineral Resources", None),
        ("Table 1 Gold Mineral Resources for the Hematite Hill Project", "Hematite Hill"),
        ("Table 1 Revised Hematite Hill Copper-Gold Mineral Resources", "Hematite Hill"),
        ("Table 1 Hematite Hill Revised Mineral Resource Estimate", "Hematite Hill"),
        # A commodity word inside a name stays: only the ones that end it are cut.
        ("Table 1 Gold Hill Mineral Resources", "Gold Hill"),
    ],
)
def test_commodity_words_in_a_title_are_not_the_deposit(title: str, deposit) -> None:
    est = _one("Category\tTonnes (Mt)\tAu (g/t)\nIndicated\t5.0\t1.20\n", title=title)
    assert est.deposit == deposit
