"""The code's shape: no import cycles, stages that do not import each other, one set of names,
and every test in one tier.

Imports are read from the source with ``ast`` (function-level imports included, imports
under ``if TYPE_CHECKING:`` left out), so a cycle hidden behind a lazy import still fails.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT
from orchestration import names

pytestmark = pytest.mark.unit

PACKAGES = ("orchestration", "expectations", "ingest")
# The orchestration's stages: each may import shared orchestration modules and the
# libraries, never another stage (only the root modules wire stages together).
STAGES = ("filings", "dbt", "quality", "publish")


def modules_of(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file of ``packages`` under ``root``."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the nodes inside ``if TYPE_CHECKING:`` blocks: never imported at run time."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                for child in node.body:
                    skipped.update(id(n) for n in ast.walk(child))
    return skipped


def _resolve(target: str, modules: dict[str, Path]) -> str | None:
    """The module ``target`` names, or the closest package of ours that holds it."""
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target or None


def import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    """module -> the modules of ``packages`` it imports, anywhere in its code."""
    modules = modules_of(root, packages)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        skipped = _type_checking_only(tree)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1])
                    base = f"{base}.{node.module}" if node.module else base
                else:
                    base = node.module or ""
                # `from pkg import sub` imports the submodule; `from mod import name` the module
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            else:
                continue
            for target in targets:
                resolved = _resolve(target, modules)
                if resolved is not None and resolved != name:
                    edges.add(resolved)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_detector_finds_a_cycle_hidden_behind_a_lazy_import(tmp_path: Path) -> None:
    pkg = tmp_path / "toy"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import B\n\nA = 1\n")
    (pkg / "b.py").write_text("def f():\n    from . import a\n    return a.A\n\nB = 2\n")
    (pkg / "c.py").write_text(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from .a import A\n"
    )
    graph = import_graph(tmp_path, ("toy",))
    assert graph["toy.c"] == set()
    assert cycles(graph) == [["toy.a", "toy.b"]]


def test_no_import_cycles() -> None:
    graph = import_graph(REPO_ROOT, PACKAGES)
    # The reader really sees our imports (relative, absolute and function-level ones).
    assert "orchestration.quality.validation" in graph["orchestration.quality.checks"]
    assert "orchestration.dbt.definitions" in graph["orchestration.definitions"]
    assert "ingest" in graph["orchestration.filings.parsing"]
    assert cycles(graph) == []


def test_stages_do_not_import_each_other() -> None:
    graph = import_graph(REPO_ROOT, PACKAGES)

    def stage(module: str) -> str | None:
        parts = module.split(".")
        return (
            parts[1]
            if len(parts) > 1 and parts[0] == "orchestration" and parts[1] in STAGES
            else None
        )

    crossing = sorted(
        (module, target)
        for module, targets in graph.items()
        if stage(module)
        for target in targets
        if stage(target) and stage(target) != stage(module)
    )
    assert crossing == []
    # Libraries stay libraries: neither imports the orchestration.
    assert not [
        (m, t)
        for m, targets in graph.items()
        if m.startswith(("ingest", "expectations"))
        for t in targets
        if t.startswith("orchestration")
    ]


def test_dbt_builds_the_schemas_the_names_module_names() -> None:
    project = yaml.safe_load((REPO_ROOT / "dbt_project" / "dbt_project.yml").read_text())
    folders = project["models"]["mining_warehouse"]
    schemas = {
        cfg["+schema"] for cfg in folders.values() if isinstance(cfg, dict) and "+schema" in cfg
    }
    assert schemas == set(names.DBT_SCHEMAS)
    sources = yaml.safe_load(
        (REPO_ROOT / "dbt_project" / "models" / "staging" / "sources.yml").read_text()
    )
    assert {s["schema"] for s in sources["sources"]} == {names.RAW}


def test_a_test_without_a_tier_is_a_unit_test() -> None:
    """The parser's tests carry no marker; `make test-fast` (-m unit) must still run them."""
    collected = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "unit",
            "tests/test_ingest_numbers.py",
            "tests/test_dbt_profile.py",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert collected.returncode == 0, collected.stdout + collected.stderr
    ids = [line for line in collected.stdout.splitlines() if "::" in line]
    assert ids and all(i.startswith("tests/test_ingest_numbers.py::") for i in ids)
