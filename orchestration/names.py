"""Schema and table names of the build database and the published file, in one place.

Every stage reads and writes relations named here, so no stage imports another to learn a
table's name. The dbt schemas are set in ``dbt_project/dbt_project.yml`` (``+schema``);
``tests/test_layout.py`` checks that the two agree.
"""

from __future__ import annotations

RAW = "raw"  # what the filings stage writes: the raw store and the parsed tables
STAGING = "staging"
INTERMEDIATE = "intermediate"
MARTS = "marts"
AUDIT = "audit"
BI = "bi"
# Our own bookkeeping in the build database (dbt results, verdicts, the gate): never published.
ORCHESTRATION = "orchestration"

DBT_SCHEMAS = (STAGING, INTERMEDIATE, MARTS, AUDIT, BI)
PUBLISHED_SCHEMAS = (MARTS, AUDIT, BI)

# Build database, schema orchestration.
DBT_RESULTS_TABLE = f"{ORCHESTRATION}.dbt_results"
VERDICTS_TABLE = f"{ORCHESTRATION}.check_verdicts"
VALIDATED_TABLE = f"{ORCHESTRATION}.validated_filings"
GATE_TABLE = f"{ORCHESTRATION}.quality_gate"
# Each published file's sha256: the file cannot hold its own hash.
PUBLICATIONS_TABLE = f"{ORCHESTRATION}.publications"

# dbt models read by name outside dbt.
FILINGS_VERSIONED = f"{INTERMEDIATE}.int_filings_versioned"
DIM_FILING = f"{MARTS}.dim_filing"
QUARANTINED_FILINGS = f"{AUDIT}.quarantined_filings"

# Written by the publish step into the published file only.
CHECK_RESULTS_TABLE = f"{AUDIT}.check_results"
PUBLICATION_TABLE = f"{AUDIT}.publication"
