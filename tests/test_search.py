"""Analyzer, query language and ranking, on the seeds and on small indexes built here."""

import pytest

from alliance.errors import BadInput
from alliance.index import analyse
from alliance.ingest import ingest
from alliance.search import Filters, parse_query, search
from alliance.store import Store


def ids(result):
    return [h.doc_id[:3] for h in result.hits]


@pytest.mark.parametrize(
    "text, stemmed",
    [
        ("U.S.", "us"),
        ("South Korea-U.S. alliance", "south korea us allianc"),
        ("S. Korea's deterrence", "s korea deterr"),
        ("extended deterrent", "extend deterr"),
        ("한미동맹", "한미 미동 동맹"),
    ],
)
def test_analyzer(text, stemmed):
    assert analyse(text)[0] == stemmed


def test_exact_column_keeps_words_as_written():
    assert analyse("Extended Deterrence")[1] == "extended deterrence"


@pytest.fixture
def seeds(seed_index):
    store = Store.open(seed_index)
    yield store
    store.close()


def test_quoted_phrase_matches_words_as_written(seeds):
    result = search(seeds, '"extended deterrence"')
    assert sorted(ids(result)) == ["000", "001", "002"]


def test_bare_words_are_stemmed_and_phrase_holders_rank_first(seeds):
    result = search(seeds, "extended deterrence")
    assert sorted(ids(result)[:3]) == ["000", "001", "002"]
    # a concept query keeps the bag of words: 003 has both words apart, 004 only "deterrent"
    assert ids(result)[3:] == ["003", "004"] and result.total == 5
    assert result.hits[-1].match == "some"


def test_since_uses_the_meeting_window_when_there_is_no_date(seeds):
    result = search(seeds, "ironclad", filters=Filters(since=__import__("datetime").date(2022, 1, 1)))
    assert sorted(ids(result)) == ["000", "001", "002"]


def test_exclusion_or_and_not(seeds):
    assert sorted(ids(search(seeds, 'deterrence -"extended deterrence"'))) == ["003", "004"]
    assert sorted(ids(search(seeds, "linchpin OR Pentagon"))) == ["001", "002", "003", "004"]
    assert "004" not in ids(search(seeds, "linchpin NOT India"))


def test_filters_combine(seeds):
    found = search(seeds, "alliance", filters=Filters(participant="Suh Wook", format="phone"))
    assert ids(found) == ["003"]
    assert ids(search(seeds, "alliance", filters=Filters(outlet="yonhap"))) == ["003"]


@pytest.mark.parametrize("query", ['"', "*", "AND", "", "-alliance", "()"])
def test_hostile_queries_are_a_clear_error(seeds, query):
    with pytest.raises(BadInput):
        search(seeds, query)


@pytest.mark.parametrize(
    "query", ['"extended deterrence', "NEAR(alliance", "alliance*", "alliance AND NOT", "'; DROP TABLE x; --"]
)
def test_odd_queries_still_search(seeds, query):
    search(seeds, query)


def test_unbalanced_quote_is_read_as_a_phrase():
    query = parse_query('"extended deterrence')
    assert query.required[0][0].words == ("extended", "deterrence")


def _write(path, title, body):
    path.write_text(f"{title}\n{body}\n", encoding="utf-8")


FILLER = "The ministers discussed the security situation on the peninsula and agreed to stay in close contact."


def test_title_match_beats_passing_mention(tmp_path):
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    _write(
        raw / "a.txt",
        "Allies discuss weather cooperation today",
        f"{FILLER} They also mentioned the nuclear umbrella once.",
    )
    _write(raw / "b.txt", "Nuclear umbrella talks held in Seoul today", f"{FILLER} {FILLER}")
    for n in range(3):  # documents without the words, so that they are rare enough to weigh
        _write(raw / f"other{n}.txt", f"Ministers meet in Tokyo round {n}", FILLER)
    ingest(tmp_path / "data")
    store = Store.open(tmp_path / "data")
    assert [h.doc_id for h in search(store, "nuclear umbrella", all_copies=True).hits] == ["b", "a"]


def test_korean_query_finds_korean_document(tmp_path):
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "ko.txt").write_bytes(
        "한미 국방장관 통화\n신원식 국방부 장관은 로이드 오스틴 미국 국방장관과 전화 통화를 하고 확장억제 강화에 합의했다고 국방부가 밝혔다.\n".encode(
            "euc-kr"
        )
    )
    ingest(tmp_path / "data")
    store = Store.open(tmp_path / "data")
    result = search(store, "확장억제")
    assert [h.doc_id for h in result.hits] == ["ko"]
    assert "확장억제" in result.hits[0].snippet


def test_a_search_imports_nothing_it_does_not_need(seed_index):
    """Cold-start cost: searching must not load the HTML parser or the date library."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from alliance.cli import main\n"
        f"result = CliRunner().invoke(main, ['--data', {str(seed_index)!r}, 'search', 'ironclad', '--json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('bs4', 'dateutil', 'lxml', 'matplotlib', 'kiwipiepy'))))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []
