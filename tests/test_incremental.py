"""An ingest that adds, changes or removes files gives the copies and meetings a full rebuild
gives (issue 17): copy detection reads the stored band table and grouping regroups only the
meetings the changed files touch, so both are checked against the from-scratch answer."""

import random
import shutil
import sys
import zlib
from pathlib import Path

import pytest

from alliance import ingest as ingest_module
from alliance import meetings as grouping
from alliance.index import fts_values
from alliance.ingest import ingest
from alliance.meetings import group_meetings
from alliance.models import Article, PersonRef
from alliance.sketches import EMPTY_BIN, SKETCH_BINS, band_keys
from alliance.store import Store, StoredTexts

BENCH = Path(__file__).resolve().parents[1] / "bench"
SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw"


def _state(data: Path) -> tuple[list[tuple[str, str | None, str | None]], list[tuple]]:
    store = Store.open(data)
    try:
        docs = [tuple(r) for r in store.conn.execute("SELECT doc_id, copy_of, event_id FROM documents ORDER BY 1")]
        meetings = [tuple(r) for r in store.conn.execute("SELECT * FROM meetings ORDER BY 1")]
        people = [tuple(r) for r in store.conn.execute("SELECT * FROM people_index ORDER BY 1")]
    finally:
        store.close()
    return docs, meetings + people


def _copy_of_seed(seed: Path, target: Path, note: str) -> None:
    """A syndicated copy: the seed's text with one line of its own."""
    target.write_text(seed.read_text(encoding="utf-8") + f"\n{note}\n", encoding="utf-8")


@pytest.fixture()
def pages(tmp_path):
    """A generated corpus (meetings reported by several outlets) and the seeds, half of it held back."""
    sys.path.insert(0, str(BENCH))
    try:
        from corpus import generate
    finally:
        sys.path.remove(str(BENCH))
    every = tmp_path / "every"
    generate(40, every, seed=5)  # with the seeds and their copies, under PARALLEL_FROM: no process pool
    for seed in sorted(SEEDS.iterdir()):
        shutil.copy(seed, every / seed.name)
        for n in range(3):  # copies that sort before and after their original
            _copy_of_seed(seed, every / f"{'0' if n else 'z'}{n}-copy-{seed.name}", f"Reference {n}.")
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    names = sorted(p.name for p in every.iterdir())
    return every, data, names


def test_adding_changing_and_removing_files_matches_a_rebuild(pages, monkeypatch):
    monkeypatch.setattr(ingest_module, "REGROUP_WHOLE_SHARE", 10.0)  # these batches are large: keep them incremental
    every, data, names = pages
    raw = data / "raw"
    for name in names[::2]:
        shutil.copy(every / name, raw / name)
    ingest(data)
    for name in names[1::2]:  # the rest arrives: originals before and after their copies
        shutil.copy(every / name, raw / name)
    ingest(data)
    incremental = _state(data)
    ingest(data, rebuild=True)
    assert incremental == _state(data)
    assert any(copy for _, copy, _ in incremental[0]) and any(event for _, _, event in incremental[0])

    originals = sorted(SEEDS.iterdir())
    (raw / originals[0].name).unlink()  # an original goes: its copies follow the next one
    _copy_of_seed(originals[1], raw / originals[2].name, "Now a copy of another seed.")
    for name in names[5:40:7]:
        (raw / name).unlink()
    ingest(data)
    incremental = _state(data)
    ingest(data, rebuild=True)
    assert incremental == _state(data)


def test_a_large_change_regroups_whole_and_a_small_one_incrementally(pages, monkeypatch):
    every, data, names = pages
    whole = []
    monkeypatch.setattr(
        grouping, "_group_all", lambda store, roster, real=grouping._group_all: whole.append(1) or real(store, roster)
    )
    raw = data / "raw"
    for name in names[:40]:
        shutil.copy(every / name, raw / name)
    ingest(data)  # an empty index: everything is new
    assert len(whole) == 1
    shutil.copy(every / names[40], raw / names[40])  # one file in 41
    ingest(data)
    assert len(whole) == 1
    for name in names[41:]:  # over a fifth of the corpus
        shutil.copy(every / name, raw / name)
    ingest(data)
    assert len(whole) == 2
    after = _state(data)
    ingest(data, rebuild=True)
    assert after == _state(data)


