"""patterns.fast and patterns.words give the matches the plain patterns give: the lookahead
only skips positions where no match can start, and the trie matches exactly its words."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.parse.frame import MEETING_CUE_HANGUL, MEETING_CUE_WORDS
from alliance.parse.setting import FORMAT_PATTERNS
from alliance.patterns import fast, first_chars, words

PATTERNS = [
    (r"\bvideo[\s-]*(?:conference|call)|\bvirtual(?:ly)?\s+talks|화상", re.I),
    (r"(?:tele)?phone\b|\bspoke\s+(?:on\s+)?\w+day\s+with\s+[A-Z]|전화", re.I),
    (r"(?<=\w)['’]s\b|\b(?:at|in)\s+(?:the\s+)?(?:Seoul|Pentagon)\b|^(?:Tokyo)\b", 0),
    (r"[A-C]x|b{0,2}y|\Bq", 0),
    (r"(?:ab)+c|d*e", re.I),
    (r"\b(?P<day>[0-3]?\d)\s+(?:of\s+)?May|(?<!\d)\d월", re.I),
    (r"\s+[|/]\s+|\s{3,}|\u00a0{2,}", 0),
]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@settings(max_examples=300)
@given(st.data())
def test_the_lookahead_finds_what_the_plain_pattern_finds(data):
    pattern, flags = data.draw(st.sampled_from(PATTERNS))
    alphabet = sorted(set(pattern.replace("\\", "")) | set("ABxyzS ṡ\nİK0379٣\t\u00a0"))
    text = data.draw(st.text(st.sampled_from(alphabet), max_size=60))
    assert _spans(fast(pattern, flags), text) == _spans(re.compile(pattern, flags), text)


def test_real_sentences_get_the_same_matches():
    text = (
        "Defense Minister Suh Wook HELD a Video conference with his U.S. counterpart; they spoke "
        "on Tuesday with Austin, then Met in Seoul.\n국방부 장관은 화상 회의에서 전화로 만났다. Over the PHONE."
    )
    for _, pattern in FORMAT_PATTERNS:
        plain = re.compile(pattern.pattern.split("(?:", 1)[1].rsplit(")", 1)[0], pattern.flags)
        assert _spans(pattern, text) == _spans(plain, text)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bmet\b|회담", {"m", "회"}),
        (r"(?:tele)?phone", {"t", "p"}),
        (r"a*b", {"a", "b"}),
        (r"[a-c]x", {"a", "b", "c"}),
        (r"(?<!\d)[01]?\d월|\s+-", {"0", "1", r"\d", r"\s"}),
    ],
)
def test_first_characters(pattern, expected):
    assert first_chars(pattern) == expected


@pytest.mark.parametrize(
    "pattern", [r"\w+", r".x", r"[^a]b", r"a?", r"(?i:a)b", r"(?P<x>a)?(?P=x)b", r"[\u0000-\uffff]"]
)
def test_no_short_list_of_first_characters_means_no_lookahead(pattern):
    assert first_chars(pattern) is None
    assert fast(pattern).pattern == pattern


def test_a_vocabulary_as_a_trie_matches_exactly_its_words():
    vocabulary = [*MEETING_CUE_WORDS, *MEETING_CUE_HANGUL]
    trie = re.compile(words(vocabulary), re.I)
    for word in vocabulary:
        assert trie.fullmatch(word)
        assert trie.fullmatch(word.upper())
    for near in ("mee", "calle", "co-chai", "agreementsx", "sat", "회", "heldd", ""):
        assert not trie.fullmatch(near)
    assert words(["call", "called", "calls"]) == "call(?:ed|s)?"
    assert words(["a", "ab"]) == "ab?"


@given(st.lists(st.text("abc -", min_size=1, max_size=5), min_size=1, max_size=8), st.text("abc -", max_size=30))
def test_a_trie_searches_like_the_longest_first_alternation(vocabulary, text):
    """Both take, at each place, the longest word followed by a word boundary."""
    longest_first = sorted(set(vocabulary), key=len, reverse=True)
    plain = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in longest_first) + r")\b")
    trie = re.compile(rf"\b{words(vocabulary)}\b")
    assert _spans(trie, text) == _spans(plain, text)


@given(
    st.lists(st.sampled_from(["Kim", "kim", " ", "-", "a", "Jong", "-un", "\n", "é", "_"]), max_size=15).map("".join)
)
def test_a_surname_pattern_finds_what_the_lookbehind_first_form_finds(text):
    from alliance.parse.people import _surname_pattern

    lookbehind_first = re.compile(r"(?<![\w-])Kim(?![\w-])(?!\s+[A-Z][a-z]+-[a-z])")
    assert _spans(_surname_pattern("Kim"), text) == _spans(lookbehind_first, text)


@given(
    st.lists(st.sampled_from(["SCM", "2+2", "NCG", "Security Consultative Meeting", "summit", " ", "-", "x"])).map(
        " ".join
    )
)
def test_one_alternation_names_the_meeting_a_search_per_type_names(text):
    from alliance.parse.frame import meeting_types, named_type

    named_type.cache_clear()
    hits = [(m.start(), t) for t in meeting_types() if (m := t.pattern.search(text))]
    assert named_type(text) == (min(hits, key=lambda h: h[0])[1] if hits else None)


@given(
    st.lists(
        st.sampled_from(["Gen.", "U.S.", "Kim", "met.", "!", "?", '"', "”", ")", " ", "  ", "\n", "Then", "9"])
    ).map("".join)
)
def test_sentences_break_where_the_lookbehind_form_breaks(text):
    """The end mark is matched rather than looked behind for: the same breaks."""
    from alliance.parse.people import _SENTENCE_BREAK

    lookbehind = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9\uac00-\ud7a3])")
    assert [m.span("gap") for m in _SENTENCE_BREAK.finditer(text)] == _spans(lookbehind, text)


PLACE_WORDS = (
    *("at", "in", "the", "Pentagon", "Seoul", "Tokyo", "Washington", "서울", "에서", " ", "x"),
    *("visited", "to", "of", "White House", "Washington, D.C.", "Naval Academy", "U.S.", "Blue House"),
    *("Seoulite", "inside", "\n", ".", "도쿄", "청와대", "을 방문", "State Department", "Camp"),
)
"""Words of texts that name places, as prepositions, in Hangul, at the start, inside other words."""


@given(st.lists(st.sampled_from(PLACE_WORDS)).map(" ".join))
def test_one_alternation_places_the_meeting_where_a_search_per_place_does(text):
    from alliance.parse.setting import HANGUL_PLACE_AFTER, PLACE_PREPOSITIONS, _place_forms, location

    def place_pattern(latin, hangul):
        """A place's mention as where something happened, searched for alone."""
        patterns = [rf"{PLACE_PREPOSITIONS}\s+(?:the\s+)?(?:{latin})\b|^(?:{latin})\b"] if latin else []
        if hangul:
            patterns.append(f"(?:{hangul}){HANGUL_PLACE_AFTER}")
        return re.compile("|".join(patterns))

    places = [(name, place_pattern(latin, hangul)) for name, latin, hangul in _place_forms()]
    hits = [(m.start(), name) for name, pattern in places if (m := pattern.search(text))]
    assert location([text]) == (min(hits)[1] if hits else None)
