"""Search benchmark: alliance (SQLite FTS5) against a bare FTS5 script and the rank-bm25 baseline.

For each corpus size it generates realistic raw files (bench/corpus.py), times an end-to-end
`alliance ingest`, builds the rank-bm25 baseline over the same analysed tokens (BM25Okapi,
pickled, as its users persist it), then times cold one-shot processes per query:

  alliance table   `alliance search QUERY`            (what a user types)
  alliance json    `alliance search QUERY --json`     (what a script calls)
  bare FTS5        the same MATCH over the same db, sqlite3 and nothing else (the floor)
  rank-bm25        load the pickle, score every document, take the top 10

Medians and peak memory (max RSS of the child, from wait4) are printed side by side with the
ratios the search issue sets as targets, and written to bench/out/search.json.

    pip install -e '.[bench]'
    python bench/search.py --docs 1000,20000,100000
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402

QUERIES = (
    '"extended deterrence"',
    "extended deterrence",
    "ironclad alliance",
    '"Nuclear Consultative Group"',
    "trilateral security cooperation japan",
)
TARGETS = {"table_s": 0.25, "json_s": 0.15, "speedup": 30.0, "peak_mb": 80.0, "ingest_docs_s": 300.0}

BARE_FTS = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute(
    "SELECT d.doc_id, d.title, bm25(fts, 3.0, 1.0, 3.0, 1.0) AS s FROM fts JOIN documents d ON d.id = fts.rowid "
    "WHERE fts MATCH ? ORDER BY s LIMIT 10", (sys.argv[2],)).fetchall()
print("\\n".join(f"{r[0]}\\t{r[1]}" for r in rows))
"""

