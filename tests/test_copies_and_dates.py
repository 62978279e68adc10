"""Issue 16 items 15-17 on the command line: syndicated copies shown once, one effective date
everywhere, and kwic and trend counting the same thing."""

import json
import shutil
import sqlite3

import pytest

from alliance.when import effective_date

from .test_cli import run

REPRINTED = "002_ed0b005f700ef55a"


@pytest.fixture
def syndicated(seed_data):
    """The seeds plus three verbatim reprints of one of them under other names."""
    for n in range(3):
        shutil.copy(seed_data / "raw" / f"{REPRINTED}.txt", seed_data / "raw" / f"reprint-{n}.txt")
    return seed_data


def test_search_collapses_copies_unless_asked(runner, syndicated):
    collapsed = json.loads(run(runner, syndicated, "search", "ironclad", "--json").stdout)
    every = json.loads(run(runner, syndicated, "search", "ironclad", "--json", "--all-copies").stdout)
    assert every["total"] == collapsed["total"] + 3
    ids = [hit["doc_id"] for hit in collapsed["results"]]
    assert len(ids) == len(set(ids)) == collapsed["total"]
    story = [hit for hit in collapsed["results"] if hit["doc_id"] in (REPRINTED, "reprint-0", "reprint-1", "reprint-2")]
    assert len(story) == 1 and story[0]["copies"] == 3
    assert "+3 copies" in run(runner, syndicated, "search", "ironclad").stdout


def test_story_counts_agree_with_and_without_the_copy_index(runner, syndicated):
    """Search counts stories through the copy index when the index has it, else in one grouped
    pass (an index built before it): both give the same totals and copy counts."""
    queries = [
        ["ironclad"],
        ["ironclad", "--limit", "2"],
        ["extended deterrence"],
        ["alliance", "--since", "2022-01-01"],
        ["ironclad", "--outlet", "Yonhap"],
    ]

    def answers():
        return [json.loads(run(runner, syndicated, "search", *q, "--json").stdout) for q in queries]

    with_index = answers()
    assert any(hit["copies"] == 3 for hit in with_index[0]["results"])
    db = syndicated / "index" / "corpus.db"
    with sqlite3.connect(db) as conn:
        conn.execute("DROP INDEX documents_copy_of")
    assert answers() == with_index
    assert run(runner, syndicated, "ingest").exit_code == 0  # the next ingest adds the index back
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents_copy_of'").fetchone()


def test_kwic_and_trend_collapse_copies_the_same_way(runner, syndicated):
    kwic = json.loads(run(runner, syndicated, "kwic", "ironclad", "--json").stdout)
    kwic_all = json.loads(run(runner, syndicated, "kwic", "ironclad", "--json", "--all-copies").stdout)
    story = [line for line in kwic["lines"] if line["copies"]]
    assert story and {line["copies"] for line in story} == {3} and len({line["doc_id"] for line in story}) == 1
    assert kwic_all["total"] == kwic["total"] + 3 * len(story)
    trend = json.loads(run(runner, syndicated, "trend", "ironclad", "--json").stdout)
    trend_all = json.loads(run(runner, syndicated, "trend", "ironclad", "--json", "--all-copies").stdout)
    year = {p["period"]: p["counts"]["ironclad"] for p in trend["periods"]}["2022"]
    year_all = {p["period"]: p["counts"]["ironclad"] for p in trend_all["periods"]}["2022"]
    assert (year["documents"], year_all["documents"]) == (1, 4)
    assert "+3 copies" in run(runner, syndicated, "kwic", "ironclad").stdout


def _trend_total(trend, term):
    dated = sum(p["counts"][term]["occurrences"] for p in trend["periods"])
    return dated + trend["undated"].get(term, {"occurrences": 0})["occurrences"]


@pytest.mark.parametrize("term", ["ironclad", "extended deterrence", "alliance"])
def test_kwic_and_trend_count_the_same_occurrences_and_say_what(runner, seed_data, term):
    kwic = json.loads(run(runner, seed_data, "kwic", term, "--json", "--limit", "0").stdout)
    trend = json.loads(run(runner, seed_data, "trend", term, "--json").stdout)
    assert kwic["total"] == len(kwic["lines"]) == _trend_total(trend, term)
    assert kwic["counts"] == trend["counts"] == "title and body"
    assert any(line["field"] == "title" for line in kwic["lines"]) or term != "ironclad"
    search = json.loads(run(runner, seed_data, "search", f'"{term}"', "--json").stdout)
    assert kwic["documents"] == search["total"]
    said = run(runner, seed_data, "kwic", term)
    assert "titles and bodies" in said.stderr


def test_every_command_shows_one_date_per_document(runner, seed_data):
    """meeting day, else publication day, else the window as start~end: the same in search,
    kwic, show and trend."""
    docs = {}
    for line in run(runner, seed_data, "export", "--format", "jsonl").stdout.splitlines():
        doc = json.loads(line)
        window = doc["meeting_window"] or [None, None]
        docs[doc["doc_id"]] = effective_date(doc["meeting_date"], doc["published"], *window)
    assert any("~" in (d or "") for d in docs.values())  # the seeds hold window-only documents
    hits = json.loads(run(runner, seed_data, "search", "alliance", "--json", "-n", "20").stdout)["results"]
    assert {h["doc_id"]: h["date"] for h in hits} == {h["doc_id"]: docs[h["doc_id"]] for h in hits}
    lines = json.loads(run(runner, seed_data, "kwic", "alliance", "--json", "--limit", "0").stdout)["lines"]
    assert all(line["date"] == docs[line["doc_id"]] for line in lines)
    table = run(runner, seed_data, "search", "alliance", "-n", "20").stdout
    assert all(d in table for d in docs.values() if d)
    trend = json.loads(run(runner, seed_data, "trend", "alliance", "--json").stdout)
    one_year = [d for d in docs.values() if d and d[:4] == d.split("~")[-1][:4]]
    counted = sum(p["counts"]["alliance"]["documents"] for p in trend["periods"])
    assert counted == len(one_year)
