"""Read mining-company MD&A filings into typed records with provenance.

A pure library: no Dagster, no database. ``parse_filing`` is the one entry point.
"""

from .model import ParsedFiling, UnreadableFiling
from .parser import PARSER_VERSION, parse_filing

__all__ = ["PARSER_VERSION", "ParsedFiling", "UnreadableFiling", "parse_filing"]
