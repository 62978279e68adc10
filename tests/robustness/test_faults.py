"""Faults from outside the program: a full disk, Ctrl-C at the worst moment, pages of the index
zeroed, a folder nobody may write. Each ends in one line and a usable (or rebuildable) index."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from alliance.ingest import ingest
from alliance.store import Store, db_path

from ..conftest import SEEDS
from ..test_cli import run

NEW_ARTICLE = "Ironclad again\nThe ministers met in Seoul and said the ironclad alliance would endure.\n" * 40


def searched(runner, data, query="ironclad"):
    result = run(runner, data, "search", query, "--json", "-n", "50")
    assert result.exit_code == 0, result.output
    return sorted(r["doc_id"] for r in json.loads(result.stdout)["results"])


def test_disk_full_is_one_line_and_the_old_index_is_intact(runner, seed_data, monkeypatch):
    ingest(seed_data)
    before = searched(runner, seed_data)
    for i in range(20):
        (seed_data / "raw" / f"new-{i}.txt").write_text(NEW_ARTICLE.replace("Seoul", f"Seoul {i}"))
    real_open = Store.open.__func__

    def full_disk(cls, data_dir, create=False):
        # SQLite answers "database or disk is full" (SQLITE_FULL) once the file may not grow
        store = real_open(cls, data_dir, create)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        return store

    monkeypatch.setattr(Store, "open", classmethod(full_disk))
    result = run(runner, seed_data, "ingest")
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().splitlines() == [
        f"Error: no space left on the disk holding {db_path(seed_data).parent}; the index is as it was"
    ]
    assert "Traceback" not in result.output
    assert searched(runner, seed_data) == before


def test_ctrl_c_right_after_commit_says_the_index_was_saved(runner, seed_data, monkeypatch):
    ingest(seed_data)
    (seed_data / "raw" / "new.txt").write_text(NEW_ARTICLE)
    real_open = Store.open.__func__

    class InterruptAfterCommit:
        def __init__(self, conn):
            self.conn = conn

        def __getattr__(self, name):
            return getattr(self.conn, name)

        def execute(self, sql, *args):
            cursor = self.conn.execute(sql, *args)
            if sql == "COMMIT":
                raise KeyboardInterrupt
            return cursor

    def opened(cls, data_dir, create=False):
        store = real_open(cls, data_dir, create)
        if create:
            store.conn = InterruptAfterCommit(store.conn)
        return store

    monkeypatch.setattr(Store, "open", classmethod(opened))
    result = run(runner, seed_data, "ingest")
    monkeypatch.undo()
    assert result.exit_code == 130, result.output
    assert "Traceback" not in result.output and "cannot rollback" not in result.output
    assert "saved" in result.stderr
    assert "new" in searched(runner, seed_data)  # the committed run is there


def zero_pages(path, first, last, page=4096):
    data = bytearray(path.read_bytes())
    data[first * page : last * page] = bytes((last - first) * page)
    path.write_bytes(bytes(data))


COMMANDS = [
    ["search", "ironclad"],
    ["show", "000_0735d83be5f18891"],
    ["meetings"],
    ["people"],
    ["kwic", "ironclad"],
    ["trend", "ironclad"],
    ["export", "--format", "jsonl"],
]


def test_zeroed_pages_mid_file_give_the_hint_everywhere_and_rebuild_repairs(runner, seed_data):
    ingest(seed_data)
    path = db_path(seed_data)
    pages = path.stat().st_size // 4096
    zero_pages(path, pages // 4, pages // 2)  # the header and schema are fine: damage shows mid-query
    for args in COMMANDS:
        result = run(runner, seed_data, *args)
        assert result.exit_code == 1, (args, result.output)
        assert "alliance ingest --rebuild" in result.stderr and "Traceback" not in result.output, args
        assert len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)
    # An unchanged ingest is a stat pass that reads no damaged page; one with work to do meets the damage.
    (seed_data / "raw" / "000_0735d83be5f18891.txt").touch()
    changed = run(runner, seed_data, "ingest")
    assert changed.exit_code == 1 and "alliance ingest --rebuild" in changed.stderr, changed.output
    rebuilt = run(runner, seed_data, "ingest", "--rebuild")
    assert rebuilt.exit_code == 0 and "5 new" in rebuilt.stdout, rebuilt.output
    assert "set aside" in rebuilt.stderr
    kept = [p for p in path.parent.glob("corpus.db.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1
    assert len(searched(runner, seed_data)) == 5


def as_nobody(data, *args):
    """Run alliance as a user who may not write `data` (as root, that needs another user)."""
    code = "import sys; from alliance.cli import main; sys.exit(main())"
    prefix: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: cannot become a user the folder refuses")
        prefix = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"]
    return subprocess.run(
        [*prefix, sys.executable, "-c", code, "--data", str(data), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": "/tmp"},
        timeout=120,
        check=False,
    )


def test_read_only_folder_is_called_read_only_and_searches_still_work():
    top = Path(tempfile.mkdtemp(prefix="alliance-ro-"))
    try:
        top.chmod(0o755)
        data = top / "data"
        shutil.copytree(SEEDS, data / "raw")
        ingest(data)
        for path in [data, *data.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        searched_ro = as_nobody(data, "search", "ironclad", "--json")
        assert searched_ro.returncode == 0, searched_ro.stderr
        assert json.loads(searched_ro.stdout)["total"] == 5
        for args in (["ingest"], ["ingest", "--rebuild"]):
            refused = as_nobody(data, *args)
            assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
            assert "read-only" in refused.stderr and "damaged" not in refused.stderr
        assert sorted(p.name for p in (data / "index").iterdir()) == ["corpus.db"]
    finally:
        for path in [top, *top.rglob("*")]:
            path.chmod(0o755)
        shutil.rmtree(top)


@pytest.mark.parametrize("broken", ["fts_config", "fts_data"])
def test_damage_to_the_search_index_alone_is_repaired_too(runner, seed_data, broken):
    ingest(seed_data)
    conn = sqlite3.connect(db_path(seed_data))
    conn.execute(f"DELETE FROM {broken}")  # "vtable constructor failed" / "database disk image is malformed"
    conn.commit()
    conn.close()
    result = run(runner, seed_data, "search", "ironclad")
    assert result.exit_code == 1 and "alliance ingest --rebuild" in result.stderr, result.output
    rebuilt = run(runner, seed_data, "ingest", "--rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert len(searched(runner, seed_data)) == 5


def test_a_file_size_limit_mid_ingest_is_one_line_and_keeps_the_old_index(runner, seed_data):
    """ulimit -f: the disk refuses the write (SQLITE_IOERR_WRITE), which is no damage."""
    import resource

    ingest(seed_data)
    before = searched(runner, seed_data)
    for i in range(30):
        (seed_data / "raw" / f"new-{i}.txt").write_text(NEW_ARTICLE.replace("Seoul", f"Seoul {i}"))
    limit = db_path(seed_data).stat().st_size + 64 * 1024

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    code = "import sys; from alliance.cli import main; sys.exit(main())"
    result = subprocess.run(
        [sys.executable, "-c", code, "--data", str(seed_data), "ingest"],
        capture_output=True,
        text=True,
        preexec_fn=cap,  # the limit is set in the child alone
        timeout=120,
        check=False,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"Error: could not write to {db_path(seed_data).parent} (disk I/O error: disk full or a file-size limit?); "
        "the index is as it was"
    ]
    assert searched(runner, seed_data) == before
