"""``python -m ingest FILE``: print what the parser read, as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import fields
from pathlib import Path

from . import parse_filing, readers
from .model import ParsedFiling, UnreadableFiling


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Parse a filing (PDF, HTML or text) and print the ParsedFiling as JSON.",
    )
    parser.add_argument("file", help="path of the filing: PDF, HTML or text")
    parser.add_argument("--compact", action="store_true", help="one line of JSON")
    parser.add_argument(
        "--only",
        choices=[f.name for f in fields(ParsedFiling)],
        help="print only this part",
    )
    parser.add_argument(
        "--text",
        action="store_true",
        help="print the text the reader made of the file instead, one numbered line each, with"
        " its page: the lines every record's `line` (and the marts' source_line) count",
    )
    args = parser.parse_args(argv)
    try:
        if args.text:
            path = Path(args.file)
            for line in readers.read(path.read_bytes(), path.name).lines:
                page = f"p{line.page}" if line.page else ""
                print(f"{line.no:>6} {page:>5}  {line.text}")
            return 0
        parsed = parse_filing(args.file)
    except UnreadableFiling as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader of our output stopped early ("| head"): fine
        return 0
    except OSError as exc:
        print(f"error: {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    indent = None if args.compact else 2
    if args.only:
        print(json.dumps(parsed.to_dict()[args.only], indent=indent, ensure_ascii=False))
    else:
        print(parsed.to_json(indent=indent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
