"""End to end: each check fixture makes its check fire, with its severity, in the published file.

Warn fixtures are loaded together with the clean filing (``conftest.checks_warehouse``, built
once by the daily job) and must publish with their warning; error fixtures are then added to
a copy of that warehouse and must be quarantined without disturbing the clean filing. Reads
``audit.check_results`` (contract section 3), ``marts.dim_filing`` and
``audit.quarantined_filings`` of the published warehouse.
"""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from conftest import BuiltWarehouse, load_check_fixtures, run_in_process, summary_text
from orchestration.publish.check_results import CHECK_RESULTS_COLUMNS

pytestmark = pytest.mark.e2e

CONTRACT_COLUMNS = [c for c, _ in CHECK_RESULTS_COLUMNS]
PASSING = ("pass", "skipped")
# Contract section 2: every check's family and severity.
FAMILY = {
    **dict.fromkeys(
        "filing_parsed filing_metadata single_filing unique_keys no_orphans allowed_values"
        " no_conflicting_duplicates".split(),
        "structural",
    ),
    "footing": "footing",
    **dict.fromkeys(
        "same_value_across_tables quarters_sum_to_year per_share_amount".split(), "within_filing"
    ),
    **dict.fromkeys(
        "contained_metal grade_tonnage_monotone grade_range equivalent_grade"
        " reserve_within_resource".split(),
        "mining_physics",
    ),
    **dict.fromkeys(
        "npv_falls_with_discount_rate irr_range payback_positive npv_rises_with_price_deck".split(),
        "economics",
    ),
    **dict.fromkeys(
        "metal_balance aisc_at_least_cash_cost operating_quarters_sum_to_year"
        " consolidated_equals_sum_of_mines metal_sales_match_revenue".split(),
        "operations",
    ),
    "narrative_matches_table": "narrative",
    "restatement": "across_filings",
}
# What one clean filing can exercise (a restatement needs two filings; the clean filing is an
# explorer's, with no operating results: the operating fixtures' own passing instances and
# the Harrier Lake samples exercise those).
CLEAN_EXERCISES = sorted(
    c for c, f in FAMILY.items() if f not in ("structural", "across_filings", "operations")
)

spec = load_check_fixtures()
WARN = [f for f in spec.ALL if f.folder == "warn"]
ERRORS = [f for f in spec.ALL if f.folder == "error"]


class Run:
    """A published warehouse and the summary `make run` prints for it."""

    def __init__(self, built: BuiltWarehouse) -> None:
        self.built = built
        self.published = built.published
        self.stdout = built.stdout

    def rows(self, sql: str, *params) -> list[tuple]:
        with duckdb.connect(str(self.published), read_only=True) as con:
            return con.execute(sql, list(params)).fetchall()

    def dicts(self, sql: str, *params) -> list[dict]:
        with duckdb.connect(str(self.published), read_only=True) as con:
            cur = con.execute(sql, list(params))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _has_contract(run: Run) -> bool:
    cols = {
        r[0]
        for r in run.rows(
            "select column_name from information_schema.columns"
            " where table_schema = 'audit' and table_name = 'check_results'"
        )
    }
    return set(CONTRACT_COLUMNS) <= cols


def _require_contract(run: Run) -> None:
    if not _has_contract(run):
        pytest.fail(
            "audit.check_results lacks the contract's columns (check_name, ...): the checks"
            " pipeline (contract section 3) has not landed"
        )


@pytest.fixture(scope="module")
def warn_run(checks_warehouse: BuiltWarehouse) -> Run:
    return Run(checks_warehouse)


@pytest.fixture(scope="module")
def error_runs(
    checks_warehouse: BuiltWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Run, dict]:
    """The error fixtures added to a copy of the warn warehouse: (run, the clean filing before)."""
    before_run = Run(checks_warehouse)
    _require_contract(before_run)
    before = {
        "check_results": before_run.dicts(
            "select check_name, status, subject, expected, observed from audit.check_results"
            " where source_file = ? order by all",
            spec.CLEAN_NAME,
        ),
        "marts": _mart_rows(before_run, spec.CLEAN_NAME),
        "dim_filing": before_run.rows(
            "select filing_id, company_id, status, version from marts.dim_filing"
            " where source_file = ?",
            spec.CLEAN_NAME,
        ),
    }
    built = checks_warehouse.copy_to(tmp_path_factory.mktemp("checks-error") / "copy")
    for f in ERRORS:
        shutil.copy(spec.path(f), built.inbox / f.name)
    report = run_in_process(built)
    assert report.failed_runs == [] and report.withheld is None, report
    built.stdout = summary_text(built)
    return Run(built), before


# -- helpers -------------------------------------------------------------------------

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?")


