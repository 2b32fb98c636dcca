"""Safety net: the parser's output for every sample, fixture and shared filing is unchanged.

Regenerate after an intended change with ``GOLDEN_UPDATE=1 pytest tests/test_golden.py`` and
say in the commit which records moved and why (the failure message lists them).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from golden_records import GOLDEN_DIR, compare, records

from conftest import FIXTURES_DIR, SAMPLES_DIR, SHARED_FILINGS
from ingest import UnreadableFiling, parse_filing

pytestmark = pytest.mark.unit

OWN = sorted(
    [
        *SAMPLES_DIR.glob("*.txt"),
        *(FIXTURES_DIR / "variants").glob("*.txt"),
        *(FIXTURES_DIR / "checks").glob("*/*.txt"),
        *(FIXTURES_DIR / "bad").glob("*.*"),
    ]
)
SHARED = [
    "entree-gold-2012-annual-mda.txt",
    *(f"excerpts/{n:02d}" for n in range(1, 26)),
    # The real PDFs and EDGAR HTML, where ../shared has them: the readers' safety net.
    *(
        f"wild/{p.name}"
        for p in sorted((SHARED_FILINGS / "wild").glob("*"))
        if p.suffix.lower() in (".pdf", ".htm", ".html")
    ),
]


def _shared_path(name: str) -> Path:
    if name.startswith("excerpts/"):
        found = sorted((SHARED_FILINGS / "excerpts").glob(name.split("/")[1] + "_*.txt"))
        return found[0] if found else SHARED_FILINGS / name
    return SHARED_FILINGS / name


def _check(path: Path, golden: Path) -> None:
    try:
        # By bytes and file name: the output must not depend on where the clone is.
        got = records(parse_filing(path.read_bytes(), name=path.name).to_dict())
    except UnreadableFiling as exc:
        got = {"unreadable": [{"digest": str(exc).split(": ", 1)[-1], "locator": "error"}]}
    if os.environ.get("GOLDEN_UPDATE"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, indent=1) + "\n")
        return
    assert golden.is_file(), f"no golden output for {path.name}: run with GOLDEN_UPDATE=1"
    diffs = compare(json.loads(golden.read_text()), got)
    assert not diffs, f"{path.name}: parser output moved:\n" + "\n".join(diffs[:60])


@pytest.mark.parametrize("path", OWN, ids=lambda p: p.relative_to(p.parents[1]).as_posix())
def test_own_files_parse_as_before(path: Path) -> None:
    _check(path, GOLDEN_DIR / "own" / f"{path.parent.name}__{path.name}.json")


@pytest.mark.parametrize("name", SHARED)
def test_shared_filings_parse_as_before(name: str) -> None:
    path = _shared_path(name)
    if not path.is_file():
        pytest.skip(f"third-party filing not present at {path} (../shared is absent)")
    _check(path, GOLDEN_DIR / "shared" / f"{name.replace('/', '__')}.json")
