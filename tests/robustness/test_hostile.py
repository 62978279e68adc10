"""Hostile queries, names and paths: a clear error or a result, never SQL and never a traceback."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.errors import BadInput
from alliance.search import Filters, parse_query, search, to_fts
from alliance.store import Store

from ..test_cli import run

FTS_SYNTAX = [
    '"',
    '""',
    "NEAR(",
    "NEAR(a b, 2)",
    "*",
    "a*",
    "^a",
    "AND",
    "OR",
    "NOT",
    "(",
    ")",
    "title:x",
    "{title}: x",
    "'; DROP TABLE documents; --",
    "\x00",
    "\\",
    "-",
    "--",
    "+",
]


@pytest.mark.parametrize("query", FTS_SYNTAX)
def test_fts_syntax_is_never_passed_through(runner, seed_index, query):
    result = run(runner, seed_index, "search", query, "--json")
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "sqlite3" not in result.output.lower()
    if result.exit_code == 1:
        assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1


@given(st.text(max_size=200))
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_query_text_is_a_result_or_a_bad_input(seed_index, text):
    store = Store.open(seed_index)
    try:
        search(store, text, limit=3)
    except BadInput:
        pass
    finally:
        store.close()


@given(st.text(max_size=100))
def test_fts_expression_only_holds_quoted_analysed_words(text):
    try:
        expression = to_fts(parse_query(text))
    except BadInput:
        return
    outside_quotes = expression.split('"')[::2]
    for part in outside_quotes:
        assert set(part) <= set("{}_: ()ANDORNOTtitlebodyx"), expression


@pytest.mark.parametrize("value", ["' OR 1=1 --", '"; DROP TABLE documents; --', "Yonhap' --", "%", "_"])
def test_outlet_filter_is_a_parameter_not_sql(seed_index, value):
    store = Store.open(seed_index)
    try:
        assert search(store, "alliance", filters=Filters(outlet=value)).total == 0
        assert store.count() == 5
    finally:
        store.close()


@pytest.mark.parametrize("value", ["' OR 1=1 --", 'Austin"; DROP TABLE people; --', "%", "_"])
def test_participant_names_with_sql_are_just_unknown_names(runner, seed_index, value):
    result = run(runner, seed_index, "search", "alliance", "--participant", value)
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "no official called" in result.stderr or "name is empty" in result.stderr
    result = run(runner, seed_index, "meetings", "--minister", value)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert json.loads(run(runner, seed_index, "search", "ironclad", "--json").stdout)["total"] == 5


@pytest.mark.parametrize("value", ["../../outside", "/etc/../tmp/../..", "a\x00b"])
def test_show_with_path_like_ids_is_not_found(runner, seed_index, value):
    result = run(runner, seed_index, "show", value)
    assert result.exit_code == 1 and "Traceback" not in result.output
