"""The data files shipped in the package (data/): vocabularies, rules and the roster."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import csv

PACKAGE_DATA = Path(__file__).with_name("data")


def package_text(name: str) -> str:
    """A data file shipped in the package, read from disk: importlib.resources would import
    zipfile, tempfile and shutil (about 10 ms) into every one-shot command."""
    return (PACKAGE_DATA / name).read_text("utf-8")


def csv_rows(text: str) -> csv.DictReader[str]:
    """The rows of a data file's CSV text, its '#' comment lines skipped: the shipped files and a
    user's own are written alike."""
    import csv  # here, not at the top: search and the other one-shot queries read no CSV file

    return csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
