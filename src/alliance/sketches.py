"""Near-duplicate sketches: MinHash of a body's shingles and its LSH bands.

Pure functions of a body's text, shared by the ingest that computes them, the store that
indexes the bands and the copy detection in meetings.py.
"""

from __future__ import annotations

import re
import zlib

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
    and aligned bin by bin across documents, which LSH banding needs."""
    words = _WORD.findall(body.lower())
    bins = [EMPTY_BIN] * SKETCH_BINS
    for i in range(max(0, len(words) - SHINGLE_WORDS + 1) or (1 if words else 0)):
        h = zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode())
        b, value = h % SKETCH_BINS, h // SKETCH_BINS
        if bins[b] == EMPTY_BIN or value < bins[b]:
            bins[b] = value
    return bins


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity: agreeing bins among those either document fills."""
    if len(a) != len(b):
        return 0.0
    same = filled = 0
    for x, y in zip(a, b, strict=True):
        if x != EMPTY_BIN or y != EMPTY_BIN:
            filled += 1
            same += x == y
    return same / filled if filled else 0.0


def bands(bins: list[int]) -> list[tuple[int, ...]]:
    """The sketch cut into LSH bands (position first), leaving out bands with no filled bin."""
    return [
        (i, *bins[i : i + BAND_ROWS])
        for i in range(0, len(bins), BAND_ROWS)
        if any(v != EMPTY_BIN for v in bins[i : i + BAND_ROWS])
    ]


BIN_BITS = 28
"""A bin value is below 2**32 / SKETCH_BINS < 2**28, so a band's position and values pack into one integer."""


def band_keys(bins: list[int]) -> list[int]:
    """The sketch's bands as the integers the store's `bands` table indexes: one-to-one with
    `bands`, so a stored lookup finds exactly the candidates the in-memory banding would."""
    mask = (1 << BIN_BITS) - 1
    keys = []
    for band in bands(bins):
        key = band[0]
        for value in band[1:]:
            key = (key << BIN_BITS) | (value & mask)
        keys.append(key)
    return keys
