import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

# CI runs the same examples every time (a red build is then a real regression, never a new draw);
# HYPOTHESIS_PROFILE=explore searches with fresh random examples. No per-example deadline:
# speed goals live in bench/, and a loaded 2-core CI machine must not turn into a red build.
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "raw"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path, monkeypatch):
    """Every test gets its own empty data folder; nothing touches the repository's data/."""
    monkeypatch.setenv("ALLIANCE_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def seed_data(tmp_path):
    """A data folder whose raw/ holds copies of the five seeds."""
    data = tmp_path / "data"
    shutil.copytree(SEEDS, data / "raw")
    return data


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory):
    """The seeds ingested once for read-only tests."""
    from alliance.ingest import ingest

    data = tmp_path_factory.mktemp("seeds") / "data"
    shutil.copytree(SEEDS, data / "raw")
    ingest(data)
    return data


@pytest.fixture
def runner():
    return CliRunner()
