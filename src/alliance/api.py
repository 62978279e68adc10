"""Every command as a plain function: the CLI is a face on these, and scripts can call them."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import BadInput, IndexProblem, NotFound, OldIndex
from .store import RECORD_FIELDS, Store, db_path

if TYPE_CHECKING:  # a search without a date filter never needs datetime
    from datetime import date


def json_bytes(data: Any) -> bytes:
    """`data` as the --json printouts show it: the UTF-8 bytes of json.dumps(data, indent=2,
    ensure_ascii=False) and a newline, written by orjson. The standard library's encoder runs in
    pure Python once it indents (1.2 s of a 1.5 s `meetings --json` at 100k documents, and the
    whole text held twice); what orjson refuses (an integer past 64 bits) still goes through it."""
    import orjson

    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # orjson.JSONEncodeError
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


def data_dir(value: str | os.PathLike[str] | None = None) -> Path:
    """--data, else $ALLIANCE_DATA, else ./data."""
    return Path(value or os.environ.get("ALLIANCE_DATA") or "data")


def open_index(data: Path, notify: Callable[[str], None] | None = None) -> Store:
    """The store, ingesting DATA/raw first when there is no index yet (a new user's first command)
    or when an older alliance wrote it."""
    path = db_path(data)
    if path.exists():
        try:
            store = Store.open(data)
        except OldIndex:
            store = None
        if store is not None and store.has_documents():
            return store
        if store is not None:
            store.close()
    raw = data / "raw"
    if not raw.is_dir():
        raise IndexProblem(f"no index at {path} and no raw files in {raw}: add files there and run `alliance ingest`")
    if notify:
        notify(f"no usable index yet: ingesting {raw} first")
    from .ingest import ingest

    report = ingest(data)
    if notify:
        for note in report.notes:
            notify(note)
        notify(f"ingested: {report.summary()}")
    return Store.open(data)


def read_file(path: Path) -> Any:
    """Read and clean one file without touching the index."""
    from .clean import clean

    raw = _read_raw(path)
    return raw, clean(raw)


def _read_raw(path: Path) -> Any:
    from .rawfile import read_raw

    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    return read_raw(path)


def check_files(paths: Iterable[Path]) -> None:
    """Fail before any output when one of several files is missing (a batch is all or nothing)."""
    for path in paths:
        if not path.is_file():
            raise BadInput(f"{path}: no such file")


def clean_file(path: Path) -> str:
    return read_file(path)[1].body  # type: ignore[no-any-return]


def parse_file(path: Path, data: Path | None = None) -> dict[str, Any]:
    from .parse import clean_and_parse

    return clean_and_parse(_read_raw(path), data_dir=data)[2].to_dict()  # type: ignore[no-any-return]


def parse_date(value: str | None, what: str, end: bool = False) -> date | None:
    """YYYY-MM-DD, YYYY-MM or YYYY; a partial date is the first day of its period, or with
    `end` (for --until) the last, so `--since 2024 --until 2024` is the whole year."""
    if not value:
        return None
    import calendar
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        if len(value) == 4 and value.isdigit():
            return date(int(value), 12, 31) if end else date(int(value), 1, 1)
        first = date.fromisoformat(f"{value}-01")
    except ValueError as exc:
        raise BadInput(f"{what}: '{value}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)") from exc
    if not end:
        return first
    return date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])


def resolve_filters(filters: Any, store: Store) -> Any:
    """The filters with --outlet resolved against the outlet table and this index."""
    if filters is None or not filters.outlet:
        return filters
    from dataclasses import replace

    return replace(filters, outlet=resolve_outlet(filters.outlet, store))


def resolve_outlet(name: str | None, store: Store) -> str | None:
    """Any name, alias or domain outlets.csv lists (any case) -> the name documents carry, as
    the parser names them; an outlet the table does not know must be in the index as given."""
    if not name:
        return None
    from .outlets import normalise, outlet_table

    table = outlet_table(store.data_dir)
    bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", name.strip(), flags=re.I).split("/")[0]
    source = normalise(name, table) or normalise(bare, table)
    if source:
        return source.name
    row = store.conn.execute(
        "SELECT outlet FROM documents WHERE outlet = ? COLLATE NOCASE UNION "
        "SELECT wire FROM documents WHERE wire = ? COLLATE NOCASE LIMIT 1",
        (name, name),
    ).fetchone()
    if row:
        return str(row[0])
    known = [r[0] for r in store.conn.execute("SELECT DISTINCT outlet FROM documents WHERE outlet IS NOT NULL")]
    shown = ", ".join(sorted(known)[:8]) + (", …" if len(known) > 8 else "")
    raise NotFound(f"no outlet called '{name}' (in outlets.csv or the index; the index has: {shown or 'none'})")


def resolve_official(name: str | None, data: Path) -> str | None:
    """Any alias, case, Hangul or a lone surname -> the canonical name (raises if unknown/ambiguous)."""
    if not name:
        return None
    from .roster import load_roster

    return load_roster(data).lookup(name).name


def show_document(store: Store, doc_id: str) -> dict[str, Any]:
    doc = store.document(doc_id)
    if doc is None:
        meeting = show_meeting(store, doc_id)
        if meeting:
            return meeting
        raise NotFound(f"no document or meeting '{doc_id}' in the index (see `alliance search` or `alliance meetings`)")
    window = [doc["window_start"], doc["window_end"]] if doc["window_start"] else None
    out = {k: doc[k] for k in (*RECORD_FIELDS, "encoding", "kind") if k != "meeting_window"}
    out["published_basis"] = doc.get("published_basis")  # None in an index written before it was stored
    out["meeting_window"] = window
    out["removed"] = [{"text": t, "reason": r} for t, r in json.loads(doc["removed"])]
    out["credits"] = json.loads(doc["credits"])
    out["warnings"] = json.loads(doc["warnings"])
    return out


def show_meeting(store: Store, event_id: str) -> dict[str, Any] | None:
    from .meetings import get_meeting

    meeting = get_meeting(store, event_id)
    if meeting is not None:
        meeting["articles"] = [
            {
                "doc_id": d["doc_id"],
                "title": d["title"],
                "outlet": d["outlet"],
                "published": d["published"],
            }
            for d in (store.document(i) for i in meeting["documents"])
            if d
        ]
    return meeting


def compare(store: Store, meeting_id: str, data: Path | None = None) -> Any:
    """`alliance compare MEETING_ID`: the sources of one meeting side by side (a Comparison)."""
    from .compare import compare_meeting

    return compare_meeting(store, meeting_id, data_dir=data)


def compare_minister(
    store: Store,
    name: str,
    since: date | None = None,
    until: date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> tuple[str, list[Any]]:
    """`alliance compare --minister NAME`: (canonical name, GridRow per meeting) of the topics
    each side raised (raises NotFound or Ambiguous for a name the roster cannot resolve)."""
    from .compare import topic_grid

    official = resolve_official(name, store.data_dir) or name
    return official, topic_grid(store, official, since, until, progress)
