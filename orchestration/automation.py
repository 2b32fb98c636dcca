"""When the assets downstream of the raw tables rebuild on their own (declarative automation)."""

from __future__ import annotations

import dagster as dg


def refresh_condition() -> dg.AutomationCondition:
    """Rebuild when an upstream asset was updated and nothing upstream is still running.

    ``eager()`` also waits while any upstream partition is missing; a filing whose run
    failed would then hold the whole warehouse back, so that clause is dropped.
    """
    return dg.AutomationCondition.eager().without(~dg.AutomationCondition.any_deps_missing())
