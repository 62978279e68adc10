"""The data files shipped in the package (data/): vocabularies, rules and the roster."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DATA = Path(__file__).with_name("data")


def package_text(name: str) -> str:
    """A data file shipped in the package, read from disk: importlib.resources would import
    zipfile, tempfile and shutil (about 10 ms) into every one-shot command."""
    return (PACKAGE_DATA / name).read_text("utf-8")
