"""Dates in the many ways news pages write them, and the rules that turn them into a meeting day.

Patterns are a table (DATE_PATTERNS): add a row for a new format, not an `if`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache, cached_property, lru_cache
from pathlib import Path

from ..packagedata import package_text
from ..patterns import fast

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
    (name, fast(pattern, re.I))
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


@lru_cache(maxsize=256)  # a meeting's sentences are read by several rules, twice when the window widens
def find_dates(text: str) -> tuple[DateMention, ...]:
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
    return tuple(sorted(found, key=lambda d: d.start))


# ---------------------------------------------------------------------------------------------
# Publication dates: every language the users' pages come in, numeric orders, labels and bylines


@dataclass(frozen=True)
class DateWords:
    """Month names (any language -> number) and the labels that say what a date is, from data/."""

    months: dict[str, int]
    labels: dict[str, str]

    @cached_property
    def month_pattern(self) -> str:
        names = sorted(self.months, key=len, reverse=True)
        return "(?P<month>" + "|".join(re.escape(n) for n in names) + r")(?![^\W\d_])\.?"

    @cached_property
    def label_pattern(self) -> re.Pattern[str]:
        names = sorted(self.labels, key=len, reverse=True)
        return re.compile(
            r"(?:^|[\s(|/·•,])(?P<label>" + "|".join(re.escape(n) for n in names) + r")(?![^\W\d_])\W*$", re.I
        )

    @cached_property
    def patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        return _full_date_patterns(self.month_pattern)


def _read_rows(name: str, extra: Path | None) -> list[dict[str, str]]:
    texts = [package_text(name)]
    if extra and extra.is_file():
        texts.append(extra.read_text("utf-8-sig"))
    rows: list[dict[str, str]] = []
    for text in texts:
        rows += csv.DictReader(line for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return rows


@cache
def date_words(data_dir: Path | None = None) -> DateWords:
    """data/months.csv and data/date_labels.csv, plus the user's DATA/ copies of either."""
    months = {
        name.strip().lower(): int(row["month"])
        for row in _read_rows("months.csv", data_dir / "months.csv" if data_dir else None)
        for name in row["names"].split(";")
        if name.strip()
    }
    labels = {
        row["label"].strip().lower(): row["kind"].strip()
        for row in _read_rows("date_labels.csv", data_dir / "date_labels.csv" if data_dir else None)
    }
    return DateWords(months, labels)


_Y4 = r"(?P<year>(?:19|20)\d\d)"
_Y4_END = _Y4 + r"(?![\d:])"
"""A year that ends a date: not the start of a glued time ('28.09.1914:40')."""
_Y2 = r"(?P<year>\d\d)(?:(?!\d)|(?=[0-2]?\d:[0-5]\d))"
"""A two-digit year ends at a non-digit, or runs into a glued time ('28.09.19' + '14:40')."""
_D = r"(?P<day>0?[1-9]|[12]\d|3[01])"
_M = r"(?P<month>0?[1-9]|1[0-2])"


