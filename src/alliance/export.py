"""Cleaned text and metadata out, in the formats other tools read.

jsonl and csv go to a file or stdout; txt (one file per document plus metadata.csv, the layout
AntConc, Voyant and readtext import), md (YAML front matter) and opensearch (a _bulk NDJSON
file plus the index mapping) go to a folder. Nothing is overwritten without --force, a folder
is only replaced when an earlier export made it, and every file is written under a temporary
name and renamed into place, so an interrupted export never leaves half a file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .errors import BadInput
from .models import Progress
from .search import Filters, matching_ids
from .store import RECORD_FIELDS, Store

FORMATS = ("jsonl", "csv", "txt", "md", "opensearch")
FOLDER_FORMATS = frozenset({"txt", "md", "opensearch"})
MARKER = ".alliance-export"
"""Left in every exported folder: --force replaces only folders that carry it."""

FIELDS = RECORD_FIELDS
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet runs a cell that starts with one of these as a formula (CSV injection)."""

OPENSEARCH_MAPPING: dict[str, Any] = {
    "settings": {"index": {"number_of_shards": 1}},
    "mappings": {
        "dynamic": "strict",
        "properties": {
            "doc_id": {"type": "keyword"},
            "path": {"type": "keyword"},
            "title": {"type": "text", "analyzer": "english", "fields": {"raw": {"type": "keyword"}}},
            "body": {"type": "text", "analyzer": "english", "fields": {"exact": {"type": "text"}}},
            "published": {"type": "date", "format": "strict_date"},
            "meeting_date": {"type": "date", "format": "strict_date"},
            "meeting_date_basis": {"type": "keyword"},
            "meeting_window": {"type": "date_range", "format": "strict_date"},
            "outlet": {"type": "keyword"},
            "wire": {"type": "keyword"},
            "author": {"type": "keyword"},
            "participants": {"type": "keyword"},
            "mentioned": {"type": "keyword"},
            "format": {"type": "keyword"},
            "location": {"type": "keyword"},
            "event_id": {"type": "keyword"},
            "copy_of": {"type": "keyword"},
            "lang": {"type": "keyword"},
            "sha256": {"type": "keyword"},
        },
    },
}
"""Dates as dates, names as keywords, the body analysed as English with an unstemmed
`body.exact` sub-field for quoted phrases (the quote_field_suffix of our own index)."""


@dataclass(frozen=True)
class ExportReport:
    format: str
    out: str
    documents: int
    files: int


def records(
    store: Store, query: str | None = None, filters: Filters | None = None, progress: Progress | None = None
) -> Iterator[dict[str, Any]]:
    """One flat record per document (all, or those matching), in search order."""
    _, doc_ids = matching_ids(store, query, filters)
    for done, doc_id in enumerate(doc_ids, 1):
        if progress:
            progress(done, len(doc_ids), "exporting")
        doc = store.document(doc_id)
        if doc is None:
            continue
        record = {key: doc.get(key) for key in FIELDS}
        record["meeting_window"] = [doc["window_start"], doc["window_end"]] if doc["window_start"] else None
        record["participants"] = [p["name"] for p in doc["participants"]]
        record["mentioned"] = [p["name"] for p in doc["mentioned"]]
        yield record


NAME_BYTES = 200
"""File systems cap a name at 255 bytes, not characters (85 Hangul syllables); this leaves room
for a '-N' suffix and the extension."""


def _cap_bytes(text: str, limit: int) -> str:
    """The longest prefix of text within `limit` bytes of UTF-8, never half a character."""
    return text.encode("utf-8", "surrogateescape")[:limit].decode("utf-8", "ignore")


def safe_name(doc_id: str, taken: set[str]) -> str:
    """A file name from a doc_id: separators, '..', control characters and leading dots folded
    to '_', at most NAME_BYTES bytes, and unique among `taken` (which it joins)."""
    folded = re.sub(r"[/\\\x00-\x1f\x7f:*?\"<>|]+", "_", doc_id).replace("..", "_")
    name = _cap_bytes(re.sub(r"_{2,}", "_", folded).strip("_. "), NAME_BYTES).strip("_. ") or "document"
    candidate, n = name, 2
    while candidate.lower() in taken:
        candidate, n = f"{name}-{n}", n + 1
    taken.add(candidate.lower())
    return candidate


