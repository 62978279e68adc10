"""Near-duplicate sketches: MinHash of a body's shingles and its LSH bands.

Pure functions of a body's text, shared by the ingest that computes them, the store that
indexes the bands and the copy detection in meetings.py.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from itertools import compress, repeat
from operator import and_, eq, ge, lshift, ne, or_

SKETCH_BINS = 24
BAND_ROWS = 2
"""Sketch bins compared as LSH bands of this many: two bodies become copy candidates only
when a whole band agrees, so the common 5-grams of news prose do not make every pair a candidate."""
SHINGLE_WORDS = 5
EMPTY_BIN = -1
_WORD = re.compile(r"\w+")


def sketch(body: str) -> list[int]:
    """One-permutation MinHash of the body's word 5-gram shingles: the CRC32 space cut into
    SKETCH_BINS bins, the smallest hash in each (EMPTY_BIN when none). One pass, stable across runs,
    and aligned bin by bin across documents, which LSH banding needs. The shingles are joined and
    hashed by map() over shifted word lists (no Python-level loop there); within a bin the smallest
    hash is the smallest value, so the loop keeps hashes and divides once per bin."""
    words = _WORD.findall(body.lower())
    if len(words) < SHINGLE_WORDS:  # a short body is one shingle (none when it has no word)
        shingles: Iterable[str] = [" ".join(words)] if words else []
    else:
        shingles = map(" ".join, zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False))  # shifts end early
    least: dict[int, int] = {}
    above = 1 << 32  # more than any CRC32
    get = least.get
    for h in map(zlib.crc32, map(str.encode, shingles)):
        b = h % SKETCH_BINS
        if h < get(b, above):
            least[b] = h
    return [least[b] // SKETCH_BINS if b in least else EMPTY_BIN for b in range(SKETCH_BINS)]


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity: agreeing bins among those either document fills. Counted in C:
    a bin's value is never below EMPTY_BIN, so the larger of two bins is EMPTY_BIN only when both
    are empty, and those are the equal bins that do not count."""
    if len(a) != len(b):
        return 0.0
    both_empty = list(map(max, a, b)).count(EMPTY_BIN)
    filled = len(a) - both_empty
    return (sum(map(eq, a, b)) - both_empty) / filled if filled else 0.0


def first_similar(bins: list[int], others: Sequence[list[int]], threshold: float) -> int | None:
    """The index of the first of `others` whose similarity with `bins` reaches the threshold, None
    when none does. Most are ruled out by counting equal bins for all of them in C: with E equal
    bins (both empty included), B both empty and n bins, (E - B) / (n - B) >= threshold needs
    E >= threshold * n; only the others that pass get the exact count."""
    agree = map(sum, map(map, repeat(eq), repeat(bins), others))
    likely = compress(range(len(others)), map(ge, agree, repeat(threshold * len(bins))))
    return next((i for i in likely if similarity(bins, others[i]) >= threshold), None)


def similar(a: list[int], b: list[int], threshold: float) -> bool:
    """similarity(a, b) >= threshold."""
    return first_similar(a, [b], threshold) is not None


BIN_BITS = 28
"""A bin value is below 2**32 / SKETCH_BINS < 2**28, so a band's position and values pack into one integer."""


def band_keys(bins: list[int]) -> list[int]:
    """The sketch's LSH bands of BAND_ROWS bins, each packed with its position into one integer
    (the store's `bands` table indexes them; in memory they are lighter keys than tuples), leaving
    out bands with no filled bin. Built in C: the position shifted in front of each row's column
    of bins; a band is kept when its largest bin is filled (EMPTY_BIN is below every filled value)."""
    mask = (1 << BIN_BITS) - 1
    rows = [bins[k::BAND_ROWS] for k in range(BAND_ROWS)]
    keys: Iterable[int] = range(0, len(bins), BAND_ROWS)
    for row in rows:  # map() stops with the shortest row: a last, shorter band is left out
        keys = map(or_, map(lshift, keys, repeat(BIN_BITS)), map(and_, row, repeat(mask)))
    return list(compress(keys, map(ne, map(max, *rows), repeat(EMPTY_BIN))))
