"""The quality stage: Great Expectations suites as asset checks between dbt and publishing."""
