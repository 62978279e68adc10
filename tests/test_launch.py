"""The entry point answers a plain `search --json` without click, byte for byte as the click
command does, and hands everything else to click."""

import shutil
import subprocess
import sys

import pytest

from alliance import launch
from alliance.cli import main

from .conftest import SEEDS


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    from alliance.ingest import ingest

    data = tmp_path_factory.mktemp("launch") / "data"
    shutil.copytree(SEEDS, data / "raw")
    shutil.copy(sorted(SEEDS.glob("002*"))[0], data / "raw" / "reprint.txt")
    ingest(data)
    return data


PLAIN = [
    ["search", "ironclad", "--json"],
    ["search", "--json", "extended", "deterrence"],
    ["search", "nuclear umbrella", "--json", "-n", "2"],
    ["search", "ironclad", "--json", "--limit=3", "--all-copies"],
    ["search", "extended deterrence", "--json", "--exact"],
    ["search", "zzyzx", "--json"],
    ["search", "확장억제", "--json"],
    ["search", "--json", "--limit", "10", "--", "-linchpin", "ironclad"],  # as score_search.py calls it
]


@pytest.mark.parametrize("args", PLAIN)
def test_plain_search_prints_what_the_click_command_prints(data, args, capsys, runner, monkeypatch):
    argv = ["--data", str(data), *args]
    assert launch.plain_search(argv) is not None
    monkeypatch.setattr(sys, "argv", ["alliance", *argv])
    launch.main()
    shortcut = capsys.readouterr()
    clicked = runner.invoke(main, argv)
    assert clicked.exit_code == 0
    assert shortcut.out == clicked.output and shortcut.err == ""


@pytest.mark.parametrize(
    "args",
    [
        ["search", "ironclad"],  # a table
        ["search", "ironclad", "--json", "--since", "2022"],  # filters go through click
        ["search", "-linchpin", "ironclad", "--json"],  # an excluded word
        ["search", "--json", "-n", "3", "--"],  # no words
        ["search", "ironclad", "--json", "-n", "0"],  # click's error
        ["search", "ironclad", "--json", "-n", "5", "-n", "6"],
        ["search", "--json"],
        ["search", "--help"],
        ["kwic", "ironclad", "--json"],
        ["--version"],
    ],
)
def test_everything_else_goes_to_click(args):
    assert launch.plain_search(["--data", "somewhere", *args]) is None


def launched(data, *args):
    """The entry point run as the console script runs it, in a child process."""
    code = "from alliance.launch import main; main()"
    return subprocess.run([sys.executable, "-c", code, "--data", str(data), *args], capture_output=True, text=True)


def test_a_missing_index_is_reported_by_click(tmp_path):
    run = launched(tmp_path, "search", "...", "--json")
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr.startswith(f"Error: no index at {tmp_path}")


def test_bad_input_found_when_searching_is_reported_by_click(data):
    run = launched(data, "search", "...", "--json")
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == "Error: nothing to search for in '...': give at least one word or \"phrase\" to find\n"
