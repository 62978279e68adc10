"""How a meeting was held (phone, video, in person) and where, from the words that report it."""

from __future__ import annotations

import re
from functools import cache

from ..packagedata import csv_rows, package_text
from ..patterns import fast, with_lookahead

FORMAT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, fast(pattern, re.I))
    for name, pattern in [
        (
            "video",
            r"\bvideo[\s-]*(?:conference|call|link|talks|meeting|summit)|\bvideoconference|\bvirtual(?:ly)?\s+(?:meeting|talks|summit|call)|\bonline\s+(?:meeting|talks)|화상",
        ),
        (
            "phone",
            r"\b(?:tele)?phone\b|\bover the phone\b|\b(?:coordination|introductory|courtesy)\s+call\b|\bcall(?:ed)?\s+with\b|\bspoke\s+by\b"
            r"|\bspoke\s+(?:today\s+|(?:on\s+)?\w+day\s+)?with\s+(?!reporters|the press|journalists)[A-Z]|전화",
        ),
        (
            "in-person",
            r"회담을 열|회담했|회의를 열|회의를 갖|만나|만났|방한|방문|청사에서|\bin[\s-]person\b|\bface[\s-]to[\s-]face\b|\bmet\b|\bhost(?:s|ed)?\b|\bvisit(?:ed|s|ing)?\b|\bwelcomed\b|\bon the sidelines\b|\bsat down\b|\barrived\b|\bmeeting\s+(?:at|in)\b|\btalks\s+(?:at|in)\b|\bsummit\b|\b2\+2\b|\btwo plus two\b",
        ),
    ]
)
"""Checked in order: a video call is also a call, and a call is not a meeting in person."""


_HANGUL = re.compile(r"[\uac00-\ud7a3]")
PLACE_PREPOSITIONS = (
    r"\b(?:at|in|inside|near|of|(?:visit|visits|visited|visiting|trip|travel(?:ed|led)?|flew|arrived|came|back)\s+to)"
)
"""Words before a place that make it where something happened ('at', 'in', 'sidelines of',
'visit to'); a bare 'to' is often where something will move ('move the command to Camp Humphreys')."""


HANGUL_PLACE_AFTER = r"(?=[^\n.]{0,20}?(?:에서|에 도착|을 방문|를 방문))"
"""'서울 용산 국방부 청사에서': a Hangul place a few words before 에서/에 있는."""


@cache
def _place_forms() -> tuple[tuple[str, str, str], ...]:
    """Each place of places.csv: (name, its Latin forms, its Hangul forms), each an alternation
    of escaped forms ('' when there are none)."""
    text = package_text("places.csv")
    rows = csv_rows(text)
    out = []
    for row in rows:
        forms = [f.strip().removeprefix("the ") for f in [row["name"], *(row.get("aliases") or "").split(";")]]
        latin = "|".join(re.escape(f) for f in forms if f and not _HANGUL.search(f))
        hangul = "|".join(re.escape(f) for f in forms if f and _HANGUL.search(f))
        out.append((row["name"], latin, hangul))
    return tuple(out)


def meeting_format(texts: list[str]) -> str | None:
    """The first format the texts state, most telling text first."""
    for text in texts:
        for name, pattern in FORMAT_PATTERNS:
            if pattern.search(text):
                return name
    return None


@cache
def _any_place() -> tuple[re.Pattern[str], tuple[str, ...]]:
    """Every place's pattern as one: its leftmost match is the first place a text names, and at
    one position the first name in name order, as the smallest (start, name) over a search per
    place would be. The preposition is read once and the names tried after it (group `p<i>`, or
    `s<i>` at the start of the text, `h<i>` for Hangul, for the i-th name), not one whole place
    pattern after another at every position."""
    ordered = sorted(_place_forms())

    def names(group: str, script: int) -> str:
        """The names' forms in one script (1 Latin, 2 Hangul), group `<group><i>` for the i-th."""
        return "|".join(f"(?P<{group}{i}>{place[script]})" for i, place in enumerate(ordered) if place[script])

    after_word, at_start, hangul = names("p", 1), names("s", 1), names("h", 2)
    branches = [rf"{PLACE_PREPOSITIONS}\s+(?:the\s+)?(?:{after_word})\b", rf"^(?:{at_start})\b"] if after_word else []
    if hangul:
        branches.append(f"(?:{hangul}){HANGUL_PLACE_AFTER}")
    return fast("|".join(map(with_lookahead, branches)) or "(?!)"), tuple(name for name, _, _ in ordered)


def location(texts: list[str]) -> str | None:
    """The first venue or city that the texts place the meeting at ('at the Pentagon', 'in Seoul')."""
    pattern, names = _any_place()
    for text in texts:
        if (m := pattern.search(text)) and m.lastgroup:
            return names[int(m.lastgroup[1:])]
    return None


DATELINE_PLACE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Za-z .]+?)(?:,\s*(?:[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?|[A-Z][a-z]{2,4}\.?\s+\d{1,2}))*"
    r"\s*(?:/[A-Z]{2,10}\s*:|\([A-Za-z =]+\)\s*[-—–]{1,2}|[-—–]{1,2}(?:\s|$))"
)


def dateline_place(lines: list[str]) -> str | None:
    """'Seoul/UNI:' or 'SEOUL (Yonhap) --' -> the place the story was filed from."""
    for line in lines:
        m = DATELINE_PLACE.match(line)
        if m:
            name = m.group("place").strip().title()
            return next((p for p, _, _ in _place_forms() if p.lower().removeprefix("the ") == name.lower()), name)
    return None
