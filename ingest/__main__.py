"""``python -m ingest FILE``: print what the parser read, as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import fields

from . import parse_filing
from .model import ParsedFiling, UnreadableFiling


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Parse an MD&A filing and print the ParsedFiling as JSON.",
    )
    parser.add_argument("file", help="path of the filing (text converted from PDF)")
    parser.add_argument("--compact", action="store_true", help="one line of JSON")
    parser.add_argument(
        "--only",
        choices=[f.name for f in fields(ParsedFiling)],
        help="print only this part",
    )
    args = parser.parse_args(argv)
    try:
        parsed = parse_filing(args.file)
    except UnreadableFiling as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    indent = None if args.compact else 2
    if args.only:
        print(json.dumps(parsed.to_dict()[args.only], indent=indent, ensure_ascii=False))
    else:
        print(parsed.to_json(indent=indent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
