"""Where a query's words and phrases occur, read from the FTS5 index instead of re-analysing
bodies: what `kwic` and `trend` count, so they scale with the matches, not the corpus.

The index already holds every token's position (an `fts5vocab` table of type `instance` lists
term, row, column and offset), so a phrase's occurrences are the rows where its words sit at
consecutive offsets; no body is read to count. `kwic` then needs the characters around each
occurrence: it finds candidates in the matching bodies with one regular expression per query
item (C speed), checks each with the analyzer on the few words it covers, and keeps them only
when they agree in number with the index; a body where they do not (exotic spellings the
expression misses) is analysed whole, as before. Both count the title and the body, as `search`
matches them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from . import when
from .index import FTS_COLUMNS, tokens
from .search import Filters, Item, Query, _is_hangul, match_spans, to_fts
from .store import Store

FIELDS = ("title", "body")
FIELD_OF_COLUMN = {name: i % len(FIELDS) for i, name in enumerate(FTS_COLUMNS)}
"""title and title_x are the title, body and body_x the body (stemmed and exact forms)."""
STEMMED = tuple(FTS_COLUMNS[: len(FIELDS)])
EXACT = tuple(FTS_COLUMNS[len(FIELDS) :])
READ_CHUNK = 500
"""Bodies are read this many at a time (one query each, a bounded amount of text in memory)."""
_TOKEN_CHAR = r"[^\W_]"
_GAP = r"(?:['’]s(?![^\W_])|[\W_])+"
"""What may stand between two consecutive tokens: non-word characters and a folded possessive."""

TokenSpan = tuple[int, int, int]
"""(field, first token, last token) of one occurrence, as the index numbers tokens."""


def items(query: Query) -> list[Item]:
    """The items whose occurrences are shown and counted: phrases, OR alternatives, bare words."""
    return [i for group in query.required for i in group] + query.terms


def _vocab(store: Store) -> str:
    """A temporary fts5vocab table over the index (temp: a read-only index works too)."""
    store.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_instances USING fts5vocab(main, fts, instance)")
    return "temp.fts_instances"


def _columns(item: Item) -> tuple[str, ...]:
    """The columns search matches an item in (search._fts): exact for quoted phrases, else stemmed."""
    return EXACT if item.quoted and not _is_hangul(item) else STEMMED


def _spans_sql(store: Store, query: Query) -> tuple[str, list[Any]]:
    """CTEs ending in `occurrences(doc, field, n)`: each item's positions joined word to word
    over the index's instance list (consecutive offsets in one column), the items' spans
    united (a place two items share counts once), counted per row and field, all inside SQLite."""
    vocab = _vocab(store)
    ctes: list[str] = []
    selects: list[str] = []
    params: list[Any] = []
    for i, item in enumerate(items(query)):
        for column in _columns(item):
            names = [f"i{len(ctes)}w{k}" for k in range(len(item.words))]
            for name, word in zip(names, item.words, strict=True):
                ctes.append(f"{name} AS MATERIALIZED (SELECT doc, offset FROM {vocab} WHERE term = ? AND col = ?)")
                params += [word, column]
            joins = " ".join(
                f"JOIN {name} ON {name}.doc = {names[0]}.doc AND {name}.offset = {names[0]}.offset + {k}"
                for k, name in enumerate(names[1:], 1)
            )
            field = FIELD_OF_COLUMN[column]
            last = len(names) - 1
            selects.append(
                f"SELECT {names[0]}.doc AS doc, {field} AS field, {names[0]}.offset AS start, "
                f"{names[0]}.offset + {last} AS stop, {i} AS item FROM {names[0]} {joins}"
            )
    spans = " UNION ".join(f"SELECT doc, field, start, stop FROM ({sel})" for sel in selects)
    ctes.append(f"occurrences AS (SELECT doc, field, count(*) AS n FROM ({spans}) GROUP BY doc, field)")
    return ", ".join(ctes), params


def matches_sql(query: Query, filters: Filters | None, all_copies: bool) -> tuple[str, list[Any]]:
    """A CTE `matches` of the documents matching the query and filters, one per story unless
    all_copies: a story's original when it matches, else its earliest published copy. `copies`
    is how many other matching documents the kept one stands for. Only the documents of a copy
    group go through the window functions (at 100k, 36,000 matches sorted by story were most of
    a kwic); any other one is its story's only document."""
    where, params = (filters or Filters()).sql()
    found = f"FROM fts JOIN documents d ON d.id = fts.rowid WHERE fts MATCH ?{' AND ' + where if where else ''}"
    grouped = "(d.copy_of IS NOT NULL OR d.doc_id IN (SELECT copy_of FROM documents WHERE copy_of IS NOT NULL))"
    columns = "d.id, d.doc_id, d.outlet, d.meeting_date, d.published, d.window_start, d.window_end"
    story = "COALESCE(d.copy_of, d.doc_id)"
    sql = (
        f"matches AS MATERIALIZED (SELECT {columns}, 0 AS copies, 1 AS place {found} AND NOT {grouped} "
        f"UNION ALL SELECT * FROM (SELECT {columns}, count(*) OVER (PARTITION BY {story}) - 1 AS copies, "
        f"row_number() OVER (PARTITION BY {story} ORDER BY d.copy_of IS NOT NULL, "
        f"COALESCE(d.published, '9999'), d.doc_id) AS place {found} AND {grouped})"
        f"{'' if all_copies else ' WHERE place = 1'})"
    )
    match = to_fts(query)
    return sql, [match, *params, match, *params]


