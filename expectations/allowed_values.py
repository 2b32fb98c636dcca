"""The values the warehouse accepts, read from their one source: the dbt project's vars.

``dbt_project/dbt_project.yml`` declares ``allowed_values`` (categories, units, commodities,
statuses, period lengths) and ``fact_unit_pattern``; dbt's structural audit and tests read
them with ``var()``, and the mart suites read them through this module, so a new commodity
or category is one line in that file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class AllowedValues:
    """The allowed set of each domain, as the dbt project declares it."""

    estimate_category: tuple[str, ...]
    grade_unit: tuple[str, ...]
    contained_unit: tuple[str, ...]
    commodity: tuple[str, ...]
    filing_status: tuple[str, ...]
    period_months: tuple[int, ...]
    fact_unit_pattern: str  # a regular expression a whole fact unit must match

    @property
    def fact_unit_regex(self) -> str:
        """``fact_unit_pattern`` anchored at both ends, as DuckDB's regexp_full_match reads it."""
        return f"^(?:{self.fact_unit_pattern})$"


def load_allowed_values(dbt_project_dir: Path) -> AllowedValues:
    """The allowed values declared in ``dbt_project_dir/dbt_project.yml``."""
    variables = yaml.safe_load((dbt_project_dir / "dbt_project.yml").read_text())["vars"]
    sets = variables["allowed_values"]
    return AllowedValues(
        estimate_category=tuple(sets["estimate_category"]),
        grade_unit=tuple(sets["grade_unit"]),
        contained_unit=tuple(sets["contained_unit"]),
        commodity=tuple(sets["commodity"]),
        filing_status=tuple(sets["filing_status"]),
        period_months=tuple(int(m) for m in sets["period_months"]),
        fact_unit_pattern=variables["fact_unit_pattern"],
    )
