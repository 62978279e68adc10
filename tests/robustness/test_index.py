"""The index under stress: concurrent writers and readers, damage, versions from elsewhere."""

import json
import sqlite3
import threading

import pytest

from alliance.errors import IndexProblem
from alliance.ingest import ingest
from alliance.search import search
from alliance.store import Store, db_path

from ..test_cli import run


def test_second_ingest_waits_then_says_the_index_is_busy(seed_data, monkeypatch):
    ingest(seed_data)
    import alliance.store as store_module

    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(db_path(seed_data), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another ingest is writing
    try:
        (seed_data / "raw" / "new.txt").write_text("The two ministers met in Seoul and talked about the alliance.\n")
        with pytest.raises(IndexProblem, match="busy"):
            ingest(seed_data)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert ingest(seed_data).new == 1  # once the other writer is done, it goes through


def test_busy_index_is_one_line_on_the_command_line(runner, seed_data, monkeypatch):
    ingest(seed_data)
    import alliance.store as store_module

    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(db_path(seed_data), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        (seed_data / "raw" / "new.txt").write_text("The two ministers met in Seoul and talked about the alliance.\n")
        result = run(runner, seed_data, "ingest")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1 and "busy" in result.stderr and "Traceback" not in result.output


def test_searches_during_an_ingest_see_the_old_index(seed_data):
    ingest(seed_data)
    reader = Store.open(seed_data)
    before = search(reader, "ironclad", limit=20).total
    writer = Store.open(seed_data)
    started, release = threading.Event(), threading.Event()
    (seed_data / "raw" / "extra.txt").write_text(
        "Ironclad words\nThe ministers said the ironclad alliance would endure and met again in Seoul.\n"
    )

    import alliance.ingest as ingest_module

    original = ingest_module.group_meetings

    def slow_group(store, **options):
        original(store, **options)
        started.set()
        release.wait(10)  # the writer holds its transaction open, new document written

    ingest_module.group_meetings = slow_group
    try:
        thread = threading.Thread(target=ingest, args=(seed_data,))
        thread.start()
        assert started.wait(10)
        assert search(reader, "ironclad", limit=20).total == before  # old snapshot, not a mix
        release.set()
        thread.join(10)
    finally:
        ingest_module.group_meetings = original
        writer.close()
    assert search(reader, "ironclad", limit=20).total == before + 1
    reader.close()


@pytest.mark.parametrize(
    ("damage", "set_aside"),
    [
        (lambda path: path.write_bytes(b"\x00garbage" * 512), 1),
        (lambda path: path.write_bytes(path.read_bytes()[:3000]), 1),
        (lambda path: path.write_bytes(b""), 0),  # nothing in it to keep
    ],
    ids=["garbage", "truncated", "emptied"],
)
def test_damaged_index_says_how_to_rebuild_and_rebuild_recovers(runner, seed_data, damage, set_aside):
    ingest(seed_data)
    path = db_path(seed_data)
    for extra in ("-wal", "-shm"):
        path.with_name(path.name + extra).unlink(missing_ok=True)
    damage(path)
    result = run(runner, seed_data, "search", "ironclad")
    assert result.exit_code == 1 and "alliance ingest --rebuild" in result.stderr, result.output
    assert "Traceback" not in result.output
    rebuilt = run(runner, seed_data, "ingest", "--rebuild")
    assert rebuilt.exit_code == 0 and "5 new" in rebuilt.stdout
    assert json.loads(run(runner, seed_data, "search", "ironclad", "--json").stdout)["total"] == 5
    kept = [p for p in path.parent.glob("corpus.db.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == set_aside  # a damaged index is renamed, never deleted


def indexed_with_setting(data, key, value):
    """The seeds indexed, then a settings stamp changed as another alliance version would leave it."""
    ingest(data)
    conn = sqlite3.connect(db_path(data))
    conn.execute("UPDATE settings SET value = ? WHERE key = ?", (value, key))
    conn.commit()
    conn.close()


def test_index_from_a_newer_alliance_is_refused_with_the_fix(runner, seed_data):
    indexed_with_setting(seed_data, "schema_version", "99")
    result = run(runner, seed_data, "search", "ironclad")
    assert result.exit_code == 1 and "newer alliance" in result.stderr and "--rebuild" in result.stderr


def test_analyzer_change_rebuilds_on_the_next_ingest(runner, seed_data):
    indexed_with_setting(seed_data, "analyzer_version", "old")
    result = run(runner, seed_data, "ingest")
    assert "analyzer changed" in result.stderr and "5 new" in result.stdout
    assert json.loads(run(runner, seed_data, "search", "ironclad", "--json").stdout)["total"] == 5


def test_index_from_an_older_alliance_is_rebuilt_by_the_next_command(runner, seed_data):
    indexed_with_setting(seed_data, "schema_version", "1")
    result = run(runner, seed_data, "search", "ironclad", "--json")
    assert result.exit_code == 0 and "ingesting" in result.stderr and "older alliance" in result.stderr
    assert json.loads(result.stdout)["total"] == 5
    assert (db_path(seed_data).parent / "corpus.db.older-version").exists()


def test_second_ingest_of_an_unchanged_corpus_writes_nothing(seed_data):
    """Issue 16 item 11 (failed on main: the run opened a write transaction, regrouped and
    committed, so corpus.db changed although no file had)."""
    import os
    import time

    ingest(seed_data)
    db = db_path(seed_data)
    before = (db.stat().st_mtime_ns, db.stat().st_size, db.read_bytes())
    time.sleep(0.05)
    report = ingest(seed_data)
    assert (report.new, report.updated, report.removed, report.unchanged) == (0, 0, 0, 5)
    assert (db.stat().st_mtime_ns, db.stat().st_size, db.read_bytes()) == before
    assert not os.path.exists(str(db) + "-wal") or os.path.getsize(str(db) + "-wal") == 0


def test_index_of_schema_3_gains_its_band_table_in_place(runner, seed_data):
    """Schema 4 only adds the LSH band table: a version 3 index is upgraded from its stored
    sketches by the next command, not set aside and rebuilt (47 minutes at 100k documents)."""
    ingest(seed_data)
    conn = sqlite3.connect(db_path(seed_data))
    bands = conn.execute("SELECT * FROM bands ORDER BY document, band").fetchall()
    conn.execute("DROP TABLE bands")
    conn.execute("UPDATE settings SET value = '3' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    result = run(runner, seed_data, "search", "ironclad", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["total"] == 5, result.output
    assert not (db_path(seed_data).parent / "corpus.db.older-version").exists()
    conn = sqlite3.connect(db_path(seed_data))
    assert bands and conn.execute("SELECT * FROM bands ORDER BY document, band").fetchall() == bands
    assert conn.execute("SELECT value FROM settings WHERE key = 'schema_version'").fetchone()[0] == "4"
    conn.close()
