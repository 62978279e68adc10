"""The `alliance` entry point: a plain `search ... --json` runs without importing click.

Scripts call `alliance search QUERY --json` once per query, and at 100k documents importing
click and building the command tree is about a sixth of such a call. The plain form (optional
`--data DIR`, the query words, also after `--`, `--json`, and only `--limit/-n N`, `--exact`,
`--all-copies`) is answered here with the same library call and the same JSON as
`cli.search_command`. Anything else (another command or option, a filter, `--help`, an excluded
`-word` before `--`, an option given twice, a value click would reject) and any error go to the
click command, which then answers or reports exactly as it always did.
"""

from __future__ import annotations

import os
import sys
from typing import Any

FLAGS = {"--json": "json", "--exact": "exact", "--all-copies": "all_copies"}
LIMITS = ("--limit", "-n")


def plain_search(args: list[str]) -> dict[str, Any] | None:
    """The options of a plain `search --json` command line, or None for anything else."""
    data: str | None = None
    if args[:1] == ["--data"] and len(args) > 1:
        data, args = args[1], args[2:]
    elif args[:1] and args[0].startswith("--data="):
        data, args = args[0].removeprefix("--data="), args[1:]
    if args[:1] != ["search"]:
        return None
    found: dict[str, Any] = {"data": data, "words": []}
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--":  # the rest are words, as QueryCommand reads them ("-- -linchpin ironclad")
            words = list(rest)
            if any("\udc80" <= ch <= "\udcff" for word in words for ch in word):
                return None
            found["words"] += words
        elif arg in FLAGS and FLAGS[arg] not in found:
            found[FLAGS[arg]] = True
        elif (arg in LIMITS or arg.startswith("--limit=")) and "limit" not in found:
            value = next(rest, "") if arg in LIMITS else arg.removeprefix("--limit=")
            if not (value.isascii() and value.isdigit() and int(value) >= 1):
                return None
            found["limit"] = int(value)
        elif arg.startswith("-") or any("\udc80" <= ch <= "\udcff" for ch in arg):
            return None  # an option of click's, an excluded word, or bytes that are not UTF-8
        else:
            found["words"].append(arg)
    if not found.get("json") or not found["words"]:
        return None
    return found


def answered(plan: dict[str, Any]) -> bool:
    """Run a plain search and print its JSON; False (nothing printed) when the click command
    should answer instead: no usable index yet, bad input, a damaged index."""
    import sqlite3

    from . import api
    from .errors import AllianceError
    from .search import search
    from .store import Store, db_path

    data = api.data_dir(plan["data"])
    if not str(data) or data.is_file() or not db_path(data).exists():
        return False  # click reports the folder, or ingests first
    try:
        store = Store.open(data)
        try:
            if not store.has_documents():
                return False
            result = search(
                store,
                " ".join(plan["words"]),
                plan.get("limit", 10),
                None,
                plan.get("exact", False),
                plan.get("all_copies", False),
            )
        finally:
            store.close()
    except (AllianceError, sqlite3.Error):
        return False
    sys.stdout.flush()
    sys.stdout.buffer.write(api.json_bytes(result.to_dict()))
    sys.stdout.flush()
    return True


def main() -> None:
    plan = plain_search(sys.argv[1:]) if not os.environ.get("ALLIANCE_NO_SHORTCUT") else None
    if plan is not None:
        from .errors import INTERRUPTED

        try:
            if answered(plan):
                return
        except KeyboardInterrupt:
            print(INTERRUPTED, file=sys.stderr)
            sys.exit(130)
        except BrokenPipeError:  # as click does: a reader that went away is no error to report
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
    from .cli import main as click_main

    click_main()
