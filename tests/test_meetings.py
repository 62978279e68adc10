"""Grouping articles into meetings, on fixture articles written for these cases."""

import json
import shutil

import pytest

from alliance.errors import Ambiguous
from alliance.ingest import ingest
from alliance.roster import load_roster
from alliance.sketches import similarity, sketch

from .conftest import FIXTURES
from .test_cli import run

MEETINGS = FIXTURES / "meetings"
FIRST_CALL = ("times-park-blinken-call", "herald-park-blinken-call", "stripes-park-blinken-call")


def corpus(tmp_path, *names):
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    for name in names:
        shutil.copy(MEETINGS / f"{name}.txt", data / "raw")
    ingest(data)
    return data


def park_meetings(runner, data):
    return json.loads(run(runner, data, "meetings", "--minister", "Park Jin", "--json").stdout)["meetings"]


def test_three_outlets_reporting_one_call_are_one_meeting(runner, tmp_path):
    data = corpus(tmp_path, *FIRST_CALL)
    [meeting] = park_meetings(runner, data)
    assert meeting["date"] == "2023-03-14"
    assert sorted(meeting["documents"]) == sorted(FIRST_CALL)
    assert meeting["outlets"] == ["Stars and Stripes", "The Korea Herald", "The Korea Times"]
    assert {p["name"] for p in meeting["participants"]} == {"Park Jin", "Antony Blinken"}
    assert meeting["format"] == "phone"


def test_two_calls_a_month_apart_stay_two_meetings(runner, tmp_path):
    data = corpus(tmp_path, "times-park-blinken-call", "times-park-blinken-second-call")
    meetings = park_meetings(runner, data)
    assert [(m["date"], m["documents"]) for m in meetings] == [
        ("2023-03-14", ["times-park-blinken-call"]),
        ("2023-04-18", ["times-park-blinken-second-call"]),
    ]


def test_syndicated_copy_is_flagged_and_joins_the_meeting(runner, tmp_path):
    pair = ("times-park-blinken-call", "reprint-park-blinken-call")
    data = corpus(tmp_path, *pair, "times-park-blinken-second-call")
    copy_of = {d: json.loads(run(runner, data, "show", d, "--json").stdout)["copy_of"] for d in pair}
    # same publication day: the earlier doc_id counts as the original, the other is its copy
    assert copy_of == {"reprint-park-blinken-call": None, "times-park-blinken-call": "reprint-park-blinken-call"}
    other = json.loads(run(runner, data, "show", "times-park-blinken-second-call", "--json").stdout)
    assert other["copy_of"] is None  # same ministers, same site, different story
    [first, second] = park_meetings(runner, data)
    assert sorted(first["documents"]) == sorted(pair) and second["documents"] == ["times-park-blinken-second-call"]
    assert first["copies"] == {"times-park-blinken-call": "reprint-park-blinken-call"}


def test_the_earlier_story_is_the_original(tmp_path):
    from alliance.store import Store

    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    times = (MEETINGS / "times-park-blinken-call.txt").read_text()
    reprint = (MEETINGS / "reprint-park-blinken-call.txt").read_text().replace("March 15, 2023", "March 17, 2023")
    (data / "raw" / "a-reprint.txt").write_text(reprint)
    (data / "raw" / "b-original.txt").write_text(times)
    ingest(data)
    store = Store.open(data)
    try:
        assert store.document("a-reprint")["copy_of"] == "b-original"
        assert store.document("b-original")["copy_of"] is None
    finally:
        store.close()


def test_sketch_similarity_separates_copies_from_related_stories():
    times = (MEETINGS / "times-park-blinken-call.txt").read_text()
    reprint = (MEETINGS / "reprint-park-blinken-call.txt").read_text()
    herald = (MEETINGS / "herald-park-blinken-call.txt").read_text()
    assert similarity(sketch(times), sketch(reprint)) >= 0.5
    assert similarity(sketch(times), sketch(herald)) < 0.2
    assert similarity(sketch(""), sketch("")) == 0.0


def test_ambiguous_surname_lists_the_candidates(runner, tmp_path):
    with pytest.raises(Ambiguous, match=r"Cho Hyun, .*Cho Tae-yul"):
        load_roster().lookup("Cho")
    data = corpus(tmp_path, *FIRST_CALL)
    result = run(runner, data, "meetings", "--minister", "cho")
    assert result.exit_code == 1 and "Cho Hyun" in result.stderr and "Cho Tae-yul" in result.stderr
    assert len(park_meetings(runner, data)) == 1  # a surname with one holder is enough: 'Park' is Park Jin
    assert [
        m["date"]
        for m in json.loads(run(runner, data, "meetings", "--minister", "blinken", "--json").stdout)["meetings"]
    ] == ["2023-03-14"]
