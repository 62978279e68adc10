"""Pathological input: the cleaner and parser stay linear (no regex backtracking blow-ups).

No timings are asserted here (speed goals live in bench/); an alarm only turns a hang into a
failure instead of a stuck CI job."""

import signal
from contextlib import contextmanager
from pathlib import Path

import pytest

from alliance.clean import clean
from alliance.models import RawDocument
from alliance.parse import parse_article

HANG_GUARD_SECONDS = 60


@contextmanager
def hang_guard():
    def fail(*_):
        raise TimeoutError(f"no result in {HANG_GUARD_SECONDS} s: something is not linear")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(HANG_GUARD_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def raw(text, kind="txt"):
    return RawDocument(Path(f"x.{kind}"), "x", text.encode(), text, "utf-8", kind)


PATHOLOGICAL = {
    "100k short lines": "\n".join(f"Menu {i}" for i in range(100_000)),
    "1 MB without a newline": ("The minister met the secretary in Seoul and they talked. " * 18_000)[:1_000_000],
    "punctuation runs": ("." * 50_000) + ("-" * 50_000) + ("(" * 20_000) + (")" * 20_000) + "\n" + ("!?" * 50_000),
    "capitalised words without end": " ".join(["Minister Kim Jong Lee Park Austin"] * 30_000),
    "dates everywhere": " ".join(["On February 28, 2024 and 2024.02.28 and 2024년 2월 28일"] * 20_000),
    "quotes and brackets": ('"[(' * 30_000) + ("a" * 10_000) + (')]"' * 30_000),
    "initials without end": "A." * 50_000 + " - " + "<" * 50_000 + "@" * 50_000,
    "e-mail-like runs": "a.b-c+d" * 30_000 + "\n" + "x@" * 50_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_text_completes(name):
    with hang_guard():
        document = raw(PATHOLOGICAL[name])
        cleaned = clean(document)
        parse_article(document, cleaned)


def test_pathological_html_completes():
    page = "<html><body>" + "<div><a href='#'>link</a>" * 20_000 + "</div>" * 20_000 + "</body></html>"
    with hang_guard():
        document = raw(page, "html")
        parse_article(document, clean(document))
