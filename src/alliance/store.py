"""The SQLite store: documents, people and the FTS5 index in one file, `index/corpus.db`.

Every write happens inside one transaction (BEGIN IMMEDIATE), so an interrupted ingest leaves
the previous index as it was and a second ingest waits, then says the index is busy. WAL mode
lets searches read the last committed index while an ingest writes.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Busy, Committed, Damaged, IndexProblem, OldIndex, ReadOnly
from .index import ANALYZER_VERSION, FTS_COLUMNS, fts_values
from .sketches import band_keys

if TYPE_CHECKING:  # a search never builds articles: keep its start-up light
    from .models import Article, Removed

SCHEMA_VERSION = 4
"""2: bodies moved out of `documents` into `texts` (small columns first), so ranking, filtering
and grouping read small rows. 3: meetings and people are written whole at ingest (`meetings`
carries its participants, documents and outlets; `people_index` one row per official), so the
`meetings`, `people` and `show` commands read rows instead of regrouping the corpus. 4: each
document's MinHash LSH bands in `bands`, indexed by band and reading order, so copy detection looks
up the candidates of the documents an ingest changed instead of re-banding the corpus; a version 3
index gains the table in place (filled from the stored sketches) at the next ingest."""
ADDED_COLUMNS = ("published_basis",)
"""`documents` columns newer than schema 4's first release, which an older index gains in place."""
UNDATED = "9999"
"""Where a document without a publication date sorts in copy detection's reading order: last."""
BUSY_TIMEOUT_MS = 5000
REBUILD_HINT = "run `alliance ingest --rebuild` to rebuild it from the raw files"

COPY_INDEX = "CREATE INDEX IF NOT EXISTS documents_copy_of ON documents(copy_of) WHERE copy_of IS NOT NULL;"
"""The few syndicated copies, found without a scan: search counts stories through them (search.py)."""
GROUPING_SCHEMA = """
CREATE INDEX IF NOT EXISTS documents_event ON documents(event_id) WHERE event_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS documents_meeting_date ON documents(meeting_date) WHERE meeting_date IS NOT NULL;
CREATE INDEX IF NOT EXISTS documents_window ON documents(window_start) WHERE meeting_date IS NULL;
CREATE TABLE IF NOT EXISTS people_state (name TEXT PRIMARY KEY, state TEXT NOT NULL);
"""
"""What an ingest regroups through (meetings.regroup): a meeting's documents, the documents of
nearby days, and each official's running counts, so it reads the few meetings a change touches.
An index written before these existed gains them at its next ingest."""

