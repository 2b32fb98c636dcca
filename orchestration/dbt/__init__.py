"""The dbt stage: staging -> intermediate -> marts built by dbt-duckdb in the build database."""
