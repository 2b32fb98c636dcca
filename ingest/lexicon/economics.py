"""Study-economics vocabulary: the metrics a table row or column header names."""

from __future__ import annotations

import re
from functools import lru_cache

# Row or header label -> metric, most specific first.
LABEL_METRICS = [
    (re.compile(r"net\s+present\s+value|\bNPV", re.I), "npv"),
    (re.compile(r"internal\s+rate\s+of\s+return|\bIRR\b", re.I), "irr"),
    (re.compile(r"\bpay[\s-]?back\b", re.I), "payback"),
    (re.compile(r"sustaining\s+capital|sustaining\s+capex", re.I), "sustaining_capex"),
    (re.compile(r"all[\s-]in\s+sustaining|\bAISC\b", re.I), "aisc"),
    (
        re.compile(
            r"(?:initial|pre-?production|development|construction|growth|start-?up|upfront)\s+"
            r"capital|\bcapex\b|\bcapital\s+(?:costs?|expenditures?)\b",
            re.I,
        ),
        "capex",
    ),
    (re.compile(r"\bcash\s+(?:operating\s+)?costs?\b|\bC1\b", re.I), "cash_cost"),
    (re.compile(r"\boperating\s+costs?\b|\bopex\b", re.I), "opex"),
    (re.compile(r"\brevenue\b|\bnet\s+smelter\s+return\b", re.I), "metal_revenue"),
    (re.compile(r"\bcash\s+flow\b", re.I), "cash_flow"),
    (re.compile(r"\bmine\s+life\b|\blife\s+of\s+mine\b", re.I), "mine_life"),
]
# A table that prints one of these is a table of study results.
KEY_METRICS = frozenset({"npv", "irr", "payback"})


# Pure, and asked about the same labels by several steps: computed once per label.
@lru_cache(maxsize=8192)
def metric_of(label: str) -> str | None:
    """The metric a row label or column header names ("NPV (8%)" -> "npv"), or None."""
    for pattern, metric in LABEL_METRICS:
        if pattern.search(label):
            return metric
    return None
