"""The Dagster code location: inbox -> raw store -> parsed raw tables -> dbt -> published file.

It only wires: parsing lives in ``ingest``, models in ``dbt_project``. See the README.
"""
