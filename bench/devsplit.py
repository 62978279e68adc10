"""Score the parser on one half of the dev articles, in process, to choose rules on one half and
check them on the other (the same code is scored on articles nobody has seen).

usage: python bench/devsplit.py [--half odd|even|all] [--only PREFIX] [--officials CSV] [--quiet]

Odd half: d01, d03, ...; even half: d02, d04, .... The figures use ../shared/dev-articles/score.py's
own checks (field_checks, bcubed, the cleaning bench's body score), so they agree with the scorer's
lines; it only runs faster (no process per page) and can take an extra officials.csv as a user's
DATA/officials.csv would be taken.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "dev-articles"


def _scorer() -> Any:
    sys.path.insert(0, str(DEV))
    sys.path.insert(0, str(DEV.parent / "cleaning-bench"))
    import importlib.util

    spec = importlib.util.spec_from_file_location("dev_score", DEV / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def golds(half: str, only: str = "") -> dict[str, dict[str, Any]]:
    out = {}
    for f in sorted((DEV / "gold").glob("*.json")):
        number = int(f.stem[1:3])
        if half != "all" and number % 2 != (half == "odd"):
            continue
        if f.stem.startswith(only):
            out[f.stem] = json.loads(f.read_text(encoding="utf-8"))
    return out


def parse_figures(selected: dict[str, dict[str, Any]], data: Path, quiet: bool = True) -> dict[str, Any]:
    """Participant P/R/F1 and each field's hits, as the scorer counts them."""
    from alliance import api

    score = _scorer()
    fields: dict[str, list[int]] = {k: [0, 0] for k in score.FIELDS}
    tp = fp = fn = 0
    for stem, gold in selected.items():
        d = api.parse_file(DEV / "raw" / gold["file"], data)
        names = {p["name"] for p in d.get("participants") or []}
        want = set(gold["participants"])
        tp, fp, fn = tp + len(names & want), fp + len(names - want), fn + len(want - names)
        if names != want and not quiet:
            print("participants", stem, "want", sorted(want), "got", sorted(names))
        for k, ok in score.field_checks(gold, d, names).items():
            fields[k][0] += ok
            fields[k][1] += 1
            if not ok and not quiet:
                got = d.get(k) if k != "mentioned_not_participant" else sorted(set(gold["mentioned_only"]) & names)
                extra = d.get("meeting_window") if k == "meeting_date" else ""
                print(k, stem, "want", gold.get(k) if k in gold else gold["mentioned_only"], "got", got, extra or "")
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"n": len(selected), "P": p, "R": r, "F1": f1, "fields": {k: v[0] for k, v in fields.items()}}


def meeting_figures(selected: dict[str, dict[str, Any]], officials: Path | None, quiet: bool = True) -> dict[str, Any]:
    """Grouping B-cubed and each official's meeting dates, ingesting the pages in a temp folder."""
    from alliance.ingest import ingest
    from alliance.meetings import find_meetings
    from alliance.roster import load_roster
    from alliance.store import Store

    score = _scorer()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        (data / "raw").mkdir()
        if officials:
            shutil.copy(officials, data / "officials.csv")
        for gold in selected.values():
            shutil.copy(DEV / "raw" / gold["file"], data / "raw" / gold["file"])
        ingest(data)
        store = Store.open(data)
        roster = load_roster(data)
        clusters = {}
        for i, m in enumerate(find_meetings(store)):
            for doc in m["documents"]:
                clusters[Path(doc).name] = i
        evented = {stem: g["event_id"] for stem, g in selected.items() if g["event_id"]}
        p, r, f = score.bcubed(evented, clusters)
        stray = sorted(stem for stem, g in selected.items() if not g["event_id"] and stem in clusters)
        events: dict[str, list[str]] = collections.defaultdict(list)
        for stem, g in selected.items():
            if g["event_id"]:
                events[g["event_id"]].append(stem)
        for eid, stems in sorted(events.items()):
            got = {clusters.get(s) for s in stems}
            if (len(got) > 1 or None in got) and not quiet:
                print("split", eid, stems, "->", sorted(got, key=str))
        dates: dict[str, set[str]] = collections.defaultdict(set)
        for stems in events.values():
            gs = [selected[s] for s in stems]
            day = collections.Counter(g["meeting_date"] for g in gs if g["meeting_date"]).most_common(1)
            for person in set().union(*(g["participants"] for g in gs)):
                if day:
                    dates[person].add(day[0][0])
        tp = fp = fn = 0
        for person, want in sorted(dates.items()):
            official = roster.get(person)
            got = (
                {(m.get("date") or "")[:10] for m in find_meetings(store, official.name)} - {""} if official else set()
            )
            tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
            if got != want and not quiet:
                print("minister", person, "missing", sorted(want - got), "extra", sorted(got - want))
        store.close()
    mp = tp / (tp + fp) if tp + fp else 0.0
    mr = tp / (tp + fn) if tp + fn else 0.0
    mf = 2 * mp * mr / (mp + mr) if mp + mr else 0.0
    return {"B3": f, "B3_P": p, "B3_R": r, "minister_F1": mf, "stray": len(stray)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=("odd", "even", "all"), default="all")
    ap.add_argument("--only", default="")
    ap.add_argument("--officials", type=Path, help="an extra officials.csv, taken as DATA/officials.csv")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--no-meetings", action="store_true")
    a = ap.parse_args()
    selected = golds(a.half, a.only)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        if a.officials:
            shutil.copy(a.officials, data / "officials.csv")
        figures = parse_figures(selected, data, a.quiet)
    fields = " ".join(f"{k}={v}/{figures['n']}" for k, v in figures["fields"].items())
    print(
        f"parse[{a.half}]: n={figures['n']} participants P={figures['P']:.2f} R={figures['R']:.2f} "
        f"F1={figures['F1']:.2f} {fields}"
    )
    if not a.no_meetings:
        m = meeting_figures(selected, a.officials, a.quiet)
        print(
            f"meetings[{a.half}]: grouping B3 P={m['B3_P']:.2f} R={m['B3_R']:.2f} F1={m['B3']:.2f}; "
            f"minister dates F1={m['minister_F1']:.2f}; no-meeting pieces placed in a meeting={m['stray']}"
        )


if __name__ == "__main__":
    main()