BAND_ORDER = "CREATE INDEX IF NOT EXISTS bands_order ON bands(band, published, doc_id)"
"""Copy detection's lookup of a band's documents in reading order. Band keys are random, so each
insert lands on a random page of this index: an ingest writing much of the corpus builds it
afterwards instead (`Store.band_order_built_after`), one sort in place of a random write per row."""
FTS_HASH_BYTES = 16 << 20
"""The FTS5 'hashsize': how much new index data it gathers in memory before writing a segment
(1 MiB by default, fts5_config.c). Sixteen times as much writes a sixteenth of the small
segments that FTS5 then merges: 0.18-0.25 -> 0.10-0.13 ms per 20k-bench document inserted."""

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime REAL NOT NULL,
    encoding TEXT,
    kind TEXT,
    title TEXT,
    published TEXT,
    meeting_date TEXT,
    meeting_date_basis TEXT,
    window_start TEXT,
    window_end TEXT,
    outlet TEXT,
    wire TEXT,
    author TEXT,
    format TEXT,
    location TEXT,
    lang TEXT,
    event_id TEXT,
    copy_of TEXT,
    published_basis TEXT
);
CREATE TABLE IF NOT EXISTS texts (
    id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    sketch TEXT NOT NULL DEFAULT '[]',
    lead TEXT NOT NULL DEFAULT '',
    warnings TEXT NOT NULL DEFAULT '[]',
    body TEXT NOT NULL,
    removed TEXT NOT NULL DEFAULT '[]',
    credits TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS meetings (
    event_id TEXT PRIMARY KEY,
    date TEXT,
    basis TEXT,
    window_start TEXT,
    window_end TEXT,
    format TEXT,
    location TEXT,
    summary TEXT,
    record TEXT NOT NULL DEFAULT '{{}}'
);
CREATE TABLE IF NOT EXISTS people_index (
    position INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS people (
    document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    office TEXT,
    country TEXT,
    role TEXT NOT NULL CHECK (role IN ('participant', 'mentioned')),
    in_roster INTEGER NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    position INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS people_name ON people(name, role);
CREATE INDEX IF NOT EXISTS people_document ON people(document);
CREATE INDEX IF NOT EXISTS documents_outlet ON documents(outlet COLLATE NOCASE);
{COPY_INDEX}
{GROUPING_SCHEMA}
CREATE TABLE IF NOT EXISTS templates (key TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS bands (
    band INTEGER NOT NULL,
    published TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE
);
{BAND_ORDER};
CREATE INDEX IF NOT EXISTS bands_document ON bands(document);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    {", ".join(FTS_COLUMNS)}, content='', tokenize='unicode61 remove_diacritics 0'
);
"""


Fingerprint = tuple[int, float, int, str]
"""What an ingest knows of a stored document's file: (size, mtime, rowid, path)."""

HELD_FTS = f"CREATE TEMP TABLE IF NOT EXISTS held_fts (rowid INTEGER PRIMARY KEY, {', '.join(FTS_COLUMNS)})"
"""Index rows waiting for `Store.index_held`: a temporary table (on disk past SQLite's cache), so
holding them costs no memory however many pages an ingest expects to rewrite."""


@dataclass(frozen=True)
class RemovedDoc:
    """A deleted document as grouping and the people index knew it (its rows are gone)."""

    doc_id: str
    meeting_date: str | None
    window: tuple[str, str] | None
    event_id: str | None
    seen_on: str
    """Its meeting's date (or window start), '' when in none: when its officials were seen."""
    people: tuple[tuple[Any, ...], ...]
    """(name, office, country, role, in_roster, aliases, position) rows."""


@dataclass(frozen=True)
class StoredTexts:
    """A document's cleaning record and copy sketch, already as the JSON the store keeps (made in
    the ingest workers, so the single writer only writes)."""

    sketch: str
    bands: tuple[int, ...]
    """The sketch's LSH band keys (see sketches.band_keys), one `bands` row each."""
    lead: str
    """The body's first sentence: a meeting's summary when this document reports it best."""
    warnings: str
    removed: str
    credits: str

    @classmethod
    def of(
        cls,
        sketch: list[int],
        bands: list[int],
        lead: str,
        warnings: list[str],
        removed: list[Removed],
        credits: list[dict[str, str]],
    ) -> StoredTexts:
        return cls(
            json.dumps(sketch),
            tuple(bands),
            lead,
            json.dumps(warnings),
            json.dumps([[r.text, r.reason] for r in removed], ensure_ascii=False),
            json.dumps(credits, ensure_ascii=False),
        )


RECORD_FIELDS = (
    "doc_id",
    "path",
    "title",
    "body",
    "published",
    "meeting_date",
    "meeting_date_basis",
    "meeting_window",
    "outlet",
    "wire",
    "author",
    "participants",
    "mentioned",
    "format",
    "location",
    "event_id",
    "copy_of",
    "lang",
    "sha256",
)
"""What one document is, to a user: `show --json` and every export format carry these."""


def db_path(data_dir: Path) -> Path:
    return data_dir / "index" / "corpus.db"


WRITE_FAILURES = frozenset(
    getattr(sqlite3, name, -1) for name in ("SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC", "SQLITE_IOERR_TRUNCATE")
)
"""Extended codes of a write the disk refused: the transaction is lost, the file is not damaged."""


def explain(exc: sqlite3.Error, path: Path) -> IndexProblem:
    """Any error SQLite raises, as the one line a user can act on: a full disk, a busy or
    read-only index, else damage (whatever SQLite calls it), which a rebuild repairs."""
    extended = getattr(exc, "sqlite_errorcode", None) or 0
    code = extended & 0xFF
    if code == sqlite3.SQLITE_FULL:
        return IndexProblem(f"no space left on the disk holding {path.parent}; the index is as it was")
    if extended in WRITE_FAILURES:  # a file-size limit (ulimit -f), a quota, a failing disk
        return IndexProblem(
            f"could not write to {path.parent} ({exc}: disk full or a file-size limit?); the index is as it was"
        )
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return Busy(f"the index is busy (another ingest is running?): {exc}")
    if code == sqlite3.SQLITE_READONLY or not writable(path):
        return read_only(path)
    return Damaged(f"{path} is damaged or not an index ({exc}); {REBUILD_HINT}")


def writable(path: Path) -> bool:
    """Whether an ingest could write the index (its folder, and the file when there is one)."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:  # the folders an ingest would create
        folder = folder.parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def read_only(path: Path) -> ReadOnly:
    return ReadOnly(
        f"{path.parent} is read-only: searches work, but an ingest cannot change the index there "
        "(make the folder writable, or copy the data folder somewhere writable)"
    )


class Store:
    """An open corpus.db; use `open_store` (read) or `Store.writing()` (one transaction)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.put_rows: set[int] = set()
        """Rowids this connection wrote: the documents copy detection must place."""
        self.removed_bands: list[tuple[int, str, str]] = []
        """(band, published, doc_id) of each document deleted: the places whose neighbours may change."""
        self.target: str | Path = path
        """What `open` connected to (an immutable URI for a folder nobody may write)."""
        self.removed_docs: list[RemovedDoc] = []
        """What grouping knew of each document deleted: the meetings and officials it leaves."""
        self.held_fts: set[int] = set()
        """Rowids whose FTS5 row waits in `temp.held_fts` (see `put(hold_fts=True)`)."""

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, create: bool = False) -> Store:
        path = db_path(data_dir)
        if not path.exists() and not create:
            raise IndexProblem(f"no index at {path}: run `alliance ingest` first")
        if create and not writable(path):
            raise read_only(path)
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        # A folder nobody may write (a read-only mount, a shared copy): read it as an immutable file,
        # since SQLite could not even create the WAL index it reads through.
        target = path if create or writable(path) else f"{path.absolute().as_uri()}?mode=ro&immutable=1"
        try:
            conn = sqlite3.connect(
                target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, uri=isinstance(target, str)
            )
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls(conn, path)
            store.target = target
            store._check(create)
        except sqlite3.Error as exc:
            raise explain(exc, path) from exc
        return store

    def verify(self) -> None:
        """Raise Damaged unless SQLite's own checks find every page, and the FTS5 index, sound."""
        try:
            problems = [r[0] for r in self.conn.execute("PRAGMA quick_check(3)")]
            if problems == ["ok"]:  # the pages are sound: is the search index's structure?
                self.conn.execute("INSERT INTO fts(fts) VALUES ('integrity-check')")
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from exc
        if problems != ["ok"]:
            raise Damaged(f"{self.path} is damaged ({'; '.join(problems)}); {REBUILD_HINT}")

    def _check(self, create: bool) -> None:
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "settings" not in tables:
            if not create:
                raise IndexProblem(f"{self.path} is empty or not an alliance index; {REBUILD_HINT}")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.executescript(SCHEMA)
            self.conn.executemany(
                "INSERT OR REPLACE INTO settings VALUES (?, ?)",
                [("schema_version", str(SCHEMA_VERSION)), ("analyzer_version", ANALYZER_VERSION)],
            )
            return
        version = int(self.setting("schema_version") or 0)
        if version > SCHEMA_VERSION:
            raise IndexProblem(
                f"{self.path} was written by a newer alliance (schema {version}, this one reads "
                f"{SCHEMA_VERSION}); upgrade alliance or {REBUILD_HINT}"
            )
        if version == 3 and create:
            self._add_bands()
            self._add_columns()
            self._add_grouping()
            return
        if version < SCHEMA_VERSION:
            raise OldIndex(
                f"{self.path} is from an older alliance (schema {version}): run `alliance ingest` to rebuild it"
            )
        if create:  # an index written before the copy index existed gains it at its next ingest
            self.conn.execute(COPY_INDEX)
            self._add_columns()
            self._add_grouping()

    def _add_columns(self) -> None:
        """Columns added to `documents` since schema 4 was written, added in place (no rebuild):
        rows stored before stay NULL there until their file is ingested again."""
        have = {r[1] for r in self.conn.execute("PRAGMA table_info(documents)")}
        for column in ADDED_COLUMNS:
            if column not in have:
                self.conn.execute(f"ALTER TABLE documents ADD COLUMN {column} TEXT")

    def _add_grouping(self) -> None:
        """The regrouping indexes and the officials' running counts, for an index written before
        them. Its meetings stay readable as they are; the next ingest that changes something
        regroups them all once under today's rules (`regroup_pending`), which fills the counts."""
        if self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'people_state'").fetchone():
            return
        self.conn.execute("BEGIN IMMEDIATE")
        for statement in GROUPING_SCHEMA.split(";"):
            self.conn.execute(statement)
        self.conn.execute("INSERT OR REPLACE INTO settings VALUES ('regroup_pending', '1')")
        self.conn.execute("COMMIT")

    @property
    def regroup_pending(self) -> bool:
        """True until an upgraded index has been regrouped whole once (see _add_grouping)."""
        return self.setting("regroup_pending") == "1"

    def _add_bands(self) -> None:
        """Upgrade a version 3 index in place: the band table, filled from the stored sketches."""
        self.conn.execute("BEGIN IMMEDIATE")
        for statement in SCHEMA.split(";"):
            if "bands" in statement or "documents_copy_of" in statement:
                self.conn.execute(statement)
        rows = self.conn.execute(
            "SELECT d.id, coalesce(d.published, ?), d.doc_id, t.sketch FROM documents d JOIN texts t USING (id)",
            (UNDATED,),
        )
        self.conn.executemany(
            "INSERT INTO bands VALUES (?, ?, ?, ?)",
            ((band, pub, doc_id, rowid) for rowid, pub, doc_id, sk in rows for band in band_keys(json.loads(sk))),
        )
        self.conn.execute("INSERT OR REPLACE INTO settings VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        self.conn.execute("COMMIT")

    @property
    def data_dir(self) -> Path:
        """The folder holding raw/ and index/ (for the user's officials.csv and outlets.csv)."""
        return self.path.parent.parent

    def close(self) -> None:
        self.conn.close()

    def reader(self) -> sqlite3.Connection:
        """A second connection to the index, opened as this one was, for a query run beside this
        connection's (in another thread: search counts while it ranks)."""
        return sqlite3.connect(self.target, timeout=BUSY_TIMEOUT_MS / 1000, uri=isinstance(self.target, str))

    def setting(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @property
    def analyzer_current(self) -> bool:
        return self.setting("analyzer_version") == ANALYZER_VERSION

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """One write transaction; rolled back on any error or Ctrl-C. SQLite errors (a full disk,
        damage) come out as one IndexProblem line; a Ctrl-C after COMMIT as `Committed`."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from exc
        committing = False
        try:
            yield self
            self.conn.execute(
                "INSERT OR REPLACE INTO settings VALUES ('analyzer_version', ?)",
                (ANALYZER_VERSION,),
            )
            committing = True
            self.conn.execute("COMMIT")
        except BaseException as exc:
            committed = committing and not self.conn.in_transaction and not isinstance(exc, sqlite3.Error)
            self._rollback()
            if isinstance(exc, sqlite3.Error):
                raise explain(exc, self.path) from exc
            if isinstance(exc, KeyboardInterrupt) and committed and not isinstance(exc, Committed):
                raise Committed() from exc
            raise

    def _rollback(self) -> None:
        """Roll back what is left: SQLite has already rolled back after some errors (a full disk),
        and a damaged file may refuse even this, which must not hide the first error."""
        if self.conn.in_transaction:
            with suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    # -- documents -----------------------------------------------------------------------
    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    def has_documents(self) -> bool:
        """Whether anything is indexed: one row read, where count() walks all 100k."""
        return self.conn.execute("SELECT EXISTS (SELECT 1 FROM documents)").fetchone()[0] == 1

    def tuples(self, sql: str, parameters: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        """The rows of a query as plain tuples, for reads of many rows: 100,000 sqlite3.Row
        objects cost more than the query that fills them."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        return cursor.execute(sql, parameters)

    def fingerprints(self) -> dict[str, Fingerprint]:
        """doc_id -> Fingerprint for deciding what an ingest must redo."""
        return {r[0]: r[1:] for r in self.tuples("SELECT doc_id, size, mtime, id, path FROM documents")}

    def delete(self, rowid: int) -> None:
        row = self.conn.execute(
            "SELECT d.title, t.body FROM documents d JOIN texts t USING (id) WHERE d.id = ?", (rowid,)
        ).fetchone()
        if row is None:
            return
        if rowid in self.put_rows:  # written earlier in this run (a second cleaning): not part of the old index
            self.put_rows.discard(rowid)
        else:
            self.removed_bands.extend(
                tuple(r)
                for r in self.conn.execute("SELECT band, published, doc_id FROM bands WHERE document = ?", (rowid,))
            )
            self.removed_docs.append(self._removed(rowid))
        if rowid in self.held_fts:  # never indexed: no FTS5 'delete', which needs the analysed text again
            self.held_fts.discard(rowid)
            self.conn.execute("DELETE FROM temp.held_fts WHERE rowid = ?", (rowid,))
        else:
            values = fts_values(row["title"], row["body"])
            self.conn.execute(
                f"INSERT INTO fts(fts, rowid, {', '.join(FTS_COLUMNS)}) VALUES ('delete', ?, ?, ?, ?, ?)",
                (rowid, *values),
            )
        self.conn.execute("DELETE FROM documents WHERE id = ?", (rowid,))

    def _removed(self, rowid: int) -> RemovedDoc:
        doc = self.conn.execute(
            "SELECT d.doc_id, d.meeting_date, d.window_start, d.window_end, d.event_id, "
            "coalesce(m.date, m.window_start, '') "
            "FROM documents d LEFT JOIN meetings m USING (event_id) WHERE d.id = ?",
            (rowid,),
        ).fetchone()
        people = self.conn.execute(
            "SELECT name, office, country, role, in_roster, aliases, position FROM people WHERE document = ?", (rowid,)
        ).fetchall()
        window = (doc[2], doc[3]) if doc[2] else None
        return RemovedDoc(doc[0], doc[1], window, doc[4], doc[5], tuple(tuple(p) for p in people))

    def put(
        self,
        article: Article,
        *,
        sha256: str,
        size: int,
        mtime: float,
        encoding: str,
        kind: str,
        texts: StoredTexts,
        fts: tuple[str, str, str, str],
        hold_fts: bool = False,
    ) -> int:
        """Insert or replace one document, its people and its index row. With hold_fts the index
        row waits in a temporary table until `index_held` (or is dropped with the document): an
        ingest holds the rows of pages it expects to write again, since an FTS5 'delete' on this
        contentless table must be given the analysed text to remove (about half a millisecond)."""
        old = self.conn.execute("SELECT id FROM documents WHERE doc_id = ?", (article.doc_id,)).fetchone()
        if old:
            self.delete(old[0])
        window = article.meeting_window or (None, None)
        cur = self.conn.execute(
            """INSERT INTO documents (doc_id, path, sha256, size, mtime, encoding, kind, title, published,
               meeting_date, meeting_date_basis, window_start, window_end, outlet, wire, author, format,
               location, lang, published_basis)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                article.doc_id,
                article.path,
                sha256,
                size,
                mtime,
                encoding,
                kind,
                article.title,
                article.published,
                article.meeting_date,
                article.meeting_date_basis,
                window[0],
                window[1],
                article.outlet,
                article.wire,
                article.author,
                article.format,
                article.location,
                article.lang,
                article.published_basis,
            ),
        )
        rowid = int(cur.lastrowid or 0)
        self.conn.execute(
            "INSERT INTO texts (id, sketch, lead, warnings, body, removed, credits) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (rowid, texts.sketch, texts.lead, texts.warnings, article.body, texts.removed, texts.credits),
        )
        self.conn.executemany(
            "INSERT INTO bands VALUES (?, ?, ?, ?)",
            [(band, article.published or UNDATED, article.doc_id, rowid) for band in texts.bands],
        )
        self.put_rows.add(rowid)
        people = [("participant", p) for p in article.participants] + [("mentioned", p) for p in article.mentioned]
        self.conn.executemany(
            "INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    rowid,
                    p.name,
                    p.office,
                    p.country,
                    role,
                    int(p.in_roster),
                    json.dumps(list(p.aliases_seen), ensure_ascii=False),
                    i,
                )
                for i, (role, p) in enumerate(people)
            ],
        )
        if hold_fts:
            if not self.held_fts:
                self.conn.execute(HELD_FTS)
            self.held_fts.add(rowid)
        self.conn.execute(
            f"INSERT INTO {'temp.held_fts' if hold_fts else 'fts'}(rowid, {', '.join(FTS_COLUMNS)}) "
            "VALUES (?, ?, ?, ?, ?)",
            (rowid, *fts),
        )
        return rowid

    def index_held(self) -> None:
        """Give FTS5 the index rows `put(hold_fts=True)` held (those of documents still there)."""
        if not self.held_fts:
            return
        columns = ", ".join(FTS_COLUMNS)
        held = f"SELECT rowid, {columns} FROM temp.held_fts ORDER BY rowid"
        self.conn.execute(f"INSERT INTO fts(rowid, {columns}) {held}")
        self.conn.execute("DROP TABLE temp.held_fts")
        self.held_fts.clear()

    def clear(self) -> None:
        """Drop every document and the index (inside a write transaction)."""
        self.conn.execute("DELETE FROM people")
        self.conn.execute("DELETE FROM bands")
        self.conn.execute("DELETE FROM texts")
        self.conn.execute("DELETE FROM documents")
        self.conn.execute("DELETE FROM templates")
        self.conn.execute("DELETE FROM meetings")
        self.conn.execute("DELETE FROM people_index")
        self.conn.execute("DELETE FROM people_state")
        self.conn.execute("DROP TABLE IF EXISTS fts")  # not executescript: it would commit midway
        self.conn.execute(
            f"CREATE VIRTUAL TABLE fts USING fts5({', '.join(FTS_COLUMNS)}, content='', "
            "tokenize='unicode61 remove_diacritics 0')"
        )

    def size_fts_buffer(self) -> None:
        """Let FTS5 gather FTS_HASH_BYTES of new index data in memory (inside a write transaction:
        the setting is stored with the index). A SQLite that no longer knows it keeps its own."""
        with suppress(sqlite3.Error):
            self.conn.execute("INSERT INTO fts(fts, rank) VALUES ('hashsize', ?)", (FTS_HASH_BYTES,))

    @contextmanager
    def band_order_built_after(self, bulk: bool) -> Iterator[None]:
        """With bulk (an ingest writing much of the corpus), the band index is dropped for the writes
        and built again from the table afterwards (see BAND_ORDER); an error rolls both back."""
        if bulk:
            self.conn.execute("DROP INDEX IF EXISTS bands_order")
        yield
        if bulk:
            self.conn.execute(BAND_ORDER)

    def templates(self) -> frozenset[int]:
        """Fingerprints of the site-template lines found so far (see clean.line_print)."""
        return frozenset(int(r[0]) for r in self.conn.execute("SELECT key FROM templates"))

    def set_templates(self, keys: frozenset[int]) -> None:
        self.conn.execute("DELETE FROM templates")
        self.conn.executemany("INSERT INTO templates VALUES (?)", [(str(k),) for k in sorted(keys)])

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """Everything stored about one document: metadata, texts and people."""
        row = self.conn.execute(
            "SELECT * FROM documents d JOIN texts t USING (id) WHERE d.doc_id = ?", (doc_id,)
        ).fetchone()
        return self._with_people(dict(row)) if row else None

    def _with_people(self, doc: dict[str, Any]) -> dict[str, Any]:
        people = self.conn.execute(
            "SELECT name, office, country, role, in_roster, aliases FROM people WHERE document = ? ORDER BY position",
            (doc["id"],),
        ).fetchall()
        for role in ("participant", "mentioned"):
            doc[f"{role}s" if role == "participant" else role] = [
                {"name": p["name"], "office": p["office"], "country": p["country"]} for p in people if p["role"] == role
            ]
        doc["people_rows"] = [dict(p) for p in people]
        return doc
