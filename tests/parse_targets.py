"""Stand-ins for ``ingest.parse_filing`` that the parsing process runs in tests.

Importable by name, as the child process needs: it is a fresh interpreter, so a
monkeypatch in the test process would not reach it.
"""

from __future__ import annotations

import os
import signal

import ingest


def parse_noting_pid(content: bytes, name: str, sidecar=None) -> ingest.ParsedFiling:
    """``parse_filing``, with the id of the process that parsed as the company name."""
    parsed = ingest.parse_filing(content, name=name, sidecar=sidecar)
    parsed.metadata.company_name = f"pid {os.getpid()}"
    return parsed


def killed_on_oom(content: bytes, name: str, sidecar=None) -> ingest.ParsedFiling:
    """``parse_filing``, but a file named ``oom*`` is killed as the kernel's OOM killer does."""
    if name.startswith("oom"):
        os.kill(os.getpid(), signal.SIGKILL)
    return ingest.parse_filing(content, name=name, sidecar=sidecar)


def explode(content: bytes, name: str, sidecar=None) -> ingest.ParsedFiling:
    """A parser with a bug: it raises on every filing."""
    raise ZeroDivisionError("boom")
