"""Raw files -> store: find what changed, clean and parse it (on every core), write it in one
transaction. Raw files are only read; the index can always be rebuilt from them."""

from __future__ import annotations

import os
import time
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from stat import S_ISLNK

# The cleaner, the parser and the process pool are imported where they are first used (process,
# _write, _Workers), not here: an ingest with nothing to do never needs them, and loading them
# was 0.2 s of the 2 s such an ingest of 100,000 files takes.
from .errors import AllianceError, BadInput, Busy, Damaged, IndexProblem, OldIndex, ReadOnly
from .index import fts_values
from .meetings import group_meetings, lead_sentence
from .models import Article, Progress
from .rawfile import (
    DEFAULT_MAX_BYTES,
    link_escapes,
    name_is_utf8,
    not_regular,
    printable,
    raw_files,
    read_raw,
)
from .roster import load_roster
from .sketches import band_keys, sketch
from .store import Fingerprint, Store, StoredTexts, db_path

INGEST_CACHE_KIB = 64 * 1024
"""SQLite page cache while ingesting: a large transaction spills less to the WAL."""
PARALLEL_FROM = 64
"""Below this many files a process pool costs more than it saves."""
REGROUP_WHOLE_SHARE = 0.2
"""When at least this share of the corpus is new, changed or removed, the meetings are grouped
again whole: the incremental path costs about 0.6 ms per changed article against 0.12 ms per
article for a whole regrouping (20,000 new pages: 12 s against 2.3 s), and gives the same rows."""
TEMPLATE_LEARNT_AT = (256, 2048, 16384)
"""After this many pages of an ingest, the lines repeated so far join the template the next
pages are cleaned with, so a large ingest cleans most pages of a site once, not twice (the
template pass re-cleaned 8 % of the bench's pages, most of them HTML). Counts in a part of the
pages never exceed those in all of them, so what is learnt early is in the final template; a
page that kept a line of it is still cleaned again. Fixed page counts, not timing: the same
files give the same index on any number of cores."""
TEMPLATE_LEARNT_EVERY = 16384
"""Past the last of TEMPLATE_LEARNT_AT, the template grows every this many pages, from the lines
of the pages since the last time (a sort of those alone, so the learning stays linear): a folder
sorted by outlet meets a later site's pages together, and without it every HTML page of such a
site was cleaned twice (the 100k bench: 2,100 of one outlet's pages)."""
NOT_UTF8_NAME = "the file name is not UTF-8: its bytes are spelt \\xNN in the doc_id"


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
        warned = f", {len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}" if self.warnings else ""
        return (
            f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.removed} removed, {len(self.failed)} failed{warned}"
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
    """What a worker hands back for one file: the article, everything the store keeps, and
    the fingerprints of its lines (all of them, and those the cleaner kept) for the site template."""

    article: Article
    sha256: str
    size: int
    mtime: float
    encoding: str
    kind: str
    warnings: tuple[str, ...]
    texts: StoredTexts
    fts: tuple[str, str, str, str]
    line_prints: frozenset[int]
    kept_prints: frozenset[int]
    plain: bool
    """Cleaned as if there were no site template (none applied, or it would have swallowed the article)."""


class LineCounts:
    """How many pages have had each line so far, as a count-min sketch: two byte tables indexed by
    different bits of the (well-mixed) line fingerprint, saturating at 255. A count is never low,
    and seldom high (both slots would have to be shared), in 8 MiB however many lines a corpus
    has. The ingest only uses it to guess which pages the template pass will rewrite."""

    BITS = 22

    def __init__(self) -> None:
        self.low = bytearray(1 << self.BITS)
        self.high = bytearray(1 << self.BITS)

    def add(self, prints: Iterable[int]) -> None:
        mask, low, high = (1 << self.BITS) - 1, self.low, self.high
        for p in prints:
            i, j = p & mask, (p >> 28) & mask
            if low[i] < 255:
                low[i] += 1
            if high[j] < 255:
                high[j] += 1

    def any_reached(self, prints: Iterable[int], times: int) -> bool:
        """Whether some line may already be in `times` pages (certainly, when it is)."""
        mask, low, high = (1 << self.BITS) - 1, self.low, self.high
        return any(low[p & mask] >= times and high[(p >> 28) & mask] >= times for p in prints)


@dataclass(frozen=True)
class Job:
    path: Path
    root: Path
    data_dir: Path
    max_bytes: int
    template: frozenset[int]
    plain: bool = False
    """The index holds this file cleaned as if there were no template (Processed.plain): a
    template that would swallow the article changes nothing, and the file is not processed again."""


