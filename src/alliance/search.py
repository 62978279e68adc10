"""The query language, its translation to FTS5, filters applied inside the SQL, and snippets.

Query language: bare words (stemmed; documents with all of them rank first, then those with
some), "quoted phrases" (words as written, in order), -word and -"phrase" to exclude, OR
between two items, NOT before an item. User text never reaches FTS5 raw: every word passes
through the analyzer and is quoted, so no input can produce FTS5 syntax.
"""

from __future__ import annotations

import bisect
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from math import comb
from typing import TYPE_CHECKING, Any, TypeVar

from .concepts import Term, Thesaurus, find_concepts, load_thesaurus
from .errors import BadInput
from .index import (
    COLUMN_WEIGHTS,
    EXACT_COLUMNS,
    HANGUL_WORD,
    STEMMED_COLUMNS,
    Part,
    hangul_part,
    hangul_pieces,
    stopword_lists,
    tokens,
)
from .store import Store

if TYPE_CHECKING:
    from datetime import date

T = TypeVar("T")
_LEXEME = re.compile(r'(?P<neg>-)?"(?P<phrase>[^"]*)"?|(?P<word>\S+)')


@dataclass(frozen=True)
class Item:
    """One query item: the analysed tokens, whether it is a phrase, and whether it is negated."""

    words: tuple[str, ...]
    phrase: bool
    negated: bool = False
    parts: tuple[Part, ...] = ()
    """A Korean word's morphemes, found near each other in any spacing (bare words only)."""
    text: str = ""
    """The word as typed."""
    quoted: bool = False
    """Typed in quotes: the words as written, required, never expanded."""


@dataclass
class Query:
    """A parsed query: bare words, required phrases and OR groups, exclusions. (Each dataclass
    here has a docstring: without one, dataclasses computes a signature at import.)"""

    terms: list[Item] = field(default_factory=list)
    required: list[list[Item]] = field(default_factory=list)
    """Phrases and OR-groups: each inner list is one alternative set, all required."""
    excluded: list[Item] = field(default_factory=list)
    bare_words: list[str] = field(default_factory=list)
    """The words typed without quotes or exclusion, as written: ranked higher side by side."""


def _item(text: str, phrase: bool, negated: bool, exact: bool, morphology: bool = False) -> Item | None:
    toks = list(tokens(text))
    words = tuple(t.exact if (phrase or exact) else t.stem for t in toks)
    if not words:
        return None
    parts: tuple[Part, ...] = ()
    runs = HANGUL_WORD.findall(text)
    if morphology and not (phrase or exact) and len(runs) == 1 and all(HANGUL_WORD.fullmatch(w) for w in words):
        pieces = hangul_pieces(runs[0])
        if pieces != (runs[0],):
            parts = tuple(hangul_part(p) for p in pieces)
    return Item(words, phrase or len(words) > 1, negated, parts, text, phrase)


def parse_query(text: str, exact: bool = False, morphology: bool = False) -> Query:
    """User query -> structured query; raises BadInput when nothing searchable is left. With
    morphology, a bare Korean word is matched by its morphemes (kiwipiepy), in any spacing."""
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
            item = _item(word.lstrip("-") if negated else word, False, negated, exact, morphology and not negated)
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
        elif item.quoted:
            query.required.append([item])
        else:
            query.terms.append(item)
        i += 1
    if not query.terms and not any(query.required):
        raise BadInput(f'nothing to search for in {text!r}: give at least one word or "phrase" to find')
    return query


NEAR_GAP = 6
"""Tokens allowed between the morphemes of one Korean word or form (particles, a short modifier)."""


def _parts_fts(parts: tuple[Part, ...], gap: int = NEAR_GAP) -> str:
    phrases = [f'"{" ".join(p.words)}"' + ("*" if p.prefix else "") for p in parts]
    body = phrases[0] if len(phrases) == 1 else f"NEAR({' '.join(phrases)}, {gap})"
    return f"{STEMMED_COLUMNS} : {body}"


def _fts(item: Item, exact: bool) -> str:
    if item.parts and not exact:
        return _parts_fts(item.parts)
    columns = EXACT_COLUMNS if (item.quoted and not _is_hangul(item)) or exact else STEMMED_COLUMNS
    return f'{columns} : "{" ".join(item.words)}"'


