"""Officials: who held which office when, and every way a text may write their name.

The package ships data/officials.csv; a user's `officials.csv` in the data folder adds rows,
and replaces the package's rows for any canonical name it mentions (so a corrected tenure wins).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from .errors import Ambiguous, BadInput, NotFound
from .packagedata import csv_rows, package_text

_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f]+|[\uac00-\ud7a3]+")
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
SURNAME_FIRST = frozenset({"KR", "KP", "CN"})
"""Countries whose names are written family name first in English-language news."""
_OFFICE_WORD = re.compile(r"[a-z]+")
_FILLER = frozenset({"of", "the", "for", "and", "to", "u", "s", "kr", "jp"})
_SPELLING = {"defence": "defense"}


def _office_words(text: str) -> frozenset[str]:
    return frozenset(_SPELLING.get(w, w) for w in _OFFICE_WORD.findall(text.lower())) - _FILLER


@dataclass(frozen=True)
class Tenure:
    office: str
    start: date | None
    end: date | None
    confidence: str = "high"

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Official:
    name: str
    country: str
    tenures: tuple[Tenure, ...]
    aliases: tuple[str, ...]
    hangul: tuple[str, ...]

    @property
    def surname(self) -> str:
        tokens = [t for t in _TOKEN.findall(self.name) if t.lower() not in SUFFIXES]
        return tokens[0] if self.country in SURNAME_FIRST else tokens[-1]

    def office_on(self, day: date | None) -> Tenure:
        """The office held on that day; the latest one when the day is unknown or outside all."""
        if day is not None:
            for tenure in self.tenures:
                if tenure.covers(day):
                    return tenure
        return max(self.tenures, key=lambda t: t.start or date.min)

    def tenure_for(self, day: date | None, title: str = "") -> Tenure:
        """The tenure a mention means: the one whose office the words before the name spell
        ('Acting Minister Kim', 'Defense Minister Shin' for someone who later ran the National
        Security Office), preferring one that covers the day; without such words, `office_on`."""
        words = _office_words(title)
        scored = [(len(words & _office_words(t.office)), bool(day and t.covers(day)), t) for t in self.tenures]
        best = max(scored, key=lambda s: s[:2])
        return best[2] if best[0] else self.office_on(day)

    def in_office(self, day: date) -> bool:
        return any(t.covers(day) for t in self.tenures)

    def span(self) -> tuple[date, date]:
        """First day of the earliest tenure to the last day of the latest (open ends: today)."""
        starts = [t.start or date.min for t in self.tenures]
        ends = [t.end or date.today() for t in self.tenures]
        return min(starts), max(ends)


def name_key(name: str) -> str:
    """Case, spaces, hyphens and dots folded: 'Shin Won-Sik' == 'shin wonsik' == 'SHIN WON SIK'."""
    return "".join(_TOKEN.findall(name)).lower()


def _parse_day(value: str | None) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise BadInput(f"officials file: '{value}' is not a YYYY-MM-DD date") from exc


def _build(rows: Iterable[dict[str, str]]) -> dict[str, Official]:
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        name = (row.get("canonical_name") or "").strip()
        if name:
            grouped.setdefault(name, []).append(row)
    officials = {}
    for name, group in grouped.items():
        tenures = tuple(
            Tenure(
                r["office"].strip(),
                _parse_day(r.get("start")),
                _parse_day(r.get("end")),
                (r.get("confidence") or "high").strip(),
            )
            for r in group
        )
        aliases = {a.strip() for r in group for a in (r.get("aliases") or "").split(";") if a.strip()}
        hangul = {h.strip() for r in group for h in (r.get("hangul") or "").split(";") if h.strip()}
        officials[name] = Official(
            name,
            group[0].get("country", "").strip(),
            tenures,
            tuple(sorted(aliases)),
            tuple(sorted(hangul)),
        )
    return officials


class Roster:
    """The officials table with name lookup; build with `load_roster`."""

    def __init__(self, officials: dict[str, Official]) -> None:
        self.officials = officials
        self._by_hangul_length = sorted(officials.values(), key=lambda o: -max(map(len, o.hangul), default=0))
        self._by_key: dict[str, list[Official]] = {}
        for official in officials.values():
            for variant in (official.name, *official.aliases, *official.hangul):
                self._by_key.setdefault(name_key(variant), []).append(official)

    def __iter__(self) -> Iterator[Official]:
        """Officials with longer Hangul forms first: Hangul names have no word boundary to match
        on (particles are glued to them), so 조현동 must claim its text before 조현 can."""
        return iter(self._by_hangul_length)

    def get(self, name: str) -> Official | None:
        return self.officials.get(name)

    def lookup(self, name: str) -> Official:
        """Any alias, any case, Hangul, or an unambiguous surname -> the official.

        Raises NotFound or Ambiguous (listing the candidates) so callers can say what to type.
        """
        key = name_key(name)
        if not key:
            raise BadInput("an official's name is empty")
        exact = {o.name: o for o in self._by_key.get(key, [])}
        if len(exact) == 1:
            return next(iter(exact.values()))
        candidates = exact or {o.name: o for o in self if name_key(o.surname) == key}
        if len(candidates) == 1:
            return next(iter(candidates.values()))
        if candidates:
            listed = ", ".join(sorted(candidates))
            raise Ambiguous(f"'{name}' could be {listed}: give the full name")
        raise NotFound(f"no official called '{name}' in the roster (add them to officials.csv)")

    def variants(self, official: Official) -> list[str]:
        """Written forms to look for in text, longest first so 'Lloyd J. Austin III' wins."""
        return sorted({official.name, *official.aliases}, key=len, reverse=True)


def _package_rows() -> list[dict[str, str]]:
    return list(csv_rows(package_text("officials.csv")))


@cache
def _cached_roster(user_file: str, mtime: float) -> Roster:
    rows = _package_rows()
    if user_file:
        try:
            user_rows = list(csv_rows(Path(user_file).read_text("utf-8-sig")))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise BadInput(f"{user_file}: cannot read officials ({exc})") from exc
        replaced = {(r.get("canonical_name") or "").strip() for r in user_rows}
        rows = [r for r in rows if r["canonical_name"].strip() not in replaced] + user_rows
    return Roster(_build(rows))


def load_roster(data_dir: Path | None = None) -> Roster:
    """The package roster, extended and overridden by DATA_DIR/officials.csv when it exists."""
    user = data_dir / "officials.csv" if data_dir else None
    if user is not None and user.is_file():
        return _cached_roster(str(user), user.stat().st_mtime)
    return _cached_roster("", 0.0)
