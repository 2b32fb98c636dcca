"""Shared test fixtures: where the project's samples and the third-party filings live."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
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


@pytest.fixture(scope="session", autouse=True)
def dbt_target_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """dbt's artifacts and logs for the whole session, in a tmp dir, never in the repo.

    Set as ``WAREHOUSE_DBT_TARGET_DIR`` so the CLI run in a subprocess uses it too; one dir
    for the session lets dbt reuse its partial parse between builds.
    """
    path = tmp_path_factory.mktemp("dbt-target")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAREHOUSE_DBT_TARGET_DIR", str(path))
        yield path


@pytest.fixture()
def sample_files() -> list[Path]:
    """Our own sample filings (samples/filings/*.txt), or skip while there are none."""
    files = sorted(SAMPLES_DIR.glob("*.txt"))
    if not files:
        pytest.skip("no sample filings in samples/filings yet")
    return files


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of ``sql`` on the DuckDB file ``path``, opened read-only and closed again."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    # Time for the pages' scripts (bootstrap-table draws the index) before the snapshot.
    "--virtual-time-budget=5000",
]


def render_page(page: Path, screenshot: Path | None = None) -> str:
    """The DOM of ``page`` after its scripts ran in headless Chromium (Debian's package)."""
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    url = page.resolve().as_uri()
    if screenshot is not None:
        subprocess.run(
            [browser, *CHROMIUM_FLAGS, "--window-size=1280,900", f"--screenshot={screenshot}", url],
            capture_output=True,
            timeout=120,
            check=True,
        )
    done = subprocess.run(
        [browser, *CHROMIUM_FLAGS, "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout
