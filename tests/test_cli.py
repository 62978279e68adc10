"""Every command through CliRunner, on the seeds, plus ingest's incremental contract."""

import contextlib
import json
import os
import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from alliance import api
from alliance.cli import main
from alliance.ingest import ingest
from alliance.store import db_path

from .conftest import SEEDS


def run(runner, data, *args):
    return runner.invoke(main, ["--data", str(data), *args])


def test_first_search_ingests_and_finds_the_phrase(runner, seed_data):
    result = run(runner, seed_data, "search", '"extended deterrence"', "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert sorted(r["doc_id"] for r in payload["results"]) == [
        "000_0735d83be5f18891",
        "001_f7ef9c4d7651bddd",
        "002_ed0b005f700ef55a",
    ]
    assert set(payload["results"][0]) >= {
        "doc_id",
        "path",
        "score",
        "title",
        "outlet",
        "published",
        "meeting_date",
        "participants",
        "snippet",
    }
    assert "ingesting" in result.stderr


def test_search_table_output(runner, seed_index):
    result = run(runner, seed_index, "search", "ironclad", "--since", "2022-01-01")
    assert result.exit_code == 0
    assert "3 matches" in result.stdout and "000_0735d83be5f18891" in result.stdout


def test_parse_seed_003(runner):
    result = runner.invoke(main, ["parse", str(SEEDS / "003_2b6803dd29989c7c.txt"), "--json"])
    data = json.loads(result.stdout)
    assert data["title"] == "S. Korean, US defense chiefs reaffirm alliance in phone talks"
    assert data["published"] == "2021-01-24"
    assert {"Lloyd Austin", "Suh Wook"} <= {p["name"] for p in data["participants"]}


def test_parse_several_files_one_json_line_each(runner):
    seeds = sorted(SEEDS.glob("*.*"))[:3]
    result = runner.invoke(main, ["parse", *map(str, seeds), "--json"])
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) == len(seeds)
    for seed, line in zip(seeds, lines, strict=True):
        single = json.loads(runner.invoke(main, ["parse", str(seed), "--json"]).stdout)
        assert json.loads(line) == single


def test_parse_several_files_fails_before_output_when_one_is_missing(runner):
    seed = next(SEEDS.glob("*.txt"))
    result = runner.invoke(main, ["parse", str(seed), "missing.txt", "--json"])
    assert result.exit_code == 1 and result.stdout == ""
    assert "missing.txt" in result.stderr


def test_clean_prints_only_the_body(runner):
    result = runner.invoke(main, ["clean", str(SEEDS / "004_20b34a806ca3b0b8.txt")])
    assert result.stdout.startswith("US Defence Secretary Lloyd Austin said")
    assert "IBNS" not in result.stdout


def test_show_document_with_removed(runner, seed_index):
    result = run(runner, seed_index, "show", "003_2b6803dd29989c7c", "--removed", "--json")
    data = json.loads(result.stdout)
    reasons = {r["text"]: r["reason"] for r in data["removed"]}
    assert "MOST POPULAR" in reasons and reasons["By Yonhap"].startswith("byline")


def test_show_says_which_source_decided_the_publication_date(runner, seed_index):
    data = json.loads(run(runner, seed_index, "show", "003_2b6803dd29989c7c", "--json").stdout)
    parsed = json.loads(
        run(runner, seed_index, "parse", str(seed_index / "raw" / f"{data['doc_id']}.txt"), "--json").stdout
    )
    assert data["published"] == parsed["published"]
    assert data["published_basis"] == parsed["published_basis"] and data["published_basis"]


def test_an_index_from_before_published_basis_gains_the_column_in_place(runner, seed_data):
    assert run(runner, seed_data, "ingest").exit_code == 0
    with contextlib.closing(sqlite3.connect(db_path(seed_data))) as db:
        db.execute("ALTER TABLE documents DROP COLUMN published_basis")  # as schema 4 was first written
    doc = "003_2b6803dd29989c7c"
    old = json.loads(run(runner, seed_data, "show", doc, "--json").stdout)
    assert old["published"] and old["published_basis"] is None  # readable as it is
    copy = seed_data / "raw" / f"{doc}.txt"  # a copy of the seed in tmp_path: an edited file is parsed again
    copy.write_bytes(copy.read_bytes() + b"\n")
    assert run(runner, seed_data, "ingest").stdout.strip() == "0 new, 1 updated, 4 unchanged, 0 removed, 0 failed"
    assert json.loads(run(runner, seed_data, "show", doc, "--json").stdout)["published_basis"]


def test_meetings_by_minister(runner, seed_index):
    result = run(runner, seed_index, "meetings", "--minister", "Austin", "--json")
    meetings = json.loads(result.stdout)["meetings"]
    assert len(meetings) == 5
    by_partner = {next(p["name"] for p in m["participants"] if p["name"] != "Lloyd Austin"): m for m in meetings}
    assert set(by_partner) == {"Kim Seon-ho", "Shin Won-sik", "Lee Jong-sup", "Suh Wook"}
    suh = [m for m in meetings if "Suh Wook" in {p["name"] for p in m["participants"]}]
    assert sorted((m["format"], m["location"]) for m in suh) == [("in-person", "Seoul"), ("phone", None)]
    for name in ("Shin Won Sik", "신원식"):
        found = json.loads(run(runner, seed_index, "meetings", "--minister", name, "--json").stdout)["meetings"]
        assert [m["date"] for m in found] == ["2024-02-28"]


