"""The search index an ingest leaves: exactly the analysed text of the documents it stored, whatever
order the pages were written, held and rewritten in (the site-template pass)."""

from collections import Counter
from pathlib import Path

from alliance.index import FTS_COLUMNS, fts_values
from alliance.ingest import _Workers, ingest
from alliance.store import Store

STORY = (
    "Defense Minister Shin Won-sik and U.S. Secretary of Defense Lloyd Austin held a phone call on Tuesday "
    "and agreed to strengthen the alliance's extended deterrence against North Korea's nuclear threats, "
    "the ministry in Seoul said. They also discussed trilateral security cooperation with {place}."
)
SLOGAN = (
    "Our newsroom is independent and is funded by readers like you, so that we can keep bringing you the news "
    "that matters to you and your family every single day."
)


def indexed(store: Store) -> Counter[tuple[str, int, str, int]]:
    """Every (term, rowid, column, offset) the FTS5 index holds."""
    store.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.instances USING fts5vocab(main, fts, instance)")
    return Counter(tuple(r) for r in store.conn.execute("SELECT term, doc, col, offset FROM temp.instances"))


def analysed(store: Store) -> Counter[tuple[str, int, str, int]]:
    """What the index would hold if each stored document were indexed once, from its stored text."""
    conn = store.conn
    columns = ", ".join(FTS_COLUMNS)
    conn.execute(
        f"CREATE VIRTUAL TABLE temp.fresh USING fts5({columns}, content='', tokenize='unicode61 remove_diacritics 0')"
    )
    rows = conn.execute("SELECT d.id, d.title, t.body FROM documents d JOIN texts t USING (id)").fetchall()
    for rowid, title, body in rows:
        conn.execute(
            f"INSERT INTO temp.fresh(rowid, {columns}) VALUES (?, ?, ?, ?, ?)", (rowid, *fts_values(title, body))
        )
    conn.execute("CREATE VIRTUAL TABLE temp.fresh_instances USING fts5vocab(temp, fresh, instance)")
    return Counter(tuple(r) for r in conn.execute("SELECT term, doc, col, offset FROM temp.fresh_instances"))


def _ingested(tmp_path: Path, pages: dict[str, str]) -> Store:
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    for name, text in pages.items():
        (raw / name).write_text(text)
    ingest(tmp_path / "data")
    return Store.open(tmp_path / "data")


def test_pages_cleaned_again_for_the_site_template_are_indexed_once_without_the_template(tmp_path, monkeypatch):
    """Five pages share a slogan: each is written, then written again without it; the first pages
    were indexed before the slogan was known to repeat, the later ones held (never indexed twice)."""
    places = ("Canada", "India", "Japan", "Mexico", "Norway")
    pages = {f"{p}.txt": f"Example Daily\n{STORY.format(place=p)}\n{SLOGAN}\n" for p in places}
    held = []
    put = Store.put
    monkeypatch.setattr(
        Store, "put", lambda self, a, **kw: held.append(kw.get("hold_fts", False)) or put(self, a, **kw)
    )
    store = _ingested(tmp_path, pages)
    try:
        assert held == [False, False, True, True, True] + [False] * 5  # both paths: indexed, then held
        assert {store.document(p)["body"].count("newsroom") for p in places} == {0}
        assert indexed(store) == analysed(store)
        assert not store.conn.execute("SELECT rowid FROM fts WHERE fts MATCH 'body_x:newsroom'").fetchall()
        assert len(store.conn.execute("SELECT rowid FROM fts WHERE fts MATCH 'body_x:mexico'").fetchall()) == 1
    finally:
        store.close()


def test_held_pages_that_the_template_pass_leaves_as_they_were_are_indexed(tmp_path):
    """Near-copies: the template would swallow each, so the second pass writes nothing and the
    index rows held for the rewrite they never got are indexed at the end."""
    pages = {
        f"copy-{i}.txt": f"Example Daily\n{STORY.format(place='Japan')}\nReference number {i}.\n" for i in range(5)
    }
    store = _ingested(tmp_path, pages)
    try:
        assert store.count() == 5
        assert indexed(store) == analysed(store)
        assert len(store.conn.execute("SELECT rowid FROM fts WHERE fts MATCH 'body_x:deterrence'").fetchall()) == 5
    finally:
        store.close()


RUN_JOBS = _Workers.run


