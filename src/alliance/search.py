"""The query language, its translation to FTS5, filters applied inside the SQL, and snippets.

Query language: bare words (stemmed; documents with all of them rank first, then those with
some), "quoted phrases" (words as written, in order), -word and -"phrase" to exclude, OR
between two items, NOT before an item. User text never reaches FTS5 raw: every word passes
through the analyzer and is quoted, so no input can produce FTS5 syntax.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .errors import BadInput
from .index import COLUMN_WEIGHTS, EXACT_COLUMNS, STEMMED_COLUMNS, tokens
from .store import Store

_LEXEME = re.compile(r'(?P<neg>-)?"(?P<phrase>[^"]*)"?|(?P<word>\S+)')


@dataclass(frozen=True)
class Item:
    """One query item: the analysed tokens, whether it is a phrase, and whether it is negated."""

    words: tuple[str, ...]
    phrase: bool
    negated: bool = False


@dataclass
class Query:
    terms: list[Item] = field(default_factory=list)
    required: list[list[Item]] = field(default_factory=list)
    """Phrases and OR-groups: each inner list is one alternative set, all required."""
    excluded: list[Item] = field(default_factory=list)
    bare_words: list[str] = field(default_factory=list)
    """The words typed without quotes or exclusion, as written: ranked higher side by side."""


def _item(text: str, phrase: bool, negated: bool, exact: bool) -> Item | None:
    toks = list(tokens(text))
    words = tuple(t.exact if (phrase or exact) else t.stem for t in toks)
    return Item(words, phrase or len(words) > 1, negated) if words else None


def parse_query(text: str, exact: bool = False) -> Query:
    """User query -> structured query; raises BadInput when nothing searchable is left."""
    items: list[Item | str] = []
    bare_words: list[str] = []
    negate_next = False
    for m in _LEXEME.finditer(text):
        word = m.group("word")
        if word in ("OR", "AND"):
            items.append(word)
            continue
        if word == "NOT":
            negate_next = True
            continue
        negated = negate_next or bool(m.group("neg")) or bool(word and word.startswith("-") and len(word) > 1)
        negate_next = False
        if word is not None:
            item = _item(word.lstrip("-") if negated else word, False, negated, exact)
            if not negated:
                bare_words += [t.exact for t in tokens(word)]
        else:
            item = _item(m.group("phrase"), True, negated, exact)
        if item:
            items.append(item)
    query = Query(bare_words=bare_words)
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, str):
            i += 1
            continue
        group = [item]
        while i + 2 < len(items) and items[i + 1] == "OR" and isinstance(items[i + 2], Item):
            group.append(items[i + 2])  # type: ignore[arg-type]
            i += 2
        if len(group) > 1:
            query.required.append([g for g in group if not g.negated])
        elif item.negated:
            query.excluded.append(item)
        elif item.phrase:
            query.required.append([item])
        else:
            query.terms.append(item)
        i += 1
    if not query.terms and not any(query.required):
        raise BadInput(f'nothing to search for in {text!r}: give at least one word or "phrase" to find')
    return query


def _fts(item: Item, exact: bool) -> str:
    columns = EXACT_COLUMNS if (item.phrase and not _is_hangul(item)) or exact else STEMMED_COLUMNS
    return f'{columns} : "{" ".join(item.words)}"'


def _is_hangul(item: Item) -> bool:
    return all(re.fullmatch(r"[\uac00-\ud7a3]+", w) for w in item.words)


def to_fts(query: Query, exact: bool = False, all_terms: bool = False) -> str:
    """FTS5 MATCH text: required items AND (any | all of the bare words) NOT excluded items."""
    parts = ["(" + " OR ".join(_fts(i, exact) for i in group) + ")" for group in query.required if group]
    if query.terms:
        joiner = " AND " if all_terms else " OR "
        parts.append("(" + joiner.join(_fts(t, exact) for t in query.terms) + ")")
    expression = " AND ".join(parts)
    if query.excluded:
        expression = f"({expression}) NOT ({' OR '.join(_fts(i, exact) for i in query.excluded)})"
    return expression


@dataclass(frozen=True)
class Filters:
    since: date | None = None
    until: date | None = None
    outlet: str | None = None
    participant: str | None = None
    format: str | None = None

    def sql(self) -> tuple[str, list[Any]]:
        """WHERE clauses over `d` (documents); the date falls back from meeting day to
        publication to the meeting window (which must lie wholly inside the range)."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.since:
            clauses.append(
                "(CASE WHEN d.meeting_date IS NOT NULL THEN d.meeting_date >= ? WHEN d.published IS NOT NULL "
                "THEN d.published >= ? WHEN d.window_start IS NOT NULL THEN d.window_start >= ? ELSE 0 END)"
            )
            params += [self.since.isoformat()] * 3
        if self.until:
            clauses.append(
                "(CASE WHEN d.meeting_date IS NOT NULL THEN d.meeting_date <= ? WHEN d.published IS NOT NULL "
                "THEN d.published <= ? WHEN d.window_end IS NOT NULL THEN d.window_end <= ? ELSE 0 END)"
            )
            params += [self.until.isoformat()] * 3
        if self.outlet:
            clauses.append("(d.outlet = ? COLLATE NOCASE OR d.wire = ? COLLATE NOCASE)")
            params += [self.outlet, self.outlet]
        if self.participant:
            clauses.append(
                "EXISTS (SELECT 1 FROM people p WHERE p.document = d.id AND p.role = 'participant' AND p.name = ?)"
            )
            params.append(self.participant)
        if self.format:
            clauses.append("d.format = ?")
            params.append(self.format)
        return " AND ".join(clauses), params


