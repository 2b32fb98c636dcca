"""The suites, the runner and the verdicts, on small frames: no dbt, no Dagster."""

import re

import duckdb
import pandas as pd
import pytest

from conftest import REPO_ROOT
from expectations.allowed_values import AllowedValues, load_allowed_values
from expectations.catalogue import (
    AUDIT_MODELS,
    CHECK_INSTANCE_COLUMNS,
    CHECKS,
    ERROR,
    MART_SUITES,
    WARN,
    checks_in,
    severity_of,
)
from expectations.runner import Validator
from expectations.suites import (
    CHECK_FAMILY,
    CHECK_SEVERITY,
    audit_suite,
    mart_suites,
    with_audit_pairs,
)
from expectations.verdicts import message, number, verdicts
from orchestration import gate
from orchestration.names import VERDICTS_TABLE
from orchestration.quality import store

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(run_name="test-run")


@pytest.fixture(scope="module")
def allowed() -> AllowedValues:
    return load_allowed_values(REPO_ROOT / "dbt_project")


def _audit_frame(rows: list[dict]) -> pd.DataFrame:
    base = {
        "check_id": None,
        "check_name": "footing",
        "check_family": "footing",
        "severity": WARN,
        "filing_id": "f1",
        "company_id": "c1",
        "source_file": "acme-2024.txt",
        "subject": "Table 2 'Net loss', column 2024-12-31/12m",
        "table_index": 2,
        "source_line": 40,
        "expected": 100.0,
        "observed": 100.0,
        "tolerance": 1.5,
        "lower_bound": 98.5,
        "upper_bound": 101.5,
        "unit": "USD",
        "detail": None,
    }
    assert set(base) == {c for c, _ in CHECK_INSTANCE_COLUMNS}  # the columns of an audit row
    return pd.DataFrame([{**base, "check_id": f"id{i}", **r} for i, r in enumerate(rows)])


def test_catalogue_is_consistent():
    assert set(AUDIT_MODELS) == {c.model for c in CHECKS.values()}
    assert {c.severity for c in CHECKS.values()} == {ERROR, WARN}
    # Integrity of our records is an error; every inconsistency of a filing is a warning.
    assert {c.family for c in CHECKS.values() if c.severity == ERROR} == {"structural"}
    assert [c.name for c in checks_in("audit_economics")] == [
        "npv_falls_with_discount_rate",
        "irr_range",
        "payback_positive",
        "npv_rises_with_price_deck",
    ]
    assert severity_of("no_such_check") == ERROR


def test_bounds_decide_each_instance(validator):
    frame = _audit_frame(
        [
            {},  # 100 within 98.5..101.5
            {"observed": 103.0, "source_line": 41},  # above
            {"observed": 98.5},  # on the bound: passes
            {"observed": 12.0, "expected": None, "lower_bound": 0, "upper_bound": 10,
             "check_name": "footing"},
            {"observed": 5.0, "lower_bound": None, "upper_bound": None},  # unbounded
        ]
    )  # fmt: skip
    outcome = validator.validate(audit_suite("audit_footings"), with_audit_pairs(frame))
    assert outcome.failed_rows() == {1, 3}
    assert outcome.other_failures() == []
    judged = verdicts(frame, outcome)
    assert [v["status"] for v in judged] == ["pass", "warn", "pass", "warn", "pass"]
    assert judged[1]["message"] == (
        "acme-2024.txt, table 3, line 41: footing: Table 2 'Net loss', column 2024-12-31/12m:"
        " expected 100 ± 1.5 USD, observed 103 USD"
    )
    assert "observed 12 USD, allowed [0, 10]" in judged[3]["message"]