def _full_date_patterns(month_name: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Dates that carry their year, fullest first; name -> regex with groups year, month, day."""
    table = [
        ("iso", rf"(?<!\d){_Y4}-{_M}-{_D}(?!\d)"),
        ("year.month.day", rf"(?<![\d.]){_Y4}\s?[./]\s?{_M}\s?[./]\s?{_D}(?!\d)"),
        ("year 年 month 月 day 日", rf"{_Y4}\s*[年년]\s*{_M}\s*[月월]\s*{_D}\s*[日일]"),
        ("day.month.year", rf"(?<![\d.]){_D}\.\s?{_M}\.\s?{_Y4_END}"),
        ("day.month.yy", rf"(?<![\d.]){_D}\.{_M}\.{_Y2}"),
        ("day/month/year", rf"(?<![\d/]){_D}/{_M}/{_Y4_END}"),
        ("month/day/year", rf"(?<![\d/]){_M}/{_D}/{_Y4_END}"),
        ("day-month-year", rf"(?<![\d-]){_D}-{_M}-{_Y4_END}"),
        ("month.day.year", rf"(?<![\d.]){_M}\.(?P<day>1[3-9]|2\d|3[01])\.{_Y4_END}"),
        ("day/month/yy", r"(?<![\d/])(?P<day>[0-3]\d)/(?P<month>[01]\d)/(?P<year>\d\d)(?![\d/])"),
        ("month/day/yy", r"(?<![\d/])(?P<month>[01]\d)/(?P<day>[0-3]\d)/(?P<year>\d\d)(?![\d/])"),
        (
            "day month year",
            rf"(?<!\w){_D}(?:st|nd|rd|th|er|º)?\.?\s*(?:de\s+|of\s+)?{month_name},?\s*(?:de\s+|del\s+|r\.\s*)?{_Y4_END}",
        ),
        ("month day, year", rf"(?<!\w){month_name}\s*{_D}(?:st|nd|rd|th)?\.?(?:,\s*|\s+){_Y4_END}"),
    ]
    return tuple((name, fast(pattern, re.I)) for name, pattern in table)


_SLASH = {"day/month/year": "dmy", "month/day/year": "mdy", "day/month/yy": "dmy", "month/day/yy": "mdy"}
_SLASH_DATE = fast(r"(?<![\d/])([0-3]?\d)/([0-3]?\d)/(?:\d\d){1,2}(?![\d/])")


def slash_order(lines: tuple[str, ...]) -> str:
    """'dmy' or 'mdy' when the page's slash dates that cannot be misread (13/11/2023, 11/13/2023)
    all agree; '' otherwise."""
    seen = set()
    for line in lines:
        if "/" in line and len(line) <= 160:
            for a, b in _SLASH_DATE.findall(line):
                if int(a) > 12 >= int(b):
                    seen.add("dmy")
                elif int(b) > 12 >= int(a):
                    seen.add("mdy")
    return seen.pop() if len(seen) == 1 else ""


@dataclass(frozen=True)
class FullDate:
    day: date
    start: int
    end: int
    pattern: str


EARLIEST = date(1990, 1, 1)
"""Older than this is not a news page's date: a glued time read as a year, a founding year."""


def full_dates(text: str, words: DateWords, latest: date | None = None, order: str = "") -> list[FullDate]:
    """Every plausible dated day in text (year given), left to right. Slash dates whose day and
    month could be swapped (05/06/2023) are read in the page's order ('dmy' or 'mdy', from its
    other slash dates), else not guessed."""
    latest = latest or date.today()
    found: list[FullDate] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in words.patterns:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value, day_n = m.group("month"), int(m.group("day"))
            month = int(value) if value.isdigit() else words.months.get(value.lower().rstrip("."), 0)
            year = int(m.group("year"))
            year += 2000 if year < 100 else 0
            if name in _SLASH and month <= 12 and day_n <= 12 and month != day_n and _SLASH[name] != order:
                continue
            try:
                day = date(year, month, day_n)
            except ValueError:
                continue
            if EARLIEST <= day <= latest:
                found.append(FullDate(day, m.start(), m.end(), name))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


_SEGMENT = fast(r"\s+[|/·•∙–—]\s+|\s+-\s+|\s{3,}|\u00a0{2,}|\s*\|\s*")
_TIME = fast(
    r"(?<!\d)[0-2]?\d[:.h][0-5]\d(?::[0-5]\d)?(?:\s*(?:[ap]\.?m\.?|uhr|h|horas|hrs|ore|godz\.?))?(?!\d)"
    r"|\b(?:utc|gmt|kst|jst|cet|cest|met|mesz|est|edt|pst|pdt|cst|cdt|bst|ist|aest)\b(?:\s*[+-]\d{1,2}(?::?\d\d)?)?"
    r"|[+-]\d\d:?\d\d\b|오[전후]|[上下]午",
    re.I,
)
_BYLINE_DATE = fast(
    r"^\s*(?:by|von|par|por|di|door|przez|от|written by|posted by|geschrieben von|publié par|publicado por)\s+"
    r"(?P<name>[^\d|]{2,60}?)\s*(?:,|\||·|–|-|\bon\b|\bam\b|\ble\b|\bel\b|\bil\b|\bop\b|\bem\b|\bem\b|\bdnia\b)?\s*$",
    re.I,
)
_FILLER = frozenset(
    [
        "de",
        "del",
        "of",
        "the",
        "on",
        "at",
        "am",
        "um",
        "le",
        "la",
        "el",
        "il",
        "op",
        "em",
        "en",
        "a",
        "à",
        "o",
        "alle",
        "ore",
        "uhr",
        "h",
        "pm",
        "dnia",
        "godz",
        "г",
        "года",
        "року",
        "р",
        "r",
        "le",
        "à",
        "et",
        "y",
        "e",
        "und",
        "and",
    ]
)
"""Short words that sit inside a written date or time and say nothing ('15 de abril de 2020')."""
WEEKDAY_NAMES = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonnabend",
        "sonntag",
        "mo",
        "di",
        "mi",
        "do",
        "fr",
        "sa",
        "so",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "lun",
        "mar",
        "mer",
        "jeu",
        "ven",
        "sam",
        "dim",
        "lunes",
        "martes",
        "miércoles",
        "miercoles",
        "jueves",
        "viernes",
        "sábado",
        "sabado",
        "domingo",
        "dilluns",
        "dimarts",
        "dimecres",
        "dijous",
        "divendres",
        "dissabte",
        "diumenge",
        "lunedì",
        "lunedi",
        "martedì",
        "martedi",
        "mercoledì",
        "mercoledi",
        "giovedì",
        "giovedi",
        "venerdì",
        "venerdi",
        "sabato",
        "domenica",
        "segunda",
        "terça",
        "terca",
        "quarta",
        "quinta",
        "sexta",
        "feira",
        "segunda-feira",
        "terça-feira",
        "quarta-feira",
        "quinta-feira",
        "sexta-feira",
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
        "poniedziałek",
        "wtorek",
        "środa",
        "czwartek",
        "piątek",
        "sobota",
        "niedziela",
        "понедельник",
        "вторник",
        "среда",
        "четверг",
        "пятница",
        "суббота",
        "воскресенье",
        "понеділок",
        "вівторок",
        "середа",
        "четвер",
        "пʼятниця",
        "п'ятниця",
        "субота",
        "неділя",
    ]
)
_NOT_PUBLISHED = fast(
    r"registration|registered|등록번호|founded|gegründet|born|geboren|copyright|©|ⓒ|\(c\)|event|termin|veranstaltung"
    r"|deadline|bis zum|until|expires|gültig|valid|abgerufen|retrieved|accessed|zugriff",
    re.I,
)
"""Lines whose date is something else's (an outlet's registration, a copyright year, an event)."""


