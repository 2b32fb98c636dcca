"""``python -m orchestration``: run the pipeline without the Dagster daemon, or summarise.

python -m orchestration run [--full-refresh] [--force] [--ephemeral] [--verbose]
python -m orchestration summary | sql | home
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sys
import warnings
from pathlib import Path

import duckdb

from . import paths
from .read_only import cli_args, read_only_connect


def _run(args: argparse.Namespace) -> int:
    import dagster as dg

    from .definitions import build_definitions
    from .instance import persistent_instance
    from .pipeline import format_ingest, run_pipeline
    from .publish.exports import describe as describe_exports
    from .resources import WarehouseConfig
    from .summary import format_summary, summarize

    inbox = paths.inbox_dir()
    if not inbox.is_dir():
        print(f"error: filings inbox {inbox} is not a folder (set FILINGS_DIR)", file=sys.stderr)
        return 2
    warehouse = WarehouseConfig()
    defs = build_definitions(warehouse)
    instance = dg.DagsterInstance.ephemeral() if args.ephemeral else persistent_instance()
    print(f"Inbox: {inbox}")
    print(f"Build database: {paths.build_db()}")
    dbt_log = paths.build_db().parent / "logs" / "pipeline.log"
    dbt_log.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        if not args.verbose:
            # dagster-dbt echoes dbt's console output to stdout, and Dagster logs a failed
            # step's traceback to stderr: keep both in a file, and print one line per failure.
            log = stack.enter_context(dbt_log.open("w"))
            stack.enter_context(contextlib.redirect_stdout(log))
            stack.enter_context(contextlib.redirect_stderr(log))
        report = run_pipeline(
            defs,
            instance,
            warehouse,
            full_refresh=args.full_refresh,
            force=args.force,
            log_level="INFO" if args.verbose else "ERROR",
        )
    for line in format_ingest(report):
        print(line)
    if report.republish_reason:
        outcome = "republishing withheld" if report.withheld else "republished"
        print(f"{report.republish_reason}; {outcome}")
    if report.withheld:
        print(f"dbt build + publish: PUBLISH WITHHELD ({report.withheld})")
    elif report.publish_failed:
        print("dbt build + publish: PUBLISH FAILED")  # the error line below says why
    else:
        print(
            "dbt build + publish: "
            + ("done" if report.refreshed else "skipped (published warehouse is up to date)")
        )
    timing = ", ".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
    print(f"Timing: {timing}")
    published = paths.published_file()
    if published.exists():
        summary = summarize(published)
        summary.withheld = report.withheld
        summary.publish_failed = report.publish_failed
        print()
        print(format_summary(summary))
        print(
            describe_exports(paths.warehouse_dir(), report.exports_failed, report.exports_rewritten)
        )
    for failure in report.failed_runs:
        if failure in report.run_errors:
            print(f"error: {report.run_errors[failure]}", file=sys.stderr)
        else:
            print(f"error: run failed: {failure}; details in {dbt_log}", file=sys.stderr)
    return 1 if report.failed_runs else 0


def _summary(_: argparse.Namespace) -> int:
    from .summary import format_summary, summarize

    published = paths.published_file()
    if not published.exists():
        print(f"error: no published warehouse at {published}: run `make run`", file=sys.stderr)
        return 2
    print(format_summary(summarize(published)))
    return 0


def _home(_: argparse.Namespace) -> int:
    from .instance import ensure_dagster_home

    print(f"DAGSTER_HOME={ensure_dagster_home()}")
    return 0


def open_prompt_connection(published: Path) -> duckdb.DuckDBPyConnection:
    """The connection the minimal SQL prompt reads through: confined to the published file."""
    return read_only_connect(published)


def _sql(_: argparse.Namespace) -> int:
    """The duckdb CLI read-only on the published file, or a minimal prompt without it."""
    published = paths.published_file()
    if not published.exists():
        print(f"error: no published warehouse at {published}: run `make run`", file=sys.stderr)
        return 2
    local = os.path.join(os.path.dirname(sys.executable), "duckdb")
    cli = local if os.path.exists(local) else shutil.which("duckdb")
    if cli:
        os.execv(cli, [cli, *cli_args(published)])

    print(f"{published} (read-only). End statements with ';'. Ctrl-D quits.")
    con = open_prompt_connection(published)
    buffer = ""
    while True:
        try:
            line = input("sql> " if not buffer else "...> ")
        except EOFError:
            print()
            return 0
        buffer += line + "\n"
        if not buffer.strip().endswith(";"):
            continue
        try:
            relation = con.sql(buffer)
            if relation is not None:
                relation.show(max_rows=50)
        except duckdb.Error as exc:
            print(f"error: {exc}")
        buffer = ""


class Interrupted(KeyboardInterrupt):
    """The run was asked to stop by a signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signal = signal.Signals(signum)


def _raise_interrupt(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="ingest new filings, build with dbt, publish, summarise")
    run.add_argument("--full-refresh", action="store_true", help="rebuild incremental models")
    run.add_argument("--force", action="store_true", help="dbt build and publish even if unchanged")
    run.add_argument(
        "--ephemeral",
        action="store_true",
        help="use a throwaway Dagster instance, not .dagster_home",
    )
    run.add_argument("--verbose", action="store_true", help="show Dagster's run log")
    run.set_defaults(func=_run)
    summary = sub.add_parser("summary", help="summarise the published warehouse")
    summary.set_defaults(func=_summary)
    home = sub.add_parser("home", help="create DAGSTER_HOME (.dagster_home) with its dagster.yaml")
    home.set_defaults(func=_home)
    sql = sub.add_parser("sql", help="read-only SQL prompt on the published warehouse")
    sql.set_defaults(func=_sql)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", module="dagster.*")
    warnings.filterwarnings("ignore", message=".*is currently in beta.*")

    # SIGTERM (a service manager, `kill`, a CI timeout) stops a run the way Ctrl-C does.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGINT, _raise_interrupt)
    try:
        return args.func(args)
    except KeyboardInterrupt as stop:
        # Inside a Dagster run, Dagster takes the signal (SIGTERM as SIGINT), fails the run,
        # and the pipeline stops after it; which of the two it was is not recorded.
        known = isinstance(stop, Interrupted)
        name = stop.signal.name if known else "SIGINT or SIGTERM"
        print(
            f"error: interrupted by {name}: stopped. Nothing published is lost; the next run"
            " picks up where this one stopped.",
            file=sys.stderr,
        )
        return 128 + (stop.signal if known else signal.SIGINT)
    except duckdb.Error as exc:
        # Typically another process holds the build database (a `dagster dev` run, a second
        # `make run`): DuckDB names the file and the process holding it.
        message = " ".join(str(exc).split())
        files = [str(paths.build_db()), str(paths.published_file())]
        if not any(f in message for f in files):
            message += f" (build database {files[0]}, published file {files[1]})"
        print(f"error: {type(exc).__name__}: {message}", file=sys.stderr)
        return 3
    except (RuntimeError, FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
