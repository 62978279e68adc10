"""Export formats round-trip, CSV safety, file names and overwrite protection; kwic and trend."""

import csv
import io
import json
import re
from datetime import date

import pytest

from alliance.api import clean_file
from alliance.errors import BadInput
from alliance.export import FIELDS, OPENSEARCH_MAPPING, export, neutralise, safe_name
from alliance.store import Store

from .conftest import SEEDS
from .test_cli import run

SEED_IDS = sorted(p.stem for p in SEEDS.iterdir())


def read_csv(text):
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def unneutralise(cell):
    return cell[1:] if cell[:2] in {f"'{c}" for c in "=+-@\t\r"} else cell


def test_jsonl_bodies_equal_clean_output(runner, seed_index):
    lines = run(runner, seed_index, "export", "--format", "jsonl").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["doc_id"] for r in records] == SEED_IDS
    for record in records:
        assert record["body"] == clean_file(SEEDS / f"{record['doc_id']}.txt")
        assert set(record) == set(FIELDS)
        assert re.fullmatch(r"[0-9a-f]{64}", record["sha256"])
    first = records[0]
    assert first["participants"] == ["Kim Seon-ho", "Lloyd Austin"] and first["wire"] == "Newsis"
    assert first["meeting_window"] == ["2024-12-05", "2025-01-20"]


def test_export_with_a_query_and_filters_exports_only_matches(runner, seed_index):
    out = run(runner, seed_index, "export", "--format", "jsonl", '"extended deterrence"', "--since", "2024-01-01")
    assert sorted(json.loads(line)["doc_id"] for line in out.stdout.splitlines()) == SEED_IDS[:2]
    phone = run(runner, seed_index, "export", "--format", "jsonl", "--meeting-format", "phone").stdout.splitlines()
    assert {json.loads(line)["format"] for line in phone} == {"phone"}


def test_csv_round_trip(runner, seed_index, tmp_path):
    run(runner, seed_index, "export", "--format", "csv", "--out", str(tmp_path / "corpus.csv"))
    rows = read_csv((tmp_path / "corpus.csv").read_text(encoding="utf-8"))
    jsonl = [json.loads(line) for line in run(runner, seed_index, "export", "--format", "jsonl").stdout.splitlines()]
    assert [r["doc_id"] for r in rows] == SEED_IDS
    for row, record in zip(rows, jsonl, strict=True):
        assert unneutralise(row["body"]) == record["body"]
        assert row["participants"] == "; ".join(record["participants"])
        assert (row["published"] or None) == record["published"]


def test_txt_folder_has_a_file_per_document_and_metadata(runner, seed_index, tmp_path):
    out = tmp_path / "corpus"
    result = run(runner, seed_index, "export", "--format", "txt", "--out", str(out))
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.glob("*.txt"))
    assert files == [f"{i}.txt" for i in SEED_IDS]
    metadata = read_csv((out / "metadata.csv").read_text(encoding="utf-8"))
    assert [m["file"] for m in metadata] == files and "body" not in metadata[0]
    for m in metadata:
        assert (out / m["file"]).read_text(encoding="utf-8") == clean_file(SEEDS / f"{m['doc_id']}.txt") + "\n"