@dataclass(frozen=True)
class DateLine:
    """A line (or a ' | '-separated part of one) that states a date and little else."""

    day: date
    kind: str
    """published (a label saying so, or a byline with the date), updated, or bare."""
    index: int


@cache
def _ascii_digits() -> dict[int, str]:
    """Other scripts' decimal digits (Bengali ২৯, Arabic-Indic ٢٩, Devanagari, fullwidth…) -> 0-9,
    one character for one, so a date's place in its line stays the same."""
    return {cp: str(unicodedata.digit(chr(cp))) for cp in range(0x80, 0x10000) if unicodedata.category(chr(cp)) == "Nd"}


def date_line(line: str, index: int, words: DateWords, latest: date | None = None, order: str = "") -> DateLine | None:
    """The date a short line states, and what kind of date it is; None for a date inside a sentence."""
    if len(line) > 160 or not _DIGIT.search(line) or _NOT_PUBLISHED.search(line):
        return None
    if not line.isascii():
        line = line.translate(_ascii_digits())
    for part in _SEGMENT.split(line) if _SEGMENT.search(line) else [line]:
        found = full_dates(part, words, latest, order)
        if not found:
            continue
        first = found[0]
        before, after = part[: first.start], part[first.end :]
        kind = "bare"
        label = words.label_pattern.search(before)
        if label:
            kind = words.labels[label.group("label").lower()]
            before = before[: label.start()]
        elif _BYLINE_DATE.match(before):
            kind, before = "published", ""
        if kind == "other":
            continue
        rest = _TIME.sub(" ", f"{before} {after}")
        noise = [w for w in re.findall(r"[^\W\d_]{2,}", rest) if w.lower() not in _FILLER | WEEKDAY_NAMES]
        if len(noise) <= (2 if kind == "bare" else 4):
            return DateLine(first.day, kind, index)
    return None


