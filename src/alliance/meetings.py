"""Articles -> meetings: reports of the same call by several outlets become one meeting, and
syndicated copies of one story are flagged as such.

Grouping runs at the end of every ingest that changed something, over the whole store (it is
cheap: it reads only participants, dates and sketches, in memory), so adding one article can
join it to an existing meeting; it then writes only the rows that changed, and the meeting and
people records the query commands read as rows.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .roster import Roster, load_roster
from .store import UNDATED, Store
from .when import effective_date, sort_key

SKETCH_BINS = 24
BAND_ROWS = 2
"""Sketch bins compared as LSH bands of this many: two bodies become copy candidates only
when a whole band agrees, so the common 5-grams of news prose do not make every pair a candidate."""
BAND_DOCS_MAX = 16
"""A band shared by this many documents is common prose, not evidence of a copied story:
later documents compare only with its first holder (where an original would be)."""
SHINGLE_WORDS = 5
COPY_SIMILARITY = 0.5
"""Estimated shingle Jaccard above which two bodies are copies of one story."""
SAME_DAY_TOLERANCE = 1
EMPTY_BIN = -1
NO_SKETCH = "'[]'"
_WORD = re.compile(r"\w+")


def sketch(body: str) -> list[int]:
    """One-permutation MinHash of the body's word 5-gram shingles: the CRC32 space cut into
    SKETCH_BINS bins, the smallest hash in each (EMPTY_BIN when none). One pass, stable across runs,
    and aligned bin by bin across documents, which LSH banding needs."""
    words = _WORD.findall(body.lower())
    bins = [EMPTY_BIN] * SKETCH_BINS
    for i in range(max(0, len(words) - SHINGLE_WORDS + 1) or (1 if words else 0)):
        h = zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode())
        b, value = h % SKETCH_BINS, h // SKETCH_BINS
        if bins[b] == EMPTY_BIN or value < bins[b]:
            bins[b] = value
    return bins


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity: agreeing bins among those either document fills."""
    if len(a) != len(b):
        return 0.0
    same = filled = 0
    for x, y in zip(a, b, strict=True):
        if x != EMPTY_BIN or y != EMPTY_BIN:
            filled += 1
            same += x == y
    return same / filled if filled else 0.0


def _bands(bins: list[int]) -> list[tuple[int, ...]]:
    return [
        (i, *bins[i : i + BAND_ROWS])
        for i in range(0, len(bins), BAND_ROWS)
        if any(v != EMPTY_BIN for v in bins[i : i + BAND_ROWS])
    ]


BIN_BITS = 28
"""A bin value is below 2**32 / SKETCH_BINS < 2**28, so a band's position and values pack into one integer."""


def band_keys(bins: list[int]) -> list[int]:
    """The sketch's bands as the integers the store's `bands` table indexes: one-to-one with
    `_bands`, so a stored lookup finds exactly the candidates the in-memory banding would."""
    mask = (1 << BIN_BITS) - 1
    keys = []
    for band in _bands(bins):
        key = band[0]
        for value in band[1:]:
            key = (key << BIN_BITS) | (value & mask)
        keys.append(key)
    return keys


@dataclass
class _Doc:
    rowid: int
    doc_id: str
    date: date | None
    window: tuple[date, date] | None
    format: str | None
    location: str | None
    participants: frozenset[str]
    sketch: list[int]
    basis: str | None
    published: str | None
    lead: str = ""
    event_id: str | None = None
    copy_of: str | None = None


