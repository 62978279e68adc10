"""What a new user stumbles on (issue 16, items 12-14 and 18), through the command line."""

import csv
import io
import json
from datetime import date

import pytest

from alliance.api import parse_date

from .test_cli import run


def total(runner, data, *args):
    result = run(runner, data, "search", *args, "--json", "-n", "50")
    assert result.exit_code == 0, result.output
    return sorted(r["doc_id"] for r in json.loads(result.stdout)["results"])


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024-02-10", date(2024, 2, 10), date(2024, 2, 10)),
    ],
)
def test_a_partial_until_means_the_end_of_the_period(value, start, end):
    assert parse_date(value, "--since") == start
    assert parse_date(value, "--until", end=True) == end


def test_since_and_until_the_same_year_or_month_find_it(runner, seed_index):
    year = total(runner, seed_index, "ironclad", "--since", "2024", "--until", "2024")
    assert year and year == total(runner, seed_index, "ironclad", "--since", "2024-01-01", "--until", "2024-12-31")
    assert total(runner, seed_index, "ironclad", "--since", "2024-02", "--until", "2024-02") == year
    meetings = json.loads(run(runner, seed_index, "meetings", "--since", "2024", "--until", "2024", "--json").stdout)
    assert [m["date"] for m in meetings["meetings"] if m["date"]] == ["2024-02-28"]


@pytest.mark.parametrize("name", ["Korea Herald", "koreaherald.com", "KOREA HERALD", "https://www.koreaherald.com/x"])
def test_outlet_aliases_from_outlets_csv_find_the_outlet(runner, seed_index, name):
    canonical = total(runner, seed_index, "ironclad", "--outlet", "The Korea Herald")
    assert canonical and total(runner, seed_index, "ironclad", "--outlet", name) == canonical


def test_an_unknown_outlet_is_named_as_such(runner, seed_index):
    result = run(runner, seed_index, "search", "ironclad", "--outlet", "Nowhere Daily")
    assert result.exit_code == 1 and "no outlet called 'Nowhere Daily'" in result.stderr
    assert "The Korea Herald" in result.stderr  # and what the index does have


def test_a_query_may_start_with_an_exclusion(runner, seed_index):
    first = run(runner, seed_index, "search", "-linchpin", "ironclad", "--json")
    assert first.exit_code == 0, first.output
    assert (
        json.loads(first.stdout)["total"]
        == json.loads(run(runner, seed_index, "search", "ironclad", "-linchpin", "--json").stdout)["total"]
    )
    excluded = run(runner, seed_index, "search", "-nuclear", "-n2", "ironclad", "--json")  # -n is --limit
    assert excluded.exit_code == 0 and len(json.loads(excluded.stdout)["results"]) <= 2
    assert "-linchpin" in run(runner, seed_index, "search", "--help").stdout


def test_search_says_how_many_it_shows_and_when_nothing_matches(runner, seed_index):
    shown = run(runner, seed_index, "search", "ironclad", "-n", "2")
    assert shown.stdout.splitlines()[0].strip() == "5 matches for 'ironclad', showing 2"
    nothing = run(runner, seed_index, "search", "zzyzx")
    assert nothing.exit_code == 0 and nothing.stdout == "no matches for 'zzyzx'\n"


def test_trend_csv_has_the_undated_row_json_has(runner, seed_index):
    undated = json.loads(run(runner, seed_index, "trend", "ironclad", "--json").stdout)["undated"]
    rows = list(csv.DictReader(io.StringIO(run(runner, seed_index, "trend", "ironclad", "--csv").stdout[1:])))
    got = {r["term"]: int(r["documents"]) for r in rows if r["period"] == "undated"}
    assert undated and got == {t: c["documents"] for t, c in undated.items()}


def test_counts_read_as_english_and_the_timeline_has_a_legend(runner, seed_index):
    chart = run(runner, seed_index, "trend", "ironclad").stdout
    assert " 1 doc," in chart and "1 docs" not in chart and "1 times" not in chart
    timeline = run(runner, seed_index, "meetings", "--timeline").stdout
    legend = timeline.splitlines()[0]
    assert all(mark in legend for mark in ("☎ phone", "● in person", "~"))


def test_show_prints_a_window_as_dates_not_a_python_list(runner, seed_index):
    shown = run(runner, seed_index, "show", "004_20b34a806ca3b0b8").stdout
    line = next(line for line in shown.splitlines() if line.startswith("meeting_window:"))
    assert "[" not in line and "'" not in line and " … " in line


def test_piped_tables_keep_their_rows_whole(runner, seed_index):
    out = run(runner, seed_index, "search", "ironclad").stdout
    titles = [r["title"] for r in json.loads(run(runner, seed_index, "search", "ironclad", "--json").stdout)["results"]]
    assert any(len(t) > 60 for t in titles)
    assert all(any(t in line for line in out.splitlines()) for t in titles)  # no title folded over two lines


def test_shell_completion_script_is_printed(runner):
    from alliance.cli import main

    result = runner.invoke(main, [], prog_name="alliance", env={"_ALLIANCE_COMPLETE": "bash_source"})
    assert result.exit_code == 0 and "_alliance_completion" in result.stdout
