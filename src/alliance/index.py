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
from typing import NamedTuple

ANALYZER_VERSION = "2"
FTS_COLUMNS = ("title", "body", "title_x", "body_x")
STEMMED_COLUMNS = "{title body}"
EXACT_COLUMNS = "{title_x body_x}"
COLUMN_WEIGHTS = (3.0, 1.0, 3.0, 1.0)
"""BM25 weights for FTS_COLUMNS: a word in the title counts three times one in the body."""

_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")
_TOKEN = re.compile(r"\b(?:[^\W\d_]\.){2,}|[\uac00-\ud7a3]+|[^\W_]+", re.UNICODE)
"""An acronym with dots ('U.S.', 'S.K.') is one token; else Hangul runs and word characters."""
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
    return _POSSESSIVE.sub("  ", text)


def _normalise(word: str) -> str:
    if word.isascii():  # NFKC is the identity on ASCII and casefold is lower: skip the slow path
        return word.lower().replace(".", "")
    return unicodedata.normalize("NFKC", word).casefold().replace(".", "")


def tokens(text: str) -> list[Token]:
    """Analysed tokens with their character offsets in the original text (for highlighting)."""
    found: list[tuple[str, int, int, bool]] = []
    for m in _TOKEN.finditer(_fold(text)):
        word = _normalise(m.group())
        if _HANGUL_RUN.match(word):
            if len(word) == 1:
                found.append((word, m.start(), m.end(), False))
            found += [(word[i : i + 2], m.start() + i, m.start() + i + 2, False) for i in range(len(word) - 1)]
        else:
            found.append((word, m.start(), m.end(), True))
    stems = _stemmer().stemWords([word for word, *_ in found])  # type: ignore[attr-defined]
    return [
        Token(word, stem if latin else word, start, end)
        for (word, start, end, latin), stem in zip(found, stems, strict=True)
    ]


def analyse(text: str) -> tuple[str, str]:
    """Text -> (stemmed, exact) token strings for the FTS5 columns: the words of `tokens`, without
    the offsets, stemmed in one batch (the indexing hot path)."""
    exact: list[str] = []
    latin: list[bool] = []
    for raw in _TOKEN.findall(_fold(text)):
        word = _normalise(raw)
        if _HANGUL_RUN.match(word):
            bigrams = [word] if len(word) == 1 else [word[i : i + 2] for i in range(len(word) - 1)]
            exact += bigrams
            latin += [False] * len(bigrams)
        else:
            exact.append(word)
            latin.append(True)
    stems = _stemmer().stemWords(exact)  # type: ignore[attr-defined]
    stemmed = [s if is_latin else w for s, w, is_latin in zip(stems, exact, latin, strict=True)]
    return " ".join(stemmed), " ".join(exact)


def fts_values(title: str | None, body: str) -> tuple[str, str, str, str]:
    title_stem, title_exact = analyse(title or "")
    body_stem, body_exact = analyse(body)
    return title_stem, body_stem, title_exact, body_exact
