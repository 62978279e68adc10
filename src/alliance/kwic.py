"""Keyword in context: every occurrence of a word or phrase with the text on either side,
the concordance view corpus linguists read usage from.

Occurrences come from the index (positions.py): only the matching documents are read, and
only their text around each occurrence is looked at. Titles count as well as bodies (as in
`search` and `trend`); each line says which. Syndicated copies of one story are shown once,
with the number of copies; `all_copies` shows every one.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from . import when
from .errors import BadInput
from .models import Progress
from .positions import FIELDS, char_spans, located, texts
from .search import Filters, parse_query
from .store import Store

SORTS = ("date", "left", "right")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Line:
    doc_id: str
    date: str | None
    """The document's effective date (when.py)."""
    outlet: str | None
    left: str
    match: str
    right: str
    offset: int
    """Where the match starts in its field (characters)."""
    field: str = "body"
    """title or body."""
    copies: int = 0
    """Other matching documents that are syndicated copies of this one's story (collapsed)."""


def as_query(words: str) -> str:
    """Several words without quotes are one phrase (what `kwic extended deterrence` means)."""
    stripped = words.strip()
    if '"' not in stripped and len(stripped.split()) > 1:
        return f'"{stripped}"'
    return stripped


def _context(text: str) -> str:
    """Whitespace runs (line breaks between paragraphs too) as one space, kept at the edges."""
    return re.sub(r"\s+", " ", text)


def _sort_key(sort: str) -> Any:
    if sort == "left":  # nearest word first, as concordancers sort left contexts
        return lambda line: (
            [w.lower() for w in reversed(_WORD.findall(line.left))],
            line.doc_id,
            FIELDS.index(line.field),
            line.offset,
        )
    if sort == "right":
        return lambda line: (
            [w.lower() for w in _WORD.findall(line.right)],
            line.doc_id,
            FIELDS.index(line.field),
            line.offset,
        )
    return lambda line: (when.sort_key(line.date), line.doc_id, FIELDS.index(line.field), line.offset)


def kwic(
    store: Store,
    phrase: str,
    width: int = 40,
    filters: Filters | None = None,
    sort: str = "date",
    progress: Progress | None = None,
    all_copies: bool = False,
    limit: int | None = None,
) -> Concordance:
    """Occurrences in the titles and bodies of matching documents, `width` characters each side:
    the first `limit` in the chosen order (all when None). Counts come from the index; only the
    documents holding the lines shown are read (all of them for the left and right sorts)."""
    if width < 1:
        raise BadInput("--width must be at least 1")
    if sort not in SORTS:
        raise BadInput(f"--sort must be one of {', '.join(SORTS)}")
    if limit is not None and limit < 1:
        raise BadInput("--limit must be at least 1")
    query = parse_query(as_query(phrase))
    documents, total, wanted = located(store, query, filters, all_copies, limit if sort == "date" else None)
    by_id = {r[0]: r for r in wanted}
    lines = []
    for done, (rowid, title, body) in enumerate(texts(store, list(by_id)), 1):
        if progress:
            progress(done, len(by_id), "reading matches")
        _, doc_id, outlet, meeting_date, published, start, end, copies, in_title, in_body = by_id[rowid]
        day = when.effective_date(meeting_date, published, start, end)
        for field, text, expected in (("title", title or "", in_title), ("body", body, in_body)):
            if not expected:
                continue
            for begin, stop in char_spans(text, query, expected):
                left = _context(text[max(0, begin - width * 2) : begin])[-width:]
                right = _context(text[stop : stop + width * 2])[:width]
                lines.append(Line(doc_id, day, outlet, left, text[begin:stop], right, begin, field, copies))
    lines.sort(key=_sort_key(sort))
    return Concordance(phrase, lines[:limit] if limit else lines, total, documents, all_copies)


@dataclass(frozen=True)
class Concordance:
    """The lines shown, and how many occurrences and documents there are in all."""

    query: str
    lines: list[Line]
    total: int
    documents: int
    all_copies: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "counts": "title and body",
            "copies": "all shown" if self.all_copies else "collapsed: one document per story, with its copies counted",
            "documents": self.documents,
            "total": self.total,
            "shown": len(self.lines),
            "lines": [asdict(line) for line in self.lines],
        }
