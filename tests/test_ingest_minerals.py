"""Commodity names, mineral units and what resource-table headers mean."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.lexicon import commodities, minerals
from ingest.lexicon.minerals import find_cutoff, interpret_header
from ingest.lexicon.units import expected_contained, normalise_grade


@pytest.mark.parametrize(
    ("texts", "quantity", "commodity", "unit", "reported", "factor", "category"),
    [
        (["Indicated", "Tonnes (million)"], "tonnage", None, "Mt", "Mt", 1.0, "indicated"),
        (["Ore (Mt)"], "tonnage", None, "Mt", "Mt", 1.0, None),
        (["Tonnage (Mt)"], "tonnage", None, "Mt", "Mt", 1.0, None),
        (["Tonnes (000s)"], "tonnage", None, "Mt", "kt", 1e-3, None),
        (["Model tonnes"], "tonnage", None, "Mt", "t", 1e-6, None),
        (["Tonnage (Bt)"], "tonnage", None, "Mt", "Bt", 1000.0, None),
        (["Tonnes (billion)"], "tonnage", None, "Mt", "Bt", 1000.0, None),
        (["Tons (000s)"], "tonnage", None, "Mt", "k short tons", 0.90718474e-3, None),
        (["Cu (%)"], "grade", "Cu", "%", "%", 1.0, None),
        (["Molybdenum (ppm)"], "grade", "Mo", "%", "ppm", 1e-4, None),
        (["Gold (g/t)"], "grade", "Au", "g/t", "g/t", 1.0, None),
        (["Au (ppm)"], "grade", "Au", "g/t", "ppm", 1.0, None),
        (["Au (oz/ton)"], "grade", "Au", "g/t", "oz/t", 34.2857, None),
        (["Grade (g/t Au)"], "grade", "Au", "g/t", "g/t", 1.0, None),
        (["Silver Grade(5) (g/t)"], "grade", "Ag", "g/t", "g/t", 1.0, None),
        (["CuEq (%)"], "grade", "CuEq", "%", "%", 1.0, None),
        (["U3O8 (%)"], "grade", "U3O8", "%", "%", 1.0, None),
        (["U3O8 (lb/ton)"], "grade", "U3O8", "%", "lb/t", 0.05, None),
        (["Contained Metal", "Copper (Mlb)"], "contained", "Cu", "Mlb", "Mlb", 1.0, None),
        (["Cu (M lb)"], "contained", "Cu", "Mlb", "Mlb", 1.0, None),
        (["Cu (Million lb)"], "contained", "Cu", "Mlb", "Mlb", 1.0, None),
        (["lb Cu (billion)"], "contained", "Cu", "Mlb", "Blb", 1000.0, None),
        (["Inferred", "lb Mo (billion)"], "contained", "Mo", "Mlb", "Blb", 1000.0, "inferred"),
        (["Au (Moz)"], "contained", "Au", "Moz", "Moz", 1.0, None),
        (["Ag (koz)"], "contained", "Ag", "Moz", "koz", 1e-3, None),
        (["Contained Gold (000s oz)"], "contained", "Au", "Moz", "koz", 1e-3, None),
        (["Gold Troy Ounces"], "contained", "Au", "Moz", "oz", 1e-6, None),
        (["Cu Metal(t)"], "contained", "Cu", "Mlb", "t", 2204.62262e-6, None),
        (["Contained Cu (kt)"], "contained", "Cu", "Mlb", "kt", 2.20462262, None),
        (["U3O8 (Mlb)"], "contained", "U3O8", "Mlb", "Mlb", 1.0, None),
        (["CuEq (Mlb)"], "contained", "CuEq", "Mlb", "Mlb", 1.0, None),
    ],
)
def test_headers_read_as_quantity_commodity_and_unit(
    texts, quantity, commodity, unit, reported, factor, category
) -> None:
    m = interpret_header(texts)
    assert (m.quantity, m.commodity, m.unit, m.reported_unit, m.category) == (
        quantity,
        commodity,
        unit,
        reported,
        category,
    )
    assert m.factor == pytest.approx(factor, rel=1e-5)


def test_cutoff_headers_give_their_basis() -> None:
    m = interpret_header(["Base Case Cut-off (Cu %)"])
    assert (m.quantity, m.commodity, m.cutoff_basis) == ("cutoff", "Cu", "% Cu")
    assert interpret_header(["Cut-off (% Cu)"]).cutoff_basis == "% Cu"
    assert interpret_header(["Cut-off (g/t AuEq)"]).cutoff_basis == "g/t AuEq"
    assert interpret_header(["NSR Cut-off ($/t)"]).cutoff_basis == "USD/t NSR"


def test_other_numbers_and_text_columns_are_named() -> None:
    nsr = interpret_header(["NSR ($/t)"])
    assert (nsr.quantity, nsr.key) == ("other", "nsr_usd_per_t")
    assert interpret_header(["Cu Recovery (%)"]).quantity == "other"
    assert interpret_header(["Strip Ratio"]).quantity == "other"
    zone = interpret_header(["Zone"])
    assert (zone.quantity, zone.key) == ("label", "zone")
    assert interpret_header(["Mineral Resource Category"]).key == "category"
    # A metal without a readable unit is flagged, not guessed.
    assert interpret_header(["Contained Metal", "Copper"]).quantity == "unknown"
    assert interpret_header(["Grade (%)"]).quantity == "unknown"


@pytest.mark.parametrize(
    ("texts", "key"),
    [
        (["SiO2 (%)"], "sio2_pct"),
        (["Al2O3 (%)"], "al2o3_pct"),
        (["P (%)"], "p_pct"),
        (["S (%)"], "s_pct"),
        (["LOI (%)"], "loi_pct"),
        (["MgO (%)"], "mgo_pct"),
        (["Silica (%)"], "silica_pct"),
        (["As (ppm)"], "as_ppm"),
        # A mass unit does not make an oxide a tonnage.
        (["SiO2 (kt)"], "sio2_kt"),
    ],
)
def test_assays_of_what_is_no_commodity_are_other_numbers(texts, key) -> None:
    m = interpret_header(texts)
    assert (m.quantity, m.commodity, m.key) == ("other", None, key)


def test_commodity_oxides_and_generic_headers_are_not_other_analytes() -> None:
    # A thousand written "K" is no potassium.
    assert interpret_header(["Tonnes (K)"]).reported_unit == "kt"
    assert interpret_header(["Contained Metal (K lbs)"]).reported_unit == "klb"
    assert interpret_header(["Ounces (K)"]).reported_unit == "koz"
    assert commodities.analyte_of("TiO2 (%)") is None  # a commodity of its own
    assert interpret_header(["TiO2 (%)"]).commodity == "TiO2"
    assert commodities.analyte_of("Grade (%)") is None
    assert commodities.analyte_of("PFS") is None  # capitals of an acronym are no formula
    assert minerals.names_only_quantity("Contained Ounces (000s)")
    assert minerals.names_only_quantity("(%)")
    assert not minerals.names_only_quantity("Xq (%)")


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("Copper (%)", "Cu"),
        ("copper equivalent", "CuEq"),
        ("Cu Eq (%)", "CuEq"),
        ("Cut-off (g/t AuEq)", "AuEq"),
        ("Molybdenum", "Mo"),
        ("lb Mo (billion)", "Mo"),
        ("Gold Troy Ounces", "Au"),
        ("uranium", "U3O8"),
        ("lithium carbonate equivalent", "LCE"),
        ("Month", None),
        ("Cost", None),
        ("AU (g/t)", None),
        # A sum of platinum-group metals, with or without gold, is the group, not its first.
        ("3PGE+Au (koz)", "PGM"),
        ("Pt+Pd (g/t)", "PGM"),
        ("Pt + Pd + Au (g/t)", "PGM"),
        ("2PGE+Au", "PGM"),
        ("4E (g/t)", "PGM"),
        ("Au+Ag (g/t)", "Au"),
    ],
)
def test_commodity_vocabulary(text, symbol) -> None:
    assert commodities.commodity_of(text) == symbol


@pytest.mark.parametrize(
    ("text", "cutoff"),
    [
        ("Table 2. Mineral Resources (0.37% CuEq cut-off)", (0.37, "% CuEq")),
        ("At a base case lower cut-off of 0.20% copper, the deposit", (0.2, "% Cu")),
        ("Lloyds (0.3% Cu cutoff)", (0.3, "% Cu")),
        (
            'utilizing a cut-off grade of 3.0 grams per tonne ("g/t") gold equivalent ("AuEq").',
            (3.0, "g/t AuEq"),
        ),
        ("reported at a base case cut-off of 0.30% copper equivalent", (0.3, "% CuEq")),
        (
            "inside a pit design at an NSR cut-off of $13.80/t, with 5% dilution",
            (13.8, "USD/t NSR"),
        ),
        ("Mineral resources at various grades", None),
    ],
)
def test_cutoffs_stated_in_titles_and_prose(text, cutoff) -> None:
    assert find_cutoff(text) == cutoff


def test_grade_normalisation() -> None:
    assert normalise_grade(35.7, "ppm", "Mo") == pytest.approx((0.00357, "%"))
    assert normalise_grade(0.5, "oz/t", "Au")[0] == pytest.approx(17.1429, rel=1e-4)
    assert normalise_grade(2.5, "ppm", "Ag") == (2.5, "g/t")
    assert normalise_grade(1.0, "ppm", "Unobtainium") is None


def test_expected_contained_metal() -> None:
    # 31 Mt at 1.73% Cu implies 1,182 Mlb; the filing's reserve prints 1,090 (its NSR
    # reserve carries diluting material), so only the arithmetic is asserted here.
    value, unit = expected_contained(31, 1.73, "%", "Cu")
    assert unit == "Mlb"
    assert value == pytest.approx(1182.3, abs=0.1)
    gold, gold_unit = expected_contained(31, 0.62, "g/t", "Au")
    assert (gold, gold_unit) == (pytest.approx(0.6180, rel=1e-3), "Moz")
    assert expected_contained(132, 35.7, "ppm", "Mo")[0] == pytest.approx(10.39, abs=0.01)
    assert expected_contained(10, 1.5, "%", "Li2O") == (0.15, "Mt")
    assert expected_contained(10, 1.0, "g/t", "Nope") is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=4))
def test_any_header_text_is_read_without_error(texts) -> None:
    m = interpret_header(texts)
    assert m.quantity in {"tonnage", "grade", "contained", "cutoff", "other", "label", "unknown"}
    find_cutoff(" ".join(texts))
    commodities.find_commodity(" ".join(texts))