def process(job: Job) -> Processed | str | None:
    """Clean, parse and analyse one file; a string is the reason it could not be used, None
    that the index already holds what this job would write (see Job.plain)."""
    # imported late: see the note at the top
    from .clean import clean_blocks, clean_with_template, load_rules, page_prints
    from .parse import page_parts, parse_article

    try:
        raw = read_raw(job.path, job.root, job.max_bytes)
        blocks, meta, html_meta = page_parts(raw)
        rules = load_rules(job.data_dir / "boilerplate.csv")
        cleaned = (clean_with_template if job.plain else clean_blocks)(blocks, rules, job.template, meta)
        if cleaned is None:  # swallowed by the template, and the index holds the plain cleaning
            return None
        prints = page_prints(b.text for b in blocks)
        plain = cleaned.template_swallowed or job.template.isdisjoint(prints.values())
        article = parse_article(raw, cleaned, load_roster(job.data_dir), job.data_dir, html_meta)
    except AllianceError as exc:
        return str(exc)
    except (RecursionError, MemoryError, ValueError, UnicodeError) as exc:
        return f"{printable(job.path)}: could not be processed ({type(exc).__name__}: {exc})"
    if not name_is_utf8(job.path):  # the store and every printout need text
        article = replace(article, path=printable(job.path))
    stat = job.path.stat()
    dropped = {r.text for r in cleaned.removed}
    bins = sketch(article.body)
    return Processed(
        article,
        raw.sha256,
        stat.st_size,
        stat.st_mtime,
        raw.encoding,
        raw.kind,
        cleaned.warnings,
        StoredTexts.of(
            bins,
            band_keys(bins),
            lead_sentence(article.body),
            list(cleaned.warnings),
            list(cleaned.removed),
            [{"kind": c.kind, "text": c.text} for c in cleaned.credits],
        ),
        fts_values(article.title, article.body),
        frozenset(prints.values()),
        frozenset(p for text, p in prints.items() if text not in dropped),
        plain,
    )


PARENT_POLL_SECONDS = 1.0
WORKER_GC_THRESHOLD = 50_000
"""Allocations between two young-generation collections in a worker (700 by default). Parsing a
page makes and drops tens of thousands of short-lived objects that reference counting frees; a
collection every 700 of them re-walks the young objects for cycles there are almost none of
(2 % of a worker's instructions, callgrind, 60 bench pages). Cycles are still collected."""


def start_worker(parent: int) -> None:
    """Each worker's set-up: end with the parent, and collect cycles less often (the modules
    imported so far are frozen out of the collector's walk)."""
    import gc

    die_with_parent(parent)
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])


def die_with_parent(parent: int) -> None:
    """Run in each worker: end it when the ingest that started it dies (even by kill -9), so no
    orphan keeps corpus.db and the caller's stdout open. Linux asks the kernel to kill it
    (PR_SET_PDEATHSIG); elsewhere a thread notices that the parent has changed."""
    import signal
    import sys
    import threading

    if sys.platform.startswith("linux"):
        import ctypes
        from contextlib import suppress

        with suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="alliance-parent-watch").start()


class _Workers:
    """Runs jobs in order, on every core when the ingest has enough of them to pay for a process
    pool (started once, for every batch of the ingest)."""

    def __init__(self, count: int) -> None:
        from concurrent.futures import ProcessPoolExecutor  # imported late: see the note at the top

        workers = min(os.cpu_count() or 1, 8)
        self.pool = None
        if count >= PARALLEL_FROM and workers > 1:
            self.pool = ProcessPoolExecutor(workers, initializer=start_worker, initargs=(os.getpid(),))

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, error: type[BaseException] | None, *_: object) -> None:
        if self.pool is not None:  # after an error (Ctrl-C), the jobs not started are dropped
            self.pool.shutdown(cancel_futures=error is not None)

    def run(
        self, jobs: list[Job], progress: Progress | None, what: str, done: int = 0, total: int | None = None
    ) -> Iterator[tuple[Job, Processed | str | None]]:
        """(job, result) in the jobs' order; progress counts from `done` of `total` (these jobs alone by default)."""
        total = len(jobs) if total is None else total
        results = map(process, jobs) if self.pool is None else self.pool.map(process, jobs, chunksize=16)
        for i, item in enumerate(zip(jobs, results, strict=True), done + 1):
            yield item
            if progress:
                progress(i, total, what)


