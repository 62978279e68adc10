"""An ingest that adds, changes or removes files gives the copies and meetings a full rebuild
gives (issue 17): copy detection reads the stored band table and grouping regroups only the
meetings the changed files touch, so both are checked against the from-scratch answer."""

import shutil
import sys
from pathlib import Path

import pytest

from alliance.ingest import ingest
from alliance.store import Store

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


def test_adding_changing_and_removing_files_matches_a_rebuild(pages):
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