def _term_fts(term: Term) -> str:
    return _parts_fts(term.parts, term.gap) if term.parts else f'{STEMMED_COLUMNS} : "{" ".join(term.stems)}"'


def _is_hangul(item: Item) -> bool:
    return all(re.fullmatch(r"[\uac00-\ud7a3]+", w) for w in item.words)


def to_fts(query: Query, exact: bool = False, all_terms: bool = False) -> str:
    """FTS5 MATCH text: required items AND (any | all of the bare words) NOT excluded items."""
    return _compose(query, exact, [_fts(t, exact) for t in query.terms], " AND " if all_terms else " OR ")


def _compose(query: Query, exact: bool, units: list[str], joiner: str) -> str:
    """Required items AND (the units joined by joiner) NOT excluded items."""
    parts = ["(" + " OR ".join(_fts(i, exact) for i in group) + ")" for group in query.required if group]
    if units:
        parts.append("(" + joiner.join(units) + ")")
    expression = " AND ".join(parts)
    if query.excluded:
        expression = f"({expression}) NOT ({' OR '.join(_fts(i, exact) for i in query.excluded)})"
    return expression


@dataclass(frozen=True)
class Expansion:
    """A concept the query's bare words spell, and the thesaurus's other forms of it."""

    concept: str
    typed: str
    items: tuple[int, ...]
    """Positions in Query.terms of the words that spell it."""
    terms: tuple[Term, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"concept": self.concept, "typed": self.typed, "terms": [t.text for t in self.terms]}


def expand(query: Query, thesaurus: Thesaurus) -> list[Expansion]:
    """The concepts in the bare words (not in quoted phrases, OR groups or exclusions)."""
    words = [(t.words, t.text if _is_hangul(t) and HANGUL_WORD.fullmatch(t.text) else None) for t in query.terms]
    expansions = []
    for found in find_concepts(thesaurus, words):
        typed_items = [query.terms[i] for i in found.items]
        typed_stems = tuple(w for t in typed_items for w in t.words)
        typed_hangul = "".join(t.text for t in typed_items)
        others = tuple(
            term
            for term in thesaurus.concepts[found.concept].terms
            if term.stems != typed_stems and term.hangul != typed_hangul
        )
        if others:
            typed = " ".join(t.text for t in typed_items)
            expansions.append(Expansion(found.concept, typed, found.items, others))
    return expansions


@dataclass(frozen=True)
class Filters:
    """What a search, export, kwic or trend keeps besides the query."""

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
    match: str = "all"
    """The ranking tier the document came from (a TIER_LABELS key)."""
    expanded: list[str] = field(default_factory=list)
    """Thesaurus forms (not typed) that the document contains, when it matched through them."""
    coverage: str | None = None
    """For a concept query below the typed tiers: how many of its units the document has ("3/4")."""
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
            "match": self.match,
            "coverage": self.coverage,
            "expanded": self.expanded,
        }


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    expansions: list[Expansion] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "expansions": [e.to_dict() for e in self.expansions],
            "results": [h.to_dict() for h in self.hits],
        }


TIER_LABELS = {
    "adjacent": "the words side by side as typed",
    "all": "all the words as typed",
    "expanded": "K of N concepts and words, concepts in any of their forms",
    "translated": "K of N concepts and words, some through another language",
    "some": "some of the words",
}
MAX_COMBINATIONS = 30
"""A coordination level is an OR of every K-of-N conjunction; levels with more are skipped."""


@cache
def english_stopwords() -> frozenset[str]:
    """Function words a concept query does not count as units ("payments for US troops")."""
    return frozenset(stopword_lists().get("en", ()))


@dataclass(frozen=True)
class Unit:
    """What a concept query counts: a concept (its typed words or any form) or a remaining word.
    `same` allows the forms in the script of the typed words, `every` all forms."""

    same: str
    every: str


def _units(query: Query, expansions: list[Expansion], exact: bool) -> list[Unit]:
    units = [_unit(query, e, exact) for e in expansions]
    spelled = {i for e in expansions for i in e.items}
    stop = english_stopwords()
    for i, term in enumerate(query.terms):
        if i not in spelled and term.text.lower() not in stop:
            units.append(Unit(_fts(term, exact), _fts(term, exact)))
    return units


