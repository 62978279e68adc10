"""One short line repeated hundreds of thousands of times (a 15 MB dump of it took minutes):
cleaning is linear in the number of lines. No timing is asserted; the hang guard only turns
quadratic work (minutes here) into a failure instead of a stuck run."""

from alliance.clean import clean

from .test_limits import hang_guard, raw


def test_a_run_of_identical_lines_that_join_cleans_in_linear_time():
    text = "alliance ironclad\n" * 300_000  # lower case: each line continues the one before
    with hang_guard():
        cleaned = clean(raw(text))
    assert cleaned.body.count("alliance ironclad") in (0, 300_000)  # one block, kept or dropped whole
