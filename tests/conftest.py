"""Shared test fixtures: where the project's samples and the third-party filings live."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = REPO_ROOT / "samples" / "filings"
FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures"
# Third-party filings are never copied into the project: CI lays ``shared/`` beside the clone.
SHARED_FILINGS = REPO_ROOT.parent / "shared" / "filings"
REAL_FILING = SHARED_FILINGS / "entree-gold-2012-annual-mda.txt"


@pytest.fixture(scope="session")
def real_filing() -> Path:
    """The real annual MD&A from ../shared/filings, or skip where it is absent."""
    if not REAL_FILING.is_file():
        pytest.skip(f"third-party filing not present at {REAL_FILING} (../shared is absent)")
    return REAL_FILING


@pytest.fixture(scope="session")
def excerpts_dir() -> Path:
    path = SHARED_FILINGS / "excerpts"
    if not path.is_dir():
        pytest.skip(f"third-party excerpts not present at {path} (../shared is absent)")
    return path