def test_integrity_expectations_catch_malformed_audit_rows(validator):
    frame = _audit_frame([{"severity": ERROR}, {"check_name": "made_up"}, {"check_id": "id0"}])
    outcome = validator.validate(audit_suite("audit_footings"), with_audit_pairs(frame))
    broken = {(f.expectation, f.column) for f in outcome.other_failures()}
    assert broken == {
        ("expect_column_values_to_be_in_set", CHECK_SEVERITY),  # the error severity
        ("expect_column_values_to_be_in_set", CHECK_FAMILY),  # made_up has no family
        ("expect_column_values_to_be_in_set", "check_name"),
        ("expect_column_values_to_be_unique", "check_id"),
    }
    # The catalogue, not the row, gives the severity of a failure.
    failing = _audit_frame([{"severity": ERROR, "observed": 0.0}])
    judged = verdicts(
        failing, validator.validate(audit_suite("audit_footings"), with_audit_pairs(failing))
    )
    assert (judged[0]["severity"], judged[0]["status"]) == (WARN, WARN)


def test_mart_suite_finds_bad_rows(validator, allowed):
    spec = next(s for s in mart_suites(allowed) if s.mart == "fct_mineral_grades")
    frame = pd.DataFrame(
        {
            "estimate_id": ["e1", "e1", "e2"],
            "commodity": ["Cu", "Cu", "Au"],
            "grade_unit": ["%", "%", "oz/t"],
            "contained_unit": ["Mlb", "Mlb", "Moz"],
            "grade": [0.5, 0.5, -1.0],
            "contained": [10.0, 10.0, 1.0],
            "filing_id": ["f1", "f1", "f2"],
        }
    )
    outcome = validator.validate(spec.suite(), frame)
    found = {(f.expectation, f.column): sorted(f.rows) for f in outcome.failures}
    assert found[("expect_column_values_to_be_in_set", "grade_unit")] == [2]
    assert found[("expect_column_values_to_be_between", "grade")] == [2]
    assert ("expect_compound_columns_to_be_unique", "estimate_id, commodity") in found


def test_numbers_read_like_a_filing():
    assert number(15196129.0) == "15,196,129"
    assert number(0.6378) == "0.6378"
    assert number(None) == "?"
    row = {"source_file": "x.txt", "check_name": "irr_range", "subject": "Base case IRR",
           "observed": 140.0, "lower_bound": 0.0, "upper_bound": 100.0, "unit": "%"}  # fmt: skip
    assert message(row) == "x.txt: irr_range: Base case IRR: observed 140 %, allowed [0, 100] %"


def test_store_validates_only_new_or_changed_rows(validator, tmp_path):
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    store.ensure_tables(con)
    con.execute("CREATE SCHEMA audit")
    frame = _audit_frame([{}, {"observed": 200.0}])
    con.register("frame", frame)
    con.execute("CREATE TABLE audit.audit_footings AS SELECT * FROM frame")

    def validate_pending() -> int:
        judged = []
        for pending in store.pending_audit_batches(con, "audit", "audit_footings"):
            outcome = validator.validate(
                audit_suite("audit_footings"), with_audit_pairs(pending.drop(columns=["row_hash"]))
            )
            judged += verdicts(pending, outcome)
            for v, h in zip(judged[-len(pending) :], pending["row_hash"], strict=True):
                v["row_hash"] = h
        store.save_verdicts(con, "audit", "audit_footings", judged, "run")
        return len(judged)

    assert validate_pending() == 2
    assert validate_pending() == 0  # nothing changed: nothing validated again
    con.execute("UPDATE audit.audit_footings SET observed = 100 WHERE check_id = 'id1'")
    assert validate_pending() == 1
    con.execute("DELETE FROM audit.audit_footings WHERE check_id = 'id0'")
    assert validate_pending() == 0
    assert con.execute(f"SELECT check_id, status FROM {VERDICTS_TABLE} ORDER BY 1").fetchall() == [
        ("id1", "pass")
    ]
    assert gate.gate(con) is None
    gate.record_gate(con, "run", ["marts.dim_filing: broken"])
    assert gate.gate(con) == (False, ["marts.dim_filing: broken"])
    assert gate.publish_blocker(con).startswith("blocking consistency checks failed")
    con.close()


