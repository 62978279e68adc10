"""Every command at corpus scale: cold one-shot processes at 1k / 20k / 100k documents.

For each size it reuses (or generates and ingests) the bench corpus of bench/corpus.py, then
times each command as a user runs it, a fresh process each time (medians of --runs), with the
peak resident memory of the child (wait4), beside the bare FTS5 floor (the same MATCH in a
script that imports sqlite3 and nothing else). Ingest is timed three ways: a second run with
nothing changed (a stat pass, no write), and adding 100 new files (then removing them again,
so the corpus stays the same for the next run). A near-duplicate corpus (verbatim copies of the
five seeds, one line apart) times a full ingest where every page looks like every other.

    python bench/scale.py --docs 1000,20000,100000 --reuse
    python bench/scale.py --docs 1000 --only kwic,trend --runs 1     # a quick slice

The table gives each command's median per size and the growth factor from the smallest to the
largest size (1.0 = flat; 100 = linear in the corpus over 1k -> 100k), then checks the targets
of issue 17 at the largest size. Results go to bench/out/scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402
from search import BARE_FTS, fts_match, timed, timed_cpu  # noqa: E402

REFERENCE_LOOP = "sum(i * i for i in range(100_000))"
"""A fixed pure-Python workload timed before each full ingest: the 2-core machines this runs on
differ (and drift within an hour) by more than most changes to the code, so docs/s is read
beside how fast the machine ran plain Python just then."""

SEEDS = HERE.parent / "data" / "raw"
COMMANDS = {
    "search --json": ["search", "extended deterrence", "--json"],
    "bare FTS5": None,  # the floor: filled in per corpus
    "kwic --json": ["kwic", "extended", "deterrence", "--json"],
    "trend --json": ["trend", "ironclad", "--json"],
    "meetings --json": ["meetings", "--json"],
    "people --json": ["people", "--json"],
    "show --json": ["show", "{doc}", "--json"],
    "export jsonl (1 query)": ["export", "--format", "jsonl", '"Nuclear Consultative Group"'],
    "ingest, nothing changed": ["ingest"],
}
TARGETS_S = {
    "kwic --json": 1.0,
    "trend --json": 1.0,
    "meetings --json": 0.5,
    "people --json": 0.5,
    "show --json": 0.5,
    "ingest, nothing changed": 2.0,
    "ingest, 100 files added": 10.0,
}
PEAK_MB = 80.0
QUERY_COMMANDS = ("search --json", "kwic --json", "trend --json", "meetings --json", "people --json", "show --json")
NEAR_DUPLICATES = 1500


def reference_ms() -> float:
    """REFERENCE_LOOP's best of five, in milliseconds."""
    import timeit

    return min(timeit.repeat(REFERENCE_LOOP, number=20, repeat=5)) / 20 * 1000


def corpus(count: int, out: Path, env: dict[str, str], alliance: str, reuse: bool) -> tuple[Path, dict[str, float]]:
    """The data folder for `count` documents, ingested, and the full ingest's figures (none when
    an earlier index is reused): wall and CPU seconds, peak MB, the reference loop just before."""
    data = out / str(count)
    raw = data / "raw"
    db = data / "index" / "corpus.db"
    if reuse and db.exists() and raw.is_dir():
        return data, {}
    if not raw.is_dir() or sum(1 for _ in raw.iterdir()) != count:
        shutil.rmtree(data, ignore_errors=True)
        print(f"[{count}] generating", file=sys.stderr)
        generate(count, raw)
    shutil.rmtree(data / "index", ignore_errors=True)
    reference = reference_ms()
    print(f"[{count}] ingesting", file=sys.stderr)
    seconds, peak, cpu = timed_cpu([alliance, "--data", str(data), "ingest"], env)
    return data, {"s": seconds, "peak_mb": peak, "cpu_s": cpu, "reference_ms": reference}