def ingest(
    data_dir: Path,
    paths: list[Path] | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> IngestReport:
    """Bring the index in line with the raw files: new and changed files are processed,
    unchanged ones skipped (same size and modification time), vanished ones removed.

    Results are written as workers finish them, inside one transaction, so memory holds one
    article at a time. Lines repeated across TEMPLATE_MIN_FILES pages become the site template;
    the articles that kept such a line are cleaned again with it, and rewritten unless the
    template would swallow the article (near-duplicates: their first cleaning stands)."""
    roots = [p.absolute() for p in (paths or [data_dir / "raw"])]
    for root in roots:
        if not root.exists():
            raise BadInput(f"{root}: no such file or folder")
    report = IngestReport()
    store = _open_store(data_dir, rebuild, report)
    try:
        if not store.analyzer_current and store.count():
            report.notes.append("the search analyzer changed since the index was built: rebuilding it")
            rebuild = True
        known = {} if rebuild else store.fingerprints()
        todo, seen = _plan(roots, data_dir, known, max_bytes, report)
        if not (rebuild or todo or _vanished(roots, known, seen)):
            return report  # nothing to do: nothing written, corpus.db left as it was
        template = frozenset() if rebuild else store.templates()
        store.conn.execute(f"PRAGMA cache_size = -{INGEST_CACHE_KIB}")
        with store.writing():
            if rebuild:
                store.clear()
            store.size_fts_buffer()
            template = _write(store, roots, todo, known, seen, template, progress, report)
            store.set_templates(template)
            whole = rebuild or _much_of(len(todo) + report.removed, known)
            group_meetings(store, incremental=not whole)
    finally:
        store.close()
    return report


def _write(
    store: Store,
    roots: list[Path],
    todo: list[Job],
    known: dict[str, Fingerprint],
    seen: set[str],
    template: frozenset[int],
    progress: Progress | None,
    report: IngestReport,
) -> frozenset[int]:
    """Both passes: every file cleaned and written, then the pages that kept a line of the site
    template cleaned with it and written again; the template learnt. An ingest writing much of the
    corpus builds the band index afterwards (Store.band_order_built_after)."""
    from .clean import TEMPLATE_MIN_FILES, repeated  # imported late: see the note at the top

    with store.band_order_built_after(_much_of(len(todo), known)), _Workers(len(todo)) as workers:
        _remove_vanished(store, roots, known, seen, report)
        lines = array("q")  # every page's line fingerprints: 8 bytes each, counted once at the end
        kept_lines, kept_by = array("q"), array("l")  # the lines each article kept, by job index
        plain = bytearray(len(todo))  # whether each article was cleaned as if without a template
        counts = LineCounts()  # lines already repeated: their pages will be cleaned again
        learnt, since = template, 0  # the lines from `since` on are not learnt from yet
        for batch in _batches(len(todo)):
            jobs = [replace(todo[i], template=learnt) for i in batch]
            results = workers.run(jobs, progress, "cleaning and parsing", batch.start, len(todo))
            for index, (job, result) in zip(batch, results, strict=True):
                hold = False
                if isinstance(result, Processed):
                    counts.add(result.line_prints)
                    hold = counts.any_reached(result.kept_prints, TEMPLATE_MIN_FILES)
                if _store(store, job, result, known, report, hold):
                    assert isinstance(result, Processed)
                    lines.extend(result.line_prints)
                    kept_lines.extend(result.kept_prints)
                    kept_by.extend([index] * len(result.kept_prints))
                    plain[index] = result.plain
            if batch.stop < len(todo):
                learnt = learnt | repeated(lines[since:], TEMPLATE_MIN_FILES)
                since = 0 if batch.stop < _last_learnt_at() else len(lines)
        if len(todo) >= TEMPLATE_MIN_FILES:
            template = template | repeated(lines, TEMPLATE_MIN_FILES)
        redo = sorted({kept_by[i] for i, line in enumerate(kept_lines) if line in template})
        again = [replace(todo[i], template=template, plain=bool(plain[i])) for i in redo]
        for job, result in workers.run(again, progress, "removing the site template"):
            _store(store, job, result, None, None)
        store.index_held()
    return template


def _last_learnt_at() -> int:
    """The last of TEMPLATE_LEARNT_AT: up to it the template is learnt from every page so far,
    past it every TEMPLATE_LEARNT_EVERY pages from the pages since."""
    return max(TEMPLATE_LEARNT_AT, default=0)


def _batches(count: int) -> list[range]:
    """The job ranges between the points where the template is learnt."""
    later = range(_last_learnt_at() + TEMPLATE_LEARNT_EVERY, count, TEMPLATE_LEARNT_EVERY)
    cuts = [0, *(c for c in TEMPLATE_LEARNT_AT if c < count), *later, count]
    return [range(a, b) for a, b in pairwise(cuts)]


def _much_of(count: int, known: dict[str, Fingerprint]) -> bool:
    """Whether this many documents written or removed are much of the corpus the index held
    (REGROUP_WHOLE_SHARE): then whole passes beat incremental ones."""
    return count >= REGROUP_WHOLE_SHARE * len(known)


def _open_store(data_dir: Path, rebuild: bool, report: IngestReport) -> Store:
    """The store to write; an index from an older alliance, or (with --rebuild) one SQLite finds
    damaged in any way, is set aside under a new name and a new one started."""
    try:
        store = Store.open(data_dir, create=True)
        if rebuild:
            try:
                store.verify()
            except Damaged:
                store.close()
                raise
    except OldIndex:
        replaced = set_aside(db_path(data_dir), "older-version")
        report.notes.append(f"the index was from an older alliance: moved to {replaced.name}, rebuilding it")
        return Store.open(data_dir, create=True)
    except (ReadOnly, Busy):
        raise
    except IndexProblem:
        if not rebuild:
            raise
        aside = set_aside(db_path(data_dir))
        report.notes.append(f"the old index was unreadable: set aside as {aside.name}, building a new one")
        return Store.open(data_dir, create=True)
    return store


def _plan(
    roots: list[Path],
    data_dir: Path,
    known: dict[str, Fingerprint],
    max_bytes: int,
    report: IngestReport,
) -> tuple[list[Job], set[str]]:
    """The files to (re)process, and every doc_id present on disk."""
    seen: set[str] = set()
    todo: list[Job] = []
    for root in roots:
        for name, doc_id in raw_files(root):  # strings and one lstat per file: the unchanged-corpus path
            try:
                stat = os.lstat(name)
                link = S_ISLNK(stat.st_mode)
                if link:
                    stat = os.stat(name)
            except OSError as exc:
                stat, link, error = None, False, exc
            if link and link_escapes(Path(name), root):  # folders outside root are never walked
                report.failed.append((printable(name), "a link to a file outside the ingested folder"))
                continue
            if doc_id in seen:
                report.failed.append((printable(name), f"another file already has the id '{doc_id}'"))
                continue
            seen.add(doc_id)
            if stat is None:
                report.failed.append((printable(name), f"cannot read ({error.strerror})"))
                continue
            if reason := not_regular(stat.st_mode):  # a FIFO would block the whole run
                report.failed.append((printable(name), reason))
                continue
            old = known.get(doc_id)
            if old and old[0] == stat.st_size and old[1] == stat.st_mtime:
                report.unchanged += 1
            else:
                path = Path(name)
                if not name_is_utf8(path):
                    report.warnings.append(
                        (doc_id, "the file name is not UTF-8: its bytes are spelt \\xNN in the doc_id")
                    )
                todo.append(Job(path, root, data_dir, max_bytes, frozenset()))
    return todo, seen


def _remove_vanished(
    store: Store,
    roots: list[Path],
    known: dict[str, Fingerprint],
    seen: set[str],
    report: IngestReport,
) -> None:
    """Drop documents whose file is gone from a folder this run ingested (others stay)."""
    for rowid in _vanished(roots, known, seen):
        store.delete(rowid)
        report.removed += 1


def _vanished(roots: list[Path], known: dict[str, Fingerprint], seen: set[str]) -> list[int]:
    """Rowids of documents whose file is gone from a folder this run ingested."""
    ingested = [r.resolve() for r in roots]
    return [
        rowid
        for doc_id, (_, _, rowid, path) in known.items()
        if doc_id not in seen and any(_is_under(Path(path), r) for r in ingested)
    ]


def _store(
    store: Store,
    job: Job,
    result: Processed | str | None,
    known: dict[str, Fingerprint] | None,
    report: IngestReport | None,
    hold_fts: bool = False,
) -> bool:
    """Write one result; count it in the report when one is given (not for a second cleaning).
    None (a second cleaning that changes nothing) writes nothing. hold_fts: the page is expected
    to be written again (Store.put)."""
    if result is None:
        return False
    if isinstance(result, str):
        if report is not None:
            report.failed.append((printable(job.path), result.removeprefix(f"{printable(job.path)}: ")))
        return False
    store.put(
        result.article,
        sha256=result.sha256,
        size=result.size,
        mtime=result.mtime,
        encoding=result.encoding,
        kind=result.kind,
        texts=result.texts,
        fts=result.fts,
        hold_fts=hold_fts,
    )
    if report is not None and known is not None:
        report.warnings.extend((result.article.doc_id, w) for w in result.warnings)
        if result.article.doc_id in known:
            report.updated += 1
        else:
            report.new += 1
    return True


def _is_under(path: Path, root: Path) -> bool:
    resolved = path.resolve()
    return resolved == root or root in resolved.parents


def set_aside(path: Path, label: str = "") -> Path:
    """Rename an index (and its WAL files) so a rebuild starts clean and nothing is deleted: a
    damaged one gets a timestamp, an older version one fixed name (a later upgrade replaces it)."""
    aside = path.with_name(f"{path.name}.{label or 'damaged-' + time.strftime('%Y%m%d-%H%M%S')}")
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.rename(aside.with_name(aside.name + suffix))
    return aside
