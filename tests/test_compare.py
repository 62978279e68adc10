"""Comparing the sources of one meeting, on fixture meetings written for it: a DoD readout, a
Yonhap and a Kyodo report of one SCM with known shared and unique statements and topics."""

import csv
import json
import shutil

import pytest

from alliance.compare import (
    SAME_STATEMENT,
    SourceInfo,
    align,
    comparable_groups,
    load_topics,
    pair_similarity,
    source_statements,
    statements,
    topics_in,
)
from alliance.ingest import ingest

from .conftest import FIXTURES
from .test_cli import run

COMPARE = FIXTURES / "compare"
SCM = "2023-11-13-austin-shin"
DOD, YONHAP, KYODO = "dod-austin-shin-scm", "yonhap-austin-shin-scm", "kyodo-austin-shin-scm"


def corpus(tmp_path, *paths):
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    for path in paths:
        shutil.copy(path, data / "raw")
    ingest(data)
    return data


@pytest.fixture
def scm(tmp_path):
    return corpus(tmp_path, *(COMPARE / f"{name}.txt" for name in (DOD, YONHAP, KYODO)))


def compared(runner, data, *args):
    result = run(runner, data, "compare", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def shared_by(payload, words):
    """The source sets of the shared statements whose first version holds `words`."""
    return [sorted(s["sources"]) for s in payload["shared"] if words in s["text"]]


def test_sources_get_their_side_from_the_outlet_country(runner, scm):
    payload = compared(runner, scm, SCM)
    assert {s["doc_id"]: s["side"] for s in payload["sources"]} == {DOD: "US", YONHAP: "ROK", KYODO: "Japan"}
    assert payload["comparable"] is True


def test_paraphrases_align_and_near_misses_do_not(runner, scm):
    payload = compared(runner, scm, SCM)
    # Yonhap words the deterrence pledge its own way; all three carry it
    assert shared_by(payload, "extended deterrence") == [sorted([DOD, YONHAP, KYODO])]
    assert shared_by(payload, "intercontinental ballistic missile") == [sorted([DOD, YONHAP, KYODO])]
    [taiwan] = [s for s in payload["shared"] if "Taiwan" in s["text"]]
    assert sorted(taiwan["sources"]) == sorted([DOD, KYODO]) and taiwan["carried_by"] == "most"
    # the next NCG meeting (fourth, Washington) and the last one (third, Seoul) are different claims
    only = {doc: [o["text"] for o in items] for doc, items in payload["only"].items()}
    assert any("fourth meeting" in t for t in only[DOD])
    assert any("third meeting" in t for t in only[YONHAP])
    assert not any("Nuclear Consultative" in s["text"] for s in payload["shared"])


def test_only_one_source_lines_and_whole_quotes(runner, scm):
    payload = compared(runner, scm, SCM)
    only = {doc: [o["text"] for o in items] for doc, items in payload["only"].items()}
    quote = '"The alliance is stronger than ever. We will respond overwhelmingly to any provocation," Shin told'
    assert any(t.startswith(quote) for t in only[YONHAP])
    assert any("Special Measures Agreement" in t for t in only[YONHAP])
    assert any("Ukraine" in t for t in only[DOD])
    assert any("trilateral security cooperation with Japan" in t for t in only[KYODO])
    everything = [t for items in only.values() for t in items] + [
        v for s in payload["shared"] for v in s["versions"].values()
    ]
    # boilerplate of the pages never becomes a statement
    for furniture in ("Share this page", "(END)", "Copyright", "Related coverage"):
        assert not any(furniture in t for t in everything)
    # no statement is both shared and someone's own
    shared_texts = {v for s in payload["shared"] for v in s["versions"].values()}
    assert not shared_texts & {t for items in only.values() for t in items}


def test_topic_lines_tell_which_source_raises_what(runner, scm):
    payload = compared(runner, scm, SCM)
    grid = {t["topic"]: {doc for doc, yes in t["sources"].items() if yes} for t in payload["topics"]}
    assert grid["Taiwan Strait"] == {DOD, KYODO}
    assert grid["extended deterrence"] == {DOD, YONHAP, KYODO}
    assert grid["Japan/trilateral"] == {KYODO}
    assert grid["cost-sharing"] == {YONHAP}
    assert grid["Ukraine"] == {DOD}
    assert grid["NCG"] == {DOD, YONHAP}
    assert "Russia–DPRK" not in grid
    table = run(runner, scm, "compare", SCM)
    assert table.exit_code == 0
    assert "only Yonhap (ROK)" in table.stdout and "Taiwan Strait" in table.stdout


def test_markdown_report(runner, scm, tmp_path):
    out = tmp_path / "memo.md"
    result = run(runner, scm, "compare", SCM, "--md", str(out))
    assert result.exit_code == 0, result.output
    report = out.read_text(encoding="utf-8")
    assert report.startswith(f"# {SCM}")
    assert "| Taiwan Strait | yes | yes | no |" in report  # DoD, Kyodo, Yonhap in doc_id order
    assert "## Only Kyodo (Japan)" in report and f"≥ {SAME_STATEMENT}" in report


def test_minister_grid_names_the_sides_per_topic(runner, scm):
    payload = compared(runner, scm, "--minister", "Austin")
    assert payload["minister"] == "Lloyd Austin"
    [meeting] = payload["meetings"]
    assert meeting["event_id"] == SCM
    assert meeting["topics"]["Taiwan Strait"] == ["Japan", "US"]
    assert meeting["topics"]["cost-sharing"] == ["ROK"]
    assert compared(runner, scm, "--minister", "Austin", "--since", "2024")["meetings"] == []


def test_one_source_has_nothing_to_compare(runner, tmp_path):
    data = corpus(tmp_path, COMPARE / f"{DOD}.txt")
    payload = compared(runner, data, SCM)
    assert payload["comparable"] is False and "nothing to compare" in payload["note"]
    assert "nothing to compare" in run(runner, data, "compare", SCM).stdout


@pytest.mark.parametrize(
    "args", [("no-such-meeting",), (), (SCM, "--minister", "Austin"), ("--minister", "Nobody Atall")]
)
def test_bad_input_is_one_line_and_exit_1(runner, scm, args):
    result = run(runner, scm, "compare", *args)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_threshold_separates_the_labelled_pairs():
    """Floor: every paraphrase of pairs.csv aligns and at most two of its 18 near-misses do
    (README: accuracy 0.94); the guards zero the negated, re-numbered and opposite-way ones."""
    with (COMPARE / "pairs.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    scores = pair_similarity([(r["a"], r["b"], r["participants"].split(";")) for r in rows])
    pairs = list(zip(scores, rows, strict=True))
    assert all(s >= SAME_STATEMENT for s, r in pairs if r["label"] == "same")
    assert sum(s >= SAME_STATEMENT for s, r in pairs if r["label"] == "different") <= 2
    for words in (" not to expand", "by 8.2 percent", "go ahead with", "third meeting"):
        assert next(s for s, r in pairs if words in r["b"]) == 0.0, words


def test_statements_keep_a_quotation_whole():
    body = 'Austin spoke first. "We stand together. We always will," he said. Shin agreed.'
    assert statements(body) == ["Austin spoke first.", '"We stand together. We always will," he said.', "Shin agreed."]


def test_topics_in_korean_and_from_the_users_file(tmp_path):
    topics = load_topics()
    found = topics_in(["양국 장관은 확장억제를 강화하기로 했다.", "대만해협의 평화가 중요하다고 말했다."], topics)
    assert set(found) == {"extended deterrence", "Taiwan Strait"}
    data = tmp_path / "data"
    data.mkdir()
    (data / "topics.csv").write_text("topic,short,terms\nspace,space,space cooperation;우주\n", encoding="utf-8")
    extended = load_topics(data)
    assert {t.name for t in extended} == {t.name for t in topics} | {"space"}
    assert set(topics_in(["They agreed on space cooperation."], extended)) == {"space"}


def source(doc_id, lang="en", copy_of=None):
    return SourceInfo(doc_id, "Yonhap", None, "ROK", "KR", None, None, None, lang, copy_of)


def test_copies_and_lone_languages_are_listed_not_aligned():
    groups, left_out = comparable_groups(
        (source("a"), source("b"), source("c", copy_of="a"), source("d", lang="ko"), source("e", copy_of="zzz"))
    )
    assert [[s.doc_id for s in g] for g in groups] == [["a", "b", "e"]]  # e's original is not in this meeting
    assert left_out["c"] == "a copy of a"
    assert "only source in 'ko'" in left_out["d"]
    two_korean, left = comparable_groups((source("a"), source("k1", "ko"), source("k2", "ko")))
    assert [[s.doc_id for s in g] for g in two_korean] == [["k1", "k2"]] and "only source in 'en'" in left["a"]


def test_credit_contact_and_tag_lines_are_not_statements():
    bodies = {
        "a": "The ministers agreed to expand joint drills this year.\n\n(Yonhap) kimdh@yna.co.kr\n\n"
        "Bureau of East Asian and Pacific Affairs Office of the Spokesperson Republic of Korea",
        "b": "The two ministers agreed to expand their joint drills this year. Pyongyang rejects the finding.",
    }
    texts = [s.text for s in source_statements(bodies)]
    assert texts == [
        "The ministers agreed to expand joint drills this year.",
        "The two ministers agreed to expand their joint drills this year.",
        "Pyongyang rejects the finding.",  # short, one function word: still a statement
    ]
    shared, only = align(bodies)
    assert [sorted(s.sources) for s in shared] == [["a", "b"]]
    assert {doc: [o.text for o in items] for doc, items in only.items()} == {"a": [], "b": [texts[2]]}


def test_a_korean_source_is_compared_by_topics_only(runner, tmp_path):
    names = (DOD, YONHAP, KYODO, "yonhap-ko-austin-shin-scm")
    data = corpus(tmp_path, *(COMPARE / f"{name}.txt" for name in names))
    payload = compared(runner, data, SCM)
    korean = "yonhap-ko-austin-shin-scm"
    assert {s["doc_id"]: s["side"] for s in payload["sources"]}[korean] == "ROK"
    assert "only source in 'ko'" in payload["not_aligned"][korean]
    assert korean not in payload["only"] and not any(korean in s["sources"] for s in payload["shared"])
    # the English three still align as before
    assert shared_by(payload, "intercontinental ballistic missile") == [sorted([DOD, YONHAP, KYODO])]
    grid = {t["topic"]: {doc for doc, yes in t["sources"].items() if yes} for t in payload["topics"]}
    assert korean in grid["extended deterrence"] and korean in grid["cost-sharing"]
    assert korean in grid["North Korea nuclear/missile"] and korean not in grid["Taiwan Strait"]