def _ingest_recording_passes(
    tmp_path: Path, pages: dict[str, str], monkeypatch, learnt_at: tuple[int, ...], every: int = 10**9
):
    """Ingest with the template learnt after `learnt_at` pages and every `every` pages after:
    (the exported documents, the file names each pass cleaned)."""
    from alliance import ingest as ingest_module
    from alliance.export import records

    monkeypatch.setattr(ingest_module, "TEMPLATE_LEARNT_AT", learnt_at)
    monkeypatch.setattr(ingest_module, "TEMPLATE_LEARNT_EVERY", every)
    passes: dict[str, list[str]] = {}

    def recording(self, jobs, progress, what, *args):
        passes.setdefault(what, []).extend(j.path.name for j in jobs)
        return RUN_JOBS(self, jobs, progress, what, *args)

    monkeypatch.setattr(ingest_module._Workers, "run", recording)
    store = _ingested(tmp_path, pages)
    try:
        assert indexed(store) == analysed(store)
        rows = [{k: v for k, v in row.items() if k != "path"} for row in records(store)]
    finally:
        store.close()
    return rows, passes


def test_a_template_learnt_early_cleans_the_later_pages_once_and_changes_nothing(tmp_path, monkeypatch):
    """Ten pages share a slogan. Learnt after the first four, the slogan is left out of the other
    six as they are first cleaned, so only the first four are cleaned again; the index is the one
    an ingest that learns it only at the end builds."""
    places = ("Canada", "Chile", "Egypt", "India", "Japan", "Kenya", "Mexico", "Nepal", "Norway", "Peru")
    pages = {f"{p}.txt": f"Example Daily\n{STORY.format(place=p)}\n{SLOGAN}\n" for p in places}
    early, early_passes = _ingest_recording_passes(tmp_path / "early", pages, monkeypatch, (4,))
    late, late_passes = _ingest_recording_passes(tmp_path / "late", pages, monkeypatch, ())
    assert early_passes["cleaning and parsing"] == late_passes["cleaning and parsing"] == sorted(pages)
    assert late_passes["removing the site template"] == sorted(pages)
    assert early_passes["removing the site template"] == sorted(pages)[:4]
    assert early == late
    assert all("newsroom" not in row["body"] for row in early)


def test_a_later_site_is_learnt_from_the_pages_since_the_last_time(tmp_path, monkeypatch):
    """A folder sorted by site: eight pages of one, then eight of another with its own slogan.
    Learning every four pages catches the second site's slogan after its first four pages, so
    only those four of its pages are cleaned twice (all eight without), and the index is the same."""
    other = "Subscribe to The Morning Ledger for the stories that shape the peninsula, delivered every weekday."
    places = ("Canada", "Chile", "Egypt", "India", "Japan", "Kenya", "Mexico", "Nepal")
    pages = {f"a-{p}.txt": f"Example Daily\n{STORY.format(place=p)}\n{SLOGAN}\n" for p in places}
    pages |= {f"b-{p}.txt": f"Morning Ledger\n{STORY.format(place=p)}\n{other}\n" for p in places}
    names = sorted(pages)
    often, often_passes = _ingest_recording_passes(tmp_path / "often", pages, monkeypatch, (4,), every=4)
    once, once_passes = _ingest_recording_passes(tmp_path / "once", pages, monkeypatch, (4,))
    assert often_passes["removing the site template"] == names[:4] + names[8:12]
    assert once_passes["removing the site template"] == names[:4] + names[8:]
    assert often == once
    assert all("newsroom" not in row["body"] and "Ledger for" not in row["body"] for row in often)


def _worker_gc() -> tuple[tuple[int, int, int], int]:
    import gc

    return gc.get_threshold(), gc.get_freeze_count()


def test_ingest_workers_collect_cycles_less_often_and_still_do():
    """The pool's initializer: fewer young-generation collections in the workers, not none."""
    import os
    from concurrent.futures import ProcessPoolExecutor

    from alliance.ingest import WORKER_GC_THRESHOLD, start_worker

    with ProcessPoolExecutor(1, initializer=start_worker, initargs=(os.getpid(),)) as pool:
        threshold, frozen = pool.submit(_worker_gc).result()
    assert threshold[0] == WORKER_GC_THRESHOLD and threshold[1] > 0
    assert frozen > 0