def numbers_in(text: str) -> list[tuple[float, float]]:
    """(value, half a unit of its last printed digit) for every number in ``text``."""
    out = []
    for m in _NUMBER.finditer(text or ""):
        token = m.group().replace(",", "")
        if "e" in token.lower():
            out.append((float(token), abs(float(token)) * 1e-6))
            continue
        decimals = len(token.split(".")[1]) if "." in token else 0
        out.append((float(token), 0.5 * 10**-decimals))
    return out


def mentions(message: str, targets: tuple[float, ...]) -> bool:
    """Does ``message`` print one of ``targets`` (sign aside) to its own precision?

    A relative 1e-4 more allows for the checks' own constants (22.046226 lb/kg x 1000 vs
    22.0462), far below any fixture's edit.
    """
    return any(
        abs(value - abs(t)) <= half + 1e-4 * abs(t)
        for value, half in numbers_in(message)
        for t in targets
    )


def _filing_ids(run: Run, names: list[str]) -> list[str]:
    marks = ", ".join("?" for _ in names)
    return [
        r[0]
        for r in run.rows(
            f"select filing_id from marts.dim_filing where source_file in ({marks})", *names
        )
    ]


def _results(run: Run, names: list[str]) -> list[dict]:
    ids = _filing_ids(run, names)
    marks = ", ".join("?" for _ in ids)
    return run.dicts(
        "select check_name, check_family, severity, status, filing_id, source_file, subject,"
        f" message from audit.check_results where filing_id in ({marks})",
        *ids,
    )


def _company_id(full_name: str) -> str:
    """The warehouse's company key for a printed name (slug, corporate suffix dropped)."""
    slug = re.sub(r"[^a-z0-9]+", "-", full_name.lower()).strip("-")
    return re.sub(r"(-(inc|corp|corporation|ltd|limited|llc|plc|co|company|pty))+$", "", slug)


def _mart_rows(run: Run, name: str, company: str | None = None) -> dict[str, list]:
    """Every mart and BI row of filing ``name``: by filing_id, else by its company."""
    found = run.rows(
        "select filing_id, company_id from marts.dim_filing where source_file = ?", name
    )
    fid, cid = found[0] if found else (None, None)
    cid = cid or company
    out = {}
    tables = run.rows(
        "select table_schema || '.' || table_name, list(column_name) from information_schema.columns"
        " where table_schema in ('marts', 'bi') group by all order by 1"
    )
    for table, columns in tables:
        rebuilt = [c for c in columns if c == "built_by_invocation_id"]
        exclude = f" exclude ({', '.join(rebuilt)})" if rebuilt else ""
        if "filing_id" in columns:
            where, key = "filing_id = ?", fid
        elif "company_id" in columns:
            where, key = "company_id = ?", cid
        else:
            continue
        out[table] = run.rows(f"select *{exclude} from {table} where {where} order by all", key)
    return out


def _group(fixture) -> list[str]:
    if fixture.group is None:
        return [fixture.name]
    return [f.name for f in WARN if f.group == fixture.group]


# -- warn fixtures: fire, publish ---------------------------------------------------------


def test_check_results_has_the_contract_columns(warn_run) -> None:
    _require_contract(warn_run)


@pytest.mark.parametrize("fixture", WARN, ids=[f.name for f in WARN])
def test_warn_fixture_fires_its_check(warn_run, fixture) -> None:
    _require_contract(warn_run)
    results = _results(warn_run, _group(fixture))
    fired = [r for r in results if r["check_name"] == fixture.check and r["status"] not in PASSING]
    assert fired, f"{fixture.check} did not fire for {fixture.name}"
    for r in fired:
        assert (r["status"], r["severity"]) == ("warn", "warn"), r
        assert r["check_family"] == FAMILY[fixture.check], r
        assert r["source_file"] in _group(fixture), r
    for targets in fixture.message_numbers:
        assert any(mentions(r["message"], targets) for r in fired), (
            f"no {fixture.check} message prints one of {targets}: "
            + " | ".join(r["message"] or "" for r in fired)
        )


@pytest.mark.parametrize("fixture", WARN, ids=[f.name for f in WARN])
def test_warn_fixture_fires_no_other_check(warn_run, fixture) -> None:
    _require_contract(warn_run)
    other = {
        (r["check_name"], r["status"], r["subject"], r["message"])
        for r in _results(warn_run, _group(fixture))
        if r["status"] not in PASSING and r["check_name"] != fixture.check
    }
    assert not other


@pytest.mark.parametrize("fixture", WARN, ids=[f.name for f in WARN])
def test_warn_fixture_is_published(warn_run, fixture) -> None:
    (status,) = warn_run.rows(
        "select status from marts.dim_filing where source_file = ? and is_current_version",
        fixture.name,
    )
    assert status == ("parsed",)
    (fid,) = _filing_ids(warn_run, [fixture.name])
    (facts,) = warn_run.rows(
        "select count(*) from marts.fct_financial_facts where filing_id = ?", fid
    )[0]
    assert facts > 0
    assert not warn_run.rows(
        "select * from audit.quarantined_filings where source_file = ?", fixture.name
    )