def _unit(query: Query, expansion: Expansion, exact: bool) -> Unit:
    """A concept as FTS5: the words that spell it as typed, or another form of it."""
    items = [query.terms[i] for i in expansion.items]
    typed = "(" + " AND ".join(_fts(t, exact) for t in items) + ")"
    korean = all(_is_hangul(t) for t in items)
    same = [typed, *(_term_fts(t) for t in expansion.terms if (t.hangul is not None) == korean)]
    every = [typed, *(_term_fts(t) for t in expansion.terms)]
    return Unit("(" + " OR ".join(same) + ")", "(" + " OR ".join(every) + ")")


def _level(units: list[str], k: int) -> str | None:
    """Documents with at least k of the units (None when that takes too many conjunctions)."""
    if k == len(units):
        return " AND ".join(units)
    if k == 1:
        return " OR ".join(units)
    if comb(len(units), k) > MAX_COMBINATIONS:
        return None
    return " OR ".join("(" + " AND ".join(group) + ")" for group in combinations(units, k))


def _tiers(query: Query, exact: bool, expansions: list[Expansion] | None = None) -> list[tuple[str, str]]:
    """(label, FTS5 expression) for the ranking tiers, best first, which partition the matches:
    the bare words side by side as written; all of them; then, for a query without concepts,
    some of them. With concepts (coordination-level ranking over concepts and the remaining
    words): K of N units where a concept may be any of its forms in the typed words' script,
    K falling from N to half of N; the same allowing forms in the other script (a Korean query
    finding English pages); then lower K alternately; last, pages with only some of the typed
    words (the bag of words). Thesaurus forms thus rank below the words as typed, and other
    languages below the typed one. Searching tier by tier with LIMIT
    lets SQLite rank only as far down as the page of results needs."""
    match_all = to_fts(query, exact, all_terms=True)
    adjacent = _adjacent_words(query)
    if adjacent:
        tiers = [("adjacent", f"({match_all}) AND {adjacent}"), ("all", f"({match_all}) NOT {adjacent}")]
    else:
        tiers = [("all", match_all)]
    units = _units(query, expansions, exact) if expansions else []
    if not units:
        match_any = to_fts(query, exact)
        if match_any != match_all:
            tiers.append(("some", f"({match_any}) NOT ({match_all})"))
        return tiers
    n = len(units)
    half = (n + 1) // 2
    translated = any(u.same != u.every for u in units)
    lowest: dict[str, str] = {}  # per chain, the widest level emitted (the levels are nested)

    def emit(label: str, k: int) -> None:
        level = _level([u.same if label == "expanded" else u.every for u in units], k)
        if level is None:
            return
        expression = _compose(query, exact, [f"({level})"], " AND ")
        tiers.append((f"{label} {k}/{n}", _below(expression, [match_all, *lowest.values()])))
        lowest[label] = expression

    for k in range(n, half - 1, -1):
        emit("expanded", k)
    if translated:
        for k in range(n, half - 1, -1):
            emit("translated", k)
    for k in range(half - 1, 0, -1):
        emit("expanded", k)
        if translated:
            emit("translated", k)
    match_any = to_fts(query, exact)
    if match_any != match_all:  # the bag of words still holds: a page with some typed word comes last
        tiers.append(("some", _below(match_any, [match_all, *lowest.values()])))
    return tiers


def _below(expression: str, above: list[str]) -> str:
    return f"({expression}) NOT ({' OR '.join(f'({a})' for a in above)})"


def _where(filters: Filters | None) -> tuple[str, list[Any]]:
    where, params = (filters or Filters()).sql()
    return (f" AND {where}" if where else ""), params


DOCUMENT_COLUMNS = (
    "d.id, d.doc_id, d.path, d.title, d.outlet, d.published, d.meeting_date, d.window_start, d.window_end, "
    "COALESCE(d.copy_of, d.doc_id) AS story"
)
RANKED = (
    f"SELECT {DOCUMENT_COLUMNS}, bm25(fts, {{weights}}) AS score "
    "FROM fts JOIN documents d ON d.id = fts.rowid WHERE fts MATCH ?{filters} "
    "ORDER BY score, COALESCE(d.meeting_date, d.published, d.window_end) DESC, d.id"
)
"""One tier, best first: BM25 (title weighted), ties broken by the newer date, then by reading order."""
TOP_SCORES = "SELECT rowid, bm25(fts, {weights}) AS score FROM fts WHERE fts MATCH ? ORDER BY score LIMIT ?"
"""The best scores of one tier without joining every match to its document (most of the cost of a
ranked tier at 100k): the documents are read for these rows only."""
WEIGHTS = ", ".join(str(w) for w in COLUMN_WEIGHTS)


