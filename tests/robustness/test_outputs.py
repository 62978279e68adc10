"""What alliance writes for other programs: every CSV neutralises formulas, and exports land
through symlinks and under long non-ASCII names."""

import csv
import io
import sqlite3

from alliance.ingest import ingest
from alliance.store import db_path

from ..conftest import SEEDS
from ..test_cli import run

FORMULAS = {"summary": '=HYPERLINK("http://example.com/x","click me")', "location": "@SUM(A1:A9)"}


def test_meetings_csv_neutralises_formulas_like_the_export(runner, seed_data):
    ingest(seed_data)
    conn = sqlite3.connect(db_path(seed_data))
    conn.execute("UPDATE meetings SET summary = ?, location = ?", (FORMULAS["summary"], FORMULAS["location"]))
    conn.commit()
    conn.close()
    result = run(runner, seed_data, "meetings", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert rows and all(row["summary"] == "'" + FORMULAS["summary"] for row in rows)
    assert all(row["location"] == "'" + FORMULAS["location"] for row in rows)


def test_export_force_onto_a_symlink_replaces_the_folder_it_points_to(runner, seed_data, tmp_path):
    real = tmp_path / "exports" / "2024"
    real.parent.mkdir()
    first = run(runner, seed_data, "export", "--format", "txt", "--out", str(real))
    assert first.exit_code == 0, first.output
    link = tmp_path / "latest"
    link.symlink_to(real, target_is_directory=True)
    again = run(runner, seed_data, "export", "--format", "txt", "--out", str(link), "--force", "ironclad")
    assert again.exit_code == 0 and "Traceback" not in again.output, again.output
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert len([p for p in real.glob("*.txt")]) == 5 and (real / "metadata.csv").exists()


def test_long_non_ascii_doc_ids_export_under_names_the_disk_accepts(runner, tmp_path):
    data = tmp_path / "data"
    deep = data / "raw" / ("한미동맹" * 20)  # 240 bytes: a legal folder name
    deep.mkdir(parents=True)
    seed = sorted(SEEDS.iterdir())[0]
    (deep / ("국방장관회담" * 13 + ".txt")).write_bytes(seed.read_bytes())  # 234 + 4 bytes
    (deep / ("국방장관회담" * 13 + "2.txt")).write_bytes(seed.read_bytes())
    out = tmp_path / "out"
    result = run(runner, data, "export", "--format", "md", "--out", str(out))
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    names = sorted(p.name for p in out.glob("*.md"))
    assert len(names) == 2 and len(set(names)) == 2
    assert all(len(name.encode()) <= 255 for name in names)
    assert all(name.startswith("한미동맹") for name in names)
