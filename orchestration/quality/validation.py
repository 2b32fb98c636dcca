"""One validation pass over the build database: audit rows and marts, new rows only.

The suites come from ``expectations``; this module decides what to read (rows not judged in
their present form, mart rows of filings whose rows changed), stores the verdicts and says
whether publishing may go ahead.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from expectations.allowed_values import load_allowed_values
from expectations.catalogue import AUDIT_MODELS, CHECKS
from expectations.runner import Validator
from expectations.suites import audit_suite, mart_suites, with_audit_pairs
from expectations.verdicts import verdicts

from .. import paths
from ..database import table_exists
from ..gate import record_gate
from ..names import AUDIT, DIM_FILING, FILINGS_VERSIONED, MARTS, VERDICTS_TABLE
from . import store

STRUCTURAL_MODEL = CHECKS["filing_parsed"].model  # error severity: quarantines
_SHOWN = 20


@dataclass
class SuiteReport:
    """What one suite found, for the asset check's metadata."""

    relation: str
    instances: int = 0  # audit rows (or mart rows) in the relation now
    validated: int = 0  # rows validated in this pass
    failing: int = 0  # instances whose verdict is not 'pass' (audit) / failed expectations
    messages: list[str] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)


@dataclass
class QualityReport:
    """One validation pass: each suite's report, what blocks publishing, where the docs are."""

    run_id: str
    suites: dict[str, SuiteReport] = field(default_factory=dict)
    blocking: list[str] = field(default_factory=list)
    docs_index: Path | None = None
    seconds: float = 0.0


def _audit_pass(con: duckdb.DuckDBPyConnection, validator: Validator, model: str) -> SuiteReport:
    report = SuiteReport(relation=f"{AUDIT}.{model}")
    if not table_exists(con, f"{AUDIT}.{model}"):
        report.blocking.append(f"{report.relation} is missing: dbt did not build it")
        return report
    saved = False
    for pending in store.pending_audit_batches(con, AUDIT, model):
        outcome = validator.validate(
            audit_suite(model), with_audit_pairs(pending.drop(columns=["row_hash"]))
        )
        judged = verdicts(pending, outcome)
        for verdict, row_hash in zip(judged, pending["row_hash"], strict=True):
            verdict["row_hash"] = row_hash
        report.blocking += [
            f"{report.relation}: audit rows malformed: {f.describe()}"
            for f in outcome.other_failures()
        ]
        store.save_verdicts(con, AUDIT, model, judged, validator.run_id.run_name)
        report.validated += len(judged)
        saved = True
    if not saved:  # nothing new: still drop the verdicts of audit rows that are gone
        store.save_verdicts(con, AUDIT, model, [], validator.run_id.run_name)
    report.instances, report.failing = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE status <> 'pass') FROM {VERDICTS_TABLE}"
        " WHERE model = ?",
        [model],
    ).fetchone()
    report.messages = [
        f"{status.upper()}: {text}"
        for status, text in con.execute(
            f"SELECT status, message FROM {VERDICTS_TABLE} WHERE model = ?"
            " AND status <> 'pass' ORDER BY source_file, source_line NULLS LAST, check_name"
            f" LIMIT {_SHOWN}",
            [model],
        ).fetchall()
    ]
    return report


