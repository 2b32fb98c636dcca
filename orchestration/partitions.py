"""Partitions: one per filing, added by the inbox sensor (or the CLI) as filings arrive."""

from __future__ import annotations

import dagster as dg

filings_partitions = dg.DynamicPartitionsDefinition(name="filings")
