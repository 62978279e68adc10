"""Articles -> meetings: reports of the same call by several outlets become one meeting, and
syndicated copies of one story are flagged as such.

Grouping runs at the end of every ingest that changed something, over the whole store (it is
cheap: it reads only participants, dates and sketches, in memory), so adding one article can
join it to an existing meeting; it then writes only the rows that changed, and the meeting and
people records the query commands read as rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .roster import Roster, load_roster
from .sketches import band_keys, first_similar, similar
from .store import UNDATED, RemovedDoc, Store
from .when import effective_date, sort_key

BAND_DOCS_MAX = 16
"""A band shared by this many documents is common prose, not evidence of a copied story:
later documents compare only with its first holder (where an original would be)."""
COPY_SIMILARITY = 0.5
"""Estimated shingle Jaccard above which two bodies are copies of one story."""
SAME_DAY_TOLERANCE = 1
NO_SKETCH = "'[]'"


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


def _chunks(ids: Iterable[int], size: int = 500) -> Iterator[list[int]]:
    """Rowids in slices small enough for one `IN (...)` list."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _load(store: Store, sketches: bool = True, rowids: Iterable[int] | None = None) -> list[_Doc]:
    """Documents as grouping sees them (every one, or those rowids); without sketches when copies
    are already placed."""
    import json

    select = (
        "SELECT id, doc_id, meeting_date, meeting_date_basis, window_start, window_end, format, location, "
        f"{'sketch' if sketches else NO_SKETCH}, published, event_id, copy_of "
        f"FROM documents d{' JOIN texts t USING (id)' if sketches else ''}"
    )
    people: dict[int, set[str]] = defaultdict(set)
    if rowids is None:
        rows = store.conn.execute(select).fetchall()
        for doc, name in store.conn.execute("SELECT document, name FROM people WHERE role = 'participant'"):
            people[doc].add(name)
    else:
        rows = []
        for part in _chunks(rowids):
            marks = ", ".join("?" * len(part))
            rows += store.conn.execute(f"{select} WHERE id IN ({marks})", part).fetchall()
            for doc, name in store.conn.execute(
                f"SELECT document, name FROM people WHERE role = 'participant' AND document IN ({marks})", part
            ):
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
                r["event_id"],
                r["copy_of"],
            )
        )
    return docs


def _copies(docs: list[_Doc]) -> dict[int, int]:
    """rowid -> rowid of the earliest published document (then by doc_id) it is a near-duplicate of.
    Documents are numbered in that order and each band keeps the numbers of the documents a later
    one compares with: all of them, or only the first (where an original is) once the band is
    common prose shared by BAND_DOCS_MAX documents. A document's candidates are then one set union
    and one sort of integers, and their sketches are compared in C (first_similar)."""
    ordered = sorted(docs, key=lambda d: (d.published or "9999", d.doc_id))
    sketch_of = [d.sketch for d in ordered].__getitem__
    compared: dict[int, list[int]] = {}
    common: set[int] = set()  # bands shared by BAND_DOCS_MAX documents: no more are added
    copy_of: dict[int, int] = {}
    for place, doc in enumerate(ordered):
        keys = band_keys(doc.sketch)
        candidates = sorted(set().union(*filter(None, map(compared.get, keys))))
        found = first_similar(doc.sketch, list(map(sketch_of, candidates)), COPY_SIMILARITY)
        if found is not None:
            original = ordered[candidates[found]].rowid
            copy_of[doc.rowid] = copy_of.get(original, original)
        for key in keys:
            if key in common:
                continue
            holders = compared.setdefault(key, [])
            holders.append(place)
            if len(holders) == BAND_DOCS_MAX:
                compared[key] = holders[:1]
                common.add(key)
    return copy_of


def _holder_rows(store: Store, band: int, published: str, doc_id: str) -> list[int]:
    """The stored documents a document at this place in the band's reading order compares with
    (what `_copies` keeps for the band)."""
    rows = store.conn.execute(
        "SELECT document FROM bands WHERE band = ? AND (published, doc_id) < (?, ?) ORDER BY published, doc_id LIMIT ?",
        (band, published, doc_id, BAND_DOCS_MAX),
    ).fetchall()
    return [r[0] for r in rows[:1]] if len(rows) >= BAND_DOCS_MAX else [r[0] for r in rows]


def _compared_after(store: Store, band: int, published: str, doc_id: str) -> list[tuple[str, str, int]]:
    """Later documents of the band that compare with this place: the next ones up to
    BAND_DOCS_MAX, or every later one when it is the band's first (see `_copies`)."""
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
    found = next((c[2] or c[1] for c in candidates if similar(bins, json.loads(c[3]), COPY_SIMILARITY)), None)
    return row[0], found, keys