def test_ambiguous_surname_is_a_clear_error(runner, seed_index):
    result = run(runner, seed_index, "meetings", "--minister", "Kim")
    assert result.exit_code == 1
    assert "Kim Seon-ho" in result.stderr and "Traceback" not in result.output


def test_timeline_csv_and_people(runner, seed_index):
    timeline = run(runner, seed_index, "meetings", "--timeline")
    assert "2024" in timeline.stdout and "☎" in timeline.stdout
    csv_out = run(runner, seed_index, "meetings", "--csv").stdout.splitlines()
    assert csv_out[0].startswith("\ufeffevent_id,date") and len(csv_out) == 6  # the one CSV writer: BOM first
    people = json.loads(run(runner, seed_index, "people", "--json").stdout)["people"]
    austin = next(p for p in people if p["name"] == "Lloyd Austin")
    assert austin["meetings"] == 5 and "Lloyd J. Austin III" in austin["aliases_seen"]


def test_bad_input_is_one_line_and_exit_1(runner, seed_index):
    for args in (["show", "nope"], ["search", "*"], ["search", "x", "--since", "yesterday"], ["parse", "missing.txt"]):
        result = run(runner, seed_index, *args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1


def test_usage_error_is_exit_2(runner):
    assert runner.invoke(main, ["search"]).exit_code == 2


def test_every_command_has_help(runner):
    for name, command in main.commands.items():
        assert command.help, name
        assert runner.invoke(main, [name, "--help"]).exit_code == 0


def test_ingest_is_incremental(runner, seed_data):
    first = run(runner, seed_data, "ingest")
    assert first.stdout.strip() == "5 new, 0 updated, 0 unchanged, 0 removed, 0 failed"
    rows = "SELECT id, doc_id, sha256 FROM documents ORDER BY id"
    before = sqlite3.connect(db_path(seed_data)).execute(rows).fetchall()
    again = run(runner, seed_data, "ingest")
    assert again.stdout.strip() == "0 new, 0 updated, 5 unchanged, 0 removed, 0 failed"
    assert sqlite3.connect(db_path(seed_data)).execute(rows).fetchall() == before  # nothing rewritten
    touched = seed_data / "raw" / "001_f7ef9c4d7651bddd.txt"
    os.utime(touched, (1, 1))
    assert run(runner, seed_data, "ingest").stdout.strip() == "0 new, 1 updated, 4 unchanged, 0 removed, 0 failed"
    touched.unlink()
    assert run(runner, seed_data, "ingest").stdout.strip() == "0 new, 0 updated, 4 unchanged, 1 removed, 0 failed"


def test_raw_files_are_never_modified(seed_data):
    before = {p.name: p.read_bytes() for p in (seed_data / "raw").iterdir()}
    ingest(seed_data, rebuild=True)
    assert before == {p.name: p.read_bytes() for p in (seed_data / "raw").iterdir()}


def test_interrupted_ingest_leaves_the_previous_index(seed_data, monkeypatch):
    ingest(seed_data)
    import alliance.ingest as module

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(module.Store, "put", boom)
    (seed_data / "raw" / "new.txt").write_text("Title of a new page here\n" + "The two ministers met and talked. " * 5)
    with contextlib.suppress(KeyboardInterrupt):
        ingest(seed_data)
    conn = sqlite3.connect(db_path(seed_data))
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 5


def test_damaged_index_names_the_fix(runner, seed_data):
    path = db_path(seed_data)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage" * 100)
    result = run(runner, seed_data, "search", "alliance")
    assert result.exit_code == 1 and "alliance ingest --rebuild" in result.stderr
    rebuilt = run(runner, seed_data, "ingest", "--rebuild")
    assert rebuilt.exit_code == 0 and "5 new" in rebuilt.stdout and "set aside" in rebuilt.stderr
    assert json.loads(run(runner, seed_data, "search", "ironclad", "--json").stdout)["total"] == 5


def test_failed_files_are_reported_and_the_run_goes_on(runner, seed_data):
    (seed_data / "raw" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (seed_data / "raw" / "empty.txt").write_text("")
    result = run(runner, seed_data, "ingest")
    assert result.exit_code == 0
    assert "5 new" in result.stdout and "2 failed" in result.stdout
    assert "binary" in result.stderr and "empty" in result.stderr
    assert run(runner, seed_data, "ingest", "--strict").exit_code == 1


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.text()
    | st.floats(-1e6, 1e6).map(lambda f: round(f, 4)),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | st.integers(0, 99), inner, max_size=4)
    ),
    max_leaves=30,
)


@given(JSON_VALUES)
def test_json_printouts_are_the_standard_librarys_indented_json(value):
    """The fast encoder writes what json.dumps(indent=2, ensure_ascii=False) writes (Hangul,
    line separators, integer keys and integers too big for 64 bits included)."""
    assert api.json_bytes(value) == (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode()
