"""The publish stage: marts, audit and BI views copied into a new read-only DuckDB file."""
