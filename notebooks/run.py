"""Execute a notebook top to bottom (nbclient), as CI does; write the executed copy.

    python notebooks/run.py [notebooks/researcher.ipynb] [--out DIR] [--timeout 120]

Needs nbclient, nbformat, ipykernel, pandas and matplotlib (all in the ``test`` extra).

The notebook writes its files (archive, PNG, SQLite) to ``--out`` (``$NEWSNLP_NOTEBOOK_OUT``);
the executed notebook is saved there as ``<name>.executed.ipynb``.  Exit status 1 when a cell fails.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_notebook(path: str | Path = HERE / "researcher.ipynb", *, out: str | Path, timeout: int = 120) -> Path:
    """Execute ``path`` with its output folder ``out``; returns the executed notebook's path."""
    import nbformat
    from nbclient import NotebookClient

    path, out = Path(path).resolve(), Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(path, as_version=4)
    previous = os.environ.get("NEWSNLP_NOTEBOOK_OUT")
    os.environ["NEWSNLP_NOTEBOOK_OUT"] = str(out)  # the kernel inherits it
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        if previous is None:
            os.environ.pop("NEWSNLP_NOTEBOOK_OUT", None)
        else:
            os.environ["NEWSNLP_NOTEBOOK_OUT"] = previous
    executed = out / f"{path.stem}.executed.ipynb"
    nbformat.write(nb, executed)
    return executed


def main() -> None:
    ap = argparse.ArgumentParser(description="Execute a newsnlp notebook top to bottom.")
    ap.add_argument("notebook", nargs="?", default=str(HERE / "researcher.ipynb"))
    ap.add_argument("--out", default=None, help="Folder for the notebook's files [default: a new temporary folder].")
    ap.add_argument("--timeout", type=int, default=120, help="Seconds allowed per cell.")
    args = ap.parse_args()
    started = time.perf_counter()
    try:
        out = args.out or tempfile.mkdtemp(prefix="newsnlp-notebook-")
        executed = run_notebook(args.notebook, out=out, timeout=args.timeout)
    except Exception as exc:  # CellExecutionError carries the cell's traceback
        print(f"notebook failed: {exc}", file=sys.stderr)
        sys.exit(1)
    print(f"executed {executed} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
