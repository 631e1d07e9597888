"""Smoke run of an *installed* newsnlp: what a new user gets from `pip install .`.

Run by `.ci/run` with the python of a fresh virtual environment into which the built wheel
(with its extras) was installed, from a working directory outside the source tree, so
that every command comes from the install and every file it reads from the wheel:

    VENV/bin/python tests/smoke_installed.py --sample corpus/sample-page-2022-10-12.txt

It is not collected by pytest (the unit tests run against the editable install).  Each
check prints one line; the run ends with "N passed, N failed" and exits 1 on any failure.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
NEWSNLP = str(BIN / "newsnlp")


def run(*args: str, stdin: str | None = None, ok: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([NEWSNLP, *args], input=stdin, capture_output=True, text=True, timeout=300)
    if ok and proc.returncode != 0:
        raise AssertionError(f"newsnlp {' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    return proc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", required=True, type=Path, help="the bundled sample page")
    opts = parser.parse_args()
    sample = opts.sample.resolve()
    work = Path(tempfile.mkdtemp(prefix="newsnlp-smoke-"))
    os.chdir(work)  # nothing of the source tree on sys.path
    archive = str(work / "archive")
    state: dict = {}
    checks = []

    def check(fn):
        checks.append(fn)
        return fn

    @check
    def installed_not_source():
        out = subprocess.run([str(BIN / "python"), "-c", "import newsnlp, sys; print(newsnlp.__file__)"],
                             capture_output=True, text=True, check=True).stdout.strip()
        assert "site-packages" in out, f"newsnlp imported from {out}, not from an install"
        data = Path(out).parent
        for name in ("data/topics-default.model", "data/ner-msra.crf.gz", "data/userdict.txt",
                     "web/templates/search.html", "web/static/app.js"):
            assert (data / name).is_file(), f"{name} is not in the installed package"

    @check
    def version():
        out = run("--version").stdout
        assert "newsnlp, version" in out, out
        out = subprocess.run([str(BIN / "python"), "-m", "newsnlp", "--version"], capture_output=True,
                             text=True, check=True).stdout
        assert "newsnlp, version" in out, out

    @check
    def no_arguments_prints_help():
        proc = run()
        assert "Usage:" in proc.stdout and "ingest" in proc.stdout, proc.stdout

    @check
    def parse():
        page = json.loads(run("parse", str(sample)).stdout)
        assert len(page["articles"]) >= 3 and page["articles"][0]["headline"], page.keys()
        assert any(a["entities"] for a in page["articles"]) and any(a["topics"] for a in page["articles"])

    @check
    def ingest_file_and_folder():
        run("ingest", str(sample), "--archive", archive)
        folder = work / "pages"
        (folder / "sub").mkdir(parents=True)
        shutil.copy(sample, folder / "sub" / "copy-2022-10-13.txt")
        out = run("ingest", str(folder), "--archive", archive).stdout
        assert "pages            1" in out, out
        stats = run("stats", "--archive", archive).stdout
        assert "2022" in stats, stats

    @check
    def search_plain_and_json():
        plain = run("search", "医保", "--archive", archive).stdout
        assert "医保" in plain, plain
        found = json.loads(run("search", "医保", "--archive", archive, "--json").stdout)
        assert found["total"] >= 2 and "<mark>" in found["hits"][0]["snippet"], found
        state["id"] = found["hits"][0]["id"]

    @check
    def show():
        out = json.loads(run("show", state["id"], "--archive", archive, "--json").stdout)
        assert "医保" in json.dumps(out, ensure_ascii=False)

    @check
    def extract():
        lines = "10月11日，市财政局局长王某表示，今年已拨付资金6.4亿元。\n\n"
        out = run("extract", "--date", "2022-10-12", stdin=lines).stdout.splitlines()
        assert len(out) == 2, out
        facts = json.loads(out[0])
        assert facts["figures"][0]["value"] == 640000000 and facts["dates"], facts
        assert json.loads(out[1])["entities"] == []

    @check
    def export_every_format():
        run("export", "--archive", archive, "--what", "figures", "-o", "f.jsonl")
        assert json.loads(Path("f.jsonl").read_text(encoding="utf-8").splitlines()[0])["value"] is not None
        run("export", "--archive", archive, "--what", "officials", "--format", "csv", "--bom", "-o", "o.csv")
        with open("o.csv", encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        assert rows and rows[0]["name"], rows[:1]
        run("export", "--archive", archive, "--what", "entities", "--format", "parquet", "-o", "e.parquet")
        import pyarrow.parquet as pq

        assert pq.read_table("e.parquet").num_rows > 0
        run("export", "--archive", archive, "--format", "sqlite", "-o", "a.db")
        with sqlite3.connect("a.db") as db:
            n = db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\"医保缴费\"'").fetchone()[0]
        assert n >= 1

    @check
    def topics_discover():
        out = json.loads(run("topics", "discover", "-k", "2", "--archive", archive, "--json").stdout)
        assert out, out

    @check
    def optimize():
        run("optimize", "--archive", archive)
        assert json.loads(run("search", "医保", "--archive", archive, "--json").stdout)["total"] >= 2

    @check
    def serve():
        port = free_port()
        proc = subprocess.Popen([NEWSNLP, "serve", "--archive", archive, "--port", str(port)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    status, _ = get(base + "/api/search?q=x")
                    break
                except OSError:
                    if proc.poll() is not None:
                        raise AssertionError(f"serve exited {proc.returncode}: {proc.stdout.read()[-800:]}")
                    time.sleep(0.25)
            status, body = get(base + "/")
            assert status == 200 and "<form" in body, (status, body[:300])
            status, body = get(base + "/?q=%E5%8C%BB%E4%BF%9D")
            assert status == 200 and "<mark>" in body, (status, body[:300])
            status, body = get(f"{base}/article/{state['id']}")
            assert status == 200 and "医保" in body, (status, body[:300])
            status, body = get(base + "/api/search?q=%E5%8C%BB%E4%BF%9D")
            assert status == 200 and json.loads(body)["total"] >= 2, (status, body[:300])
            status, body = get(base + "/static/app.js")
            assert status == 200 and body.strip(), status
            status, body = get(base + "/article/no-such-id")
            assert status == 404 and "<html" in body.lower(), (status, body[:300])
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    passed = failed = 0
    for fn in checks:
        t0 = time.perf_counter()
        try:
            fn()
        except Exception:  # report every failing check, then fail the run
            failed += 1
            print(f"FAIL {fn.__name__}\n{traceback.format_exc()}", flush=True)
        else:
            passed += 1
            print(f"ok   {fn.__name__} ({time.perf_counter() - t0:.1f} s)", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    print(f"smoke: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
