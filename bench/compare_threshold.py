"""Choose compare.SAME_STATEMENT on labelled statement pairs, and check it on pairs it was not chosen on.

    python bench/compare_threshold.py [PAIRS.csv]

Pairs come in groups (a paraphrase and a near-miss of one statement); two folds of whole groups:
the threshold chosen on one fold (best accuracy, the middle of the best interval) is scored on
the other. Prints every pair's score, the in-sample sweep and the held-out figures.
"""

from __future__ import annotations

import csv
import itertools
import sys
from pathlib import Path

from alliance.compare import SAME_STATEMENT, pair_similarity

PAIRS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "compare" / "pairs.csv"


def load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def accuracy(scores: list[float], labels: list[bool], threshold: float) -> float:
    return sum((s >= threshold) == same for s, same in zip(scores, labels, strict=True)) / len(labels)


def choose(scores: list[float], labels: list[bool]) -> float:
    """The middle of the widest-scoring run of cut points between consecutive scores."""
    cuts = sorted(set(scores))
    candidates = [(a + b) / 2 for a, b in itertools.pairwise(cuts)] or [SAME_STATEMENT]
    best = max(accuracy(scores, labels, t) for t in candidates)
    good = [t for t in candidates if accuracy(scores, labels, t) == best]
    return round(good[len(good) // 2], 3)


def main() -> None:
    rows = load(Path(sys.argv[1]) if len(sys.argv) > 1 else PAIRS)
    scores = pair_similarity([(r["a"], r["b"], r["participants"].split(";")) for r in rows])
    labels = [r["label"] == "same" for r in rows]
    groups = {a: i for i, a in enumerate(dict.fromkeys(r["a"] for r in rows))}
    fold = [groups[r["a"]] % 2 for r in rows]
    for r, s in sorted(zip(rows, scores, strict=True), key=lambda x: x[1]):
        print(f"{s:.3f}  {r['label']:<9}  {r['a'][:55]!r} / {r['b'][:55]!r}")
    now = accuracy(scores, labels, SAME_STATEMENT)
    print(f"\nall {len(rows)} pairs: SAME_STATEMENT={SAME_STATEMENT} accuracy {now:.3f}")
    print(f"  best on all pairs: {choose(scores, labels)}")
    for k in (0, 1):
        train = [i for i, f in enumerate(fold) if f == k]
        test = [i for i, f in enumerate(fold) if f != k]

        def part(idx: list[int]) -> tuple[list[float], list[bool]]:
            return [scores[i] for i in idx], [labels[i] for i in idx]

        t = choose(*part(train))
        print(
            f"  fold {k}: chosen {t} on {len(train)} pairs (accuracy {accuracy(*part(train), t):.3f}),"
            f" held-out accuracy {accuracy(*part(test), t):.3f} on {len(test)}"
        )


if __name__ == "__main__":
    main()