def _ranked(
    store: Store,
    query: Query,
    filters: Filters | None,
    exact: bool,
    limit: int | None,
    expansions: list[Expansion] | None = None,
) -> list[tuple[str, Any]]:
    """(tier label, row) best first."""
    filter_sql, params = _where(filters)
    sql = RANKED.format(weights=WEIGHTS, filters=filter_sql)
    rows: list[tuple[str, Any]] = []
    for label, tier in _tiers(query, exact, expansions):
        if limit is not None and len(rows) >= limit:
            break
        if limit is None:
            found = list(store.conn.execute(sql, [tier, *params]))
        elif filter_sql:
            found = list(store.conn.execute(sql + f" LIMIT {int(limit) - len(rows)}", [tier, *params]))
        else:
            found = _top(store, tier, limit - len(rows))
        rows += [(label, row) for row in found]
    return rows


def _top(store: Store, tier: str, limit: int) -> list[Any]:
    """The first `limit` rows of RANKED for one tier (no filters), from the best scores alone: a
    few more rows than asked, until the last of them scores below the last row kept, so every row
    tied with a kept one is among them and the date can break the tie as RANKED does."""
    fetch = limit + 10
    while True:
        top = store.conn.execute(TOP_SCORES.format(weights=WEIGHTS), (tier, fetch)).fetchall()
        if len(top) < fetch or top[-1][1] > top[limit - 1][1]:
            break
        fetch *= 4
    scores = {rowid: score for rowid, score in top}
    if not scores:
        return []
    documents = store.conn.execute(
        f"SELECT {DOCUMENT_COLUMNS}, COALESCE(d.meeting_date, d.published, d.window_end) AS day "
        f"FROM documents d WHERE d.id IN ({', '.join('?' * len(scores))})",
        list(scores),
    ).fetchall()
    documents.sort(key=lambda row: row["id"])
    documents.sort(key=lambda row: (row["day"] is not None, row["day"] or ""), reverse=True)
    documents.sort(key=lambda row: scores[row["id"]])
    return [dict(row, score=scores[row["id"]]) for row in documents[:limit]]


def count_matches(
    conn: sqlite3.Connection,
    query: Query,
    filters: Filters | None,
    exact: bool = False,
    expansions: list[Expansion] | None = None,
    stories: bool = False,
) -> int:
    """Matching documents; with stories, a document and its matching syndicated copies count once."""
    filter_sql, params = _where(filters)
    join = " JOIN documents d ON d.id = fts.rowid" if filter_sql or stories else ""
    counted = "count(DISTINCT COALESCE(d.copy_of, d.doc_id))" if stories else "count(*)"
    sql = f"SELECT {counted} FROM fts{join} WHERE fts MATCH ?{filter_sql}"
    return int(conn.execute(sql, [_expression(query, exact, expansions), *params]).fetchone()[0])


def _expression(query: Query, exact: bool, expansions: list[Expansion] | None) -> str:
    """The FTS5 text every match satisfies, and nothing else: the typed words (any of them) or
    another form of a concept. The same set as the union of the tiers, written for counting:
    a form that contains a typed word as a phrase of its own (\"nuclear deterrence\" for a query
    with \"deterrence\") and the typed words of a concept are already counted through that word,
    so they are left out; each costs a pass over positions at 100k documents."""
    units = _units(query, expansions, exact) if expansions else []
    if not units:
        return to_fts(query, exact)
    typed = [_fts(t, exact) for t in query.terms]
    lone = {
        t.words for t in query.terms if len(t.words) == 1 and not t.parts and _fts(t, exact).startswith(STEMMED_COLUMNS)
    }
    forms = [
        _term_fts(term)
        for e in expansions or []
        for term in e.terms
        if not any(words in lone for words in _phrases(term))
    ]
    return _compose(query, exact, list(dict.fromkeys([*typed, *forms])), " OR ")


