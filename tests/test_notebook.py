"""The researcher's notebook runs top to bottom offline and saves its plot."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "researcher.ipynb"
NEEDED = ("nbclient", "nbformat", "ipykernel", "matplotlib", "pandas")


def _runner():
    spec = importlib.util.spec_from_file_location("notebook_runner", ROOT / "notebooks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_notebook_is_valid_json_with_code_cells_and_no_stored_outputs():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code) >= 8
    assert all(not c.get("outputs") for c in code), "commit the notebook without outputs"


def test_notebook_executes_and_renders_its_plot(tmp_path):
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"notebook test needs {', '.join(missing)} (pip install -e '.[test]')")
    executed = _runner().run_notebook(NOTEBOOK, out=tmp_path, timeout=120)
    png = tmp_path / "topics-by-month.png"
    assert png.is_file() and png.stat().st_size > 1000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "facts.db").stat().st_size > 0
    nb = json.loads(executed.read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    text = "".join("".join(o.get("text", "")) for o in outputs)
    assert "0 failures" in text and "matching articles" in text
