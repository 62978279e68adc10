"""Korean-language meeting dates: '9일', '지난달 28일', '21일(현지시간)', '10월 2일', '2013년 10월 2일'.

Korean news gives the meeting's day of the month and leaves month and year to the publication
date ('9일' in a story of 10 August is 9 August; '지난달 28일' is the 28th of the month before).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..patterns import fast

KOREAN_DAY = fast(
    r"(?:(?P<year>(?:19|20)\d\d)년\s*)?(?:(?P<last>지난달|전달)\s*|(?P<month>1[0-2]|[1-9])월\s*)?(?P<day>3[01]|[12]\d|[1-9])일"
    r"(?!\s*(?:간|째|동안))"
)
"""A day of the month, with what fixes its month ('지난달', '10월') or year ('2013년'); not '3일간'."""
RELATIVE_DAYS = (("그제", -2), ("엊그제", -2), ("어제", -1), ("전날", -1), ("오늘", 0), ("이날", 0))
"""Days named relative to publication."""


def _previous_month(day: date) -> tuple[int, int]:
    first = day.replace(day=1) - timedelta(days=1)
    return first.year, first.month


def korean_day(sentence: str, published: date | None) -> tuple[date, str] | None:
    """The meeting day a Korean sentence gives, read against the publication date."""
    m = KOREAN_DAY.search(sentence)
    if m:
        day = int(m.group("day"))
        if m.group("year") and m.group("month"):
            year, month = int(m.group("year")), int(m.group("month"))
        elif published is None:
            return None
        elif m.group("last"):
            year, month = _previous_month(published)
        elif m.group("month"):
            month = int(m.group("month"))
            year = published.year if month <= published.month else published.year - 1
        elif day <= published.day + 1:
            year, month = published.year, published.month
        else:
            year, month = _previous_month(published)
        try:
            return date(year, month, day), f"Korean day of month ({m.group(0)})"
        except ValueError:
            return None
    if published:
        for word, offset in RELATIVE_DAYS:
            if word in sentence and re.search(rf"(?<![가-힣]){word}(?![가-힣])", sentence):
                return published + timedelta(days=offset), f"Korean relative day ({word})"
    return None