def _phrases(term: Term) -> list[tuple[str, ...]]:
    """Each single word a document matching the form must hold in the stemmed columns."""
    parts = term.parts or (Part(term.stems, False),)
    return [(word,) for part in parts if not part.prefix for word in part.words]


def _has_copies(store: Store) -> bool:
    """Whether the last ingest found any syndicated copies (else collapsing costs nothing)."""
    return (store.setting("copies") or "0") != "0"


def _collapsed(
    store: Store,
    query: Query,
    filters: Filters | None,
    exact: bool,
    limit: int,
    expansions: list[Expansion] | None = None,
    counted: Callable[[], tuple[int, dict[str, int]]] | None = None,
) -> tuple[list[tuple[str, Any, int]], int]:
    """(tier, row, copies) for the best-ranked matching document of each of the first `limit`
    stories, with how many other matching documents are copies of it (ranking fetches more
    rows until it has enough stories); and the number of matching stories. The total and the
    copy counts come from one more pass over the matches (`counted`, running beside the ranking,
    when the copy index names the copy groups): at 100k documents a pass through a concept's
    forms costs about half the bare FTS5 query."""
    fetch = limit
    while True:
        rows = _ranked(store, query, filters, exact, fetch, expansions)
        stories: dict[str, tuple[str, Any]] = {}
        for label, row in rows:
            stories.setdefault(row["story"], (label, row))
        if len(stories) >= limit or len(rows) < fetch:
            break
        fetch *= 4
    kept = list(stories.items())[:limit]
    if counted is not None:
        total, sizes = counted()
    elif not kept:
        return [], count_matches(store.conn, query, filters, exact, expansions, stories=True)
    else:
        total, sizes = _grouped_sizes(store, query, filters, exact, [story for story, _ in kept], expansions)
    return [(label, row, sizes.get(story, 1) - 1) for story, (label, row) in kept], total


def _beside(store: Store, work: Callable[[sqlite3.Connection], T]) -> Callable[[], T]:
    """Start work on a second connection in another thread; the returned function waits for its
    result (or raises its error). SQLite runs without the GIL, so a count overlaps the ranking
    and the snippets on a second core instead of following them."""
    import threading

    box: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            conn = store.reader()
            try:
                box.append((True, work(conn)))
            finally:
                conn.close()
        except BaseException as exc:  # handed to the caller, whatever it is
            box.append((False, exc))

    thread = threading.Thread(target=run, name="alliance-count", daemon=True)
    thread.start()

    def result() -> T:
        thread.join()
        ok, value = box[0]
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    return result


def _copy_index(store: Store) -> bool:
    return store.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents_copy_of'").fetchone() is not None


COPY_MEMBERS = (
    "SELECT id, copy_of AS story FROM documents WHERE copy_of IS NOT NULL UNION ALL "
    "SELECT id, doc_id FROM documents WHERE doc_id IN (SELECT copy_of FROM documents WHERE copy_of IS NOT NULL) "
    "AND +copy_of IS NULL"  # the unary + keeps SQLite off the partial index, which holds no NULL (a scan)
)
"""Every document of a story with copies, with its story (copies and their originals: few)."""
MAX_MEMBERS = 30000
"""Members named as SQL parameters at most (SQLite allows 32766)."""


def _story_sizes(
    conn: sqlite3.Connection,
    query: Query,
    filters: Filters | None,
    exact: bool,
    expansions: list[Expansion] | None,
    members: dict[int, str],
) -> tuple[int, dict[str, int]]:
    """(matching stories, matching documents per story of several documents), from one count of
    the matches that also names the matching members of copy groups (a partial index: copies are
    few), with no join of every match to its document unless a filter needs it."""
    filter_sql, params = _where(filters)
    source = "fts JOIN documents d ON d.id = fts.rowid" if filter_sql else "fts"
    count, matched = conn.execute(
        f"SELECT count(*), group_concat(CASE WHEN fts.rowid IN ({', '.join('?' * len(members))}) "
        f"THEN fts.rowid END) FROM {source} WHERE fts MATCH ?{filter_sql}",
        [*members, _expression(query, exact, expansions), *params],
    ).fetchone()
    sizes: dict[str, int] = {}
    for rowid in matched.split(",") if matched else ():
        story = members[int(rowid)]
        sizes[story] = sizes.get(story, 0) + 1
    return count - sum(size - 1 for size in sizes.values()), sizes


