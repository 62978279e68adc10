"""Page metadata from the field's libraries: htmldate for the publication date, trafilatura for
title, author and site name. Each answer is a Candidate that names its source, so the parser can
weigh it against its own evidence and say which source decided.

htmldate and trafilatura are imported here only, on first use (ingest and parse): `alliance search`
never loads them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

FIELDS = ("date", "author", "title", "sitename", "url")


@dataclass(frozen=True)
class Candidate:
    """One library's answer for one field: date (ISO day), author, title, sitename or url (the
    page's canonical address, which often holds its date)."""

    field: str
    value: str
    source: str
    """'htmldate' (its reading of the markup) or 'trafilatura'."""


@dataclass(frozen=True)
class HtmlMeta:
    """Every candidate the libraries found for one page, most trusted first within a field."""

    candidates: tuple[Candidate, ...] = ()

    def get(self, field: str) -> list[Candidate]:
        return [c for c in self.candidates if c.field == field]

    def first(self, field: str) -> str | None:
        return next((c.value for c in self.candidates if c.field == field), None)


def html_metadata(html: str, max_day: date | None = None) -> HtmlMeta:
    """Candidates for date, author, title and site name. The date is htmldate's with
    `original_date=True` (the first publication, not the update), never after max_day. Its
    extensive free-text search is not used: it loads dateparser (seconds on first use), and the
    parser's own date lines read the page's text better (see bench/dates.py)."""
    # htmldate and trafilatura log every odd page at WARNING; a user's parse output is not the place
    for name in ("htmldate", "trafilatura"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from trafilatura.metadata import extract_metadata
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return HtmlMeta()
    latest = (max_day or date.today()).isoformat()
    config = {"original_date": True, "extensive_search": False, "max_date": latest}
    found: list[Candidate] = []
    try:
        doc = extract_metadata(tree, date_config=config)
    except Exception:  # a library bug on one odd page must not stop an ingest
        doc = None
    if doc is not None and doc.date:
        found.append(Candidate("date", doc.date, "htmldate"))
    for field in FIELDS[1:]:
        value = getattr(doc, field, None) if doc is not None else None
        if isinstance(value, str) and value.strip():
            found.append(Candidate(field, value.strip(), "trafilatura"))
    return HtmlMeta(tuple(found))


def iso_day(value: str) -> date | None:
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").date()
    except ValueError:
        return None
