"""Whatever a browser or scraper left on disk: each file is ingested or skipped with a reason,
the run goes on, and the raw files are untouched."""

import hashlib
import os
import zipfile

import pytest

from alliance.ingest import ingest

from ..conftest import SEEDS
from ..test_cli import run

ARTICLE = (
    "Defense ministers talk by phone\n"
    "Defense Minister Shin Won-sik spoke by phone with U.S. Secretary of Defense Lloyd Austin on Feb. 28, 2024, "
    "and the two reaffirmed the ironclad alliance and their commitment to extended deterrence.\n"
)


def zip_bytes(tmp_path):
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", ARTICLE)
    return path.read_bytes()


BAD_FILES = {
    # name: (bytes or a function of tmp_path, expected: "ingested" or a phrase of the skip reason)
    "empty.txt": (b"", "empty"),
    "spaces.txt": (b"  \n\t\n  ", "empty"),
    "report.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary"),
    "photo.txt": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "binary"),
    "archive.txt": (zip_bytes, "binary"),
    "nul bytes.txt": (b"text\x00\x00\x00with nulls", "binary"),
    "truncated.txt": (ARTICLE.encode()[:-1] + "확".encode()[:2], "ingested"),
    "mixed.txt": (ARTICLE.encode() + "café ".encode("cp1252") + "한국어".encode(), "ingested"),
    "euc-kr.txt": ((ARTICLE + "한미 국방장관 통화\n").encode("euc-kr"), "ingested"),
    "utf16.txt": (ARTICLE.encode("utf-16"), "ingested"),
    "한글 이름.txt": (ARTICLE.encode(), "ingested"),
    "name with spaces.html": (f"<html><body><p>{ARTICLE}</p></body></html>".encode(), "ingested"),
    "line\nbreak.txt": (ARTICLE.encode(), "ingested"),
    "nested.html": (("<div>" * 5000 + f"<p>{ARTICLE}</p>" + "</div>" * 5000).encode(), "ingested"),
    "malformed.html": (f"<html><body><p>{ARTICLE}<table><tr><td><p>unclosed <b><i>".encode(), "ingested"),
    "all-script.html": (
        b"<html><head><script>" + b"var x = 1;" * 1000 + b"</script></head><body></body></html>",
        "ingested",
    ),
}


def write(tmp_path, raw, name, content):
    data = content(tmp_path) if callable(content) else content
    (raw / name).write_bytes(data)


@pytest.fixture
def bad_corpus(tmp_path):
    data = tmp_path / "data"
    raw = data / "raw"
    raw.mkdir(parents=True)
    (raw / "good.txt").write_text(ARTICLE)
    for name, (content, _) in BAD_FILES.items():
        write(tmp_path, raw, name, content)
    return data


def test_each_bad_file_is_ingested_or_skipped_with_its_reason(runner, bad_corpus):
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (bad_corpus / "raw").iterdir()}
    report = ingest(bad_corpus)
    failed = {os.path.basename(path): reason for path, reason in report.failed}
    for name, (_, expected) in BAD_FILES.items():
        if expected == "ingested":
            assert name not in failed, (name, failed.get(name))
        else:
            assert expected in failed[name], (name, failed.get(name))
    skipped = sum(1 for _, expected in BAD_FILES.values() if expected != "ingested")
    assert len(failed) == skipped and report.new == len(BAD_FILES) + 1 - skipped
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (bad_corpus / "raw").iterdir()}
    assert after == before


def test_exit_status_is_0_with_a_count_and_1_with_strict(runner, bad_corpus):
    result = run(runner, bad_corpus, "ingest")
    assert result.exit_code == 0
    assert "6 failed" in result.stdout and result.stderr.count("failed: ") == 6
    assert "Traceback" not in result.output
    assert run(runner, bad_corpus, "ingest", "--rebuild", "--strict").exit_code == 1


def test_the_good_text_of_odd_files_is_searchable(runner, bad_corpus):
    ingest(bad_corpus)
    result = run(runner, bad_corpus, "search", '"extended deterrence"', "--json", "--limit", "50", "--all-copies")
    import json

    found = {hit["doc_id"] for hit in json.loads(result.stdout)["results"]}
    assert {"good", "euc-kr", "utf16", "한글 이름", "name with spaces", "line\nbreak", "nested"} <= found


def test_size_cap_skips_huge_files_before_reading_them(runner, tmp_path):
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    (data / "raw" / "ok.txt").write_text(ARTICLE)
    with (data / "raw" / "huge.txt").open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # a sparse 50 MB file: no disk used, over the 20 MB default
    result = run(runner, data, "ingest")
    assert result.exit_code == 0 and "1 new" in result.stdout
    assert "over the 20,971,520-byte limit" in result.stderr
    small = run(runner, data, "ingest", "--rebuild", "--max-bytes", "100")
    assert "ok.txt" in small.stderr and "limit" in small.stderr


def test_symlinks_are_followed_inside_the_folder_only_and_loops_end(tmp_path):
    data = tmp_path / "data"
    raw = data / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "sub" / "a.txt").write_text(ARTICLE)
    outside = tmp_path / "outside.txt"
    outside.write_text(ARTICLE.replace("Shin Won-sik", "Lee Jong-sup"))
    (raw / "escape.txt").symlink_to(outside)
    (raw / "inside.txt").symlink_to(raw / "sub" / "a.txt")
    (raw / "sub" / "loop").symlink_to(raw, target_is_directory=True)
    (raw / "away").symlink_to(tmp_path, target_is_directory=True)
    report = ingest(data)
    failed = {os.path.basename(p): r for p, r in report.failed}
    assert "outside the ingested folder" in failed["escape.txt"]
    assert report.new == 2  # sub/a and inside; the loop and the outside folder are not walked


def test_unreadable_file_is_skipped(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    (data / "raw" / "ok.txt").write_text(ARTICLE)
    locked = data / "raw" / "locked.txt"
    locked.write_text(ARTICLE)
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # root reads anything: make the open fail as it would for a user
        from pathlib import Path

        real_open = Path.open

        def deny(self, *args, **kwargs):
            if self.name == "locked.txt":
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", deny)
    report = ingest(data)
    assert report.new == 1
    assert [r for p, r in report.failed if p.endswith("locked.txt")] == ["cannot read (Permission denied)"]


def test_seeds_are_never_written(runner, seed_data):
    before = {p.name: (p.read_bytes(), p.stat().st_mtime) for p in (seed_data / "raw").iterdir()}
    for args in (["ingest"], ["ingest", "--rebuild"], ["export", "--format", "jsonl"], ["search", "ironclad"]):
        run(runner, seed_data, *args)
    assert before == {p.name: (p.read_bytes(), p.stat().st_mtime) for p in (seed_data / "raw").iterdir()}
    assert sorted(p.name for p in SEEDS.iterdir()) == sorted(before)
