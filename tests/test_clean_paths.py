"""The cleaner's shortcuts give what the plain computation gives: the boilerplate rules tried by
first character and "contains" rules behind one search, ASCII words and line keys by a table,
the sentence end read on the last characters, menu lines told apart before splitting; and a
user's boilerplate file is read again when it changes."""

import os
import re

from hypothesis import given
from hypothesis import strategies as st

from alliance.blocks import COMMON_GAPS, MENU_SEPARATORS, _may_be_menu, menu_items, text_blocks, word_list
from alliance.clean import (
    _NORMALISE,
    _SENTENCE_END,
    Rule,
    RuleSet,
    _ends_sentence,
    clean_blocks,
    line_key,
    load_rules,
)
from alliance.ingest import ingest
from alliance.store import Store

# characters that the patterns treat differently: word and non-word, ASCII and not, case pairs,
# closing quotes and brackets, white space of several kinds, menu separators, Hangul
_WORD = re.compile(r"\w+")
ALPHABET = "aZz09_ .,!?'\"”’“)]\n\t-:;|>»·/@©—–…다한İßK\u212a\xa0\u3000"
TEXT = st.text(alphabet=ALPHABET, max_size=60)
PHRASES = ["share this on facebook", "All Rights Reserved", "back to top", "Related Stories", "3 comments"]
PHRASE_TEXT = st.lists(st.sampled_from([*PHRASES, "the", "news", "(c) 2024", "x@y.com", "\n", " "]), max_size=6)


def _first_rule(rules: RuleSet, text: str) -> Rule | None:
    """The rule trying each phrase in turn finds: the first whose pattern is the whole text."""
    return next((r for r in rules if r.pattern.fullmatch(text)), None)


@given(PHRASE_TEXT, TEXT)
def test_the_boilerplate_rules_name_the_first_rule_that_matches(parts, noise):
    rules = load_rules()
    for text in (" ".join(parts), noise, " ".join(parts) + noise, noise + " ".join(parts)):
        assert rules.matching(text) is _first_rule(rules, text)


def test_every_package_rule_is_found_where_it_is_first():
    rules = load_rules()
    examples = {
        "Share this on Facebook": "share widgets",
        "ⓒ 2024 The Korea Herald. All rights reserved.": "copyright footer",
        "Please click Back to Top": "page furniture",
        "Read our Privacy Policy here": "legal and newsletter prompts",
        "Most Popular": "lists of other articles",
        "12 Comments": "counters",
        "Comments (12)": "comment sections",
    }
    for text, note in examples.items():
        assert rules.matching(text) is _first_rule(rules, text)
        assert rules.matching(text).note == note


def test_user_rules_with_their_own_groups_and_contains_rules_keep_their_order():
    rules = RuleSet(
        [
            Rule(re.compile(r".*\bsecond\b.*", re.I), "drop", "contains second"),
            Rule(re.compile(r"(\w)\1 first.*", re.I), "drop", "back reference"),
            Rule(re.compile(r"first .*", re.I), "drop", "first words"),
        ]
    )
    assert rules.matching("first and second").note == "contains second"
    assert rules.matching("first of all").note == "first words"
    assert rules.matching("no rule here") is None
    plain = RuleSet([Rule(re.compile(r"tel\b.*", re.I), "drop", "a"), Rule(re.compile(r".*fax.*", re.I), "drop", "b")])
    assert plain.matching("Tel 02-123 fax 02-456").note == "a"
    assert plain.matching("Call us: fax 02-456").note == "b"
    assert plain.matching("fax\nline") is None  # `.` stops at a line break


@given(TEXT)
def test_words_keys_and_sentence_ends_are_the_regexes_answers(text):
    assert word_list(text) == _WORD.findall(text)
    assert word_list(text, lower=True) == [w.lower() for w in _WORD.findall(text)]
    assert word_list(text.lower()) == _WORD.findall(text.lower())  # the extractor votes' words
    assert line_key.__wrapped__(text) == _NORMALISE.sub(" ", text.lower()).strip()
    assert _ends_sentence(text) == bool(_SENTENCE_END.search(text))
    padded = "x" * 20 + text  # past the tail the sentence end is read on
    assert _ends_sentence(padded) == bool(_SENTENCE_END.search(padded))


def test_a_long_run_of_closing_quotes_still_ends_a_sentence():
    text = "He said it was over." + "”" * 40
    assert _ends_sentence(text) and _SENTENCE_END.search(text)
    assert not _ends_sentence("no full stop here " + "”)" * 20 + "x")


def test_common_gaps_are_not_word_characters():
    assert all(_WORD.fullmatch(c) is None and _NORMALISE.fullmatch(c) for c in COMMON_GAPS)


@given(TEXT)
def test_a_line_not_told_apart_as_a_menu_has_no_separator(line):
    folded = " ".join(line.split())
    if not _may_be_menu(line, folded):
        assert len([item for item in MENU_SEPARATORS.split(line.strip()) if item]) <= 1
        assert menu_items(line) == 0


def test_menu_lines_are_still_found():
    blocks = text_blocks("Home > Politics > Defense\nPolitics  World  Sports\nThe minister met his counterpart.")
    assert [b.tag for b in blocks] == ["menu", "menu", ""]


PAGE = (
    "Seoul and Washington agreed on Tuesday to expand the joint drills this summer, officials said.\n"
    "Sponsored by Acme Widgets of Springfield\n"
    "The drills will involve more troops than last year, the defense ministry said in a statement.\n"
)
SPONSOR_RULE = "pattern,role,note\nsponsored by acme.*,drop,a sponsor line\n"


def _body(rules: RuleSet) -> tuple[str, ...]:
    return clean_blocks(text_blocks(PAGE), rules).paragraphs


def test_editing_the_users_boilerplate_file_takes_effect_at_the_next_page(tmp_path):
    user = tmp_path / "boilerplate.csv"
    assert load_rules(user) is load_rules(None)  # no file: the package table
    assert any("Acme" in p for p in _body(load_rules(user)))
    user.write_text(SPONSOR_RULE, encoding="utf-8")
    assert not any("Acme" in p for p in _body(load_rules(user)))
    user.write_text("pattern,role,note\nnothing like it,drop,another rule\n", encoding="utf-8")
    stamp = user.stat().st_mtime + 5  # an edit within the file system's clock tick would share the old mtime
    os.utime(user, (stamp, stamp))
    assert any("Acme" in p for p in _body(load_rules(user)))
    user.unlink()
    assert load_rules(user) is load_rules(None)


def test_an_ingest_after_the_boilerplate_file_changed_cleans_with_it(tmp_path):
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    (data / "raw" / "drills.txt").write_text(PAGE, "utf-8")

    def stored_body() -> str:
        store = Store.open(data)
        try:
            return store.conn.execute("SELECT body FROM texts").fetchone()[0]
        finally:
            store.close()

    ingest(data)
    assert "Acme" in stored_body()
    (data / "boilerplate.csv").write_text(SPONSOR_RULE, "utf-8")
    ingest(data, rebuild=True)
    assert "Acme" not in stored_body()
