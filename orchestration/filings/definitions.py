"""Definitions of the filings stage."""

from __future__ import annotations

import dagster as dg

from .assets import filing_records, parsed_filings, raw_files
from .sensors import build_inbox_sensor, ingest_job


def build_defs() -> dg.Definitions:
    """Assets, job and sensor of the filings stage."""
    return dg.Definitions(
        assets=[raw_files, filing_records, parsed_filings],
        jobs=[ingest_job],
        sensors=[build_inbox_sensor()],
    )
