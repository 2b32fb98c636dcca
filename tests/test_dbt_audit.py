"""dbt's audit models: one row per check instance, the quarantine, and what they find.

Hand-made raw rows give every check a passing and a failing instance with known numbers;
the sample filings and the real filing are then built end to end and every failing
instance is asserted (each one was read in the filing: see the comments).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    DBT_PROJECT,
    GARBAGE_NAME,
    SAMPLES_DIR,
    BuiltWarehouse,
    estimate,
    fact,
    filing,
    grade,
    load_raw,
    merge,
    query,
    run_dbt,
)
from expectations.allowed_values import load_allowed_values
from expectations.catalogue import AUDIT_MODELS, CHECK_INSTANCE_COLUMNS

pytestmark = pytest.mark.dbt

ALL_INSTANCES = " union all by name ".join(f"select * from audit.{m}" for m in AUDIT_MODELS)
# a null bound is unbounded on that side
FAILING = (
    "(observed < coalesce(lower_bound, observed) or observed > coalesce(upper_bound, observed))"
)
C = "audit-test-mining"
ANNUAL = dict(
    company_name="Audit Test Mining Corp.",
    period_type="annual",
    period_start=date(2012, 1, 1),
    period_end=date(2012, 12, 31),
    fiscal_year=2012,
    effective_date=date(2013, 3, 1),
    resources_inclusive=True,
)


def hu(row: dict[str, Any], half_unit: float, **more: Any) -> dict[str, Any]:
    return {**row, "half_unit": half_unit, **more}


def eq_grade(
    fid: str, index: int, commodity: str, g: float, gu: str, c: Any, cu: Any, **halves: float
) -> dict[str, Any]:
    return {**grade(fid, index, commodity, g, gu, c, cu), **halves}


def clean_annual() -> dict[str, list]:
    """h1: a parsed annual with one passing and one failing instance of each warn check."""
    f = "h1"
    facts = [
        hu(fact(f, 0, "revenue", "2012-12-31", 12, 100.0), 0.5),
        # the same revenue in a second table: agrees
        hu(fact(f, 1, "revenue", "2012-12-31", 12, 100.0), 0.5, table_index=1, line=150),
        # quarters sum to the year for net income, not for exploration (40 vs 50)
        hu(fact(f, 2, "net_income", "2012-12-31", 12, -100.0), 0.5),
        *(
            hu(fact(f, 3 + i, "net_income", end, 3, -25.0), 0.5, line=120)
            for i, end in enumerate(("2012-03-31", "2012-06-30", "2012-09-30", "2012-12-31"))
        ),
        hu(fact(f, 7, "exploration_expense", "2012-12-31", 12, -50.0), 0.5),
        *(
            hu(fact(f, 8 + i, "exploration_expense", end, 3, -10.0), 0.5, line=121)
            for i, end in enumerate(("2012-03-31", "2012-06-30", "2012-09-30", "2012-12-31"))
        ),
        hu(fact(f, 12, "net_income_per_share", "2012-12-31", 12, -0.5, unit="USD/share"), 0.005),
        hu(fact(f, 13, "cash", "2012-12-31", 0, 1_150_000.0), 0.5),
    ]
    narrative = [
        # 1.1 million (half unit 50,000) covers 1,150,000; -90 does not cover -100
        {"concept": "cash", "value": 1_100_000.0, "months": 0, "half_unit": 50_000.0, "line": 10},
        {"concept": "net_income", "value": -90.0, "months": 12, "half_unit": 0.5, "line": 11},
        {
            "concept": "weighted_average_shares",
            "value": 200.0,
            "months": 12,
            "unit": "shares",
            "half_unit": 0.5,
            "line": 12,
        },
    ]
    narrative = [
        {
            "filing_id": f,
            "fact_index": i,
            "unit": "USD",
            "period_end": date(2012, 12, 31),
            "text": "prose",
            **n,
        }
        for i, n in enumerate(narrative)
    ]
    estimates = [
        estimate(f, 0, "North", "indicated", 100.0)
        | {"tonnage_half_unit": 0.5, "cutoff_value": 0.2},
        # a higher cut-off with more tonnage and a lower Cu grade: both fail
        estimate(f, 1, "North", "indicated", 120.0)
        | {"tonnage_half_unit": 0.5, "cutoff_value": 0.3},
        # a reserve larger than the resource it is drawn from
        estimate(f, 2, "North", "probable", 150.0)
        | {"tonnage_half_unit": 0.5, "cutoff_value": None},
    ]
    grades = [
        # 100 Mt x 1.00 % x 22.0462262 = 2204.6 Mlb against 2205: within 22.55
        eq_grade(
            f, 0, "Cu", 1.0, "%", 2205.0, "Mlb", grade_half_unit=0.005, contained_half_unit=0.5
        ),
        # 100 Mt x 1.0 g/t / 31.1034768 = 3.215 Moz against 5.0: ratio 1.555
        eq_grade(
            f, 0, "Au", 1.0, "g/t", 5.0, "Moz", grade_half_unit=0.05, contained_half_unit=0.05
        ),
        # CuEq = Cu + 0.5 x Au = 1.50 as printed
        eq_grade(f, 0, "CuEq", 1.5, "%", None, None, grade_half_unit=0.005),
        eq_grade(f, 1, "Cu", 0.9, "%", None, None, grade_half_unit=0.005),
        # 1.60 % CuEq where the formula gives 0.9 + 0.5 x 1.0 = 1.40
        eq_grade(f, 1, "Au", 1.0, "g/t", None, None, grade_half_unit=0.05),
        eq_grade(f, 1, "CuEq", 1.6, "%", None, None, grade_half_unit=0.005),
        # a grade above 100 %
        eq_grade(f, 2, "Cu", 120.0, "%", None, None, grade_half_unit=0.5),
    ]
    terms = [
        {
            "filing_id": f,
            "formula_index": 0,
            "commodity": "CuEq",
            "unit": "%",
            "intercept": 0.0,
            "term_commodity": term,
            "term_unit": unit,
            "coefficient": coefficient,
            "line": 60,
            "text": "CuEq% = Cu% + Au g/t x 0.5",
        }
        for term, unit, coefficient in (("Cu", "%", 1.0), ("Au", "g/t", 0.5))
    ]
    economics = [
        {"metric": "npv", "scenario": "base", "discount_rate_pct": 5.0, "value": 400.0},
        {"metric": "npv", "scenario": "base", "discount_rate_pct": 8.0, "value": 500.0},
        {"metric": "npv", "scenario": "low", "discount_rate_pct": 8.0, "value": 300.0},
        {"metric": "npv", "scenario": "high", "discount_rate_pct": 8.0, "value": 600.0},
        {"metric": "irr", "scenario": "base", "value": 150.0, "unit": "%"},
        {"metric": "irr", "scenario": "low", "value": 12.5, "unit": "%"},
        {"metric": "payback", "scenario": "base", "value": 0.0, "unit": "years"},
        {"metric": "payback", "scenario": "low", "value": 6.5, "unit": "years"},
    ]
    economics = [
        {
            "filing_id": f,
            "metric_index": i,
            "study_type": "PEA",
            "property": "North",
            "unit": "USD million",
            "table_index": 2,
            "line": 200 + i,
            **m,
        }
        for i, m in enumerate(economics)
    ]
    footings = [
        {
            "filing_id": f,
            "footing_index": i,
            "table_index": 0,
            "column_key": "2012-12-31/12m",
            "line": 130 + i,
            "label": label,
            "kind": "total",
            "expected": expected,
            "observed": observed,
            "tolerance": 1.0,
            "terms": 2,
            "component_lines": "[101, 102]",
            "unit": "USD",
        }
        for i, (label, expected, observed) in enumerate(
            (("Total expenses", 60.0, 60.0), ("Net loss", -100.0, -103.0))
        )
    ]
    tables = [{"filing_id": f, "table_index": 2, "title": "PEA", "scale": 1.0}]
    return merge(
        filing(f, "audit-2012-annual", 1, "2013-03-02T09:00:00", **ANNUAL),
        {
            "tables": tables,
            "facts": facts,
            "narrative_facts": narrative,
            "estimates": estimates,
            "estimate_grades": grades,
            "equivalence_terms": terms,
            "economics": economics,
            "footings": footings,
        },
    )


def quarantined_versions() -> dict[str, list]:
    """h1v2: a newer version of h1 without a company name; h2: broken records."""
    h1v2 = filing(
        "h1v2", "audit-2012-annual", 2, "2013-04-01T09:00:00", **{**ANNUAL, "company_name": None}
    )
    h2 = merge(
        filing(
            "h2",
            "audit-2013-q1",
            1,
            "2013-05-02T09:00:00",
            **{**ANNUAL, "period_type": "quarter", "period_end": date(2013, 3, 31)},
        ),
        {
            "facts": [
                fact("h2", 0, "revenue", "2013-03-31", 3, 30.0),
                fact("h2", 1, "revenue", "2013-03-31", 3, 33.0),
                fact("h2", 2, "cash", "2013-03-31", 0, 10.0, unit="dollars"),
            ],
            "estimates": [estimate("h2", 0, "North", "indicated", 10.0)],
            "estimate_grades": [
                grade("h2", 0, "Ag", 3.0, "dwt", None, None),
                grade("h2", 7, "Cu", 1.0, "%", None, None),
            ],
        },
    )
    return merge(h1v2, h2)


def restating_annual() -> dict[str, list]:
    """h3: the 2013 annual restates 2012 revenue (100 -> 110) and repeats cash unchanged."""
    f = "h3"
    return merge(
        filing(
            f,
            "audit-2013-annual",
            1,
            "2014-03-02T09:00:00",
            **{
                **ANNUAL,
                "period_start": date(2013, 1, 1),
                "period_end": date(2013, 12, 31),
                "fiscal_year": 2013,
                "effective_date": date(2014, 3, 1),
            },
        ),
        {
            "facts": [
                hu(fact(f, 0, "revenue", "2012-12-31", 12, 110.0), 0.5),
                hu(fact(f, 1, "cash", "2012-12-31", 0, 1_150_000.0), 0.5),
            ]
        },
    )


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("dbt_audit")
    db = work / "build.duckdb"
    load_raw(db, merge(clean_annual(), quarantined_versions(), restating_annual()))
    # dbt's unit tests test SQL, not these rows: test_dbt_warehouse's build runs them.
    run_dbt(db, work, "build", "--exclude-resource-type", "unit_test")
    return db


def failing(db: Path, where: str = "true") -> list[tuple]:
    return query(
        db,
        f"""
        select check_name, filing_id, round(expected, 4), round(observed, 4),
            round(tolerance, 4)
        from ({ALL_INSTANCES}) where {FAILING} and {where}
        order by check_name, filing_id, subject
        """,
    )


def test_every_audit_model_has_the_contract_columns(audited: Path) -> None:
    for model in AUDIT_MODELS:
        columns = query(
            audited,
            f"select column_name, data_type from duckdb_columns() "
            f"where schema_name = 'audit' and table_name = '{model}' order by column_index",
        )
        assert columns == list(CHECK_INSTANCE_COLUMNS), model


def test_failing_instances_of_the_hand_made_filings(audited: Path) -> None:
    assert failing(audited) == [
        ("allowed_values", "h2", 0.0, 1.0, 0.0),  # fact unit "dollars"
        ("allowed_values", "h2", 0.0, 1.0, 0.0),  # grade unit "dwt"
        ("contained_metal", "h1", 3.2151, 5.0, 0.2268),
        ("equivalent_grade", "h1", 1.4, 1.6, 0.035),
        ("filing_metadata", "h1v2", 0.0, 1.0, 0.0),
        ("footing", "h1", -100.0, -103.0, 1.0),
        ("grade_range", "h1", None, 120.0, 0.0),
        ("grade_tonnage_monotone", "h1", 1.0, 0.9, 0.01),
        ("grade_tonnage_monotone", "h1", 100.0, 120.0, 1.0),
        ("irr_range", "h1", None, 150.0, 0.0),
        ("narrative_matches_table", "h1", -100.0, -90.0, 1.0),
        ("no_conflicting_duplicates", "h2", 30.0, 33.0, 0.0),
        ("no_orphans", "h2", 0.0, 1.0, 0.0),  # the grade of estimate 7
        ("npv_falls_with_discount_rate", "h1", 400.0, 500.0, 1.0),
        ("payback_positive", "h1", None, 0.0, 0.0),
        ("quarters_sum_to_year", "h1", -50.0, -40.0, 2.5),
        # the bound is the larger M+I statement (the 0.2 % and 0.3 % cut-offs: 100, 120 Mt)
        ("reserve_within_resource", "h1", 120.0, 150.0, 1.0),  # all deposits
        ("reserve_within_resource", "h1", 120.0, 150.0, 1.0),  # deposit North
        ("restatement", "h3", 100.0, 110.0, 0.5),
    ]


def test_passing_instances_are_rows_too(audited: Path) -> None:
    passing = query(
        audited,
        f"""
        select check_name, count(*) from ({ALL_INSTANCES})
        where not {FAILING} and filing_id = 'h1' and severity = 'warn'
        group by all order by all
        """,
    )
    assert passing == [
        ("contained_metal", 1),
        ("equivalent_grade", 1),
        ("footing", 1),
        ("grade_range", 6),
        ("irr_range", 1),
        ("narrative_matches_table", 1),
        ("npv_rises_with_price_deck", 2),
        ("payback_positive", 1),
        ("per_share_amount", 1),
        ("quarters_sum_to_year", 1),
        ("same_value_across_tables", 1),
    ]
    detail = query(
        audited,
        "select detail from audit.audit_contained_metal where observed = 2205",
    )
    assert detail == [("ratio 1.000 = 2205.0 Mlb / (100.0 Mt x 1.0 % x 22.046226)",)]


def test_quarantined_versions_reach_no_mart(audited: Path) -> None:
    rows = query(
        audited,
        """
        select filing_id, status, parse_status, is_current_version
        from marts.dim_filing order by filing_id
        """,
    )
    # the newer version h1v2 lacks a company name: quarantined, and h1 stays current
    assert rows == [
        ("h1", "parsed", "parsed", True),
        ("h1v2", "quarantined", "parsed", False),
        ("h2", "quarantined", "parsed", False),
        ("h3", "parsed", "parsed", True),
    ]
    reasons = dict(
        query(audited, "select filing_id, quarantine_reasons from audit.quarantined_filings")
    )
    assert reasons["h1v2"] == (
        "filing_metadata: Missing company name (needed to name the company and place the "
        "filing in time)"
    )
    assert reasons["h2"].count(";") == 3 and "not allowed: dwt" in reasons["h2"]
    for table in ("fct_financial_facts", "fct_mineral_estimates", "fct_mineral_grades"):
        filings = query(audited, f"select distinct filing_id from marts.{table} order by 1")
        assert ("h2",) not in filings and ("h1v2",) not in filings, table
    assert query(audited, "select filing_count from marts.dim_company") == [(2,)]


@pytest.fixture(scope="module")
def samples_audit(sample_warehouse: BuiltWarehouse) -> Path:
    """The sample filings' build database, built once per session by the real pipeline."""
    return sample_warehouse.build_db


