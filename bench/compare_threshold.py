"""Choose compare.SAME_STATEMENT on labelled statement pairs, and check it where it was not chosen.

    python bench/compare_threshold.py [--list]

Two labelled sets:
- tests/fixtures/compare/pairs.csv: written pairs, each statement with a paraphrase (must align) and
  a near-miss that shares the frame and most words (must not); scored with IDF over all its sentences.
- bench/compare_dev_pairs.csv: every cross-source statement pair of ../shared/dev-articles (gold
  bodies, same gold meeting, cosine >= 0.2) labelled by reading; scored in its meeting, as compare does.

The threshold maximises F0.5 of "same" over both sets (precision counts double: a false alignment
hides what only one source says, a missed one stays listed with its nearest match beside it), among
cut points >= MINED (below it the dev pairs were not mined, so recall there cannot be measured);
two folds (alternate statement groups and alternate meetings) give the held-out figures: chosen on
one fold, scored on the other.
"""

from __future__ import annotations

import csv
import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path

from alliance.compare import SAME_STATEMENT, frame_stems, pair_similarity, similarities, source_statements

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "tests" / "fixtures" / "compare" / "pairs.csv"
DEV_PAIRS = ROOT / "bench" / "compare_dev_pairs.csv"
GOLD = ROOT.parent / "shared" / "dev-articles" / "gold"
MINED = 0.2
BETA = 0.5


def load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def written() -> list[tuple[int, float, bool]]:
    """(fold, score, same) for the written pairs; a statement's paraphrase and near-miss share a fold."""
    rows = load(PAIRS)
    scores = pair_similarity([(r["a"], r["b"], r["participants"].split(";")) for r in rows])
    groups = {a: i for i, a in enumerate(dict.fromkeys(r["a"] for r in rows))}
    return [(groups[r["a"]] % 2, s, r["label"] == "same") for r, s in zip(rows, scores, strict=True)]


def dev() -> list[tuple[int, float, bool]]:
    """(fold, score, same) for the dev pairs, each scored among all statements of its gold meeting."""
    if not GOLD.is_dir():
        return []
    by_meeting: dict[str, dict[str, str]] = defaultdict(dict)
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold["event_id"] and gold["language"] == "en":
            by_meeting[gold["event_id"]][gold["file"]] = gold["body"]
    rows = load(DEV_PAIRS)
    meetings = {m: i for i, m in enumerate(dict.fromkeys(r["meeting"] for r in rows))}
    scored: dict[tuple[str, str], float] = {}
    for meeting in meetings:
        participants = next(r["participants"] for r in rows if r["meeting"] == meeting).split(";")
        items = source_statements(by_meeting[meeting], frame_stems(participants))
        for (i, j), score in similarities(items).items():
            scored[(items[i].text, items[j].text)] = scored[(items[j].text, items[i].text)] = score
    return [(meetings[r["meeting"]] % 2, scored.get((r["a"], r["b"]), 0.0), r["label"] == "same") for r in rows]


def figures(pairs: list[tuple[int, float, bool]], threshold: float) -> tuple[float, float, float, float]:
    """Precision, recall and F-beta of 'same', and accuracy."""
    tp = sum(s >= threshold and y for _, s, y in pairs)
    fp = sum(s >= threshold and not y for _, s, y in pairs)
    fn = sum(s < threshold and y for _, s, y in pairs)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = (1 + BETA**2) * p * r / (BETA**2 * p + r) if p + r else 0.0
    right = sum((s >= threshold) == y for _, s, y in pairs)
    return p, r, f1, right / len(pairs) if pairs else 0.0


def choose(pairs: list[tuple[int, float, bool]]) -> float:
    """The middle of the run of cut points with the best F-beta."""
    cuts = sorted({s for _, s, _ in pairs if s >= MINED})
    candidates = [round((a + b) / 2, 3) for a, b in itertools.pairwise(cuts)] or [SAME_STATEMENT]
    best = max(figures(pairs, t)[2] for t in candidates)
    good = [t for t in candidates if figures(pairs, t)[2] == best]
    return good[len(good) // 2]


def show(name: str, pairs: list[tuple[int, float, bool]], threshold: float) -> str:
    p, r, f1, acc = figures(pairs, threshold)
    return f"{name}: P={p:.2f} R={r:.2f} F{BETA}={f1:.2f} accuracy={acc:.2f} ({len(pairs)} pairs)"


def main() -> None:
    sets = {"written": written(), "dev": dev()}
    if "--list" in sys.argv:
        for name, pairs in sets.items():
            for _, s, y in sorted(pairs, key=lambda x: x[1]):
                print(f"{name:8} {s:.3f} {'same' if y else 'different'}")
    both = [p for pairs in sets.values() for p in pairs]
    print(f"SAME_STATEMENT = {SAME_STATEMENT}")
    for name, pairs in sets.items():
        print("  " + show(name, pairs, SAME_STATEMENT))
    print(f"best on all pairs (in-sample): {choose(both)}")
    for k in (0, 1):
        t = choose([p for p in both if p[0] == k])
        print(f"fold {k}: chosen {t} on its half; held-out half:")
        for name, pairs in sets.items():
            print("  " + show(name, [p for p in pairs if p[0] != k], t))


if __name__ == "__main__":
    main()
