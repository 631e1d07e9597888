"""The wheel holds everything the code reads at run time.

This test depends on the source tree (it builds the wheel from it); the installed wheel
itself is exercised end to end by tests/smoke_installed.py, which .ci/run runs.
"""
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "newsnlp"


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        if "No matching distribution found for setuptools" in proc.stderr:
            pytest.skip("the build backend cannot be fetched (no package index reachable)")
        pytest.fail(f"pip wheel failed:\n{proc.stderr[-2000:]}")
    (wheel,) = out.glob("newsnlp-*.whl")
    with zipfile.ZipFile(wheel) as z:
        return set(z.namelist())


def _source_files(folder: str) -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (PACKAGE / folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


@pytest.mark.parametrize("folder", ["data", "web/templates", "web/static"])
def test_every_run_time_file_is_in_the_wheel(wheel_files, folder):
    files = _source_files(folder)
    assert files, f"nothing under newsnlp/{folder}"
    missing = [f for f in files if f not in wheel_files]
    assert not missing, f"not in the wheel: {missing}"


def test_every_template_the_code_names_is_in_the_wheel(wheel_files):
    named = set()
    for path in (PACKAGE / "web").rglob("*"):
        if path.suffix in (".py", ".html"):
            text = path.read_text(encoding="utf-8")
            # render_template("x.html"), get_template(...), {% extends/include "x.html" %}, name lists
            named |= set(re.findall(r"""["']([\w.-]+\.html)["']""", text))
    assert {"search.html", "article.html", "error.html", "base.html"} <= named
    missing = sorted(n for n in named if f"newsnlp/web/templates/{n}" not in wheel_files)
    assert not missing, f"templates named in the code but not in the wheel: {missing}"


def test_every_data_file_the_code_names_is_in_the_wheel(wheel_files):
    named = set()
    for path in PACKAGE.rglob("*.py"):
        named |= set(re.findall(r"""["']([\w.-]+\.(?:txt|gz|model|json|svg|css|js))["']""", path.read_text(encoding="utf-8")))
    shipped = {p.name for p in (PACKAGE / "data").iterdir()}
    in_data = named & shipped
    assert {"topics-default.model", "ner-msra.crf.gz", "userdict.txt"} <= in_data
    missing = sorted(n for n in in_data if f"newsnlp/data/{n}" not in wheel_files)
    assert not missing, f"data files named in the code but not in the wheel: {missing}"
    assert not any("__pycache__" in f or f.startswith("tests/") for f in wheel_files)
