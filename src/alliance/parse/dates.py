"""Dates in the many ways news pages write them, and the rules that turn them into a meeting day.

Patterns are a table (DATE_PATTERNS): add a row for a new format, not an `if`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("monday",),
            ("tuesday",),
            ("wednesday",),
            ("thursday",),
            ("friday",),
            ("saturday",),
            ("sunday",),
        ]
    )
    for name in names
}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"


@dataclass(frozen=True)
class DateMention:
    """A date found in text; year is None when the text leaves it out ('On February 28')."""

    year: int | None
    month: int
    day: int
    start: int
    end: int

    def on(self, year: int) -> date | None:
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None

    @property
    def full(self) -> date | None:
        return self.on(self.year) if self.year else None


def _month(m: re.Match[str]) -> int:
    value = m.group("month")
    return int(value) if value.isdigit() else MONTHS[value.lower().rstrip(".")]


DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.I))
    for name, pattern in [
        ("iso", rf"(?<!\d){_YEAR}-(?P<month>[01]?\d)-{_DAY}(?!\d)"),
        ("dotted", rf"(?<![\d.]){_YEAR}[./](?P<month>[01]?\d)[./]{_DAY}(?![\d])"),
        ("korean", rf"{_YEAR}\s*년\s*(?P<month>[01]?\d)\s*월\s*{_DAY}\s*일"),
        ("chinese/japanese", rf"{_YEAR}\s*年\s*(?P<month>[01]?\d)\s*月\s*{_DAY}\s*日"),
        ("day.month.year", rf"(?<![\d.]){_DAY}\.(?P<month>[01]?\d)\.{_YEAR}(?!\d)"),
        # a slash date is read only when it cannot be misread: its day is over 12
        ("day/month/year", rf"(?<![\d/])(?P<day>1[3-9]|2\d|3[01])/(?P<month>0?[1-9]|1[0-2])/{_YEAR}(?!\d)"),
        ("month/day/year", rf"(?<![\d/])(?P<month>0?[1-9]|1[0-2])/(?P<day>1[3-9]|2\d|3[01])/{_YEAR}(?!\d)"),
        ("month day, year", rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
        ("day month year", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b"),
        ("korean month day", r"(?<!\d)(?P<month>[01]?\d)\s*월\s*(?P<day>[0-3]?\d)\s*일"),
        (
            "month day",
            rf"\b{_MONTH}\s+{_DAY}\b(?!,?\s*(?:19|20)\d\d)(?!\s*(?:%|percent|million|billion))",
        ),
        ("day month", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b(?!,?\s+(?:19|20)\d\d)"),
    ]
)
"""Name and regex; groups year (optional), month (number or name), day."""


def find_dates(text: str) -> list[DateMention]:
    """Every date in the text, left to right; where patterns overlap the first (fullest) wins."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for _, pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            year = m.groupdict().get("year")
            mention = DateMention(int(year) if year else None, _month(m), int(m.group("day")), m.start(), m.end())
            if 1 <= mention.month <= 12 and 1 <= mention.day <= 31 and mention.on(mention.year or 2024):
                found.append(mention)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def first_full_date(text: str) -> date | None:
    return next((d.full for d in find_dates(text) if d.full), None)


PUBLISHED_LABEL = re.compile(
    r"^\W*(?:first\s+)?(?P<label>published|posted|date|released|issued|updated|last updated|modified|입력|등록|수정|기사입력)"
    r"\s*(?:on|at)?\s*[:：]?\s*(?=\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun))",
    re.I,
)
"""A line that says what date it is: the date must follow the label directly."""
_LABEL_RANK = {
    "published": 0,
    "posted": 0,
    "date": 1,
    "released": 1,
    "issued": 1,
    "입력": 0,
    "등록": 0,
    "기사입력": 0,
}

META_DATE_KEYS = (
    "article:published_time",
    "ld:datepublished",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "date",
    "time",
)
_FILENAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?([01]\d)[-_.]?([0-3]\d)(?!\d)")