@dataclass(frozen=True)
class Hit:
    doc_id: str
    path: str
    score: float
    title: str | None
    outlet: str | None
    published: str | None
    meeting_date: str | None
    participants: list[str]
    snippet: str
    highlights: list[tuple[int, int]]
    copies: int = 0
    """Other matching documents that are syndicated copies of this hit's story (collapsed)."""
    date: str | None = None
    """The effective date (when.py): meeting day, else publication day, else the window."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "path": self.path,
            "score": round(self.score, 4),
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "meeting_date": self.meeting_date,
            "date": self.date,
            "participants": self.participants,
            "snippet": self.snippet,
            "copies": self.copies,
        }


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: list[Hit]

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "results": [h.to_dict() for h in self.hits],
        }


def _tiers(query: Query, exact: bool) -> list[str]:
    """FTS5 expressions for the ranking tiers, best first, which partition the matches: the
    bare words side by side as written; all of them; some of them. Searching tier by tier with
    LIMIT lets SQLite rank only as far down as the page of results needs."""
    match_any = to_fts(query, exact)
    match_all = to_fts(query, exact, all_terms=True)
    adjacent = _adjacent_words(query)
    tiers = [f"({match_all}) AND {adjacent}", f"({match_all}) NOT {adjacent}"] if adjacent else [match_all]
    if match_all != match_any:
        tiers.append(f"({match_any}) NOT ({match_all})")
    return tiers


def _where(filters: Filters | None) -> tuple[str, list[Any]]:
    where, params = (filters or Filters()).sql()
    return (f" AND {where}" if where else ""), params


RANKED = (
    "SELECT d.id, d.doc_id, d.path, d.title, d.outlet, d.published, d.meeting_date, d.window_start, d.window_end, "
    "bm25(fts, {weights}) AS score "
    "FROM fts JOIN documents d ON d.id = fts.rowid WHERE fts MATCH ?{filters} "
    "ORDER BY score, COALESCE(d.meeting_date, d.published, d.window_end) DESC"
)
"""One tier, best first: BM25 (title weighted), ties broken by the newer date."""


def _ranked(store: Store, query: Query, filters: Filters | None, exact: bool, limit: int | None) -> list[Any]:
    filter_sql, params = _where(filters)
    sql = RANKED.format(weights=", ".join(str(w) for w in COLUMN_WEIGHTS), filters=filter_sql)
    rows: list[Any] = []
    for tier in _tiers(query, exact):
        if limit is not None and len(rows) >= limit:
            break
        more = "" if limit is None else f" LIMIT {int(limit) - len(rows)}"
        rows += store.conn.execute(sql + more, [tier, *params]).fetchall()
    return rows


def count_matches(store: Store, query: Query, filters: Filters | None, exact: bool = False) -> int:
    filter_sql, params = _where(filters)
    join = " JOIN documents d ON d.id = fts.rowid" if filter_sql else ""
    sql = f"SELECT count(*) FROM fts{join} WHERE fts MATCH ?{filter_sql}"
    return int(store.conn.execute(sql, [to_fts(query, exact), *params]).fetchone()[0])


def _has_copies(store: Store) -> bool:
    """Whether the last ingest found any syndicated copies (else collapsing costs nothing)."""
    return (store.setting("copies") or "0") != "0"


def _story_count(store: Store, query: Query, filters: Filters | None, exact: bool) -> int:
    """Matching stories: a document and its matching syndicated copies count once."""
    filter_sql, params = _where(filters)
    sql = (
        "SELECT count(DISTINCT COALESCE(d.copy_of, d.doc_id)) FROM fts JOIN documents d ON d.id = fts.rowid "
        f"WHERE fts MATCH ?{filter_sql}"
    )
    return int(store.conn.execute(sql, [to_fts(query, exact), *params]).fetchone()[0])


def _collapsed(store: Store, query: Query, filters: Filters | None, exact: bool, limit: int) -> list[tuple[Any, int]]:
    """The best-ranked matching document of each of the first `limit` stories, with how many
    other matching documents are copies of it (ranking fetches more rows until it has enough)."""
    fetch = limit
    while True:
        rows = _ranked(store, query, filters, exact, fetch)
        stories: dict[str, Any] = {}
        marks = ", ".join("?" * len(rows))
        story_of = dict(
            store.conn.execute(
                f"SELECT id, COALESCE(copy_of, doc_id) FROM documents WHERE id IN ({marks})", [r["id"] for r in rows]
            )
        )
        for row in rows:
            stories.setdefault(story_of[row["id"]], row)
        if len(stories) >= limit or len(rows) < fetch:
            break
        fetch *= 4
    kept = list(stories.items())[:limit]
    filter_sql, params = _where(filters)
    marks = ", ".join("?" * len(kept))
    sizes = dict(
        store.conn.execute(
            "SELECT COALESCE(d.copy_of, d.doc_id) AS story, count(*) FROM fts JOIN documents d ON d.id = fts.rowid "
            f"WHERE fts MATCH ?{filter_sql} AND story IN ({marks}) GROUP BY story",
            [to_fts(query, exact), *params, *[story for story, _ in kept]],
        )
    )
    return [(row, sizes.get(story, 1) - 1) for story, row in kept]


def search(
    store: Store,
    text: str,
    limit: int = 10,
    filters: Filters | None = None,
    exact: bool = False,
    all_copies: bool = False,
) -> SearchResult:
    """Ranked documents for a query: all words before some, adjacent words before scattered
    ones, then BM25 (title weighted), then the newer date. A story's syndicated copies are one
    hit ("+N copies") unless all_copies; `total` then counts stories."""
    from .when import effective_date

    if limit < 1:
        raise BadInput("--limit must be at least 1")
    query = parse_query(text, exact)
    collapse = not all_copies and _has_copies(store)
    total = _story_count(store, query, filters, exact) if collapse else count_matches(store, query, filters, exact)
    ranked = (
        _collapsed(store, query, filters, exact, limit)
        if collapse
        else [(row, 0) for row in _ranked(store, query, filters, exact, limit)]
    )
    hits = []
    for row, copies in ranked:
        names = [
            r[0]
            for r in store.conn.execute(
                "SELECT name FROM people WHERE document = ? AND role = 'participant' ORDER BY position",
                (row["id"],),
            )
        ]
        body = store.conn.execute("SELECT body FROM texts WHERE id = ?", (row["id"],)).fetchone()[0]
        snippet, spans = make_snippet(body, query)
        hits.append(
            Hit(
                row["doc_id"],
                row["path"],
                -row["score"],
                row["title"],
                row["outlet"],
                row["published"],
                row["meeting_date"],
                names,
                snippet,
                spans,
                copies,
                effective_date(row["meeting_date"], row["published"], row["window_start"], row["window_end"]),
            )
        )
    return SearchResult(text, total, hits)


def matching_ids(
    store: Store, text: str | None, filters: Filters | None = None, exact: bool = False
) -> tuple[Query | None, list[str]]:
    """Every matching doc_id, best first (all documents passing the filters when there is no
    query, in doc_id order): what export, kwic and trend work on."""
    if not text or not text.strip():
        where, params = (filters or Filters()).sql()
        sql = f"SELECT d.doc_id FROM documents d {'WHERE ' + where if where else ''} ORDER BY d.doc_id"
        return None, [r[0] for r in store.conn.execute(sql, params)]
    query = parse_query(text, exact)
    return query, [row["doc_id"] for row in _ranked(store, query, filters, exact, None)]


def _adjacent_words(query: Query) -> str | None:
    """FTS5 text for the bare words as one exact phrase, when there are several."""
    if len(query.terms) < 2 or not query.bare_words:
        return None
    return f'{EXACT_COLUMNS} : "{" ".join(query.bare_words)}"'


SNIPPET_TOKENS = 36


def match_spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Character spans in text where query terms or phrases occur, as the index matched them."""
    toks = tokens(text)
    exact = [t.exact for t in toks]
    stems = [t.stem for t in toks]
    spans: list[tuple[int, int]] = []
    for item in [i for group in query.required for i in group] + query.terms:
        forms = exact if item.phrase and not _is_hangul(item) else stems
        n = len(item.words)
        for i, form in enumerate(forms):
            if form == item.words[0] and tuple(forms[i : i + n]) == item.words:
                spans.append((toks[i].start, toks[i + n - 1].end))
    return sorted(set(spans))


