"""Every consistency check the warehouse runs: its family, its severity and why.

The dbt audit models (``dbt_project/models/audit/audit_*.sql``) compute one row per check
instance, passing or not; the suites in ``expectations.suites`` decide which instances fail.
This module is the one place that says what a failure means for publishing.

* **error**: the integrity of *our* records is broken (a parse failure, a broken key, two
  values for one record). Such a filing cannot be trusted row by row, so it is quarantined:
  left out of the marts and listed with its reasons in ``audit.quarantined_filings``.
* **warn**: the filing disagrees with itself, with physics or with an earlier filing. That
  is what analysts want to see, so the filing publishes and carries the flag.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARN = "warn"

# The columns of a check instance (a row of any audit model), in order, with their DuckDB
# types. The enforced dbt contract in dbt_project/models/audit/_audit.yml declares them for
# SQL; tests/test_contracts.py fails when the two differ. Verdicts, the verdict store and
# audit.check_results take their columns from here.
CHECK_INSTANCE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("check_id", "VARCHAR"),
    ("check_name", "VARCHAR"),
    ("check_family", "VARCHAR"),
    ("severity", "VARCHAR"),
    ("filing_id", "VARCHAR"),
    ("company_id", "VARCHAR"),
    ("source_file", "VARCHAR"),
    ("subject", "VARCHAR"),
    ("table_index", "INTEGER"),
    ("source_line", "INTEGER"),
    ("expected", "DOUBLE"),
    ("observed", "DOUBLE"),
    ("tolerance", "DOUBLE"),
    ("unit", "VARCHAR"),
    ("lower_bound", "DOUBLE"),
    ("upper_bound", "DOUBLE"),
    ("detail", "VARCHAR"),
)


def _verdict_columns() -> tuple[tuple[str, str], ...]:
    columns: list[tuple[str, str]] = []
    for name, dtype in CHECK_INSTANCE_COLUMNS:
        if name == "detail":
            continue  # the message says it, with the numbers
        columns.append((name, dtype))
        if name == "severity":
            columns.append(("status", "VARCHAR"))  # beside the severity a failure takes
    return (*columns, ("message", "VARCHAR"))


# A verdict on one instance (expectations.verdicts): the instance's columns, its status and
# its message. Listed here, free of pandas and GX, because publishing reads it too.
VERDICT_COLUMNS: tuple[tuple[str, str], ...] = _verdict_columns()

_OURS = "Our records would be wrong: the filing is quarantined, never published half-right."
_FILINGS = "The filing's own inconsistency: it publishes, and the flag shows the numbers."


@dataclass(frozen=True)
class Check:
    name: str
    family: str
    model: str  # the dbt audit model that holds its instances
    severity: str
    summary: str  # what a passing instance means
    why: str  # why it has its severity


# name, family, model, severity, summary, why
_ROWS = [
    ("filing_parsed", "structural", "audit_structural", ERROR,
     "The filing could be read and parsed.", _OURS),
    ("filing_metadata", "structural", "audit_structural", ERROR,
     "The filing names its company and period end (from its text, header, sidecar or file name).",
     "Without them no record can be attributed or placed in time; a missing report type "
     "does not stop a filing (dim_filing shows it null)."),
    ("single_filing", "structural", "audit_structural", ERROR,
     "The file holds one filing, once: it does not repeat itself or run a second filing on.",
     "A filing pasted twice doubles every fact and estimate; a second filing's records would "
     "be read under the first's company and period."),
    ("unique_keys", "structural", "audit_structural", ERROR,
     "Record keys are unique within the filing.", _OURS),
    ("no_orphans", "structural", "audit_structural", ERROR,
     "Every child record has its parent (grade -> estimate, royalty -> property).", _OURS),
    ("allowed_values", "structural", "audit_structural", ERROR,
     "Category, unit and commodity come from their allowed sets.", _OURS),
    ("no_conflicting_duplicates", "structural", "audit_structural", ERROR,
     "One table never gives one concept and period two values.",
     "Which value is right cannot be decided, so none is published."),
    ("footing", "footing", "audit_footings", WARN,
     "Components sum to the printed total within printed precision.", _FILINGS),
    ("same_value_across_tables", "within_filing", "audit_cross_table", WARN,
     "A concept and period printed in two tables agree.", _FILINGS),
    ("quarters_sum_to_year", "within_filing", "audit_cross_table", WARN,
     "The four quarters of a flow item sum to the year.", _FILINGS),
    ("per_share_amount", "within_filing", "audit_cross_table", WARN,
     "Per-share amounts equal net income over the weighted average shares.", _FILINGS),
    ("contained_metal", "mining_physics", "audit_contained_metal", WARN,
     "Contained metal = tonnage x grade x unit factor within printed precision.",
     "A ratio far from 1 is recovered metal or a wrong unit label in the filing."),
    ("grade_tonnage_monotone", "mining_physics", "audit_grade_tonnage", WARN,
     "As the cut-off rises, tonnage does not rise and grade does not fall.", _FILINGS),
    ("grade_range", "mining_physics", "audit_grades", WARN,
     "Grades lie within physical ranges.", _FILINGS),
    ("equivalent_grade", "mining_physics", "audit_grades", WARN,
     "A stated equivalent-grade formula recomputes the printed grade.", _FILINGS),
    ("reserve_within_resource", "mining_physics", "audit_reserves", WARN,
     "Where resources include reserves, a reserve does not exceed its resource.", _FILINGS),
    ("npv_falls_with_discount_rate", "economics", "audit_economics", WARN,
     "NPV falls as the discount rate rises.", _FILINGS),
    ("irr_range", "economics", "audit_economics", WARN,
     "IRR lies between 0 and 100 %.", _FILINGS),
    ("payback_positive", "economics", "audit_economics", WARN,
     "Payback is positive.", _FILINGS),
    ("npv_rises_with_price_deck", "economics", "audit_economics", WARN,
     "NPV rises with the price deck across scenarios.", _FILINGS),
    ("narrative_matches_table", "narrative", "audit_narrative", WARN,
     "A number stated in prose equals the table's value.", _FILINGS),
    ("metal_balance", "operations", "audit_operating", WARN,
     "Metal produced = ore processed x head grade x recovery within printed precision.",
     _FILINGS),
    ("aisc_at_least_cash_cost", "operations", "audit_operating", WARN,
     "All-in sustaining cost is at least the cash cost of the same mine, period and metal.",
     _FILINGS),
    ("operating_quarters_sum_to_year", "operations", "audit_operating", WARN,
     "The quarters of an operating flow (ore, metal, capital) sum to its year or nine months.",
     _FILINGS),
    ("consolidated_equals_sum_of_mines", "operations", "audit_operating", WARN,
     "A consolidated operating flow equals the sum of the mines' figures.",
     _FILINGS),
    ("metal_sales_match_revenue", "operations", "audit_operating", WARN,
     "Metal sold x realised price equals revenue, for a company selling one metal.",
     _FILINGS),
    ("restatement", "across_filings", "audit_restatements", WARN,
     "A later filing's value for a period equals the earlier filing's.",
     "A restatement is news to analysts, not an error: flagged and published."),
]  # fmt: skip

CHECKS: dict[str, Check] = {row[0]: Check(*row) for row in _ROWS}
FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(c.family for c in CHECKS.values()))
AUDIT_MODELS: tuple[str, ...] = tuple(dict.fromkeys(c.model for c in CHECKS.values()))

# The published marts that have a suite (``expectations.suites.mart_suites``), each with the
# column tying a row to its filing; None for a small dimension, validated whole every run.
# Listed here, free of Great Expectations, so loading the Dagster definitions stays fast.
MART_SUITES: dict[str, str | None] = {
    "dim_filing": "filing_id",
    "dim_company": None,
    "dim_period": None,
    "dim_property": "last_filing_id",
    "fct_financial_facts": "filing_id",
    "fct_mineral_estimates": "filing_id",
    "fct_mineral_grades": "filing_id",
    "fct_study_economics": "filing_id",
    "fct_operating_results": "filing_id",
}


def checks_in(model: str) -> list[Check]:
    """The checks whose instances ``model`` holds."""
    return [c for c in CHECKS.values() if c.model == model]


def severity_of(check_name: str) -> str:
    """The catalogue's severity; an unknown check counts as an error, so it cannot slip by."""
    check = CHECKS.get(check_name)
    return check.severity if check else ERROR
