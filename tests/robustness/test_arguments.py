"""Odd arguments a hostile tester types: blank phrases, bytes that are not UTF-8, values with
line breaks. Each is one line on stderr and exit 1, never a traceback."""

import pytest

from ..test_cli import run

ODD = [
    ["kwic", ""],
    ["kwic", " "],
    ["trend", ""],
    ["trend", "\t"],
    ["trend", "ironclad", ""],
    ["show", "a\udcffb"],  # what click hands over for the bytes a\xffb on the command line
    ["search", "x", "--outlet", "a\udcffb"],
    ["search", "x", "--participant", "Kim\udcff"],
    ["search", "x", "--since", "20\n24"],
    ["meetings", "--until", "2024-13\n"],
    ["show", "line\nbreak"],
]


@pytest.mark.parametrize("args", ODD, ids=[repr(a) for a in ODD])
def test_odd_arguments_are_one_line_errors(runner, seed_index, args):
    result = run(runner, seed_index, *args)
    assert result.exit_code == 1, (args, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr


def test_bytes_that_are_not_utf8_are_shown_as_escapes(runner, seed_index):
    result = run(runner, seed_index, "show", "a\udcffb")
    assert "'a\\xffb'" in result.stderr
