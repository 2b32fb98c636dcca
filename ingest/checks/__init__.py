"""Checks the parser computes from what it read (footings: printed totals against their parts)."""