@dataclass(eq=False)
class _Group:
    docs: list[_Doc] = field(default_factory=list)
    participants: set[str] = field(default_factory=set)
    day_counts: dict[date, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, doc: _Doc) -> None:
        self.docs.append(doc)
        self.participants |= doc.participants
        if doc.date:
            self.day_counts[doc.date] += 1

    @property
    def date(self) -> date | None:
        """The day most of its dated articles give (the earlier one on a tie)."""
        if not self.day_counts:
            return None
        return max(self.day_counts, key=lambda day: (self.day_counts[day], -day.toordinal()))


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _load(store: Store, sketches: bool = True) -> list[_Doc]:
    """Every document as grouping sees it; without sketches when copies are already placed."""
    import json

    rows = store.conn.execute(
        "SELECT id, doc_id, meeting_date, meeting_date_basis, window_start, window_end, format, location, "
        f"{'sketch' if sketches else NO_SKETCH}, published, lead, event_id, copy_of "
        "FROM documents d JOIN texts t USING (id)"
    ).fetchall()
    people: dict[int, set[str]] = defaultdict(set)
    for doc, name in store.conn.execute("SELECT document, name FROM people WHERE role = 'participant'"):
        people[doc].add(name)
    docs = []
    for r in rows:
        window = (_day(r["window_start"]), _day(r["window_end"])) if r["window_start"] else None
        docs.append(
            _Doc(
                r["id"],
                r["doc_id"],
                _day(r["meeting_date"]),
                window,
                r["format"],
                r["location"],  # type: ignore[arg-type]
                frozenset(people.get(r["id"], set())),
                json.loads(r[8]),
                r["meeting_date_basis"],
                r["published"],
                r["lead"],
                r["event_id"],
                r["copy_of"],
            )
        )
    return docs


def _holders(docs: list[_Doc]) -> list[_Doc]:
    """A band's documents to compare with: all of them, or only the first (where an original
    is) once the band is common prose shared by BAND_DOCS_MAX documents."""
    return docs[:1] if len(docs) >= BAND_DOCS_MAX else docs


def _copies(docs: list[_Doc]) -> dict[int, int]:
    """rowid -> rowid of the earliest published document (then by doc_id) it is a near-duplicate of."""
    by_band: dict[tuple[int, ...], list[_Doc]] = defaultdict(list)
    copy_of: dict[int, int] = {}
    for doc in sorted(docs, key=lambda d: (d.published or "9999", d.doc_id)):
        bands = _bands(doc.sketch)
        candidates = {other.rowid: other for band in bands for other in _holders(by_band.get(band, []))}
        for other in sorted(candidates.values(), key=lambda d: (d.published or "9999", d.doc_id)):
            if similarity(doc.sketch, other.sketch) >= COPY_SIMILARITY:
                copy_of[doc.rowid] = copy_of.get(other.rowid, other.rowid)
                break
        for band in bands:
            if len(by_band[band]) < BAND_DOCS_MAX:
                by_band[band].append(doc)
    return copy_of


def _holder_rows(store: Store, band: int, published: str, doc_id: str) -> list[int]:
    """The stored documents a document at this place in the band's reading order compares with
    (what `_copies` keeps in `by_band` for it, cut by `_holders`)."""
    rows = store.conn.execute(
        "SELECT document FROM bands WHERE band = ? AND (published, doc_id) < (?, ?) ORDER BY published, doc_id LIMIT ?",
        (band, published, doc_id, BAND_DOCS_MAX),
    ).fetchall()
    return [r[0] for r in rows[:1]] if len(rows) >= BAND_DOCS_MAX else [r[0] for r in rows]


def _compared_after(store: Store, band: int, published: str, doc_id: str) -> list[tuple[str, str, int]]:
    """Later documents of the band that compare with this place: the next ones up to
    BAND_DOCS_MAX, or every later one when it is the band's first (see `_holders`)."""
    rank = store.conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM bands WHERE band = ? AND (published, doc_id) < (?, ?) LIMIT ?)",
        (band, published, doc_id, BAND_DOCS_MAX),
    ).fetchone()[0]
    if rank >= BAND_DOCS_MAX:
        return []
    return store.conn.execute(
        "SELECT published, doc_id, document FROM bands WHERE band = ? AND (published, doc_id) > (?, ?) "
        "ORDER BY published, doc_id LIMIT ?",
        (band, published, doc_id, -1 if rank == 0 else BAND_DOCS_MAX + 1 - rank),
    ).fetchall()


