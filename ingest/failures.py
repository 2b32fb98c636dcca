"""How a bug in one extractor becomes an issue instead of costing the user the filing."""

from __future__ import annotations

from .model import Issue

# One kind for every caught failure, so tests (and users) can tell a parser bug from a
# filing the parser could not read.
PARSER_ERROR = "parser_error"


def step_failed(
    name: str,
    step: str,
    exc: BaseException,
    line: int | None = None,
    table_index: int | None = None,
) -> Issue:
    """The issue recorded when ``step`` raised ``exc`` on the filing ``name``."""
    return Issue(
        line=line,
        kind=PARSER_ERROR,
        table_index=table_index,
        reason=f"{name}: {step} could not be read ({type(exc).__name__}: {exc})",
    )