_DIGIT = re.compile(r"\d")
_KIND_RANK = {"published": 0, "headline": 1, "byline": 1, "bare": 2, "today": 3, "updated": 4, "quoted": 5}
LIST_WINDOW = 12
"""Lines within which three or more different bare dates make a list (related stories, comments)."""
NEAR_TITLE = (-1, 5)
"""A bare date line this many lines from the title (before, after) is the article's own."""
BYLINE_REACH = 6
"""Lines after a byline ('By', 'Von Hans Heckel') within which its date line follows: a text dump
puts 'By', the name, the outlet and the date on lines of their own."""
_BASIS = {
    "published": "labelled date line",
    "headline": "date line under the headline",
    "byline": "date line after the byline",
    "bare": "date line",
    "updated": "'updated' date line",
    "today": "the site's date line at the top of the page",
    "quoted": "date of a post the page quotes",
}
_OWN_KINDS = frozenset(["published", "headline", "byline", "bare"])
"""Date lines that state the page's own (first) publication."""
_QUOTED_POST = re.compile(r"^[—–-]\s?[^\n]{1,80}\(@\w{1,30}\)$")
"""The credit of an embedded post ('— Daniel Dale (@ddale8)'): the date line under it is the post's."""
_BYLINE_START = re.compile(
    r"^(?:by|von|par|por|di|door|przez|от|written by|posted by|geschrieben von|publié par|publicado por)(?:\s|:|$)",
    re.I,
)


@dataclass(frozen=True)
class TextDates:
    """What the page's own lines say: the best date line, and the bare dates right by the title."""

    best: DateLine | None
    near_title: tuple[date, ...] = ()
    only_updated: bool = False
    """The page states no date but 'updated' ones: its update is the only date a reader sees."""
    stated: frozenset[date] = frozenset()
    """Every day the page's date lines state."""
    listed: frozenset[date] = frozenset()
    """Days the page states only inside lists of dates (comments, other stories)."""

    @property
    def day(self) -> date | None:
        return self.best.day if self.best else None

    @property
    def basis(self) -> str | None:
        return _BASIS[self.best.kind] if self.best else None


def _related_headings(lines: tuple[str, ...], anchor: int) -> set[int]:
    """Indices of 'Related stories' / 'Lesen Sie auch' headings after the title: the date lines
    right below one belong to the other article."""
    from ..clean import load_rules

    related = [r.pattern for r in load_rules() if r.role == "end" and r.note.startswith("lists of other")]
    return {
        i
        for i in range(anchor + 1, len(lines))
        if len(lines[i].strip()) <= 60 and any(p.fullmatch(lines[i].strip()) for p in related)
    }


def _squash(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".… ")


HEADLINE_MIN = 15
"""Characters a line must share with the title to count as a copy of the headline."""