def _recompute(store: Store, rowid: int, published: str, doc_id: str) -> tuple[str | None, str | None, list[int]]:
    """One document placed by the full rule against the stored bands: (stored copy_of, the
    copy_of the rule gives, its band keys)."""
    import json

    conn = store.conn
    row = conn.execute(
        "SELECT d.copy_of, t.sketch FROM documents d JOIN texts t USING (id) WHERE d.id = ?", (rowid,)
    ).fetchone()
    bins = json.loads(row[1])
    keys = band_keys(bins)
    holders = sorted({r for key in keys for r in _holder_rows(store, key, published, doc_id)})
    candidates = conn.execute(
        f"SELECT coalesce(d.published, ?), d.doc_id, d.copy_of, t.sketch FROM documents d JOIN texts t "
        f"USING (id) WHERE d.id IN ({', '.join('?' * len(holders))}) ORDER BY 1, 2",
        (UNDATED, *holders),
    ).fetchall()
    found = next((c[2] or c[1] for c in candidates if similarity(bins, json.loads(c[3])) >= COPY_SIMILARITY), None)
    return row[0], found, keys


def _band_gains(store: Store, new: set[int]) -> set[int]:
    """Stored documents whose copy may change because new documents entered their bands.

    In a band, a document compares with its earlier neighbours while fewer than BAND_DOCS_MAX
    precede it, else with the band's first document only (`_holders`). New documents change
    that set only for a document among the first BAND_DOCS_MAX + k after the earliest new one
    (k new in the band), or for every later one when a new document is now the band's first.
    The set changes by gaining new documents and losing old ones. A gain matters only when
    the document is similar to the new one, and a loss only when it held a copy_of. Any other
    document keeps its answer, so it is not redone."""
    import json

    conn = store.conn
    marks = ", ".join("?" * len(new))
    by_band: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for band, published, doc_id, rowid in conn.execute(
        f"SELECT band, published, doc_id, document FROM bands WHERE document IN ({marks})", tuple(new)
    ):
        by_band[band].append((published, doc_id, rowid))
    sketches: dict[int, tuple[list[int], bool]] = {}

    def known(rowids: list[int]) -> None:
        missing = [r for r in rowids if r not in sketches]
        for start in range(0, len(missing), 500):
            part = missing[start : start + 500]
            for rowid, copy_of, sk in conn.execute(
                f"SELECT d.id, d.copy_of, t.sketch FROM documents d JOIN texts t USING (id) "
                f"WHERE d.id IN ({', '.join('?' * len(part))})",
                part,
            ):
                sketches[rowid] = (json.loads(sk), copy_of is not None)

    dirty: set[int] = set()
    for band, arrivals in by_band.items():
        prefix = conn.execute(
            "SELECT published, doc_id, document FROM bands WHERE band = ? ORDER BY published, doc_id LIMIT ?",
            (band, BAND_DOCS_MAX + 1 + len(arrivals)),
        ).fetchall()
        first_new = next((i for i, r in enumerate(prefix) if r[2] in new), None)
        if first_new is None:
            continue
        later = prefix[first_new + 1 :]
        if first_new == 0 and len(prefix) == BAND_DOCS_MAX + 1 + len(arrivals):
            later = conn.execute(
                "SELECT published, doc_id, document FROM bands WHERE band = ? AND (published, doc_id) > (?, ?) "
                "ORDER BY published, doc_id",
                (band, *prefix[0][:2]),
            ).fetchall()
        others = [tuple(r) for r in later if r[2] not in new and r[2] not in dirty]
        if not others:
            continue
        known([r[2] for r in others] + [a[2] for a in arrivals])
        for published, doc_id, rowid in others:
            bins, holds_copy = sketches[rowid]
            if holds_copy or any(
                (a[0], a[1]) < (published, doc_id) and similarity(bins, sketches[a[2]][0]) >= COPY_SIMILARITY
                for a in arrivals
            ):
                dirty.add(rowid)
    return dirty


