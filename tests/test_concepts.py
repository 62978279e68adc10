"""The thesaurus, concept expansion, Korean morphemes and cross-language search, on small
indexes written here, and the judged dev queries as a floor."""

import json
import os
import shutil
from pathlib import Path

import pytest

from alliance.cli import main
from alliance.concepts import load_thesaurus
from alliance.index import HANGUL_WORD, hangul_pieces
from alliance.ingest import ingest
from alliance.search import search
from alliance.store import Store

FILLER = "The ministers discussed the security situation on the peninsula and agreed to stay in close contact."
# Each page has words of its own: pages that share all but one sentence are syndicated copies,
# which search collapses into one hit.
PAGES = {
    "typed": ("Allies talk about the nuclear umbrella", f"{FILLER} In Seoul on Monday the nuclear umbrella stays."),
    "other": (
        "Allies reaffirm extended deterrence",
        "Officials in Washington pledged extended deterrence after a long day of talks with their guests.",
    ),
    "opcon": (
        "Allies set conditions for OPCON transition",
        "Generals reviewed the timetable; wartime operational control moves later than planned.",
    ),
    "ko": ("한미 국방장관 회담", "양국 장관은 전시 작전통제권을 전환하기로 했다. 방위비분담금 협상도 논의했다."),
    "plain": ("Ministers meet in Tokyo", FILLER),
    "plain2": ("Ministers meet in Manila", "A delegation arrived for a regional forum on trade and climate."),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    data = tmp_path_factory.mktemp("concepts") / "data"
    (data / "raw").mkdir(parents=True)
    for name, (title, body) in PAGES.items():
        (data / "raw" / f"{name}.txt").write_text(f"{title}\n{body}\n", encoding="utf-8")
    ingest(data)
    return Store.open(data)


def ids(result):
    return [h.doc_id for h in result.hits]


def test_concept_finds_other_wording_below_the_typed_words(store):
    result = search(store, "nuclear umbrella", all_copies=True)  # the pages share a filler: copies
    assert ids(result)[:2] == ["typed", "other"]
    other = result.hits[1]
    assert other.match == "expanded" and "extended deterrence" in other.expanded
    assert other.snippet[other.highlights[0][0] : other.highlights[0][1]] == "extended deterrence"
    assert [e.concept for e in result.expansions] == ["extended-deterrence"]


def test_quoted_phrase_and_exact_are_not_expanded(store):
    assert ids(search(store, '"nuclear umbrella"')) == ["typed"]
    assert ids(search(store, "nuclear umbrella", exact=True))[:1] == ["typed"]
    assert "other" not in ids(search(store, "nuclear umbrella", exact=True))
    assert search(store, '"nuclear umbrella"').expansions == []


def test_korean_word_matches_in_other_spacing_and_with_particles(store):
    # the page writes 전시 작전통제권을: the compound spaced and with a particle
    assert ids(search(store, "전시작전통제권"))[:1] == ["ko"]
    # bigrams alone (--exact) need the compound written as typed
    assert "ko" not in ids(search(store, "전시작전통제권", exact=True))
    assert ids(search(store, "방위비 분담금"))[:1] == ["ko"]  # the page writes 방위비분담금


def test_korean_query_finds_english_pages_below_korean_ones(store):
    result = search(store, "전작권")
    assert ids(result)[0] == "ko"  # 전작권 is not in the page: its thesaurus form 작전 통제권 is
    assert "opcon" in ids(result)
    assert next(h for h in result.hits if h.doc_id == "opcon").match == "translated"


def test_english_query_finds_korean_page_below_english_ones(store):
    result = search(store, "OPCON")
    assert ids(result) == ["opcon", "ko"]
    assert result.hits[1].match == "translated"


def test_query_without_concept_ranks_as_before(store):
    result = search(store, "ministers Tokyo")
    assert result.expansions == [] and ids(result)[0] == "plain"
    assert {h.match for h in result.hits} <= {"adjacent", "all", "some"}


def test_user_concepts_extend_and_override(tmp_path):
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    (data / "raw" / "a.txt").write_text("Gadget pact signed\nThe gadget pact was signed today.\n", "utf-8")
    (data / "raw" / "b.txt").write_text("Weather talks\nThe ministers talked about the weather.\n", "utf-8")
    ingest(data)
    (data / "concepts.csv").write_text(
        "concept,terms\nwidgets,widget accord;gadget pact\nextended-deterrence,nuclear umbrella;weather\n", "utf-8"
    )
    store = Store.open(data)
    assert ids(search(store, "widget accord")) == ["a"]
    assert ids(search(store, "extended deterrence")) == []  # the user's row replaced the package row
    assert ids(search(store, "nuclear umbrella")) == ["b"]
    assert "widgets" in load_thesaurus(data).concepts
    user = data / "concepts.csv"
    user.write_text("concept,terms\nwidgets,widget accord;weather\n", "utf-8")
    os.utime(user, (user.stat().st_mtime + 5, user.stat().st_mtime + 5))
    assert ids(search(store, "widget accord")) == ["b"]  # the compiled copy follows the file
    assert ids(search(store, "extended deterrence")) == []  # shipped again, and no page says it


def test_thesaurus_rows_are_usable():
    concepts = load_thesaurus().concepts
    assert len(concepts) >= 60
    for concept in concepts.values():
        assert len(concept.terms) >= 2, concept.name
        for term in concept.terms:
            # a lone Korean syllable would be found inside unrelated query words
            assert term.hangul is None or len(term.hangul) > 1, (concept.name, term.text)


def test_morphemes_split_compounds_and_drop_particles():
    assert hangul_pieces("전시작전통제권을") == ("전시", "작전", "통제권")
    assert all(HANGUL_WORD.fullmatch(p) for p in hangul_pieces("확장억제를"))
    assert "를" not in "".join(hangul_pieces("확장억제를"))


def test_explain_and_json_show_the_expansions(store, runner):
    data = str(store.data_dir)
    out = runner.invoke(main, ["--data", data, "search", "--explain", "--all-copies", "nuclear", "umbrella"])
    assert out.exit_code == 0, out.output
    assert "concept extended-deterrence: 'nuclear umbrella' also finds extended deterrence" in out.output
    assert "via extended deterrence" in out.output
    payload = json.loads(runner.invoke(main, ["--data", data, "search", "--json", "OPCON"]).output)
    assert payload["expansions"][0]["concept"] == "opcon"
    assert [r["match"] for r in payload["results"]] == ["all", "translated"]


DEV = Path(os.environ.get("ALLIANCE_DEV_ARTICLES", Path(__file__).resolve().parents[2] / "shared" / "dev-articles"))
FLOOR = Path(__file__).parent / "fixtures" / "search_floor.json"


@pytest.mark.skipif(not (DEV / "queries.json").is_file(), reason="needs the dev articles (../shared/dev-articles)")
def test_judged_queries_keep_their_floor(tmp_path):
    """recall@10 and MRR of the dev queries and of bench/concept_queries.json (written by reading
    the pages, before tuning) over the 50 dev pages, as score_search.py computes them."""
    data = tmp_path / "data"
    shutil.copytree(DEV / "raw", data / "raw")
    ingest(data)
    store = Store.open(data)
    floor = json.loads(FLOOR.read_text("utf-8"))
    sets = {
        "queries.json": DEV / "queries.json",
        "concept_queries.json": Path(__file__).parents[1] / "bench" / "concept_queries.json",
    }
    for name, path in sets.items():
        recalls, reciprocal = [], []
        for query, relevant in json.loads(path.read_text("utf-8")).items():
            got = ids(search(store, query, limit=10))
            need = min(10, len(relevant))
            recalls.append(min(sum(any(g.startswith(r) for g in got) for r in relevant), need) / need)
            ranks = [i for i, g in enumerate(got) if any(g.startswith(r) for r in relevant)]
            reciprocal.append(1 / (ranks[0] + 1) if ranks else 0.0)
        recall, mrr = sum(recalls) / len(recalls), sum(reciprocal) / len(reciprocal)
        assert recall >= floor[name]["recall"] - 0.005, (name, recall)
        assert mrr >= floor[name]["mrr"] - 0.005, (name, mrr)
