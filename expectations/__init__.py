"""Data-consistency checks (Great Expectations suites) run between dbt and publishing.

The suites arrive with the consistency-checks issue; until then this package is empty and
publishing depends on the dbt models (and their dbt tests) only.
"""
