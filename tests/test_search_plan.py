"""The shortcuts search takes at scale give what the plain SQL gives: the best scores read before
the documents, the count through fewer forms, copy groups named in the count, the snippet window
found without trying every word. On the seeds with verbatim reprints (tied scores) and pages that
reach concepts through other wording."""

import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.concepts import load_thesaurus
from alliance.ingest import ingest
from alliance.search import (
    COPY_MEMBERS,
    RANKED,
    SNIPPET_TOKENS,
    WEIGHTS,
    _densest,
    _expression,
    _grouped_sizes,
    _story_sizes,
    _tiers,
    _top,
    count_matches,
    expand,
    parse_query,
    search,
)
from alliance.store import Store

from .conftest import SEEDS

PAGES = {
    "umbrella": (
        "Allies talk about the nuclear umbrella",
        "In Seoul on Monday the nuclear umbrella stays over the South.",
    ),
    "deterrent": ("Deterrent posture reviewed", "Officials said the deterrent would hold; the NCG meets in spring."),
    "korean": ("한미 확장억제 협의", "양국은 확장억제 강화와 핵우산 제공을 논의했다."),
}
QUERIES = (
    "ironclad",
    "extended deterrence",
    "nuclear umbrella",
    "Lloyd Austin",
    "defense ministers Seoul",
    'deterrence -"extended deterrence"',
    "ironclad OR linchpin",
    "확장억제",
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    data = tmp_path_factory.mktemp("plan") / "data"
    shutil.copytree(SEEDS, data / "raw")
    reprinted = sorted(SEEDS.glob("002*"))[0]
    for i in range(3):  # verbatim copies: one story, tied scores
        shutil.copy(reprinted, data / "raw" / f"reprint-{i}.txt")
    for name, (title, body) in PAGES.items():
        (data / "raw" / f"{name}.txt").write_text(f"{title}\n{body}\n", encoding="utf-8")
    ingest(data)
    store = Store.open(data)
    assert store.setting("copies") == "3"
    yield store
    store.close()


def plan(store, text):
    query = parse_query(text, morphology=True)
    expansions = expand(query, load_thesaurus(store.data_dir)) if query.terms else []
    return query, expansions


@pytest.mark.parametrize("text", QUERIES)
def test_best_scores_first_gives_the_rows_of_the_full_sort(store, text):
    query, expansions = plan(store, text)
    sql = RANKED.format(weights=WEIGHTS, filters="")
    for _, tier in _tiers(query, False, expansions):
        full = [(r["doc_id"], r["score"]) for r in store.conn.execute(sql, [tier])]
        for limit in range(1, len(full) + 2):
            assert [(r["doc_id"], r["score"]) for r in _top(store, tier, limit)] == full[:limit]


@pytest.mark.parametrize("text", QUERIES)
def test_count_expression_matches_exactly_the_tiers(store, text):
    """The tiers partition the matches; the count's shorter expression finds the same documents."""
    query, expansions = plan(store, text)
    tiers = [
        {r[0] for r in store.conn.execute("SELECT rowid FROM fts WHERE fts MATCH ?", [tier])}
        for _, tier in _tiers(query, False, expansions)
    ]
    union = set().union(*tiers)
    assert sum(map(len, tiers)) == len(union)
    counted = {
        r[0]
        for r in store.conn.execute("SELECT rowid FROM fts WHERE fts MATCH ?", [_expression(query, False, expansions)])
    }
    assert counted == union
    assert count_matches(store.conn, query, None, False, expansions) == len(union)


@pytest.mark.parametrize("text", QUERIES)
def test_copy_groups_named_in_the_count_agree_with_grouping_every_match(store, text):
    query, expansions = plan(store, text)
    members = dict(store.conn.execute(COPY_MEMBERS).fetchall())
    assert len(members) == 4
    stories = [r[0] for r in store.conn.execute("SELECT DISTINCT COALESCE(copy_of, doc_id) FROM documents")]
    grouped_total, grouped = _grouped_sizes(store, query, None, False, stories, expansions)
    total, sizes = _story_sizes(store.conn, query, None, False, expansions, members)
    assert total == grouped_total
    assert sizes == {story: size for story, size in grouped.items() if size > 1}


def test_collapsed_search_counts_stories_and_copies(store):
    result = search(store, "ironclad")
    assert result.total == 5 and sum(h.copies for h in result.hits) == 3
    assert search(store, "ironclad", all_copies=True).total == 8


def naive_densest(words, starts):
    best, best_count = 0, -1
    for i in range(len(words)):
        lo, hi = words[i][0], words[min(i + SNIPPET_TOKENS, len(words)) - 1][1]
        count = sum(1 for s in starts if lo <= s < hi)
        if count > best_count:
            best, best_count = i, count
    return best


@given(
    st.lists(st.tuples(st.integers(1, 3), st.integers(1, 6)), min_size=1, max_size=120),
    st.lists(st.integers(0, 10_000), min_size=1, max_size=15),
)
def test_snippet_window_is_the_first_densest(gaps, picks):
    words, position = [], 0
    for gap, length in gaps:
        position += gap
        words.append((position, position + length))
        position += length
    starts = sorted(words[p % len(words)][0] + p % (words[p % len(words)][1] - words[p % len(words)][0]) for p in picks)
    assert _densest(words, starts) == naive_densest(words, starts)