def _band_gains(store: Store, new: set[int]) -> set[int]:
    """Stored documents whose copy may change because new documents entered their bands.

    In a band, a document compares with its earlier neighbours while fewer than BAND_DOCS_MAX
    precede it, else with the band's first document only (as `_copies` does). New documents change
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
                (a[0], a[1]) < (published, doc_id) and similar(bins, sketches[a[2]][0], COPY_SIMILARITY)
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
    """Bring copies, meetings and the people index up to date (inside the caller's transaction)
    and write what the `meetings`, `people` and `show` commands read.

    From scratch, copies are banded in memory and every document grouped. Incremental, copies
    are placed from the stored bands (`place_copies`) and only the meetings the change can
    reach are regrouped (`_cluster`); the people index is updated for the officials in them."""
    roster = load_roster(store.data_dir)
    if not incremental or store.regroup_pending:
        store.put_rows.clear()
        store.removed_bands.clear()
        store.removed_docs.clear()
        _group_all(store, roster)
        store.conn.execute("DELETE FROM settings WHERE key = 'regroup_pending'")
        return
    new = {r for part in _chunks(store.put_rows) for r in _existing(store, part)}
    removed = list(store.removed_docs)
    store.removed_docs.clear()
    copied = place_copies(store) - new
    cluster = _regroup_cluster(store, new, copied, removed)
    if cluster is None:  # the change reaches too far: regroup every article in memory, write the difference
        docs = _load(store, sketches=False)
        old_events = {d.event_id for d in docs if d.event_id} | {d.event_id for d in removed if d.event_id}
        groups = _group(docs, _copy_rows(docs))
    else:
        units, docs, groups = cluster
        while True:
            extra = _same_ids(store, _numbered(groups, roster), units)
            if not extra:
                break
            for unit in extra:  # meetings outside the cluster are closed groups: adding them changes nothing else
                units[unit.key] = unit
            docs += _load(store, sketches=False, rowids={r for u in extra for r in u.rowids})
            groups = _group(docs, _copy_rows(docs))
        old_events = {k for k in units if not k.startswith("+")}
    meetings = _numbered(groups, roster)
    dirty = new | copied
    touched = {d.event_id for d in removed if d.event_id}
    written, gone = _changed_meetings(docs, meetings, old_events, dirty, touched)
    old = _meeting_rows(store, sorted(written | gone))
    _write_groups(store, docs, {e: meetings[e] for e in written}, old_events & (written | gone))
    store.conn.execute(
        "INSERT OR REPLACE INTO settings VALUES ('copies', (SELECT count(*) FROM documents WHERE copy_of IS NOT NULL))"
    )
    regrouped = [d.rowid for e in written for d in meetings[e][1].docs]
    regrouped += [d.rowid for d in docs if d.event_id in gone]
    update_people(store, roster, old, _meeting_rows(store, sorted(written)), new, regrouped, removed)


def _changed_meetings(
    docs: list[_Doc],
    meetings: dict[str, tuple[tuple[Any, ...], _Group]],
    old_events: set[str],
    dirty: set[int],
    touched: set[str],
) -> tuple[set[str], set[str]]:
    """(meetings to write, stored meetings to delete): a meeting is left alone when it has the
    same id and the same articles as before and none of them is new or changed its copy_of."""
    members: dict[str, int] = defaultdict(int)
    for d in docs:
        if d.event_id:
            members[d.event_id] += 1
    written = {
        eid
        for eid, (_, group) in meetings.items()
        if eid not in old_events
        or eid in touched
        or members[eid] != len(group.docs)
        or any(d.event_id != eid or d.rowid in dirty for d in group.docs)
    }
    return written, old_events - set(meetings)


def _existing(store: Store, rowids: list[int]) -> set[int]:
    marks = ", ".join("?" * len(rowids))
    return {r[0] for r in store.conn.execute(f"SELECT id FROM documents WHERE id IN ({marks})", rowids)}


def _group_all(store: Store, roster: Roster) -> None:
    docs = _load(store)
    copy_of = _copies(docs)
    doc_id_of = {d.rowid: d.doc_id for d in docs}
    original = {d.rowid: doc_id_of[copy_of[d.rowid]] if d.rowid in copy_of else None for d in docs}
    changed = [(original[d.rowid], d.rowid) for d in docs if original[d.rowid] != d.copy_of]
    store.conn.executemany("UPDATE documents SET copy_of = ? WHERE id = ?", changed)
    store.conn.execute("INSERT OR REPLACE INTO settings VALUES ('copies', ?)", (str(len(copy_of)),))
    old = {r[0] for r in store.conn.execute("SELECT event_id FROM meetings")}
    _write_groups(store, docs, _numbered(_group(docs, copy_of), roster), old)
    fill_people_state(store, roster)


def _copy_rows(docs: list[_Doc]) -> dict[int, int]:
    """rowid -> rowid of the original, among these documents, from the stored copy_of."""
    row_of = {d.doc_id: d.rowid for d in docs}
    return {d.rowid: row_of[d.copy_of] for d in docs if d.copy_of in row_of}


def _numbered(groups: list[_Group], roster: Roster) -> dict[str, tuple[tuple[Any, ...], _Group]]:
    """Each group's meeting id and row values. Ids that would collide get -2, -3... in the order
    the groups were started (the order of their first article)."""
    meetings: dict[str, tuple[tuple[Any, ...], _Group]] = {}
    for group in groups:
        day = group.date
        windows = [d.window for d in group.docs if d.window]
        window = (day, day) if day else (max(w[0] for w in windows), min(w[1] for w in windows)) if windows else None
        if window and window[0] > window[1]:
            window = windows[0]
        eid = base = event_id(day, window, group.participants, roster)
        n = 2
        while eid in meetings:
            eid, n = f"{base}-{n}", n + 1
        best = next((d for d in group.docs if d.date == day), group.docs[0])
        formats = [d.format for d in group.docs if d.format]
        places = [d.location for d in group.docs if d.location]
        meetings[eid] = (
            (
                day.isoformat() if day else None,
                best.basis,
                window[0].isoformat() if window else None,
                window[1].isoformat() if window else None,
                max(formats, key=formats.count) if formats else None,  # the first of the most common
                max(places, key=places.count) if places else None,
                best.rowid,  # its lead sentence is read when the row is written
            ),
            group,
        )
    return meetings


@dataclass
class _Unit:
    """A piece of the regrouping: a stored meeting (its documents, the deleted ones too) or a
    new article not in one yet ("+rowid")."""

    key: str
    rowids: set[int] = field(default_factory=set)
    days: set[date] = field(default_factory=set)
    windows: set[tuple[date, date]] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    doc_ids: set[str] = field(default_factory=set)
    copies_of: set[str] = field(default_factory=set)


def _unit_key(rowid: int, event: str | None, new: set[int]) -> str | None:
    return event if event else f"+{rowid}" if rowid in new else None


def _units(store: Store, keys: set[str], removed: list[RemovedDoc]) -> list[_Unit]:
    """The named units, read: a meeting's documents through its event index, a new one by rowid."""
    units = {k: _Unit(k) for k in keys}
    events = [k for k in keys if not k.startswith("+")]
    rows = []
    for start in range(0, len(events), 500):
        part = events[start : start + 500]
        rows += store.conn.execute(
            "SELECT id, event_id, doc_id, meeting_date, window_start, window_end, copy_of FROM documents "
            f"WHERE event_id IN ({', '.join('?' * len(part))})",
            part,
        ).fetchall()
    single = [int(k[1:]) for k in keys if k.startswith("+")]
    rows += store.conn.execute(
        "SELECT id, '+' || id, doc_id, meeting_date, window_start, window_end, copy_of FROM documents "
        f"WHERE id IN ({', '.join('?' * len(single))})",
        single,
    ).fetchall()
    for rowid, key, doc_id, day, start, end, copy_of in rows:
        unit = units[key]
        unit.rowids.add(rowid)
        unit.doc_ids.add(doc_id)
        if copy_of:
            unit.copies_of.add(copy_of)
        _add_when(unit, day, (start, end) if start else None)
    for part in _chunks({r for u in units.values() for r in u.rowids}):
        for name, key in store.conn.execute(
            "SELECT p.name, coalesce(d.event_id, '+' || d.id) FROM people p JOIN documents d ON d.id = p.document "
            f"WHERE p.role = 'participant' AND d.id IN ({', '.join('?' * len(part))})",
            part,
        ):
            units[key].people.add(name)
    for doc in removed:  # deleted, so known only from what Store.delete kept
        if doc.event_id in units:
            unit = units[doc.event_id]
            unit.doc_ids.add(doc.doc_id)
            unit.people.update(p[0] for p in doc.people if p[3] == "participant")
            _add_when(unit, doc.meeting_date, doc.window)
    return list(units.values())


def _add_when(unit: _Unit, day: str | None, window: tuple[str, str] | None) -> None:
    if day:
        unit.days.add(date.fromisoformat(day))
    elif window:
        unit.windows.add((date.fromisoformat(window[0]), date.fromisoformat(window[1])))


def _spans(days: Iterable[date], windows: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Days (widened by SAME_DAY_TOLERANCE) and windows as the fewest date ranges covering them."""
    tol = timedelta(days=SAME_DAY_TOLERANCE)
    out: list[tuple[date, date]] = []
    for first, last in sorted([(d - tol, d + tol) for d in days] + list(windows)):
        if out and first <= out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return out


def _linked(store: Store, unit: _Unit, new: set[int]) -> set[str]:
    """Units holding the original of one of its articles, or a copy of one: an article joins
    the meeting of the story it copies, whatever its participants."""
    found: set[str] = set()
    for ids, column in ((unit.copies_of, "doc_id"), (unit.doc_ids, "copy_of")):
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):
            part = ordered[start : start + 500]
            for rowid, event in store.conn.execute(
                f"SELECT id, event_id FROM documents WHERE {column} IN ({', '.join('?' * len(part))})", part
            ):
                if key := _unit_key(rowid, event, new):
                    found.add(key)
    return found - {unit.key}


_Member = tuple[tuple[bool, date, str], date | None, frozenset[str]]
"""(grouping order key, day, participants) of one article of a group."""


@dataclass
class _Outside:
    """What the closure reads of stored meetings next to the cluster, once."""

    docs: dict[int, tuple[date | None, tuple[date, date] | None, str, frozenset[str]]] = field(default_factory=dict)
    doc_ids: dict[int, str] = field(default_factory=dict)
    members: dict[str, _Timeline] = field(default_factory=dict)
    spans: set[tuple[date, date]] = field(default_factory=set)


def _read_near(store: Store, spans: list[tuple[date, date]], seen: _Outside) -> None:
    """Grouped articles dated inside these ranges, or window-only ones overlapping them."""
    rows: list[Any] = []
    for first, last in spans:
        if (first, last) in seen.spans:
            continue
        seen.spans.add((first, last))
        bounds = (first.isoformat(), last.isoformat())
        rows += store.conn.execute(
            "SELECT id, event_id, meeting_date, window_start, window_end, doc_id FROM documents "
            "WHERE meeting_date BETWEEN ? AND ? AND event_id IS NOT NULL",
            bounds,
        ).fetchall()
        rows += store.conn.execute(
            "SELECT id, event_id, meeting_date, window_start, window_end, doc_id FROM documents "
            "WHERE meeting_date IS NULL AND window_start <= ? AND window_end >= ? AND event_id IS NOT NULL",
            bounds[::-1],
        ).fetchall()
    fresh = {r[0]: r for r in rows if r[0] not in seen.docs}
    names: dict[int, set[str]] = defaultdict(set)
    for part in _chunks(fresh):
        marks = ", ".join("?" * len(part))
        for doc, name in store.conn.execute(
            f"SELECT document, name FROM people WHERE role = 'participant' AND document IN ({marks})", part
        ):
            names[doc].add(name)
    for rowid, event, day, start, end, doc_id in fresh.values():
        window = (date.fromisoformat(start), date.fromisoformat(end)) if start and not day else None
        seen.docs[rowid] = (_day(day), window, event, frozenset(names[rowid]))
        seen.doc_ids[rowid] = doc_id


def _order(day: date | None, doc_id: str) -> tuple[bool, date, str]:
    """Where grouping takes an article: dated ones by day, then the rest (see `_group`)."""
    return (day is None, day or date.min, doc_id)


class _Timeline:
    """A group as grouping builds it: after each of its articles (in grouping order), the
    participants and the day it has then, so its state when any article is reached is a lookup."""

    def __init__(self, members: list[_Member]) -> None:
        self.keys: list[Any] = []
        self.states: list[tuple[frozenset[str], date | None]] = []
        people: frozenset[str] = frozenset()
        counts: dict[date, int] = defaultdict(int)
        mode: date | None = None
        for key, day, names in sorted(members):
            people |= names
            if day:
                counts[day] += 1
                if mode is None or (counts[day], -day.toordinal()) > (counts[mode], -mode.toordinal()):
                    mode = day
            self.keys.append(key)
            self.states.append((people, mode))
        self.people = people

    def could_join(self, day: date | None, window: tuple[date, date] | None, names: frozenset[str], key: Any) -> bool:
        """Whether an article could find the group compatible when grouping reaches it: the group
        as it is then (its articles before it) shares two participants and its day is near
        enough (`_compatible`, without the format and place test a window-only article also needs)."""
        import bisect

        if len(names & self.people) < 2:
            return False
        i = bisect.bisect_left(self.keys, key)
        if i == 0:
            return False
        people, mode = self.states[i - 1]
        if mode is None or len(names & people) < 2:
            return False
        if day:
            return abs((day - mode).days) <= SAME_DAY_TOLERANCE
        return bool(window and window[0] <= mode <= window[1])


def _members_of(store: Store, event: str) -> _Timeline:
    """A stored meeting as grouping built it, from its articles."""
    rows = store.conn.execute("SELECT id, doc_id, meeting_date FROM documents WHERE event_id = ?", (event,)).fetchall()
    names: dict[int, set[str]] = defaultdict(set)
    for part in _chunks(r[0] for r in rows):
        marks = ", ".join("?" * len(part))
        for doc, name in store.conn.execute(
            f"SELECT document, name FROM people WHERE role = 'participant' AND document IN ({marks})", part
        ):
            names[doc].add(name)
    return _Timeline([(_order(_day(day), doc_id), _day(day), frozenset(names[rowid])) for rowid, doc_id, day in rows])


def _reached(store: Store, units: dict[str, _Unit], docs: list[_Doc], groups: list[_Group], seen: _Outside) -> set[str]:
    """Stored meetings outside the cluster that cross its edge in the grouping of the whole corpus.

    Grouping takes each article's first compatible group, in a fixed order of articles. An
    article outside keeps its stored meeting if no regrouped group is ever compatible with it
    when grouping reaches it (its first compatible group is then the one it had, which was
    outside too); an article of the cluster gets the cluster's answer if no meeting outside is
    ever compatible with it. Each such pair near in date is tested as grouping would meet it
    (`_Timeline.could_join`); the meetings that fail are returned, to be regrouped too."""
    by_day: dict[date, set[int]] = defaultdict(set)
    members: list[_Timeline] = []
    for i, group in enumerate(groups):
        members.append(_Timeline([(_order(d.date, d.doc_id), d.date, d.participants) for d in group.docs]))
        for d in group.docs:
            if d.date:
                by_day[d.date].add(i)
    windowed = [d for d in docs if not d.date and d.window]
    dated = defaultdict(list)
    for d in docs:
        if d.date:
            dated[d.date].append(d)
    _read_near(store, _spans(by_day, (d.window for d in windowed if d.window)), seen)
    inside = {d.rowid for d in docs}
    reached: set[str] = set()
    near_days: dict[str, set[date]] = defaultdict(set)  # outside meeting -> days near one of its articles
    for rowid, (day, window, event, names) in seen.docs.items():
        if rowid in inside or event in units or event in reached:
            continue
        key = _order(day, seen.doc_ids[rowid])
        if day:
            days = [day + timedelta(days=k) for k in range(-SAME_DAY_TOLERANCE, SAME_DAY_TOLERANCE + 1)]
            near = {i for d in days for i in by_day.get(d, ())}
            near_days[event].add(day)
        else:
            near = {i for d, found in by_day.items() if window and window[0] <= d <= window[1] for i in found}
        if any(members[i].could_join(day, window, names, key) for i in near):
            reached.add(event)
    for event, their_days in near_days.items():
        if event in reached:
            continue
        reach = range(-SAME_DAY_TOLERANCE, SAME_DAY_TOLERANCE + 1)
        spread = {day + timedelta(days=k) for day in their_days for k in reach}
        mine = [d for day in spread for d in dated.get(day, ())]
        mine += [d for d in windowed if d.window and any(d.window[0] <= day <= d.window[1] for day in their_days)]
        if not mine:
            continue
        if event not in seen.members:
            seen.members[event] = _members_of(store, event)
        theirs = seen.members[event]
        if any(theirs.could_join(d.date, d.window, d.participants, _order(d.date, d.doc_id)) for d in mine):
            reached.add(event)
    return reached


CLUSTER_MAX_DOCS = 20_000
"""Past this many articles the cluster is no longer small: a dense stretch of meetings (the same
officials every other day) can chain far, and one pass over every article is then cheaper."""


def _regroup_cluster(
    store: Store, new: set[int], copied: set[int], removed: list[RemovedDoc]
) -> tuple[dict[str, _Unit], list[_Doc], list[_Group]] | None:
    """The meetings to regroup after an ingest, regrouped: those its new, changed, deleted and
    re-copied articles were or will be in, widened until closed (see `_reached`, and copies,
    which join their original's meeting). Grouping the cluster alone then gives the groups a
    regrouping of the whole corpus would, and every meeting outside it stays as stored. None
    when it grows past CLUSTER_MAX_DOCS."""
    seeds = {f"+{r}" for r in new} | {d.event_id for d in removed if d.event_id}
    for part in _chunks(copied):
        marks = ", ".join("?" * len(part))
        seeds |= {
            r[0]
            for r in store.conn.execute(
                f"SELECT event_id FROM documents WHERE event_id IS NOT NULL AND id IN ({marks})", part
            )
        }
    units = {u.key: u for u in _units(store, seeds, removed) if not u.key.startswith("+") or len(u.people) >= 2}
    docs = _load(store, sketches=False, rowids={r for u in units.values() for r in u.rowids})
    linked: set[str] = set()
    seen = _Outside()
    while True:
        extra: set[str] = set()
        for key in [k for k in units if k not in linked]:
            linked.add(key)
            extra |= _linked(store, units[key], new) - set(units)
        groups: list[_Group] = []
        if not extra:
            groups = _group(docs, _copy_rows(docs))
            extra = _reached(store, units, docs, groups, seen)
        if not extra:
            return units, docs, groups
        added = _units(store, extra, removed)
        if len(docs) + sum(len(u.rowids) for u in added) > CLUSTER_MAX_DOCS:
            return None
        units.update((u.key, u) for u in added)
        docs += _load(store, sketches=False, rowids={r for u in added for r in u.rowids})


def _same_ids(
    store: Store, meetings: dict[str, tuple[tuple[Any, ...], _Group]], units: dict[str, _Unit]
) -> list[_Unit]:
    """Stored meetings outside the cluster whose id the regrouped ones share (before the -2,
    -3 suffix): numbered in one order with them, so read too."""
    bases = {re.sub(r"-\d+$", "", eid) for eid in meetings} | set(meetings)
    found: set[str] = set()
    for base in bases:
        found |= {
            r[0]
            for r in store.conn.execute(
                "SELECT event_id FROM meetings WHERE event_id = ? OR event_id GLOB ?", (base, f"{base}-[0-9]*")
            )
        }
    extra = found - set(units)
    return _units(store, extra, []) if extra else []


def _meeting_rows(store: Store, eids: list[str]) -> dict[str, tuple[Any, ...]]:
    rows: dict[str, tuple[Any, ...]] = {}
    for start in range(0, len(eids), 500):
        part = eids[start : start + 500]
        for r in store.conn.execute(f"SELECT * FROM meetings WHERE event_id IN ({', '.join('?' * len(part))})", part):
            rows[r[0]] = tuple(r[1:])
    return rows


def _write_groups(
    store: Store, docs: list[_Doc], meetings: dict[str, tuple[tuple[Any, ...], _Group]], old: set[str]
) -> None:
    """These meetings' rows, with their whole record (participants, documents, copies, outlets)
    as JSON, and their articles' event_id; `old` are the stored meetings they replace (deleted
    unless rewritten). A row that comes out as stored is not written."""
    import json

    event_of = {d.rowid: eid for eid, (_, group) in meetings.items() for d in group.docs}
    store.conn.executemany(
        "UPDATE documents SET event_id = ? WHERE id = ?",
        [
            (event_of.get(d.rowid), d.rowid)
            for d in docs
            if (d.rowid in event_of or d.event_id in old) and event_of.get(d.rowid) != d.event_id
        ],
    )
    people: dict[str, dict[tuple[str, int], dict[str, Any]]] = {eid: {} for eid in meetings}
    found: dict[str, list[Any]] = {eid: [] for eid in meetings}
    leads: dict[int, str] = {}
    bests = [values[6] for values, _ in meetings.values()]
    for part in _chunks(bests):
        marks = ", ".join("?" * len(part))
        leads.update(store.conn.execute(f"SELECT id, lead FROM texts WHERE id IN ({marks})", part).fetchall())
    for part in _chunks(event_of):
        marks = ", ".join("?" * len(part))
        for doc in store.conn.execute(
            f"SELECT doc_id, outlet, copy_of, event_id FROM documents WHERE id IN ({marks})", part
        ):
            if doc[3] in found:
                found[doc[3]].append(tuple(doc))
        for eid, doc_id, position, name, office, country in store.conn.execute(
            "SELECT d.event_id, d.doc_id, p.position, p.name, p.office, p.country FROM people p "
            f"JOIN documents d ON d.id = p.document WHERE p.role = 'participant' AND d.id IN ({marks})",
            part,
        ):
            if eid in people:
                people[eid][(doc_id, position)] = {"name": name, "office": office, "country": country}
    stored = _meeting_rows(store, sorted(old | set(meetings)))
    rows = []
    for eid, (values, _) in meetings.items():
        docs_in = sorted(found[eid])
        seen: dict[str, dict[str, Any]] = {}
        for _, person in sorted(people[eid].items()):
            seen.setdefault(person["name"], person)
        record = {
            "participants": list(seen.values()),
            "documents": [d[0] for d in docs_in],
            "copies": {d[0]: d[2] for d in docs_in if d[2]},
            "outlets": sorted({d[1] for d in docs_in if d[1]}),
        }
        row = (*values[:6], leads.get(values[6], ""), json.dumps(record, ensure_ascii=False))
        if stored.get(eid) != row:
            rows.append((eid, *row))
    store.conn.executemany("DELETE FROM meetings WHERE event_id = ?", [(eid,) for eid in old if eid not in meetings])
    store.conn.executemany("INSERT OR REPLACE INTO meetings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def lead_sentence(body: str) -> str:
    """The first sentence of a body: a meeting's one-line summary (made once, at ingest)."""
    from .parse.people import sentences

    lead = body.split("\n\n")[0]
    found = sentences(lead)
    return found[0] if found else lead[:300]


MEETING_COLUMNS = ("event_id", "date", "basis", "format", "location", "summary")
_MEETINGS = f"SELECT {', '.join(MEETING_COLUMNS)}, window_start, window_end, record FROM meetings"
_FIRST_DAY = "coalesce(nullif(date, ''), nullif(window_start, ''), '9999'), event_id"
"""A meeting's place in date order: its day, else the first day of its window; undated ones last."""


def list_meetings(store: Store) -> list[dict[str, Any]]:
    """Every meeting with its participants (offices as first reported), documents and outlets,
    as the ingest wrote them, in date order: one query, no grouping."""
    return list(map(_meeting, store.tuples(f"{_MEETINGS} ORDER BY {_FIRST_DAY}")))


def get_meeting(store: Store, event_id: str) -> dict[str, Any] | None:
    """One meeting by its id, read from its row."""
    row = next(store.tuples(f"{_MEETINGS} WHERE event_id = ?", (event_id,)), None)
    return _meeting(row) if row else None


def _meeting(row: tuple[Any, ...]) -> dict[str, Any]:
    """A meetings row as a dictionary; orjson reads the stored record (the standard library's
    decoder was a third of `meetings --json` at 100k)."""
    import orjson

    *columns, start, end, record = row
    meeting = dict(zip(MEETING_COLUMNS, columns, strict=True))
    meeting |= orjson.loads(record)
    meeting["window"] = [start, end] if start else None
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


PERSON_ROWS = (
    "SELECT p.name, p.office, p.country, p.in_roster, p.aliases, p.position, d.doc_id, "
    "coalesce(m.date, m.window_start, '') FROM people p JOIN documents d ON d.id = p.document "
    "LEFT JOIN meetings m ON m.event_id = d.event_id"
)
"""An official's rows as the people index counts them, with the day they were seen on (their
meeting's, '' outside one): the latest office seen is the one shown."""


def _new_state() -> dict[str, Any]:
    """An official's running counts (the `people_state` row): every field of the index record
    can be updated from a document's rows coming or going, without reading the others."""
    return {"articles": 0, "aliases": {}, "offices": {}, "first": None, "office": None, "days": {}}


def _count(counts: dict[str, int], key: str, sign: int) -> None:
    counts[key] = counts.get(key, 0) + sign
    if counts[key] <= 0:
        del counts[key]


def _add_rows(states: dict[str, dict[str, Any]], rows: list[tuple[Any, ...]], sign: int, stale: set[str]) -> None:
    """One document's rows (PERSON_ROWS, position order) added (+1) or taken away (-1). A
    taken-away row that was an official's first or latest-office row marks the official stale:
    that one field is then read again (`_reread`)."""
    import json

    for name in {r[0] for r in rows}:
        states.setdefault(name, _new_state())["articles"] += sign
    for name, office, country, in_roster, aliases, position, doc_id, seen_on in rows:
        state = states[name]
        for alias in set(json.loads(aliases)):
            _count(state["aliases"], alias, sign)
        if office and not in_roster:
            _count(state["offices"], office, sign)
        first = [doc_id, position, country, bool(in_roster)]
        latest = [seen_on, doc_id, position, office]
        if sign < 0:
            if (state["first"] and state["first"][0] == doc_id) or (
                office and state["office"] and state["office"][1] == doc_id
            ):
                stale.add(name)
            continue
        if state["first"] is None or first[:2] < state["first"][:2]:
            state["first"] = first
        if office and (state["office"] is None or latest[:3] > state["office"][:3]):
            state["office"] = latest


def _add_meetings(states: dict[str, dict[str, Any]], rows: dict[str, tuple[Any, ...]], sign: int) -> None:
    """Meeting rows (as stored) added or taken away: each participant's meeting days."""
    import json

    for values in rows.values():
        shown = effective_date(values[0], None, values[2], values[3]) or ""
        for person in json.loads(values[7])["participants"]:
            _count(states.setdefault(person["name"], _new_state())["days"], shown, sign)


def _reread(store: Store, name: str, state: dict[str, Any]) -> None:
    """An official's first row and latest office, from their rows (after one of those went)."""
    first = store.conn.execute(
        "SELECT d.doc_id, p.position, p.country, p.in_roster FROM people p JOIN documents d ON d.id = p.document "
        "WHERE p.name = ? ORDER BY d.doc_id, p.position LIMIT 1",
        (name,),
    ).fetchone()
    state["first"] = [first[0], first[1], first[2], bool(first[3])] if first else None
    latest = store.conn.execute(
        f"{PERSON_ROWS} WHERE p.name = ? AND p.office IS NOT NULL ORDER BY 8 DESC, 7 DESC, 6 DESC LIMIT 1", (name,)
    ).fetchone()
    state["office"] = [latest[7], latest[6], latest[5], latest[1]] if latest else None


def _record(name: str, state: dict[str, Any], roster: Roster) -> dict[str, Any]:
    """The index record of one official (what `people --json` prints)."""
    official = roster.get(name)
    if official:
        offices = [
            {
                "office": t.office,
                "start": t.start.isoformat() if t.start else None,
                "end": t.end.isoformat() if t.end else None,
            }
            for t in official.tenures
        ]
    else:
        offices = [{"office": o, "start": None, "end": None} for o in sorted(state["offices"])]
    shown = sorted((d for d in state["days"] if d), key=lambda d: (sort_key(d), d))
    first = state["first"]
    return {
        "name": name,
        "country": first[2],
        "in_roster": first[3],
        "offices": offices,
        "articles": state["articles"],
        "meetings": sum(state["days"].values()),
        "aliases_seen": sorted(state["aliases"]),
        "office": state["office"][3] if state["office"] else offices[-1]["office"] if offices else None,
        "first_meeting": shown[0] if shown else None,
        "last_meeting": shown[-1] if shown else None,
    }


def _write_people(store: Store, roster: Roster, states: dict[str, dict[str, Any]], every: bool) -> None:
    """The officials' running counts and index records; the index is kept in display order (most
    meetings, then most articles, then name), so its positions are renumbered when that changes."""
    import json

    gone = [name for name, state in states.items() if state["articles"] <= 0]
    kept = {name: state for name, state in states.items() if state["articles"] > 0}
    if every:
        store.conn.execute("DELETE FROM people_state")
    store.conn.executemany("DELETE FROM people_state WHERE name = ?", [(n,) for n in gone])
    store.conn.executemany(
        "INSERT OR REPLACE INTO people_state VALUES (?, ?)",
        [(n, json.dumps(s, ensure_ascii=False, sort_keys=True)) for n, s in kept.items()],
    )
    stored = [tuple(r) for r in store.conn.execute("SELECT position, name, record FROM people_index ORDER BY 1")]
    records = {} if every else {r[1]: json.loads(r[2]) for r in stored}
    for name in gone:
        records.pop(name, None)
    records.update((name, _record(name, state, roster)) for name, state in kept.items())
    ordered = sorted(records.values(), key=lambda p: (-p["meetings"], -p["articles"], p["name"]))
    rows = [(i, p["name"], json.dumps(p, ensure_ascii=False)) for i, p in enumerate(ordered)]
    if rows != stored:
        store.conn.execute("DELETE FROM people_index")
        store.conn.executemany("INSERT INTO people_index VALUES (?, ?, ?)", rows)


def fill_people_state(store: Store, roster: Roster | None = None) -> None:
    """The people index and its running counts from every row (a rebuild, or an index written
    before the counts were kept)."""
    states: dict[str, dict[str, Any]] = {}
    by_doc: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in store.conn.execute(PERSON_ROWS):
        by_doc[row[6]].append(tuple(row))
    for rows in by_doc.values():
        _add_rows(states, rows, 1, set())
    _add_meetings(states, {r[0]: tuple(r[1:]) for r in store.conn.execute("SELECT * FROM meetings")}, 1)
    _write_people(store, roster or load_roster(store.data_dir), states, every=True)


def update_people(
    store: Store,
    roster: Roster,
    old_meetings: dict[str, tuple[Any, ...]],
    new_meetings: dict[str, tuple[Any, ...]],
    new: set[int],
    regrouped: list[int],
    removed: list[RemovedDoc],
) -> None:
    """The people index after an ingest, from what changed: the rows of new and deleted
    documents, the meetings rewritten (each participant's meeting days), and the regrouped
    documents, whose meeting day (when their officials were seen) may have moved."""
    import json

    changed_rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for part in _chunks(set(regrouped) | new):
        for row in store.conn.execute(
            f"{PERSON_ROWS} WHERE d.id IN ({', '.join('?' * len(part))}) ORDER BY p.document, p.position", part
        ):
            changed_rows[row[6]].append(tuple(row))
    new_ids = {r[0] for part in _chunks(new) for r in _doc_ids(store, part)}
    names = {r[0] for rows in changed_rows.values() for r in rows}
    names |= {p[0] for d in removed for p in d.people}
    for values in (*old_meetings.values(), *new_meetings.values()):
        names |= {p["name"] for p in json.loads(values[7])["participants"]}
    states: dict[str, dict[str, Any]] = {}
    ordered = sorted(names)
    for start in range(0, len(ordered), 500):
        part = ordered[start : start + 500]
        for name, state in store.conn.execute(
            f"SELECT name, state FROM people_state WHERE name IN ({', '.join('?' * len(part))})", part
        ):
            states[name] = json.loads(state)
    stale: set[str] = set()
    for doc in removed:
        rows = [(*p[:2], p[2], p[4], p[5], p[6], doc.doc_id, doc.seen_on) for p in doc.people]
        _add_rows(states, rows, -1, stale)
    for doc_id, rows in changed_rows.items():
        if doc_id in new_ids:
            _add_rows(states, rows, 1, stale)
    # a regrouped document's rows keep their counts; only the day they were seen on can move
    moved = {doc_id for doc_id in changed_rows if doc_id not in new_ids}
    for doc_id in moved:
        for name, office, *_, position, _, seen_on in changed_rows[doc_id]:
            state = states[name]
            if not office:
                continue
            if state["office"] and state["office"][1] in moved:
                stale.add(name)
            elif state["office"] is None or [seen_on, doc_id, position] > state["office"][:3]:
                state["office"] = [seen_on, doc_id, position, office]
    _add_meetings(states, old_meetings, -1)
    _add_meetings(states, new_meetings, 1)
    for name in stale:
        if states[name]["articles"] > 0:
            _reread(store, name, states[name])
    _write_people(store, roster, states, every=False)


def _doc_ids(store: Store, rowids: list[int]) -> list[tuple[str]]:
    marks = ", ".join("?" * len(rowids))
    return store.conn.execute(f"SELECT doc_id FROM documents WHERE id IN ({marks})", rowids).fetchall()


def people_index(store: Store) -> list[dict[str, Any]]:
    """Every official seen in the corpus, as the ingest wrote it (see _people_records)."""
    import json

    return [json.loads(r[0]) for r in store.conn.execute("SELECT record FROM people_index ORDER BY position")]
