"""Consistency checks as code: the catalogue, the Great Expectations suites and their runner.

``catalogue`` says which check has which severity and why; ``suites`` builds one suite per
dbt audit model and per mart; ``runner`` validates DataFrames read from DuckDB and renders
Data Docs; ``verdicts`` turns a suite's outcome into rows of ``audit.check_results``.
Nothing here imports Dagster: ``orchestration.quality`` wires it in.
"""