# -- a store written directly, for the hard cases -------------------------------------------
# Articles built here (participants, dates, sketches chosen) go through Store.put and
# group_meetings as an ingest's would; after every batch the incremental answer is compared
# with the from-scratch one (`group_meetings(incremental=False)`, rolled back afterwards).


NAMES = ("Lloyd Austin", "Shin Won-sik", "Antony Blinken", "Park Jin", "Cho Tae-yul", "Han Duck-soo")


def _put(store: Store, doc_id: str, bins: list[int], published: str | None, **fields) -> int:
    names = fields.pop("participants", ())
    mentioned = fields.pop("mentioned", ())
    offices = fields.pop("offices", {})
    article = Article(
        doc_id=doc_id,
        path=f"/raw/{doc_id}.txt",
        title=doc_id,
        body=f"Body of {doc_id}.",
        published=published,
        participants=tuple(PersonRef(n, offices.get(n), "US", True, (n, n.split()[-1])) for n in names),
        mentioned=tuple(PersonRef(n, None, "KR", False, (n,)) for n in mentioned),
        **fields,
    )
    texts = StoredTexts.of(bins, band_keys(bins), f"Lead of {doc_id}.", [], [], [])
    fts = fts_values(article.title, article.body)
    return store.put(article, sha256=doc_id, size=1, mtime=1.0, encoding="utf-8", kind="text", texts=texts, fts=fts)


def _snapshot(store: Store) -> tuple:
    conn = store.conn
    return (
        [tuple(r) for r in conn.execute("SELECT doc_id, copy_of, event_id FROM documents ORDER BY 1")],
        [tuple(r) for r in conn.execute("SELECT * FROM meetings ORDER BY 1")],
        [tuple(r) for r in conn.execute("SELECT * FROM people_index ORDER BY 1")],
        store.setting("copies"),
    )


def _from_scratch(store: Store) -> tuple:
    store.conn.execute("BEGIN IMMEDIATE")
    try:
        group_meetings(store, incremental=False)
        return _snapshot(store)
    finally:
        store.conn.execute("ROLLBACK")