def _unquarantined_errors(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Error findings on a filing that was still published: the quarantine missed it."""
    if not table_exists(con, DIM_FILING):
        return []
    return [
        f"error finding on a filing that was not quarantined: {text}"
        for (text,) in con.execute(
            f"""
            SELECT v.message FROM {VERDICTS_TABLE} v
            JOIN {DIM_FILING} f ON f.filing_id = v.filing_id
            WHERE v.status = 'error' AND f.status <> 'quarantined'
            ORDER BY v.source_file, v.check_name
            """
        ).fetchall()
    ]


def _signatures(con: duckdb.DuckDBPyConnection):
    if not table_exists(con, FILINGS_VERSIONED):
        return con.execute("SELECT NULL::VARCHAR AS filing_id, NULL AS signature LIMIT 0").df()
    # A filing's mart rows change when it is re-parsed, changes status, or another filing of
    # its company changes (restatements, latest values): all are in this signature.
    return con.execute(
        f"""
        SELECT filing_id,
               md5(concat_ws('|', status, parsed_at, company_signature, company_id)) AS signature
        FROM {FILINGS_VERSIONED}
        """
    ).df()


def _mart_frames(
    con: duckdb.DuckDBPyConnection, mart: str, filing_column: str | None, changed: list[str]
) -> Iterator[pd.DataFrame]:
    """The mart rows to validate: a mart without a filing column whole (the dimensions, a
    few rows a company), else the rows of the changed filings, ``FILINGS_PER_BATCH`` filings
    at a time. A key unique within each batch is unique in the mart too where its rows
    belong to one filing; dbt's unique tests check every mart's keys whole as well."""
    if filing_column is None:
        yield con.execute(f"SELECT * FROM {MARTS}.{mart}").df()
        return
    per_batch = store.FILINGS_PER_BATCH
    for start in range(0, len(changed), per_batch):
        frame = con.execute(
            f"SELECT * FROM {MARTS}.{mart} WHERE {filing_column} IN (SELECT unnest(?::VARCHAR[]))",
            [changed[start : start + per_batch]],
        ).df()
        if not frame.empty:
            yield frame


def _mart_pass(con: duckdb.DuckDBPyConnection, validator: Validator) -> dict[str, SuiteReport]:
    signatures = _signatures(con)
    changed = store.changed_filings(con, signatures)
    reports: dict[str, SuiteReport] = {}
    all_passed = True
    for spec in mart_suites(load_allowed_values(paths.dbt_project_dir())):
        report = reports[spec.mart] = SuiteReport(relation=f"{MARTS}.{spec.mart}")
        if not table_exists(con, f"{MARTS}.{spec.mart}"):
            report.blocking.append(f"{report.relation} is missing: dbt did not build it")
            all_passed = False
            continue
        (report.instances,) = con.execute(f"SELECT count(*) FROM {MARTS}.{spec.mart}").fetchone()
        for frame in _mart_frames(con, spec.mart, spec.filing_column, changed):
            outcome = validator.validate(spec.suite(), frame)
            report.validated += len(frame)
            report.failing += len(outcome.failures)
            for failure in outcome.failures:
                filings = ""
                if spec.filing_column and failure.rows:
                    ids = frame.iloc[failure.rows][spec.filing_column].dropna().unique()[:5]
                    filings = f" (filings {', '.join(map(str, ids))})"
                text = f"{report.relation}: {failure.describe()}{filings}"
                report.messages.append(text)
                report.blocking.append(text)
            all_passed = all_passed and outcome.success
    if all_passed:
        store.mark_validated(con, signatures, changed, validator.run_id.run_name)
    return reports


def validate_build(con: duckdb.DuckDBPyConnection, validator: Validator) -> QualityReport:
    """Validate what changed in the build database and record the gate for publishing."""
    start = time.monotonic()
    store.ensure_tables(con)
    report = QualityReport(run_id=validator.run_id.run_name)
    for model in AUDIT_MODELS:
        report.suites[model] = _audit_pass(con, validator, model)
    store.drop_verdicts_of_missing_models(con, AUDIT_MODELS)
    report.suites[STRUCTURAL_MODEL].blocking += _unquarantined_errors(con)
    report.suites.update(_mart_pass(con, validator))
    report.blocking = [b for s in report.suites.values() for b in s.blocking]
    report.docs_index = validator.build_docs()
    report.seconds = time.monotonic() - start
    validated = sum(s.validated for s in report.suites.values())
    record_gate(con, report.run_id, report.blocking, validated, report.seconds)
    return report
