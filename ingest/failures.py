"""How a bug in one extractor becomes an issue instead of costing the user the filing."""

from __future__ import annotations

from .model import Issue

# One kind for every caught failure, so tests (and users) can tell a parser bug from a
# filing the parser could not read.
PARSER_ERROR = "parser_error"


def reraise_memory_error(exc: BaseException) -> None:
    """Raise ``exc`` again if it is a MemoryError; every guard calls this first.

    Running out of memory is not a bug in the step that happened to allocate: recorded as
    an issue, it would leave a partial filing that reads as parsed. Propagated, the caller
    (the warehouse sets a memory limit on the parse) records the filing as failed.
    """
    if isinstance(exc, MemoryError):
        raise exc


def step_failed(
    name: str,
    step: str,
    exc: BaseException,
    line: int | None = None,
    table_index: int | None = None,
) -> Issue:
    """The issue recorded when ``step`` raised ``exc`` on the filing ``name``."""
    reraise_memory_error(exc)
    return Issue(
        line=line,
        kind=PARSER_ERROR,
        table_index=table_index,
        reason=f"{name}: {step} could not be read ({type(exc).__name__}: {exc})",
    )