def place_copies(store: Store) -> set[int]:
    """Bring `copy_of` up to date after an ingest wrote `store.put_rows` and deleted documents
    at `store.removed_bands`, reading only their band neighbours from the stored band table:
    the same answer as `_copies` over the whole corpus. Redone: the new documents; the stored
    ones a new document can change (`_band_gains`); every document that compared with a
    deleted one (unless the same document came back at the same place in that band); and,
    in reading order, the copies of any story whose original changed. Returns the rowids whose
    copy_of changed."""
    import heapq

    conn = store.conn
    new = {
        r[0]
        for r in conn.execute(
            f"SELECT id FROM documents WHERE id IN ({', '.join('?' * len(store.put_rows))})", tuple(store.put_rows)
        )
    }
    queue: list[tuple[str, str, int]] = []
    queued: set[int] = set()

    def push(published: str, doc_id: str, rowid: int) -> None:
        if rowid not in queued:
            queued.add(rowid)
            heapq.heappush(queue, (published, doc_id, rowid))

    back = {
        tuple(r)
        for r in conn.execute(
            f"SELECT band, published, doc_id FROM bands WHERE document IN ({', '.join('?' * len(new))})", tuple(new)
        )
    }
    for band, published, doc_id in store.removed_bands:
        if (band, published, doc_id) not in back:
            for place in _compared_after(store, band, published, doc_id):
                push(*place)
    for rowid, published, doc_id in conn.execute(
        f"SELECT id, coalesce(published, ?), doc_id FROM documents WHERE id IN ({', '.join('?' * len(new))})",
        (UNDATED, *new),
    ):
        push(published, doc_id, rowid)
    dirty = _band_gains(store, new) if new else set()
    for rowid, published, doc_id in conn.execute(
        f"SELECT id, coalesce(published, ?), doc_id FROM documents WHERE id IN ({', '.join('?' * len(dirty))})",
        (UNDATED, *dirty),
    ):
        push(published, doc_id, rowid)
    changed: set[int] = set()
    while queue:
        published, doc_id, rowid = heapq.heappop(queue)
        if conn.execute("SELECT 1 FROM documents WHERE id = ?", (rowid,)).fetchone() is None:
            continue
        stored, found, _ = _recompute(store, rowid, published, doc_id)
        if found == stored:
            continue
        conn.execute("UPDATE documents SET copy_of = ? WHERE id = ?", (found, rowid))
        changed.add(rowid)
        if rowid in new:
            continue  # nothing stored held it as an original yet; its new neighbours were checked above
        for later in conn.execute(
            "SELECT coalesce(published, ?), doc_id, id FROM documents WHERE copy_of = ? "
            "AND (coalesce(published, ?), doc_id) > (?, ?)",
            (UNDATED, stored or doc_id, UNDATED, published, doc_id),
        ).fetchall():
            push(*later)
    store.put_rows.clear()
    store.removed_bands.clear()
    return changed | new


def _compatible(doc: _Doc, group: _Group) -> bool:
    if len(doc.participants & group.participants) < 2:
        return False
    day = group.date
    if doc.date and day:
        return abs((doc.date - day).days) <= SAME_DAY_TOLERANCE
    if doc.window and day:
        formats = {d.format for d in group.docs} - {None}
        places = {d.location for d in group.docs} - {None}
        agree = doc.format in formats and (doc.location in places or (not places and doc.location is None))
        return doc.window[0] <= day <= doc.window[1] and agree
    return False


def event_id(day: date | None, window: tuple[date, date] | None, participants: set[str], roster: Roster) -> str:
    """Stable and readable: the date (or window) and the participants' family names."""
    names = sorted((o.surname if (o := roster.get(name)) else name.split()[-1]).lower() for name in participants)
    when = day.isoformat() if day else (f"{window[0]}~{window[1]}" if window else "undated")
    return f"{when}-{'-'.join(names)}"


