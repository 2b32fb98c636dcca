"""Instructions one cold parse of a filing executes, counted by valgrind: a figure that, unlike
time on a shared machine, does not move with the load.

    python benchmarks/parse_instructions.py [FILE] [--parses N] [--tree DIR ...]

Runs the interpreter under ``valgrind --tool=cachegrind`` twice per tree, once importing and
parsing the file once (compiling the regular expressions), once doing that and ``N`` more
cold parses; the difference over ``N`` is one parse. Several ``--tree`` (checkouts of this
project, each with its ``ingest/``) are compared with the first. Needs valgrind; slow (about
ten seconds per parse): use it to tell two versions apart, ``parse_bench.py`` for times.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "filings" / "entree-gold-2012-annual-mda.txt"

# What runs under valgrind: the tree's ingest first on the path, then parses.
_CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from ingest import clear_caches, parse_filing
parse_filing(sys.argv[2])
for _ in range(int(sys.argv[3])):
    clear_caches()
    parse_filing(sys.argv[2])
"""

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _instructions(tree: Path, path: Path, parses: int) -> int:
    out = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            sys.executable,
            "-c",
            _CHILD,
            str(tree),
            str(path),
            str(parses),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = _REFS.search(out.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{out.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_parse(tree: Path, path: Path, parses: int) -> float:
    """Instructions of one cold parse of ``path`` with ``tree``'s parser."""
    return (_instructions(tree, path, parses) - _instructions(tree, path, 0)) / parses


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--parses", type=int, default=4)
    ap.add_argument("--tree", type=Path, action="append", default=[])
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed", file=sys.stderr)
        return 2
    trees = args.tree or [ROOT]
    first = None
    for tree in trees:
        n = per_parse(tree.resolve(), args.file, args.parses)
        first = first or n
        print(f"{str(tree):40} {n / 1e6:9.1f} M instructions per cold parse  {n / first:6.3f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