def near_duplicates(out: Path, env: dict[str, str], alliance: str) -> dict[str, float]:
    """NEAR_DUPLICATES copies of the seeds, each with one line of its own: a full ingest."""
    data = out / "near-duplicates"
    shutil.rmtree(data, ignore_errors=True)
    raw = data / "raw"
    raw.mkdir(parents=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(NEAR_DUPLICATES):
        seed = seeds[i % len(seeds)]
        text = seed.read_text(encoding="utf-8")
        (raw / f"copy-{i:05d}-{seed.name}").write_text(f"{text}\nReference number {i}.\n", encoding="utf-8")
    print(f"[near-duplicates] ingesting {NEAR_DUPLICATES}", file=sys.stderr)
    seconds, peak = timed([alliance, "--data", str(data), "ingest"], env)
    return {"docs": NEAR_DUPLICATES, "ingest_s": seconds, "docs_per_s": NEAR_DUPLICATES / seconds, "peak_mb": peak}


def add_files(data: Path, env: dict[str, str], alliance: str) -> tuple[float, float]:
    """Ingest after adding 100 new files; then remove them and ingest again (not timed)."""
    extra = data / "extra-raw"
    shutil.rmtree(extra, ignore_errors=True)
    generate(100, extra, seed=99)
    added = []
    for path in sorted(extra.iterdir()):
        target = data / "raw" / f"added-{path.name}"
        shutil.move(path, target)
        added.append(target)
    shutil.rmtree(extra)
    try:
        return timed([alliance, "--data", str(data), "ingest"], env)
    finally:
        for path in added:
            path.unlink()
        timed([alliance, "--data", str(data), "ingest"], env)


def run_size(
    count: int, out: Path, runs: int, env: dict[str, str], alliance: str, reuse: bool, only: set[str] | None
) -> dict[str, object]:
    data, ingest = corpus(count, out, env, alliance, reuse)
    db = data / "index" / "corpus.db"
    import sqlite3

    conn = sqlite3.connect(db)
    doc = conn.execute("SELECT doc_id FROM documents ORDER BY id LIMIT 1 OFFSET ?", (count // 2,)).fetchone()[0]
    conn.close()
    results: dict[str, dict[str, float]] = {}
    before = db.stat().st_mtime_ns
    for name, args in COMMANDS.items():
        if only and not any(o in name for o in only):
            continue
        if args is None:
            cmd = [sys.executable, "-c", BARE_FTS, str(db), fts_match("extended deterrence")]
        else:
            cmd = [alliance, "--data", str(data), *(a.replace("{doc}", doc) for a in args)]
        print(f"[{count}] timing {name}", file=sys.stderr)
        timed(cmd, env)  # warm-up: bytecode written, files in the OS cache
        times, peaks, cpu = zip(*(timed_cpu(cmd, env) for _ in range(runs)), strict=True)
        results[name] = {"median_s": statistics.median(times), "peak_mb": max(peaks), "cpu_s": statistics.median(cpu)}
    if "ingest, nothing changed" in results:
        results["ingest, nothing changed"]["db_unchanged"] = float(db.stat().st_mtime_ns == before)
        print(f"[{count}] timing 100 files added", file=sys.stderr)
        seconds, peak = add_files(data, env, alliance)
        results["ingest, 100 files added"] = {"median_s": seconds, "peak_mb": peak}
    nan = float("nan")
    return {
        "docs": count,
        "full_ingest_s": ingest.get("s", nan),
        "full_ingest_docs_per_s": count / ingest["s"] if ingest else nan,
        "full_ingest_peak_mb": ingest.get("peak_mb", nan),
        "full_ingest_cpu_ms_per_doc": ingest["cpu_s"] / count * 1000 if ingest else nan,
        "reference_loop_ms": ingest.get("reference_ms", nan),
        "db_mb": db.stat().st_size / 1e6,
        "commands": results,
    }


INGEST_ROWS = (
    ("full ingest, docs/s", "full_ingest_docs_per_s", 0),
    ("full ingest, CPU ms a doc (all processes)", "full_ingest_cpu_ms_per_doc", 2),
    ("reference loop just before, ms", "reference_loop_ms", 2),
)
"""The full ingest's rows under the commands: label, key of the size's results, decimals."""


def report(rows: list[dict[str, object]], near: dict[str, float] | None) -> str:
    sizes = [f"{r['docs']:,}" for r in rows]
    lines = [
        "| command | " + " | ".join(f"{s} docs" for s in sizes) + " | growth | peak MB (largest) |",
        "|---|" + "---|" * len(rows) + "---|---|",
    ]
    names = list(rows[-1]["commands"])  # type: ignore[call-overload]
    for name in names:
        cells = []
        for r in rows:
            c = r["commands"].get(name)  # type: ignore[attr-defined]
            cells.append(f"{c['median_s']:.2f} s" if c else "-")
        first, last = rows[0]["commands"].get(name), rows[-1]["commands"][name]  # type: ignore[attr-defined, index]
        growth = f"{last['median_s'] / first['median_s']:.1f}x" if first and len(rows) > 1 else "-"
        lines.append(f"| `{name}` | " + " | ".join(cells) + f" | {growth} | {last['peak_mb']:.0f} |")
    for label, key, digits in INGEST_ROWS:
        lines.append(f"| {label} | " + " | ".join(f"{r[key]:.{digits}f}" for r in rows) + " | | |")
    if near:
        lines.append(
            f"\nnear-duplicate corpus ({near['docs']:,} copies of the seeds): full ingest "
            f"{near['ingest_s']:.1f} s = {near['docs_per_s']:.0f} docs/s, peak {near['peak_mb']:.0f} MB"
        )
    last = rows[-1]
    commands = last["commands"]
    assert isinstance(commands, dict)
    checks = [
        f"{n} <= {t} s: {'met' if commands[n]['median_s'] <= t else 'NOT met'}"
        for n, t in TARGETS_S.items()
        if n in commands
    ]
    if "search --json" in commands and "bare FTS5" in commands:
        ratio = commands["search --json"]["median_s"] / commands["bare FTS5"]["median_s"]
        cpu = commands["search --json"]["cpu_s"] / commands["bare FTS5"]["cpu_s"]
        checks.append(
            f"search --json / bare FTS5 = {ratio:.2f} (<= 2: {'met' if ratio <= 2 else 'NOT met'}; "
            f"CPU time {commands['search --json']['cpu_s']:.3f} s / {commands['bare FTS5']['cpu_s']:.3f} s = {cpu:.2f})"
        )
    peak = max((commands[n]["peak_mb"] for n in QUERY_COMMANDS if n in commands), default=0.0)
    checks.append(f"peak of query commands {peak:.0f} MB (<= {PEAK_MB:.0f}: {'met' if peak <= PEAK_MB else 'NOT met'})")
    lines.append(f"\ntargets at {last['docs']:,} docs: " + "; ".join(checks))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Time every alliance command at corpus scale, cold.")
    parser.add_argument("--docs", default="1000,20000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--runs", type=int, default=3, help="cold runs per command")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--reuse", action="store_true", help="keep the indexes an earlier run built")
    parser.add_argument("--only", help="comma-separated parts of command names to time (a quick slice)")
    parser.add_argument("--no-near-duplicates", action="store_true", help="skip the near-duplicate ingest")
    args = parser.parse_args()
    alliance = shutil.which("alliance") or str(Path(sys.executable).with_name("alliance"))
    if "alliance.launch" not in Path(alliance).read_text(errors="replace"):
        print(
            f"warning: {alliance} was installed before alliance.launch: `pip install -e .` regenerates it "
            "(until then every search is timed through click)",
            file=sys.stderr,
        )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"NO_COLOR": "1", "COLUMNS": "120"}
    only = set(args.only.split(",")) if args.only else None
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = os.getloadavg()[0]
    rows = [run_size(int(n), args.out, args.runs, env, alliance, args.reuse, only) for n in args.docs.split(",")]
    near = None if args.no_near_duplicates or only else near_duplicates(args.out, env, alliance)
    text = report(rows, near) + f"\n\nrun {started}, {os.cpu_count()} cores, load average {load:.1f} at the start"
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale.json").write_text(json.dumps({"results": rows, "near_duplicates": near}, indent=2))
    print(f"\nwritten: {args.out / 'scale.json'}", file=sys.stderr)


if __name__ == "__main__":
    main()