def headline_copies(lines: tuple[str, ...], title: str | None) -> set[int]:
    """Lines that repeat the page's headline (the title tag holds it plus the site's name, a
    teaser list cuts it short with '…')."""
    key = _squash(title or "")
    if len(key) < HEADLINE_MIN:
        return set()
    return {
        i for i, line in enumerate(lines) if len(part := _squash(line)) >= HEADLINE_MIN and (part in key or key in part)
    }


TODAY_LINES = 6
"""A date line that opens with a weekday in the page's first lines is the site's top bar printing
today ('Freitag, 21. Januar 2022'): it ranks below the page's own date lines."""


def _weekday_first(line: str) -> bool:
    first = re.findall(r"[^\W\d_]+", line.lower())[:1]
    return bool(first) and first[0] in WEEKDAY_NAMES and first[0] not in MONTHS


def _dateline_part(line: str, found: DateLine, words: DateWords) -> bool:
    """A copy of the headline states its own date only as a part of its own ('08.11.2021 |
    Fachtag'); a date inside the headline ('winners of 2020/7/11-12') is what it is about."""
    parts = _SEGMENT.split(line)
    return len(parts) > 1 and any(
        (d := date_line(part, found.index, words)) is not None and d.day == found.day for part in (parts[0], parts[-1])
    )


def text_published(
    lines: tuple[str, ...], words: DateWords, anchor: int = 0, latest: date | None = None, title: str | None = None
) -> TextDates:
    """The publication date stated by the page's own lines: a labelled 'published' date (or a
    byline with its date) first, then the date right under a copy of the headline or after a
    byline, then a bare date line, then 'updated'. A date inside the headline is its subject, not
    its date. Bare dates in lists of different dates (comments) or after a 'related stories'
    heading are skipped, except the one under the page's own headline; among equals the one
    nearest after the title (anchor) wins."""
    order = slash_order(lines)
    headlines = headline_copies(lines, title)
    found = [
        d
        for i, line in enumerate(lines)
        if (d := date_line(line, i, words, latest, order)) and (i not in headlines or _dateline_part(line, d, words))
    ]
    found = [
        replace(d, kind="today") if d.kind == "bare" and d.index < TODAY_LINES and _weekday_first(lines[d.index]) else d
        for d in found
    ]
    quoted = {i + 1 for i, line in enumerate(lines) if _QUOTED_POST.match(line.strip())}
    found = [replace(d, kind="quoted") if d.index in quoted and d.kind == "bare" else d for d in found]
    at = {d.index: d for d in found}
    bare = [d for d in found if d.kind == "bare"]
    related = _related_headings(lines, anchor) if bare else set()
    skipped = {
        d.index
        for d in bare
        if related & {d.index - 1, d.index - 2}
        or len({o.day for o in bare if abs(o.index - d.index) <= LIST_WINDOW}) >= 3
    }
    promoted: dict[int, str] = {}
    for i in sorted(headlines):  # the line right below the headline's copy, else right above it
        own = at.get(i + 1) or at.get(i - 1)
        if own and own.kind == "bare":
            promoted.setdefault(own.index, "headline")
    for j, line in enumerate(lines):
        if len(line) <= 80 and _BYLINE_START.match(line.strip()):
            first = next((d for d in found if j < d.index <= j + BYLINE_REACH), None)
            if first and first.kind == "bare" and first.index not in skipped:
                promoted.setdefault(first.index, "byline")
    found = [replace(d, kind=promoted[d.index]) if d.index in promoted else d for d in found]
    usable = [d for d in found if d.index not in skipped or d.kind != "bare"]
    if not usable:
        return TextDates(None)
    best = min(usable, key=lambda d: (_KIND_RANK[d.kind], d.index < anchor - 3, abs(d.index - anchor)))
    if best.kind == "quoted":  # a page is no older than the newest post it quotes
        best = max((d for d in usable if d.kind == "quoted"), key=lambda d: d.day)
    near = tuple(
        d.day
        for d in usable
        if d.kind in ("bare", "headline", "byline") and NEAR_TITLE[0] <= d.index - anchor <= NEAR_TITLE[1]
    )
    stated = frozenset(d.day for d in found)
    listed = stated - {d.day for d in usable}
    return TextDates(best, near, all(d.kind == "updated" for d in found), stated, listed)


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