BM25_QUERY = """
import pickle, sys
import numpy as np
from alliance.index import analyse
with open(sys.argv[1], "rb") as f:
    model, doc_ids = pickle.load(f)
scores = model.get_scores(analyse(sys.argv[2])[0].split())
print("\\n".join(doc_ids[i] for i in np.argsort(scores)[::-1][:10]))
"""


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one cold child process."""
    seconds, peak, _ = timed_cpu(cmd, env)
    return seconds, peak


def timed_cpu(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, peak resident memory (MB) and CPU seconds (user + system, every thread) of one
    cold child process: the CPU figure moves less than the wall one on a machine others load."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}: {proc.stderr.read().decode() if proc.stderr else ''}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def build_baseline(db: Path, out: Path) -> None:
    """BM25Okapi over the stemmed tokens of title and body, pickled."""
    from rank_bm25 import BM25Okapi

    from alliance.index import analyse

    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT d.doc_id, coalesce(d.title, '') || ' ' || t.body FROM documents d JOIN texts t USING (id) ORDER BY d.id"
    ).fetchall()
    conn.close()
    model = BM25Okapi([analyse(text)[0].split() for _, text in rows])
    with out.open("wb") as f:
        pickle.dump((model, [doc_id for doc_id, _ in rows]), f, protocol=pickle.HIGHEST_PROTOCOL)


def fts_match(query: str) -> str:
    from alliance.search import parse_query, to_fts

    return to_fts(parse_query(query))


def run_size(count: int, out: Path, runs: int, env: dict[str, str], alliance: str, reuse: bool) -> dict[str, object]:
    data = out / str(count)
    raw = data / "raw"
    if not raw.is_dir() or sum(1 for _ in raw.iterdir()) != count:
        shutil.rmtree(data, ignore_errors=True)
        print(f"[{count}] generating {count} raw files", file=sys.stderr)
        generate(count, raw)
    db = data / "index" / "corpus.db"
    pickle_path = data / "bm25.pkl"
    ingest_s = ingest_mb = baseline_build_s = baseline_build_mb = float("nan")
    if reuse and db.exists() and pickle_path.exists():  # keep the ingest figures an earlier run measured
        earlier = json.loads((out / "search.json").read_text()) if (out / "search.json").exists() else {}
        for row in earlier.get("results", []):
            if row["docs"] == count:
                ingest_s, ingest_mb = row["ingest_s"], row["ingest_peak_mb"]
                baseline_build_s, baseline_build_mb = row["baseline_build_s"], row["baseline_build_peak_mb"]
    else:
        shutil.rmtree(data / "index", ignore_errors=True)
        print(f"[{count}] ingesting", file=sys.stderr)
        ingest_s, ingest_mb = timed([alliance, "--data", str(data), "ingest"], env)
        print(f"[{count}] building the rank-bm25 baseline", file=sys.stderr)
        baseline_build_s, baseline_build_mb = timed(  # in a child: the model must not swell this process
            [sys.executable, __file__, "--build-baseline", str(db), str(pickle_path)], env
        )
    engines = {
        "alliance table": lambda q: [alliance, "--data", str(data), "search", q],
        "alliance json": lambda q: [alliance, "--data", str(data), "search", q, "--json"],
        "bare FTS5": lambda q: [sys.executable, "-c", BARE_FTS, str(db), fts_match(q)],
        "rank-bm25": lambda q: [sys.executable, "-c", BM25_QUERY, str(pickle_path), q],
    }
    results: dict[str, dict[str, float]] = {}
    for name, command in engines.items():
        print(f"[{count}] timing {name}", file=sys.stderr)
        timed(command(QUERIES[0]), env)  # warm-up: bytecode written, files in the OS cache
        times, peaks = [], []
        for query in QUERIES:
            for _ in range(runs if name != "rank-bm25" or count <= 20000 else max(1, runs // 2)):
                elapsed, peak = timed(command(query), env)
                times.append(elapsed)
                peaks.append(peak)
        results[name] = {"median_s": statistics.median(times), "peak_mb": max(peaks)}
    return {
        "docs": count,
        "ingest_s": ingest_s,
        "ingest_docs_per_s": count / ingest_s,
        "ingest_peak_mb": ingest_mb,
        "baseline_build_s": baseline_build_s,
        "baseline_build_peak_mb": baseline_build_mb,
        "db_mb": db.stat().st_size / 1e6,
        "engines": results,
        "speedup_json_vs_rank_bm25": results["rank-bm25"]["median_s"] / results["alliance json"]["median_s"],
        "speedup_table_vs_rank_bm25": results["rank-bm25"]["median_s"] / results["alliance table"]["median_s"],
    }


def report(rows: list[dict[str, object]]) -> str:
    lines = [
        "| docs | alliance table | alliance --json | bare FTS5 | rank-bm25 | speed-up (json) | "
        "peak MB (alliance / rank-bm25) | ingest docs/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        e = row["engines"]
        assert isinstance(e, dict)
        lines.append(
            f"| {row['docs']:,} | {e['alliance table']['median_s']:.3f} s | {e['alliance json']['median_s']:.3f} s | "
            f"{e['bare FTS5']['median_s']:.3f} s | {e['rank-bm25']['median_s']:.2f} s | "
            f"{row['speedup_json_vs_rank_bm25']:.0f}x | "
            f"{max(e['alliance table']['peak_mb'], e['alliance json']['peak_mb']):.0f} / "
            f"{e['rank-bm25']['peak_mb']:.0f} | {row['ingest_docs_per_s']:.0f} |"
        )
    last = rows[-1]
    e = last["engines"]
    assert isinstance(e, dict)
    checks = {
        f"table <= {TARGETS['table_s']} s": e["alliance table"]["median_s"] <= TARGETS["table_s"],
        f"--json <= {TARGETS['json_s']} s": e["alliance json"]["median_s"] <= TARGETS["json_s"],
        f">= {TARGETS['speedup']:.0f}x rank-bm25": last["speedup_json_vs_rank_bm25"] >= TARGETS["speedup"],  # type: ignore[operator]
        f"peak <= {TARGETS['peak_mb']:.0f} MB": max(e["alliance table"]["peak_mb"], e["alliance json"]["peak_mb"])
        <= TARGETS["peak_mb"],
        f"ingest >= {TARGETS['ingest_docs_s']:.0f} docs/s": last["ingest_docs_per_s"] >= TARGETS["ingest_docs_s"],  # type: ignore[operator]
    }
    lines.append("")
    lines.append(
        f"targets at {last['docs']:,} docs: "
        + "; ".join(f"{k}: {'met' if ok else 'NOT met'}" for k, ok in checks.items())
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Time alliance search against a bare FTS5 script and rank-bm25.")
    parser.add_argument("--docs", default="1000,20000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--runs", type=int, default=5, help="cold runs per query and engine")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--reuse", action="store_true", help="time queries on the indexes of an earlier run")
    parser.add_argument("--build-baseline", nargs=2, type=Path, metavar=("DB", "PICKLE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_baseline:
        build_baseline(*args.build_baseline)
        return
    alliance = shutil.which("alliance") or str(Path(sys.executable).with_name("alliance"))
    # Installed packages import from .pyc files; a PYTHONDONTWRITEBYTECODE environment would
    # time the compiling of alliance's sources on every call instead (the first call writes them).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"NO_COLOR": "1", "COLUMNS": "120"}
    rows = [run_size(int(n), args.out, args.runs, env, alliance, args.reuse) for n in args.docs.split(",")]
    text = report(rows)
    print(text)
    (args.out / "search.json").write_text(json.dumps({"targets": TARGETS, "results": rows}, indent=2))
    print(f"\nwritten: {args.out / 'search.json'}", file=sys.stderr)


if __name__ == "__main__":
    main()