def published_date(meta: dict[str, str], lines: tuple[str, ...], filename: str) -> tuple[date | None, str | None]:
    """Publication date and where it came from: HTML metadata, a labelled line, a bare date line,
    then a date in the file name. Copyright years and dates inside sentences never count."""
    for key in META_DATE_KEYS:
        if meta.get(key):
            day = first_full_date(meta[key])
            if day:
                return day, f"html {key}"
    labelled: list[tuple[int, int, date]] = []
    for index, line in enumerate(lines):
        for part in re.split(r"\s{2,}|\s\|\s|\u00a0{2,}", line):
            m = PUBLISHED_LABEL.match(part.strip())
            if m and len(part) < 120:
                day = first_full_date(part[m.end() - 1 :] if m.end() else part)
                if day:
                    labelled.append((_LABEL_RANK.get(m.group("label").lower(), 2), index, day))
    if labelled:
        return min(labelled)[2], "labelled date line"
    for line in lines:
        mentions = find_dates(line)
        if len(line) <= 40 and mentions and mentions[0].full and _is_bare_date(line, mentions[0]):
            return mentions[0].full, "date line"
    m = _FILENAME_DATE.search(filename)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "file name"
        except ValueError:
            pass
    return None, None


def _is_bare_date(line: str, mention: DateMention) -> bool:
    rest = (line[: mention.start] + line[mention.end :]).strip(" ,.-|:")
    return len(re.findall(r"[A-Za-z]{3,}", rest)) <= 2 and "registration" not in line.lower()


RELATIVE_PHRASES: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(pattern, re.I), offset)
    for pattern, offset in [
        (r"\b(today|this (morning|afternoon|evening)|earlier today|tonight)\b", 0),
        (r"\b(yesterday|a day earlier|the day before|last night)\b", -1),
        (r"\btwo days (ago|earlier)\b", -2),
    ]
)
"""Phrases fixing the meeting day relative to publication, and the offset in days."""
LAST_WEEK = re.compile(r"\blast week\b", re.I)
_WEEKDAY = re.compile(r"\b(?:on |last |this )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)


def weekday_before(day: date, weekday: int) -> date:
    """The latest given weekday on or before day."""
    return day - timedelta(days=(day.weekday() - weekday) % 7)


@dataclass(frozen=True)
class MeetingDate:
    day: date | None
    basis: str | None
    window: tuple[date, date] | None


def meeting_date(
    sentences: list[str],
    published: date | None,
    tenure_window: tuple[date, date] | None,
) -> MeetingDate:
    """The meeting day from the sentences that report it (most telling first), by ordered rules."""
    window = tenure_window
    if published and window:
        window = (window[0], min(window[1], published)) if window[0] <= published else window
    for sentence in sentences:
        for rule, finder in _RULES:
            found = finder(sentence, published, tenure_window)
            if found:
                return MeetingDate(found[0], f"{rule}{found[1]}", (found[0], found[0]))
    if published and LAST_WEEK.search(" ".join(sentences)):
        start = weekday_before(published, 0) - timedelta(days=7)
        return MeetingDate(None, None, (start, start + timedelta(days=6)))
    return MeetingDate(None, None, window)


_Found = tuple[date, str] | None


def _explicit(sentence: str, published: date | None, tenure: tuple[date, date] | None) -> _Found:
    for mention in find_dates(sentence):
        day = mention.full
        if day and (published is None or day <= published) and (tenure is None or tenure[0] <= day <= tenure[1]):
            return day, ""
    return None


def _year_from_context(sentence: str, published: date | None, tenure: tuple[date, date] | None) -> _Found:
    for mention in find_dates(sentence):
        if mention.year is not None:
            continue
        if published:
            day = mention.on(published.year)
            if day and day > published + timedelta(days=1):
                day = mention.on(published.year - 1)
            if day:
                return day, " (year of publication)"
        if tenure:
            fits = [
                d
                for y in range(tenure[0].year, tenure[1].year + 1)
                if (d := mention.on(y)) and tenure[0] <= d <= tenure[1]
            ]
            if len(fits) == 1:
                return fits[0], " (the one year the participants were all in office)"
    return None


def _weekday(sentence: str, published: date | None, tenure: tuple[date, date] | None) -> _Found:
    m = _WEEKDAY.search(sentence)
    if m and published:
        return weekday_before(published, WEEKDAYS[m.group(1).lower()]), f" ({m.group(1)})"
    return None


def _relative(sentence: str, published: date | None, tenure: tuple[date, date] | None) -> _Found:
    if published:
        for pattern, offset in RELATIVE_PHRASES:
            m = pattern.search(sentence)
            if m:
                return published + timedelta(days=offset), f" ({m.group(0)})"
    return None


_Rule = Callable[[str, date | None, tuple[date, date] | None], _Found]
_RULES: tuple[tuple[str, _Rule], ...] = (
    ("explicit date", _explicit),
    ("day and month", _year_from_context),
    ("weekday before publication", _weekday),
    ("relative to publication", _relative),
)
