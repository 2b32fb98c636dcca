"""Reserve and resource estimates from tables: the real filing, the samples, hand-built layouts."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLES_DIR
from ingest.extractors.estimates import extract_estimates
from ingest.failures import PARSER_ERROR
from ingest.lexicon.numbers import parse_number
from ingest.model import Cell, Column, Metadata, Row, Table
from ingest.readers.text import load
from ingest.tables import classify_tables, read_tables


def _read(path):
    doc = load(path.read_bytes(), path.name)
    tables, _ = read_tables(doc, Metadata(currency="USD"))
    estimates, issues = extract_estimates(tables, doc)
    return tables, estimates, issues


def _one(estimates, **match):
    found = [e for e in estimates if all(getattr(e, k) == v for k, v in match.items())]
    assert len(found) == 1, found
    return found[0]


def _grade(estimate, commodity):
    return next(g for g in estimate.grades if g.commodity == commodity)


# -- the real filing -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(real_filing):
    return _read(real_filing)


def test_real_filing_counts_and_kinds(real) -> None:
    tables, estimates, issues = real
    assert issues == []
    assert len(estimates) == 19
    # Table 3 is the PEA's economics (NPV, IRR, payback by price case).
    assert [t.kind for t in tables[:7]] == ["reserve"] + ["resource"] * 2 + ["economics"] + [
        "resource"
    ] * 3
    assert sum(e.is_reserve for e in estimates) == 2
    assert sum(e.is_subtotal for e in estimates) == 2


def test_real_reserve_table(real) -> None:
    _, estimates, _ = real
    probable = _one(estimates, table_index=0, category="probable")
    assert probable.is_reserve and not probable.is_subtotal
    assert probable.deposit == "Entrée-OTLLC Joint Venture"
    assert (probable.tonnage_mt, probable.reported_tonnage_unit) == (31.0, "Mt")
    assert probable.effective_date == "2013-03-25"
    assert probable.other == {"nsr_usd_per_t": 95.21}
    cu, ag = _grade(probable, "Cu"), _grade(probable, "Ag")
    assert (cu.grade, cu.contained, cu.reported_contained_unit) == (1.73, 1090.0, "Mlb")
    assert (ag.reported_contained, ag.reported_contained_unit, ag.contained) == (
        3229.0,
        "koz",
        3.229,
    )
    # The nil "Proven - - -" row is a stated nil: no estimate. The total is a subtotal.
    assert not [e for e in estimates if e.category == "proven"]
    total = _one(estimates, table_index=0, category="proven_probable")
    assert total.is_subtotal and total.line == 165


def test_real_resources_join_contained_metal_and_date_per_deposit(real) -> None:
    _, estimates, _ = real
    rows = [e for e in estimates if e.table_index == 1]
    assert len(rows) == 3  # the "Contained Metal" block adds to these, not beside them
    hne = _one(rows, category="indicated")
    assert (hne.deposit, hne.zone) == ("Hugo North Extension", "Shivee Tolgoi")
    assert (hne.cutoff_value, hne.cutoff_unit) == (0.37, "% CuEq")
    assert hne.effective_date == "2007-02-20"
    mo = _grade(hne, "Mo")
    assert (mo.reported_grade, mo.reported_grade_unit, mo.grade, mo.grade_unit) == (
        35.7,
        "ppm",
        0.00357,
        "%",
    )
    assert (mo.contained, _grade(hne, "CuEq").contained) == (10.4, 5810.0)
    heruga = _one(rows, deposit="Heruga")
    assert (heruga.category, heruga.zone, heruga.effective_date) == (
        "inferred",
        "Javhlant",
        "2010-03-30",
    )
    assert heruga.tonnage_mt == 1824.0
    assert _grade(heruga, "Au").contained == 21.2


def test_real_grade_tonnage_table_one_estimate_per_cutoff(real) -> None:
    _, estimates, _ = real
    rows = [e for e in estimates if e.table_index == 4]
    assert [e.category for e in rows] == ["indicated"] * 5 + ["inferred"] * 5
    assert [e.cutoff_value for e in rows[:5]] == [0.15, 0.2, 0.25, 0.3, 0.35]
    base = _one(rows, category="indicated", cutoff_value=0.2)
    assert (base.deposit, base.cutoff_unit, base.effective_date) == (
        "Ann Mason",
        "% Cu",
        "2012-08-14",
    )
    assert base.tonnage_mt == 1137.0
    cu = _grade(base, "Cu")
    assert (cu.reported_contained, cu.reported_contained_unit, cu.contained) == (
        8.15,
        "Blb",
        8150.0,
    )
    inferred = _one(rows, category="inferred", cutoff_value=0.2)
    assert inferred.tonnage_mt == 873.0 and inferred.line == 313


def test_real_zone_table_subtotal_and_nil_cells(real) -> None:
    _, estimates, _ = real
    rows = [e for e in estimates if e.table_index == 6]
    assert [e.zone for e in rows] == ["Oxide", "Mixed", "Oxide/Mixed", "Sulphide"]
    assert {e.deposit for e in rows} == {"Blue Hill"}
    assert {e.category for e in rows} == {"inferred"}
    sub = rows[2]
    assert sub.is_subtotal and sub.tonnage_mt == 72.13
    assert [g.commodity for g in rows[0].grades] == ["Cu"]  # "---" cells are not estimates
    sulphide = rows[3]
    assert (sulphide.cutoff_value, sulphide.cutoff_unit) == (0.15, "% Cu")
    assert _grade(sulphide, "Mo").grade == 0.005
    assert _grade(sulphide, "Cu").contained == 253.46


def test_real_contained_metal_matches_tonnage_and_grade_where_the_filing_ties(real) -> None:
    from ingest.lexicon.units import expected_contained

    _, estimates, _ = real
    checked = 0
    for e in estimates:
        if e.table_index not in (1, 6):
            continue
        for g in e.grades:
            if g.grade is None or g.contained is None:
                continue
            value, unit = expected_contained(e.tonnage_mt, g.grade, g.grade_unit, g.commodity)
            assert unit == g.contained_unit
            # A grade printed to two decimals carries up to half a unit of rounding.
            decimals = len(repr(g.reported_grade).partition(".")[2])
            rounding = 0.5 * 10**-decimals / g.reported_grade
            assert value == pytest.approx(g.contained, rel=0.01 + rounding), (e.label, g.commodity)
            checked += 1
    assert checked == 19


# -- the samples ---------------------------------------------------------------------------


def test_sample_kestrel_ridge_2023() -> None:
    _, estimates, issues = _read(SAMPLES_DIR / "kestrel-ridge-2023-annual-mda.txt")
    assert issues == []
    proven = _one(estimates, category="proven")
    assert (proven.line, proven.tonnage_mt, proven.other["nsr_usd_per_t"]) == (60, 14.2, 61.84)
    assert (proven.cutoff_value, proven.cutoff_unit) == (13.8, "USD/t NSR")
    assert _grade(proven, "Au").reported_contained == 128.0
    assert _grade(proven, "Au").contained == 0.128
    total = _one(estimates, line=62)
    assert total.is_subtotal and total.category == "proven_probable"
    assert _grade(total, "Cu").contained == 1233.0
    measured = _one(estimates, line=87)
    assert (measured.category, measured.deposit, measured.zone) == ("measured", "North Zone", None)
    assert (measured.cutoff_value, measured.cutoff_unit) == (0.3, "% CuEq")
    assert measured.effective_date == "2023-03-31"
    assert _grade(measured, "Mo").reported_grade == 71.0
    indicated = _one(estimates, line=88)
    assert (indicated.tonnage_mt, _grade(indicated, "Cu").grade) == (186.4, 0.62)
    assert [_grade(indicated, c).contained for c in ("Cu", "Au", "Ag", "Mo", "CuEq")] == [
        2548.0,
        1.14,
        9.6,
        23.8,
        3123.0,
    ]
    south = _one(estimates, line=92)
    assert (south.deposit, south.category, south.tonnage_mt) == ("South Zone", "inferred", 138.5)
    gt = _one(estimates, line=177)
    assert (gt.category, gt.cutoff_value, gt.tonnage_mt, gt.effective_date) == (
        "indicated",
        0.2,
        942.0,
        "2022-11-30",
    )
    assert _grade(gt, "Cu").contained == 6650.0
    assert _one(estimates, line=185).category == "inferred"
    sub = _one(estimates, line=205)
    assert sub.is_subtotal and sub.tonnage_mt == 57.93 and sub.effective_date == "2023-06-30"
    assert _grade(sub, "Cu").contained == 255.43


def test_sample_kestrel_ridge_2024_updated_resource() -> None:
    _, estimates, _ = _read(SAMPLES_DIR / "kestrel-ridge-2024-annual-mda.txt")
    row = _one(estimates, line=45)
    assert (row.tonnage_mt, _grade(row, "Cu").grade, _grade(row, "Au").grade) == (88.6, 0.52, 0.3)
    assert {e.effective_date for e in estimates} == {"2024-10-15"}


def test_sample_wattle_creek_gold_resource_pipe_table() -> None:
    tables, estimates, _ = _read(SAMPLES_DIR / "wattle-creek-2024-annual-mda.txt")
    assert [e.category for e in estimates] == [
        "measured",
        "indicated",
        "measured_indicated",
        "inferred",
        "total",
    ]
    assert [e.is_subtotal for e in estimates] == [False, False, True, False, True]
    first = estimates[0]
    assert (first.line, first.tonnage_mt, first.effective_date) == (118, 6.84, "2024-03-31")
    au = _grade(first, "Au")
    assert (au.grade, au.reported_contained, au.reported_contained_unit, au.contained) == (
        1.92,
        422.0,
        "koz",
        0.422,
    )
    assert _grade(estimates[4], "Au").contained == 1.849
    # The operating and production tables are not estimates.
    assert [t.kind for t in tables].count("resource") == 1


# -- hand-built layouts ----------------------------------------------------------------------


def _table(title, label_header, headers, rows, *, index=0, start=1, parent=None, notes=()):
    """A Table as ``ingest.tables`` builds it: rows are (label, kind, group, raw cells)."""
    columns = [
        Column(index=i, key=f"c{i}", header=h, group=h[0] if len(h) > 1 else None, sub=h[-1])
        for i, h in enumerate(headers)
    ]
    built = []
    for n, (label, kind, group, raws) in enumerate(rows):
        line = start + 1 + n
        cells = []
        for i, raw in enumerate(raws):
            num = parse_number(raw)
            cells.append(
                Cell(column=f"c{i}", raw=raw, value=num.value, line=line, is_nil=num.is_nil)
            )
        built.append(
            Row(line=line, label=label, raw_label=label, kind=kind, group=group, cells=cells)
        )
    return Table(
        index=index,
        title=title,
        section="",
        start_line=start,
        end_line=start + len(rows),
        format="tsv",
        columns=columns,
        rows=built,
        notes=list(notes),
        label_header=label_header,
        parent_index=parent,
    )


def _doc(text: str = "Intro.\n"):
    return load(text.encode(), "hand.txt")


def test_gold_resource_in_koz_with_measured_and_indicated_subtotal() -> None:
    t = _table(
        "Table 7. Lupin Hill Mineral Resource Statement (0.5 g/t Au cut-off)",
        "Classification",
        [["Tonnes (000s)"], ["Au (g/t)"], ["Contained Au (koz)"]],
        [
            ("Measured", "data", None, ["1,200", "2.10", "81"]),
            ("Indicated", "data", None, ["3,450", "1.80", "200"]),
            ("Measured & Indicated", "data", None, ["4,650", "1.88", "281"]),
            ("Inferred", "data", None, ["900", "1.40", "41"]),
        ],
    )
    estimates, issues = extract_estimates(_classified([t]), _doc())
    assert issues == []
    assert [e.category for e in estimates] == [
        "measured",
        "indicated",
        "measured_indicated",
        "inferred",
    ]
    assert [e.is_subtotal for e in estimates] == [False, False, True, False]
    m = estimates[0]
    assert (m.deposit, m.tonnage_mt, m.reported_tonnage, m.reported_tonnage_unit) == (
        "Lupin Hill",
        1.2,
        1200.0,
        "kt",
    )
    assert (m.cutoff_value, m.cutoff_unit) == (0.5, "g/t Au")
    assert (m.grades[0].contained, m.grades[0].contained_unit) == (0.081, "Moz")
    assert t.kind == "resource"


def test_uranium_by_deposit_group_rows_with_per_deposit_dates() -> None:
    prose = (
        "Resources were updated this year.\n"
        "\n"
        "The Kiwi Lake estimate is effective as of June 30, 2016. The Tern estimate has an "
        "effective date of January 5, 2017.\n"
        "\n"
    )
    t = _table(
        "Uranium Mineral Resources",
        "Deposit",
        [["Tonnes (Mt)"], ["U3O8 (%)"], ["U3O8 (Mlb)"]],
        [
            ("Kiwi Lake Deposit", "group", None, ["", "", ""]),
            ("Indicated", "data", "Kiwi Lake Deposit", ["4.1", "0.12", "10.8"]),
            ("Inferred", "data", "Kiwi Lake Deposit", ["2.0", "0.09", "4.0"]),
            ("Tern Deposit", "group", None, ["", "", ""]),
            ("Inferred", "data", "Tern Deposit", ["12.5", "0.04", "11.0"]),
        ],
        start=6,
    )
    estimates, _ = extract_estimates(_classified([t]), _doc(prose))
    assert [(e.deposit, e.category, e.effective_date) for e in estimates] == [
        ("Kiwi Lake", "indicated", "2016-06-30"),
        ("Kiwi Lake", "inferred", "2016-06-30"),
        ("Tern", "inferred", "2017-01-05"),
    ]
    u = estimates[0].grades[0]
    assert (u.commodity, u.grade, u.grade_unit, u.contained, u.contained_unit) == (
        "U3O8",
        0.12,
        "%",
        10.8,
        "Mlb",
    )


def test_short_tons_and_ounces_per_ton() -> None:
    t = _table(
        "Silver Queen Mineral Reserves",
        "Category",
        [["Tons (000s)"], ["Ag (oz/ton)"], ["Ag (000 oz)"]],
        [
            ("Proven", "data", None, ["500", "4.00", "2,000"]),
            ("Probable", "data", None, ["1,000", "3.50", "3,500"]),
        ],
    )
    estimates, _ = extract_estimates(_classified([t]), _doc())
    proven = estimates[0]
    assert proven.is_reserve and t.kind == "reserve"
    assert proven.tonnage_mt == pytest.approx(0.453592, rel=1e-5)
    ag = proven.grades[0]
    assert ag.grade == pytest.approx(137.143, rel=1e-4)
    assert (ag.reported_grade_unit, ag.contained) == ("oz/t", 2.0)


def test_billion_tonne_tonnage_and_ppm_grades() -> None:
    t = _table(
        "Big Porphyry Mineral Resource",
        "Category",
        [["Tonnage (Bt)"], ["Cu (%)"], ["Mo (ppm)"], ["Au (ppb)"]],
        [("Inferred", "data", None, ["1.25", "0.31", "120", "85"])],
    )
    (est,), _ = extract_estimates(_classified([t]), _doc())
    assert (est.tonnage_mt, est.reported_tonnage, est.reported_tonnage_unit) == (1250.0, 1.25, "Bt")
    mo = next(g for g in est.grades if g.commodity == "Mo")
    au = next(g for g in est.grades if g.commodity == "Au")
    assert (mo.grade, au.grade) == (0.012, 0.085)


def test_categories_as_column_blocks() -> None:
    t = _table(
        "Mineral Resources by Deposit",
        "Deposit",
        [
            ["Measured", "Tonnes (Mt)"],
            ["Measured", "Cu (%)"],
            ["Indicated", "Tonnes (Mt)"],
            ["Indicated", "Cu (%)"],
        ],
        [
            ("Alpha", "data", None, ["10", "0.5", "20", "0.4"]),
            ("Beta", "data", None, ["-", "-", "5", "0.3"]),
        ],
    )
    estimates, _ = extract_estimates(_classified([t]), _doc())
    assert [(e.deposit, e.category, e.tonnage_mt) for e in estimates] == [
        ("Alpha", "measured", 10.0),
        ("Alpha", "indicated", 20.0),
        ("Beta", "indicated", 5.0),
    ]


def test_continuation_block_joins_contained_metal_by_group_and_label() -> None:
    top = _table(
        "Mineral Resources",
        "Deposit",
        [["Tonnage (Mt)"], ["Copper (%)"]],
        [
            ("East Deposit", "group", None, ["", ""]),
            ("Indicated", "data", "East Deposit", ["10", "1.0"]),
            ("West Deposit", "group", None, ["", ""]),
            ("Indicated", "data", "West Deposit", ["20", "0.5"]),
        ],
    )
    more = _table(
        "Mineral Resources",
        "Deposit",
        [["Contained Metal", "Copper (Mlb)"]],
        [
            ("East Deposit", "group", None, [""]),
            ("Indicated", "data", "East Deposit", ["220"]),
            ("West Deposit", "group", None, [""]),
            ("Indicated", "data", "West Deposit", ["221"]),
        ],
        index=1,
        start=10,
        parent=0,
    )
    estimates, _ = extract_estimates(_classified([top, more]), _doc())
    assert [(e.deposit, e.grades[0].grade, e.grades[0].contained) for e in estimates] == [
        ("East", 1.0, 220.0),
        ("West", 0.5, 221.0),
    ]
    assert more.kind == "resource"


def test_unreadable_cells_rows_and_columns_become_issues() -> None:
    t = _table(
        "Mineral Resources",
        "Deposit",
        [["Tonnes (Mt)"], ["Cu (%)"], ["Contained Metal", "Copper"]],
        [
            ("Indicated North", "data", None, ["12", "n.a.", "100"]),
            ("South", "data", None, ["3", "0.4", "20"]),
        ],
    )
    estimates, issues = extract_estimates(_classified([t]), _doc())
    kinds = sorted(i.kind for i in issues)
    assert kinds == ["unread_estimate_cell", "unread_estimate_cell", "unread_estimate_row"]
    cell = next(i for i in issues if "n.a." in i.reason)
    assert cell.line == 2
    assert [e.deposit for e in estimates] == ["North"]
    assert estimates[0].grades == []


def test_production_table_is_not_an_estimate() -> None:
    t = _table(
        "Operating results",
        "",
        [["Ore milled (t)"], ["Head grade (g/t Au)"], ["Gold produced (oz)"]],
        [("Quarter", "data", None, ["120,000", "1.6", "5,800"])],
    )
    estimates, issues = extract_estimates(_classified([t]), _doc())
    assert (estimates, issues, t.kind) == ([], [], "other")


TABLE_TEXT = st.text(
    alphabet=st.sampled_from(list("\t |-\n0123456789.,%$()MtlbozgkIndicatedInferredCu Au")),
    max_size=400,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TABLE_TEXT)
def test_arbitrary_text_never_raises(text: str) -> None:
    doc = load(text.encode(), "fuzz.txt")
    tables, _ = read_tables(doc, Metadata(currency="USD"))
    estimates, issues = extract_estimates(tables, doc)
    assert not [i for i in issues if i.kind == PARSER_ERROR]
    assert all(e.category for e in estimates)


def test_category_column_with_deposit_zone_text_column() -> None:
    t = _table(
        "Table 1: Mineral Resource Statement for the Lynx Mine by Zone, with an effective date "
        "of December 31, 2021",
        "Classification",
        [["Deposit - Zone"], ["Tonnes"], ["Gold Grade (g/t)"], ["Gold Troy Ounces"]],
        [
            ("Indicated", "data", None, ["Lynx - Austin", "4,100,000", "7.5", "990,000"]),
            ("", "data", None, ["Lynx - South Austin", "2,800,000", "7.3", "660,000"]),
            ("Total Indicated", "total", None, ["", "6,900,000", "7.4", "1,650,000"]),
            ("Inferred", "data", None, ["Lynx - Austin", "1,000,000", "6.0", "190,000"]),
        ],
    )
    estimates, issues = extract_estimates(_classified([t]), _doc())
    assert issues == []
    assert [(e.deposit, e.zone, e.category, e.is_subtotal) for e in estimates] == [
        ("Lynx", "Austin", "indicated", False),
        ("Lynx", "South Austin", "indicated", False),
        ("Lynx", None, "indicated", True),
        ("Lynx", "Austin", "inferred", False),
    ]
    assert {e.effective_date for e in estimates} == {"2021-12-31"}
    assert (estimates[1].tonnage_mt, estimates[1].grades[0].contained) == (2.8, 0.66)


def test_group_rows_with_cutoffs_and_a_combined_block() -> None:
    t = _table(
        "Copper Project Resource Estimate",
        "",
        [["Model tonnes"], ["Cu(%)"], ["Cu Metal(t)"]],
        [
            ("Lloyds (0.3% Cu cutoff)", "group", None, ["", "", ""]),
            ("Measured", "data", "Lloyds (0.3% Cu cutoff)", ["80,000", "1.0", "800"]),
            ("Indicated", "data", "Lloyds (0.3% Cu cutoff)", ["910,000", "0.8", "7,130"]),
            ("Total", "total", "Lloyds (0.3% Cu cutoff)", ["990,000", "0.8", "7,930"]),
            ("Tailings Combined", "group", None, ["", "", ""]),
            ("Indicated", "data", "Tailings Combined", ["280,000", "1.2", "3,490"]),
        ],
    )
    estimates, _ = extract_estimates(_classified([t]), _doc())
    assert [(e.deposit, e.category, e.is_subtotal) for e in estimates] == [
        ("Lloyds", "measured", False),
        ("Lloyds", "indicated", False),
        ("Lloyds", "measured_indicated", True),
        ("Tailings", "indicated", True),
    ]
    first = estimates[0]
    assert (first.cutoff_value, first.cutoff_unit, first.tonnage_mt) == (0.3, "% Cu", 0.08)
    cu = first.grades[0]
    assert (cu.reported_contained, cu.reported_contained_unit) == (800.0, "t")
    assert cu.contained == pytest.approx(1.7637, rel=1e-4)  # 800 t of copper in Mlb


def _classified(tables: list[Table]) -> list[Table]:
    """Hand-built tables, classified as the parser's table step does before extraction."""
    classify_tables(tables)
    return tables
