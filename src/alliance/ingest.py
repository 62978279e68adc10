"""Raw files -> store: find what changed, clean and parse it (on every core), write it in one
transaction. Raw files are only read; the index can always be rebuilt from them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .clean import TEMPLATE_MIN_FILES, clean, line_key, load_rules, page_lines
from .errors import AllianceError, BadInput, IndexProblem
from .index import fts_values
from .meetings import group_meetings, sketch
from .models import Article, Removed
from .parse import parse_article
from .rawfile import DEFAULT_MAX_BYTES, doc_id_for, iter_raw_paths, link_escapes, read_raw
from .roster import load_roster
from .store import Store, db_path

PARALLEL_FROM = 64
"""Below this many files a process pool costs more than it saves."""

Progress = Callable[[int, int, str], None]
"""progress(done, total, what): called as files are processed."""


@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.removed} removed, {len(self.failed)} failed"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": [{"path": p, "reason": r} for p, r in self.failed],
            "warnings": [{"doc_id": d, "warning": w} for d, w in self.warnings],
            "notes": self.notes,
        }


@dataclass(frozen=True)
class Processed:
    """What a worker hands back for one file: the article and everything the store keeps."""

    article: Article
    sha256: str
    size: int
    mtime: float
    encoding: str
    kind: str
    removed: list[Removed]
    credits: list[dict[str, str]]
    warnings: list[str]
    fts: tuple[str, str, str, str]
    sketch: list[int]


@dataclass(frozen=True)
class Job:
    path: Path
    root: Path
    data_dir: Path
    max_bytes: int
    template: frozenset[str]


def process(job: Job) -> Processed | str:
    """Clean, parse and analyse one file; a string is the reason it could not be used."""
    try:
        raw = read_raw(job.path, job.root, job.max_bytes)
        cleaned = clean(raw, load_rules(job.data_dir / "boilerplate.csv"), job.template)
        article = parse_article(raw, cleaned, load_roster(job.data_dir), job.data_dir)
    except AllianceError as exc:
        return str(exc)
    except (RecursionError, MemoryError, ValueError, UnicodeError) as exc:
        return f"{job.path}: could not be processed ({type(exc).__name__}: {exc})"
    stat = job.path.stat()
    return Processed(
        article,
        raw.sha256,
        stat.st_size,
        stat.st_mtime,
        raw.encoding,
        raw.kind,
        list(cleaned.removed),
        [{"kind": c.kind, "text": c.text} for c in cleaned.credits],
        list(cleaned.warnings),
        fts_values(article.title, article.body),
        sketch(article.body),
    )


def _page_keys(job: Job) -> set[str]:
    try:
        return {line_key(line) for line in page_lines(read_raw(job.path, job.root, job.max_bytes))}
    except (AllianceError, ValueError, RecursionError):
        return set()


def _run(fn: Callable[[Job], object], jobs: list[Job], progress: Progress | None, what: str) -> Iterable[object]:
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers == 1:
        for i, job in enumerate(jobs, 1):
            yield fn(job)
            if progress:
                progress(i, len(jobs), what)
        return
    with ProcessPoolExecutor(workers) as pool:
        for i, result in enumerate(pool.map(fn, jobs, chunksize=16), 1):
            yield result
            if progress:
                progress(i, len(jobs), what)


def ingest(
    data_dir: Path,
    paths: list[Path] | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> IngestReport:
    """Bring the index in line with the raw files: new and changed files are processed,
    unchanged ones skipped (same size and modification time), vanished ones removed."""
    roots = [p.absolute() for p in (paths or [data_dir / "raw"])]
    for root in roots:
        if not root.exists():
            raise BadInput(f"{root}: no such file or folder")
    report = IngestReport()
    try:
        store = Store.open(data_dir, create=True)
    except IndexProblem:
        if not rebuild:
            raise
        aside = set_aside(db_path(data_dir))
        report.notes.append(f"the old index was unreadable: set aside as {aside.name}, building a new one")
        store = Store.open(data_dir, create=True)
    try:
        if not store.analyzer_current and store.count():
            report.notes.append("the search analyzer changed since the index was built: rebuilding it")
            rebuild = True
        known = {} if rebuild else store.fingerprints()
        seen: set[str] = set()
        todo: list[Job] = []
        for root in roots:
            for path in iter_raw_paths(root):
                if link_escapes(path, root):
                    report.failed.append((str(path), "a link to a file outside the ingested folder"))
                    continue
                doc_id = doc_id_for(path, root)
                if doc_id in seen:
                    report.failed.append((str(path), f"another file already has the id '{doc_id}'"))
                    continue
                seen.add(doc_id)
                try:
                    stat = path.stat()
                except OSError as exc:
                    report.failed.append((str(path), f"cannot read ({exc.strerror})"))
                    continue
                old = known.get(doc_id)
                if old and old[0] == stat.st_size and old[1] == stat.st_mtime:
                    report.unchanged += 1
                else:
                    todo.append(Job(path, root, data_dir, max_bytes, frozenset()))
        template = store.templates() if not rebuild else frozenset()
        if len(todo) >= TEMPLATE_MIN_FILES:
            counts: dict[str, int] = {}
            for keys in _run(_page_keys, todo, progress, "reading"):
                for key in keys:  # type: ignore[attr-defined]
                    counts[key] = counts.get(key, 0) + 1
            template = template | frozenset(k for k, n in counts.items() if n >= TEMPLATE_MIN_FILES and k)
        todo = [Job(j.path, j.root, j.data_dir, j.max_bytes, template) for j in todo]
        results = list(_run(process, todo, progress, "cleaning and parsing"))
        with store.writing():
            if rebuild:
                store.clear()
            ingested = {str(r.resolve()) for r in roots}
            for doc_id, (_, _, _, rowid, path) in known.items():
                under_root = any(_is_under(Path(path), Path(r)) for r in ingested)
                if doc_id not in seen and under_root:
                    store.delete(rowid)
                    report.removed += 1
            for job, result in zip(todo, results, strict=True):
                if isinstance(result, str):
                    report.failed.append((str(job.path), result.removeprefix(f"{job.path}: ")))
                    continue
                assert isinstance(result, Processed)
                is_update = result.article.doc_id in known
                store.put(
                    result.article,
                    sha256=result.sha256,
                    size=result.size,
                    mtime=result.mtime,
                    encoding=result.encoding,
                    kind=result.kind,
                    removed=result.removed,
                    credits=result.credits,
                    warnings=result.warnings,
                    fts=result.fts,
                    sketch=result.sketch,
                )
                report.warnings.extend((result.article.doc_id, w) for w in result.warnings)
                if is_update:
                    report.updated += 1
                else:
                    report.new += 1
            store.set_templates(template)
            group_meetings(store)
    finally:
        store.close()
    return report


def _is_under(path: Path, root: Path) -> bool:
    resolved = path.resolve()
    return resolved == root or root in resolved.parents


def set_aside(path: Path) -> Path:
    """Rename a damaged index (and its WAL files) so a rebuild starts clean and nothing is deleted."""
    import time

    aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.rename(aside.with_name(aside.name + suffix))
    return aside
