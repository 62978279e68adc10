"""The outlet vocabulary: every name, site name and domain of the outlets and agencies in
data/outlets.csv (and a user's DATA/outlets.csv), and the folding that maps a written name to one.
Below the pipeline stages: the cleaner (wire credits in headlines), the parser, the filters and
compare all read it."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path


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
        aliases = [re.escape(a) for a in sorted((a for a in self if len(a) > 2), key=len, reverse=True)]
        return re.compile(rf"(?<![\w.])(?:{'|'.join(aliases) or '(?!)'})(?!\w)", re.I)


@cache
def _outlet_table(extra: str = "") -> OutletTable:
    """From data/outlets.csv and a user's outlets.csv."""
    texts = [resources.files("alliance").joinpath("data/outlets.csv").read_text("utf-8")]
    if extra:
        texts.append(Path(extra).read_text("utf-8-sig"))
    table = OutletTable()
    for text in texts:
        for row in csv.DictReader(line for line in text.splitlines() if not line.startswith("#")):
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


def _fold(name: str) -> str:
    """Case, spaces, dots and a leading 'the' folded: 'KoreaTimes' == 'the korea times'."""
    return re.sub(r"[^\w]", "", re.sub(r"^the\s+", "", name.strip().lower()))


def normalise(name: str, table: dict[str, Source]) -> Source | None:
    """A written outlet name -> the table's source: any case or spacing, with or without 'The',
    a company suffix ('Media Company', '& Chosun', 'News Agency') or a tagline after a dash."""
    key = name.strip().lower()
    key = re.sub(r"^the\s+", "", key) if key not in table else key
    found = table.get(key) or table.get(f"the {key}")
    if found or not key:
        return found
    folded = _folded(tuple(table.items()))
    for part in [name, *NAME_PARTS.split(name)]:
        bare = COMPANY_WORDS.sub("", part)
        for form in (part, bare, re.sub(r"\s+news$", "", bare, flags=re.I)):
            source = folded.get(_fold(form))
            if source and _fold(form):
                return source
    return None


@cache
def _folded(items: tuple[tuple[str, Source], ...]) -> dict[str, Source]:
    return {_fold(alias): source for alias, source in items if "." not in alias or " " in alias}
