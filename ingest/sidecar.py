"""Sidecar metadata: a file a user writes beside a filing to state what its text does not.

``Acme 2023 MD&A.pdf`` takes its sidecar from ``Acme 2023 MD&A.pdf.meta.json`` or
``Acme 2023 MD&A.meta.json`` (or ``.meta.yaml``/``.meta.yml``), for example::

    {"company": "Acme Gold Corp.", "period_end": "2023-12-31", "period_type": "annual",
     "currency": "CAD", "report_type": "MD&A"}

A sidecar is never a filing itself. A sidecar that cannot be read becomes an issue of its
filing; the filing is read as if it had none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .failures import reraise_memory_error
from .model import Issue

SUFFIXES = (".meta.json", ".meta.yaml", ".meta.yml")
MAX_BYTES = 64 * 1024


def is_sidecar(name: str) -> bool:
    """Whether a file name is a sidecar's (never a filing)."""
    return name.lower().endswith(SUFFIXES)


def find_sidecar(path: Path) -> Path | None:
    """The sidecar file beside ``path``: NAME.ext.meta.* first, then NAME.meta.*."""
    for base in (path.name, path.stem):
        for suffix in SUFFIXES:
            candidate = path.with_name(base + suffix)
            if candidate.is_file() and not candidate.is_symlink():
                return candidate
    return None


def load_sidecar(data: bytes, name: str) -> tuple[dict[str, Any], list[Issue]]:
    """The sidecar's fields (with ``_file`` naming it), or issues saying why it was not read."""
    if len(data) > MAX_BYTES:
        return {}, [_issue(f"{name}: larger than {MAX_BYTES // 1024} KB; not a sidecar, ignored")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, [_issue(f"{name}: not UTF-8 text; ignored")]
    try:
        if name.lower().endswith(".json"):
            value = json.loads(text)
        else:
            import yaml

            value = yaml.safe_load(text)
    except Exception as exc:  # noqa: BLE001 - json and yaml raise their own error types
        reraise_memory_error(exc)
        where = getattr(exc, "lineno", None) or getattr(
            getattr(exc, "problem_mark", None), "line", None
        )
        at = (
            f" at line {where if isinstance(exc, json.JSONDecodeError) else (where or 0) + 1}"
            if where is not None
            else ""
        )
        return {}, [_issue(f"{name}: cannot be read{at} ({type(exc).__name__}); ignored")]
    if not isinstance(value, dict):
        return {}, [_issue(f"{name}: holds no fields (expected an object of metadata); ignored")]
    return {**{str(k): v for k, v in value.items()}, "_file": name}, []


def _issue(reason: str) -> Issue:
    return Issue(line=None, kind="sidecar", reason=reason)