def _pairs(names: frozenset[str] | set[str]) -> list[tuple[str, str]]:
    ordered = sorted(names)
    return [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]]


def _group(docs: list[_Doc], copy_of: dict[int, int]) -> list[_Group]:
    """Dated articles in date order, then window-only ones: each joins the group that holds the
    story it copies, else a compatible group sharing two participants, else starts one. Groups
    are indexed by participant pair and day, so each article looks at a handful of them."""
    groups: list[_Group] = []
    group_of: dict[int, _Group] = {}
    by_pair_day: dict[tuple[str, str, date | None], list[_Group]] = defaultdict(list)
    meeting_docs = [d for d in docs if len(d.participants) >= 2]
    for doc in sorted(meeting_docs, key=lambda d: (d.date is None, d.date or date.min, d.doc_id)):
        target = group_of.get(copy_of.get(doc.rowid, -1))
        if target is None:
            days = (
                [doc.date + timedelta(days=k) for k in range(-SAME_DAY_TOLERANCE, SAME_DAY_TOLERANCE + 1)]
                if doc.date
                else [None]
            )
            candidates = {id(g): g for p in _pairs(doc.participants) for day in days for g in by_pair_day[(*p, day)]}
            target = next((g for g in candidates.values() if _compatible(doc, g)), None)
        if target is None:
            target = _Group()
            groups.append(target)
        target.add(doc)
        group_of[doc.rowid] = target
        for pair in _pairs(target.participants):
            for key in ((*pair, doc.date), (*pair, None)):
                if target not in by_pair_day[key]:
                    by_pair_day[key].append(target)
    return groups


def group_meetings(store: Store, incremental: bool = False) -> None:
    """Recompute meetings and copies (inside the caller's transaction), then write what the
    `meetings`, `people` and `show` commands read: only rows that changed are written, so a
    small ingest into a large corpus rewrites a handful of rows, not the corpus. Incremental,
    copies are placed from the stored bands (`place_copies`); else banded anew in memory."""
    roster = load_roster(store.data_dir)
    if incremental:
        place_copies(store)
    else:
        store.put_rows.clear()
        store.removed_bands.clear()
    docs = _load(store, sketches=not incremental)
    by_row = {d.rowid: d for d in docs}
    if incremental:
        row_of = {d.doc_id: d.rowid for d in docs}
        copy_of = {d.rowid: row_of[d.copy_of] for d in docs if d.copy_of in row_of}
    else:
        copy_of = _copies(docs)
    groups = _group(docs, copy_of)
    meetings: dict[str, tuple[Any, ...]] = {}
    event_of: dict[int, str] = {}
    taken: set[str] = set()
    for group in groups:
        day = group.date
        windows = [d.window for d in group.docs if d.window]
        window = (day, day) if day else (max(w[0] for w in windows), min(w[1] for w in windows)) if windows else None
        if window and window[0] > window[1]:
            window = windows[0]
        eid = event_id(day, window, group.participants, roster)
        base, n = eid, 2
        while eid in taken:
            eid, n = f"{base}-{n}", n + 1
        taken.add(eid)
        best = next((d for d in group.docs if d.date == day), group.docs[0])
        formats = [d.format for d in group.docs if d.format]
        places = [d.location for d in group.docs if d.location]
        meetings[eid] = (
            day.isoformat() if day else None,
            best.basis,
            window[0].isoformat() if window else None,
            window[1].isoformat() if window else None,
            max(set(formats), key=formats.count) if formats else None,
            max(set(places), key=places.count) if places else None,
            best.lead,
        )
        event_of.update((d.rowid, eid) for d in group.docs)
    changed = [
        (event_of.get(d.rowid), by_row[copy_of[d.rowid]].doc_id if d.rowid in copy_of else None, d.rowid)
        for d in docs
        if (event_of.get(d.rowid), by_row[copy_of[d.rowid]].doc_id if d.rowid in copy_of else None)
        != (d.event_id, d.copy_of)
    ]
    store.conn.executemany("UPDATE documents SET event_id = ?, copy_of = ? WHERE id = ?", changed)
    store.conn.execute("INSERT OR REPLACE INTO settings VALUES ('copies', ?)", (str(len(copy_of)),))
    _write_meetings(store, meetings)
    _write_people(store, roster)


