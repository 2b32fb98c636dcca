"""How readers open a warehouse file: read-only, and confined to that one file.

DuckDB's read-only mode only stops writes to the file it opened. A read-only connection can
still read any file the process can (``read_csv``, ``read_text``, ``glob``), write any file
(``COPY ... TO``), ATTACH the build database read-write, and install or load extensions,
downloading them. These settings close all of that, and ``lock_configuration`` keeps a query
from turning them back on. Every client we open or document gets the same settings, in its
own syntax, from here; the README repeats them and a test holds the two together.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import duckdb

READ_ONLY_SETTINGS: dict[str, bool] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    # Community extensions are a third party's code, downloaded; never for a reader.
    "allow_community_extensions": False,
    # Last, so that clients that apply settings in order (SET statements) can apply the rest.
    "lock_configuration": True,
}


def _options(separator: str) -> str:
    return separator.join(f"{k}={str(v).lower()}" for k, v in READ_ONLY_SETTINGS.items())


def read_only_connect(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``path`` that can read nothing but that file."""
    return duckdb.connect(str(path), read_only=True, config=dict(READ_ONLY_SETTINGS))


def sqlalchemy_url(path: Path | str) -> str:
    """The duckdb-engine URL (SQLAlchemy, Superset) of ``path``, read-only and confined.

    duckdb-engine passes the URL's query to ``duckdb.connect(config=...)``, so the settings
    hold from the first statement.
    """
    return f"duckdb:///{path}?access_mode=read_only&{_options('&')}"


def jdbc_url(path: Path | str) -> str:
    """The DuckDB JDBC URL (DBeaver) of ``path``: options follow the path after ``;``."""
    return f"jdbc:duckdb:{path};duckdb.read_only=true;{_options(';')}"


def metabase_options() -> str:
    """Metabase's DuckDB driver: its "Additional DuckDB connection string options" field."""
    return _options("&")


def cli_args(path: Path | str) -> list[str]:
    """Arguments of the duckdb CLI (``make sql``) opening ``path`` read-only and confined.

    The CLI's safe mode also disables the dot commands that reach the file system (``.open``,
    ``.sh``, ``.output``, ``.read``); it turns external access off and locks the
    configuration itself, so the other settings are set before it and it comes last.
    """
    sets = " ".join(
        f"SET {k} = {str(v).lower()};"
        for k, v in READ_ONLY_SETTINGS.items()
        if k != "lock_configuration"
    )
    return ["-readonly", "-cmd", sets, "-cmd", ".safe_mode", str(path)]


def cli_command_line(cli: str, path: Path | str) -> str:
    """``cli_args`` as a shell command line, as the README prints it."""
    return shlex.join([cli, *cli_args(path)])
