"""The check-instance columns: declared once as an enforced dbt contract, read by Python.

dbt enforces the contract on every audit model; Python's copy of the column list
(``expectations.catalogue.CHECK_INSTANCE_COLUMNS``) is compared with it here, so the two
cannot drift apart.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from conftest import REPO_ROOT
from expectations.catalogue import AUDIT_MODELS, CHECK_INSTANCE_COLUMNS, VERDICT_COLUMNS
from orchestration.publish.check_results import CHECK_RESULTS_COLUMNS, column_descriptions
from orchestration.quality.store import VERDICT_DDL

pytestmark = pytest.mark.unit

AUDIT_YML = REPO_ROOT / "dbt_project" / "models" / "audit" / "_audit.yml"


def audit_models() -> dict[str, dict[str, Any]]:
    """The audit models' properties as dbt reads them (YAML anchors resolved)."""
    return {m["name"]: m for m in yaml.safe_load(AUDIT_YML.read_text())["models"]}


def test_every_audit_model_enforces_the_check_instance_contract() -> None:
    models = audit_models()
    contracted = {
        name
        for name, m in models.items()
        if m.get("config", {}).get("contract", {}).get("enforced")
    }
    # Exactly the models the catalogue validates hold check instances under the contract.
    assert contracted == set(AUDIT_MODELS)
    for name in AUDIT_MODELS:
        declared = [(c["name"], c["data_type"].upper()) for c in models[name]["columns"]]
        assert declared == list(CHECK_INSTANCE_COLUMNS), name
        assert all(c.get("description") for c in models[name]["columns"]), name


def test_verdicts_keep_the_instance_columns_and_add_the_outcome() -> None:
    instance = dict(CHECK_INSTANCE_COLUMNS)
    verdict = dict(VERDICT_COLUMNS)
    assert set(verdict) == set(instance) - {"detail"} | {"status", "message"}
    assert all(verdict[c] == t for c, t in instance.items() if c in verdict)
    # The store and audit.check_results hold every verdict column, with the same types.
    for table in (dict(VERDICT_DDL), dict(CHECK_RESULTS_COLUMNS)):
        assert {c: table.get(c) for c in verdict} == verdict


def test_check_results_columns_are_described_from_the_contract() -> None:
    manifest = {
        "nodes": {
            "model.p.audit_footings": {
                "resource_type": "model",
                "name": "audit_footings",
                "columns": {c: {"description": f"about {c}"} for c, _ in CHECK_INSTANCE_COLUMNS},
            }
        }
    }
    described = column_descriptions(manifest)
    assert set(described) == {c for c, _ in CHECK_RESULTS_COLUMNS}
    assert described["observed"] == "about observed"
    # Without a manifest only the columns the audit models lack are described.
    assert set(column_descriptions(None)) == {"run_id", "status", "message", "check_source",
                                               "model", "checked_at"}  # fmt: skip
