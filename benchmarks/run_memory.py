"""Peak memory of ``python -m orchestration run``: this process and its children apart.

    WAREHOUSE_DIR=... WAREHOUSE_BUILD_DB=... DAGSTER_HOME=... python benchmarks/run_memory.py

Runs the CLI in this process, then reports the maximum resident set size of this process
(Dagster, the raw store, the rows) and of the largest child it waited for (the parsing
process, dbt). Linux reports both in KiB.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from orchestration.__main__ import main  # noqa: E402

if __name__ == "__main__":
    t0 = time.perf_counter()
    code = main(["run"])
    wall = time.perf_counter() - t0
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"exit {code} in {wall:.1f} s; peak RSS: this process {own:.0f} MB,"
        f" largest child {children:.0f} MB",
        file=sys.stderr,
    )
    sys.exit(code)
