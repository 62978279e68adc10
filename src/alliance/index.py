"""The one analyzer, used identically when indexing and when querying, and the FTS5 rows it feeds.

FTS5 receives pre-analysed text: lower-cased, punctuation folded ('U.S.' -> 'us'), English
Snowball stems in the stemmed columns and the words as written in the exact columns (the
equivalent of Elasticsearch's quote_field_suffix), Hangul as overlapping character bigrams.
Stopwords are kept so phrases stay exact. Change anything here, or anything else an ingest
derives for comparing documents (the copy sketches of meetings.py), and bump ANALYZER_VERSION:
the next ingest rebuilds the index when the stamp differs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any, NamedTuple

from .packagedata import package_text


@cache
def stopword_lists() -> dict[str, tuple[str, ...]]:
    """data/stopwords.txt: a language code (or a list such as ko-endings) -> its words."""
    text = package_text("stopwords.txt")
    rows = (line.partition(":") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {code.strip(): tuple(words.split()) for code, _, words in rows}


ANALYZER_VERSION = "2"
HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
FTS_COLUMNS = ("title", "body", "title_x", "body_x")
STEMMED_COLUMNS = "{title body}"
EXACT_COLUMNS = "{title_x body_x}"
COLUMN_WEIGHTS = (3.0, 1.0, 3.0, 1.0)
"""BM25 weights for FTS_COLUMNS: a word in the title counts three times one in the body."""

_POSSESSIVE = re.compile(r"['’]s\b")
"""A possessive 's; `_fold` keeps it only after a word character (a leading lookbehind would be
tried at every character of the body, which costs four times the scan for the apostrophe)."""
_TOKEN = re.compile(
    r"[^\W_](?:(?<=\b[^\W\d_])\.(?:[^\W\d_]\.)+|(?<=[\uac00-\ud7a3])[\uac00-\ud7a3]*|(?<![\uac00-\ud7a3])[^\W_]*)"
)
"""A token: an acronym with dots ('U.S.', 'S.K.') at the start of a word, else a Hangul run, else
a run of word characters (Hangul included after a letter or digit), which reads more plainly as
`\\b(?:[^\\W\\d_]\\.){2,}|[\\uac00-\\ud7a3]+|[^\\W_]+`. Written with the first character taken
first, `re` skips from one possible start to the next by a character class (an alternation that
opens with \\b is tried at every position): the same matches in three quarters of the time."""
_HANGUL_RUN = re.compile(r"^[\uac00-\ud7a3]+$")


@cache
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("english")


class Token(NamedTuple):
    """A word as written and stemmed, with its offsets (a tuple: bodies have thousands)."""

    exact: str
    stem: str
    start: int
    end: int


def _fold(text: str) -> str:
    """Drop possessive 's, keeping offsets: the substitution has the length of what it replaces."""
    if "'s" not in text and "’s" not in text:
        return text
    return _POSSESSIVE.sub(_blank_possessive, text)


def _blank_possessive(match: re.Match[str]) -> str:
    """Blanks for an 's that follows a word character (what `\\w` is: alphanumeric or '_')."""
    start = match.start()
    before = match.string[start - 1] if start else ""
    return "  " if before.isalnum() or before == "_" else match.group()


def _normalise(word: str) -> str:
    if word.isascii():  # NFKC is the identity on ASCII and casefold is lower: skip the slow path
        return word.lower().replace(".", "")
    return unicodedata.normalize("NFKC", word).casefold().replace(".", "")


def _bigrams(run: str) -> list[str]:
    """A Hangul run as the index holds it: overlapping character pairs (a lone syllable stays)."""
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


def _stemmed(units: list[str], latin: list[bool]) -> list[str]:
    """Snowball stems in one batch for the Latin units; Hangul bigrams stay as they are."""
    stems = _stemmer().stemWords(units)  # type: ignore[attr-defined]
    return [stem if is_latin else unit for stem, unit, is_latin in zip(stems, units, latin, strict=True)]


def tokens(text: str) -> list[Token]:
    """Analysed tokens with their character offsets in the original text (for highlighting)."""
    units: list[str] = []
    latin: list[bool] = []
    spans: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(_fold(text)):
        word = _normalise(m.group())
        if _HANGUL_RUN.match(word):
            pairs = _bigrams(word)
            units += pairs
            latin += [False] * len(pairs)
            spans += [(m.start() + i, m.start() + i + len(pair)) for i, pair in enumerate(pairs)]
        else:
            units.append(word)
            latin.append(True)
            spans.append((m.start(), m.end()))
    return [
        Token(unit, stem, start, end)
        for unit, stem, (start, end) in zip(units, _stemmed(units, latin), spans, strict=True)
    ]