def test_warn_run_summary_counts_warnings(warn_run) -> None:
    _require_contract(warn_run)
    assert "0 quarantined" in warn_run.stdout
    (warned,) = warn_run.rows(
        "select count(distinct check_name) from audit.check_results where status = 'warn'"
    )[0]
    assert warned >= len({f.check for f in WARN})
    assert re.search(
        r"Checks: [\d,]+ run, 0 error\(s\) or failure\(s\), [1-9][\d,]* warning", warn_run.stdout
    ), warn_run.stdout


def test_clean_filing_raises_nothing_among_the_warn_fixtures(warn_run) -> None:
    _require_contract(warn_run)
    bad = [r for r in _results(warn_run, [spec.CLEAN_NAME]) if r["status"] not in PASSING]
    assert not bad


# -- the clean filing, then error fixtures added ---------------------------------------------


def test_clean_filing_passes_every_check_it_exercises(error_runs) -> None:
    run, before = error_runs
    statuses = {(r["check_name"], r["status"]) for r in before["check_results"]}
    assert {s for _, s in statuses} <= set(PASSING), sorted(statuses)
    passed = {name for name, status in statuses if status == "pass"}
    # Every family the clean filing carries has passing instances: no check skipped it.
    assert set(CLEAN_EXERCISES) <= passed, sorted(set(CLEAN_EXERCISES) - passed)
    assert before["dim_filing"] and before["dim_filing"][0][2] == "parsed"


@pytest.mark.parametrize("fixture", ERRORS, ids=[f.name for f in ERRORS])
def test_error_fixture_is_quarantined(error_runs, fixture) -> None:
    run, _ = error_runs
    (status,) = run.rows("select status from marts.dim_filing where source_file = ?", fixture.name)
    assert status == ("quarantined",)
    reasons = run.dicts(
        "select * from audit.quarantined_filings where source_file = ?", fixture.name
    )
    assert len(reasons) == 1
    text = " ".join(str(v) for v in reasons[0].values())
    assert fixture.check in text, reasons


@pytest.mark.parametrize("fixture", ERRORS, ids=[f.name for f in ERRORS])
def test_error_fixture_has_error_rows_and_no_mart_rows(error_runs, fixture) -> None:
    run, _ = error_runs
    results = _results(run, [fixture.name])
    fired = [r for r in results if r["check_name"] == fixture.check and r["status"] not in PASSING]
    assert fired and all((r["status"], r["severity"]) == ("error", "error") for r in fired), fired
    assert all(r["check_family"] == "structural" for r in fired)
    for targets in fixture.message_numbers:
        assert any(mentions(r["message"], targets) for r in fired), (targets, fired)
    company = _company_id(fixture.company.full) if fixture.company else None
    marts = _mart_rows(run, fixture.name, company)
    assert marts and marts["marts.dim_filing"]
    leaked = {t: rows for t, rows in marts.items() if rows and t != "marts.dim_filing"}
    assert not leaked
    if company:
        for (table,) in run.rows(
            "select distinct table_schema || '.' || table_name from information_schema.columns"
            " where table_schema in ('marts', 'bi') and column_name = 'company_id'"
        ):
            if table != "marts.dim_filing":
                assert not run.rows(f"select 1 from {table} where company_id = ?", company), table


def test_clean_filing_unchanged_by_quarantined_ones(error_runs) -> None:
    run, before = error_runs
    assert _mart_rows(run, spec.CLEAN_NAME) == before["marts"]
    assert (
        run.rows(
            "select filing_id, company_id, status, version from marts.dim_filing"
            " where source_file = ?",
            spec.CLEAN_NAME,
        )
        == before["dim_filing"]
    )
    after = run.dicts(
        "select check_name, status, subject, expected, observed from audit.check_results"
        " where source_file = ? order by all",
        spec.CLEAN_NAME,
    )
    assert after == before["check_results"]


@pytest.mark.parametrize("fixture", ERRORS, ids=[f.name for f in ERRORS])
def test_summary_names_the_quarantined_file_and_reason(error_runs, fixture) -> None:
    run, _ = error_runs
    published = len(WARN) + 1  # the warn fixtures and the clean filing
    assert f"{published} published, {len(ERRORS)} quarantined" in run.stdout, run.stdout
    lines = [
        line for line in run.stdout.splitlines() if "quarantined" in line and fixture.name in line
    ]
    assert lines and any(fixture.check in line for line in lines), run.stdout