@pytest.fixture(scope="module")
def real_audit(real_warehouse: BuiltWarehouse) -> Path:
    """The real filing's build database (beside it, an unreadable file, quarantined)."""
    return real_warehouse.build_db


def failing_with_file(db: Path) -> list[tuple]:
    return query(
        db,
        f"""
        select check_name, source_file, source_line, round(expected, 3), round(observed, 3)
        from ({ALL_INSTANCES}) where {FAILING}
        order by check_name, source_file, source_line, subject
        """,
    )


def test_samples_are_not_quarantined(samples_audit: Path) -> None:
    assert query(samples_audit, "select count(*) from audit.quarantined_filings") == [(0,)]
    assert query(samples_audit, f"select count(*) from audit.audit_structural where {FAILING}") == [
        (0,)
    ]


def test_samples_fail_only_where_the_samples_differ(samples_audit: Path) -> None:
    k24 = "kestrel-ridge-2024-annual-mda.txt"
    q3 = "kestrel-ridge-2024-q3-mda.txt"
    assert failing_with_file(samples_audit) == [
        # the deliberate restatement of Q3 2023 deferred tax, and what follows from it
        ("restatement", k24, 86, -18121337.0, -18307337.0),
        ("restatement", k24, 110, 312400.0, 126400.0),
        ("restatement", q3, 72, 412600.0, 226600.0),
        ("restatement", q3, 73, -4453107.0, -4639107.0),
    ]