def make_snippet(body: str, query: Query) -> tuple[str, list[tuple[int, int]]]:
    """The passage of about SNIPPET_TOKENS words with the most matches, and the match spans in it
    (the body's spans moved into the snippet, whose whitespace is collapsed)."""
    spans = match_spans(body, query)
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", body)]
    if not words:
        return "", []
    best_start = 0
    if spans:
        starts = [s for s, _ in spans]
        best, best_count = 0, -1
        for i in range(len(words)):
            lo, hi = words[i][0], words[min(i + SNIPPET_TOKENS, len(words)) - 1][1]
            count = sum(1 for s in starts if lo <= s < hi)
            if count > best_count:
                best, best_count = i, count
        first_in_window = min(s for s in starts if s >= words[best][0])
        hit_word = next((i for i in range(best, len(words)) if words[i][1] > first_in_window), best)
        best_start = max(0, hit_word - SNIPPET_TOKENS // 4)
    shown = words[best_start : min(best_start + SNIPPET_TOKENS, len(words))]
    prefix = "…" if shown[0][0] > 0 else ""
    suffix = "…" if shown[-1][1] < len(body) else ""
    offsets, position = [], len(prefix)  # where each shown word starts in the snippet
    for start, end in shown:
        offsets.append(position)
        position += end - start + 1
    starts = [start for start, _ in shown]

    def moved(offset: int) -> int:
        i = bisect.bisect_right(starts, offset) - 1
        return offsets[i] + offset - starts[i]

    lo, hi = shown[0][0], shown[-1][1]
    local = [(moved(s), moved(e - 1) + 1) for s, e in spans if lo <= s and e <= hi]
    return prefix + " ".join(body[a:b] for a, b in shown) + suffix, local
