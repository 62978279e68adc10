"""Every search answer as JSON, to diff before and after a change to the search path.

Runs the judged queries (../shared/dev-articles/queries.json, bench/concept_queries.json), the
README's examples, the bench's planted phrases and the query-language cases under several option
sets (limits, --exact, --all-copies, date/outlet/participant filters) over each data folder given,
in process, and writes one JSON document: {folder: {options: {query: result}}}. Speed work on
search must leave this file byte-identical.

    python bench/search_snapshot.py /tmp/dev bench/out/20000 --out /tmp/before.json
    python bench/search_snapshot.py /tmp/dev bench/out/20000 --out /tmp/after.json
    cmp /tmp/before.json /tmp/after.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEV = HERE.parent.parent / "shared" / "dev-articles" / "queries.json"
OWN = HERE / "concept_queries.json"
EXTRA = (
    "extended deterrence",
    '"extended deterrence"',
    "ironclad",
    "ironclad alliance",
    "Austin",
    "Lloyd Austin",
    "defense ministers Seoul",
    "nuclear umbrella",
    '"nuclear umbrella"',
    "전작권 전환",
    "확장억제",
    '"Nuclear Consultative Group"',
    "trilateral security cooperation japan",
    "-linchpin ironclad",
    "ironclad OR linchpin",
    "ironclad NOT linchpin",
    'deterrence -"extended deterrence"',
    "OPCON transition",
    "SMA cost-sharing",
    "THAAD",
    "the",
    "zzyzx",
)
OPTIONS: dict[str, dict[str, Any]] = {
    "default": {},
    "limit 3": {"limit": 3},
    "limit 50": {"limit": 50},
    "exact": {"exact": True},
    "all copies": {"all_copies": True},
    "since 2022": {"since": "2022-01-01"},
    "2024 only": {"since": "2024", "until": "2024"},
    "outlet": {"outlet": "koreaherald.com"},
    "participant": {"participant": "Lloyd Austin"},
    "format phone": {"format": "phone"},
}


def queries() -> list[str]:
    found = list(json.loads(DEV.read_text("utf-8"))) if DEV.exists() else []
    found += list(json.loads(OWN.read_text("utf-8")))
    return list(dict.fromkeys([*found, *EXTRA]))


def run(folder: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    from alliance import api
    from alliance.errors import AllianceError
    from alliance.search import Filters, search

    store = api.open_index(folder)
    out: dict[str, dict[str, Any]] = {}
    try:
        for name in names:
            opts = OPTIONS[name]
            answers: dict[str, Any] = {}
            for text in queries():
                try:
                    filters = Filters(
                        api.parse_date(opts.get("since"), "--since"),
                        api.parse_date(opts.get("until"), "--until", end=True),
                        opts.get("outlet"),
                        api.resolve_official(opts.get("participant"), folder),
                        opts.get("format"),
                    )
                    result = search(
                        store,
                        text,
                        opts.get("limit", 10),
                        api.resolve_filters(filters, store),
                        opts.get("exact", False),
                        opts.get("all_copies", False),
                    )
                    answers[text] = result.to_dict()
                except AllianceError as exc:
                    answers[text] = {"error": str(exc)}
            out[name] = answers
    finally:
        store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help="data folders holding index/ (and raw/)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--options", help=f"comma-separated option sets (default all: {', '.join(OPTIONS)})")
    args = parser.parse_args()
    names = args.options.split(",") if args.options else list(OPTIONS)
    result = {str(folder): run(folder, names) for folder in args.folders}
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    total = sum(len(v) for per in result.values() for v in per.values())
    print(f"{total} answers over {len(args.folders)} folders written to {args.out}")


if __name__ == "__main__":
    main()
