"""The expectation suites, as code: one per dbt audit model, one per published mart.

An audit suite's two *bound* expectations decide each check instance: it passes when its
``observed`` lies within ``[lower_bound, upper_bound]`` (a missing bound is no bound). Its
other expectations guard the audit rows themselves (keys, names, severities); when those
fail, the checks cannot be trusted and publishing stops.

A mart suite holds column expectations on what users read: keys unique and present, values
from their domains and physical ranges.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import great_expectations as gx
import pandas as pd

from .allowed_values import AllowedValues
from .catalogue import CHECKS, MART_SUITES, checks_in

BOUND_ROLE = "bound"
INTEGRITY_ROLE = "integrity"


def _meta(role: str, **extra: object) -> dict[str, object]:
    return {"role": role, **extra}


# "check_name has this severity / family" as one column each, checked with an in-set
# expectation: GX's pandas ExpectColumnPairValuesToBeInSet walks the rows one by one
# (iterrows), which took some 20 s of a 1,000-filing backfill's validation.
CHECK_SEVERITY = "check_name_and_severity"
CHECK_FAMILY = "check_name_and_family"
_PAIR_SEPARATOR = " / "


def _pair(a: object, b: object) -> str:
    return f"{a}{_PAIR_SEPARATOR}{b}"


def with_audit_pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (audit rows) with the pair columns the audit suite checks."""

    def text(column: str) -> pd.Series:
        # A column the rows lack pairs as "None": never in the set, so the check fails.
        if column not in frame:
            return pd.Series("None", index=frame.index)
        return frame[column].astype(str)

    name = text("check_name")
    return frame.assign(
        **{
            CHECK_SEVERITY: name + _PAIR_SEPARATOR + text("severity"),
            CHECK_FAMILY: name + _PAIR_SEPARATOR + text("check_family"),
        }
    )


def audit_suite(model: str) -> gx.ExpectationSuite:
    """The suite for ``model``'s check instances."""
    checks = checks_in(model)
    names = [c.name for c in checks]
    return gx.ExpectationSuite(
        name=model,
        meta={"checks": {c.name: {"severity": c.severity, "why": c.why} for c in checks}},
        expectations=[
            gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="observed",
                column_B="lower_bound",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                description="Each check instance's observed value is at least its lower bound.",
                meta=_meta(BOUND_ROLE),
            ),
            gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="upper_bound",
                column_B="observed",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                description="Each check instance's observed value is at most its upper bound.",
                meta=_meta(BOUND_ROLE),
            ),
            gx.expectations.ExpectColumnValuesToNotBeNull(
                column="check_id", meta=_meta(INTEGRITY_ROLE)
            ),
            gx.expectations.ExpectColumnValuesToBeUnique(
                column="check_id", meta=_meta(INTEGRITY_ROLE)
            ),
            gx.expectations.ExpectColumnValuesToNotBeNull(
                column="filing_id", meta=_meta(INTEGRITY_ROLE)
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="check_name", value_set=names, meta=_meta(INTEGRITY_ROLE)
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column=CHECK_SEVERITY,
                value_set=[_pair(c.name, c.severity) for c in checks],
                description="Each check has the severity the catalogue gives it.",
                meta=_meta(INTEGRITY_ROLE),
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column=CHECK_FAMILY,
                value_set=[_pair(c.name, c.family) for c in checks],
                description="Each check is in the family the catalogue gives it.",
                meta=_meta(INTEGRITY_ROLE),
            ),
        ],
    )


@dataclass(frozen=True)
class MartSuite:
    """A mart's suite and the column that ties each row to its filing (None: no filing)."""

    mart: str
    filing_column: str | None
    expectations: list = field(default_factory=list)

    def suite(self) -> gx.ExpectationSuite:
        # Copies: GX refuses an expectation that already belongs to a suite, and a pass over
        # many filings builds the suite once per batch of them.
        return gx.ExpectationSuite(
            name=f"marts.{self.mart}", expectations=[copy.copy(e) for e in self.expectations]
        )


def _keys(*columns: str) -> list:
    out = [gx.expectations.ExpectColumnValuesToNotBeNull(column=c) for c in columns]
    if len(columns) == 1:
        out.append(gx.expectations.ExpectColumnValuesToBeUnique(column=columns[0]))
    else:
        out.append(gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=list(columns)))
    return out


def mart_suites(allowed: AllowedValues) -> list[MartSuite]:
    """Column expectations on every published fact and dimension table the catalogue lists.

    Domains come from ``allowed``: the dbt project's allowed values, which its structural
    audit and tests also use.
    """
    not_null = gx.expectations.ExpectColumnValuesToNotBeNull
    in_set = gx.expectations.ExpectColumnValuesToBeInSet
    between = gx.expectations.ExpectColumnValuesToBeBetween
    expectations = {
        "dim_filing": [
            *_keys("filing_id"),
            in_set(column="status", value_set=list(allowed.filing_status)),
            not_null(column="source_file"),
            not_null(column="content_sha256"),
        ],
        "dim_company": [*_keys("company_id"), not_null(column="company_name")],
        "dim_period": [
            *_keys("period_id"),
            not_null(column="end_date"),
            in_set(column="months", value_set=list(allowed.period_months)),
        ],
        "dim_property": [
            *_keys("property_id"),
            not_null(column="company_id"),
            not_null(column="property_name"),
            between(column="interest_pct", min_value=0, max_value=100),
            between(column="hectares", min_value=0),
        ],
        "fct_financial_facts": [
            *_keys("fact_id"),
            not_null(column="filing_id"),
            not_null(column="company_id"),
            not_null(column="period_id"),
            not_null(column="line_item"),
            not_null(column="value"),
            in_set(column="months", value_set=list(allowed.period_months)),
            gx.expectations.ExpectColumnValuesToMatchRegex(
                column="unit", regex=allowed.fact_unit_regex
            ),
        ],
        "fct_mineral_estimates": [
            *_keys("estimate_id"),
            not_null(column="filing_id"),
            in_set(column="category", value_set=list(allowed.estimate_category)),
            between(column="tonnage_mt", min_value=0),
        ],
        "fct_mineral_grades": [
            *_keys("estimate_id", "commodity"),
            in_set(column="grade_unit", value_set=list(allowed.grade_unit)),
            in_set(column="contained_unit", value_set=list(allowed.contained_unit)),
            between(column="grade", min_value=0),
            between(column="contained", min_value=0),
        ],
        "fct_study_economics": [
            *_keys("metric_id"),
            not_null(column="filing_id"),
            not_null(column="metric"),
            between(column="discount_rate_pct", min_value=0, max_value=100),
        ],
        "fct_operating_results": [
            *_keys("operating_result_id"),
            not_null(column="filing_id"),
            not_null(column="metric"),
            not_null(column="value"),
            in_set(column="scope", value_set=["mine", "consolidated"]),
        ],
    }
    if set(expectations) != set(MART_SUITES):
        # The catalogue decides which marts are checked (the Dagster checks are made from
        # it); a suite it does not list would never run, a listed mart without one would fail.
        raise ValueError(f"mart suites {sorted(expectations)} != catalogue {sorted(MART_SUITES)}")
    return [MartSuite(mart, column, expectations[mart]) for mart, column in MART_SUITES.items()]


def describe(check_name: str) -> str:
    """One line for Data Docs and messages: what the check asserts."""
    check = CHECKS.get(check_name)
    return check.summary if check else check_name
