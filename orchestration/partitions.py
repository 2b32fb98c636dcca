"""Partitions: one per filing, added by the inbox sensor (or the CLI) as filings arrive."""

from __future__ import annotations

from collections.abc import Mapping

import dagster as dg

# Dagster exports no public name for these tags; this is the one place that spells them.
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

filings_partitions = dg.DynamicPartitionsDefinition(name="filings")


def range_tags(first: str, last: str) -> dict[str, str]:
    """Run tags that make one run of every partition from ``first`` to ``last``.

    With the single-run backfill policy of the filing assets, the range runs in one process:
    one writer of the build database for the whole batch.
    """
    return {ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last}


def range_of(tags: Mapping[str, str]) -> tuple[str, str] | None:
    """The (first, last) partition range the tags of a run ask for, if any."""
    first = tags.get(ASSET_PARTITION_RANGE_START_TAG)
    last = tags.get(ASSET_PARTITION_RANGE_END_TAG)
    return (first, last) if first is not None and last is not None else None
