"""Publication dates on shared/date-bench (511 pages of htmldate's evaluation set): exact day, null,
wrong, and ms per page, for alliance (HTML and text dumps) beside htmldate and trafilatura.

    python bench/dates.py [--bench ../shared/date-bench] [--limit N] [--half even|odd] [--tools alliance,htmldate]
                          [--misses] [--json FILE]

ms per page is CPU time in this process (parse only: decoding, cleaning, parsing; the text dump is
made outside the clock), the mean and the median page (the machine load average is printed too).
Runs in one process (the scorer `../shared/date-bench/score.py` goes through the CLI instead; the
figures are the same). `--half` scores every other page: settings are chosen on the even half and
checked on the odd one, which they were not chosen on.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import re
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from alliance.models import RawDocument
from alliance.parse import clean_and_parse
from alliance.rawfile import decode

BENCH = Path(__file__).resolve().parents[1].parent / "shared/date-bench"
TARGETS = {"html": (0.92, 0.06), "text": (0.75, 0.08)}
"""Exact-day accuracy at least, wrong answers at most (issue 14)."""


def load_scorer(bench: Path):
    spec = importlib.util.spec_from_file_location("date_bench_score", bench / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stems(bench: Path, half: str = "", limit: int = 0) -> list[str]:
    gold = json.loads((bench / "gold.json").read_text())
    dated = sorted(s for s in gold if gold[s]["date"])
    if half:
        dated = dated[half == "odd" :: 2]
    return dated[: limit or None]


def pages(bench: Path, ids: list[str]) -> Iterator[tuple[str, bytes]]:
    for stem in ids:
        src = bench / "pages" / f"{stem}.gz"
        yield stem, gzip.decompress(src.read_bytes()) if src.exists() else (bench / "pages" / stem).read_bytes()


def alliance_date(data: bytes, kind: str, name: str) -> tuple[str | None, str | None]:
    """(published, published_basis) as `alliance parse` gives them."""
    text, encoding = decode(data, is_html=kind == "html")
    path = Path(name).with_suffix(".html" if kind == "html" else ".txt")
    raw = RawDocument(path, path.stem, data, text, encoding, "html" if kind == "html" else "txt")
    article = clean_and_parse(raw)[2]
    return article.published, article.published_basis


def htmldate_date(data: bytes, kind: str, name: str, extensive: bool = True) -> tuple[str | None, str | None]:
    from htmldate import find_date

    return find_date(data.decode("utf-8", "replace"), original_date=True, extensive_search=extensive), None


def trafilatura_date(data: bytes, kind: str, name: str) -> tuple[str | None, str | None]:
    from trafilatura.metadata import extract_metadata

    return extract_metadata(data.decode("utf-8", "replace")).date, None


TOOLS: dict[str, tuple[str, Callable[[bytes, str, str], tuple[str | None, str | None]], tuple[str, ...]]] = {
    "alliance": ("alliance parse", alliance_date, ("html", "text")),
    "htmldate": ("htmldate 1.11 find_date(original_date=True)", htmldate_date, ("html",)),
    "htmldate-fast": (
        "htmldate 1.11 find_date(extensive_search=False, original_date=True)",
        lambda data, kind, name: htmldate_date(data, kind, name, extensive=False),
        ("html",),
    ),
    "trafilatura": ("trafilatura 2.3.1 extract_metadata().date", trafilatura_date, ("html",)),
}


def language(html: bytes) -> str:
    m = re.search(rb"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2})", html[:5000], re.I)
    return m.group(1).decode().lower() if m else "?"


def score(
    bench: Path, ids: list[str], tool: str = "alliance", forms: tuple[str, ...] = ("html", "text")
) -> dict[str, dict[str, object]]:
    """Per form: exact/null/wrong on all pages, news pages and English pages, ms per page, and the misses."""
    gold = json.loads((bench / "gold.json").read_text())
    scorer = load_scorer(bench)
    _, find, tool_forms = TOOLS[tool]
    answers: dict[str, dict[str, tuple[str | None, str | None]]] = {f: {} for f in forms if f in tool_forms}
    elapsed: dict[str, list[float]] = {form: [] for form in answers}
    lang = {}
    for stem, html in pages(bench, ids):
        lang[stem] = language(html)
        for form in answers:
            data = html if form == "html" else scorer.text_dump(html).encode()
            started = time.process_time()  # CPU time: the machine is shared, wall time says more about the others
            answers[form][stem] = find(data, form, stem)
            elapsed[form].append(time.process_time() - started)
    subsets = {
        "all": ids,
        "news": [s for s in ids if gold[s]["subset"] == "news"],
        "English": [s for s in ids if lang[s] == "en"],
    }
    out: dict[str, dict[str, object]] = {}
    for form, got in answers.items():
        figures: dict[str, object] = {
            "ms_per_page": sum(elapsed[form]) * 1000 / max(1, len(ids)),
            "median_ms_per_page": statistics.median(elapsed[form] or [0.0]) * 1000,
        }
        for name, subset in subsets.items():
            n = len(subset) or 1
            exact = sum(got[s][0] == gold[s]["date"] for s in subset)
            null = sum(got[s][0] is None for s in subset)
            figures[name] = {"n": len(subset), "exact": exact / n, "null": null / n, "wrong": (n - exact - null) / n}
        figures["misses"] = [
            (stem, gold[stem]["date"], *got[stem], gold[stem]["url"])
            for stem in ids
            if got[stem][0] != gold[stem]["date"]
        ]
        out[form] = figures
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=BENCH)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--half", choices=("even", "odd"), help="every other page (tuning half / held-out half)")
    parser.add_argument("--tools", default="alliance", help=f"comma-separated: {', '.join(TOOLS)}")
    parser.add_argument("--misses", action="store_true", help="list every page answered wrong or null")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    ids = stems(args.bench, args.half or "", args.limit)
    report = {}
    print(f"{'tool':<68} {'input':<6} {'exact':>6} {'null':>6} {'wrong':>6} {'Engl.':>6} {'CPU ms':>8} {'median':>7}")
    for tool in args.tools.split(","):
        label = TOOLS[tool][0]
        for form, figures in score(args.bench, ids, tool).items():
            every, english = figures["all"], figures["English"]
            target, most_wrong = TARGETS[form]
            mark = ""
            if tool == "alliance":
                ok = every["exact"] >= target and every["wrong"] <= most_wrong
                mark = "ok" if ok else f"target exact>={target} wrong<={most_wrong}"
            print(
                f"{label:<68} {form:<6} {every['exact']:>6.3f} {every['null']:>6.3f} {every['wrong']:>6.3f}"
                f" {english['exact']:>6.3f} {figures['ms_per_page']:>8.1f}"
                f" {figures['median_ms_per_page']:>7.1f}  {mark}"
            )
            if args.misses:
                for stem, want, got, basis, url in figures["misses"]:
                    print(f"    miss {form} {stem[:30]:<30} want {want} got {got} ({basis}) {url[:80]}")
            report[f"{tool} {form}"] = {k: v for k, v in figures.items() if k != "misses"}
    print(
        f"pages: {len(ids)}{' (' + args.half + ' half)' if args.half else ''}; today {date.today()};"
        f" load average {os.getloadavg()[0]:.1f}"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