def test_markdown_front_matter_round_trip(runner, seed_index, tmp_path):
    run(runner, seed_index, "export", "--format", "md", "--out", str(tmp_path / "md"))
    jsonl = {
        r["doc_id"]: r
        for r in map(json.loads, run(runner, seed_index, "export", "--format", "jsonl").stdout.splitlines())
    }
    for path in sorted((tmp_path / "md").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        head, _, rest = text.removeprefix("---\n").partition("\n---\n")
        meta = {k: json.loads(v) for k, v in (line.split(": ", 1) for line in head.splitlines())}
        record = jsonl[meta["doc_id"]]
        assert all(meta[k] == record[k] for k in meta)
        assert rest.endswith(record["body"] + "\n")


def test_opensearch_bulk_file_follows_the_mapping(runner, seed_index, tmp_path):
    out = tmp_path / "os"
    run(runner, seed_index, "export", "--format", "opensearch", "--out", str(out), "--index-name", "readouts")
    mapping = json.loads((out / "mapping.json").read_text())
    assert mapping == OPENSEARCH_MAPPING
    properties = mapping["mappings"]["properties"]
    lines = (out / "bulk.ndjson").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 * len(SEED_IDS)
    for action_line, doc_line in zip(lines[::2], lines[1::2], strict=True):
        action, doc = json.loads(action_line), json.loads(doc_line)
        assert action == {"index": {"_index": "readouts", "_id": doc["doc_id"]}}
        assert set(doc) <= set(properties)  # the mapping is strict: an unknown field would be refused
        for name, value in doc.items():
            kind = properties[name]["type"]
            if value is None:
                continue
            if kind == "date":
                date.fromisoformat(value)
            elif kind == "date_range":
                assert date.fromisoformat(value["gte"]) <= date.fromisoformat(value["lte"])
            elif kind == "keyword":
                assert isinstance(value, str) or all(isinstance(v, str) for v in value)
            else:
                assert isinstance(value, str)


def test_csv_cells_that_look_like_formulas_are_neutralised():
    for cell in ('=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tcmd"):
        assert neutralise(cell) == "'" + cell
    assert neutralise("Seoul =") == "Seoul ="


def test_formula_in_a_document_is_neutralised_in_csv(runner, tmp_path):
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    (data / "raw" / "evil.txt").write_text(
        '=HYPERLINK("http://example.com","click") ministers met\n\n'
        "Defense Minister Shin Won-sik spoke by phone with U.S. Secretary of Defense Lloyd Austin on Feb. 28, 2024, "
        "and the two reaffirmed the alliance and discussed the situation on the Korean Peninsula.\n",
        encoding="utf-8",
    )
    out = run(runner, data, "export", "--format", "csv").stdout
    for row in read_csv(out):
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize(
    ("doc_id", "expected"),
    [("a/b/c", "a_b_c"), ("../../etc/passwd", "etc_passwd"), ("..", "document"), ("x\ny", "x_y"), ("a:b*c", "a_b_c")],
)
def test_unsafe_doc_ids_make_safe_file_names(doc_id, expected):
    name = safe_name(doc_id, set())
    assert name == expected
    assert "/" not in name and ".." not in name and not name.startswith(".")


def test_safe_names_stay_unique():
    taken: set[str] = set()
    assert [safe_name(d, taken) for d in ("a/b", "a_b", "A_B")] == ["a_b", "a_b-2", "A_B-3"]


def test_exported_files_stay_inside_the_folder(runner, tmp_path):
    data = tmp_path / "data"
    (data / "raw" / "sub").mkdir(parents=True)
    (data / "raw" / "sub" / "..weird name.txt").write_text(
        "The ministers met in Seoul and talked about the alliance.\n"
    )
    out = tmp_path / "out"
    assert run(runner, data, "export", "--format", "txt", "--out", str(out)).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [".alliance-export", "metadata.csv", "sub_weird name.txt"]


def test_refuses_to_overwrite_without_force(runner, seed_index, tmp_path):
    target = tmp_path / "corpus.jsonl"
    target.write_text("precious\n")
    result = run(runner, seed_index, "export", "--format", "jsonl", "--out", str(target))
    assert result.exit_code == 1 and "--force" in result.stderr and target.read_text() == "precious\n"
    assert run(runner, seed_index, "export", "--format", "jsonl", "--out", str(target), "--force").exit_code == 0
    assert len(target.read_text().splitlines()) == 5
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    result = run(runner, seed_index, "export", "--format", "txt", "--out", str(mine), "--force")
    assert result.exit_code == 1 and "did not write" in result.stderr and (mine / "notes.txt").exists()


def test_refuses_to_export_into_the_raw_folder(seed_index):
    store = Store.open(seed_index)
    try:
        with pytest.raises(BadInput, match="ingested as raw files"):
            export(store, "txt", seed_index / "raw" / "export")
    finally:
        store.close()


def test_kwic_shows_each_occurrence_in_context(runner, seed_index):
    data = json.loads(run(runner, seed_index, "kwic", "extended", "deterrence", "--json", "--width", "30").stdout)
    assert {line["doc_id"] for line in data["lines"]} == set(SEED_IDS[:3])
    for line in data["lines"]:
        assert line["match"].lower() == "extended deterrence"
        assert len(line["left"]) <= 30 and len(line["right"]) <= 30
    dates = [line["date"] for line in data["lines"]]
    assert dates == sorted(dates)
    text = run(runner, seed_index, "kwic", "extended deterrence").stdout
    assert text.count("extended deterrence") == data["total"]


def test_kwic_sorts_by_the_word_before_the_match(runner, seed_index):
    lines = json.loads(run(runner, seed_index, "kwic", "ironclad", "--sort", "left", "--json").stdout)["lines"]
    before = [re.findall(r"\w+", line["left"])[-1].lower() for line in lines]
    assert before == sorted(before)


def test_trend_counts_agree_with_the_dates(runner, seed_index):
    result = json.loads(run(runner, seed_index, "trend", "ironclad", "--by", "year", "--json").stdout)
    docs = [json.loads(line) for line in run(runner, seed_index, "export", "--format", "jsonl").stdout.splitlines()]
    expected: dict[str, int] = {}
    undated = 0
    for doc in docs:
        if "ironclad" not in (doc["title"] + doc["body"]).lower():
            continue
        day = doc["meeting_date"] or doc["published"]
        window = doc["meeting_window"]
        if not day and window and window[0][:4] == window[1][:4]:
            day = window[0]
        if day:
            expected[day[:4]] = expected.get(day[:4], 0) + 1
        else:
            undated += 1
    got = {p["period"]: p["counts"]["ironclad"]["documents"] for p in result["periods"]}
    assert {k: v for k, v in got.items() if v} == expected
    assert result["undated"].get("ironclad", {"documents": 0})["documents"] == undated
    assert list(got) == [str(y) for y in range(int(min(got)), int(max(got)) + 1)]  # gaps shown as zeros


def test_trend_by_quarter_csv_and_chart(runner, seed_index):
    rows = read_csv(run(runner, seed_index, "trend", "ironclad", "--by", "quarter", "--csv").stdout)
    assert rows and all(re.fullmatch(r"\d{4}-Q[1-4]|undated", r["period"]) for r in rows)
    chart = run(runner, seed_index, "trend", "ironclad", '"extended deterrence"')
    assert chart.exit_code == 0 and "█" in chart.stdout and "extended deterrence" in chart.stdout


def test_trend_plot_without_matplotlib_is_a_clear_error(runner, seed_index, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    result = run(runner, seed_index, "trend", "ironclad", "--plot", str(tmp_path / "t.png"))
    assert result.exit_code == 1 and "alliance[plot]" in result.stderr


def test_long_commands_report_progress(seed_index, tmp_path):
    from alliance.kwic import kwic
    from alliance.trend import trend

    calls: list[tuple[int, int, str]] = []
    store = Store.open(seed_index)
    try:
        export(store, "jsonl", tmp_path / "all.jsonl", progress=lambda *a: calls.append(a))
        assert calls[-1] == (5, 5, "exporting")
        calls.clear()
        kwic(store, "ironclad", progress=lambda *a: calls.append(a))
        assert calls[-1][:2] == (5, 5)
        calls.clear()
        trend(store, ["ironclad", "deterrence"], progress=lambda *a: calls.append(a))
        assert {c[2] for c in calls} == {"counting ironclad", "counting deterrence"}
    finally:
        store.close()
