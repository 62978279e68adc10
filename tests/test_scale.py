"""kwic and trend read positions from the index (issue 17): the same answers as the old code,
which tokenised every matching body (kept in tests/oracle as the reference), on the seeds and
on a generated corpus."""

import sys
from pathlib import Path

import pytest

from alliance.ingest import ingest
from alliance.kwic import kwic
from alliance.search import search
from alliance.store import Store
from alliance.trend import trend

from .oracle import old_kwic, old_trend

BENCH = Path(__file__).resolve().parents[1] / "bench"
QUERIES = (
    "extended deterrence",
    "ironclad",
    "alliance",
    "Nuclear Consultative Group",
    "trilateral security cooperation",
    "확장억제",
    "deterrence",
    "U.S.",
    "minister's",
    '"South Korea" OR Seoul',
    "defense -Japan",
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """200 pages from the bench's own generator, ingested."""
    sys.path.insert(0, str(BENCH))
    try:
        from corpus import generate
    finally:
        sys.path.remove(str(BENCH))
    data = tmp_path_factory.mktemp("generated") / "data"
    generate(200, data / "raw", seed=11)
    ingest(data)
    return data


def _old_lines(store, query):
    return sorted((x.doc_id, x.offset, x.left, x.match, x.right) for x in old_kwic.kwic(store, query))


def _new_lines(store, query):
    lines = kwic(store, query, all_copies=True)
    return sorted((x.doc_id, x.offset, x.left, x.match, x.right) for x in lines.lines if x.field == "body")


@pytest.mark.parametrize("corpus", ["seed_index", "generated"])
def test_kwic_and_trend_agree_with_the_old_scan(corpus, request):
    store = Store.open(request.getfixturevalue(corpus))
    try:
        for query in QUERIES:
            assert _new_lines(store, query) == _old_lines(store, query), query
            old = old_trend.trend(store, [query], "year").to_dict()
            new = trend(store, [query], "year", all_copies=True).to_dict()
            said = ("counts", "copies")  # what the new output adds: what is counted, how copies are
            assert {k: v for k, v in new.items() if k not in said} == {k: v for k, v in old.items() if k not in said}
    finally:
        store.close()


def test_trend_documents_agree_with_search(generated):
    store = Store.open(generated)
    try:
        for query in ("ironclad", "extended deterrence", "alliance"):
            result = trend(store, [query], all_copies=True)
            counted = sum(p["counts"][query]["documents"] for p in result.to_dict()["periods"])
            counted += result.undated.get(query, old_trend.Count()).documents
            typed = f'"{query}"' if " " in query else query
            assert counted == search(store, typed, all_copies=True, expand_concepts=False).total
    finally:
        store.close()