def _with(store: Store, query: Query, filters: Filters | None, all_copies: bool) -> tuple[str, list[Any]]:
    """`WITH matches, ..., occurrences` for one query: what the statements below select from."""
    kept, kept_params = matches_sql(query, filters, all_copies)
    spans, span_params = _spans_sql(store, query)
    return f"WITH {kept}, {spans} ", [*kept_params, *span_params]


DATE_COLUMNS = "d.meeting_date, d.published, d.window_start, d.window_end"


def per_date(store: Store, query: Query, filters: Filters | None, all_copies: bool) -> dict[tuple[Any, ...], list[int]]:
    """(meeting_date, published, window_start, window_end) -> [documents, occurrences] of the
    kept matching documents, counted inside SQLite (Python sees one row per distinct date)."""
    prefix, params = _with(store, query, filters, all_copies)
    sql = (
        f"{prefix}SELECT {DATE_COLUMNS}, count(*), 0 FROM matches d GROUP BY 1, 2, 3, 4 UNION ALL "
        f"SELECT {DATE_COLUMNS}, 0, sum(o.n) FROM occurrences o JOIN documents d ON d.id = o.doc "
        "WHERE o.doc IN (SELECT id FROM matches) GROUP BY 1, 2, 3, 4"
    )
    counts: dict[tuple[Any, ...], list[int]] = {}
    for *day, documents, found in store.conn.execute(sql, params):
        count = counts.setdefault(tuple(day), [0, 0])
        count[0] += documents
        count[1] += found
    return counts


def located(
    store: Store, query: Query, filters: Filters | None, all_copies: bool, limit: int | None
) -> tuple[int, int, list[tuple[Any, ...]]]:
    """(documents, occurrences) among the kept matching documents, and the first `limit` of
    those holding occurrences in effective-date order (then doc_id): (rowid, doc_id, outlet,
    meeting_date, published, window_start, window_end, copies, in title, in body). One
    statement: the matches and the index's positions are worked out once for both."""
    prefix, params = _with(store, query, filters, all_copies)
    order = when.SORT_SQL.format(d="d")
    sql = (
        f"{prefix}, counted AS MATERIALIZED (SELECT doc, sum(n * (field = 0)) AS in_title, "
        "sum(n * (field = 1)) AS in_body FROM occurrences WHERE doc IN (SELECT id FROM matches) GROUP BY doc) "
        f"SELECT d.id, d.doc_id, d.outlet, {DATE_COLUMNS}, d.copies, c.in_title, c.in_body, count(*) OVER (), "
        f"sum(c.in_title + c.in_body) OVER () FROM counted c JOIN matches d ON d.id = c.doc ORDER BY {order}, d.doc_id"
        + (f" LIMIT {int(limit)}" if limit else "")
    )
    rows = store.conn.execute(sql, params).fetchall()
    if not rows:
        return 0, 0, []
    documents, found = rows[0][-2:]
    return int(documents), int(found), [tuple(r[:-2]) for r in rows]


@cache
def _pattern(item: Item) -> re.Pattern[str] | None:
    """A regular expression over lower-cased ASCII text whose matches include every place the
    item occurs (None when its words are not plain ASCII: those texts are analysed whole). It
    starts with the first word's letters, so the search runs at C speed."""
    if not all(w.isascii() and w.isalnum() for w in item.words) or _is_hangul(item):
        return None
    parts = []
    for word in item.words:
        if _columns(item) == STEMMED:  # a stemmed word: any word starting like its stem
            parts.append(re.escape(word[: max(2, len(word) - 2)]) + f"{_TOKEN_CHAR}*")
            continue
        plain = re.escape(word) + f"(?!{_TOKEN_CHAR})"
        dotted = "".join(re.escape(c) + r"\." for c in word) if word.isalpha() and len(word) > 1 else None
        parts.append(f"(?:{plain}|{dotted})" if dotted else plain)
    return re.compile(_GAP.join(parts))


def _candidates(text: str, item: Item) -> set[tuple[int, int]] | None:
    """Spans where the item occurs in a text, checked with the analyzer; None when the item is
    not plain ASCII or lower-casing would move the text's offsets."""
    pattern = _pattern(item)
    low = text.lower()
    if pattern is None or len(low) != len(text):  # lower() only ever lengthens: same length, same offsets
        return None
    spans = set()
    stemmed = _columns(item) == STEMMED
    m = pattern.search(low)
    while m:
        start = m.start()
        if not (start and (low[start - 1].isalnum())):  # a token starts here
            found = tokens(text[start : m.end()])
            forms = tuple(t.stem if stemmed else t.exact for t in found)
            if forms == item.words:
                spans.add((start + found[0].start, start + found[-1].end))
        m = pattern.search(low, start + 1)
    return spans


def char_spans(text: str, query: Query, expected: int) -> list[tuple[int, int]]:
    """The character spans of the query's occurrences in one field's text, `expected` many
    according to the index: candidates when they agree with it, else the whole text analysed."""
    spans: set[tuple[int, int]] = set()
    for item in items(query):
        found = _candidates(text, item)
        if found is None:
            return match_spans(text, query)
        spans |= found
    return sorted(spans) if len(spans) == expected else match_spans(text, query)


def texts(store: Store, rowids: list[int]) -> Iterator[tuple[int, str | None, str]]:
    """(rowid, title, body) for the given documents, READ_CHUNK at a time."""
    for i in range(0, len(rowids), READ_CHUNK):
        chunk = rowids[i : i + READ_CHUNK]
        yield from store.conn.execute(
            f"SELECT d.id, d.title, t.body FROM documents d JOIN texts t USING (id) "
            f"WHERE d.id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
