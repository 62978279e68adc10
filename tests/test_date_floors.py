"""Floor tests: a quick slice of the date benchmark and the dev articles' dates and authors must
not fall below the figures pinned in date_floors.json (set from a run, less one page of slack).
They need ../shared (the benchmarks); without it they are skipped, not passed."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FLOORS = json.loads((Path(__file__).with_name("date_floors.json")).read_text())


def _bench():
    if not (SHARED / "date-bench" / "gold.json").is_file():
        pytest.skip("no ../shared/date-bench here")
    spec = importlib.util.spec_from_file_location("bench_dates", ROOT / "bench" / "dates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_date_bench_slice_stays_above_its_floor():
    bench = _bench()
    floor = FLOORS["date_bench_slice"]
    ids = bench.stems(SHARED / "date-bench", floor["half"], floor["pages"])
    figures = bench.score(SHARED / "date-bench", ids)
    for form in ("html", "text"):
        got = figures[form]["all"]
        assert got["exact"] >= floor[form]["exact"], (form, got)
        assert got["wrong"] <= floor[form]["wrong"], (form, got)


def test_dev_articles_dates_and_authors_stay_above_their_floor():
    dev = SHARED / "dev-articles"
    if not (dev / "gold").is_dir():
        pytest.skip("no ../shared/dev-articles here")
    from alliance.api import parse_file

    def norm(s):
        return " ".join((s or "").lower().replace("the ", "").split())

    right = {"published": 0, "author": 0}
    for path in sorted((dev / "gold").glob("*.json")):
        gold = json.loads(path.read_text())
        got = parse_file(dev / "raw" / gold["file"])
        right["published"] += got["published"] == gold["published"]
        right["author"] += norm(got["author"]) == norm(gold["author"])
    assert right["published"] >= FLOORS["dev_articles"]["published"], right
    assert right["author"] >= FLOORS["dev_articles"]["author"], right