WORD_CACHE_MAX = 200_000
"""Distinct raw words whose analysis `analyse` remembers (a news corpus's vocabulary fits)."""
_stems: dict[str, str] = {}
_exacts: dict[str, str] = {}
"""Raw token -> its stemmed and its exact units, space-joined: a Hangul run's bigrams (both), else
the stem and the normalised word. The same for every occurrence, so `analyse` keeps them."""


def _learn(raws: list[str]) -> None:
    """Analyse the tokens `analyse` has not seen yet (all of them again after the caches fill up)."""
    new = set(raws).difference(_stems)
    if len(_stems) + len(new) > WORD_CACHE_MAX:
        _stems.clear()
        _exacts.clear()
        new = set(raws)
    for raw in new:
        word = _normalise(raw)
        if _HANGUL_RUN.match(word):
            _stems[raw] = _exacts[raw] = " ".join(_bigrams(word))
        else:
            _stems[raw] = _stemmer().stemWord(word)  # type: ignore[attr-defined]
            _exacts[raw] = word


def analyse(text: str) -> tuple[str, str]:
    """Text -> (stemmed, exact) token strings for the FTS5 columns: the units of `tokens` without
    their offsets (the indexing hot path: findall, then two joins over dictionaries of words
    already analysed, with no Python-level loop once the words are known)."""
    raws = _TOKEN.findall(_fold(text))
    try:
        return " ".join(map(_stems.__getitem__, raws)), " ".join(map(_exacts.__getitem__, raws))
    except KeyError:
        _learn(raws)
        return " ".join(map(_stems.__getitem__, raws)), " ".join(map(_exacts.__getitem__, raws))


def fts_values(title: str | None, body: str) -> tuple[str, str, str, str]:
    title_stem, title_exact = analyse(title or "")
    body_stem, body_exact = analyse(body)
    return title_stem, body_stem, title_exact, body_exact


class Part(NamedTuple):
    """One piece of a Korean word as the bigram index holds it: its bigrams (or the lone
    syllable), and whether the lone syllable is a prefix (it starts a longer run)."""

    words: tuple[str, ...]
    prefix: bool


def hangul_part(piece: str) -> Part:
    return Part((piece,), True) if len(piece) == 1 else Part(tuple(_bigrams(piece)), False)


CONTENT_TAGS = ("NN", "NR", "NP", "XR", "SH")
"""Kiwi tags of the morphemes a query keeps: nouns, numerals, pronouns, roots, hanja. Particles,
endings and verb suffixes go, so "확장억제를" finds "확장 억제는"."""
ATTACHED_TAGS = ("XSN", "XPN")
"""Noun suffixes and prefixes (-권, 비-) stay, glued to the noun they belong to."""


@cache
def _kiwi() -> Any:
    """The Korean morphological analyser, loaded on the first Korean query only (about a second:
    it reads its model from the kiwipiepy_model package); None when kiwipiepy is not installed."""
    try:
        from kiwipiepy import Kiwi
    except ImportError:  # pragma: no cover - the bigram fallback below still works
        return None
    return Kiwi(load_typo_dict=False, load_multi_dict=False)


@cache
def hangul_pieces(word: str) -> tuple[str, ...]:
    """A Korean word split into the morphemes worth finding, each a substring of the word: compounds
    split ("전시작전통제권" -> 전시, 작전, 통제권), particles dropped. One-syllable morphemes are glued
    to a neighbour they touch, because the bigram index holds a syllable alone only when it stands
    alone. Without kiwipiepy, the word itself."""
    kiwi = _kiwi()
    if kiwi is None:
        return (word,)
    spans: list[list[int]] = []
    pending: int | None = None  # start of a lone syllable waiting for the next morpheme
    for tok in kiwi.tokenize(word):
        start, end = tok.start, tok.start + tok.len
        if not (tok.tag.startswith(CONTENT_TAGS) or tok.tag in ATTACHED_TAGS) or not HANGUL_WORD.fullmatch(
            word[start:end]
        ):
            if pending is not None:
                spans.append([pending, pending + 1])
            pending = None
            continue
        if pending is not None and pending + 1 == start:
            start, pending = pending, None
        if end - start == 1 and spans and spans[-1][1] == start:
            spans[-1][1] = end
        elif end - start == 1:
            pending = start
        else:
            spans.append([start, end])
    if pending is not None:
        spans.append([pending, pending + 1])
    return tuple(word[a:b] for a, b in spans) or (word,)
