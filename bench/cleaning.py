"""Score the cleaner on shared/cleaning-bench: F1/P/R (the benchmark's shingle metric) and ms per page.

    python bench/cleaning.py [--bench ../shared/cleaning-bench] [--ids FILE] [--worst N]

Text dumps and HTML are scored separately and printed beside the reference rows of the
benchmark's README. The site-template evidence is off here: each page is from another site.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import time
from pathlib import Path

from alliance.clean import clean
from alliance.models import RawDocument
from alliance.rawfile import decode

REFERENCE = [
    ("keep everything", "text dump", 0.665),
    ("trafilatura 2.3", "text dump", 0.692),
    ("jusText 3.0.2 (default settings)", "text dump", 0.772),
    ("a 110-line jusText-style line cleaner", "text dump", 0.847),
    ("jusText 3.0.2", "HTML", 0.807),
    ("readability-lxml 0.9", "HTML", 0.963),
    ("trafilatura 2.3.1", "HTML", 0.965),
]
TARGETS = {"text": 0.90, "html": 0.95}


def load_scorer(bench: Path):
    spec = importlib.util.spec_from_file_location("bench_score", bench / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(bench: Path, kind: str, ids: list[str]) -> tuple[dict[str, str], float]:
    predictions: dict[str, str] = {}
    elapsed = 0.0
    for page_id in ids:
        if kind == "text":
            data = (bench / "text" / f"{page_id}.txt").read_bytes()
        else:
            data = gzip.decompress((bench / "html" / f"{page_id}.html.gz").read_bytes())
        started = time.perf_counter()
        text, encoding = decode(data, is_html=kind == "html")
        raw = RawDocument(Path(page_id), page_id, data, text, encoding, "html" if kind == "html" else "txt")
        predictions[page_id] = clean(raw).body
        elapsed += time.perf_counter() - started
    return predictions, elapsed * 1000 / max(1, len(ids))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bench",
        type=Path,
        default=Path(__file__).resolve().parents[1].parent / "shared/cleaning-bench",
    )
    parser.add_argument("--ids", type=Path, help="score only the page ids listed in this file")
    parser.add_argument("--worst", type=int, default=0, help="list the N lowest-scoring pages")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    scorer = load_scorer(args.bench)
    gold = {k: v["articleBody"] for k, v in json.loads((args.bench / "gold.json").read_text()).items()}
    if args.ids:
        gold = {k: gold[k] for k in args.ids.read_text().split()}
    ids = sorted(gold)
    figures = {}
    print(f"{'cleaner':<42} {'input':<10} {'F1':>6} {'P':>6} {'R':>6} {'ms/page':>8}")
    for name, kind, f1 in REFERENCE:
        print(f"{name:<42} {kind:<10} {f1:>6.3f}")
    for kind in ("text", "html"):
        predictions, ms = run(args.bench, kind, ids)
        f1, p, r = scorer.score(gold, predictions)
        figures[kind] = {
            "f1": f1,
            "precision": p,
            "recall": r,
            "ms_per_page": ms,
            "pages": len(ids),
        }
        mark = "ok" if f1 >= TARGETS[kind] else f"below target {TARGETS[kind]}"
        label = "text dump" if kind == "text" else "HTML"
        print(f"{'alliance clean':<42} {label:<10} {f1:>6.3f} {p:>6.3f} {r:>6.3f} {ms:>8.1f}  {mark}")
        if args.worst:
            rows = []
            for page_id in ids:
                tp, fp, fn = scorer.page(gold[page_id], predictions[page_id])
                rows.append((scorer.prec(tp, fp, fn), scorer.rec(tp, fp, fn), page_id))
            for p_, r_, page_id in sorted(rows, key=lambda x: 2 * x[0] * x[1] / (x[0] + x[1] or 1))[: args.worst]:
                print(f"    {page_id[:16]}  P={p_:.2f} R={r_:.2f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
