"""How a meeting was held (phone, video, in person) and where, from the words that report it."""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

FORMAT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.I))
    for name, pattern in [
        (
            "video",
            r"\bvideo[\s-]*(?:conference|call|link|talks|meeting|summit)|\bvideoconference|\bvirtual(?:ly)?\s+(?:meeting|talks|summit|call)|\bonline\s+(?:meeting|talks)|화상",
        ),
        (
            "phone",
            r"\b(?:tele)?phone\b|\bover the phone\b|\b(?:coordination|introductory|courtesy)\s+call\b|\bcall(?:ed)?\s+with\b|\bspoke\s+by\b|전화",
        ),
        (
            "in-person",
            r"\bin[\s-]person\b|\bface[\s-]to[\s-]face\b|\bmet\b|\bhost(?:s|ed)?\b|\bvisit(?:ed|s|ing)?\b|\bwelcomed\b|\bon the sidelines\b|\bsat down\b|\barrived\b|\bmeeting\s+(?:at|in)\b|\btalks\s+(?:at|in)\b|\bsummit\b|\b2\+2\b|\btwo plus two\b",
        ),
    ]
)
"""Checked in order: a video call is also a call, and a call is not a meeting in person."""


@cache
def places() -> tuple[tuple[str, re.Pattern[str]], ...]:
    text = resources.files("alliance").joinpath("data/places.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    out = []
    for row in rows:
        forms = [row["name"], *(row.get("aliases") or "").split(";")]
        alternation = "|".join(re.escape(f.strip().removeprefix("the ")) for f in forms if f.strip())
        out.append(
            (
                row["name"],
                re.compile(rf"\b(?:at|in|to)\s+(?:the\s+)?(?:{alternation})\b|^(?:{alternation})\b"),
            )
        )
    return tuple(out)


def meeting_format(texts: list[str]) -> str | None:
    """The first format the texts state, most telling text first."""
    for text in texts:
        for name, pattern in FORMAT_PATTERNS:
            if pattern.search(text):
                return name
    return None


def location(texts: list[str]) -> str | None:
    """The first venue or city that the texts place the meeting at ('at the Pentagon', 'in Seoul')."""
    for text in texts:
        hits = [(m.start(), name) for name, pattern in places() if (m := pattern.search(text))]
        if hits:
            return min(hits)[1]
    return None


DATELINE_PLACE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Za-z .]+?)\s*(?:/[A-Z]{2,10}\s*:|\([A-Za-z ]+\)\s*[-—–]|[-—–]{1,2}\s)"
)


def dateline_place(lines: list[str]) -> str | None:
    """'Seoul/UNI:' or 'SEOUL (Yonhap) --' -> the place the story was filed from."""
    for line in lines:
        m = DATELINE_PLACE.match(line)
        if m:
            name = m.group("place").strip().title()
            return next((p for p, _ in places() if p.lower().removeprefix("the ") == name.lower()), name)
    return None