def test_pending_audit_rows_come_a_batch_of_filings_at_a_time(tmp_path):
    """A backfill's audit rows are validated a batch of filings at a time, so memory holds
    one batch; a filing's rows are never split, and rows without a filing come last."""
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    store.ensure_tables(con)
    con.execute("CREATE SCHEMA audit")
    frame = _audit_frame(
        [{"filing_id": "f2"}, {"filing_id": "f1"}, {"filing_id": "f2"}, {"filing_id": None}]
    )
    con.register("frame", frame)
    con.execute("CREATE TABLE audit.audit_footings AS SELECT * FROM frame")
    batches = [
        sorted(map(str, b["filing_id"].tolist()))
        for b in store.pending_audit_batches(con, "audit", "audit_footings", per_batch=1)
    ]
    assert batches == [["f1"], ["f2", "f2"], ["None"]]
    together = list(store.pending_audit_batches(con, "audit", "audit_footings", per_batch=10))
    assert [len(b) for b in together] == [3, 1]
    con.close()


def test_readme_documents_every_check_with_its_severity():
    readme = (REPO_ROOT / "README.md").read_text()
    for check in CHECKS.values():
        assert f"| `{check.name}` | {check.family} | {check.severity} |" in readme, check.name


def test_every_mart_in_the_catalogue_has_a_suite_with_its_filing_column(allowed):
    suites = mart_suites(allowed)
    assert [(s.mart, s.filing_column) for s in suites] == list(MART_SUITES.items())
    assert all(s.expectations for s in suites)


def test_allowed_values_are_read_from_the_dbt_project(allowed):
    # What the parser emits today and what the marts promise, read from dbt_project.yml.
    assert (
        "total" in allowed.estimate_category and "measured_indicated" in allowed.estimate_category
    )
    assert allowed.grade_unit == ("%", "g/t") and allowed.contained_unit == ("Mlb", "Moz", "Mt")
    assert {"Cu", "Au", "U3O8", "Li2O", "Cg", "Nb2O5", "TREO", "WO3", "CuEq"} <= set(
        allowed.commodity
    )
    assert allowed.period_months == (0, 3, 6, 9, 12)
    # YAML reads some bare words as booleans or numbers (no, on, 1e3): every symbol is text.
    for domain in ("estimate_category", "grade_unit", "contained_unit", "commodity"):
        values = getattr(allowed, domain)
        assert all(isinstance(v, str) and v for v in values), domain
        assert len(set(values)) == len(values), domain
    pattern = re.compile(allowed.fact_unit_regex)
    assert all(pattern.match(u) for u in ("USD", "CAD/share", "AUD/oz", "shares", "Mlb", "%"))
    assert not any(pattern.match(u) for u in ("dollars", "USD/unit", "usd", "grams per tonne"))


def test_the_parsers_commodities_and_classes_are_the_warehouses(allowed):
    # The parser normalises units by commodity class and dbt re-derives them from the vars:
    # a commodity added to one and not the other would be refused or mis-scaled.
    import yaml

    from ingest.lexicon.commodities import COMMODITIES, NORMAL_CONTAINED_UNIT, NORMAL_GRADE_UNIT

    assert set(allowed.commodity) == set(COMMODITIES)
    classes = yaml.safe_load((REPO_ROOT / "dbt_project" / "dbt_project.yml").read_text())["vars"][
        "commodity_classes"
    ]
    for cls in ("precious", "bulk"):
        assert set(classes[cls]) == {s for s, (c, _) in COMMODITIES.items() if c == cls}, cls
    assert set(NORMAL_GRADE_UNIT.values()) == set(allowed.grade_unit)
    assert set(NORMAL_CONTAINED_UNIT.values()) == set(allowed.contained_unit)


def test_mart_suites_allow_the_dbt_projects_values(validator, allowed):
    spec = next(s for s in mart_suites(allowed) if s.mart == "fct_mineral_estimates")
    frame = pd.DataFrame(
        {
            "estimate_id": ["e1", "e2", "e3"],
            "filing_id": ["f1", "f1", "f1"],
            "category": [allowed.estimate_category[0], allowed.estimate_category[-1], "possible"],
            "tonnage_mt": [1.0, 2.0, 3.0],
        }
    )
    outcome = validator.validate(spec.suite(), frame)
    assert [(f.expectation, f.column, f.rows) for f in outcome.failures] == [
        ("expect_column_values_to_be_in_set", "category", [2])
    ]