def first_full_date(text: str) -> date | None:
    return next((d.full for d in find_dates(text) if d.full), None)


def published_date(
    meta: dict[str, str],
    lines: tuple[str, ...],
    filename: str,
    *,
    anchor: int = 0,
    title: str | None = None,
    library: str | None = None,
    url: str | None = None,
    latest: date | None = None,
    data_dir: Path | None = None,
) -> tuple[date | None, str | None]:
    """Publication date and the source that decided it.

    htmldate's reading of the markup (library) is the default for HTML, but the page's own words
    overrule it unless the page's URL confirms htmldate: a line labelled as the publication date;
    an 'updated' line when the page shows no other date and not htmldate's; the page's own date
    line when htmldate's day sits only in a list of dates (comments, other stories); a bare date
    line right by the title. A 1 January that no metadata states is a year read as
    a date: it comes last. Then the page's metadata, any date line, a date in the file name.
    Dates before 1990 or after `latest` (the file's modification day) never count."""
    latest = latest or date.today()
    text = text_published(lines, date_words(data_dir), anchor, latest, title)
    own_meta = {d for key in META_DATE_KEYS if meta.get(key) and (d := first_full_date(meta[key]))}
    library_day = _plausible(library, latest)
    confirmed = library_day is not None and _url_agrees(url, library_day)
    year_only = library_day is not None and (library_day.month, library_day.day) == (1, 1)
    year_only = year_only and library_day not in own_meta and not confirmed
    if text.day and text.basis == "labelled date line" and text.day != library_day and not confirmed:
        return text.day, text.basis
    if library_day and text.day and text.only_updated and library_day not in text.stated and not confirmed:
        return text.day, "'updated' date line, the only date the page shows"
    if library_day in text.listed and text.best and text.best.kind in _OWN_KINDS and not confirmed:
        return text.day, f"{text.basis} (htmldate's date is in a list of other dates)"
    if library_day and not year_only:
        if text.near_title and library_day not in text.near_title and not confirmed:
            return text.near_title[0], "date line by the title"
        return library_day, "html (htmldate)"
    for key in META_DATE_KEYS:
        if meta.get(key):
            day = first_full_date(meta[key])
            if day and EARLIEST <= day <= latest:
                return day, f"html {key}"
    if text.day:
        return text.day, text.basis
    if library_day:
        return library_day, "html (htmldate, 1 January)"
    m = _FILENAME_DATE.search(filename)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "file name"
        except ValueError:
            pass
    return None, None


_URL_DATE = re.compile(r"[/_-]((?:19|20)\d\d)[/_-]?([01]\d)(?:[/_-]?([0-3]\d))?(?=[/_.-]|$)")


def _url_agrees(url: str | None, day: date) -> bool:
    """The URL's own date path (/2022/08/ or /2015/12/12/) holds this day or its month."""
    m = _URL_DATE.search(url or "")
    if not m:
        return False
    same_month = (int(m.group(1)), int(m.group(2))) == (day.year, day.month)
    return same_month and (m.group(3) is None or int(m.group(3)) == day.day)


def _plausible(value: str | None, latest: date) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return day if EARLIEST <= day <= latest else None


RELATIVE_PHRASES: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (fast(pattern, re.I), offset)
    for pattern, offset in [
        (r"\b(today|this (morning|afternoon|evening)|earlier today|tonight)\b", 0),
        (r"\b(yesterday|a day earlier|the day before|last night)\b", -1),
        (r"\btwo days (ago|earlier)\b", -2),
    ]
)
"""Phrases fixing the meeting day relative to publication, and the offset in days."""
LAST_WEEK = fast(r"\blast week\b", re.I)
_WEEKDAY = fast(r"\b(?:on |last |this )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)


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
