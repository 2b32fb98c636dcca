"""``python tests/fault_runner.py STEP ACTION``: ``python -m orchestration run`` with a fault.

The fault-injection tests run the pipeline through this script in a subprocess. When the run
reaches STEP, ACTION happens there:

- ``kill``: the process kills itself with SIGKILL, as the out-of-memory killer or a power
  cut would: nothing of the process's own clean-up runs;
- ``hang``: it writes ``FAULT_READY_FILE`` and sleeps, so a test can signal it mid-step.

Steps: ``ingest`` (parsing a filing), ``dbt`` (inside the dbt step, after dbt built),
``checks`` (the consistency checks), ``publish`` (the published file half written).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _fault(action: str):
    def fault(*args, **kwargs):
        if action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        Path(os.environ["FAULT_READY_FILE"]).write_text("ready")
        time.sleep(600)
        raise AssertionError("the hang was not interrupted")

    return fault


def install(step: str, action: str) -> None:
    """Replace the function each step calls with the fault."""
    fault = _fault(action)
    if step == "ingest":
        import orchestration.filings.assets as target

        target.parse_to_file = fault
    elif step == "dbt":
        import orchestration.dbt.assets as target

        target._relation_metadata = fault
    elif step == "checks":
        import orchestration.quality.validation as target

        target.validate_build = fault
    elif step == "publish":
        import orchestration.publish.publisher as target

        target._write_publication = fault
    else:
        raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    install(sys.argv[1], sys.argv[2])
    from orchestration.__main__ import main

    sys.exit(main(["run"]))