def _write_meetings(store: Store, meetings: dict[str, tuple[Any, ...]]) -> None:
    """Meeting rows with their whole record (participants, documents, copies, outlets) as JSON;
    unchanged rows are left alone."""
    import json

    people: dict[str, dict[str, dict[str, Any]]] = {eid: {} for eid in meetings}
    docs: dict[str, list[Any]] = {eid: [] for eid in meetings}
    for doc in store.conn.execute(
        "SELECT doc_id, outlet, copy_of, event_id FROM documents WHERE event_id IS NOT NULL ORDER BY doc_id"
    ):
        if doc[3] in docs:
            docs[doc[3]].append(doc)
    for eid, name, office, country in store.conn.execute(
        "SELECT d.event_id, p.name, p.office, p.country FROM people p JOIN documents d ON d.id = p.document "
        "WHERE p.role = 'participant' AND d.event_id IS NOT NULL ORDER BY d.doc_id, p.position"
    ):
        if eid in people:
            people[eid].setdefault(name, {"name": name, "office": office, "country": country})
    old = {r[0]: tuple(r[1:]) for r in store.conn.execute("SELECT * FROM meetings")}
    rows = []
    for eid, values in meetings.items():
        found = docs[eid]
        record = {
            "participants": list(people[eid].values()),
            "documents": [d[0] for d in found],
            "copies": {d[0]: d[2] for d in found if d[2]},
            "outlets": sorted({d[1] for d in found if d[1]}),
        }
        row = (*values, json.dumps(record, ensure_ascii=False))
        if old.get(eid) != row:
            rows.append((eid, *row))
    gone = [(eid,) for eid in old if eid not in meetings]
    store.conn.executemany("DELETE FROM meetings WHERE event_id = ?", gone)
    store.conn.executemany("INSERT OR REPLACE INTO meetings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def lead_sentence(body: str) -> str:
    """The first sentence of a body: a meeting's one-line summary (made once, at ingest)."""
    from .parse.people import sentences

    lead = body.split("\n\n")[0]
    found = sentences(lead)
    return found[0] if found else lead[:300]


def list_meetings(store: Store) -> list[dict[str, Any]]:
    """Every meeting with its participants (offices as first reported), documents and outlets,
    as the ingest wrote them: one query, no grouping."""
    import json

    meetings = []
    for row in store.conn.execute("SELECT * FROM meetings"):
        meeting = {k: row[k] for k in ("event_id", "date", "basis", "format", "location", "summary")}
        meeting |= json.loads(row["record"])
        meeting["window"] = [row["window_start"], row["window_end"]] if row["window_start"] else None
        meetings.append(meeting)
    return sorted(meetings, key=lambda m: (m["date"] or (m["window"] or ["9999"])[0], m["event_id"]))


def get_meeting(store: Store, event_id: str) -> dict[str, Any] | None:
    """One meeting by its id, read from its row."""
    import json

    row = store.conn.execute("SELECT * FROM meetings WHERE event_id = ?", (event_id,)).fetchone()
    if row is None:
        return None
    meeting = {k: row[k] for k in ("event_id", "date", "basis", "format", "location", "summary")}
    meeting |= json.loads(row["record"])
    meeting["window"] = [row["window_start"], row["window_end"]] if row["window_start"] else None
    return meeting


def find_meetings(
    store: Store,
    minister: str | None = None,
    with_: str | None = None,
    since: date | None = None,
    until: date | None = None,
    fmt: str | None = None,
) -> list[dict[str, Any]]:
    """Meetings in date order, filtered by canonical participant names, dates and format.
    An undated meeting matches a date range only when its whole window lies inside it."""
    out = []
    for meeting in list_meetings(store):
        names = {p["name"] for p in meeting["participants"]}
        if (minister and minister not in names) or (with_ and with_ not in names):
            continue
        if fmt and meeting["format"] != fmt:
            continue
        first, last = (meeting["date"], meeting["date"]) if meeting["date"] else (meeting["window"] or [None, None])
        if since and (first is None or first < since.isoformat()):
            continue
        if until and (last is None or last > until.isoformat()):
            continue
        out.append(meeting)
    return out


def _people_records(store: Store, roster: Roster) -> list[dict[str, Any]]:
    """Every official seen in the corpus, with offices, counts, first/last meeting and aliases seen."""
    import json

    rows = store.conn.execute(
        "SELECT p.name, p.office, p.country, p.role, p.in_roster, p.aliases, d.doc_id, d.event_id, "
        "m.date, m.window_start, m.window_end FROM people p JOIN documents d ON d.id = p.document "
        "LEFT JOIN meetings m ON m.event_id = d.event_id"
    ).fetchall()
    people: dict[str, dict[str, Any]] = {}
    for r in rows:
        person = people.setdefault(
            r["name"],
            {
                "name": r["name"],
                "country": r["country"],
                "in_roster": bool(r["in_roster"]),
                "offices": [],
                "articles": set(),
                "meetings": set(),
                "meeting_dates": [],
                "aliases_seen": set(),
            },
        )
        person["articles"].add(r["doc_id"])
        person["aliases_seen"].update(json.loads(r["aliases"]))
        seen_on = r["date"] or r["window_start"] or ""
        if r["office"] and seen_on >= person.get("_office_day", ""):
            person["office"], person["_office_day"] = r["office"], seen_on
        if r["role"] == "participant" and r["event_id"]:
            person["meetings"].add(r["event_id"])
            shown = effective_date(r["date"], None, r["window_start"], r["window_end"])
            if shown:
                person["meeting_dates"].append(shown)
        if not r["in_roster"] and r["office"] and r["office"] not in [o["office"] for o in person["offices"]]:
            person["offices"].append({"office": r["office"], "start": None, "end": None})
    for person in people.values():
        official = roster.get(person["name"])
        if official:
            person["offices"] = [
                {
                    "office": t.office,
                    "start": t.start.isoformat() if t.start else None,
                    "end": t.end.isoformat() if t.end else None,
                }
                for t in official.tenures
            ]
        person.pop("_office_day", None)
        person.setdefault("office", person["offices"][-1]["office"] if person["offices"] else None)
        dates = sorted(person.pop("meeting_dates"), key=sort_key)
        person["first_meeting"] = dates[0] if dates else None
        person["last_meeting"] = dates[-1] if dates else None
        person["articles"] = len(person["articles"])
        person["meetings"] = len(person["meetings"])
        person["aliases_seen"] = sorted(person["aliases_seen"])
    return sorted(people.values(), key=lambda p: (-p["meetings"], -p["articles"], p["name"]))


def _write_people(store: Store, roster: Roster) -> None:
    """The people index as rows in display order; rewritten only when it changed."""
    import json

    rows = [(i, p["name"], json.dumps(p, ensure_ascii=False)) for i, p in enumerate(_people_records(store, roster))]
    if rows != [tuple(r) for r in store.conn.execute("SELECT position, name, record FROM people_index ORDER BY 1")]:
        store.conn.execute("DELETE FROM people_index")
        store.conn.executemany("INSERT INTO people_index VALUES (?, ?, ?)", rows)


def people_index(store: Store) -> list[dict[str, Any]]:
    """Every official seen in the corpus, as the ingest wrote it (see _people_records)."""
    import json

    return [json.loads(r[0]) for r in store.conn.execute("SELECT record FROM people_index ORDER BY position")]
