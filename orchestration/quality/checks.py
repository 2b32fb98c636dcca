"""The expectation suites as Dagster asset checks on the dbt audit models and marts.

All suites run in one op, so Great Expectations starts once per run. Every check is
blocking: an ERROR result (malformed audit rows, a mart breaking its column expectations,
an error finding on a filing that was not quarantined) stops the publish. A filing's own
inconsistencies come back as WARN results: reported, and the filing publishes.
"""

import importlib
import threading
from collections.abc import Iterator

import dagster as dg

from expectations.catalogue import AUDIT_MODELS, MART_SUITES

from .. import paths
from ..names import AUDIT, MARTS
from ..resources import BUILD_DB_POOL, WarehouseConfig

CHECK_NAME = "expectations"


def preload_expectations() -> threading.Thread:
    """Import Great Expectations in the background (about 3 s), e.g. while dbt runs.

    dbt is a child process: this process mostly waits for its output, so the import costs
    nothing there, and the checks that follow find the modules loaded.
    """
    thread = threading.Thread(
        target=importlib.import_module, args=("expectations.runner",), daemon=True
    )
    thread.start()
    return thread


def _checked_keys(dbt_models: dg.AssetsDefinition) -> list[dg.AssetKey]:
    wanted = [dg.AssetKey([AUDIT, m]) for m in AUDIT_MODELS]
    wanted += [dg.AssetKey([MARTS, m]) for m in MART_SUITES]
    present = set(dbt_models.keys)
    return [k for k in wanted if k in present]


def build_consistency_checks(dbt_models: dg.AssetsDefinition) -> dg.AssetChecksDefinition:
    """One blocking ``expectations`` check per audit model and mart, run together."""
    keys = _checked_keys(dbt_models)
    specs = [
        dg.AssetCheckSpec(
            CHECK_NAME,
            asset=key,
            blocking=True,
            description=(
                "Great Expectations: each check instance within its bounds"
                if key.path[0] == AUDIT
                else "Great Expectations: keys, domains and ranges of the mart's columns"
            ),
        )
        for key in keys
    ]

    @dg.multi_asset_check(
        specs=specs,
        name="consistency_checks",
        pool=BUILD_DB_POOL,
        description="The expectation suites over the rows that changed since the last run.",
    )
    def consistency_checks(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseConfig
    ) -> Iterator[dg.AssetCheckResult]:
        """Validates new and changed audit rows and mart rows; records the publish gate."""
        # Imported here: GX takes seconds to import, and loading definitions should not.
        from expectations.runner import Validator

        from .validation import validate_build

        validator = Validator(
            run_name=context.op_execution_context.run_id,
            docs_dir=warehouse.data_docs_path(),
            project_dir=warehouse.expectations_project_path(),
            assets_dir=paths.docs_assets_dir(),
        )
        with warehouse.build_connection() as con:
            report = validate_build(con, validator)
        context.log.info(
            f"validated in {report.seconds:.1f} s; {len(report.blocking)} blocking problem(s)"
        )
        for key in keys:
            suite = report.suites.get(key.path[1])
            if suite is None:
                continue
            blocked = bool(suite.blocking)
            yield dg.AssetCheckResult(
                asset_key=key,
                check_name=CHECK_NAME,
                passed=not blocked and suite.failing == 0,
                severity=dg.AssetCheckSeverity.ERROR if blocked else dg.AssetCheckSeverity.WARN,
                metadata={
                    "instances": suite.instances,
                    "validated_this_run": suite.validated,
                    "failing": suite.failing,
                    "findings": suite.messages or ["none"],
                    "blocking": suite.blocking or ["none"],
                    "data_docs": dg.MetadataValue.path(str(report.docs_index or "")),
                },
            )

    return consistency_checks