def test_real_filing_is_not_quarantined_and_its_inconsistencies_are_listed(
    real_audit: Path,
) -> None:
    assert query(real_audit, "select source_file, status from marts.dim_filing order by 1") == [
        ("entree-gold-2012-annual-mda.txt", "parsed"),
        (GARBAGE_NAME, "quarantined"),
    ]
    rows = query(
        real_audit,
        f"""
        select check_name, source_line, round(expected, 3), round(observed, 3), detail
        from ({ALL_INSTANCES}) where {FAILING} and source_file <> '{GARBAGE_NAME}'
        order by check_name, source_line, subject
        """,
    )
    names = [(r[0], r[1], r[3]) for r in rows]
    assert names == [
        # Table 1, the reserve: the metal is not tonnage x grade (recovered metal, it seems),
        # and "Au (Moz)" prints koz (521)
        ("contained_metal", 164, 3.229),
        ("contained_metal", 164, 521.0),
        ("contained_metal", 164, 1090.0),
        ("contained_metal", 165, 3.229),
        ("contained_metal", 165, 521.0),
        ("contained_metal", 165, 1090.0),
        # Indicated CuEq printed 2.00; the stated formula on the printed grades gives 2.02
        ("equivalent_grade", 200, 2.0),
        # prose "interest expense was $38,910" is the net of expense and income
        ("narrative_matches_table", 538, -38910.0),
        ("narrative_matches_table", 538, 190391.0),
        # the quarterly table puts stock-based compensation and depreciation into
        # exploration and G&A; the annual table shows them apart
        ("quarters_sum_to_year", 376, -17679174.0),  # 2011
        ("quarters_sum_to_year", 376, -8234354.0),  # 2012
        ("quarters_sum_to_year", 377, -6453827.0),
        ("quarters_sum_to_year", 377, -5199107.0),
    ]
    ratios = sorted(r[4].split(" = ")[0] for r in rows if r[0] == "contained_metal")
    assert ratios == ["ratio 0.866"] * 2 + ["ratio 0.922"] * 2 + ["ratio 843.128"] * 2


def test_dbt_and_python_read_the_same_allowed_values(samples_audit: Path) -> None:
    """dbt renders the allowed-values var as SQL; the mart suites read the same file in Python."""
    allowed = load_allowed_values(DBT_PROJECT)
    built: dict[str, set[str]] = {}
    for domain, value in query(
        samples_audit, "select domain, value from audit.audit_allowed_values"
    ):
        built.setdefault(domain, set()).add(value)
    assert built == {
        "estimate_category": set(allowed.estimate_category),
        "grade_unit": set(allowed.grade_unit),
        "contained_unit": set(allowed.contained_unit),
        "commodity": set(allowed.commodity),
        "filing_status": set(allowed.filing_status),
        "period_months": {str(m) for m in allowed.period_months},
        "fact_unit": {allowed.fact_unit_pattern},
    }
    # The structural audit judged the samples' values against those sets (five domains per
    # filing), and passed them.
    filings = query(samples_audit, "select count(*) from raw.filings")[0][0]
    assert filings == len(list(SAMPLES_DIR.glob("*.txt")))
    assert query(
        samples_audit,
        "select count(*), count(*) filter (where observed > 0) from audit.audit_structural"
        " where check_name = 'allowed_values'",
    ) == [(filings * 5, 0)]
