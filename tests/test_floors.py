"""Floor test: the parser's figures on the dev articles must not fall below those pinned in
tests/floors.json (as trafilatura's eval gate does). Parses the 50 pages in process: a few seconds.
Skipped where ../shared/dev-articles is not present."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text("utf-8"))


def _devsplit():
    spec = importlib.util.spec_from_file_location("devsplit", ROOT / "bench" / "devsplit.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (ROOT.parent / "shared" / "dev-articles" / "gold").is_dir(), reason="no dev articles here")
def test_parse_figures_stay_above_their_floors(tmp_path):
    devsplit = _devsplit()
    figures = devsplit.parse_figures(devsplit.golds("all"), tmp_path)
    low = {"participant F1": (figures["F1"], FLOORS["participants_f1"])}
    low |= {field: (figures["fields"][field], floor) for field, floor in FLOORS["fields"].items()}
    assert {k: v for k, v in low.items() if v[0] < v[1]} == {}
