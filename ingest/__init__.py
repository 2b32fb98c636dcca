"""Read mining-company MD&A filings into typed records with provenance.

A pure library: no Dagster, no database. ``parse_filing`` is the one entry point.
"""

from functools import _lru_cache_wrapper

from .model import ParsedFiling, UnreadableFiling
from .parser import PARSER_VERSION, parse_document, parse_filing

__all__ = [
    "PARSER_VERSION",
    "ParsedFiling",
    "UnreadableFiling",
    "clear_caches",
    "parse_document",
    "parse_filing",
]


def clear_caches() -> None:
    """Empty the parser's memo caches (cells, headers), so a benchmark times a cold parse."""
    import sys

    for name, module in list(sys.modules.items()):
        if not name.startswith(__name__ + ".") or module is None:
            continue
        # ``type() is`` rather than isinstance: the benchmark runs this before every cold
        # parse over ~2,500 module attributes, and every lru_cache is exactly this type.
        for value in vars(module).values():
            if type(value) is _lru_cache_wrapper:
                value.cache_clear()
