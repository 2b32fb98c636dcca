"""Golden outputs of the parser: one digest per record, so a change names the records it moved.

The digest of a record is the SHA-1 of its canonical JSON (sorted keys, keys whose value is
None or an empty container left out, so a new optional field does not move old records).
Golden files hold digests and a locator per record (family, index, line and a key field),
never the text of a filing: third-party filings are digested like our own.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
# The key field that names a record of each family in a diff ("facts[12] net_income").
KEY_FIELD = {
    "tables": "kind",
    "facts": "concept",
    "properties": "kind",
    "estimates": "category",
    "economics": "metric",
    "narrative_facts": "concept",
    "issues": "kind",
    "equivalences": "commodity",
    "footings": "kind",
}


def canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: canonical(v)
            for k, v in value.items()
            if v is not None and not (isinstance(v, list | dict) and not v)
        }
    if isinstance(value, list):
        return [canonical(v) for v in value]
    return value


def digest(record: Any) -> str:
    text = json.dumps(canonical(record), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def records(parsed: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """{family: [{"digest", "locator"}]} for a ``ParsedFiling.to_dict()``."""
    out: dict[str, list[dict[str, Any]]] = {"metadata": [_entry("metadata", 0, parsed["metadata"])]}
    for family, items in parsed.items():
        if family == "metadata":
            continue
        out[family] = [_entry(family, i, item) for i, item in enumerate(items)]
    return out


def _entry(family: str, index: int, item: dict[str, Any]) -> dict[str, Any]:
    line = item.get("line", item.get("start_line"))
    key = item.get(KEY_FIELD.get(family, ""), "")
    return {"digest": digest(item), "locator": f"{family}[{index}] line {line} {key}".rstrip()}


def compare(want: dict[str, list[dict]], got: dict[str, list[dict]]) -> list[str]:
    """Human-readable differences: records changed, added or removed, by locator."""
    diffs: list[str] = []
    for family in sorted(set(want) | set(got)):
        old, new = want.get(family, []), got.get(family, [])
        old_digests = {r["digest"] for r in old}
        new_digests = {r["digest"] for r in new}
        for r in new:
            if r["digest"] not in old_digests:
                diffs.append(f"new or changed: {r['locator']}")
        for r in old:
            if r["digest"] not in new_digests:
                diffs.append(f"gone or changed: {r['locator']}")
        if not diffs and [r["digest"] for r in old] != [r["digest"] for r in new]:
            diffs.append(f"{family}: same records in another order")
    return diffs
