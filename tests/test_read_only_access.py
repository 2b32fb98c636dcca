"""Readers of the published file stay inside it: no other file, no extension, no settings.

DuckDB's read-only mode only stops writes to the opened file. From such a connection a query
can still read any file, write any file, ATTACH the build database read-write or download an
extension. Every way we open the published file for reading, or tell users to open it, must
add the settings that close those doors; each is tried here from each way in.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa
from test_orchestration_publish import make_build_db

from conftest import REPO_ROOT
from orchestration import __main__ as cli
from orchestration.database import connect
from orchestration.publish.publisher import publish
from orchestration.read_only import (
    READ_ONLY_SETTINGS,
    cli_args,
    cli_command_line,
    jdbc_url,
    metabase_options,
    read_only_connect,
    sqlalchemy_url,
)

pytestmark = pytest.mark.unit

SECRET = "not for warehouse readers\n"


class Warehouse:
    """A published file, the build database beside it and a private file outside both."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.build = root / "build" / "build.duckdb"
        self.build.parent.mkdir()
        make_build_db(self.build, rows=4)
        with duckdb.connect(str(self.build)) as con:
            con.execute("CREATE TABLE marts.dim_filing AS SELECT 'f1' AS source_file")
        self.published = publish(self.build, root / "warehouse").path
        self.outside = root / "private.txt"
        self.outside.write_text(SECRET)
        self.written = root / "written.csv"

    def escapes(self) -> dict[str, str]:
        """What a reader might try, by name: each must fail."""
        build, outside, written = str(self.build), str(self.outside), str(self.written)
        return {
            "read_csv": f"SELECT * FROM read_csv('{outside}')",
            "read_text": f"SELECT content FROM read_text('{outside}')",
            "read_blob": f"SELECT content FROM read_blob('{outside}')",
            "glob": f"SELECT * FROM glob('{self.root}/*')",
            "copy_to": f"COPY (SELECT 1 AS x) TO '{written}'",
            "attach_build": f"ATTACH '{build}' AS b",
            "attach_build_read_write": f"ATTACH '{build}' AS b (READ_WRITE)",
            "attach_build_read_only": f"ATTACH '{build}' AS b (READ_ONLY)",
            "enable_external_access": "SET enable_external_access = true",
            "unlock_configuration": "SET lock_configuration = false",
            "autoload": "SET autoload_known_extensions = true",
            "install_extension": "INSTALL httpfs",
            "load_extension": "LOAD httpfs",
        }

    def untouched(self) -> None:
        assert not self.written.exists()
        with duckdb.connect(str(self.build), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM raw.filings").fetchone() == (1,)


@pytest.fixture()
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path)


# -- the ways in: each yields a function that runs one statement and returns its rows ------

Runner = Callable[[str], list]


@contextmanager
def via_read_only_connect(w: Warehouse) -> Iterator[Runner]:
    con = read_only_connect(w.published)
    yield lambda sql: con.execute(sql).fetchall()
    con.close()


@contextmanager
def via_connect_helper(w: Warehouse) -> Iterator[Runner]:
    """What the summary and the pipeline use: ``orchestration.database.connect``."""
    with connect(w.published, read_only=True) as con:
        yield lambda sql: con.execute(sql).fetchall()


def readme_section() -> str:
    text = (REPO_ROOT / "README.md").read_text()
    start = text.index("## Query with SQL / connect a BI tool")
    return text[start : text.index("\n## ", start + 1)]


def readme_python() -> str:
    return "\n".join(re.findall(r"```python\n(.*?)```", readme_section(), re.S))


@contextmanager
def in_folder(folder: Path) -> Iterator[None]:
    """The README's relative paths are the repository root's: run its snippets from there."""
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(cwd)


@contextmanager
def via_readme_python(w: Warehouse) -> Iterator[Runner]:
    """The README's ``duckdb.connect`` snippet, run as written."""
    names: dict = {}
    with in_folder(w.root):
        exec(readme_python(), names)
    con = names["con"]
    yield lambda sql: con.execute(sql).fetchall()
    con.close()
    names["engine"].dispose()


def sqlalchemy_runner(con: sa.Connection) -> Runner:
    """Each statement on its own: a failed one aborts the transaction, so roll it back."""

    def run(sql: str) -> list:
        try:
            return con.exec_driver_sql(sql).fetchall()
        except sa.exc.DBAPIError:
            con.rollback()
            raise

    return run


@contextmanager
def via_readme_sqlalchemy(w: Warehouse) -> Iterator[Runner]:
    """The README's SQLAlchemy engine (duckdb-engine ``connect_args``), run as written."""
    names: dict = {}
    with in_folder(w.root):
        exec(readme_python(), names)
        names["con"].close()
        engine = names["engine"]
        con = engine.connect()  # opens the file: the relative path needs the folder
    with con:
        yield sqlalchemy_runner(con)
    engine.dispose()


@contextmanager
def via_sqlalchemy_url(w: Warehouse) -> Iterator[Runner]:
    """The SQLAlchemy URI the README gives Superset, for an absolute path."""
    engine = sa.create_engine(sqlalchemy_url(w.published), poolclass=sa.pool.NullPool)
    with engine.connect() as con:
        yield sqlalchemy_runner(con)
    engine.dispose()


@contextmanager
def via_sql_prompt(w: Warehouse) -> Iterator[Runner]:
    """``make sql`` without a duckdb CLI: the minimal Python prompt of ``python -m orchestration``."""
    con = cli.open_prompt_connection(w.published)
    yield lambda sql: con.execute(sql).fetchall()
    con.close()


