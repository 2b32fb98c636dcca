"""Run suites on DataFrames with Great Expectations, and render Data Docs.

GX's SQL datasource cannot read DuckDB here (an upstream limitation), so the caller reads
DuckDB into pandas and hands each frame over; one ``Validator`` serves a whole pipeline
run, so GX's start-up is paid once.
"""

from __future__ import annotations

import logging
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import ProgressBarsConfig

from .docs_assets import localise
from .suites import BOUND_ROLE

DOCS_SITE = "warehouse"
# Validation results kept per suite. GX re-renders every stored result on each docs build,
# so an unbounded history would make every run slower than the last.
KEEP_RUNS = 5
_DATASOURCE = "warehouse"
_EXAMPLES = 5


@dataclass
class ExpectationFailure:
    """One expectation that did not hold, with the rows (frame positions) that broke it."""

    expectation: str
    column: str | None
    role: str | None
    unexpected_count: int
    examples: list[Any] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)

    def describe(self) -> str:
        where = f" on {self.column}" if self.column else ""
        shown = ", ".join(repr(e) for e in self.examples[:_EXAMPLES])
        return f"{self.expectation}{where}: {self.unexpected_count} row(s), e.g. {shown}"


@dataclass
class SuiteOutcome:
    """What one suite said about one frame."""

    suite: str
    rows: int
    success: bool
    failures: list[ExpectationFailure] = field(default_factory=list)

    def failed_rows(self, role: str = BOUND_ROLE) -> set[int]:
        """Frame positions that broke an expectation of ``role``."""
        return {r for f in self.failures if f.role == role for r in f.rows}

    def other_failures(self, role: str = BOUND_ROLE) -> list[ExpectationFailure]:
        return [f for f in self.failures if f.role != role]


def _column_of(config: Any) -> str | None:
    kwargs = config.kwargs or {}
    if "column" in kwargs:
        return kwargs["column"]
    if "column_A" in kwargs:
        return f"{kwargs['column_A']}, {kwargs['column_B']}"
    if "column_list" in kwargs:
        return ", ".join(kwargs["column_list"])
    return None


class Validator:
    """A GX context for one pipeline run; Data Docs go to ``docs_dir`` when given.

    ``project_dir`` keeps GX's stores (suites, validation results) on disk, so the Data Docs
    index lists earlier runs too; without it everything lives in memory. ``assets_dir``
    holds local copies of the pages' scripts and styles (``expectations.docs_assets``).
    """

    def __init__(
        self,
        run_name: str,
        docs_dir: Path | None = None,
        project_dir: Path | None = None,
        assets_dir: Path | None = None,
    ):
        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        if project_dir is not None:
            project_dir.mkdir(parents=True, exist_ok=True)
            self.context = gx.get_context(mode="file", project_root_dir=str(project_dir))
        else:
            self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.run_id = RunIdentifier(run_name=run_name)
        self.docs_dir = docs_dir
        self.assets_dir = assets_dir
        if docs_dir is not None:
            sites = self.context.get_site_names()
            config = {
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
            if DOCS_SITE in sites:
                self.context.update_data_docs_site(DOCS_SITE, config)
            else:
                self.context.add_data_docs_site(site_name=DOCS_SITE, site_config=config)
        # A file-backed context remembers the datasource, its assets and batch definitions
        # from the last run; an ephemeral one starts empty.
        sources = self.context.data_sources.all()
        self._source = sources.get(_DATASOURCE) or self.context.data_sources.add_pandas(_DATASOURCE)

    def _batch_definition(self, asset_name: str):
        if asset_name in self._source.get_asset_names():
            asset = self._source.get_asset(asset_name)
        else:
            asset = self._source.add_dataframe_asset(asset_name)
        for definition in asset.batch_definitions:
            if definition.name == "whole":
                return definition
        return asset.add_batch_definition_whole_dataframe("whole")

    def validate(self, suite: gx.ExpectationSuite, frame: pd.DataFrame) -> SuiteOutcome:
        """Validate ``frame`` (its rows addressed by position) against ``suite``."""
        frame = frame.reset_index(drop=True)
        suite = self.context.suites.add_or_update(suite)
        definition = self.context.validation_definitions.add_or_update(
            gx.ValidationDefinition(
                name=suite.name, data=self._batch_definition(suite.name), suite=suite
            )
        )
        result = definition.run(
            batch_parameters={"dataframe": frame},
            result_format={"result_format": "COMPLETE"},
            run_id=self.run_id,
        )
        outcome = SuiteOutcome(suite=suite.name, rows=len(frame), success=bool(result.success))
        for r in result.results:
            if r.success:
                continue
            config = r.expectation_config
            details = r.result or {}
            if r.exception_info and r.exception_info.get("raised_exception"):
                message = r.exception_info.get("exception_message") or "raised"
                outcome.failures.append(
                    ExpectationFailure(config.type, _column_of(config), None, len(frame), [message])
                )
                continue
            rows = [int(i) for i in details.get("unexpected_index_list") or [] if _is_int(i)]
            outcome.failures.append(
                ExpectationFailure(
                    expectation=config.type,
                    column=_column_of(config),
                    role=(config.meta or {}).get("role"),
                    unexpected_count=int(details.get("unexpected_count") or len(rows)),
                    examples=list(details.get("partial_unexpected_list") or [])[:_EXAMPLES],
                    rows=rows,
                )
            )
        return outcome

    def prune_history(self, keep: int = KEEP_RUNS) -> int:
        """Drop all but the newest ``keep`` validation results of each suite; returns how many."""
        results = self.context.validation_results_store
        by_suite: dict[str, list[Any]] = defaultdict(list)
        for key in results.list_keys():
            by_suite[key.expectation_suite_identifier.name].append(key)
        removed = 0
        for keys in by_suite.values():
            keys.sort(key=lambda k: k.run_id.run_time, reverse=True)
            for key in keys[keep:]:
                results.remove_key(key)
                removed += 1
        return removed

    def build_docs(self) -> Path | None:
        """Render Data Docs for the validations kept (see ``KEEP_RUNS``); returns the index."""
        if self.docs_dir is None:
            return None
        if self.prune_history():
            # The pages of dropped results would stay on disk otherwise, unlisted; the kept
            # ones are rendered again below.
            shutil.rmtree(self.docs_dir / "validations", ignore_errors=True)
        self.context.build_data_docs(site_names=[DOCS_SITE])
        localise(self.docs_dir, self.assets_dir)
        index = self.docs_dir / "index.html"
        return index if index.exists() else None


def _is_int(value: Any) -> bool:
    try:
        int(value)
    except (TypeError, ValueError):
        return False
    return True