def _grouped_sizes(
    store: Store,
    query: Query,
    filters: Filters | None,
    exact: bool,
    shown: list[str],
    expansions: list[Expansion] | None,
) -> tuple[int, dict[str, int]]:
    """The same from one grouped pass over the matches (an index without the copy index)."""
    filter_sql, params = _where(filters)
    grouped = store.conn.execute(  # the window counts every story before the outer filter keeps the shown ones
        "SELECT story, size, stories FROM (SELECT COALESCE(d.copy_of, d.doc_id) AS story, count(*) AS size, "
        "count(*) OVER () AS stories FROM fts JOIN documents d ON d.id = fts.rowid "
        f"WHERE fts MATCH ?{filter_sql} GROUP BY story) WHERE story IN ({', '.join('?' * len(shown))})",
        [_expression(query, exact, expansions), *params, *shown],
    ).fetchall()
    if not grouped:
        return count_matches(store.conn, query, filters, exact, expansions, stories=True), {}
    return grouped[0][2], {story: size for story, size, _ in grouped}


def search(
    store: Store,
    text: str,
    limit: int = 10,
    filters: Filters | None = None,
    exact: bool = False,
    all_copies: bool = False,
    expand_concepts: bool = True,
) -> SearchResult:
    """Ranked documents for a query: all words before some, adjacent words before scattered
    ones, the words as typed before other forms of their concept (the thesaurus, off with
    exact), then BM25 (title weighted), then the newer date. A story's syndicated copies are
    one hit ("+N copies") unless all_copies; `total` then counts stories."""
    from .when import effective_date

    if limit < 1:
        raise BadInput("--limit must be at least 1")
    query = parse_query(text, exact, morphology=not exact)
    expand_now = expand_concepts and not exact and bool(query.terms)  # a quoted phrase alone: nothing to expand
    expansions = expand(query, load_thesaurus(store.data_dir)) if expand_now else []
    collapse = not all_copies and _has_copies(store)
    forms = [(e.concept, term, _term_item(term)) for e in expansions for term in e.terms]
    if collapse:
        members = dict(store.conn.execute(COPY_MEMBERS).fetchall()) if _copy_index(store) else {}
        counted = (
            _beside(store, lambda conn: _story_sizes(conn, query, filters, exact, expansions, members))
            if members and len(members) <= MAX_MEMBERS
            else None
        )
        ranked, total = _collapsed(store, query, filters, exact, limit, expansions, counted)
    else:
        counting = _beside(store, lambda conn: count_matches(conn, query, filters, exact, expansions))
        ranked = [(*pair, 0) for pair in _ranked(store, query, filters, exact, limit, expansions)]
        total = counting()
    ids = [row["id"] for _, row, _ in ranked]
    marks = ", ".join("?" * len(ids))
    bodies = dict(store.conn.execute(f"SELECT id, body FROM texts WHERE id IN ({marks})", ids).fetchall())
    participants: dict[int, list[str]] = {}
    for document, name in store.conn.execute(
        f"SELECT document, name FROM people WHERE document IN ({marks}) AND role = 'participant' "
        "ORDER BY document, position",
        ids,
    ):
        participants.setdefault(document, []).append(name)
    hits = []
    for label, row, copies in ranked:
        names = participants.get(row["id"], [])
        body = bodies[row["id"]]
        analysed = Analysed(body)
        found = []
        if forms and label not in ("adjacent", "all"):
            found = _forms_found([analysed, Analysed(row["title"] or "")], forms)
        snippet, spans = make_snippet(body, query, [item for _, term, item in forms if term.text in found], analysed)
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
                label.split()[0],
                found,
                label.split()[1] if " " in label else None,
                copies,
                effective_date(row["meeting_date"], row["published"], row["window_start"], row["window_end"]),
            )
        )
    return SearchResult(text, total, hits, expansions)


def _term_item(term: Term) -> Item:
    """A thesaurus form as a query item, for finding it in a document's text."""
    return Item(term.stems, False, parts=term.parts, text=term.text)


def _forms_found(texts: list[Analysed], forms: list[tuple[str, Term, Item]]) -> list[str]:
    """The thesaurus forms that occur in the texts (what an expanded match matched on)."""
    return [term.text for _, term, item in forms if any(_item_spans(text, item) for text in texts)]


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
    return query, [row["doc_id"] for _, row in _ranked(store, query, filters, exact, None)]