WAYS_IN: dict[str, Callable[[Warehouse], AbstractContextManager[Runner]]] = {
    "read_only_connect": via_read_only_connect,
    "connect_helper": via_connect_helper,
    "readme_python": via_readme_python,
    "readme_sqlalchemy": via_readme_sqlalchemy,
    "sqlalchemy_url": via_sqlalchemy_url,
    "sql_prompt": via_sql_prompt,
}


@pytest.mark.parametrize("way", WAYS_IN)
def test_every_escape_fails_and_marts_still_read(warehouse: Warehouse, way: str) -> None:
    with WAYS_IN[way](warehouse) as run:
        assert run("SELECT count(*) FROM marts.fct_things") == [(4,)]
        assert run("SELECT n FROM bi.thing_totals") == [(4,)]
        settings = dict(
            run(
                "SELECT name, value FROM duckdb_settings() WHERE name IN ("
                + ", ".join(f"'{name}'" for name in READ_ONLY_SETTINGS)
                + ")"
            )
        )
        assert settings == {k: str(v).lower() for k, v in READ_ONLY_SETTINGS.items()}
        for name, sql in warehouse.escapes().items():
            with pytest.raises((duckdb.Error, sa.exc.DBAPIError)):
                run(sql)
                pytest.fail(f"{way}: {name} succeeded: {sql}")
        assert run("SELECT count(*) FROM marts.dim_filing") == [(1,)]
    warehouse.untouched()


def test_read_only_alone_lets_every_file_escape_through(warehouse: Warehouse) -> None:
    """Why the settings exist: without them the same statements succeed."""
    with duckdb.connect(str(warehouse.published), read_only=True) as con:
        assert con.execute(warehouse.escapes()["read_text"]).fetchall() == [(SECRET,)]
        con.execute(warehouse.escapes()["copy_to"])
        con.execute(warehouse.escapes()["attach_build_read_write"])
        con.execute("DELETE FROM b.raw.filings")
    assert warehouse.written.exists()
    with duckdb.connect(str(warehouse.build), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw.filings").fetchone() == (0,)


# -- make sql ------------------------------------------------------------------------------


def test_make_sql_runs_the_cli_locked(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a duckdb CLI, `make sql` execs it read-only, settings set, then safe mode."""
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse.published.parent))
    monkeypatch.setattr(cli.shutil, "which", lambda name: "/usr/bin/duckdb")
    execs: list[list[str]] = []

    def fake_execv(path: str, argv: list[str]) -> None:
        execs.append(argv)
        raise SystemExit(0)

    monkeypatch.setattr(cli.os, "execv", fake_execv)
    monkeypatch.setattr(cli.os.path, "exists", lambda p: False)
    with pytest.raises(SystemExit):
        cli.main(["sql"])
    [argv] = execs
    assert argv[0] == "/usr/bin/duckdb"
    assert argv[1:] == cli_args(warehouse.published)
    args = argv[1:]
    assert "-readonly" in args and args[-1] == str(warehouse.published)
    commands = [args[i + 1] for i, a in enumerate(args) if a == "-cmd"]
    for name, value in READ_ONLY_SETTINGS.items():
        if name != "lock_configuration":  # safe mode locks, and must come last
            assert f"SET {name} = {str(value).lower()};" in commands[0]
    assert commands[-1] == ".safe_mode"


def _duckdb_cli() -> str | None:
    local = Path(cli.sys.executable).parent / "duckdb"
    return str(local) if local.exists() else shutil.which("duckdb")


@pytest.mark.skipif(_duckdb_cli() is None, reason="no duckdb CLI (make sql installs duckdb-cli)")
def test_the_duckdb_cli_with_our_arguments_refuses_every_escape(warehouse: Warehouse) -> None:
    import subprocess

    statements = list(warehouse.escapes().values()) + [".open " + str(warehouse.build)]
    script = "".join(f"{s};\n" if not s.startswith(".") else f"{s}\n" for s in statements)
    script += "SELECT 'rows', count(*) FROM marts.fct_things;\n"
    out = subprocess.run(
        [_duckdb_cli(), "-csv", *cli_args(warehouse.published)],
        input=script,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "rows,4" in out.stdout.replace(" ", ""), out.stdout + out.stderr
    assert SECRET.strip() not in out.stdout
    errors = out.stderr.count("Error") + out.stderr.count("cannot be used in -safe mode")
    assert errors >= len(statements), out.stderr
    warehouse.untouched()


# -- what the README tells BI tools --------------------------------------------------------


def test_readme_gives_every_client_the_same_settings() -> None:
    section = readme_section()
    target = "/absolute/path/warehouse/warehouse.duckdb"
    assert sqlalchemy_url(target) in section  # Superset
    assert jdbc_url(target) in section  # DBeaver
    assert metabase_options() in section  # Metabase
    by_hand = cli_command_line(".venv/bin/duckdb", "warehouse/warehouse.duckdb")
    assert by_hand in section.replace(" \\\n  ", " ")  # make sql's CLI
    for name, value in READ_ONLY_SETTINGS.items():
        assert f'"{name}": {value}' in readme_python()


def test_client_strings_carry_every_setting() -> None:
    for text in (sqlalchemy_url("/w.duckdb"), jdbc_url("/w.duckdb"), metabase_options()):
        for name, value in READ_ONLY_SETTINGS.items():
            assert f"{name}={str(value).lower()}" in text
    assert "access_mode=read_only" in sqlalchemy_url("/w.duckdb")
    assert jdbc_url("/w.duckdb").startswith("jdbc:duckdb:/w.duckdb;duckdb.read_only=true;")
