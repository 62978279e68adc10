"""The outlet vocabulary: every name, site name and domain of the outlets and agencies in
data/outlets.csv (and a user's DATA/outlets.csv), and the folding that maps a written name to one.
Below the pipeline stages: the cleaner (wire credits in headlines), the parser, the filters and
compare all read it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from .packagedata import csv_rows, package_text
from .patterns import fast, words


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    country: str | None = None
    """ISO code of the publisher, or of the government issuing a readout; None when unknown."""


class OutletTable(dict[str, Source]):
    """Lower-cased alias -> source, with one regex finding every alias a line names."""

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        aliases = [a for a in self if len(a) > 2]  # as a trie: at each place the longest alias that ends a word
        return fast(rf"(?<![\w.])(?:{words(aliases) or '(?!)'})(?!\w)", re.I)

    @cached_property
    def folded(self) -> dict[str, Source]:
        """Folded alias -> source, built once per table: normalise() runs on every short line of a page."""
        return _folded(tuple(self.items()))

    @cached_property
    def normalised(self) -> dict[str, Source | None]:
        """normalise()'s answers by written name: the headline and wire steps ask about the same
        short lines, and menus and footers recur across an ingest's pages."""
        return {}


@cache
def _outlet_table(extra: str = "") -> OutletTable:
    """From data/outlets.csv and a user's outlets.csv."""
    texts = [package_text("outlets.csv")]
    if extra:
        texts.append(Path(extra).read_text("utf-8-sig"))
    table = OutletTable()
    for text in texts:
        for row in csv_rows(text):
            source = Source(
                row["name"].strip(), (row.get("kind") or "outlet").strip(), (row.get("country") or "").strip() or None
            )
            for alias in [row["name"], *(row.get("aliases") or "").split(";")]:
                if alias.strip():
                    table[alias.strip().lower()] = source
    return table


def outlet_table(data_dir: Path | None = None) -> OutletTable:
    user = data_dir / "outlets.csv" if data_dir else None
    return _outlet_table(str(user) if user and user.is_file() else "")


COMPANY_WORDS = re.compile(
    r"(?:\s*&\s*\w+|\s+(?:media\s+(?:company|group)|news\s+agency|co\.?,?\s*ltd\.?|corp(?:oration)?\.?|inc\.?|"
    r"english(?:\s+edition)?|online|\.com))+\s*$",
    re.I,
)
"""What a site appends to its name: 'Chosunilbo & Chosun', 'The Hankyoreh Media Company', 'News Agency'."""
NAME_PARTS = re.compile(r"\s+[-–—|:]\s+")
"""'NK News - North Korea News', 'Arirang | Home': a name and a tagline or section."""


_THE = re.compile(r"^the\s+")
_NOT_WORD = re.compile(r"[^\w]")
_NEWS_END = re.compile(r"\s+news$", re.I)


def _fold(name: str) -> str:
    """Case, spaces, dots and a leading 'the' folded: 'KoreaTimes' == 'the korea times'."""
    return _NOT_WORD.sub("", _THE.sub("", name.strip().lower()))


def normalise(name: str, table: dict[str, Source]) -> Source | None:
    """A written outlet name -> the table's source: any case or spacing, with or without 'The',
    a company suffix ('Media Company', '& Chosun', 'News Agency') or a tagline after a dash."""
    if not isinstance(table, OutletTable):
        return _normalise(name, table)
    memo = table.normalised
    if name not in memo:
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        memo[name] = _normalise(name, table)
    return memo[name]


MEMO_SIZE = 50_000
"""Names an OutletTable remembers before it starts afresh (a few MB at most)."""


def _normalise(name: str, table: dict[str, Source]) -> Source | None:
    key = name.strip().lower()
    key = _THE.sub("", key) if key not in table else key
    found = table.get(key) or table.get(f"the {key}")
    if found or not key:
        return found
    # hashing the whole table as a cache key cost more than the lookup: an OutletTable keeps its own
    folded = table.folded if isinstance(table, OutletTable) else _folded(tuple(table.items()))
    for part in [name, *NAME_PARTS.split(name)]:
        bare = COMPANY_WORDS.sub("", part)
        for form in (part, bare, _NEWS_END.sub("", bare)):
            key = _fold(form)
            source = folded.get(key)
            if source and key:
                return source
    return None


@cache
def _folded(items: tuple[tuple[str, Source], ...]) -> dict[str, Source]:
    return {_fold(alias): source for alias, source in items if "." not in alias or " " in alias}