def _adjacent_words(query: Query) -> str | None:
    """FTS5 text for the bare words as one exact phrase, when there are several."""
    if len(query.terms) < 2 or not query.bare_words:
        return None
    return f'{EXACT_COLUMNS} : "{" ".join(query.bare_words)}"'


SNIPPET_TOKENS = 36


class Analysed:
    """A text's tokens and where each form occurs: finding many items (a concept's dozens of
    forms) in one text costs a lookup each, not a pass over the text each."""

    def __init__(self, text: str) -> None:
        self.toks = tokens(text)
        self.forms = {"stem": [t.stem for t in self.toks], "exact": [t.exact for t in self.toks]}
        self._where: dict[str, dict[str, list[int]]] = {}

    def positions(self, kind: str, word: str) -> list[int]:
        if kind not in self._where:
            where: dict[str, list[int]] = {}
            for i, form in enumerate(self.forms[kind]):
                where.setdefault(form, []).append(i)
            self._where[kind] = where
        return self._where[kind].get(word, [])


def match_spans(
    text: str, query: Query, extra: list[Item] | None = None, analysed: Analysed | None = None
) -> list[tuple[int, int]]:
    """Character spans in text where query terms or phrases (and extra items: thesaurus forms)
    occur, as the index matched them."""
    analysed = analysed or Analysed(text)
    spans: list[tuple[int, int]] = []
    for item in [i for group in query.required for i in group] + query.terms + (extra or []):
        spans += _item_spans(analysed, item)
    return sorted(set(spans))


def _item_spans(analysed: Analysed, item: Item) -> list[tuple[int, int]]:
    """Where one item occurs in analysed tokens; a Korean word's morphemes each on their own."""
    if item.parts:
        found = [_sequence_spans(analysed, "stem", p.words, p.prefix) for p in item.parts]
        return [span for spans in found for span in spans] if all(found) else []
    kind = "exact" if item.quoted and not _is_hangul(item) else "stem"
    return _sequence_spans(analysed, kind, item.words, False)


def _sequence_spans(analysed: Analysed, kind: str, words: tuple[str, ...], prefix: bool) -> list[tuple[int, int]]:
    """Spans of words as a run of tokens; with prefix, the (lone) word may start a longer token."""
    forms, toks, n = analysed.forms[kind], analysed.toks, len(words)
    if prefix:
        starts = [i for i, form in enumerate(forms) if form.startswith(words[0])]
    else:
        starts = analysed.positions(kind, words[0])
    return [
        (toks[i].start, toks[i + n - 1].end)
        for i in starts
        if i + n <= len(forms) and tuple(forms[i + 1 : i + n]) == words[1:]
    ]


def _densest(words: list[tuple[int, int]], starts: list[int]) -> int:
    """The first word at which a window of SNIPPET_TOKENS words holds the most match starts. The
    count only rises where the window's end reaches a new start, so only those windows (and the
    first) are counted, not one per word of the body."""
    n = len(words)
    ends = [end for _, end in words]

    def count(i: int) -> int:
        lo, hi = words[i][0], words[min(i + SNIPPET_TOKENS, n) - 1][1]
        return bisect.bisect_left(starts, hi) - bisect.bisect_left(starts, lo)

    candidates = {0}
    for start in starts:
        last = bisect.bisect_right(ends, start)  # the first word ending after the start
        if last < n and last - SNIPPET_TOKENS + 1 >= 1:
            candidates.add(last - SNIPPET_TOKENS + 1)
    return min(candidates, key=lambda i: (-count(i), i))


def make_snippet(
    body: str, query: Query, extra: list[Item] | None = None, analysed: Analysed | None = None
) -> tuple[str, list[tuple[int, int]]]:
    """The passage of about SNIPPET_TOKENS words with the most matches, and the match spans in it
    (the body's spans moved into the snippet, whose whitespace is collapsed)."""
    spans = match_spans(body, query, extra, analysed)
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", body)]
    if not words:
        return "", []
    best_start = 0
    if spans:
        starts = [s for s, _ in spans]  # sorted, as the spans are
        best = _densest(words, starts)
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
