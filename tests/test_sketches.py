"""The sketch arithmetic counted in C agrees with the bin-by-bin reading it replaced."""

from hypothesis import given
from hypothesis import strategies as st

from alliance.sketches import BAND_ROWS, BIN_BITS, EMPTY_BIN, SKETCH_BINS, band_keys, similar, similarity

BIN = st.one_of(st.just(EMPTY_BIN), st.integers(0, 3), st.integers(0, 2**28 - 1))
SKETCH = st.lists(BIN, min_size=SKETCH_BINS, max_size=SKETCH_BINS)


def _similarity_bin_by_bin(a: list[int], b: list[int]) -> float:
    same = filled = 0
    for x, y in zip(a, b, strict=True):
        if x != EMPTY_BIN or y != EMPTY_BIN:
            filled += 1
            same += x == y
    return same / filled if filled else 0.0


@given(SKETCH, SKETCH)
def test_similarity_counts_the_bins_either_sketch_fills(a, b):
    assert similarity(a, b) == _similarity_bin_by_bin(a, b)
    assert similarity(a, a) == (1.0 if any(v != EMPTY_BIN for v in a) else 0.0)


@given(SKETCH, SKETCH, st.sampled_from([0.25, 0.5, 0.75, 1.0]))
def test_similar_is_the_similarity_reaching_the_threshold(a, b, threshold):
    assert similar(a, b, threshold) == (similarity(a, b) >= threshold)


def _packed(band: list[int], position: int) -> int:
    key = position
    for value in band:
        key = (key << BIN_BITS) | (value & ((1 << BIN_BITS) - 1))
    return key


@given(SKETCH)
def test_band_keys_pack_each_band_but_the_empty_ones(bins):
    expected = [
        _packed(bins[i : i + BAND_ROWS], i)
        for i in range(0, len(bins), BAND_ROWS)
        if any(v != EMPTY_BIN for v in bins[i : i + BAND_ROWS])
    ]
    assert band_keys(bins) == expected
    assert len(set(band_keys(bins))) == len(expected)  # one key per band: positions keep them apart