def neutralise(value: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return neutralise(str(value))


def write_csv(rows: Iterable[dict[str, Any]], stream: IO[str], fields: tuple[str, ...] = FIELDS) -> int:
    """CSV with a UTF-8 BOM (spreadsheets then read Korean right) and neutralised formulas: every
    CSV alliance writes (export, metadata.csv, meetings --csv, trend --csv) goes through here."""
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(fields)
    count = 0
    for row in rows:
        writer.writerow([_cell(row.get(f)) for f in fields])
        count += 1
    return count


def write_jsonl(rows: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    count = 0
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def front_matter(row: dict[str, Any]) -> str:
    """YAML front matter; every value is JSON, which YAML reads as the same scalar or list."""
    lines = [f"{key}: {json.dumps(row[key], ensure_ascii=False)}" for key in FIELDS if key not in ("body",)]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _markdown(row: dict[str, Any]) -> str:
    title = f"# {row['title']}\n\n" if row.get("title") else ""
    return f"{front_matter(row)}\n{title}{row['body']}\n"


def _bulk_lines(rows: Iterable[dict[str, Any]], index: str) -> Iterator[str]:
    for row in rows:
        doc = dict(row)
        window = doc.pop("meeting_window")
        doc["meeting_window"] = {"gte": window[0], "lte": window[1]} if window else None
        yield json.dumps({"index": {"_index": index, "_id": row["doc_id"]}}) + "\n"
        yield json.dumps(doc, ensure_ascii=False) + "\n"


@contextmanager
def _atomic_file(path: Path) -> Iterator[IO[str]]:
    """A text file that appears at `path` only when complete."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _check_target(out: Path, folder: bool, force: bool) -> None:
    if not out.exists() and not out.is_symlink():
        if not out.parent.is_dir():
            raise BadInput(f"{out.parent}: no such folder")
        return
    if not force:
        raise BadInput(f"{out} exists: add --force to replace it, or choose another --out")
    if folder and out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise BadInput(f"{out} is a folder that alliance did not write: it will not be replaced, choose another --out")
    if folder != out.is_dir():
        raise BadInput(f"{out} exists and is a {'folder' if out.is_dir() else 'file'}: choose another --out")


def _write_folder(out: Path, fill: Callable[[Path], int]) -> int:
    """Build the folder beside `out`, then swap it in: the old export stays until the new one is whole."""
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        (staging / MARKER).write_text("written by alliance export; --force may replace this folder\n")
        files = fill(staging)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return files


def export(
    store: Store,
    fmt: str,
    out: Path | None = None,
    query: str | None = None,
    filters: Filters | None = None,
    force: bool = False,
    stdout: IO[str] | None = None,
    index_name: str = "alliance",
    progress: Progress | None = None,
) -> ExportReport:
    """Export all documents, or those matching `query`/`filters`, in format `fmt`."""
    if fmt not in FORMATS:
        raise BadInput(f"unknown export format '{fmt}' (one of {', '.join(FORMATS)})")
    folder = fmt in FOLDER_FORMATS
    if out is None and folder:
        raise BadInput(f"--format {fmt} writes a folder: give it with --out FOLDER")
    rows = records(store, query, filters, progress)
    if out is None:
        stream = stdout or io.StringIO()
        count = write_jsonl(rows, stream) if fmt == "jsonl" else write_csv(rows, stream)
        return ExportReport(fmt, "-", count, 0)
    raw = (store.data_dir / "raw").resolve()
    if out.resolve() == raw or raw in out.resolve().parents:
        raise BadInput(f"{out} is inside {raw}: exported files would be ingested as raw files, choose another --out")
    _check_target(out, folder, force)
    if out.is_symlink():  # replace what the link points to (an earlier export), keep the link
        out = out.resolve()
    if not folder:
        with _atomic_file(out) as stream:
            count = write_jsonl(rows, stream) if fmt == "jsonl" else write_csv(rows, stream)
        return ExportReport(fmt, str(out), count, 1)
    counted: list[int] = []

    def fill(folder_path: Path) -> int:
        if fmt == "opensearch":
            with (folder_path / "bulk.ndjson").open("w", encoding="utf-8") as stream:
                lines = 0
                for lines, line in enumerate(_bulk_lines(rows, index_name), 1):  # noqa: B007
                    stream.write(line)
            (folder_path / "mapping.json").write_text(json.dumps(OPENSEARCH_MAPPING, indent=2))
            counted.append(lines // 2)
            return 2
        taken: set[str] = set()
        metadata = []
        for row in rows:
            name = safe_name(row["doc_id"], taken) + f".{fmt}"
            text = _markdown(row) if fmt == "md" else row["body"] + "\n"
            (folder_path / name).write_text(text, encoding="utf-8")
            metadata.append({"file": name, **{k: v for k, v in row.items() if k != "body"}})
        with (folder_path / "metadata.csv").open("w", encoding="utf-8", newline="") as stream:
            write_csv(metadata, stream, ("file", *(f for f in FIELDS if f != "body")))
        counted.append(len(metadata))
        return len(metadata) + 1

    files = _write_folder(out, fill)
    return ExportReport(fmt, str(out), counted[0], files)
