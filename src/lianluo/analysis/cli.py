"""The `lianluo` console command: the hot topics and duplicates of a JSONL file, offline.

    lianluo hot-topics --input cases.jsonl --output topics.json
    lianluo duplicates --input cases.jsonl --output groups.json

Each input line is `{"id": ..., "text": ...}` (ids kept as given, numbers or strings); `-` is
stdin or stdout. Bad input ends with a message naming the line on stderr and exit status 2.
Installed with the package (pyproject.toml [project.scripts]); needs no database or settings.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from lianluo.analysis.duplicates import THRESHOLD, duplicate_groups
from lianluo.analysis.topics import hot_topics

Item = tuple[Any, str]


class InputError(Exception):
    """Input the command cannot use; the message names the line."""


def read_items(stream: TextIO, name: str) -> list[Item]:
    """The (id, text) pairs of a JSONL stream; blank lines are skipped."""
    items: list[Item] = []
    seen: set[Any] = set()
    try:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{name}, line {number}: not JSON ({exc.msg})") from None
            if not isinstance(record, dict):
                raise InputError(f'{name}, line {number}: expected an object {{"id", "text"}}')
            for key in ("id", "text"):
                if key not in record:
                    raise InputError(f'{name}, line {number}: missing field "{key}"')
            id_, text = record["id"], record["text"]
            if isinstance(id_, bool) or not isinstance(id_, int | str):
                raise InputError(f'{name}, line {number}: "id" must be a number or a string')
            if not isinstance(text, str):
                raise InputError(f'{name}, line {number}: "text" must be a string')
            if id_ in seen:
                raise InputError(f"{name}, line {number}: id {id_!r} appears twice")
            seen.add(id_)
            items.append((id_, text))
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 text") from None
    if not items:
        raise InputError(f"{name}: no messages (the file is empty)")
    return items


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lianluo", description="Offline text analysis of citizens' messages (JSONL)."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    topics = commands.add_parser(
        "hot-topics",
        help="group messages into hot topics (their number found from the data)",
        description='Writes {"topics": [{"label", "keywords", "ids", "size"}]}, largest first; '
        "ids in no topic are noise.",
    )
    topics.add_argument(
        "--min-size", type=int, default=None, help="smallest topic (default: 5 or 0.4%% of input)"
    )
    dups = commands.add_parser(
        "duplicates",
        help="group messages that report the same problem at the same place",
        description='Writes {"groups": [{"ids"}]}, largest first; messages alone are left out.',
    )
    dups.add_argument(
        "--threshold",
        type=float,
        default=THRESHOLD,
        help=f"similarity (0-1) from which two messages are duplicates (default {THRESHOLD})",
    )
    for sub in (topics, dups):
        sub.add_argument("--input", required=True, help='JSONL file of {"id", "text"}; - for stdin')
        sub.add_argument("--output", required=True, help="JSON file to write; - for stdout")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.input == "-":
            items = read_items(sys.stdin, "stdin")
        else:
            with open(args.input, encoding="utf-8") as stream:
                items = read_items(stream, args.input)
    except OSError as exc:
        print(f"lianluo: cannot read {args.input}: {exc.strerror}", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"lianluo: {exc}", file=sys.stderr)
        return 2

    result: dict[str, Any]
    if args.command == "hot-topics":
        if args.min_size is not None and args.min_size < 2:
            print("lianluo: --min-size must be at least 2", file=sys.stderr)
            return 2
        found = hot_topics(items, min_size=args.min_size)
        result = {
            "topics": [
                {"label": t.label, "keywords": t.keywords, "ids": t.ids, "size": t.size}
                for t in found
            ]
        }
    else:
        if not 0 < args.threshold <= 1:
            print("lianluo: --threshold must be in (0, 1]", file=sys.stderr)
            return 2
        groups = duplicate_groups(items, threshold=args.threshold)
        result = {"groups": [{"ids": g} for g in groups]}

    text = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        try:
            with open(args.output, "w", encoding="utf-8") as stream:
                stream.write(text)
        except OSError as exc:
            print(f"lianluo: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
