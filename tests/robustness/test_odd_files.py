"""What else a raw folder can hold: names that are not UTF-8, FIFOs and sockets; and an ingest
killed with -9 while its workers run."""

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from alliance.ingest import ingest

from ..conftest import SEEDS
from ..test_cli import run

SEED = sorted(SEEDS.iterdir())[0]


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "data" / "raw"
    folder.mkdir(parents=True)
    (folder / "ok.txt").write_bytes(SEED.read_bytes())
    return folder


def test_a_name_that_is_not_utf8_is_ingested_under_a_printable_id(runner, raw):
    name = os.fsdecode(b"caf\xe9.txt")  # a Latin-1 name from a zip or a Windows dump
    (raw / name).write_bytes(SEED.read_bytes())
    result = run(runner, raw.parent, "ingest", "--json")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    report = json.loads(result.stdout)
    assert report["new"] == 2 and report["failed"] == []
    assert [w["doc_id"] for w in report["warnings"] if "not UTF-8" in w["warning"]] == ["caf\\xe9"]
    found = json.loads(run(runner, raw.parent, "search", "ironclad", "--json", "--all-copies").stdout)
    assert sorted(r["doc_id"] for r in found["results"]) == ["caf\\xe9", "ok"]
    shown = run(runner, raw.parent, "show", "caf\\xe9", "--json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["path"].endswith("caf\\xe9.txt")
    assert run(runner, raw.parent, "ingest").stdout.startswith("0 new, 0 updated, 2 unchanged")


def test_a_fifo_or_socket_is_skipped_and_nothing_blocks(raw):
    os.mkfifo(raw / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(raw / "sock.txt"))
    try:
        outcome = {}
        worker = threading.Thread(target=lambda: outcome.update(report=ingest(raw.parent)), daemon=True)
        worker.start()
        worker.join(60)
        if worker.is_alive():  # unblock the reader so the test run can end, then fail
            with open(raw / "pipe.txt", "wb"):
                pass
            worker.join(10)
            pytest.fail("ingest blocked on a FIFO")
    finally:
        sock.close()
    report = outcome["report"]
    failed = {os.path.basename(p): r for p, r in report.failed}
    assert failed == {"pipe.txt": "a FIFO, not a regular file", "sock.txt": "a socket, not a regular file"}
    assert report.new == 1


KILLED_INGEST = textwrap.dedent(
    """
    import os, sys
    import alliance.ingest as ingest_module
    ingest_module.PARALLEL_FROM = 2           # a pool however few files
    os.cpu_count = lambda: 2                  # and two workers however few cores
    ingest_module.ingest(__import__("pathlib").Path(sys.argv[1]))
    """
)


def children_of(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to find the workers")
def test_workers_die_with_an_ingest_killed_by_sigkill(tmp_path):
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    for i in range(300):
        for seed in SEEDS.iterdir():
            (raw / f"{i:03d}-{seed.name}").write_bytes(seed.read_bytes())
    parent = subprocess.Popen([sys.executable, "-c", KILLED_INGEST, str(tmp_path / "data")])
    try:
        deadline = time.monotonic() + 60
        workers = []
        while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
            time.sleep(0.05)
            workers = children_of(parent.pid)
        assert workers, "the ingest finished or started no workers"
        time.sleep(0.5)  # the workers are busy with their first files
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 15
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = [w for w in workers if alive(w)]
    finally:
        for pid in children_of(parent.pid) + workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert survivors == [], "workers outlived the ingest that started them"
