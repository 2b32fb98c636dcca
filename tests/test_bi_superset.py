"""`make bi` live: Superset installed (or reused) in build/superset-venv, provisioned on a copy
of the sample warehouse, served on a free port, then driven through its API and a browser.

- every chart of the dashboard returns rows through ``GET /api/v1/chart/{id}/data/``;
- the dashboard renders in headless Chromium with no chart in error (screenshot in build/bi);
- SQL Lab, with DML allowed, cannot read or write files, attach, install or unlock settings;
- a new publish shows at Superset's next query (Superset opens a connection per query);
- a second provisioning adds nothing.

Its own tier (``-m bi``): it installs Superset (some 75 s) and runs the pipeline again.
Measurements (install, start, render time, memory) go to build/bi/live-test.json.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from conftest import REPO_ROOT, BuiltWarehouse

pytestmark = pytest.mark.bi

VENV = REPO_ROOT / "build" / "superset-venv"
STAMP = VENV / ".installed-stamp"
REQUIREMENTS = REPO_ROOT / "orchestration" / "bi" / "superset-requirements.txt"
PROVISION = REPO_ROOT / "orchestration" / "bi" / "provision.py"
OUT = REPO_ROOT / "build" / "bi"
CHROMIUM = Path("/usr/bin/chromium")
MEASURED: dict[str, float | int | str] = {}


def _install() -> None:
    """build/superset-venv as `make bi` makes it, unless its stamp is newer than the pins."""
    if STAMP.exists() and STAMP.stat().st_mtime >= REQUIREMENTS.stat().st_mtime:
        MEASURED["install_seconds"] = "reused"
        return
    start = time.monotonic()
    if not (VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    out = subprocess.run(
        [str(VENV / "bin/python"), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        pytest.skip(f"Superset could not be installed (no package registry?): {out.stderr[-500:]}")
    STAMP.touch()
    MEASURED["install_seconds"] = round(time.monotonic() - start, 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants, MB (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(d.name))
            rss[int(d.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return round(total / 2**20, 1)


class Superset:
    def __init__(self, base: str, password: str) -> None:
        self.base = base
        self.http = requests.Session()
        token = self.http.post(
            f"{base}/api/v1/security/login",
            json={"username": "admin", "password": password, "provider": "db", "refresh": False},
            timeout=60,
        ).json()["access_token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        csrf = self.get("/api/v1/security/csrf_token/")["result"]
        self.http.headers.update({"X-CSRFToken": csrf, "Referer": base})

    def get(self, path: str, **params: object) -> dict:
        r = self.http.get(f"{self.base}{path}", params=params, timeout=120)
        assert r.status_code == 200, f"{path}: {r.status_code} {r.text[:500]}"
        return r.json()

    def charts(self) -> dict[str, dict]:
        q = json.dumps({"page_size": 100})
        return {c["slice_name"]: c for c in self.get("/api/v1/chart/", q=q)["result"]}

    def chart_rows(self, chart_id: int) -> list[dict]:
        return self.get(f"/api/v1/chart/{chart_id}/data/")["result"][0]["data"]

    def database_id(self) -> int:
        (db,) = self.get("/api/v1/database/")["result"]
        return db["id"]

    def sql(self, sql: str) -> tuple[int, dict]:
        r = self.http.post(
            f"{self.base}/api/v1/sqllab/execute/",
            json={"database_id": self.database_id(), "sql": sql, "runAsync": False},
            timeout=120,
        )
        return r.status_code, r.json()


def _provision(env: dict[str, str], warehouse: Path) -> None:
    out = subprocess.run(
        [str(VENV / "bin/python"), str(PROVISION), "setup", "--warehouse", str(warehouse)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]


def _counts(home: Path) -> dict[str, int]:
    with sqlite3.connect(home / "superset.db") as con:
        tables = ("dbs", "tables", "slices", "dashboards", "ab_user")
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}


@pytest.fixture(scope="module")
def live(sample_warehouse: BuiltWarehouse, tmp_path_factory: pytest.TempPathFactory):
    """Superset serving a copy of the sample warehouse; stopped at the end of the module."""
    _install()
    warehouse = sample_warehouse.copy_to(tmp_path_factory.mktemp("bi") / "warehouse")
    home = tmp_path_factory.mktemp("superset-home")
    password = secrets.token_urlsafe(12)
    env = {
        **os.environ,
        "SUPERSET_HOME": str(home),
        "SUPERSET_ADMIN_PASSWORD": password,
        # DML allowed: what SQL Lab may send is then up to DuckDB's settings alone.
        "SUPERSET_ALLOW_DML": "1",
    }
    start = time.monotonic()
    _provision(env, warehouse.published)
    MEASURED["provision_seconds"] = round(time.monotonic() - start, 1)
    first = _counts(home)
    _provision(env, warehouse.published)
    assert _counts(home) == first, "a second provisioning added something"
    assert first == {"dbs": 1, "tables": 18, "slices": 11, "dashboards": 1, "ab_user": 1}

    port = _free_port()
    log = (home / "serve.log").open("w")
    proc = subprocess.Popen(
        [str(VENV / "bin/python"), str(PROVISION), "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        start = time.monotonic()
        while time.monotonic() - start < 120:
            assert proc.poll() is None, (home / "serve.log").read_text()[-3000:]
            try:
                if requests.get(f"{base}/health", timeout=10).text == "OK":
                    break
            except requests.RequestException:  # refused, or the app still loading
                pass
            time.sleep(0.2)
        else:
            pytest.fail("Superset did not answer /health in 120 s")
        MEASURED["start_seconds"] = round(time.monotonic() - start, 1)
        yield {"base": base, "password": password, "warehouse": warehouse, "pid": proc.pid}
        MEASURED["rss_mb_end"] = _tree_rss_mb(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "live-test.json").write_text(json.dumps(MEASURED, indent=2) + "\n")


@pytest.fixture(scope="module")
def api(live) -> Superset:
    return Superset(live["base"], live["password"])


def test_every_chart_returns_rows(api: Superset, live) -> None:
    charts = api.charts()
    assert len(charts) == 11
    rows = {name: api.chart_rows(c["id"]) for name, c in charts.items()}
    MEASURED["rss_mb_serving"] = _tree_rss_mb(live["pid"])
    empty = [name for name, r in rows.items() if not r]
    assert not empty, f"charts without rows: {empty}"

    findings = rows["Findings per filing"]
    assert len(findings) == 4
    assert {(f["check_name"], f["status"]) for f in findings} == {("restatement", "warn")}
    assert {f["source_file"][:13] for f in findings} == {"kestrel-ridge"}

    quarterly = rows["Quarterly net income (loss)"]
    (kestrel_2024,) = [
        r for r in quarterly if r["company_name"].startswith("Kestrel") and r["fiscal_year"] == 2024
    ]
    assert kestrel_2024["q4"] == -4_978_341

    timeline = rows["Net income (loss) and burn by quarter"]
    q4 = [r for r in timeline if r["company_name"].startswith("Kestrel")][-1]
    assert q4["Net income (loss)"] == -4_978_341

    checks = rows["Check results by family and severity"]
    assert {
        "check_family": "across_filings",
        "severity": "warn",
        "status": "warn",
        "Checks": 4,
    } in checks
    npv = rows["Study NPV by price scenario and discount rate (USD million)"]
    assert {r["scenario"] for r in npv} >= {"low", "base", "high", "spot"}
    curve = rows["Grade-tonnage curve - tonnage against cut-off"]
    assert len({r["cutoff_value"] for r in curve}) >= 5


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium")
def test_dashboard_renders_without_errors(live) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    base = live["base"]
    outside: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
            ],
        )
        page = browser.new_page(viewport={"width": 1600, "height": 1200})
        page.on(
            "requestfinished",
            lambda r: (
                outside.append(r.url) if not r.url.startswith((base, "data:", "blob:")) else None
            ),
        )
        page.goto(f"{base}/login/")
        page.fill("#username", "admin")
        page.fill("#password", live["password"])
        page.keyboard.press("Enter")
        page.wait_for_url("**/superset/welcome/**", timeout=60_000)
        start = time.monotonic()
        page.goto(f"{base}/superset/dashboard/mining-filings/")
        holders = page.locator(".dashboard-component-chart-holder")
        holders.first.wait_for(timeout=60_000)
        loading = page.locator(".dashboard-component-chart-holder .loading")
        while time.monotonic() - start < 120 and (holders.count() < 11 or loading.count()):
            time.sleep(0.5)
        page.wait_for_load_state("networkidle")
        MEASURED["render_seconds"] = round(time.monotonic() - start, 1)
        assert holders.count() == 11
        assert loading.count() == 0, "charts still loading after 120 s"
        errors = page.locator(
            ".dashboard-component-chart-holder [data-test='error-alert'],"
            " .dashboard-component-chart-holder .alert-danger,"
            " .dashboard-component-chart-holder [role='alert']"
        )
        messages = [e.inner_text()[:300] for e in errors.all()]
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / "dashboard.png"), full_page=True)
        browser.close()
    assert not messages, messages
    # The page's content security policy keeps the browser on this server.
    assert not outside, outside


LOCKED_OUT = {
    "SELECT * FROM read_csv('/etc/passwd')": "file system operations are disabled",
    "SELECT * FROM read_text('/etc/passwd')": "file system operations are disabled",
    "COPY (SELECT 1) TO '/tmp/superset-lock-down.csv'": "file system operations are disabled",
    "ATTACH '/tmp/superset-lock-down.duckdb' (READ_WRITE)": "file system operations are disabled",
    "INSTALL httpfs": "disabled",
    "LOAD httpfs": "disabled",
    "SET enable_external_access = true": "the configuration has been locked",
}


def test_sql_lab_is_confined_to_the_file(api: Superset) -> None:
    status, body = api.sql("SELECT count(*) AS n FROM marts.dim_filing")
    assert status == 200, body
    assert body["data"] == [{"n": 6}]
    for sql, refusal in LOCKED_OUT.items():
        status, body = api.sql(sql)
        message = json.dumps(body)
        assert status != 200 and refusal in message, f"{sql}: {status} {message[:500]}"
    assert not Path("/tmp/superset-lock-down.csv").exists()


def test_a_new_publish_shows_at_the_next_query(api: Superset, live) -> None:
    """Superset opens a connection per query (NullPool): the renamed file is the next one read."""
    warehouse: BuiltWarehouse = live["warehouse"]
    before = api.sql("SELECT count(*) AS n FROM marts.dim_filing")[1]["data"][0]["n"]
    source = warehouse.inbox / "wattle-creek-2024-annual-mda.txt"
    changed = warehouse.inbox / "wattle-creek-2024-annual-mda-restated.txt"
    shutil.copy(source, changed)
    with changed.open("a") as f:
        f.write("\nThis copy was filed again for the live BI test.\n")
    start = time.monotonic()
    out = warehouse.cli("run", timeout=900)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    MEASURED["republish_seconds"] = round(time.monotonic() - start, 1)
    after = api.sql("SELECT count(*) AS n FROM marts.dim_filing")[1]["data"][0]["n"]
    assert after == before + 1
    companies = api.charts()["Cash at quarter end"]["id"]
    assert api.chart_rows(companies)
