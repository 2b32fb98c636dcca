"""Study economics (PEA / PFS / FS) from tables and prose."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLES_DIR
from ingest import parse_filing
from ingest.extractors.economics import extract_economics, property_of, study_type_of
from ingest.extractors.estimates import extract_estimates
from ingest.lexicon.numbers import parse_number
from ingest.lexicon.scenarios import scenario_of
from ingest.model import Cell, Column, Metadata, Row, Table
from ingest.readers.text import load
from ingest.tables import classify_tables, read_tables


def _read(path, currency="USD"):
    doc = load(path.read_bytes(), path.name)
    tables, _ = read_tables(doc, Metadata(currency=currency))
    extract_estimates(tables, doc)
    metrics, issues = extract_economics(tables, doc, currency=currency)
    return tables, metrics, issues


def _pick(metrics, **match):
    return [m for m in metrics if all(getattr(m, k) == v for k, v in match.items())]


def _one(metrics, **match):
    found = _pick(metrics, **match)
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def real(real_filing):
    return _read(real_filing)


def test_real_pea_table(real) -> None:
    tables, metrics, issues = real
    assert issues == []
    table = _pick(metrics, source="table")
    assert len(table) == 40
    assert tables[3].kind == "economics"
    assert {(m.study_type, m.property) for m in table} == {("PEA", "Ann Mason")}
    assert {m.scenario for m in table} == {"low", "base", "high", "spot"}
    npv = _one(table, metric="npv", scenario="base", discount_rate_pct=7.5)
    assert (npv.value, npv.unit, npv.line, npv.table_index) == (1106.0, "USD million", 282, 3)
    assert _one(table, metric="npv", scenario="spot", discount_rate_pct=10.0).value == 1669.0
    irr = _one(table, metric="irr", scenario="low")
    assert (irr.value, irr.unit) == (11.6, "%")
    assert (_one(table, metric="payback", scenario="high").value, "years") == (4.7, "years")
    cu = _one(table, metric="metal_price", scenario="spot", commodity="Cu")
    assert (cu.value, cu.unit) == (3.71, "USD/lb")
    au = _one(table, metric="metal_price", scenario="low", commodity="Au")
    assert (au.value, au.unit) == (1100.0, "USD/oz")
    revenue = _one(table, metric="metal_revenue", scenario="base")
    assert (revenue.value, revenue.unit) == (15600.0, "USD million")


def test_real_pea_in_prose(real) -> None:
    _, metrics, _ = real
    text = _pick(metrics, source="text", property="Ann Mason")
    npv = _one(text, metric="npv", scenario="base")
    assert (npv.value, npv.unit, npv.discount_rate_pct, npv.pre_tax, npv.line) == (
        1110.0,
        "USD million",
        7.5,
        True,
        256,
    )
    assert npv.study_type == "PEA"
    spot = _one(text, metric="npv", scenario="spot")
    assert (spot.value, spot.pre_tax) == (2540.0, True)
    assert _one(text, metric="irr", scenario="base").value == 14.8
    assert _one(text, metric="payback", scenario="spot").value == 3.8
    assert _one(text, metric="capex").value == 1280.0
    assert {(m.commodity, m.value) for m in _pick(text, metric="metal_price", scenario="base")} == {
        ("Cu", 3.0),
        ("Mo", 13.5),
        ("Au", 1200.0),
        ("Ag", 22.0),
    }
    cash = _one(text, metric="cash_cost")
    assert (cash.value, cash.unit, cash.commodity, cash.line) == (1.46, "USD/lb", "Cu", 265)
    assert _one(text, metric="mine_life").value == 24.0


def test_real_attributable_npv_outside_a_named_study(real) -> None:
    _, metrics, _ = real
    npv = _one(metrics, source="text", metric="npv", line=182)
    # "decreased to $110 million from the $129 million": the new value, not the old one.
    assert (npv.value, npv.discount_rate_pct, npv.study_type) == (110.0, 8.0, None)
    assert npv.property == "Hugo North Extension - Lift 1"


def test_sample_kestrel_ridge_pea_and_pfs() -> None:
    _, metrics, issues = _read(SAMPLES_DIR / "kestrel-ridge-2023-annual-mda.txt")
    assert issues == []
    table = _pick(metrics, source="table")
    assert {(m.study_type, m.property, m.pre_tax) for m in table} == {("PEA", "Coyote Wells", True)}
    assert [m.value for m in _pick(table, metric="npv", discount_rate_pct=5.0)] == [
        1402.0,
        2214.0,
        3091.0,
        3655.0,
    ]
    assert [m.value for m in _pick(table, metric="irr")] == [12.3, 16.4, 20.1, 22.6]
    assert [m.value for m in _pick(table, metric="payback")] == [6.6, 5.2, 4.1, 3.7]
    assert {m.value for m in _pick(table, metric="capex")} == {1486.0}
    assert [m.value for m in _pick(table, metric="metal_price", commodity="Cu")] == [
        3.25,
        3.6,
        3.95,
        4.08,
    ]
    bullet = _one(metrics, source="text", line=139, metric="npv")
    assert (bullet.value, bullet.discount_rate_pct, bullet.pre_tax, bullet.scenario) == (
        1360.0,
        8.0,
        True,
        "base",
    )
    assert _one(metrics, source="text", line=139, metric="irr").value == 16.4
    assert _one(metrics, source="text", line=139, metric="payback").value == 5.2
    pfs = _one(metrics, source="text", study_type="PFS", metric="npv")
    assert (pfs.value, pfs.property) == (412.0, "North Zone")
    # Metal prices in a reserve table's notes are not study results.
    assert not _pick(metrics, source="text", study_type="PFS", metric="metal_price")


def test_samples_without_a_study_give_no_metrics() -> None:
    for name in ("kestrel-ridge-2024-q3-mda.txt", "wattle-creek-2024-annual-mda.txt"):
        _, metrics, issues = _read(SAMPLES_DIR / name, "AUD" if "wattle" in name else "USD")
        assert (metrics, issues) == ([], [])


def test_scenario_headers() -> None:
    assert scenario_of("Spot Case (Oct 15/2012)") == ("spot", "2012-10-15")
    assert scenario_of("Base Case") == ("base", None)
    assert scenario_of("Downside") == ("low", None)
    assert scenario_of("Consensus Pricing") == ("consensus", None)
    assert scenario_of("Three-Year Trailing Average") == ("three_year_trailing_average", None)


def test_study_and_property_names() -> None:
    assert study_type_of("results of its Pre-Feasibility Study") == "PFS"
    assert study_type_of('the optimized Feasibility Study (the "2021 Feasibility Study")') == "FS"
    assert study_type_of("Definitive Feasibility Study Case") == "FS"
    assert study_type_of("a Preliminary Economic Assessment") == "PEA"
    assert study_type_of("it may appear that the cut-offs changed") is None
    assert property_of("Summary of Ann Mason PEA key financial outputs.") == "Ann Mason"
    assert property_of("for the Mutanga Uranium Project in Zambia") == "Mutanga"
    assert property_of("on the Boa Esperança Copper Project") == "Boa Esperança"


def test_news_release_prose_layouts() -> None:
    text = (
        "GoviEx announces a Preliminary Economic Assessment for the Mutanga Uranium Project.\n"
        "Highlights of the PEA include the following:\n"
        "- Initial capital costs are estimated at US\\$123 million, with estimated cash operating"
        " costs of US\\$31.1/lb U3O8, excluding royalties.\n"
        "- At a long-term uranium price of US\\$58/lb U3O8, the base case indicates an after-tax"
        " net present value of US\\$112 million (at 8% discount rate) with an internal rate of"
        " return (IRR) of 25%.\n"
        "- 41.8% after-tax internal rate of return and \\$380 million after-tax net present value"
        " (8%) based on Consensus Copper Price;\n"
    )
    doc = load(text.encode(), "release.txt")
    metrics, issues = extract_economics([], doc)
    assert issues == []
    assert {(m.study_type, m.property) for m in metrics} == {("PEA", "Mutanga")}
    capex = _one(metrics, metric="capex")
    assert (capex.value, capex.unit, capex.line) == (123.0, "USD million", 3)
    cost = _one(metrics, metric="cash_cost")
    assert (cost.value, cost.unit, cost.commodity) == (31.1, "USD/lb", "U3O8")
    npv = _one(metrics, metric="npv", line=4)
    assert (npv.value, npv.discount_rate_pct, npv.pre_tax) == (112.0, 8.0, False)
    assert _one(metrics, metric="irr", line=4).value == 25.0
    price = _one(metrics, metric="metal_price")
    assert (price.value, price.unit, price.commodity) == (58.0, "USD/lb", "U3O8")
    # Value printed before the words.
    irr = _one(metrics, metric="irr", line=5)
    assert (irr.value, irr.pre_tax, irr.scenario) == (41.8, False, "consensus")
    npv5 = _one(metrics, metric="npv", line=5)
    assert (npv5.value, npv5.discount_rate_pct) == (380.0, 8.0)


def _table(headers, rows, title="Economic results", start=1):
    columns = [Column(index=i, key=f"c{i}", header=h) for i, h in enumerate(headers)]
    built = []
    for n, (label, unit, raws) in enumerate(rows):
        line = start + 1 + n
        cells = [
            Cell(f"c{i}", raw, parse_number(raw).value, line, parse_number(raw).is_nil)
            for i, raw in enumerate(raws)
        ]
        built.append(Row(line=line, label=label, raw_label=label, cells=cells, unit=unit))
    return Table(
        index=0,
        title=title,
        section="",
        start_line=start,
        end_line=start + len(rows),
        format="pipe",
        columns=columns,
        rows=built,
    )


def test_transposed_table_scenarios_in_rows_and_other_currency() -> None:
    t = _table(
        [["Gold price (C$/oz)"], ["After-tax NPV5% (C$M)"], ["After-tax IRR (%)"]],
        [("Base case", None, ["2,400", "586", "31.2"]), ("Spot", None, ["3,100", "855", "44.0"])],
        title="Table 9. Red Fox Feasibility Study sensitivity",
    )
    metrics, issues = extract_economics(_classified([t]), load(b"x\n", "t.txt"), currency="CAD")
    assert issues == []
    assert t.kind == "economics"
    npv = _one(metrics, metric="npv", scenario="spot")
    assert (npv.value, npv.unit, npv.discount_rate_pct, npv.pre_tax) == (
        855.0,
        "CAD million",
        5.0,
        False,
    )
    assert (npv.study_type, npv.property) == ("FS", "Red Fox")
    price = _one(metrics, metric="metal_price", scenario="base")
    assert (price.value, price.unit, price.commodity) == (2400.0, "CAD/oz", "Au")


def test_unrecognised_rows_of_an_economics_table_are_issues() -> None:
    t = _table(
        [["Base Case"]],
        [("NPV (8%)", "$ Billion", ["1.2"]), ("Exchange rate", "", ["1.35"])],
    )
    metrics, issues = extract_economics(_classified([t]), load(b"x\n", "t.txt"))
    assert [(m.metric, m.value, m.unit) for m in metrics] == [("npv", 1200.0, "USD million")]
    assert [(i.kind, i.line) for i in issues] == [("unread_economic_row", 3)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=st.sampled_from(list("\t |-\n0123456789.,%$()NPVIRRpayback PEA year lb oz:")),
        max_size=400,
    )
)
def test_arbitrary_text_never_raises(text: str) -> None:
    doc = load(text.encode(), "fuzz.txt")
    tables, _ = read_tables(doc, Metadata(currency="USD"))
    metrics, issues = extract_economics(tables, doc)
    assert not [i for i in issues if "could not be read" in i.reason]
    assert all(m.unit for m in metrics)


def _classified(tables: list[Table]) -> list[Table]:
    """Hand-built tables, classified as the parser's table step does before extraction."""
    classify_tables(tables)
    return tables


def test_price_decks_behind_cut_offs_are_read_anywhere() -> None:
    text = (
        "Mineral Resources\n\n"
        "The cut-off grade was estimated using a US$1,500/ounce gold price and a 90% recovery.\n\n"
        "The reserve cut-off assumes a copper price of US$3.50 per pound.\n\n"
        "Resources are reported at a gold price of US$1,800/oz.\n\n"
        "The gold price was volatile during the year, ranging up to $2,000/oz gold price peaks.\n"
    )
    parsed = parse_filing(text.encode(), name="deck.txt")
    got = [(m.metric, m.commodity, m.value, m.unit, m.source) for m in parsed.economics]
    assert got == [
        ("metal_price", "Au", 1500.0, "USD/oz", "text"),
        ("metal_price", "Cu", 3.5, "USD/lb", "text"),
    ]