class Corpus:
    """A random corpus of stories (near-identical sketches), common-prose bands shared by
    many documents, and meetings of a few officials on nearby days."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.stories = [self._bins() for _ in range(12)]
        self.docs: dict[str, dict] = {}
        self.serial = 0

    def _bins(self) -> list[int]:
        rng = self.rng
        bins = [rng.randrange(1 << 20) for _ in range(SKETCH_BINS)]
        bins[0], bins[1], bins[2], bins[3] = rng.randrange(2), rng.randrange(2), rng.randrange(3), 7
        return bins

    def article(self) -> tuple[str, dict]:
        rng = self.rng
        self.serial += 1
        doc_id = f"d{rng.randrange(1000):03d}-{self.serial}"
        bins = list(rng.choice(self.stories)) if rng.random() < 0.6 else self._bins()
        for i in rng.sample(range(4, SKETCH_BINS), rng.choice((0, 2, 6, 10, 13))):
            bins[i] = rng.randrange(1 << 20)
        if rng.random() < 0.1:
            bins[rng.randrange(SKETCH_BINS)] = EMPTY_BIN
        day = rng.choice([None, *range(1, 9)])
        fields: dict = {
            "bins": bins,
            "published": None if rng.random() < 0.1 else f"2024-03-{rng.randrange(1, 10):02d}",
            "participants": tuple(rng.sample(NAMES[: rng.choice((3, 6))], rng.choice((0, 1, 2, 2, 3)))),
            "mentioned": tuple(rng.sample(NAMES, rng.choice((0, 1)))),
            "offices": {n: rng.choice(("Minister", "Secretary", None)) for n in NAMES},
            "format": rng.choice(("phone", "in-person", None)),
            "location": rng.choice(("Seoul", None)),
        }
        if day is not None:
            fields["meeting_date"] = f"2024-03-{day:02d}"
        elif rng.random() < 0.5:
            start = rng.randrange(1, 6)
            fields["meeting_window"] = (f"2024-03-{start:02d}", f"2024-03-{start + rng.randrange(4):02d}")
        return doc_id, fields

    def step(self, store: Store, adds: int, removes: int, changes: int) -> None:
        rng = self.rng
        for doc_id in rng.sample(sorted(self.docs), min(removes, len(self.docs))):
            rowid = store.conn.execute("SELECT id FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()[0]
            store.delete(rowid)
            del self.docs[doc_id]
        for doc_id in rng.sample(sorted(self.docs), min(changes, len(self.docs))):
            _, fields = self.article()
            if rng.random() < 0.5:  # the same text with new metadata, or new text with the old date
                fields["bins"] = self.docs[doc_id]["bins"]
            else:
                fields["published"] = self.docs[doc_id]["published"]
            self.docs[doc_id] = fields
            _put(store, doc_id, **dict(fields))
        for _ in range(adds):
            doc_id, fields = self.article()
            self.docs[doc_id] = fields
            _put(store, doc_id, **dict(fields))


@pytest.mark.parametrize("cluster_max", [grouping.CLUSTER_MAX_DOCS, 0])
@pytest.mark.parametrize("seed", range(12))
def test_random_batches_match_a_rebuild(tmp_path, monkeypatch, seed, cluster_max):
    """Adds, removals and changes in batches of every size, each checked against the full rule;
    with a cluster limit of 0, a change that reaches past its first meetings regroups the corpus."""
    monkeypatch.setattr(grouping, "CLUSTER_MAX_DOCS", cluster_max)
    corpus = Corpus(seed)
    store = Store.open(tmp_path / "data", create=True)
    try:
        for step, (adds, removes, changes) in enumerate(
            [(60, 0, 0), (1, 0, 0), (10, 0, 0), (0, 3, 0), (0, 0, 4), (5, 2, 2), (25, 10, 5), (0, 0, 1), (3, 1, 0)]
        ):
            with store.writing():
                corpus.step(store, adds, removes, changes)
                group_meetings(store, incremental=step > 0)
            assert _snapshot(store) == _from_scratch(store), f"step {step}"
        _, meetings, _, copies = _snapshot(store)
        assert int(copies) > 3 and len(meetings) > 3
    finally:
        store.close()


def _scattered_copy(bins: list[int], salt: int) -> list[int]:
    """Agrees with `bins` in band 0 and in one bin of every other band: similar (13 of 24
    bins) but a copy candidate only through band 0."""
    return bins[:2] + [v if i % 2 == 0 else v + salt for i, v in enumerate(bins[2:])]


def _unique(n: int) -> list[int]:
    return [1000 * n + i + 100 for i in range(SKETCH_BINS)]


@pytest.mark.parametrize(("crowd", "arrivals"), [(20, 1), (14, 1), (14, 3)])
def test_a_copy_loses_its_original_when_new_documents_crowd_its_band(tmp_path, crowd, arrivals):
    """Band 0 is common prose. With 20 holders the copy compares only with the band's first
    document; a new first takes that place. With 14, more earlier documents make the band
    common and the copy compares with the first only. Either way it stops being a copy."""
    store = Store.open(tmp_path / "data", create=True)
    common = [1, 2]
    try:
        with store.writing():
            original = [*common, *_unique(0)[2:]]
            _put(store, "original", original, "2024-01-05" if crowd > 16 else "2024-01-07")
            for i in range(crowd):
                _put(store, f"crowd-{i:02d}", [*common, *_unique(i + 1)[2:]], f"2024-01-{6 + i % 3:02d}")
            _put(store, "copy", _scattered_copy(original, 7), "2024-02-01")
            group_meetings(store)
        assert store.conn.execute("SELECT copy_of FROM documents WHERE doc_id = 'copy'").fetchone()[0] == "original"
        with store.writing():
            for i in range(arrivals):
                _put(
                    store, f"earlier-{i}", [*common, *_unique(99 + i)[2:]], "2024-01-01" if crowd > 16 else "2024-01-20"
                )
            group_meetings(store, incremental=True)
        assert store.conn.execute("SELECT copy_of FROM documents WHERE doc_id = 'copy'").fetchone()[0] is None
        assert _snapshot(store) == _from_scratch(store)
    finally:
        store.close()


def test_a_new_earlier_copy_takes_over_as_the_original(tmp_path):
    """A story's copies point at its earliest version; one published earlier arrives, and the
    old original and every copy of it now point at the newcomer."""
    store = Store.open(tmp_path / "data", create=True)
    story = _unique(5)
    try:
        with store.writing():
            _put(store, "first", story, "2024-01-05")
            for i in range(3):
                _put(store, f"later-{i}", [*story[:-2], 9, 9 + i], f"2024-01-{6 + i:02d}")
            group_meetings(store)
        with store.writing():
            _put(store, "z-earliest", [*story[:-1], 3], "2024-01-02")
            group_meetings(store, incremental=True)
        copies = dict(store.conn.execute("SELECT doc_id, copy_of FROM documents").fetchall())
        assert copies == {"z-earliest": None, "first": "z-earliest", **{f"later-{i}": "z-earliest" for i in range(3)}}
        assert _snapshot(store) == _from_scratch(store)
    finally:
        store.close()


def _meetings(store: Store) -> list[list[str]]:
    import json

    return sorted(json.loads(r[0])["documents"] for r in store.conn.execute("SELECT record FROM meetings"))


def test_new_articles_merge_two_meetings_and_removing_them_splits_it_again(tmp_path):
    """Austin and Shin on the 1st and on the 3rd are two meetings (two days apart). Two reports
    dated the 2nd make the 2nd the first meeting's day, so the reports of the 3rd join it; when
    they go, it splits again. A report moved to another pair's meeting changes both."""
    store = Store.open(tmp_path / "data", create=True)
    pair = ("Lloyd Austin", "Shin Won-sik")
    other = ("Antony Blinken", "Park Jin")

    def report(doc_id: str, day: int, people: tuple[str, ...] = pair) -> None:
        _put(
            store,
            doc_id,
            _unique(zlib.crc32(doc_id.encode()) % 99991),
            f"2024-03-{day:02d}",
            participants=people,
            meeting_date=f"2024-03-{day:02d}",
            offices={n: "Minister" for n in NAMES},
        )

    try:
        with store.writing():
            report("a1", 1)
            report("b1", 3)
            report("b2", 3)
            report("c1", 3, other)
            group_meetings(store)
        assert _meetings(store) == [["a1"], ["b1", "b2"], ["c1"]]
        with store.writing():
            report("n1", 2)
            report("n2", 2)
            group_meetings(store, incremental=True)
        assert _meetings(store) == [["a1", "b1", "b2", "n1", "n2"], ["c1"]]
        assert _snapshot(store) == _from_scratch(store)
        with store.writing():
            for doc_id in ("n1", "n2"):
                store.delete(store.conn.execute("SELECT id FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()[0])
            group_meetings(store, incremental=True)
        assert _meetings(store) == [["a1"], ["b1", "b2"], ["c1"]]
        assert _snapshot(store) == _from_scratch(store)
        with store.writing():
            report("b2", 3, other)  # the file now reports the other pair's meeting
            group_meetings(store, incremental=True)
        assert _meetings(store) == [["a1"], ["b1"], ["b2", "c1"]]
        assert _snapshot(store) == _from_scratch(store)
    finally:
        store.close()


def test_an_index_from_before_the_running_counts_regroups_whole_once(pages):
    """An index written before people_state existed stays readable as it is, and the first ingest
    that changes something regroups it whole, after which it equals a rebuild and is incremental."""
    every, data, names = pages
    raw = data / "raw"
    for name in names[::2]:
        shutil.copy(every / name, raw / name)
    ingest(data)
    before = _state(data)
    store = Store.open(data, create=True)
    for name in ("people_state", "documents_event", "documents_meeting_date", "documents_window"):
        kind = "TABLE" if name == "people_state" else "INDEX"
        store.conn.execute(f"DROP {kind} {name}")
    store.close()

    store = Store.open(data, create=True)  # what an ingest opens: the counts come back, empty
    assert store.regroup_pending
    store.close()
    assert _state(data) == before  # nothing changed yet: the stored meetings are read as they were

    for name in names[1::2]:
        shutil.copy(every / name, raw / name)
    ingest(data)
    store = Store.open(data)
    assert not store.regroup_pending
    assert store.conn.execute("SELECT count(*) FROM people_state").fetchone()[0] > 0
    store.close()
    upgraded = _state(data)
    ingest(data, rebuild=True)
    assert upgraded == _state(data)
